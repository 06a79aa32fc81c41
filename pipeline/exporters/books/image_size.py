"""A print theme's raster images held to the pixel limit portraits have.

Portraits are probed before any book is made (load/media.py: at most MAX_PIXELS), but
a theme's own PNG, JPEG or WebP went to WeasyPrint unread: a 160 KB PNG of 7,000 × 7,000
one colour (49 million pixels, under Pillow's own error at twice its warning) took
400 MB and 2.6 s to decode and compress again in every book that shows it. Only the
header is read here, never the pixels.
"""

from __future__ import annotations

import io

from ...load.media import FORMATS, MAX_PIXELS

_ENDINGS = (".png", ".jpg", ".jpeg", ".webp")


def oversized_images(files: dict[str, bytes]) -> list[str]:
    """The raster images of `files` (path inside print/ → bytes) with more than
    MAX_PIXELS pixels, by their headers. One Pillow cannot read is left to WeasyPrint,
    which reports it."""
    from PIL import Image

    found = []
    for rel in sorted(files):
        if not rel.lower().endswith(_ENDINGS):
            continue
        try:
            with Image.open(io.BytesIO(files[rel]), formats=FORMATS) as img:
                width, height = img.size
        except Exception:  # Pillow raises many types for a broken header (the bomb error too): not ours to judge
            if _bomb(files[rel]):
                found.append(rel)
            continue
        if width * height > MAX_PIXELS:
            found.append(rel)
    return found


def _bomb(data: bytes) -> bool:
    """Whether Pillow refused `data` for its size alone (over twice MAX_PIXELS)."""
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS):
            return False
    except Image.DecompressionBombError:
        return True
    except Exception:  # broken in another way: WeasyPrint reports it
        return False
