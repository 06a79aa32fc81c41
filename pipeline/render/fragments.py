"""Fragments: the pieces a list artifact is spliced from, each kept under what it read.

`bundle.json` holds a row for every hero; so do `heroes.json` and the search index.
Rendering one of those lists re-rendered 10,000 rows whenever one hero changed. A
fragment is one such row, rendered against its own tracked view of the World
(render/tracking.py), and stored with the input keys that view recorded and one
digest over their hashes: the same rule as a whole artifact (write/state.py), one
level down. A list asks for each of its rows by key; a row whose inputs still hash to
the stored digest is reused as bytes, and its recorded reads become the list's reads,
so the list is still re-rendered exactly when one of its rows would change.

The memo is persisted by the builder in the sealed cache (load/cache.py, table
`fragments`): safe to delete, and a row that was not written by this user's foundry
is never loaded.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, NamedTuple

import orjson

from .digest import digest
from ..load.byte_reads import watching


@dataclass(frozen=True)
class Fragment:
    """One rendered row: `reads` are input keys (see render/tracking.py), `digest` the
    hash of their contents when it was made, `data` its bytes (UTF-8 JSON or HTML)."""

    reads: tuple[str, ...]
    digest: str
    data: bytes
    # `value(decode)`'s answers, by decoder: made on first use (None: none yet)
    _values: dict | None = field(default=None, init=False, repr=False, compare=False, hash=False)

    def value(self, decode: Callable[[bytes], Any]) -> Any:
        """`decode(data)`, made once for this fragment: `foundry serve` keeps a list's
        unchanged fragments between saves, and a list page decoded each of its 40,000
        drawn cards again on every save (JSON and their links, ~0.17 CPU-s at 10,000
        heroes). `decode` must be a pure function kept by its module (one object: the
        answers are found by it), and what it gives is shared, so never changed."""
        values = self._values
        if values is None:
            values = {}
            object.__setattr__(self, "_values", values)
        found = values.get(decode, _NONE)
        if found is _NONE:
            if len(values) >= 8:   # not one decoder per call (a lambda made each time): never a growing table
                values.clear()
            found = values[decode] = decode(self.data)
        return found

    def __getstate__(self) -> dict:
        """Pickled (a worker's result) without its decoded values: they are remade where needed."""
        return {"reads": self.reads, "digest": self.digest, "data": self.data}

    def to_json(self) -> list:
        return [list(self.reads), self.digest, self.data.decode("utf-8")]

    @classmethod
    def from_json(cls, value: Any) -> "Fragment | None":
        """None for anything that is not a stored fragment (the caller then renders)."""
        if not (isinstance(value, list) and len(value) == 3 and isinstance(value[0], list)
                and all(isinstance(k, str) for k in value[0]) and isinstance(value[1], str)
                and isinstance(value[2], str)):
            return None
        return cls(tuple(value[0]), value[1], value[2].encode("utf-8"))

    def to_row(self) -> str:
        """The text a cache row keeps: "F", the digest (64 hex digits), the reads as a
        JSON list, a newline, then the bytes as they are. Not one JSON value: reusing a
        row then un-escaped its HTML or JSON from a JSON string. JSON text never holds
        a raw newline, so the first one ends the reads."""
        text = self.data.decode("utf-8")
        if "\0" in text:   # SQLite's text functions stop at a NUL: such bytes keep the escaped JSON form
            return json.dumps(self.to_json(), separators=(",", ":"))
        return f"F{self.digest}{_READS.encode(list(self.reads))}\n{text}"

    @classmethod
    def from_row(cls, row: str | bytes) -> "Fragment | None":
        """The fragment `to_row` wrote (or a row of the older JSON form, `to_json`), as
        text or as its UTF-8 bytes (engine/memo.py reads them so: no str made of each
        row's bytes and encoded back); None for anything else (the caller then renders)."""
        try:
            if isinstance(row, str):
                row = row.encode("utf-8")
            if not row.startswith(b"F"):
                return cls.from_json(json.loads(row))
            at = row.find(b"\n")
            # orjson and a check of the item types in C: a one-edit build decodes every
            # stored row of its lists (75,000 at 10,000 heroes), json.loads and a
            # generator per row were 60 % of that
            try:
                reads = orjson.loads(row[65:at])
            except orjson.JSONDecodeError:   # what orjson refuses, such as a lone surrogate escaped
                reads = json.loads(row[65:at])
            digest = row[1:65].decode("ascii")
            # 64 lower-case hex digits: what is left after stripping those is empty
            if not (at >= 0 and type(reads) is list and len(digest) == 64 and not digest.strip(_HEX)):
                return None
            # the same few thousand input keys in every row: one string each (tracking.py
            # interns the keys of the rows a render makes), not one per row read back;
            # intern refuses anything but a str (TypeError: not a fragment), the check
            # of the keys' types and their interning one pass, not two
            # made without the frozen dataclass's __init__ (object.__setattr__ per field):
            # 80,000 rows a one-edit build at 10,000 heroes
            made = object.__new__(cls)
            made.__dict__.update(reads=tuple(map(sys.intern, reads)), digest=digest, data=row[at + 1:], _values=None)
            return made
        except (ValueError, TypeError):   # JSON that does not decode, text that does not encode (a lone
            return None                   # surrogate), a read that is not text


class SealedRow(NamedTuple):
    """A row as the cache keeps it, made where it was drawn (`sealed_rows`): its digest
    (the builder records it, BuildState.rows), its text (`Fragment.to_row`) and that
    text's MAC for the cache's table (load/cache.py `ParseCache.sealer`)."""

    digest: str
    text: str
    mac: str


def sealed_rows(made: tuple[tuple[str, Fragment], ...],
                seal: Callable[[str, str], str]) -> tuple[tuple[str, SealedRow], ...]:
    """A forked render worker's new rows (key, Fragment) as (key, SealedRow), ready for
    the builder to write as they are: in a clean build at 10,000 heroes the builder
    took ~111,500 rows one result at a time, unpickled each Fragment (its reads a
    tuple of strings), then made its text and sealed it, on the path every worker's
    next result waits on; a row's text and MAC are made as cheaply in the worker that
    drew it, and a string pickles for a fraction of a Fragment (docs/performance.md
    cold-clean43)."""
    out = []
    for key, fragment in made:
        text = fragment.to_row()
        out.append((key, SealedRow(fragment.digest, text, seal(key, text))))
    return tuple(out)


_NONE = object()
_HEX = "0123456789abcdef"
# `json.dumps(reads, separators=(",", ":"))` without an encoder made for each row (what
# `dumps` does when given any option): a clean build at 10,000 heroes stores ~110,000 rows
_READS = json.JSONEncoder(separators=(",", ":"))


@dataclass
class FragmentMemo:
    """The fragments known before this build (`known`, by stored key) and those made
    or found fresh since (`made`; `fresh`: made by the current render, to be stored).
    `world` is the untracked World (each fragment records its own reads); `hashes`
    its input hashes (World.input_hashes plus the exporters' own);
    `recipes` by exporter name the code that renders them (a new foundry or a new
    exporter version makes every stored fragment stale)."""

    world: Any
    known: Mapping[str, Fragment]
    hashes: Mapping[str, str]
    recipes: Mapping[str, str]
    made: dict[str, Fragment] = field(default_factory=dict)
    fresh: list[tuple[str, Fragment]] = field(default_factory=list)   # made by the current render
    # stored fragments the current render found fresh (first time in this process): a
    # forked worker's lookups never reach the parent's cache, which must still keep them
    kept: list[str] = field(default_factory=list)
    # The input keys whose hash changed since the last build (write/state.py
    # `BuildState.changed`), and the digests of the rows that build used (`BuildState.rows`):
    # a stored row with one of those digests held under the last build's hashes (the
    # digest covers its reads and their hashes then), so it is fresh exactly when none
    # of its reads changed since: a set test, not a digest over its reads, for each of
    # the 75,000 rows a one-edit build asks for at 10,000 heroes. None: no last build known.
    changed: frozenset[str] | None = None
    trusted: frozenset[str] = frozenset()
    # The lists the last build spliced, whose rows' digests are their logs' (write/state.py
    # `BuildState.listed`): trusted as `trusted` is, read from the logs only when a row
    # whose reads did not change is not among `trusted` (`_fresh`), once a process
    listed: tuple = ()
    _listed_rows: set | None = field(default=None, repr=False, compare=False)
    checked: list[str] = field(default_factory=list)   # digests of the `kept` rows, for the next build's `trusted`
    added: list[str] = field(default_factory=list)     # keys put into `made` in this process (never cleared)
    # (exporter, view, its World, the key prefix) of the last `get`: a list asks
    # 10,000-30,000 times in a row from one view (only the last is held: a full build
    # asks from 35,000 views, each holding what its render read)
    _last: tuple | None = field(default=None, repr=False, compare=False)
    # decoded fragments kept with them (`Fragment.value`): for a memo whose fragments
    # live on between builds (the resident engine's); a build's own would only hold
    # every decoded row of its lists in memory until it ends
    values: bool = False
    # the lists' span logs (render/spans.py SpanStore): kept by the resident engine for
    # the lists it renders in its own process; None elsewhere (a CLI build, a worker)
    spans: Any = None
    # A CLI build's last state's records by path and its build folder (render/stored_spans.py:
    # a list spliced from the file the last build wrote); None: not known (no last build)
    previous: Mapping[str, Any] | None = None
    build_dir: Any = None
    # The exporters that ran in that build (`BuildState.ran`): only their records hold
    # under the hashes `changed` is taken against (a record carried over by a build of
    # other outputs is older than what `changed` tells of)
    ran: frozenset[str] = frozenset()
    # Whether a list this build keeps (fresh, not rendered) holds rows and a span log in
    # the cache that no render asked for: then the unused rows are not all dead, and
    # engine/memo.py `fragment_memo` does not prune them (the builder sets it)
    lists_kept: bool = False
    # (key, row text) → its MAC in the store `known` reads (load/cache.py `ParseCache.sealer`):
    # given, a forked render worker sends the rows it made sealed (`sealed_rows`), not as
    # Fragments; None (the resident engine keeps its rows as Fragments): as they are
    seal: Callable[[str, str], str] | None = None

    def full_key(self, key: str) -> str:
        """`key` as the last `get` stored it (with its exporter, recipe and language)."""
        return self._last[3] + key

    def get(self, exporter: str, reads: set[str], key: str, render: Callable[[Any], bytes],
            view: Any = None, decode: Callable[[bytes], Any] | None = None) -> Any:
        """The bytes of `exporter`'s fragment `key`, rendered by `render(tracked_world)`
        unless a stored one is still fresh; what it read is added to `reads` either way.
        `view`: the (tracked) World the asking render reads; a fragment asked for by a
        render in one language (resolve/localized.py) is rendered from that language's
        World, stored under a key naming the language, and reads its translations too.
        `decode`: `decode(bytes)` is returned instead, kept with the fragment when
        `values` (see `Fragment.value`)."""
        # the key's prefix (exporter, recipe, language) made once per asking view (`_last`)
        known = self._last
        if known is None or known[1] is not view or known[0] != exporter:
            source = _untracked(view) if view is not None else self.world
            locale = getattr(source, "locale", None)
            prefix = f"{exporter}:{self.recipes[exporter]}|" + (f"{locale.language}/" if locale is not None else "")
            known = self._last = (exporter, view, source, prefix)
        source = known[2]
        key = known[3] + key
        old = self.made.get(key)
        if old is None and (stored := self.known.get(key)) is not None and self._fresh(stored):
            # fresh: checked once per build (the home page and the heroes index share cards)
            old = self.made[key] = stored
            self.added.append(key)
            self.kept.append(key)
            self.checked.append(stored.digest)
        if old is not None:
            reads.update(old.reads)
            if decode is None:
                return old.data
            return old.value(decode) if self.values else decode(old.data)
        translation_reads, TrackedWorld = _making()
        locale = getattr(source, "locale", None)
        tracked = TrackedWorld(source)
        # kept as a copy of exactly its length: a row encoded by orjson holds a buffer
        # of at least 4 KiB whatever its size, and a worker keeps every row it made
        # (85,000 at 10,000 heroes: ~340 MiB for the 4 KiB alone)
        with watching(tracked.reads):   # what the row reads of a file's bytes is its read (load/byte_reads.py)
            data = bytes(memoryview(render(tracked)))
        found = set(tracked.reads)
        if locale is not None:
            found |= translation_reads(source, locale.language, found)
        keys = tuple(sorted(found))
        self.made[key] = made = Fragment(keys, digest(keys, self.hashes), data)
        self.added.append(key)
        self.fresh.append((key, made))
        reads.update(keys)
        if decode is None:
            return data
        return made.value(decode) if self.values else decode(data)

    def _fresh(self, stored: Fragment) -> bool:
        """Whether a stored row still holds under this build's hashes (see `changed`)."""
        if self.changed is not None:
            if stored.digest in self.trusted:
                return self.changed.isdisjoint(stored.reads)
            # a row of a list the last build spliced: its digest is in that list's log
            # (a row that read a changed key is checked by its digest: no log read for it)
            if self.listed and self.changed.isdisjoint(stored.reads) and stored.digest in self._listed():
                return True
        return digest(stored.reads, self.hashes) == stored.digest

    def _listed(self) -> set:
        """The digests of the rows of the lists the last build spliced (`listed`), read
        from their logs the first time one is asked for in this process."""
        if self._listed_rows is None:
            from .stored_spans import listed_digests
            self._listed_rows = listed_digests(self.known, self.listed) if hasattr(self.known, "text") else set()
        return self._listed_rows


_MAKING: tuple | None = None


def _making() -> tuple:
    """(translation_reads, TrackedWorld), what making a row needs: imported on the first
    row made, not with the module, so that a build that only reads and writes stored
    rows (engine/shown.py) never imports the World (~0.12 CPU-s); and kept, since two
    `from … import` statements on every row made cost ~1.4 µs, ~110,000 rows a clean
    build at 10,000 heroes (docs/performance.md clean31)."""
    global _MAKING
    if _MAKING is None:
        from ..exporters.languages import translation_reads
        from .tracking import TrackedWorld
        _MAKING = (translation_reads, TrackedWorld)
    return _MAKING


def _untracked(world: Any) -> Any:
    """The World behind a TrackedWorld (or `world` itself)."""
    try:
        return object.__getattribute__(world, "_world")
    except AttributeError:
        return world
