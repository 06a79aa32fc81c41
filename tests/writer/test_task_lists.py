"""A task list (`- [ ] to do`, `- [x] done`, as GitHub and Obsidian write one) is no
Markdown of foundry's: the brackets were shown as typed in every output (the site's
`<li>[ ] …`, ink's and JSON's `• [ ] …`), with check clean, where a definition list or
a footnote is HF0124. It is HF0124 too, once a list, at the first box typed, in a
story (in a quote, in a numbered list) and in a YAML prose field alike. A choice whose
words are `x` (`- [x](#b)`) is a choice, not a box."""

from __future__ import annotations

from support import foundry

HERO = b"""name: Rook Amsel
status: draft
template: scout
attributes: {agility: 13, constitution: 10}
skills: [ambush]
xp: 120
background: |
  Rook keeps a list.

  - [ ] find the bell
  - [x] cross the marsh
    - [ ] a nested box, the same list

  Then another:

  * [X] said again
"""

STORY = b"""---
title: Tasks
start: a
protagonist: first-hero
---

## Start {#a}

> - [ ] inside a quote

3. [x] numbered

- [x](#b)

## End {#b .ending}

Done.
"""


def test_a_task_list_box_is_said_where_it_is_typed(project_factory):
    root = project_factory({"content/heroes/first-hero.yaml": HERO, "content/stories/tasks.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                   if d["code"] == "HF0124" and "checkbox" in d["message"])
    assert found == [("content/heroes/first-hero.yaml", 10, 5), ("content/heroes/first-hero.yaml", 16, 5),
                     ("content/stories/tasks.md", 9, 5), ("content/stories/tasks.md", 11, 4)], run.stdout
    assert run.code == 0 and run.json()["errors"] == 0, run.stdout
    assert all("`- ☐ Find the rope`" in d["hint"] for d in run.json()["diagnostics"] if "checkbox" in d["message"])
