"""Every script prints: a world with a Japanese, an Arabic, a Hebrew, a Thai, a
Devanagari, a Khmer and an N'Ko hero, Cyrillic, Greek and accented Latin names, and a story with a Japanese
scene, built on this machine's fonts (CI installs a font for each script of
.ci/fonts.txt, see .ci/missing-fonts) and read
back with poppler: the text extracts as written and every font is embedded. A right-
to-left world says so (`dir="rtl"`) in the site, the PDF and the EPUB. A character no
font has is one warning at the content line that holds it, never one per character."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import textwrap
import unicodedata
import zipfile
import zlib

import pytest
from lxml import etree

from book_support import EPOCH, ONE_PROCESS, ink_meets, need_poppler, page_words, pdffonts, pdfinfo, pdftext, touching_lines
from support import REPO, ROOTS, ci_fonts, foundry, require_tool

JAPANESE, ARABIC, HEBREW = "山田 花子", "ليلى الحداد", "נועה כהן"
CYRILLIC, GREEK, LATIN = "Фёдор Журавлёв", "Ελένη Αθανασίου", "Zoë Łukasiewicz-Ørsted"
# A conjunct, a reph and a pre-base vowel sign (Devanagari), subscript consonants and
# pre-base vowels (Khmer): each drawn as glyphs that do not spell their letters in
# order, read back through the /ActualText WeasyPrint's glyph map cannot give
# (exporters/pdf/actual_text.py); 'ព្រះរាជាណាចក្រ' read 'ព្រះរាជាណាច ក្រក្រ…' before.
THAI, DEVANAGARI, KHMER = "พลอย ใจดี", "प्रिया शर्मा", "សុភា ស្រីពេជ្រ"
# N'Ko, right to left, which poppler (as Adlam, Samaritan, Mandaic and the right-to-left
# scripts of the supplementary plane) does not know to be: it read the glyphs back left
# to right, reversed ('ߋߕ߲ߊߞ ߎߘߊߡߊߡ'), until /ActualText spelled them
NKO = "ߡߊߡߊߘߎ ߞߊ߲ߕߋ"
# Scripts without spaces between words whose breaks Pango has no dictionary for (Thai's
# is libthai): long runs of each, in a sheet's two columns, break over many lines.
MYANMAR, LAO = "သီရိ ခင်", "ແກ້ວ ມະນີ"
RUNS = {"my": "ပြည်ထောင်စုသမ္မတမြန်မာနိုင်ငံတော်" * 6, "lo": "ສາທາລະນະລັດປະຊາທິປະໄຕປະຊາຊົນລາວ" * 6,
        "km": "ព្រះរាជាណាចក្រកម្ពុជាជាតិសាសនាព្រះមហាក្សត្រ" * 4}
# Khmer words of one syllable each, closed by a final written as a plain consonant (or a
# stack: ពេជ្រ): a line may end or start only between two of them.
CLOSED = ("ខ្ញុំ", "បាន", "ទៅ", "ផ្សារ", "ខ្មែរ", "ពេជ្រ")
SCENE = "霧の中で、古い渡し守が待っている。"
ARABIC_PHRASE = "مرحبا بالعالم"
ARABIC_JAPANESE, HEBREW_LATIN = f"{ARABIC} 山田", f"{HEBREW} Cohen-Smith"
# Words of the other direction across inline elements (test_words_of_the_other_direction_…)
HEBREW_BOLD, ARABIC_EMPHASIS = "דוד גדל ב **New** York היום.", "He said مرحبا *بالعالم* today, **٣٤** نقطة."
# (more Arabic words than the book's own "— note “Crossed”, then turn to 2" has English
# ones: such a choice is set right to left, books/direction.py block_direction; with
# fewer, the line is English and left to right, its words in order trivially)
ARABIC_CHOICE = "اعبر إلى الضفة البعيدة من النهر الكبير"
# The scripts beyond Libertine's, by fontconfig language: hero file, name. Exactly the
# languages of .ci/fonts.txt, so CI installs a font for each script printed here.
SCRIPTS = {"ja": ("hanako", JAPANESE), "ar": ("layla", ARABIC), "he": ("noa", HEBREW),
           "th": ("ploy", THAI), "hi": ("asha", DEVANAGARI), "km": ("sophea", KHMER), "nqo": ("mamadu", NKO),
           "my": ("thiri", MYANMAR), "lo": ("keo", LAO)}


# Each build's books rendered in its own process (FOUNDRY_JOBS=1): a pool's workers cost
# CPU to start (~2 CPU-s of the scripts world's ~11) and the books are the same
# exporter's either way (tests/books/test_overflow.py `_build_pdf`).
BUILD_ENV = {"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"}


def _hero(name: str, title: str, background: str) -> str:
    return f"""
    name: {name}
    title: {title}
    status: draft
    template: scout
    attributes: {{agility: 13, constitution: 10}}
    skills: [ambush]
    xp: 120
    background: |
      {background}
    """


FILES = {
    "content/heroes/hanako.yaml": _hero(JAPANESE, "霧の渡し守", "花子は霧の沼地で育った。"),
    "content/heroes/layla.yaml": _hero(ARABIC, "حارسة المنارة", "نشأت ليلى على الساحل."),
    "content/heroes/noa.yaml": _hero(HEBREW, "שומרת המגדלור", "נועה גדלה ליד הים."),
    "content/heroes/ploy.yaml": _hero(THAI, "ผู้เฝ้าประภาคาร", "พลอยเติบโตริมทะเล"),
    "content/heroes/asha.yaml": _hero(DEVANAGARI, "प्रकाशस्तंभ की रक्षक", "प्रिया समुद्र के पास बड़ी हुई।"),
    # Khmer and Arabic on one printed line: each read back in its own order
    "content/heroes/sophea.yaml": _hero(KHMER, "អ្នកយាមប្រទីប", f"ព្រះរាជាណាចក្រកម្ពុជា ក្សត្រ ស្ត្រី {ARABIC_PHRASE}"),
    "content/heroes/mamadu.yaml": _hero(NKO, "ߞߊ߲ߕߋ", "ߒߞߏ ߞߊ߲"),
    "content/heroes/thiri.yaml": _hero(MYANMAR, RUNS["my"][:100], RUNS["my"]),
    "content/heroes/keo.yaml": _hero(LAO, RUNS["lo"][:100], RUNS["lo"]),
    "content/heroes/sothea.yaml": _hero("សុធា", RUNS["km"][:100], RUNS["km"]),
    # in no repeating order, so that lines of it end at many places
    "content/heroes/dara.yaml": _hero("ដារា", "ខ្មែរ", "".join(CLOSED[(n * n + n // 4) % 6] for n in range(150))),
    "content/characters/fyodor.yaml": f"name: {CYRILLIC}\nrole: Ферзь\nstatus: draft\n",
    "content/characters/eleni.yaml": f"name: {GREEK}\nrole: Φύλακας\nstatus: draft\n",
    "content/characters/zoe.yaml": f"name: {LATIN}\nrole: Cartographe à Ærøskøbing\nstatus: draft\n",
    # names in two directions: Arabic then Japanese (a right-to-left block), Hebrew then Latin
    "content/heroes/yuki.yaml": _hero(ARABIC_JAPANESE, "ضيفة", "يوكي ضيفة الساحل."),
    # a hero, so that its compendium entry opens a page of its own and its running head
    # names it (characters share a page, whose head names the first in the alphabet:
    # Latin, Greek and Cyrillic names sort before Hebrew ones, l10n/collation.py)
    "content/heroes/avi.yaml": _hero(HEBREW_LATIN, "טייס", "אבי טס מעל הים."),
    "content/stories/kiri.md": f"""
    ---
    title: 霧の渡し
    status: draft
    summary: A crossing told in Japanese.
    start: shore
    protagonist: hanako
    variables:
      crossed: false
    ---

    ## 岸辺 {{#shore}}

    {SCENE}

    {HEBREW_BOLD}

    {ARABIC_EMPHASIS}

    - [舟に乗る](#boat)
    - [{ARABIC_CHOICE}](#boat){{do="set crossed" id="cross"}}

    ## 舟 {{#boat .ending}}

    向こう岸に着いた。*おわり。*
    """,
}


def _fonts_missing() -> list[str]:
    """The languages of SCRIPTS fontconfig knows no font for."""
    return [lang for lang in SCRIPTS
            if not subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True, text=True).stdout.strip()]


# The minimal project's own people and story, all in Latin letters, which no test here
# reads: they made four of the world's books (a sheet, a story book, its EPUB, their
# pages in the compendium) for nothing.
MINIMAL_CONTENT = ("heroes/first-hero.yaml", "characters/old-guide.yaml", "stories/first-story.md",
                   "quests/first-quest.yaml")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("scripts") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel in MINIMAL_CONTENT:
        (root / "content" / rel).unlink()
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(world):
    need_poppler()
    missing = _fonts_missing()
    require_tool(not missing, f"fonts for {', '.join(missing)} (Debian: .ci/missing-fonts names the packages)")
    run = foundry("build", "--only", "pdf,epub,html", "--format", "json", "--project", str(world),
                  env=BUILD_ENV)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return world / "build", run.json()


def test_ci_installs_a_font_for_every_script_printed_here():
    """A script added here without its font in CI (or listed there, never printed) fails."""
    assert sorted(SCRIPTS) == sorted(lang for lang, _, _ in ci_fonts())


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_script_prints_with_embedded_fonts(built):
    build, report = built
    # On a machine with the fonts, nothing is missing: no warning at all about glyphs.
    assert not [d for d in report["diagnostics"] if d["code"] in ("HF0741", "HF0703")], report["diagnostics"]
    for hero, name in SCRIPTS.values():
        pdf = build / f"pdf/heroes/{hero}.pdf"
        fonts = pdffonts(pdf)
        assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
        text = _squash(pdftext(pdf))
        # pdftotext gives right-to-left text in logical order when the PDF maps it back.
        assert _squash(name) in text or _squash(name)[::-1] in text, (hero, text[:200])
    # in its order, not reversed (the [::-1] above is for the scripts poppler reorders itself)
    assert _squash(NKO) in _squash(pdftext(build / "pdf/heroes/mamadu.pdf")), pdftext(build / "pdf/heroes/mamadu.pdf")
    # what a reader copies is what the page shows, in every line of a Khmer sheet
    sheet = _squash(pdftext(build / "pdf/heroes/sophea.pdf"))
    assert _squash("អ្នកយាមប្រទីប") in sheet and _squash("ព្រះរាជាណាចក្រកម្ពុជា ក្សត្រ ស្ត្រី") in sheet, sheet
    # the Arabic beside the Khmer on that line in its order: one /ActualText over the whole
    # line (logical order) was reversed by poppler, which orders right-to-left words itself
    assert _squash(ARABIC_PHRASE) in re.sub("[\u202a-\u202e]", "", sheet), sheet
    compendium = _squash(pdftext(build / "pdf/compendium.pdf"))
    for name in (JAPANESE, CYRILLIC, GREEK, LATIN):
        assert _squash(name) in compendium, name
    assert any("CJK" in f["name"] for f in pdffonts(build / "pdf/heroes/hanako.pdf"))
    story = _squash(pdftext(build / "pdf/stories/kiri.pdf"))
    assert _squash(SCENE) in story and "霧の渡し" in story


def _faces(pdf) -> list[tuple[str, str]]:
    """(font, text) of each run of text `pdf` draws, as pypdf reads its content streams:
    a font's name says its style (`Noto-Sans-CJK-JP-Oblique`), which pdftotext does not."""
    from pypdf import PdfReader
    runs: list[tuple[str, str]] = []
    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append(
            (str(font.get("/BaseFont", "")).split("+")[-1], text.strip())) if text.strip() and font else None)
    return runs


def test_japanese_in_the_themes_italic_prints_upright_and_emphasis_stays_slanted(built):
    """Japanese has no italics, and the CJK faces none: a hero's epithet `霧の渡し守`, set
    in the theme's italic, printed in `Noto-Sans-CJK-JP-Oblique`, fontconfig's synthetic
    slant of the roman face. It prints upright now; a writer's `*おわり。*` is still set
    apart (slanted, as the site's browser shows it), and Latin italics are their face's."""
    build, _ = built
    epithet = [font for font, text in _faces(build / "pdf/heroes/hanako.pdf") if "霧の渡し守" in text]
    assert epithet and not [f for f in epithet if "Oblique" in f or "Italic" in f], epithet
    emphasis = [font for font, text in _faces(build / "pdf/stories/kiri.pdf") if "おわり" in text]
    assert emphasis and all(f.endswith("CJK-JP-Oblique") for f in emphasis), emphasis
    latin = [font for font, text in _faces(build / "pdf/heroes/hanako.pdf") if text == "Hit points"]
    assert "Libertine-Italic" in latin and not [f for f in latin if "Oblique" in f], latin   # the formulas' names


def test_no_script_in_the_themes_italic_prints_a_made_up_slant(built):
    """The rule above was for CJK only, while the site and the EPUB never slant a face
    that has no italic where the theme's design is italic (`font-synthesis-style`):
    the Thai epithet `ผู้เฝ้าประภาคาร` printed in `Noto-Sans-Thai-Oblique`, the Devanagari,
    Khmer and Myanmar ones likewise, fontconfig's shear of a face with no italic. These
    sheets hold no writer's emphasis, so no such face is in them now (pdffonts); Hebrew
    and Arabic keep DejaVu's Oblique, a face drawn so (no shear to take off)."""
    build, _ = built
    faces = {hero: sorted(row["name"].split("+")[-1] for row in pdffonts(build / f"pdf/heroes/{hero}.pdf"))
             for hero in ("ploy", "asha", "sophea", "thiri", "keo", "hanako")}
    for hero, script in (("ploy", "Thai"), ("asha", "Devanagari"), ("sophea", "Khmer"), ("thiri", "Myanmar")):
        assert f"Noto-Sans-{script}" in faces[hero], faces[hero]    # the epithet's own face, upright
    slanted = {hero: [f for f in names if f.endswith("-Oblique") and not f.startswith("DejaVu")]
               for hero, names in faces.items()}
    assert slanted == {hero: [] for hero in faces}, slanted


def test_japanese_in_the_themes_italic_is_upright_on_the_site_and_in_the_epub(built, browser, tmp_path):
    """The browser slanted a face with no italic where the theme's design is italic: the
    Japanese epithet `霧の渡し守` on the hero's page and in the EPUB's chapter showed as a
    synthetic oblique (drawn differently from the same words set upright). Now drawn as
    upright; a writer's emphasis is still slanted (synthesis left on for <em>)."""
    build, _ = built
    with zipfile.ZipFile(build / "epub/compendium.epub") as z:
        z.extractall(tmp_path)
    page = browser.new_page(viewport={"width": 600, "height": 800})
    try:
        for where, selector in ((build / "site/heroes/hanako.html", ".entity-title"),
                                (tmp_path / "EPUB/hero-hanako.xhtml", ".epithet")):
            page.goto(where.as_uri())
            epithet = page.locator(selector).first
            assert epithet.inner_text() == "霧の渡し守" and epithet.evaluate("e => getComputedStyle(e).fontStyle") == "italic"
            as_shown = epithet.screenshot()
            epithet.evaluate("e => { e.style.fontStyle = 'normal'; }")
            assert epithet.screenshot() == as_shown, where.name
        page.goto((build / "site/stories/kiri.html").as_uri())
        assert page.locator("em").first.evaluate("e => getComputedStyle(e).fontSynthesisStyle") == "auto"
    finally:
        page.close()


# Where a syllable of these scripts cannot be split: a Lao pre-base vowel ends no line
# (its consonant follows it), a Khmer coeng or a Myanmar virama ends none (the letter
# stacked under it follows), and no line starts with a sign (a vowel sign, a mark, a
# Myanmar asat or medial) or with a final consonant (one carrying Myanmar's asat or
# Khmer's bantoc, toandakhiat or viriam).
_ENDS_NO_LINE = re.compile("[\u0ec0-\u0ec4\u17d2\u1039]$")
_STARTS_NO_LINE = re.compile("^(?:[\u0eb0-\u0ebc\u0ec8-\u0ecd\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064"
                             "\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d\u17b4-\u17d3\u17dd]"
                             "|.\u1037?[\u103a\u1039]|.[\u17cb\u17cd\u17d1])")


def test_scripts_without_spaces_break_between_syllables(built):
    """Khmer, Myanmar and Lao, which Pango breaks by no dictionary: a long run had no
    place to break, and the theme's `overflow-wrap: anywhere` broke it between any two
    grapheme clusters, splitting a syllable ('…ປະໄ' / 'ຕ…', '…မြ' / 'န်…'). Each line
    of a sheet and of the compendium ends and starts at a syllable's edge, and the
    breaks added between syllables are not read back (a search finds the run whole)."""
    build, _ = built
    broken = []
    for pdf in ("heroes/thiri.pdf", "heroes/keo.pdf", "heroes/sothea.pdf", "compendium.pdf"):
        # (blank lines dropped: pdftotext puts one between two lines given a tall script's room)
        lines = [line.strip() for line in pdftext(build / "pdf" / pdf).splitlines() if line.strip()]
        for before, after in zip(lines, lines[1:]):
            if before and after and (_ENDS_NO_LINE.search(before) or _STARTS_NO_LINE.search(after)):
                broken.append((pdf, before[-6:], after[:6]))
        if pdf != "compendium.pdf":
            assert sum(1 for line in lines if re.search("[\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff]", line)) >= 6, lines
    # a Khmer final is mostly a plain consonant: no line starts with one ('…ខ្មែ' / 'រ…', '…បា' / 'ន…')
    lines = [line.strip() for line in pdftext(build / "pdf/heroes/dara.pdf").splitlines() if line.strip()]
    joins = [(before, after) for before, after in zip(lines, lines[1:])
             if re.search("[\u1780-\u17ff]$", before) and re.match("[\u1780-\u17ff]", after) and before != "ដារា"]
    assert len(joins) >= 4, lines
    broken += [("heroes/dara.pdf", before[-6:], after[:6]) for before, after in joins
               if not (before.endswith(CLOSED) and after.startswith(CLOSED))]
    assert broken == [], broken
    sheet = pdftext(build / "pdf/heroes/keo.pdf")
    assert "\u200b" not in sheet and _squash(LAO) in _squash(sheet), sheet


def test_the_outline_names_a_khmer_myanmar_or_lao_heading_as_written(built):
    """The breaks put between syllables for the layout are in the headings' text, and
    WeasyPrint labels a heading's bookmark with its text as laid out: the compendium's
    outline named 'សុធា' as 'សុ\u200bធា', and the bookmarks pane a reader searches or a
    screen reader speaks held a break between each two syllables of every Khmer,
    Myanmar and Lao name. Each is named as its writer wrote it."""
    import pypdf

    def titles(items) -> list[str]:
        return [t for item in items for t in (titles(item) if isinstance(item, list) else [item.title])]
    outline = titles(pypdf.PdfReader(built[0] / "pdf/compendium.pdf").outline)
    names = [MYANMAR, LAO, KHMER, "សុធា"]
    assert [n for n in names if n in outline] == names, outline
    assert not [t for t in outline if "\u200b" in t], outline


def test_lines_of_a_tall_script_keep_clear_of_each_other(built):
    """A Myanmar or Khmer line draws ~1.5 em of ink (medials and vowels around the
    consonant, a coeng stack below) and Lao's tone marks over its vowels stand high,
    where the theme's prose gives a line 1.38 em and its headings 1.15: a sheet's
    background printed its lines into each other, a wrapped Myanmar heading touched
    the line above (books/mark_room.py gives each word of such a script its ink's room).
    Measured on the ink, rasterised: no two lines of a page meet."""
    build, _ = built
    pdfs = ("heroes/thiri.pdf", "heroes/keo.pdf", "heroes/sothea.pdf", "heroes/ploy.pdf")
    tall = "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]"    # Thai, Lao, Myanmar, Khmer
    touching = [(pdf, page, pair) for pdf in pdfs for page in range(1, int(pdfinfo(build / "pdf" / pdf)["Pages"]) + 1)
                for pair in touching_lines(build / "pdf" / pdf, page, among=tall)]
    assert touching == [], touching[:5]


# Each line box of a page's text (Range.getClientRects of each text node), and whether
# the ink between the middles of two lines, one over the other, leaves a row clear
_LINE_BOXES = """() => { const boxes = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { if (!walk.currentNode.data.trim()) continue;
    const range = document.createRange(); range.selectNodeContents(walk.currentNode);
    for (const r of range.getClientRects()) boxes.push([r.left, (r.top + r.bottom) / 2, r.right, r.height, walk.currentNode.data]); }
  return boxes; }"""


def test_lines_of_a_tall_script_keep_clear_of_each_other_in_the_epub(built, browser, tmp_path):
    """The same in the EPUB, read in Chromium at a phone's width: its headings' line
    height is 1.2, its prose's 1.45, and a Myanmar hero's wrapped name and title
    printed into each other. The room is the script's, not a tower's for every mark
    of a word: a Myanmar word's ten marks (one or two a letter) gave its heading's
    lines 3.85 em."""
    import io

    import numpy
    from PIL import Image

    build, _ = built
    with zipfile.ZipFile(build / "epub/compendium.epub") as z:
        z.extractall(tmp_path)
    tall = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
    page = browser.new_page(viewport={"width": 360, "height": 640})
    touching, loose = [], []
    for hero in ("thiri", "sothea", "keo"):
        page.goto((tmp_path / f"EPUB/hero-{hero}.xhtml").as_uri())
        boxes = page.evaluate(_LINE_BOXES)
        ink = numpy.asarray(Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")) < 140
        touching += [(hero, text[:12], next_text[:12])
                     for text, next_text in ink_meets(boxes, ink, 1, lambda text, _: bool(tall.search(text)))]
        size, lines = page.evaluate("""() => { const h = document.querySelector('h1, h2');
            return [parseFloat(getComputedStyle(h).fontSize), h.getClientRects().length && h.getBoundingClientRect().height]; }""")
        if lines > 3 * size:   # the name's one line
            loose.append((hero, lines / size))
    page.close()
    assert touching == [], touching[:5]
    assert loose == [], loose


def _touching_on_screen(page, tall: re.Pattern) -> list[tuple[str, str]]:
    """(line, the line under it) of each pair of lines of the page open in `page`, one of
    them holding `tall`, whose ink meets: no row of the screenshot's pixels free of ink
    between the middles of their boxes, across the width they share."""
    import io

    import numpy
    from PIL import Image

    # the page's whole height as the viewport's: a full-page screenshot of a site page
    # (its body a flex column of the viewport's height at least) was the viewport's only
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": page.evaluate("document.documentElement.scrollHeight")})
    boxes = page.evaluate(_LINE_BOXES)
    ink = numpy.asarray(Image.open(io.BytesIO(page.screenshot())).convert("L")) < 140
    page.set_viewport_size({"width": width, "height": 640})
    judged = lambda text, next_text: bool(tall.search(text) or tall.search(next_text))  # noqa: E731
    return [(text[:12], next_text[:12]) for text, next_text in ink_meets(boxes, ink, 1, judged)]


def test_lines_of_a_tall_script_keep_clear_of_each_other_on_the_site(built, browser):
    """The same on the site's pages at a phone's width, in a world written in English:
    a Myanmar hero's wrapped name (its heading's line height 1.15) printed its lines into
    each other and into the draft badge under it; a Khmer or Lao title and paragraph, the
    cards of the heroes' list and the search's results alike."""
    build, _ = built
    tall = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")
    page = browser.new_page(viewport={"width": 360, "height": 640})
    touching = {}
    try:
        for path in ("heroes/thiri.html", "heroes/sothea.html", "heroes/keo.html", "heroes/ploy.html",
                     "heroes/index.html", "index.html", "search.html"):
            page.goto((build / "site" / path).as_uri())
            if path == "search.html":
                page.locator("main input[type=search]").fill(MYANMAR.split()[0])
                page.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
            touching[path] = _touching_on_screen(page, tall)
    finally:
        page.close()
    assert {path: pairs[:3] for path, pairs in touching.items() if pairs} == {}


def test_a_tall_scripts_scene_titles_on_the_story_map_keep_clear_of_each_other(browser):
    """A scene's title on the story map is drawn in SVG lines 16 units apart (13 px
    text): a Myanmar or Khmer title's two lines printed into each other. They are as
    far apart as their script's ink reaches, or one line, clipped, when two would not
    fit the box. Drawn by the map itself with the theme's style sheet (no build)."""
    from pipeline.exporters.html import svg

    # site.css for its colours: without them a node's box is drawn black, all ink
    css = "".join((REPO / "themes/default/static" / name).read_text(encoding="utf-8") for name in ("site.css", "story.css"))
    nodes = [svg.MapNode("a", RUNS["my"][:40], False, True), svg.MapNode("b", RUNS["km"][:40], False, False),
             svg.MapNode("c", "The Lantern Path over the Drowned Coast", False, False)]
    drawn = svg.story_map("Map", nodes, [svg.MapEdge("a", "b", False), svg.MapEdge("b", "c", False)], "a")
    page = browser.new_page(viewport={"width": 360, "height": 640})
    try:
        page.set_content(f"<!DOCTYPE html><html><head><style>{css}</style></head><body>{drawn}</body></html>")
        touching = _touching_on_screen(page, re.compile("[\u1000-\u109f\u1780-\u17ff]"))
        shown = page.evaluate("() => [...document.querySelectorAll('text.map-title')].map(t => t.textContent)")
    finally:
        page.close()
    assert any(line.startswith(RUNS["my"][:4]) for line in shown) and "The Lantern Path" in shown, shown
    assert touching == [], touching


def test_a_character_no_font_has_is_one_warning_at_its_line(world, tmp_path):
    copy = tmp_path / "world"
    shutil.copytree(world, copy, ignore=shutil.ignore_patterns("build", ".foundry*"))
    # Only Hanako, Zoë and Hanako's story hold the characters below: the other scripts'
    # people made ten sheets and their compendium pages with nothing to say here (that
    # their own text gives no warning is test_every_script_prints_with_embedded_fonts').
    for rel in ("heroes/layla.yaml", "heroes/noa.yaml", "heroes/ploy.yaml", "heroes/asha.yaml", "heroes/sophea.yaml",
                "heroes/mamadu.yaml", "heroes/thiri.yaml", "heroes/keo.yaml", "heroes/sothea.yaml", "heroes/dara.yaml",
                "heroes/yuki.yaml", "characters/fyodor.yaml", "characters/eleni.yaml", "heroes/avi.yaml"):
        (copy / "content" / rel).unlink()
    hero = copy / "content/heroes/hanako.yaml"
    # U+31350 (CJK Extension H, Unicode 15) and U+1FAE8: no font on a Debian machine has them.
    # …and one in her title, which her story's gamebook prints on its adventure sheet: that
    # book is placed at her file too (it looked in the story's file only: foundry.toml).
    hero.write_text(hero.read_text(encoding="utf-8").replace("育った。", "育った。\U00031350\U0001FAE8")
                    .replace("title: 霧の渡し守", "title: 霧の渡し守\U00031353"), encoding="utf-8")
    line = next(i for i, t in enumerate(hero.read_text(encoding="utf-8").splitlines(), 1) if "\U00031350" in t)
    # The same kind of character written as an escape is placed at the escape's line
    # too, not at foundry.toml: a YAML "\U…" escape and a Markdown character reference.
    zoe, story = copy / "content/characters/zoe.yaml", copy / "content/stories/kiri.md"
    zoe.write_text(zoe.read_text(encoding="utf-8").replace("role: Cartographe à Ærøskøbing",
                                                           'role: "Cartographe \\U00031351"'), encoding="utf-8")
    story.write_text(story.read_text(encoding="utf-8").replace("向こう岸に着いた。", "向こう岸に着いた&#x31352;。"),
                     encoding="utf-8")
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(copy),
                  env=BUILD_ENV)
    assert run.code == 0, run.stderr
    glyphs = [d for d in run.json()["diagnostics"] if d["code"] == "HF0741"]
    title = next(d for d in glyphs if "\U00031353" in d["message"])
    assert (title["file"], title["line"]) == ("content/heroes/hanako.yaml", 2), glyphs
    glyphs.remove(title)
    placed = {d["file"]: (d["line"], d["column"], d["message"]) for d in glyphs}
    assert len(glyphs) == 3, glyphs
    assert placed["content/heroes/hanako.yaml"][0] == line
    assert "\U00031350" in placed["content/heroes/hanako.yaml"][2] and "fonts-noto" in glyphs[0]["hint"]
    assert placed["content/characters/zoe.yaml"][:2] == (2, 20) and "\U00031351" in placed["content/characters/zoe.yaml"][2]
    story_line = next(i for i, t in enumerate(story.read_text(encoding="utf-8").splitlines(), 1) if "&#x31352;" in t)
    assert placed["content/stories/kiri.md"][0] == story_line and "\U00031352" in placed["content/stories/kiri.md"][2]
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]


