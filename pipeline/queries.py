"""Queries: derived values memoised under a fingerprint of exactly what they read.

salsa's model (rust-analyzer), kept small: a query is a plain function called through
`Queries.ask(name, function, *inputs)`. The function is handed its inputs and nothing
else, so the inputs ARE what it read, and the memo key is a fingerprint of them:
nothing is listed by hand, and a value the key does not cover cannot reach the
function. Each answer keeps the diagnostics the function reported, and a remembered
answer reports them again, so a warm run says exactly what a cold run says.

Fingerprints are content, never identity or time: a content file counts by its kind,
id, path and sha256 (`memo_key()` on Document, Entry, SourceFile, FoundFile, RuleBook);
plain values, tuples, dicts, sets and frozen dataclasses count by their contents (sets
sorted, so hash randomisation cannot change a key). An input of any other type is a
programming error (TypeError), never a silent miss or a stale hit.

The table lives in one process (`foundry serve` keeps it between saves: engine/resident.py),
and has a persistent backing for the CLI: a query given a `Codec` (`Queries.persist`)
also keeps its answers in a `Store` (the sealed parse cache, load/cache.py) under the
same key — its name, the fingerprint of its inputs, the `base` — as JSON data with its
diagnostics, every field in the order reported. A fresh process then answers an
unchanged file's query from the store, and the edited file's from its function: one
mechanism, in memory and across processes. A stored row that does not decode (another
shape, a value the codec refuses) is a miss, never an error; the store itself only
hands out rows this user's key sealed.

Everything in the table is immutable once made (frozen dataclasses, models never changed
after validation), so a remembered value cannot change behind the table's back.

The file watcher (`foundry serve`) is salsa's "input set": when it can say exactly
which input files changed since the last run, and that no file or folder was added,
removed or renamed (engine/resident.py decides, and falls back to checking everything
when in doubt), the run is *trusted* (`Queries.trust`): the listings of the tree
(`listing`: which entity files exist, which names are refused) are replayed, and a file
the watcher did not name is not stat'ed or read again (`kept_read`): its last read is
the answer. Any run not trusted checks every file, as a CLI run does.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

from .diagnostics import Diagnostic, Diagnostics, Severity, Span
from .toolid import writer_tag


def fingerprint(value: Any) -> str:
    """A stable text for `value`'s content (see the module's docstring); TypeError for
    a type whose content it cannot see."""
    kind = type(value)
    if kind is str or kind is int or value is None or kind is bool:   # the common cases first: 10,000s of keys a run
        return repr(value)
    if kind is tuple or kind is list:
        return "[" + ",".join([fingerprint(v) for v in value]) + "]"
    if isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    key = getattr(value, "memo_key", None)
    if callable(key):
        return f"{kind.__name__}({key()})"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(fingerprint(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(fingerprint(v) for v in value)) + "}"
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{fingerprint(k)}:{fingerprint(v)}" for k, v in value.items())) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(f"{f.name}={fingerprint(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({fields})"
    raise TypeError(f"a query input of type {type(value).__name__} has no fingerprint")


def _identity(inputs: tuple) -> tuple | None:
    """What `Queries._key` knows `inputs` by without fingerprinting them: each input
    with a `memo_key` by its id (frozen content: the same object always has the same
    fingerprint), a str by itself, an int, bool or None by its type and value, a tuple
    by its items'; None when an input is anything else (a dict, a set, a dataclass
    without a `memo_key` could hold what changes: only its fingerprint says)."""
    out = []
    for value in inputs:
        kind = type(value)
        if kind is str:
            out.append(value)
            continue
        keyed = _KEYED.get(kind)
        if keyed is None:
            keyed = _KEYED[kind] = callable(getattr(kind, "memo_key", None))
        if keyed:
            out.append(id(value))
        elif kind is tuple:
            inner = _identity(value)
            if inner is None:
                return None
            out.append((tuple, inner))
        elif kind is int or kind is bool or value is None:
            out.append((kind, value))
        else:
            return None
    return tuple(out)


_KEYED: dict[type, bool] = {}   # type → whether it has a `memo_key` method (`_identity`, once per type)


@dataclasses.dataclass(frozen=True)
class Answer:
    """One remembered answer: the value and what the function reported making it."""

    value: Any
    diagnostics: tuple[Diagnostic, ...]


class Store(Protocol):
    """Where persisted answers live between processes: JSON values by key (load/cache.py's
    ParseCache: sealed rows, a row that does not verify is absent)."""

    def get(self, key: str) -> Any | None: ...

    def put(self, key: str, value: Any) -> None: ...

    def only_adopted(self) -> bool:
        """Whether `get` can find no row but those this run made (a cold store): then a
        query's answer is not looked up before it is computed."""
        ...


