"""An EPUB cover's right-to-left text in the order a reader reads it. The cover draws
a line no one font has in several calls (one a font), and the world's name in
letter-spaced capitals one character a call; each piece was placed after the one
before it in the order it is stored, so an Arabic title with a Japanese word printed
the Arabic at the left, and a Hebrew world's name printed its letters backwards.

A word wider than the cover is broken between characters; it was broken between code
points, so a Devanagari vowel sign (or a Tamil one, an emoji's joiner, a flag's second
letter) began the next line alone, drawn on a dotted circle; and an Arabic word's
letters either side of the cut lost their joined forms.

Read from the cover's pixels: the ink of a line falls into clusters separated by
blank columns (words, and letters that are letter-spaced), whose widths say which is
which."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from PIL import Image

from support import REPO, ROOTS, foundry, require_tool

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
AUTHOR = "Nguye\u0302\u0303n"   # Nguyễn as macOS and some editors store it: E, then two marks


def ink_clusters(img: Image.Image, top: int, bottom: int, gap: int) -> list[tuple[int, int]]:
    """(first, last) columns of each run of columns holding ink between rows top and
    bottom, runs closer than `gap` blank columns joined; inside the cover's frame."""
    back = img.getpixel((100, 400))   # inside the frame, above the title: the background
    inked = [any(sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), back)) > 120 for y in range(top, bottom, 2))
             for x in range(80, img.width - 80)]
    out: list[tuple[int, int]] = []
    for x, ink in enumerate(inked, 80):
        if ink and out and x - out[-1][1] <= gap:
            out[-1] = (out[-1][0], x)
        elif ink:
            out.append((x, x))
    return out


@pytest.fixture(scope="module")
def covers(tmp_path_factory) -> dict[str, Image.Image]:
    """One build of the minimal world named 'עולם', by AUTHOR, with two stories: one
    titled 'في 霧の道' ("in" is short, 霧の道 three wide characters: Arabic first, so at
    the right), one a Devanagari word of 13 'सि' (a consonant and its vowel sign), too
    wide for one line. Each story EPUB's cover, by story."""
    require_tool(shutil.which("fc-list") is not None, "fc-list (fontconfig)")
    for lang in ("ja", "ar", "hi"):
        require_tool(subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                                    text=True).stdout.strip() != "", f"a font for '{lang}' (.ci/fonts.txt)")
    root = tmp_path_factory.mktemp("covers") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("title: The Fog Road", "title: في 霧の道", 1), encoding="utf-8")
    long_word = text.replace("title: The Fog Road", "title: " + "सि" * 13, 1)
    (root / "content/stories/long-word.md").write_text(long_word, encoding="utf-8")
    joined = text.replace("title: The Fog Road", "title: " + "ع" * 30, 1)   # ع, a letter joining both ways
    (root / "content/stories/joined-word.md").write_text(joined, encoding="utf-8")
    long_title = text.replace("title: The Fog Road", "title: " + " ".join(["WWWWWWWWW"] * 20), 1)   # 199 letters
    (root / "content/stories/long-title.md").write_text(long_title, encoding="utf-8")
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Minimal"', 'title = "עולם"', 1)
                      .replace("authors = []", f'authors = ["{AUTHOR}"]', 1), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "epub", env=EPOCH)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    out = {}
    for sid in ("first-story", "long-word", "joined-word", "long-title"):
        with zipfile.ZipFile(root / f"build/epub/stories/{sid}.epub") as book:
            [name] = [n for n in book.namelist() if n.endswith("cover.png")]
            out[sid] = Image.open(io.BytesIO(book.read(name))).convert("RGB")
    return out


def test_right_to_left_cover_text_is_drawn_in_reading_order(covers):
    cover = covers["first-story"]
    # the title (Japanese font and Arabic font, one line at the top of its frame)
    words = ink_clusters(cover, 560, 760, gap=30)
    assert len(words) == 2, words
    left, right = (last - first for first, last in words)
    assert right < left / 2, f"the Arabic word is not at the right: {words}"
    # the world's name, letter-spaced: ע ו ל ם read from the right, so the narrow ו
    # (vav) is the third letter from the left (it was the second: printed backwards)
    letters = ink_clusters(cover, 240, 300, gap=3)
    assert len(letters) == 4, letters
    widths = [last - first for first, last in letters]
    assert widths.index(min(widths)) == 2, f"the world's name is not right to left: {letters}"


