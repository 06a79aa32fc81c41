"""A file a writer or translator saved, rewritten by `foundry l10n extract` or `l10n tag`,
changes only where the verb means to change it: it keeps its byte order mark, the line
ends it mostly uses and a missing last line break (a PO file Poedit on Windows saved
with CR LF came back LF: the whole file showed as changed in git), and a file saved
by someone else while the verb ran is never overwritten with what the verb made of the
older bytes (HF0167). project_write.write_file is the one place for both."""
from __future__ import annotations

import csv
import difflib
import io

import pytest

from support import foundry

STORY = "content/stories/first-story.md"
SUFFIX = {"po": "po", "xliff": "xlf", "csv": "csv"}


def _project(project_factory, fmt: str):
    root = project_factory(name=f"form-{fmt}")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = ["de"]\nformat = "{fmt}"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    return root


def _as_windows_saves(data: bytes) -> bytes:
    """`data` as a Windows tool saves it: a byte order mark, CR LF, no last line break."""
    return b"\xef\xbb\xbf" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n").rstrip(b"\r\n")


@pytest.mark.parametrize("fmt", ["po", "xliff", "csv"])
def test_extract_keeps_a_windows_translators_file_as_saved(project_factory, fmt):
    root = _project(project_factory, fmt)
    path = root / f"translations/de/{STORY}.{SUFFIX[fmt]}"
    saved = _as_windows_saves(path.read_bytes())
    path.write_bytes(saved)
    # nothing changed in the source: the file is left exactly as saved
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and path.read_bytes() == saved, run.stdout + run.stderr
    assert "up to date" in run.stderr

    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("The Fog Road", "The Fog Lane", 1), encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and not after.endswith(b"\n")
    assert after.count(b"\n") == after.count(b"\r\n") > 10
    # only the changed line (the title's source text) differs, as `git diff` shows it
    diff = difflib.unified_diff(saved.decode("utf-8").split("\r\n"), after.decode("utf-8").split("\r\n"),
                                lineterm="", n=0)
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 2 and "The Fog Lane" in changed[1], changed


def test_extract_keeps_lf_in_a_csv_saved_with_lf(project_factory):
    """The CSV writer ends rows with CR LF: a CSV a Linux editor saved with LF came back
    CR LF on every row."""
    root = _project(project_factory, "csv")
    path = root / f"translations/de/{STORY}.csv"
    saved = path.read_bytes().replace(b"\r\n", b"\n")
    path.write_bytes(saved)
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    assert path.read_bytes() == saved


