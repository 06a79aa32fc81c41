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


def _backslash_linked(tmp_path: Path) -> tuple[Path, Path]:
    """A project whose `content/heroes -> h\\x` is `content/h/x` to the confinement rule
    (as Windows reads it), and whose entry named `h\\x` (Linux's reading) links out:
    (the root, the folder outside)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    (root / "content/h").mkdir()
    (root / "content/heroes").rename(root / "content/h/x")
    os.symlink("h\\x", root / "content/heroes")
    os.symlink(outside, root / "content/h\\x")
    return root, outside


def test_a_folder_linked_by_a_backslash_name_is_watched_where_the_boundary_reads_it(tmp_path):
    """`content/heroes -> h\\x`: the confinement rule reads the link as Windows does,
    `h/x`, a folder inside; on Linux the name `h\\x` is an entry of its own, here a link
    out. The watch on `content/heroes` followed the OS's reading: serve watched the
    folder outside and named its changes as `content/heroes/…`. It watches `h/x`, under
    the name the build reads it by."""
    root, outside = _backslash_linked(tmp_path)
    proc, _ = start_serve(root)
    lines: list[str] = []
    try:
        _read_until(proc, "catch-up", lines)
        watched = _watched_inodes(proc.pid)
        # (h/x watched, the folder outside watched)
        assert (os.stat(root / "content/h/x").st_ino in watched, os.stat(outside).st_ino in watched) == (True, False)
        (outside / "stranger.yaml").write_text("name: Stranger\n")   # no event: before the edit's, had it come
        hero = root / "content/h/x/first-hero.yaml"
        subprocess.run(["sed", "-i", "s/name: Rook Amsel/name: [Rook Amsel/", str(hero)], check=True)
        # the rebuild read the edit: its YAML is broken (the other two: the link out, HF0120, and
        # its backslash name, HF0135)
        said = _read_until(proc, "3 error(s)", lines)
        # named by the watcher, by the name the build reads it by (not the sweep's "missed by the file watcher")
        assert said.startswith("content/heroes/first-hero.yaml: 3 error(s)"), "".join(lines)
        assert "content/heroes/first-hero.yaml:3:6: error HF0101" in "".join(lines)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    assert "stranger" not in "".join(lines).lower()


def test_what_the_watcher_names_is_looked_at_as_the_boundary_reads_it(tmp_path, monkeypatch):
    """The paths the watcher names (`content/heroes/…`) were stat'ed by the OS's reading
    of the link on the way, `h\\x`, out of the project: by the sweep (serve/sweep.py
    `noted`: isdir, islink, lexists), the check of a file that came and went (lexists),
    the resident engine's trust in a named edit (`_alone`) and its reads by stat
    (load/workers.py `_settled`, every serve build's)."""
    from watchfiles import Change
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.resident import Resident
    from pipeline.serve.server import changed_names
    from pipeline.serve.sweep import Sweep

    root, outside = _backslash_linked(tmp_path)
    engine = Resident(root, ["json"])
    asked: list[tuple[str, str]] = []
    for name in ("stat", "lstat"):
        def call(path, *args, name=name, real=getattr(os, name), **named):
            if isinstance(path, (str, os.PathLike)) and named.get("dir_fd") is None:
                asked.append((name, os.fsdecode(path)))
            return real(path, *args, **named)
        monkeypatch.setattr(os, name, call)
    try:
        engine.build(Diagnostics())   # the first build and the catch-up: everything read
        engine.build(Diagnostics())
        hero = root / "content/h/x/first-hero.yaml"
        hero.write_text(hero.read_text().replace("name: Rook Amsel", "name: Rook Watched"))
        came = str(root / "content/heroes/sedQX7")
        names = changed_names(root, {(Change.added, came), (Change.deleted, came),
                                     (Change.modified, str(root / "content/heroes/first-hero.yaml"))})
        Sweep(root).noted(names + ["content/heroes/sedQX7"])
        engine.build(Diagnostics(), names)
    finally:
        monkeypatch.undo()
    # where the OS took each: a stat follows the last name, an lstat does not
    reached = [os.path.realpath(p) if name == "stat" else os.path.join(os.path.realpath(os.path.dirname(p)),
                                                                        os.path.basename(p)) for name, p in asked]
    assert [p for p in reached if p.startswith(str(outside))] == []
    assert names == ["content/heroes/first-hero.yaml"] and engine.trusted_builds == 1   # _trust looked at it
