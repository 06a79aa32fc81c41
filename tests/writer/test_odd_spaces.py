"""A space YAML does not read as one, typed where YAML's syntax needs a space: a
no-break space after a key's colon (Option+Space on a Mac, a word processor), after a
list item's `-`, in a line's indentation, or an input method's full-width space U+3000.
The writer sees a space; check said "line 9 (`xp: 120`) has no `:` after its key", "'skills'
should be a list, not text" or "unknown field '  xp'". Each is now HF0101 at the
character, naming it, and every one in the file is said at once. The same character inside
a value (French `Capitaine :`, a line of a `|` block) changes only the text: not named."""

from __future__ import annotations

import re

from support import diagnostics, foundry

QUEST = """\
title: Through the Fog
status: draft
summary: |
  Capitaine\u202f: go.
  Note:\u00a0the bell.
  \u00a0An indented line of text.
giver: old-guide
objectives:
  - id:\u00a0cross
    text: Reach the far bank
    done_when: crossed
rewards:
\u00a0\u00a0xp: 50
"""


def test_a_space_yaml_does_not_read_is_named_at_its_column(project_factory):
    root = project_factory({"content/quests/first-quest.yaml": QUEST})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    lines = text.splitlines()
    xp = next(k for k, line in enumerate(lines, 1) if line.startswith("xp: "))
    hero.write_text(text.replace("\nxp: ", "\nxp:\u3000", 1), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert sorted(diagnostics(run)) == sorted([
        f"HF0101 content/heroes/first-hero.yaml:{xp}:4",
        "HF0101 content/quests/first-quest.yaml:9:8",
        "HF0101 content/quests/first-quest.yaml:13:1"])
    said = {(d["file"], d["line"]): d for d in run.json()["diagnostics"]}
    first = said["content/heroes/first-hero.yaml", xp]
    assert first["message"] == "a U+3000 IDEOGRAPHIC SPACE after the `:` of `xp`, which YAML does not read as a space"
    assert "`xp: …`" in first["hint"]
    assert "NO-BREAK SPACE indents line 13" in said["content/quests/first-quest.yaml", 13]["message"]


def test_a_list_item_after_a_no_break_space_is_named_not_read_as_text(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert "\nskills: [ambush]" in text
    hero.write_text(text.replace("\nskills: [ambush]", "\nskills:\n  -\u00a0ambush"), encoding="utf-8")
    line = text.split("\nskills: [ambush]")[0].count("\n") + 3
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == [f"HF0101 content/heroes/first-hero.yaml:{line}:4"]
    assert "after the `-` of a list item" in run.json()["diagnostics"][0]["message"]


def test_no_break_spaces_inside_values_are_text(project_factory):
    clean = QUEST.replace("id:\u00a0cross", "id: cross").replace("\u00a0\u00a0xp", "  xp")
    root = project_factory({"content/quests/first-quest.yaml": clean})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0101")]


# A Japanese paragraph opens with a full-width space: each line of this block does,
# the first one too (which sets the block's indentation)
JAPANESE = "background: |\n" + "".join(f"  \u3000霧の道、第{n}段。\n" for n in range(1, 25))


def test_a_block_whose_lines_open_with_an_ideographic_space_is_text(project_factory):
    """Each line of a `|` block opening with U+3000 (a Japanese paragraph's indent): made
    a space, the first line set the block's indentation one deeper, so every later
    line's U+3000 seemed to end the block: HF0101 at lines 2-21 of the block (the
    first twenty), the whole file unread, and the real slip below it (`xp:` + U+00A0)
    not said at all. Now only that slip, once; the same block alone is clean."""
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    body = text.replace("\nxp: 120", "") + JAPANESE
    hero.write_text(body + "xp:\u00a0120\n", encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest_text = quest.read_text(encoding="utf-8")
    assert "\nsummary:" in quest_text
    quest.write_text(re.sub(r"(?m)^summary:.*(\n  .*)*\n", JAPANESE.replace("background", "summary"), quest_text),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    xp = len(body.splitlines()) + 1
    assert sorted(diagnostics(run)) == [f"HF0101 content/heroes/first-hero.yaml:{xp}:4"]


def test_a_no_break_space_after_a_key_in_a_flow_mapping_is_named(project_factory):
    """`attributes: {agility:` + U+00A0 + `13}`: YAML read the key `agility: 13` (no `:`
    followed by a space), said as "the key 'agility 13' is not a valid name" with the
    hint `agility_13`, and the attribute as missing. Now HF0101 at the character, in a
    flow mapping inside a list item too; one in a quoted `{…}` is text."""
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert "attributes: {agility: 13" in text and "  - {with: old-guide" in text
    text = text.replace("attributes: {agility: 13", "attributes: {agility:\u00a013", 1).replace(
        "  - {with: old-guide", "  - {with:\u3000old-guide", 1)
    text = re.sub(r"(?m)^title: .*$", 'title: "Scout {of:\u00a0the} Marsh"', text, count=1)
    hero.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    attributes = next(n for n, line in enumerate(lines, 1) if line.startswith("attributes:"))
    relation = next(n for n, line in enumerate(lines, 1) if line.startswith("  - {with:"))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert sorted(diagnostics(run)) == sorted([f"HF0101 content/heroes/first-hero.yaml:{attributes}:22",
                                               f"HF0101 content/heroes/first-hero.yaml:{relation}:11"])
    said = {d["line"]: d["message"] for d in run.json()["diagnostics"]}
    assert said[attributes].startswith("a U+00A0 NO-BREAK SPACE after the `:` of `agility`")


def test_a_no_break_space_after_a_number_is_named_and_its_hint_holds(project_factory):
    """`xp: 120` with a no-break space after it (a word processor's, invisible) is text:
    HF0201's hint said "Write the number without quotes: `120`, not `"120"`" to a writer
    who had typed no quotes. It names the character and the value to write; followed,
    the hero is clean."""
    root = project_factory()
    path = root / "content/heroes/first-hero.yaml"
    hero = path.read_text(encoding="utf-8")
    assert "xp: 120\n" in hero and "agility: 13" in hero
    path.write_text(hero.replace("xp: 120\n", "xp: 120\u00a0\n").replace("agility: 13", "agility: 13\u202f"),
                    encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted((d["code"], d["line"], d["hint"]) for d in run.json()["diagnostics"])
    assert [(code, hint) for code, _, hint in said] == [
        ("HF0201", "Delete the character nobody can see (after '13' comes a U+202F NARROW NO-BREAK SPACE): it makes "
                   "the value text. Write `13`."),
        ("HF0201", "Delete the character nobody can see (after '120' comes a U+00A0 NO-BREAK SPACE): it makes "
                   "the value text. Write `120`."),
    ], said
    path.write_text(hero, encoding="utf-8")   # followed
    assert foundry("check", "--project", str(root)).code == 0


def test_an_invisible_character_in_a_number_is_said_of_a_number(project_factory):
    """`xp: 1\\u200b20` (a zero-width space pasted into the number) was "U+200B ZERO WIDTH
    SPACE in 'xp' is not allowed in prose", of a number field. It says a number now;
    its hint followed (deleted), the hero is clean."""
    root = project_factory()
    path = root / "content/heroes/first-hero.yaml"
    hero = path.read_text(encoding="utf-8")
    path.write_text(hero.replace("xp: 120\n", "xp: 1\u200b20\n"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["message"], d["hint"]) for d in run.json()["diagnostics"]]
    assert [(c, m) for c, m, _ in said] == [
        ("HF0132", "U+200B ZERO WIDTH SPACE in 'xp' is not allowed in a number")], said
    assert said[0][2].startswith("Delete it")
    path.write_text(hero, encoding="utf-8")   # followed
    assert foundry("check", "--project", str(root)).code == 0
