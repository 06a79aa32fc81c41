"""A bulleted list and a quote keep their marks in every plain-text output. The one
Markdown → plain text rendering (load/markdown.py prose_text) made each item and each
quoted paragraph a bare paragraph: a list of three things read in ink, `foundry play`
and the JSON `text` as three sentences, and a letter quoted in a scene as the
narrator's own words. A bullet is now `• `, a quote's paragraph is wrapped in “ ”
(once however deep), as docs/formats.md says; the marks sit outside the words, so
each paragraph's line id and msgid are as they were and a translation gets them too."""

from __future__ import annotations

import re

from export_support import first_scene_as_text, translated_into_german
from support import foundry

STORY = """\
---
title: The Letter
start: desk
---

## The Desk {#desk}

On the desk:

- a *tally-stick*
* -3 coins, owed

The letter reads:

> Ring at slack water.
>
> > Not before.

1. Light the lamp.

- [Go](#ending)

## Gone {#ending .ending}

The end.
"""

SHOWN = ["On the desk:", "• a tally-stick", "• -3 coins, owed", "The letter reads:",
         "“Ring at slack water.”", "“Not before.”", "1. Light the lamp."]


def test_bullets_and_quotes_keep_their_marks_in_json_play_and_ink(project_factory, node_tools):
    root = project_factory({"content/stories/letter.md": STORY})
    # '-3 coins' after the bullet is words, not an ink gather: inkjs plays every line
    text, played, ink = first_scene_as_text(root, "letter")
    assert text == SHOWN and ink == SHOWN, (text, ink)
    assert all(line in played for line in SHOWN), played


def test_a_translation_keeps_the_marks_and_every_line_id(project_factory, node_tools, inklecate):
    root = project_factory({"content/stories/letter.md": STORY,
                            "foundry.toml": '[project]\ntitle = "Letter"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["ink"]\n[l10n]\nlanguages = ["de"]\n'})
    ids = translated_into_german(root, "content/stories/letter.md")
    # the translator meets the writer's words, never a mark
    assert {"a *tally-stick*", "-3 coins, owed", "Ring at slack water.", "Not before."} <= set(ids), sorted(ids)
    assert not any(m.startswith(("•", "“")) for m in ids), sorted(ids)
    run = foundry("build", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    german = root / "build/ink/de/letter.ink"
    inklecate(german)   # compiles without an error or a warning
    lines = german.read_text().splitlines()
    for words, shown in (("-3 coins, owed", "• DE -3 coins, owed"), ("Ring at slack water.", "“DE Ring at slack water.”"),
                         ("Not before.", "“DE Not before.”")):
        line = next(line for line in lines if line.startswith(shown))
        assert re.findall(r"# line: (\S+)", line) == [ids[words]], line


DIALOGUE = """\
---
title: The Ford
start: ford
---

## The Ford {#ford}

> "Turn back," she said.
>
> „Nie“, sagt er. «Jamais.»
>
> ’Tis late, the letter ends.
>
> — Non, dit-elle.
>
> -- ¿Vienes? -- preguntó.
>
> The water rises.

- [Go](#ending)

## Gone {#ending .ending}

The end.
"""


def test_a_quoted_line_of_dialogue_is_not_quoted_twice(project_factory, node_tools):
    # a quoted line that opens with its own quote mark was `““Turn back,” she said.”`
    # in the JSON text, `foundry play` and ink (and dash dialogue, `“— Non, dit-elle.”`,
    # as French and Spanish write it); `’Tis` opens with an apostrophe, and a
    # quoted paragraph of narration is still marked as a quote
    root = project_factory({"content/stories/ford.md": DIALOGUE})
    text, played, ink = first_scene_as_text(root, "ford")
    shown = ["“Turn back,” she said.", "„Nie“, sagt er. «Jamais.»", "“’Tis late, the letter ends.”",
             "— Non, dit-elle.", "– ¿Vienes? – preguntó.", "“The water rises.”"]
    assert text == shown and ink == shown, (text, ink)
    assert all(line in played for line in shown), played
