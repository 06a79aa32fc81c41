"""A long word written across inline markup (`**Brrr…**rrr…`, `*…*…`) breaks inside its
box in the PDF, as the same word without markup does: WeasyPrint found no break in a
word whose pieces each fit the line, and printed it whole over the next column or off
the page (pdf/word_breaks.py). Measured in the books with `pdftotext -bbox`."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from lxml import etree

from book_support import ONE_PROCESS, need_poppler
from support import ROOTS, foundry

WORD = "Brrr" + "r" * 70   # no hyphenation point anywhere


def _pages(pdf) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width and its words' boxes (x0, y0, x1, y1, text), in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.HTMLParser(encoding="utf-8"))
    return [(float(page.get("width")), [(float(w.get("xmin")), float(w.get("ymin")), float(w.get("xmax")),
                                         float(w.get("ymax")), w.text or "") for w in page.iter("word")])
            for page in root.iter("page")]


def _overprinted(pdf) -> list[tuple[str, str]]:
    """Pairs of words printed over each other (their boxes cross by more than 1 pt)."""
    found = []
    for _, words in _pages(pdf):
        for i, a in enumerate(words):
            found += [(a[4][:24], b[4][:24]) for b in words[i + 1:]
                      if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
    return found


def test_a_long_word_split_by_markup_breaks_inside_its_box(tmp_path):
    """A hero's background in two columns on the sheet: a 74-letter word, its first 30
    letters bold, printed whole 55 pt past its column over the words of the next (and
    said as 'runs past the edge of its box'); a story's title with its first 30
    letters in italics ran off the A5 gamebook's title page. Each now breaks inside
    its box, and HF1139 says it was broken, at its line, as for a word without markup."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("background: |\n", (
        f"background: |\n  Split **{WORD[:30]}**{WORD[30:]}B here.\n\n  Strike ~~{WORD}E~~ here.\n\n")))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("title: The Fog Road", f'title: "The *{WORD[:30]}*{WORD[30:50]}T"'))
    run = foundry("build", "--project", str(root), "--only", "pdf", "--format", "json", env=ONE_PROCESS)
    assert run.code == 0, run.stderr
    pdf = root / "build/pdf"
    for book in ("heroes/first-hero.pdf", "compendium.pdf"):
        assert not _overprinted(pdf / book), book
    for width, words in _pages(pdf / "stories/first-story.pdf"):
        assert all(x1 <= width - 14 * 72 / 25.4 for _, _, x1, _, _ in words), [w for w in words if w[2] > width - 40]
    found = {(d["file"], d["line"], d["message"].split(":")[0], "is broken to fit" in d["message"])
             for d in run.json()["diagnostics"] if d["code"] == "HF1139"}
    background = next(n for n, text in enumerate(hero.read_text().splitlines(), 1) if text.startswith("  Split"))
    assert ("content/heroes/first-hero.yaml", background, "pdf/heroes/first-hero.pdf, page 1", True) in found, found
    assert ("content/stories/first-story.md", 2, "pdf/stories/first-story.pdf, page 1", True) in found, found
    assert all(broken for *_, broken in found), found   # no word runs past its box


def test_a_word_glued_to_a_full_line_starts_the_next_one(tmp_path):
    """A word in its own element, glued to a bracket that ends a full line, with not one
    of its letters room on that line: WeasyPrint set one letter there anyway (a line
    of 21 letters in a box 20 wide) when the word was taken to start the line to break
    it anywhere (pdf/glued_breaks.py). The line ends at the bracket, as CSS's
    `overflow-wrap: anywhere` lets it, and the word starts the next. Laid out by
    WeasyPrint as the books are; monospace, so letters count the width."""
    need_poppler()
    import weasyprint
    from pipeline.exporters.pdf.glued_breaks import glued_words_break
    html = ('<html lang="en"><style>@page { size: A6; margin: 10mm } html { overflow-wrap: anywhere }'
            ' p { font: 10pt monospace; width: 20ch; margin: 0 }</style>'
            f'<p><b>{"a" * 19}</b>(<code>{"x" * 50}</code>)</p></html>')
    with glued_words_break():
        weasyprint.HTML(string=html).write_pdf(tmp_path / "glued.pdf")
    [(_, words)] = _pages(tmp_path / "glued.pdf")
    lines = [text for *_, text in words]
    assert "".join(lines) == "a" * 19 + "(" + "x" * 50 + ")" and max(map(len, lines)) == 20, lines


# Characters Unicode joins into one cluster however many there are (Pango never breaks
# inside one), each part drawn with its own width: emoji joined by ZWJ, leading jamo,
# prepended number signs (pdf/cluster_breaks.py)
UMBRELLAS = "\u2602\u200d" * 59 + "\u2602"   # 119 characters: a name may have 120
JAMO = "\u1100" * 80
SIGNS = "\u0600" * 60 + "1"
VOICED = "\uff76" + "\uff9e" * 100   # a half-width kana and its voicing marks (Other_Grapheme_Extend)


