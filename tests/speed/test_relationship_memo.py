"""A `foundry serve` save checks again only the relationships of the people it edited
and of those who name them (stories/relationships.py, kept under each person's Entry,
the rule book and the Entry of everyone they name): the other side's warning (HF0516)
comes and goes with an edit of either side, a save that touches no one replays what
was found, and the site is a clean build's."""

from __future__ import annotations

import shutil

import pipeline.stories.relationships as relationships_module
from pipeline.diagnostics import Diagnostics
from pipeline.engine.resident import Resident
from engine_steps import edit, save, same_as_clean
from support import REPO

HERO = "content/heroes/first-hero.yaml"
GUIDE = "content/characters/old-guide.yaml"
STORY = "content/stories/first-story.md"


def disagreements(engine, changed) -> list[str]:
    diags = Diagnostics()
    report = engine.build(diags, changed)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return sorted(f"{d.span.path}: {d.message}" for d in diags.items if d.code == "HF0516")


def test_each_side_of_a_relationship_is_checked_again_when_either_side_changes(tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    engine = Resident(world, ["json", "html"])
    save(engine)
    save(engine)
    checked: list[str] = []
    person = relationships_module._person

    def counted(pid, *args):
        checked.append(pid)
        return person(pid, *args)
    monkeypatch.setattr(relationships_module, "_person", counted)

    edit(world, HERO, "{with: old-guide, kind: mentor}", "{with: old-guide, kind: rival}")
    found = disagreements(engine, [HERO])
    assert len(found) == 2 and found[0].startswith(GUIDE) and found[1].startswith(HERO)
    assert engine.trusted_builds == 1 and sorted(checked) == ["first-hero", "old-guide"]

    checked.clear()   # no one edited: what each side's check found is replayed
    edit(world, STORY, "The lantern bobs ahead", "The lantern sways ahead")
    assert disagreements(engine, [STORY]) == found and checked == []

    # the hero's side mended: the guide's warning, made from her old side, goes too
    edit(world, HERO, "{with: old-guide, kind: rival}", "{with: old-guide, kind: mentor}")
    assert disagreements(engine, [HERO]) == []
    assert sorted(checked) == ["first-hero", "old-guide"]
    same_as_clean(world, tmp_path)
