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

from book_support import need_poppler, pdftext
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


def _pango_characters(html: str, stylesheets: list, patched: bool) -> tuple[int, list]:
    """(characters WeasyPrint handed Pango to lay out, every laid-out box) for `html`."""
    import weasyprint
    from weasyprint.text import line_break

    from pipeline.exporters.pdf.min_content import min_content_linear
    counted = [0]
    original = line_break.Layout.set_text

    def set_text(self, text, justify=False):
        counted[0] += len(text)
        return original(self, text, justify)

    line_break.Layout.set_text = set_text
    try:
        with min_content_linear() if patched else contextlib.nullcontext():
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
    laying the whole rest of the paragraph out for each one-letter line (~450
    characters laid out for each one it holds, at 1,500). Now a few dozen, and every
    box is laid out where WeasyPrint alone lays it, in several scripts."""
    import weasyprint
    [text] = _prose(1, 1500)
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
    running over as many pages as the text needs, every paragraph printed."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    paragraphs = _prose(12, 2000, seed=3)
    background = "\n\n".join(paragraphs).replace("\n", "\n  ")
    text = hero.read_text()
    hero.write_text(text[:text.index("background:")] + f"background: |\n  {background}\n")
    run = foundry("build", "--project", str(root), "--only", "pdf", env={"FOUNDRY_RENDER_SECONDS": "15"})
    assert run.code == 0, run.stdout + run.stderr
    printed = "".join(pdftext(root / "build/pdf/heroes/first-hero.pdf").split()).replace("\u2010", "")
    for paragraph in paragraphs:   # its first and last words (hyphens at line ends left out)
        assert "".join(paragraph.split())[:40] in printed and "".join(paragraph.split())[-40:] in printed
