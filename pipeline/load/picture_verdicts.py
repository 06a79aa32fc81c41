"""Whether a theme's picture is drawn whole: one judgement for the print theme and the site's.

A theme's picture that is cut off (an interrupted upload: a PNG short of its last rows,
a JPEG with garbage after its header) or that nothing can read (an SVG that does not
parse, an empty file) is published or printed as it is, and a reader sees a broken
image. The print theme's pictures are judged as WeasyPrint loads them
(exporters/pdf/pictures.py), the site theme's as a browser shows them
(exporters/html/theme_pictures.py); both decode a raster's every pixel by Pillow with
nothing filled in (`decodes`), and both remember each verdict by the digest of the
picture's bytes and how it is judged (`remembered`): `foundry serve` judges at every
save, and an edit of a stylesheet decodes no picture again.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from typing import Any, Callable, Iterable
from xml.etree import ElementTree

UNREAD, CUT = "unread", "cut"
# The verdicts of the last pictures judged, by the digest of how and of their bytes.
_MEMO: dict[str, str | None] = {}
_MEMO_SIZE = 256
_SVG = "{http://www.w3.org/2000/svg}svg"
_ANIMATIONS = frozenset({"GIF", "PNG", "WEBP"})   # Pillow's formats whose frames a browser plays
# What judging one frame costs at the least, in pixels of media.MAX_PIXELS: seeking to a
# frame and decoding it is work however small the frame (~0.1 ms a GIF frame), so frames of a pixel
# are not judged by the million.
FRAME_COST = 65_536


def remembered(how: str, data: bytes, judge: Callable[[bytes], str | None]) -> str | None:
    """`judge(data)` (UNREAD, CUT or None), once per `how` (the judge's name and what it
    reads the bytes as) and bytes."""
    key = hashlib.sha256(how.encode() + b"\0" + data).hexdigest()
    if key not in _MEMO:
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = judge(data)
    return _MEMO[key]


def decodes(body: bytes, every_frame: bool = False) -> bool:
    """Whether every pixel of `body` decodes by Pillow (any format it knows) without
    filling what is missing (media.strict_load, whatever WeasyPrint set process-wide).
    `every_frame`: an animation's every frame too (a browser plays them all; a GIF or
    APNG cut off in its third frame decoded its first whole and passed), as far as
    media.MAX_PIXELS of them, one large still's cost: the frames past it are not judged."""
    from PIL import Image, ImageFile

    from .media import MAX_PIXELS, strict_load
    try:
        with Image.open(io.BytesIO(body)) as img:
            strict_load(img)
            # an animation's frames; not an MPO's further pictures (a stereo pair's other), which no browser shows.
            # Each frame costs at least FRAME_COST pixels of the budget, and they are found by
            # seeking on, not counted first (n_frames walks a GIF's every frame): a 16 MB GIF of
            # 640,000 frames of one pixel each was ~20 CPU-s of every check, all judged
            spent = img.width * img.height
            frame = 1
            while every_frame and img.format in _ANIMATIONS:
                spent += max(img.width * img.height, FRAME_COST)
                if spent > MAX_PIXELS:
                    break
                saved = ImageFile.LOAD_TRUNCATED_IMAGES
                ImageFile.LOAD_TRUNCATED_IMAGES = False   # as strict_load: seeking decodes the frame
                try:
                    img.seek(frame)
                except EOFError:
                    break   # the last frame was judged
                finally:
                    ImageFile.LOAD_TRUNCATED_IMAGES = saved
                strict_load(img)
                frame += 1
    except Exception:  # Pillow raises many types for a broken stream; all mean "cut off or corrupt"
        return False
    return True


def shown_verdict(name: str, data: bytes) -> str | None:
    """UNREAD when a browser shows nothing of the site file `name` holding `data` (empty,
    an `.svg` that does not parse as an SVG drawing, bytes no browser decodes or Pillow
    cannot open); CUT when it opens but its pixels do not all decode; else None. A
    picture over media.MAX_PIXELS is not decoded here (its cost; browsers show it)."""
    svg = name.lower().endswith(".svg")
    return remembered("browser svg" if svg else "browser raster", data, _svg_shown if svg else _raster_shown)


