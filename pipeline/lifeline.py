"""A process foundry forks dies with the process that forked it, however that one dies.

A forked child inherits the builder's flock on `.foundry-cache/build.lock` (write/lock.py)
and every descriptor it had open, its pipes' ends included. A builder killed by SIGKILL
(the OOM killer, `kill -9`, a CI runner cut short) runs no clean-up: a child waiting
on a pipe or a queue whose other end it holds itself (a multiprocessing Pool's worker
holds both ends of the pool's task queue) then waits for ever, holding the lock, and
every later build of the project says HF0713 (another build is running) until someone
finds and kills it; a child still at work writes into the project after its builder
is gone, into a tree the next build may have begun.

One mechanism for every forked child (the render pool, the parse pool, a check's
digest process): `die_with_parent`, its first call, asks Linux to SIGKILL it when its
parent dies (prctl PR_SET_PDEATHSIG), then looks whether the parent died already (a
death before the prctl sends nothing). Chosen over a pipe whose end of file means
"the parent died" (every later child inherits the parent's end unless each closes
every earlier one's, which a multiprocessing Pool's replacement workers do not know
to do) and over a thread polling `os.getppid()` (a child then works on, and writes,
for up to a poll's period after the builder's death): the kernel kills at once, in
the builder's own exit, so no child of a killed build writes on, and the lock, which
the children share, is free as soon as the last of them is gone (the next build
never overlaps one of them).

Linux sends the signal when the THREAD that forked the child ends, not the process:
every caller forks from a thread that lives as long as its children (the command's
main thread, or `foundry serve`'s watcher thread, which renders; a parse pool's
replacement worker is forked by the pool's own handler thread, which ends only when
the pool is stopped). Where prctl is missing (not Linux) a child still leaves when the
pipe or queue it waits on ends (render/pool.py's pipe, the parse pool's task queue, the
digest's pipe once the parse workers holding its other end have left), only not at
once: it finishes what it was doing first.
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1   # linux/prctl.h


def _find_prctl():
    """The C library's prctl, or None (not Linux)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    # int prctl(int option, unsigned long arg2, ...): the kernel reads whole longs
    prctl.argtypes = [ctypes.c_int] + [ctypes.c_ulong] * 4
    prctl.restype = ctypes.c_int
    return prctl


# Looked up once, at import, in the parent: a child forked while another thread of the
# parent was loading a library (an exporter's import) could wait for ever on the
# loader's lock, copied held, if it looked prctl up itself (dlopen).
_PRCTL = _find_prctl()


def die_with_parent(parent: int) -> None:
    """Make this forked process die (SIGKILL) when `parent`, the pid of the process
    that forked it (os.getpid() read before the fork), dies; if it died already, die
    now. Call first in the child, before any work. Not Linux: nothing is asked (the
    module's docstring says what happens then). Raises nothing."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:   # died before the prctl: no signal will come
        os.kill(os.getpid(), signal.SIGKILL)

