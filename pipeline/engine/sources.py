"""One hash over every file a build reads, so a build with nothing changed can stop
before loading anything (parsing and resolving 10,000 files costs seconds).

Each file's content hash decides, never its mtime. Reading and hashing 11,500 files
still costs 0.65 s, so the hashes are remembered per file beside the file's stat
(mtime, ctime, size, inode), as git's index does: a file whose stat is unchanged is not read
again; a checkout that only resets mtimes costs one re-hash, not a rebuild."""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
import time
from pathlib import Path

from ..load.root import PROJECT_INPUTS
from ..toolid import SHIPPED_THEME, tool_id
from ..confine import Boundary, boundary, read_resolved
from .. import seal
from ..load.cache import cache_folder
from ..git.versions import content_version

WATCHED = PROJECT_INPUTS
MEMO = "file-hashes.json"
# A memo line is ~170 bytes per file: 64 MiB is some 400,000 files. A bigger memo was
# not written here (a checkout can commit one, and a file of zeros packs to nothing in
# git); it is ignored unread, not loaded whole into memory.
MAX_MEMO_BYTES = 64 * 1024 * 1024
RACY = 2.0   # seconds: a file changed this recently may change again within its mtime's tick


def _files(fence: Boundary) -> tuple[list[Path], list[Path]]:
    """(files, links that lead outside) among the watched inputs, by their paths under
    the root; only the confinement rule decides what is looked at (pipeline/confine.py):
    a link out is listed, never followed, stat'ed or hashed."""
    found, refused = [], []
    for name in WATCHED:
        path = Path(fence.root, name)
        if not os.path.lexists(path):
            continue
        if fence.resolve(path) is None:
            refused.append(path)
        elif fence.is_file(path):
            found.append(path)
        else:
            files, outside = fence.files(path)
            found += files
            refused += outside
    return sorted(found), sorted(refused)


def files_under(folder: Path) -> list[Path]:
    """Regular files below `folder` (a trusted folder, such as the shipped theme),
    hidden ones left out, under the confinement of that folder."""
    return boundary(folder).files(folder)[0]


def source_fingerprint(root: Path, settings: str) -> str:
    """Changes when any input file, the git revision, foundry's version or code, the default
    theme or the build's settings (outputs, release…) change. A link that leads
    outside counts by its path alone (so adding one is a change the build then reports)."""
    memo = _HashMemo(root)
    h = hashlib.sha256(f"{tool_id()}\0{settings}\0{content_version(root)}\0".encode())
    project = boundary(root)
    files, refused = _files(project)
    shipped = boundary(SHIPPED_THEME)   # the theme foundry ships: an input of the pages drawn with it
    for label, fence, paths in (("project", project, files), ("shipped", shipped, files_under(SHIPPED_THEME))):
        for path in paths:
            real = fence.resolve(path)
            # remembered by the path under its root, never the absolute path: a project
            # moved or restored into another folder (a CI cache) keeps its memo
            digest = memo.sha256(real, label + ":" + os.fsdecode(_name(real, fence.real))) if real is not None else None
            if digest is not None:
                h.update(_name(path, fence.root) + f"\0{digest}".encode())
    for path in refused:
        h.update(_name(path, project.root) + b"\0outside")
    memo.save()
    return h.hexdigest()


def _name(path: Path, root: Path) -> bytes:
    """The path's bytes under root, as the filesystem has them: a file name that is
    not UTF-8 (a pull request can commit one) is hashed, not an internal error."""
    text, base = os.fspath(path), os.fspath(root)
    if os.sep == "/" and text.startswith(base + "/") and "/." not in text:   # the common case, without pathlib
        return os.fsencode(text[len(base) + 1:])
    return os.fsencode(Path(os.path.relpath(path, root)).as_posix())


class _HashMemo:
    """`project:<path>` or `shipped:<path>` (relative to its root) → (stat, sha256) from the
    last run. Safe to delete; unreadable means empty.
    Sealed with this user's key (pipeline/seal.py): a memo committed to the checkout,
    or edited, does not verify and counts as empty."""

    def __init__(self, root: Path):
        folder = cache_folder(root)
        self.path = folder / MEMO if folder is not None else None
        self.secret = seal.key(root)
        self.changed, self.now = False, time.time()
        try:
            blob = read_resolved(self.path, MAX_MEMO_BYTES) if self.path is not None else b""
            known = json.loads(seal.unseal(self.secret, MEMO, blob) or b"{}")
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list] = {}

    def sha256(self, path: Path, key: str) -> str | None:
        """None for what is not a regular file (a broken symlink, a socket). `path` is
        resolved and confined: it is stat'ed and read without following links. `key`
        names it in the memo (relative to its root, so the memo moves with the project)."""
        try:
            st = os.lstat(path)
        except OSError:
            return None
        if not stat_module.S_ISREG(st.st_mode):
            return None
        # ctime too: a tool that restores a file's mtime after changing it (touch -r,
        # rsync -t) cannot restore its ctime.
        stat = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        old = self.known.get(key)
        if isinstance(old, list) and len(old) == 5 and old[:4] == stat and isinstance(old[4], str):
            self.seen[key] = old
            return old[4]
        try:
            digest = hashlib.sha256(read_resolved(path)).hexdigest()
        except OSError:
            return None
        if self.now - st.st_mtime_ns / 1e9 > RACY:
            self.seen[key] = [*stat, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if self.path is None or (not self.changed and len(self.seen) == len(self.known)):
            return
        data = seal.seal(self.secret, MEMO, json.dumps(self.seen, sort_keys=True, separators=(",", ":")).encode())
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            # O_EXCL and O_NOFOLLOW: never write through a link someone left in the folder
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.path)
        except OSError:
            pass  # only a speed-up
