"""A story's scenes, parsed in a cold check's parse workers (stories/scenes.py), without
per-line and per-choice work that decides nothing: the near-miss nets take the story's
lines once per block instead of asking the file for each line (each ask notes a read of
its bytes), and a choice whose words hold no `]` of their own builds no inline state to
find where its words end (docs/performance.md cold43). What is found stays what it was:
the slips are said at the same lines and columns. Counts, never times."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.load import files as files_module
from pipeline.load.documents import load_document
from pipeline.load.files import discover
from pipeline.stories import scenes as scenes_module
from pipeline.stories.scenes import parse_scenes
from support import counted_calls, write_project

LONG = "\n".join(f"The rain kept falling on line {n} of the long night" for n in range(120))

STORY = f"""---
title: Nets
start: hall
---

## The Hall {{#hall}}

{LONG}

- [Open the door](#yard)
- [Wait a while](#hall)
- [Go [up] the stair](#yard)

## The Yard {{#yard}}

{LONG}

The end [of it](#hall) here.
"""


def _story(root):
    diags = Diagnostics()
    found = next(f for f in discover(root, diags) if f.kind == "story" and f.id == "nets")
    return load_document(found, diags)


def test_a_scenes_nets_read_its_lines_once_a_block_and_say_the_same(tmp_path, monkeypatch):
    root = write_project(tmp_path / "world", {"content/stories/nets.md": STORY})
    doc = _story(root)
    doc.source.lines   # made once before counting: every later use notes a read
    notes = counted_calls(monkeypatch, files_module, "note")
    diags = Diagnostics()
    scenes = parse_scenes(doc, diags)
    # two paragraphs of 120 lines each, walked by two nets: once per line was ~500 notes
    assert len(notes) < 40, len(notes)
    assert [s.id for s in scenes] == ["hall", "yard"]
    # the slip in the yard's last paragraph is found on its line, at its `[`
    slips = [(d.code, d.span.line, d.span.column) for d in diags.items]
    line = STORY.split("\n").index("The end [of it](#hall) here.") + 1
    assert ("HF0528", line, 9) in slips, slips


def test_a_choice_without_a_bracket_in_its_words_makes_no_inline_state(tmp_path, monkeypatch):
    root = write_project(tmp_path / "world", {"content/stories/nets.md": STORY})
    doc = _story(root)
    states = counted_calls(monkeypatch, scenes_module, "StateInline")
    scenes = parse_scenes(doc, Diagnostics())
    # one of the three choices holds a `]` before its link's end: only it is looked at
    assert len(states) == 1, states
    choices = scenes[0].choices
    assert [(c.text, c.target) for c in choices] == [("Open the door", "yard"), ("Wait a while", "hall"),
                                                      ("Go [up] the stair", "yard")]
    # the bracketed one's target is still said past its own `](#`, not past `up]`
    stair, written = choices[2], "- [Go [up] the stair](#yard)"
    line = STORY.split("\n").index(written) + 1
    assert (stair.target_span.line, stair.target_span.column) == (line, written.index("](#") + 4)
