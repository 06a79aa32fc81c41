"""`foundry serve` names in its log the files a save changed, and only those: a
file that came and went while the save was made (`sed -i` writes sedXXXXXX and
renames it over the file) was named beside the hero ("content/heroes/first-hero.yaml,
content/heroes/sedHE7AN2: rebuilt …"), a file the writer never made and cannot find.
On a loaded machine the copy outlives the watcher's batch (50 ms of quiet) and its
rename comes in the next one: that copy was named too (CI, stop 47)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

from pipeline.confine import Boundary
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


def _lines(proc, patience: float):
    """Each line `foundry serve` writes to stderr within `patience` seconds, read as
    start_serve reads them (select, then a byte at a time): a readline() blocked on a
    server that says nothing until pytest's own timeout, never looking at the deadline."""
    import os
    import select
    fd, line, deadline = proc.stderr.fileno(), b"", time.monotonic() + patience
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return
        byte = os.read(fd, 1)
        if not byte:
            return
        line += byte
        if byte == b"\n":
            yield line.decode(errors="replace")
            line = b""


def _said_rebuilt(proc, name: str, patience: float = 300) -> tuple[str, list[str]]:
    lines = []
    for line in _lines(proc, patience):
        lines.append(line)
        if name in line and "rebuilt" in line:
            return line, lines
    raise AssertionError(f"no '{name}: rebuilt' within {patience} s:\n" + "".join(lines))


def _watching(proc, root) -> None:
    """Once the serve's catch-up build has run: an edit made while it runs is read by it
    and the save after says nothing (nothing changed), so the test's first edit waited
    a second and, on a loaded machine, was never named (CI, a 10-minute hang). A probe
    edit, a new word each time, until a save names it."""
    story = root / "content/stories/first-story.md"
    for n in range(300):
        story.write_text(story.read_text(encoding="utf-8") + f"\nProbe {n}.\n", encoding="utf-8")
        try:
            _said_rebuilt(proc, "first-story.md", patience=2)
            return
        except AssertionError:
            continue
    raise AssertionError("the serve never named a saved story")


def test_a_file_that_came_and_went_is_not_named(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    proc, _ = start_serve(root)
    try:
        _watching(proc, root)
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


def test_a_link_remade_to_nothing_is_named_not_taken_for_one_that_came_and_went(tmp_path):
    """`rm second.yaml; ln -s nothere.yaml second.yaml` in one batch (deleted, added): the
    link is there, dangling (the build warns, HF0164), and is the writer's change. The
    check asked the Boundary's `lexists`, which follows the last link: it logged
    "content/heroes/second.yaml: came and went", of a file still there."""
    from watchfiles import Change
    from pipeline.serve.server import Arrivals, changed_names

    heroes = tmp_path / "content/heroes"
    heroes.mkdir(parents=True)
    os.symlink("nothere.yaml", heroes / "second.yaml")
    link = str(heroes / "second.yaml")
    batch = {(Change.deleted, link), (Change.added, link)}
    assert changed_names(tmp_path, batch) == ["content/heroes/second.yaml"]
    os.unlink(link)   # made in one batch (there then), remade to nothing in the next
    (heroes / "first-hero.yaml").write_text("name: Rook\n")
    os.symlink("first-hero.yaml", link)
    arrivals = Arrivals()
    arrivals.note({(Change.added, link)}, Boundary(tmp_path))
    os.unlink(link)
    os.symlink("nothere.yaml", link)
    assert changed_names(tmp_path, {(Change.deleted, link)}, arrivals) == ["content/heroes/second.yaml"]
