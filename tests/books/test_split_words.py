"""A long word written across inline markup (`**Brrr…**rrr…`, `*…*…`) breaks inside its
box in the PDF, as the same word without markup does: WeasyPrint found no break in a
word whose pieces each fit the line, and printed it whole over the next column or off
the page (pdf/word_breaks.py). Measured in the books with `pdftotext -bbox`."""

from __future__ import annotations

import shutil
import subprocess

from lxml import etree

from book_support import ONE_PROCESS, need_poppler
from support import ROOTS, foundry

WORD = "Brrr" + "r" * 70   # no hyphenation point anywhere


def _pages(pdf) -> list[tuple[float, list[tuple[float, float, float, float, str]]]]:
    """Each page's width and its words' boxes (x0, y0, x1, y1, text), in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.HTMLParser())
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
