"""A gzip'd file (an `.emz` or `.wmz` drawing, an `.svgz`) published as what it holds.

Office saves a Windows metafile compressed (`.emz`, `.wmz`), Inkscape an SVG (`.svgz`):
a gzip stream around the file. The readers that clean a theme's static files
(media.without_metadata) knew the EMF's photos and the SVG's editor metadata, but saw
only the gzip stream: a theme's `.emz` handout went out with its photo's GPS position,
an `.svgz` with the path it was saved at. And the gzip header itself may name the file
it was made from (FNAME: `C:\\Users\\anna\\drawing.emf`), carry a comment and the time.
The file is decompressed (at most MAX_INFLATED bytes, a theme file's most: a small
bomb is no reason to decode gigabytes), cleaned as the file it holds, and compressed again with no name,
comment or time, so the same bytes give the same file. One level only: what a gzip
stream holds is not unwrapped again. Anything else, a stream that does not decompress
whole or one past the limit, is `data` itself.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Callable

MAX_INFLATED = 16 << 20   # bytes: what a theme's file may be (html/theme.py's MAX_THEME_FILE)
_MAGIC = b"\x1f\x8b\x08"  # gzip, deflate


def gzip_without_metadata(data: bytes, inner: Callable[[bytes], bytes]) -> bytes:
    """`data` decompressed, given to `inner` (the cleaners of what it holds) and
    compressed again without the header's name, comment and time when it is a gzip
    stream whose header or content says more than the bytes; else `data` itself."""
    if not data.startswith(_MAGIC):
        return data
    held = _inflated(data)
    if held is None:
        return data
    cleaned = inner(held)
    flags, mtime = data[3], int.from_bytes(data[4:8], "little")
    if cleaned is held and not flags & 0x1C and not mtime:   # no FEXTRA, FNAME or FCOMMENT, no time
        return data
    return gzip.compress(cleaned, compresslevel=9, mtime=0)


def _inflated(data: bytes) -> bytes | None:
    """The bytes every member of the gzip stream `data` holds, in order; None when one
    does not decompress whole, or together they are past MAX_INFLATED."""
    out, rest = [], data
    total = 0
    while rest:
        if not rest.startswith(_MAGIC):   # after the last member: zeros a writer padded it with, or not gzip
            return b"".join(out) if not rest.strip(b"\0") else None
        inflater = zlib.decompressobj(wbits=31)
        try:
            piece = inflater.decompress(rest, MAX_INFLATED - total + 1)
        except zlib.error:
            return None
        total += len(piece)
        if total > MAX_INFLATED or not inflater.eof:
            return None
        out.append(piece)
        rest = inflater.unused_data
    return b"".join(out)
