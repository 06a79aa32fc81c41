"""The print-on-demand edition of a gamebook (`[print] editions = true`): PDF/X-4 with
an output intent, the trim size from foundry.toml, 3 mm bleed, crop marks, every font
embedded, the same section numbers as the screen gamebook, and the same bytes from
two builds — read back with pikepdf, pdffonts and pdftotext."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal

import pikepdf
import pytest

from book_support import need_poppler, page_words, pdffonts, pdfinfo, pdftext
from support import REPO, ROOTS, foundry

from pipeline.epoch import FALLBACK

BLEED = Decimal(3) * 72 / Decimal("25.4")        # 3 mm in points


def _project(where):
    """The minimal project with print editions (trim 6 x 9 in) and no compendium: every
    test here reads the gamebook (the edition, the screen one beside it), and the
    compendium, set on A4 whatever the trim, was a fourth book each build made for
    nothing (~0.4 CPU-s)."""
    shutil.copytree(ROOTS / "minimal", where)
    config = where / "foundry.toml"
    config.write_text(config.read_text() + '\n[print]\neditions = true\ntrim = "6in 9in"\ncompendium = false\n')
    return where


def _build(root, *args: str, env: dict | None = None):
    """`foundry build --only pdf` rendering in its own process (FOUNDRY_JOBS=1): a pool's
    workers cost ~0.5 CPU-s a build and gain nothing on three books; the books are the
    same exporter's either way (tests/books/test_overflow.py `_build_pdf`)."""
    return foundry("build", "--only", "pdf", "--project", str(root), *args, env={"FOUNDRY_JOBS": "1", **(env or {})})


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """Two builds of the same project in two folders: the first with SOURCE_DATE_EPOCH
    at the date an edition carries when it is unset (2000-01-01, pipeline/epoch.py's
    FALLBACK), the second with it unset. Their editions must be the same bytes: one
    pair of builds for both kinds of sameness (two builds given the epoch; two builds
    given none, each of which equals the build given the fallback), where there were
    four."""
    base = tmp_path_factory.mktemp("print")
    builds = []
    for name, epoch in (("first", str(FALLBACK)), ("second", "")):
        root = _project(base / name)
        run = _build(root, env={"SOURCE_DATE_EPOCH": epoch})
        assert run.code == 0, run.stdout + run.stderr
        builds.append(root / "build")
    return builds


def test_trimmed_with_bleed_and_an_output_intent(editions):
    path = editions[0] / "print/stories/first-story.pdf"
    with pikepdf.open(path) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        intents = pdf.Root.OutputIntents
        assert intents[0].S == "/GTS_PDFX" and "/DestOutputProfile" in intents[0]
        assert len(pdf.pages) > 1
        for page in pdf.pages:
            trim = [Decimal(str(v)) for v in page.obj.TrimBox]
            bleed = [Decimal(str(v)) for v in page.obj.BleedBox]
            media = [Decimal(str(v)) for v in page.obj.MediaBox]
            assert trim[2] - trim[0] == 432 and trim[3] - trim[1] == 648      # 6 × 9 in
            for i, sign in enumerate((-1, -1, 1, 1)):
                assert abs(bleed[i] - (trim[i] + sign * BLEED)) < Decimal("0.01")
                assert abs(media[i] - bleed[i]) < Decimal("0.01")   # crop marks sit in the bleed


def test_no_annotation_inside_the_bleed_box(editions):
    # PDF/X allows no annotation inside the BleedBox but trap networks and printer's
    # marks: every "turn to N" was a link annotation, and the preflight print services
    # run ("Annotation inside page area") refused each page holding one.
    def annotated(path) -> list[tuple[int, str]]:
        with pikepdf.open(path) as pdf:
            return [(n, str(annot.get("/Subtype"))) for n, page in enumerate(pdf.pages, 1)
                    for annot in page.obj.get("/Annots", [])
                    if annot.get("/Subtype") not in ("/TrapNet", "/PrinterMark")]
    assert annotated(editions[0] / "pdf/stories/first-story.pdf"), "the screen gamebook links its sections"
    assert not annotated(editions[0] / "print/stories/first-story.pdf")


