"""Writing build/ as one transaction, switched in with one atomic step.

Everything a build makes goes into a staging folder of its own beside build/
(`.foundry-staging-<pid>-<random>/`). When it is complete, it replaces build/ in ONE
step, so a reader (a web server, a sync job, `foundry serve`) polling build/ always
sees a whole old tree or a whole new one, never a missing file:

- `renameat2(RENAME_EXCHANGE)` swaps the two folders where the kernel and the
  filesystem offer it (Linux 3.15+, ext4, xfs, btrfs, tmpfs…); the old tree, now at the
  staging path, is then deleted;
- elsewhere build/ becomes a symlink to `.foundry-builds/<id>/`, and a new symlink is
  renamed over it (rename is atomic everywhere). Turning a real build/ folder into
  that link takes two renames once; a crash between them is recovered below.

Recovery: the caller holds the project's lock (lock.py), so every staging folder,
link or old tree found at start is a leftover of a build that died; `recover` puts a
lost build/ back from `.foundry-old/` and deletes the rest. A build that fails or is
interrupted before the switch leaves build/ exactly as it was.

The tree build/ replaced is kept as the next build's staging folder (`SPARE`, in
`.foundry-builds/`, where the exchange left it), so that a build after a small edit
changes that tree by what differs instead of linking every unchanged output into a
new folder and deleting the old one (32,000 links and unlinks at 10,000 heroes). The
spare is never a reader's: it becomes build/ only by the same exchange, once complete.
Nothing in it is trusted but what is provably the file recorded: a kept output stays
in the spare only when its stat is the one the outputs' memo recorded with the
output's hash (write/state.py `OutputHashes.spared`: the very file build/ had, one
inode shared by both trees, unchanged since), or when it is the very file (device
and inode) build/ holds at that path, which the builder checked (`intact`) just
before; every other entry is replaced, written anew (unlinked first: it may be a
link to a file of build/) or removed. A spare this machine did not leave (its
folder's stat is not the one recorded, sealed, after the exchange) is deleted unread.

Errors writing (disk full, a file-size limit, a read-only folder) become OutputError
naming the path, for a tool error instead of a traceback.
"""

from __future__ import annotations

import errno
import functools
import os
import secrets
import shutil
import stat as stat_module
from pathlib import Path
from typing import Callable

from .. import seal
from .state import STATE_FILE
from ..confine import boundary, make_folders, remove_tree
from ..epoch import source_date

STAGING = ".foundry-staging"     # prefix of the per-build staging folders
OLD = ".foundry-old"             # a real build/ moved aside while it becomes a link
VERSIONS = ".foundry-builds"     # where build/ points when it is a link
LINK = ".foundry-link-"          # a new link, before it is renamed over build/
# In VERSIONS (ignored by git like the rest of it; not among the caches CI keeps): the
# tree build/ replaced, the next staging folder, where build/ is exchanged, not linked.
SPARE = "spare"
SPARE_MEMO = "spare-build.json"  # in .foundry-cache/: the spare's folder stat, sealed, when this machine left it
# In VERSIONS: a deleted build/'s spare renamed aside, removed by a child process while the
# build goes on (`_remove_behind`); a build that died meanwhile leaves it to `recover`.
GONE = "gone-"

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV}


WRITE_HINT = "Free disk space or raise the file-size limit, check the folder's permissions, and build again."
WAY_HINT = ("A folder on its way in build/ is a link or a file (a checkout or another program put it "
            "there): delete it (build/ is foundry's own) and build again.")


class OutputError(Exception):
    """A file of the build could not be written: `path` relative to the build (or the
    folder involved), `reason` the system's words ("No space left on device"), `hint`
    what to do (HF0714's: WRITE_HINT, or WAY_HINT when a folder on the way was a link
    or a file)."""

    def __init__(self, path: str, exc: OSError, hint: str = WRITE_HINT):
        super().__init__(f"{path}: {exc.strerror or exc}")
        self.path, self.reason, self.hint = path, exc.strerror or str(exc), hint


