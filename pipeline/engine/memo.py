"""The tables of the sealed cache a render reads, looked up by key as renders ask:
the `fragments` table (rows of list artifacts, render/fragments.py) and the `prose`
table (rendered Markdown, load/markdown.py). Neither is read whole: at 10,000 heroes
the two are ~100 MiB of text, which the builder held when it forked and every worker
then started from (docs/performance.md, branch `peak`). A build after one edit looks
up every row of a 10,000-hero list, in the worker that renders the list; a build that
renders no list reads none."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .. import seal
from ..load.cache import MAX_ROW_CHARS, ParseCache
from ..render.fragments import Fragment, FragmentMemo, SealedRow

FLUSH_ROWS = 500   # fragments put into the cache file at a time (engine/memo.py fragment_memo)
# Keys of one group (a key up to its last ":", e.g. every hero's JSON row) looked up one
# query each before the rest of the group is read in one: an entity page asks for a
# few rows, a list for thousands.
GROUP_READ_AFTER = 64


class SealedRows(Mapping):
    """One table of `cache` as a mapping from key to the row's text, each row read
    when asked for and only if its MAC verifies (as `ParseCache.preloaded` would hold
    it). Rows are read one query each, until more than GROUP_READ_AFTER of one group
    were asked for: then the rest of that group in one query, each row kept only
    until it is asked for. In the process that opened `cache` the rows come through its
    connection (which sees the rows it flushed); a forked worker opens its own, read
    only (a connection must not cross a fork, docs: sqlite.org/howtocorrupt.html 2.6).
    Any SQLite error is a row not found: the render then makes it again.
    `blobs`: each row's text as its UTF-8 bytes, as the file holds them (the bytes its
    MAC is over), instead of a str: not decoded into a str and encoded back for the
    MAC, for a caller that wants bytes anyway (StoredFragments)."""

    def __init__(self, cache: ParseCache, blobs: bool = False):
        self._cache = cache
        self._owner = os.getpid()
        self._db: sqlite3.Connection | None = None
        self._db_pid = 0
        self._type = bytes if blobs else str
        payload = "CAST(payload AS BLOB)" if blobs else "payload"
        # a row's size as its bytes when they are what is read: length() of a text
        # counts its characters, a scan of every row (~25 % of reading a list's rows);
        # a blob's is known. Bytes are at least as many as characters, so the budget
        # holds (a row within it by characters and not by bytes is made again).
        size = f"length({payload})"
        self._select = f"SELECT {payload}, mac FROM {cache.table} WHERE key = ? AND {size} <= ?"
        # made here, not in a worker: the project's root may be relative to this folder
        self._uri = Path(os.path.abspath(cache.path)).as_uri() + "?mode=ro" if cache.path is not None else None
        self._range = (f"SELECT key, {payload}, mac FROM {cache.table} WHERE key >= ? AND key < ? "
                       f"AND {size} <= ? AND length(key) <= 4096")
        self._all = (f"SELECT key, {payload}, mac FROM {cache.table} WHERE {size} <= ? "
                     "AND length(key) <= 4096")
        # the key's HMAC state made once (seal.Verifier): a list verifies thousands of rows
        self._verify = seal.Verifier(cache.secret)
        self._purpose = f"cache:{cache.table}:"   # ParseCache._purpose(key), its constant part
        self._last: tuple[str, str | None] = ("", None)   # `key in rows` and then `rows[key]` read once
        self._asked: dict[str, list[str]] = {}               # keys looked up one by one, by group
        self._batches: dict[str, dict[str, str]] = {}       # rows of a group read together (verified), not yet asked for

    def _connection(self) -> sqlite3.Connection | None:
        if os.getpid() == self._owner:
            return self._cache.db
        if self._db_pid != os.getpid():
            self._db, self._db_pid = None, os.getpid()
            if self._uri is not None:
                try:
                    db = sqlite3.connect(self._uri, uri=True)
                    db.execute("PRAGMA trusted_schema = OFF")   # the parent checked the schema is ours
                    self._db = db
                except sqlite3.Error:
                    pass
        return self._db

    def get(self, key: str, default=None):
        if self._last[0] == key and key:
            found = self._last[1]
            return default if found is None else found
        group = key[:key.rfind(":") + 1]   # "json:<recipe>|row:hero:" — a list asks for all of them
        batch = self._batches.get(group)
        asked = self._asked.setdefault(group, []) if batch is None else ()
        if len(asked) >= GROUP_READ_AFTER:
            batch = self._read_group(group)
            if batch is not None:
                for done in asked:   # asked for already: not kept
                    batch.pop(done, None)
                self._batches[group] = batch
        if batch is not None:
            found = batch.pop(key, None)   # checked as read; each key is asked once per process
        else:
            asked.append(key)
            row = self._read_one(key)
            found = row[0] if row is not None and self._verified(key, *row) else None
        self._last = (key, found)
        return default if found is None else found

    def _read_one(self, key: str) -> tuple | None:
        db = self._connection()
        if db is None:
            return None
        try:
            # fetchall, not fetchone: the statement runs to its end and lets go of
            # the read lock (the builder is writing the same file meanwhile)
            rows = db.execute(self._select, (key, MAX_ROW_CHARS)).fetchall()
        except sqlite3.Error:
            return None
        return rows[0] if rows else None

    def _verified(self, key: str, payload: object, mac: object) -> bool:
        if type(payload) is not self._type:
            return False
        return self._verify(self._purpose + key, payload if self._type is bytes else payload.encode(), mac)

    def _read_group(self, group: str) -> dict[str, str] | None:
        """Every row whose key starts with `group` and whose MAC verifies, in one query
        (`get` takes the one asked for, then lets it go): a list asking for 10,000 rows
        one query each spent ~2.5 times the CPU of reading them together. Each row is
        checked as it is read and kept only if it verifies: a committed cache can hold
        any number of big rows under a group's (computable) prefix, which were all held
        unchecked. None (go on one by one) when the file cannot be read now."""
        db = self._connection()
        if db is None or not group:
            return None if db is None else self._read_all(db)
        return self._kept(db, self._range, (group, group[:-1] + chr(ord(group[-1]) + 1), MAX_ROW_CHARS))

    def _read_all(self, db: sqlite3.Connection) -> dict[str, str] | None:
        return self._kept(db, self._all, (MAX_ROW_CHARS,))

    def _kept(self, db: sqlite3.Connection, query: str, params: tuple) -> dict[str, str] | None:
        kept: dict[str, str] = {}
        try:
            for key, payload, mac in db.execute(query, params):
                if isinstance(key, str) and self._verified(key, payload, mac):
                    kept[key] = payload
                del payload   # not held while the next row is read
        except sqlite3.Error:
            return None
        return kept

    def __getitem__(self, key: str) -> str:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        """Every key of the table (rows not checked: `get` checks the one asked for)."""
        db = self._connection()
        if db is None:
            return iter(())
        try:
            return iter([key for (key,) in db.execute(f"SELECT key FROM {self._cache.table} WHERE length(key) <= 4096")])
        except sqlite3.Error:
            return iter(())

    def __len__(self) -> int:
        return count_rows(self._cache)


def _holds_a_row(cache: ParseCache) -> bool:
    """Whether `cache`'s table holds any row (verified or not): one row looked for, not
    counted (`count_rows` walks the table's index: ~111,500 rows at 10,000 heroes). A
    file that cannot be read says yes: its rows are then looked up, and not found."""
    if cache.db is None:
        return False
    try:
        return cache.db.execute(f"SELECT 1 FROM {cache.table} LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return True


def count_rows(cache: ParseCache) -> int:
    """How many rows `cache`'s table holds (verified or not), without reading them."""
    if cache.db is None:
        return 0
    try:
        return cache.db.execute(f"SELECT count(*) FROM {cache.table}").fetchone()[0]
    except sqlite3.Error:
        return 0


class StoredFragments(Mapping):
    """The fragments an earlier build stored, by key, read and decoded when asked for
    (SealedRows); a row that does not decode is absent (the list renders it again)."""

    def __init__(self, cache: ParseCache, none_stored: bool = False):
        """`none_stored`: the table held no row when this build's renders began
        (`fragment_memo`): no row is looked up."""
        self._rows = SealedRows(cache, blobs=True)
        self._cache = cache
        self._none = none_stored

    def get(self, key: str, default=None):
        """The stored fragment `key`, or `default`. Asked once per row a list shows
        (FragmentMemo.get): Mapping's own `get` went through `__getitem__` and a KeyError."""
        if self._none:
            return default
        raw = self._rows.get(key)
        if _pid() == self._rows._owner:
            self._cache.used.add(key)
        found = Fragment.from_row(raw) if raw is not None else None
        return default if found is None else found

    def text(self, key: str) -> bytes | None:
        """Row `key` as its bytes, MAC-checked and not decoded (a list's span log,
        render/stored_spans.py), or None; kept alive in the cache like a row reused."""
        if _pid() == self._rows._owner:
            self._cache.used.add(key)
        return self._rows.get(key)

    def __getitem__(self, key: str) -> Fragment:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _pid() -> int:
    """os.getpid(), remembered until a fork (a system call per row: a list asks for 10,000)."""
    pid = _PID[0]
    if pid is None:
        pid = _PID[0] = os.getpid()
    return pid


_PID: list[int | None] = [None]
os.register_at_fork(after_in_child=lambda: _PID.__setitem__(0, None))


@contextmanager
def fragment_memo(world, hashes: Mapping[str, str], recipes: Mapping[str, str], needed: bool):
    """Yields (memo, remember): the memo for this build's renders, and a function the
    builder calls with each result's new fragments and the keys of the stored ones it
    reused (made or found in this process or a worker); what was remembered is saved
    when the block ends, and a stored fragment no render reused may be pruned. With
    nothing to render (`needed` false) the cache is not opened."""
    if not needed:
        yield FragmentMemo(world, {}, hashes, recipes), lambda made, kept=(), log=None, listed_rows=0: None
        return
    cache = ParseCache(world.project.root, "fragments")
    # A table with no row (the cache deleted, a fresh clone): no row looked up. In such a
    # build at 10,000 heroes the workers looked up 111,532 rows (~0.2 CPU-s) and found
    # 2, which the other worker had drawn and the builder written meanwhile: drawn
    # again instead (docs/performance.md cold-clean43). A forked worker's rows come
    # sealed, written here as they are (render/fragments.py `sealed_rows`).
    memo = FragmentMemo(world, StoredFragments(cache, none_stored=not _holds_a_row(cache)), hashes, recipes,
                        seal=cache.sealer())

    listed = [0]   # rows the lists spliced from their logs show, named by the log (`listed`)

    def remember(made, kept=(), log=None, listed_rows=0) -> None:
        # a worker's lookups happen in its own copy of the cache: only this tells the
        # parent which stored rows are alive (without it, pruning dropped every row a
        # pool reused, and the next build made the lists again from nothing)
        cache.used.update(kept)
        listed[0] += listed_rows
        if log is not None:   # (key, text): a list's span log (render/stored_spans.py)
            cache.put_row(*log)
        # Written as they come, not held to the end: 10,000 heroes' rows, cards and
        # search entries are ~140 MiB of JSON the builder would otherwise keep; and
        # FLUSH_ROWS at a time within one result's, which may hold many more
        # (render/pool.py: a worker's backlog, sent with one result when the caller
        # takes no rows apart).
        flushed = False
        for key, fragment in made:
            if type(fragment) is SealedRow:   # a forked worker's, its text and MAC made there
                cache.put_sealed(key, fragment.text, fragment.mac)
            else:   # made in this process
                cache.put_row(key, fragment.to_row())
            if len(cache.pending) >= FLUSH_ROWS:
                cache.flush()
                flushed = True
        if flushed or len(cache.pending) >= FLUSH_ROWS:
            cache.flush()
            _commit(cache)

    try:
        yield memo, remember
    finally:
        # Rows another foundry made (its code is in every key), and rows of entities
        # since edited, pile up: when they outnumber what this build used, keep only
        # that. `used` is whole: rows reused in forked workers come back as `kept`.
        # Not while a list is kept: its rows and span log are alive though no render
        # asked for them. An edit that changes no value (early cutoff) renders two
        # lists of fourteen at 10,000 heroes: pruned to their rows, the next edit
        # rendered the heroes index and relationships.html whole (~3.2 CPU-s), and
        # after a few such builds every list (~14 CPU-s). Unless far more crowded.
        # A spliced list's rows are alive though named by its log, not each in `used`
        # (render/stored_spans.py `Spliced.listed`): counted as used, and kept as a kept
        # list's are (pruned only when far more crowded; its log is in `used`)
        rows, used = count_rows(cache), max(len(cache.used) + listed[0], 1)
        crowded = rows > 2 * used + 1000 and (not (memo.lists_kept or listed[0]) or rows > 8 * used + 100_000)
        cache.save(prune=crowded)


def _commit(cache: ParseCache) -> None:
    """Commit the rows flushed so far: the workers read this file while the builder
    writes it, and a write transaction held open until the render ends would (once
    SQLite's page cache spills) lock them out of every row until then."""
    if cache.db is not None:
        try:
            cache.db.commit()
        except sqlite3.Error:
            pass   # still pending in the transaction: save() commits or resets
