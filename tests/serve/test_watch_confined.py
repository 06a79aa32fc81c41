"""`foundry serve` watches only what the build may read. Its file watcher (watchfiles,
the notify crate) followed every link to a folder as it walked the inputs, out of the
project too: a pull request's `content/assets/elsewhere -> <a folder outside>` had it
list the folders there, hold an inotify watch on each (`-> /`: the whole machine) and
name the files changed in them in its log. The build refuses the link (HF0120); the
watcher now watches each of the build's own folders on its own, and a folder added
under the inputs is watched once it appears."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import REPO, start_serve

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the inotify watches in /proc")


def _watched_inodes(pid: int) -> set[int]:
    """The inodes the process holds an inotify watch on (its fdinfo says each)."""
    found = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:inotify":
                continue
            with open(f"/proc/{pid}/fdinfo/{fd}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("inotify wd:"):
                        fields = dict(part.split(":", 1) for part in line.split()[1:])
                        found.add(int(fields["ino"], 16))
        except OSError:
            continue
    return found


def _read_until(proc, wanted: str, lines: list[str]) -> str:
    deadline = time.time() + 300
    while time.time() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if wanted in line:
            return line
        assert line or proc.poll() is None, "".join(lines)
    raise AssertionError("".join(lines))


def test_the_watcher_never_watches_or_names_a_folder_outside_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep" / "er").mkdir(parents=True)
    (outside / "deep" / "er" / "old.txt").write_text("outside\n")
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    (root / "content/assets").mkdir(exist_ok=True)
    os.symlink(outside, root / "content/assets/elsewhere")
    proc, _ = start_serve(root)
    lines: list[str] = []
    try:
        _read_until(proc, "catch-up", lines)   # the watcher runs
        watched = _watched_inodes(proc.pid)
        assert os.stat(root / "content/heroes").st_ino in watched   # the reading works: the inputs are watched
        assert not watched & {os.stat(p).st_ino for p in (outside, outside / "deep", outside / "deep" / "er")}

        # a change outside is nothing of the project's: not named, not built for
        (outside / "deep" / "er" / "new.txt").write_text("outside\n")
        time.sleep(1.5)   # the watcher's batch (50 ms of quiet) would have come
        hero = root / "content/heroes/first-hero.yaml"
        subprocess.run(["sed", "-i", "s/name: Rook Amsel/name: Rook Amsel-Sed/", str(hero)], check=True)
        _read_until(proc, "content/heroes/first-hero.yaml: ", lines)
        assert not [line for line in lines if "elsewhere" in line and "HF0120" not in line
                    and not line.startswith(" ")], "".join(lines)

        # a folder made under the inputs is watched from then on
        (root / "content/assets/maps").mkdir()
        (root / "content/assets/maps/notes.txt").write_text("one\n")
        time.sleep(1.5)   # the new folder's batch, and the watcher started again
        (root / "content/assets/maps/notes.txt").write_text("two\n")
        _read_until(proc, "content/assets/maps/notes.txt", lines)
        assert os.stat(root / "content/assets/maps").st_ino in _watched_inodes(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert "new.txt" not in "".join(lines)
    assert not [p for p in Path(outside).rglob("*") if p.name not in ("deep", "er", "old.txt", "new.txt")]


def test_the_output_watcher_never_follows_a_link_in_a_build_folder_foundry_did_not_make(tmp_path):
    outside = tmp_path / "outside"
    (outside / "deep" / "er").mkdir(parents=True)
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    (root / "build/site").mkdir(parents=True)   # committed: the build refuses it (HF0126) and leaves it
    os.symlink(outside, root / "build/site/elsewhere")
    proc, _ = start_serve(root)
    lines: list[str] = []
    try:
        _read_until(proc, "catch-up", lines)
        deadline = time.time() + 60   # the output watcher starts on its own thread
        while os.stat(root / "build/site").st_ino not in _watched_inodes(proc.pid) and time.time() < deadline:
            time.sleep(0.1)
        watched = _watched_inodes(proc.pid)
        assert os.stat(root / "build/site").st_ino in watched
        assert not watched & {os.stat(p).st_ino for p in (outside, outside / "deep", outside / "deep" / "er")}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert "HF0126" in "".join(lines)
