"""A relationship's note and a hero template's name are lines to translate like every
other text a reader sees. Neither was collected (the translation files had no
`relationships.*.note`, no template), so a translator never saw them and every
language's pages, sheets and books showed them in English, unmarked.

Read back from the l10n tests' shared build (conftest.py `de_ar_world`): German
translates the hero's note and her template's name, not the character's note; Arabic
nothing. Each shows translated where it is, and in English with the fallback marks
(lang, dir, class) where it is not, as every untranslated line does, counted in the
build's HF1105 and `fallback:<lang>`."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

from lxml import etree, html as lxml_html

from support import require_tool

XHTML = "{http://www.w3.org/1999/xhtml}"
# as conftest.py writes and translates them (a test module cannot import the conftest
# under pytest-xdist: another folder's conftest is the module of that name there)
GUIDE_NOTE = "Owes him a lantern."
HERO_NOTE_DE_SHOWN = "Zeigte ihr die Nebelpfade."   # "Zeigte ihr die *Nebel*pfade." as shown
TEMPLATE_DE = "Späherin"


def _marks(element) -> tuple[str | None, str | None, str | None]:
    """(lang, dir, class) of the element showing a line (`element`, or one inside it
    around its words, as `in_base` wraps them), else of the nearest one around it that
    carries a lang, the page's root not counted: (None, None, None) for a line shown
    in the page's language, unmarked."""
    inside = element.xpath("descendant-or-self::*[@lang]")
    for node in (*inside[:1], *element.iterancestors()):
        if node.get("lang") and node.getparent() is not None:
            return node.get("lang"), node.get("dir"), node.get("class")
    return None, None, None


def _notes(page) -> dict[str, tuple]:
    """Each relationship note on a site page (a person's rows, the relationships
    table): its words → its marks."""
    found = page.xpath('//*[contains(@class, "relation-note")] | //table[contains(@class, "relations-table")]//td[3]')
    return {" ".join(n.text_content().split()): _marks(n) for n in found if n.text_content().strip()}


def test_a_translated_note_shows_and_an_untranslated_one_is_marked_on_the_site(de_ar_world):
    site = de_ar_world / "build/site"
    page = lambda path: lxml_html.fromstring((site / path).read_bytes())   # noqa: E731
    # German: the hero's note translated (its emphasis as the translator wrote it), on
    # the character's page and the relationships page; the character's note in English, marked
    guide = page("de/characters/old-guide.html")
    assert _notes(guide) == {HERO_NOTE_DE_SHOWN: (None, None, None)}, _notes(guide)
    assert guide.xpath('//*[contains(@class, "relation-note")]/em/text()') == ["Nebel"]
    assert _notes(page("de/heroes/first-hero.html")) == {GUIDE_NOTE: ("en", None, "l10n-fallback")}
    assert _notes(page("de/relationships.html")) == {HERO_NOTE_DE_SHOWN: (None, None, None),
                                                      GUIDE_NOTE: ("en", None, "l10n-fallback")}
    # Arabic: both in English, marked left to right
    assert _notes(page("ar/relationships.html")) == {"Taught her the fog paths.": ("en", "ltr", "l10n-fallback"),
                                                      GUIDE_NOTE: ("en", "ltr", "l10n-fallback")}
    # the base language's pages carry no mark
    assert all(marks == (None, None, None) for marks in _notes(page("relationships.html")).values())

    # the template's name on the hero's page
    def template(path: str) -> tuple:
        shown = page(path).xpath('//ul[@class="facts"]/li[3]/strong')[0]
        return " ".join(shown.text_content().split()), _marks(shown)

    assert template("de/heroes/first-hero.html") == (TEMPLATE_DE, (None, None, None))
    assert template("ar/heroes/first-hero.html") == ("Scout", ("en", "ltr", "l10n-fallback"))
    assert template("heroes/first-hero.html") == ("Scout", (None, None, None))


