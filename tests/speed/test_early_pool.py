"""A cold `foundry check` starts its parse workers before it imports and runs the
load's other stages (load/workers.py `start_early`), so the workers parse while it
does: the same findings in the same places, every file parsed once, in one pool, and
a pool the load never took stopped (docs/performance.md, check33b). Times live in
benchmarks/, never here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.diagnostics import Diagnostics
from pipeline.engine import builder
from pipeline.load import project as project_module
from pipeline.load import workers

ROOTS = Path(__file__).resolve().parent.parent / "roots"

# what a listing, a read, a parse and a validation each find, beside good files
_FILES = {
    "content/heroes/notes.txt": "a stray beside the heroes\n",              # HF0105 (held for the portraits)
    "content/heroes/.hidden.yaml": "name: Hidden\n",                         # a dotfile's id
    "content/heroes/Bad Name.yaml": "name: Bad\n",                           # a file name that is no id
    "content/heroes/broken.yaml": "name: [unclosed\n",                       # YAML
    "content/heroes/latin1.yaml": b"name: \xff\xfe\n",                       # not UTF-8
    "content/heroes/odd.yaml": "name: Odd\nxp: \"12\"\nunknown_field: 1\n",  # validation
    **{f"content/heroes/h{i}.yaml": f"name: Hero {i}\n" for i in range(6)},
}


def _world(tmp_path: Path) -> Path:
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel, text in _FILES.items():
        path = root / rel
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    os.symlink("/etc/hostname", root / "content/heroes/outside.yaml")   # a link out: HF0120, never read
    return root


@pytest.fixture
def small_pool(monkeypatch):
    """The pool for a few files, two at a time, on two workers."""
    monkeypatch.setattr(workers, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(workers, "CHUNK", 2)
    monkeypatch.setenv("FOUNDRY_JOBS", "2")


def _cold(root: Path) -> None:
    shutil.rmtree(root / ".foundry-cache", ignore_errors=True)


def test_the_workers_start_before_the_load_and_find_what_a_load_without_them_finds(tmp_path, small_pool,
                                                                                     monkeypatch):
    """The CLI's cold check forks its pool before the project is read (the stages after
    it are what it overlaps), parses every file in that one pool, and reports exactly
    what `check` reports when it starts its own pool inside the load (a build's way)."""
    root = _world(tmp_path)
    order: list[str] = []
    pool, read_project = workers._in_pool, project_module.load_project

    def pooled(found, sources, cache, todo, *rest, **named):
        order.append(f"pool of {len(todo)}")
        return pool(found, sources, cache, todo, *rest, **named)

    def reading(*args, **named):
        order.append("project")
        return read_project(*args, **named)

    monkeypatch.setattr(workers, "_in_pool", pooled)
    monkeypatch.setattr(project_module, "load_project", reading)

    _cold(root)
    early, report = Diagnostics(), builder.BuildReport()
    cli._check_working_tree(root, early, report, release=False)
    files = report.counts["heroes"] + report.counts["characters"] + report.counts["quests"] + \
        report.counts["stories"] + report.counts["templates"]
    assert order[0].startswith("pool of") and order[1] == "project" and len(order) == 2, order
    assert int(order[0].split()[-1]) >= files + 3   # the three that do not load were read in the pool too

    _cold(root)
    order.clear()
    inside = Diagnostics()
    builder.check(root, inside, builder.BuildReport())
    assert order[0] == "project" and order[1].startswith("pool of")
    codes = {d.code for d in early.items}
    assert {"HF0105", "HF0113", "HF0120"} <= codes and len(codes) >= 6, codes
    assert early.items == inside.items

    again = Diagnostics()
    cli._check_working_tree(root, again, builder.BuildReport(), release=False)   # warm: replayed
    assert again.items == early.items


def test_a_pool_the_load_never_took_is_stopped(tmp_path, small_pool, monkeypatch):
    """A check that stops before its load (here: the load fails) leaves no worker
    parsing behind it."""
    root = _world(tmp_path)
    _cold(root)
    start = workers.start_early

    def failing(*args, **named):
        raise RuntimeError("the load failed")

    monkeypatch.setattr(builder, "check", failing)
    pool = None

    def kept(early):
        nonlocal pool
        pool = early.started[1]
        return early

    monkeypatch.setattr(workers, "start_early", lambda *a, **k: kept(start(*a, **k)))
    with pytest.raises(RuntimeError):
        cli._check_working_tree(root, Diagnostics(), builder.BuildReport(), release=False)
    assert pool is not None and pool.workers
    for worker in pool.workers:
        worker.join(5)
        assert worker.exitcode is not None, "a parse worker still runs after the check stopped"
