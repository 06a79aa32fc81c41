"""A field typed at the indentation of a block's text (`skills: [tracking]` on the last line
of `background: |`) is, to YAML, one more line of that text: the hero was published with the
line as her words and without the field, check clean. HF0187 (a warning) at each such line
that names a field of the file (or a near miss of one); the writer's own `Note: x` or a
lowercase word that names no field is text, and is not said. Every hint, followed as
written, gives a clean check."""

from __future__ import annotations

from support import ROOTS, foundry

MINIMAL = ROOTS / "minimal"
BACKGROUND = "  Rook grew up on the marsh road, where the *fog* decides who arrives.\n"


def _said(root) -> list[tuple]:
    run = foundry("check", "--project", str(root), "--format", "json")
    return [(d["file"].rsplit("/", 1)[-1], d["line"], d["column"], d["message"].split(" ", 1)[0], d["hint"])
            for d in run.json()["diagnostics"] if d["code"] == "HF0187"]


def test_a_field_typed_inside_a_blocks_text_is_said_and_its_hint_followed_is_clean(project_factory):
    hero = (MINIMAL / "content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
        BACKGROUND, BACKGROUND + "  note: the marsh is cold, and this line is her words\n"
                                 "  tags: [marsh]\n  skills: [tracking]\n")
    story = (MINIMAL / "content/stories/first-story.md").read_text(encoding="utf-8").replace(
        "summary: A short crossing with two ways to end.",
        "summary: >\n  A short crossing\n  with two ways to end.\n  protagonst: first-hero")
    character = (MINIMAL / "content/characters/old-guide.yaml").read_text(encoding="utf-8")
    root = project_factory({"content/heroes/first-hero.yaml": hero, "content/stories/first-story.md": story,
                            "content/characters/old-guide.yaml": character.rstrip("\n")
                            + "\n  Note: he never says why.\n"})
    said = _said(root)
    assert [s[:4] for s in said] == [
        ("first-hero.yaml", 14, 3, "`tags:`"), ("first-hero.yaml", 15, 3, "`skills:`"),
        ("first-story.md", 7, 3, "`protagonst:`"),
    ], said
    hints = [s[4] for s in said]
    assert "delete the 2 spaces before it, so that it starts where `background:` does" in hints[0], hints
    assert "this file has `skills:` already (line 7)" in hints[1], hints
    assert "this file has `protagonist:` already (line 9)" in hints[2], hints
    # each hint followed: `tags:` moved out, the skill written into the `skills:` the hero
    # has, the story's line deleted
    (root / "content/heroes/first-hero.yaml").write_text(
        hero.replace("  tags: [marsh]\n  skills: [tracking]\n", "tags: [marsh]\n").replace(
            "skills: [ambush]", "skills: [ambush, tracking]"), encoding="utf-8")
    (root / "content/stories/first-story.md").write_text(story.replace("\n  protagonst: first-hero", ""),
                                                         encoding="utf-8")
    run = foundry("check", "--project", str(root))
    assert run.code == 0 and "No problems found" in run.stderr, run.stdout + run.stderr


def test_a_block_with_an_indentation_indicator_is_read_at_its_own_indentation(project_factory):
    """`background: |2` whose first line is indented more (a quotation set in): the block's
    indentation was taken from that first line, so `skills: [tracking]` at the block's own
    was read from the middle of the word: "`ills:` … start it with a capital letter
    (`Ills:`)", at column 5. Now it is `skills:`, at the column it starts at."""
    hero = (MINIMAL / "content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
        BACKGROUND, "    \"The fog decides.\"\n" + BACKGROUND + "  skills: [tracking]\n").replace(
        "background: |", "background: |2")
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    said = _said(root)
    assert [s[:4] for s in said] == [("first-hero.yaml", 14, 3, "`skills:`")], said
    assert "this file has `skills:` already (line 7)" in said[0][4] and "(`Skills:`)" in said[0][4], said


def test_a_quoted_keys_block_is_told_the_spaces_that_make_the_line_a_field(project_factory):
    """`"background": >-` (a key quoted, as converters from JSON write it): its column is
    inside the quotes, so `tags: [marsh]` was told to delete 1 space of its 2, which,
    followed, is no YAML. Now the 2 spaces, and followed: clean."""
    hero = (MINIMAL / "content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
        "background: |\n" + BACKGROUND, '"background": >-\n' + BACKGROUND + "  tags: [marsh]\n")
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    said = _said(root)
    assert [s[:4] for s in said] == [("first-hero.yaml", 13, 3, "`tags:`")], said
    assert "delete the 2 spaces before it" in said[0][4], said
    (root / "content/heroes/first-hero.yaml").write_text(hero.replace("  tags: [marsh]", "tags: [marsh]"),
                                                         encoding="utf-8")
    run = foundry("check", "--project", str(root))
    assert run.code == 0 and "No problems found" in run.stderr, run.stdout + run.stderr
