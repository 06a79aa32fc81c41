"""A list's span log kept between `foundry build`s: the JSON API's lists spliced from
the bytes the last build wrote (issue 13).

`foundry serve` keeps each list's SpanLog in memory (render/spans.py) and, after an
edit, puts the changed fragments' new bytes in at their spans. A CLI build is a new
process: it rendered bundle.json (23,000 rows at 10,000 heroes), heroes.json and
manifest.json whole after one hero edit, every stored row read, MAC-checked and
decoded (~0.6 CPU-s of its worker). Here a worker that renders such a list whole
logs it as the resident engine would (SpanStore.keep's rule: every fragment placed
as it is, few keys read by the list itself) and sends the log back; the builder
keeps it in the sealed cache (the fragments table) under the record of that render
(its digest and output hash, write/state.py). The next build's worker splices from it
when

- its row's MAC verifies (a row not written by this user's foundry is no log),
- it was made by this foundry for this exporter's recipe (both are in its key),
- the last build's record of the list is the very one the log was kept with (the
  same digest over the same reads and hashes, the same output hash), and the last
  build ran this exporter (else its record is older than what `changed` tells of), and
- the file the last build wrote, build/<path>, still hashes to that output;

by render/spans.py's rule: none of what the list read itself changed, and at most
MAX_SPLICED of its fragments read a key changed since the last build
(`FragmentMemo.changed`); those are asked for again and put in at their spans. The
JSON API's rows keep their places whatever their bytes (table order, ids sorted).
Anything else renders the list whole, as before, and logs it anew. Only an exporter
that can ask for a logged fragment again by its key alone has its lists logged
(`reasker(setup, world, item)`, an `Asker`: the JSON API's rows are made from their
key; a site page's cards are drawn by a CardDrawer the page makes from its template
context without drawing the page, exporters/html/exporter.py `PageAsker`).

A fragment whose place in the list depends on its value (a page's card in its sorted
run, a search entry) keeps its place only when its new sort key is strictly between
its neighbours' (render/spans.py's rule: the log holds each one's run, index, the
run's length and its sort key), and a card only when its links are those the page was
checked with (the log holds them, `Placed.place.logged`): else the list is rendered
whole (a renamed hero moving in a sorted list, a card whose links changed).

The log is text, read without decoding most of it: a head line (JSON: the list's own
reads, with what the fragments it asked for but did not place read, the shifts since
its lines were written), then one line per placed fragment, in order of its span:
`["<digest>","<memo key>",start,end,epoch,"<key>",[reads],"<decode>",place]`, `place`
null or `[run, index, count, sort key, what its place function checks]`.
A changed key's fragments are found by its JSON text in the lines (then decoded and
checked); a splice rewrites only their lines and adds a shift for each (where, how
much the bytes after it moved), as SpanLog does in memory.

A whole render's log is the list's base log, kept once; a splice leaves it as it is and
keeps beside it (`since_key`) what changed since: the shifts and the changed lines by
their index, under the new record, naming the base by its first line (the record it
was kept with). The next splice reads both, and uses the base alone when the last
build's record is the base's own. A few kilobytes a build where the whole log was
sealed and written again (35 MB a hero edit at 10,000 heroes). MAX_SHIFTS bounds what
accumulates: past it the list is rendered whole, and logged anew.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import orjson

from ..confine import boundary
from .spans import MAX_SHIFTS, MAX_SPLICED, WIDE_OWN, SpanLog

# Bumped when the log's form changes: a log of another form is no log.
FORM = 2
# A list file larger than this is not read back to splice (rendered whole instead).
MAX_LIST_BYTES = 512 * 1024 * 1024
# The digest and memo key at the start of each line (the memo key's JSON text).
_ANY_LINE_HEAD = re.compile(rb'^\["([0-9a-f]{64})","((?:[^"\\\n]|\\.)*)",', re.MULTILINE)


def log_key(memo: Any, exporter: str, path: str) -> str:
    """The fragments table's key of `path`'s log: its exporter and recipe, like its rows'."""
    return f"{exporter}:{memo.recipes[exporter]}|spans:{path}"


