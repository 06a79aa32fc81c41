"""A list artifact spliced from its last bytes at its fragments' spans (`foundry serve`).

A list (bundle.json, heroes.json, the home page, an index, the search page) is made of
its fragments (render/fragments.py) placed between bytes of its own. A save that edits
one hero used to render it again all the same: ask each of its 10,000-30,000 fragments
(each found in the memo), join them, and compare the whole file with the old one.

The resident engine (engine/resident.py) keeps, for each list it rendered, a `SpanLog`:
the bytes, the input keys the list's render read itself (`own`: outside any fragment),
every fragment it asked for by its memo key, and for each fragment it placed as it is
(`Placed`) the byte span it fills. A list render is a function of what it read itself
and of the values of the fragments it asked for, so when none of its own reads changed
since (the engine knows the keys that did), the render would ask for the same fragments
and put the same bytes around them. Then only the fragments whose reads changed — the
engine's index of fragment reads names them, by construction from what each recorded
(engine/read_index.py) — are made again, and their new bytes put in at their spans.

Anything else is rendered whole, as before: a list whose own reads changed (a hero
added or removed: `heroes*`), a changed fragment the list asked for but does not place
as it is (a value it computes with: the manifest's indented entries, a template's
closure, the ids of a linked page), a changed fragment that moves in the list's order
(`Placed.order`: a card whose sort key passes a neighbour's, a rename), a card whose
links change (the page's link check would then have to look again), a render that
reported anything, a log made under other input hashes than the engine's last.
`tests/speed/test_list_spans.py` holds the spliced bytes equal to a clean build's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

Fragment = Callable[..., Any]   # RenderContext.fragment: (key, render, reads=None, decode=None) -> bytes | decoded
# More changed fragments than this in one list: rendered whole (a splice is for a save's few).
MAX_SPLICED = 256
# More keys than this read by a list itself: it is not logged (see SpanStore.keep).
WIDE_OWN = 512
# Shifts a log keeps before moving every span (`SpanLog.settle`).
MAX_SHIFTS = 256


class Ask:
    """One fragment as a list asks for it: `ask(fragment)` is `fragment(key, render,
    decode=decode)` where `render(world)` is `make(world, fragment)`. Kept by a
    `Placed`, so that the engine can ask for it again without the list: `make` must
    read nothing but the view it is handed and the `fragment` function it is given
    (never the RenderContext of the render that first asked). A plain class: a list
    makes 10,000-30,000 of them."""

    __slots__ = ("key", "make", "decode")

    def __init__(self, key: str, make: Callable[[Any, Fragment], bytes], decode: Callable[[bytes], Any] | None = None):
        self.key, self.make, self.decode = key, make, decode

    def __call__(self, fragment: Fragment) -> Any:
        return fragment(self.key, lambda world: self.make(world, fragment), decode=self.decode)


def verbatim(value: bytes) -> bytes:
    """A fragment placed as its bytes (the JSON API's rows)."""
    return value


@dataclass
class Order:
    """The sort keys of one run of placed fragments, in the order the list shows them
    (a page's cards, the search index's entries)."""

    keys: list


class Placed:
    """A fragment placed as it is: `ask` makes it again, `place(value)` gives the bytes
    its value fills the span [start, end) with (None: not in place, render the list
    whole); `order` and `at`: its run's sort keys and its index there (None: its place
    does not depend on its value), `sort(value)` its sort key; `epoch`: how many of its
    log's `shifts` were made before [start, end) was. A plain class: a list places
    10,000-30,000 of them."""

    __slots__ = ("ask", "start", "end", "place", "order", "at", "sort", "epoch")

    def __init__(self, ask: Ask, start: int, end: int, place: Callable[[Any], bytes | None] = verbatim,
                 order: Order | None = None, at: int = 0, sort: Callable[[Any], Any] | None = None):
        self.ask, self.start, self.end, self.place = ask, start, end, place
        self.order, self.at, self.sort, self.epoch = order, at, sort, 0


@dataclass
class SpanLog:
    """What one list render leaves for the next save (filled while it renders).
    `placed`: by the fragment's key as the exporter asked for it; `full`: that key as
    the memo keeps it (exporter, recipe, language), for every fragment the render asked
    for itself (not those asked by a fragment's own render); `fragments`: by the memo's
    key, the fragment each ask found or made (their reads make the list's)."""

    placed: dict[str, Placed] = field(default_factory=dict)
    full: dict[str, str] = field(default_factory=dict)
    fragments: dict[str, Any] = field(default_factory=dict)
    splices: bool = True    # False: something of this render is not in its spans (a page checked whole)
    # set when kept (SpanStore.keep)
    data: bytes = b""
    own: frozenset[str] = frozenset()
    hashes: Any = None
    counts: Counter | None = None    # how many of `own` and the fragments read each key (made on the first splice)
    by_full: dict[str, str] = field(default_factory=dict)   # memo key → `placed`'s key
    # (where, by how much) each splice since moved the bytes after a changed span: a span
    # is where it was placed, moved by the shifts after its `epoch` (not every span of
    # 30,000 moved on every save)
    shifts: list[tuple[int, int]] = field(default_factory=list)

    def place(self, placed: Placed) -> None:
        self.placed[placed.ask.key] = placed

    def where(self, placed: Placed) -> tuple[int, int]:
        """[start, end) of `placed` in `data` now."""
        start, end = placed.start, placed.end
        for at, grew in self.shifts[placed.epoch:]:
            if at < start:
                start, end = start + grew, end + grew
        return start, end

    def settle(self) -> None:
        """Every span moved to where it is now, the shifts forgotten."""
        for placed in self.placed.values():
            placed.start, placed.end = self.where(placed)
            placed.epoch = 0
        self.shifts = []


class SpanStore:
    """The span logs of the lists the resident engine rendered, by artifact path, valid
    under the input hashes of the build that made them. `begin` is told, for each
    build, the hashes the engine's fragments were checked or made under, the keys
    changed since and the fragments found stale by them."""

    def __init__(self) -> None:
        self.logs: dict[str, SpanLog] = {}
        self._changed: frozenset[str] | None = None
        self._stale: set[str] = set()
        self.spliced: list[str] = []    # paths spliced by the current build (the tests read it)
        # lists whose last log could never splice (see `keep`): rendered without one (a
        # log costs a list of 10,000 cards ~0.03 CPU-s) until a build whose changes are not known
        self.unlogged: set[str] = set()

    def begin(self, before: Any, changed: frozenset[str] | None, stale: list[str]) -> None:
        """A build whose fragments were checked against the hashes `before` (the object
        the last rendering build used), with `changed` the keys changed since (None: not
        known) and `stale` the fragments that read one. Logs made under other hashes
        are dropped."""
        self._changed, self._stale = changed, set(stale)
        self.spliced = []
        if changed is None:
            self.logs, self.unlogged = {}, set()
        else:
            self.logs = {path: log for path, log in self.logs.items() if log.hashes is before}

    def logs_for(self, path: str) -> bool:
        """Whether a render of list `path` should log its spans."""
        return path not in self.unlogged

    def keep(self, path: str, log: SpanLog, data: bytes, own: frozenset[str], hashes: Any) -> None:
        """`log` of a list render that reported nothing. Kept when the list can splice:
        it placed what it asked for, as it is, and what it read itself is few keys (a
        list that reads every entity itself, the credits page's authors once did, is
        stale in itself on every save) that all have a hash (a key without one never
        changes, so it could not tell that what the list showed did)."""
        self.logs.pop(path, None)
        log.by_full = {log.full[key]: key for key in log.placed if key in log.full}
        # an empty fragment's span has no bytes to tell which side of it a neighbour
        # starting at the same byte is on: a splice there put the neighbour's bytes
        # over another's (a theme's card that prints nothing for some heroes)
        if not log.splices or not log.placed or len(log.by_full) != len(log.placed) or len(own) > WIDE_OWN \
                or not all(key in hashes for key in own) or any(p.start == p.end for p in log.placed.values()):
            self.unlogged.add(path)
            return
        log.data, log.own, log.hashes = data, own, hashes
        self.logs[path] = log

    def splice(self, path: str, fragment: Fragment, made: dict[str, Any], hashes: Any) -> tuple[bytes, frozenset[str]] | None:
        """The bytes and reads of list `path` made from its log, or None (render it
        whole). `fragment` asks through this build's memo (what it makes is recorded
        and stored as any render's); `made`: the memo's fragments by memo key."""
        log = self.logs.pop(path, None)   # taken: kept again only when spliced (else the render logs anew)
        changed = self._changed
        if log is None or changed is None or not changed.isdisjoint(log.own):
            return None
        stale = [key for key in self._stale if key in log.fragments]
        if len(stale) > MAX_SPLICED or any(key not in log.by_full for key in stale):
            return None
        if not stale:   # nothing it shows changed (its reads did: a key it read twice, a fragment gone)
            return None
        counts = log.counts
        if counts is None:
            counts = Counter(log.own)
            for old in log.fragments.values():
                counts.update(old.reads)
        # each changed fragment made again, and put where it was when it keeps its place
        spans, touched = [], {}
        for key in stale:
            placed = log.placed[log.by_full[key]]
            value = placed.ask(fragment)
            data = placed.place(value)
            new = made.get(key)
            if not data or new is None:   # None, or empty: see `keep`
                return None
            if placed.order is not None:
                touched.setdefault(id(placed.order), (placed.order, {}))[1][placed.at] = placed.sort(value)
            spans.append((placed, data, key, new))
        for order, sorts in touched.values():
            keys = order.keys
            for at, value in sorts.items():
                before = sorts.get(at - 1, keys[at - 1]) if at > 0 else None
                after = sorts.get(at + 1, keys[at + 1]) if at + 1 < len(keys) else None
                # strictly between its neighbours: the same place whatever a stable sort does with ties
                if (before is not None and not before < value) or (after is not None and not value < after):
                    return None
        # where each changed span is now (its log's shifts since it was placed), in order
        spans = sorted(((log.where(placed), placed, data, key, new) for placed, data, key, new in spans),
                       key=lambda item: item[0][0])
        old, pieces, at = log.data, [], 0
        for (start, end), _, data, _, _ in spans:
            pieces += [old[at:start], data]
            at = end
        pieces.append(old[at:])
        out = b"".join(pieces)
        # the log brought up to the new bytes: a span after a changed one moves by its
        # growth (kept as shifts, applied when a span is next asked where it is)
        grown = 0
        gone = []
        for (start, end), placed, data, key, new in spans:
            gone += log.fragments[key].reads
            counts.subtract(log.fragments[key].reads)
            counts.update(new.reads)
            log.fragments[key] = new
            # where it starts once the changed spans before it have moved: the frame a
            # span placed before it is in when `where` comes to this shift
            log.shifts.append((start + grown, len(data) - (end - start)))
            placed.start, placed.end = start + grown, start + grown + len(data)
            grown += len(data) - (end - start)
        for (start, end), placed, data, key, new in spans:
            placed.epoch = len(log.shifts)
        for order, sorts in touched.values():
            for at, value in sorts.items():
                order.keys[at] = value
        for key in gone:   # a key no longer read by anything of the list
            if counts.get(key, 1) <= 0:
                del counts[key]
        if len(log.shifts) > MAX_SHIFTS:
            log.settle()
        log.data, log.hashes, log.counts = out, hashes, counts
        self.logs[path] = log
        self.spliced.append(path)
        return out, frozenset(counts)
