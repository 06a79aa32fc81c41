"""The fragment memo kept between builds: the sealed cache's `fragments` table, read
lazily (a build after one edit looks up every row of a 10,000-hero list, but a build
that renders no list should not parse 40,000 stored rows).

A stored row is fresh when the digest of what it read still matches (render/digest.py):
after one hero edit that is 40,000 digests, each over some twenty input hashes, to
find the few rows the edit reached. The `Ledger` answers the same question from the
other side: the last build that rendered with the memo keeps, sealed beside the
table (`.foundry-cache/fragment-ledger.json`), the input hashes it built with and each
row it found or made fresh then, with its digest. A row is then fresh now when the ledger vouches for that very row (same
digest) and none of the inputs it read has a hash other than then: one set lookup per
key read instead of a sha256 over all of them. Anything the ledger does not vouch for
is checked by its digest, as before. The ledger names each row by its digest, so it
and the table need not be written together: a row replaced since (by `foundry serve`,
or a build that stopped before writing its ledger) has another digest and is checked."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from ..load.cache import ParseCache, read_sealed, write_sealed
from ..render.fragments import Fragment, FragmentMemo

FLUSH_ROWS = 500   # fragments put into the cache file at a time (engine/memo.py fragment_memo)
LEDGER = "fragment-ledger.json"   # in .foundry-cache/, sealed (load/cache.py write_sealed)
# ~150 bytes per input and per row: 10,000 heroes' ledger is ~12 MB
MAX_LEDGER_BYTES = 256 * 1024 * 1024


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

    def digest(self, key: str) -> str | None:
        """The digest the stored row under `key` keeps, without decoding the row where
        its form allows (Fragment.row_digest)."""
        raw = self._raw.get(key)
        if raw is None:
            return None
        quick = Fragment.row_digest(raw)
        if quick is not None:
            return quick
        try:
            return self[key].digest
        except KeyError:
            return None

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class Ledger:
    """What the last build vouched for (see the module's docstring): `hashes`, the input
    hashes it rendered with; `fresh`, the digest of each row it found or made fresh.
    Called as a FragmentMemo's `vouched(key, stored)`."""

    def __init__(self, hashes: Mapping[str, str], fresh: Mapping[str, str], now: Mapping[str, str]):
        self.fresh = fresh
        # every key whose hash is not what it was, a key gone or new included (the
        # digest counts a missing key as "-", so a key missing then and now is unchanged)
        self.changed = frozenset(key for key in hashes.keys() | now.keys() if hashes.get(key) != now.get(key))

    def __call__(self, key: str, stored: Fragment) -> bool:
        return self.fresh.get(key) == stored.digest and self.changed.isdisjoint(stored.reads)

    @classmethod
    def stored(cls, root, now: Mapping[str, str]) -> "Ledger | None":
        """The ledger the last build left in the project at `root` (sealed: one this
        user's foundry did not write is never loaded), or None when there is none in
        its shape. `now`: this build's input hashes."""
        row = read_sealed(root, LEDGER, MAX_LEDGER_BYTES)
        if not (isinstance(row, dict) and isinstance(row.get("hashes"), dict) and isinstance(row.get("fresh"), dict)):
            return None
        hashes, fresh = row["hashes"], row["fresh"]
        if not all(isinstance(v, str) for v in hashes.values()) or not all(isinstance(v, str) for v in fresh.values()):
            return None
        return cls(hashes, fresh, now)


@contextmanager
def fragment_memo(world, hashes: Mapping[str, str], recipes: Mapping[str, str], needed: bool):
    """Yields (memo, remember): the memo for this build's renders, and a function the
    builder calls with each result's new fragments and the keys of the stored ones it
    reused (made or found in this process or a worker); what was remembered is saved
    when the block ends, with the ledger of this build (every row made or reused, by
    its digest, and `hashes`), and a stored fragment no render reused may be pruned.
    With nothing to render (`needed` false) the cache is not opened."""
    if not needed:
        yield FragmentMemo(world, {}, hashes, recipes), lambda made, kept=(): None
        return
    cache = ParseCache(world.project.root, "fragments")
    stored = StoredFragments(cache)
    ledger = Ledger.stored(world.project.root, hashes)
    memo = FragmentMemo(world, stored, hashes, recipes)
    if ledger is not None:
        memo.vouched = ledger
    vouched: dict[str, str] = {}   # this build's ledger: key → digest of each row made or reused

    def remember(made, kept=()) -> None:
        # a worker's lookups happen in its own copy of the cache: only this tells the
        # parent which stored rows are alive (without it, pruning dropped every row a
        # pool reused, and the next build made the lists again from nothing)
        cache.used.update(kept)
        for key in kept:
            found = stored.digest(key)
            if found is not None:
                vouched[key] = found
        for key, fragment in made:
            cache.put_row(key, fragment.to_row())
            vouched[key] = fragment.digest
        # Written as they come, not held to the end: 10,000 heroes' rows, cards and
        # search entries are ~140 MiB of JSON the builder would otherwise keep.
        if len(cache.pending) >= FLUSH_ROWS:
            cache.flush()

    try:
        yield memo, remember
    except BaseException:
        cache.save(prune=False)   # what was made stays usable; no ledger for a build that did not finish
        raise
    # Rows another foundry made (its code is in every key), and rows of entities
    # since edited, pile up: when they outnumber what this build used, keep only
    # that. `used` is whole: rows reused in forked workers come back as `kept`.
    crowded = len(cache.preloaded) > 2 * max(len(cache.used), 1) + 1000
    cache.save(prune=crowded)
    if vouched:   # a build that asked for no fragment leaves the last ledger as it is
        write_sealed(world.project.root, LEDGER, {"hashes": dict(hashes), "fresh": vouched})
