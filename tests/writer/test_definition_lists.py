"""A definition list (`Term`, then `: its definition` on the next line, as PHP Markdown
Extra and pandoc write one) is no Markdown of foundry's: the term and the colon ran
into one paragraph on the site ("Fog : the thing that decides."), in every output,
with check clean, where a footnote or an HTML comment is HF0124. It is HF0124 too,
once a paragraph, at its first `: ` line, in a story (in a quote too) and in a YAML
prose field alike. A colon inside a line (French `Il dit : non`) is prose.

A task list (`- [ ] to do`, `- [x] done`, as GitHub and Obsidian write one) is no
Markdown of foundry's either: the brackets were shown as typed in every output (the
site's `<li>[ ] …`, ink's and JSON's `• [ ] …`), with check clean. It is HF0124 too, once
a list (nested items are the same list), at the first box typed, in a story (in a quote,
in a numbered list) and in a YAML prose field alike. A choice whose words are `x`
(`- [x](#b)`) is a choice, not a box. One check of one project says both."""

from __future__ import annotations

import pytest

from support import foundry, write_project

HERO = b"""name: Rook Amsel
status: draft
template: scout
attributes: {agility: 13, constitution: 10}
skills: [ambush]
xp: 120
background: |
  Rook grew up on the marsh road.

  Fog
  : the thing that decides.

  Marsh
  : where Rook lives.
  : and where the road ends.

  He said: nothing at all.
"""

STORY = b"""---
title: Terms
start: a
protagonist: first-hero
---

## Start {#a}

Lantern
: a light that bobs.

> Quote
> : inside a quote

Il dit : non. Ce n'est pas une liste.

- [Go](#b)

## End {#b .ending}

Done.
"""


TASKS_CHARACTER = b"""name: Old Guide
role: Mentor
status: draft
relationships:
  - {with: first-hero, kind: apprentice}
background: |
  The guide keeps a list.

  - [ ] find the bell
  - [x] cross the marsh
    - [ ] a nested box, the same list

  Then another:

  * [X] said again
"""

TASKS_STORY = b"""---
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


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("terms") / "world",
                         {"content/heroes/first-hero.yaml": HERO, "content/stories/terms.md": STORY,
                          "content/characters/old-guide.yaml": TASKS_CHARACTER, "content/stories/tasks.md": TASKS_STORY})
    return foundry("check", "--format", "json", "--project", str(root))


def test_a_definition_list_is_said_where_it_is_typed(checked):
    run = checked
    found = sorted((d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                   if d["code"] == "HF0124" and "definition list" in d["message"])
    assert found == [("content/heroes/first-hero.yaml", 11, 3), ("content/heroes/first-hero.yaml", 14, 3),
                     ("content/stories/terms.md", 10, 1), ("content/stories/terms.md", 13, 3)], run.stdout
    assert run.code == 0 and run.json()["errors"] == 0
    assert all("**Term**: definition" in d["hint"] for d in run.json()["diagnostics"]
               if d["code"] == "HF0124" and "definition list" in d["message"])


def test_a_task_list_box_is_said_where_it_is_typed(checked):
    found = sorted((d["file"], d["line"], d["column"]) for d in checked.json()["diagnostics"]
                   if d["code"] == "HF0124" and "checkbox" in d["message"])
    assert found == [("content/characters/old-guide.yaml", 9, 5), ("content/characters/old-guide.yaml", 15, 5),
                     ("content/stories/tasks.md", 9, 5), ("content/stories/tasks.md", 11, 4)], checked.stdout
    assert all("`- ☐ Find the rope`" in d["hint"] for d in checked.json()["diagnostics"] if "checkbox" in d["message"])
