"""A story's title reaches Twee as written. StoryTitle is plain text to Tweego and
extwee (no markup, no character references), so the export once took every leading
colon off it ('": A Prelude"' became 'A Prelude') to keep a line from starting with
`::`, a passage header. Only `::` at the start is a header; a title opening so is
kept whole behind an unseen WORD JOINER."""

from __future__ import annotations

import json

import pytest

from export_support import run_node
from support import foundry

STORY = """\
---
title: {title}
start: road
---

## The Road {{#road .ending}}

Dry ground.
"""

TITLES = [": A Prelude", ":: Act I :: The Gate", "::", "?!", "[Lamp] | {{ember}} <<x>> // y", "#1: Home"]


@pytest.mark.parametrize("title", TITLES)
def test_a_titles_every_character_reaches_twee(project_factory, node_tools, title):
    root = project_factory({"content/stories/road.md": STORY.format(title=json.dumps(title))})
    run = foundry("build", "--project", str(root), "--only", "twee")
    assert run.code == 0, run.stdout + run.stderr
    answer = run_node("twee_runner.mjs", str(root / "build/twee/road.twee"))
    assert answer["html"]["error"] is None, answer
    names = [p["name"] for p in answer["passages"]]
    assert sorted(names) == ["StoryInit", "road"], names   # no passage made of the title
    # what a reader sees: the name extwee reads and the one the compiled story carries
    for name in (answer["story"]["name"], answer["html"]["story"]["name"]):
        assert name.replace("\u2060", "") == title, (name, title)


VALUED = """\
---
title: Moods
start: road
variables:
  mood: "calm\\n:: wary \\"quoted\\" \\\\ end\\r\\n| x"
---

## The Road {#road .ending}

Dry ground.
"""


def test_a_text_value_with_line_breaks_reaches_sugarcube_as_written_and_ink_says_it_cannot(project_factory, node_tools):
    """A story variable's text holding a line break was written into StoryInit's
    `<<set>>` with the break itself (a JavaScript string SugarCube cannot parse, its
    `::` line turned into `&#58;:`), and into ink as a broken literal. Twee now
    writes `\\n`; ink says HF0612 at the value (an ink string has no line break)."""
    root = project_factory({"content/stories/moods.md": VALUED})
    run = foundry("build", "--project", str(root), "--only", "twee")
    assert run.code == 0, run.stdout + run.stderr
    answer = run_node("twee_player.mjs", str(root / "build/twee/moods.twee"), request={"paths": [[]]})
    assert answer["runs"][0]["errors"] == [], answer
    assert answer["runs"][0]["variables"]["mood"] == 'calm\n:: wary "quoted" \\ end\r\n| x', answer
    ink = foundry("build", "--project", str(root), "--only", "ink")
    assert ink.code == 1 and "content/stories/moods.md:5:" in ink.stderr and "HF0612" in ink.stderr, ink.stderr


MARKED = """\
---
title: "The *Fog* Road"
start: road
---

## The *Lantern* Path &amp; `Co` {#road .ending}

### A *sub* heading

Dry ground.
"""


def test_a_scene_headings_markup_reaches_its_passage_as_the_site_shows_it(project_factory, node_tools):
    """A passage's prose is HTML, and a `###` heading in it kept its `<em>`, while the
    scene's own heading atop the passage was written as plain text: the writer's
    emphasis and code dropped from Twee alone. The heading is the site's HTML now;
    the passage's name and StoryTitle stay plain text (Twine shows them as typed)."""
    root = project_factory({"content/stories/road.md": MARKED})
    run = foundry("build", "--project", str(root), "--only", "twee")
    assert run.code == 0, run.stdout + run.stderr
    answer = run_node("twee_runner.mjs", str(root / "build/twee/road.twee"))
    assert answer["warnings"] == [] and answer["html"]["error"] is None, answer
    [road] = [p["text"] for p in answer["passages"] if p["name"] == "road"]
    assert road.startswith("<html><h2>The <em>Lantern</em> Path &amp; <code>Co</code></h2>\n"
                           "<h3>A <em>sub</em> heading</h3>"), road
    assert answer["story"]["name"] == "The Fog Road"
