"""The serve's watch on git: a commit, an amend, a branch switched or reset, a tag, a
fetch that deepens a shallow clone, an edit of `.mailmap`.

Every page shows git's answers (each footer the commit that last changed what it shows,
the credits who wrote what, under the names `.mailmap` gives them), and a build reads
them afresh (engine/sources.py: the revision is part of the input fingerprint). None of
them is a file under the inputs the file watcher watches, so a `git commit` after a save
left the preview showing the commit before until the next save, and a CLI build of the
same files differed from it.

On the watcher's idle ticks `Revision.moved` stats what git changes when one of those
answers may change: HEAD, the ref it names, packed-refs, the tags folder, the shallow
file, and the `.mailmap` at the top of the work tree (git/versions.py mailmap_key). A
few stats, no git process: git's own answer (`revision_key`, a `git describe` that can
walk a long history) is asked only by the build that follows, which is a no-op when
nothing it shows changed (a `git gc` packing the refs).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ..git.command import find_repository
from .sweep import EVERY

Signature = tuple[tuple[str, tuple[int, ...] | None], ...]


def _stat(path: Path) -> tuple[int, ...] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _common(git_dir: Path) -> Path:
    """The folder holding the refs: a worktree's `commondir` names it, else git_dir."""
    try:
        line = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return git_dir / line if line else git_dir


def signature(root: Path) -> Signature:
    """The stats of the files git writes when HEAD, a tag, the clone's depth or the
    work tree's .mailmap change; () outside a repository."""
    repo = find_repository(root)
    if repo is None:
        return ()
    common = _common(repo.git_dir)
    paths = [repo.git_dir / "HEAD", common / "packed-refs", common / "shallow", repo.work_tree / ".mailmap"]
    try:
        head = (repo.git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    if head.startswith("ref: refs/") and ".." not in head:
        paths.append(common / head[len("ref: "):])   # the branch's own file: a commit moves it
    # git writes a ref as a lock file renamed over it: the folder holding it changes with
    # each tag made, moved or deleted (in folders too: `release/v2`), so folders suffice
    paths += [Path(folder) for folder, _, _ in os.walk(common / "refs" / "tags")]
    return tuple((str(path), _stat(path)) for path in paths)


class Revision:
    """`moved()` is true once each time the signature changed since it was last taken
    (`start`, or a `moved` that looked); it looks at most once every `every` seconds."""

    def __init__(self, root: Path, every: float = EVERY, clock=time.monotonic):
        self.root, self.every, self.clock = root, every, clock
        self._last: Signature | None = None
        self._due = 0.0

    def start(self) -> None:
        self._last, self._due = signature(self.root), self.clock() + self.every

    def moved(self) -> bool:
        if self._last is None:
            self.start()
            return False
        if self.clock() < self._due:
            return False
        now, self._due = signature(self.root), self.clock() + self.every
        moved, self._last = now != self._last, now
        return moved