@pytest.fixture(scope="module")
def endless(tmp_path_factory):
    """A world whose hero is named with 60 umbrellas joined by ZWJ and titled with 80
    leading jamo, a scene holding 60 Arabic number signs and a half-width kana with 100
    voicing marks; its PDFs (no compendium: the
    sheet's copy is the widest), EPUBs and site, built once."""
    need_poppler()
    root = tmp_path_factory.mktemp("endless") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("name: Rook Amsel", f'name: "{UMBRELLAS}"')
                    .replace("title: Scout of the Marsh Road", f"title: {JAMO}"))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("The fog comes in", f"The fog {SIGNS} comes in {VOICED} here"))
    with (root / "foundry.toml").open("a") as config:
        config.write("\n[print]\ncompendium = false\n")
    run = foundry("build", "--project", str(root), "--only", "pdf,epub,html", env=ONE_PROCESS)
    assert run.code == 0, run.stderr
    return root / "build"


def test_a_cluster_wider_than_any_line_breaks_inside_the_page(endless):
    """A hero named with 60 umbrellas joined by ZWJ ran 12 pt past the A4 sheet's right
    edge (the compendium's copy 4 pt); 80 leading jamo in the hero's title 10 pt; a
    scene's 60 Arabic number signs 1.5 pt past the A5 gamebook's, 100 half-width voicing
    marks on a kana (Other_Grapheme_Extend, not marks to unicodedata) far past it. Each breaks inside
    its cluster now, inside the page, and reads back as typed (the breaks draw nothing
    and the outline's label holds none), while a real emoji sequence and a syllable
    spelt in jamo keep their bytes."""
    from pipeline.exporters.books.cluster_breaks import breakable
    family, syllable = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466", "\u1100\u1161\u11a8"
    assert breakable(f"{family} {syllable} \u0915\u093e") == f"{family} {syllable} \u0915\u093e"
    pdf = endless / "pdf"
    for book in ("heroes/first-hero.pdf", "stories/first-story.pdf"):
        printed = ""
        for width, words in _pages(pdf / book):
            assert all(x0 >= 0 and x1 <= width - 14 * 72 / 25.4 for x0, _, x1, _, _ in words), \
                (book, [(w[4][:8], w[2]) for w in words if w[2] > width - 40])
            printed += "".join(w[4] for w in words)
        assert "\u200b" not in printed, book
        assert (SIGNS + "comesin" + VOICED if book == "stories/first-story.pdf" else "\u2602" * 60 + JAMO) in printed, book
    import pikepdf
    with pikepdf.open(pdf / "heroes/first-hero.pdf") as book, book.open_outline() as outline:
        labels = [str(item.title) for item in outline.root]
    assert UMBRELLAS in labels, labels


def test_a_cluster_wider_than_a_phone_breaks_in_the_epub_and_on_the_site(endless, browser, tmp_path):
    """The same clusters made the story's EPUB chapter and adventure sheet, the hero's
    page and a search's results 800-1,000 px wide on a 360 px phone (Chromium breaks
    only between clusters too): each breaks at a <wbr>, which adds nothing a reader
    copies or searches."""
    import zipfile
    book = tmp_path / "book"
    with zipfile.ZipFile(endless / "epub/stories/first-story.epub") as z:
        z.extractall(book)
    pages = sorted((book / "EPUB").glob("*.xhtml"))
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        site = [endless / "site" / name for name in ("heroes/first-hero.html", "heroes/index.html", "index.html")]
        for page in [*pages, *site, endless / "site/stories/first-story.html"]:
            tab.goto(page.as_uri())
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, page.name
        assert any(UMBRELLAS in page.read_text(encoding="utf-8").replace("<wbr/>", "") for page in pages)
        # a card clips what it cannot hold: the hero's card on the list of heroes showed 294
        # px of its 925-px name
        tab.goto((endless / "site/heroes/index.html").as_uri())
        assert not tab.evaluate("[...document.querySelectorAll('main *')]"
                                ".filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).length")
        tab.goto((endless / "site/heroes/first-hero.html").as_uri())
        assert tab.evaluate("document.querySelector('h1').textContent").split() == [UMBRELLAS, "Draft"]
        tab.goto((endless / "site/search.html").as_uri() + "?q=marsh")
        tab.wait_for_selector(".result-title")
        assert tab.evaluate("document.querySelector('.result-title').textContent") == UMBRELLAS
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        tab.close()



@pytest.mark.parametrize("rewrite, needing", [
    ("cluster_breaks.clusters_breakable_fragment", UMBRELLAS),
    ("mark_room.room_for_marks_fragment", "\u1000" + "\u1036\u1037\u103a" * 3),
    ("direction.mark_directions_fragment", "\u05d0\u05d1 abc")])
def test_an_epub_chapter_opening_with_a_writers_words_keeps_them_text(rewrite, needing):
    """A theme's EPUB chapter may open with a writer's words before any element
    (`{{ hero.name }}<section>…`), which its template escapes. A chapter given breaks
    inside an endless cluster, room for marks or direction marks was parsed and written
    again with its opening text unescaped: a hero named `<img src=x onerror=…>` (HF0536,
    shown as typed) was an element in the book."""
    import importlib
    module, name = rewrite.split(".")
    fragment = getattr(importlib.import_module(f"pipeline.exporters.books.{module}"), name)
    body = f"&lt;img src=x onerror=go()&gt; &amp; <p>{needing}</p>"
    args = (body, "ltr") if module == "direction" else (body,)
    written = fragment(*args)
    assert written != body, "nothing was rewritten"
    assert written.startswith("&lt;img src=x onerror=go()&gt; &amp; <p"), written
