"""A definition list (`Term`, then `: its definition` on the next line, as PHP Markdown
Extra and pandoc write one) is no Markdown of foundry's: the term and the colon ran
into one paragraph on the site ("Fog : the thing that decides."), in every output,
with check clean, where a footnote or an HTML comment is HF0124. It is HF0124 too,
once a paragraph, at its first `: ` line, in a story (in a quote too) and in a YAML
prose field alike. A colon inside a line (French `Il dit : non`) is prose."""

from __future__ import annotations

from support import foundry

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


def test_a_definition_list_is_said_where_it_is_typed(project_factory):
    root = project_factory({"content/heroes/first-hero.yaml": HERO, "content/stories/terms.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    found = sorted((d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"]
                   if d["code"] == "HF0124" and "definition list" in d["message"])
    assert found == [("content/heroes/first-hero.yaml", 11, 3), ("content/heroes/first-hero.yaml", 14, 3),
                     ("content/stories/terms.md", 10, 1), ("content/stories/terms.md", 13, 3)], run.stdout
    assert run.code == 0 and run.json()["errors"] == 0
    assert all("**Term**: definition" in d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0124")
