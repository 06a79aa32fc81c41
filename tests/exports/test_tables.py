"""A table in a scene reads as a table in every plain-text output. The one Markdown →
plain text rendering (load/markdown.py prose_text) made each cell a paragraph, so
ink, `foundry play` and the JSON `text` showed a tide table as six lines of one word
(and ink's line ids, one per cell, one per line). Now each row is one paragraph, its
cells in order joined by ` | `; the text around the table is as it was. In a project
with languages each cell stays a line for translators (its id unchanged: translations
are keyed by them), and ink's row line carries its cells' ids in order."""

from __future__ import annotations

import json
import re

import polib

from export_support import run_node
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
    run = foundry("build", "--project", str(root), "--only", "json,ink")
    assert run.code == 0, run.stdout + run.stderr
    scene = json.loads((root / "build/api/v1/stories/tides.json").read_text())["story"]["scenes"][0]
    assert scene["text"] == "\n\n".join(["The harbour master’s board reads:", *ROWS, "Mind the mud."]), scene["text"]
    played = foundry("play", "tides", "--choose", "1", "--project", str(root))
    assert played.code == 0, played.stderr
    shown = [line.strip() for line in played.stdout.splitlines()]
    assert all(row in shown for row in ROWS), played.stdout
    answer = run_node("ink_runner.mjs", str(root / "build/ink/tides.ink"), request={"paths": [[1]]})
    assert answer["errors"] == [] and answer["warnings"] == [], answer
    lines = [line.strip() for line in answer["runs"][0]["steps"][0]["lines"]]
    assert [line for line in lines if "|" in line] == ROWS, lines


def test_a_tables_cells_keep_their_line_ids_and_ink_gives_each_row_its_cells(project_factory, node_tools, inklecate):
    root = project_factory({"content/stories/tides.md": STORY,
                            "foundry.toml": '[project]\ntitle = "Tides"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["ink"]\n[l10n]\nlanguages = ["de"]\n'})
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / "translations/de/content/stories/tides.md.po"))
    ids = {e.msgid: e.msgctxt for e in po}
    for entry in po:
        entry.msgstr = f"DE {entry.msgid}"
    po.save()
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
