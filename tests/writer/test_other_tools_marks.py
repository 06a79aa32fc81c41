"""Inline marks of other tools' Markdown that foundry's does not have — Obsidian's and
pandoc's `==highlight==`, pandoc's `~subscript~` (a strikethrough on GitHub, where one
tilde strikes too) and `^superscript^` — were published as typed, marks and all, in
every output, with check clean, where a footnote, an HTML comment or a definition list
is HF0124. Each is HF0124 where it is typed, in a story and in a YAML prose field alike,
the hint in foundry's Markdown. `~~two tildes~~` is foundry's strikethrough; a lone
mark (`~5 minutes`, `a == b`, `2^10`), one with a space inside its pair, a range
(`3~5일, 10~20명`) and code are text; one holding emphasis or a link is said too."""

from __future__ import annotations

import json

from support import check_within, foundry

HERO = b"""name: Rook Amsel
attributes: {agility: 13}
background: |
  Rook grew up on the marsh road, ==fast== and
  quiet, about ~5 minutes from a == b and 2^10 `==code==`.

  Home in 3~5\xec\x9d\xbc, 10~20\xeb\xaa\x85.
"""

STORY = b"""---
title: Marks
start: a
protagonist: first-hero
summary: Water is H~2~O.
---

## Start {#a}

This is ~~struck~~ and ~sub~ and ^sup^ and
==marked== text; a ~ b ~ c stays, ==**very** near==.

- [Go](#b)

## End {#b .ending}

Done.
"""


def test_other_tools_inline_marks_are_said_where_they_are_typed(project_factory):
    root = project_factory({"content/heroes/first-hero.yaml": HERO, "content/stories/marks.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["hint"]) for d in run.json()["diagnostics"]
                   if d["code"] == "HF0124")
    assert found == [
        ("first-hero.yaml", 4, 35, "Write emphasis or strong for words to stand out: `*fast*` or `**fast**`."),
        ("marks.md", 5, 20, "For a strikethrough write two tildes, `~~2~~`; for a subscript, the characters themselves "
                            "(H₂O)."),
        ("marks.md", 10, 24, "For a strikethrough write two tildes, `~~sub~~`; for a subscript, the characters "
                             "themselves (H₂O)."),
        ("marks.md", 10, 34, "Write the characters themselves (mc², 1ˢᵗ), or the words plainly."),
        ("marks.md", 11, 1, "Write emphasis or strong for words to stand out: `*marked*` or `**marked**`."),
        ("marks.md", 11, 35, "Write emphasis or strong for words to stand out: `***very** near*` or "
                             "`****very** near**`."),   # markup inside: was skipped as if escaped
    ], run.stdout
    assert run.code == 0, run.stdout


TITLED = b"""---
title: The ==Fog== Road
start: a
protagonist: first-hero
---

## Start^2^ with `==code==`, \\==escaped== and ~~struck~~ {#a}

Go on: \\=\\=asked for\\=\\=, H\\~2\\~O, &#61;&#61;x&#61;&#61; (as `foundry import` writes them).

- [Take H~2~O, a == b, 5~10 or 20~30](#b)
- [Or over the <b>old</b>
  ==bridge==](#b){id="w"}

## End {#b .ending}

Done.
"""


def test_other_tools_inline_marks_in_titles_names_and_choices_are_said(project_factory):
    # a title, a heading, a choice, a hero's name and the world's title: each was published
    # with its marks as typed in every output, check clean, where prose says them (HF0124);
    # the characters asked for (escaped, an entity) are no slip in prose either (they were
    # said at the paragraph's first column: an imported Twine story's `==x==`)
    root = project_factory({"content/heroes/first-hero.yaml": b"name: Rook ==Amsel==\nattributes: {agility: 13}\n",
                            "content/stories/marks.md": TITLED})
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('title = "', 'title = "The ~Marsh~ '))
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"].rsplit("/", 1)[-1], d["line"], d["column"], d["message"].split(" is ", 1)[0])
                   for d in run.json()["diagnostics"] if d["code"] == "HF0754")
    assert found == [
        ("first-hero.yaml", 1, 12, "`==Amsel==` in a name or title"),
        ("foundry.toml", 2, 14, "`~Marsh~` in the world's title"),
        ("marks.md", 2, 12, "`==Fog==` in a name or title"),
        ("marks.md", 7, 9, "`^2^` in a name or title"),
        ("marks.md", 11, 10, "`~2~` in a choice"),
        ("marks.md", 13, 3, "`==bridge==` in a choice"),   # a choice's words wrapped: at its line, the tag above said too
    ], run.stdout
    assert [(d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF0536"] == [(12, 16)], run.stdout
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF0124"], run.stdout
    assert run.code == 0, run.stdout


def test_a_mark_holding_markup_is_looked_for_in_linear_time(project_factory):
    """A mark holding inline markup is looked for as typed, the markup's place anything:
    looked for with a pattern of as many `.*?`, a mark of thirty emphasised words across
    a line break (never on one line as typed) backtracked for minutes in `foundry check`.
    Said where it holds on one line; not said, and at once, where it does not."""
    story = STORY.replace(b"Done.", b"==" + b" ".join([b"*a*"] * 30) + b" a\na a==\n\n==" + b" ".join([b"*b*"] * 30)
                          + b"==")
    root = project_factory({"content/heroes/first-hero.yaml": HERO, "content/stories/marks.md": story})
    proc = check_within(root, 20)
    found = [(d["line"], d["column"]) for d in json.loads(proc.stdout)["diagnostics"]
             if d["code"] == "HF0124" and "*b*" in d["message"]]
    assert found == [(20, 1)], proc.stdout
