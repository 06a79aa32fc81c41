"""Writing only what changed into build/, for `foundry serve`'s resident engine.

A CLI build stages a whole new tree and swaps it in (staging.py): every unchanged file
is linked into the new tree and the old tree deleted, which at 10,000 heroes is 20,000
links and unlinks per save. The resident engine (engine/resident.py) knows which files
it wrote and that they are unchanged, so a save writes the few changed files into
build/ in place instead, each one atomically (a temporary file beside it, then a
rename): a page is always a whole old page or a whole new one.

Nothing reaches build/ before `commit`: the bytes wait in memory, so a build that stops
at an error (`abort`) leaves build/ exactly as it was, as a staged build would. Files of
artifacts that are no longer planned are deleted at commit, with the folders they
leave empty. Only a build/ that is a real folder of the project (not a link) is written
this way; every folder on the way to a file must be a real folder too, opened one in
the other without following a link (`_way`), so that no link inside build/, even one
put there while `foundry serve` ran, can send a write, rename or delete elsewhere;
else the change is refused as an OutputError.

A file this writer adds to build/ is named in `WRITTEN_FILE` before it is written:
the resident engine writes build/'s state only later (engine/resident.py `flush`), and
until then the state on disk does not list it, yet it is foundry's (write/ownership.py
reads both). The state's writer removes the list (`settled`).

A large file build/ already holds (the lists: at 10,000 heroes bundle.json 48 MB,
heroes.json 32 MB, search.html 10 MB, and their copies under site/) is not rewritten on
a save's reload path: its new bytes are held in memory (`Held`), served from there by
`foundry serve` (serve/server.py) and written by the resident engine's `flush`, when
the watcher is idle, before the build state (engine/resident.py). Until then build/
holds the old file and the state on disk is the old one, which names the old file:
a CLI build meanwhile, or after a crash, finds the list's inputs changed and makes it
again, a safe miss.

Same interface as `Staging` (write, keep, commit, abort, build_dir)."""

from __future__ import annotations

import errno
import json
import os
import stat
import threading
from pathlib import Path
from typing import NoReturn

from ..confine import boundary, new_file
from ..epoch import source_date
from .staging import WAY_HINT, OutputError
from .state import SUMMARY_FILE

TEMP_SUFFIX = ".foundry-tmp"
# build/'s files written in place that its state may not list yet: a JSON list of paths
WRITTEN_FILE = ".foundry/written.json"
# (read unsealed, so at most what ownership.py reads of a state for its names: a list of
# short strings takes ~13 times its bytes in memory; a save adds a few files at a time)
MAX_WRITTEN_BYTES = 16 * 1024 * 1024
# A rewrite of a file build/ holds of at least this many bytes waits for the flush
# (`Held`): writing the lists was 0.1-0.5 CPU-s of a hero save at 10,000 heroes, the
# kernel's page allocation for ~93 MB (docs/performance.md, serve31). A page is ~10 KB.
HOLD_BYTES = 1 << 20
HOLD_ENV = "FOUNDRY_HOLD_BYTES"   # another threshold (the tests: 0 holds every rewrite)


def hold_bytes() -> int:
    """The size from which a rewrite is held (HOLD_BYTES, or FOUNDRY_HOLD_BYTES when it
    is a whole number of bytes)."""
    value = os.environ.get(HOLD_ENV, "").strip()
    return int(value) if value.isdigit() else HOLD_BYTES


