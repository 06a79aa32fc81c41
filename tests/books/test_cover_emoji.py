"""An EPUB cover drawn from a font of pictures only: colour emoji.

Noto Color Emoji (fonts-noto-color-emoji, the package HF0741's hint names for emoji,
installed on most desktops) holds pictures of one size (109 px) and no outlines.
FreeType opens such a font only in a size it has pictures for, and Pillow refused the
cover's sizes ("invalid pixel size"): a world name, story title or author holding an
emoji stopped the whole build on that machine (HF0710, "the process rendering
epub/compendium.epub stopped answering"), while the PDFs printed the emoji well; and
`foundry check` with an internal error when the cover also held a character no font has.

The font here is made for the test (fontTools): one red picture of 136×128 px at
109 px for U+1F35C, in a CBDT table, as Noto's are; fontconfig lists it alone."""

from __future__ import annotations

import io
import shutil

from PIL import Image, ImageChops

from support import REPO, only_fonts, require_tool

BOWL = "\U0001F35C"
WAVE = "\U0001F30A"
RED = (200, 30, 30)


def bitmap_font(code: int | tuple[int, ...] = ord(BOWL), ppem: int = 109) -> bytes:
    """A TrueType font with no outlines: one colour picture (PNG, RED, 136×128) drawn
    at `ppem` px for `code` (or each of several), in CBLC/CBDT tables, as colour emoji
    fonts are made."""
    from fontTools.fontBuilder import FontBuilder
    png = io.BytesIO()
    Image.new("RGBA", (136, 128), RED + (255,)).save(png, "PNG")
    builder = FontBuilder(unitsPerEm=2048, isTTF=True)
    builder.setupGlyphOrder([".notdef", "pic", "space"])
    builder.setupCharacterMap({**dict.fromkeys(code if isinstance(code, tuple) else (code,), "pic"), 0x20: "space"})   # a space as wide as a picture, as Noto's
    builder.setupHorizontalMetrics({".notdef": (0, 0), "pic": (2550, 0), "space": (2550, 0)})
    builder.setupHorizontalHeader(ascent=1900, descent=-500)
    builder.setupNameTable({"familyName": "Test Picture Emoji", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.setupMaxp()
    line = "".join(f'<{name} value="{value}"/>' for name, value in (
        ("ascender", 101), ("descender", -27), ("widthMax", 136), ("caretSlopeNumerator", 0),
        ("caretSlopeDenominator", 0), ("caretOffset", 0), ("minOriginSB", 0), ("minAdvanceSB", 0),
        ("maxBeforeBL", 0), ("minAfterBL", 0), ("pad1", 0), ("pad2", 0)))
    metrics = "".join(f'<sbitLineMetrics direction="{way}">{line}</sbitLineMetrics>' for way in ("hori", "vert"))
    builder.font.importXML(io.StringIO(f"""<?xml version="1.0" encoding="UTF-8"?><ttFont>
<CBLC><header version="3.0"/><strike index="0"><bitmapSizeTable>{metrics}<colorRef value="0"/>
<startGlyphIndex value="1"/><endGlyphIndex value="1"/><ppemX value="{ppem}"/><ppemY value="{ppem}"/>
<bitDepth value="32"/><flags value="1"/></bitmapSizeTable>
<eblc_index_sub_table_1 imageFormat="17" firstGlyphIndex="1" lastGlyphIndex="1"><glyphLoc id="1" name="pic"/>
</eblc_index_sub_table_1></strike></CBLC>
<CBDT><header version="3.0"/><strikedata index="0"><cbdt_bitmap_format_17 name="pic"><SmallGlyphMetrics>
<height value="128"/><width value="136"/><BearingX value="0"/><BearingY value="101"/><Advance value="136"/>
</SmallGlyphMetrics><rawimagedata>{png.getvalue().hex()}</rawimagedata></cbdt_bitmap_format_17></strikedata></CBDT>
</ttFont>"""))
    out = io.BytesIO()
    builder.font.save(out)
    return out.getvalue()


def red_mask(img: Image.Image) -> Image.Image:
    """White where `img` is the picture's red (within a little, for its scaled edges)."""
    return ImageChops.difference(img, Image.new("RGB", img.size, RED)).convert("L").point(lambda v: 255 if v < 14 else 0)


def red_rows(img: Image.Image) -> list[int]:
    """The rows holding the picture's red."""
    near = red_mask(img)
    return [y for y in range(img.height) if near.crop((0, y, img.width, y + 1)).getbbox() is not None]


def red_runs(img: Image.Image, top: int, bottom: int) -> list[tuple[int, int]]:
    """(first, last) columns of each run of columns holding the red between rows top and bottom."""
    near = red_mask(img).crop((0, top, img.width, bottom))
    runs: list[tuple[int, int]] = []
    for x in range(img.width):
        if near.crop((x, 0, x + 1, near.height)).getbbox() is not None:
            runs[-1:] = [(runs[-1][0], x)] if runs and runs[-1][1] == x - 1 else runs[-1:] + [(x, x)]
    return runs


def test_an_emoji_on_the_cover_is_drawn_from_a_font_of_pictures(tmp_path, monkeypatch):
    """The world's name (letter-spaced capitals, 34 px, at the head) and the title (up
    to 150 px) each hold the emoji, drawn from the picture font fontconfig finds for it:
    the cover is drawn, nothing said missing, and the picture's red is at both places,
    scaled to each line's size. A space between two pictures is a text face's, not the
    picture font's (as wide as a picture: the title's two bowls were a bowl apart), on a
    line of emoji alone too."""
    from pipeline.exporters.epub import cover
    require_tool(shutil.which("fc-match") is not None, "fc-match (fontconfig)")
    for name, value in only_fonts(tmp_path, monkeypatch, {"emoji.ttf": bitmap_font((ord(BOWL), ord(WAVE), ord("1"), 0x20E3))}).items():
        monkeypatch.setenv(name, value)
    # fontconfig's answers, kept a process, asked afresh of this one and not kept
    monkeypatch.setattr(cover, "_matched", cover._matched.__wrapped__)
    # each line and size drawn from the picture font read its strike table again (three a
    # cover, 0.02 CPU-s each for Noto Color Emoji's): once a process, as its cmap is
    import fontTools.ttLib
    opened: list = []
    monkeypatch.setattr(fontTools.ttLib, "TTFont", lambda source, *a, **k: (
        opened.append(source), fontTools.ttLib.ttFont.TTFont(source, *a, **k))[1])
    theme = REPO / "themes/default/print"
    files = {str(p.relative_to(theme)): p.read_bytes() for p in theme.glob("fonts/*.otf")}
    missing: set[str] = set()
    png = cover.draw_cover("b", f"Noodles {BOWL} {BOWL}", "A gamebook", f"Ramen {BOWL} World", (), files, missing)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    assert not missing
    rows = red_rows(img)
    head, title = [y for y in rows if y < 400], [y for y in rows if 500 <= y < 1100]
    assert head and max(head) - min(head) < 40, head          # the name's 34 px line
    assert title and max(title) - min(title) > 60, title      # a title's letters are far larger
    (left, right), (second, _) = red_runs(img, min(title), max(title) + 1)   # the two bowls
    # side by side on one line, a space apart (a text face's space: a fifth of a bowl)
    assert max(title) - min(title) < 1.2 * (right - left) and second - right < (right - left) / 3, \
        (min(title), max(title), left, right, second)
    # emoji alone on a line, in the picture font alone but for their spaces
    alone = Image.open(io.BytesIO(cover.draw_cover("c", f"{BOWL} {BOWL}", "", "Ramen", (), files))).convert("RGB")
    rows = [y for y in red_rows(alone) if 500 <= y < 1100]
    (left, right), (second, _) = red_runs(alone, min(rows), max(rows) + 1)
    assert max(rows) - min(rows) < 1.2 * (right - left) and second - right < (right - left) / 3, \
        (min(rows), max(rows), left, right, second)
    # what `foundry check` foretells (HF0752) draws the same cover: it stopped with an
    # internal error (OSError) where a title also held a character no font has
    assert cover.cover_lacks(f"Noodles {BOWL} \U0010FFFD", "", "Ramen", (), files) == {"\U0010FFFD"}
    # more emoji than letters: the picture font is the line's first, and its letters are
    # still the theme's (they were fontconfig's pick for them; here, none: boxes, HF0752)
    missing = set()
    cover.draw_cover("d", f"A {BOWL}{WAVE}", "", "Ramen", (), files, missing)
    assert not missing and not cover.cover_lacks(f"A {BOWL}{WAVE}", "", "Ramen", (), files), missing
    assert sum(str(source).endswith("emoji.ttf") for source in opened) <= 2, opened   # its cmap and its strikes
    # a keycap (1, U+FE0F, U+20E3: the picture font has 1 and the keycap) is the picture
    # font's whole: it went by its digit to the theme's face, a 1 and a box no one named
    keycap = Image.open(io.BytesIO(cover.draw_cover("e", "Key 1\ufe0f\u20e3", "", "Ramen", (), files, missing))).convert("RGB")
    assert [y for y in red_rows(keycap) if 500 <= y < 1100]
    # and its U+FE0F, which no font maps and shaping hides, is no box: the build said
    # HF0752 for it where check (which knows it draws nothing) said nothing
    assert not missing and not cover.cover_lacks("Key 1\ufe0f\u20e3", "", "Ramen", (), files), missing


def test_a_theme_face_the_cover_cannot_open_is_passed_over():
    """The theme is a stranger's to write, its print/fonts/ too. A display face that is a
    font of pictures in no size (a strike of 0 px), or no font at all, stopped the EPUB
    build with an internal error (ValueError "font size must be greater than 0", OSError
    "broken file") where the cover drew from it: it is drawn as for a theme without that
    face, and `foundry check` foretells what the build says (cover_lacks). A font whose
    strike claims 1 px for pictures of 128 had them scaled 150 times (20,400 × 19,200 px,
    1.5 GB and 7 CPU-s a character): a picture is drawn within a few times its line."""
    from pipeline.exporters.epub import cover
    theme = REPO / "themes/default/print"
    files = {str(p.relative_to(theme)): p.read_bytes() for p in theme.glob("fonts/*.otf")}
    for face in (bitmap_font(ord("T"), ppem=0), b"no font at all", files[cover.FONTS["title"]][:3000]):
        bad = {**files, cover.FONTS["title"]: face}
        for title in ("T", "T\U0010FFFD"):
            missing: set[str] = set()
            Image.open(io.BytesIO(cover.draw_cover("b", title, "", "Tide", (), bad, missing)))
            assert cover.cover_lacks(title, "", "Tide", (), bad) == missing, (face[:20], title)
    tall = {**files, cover.FONTS["title"]: bitmap_font(ord("T"), ppem=1)}
    img = Image.open(io.BytesIO(cover.draw_cover("b", "T", "", "Tide", (), tall))).convert("RGB")
    rows = [y for y in red_rows(img) if y >= 400]
    assert rows and max(rows) - min(rows) < 4 * 150, (min(rows), max(rows))
