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
CHUNK = 1 << 13   # bytes of the stream given the inflater at once


def gzip_without_metadata(data: bytes, inner: Callable[[bytes], bytes]) -> bytes:
    """`data` decompressed, given to `inner` (the cleaners of what it holds) and
    compressed again without the header's name, comment and time when it is a gzip
    stream whose header or content says more than the bytes; else `data` itself."""
    if not data.startswith(_MAGIC):
        return data
    inflated = _inflated(data)
    if inflated is None:
        return data
    held, bare = inflated
    cleaned = inner(held)
    if cleaned is held and bare:
        return data
    return gzip.compress(cleaned, compresslevel=9, mtime=0)


def _inflated(data: bytes) -> tuple[bytes, bool] | None:
    """(the bytes every member of the gzip stream `data` holds, in order, whether no
    member's header says more than them: no FEXTRA, FNAME or FCOMMENT, no time); None
    when one does not decompress whole, or together they are past MAX_INFLATED. Every
    member's header is looked at: `cat a.gz b.gz` (and gzip's own appending) gives a
    stream whose second member names its file while the first names none."""
    # Fed CHUNK bytes at a time, never the rest of the file: a member's end leaves what
    # follows it in `unused_data`, a copy, and a 16 MiB theme file of 20-byte empty members
    # (~840,000) copied the rest once for each, ~2 minutes of CPU for nothing.
    view, at, out, total, bare = memoryview(data), 0, [], 0, True
    while at < len(data):
        if not data.startswith(_MAGIC, at):   # after the last member: zeros a writer padded it with, or not gzip
            return (b"".join(out), bare) if not data[at:].strip(b"\0") else None
        flags = data[at + 3:at + 4]   # (a stream cut in its header does not decompress: None below)
        bare = bare and not (flags and flags[0] & 0x1C) and not any(data[at + 4:at + 8])
        inflater = zlib.decompressobj(wbits=31)
        while not inflater.eof:
            if at >= len(data):
                return None   # cut short
            chunk = view[at:at + CHUNK]
            try:
                piece = inflater.decompress(chunk, MAX_INFLATED - total + 1)
            except zlib.error:
                return None
            total += len(piece)
            if total > MAX_INFLATED:
                return None
            out.append(piece)
            at += len(chunk) - len(inflater.unconsumed_tail) - len(inflater.unused_data)
    return b"".join(out), bare
