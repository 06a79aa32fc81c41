"""The site's plan keeps each entity's page and each portrait's media paths between
`foundry serve` saves (exporters/base.py PlanParts, handed to the plan by
engine/outputs.py PlanMemo): a save makes again only the parts whose Entry or Asset
is new, and what it publishes is a clean build's (a part kept for a changed hero
would title her page, or link her portrait, as before the edit)."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.resident import Resident
from pipeline.exporters.base import PlanParts
from pipeline.exporters.html.exporter import HtmlExporter
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from engine_steps import edit, save, same_as_clean
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
    assert parts.made == 1   # her page; the other entities' pages are the last plan's objects
    same_as_clean(world, tmp_path)
    # a save that names no file checks everything: parts are still found by their Entry
    edit(world, HERO, "name: Rook Retitled", "name: Rook Again")
    save(engine)
    assert parts.made == 1 and "<title>Rook Again" in (world / "build/site/heroes/first-hero.html").read_text()
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
    assert engine.trusted_builds and engine.plans.parts["html"].made == 2   # her page, her portrait's paths
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
    assert exporter.plan(reloaded, parts).items == alone.items and parts.made == entities
