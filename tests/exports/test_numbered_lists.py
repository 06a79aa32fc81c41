"""A numbered list in a scene keeps its numbers in every plain-text output: the site
shows `<ol>` as 1., 2., 3., but ink, `foundry play` and the JSON `text` showed the
steps without them. Played in inkjs's runtime and read back from the JSON."""

from __future__ import annotations

import json

from export_support import SOURCE_DATE_EPOCH, run_node
from support import foundry

STORY = """\
---
title: The Lock
status: draft
summary: Three steps.
start: door
protagonist: first-hero
---

## The Door {#door}

Open it in order:

3. Turn the *brass* key.
1. Lift the latch.

- a loose bullet

Then push.

- [Push](#inside)

## Inside {#inside .ending}

The end.
"""


def test_numbered_steps_keep_their_numbers_in_ink_play_and_json(project_factory, node_tools):
    root = project_factory({"content/stories/lock.md": STORY})
    run = foundry("build", "--only", "json,ink", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    # as the site numbers them: from the list's start, one by one
    expected = ["Open it in order:", "3. Turn the brass key.", "4. Lift the latch.", "• a loose bullet", "Then push."]
    answer = run_node("ink_runner.mjs", str(root / "build" / "ink" / "lock.ink"), request={"paths": [[1]]})
    assert answer["errors"] == [] and answer["warnings"] == []
    assert answer["runs"][0]["steps"][0]["lines"] == expected
    story = json.loads((root / "build" / "api" / "v1" / "stories" / "lock.json").read_text(encoding="utf-8"))
    assert story["story"]["scenes"][0]["text"].split("\n\n") == expected
    played = foundry("play", "lock", "--choose", "1", "--project", str(root))
    assert played.code == 0 and "3. Turn the brass key." in played.stdout and "4. Lift the latch." in played.stdout
