"""`- [Go home](#home){.ending}`: markdown-it keeps `.ending` as the link's class, which
no output shows — nor does a choice end a story — and check said nothing (a class was
the one attribute name a choice let by). HF0503 at the `.`, the hint naming the scene
heading for `.ending`; a choice with `if`, `do` and `id` alone is not said."""

from __future__ import annotations

from support import diagnostics, foundry

STORY = """\
---
title: Gate
start: gate
---

## The Gate {#gate}

The guard steps out.

- [Walk on](#bank){if="true" .ending}
- [Wave](#bank){.big id="wave"}

## The Far Bank {#bank .ending}

Dry ground.
"""


def test_a_class_on_a_choice_is_said_at_its_dot(project_factory):
    root = project_factory({"content/stories/gate.md": STORY})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0503"))
    assert found == ["HF0503 content/stories/gate.md:10:30", "HF0503 content/stories/gate.md:11:17"], found
    said = {d["message"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0503"}
    assert "'.ending' on a choice is shown in no output" in said, said
    assert "## Home {#home .ending}" in said["'.ending' on a choice is shown in no output"]
    assert "'.big' on a choice is shown in no output" in said, said


def test_a_choice_without_a_class_is_not_said(project_factory):
    story = STORY.replace('{if="true" .ending}', '{if="true"}').replace('{.big id="wave"}', '{id="wave"}')
    root = project_factory({"content/stories/gate.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0503")], diagnostics(run)