class Staging:
    """The next build/, written file by file, then switched in by `commit`."""

    def __init__(self, root: Path, build_dir: Path, spare: bool = False):
        """`spare`: stage into the tree build/ replaced last time, when there is one
        this machine left (see the module's docstring); the CLI's builds. `foundry
        serve` writes build/ in place after its first build and keeps no spare."""
        self.root, self.build_dir = root, build_dir
        # The spare's files (POSIX paths under it) not yet checked against build/, and
        # the folders it held; None when staging into a new, empty folder.
        self._left: set[str] | None = None
        self._spare_folders: list[str] = []
        self._present: set[str] = set()    # what this build put in the staged tree (the spare's others go)
        self.touched: set[str] = set()     # written or linked by this build: every other file is as it was
        # SOURCE_DATE_EPOCH in ns: every file of the staged tree carries it, kept ones too (`_date`)
        epoch = source_date()
        self._stamp_ns = None if epoch is None else epoch * 1_000_000_000
        try:
            recover(root, build_dir)
            token = f"{os.getpid()}-{secrets.token_hex(4)}"
            where = _spare(root, build_dir) if spare else None
            if where is not None:
                self.dir = where
                if where.is_dir():
                    self._left, self._spare_folders = _listing(where)
                else:
                    self.dir.mkdir()
                    self._left = set()
            else:
                self.dir = (root / VERSIONS / token) if is_our_link(build_dir) else root / f"{STAGING}-{token}"
                self.dir.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(_name(exc, root), exc) from None
        # A build with no build/ yet (a clean one) leaves the next build a spare: each
        # file it writes is linked into `.foundry-builds/spare` too (the very inodes of
        # the new build/). Without it the first edit after a clean build staged in an
        # empty spare and linked all 32,000 kept outputs (at 10,000 heroes ~0.8 CPU-s of
        # `_settle`, and their stats noted again, ~0.2: docs/performance.md edit29).
        self._removing: list[int] = []     # children removing a deleted build/'s spare (`_remove_behind`)
        self._twin = _twin(root, build_dir, self.dir, self._removing) if spare and where is None else None
        self._twin_base = os.fspath(self._twin) + os.sep if self._twin is not None else ""
        self._twin_made: set[str] = {self._twin_base.rstrip(os.sep)}
        self._made: set[str] = {os.fspath(self.dir)}   # folders already created: 20,000 mkdir calls cost seconds
        self._base = os.fspath(self.dir) + os.sep
        # The folder a kept file was last linked from and into, open (see `keep`).
        self._linking: tuple[str, int, int] | None = None

    def write(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        try:
            self._folder(os.path.dirname(target))
            self._clear(rel, target)   # a spare's file may be a link to build/'s: never written through
            _write_new(target, data)
            _stamp(target)
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
        self._present.add(rel)
        self.touched.add(rel)
        self._mirror(target)

    def duplicate(self, rel: str, original: str, data: bytes | None) -> None:
        """Write `data`, the bytes just written at `original` (a path of this build),
        at `rel` too: as a hard link to the staged original where the filesystem
        allows, else as a second file. The JSON API's copies under site/ (48 + 32 +
        13 MB at 10,000 heroes) are then written once. A link shares the original's
        bytes and stat: a later build that rewrites either path writes a new file
        (staged, or `InPlace`'s temporary file renamed over it), never into the pair.
        `data` None: the original was written by a render worker (`adopt`), its
        bytes are read back from the staged file when no link can be made."""
        target = self._target(rel)
        try:
            self._folder(os.path.dirname(target))
            self._clear(rel, target)
            try:
                os.link(self._target(original), target, follow_symlinks=False)
                self._present.add(rel)
                self.touched.update((rel, original))   # a new link moves the original's ctime too
                self._mirror(target)
                return
            except OSError:
                pass
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
        if data is None:
            try:
                data = _read_own(self._target(original))
            except OSError as exc:
                raise OutputError(f"{self.build_dir.name}/{original}", exc) from None
        self.write(rel, data)

    def for_workers(self) -> Callable[[str, bytes], bool]:
        """How a forked render worker writes a large result into the staged tree itself
        (`write_staged` bound to this tree: (output path, bytes) → written), which the
        builder then `adopt`s. A callable, not the path: render/ is a lower stage than
        write/ and never imports it (tests/foundation/test_layers.py)."""
        return functools.partial(write_staged, self._base)

    def adopt(self, rel: str) -> None:
        """The file at `rel` in the staged tree was written there whole by a render
        worker (`write_staged`, render/pool.py): this build's, as `write` would have
        made it. Its bookkeeping is `write`'s: the spare's old file there is not
        removed again by `_tidy`, its stat is noted after the switch (`touched`), and
        a clean build's twin links it."""
        target = self._target(rel)
        if self._left is not None:
            self._left.discard(rel)
        self._present.add(rel)
        self.touched.add(rel)
        self._mirror(target)

    @property
    def spare(self) -> bool:
        """Whether this build stages in the spare (see the module's docstring)."""
        return self._left is not None

    def spare_file(self, rel: str) -> str | None:
        """The path of the spare's file at `rel` (a regular file when the spare was
        listed, reached through no link), when there is one not yet decided, else None."""
        return self._base + rel if self._left is not None and rel in self._left else None

    def spared(self, rel: str, mtime_ns: int | None = None) -> None:
        """The spare's file at `rel` stays as it is: the caller found it is the very file
        recorded for this output (state.py `OutputHashes.spared`), so nothing is linked.
        `mtime_ns`: its mtime, when the caller's stat has it (else it is stat'ed to be
        dated, `_date`)."""
        self._left.discard(rel)
        self._present.add(rel)
        try:
            self._date(rel, self._base + rel, mtime_ns)
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None

    def spare_files(self) -> tuple[str, set[str]] | None:
        """(this tree's path and a separator, the spare's files not yet decided), None when
        not staging in a spare: `spare_file` for many paths at once (state.py `spared_all`)."""
        return (self._base, self._left) if self._left is not None else None

    def spared_all(self, found: list[tuple[str, int]]) -> None:
        """`spared` of each (path, its mtime) of `found`, in order: the sets changed at
        once, and only a file not yet dated with this build's epoch dated (`_date`)."""
        rels = [rel for rel, _ in found]
        self._left.difference_update(rels)
        self._present.update(rels)
        stamp = self._stamp_ns
        if stamp is None:
            return
        for rel, mtime_ns in found:
            if mtime_ns != stamp:
                try:
                    self._date(rel, self._base + rel, mtime_ns)
                except OSError as exc:
                    raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None

    def keep(self, rel: str) -> None:
        """Carry an unchanged artifact over from the previous build (hard link if possible)."""
        # strings, not pathlib: 35,000 kept files at 10,000 heroes
        target = self._target(rel)
        try:
            folder, name = os.path.split(target)
            self._folder(folder)
            try:
                # linkat between the two folders held open: a kept output's path is not
                # walked from the root twice per link (plan order keeps a folder's files
                # together: 32,000 links into a few folders at 10,000 heroes, ~20 % of
                # their kernel time, docs/performance.md edit8)
                source, into = self._link_folders(folder)
                if self._left is not None and rel in self._left:
                    self._left.discard(rel)
                    if _same_file(name, source, into):   # build/'s very file (checked by the caller): stays
                        self._present.add(rel)
                        self._date(rel, target)
                        return
                    self._clear(rel, target)
                os.link(name, name, src_dir_fd=source, dst_dir_fd=into)
            except OSError:
                self._clear(rel, target)
                shutil.copy2(os.path.join(self.build_dir, target[len(self._base):]), target)
            self._date(rel, target)
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None
        self._present.add(rel)
        self.touched.add(rel)

    def _mirror(self, target: str) -> None:
        """The staged file at `target`, just written, linked at its place in the twin
        (`_twin`): the same inode, so the next build finds it there with the stat the
        outputs' memo records after the switch, and keeps it unlinked. A link that
        fails leaves no twin at all (the next build stages from nothing, as before):
        a spare that lacks a file is correct too, but one failure says the rest fail."""
        if self._twin is None:
            return
        twin = self._twin_base + target[len(self._base):]
        try:
            folder = os.path.dirname(twin)
            if folder not in self._twin_made:
                make_folders(folder)
                self._twin_made.add(folder)
            os.link(target, twin, follow_symlinks=False)
        except OSError:
            self._drop_twin()

    def _removed(self) -> None:
        """Wait for the children removing an old spare (`_remove_behind`): done while
        the build still holds the project's lock."""
        while self._removing:
            try:
                os.waitpid(self._removing.pop(), 0)
            except ChildProcessError:
                pass

    def _drop_twin(self) -> None:
        if self._twin is not None:
            remove_tree(self._twin)
            self._twin = None

    def _date(self, rel: str, target: str, mtime_ns: int | None = None) -> None:
        """A file carried over from the last build (`keep`, `spared`: the last build's
        very inode, or a copy keeping its time) dated with this build's
        SOURCE_DATE_EPOCH, as a file written now is (`_stamp`): it was dated with the
        last build's epoch, or none, and a tree of two dates is not a clean build's.
        The inode is build/'s file too: only its time moves, never its bytes, and its
        stat is noted again after the switch (`touched`); a build that then fails
        leaves build/'s bytes as they were, some of its files dated with the new
        epoch (copying them instead would write every kept file again each time
        CI's epoch moves). One lstat a kept file when
        the epoch is set (none when the caller knows its mtime, `mtime_ns`); nothing
        when it is not. OSError: the caller's."""
        stamp = self._stamp_ns
        if stamp is not None and (mtime_ns if mtime_ns is not None else os.lstat(target).st_mtime_ns) != stamp:
            os.utime(target, ns=(stamp, stamp), follow_symlinks=False)
            self.touched.add(rel)

    def _link_folders(self, folder: str) -> tuple[int, int]:
        """Descriptors of build/'s folder and the staged folder at `folder` (a path in
        the staging folder), the last pair kept open until the next folder or `_close`."""
        if self._linking is not None and self._linking[0] == folder:
            return self._linking[1], self._linking[2]
        self._close()
        source = os.open(os.path.join(self.build_dir, folder[len(self._base):]) if folder + os.sep != self._base
                         else os.fspath(self.build_dir), os.O_RDONLY | os.O_DIRECTORY)
        try:
            into = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            os.close(source)
            raise
        self._linking = (folder, source, into)
        return source, into

    def _close(self) -> None:
        if self._linking is not None:
            os.close(self._linking[1])
            os.close(self._linking[2])
            self._linking = None

    def commit(self) -> None:
        """Switch build/ to the staged tree in one step; delete the old tree, or keep it
        as the next build's spare when this one was staged in the spare."""
        self._close()
        try:
            if self._left is not None:
                self._tidy()
                if exchange_kept(self.dir, self.build_dir):
                    _trust_spare(self.root, self.dir)
                    return
            switch(self.dir, self.build_dir)
            if self._twin is not None:   # complete, beside the tree it twins: the next build's spare
                _trust_spare(self.root, self._twin)
        except OSError as exc:
            self._drop_twin()
            raise OutputError(self.build_dir.name, exc) from None
        finally:
            self._removed()   # build/ switched first: a reader waits for the new tree no longer

    def abort(self) -> None:
        self._close()
        self._removed()
        self._drop_twin()
        remove_tree(self.dir)

    def _tidy(self) -> None:
        """The spare's files and folders this build did not put there, removed: the
        staged tree then holds exactly what a tree staged from nothing would."""
        base = self._base
        for rel in self._left - self._present:
            try:
                os.unlink(base + rel)
            except (FileNotFoundError, NotADirectoryError):
                pass   # gone with a folder this build replaced by an output's file
        self._left = set()
        needed = {""}
        for rel in self._present:
            folder = rel.rpartition("/")[0]
            while folder not in needed:
                needed.add(folder)
                folder = folder.rpartition("/")[0]
        for folder in sorted(self._spare_folders, key=len, reverse=True):   # the deepest first
            # a folder this build replaced by an output's file (or removed) is no longer one
            if folder not in needed and _is_folder(base + folder):
                remove_tree(Path(base + folder))

    def _clear(self, rel: str, target: str) -> None:
        """Remove what the spare holds at `target` (a file, a link, a folder), so that
        a write makes a new file there and a link does not fail."""
        if self._left is None or not os.path.lexists(target):
            return
        self._left.discard(rel)
        if os.path.isdir(target) and not os.path.islink(target):
            remove_tree(Path(target))
        else:
            os.unlink(target)

    def _folder(self, folder: str) -> None:
        if folder not in self._made:
            try:
                make_folders(folder)
            except (FileExistsError, NotADirectoryError):
                if self._left is None:
                    raise
                self._clear_way(folder)
                make_folders(folder)
            self._made.add(folder)

    def _clear_way(self, folder: str) -> None:
        """In the spare: a file or link where a folder on the way to `folder` must be, removed."""
        parts = folder[len(self._base):].split(os.sep)
        for end in range(1, len(parts) + 1):
            path = self._base + os.sep.join(parts[:end])
            if os.path.islink(path) or (os.path.lexists(path) and not os.path.isdir(path)):
                os.unlink(path)
                self._left.discard("/".join(parts[:end]))

    def _target(self, rel: str) -> str:
        return _staged_path(self._base, rel)


def _staged_path(base: str, rel: str) -> str:
    """`rel` (a POSIX path under build/) in the staged tree at `base` (its path and a
    separator). Lexical, not resolve(): the staging folder is ours and freshly made
    (or the spare, whose links are never followed: `_clear`), and an artifact path can
    never escape build/. ValueError for one that would."""
    clean = os.path.normpath(rel)
    if os.path.isabs(clean) or clean == ".." or clean.startswith(".." + os.sep) or clean == ".":
        raise ValueError(f"artifact path leaves the build: {rel!r}")
    return base + clean


def write_staged(base: str, rel: str, data) -> bool:
    """In a forked render worker: `data` written as the new file at `rel` in the staged
    tree at `base` (`Staging.for_workers`), as `Staging.write` writes it (the folders
    made, the spare's file or link there unlinked first, never written through, dated
    with SOURCE_DATE_EPOCH); the builder then `adopt`s it instead of receiving the
    bytes through the pipe and writing them itself (after one hero edit at 10,000
    heroes ~110 MB of lists, ~0.2 CPU-s of its serial path: docs/performance.md
    edit32). False, with nothing left at `rel`, when it cannot (a folder or a
    non-folder where one must be, a full disk, a file-size limit): the bytes then go
    to the builder as before, whose write reports the error or clears the way."""
    try:
        target = _staged_path(base, rel)
    except ValueError:
        return False
    try:
        folder = os.path.dirname(target)
        make_folders(folder)
        if os.path.realpath(folder) != os.path.normpath(os.path.join(os.path.realpath(base), os.path.relpath(folder, base))):
            return False   # a link on the way (a spare's folder replaced by one): the builder's write decides
        if os.path.lexists(target):
            if os.path.isdir(target) and not os.path.islink(target):
                return False   # a folder of the spare's where the file goes: the builder removes it
            os.unlink(target)
        _write_new(target, data)
        _stamp(target)
        return True
    except OSError:
        try:
            os.unlink(target)
        except OSError:
            pass
        return False


def _read_own(path: str) -> bytes:
    """The bytes of a file this build staged (no link followed)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as file:
        return file.read()


def switch(new: Path, build: Path) -> None:
    """Make `new` the tree at `build` in one atomic step (see the module's docstring)."""
    if is_our_link(build):
        _flip(new, build)
    elif not os.path.lexists(build):
        os.rename(new, build)                      # nothing to replace: one rename
    elif exchange(new, build):
        remove_tree(new)                               # the old tree, swapped to the staging path
    else:
        # No exchange here: from now on build/ is a link. Moving the real folder aside
        # and linking is two steps this one time; `recover` undoes a crash between them.
        versioned = build.parent / VERSIONS / new.name
        versioned.parent.mkdir(exist_ok=True)
        os.rename(new, versioned)
        os.rename(build, build.parent / OLD)
        _flip(versioned, build)
        remove_tree(build.parent / OLD)


def exchange_kept(staged: Path, build: Path) -> bool:
    """Make `staged` the tree at `build` by `exchange`, leaving the old tree at
    `staged` (the next spare); False, nothing changed, where there is no exchange or
    build/ is not a real folder (then `switch` decides)."""
    if is_our_link(build) or not os.path.isdir(build) or os.path.islink(build):
        return False
    return exchange(staged, build)


def _spare(root: Path, build: Path) -> Path | None:
    """Where this build stages when it may use a spare: `.foundry-builds/spare`, when
    build/ is a real folder, folders can be exchanged here, and the cache folder that
    vouches for the spare is usable. A spare found there that this machine did not
    leave (its stat is not the one `_trust_spare` recorded) is deleted first. None:
    stage in a new folder as before (build/ missing or a link, no exchange, no cache)."""
    from ..load.cache_folder import cache_folder
    folder = root / VERSIONS
    try:
        if _renameat2() is None or cache_folder(root) is None or is_our_link(build) \
                or not stat_module.S_ISDIR(os.lstat(build).st_mode):
            return None
        folder.mkdir(exist_ok=True)
        if not stat_module.S_ISDIR(os.lstat(folder).st_mode) or os.lstat(build).st_dev != os.lstat(folder).st_dev:
            return None
    except OSError:
        return None
    spare = folder / SPARE
    if os.path.lexists(spare) and not _trusted_spare(root, spare):
        remove_tree(spare)
    return spare


def _twin(root: Path, build: Path, staged: Path, removing: list[int]) -> Path | None:
    """Where a build that stages `staged` from nothing links each file it writes (see
    `Staging.__init__`): `.foundry-builds/spare`, emptied, when build/ does not exist
    (nothing of a user's to keep: the tree is all this build's), folders can be
    exchanged here (else the next build stages in no spare) and the cache folder that
    vouches for the spare is usable, on the staged tree's filesystem. None otherwise.
    A spare found there is removed by a child process (`_remove_behind`; its pid is
    added to `removing`)."""
    from ..load.cache_folder import cache_folder
    folder = root / VERSIONS
    try:
        if os.path.lexists(build) or _renameat2() is None or cache_folder(root) is None:
            return None
        folder.mkdir(exist_ok=True)
        if not stat_module.S_ISDIR(os.lstat(folder).st_mode) or os.lstat(staged).st_dev != os.lstat(folder).st_dev:
            return None
        spare = folder / SPARE
        if os.path.lexists(spare):   # a spare of a build/ since deleted: none of its files is this build's
            _remove_behind(spare, removing)
        spare.mkdir()
        return spare
    except OSError:
        return None


def _remove_behind(path: Path, removing: list[int]) -> None:
    """Remove the tree at `path` off the build's path: renamed aside in its folder (one
    step), then removed by a forked child whose pid is added to `removing` (the caller
    waits for it before it lets the lock go: `Staging._removed`). A build/ deleted by
    hand leaves the spare holding the only links to ~35,000 files (10,000 heroes): their
    unlinks free every block, and on this machine's ext4 (mounted with `discard`) that
    took the builder 8.5 s of wall for 0.7 CPU-s, alone, before the render pool forked
    (docs/performance.md clean42). A thread would not do: each unlink gives the GIL
    away and waits up to a switch interval for it back beside the busy main thread. When
    the rename or the fork fails, the tree is removed here as before.

    The child dies with the builder (lifeline.py, as every child foundry forks): it
    shares the builder's flock, and left removing alone after a builder killed by
    SIGKILL or SIGTERM it held the lock for as long as the removal took (at 10,000
    heroes on a loaded machine, longer than a build waits: HF0713 with no build
    running); `recover` removes what it left. Ctrl-C kills it outright (SIGINT's
    default, set while SIGINT is blocked across the fork): it never raises the
    builder's KeyboardInterrupt into the builder's own code, and an interrupted
    build does not wait for its removal."""
    import signal
    from ..lifeline import die_with_parent   # prctl looked up here, in the parent, not in the child
    aside = path.with_name(f"{GONE}{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.rename(path, aside)
    except OSError:
        remove_tree(path)
        return
    parent = os.getpid()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        remove_tree(aside)
        return
    if pid == 0:   # the child: nothing but the removal, then out without the parent's exit handlers
        try:
            die_with_parent(parent)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
            remove_tree(aside)
        finally:
            os._exit(0)
    removing.append(pid)   # before a Ctrl-C held back meanwhile is raised: the build still waits for it
    signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _spare_key(spare: Path) -> str | None:
    from ..load.hash_memo import dir_stat
    found = dir_stat(spare)
    return None if found is None else ",".join(map(str, found))


def _trusted_spare(root: Path, spare: Path) -> bool:
    from ..load.hash_memo import recall
    key = _spare_key(spare)
    return key is not None and recall(root, SPARE_MEMO, key) == SPARE


def _trust_spare(root: Path, spare: Path) -> None:
    """Record the stat of the old tree the exchange just left at `spare`, sealed: the
    next build stages there. A failure to record only means the next build starts
    from a new folder."""
    from ..load.hash_memo import keep
    key = _spare_key(spare)
    if key is not None:
        keep(root, SPARE_MEMO, key, SPARE)


def _listing(top: Path) -> tuple[set[str], list[str]]:
    """(the files, the folders) below `top` by POSIX path under it, without following
    a link; links and anything else that is neither a file nor a folder are removed
    on the way (nothing in the spare is read or followed)."""
    files: set[str] = set()
    folders: list[str] = []
    stack = [""]
    while stack:
        rel = stack.pop()
        prefix = rel + "/" if rel else ""
        with os.scandir(os.path.join(top, rel) if rel else top) as entries:
            for entry in entries:
                if entry.is_symlink():
                    os.unlink(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(prefix + entry.name)
                    stack.append(prefix + entry.name)
                elif entry.is_file(follow_symlinks=False):
                    files.add(prefix + entry.name)
                else:
                    os.unlink(entry.path)
    return files, folders


def _is_folder(path: str) -> bool:
    """Whether `path` is a folder (a link to one is not)."""
    try:
        return stat_module.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _same_file(name: str, source: int, into: int) -> bool:
    """Whether `name` in the folder `into` is the very file `name` is in `source`
    (both open folders; links not followed)."""
    try:
        a = os.stat(name, dir_fd=source, follow_symlinks=False)
        b = os.stat(name, dir_fd=into, follow_symlinks=False)
    except OSError:
        return False
    return a.st_ino == b.st_ino and a.st_dev == b.st_dev and stat_module.S_ISREG(b.st_mode)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically with renameat2(RENAME_EXCHANGE). False where the C
    library, the kernel or the filesystem does not offer it."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes
    err = ctypes.get_errno()
    if err in _UNSUPPORTED:
        return False
    raise OSError(err, os.strerror(err), str(b))


def recover(root: Path, build: Path) -> None:
    """Undo what a build that died left behind (the caller holds the project lock, so
    no other build is using any of it): a build/ moved aside is put back, staging
    folders, links and trees no longer linked are deleted."""
    versions = root / VERSIONS
    if os.path.lexists(versions) and (versions.is_symlink() or not versions.is_dir()):
        remove_tree(versions)       # a committed link: the next tree must never be made through it
    old = root / OLD
    # the link first: is_dir() follows a committed `.foundry-old -> /elsewhere` out to stat it
    if not old.is_symlink() and old.is_dir() and not os.path.lexists(build) and _ours(root, old):
        os.rename(old, build)   # never a link: a committed `.foundry-old -> /elsewhere` stays out
    remove_tree(old)
    for entry in os.scandir(root):
        if entry.name.startswith((STAGING, LINK)):
            remove_tree(Path(entry.path))
    if versions.is_dir() and not versions.is_symlink():
        current = os.readlink(build) if is_our_link(build) else ""
        for entry in os.scandir(versions):
            # the spare stays beside a build/ that is a folder (`_spare` decides whether it is ours)
            if f"{VERSIONS}/{entry.name}" != current and (current or entry.name != SPARE):
                remove_tree(Path(entry.path))


_LIBC_RENAMEAT2: list = []


def _renameat2():
    if not _LIBC_RENAMEAT2:
        import ctypes   # here, not at the top: a no-op build never switches a tree
        try:
            fn = ctypes.CDLL(None, use_errno=True).renameat2   # glibc 2.28+
            fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
            fn.restype = ctypes.c_int
        except (OSError, AttributeError):
            fn = None
        _LIBC_RENAMEAT2.append(fn)
    return _LIBC_RENAMEAT2[0]


def _flip(target: Path, build: Path) -> None:
    """Point the build/ link at `target` (inside VERSIONS) by renaming a new link over it."""
    previous = os.readlink(build) if is_our_link(build) else None
    link = build.parent / f"{LINK}{target.name}"
    os.symlink(f"{VERSIONS}/{target.name}", link)
    os.replace(link, build)
    if previous and previous != f"{VERSIONS}/{target.name}":
        remove_tree(build.parent / previous)


def is_our_link(build: Path) -> bool:
    """Whether build/ is a link of the kind `_flip` makes: exactly `.foundry-builds/<name>`,
    one plain name (no `..`, no further slash) naming a real folder in a real
    `.foundry-builds/`. A pull request can commit build/ as ANY link (`.foundry-builds/../..`);
    only this shape is ever read, written through or deleted as a previous tree."""
    try:
        target = os.readlink(build)
    except OSError:
        return False
    folder, _, name = target.partition("/")
    if folder != VERSIONS or name in ("", ".", "..") or "/" in name:
        return False
    versions = build.parent / VERSIONS
    return not versions.is_symlink() and not (versions / name).is_symlink() and (versions / name).is_dir()


def _ours(root: Path, tree: Path) -> bool:
    """Whether `tree` is a build/ this machine wrote: its state carries our seal. A
    `.foundry-old/` committed by a pull request never becomes build/."""
    try:
        blob = boundary(root).read(tree / STATE_FILE, 512 * 1024 * 1024)
    except OSError:
        return False
    return seal.unseal(seal.key(root), STATE_FILE, blob) is not None






def _name(exc: OSError, root: Path) -> str:
    """The path an error writing the build is said at: relative to the project; one of
    foundry's own working folders beside build/ (`.foundry-old`, the staging folders,
    `.foundry-builds`) is named as the build/ it is made for, which the writer knows."""
    filename = exc.filename
    if isinstance(filename, (str, bytes, os.PathLike)):
        path = Path(os.fsdecode(filename))
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        if rel.startswith((STAGING, OLD, VERSIONS, LINK)):
            return f"build/ (foundry's working folder {rel} beside it)"
        return rel
    return "build"


# open(path, "wb")'s flags and mode, without its file objects
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _write_new(path: str, data) -> None:
    """`data` (bytes, or any buffer: a pool's result may be a view of its reused buffer)
    as the whole file at `path`, as `open(path, "wb").write(data)` writes it. Without
    the file objects, whose making asks the kernel three more things of each file (its
    stat, whether it is a terminal, its position): at 10,000 heroes a clean build writes
    ~25,000 files from the builder while both render workers wait for it
    (docs/performance.md clean30). OSError as open and write raise it."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        with memoryview(data) as whole, whole.cast("B") as view:   # released at once: a reused buffer is not held
            done = 0
            while done < len(view):
                done += os.write(fd, view[done:])
    finally:
        os.close(fd)


def _stamp(path: Path) -> None:
    epoch = source_date()
    if epoch is not None:
        os.utime(path, (epoch, epoch))
