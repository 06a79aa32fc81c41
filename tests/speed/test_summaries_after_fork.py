"""A CLI build keeps the heroes' summaries for the next build (resolve/world.py
`_Summarised.keep`) once its render workers are forked, while they render: before, the
load made and wrote them before the fork, the builder alone with a core idle (at 10,000
heroes ~35 % of that stretch, docs/performance.md clean31, clean32). They are kept all
the same: the next build loads every unchanged hero from them, and a build that stops
at the gate, renders nothing or renders in one process keeps them too."""

from __future__ import annotations

import weakref

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.render import pool
from pipeline.resolve import summaries
from pipeline.resolve import world as world_module
from pipeline.write import staging
from support import write_project

HEROES = {f"content/heroes/hero-{i}.yaml": f"""
    name: Hero {i}
    status: published
    template: scout
    xp: {i}
    background: |
      Walked the marsh road {i} times.
    """ for i in range(8)}


@pytest.fixture
def root(tmp_path):
    return write_project(tmp_path / "world", HEROES)


def _watch(monkeypatch) -> list[str]:
    """What happens, in order: "forked" when the render pool starts its workers (and
    "ahead held" if a load's `_Ahead`, its tables of every validation and sheet, is still
    alive then: each worker would start with it), "kept" when the summaries' pack is
    written, "written" when the build writes its first output, and how many heroes
    each load took from a summary."""
    events: list[str] = []
    start, save, load = pool._start, summaries.Pack.save, world_module._Summarised.load
    write = staging.Staging.write
    made_ahead, init = [], world_module._Ahead.__init__

    def ahead(self, *args, **kwargs):
        made_ahead.append(weakref.ref(self))
        init(self, *args, **kwargs)

    def forked(work, count, *rest):   # `frozen` too (pool.py `_start`, since edit42)
        events.append("forked")
        if any(ref() is not None for ref in made_ahead):
            events.append("ahead held")
        return start(work, count, *rest)

    def kept(pack):
        events.append("kept")
        return save(pack)

    def loaded(self, *args, **kwargs):
        out = load(self, *args, **kwargs)
        events.append(f"summarised {len(self.hits)}")
        return out

    def writing(self, rel, data):
        if "written" not in events:
            events.append("written")
        return write(self, rel, data)

    monkeypatch.setattr(pool, "_start", forked)
    monkeypatch.setattr(staging.Staging, "write", writing)
    monkeypatch.setattr(summaries.Pack, "save", kept)
    monkeypatch.setattr(world_module._Ahead, "__init__", ahead)
    monkeypatch.setattr(world_module._Summarised, "load", loaded)
    return events


def _edit(root, i: int) -> None:
    """Hero i's xp changed: a value edit, which the build loads (a comment is cut off before the load)."""
    path = root / f"content/heroes/hero-{i}.yaml"
    path.write_text(path.read_text().replace(f"xp: {i}\n", f"xp: {i + 100}\n"))


def _people(report) -> int:
    return report.counts["heroes"] + report.counts["characters"]


def _ok(root, diags=None):
    diags = diags or Diagnostics()
    report = build(root, diags, ["json", "html"])
    assert report.ok, [d.message for d in diags.items if d.severity == "error"]
    return report


def test_the_summaries_are_kept_once_the_render_workers_are_forked(root, monkeypatch):
    monkeypatch.setattr(world_module, "KEEP_LATER_FROM", 2)   # a clean build's many (here a few)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    events = _watch(monkeypatch)
    report = _ok(root)
    assert report.counts["render_processes"] == 2   # the pool ran
    people = _people(report)
    assert events == ["summarised 0", "forked", "kept", "written"], "the summaries were not kept after the fork " \
        "while the workers render (before the first result is written), or the load's tables were held across it"
    # kept all the same: the next build (one hero's value edited) loads every other hero from them
    events.clear()
    _edit(root, 0)
    _ok(root)
    # one summary to make again: made in the load, before the fork, as before
    assert events == [f"summarised {people - 1}", "kept", "forked", "written"], events


def test_a_build_that_renders_in_one_process_keeps_them_too(root, monkeypatch):
    monkeypatch.setattr(world_module, "KEEP_LATER_FROM", 2)
    monkeypatch.setenv("FOUNDRY_JOBS", "1")
    events = _watch(monkeypatch)
    people = _people(_ok(root))
    assert events == ["summarised 0", "kept", "written"]
    events.clear()
    _edit(root, 1)
    _ok(root)
    assert events[0] == f"summarised {people - 1}", events


def test_a_build_stopped_at_the_gate_keeps_them(root, monkeypatch):
    """A content error elsewhere: nothing is rendered, the summaries of the heroes that
    loaded are kept once, and the build after the fix loads them from there."""
    monkeypatch.setattr(world_module, "KEEP_LATER_FROM", 2)
    events = _watch(monkeypatch)
    broken = root / "content/heroes/broken.yaml"
    broken.write_text("name: Broken\nstatus: published\ntemplate: no-such-template\n")
    diags = Diagnostics()
    report = build(root, diags, ["json", "html"])
    assert not report.ok and diags.has_errors()
    assert events == ["summarised 0", "kept"]
    events.clear()
    broken.unlink()
    report = _ok(root)
    assert events[0] == f"summarised {_people(report)}", events