def test_a_right_to_left_world_says_so_everywhere(tmp_path):
    root = tmp_path / "rtl"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('language = "en"', 'language = "he"'))
    run = foundry("build", "--only", "html,epub", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stdout + run.stderr
    page = (root / "build/site/index.html").read_text(encoding="utf-8")
    assert '<html lang="he" dir="rtl">' in page
    epub = root / "build/epub/stories/first-story.epub"
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        chapter = etree.fromstring(z.read("EPUB/how-to-read.xhtml"))
    assert opf.get("dir") == "rtl" and opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "he"
    assert opf.find("{http://www.idpf.org/2007/opf}spine").get("page-progression-direction") == "rtl"
    assert chapter.get("dir") == "rtl"


def test_a_right_to_left_paragraph_in_a_left_to_right_site_reads_right_to_left(built, browser):
    """An Arabic hero in an English world: her background paragraph takes its direction
    from its first letter (as `dir="auto"` would), so in Chromium it starts at the right
    and its closing full stop is at its left end, where an Arabic reader finishes."""
    build, _ = built
    page = browser.new_page()
    try:
        page.goto((build / "site/heroes/layla.html").as_uri())
        boxes = page.evaluate("""(needle) => {
          const p = [...document.querySelectorAll('p')].find(e => e.textContent.trim() === needle);
          const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
          const s = text.textContent, first = s.search(/\\S/), last = s.trimEnd().length - 1;
          const box = (i) => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                               const b = r.getBoundingClientRect(); return [b.left, b.right]; };
          return {first: box(first), last: box(last), paragraph: [p.getBoundingClientRect().left, p.getBoundingClientRect().right]};
        }""", "نشأت ليلى على الساحل.")
    finally:
        page.close()
    assert boxes["last"][1] <= boxes["first"][0], boxes                     # the stop ends the line on the left
    assert abs(boxes["first"][1] - boxes["paragraph"][1]) < 2, boxes         # and the line starts at the right


def test_a_right_to_left_name_in_a_left_to_right_pdf_starts_at_the_right(built):
    """The same in print, where WeasyPrint reads no `unicode-bidi: plaintext`: the book's
    HTML marks the block `dir="rtl"`, so Layla's name is set from the right margin, not
    hung on the left as English is (and the English hero's sheet is left as it was)."""
    build, _ = built
    _, words = page_words(build / "pdf/heroes/layla.pdf", 1)
    # poppler gives Arabic words with bidi marks and in either order: any Arabic letter
    name = [w for w in words if any("\u0600" <= c <= "\u06ff" for c in w.text) and w.y0 < 150]
    assert name and min(w.x0 for w in name) > 300, name          # A4 is 595 pt wide
    _, words = page_words(build / "pdf/heroes/hanako.pdf", 1)    # Japanese: left to right
    assert min(w.x0 for w in words if w.text in JAPANESE.split()) < 100


def _typed(word: str) -> str:
    """A word as typed: poppler gives a right-to-left word's letters in the order seen."""
    return word[::-1] if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word) else word


