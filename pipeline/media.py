"""Images: checked when referenced, processed when written.

Pillow picks a decoder from the bytes, not the name (an EPS named .png would run
Ghostscript), so images are opened with an explicit list of formats, and the
decompression-bomb guard is an error, not a warning. Processed copies drop every
piece of metadata (EXIF, GPS, text chunks) by re-encoding the pixels only.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

from PIL import Image

from .diagnostics import Diagnostics, Span

FORMATS = ["PNG", "JPEG", "WEBP"]
MAX_PIXELS = 40_000_000
MAX_BYTES = 20 * 1024 * 1024
WIDTHS = (160, 320, 640)
MEDIA_DIR = "site/media"         # under build/: inside the web root, beside the pages        # derivatives for thumbnails, cards and pages
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def probe_image(path: Path, span: Span, diags: Diagnostics) -> tuple[str, int, int, str] | None:
    """(sha256, width, height, format) of a usable image, or None with a diagnostic."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.add("HF0702", f"cannot read image: {exc.strerror}", span)
        return None
    if len(data) > MAX_BYTES:
        diags.add("HF0702", f"image is {len(data):,} bytes; the limit is {MAX_BYTES:,}", span)
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as img:
                img.verify()
                size, fmt = img.size, img.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        diags.add("HF0702", f"image has more than {MAX_PIXELS:,} pixels", span)
        return None
    except Exception as exc:  # Pillow raises many types for broken files; all mean "unusable"
        diags.add("HF0702", f"not a readable PNG, JPEG or WebP image ({type(exc).__name__})", span)
        return None
    if size[0] * size[1] > MAX_PIXELS:
        diags.add("HF0702", f"image has {size[0] * size[1]:,} pixels; the limit is {MAX_PIXELS:,}", span)
        return None
    return hashlib.sha256(data).hexdigest(), size[0], size[1], fmt


def media_path(asset, width: int | None = None) -> str:
    """Content-hashed name under build/: a changed image gets a new URL, caches stay valid.
    Images live inside the site (site/media/), so build/site/ alone is a web root."""
    stem = Path(asset.path).stem
    tag = asset.sha256[:12]
    if width is None:
        return f"{MEDIA_DIR}/{stem}-{tag}{_suffix(asset.format)}"
    return f"{MEDIA_DIR}/{stem}-{tag}-{width}w.webp"


def derivative_widths(asset) -> list[int]:
    return [w for w in WIDTHS if w < asset.width]


def _suffix(fmt: str) -> str:
    return {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt]


def render_image(asset, width: int | None = None) -> bytes:
    """The image re-encoded without metadata, optionally scaled down to `width` as WebP."""
    with Image.open(asset.absolute, formats=FORMATS) as img:
        img.load()
        has_alpha = img.mode in ("RGBA", "LA") or "transparency" in img.info
        pixels = img.convert("RGBA" if has_alpha else "RGB")
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)   # a new image carries none of the source's info, EXIF or ICC chunks
    out = io.BytesIO()
    if width is not None:
        height = max(1, round(clean.height * width / clean.width))
        clean.resize((width, height), Image.Resampling.LANCZOS).save(out, "WEBP", quality=82, method=6)
    elif asset.format == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    else:
        clean.save(out, asset.format, optimize=True) if asset.format == "PNG" else clean.save(out, "WEBP", quality=90)
    return out.getvalue()