class Asker:
    """How a list's logged fragments are asked for again and placed (an exporter's
    `reasker`): `ask(key, decode)` the Ask the list made for `key` (None: it cannot be
    made again from its key, render the list whole); `place(key, value, logged)` the
    bytes a fragment's new value fills its span with, given what its place function
    checked when it was logged (None: not in place); `sort(key, value)` its sort key
    as the log keeps it (JSON's lists), for a fragment placed in a sorted run. This
    one: the JSON API's rows, placed as their bytes, by `reask(key, decode)`."""

    def __init__(self, reask: Any):
        self.ask = reask

    def place(self, key: str, value: Any, logged: Any) -> bytes | None:
        return value if type(value) is bytes and logged is None else None

    def sort(self, key: str, value: Any) -> Any:
        return None


def can_log(memo: Any, exporter: Any, setup: Any, world: Any, item: Any) -> bool:
    """Whether list `item` of `exporter` is logged in this (CLI) build: the exporter can
    ask for its fragments again by key (`reasker` gives an Asker for it: not for a page
    of a multilingual site), and the memo is the sealed cache's. A clean build logs its
    lists too: without, the first edit that changed a value after it rendered every
    list whole once (~8.5 s at 10,000 heroes against ~4.8; docs/performance.md, edit27a).
    Whether it is spliced is `can_splice`."""
    return (hasattr(memo.known, "text")
            and exporter.reasker(setup, world, item, None) is not None)


def can_splice(memo: Any) -> bool:
    """Whether a logged list may be spliced in this build: the last build is known (its
    changed keys, its records, its build folder)."""
    return memo.changed is not None and memo.previous is not None and memo.build_dir is not None


def encode(log: SpanLog, own: frozenset[str]) -> bytes:
    """The log of a whole render that SpanStore.keep kept (every fragment placed as it
    is). What the fragments it asked for but did not place read (a page's template
    closure, the ids of a page it links to) is logged with its own reads: a change
    there renders the list whole, as `SpanStore.splice` does with such a fragment."""
    entries = []
    runs: dict[int, int] = {}   # each sorted run (render/spans.py Order) by a number of its own
    placed_full = set()
    for key, placed in log.placed.items():
        full = log.full[key]
        placed_full.add(full)
        start, end = log.where(placed)
        where = None
        if placed.order is not None:
            run = runs.setdefault(id(placed.order), len(runs))
            where = [run, placed.at, len(placed.order.keys), placed.order.keys[placed.at],
                     getattr(placed.place, "logged", None)]
        entries.append((start, full, end, key, placed.ask.decode, where))
    entries.sort(key=_start)   # stable: fragments at one offset keep the order they were placed in
    own = set(own)
    for full, fragment in log.fragments.items():
        if full not in placed_full:
            own.update(fragment.reads)
    # Each line is added to one buffer as it is made, not kept as a bytes of its own:
    # orjson's bytes hold a buffer of at least 4 KiB whatever their length, and the
    # search page's 23,000 lines held ~90 MiB at once, the peak of a clean build
    # (docs/performance.md clean28).
    out = bytearray(_head(own, []))
    fragments = log.fragments
    for start, full, end, key, decode, where in entries:
        out += b"\n"
        out += _line(fragments[full], full, start, end, 0, key, decode, where)
    return bytes(out)


def _start(entry: tuple) -> int:
    return entry[0]


def _head(own, shifts: list) -> bytes:
    return orjson.dumps({"form": FORM, "own": sorted(own), "shifts": shifts})


def _line(fragment: Any, full: str, start: int, end: int, epoch: int, key: str, decode: Any, where: Any) -> bytes:
    return orjson.dumps([fragment.digest, full, start, end, epoch, key, list(fragment.reads),
                         decode.__name__ if decode is not None else "", where])


def row(digest: str, output: str, log) -> str:
    """The cache row of a log kept with the record (digest, output hash) of its render
    (`log`: its bytes, or a view of them: render/pool.py `_Buffers`): a whole render's
    log (the base), or what a splice changed since it (`Spliced.log`)."""
    return f"{digest} {output}\n" + str(log, "utf-8")