def test_extract_keeps_a_csv_as_a_german_excel_saved_it(project_factory):
    """Excel in a German locale saves `;` between cells, a `sep=;` line, quotes only
    where a cell needs them, FALSCH/WAHR in the fuzzy column: extract wrote `,`, no
    `sep=` line, every cell quoted and False everywhere, every row a change."""
    root = _project(project_factory, "csv")
    path = root / f"translations/de/{STORY}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    fuzzy, target, ids = (rows[0].index(name) for name in ("fuzzy", "target", "id"))
    for row in rows[1:]:
        row[fuzzy] = "FALSCH"
        if row[ids] == "story.first-story.summary":
            row[target] = "Eine kurze Überquerung; zwei Enden."
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    saved = ("\ufeffsep=;\r\n" + out.getvalue()).encode("utf-8")
    path.write_bytes(saved)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("A short crossing", "A brief crossing"),
                     encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "1 marked fuzzy" in run.stdout, run.stdout + run.stderr
    after = path.read_bytes().decode("utf-8").split("\r\n")
    changed = [line for line in difflib.unified_diff(saved.decode("utf-8").split("\r\n"), after, lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    # the summary's row alone: its new source, its translation kept, marked fuzzy, the
    # previous source the last line of its developer comments
    assert len(changed) == 3 and changed[1].startswith(
        '+content/stories/first-story.md:4;A brief crossing with two ways to end.;"Eine kurze Überquerung; zwei '
        'Enden.";story.first-story.summary;True;'), changed
    assert changed[2] == '+foundry:previous-source: A short crossing with two ways to end."', changed


def test_extract_leaves_a_file_saved_while_it_ran(project_factory, monkeypatch):
    """A translator's save between extract's read and its write was overwritten with
    the merge of the older bytes: the new translation lost. Now the file is left as
    saved (HF0167) and the other files are still written."""
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.commands import l10n

    root = _project(project_factory, "po")
    path = root / f"translations/de/{STORY}.po"
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("The Fog Road", "The Fog Lane", 1), encoding="utf-8")
    merge = l10n.merge

    def translator_saves(lines, old, language, source, *rest):
        if source == STORY:   # Poedit saves the file after extract has read it
            path.write_bytes(path.read_bytes().replace(b'at last. *The end.*"\nmsgstr ""',
                                                       b'at last. *The end.*"\nmsgstr "Endlich trocken."'))
        return merge(lines, old, language, source, *rest)

    monkeypatch.setattr(l10n, "merge", translator_saves)
    saved_before = path.read_bytes()
    run = CliRunner().invoke(cli, ["l10n", "extract", "--project", str(root)], env={"NO_COLOR": "1"})
    assert run.exit_code == 2, run.output
    assert "HF0167" in run.stderr and f"translations/de/{STORY}.po" in run.stderr, run.stderr
    after = path.read_bytes()
    assert b'msgstr "Endlich trocken."' in after and after != saved_before
    assert b"The Fog Lane" not in after   # not merged: the next extract does it, from the saved file
    monkeypatch.setattr(l10n, "merge", merge)
    run = CliRunner().invoke(cli, ["l10n", "extract", "--project", str(root)], env={"NO_COLOR": "1"})
    assert run.exit_code == 0, run.output
    after = path.read_bytes()
    assert b'msgstr "Endlich trocken."' in after and b"The Fog Lane" in after


def test_tag_leaves_a_story_saved_while_it_ran(project_factory, monkeypatch):
    """`l10n tag` wrote the story as it read it, plus the ids: a paragraph the writer
    saved meanwhile was gone."""
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.commands import l10n

    root = project_factory(name="tag-race")
    story = root / STORY
    tag_entry = l10n.tag_entry

    def writer_saves(entry):
        if entry.path == STORY:
            story.write_text(story.read_text(encoding="utf-8") + "\nA paragraph typed meanwhile.\n", encoding="utf-8")
        return tag_entry(entry)

    monkeypatch.setattr(l10n, "tag_entry", writer_saves)
    run = CliRunner().invoke(cli, ["l10n", "tag", "--project", str(root)], env={"NO_COLOR": "1"})
    assert run.exit_code == 2 and "HF0167" in run.stderr, run.output
    assert story.read_text(encoding="utf-8").endswith("\nA paragraph typed meanwhile.\n")
    assert "^l-" in (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")   # the others are tagged


def test_extract_keeps_a_po_file_in_the_charset_its_header_names(project_factory):
    """A PO file Lokalize or msgmerge keeps in ISO-8859-1 came back from every extract
    as UTF-8: its header line and each line with an 'ü' changed. It stays in its charset
    while every character fits; a new source line that does not fit makes it UTF-8."""
    root = _project(project_factory, "po")
    path = root / f"translations/de/{STORY}.po"
    text = path.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    text = text.replace('msgid "The Far Bank"\nmsgstr ""', 'msgid "The Far Bank"\nmsgstr "Das Ufer überm Fluß"')
    saved = text.encode("latin-1")
    path.write_bytes(saved)
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and path.read_bytes() == saved, run.stdout + run.stderr
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("The Fog Road", "The Fog Lane", 1), encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    after = path.read_bytes()
    assert after == saved.replace(b'msgid "The Fog Road"', b'msgid "The Fog Lane"', 1)
    story.write_text(story.read_text(encoding="utf-8").replace("The Fog Lane", "The Fog \u2014 Lane", 1),
                     encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    after = path.read_text(encoding="utf-8")
    assert "charset=UTF-8" in after and "The Fog \u2014 Lane" in after and "Das Ufer überm Fluß" in after


def test_extract_leaves_a_file_a_tool_laid_out_its_own_way_when_nothing_changed(project_factory):
    """A PO file saved unwrapped (Lokalise, `msgcat --no-wrap`) and an XLIFF file
    indented as another tool indents it, with a namespace prefix: an `extract` with no
    line added, changed or removed rewrote each in foundry's layout, every entry a
    change in git (and said '0 new, 0 marked fuzzy'); one with one line changed
    rewrapped every long entry of the PO file."""
    import polib

    root = _project(project_factory, "po")
    xlf = root / "translations/de/content/heroes/first-hero.yaml.xlf"
    (root / "translations/de/content/heroes/first-hero.yaml.po").unlink()
    assert foundry("l10n", "extract", "--format", "xliff", "--project", str(root)).code == 0
    po = root / f"translations/de/{STORY}.po"
    catalog = polib.pofile(str(po), wrapwidth=0)
    for entry in catalog:
        entry.msgstr = "Übersetzt: " + entry.msgid
    catalog.save(str(po))
    text = xlf.read_text(encoding="utf-8").replace("<source>Rook Amsel</source>",
                                                    "<source>Rook Amsel</source><target>Rook Amsel</target>")
    laid_out = "\n".join(line.strip() for line in text.split("\n")).replace("<xliff xmlns=", "<x:xliff xmlns:x=")
    laid_out = laid_out.replace("</xliff>", "</x:xliff>")
    for name in ("file", "unit", "notes", "note", "segment", "source", "target"):
        laid_out = laid_out.replace(f"<{name}", f"<x:{name}").replace(f"</{name}>", f"</x:{name}>")
    xlf.write_text(laid_out, encoding="utf-8")
    saved = {path: path.read_bytes() for path in (po, xlf)}
    assert b'msgid "The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins."' in saved[po]
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "up to date" in run.stderr, run.stdout + run.stderr
    assert {path: path.read_bytes() for path in saved} == saved

    # one line changed: that entry alone is written anew, the others stay as the tool
    # laid them out (all were rewrapped at foundry's width, every long entry a change)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry land at last."),
                     encoding="utf-8")
    run = foundry("l10n", "extract", "--project", str(root))
    assert run.code == 0 and "1 marked fuzzy" in run.stdout, run.stdout + run.stderr
    diff = difflib.unified_diff(saved[po].decode("utf-8").split("\n"), po.read_text(encoding="utf-8").split("\n"),
                                lineterm="", n=0)
    changed = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    # (the header is foundry's to write: polib's empty `#` comment over it goes)
    assert changed == ['-#', '+#, fuzzy', '+#| msgid "Dry ground at last. *The end.*"',
                       '-msgid "Dry ground at last. *The end.*"', '+msgid "Dry land at last. *The end.*"'], changed
