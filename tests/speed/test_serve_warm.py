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
  server started again (or a CLI build) on it is a no-op (`vouch_built`) — only when
  the file watcher saw no input change while its build ran (`quiet`): a save made
  while the catch-up runs is read by its load after its fingerprint was taken."""

from __future__ import annotations

import os
import threading

import watchfiles

from pipeline.diagnostics import Diagnostics
from pipeline.engine import resident as resident_module
from pipeline.engine.builder import build
from pipeline.serve.server import LiveState, Rebuilder, watch
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


def _no_op(world) -> bool:
    """Whether a CLI build of `world` now is the no-op (it loads nothing)."""
    diags = Diagnostics()
    report = build(world, diags, OUTPUTS, workers=1)
    assert report.ok, [str(d) for d in diags.errors]
    return "heroes" not in report.counts


def test_a_save_while_the_catch_up_runs_is_not_vouched_for_and_a_quiet_one_is(tmp_path, monkeypatch):
    """The server's own loop (serve/server.py `watch`), its file watcher scripted: a
    hero is saved while the catch-up runs, after its fingerprint and before its load
    (a hook, not a sleep), the watcher reports it after the catch-up, and the save
    back to the old name comes before the server idles. The catch-up's state says the
    old sources of pages showing the save: vouched for, the save back was taken for
    the no-op and the saved name stayed in build/. Once the watcher has been quiet
    after a build, its state is vouched for: a CLI build, and a server started again,
    are the no-op."""
    world = world_of(tmp_path)
    hero = world / "content/heroes/aria.yaml"
    original = hero.read_text()
    rebuilder = Rebuilder(world, OUTPUTS, LiveState(), lambda message: None)
    rebuilder.run("first build")
    sources = Resident.sources

    def saved_meanwhile(self, root, settings):
        fingerprint = sources(self, root, settings)
        if self.builds == 2:   # the catch-up: the save lands after its fingerprint, before its load
            rename(world, "aria", "Aria Valewood")
        return fingerprint

    def batches(*paths, stop_event, **options):
        yield set()                                        # the watcher runs: the catch-up
        yield {(watchfiles.Change.modified, str(hero))}    # the save, seen after it
        hero.write_text(original)
        yield {(watchfiles.Change.modified, str(hero))}    # saved back, before any idle moment
        yield set()                                        # quiet: the state written once idle
    monkeypatch.setattr(Resident, "sources", saved_meanwhile)
    monkeypatch.setattr(watchfiles, "watch", batches)
    watch(world, rebuilder, threading.Event(), threading.Event())
    assert rebuilder.engine.builds == 4
    assert b"Aria Vale<" in output_bytes(world)["site/heroes/aria.html"]
    assert _no_op(world)          # the quiet build's state, vouched for
    again = Resident(world, OUTPUTS)
    assert "heroes" not in save(again).counts and again.builds == 1
    same_as_clean(world, tmp_path)


def test_a_hero_that_came_and_went_while_a_build_ran_is_not_left_on_the_site(tmp_path, monkeypatch):
    """The server's loop, its watcher scripted: a hero file is made, the catch-up reads
    it (her page and cards written), and she is deleted before it ends; the watcher
    reports her added and deleted in one batch, which it took for a file that came and
    went unread (`sed -i`'s temporary file) and left out: no rebuild, and her page,
    her cards and her search entry stayed on the served site (and in build/) until some
    other change, the sweep finding nothing (she was gone at both of its looks)."""
    world = world_of(tmp_path)
    rebuilder = Rebuilder(world, OUTPUTS, LiveState(), lambda message: None)
    rebuilder.run("first build")
    bea = world / "content/heroes/bea.yaml"

    def batches(*paths, stop_event, **options):
        bea.write_text((world / "content/heroes/mara.yaml").read_text().replace("Mara Stone", "Bea Tor"))
        yield set()                                        # the watcher runs: the catch-up reads her
        assert (world / "build/site/heroes/bea.html").exists()   # (the premise)
        bea.unlink()
        yield {(watchfiles.Change.added, str(bea)), (watchfiles.Change.deleted, str(bea))}
        yield set()
    monkeypatch.setattr(watchfiles, "watch", batches)
    watch(world, rebuilder, threading.Event(), threading.Event())
    assert not (world / "build/site/heroes/bea.html").exists()
    assert b"Bea Tor" not in output_bytes(world)["site/index.html"]
    same_as_clean(world, tmp_path)


def test_a_state_flushed_without_the_watchers_word_is_not_vouched_for(tmp_path):
    """`flush` after `quiet` vouches for the state; `flush` alone (a server leaving, a
    test) writes it and vouches for nothing: a CLI build then checks everything once,
    and publishes the same bytes."""
    world = world_of(tmp_path)
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])   # in place: its state waits for `flush`
    engine.quiet()
    engine.flush()
    assert _no_op(world)
    engine = Resident(world, OUTPUTS)
    save(engine)            # the no-op
    save(engine)            # the catch-up (a staged tree: its state written then)
    save(engine, [rename(world, "mara", "Mara Stone")])
    engine.flush()
    assert not _no_op(world)
    same_as_clean(world, tmp_path)
