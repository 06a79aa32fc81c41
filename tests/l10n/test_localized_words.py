"""The words our Python code writes itself come in the book's or page's language:
the gamebook's conditions and effects in words, a quest's requirement, the site's
status badges, a person's part in a story and the search index's labels. English
stays the source (the same words as before catalogs existed).

One build of the minimal world (its story has a condition on a counter, one on an
attribute, a counter effect and a flag; its quest a level requirement) in German and
Arabic, read back as a reader gets it: pdftotext on the PDFs, lxml on the pages and
the EPUB's XHTML."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import html as lxml_html

from support import require_tool



@pytest.fixture(scope="module")
def built(de_ar_world) -> Path:
    """build/ of the German and Arabic world the l10n tests share (conftest.py): its
    one translated line, a paragraph of the hero's background, is no word these tests read."""
    return de_ar_world / "build"


def _pdf_text(pdf: Path) -> str:
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (Debian poppler-utils)")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # a sentence may wrap at the end of a printed line, a German word hyphenated there
    return re.sub(r"\s+", " ", text).replace("\u2010 ", "")


def _epub_text(epub: Path, suffix: str) -> str:
    with zipfile.ZipFile(epub) as book:
        names = [n for n in book.namelist() if n.endswith(suffix)]
        return " ".join(re.sub(r"\s+", " ", lxml_html.fromstring(book.read(n)).text_content()) for n in names)


def _page(build: Path, path: str):
    return lxml_html.fromstring((build / "site" / path).read_bytes())


def test_the_german_gamebook_reads_its_conditions_and_effects_in_german(built):
    de = _pdf_text(built / "pdf/de/stories/first-story.pdf")
    assert "Wenn du mindestens 2 coins hast:" in de              # a counter: the verb last, after "Wenn"
    assert "Wenn dein Wert in Agility mindestens 12 beträgt:" in de   # an attribute
    assert "verliere 2 coins, dann weiter bei" in de             # an effect, then the theme's "turn to"
    assert "notiere „Crossed“, dann weiter bei" in de            # a flag: a note in German quotes
    for english in ("If you", "you have", "lose 2", "note “", "your Agility"):
        assert english not in de, english
    en = _pdf_text(built / "pdf/stories/first-story.pdf")
    assert "If you have at least 2 coins:" in en and "If your Agility is at least 12:" in en
    assert "lose 2 coins, then turn to" in en and "note “Crossed”, then turn to" in en


def test_a_quest_requirement_in_the_german_compendium(built):
    de = _pdf_text(built / "pdf/de/compendium.pdf")
    assert "Nur wenn du mindestens Stufe 1 bist." in de
    assert "You are at least level 1." in _pdf_text(built / "pdf/compendium.pdf")


def test_the_arabic_gamebook_reads_its_conditions_and_effects_in_arabic(built):
    # The EPUB's XHTML: the words in logical order (a PDF's text layer of a
    # right-to-left line need not be).
    isolated = _epub_text(built / "epub/ar/stories/first-story.epub", ".xhtml")
    # a Latin word inside the Arabic sentence is set apart (FSI…PDI, books/words.py phrase)
    assert "\u2068coins\u2069" in isolated
    ar = isolated.replace("\u2068", "").replace("\u2069", "")
    assert "إذا كان لديك 2 coins على الأقل" in ar
    assert "إذا كان رصيدك من Agility 12 على الأقل" in ar
    assert "اخسر 2 coins" in ar and "دوّن «Crossed»" in ar
    assert "If you" not in ar and "lose 2" not in ar


def test_the_sites_own_labels_in_german_and_english_unchanged(built):
    story = _page(built, "de/stories/first-story.html")
    assert [b.text_content() for b in story.xpath("//span[contains(@class, 'badge-draft')]")][:1] == ["Entwurf"]
    hero = _page(built, "de/heroes/first-hero.html")
    parts = " ".join(hero.xpath("//li/span[@class='muted']/text()"))
    assert "Hauptfigur" in parts and "Protagonist" not in parts
    index = json.loads(_page(built, "de/search.html").xpath("//script[@id='search-index']")[0].text)
    labels = {(e["kind"], e["kind_label"], e["status"], e["subtitle"], e["detail"]) for e in index}
    assert ("story", "Geschichte", "Entwurf", "", "5 Szenen") in labels
    quest = next(e for e in index if e["kind"] == "quest")
    assert quest["kind_label"] == "Auftrag" and quest["subtitle"].startswith("Vergeben von ")
    assert quest["detail"] == "50 EP"
    english = json.loads(_page(built, "search.html").xpath("//script[@id='search-index']")[0].text)
    assert ("story", "Story", "Draft", "", "5 scenes") in {(e["kind"], e["kind_label"], e["status"], e["subtitle"],
                                                           e["detail"]) for e in english}
    assert _page(built, "stories/first-story.html").xpath("//span[contains(@class, 'badge-draft')]")[0] \
        .text_content() == "Draft"