class Spliced:
    """A list made from its log: its bytes, its reads, what the next build needs of its
    log (`log`: the lines changed since the base, `Since`'s bytes, kept under
    `log_key`), the memo key of its base log (`kept`) and the new digests of its changed
    lines (`checked`). The rows it still shows are named by its log, not one by one:
    `listed` is how many lines it has (the builder counts them as rows used, and names
    the log with its new record for the next build's trusted rows: write/state.py
    `keep_rows`, render/fragments.py `FragmentMemo.listed`)."""

    __slots__ = ("data", "reads", "log", "kept", "checked", "log_key", "sha256", "listed")

    def __init__(self, data: bytes, reads: frozenset[str], log: bytes, kept: list[str], checked: list[str],
                 log_key: str, sha256: str = "", listed: int = 0):
        self.data, self.reads, self.log, self.kept, self.checked = data, reads, log, kept, checked
        # the sha256 of `data` when it is the last build's file as it was (every changed
        # fragment drawn again to the bytes of its span): that file's, checked above; "" otherwise
        self.log_key, self.sha256, self.listed = log_key, sha256, listed


def since_key(key: str) -> str:
    """The cache key of what the splices since a list's base log changed in it (the
    base's key, `log_key`, and `|since`)."""
    return key + "|since"


def base_of(key: str) -> str:
    """The log key whose `since_key` is `key`."""
    return key[:-len("|since")] if key.endswith("|since") else key


def _since_bytes(base: bytes, shifts: list, lines: dict[int, bytes]) -> bytes:
    """What a splice leaves for the next build beside the base log (whose first line is
    `base`): a head line (JSON: the base's first line, the shifts since the base), then
    every line changed since, after its index and a space, in order. The builder puts
    it in the cache under the list's new record (`row`): a few kilobytes where the whole
    log was rewritten (35 MB a hero edit at 10,000 heroes: sealed, written, read back
    and checked by the next build)."""
    head = orjson.dumps({"form": FORM, "base": base.decode("ascii", "replace"), "shifts": shifts})
    return b"\n".join([head, *(b"%d %s" % (index, lines[index]) for index in sorted(lines))])


def _since(text: bytes | None, record: Any, base: bytes) -> tuple[list, dict[int, bytes]] | None:
    """The shifts and changed lines (`_since_bytes`) kept with `record` (the last build's)
    over the base log whose first line is `base`, or None: none kept, or kept with
    another record or over another base."""
    if text is None:
        return None
    first, sep, rest = text.partition(b"\n")
    if not sep or first != f"{record.digest} {record.output}".encode():
        return None
    head, _, body = rest.partition(b"\n")
    found = _json(head)
    if not (isinstance(found, dict) and found.get("form") == FORM and found.get("base") == base.decode("ascii", "replace")
            and _shifts(found.get("shifts"))):
        return None
    lines = {}
    for line in body.split(b"\n") if body else ():
        index, sep, text = line.partition(b" ")
        if not (sep and index.isdigit() and text):
            return None
        lines[int(index)] = text
    return [tuple(shift) for shift in found["shifts"]], lines


def _patched(body: bytes, lines: dict[int, bytes]) -> bytes | None:
    """The base log's `body` with its lines at `lines`' indexes replaced; None when one
    is past its end."""
    if not lines:
        return body
    split = body.split(b"\n")
    if max(lines) >= len(split):
        return None
    for index, line in lines.items():
        split[index] = line
    return b"\n".join(split)


def logged(known: Any, base_key: str, digest: str, output: str) -> tuple | None:
    """The log kept under `base_key` with the record (`digest`, `output`) of its list:
    (its base's first line, the list's own reads, the shifts since the base, the lines
    changed since by index, the body with those lines in), or None: none kept, not of
    this form, or kept with another record (the base's own, or what the splices since
    changed, `since_key`). `known`: the fragments table (engine/memo.py StoredFragments)."""
    text = known.text(base_key)
    if text is None:
        return None
    first, sep, rest = text.partition(b"\n")
    head, sep, body = rest.partition(b"\n") if sep else (b"", b"", b"")
    found = _json(head)
    if not (sep and isinstance(found, dict) and found.get("form") == FORM and _texts(found.get("own"))
            and _shifts(found.get("shifts"))):
        return None
    own, shifts = frozenset(found["own"]), [tuple(shift) for shift in found["shifts"]]
    lines: dict[int, bytes] = {}   # the lines changed since the base, by index
    if first != f"{digest} {output}".encode():
        # not the base's render: the lines the splices since changed (`Since`), kept with the last record
        since = _since(known.text(since_key(base_key)), _Record(digest, output), first)
        if since is None:
            return None   # kept with another render of the list than the one asked for
        shifts, lines = since
        body = _patched(body, lines)
        if body is None:
            return None
    return first, own, shifts, lines, body


