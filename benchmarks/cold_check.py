"""A cold `foundry check` (no .foundry-cache/, no build/), its CPU split between the
process and its parse workers, and the process's CPU before, while and after the
parse pool runs.

    python benchmarks/cold_check.py WORLD [--runs 3] [--code CHECKOUT]

WORLD is a copy made for this (its .foundry-cache/ and build/ are deleted before each
run). --code runs another checkout's foundry (a base made with `git archive`), so two
can be compared in alternating runs on two copies of one world. Each run is a fresh
process: wall time, CPU of the process (RUSAGE_SELF: its main thread and the pool's
threads that send chunks and take answers back) and of its workers (RUSAGE_CHILDREN),
the load average, and the process's CPU up to the pool's start (imports, the input
digest, listing and reading), from then to its last answer (validation, sheets and
analyses beside the workers) and after it (resolving, planning every output, the
digest and memo); how long after the workers' last answer arrived the process took
it (its serial share of the pool phase left over: at most what moving its work into the
workers could win, docs/performance.md check27), and how long it ran after taking it
(the tail: the load's last stages, the outputs' check, the cache's save). On a shared machine compare CPU seconds,
never wall time (the last line's ratio, not its seconds). Nothing
here asserts: record what you measured, and on what, in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ONE_RUN = r'''
import os, resource, sys, time
world = sys.argv[1]
marks = {}
start = time.perf_counter()
import multiprocessing.pool
from pipeline.load import workers
pool, arrivals, arrived = workers._in_pool, workers._Arrivals.__iter__, multiprocessing.pool.IMapIterator._set
def started(*args, **kwargs):
    marks.setdefault("pool", time.process_time())
    marks.setdefault("pool_wall", time.perf_counter())
    return pool(*args, **kwargs)
def answers(self):
    yield from arrivals(self)
    marks["answered"] = time.process_time()
    marks["taken_wall"] = time.perf_counter()
def received(self, *args):   # the result thread has a chunk's answer: when the workers are done with it
    marks["arrived_wall"] = time.perf_counter()
    return arrived(self, *args)
workers._in_pool, workers._Arrivals.__iter__ = started, answers
multiprocessing.pool.IMapIterator._set = received
from pipeline.cli import main
sys.argv = ["foundry", "check", "--project", world, "--format", "json"]
out, sys.stdout = sys.stdout, open(os.devnull, "w")
try:
    main()
except SystemExit as exc:
    code = exc.code
sys.stdout = out
end = time.perf_counter()
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime
before, answered = marks.get("pool", 0.0), marks.get("answered", marks.get("pool", 0.0))
print(f"exit {code}  wall {time.perf_counter() - start:6.2f} s  CPU: process {cpu:5.2f} + workers "
      f"{kids.ru_utime + kids.ru_stime:5.2f}  (process: {before:4.2f} before the pool, "
      f"{answered - before:4.2f} while it runs, {cpu - answered:4.2f} after)  load {os.getloadavg()[0]:.1f}")
if "arrived_wall" in marks and "taken_wall" in marks:   # the parent behind its workers: what balancing could win
    print(f"  the last answer taken {marks['taken_wall'] - marks['arrived_wall']:.2f} s after it arrived, "
          f"{marks['arrived_wall'] - marks['pool_wall']:.2f} s after the pool started; "
          f"the process ended {end - marks['taken_wall']:.2f} s after it was taken")
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("world", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the checkout whose foundry runs (default: this one)")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.code.resolve()))
    for _ in range(args.runs):
        for name in (".foundry-cache", "build"):
            shutil.rmtree(args.world / name, ignore_errors=True)
        subprocess.run([sys.executable, "-c", ONE_RUN, str(args.world.resolve())], env=env, check=False,
                       cwd=args.code)


if __name__ == "__main__":
    main()
