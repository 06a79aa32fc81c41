"""Early cutoff with the JSON API: a build whose changed files all parse to the values
the last build recorded, but whose bytes the manifest shows, remakes only the lists
that show them, from the files the last build wrote and its sealed records: no World.

engine/cutoff.py stops a build whose changed files keep their values and whose bytes
no output read. With the JSON API that is never so: manifest.json and bundle.json
(and their copies in the site) show each file's sha256 (`content_hash`), a read of
the key `file:<path>` (load/byte_reads.py). After a comment edit a clean build differs
from the last one there and nowhere else — every other output is keyed by values
(docs/performance.md cutoff26) — and its state differs in those lists' records (their
digests and output hashes), in the files' hashes and in the fingerprint.

So each record of an exporter the last build ran that read a changed file's bytes is
spliced from the file that build wrote, by the span log it kept (render/stored_spans.py
`splice`: what a build's worker does), its stale fragments being manifest entries made
from their kind, id, path and new hash alone (exporters/json_api/manifest_entries.py
`manifest_fragment`: the render's own function). Any other reader (a book placing a
diagnostic by the file's text, a localized view reading a translator's line ids, a
list whose log is gone or whose record had problems) and the build loads as usual.

Written: those lists (each atomically, in place: write/in_place.py, the summary
removed first), the state (the last one's JSON with those records, the files' hashes
and the fingerprint moved on: the bytes a build that rendered them writes), the
summary; then what the next build trusts, as a build leaves it: the lists' logs and
new rows, the rows' digests, the outputs' and the state's stats, engine/cutoff.py's
record of the files, and the parse table's note.

Nothing in the checkout is trusted beyond what engine/cutoff.py trusts: the state is
sealed and must hash to the sealed summary's `state`; each list's file must hash to
its record's output (the splice checks it); each stale fragment's stored row (sealed)
must be what the render's function makes from the old hash, reading exactly the
file's bytes and its entity, and hold under the last build's hashes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..load.byte_reads import key as file_key
from ..render.digest import digest
from ..write.state import (SUMMARY_FILE, STATE_FILE, Record, Summary, reads_of, state_data, state_file_bytes,
                           summary_again, verified_fields, verified_of)

JSON = "json"   # the exporter whose lists show the files' hashes (exporters/json_api: JsonExporter.name)
# More lists than this to splice: not an edit of a few files' comments (loaded as usual).
MAX_LISTS = 16


class _Unmade(Exception):
    """A stale fragment this module cannot make without the World: load as usual."""


class _Memo:
    """What render/stored_spans.py `splice` asks of a FragmentMemo: the changed keys,
    the last build's records of the lists (`previous`) and its exporters (`ran`), the
    stored rows and logs (`known`), the recipes, build/, and the fragments made here."""

    def __init__(self, changed: frozenset[str], previous: dict[str, Record], ran: frozenset[str], known,
                 recipes: dict[str, str], build_dir: Path):
        self.changed, self.previous, self.ran, self.known = changed, previous, ran, known
        self.recipes, self.build_dir = recipes, build_dir
        self.made: dict = {}


def remake(root: Path, build_dir: Path, kept: dict, known: dict[str, str], sources: str,
           summary: Summary) -> list[str] | None:
    """Remake, without the World, the outputs the last build made that show the bytes
    of a changed file: `kept` is engine/cutoff.py's record of that build's files (each
    changed file of `known`, their sha256 now, parsed to the value kept, `unchanged_values`),
    `sources` the fingerprint now, `summary` build/'s (read_summary's: build/ as that
    build left it). Returns the paths written under build/, or None when that cannot
    be done here (nothing is written then: the build loads as usual). Raises
    OutputError when a file cannot be written (build/'s summary may then be gone: the
    next build is not a no-op)."""
    from ..write.in_place import InPlace
    if not InPlace.usable(build_dir):
        return None
    files = kept["files"]
    changed = {rel: (files[rel][0], sha) for rel, sha in known.items() if files[rel][0] != sha}
    keys = {file_key(rel): shas for rel, shas in changed.items() if files[rel][2]}
    data = state_data(build_dir, summary.state)
    if not keys or data is None:
        return None
    found = _stale(data, keys)
    if found is None:
        return None
    hashes, stale = found
    made = _spliced(root, build_dir, data, stale, changed, hashes)
    if made is None:
        return None
    writes, rows, logs, fragments = made
    data["sources"] = sources
    state_bytes = state_file_bytes(build_dir, data)
    state_sha = hashlib.sha256(state_bytes).hexdigest()
    summary_bytes = summary_again(build_dir, sources, state_sha)   # read before the commit removes it
    if summary_bytes is None:
        return None
    out = InPlace(root, build_dir, set(writes))
    for path, (original, content, _) in writes.items():
        if original is None:
            out.write(path, content)
    for path, (original, content, _) in writes.items():
        if original is not None:
            out.duplicate(path, original, content)
    out.write(STATE_FILE, state_bytes)
    out.write(SUMMARY_FILE, summary_bytes)
    out.commit()
    _kept_for_next(root, build_dir, kept, known, state_bytes, state_sha, summary, writes, rows, logs, fragments)
    return sorted(writes)


def _stale(data: dict, keys: dict[str, tuple[str, str]]) -> tuple[dict[str, str], dict[int, list[str]]] | None:
    """This build's hashes (the last state's `verified` with the changed files' bytes
    moved on: every key a record of an exporter that ran read, so every key the stale
    records and their fragments read) and the stale records (index in the state's
    `records` → the paths sharing it, sorted); None when the state does not say the
    files' hashes were the kept ones, or the records are not of the shape written."""
    ran, records, artifacts = data.get("ran"), data.get("records"), data.get("artifacts")
    table = data.get("keys")
    if not (isinstance(ran, list) and isinstance(records, list) and isinstance(artifacts, dict)
            and isinstance(table, list)):
        return None
    verified = verified_of(data, table)   # write/state.py FORMAT 9: a hash per key of `keys`
    if verified is None:
        return None
    if any(verified.get(key) != old for key, (old, _) in keys.items()):
        return None
    ran = set(ran)
    # a record names what it read by index into the state's `keys` (write/state.py FORMAT 8)
    at = {index for index, key in enumerate(table) if key in keys}
    stale = {index: [] for index, record in enumerate(records)
             if isinstance(record, list) and len(record) >= 4 and record[0] in ran
             and isinstance(record[3], list) and not at.isdisjoint(record[3])}
    if not stale or len(stale) > MAX_LISTS:
        return None
    for path, index in artifacts.items():
        if index in stale:
            stale[index].append(path)
    hashes = dict(verified)
    hashes.update({key: new for key, (_, new) in keys.items()})
    return hashes, {index: sorted(paths) for index, paths in stale.items()}


