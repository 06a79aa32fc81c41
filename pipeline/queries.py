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

The table lives in one process (`foundry serve` keeps it between saves: engine/resident.py).
Everything in it is immutable once made (frozen dataclasses, models never changed after
validation), so a remembered value cannot change behind the table's back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from .diagnostics import Diagnostic, Diagnostics


def fingerprint(value: Any) -> str:
    """A stable text for `value`'s content (see the module's docstring); TypeError for
    a type whose content it cannot see."""
    if value is None or isinstance(value, (bool, int, float, str, bytes)):
        return repr(value)
    key = getattr(value, "memo_key", None)
    if callable(key):
        return f"{type(value).__name__}({key()})"
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

    def begin(self, base: str) -> None:
        """Start a run whose untracked inputs hash to `base`."""
        if base != self.base:
            self._answers.clear()
            self.base = base
        self._used = set()
        self.asked, self.computed = {}, {}

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
            self.computed[name] = self.computed.get(name, 0) + 1
            found = Diagnostics()
            answer = Answer(function(*inputs, found, **helpers), tuple(found.items))
            self._answers[key] = answer
        diags.extend(answer.diagnostics)
        return answer.value

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