def _svg_shown(data: bytes) -> str | None:
    # a browser reads a file named .svg as image/svg+xml: XML whose root is an SVG element
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError, RecursionError):
        return UNREAD
    return None if root.tag == _SVG else UNREAD


def _raster_shown(data: bytes) -> str | None:
    from PIL import Image

    from .image_kind import image_kind
    from .media import _UNDECODED, MAX_PIXELS, chunks_over, scans_over
    if not data or image_kind(data, head=65536) in _UNDECODED:
        return UNREAD
    if chunks_over(data):
        return None   # not opened here (each chunk is read), as a portrait would not be (HF0702)
    try:
        # its size is judged here: Pillow's warning past MAX_PIXELS (its own limit) was
        # printed bare, with no file named nor code, by check and every build
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if img.width * img.height > MAX_PIXELS or scans_over(data, img.width * img.height):
                    return None   # not decoded here (its cost), as a portrait would not be (HF0702)
    except Image.DecompressionBombError:
        return None
    except Exception:  # not a picture Pillow knows, or its header is cut off
        return UNREAD
    return None if decodes(data, every_frame=True) else CUT


def decoded_pixels(data: bytes, formats: list[str] | None = None, every_frame: bool = True) -> int:
    """The pixels judging and publishing `data` decodes, by its header: its width times
    height, an animation's every frame as far as media.MAX_PIXELS (`decodes`); 0 for
    what Pillow cannot open and for a picture over MAX_PIXELS or of more chunks than
    media.chunks_over allows, which is not decoded.
    `formats`: the only Pillow formats the caller decodes (a portrait's, media.FORMATS:
    a GIF is refused unopened), else any. `every_frame` False: the caller decodes an
    animation's first picture only (a portrait: every output publishes that one, HF0753),
    and an APNG's still apart from its animation on the way to it."""
    from PIL import Image

    from .media import MAX_PIXELS, chunks_over, still_apart
    if chunks_over(data):
        return 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as img:
                pixels = img.width * img.height
                if pixels > MAX_PIXELS:
                    return 0
                if every_frame and img.format in _ANIMATIONS:
                    each = max(pixels, FRAME_COST)   # as `decodes` judges them
                    pixels = min(MAX_PIXELS, pixels + each * (_frames(img, MAX_PIXELS // each + 1) - 1))
                elif still_apart(img):
                    # the first frame shown is Pillow's second: reaching it decodes the still
                    # before it (media.shown_load), two pictures, in the probe and every output
                    pixels *= 2
                return pixels
    except Exception:  # no picture Pillow opens (a font, a stylesheet), or one it refuses for its size
        return 0


def _frames(img, most: int) -> int:
    """How many frames the animation `img` has, counted as far as `most`. Pillow's
    n_frames is read from an APNG's or WebP's header, but walks a GIF's every frame:
    a 16 MB GIF of 640,000 one-pixel frames took seconds to count, twice a check, for
    a budget that a few thousand of them fill."""
    if img.format != "GIF":
        return min(most, getattr(img, "n_frames", 1))
    count = 1
    try:
        while count < most:
            img.seek(count)
            count += 1
    except EOFError:
        pass
    except Exception:  # noqa: BLE001 (a frame cut off: what was counted is what a decoder reaches)
        pass
    img.seek(0)
    return count


def past_total(pictures: list[tuple[Any, bytes]], total: int) -> list[tuple[Any, int]]:
    """(name, pixels of all pictures up to it) of each of `pictures` (in order) whose
    pixels (decoded_pixels) take the theme's past `total` (budget.picture_pixels): the
    pictures it decodes in all stay bounded, however many it holds."""
    return past_count(((name, decoded_pixels(data)) for name, data in pictures), total)


def past_count(counted: Iterable[tuple[Any, int]], total: int) -> list[tuple[Any, int]]:
    """past_total of pictures already counted: (name, decoded_pixels of its bytes) in
    order; a picture past `total` is left out of the sum (the next, smaller, may fit).
    The portraits' budget counts them so, each file's count kept with its probe
    (resolve/portrait_budget.py)."""
    spent, found = 0, []
    for name, pixels in counted:
        if pixels and spent + pixels > total:
            found.append((name, spent + pixels))
        else:
            spent += pixels
    return found
