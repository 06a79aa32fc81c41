"""The site's plan keeps each entity's page and each portrait's media paths between
`foundry serve` saves (exporters/base.py PlanParts, handed to the plan by
engine/outputs.py PlanMemo): a save makes again only the parts whose Entry or Asset
is new, and what it publishes is a clean build's (a part kept for a changed hero
would title her page, or link her portrait, as before the edit)."""

from __future__ import annotations

import shutil

import pipeline.engine.outputs as outputs_module
from pipeline.diagnostics import Diagnostics
from pipeline.engine.resident import Resident
from pipeline.exporters.base import PlanParts
from pipeline.exporters.html.exporter import HtmlExporter
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from engine_steps import edit, output_bytes, run, save, same_as_clean
from support import REPO

ROOTS = REPO / "tests" / "roots"
HERO = "content/heroes/first-hero.yaml"


def started(tmp_path) -> tuple:
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, ["json", "html"])
    save(engine)        # the first build and the catch-up: everything checked
    save(engine)
    return world, engine


def test_a_hero_save_makes_her_page_again_and_keeps_every_other(tmp_path):
    world, engine = started(tmp_path)
    parts = engine.plans.parts["html"]
    edit(world, HERO, "name: Rook Amsel", "name: Rook Retitled")
    save(engine, [HERO])
    assert engine.trusted_builds == 1 and "html" not in engine.plans.reused
    page = (world / "build/site/heroes/first-hero.html").read_text()
    assert "<title>Rook Retitled" in page and "Rook Amsel" not in page
    assert parts.made == 2   # her page and her file's path; the other entities' are the last plan's
    same_as_clean(world, tmp_path)
    # a save that names no file checks everything: parts are still found by their Entry
    edit(world, HERO, "name: Rook Retitled", "name: Rook Again")
    save(engine)
    assert parts.made == 2 and "<title>Rook Again" in (world / "build/site/heroes/first-hero.html").read_text()
    same_as_clean(world, tmp_path, "twin-2")


def test_a_new_portrait_makes_its_media_paths_again(tmp_path):
    """The site's link check knows the media files by the plan's parts: a hero who
    shows another image links its new file, which a kept part would not know (HF0701)."""
    world, engine = started(tmp_path)
    portraits = world / "content/assets/portraits"
    portraits.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "content/assets/portraits/aria.png", portraits / "rook.png")
    shutil.copy(REPO / "content/assets/portraits/bram.png", portraits / "other.png")
    edit(world, HERO, "name: Rook Amsel", "portrait: ../assets/portraits/rook.png\nname: Rook Amsel")
    save(engine)
    edit(world, HERO, "portraits/rook.png", "portraits/other.png")
    save(engine, [HERO])
    # her page, her file's path, her portrait's paths
    assert engine.trusted_builds and engine.plans.parts["html"].made == 3
    same_as_clean(world, tmp_path)


def test_the_plan_with_parts_is_the_plan_without(tmp_path):
    """The same World planned three ways (no memo, a memo's first plan, its second, which
    makes nothing) gives equal plans; a World loaded again (new Entry objects) makes
    every part again."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    diags = Diagnostics()
    loaded = load_world(load_project(world, diags), diags)
    exporter, parts = HtmlExporter(), PlanParts()
    alone = exporter.plan(loaded)
    parts.begin()
    first = exporter.plan(loaded, parts)
    entities = parts.made
    parts.begin()
    second = exporter.plan(loaded, parts)
    assert entities > 0 and parts.made == 0
    for plan in (first, second):
        assert plan.items == alone.items and plan.inputs == alone.inputs
        assert plan.setup.pages == alone.setup.pages and plan.setup.checker.known == alone.setup.checker.known
    reloaded = load_world(load_project(world, diags), diags)
    parts.begin()
    # every page and path again; the list versions and the credits' authors are equal
    # (the same files, no history)
    assert exporter.plan(reloaded, parts).items == alone.items and parts.made == entities - 2


def test_a_commit_moves_the_list_pages_version_though_no_entry_changed(tmp_path, monkeypatch):
    """The list pages' content versions are kept with the plan's parts while the
    history, the content version and each entity's file are the same: a commit that
    changes a hero's history (her file as it was, its newest commit another) shows the
    new commit in every list page's footer, as a clean build does."""
    import sys
    # the site's plan made from the World itself once an edit found it stale, as at
    # 10,000 heroes (it reads every entity: outputs.py WIDE), which is where the
    # versions are kept; a plan made from a recording view makes them
    monkeypatch.setattr(outputs_module, "WIDE", 0)
    sys.path.insert(0, str(REPO / "tests" / "git"))
    from git_support import BEN, new_repo
    repo = new_repo(tmp_path / "repo")
    engine = Resident(repo.root, ["json", "html"])
    save(engine)
    save(engine)
    before = repo.rev("HEAD")[:12]
    assert before in (repo.root / "build/site/index.html").read_text()
    repo.edit("content/heroes/aria.yaml", "name: Aria Vell", "name: Aria Vell-Hart")
    save(engine, ["content/heroes/aria.yaml"])
    after = repo.commit("Aria takes a second name", BEN, "2024-02-01T10:00:00+01:00")[:12]
    save(engine)   # a commit: nothing a watcher of the content names, the history read again
    for page in ("index.html", "heroes/index.html", "search.html"):
        text = (repo.root / "build/site" / page).read_text()
        assert f">{after}</code>" in text and f">{before}</code>" not in text, page
    assert "html" in engine.plans._wide
    same_as_clean(repo.root, tmp_path)


STORY = "content/stories/first-story.md"


def test_a_story_save_looks_at_that_storys_numbers_for_ink_and_no_other(tmp_path):
    """The ink plan's whole-number check (HF0610, exporters/ink_numbers.py) walked
    every story's expressions on each story save (~0.03 CPU-s at 500 stories): each
    story's part is now made again only when its Entry is new, and a number ink cannot
    hold is still found in the story saved, and gone once it is fixed."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    story = (world / STORY).read_text()
    (world / "content/stories/second-story.md").write_text(story)
    engine = Resident(world, ["json", "ink"])
    save(engine)
    save(engine)
    parts = engine.plans.parts["ink"]
    edit(world, STORY, "coins: 2", "coins: 3")
    save(engine, [STORY])
    assert parts.made == 1   # the saved story's; the other's is the last plan's
    edit(world, STORY, "coins: 3", "coins: 3000000000")
    diags = Diagnostics()
    report = engine.build(diags, [STORY])
    assert not report.ok and [(d.code, d.span.path) for d in diags.errors] == [("HF0610", STORY)]
    assert parts.made == 1
    edit(world, STORY, "coins: 3000000000", "coins: 3")
    save(engine, [STORY])
    assert parts.made == 1
    twin = tmp_path / "twin"   # what it publishes is a clean build's of the same outputs
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin, ["json", "ink"])
    assert output_bytes(twin) == output_bytes(world)