def _spliced(root: Path, build_dir: Path, data: dict, stale: dict[int, list[str]],
             changed: dict[str, tuple[str, str]], hashes: dict[str, str]):
    """Each stale record's list spliced (render/stored_spans.py) and its record in `data`
    (the state's JSON) moved on: (path → (its original's path or None, its bytes, their
    sha256), the rows the lists show (the changed ones' digests, and each list by its
    log: write/state.py `keep_rows`), the logs to keep by cache key, the new rows by
    key); None when one cannot be spliced here."""
    from ..exporters.json_api.manifest_entries import indented, manifest_fragment
    from ..load.cache import ParseCache
    from ..render.spans import Ask
    from ..render import stored_spans
    from ..render.fragments import Fragment
    from .cutoff import entity_of
    from .memo import StoredFragments
    known = StoredFragments(ParseCache(root, "fragments"))
    old_hashes = verified_of(data, data["keys"])   # `_stale` found it of the shape written
    entries = {}   # a manifest fragment's key → (kind, id, path) of a changed file whose bytes it shows
    for rel in changed:
        kind, eid = entity_of(rel)
        entries[f"manifest:{kind}:{eid}"] = (kind, eid, rel)
    decoders = {"": None, indented.__name__: indented}   # how the bundle and manifest.json place an entry

    def ask(key: str, decode: str) -> Ask | None:
        """A stale line's fragment asked for again (JsonExporter.reask's, for the manifest's
        entries: their `make` is never called here, `fragment` makes them)."""
        return Ask(key, None, decoders[decode]) if key in entries and decode in decoders else None
    asker = stored_spans.Asker(ask)
    writes, rows, logs = {}, (set(), []), {}   # rows: the digests, and the lists by their logs (keep_rows)
    made_all: dict = {}
    for index, paths in stale.items():
        fields = data["records"][index]
        if len(fields) != 5 or fields[0] != JSON:   # a record with problems: its render says them
            return None
        try:
            record = Record(fields[0], fields[1], reads_of(data["keys"], fields[3]), fields[2], fields[4])
        except (TypeError, IndexError):
            return None
        memo = _Memo(frozenset(file_key(rel) for rel in changed), dict.fromkeys(paths, record),
                     frozenset(data["ran"]), known, {record.exporter: record.recipe}, build_dir)

        def fragment(key, render, reads=None, decode=None, memo=memo, record=record):
            full = f"{record.exporter}:{record.recipe}|{key}"
            new = memo.made.get(full)
            if new is None:
                if key not in entries:
                    raise _Unmade(key)
                kind, eid, rel = entries[key]
                old_sha, new_sha = changed[rel]
                wanted = tuple(sorted((file_key(rel), f"{kind}:{eid}")))
                old = known.get(full)
                # the row the lists placed: the function's bytes for the old hash, read
                # from nothing else, holding under the last build's hashes
                if old is None or old.reads != wanted or old.data != manifest_fragment(kind, eid, rel, old_sha) \
                        or old.digest != digest(wanted, old_hashes):
                    raise _Unmade(key)
                new = memo.made[full] = Fragment(wanted, digest(wanted, hashes), manifest_fragment(kind, eid, rel, new_sha))
            return decode(new.data) if decode is not None else new.data

        spliced, original = None, None
        for path in paths:   # the copies (`Planned.copy_of`) share the original's record; its log is the original's
            try:
                spliced = stored_spans.splice(memo, asker, record.exporter, path, fragment)
            except _Unmade:
                return None
            if spliced is not None:
                original = path
                break
        if spliced is None or spliced.reads != frozenset(record.reads):
            return None
        output = hashlib.sha256(spliced.data).hexdigest()
        fields[2], fields[4] = digest(record.reads, hashes), output
        for path in paths:
            writes[path] = (None if path == original else original, spliced.data, output)
        rows[0].update(spliced.checked)
        rows[1].append((stored_spans.base_of(spliced.log_key), fields[2], output))   # its rows: its log's
        logs[spliced.log_key] = stored_spans.row(fields[2], output, spliced.log)
        made_all.update(memo.made)
    data.update(verified_fields(hashes, data["keys"]))
    return writes, rows, logs, made_all


