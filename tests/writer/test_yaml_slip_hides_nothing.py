"""A value a writer types as text that YAML reads as syntax (`description: *Quick* on
their feet`, `notes: Has a: colon`, `role: @mentor`, `name: [Old] Guide`) is HF0101 with
the value in quotes as its fix; the file is then read as the hint writes it, so the
file's other problems (a misspelt skill, a second such slip, a relationship to nobody, a
misspelt scene below a story's front matter) are said in the same run. They were hidden
until the slip was fixed: one error, fix it, check again, the next. So are those of a
file indented with tabs, when it reads the same however wide a tab is."""

from __future__ import annotations

from support import foundry

TEMPLATE = """\
name: Bad Template
description: *Quick* on their feet
attributes: {agilty: 12}
skills: [trackng]
"""
CHARACTER = """\
name: [Old] Guide
role: @mentor
relationships:
  - {with: nobdy, kind: mentor}
"""
HERO = """\
name: Slip
title: Scout: of the road
xp: lots
"""
# a value continued on the next line is not read as meant (its quotes would move lines):
# said alone, as before
CONTINUED = """\
name: Slip
title: *Scout* of
  the road
xp: lots
"""
# tabs that indent, consistently: the same file whatever a tab's width, so read as meant
TABBED = "name: Tabby\nattributes:\n\tagilty: 13\nskills:\n\t- trackng\n"
# tabs beside spaces: two spaces wide it is one file, four wide another; said alone
MIXED = "name: Mixed\nattributes:\n  agility: 13\n\twits: 12\nskills: [trackng]\n"
STORY = """\
---
title: *The* Fog Road
start: a
---

## A {#a}

- [Go](#b)
- [Back](#bb)

## B {#b .ending}

Fog.
"""


def test_a_value_quoted_as_meant_hides_none_of_the_files_other_problems(project_factory):
    root = project_factory({"content/templates/heroes/bad.yaml": TEMPLATE, "content/characters/odd.yaml": CHARACTER,
                            "content/heroes/slip.yaml": HERO, "content/heroes/cont.yaml": CONTINUED,
                            "content/stories/fog.md": STORY, "content/heroes/tabby.yaml": TABBED,
                            "content/heroes/mixed.yaml": MIXED})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = sorted(f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]
                  if d["file"].rsplit("/", 1)[-1] in ("bad.yaml", "odd.yaml", "slip.yaml", "cont.yaml", "fog.md",
                                                        "tabby.yaml", "mixed.yaml"))
    assert said == sorted([
        "HF0101 content/templates/heroes/bad.yaml:2:14", "HF0309 content/templates/heroes/bad.yaml:3:14",
        "HF0308 content/templates/heroes/bad.yaml:4:10",
        "HF0101 content/characters/odd.yaml:1:12", "HF0101 content/characters/odd.yaml:2:7",
        "HF0302 content/characters/odd.yaml:4:12",
        "HF0101 content/heroes/slip.yaml:2:13", "HF0201 content/heroes/slip.yaml:3:5",
        "HF0101 content/heroes/cont.yaml:2:8",
        "HF0101 content/stories/fog.md:2:8", "HF0304 content/stories/fog.md:9:11",
        "HF0101 content/heroes/tabby.yaml:3:1", "HF0309 content/heroes/tabby.yaml:3:2",
        "HF0101 content/heroes/tabby.yaml:5:1", "HF0308 content/heroes/tabby.yaml:5:4",
        "HF0101 content/heroes/mixed.yaml:4:1",
    ]), said


# A key given twice, an anchor and its aliases, YAML 1.1's merge key `<<`: refused
# (HF0102, HF0109), but what was typed is still readable value for value, so the file's
# other problems are said in the same run. Each file hid all of them until fixed.
TWICE = "name: Twice\nstatus: draft\nstatus: review\ntemplate: scuot\nattributes: {agilty: 12}\n"
MERGED = """\
name: Merged
base: &base {agility: 13, wits: 9, strenth: 2}
attributes:
  <<: *base
  wits: 10
skills: [trackng]
"""
REUSED = """\
name: Reused
role: &r Guide
title: *r
relationships:
  - &rel {with: nobdy, kind: mentor}
  - *rel
"""
FRONT = """\
---
title: Twice
title: Twice Told
start: a
protaganist: first-hero
---

## A {#a .ending}

Fog.
"""


def test_a_refused_mark_whose_value_is_certain_hides_none_of_the_files_other_problems(project_factory):
    root = project_factory({"content/heroes/twice.yaml": TWICE, "content/heroes/merged.yaml": MERGED,
                            "content/characters/reused.yaml": REUSED, "content/stories/front.md": FRONT})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = sorted(f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]
                  if d["file"].rsplit("/", 1)[-1] in ("twice.yaml", "merged.yaml", "reused.yaml", "front.md"))
    assert said == sorted([
        "HF0102 content/heroes/twice.yaml:3:1", "HF0305 content/heroes/twice.yaml:4:11",
        "HF0309 content/heroes/twice.yaml:5:14",
        # the merge is read as meant: no "unknown field '<<'", nor an unknown attribute
        # and a slip inside the base is said where it was typed, once
        "HF0202 content/heroes/merged.yaml:2:1", "HF0109 content/heroes/merged.yaml:2:7",
        "HF0309 content/heroes/merged.yaml:2:36", "HF0308 content/heroes/merged.yaml:6:10",
        # a slip in an anchored value is said at the anchor, not again at each alias of it
        "HF0109 content/characters/reused.yaml:2:7", "HF0109 content/characters/reused.yaml:5:5",
        "HF0302 content/characters/reused.yaml:5:17", "HF0129 content/characters/reused.yaml:6:5",
        "HF0102 content/stories/front.md:3:1", "HF0202 content/stories/front.md:5:1",
    ]), said
