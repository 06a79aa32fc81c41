"""The fragment memo kept between builds: the sealed cache's `fragments` table, read
lazily (a build after one edit looks up every row of a 10,000-hero list, but a build
that renders no list should not parse 40,000 stored rows)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from ..load.cache import ParseCache
from ..render.fragments import Fragment, FragmentMemo

FLUSH_ROWS = 500   # fragments put into the cache file at a time (engine/memo.py fragment_memo)


class StoredFragments(Mapping):
    """The fragments an earlier build stored, by key, decoded on first access; a row
    that does not decode is absent (the list renders it again)."""

    def __init__(self, cache: ParseCache):
        self._raw = cache.preloaded
        self._cache = cache
        self._decoded: dict[str, Fragment | None] = {}

    def __getitem__(self, key: str) -> Fragment:
        if key not in self._decoded:
            raw = self._raw.get(key)
            self._decoded[key] = Fragment.from_row(raw) if raw is not None else None
        self._cache.used.add(key)
        found = self._decoded[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@contextmanager
def fragment_memo(world, hashes: Mapping[str, str], recipes: Mapping[str, str], needed: bool):
    """Yields (memo, remember): the memo for this build's renders, and a function the
    builder calls with each result's new fragments and the keys of the stored ones it
    reused (made or found in this process or a worker); what was remembered is saved
    when the block ends, and a stored fragment no render reused may be pruned. With
    nothing to render (`needed` false) the cache is not opened."""
    if not needed:
        yield FragmentMemo(world, {}, hashes, recipes), lambda made, kept=(): None
        return
    cache = ParseCache(world.project.root, "fragments")
    memo = FragmentMemo(world, StoredFragments(cache), hashes, recipes)

    def remember(made, kept=()) -> None:
        # a worker's lookups happen in its own copy of the cache: only this tells the
        # parent which stored rows are alive (without it, pruning dropped every row a
        # pool reused, and the next build made the lists again from nothing)
        cache.used.update(kept)
        for key, fragment in made:
            cache.put_row(key, fragment.to_row())
        # Written as they come, not held to the end: 10,000 heroes' rows, cards and
        # search entries are ~140 MiB of JSON the builder would otherwise keep.
        if len(cache.pending) >= FLUSH_ROWS:
            cache.flush()

    try:
        yield memo, remember
    finally:
        # Rows another foundry made (its code is in every key), and rows of entities
        # since edited, pile up: when they outnumber what this build used, keep only
        # that. `used` is whole: rows reused in forked workers come back as `kept`.
        crowded = len(cache.preloaded) > 2 * max(len(cache.used), 1) + 1000
        cache.save(prune=crowded)
