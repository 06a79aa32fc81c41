"""A Markdown table row with more cells than its header: GFM (GitHub's, markdown-it's)
keeps the header's number of columns and drops the rest of the row, so the writer's
words reached no output — site, books, ink, Twee, JSON — with check clean. A `|`
splits cells inside backticks too (`` `low|high` `` is two cells), which is how a
writer meets it. HF0172 (a warning) at the first cell not shown, in a story and in a
YAML prose field; a row ending in empty cells loses nothing and is not said."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from support import diagnostics, foundry, german_po, with_background

STORY = """\
---
title: Tides
start: road
---

## The Road {#road}

| Tide | Depth |
|---|---|
| `low|high` | three fathoms |
| slack | none | |
| spring \\| neap | deep |

> | Bell | Rings |
> |---|---|
> | one | two | never heard |

- [Walk on](#bank)

## The Far Bank {#bank .ending}

Dry ground at last.
"""


def test_a_row_wider_than_its_header_is_said_at_the_first_cell_no_output_shows(project_factory):
    root = project_factory({"content/stories/tides.md": STORY})
    row = with_background(root, "Rook kept a log.\n\n| Day | Catch |\n|---|---|\n| `mon|tue` | eels |\n") + 4
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0172"))
    assert found == [f"HF0172 content/heroes/first-hero.yaml:{row}:17",
                     "HF0172 content/stories/tides.md:10:16",
                     "HF0172 content/stories/tides.md:16:17"], found
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0172"}
    assert "this row has 3 cells, its table's header 2: 'three fathoms' is shown in no output" in said
    assert "this row has 3 cells, its table's header 2: 'never heard' is shown in no output" in said

    # what the warning says is so: the words are in no output (and the cells before them are)
    build = foundry("build", "--project", str(root), "--only", "html,json,ink")
    assert build.code == 0, build.stderr
    page = lxml_html.parse(str(root / "build/site/stories/tides.html")).getroot()
    cells = [" ".join(c.text_content().split()) for c in page.xpath('//section[@data-scene="road"]//td')]
    assert cells[:2] == ["`low", "high`"] and "spring | neap" in cells, cells
    story = json.loads((root / "build/api/v1/stories/tides.json").read_text(encoding="utf-8"))["story"]
    for gone in ("three fathoms", "never heard"):
        assert gone not in story["scenes"][0]["text"]
        assert gone not in (root / "build/ink/tides.ink").read_text(encoding="utf-8")
        assert gone not in page.text_content()


def test_rows_within_their_header_are_not_said(project_factory):
    story = STORY.replace("| `low|high` | three fathoms |", "| `low\\|high` | three fathoms |") \
                 .replace("| one | two | never heard |", "| one | two |")
    root = project_factory({"content/stories/tides.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert not [d for d in diagnostics(run) if d.startswith("HF0172")], diagnostics(run)
    build = foundry("build", "--project", str(root), "--only", "json")
    assert build.code == 0, build.stderr
    text = json.loads((root / "build/api/v1/stories/tides.json").read_text(encoding="utf-8"))["story"]["scenes"][0]["text"]
    assert "low\\|high | three fathoms" in text, text   # the cell's own `|` as the Markdown writes it (test_tables.py)


def test_a_translated_background_loses_no_cell_and_no_line_without_a_word(project_factory):
    """A background's paragraph is shown as a block of Markdown in its translation as
    in its source: a German table row of three cells under a header of two lost its
    last, and a translated paragraph `[Wache]: Halt!` (a link definition to Markdown)
    was gone from the German page — HF0172 and HF0174 said of a source only; so was a
    heading's lone closing `#` (HF0179). Said at the translation's line now."""
    import polib

    root = project_factory({})
    with_background(root, "Rook keeps the tide table.\n\n| Tide | Hour |\n|---|---|\n| High | 6 |\n\n### Channel\n")
    path = german_po(root, "content/heroes/first-hero.yaml")
    po = polib.pofile(str(path))
    for entry in po:
        if entry.msgid == "Rook keeps the tide table.":
            entry.msgstr = "[Wache]: Halt!"
        elif entry.msgid.startswith("| Tide"):
            entry.msgstr = "| Gezeit | Stunde |\n|---|---|\n| Hoch | Morgens | 6 |"
        elif entry.msgid == "### Channel":
            entry.msgstr = "### Kanal #"   # a lone closing `#` (HF0179), dropped from the heading
    po.save(str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    guard = next(n for n, line in enumerate(lines, 1) if line == 'msgstr "[Wache]: Halt!"')
    row = next(n for n, line in enumerate(lines, 1) if line.startswith('"| Hoch'))
    heading = next(n for n, line in enumerate(lines, 1) if line == 'msgstr "### Kanal #"')
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0172", "HF0174", "HF0179")))
    assert found == [f"HF0172 translations/de/content/heroes/first-hero.yaml.po:{row}:21",
                     f"HF0174 translations/de/content/heroes/first-hero.yaml.po:{guard}:9",
                     f"HF0179 translations/de/content/heroes/first-hero.yaml.po:{heading}:19"], found
