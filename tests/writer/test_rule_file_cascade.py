"""A slip in a rule file is one error, at the rule file: not also "unknown attribute",
"unknown name", "unknown relationship kind" or "above max_level 1" at every content
file and rule that uses what the file defines, which are right.

A rule file that did not load at all (a number past 2^53, `.inf`, a required field
refused) was dropped, so everything it defined was unknown: `max: .inf` in
attributes.yaml gave 8 more errors in the hero, the template, the story and
skills.yaml. A salvaged file's left-out attribute was still "unknown name" in every
formula, requirement and story condition reading it (expr.Scope.unsure)."""

from __future__ import annotations

import pytest

from support import foundry


def errors(root) -> list[tuple[str, str]]:
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1, run.stderr
    return sorted((d["code"], d["file"]) for d in run.json()["diagnostics"] if d["severity"] == "error")


@pytest.mark.parametrize("rel, old, new, code", [
    # did not load: every attribute unknown to heroes, templates, formulas, skills, stories
    ("schemas/attributes.yaml", "max: 20, default: 8}", "max: .inf, default: 8}", "HF0160"),
    # salvaged without agility: read by defense's formula, ambush's requirement, a story condition
    ("schemas/attributes.yaml", "{name: Agility, min: 1,", '{name: Agility, min: "x",', "HF0201"),
    # max_level unknown: ambush's min_level 2 was "above max_level 1"
    ("schemas/progression.yaml", "max_level: 5", "max_level: .inf", "HF0160"),
    ("schemas/progression.yaml", "max_level: 5", 'max_level: "x"', "HF0201"),
    ("schemas/progression.yaml", "450, 700]", "450, 1e400]", "HF0160"),
    # missing: HF0401 there, and ambush's min_level 2 was "above max_level 1" at skills.yaml
    ("schemas/progression.yaml", "max_level: 5", None, "HF0401"),
    # every kind unknown to the hero and the character using them
    ("schemas/relationships.yaml", "{name: Mentor, inverse: apprentice}",
     "{name: Mentor, inverse: apprentice, x: .inf}", "HF0160"),
])
def test_a_rule_file_slip_is_one_error_at_the_rule_file(project_factory, rel, old, new, code):
    root = project_factory()
    path = root / rel
    text = path.read_text()
    assert text.count(old) >= 1, (rel, old)
    if new is None:
        path.unlink()
    else:
        path.write_text(text.replace(old, new))
    found = errors(root)
    assert {file for _, file in found} == {rel} and {c for c, _ in found} == {code}, found


def test_a_derived_formula_in_error_is_not_unknown_where_it_is_read(project_factory):
    """`defense` whose formula does not parse: a story condition reading it said
    "unknown name 'defense'" too."""
    root = project_factory()
    attributes = root / "schemas/attributes.yaml"
    attributes.write_text(attributes.read_text().replace('"10 + agility // 2"', '"10 + agility // "'))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace('if="agility >= 12"', 'if="defense >= 12"'))
    assert errors(root) == [("HF0601", "schemas/attributes.yaml")]


def test_what_a_good_rule_book_lacks_is_still_unknown(project_factory):
    """Only what a rule file in error lost is spared: a name no rule file wrote is
    still "unknown name" in a story, and a level past a max_level that loaded is still
    HF0412."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace('if="agility >= 12"', 'if="agilty >= 12"'))
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: 120", "xp: 120\nlevel: 9"))
    assert errors(root) == [("HF0412", "content/heroes/first-hero.yaml"),
                            ("HF0602", "content/stories/first-story.md")]


def test_a_check_after_the_rule_file_was_missing_says_the_same(project_factory):
    """The rule book's memo key (what cached hero sheets are kept under) named only
    the files read: attributes.yaml missing and attributes.yaml there but unreadable
    were one key, so the next check replayed the first one's HF0309s."""
    root = project_factory()
    attributes = root / "schemas/attributes.yaml"
    text = attributes.read_text()
    attributes.unlink()
    assert ("HF0309", "content/heroes/first-hero.yaml") in errors(root)
    attributes.write_text(text.replace("max: 20, default: 8}", "max: .inf, default: 8}"))
    assert {file for _, file in errors(root)} == {"schemas/attributes.yaml"}


def test_a_name_refused_for_a_capital_letter_hides_no_other_slip(project_factory):
    """`Wits:` beside `wits:` in attributes.yaml is HF0204 (a name is lowercase). The
    salvage read a key starting with a capital as the name pydantic gives a union member
    and left the whole `attributes` field out: the file did not load, and the other
    attribute's slip in it, the hero's value out of range and the derived stat named as
    an attribute went unsaid until the capital was fixed. Each is said at once now."""
    root = project_factory()
    attributes = root / "schemas/attributes.yaml"
    text = attributes.read_text()
    wits = "  wits:         {name: Wits, min: 1, max: 20, default: 8}\n"
    assert wits in text
    attributes.write_text(text.replace(wits, wits + "  Wits: {name: Wits, min: 1, max: 20, default: 8}\n"
                                              "  luck: {name: Luck, min: 5, max: 1, default: 3}\n")
                          + '  strength: {name: Strength, formula: "1"}\n')
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("constitution: 10}", "constitution: 10, wits: 99}"))
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["code"], d["file"], d["message"]) for d in run.json()["diagnostics"] if d["severity"] == "error")
    assert [(code, file) for code, file, _ in found if code != "HF0405"] == [
        ("HF0204", "schemas/attributes.yaml"), ("HF0401", "schemas/attributes.yaml"),
        ("HF0401", "schemas/attributes.yaml"), ("HF0404", "content/heroes/first-hero.yaml")], found
    assert any("'luck': min 5 is above max 1" in m for *_, m in found)
    assert any("derived stat 'strength' has the name of an attribute" in m for *_, m in found)
