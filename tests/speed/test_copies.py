"""An artifact that is another's copy (`Planned.copy_of`: the JSON API published in
site/api/v1/) takes the original's render when both are stale: one render, the same
bytes, reads and record; a copy whose original is kept is rendered alone."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters.json_api.exporter import JsonExporter
from pipeline.write.state import read_state
from support import REPO

ROOTS = REPO / "tests" / "roots"


def rendered(monkeypatch) -> list[str]:
    paths = []
    real = JsonExporter.render

    def render(self, ctx, item):
        paths.append(item.path)
        return real(self, ctx, item)
    monkeypatch.setattr(JsonExporter, "render", render)
    return paths


def built(root):
    diags = Diagnostics()
    report = build(root, diags, ["json"], workers=1)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return report


def test_the_published_copy_is_the_originals_render_and_rendered_alone_when_only_it_is_stale(tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    paths = rendered(monkeypatch)
    report = built(world)
    copies = [path for path in report.written if path.startswith("site/api/v1/")]
    assert copies and "site/api/v1/bundle.json" in copies
    assert not any(path.startswith("site/") for path in paths)              # rendered once each
    assert all(path[len("site/"):] in paths for path in copies)
    state = read_state(world / "build")
    for copy in copies:
        assert (world / "build" / copy).read_bytes() == (world / "build" / copy[len("site/"):]).read_bytes()
        assert state.artifacts[copy] == state.artifacts[copy[len("site/"):]]

    # an edit: both stale, one render (the copy deleted by hand meanwhile comes back)
    (world / "build/site/api/v1/heroes.json").unlink()
    paths.clear()
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 3", 1))
    report = built(world)
    assert "api/v1/heroes.json" in paths and not any(path.startswith("site/") for path in paths)
    assert "site/api/v1/heroes.json" in report.written
    # a copy stale alone (deleted by hand, its original kept): rendered by itself
    (world / "build/site/api/v1/rules.json").unlink()
    paths.clear()
    hero.write_text(hero.read_text().replace("xp: 3", "xp: 4", 1))
    report = built(world)
    assert "site/api/v1/rules.json" in paths and "api/v1/rules.json" not in paths
    assert "site/api/v1/rules.json" in report.written

    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    monkeypatch.undo()
    built(twin)
    mine = {p.relative_to(world / "build").as_posix(): p.read_bytes() for p in (world / "build").rglob("*")
            if p.is_file() and ".foundry" not in p.parts}
    clean = {p.relative_to(twin / "build").as_posix(): p.read_bytes() for p in (twin / "build").rglob("*")
             if p.is_file() and ".foundry" not in p.parts}
    assert mine == clean
