"""A print theme's raster images held to the pixel limit portraits have.

Portraits are probed before any book is made (load/media.py: at most MAX_PIXELS), but
a theme's own PNG, JPEG or WebP went to WeasyPrint unread: a 160 KB PNG of 7,000 × 7,000
one colour (49 million pixels, under Pillow's own error at twice its warning) took
400 MB and 2.6 s to decode and compress again in every book that shows it. Only the
header is read here, never the pixels. Every file of the theme is looked at, whatever
its name: WeasyPrint hands any image it is asked for that is not named `.svg` to
Pillow, every format Pillow reads (a 37 KB GIF of 7,000 × 7,000, or a PNG named
`paper.bin`, took a book ~380 MB more with check clean, when only `.png`, `.jpg` and
`.webp` names were read).
"""

from __future__ import annotations

import io
import warnings

from ...load.media import MAX_PIXELS, chunks_over, scans_over


def oversized_images(files: dict[str, bytes]) -> list[str]:
    """The raster images of `files` (path inside print/ → bytes) with more than
    MAX_PIXELS pixels, by their headers, in any format Pillow reads (as WeasyPrint
    opens them), whatever the file's name, or written in more pieces than their
    pixels allow (a JPEG's scans: scans_over; a PNG's chunks: chunks_over). One Pillow cannot read is left to
    WeasyPrint, which reports it."""
    from PIL import Image

    found = []
    for rel in sorted(files):
        if chunks_over(files[rel]):   # (a PNG of countless chunks: Pillow reads each, in every book)
            found.append(rel)
            continue
        try:
            # its size is judged here: Pillow's warning past MAX_PIXELS (its own limit,
            # under its error at twice that) was printed bare, no file named nor code
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(files[rel])) as img:
                    width, height = img.size
        except Exception:  # Pillow raises many types for a broken header (the bomb error too): not ours to judge
            if _bomb(files[rel]):
                found.append(rel)
            continue
        if width * height > MAX_PIXELS or scans_over(files[rel], width * height):
            # (a JPEG of endless scans: WeasyPrint decodes every pixel again for each)
            found.append(rel)
    return found


def _bomb(data: bytes) -> bool:
    """Whether Pillow refused `data` for its size alone (over twice MAX_PIXELS)."""
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)):
            return False
    except Image.DecompressionBombError:
        return True
    except Exception:  # broken in another way: WeasyPrint reports it
        return False
