"""A list written where a mapping belongs, or the other way round, is HF0201 with a
hint made of the writer's own value. Every list field's hint was "for example
`[ambush, tracking]`": under `relationships:` or `objectives:` (lists of mappings)
followed as told it was the next error, and `variables:` written as `- crossed: false`
was told to write "key: value pairs on the lines below it", which it had."""

from __future__ import annotations

from support import foundry

HERO = """\
name: Wren
skills: ambush, tracking
items: lantern
relationships:
  with: old-guide
  kind: mentor
"""
QUEST = """\
title: Bells
objectives:
  id: ring
  text: Ring the bell
"""
STORY = """\
---
title: Fog
start: a
characters: old-guide
variables:
  - crossed: false
---

## A {#a .ending}

Fog.
"""


def test_a_list_or_mapping_in_the_wrong_shape_is_told_with_the_writers_own_value(project_factory):
    root = project_factory({"content/heroes/wren.yaml": HERO, "content/quests/bells.yaml": QUEST,
                            "content/stories/fog.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {(d["file"].rsplit("/", 1)[1], d["line"]): d["hint"] for d in run.json()["diagnostics"]
             if d["code"] == "HF0201"}
    assert hints == {
        ("wren.yaml", 2): "Write a list, in brackets: `[ambush, tracking]`.",
        ("wren.yaml", 3): "Write a list, in brackets: `[lantern]`.",
        ("wren.yaml", 5): "Make it a list of one: write `- ` before `with:` and indent the keys below it two more "
                          "spaces, to line up with it (or on one line, `[{with: old-guide, kind: mentor}]`).",
        ("bells.yaml", 3): "Make it a list of one: write `- ` before `id:` and indent the keys below it two more "
                           "spaces, to line up with it (or on one line, `[{id: ring, text: Ring the bell}]`).",
        ("fog.md", 4): "Write a list, in brackets: `[old-guide]`.",
        ("fog.md", 6): "Remove the `- ` before each key: a mapping's keys are written without it "
                       "(`crossed: false`), each indented by two spaces.",
    }, run.stdout


def test_an_empty_value_is_told_to_be_written_not_quoted(project_factory):
    """`title:` with nothing after it was "Put the value in quotes if it should be
    text" — of a value that is not there."""
    story = "---\ntitle:\nstart: a\n---\n\n## A {#a .ending}\n\nFog.\n"
    root = project_factory({"content/stories/empty.md": story, "content/heroes/empty.yaml": "name: E\nxp:\n"})
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {(d["file"].rsplit("/", 1)[1], d["line"]): d["hint"] for d in run.json()["diagnostics"]
             if d["code"] == "HF0201"}
    assert hints == {
        ("empty.md", 2): "`title:` is empty: write text after it on the same line. (`null` and `~` are nothing "
                         "too; in quotes they are text.)",
        ("empty.yaml", 2): "`xp:` is empty: write a whole number after it on the same line (`xp: 12`), or remove "
                           "the line if it has none.",
    }, run.stdout


def test_a_pair_typed_with_equals_or_a_bare_colon_is_told_the_pair_to_write(project_factory):
    """`attributes:` then `  strength = 14` (or `wits:12`, `wits 12`): YAML reads the pairs as one
    text, and the hint was "write its `key: value` pairs on the lines below it, each
    indented by two spaces", which the writer had done. It names the pairs now, each
    with a colon and a space; followed, the hero checks clean."""
    hero = "name: Wren\nattributes:\n  strength = 10\n  agility=9\n"
    character = "name: Tom\nattributes:\n  wits:9\n"
    root = project_factory({"content/heroes/wren.yaml": hero, "content/characters/tom.yaml": character,
                            "content/heroes/kit.yaml": "name: Kit\nattributes:\n  wits 9\n"})
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {d["file"].rsplit("/", 1)[1]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0201"}
    assert hints == {
        "wren.yaml": "Write `strength: 10`, `agility: 9` on lines of their own below it, indented by two spaces: "
                     "a key and its value are joined by a colon and a space, not `=`.",
        "tom.yaml": "Write `wits: 9` on its own line below it, indented by two spaces: a key and its value are "
                    "joined by a colon and a space, not a colon alone.",
        "kit.yaml": "Write `wits: 9` on its own line below it, indented by two spaces: a key and its value are "
                    "joined by a colon and a space, not a space alone."}, hints
    (root / "content/heroes/wren.yaml").write_text("name: Wren\nattributes:\n  strength: 10\n  agility: 9\n")
    (root / "content/characters/tom.yaml").write_text("name: Tom\nattributes:\n  wits: 9\n")
    (root / "content/heroes/kit.yaml").write_text("name: Kit\nattributes:\n  wits: 9\n")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert [d for d in again.json()["diagnostics"] if d["severity"] == "error"] == [], again.stdout


def test_a_pair_typed_with_equals_in_braces_is_one_finding_with_the_pair_to_write(project_factory):
    """`attributes: {strength = 10}`: YAML reads the key `strength = 10` with no value. It
    was two errors, "not a valid name, write it as `strength_10`" and "`strength = 10:` is
    empty: write a whole number after it (`strength = 10: 12`)", each a new error followed.
    It is one now, at the key, with the pair to write."""
    root = project_factory({"content/heroes/wren.yaml": "name: Wren\nattributes: {strength = 10, agility=9, wits 9}\n"})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = [(d["code"], d["column"], d["hint"]) for d in run.json()["diagnostics"]
             if d["file"].endswith("wren.yaml") and d["severity"] == "error"]
    assert found == [("HF0201", 14, "Write `strength: 10`: a colon and a space, not `=`."),
                     ("HF0201", 29, "Write `agility: 9`: a colon and a space, not `=`."),
                     ("HF0201", 40, "Write `wits: 9`: a colon and a space, not a space alone.")], found
    (root / "content/heroes/wren.yaml").write_text("name: Wren\nattributes: {strength: 10, agility: 9, wits: 9}\n")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert [d for d in again.json()["diagnostics"] if d["severity"] == "error"] == [], again.stdout
