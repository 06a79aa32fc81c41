"""The first save after `foundry serve` starts costs what a later one does: what only
it did is done while the server idles (engine/resident.py), and a server started
again on what it served finds its no-op.

- the watcher's catch-up (a build not told what changed) renders the lists the engine
  holds no span log for in its own process, so the first save splices them
  (`warm_lists`) — and they are a clean build's bytes;
- an idle flush once a new output watcher runs stats the kept outputs then, so the
  first save stats only what the watcher reports (`_stat_outputs`) — and an output
  changed before that flush is still found and made again;
- the state written once idle is vouched for as a CLI build's new tree is, so a
  server started again (or a CLI build) on it is a no-op (`vouch_built`)."""

from __future__ import annotations

import os

from pipeline.engine import resident as resident_module
from pipeline.engine.resident import Resident
from engine_steps import listed_heroes, output_bytes, same_as_clean, save, rename_hero as rename
from support import write_project

OUTPUTS = ["json", "html"]
LISTS = {"api/v1/bundle.json", "api/v1/heroes.json", "site/index.html", "site/heroes/index.html",
         "site/search.html"}


def world_of(tmp_path):
    files = listed_heroes()
    return write_project(tmp_path / "world", files)




def test_the_catch_up_logs_the_lists_so_the_first_save_splices_them(tmp_path):
    world = world_of(tmp_path)
    engine = Resident(world, OUTPUTS)
    save(engine)            # the server's first build
    save(engine)            # the watcher's catch-up: told nothing, no one waits
    assert LISTS <= set(engine.spans.logs), sorted(engine.spans.logs)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])   # the first save
    assert LISTS <= set(engine.spans.spliced), engine.spans.spliced
    outputs = output_bytes(world)
    assert all(b"Mara Stonebridge" in outputs[path] for path in LISTS)
    same_as_clean(world, tmp_path)


def test_a_catch_up_on_a_built_project_warms_the_lists_too(tmp_path):
    """A server started on a project another server built: its catch-up warms the
    lists, and the first save splices them all the same."""
    world = world_of(tmp_path)
    served = Resident(world, OUTPUTS)
    save(served)
    save(served, [rename(world, "zed", "Zed Quillon")])
    served.flush()          # its state written once idle
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine)
    save(engine, [rename(world, "aria", "Aria Valewood")])
    assert LISTS <= set(engine.spans.spliced), engine.spans.spliced
    same_as_clean(world, tmp_path)


def _stats_in(engine, changed):
    """How many outputs' stats (`_signature`) a save through `engine` took."""
    real, taken = resident_module._signature, []

    def counted(path):
        taken.append(path)
        return real(path)
    resident_module._signature = counted
    try:
        save(engine, changed)
    finally:
        resident_module._signature = real
    return len(taken)


def test_an_idle_flush_stats_the_outputs_a_new_output_watcher_knows_nothing_of(tmp_path):
    world = world_of(tmp_path)
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine, [rename(world, "zed", "Zed Quillon")])   # build/ changed in place from here on
    engine.flush()
    kept = len(engine._state.artifacts)
    # a watcher starts: what happened before is not known; an output is changed meanwhile
    engine.outputs_watched(os.lstat(world / "build").st_ino)
    page = world / "build/site/heroes/aria.html"
    page.write_bytes(page.read_bytes().replace(b"Aria Vale", b"Aria Bale"))
    engine.flush()   # the server's idle tick
    # the save stats the few outputs it writes and the one changed, not every kept one
    assert _stats_in(engine, [rename(world, "mara", "Mara Stonebridge")]) < kept // 2
    assert b"Aria Vale" in page.read_bytes()    # found changed by the flush's stat: made again
    same_as_clean(world, tmp_path)


def test_without_the_idle_flush_the_first_save_after_a_watcher_starts_stats_everything(tmp_path):
    """The rule `_stat_outputs` stands in for: no flush, no report to trust."""
    world = world_of(tmp_path)
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine, [rename(world, "zed", "Zed Quillon")])
    engine.flush()
    engine.outputs_watched(os.lstat(world / "build").st_ino)
    assert _stats_in(engine, [rename(world, "mara", "Mara Stonebridge")]) >= len(engine._state.artifacts) - 20
