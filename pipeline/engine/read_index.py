"""Which kept values read an input key: the index `foundry serve` asks instead of a pass.

The resident engine (engine/resident.py) keeps, between saves, each artifact's record
and each list fragment, with the input keys its render read (render/tracking.py). A
save knows the keys whose hash changed; what is stale is exactly what read one of them.
Asking every value (35,000 records and ~100,000 fragments at 10,000 heroes) is a pass
proportional to the world; asking this index is proportional to what the save touched.

A value that read more than `wide` keys (a list: bundle.json reads every entity) is
not indexed: it is named by every `meeting` and decided by its own reads, because
taking its 30,000 keys out and putting them back each time it is made again (nearly
every save) costs more than the set test it would spare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class ReadIndex:
    """input key → the names (artifact paths, fragment keys) of the indexed values that
    read it. A value is anything with `reads` (a tuple of input keys); values are told
    apart by identity: one made again is a new object, one kept is the same object."""

    def __init__(self, wide: int):
        self.wide_reads = wide
        self._names: dict[str, set[str]] = {}     # input key → names
        self._values: dict[str, Any] = {}         # name → the value indexed
        self._wide: set[str] = set()              # names whose value is not in `_names`

    def update(self, values: Mapping[str, Any], suspects: Iterable[str] | None = None,
               gone: Iterable[str] | None = None) -> tuple[list[str], list[str]]:
        """Bring the index up to `values` (name → value): names gone are taken out, and
        each name whose value is not the object indexed is indexed again. `suspects`:
        the only names whose value may be another object than the one indexed (the
        caller knows the rest are the same), else every name is compared; `gone`: the
        only names that may have left `values`, else every indexed name is looked for.
        Returns the names gone and the names indexed again."""
        indexed = self._values
        if suspects is None:
            replaced = [name for name, value in values.items() if indexed.get(name) is not value]
        else:
            replaced = [name for name in suspects if name in values and indexed.get(name) is not values[name]]
        gone = list(indexed.keys() - values.keys()) if gone is None else \
            [name for name in gone if name in indexed and name not in values]
        for name in [*gone, *replaced]:
            self._drop(name)
        names, wide = self._names, self._wide
        for name in replaced:
            value = indexed[name] = values[name]
            if len(value.reads) > self.wide_reads:
                wide.add(name)
                continue
            for key in value.reads:
                found = names.get(key)
                if found is None:
                    names[key] = {name}
                else:
                    found.add(name)
        return gone, replaced

    def _drop(self, name: str) -> None:
        value = self._values.pop(name, None)
        if value is None:
            return
        if name in self._wide:
            self._wide.discard(name)
            return
        names = self._names
        for key in value.reads:
            found = names.get(key)
            if found is not None:
                found.discard(name)
                if not found:
                    del names[key]

    def meeting(self, keys: Iterable[str]) -> set[str]:
        """The names whose value read one of `keys`, and every wide one (whose reads are
        for the caller to test)."""
        out = set(self._wide)
        names = self._names
        for key in keys:
            found = names.get(key)
            if found:
                out.update(found)
        return out

    def clear(self) -> None:
        self._names, self._values, self._wide = {}, {}, set()

    def snapshot(self) -> tuple[dict[str, set[str]], set[str]]:
        """A copy of the index and the wide names (the tests compare it with one made anew)."""
        return {key: set(names) for key, names in self._names.items()}, set(self._wide)
