"""```` ```The Guard's Song ````: the words after a code fence are the block's language
to Markdown, and no output shows a language (none highlights code): the caption was in
no output, with check clean. HF0178 (a warning) at the words, in a story and in a prose
field; a fence with nothing after it is not said. The ```` ```imported ```` block
`foundry import` writes was said the same way, told to move or delete the word
`imported` (docs/importing.md names the block so): it says what the block is and what
to do with it."""

from __future__ import annotations

import json

from support import diagnostics, foundry, with_background

STORY = """\
---
title: Gate
start: gate
---

## The Gate {#gate}

The guard sings:

> ```  The Guard's Song
> Halt, who goes there
> ```

- [Walk on](#bank)

## The Far Bank {#bank .ending}

```
Dry ground.
```

```imported
cave.twee:16:10: <<print $gold>>
```
"""


def test_words_after_a_fence_are_said_at_them(project_factory):
    root = project_factory({"content/stories/gate.md": STORY})
    row = with_background(root, "Rook hums.\n\n~~~ marsh ballad\nla la\n~~~\n") + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0178"))
    assert found == [f"HF0178 content/heroes/first-hero.yaml:{row}:7", "HF0178 content/stories/gate.md:10:8",
                     "HF0178 content/stories/gate.md:22:4"], found
    said = {d["line"]: d for d in run.json()["diagnostics"] if d["code"] == "HF0178"}
    assert said[10]["message"] == "'The Guard's Song' after ``` is read as the code block's language: it is shown in no output"
    assert said[22]["message"].startswith("a block `foundry import` kept (HF1003): ")
    assert "Rewrite" in said[22]["hint"] and "delete the block" in said[22]["hint"]
    assert "language" not in said[22]["message"] + said[22]["hint"]

    # what it says is so: the words are in no output, the block's lines are
    build = foundry("build", "--project", str(root), "--only", "html,json")
    assert build.code == 0, build.stderr
    scene = json.loads((root / "build/api/v1/stories/gate.json").read_text(encoding="utf-8"))["story"]["scenes"][0]
    assert "Halt, who goes there" in scene["text"] and "Guard" not in scene["text"] + scene["html"]
