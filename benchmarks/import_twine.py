"""How long `foundry import twine` takes on a large Twee file (not a test: numbers vary
with the machine). Writes a Twee 3 story of N passages (default 5,000), each with a
set, prose and two links, imports it into a fresh copy of tests/roots/minimal, and
prints the wall time of the whole command.

    python3 benchmarks/import_twine.py [N]
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


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "proj"
        shutil.copytree(REPO / "tests" / "roots" / "minimal", root)
        source = Path(tmp) / "big.twee"
        source.write_text(twee(n), encoding="utf-8")
        start = time.perf_counter()
        run = subprocess.run([sys.executable, "-m", "pipeline", "import", "twine", str(source), "--project", str(root)],
                             cwd=REPO, capture_output=True, text=True)
        took = time.perf_counter() - start
        print(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode)
        print(f"{n} passages ({source.stat().st_size // 1024} KiB): imported in {took:.2f} s (exit {run.returncode})")


if __name__ == "__main__":
    main()
