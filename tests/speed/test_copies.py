"""An artifact that is another's copy (`Planned.copy_of`: the JSON API published in
site/api/v1/) takes the original's render when both are stale: one render, the same
bytes, reads and record; a copy whose original is kept is rendered alone."""

from __future__ import annotations

import os
import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters.json_api.exporter import JsonExporter
from pipeline.render import stored_spans
from pipeline.write.state import read_state
from support import REPO

ROOTS = REPO / "tests" / "roots"


def rendered(monkeypatch) -> list[str]:
    """The paths the JSON API renders, or splices from its last file (a list logged by
    the last build, render/stored_spans.py), from here on."""
    paths = []
    real, real_splice = JsonExporter.render, stored_spans.splice

    def render(self, ctx, item):
        paths.append(item.path)
        return real(self, ctx, item)

    def splice(memo, asker, exporter, path, fragment):
        made = real_splice(memo, asker, exporter, path, fragment)
        if made is not None:
            paths.append(path)
        return made
    monkeypatch.setattr(JsonExporter, "render", render)
    monkeypatch.setattr(stored_spans, "splice", splice)
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


def same_as_clean_json(world, tmp_path, name: str) -> None:
    """world's build/ holds the bytes of a clean JSON build of a copy of its sources."""
    from engine_steps import output_bytes
    twin = tmp_path / name
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    built(twin)
    assert output_bytes(world) == output_bytes(twin)


def copies_of(world) -> list[str]:
    build_dir = world / "build"
    return sorted(p.relative_to(build_dir).as_posix() for p in (build_dir / "site/api/v1").rglob("*.json"))


def test_a_copy_rendered_with_its_original_is_the_same_file_and_never_stale_through_it(tmp_path):
    """The published copies are hard links to their originals (one write of the 48 MB
    bundle at 10,000 heroes, not two); a file changed in place through either path is
    seen through both, and the next build writes both anew, as a clean build would."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    built(world)
    build_dir = world / "build"
    copies = copies_of(world)
    assert "site/api/v1/bundle.json" in copies
    for copy in copies:
        assert (build_dir / copy).samefile(build_dir / copy[len("site/"):]), copy

    # an edit re-renders both: the new tree links the new render, not the old file
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 3", 1))
    built(world)
    assert (build_dir / "site/api/v1/heroes.json").samefile(build_dir / "api/v1/heroes.json")
    same_as_clean_json(world, tmp_path, "after-edit")

    # the pair changed in place through the copy (same inode): the original is not
    # what foundry wrote either, and the next build (a no-op cannot see a file
    # rewritten in place: another edit) writes both again
    with open(build_dir / "site/api/v1/rules.json", "ab") as out:
        out.write(b"tampered")
    assert (build_dir / "api/v1/rules.json").read_bytes().endswith(b"tampered")
    hero.write_text(hero.read_text().replace("xp: 3", "xp: 4", 1))
    report = built(world)
    assert {"api/v1/rules.json", "site/api/v1/rules.json"} <= set(report.written)
    same_as_clean_json(world, tmp_path, "after-tamper")


def test_foundry_serve_replaces_a_linked_pair_with_a_new_pair_without_writing_into_the_old(tmp_path):
    """A CLI build leaves each copy linked to its original; the resident engine writes
    build/ in place (a temporary file renamed over the original, the copy a new link
    to it renamed over the copy: write/in_place.py `duplicate`), so the old pair's
    file is never written into and each path holds a clean build's bytes."""
    from engine_steps import save
    from pipeline.engine.resident import Resident
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    built(world)
    engine = Resident(world, ["json"])
    save(engine)   # answered as a no-op
    save(engine)   # the catch-up (resident.py `warming`): a staged tree, linked again
    assert (world / "build/site/api/v1/heroes.json").samefile(world / "build/api/v1/heroes.json")
    hero = world / "content/heroes/first-hero.yaml"
    old = tmp_path / "old-heroes.json"   # another name of the old pair's file
    os.link(world / "build/api/v1/heroes.json", old)
    before = old.read_bytes()
    hero.write_text(hero.read_text().replace("xp: ", "xp: 3", 1))
    save(engine, ["content/heroes/first-hero.yaml"])
    build_dir = world / "build"
    assert (build_dir / "site/api/v1/heroes.json").read_bytes() == (build_dir / "api/v1/heroes.json").read_bytes()
    assert (build_dir / "site/api/v1/rules.json").samefile(build_dir / "api/v1/rules.json")   # untouched: still one file
    assert (build_dir / "site/api/v1/heroes.json").samefile(build_dir / "api/v1/heroes.json")   # a new pair
    assert not old.samefile(build_dir / "api/v1/heroes.json") and old.read_bytes() == before
    same_as_clean_json(world, tmp_path, "twin")


def state_data(world) -> dict:
    """The state file's JSON (after its seal line)."""
    import json
    blob = (world / "build/.foundry/state.json").read_bytes()
    return json.loads(blob[blob.index(b"\n") + 1:])


def test_the_state_holds_each_distinct_record_once_however_it_was_made(tmp_path):
    """A copy's record is the original's (the same render): the state writes it once and
    names it by index from both paths (a third of the records at 10,000 heroes), by
    value, so a copy rendered alone (its own Record object) gives the same bytes as a
    clean build where the two share one; read back, the records are equal."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    built(world)
    data = state_data(world)
    copies = [path for path in data["artifacts"] if path.startswith("site/api/v1/")]
    assert copies
    for copy in copies:
        assert data["artifacts"][copy] == data["artifacts"][copy[len("site/"):]]
    assert len(data["records"]) == len(set(map(str, data["records"]))) < len(data["artifacts"])

    # a copy stale alone (deleted by hand, its original kept) is rendered by itself:
    # an equal record made apart, still written once
    (world / "build/site/api/v1/rules.json").unlink()
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: ", "xp: 3", 1))
    report = built(world)
    assert "site/api/v1/rules.json" in report.written and "api/v1/rules.json" not in report.written
    data = state_data(world)
    assert data["artifacts"]["site/api/v1/rules.json"] == data["artifacts"]["api/v1/rules.json"]

    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    built(twin)
    assert state_data(twin) == data
    state = read_state(world / "build")
    assert state.artifacts["site/api/v1/rules.json"] == state.artifacts["api/v1/rules.json"]
    assert len(state.artifacts) == len(data["artifacts"])
