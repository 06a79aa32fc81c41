"""A translator's own notes survive `foundry l10n extract` (fuzz29).

A PO translator comment (`# keep it short`), an XLIFF `<note>` of no category or a
reviewer's, and a CSV `translator_comments` cell are where a translator writes to the
next translator. `extract` rewrote each file from the lines of the source and kept only
foundry's own notes: the translator's words were deleted, with "0 new, 0 marked fuzzy".
They are kept now, in PO as `# …`, in XLIFF as a note of category `translator`, in CSV
in their column, on a line whose source changed and on one that is gone (obsolete)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import polib
from lxml import etree

from support import foundry

BASE = "translations/de/content/stories/first-story.md"
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def _extracted(tmp_path, fmt: str, extracted_in) -> Path:
    """The minimal project in German, tagged and extracted in `fmt` (conftest.py
    `extracted_in`): a copy of the test's own, files with their times."""
    return Path(shutil.copytree(extracted_in(fmt), tmp_path / fmt, symlinks=True))


def _extract_again(root, story_edit=None):
    if story_edit:
        story = root / "content/stories/first-story.md"
        story.write_text(story_edit(story.read_text(encoding="utf-8")), encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stderr


def _changed_heading(text: str) -> str:
    assert "## Waiting {#wait .ending}" in text
    return text.replace("## Waiting {#wait .ending}", "## Waiting in the fog {#wait .ending}")


def test_po_translator_comments_are_kept(tmp_path, extracted_in):
    root = _extracted(tmp_path, "po", extracted_in)
    path = root / f"{BASE}.po"
    po = polib.pofile(str(path))
    notes = {"story.first-story.title": "Keep the pun on 'fog'.",
             "story.first-story.scene.wait": "Ana: short, it is a heading."}
    for entry in po:
        if entry.msgctxt in notes:
            entry.tcomment = notes[entry.msgctxt]
            entry.msgstr = "Die Nebelstraße" if entry.msgctxt.endswith("title") else "Warten"
    po.save()
    _extract_again(root, _changed_heading)
    kept = {e.msgctxt: e.tcomment for e in polib.pofile(str(path)) if e.tcomment}
    assert kept == notes, path.read_text(encoding="utf-8")
    wait = next(e for e in polib.pofile(str(path)) if e.msgctxt == "story.first-story.scene.wait")
    assert wait.fuzzy and wait.msgstr == "Warten"   # the source changed: still fuzzy, note and all


def test_xliff_notes_not_foundrys_are_kept(tmp_path, extracted_in):
    root = _extracted(tmp_path, "xliff", extracted_in)
    path = root / f"{BASE}.xlf"
    tree = etree.parse(str(path))
    unit = tree.find(f".//{XLIFF}unit[@id='story.first-story.title']")
    notes = unit.find(f"{XLIFF}notes")
    etree.SubElement(notes, f"{XLIFF}note").text = "Keep the pun on 'fog'."
    etree.SubElement(notes, f"{XLIFF}note", category="reviewer").text = "Checked by Ana."
    tree.write(str(path), xml_declaration=True, encoding="utf-8")
    _extract_again(root)
    again = etree.parse(str(path)).find(f".//{XLIFF}unit[@id='story.first-story.title']")
    said = " ".join(n.text for n in again.iter(f"{XLIFF}note"))
    assert "Keep the pun on 'fog'." in said and "Checked by Ana." in said, etree.tostring(again)


def test_csv_translator_comments_are_kept_on_a_line_gone_too(tmp_path, extracted_in):
    root = _extracted(tmp_path, "csv", extracted_in)
    path = root / f"{BASE}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == "story.first-story.scene.bank":
            row["translator_comments"] = "Ask the writer about 'far'."
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert "## The Far Bank {#bank .ending}" in text
    story.write_text(text.replace("## The Far Bank {#bank .ending}", "## The Far Bank {#shore .ending}")
                     .replace("(#bank)", "(#shore)"), encoding="utf-8")
    _extract_again(root)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    said = {row["id"]: row["translator_comments"] for row in rows if row["translator_comments"]}
    assert said.get("story.first-story.scene.bank", "").endswith("Ask the writer about 'far'."), said


def test_csv_note_saying_obsolete_is_the_translators_words_not_a_mark(tmp_path, extracted_in):
    """A translator's CSV note "the old wording is obsolete now" on a live, translated row
    marked the row obsolete: its translation was not used (every line of the row
    "missing" in `l10n status`, the build in the base language) without a word; and
    "obsoleted by the glossary" lost its first eight letters on the next extract. Only
    the leading `obsolete` foundry writes marks a row obsolete."""
    root = _extracted(tmp_path, "csv", extracted_in)
    path = root / f"{BASE}.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    notes = {"story.first-story.title": "The old wording is obsolete now: this is the glossary's.",
             "story.first-story.scene.wait": "obsoleted by the glossary: keep it short"}
    for row in rows:
        if row["id"] in notes:
            row["translator_comments"] = notes[row["id"]]
            row["target"] = "Die Nebelstraße" if row["id"].endswith("title") else "Warten"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    status = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert status.code == 0, status.stdout + status.stderr
    assert "  content/stories/first-story.md: 2/" in status.stdout, status.stdout
    _extract_again(root)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    said = {row["id"]: row["translator_comments"] for row in rows if row["translator_comments"]}
    assert said == notes, said
