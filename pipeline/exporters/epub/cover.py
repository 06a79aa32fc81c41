"""A cover for each EPUB, drawn with Pillow: the title set in the theme's display
face on one of a few sea-coloured palettes, picked by the book's id.

Deterministic: the same title, fonts and Pillow give the same PNG bytes (no
metadata chunks, no randomness; the "waves" are sine curves).

Every script: the theme's faces draw Latin, Greek, Cyrillic and Hebrew. A line with a
character they lack (an Arabic or Japanese title, a translated subtitle) is drawn in
the font fontconfig picks for those characters — the one Pango falls back to in the
PDFs (docs/books.md lists the packages) — and Pillow's Raqm layout shapes and orders
it (Arabic letters joined, right to left). A line no one font has (Japanese beside
Devanagari) is drawn in runs, each in a font that has its characters, placed in the
order the bidirectional algorithm shows them (visual_order.py: an Arabic title's
Japanese word at its left). Without this every such cover was a row of empty boxes.
A word wider than the cover is broken between characters (graphemes.py: never between
a letter and its marks), as CJK text
(which has no spaces) and a 58-letter place name need; a one-line text (the world's
name, the authors) too wide for the cover is set smaller. A character no font on the
machine has is still a box: `draw_cover` hands those back and the exporter warns
(HF0752) instead of shipping boxes silently.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import re
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from ... import programs
from ...fontconfig import PINNED_LANGUAGE
from ..books.capitals import upper
from ..font_cmap import mapped_codes
from ...graphemes import clusters
from ..pdf.coverage import draws_nothing
from ..books.mark_room import wants_room
from .visual_order import levels, paragraph_rtl, visual

SIZE = (1200, 1800)
# (background, accent, text)
PALETTES = (
    ("#12343a", "#c9a86a", "#f2ede1"),   # deep sea and brass
    ("#1d2a3f", "#d08c5b", "#f4efe6"),   # night harbour and lamplight
    ("#2f3b2c", "#c7b27a", "#f1eee2"),   # reed marsh
    ("#3b2430", "#d3a36b", "#f5ece6"),   # wine-dark
    ("#23313a", "#8fb9b3", "#eef3f1"),   # fog and sea glass
)
FONTS = {"title": "fonts/LinLibertine_DR.otf", "italic": "fonts/LinLibertine_RI.otf", "label": "fonts/LinBiolinum_R.otf"}


def draw_cover(book_id: str, title: str, subtitle: str, world: str, authors: tuple[str, ...],
               theme_files: dict[str, bytes], missing: set[str] | None = None, language: str = "") -> bytes:
    """The cover's PNG bytes. `missing`, when given, receives the characters no font
    could draw (neither the theme's face nor any font fontconfig knows): they show as
    empty boxes, and the exporter says so (HF0752). `language`: the book's (BCP 47),
    which picks the forms Han characters are drawn in (fontconfig_language)."""
    missing = missing if missing is not None else set()
    img = _drawn(book_id, title, subtitle, world, authors, _Faces(theme_files, language), missing)
    extras = _declared_faces(theme_files) if missing else ()
    if extras:
        # drawn again, what neither its faces nor the machine's fonts have in the fonts the
        # theme declares for the books (_declared_faces): only then, so every cover drawn
        # whole before is the same picture
        missing.clear()
        img = _drawn(book_id, title, subtitle, world, authors, _Faces(theme_files, language, extras), missing)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()


def cover_lacks(title: str, subtitle: str, world: str, authors: tuple[str, ...], theme_files: dict[str, bytes],
                language: str = "") -> set[str]:
    """The characters `draw_cover` would draw as empty boxes on this cover (what it puts
    in `missing`), without encoding a picture; for `foundry check`, which says HF0752
    as the EPUB build will. A cover whose every character the theme's three faces have
    (a Latin, Greek, Cyrillic or Hebrew one) lacks nothing, nor one whose every
    character some font on the machine has (coverage.unprintable): neither is drawn."""
    faces = tuple(theme_files.get(FONTS[role]) for role in FONTS)
    missing = _lacks(title, subtitle, world, tuple(authors), faces, language)
    extras = _declared_faces(theme_files) if missing else ()
    return set(_lacks(title, subtitle, world, tuple(authors), faces, language, extras) if extras else missing)


# Remembered per process: `foundry serve` foretells every cover at each save, and a
# world of Japanese titles draws each (0.002-0.011 CPU-s a cover, docs/performance.md).
@functools.lru_cache(maxsize=4096)
def _lacks(title: str, subtitle: str, world: str, authors: tuple[str, ...], faces: tuple[bytes | None, ...],
           language: str, extras: tuple[tuple[bytes, frozenset[int]], ...] = ()) -> frozenset[str]:
    """cover_lacks for the theme's three faces' bytes (`faces`, in FONTS' order) and
    its other declared fonts (`extras`, _declared_faces)."""
    files = usable_faces({FONTS[role]: data for role, data in zip(FONTS, faces) if data is not None})
    faces = tuple(files.get(FONTS[role]) for role in FONTS)   # as the cover draws: without a face it cannot open
    texts = (title, subtitle, upper(world), upper(" · ".join(authors)))
    needed = {ord(ch) for text in texts for ch in text if not draws_nothing(ch)}
    if all(data is not None and needed <= _face_cmap(data) for data in faces):
        return frozenset()
    # Drawing a cover asks fc-match for its characters (a subprocess: 0.04 s a title, 5 s
    # for 500 Japanese titles): only a cover holding a character that neither its faces
    # nor any font fontconfig lists has is drawn, to learn what the build will say.
    from ..pdf.coverage import unprintable
    left = {chr(code) for code in needed if not any(code in has for _, has in extras)}
    if not unprintable(left, files, declared=False):   # the cover draws from them
        return frozenset()
    missing: set[str] = set()
    _drawn("", title, subtitle, world, authors, _Faces(files, language, extras), missing)
    return frozenset(missing)


# The fonts' character maps and fontconfig's matches are the machine's, the same for
# every cover a process draws: read once per process. Each cover read them again, and
# a check foretelling 500 Japanese titles (foretell_cover_boxes) re-read Noto CJK's
# map and asked fc-match for each (0.08 CPU-s a cover).
@functools.lru_cache(maxsize=8)
def _face_cmap(data: bytes) -> frozenset[int]:
    """The characters a theme face (its file's bytes) has."""
    return _cmap_of(lambda: io.BytesIO(data), 0)


@functools.lru_cache(maxsize=1)
def _default_cmap() -> frozenset[int]:
    """The characters Pillow's own face (ImageFont.load_default: Aileron, or its bitmap
    font where Pillow has no FreeType) has."""
    font = ImageFont.load_default(24)
    data = getattr(font, "font_bytes", None)
    return _face_cmap(data) if data else frozenset(range(0x20, 0x7F))


@functools.lru_cache(maxsize=64)
def _font_cmap(path: str, index: int) -> frozenset[int]:
    """The characters the machine's font at `path` (face `index`) has."""
    return _cmap_of(lambda: path, index)


def _cmap_of(source, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    try:
        return frozenset(mapped_codes(TTFont(source(), fontNumber=index, lazy=True)))
    except Exception:   # fontTools raises many kinds on a font it cannot read: it covers nothing
        return frozenset()


def _font_at(source, size: int, index: int, shaping: str | None) -> ImageFont.FreeTypeFont:
    """The font at `source` (a path or a file's bytes) in `size` (_Faces._open)."""
    try:
        return _Shaped(source, size, index=index, language=shaping) if shaping \
            else ImageFont.truetype(source, size, index=index)
    except OSError:   # "invalid pixel size": FreeType sizes a font of pictures only at its own
        strike = _strike(source, index, size)
        if strike is None:
            raise
        return _Scaled(source, size, index, shaping, strike)


def _declared_faces(theme_files: dict[str, bytes]) -> tuple[tuple[bytes, frozenset[int]], ...]:
    """The print theme's fonts other than the cover's faces (FONTS) that an @font-face
    rule names (coverage._declared: the ones the PDFs print from), each with the
    characters it may draw (its cmap within its rule's unicode-range), in path order;
    only those Pillow can open. HF0752's hint is to ship such a font: the cover drew
    from its three faces and the machine's fonts alone, so a world titled in a script
    no Debian font has, the font shipped and declared as the hint says, was printed in
    the PDFs and still drawn as boxes on the cover, and said so again."""
    from ..pdf.coverage import _FONT_SUFFIXES, _declared, unpacks_within
    files, ranges = _declared(theme_files)
    out = []
    for rel, data in sorted(files.items()):
        if rel in FONTS.values() or not rel.lower().endswith(_FONT_SUFFIXES) \
                or not unpacks_within(data) or not _opens(data):
            continue
        codes = _face_cmap(data)
        limit = ranges.get(rel)
        if limit is not None:
            codes = frozenset(c for c in codes if any(a <= c <= b for a, b in limit))
        if codes:
            out.append((data, codes))
    return tuple(out)


def usable_faces(files: dict[str, bytes]) -> dict[str, bytes]:
    """The theme's files less its cover faces (FONTS) that Pillow cannot open and draw
    from: the cover is then drawn as for a theme without that face. The theme is a
    stranger's to write: a file that is no font, cut off, or of pictures in no size
    (a strike of 0 px) stopped the build with an internal error (OSError, ValueError)
    wherever the cover drew from it — its HF0703 is `check`'s word on such a face."""
    return {name: data for name, data in files.items() if name not in FONTS.values() or _opens(data)}


@functools.lru_cache(maxsize=8)
def _opens(data: bytes) -> bool:
    """Whether the face `data` (a font file's bytes) opens and draws a letter."""
    try:
        font = _font_at(io.BytesIO(data), 24, 0, None)
        font.getbbox("A")
        font.getmask2("A")
    except Exception:   # Pillow and FreeType raise many kinds on a font they cannot read
        return False
    return True


@functools.lru_cache(maxsize=256)
def _matched(chars: frozenset[int], serif: bool, language: str) -> tuple[str, int] | None:
    """_system_font for a set of characters, asked once per process."""
    return _system_font(set(chars), serif=serif, language=language)


def _drawn(book_id: str, title: str, subtitle: str, world: str, authors: tuple[str, ...], faces: _Faces,
           missing: set[str]) -> Image.Image:
    """The cover as a picture (draw_cover), the characters no font draws put in `missing`."""
    back, accent, ink = PALETTES[int(hashlib.sha256(book_id.encode()).hexdigest(), 16) % len(PALETTES)]
    img = Image.new("RGB", SIZE, back)
    draw = ImageDraw.Draw(img)
    width, height = SIZE
    faces.missing = missing
    _frame(draw, accent)
    _waves(draw, accent, height)
    _spaced(draw, upper(world), faces, "label", 34, 0.28, accent, 250)
    bottom = _title(draw, title, faces, ink, top=560)
    draw.line([(width / 2 - 70, bottom + 70), (width / 2 + 70, bottom + 70)], fill=accent, width=3)
    if subtitle:
        _centred(draw, *_line(draw, subtitle, faces, "italic", 58), ink, bottom + 130)
    if authors:
        _spaced(draw, upper(" · ".join(authors)), faces, "label", 30, 0.2, accent, height - 300)
    return img


class _Faces:
    """The cover's fonts: the theme's face for a role when it has every character of
    the text, else the machine's font for those characters (fontconfig's choice, as
    Pango makes it for the PDFs); the theme's face when the machine has none better."""

    def __init__(self, files: dict[str, bytes], language: str = "",
                 extras: tuple[tuple[bytes, frozenset[int]], ...] = ()):
        """`language`: the book's (BCP 47), or ""; `extras`: the theme's other fonts
        (_declared_faces), for what neither its faces nor the machine's fonts have."""
        self.files = usable_faces(files)
        self.extras = extras
        self.language = fontconfig_language(language)   # fontconfig's name for its Han forms, or ""
        # what Raqm shapes in: HarfBuzz takes the locale's language (LC_CTYPE) for text
        # given none, and a font's `locl` forms follow it (_Shaped)
        self.shaping = language if language and features.check_feature("raqm") else None
        self.missing: set[str] = set()   # characters the chosen fonts lack: drawn as boxes

    def font(self, role: str, text: str, size: int) -> tuple[ImageFont.ImageFont | _Fallback, bool]:
        """(font, whether it is the theme's own face). A text no one font has (Latin and
        Runic, Japanese and Devanagari: each script's font lacks the other's letters) is
        drawn in several (_Fallback), each character in the first that has it."""
        data = self.files.get(FONTS[role])
        # not a space, joiner or variation selector: no font need have it (HarfBuzz hides it),
        # and U+FE0F after an emoji was said drawn as a box (HF0752) where check said nothing
        needed = {ord(ch) for ch in text if not draws_nothing(ch)}
        lacks = needed - _face_cmap(data) if data is not None else needed
        if lacks:
            found = self._system(needed, role)
            left = needed - _font_cmap(*found) if found is not None else lacks
            if found is not None and len(left) < len(lacks):
                first = self._open(found[0], size, found[1])
                mixed = self._fallback(first, needed - left, left, role, size, data) if left else None
                if mixed is None and isinstance(first, _Scaled) and data is not None and any(map(str.isspace, text)):
                    # emoji alone: their spaces in the theme's face (_Fallback.runs), not a picture wide
                    mixed = _Fallback([(first, needed - left), (self._open(io.BytesIO(data), size), set())])
                return (mixed, False) if mixed is not None else (first, False)
            if data is not None:
                mixed = self._fallback(self._open(io.BytesIO(data), size), needed - lacks, lacks, role, size)
                if mixed is not None:
                    return mixed, False
                self.missing.update(map(chr, lacks))
        if data is None:
            # a theme without its fonts still gets a cover, in Pillow's own face (Aileron:
            # Latin alone); what that lacks is a box like any other (HF0752), not a box unsaid
            default = ImageFont.load_default(size)
            if lacks:
                self.missing.update(chr(code) for code in lacks - _default_cmap())
            return default, True
        return self._open(io.BytesIO(data), size), True

    def _open(self, source, size: int, index: int = 0) -> ImageFont.FreeTypeFont:
        """The font at `source` (a path or the bytes of a file) in `size`, shaping its
        text in the book's language (_Shaped); a font of pictures only, in the size it
        has them, scaled to `size` (_Scaled)."""
        return _font_at(source, size, index, self.shaping)

    def _system(self, chars: set[int], role: str) -> tuple[str, int] | None:
        """fontconfig's font for `chars`: one lookup per set and face, not per size."""
        return _matched(frozenset(chars), role != "label", self.language)

    def _fallback(self, first, has: set[int], left: set[int], role: str, size: int,
                  theme: bytes | None = None) -> _Fallback | None:
        """`first` (which draws `has`) and, for the characters `left`, the theme's face
        `theme` (its bytes) for those it has, then the fonts fontconfig picks for what is
        still left, one after another, while each draws more of them; None when none
        does (one font is then as good as it gets). What no font draws is noted as
        missing."""
        fonts = [(first, has)]
        own = left & _face_cmap(theme) if theme is not None else set()
        if own:
            # the letters beside a line's emoji in the theme's face, as the PDFs print them:
            # a title of more emoji than letters (`Hi 🍜🌊🏴`) was first the picture font's,
            # and its letters then fontconfig's pick for them (DejaVu Math TeX Gyre)
            fonts.append((self._open(io.BytesIO(theme), size), own))
            left = left - own
        while left:
            found = self._system(left, role)
            drawn = left & _font_cmap(*found) if found is not None else set()
            if not drawn:
                break
            fonts.append((self._open(found[0], size, found[1]), drawn))
            left = left - drawn
        for data, codes in self.extras:   # then the fonts the theme declares, as the PDFs print them
            if left & codes:
                fonts.append((self._open(io.BytesIO(data), size), left & codes))
                left = left - codes
        self.missing.update(map(chr, left))
        return _Fallback(fonts) if len(fonts) > 1 else None


class _Shaped(ImageFont.FreeTypeFont):
    """A face whose text Raqm shapes in the book's language wherever a call names
    none. Without one HarfBuzz takes the locale's (LC_CTYPE, fixed as the process
    starts), and Noto CJK's `locl` forms follow it: under zh_CN.UTF-8 a Japanese
    world's cover title was drawn in Simplified forms (骨, 直), in the very face
    fontconfig picked for Japanese; under another locale each cover was other bytes."""

    def __init__(self, font, size: int, index: int, language: str):
        super().__init__(font, size, index=index)
        self.language = language

    def getmask2(self, text, mode="", direction=None, features=None, language=None, *args, **kwargs):
        return super().getmask2(text, mode, direction, features, language or self.language, *args, **kwargs)

    def getlength(self, text, mode="", direction=None, features=None, language=None):
        return super().getlength(text, mode, direction, features, language or self.language)

    def getbbox(self, text, mode="", direction=None, features=None, language=None, stroke_width=0, anchor=None):
        return super().getbbox(text, mode, direction, features, language or self.language, stroke_width, anchor)


# How many times the line's size a picture of a font of pictures may be drawn (_Scaled):
# a picture is about one size tall, and its bearings and outliers stay well within this.
_MAX_PICTURE = 4


class _Scaled(_Shaped):
    """A font of pictures only (colour emoji: Noto Color Emoji's CBDT, Apple's sbix),
    which FreeType opens only in the sizes it has pictures for (Noto's 109 px): opened
    in one of them (`strike`), its measures and its drawings scaled to `size`. Pillow
    refused any other size ("invalid pixel size"), and a cover whose world name or
    title held an emoji, on a machine with the emoji font HF0741's hint names
    installed, stopped the whole build (HF0710). Drawn in its own colours
    (`_colours`), as the PDFs print it."""

    def __init__(self, font, size: int, index: int, language: str | None, strike: int):
        if hasattr(font, "seek"):
            font.seek(0)
        super().__init__(font, strike, index, language)
        self.scale = size / strike
        self.size = size

    def getlength(self, text, *args, **kwargs):
        return super().getlength(text, *args, **kwargs) * self.scale

    def getbbox(self, text, *args, **kwargs):
        return tuple(edge * self.scale for edge in super().getbbox(text, *args, **kwargs))

    def getmetrics(self):
        ascent, descent = super().getmetrics()
        return round(ascent * self.scale), round(descent * self.scale)

    def getmask2(self, text, mode="", *args, **kwargs):
        mask, (x, y) = super().getmask2(text, mode, *args, **kwargs)
        # the pictures as the line's size asks, and never past a few times it: a strike
        # claiming 1 px whose pictures are 128 (a theme's font is a stranger's) was
        # scaled 150 times, a picture of 20,400 × 19,200 px (1.5 GB, 7 CPU-s) a character
        scale = min(self.scale, _MAX_PICTURE * self.size / max(1, mask.size[1]),
                    _MAX_PICTURE * self.size * max(1, len(text)) / max(1, mask.size[0]))
        size = (max(1, round(mask.size[0] * scale)), max(1, round(mask.size[1] * scale)))
        if mask.mode == "RGBA":   # through premultiplied alpha, as Image.resize does: no dark fringes
            mask = mask.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")
        else:
            mask = mask.resize(size, Image.Resampling.LANCZOS)
        return mask, (round(x * scale), round(y * scale))


def _strike(source, index: int, size: int) -> int | None:
    """The size (px) of the pictures a font of pictures only has that `size` is drawn
    from: the smallest at least `size`, else the largest; None when it has none (a
    font FreeType refuses for another reason)."""
    sizes = _strikes(source.getvalue() if hasattr(source, "getvalue") else os.fspath(source), index)
    return min((each for each in sizes if each >= size), default=max(sizes, default=None))


@functools.lru_cache(maxsize=16)
def _strikes(source: bytes | str, index: int) -> tuple[int, ...]:
    """The sizes (px) of a font's strikes of pictures (its file's bytes, or its path),
    read once a process as its cmap is (_font_cmap): each line and size of every cover
    opening the emoji font asked fontTools for its strike table again (three a cover,
    0.02 CPU-s each for Noto Color Emoji's; a theme's font may hold many more)."""
    from fontTools.ttLib import TTFont
    try:
        font = TTFont(io.BytesIO(source) if isinstance(source, bytes) else source, fontNumber=index, lazy=True)
        sizes = [strike.bitmapSizeTable.ppemY for tag in ("CBLC", "EBLC") if tag in font for strike in font[tag].strikes]
        sizes += [int(ppem) for ppem in font["sbix"].strikes] if "sbix" in font else []
    except Exception:   # fontTools raises many kinds on a font it cannot read
        return ()
    return tuple(sorted({each for each in sizes if each > 0}))   # a strike of 0 px draws nothing (Pillow refuses size 0)


def _colours(font) -> dict[str, bool]:
    """draw.text's arguments for `font`: a font of pictures (_Scaled) in its own colours."""
    return {"embedded_color": True} if isinstance(font, _Scaled) else {}


class _Fallback:
    """Several fonts for one text: each character in the first font that has it (a
    space in the font of the character before it; a cluster of several, a letter and
    its marks or an emoji sequence, in the first font that has it whole, else in its
    letter's), drawn as runs on one baseline. Used only where no one font has every
    character of the text, so every cover one font draws is drawn as it was."""

    def __init__(self, fonts: list[tuple[ImageFont.FreeTypeFont, set[int]]]):
        self.fonts = fonts
        self.size = fonts[0][0].size

    def runs(self, text: str) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        out: list[tuple[str, ImageFont.FreeTypeFont]] = []
        for ch in clusters(text):   # a character and its marks in one font, shaped together
            if out and ch.isspace():
                # not in a font of pictures, whose space is as wide as a picture (Noto
                # Color Emoji's: five of a text face's), but in the first font of letters
                words = next((f for f, _ in self.fonts if not isinstance(f, _Scaled)), out[-1][1])
                font = out[-1][1] if not isinstance(out[-1][1], _Scaled) else words
                out[-1:] = [(out[-1][0] + ch, font)] if font is out[-1][1] else [out[-1], (ch, font)]
                continue
            # by the cluster's letter: a zero-width joiner a cut word starts with (_wrap)
            # comes before it, and no font was chosen for the joiner
            letter = next((c for c in ch if c != ZWJ), ch[0])
            # a cluster of several characters in the first font that has them all (a
            # variation selector aside: fonts leave it unmapped, shaping hides it), one
            # asking for emoji presentation (U+FE0F) first in a font of pictures: a keycap
            # (`1️⃣`: 1, U+FE0F, U+20E3) went by its digit to the text face, which has no
            # keycap, and was drawn a 1 and a box that no warning named
            font = _whole(ch, self.fonts) if len(ch) > 1 else None
            font = font or next((f for f, has in self.fonts if ord(letter) in has), self.fonts[0][0])
            if out and out[-1][1] is font:
                out[-1] = (out[-1][0] + ch, font)
            else:
                out.append((ch, font))
        return out


def _whole(cluster: str, fonts: list[tuple[ImageFont.FreeTypeFont, set[int]]]) -> ImageFont.FreeTypeFont | None:
    """The first of `fonts` with every character of `cluster` but those drawn as
    nothing (variation selectors, joiners), a font of pictures first where the cluster asks for emoji (U+FE0F);
    None when none has them all."""
    whole = {ord(c) for c in cluster if not draws_nothing(c)}
    order = sorted(fonts, key=lambda each: not isinstance(each[0], _Scaled)) if "\ufe0f" in cluster else fonts
    return next((f for f, _ in order if whole <= _cmap_of_font(f)), None)


def _cmap_of_font(font: ImageFont.FreeTypeFont) -> frozenset[int]:
    """The characters an opened font has (a theme face's bytes, or a machine font's path)."""
    source = font.path
    return _face_cmap(source.getvalue()) if hasattr(source, "getvalue") else _font_cmap(os.fspath(source), font.index)


def _length(draw: ImageDraw.ImageDraw, text: str, font) -> float:
    """The width `text` takes in `font` (one font, or a _Fallback's runs)."""
    if isinstance(font, _Fallback):
        return sum(draw.textlength(part, font=face) for part, face in font.runs(text))
    return draw.textlength(text, font=font)


def _draw(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font, colour: str) -> None:
    """`text` at `xy` (its top left, as draw.text puts one font's line). A _Fallback's
    runs are placed in the order the line shows them (an Arabic word before a Japanese
    one is at the right), each drawn in its own direction."""
    if not isinstance(font, _Fallback):
        draw.text(xy, text, font=font, fill=colour, **_colours(font))
        return
    x, y = xy
    baseline = y + font.fonts[0][0].getmetrics()[0]   # every run on the first font's baseline
    rtl = paragraph_rtl(text)
    shown = levels(text, rtl)
    pieces, at = [], 0
    for part, face in font.runs(text):
        for level, piece in _by_level(part, shown[at:at + len(part)]):
            pieces.append(((piece, face), level))
        at += len(part)
    for (part, face), level in visual(pieces):
        way = _direction(level)
        draw.text((x, baseline), part, font=face, fill=colour, anchor="ls", **way, **_colours(face))
        x += draw.textlength(part, font=face, **way)


def _by_level(text: str, shown: list[int]) -> list[tuple[int, str]]:
    """`text` cut where its characters' levels change: (level, piece) in stored order."""
    out: list[tuple[int, str]] = []
    for ch, level in zip(text, shown):
        if out and out[-1][0] == level:
            out[-1] = (level, out[-1][1] + ch)
        else:
            out.append((level, ch))
    return out


def _direction(level: int) -> dict[str, str]:
    """draw.text's direction for a piece of this level: right to left for an odd one;
    an even one is left to Raqm, which finds it left to right (no letter of it is
    right to left), so what was drawn before in one direction keeps its bytes. Without
    Raqm (Pillow's basic layout takes no direction) nothing is asked."""
    return {"direction": "rtl"} if level % 2 and features.check_feature("raqm") else {}


def _system_font(needed: set[int], serif: bool, language: str = "") -> tuple[str, int] | None:
    """(file, face index) of the font fontconfig matches for these characters (in
    `language`, fontconfig's name for it, when given), or None without fontconfig.
    The pattern holds only code points and a language name we write, never the text."""
    fc_match = programs.find("fc-match")   # the installed one, never a project's (programs.py)
    if fc_match is None or not needed:
        return None
    charset = " ".join(f"{code:x}" for code in sorted(needed))
    try:
        done = subprocess.run([fc_match, "--format=%{file}\n%{index}", f"{'serif' if serif else 'sans-serif'}:charset={charset}" + (f":lang={language}" if language else "")],
                              capture_output=True, text=True, timeout=30,
                              env={**os.environ, **PINNED_LANGUAGE})   # the world's language, not the shell's
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = done.stdout.partition("\n")
    if done.returncode or not path or not Path(path).is_file():
        return None
    return path, int(index) if index.strip().isdigit() else 0


# The languages whose Han characters are drawn in forms of their own, by the name
# fontconfig knows them by: it knows zh-cn, zh-tw and zh-hk, not BCP 47's zh-Hans and
# zh-Hant, and a Chinese world's cover title was drawn from Noto CJK JP, the Japanese
# forms (骨, 直, 角 drawn otherwise), as the PDFs were (print/css/base.css). Japanese
# is what fontconfig picks unasked; any other language is not asked, so those covers
# keep their bytes.
_HAN_FORMS = (("zh-hant-hk", "zh-hk"), ("zh-hant-mo", "zh-hk"), ("zh-hk", "zh-hk"), ("zh-mo", "zh-hk"),
              ("yue", "zh-hk"), ("zh-hant", "zh-tw"), ("zh-tw", "zh-tw"), ("zh", "zh-cn"), ("ko", "ko"))


def fontconfig_language(language: str) -> str:
    """fontconfig's name for the Han forms of `language` (BCP 47), or "" when it has
    none of its own: the first of _HAN_FORMS it is, or starts with (and a '-')."""
    tag = language.lower().replace("_", "-")
    return next((name for prefix, name in _HAN_FORMS if tag == prefix or tag.startswith(prefix + "-")), "")


def _frame(draw: ImageDraw.ImageDraw, colour: str) -> None:
    w, h = SIZE
    draw.rectangle([48, 48, w - 48, h - 48], outline=colour, width=4)
    draw.rectangle([64, 64, w - 64, h - 64], outline=colour, width=1)


def _waves(draw: ImageDraw.ImageDraw, colour: str, height: int) -> None:
    """Three thin swells across the lower third: the sea under the title."""
    w = SIZE[0]
    for i, amplitude in enumerate((14, 10, 7)):
        base = height - 520 + i * 46
        points = [(x, base + amplitude * math.sin(x / 70 + i * 1.3)) for x in range(80, w - 79, 8)]
        draw.line(points, fill=colour, width=2)


def _line(draw: ImageDraw.ImageDraw, text: str, faces: _Faces, role: str, size: int, spacing: float = 0.0,
          width: float = SIZE[0] - 160) -> tuple[str, ImageFont.ImageFont, bool]:
    """(text, font, own face) for _centred: one line in `size`, or smaller when it would
    be wider than `width` (a long world name or list of authors ran off the cover)."""
    font, own = faces.font(role, text, size)
    spacing = spacing if own else 0.0
    wide = (sum(font.getlength(ch) + font.size * spacing for ch in clusters(text)) - font.size * spacing if spacing
            else _length(draw, text, font))
    if wide > width:
        font, own = faces.font(role, text, max(8, int(size * width / wide)))
    return text, font, own


# The smallest a letter-spaced line (the world's name, the authors) is shrunk to on one
# line; a longer one is set on several. Shrunk to fit at any size, a 190-letter world
# name was drawn at the floor of 8 px and still ran off both edges of the cover.
SMALLEST = 12


def _spaced(draw: ImageDraw.ImageDraw, text: str, faces: _Faces, role: str, size: int, spacing: float,
            colour: str, y: float, width: float = SIZE[0] - 160, most: int = 3) -> None:
    """Letter-spaced `text` centred from `y`: one line in `size`, or smaller when it
    would be wider than `width` (_line); when that would be under SMALLEST, its words
    over at most `most` lines (cut between characters only where one word is wider), in
    the largest size down to SMALLEST that needs no more. A text longer than `most`
    lines even at SMALLEST (thirty authors of long names: foundry.toml sets no most)
    shows its first `most` lines, the last ending in an ellipsis: every line was drawn,
    down past the cover's frame and off the picture's foot. Only what those lines could
    show is measured (_shown): the rest of a longer text is cut first."""
    if not text.strip():
        return   # only spaces: nothing to see (they were drawn, as nothing)
    sizes = range(size, SMALLEST - 1, -2)
    cut = False
    if _within(draw, text, faces, role, spacing, width, most):
        line, font, own = _line(draw, text, faces, role, size, spacing, width)
        if font.size >= SMALLEST:
            _centred(draw, line, font, own, colour, y, spacing=spacing)
            return
    else:   # wider than one line even at SMALLEST: only its words are wrapped (_wrap)
        text, cut = _shown(draw, text, faces, role, spacing, width, most)
    if not cut:
        for step in sizes:
            font, own = faces.font(role, text, step)
            used = spacing if own else 0.0
            measure = functools.partial(_spaced_length, draw, font=font, spacing=used)
            lines = _wrap(draw, text, font, width, measure, most)
            if len(lines) <= most:
                break
    if cut or len(lines) > most:
        # in fonts that draw the ellipsis too (Noto Sans Thai, Ethiopic have none)
        font, own = faces.font(role, text + ELLIPSIS, sizes[-1])
        measure = functools.partial(_spaced_length, draw, font=font, spacing=spacing if own else 0.0)
        lines = _wrap(draw, text, font, width, measure, most)[:most] or [""]
        lines[-1] = _ended(lines[-1], measure, width)
    for number, line in enumerate(lines):
        _centred(draw, line, font, own, colour, y + number * font.size * 1.5, spacing=spacing)


# A letter-spaced text is measured only as far as the cover's lines could show it. Its
# characters are walked once at SMALLEST, each counted at least LEAST_ADVANCE of the size
# (a letter's width, at the least: an invisible one too), and its words are cut where
# they pass ROOM lines more than are shown (the last shown line is whole, and the word
# after it too) — twice as far without letter-spacing, where a shaped run may be
# narrower than its letters apart (kerning, ligatures, joined forms). 300 authors of long
# names were wrapped whole at each of ten sizes (12 CPU-s a cover, drawn for every
# EPUB), and one author's name of 5,000 letters was cut a line at a time from the whole
# rest of it (over two minutes); foundry.toml sets no most for either.
LEAST_ADVANCE = 0.25
ROOM = 2


def _walk(draw: ImageDraw.ImageDraw, text: str, pieces, faces: _Faces, role: str, spacing: float, width: float,
          most: int) -> tuple[list[str], bool]:
    """(the `pieces` of `text` (strings: the whole text, or its words each with the
    space before it) the walk reaches, whether it stopped short): a piece is cut
    between whole characters (graphemes.py). Measured in the font the text's first
    characters are drawn in (a bound, not the drawing)."""
    least = SMALLEST * LEAST_ADVANCE
    budget = int(2 * (most + ROOM) * width / least) + 1   # characters: each counts at least `least`
    font, own = faces.font(role, text[:budget], SMALLEST)
    step = SMALLEST * spacing if own else 0.0
    room = (most + ROOM) * width * (1 if step else 2)
    kept: list[str] = []
    total, advances = 0.0, {}
    for piece in pieces:
        head = piece[:budget]
        parts = clusters(head)
        for count, part in enumerate(parts):
            if part not in advances:
                advances[part] = max(_length(draw, part, font) + step, least)
            total += advances[part]
            if total > room:
                kept.append("".join(parts[:count]))
                return kept, True
        budget -= len(head)
        if len(head) < len(piece) or budget <= 0:   # more characters than lines hold, however narrow
            kept.append("".join(parts[:-1]) if len(parts) > 1 else head)   # its last may lack its marks
            return kept, True
        kept.append(head)
    return kept, False


def _within(draw: ImageDraw.ImageDraw, text: str, faces: _Faces, role: str, spacing: float, width: float,
            most: int) -> bool:
    """Whether `text`, as written, is within what `most` lines could show (_walk)."""
    return not _walk(draw, text, (text,), faces, role, spacing, width, most)[1]


def _shown(draw: ImageDraw.ImageDraw, text: str, faces: _Faces, role: str, spacing: float, width: float,
           most: int) -> tuple[str, bool]:
    """(the words of `text` that `most` lines could show, one space apart, as _wrap
    reads them; whether words were cut off). Spaces run together count as one."""
    words = (("" if number == 0 else " ") + match.group()
             for number, match in enumerate(re.finditer(r"\S+", text)))
    kept, cut = _walk(draw, text, words, faces, role, spacing, width, most)
    return "".join(kept), cut


def _ended(line: str, measure, width: float) -> str:
    """`line` and an ellipsis within `width` (`measure` gives a text's width): the
    line without a separator ending it, shortened back to its last space where the
    ellipsis then fits, else by whole characters (a letter with its marks, graphemes.py)."""
    line = line.rstrip(" ·")   # the authors' separator, were it the line's end
    if measure(line + ELLIPSIS) <= width:
        return line + ELLIPSIS
    words = line.rstrip().rsplit(" ", 1)
    if len(words) == 2 and measure(words[0].rstrip() + " " + ELLIPSIS) <= width:
        return words[0].rstrip() + " " + ELLIPSIS
    parts = clusters(line)
    return "".join(parts[:_most_that_fit(parts, lambda n: measure("".join(parts[:n]) + ELLIPSIS) <= width)]) + ELLIPSIS


def _spaced_length(draw: ImageDraw.ImageDraw, text: str, font, spacing: float) -> float:
    """The width of `text` drawn as _centred draws it: letter-spaced by `spacing` (a
    share of the size) between whole characters, or shaped whole without it."""
    if not spacing:
        return _length(draw, text, font)
    return sum(font.getlength(ch) + font.size * spacing for ch in clusters(text)) - font.size * spacing


def _lines(draw: ImageDraw.ImageDraw, text: str, faces: _Faces, role: str, sizes: tuple[int, ...],
           width: float = SIZE[0] - 240, most: int = 4) -> tuple[ImageFont.ImageFont, tuple[list[str], bool]]:
    """The text in the largest of `sizes` that wraps to at most `most` lines within
    `width`, else the smallest: (font, (lines, own face))."""
    for size in sizes:
        font, own = faces.font(role, text, size)
        lines = _wrap(draw, text, font, width)
        if len(lines) <= most:
            break
    return font, (lines, own)


# How far past its font's ascent and descent (a share of the size) a line's ink may
# reach on the cover: a letter's usual marks, a Tibetan or Myanmar stack, stay within.
MARK_ROOM = 0.5


def _centred(draw: ImageDraw.ImageDraw, text: str, font, own: bool, colour: str, y: float,
             spacing: float = 0.0, banded: bool = True) -> None:
    """`text` centred across the cover from `y` (its line's top), letter-spaced by
    `spacing` in the theme's `own` face; within its line's band (_banded) unless the
    layout made room for its ink (`banded` False: the title's lines, _steps)."""
    paint = functools.partial(_paint_centred, text=text, font=font, own=own, colour=colour, y=y, spacing=spacing)
    if banded and wants_room(text):   # a tall stack of marks or a tall script: its ink is measured first
        _banded(draw, font, y, paint)
    else:
        paint(draw)


def _banded(draw: ImageDraw.ImageDraw, font, y: float, paint) -> None:
    """What `paint` draws (a line of `font` from `y`), drawn as is when its ink stays
    within the line's font ascent and descent and MARK_ROOM of the size on each side;
    else scaled down to that band, centred on it and across the cover. A letter with 29
    subjoined letters (HF0133 allows 30) in a story's title ran down over the subtitle,
    the waves and the authors and off the picture, 29 acutes up over the world's name
    and off its top."""
    first = font.fonts[0][0] if isinstance(font, _Fallback) else font
    ascent, descent = first.getmetrics()
    top, bottom = y - MARK_ROOM * font.size, y + ascent + descent + MARK_ROOM * font.size
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    paint(ImageDraw.Draw(layer))
    ink = layer.getchannel("A").getbbox()
    if ink is None or (ink[1] >= top and ink[3] <= bottom):
        paint(draw)   # the same pixels as ever
        return
    piece = layer.crop(ink)
    scale = min(1.0, (bottom - top) / (ink[3] - ink[1]))
    size = (max(1, round(piece.width * scale)), max(1, round(piece.height * scale)))
    # through premultiplied alpha, as _Scaled resizes a picture: no dark fringes
    piece = piece.convert("RGBa").resize(size, Image.Resampling.LANCZOS).convert("RGBA")
    # Pillow's Draw keeps the picture it draws on (ImageDraw.Draw(img)._image is img)
    draw._image.paste(piece, (round((SIZE[0] - piece.width) / 2), round((top + bottom - piece.height) / 2)), piece)


def _paint_centred(draw: ImageDraw.ImageDraw, text: str, font, own: bool, colour: str, y: float,
                   spacing: float = 0.0) -> None:
    if spacing and own:   # letter-spaced capitals, as on the printed title pages (never across shaped scripts)
        # one character a call, a letter with its marks (Hebrew points, a decomposed
        # 'ễ': each mark was spaced out as a letter of its own), placed in the order the
        # line shows them: a Hebrew world name's letters from the right
        parts = clusters(text)
        advance = [font.getlength(ch) + font.size * spacing for ch in parts]
        x = (SIZE[0] - (sum(advance) - font.size * spacing)) / 2
        shown, at = levels(text, paragraph_rtl(text)), 0
        firsts = []
        for ch in parts:
            firsts.append(shown[at])
            at += len(ch)
        for (ch, step), level in visual(list(zip(zip(parts, advance), firsts))):
            draw.text((x, y), ch, font=font, fill=colour, **_direction(level), **_colours(font))
            x += step
        return
    width = _length(draw, text, font)
    _draw(draw, ((SIZE[0] - width) / 2, y), text, font, colour)


# The title's block (its lines, the rule under them, the subtitle 130 px below) ends
# above the waves' highest crest (_waves: from SIZE[1] - 520, 14 px high), the
# subtitle's line (58 px) and a margin included: a title of three lines at 150 px set
# "A gamebook" on the waves.
_TITLE_FLOOR = SIZE[1] - 520 - 14 - 24 - 130 - 70
# The lowest the world's name above the title reaches (_drawn: from 250 px, three lines
# of 34 px at most, 1.5 apart), a little apart: a title's marks rise no higher.
_LABEL_FLOOR = 250 + 3 * 34 * 1.5 + 20
_TITLE_SIZES = (150, 130, 112, 96, 82, 70, 60, 52, 44, 38, 32)


def _title(draw: ImageDraw.ImageDraw, title: str, faces: _Faces, colour: str, top: int) -> float:
    """The title in the largest size (≤ 4 lines) whose block fits above the waves
    (_TITLE_FLOOR); returns where it ends. Every line is drawn: a title of 120 letters
    (the most a title may have) wraps to 6 to 8 lines at 60 px, and the cover drew the
    first five, the rest of the title left off it without a word; it goes on down to
    32 px, where such a title takes five. A line is 1.15 of the size apart from the
    next, or as far as its ink reaches (a Tibetan or Myanmar stack reaches a size or
    more below the line's top: it drew over the rule, the subtitle and the next line)."""
    for size in _TITLE_SIZES:
        font, own = faces.font("title", title, size)
        lines = _wrap(draw, title, font, SIZE[0] - 240)
        lead, steps = _steps(draw, lines, font, own, colour, top - _LABEL_FLOOR)
        if len(lines) <= 4 and top + lead + sum(steps) <= _TITLE_FLOOR:
            break
    y = top + lead
    for line, step in zip(lines, steps):
        _centred(draw, line, font, own, colour, y, banded=False)
        y += step
    return y


def _steps(draw: ImageDraw.ImageDraw, lines: list[str], font, own: bool, colour: str,
           above: float) -> tuple[float, list[float]]:
    """(how far the title's first line is set below its place, so that its ink rises
    no more than `above` px over it; how far each of its `lines` is from the next, the
    last from what is under the title): 1.15 of the size, or further where a line's
    ink reaches lower than the next line's ink starts (measured only for lines of tall
    stacks or scripts, mark_room.wants_room; the rest keep their places and bytes)."""
    line_height = font.size * 1.15
    inks = [_ink(draw, line, font, own, colour) if wants_room(line) else None for line in lines]
    lead = max(0.0, -inks[0][0] - above) if inks and inks[0] is not None else 0.0
    steps = []
    for number, ink in enumerate(inks):
        after = inks[number + 1] if number + 1 < len(inks) else None
        if ink is None:
            steps.append(line_height)
        elif after is not None:   # clear of the next line's ink, a tenth of the size apart
            steps.append(max(line_height, ink[1] - after[0] + font.size * 0.1))
        else:                     # clear of the rule drawn 70 px under the block's end
            steps.append(max(line_height, ink[1] - 40))
    return lead, steps


def _ink(draw: ImageDraw.ImageDraw, text: str, font, own: bool, colour: str) -> tuple[float, float]:
    """(top, bottom) of the ink `text` draws centred from a line's top at 0: one
    font's by its glyphs' boxes as shaped (no drawing), else drawn and looked at."""
    if not isinstance(font, (_Fallback, _Scaled)):
        box = draw.textbbox((0, 0), text, font=font)
        return box[1], box[3]
    layer = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    _paint_centred(ImageDraw.Draw(layer), text, font, own, colour, SIZE[1] // 2)
    box = layer.getchannel("A").getbbox()
    return (box[1] - SIZE[1] // 2, box[3] - SIZE[1] // 2) if box else (0.0, 0.0)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float, measure=None, most: int | None = None) -> list[str]:
    """Lines of whole words within `width`; a word wider than `width` alone is broken
    between characters (CJK has no spaces to break at, a long place name has none).
    `measure`: a line's width (by default as _length measures it). `most`: the most
    lines wanted; past them only one more is found (so the caller knows there are more)."""
    measure = measure or (lambda part: _length(draw, part, font))
    lines, current = [], ""
    for word in text.split():
        if most is not None and len(lines) > most:
            return lines
        candidate = f"{current} {word}".strip()
        if current and measure(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
        while measure(current) > width and len(parts := clusters(current)) > 1:
            # cut between the characters a reader sees (graphemes.py), never inside one
            cut = _most_that_fit(parts, lambda n: measure("".join(parts[:n])) <= width)
            # letters joined across the cut (Arabic, Syriac, N'Ko) keep their joined
            # forms, as a hyphen-less break in a browser draws them: a zero-width joiner
            # either side of it
            tie = ZWJ if _joined(font, parts[cut - 1][0], parts[cut][0]) else ""
            while tie and cut > 1 and measure("".join(parts[:cut]) + tie) > width:
                cut -= 1   # a joined form is wider than the isolated one it measured
                tie = ZWJ if _joined(font, parts[cut - 1][0], parts[cut][0]) else ""
            lines.append("".join(parts[:cut]) + tie)
            current = tie + "".join(parts[cut:])
            if most is not None and len(lines) > most:
                return lines
    return lines + ([current] if current else [])


ZWJ = "\u200d"
ELLIPSIS = "\u2026"


def _most_that_fit(parts: list[str], fits) -> int:
    """The most leading characters of `parts` (at least one, fewer than all) that
    `fits(n)` says fit, found by halving: a run's width grows with its characters. The
    cut was looked for from the end, one measure a character, and a world name of 200
    Japanese characters (no space to break at) took 4,000 measures of 9 ms each, 36 s
    of every EPUB's cover; eight measures a cut now."""
    low, high = 0, len(parts) - 1   # `low` characters fit (none, to start); more than `high` are not tried
    while low < high:
        middle = (low + high + 1) // 2
        if fits(middle):
            low = middle
        else:
            high = middle - 1
    return max(1, low)


def _joined(font, before: str, after: str) -> bool:
    """Whether the letters `before` and `after` join when written together (each cut
    apart is drawn in its isolated form: an Arabic word cut across the cover printed
    its last letter on the line and its first on the next as letters of their own,
    the word read otherwise). A letter joins when a zero-width joiner on that side
    changes how it is drawn: `before` towards the next letter (an initial or medial
    form; an alef never does), `after` towards the one before (a final or medial form;
    a hamza never does). Only letters of the scripts that join are asked."""
    if not (_JOINING.match(before) and _JOINING.match(after)):
        return False
    face_before, face_after = (_face(font, ch) for ch in (before, after))
    return (face_before is not None and face_after is not None
            and _shape(face_before, before + ZWJ) != _shape(face_before, before)
            and _shape(face_after, ZWJ + after) != _shape(face_after, after))


# The scripts whose letters join (Unicode's ArabicShaping.txt): Syriac, Arabic, Thaana's
# neighbours N'Ko, Mandaic, the Arabic supplements and presentation forms, Mongolian,
# Hanifi Rohingya, Sogdian and Adlam. A letter of any other script never joins.
_JOINING = re.compile("[\u0620-\u06ff\u0700-\u074f\u0750-\u077f\u07c0-\u07ff\u0840-\u085f\u0860-\u086f"
                      "\u0870-\u08ff\u1800-\u18af\ua840-\ua87f\U00010d00-\U00010d3f\U00010f30-\U00010f6f"
                      "\U0001e900-\U0001e95f]")


def _face(font, ch: str):
    """The one face that draws `ch`: `font` itself, or the face a _Fallback gives it."""
    if not isinstance(font, _Fallback):
        return font
    return next((face for part, face in font.runs(ch)), None)


def _shape(face, text: str) -> bytes:
    """How `face` draws `text` (its glyphs' bitmap), to tell forms apart."""
    left, top, right, bottom = face.getbbox(text)
    img = Image.new("L", (max(1, math.ceil(right - left)), max(1, math.ceil(bottom - top))))
    ImageDraw.Draw(img).text((-left, -top), text, font=face, fill=255)
    return f"{img.size}".encode() + img.tobytes()
