"""HF0408's hint when a skill's `requires` reads skills or items: two skills excluding
each other (`not has_skill('rogue')`) were hinted "Raise the attribute the skill
requires (within the budget)", which no attribute fixes."""

from __future__ import annotations

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