class _Record:
    """What `_since` reads of a record: its digest and output hash."""

    __slots__ = ("digest", "output")

    def __init__(self, digest: str, output: str):
        self.digest, self.output = digest, output


def listed_digests(known: Any, listed: Any) -> set[str]:
    """The digests of the rows the lists `listed` show ((log key, record digest, output
    hash) each: what a build that spliced them names, write/state.py `keep_rows`), read
    from their logs: a log gone or kept with another record since gives none (its rows
    are then checked by their digest). Made only when a row that none of the loose
    digests names is asked for (render/fragments.py `FragmentMemo._fresh`)."""
    found: set[str] = set()
    for base_key, digest, output in listed:
        log = logged(known, base_key, digest, output)
        if log is not None:
            found.update(_kept(log[4])[1])
    return found


def splice(memo: Any, asker: Asker, exporter: str, path: str, fragment: Any) -> Spliced | None:
    """`path` made from the last build's file and log, or None (render it whole).
    `asker`: the exporter's (`Asker`); `fragment(key, render, reads=None, decode=None)`
    asks the memo as the list would (render/pool.py): what it makes is recorded and
    stored as any render's."""
    if not can_splice(memo):
        return None
    record = memo.previous.get(path)
    # a record of an exporter the last build did not run (a `--only html` build since)
    # was carried over from an older build: keys changed before the last build are not
    # in `changed`, and a row they made stale would be left in as it was
    if record is None or not record.output or record.exporter not in memo.ran:
        return None
    base_key = log_key(memo, exporter, path)
    found = logged(memo.known, base_key, record.digest, record.output)
    if found is None:
        return None
    first, own, shifts, lines, body = found
    changed = memo.changed
    if not changed.isdisjoint(own) or len(own) > WIDE_OWN:
        return None
    # only the changed keys the list read (through its fragments), each looked for in
    # the log's text: a build after a large change has thousands of changed keys
    relevant = changed.intersection(record.reads)
    if len(relevant) > MAX_SPLICED:
        return None
    stale = _stale(body, relevant)
    if not stale or len(stale) > MAX_SPLICED or len(shifts) + len(stale) > MAX_SHIFTS:
        return None   # nothing it shows changed (a key it read went), or too much: rendered whole
    old = _read(memo.build_dir, path)
    if old is None or hashlib.sha256(old).hexdigest() != record.output:
        return None
    spans = []   # (start, end in the old bytes, its line's [start, end) in the body, the line, new bytes, new fragment, new sort)
    sorts: dict[tuple[int, int], Any] = {}   # (run, index) → the new sort key of a changed fragment in a sorted run
    for (line_start, line_end), line in stale.items():
        _, full, start, end, epoch, key, _, decode, where = line
        ask = asker.ask(key, decode)
        if ask is None:
            return None
        for shift_at, grew in shifts[epoch:]:   # where its span is now (SpanLog.where)
            if shift_at < start:
                start, end = start + grew, end + grew
        value = ask(fragment)
        data = asker.place(key, value, where[4] if where is not None else None)
        new = memo.made.get(full)
        if type(data) is not bytes or not data or new is None or not 0 <= start < end <= len(old):
            return None
        sort = None
        if where is not None:
            sort = sorts[(where[0], where[1])] = asker.sort(key, value)
        spans.append((start, end, line_start, line_end, line, data, new, sort))
    if sorts and not _in_place(body, stale, sorts):
        return None   # a fragment that moves in its run (a renamed hero): rendered whole
    spans.sort(key=lambda span: span[0])
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
        return None
    # Every changed fragment drawn again to the very bytes of its span (a value edit the
    # list does not show: a card shows the level, not the xp it is made from): the list
    # is the last build's file, whose sha256 was checked above — neither copied and
    # joined again nor hashed again by the worker (after one value edit at 10,000
    # heroes nine such lists, ~38 MB; docs/performance.md edit41)
    same = all(old[start:end] == data for start, end, _, _, _, data, _, _ in spans)
    pieces, at, grown, placed = [], 0, 0, []
    for start, end, line_start, line_end, line, data, new, sort in spans:
        if not same:
            pieces += [old[at:start], data]
        at = end
        shifts.append((start + grown, len(data) - (end - start)))   # SpanStore.splice's frame
        placed.append(start + grown)
        grown += len(data) - (end - start)
    if not same:
        pieces.append(old[at:])
    digests = {}   # each changed line's index → its new fragment's digest
    index, counted = 0, 0   # the lines before `counted` in the body (spans are in order of their lines too)
    for (start, end, line_start, line_end, line, data, new, sort), new_start in zip(spans, placed):
        where = line[8]
        if where is not None:
            where = [*where[:3], sort, where[4]]
        if line_start < counted:
            return None   # a log whose lines are not in the order of their spans: not ours
        index, counted = index + body.count(b"\n", counted, line_start), line_start
        lines[index] = orjson.dumps([new.digest, line[1], new_start, new_start + len(data), len(shifts),
                                     line[5], list(new.reads), line[7], where])
        digests[index] = new.digest
    reads = _reads(record.reads, own, body, stale, [span[6] for span in spans])
    if reads is None:
        return None
    # The rows the list shows are its log's (`Spliced.listed`): not one key and digest a
    # line made, sent and taken here (~105,000 of each after one value edit at 10,000
    # heroes, docs/performance.md splice42); only the changed lines' new digests. The
    # base's memo key is kept alive in the cache with the rows: it is not written again.
    return Spliced(old if same else b"".join(pieces), reads, _since_bytes(first, shifts, lines), [base_key],
                   list(digests.values()), since_key(base_key), record.output if same else "",
                   body.count(b"\n") + 1)


