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

Errors writing (disk full, a file-size limit, a read-only folder) become OutputError
naming the path, for a tool error instead of a traceback.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
from pathlib import Path

from .. import seal
from .state import STATE_FILE
from ..confine import boundary
from ..epoch import source_date

STAGING = ".foundry-staging"     # prefix of the per-build staging folders
OLD = ".foundry-old"             # a real build/ moved aside while it becomes a link
VERSIONS = ".foundry-builds"     # where build/ points when it is a link
LINK = ".foundry-link-"          # a new link, before it is renamed over build/

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV}


class OutputError(Exception):
    """A file of the build could not be written: `path` relative to the build (or the
    folder involved), `reason` the system's words ("No space left on device")."""

    def __init__(self, path: str, exc: OSError):
        super().__init__(f"{path}: {exc.strerror or exc}")
        self.path, self.reason = path, exc.strerror or str(exc)


class Staging:
    """The next build/, written file by file, then switched in by `commit`."""

    def __init__(self, root: Path, build_dir: Path):
        self.root, self.build_dir = root, build_dir
        try:
            recover(root, build_dir)
            token = f"{os.getpid()}-{secrets.token_hex(4)}"
            self.dir = (root / VERSIONS / token) if is_our_link(build_dir) else root / f"{STAGING}-{token}"
            self.dir.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(_name(exc, root), exc) from None
        self._made: set[str] = {os.fspath(self.dir)}   # folders already created: 20,000 mkdir calls cost seconds
        self._base = os.fspath(self.dir) + os.sep
        # The folder a kept file was last linked from and into, open (see `keep`).
        self._linking: tuple[str, int, int] | None = None

    def write(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        try:
            self._folder(os.path.dirname(target))
            with open(target, "wb") as out:
                out.write(data)
            _stamp(target)
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None

    def link(self, rel: str, original: str) -> None:
        """`rel` holds exactly the bytes of `original`, staged already (an artifact's copy,
        `Planned.copy_of`): a hard link to it, not the bytes written a second time (the
        JSON API's published copy is 167 MB in 10,700 files at 10,000 heroes; writing
        them cost the kernel seconds of CPU, docs/performance.md full12); a copy of the
        file where the filesystem refuses links."""
        target, source = self._target(rel), self._target(original)
        try:
            self._folder(os.path.dirname(target))
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                shutil.copyfile(source, target, follow_symlinks=False)
                _stamp(target)
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
                os.link(name, name, src_dir_fd=source, dst_dir_fd=into)
            except OSError:
                shutil.copy2(os.path.join(self.build_dir, target[len(self._base):]), target)
        except OSError as exc:
            raise OutputError(f"{self.build_dir.name}/{rel}", exc) from None

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
        """Switch build/ to the staged tree in one step; delete the old tree."""
        self._close()
        try:
            switch(self.dir, self.build_dir)
        except OSError as exc:
            raise OutputError(self.build_dir.name, exc) from None

    def abort(self) -> None:
        self._close()
        remove_tree(self.dir)

    def _folder(self, folder: str) -> None:
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)

    def _target(self, rel: str) -> str:
        # Lexical, not resolve(): the staging folder is ours and freshly made, so it holds
        # no symlinks, and an artifact path can never escape build/.
        clean = os.path.normpath(rel)
        if os.path.isabs(clean) or clean == ".." or clean.startswith(".." + os.sep) or clean == ".":
            raise ValueError(f"artifact path leaves the build: {rel!r}")
        return self._base + clean


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
    if old.is_dir() and not old.is_symlink() and not os.path.lexists(build) and _ours(root, old):
        os.rename(old, build)   # never a link: a committed `.foundry-old -> /elsewhere` stays out
    remove_tree(old)
    for entry in os.scandir(root):
        if entry.name.startswith((STAGING, LINK)):
            remove_tree(Path(entry.path))
    if versions.is_dir() and not versions.is_symlink():
        current = os.readlink(build) if is_our_link(build) else ""
        for entry in os.scandir(versions):
            if f"{VERSIONS}/{entry.name}" != current:
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


def remove_tree(path: Path) -> None:
    """Delete a file, link or folder tree without following links out of it (the
    staging folder here; a shard's folder in engine/shards.py)."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)
    except FileNotFoundError:
        pass


def _name(exc: OSError, root: Path) -> str:
    filename = exc.filename
    if isinstance(filename, (str, bytes, os.PathLike)):
        path = Path(os.fsdecode(filename))
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return "build"


def _stamp(path: Path) -> None:
    epoch = source_date()
    if epoch is not None:
        os.utime(path, (epoch, epoch))
