"""A letter carrying a tall stack of combining marks (as many as HF0133 lets through)
is given room on its line in every book: its tower stays inside the page and clear of
the lines above and below (measured with `pdftotext -bbox`, which boxes each mark
where it is drawn). A hero's name of 29 acutes on one letter printed 20 pt past the
sheet's top edge, over the "HERO" label; 12 marks in a paragraph over its lines."""

from __future__ import annotations

import shutil

import pytest

from book_support import EPOCH, ONE_PROCESS, Word, need_poppler, page_words, pdfinfo
from support import ROOTS, foundry

ACUTE, DOT_BELOW = "\u0301", "\u0323"
NAME = f"Ro{ACUTE * 29}ok"        # 29 marks: one short of HF0133's limit
UP = f"Be{ACUTE * 12}ll"           # in prose: lines above and below it
DOWN = f"Du{DOT_BELOW * 12}sk"
FILLER = "The marsh road bends past the old mill and the reed beds where the herons wait for the tide. "
PROSE = FILLER * 3 + f"Rook calls it {UP} and the guide calls it {DOWN}, and neither will say why. " + FILLER * 3
TOLERANCE = 0.5   # pt: rounding


def _marks(word: Word) -> bool:
    return bool(word.text) and all(ch in (ACUTE, DOT_BELOW) for ch in word.text)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    need_poppler()
    root = tmp_path_factory.mktemp("stacks") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", f"name: {NAME} Amsel")
                    .replace("Rook grew up", PROSE + "\n\n  Rook grew up"), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("The fog comes in off the marsh like a tide.", PROSE),
                     encoding="utf-8")
    run = foundry("build", "--only", "pdf", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    return root / "build/pdf"


BOOKS = ["heroes/first-hero.pdf", "compendium.pdf", "stories/first-story.pdf"]


@pytest.mark.parametrize("book", BOOKS)
def test_a_tall_stack_of_marks_stays_inside_the_page_and_clear_of_other_lines(books, book):
    pdf = books / book
    pages = int(pdfinfo(pdf)["Pages"])
    stacks = 0
    for page in range(1, pages + 1):
        height, words = page_words(pdf, page)
        outside = [w for w in words if w.y0 < -TOLERANCE or w.y1 > height + TOLERANCE]
        assert not outside, f"{book} page {page}: drawn past the paper's edge: {outside[:3]}"
        for base in words:
            if _marks(base) or not any(base.text.startswith(s[:2]) and len(base.text) > 2 and base.text[2] in (ACUTE, DOT_BELOW)
                                       for s in (NAME, UP, DOWN)):
                continue
            # the marks drawn on this word's letters, and the other lines' words over them
            tower = [m for m in words if _marks(m) and base.x0 - TOLERANCE <= m.x0 <= base.x1 + TOLERANCE
                     and abs(m.y0 - base.y0) > TOLERANCE and abs(m.y0 - base.y0) < 400]
            if not tower:   # marks drawn over each other, not stacked (Libertine's below, its italic's)
                continue
            stacks += 1
            x = sum(m.x0 for m in tower) / len(tower)
            over = [w for w in words if not _marks(w) and w.x0 - 1 <= x <= w.x1 + 1]
            above = [w.y1 for w in over if w.y1 <= base.y0 + TOLERANCE]
            below = [w.y0 for w in over if w.y0 >= base.y1 - TOLERANCE]
            for mark in tower:
                if mark.y0 < base.y0 and above:
                    assert mark.y0 >= max(above) - TOLERANCE, \
                        f"{book} page {page}: a mark on {base.text!r} at {mark.y0:.1f} pt over the line above (ending {max(above):.1f})"
                if mark.y0 > base.y0 and below:
                    assert mark.y1 <= min(below) + TOLERANCE, \
                        f"{book} page {page}: a mark on {base.text!r} ending {mark.y1:.1f} pt over the line below (from {min(below):.1f})"
    assert stacks, f"{book}: no stacked letter found"   # the prose's, and the name's in the sheet and compendium


def test_thousands_of_stacked_letters_in_one_text_are_wrapped_in_order_in_linear_time():
    """A value of 16,384 words of a letter and three marks (81,920 characters): every word
    wrapped, the text unchanged and in order, around text and a tail alike. Each span
    was inserted at its index, a walk of the children before it: 5 s of CPU, 12 under
    a profiler, for one value."""
    import time

    import lxml.html

    from pipeline.exporters.books.mark_room import CLASS, _hint, _run_pattern, room_for_marks

    _run_pattern(), _hint()   # built once per process: not this test's cost
    # room above and below in turn: words side by side needing the same room share a
    # pair of spans, and these need a pair each
    run = ("a" + ACUTE * 3 + " b" + DOT_BELOW * 3 + " ") * 8_192
    tail = f"{UP} {DOWN} {UP}"
    html = f"<html><body><p>x{run}<b>q</b>{tail}y</p></body></html>"
    start = time.process_time()
    out = room_for_marks(html)
    spent = time.process_time() - start
    paragraph = lxml.html.document_fromstring(out).find(".//p")
    assert paragraph.text_content() == f"x{run}q{tail}y"
    assert len(paragraph.find_class(CLASS)) == 16_384 + 3
    assert spent < 2.0, f"{spent:.1f} s of CPU to wrap 16,384 stacked words"


def test_one_long_word_of_stacked_letters_is_wrapped_in_linear_time():
    """A word of 40,000 letters of three marks each, no space between (within HF0133's
    thirty marks a letter; 280 KB, a content file holds 2 MiB): one pair of spans around
    it, for the books and a site page alike. Each stack scanned to the word's end for
    it: 20 s of CPU, a 1 MB word 113 s, on every site page showing it."""
    import time

    from pipeline.exporters.books.mark_room import CLASS, _hint, _run_pattern, room_for_marks, room_for_marks_in_place

    _run_pattern(), _hint()   # built once per process: not this test's cost
    word = ("a" + ACUTE * 3) * 40_000
    html = f"<html><body><p>x {word} y</p></body></html>"
    for rewrite in (room_for_marks, room_for_marks_in_place):
        start = time.process_time()
        out = rewrite(html)
        spent = time.process_time() - start
        assert out.count(f'class="{CLASS}"') == 1 and out.count(word) == 1, rewrite.__name__
        assert spent < 2.0, f"{rewrite.__name__}: {spent:.1f} s of CPU for one word of 40,000 stacks"


def test_a_stacked_letter_inside_a_template_s_svg_or_math_is_left_as_it_is():
    """An `<svg>` a print template writes (a banner with the hero's name) holds SVG,
    not HTML: a span put in its `<text>` ends the `<svg>` for the parser WeasyPrint
    reads the book with (tinyhtml5), and the name after the stacked letter spilled
    out of the banner into the page."""
    import tinyhtml5

    from pipeline.exporters.books.mark_room import room_for_marks

    svg_name = f"Banner Ro{ACUTE * 4}ok Amsel"
    html = (f"<html><body><svg><text>{svg_name}</text></svg><math><mi>x{ACUTE * 3}</mi></math>"
            f"<p>{UP}</p></body></html>")
    tree = tinyhtml5.parse(room_for_marks(html))
    svg, math = "{http://www.w3.org/2000/svg}", "{http://www.w3.org/1998/Math/MathML}"
    assert "".join(tree.find(f".//{svg}text").itertext()) == svg_name
    assert "".join(tree.find(f".//{math}mi").itertext()) == f"x{ACUTE * 3}"
    assert tree.find(f".//{{http://www.w3.org/1999/xhtml}}p/{{http://www.w3.org/1999/xhtml}}span") is not None  # prose still given room


def test_a_word_given_room_is_shaped_as_one_word(tmp_path):
    """Text in two boxes is shaped apart: the span went around the stacked letter
    alone, so Arabic's Allah (its lam carrying shadda, fatha and the dagger alif, three
    marks above) printed its letters in isolated forms, and a Vedic Devanagari word
    (a conjunct before a letter with a vowel sign, anusvara and udatta) lost its
    conjunct. Each word prints as wide with its room as without."""
    need_poppler()
    import weasyprint

    from pipeline.exporters.books.mark_room import CLASS, room_for_marks

    allah, vedic = "\u0671\u0644\u0644\u0651\u064e\u0670\u0647\u0650", "\u0915\u094d\u0937\u0947\u0902\u0951\u0924\u094d\u0930"
    html = (f'<html><body style="font-size:30pt"><p dir="rtl" lang="ar" style="font-family:Noto Naskh Arabic">'
            f'{allah} {allah}</p><p lang="sa" style="font-family:Noto Sans Devanagari">{vedic}</p></body></html>')
    given = room_for_marks(html)
    assert given.count(CLASS) == 2     # the two words of Allah, side by side, in one
    widths = []
    for n, book in enumerate((html, given)):
        weasyprint.HTML(string=book).write_pdf(tmp_path / f"{n}.pdf")
        widths.append(sorted(round(w.x1 - w.x0, 1) for w in page_words(tmp_path / f"{n}.pdf", 1)[1]))
    assert widths[1] == widths[0]


def test_a_tall_scripts_word_gets_its_scripts_room_not_a_tower_for_each_mark(tmp_path):
    """A word of a script tall in every line (Myanmar here) gets the room its script's
    ink needs, counted a letter at a time: the marks of the whole word were counted as
    one tower (ten marks, one or two a letter), and a one-line Myanmar heading took
    3.85 em. Its line is still tall enough for its ink (test_scripts.py measures that)."""
    need_poppler()
    import weasyprint

    from pipeline.exporters.books.mark_room import room_for_marks

    word = "\u101e\u1004\u103a\u1039\u1001\u103b\u102d\u102f\u1004\u103a\u1038\u1000\u103c\u103d\u103e\u1031\u1038"
    html = ('<html><head><style>p { margin: 0 }</style></head><body style="font-size:20pt; line-height:1.15">'
            f'<p>Above</p><p>{word}</p><p>Below</p></body></html>')
    weasyprint.HTML(string=room_for_marks(html)).write_pdf(tmp_path / "book.pdf")
    words = {w.text: w for w in page_words(tmp_path / "book.pdf", 1)[1]}
    pitch = (words["Below"].y0 - words["Above"].y0) / 20    # em: a line of 1.15 and the Myanmar one (1.7)
    assert pitch < 3.2, pitch


def test_a_site_page_is_given_room_in_its_own_bytes():
    """The site's pages are given the room in place (the EPUB's rewrite serialises the
    page again: its inline SVG's `viewBox` became `viewbox`): every byte of the page
    stays as written but the spans around the words that need them; text in an SVG, a
    script's data, a picker's options and a title is left alone (a span there ends the
    SVG, is dropped or is shown as markup); a page needing nothing is the same string;
    a page the scan misreads is left as it was rather than broken."""
    import re

    from lxml import etree

    from pipeline.exporters.books.mark_room import CLASS, room_for_marks_in_place

    myanmar = "ပြည်ထောင်စု"
    svg = f'<svg viewBox="0 0 10 10"><text>{myanmar}</text><path d="M0 0"/></svg>'
    page = (f"<!DOCTYPE html><html><head><title>{myanmar}</title>"
            f'<script type="application/json">["{myanmar}"]</script></head><body>'
            f'<h1 class="x" title="{myanmar}">A {myanmar} &amp; {UP}</h1>{svg}'
            f"<select><option>{myanmar}</option></select><!-- {myanmar} --><p>Plain</p></body></html>")
    marked = room_for_marks_in_place(page)
    spans = re.compile(f'<span class="{CLASS}" style="[^"]*"><span style="[^"]*">(.*?)</span></span>')
    assert spans.sub(r"\1", marked) == page
    assert spans.findall(marked) == [myanmar, UP]   # the two need different room
    assert svg in marked and f"<option>{myanmar}</option>" in marked
    heading = etree.fromstring(marked, etree.HTMLParser()).find(".//h1")
    assert heading.get("title") == myanmar and "".join(heading.itertext()) == f"A {myanmar} & {UP}"
    english = "<!DOCTYPE html><html><body><h1>Ré</h1></body></html>"
    assert room_for_marks_in_place(english) is english
    # after a <plaintext> everything is text, tags too: a span there would be shown
    plain = f"<html><body><plaintext><p>{myanmar}</p></body></html>"
    assert room_for_marks_in_place(plain) is plain


def test_a_tibetan_stack_is_given_the_room_its_font_draws(tmp_path):
    """A Tibetan letter with 29 subjoined letters below (HF0133 lets 30 through): Noto
    Serif Tibetan, which fontconfig falls back to, stacks each 0.34 to 0.44 em down,
    where the room counted 0.3 em a mark, and the tower drew over the title under the
    hero's name ("Scout of the Marsh Road"). pdftotext boxes the letter by the font's
    ascent, not its ink: the page is rasterised and the tower's ink followed down."""
    import subprocess

    import numpy
    from PIL import Image

    from support import require_tool
    need_poppler()
    require_tool(bool(shutil.which("pdftoppm")), "pdftoppm (poppler-utils)")
    require_tool(subprocess.run(["fc-list", ":lang=bo", "family"], capture_output=True, text=True).stdout.strip() != "",
                 "a Tibetan font (.ci/fonts.txt)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "content/stories/first-story.md").unlink()
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", "name: Rook \u0f40" + "\u0f90" * 29),
                    encoding="utf-8")
    run = foundry("build", "--only", "pdf", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    pdf = root / "build/pdf/heroes/first-hero.pdf"
    _, words = page_words(pdf, 1)
    letter = next(w for w in words if w.text.startswith("\u0f40"))
    title = next(w for w in words if w.text == "Scout")
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-f", "1", "-l", "1", "-singlefile", "-png", str(pdf),
                    str(tmp_path / "page")], check=True)
    ink = (numpy.asarray(Image.open(tmp_path / "page.png")) < 160)[:, int(letter.x0) - 1:int(letter.x0) + 20].any(axis=1)
    row = int(letter.y1)
    while row < len(ink) and ink[row:row + 3].any():   # down the tower, over gaps of a point or two
        row += 1
    assert row < title.y0, f"the tower ends at {row} pt, below the top of the title under it ({title.y0:.1f} pt)"