def _in_place(body: bytes, stale: dict, sorts: dict) -> bool:
    """Whether each changed fragment of a sorted run stays where it is: its new sort key
    strictly between its neighbours' (a changed neighbour's new one), the same place
    whatever a stable sort does with ties (render/spans.py `SpanStore.splice`). A run's
    fragments are logged on lines one after the other, in its order (a page prints a
    `cards()` call's cards in one loop, the search index its entries in one list), so
    each neighbour is the line before or after; anything else is taken as a move."""
    for (line_start, line_end), line in stale.items():
        where = line[8]
        if where is None:
            continue
        run, index, count, sort = where[0], where[1], where[2], sorts[(where[0], where[1])]
        if index > 0:
            before = sorts.get((run, index - 1))
            if before is None:
                before = _neighbour(body, body.rfind(b"\n", 0, line_start - 1) + 1, line_start - 1, run, index - 1) \
                    if line_start > 0 else _NO
            if before is _NO or not _below(before, sort):
                return False
        if index + 1 < count:
            after = sorts.get((run, index + 1))
            if after is None:
                end = body.find(b"\n", line_end + 1)
                after = _neighbour(body, line_end + 1, len(body) if end < 0 else end, run, index + 1)
            if after is _NO or not _below(sort, after):
                return False
    return True


_NO = object()


def _neighbour(body: bytes, start: int, end: int, run: int, index: int) -> Any:
    """The sort key on the line body[start:end] when it is fragment `index` of `run`, else _NO."""
    if start < 0 or end <= start:
        return _NO
    line = _line_of(body[start:end])
    if line is None or line[8] is None or line[8][0] != run or line[8][1] != index:
        return _NO
    return line[8][3]


def _below(a: Any, b: Any) -> bool:
    """a < b, False where the two do not compare (keys of another shape)."""
    try:
        return bool(a < b)
    except TypeError:
        return False