@dataclasses.dataclass(frozen=True)
class Codec:
    """How one query's answers are kept as JSON data. `encode(value)` gives JSON data, or
    None for a value not kept (it is then only remembered in memory); `decode(data,
    inputs)` gives the value back from that data and the query's own inputs (a value may
    hold an input, as an entry holds its document), or raises ValueError, TypeError or
    KeyError for data not in the shape `encode` writes (a miss)."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any, tuple], Any]


class DecodedOnRead(Mapping):
    """A mapping holding kept answers not decoded yet, each decoded on its first read
    (heroes/sheet.py `Sheets`, stories/story_codec.py `KeptScenes`): equal to, printed,
    pickled and copied as the dict `decoded()` gives, so a value holding one is the
    value a full computation makes (`==`, `repr`)."""

    def decoded(self) -> dict:
        """Every value decoded, as a dict in this mapping's order."""
        raise NotImplementedError

    def keyed(self) -> dict:
        """A dict whose keys are this mapping's, in its order (its values need not be
        decoded): what asking for a key, iterating and counting read."""
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        return key in self.keyed()

    def __iter__(self) -> Iterator:
        return iter(self.keyed())

    def __len__(self) -> int:
        return len(self.keyed())

    def keys(self):   # noqa: D102 (Mapping's)
        return self.keyed().keys()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DecodedOnRead):
            other = other.decoded()
        return self.decoded() == other if isinstance(other, Mapping) else NotImplemented

    __hash__ = None   # a dict's is None too

    def __repr__(self) -> str:
        return repr(self.decoded())

    def __reduce__(self):
        return dict, (list(self.decoded().items()),)


def diagnostic_row(d: Diagnostic) -> list:
    """Every field of a diagnostic as JSON data (end column included), for `from_row`."""
    return [d.severity.value, d.code, d.message, d.span.path, d.span.line, d.span.column, d.span.end_column, d.hint]


def from_row(row: Any) -> Diagnostic:
    """The diagnostic `diagnostic_row` wrote; ValueError or TypeError for another shape."""
    severity, code, message, path, line, column, end, hint = row
    if not (isinstance(code, str) and isinstance(message, str) and isinstance(path, str) and isinstance(hint, str)
            and all(type(n) is int for n in (line, column, end))):
        raise TypeError("not a diagnostic row")
    return Diagnostic(Severity(severity), code, message, Span(path, line, column, end), hint)


