"""`## The Road ## {#road}`: a scene heading written with CommonMark's closing `#`s
(`## The Road ##` is titled "The Road") and then its id. The braces stood after the
closing sequence, so Markdown kept the `#`s as text and every output titled the scene
"The Road ##" — the site's heading, the JSON, ink (`# title: The Road \\#\\#`), Twee,
`foundry play` and the translators' line. The `#`s are taken off as CommonMark takes
them off a heading without braces; an escaped `\\#` and a `#` inside the words stay."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from support import foundry

STORY = """\
---
title: Hashes
start: road
---

## The Road ## {#road}

- [On](#gate)

## The Gate \\# {#gate}

- [On](#room)

## Room #4, *east* ### {#room .ending}

Dry ground.
"""


def test_closing_hashes_before_a_scene_id_are_not_part_of_its_title(project_factory):
    root = project_factory({"content/stories/hashes.md": STORY})
    run = foundry("build", "--project", str(root), "--only", "html,json,ink,twee")
    assert run.code == 0, run.stdout + run.stderr
    story = json.loads((root / "build/api/v1/stories/hashes.json").read_text(encoding="utf-8"))["story"]
    titles = {s["id"]: s["title"] for s in story["scenes"]}
    assert titles == {"road": "The Road", "gate": "The Gate #", "room": "Room #4, east"}, titles
    page = lxml_html.parse(str(root / "build/site/stories/hashes.html")).getroot()
    [road] = page.xpath('//h2[@id="scene-road--h"]')
    assert road.text_content().strip() == "The Road"
    [room] = page.xpath('//h2[@id="scene-room--h"]')
    assert [e.text for e in room.xpath("./em")] == ["east"] and "###" not in room.text_content()
    ink = (root / "build/ink/hashes.ink").read_text(encoding="utf-8")
    assert "# title: The Road\n" in ink and "# title: The Gate \\#\n" in ink, ink
    twee = (root / "build/twee/hashes.twee").read_text(encoding="utf-8")
    assert "<h2>The Road</h2>" in twee, twee
    play = foundry("play", "hashes", "--project", str(root), "--choose", "1,1")
    assert "## The Road\n" in play.stdout and "##\n" not in play.stdout.replace("## ", ""), play.stdout


LONE = """\
---
title: Lone hashes
start: gate
---

## The Gate # {#gate}

### Press ZQXP #

> ### Quoted #

### Room ##

### Kept \\#

- [On](#yard)

## The Yard #
"""

BACKGROUND = """\
name: Rook
background: |
  Rook keeps the radio.

  ### Channel #
  Static.
"""


def test_a_lone_closing_hash_the_writer_typed_as_text_is_said_where_it_is(project_factory):
    """`### Press ZQXP #`: one `#` after a space ends a heading opened with more, which
    CommonMark takes off as its closing sequence, so "Press ZQXP #" was "Press ZQXP" in
    every output without a word (a YAML value's ` #1` is HF0177). Said at the `#`, in a
    scene heading, a prose heading (in a quote too) and a background's heading; a run
    of two (`### Room ##`) is the closing style meant, and an escaped `\\#` is text."""
    root = project_factory({"content/stories/lone.md": LONE, "content/heroes/rook.yaml": BACKGROUND})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted((d["file"], d["line"], d["column"], d["message"].split("'")[1])
                  for d in run.json()["diagnostics"] if d["code"] == "HF0179")
    assert said == [("content/heroes/rook.yaml", 5, 15, "Channel"),
                    ("content/stories/lone.md", 6, 13, "The Gate"),
                    ("content/stories/lone.md", 8, 16, "Press ZQXP"),
                    ("content/stories/lone.md", 10, 14, "Quoted"),
                    ("content/stories/lone.md", 18, 13, "The Yard")], said
    [hint] = {d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0179" and d["line"] == 8}
    assert "`### Press ZQXP \\#`" in hint and "`### Press ZQXP ###`" in hint
