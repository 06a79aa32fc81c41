"""`foundry serve` names in its log the files a save changed, and only those: a
file that came and went while the save was made (`sed -i` writes sedXXXXXX and
renames it over the file) was named beside the hero ("content/heroes/first-hero.yaml,
content/heroes/sedHE7AN2: rebuilt …"), a file the writer never made and cannot find.
On a loaded machine the copy outlives the watcher's batch (50 ms of quiet) and its
rename comes in the next one: that copy was named too (CI, stop 47)."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time

from support import REPO, start_serve

# A tool that writes its copy, takes a moment (longer than a watcher's batch), then
# renames the copy over the file: `sed -i` on a busy machine, a formatter, a sync client.
SLOW_RENAME = """
import os, sys, time
path, old, new = sys.argv[1:]
copy = os.path.join(os.path.dirname(path), "copyQ7x2Lm")
with open(copy, "w") as f:
    f.write(open(path).read().replace(old, new))
time.sleep(0.6)
os.replace(copy, path)
"""


def _said_rebuilt(proc, name: str) -> tuple[str, list[str]]:
    lines, deadline = [], time.time() + 300
    while time.time() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if name in line and "rebuilt" in line:
            return line, lines
        assert line or proc.poll() is None, "".join(lines)
    raise AssertionError("".join(lines))


def test_a_file_that_came_and_went_is_not_named(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    proc, _ = start_serve(root)
    try:
        time.sleep(1)   # the watcher's start (its catch-up build is logged too)
        hero = root / "content/heroes/first-hero.yaml"
        assert "name: Rook Amsel" in hero.read_text()
        subprocess.run(["sed", "-i", "s/name: Rook Amsel/name: Rook Amsel-Sed/", str(hero)], check=True)
        said, _ = _said_rebuilt(proc, "first-hero.yaml")
        assert re.match(r"content/heroes/first-hero\.yaml: rebuilt", said), said

        subprocess.run([sys.executable, "-c", SLOW_RENAME, str(hero), "Rook Amsel-Sed", "Rook Amsel-Slow"], check=True)
        said, lines = _said_rebuilt(proc, "first-hero.yaml")
        assert re.match(r"content/heroes/first-hero\.yaml: rebuilt", said), said
        assert not [x for x in lines if "copyQ7x2Lm" in x], "".join(lines)
        assert "Rook Amsel-Slow" in (root / "build/site/heroes/first-hero.html").read_text()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
