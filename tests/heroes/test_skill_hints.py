"""The hints of a hero's skills and level, each followed as written: HF0408's when a
skill's `requires` reads skills or items (two skills excluding each other, `not
has_skill('rogue')`, were hinted "Raise the attribute the skill requires (within the
budget)", which no attribute fixes); HF0406's, HF0407's and HF0412's, whose advice
followed met the next error."""

from __future__ import annotations

import re

from support import foundry

SKILLS = """skills:
  tracking: {name: Tracking, attribute: wits}
  ambush: {name: Ambush, attribute: agility, prerequisites: [tracking], min_level: 2, requires: "agility >= 12"}
  paladin: {name: Paladin, attribute: strength, requires: "not has_skill('rogue')"}
  rogue: {name: Rogue, attribute: agility, requires: "not has_skill('paladin')"}
  climber: {name: Climber, attribute: agility, requires: "has('rope') and agility >= 10"}
"""


def test_a_requirement_on_skills_or_items_is_hinted_with_them(project_factory):
    root = project_factory({
        "schemas/skills.yaml": SKILLS,
        "content/heroes/both.yaml": "name: Both\nskills: [paladin, rogue]\n",
        "content/heroes/cleo.yaml": "name: Cleo\nskills: [climber]\n",
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {(d["file"], d["column"]): d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0408"}
    assert hints == {
        ("content/heroes/both.yaml", 10): "'both' holds skill 'rogue'. Change the hero's skills to meet it, or remove "
                                          "the skill.",
        ("content/heroes/both.yaml", 19): "'both' holds skill 'paladin'. Change the hero's skills to meet it, or "
                                          "remove the skill.",
        ("content/heroes/cleo.yaml", 10): "'cleo' has agility 8 and does not carry 'rope'. Change the hero's skills "
                                          "or items or values to meet it, or remove the skill.",
    }, hints
    # followed: one of the two skills removed, the rope carried and agility raised
    (root / "content/heroes/both.yaml").write_text("name: Both\nskills: [paladin]\n")
    (root / "content/heroes/cleo.yaml").write_text("name: Cleo\nskills: [climber]\nitems: [rope]\n"
                                                   "attributes: {agility: 10}\n")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in again.json()["diagnostics"] if d["severity"] == "error"] == [], again.json()


def test_a_missing_prerequisite_is_hinted_with_what_it_needs(project_factory):
    """HF0406 said "Add 'tracking' to skills" of a hero taking ambush without it; with
    tracking needing level 3 and `wits >= 14`, following it gave HF0407 and HF0408 at
    once. The hint says what the prerequisite needs, with the hero's values; followed
    as written (the skill, the XP, the wits), the hero checks clean."""
    skills = SKILLS.replace("tracking: {name: Tracking, attribute: wits}",
                            'tracking: {name: Tracking, attribute: wits, min_level: 3, requires: "wits >= 14"}')
    root = project_factory({"schemas/skills.yaml": skills,
                            "content/heroes/w.yaml": "name: W\nattributes: {agility: 13}\nskills: [ambush]\nxp: 120\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    [hint] = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0406" and d["file"].endswith("w.yaml")]
    assert hint == ("Add 'tracking' to skills, which needs level 3 (xp: 250); and `wits >= 14` ('w' has wits 8); or "
                    "remove 'ambush'."), hint
    (root / "content/heroes/w.yaml").write_text("name: W\nattributes: {agility: 13, wits: 14}\n"
                                                "skills: [tracking, ambush]\nxp: 250\n")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in again.json()["diagnostics"] if d["file"].endswith("w.yaml")] == [], again.json()


def test_a_skill_above_the_level_of_a_hero_writing_her_level_is_hinted_with_both(project_factory):
    """HF0407 said "Level 3 needs 250 XP." to a hero writing `level: 2` and 120 XP: the
    XP raised as it says, `level: 2` then disagreed with it (HF0410) and the skill was
    still above level 2. The hint names both fields now; followed, nothing is left."""
    hero = "name: W\nattributes: {agility: 13}\nskills: [tracking, ambush]\nxp: 120\nlevel: 2\n"
    root = project_factory({"schemas/skills.yaml": SKILLS.replace("min_level: 2", "min_level: 3"),
                            "content/heroes/w.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d["code"] for d in run.json()["diagnostics"] if d["file"].endswith("w.yaml")] == ["HF0407"], run.json()
    [hint] = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0407" and d["file"].endswith("w.yaml")]
    assert hint == "Level 3 needs 250 XP: write `xp: 250` and `level: 3`, or remove `level:`.", hint
    (root / "content/heroes/w.yaml").write_text(hero.replace("xp: 120\nlevel: 2", "xp: 250\nlevel: 3"))
    again = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in again.json()["diagnostics"] if d["file"].endswith("w.yaml")] == [], again.json()


def test_a_level_above_the_highest_is_hinted_with_the_level_its_xp_gives(project_factory):
    """HF0412 said "Use a level from 1 to max_level" to a hero writing `level: 6` (of
    five) with 0 XP: followed (`level: 5`), the level disagreed with the XP (HF0410). It
    names the level the XP gives now; followed, nothing is left."""
    root = project_factory({"content/heroes/w.yaml": "name: W\nlevel: 6\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    [hint] = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0412"]
    written = re.search(r"`(level: \d+)`", hint).group(1)
    assert written == "level: 1", hint
    (root / "content/heroes/w.yaml").write_text(f"name: W\n{written}\n")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in again.json()["diagnostics"] if d["file"].endswith("w.yaml")] == [], again.json()
