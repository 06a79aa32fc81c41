"""Which characters some font can print in a book, known without laying one out.

WeasyPrint shapes text with Pango, which draws each character from the first font of
the style's family that has it and otherwise falls back through every font fontconfig
knows: a character none of them has is the `.notdef` box HF0741 is about. So whether a
character prints is a question of coverage alone: the print theme's own fonts (its
`@font-face` files, read with fontTools) and the machine's fonts as fontconfig lists
them (their character sets, merged once a process), keeping only the formats Pango
still draws (TrueType and CFF outlines: since Pango 1.44 bitmap and Type 1 fonts are
never used). `foundry check` asks it (glyphs_ahead.py) so that it says what a PDF build
would; the build itself still reads WeasyPrint's own messages.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from typing import Callable, Iterable

from ...fontconfig import library, machine_fonts, visit_drawn_charsets
from ...load.hygiene import is_control
from ..font_cmap import mapped_codes
from .css_ranges import backward

# Characters that draw nothing whatever the font: HarfBuzz hides the default-ignorable
# code points it lists (hb-unicode.hh's is_default_ignorable: the soft hyphen, joiners
# and bidi controls, variation selectors, the combining grapheme joiner, Mongolian free
# variation selectors one to three and vowel separator (not U+180F, the fourth: a box with
# the HarfBuzz here), Khmer's inherent vowels, tags), Pango makes
# spaces of its own where a font has none, and a control or separator never reaches a
# book (HF0131). No `.notdef` is drawn for them, so none is foretold. Not every format
# character (Cf) is one: the signs written before Arabic and Kaithi numbers (U+0600–
# U+0605, U+0890–U+0891, U+110BD), the end of ayah (U+06DD), Syriac's abbreviation mark,
# Egyptian hieroglyphs' joiners (U+13430 on), the interlinear annotation marks and the
# shorthand format controls are drawn by a font or as a box; so are the Hangul fillers
# (U+115F, U+1160, U+3164, U+FFA0), which HarfBuzz leaves visible as Windows does. Taken
# for nothing, a line of them printed boxes and neither check nor the build said so.
_DRAWS_NOTHING = {"Cc", "Zs", "Zl", "Zp", "Cs"}
_IGNORABLE_RANGES = ((0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x17B4, 0x17B5), (0x180B, 0x180E),
                     (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
                     (0xFFF0, 0xFFF8), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))
_FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2", ".ttc", ".otc")


def unprintable(chars: Iterable[str], theme_files: dict[str, bytes], declared: bool = True,
                sheets: frozenset[str] | None = None) -> set[str]:
    """The characters of `chars` no font can print: neither a font among
    `theme_files` (the print theme's files, path → bytes) nor any font fontconfig
    lists has them, nor every part they decompose into (HarfBuzz draws `é` as `e`
    and its accent when a font has those and not it). Empty when fontconfig cannot
    be asked (no warning said ahead of the build is better than a wrong one).
    `declared`: only the theme's font files an @font-face rule of its stylesheets
    names count, as only those are WeasyPrint's (_declared); False for files drawn
    from directly (an EPUB cover's faces). `sheets`: only the @font-face rules of these
    stylesheets count (those every book reads, for a question asked of all books at
    once); None: every stylesheet's."""
    return asker(theme_files, declared, sheets)(chars)


def asker(theme_files: dict[str, bytes], declared: bool = True,
          sheets: frozenset[str] | None = None) -> Callable[[Iterable[str]], set[str]]:
    """`unprintable` for one theme, asked many times (a book's report, line by line):
    the theme's fonts are found and read once, on the first question the machine's
    fonts cannot answer (each time cost ~9 ms: the stylesheets parsed, the fonts
    hashed), and the machine's fonts listed once (`machine_fonts`)."""
    theme: list[frozenset[int]] = []
    fonts: list[str] = []

    def ask(chars: Iterable[str]) -> set[str]:
        if not fonts:
            fonts.append(machine_fonts())
        system = _system_coverage(fonts[0])
        if system is None:
            return set()
        covered = lambda char: draws_nothing(char) or system(ord(char))   # noqa: E731
        # a control or noncharacter is refused where it is written (HF0131): that is the slip,
        # said there; no book is made with it, so no font is asked for it
        left = {char for char in chars if not covered(char) and not is_control(char)}
        if left:   # the theme's fonts are read only for what the machine's cannot print
            if not theme:
                theme.append(_theme_coverage(*(_declared(theme_files, sheets) if declared else (theme_files, {}))))
            covered = lambda char: draws_nothing(char) or ord(char) in theme[0] or system(ord(char))   # noqa: E731
        out = set()
        for char in left:
            if covered(char):
                continue
            parts = unicodedata.normalize("NFD", char)
            if parts != char and all(covered(p) for p in parts):
                continue
            out.add(char)
        return out

    return ask


def draws_nothing(char: str) -> bool:
    """Whether `char` is drawn as nothing whatever the font (a space, a joiner, a
    variation selector: what HarfBuzz hides), never a box worth a warning; a format
    character a font draws (U+0600, U+3164) is not."""
    code = ord(char)
    return unicodedata.category(char) in _DRAWS_NOTHING or any(a <= code <= b for a, b in _IGNORABLE_RANGES)


Ranges = tuple[tuple[int, int], ...]


def _declared(files: dict[str, bytes], read: frozenset[str] | None = None) -> tuple[dict[str, bytes], dict[str, Ranges]]:
    """The font files of the theme's `files` an @font-face rule names in `src` (a
    url() relative to its stylesheet), in a stylesheet a book reads (css/epub.css is
    the EPUB's): WeasyPrint draws from those and the machine's fonts, never from a file
    that merely lies in fonts/. A font a writer put there without the rule HF0741's hint
    asks for was counted, so check said nothing and the build printed boxes. A source
    that is not the theme's own file (a data: URL) counts every font file, as before:
    no warning said ahead of the build is better than a wrong one.
    And, for a file limited by `unicode-range`, those ranges (first, last code
    point): WeasyPrint gives fontconfig the range as the face's characters, so Pango
    never draws one outside it from that file (a face limited to Latin-1 that also maps
    🐘 left 🐘 a box in the build, which check, counting the file's whole cmap, did not
    foretell). A file several rules name is one font to fontconfig's fallback, which
    keeps the copy added first (the others add no characters): the first rule's
    range counts, and a later rule's only for a family some `font-family` names (text
    set in it draws from its copy). Counting every rule's, a face limited to Latin-1
    then named again unlimited (or for another family) foretold a character the build
    printed as a box. A file so counted without a range: absent. `read`: the stylesheets
    whose rules count (None: every one a book reads)."""
    import posixpath

    import tinycss2
    from ..books.face_rules import face_rules
    from .font_gaps import families_of, named_families
    named: set[str] = set()
    faces: dict[str, list[tuple[str, list[tuple[int, int]] | None]]] = {}   # path: (family, range) a rule
    used: set[str] = set()   # the families `font-family` declarations name, lower-cased

    def sources(rules, base: str) -> bool:
        for rule in face_rules(rules):   # as WeasyPrint reads them: in @media print and @layer too
            items = [item for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                      skip_whitespace=True)
                     if item.type == "declaration"]
            limit = _unicode_range(items)
            family = next((families_of(item.value)[:1] for item in items if item.lower_name == "font-family"), [])
            for item in items:
                if item.lower_name != "src":
                    continue
                for token in item.value:
                    url = (token.value if token.type == "url" else
                           next((a.value for a in token.arguments if a.type == "string"), None)
                           if token.type == "function" and token.lower_name == "url" else None)
                    if url is None:
                        continue
                    url = url.split("#", 1)[0].split("?", 1)[0]
                    if ":" in url or url.startswith("/"):
                        return False
                    path = posixpath.normpath(posixpath.join(base, url))
                    named.add(path)
                    faces.setdefault(path, []).append(("".join(family).lower(), limit))
        return True

    sheets = {rel: data for rel, data in sorted(files.items()) if rel.endswith(".css") and rel != "css/epub.css"
              and (read is None or rel in read)}
    for rel, data in sheets.items():
        if b"font-face" not in data.lower():
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if not sources(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True),
                       posixpath.dirname(rel)):
            return files, {}
    if any(len(rules) > 1 and any(limit is not None for _, limit in rules) for rules in faces.values()):
        for data in sheets.values():   # (read only for a file named twice, one rule limiting it)
            rules = tinycss2.parse_stylesheet(data.decode("utf-8", "replace"), skip_comments=True, skip_whitespace=True)
            used.update(family.lower() for family in named_families(rules))
    ranges: dict[str, Ranges] = {}
    for path, rules in faces.items():
        limits = [rules[0][1], *(limit for family, limit in rules[1:] if family in used)]
        if all(limit is not None for limit in limits):
            ranges[path] = tuple(pair for limit in limits for pair in limit)
    return {rel: data for rel, data in files.items() if rel in named}, ranges