def test_words_of_the_other_direction_across_inline_elements_print_in_order(built):
    """WeasyPrint runs the bidirectional algorithm inside each text box and places an
    element's boxes in that element's direction; a browser runs it over the whole line.
    An Arabic choice with an effect in an English gamebook printed its "— note “Crossed”,
    then turn to 2" as "2 turn to note “Crossed”, then —" (the number's <b> and the
    link's box placed right to left); **New** York in a Hebrew paragraph as "York New";
    and the Arabic words "مرحبا *بالعالم*" in an English one in the order typed, left to
    right ("**٣٤** نقطة" too, its Arabic number at the left of its word, where Chromium
    sets it). Each such run is set as one box in its own direction (books/inline_runs.py)."""
    build, _ = built
    pages = [[(_typed(text), left, top, bottom) for text, left, _, top, bottom in words]
             for _, words in _compendium_pages(build / "pdf/stories/kiri.pdf")]

    def line(needle: str) -> list[str]:
        """The words of the printed line holding `needle`, left to right (a line's words
        in other fonts have other tops: each whose middle is within the needle's box)."""
        words = next(words for words in pages if any(w[0] == needle for w in words))
        _, _, top, bottom = next(w for w in words if w[0] == needle)
        return [w[0] for w in sorted(words, key=lambda w: w[1]) if top <= (w[2] + w[3]) / 2 <= bottom]

    choice = line("اعبر")
    latin = [w for w in choice if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in w)]
    assert latin[:5] == ["note", "“Crossed”,", "then", "turn", "to"] and latin[5].isdigit(), choice
    assert choice.index(latin[5]) < choice.index("اعبر"), choice    # the phrase at the left of the choice
    hebrew = line("York")
    assert hebrew.index("New") == hebrew.index("York") - 1, hebrew
    arabic = line("said")
    assert arabic.index("بالعالم") < arabic.index("مرحبا"), arabic
    # Arabic digits before Arabic words are set with them, right to left (UAX #9 N1)
    at = lambda word: next(i for i, w in enumerate(arabic) if word in w)   # noqa: E731  (a stop may cling to a word)
    assert at("نقطة") < at("٣٤"), arabic


