"""What laying a book out costs grows with its text's length, not with its square.

A hero's background of 12 paragraphs of 2,000 characters took WeasyPrint 415 CPU-s to
lay out on the one-page sheet, past the render's budget (HF0710), while `check` was
clean: each flex item of the sheet was measured at its narrowest on every page
(sheet.css), and each such measure laid the rest of a paragraph out once per letter
(pdf/min_content.py). Work is counted as the characters handed to Pango, never timed
(benchmarks/ and docs/performance.md time it)."""

from __future__ import annotations

import contextlib
import random
import shutil

from book_support import ONE_PROCESS, need_poppler, pdftext
from support import REPO, ROOTS, foundry

PRINT_CSS = REPO / "themes/default/print/css"
WORDS = "the road ran along the marsh where fog rolled in every evening and travellers waited".split()


def _prose(paragraphs: int, letters: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        words: list[str] = []
        while sum(map(len, words)) + len(words) < letters:
            words.append(rnd.choice(WORDS))
        out.append(" ".join(words))
    return out


def _pango_characters(html: str, stylesheets: list, patched: bool, column: bool = False) -> tuple[int, list]:
    """(characters WeasyPrint handed Pango to lay out, every laid-out box) for `html`;
    `patched`: with min_content.py, `column`: with flex_cross.py."""
    import weasyprint
    from weasyprint.text import line_break

    from pipeline.exporters.pdf.flex_cross import column_flex_bounded
    from pipeline.exporters.pdf.min_content import min_content_linear
    counted = [0]
    original = line_break.Layout.set_text

    def set_text(self, text, justify=False):
        counted[0] += len(text)
        return original(self, text, justify)

    line_break.Layout.set_text = set_text
    try:
        with min_content_linear() if patched else contextlib.nullcontext(), \
                column_flex_bounded() if column else contextlib.nullcontext():
            document = weasyprint.HTML(string=html).render(stylesheets=stylesheets)
    finally:
        line_break.Layout.set_text = original
    return counted[0], [_boxes(page._page_box) for page in document.pages]


def _boxes(box) -> tuple:
    """A laid-out box as its kind, place, size and text, its children's the same way."""
    return (type(box).__name__, box.position_x, box.position_y, box.width, box.height, getattr(box, "text", None),
            tuple(_boxes(child) for child in getattr(box, "children", ())))


def test_a_paragraphs_narrowest_width_is_measured_in_work_linear_in_its_length():
    """A paragraph in a box shrunk to fit (a table cell laid out automatically), where a
    word may break anywhere: WeasyPrint measured its min-content width line by line,
    laying the whole rest of the paragraph out for each one-letter line (~420
    characters laid out for each one it holds, at 1,000 letters; ~630 at 1,500: the
    work per letter grows with the length). Now a few dozen (~55 at any length), and
    every box is laid out where WeasyPrint alone lays it, in several scripts. 1,000
    letters show the square as plainly as 1,500 did, for 2 CPU-s of WeasyPrint's
    own measure instead of 5."""
    import weasyprint
    [text] = _prose(1, 1000)
    html = ('<html lang="en"><style>html { overflow-wrap: anywhere; hyphens: auto } td { vertical-align: top }'
            f'</style><table><tr><td>{text}</td><td>x</td></tr></table></html>')
    plain, _ = _pango_characters(html, [], patched=False)
    linear, _ = _pango_characters(html, [], patched=True)
    assert plain > 250 * len(text), plain           # the quadratic measure, still WeasyPrint's own
    assert linear < 100 * len(text), (linear, plain)
    # the same lines, widths and pages: hyphenation, clusters, joined and unspaced scripts
    mixed = ("Unbreakablewordwithoutanyspacesatalltotestthewindow " * 2 + "e\u0301\u0301 " * 10
             + "مرحبا بالعالم الكبير " * 3 + "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ" * 2 + " 漢字かな交じり文" * 4
             + " extraordinarily co-operation " * 3)
    cells = "".join(f'<td style="white-space: {ws}; overflow-wrap: {wrap}">{mixed}</td>'
                    for ws in ("normal", "pre-wrap") for wrap in ("anywhere", "normal"))
    html = (f'<html lang="en"><style>html {{ hyphens: auto; font-size: 9pt }}</style>'
            f'<table><tr>{cells}</tr></table><p style="float: left">{mixed}</p>'
            f'<span style="display: inline-block; overflow-wrap: anywhere">{mixed}</span>'
            '<p style="float: left">a co\u00adop\u00aderation of extraordinary length</p></html>')
    css = [weasyprint.CSS(string="@page { size: A3 }")]
    assert _pango_characters(html, css, patched=True)[1] == _pango_characters(html, css, patched=False)[1]


def test_the_sheets_items_are_not_measured_at_their_narrowest():
    """The hero sheet is a flex column (the notes take what the page leaves): WeasyPrint
    measured each item's min-content width on every page it spans, the background's
    paragraphs laid out ~950 times over. The shipped sheet.css gives its items no
    automatic minimum width (a width in a column is not the flex's to shrink), so the
    sheet, laid out without min_content.py, hands Pango a small multiple of its text."""
    import weasyprint
    paragraphs = "".join(f"<p>{p}</p>" for p in _prose(3, 2000))
    html = ('<html lang="en"><body class="sheet"><article class="sheet"><h1 class="name">Rook</h1>'
            f'<section class="background prose"><h2 class="sheet-part">Background</h2>{paragraphs}</section>'
            '</article><section class="sheet-notes"><p class="write-line"></p></section></body></html>')
    css = [weasyprint.CSS(filename=str(PRINT_CSS / name)) for name in ("base.css", "sheet.css")]
    laid_out, _ = _pango_characters(html, css, patched=False)
    assert laid_out < 200 * len(paragraphs), laid_out / len(paragraphs)


def test_a_long_background_prints_whole_within_the_budget(tmp_path):
    """24 KB of background (12 paragraphs of 2,000 characters): the sheet took 415 CPU-s
    and the build stopped with HF0710. Under a budget of 15 CPU-s it builds, the sheet
    running over as many pages as the text needs, every paragraph printed. The sheet is
    the one book made (no story, no quest, no compendium): the compendium laid the 24 KB
    out a second time, in its own layout, which this test does not read."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel in ("stories/first-story.md", "quests/first-quest.yaml"):
        (root / "content" / rel).unlink()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write("\n[print]\ncompendium = false\n")
    hero = root / "content/heroes/first-hero.yaml"
    paragraphs = _prose(12, 2000, seed=3)
    background = "\n\n".join(paragraphs).replace("\n", "\n  ")
    text = hero.read_text()
    hero.write_text(text[:text.index("background:")] + f"background: |\n  {background}\n")
    run = foundry("build", "--project", str(root), "--only", "pdf", env={"FOUNDRY_RENDER_SECONDS": "15"})
    assert run.code == 0, run.stdout + run.stderr
    assert sorted(p.name for p in (root / "build/pdf").rglob("*.pdf")) == ["first-hero.pdf"]
    printed = "".join(pdftext(root / "build/pdf/heroes/first-hero.pdf").split()).replace("\u2010", "")
    for paragraph in paragraphs:   # its first and last words (hyphens at line ends left out)
        assert "".join(paragraph.split())[:40] in printed and "".join(paragraph.split())[-40:] in printed


def test_a_word_that_cannot_break_is_set_in_work_linear_in_its_length():
    """One word of 4,000 letters (no place to break: a background of 65,536 'b's ran the
    PDF past its 120 CPU-s, HF0710): WeasyPrint found each of its lines by laying the
    whole rest of the word out, hyphenating it and laying it out again (~70 characters
    handed to Pango for each one the word holds, twice as many at twice the length). Now
    ~17 at any length, and every box is where
    WeasyPrint alone puts it: long words with and without hyphenation points, a word
    followed by markup (a text ending in a space), unspaced CJK and Thai, narrow columns
    (WeasyPrint's cut after the first space), `pre-wrap`, and a word left to overflow."""
    import weasyprint
    word = "b" * 4000
    html = f'<html lang="en"><style>html {{ overflow-wrap: anywhere; hyphens: auto }}</style><p>{word}</p></html>'
    plain, _ = _pango_characters(html, [], patched=False)
    linear, _ = _pango_characters(html, [], patched=True)
    assert plain > 55 * len(word), plain            # quadratic: WeasyPrint's own
    assert linear < 25 * len(word), (linear, plain)
    hyphenable = "extraordinarilyunbreakablecooperationalinternationalisation" * 9
    texts = ["c" * 520 + " rests", hyphenable, f"{'d' * 500} <em>after</em> it", "漢字かな交じり文" * 65,
             "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ" * 17, f"a {hyphenable} and {'e' * 300}"]
    # a hyphenated word in a narrow column tries every point of the rest on each line, at
    # a cost WeasyPrint alone pays to the cube: the narrow column has the others
    blocks = "".join(f'<p style="width: {width}; white-space: {ws}; overflow-wrap: {wrap}">{text}</p>'
                     for text in texts for width, ws, wrap in (
                         ("30em", "normal", "anywhere"), ("30em", "pre-wrap", "anywhere"),
                         ("30em", "normal", "normal"), ("2em", "normal", "anywhere"))
                     if width == "30em" or hyphenable not in text)
    # The table's cell is measured at its narrowest, each line laid out from the rest of
    # the word by WeasyPrint alone, at a cost growing faster than the square: ~4.2 CPU-s
    # at the 531 letters above, ~2.3 at seven times the word's 59 (413: past 384, so
    # min_content.py still asks about a 48-letter piece, then a 192-letter one, then the
    # whole, as at 531)
    html = (f'<html lang="en"><style>html {{ hyphens: auto; font-size: 9pt }}</style>{blocks}'
            f'<table><tr><td style="overflow-wrap: anywhere">{hyphenable[:59 * 7]}</td><td>x</td></tr></table></html>')
    css = [weasyprint.CSS(string="@page { size: A4 }")]
    assert _pango_characters(html, css, patched=True)[1] == _pango_characters(html, css, patched=False)[1]


def _letters_outside(pdf) -> tuple[int, list[str]]:
    """(how many 'b's the PDF prints, every word not wholly inside its page)."""
    import subprocess

    from lxml import etree
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    letters, outside = 0, []
    for page in tree.iterfind(".//h:page", ns):
        width, height = float(page.get("width")), float(page.get("height"))
        for word in page.iterfind(".//h:word", ns):
            text = word.text or ""
            letters += text.count("b") if set(text) <= {"b", "\u2010", "-"} else 0
            if not (0 <= float(word.get("xMin")) and float(word.get("xMax")) <= width
                    and 0 <= float(word.get("yMin")) and float(word.get("yMax")) <= height):
                outside.append(text[:20])
    return letters, outside


def test_a_background_of_one_long_word_prints_whole_inside_the_page(tmp_path):
    """A background of one word of 16,384 letters (check is clean: a value may hold
    65,536): the PDFs took 97 CPU-s (the word's full 65,536: over the 120 s budget,
    HF0710 naming no content file). Under a budget of 20 CPU-s they build, and the
    sheet and the compendium print every letter, each line inside the page."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text()
    hero.write_text(text[:text.index("background:")] + f"background: '{'b' * 16384}'\n")
    # (in the build's own process: render_one's budget is each book's there as in a pool)
    run = foundry("build", "--project", str(root), "--only", "pdf", env={"FOUNDRY_RENDER_SECONDS": "20", **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    for book in ("heroes/first-hero.pdf", "compendium.pdf"):
        letters, outside = _letters_outside(root / "build/pdf" / book)
        assert letters == 16384 and not outside, (book, letters, outside[:5])


def test_the_sheets_column_lays_each_page_out_not_the_whole_rest_on_every_page():
    """The hero sheet is a flex column: WeasyPrint found each item's cross size by
    laying all of its remaining content out on every page (layout/flex.py step 7), a
    65,000-character CJK background taking 80 CPU-s of the sheet. flex_cross.py bounds
    that layout by the page: the lines laid out grow with the text (~0.4 a character),
    not with pages × text (~0.8 at 12,000 and growing), and every box is where it was."""
    import weasyprint
    from weasyprint.layout import inline
    text = "漢字かな交じり文" * 1500
    html = ('<html lang="ja"><body class="sheet"><article class="sheet"><h1 class="name">Rook</h1>'
            f'<section class="background prose"><h2 class="sheet-part">Background</h2><p>{text}</p></section>'
            '</article><section class="sheet-notes"><p class="write-line"></p></section></body></html>')
    css = [weasyprint.CSS(filename=str(PRINT_CSS / name)) for name in ("base.css", "sheet.css")]
    original, lines = inline.split_text_box, [0]

    def split_text_box(*args, **kwargs):
        lines[0] += 1
        return original(*args, **kwargs)

    inline.split_text_box = split_text_box
    try:
        _, whole = _pango_characters(html, css, patched=True)
        unbounded, lines[0] = lines[0], 0
        _, bounded = _pango_characters(html, css, patched=True, column=True)
    finally:
        inline.split_text_box = original
    assert len(bounded) > 4 and bounded == whole
    assert unbounded > 0.7 * len(text) and lines[0] < 0.5 * len(text), (unbounded, lines[0])
