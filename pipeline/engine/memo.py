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
from typing import Any

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
    """What the last build vouched for, of one kind (artifacts or fragments): `hashes`,
    the input hashes it rendered with; `fresh`, the digest of each artifact or row it
    found or made fresh then, by path or key. `now`: this build's input hashes."""

    def __init__(self, hashes: Mapping[str, str], fresh: Mapping[str, str], now: Mapping[str, str]):
        self.fresh = fresh
        # every key whose hash is not what it was, a key gone or new included (the
        # digest counts a missing key as "-", so a key missing then and now is unchanged)
        self.changed = frozenset(key for key in hashes.keys() | now.keys() if hashes.get(key) != now.get(key))

    def vouches(self, name: str, digest: str, reads: tuple[str, ...]) -> bool:
        """Whether the artifact or row `name`, kept with `digest` over `reads`, is fresh
        now: the one the last build found fresh (same digest), none of its reads changed."""
        return self.fresh.get(name) == digest and self.changed.isdisjoint(reads)

    def __call__(self, key: str, stored: Fragment) -> bool:
        """A FragmentMemo's `vouched(key, stored)`."""
        return self.vouches(key, stored.digest, stored.reads)


def _claims(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return value
    return None


class Ledgers:
    """The ledger file (`.foundry-cache/fragment-ledger.json`, sealed): what the last
    build vouched for, artifacts and fragments, and what this one vouches for, saved
    by `save`. The fragments' part is carried over, with the hashes it was made under,
    by a build that rendered no list (it checked no row, so it can vouch for none)."""

    def __init__(self, stored: Any, now: Mapping[str, str]):
        self.now = now
        self.previous: dict[str, Ledger] = {}
        self.claims: dict[str, dict[str, str]] = {"artifacts": {}, "fragments": {}}
        self._carried: dict | None = None
        hashes = _claims(stored.get("hashes")) if isinstance(stored, dict) else None
        if hashes is None:
            return
        for kind in ("artifacts", "fragments"):
            fresh = _claims(stored.get(kind))
            then = hashes if stored.get(f"{kind}_hashes") is None else _claims(stored.get(f"{kind}_hashes"))
            if fresh is not None and then is not None:
                self.previous[kind] = Ledger(then, fresh, now)
                if kind == "fragments":
                    self._carried = {"fragments": fresh, "fragments_hashes": then}

    @classmethod
    def stored(cls, root, now: Mapping[str, str]) -> "Ledgers":
        """The ledgers the last build left in the project at `root` (one this user's
        foundry did not seal is never loaded: none then)."""
        return cls(read_sealed(root, LEDGER, MAX_LEDGER_BYTES), now)

    def vouches(self, kind: str, name: str, digest: str, reads: tuple[str, ...]) -> bool:
        ledger = self.previous.get(kind)
        return ledger is not None and ledger.vouches(name, digest, reads)

    def save(self, root) -> None:
        """Write what this build vouched for (`claims`), under its hashes (`now`)."""
        value: dict[str, Any] = {"hashes": dict(self.now), "artifacts": self.claims["artifacts"]}
        if self.claims["fragments"]:
            value["fragments"] = self.claims["fragments"]
        elif self._carried is not None:
            value.update(self._carried)
        write_sealed(root, LEDGER, value)


@contextmanager
def fragment_memo(world, hashes: Mapping[str, str], recipes: Mapping[str, str], needed: bool,
                  ledgers: Ledgers | None = None):
    """Yields (memo, remember): the memo for this build's renders, and a function the
    builder calls with each result's new fragments and the keys of the stored ones it
    reused (made or found in this process or a worker); what was remembered is saved
    when the block ends, and a stored fragment no render reused may be pruned. The
    ledger (see the module's docstring): `ledgers`, the builder's (it saves them
    after its renders); without, this block reads and writes the ledger file itself.
    With nothing to render (`needed` false) the cache is not opened."""
    if not needed:
        yield FragmentMemo(world, {}, hashes, recipes), lambda made, kept=(): None
        return
    own = ledgers is None
    ledgers = Ledgers.stored(world.project.root, hashes) if ledgers is None else ledgers
    cache = ParseCache(world.project.root, "fragments")
    stored = StoredFragments(cache)
    memo = FragmentMemo(world, stored, hashes, recipes)
    if "fragments" in ledgers.previous:
        memo.vouched = ledgers.previous["fragments"]
    vouched = ledgers.claims["fragments"]   # this build's: key → digest of each row made or reused

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
    if own and vouched:   # a build that asked for no fragment leaves the last ledger as it is
        ledgers.save(world.project.root)
