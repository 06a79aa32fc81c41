"""Translation files as translators' tools leave them, through the real CLI (check,
build, `l10n extract` and `l10n status`): an XLIFF 1.2 file whose second `<file>` says
another language, a state no standard lists, a CSV saved by a German Excel, and a
translated background nested past what markdown-it reads. Each was silent, or refused
the file, or lost the translator's mark (found by fuzz32's corpus; issue 16: nothing a
translator wrote is lost or silently unused)."""
from __future__ import annotations

import csv
import io
import json

from support import foundry

QUEST_XLF = "translations/fr/content/quests/first-quest.yaml.xlf"
STORY_CSV = "translations/de/content/stories/first-story.md.csv"
GUIDE_PO = "translations/de/content/characters/old-guide.yaml.po"
TITLE, SUMMARY = "story.first-story.title", "story.first-story.summary"


def _project(project_factory, languages: str, name: str, fmt: str = "po"):
    root = project_factory(name=name)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = [{languages}]\nformat = "{fmt}"\n')
    return root


def _said(run, *codes: str) -> list[dict]:
    return [d for d in run.json()["diagnostics"] if d["code"] in codes]


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """(line, column) of the `nth` `needle` in `text`, both 1-based."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _strings(root, language: str) -> dict[str, str]:
    table = json.loads((root / f"build/api/v1/strings/{language}.json").read_text(encoding="utf-8"))
    return {r["id"]: r["text"] for r in table["strings"]}


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="a" source-language="en" target-language="fr" datatype="plaintext">
    <body>
      <trans-unit id="quest.first-quest.title">
        <source>Through the Fog</source>
        <target xml:lang="{lang}" state="{state}">A travers le brouillard</target>
      </trans-unit>
    </body>
  </file>
  <!-- <file source-language="es" target-language="it"> (an old export, commented out) -->
  <file original="b" source-language="{source}" target-language="{target}" datatype="plaintext">
    <body>
      <trans-unit id="quest.first-quest.summary">
        <source>Cross the marsh before the bell tolls.</source>
        <target state="translated">Traverse le marais.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
"""


def _xliff12_checked(project_factory, name: str, **values: str):
    """A French project whose quest is translated by XLIFF12 filled with `values`, and
    `check` run on it: (root, the file, its text, the run)."""
    root = _project(project_factory, '"fr"', name)
    path = root / QUEST_XLF
    path.parent.mkdir(parents=True)
    text = XLIFF12.format(**values)
    path.write_text(text, encoding="utf-8")
    return root, path, text, foundry("check", "--project", str(root), "--format", "json")


