"""A choice whose link names another story's file or a scene in it (`[Ring](bells#tower)`,
`(bells.md#tower)`, `(../stories/bells.md)`, `(/stories/bells#tower)`) is one error at
its address saying that a choice leads only to a scene of its own story, with `(#tower)`
offered in case the scene is this story's. It was "a list of choices holds an item
that is not a single link to a scene" at the list marker, whose hint showed the very
shape the writer believed they had typed; as a scene's only choice it was also HF0721
("site/stories/bells, which the build does not write") at the same place."""

from __future__ import annotations

from support import foundry

STORY = """\
---
title: Two
start: a
protagonist: first-hero
---

## A {#a}

Fog.

- [Go](#b)
- [Ring the bell](first-story#road)
- [Ring again](first-story.md#road){if="true"}
- [The file](../stories/first-story.md)
- [From the top](/stories/first-story#lantern)

## B {#b}

Alone.

- [Only way](first-story#road)

## C {#c .ending}

End.
"""


def test_a_choice_into_another_story_is_one_error_at_its_address(project_factory):
    root = project_factory({"content/stories/two.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/two.md"]
    assert [(d["code"], d["line"], d["column"]) for d in said] == [
        ("HF0503", 12, 19), ("HF0503", 13, 16), ("HF0503", 14, 14), ("HF0503", 15, 18), ("HF0503", 21, 14),
    ], run.stdout
    assert said[0]["message"] == ("the link 'first-story#road' leads to scene 'road' of another story, "
                                  "'first-story': a choice leads only to a scene of its own story")
    assert said[0]["hint"].startswith("If 'road' is a scene of this story, write `(#road)`.")
    assert "leads to a file, not a scene" in said[2]["message"]
    assert run.code == 1
