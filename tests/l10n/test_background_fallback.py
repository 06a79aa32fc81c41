"""A hero's or character's background left in the base language is marked as such in
every language's page and book, paragraph by paragraph, as a story's paragraphs are.
It went out unmarked: in Arabic the English background was laid out right to left
('.who arrives', 'decides fog Rook grew up…' in the PDF's text, the full stop at the
left on the site and in the EPUB), and in every language a screen reader read the
English as the page's language."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

from lxml import etree, html as lxml_html

from support import require_tool

def _background(page) -> list[tuple[str | None, str | None, str]]:
    """(lang, dir, text) of each paragraph of the background section, from the nearest
    element that carries a lang."""
    out = []
    for p in page.xpath('//section[@aria-labelledby="background-h"]//p'):
        marked = next((a for a in p.iterancestors() if a.get("lang")), None)
        out.append((marked.get("lang"), marked.get("dir"), " ".join(p.text_content().split())))
    return out


def test_a_background_in_the_base_language_is_marked_in_every_language(de_ar_world):
    """The hero's background has two paragraphs; German translates the second only,
    Arabic neither (the world conftest.py builds once for the l10n tests)."""
    root = de_ar_world
    site = root / "build/site"
    arabic = _background(lxml_html.fromstring((site / "ar/heroes/first-hero.html").read_bytes()))
    assert [(lang, d) for lang, d, _ in arabic] == [("en", "ltr"), ("en", "ltr")], arabic
    german = _background(lxml_html.fromstring((site / "de/heroes/first-hero.html").read_bytes()))
    assert german == [("en", None, "Rook grew up on the marsh road, where the fog decides who arrives."),
                      ("de", "ltr", "Sie zählt die Münzen immer zweimal.")], german
    english = lxml_html.fromstring((site / "heroes/first-hero.html").read_bytes())
    assert not english.xpath('//section[@aria-labelledby="background-h"]//*[@class="l10n-fallback"]')

    # the books: the EPUB's sheet, and the PDF's text in reading order
    with zipfile.ZipFile(root / "build/epub/ar/compendium.epub") as book:
        sheet = etree.fromstring(book.read("EPUB/hero-first-hero.xhtml"))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    paragraphs = sheet.findall(f".//{xhtml}section[@class='background prose']//{xhtml}p")
    assert len(paragraphs) == 2
    for p in paragraphs:
        marked = next(a for a in p.iterancestors() if a.get("lang"))
        assert (marked.get("lang"), marked.get("dir")) == ("en", "ltr")
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(root / "build/pdf/ar/compendium.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Rook grew up on the marsh road" in " ".join(text.split())
    assert "who arrives." in text and ".who arrives" not in text, text
