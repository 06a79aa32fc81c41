"""CPU time of `foundry serve`'s saves by stage and by artifact, unprofiled.

    PYTHONPATH=CHECKOUT python benchmarks/serve_stages.py WORLD [--saves 2]

Drives the resident engine as benchmarks/serve_profile.py does (the first build, the
watcher's catch-up, then for each save run.py's edit and one `Resident.build` told the
edited path, then `flush`), and prints for each save the process time (this process's
CPU, `time.process_time`) spent in each stage it wraps: `_check` (of it `load_world`
and `check_outputs`, each exporter's plan, `_check_prose_links`), `_render` (of it each
artifact's `render_one`, the kept outputs' `fresh` and `intact`, the written records'
`digest`), then `flush`. Each save's line also gives its wall time and the CPU of the
processes it waited for (git: `children`), which the process time leaves out. A
wrapper costs ~1 µs a call: `fresh` and `intact` (35,000
calls a save at 10,000 heroes) read a little high. cProfile's per-call cost inflates
code of many small calls several-fold (docs/performance.md, "save"); this does not, so
compare two checkouts with it, on two `cp -a` copies of one world, side by side. No
output watcher runs here unless `--watch-outputs`: every kept output is stat'ed
(`intact`), as a server does only for what its build/ watcher reported. WORLD is changed: give it a copy.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import edit, rename  # noqa: E402  (foundry itself: from PYTHONPATH, to time another checkout)

SPENT: collections.Counter = collections.Counter()


def _timed(function, label):
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label(*args, **kwargs) if callable(label) else label] += time.process_time() - start
    return timed


def _timed_context(function, label):
    """`_timed` for a @contextmanager function: the time in its enter and its exit."""
    from contextlib import contextmanager

    @contextmanager
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start = time.process_time()
        manager = function(*args, **kwargs)
        value = manager.__enter__()
        SPENT[label] += time.process_time() - start
        try:
            yield value
        except BaseException as exc:
            start = time.process_time()
            if not manager.__exit__(type(exc), exc, exc.__traceback__):
                raise
        else:
            start = time.process_time()
            manager.__exit__(None, None, None)
        finally:
            SPENT[label] += time.process_time() - start
    return timed


def _wrap() -> None:
    import pipeline.engine.builder as builder
    import pipeline.engine.outputs as outputs
    import pipeline.engine.resident as resident
    import pipeline.render.pool as pool
    import pipeline.resolve.world as world
    pool.render_one = _timed(pool.render_one, lambda w, exporter, setup, item, memo=None: "  " + item.path)
    world.load_world = _timed(world.load_world, "load_world")
    world._portraits = _timed(world._portraits, "  _portraits")
    outputs.check_outputs = _timed(outputs.check_outputs, "check_outputs")
    outputs._check_prose_links = _timed(outputs._check_prose_links, "  _check_prose_links")
    outputs._template_problems = _timed(outputs._template_problems, "  _template_problems")
    import pipeline.exporters.sandbox as sandbox
    sandbox._report_unexported = _timed(sandbox._report_unexported, "    _report_unexported")
    sandbox.cycle_problems = _timed(sandbox.cycle_problems, "    cycle_problems")
    outputs.PlanMemo._plan = _timed(outputs.PlanMemo._plan, lambda self, exporter, w: "  plan:" + exporter.name)
    resident.Resident.fresh = _timed(resident.Resident.fresh, "  fresh")
    resident.Resident.intact = _timed(resident.Resident.intact, "  intact")
    for name in ("_check", "_render", "digest", "_carry_over", "_plan"):
        setattr(builder, name, _timed(getattr(builder, name), name))
    for name in ("sources", "previous", "done", "staging", "check_output_folder"):
        setattr(resident.Resident, name, _timed(getattr(resident.Resident, name), "resident." + name))
    for name in ("fragment_memo", "prose_cache"):   # their enter and exit, not the renders inside
        setattr(resident.Resident, name, _timed_context(getattr(resident.Resident, name), "  " + name))
    outputs.PlanMemo.input_hashes = _timed(outputs.PlanMemo.input_hashes, "input_hashes")
    import pipeline.write.in_place as in_place
    in_place.InPlace.commit = _timed(in_place.InPlace.commit, "in-place commit")


def _children() -> float:
    """CPU seconds of the child processes this one waited for (git)."""
    times = os.times()
    return times.children_user + times.children_system


def idle(engine) -> None:
    """The server's idle tick after a build: its file watcher's batch holds no input
    (serve/server.py `_watch`: `quiet`, where this checkout has it), then `flush`."""
    quiet = getattr(engine, "quiet", None)
    if quiet is not None:
        quiet()
    engine.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("world", type=Path)
    parser.add_argument("--saves", type=int, default=2, help="Saves of each file (hero, story).")
    parser.add_argument("--outputs", default="html,json", help="What the serve builds (foundry serve: html,json).")
    parser.add_argument("--watch-outputs", action="store_true",
                        help="Tell the engine what changed under build/ as the server's output watcher does "
                             "(every file the last save wrote or removed, and the state files), so kept "
                             "outputs are not stat'ed.")
    args = parser.parse_args()
    _wrap()
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.resident import Resident
    root = args.world.resolve()
    os.environ.setdefault("FOUNDRY_RENDER_SECONDS", "3600")   # a shared machine: no per-artifact limit
    engine = Resident(root, args.outputs.split(","))
    for label in ("first build", "catch-up build"):
        start = time.process_time()
        engine.build(Diagnostics())
        print(f"{label}: CPU {time.process_time() - start:.2f} s", flush=True)
    idle(engine)
    if args.watch_outputs:
        engine.outputs_watched(os.lstat(root / "build").st_ino)
        engine.flush()   # the server's idle tick once its watchers run (it flushes whenever no event comes)
    hero = sorted((root / "content/heroes").glob("*.yaml"))[-1]
    story = sorted((root / "content/stories").glob("*.md"))[-1]
    for label, path, apply in (("hero", hero, rename(hero)), ("story", story, edit(story, "Serve"))):
        for n in range(args.saves):
            apply()
            SPENT.clear()
            start, wall, children = time.process_time(), time.perf_counter(), _children()
            report = engine.build(Diagnostics(), [path.relative_to(root).as_posix()])
            print(f"save {label} {n}: ok={report.ok} CPU {time.process_time() - start:.3f} s, "
                  f"{len(engine.changed)} changed, wall {time.perf_counter() - wall:.3f} s, "
                  f"children {_children() - children:.3f} s", flush=True)
            for what, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
                if spent >= 0.01:
                    print(f"   {what}: {spent:.3f}")
            start = time.process_time()
            idle(engine)
            print(f"   flush (off the reload path): {time.process_time() - start:.3f}", flush=True)
            if args.watch_outputs:   # what the watcher saw: the save's files and the state's
                engine.outputs_touched([*engine.changed, ".foundry/state.json", ".foundry/summary.json"])
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