def test_fonts_embedded_and_sections_match_the_screen_gamebook(editions):
    need_poppler()
    build = editions[0]
    edition = build / "print/stories/first-story.pdf"
    assert all(f["emb"] == "yes" for f in pdffonts(edition))

    def turns(pdf) -> list[str]:
        return re.findall(r"turn to (\d+)", " ".join(pdftext(pdf).split()))

    screen = turns(build / "pdf/stories/first-story.pdf")
    assert screen and turns(edition) == screen


def test_two_builds_give_the_same_bytes(editions):
    first, second = (b / "print/stories/first-story.pdf" for b in editions)
    assert first.read_bytes() == second.read_bytes()


def test_a_trim_size_that_is_not_a_size_is_refused(tmp_path):
    root = _project(tmp_path / "bad")
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('trim = "6in 9in"', 'trim = "6in; } body { color: red"'))
    run = foundry("check", "--project", str(root))
    assert run.code == 1 and "trim" in run.stdout + run.stderr


@pytest.mark.parametrize("trim, says", [
    ("0in 9in", "should be a page from 50 mm to 1189 mm"),           # a 1,035-page book of broken words
    ("0.01mm 0.01mm", "should be a page from 50 mm to 1189 mm"),
    ("999in 999in", "should be a page from 50 mm to 1189 mm"),       # past the 200 in a PDF page may measure
    ("a4", "did you mean 'A4'?"),
    ("6in9in", "like '6in 9in' (mm, cm or in), not '6in9in'"),
    ("1190mm 841mm", "should be a page from 50 mm to 1189 mm"),     # was 'not a width and height'
    ("1189mm 841mm", None),                                          # A0, the largest allowed: was refused
    ("6in 9in\\n", "should be A4, A5, A6, B5, letter"),              # `$` matched before the newline
    ("6.625in 10.25in", None),      # Lulu's comic book, in thousandths: was refused as no size at all
    # a size as people write one was told only the shape, now its form too
    ("6 in 9 in", "not '6 in 9 in': did you mean '6in 9in'?"),
    ("148 x 210 mm", "did you mean '148mm 210mm'?"),
    ('6.14\\" x 9.21\\"', "did you mean '6.14in 9.21in'?"),
])
def test_a_trim_no_printer_can_cut_is_refused_in_words(tmp_path, trim, says):
    # the pattern let any 0-999 of a unit through, and said a refusal with the regex itself
    root = _project(tmp_path / "odd")
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('trim = "6in 9in"', f'trim = "{trim}"'))
    run = foundry("check", "--project", str(root), "--format", "json")
    if says is None:
        assert run.code == 0 and not run.json()["diagnostics"], run.stdout
        return
    [diag] = [d for d in run.json()["diagnostics"] if d["file"] == "foundry.toml"]
    assert run.code == 1 and diag["code"] == "HF0205" and says in diag["message"], diag
    assert "pattern" not in diag["message"] and "^(" not in diag["message"]


def test_without_source_date_epoch_two_builds_give_the_same_bytes(editions):
    """PDF/X-4 must carry its dates; given none, WeasyPrint wrote the clock's (its
    xmp:MetadataDate, CreationDate and ModDate), so without SOURCE_DATE_EPOCH every build
    of the same files wrote another edition, and one kept by an incremental build was
    not a clean build's. It carries the fallback the EPUB carries, 2000-01-01: the
    edition built without the epoch is the bytes of the one built with the fallback
    (as another build without it would be: the clock's dates in either differ)."""
    given, unset = (b / "print/stories/first-story.pdf" for b in editions)
    with pikepdf.open(unset) as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("xmp:MetadataDate") == "2000-01-01T00:00:00Z"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20000101000000")
        assert str(pdf.docinfo["/ModDate"]).startswith("D:20000101000000")
    assert unset.read_bytes() == given.read_bytes()


# The small trims' tests share their builds: one project a trim, holding what each test
# of that trim writes into it (a build ~1.5 CPU-s; seven were five). Each test reads its
# own book and words, and each asserts that its build said no HF1139 and the book is
# made, as it did with a build of its own.
SMALL_TRIMS = {"A6": ("stats", "counters"), "2in 3.5in": ("stats",), "297mm 105mm": ("stats",),
               "2in 5in": ("counters", "german"), "50mm 80mm": ("german",)}


