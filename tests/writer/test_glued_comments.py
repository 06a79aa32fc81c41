"""`title: Chapter #1`: YAML reads a `#` after a space as a comment, so the title was
"Chapter" and '#1' was in no output, with check clean. HF0177 (a warning) at the `#`
when it is glued to a word, as text is typed, in a YAML file and in a story's front
matter; a note with a space after its `#` is a comment on purpose and is not said."""

from __future__ import annotations

import json

from support import diagnostics, foundry

STORY = """\
---
title: Chapter #1
status: draft   # until the edit
start: gate
---

## The Gate {#gate}

The guard steps out.

- [Walk on](#bank)

## The Far Bank {#bank .ending}

Dry ground.
"""


def test_a_comment_glued_to_its_words_is_said_at_the_hash(project_factory):
    root = project_factory({"content/stories/gate.md": STORY})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert "title: Scout of the Marsh Road\n" in text
    hero.write_text(text.replace("title: Scout of the Marsh Road\n", "title: Scout of the #2 Road\n")
                    .replace("skills: [ambush]", "skills: [ambush]   # more after the trial")
                    .replace("background: |\n", "background: |  #wip\n"), encoding="utf-8")
    row = text.splitlines().index("title: Scout of the Marsh Road") + 1
    block = text.splitlines().index("background: |") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0177"))
    assert found == [f"HF0177 content/heroes/first-hero.yaml:{block}:16", f"HF0177 content/heroes/first-hero.yaml:{row}:21",
                     "HF0177 content/stories/gate.md:2:16"], found
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0177"}
    assert "'#1' after a space is a YAML comment: it is shown in no output" in said, said
    # the fix is the writer's own line, whole (it was `title: "Chapter #1"` whatever was typed)
    hints = {d["line"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0177"
             and d["file"] == "content/heroes/first-hero.yaml"}
    assert hints[row].startswith('To keep them, quote the whole value: `title: "Scout of the #2 Road"`.'), hints
    assert hints[block].startswith("To keep them, write them on the block's lines below its `|`"), hints

    # what it says is so: the words after the '#' are in no output
    build = foundry("build", "--project", str(root), "--only", "json")
    assert build.code == 0, build.stderr
    story = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]
    assert story["title"] == "Chapter", story["title"]


def test_a_quoted_value_keeps_its_hash_and_is_not_said(project_factory):
    root = project_factory({"content/stories/gate.md": STORY.replace("title: Chapter #1", 'title: "Chapter #1"')})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0177")], diagnostics(run)
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    story = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]
    assert story["title"] == "Chapter #1", story["title"]


def test_a_glued_comment_under_a_block_is_said_at_its_line(project_factory):
    """`#2 The second part` typed at the margin right under a `background: |` block: the
    line ends the block and is a comment, so the writer's line was in no output with
    check clean. Said at each glued line below the block (blank lines and notes between
    too), up to the next key; a note with a space after its `#` is not."""
    root = project_factory({})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert text.endswith("where the *fog* decides who arrives.\n")
    # and a lone `#` ending a value (`title: … Road #`): an empty comment, the writer's '#'
    row = text.splitlines().index("title: Scout of the Marsh Road") + 1
    text = text.replace("title: Scout of the Marsh Road\n", "title: Scout of the Marsh Road #\n")
    hero.write_text(text + "#2 The second part\n\n# a note for the team\n  #3 the third\n", encoding="utf-8")
    last = text.count("\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0177"))
    assert found == [f"HF0177 content/heroes/first-hero.yaml:{last + 1}:1",
                     f"HF0177 content/heroes/first-hero.yaml:{last + 4}:3",
                     f"HF0177 content/heroes/first-hero.yaml:{row}:32"], found
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0177"}
    assert "'#2 The second part' under a block is a YAML comment, not the block's text: it is shown in no output" in said


def test_a_comment_ending_a_value_of_several_lines_is_named_as_the_cause():
    """`background: Grew up on the marsh` / `  road, where fog rules #2 and` / `  more.`:
    the comment ends the value, so its next line is read as a key. It was "YAML cannot
    read line 4 (`more.`) from column 3 on", or "is indented 2 spaces, which lines up with
    none of the keys above it", which sent the writer after the indentation."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.load.yaml import load_yaml
    for text, line in (("name: x\nbackground: Grew up on the marsh\n  road, where fog rules #2 and\n  more.\n", 4),
                       ("name: x\nbackground: Grew up on the marsh #2\n  more.\n", 3)):
        diags = Diagnostics()
        load_yaml(text, "f.yaml", diags)
        [said] = [d for d in diags.items if d.code == "HF0101"]
        assert (said.span.line, said.span.column) == (line, 3), said
        assert f"continues the text of line {line - 1}, but the ` #` on that line starts a YAML comment" in said.message
        assert said.hint.startswith("Write the value as a block: `|` after its key's `:`"), said.hint
