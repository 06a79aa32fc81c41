"""What an image file is, by its first bytes: for the words of HF0702.

A portrait in a format foundry does not publish (an iPhone's HEIC, a GIF, a TIFF
from a scanner, an SVG) was refused as "not a readable PNG, JPEG or WebP image
(UnidentifiedImageError)": a Python exception's name, and no word of what the file
is or how to turn it into one that is. The file's signature names it, whatever its
name says, as Pillow picks a decoder by the bytes too.
"""

from __future__ import annotations
import re
from typing import Iterator

from .lfs import LFS_HINT, MAX_POINTER, pointer

# ISO base media file brands (bytes 8-12, after 'ftyp'): HEIF stills from phones and AVIF.
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG"), (b"\xff\xd8\xff", "a JPEG"), (b"GIF87a", "a GIF"), (b"GIF89a", "a GIF"),
    (b"II*\x00", "a TIFF"), (b"MM\x00*", "a TIFF"), (b"BM", "a BMP"), (b"%PDF", "a PDF"), (b"8BPS", "a Photoshop (PSD)"),
    (b"\x00\x00\x01\x00", "an ICO"), (b"%!PS", "a PostScript (EPS)"), (b"\xc5\xd0\xd3\xc6", "a PostScript (EPS)"),
    (b"\xff\x0a", "a JPEG XL"), (b"\x00\x00\x00\x0cJXL ", "a JPEG XL"), (b"qoif", "a QOI"),
)


def image_kind(data: bytes, head: int = 1024) -> str:
    """The kind of image `data` holds, as words ("a HEIC", "an SVG", "an empty file"),
    or "" when its first bytes name no format known here. An SVG is known by an `<svg`
    element within its first `head` bytes (an editor's prolog, a DOCTYPE of entities,
    may push it past the first KiB)."""
    if not data:
        return "an empty file"
    if pointer(data[:MAX_POINTER]) is not None:
        return "a Git LFS pointer"
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
    start = data[:head].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<svg", b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in start:
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
    depth = jpeg_precision(data) if kind == "a JPEG" else 8
    if depth in _DEEPER:
        return (f"a {depth}-bit JPEG, which browsers do not show (they decode JPEGs of 8 bits a sample)",
                "Export it as an 8-bit JPEG, or as a PNG (a raw converter or a scanner's software saves either).")
    if kind in ("a PNG", "a JPEG", "a WebP"):
        return (f"{kind} whose pixels cannot be decoded: the file is cut off or corrupt",
                "Save or export the image again from the original (an interrupted upload or copy cuts a file off).")
    if kind == "a Git LFS pointer":
        # git-lfs not installed, or CI's actions/checkout without `lfs: true`: the file in
        # the checkout names the picture Git LFS keeps (`foundry build --ref` and `diff`
        # read a revision's from .git/lfs/objects/, when fetched); "use a PNG" sent its
        # writer to convert a PNG
        return ("a Git LFS pointer, not the picture: the file Git LFS keeps for it is not in this checkout",
                LFS_HINT)
    if kind == "an empty file":
        return "the image file is empty", "Copy or save the image again: the file holds no bytes."
    if not kind:
        return "not a PNG, JPEG or WebP image (its first bytes name no image format)", None
    return f"{kind} image, not a PNG, JPEG or WebP one", _HINTS.get(kind, "Convert it to PNG, JPEG or WebP.")


# A JPEG's start-of-frame markers (SOF0-3, 5-7, 9-11, 13-15: baseline, extended,
# progressive, lossless, hierarchical, arithmetic), whose first byte is the sample precision.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
# The depths a JPEG's frame can say other than 8 (ITU T.81: 12 for a DCT frame, 2 to 16
# for a lossless one). Any other (0, 1, 255: a damaged header) is corruption, not a
# depth: it was named 'a 0-bit JPEG' and its writer told to export it as an 8-bit one.
_DEEPER = frozenset(range(2, 17)) - {8}


def jpeg_precision(data: bytes) -> int:
    """The bits a sample of the JPEG `data`'s frame (its first SOF marker's precision),
    8 when no frame header is found before its scan. A 12-bit JPEG (a medical scanner's,
    a raw converter's) is no JPEG Chromium or Firefox shows, nor one Pillow decodes: it
    was refused as 'cut off or corrupt', which sent its writer to copy it again."""
    frame = jpeg_frame(data)
    return 8 if frame is None else frame[1]