class Held:
    """New bytes of build/'s files that the resident engine's `flush` writes, by
    build/-relative POSIX path: (bytes, the path of the original they copy, or None).
    A copy is linked to its original's file when both are written (`InPlace.duplicate`).
    Read by the server's threads (`served`) while a build changes it: each change is
    one swap of the whole table under a lock, never a table changed in place."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[str, tuple[bytes, str | None]] = {}
        self._inode: int | None = None   # the build/ folder they belong to

    def __bool__(self) -> bool:
        return bool(self._files)

    def __contains__(self, rel: str) -> bool:
        return rel in self._files

    def get(self, rel: str) -> tuple[bytes, str | None] | None:
        return self._files.get(rel)

    def files(self) -> dict[str, tuple[bytes, str | None]]:
        """The whole table (not to be changed)."""
        return self._files

    def served(self, build_dir: Path, rel: str) -> bytes | None:
        """What build/<rel> holds once flushed, when held for the build/ folder at
        `build_dir` now (a CLI build that swapped in a tree of its own is served from
        its files); else None."""
        files, inode = self._files, self._inode
        found = files.get(rel)
        if found is None:
            return None
        try:
            if os.lstat(build_dir).st_ino != inode:
                return None
        except OSError:
            return None
        return found[0]

    def apply(self, changes: dict[str, tuple[bytes, str | None] | None], inode: int) -> None:
        """`changes` made to the table (None: no longer held) for the build/ at `inode`."""
        with self._lock:
            files = dict(self._files) if inode == self._inode else {}
            for rel, change in changes.items():
                if change is None:
                    files.pop(rel, None)
                else:
                    files[rel] = change
            self._files, self._inode = files, inode

    def clear(self) -> None:
        with self._lock:
            self._files, self._inode = {}, None


class InPlace:
    """The next build/, as the changes to the current one (see the module docstring).
    `previous`: every artifact path the current build/ holds by its state."""

    def __init__(self, root: Path, build_dir: Path, previous: set[str], held: Held | None = None):
        """`held`: the rewrites waiting for the resident engine's flush, which `commit`
        adds to (None: every change is written at commit)."""
        self.root, self.build_dir = root, build_dir
        self._held = held
        self._previous = set(previous)
        self._present: set[str] = set()
        self._pending: dict[str, bytes] = {}
        self._copies: dict[str, tuple[str, bytes]] = {}   # path → (the original it shares, its bytes): `duplicate`
        self.written: list[str] = []      # files whose bytes commit changed (the resident engine reports them)
        self.deleted: list[str] = []      # files commit removed
        self.held: list[str] = []         # files whose new bytes commit held (`Held`): changed, not yet written
        self.failed = False               # commit stopped part way: build/ is neither old nor new

    @staticmethod
    def usable(build_dir: Path) -> bool:
        """build/ is a real folder (not a link, not missing): it can be changed in place."""
        try:
            return stat.S_ISDIR(os.lstat(build_dir).st_mode)
        except OSError:
            return False

    def write(self, rel: str, data: bytes) -> None:
        self._check(rel)
        self._pending[rel] = data
        self._present.add(rel)

    def duplicate(self, rel: str, original: str, data: bytes) -> None:
        """`write` of `data`, the bytes written at `original` (a path `write` was given in
        this build), at `rel` too: at commit, as a hard link to the original's new file
        where the filesystem allows (made at a temporary name, then renamed over `rel`:
        still atomic), else as a second file. The JSON API's copies under site/ (a hero
        save's bundle.json, heroes.json and manifest.json: ~83 MB at 10,000 heroes) are
        then written once, as a CLI build's staged tree writes them (staging.py). A later
        save that changes either path renames a new file over it, never writes into the pair."""
        self._check(rel)
        if original not in self._pending:   # nothing of this build's to share: a file of its own
            self.write(rel, data)
            return
        self._copies[rel] = (original, data)
        self._present.add(rel)

    def keep(self, rel: str) -> None:
        """The file stays as it is (the caller checked it is what foundry wrote)."""
        self._present.add(rel)

    def keep_all(self, rels) -> None:
        """`keep` for each of `rels` (the resident engine's carried records, 35,000 at once)."""
        self._present.update(rels)

    def commit(self) -> None:
        """Write the changed files, each atomically, then delete what is no longer built.
        The summary goes first: a commit cut short (a crash, `foundry serve` leaving on
        Ctrl-C) must not leave new pages under a summary that says the old sources are
        built, which the next build would take for a no-op; the builder writes the new
        state and summary after this."""
        self.failed = True
        if self._pending or self._copies or self._previous - self._present:
            self._unlink(SUMMARY_FILE)
        self._note_new([rel for rel in [*self._pending, *self._copies]
                        if rel not in self._previous and not rel.startswith(".foundry/")])
        held = self._held
        holding: dict[str, tuple[bytes, str | None] | None] = {}   # this commit's changes to `held`
        limit = hold_bytes() if held is not None else 0
        for rel, data in self._pending.items():
            if self._unchanged(rel, data):   # re-rendered to the same bytes: the file stays as it is
                continue
            if held is not None and self._holds(rel, data, limit):
                holding[rel] = (data, None)
                self.held.append(rel)
                continue
            self._replace(rel, data)
            self.written.append(rel)
            if held is not None and rel in held:
                holding[rel] = None
        # the originals now hold their bytes (written, held, or found the same): a copy
        # that differs becomes a link to its original's file (at the flush, for a held
        # original). The copy of an original that was written or held is not compared
        # (up to 48 MB read): its old bytes were the old original's, which differed; a
        # copy someone else made equal is linked all the same
        written = set(self.written)
        for rel, (original, data) in self._copies.items():
            if original not in written and original not in holding and self._unchanged(rel, data):
                continue
            # the original's new bytes wait for the flush (held now, or before and unchanged)
            waits = holding[original] is not None if original in holding else held is not None and original in held
            if waits and self._holds(rel, data, limit):
                holding[rel] = (data, original)
                self.held.append(rel)
                continue
            if not waits and self._link(rel, original):
                if original not in written:   # a new link moves the original's change time: reported as written
                    self.written.append(original)
                    written.add(original)
            else:
                self._replace(rel, data)
            self.written.append(rel)
            if held is not None and rel in held:
                holding[rel] = None
        for rel in sorted(self._previous - self._present):
            self._delete(rel)
            if held is not None and rel in held:
                holding[rel] = None
        if holding:
            held.apply(holding, os.lstat(self.build_dir).st_ino)
        self._pending, self._copies, self.failed = {}, {}, False

    def _holds(self, rel: str, data: bytes, limit: int) -> bool:
        """Whether a change of build/<rel> to `data` waits for the flush (`Held`): a
        file build/ holds (by its state) of at least `limit` bytes, not foundry's own."""
        return rel in self._previous and len(data) >= limit and not rel.startswith(".foundry/")

    def _unchanged(self, rel: str, data: bytes) -> bool:
        """build/<rel> holds `data` once flushed: its held bytes when held (compared in
        memory), else its file's (`_same`)."""
        kept = self._held.get(rel) if self._held is not None else None
        if kept is not None:
            return kept[0] == data
        return self._same(rel, data)

    def abort(self) -> None:
        self._pending, self._copies = {}, {}

    def settled(self) -> None:
        """build/'s state now lists every file this engine wrote: the list of files
        written ahead of it is no longer needed (see the module docstring)."""
        self._unlink(WRITTEN_FILE)

    def _unlink(self, rel: str) -> None:
        """build/<rel>, one of foundry's own files, removed if there, never through a
        link on the way (`build/.foundry -> elsewhere` put in while `foundry serve`
        ran: its summary.json was deleted there); OutputError when it cannot be."""
        fds = self._way(rel, make=False)
        if fds is None:
            return
        try:
            os.unlink(os.path.basename(rel), dir_fd=fds[-1])
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
        finally:
            _close(fds)

    def _note_new(self, new: list[str]) -> None:
        """Add `new` (paths not in build/'s state) to WRITTEN_FILE, atomically, before
        any of them is written; a list already there (an earlier save whose state is not
        written yet) is kept and added to."""
        if not new:
            return
        known = set(written_ahead(self.build_dir) or ())
        if known.issuperset(new):
            return
        self._replace(WRITTEN_FILE, json.dumps(sorted(known | set(new))).encode())

    def _check(self, rel: str) -> None:
        clean = os.path.normpath(rel)
        if os.path.isabs(clean) or clean in (".", "..") or clean.startswith(".." + os.sep):
            raise ValueError(f"artifact path leaves the build: {rel!r}")

    def _way(self, rel: str, make: bool = True) -> list[int] | None:
        """Open descriptors of build/ and of each folder on the way to build/<rel>'s
        file, the last one its folder: each opened in the one before it, never through
        a link (O_NOFOLLOW), so that a link put on the way after build/ was checked (a
        checkout while `foundry serve` runs, `build/api/v1/quests -> ~/notes`) can
        never send a write, a rename or a delete outside build/. A missing folder is
        made when `make`, else None (nothing there). OutputError when a part of the
        way is a link or not a folder. The caller closes them (`_close`)."""
        fds: list[int] = []
        try:
            fds.append(os.open(self.build_dir, _FOLDER))
            for part in Path(os.path.normpath(rel)).parts[:-1]:
                try:
                    fds.append(os.open(part, _FOLDER, dir_fd=fds[-1]))
                except FileNotFoundError:
                    if not make:
                        _close(fds)
                        return None
                    os.mkdir(part, dir_fd=fds[-1])
                    fds.append(os.open(part, _FOLDER, dir_fd=fds[-1]))
        except OSError as exc:
            _close(fds)
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):   # a link (O_NOFOLLOW) or a file on the way
                raise OutputError(f"{self.build_dir.name}/{rel}", OSError(0, "a part of the way is not a folder"),
                                  WAY_HINT) from None
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
        return fds

    def _same(self, rel: str, data: bytes) -> bool:
        """build/<rel> is a regular file (reached through real folders) holding `data`."""
        try:
            fds = self._way(rel, make=False)
        except OutputError:
            return False   # a link on the way: not the file; its write says so
        if fds is None:
            return False
        # a regular file, by its lstat before the open and its fstat after: a FIFO put at an
        # output's path is never opened (an open to read one waits for a writer), only replaced
        name = os.path.basename(os.path.normpath(rel))
        try:
            if not stat.S_ISREG(os.stat(name, dir_fd=fds[-1], follow_symlinks=False).st_mode):
                return False
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0),
                         dir_fd=fds[-1])
        except OSError:
            return False
        finally:
            _close(fds)
        with os.fdopen(fd, "rb", buffering=0) as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode) or os.fstat(file.fileno()).st_size != len(data):
                return False
            return _same_bytes(file, memoryview(data))

    def _replace(self, rel: str, data: bytes) -> None:
        fds = self._way(rel)
        name = os.path.basename(os.path.normpath(rel))
        temp = f".{name}{TEMP_SUFFIX}-{os.getpid()}"
        try:
            try:
                # never a file or link left at the temporary name (`cp -al build backup`)
                fd = new_file(temp, fds[-1])
                with os.fdopen(fd, "wb") as out:
                    out.write(data)
                    out.flush()
                    _stamp_fd(out.fileno())
            except OSError as exc:
                self._drop(fds[-1], temp, rel, exc)
            self._rename(fds[-1], temp, name, rel)
        finally:
            _close(fds)

    def _link(self, rel: str, original: str) -> bool:
        """build/<rel> made a hard link to build/<original> (a file this commit wrote or
        found holding the same bytes), atomically: linked at a temporary name beside it,
        then renamed over it. False where the filesystem refuses links (the caller
        writes the bytes instead); OutputError when its folder cannot be made."""
        source = self._way(original, make=False)
        if source is None:
            return False
        try:
            fds = self._way(rel)
            name = os.path.basename(os.path.normpath(rel))
            temp = f".{name}{TEMP_SUFFIX}-{os.getpid()}"
            try:
                try:
                    os.link(os.path.basename(os.path.normpath(original)), temp, src_dir_fd=source[-1],
                            dst_dir_fd=fds[-1], follow_symlinks=False)
                except OSError:
                    return False
                self._rename(fds[-1], temp, name, rel)
                return True
            finally:
                _close(fds)
        finally:
            _close(source)

    def _rename(self, folder: int, temp: str, name: str, rel: str) -> None:
        """`temp` renamed over `name` in the open `folder` (a link named like the file
        is replaced, never followed); OutputError, `temp` removed, when the rename fails."""
        try:
            os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
        except OSError as exc:
            self._drop(folder, temp, rel, exc)

    def _drop(self, folder: int, temp: str, rel: str, exc: OSError) -> NoReturn:
        """`temp` removed from the open `folder`, then OutputError for build/<rel>
        (raised, never returns)."""
        try:
            os.unlink(temp, dir_fd=folder)
        except OSError:
            pass
        raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None

    def _delete(self, rel: str) -> None:
        """build/<rel> removed (never through a link on the way: `_way`), then the
        folders it leaves empty, as a clean build has none."""
        fds = self._way(rel, make=False)
        if fds is None:
            return
        parts = Path(os.path.normpath(rel)).parts
        try:
            try:
                if not stat.S_ISDIR(os.stat(parts[-1], dir_fd=fds[-1], follow_symlinks=False).st_mode):
                    os.unlink(parts[-1], dir_fd=fds[-1])
                self.deleted.append(rel)
            except FileNotFoundError:
                return
            except OSError as exc:
                raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
            for depth in range(len(parts) - 1, 0, -1):   # each folder on the way, deepest first, in its parent
                try:
                    os.rmdir(parts[depth - 1], dir_fd=fds[depth - 1])
                except OSError:
                    break
        finally:
            _close(fds)


