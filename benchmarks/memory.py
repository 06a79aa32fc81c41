"""What holds the memory of a build: tracemalloc snapshots at the build's stages.

    python benchmarks/memory.py WORLD [--only json,html] [--top 15]

Runs `foundry build` in this process with one render process (FOUNDRY_JOBS=1, so every
allocation is seen here) and prints, for the moment rendering starts (the World, the
plans and the previous state loaded) and the moment it ends, the source lines holding
the most memory, and tracemalloc's peak. tracemalloc slows the build several times
and counts Python allocations only (not the interpreter, not C libraries' own), so use
it to find holders, and `run.py` (peak resident set of whole processes) for the number.
"""

from __future__ import annotations

import argparse
import os
import sys
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def top(snapshot: tracemalloc.Snapshot, label: str, count: int) -> None:
    stats = snapshot.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)]).statistics("lineno")
    total = sum(s.size for s in stats)
    print(f"\n{label}: {total / 2**20:.1f} MiB traced")
    for stat in stats[:count]:
        frame = stat.traceback[0]
        where = frame.filename.replace(str(HERE.parent) + "/", "")
        print(f"  {stat.size / 2**20:8.1f} MiB {stat.count:>9,} blocks  {where}:{frame.lineno}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("world", type=Path)
    parser.add_argument("--only", default="json,html")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    os.environ["FOUNDRY_JOBS"] = "1"
    os.environ.setdefault("FOUNDRY_RENDER_SECONDS", "3600")
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine import builder

    render = builder._render

    def traced(*a, **k):
        top(tracemalloc.take_snapshot(), "rendering starts", args.top)
        try:
            return render(*a, **k)
        finally:
            top(tracemalloc.take_snapshot(), "rendering ends", args.top)

    builder._render = traced
    tracemalloc.start()
    diags = Diagnostics()
    report = builder.build(args.world, diags, only=args.only.split(","))
    current, peak = tracemalloc.get_traced_memory()
    print(f"\nbuild ok={report.ok}; traced now {current / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
