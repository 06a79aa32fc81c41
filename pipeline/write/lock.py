"""One build at a time per project: an advisory lock (flock) on `.foundry-cache/build.lock`,
beside foundry's other files of its own (a build changes nothing else in the project).

The kernel releases a flock when its holder exits, however it exits (SIGKILL, a
crash), so a lock is never left stale and needs no clean-up. The file is opened with
O_NOFOLLOW and must be a regular file, in a real folder: a pull request that commits
the lock (or its folder) as a symlink cannot make the build open a file elsewhere. When
`.foundry-cache` is not a real folder (committed as a link or a file), the lock is an
flock on the project folder itself: the build still runs, without caches; the same when
the lock file itself was committed as a link or as something other than a file (the
pull request's own build must not fail on it), and when it cannot be made (a read-only
mount, a folder not ours to write in: the build then says what it cannot write, HF0714).
A lock file that is there but not ours to write (another user's) is locked as it is,
read-only: flock needs no write access, and its owner's build holds that flock. A second build waits a bounded
time (FOUNDRY_LOCK_WAIT seconds, default 60: an operator's setting, never the
project's, read as the budgets are: budget.lock_wait) and then gives up with "another build is running".
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from ..budget import lock_wait

LOCK_NAME = ".foundry-cache/build.lock"   # relative to the project root
POLL = 0.1


# A project folder foundry may not write in (a read-only mount, a checkout owned by
# another user): the lock is taken on the project folder itself, as for a linked
# `.foundry-cache`, so the build goes on to say what it cannot write (HF0714 at
# build/), not "another build is running" with a hint to wait for it.
_NOT_WRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM)


class Busy(Exception):
    """Another build holds the project's lock (or the lock file cannot be used)."""


def _open_lock_file(path: Path, root: Path) -> int:
    """The lock file opened for flock, never through a link. A lock committed as a link
    (ELOOP), a fifo or a folder is not ours to use or remove: the project folder is
    locked instead, as when `.foundry-cache` itself is not a real folder. Raises OSError."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO, *_NOT_WRITABLE):
            raise
        if exc.errno in _NOT_WRITABLE:
            # A lock file that is there but not ours to write (made by another user: a
            # build run as root in a container; a read-only mount): a build that can
            # write it holds its flock, so this one takes the same flock, which needs no
            # write access. Locking the project folder instead excluded nothing: both
            # builds ran at once into build/.
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
            except OSError:
                pass   # not there (never made): nobody holds a flock on it
            else:
                if stat.S_ISREG(os.fstat(fd).st_mode):
                    return fd
                os.close(fd)
        return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    if stat.S_ISREG(os.fstat(fd).st_mode):
        return fd
    os.close(fd)   # a fifo or device opened without blocking: not a lock file
    return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


@contextmanager
def project_lock(root: Path, wait: float | None = None,
                 waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock for the `with` block. Raises Busy after `wait`
    seconds (default lock_wait()); `waiting` is called once if the lock is taken."""
    wait = lock_wait() if wait is None else wait
    path = root / LOCK_NAME
    try:
        if not os.path.lexists(path.parent):
            try:
                path.parent.mkdir(exist_ok=True)
            except OSError as exc:
                if exc.errno not in _NOT_WRITABLE:
                    raise
        if not os.path.lexists(path.parent) or path.parent.is_symlink() or not path.parent.is_dir():
            # a committed `.foundry-cache` that is a link or a file: the caches ignore
            # it (load/cache.py) and the build goes on, so the lock is taken on the
            # project folder itself, never on anything reached through the link
            fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        else:
            fd = _open_lock_file(path, root)
    except OSError as exc:
        raise Busy(f"cannot open the build lock {LOCK_NAME}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISREG(mode) or (stat.S_ISDIR(mode) and os.path.samestat(os.fstat(fd), os.stat(root)))):
            raise Busy(f"{LOCK_NAME} is not a regular file; delete it")
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy("another build of this project is running") from None
                if not told and waiting is not None:
                    waiting()
                    told = True
                time.sleep(POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