# A marker with a length as libjpeg finds it, by the 0xFF just before it (fill bytes 0xFF
# before that are passed over): not a stuffed zero (0xFF00, in coded data), nor a marker alone
# (RST0-7, SOI, TEM). Searched, not stepped: a scan of 20 MB of 0xFF00 or of restart markers
# was ten million steps (and no `\xff+`: a long run of 0xFF searched again from each byte).
_MARKER = re.compile(rb"\xff([^\x00\xff\xd0-\xd8\x01])")


def jpeg_frame(data: bytes) -> tuple[int, int] | None:
    """(the marker's second byte, the sample precision) of the JPEG `data`'s first
    start-of-frame segment (0xC0 baseline, 0xC2 progressive, 0xC3 lossless, 0xC9
    arithmetic…), or None when no frame header comes before its scan (or the file
    ends first). Reads the markers' lengths only (jpeg_markers), to the first scan."""
    for marker, at in jpeg_markers(data):
        if marker == 0xDA:   # the scan: no frame header before it
            break
        if marker in _SOF:
            return marker, (data[at + 4] if at + 4 < len(data) else 8)
    return None


def jpeg_scans(data: bytes) -> int:
    """How many scans libjpeg decodes of the JPEG `data`'s picture: its start-of-scan
    markers before its end (jpeg_markers). Not counted: the bytes 0xFFDA inside a
    segment (an ICC profile, an EXIF block and the thumbnail in it, which libjpeg skips
    by their lengths) or after the end (an MPO's further pictures): a CMYK print
    picture's 18 scans and its 600 KB profile were counted 30 and refused."""
    return sum(1 for marker, _ in jpeg_markers(data) if marker == 0xDA)


def png_chunks(data: bytes, most: int) -> int:
    """How many chunks the PNG (or APNG) `data` holds to its IEND, counted by their
    lengths as far as `most` + 1 (a count past `most` is all the caller asks); a chunk
    cut short by the file's end counts."""
    count, at = 0, 8
    while at + 8 <= len(data) and count <= most:
        count += 1
        if data[at + 4:at + 8] == b"IEND":
            break
        at += 12 + int.from_bytes(data[at:at + 4], "big")
    return count


def jpeg_scan_passes(data: bytes) -> float:
    """The JPEG `data`'s scans weighed by the share of its blocks each decodes: the
    components a scan names (its header's Ns ids) weighed by their sampling factors
    (H × V) over the frame's (ITU-T T.81 B.2.2, B.2.3): what its decoding costs, in
    passes over every pixel. libjpeg's progressive script decodes a colour picture's
    detail one component a scan, so a CMYK print picture's 18 scans are about six
    passes, a 4:2:0 one's luma scans two thirds of a pass each; a grey picture's scans
    are each a whole pass. A header cut short, or naming no component of the frame,
    counts as a whole pass."""
    blocks: dict[int, int] = {}   # component id → H × V
    passes = 0.0
    for marker, at in jpeg_markers(data):
        if marker in _SOF and not blocks and at + 9 < len(data):
            for i in range(data[at + 9]):
                spec = at + 10 + 3 * i
                if spec + 1 < len(data):
                    blocks[data[spec]] = max((data[spec + 1] >> 4) * (data[spec + 1] & 15), 1)
        elif marker == 0xDA:
            named = data[at + 5:at + 5 + 2 * data[at + 4]:2] if at + 4 < len(data) else b""
            share = sum(blocks.get(c, 0) for c in set(named)) / sum(blocks.values()) if blocks else 0.0
            passes += min(share, 1.0) or 1.0
    return passes


def jpeg_markers(data: bytes) -> Iterator[tuple[int, int]]:
    """(the marker's second byte, its offset) of each segment of the JPEG `data` that
    has a length, its scans' (0xDA) among them, to its end (0xD9, not given).
    The markers are read as libjpeg (the decoder of Pillow and of every output) reads
    them: bytes between two segments are skipped (a scan's coded data among them, whose
    0xFF bytes are stuffed or restart markers), as are a marker without a length (a
    restart marker, TEM) and a length under 2 (what its two bytes are). Read otherwise,
    a restart marker before the frame had its next two bytes taken for a length: a
    lossless JPEG was found to have no frame (decoded at 1/8 and refused as corrupt),
    or, led into an APP segment, to be a baseline one (printed as its bytes: blank)."""
    at = 2
    while (found := _MARKER.search(data, at)) is not None:
        marker, at = found.group(1)[0], found.start(1) - 1
        if marker == 0xD9 or at + 4 > len(data):   # the end, or a file cut short
            break
        yield marker, at
        at += 2 + max(int.from_bytes(data[at + 2:at + 4], "big"), 2)
