"""The serve's idle stat sweep (serve/sweep.py) on a real project folder: what it calls
a change the watcher missed, and what it leaves to the watcher."""

from __future__ import annotations

import os
import shutil

from pipeline.serve.sweep import Sweep
from support import REPO

HERO = "content/heroes/first-hero.yaml"


def _project(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    return root


def _missed(sweep):
    """A forced sweep and the watcher's next idle tick: what the sweep names missed."""
    first = sweep.missed(force=True)
    assert first is None
    return sweep.missed() or []


def _bump(path, text="\n# again\n"):
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)


def test_a_change_no_one_reported_is_missed_once(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    assert _missed(sweep) == []
    _bump(root / HERO)
    (root / "content/heroes/new-hero.yaml").write_text("name: New\n")
    (root / "content/characters/old-guide.yaml").unlink()
    assert _missed(sweep) == ["content/characters/old-guide.yaml", HERO, "content/heroes/new-hero.yaml"]
    assert _missed(sweep) == []   # found once: the rebuild it starts reads it


def test_a_change_the_watcher_reports_just_after_the_sweep_is_not_missed(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    _bump(root / HERO)
    assert sweep.missed(force=True) is None     # a suspect: its event may be on its way
    sweep.noted([HERO])                         # …and it came: the watcher rebuilds it
    assert sweep.missed() is None and _missed(sweep) == []


def test_a_change_the_watcher_reported_is_not_missed_unless_it_changed_again(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    _bump(root / HERO)
    sweep.noted([HERO])
    assert _missed(sweep) == []
    _bump(root / HERO)
    sweep.noted([HERO])
    _bump(root / HERO, "\n# a third time, its event lost\n")
    assert _missed(sweep) == [HERO]


def test_a_folder_the_watcher_reported_counts_for_its_files_and_editor_files_never_count(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    moved = tmp_path / "more"
    moved.mkdir()
    (moved / "a.yaml").write_text("name: A\n")
    os.rename(moved, root / "content/heroes/more")      # one event: the folder
    (root / "content/heroes/.first-hero.yaml.swp").write_text("vim")
    sweep.noted(["content/heroes/more"])
    assert _missed(sweep) == []
    shutil.rmtree(root / "content/heroes/more")         # moved out: one event, the folder gone
    sweep.noted(["content/heroes/more"])
    assert _missed(sweep) == []


def test_a_sweep_waits_its_turn(tmp_path):
    root = _project(tmp_path)
    now = [0.0]
    sweep = Sweep(root, every=2.0, clock=lambda: now[0])
    sweep.start()
    _bump(root / HERO)
    now[0] = 1.0
    assert sweep.missed() is None       # not due: nothing looked at
    now[0] = 2.5
    assert sweep.missed() is None       # swept: a suspect until the next tick
    assert sweep.missed() == [HERO]


def test_a_failing_watcher_is_said_checks_everything_and_watches_again(tmp_path, monkeypatch):
    """watchfiles raises when its watcher fails (its "error in underlying watcher"): the
    watch thread died with it and `foundry serve` left without a word. Now the failure
    is said, everything is rebuilt, and the watcher starts again: a later save is seen."""
    import threading
    import time
    import watchfiles
    from watchfiles._rust_notify import WatchfilesRustInternalError
    from pipeline.serve.server import LiveState, Rebuilder, watch
    root = _project(tmp_path)
    real, calls = watchfiles.watch, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise WatchfilesRustInternalError("error in underlying watcher: queue overflow")
        return real(*args, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", failing_once)
    said, state = [], LiveState()
    rebuilder = Rebuilder(root, ["json"], state, said.append)
    rebuilder.run("first build")
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(root, rebuilder, stop, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(60)
        assert any("the file watcher failed (error in underlying watcher: queue overflow)" in m for m in said), said
        builds = state.builds
        assert builds >= 2   # the first build, and the one checking everything after the failure
        deadline = time.monotonic() + 120
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(calls) == 2 and thread.is_alive()    # watching again
        _bump(root / HERO)
        while state.builds == builds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.builds > builds
    finally:
        stop.set()
        thread.join(30)


def test_a_link_out_the_watcher_reported_is_noted_as_the_sweep_sees_it_never_through_the_link(tmp_path):
    # its target outside is never stat'ed: the sweep lists a link out as None, and the
    # watcher's report of it is noted so, not as the outside file's stat (which made it
    # a change "missed by the file watcher" at the next sweep)
    root = _project(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: Outside\n")
    sweep = Sweep(root)
    sweep.start()
    assert _missed(sweep) == []
    os.symlink(outside, root / "content/heroes/leak.yaml")
    sweep.noted(["content/heroes/leak.yaml"])
    assert _missed(sweep) == []