def _small_trim_build(root, trim: str, parts: tuple[str, ...]):
    """The print-edition project at `root` with `trim`, and `parts` of what the tests
    below write: "stats" (a story title of two long words, which the cover sets large,
    and two more stats with long names: test_every_word_stays_whole_inside_a_small_trim),
    "counters" (two variables starting at the widest whole numbers:
    test_a_counter_as_wide_as_a_count_may_be_starts_at_one_number), "german" (the books
    in German too: test_the_themes_own_headings_fit_a_small_trim_in_german); built
    (`--format json`), asserted clean of HF1139."""
    root = _project(root)
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('trim = "6in 9in"', f'trim = "{trim}"')
                      + ('\n[l10n]\nlanguages = ["de"]\n' if "german" in parts else ""))
    story = root / "content/stories/first-story.md"
    if "stats" in parts:
        story.write_text(story.read_text().replace("title: The Fog Road", "title: The Shipwrecked Lighthouse"))
        rules = root / "schemas/attributes.yaml"
        rules.write_text(rules.read_text().replace(
            "point_budget:", "  charisma: {name: Charisma, min: 1, max: 20, default: 8}\n"
                             "  perception: {name: Perception, min: 1, max: 20, default: 8}\npoint_budget:"))
    if "counters" in parts:
        story.write_text(story.read_text().replace(
            "  coins: 2\n", "  coins: 2\n  gold: 9007199254740991\n  debt: -9007199254740991\n"))
    run = _build(root, "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF1139"], run.stdout
    return root


@pytest.fixture(scope="module")
def small_trim(tmp_path_factory):
    """The built project of a trim of SMALL_TRIMS, built once for the module on first use."""
    made: dict[str, object] = {}

    def build(trim: str):
        if trim not in made:
            made[trim] = _small_trim_build(tmp_path_factory.mktemp("trim") / "world", trim, SMALL_TRIMS[trim])
        return made[trim]
    return build


@pytest.mark.parametrize("trim", ["A6", "2in 3.5in", "297mm 105mm"])
def test_every_word_stays_whole_inside_a_small_trim(small_trim, trim):
    """A print edition's trim may be A6, or as small as 2 in a side. The adventure
    sheet set eight stats a row whatever the page, so on A6 a hero's 'Strength' (eight
    capitals, no hyphenation point) was broken 'STRENG'/'TH' with a warning telling the
    rule book's author to shorten it; and the page's side margins were A5's 31 mm
    whatever the trim, so a 2 in page had a column of 19 mm and broke 'Road' on the
    title page and every stat's name; a landscape one (297 mm x 105 mm) set the cover
    over two pages. Rows hold as many stats as the page has room for,
    and the margins are a share of a small page; the cover's title is A5's scaled
    to the page ('Ship|wrecked' broke at 30pt on 2 in)."""
    need_poppler()
    assert "stats" in SMALL_TRIMS[trim]
    root = small_trim(trim)            # no HF1139 said (_small_trim_build)
    book = root / "build/print/stories/first-story.pdf"
    edge = float(BLEED)                         # pdftotext's page is the trim and its bleed
    info = pdfinfo(book)
    width = float(info["Page size"].split()[0])
    words, pages = [], []
    for page in range(1, int(info["Pages"]) + 1):
        _, on_page = page_words(book, page)
        outside = [w.text for w in on_page if w.x0 < edge - 0.01 or w.x1 > width - edge + 0.01]
        assert not outside, (page, outside)
        words += [w.text for w in on_page]
        pages.append(on_page)
    for name in ("STRENGTH", "AGILITY", "CONSTITUTION", "CHARISMA", "PERCEPTION", "Shipwrecked", "Lighthouse"):
        assert name in words, words
    # the cover is one page: a landscape trim's padding (a share of the width) pushed
    # the title and subtitle onto a second
    assert {"MINIMAL", "Shipwrecked", "Lighthouse", "gamebook"} <= {w.text for w in pages[0]}, pages[0]
    # each stat's number is under its name, on its page (the 2 in sheet ended a page
    # with 'CHARISMA  PERCEPTION' and began the next with '8  8')
    for name in ("STRENGTH", "AGILITY", "CONSTITUTION", "WITS", "CHARISMA", "PERCEPTION", "HIT", "DEFENSE"):
        page, label = next((p, w) for p in pages for w in p if w.text == name)
        # its column: from the name to the next name of its row
        after = min((w.x0 for w in page if abs(w.y0 - label.y0) < 1 and w.x0 > label.x1 + 4), default=width)
        assert any(w.text.isdigit() and 0 < w.y0 - label.y1 < 16 and label.x0 - 4 < w.x0 < after
                   for w in page), (name, [w.text for w in page])
    # the box to write a counter in keeps its room (the name's 30 mm and the start's
    # 25 mm took a 2 in line's 40 mm, the box none): 'starts at 2' ends 10 mm short
    # of the text's right edge at the least (the right margin is at most 17 mm)
    start = next(w for p in pages for a, b, w in zip(p, p[1:], p[2:]) if (a.text, b.text) == ("starts", "at"))
    mm = 72 / 25.4
    right_margin = min(17 * mm, 0.115 * (width - 2 * edge))   # gamebook.css's widest
    assert start.x1 < width - edge - right_margin - 10 * mm, start