def _compendium_pages(pdf) -> list[tuple[float, list[tuple[str, float, float, float, float]]]]:
    """(page width, its words as (text, xMin, xMax, yMin, yMax)) of every page."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    return [(float(page.get("width")), [(w.text or "", *(float(w.get(k)) for k in ("xMin", "xMax", "yMin", "yMax")))
                                        for w in page.iter("{*}word")]) for page in tree.iter("{*}page")]


def test_a_name_in_two_directions_reads_alike_in_the_running_head_and_its_heading(built):
    """The compendium's running head copies an entry's name as text, without the
    `dir="rtl"` its heading has (a name starting right to left in a left-to-right
    book): 'ليلى الحداد 山田' was set right to left under it (the Japanese at the left)
    and left to right above it (the Japanese at the right); 'נועה כהן Cohen-Smith' too.
    Each now reads in one order in both (poppler's x positions), inside the page, every
    letter printed (no box: the build said no HF0741, test_every_script_prints…)."""
    build, _ = built
    hebrew = lambda w: any("\u0590" <= c <= "\u05ff" for c in w)   # noqa: E731
    arabic = lambda w: any("\u0600" <= c <= "\u06ff" for c in w)   # noqa: E731
    for later, first in (("山田", arabic), ("Cohen-Smith", hebrew)):
        # the entry's pages, its name in the head (the compendium's top margin is 18 mm, 51 pt)
        pages = [(width, words) for width, words in _compendium_pages(build / "pdf/compendium.pdf")
                 if any(w[0] == later for w in words if w[3] < 40) and any(first(w[0]) for w in words if w[3] < 40)]
        assert pages, later
        for width, words in pages:
            head = [w for w in words if w[3] < 40]
            _, _, _, top, bottom = next(w for w in words if w[0] == later and w[3] > 40)   # the heading's line
            heading = [w for w in words if w[3] < bottom and w[4] > top]
            for where in (head, heading):
                start = min(w[1] for w in where if first(w[0]))
                at = next(w[1] for w in where if w[0] == later)
                assert at < start, (later, where)   # right to left: the later word at the left
            assert all(0 <= w[1] and w[2] <= width for w in head), (head, width)


def test_a_right_to_left_paragraph_in_a_left_to_right_epub_says_so(built):
    """In the EPUB too (whose style sheet may not use `unicode-bidi`): each block of
    Layla's chapter written in Arabic carries `dir="rtl"`; Hanako's Japanese does not."""
    build, _ = built
    with zipfile.ZipFile(build / "epub/compendium.epub") as z:
        layla = etree.fromstring(z.read("EPUB/hero-layla.xhtml"))
        hanako = etree.fromstring(z.read("EPUB/hero-hanako.xhtml"))
    ns = "{http://www.w3.org/1999/xhtml}"
    arabic = [e for e in layla.iter(f"{ns}p", f"{ns}h2") if (e.text or "").strip() in (ARABIC, "حارسة المنارة",
                                                                                      "نشأت ليلى على الساحل.")]
    assert len(arabic) == 3 and all(e.get("dir") == "rtl" for e in arabic), [etree.tostring(e) for e in arabic]
    assert not [e for e in hanako.iter() if e.get("dir")]


def test_a_character_no_font_has_is_placed_at_the_file_that_printed_it(tmp_path):
    """The kinds of place the glyph report missed, each one warning at the writer's line:
    a related person's name printed on a hero sheet (it looked in the hero's own file
    only, and fell back to foundry.toml), an attribute's name from the rule book (also
    foundry.toml), and no second warning for a story line the compendium never printed
    that shares a character with a name it did print (before: one per book, with
    different characters). And a character the book's own file holds is still looked
    for in the rule book's words: a skill named with the hero title's character printed
    as boxes on the sheet, and was said only once the title was fixed. So is a word the
    book's own file holds too: the world's title (foundry.toml) sharing the hero
    title's word, and the skill's name (an entry of the rule book's flow mapping) that
    the hero's background also writes, were said only once the hero's line was fixed. U+3135x: CJK Extension H,
    which no Debian font has."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    a, b, c, d = "\U00031350", "\U00031351", "\U00031352", "\U00031353"
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text().replace("name: Old Guide", f"name: Old Guide {a}"))
    rules = root / "schemas/attributes.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("name: Agility", f"name: Agility {b}"), encoding="utf-8")
    skills = root / "schemas/skills.yaml"
    # and on the skill's line its description, which the sheet prints and the gamebook's
    # adventure sheet (the skill's name alone) does not: two warnings at that line, in words
    # that differed by book; one now, naming both
    e = "\U00031354"
    skills.write_text(skills.read_text(encoding="utf-8").replace("name: Tracking", f"name: Tracking{c}")
                      .replace("Read trails", f"Read {e} trails"), encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("title: Scout of the Marsh Road", f"title: Scout {c}")
                    .replace("Rook grew up", f"Rook grew up Tracking{c},"))   # the skill's name, in the book's own file
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("Dry ground at last.", f"Dry ground {c}{d} at last."))
    # a comment is never printed: no warning at it, though the word it holds is (it was one at
    # the comment beside the one at the value, in the build and in check alike)
    hero.write_text(hero.read_text(encoding="utf-8") + f"# Scout {c}, as the title says\n", encoding="utf-8")
    rules.write_text(rules.read_text(encoding="utf-8") + f"# Agility {b} # and a quoted '#'\n", encoding="utf-8")
    config = root / "foundry.toml"   # the world's title, on the covers, with the hero title's word
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Minimal"', f'title = "Minimal {c}"'),
                      encoding="utf-8")
    # `check --strict` says every one of them before any book is made, in the build's words
    # (it passed: HF0741 came from WeasyPrint's layout only)
    checked = foundry("check", "--strict", "--format", "json", "--project", str(root))
    assert checked.code == 1, checked.stdout + checked.stderr
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr
    said = sorted((g["file"], g["line"], g["column"], g["message"], g["hint"])
                  for g in run.json()["diagnostics"] if g["code"] == "HF0741")
    assert sorted((g["file"], g["line"], g["column"], g["message"], g["hint"])
                  for g in checked.json()["diagnostics"] if g["code"] == "HF0741") == said
    glyphs = sorted((g["file"], g["line"], g["message"].split(" (")[0].rsplit(" ", 1)[-1].strip("'"))
                    for g in run.json()["diagnostics"] if g["code"] == "HF0741")
    lines = {path: next(i for i, t in enumerate((root / path).read_text(encoding="utf-8").splitlines(), 1) if ch in t)
             for path, ch in (("content/characters/old-guide.yaml", a), ("schemas/attributes.yaml", b),
                              ("content/heroes/first-hero.yaml", c), ("content/stories/first-story.md", d),
                              ("schemas/skills.yaml", c), ("foundry.toml", c))}
    assert glyphs == sorted([("content/characters/old-guide.yaml", lines["content/characters/old-guide.yaml"], a),
                             ("schemas/attributes.yaml", lines["schemas/attributes.yaml"], b),
                             ("schemas/skills.yaml", lines["schemas/skills.yaml"], e),
                             ("content/heroes/first-hero.yaml", lines["content/heroes/first-hero.yaml"], c),
                             ("content/heroes/first-hero.yaml", lines["content/heroes/first-hero.yaml"] + 9,
                              "Tracking" + c),
                             ("foundry.toml", lines["foundry.toml"], c),
                             ("content/stories/first-story.md", lines["content/stories/first-story.md"], c + d)]), glyphs


