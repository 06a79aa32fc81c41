"""A translation marked obsolete whose line still exists (fuzz31).

A PO tool (msgattrib, an editor's "remove obsolete" undone by hand, a merge of two
branches) can leave a `#~` entry for a line id the source has; a CSV note whose first
word is `obsolete` is foundry's mark too. Such a translation was not used, and nothing
said so: `check` and `build` were clean, `l10n status` counted the line missing, and only
the next `extract` brought it back. When the file also had the live entry of that id,
translated, `extract` took the obsolete one in its place: the translation the site
showed was replaced by the old one, and lost. Now `extract` keeps the live
translation (the old one stays, obsolete), `check` and `build` name the unused one
(HF1147), and `l10n status` counts it among the missing lines it says extract revives."""

from __future__ import annotations

import csv
import io

import polib

from support import foundry
from test_translator_notes import _extracted   # the minimal project, tagged and extracted in one format

PO = "translations/de/content/stories/first-story.md.po"
TITLE = "story.first-story.title"


def _with_title(root, live: str, old: str | None) -> None:
    """The story's title translated `live` (empty: untranslated), and an obsolete `#~`
    entry of the same id translated `old` at the file's end."""
    po = polib.pofile(str(root / PO))
    title = next(e for e in po if e.msgctxt == TITLE)
    if live:
        title.msgstr = live
    else:
        po.remove(title)
    if old is not None:
        po.append(polib.POEntry(msgctxt=TITLE, msgid=title.msgid, msgstr=old, obsolete=True))
    po.save()


def _diagnostics(root, verb: str = "check") -> list[dict]:
    run = foundry(verb, "--project", str(root), "--format", "json") if verb == "check" else \
        foundry(verb, "--project", str(root), "--only", "json")
    assert run.code == 0, run.stdout + run.stderr
    return run.json()["diagnostics"] if verb == "check" else run.stdout + run.stderr


def test_extract_keeps_the_live_translation_over_an_obsolete_one_of_its_id(tmp_path, extracted_in):
    root = _extracted(tmp_path, "po", extracted_in)
    _with_title(root, "Die Nebelstraße", "Die alte Straße")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    po = polib.pofile(str(root / PO))
    assert [e.msgstr for e in po if e.msgctxt == TITLE and not e.obsolete] == ["Die Nebelstraße"]
    # the old one is not lost either
    assert [e.msgstr for e in po.obsolete_entries() if e.msgctxt == TITLE] == ["Die alte Straße"]
    assert not [d for d in _diagnostics(root) if d["code"] == "HF1147"]


def test_an_obsolete_translation_of_an_existing_line_is_named_until_extract_revives_it(tmp_path, extracted_in):
    root = _extracted(tmp_path, "po", extracted_in)
    _with_title(root, "", "Die Nebelstraße")
    found = [d for d in _diagnostics(root) if d["code"] == "HF1147"]
    assert [(d["file"], d["severity"]) for d in found] == [(PO, "warning")], found
    assert TITLE in found[0]["message"] and "extract" in found[0]["hint"]
    assert "HF1147" in _diagnostics(root, "build")
    status = foundry("l10n", "status", "--project", str(root), "--language", "de")
    assert status.code == 0 and "17 missing (1 of them translated, marked obsolete: `foundry l10n extract` brings " \
        "them back)" in status.stdout, status.stdout
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    po = polib.pofile(str(root / PO))
    assert [e.msgstr for e in po if e.msgctxt == TITLE and not e.obsolete] == ["Die Nebelstraße"]
    assert not [d for d in _diagnostics(root) if d["code"] == "HF1147"]


def test_a_csv_note_beginning_with_the_mark_is_named(tmp_path, extracted_in):
    """"obsolete" as the note's first word is the mark foundry writes: a translator's
    note that begins so on a live row is read as it, and said."""
    root = _extracted(tmp_path, "csv", extracted_in)
    path = root / PO.replace(".po", ".csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    for row in rows:
        if row["id"] == TITLE:
            row["target"], row["translator_comments"] = "Die Nebelstraße", "obsolete spelling, on purpose"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    found = [d for d in _diagnostics(root) if d["code"] == "HF1147"]
    assert [d["file"] for d in found] == [PO.replace(".po", ".csv")], found