ARABIC = "الاستقلالية" * 12        # one word of 132 letters: broken to fit a cell of any page


def test_a_running_head_stays_inside_a_short_trim(tmp_path):
    """A page 50 mm tall, the least a trim may be: the top margin, a share of the page
    (gamebook.css), was 4 mm, under the running head's 12 pt line, and the section
    numbers at the top of each page printed 1 pt above the trim, cut off with the
    bleed. The top margin is never less than the head's line; every word of every
    page lies inside the trim.

    And the cover is one page, with the longest title a story and a world may have (200
    Japanese characters each) and the world's authors: the authors' 40 mm above them
    alone took a page 50 mm tall (the cover on three pages), and the title set at the
    theme's size took three pages of A5 too, in the screen gamebook; the cover is laid
    out again with its parts as small as they must be (pdf/cover_fit.py).

    And an Arabic word broken to fit a table's cell fits the cell: WeasyPrint measured
    each piece shaped among the letters after it and drew it alone, its last letter in
    its wider final form, 3.7 pt past the cell (pdf/joined_breaks.py)."""
    need_poppler()
    root = _project(tmp_path / "world")
    config = root / "foundry.toml"
    title = ("霧の沼地と葦原と柳の長い道を越えて港へ帰る" * 10)[:200]
    config.write_text(config.read_text(encoding="utf-8").replace('trim = "6in 9in"', 'trim = "200mm 50mm"')
                      .replace('title = "Minimal"', f'title = "{title}"')
                      .replace("authors = []", 'authors = ["Ann Quill", "Bo Reed"]'), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", f"title: {title}")
                     .replace("Boot prints, fresh,", f"| Place | Note |\n|---|---|\n| Harbour | {ARABIC} |\n\n"
                              "Boot prints, fresh,"), encoding="utf-8")
    run = _build(root)
    assert run.code == 0, run.stdout + run.stderr
    book = root / "build/print/stories/first-story.pdf"
    for pdf in (book, root / "build/pdf/stories/first-story.pdf"):
        _, cover = page_words(pdf, 1)
        _, after = page_words(pdf, 2)
        assert {"gamebook", "QUILL", "REED"} <= {w.text for w in cover}, (pdf, [w.text for w in cover])
        assert "How" in {w.text for w in after}, (pdf, [w.text for w in after])   # "How to read this book"
    edge = float(BLEED)                         # pdftotext's page is the trim and its bleed
    info = pdfinfo(book)
    width = float(info["Page size"].split()[0])
    heads, cells = 0, []
    for page in range(1, int(info["Pages"]) + 1):
        height, words = page_words(book, page)
        outside = [(w.text, round(w.y0, 1)) for w in words if w.x0 < edge - 0.01 or w.x1 > width - edge + 0.01
                   or w.y0 < edge - 0.01 or w.y1 > height - edge + 0.01]
        assert not outside, (page, outside)
        heads += any(w.text.isdigit() and w.y1 < height / 4 for w in words)
        cells += [w for w in words if w.text == "Note" or re.search("[\u0600-\u06ff]{5}", w.text)]
    assert heads >= 3, heads                   # the sections' pages carry their heads
    # the Arabic cell's pieces (set right to left, flush with the cell's right edge)
    # begin at or after its column's left edge, where its head 'Note' begins (the
    # longest piece began 2.5 pt before it)
    note = next(w for w in cells if w.text == "Note")
    pieces = [w for w in cells if w is not note]
    assert len(pieces) >= 2 and sum(len(w.text) for w in pieces) == len(ARABIC), [w.text for w in pieces]
    assert min(w.x0 for w in pieces) >= note.x0 - 0.1, [(round(w.x0, 1), round(note.x0, 1)) for w in pieces]