def test_every_language_an_xliff_file_names_is_held_to_its_folder_and_the_project(project_factory):
    """The second `<file>` of an XLIFF 1.2 file saying German in the French folder, and
    translating from German in an English project: each said at its attribute (the first
    `<file>`, and the commented-out one, are not); the hint followed, nothing is said."""
    root, path, text, run = _xliff12_checked(project_factory, "xliff-languages", state="translated", source="de",
                                             target="de", lang="de")
    said = _said(run, "HF1146")
    assert [(d["file"], d["line"], d["column"]) for d in said] == [
        (QUEST_XLF, *_at(text, 'de"', n)) for n in range(3)], run.stdout
    assert "xml:lang" in said[0]["message"] and "'fr'" in said[0]["hint"], said
    assert "target-language" in said[2]["message"] and "'fr'" in said[2]["hint"], said
    assert "source-language" in said[1]["message"] and "'en'" in said[1]["hint"], said
    # extract leaves it as written (its languages would be rewritten), and says so
    assert foundry("l10n", "extract", "--project", str(root)).code == 1
    assert path.read_text(encoding="utf-8") == text
    # both translations are read (two <file>s, one catalog)
    assert "2/3 translated" in foundry("l10n", "status", "--project", str(root)).stdout
    # the hints followed: each attribute corrected
    path.write_text(XLIFF12.format(state="translated", source="en", target="fr", lang="fr"), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not _said(run, "HF1146", "HF1151"), run.stdout
    assert _strings(root, "fr")["quest.first-quest.summary"] == "Traverse le marais."


def test_an_xliff_2_source_language_and_a_csv_language_column_are_held_too(project_factory):
    root = _project(project_factory, '"de"', "xliff2-csv", fmt="xliff")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    xlf = root / "translations/de/content/quests/first-quest.yaml.xlf"
    text = xlf.read_text(encoding="utf-8").replace('srcLang="en"', 'srcLang="fr"', 1)
    xlf.write_text(text, encoding="utf-8")
    sheet = root / "translations/de/content/heroes/first-hero.yaml.csv"
    (root / "translations/de/content/heroes/first-hero.yaml.xlf").unlink()
    sheet.write_text('"id","source","target","language"\n'
                     '"hero.first-hero.name","Rook Amsel","Rook Amsel","de"\n'
                     '"hero.first-hero.title","Scout of the Marsh Road","Éclaireuse","fr"\n', encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["file"]: d for d in _said(run, "HF1146")}
    assert (said[xlf.relative_to(root).as_posix()]["line"], said[xlf.relative_to(root).as_posix()]["column"]) \
        == _at(text, 'fr"'), run.stdout
    assert (said[sheet.relative_to(root).as_posix()]["line"], said[sheet.relative_to(root).as_posix()]["column"]) \
        == _at(sheet.read_text(encoding="utf-8"), 'fr"'), run.stdout
    assert len(said) == 2, run.stdout
    xlf.write_text(text.replace('srcLang="fr"', 'srcLang="en"'), encoding="utf-8")
    sheet.write_text(sheet.read_text(encoding="utf-8").replace('"fr"', '"de"'), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not _said(run, "HF1146"), run.stdout


def test_a_state_no_standard_lists_is_named_at_its_attribute_with_the_list(project_factory):
    """`state="bogus"` (XLIFF 1.2), a segment's `state="done"` and a `subState` with no
    prefix (XLIFF 2.0) were read as translated without a word, and extract rewrote them."""
    root, path, text, run = _xliff12_checked(project_factory, "states", state="bogus", source="en", target="fr",
                                             lang="fr-FR")
    said = _said(run, "HF1151")
    assert [(d["line"], d["column"]) for d in said] == [_at(text, 'bogus"')], run.stdout
    assert "needs-review-translation" in said[0]["hint"] and "x-" in said[0]["hint"], said
    assert foundry("l10n", "extract", "--project", str(root)).code == 1
    assert path.read_text(encoding="utf-8") == text   # the tool's word kept until corrected
    path.write_text(text.replace('state="bogus"', 'state="translated"'), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not _said(run, "HF1151") and run.code == 0, run.stdout
    assert foundry("l10n", "extract", "--project", str(root)).code == 0

    root = _project(project_factory, '"fr"', "states2", fmt="xliff")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / QUEST_XLF
    written = path.read_text(encoding="utf-8")
    text = written.replace("<segment>", '<segment state="done" subState="mine">', 1)
    text = text.replace("</source>", "</source>\n        <target>A travers le brouillard</target>", 1)
    path.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = _said(run, "HF1151")
    assert [(d["line"], d["column"]) for d in said] == [_at(text, 'done"'), _at(text, 'mine"')], run.stdout
    assert "initial, translated, reviewed, final" in said[0]["hint"] and "prefix:value" in said[1]["hint"], said
    path.write_text(text.replace('state="done" subState="mine"', 'state="translated" subState="x:mine"'),
                    encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not _said(run, "HF1151") and run.code == 0, run.stdout


def _excel(rows: list[list[str]], separator: str) -> bytes:
    """`rows` as Excel in a German locale saves them ("CSV UTF-8"): a byte order mark,
    its `sep=` line, cells quoted only when they must be, Windows line breaks."""
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + f"sep={separator}\r\n" + out.getvalue()).encode("utf-8")


def test_a_csv_saved_by_a_german_excel_is_read_as_it_saved_it(project_factory):
    """A `sep=;` first line, headers in capitals, `;` between cells and WAHR/FALSCH in the
    fuzzy column: the file was 'not a readable csv file' (every translation unused), and
    without the sep= line WAHR was read as not fuzzy."""
    root = _project(project_factory, '"de"', "excel", fmt="csv")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    path = root / STORY_CSV
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[0] = ["ID" if c == "id" else c.replace("_", " ").title() for c in header]
    for row in rows[1:]:
        row[header.index("fuzzy")] = "FALSCH"
        if row[header.index("id")] == TITLE:
            row[header.index("target")], row[header.index("fuzzy")] = "Die Nebelstraße", "WAHR"
        if row[header.index("id")] == SUMMARY:
            row[header.index("target")] = "Eine kurze Überquerung; zwei Enden."
    for separator in (";", ","):
        path.write_bytes(_excel(rows, separator))
        run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
        assert run.code == 0 and not _said(run, "HF1104", "HF1151"), run.stdout
        stale = _said(run, "HF1106")   # WAHR: marked for review, at its row (the sep= line counted)
        title_line = next(n for n, r in enumerate(rows) if r[header.index("id")] == TITLE) + 2
        assert [(d["file"], d["line"]) for d in stale] == [(STORY_CSV, title_line)], run.stdout
        strings = _strings(root, "de")
        assert strings[TITLE] == "Die Nebelstraße" and strings[SUMMARY] == "Eine kurze Überquerung; zwei Enden."
        assert "first-story.md: 1/17 translated, 1 stale" in foundry("l10n", "status", "--project", str(root)).stdout
    # a word no spreadsheet writes for true or false: said at its row, with what to write
    rows[2][header.index("fuzzy")] = "ok?"
    path.write_bytes(_excel(rows, ";"))
    run = foundry("check", "--project", str(root), "--format", "json")
    said = _said(run, "HF1151")
    assert [(d["file"], d["line"]) for d in said] == [(STORY_CSV, 4)] and "True" in said[0]["hint"], run.stdout
    before = path.read_bytes()
    assert foundry("l10n", "extract", "--project", str(root)).code == 1 and path.read_bytes() == before
    rows[2][header.index("fuzzy")] = "True"   # the hint followed
    path.write_bytes(_excel(rows, ";"))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not _said(run, "HF1151", "HF1104") and run.code == 0, run.stdout
    # with nothing to merge, extract leaves it as Excel saved it; once a line changed, it
    # writes it in Excel's layout (its mark, sep= line, `;`, quotes only where needed,
    # CR LF, WAHR/FALSCH: test_rewrites_keep_the_file.py), every translation and mark
    # kept, and then leaves it byte for byte
    saved = path.read_bytes()
    assert foundry("l10n", "extract", "--project", str(root)).code == 0 and path.read_bytes() == saved
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("Dry ground at last.", "Dry land at last."),
                     encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    written = path.read_bytes()
    assert written.startswith(b'\xef\xbb\xbfsep=;\r\nlocation;source;target;id;fuzzy;'), written[:80]
    assert "first-story.md: 0/17 translated, 2 stale" in foundry("l10n", "status", "--project", str(root)).stdout
    assert foundry("l10n", "extract", "--project", str(root)).code == 0 and path.read_bytes() == written


def _translate(root, rel: str, line_id: str, text: str) -> int:
    """Write `text` as the PO translation of `line_id`; the msgstr's line."""
    path = root / rel
    po = path.read_text(encoding="utf-8")
    start = po.index(f'msgctxt "{line_id}"')
    at = po.index('msgstr ""', start)
    path.write_text(po[:at] + f'msgstr "{text}"' + po[at + len('msgstr ""'):], encoding="utf-8")
    return po.count("\n", 0, at) + 1


def test_a_translation_nested_past_markdowns_limit_is_hf0171_at_its_line(project_factory):
    """A German background written `> > > …` 110 deep was published as nothing (the
    localized parse's findings were thrown away): check and build were clean. A story's
    paragraph is read inline (its `>` shows as typed): nothing is said of it."""
    root = _project(project_factory, '"de"', "deep")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    line = _translate(root, GUIDE_PO, "character.old-guide.background.p1", "> " * 110 + "Kennt jeden Pfad.")
    _translate(root, "translations/de/content/stories/first-story.md.po", "story.first-story.scene.road.p1",
               ">" * 120 + " Nebel")
    for verb in ("check", "build"):
        run = foundry(verb, "--project", str(root), "--format", "json", *(("--only", "json") if verb == "build" else ()))
        said = _said(run, "HF0171", "HF0169", "HF1107")
        assert [(d["code"], d["file"], d["line"]) for d in said] == [("HF0171", GUIDE_PO, line)], run.stdout
        assert run.code == 1, verb
    # the hint followed: one `>` for the one level meant
    _translate_again = (root / GUIDE_PO).read_text(encoding="utf-8").replace("> " * 110, "> ")
    (root / GUIDE_PO).write_text(_translate_again, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not _said(run, "HF0171", "HF1107"), run.stdout


def test_a_po_language_written_as_a_posix_locale_is_the_language_it_names(project_factory):
    """gettext, Poedit and Lokalize write a PO file's `Language:` as a POSIX locale
    (`sr@latin`, `sr_RS@latin`, `de_DE.UTF-8`) and name folders so. Such a name was "not
    a tag", so a Serbian file in translations/pt-BR/ was published as Portuguese without a
    word (HF1146), and a folder translations/uk_UA/ was told to add "uk_UA" to [l10n]
    languages, which is HF1103. `sr@latin` in translations/sr-Latn/ is that language."""
    root = _project(project_factory, '"pt-BR", "sr-Latn"', "posix-locales")
    header = 'msgid ""\nmsgstr ""\n"Language: {}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    entry = 'msgctxt "{}"\nmsgid "{}"\nmsgstr "{}"\n'
    files = {
        "translations/pt-BR/content/stories/first-story.md.po":
            header.format("sr_RS@latin") + entry.format(TITLE, "The Fog Road", "Put kroz maglu"),
        "translations/sr-Latn/content/stories/first-story.md.po":
            header.format("sr@latin") + entry.format(TITLE, "The Fog Road", "Put kroz maglu"),
        "translations/sr-Latn/content/characters/old-guide.yaml.po":
            header.format("sr@cyrillic") + entry.format("character.old-guide.name", "Old Guide", "Стари водич"),
        "translations/uk_UA/content/stories/first-story.md.po":
            header.format("uk_UA") + entry.format(TITLE, "The Fog Road", "Туманна дорога"),
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["file"], d["line"]): d for d in _said(run, "HF1146", "HF1110", "HF1103")}
    assert sorted(said) == [
        ("HF1110", "translations/uk_UA", 1),
        ("HF1146", "translations/pt-BR/content/stories/first-story.md.po", 3),
        ("HF1146", "translations/sr-Latn/content/characters/old-guide.yaml.po", 3),
    ], sorted(said)
    assert "translations/sr-Latn-RS/" in said["HF1146", "translations/pt-BR/content/stories/first-story.md.po", 3]["hint"]
    hint = said["HF1110", "translations/uk_UA", 1]["hint"]
    assert 'Add "uk-UA"' in hint and "translations/uk-UA/" in hint, hint


def test_a_translation_typed_with_an_indent_is_its_words(project_factory):
    """A translator's tab or four spaces before a name or a choice (a PO msgstr, a CSV
    cell): read as a Markdown code block, it was HF1108 "translates to no visible text"
    at words in plain sight, and the string tables gave an engine the indent."""
    root = _project(project_factory, '"de"', "indented")
    path = root / GUIDE_PO
    path.parent.mkdir(parents=True)
    path.write_text('msgctxt "character.old-guide.name"\nmsgid "Old Guide"\nmsgstr "\\tAlter Führer"\n\n'
                    'msgctxt "character.old-guide.role"\nmsgid "Mentor"\n'
                    'msgstr "    Fährmann im Moor\\n"\n', encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0 and not _said(run, "HF1108", "HF0131", "HF1107"), run.stdout
    strings = _strings(root, "de")
    assert (strings["character.old-guide.name"], strings["character.old-guide.role"]) == (
        "Alter Führer", "Fährmann im Moor")



def test_files_back_from_po2xliff_xliff2po_and_po2csv_are_carried_to_their_lines(project_factory):
    """translate-toolkit's `po2xliff` drops msgctxt, so its `xliff2po` gives back a PO whose
    entries have no line id (docs/localization.md: each HF1109). They were one HF1109 and
    an HF1102 error "line id '' is also translated" for each other one: the check failed,
    and `extract` refused the file the hint sent the writer to (and, let through, carried
    the first alone). Its `po2csv` writes location, source and target only: the file was
    refused whole (HF1104 "lacks the column(s) id"). Now each entry or row is HF1109, and
    `extract` carries each translation to the line with its words, fuzzy to confirm."""
    import polib
    root = _project(project_factory, '"de"', "po2xliff")
    foundry("l10n", "extract", "--project", str(root))
    # the character's PO as xliff2po gives it back: no msgctxt
    po_path = root / GUIDE_PO
    po = polib.pofile(str(po_path))
    live = [e for e in po if not e.obsolete]
    assert len(live) >= 3, live
    wanted = {}
    for n, entry in enumerate(live):
        wanted[entry.msgctxt] = entry.msgstr = f"DE {n} {entry.msgid}"
        entry.msgctxt = None
    po.save(str(po_path))
    # the hero's PO as po2csv writes it
    hero_po = root / "translations/de/content/heroes/first-hero.yaml.po"
    rows = [e for e in polib.pofile(str(hero_po)) if not e.obsolete]
    hero_po.unlink()
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [["location", "source", "target"]] + [["", e.msgid, f"DE {n}"] for n, e in enumerate(rows)])
    csv_path = hero_po.with_suffix(".csv")
    csv_path.write_text(out.getvalue(), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert not _said(run, "HF1102", "HF1104"), _said(run, "HF1102", "HF1104")
    assert len([d for d in _said(run, "HF1109") if "has no line id" in d["message"]]) == len(live) + len(rows)
    foundry("l10n", "extract", "--project", str(root))
    back = {e.msgctxt: (e.msgstr, e.fuzzy) for e in polib.pofile(str(po_path)) if not e.obsolete}
    assert back == {line_id: (text, True) for line_id, text in wanted.items()}, back
    back = {r["id"]: (r["target"], r["fuzzy"]) for r in csv.DictReader(io.StringIO(csv_path.read_text("utf-8")))}
    assert back == {e.msgctxt: (f"DE {n}", "True") for n, e in enumerate(rows)}, back