def _kept_for_next(root: Path, build_dir: Path, kept: dict, known: dict[str, str], state_bytes: bytes,
                   state_sha: str, summary: Summary, writes: dict, rows: tuple, logs: dict[str, str],
                   fragments: dict) -> None:
    """What a build leaves for the next one, after build/ holds the new lists, state and
    summary: each list's log and its new rows, the rows' digests bound to the new state
    (write/state.py `keep_rows`), the record of the files (engine/cutoff.py), the stats
    of the outputs written and of the state and build/'s folders (the no-op's), and the
    parse table's note when the file was noted before these rows were written into it."""
    from ..load.cache import ParseCache, note_unchanged, vouched
    from ..write.state import OutputHashes, keep_rows, vouch_built
    from .cutoff import move_inputs
    nonce = vouched(root)
    cache = ParseCache(root, "fragments")
    for key, fragment in fragments.items():
        cache.put_row(key, fragment.to_row())
    for key, text in logs.items():
        cache.put_row(key, text)
    cache.save(prune=False)
    keep_rows(root, state_bytes, *rows)
    move_inputs(root, kept, known, state_sha)
    outputs = OutputHashes(root)
    memo = outputs.memo
    memo.seen.update(memo.known)   # every other output's row stands: it is saved with these
    memo.settle()
    for path, (_, _, output) in writes.items():
        memo.note(build_dir / path, path, output)
    memo.save()
    # only the lists' folders were changed (renamed over): the others are vouched for unlisted
    vouch_built(build_dir, summary.paths, state_bytes, state_sha, settled=True,
                moved=(summary.state, {path.rpartition("/")[0] for path in writes}))
    if nonce is not None:
        note_unchanged(root, nonce)