def ink_lines(img: Image.Image, top: int, bottom: int) -> list[int]:
    """The ink width of each run of rows holding ink between top and bottom."""
    back = img.getpixel((100, 400))
    out, span = [], None
    for y in range(top, bottom):
        xs = [x for x in range(80, img.width - 80, 2)
              if sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), back)) > 120]
        if xs:
            span = (min(xs), max(xs)) if span is None else (min(span[0], xs[0]), max(span[1], xs[-1]))
        elif span is not None:
            out.append(span[1] - span[0])
            span = None
    return out


def test_a_word_too_wide_for_the_cover_is_cut_between_whole_characters(covers):
    """Thirteen 'सि' make lines of whole 'सि', each full line as wide as the next; cut
    between code points, a line ended in 'स' and the next began with 'ि' on a dotted
    circle, two lines of other widths and another word."""
    spans = ink_lines(covers["long-word"], 540, 1250)
    lines = spans[:next(k for k, width in enumerate(spans) if abs(width - 140) <= 4)]   # up to the rule under the title
    assert len(lines) >= 2, spans
    full = lines[:-1]
    assert max(full) - min(full) <= 4, f"lines of unequal width: {lines}"


def ink_rows(img: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """(first, last) rows of each run of rows holding ink between top and bottom."""
    back = img.getpixel((100, 400))
    out: list[tuple[int, int]] = []
    for y in range(top, bottom):
        if any(sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), back)) > 120 for x in range(80, img.width - 80, 2)):
            out[-1:] = [(out[-1][0], y)] if out and out[-1][1] == y - 1 else [*out[-1:], (y, y)]
    return out


def test_an_arabic_word_cut_across_the_cover_keeps_its_joined_forms(covers):
    """Thirty 'ع', one word joined letter to letter, cut over three lines. Each piece
    was drawn alone, so a line ended in the final form (a tail far below the line) and
    the next began in the initial one: the word read as three. Joined across the cut,
    only the word's own last letter has its tail: every other line is shallower."""
    runs = ink_rows(covers["joined-word"], 540, 1250)
    lines = runs[:next(i for i, (top, bottom) in enumerate(runs) if bottom - top < 6)]   # to the rule under the title
    assert len(lines) >= 3, runs
    *cut, last = [bottom - top for top, bottom in lines]
    assert all(height < last - 10 for height in cut), f"a line ends in a final form: {lines}"


def test_a_long_title_is_drawn_whole(covers):
    """A story's title may have 200 letters. Twenty words of nine capitals wrap to one
    word a line at the smallest size the cover had (60 px), and it drew the first five
    lines: the other fifteen words were left off without a word. Smaller sizes follow,
    and every line is drawn: more than five lines of ink above the rule."""
    runs = ink_rows(covers["long-title"], 540, 1400)
    lines = runs[:next(i for i, (top, bottom) in enumerate(runs) if bottom - top < 6)]   # to the rule under the title
    assert len(lines) > 5, runs


def test_letter_spaced_names_keep_their_marks_on_their_letters(covers):
    """The authors (and the world's name) are set in letter-spaced capitals, one
    character a call: a decomposed 'Nguyễn' spaced its circumflex and tilde out as two
    letters of their own after a bare E, as Hebrew points stood between the letters
    they belong to. A letter and its marks are one: NGUYỄN is six letters of ink, its
    Ễ no wider than its N (the marks stood to the right of a bare E)."""
    letters = ink_clusters(covers["first-story"], 1480, 1545, gap=3)
    assert len(letters) == 6, letters
    widths = [last - first for first, last in letters]
    assert widths[4] <= widths[0], f"the marks are not on their E: {letters}"


def compendium_cover(root, title: str, language: str = "en") -> Image.Image:
    """The EPUB compendium's cover of the minimal world copied to `root` with its
    people, quest and story removed (the compendium alone), titled `title`, in `language`."""
    shutil.copytree(ROOTS / "minimal", root)
    for shown_elsewhere in ("stories/first-story.md", "quests/first-quest.yaml", "heroes/first-hero.yaml",
                            "characters/old-guide.yaml"):
        (root / "content" / shown_elsewhere).unlink()
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', f'language = "{language}"')
                      .replace('title = "Minimal"', f'title = "{title}"'), encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "epub", env=EPOCH)
    assert run.code == 0, run.stderr[-2000:]
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        [name] = [n for n in book.namelist() if n.endswith("cover.png")]
        return Image.open(io.BytesIO(book.read(name))).convert("RGB")