def _unicode_range(items) -> list[tuple[int, int]] | None:
    """The ranges an @font-face rule's last valid `unicode-range` gives (its
    declarations `items`), as WeasyPrint reads it: a comma-separated list of
    `U+…` tokens alone, none ending before it starts (css_ranges.py); None when it
    has none (or none valid: the face's whole cmap)."""
    limit = None
    for item in items:
        if item.lower_name != "unicode-range":
            continue
        tokens = [t for t in item.value if t.type not in ("whitespace", "comment")]
        found = tokens[::2]
        if (found and all(t.type == "unicode-range" and not backward(t) for t in found)
                and all(t.type == "literal" and t.value == "," for t in tokens[1::2]) and len(tokens) % 2):
            limit = [(t.start, t.end) for t in found]
    return limit


def _theme_coverage(files: dict[str, bytes], ranges: dict[str, Ranges]) -> frozenset[int]:
    """Every code point a font among the theme's files maps (each font's cmap), within
    the `unicode-range` `ranges` its @font-face rules limit it to (_declared)."""
    fonts = tuple(sorted((rel, data) for rel, data in files.items() if rel.lower().endswith(_FONT_SUFFIXES)))
    key = hashlib.sha256(b"".join(rel.encode() + b"\0" + hashlib.sha256(data).digest() for rel, data in fonts))
    codes: set[int] = set()
    for rel, cmap in zip((rel for rel, _ in fonts), _cmaps(key.hexdigest(), fonts)):
        limit = ranges.get(rel)
        codes.update(cmap if limit is None else (c for c in cmap if any(a <= c <= b for a, b in limit)))
    return frozenset(codes)


