"""A cache of parse results (YAML documents, story scenes), keyed by a hash of all
they depend on, so an unchanged file is never parsed twice. SQLite (standard library, crash-safe) holding JSON (data, never code);
a cache that cannot be opened or read is deleted and rebuilt, never trusted.

The cache sits in the checkout, where a pull request can commit one: each row carries
an HMAC made with this user's key (pipeline/seal.py), and a row whose MAC does not
verify is a miss. The folder is used only when it is a real folder of the project
(not a link), and links named like its files are removed before SQLite opens them.

Checking the `parsed` table's MACs (31,808 rows, 64 MB at 10,000 heroes) is ~0.14
CPU-s of every build, for a file that is usually exactly as the last build left it.
So a build that knows the table holds only rows this user's foundry made or verified
among its own writer's (`ParseCache.clean`: it read its rows whole and every MAC verified, or it found
the table trusted, and it wrote only its own rows since) notes the file's stat once it
has written it for the last time (`note_unchanged`, a sealed one-row memo:
load/hash_memo.py's mtime, ctime, size and inode, which a checkout or a copy cannot
reproduce and any change of the file moves), and the next reader that finds the file
with that very stat, and is the same foundry (the note names the writer: another
foundry's rows in the file were never read, so never verified, by the noting build),
takes its `parsed` rows without their MACs (`trusted`). A file
committed, copied, restored or changed since in any way (this process's own writes
included) is checked row by row, as always; one in which a row did not verify is never
noted, since the row stays in the file (only `get` skips it).

The note vouches for the very file the table was read from, never for whatever is at
its path when the build ends: a checkout during a build (of a pull request committing
a `parsed.sqlite`) puts another file there, whose rows nobody verified. So the file
carries a random nonce (meta row `nonce`, made anew by each load that writes the
table, in the same transaction), and the note is taken only when the file at the
path, its stat the same before and after the nonce is read, holds the nonce this
build read or wrote (`vouch`): a file of anyone else holds another.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import sqlite3
import stat
import threading
import weakref
from pathlib import Path
from typing import Any, Callable

from .. import seal
from . import rowjson
from ..toolid import writer_tag

from ..confine import boundary
from .cache_folder import CACHE_DIR, cache_folder  # noqa: F401 (where every cache file lives)
from .hash_memo import HashMemo, file_stat

FILE = "parsed.sqlite"
FORMAT = "4"
# parsed: documents, scenes, derived stats; prose: rendered Markdown (load/markdown.py);
# fragments: rows of list artifacts (render/fragments.py); builds: what the last build
# found of them (write/state.py `keep_rows`)
TABLES = ("parsed", "prose", "fragments", "builds")
MAX_ROW_CHARS = 64 * 1024 * 1024
# Lookups answered one row at a time before the table is read whole (`ParseCache.get`).
SINGLE_LOOKUPS = 64
# Rows looked up together by `ParseCache.prefetch`, one `key IN (…)` a batch (SQLite's
# default bound on a statement's parameters is 32,766; far fewer keep each statement small).
PREFETCH_BATCH = 500
# The one-row memo of the file's stat as a build left it (`note_unchanged`), and how
# long after its last write the stat may be noted (seconds: past the tick of Linux's
# coarse clock, as write/state.py GRAIN; where ctimes are whole milliseconds,
# load/hash_memo.py's RACY applies instead).
STAT_MEMO = "cache-stat.json"
NOTE_AFTER = 0.025
# How long a parse worker waits for SQLite's write lock (`ParseCache.write_own`): the
# other worker's commit of a chunk's rows takes milliseconds; a lock held longer is
# someone else's, and the worker then sends its rows to the parent instead.
WORKER_LOCK_SECONDS = 2.0


# The foundries whose `parsed` rows are kept: this one and the one before it (a writer
# switching between a release and a dev checkout keeps both; a third's rows go).
WRITERS = 2
_TAG = re.compile(r"[0-9a-f]{16}")


def _bounds(tag: str) -> tuple[str, str]:
    """The range of keys (`key >= low AND key < high`) a writer's rows have: '-' is
    followed by '.' in ASCII, so it is one walk of the primary key's index."""
    return f"{tag}-", f"{tag}."


# SQLite acts on files beside a database when it opens it. A rollback journal
# ("-journal") that no connection is writing ("hot": left by a crash, or committed) is
# played back into the database, and the file its super-journal record names is then
# DELETED (pager.c `pager_delsuper`): any file the user may delete, in the project or
# out, named by a pull request. Foundry never uses WAL, so "-wal" and "-shm" are never
# its own. Such files are removed, with the database (not known to be whole without its
# journal), before SQLite opens it; a journal another process is writing is left.
_JOURNAL = "-journal"
_NOT_OURS = ("-wal", "-shm")
# The byte SQLite's unix VFS write-locks (fcntl) while a connection may be writing the
# database, its journal live (os_unix.c RESERVED_BYTE: PENDING_BYTE + 1).
_RESERVED_BYTE = 0x40000000 + 1
# The caches of this process with a connection open, by the file's real path: while one
# is, the file's journal may be its live one, and SQLite's locks are this process's
# (an fd of the file opened and closed here would release them: fcntl locks are per
# process), so the files beside it are judged only by the first to open it.
_connected: dict[str, "weakref.WeakSet[ParseCache]"] = {}