def test_a_row_of_stat_names_stays_on_the_page_of_its_numbers():
    """The adventure sheet's grid of stats (gamebook.css, as shipped) laid out by
    WeasyPrint with the grid at every height near a page's foot: a page could end after
    its row of names, 'CHARISMA  PERCEPTION' at the foot of one page and '8  8' atop the
    next (a 2 in print edition, or a third hero's sheet on A5)."""
    weasyprint = pytest.importorskip("weasyprint")
    from weasyprint.formatting_structure import boxes
    css = (REPO / "themes/default/print/css/gamebook.css").as_uri()
    grid = ('<table class="stat-grid"><tr><th scope="col">Charisma</th><th scope="col">Perception</th></tr>'
            '<tr><td>8</td><td>9</td></tr></table>')

    def pages_of(box, page, found):
        if isinstance(box, boxes.TextBox):
            found.setdefault(box.text.strip(), page)
        for child in getattr(box, "children", ()):
            pages_of(child, page, found)
        return found

    for spacer in range(156, 166):     # A5's text is 175 mm high: the grid at its foot
        html = (f'<html><head><link rel="stylesheet" href="{css}"></head><body>'
                f'<div style="height: {spacer}mm"></div>{grid}</body></html>')
        found: dict[str, int] = {}
        for number, page in enumerate(weasyprint.HTML(string=html).render().pages):
            pages_of(page._page_box, number, found)
        assert found["CHARISMA"] == found["8"] and found["PERCEPTION"] == found["9"], (spacer, found)


@pytest.mark.parametrize("trim", ["2in 5in", "A6"])
def test_a_counter_as_wide_as_a_count_may_be_starts_at_one_number(small_trim, trim):
    """The adventure sheet's 'Keep count' prints what each of the story's variables
    starts at; a whole number may be as wide as 2^53 (seventeen characters with its
    sign). On a 2 in trim its cell was 13 mm, and '9007199254740991' printed as
    '90071992' over '54740991': two numbers, one under the other, which the reader
    copies as such (and HF1139 told the writer to shorten a number the rules allow).
    A number is never broken: one too wide for its cell is set smaller."""
    need_poppler()
    assert "counters" in SMALL_TRIMS[trim]
    root = small_trim(trim)            # no HF1139 said (_small_trim_build)
    book = root / "build/print/stories/first-story.pdf"
    edge = float(BLEED)
    info = pdfinfo(book)
    width = float(info["Page size"].split()[0])
    words = [w for page in range(1, int(info["Pages"]) + 1) for w in page_words(book, page)[1]]
    for number in ("9007199254740991", "-9007199254740991"):
        found = [w for w in words if w.text == number]
        assert found, (number, [w.text for w in words if w.text[-1:].isdigit()])
        assert all(edge <= w.x0 and w.x1 <= width - edge for w in found), found


@pytest.mark.parametrize("trim", ["2in 5in", "50mm 80mm"])
def test_the_themes_own_headings_fit_a_small_trim_in_german(small_trim, trim):
    """The gamebook's front matter is headed in the theme's words, in the book's
    language: the default theme's German 'Abenteuerbogen' (adventure sheet), one word
    of 14 letters, set at 20 pt on a 2 in trim's 40 mm line, printed as 'Abenteuerbog'
    over 'en', and HF1139 named the story's file, with no line, for a word no file of
    the project holds. The front's headings are set smaller on a small page, as the
    cover's title is: every word of the theme's stays whole, and nothing is said."""
    need_poppler()
    assert "german" in SMALL_TRIMS[trim]
    root = small_trim(trim)            # no HF1139 said (_small_trim_build)
    book = root / "build/print/de/stories/first-story.pdf"
    words = pdftext(book).split()
    assert "Abenteuerbogen" in words, words


def test_print_editions_without_the_pdf_output_are_said_at_the_setting(tmp_path):
    # `editions = true` with no "pdf" in [build] outputs wrote no edition and said nothing
    root = _project(tmp_path / "no-pdf")
    config = root / "foundry.toml"
    text = re.sub(r'(?m)^outputs = .*$', 'outputs = ["html", "epub"]', config.read_text())
    assert 'outputs = ["html", "epub"]' in text
    config.write_text(text)
    line = text.splitlines().index("editions = true") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0760", "foundry.toml", line)], found
