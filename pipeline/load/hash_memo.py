"""Files' sha256 remembered beside their stat, as git's index does: a file whose stat
is unchanged since its hash was taken is not read again.

One mechanism for both ends of a build: the inputs' hashes (engine/sources.py, the
no-op fingerprint) and the outputs' (write/state.py: build/ files carried into the
next build). Each memo is one sealed JSON file in `.foundry-cache/`; safe to delete,
and a memo that does not verify (committed by a pull request, edited, too big) counts
as empty.

Why the stat can stand in for the bytes: a row is (mtime, ctime, size, inode) and
the hash, written by this user's foundry (the seal). A checkout, an editor or any
other writer can put back a file's mtime (touch -r, rsync -t) but not its ctime, which
the kernel sets to the current time on every change of bytes or metadata; a file
replaced by a checkout has a new ctime (and usually a new inode). So a row matches
only the very file it was taken from, unchanged since. What a row cannot see is a
change made within the same clock tick as the stat it records (the stat would not
move): a stat is recorded only when the file's mtime and ctime are older than
`racy` seconds at the time of the stat, else the file is hashed again next time."""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
import time
from functools import cached_property
from pathlib import Path

import orjson

from .. import seal
from ..confine import boundary, read_resolved
from .cache_folder import cache_folder

# A memo line is ~170 bytes per file: 64 MiB is some 400,000 files. A bigger memo was
# not written here (a checkout can commit one, and a file of zeros packs to nothing in
# git); it is ignored unread, not loaded whole into memory.
MAX_MEMO_BYTES = 64 * 1024 * 1024
# More than any reader of the build takes from a project (images 20 MiB, theme files
# 16 MiB, voice clips 10 MiB): a bigger input is refused wherever it is read, so the
# no-op fingerprint need not read it either (a 3 GB file in a theme's static/ folder
# was read whole into memory to be hashed, then refused).
MAX_HASHED = 64 * 1024 * 1024
# Seconds: a file changed this recently may change again within its timestamps' tick
# (FAT's mtime ticks every 2 s) without its stat moving.
RACY = 2.0


def file_stat(path: Path | str) -> list[int] | None:
    """[mtime_ns, ctime_ns, size, inode] of a regular file, not following a link at
    the end of `path`; None for anything else or nothing."""
    return _stat_if(path, stat_module.S_ISREG)


def dir_stat(path: Path | str) -> list[int] | None:
    """[mtime_ns, ctime_ns, size, inode] of a folder, not following a link at the end
    of `path`; None for anything else or nothing. Adding, removing or renaming an
    entry moves a folder's mtime and ctime."""
    return _stat_if(path, stat_module.S_ISDIR)