def test_the_books_print_the_note_and_template_in_the_language(de_ar_world):
    build = de_ar_world / "build"

    def tie(language: str) -> tuple:
        with zipfile.ZipFile(build / f"epub/{language}/compendium.epub") as book:
            sheet = etree.fromstring(book.read("EPUB/hero-first-hero.xhtml"))
        [note] = sheet.findall(f".//{XHTML}span[@class='note']")
        return " ".join("".join(note.itertext()).split()), _marks(note)

    assert tie("de") == (f"— {HERO_NOTE_DE_SHOWN}", (None, None, None))
    assert tie("ar")[1] == ("en", "ltr", "l10n-fallback")
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(build / "pdf/de/compendium.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert HERO_NOTE_DE_SHOWN in text and TEMPLATE_DE in text, text
    assert "Taught her" not in text


def test_an_untranslated_note_is_counted_as_every_missing_line_is(de_ar_world):
    report = json.loads((de_ar_world.parent / "build-report.json").read_text(encoding="utf-8"))
    counts = report["build"]["counts"]
    # German translates three lines: a background paragraph, the hero's note, the template's name
    assert counts["fallback:de"] == counts["lines:de"] - 3, counts
    assert counts["fallback:ar"] == counts["lines:ar"], counts
    said = [d["message"] for d in report["diagnostics"] if d["code"] == "HF1105"]
    assert f"de: {counts['fallback:de']} of {counts['lines:de']} lines not translated" in " ".join(said), said
    po = (de_ar_world / "translations/de/content/characters/old-guide.yaml.po").read_text(encoding="utf-8")
    assert f'msgctxt "character.old-guide.relationship.first-hero.apprentice.note"\nmsgid "{GUIDE_NOTE}"' in po


def test_a_note_is_called_a_note_in_what_check_says(project_factory):
    """A note is no name or title: its translation that shows no words was HF1108 "the
    name or title '…relationship…note'", and a link in it (in the source or in a
    translation) HF0123 "in a name or title" with "A title is never a link (headings,
    lists, books, ink)". Each now names a relationship's note, as HF0173 does."""
    from support import foundry, translate_lines

    root = project_factory()
    for path, old, new in (("content/heroes/first-hero.yaml", "{with: old-guide, kind: mentor}",
                            '{with: old-guide, kind: mentor, note: "Taught her [the paths](https://example.com/)."}'),
                           ("content/characters/old-guide.yaml", "{with: first-hero, kind: apprentice}",
                            '{with: first-hero, kind: apprentice, note: "Owes him a lantern."}'),
                           ("foundry.toml", "[build]", '[l10n]\nlanguages = ["de"]\n\n[build]')):
        text = (root / path).read_text(encoding="utf-8")
        assert old in text
        (root / path).write_text(text.replace(old, new), encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    wanted = {"hero.first-hero.relationship.old-guide.mentor.note": "** **",
              "character.old-guide.relationship.first-hero.apprentice.note": "Schuldet ihm [eine Laterne](https://example.com/)."}
    translate_lines(root / "translations/de/content", wanted)
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["code"] in ("HF1108", "HF0123")]
    assert sorted((d["code"], d["file"].split("/")[-1], d["message"], d["hint"].split(":")[0]) for d in said) == [
        ("HF0123", "first-hero.yaml", "the link to 'https://example.com/' in a relationship's note is dropped: "
         "only its words are shown", "A relationship's note is shown as words only (beside the relationship on pages and sheets)"),
        ("HF0123", "old-guide.yaml.po", "the link to 'https://example.com/' in a translated relationship's note is "
         "dropped: only its words are shown", "A relationship's note is shown as words only (beside the relationship on "
         "pages and sheets)"),
        ("HF1108", "first-hero.yaml.po", "de: the relationship's note 'hero.first-hero.relationship.old-guide.mentor.note' "
         "translates to no visible text", "A choice, name, title or note needs visible text in every language")], said
    assert run.code == 1
