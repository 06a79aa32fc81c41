"""A cold `foundry check`'s tail, step by step: from the parse pool's last answer taken
to the process's end, the wall time and the main thread's CPU of each step, and how
long the main thread waited for the parse cache's save and the digest's child; beside
each step, what the second core had to run: the CPU of this process's other threads
(the parse cache's write and save) and of its children (the digest's), and when each
of those threads ended. On a quiet machine 2 × wall − all of those is the time the
second core was idle (docs/performance.md tail43); under load, other processes had it.

    python benchmarks/cold_tail.py WORLD [--runs 1] [--code CHECKOUT]

WORLD is a copy made for this (its .foundry-cache/ and build/ are deleted before each
run); --code runs another checkout's foundry (a base made with `git archive`), as in
benchmarks/cold_check.py, whose phases this splits further. A wait of 0.00 s says that
thread or process finished before the main thread asked: its work is off the check's
critical path, and moving it elsewhere cannot shorten the check (docs/performance.md,
check33b). On a shared machine compare the main thread's CPU seconds, not wall time.
Nothing here asserts: record what you measured, and on what, in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ONE_RUN = r'''
import functools, os, sys, threading, time
world = sys.argv[1]
start = time.perf_counter()
marks = []
TICK = os.sysconf("SC_CLK_TCK")
seen: dict = {}   # each child's CPU-s when last read (a reaped child keeps its last reading)
def children_cpu():
    for task in os.listdir("/proc/self/task"):
        try:
            pids = open(f"/proc/self/task/{task}/children").read().split()
        except OSError:
            continue
        for pid in pids:
            try:
                stat = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            seen[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return sum(seen.values())
def mark(name):
    marks.append((name, time.perf_counter() - start, time.thread_time(), time.process_time(), children_cpu()))
ended = []   # (thread's name, when it ended)
started = threading.Thread.start
def start_noted(self):
    run = self.run
    def noted():
        try:
            run()
        finally:
            ended.append((self.name, time.perf_counter() - start))
    self.run = noted
    return started(self)
threading.Thread.start = start_noted
from pipeline.load import workers
answers = workers._Arrivals.__iter__
def taken(self):
    yield from answers(self)
    mark("the last answer taken")
workers._Arrivals.__iter__ = taken
import pipeline.cli
from pipeline.engine import builder, checked, outputs
from pipeline.resolve import world as loading
def timed(owner, attr, name):
    real = getattr(owner, attr)
    @functools.wraps(real)
    def step(*args, **named):
        mark("before " + name)
        try:
            return real(*args, **named)
        finally:
            mark(name)
    setattr(owner, attr, step)
for owner, attr, name in [
        (loading, "_validate", "_validate"), (loading, "_resolve", "_resolve"),
        (checked.DigestBehind, "begin", "the load's last steps; the digest's hashes handed over"),
        (outputs, "check_outputs", "check_outputs"),
        # check's drawing, run before the save's wait since cold41 (whose line it swelled)
        (builder, "_rehearse", "the own templates drawn, book sizes foretold"),
        (builder, "_vouch", "WAIT for the cache's save"),
        (builder, "check", "leaving the load (check returns)"),
        (checked.DigestBehind, "result", "WAIT for the digest's child"),
        (checked, "unchanged_since", "the inputs' stat again"),
        (checked, "remember", "the memo written")]:
    timed(owner, attr, name)
sys.argv = ["foundry", "check", "--project", world, "--format", "json"]
out, sys.stdout = sys.stdout, open(os.devnull, "w")
try:
    pipeline.cli.main()
except SystemExit:
    pass
sys.stdout = out
mark("the end (build/ looked at, the report)")
first = next((i for i, m in enumerate(marks) if m[0] == "the last answer taken"), None)
if first is None:
    print("no parse pool ran (a cache holding rows, few files or one core): nothing to split")
    sys.exit(0)
previous = marks[first]
print(f"  {'step':58s} {'wall s':>8s} {'main thread':>12s} {'other threads':>14s} {'children':>9s}  (CPU-s)")
for name, wall, cpu, process, children in marks[first + 1:]:
    if not name.startswith("before "):   # a step's own time includes the gap before it
        print(f"  {name:58s} {wall - previous[1]:8.2f} {cpu - previous[2]:12.2f} "
              f"{max(0.0, (process - previous[3]) - (cpu - previous[2])):14.2f} {children - previous[4]:9.2f}")
        previous = (name, wall, cpu, process, children)
for name, at in ended:
    if at > marks[first][1]:
        print(f"  thread {name!r} ended {at - marks[first][1]:.2f} s into the tail")
head, end = marks[first], marks[-1]
wall, main = end[1] - head[1], end[2] - head[2]
others, children = (end[3] - head[3]) - main, end[4] - head[4]
print(f"the tail: wall {wall:.2f} s, main thread {main:.2f} CPU-s, other threads {others:.2f}, children "
      f"{children:.2f}; load {os.getloadavg()[0]:.1f}; 2 x wall - all of those: "
      f"{max(0.0, 2 * wall - main - others - children):.2f} s (the second core's idle time only on a quiet machine)")
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("world", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose foundry runs (default: this one)")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.code.resolve()))
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # else every run compiles its modules again
    for _ in range(args.runs):
        for name in (".foundry-cache", "build"):
            shutil.rmtree(args.world / name, ignore_errors=True)
        subprocess.run([sys.executable, "-c", ONE_RUN, str(args.world.resolve())], env=env, check=False,
                       cwd=args.code)


if __name__ == "__main__":
    main()
