"""The serve's watch on git: a commit, an amend, a branch switched or reset, a tag, a
fetch that deepens a shallow clone, an edit of `.mailmap`.

Every page shows git's answers (each footer the commit that last changed what it shows,
the credits who wrote what, under the names `.mailmap` gives them), and a build reads
them afresh (engine/sources.py: the revision is part of the input fingerprint). None of
them is a file under the inputs the file watcher watches, so a `git commit` after a save
left the preview showing the commit before until the next save, and a CLI build of the
same files differed from it.

On the watcher's idle ticks `Revision.moved` stats what git changes when one of those
answers may change (git/stamp.py `signature`): HEAD, the ref it names, packed-refs, the
tags folder, the shallow file, the `.mailmap` at the top of the work tree
(git/versions.py mailmap_key), the repository's config, grafts and replace refs. A
few stats, no git process: git's own answer (`revision_key`, a `git describe` that can
walk a long history) is asked only by the build that follows, which is a no-op when
nothing it shows changed (a `git gc` packing the refs).
"""

from __future__ import annotations

import time
from pathlib import Path

from ..git.stamp import Signature, signature
from .sweep import EVERY


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
