"""The serve's stat sweep: changes the file watcher never reported, found while idle.

inotify can lose an event: an editor's atomic rename on some mounts (network and FUSE
file systems, bind mounts), a write through another name of the file (a hard link
elsewhere), a write through mmap (inotify(7): not reported), and a burst that fills
the kernel's queue (IN_Q_OVERFLOW). watchfiles drops that last notice: notify hands it
over as an event with no path, and watchfiles keeps only events with one. Without a
sweep such a change showed only at the next save or CLI build.

While the watcher is idle, `Sweep.missed` stats every input the build reads (the same
listing: engine/sources.py `input_files`, confined) every `EVERY` seconds and compares
each file's stat (inode, size, modification and change time, ns) with the last sweep's.
A file whose stat changed, appeared or went, and that the watcher did not name since
(or named, and it changed again after), nor on its next idle tick (an event on its
way), is a missed change: events were lost, so
everything may have changed and the serve rebuilds checking every input. At 10,000
heroes a sweep costs ~0.05 CPU-s (docs/performance.md, fix16b): ~2 % of a core while
idle; a larger project is swept less often, so that it never costs more (`SHARE`).

The files the last build read outside the watched inputs are swept too (`elsewhere`: a
portrait a hero names by a path that leaves content/, `../../art/aria.jpg`, anywhere in
the project): no watcher reports them, and a phone photo replaced there by its turned
copy stayed published sideways until some other file was saved. One that stops being
read between two sweeps is no change; one that starts being read is a change when its
stat differs from the one the engine took as the load that read it ended (a photo
exported again while the build that began reading it rendered for a minute was never
published).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..confine import Boundary
from ..engine.sources import Stat, file_stat, input_files, stats_of
from ..load.editor_files import is_editor_temp

EVERY = 2.0    # seconds between sweeps while idle: a missed change shows within ~2 s
# …or more, on a project so large that a sweep every EVERY seconds would cost more than
# 1/SHARE of a core while idle (measured per sweep as this thread's CPU time)
SHARE = 50

def snapshot(root: Path, elsewhere: Iterable[str] = ()) -> dict[str, Stat | None]:
    """Every input file the build would list (editors' temporary files too: `missed`
    leaves them out), and each of `elsewhere` (POSIX paths under `root` of files read
    outside the inputs), by its POSIX path under `root`, with the stat of what it leads
    to (a link inside the project: its target's); a link out, a FIFO or a device is
    listed with None (its appearing is a change), never followed or opened."""
    # a fresh Boundary, not the shared one: a link may have changed since it resolved it
    fence = Boundary(root)
    files, refused, special = input_files(fence)
    base = len(fence.root) + 1
    found: dict[str, Stat | None] = {}
    for path, real in files:
        found[path[base:]] = file_stat(real) if real is not None else None
    for path in (*refused, *special):
        found[path[base:]] = None
    if os.sep != "/":
        found = {rel.replace(os.sep, "/"): st for rel, st in found.items()}
    found.update(stats_of(fence, [rel for rel in elsewhere if rel not in found]))   # confined as the build read it
    return found


class Sweep:
    """The watcher thread's sweep (one thread: no lock). `start` before the catch-up
    build, `noted` with every batch the watcher reports, `missed` on each idle tick."""

    def __init__(self, root: Path, every: float = EVERY, clock=time.monotonic,
                 elsewhere: Callable[[], Iterable[str]] = tuple):
        """`elsewhere`: the files the last build read outside the inputs, asked at each
        sweep (the resident engine's `elsewhere`: a mapping to the stat each had as the
        load read it, or just the paths)."""
        self.root, self.every, self.clock, self.elsewhere = root, every, clock, elsewhere
        self._last: dict[str, Stat | None] | None = None
        self._read: frozenset[str] = frozenset()   # the last sweep's `elsewhere`
        self._noted: dict[str, Stat | None] = {}   # what the watcher named since the last sweep, as stat'ed then
        self._gone: set[str] = set()   # of those, the ones gone then, as folder prefixes ("a/b/")
        self._suspects: list[str] = []    # the last sweep's unreported changes, not yet named
        self._due = 0.0

    def start(self) -> None:
        self._read = frozenset(self.elsewhere())
        self._last, self._noted, self._gone, self._suspects = snapshot(self.root, self._read), {}, set(), []
        self._due = self.clock() + self.every

    def noted(self, names: Iterable[str]) -> None:
        """Paths the watcher reported (POSIX, under the root), stat'ed now, before the
        build reads them: a file changed again after this is still a missed change. A
        folder (one moved in is one event) is noted with every file under it."""
        fence = Boundary(self.root)
        base = len(fence.root) + 1
        for rel in names:
            path = os.path.join(fence.root, rel)
            # the entry as the Boundary reads the folders on its way: `content/heroes -> h\x`
            # is `content/h/x` to it, and the OS followed the name `h\x` out of the project
            here = fence.entry(path)
            if here is not None and not os.path.islink(here) and os.path.isdir(here):
                files, _ = fence.walk(path)
                self._noted.update((p[base:].replace(os.sep, "/"), file_stat(real) if real else None) for p, real in files)
            # as `snapshot` stats it: a link out is None, its target never stat'ed (os.stat
            # of the link was the outside file's stat, never the sweep's None: a link out
            # that appeared was a change "missed by the file watcher", everything checked again)
            real = fence.resolve(path)
            self._noted[rel] = file_stat(str(real)) if real is not None else None
            if here is not None and not os.path.lexists(here):
                self._gone.add(rel + "/")

    def missed(self, force: bool = False) -> list[str] | None:
        """The changed inputs the watcher did not report, sorted, or None while there is
        nothing to say. A sweep (when due, or `force`) that finds some keeps them as
        suspects and says nothing: the watcher may yet report them (its debounce, an
        edit made just before the sweep). The next call, on the watcher's next idle
        tick, names those it did not report since. A file gone with a folder the
        watcher named gone (moved out: one event) counts as reported."""
        if self._last is None:
            self.start()
            return None
        if self._suspects:
            suspects, self._suspects = self._suspects, []
            late = tuple(self._gone)
            return sorted(rel for rel in suspects if rel not in self._noted and not rel.startswith(late)) or None
        if not force and self.clock() < self._due:
            return None
        began = time.thread_time()
        asked = self.elsewhere()
        read = frozenset(asked)
        # the stat each was read at, when the engine says it (its `elsewhere`, stat'ed as
        # the load ended): one begun to be read is changed since when it differs now
        when_read = asked if isinstance(asked, Mapping) else {}
        now = snapshot(self.root, read)
        last, noted, gone = self._last, self._noted, tuple(self._gone)
        begun = read ^ self._read   # read outside the inputs by one sweep's build and not the other's
        self._read = read
        self._last, self._noted, self._gone = now, {}, set()
        self._due = self.clock() + max(self.every, SHARE * (time.thread_time() - began))
        # an editor's temporary file comes and goes with each save: never read, never a change
        self._suspects = [rel for rel in now.keys() | last.keys()
                          if now.get(rel, ()) != last.get(rel, ()) and not is_editor_temp(rel)
                          and not (rel in noted and noted[rel] == now.get(rel))
                          and not (rel not in now and rel.startswith(gone))
                          and (rel not in begun or (rel in when_read and when_read[rel] != now.get(rel)))]
        return None
