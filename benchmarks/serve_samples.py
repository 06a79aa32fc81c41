"""Where `foundry serve`'s saves spend their CPU, by stack samples taken during the saves only.

    PYTHONPATH=CHECKOUT python benchmarks/serve_samples.py WORLD [--saves 8] [--watch-outputs] [--out FILE]

Runs benchmarks/serve_stages.py (same arguments; WORLD is changed: give it a copy) with a
sampler: SIGVTALRM every millisecond of this process's user CPU (the kernel delivers it at its
tick, ~4 ms here), and each signal that lands while `Resident.build` is told what changed (a
save, not the first build nor the watcher's catch-up) records the Python stack. ITIMER_VIRTUAL,
not ITIMER_PROF: foundry's own CPU budget (pipeline/budget.py) holds ITIMER_PROF. Unlike
cProfile, which inflates code of many small calls several-fold, the samples are proportional to
CPU time, so two checkouts compare by their sample counts per save on two `cp -a` copies of one
world even on a loaded machine (other processes do not land in this one's user time). Prints
the stages with the most samples (a frame counted once per stack) and the lines with the most
samples of their own; with --out, writes every stack ("frame;frame;… count", flamegraph.pl's
collapsed form).
"""

from __future__ import annotations

import collections
import functools
import re
import runpy
import signal
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STACKS: collections.Counter = collections.Counter()
SAVING = [False]


def _sample(signum, frame) -> None:
    if not SAVING[0]:
        return
    names = []
    while frame is not None:
        code = frame.f_code
        names.append(f"{code.co_name} ({'/'.join(code.co_filename.split('/')[-2:])}:{frame.f_lineno})")
        frame = frame.f_back
    STACKS[";".join(reversed(names))] += 1


def _report(top: int = 40) -> None:
    total = sum(STACKS.values())
    within: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    for stack, count in STACKS.items():
        frames = stack.split(";")
        for name in {re.sub(r":\d+\)$", ")", f) for f in frames}:
            within[name] += count
        own[frames[-1]] += count
    print(f"{total} samples during the saves")
    print("by function, its callees included:")
    for name, count in within.most_common(top):
        print(f"  {count:6} {100 * count / max(total, 1):5.1f} %  {name}")
    print("by line, its own:")
    for name, count in own.most_common(top // 2):
        print(f"  {count:6} {100 * count / max(total, 1):5.1f} %  {name}")


def main() -> None:
    out = None
    if "--out" in sys.argv:
        at = sys.argv.index("--out")
        out = Path(sys.argv[at + 1])
        del sys.argv[at:at + 2]
    import pipeline.engine.resident as resident
    build = resident.Resident.build

    @functools.wraps(build)
    def sampled(self, diags, changed=None):
        SAVING[0] = changed is not None
        try:
            return build(self, diags, changed)
        finally:
            SAVING[0] = False

    resident.Resident.build = sampled
    signal.signal(signal.SIGVTALRM, _sample)
    signal.setitimer(signal.ITIMER_VIRTUAL, 0.001, 0.001)
    sys.argv = [str(HERE / "serve_stages.py"), *sys.argv[1:]]
    try:
        runpy.run_path(str(HERE / "serve_stages.py"), run_name="__main__")
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0, 0)
    _report()
    if out is not None:
        out.write_text("".join(f"{stack} {count}\n" for stack, count in STACKS.items()), encoding="utf-8")


if __name__ == "__main__":
    main()
