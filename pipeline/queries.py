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
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .diagnostics import Diagnostic, Diagnostics, Severity, Span


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


@dataclasses.dataclass(frozen=True)
class Codec:
    """How one query's answers are kept as JSON data. `encode(value)` gives JSON data, or
    None for a value not kept (it is then only remembered in memory); `decode(data,
    inputs)` gives the value back from that data and the query's own inputs (a value may
    hold an input, as an entry holds its document), or raises ValueError, TypeError or
    KeyError for data not in the shape `encode` writes (a miss)."""

    encode: Callable[[Any], Any]
    decode: Callable[[Any, tuple], Any]


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
        self.base = ""
        self.asked: dict[str, int] = {}
        self.computed: dict[str, int] = {}
        self.stored: dict[str, int] = {}       # answers this run took from the store, by query
        self._codecs: dict[str, Codec] = {}
        self._store: Store | None = None

    def persist(self, name: str, codec: Codec) -> None:
        """Keep query `name`'s answers in the run's store too (see the module's docstring)."""
        self._codecs[name] = codec

    def begin(self, base: str, store: Store | None = None) -> None:
        """Start a run whose untracked inputs hash to `base`; `store` backs the queries
        given a codec for this run (None: memory only)."""
        if base != self.base:
            self._answers.clear()
            self.base = base
        self._used = set()
        self._store = store
        self.asked, self.computed, self.stored = {}, {}, {}

    def ask(self, name: str, function: Callable[..., Any], *inputs: Any, diags: Diagnostics,
            **helpers: Any) -> Any:
        """`function(*inputs, diags, **helpers)`, remembered under the inputs'
        fingerprint. `helpers` are content-keyed caches (load/cache.py) that change
        speed, never the answer, so they are not part of the key."""
        key = self._key(name, inputs)
        self._used.add(key)
        self.asked[name] = self.asked.get(name, 0) + 1
        answer = self._answers.get(key)
        if answer is None:
            codec = self._codecs.get(name) if self._store is not None else None
            answer = self._load(key, codec, inputs) if codec is not None else None
            if answer is None:
                self.computed[name] = self.computed.get(name, 0) + 1
                found = Diagnostics()
                answer = Answer(function(*inputs, found, **helpers), tuple(found.items))
                if codec is not None:
                    self._save(key, codec, answer)
            else:
                self.stored[name] = self.stored.get(name, 0) + 1
            self._answers[key] = answer
        diags.extend(answer.diagnostics)
        return answer.value

    def _row_key(self, key: tuple[str, str]) -> str:
        # the base is in the row's key as it is in the table's life: a row made under
        # other rules, settings or code is never found
        return hashlib.sha256(f"query\0{key[0]}\0{key[1]}\0{self.base}".encode()).hexdigest()

    def _load(self, key: tuple[str, str], codec: Codec, inputs: tuple) -> Answer | None:
        """The stored answer under `key`, or None (absent, or not in the codec's shape)."""
        assert self._store is not None
        row = self._store.get(self._row_key(key))
        try:
            if not isinstance(row, dict) or not isinstance(row["diagnostics"], list):
                return None
            return Answer(codec.decode(row["value"], inputs), tuple(from_row(d) for d in row["diagnostics"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def _save(self, key: tuple[str, str], codec: Codec, answer: Answer) -> None:
        assert self._store is not None
        value = codec.encode(answer.value)
        if value is not None:
            self._store.put(self._row_key(key), {"value": value,
                                                 "diagnostics": [diagnostic_row(d) for d in answer.diagnostics]})

    def knows(self, name: str, *inputs: Any) -> bool:
        """Whether `ask(name, _, *inputs)` would be answered from the table."""
        return self._key(name, inputs) in self._answers

    def remember(self, name: str, inputs: tuple, value: Any, diagnostics: tuple[Diagnostic, ...]) -> None:
        """Record an answer computed elsewhere (a forked parse worker, load/workers.py)
        exactly as `ask` would have: same key, same diagnostics."""
        key = self._key(name, inputs)
        self._used.add(key)
        self._answers[key] = Answer(value, tuple(diagnostics))

    @staticmethod
    def _key(name: str, inputs: tuple) -> tuple[str, str]:
        return name, hashlib.sha256(fingerprint(inputs).encode()).hexdigest()

    def sweep(self) -> None:
        """Forget every answer the run since `begin` did not ask for."""
        self._answers = {k: v for k, v in self._answers.items() if k in self._used}

    def __len__(self) -> int:
        return len(self._answers)
