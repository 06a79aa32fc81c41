"""A key was placed at its first character as libyaml marks it, with no end: a
misspelt key typed in quotes (`"levl": 2`, as JSON-minded writers and some editors'
snippets write keys) was said at its quote, and a character in a key (a zero-width
space pasted into `agil​ity`) at the key's start, where a value's is said at its own
column. Keys are placed as values are: inside their quotes, with their end."""

from __future__ import annotations

from support import foundry

HERO = """\
name: Rook Amsel
title: Scout
template: scout
attributes: {"agilty": 10, con\u200bstitution: 3}
skills: [ambush]
'levl': 2
"""


def test_a_key_is_said_at_its_own_characters(project_factory):
    root = project_factory({"content/heroes/first-hero.yaml": HERO})
    run = foundry("check", "--project", str(root), "--format", "json")
    lines = HERO.splitlines()
    said = sorted((d["code"], d["line"], d["column"], d.get("end_column")) for d in run.json()["diagnostics"])
    assert [(code, line, column) for code, line, column, _ in said] == [
        ("HF0132", 4, lines[3].index("\u200b") + 1),      # the invisible character itself
        ("HF0202", 6, lines[5].index("levl") + 1),        # inside the quotes
        ("HF0309", 4, lines[3].index("agilty") + 1),
    ], said


def test_an_alias_used_as_a_key_is_said_not_a_crash(project_factory):
    """`*a : 3` (an alias as a key) ended check in 'internal error (AttributeError)':
    placing a key read its quote style, which an alias has not. It is said as every
    anchor is (HF0109), at the anchor, naming the alias's line."""
    hero = HERO + "base: &a agility\n*a : 3\n"
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and "internal error" not in run.stdout + run.stderr
    said = [(d["code"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF0109"]
    assert said == [("HF0109", 7)], run.stdout


def test_a_space_nobody_can_see_in_a_key_is_named(project_factory):
    """A key copied from a word processor carries a no-break space (`background\u00a0:`):
    HF0202 said "unknown field 'background '", the odd space invisible in the message and
    in the line under it. The message names it; following the hint (the key as
    suggested) checks clean."""
    hero = HERO.replace('{"agilty": 10, con\u200bstitution: 3}', "{agility: 13, constitution: 10}").replace("'levl': 2", "xp: 120")
    root = project_factory({"content/heroes/first-hero.yaml": hero + "background\u00a0: Rook.\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["message"], d.get("hint", "")) for d in run.json()["diagnostics"]]
    assert len(said) == 1 and said[0][0] == "HF0202", said
    assert "after 'background' comes a U+00A0 NO-BREAK SPACE" in said[0][1], said
    assert "Did you mean 'background'?" in said[0][2], said
    (root / "content/heroes/first-hero.yaml").write_text(hero + "background: Rook.\n", encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0


def test_a_space_nobody_can_see_in_a_named_key_is_named(project_factory):
    """The same in a key that must be a name (`agility\u202f:` in attributes, HF0204)."""
    hero = HERO.replace('{"agilty": 10, con\u200bstitution: 3}', "{agility\u202f: 13}").replace("'levl': 2", "xp: 120")
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["message"]) for d in run.json()["diagnostics"]]
    assert [code for code, _ in said] == ["HF0204"], said
    assert "the key 'agility\u202f' (after 'agility' comes a U+202F NARROW NO-BREAK SPACE) in 'attributes'" in said[0][1], said


def test_a_character_nobody_can_see_in_a_scene_target_is_named(project_factory):
    """`(#wait\u00ad)`: a soft hyphen pasted into a choice's target was "leads to unknown
    scene 'wait'" as the message showed it; it names the character now, and the hint
    (`wait`) followed checks clean."""
    story_path = "content/stories/first-story.md"
    root = project_factory()
    story = (root / story_path).read_text(encoding="utf-8")
    (root / story_path).write_text(story.replace("(#wait)", "(#wait\u00ad)"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["message"], d.get("hint", "")) for d in run.json()["diagnostics"]]
    assert [code for code, _, _ in said] == ["HF0304"], said
    assert "(after 'wait' comes a U+00AD SOFT HYPHEN)" in said[0][1] and "'wait'" in said[0][2], said
    (root / story_path).write_text(story, encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
