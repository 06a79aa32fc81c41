"""Time (and profile) `foundry serve`'s save path in one process, without a server.

    PYTHONPATH=CHECKOUT python benchmarks/serve_profile.py WORLD [--saves 3] [--profile DIR] [--outputs html,json]

Drives the resident engine (pipeline/engine/resident.py) exactly as the server's
rebuilder does: a first build and the watcher's catch-up build, then for each save an
edit to a file and one `Resident.build` told the edited path (as the watcher tells it;
--unwatched: not told, the full check), then `Resident.flush` (the build state the
server writes once the watcher is idle: timed apart, off the reload path). The edits are run.py's: the last hero's name gets a counter (its page
changes), a sentence is added to the last story's first scene. For each save it prints
the wall time, the CPU time of this process and its workers (user + system; the
number a shared machine inflates least), the build report's stage timings and how many
files were written; with --profile DIR, each save's cProfile (timed in this process's
CPU time, so that other processes on a shared machine do not land in whatever function
was running) is written to DIR/<label>-<n>.prof (read it with `python -m pstats`).
A checkout whose engine takes no changed paths (before the watcher's paths) is driven
the old way, so the same script times both. WORLD is changed (its build/,
the edited files): give it a copy. Nothing here asserts; `run.py --steps serve` times
the same saves through a real `foundry serve` (save → the page told to reload).
"""

from __future__ import annotations

import argparse
import cProfile
import inspect
import os
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import edit, rename  # noqa: E402  (foundry itself: from PYTHONPATH, to time another checkout)


def cpu() -> float:
    """CPU seconds (user + system) of this process and its reaped workers so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("world", type=Path)
    parser.add_argument("--saves", type=int, default=3, help="Saves of each file (hero, story).")
    parser.add_argument("--outputs", default="html,json", help="What the serve builds (foundry serve: html,json).")
    parser.add_argument("--profile", type=Path, help="Write each save's cProfile into this folder.")
    parser.add_argument("--unwatched", action="store_true", help="Do not tell the engine the edited path.")
    args = parser.parse_args()
    import pipeline
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.resident import Resident
    print(f"foundry from {Path(pipeline.__file__).parent.parent}", flush=True)
    root = args.world.resolve()
    os.environ.setdefault("FOUNDRY_RENDER_SECONDS", "3600")   # a shared machine: no per-artifact limit
    engine = Resident(root, args.outputs.split(","))
    start, used = time.perf_counter(), cpu()
    report = engine.build(Diagnostics())
    print(f"first build: ok={report.ok} {time.perf_counter() - start:.2f} s, CPU {cpu() - used:.2f} s, "
          f"{len(report.written)} written, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB",
          flush=True)
    engine.build(Diagnostics())   # settle: the watcher's catch-up build, the first in place
    watched = not args.unwatched and "changed" in inspect.signature(engine.build).parameters
    flush = getattr(engine, "flush", lambda: True)
    hero = sorted((root / "content/heroes").glob("*.yaml"))[-1]
    story = sorted((root / "content/stories").glob("*.md"))[-1]
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    for label, path, apply in (("hero", hero, rename(hero)), ("story", story, edit(story, "Serve"))):
        walls, cpus = [], []
        for n in range(args.saves):
            apply()
            profiler = cProfile.Profile(time.process_time) if args.profile else None
            start, used = time.perf_counter(), cpu()
            if profiler:
                profiler.enable()
            diags = Diagnostics()
            report = engine.build(diags, [path.relative_to(root).as_posix()]) if watched else engine.build(diags)
            if profiler:
                profiler.disable()
                profiler.dump_stats(str(args.profile / f"{label}-{n}.prof"))
            walls.append(time.perf_counter() - start)
            cpus.append(cpu() - used)
            flushed = cpu()
            flush()
            flushed = cpu() - flushed
            stages = " ".join(f"{k}={v:.2f}" for k, v in report.timings.items())
            print(f"save {label} {n}: ok={report.ok} wall {walls[-1]:.3f} s, CPU {cpus[-1]:.3f} s, "
                  f"{len(report.written)} written, {len(engine.changed)} changed [{stages}]; "
                  f"state flushed after: CPU {flushed:.3f} s", flush=True)
            if not report.ok:
                print(diags.sorted()[:5])
        if walls:
            print(f"{label}: median wall {statistics.median(walls):.3f} s, CPU {statistics.median(cpus):.3f} s",
                  flush=True)
    print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB, load {os.getloadavg()}")


if __name__ == "__main__":
    main()
