"""SOURCE_DATE_EPOCH dates every file build/ holds (pipeline/epoch.py), kept ones too:
a build carries an unchanged output over as the last build's very file (a hard link,
or the spare's file, write/staging.py), whose mtime is the last build's epoch. After
the epoch changed (or was set for the first time: CI sets it from each commit and
restores the last build/), the build's tree must be dated as a clean build with that
epoch dates it, not half with the old date, and without rendering again what is
kept (attack13)."""

from __future__ import annotations

import shutil
from pathlib import Path

from engine_steps import edit, output_bytes, run
from support import REPO

HERO = "content/heroes/first-hero.yaml"


def _mtimes(root: Path) -> dict[str, int]:
    base = root / "build"
    return {p.relative_to(base).as_posix(): p.stat().st_mtime_ns for p in base.rglob("*")
            if p.is_file() and ".foundry" not in p.parts}


def test_a_build_after_the_epoch_changed_dates_every_output_with_it(tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    run(world)
    edit(world, HERO, "xp: 120", "xp: 121")
    run(world)                    # a spare is left (where renameat2 exchanges folders)
    for epoch, xp in ((1_000_000_000, "122"), (1_100_000_000, "123")):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        edit(world, HERO, f"xp: {int(xp) - 1}", f"xp: {xp}")
        report = run(world)
        assert len(report.written) < len(report.reused)   # kept outputs are dated, not made again
        times = _mtimes(world)
        assert len(times) > 20
        assert {path for path, ns in times.items() if ns != epoch * 1_000_000_000} == set()
        twin = tmp_path / f"twin-{epoch}"
        shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache", ".foundry-builds"))
        run(twin)
        assert output_bytes(twin) == output_bytes(world) and _mtimes(twin) == times
    # another epoch and --only json: the html outputs it carries over are dated too
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1200000000")
    edit(world, HERO, "xp: 123", "xp: 124")
    report = run(world, ["json"])
    assert any(path.startswith("site/") and not path.startswith("site/api/") for path in _mtimes(world))
    assert {path for path, ns in _mtimes(world).items() if ns != 1_200_000_000 * 1_000_000_000} == set()
