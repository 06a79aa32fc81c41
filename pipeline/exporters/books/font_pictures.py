"""A print theme's fonts held to a size for the pictures they draw.

A font of pictures (Apple's `sbix` table: a PNG for each glyph at each size) is drawn
by FreeType, for the PDFs (Pango, cairo) and the EPUB's cover (Pillow), by decoding the
glyph's PNG whole at its own size before scaling it to the text: a 265 KB font whose
one picture is 8,000 × 8,000 px, put in a project's print/fonts/ in place of the title
face, took a build of the minimal world 52 CPU-s and 870 MB, carried a 64-megapixel
image into every PDF for every letter it drew (each reader decodes it again), and
printed Pillow's bare DecompressionBombWarning; FreeType takes pictures up to 32,767 px
a side (4 GB each). Colour emoji fonts draw theirs at 160 px at most; the CBDT/EBDT
tables (Noto Color Emoji's) give each picture's size in a byte, at most 255 px, which
FreeType holds it to. Only the headers are read here, never the pixels.
"""

from __future__ import annotations

import io
import struct

# The most pixels a side of a picture a theme's font may draw from: far beyond any
# emoji font's (160), and a 16 MB decode at most for each glyph drawn.
MAX_FONT_PICTURE = 2048
# a font file's first bytes: TrueType, OpenType (CFF), Apple's TrueType, a collection, WOFF, WOFF2
FONT_SIGNATURES = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf", b"wOFF", b"wOF2")


def oversized_font_pictures(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """The fonts of `files` (path inside print/ → bytes; known by their bytes, whatever
    their names) holding a picture wider or taller than MAX_FONT_PICTURE, each with the
    largest such picture's (width, height). A font fontTools cannot read, or one
    unpacking past coverage.UNPACKED_BUDGET, is left to what reads fonts for the books
    (it draws nothing)."""
    from ..pdf.coverage import unpacks_within
    found = {}
    for rel in sorted(files):
        data = files[rel]
        if data[:4] not in FONT_SIGNATURES or not unpacks_within(data):
            continue
        largest = _largest_picture(data)
        if largest is not None and max(largest) > MAX_FONT_PICTURE:
            found[rel] = largest
    return found


def unpacked_past_budget(files: dict[str, bytes]) -> list[str]:
    """The compressed fonts of `files` (WOFF, WOFF2; path inside print/ → bytes, known
    by their bytes whatever their names) whose tables unpack past
    coverage.UNPACKED_BUDGET, in path order: no font is that large, and every reader of
    a font (WeasyPrint for each book, fontTools, FreeType for the EPUB's cover) unpacks
    it whole first (a 1.6 KB WOFF2 of zeros: 2.2 GB a check, 23 CPU-s a build)."""
    from ..pdf.coverage import unpacks_past_budget
    return [rel for rel in sorted(files) if files[rel][:4] in (b"wOFF", b"wOF2") and unpacks_past_budget(files[rel])]


def crowded_collections(files: dict[str, bytes]) -> list[str]:
    """The font collections of `files` (path inside print/ → bytes, known by their
    bytes) saying they hold more than coverage.MAX_COLLECTION_FACES faces, in path
    order: fontTools opens every face of a collection (the character maps, the pictures
    below) and fontconfig scans each for WeasyPrint, so a header listing 20,000 faces of
    one font (585 KB) took a check 26 CPU-s and 12.9 GB."""
    from ..pdf.coverage import MAX_COLLECTION_FACES, collection_faces
    return [rel for rel in sorted(files) if files[rel][:4] in (b"ttcf", b"wOF2")
            and collection_faces(files[rel]) > MAX_COLLECTION_FACES]


def _largest_picture(data: bytes) -> tuple[int, int] | None:
    """The (width, height) of the largest PNG picture of the font file `data`'s sbix
    tables (each face of a collection), or None when it has none or cannot be read
    (or is a collection of more faces than crowded_collections allows)."""
    from fontTools.ttLib import TTCollection, TTFont

    from ..pdf.coverage import MAX_COLLECTION_FACES, collection_faces
    if collection_faces(data) > MAX_COLLECTION_FACES:
        return None
    try:
        if data[:4] == b"ttcf" or data[4:8] == b"ttcf":
            fonts = list(TTCollection(io.BytesIO(data), lazy=True).fonts)
        else:
            fonts = [TTFont(io.BytesIO(data), lazy=True)]
    except Exception:   # noqa: BLE001 (fontTools raises many kinds on a font it cannot read)
        return None
    largest = None
    for font in fonts:
        try:
            if "sbix" not in font:
                continue
            for strike in font["sbix"].strikes.values():
                for glyph in strike.glyphs.values():
                    size = _png_size(getattr(glyph, "imageData", None) or b"")
                    if size is not None and (largest is None or max(size) > max(largest)):
                        largest = size
        except Exception:   # noqa: BLE001 (a table fontTools cannot read: FreeType draws nothing from it either)
            continue
    return largest


def _png_size(image: bytes) -> tuple[int, int] | None:
    """A PNG's (width, height) from its IHDR, as FreeType's PNG reader takes them."""
    if image[:8] != b"\x89PNG\r\n\x1a\n" or image[12:16] != b"IHDR" or len(image) < 24:
        return None
    return struct.unpack(">II", image[16:24])
