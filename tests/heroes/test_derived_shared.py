"""A hero's derived stats are made once per distinct set of attribute values under one
rule book (heroes/sheet.py `_derived_shared`): a cold check at 10,000 heroes computes
every sheet in the parse pool's parent, and its heroes hold ~5,000 value sets. What a
failing formula reports names each hero, so such rows are never shared."""
from __future__ import annotations

import re

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.heroes import sheet
from support import diagnostics, foundry

HERO = "name: {name}\nstatus: draft\nattributes: {{agility: {agility}, wits: {wits}}}\nxp: 120\n"


def _heroes(*values: tuple[str, int, int]) -> dict[str, str]:
    return {f"content/heroes/{name}.yaml": HERO.format(name=name.title(), agility=agility, wits=wits)
            for name, agility, wits in values}


def test_heroes_with_the_same_values_share_one_computation_and_get_the_same_stats(project_factory, monkeypatch):
    root = project_factory({**_heroes(("ash", 12, 9), ("birch", 12, 9), ("cedar", 12, 9), ("dale", 14, 9))})
    made = []
    real = sheet.derived_by_level
    monkeypatch.setattr(sheet, "derived_by_level", lambda entry, attributes, *rest: made.append(entry.id) or
                        real(entry, attributes, *rest))
    diags = Diagnostics()
    world = check(root, diags)
    assert world is not None and not diags.errors
    heroes = ("ash", "birch", "cedar", "dale", "first-hero")
    assert sorted(made) == sorted(set(made)) and len(made) == 3, made   # ash's values, dale's, first-hero's
    # each sheet's rows are those its own values give
    for hid in heroes:
        own = world.sheets[hid]
        assert own.derived_by_level == real(world.heroes[hid], own.attributes, world.rules, Diagnostics())
    assert world.sheets["ash"].derived_by_level == world.sheets["cedar"].derived_by_level
    assert world.sheets["ash"].derived_by_level != world.sheets["dale"].derived_by_level
    shown = {hid: foundry("hero", hid, "--format", "json", cwd=root).json()["derived"] for hid in ("birch", "dale")}
    assert {d["id"]: d["value"] for d in shown["birch"]}["defense"] == 10 + 12 // 2
    assert {d["id"]: d["value"] for d in shown["dale"]}["defense"] == 10 + 14 // 2


def test_a_failing_formula_is_reported_for_each_hero_with_those_values(project_factory):
    attributes = (project_factory(base="minimal", name="rules") / "schemas/attributes.yaml").read_text(encoding="utf-8")
    failing = attributes.replace('formula: "10 + agility // 2"', 'formula: "10 + agility // (wits - 9)"')
    assert failing != attributes
    root = project_factory({"schemas/attributes.yaml": failing, **_heroes(("ash", 12, 9), ("birch", 12, 9))})
    run = foundry("check", "--format", "json", cwd=root)
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0411"]
    assert sorted(re.search(r"fails for (\S+) at level", d["message"])[1] for d in found) == ["ash", "birch"], found
    assert len([d for d in diagnostics(run) if d.startswith("HF0411")]) == 2


def test_the_hint_of_a_formula_past_the_largest_number_followed_leaves_it_working(project_factory):
    """A formula too large at the attributes' maximum (`wits * wits` with wits up to
    10^12) is HF0411; its hint was the division's (`x / max(1, y)`), which followed
    changes nothing there. It says what to lower now; lowered as it says (the
    attribute's `max`), the rule book checks clean."""
    attributes = (project_factory(base="minimal", name="rules") / "schemas/attributes.yaml").read_text(encoding="utf-8")
    huge = attributes.replace('formula: "10 + agility // 2"', 'formula: "10 + wits * wits"')
    wide = re.sub(r"(wits:\s*\{[^}]*max: )20", r"\g<1>1000000000000", huge)
    assert wide != huge != attributes
    root = project_factory({"schemas/attributes.yaml": wide})
    run = foundry("check", "--format", "json", cwd=root)
    [found] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0411"]
    assert "too large" in found["message"] and "max(1, y)" not in found["hint"], found
    assert "lower the `max` of the attributes it reads" in found["hint"], found
    (root / "schemas/attributes.yaml").write_text(huge, encoding="utf-8")   # the max lowered back
    assert foundry("check", "--format", "json", cwd=root).code == 0


def test_a_stat_with_no_number_for_a_hero_is_not_judged_as_zero(project_factory):
    """`ratio: 100 // (agility - 5)` fails for a hero with agility 5 (HF0411, once, at
    the formula); her row holds 0 there, and the checks reading the stat judged that
    0: HF0408 "'w' has ratio 0" of a skill requiring `ratio > 3`, and of the story she
    plays, `ratio > 3` "never true" (HF0505) and its scene "can never be reached" (HF0504,
    an error), three more for one slip. Only HF0411 is said now; its hint followed, the
    project checks clean."""
    base = project_factory(base="minimal", name="rules")
    attributes = (base / "schemas/attributes.yaml").read_text(encoding="utf-8") + '  ratio: "100 // (agility - 5)"\n'
    skills = (base / "schemas/skills.yaml").read_text(encoding="utf-8").replace(
        "tracking: {name: Tracking, attribute: wits,", 'tracking: {name: Tracking, attribute: wits, requires: "ratio > 3",')
    story = (base / "content/stories/first-story.md").read_text(encoding="utf-8").replace(
        "agility >= 12", "ratio > 3").replace("protagonist: first-hero", "protagonist: w")
    assert "ratio > 3" in skills and "ratio > 3" in story and "protagonist: w" in story
    root = project_factory({"schemas/attributes.yaml": attributes, "schemas/skills.yaml": skills,
                            "content/stories/first-story.md": story,
                            "content/heroes/w.yaml": "name: W\nattributes: {agility: 5}\nskills: [tracking]\n"})
    run = foundry("check", "--format", "json", cwd=root)
    assert diagnostics(run) == ["HF0411 schemas/attributes.yaml:13:19"], run.stdout
    (root / "schemas/attributes.yaml").write_text(attributes.replace("(agility - 5)", "max(1, agility - 5)"),
                                                  encoding="utf-8")
    assert diagnostics(foundry("check", "--format", "json", cwd=root)) == []
