"""A code fence (``` or ~~~) a writer opens and never closes: CommonMark runs the code
block to the end of the text, so in a story every scene heading and choice after it
became code. check said only what followed from it (unknown scenes, no ending, a dead
end), never the line that did it; in a hero's background the rest of the text was
shown as code without a word. HF0539 (a warning) at the opening line, saying what it
took in; a closed fence (even one closed by a longer run, or inside a quote) is not
named."""

from __future__ import annotations

from support import diagnostics, foundry, with_background

STORY = """\
---
title: Fenced
start: road
---

## The Road {#road}

The guide sings:

> ~~~
> verse in a quote, closed
> ~~~

````
a closed block with a longer fence
``````

- [Walk on](#lantern)

## The Lantern Path {#lantern}

```text
The lantern bobs ahead.

- [Step onto the bank](#bank)

## The Far Bank {#bank .ending}

Dry ground at last.
"""


def test_an_open_fence_is_named_at_its_line_with_what_it_took(project_factory):
    root = project_factory({"content/stories/fenced.md": STORY})
    line = with_background(root, "Rook grew up on the marsh road.\n\n~~~\na note never closed\n") + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1   # the swallowed scene's follow-on errors still stand
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0539"))
    assert found == [f"HF0539 content/heroes/first-hero.yaml:{line}:3", "HF0539 content/stories/fenced.md:22:1"]
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0539"}
    assert ("this line of ``` opens a code block that is never closed: everything after it is shown as code, "
            "with 1 scene heading and 1 choice (the first at line 27: '## The Far Bank {#bank .ending}')") in said
    assert "this line of ~~~ opens a code block that is never closed: everything after it is shown as code" in said


def test_closed_fences_are_not_named(project_factory):
    closed = STORY.replace("```text\n", "```text\nverse\n```\n")
    root = project_factory({"content/stories/fenced.md": closed})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(run) if d.startswith("HF0539")]
    assert run.code == 0, run.out
