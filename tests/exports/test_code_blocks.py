"""A code block in a scene (a sign's text, a letter, a spell as written) is text the
site shows as typed. The one Markdown → plain text rendering left it out, so ink,
`foundry play` and the JSON `text` dropped it without a word. Now it is a paragraph of
each, its lines kept, and ink still compiles it (its markup characters escaped)."""

from __future__ import annotations

import json

from export_support import run_node
from support import foundry

STORY = """\
---
title: The Sign
start: road
---

## The Road {#road}

A sign is nailed to the post:

```
KEEP OUT -> by order {of the Reeve}
// no trespass # ever
```

    indented: the ferry ~ runs * at dawn

- [Read on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""

CODE = ["KEEP OUT -> by order {of the Reeve}", "// no trespass # ever", "indented: the ferry ~ runs * at dawn"]


def test_code_blocks_reach_every_plain_text_output(project_factory, node_tools):
    root = project_factory({"content/stories/sign.md": STORY})
    run = foundry("build", "--project", str(root), "--only", "json,ink")
    assert run.code == 0, run.stderr
    scene = json.loads((root / "build/api/v1/stories/sign.json").read_text())["story"]["scenes"][0]
    assert all(line in scene["text"] for line in CODE), scene["text"]
    played = foundry("play", "sign", "--choose", "1", "--project", str(root))
    assert played.code == 0 and all(line in played.stdout for line in CODE), played.stdout
    answer = run_node("ink_runner.mjs", str(root / "build/ink/sign.ink"), request={"paths": [[1]]})
    assert answer["errors"] == [] and answer["warnings"] == [], answer
    shown = " ".join(answer["runs"][0]["steps"][0]["lines"])
    assert all(" ".join(line.split()) in " ".join(shown.split()) for line in CODE), shown