def test_check_foretells_only_what_a_book_prints(tmp_path):
    """`check` says HF0741 by the fonts' coverage, without laying a book out: a
    character no font has is said at a line the books print from (here a hero's name,
    in the base language and in a German translation), never where nothing is printed
    (a YAML comment, a relationship kind no tie is of, a character's note on a tie, a
    scene's title), and never of what some font
    has (Japanese, Khmer, a decomposed accent, a zero-width joiner in Devanagari). U+3135x: CJK
    Extension H, which no Debian font has. No book is built."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text("# a note \U00031351 for the writers only\n" + hero.read_text(encoding="utf-8")
                    .replace("name: Rook Amsel", "name: Rook \U00031350 Amsel")
                    .replace("Rook grew up", "Rook (山田 ព្រះ Ame\u0301lie क्\u200dष) grew up"),
                    encoding="utf-8")
    # a skill's description, which her sheet prints under the skill (check said nothing of
    # it: the build did); and the rule book's words the books never print, a relationship
    # kind no one's tie is of
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("Read trails", "Read \U00031353 trails"),
                      encoding="utf-8")
    kinds = root / "schemas/relationships.yaml"
    kinds.write_text(kinds.read_text(encoding="utf-8").replace("{name: Rival,", "{name: Rival \U00031354,"),
                     encoding="utf-8")
    # her note on a tie, which her sheet prints, and the guide's, which no book prints
    hero.write_text(hero.read_text(encoding="utf-8").replace("{with: old-guide, kind: mentor}",
                                                             "{with: old-guide, kind: mentor, note: Owes \U00031356}"),
                    encoding="utf-8")
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("kind: apprentice}", "kind: apprentice, note: \U00031357}"),
                     encoding="utf-8")
    # a word alone in a table's cell, which the books print; a scene's title, which they do
    # not (a gamebook numbers its sections)
    hero.write_text(hero.read_text(encoding="utf-8").replace("background: |\n", "background: |\n  | a | b |\n"
                                                             "  |---|---|\n  | x \U00031358 | y |\n\n"), encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("## The Fog Road {#road}", "## The Fog \U00031359 Road {#road}"),
                     encoding="utf-8")
    # and a hero template's name, which her sheet prints (a template has no line of its own)
    scout = root / "content/templates/heroes/scout.yaml"
    scout.write_text(scout.read_text(encoding="utf-8").replace("name: Scout", "name: Scout \U00031355"), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    catalog = root / "translations/de/content/heroes/first-hero.yaml.po"
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "Scout of the Marsh Road"\nmsgstr ""' in text, text
    catalog.write_text(text.replace('msgid "Scout of the Marsh Road"\nmsgstr ""',
                                    'msgid "Scout of the Marsh Road"\nmsgstr "Späherin \U00031352"'), encoding="utf-8")
    # --strict changes the exit status alone (cli.py check_cmd), not what is said
    run = foundry("check", "--strict", "--format", "json", "--project", str(root))
    assert run.code == 1, run.stdout + run.stderr
    glyphs = [(g["file"], g["line"], g["column"], g["message"]) for g in run.json()["diagnostics"]
              if g["code"] == "HF0741"]
    po_line = next(i for i, t in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1) if "\U00031352" in t)
    skill_line = skills.read_text(encoding="utf-8").splitlines()[1]
    assert sorted(glyphs) == sorted([
        ("schemas/skills.yaml", 2, skill_line.index("\U00031353") + 1,
         "no font on this machine can print '\U00031353' (Han): the PDF would show empty boxes"),
        ("content/heroes/first-hero.yaml", 3, 12, "no font on this machine can print '\U00031350' (Han): "
                                                  "the PDF would show empty boxes"),
        ("content/heroes/first-hero.yaml", 11, 48, "no font on this machine can print '\U00031356' (Han): "
                                                   "the PDF would show empty boxes"),
        ("content/heroes/first-hero.yaml", 15, 7, "no font on this machine can print '\U00031358' (Han): "
                                                  "the PDF would show empty boxes"),
        ("content/templates/heroes/scout.yaml", 2, 13, "no font on this machine can print '\U00031355' (Han): "
                                                       "the PDF would show empty boxes"),
        ("translations/de/content/heroes/first-hero.yaml.po", po_line, 18,
         "no font on this machine can print '\U00031352' (Han): the PDF would show empty boxes")]), glyphs


def test_a_character_no_font_has_in_a_gamebooks_own_words_is_at_its_line(tmp_path):
    """What a gamebook prints of its story that is no line of text, in a German world
    (the book quotes in „…“): the string a variable starts as (the adventure sheet's
    'beginnt bei „…“', in “…” whatever the language before), the strings a choice tests
    and sets ('setze motto auf „…“'), and blocks of code, fenced and indented. The build said the strings at
    foundry.toml with no line (the printed word ended in a quotation mark, which ended
    no word of the story's lines), and check said none of the five. Each is now said
    at its line of the story, by check as by the build. U+3135x: CJK Extension H; the
    indented code's is for private use (plane 15), whose hint said it was "newer than
    most fonts" as if a package might have it one day: only the font made for it does."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'), encoding="utf-8")
    start, tested, set_, fenced = (chr(0x31350 + k) for k in range(4))
    indented = "\U000F0001"
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8")
                     .replace("  coins: 2\n", f'  coins: 2\n  motto: "Sea {start}"\n')
                     .replace('[Follow them to the bank](#bank){do="set crossed"}',
                              f"""[Follow them to the bank](#bank){{if="motto != 'Moon {tested}'" do="set crossed"}}""")
                     .replace('[Step onto the bank](#bank){do="set crossed"}',
                              f"""[Step onto the bank](#bank){{do="set crossed; motto = 'Tide {set_}'"}}""")
                     .replace("The lantern bobs ahead.",
                              f"The lantern bobs ahead.\n\n```\nlog {fenced}\n```\n\n    tally {indented}\n"),
                     encoding="utf-8")
    lines = story.read_text(encoding="utf-8").splitlines()
    expected = sorted(("content/stories/first-story.md", number, text.index(char) + 1)
                      for char in (start, tested, set_, fenced, indented)
                      for number, text in enumerate(lines, 1) if char in text)
    checked = foundry("check", "--strict", "--format", "json", "--project", str(root))
    assert checked.code == 1, checked.stdout + checked.stderr
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr
    printed = pdftext(root / "build/pdf/stories/first-story.pdf")
    assert f"„Tide {set_}“" in printed and f"„Moon {tested}“" in printed and f"„Sea {start}“" in printed, printed
    said = sorted((g["file"], g["line"], g["column"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741")
    assert said == expected, said
    assert sorted((g["file"], g["line"], g["column"]) for g in checked.json()["diagnostics"]
                  if g["code"] == "HF0741") == said
    [private] = [g["hint"] for g in run.json()["diagnostics"] if g["code"] == "HF0741" and g["line"] == next(
        n for n, text in enumerate(lines, 1) if indented in text)]
    assert "private-use" in private.lower() and "newer" not in private, private


@pytest.fixture(scope="module")
def own_theme_words(tmp_path_factory):
    """A German world whose project theme says, in two kinds of its own words, characters
    no font has: its catalogs (de: 'Attributes', printed on every sheet, and 'Search', the
    site's alone; fr: a language no PDF is made in) and its print stylesheet's generated
    content (an h1 rule, a rule no element meets, a margin box written as a CSS escape).
    One world, one check and one build for the two tests below, each of which needs the
    other's words said too (and nothing more): (root, check's HF0741s, the build's)."""
    root = tmp_path_factory.mktemp("own-theme-words") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'), encoding="utf-8")
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    for language, words in (("de", {"Attributes": "Eigenschaften\U00031350", "Search": "Suche\U00031351"}),
                            ("fr", {"Attributes": "Attributs\U00031352"})):
        catalog = root / f"themes/default/locale/{language}/LC_MESSAGES/messages.po"
        catalog.parent.mkdir(parents=True)
        catalog.write_text(head + "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in words.items()), encoding="utf-8")
    sheet = (REPO / "themes/default/print/css/sheet.css").read_text(encoding="utf-8")
    own = root / "themes/default/print/css/sheet.css"
    own.parent.mkdir(parents=True)
    own.write_text(sheet + '\nh1::after { content: " \U00031353"; }\n.no-such-element::after { content: "\U00031354"; }\n'
                   '@media print { @page { @bottom-left { content: "Minimal \\31355"; } } }\n', encoding="utf-8")
    return (root, *_hf0741_of_check_and_build(root))


GERMAN_CATALOG, OWN_SHEET = "themes/default/locale/de/LC_MESSAGES/messages.po", "themes/default/print/css/sheet.css"


def _own_theme_words_said(root) -> list[tuple[str, int]]:
    """Where the build must say own_theme_words' characters: the German catalog's
    'Attributes' line, then the stylesheet's h1 rule and margin box, not the rule
    meeting nothing."""
    catalog = (root / GERMAN_CATALOG).read_text(encoding="utf-8").splitlines()
    sheet = (root / OWN_SHEET).read_text(encoding="utf-8").splitlines()
    return [(GERMAN_CATALOG, next(i for i, t in enumerate(catalog, 1) if "Eigen" in t)),
            *((OWN_SHEET, n) for n, text in enumerate(sheet, 1) if text.startswith(("h1::after", "@media print")))]


def test_check_says_a_character_in_the_themes_own_words_as_the_build_does(own_theme_words):
    """The project theme's catalog is its people's writing too: a German world whose
    theme says 'Attributes' as 'Eigenschaften' with a character no font has printed it
    as a box on every sheet, and the build said HF0741 at the catalog's line, but
    check, which reads no theme words, said nothing ('check --strict' passed what
    'build --strict' stopped on). check now reads the words of the books' documents
    (made without layout) when the project's theme holds such a character: the printed
    word is said, in the build's words at its place; the site's 'Search' and a French
    catalog no PDF is made in are not. U+3135x: CJK Extension H."""
    root, checked, built = own_theme_words
    assert [(f, n) for f, n, *_ in built if "/locale/" in f] == _own_theme_words_said(root)[:1], built
    assert [(f, n) for f, n, *_ in built] == _own_theme_words_said(root), built
    assert checked == built


def test_check_says_a_character_in_a_print_stylesheets_generated_content_as_the_build_does(own_theme_words):
    """A project print stylesheet prints words of its own: `h1::after { content: "…" }`
    and a page's margin box. A character no font has there printed as a box and the
    build said HF0741 at the stylesheet's line, but check said nothing ('check --strict'
    passed what 'build --strict' stopped on: left by the last session as the build's
    alone); one written as a CSS escape (`\\31355`) the build said at foundry.toml with no
    line. check now reads a `content` string as printed when its rule's selector meets
    an element of a book's document (a margin box's always): the same warnings at the
    same places, and none for a rule no book's element meets. U+3135x: CJK Extension H."""
    root, checked, built = own_theme_words
    assert [(f, n) for f, n, *_ in built if f == OWN_SHEET] == _own_theme_words_said(root)[1:], built
    assert [(f, n) for f, n, *_ in built] == _own_theme_words_said(root), built
    assert checked == built


def _hf0741_of_check_and_build(root) -> tuple[list, list]:
    """The HF0741s (file, line, column, message, hint) 'check --strict' says (which must
    stop on them) and 'build --only pdf' says, each sorted."""
    checked = foundry("check", "--strict", "--format", "json", "--project", str(root))
    assert checked.code == 1, checked.stdout + checked.stderr
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr

    def said(found):
        return sorted((g["file"], g["line"], g["column"], g["message"], g["hint"])
                      for g in found.json()["diagnostics"] if g["code"] == "HF0741")
    return said(checked), said(run)


def test_a_theme_file_as_shipped_is_judged_by_what_it_draws_and_by_its_size_first(tmp_path):
    """html/theme.py `as_shipped`: an ejected template or stylesheet a Windows checkout
    wrote with CR LF line ends (a template with a byte-order mark too) draws and prints
    what the shipped one does, as the build reads it (check took it for the project's own
    and foretold nothing; tests/books/test_print_portraits.py: HF0750); a font is the
    shipped one only byte for byte. A file of the project's is compared by its size first:
    one of gigabytes named like a template was read whole to be found different."""
    import tracemalloc
    from pipeline.exporters.html.theme import as_shipped, default_theme_dir
    shipped = default_theme_dir()
    macros = (shipped / "print/templates/macros.html.j2").read_bytes()
    assert b"\r" not in macros and as_shipped(macros, "print/templates/macros.html.j2")
    assert as_shipped("\ufeff".encode() + macros.replace(b"\n", b"\r\n"), "print/templates/macros.html.j2")
    assert not as_shipped(macros.replace(b"\n", b"\r\n") + b" ", "print/templates/macros.html.j2")   # one more space
    assert not as_shipped(macros.replace(b"\n", b"\r"), "print/templates/macros.html.j2")   # a lone CR: HF0131
    font = (shipped / "print/fonts/LinBiolinum_R.otf").read_bytes()
    assert b"\n" in font and not as_shipped(font.replace(b"\n", b"\r\n"), "print/fonts/LinBiolinum_R.otf")
    base = tmp_path / "base.html"
    base.write_bytes((shipped / "templates/base.html").read_bytes().replace(b"\n", b"\r\n"))
    assert as_shipped(base, "templates/base.html")
    with base.open("wb") as handle:
        handle.truncate(64 << 20)    # sparse: no disk, 64 MB read
    tracemalloc.start()
    try:
        assert not as_shipped(base, "templates/base.html")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak


def test_check_leaves_to_the_build_what_a_projects_own_book_template_prints(tmp_path):
    """With a print template of the project's own, what a book prints is what that
    template prints, which only its render knows: the project's sheet below leaves a
    hero's background out and prints an attribute's description instead. check said
    HF0741 at the background's line (a box no book showed: the build, which runs check's
    foretelling first, said it too) and not the description's. check says neither now;
    the build says the description alone, at its line. A template ejected and not yet
    changed prints what the shipped one does: check foretells the background's box (it
    said nothing, as for a changed one, while the build said it). U+3135x: CJK Extension H."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    assert foundry("theme", "eject", "print/templates/macros.html.j2", "--project", str(root)).code == 0
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("Rook grew up", "Rook \U00031350 grew up"), encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [(g["file"], g["code"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"] == [
        ("content/heroes/first-hero.yaml", "HF0741")], run.stdout
    macros = root / "themes/default/print/templates/macros.html.j2"
    text = macros.read_text(encoding="utf-8")
    score = '>{{ a.value }}</td>'             # the sheet's attribute score cell
    assert "    {{ hero.background_html | safe }}\n" in text and text.count(score) == 1
    macros.write_text(text.replace("    {{ hero.background_html | safe }}\n", "")
                      .replace(score, '>{{ a.value }} {{ a.description }}</td>'),
                      encoding="utf-8")
    rules = root / "schemas/attributes.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("{name: Agility,", "{name: Agility, description: Quick \U00031351 feet,"),
                     encoding="utf-8")
    run = foundry("check", "--strict", "--format", "json", "--project", str(root))
    assert run.code == 0 and not [g for g in run.json()["diagnostics"] if g["code"] == "HF0741"], run.stdout
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr
    glyphs = [(g["file"], g["line"], g["message"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"]
    assert glyphs == [("schemas/attributes.yaml", 4, "no font on this machine can print '\U00031351' (Han): "
                                                     "the PDF would show empty boxes")], glyphs


def test_a_font_file_unpacking_past_any_fonts_size_costs_check_nothing(tmp_path):
    """A WOFF2 file in the project's theme of under a kilobyte whose Brotli stream
    unpacks to 512 MB of zeros: check, reading the theme's fonts for a character the
    machine's fonts lack, had fontTools unpack it whole before finding it no font
    (1.1 GB of memory for the check); it is not part of the theme now (HF0116, as
    test_a_cover_face_unpacking_past_any_fonts_size_is_not_part_of_the_theme says),
    and the character is said as before. The process's peak memory is read from the kernel (wait4), not timed.
    U+31350: CJK Extension H. The same bytes named display.otf, and written as a `data:`
    URL, are unpacked all the same by WeasyPrint and fontTools, which know a WOFF2 by
    its bytes: judged by the name, either took check to 2.2 GB (font_faces.py loads
    each face as a book would)."""
    import base64

    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    fonts = root / "themes/default/print/fonts"
    fonts.mkdir(parents=True)
    bomb = _woff2_bomb(512)
    (fonts / "display.woff2").write_bytes(bomb)
    (fonts / "display.otf").write_bytes(bomb)
    _declare(root, "Display", "display.woff2")   # a font no @font-face names is not read at all
    css = root / "themes/default/print/css/base.css"
    css.write_text('@font-face { font-family: "Named"; src: url(../fonts/display.otf); }\n'
                   '@font-face { font-family: "Written"; src: url(data:font/woff2;base64,'
                   + base64.b64encode(bomb).decode() + '); }\n' + css.read_text(encoding="utf-8"), encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", "name: Rook \U00031350 Amsel"),
                    encoding="utf-8")
    found, peak = _check_peak(root, tmp_path / "check.json")
    assert [(g["file"], g["line"]) for g in found if g["code"] == "HF0741"] == [("content/heroes/first-hero.yaml", 2)], found
    assert peak < 400 * 1024, peak   # kilobytes: a check takes ~100 MB


def _woff2_bomb(megabytes: int) -> bytes:
    """A WOFF2 file of some hundreds of bytes claiming one 1000-byte cmap table, whose
    Brotli stream unpacks to `megabytes` MB of zeros."""
    import brotli
    packer = brotli.Compressor(quality=5)
    stream = b"".join(packer.process(b"\0" * (16 << 20)) for _ in range(megabytes // 16)) + packer.finish()
    header = struct.pack(">4sLLHHLLHHLLLLL", b"wOF2", 0x00010000, 48 + 3 + len(stream), 1, 0, 1012, len(stream),
                         1, 0, 0, 0, 0, 0, 0)
    return header + bytes([0, 0x87, 0x68]) + stream


def _check_peak(root, out) -> tuple[list[dict], int]:
    """`foundry check --format json` on `root`: its diagnostics, and the check's peak
    resident memory in kilobytes, read from the kernel (wait4), not timed. The check
    runs as the child of a small Python that reports its peak: a process forked from
    this one (a pytest worker of some hundreds of MB after its module's tests) starts
    with this one's resident pages, and the kernel keeps that peak across exec (534 MB
    from a bare check in the full suite, 60 MB alone)."""
    measure = ("import os, subprocess, sys\n"
               "with open(sys.argv[1], 'w', encoding='utf-8') as sink:\n"
               "    child = subprocess.Popen(sys.argv[2:], stdout=sink, stderr=subprocess.DEVNULL)\n"
               "    print(os.wait4(child.pid, 0)[2].ru_maxrss)\n")
    run = subprocess.run([sys.executable, "-c", measure, str(out), sys.executable, "-m", "pipeline", "check",
                          "--format", "json", "--project", str(root)], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(out.read_text(encoding="utf-8"))["diagnostics"], int(run.stdout)


def test_a_cover_face_unpacking_past_any_fonts_size_is_not_part_of_the_theme(tmp_path):
    """The EPUB cover's title face (the shipped LinLibertine_DR.otf's name) replaced in
    the project's print theme by a 1.6 KB WOFF2 of 1 GB of zeros (and its italic by a
    WOFF of 200 MB in one zlib stream): check said "No
    problems found" at 2.2 GB of memory (the cover's foretelling asked fontTools for the
    face's picture sizes, which unpacked it whole), and a build of the PDFs and EPUBs
    took 2.2 GB and 23 CPU-s (WeasyPrint unpacked it for every book). The file is judged
    with the theme now, as an image too large to draw is: HF0116 at it, never served
    to a book, the cover or a counter."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    fonts = root / "themes/default/print/fonts"
    fonts.mkdir(parents=True)
    (fonts / "LinLibertine_DR.otf").write_bytes(_woff2_bomb(1024))
    # and the cover's italic face a WOFF (zlib) of 200 MB of zeros in one table
    table = zlib.compress(b"\0" * (200 << 20), 9)
    (fonts / "LinLibertine_RI.otf").write_bytes(
        struct.pack(">4sLLHHLHHLLLLL", b"wOFF", 0x00010000, 64 + len(table), 1, 0, 200 << 20, 1, 0, 0, 0, 0, 0, 0)
        + struct.pack(">4sLLLL", b"cmap", 64, len(table), 200 << 20, 0) + table)
    found, peak = _check_peak(root, tmp_path / "check.json")
    assert [(g["file"], g["code"], g["severity"]) for g in found] == [
        ("themes/default/print/fonts/LinLibertine_DR.otf", "HF0116", "error"),
        ("themes/default/print/fonts/LinLibertine_RI.otf", "HF0116", "error")], found
    assert all("unpack to more than 128 MiB" in g["message"] for g in found), found
    assert peak < 400 * 1024, peak   # kilobytes: a check takes ~100 MB


def test_each_compressed_font_of_the_theme_is_unpacked_once_a_check(tmp_path, monkeypatch):
    """Whether a theme's WOFF2 unpacks past the budget is asked by the theme's judgement,
    the cover's faces and the books' character maps alike: each measured it again,
    unpacking up to 128 MiB (or walking a stranger's 8 MiB collection directory) each
    time, twice a file a check. Once a file's bytes now."""
    from support import counted_calls
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    import pipeline.exporters.pdf.coverage as coverage

    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    fonts = root / "themes/default/print/fonts"
    fonts.mkdir(parents=True)
    (fonts / "LinLibertine_DR.otf").write_bytes(_woff2_bomb(160))
    (fonts / "LinBiolinum_R.otf").write_bytes(_woff2_bomb(176))
    measured = counted_calls(monkeypatch, coverage, "_brotli_within")
    diags = Diagnostics()
    check(root, diags)
    assert sorted(d.span.path for d in diags.errors if d.code == "HF0116") == [
        "themes/default/print/fonts/LinBiolinum_R.otf", "themes/default/print/fonts/LinLibertine_DR.otf"]
    assert len(measured) == 2, len(measured)


def test_a_woff_whose_tables_reread_one_stream_is_not_part_of_the_theme(tmp_path):
    """A WOFF of 160 tables (of up to 65,535) each naming the one 1 MiB zlib stream of
    empty blocks it holds unpacks to nothing, so its measure said it within the budget,
    after unpacking the stream 160 times (4,000 tables of 2 MB: 9 CPU-s of a check; 65,535
    of a 16 MB stream: some 15 CPU-minutes), and fontTools read it as often again. The
    bytes each table reads count now: HF0116 at the file, read past the budget."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check

    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    fonts = root / "themes/default/print/fonts"
    fonts.mkdir(parents=True)
    tables = 160
    stream = b"\x78\x01" + b"\x00\x00\x00\xff\xff" * ((1 << 20) // 5) + b"\x03\x00" + struct.pack(">I", 1)
    start = 44 + 20 * tables
    directory = b"".join(struct.pack(">4sLLLL", struct.pack(">I", 0x41414141 + k), start, len(stream),
                                     len(stream) + 1, 0) for k in range(tables))
    (fonts / "LinLibertine_DR.otf").write_bytes(
        struct.pack(">4sLLHHLHHLLLLL", b"wOFF", 0x00010000, start + len(stream), tables, 0,
                    12 + 16 * tables + (len(stream) + 1) * tables, 1, 0, 0, 0, 0, 0, 0) + directory + stream)
    diags = Diagnostics()
    check(root, diags)
    assert [(d.code, d.span.path) for d in diags.errors] == [
        ("HF0116", "themes/default/print/fonts/LinLibertine_DR.otf")], diags.items
    assert "read its bytes over and over" in diags.errors[0].message


def test_a_collection_of_countless_faces_is_not_part_of_the_theme(tmp_path):
    """A TTC whose header lists 300 faces, each the shipped Libertine's tables, named by
    an @font-face rule: fontTools opened every face for the books' character maps (and
    for the pictures of the theme's fonts, every check): 20,000 such faces (585 KB) took
    a check 26 CPU-s and 12.9 GB, 200,000 (1.3 MB) more memory than the machine had.
    Now HF0116 at the file, never served."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check

    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    source = (REPO / "themes/default/print/fonts/LinLibertine_R.otf").read_bytes()
    faces = 300
    head = 12 + 4 * faces
    tables = struct.unpack(">H", source[4:6])[0]
    directory = bytearray(source[:12 + 16 * tables])
    for k in range(tables):   # the face's tables moved past the collection's header
        struct.pack_into(">L", directory, 20 + 16 * k, struct.unpack(">L", directory[20 + 16 * k:24 + 16 * k])[0] + head)
    font = root / "themes/default/print/fonts/Many.ttc"
    font.parent.mkdir(parents=True)
    font.write_bytes(struct.pack(">4sLL", b"ttcf", 0x00010000, faces) + struct.pack(">L", head) * faces
                     + bytes(directory) + source[12 + 16 * tables:])
    _declare(root, "Many", "Many.ttc")
    diags = Diagnostics()
    check(root, diags)
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0116", "themes/default/print/fonts/Many.ttc")], \
        diags.items
    assert "more than 256 faces" in diags.errors[0].message


def test_a_fonts_tables_rereading_the_file_are_read_within_the_budget(tmp_path, monkeypatch):
    """The shipped Libertine with 300 tables more, each naming 1 MiB of the file from
    its fourth byte: check's reading of every table (for a font cut short) read each
    whole, 300 MiB a reading (65,535 tables of an 8 MB file: 30 CPU-s a face, 16 faces
    of a collection), where FreeType reads only the tables it draws with. A table's
    bytes are read once now, and no more than coverage.UNPACKED_BUDGET in all."""
    from fontTools.ttLib import sfnt

    from support import counted_calls
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import check
    import pipeline.exporters.pdf.coverage as coverage

    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    source = (REPO / "themes/default/print/fonts/LinLibertine_R.otf").read_bytes()
    tables, extra, size = struct.unpack(">H", source[4:6])[0], 300, 1 << 20
    directory = bytearray(source[:12 + 16 * tables])
    struct.pack_into(">H", directory, 4, tables + extra)
    for k in range(tables):   # the font's own tables moved past the longer directory
        struct.pack_into(">L", directory, 20 + 16 * k, struct.unpack(">L", directory[20 + 16 * k:24 + 16 * k])[0]
                         + 16 * extra)
    directory += b"".join(struct.pack(">4sLLL", b"z%03d" % k, 0, 4, size) for k in range(extra))
    font = bytes(directory) + source[12 + 16 * tables:]
    fonts = root / "themes/default/print/fonts"
    fonts.mkdir(parents=True)
    (fonts / "LinLibertine_R.otf").write_bytes(font + bytes(max(0, size + 4 - len(font))))
    readings = counted_calls(monkeypatch, coverage, "damaged")
    extra_read = []
    real = sfnt.SFNTReader.__getitem__

    def counted(reader, tag):
        data = real(reader, tag)
        if str(tag).startswith("z"):
            extra_read.append(len(data))
        return data
    monkeypatch.setattr(sfnt.SFNTReader, "__getitem__", counted)
    diags = Diagnostics()
    check(root, diags)
    assert not diags.errors, [d.message for d in diags.errors]
    assert readings, "the font was never read whole"
    assert sum(extra_read) <= coverage.UNPACKED_BUDGET * len(readings), (sum(extra_read) >> 20, len(readings))


def _declare(root, family: str, file: str) -> None:
    """The project's print theme's base.css: the shipped one with an @font-face rule
    naming `file` (in the theme's print/fonts/) first."""
    shipped = (REPO / "themes/default/print/css/base.css").read_text(encoding="utf-8")
    css = root / "themes/default/print/css/base.css"
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(f'@font-face {{ font-family: "{family}"; src: url(../fonts/{file}); }}\n' + shipped,
                   encoding="utf-8")


def _extension_font(path) -> None:
    """A font made with fontTools at `path`, family "Extension": one glyph (a box, drawn,
    not the .notdef), for U+31350 (CJK Extension H, in no Debian font)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((600, 700)), pen.lineTo((600, 0)), pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "ext"])
    builder.setupCharacterMap({0x31350: "ext"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "ext": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "ext": (700, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Extension", "styleName": "Regular"})
    builder.setupOS2(), builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))


def test_a_font_file_no_font_face_rule_names_prints_nothing(tmp_path):
    """A font in the theme's print/fonts/ that no @font-face rule names is not one
    WeasyPrint draws from: check counted it, said nothing of the character only it has,
    and the build printed it as boxes (HF0741; HF0741's hint asks for the rule too). With
    the rule, WeasyPrint falls back to it and check rightly says nothing. The font is made
    here with fontTools: one glyph, for U+31350 (CJK Extension H, in no Debian font)."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    _extension_font(root / "themes/default/print/fonts/Extension.ttf")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", "name: Rook \U00031350 Amsel"),
                    encoding="utf-8")

    def said() -> list:
        run = foundry("check", "--format", "json", "--project", str(root))
        return [(g["file"], g["line"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"]

    assert said() == [("content/heroes/first-hero.yaml", 2)]
    _declare(root, "Extension", "Extension.ttf")
    assert said() == []


def test_a_font_declared_in_one_books_stylesheet_is_no_font_for_the_others(tmp_path):
    """A font (U+31350, in no Debian font) declared by an @font-face rule in sheet.css,
    which only the hero sheets link: the sheet printed the hero's name, the compendium
    printed it as boxes and the build said HF0741 at the name, while check, counting
    every stylesheet's rules for every book, was clean. Check and build now agree."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel in ("characters/old-guide.yaml", "stories/first-story.md", "quests/first-quest.yaml"):
        (root / "content" / rel).unlink()   # two books, the sheet and the compendium
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8").replace("relationships:\n  - {with: old-guide, kind: mentor}\n", "")
    hero.write_text(text.replace("name: Rook Amsel", "name: Rook \U00031350 Amsel"), encoding="utf-8")
    _extension_font(root / "themes/default/print/fonts/Extension.ttf")
    shipped = (REPO / "themes/default/print/css/sheet.css").read_text(encoding="utf-8")
    (root / "themes/default/print/css").mkdir(parents=True)
    (root / "themes/default/print/css/sheet.css").write_text(
        '@font-face { font-family: "Extension"; src: url(../fonts/Extension.ttf); }\n' + shipped, encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS}

    def said(*command: str) -> list:
        run = foundry(*command, "--format", "json", "--project", str(root), env=env)
        assert run.code == 0, run.stderr
        return [(g["file"], g["line"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"]

    built = said("build", "--only", "pdf")
    assert ("content/heroes/first-hero.yaml", 2) in built
    assert "Rook \U00031350 Amsel" in pdftext(root / "build/pdf/heroes/first-hero.pdf")   # the sheet prints it
    assert said("check") == built


def test_a_font_declared_for_the_gamebooks_prints_their_scenes(tmp_path):
    """The other side of the rule above: a font declared in gamebook.css alone prints a
    scene's prose, which only the gamebook prints; check said nothing, rightly (the
    story's PDF printed it), and must not warn once fonts are counted per book."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("The lantern bobs", "The lantern \U00031350 bobs"),
                     encoding="utf-8")
    _extension_font(root / "themes/default/print/fonts/Extension.ttf")
    (root / "themes/default/print/css").mkdir(parents=True)
    shipped = (REPO / "themes/default/print/css/gamebook.css").read_text(encoding="utf-8")
    (root / "themes/default/print/css/gamebook.css").write_text(
        '@font-face { font-family: "Extension"; src: url(../fonts/Extension.ttf); }\n' + shipped, encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [g for g in run.json()["diagnostics"] if g["code"] == "HF0741"] == []
    # and the same font for a word the compendium prints too (the story's title): said
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: The Fog\U00031350 Road"),
                     encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [(g["file"], g["line"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"] == [
        ("content/stories/first-story.md", 2)]


def test_the_epub_cover_draws_from_the_font_hf0752s_hint_has_the_theme_declare(tmp_path):
    """HF0752's hint (a world titled in a script no Debian font has) is to ship a font
    in the theme's print/fonts/ with an @font-face rule naming it. Followed, the PDFs
    printed it, but the EPUB cover drew from its three faces and the machine's fonts
    alone: still a box, and check and the build said HF0752 again. The font (made with
    fontTools) draws U+31350 as a filled box, the machine's tofu an outline: the cover
    must hold a solid block of the title's ink."""
    from PIL import Image, ImageFilter
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel in ("stories/first-story.md", "quests/first-quest.yaml"):
        (root / "content" / rel).unlink()   # one EPUB, the compendium
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "Minimal \U00031350"'),
                    encoding="utf-8")
    _extension_font(root / "themes/default/print/fonts/Extension.ttf")
    _declare(root, "Extension", "Extension.ttf")
    env = {"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS}

    def said(*command: str) -> list:
        run = foundry(*command, "--format", "json", "--project", str(root), env=env)
        assert run.code == 0, run.stderr
        return [(g["file"], g["line"]) for g in run.json()["diagnostics"] if g["code"] in ("HF0741", "HF0752")]

    assert said("check") == []
    assert said("build", "--only", "epub") == []
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        cover = Image.open(io.BytesIO(book.read("EPUB/images/cover.png"))).convert("L")
    solid = cover.point(lambda v: 255 if v > 215 else 0).filter(ImageFilter.MinFilter(31))
    assert solid.getextrema()[1] == 255, "the title's U+31350 is not drawn in the theme's font"


def test_a_font_installed_after_a_build_prints_at_the_next(tmp_path):
    """HF0741's fix is to install a font: done, the next build was "0 written" — the
    books were keyed by the project's files, the theme, the date and foundry, not the
    machine's fonts —, the PDF kept its boxes and the build and check said the warning
    again, from their memos, until .foundry-cache/ and build/ were deleted by hand. The
    font is installed here as a user installs one, in $XDG_DATA_HOME/fonts/, which
    fontconfig reads; it draws U+31350 (CJK Extension H, in no Debian font)."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for rel in ("characters/old-guide.yaml", "stories/first-story.md", "quests/first-quest.yaml"):
        (root / "content" / rel).unlink()   # two books, the sheet and the compendium, not five
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8").replace("relationships:\n  - {with: old-guide, kind: mentor}\n", "")
    hero.write_text(text.replace("name: Rook Amsel", "name: Rook \U00031350 Amsel"), encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": EPOCH, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), **ONE_PROCESS}

    def said(*command: str) -> tuple[list, str]:
        run = foundry(*command, "--format", "json", "--project", str(root), env=env)
        assert run.code == 0, run.stderr
        return [(g["file"], g["line"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"], run.stdout

    boxes = [("content/heroes/first-hero.yaml", 2)]
    assert said("check")[0] == boxes and said("build", "--only", "pdf")[0] == boxes
    _extension_font(tmp_path / "data/fonts/Extension.ttf")
    assert said("check")[0] == []
    assert said("build", "--only", "pdf")[0] == []
    sheet = root / "build/pdf/heroes/first-hero.pdf"
    assert any(f["name"].endswith("+Extension") and f["emb"] == "yes" for f in pdffonts(sheet)), pdffonts(sheet)
    assert "Rook \U00031350 Amsel" in pdftext(sheet)
    # and a build with nothing new, not even a font, is still a no-op
    again = foundry("build", "--only", "pdf", "--project", str(root), env=env)
    assert "0 written" in again.stdout + again.stderr, again.stdout + again.stderr


@pytest.fixture(scope="module")
def german_world(tmp_path_factory):
    """A minimal world printed in German too, with characters no font has where its
    people wrote them, read by the two tests below (one l10n extract and one build for
    both; each asserts every HF0741 of the build, its own and the other's):
    - the project theme's own catalog (its word for "Level", ejected) and the hero's
      name, which the German books print untranslated (test_…_projects_theme_…);
    - the German translation files, for the pieces a book looks up beyond its own
      files: a related person's name on a hero sheet, an attribute's name from the rule
      book, and the hero's title (test_…_in_a_translation_…).
    Returns (the build's HF0741s as (file, line, column), the (file, line, column) of
    the hero's name's character and of the catalog's, {character: (file, line, column)}
    of each translator's msgstr)."""
    import polib
    root = tmp_path_factory.mktemp("german") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("theme", "eject", "locale/de/LC_MESSAGES/messages.po", "--project", str(root)).code == 0
    catalog = root / GERMAN_CATALOG
    text = catalog.read_text(encoding="utf-8")
    assert 'msgid "Level"\nmsgstr "Stufe"\n' in text
    catalog.write_text(text.replace('msgid "Level"\nmsgstr "Stufe"\n', 'msgid "Level"\nmsgstr "Stufe \U00031350"\n'),
                       encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", "name: Rook \U00031351 Amsel"),
                    encoding="utf-8")
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    a, b, c = TRANSLATED
    words = {"Old Guide": f"Alter Führer {a}", "Agility": f"Gewandtheit {b}", "Scout of the Marsh Road": f"Späherin {c}"}
    placed = {}
    for path in (root / "translations/de").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid in words:
                entry.msgstr = words[entry.msgid]
        po.save()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for char in (a, b, c):
                if 'msgstr "' in line and char in line:
                    placed[char] = (path.relative_to(root).as_posix(), number, line.index(char) + 1)
    assert len(placed) == 3
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr
    glyphs = sorted((g["file"], g["line"], g["column"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741")
    own = [next((rel, number, text.index(char) + 1)
                for number, text in enumerate((root / rel).read_text(encoding="utf-8").splitlines(), 1) if char in text)
           for rel, char in (("content/heroes/first-hero.yaml", "\U00031351"), (GERMAN_CATALOG, "\U00031350"))]
    return glyphs, own, placed


# CJK Extension H, which no Debian font has: german_world's translators' characters
TRANSLATED = ("\U00031352", "\U00031353", "\U00031354")


def test_a_character_no_font_has_in_the_projects_theme_is_at_its_line_there(german_world):
    """The project's own theme is its people's writing too: a catalog entry (the
    theme's word for "Level" in German) or a print template holding a character no
    font has was HF0741 at 'foundry.toml', with no line, a file that does not hold it.
    It is at the line of the theme file that does. And a hero's name the German books
    print untranslated is at the hero's line alone: the translation files quote it in
    msgids and in the context comments of every line of her story (sixteen lines of
    first-story.md.po), which a translator did not write. U+3135x: CJK Extension H."""
    glyphs, own, placed = german_world
    assert [(f, n) for f, n, _ in own] == [("content/heroes/first-hero.yaml", 2), (GERMAN_CATALOG, own[1][1])]
    assert [g for g in glyphs if g not in placed.values()] == own, glyphs
    assert glyphs == sorted([*own, *placed.values()]), glyphs   # the translators' lines alone besides


def test_a_character_shaping_splits_is_placed_at_the_character_typed():
    """Thai SARA AM (U+0E33) is shaped as NIKHAHIT + SARA AA: a machine without a Thai
    font logs the missing NIKHAHIT (U+0E4D), which the writer never typed. It is found
    at the SARA AM's line and column and named as typed (before: at foundry.toml)."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.pdf.glyphs import report_missing
    diags = Diagnostics()
    report_missing({"\u0e4d", "\u0e19"}, [("content/characters/guide.yaml", "role: x\nname: \u0e19\u0e33\n")], diags)
    assert [(d.span.path, d.span.line, d.span.column) for d in diags.warnings] == [("content/characters/guide.yaml", 2, 7)]
    assert "\u0e19\u0e33" in diags.warnings[0].message and "\u0e4d" not in diags.warnings[0].message


def test_the_word_no_font_prints_is_quoted_as_written():
    """A Thai greeting whose letters no font has: the message quotes the word as the
    writer wrote it, not its letters deduplicated ("สวัสดี" read as "สวัดี", another
    word); a sentence written without spaces is quoted around its first such letter,
    and a line with many such words names the first few."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.pdf.glyphs import report_missing
    greeting, sentence = "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35", "むかしむかしあるところにおじいさんが\U00031350いました"
    story = f"Hello {greeting}! and {greeting} again\n{sentence}\nA \U00031351 B \U00031352 C \U00031353 D \U00031354\n"
    diags = Diagnostics()
    report_missing(set(greeting) | {"\U00031350", "\U00031351", "\U00031352", "\U00031353", "\U00031354"},
                   [("content/stories/a.md", story)], diags)
    said = {d.span.line: d.message for d in diags.warnings}
    assert f"can print '{greeting}' (Thai)" in said[1], said
    assert "'…ところにおじいさんが\U00031350いました'" in said[2], said
    assert "'\U00031351', '\U00031352', '\U00031353' and 1 more" in said[3], said
    # a line of characters whose scripts are their code points (private use): a few named
    private = [chr(0xE000 + k) for k in range(400)]
    report_missing(set(private), [("content/stories/b.md", " ".join(private) + "\n")], diags)
    [message] = [d.message for d in diags.warnings if d.span.path == "content/stories/b.md"]
    assert "(U+E000, U+E001, U+E002, U+E003, U+E004, U+E005 and 394 more)" in message and len(message) < 200, message


def test_a_character_no_font_has_in_a_translation_is_placed_at_the_translators_line(german_world):
    """A German book prints what the German translation files say, the pieces it looked
    up beyond its own files too (a related person's name on a hero sheet, an attribute's
    name from the rule book): each warning is at the PO line holding the character (the
    lookup searched those pieces' base-language files, and fell back to foundry.toml)."""
    glyphs, own, placed = german_world
    assert [g for g in glyphs if g not in own] == sorted(placed.values()), glyphs
    assert glyphs == sorted([*own, *placed.values()]), glyphs   # the theme's and the hero's name's besides


@pytest.mark.parametrize("fmt, wrapped", [
    ("xliff", ("<source>Rook grew up on the marsh road, where the *fog* decides who arrives.</source>\n",
               "        <target>Rook wuchs an der Marschstraße auf,\nwo der *Nebel* \U00031353 entscheidet.</target>\n")),
    ("csv", ('decides who arrives.","",', 'decides who arrives.","Rook wuchs an der Marschstraße auf,\n'
                                          'wo der *Nebel* \U00031353 entscheidet.",'))])
def test_a_character_no_font_has_on_a_wrapped_translations_later_line_is_at_that_line(tmp_path, fmt, wrapped):
    """An XLIFF <target> a translator's tool wrapped, or a spreadsheet's cell holding a
    line break, has the translation on more lines than its first: a character no font
    has on the second was cut out of the text the reports read (only a PO msgstr's
    continuation lines were kept), so check said nothing and the build said HF0741 at
    foundry.toml with no line. Both say it at that second line now (check only here: the
    build says what check's foretelling says, and the render's report reads the same
    translation text). U+31353: CJK Extension H."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write(f'\n[l10n]\nlanguages = ["de"]\nformat = "{fmt}"\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    catalog = root / f"translations/de/content/heroes/first-hero.yaml.{'xlf' if fmt == 'xliff' else 'csv'}"
    anchor, added = wrapped
    text = catalog.read_text(encoding="utf-8")
    assert anchor in text
    catalog.write_text(text.replace(anchor, anchor + added if fmt == "xliff" else added), encoding="utf-8")
    line = next(i for i, t in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1) if "\U00031353" in t)
    run = foundry("check", "--format", "json", "--project", str(root))
    glyphs = [(g["file"], g["line"], g["column"]) for g in run.json()["diagnostics"] if g["code"] == "HF0741"]
    assert glyphs == [(catalog.relative_to(root).as_posix(), line, 16)], glyphs


def test_the_missing_font_hint_names_the_package_ci_installs_for_the_script(monkeypatch):
    """HF0741's hint names the package that draws the line's script, the one
    .ci/fonts.txt installs for it, not every package (a writer with Thai missing was
    told about CJK and emoji fonts too); a character newer than Python's Unicode tables
    (likely in no packaged font) is pointed at a font shipped with the theme."""
    from pipeline.exporters.pdf import font_packages
    from pipeline.exporters.pdf.glyphs import font_hint
    # as on a machine without them (one that has a package is not told to install it)
    monkeypatch.setattr(font_packages, "installed", lambda package: False)
    packages = {"fonts-noto-cjk", "fonts-noto-core", "fonts-noto-color-emoji"}
    for lang, package, _ in ci_fonts():
        hint = font_hint(SCRIPTS[lang][1].replace(" ", ""))   # the characters, as WeasyPrint names them
        assert package in hint and not any(other in hint for other in packages - {package}), (lang, hint)
    assert "fonts-noto-color-emoji" in font_hint("\U0001F409") and "fonts-noto-core" not in font_hint("\U0001F409")
    assert "themes/<theme>/print/fonts/" in font_hint("\U00031350")


def test_rare_han_is_said_to_be_han_and_pointed_at_a_font_that_has_it(monkeypatch):
    """Han of Extension B (U+20000 on), which Noto CJK mostly lacks: the hint named
    fonts-noto-cjk, which a machine printing Japanese already has, and the message said
    the script was 'Cjk' (the first word of the character's name). It names the script
    (Han) and a package whose fonts have the characters (Hanazono's, Extensions B to
    F); Han past that (Extension G, U+30000) is in no package: a font of the theme's."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.pdf import font_packages
    from pipeline.exporters.pdf.glyphs import font_hint, report_missing
    monkeypatch.setattr(font_packages, "installed", lambda package: False)
    diags = Diagnostics()
    report_missing({"\U00020000"}, [("content/heroes/a.yaml", "name: \U00020000\u592a\u90ce\n")], diags)
    [said] = diags.warnings
    assert "(Han)" in said.message, said.message
    assert "fonts-hanazono" in said.hint and "fonts-noto-cjk" not in said.hint, said.hint
    assert "fonts-noto-cjk" in font_hint("\u5c71\u3002")   # the common Han and the CJK full stop
    later = font_hint("\U00030000")
    assert "Install" not in later and "themes/<theme>/print/fonts/" in later, later


def test_emoji_no_font_has_are_said_to_be_emoji():
    """The message names the scripts of what printed as boxes, from each character's
    Unicode name: an emoji family was said to be in the scripts 'Man, Woman, Girl, Boy'."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.pdf.glyphs import report_missing
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466"
    diags = Diagnostics()
    report_missing({"\U0001F468", "\U0001F469", "\U0001F467", "\U0001F466"},
                   [("content/heroes/a.yaml", f"name: {family}\n")], diags)
    [said] = diags.warnings
    assert "(Emoji)" in said.message and "Man" not in said.message, said.message


# Each built on a machine whose locale names another region: fontconfig (FC_LANG, else
# LC_ALL…) and Pango (PANGO_LANGUAGE, else LANGUAGE) read it, and a Japanese or zh-Hant
# world built under zh_CN printed its Han in the Simplified Chinese forms.
# The zh-Hant world's print theme is the project's own, with a base.css of its own: the
# rules that pick the region's face were the shipped base.css's, and it printed in the
# Japanese forms (they are foundry's now, pdf/han_forms.py). A theme that names the forms
# itself, on the root for the page to inherit, has its way: foundry's rules matched every
# element of a zh-Hant book (`:lang()` matches inherited languages too) and so beat what
# each inherited from the theme's root, whatever its origin.
_OWN_CSS = "html { font-family: serif; }\n"
_OWN_FORMS = 'html { font-family: serif; font-language-override: "ja"; }\n'


@pytest.mark.parametrize("language, region, locale, own_theme", [
    ("zh-Hans", "SC", "zh-tw", None), ("zh-Hant", "TC", "zh-cn", _OWN_CSS),
    ("ko", "KR", "zh-cn", None), ("ja", "JP", "zh-cn", None), ("zh-Hant", "JP", "zh-cn", _OWN_FORMS)])
def test_chinese_prints_in_the_forms_of_its_region(tmp_path, monkeypatch, language, region, locale, own_theme):
    """A Chinese world's Han characters are drawn from the CJK font fontconfig finds
    for the text's language, and fontconfig knows 'zh-cn' and 'zh-tw', not BCP 47's
    zh-Hans and zh-Hant: a world in either printed its Chinese in Noto CJK JP, the
    Japanese forms (骨, 直, 角 drawn otherwise). The print theme names the region
    fontconfig knows for each: the compendium embeds the SC face for zh-Hans and the
    TC one for zh-Hant, and no Japanese one. A Korean world's hanja went to the
    Japanese face too (Pango asks for no language for Han in Korean text): they are
    set in the Korean one (pdf/korean_han.py), and the running head, which copies
    the entry's name as text only, in the Korean face too (base.css, --ko-han). And a
    Japanese world's in the Japanese face, whatever the builder's locale says."""
    need_poppler()
    require_tool(subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
                 .stdout.strip() != "", "a Chinese font (fonts-noto-cjk, .ci/fonts.txt)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    # The compendium alone: its cover and one person, whose name heads their entry and the
    # running head. A character, not a hero: a hero's own sheet, which no assertion reads,
    # was a second book to lay out and subset Noto CJK for (~0.65 of a case's ~1.8 CPU-s).
    for rel in ("stories/first-story.md", "quests/first-quest.yaml", "characters/old-guide.yaml",
                "heroes/first-hero.yaml"):
        (root / "content" / rel).unlink()
    (root / "content/characters/kakukotsu.yaml").write_text("name: 角骨\nrole: Scout\nstatus: draft\n", encoding="utf-8")
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', f'language = "{language}"')
                      .replace('title = "Minimal"', 'title = "骨直角"'), encoding="utf-8")
    if own_theme:
        config.write_text(config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "own"'),
                          encoding="utf-8")
        (root / "themes/own/print/css").mkdir(parents=True)
        (root / "themes/own/print/css/base.css").write_text(own_theme, encoding="utf-8")
    # a process of its own: a warm start's zygote has read its own locale already
    monkeypatch.setenv("FOUNDRY_TEST_COLD_START", "1")
    run = foundry("build", "--only", "pdf", "--project", str(root),
                  env={**BUILD_ENV, "FC_LANG": locale, "PANGO_LANGUAGE": locale})
    assert run.code == 0, run.stderr
    cjk = [row["name"].split("+")[-1] for row in pdffonts(root / "build/pdf/compendium.pdf") if "CJK" in row["name"]]
    assert cjk and all(f"CJK-{region}" in name for name in cjk), cjk


def test_only_hanja_in_korean_text_are_marked_for_the_korean_face():
    """The Korean-hanja spans go where the text is Korean (its element's lang or an
    ancestor's), its tails included, and nowhere else: not Han in an English
    paragraph, not the title (metadata: no markup), not a book with no Korean."""
    from pipeline.exporters.pdf.korean_han import mark_korean_han
    english = '<!DOCTYPE html><html lang="en"><head><title>骨</title></head><body><p>骨 直</p></body></html>'
    assert mark_korean_han(english) is english
    book = ('<!DOCTYPE html><html lang="en"><head><title>骨</title></head><body><p>角 '
            '<span lang="ko-KR">한국 骨直<b>角</b>사람 骨</span> 角</p></body></html>')
    marked = mark_korean_han(book)
    assert marked.count('class="ko-han"') == 3, marked
    assert '<title>骨</title>' in marked and '<p>角 <span lang="ko-KR">' in marked and "</span> 角</p>" in marked
    assert '<span class="ko-han">骨直</span><b><span class="ko-han">角</span></b>사람 <span class="ko-han">骨</span>' \
        in marked, marked


def test_an_epub_covers_han_is_drawn_in_the_worlds_forms_whatever_the_locale(monkeypatch):
    """The cover's font is fontconfig's match (`fc-match`), which adds the languages of
    the builder's locale (FC_LANG, else LC_ALL…) to what it is asked: a Japanese
    world's cover title (no language asked: Japanese is what fontconfig picks unasked)
    was drawn from Noto CJK SC under zh_CN, a zh-Hant world's too."""
    require_tool(subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
                 .stdout.strip() != "", "a Chinese font (fonts-noto-cjk, .ci/fonts.txt)")
    from fontTools.ttLib import TTFont

    from pipeline.exporters.epub.cover import _system_font, fontconfig_language
    monkeypatch.setenv("FC_LANG", "zh-cn")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    faces = {}
    for language in ("ja", "zh-Hant"):
        path, index = _system_font({ord("\u76f4"), ord("\u9aa8")}, False, fontconfig_language(language))
        faces[language] = TTFont(path, fontNumber=index, lazy=True)["name"].getDebugName(1)
    assert "CJK JP" in faces["ja"] and "CJK TC" in faces["zh-Hant"], faces


def test_an_epub_covers_han_is_shaped_in_the_worlds_language_whatever_the_locale(tmp_path):
    """Raqm shapes a cover's text in HarfBuzz's default language unless told one, and
    that is the locale's (LC_CTYPE, as Python sets it at start): Noto CJK's `locl`
    forms follow it, so under zh_CN.UTF-8 a Japanese world's cover title was drawn in
    Simplified forms from the very Japanese face fontconfig picked, and its EPUB was
    other bytes than under C. Drawn in a process of its own under each locale."""
    require_tool(subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
                 .stdout.strip() != "", "a Chinese font (fonts-noto-cjk, .ci/fonts.txt)")
    made = shutil.which("localedef") and subprocess.run(
        ["localedef", "-i", "zh_CN", "-f", "UTF-8", str(tmp_path / "zh_CN.UTF-8")], capture_output=True)
    require_tool(bool(made) and (tmp_path / "zh_CN.UTF-8").is_dir(), "localedef and the zh_CN locale's source (locales)")
    draw = ("import hashlib, locale, sys\n"
            "from pipeline.exporters.epub.cover import draw_cover\n"
            "png = draw_cover('b', '骨直角', '', '', (), {}, language='ja')\n"
            "print(locale.setlocale(locale.LC_CTYPE), hashlib.sha256(png).hexdigest())\n")
    drawn = {}
    for name in ("C", "zh_CN.UTF-8"):
        run = subprocess.run([sys.executable, "-c", draw], capture_output=True, text=True, cwd=REPO,
                             env={"PATH": os.environ.get("PATH", ""), "LOCPATH": str(tmp_path), "LC_ALL": name,
                                  "PYTHONPATH": str(REPO)})
        assert run.returncode == 0, run.stderr
        drawn[name] = run.stdout.split()
    assert drawn["zh_CN.UTF-8"][0] == "zh_CN.UTF-8", drawn   # the locale was the shell's
    assert drawn["zh_CN.UTF-8"][1] == drawn["C"][1], drawn
