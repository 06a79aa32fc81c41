"""A table in a scene reads as a table in every plain-text output. The one Markdown →
plain text rendering (load/markdown.py prose_text) made each cell a paragraph, so
ink, `foundry play` and the JSON `text` showed a tide table as six lines of one word
(and ink's line ids, one per cell, one per line). Now each row is one paragraph, its
cells in order joined by ` | `; the text around the table is as it was. In a project
with languages each cell stays a line for translators (its id unchanged: translations
are keyed by them), and ink's row line carries its cells' ids in order."""

from __future__ import annotations

import re

from export_support import first_scene_as_text, run_node, translated_into_german
from support import foundry

STORY = """\
---
title: The Tides
start: quay
---

## The Quay {#quay}

The harbour master's board reads:

| Tide | Hour |
|------|------|
| *low* | 6 |
| high | `12` |

Mind the **mud**.

- [Wait](#ending)

## Waiting {#ending .ending}

The water rises.
"""

ROWS = ["Tide | Hour", "low | 6", "high | 12"]


def test_a_tables_rows_read_as_rows_in_json_play_and_ink(project_factory, node_tools):
    root = project_factory({"content/stories/tides.md": STORY})
    text, played, ink = first_scene_as_text(root, "tides")
    assert text == ["The harbour master’s board reads:", *ROWS, "Mind the mud."], text
    assert all(row in played for row in ROWS), played
    assert [line for line in ink if "|" in line] == ROWS, ink


def test_a_tables_cells_keep_their_line_ids_and_ink_gives_each_row_its_cells(project_factory, node_tools, inklecate):
    root = project_factory({"content/stories/tides.md": STORY,
                            "foundry.toml": '[project]\ntitle = "Tides"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["ink"]\n[l10n]\nlanguages = ["de"]\n'})
    ids = translated_into_german(root, "content/stories/tides.md")
    run = foundry("build", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    for path in (root / "build/ink/tides.ink", root / "build/ink/de/tides.ink"):
        source = path.read_text()
        inklecate(path)   # compiles without an error or a warning
        row = next(line for line in source.splitlines() if "6" in line and "|" in line)
        assert re.findall(r"# line: (\S+)", row) == [ids["*low*"], ids["6"]], row
        prose = next(line for line in source.splitlines() if "mud" in line)
        assert re.findall(r"# line: (\S+)", prose) == [ids["Mind the **mud**."]], prose
    german = run_node("ink_runner.mjs", str(root / "build/ink/de/tides.ink"), request={"paths": [[1]]})
    lines = [line.strip() for line in german["runs"][0]["steps"][0]["lines"]]
    assert "DE low | DE 6" in lines, lines


PIPED = STORY.replace("| high | `12` |", "| high \\| spring | `12` |\n| `a\\\\|b` | c |").replace(
    "Mind the **mud**.", "Mind the **mud** (the sign says x\\\\|y).")


def test_a_pipe_inside_a_cell_is_escaped_for_engines_and_shown_to_readers(project_factory, node_tools, inklecate):
    """`high \\| spring` is one cell (Markdown's escape). One rule for every plain-text
    output: the JSON `text`, where an engine splits a row into cells at ` | `, writes a
    cell's `|` as `\\|` (its schema says so), so a row is never read as one cell more;
    what a person reads — `foundry play`, the ink story as inkjs plays it, the story's
    page description — shows the cell as typed, `high | spring` (they showed the
    escape). A cell's own backslash-pipe (`a\\|b`, typed in code) and one in a
    paragraph are shown as typed everywhere."""
    root = project_factory({"content/stories/tides.md": PIPED,
                            "foundry.toml": '[project]\ntitle = "Tides"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["json", "ink", "html"]\n'})
    text, played, ink = first_scene_as_text(root, "tides")
    assert text[3:5] == ["high \\| spring | 12", "a\\\\|b | c"], text
    assert text[5] == "Mind the mud (the sign says x\\|y).", text
    for lines in (played, ink):
        assert "high | spring | 12" in lines and "a\\|b | c" in lines, lines
        assert "Mind the mud (the sign says x\\|y)." in lines, lines
        assert not any("\\| spring" in line for line in lines), lines
    inklecate(root / "build/ink/tides.ink")   # compiles without an error or a warning


def test_a_story_page_describes_a_cell_as_typed(project_factory):
    """The story's page description (its opening scene's lede) is read by people: a
    cell's `|` as typed, not `\\|`."""
    from lxml import html

    root = project_factory({"content/stories/tides.md": PIPED,
                            "foundry.toml": '[project]\ntitle = "Tides"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["html"]\n'})
    run = foundry("build", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    page = html.parse(str(root / "build/site/stories/tides.html"))
    description = page.xpath("//meta[@name='description']/@content")[0]
    assert description == ("The harbour master’s board reads: Tide | Hour · low | 6 · high | spring | 12 · a\\|b | c · "
                           "Mind the mud (the sign says x\\|y)."), description


def test_an_empty_cell_shows_no_separator(project_factory, node_tools):
    """A row whose last cell is empty ended `… |` in ink, `foundry play` and the JSON
    `text` (`Rook pays the coins. |`), one whose first is empty started `| …`: the HTML
    shows nothing there, so a reader reads the cells that show words, joined by ` | `."""
    root = project_factory({"content/stories/tides.md": STORY.replace(
        "| high | `12` |", "| high | `12` |\n| Rook pays the coins. | |\n| | 18 |")})
    text, played, ink = first_scene_as_text(root, "tides")
    assert text == ["The harbour master’s board reads:", *ROWS, "Rook pays the coins.", "18", "Mind the mud."], text
    for lines in (played, ink):
        assert "Rook pays the coins." in lines and "18" in lines, lines
        assert not any(line.endswith("|") or line.startswith("|") for line in lines), lines