_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _close(fds: list[int]) -> None:
    for fd in fds:
        os.close(fd)


def _stamp_fd(fd: int) -> None:
    """`_stamp` of the open file `fd` (SOURCE_DATE_EPOCH as its times, when set)."""
    epoch = source_date()
    if epoch is not None:
        os.utime(fd, (epoch, epoch))


# How much of a file `_same` reads at a time: it stops at the first part that differs
# (a hero's renamed row in a 48 MB bundle.json of the same size, at 10,000 heroes: the
# whole file was read into memory and compared, ~180 MB a save)
_CHUNK = 1 << 20


def _same_bytes(file, data: memoryview) -> bool:
    """Whether `file` (unbuffered, at its start) holds exactly `data` (its size checked already)."""
    buffer = bytearray(min(_CHUNK, len(data)) or 1)
    at = 0
    while at < len(data):
        read = file.readinto(buffer)
        if not read or buffer[:read] != data[at:at + read]:
            return False
        at += read
    return not file.readinto(buffer)


def written_ahead(build_dir: Path) -> frozenset[str] | None:
    """The paths WRITTEN_FILE lists (files this writer added to build/ that its state
    may not list yet); None when there is no such list or it is not one. Read under
    the confinement rule, as every file foundry reads: a committed build/ can hold
    anything there (a link out on the way; a FIFO, whose open waited forever)."""
    try:
        blob = boundary(build_dir.parent).read(build_dir / WRITTEN_FILE, MAX_WRITTEN_BYTES)
    except OSError:   # Refused too: outside, not a regular file, too big
        return None
    try:
        paths = json.loads(blob)
    except (ValueError, RecursionError):   # a committed `[[[…]]]` nests past the recursion limit
        return None
    return frozenset(p for p in paths if isinstance(p, str)) if isinstance(paths, list) else None


def write_held(root: Path, build_dir: Path, held: Held) -> list[str]:
    """Every file `held` holds written into build/ as `InPlace.commit` writes (each
    atomically; a copy linked to its original's new file where it can), then `held`
    emptied. Returns the paths whose files changed. OSError or OutputError as `commit`
    (`held` is then left as it was)."""
    files = held.files()
    writer = InPlace(root, build_dir, set(files))
    for rel, (data, original) in files.items():
        if original is None:
            writer.write(rel, data)
    for rel, (data, original) in files.items():
        if original is not None:
            source = files.get(original)
            if source is not None and source[1] is None and (source[0] is data or source[0] == data):
                writer.duplicate(rel, original, data)
            else:   # its original was written (or dropped) since: a file of its own
                writer.write(rel, data)
    writer.commit()
    held.clear()
    return writer.written