def test_a_chinese_worlds_cover_draws_the_forms_of_its_region(tmp_path):
    """The cover's Han characters come from the font fontconfig matches for them; asked
    without a language it gives Noto CJK JP, so a zh-Hans and a zh-Hant world's cover
    title were drawn in the Japanese forms, the same pixels for both. Asked for each
    language's region, the two draw '骨直角' in their own forms."""
    require_tool(subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True)
                 .stdout.strip() != "", "a Chinese font (fonts-noto-cjk, .ci/fonts.txt)")
    inked = {}
    for language in ("zh-Hans", "zh-Hant"):
        img = compendium_cover(tmp_path / language, "骨直角", language)
        back = img.getpixel((100, 400))
        inked[language] = {(x, y) for y in range(540, 900, 2) for x in range(80, img.width - 80, 2)
                           if sum(abs(a - b) for a, b in zip(img.getpixel((x, y)), back)) > 120}
        assert inked[language], f"{language}: no title drawn"
    assert inked["zh-Hans"] != inked["zh-Hant"], "both drawn in one region's forms (fontconfig's first: Japanese)"


def test_a_world_name_too_long_for_one_line_stays_on_the_cover(tmp_path):
    """The world's name is one line of letter-spaced capitals, shrunk to fit the
    cover: a name of nine long words (190 letters, under the 200 foundry.toml allows)
    was shrunk to the floor of 8 px and still ran off both edges, its first letters cut
    away. Too long for a legible line, it is set on several: all its ink inside the
    cover's frame, in letters of a readable height."""
    cover = compendium_cover(tmp_path / "world", " ".join(["Llanfairpwllgwyngyll"] * 9))
    back = cover.getpixel((100, 400))
    rows = ink_rows(cover, 200, 540)
    assert rows and all(bottom - top >= 10 for top, bottom in rows), f"letters under 10 px high: {rows}"
    edge = [y for y in range(200, 540, 2) for x in (2, 30, cover.width - 30, cover.width - 3)   # outside the frame
            if sum(abs(a - b) for a, b in zip(cover.getpixel((x, y)), back)) > 120]
    assert not edge, f"the name runs past the frame at rows {edge[:5]}"


def test_a_cut_words_joiner_is_drawn_in_its_letters_font():
    """A line cut inside a joined Arabic word starts with a zero-width joiner (the
    letter keeps its joined form). In a line drawn in several fonts, each character's
    font was chosen by the cluster's first code point, the joiner, which no font was
    chosen for: the letter went to the first font (the theme's Latin face), a box."""
    from PIL import ImageFont
    from pipeline.exporters.epub.cover import ZWJ, _Fallback
    found = subprocess.run(["fc-match", "--format=%{file}", ":lang=ar"], capture_output=True, text=True).stdout
    require_tool(found.endswith((".ttf", ".otf")), "an Arabic font (.ci/fonts.txt)")
    latin = ImageFont.truetype(str(REPO / "themes/default/print/fonts/LinLibertine_DR.otf"), 40)
    arabic = ImageFont.truetype(found, 40)
    mixed = _Fallback([(latin, {ord("T")}), (arabic, {ord("\u0639")})])
    assert [font for _, font in mixed.runs(ZWJ + "\u0639\u0639")] == [arabic]