def _stat_if(path: Path | str, is_kind) -> list[int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not is_kind(st.st_mode):
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


class HashMemo:
    """key → (stat, sha256) from the last run, in `.foundry-cache/<name>` of `root`.
    Keys are chosen by the caller, relative to a root (never absolute paths), so a
    project moved or restored into another folder (a CI cache) keeps its memo. Only
    the rows looked up or noted in this run are saved: the memo holds what exists."""

    def __init__(self, root: Path, name: str, racy: float = RACY):
        folder = cache_folder(root)
        self.name, self.racy, self.root = name, racy, root
        self.path = folder / name if folder is not None else None
        self.secret = seal.key(root)
        self.changed, self.now = False, time.time()
        self.seen: dict[str, list] = {}

    @cached_property
    def known(self) -> dict[str, list]:
        """The memo's rows as the last run saved them ({} when none verifies), read at
        their first use: the builder makes the outputs' memo before it loads the World,
        and a build that remakes every output (a new foundry) first asks it after the
        render workers are forked; read before, its ~34,000 rows at 10,000 heroes (~15
        MiB) were in the builder and in every worker (docs/performance.md mem32)."""
        try:
            blob = boundary(self.root).read(self.path, MAX_MEMO_BYTES) if self.path is not None else b""
            known = orjson.loads(seal.unseal(self.secret, self.name, blob) or b"{}")
        except (OSError, ValueError):   # orjson.JSONDecodeError is a ValueError
            known = {}
        return known if isinstance(known, dict) else {}

    def sha256(self, path: Path | str, key: str, limit: int | None = None,
               stat: list[int] | None = None, kept: "KeptBytes | None" = None) -> str | None:
        """The sha256 (hex) of the file at `path`, from the memo when its stat is the one
        recorded, else read and hashed. None for what is not a regular file (a broken
        link, a socket). `path` must be resolved and confined by the caller: it is
        stat'ed and read without following links. A file over `limit` bytes is never
        read: its value is `stat:` and a hash of its stat (it changes when the file does).
        `stat`: the file's `file_stat` as the caller just took it (not taken again); a
        file changed since then is read with that older stat recorded, which the next
        run finds moved (it hashes the file again), as a change after this stat would.
        `kept` (KEPT): a file not in this memo is read through it, its hash made once a
        process (the shipped theme's files: every new project's first build hashed them)."""
        stat = file_stat(path) if stat is None else stat
        if stat is None:
            return None
        if limit is not None and stat[2] > limit:
            return "stat:" + hashlib.sha256(json.dumps(stat).encode()).hexdigest()
        old = self.known.get(key)
        if isinstance(old, list) and len(old) == 5 and old[:4] == stat and isinstance(old[4], str):
            self.seen[key] = old
            return old[4]
        try:
            if kept is None:
                digest = hashlib.sha256(read_resolved(path)).hexdigest()
            else:
                digest = kept.sha256(read_resolved(path, kept=kept))
        except OSError:
            return None
        self._remember(key, stat, digest, self.now)
        return digest

    def taken(self, path: Path | str, key: str, digest: str, stat: list[int], at: float,
              limit: int | None = None, now: list[int] | None = None) -> str | None:
        """`sha256`, when the caller already hashed the file's bytes: `digest`, read after
        `stat` (file_stat) was taken at time `at` (time.time() before that stat). It is
        the file's hash, and recorded as such, when the file's stat is still `stat` and
        `stat` was already older than the racy interval at `at` (any write since would
        have moved its ctime); otherwise the file is read and hashed here (`sha256`).
        `now`: the file's `file_stat` as the caller just took it, after the read (not
        taken again: engine/sources.py stats every input once, 11,000 lstats)."""
        now = file_stat(path) if now is None else now
        if now is not None and now == list(stat) and self._remember(key, now, digest, at):
            return digest
        return self.sha256(path, key, limit, stat=now)

    def recorded(self, path: Path | str, key: str, stat_of=file_stat) -> str | None:
        """The value recorded under `key` when `path`'s stat (`stat_of`: file_stat, or
        dir_stat for a folder) is the one recorded with it, else None. Nothing is read."""
        stat = stat_of(path)
        old = self.known.get(key)
        if stat is not None and isinstance(old, list) and len(old) == 5 and old[:4] == stat \
                and isinstance(old[4], str):
            self.seen[key] = old
            return old[4]
        return None

    def note_stat(self, key: str, stat: list[int], value: str) -> bool:
        """Record `value` for the thing whose stat (file_stat or dir_stat) was `stat` when
        the caller checked it: `note` for what is not a file, such as a folder's
        entries. False when too fresh to be recorded."""
        return self._remember(key, stat, value, time.time())

    def note(self, path: Path | str, key: str, digest: str) -> bool:
        """Record that the file at `path`, as it stands now, holds bytes hashing to
        `digest` (the caller wrote them, or checked them, and nothing has touched the
        file since). False when it is not a regular file or too fresh to be recorded:
        `settle`, then note it again."""
        stat = file_stat(path)
        if stat is None:
            return False
        return self._remember(key, stat, digest, time.time())

    def settle(self) -> None:
        """Wait out the clock tick of the files just changed (`racy` seconds), so that
        a change made from now on gives them a timestamp other than the one noted."""
        time.sleep(self.racy)

    def _remember(self, key: str, stat: list[int], digest: str, now: float) -> bool:
        # ctime too: a file whose mtime was put back after a change (touch -r) is as
        # fresh as its ctime says. A ctime in whole milliseconds comes from a filesystem
        # with coarse timestamps (FAT): only RACY is long enough there.
        racy = self.racy if stat[1] % 1_000_000 else max(self.racy, RACY)
        self.changed = True
        if now - max(stat[0], stat[1]) / 1e9 > racy:
            self.seen[key] = [*stat, digest]
            return True
        self.seen.pop(key, None)
        return False

    def save(self) -> None:
        """Write the rows of this run (sealed) when anything changed; failures are
        ignored (the memo is only a speed-up)."""
        if self.path is None or (not self.changed and len(self.seen) == len(self.known)):
            return
        write_sealed(self.root, self.path, self.secret, self.name, _dumps(self.seen))


def _dumps(rows: dict) -> bytes:
    """A memo's JSON: orjson, ~10× json.dumps on the outputs' memo (32,000 rows at
    10,000 heroes, written after every build that changed an output) and the same
    bytes; json for what orjson refuses (a number past 64 bits), which orjson then
    reads back as a float that matches no stat (a miss: the file is hashed again)."""
    try:
        return orjson.dumps(rows, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return json.dumps(rows, sort_keys=True, separators=(",", ":")).encode()


def write_sealed(root: Path, path: Path, secret: bytes, name: str, payload: bytes) -> None:
    """`payload` sealed for `name`, written to `path` (in `root`'s .foundry-cache/)
    atomically through the project's Boundary: never through a link someone left at
    the name, nor into a folder swapped for a link out since it was looked at (the
    write went wherever the link led). Failures are ignored (a memo is only a speed-up)."""
    try:
        boundary(root).replace(path, seal.seal(secret, name, payload))
    except OSError:   # Refused included: nothing is written
        pass


# A one-row memo: one digest remembered under the digest of many files' stats (every
# input of a build: engine/sources.py). The caller makes the key from the same stat
# rows HashMemo trusts (mtime, ctime, size, inode, taken without following a link) of
# every file, and keeps a pair only when every one of those files is older than RACY
# (`settled`), for the reason the module's docstring gives. A small file: a no-op
# build reads it instead of one row per file.
SMALL_MEMO_BYTES = 64 * 1024


def settled(newest_ns: int, since: float, racy: float = RACY) -> bool:
    """Whether a file whose latest mtime or ctime is `newest_ns` (ns) was already older
    than `racy` seconds at `since` (a time.time() taken before its stat)."""
    return since - newest_ns / 1e9 > racy


def recall(root: Path, name: str, key: str) -> str | None:
    """The value `keep` stored under `key` in `.foundry-cache/<name>`, or None (another
    key, no memo, or one that does not verify)."""
    folder = cache_folder(root)
    try:
        blob = boundary(root).read(folder / name, SMALL_MEMO_BYTES) if folder is not None else b""
        row = json.loads(seal.unseal(seal.key(root), name, blob) or b"{}")
    except (OSError, ValueError):
        return None
    if isinstance(row, dict) and row.get("key") == key and isinstance(row.get("value"), str):
        return row["value"]
    return None


def keep(root: Path, name: str, key: str, value: str) -> None:
    """Remember `value` under `key` in `.foundry-cache/<name>` (the one row it holds)."""
    folder = cache_folder(root)
    if folder is not None:
        write_sealed(root, folder / name, seal.key(root), name,
                     json.dumps({"key": key, "value": value}, separators=(",", ":")).encode())



class KeptBytes:
    """Files' bytes kept in this process by the stat of the file they were read from
    (the rule of the module's docstring: a stat taken once the file had settled stands
    for its bytes), for the files every build of a process reads again whole (`KEPT`).
    Keyed by the file itself (device, inode) and its size, mtime and ctime as the open
    descriptor's fstat gives them (confine.py read_resolved), never by a name: another
    project's file, or this one written since, is another key, and is read. Bounded:
    past `budget` bytes the memo starts again empty."""

    def __init__(self, budget: int, racy: float = RACY):
        self.budget, self.racy = budget, racy
        self.rows: dict[tuple[int, int, int, int, int], bytes] = {}
        self.size = 0
        self.held: set[int] = set()                       # id() of the bytes in rows (theirs while held)
        self.digests: dict[int, tuple[bytes, str]] = {}   # id(bytes held) → (them, their sha256)

    def get(self, st: os.stat_result) -> bytes | None:
        """The bytes kept for the file whose fstat is `st`, or None."""
        return self.rows.get((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))

    def put(self, st: os.stat_result, data: bytes, at: float) -> None:
        """Keep `data`, read from the file whose fstat was `st`, taken after time.time()
        `at`: only when the file had settled by then (`settled`: a change within its
        timestamps' tick would not move the stat) and the bytes are as many as the stat
        says (not a file written while it was read)."""
        if len(data) != st.st_size or len(data) > self.budget \
                or not settled(max(st.st_mtime_ns, st.st_ctime_ns), at, self.racy):
            return
        if self.size + len(data) > self.budget:
            self.rows.clear()
            self.held.clear()
            self.digests.clear()
            self.size = 0
        self.rows[(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)] = data
        self.held.add(id(data))
        self.size += len(data)

    def sha256(self, data: bytes) -> str:
        """hashlib.sha256(data).hexdigest(), made once for the bytes this memo holds (the
        print theme's are hashed by its judgement's key and by the books' recipes)."""
        found = self.digests.get(id(data))
        if found is not None and found[0] is data:
            return found[1]
        digest = hashlib.sha256(data).hexdigest()
        if id(data) in self.held:
            self.digests[id(data)] = (data, digest)
        return digest


# The theme files every build reads whole (books/theme.py: the print theme, 3 MB of fonts
# the shipped one, read by the PDF's plan and again by the EPUB's; theme_words.py: the
# catalogs; engine/sources.py: the shipped theme's files hashed by the fingerprint of a
# project whose memo has none of them), kept for the process and for those forked from
# it (`foundry serve`'s builds, the test suite's warm starts): ~15 ms of each `foundry check`.
KEPT = KeptBytes(64 * 1024 * 1024)
