"""A build after one edit decodes what it kept of the entities it renders nothing of only
when something reads it. No story's scenes are made before it renders: resolving the World
and checking its outputs read of a story's scenes only its Outline (stories/story.py:
whether an expression broke, what each choice sets, where its prose links), kept beside
the scenes in the parse table (stories/story_codec.py `KeptScenes`), and a story's
analysis asks only whether its start is a scene. Making the 6,000 scenes of 500 stories
was ~0.12 CPU-s of every build's serial path. What renders a story still reads its
scenes, made on first use: the outputs are the clean build's (tests/speed/
test_incremental.py). Nor is an unchanged hero's sheet decoded from her summary
unless a story she plays is analysed (heroes/sheet.py `Sheets`: 10,000 decoded were
~0.13 CPU-s). A project with languages reads every story's scenes while checking
its translations (l10n/lines.py: each line id's text), so the sample is built here
without them, as a one-language world is (the 10,000-hero benchmark's). Times live in
benchmarks/, never here."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.render import pool
from pipeline.heroes.sheet import Sheets
from pipeline.stories.story_codec import KeptScenes
from support import REPO


def test_a_build_after_a_hero_edit_makes_no_scene_nor_unread_sheet_before_it_renders(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline",
                                                              "translations", "audio"))
    config = root / "foundry.toml"   # one language
    config.write_text(config.read_text(encoding="utf-8").split("[l10n]")[0], encoding="utf-8")
    # a prose link to another page, which the outputs' check follows (HF0721)
    story = root / "content" / "stories" / "bells-under-saltmarrow.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "\nThen you hear it.", "\nThen you hear it, as [Wen](../heroes/wen.html) did.", 1), encoding="utf-8")
    # two heroes no story names
    for name in ("tam", "ulla"):
        (root / "content" / "heroes" / f"{name}.yaml").write_text(
            f"name: {name.title()}\ntemplate: wanderer\nattributes: {{strength: 9}}\nxp: 10\n", encoding="utf-8")
    assert build(root, Diagnostics(), ["json", "html"], workers=1).ok
    hero = root / "content" / "heroes" / "kit.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("\nxp: ", "\nxp: 1", 1), encoding="utf-8")

    seen, sheets = {}, {}
    render_all = pool.render_all

    def watched(world, *args, **kwargs):
        sheets.update(kind=type(world.sheets), stored=world.sheets.stored(), heroes=set(world.heroes),
                      players={h for e in world.stories.values() for h in (e.model.front.protagonist,
                                                                           *e.model.front.heroes) if h})
        for sid, entry in world.stories.items():
            scenes = entry.model.scenes
            seen[sid] = (type(scenes) is KeptScenes, getattr(scenes, "made", True), entry.model.outline)
        return render_all(world, *args, **kwargs)
    monkeypatch.setattr(pool, "render_all", watched)
    diags = Diagnostics()
    report = build(root, diags, ["json", "html"], workers=1)
    assert report.ok, [d.message for d in diags.errors]
    assert "site/heroes/kit.html" in report.written
    assert len(seen) == 3 and all(kept and not decoded for kept, decoded, _ in seen.values()), seen
    # what the Outline stood in for was asked: the quests' objectives wait on what the
    # stories' choices set, and a scene's prose links to a hero's page
    outlines = [outline for *_, outline in seen.values()]
    assert any(outline.written for outline in outlines)
    assert ("landing", ("../heroes/wen.html",)) in seen["bells-under-saltmarrow"][2].links
    # the sheets: those of the stories' players read (their analyses), the edited hero's
    # computed, every other one still as her summary keeps it
    assert sheets["kind"] is Sheets
    assert sheets["stored"] == sheets["heroes"] - sheets["players"] - {"kit"} == {"tam", "ulla"}, sheets