def test_the_story_map_is_labelled_in_the_page_language(built):
    german = _page(built, "de/stories/first-story.html").xpath("//svg[@class='story-map']/@aria-label")[0]
    assert german.startswith("Karte der Geschichte ") and " Szenen in " in german and "2 Enden" in german
    english = _page(built, "stories/first-story.html").xpath("//svg[@class='story-map']/@aria-label")[0]
    assert english.startswith("Story map of The Fog Road: 5 scenes in ") and "2 endings, starting at" in english


def test_the_german_lists_say_level_and_xp_in_german_and_mark_english_names(built):
    """The minimal world has no translations: every name and title in a German list is
    English, marked as such; the words around them are the theme's German."""
    heroes, quests, stories = (_page(built, f"de/{kind}/index.html") for kind in ("heroes", "quests", "stories"))
    card = heroes.xpath("//article[contains(@class, 'person-card')]")[0]
    name = card.xpath(".//*[contains(@class, 'card-title')]/a/span")[0]
    assert (name.get("class"), name.get("lang")) == ("l10n-fallback", "en")
    assert card.xpath(".//p[@class='card-meta']/span")[0].text_content() == "Stufe 2"
    quest = quests.xpath("//article[contains(@class, 'quest-card')]")[0]
    assert quest.xpath(".//*[contains(@class, 'card-title')]/a/span/@lang") == ["en"]
    assert "50 EP" in quest.xpath(".//p[@class='card-meta']")[0].text_content()
    assert stories.xpath("//article[contains(@class, 'story-card')]//*[contains(@class, 'card-title')]/a/span/@lang") == ["en"]
    english = _page(built, "heroes/index.html")
    assert english.xpath("//p[@class='card-meta']/span")[0].text_content() == "Level 2"
    assert not english.xpath("//*[contains(@class, 'l10n-fallback')]")


def test_the_german_books_mark_english_names_in_headings_and_contents(built):
    """The compendium's heading of each hero, character, quest and story, and its
    contents, mark a name shown in English as English (lang, class), as the site does;
    the English compendium marks nothing."""
    def marked(epub: Path) -> list[tuple[str, str]]:
        with zipfile.ZipFile(epub) as book:
            return [(e.getparent().tag, e.text_content()) for n in sorted(book.namelist()) if n.endswith(".xhtml")
                    for e in lxml_html.fromstring(book.read(n)).xpath("//span[@class='l10n-fallback' and @lang='en']")]
    found = marked(built / "epub/de/compendium.epub")
    headings = {text for parent, text in found if parent in ("h1", "h2")}
    assert {"Rook Amsel", "Old Guide"} <= headings, found
    assert not marked(built / "epub/compendium.epub")


def test_the_epubs_english_accessibility_summary_says_it_is_english(built):
    """foundry's accessibility summary is one English sentence in every book: in the
    German and Arabic EPUB it was claimed to be in the book's language (the package's
    xml:lang), so a reading system read it with a German or Arabic voice, right to left
    in the Arabic one. It carries xml:lang="en" (and dir="ltr" in a right-to-left book);
    the English book's metadata is as it was."""
    from lxml import etree

    def summary(book: Path):
        with zipfile.ZipFile(book) as z:
            opf = etree.fromstring(z.read("EPUB/content.opf"))
        [meta] = opf.xpath('//*[local-name()="meta"][@property="schema:accessibilitySummary"]')
        return meta.get("{http://www.w3.org/XML/1998/namespace}lang"), meta.get("dir")

    assert summary(built / "epub/de/stories/first-story.epub") == ("en", None)
    assert summary(built / "epub/ar/stories/first-story.epub") == ("en", "ltr")
    assert summary(built / "epub/stories/first-story.epub") == (None, None)


def test_the_arabic_pdfs_read_right_to_left_in_a_viewer(built):
    """The Arabic PDF's viewer preferences say its pages go right to left (`/Direction
    /R2L`), as the EPUB's page-progression-direction does: a viewer showing two pages
    side by side put the first page on the left and every spread in the wrong order.
    The German and English books keep the default, unwritten."""
    import pypdf

    def direction(book: Path):
        return pypdf.PdfReader(book).trailer["/Root"].get("/ViewerPreferences", {}).get("/Direction")

    assert direction(built / "pdf/ar/stories/first-story.pdf") == "/R2L"
    assert direction(built / "pdf/ar/compendium.pdf") == "/R2L"
    assert direction(built / "pdf/de/stories/first-story.pdf") is None
    assert direction(built / "pdf/stories/first-story.pdf") is None


