"""A CSV translation file edited by hand, through the real CLI: a translation with a
comma typed without quotes, a quote opened and not closed. Each row's cells moved into
other columns (the translation's second half read as the line id), and all anyone was
told was a warning about a line id nobody wrote (HF1109, "translation of ' épais'"),
the translation unused (found by fuzz32's hostile corpus)."""
from __future__ import annotations

import csv
import io
import json

from support import foundry

CSV = "translations/es/content/stories/first-story.md.csv"
TITLE = "story.first-story.title"


def _translated(project_factory, cell: str, name: str):
    """A project whose Spanish CSV has the story's title translated as `cell`, typed into
    the file as it stands (not quoted by a CSV writer); (root, the row's line)."""
    root = project_factory(name=name)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["es"]\nformat = "csv"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / CSV
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if f'"{TITLE}"' in line)
    lines[number] = lines[number].replace(f'"The Fog Road","","{TITLE}"', f'"The Fog Road",{cell},"{TITLE}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root, number + 1


def test_a_row_whose_cells_moved_is_named_at_its_line_and_the_hint_fixes_it(project_factory):
    for n, (cell, why) in enumerate((("El camino, de niebla", "a cell holding the separator ',' is not in double quotes"),
                      ('"El camino de niebla', "a double quote opened in it is not closed"))):
        root, line = _translated(project_factory, cell, name=f"case{n}")
        run = foundry("check", "--project", str(root), "--format", "json")
        said = [d for d in run.json()["diagnostics"] if d["code"] in ("HF1104", "HF1109")]
        assert [(d["code"], d["file"], d["line"]) for d in said] == [("HF1104", CSV, line)], run.stdout
        assert why in said[0]["message"] and run.code == 1, said
        # extract leaves the file as written: rewriting it would lose the moved cells
        before = (root / CSV).read_bytes()
        assert foundry("l10n", "extract", "--project", str(root)).code == 1
        assert (root / CSV).read_bytes() == before
        # the hint followed: the cell in double quotes
        path = root / CSV
        path.write_text(path.read_text(encoding="utf-8").replace(cell, '"El camino, de niebla"' if "," in cell
                                                                  else '"El camino de niebla"'), encoding="utf-8")
        assert foundry("build", "--project", str(root), "--only", "json", "-q").code == 0
        table = json.loads((root / "build/api/v1/strings/es.json").read_text(encoding="utf-8"))
        assert next(r["text"] for r in table["strings"] if r["id"] == TITLE) == cell.strip('"')


def test_rows_a_csv_writer_wrote_are_not_said_to_have_moved(project_factory):
    """Cells with commas, quotes and line breaks, quoted as Python's csv module (and a
    spreadsheet) writes them: read, nothing said."""
    root, _ = _translated(project_factory, '""', name="written")
    path = root / CSV
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("id")] == TITLE:
            row[header.index("target")] = 'El "camino",\nde niebla'
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF1104", "HF1109")], run.stdout


def test_a_csv_file_whose_first_cell_passes_the_csv_modules_limit_is_an_error_at_it(project_factory):
    """A CSV translation file whose header row is one cell of 200 KB (a quote opened and
    never closed, a file of something else saved as .csv): the csv module's 128 KiB
    limit raised out of the languages' check as "internal error (Error)" in check,
    extract and status (the same reader). It is HF1104 at the file's first line; the file is kept."""
    root, _ = _translated(project_factory, '""', name="huge")
    (root / CSV).write_text('"' + "z" * 200_000 + "\n", encoding="utf-8")
    before = (root / CSV).read_bytes()
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 1 and "internal error" not in run.stderr, run.stdout + run.stderr
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1104"]
    assert [(d["file"], d["line"]) for d in said] == [(CSV, 1)], said
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 1 and "internal error" not in run.stderr and "HF1104" in run.stderr, run.stdout + run.stderr
    assert (root / CSV).read_bytes() == before
