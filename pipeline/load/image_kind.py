"""What an image file is, by its first bytes: for the words of HF0702.

A portrait in a format foundry does not publish (an iPhone's HEIC, a GIF, a TIFF
from a scanner, an SVG) was refused as "not a readable PNG, JPEG or WebP image
(UnidentifiedImageError)": a Python exception's name, and no word of what the file
is or how to turn it into one that is. The file's signature names it, whatever its
name says, as Pillow picks a decoder by the bytes too.
"""

from __future__ import annotations

# ISO base media file brands (bytes 8-12, after 'ftyp'): HEIF stills from phones and AVIF.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG"), (b"\xff\xd8\xff", "a JPEG"), (b"GIF87a", "a GIF"), (b"GIF89a", "a GIF"),
    (b"II*\x00", "a TIFF"), (b"MM\x00*", "a TIFF"), (b"BM", "a BMP"), (b"%PDF", "a PDF"), (b"8BPS", "a Photoshop (PSD)"),
    (b"\x00\x00\x01\x00", "an ICO"), (b"%!PS", "a PostScript (EPS)"), (b"\xc5\xd0\xd3\xc6", "a PostScript (EPS)"),
    (b"\xff\x0a", "a JPEG XL"), (b"\x00\x00\x00\x0cJXL ", "a JPEG XL"), (b"qoif", "a QOI"),
)


def image_kind(data: bytes) -> str:
    """The kind of image `data` holds, as words ("a HEIC", "an SVG", "an empty file"),
    or "" when its first bytes name no format known here."""
    if not data:
        return "an empty file"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "a WebP"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _HEIF_BRANDS:
            return "a HEIC"
        if brand in _AVIF_BRANDS:
            return "an AVIF"
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head:
        return "an SVG"
    return ""


# What to do with a file of each kind foundry does not publish, beyond "convert it".
_HINTS = {
    "a HEIC": "Export it as JPEG (an iPhone saves JPEG with Settings › Camera › Formats › Most Compatible; "
              "macOS Preview: File › Export › JPEG).",
    "an SVG": "Export it as PNG or WebP: a portrait is a picture, and a drawing's scripts and links are "
              "no part of one.",
    "a GIF": "Save it as PNG, or as WebP to keep an animation (the books print its first frame).",
}


def refusal(data: bytes) -> tuple[str, str | None]:
    """HF0702's message and hint (None: the code's own) for `data`, a file Pillow could
    not open as a PNG, JPEG or WebP or whose pixels it could not decode."""
    kind = image_kind(data)
    if kind in ("a PNG", "a JPEG", "a WebP"):
        return (f"{kind} whose pixels cannot be decoded: the file is cut off or corrupt",
                "Save or export the image again from the original (an interrupted upload or copy cuts a file off).")
    if kind == "an empty file":
        return "the image file is empty", "Copy or save the image again: the file holds no bytes."
    if not kind:
        return "not a PNG, JPEG or WebP image (its first bytes name no image format)", None
    return f"{kind} image, not a PNG, JPEG or WebP one", _HINTS.get(kind, "Convert it to PNG, JPEG or WebP.")
