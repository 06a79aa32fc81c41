"""How long `foundry import` takes on a large story (not a test: numbers vary with the
machine). Writes a Twee 3 story of N passages (default 5,000), each with a set, prose
and two links — or with `ink`, an ink story of N knots with three choices each — imports
it into a fresh copy of tests/roots/minimal, and prints the wall time of the command.

    python3 benchmarks/import_twine.py [N] [ink]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def twee(n: int) -> str:
    parts = [':: StoryTitle\nBig\n', ':: StoryData\n{"format": "SugarCube", "format-version": "2.36.1", "start": "P0"}\n',
             ':: StoryInit\n<<set $steps to 0>><<set $lit to false>>\n']
    for i in range(n):
        links = (f"[[Next|P{i + 1}]]\n<<if $steps gt {i // 2}>>[[Back|P{max(i - 1, 0)}]]<</if>>"
                 if i < n - 1 else "The end.")
        parts.append(f":: P{i}\n<<set $steps to $steps + 1>>Passage {i}: the corridor goes on.\n{links}\n")
    return "\n".join(parts)


def ink(n: int) -> str:
    parts = ["VAR n = 0", "-> k0"]
    for i in range(n):
        parts.append(f"=== k{i} ===\nKnot {i}.\n~ n = n + 1\n* [Next] -> k{min(i + 1, n - 1)}\n"
                     f"* [Back] -> k{max(i - 1, 0)}\n+ [End] -> END")
    return "\n".join(parts)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    kind = "ink" if "ink" in sys.argv[2:] else "twine"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        shutil.copytree(REPO / "tests" / "roots" / "minimal", root)
        source = Path(tmp) / ("big.ink" if kind == "ink" else "big.twee")
        source.write_text(ink(n) if kind == "ink" else twee(n), encoding="utf-8")
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pipeline", "import", kind, str(source), "--project", str(root)],
                             cwd=REPO, capture_output=True, text=True)
        took = time.perf_counter() - start
        print(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode)
        print(f"{n} {'knots' if kind == 'ink' else 'passages'} ({source.stat().st_size // 1024} KiB): "
              f"imported in {took:.2f} s (exit {run.returncode})")


if __name__ == "__main__":
    main()