def _clear_unplayed(folder: Path, name: str) -> None:
    """Remove what SQLite would play back or act on beside folder/name that is not a
    live connection's (see `_JOURNAL`): a hot journal, a WAL file, a shared-memory file,
    and the database with them. Links were removed first (`_clear_links`)."""
    path = folder / name
    key = os.path.realpath(path)
    if any(cache.db is not None for cache in _connected.get(key, ())):
        return
    found = [folder / (name + suffix) for suffix in (_JOURNAL, *_NOT_OURS) if os.path.lexists(folder / (name + suffix))]
    if not found or (found == [folder / (name + _JOURNAL)] and _being_written(path)):
        return
    for stray in (*found, path):
        try:
            stray.unlink()
        except FileNotFoundError:
            pass


def _being_written(path: Path) -> bool:
    """Whether another process holds SQLite's write lock on the database (its journal
    is live): a read lock on that byte is refused then. Asked only while this process
    has no connection to the file (`_connected`)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, _RESERVED_BYTE)
    except OSError:
        return True
    finally:
        os.close(fd)   # lets the read lock go, if it was taken
    return False


def _clear_links(folder: Path, name: str) -> None:
    """A committed link named like a cache file would make SQLite write through it."""
    for suffix in ("", "-journal", "-wal", "-shm", ".tmp"):
        path = folder / (name + suffix)
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                path.unlink()
        except OSError:
            pass


# The longest `meta` value foundry writes is the writers' list (two tags): the rows are
# not sealed, and a longer one (a committed file's, up to SQLite's 1 GB) is read as none,
# never loaded (a JSON list of millions of tags took gigabytes to parse).
MAX_META_CHARS = 4096
_META = "SELECT value FROM meta WHERE key = ? AND length(value) <= ?"

_COLUMNS = {"meta": "(key TEXT PRIMARY KEY, value TEXT)", "rows": "(key TEXT PRIMARY KEY, payload TEXT, mac TEXT)"}


def _schema_is_ours(db: sqlite3.Connection) -> bool:
    """Whether every object in the file is a table foundry creates, exactly as it
    creates it (with the index SQLite makes for its primary key): no view, trigger,
    other table or column."""
    expected = {"meta": f"CREATE TABLE meta {_COLUMNS['meta']}"}
    expected.update({t: f"CREATE TABLE {t} {_COLUMNS['rows']}" for t in TABLES})
    for kind, name, table, sql in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        if kind == "table" and expected.get(name) == sql:
            continue
        if kind == "index" and sql is None and name == f"sqlite_autoindex_{table}_1" and table in expected:
            continue
        return False
    return True


class ParseCache:
    """One table of the cache file (TABLES)."""

    def __init__(self, root: Path, table: str = "parsed"):
        assert table in TABLES
        self.table = table
        self.root = root
        self.secret = seal.key(root)
        folder = cache_folder(root)
        # the folder as held open (confine.Boundary.held): SQLite takes a path, and a
        # .foundry-cache swapped for a link out after cache_folder looked at it would have
        # had the cache (and its journal, and a reset's unlink) written there
        held = self._held(root, folder) if folder is not None else None
        self.path = held / FILE if held is not None else None
        self.db: sqlite3.Connection | None = None
        # rows to write: (key, payload, MAC), the MAC None until `_sealed` makes it
        self.pending: list[tuple[str, str, str | None]] = []
        self.hits = self.misses = 0
        self._preloaded: dict[str, str | bytes] | None = None   # a row as read (bytes) or adopted (str)
        self.used: set[str] = set()
        self._made: set[str] = set()   # rows adopted from workers this run
        self._single = 0               # rows looked up one by one before the table is read whole
        # how many: a build whose heroes come from their summaries (resolve/summaries.py)
        # asks ~3 rows of each of the other ~1,500 files, not the 33,500 rows of the table
        self.single_limit = SINGLE_LOOKUPS
        self._looked: dict[str, bytes | None] = {}   # rows looked up one by one (`has`, then `get`)
        # A reader that asks each row once (resolve/world.py `_reader`: each summarised
        # hero decoded once, in a render worker): every row looked up alone and not kept.
        # Read whole, the table (78 MiB at 10,000 heroes, ~45 of it rows no hero asks)
        # was held for the worker's life beside what was decoded from it: the clean
        # `--only html` build's peak, its lists' worker, 596 -> 510 MiB; 21,000 lookups
        # cost ~0.1 CPU-s more than the one read (docs/performance.md mem41)
        self.once = False
        # set when this run asks only some of the rows it would need to judge the rest
        # (the summaries stand for most files): `save` prunes nothing, and a `trusted`
        # table's rows are looked up one by one (an untrusted one is read whole, every
        # MAC verified, so that the build may vouch for it: `clean`)
        self.partial = False
        self._trusted: bool | None = None   # decided at the first read (`trusted`)
        self._refused = 0              # rows whose MAC did not verify (`clean`)
        self._nonce: str | None = None   # the file's meta `nonce` as read or written here (`vouch`)
        self._saving: threading.Thread | None = None   # `save_behind`'s, until it is waited for
        self._writing: threading.Thread | None = None  # `write_behind`'s, until it is waited for (`_written`)
        self._others_wrote = False   # parse workers wrote rows into the file (`adopt`)
        self._own: sqlite3.Connection | None | bool = False   # a parse worker's own connection (`forked`)
        self._forkable = False   # a worker forked now may open its own connection (`settle`)
        self._inherited: sqlite3.Connection | None = None   # the parent's, in a forked worker: never used (`forked`)
        try:
            self._open()
        except (sqlite3.Error, OSError):
            self._reset()

    def _held(self, root: Path, folder: Path) -> Path | None:
        """`folder` by the name its held descriptor gives (closed with this cache); None
        when it leads outside the project now (nothing is cached: slower, still correct)."""
        try:
            name, fd = boundary(root).held(folder)
        except OSError:
            return None
        if fd is not None:
            weakref.finalize(self, os.close, fd)
        return Path(name)

    def _open(self) -> None:
        self._nonce = None
        if self.path is None:
            return
        _clear_links(self.path.parent, FILE)
        _clear_unplayed(self.path.parent, FILE)
        # used by one thread at a time: `save_behind`'s while it saves, which every
        # other use of this cache waits for (`_wait`)
        self.db = sqlite3.connect(self.path, check_same_thread=False)
        _connected.setdefault(os.path.realpath(self.path), weakref.WeakSet()).add(self)
        # The file's schema is the pull request's too: SQL in it (a view named like a
        # table, a trigger) runs when the table is read or written, so a recursive
        # view would hang the build. Only the tables foundry creates are accepted;
        # anything else makes the file untrusted (it is deleted and made afresh).
        self.db.execute("PRAGMA trusted_schema = OFF")
        # No fsync at a commit. A clean build commits its fragments as they come (engine/
        # memo.py `_commit`: 27-188 commits at 10,000 heroes, as results batch), and each
        # waited for the disk twice (journal, then file: 16-54 ms a commit, 0.8-8 ms
        # without) while the render workers waited to hand over their next result (both
        # ~45 % blocked sending while the lists' rows were stored, docs/performance.md
        # clean27). What the sync guards against is a power cut or
        # a kernel crash mid-commit, which can leave the file corrupt: this is a cache,
        # and a corrupt file is reset as a foreign one is (`_reset`), each row MAC-checked
        # anyway. A killed process is not a power cut: the kernel keeps every write it
        # made, and a journal it left removes the file as before (`_clear_unplayed`).
        self.db.execute("PRAGMA synchronous = OFF")
        if not _schema_is_ours(self.db):
            raise sqlite3.DatabaseError("not a cache foundry wrote")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS meta {_COLUMNS['meta']}")
        for table in TABLES:
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} {_COLUMNS['rows']}")
        row = self.db.execute(_META, ("format", MAX_META_CHARS)).fetchone()
        if row is None or row[0] != FORMAT:
            for table in TABLES:
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
            self.db.commit()
        self._forget_other_foundry()
        if self.table == "parsed":
            self._nonce = _meta_nonce(self.db)
        self._preloaded = None   # read on first use: `foundry serve` asks for the few files a save changed

    def _forget_other_foundry(self) -> None:
        """Keep the `parsed` rows of the last WRITERS foundries that wrote the table (by
        `tool_id`: version and code), this one first, and delete every other row. Every
        key of that table starts with its writer's tag (`key_of`), so no row of another
        foundry is ever found, and each build reads and MAC-checks only its own
        (`preloaded`). Deleting every other writer's rows (edit14: at 10,000 heroes a
        one-edit build read 31,832 dead rows of 63,634) made a writer switching between
        two installs (a release and a dev checkout) parse everything again on each
        switch; two writers' rows are kept, a third's go (docs/performance.md, fix16b).
        The meta row is not sealed: a forged one can only make this table start empty
        or keep rows no build reads."""
        import json
        tag = writer_tag()
        row = self.db.execute(_META, ("writers", MAX_META_CHARS)).fetchone()
        try:
            known = json.loads(row[0]) if row is not None else []
        except (ValueError, RecursionError):   # not sealed: a committed `[[[…]]]` nests past the recursion limit
            known = []
        if not (isinstance(known, list) and all(isinstance(w, str) and _TAG.fullmatch(w) for w in known)):
            known = []
        if known[:1] == [tag]:
            return
        writers = [tag] + [w for w in known if w != tag][:WRITERS - 1]
        kept = " OR ".join("(key >= ? AND key < ?)" for _ in writers)
        self.db.execute(f"DELETE FROM parsed WHERE NOT ({kept})", [b for w in writers for b in _bounds(w)])
        self.db.execute("DELETE FROM meta WHERE key = 'tool'")   # the single writer FORMAT 4 kept (edit14)
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('writers', ?)", (json.dumps(writers),))
        self.db.commit()

    def _mine(self) -> tuple[str, tuple[str, ...]]:
        """An SQL condition (and its parameters) for the rows this foundry reads and
        prunes: in `parsed`, its own writer's; in the other tables, every row."""
        if self.table != "parsed":
            return "1", ()
        return "key >= ? AND key < ?", _bounds(writer_tag())

    @property
    def preloaded(self) -> dict[str, str | bytes]:
        """Every row of the table, by key, read on first use. One query for everything:
        10,000 single-row lookups cost more than the parsing. A row without a valid MAC
        was not written here: it is not loaded at all. A row over MAX_ROW_CHARS was not
        written here either (a content file is at most 2 MiB): SQLite skips it, so it is
        never loaded into memory to fail its MAC."""
        if self._preloaded is None:
            self._wait()
            self._preloaded = {}
            if self.db is not None:
                trusted = self.trusted
                try:
                    mine, bounds = self._mine()
                    # row by row, each checked as it is read, never fetchall(): a committed
                    # file can hold any number of rows under our keys, each just under
                    # MAX_ROW_CHARS, and all of them in memory at once stopped the build
                    # each payload as the bytes stored (CAST): the MAC was made over them and
                    # orjson reads them as they are, so no str is made of the ~65 MB a build
                    # reads at 10,000 heroes (a text's length() counts its characters by
                    # reading it through: its bytes bound it from above, from the header)
                    rows = self.db.execute(
                        f"SELECT key, CAST(payload AS BLOB), mac FROM {self.table} WHERE {mine} "
                        "AND length(CAST(payload AS BLOB)) <= ? AND length(key) <= 4096", (*bounds, MAX_ROW_CHARS))
                    read = 0
                    kept = self._preloaded
                    for key, payload, tag in rows:
                        read += 1
                        if isinstance(key, str) and isinstance(payload, bytes) \
                                and (trusted or seal.verify(self.secret, self._purpose(key), payload, tag)):
                            kept[key] = payload
                        del payload   # not held while the next row is read
                    self._refused += read - len(kept)
                except sqlite3.Error:
                    self._reset()
                    self._preloaded = {}
                    self._refused += 1   # not known to hold only our rows
        return self._preloaded

    @property
    def trusted(self) -> bool:
        """Whether this is the `parsed` table of a file exactly as a build left it that
        noted it clean (`note_unchanged`), at this instance's first read: its rows are
        then taken without their MACs (see the module's docstring). Decided once."""
        if self._trusted is None:
            self._trusted = self.table == "parsed" and self.path is not None and self.db is not None \
                and HashMemo(self.root, STAT_MEMO).recorded(self.path, FILE) == _noted()
        return self._trusted

    @property
    def clean(self) -> bool:
        """Whether every row of the table is one this user's foundry wrote or verified:
        it was trusted, or read whole (`preloaded`) with no row refused; rows put since
        are this run's own. What `note_unchanged` may vouch for."""
        self._wait()
        return self.table == "parsed" and self._refused == 0 and (self.trusted or self._preloaded is not None)

    def vouch(self) -> str | None:
        """When the table is `clean` and saved: the nonce of the file it was read from and
        written to, for `note_unchanged` to find in the file at the path (else None)."""
        self._wait()
        return self._nonce if self.clean and self.db is None else None

    def _row(self, key: str) -> bytes | None:
        """One row, as `preloaded` would hold it (verified, within the size bounds),
        without reading the table whole: a `foundry serve` save asks for the one file it
        changed, and the whole table is 20,000 rows to read and verify at 10,000 heroes."""
        self._single += 1
        self._written()
        if self.db is None:
            return None
        try:
            row = self.db.execute(f"SELECT CAST(payload AS BLOB), mac FROM {self.table} WHERE key = ? "
                                  "AND length(CAST(payload AS BLOB)) <= ?", (key, MAX_ROW_CHARS)).fetchone()
        except sqlite3.Error:
            return self.preloaded.get(key)   # as a whole read would: the file reset, nothing found
        if row is None or not isinstance(row[0], bytes):
            return None
        if not (self.trusted or seal.verify(self.secret, self._purpose(key), row[0], row[1])):
            self._refused += 1
            return None
        return row[0]

    def prefetch(self, keys: list[str]) -> None:
        """Look up `keys` together, each row as `_row` would find it, for `_lookup` to
        answer from (`has` and `get` ask each once): rows whose keys are known before
        they are asked, one SELECT a batch (PREFETCH_BATCH keys) instead of one a row.
        After a value edit at 10,000 heroes the stories, quests and template's ~2,000
        such rows cost a SELECT each, ~17 µs, on the builder's one thread before the
        render forks (docs/performance.md load43). Only while the rows would be looked
        up one by one anyway: not for a reader that asks each row once (`once`), nor
        once the table is read whole, nor for more rows than `single_limit` leaves
        (they would be read whole then, and verified so: `clean`)."""
        self._wait_save()
        keys = [key for key in dict.fromkeys(keys) if key not in self._looked]
        if not keys or not self.prefetches(len(keys)):
            return
        self._written()
        if self.db is None:
            return
        self._single += len(keys)
        trusted, found = self.trusted, {}
        try:
            for at in range(0, len(keys), PREFETCH_BATCH):
                batch = keys[at:at + PREFETCH_BATCH]
                rows = self.db.execute(
                    f"SELECT key, CAST(payload AS BLOB), mac FROM {self.table} WHERE key IN "
                    f"({','.join('?' * len(batch))}) AND length(CAST(payload AS BLOB)) <= ?", (*batch, MAX_ROW_CHARS))
                for key, payload, tag in rows:
                    if not isinstance(payload, bytes):
                        continue
                    if trusted or seal.verify(self.secret, self._purpose(key), payload, tag):
                        found[key] = payload
                    else:
                        self._refused += 1
        except sqlite3.Error:
            self._single -= len(keys)   # as `_row` would: each looked up again, the table read whole if need be
            return
        for key in keys:
            self._looked[key] = found.get(key)

    def prefetches(self, count: int) -> bool:
        """Whether `prefetch` would look `count` more keys up (see there): a caller asks
        before making the keys (a clean build's 11,500 would be made for nothing)."""
        return not self.once and self._preloaded is None and self._single + count <= self.single_limit

    def _purpose(self, key: str) -> str:
        return f"cache:{self.table}:{key}"

    def _reset(self) -> None:
        try:
            if self.db is not None:
                self.db.close()
            if self.path is not None:
                self.path.unlink(missing_ok=True)
            self._open()
        except (sqlite3.Error, OSError):
            self.db, self._preloaded = None, {}  # no cache at all: slower, still correct

    @staticmethod
    def key_of(*parts: object) -> str:
        """A cache key from everything the cached value depends on, foundry's own code
        included (a changed parser must not be handed what the old one produced)."""
        from ..toolid import tool_id
        h = hashlib.sha256(tool_id().encode() + b"\0")
        for part in parts:
            h.update(str(part).encode())
            h.update(b"\0")
        return f"{writer_tag()}-{h.hexdigest()}"   # the writer first: its rows are one range of keys

    def _lookup(self, key: str) -> bytes | str | None:
        """The row under `key` as `preloaded` would hold it: looked up alone while fewer
        than `single_limit` were (each once: `has` then `get` ask the same), else from
        the table read whole; always alone, and not kept, for a reader that asks each
        row once (`once`)."""
        self._wait_save()   # `_row` and `preloaded` wait for `write_behind` when they use the file
        if self.once:
            return self._row(key)
        if self._preloaded is None and (self._single < self.single_limit or key in self._looked):
            if key not in self._looked:
                self._looked[key] = self._row(key)
            return self._looked[key]
        return self.preloaded.get(key)

    def holds_rows(self) -> bool:
        """Whether the table holds a row this foundry reads (`preloaded` is not empty);
        in a `partial` run found by one row, when the table is not read whole yet and its
        first row verifies."""
        self._wait()
        if self.partial and self._preloaded is None and self.db is not None and self.trusted:
            mine, bounds = self._mine()
            try:
                row = self.db.execute(f"SELECT key FROM {self.table} WHERE {mine} LIMIT 1", bounds).fetchone()
            except sqlite3.Error:
                row = None
            if row is None or (isinstance(row[0], str) and self._lookup(row[0]) is not None):
                return row is not None
        return bool(self.preloaded)

    def only_adopted(self) -> bool:
        """Whether `get` can find no row but those adopted from parse workers this run
        (`adopt`): the table was read whole and held none of this foundry's (a cold
        check: load/workers.py reads it whole to decide), or there is no file. Asked
        before each query's lookup (pipeline/queries.py): a dict's length and a set's."""
        return self._preloaded is not None and len(self._preloaded) == len(self._made)

    def get(self, key: str) -> Any | None:
        """The JSON value stored under `key`, or None. A row put in this run is not
        found (nor was it by reading the table whole), so a row put does not make the
        next lookup read the whole table: a save puts the changed file's parse, then
        asks for its validation (at 10,000 heroes the whole table is ~32,000 rows to
        read and verify, ~0.4 CPU-s a save)."""
        self._wait_save()
        payload = self._lookup(key)
        self.used.add(key)
        if payload is not None:
            try:
                value = rowjson.loads(payload)
                self.hits += key not in self._made
                return value
            except ValueError:
                pass
        self.misses += 1
        return None

    def put(self, key: str, value: Any) -> None:
        """Keep `value` (JSON data) under `key`: written, sealed, by `flush` or `save`."""
        self._wait_save()
        self.pending.append((key, rowjson.dumps(value), None))
        self.used.add(key)

    def put_row(self, key: str, payload: str) -> None:
        """Keep `payload` as the row's text as it is (a caller with its own row form,
        render/fragments.py `Fragment.to_row`, reads it back from `preloaded`)."""
        self._wait_save()
        self.pending.append((key, payload, None))
        self.used.add(key)

    def put_sealed(self, key: str, payload: str, mac: str) -> None:
        """`put_row` with the row's MAC already made (`sealer`'s, in the forked render
        worker that drew the row): written as it is, not sealed again here."""
        self._wait_save()
        self.pending.append((key, payload, mac))
        self.used.add(key)

    def sealer(self) -> Callable[[str, str], str]:
        """(key, row text) → the MAC `flush` would make for that row of this table: for
        a forked render worker to seal the list rows it drew before it sends them
        (render/fragments.py `sealed_rows`). A clean build at 10,000 heroes stores
        ~111,500 rows, and sealing them and making their text took ~0.6 CPU-s of the
        builder's serial path, which takes every worker's results one at a time
        (docs/performance.md cold-clean43)."""
        purpose, mac = self._purpose, seal.Verifier(self.secret).mac
        return lambda key, payload: mac(purpose(key), payload.encode())

    def _sealed(self) -> list[tuple[str, str, str]]:
        """The pending rows, each with its MAC, made now rather than when the row was put:
        HMAC releases the GIL however short the row, and a cold check puts ~20,000
        rows (validations, sheets) while the parse pool's result thread waits for it,
        so each MAC handed the GIL over and waited to get it back (at 10,000 heroes
        ~0.2 CPU-s of MACs took seconds of the main thread's wall time on a busy
        machine). Made after the pool has stopped, they are only their CPU time."""
        self.pending = self._seal(self.pending)
        return self.pending

    def _seal(self, rows: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str]]:
        """`rows`, each with its MAC (made for those without one)."""
        purpose, mac = self._purpose, seal.Verifier(self.secret).mac   # the key's state made once (seal.py)
        return [row if row[2] is not None else (row[0], row[1], mac(purpose(row[0]), row[1].encode()))
                for row in rows]

    def has(self, key: str) -> bool:
        """Whether get(key) would find a value, without counting a hit or a miss. The
        table is read whole for it (a run that reads it whole, with every MAC verified,
        may vouch for it: `clean`), unless this run is `partial` and the table trusted."""
        self._wait_save()
        return self._lookup(key) is not None if self.partial and self.trusted else key in self.preloaded

    def take_writes(self) -> tuple[list[tuple[str, str, str]], set[str], int, int]:
        """What this copy did since the last call: (sealed rows to write, keys used,
        hits, misses), and forget it. A forked worker's copy hands this to the
        parent's cache (adopt), which writes the rows, unless the worker wrote them
        itself (`write_own`)."""
        self._wait_save()
        writes = (self._sealed(), self.used, self.hits, self.misses)
        self.pending, self.used, self.hits, self.misses = [], set(), 0, 0
        return writes

    def forked(self) -> None:
        """In a forked parse worker, before its first use of this copy: the parent's
        connection it inherited is never used here (SQLite's rule for a fork: its
        locks and pages are the parent's), for reading either. A build whose heroes
        come from their summaries looks its rows up one by one (`partial`), so the
        table is not read whole when the pool forks, and a story's scenes were looked
        up in the worker through that connection, beside the parent's own use of it,
        and a read error there reset the file under the parent (`_reset`). A row not
        read before the fork is a miss here (made again, as the parent would). The
        inherited connection is kept, never closed here: closing it is a use too.
        `write_own` opens one of this process's own, if the parent's was not in a
        transaction when it forked (`settle`: else its lock would keep every worker
        waiting)."""
        self._inherited, self.db = self.db, None   # what was read before the fork (`_looked`, `preloaded`) still answers
        self._own = None if self._forkable else False

    def write_own(self, rows: list[tuple[str, str, str]]) -> bool:
        """In a forked parse worker (`forked` first): write `rows` (sealed: `take_writes`)
        into the file through this process's own connection, one transaction, and say
        whether they are in. A cold check's workers make ~48 MB of rows at 10,000
        heroes; sent to the parent, each was pickled, piped, unpickled and written by
        the parent's thread beside its validation (docs/performance.md cold56). The
        workers take turns at SQLite's write lock (the parent writes nothing while
        they parse: it forks with no transaction open, `settle`); one that cannot have
        it within WORKER_LOCK_SECONDS, or meets any SQLite error, writes nothing more
        and sends its rows to the parent as before (False). A worker killed
        mid-transaction may leave the file damaged (its journal is in memory): the
        parent does not vouch for it then (`distrust`), and the next run checks each
        row's MAC or resets a file SQLite cannot read: rows are only missed, never
        taken from another's place."""
        own = self._own
        if own is False or self.path is None or not rows:
            return False
        try:
            if own is None:
                own = sqlite3.connect(self.path, timeout=WORKER_LOCK_SECONDS, isolation_level=None)
                own.execute("PRAGMA trusted_schema = OFF")   # as the parent's (`_open`); the schema is checked below
                own.execute("PRAGMA synchronous = OFF")      # as the parent's (`_open`)
                # The journal in memory: a chunk's rows are a transaction, ~170 of them in a
                # cold check at 10,000 heroes, and making, writing and deleting a journal file
                # for each doubled the writes' CPU. A worker killed mid-transaction may then
                # leave the file damaged: its parent then vouches for nothing (`distrust`),
                # so every row is checked by its MAC, and a file SQLite cannot read is reset.
                own.execute("PRAGMA journal_mode = MEMORY")
                self._own = own
            own.execute("BEGIN IMMEDIATE")   # the write lock first: two writers never wait on each other's read
            try:
                # Opened by its path: the file there may not be the one the parent opened
                # and checked (a checkout during the build puts a pull request's there),
                # and a trigger of its schema would run here at each insert, for ever if
                # it recurses (the pool waited PATIENCE_SECONDS for the worker). Its
                # schema is checked as the parent's was (`_open`), under the write lock.
                if not _schema_is_ours(own):
                    raise sqlite3.DatabaseError("not a cache foundry wrote")
                own.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)", rows)
                own.execute("COMMIT")
            except BaseException:
                if own.in_transaction:
                    own.execute("ROLLBACK")
                raise
            return True
        except sqlite3.Error:
            self._own = False
            return False

    def distrust(self) -> None:
        """This run does not vouch for the file (`clean` is False): a parse worker may
        have been stopped while writing into it (`write_own`), so the next run checks
        every row's MAC rather than trusting the file by its stat; so does this run,
        for every row it reads from the file from now on."""
        self._refused += 1
        self._trusted = False

    def adopt(self, writes: tuple) -> None:
        """Take over what a worker's copy did (take_writes), as if done here; with a
        fifth item true, the worker wrote the rows into the file itself (`write_own`)
        and `rows` are those it sends only to be read here (the rest it wrote are
        not read in this run: a document's parse row, whose document came with it)."""
        self._wait_save()
        rows, used, hits, misses, *written = writes
        if written and written[0]:
            self._others_wrote = True   # the file changed: a new nonce when it is saved (`vouch`)
        else:
            self.pending.extend(rows)
        # readable at once, as if this copy had made them: a row a worker made for a
        # later stage (load/workers.py `prepare`) is found by that stage's `get`
        # (not counted as hits: they were made in this run)
        preloaded = self.preloaded
        for key, payload, _ in rows:
            preloaded[key] = payload
            self._made.add(key)
        self.used |= used
        self.hits += hits
        self.misses += misses

    def flush(self) -> None:
        """Write the rows put so far into the open transaction and let them go (save
        commits them): a build making 40,000 list rows need not hold them all."""
        self._wait()
        if self.db is None or not self.pending:
            return
        try:
            self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)", self._sealed())
        except sqlite3.Error:
            self._reset()
        self.pending = []

    def write_behind(self) -> None:
        """`flush` in a thread of its own: the rows put so far sealed and written into the
        open transaction while the caller goes on (`save` commits them). A cold check
        calls it when the parse pool's last answer is in: its ~34,000 rows (~82 MB at
        10,000 heroes, ~0.5 CPU-s of MACs and SQLite) were all written after the load,
        beside the outputs' check, and the save ended last (docs/performance.md check30);
        written from here they are written beside the load's last stages too. Rows put
        meanwhile wait for `save` (put, get and adopt never touch the file, and go on);
        whatever uses the connection waits for this first (`_written`). A failure to
        write resets the file there, as `flush`'s does."""
        self._wait()
        if self.db is None or not self.pending:
            return
        rows, self.pending = self.pending, []
        failed: list[BaseException] = []

        def write() -> None:
            try:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)", self._seal(rows))
            except BaseException as exc:   # met by `_written`, in the thread that waits
                failed.append(exc)

        self._writing = threading.Thread(target=write, name="parse-cache-write")
        self._writing.failed = failed
        self._writing.start()

    def settle(self) -> None:
        """Wait for every thread of this cache writing the file (`write_behind`,
        `save_behind`): before a fork, whose child would hold a copy of the locks such a
        thread holds in SQLite, and not the thread to release them. Whether a forked
        parse worker may write the file itself (`forked`) is decided here, in the
        parent: no transaction of its connection open."""
        self._wait()
        self._forkable = self.db is not None and not self.db.in_transaction

    def _written(self) -> None:
        """Wait for `write_behind`'s thread, if it still runs: an SQLite error there
        resets the file (its rows are lost, as a failed `flush`'s are); anything else is
        raised here."""
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.join()
            if writing.failed:
                if not isinstance(writing.failed[0], sqlite3.Error):
                    raise writing.failed[0]
                self._reset()

    def _unused(self) -> int:
        """How many rows this run did not use. Counted in SQLite when the table was not
        read whole: the fragments table is looked up row by row (engine/memo.py), and
        reading ~100 MiB of rows at 10,000 heroes only to count them is what the
        lookups avoid."""
        if self._preloaded is not None:
            return len(set(self._preloaded) - self.used)
        self._note_used()
        mine, bounds = self._mine()
        return self.db.execute(f"SELECT count(*) FROM {self.table} WHERE {mine} "
                               "AND key NOT IN (SELECT key FROM used_keys)", bounds).fetchone()[0]

    def _note_used(self) -> None:
        """The keys this run used, in the temporary table `used_keys`."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used_keys (key TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM used_keys")
        self.db.executemany("INSERT OR IGNORE INTO used_keys VALUES (?)", ((k,) for k in self.used))

    def save(self, prune: bool = True) -> None:
        """Write what this run added. `prune` (when this run looked up everything still
        alive) drops entries it did not use, if they are most of the file."""
        self._wait()
        self._save(prune)

    def save_behind(self, prune: bool = True) -> None:
        """`save` in a thread of its own, so the caller goes on meanwhile: a cold check's
        ~32,000 rows (~64 MB at 10,000 heroes) took ~0.3 s of the check's last stretch,
        when only this process works and one core is idle (SQLite writes without the
        GIL). Every later use of this cache waits for it first (`_wait`), and so must
        anything else that opens the file: the caller waits (`vouch` does) before it.
        A `write_behind` still writing is waited for by the saving thread, not here."""
        self._wait_save()
        failed: list[BaseException] = []

        def save() -> None:
            try:
                self._save(prune)
            except BaseException as exc:   # raised by `_wait`, where `save` would have raised it
                failed.append(exc)

        self._saving = threading.Thread(target=save, name="parse-cache-save")
        self._saving.failed = failed
        self._saving.start()

    def _let_go(self) -> None:
        """Once saved, the rows as read let go: the World was made from them, and every
        worker of the render forked from this process would start with their pages
        (~78 MiB of payloads at 10,000 heroes, ~34,000 rows, held by the World's
        summarised heroes and query table through the render: docs/performance.md
        mem32b). A lookup after this finds nothing (a miss: the value is made again);
        what this run used was judged, pruned and written already, so `clean` and
        `vouch` are as they were (`_preloaded` stays a dict when the table was read whole)."""
        if self._preloaded is not None:
            self._preloaded = {}
        self._looked = {}

    def _wait(self) -> None:
        """Wait for whatever writes the file: `save_behind`'s thread and `write_behind`'s
        (and raise what they raised)."""
        self._wait_save()
        self._written()

    def _wait_save(self) -> None:
        """Wait for `save_behind`'s thread, if it still runs (and raise what it raised):
        what a use that never touches the connection waits for."""
        if self._saving is not None:
            saving, self._saving = self._saving, None
            saving.join()
            if saving.failed:
                raise saving.failed[0]

    def _save(self, prune: bool) -> None:
        self._written()
        if self.db is None:
            return
        try:
            if prune and not self.partial and self._unused() > len(self.used):  # mostly old versions of files: keep only what this run used
                # rows this run wrote early (flush) are used: they stay
                if self._preloaded is not None:
                    self._note_used()
                # only this foundry's: the other kept writer's rows are not this run's to judge
                mine, bounds = self._mine()
                self.db.execute(f"DELETE FROM {self.table} WHERE {mine} AND key NOT IN (SELECT key FROM used_keys)",
                                bounds)
            if self.pending:
                self.db.executemany(f"INSERT OR REPLACE INTO {self.table} VALUES (?, ?, ?)", self._sealed())
            if self.table == "parsed" and (self.db.in_transaction or self._nonce is None or self._others_wrote):
                # the file changes (or has no nonce yet): a new nonce, in the same commit (`vouch`)
                self._nonce = secrets.token_hex(16)
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('nonce', ?)", (self._nonce,))
            self.db.commit()
            self.db.close()
            self.db = None   # saved: no later read may touch a closed connection (and reset the file)
            self._let_go()
        except sqlite3.Error:
            self._reset()
        self.pending = []


def _noted() -> str:
    """What a note vouches for: this format, and the rows of this writer (the only ones
    it read and verified; another foundry's rows in the same file were not)."""
    return f"{FORMAT}:{writer_tag()}"


def note_unchanged(root: Path, nonce: str) -> None:
    """Note the cache file's stat as it stands now, when it is the file whose `parsed`
    table held only rows this user's foundry made or verified (`ParseCache.vouch`: it
    holds `nonce`, read while its stat stood still), and the caller has written the file
    for the last time at least NOTE_AFTER seconds ago (a stat fresher than that is not
    noted: a change within the clock's tick could keep it). The next reader trusts the
    table while the file keeps that stat."""
    folder = cache_folder(root)
    if folder is None:
        return
    path = folder / FILE
    before = file_stat(path)
    if before is None or _file_nonce(path) != nonce or file_stat(path) != before:
        return   # another file at the path (a checkout during the build): not the one verified
    memo = HashMemo(root, STAT_MEMO, racy=NOTE_AFTER)
    memo.note_stat(FILE, before, _noted())
    memo.save()


def vouched(root: Path) -> str | None:
    """The nonce of the cache file when it is the very file the last build noted
    (`note_unchanged`: its stat is the one noted): a caller that writes other tables
    than `parsed` into it (engine/shown.py) notes it again with this nonce afterwards,
    so that the next build still trusts the `parsed` rows nobody wrote since. None
    when it is not noted (the next build checks each row, as after any other write)."""
    folder = cache_folder(root)
    if folder is None:
        return None
    path = folder / FILE
    before = file_stat(path)
    if before is None or HashMemo(root, STAT_MEMO).recorded(path, FILE) != _noted():
        return None
    nonce = _file_nonce(path)
    return nonce if file_stat(path) == before else None


def _meta_nonce(db: sqlite3.Connection) -> str | None:
    row = db.execute(_META, ("nonce", MAX_META_CHARS)).fetchone()
    return row[0] if row is not None and isinstance(row[0], str) else None


def _file_nonce(path: Path) -> str | None:
    """The nonce in the cache file at `path` (read only), or None."""
    _clear_links(path.parent, path.name)
    _clear_unplayed(path.parent, path.name)
    try:
        db = sqlite3.connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        db.execute("PRAGMA trusted_schema = OFF")
        return _meta_nonce(db) if _schema_is_ours(db) else None
    except sqlite3.Error:
        return None
    finally:
        db.close()
