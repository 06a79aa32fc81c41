"""`[Guard]: Halt!` on a line of its own is a link reference definition to CommonMark
(a label, a colon, an address without a space), and a definition is never shown: a
script's dialogue written so vanished from the site, the books, ink, Twee and the
JSON, line after line, with check clean. HF0174 (a warning) at each definition no link
names; one a link uses (`[the map][map]`, `[map]`) is not said."""

from __future__ import annotations

import json

from support import diagnostics, foundry, with_background

STORY = """\
---
title: Gate
start: gate
---

## The Gate {#gate}

The guard steps out.

[Guard]: Halt!
[Aria]: Friend.

See [the map][map] and the [tide].

[map]: https://example.com/map
[tide]: https://example.com/tide

- [Walk on](#bank)

## The Far Bank {#bank .ending}

Dry ground.
"""


def test_a_definition_no_link_uses_is_said_at_its_line(project_factory):
    root = project_factory({"content/stories/gate.md": STORY})
    row = with_background(root, "Rook answers the gate.\n\n[Rook]: Coming!\n") + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0174"))
    assert found == [f"HF0174 content/heroes/first-hero.yaml:{row}:3",
                     "HF0174 content/stories/gate.md:10:1", "HF0174 content/stories/gate.md:11:1"], found
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0174"}
    assert "'[Guard]: Halt!' is read as a link definition no link uses: the line is shown in no output" in said

    # what it says is so: the lines are in no output, the used links are
    build = foundry("build", "--project", str(root), "--only", "html,json")
    assert build.code == 0, build.stderr
    scene = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"][0]
    assert "Halt" not in scene["text"] and "Friend" not in scene["text"]
    assert 'href="https://example.com/map"' in scene["html"] and 'href="https://example.com/tide"' in scene["html"]


def test_an_escaped_bracket_shows_the_line_and_is_not_said(project_factory):
    story = STORY.replace("[Guard]: Halt!\n[Aria]: Friend.", "\\[Guard]: Halt!\n\\[Aria]: Friend.")
    root = project_factory({"content/stories/gate.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0174")], diagnostics(run)
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    scene = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"][0]
    assert "[Guard]: Halt! [Aria]: Friend." in scene["text"], scene["text"]


def test_a_title_on_the_line_below_is_said_with_its_definition(project_factory):
    # `[Guard]: Halt` then `"Who goes there?"`: the quoted line is the definition's
    # title, in no output either; the message said only "the line"
    story = STORY.replace("[Guard]: Halt!\n[Aria]: Friend.", '[Guard]: Halt\n"Who goes there?"')
    root = project_factory({"content/stories/gate.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    said = [(d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0174"]
    assert said == [(10, "'[Guard]: Halt' is read as a link definition no link uses: it and the line below it "
                         "(its title) are shown in no output")], said
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    scene = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"][0]
    assert "Who goes there" not in scene["text"]


def test_a_definition_under_a_line_of_text_is_said(project_factory):
    """CommonMark lets no definition interrupt a paragraph: `[tide]: https://…` typed
    on the line under text was that paragraph's text, and it and each `[tide]` naming it
    were shown as typed, brackets and all, with check clean. HF0180 at the line when a
    link names its label; a script's lines under text (`[Guard]: Halt!`, each naming the
    other speaker's label, none a link, also in its words: `[Aria]: Easy, [Guard].`) are
    text as meant and not said."""
    story = STORY.replace("The guard steps out.\n\n[Guard]: Halt!\n[Aria]: Friend.",
                          "The guard steps out.\n[Guard]: Halt!\n[Aria]: Easy, [Guard]. Friend.\n[Guard]: Pass.")
    story = story.replace("[map]: https://example.com/map\n[tide]: https://example.com/tide",
                          "[map]: https://example.com/map\nThe sea.\n  [tide]: https://example.com/tide")
    root = project_factory({"content/stories/gate.md": story})
    row = with_background(root, "Rook kept [the  Map] close.\n> The sea.\n> [the map]: https://example.com/m\n") + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    said = sorted((d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["message"])
                  for d in run.json()["diagnostics"] if d["code"] in ("HF0180", "HF0174"))
    assert said == [
        ("first-hero.yaml", row, 5, "'[the map]: https://example.com/m' is no link definition: it follows a line "
                                        "of its paragraph, so it and each [the map] naming it are shown as typed"),
        ("gate.md", 17, 3, "'[tide]: https://example.com/tide' is no link definition: it follows a line of its "
                           "paragraph, so it and each [tide] naming it are shown as typed"),
    ], said


def test_a_link_naming_a_label_no_definition_gives_is_said(project_factory):
    """`[the map][mp]` when only `[map]:` is defined (a label mistyped) is no link:
    every output showed the brackets as typed, with check clean. HF0181 at the link,
    with the label it likely meant; in code, escaped, or defined (in any case and
    spacing), nothing is said. Nor of brackets a writer types as prose, which are no
    link attempt and were each said: code across lines, an array's `grid[x][y]`, the
    citations `[1][2]` and a note's mark `[Roll 2d6][3]` (no label of digits defined),
    `[i][j](https://…)` (the text `[i]` and a link) and a footnote `[k][^1]`; past 20
    in a text, one line says the rest."""
    story = STORY.replace("See [the map][map] and the [tide].",
                          "See [the map][mp], [the Tide][], [ok][ MAP ], `[c][d]` and \\[e][f]. Not `a\n"
                          "[g][h]` (code), grid[x][y], [1][2], [Roll 2d6][3], [i][j](https://example.com/i) nor [k][^1].")
    root = project_factory({"content/stories/gate.md": story})
    row = with_background(root, "Rook kept [the chart][chrt].\n\n[chart]: https://example.com/c\n\n"
                          + " ".join(f"[a][b{n}]" for n in range(30)) + "\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    said = sorted((d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["hint"].split("?")[0])
                  for d in run.json()["diagnostics"] if d["code"] == "HF0181")
    assert said[:3] == [("first-hero.yaml", row, 13, "Did you mean [chart]"),
                        ("first-hero.yaml", row + 4, 3, "Define it on a line of its own (`[b0]: https://…`), or "
                                                          "write `\\[` to show the brackets as typed."),
                        ("first-hero.yaml", row + 4, 11, "Define it on a line of its own (`[b1]: https://…`), or "
                                                           "write `\\[` to show the brackets as typed.")], said
    assert said[-2:] == [("gate.md", 13, 5, "Did you mean [map]"), ("gate.md", 13, 20, "Did you mean [tide]")], said
    assert len(said) == 2 + 21, said
    assert "and 11 more like the 20 above in this text" in run.stdout, run.stdout
    build = foundry("build", "--project", str(root), "--only", "json")
    assert build.code == 0, build.stderr
    scene = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"][0]
    assert "[the map][mp]" in scene["text"] and 'href="https://example.com/map" rel="noopener noreferrer">ok</a>' in scene["html"], scene