def test_the_hero_sheets_points_spent_line_in_german_and_arabic(built):
    """The print sheet's budget line ("10 of 18 points spent") was a bare English
    literal in the print theme's macros, outside gettext: the German and Arabic
    sheets printed it in English while every label around it was translated."""
    en = _pdf_text(built / "pdf/heroes/first-hero.pdf")
    assert re.search(r"\b\d+ of \d+ points spent\b", en)
    de = _pdf_text(built / "pdf/de/heroes/first-hero.pdf")
    assert re.search(r"\b\d+ von \d+ Punkten vergeben\b", de), de[:400]
    ar = _pdf_text(built / "pdf/ar/heroes/first-hero.pdf")
    for pdf_text in (de, ar):
        assert "points spent" not in pdf_text
    assert "نقطة" in ar


def test_a_derived_formula_names_the_level_in_the_books_language(built):
    """`level` in a derived stat's formula was printed as the English identifier in
    every language ("Hit points = 10 + Constitution × 2 + level × 4" on the German
    sheet), though the sheet's own label for it says "Stufe"."""
    en = _pdf_text(built / "pdf/heroes/first-hero.pdf")
    assert re.search(r"\+ level × \d", en)
    de = _pdf_text(built / "pdf/de/heroes/first-hero.pdf")
    assert re.search(r"\+ Stufe × \d", de) and not re.search(r"\blevel\b", de), de
    ar = _pdf_text(built / "pdf/ar/heroes/first-hero.pdf")
    assert not re.search(r"\blevel\b", ar) and "المستوى" in ar


def test_a_path_count_past_two_to_the_53_is_said_in_the_pages_language(project_factory):
    """A story of 56 two-way steps has 2^56 paths, published as "more than 2^53": the
    German story page said "more than 2^53 Wege" and the Arabic one "more than 2^53 مسار",
    its line set left to right by its English words. Now the theme's words say it
    (German "mehr als 2^53"; Arabic "أكثر من 2⁵³", superscript digits, which stay in
    order in a right-to-left line where "2^53" would read "53^2"); English unchanged."""
    steps = "".join(f"## Step {i} {{#s{i}}}\n\nStep {i} of the stair.\n\n- [Go left](#s{i + 1}){{#left{i}}}\n"
                    f"- [Go right](#s{i + 1})\n\n" for i in range(56))
    root = project_factory({"content/stories/stair.md": "---\ntitle: The Long Stair\nstatus: draft\n"
                            "summary: Many ways down.\nstart: s0\n---\n\n" + steps + "## The Bottom {#s56 .ending}\n\nThe end.\n"})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    from support import foundry
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    said = {}
    for language in ("", "de/", "ar/"):
        page = _page(root / "build", f"{language}stories/stair.html")
        said[language] = [(" ".join(li.text_content().split()), li.get("dir")) for li in page.xpath("//ul[@class='facts']/li")
                          if "2^53" in li.text_content() or "2⁵³" in li.text_content()]
    assert said[""] == [("more than 2^53 paths", None)]
    assert said["de/"] == [("mehr als 2^53 Wege", None)]
    assert len(said["ar/"]) == 1 and said["ar/"][0][0].startswith("أكثر من 2⁵³ ") and said["ar/"][0][1] != "ltr"


def test_a_story_variable_said_in_a_condition_is_marked_as_the_base_language(project_factory):
    """A choice's condition names a story variable by its id: "nur wenn du mindestens 2
    coins hast" on the German page, "⁨coins⁩" on the Arabic one, the writer's English
    word unmarked, so a screen reader said it in German or Arabic. Now the id is marked
    as foundry.toml's words are: `lang="en"` (and `dir="ltr"` on the Arabic page), in the
    condition and in the effects; the English page is as it was."""
    from support import foundry
    root = project_factory({})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    for folder, marks in (("de/", {"lang": "en"}), ("ar/", {"lang": "en", "dir": "ltr"})):
        page = lxml_html.parse(str(root / "build/site" / folder / "stories/first-story.html"))
        for kind in ("choice-condition", "choice-effects"):
            said = page.xpath(f"//span[@class='{kind}'][contains(., 'coins')]")[0]
            named = [dict(span.attrib) for span in said.iter("span") if span.text == "coins"]
            assert named == [marks], (folder, kind, lxml_html.tostring(said, encoding="unicode"))
    english = lxml_html.parse(str(root / "build/site/stories/first-story.html"))
    assert not english.xpath("//span[@class='choice-condition']//span[text()='coins']")
