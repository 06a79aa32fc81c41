"""Pictures and metadata written inside a theme's text files, removed as from image files.

A project theme's SVG, stylesheet or script is published as written (minified), and
may carry what an image file's metadata says: an SVG's <metadata> (an editor's RDF:
its author, its licence, sometimes a place) or an XMP packet, Inkscape's and
Sodipodi's attributes (the path the drawing was saved and exported to:
/home/<owner>/…), and a photo embedded as a base64 `data:` URI (Inkscape embeds one
with its EXIF: GPS position, owner, camera). Each embedded picture is given to
`picture` (media.picture_without_metadata: as a viewer shows it, without its
metadata, as the theme's image files are), an embedded SVG is read here again; the
SVG's metadata elements (and RDF written outside one) and editor attributes are cut out
of the text, and a link to a file on the author's disk (file:, C:\\, a drawn
picture's /home/<owner>/ or /Users/<owner>/: a linked photo's path, which no browser
loads) is emptied. Every other byte stays as written: nothing else of the file is
parsed or written again.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from typing import Callable

from .delimited import Following, Named
from .image_kind import image_kind

# A base64 data: URI of an image, its payload to its last base64 letter: an editor wraps
# the payload in lines (Inkscape at 76), which a browser reads through, so a line break
# (with the spaces around it) counts; spaces alone do not: `<img src=data:…;base64,… alt=logo>`
# (an unquoted attribute, as minifiers write) was read as one payload ending in `altlogo`,
# which is no base64, and the photo went out with its GPS position.
_DATA_IMAGE = re.compile(rb"(data:image/[a-z0-9.+-]+(?:;[a-z0-9=._+-]*)*;base64,)"
                         rb"((?:[ \t]*\r?\n[ \t]*)?[a-z0-9+/=]+(?:[ \t]*\r?\n[ \t]*[a-z0-9+/=]+)*)", re.IGNORECASE)
_LINE_BREAK = re.compile(rb"[ \t]*\r?\n[ \t]*")
# An SVG's metadata element (any prefix), an XMP packet and RDF an editor writes outside a
# metadata element (its dc:creator, its licence), whole; a browser draws none of them.
_METADATA = re.compile(rb"<((?:[\w.-]+:)?(?:metadata|xmpmeta|RDF))\b[^>]*?(?:/>|>.*?</\1\s*>)", re.DOTALL)
# Inkscape's and Sodipodi's own attributes: what the editor keeps of its session and the
# file's paths (sodipodi:docname, inkscape:export-filename); no browser reads them.
_EDITOR = re.compile(rb"\s(?:inkscape|sodipodi):[\w.-]+\s*=\s*(?:\"[^\"]*\"|'[^']*')")
# A link to a file on the author's disk (a linked, not embedded, photo: Inkscape writes
# its path, 'file:///home/<owner>/Pictures/…', 'C:\\Users\\<owner>\\…'), which no
# browser loads from a site: its value is emptied, the attribute kept. A `file:` or
# drive-letter link is never a site's, wherever it is; '/home/…/' and '/Users/…/' may be
# (`<a href="/home/news/">`, `/users/aria/`), so they count only as a drawn picture's
# path (an <image>'s or <feImage>'s) and as a home folder is spelt (Linux, a Mac).
_LOCAL_LINK = re.compile(rb"(\s(?:xlink:)?href\s*=\s*)(?:\"(?:file:|[a-z]:[\\/])[^\"]*\""
                         rb"|'(?:file:|[a-z]:[\\/])[^']*')", re.IGNORECASE)
_HOME_LINK = re.compile(rb"(<(?:[\w.-]+:)?(?:image|feImage)\b[^>]*?\s(?:xlink:)?href\s*=\s*)"
                        rb"(?:\"/(?:home|Users)/[^\"]*\"|'/(?:home|Users)/[^']*')")
_DATA = re.compile(rb"data:", re.IGNORECASE)   # searched, not lowered: a static file may be a large binary
# A picture's base64 held in a string literal, joined to its `data:image/…;base64,` by an
# expression (`{% set seal = "/9j/4AAQ…" %}…src="data:image/jpeg;base64,{{ seal }}"`, a
# script's `img.src = "data:image/png;base64," + logo`): a quoted run of base64 letters
# on one line, long enough to be a picture (the smallest JPEG is some hundred letters).
_QUOTED_BASE64 = re.compile(rb"([\"'`])([A-Za-z0-9+/]{64,}={0,2})\1")
_MAX_DEPTH = 4   # an SVG inside an SVG inside…: read this deep, then left as written
# A run of base64 letters long enough to be a picture, in a value a template prints
# (printed_without_pictures); one following a comma is a data: URI's, read by _DATA_IMAGE.
_RUN = re.compile(r"[A-Za-z0-9+/]{64}")
_BARE_BASE64 = re.compile(rb"(?<![A-Za-z0-9+/,])[A-Za-z0-9+/]{64,}={0,2}(?![A-Za-z0-9+/=])")


def text_without_metadata(data: bytes, picture: Callable[[bytes], bytes], depth: int = 0) -> bytes:
    """`data` (any file) with the metadata written inside it removed, when it is text:
    an SVG without its metadata elements and editor attributes, and every base64
    `data:image/…` URI in it holding its picture as `picture(bytes)` gives it back (an
    SVG's as this function does). `data` itself when it holds neither, or is not text."""
    svg = image_kind(data) == "an SVG"
    if not svg and _DATA.search(data) is None:
        try:   # a quoted picture is looked for in text only: a font's bytes take ~10 ms a MB
            data.decode("utf-8")
        except UnicodeDecodeError:
            return data
        if _QUOTED_BASE64.search(data) is None:
            return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data   # a binary file: its own format's reader (metadata_chunks) judged it
    out = _pictures(data, picture, depth)
    if svg:
        out = _without_home_links(_LOCAL_LINK.sub(rb'\1""', _EDITOR.sub(b"", _without_metadata_elements(out))))
    return data if out == data else out


# _METADATA and _HOME_LINK read from each opening on to the end of the file when nothing
# closes it, and again from the next: `<metadata>` 60,000 times in a theme's SVG (600 KB)
# ran a build 120 CPU-s into HF0710. They are what the two functions below find, each
# kind of closing looked for once (load/delimited.py); the patterns stay as their
# definition (tests/foundation/test_delimited.py compares the two on many texts).
_METADATA_OPENINGS = (re.compile(rb"<((?:[\w.-]+:)(?:metadata|xmpmeta|RDF))\b"),   # the pattern tries a prefix first,
                      re.compile(rb"<((?:metadata|xmpmeta|RDF))\b"))                # then none (`<RDF:metadata`)
_METADATA_OPENING = re.compile(rb"<(?:[\w.-]+:)?(?:metadata|xmpmeta|RDF)\b")
_METADATA_CLOSING = re.compile(rb"</((?:[\w.-]+:)?(?:metadata|xmpmeta|RDF))\s*>")
_TAG_END = re.compile(rb">")
_IMAGE_OPENING = re.compile(rb"<(?:[\w.-]+:)?(?:image|feImage)\b")
_HOME_HREF = re.compile(rb"(\s(?:xlink:)?href\s*=\s*)(?:\"/(?:home|Users)/[^\"]*\"|'/(?:home|Users)/[^']*')")


def _without_metadata_elements(data: bytes) -> bytes:
    """`_METADATA.sub(b"", data)`, in time linear in `data`."""
    if _METADATA_OPENING.search(data) is None:
        return data
    openings, ends = Following(_METADATA_OPENING, data), Following(_TAG_END, data)
    closings = Named(_METADATA_CLOSING, data)
    out, kept, pos = [], 0, 0
    while (found := openings.at(pos)) is not None:
        end = None
        # the tag's first `>`: the same for either opening (no `>` in a name's prefix)
        tag_end = ends.at(found.end())
        for opening in _METADATA_OPENINGS if tag_end is not None else ():
            m = opening.match(data, found.start())
            if m is None:
                continue
            if data[tag_end.start() - 1:tag_end.start()] == b"/":   # `<metadata … />`
                end = tag_end.end()
            else:
                closing = closings.at(m.group(1), tag_end.end())
                end = closing.end() if closing is not None else None
            if end is not None:
                break
        if end is None:
            pos = found.start() + 1
            continue
        out.append(data[kept:found.start()])
        kept = pos = end
    out.append(data[kept:])
    return b"".join(out) if kept else data


def _without_home_links(data: bytes) -> bytes:
    """`_HOME_LINK.sub(rb'\\1""', data)`, in time linear in `data`."""
    if _IMAGE_OPENING.search(data) is None:
        return data
    openings, ends, hrefs = Following(_IMAGE_OPENING, data), Following(_TAG_END, data), Following(_HOME_HREF, data)
    out, kept, pos = [], 0, 0
    while (m := openings.at(pos)) is not None:
        # the pattern's `[^>]*?` reaches no further than the tag's first `>`
        href, tag_end = hrefs.at(m.end()), ends.at(m.end())
        if href is None or (tag_end is not None and href.start() >= tag_end.start()):
            pos = m.start() + 1
            continue
        out += [data[kept:href.end(1)], b'""']
        kept = pos = href.end()
    out.append(data[kept:])
    return b"".join(out) if kept else data


def embedded_pictures(data: bytes) -> list[bytes]:
    """The pictures text_without_metadata (and template_without_metadata) would give to
    `picture` for `data`, in order, found as they find them (none decoded): what a
    text file of a theme makes the build decode (picture_verdicts.past_total)."""
    found: list[bytes] = []

    def kept(payload: bytes) -> bytes:
        found.append(payload)
        return payload

    text_without_metadata(data, kept)
    return found


def template_without_metadata(text: str) -> str:
    """A theme template's text with each base64 `data:image/…` picture it writes given
    as a picture file of the theme is (media.picture_without_metadata): a photo pasted
    into a page template went out with its GPS position on every page (and in every
    EPUB chapter) drawn with it. A payload written over several lines keeps as many, so
    every later line of the template, where Jinja and check place what they say, stays
    the line it was. `text` itself when it writes none."""
    data = text.encode("utf-8", "surrogateescape")
    if _DATA.search(data) is None and _QUOTED_BASE64.search(data) is None:
        return text
    from .media import picture_without_metadata
    out = _pictures(data, picture_without_metadata, 0, keep_lines=True)
    return text if out == data else out.decode("utf-8", "surrogateescape")


def printed_without_pictures(text: str) -> str:
    """A value a template prints (`{{ hero.seal }}`, a writer's field) with each picture
    in it, as a base64 `data:` URI or as bare base64 letters (what a template joins to
    its `data:image/jpeg;base64,`), as media.picture_without_metadata gives it: a
    theme writing '<img src="data:image/jpeg;base64,{{ hero.seal }}">' published the
    photo a writer pasted into a field with its GPS position and owner. `text` itself
    (the same object) when it holds none; a value is read once per process (a page
    drawn 10,000 times re-encodes its picture once)."""
    if len(text) < 64 or _RUN.search(text) is None:
        return text
    kept = _printed(text)
    return text if kept == text else kept


@functools.lru_cache(maxsize=64)
def _printed(text: str) -> str:
    from .media import picture_without_metadata
    data = text.encode("utf-8", "surrogateescape")

    def bare(match: re.Match) -> bytes:
        try:
            return _cleaned(b"", match[0], picture_without_metadata, 0, False)
        except (binascii.Error, ValueError):
            return match[0]   # letters that are no base64 (a hash, an id): as written

    out = _BARE_BASE64.sub(bare, _pictures(data, picture_without_metadata, 0))
    return text if out == data else out.decode("utf-8", "surrogateescape")


def _pictures(data: bytes, picture: Callable[[bytes], bytes], depth: int, keep_lines: bool = False) -> bytes:
    """`data` with each base64 picture URI's payload given by `picture` (an SVG's read
    again by text_without_metadata), and each picture's base64 in a string literal
    (_QUOTED_BASE64; a run that is no picture stays as written); `keep_lines`: the new
    payload over as many lines."""
    def cleaned(match: re.Match) -> bytes:
        written, rest = _payload(match[2])
        if written is None:
            return match[0]   # not base64: no browser shows it either
        return _cleaned(match[1], written, picture, depth, keep_lines) + rest

    def quoted(match: re.Match) -> bytes:
        try:
            return match[1] + _cleaned(b"", match[2], picture, depth, keep_lines) + match[1]
        except (binascii.Error, ValueError):
            return match[0]   # letters that are no base64 (a hash, an id): as written

    return _QUOTED_BASE64.sub(quoted, _DATA_IMAGE.sub(cleaned, data))


def _payload(text: bytes) -> tuple[bytes | None, bytes]:
    """(the base64 payload `text` begins with, what follows it): the whole when it decodes,
    else its lines but the last (an unquoted attribute on the line after the payload,
    `\n alt=logo`, is no part of it; only one line is dropped: each try decodes the
    whole, and a template's payload that never decodes must not cost one per line);
    (None, text) when neither decodes."""
    breaks = [m.start() for m in _LINE_BREAK.finditer(text) if m.start() > 0]
    for end in [len(text)] + breaks[-1:]:
        try:
            base64.b64decode(re.sub(rb"\s", b"", text[:end]), validate=True)
        except (binascii.Error, ValueError):
            continue
        return text[:end], text[end:]
    return None, text


def _cleaned(head: bytes, written: bytes, picture: Callable[[bytes], bytes], depth: int, keep_lines: bool) -> bytes:
    """The data: URI `head` + `written` (its base64 payload) with its picture as `picture`
    gives it back (an SVG's read again by text_without_metadata, `depth` deep), over as
    many lines when `keep_lines`."""
    payload = base64.b64decode(re.sub(rb"\s", b"", written), validate=True)
    if image_kind(payload) != "an SVG":   # by its bytes, whatever its type says
        kept = picture(payload)
    else:
        kept = text_without_metadata(payload, picture, depth + 1) if depth < _MAX_DEPTH else payload
    if kept == payload:
        return head + written
    encoded = base64.b64encode(kept)
    breaks = written.count(b"\n") if keep_lines else 0
    if breaks:   # the same number of lines, the letters shared among them
        step = -(-len(encoded) // (breaks + 1))
        encoded = b"\n".join(encoded[i * step:(i + 1) * step] for i in range(breaks + 1))
    return head + encoded