def test_a_long_word_is_cut_with_a_few_measures_a_line(monkeypatch):
    """A word wider than the cover is cut at the most characters that fit. They were
    looked for from the end of the word, one measure a character: a world name of 200
    Japanese characters (no space to break at; foundry.toml allows 200) took 4,135
    measures of the line at 9 ms each in the CJK font, 36 s of CPU for every EPUB's
    cover (a gamebook's too). Found by halving: eight measures a cut. Counted, not
    timed: every width asked of a font while the cover is drawn."""
    from PIL import ImageFont
    from pipeline.exporters.epub.cover import draw_cover
    require_tool(subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout.strip() != "",
                 "a Japanese font (.ci/fonts.txt)")
    theme = REPO / "themes/default/print"
    files = {str(p.relative_to(theme)): p.read_bytes() for p in theme.rglob("*") if p.is_file()}
    measures = []
    original = ImageFont.FreeTypeFont.getlength
    monkeypatch.setattr(ImageFont.FreeTypeFont, "getlength",
                        lambda font, *a, **k: measures.append(1) or original(font, *a, **k))
    name = ("霧の沼地と葦原と柳の長い道を越えて港へ帰る" * 10)[:200]
    missing: set[str] = set()
    cover = Image.open(io.BytesIO(draw_cover("b", "The Fog Road", "A gamebook", name, (), files, missing, "ja")))
    assert not missing and cover.size == (1200, 1800)
    assert len(measures) < 600, len(measures)   # 4,135 before; 382 now


def test_more_authors_than_the_cover_holds_end_in_an_ellipsis_inside_its_frame():
    """The authors are letter-spaced capitals at the cover's foot, on up to three lines
    in letters of a readable height; foundry.toml sets no most for them, and sixteen long
    names took sixteen lines at the smallest size, every one drawn: the last ones over
    the frame and off the picture's foot. The cover shows the first
    three lines, the last ending in an ellipsis (the EPUB's metadata and title page name
    every author). Drawn as the EPUB exporter draws it, with the shipped theme's faces."""
    from pipeline.exporters.epub.cover import draw_cover
    theme = REPO / "themes/default/print"
    files = {str(p.relative_to(theme)): p.read_bytes() for p in theme.glob("fonts/*.otf")}
    authors = tuple(f"Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch {n}" for n in range(16))
    cover = Image.open(io.BytesIO(draw_cover("b", "Minimal", "Compendium", "Minimal", authors, files))).convert("RGB")
    height = cover.height
    # between the two frames, and under the outer one: nothing but the frames' own lines
    assert ink_rows(cover, height - 62, height - 53) == [] and ink_rows(cover, height - 45, height) == []
    lines = ink_rows(cover, height - 350, height - 66)     # under the waves, inside the inner frame
    assert 1 <= len(lines) <= 3 and all(bottom - top >= 7 for top, bottom in lines), lines


def test_drawing_the_authors_measures_no_more_than_the_cover_shows(monkeypatch):
    """The authors are wrapped at each of ten sizes to find one that needs three lines,
    and foundry.toml sets no most for them: every author was measured at every size, and
    a word was cut from the whole rest of it a line at a time (30 authors of long names:
    274,000 widths asked of the font, 2.5 CPU-s, 60: twice that; one 800-letter name
    207,000, 1,600 letters 732,000, 5,000 over two minutes: for every EPUB). What lies
    past the three lines the cover shows is cut before anything is wrapped: twice the
    authors or letters cost the same, and draw the same cover. Counted, not timed: every
    width asked of a font while the cover is drawn."""
    from PIL import ImageFont
    from pipeline.exporters.epub.cover import draw_cover
    theme = REPO / "themes/default/print"
    files = {str(p.relative_to(theme)): p.read_bytes() for p in theme.glob("fonts/*.otf")}
    measures = []
    original = ImageFont.FreeTypeFont.getlength
    monkeypatch.setattr(ImageFont.FreeTypeFont, "getlength",
                        lambda font, *a, **k: measures.append(1) or original(font, *a, **k))

    def drawn(authors: tuple[str, ...]) -> tuple[int, bytes]:
        """(widths asked, the cover's PNG)."""
        measures.clear()
        png = draw_cover("b", "T", "", "W", authors, files)
        return len(measures), png

    names = tuple(f"Author Number {n} Of The Very Long Name Clan" for n in range(60))
    (few, few_cover), (many, many_cover) = drawn(names[:30]), drawn(names)
    assert many == few and few < 20_000 and many_cover == few_cover, (few, many)
    (short, short_cover), (long, long_cover) = drawn(("W" * 800,)), drawn(("W" * 1600,))
    assert long == short and short < 20_000 and long_cover == short_cover, (short, long)
    # the lines are found from the words, spaces run together counting as one: a run of
    # spaces wider than the lines is no reason to cut the name after it
    assert drawn(("A" + " " * 3000 + "B",))[1] == drawn(("A B",))[1]