@functools.lru_cache(maxsize=8)
def _cmaps(_key: str, fonts: tuple[tuple[str, bytes], ...]) -> tuple[frozenset[int], ...]:
    """Each font's code points (its cmap; none for one that cannot be read), in order."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError
    out: list[frozenset[int]] = []
    for rel, data in fonts:
        codes: set[int] = set()
        out.append(frozenset())
        if not unpacks_within(data):
            continue   # a compressed font unpacking past any real font's size: read, it takes the memory
        try:
            if collection_faces(data) > MAX_COLLECTION_FACES:
                continue   # refused with the theme (HF0116): fontTools would open every face
            faces = (TTCollection(io.BytesIO(data), lazy=True).fonts if rel.lower().endswith((".ttc", ".otc"))
                     else [TTFont(io.BytesIO(data), lazy=True)])
            for face in faces:
                codes.update(mapped_codes(face))
        except (TTLibError, Exception):   # noqa: BLE001 (a file WeasyPrint cannot read either: it adds nothing)
            continue
        out[-1] = frozenset(codes)
    return tuple(out)


# The faces of a collection read whole by `damaged` (a theme's collections hold a few;
# a stranger's may list thousands, all pointing at one font).
MAX_DAMAGE_FACES = 16


def damaged(data: bytes) -> str | None:
    """Why the font file `data` (TrueType, OpenType, a collection, WOFF or WOFF2; one
    `unpacks_within` allows) cannot be read whole, in words, or None when every table
    of its (first MAX_DAMAGE_FACES) faces is there. FreeType, and so WeasyPrint, opens a
    font cut short by its header alone: a body font copied half-way was "loaded", then
    never drawn, and every book set its text in another font without a word. Not a
    question for a file that is no font at all (WeasyPrint says those). None too for a
    font whose tables (each read once) hold more than UNPACKED_BUDGET between them:
    those are not read."""
    import struct

    from fontTools.ttLib import TTCollection, TTFont, TTLibError
    if collection_faces(data) > MAX_COLLECTION_FACES:   # fontTools would open each (refused with the theme)
        return f"a collection saying it holds {collection_faces(data):,} faces"
    try:
        faces = (TTCollection(io.BytesIO(data), lazy=True).fonts[:MAX_DAMAGE_FACES] if data[:4] == b"ttcf"
                 else [TTFont(io.BytesIO(data), lazy=True)])
        # each table's bytes read once (a collection's faces share theirs), and no more
        # than UNPACKED_BUDGET in all: 65,535 tables of a stranger's font, each naming
        # nearly the whole 8 MB file from its own offset, were 30 CPU-s a face read
        # (FreeType reads only the tables it draws with): past it, not ours to say
        seen, read = set(), 0
        for face in faces:
            reader = face.reader
            for tag in reader.keys():
                entry = reader.tables[tag]
                place = (getattr(entry, "offset", None), entry.length)
                if place in seen:
                    continue
                seen.add(place)
                read += max(entry.length, getattr(entry, "origLength", 0))
                if read > UNPACKED_BUDGET:
                    return None
                reader[tag]   # raises when the table's bytes are not all there
    except (TTLibError, struct.error, EOFError, ValueError, IndexError, KeyError) as exc:
        return str(exc).strip()[:120] or type(exc).__name__
    except Exception as exc:   # noqa: BLE001 (fontTools raises many types for a broken file: all mean "damaged")
        return type(exc).__name__
    return None


# The faces a font collection (TTC, OTC, a WOFF2 of flavor `ttcf`) may hold: the largest
# real ones (Source Han's and Noto CJK's Super OTCs) hold 70. A TTC header may list four
# billion, each pointing at one face's tables: 20,000 in a 585 KB file took a check's
# character maps 26 CPU-s and 12.9 GB (fontTools opens every face of a collection), and
# fontconfig scans each face of a font WeasyPrint adds.
MAX_COLLECTION_FACES = 256


def collection_faces(data: bytes) -> int:
    """How many faces the font file `data` says it holds: a collection's (TTC or OTC:
    its header's numFonts; a WOFF2 of flavor `ttcf`: its collection directory's), 1 for
    any other file. Read from the header alone; a header cut short says 1."""
    import struct
    try:
        if data[:4] == b"ttcf":
            return struct.unpack(">L", data[8:12])[0]
        if data[:4] == b"wOF2" and data[4:8] == b"ttcf":
            at = _woff2_stream_start(data, collection=False) + 4   # past the collection's version
            code = data[at]
            if code == 253:
                return struct.unpack(">H", data[at + 1:at + 3])[0]
            return data[at + 1] + (506 if code == 254 else 253) if code in (254, 255) else code
    except (IndexError, struct.error):
        pass
    return 1


# What a font file may unpack to: the largest real fonts (a CJK family's variable font,
# Noto Sans CJK's collection) are some tens of megabytes. A WOFF2 file of 1.6 KB unpacks
# to 1 GB of zeros, which fontTools takes whole (2 GB of memory, 5 s) before it finds
# the font's own directory disagrees: the project's theme is a stranger's to write.
UNPACKED_BUDGET = 128 << 20


def unpacks_within(data: bytes) -> bool:
    """Whether a WOFF or WOFF2 file's compressed data unpacks to no more than
    UNPACKED_BUDGET (TrueType, OpenType and collections are not compressed: their size
    is the file's). Counted while unpacking, in pieces, never trusting the header; a
    WOFF's tables count the bytes each reads as well as those it unpacks to (tables
    naming one stream over and over read it over and over).
    Known by its bytes, never its name: WeasyPrint and fontTools unpack a WOFF2 named
    mincho.otf (or written as a `data:` URL) all the same, and 1.6 KB so named took
    check to 2.2 GB of memory. False too for a WOFF2 whose stream does not unpack
    (fontTools refuses it)."""
    return _unpacking(data) == "within"


def unpacks_past_budget(data: bytes) -> bool:
    """Whether a WOFF or WOFF2 file's compressed data unpacks past UNPACKED_BUDGET
    (counted as `unpacks_within` counts): a file no reader of fonts may be handed, as
    each unpacks it whole first. False for a stream that stops with an error within it."""
    return _unpacking(data) == "past"


# Remembered by the file's bytes: the theme's judgement, the face loading and the
# character maps each ask of every font file, and measuring one that unpacks to the
# budget unpacks 128 MiB (a collection's directory of a stranger's file is walked
# byte by byte too: 8 MiB of it, 0.7 CPU-s).
@functools.lru_cache(maxsize=16)
def _unpacking(data: bytes) -> str:
    """"past" when `data` (a WOFF or WOFF2 file) unpacks past UNPACKED_BUDGET,
    "broken" when its Brotli stream stops with an error before it, else "within"."""
    import struct
    import zlib
    try:
        if data[:4] == b"wOF2":
            import brotli
            # fontTools unpacks a collection's stream from the end of the table directory
            # (it knows no collection directory), FreeType from after the collection's:
            # a stranger's file may hold a stream at either, so both are measured
            found = set()
            for collection in (False, True) if data[4:8] == b"ttcf" else (False,):
                try:
                    start = _woff2_stream_start(data, collection)
                except (IndexError, struct.error):   # no such directory: no reader finds a stream there
                    continue
                try:
                    found.add("within" if _brotli_within(brotli, data, start) else "past")
                except TypeError:   # a Brotli older than 1.1 unpacks only whole: read as before
                    found.add("within")
                except brotli.error:   # the same bytes fontTools would unpack: it refuses them too
                    found.add("broken")
            return "past" if "past" in found else "within" if "within" in found else "broken"
        if data[:4] == b"wOFF":
            count = struct.unpack(">H", data[12:14])[0]
            total = 0
            for k in range(count):
                _, offset, length, original, _ = struct.unpack(">4sLLLL", data[44 + 20 * k:64 + 20 * k])
                # the bytes each table reads count too: 4,000 tables (of up to 65,535) each
                # naming one 2 MB stream of empty zlib blocks unpacked nothing and took 9 CPU-s
                # to measure (and fontTools as long again to read): a table read again is
                # read again by every reader, and no font's tables share their bytes
                piece = data[offset:offset + length]
                total += len(piece)
                if length != original:   # equal: stored as is (fontTools reads it so)
                    unpacker = zlib.decompressobj()
                    total += len(unpacker.decompress(piece, max(UNPACKED_BUDGET - total + 1, 1)))
                if total > UNPACKED_BUDGET:
                    return "past"
    except Exception:   # noqa: BLE001 (a stream that does not unpack: fontTools refuses the file itself)
        return "within"
    return "within"


def _woff2_stream_start(data: bytes, collection: bool = True) -> int:
    """Where a WOFF2 file's compressed stream starts: after its 48-byte header, its
    table directory (a flags byte, a tag when the flags name none, UIntBase128 lengths)
    and, for a collection (flavor `ttcf`), its collection directory (WOFF2 5.1: a
    version, then each font's table count, flavor and table indices, 255UInt16s; not
    when `collection` is False).
    IndexError for a directory the file does not hold (each entry takes a byte at least,
    so the walk ends within the file's length)."""
    import struct
    count = struct.unpack(">H", data[12:14])[0]
    at = 48
    for _ in range(count):
        flags = data[at]
        at += 1 + (4 if flags & 0x3F == 0x3F else 0)
        tag_transformed = (flags >> 6) != (3 if (flags & 0x3F) in (10, 11) else 0)
        for _ in range(2 if tag_transformed else 1):   # origLength, then transformLength
            while data[at] & 0x80:
                at += 1
            at += 1
    if collection and data[4:8] == b"ttcf":
        at += 4   # the collection's version

        def uint255() -> int:
            nonlocal at
            code, at = data[at], at + 1
            if code == 253:
                at += 2
                return struct.unpack(">H", data[at - 2:at])[0]
            at += code in (254, 255)
            return data[at - 1] + (506 if code == 254 else 253) if code in (254, 255) else code
        for _ in range(uint255()):
            tables = uint255()
            at += 4   # the font's flavor
            for _ in range(tables):
                uint255()
        data[at - 1]   # past the end: no stream follows
    return at


def _brotli_within(brotli, data: bytes, start: int) -> bool:
    """Whether the Brotli stream at `start` (of the header's totalCompressedSize bytes)
    unpacks to no more than UNPACKED_BUDGET."""
    import struct
    length = struct.unpack(">L", data[20:24])[0]   # totalCompressedSize: padding follows
    unpacker, total, piece = brotli.Decompressor(), 0, 1 << 20
    out = unpacker.process(data[start:start + length], output_buffer_limit=piece)
    while True:
        total += len(out)
        if total > UNPACKED_BUDGET:
            return False
        if unpacker.is_finished() or not out:
            return True
        out = unpacker.process(b"", output_buffer_limit=piece)


@functools.lru_cache(maxsize=1)
def _system_coverage(_fonts: str):
    """A function telling whether a code point is in some font Pango draws from, over
    the merged character sets fontconfig lists, or None when fontconfig cannot be
    loaded or asked. Kept for the process while the machine's fonts are those `_fonts`
    digests (`machine_fonts`): a process that lives on (`foundry serve`, a process
    forked from one that checked before) said a font installed since missing."""
    lib = library()
    if lib is None:
        return None
    merged = lib.FcCharSetCreate()   # a copy of every charset, kept with the function
    if visit_drawn_charsets(lambda lib, charset: lib.FcCharSetMerge(merged, charset, None) and False) is None:
        return None
    return lambda code: bool(lib.FcCharSetHasChar(merged, code))