class Queries:
    """The memo table: (query name, fingerprint of its inputs) → Answer.

    `base` is what every query depends on without being handed it (foundry.toml, the
    rule files, foundry's own code): when it changes, the whole table is dropped.
    `sweep()` after a complete run forgets answers that run did not ask for (old
    versions of edited files, deleted files), so the table holds one World's worth.
    `asked`/`computed` count this run's queries (the resident tests read them)."""

    def __init__(self) -> None:
        self._answers: dict[tuple[str, str], Answer] = {}
        self._used: set[tuple[str, str]] = set()
        # the keys of the table after the last sweep, while every run since `begin`
        # has been swept: the table then holds those and this run's only (`sweep`)
        self._swept: set[tuple[str, str]] | None = None
        self.base = ""
        self.asked: dict[str, int] = {}
        self.computed: dict[str, int] = {}
        self.stored: dict[str, int] = {}       # answers this run took from the store, by query
        self._codecs: dict[str, Codec] = {}
        self._store: Store | None = None
        # the watcher's word for the next run (see the module's docstring): the input
        # files changed since the last run, or None (not known: check every file)
        self._trusted: frozenset[str] | None = None
        self._listings: dict[str, Answer] = {}     # listing name → the last run's answer
        self._reads: dict[str, Answer] = {}        # file path → the last run's read of it
        self._shape: dict[str, dict] = {}          # memos valid while the tree keeps its shape
        self._fingerprints: dict[int, tuple[Any, str]] = {}   # id → (object, fingerprint), this run
        self._fingerprints_before: dict[int, tuple[Any, str]] = {}   # and the last run's
        # (name, identity of the inputs) → (the inputs, held, and the table's key): `_key`
        self._keys: dict[tuple[str, tuple], tuple[tuple, tuple[str, str]]] = {}
        self._keys_before: dict[tuple[str, tuple], tuple[tuple, tuple[str, str]]] = {}
        self._interned: dict[str, Any] = {}          # fingerprint → object (`intern`), this run
        self._interned_before: dict[str, Any] = {}   # and the last run's
        self.runs = 0                              # runs that finished reading (`settle`)
        self.last_key: tuple[str, str] | None = None   # the key of the last `ask` (see `reuse`)
        self._reused = False                       # this run took answers by `reuse` (see `begin`)

    def persist(self, name: str, codec: Codec) -> None:
        """Keep query `name`'s answers in the run's store too (see the module's docstring)."""
        self._codecs[name] = codec

    def begin(self, base: str, store: Store | None = None) -> None:
        """Start a run whose untracked inputs hash to `base`; `store` backs the queries
        given a codec for this run (None: memory only)."""
        if base != self.base:
            self._answers.clear()
            self._keys.clear()
            self._swept = None
            self.base = base
        elif self._swept is not self._used:   # the last run was not swept: what it added is not known
            self._swept = None
        if self._trusted is None:   # the tree may have changed anywhere: nothing kept of its shape
            self._shape.clear()
        if self._reused:
            # the last run took answers by `reuse`, without asking them: the identities
            # they were asked by are not among its keys, so the run before's stay known
            # too (until a run that asks everything: the table then drops them)
            self._fingerprints_before.update(self._fingerprints)
            self._keys_before.update(self._keys)
            self._fingerprints, self._keys = {}, {}
        else:
            self._fingerprints_before, self._fingerprints = self._fingerprints, {}
            self._keys_before, self._keys = self._keys, {}
        self._reused = False
        self._interned_before, self._interned = self._interned, {}
        self._used = set()
        self._store = store
        self.asked, self.computed, self.stored = {}, {}, {}

    def ask(self, name: str, function: Callable[..., Any], *inputs: Any, diags: Diagnostics,
            **helpers: Any) -> Any:
        """`function(*inputs, diags, **helpers)`, remembered under the inputs'
        fingerprint. `helpers` are content-keyed caches (load/cache.py) that change
        speed, never the answer, so they are not part of the key."""
        key = self.last_key = self._key(name, inputs)
        self._used.add(key)
        self.asked[name] = self.asked.get(name, 0) + 1
        answer = self._answers.get(key)
        if answer is None:
            codec = self._codecs.get(name) if self._store is not None else None
            row_key = self._row_key(key) if codec is not None else ""   # a sha256: made once, for both
            # a cold store holds no earlier answer: ~21,500 lookups that all missed were
            # ~0.1 CPU-s of a cold check's main thread, the one the parse pool waits for
            answer = self._load(row_key, codec, inputs) if codec is not None and not self._store.only_adopted() \
                else None
            if answer is None:
                self.computed[name] = self.computed.get(name, 0) + 1
                found = Diagnostics()
                answer = Answer(function(*inputs, found, **helpers), tuple(found.items))
                if codec is not None:
                    self._save(row_key, codec, answer)
            else:
                self.stored[name] = self.stored.get(name, 0) + 1
            self._answers[key] = answer
        diags.extend(answer.diagnostics)
        return answer.value

    def _row_key(self, key: tuple[str, str]) -> str:
        # the base is in the row's key as it is in the table's life: a row made under
        # other rules, settings or code is never found
        # (its writer first, as every key of the table: load/cache.py keeps rows by writer)
        return f"{writer_tag()}-" + hashlib.sha256(f"query\0{key[0]}\0{key[1]}\0{self.base}".encode()).hexdigest()

    def _load(self, row_key: str, codec: Codec, inputs: tuple) -> Answer | None:
        """The stored answer under `row_key`, or None (absent, or not in the codec's shape)."""
        assert self._store is not None
        row = self._store.get(row_key)
        try:
            if not isinstance(row, dict) or not isinstance(row["diagnostics"], list):
                return None
            return Answer(codec.decode(row["value"], inputs), tuple(from_row(d) for d in row["diagnostics"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def _save(self, row_key: str, codec: Codec, answer: Answer) -> None:
        assert self._store is not None
        value = codec.encode(answer.value)
        if value is not None:
            self._store.put(row_key, {"value": value,
                                      "diagnostics": [diagnostic_row(d) for d in answer.diagnostics]})

    def key_of(self, name: str, *inputs: Any) -> tuple[str, str]:
        """The table's key for `name` asked of `inputs` (for `reuse`)."""
        return self._key(name, inputs)

    def row_key(self, name: str, *inputs: Any) -> str | None:
        """The store's row key `ask(name, _, *inputs)` would look up, or None when it
        would look none up (the answer is in the table, or `name` is not persisted):
        for a caller that looks the rows of many asks up together first (load/cache.py
        `prefetch`). The key is found as `ask` finds it, and kept for it."""
        if self._store is None or name not in self._codecs:
            return None
        key = self._key(name, inputs)
        return None if key in self._answers else self._row_key(key)

    def reuse(self, key: tuple[str, str]) -> bool:
        """This run takes the answer under `key` (from `key_of` or `last_key`) as an
        earlier run asked it, without asking again: a caller that kept the answer with
        its key, and knows the query's inputs are the very objects it was asked with
        (resolve/world.py's trusted load), keeps it from being swept. False (nothing
        taken) when the table no longer holds it: the caller asks."""
        if key in self._used:   # asked by this run already
            return True
        if key not in self._answers:
            return False
        self._used.add(key)
        self._reused = True
        return True

    def knows(self, name: str, *inputs: Any) -> bool:
        """Whether `ask(name, _, *inputs)` would be answered from the table."""
        return self._key(name, inputs) in self._answers

    def remember(self, name: str, inputs: tuple, value: Any, diagnostics: tuple[Diagnostic, ...]) -> None:
        """Record an answer computed elsewhere (a forked parse worker, load/workers.py)
        exactly as `ask` would have: same key, same diagnostics."""
        key = self._key(name, inputs)
        self._used.add(key)
        self._answers[key] = Answer(value, tuple(diagnostics))

    def _key(self, name: str, inputs: tuple) -> tuple[str, str]:
        """The table's key for `name` asked of `inputs`. Inputs that are the very
        objects of an earlier ask (this run's or the last one's) give its key without
        fingerprinting them again: salsa's "this input has not changed since that
        revision", which the watcher's kept reads and the remembered parses make true
        of every unchanged file's document and entry (a save asks ~40,000 queries at
        10,000 heroes; fingerprinting and hashing their inputs was most of them)."""
        identity = _identity(inputs)
        if identity is not None:
            known = self._keys.get((name, identity))
            if known is None:
                known = self._keys_before.get((name, identity))
                if known is not None:
                    self._keys[(name, identity)] = known
            if known is not None:
                return known[1]
        key = name, hashlib.sha256(self._fingerprint(inputs).encode()).hexdigest()
        if identity is not None:   # held with its inputs: no other object can take their ids meanwhile
            self._keys[(name, identity)] = (inputs, key)
        return key

    def intern(self, value: Any) -> Any:
        """`value`, or the object of equal fingerprint this run or the last one
        interned: a value made again each run from unchanged inputs (the rule book
        read from its files, a template chain's defaults) is then the same object as
        last time, so the queries it is handed find their keys by identity (`_key`).
        For values with a `memo_key` (frozen content, see the module's docstring)."""
        text = fingerprint(value)
        known = self._interned.get(text)
        if known is None:
            known = self._interned[text] = self._interned_before.get(text, value)
        return known

    def _fingerprint(self, inputs: tuple) -> str:
        """`fingerprint(inputs)`, each input with a `memo_key` fingerprinted once while
        it lives: the rule book, a document or an entry is handed to several queries
        (10,000 sheets read one rule book), and the same file, document and entry
        objects come back run after run in `foundry serve` (a kept read, a remembered
        parse); each is frozen content (see the module's docstring), so its text cannot
        change. Held by reference (no other object can take its id) for this run and
        the next."""
        parts = []
        for value in inputs:
            if callable(getattr(value, "memo_key", None)):
                known = self._fingerprints.get(id(value))
                if known is None or known[0] is not value:
                    known = self._fingerprints_before.get(id(value))
                    if known is None or known[0] is not value:
                        known = (value, fingerprint(value))
                    self._fingerprints[id(value)] = known
                parts.append(known[1])
            else:
                parts.append(fingerprint(value))
        return "[" + ",".join(parts) + "]"

    # -- the watcher's word (foundry serve) ------------------------------------------------

    def trust(self, changed: frozenset[str] | None) -> None:
        """For the next run: `changed` are the only input files (project-relative POSIX
        paths) whose bytes may differ since the last run that finished reading, and no
        file or folder was added, removed or renamed; None: not known (every file is
        checked, the tree listed again). Only the resident engine says so, from the
        file watcher's events (engine/resident.py)."""
        self._trusted = changed

    @property
    def trusted(self) -> frozenset[str] | None:
        return self._trusted

    def listing(self, name: str, function: Callable[..., Any], *inputs: Any, diags: Diagnostics) -> Any:
        """`function(*inputs, diags)`, a listing of the tree (which files exist, which
        names are refused): the last run's answer, with its diagnostics, when this run is
        trusted (no file added, removed or renamed), else computed and kept."""
        answer = self._listings.get(name) if self._trusted is not None else None
        if answer is None:
            found = Diagnostics()
            answer = self._listings[name] = Answer(function(*inputs, found), tuple(found.items))
        diags.extend(answer.diagnostics)
        return answer.value

    def listed(self, name: str) -> Any:
        """The last answer of listing `name`, or None."""
        answer = self._listings.get(name)
        return answer.value if answer is not None else None

    def kept_read(self, path: str) -> Answer | None:
        """The last run's read of the input file at `path` when this run is trusted and
        the watcher did not name it, else None (read it, then `note_read`)."""
        if self._trusted is None or path in self._trusted:
            return None
        return self._reads.get(path)

    def note_read(self, path: str, value: Any, diagnostics: tuple[Diagnostic, ...]) -> None:
        """What reading the file at `path` gave in this run (a SourceFile or None, and
        what it reported), for `kept_read` in the next trusted run."""
        self._reads[path] = Answer(value, tuple(diagnostics))

    def shape(self, name: str) -> dict:
        """A memo (a dict the caller fills) kept between runs while the tree keeps its
        shape: emptied when a run that is not trusted begins. For answers that depend on
        which files and links exist under the watched inputs, never on any file's bytes."""
        return self._shape.setdefault(name, {})

    def settle(self, paths: set[str]) -> None:
        """This run read every input file (`paths`: the files it read): what the watcher
        said is spent, and reads of files no longer listed are forgotten."""
        self._reads = {p: a for p, a in self._reads.items() if p in paths}
        self._trusted = None
        self.runs += 1

    def sweep(self) -> None:
        """Forget every answer the run since `begin` did not ask for: those the last
        sweep kept that this run did not ask for, when every run since was swept (a
        trusted save asks for all but a few of them: a set difference instead of a pass
        over 40,000 answers), else every answer not asked for."""
        if self._swept is None:
            self._answers = {k: v for k, v in self._answers.items() if k in self._used}
        else:
            for key in self._swept - self._used:
                del self._answers[key]
        self._swept = self._used

    def __len__(self) -> int:
        return len(self._answers)