def _stale(body: bytes, changed: frozenset[str]) -> dict[tuple[int, int], list] | None:
    """The lines of fragments that read a key of `changed`, by their [start, end) in
    `body`, decoded: found by each key's JSON text, then checked (a key's text can
    stand in another field too). None when a line does not decode as one; the search
    stops past MAX_SPLICED lines (a key every row reads: the list is rendered whole)."""
    found: dict[tuple[int, int], list] = {}
    for key in changed:
        needle = orjson.dumps(key)
        at = body.find(needle)
        while at >= 0 and len(found) <= MAX_SPLICED:
            start = body.rfind(b"\n", 0, at) + 1
            end = body.find(b"\n", at)
            end = len(body) if end < 0 else end
            if (start, end) not in found:
                line = _line_of(body[start:end])
                if line is None:
                    return None
                if not changed.isdisjoint(line[6]):
                    found[(start, end)] = line
            at = body.find(needle, end)
    return found


def _line_of(text: bytes) -> list | None:
    line = _json(text)
    if not (isinstance(line, list) and len(line) == 9 and type(line[0]) is str and type(line[1]) is str
            and all(type(n) is int and n >= 0 for n in line[2:5]) and line[2] < line[3] and type(line[5]) is str
            and _texts(line[6]) and type(line[7]) is str and (line[8] is None or _where(line[8]))):
        return None
    return line


def _where(value: Any) -> bool:
    """A line's place in a sorted run: [run, index, count, sort key, logged]."""
    return (isinstance(value, list) and len(value) == 5 and all(type(n) is int and n >= 0 for n in value[:3])
            and value[1] < value[2])


def _reads(before: tuple[str, ...], own: frozenset[str], body: bytes, stale: dict, made: list) -> frozenset[str] | None:
    """The list's reads after the splice: the last render's (`before`, its record's),
    less each key only the changed fragments read before, plus what they read now."""
    reads = set(before)
    dropped = set()
    for line in stale.values():
        dropped.update(line[6])
    for new in made:
        dropped.difference_update(new.reads)
    for key in dropped - own:
        if not _read_elsewhere(body, key, stale):
            reads.discard(key)
    for new in made:
        reads.update(new.reads)
    return frozenset(reads)


def _read_elsewhere(body: bytes, key: str, stale: dict) -> bool:
    """Whether a line other than the changed ones reads `key`."""
    needle = orjson.dumps(key)
    at = body.find(needle)
    while at >= 0:
        start = body.rfind(b"\n", 0, at) + 1
        end = body.find(b"\n", at)
        end = len(body) if end < 0 else end
        if (start, end) not in stale:
            line = _line_of(body[start:end])
            if line is None or key in line[6]:
                return True   # (a line that does not decode: kept, the safe side)
        at = body.find(needle, end)
    return False


def _kept(body: bytes) -> tuple[list[str], list[str]]:
    """The memo keys and digests of every line: sliced from each line's start
    (`["<64 hex digits>","<key>",`) when no key holds a backslash (every key foundry
    makes), a third of a pattern's cost (23,000 lines of bundle.json's log: ~0.01 CPU-s)."""
    if b"\\" not in body:
        try:
            lines = body.split(b"\n")
            return [line[69:line.index(b'"', 69)].decode("utf-8") for line in lines], \
                [line[2:66].decode("ascii") for line in lines]
        except (ValueError, UnicodeDecodeError):
            pass   # not our lines: what the pattern finds
    keys, digests = [], []
    for digest, full in _ANY_LINE_HEAD.findall(body):
        keys.append(full.decode("utf-8") if b"\\" not in full else orjson.loads(b'"' + full + b'"'))
        digests.append(digest.decode("ascii"))
    return keys, digests


def _json(text: bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return None


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(type(item) is str for item in value)


def _shifts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(shift, list) and len(shift) == 2
                                           and all(type(n) is int for n in shift) for shift in value)


def _read(build_dir: Path, path: str) -> bytes | None:
    """build/<path> as the last build wrote it: a regular file inside the project, or None."""
    try:
        return boundary(build_dir.parent).read(build_dir / path, MAX_LIST_BYTES)
    except OSError:
        return None
