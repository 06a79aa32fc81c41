"""Prose written below a scene's choices (`You wonder if this was wise.` under the
list, a closing line under an ending's stray choice, a code block): every output shows
a scene's prose and then its choices, so the site, the books, ink, Twee and the JSON
published it above the choices, away from where the writer put it, with check clean.
HF0544 (a warning) at the first line of the first such block, once a scene; a `---`
break below the choices has nothing to read and is not named, nor is a block already
refused (a link to a scene inside a paragraph, HF0528)."""

from __future__ import annotations

from support import diagnostics, foundry

STORY = """\
---
title: After
start: road
---

## The Road {#road}

The fog comes in.

- [Walk on](#bank)
- [Wait](#wait)

You wonder if this was wise.

And whether the guide was.

---

## The Bank {#bank .ending}

Dry ground.

## Waiting {#wait}

The fog stays.

- [Walk on after all](#bank)

```
a note in code
```

You could [go back](#road) too.
"""


def test_text_below_the_choices_is_named_where_it_was_typed(project_factory):
    root = project_factory({"content/stories/after.md": STORY})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1   # the link inside a paragraph is an error of its own (HF0528)
    lines = STORY.splitlines()
    wonder = lines.index("You wonder if this was wise.") + 1
    fence = lines.index("```") + 1
    said = [d for d in diagnostics(run) if d.split()[0] in ("HF0544", "HF0528")]
    assert sorted(said) == sorted([f"HF0544 content/stories/after.md:{wonder}:1",
                                   f"HF0544 content/stories/after.md:{fence}:1",
                                   f"HF0528 content/stories/after.md:{len(lines)}:11"])
    [first] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0544" and d["line"] == wonder]
    assert first["severity"] == "warning"
    assert "scene 'road'" in first["message"] and "above them" in first["message"]
    assert "Move it above the choices" in first["hint"]


def test_text_above_the_choices_and_between_scenes_is_not_named(project_factory):
    root = project_factory({"content/stories/after.md": STORY.replace(
        "\nYou wonder if this was wise.\n\nAnd whether the guide was.\n", "\n").replace("```\na note in code\n```\n", "").replace(
        "\nYou could [go back](#road) too.\n", "\n")})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0544")]
