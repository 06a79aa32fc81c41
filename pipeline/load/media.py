"""Images: checked when referenced, processed when written.

Pillow picks a decoder from the bytes, not the name (an EPS named .png would run
Ghostscript), so images are opened with an explicit list of formats, and the
decompression-bomb guard is an error, not a warning. Processed copies drop every
piece of metadata (EXIF, GPS, text chunks) by re-encoding the pixels only — after
applying what a viewer applies from that metadata, so the image looks the same:
the EXIF orientation (a phone photo stored sideways), the embedded colour profile
(CMYK, Display P3, a palette's colours → sRGB), and the full range of 16-bit pixels.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import io
import warnings
from pathlib import Path

from PIL import Image, ImageFile, PngImagePlugin

from ..confine import Refused, read_confined
from ..diagnostics import Diagnostics, Span
from .heif_colour import avif_cicp
from .image_kind import image_kind, jpeg_frame, jpeg_scan_passes, jpeg_scans, png_chunks, refusal
from .metadata_chunks import without_metadata_chunks
from .png_colour import cicp_profile, cicp_unshown, profile_of
from .picture_verdicts import FRAME_COST

FORMATS = ["PNG", "JPEG", "WEBP"]
# What a print theme's picture may be that WeasyPrint draws through Pillow and that is
# given to it as viewed (viewed_bytes): a GIF, a TIFF (a print designer's scan or
# export, often CMYK, seen in Preview or Photoshop through its colour profile: WeasyPrint
# drew its stored values, and no CMYK one at all) and an AVIF too (when this Pillow
# reads AVIF; WeasyPrint then draws it, its colour profile dropped), though no portrait is one.
# Asked when a picture is opened, not at import: Pillow's registry imports every one of
# its format plugins (~0.02 CPU-s), which a build that opens no picture (an edit's, its
# probes kept) paid before its render pool forked (docs/performance.md edit40).
@functools.lru_cache(maxsize=1)
def printed_formats() -> tuple[str, ...]:
    return (*FORMATS, "GIF", "TIFF", *(["AVIF"] if "AVIF" in Image.registered_extensions().values() else []))


MAX_PIXELS = 40_000_000
# A JPEG's scans times its pixels: each scan of a progressive JPEG passes over every pixel
# again, so a 147 KB file of 36 megapixels repeating its last scan 100 times took 19 s to
# decode (26 s of check, 139 s of a site and PDF build; 2,000 times: hours), under every
# other limit. Cameras and editors write one scan, or about ten (libjpeg's progressive
# script, mozjpeg's), so a picture at MAX_PIXELS may have 16. Counted as libjpeg meets
# them (image_kind.jpeg_scans): a profile's or an EXIF block's bytes 0xFFDA are none (libjpeg
# skips those segments by their length), nor is what follows the end (an MPO's further pictures).
# Each weighed by the share of the components it decodes (image_kind.jpeg_scan_passes): a
# CMYK print picture of 38 MP in libjpeg's 18 scans (one component a scan for its detail)
# was refused, though its decoding is about six passes.
MAX_SCAN_PIXELS = 16 * MAX_PIXELS


def scans_over(data: bytes, pixels: int) -> bool:
    """Whether the JPEG `data` of `pixels` pixels is written in more scans than
    MAX_SCAN_PIXELS allows it (each decoded over its components' blocks again, a scan of
    one of four like components a quarter pass: jpeg_scan_passes). Not a JPEG: False."""
    return data[:2] == b"\xff\xd8" and jpeg_scan_passes(data) * pixels > MAX_SCAN_PIXELS


# A PNG's chunks: Pillow reads each on its own (its header, its CRC, a call) when it
# opens, verifies and decodes a picture, ~2 µs a chunk whatever it holds: a 19 MB PNG of
# 400 × 400 pixels in 1.6 million empty IDAT chunks took 2.5 CPU-s to decode, and as a
# portrait 26 CPU-s of a build (each output decodes it again); a million empty tEXt
# chunks before the image took 1.4 CPU-s only to open. Encoders write the image data in
# chunks of 8 KB (libpng) or 64 KB (Pillow), a row each at the most, an APNG two or three
# chunks a frame, and a few dozen others: a 20 MB PNG of 8 KB chunks has 2,560.
MAX_PNG_CHUNKS = 65_536


def chunks_over(data: bytes) -> bool:
    """Whether `data` is a PNG (or APNG) of more than MAX_PNG_CHUNKS chunks, or an icon
    (ICO: a favicon) whose PNG pictures hold more than that together, to be refused
    before Pillow opens it (opening alone reads every chunk before the image's; Pillow
    opens an icon's PNG with its PNG reader, from its offset to the file's end: a 16 MB
    favicon.ico of 1.3 million empty IDAT chunks took 2.2 CPU-s a check, each time).
    Anything else: False."""
    if data[:8] == _PNG_SIGNATURE:
        return png_chunks(data, MAX_PNG_CHUNKS) > MAX_PNG_CHUNKS
    if data[:4] != b"\x00\x00\x01\x00" or len(data) < 6:
        return False
    count, total, seen, view = int.from_bytes(data[4:6], "little"), 0, set(), memoryview(data)
    for n in range(count):
        offset = int.from_bytes(data[6 + 16 * n + 12:6 + 16 * n + 16], "little")
        if offset in seen or data[offset:offset + 8] != _PNG_SIGNATURE:
            continue   # a picture counted once however many entries name it; a BMP has no chunks
        seen.add(offset)
        total += png_chunks(view[offset:], MAX_PNG_CHUNKS - total)
        if total > MAX_PNG_CHUNKS:
            return True
    return False


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 20 * 1024 * 1024
WIDTHS = (160, 320, 640)
MEDIA_DIR = "site/media"         # under build/: inside the web root, beside the pages        # derivatives for thumbnails, cards and pages
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Pillow tells of an EXIF block it cannot follow as a Python warning at every opening of
# the file, from its TIFF directory reader ('Corrupt EXIF data. Expecting to read 12
# bytes but only got 4.', 'Tag data larger than file. Skipping tag 305', 'Truncated File
# Read'), and of a camera's multi-picture index it cannot follow ('Image appears to be a
# malformed MPO file'): printed several times a build, naming no file. What of these
# changes a picture as shown, its orientation, the probe says once at the portrait's
# line (HF0756, exif_reading); the rest changes nothing any output shows.
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.TiffImagePlugin")
warnings.filterwarnings("ignore", message="Image appears to be a malformed MPO file", category=UserWarning)
# An APNG whose acTL says 0 frames, or a second acTL ('Invalid APNG, will use default
# PNG image if possible'): Pillow reads the file's image data as a still, which is
# published; its warning named no file, at every opening, check and build alike.
warnings.filterwarnings("ignore", message="Invalid APNG, will use default PNG image", category=UserWarning)


def probe_image(path: Path, span: Span, diags: Diagnostics) -> tuple[str, int, int, str] | None:
    """(sha256, width, height, format) of a usable image, or None with a diagnostic.
    `path` is already confined (Project.confine): it is opened without following links."""
    try:
        data = read_confined(path, MAX_BYTES)
    except Refused as exc:
        if exc.kind == "size":
            # the code's own hint speaks of megapixels: a 35 MB PNG of 12 MP was told to
            # keep under 40 megapixels, which it was
            diags.add("HF0702", f"image is over the {MAX_BYTES:,}-byte limit", span,
                      hint=f"Save it under {MAX_BYTES // 2**20} MiB: as a JPEG or WebP, or with fewer pixels.")
        else:
            diags.add("HF0702", f"cannot read image: {exc.reason}", span)
        return None
    except OSError as exc:
        diags.add("HF0702", f"cannot read image: {exc.strerror}", span)
        return None
    if chunks_over(data):
        diags.add("HF0702", f"the PNG is written in more than {MAX_PNG_CHUNKS:,} chunks, each read on its own: "
                            "more than any editor writes", span,
                  hint="Open it in an image editor and save it again as a PNG (editors write the picture in "
                       "chunks of 8 KB or more).")
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as img:
                # read before verify(), which ends the file's use; a still apart from the animation is no frame of it
                frames = getattr(img, "n_frames", 1) - (1 if still_apart(img) else 0)
                shown, unread = orientation_read(img)
                unshown = cicp_unshown(img.info) if img.format == "PNG" else None   # its cICP as opened
                img.verify()
                size, fmt = img.size, img.format
            if fmt in ("JPEG", "MPO") and scans_over(data, size[0] * size[1]):
                scans = jpeg_scans(data)
                diags.add("HF0702", f"the JPEG is written in {scans:,} scans of {size[0] * size[1]:,} pixels, "
                                    "each decoded anew: more than any camera or editor writes", span,
                          hint="Open it in an image editor and save it again as a JPEG (a progressive JPEG has "
                               "about ten scans).")
                return None
            said = _decode(data)
        fmt = _FORMAT_OF.get(fmt, fmt)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        diags.add("HF0702", f"image has more than {MAX_PIXELS:,} pixels", span)
        return None
    except Exception:  # Pillow raises many types for broken files; all mean "unusable"
        message, hint = refusal(data)   # what the file is, by its bytes, and how to make it one
        diags.add("HF0702", message, span, hint=hint)
        return None
    if size[0] * size[1] > MAX_PIXELS:
        diags.add("HF0702", f"image has {size[0] * size[1]:,} pixels; the limit is {MAX_PIXELS:,}", span)
        return None
    if frames > 1 and fmt in _ANIMATED:
        diags.add("HF0753", f"the image is animated ({frames} frames); the site, the PDFs and the EPUBs "
                            "publish its first frame only", span)
    if unread is None and shown == 1 and said[0] != 1:
        unread = f"it says it is turned (Orientation {said[0]}) {said[1]}"
    if unread is not None:
        diags.add("HF0756", f"the image's orientation is not one browsers apply: {unread}; browsers show the "
                            "picture as it is stored, and so do the site, the PDFs and the EPUBs", span)
    if unshown is not None:
        diags.add("HF0757", f"{unshown}; the site, the PDFs and the EPUBs publish its stored colours, which look "
                            "otherwise", span)
    if shown in _TURNED:   # shown a quarter-turn from how it is stored
        size = (size[1], size[0])
    return hashlib.sha256(data).hexdigest(), size[0], size[1], fmt


def _decode(data: bytes) -> tuple[int, str]:
    """Decode every pixel of `data`, raising what Pillow raises for a broken stream, and
    give the Orientation Pillow reads of the whole file and where it is written
    (orientation_written: 1 if none or unreadable), which HF0756 weighs against what
    browsers apply.
    `verify()` checks an image's structure only (a PNG's chunk checksums), not a JPEG's
    scan data, a WebP's frame or a PNG's compressed pixels: a truncated or corrupt one
    passes it, and then fails every output mid-build. A JPEG is decoded at 1/8 scale
    (its DCT draft mode), which still reads every byte of the stream; a lossless one
    (no DCT to scale: libjpeg-turbo breaks off a scaled decoding of it, and such a
    portrait, which every output decodes whole and publishes, was refused as 'cut off
    or corrupt') whole."""
    frame = jpeg_frame(data)
    with Image.open(io.BytesIO(data), formats=FORMATS) as img:
        if img.format in ("JPEG", "MPO") and (frame is None or frame[0] not in _LOSSLESS_FRAMES):
            img.draft(img.mode, (max(1, img.width // 8), max(1, img.height // 8)))
        shown_load(img)   # the picture every output publishes (an APNG's still apart: its first frame too)
        return orientation_written(img)


def orientation_written(img: Image.Image) -> tuple[int, str]:
    """(the Orientation 1-8 Pillow's getexif() reads of `img`, loaded: 1 when there is
    none or its block cannot be read; the words saying where it is written, for HF0756).
    getexif() takes the tag from the EXIF block Pillow keeps (a JPEG's first APP1 that
    starts 'Exif\\0\\0', a PNG's eXIf wherever it lies, a WebP's EXIF chunk), else from
    the PNG text ImageMagick writes EXIF into ('Raw profile type exif') when there is no
    such block, else from XMP (tiff:Orientation). Where it is written is asked in that
    order: a WebP carrying the tag in its XMP alone was said to carry it 'in its EXIF
    chunk', which it has none of, and a JPEG's XMP was 'in its XMP, a PNG text chunk,
    or an eXIf chunk after the image data', a guess among three."""
    try:
        said = img.getexif().get(ORIENTATION, 1)
    except Exception:  # a damaged EXIF block: orientation_read says so
        return 1, ""
    if not (isinstance(said, int) and 1 <= said <= 8):
        return 1, ""
    block, fmt = img.info.get("exif"), _FORMAT_OF.get(img.format, img.format)
    place = {"PNG": "in an eXIf chunk after the image data, which browsers do not read"}.get(
        fmt, "in an EXIF block other than the one browsers read")
    text = img.info.get(_RAW_EXIF) if block is None and fmt == "PNG" else None
    if isinstance(text, str):   # hex after three lines (name, length), as getexif() reads it (it read it whole)
        block = bytes.fromhex("".join(text.split("\n")[3:]))
        place = "in a PNG text chunk (ImageMagick's 'Raw profile type exif'), which browsers do not read"
    if not block or _block_orientation(block) != said:
        return said, "in its XMP (tiff:Orientation), which browsers do not read"
    return said, place


_RAW_EXIF = "Raw profile type exif"   # the PNG text chunk ImageMagick writes an EXIF block into, in hex


def _block_orientation(block: bytes) -> object:
    """The Orientation Pillow reads of the EXIF `block` alone (its first directory's
    tag, as getexif() reads it before looking at XMP), None when it has none or
    cannot be read."""
    exif = Image.Exif()
    try:
        exif.load(block)
        return exif.get(ORIENTATION)
    except Exception:  # a block Pillow cannot follow: getexif() then took the tag from XMP
        return None


# A JPEG's lossless frames (SOF3, and SOF7, 11, 15: differential, arithmetic-coded),
# which have no DCT for a draft to scale.
_LOSSLESS_FRAMES = frozenset({0xC3, 0xC7, 0xCB, 0xCF})


def still_apart(img: Image.Image) -> bool:
    """Whether `img` (opened) is an APNG whose image data is no frame of its animation
    (APNG's default image, its first fcTL after the IDAT: a still for viewers that play
    no APNG). Browsers show the animation, so its first frame, which Pillow numbers 1:
    Pillow's frame 0 was published, a picture no browser shows (shown_load)."""
    return img.format == "PNG" and bool(img.info.get("default_image")) and getattr(img, "n_frames", 1) > 1


def shown_load(img: Image.Image) -> None:
    """strict_load of the picture a browser shows first of `img` (opened): an APNG's
    first frame when its still is apart from the animation (still_apart), else its one
    picture. Every output of a picture loads it so (the portraits' copies, the theme's)."""
    if still_apart(img):
        saved = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False   # as strict_load: a cut-off frame raises
        try:
            img.seek(1)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = saved
    strict_load(img)


def strict_load(img: Image.Image) -> None:
    """`img.load()` that raises OSError on a truncated stream whatever the process-wide
    `ImageFile.LOAD_TRUNCATED_IMAGES` says. WeasyPrint sets that flag to True when it is
    imported (weasyprint/images.py), so without this a cut-off image was refused or
    published grey-filled depending on whether the PDF exporter had been imported yet
    in this process (`foundry check` refused it, a build after a PDF passed it).
    Builds run one render at a time per process; nothing else decodes meanwhile."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        img.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


# A camera's multi-picture JPEG (CIPA DC-007 "MPO": a stereo pair, a depth map or a
# preview after the main picture; Fujifilm, Nintendo 3DS and many phones write them) is
# a JPEG file whose first picture is what every viewer and browser shows. Pillow names
# it MPO; it is published, named and typed as the JPEG it is (its first picture only).
_FORMAT_OF = {"MPO": "JPEG"}
# Formats whose frames a browser plays in turn (APNG, animated WebP). Every output shows
# one still (a sheet, a book, an <img> re-encoded without its frames): the first.
# An MPO's other pictures are never shown, so they are no animation to warn of.
_ANIMATED = frozenset({"PNG", "WEBP"})

# What starts a JPEG's EXIF block (APP1) as Chromium reads it: these five bytes and one
# more, whatever it is (orientation_read).
EXIF_SIGNATURE = b"Exif\x00"


def is_exif_segment(body: bytes) -> bool:
    """Whether a JPEG APP1 segment's `body` is an EXIF block as Chromium takes one: its
    signature, a pad byte (any) and something after them. One holding nothing past its
    pad byte (b'Exif\\0\\0' alone, an editor's emptied block) is passed over and the next
    one read: taken as the EXIF block, it hid a phone's Orientation behind it."""
    return body[:5] == EXIF_SIGNATURE and len(body) > 6

# EXIF Orientation values (1–8) whose transform swaps width and height.
_TURNED = frozenset({5, 6, 7, 8})
ORIENTATION = 0x0112


def viewer_orientation(img: Image.Image, info: dict | None = None) -> int:
    """The Orientation (1-8) a browser turns `img` by (orientation_read)."""
    return orientation_read(img, info)[0]


def orientation_read(img: Image.Image, info: dict | None = None) -> tuple[int, str | None]:
    """(the Orientation 1-8 a browser turns `img` by, why the file's own Orientation is
    not applied, or None): the tag of its EXIF block as exif_reading reads it, 1 when
    there is none; `info` is the image's info as opened (opened_info), img.info when not
    given. Not Pillow's getexif(), which also takes the tag from XMP (tiff:Orientation)
    and from the PNG text ImageMagick writes ('Raw profile type exif') when the EXIF
    block has none: Chromium and Firefox read neither, so a portrait carrying only those
    was published turned where every browser shows the file upright. A WebP's EXIF
    chunk is read as a PNG's eXIf is, though Chromium shows a WebP as stored whatever
    Orientation it carries (its WebP decoder reads no EXIF): photo apps, Pillow's
    exif_transpose and WebKit turn it, and so a phone's WebP portrait published as
    stored was sideways beside what its writer saw; its copies are turned and carry no
    orientation, so every viewer shows them alike (an animated one's published first
    frame too). A JPEG's EXIF block is the first APP1 segment that starts
    'Exif\\0' and one byte more, whatever that byte is, and holds more (is_exif_segment),
    as Chromium reads it (Skia's JPEG metadata decoder): Pillow takes only 'Exif\\0\\0',
    so a phone photo whose block was padded with 0xFF was published sideways where the
    browser showed it upright. An AVIF is turned by its irot and imir, which Pillow
    writes into its EXIF's first directory: only that directory is read (an Orientation
    in its EXIF item's Exif sub-directory is none Chromium applies to an AVIF). A TIFF
    (a print theme's) is 1: Pillow turns it by its Orientation tag as it loads it (as
    Preview, Photoshop and Safari show it), in WeasyPrint too, whatever the theme's
    `image-orientation` says."""
    if img.format in ("JPEG", "MPO"):
        raw = next((body[6:] for marker, body in getattr(img, "applist", ())
                    if marker == "APP1" and is_exif_segment(body)), None)
    else:   # Pillow's block, 'Exif\\0\\0' before the TIFF header (the PNG's: _first_exif), or a WebP's chunk
        raw = (img.info if info is None else info).get("exif")
        raw = raw[6:] if raw and raw[:6] == b"Exif\x00\x00" else raw
    return exif_reading(raw, sub_directory=img.format != "AVIF") if raw else (1, None)


def exif_orientation(raw: bytes) -> int:
    """The Orientation browsers turn a picture by from its EXIF block `raw`, its TIFF
    header first (exif_reading)."""
    return exif_reading(raw)[0]


_TIFF_TYPES = {1: "a BYTE", 2: "text", 4: "a LONG", 5: "a RATIONAL", 6: "an SBYTE", 7: "UNDEFINED bytes",
               8: "an SSHORT", 9: "an SLONG", 10: "an SRATIONAL", 11: "a FLOAT", 12: "a DOUBLE"}


def exif_reading(raw: bytes, sub_directory: bool = True) -> tuple[int, str | None]:
    """(the Orientation an EXIF block — a TIFF header and its directories: a JPEG's APP1
    after its signature and pad byte, a PNG's eXIf chunk — gives as Chromium reads it,
    why the block's own Orientation is not that one, or None). A block that begins
    'Exif\\0\\0' again (a JPEG's signature written twice, a PNG's eXIf written with the
    JPEG's signature, as some writers do) starts with no TIFF header, and Chromium reads
    no Orientation from it: it was read past that signature, so such a JPEG was published
    turned, and such a theme's APNG was given an Orientation browsers then applied, where
    Chromium shows both files as stored. Chromium (Skia's SkExif) walks the first directory's entries in
    their order, and the Exif sub-directory (tag 0x8769, one LONG) where the first
    directory's entry points to it (`sub_directory`), and takes the first Orientation
    of type SHORT and count 1 valued 1-8; an Orientation otherwise written is passed
    over for a later one, and none at all is 1, as stored. A directory cut off at the
    block's end is read as far as its whole entries go. Pillow reads the first
    directory's tag alone, whatever its type and count: a file whose Orientation was
    written as a LONG or SSHORT (or two SHORTs) alone was published turned where every
    browser shows it as stored, and one whose Orientation is in its Exif sub-directory
    only (an app that wrote it with the camera's other tags), or that writes a second,
    usable Orientation after one written as a LONG or valued 0, was published sideways
    where Chromium shows it upright. Why the block's Orientation is not applied is said
    to the writer (HF0756: a photo so written looks turned in some viewers and not in a
    browser), as is a block whose first directory cannot be followed (an offset past its
    end): browsers read no orientation from it, and Pillow printed 'Corrupt EXIF data'
    with no file named."""
    import struct
    tiff = raw
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8 or struct.unpack_from(order + "H", tiff, 2)[0] != 42:
        return 1, "its EXIF block does not start with a TIFF header"
    (first,) = struct.unpack_from(order + "I", tiff, 4)
    if first + 2 > len(tiff):
        return 1, f"its EXIF block's first directory is at byte {first:,}, past the block's end ({len(tiff):,} bytes)"
    passed: list[str] = []   # why each Orientation met was not applied, in the order met
    cut = False
    # A first directory of 65,535 entries each pointing at a sub-directory of as many
    # (the first directory itself) was 4 billion entries read: the same sub-directory is
    # walked once, and past _EXIF_ENTRIES entries read in all the rest is not read (no
    # camera writes a thousandth of that; the picture is then shown as stored).
    walked: set[int] = set()
    budget = _EXIF_ENTRIES

    def walk(at: int, root: bool) -> int | None:
        nonlocal cut, budget
        if at + 2 > len(tiff) or at in walked:
            return None
        walked.add(at)
        (count,) = struct.unpack_from(order + "H", tiff, at)
        whole = min(count, (len(tiff) - at - 2) // 12)   # the entries the block holds whole
        cut = cut or (root and whole < count)
        whole = min(whole, budget)
        budget -= whole
        for n in range(whole):
            entry = at + 2 + 12 * n
            tag, kind, values = struct.unpack_from(order + "HHI", tiff, entry)
            if tag == ORIENTATION:
                form = {3: "H", 4: "I", 8: "h", 9: "i"}.get(kind) if values == 1 else None
                value = struct.unpack_from(order + form, tiff, entry + 8)[0] if form else None
                if kind == 3 and value is not None and 1 <= value <= 8:
                    return value
                passed.append(_unread_orientation(kind, values, value))
            elif tag == _EXIF_DIRECTORY and root and sub_directory and kind == 4 and values == 1:
                found = walk(struct.unpack_from(order + "I", tiff, entry + 8)[0], False)
                if found is not None:
                    return found
        return None

    found = walk(first, True)
    if found is not None:
        return found, None
    if passed:
        return 1, passed[0]
    return 1, ("its EXIF block's first directory runs past the block's end" if cut else None)


# The tag of the Exif sub-directory's offset in the first directory (TIFF/EP ExifIFD).
_EXIF_DIRECTORY = 0x8769
# The most entries of an EXIF block's directories read for its Orientation (a camera's
# block has ~10-100).
_EXIF_ENTRIES = 65_536


def _unread_orientation(kind: int, values: int, value: int | None) -> str | None:
    """Why an Orientation entry of TIFF type `kind`, `values` long, reading `value`
    (None when not one number), is not the one browsers apply; None for an upright one
    however it is written (it says what browsers show)."""
    if value == 1:
        return None
    if values != 1:
        return f"its EXIF Orientation holds {values} values, not the one browsers read"
    if kind != 3:
        return (f"its EXIF Orientation ({value}) is written as " if value is not None else
                "its EXIF Orientation is written as ") + \
            f"{_TIFF_TYPES.get(kind, f'type {kind}')}, not as the one SHORT browsers read"
    return f"its EXIF Orientation is {value}, which is none of the values 1 to 8"


# How each Orientation is undone (as ImageOps.exif_transpose does it).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
            4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
            6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
            8: Image.Transpose.ROTATE_90}


_ALPHA_MODES = ("RGBA", "RGBa", "LA", "La", "PA")
# A print profile a CMYK photo carries is a table of colours: ECI's ISO Coated v2 is
# 1.8 MB and PSO Coated v3 2.2 MB, past the 1 MB once allowed here (the profile was
# dropped and the picture published in other colours than a browser shows). Firefox
# reads profiles up to 4 MB (qcms MAX_PROFILE_SIZE); so does this.
MAX_ICC_BYTES = 4 * 1024 * 1024
# Pillow refuses a PNG whose compressed chunk (iCCP, like zTXt) decompresses past 1 MB
# ("Decompressed data too large"): such a portrait was HF0702 "not a readable PNG" though
# every viewer shows it. Its chunks may hold a profile of the size read above.
PngImagePlugin.MAX_TEXT_CHUNK = max(PngImagePlugin.MAX_TEXT_CHUNK, MAX_ICC_BYTES)


def _first_exif(stream, pos: int, length: int) -> bytes:
    """Pillow's eXIf chunk reader, keeping the first eXIf of a PNG as libpng and Chromium
    do (a second is a duplicate they ignore): Pillow kept the last, so a PNG holding two
    (an editor's added to a camera's) was published turned where browsers showed it
    upright, or upright where they showed it turned. Each image's info is filled by it,
    so the probe, the renders and WeasyPrint's reading of a theme's picture all see the
    eXIf browsers read."""
    body = ImageFile._safe_read(stream.fp, length)
    stream.im_info.setdefault("exif", b"Exif\x00\x00" + body)
    return body


PngImagePlugin.PngStream.chunk_eXIf = _first_exif


def _first_cicp(stream, pos: int, length: int) -> bytes:
    """A PNG's cICP chunk (H.273's primaries, transfer, matrix and range, which browsers
    apply before any other colour chunk: png_colour.cicp_profile) into the image's info
    as `cicp`, the first of well-formed length: Pillow reads none."""
    body = ImageFile._safe_read(stream.fp, length)
    if length == 4:
        stream.im_info.setdefault("cicp", tuple(body))
    return body


PngImagePlugin.PngStream.chunk_cICP = _first_cicp


def _keeping_first(key: str, read):
    """Pillow's reader `read` of a PNG colour chunk that fills the image's info[`key`],
    keeping what the first such chunk gave, as browsers do (libpng, and Chromium, take a
    second gAMA, cHRM or tRNS as a duplicate and ignore it): Pillow kept the last, so a
    PNG holding two (an editor's gAMA 1/2.2 written after a renderer's 1.0) was
    published at 64 where the browser showed 137, and one whose second tRNS made
    another colour see-through had that colour's pixels published transparent."""
    def chunk(stream, pos: int, length: int) -> bytes:
        had = stream.im_info.get(key, _ABSENT)
        body = read(stream, pos, length)
        if had is not _ABSENT:
            stream.im_info[key] = had
        return body
    return chunk


_ABSENT = object()


def _first_iccp(stream, pos: int, length: int) -> bytes:
    """Pillow's iCCP reader, keeping the first iCCP as browsers do (a second is a
    duplicate they ignore; Pillow kept the last: a PNG holding a swapped-primaries
    profile then an sRGB one was published in other colours than Chromium shows), and
    taking one whose compression method is not zlib's (0) as a profile no one can read
    (shown_profile then passes it over for the gAMA, as Chromium does) where Pillow
    refused the whole file: HF0702 for a picture every browser shows. One that
    decompresses past MAX_ICC_BYTES is refused as Pillow refuses it."""
    import zlib
    body = ImageFile._safe_read(stream.fp, length)
    if "icc_profile" in stream.im_info:
        return body
    _name, _, rest = body.partition(b"\0")
    profile = None
    if rest[:1] == b"\0":
        try:
            profile = PngImagePlugin._safe_zlib_decompress(rest[1:])
        except zlib.error:
            profile = None
        except ValueError:   # past MAX_TEXT_CHUNK
            if not ImageFile.LOAD_TRUNCATED_IMAGES:
                raise
    stream.im_info["icc_profile"] = profile
    return body


PngImagePlugin.PngStream.chunk_iCCP = _first_iccp
PngImagePlugin.PngStream.chunk_gAMA = _keeping_first("gamma", PngImagePlugin.PngStream.chunk_gAMA)
PngImagePlugin.PngStream.chunk_cHRM = _keeping_first("chromaticity", PngImagePlugin.PngStream.chunk_cHRM)


def _shown_trns(read):
    """Pillow's tRNS reader `read`, passing over a tRNS that Chromium takes as invalid
    and ignores: of a palette PNG, one before the PLTE or of more entries
    than it has (Pillow kept 300 alphas for an 8-colour palette, and converting the
    picture raised 'palette index out of range': an internal error mid-build for a
    file every browser shows opaque); of a grey or RGB one, one shorter than a sample
    per channel (Pillow refused the whole file: HF0702 for a picture Chromium shows)."""
    def chunk(stream, pos: int, length: int) -> bytes:
        if stream.im_mode == "P":
            fits = stream.im_palette is not None and 0 < length <= len(stream.im_palette[1]) // 3
        else:
            fits = length >= (6 if stream.im_mode == "RGB" else 2)   # Chromium reads the first sample(s) of a longer one
        return read(stream, pos, length) if fits else ImageFile._safe_read(stream.fp, length)
    return chunk


PngImagePlugin.PngStream.chunk_tRNS = _keeping_first("transparency", _shown_trns(PngImagePlugin.PngStream.chunk_tRNS))


# A PNG chunk's checksum (CRC) judged as Chromium judges it (libpng's reading): an
# ancillary chunk (its name's first letter lower-case: tEXt, eXIf, gAMA, iCCP, tRNS…)
# whose checksum is wrong is dropped, the picture shown without it, and the image
# data's (IDAT) is not asked at all; a wrong one in IHDR or PLTE leaves nothing shown.
# Pillow refused the whole file for any of them ('bad header checksum'): a portrait
# whose text chunk a metadata tool rewrote without its checksum was HF0702 'cut off or
# corrupt' where every browser shows it. APNG's own chunks (acTL, fcTL, fdAT) are
# judged as before: dropping one would make frames Chromium does not show.
_APNG_CHUNKS = frozenset({b"acTL", b"fcTL", b"fdAT"})


def _unchecked(cid: bytes) -> bool:
    """Whether a chunk named `cid` is one whose wrong checksum does not refuse the file."""
    return cid == b"IDAT" or (len(cid) == 4 and bool(cid[0] & 0x20) and cid not in _APNG_CHUNKS)


def _whole(fp, cid: bytes, pos: int, length: int) -> bool:
    """Whether the chunk `cid` whose `length` bytes start at `pos` of `fp` ends in its
    right checksum (read ahead; `fp` left where it was)."""
    import zlib
    at = fp.tell()
    try:
        fp.seek(pos)
        data = fp.read(length + 4)
    finally:
        fp.seek(at)
    return len(data) == length + 4 and zlib.crc32(data[:length], zlib.crc32(cid)) == int.from_bytes(data[length:], "big")


def _call_whole(call):
    """Pillow's chunk dispatch `call`, passing over an ancillary chunk whose checksum is
    wrong (its bytes read and nothing taken from them), as libpng drops it."""
    def dispatch(stream, cid: bytes, pos: int, length: int) -> bytes:
        if _unchecked(cid) and cid != b"IDAT" and not _whole(stream.fp, cid, pos, length):
            return ImageFile._safe_read(stream.fp, length)
        return call(stream, cid, pos, length)
    return dispatch


def _crc_shown(crc):
    """Pillow's checksum check `crc`, which no longer refuses the file for a chunk whose
    wrong checksum Chromium passes over (_unchecked: one before the image data was
    dropped by _call_whole already)."""
    def check(stream, cid: bytes, data: bytes) -> None:
        if _unchecked(cid):
            stream.crc_skip(cid, data)
            return
        crc(stream, cid, data)
    return check


PngImagePlugin.PngStream.call = _call_whole(PngImagePlugin.PngStream.call)
PngImagePlugin.PngStream.crc = _crc_shown(PngImagePlugin.PngStream.crc)


def shown_profile(img: Image.Image, info: dict) -> bytes | None:
    """The colour profile a browser shows `img` through (`info`: its info as opened):
    a PNG's cICP, which comes first, else its embedded profile, else a PNG's gAMA/cHRM
    as a profile (png_colour); None when it has none of these. A PNG's embedded profile
    that cannot be read as one (cut off, or not a profile) is passed over for its
    gAMA/cHRM, as Chromium passes it over: a linear PNG whose iCCP was broken was
    published as stored, its grey 64 where the browser shows 137. A JPEG's is read
    from its APP2 segments as Chromium reads it (jpeg_profile)."""
    if img.format in ("JPEG", "MPO"):
        return jpeg_profile(getattr(img, "applist", ()))
    if img.format == "WEBP" and info.get(WEBP_ANIMATION):
        return None   # Chromium colour-manages a still WebP only (webp_animation)
    if img.format == "GIF":
        return None   # Chromium applies no GIF's profile (an ICCRGBG1 extension)
    if img.format == "AVIF" and not info.get("icc_profile"):
        return cicp_profile(info, img.mode) or None   # its nclx (opened_info), as Chromium applies it
    if img.format != "PNG":
        return info.get("icc_profile")
    cicp = cicp_profile(info, img.mode)
    if cicp is not None:
        return cicp or None   # b"": sRGB's, whatever an iCCP or gAMA says
    icc = info.get("icc_profile")
    if icc and _readable_profile(icc):
        return icc
    return profile_of({key: value for key, value in info.items() if key != "icc_profile"}, img.mode)


ICC_SIGNATURE = b"ICC_PROFILE\0"


def jpeg_profile(applist) -> bytes | None:
    """The colour profile of a JPEG whose segments before its scan are `applist`
    (Pillow's: (name, body) pairs), as Chromium reads it (Skia's JPEG metadata decoder):
    its APP2 segments that start 'ICC_PROFILE\\0', taken in the file's order, each
    giving its part number and the number of parts (one byte each) and holding more
    than those; a part number of 0 or past the count, a count unlike the first one's,
    a part twice, a count of 0, or a part missing gives no profile at all; reading stops
    at the segment that completes the set. Pillow sorts every such segment and takes
    them only when their number is the first one's count: a file holding a second
    profile after a complete one (an editor's added) was published without any, where
    Chromium applies the first, and one numbering its parts from 0 through the profile
    Chromium refuses. None when there is none."""
    parts: list[bytes | None] = []
    found = 0
    for marker, body in applist:
        if marker != "APP2" or not body.startswith(ICC_SIGNATURE) or len(body) <= len(ICC_SIGNATURE) + 2:
            continue
        index, count = body[len(ICC_SIGNATURE)], body[len(ICC_SIGNATURE) + 1]
        if not count or not 1 <= index <= count or (parts and len(parts) != count):
            return None
        if not parts:
            parts = [None] * count
        if parts[index - 1] is not None:
            return None
        parts[index - 1] = body[len(ICC_SIGNATURE) + 2:]
        found += 1
        if found == count:
            return b"".join(parts)
    return None


def _readable_profile(icc: bytes) -> bool:
    """Whether LittleCMS reads `icc` as a colour profile (one over MAX_ICC_BYTES is
    taken as one: _to_srgb leaves it unapplied, as before)."""
    if len(icc) > MAX_ICC_BYTES:
        return True
    from PIL import ImageCms
    try:
        ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except Exception:  # ImageCms raises OSError, TypeError or its own PyCMSError for bytes that are no profile
        return False
    return True


def opened_info(img: Image.Image) -> dict:
    """A copy of `img`'s info as the file was opened, before its pixels are loaded:
    what a browser reads of it. Loading reads a PNG's chunks after its image data into
    the same info (an eXIf, an iCCP, a gAMA there), which Chromium ignores (libpng
    takes them as out of place), as do the probe and WeasyPrint: read after loading,
    such a portrait was published turned while its page declared the size as stored,
    or in other colours than the browser shows. A PNG's also holds how its samples are
    stored (PNG_SAMPLES: Pillow's raw mode, "LA;16B" for a 16-bit grey+alpha it reads as
    RGBA), and, for a 16-bit RGB with a see-through colour, the low byte of each sample
    (KEY_LOW, a second decoding of the file, which only such a PNG pays): what key_alpha
    compares at the file's own depth. A WebP's holds whether it is an animation
    (WEBP_ANIMATION: webp_animation), whose profile Chromium does not apply; an AVIF's,
    its primary picture's nclx colour as a PNG's cICP (`cicp`: heif_colour.avif_cicp),
    which Chromium applies when it has no ICC profile and Pillow does not read."""
    info = dict(img.info)
    if img.format == "WEBP":
        info[WEBP_ANIMATION] = webp_animation(img)
    if img.format == "GIF" and img.tile:
        info[GIF_FRAME] = tuple(img.tile[0].extents)
    if img.format == "AVIF":
        cicp = avif_cicp(_file_bytes(img))
        if cicp is not None:   # of samples libavif has made full-range RGB: matrix 0, full range
            info["cicp"] = (cicp[0], _AVIF_SRGB_CURVES.get(cicp[1], cicp[1]), 0, 1)
    if img.format == "PNG" and img.tile and isinstance(img.tile[0].args, str):
        info[PNG_SAMPLES] = img.tile[0].args
        if info[PNG_SAMPLES] == "RGB;16B" and "transparency" in info:
            info[KEY_LOW] = _low_bytes(img)
    return info


# The SDR video curves (H.273 transfer 1, BT.709; 6, BT.601; 14 and 15, BT.2020's) that
# Chromium's AVIF decoder draws as sRGB's curve (13), which they nearly are: an AVIF of
# BT.709 primaries and curve (ffmpeg's, a camera's) is shown as its stored values, one
# of Display P3's under BT.709's curve as P3 under sRGB's. (Its PNG decoder takes a
# cICP's BT.709 curve as BT.1886's 2.4 power: png_colour._CICP_TRANSFERS.) Read as
# BT.1886's, such a print theme's AVIF printed darker than the browser shows it: a
# stored (200, 60, 40) as (197, 50, 28).
_AVIF_SRGB_CURVES = {1: 13, 6: 13, 14: 13, 15: 13}


def _file_bytes(img: Image.Image) -> bytes:
    """The bytes of the file `img` (opened, not yet loaded) was opened from."""
    at = img.fp.tell()
    try:
        img.fp.seek(0)
        return img.fp.read(MAX_BYTES + 1)
    finally:
        img.fp.seek(at)


def webp_animation(img: Image.Image) -> bool:
    """Whether `img`, a WebP opened and not yet loaded, says it is an animation (its
    VP8X header's animation flag), however many frames it holds. Chromium shows such a
    file's frames as stored, its colour profile unapplied (an ICCP chunk is applied to
    a still WebP only): an animated portrait, or a print theme's, under a profile was
    published converted through it, in other colours than the browser shows the file.
    Asked of the flag, not of Pillow's frame count: Chromium ignores the profile of an
    animation of one frame too, which Pillow reads as a still."""
    fp = img.fp
    if fp is None:
        return False
    at = fp.tell()
    try:
        fp.seek(0)
        head = fp.read(21)
    finally:
        fp.seek(at)
    return len(head) == 21 and head[12:16] == b"VP8X" and bool(head[20] & _ANIMATION_FLAG)


_ANIMATION_FLAG = 0x02   # of a VP8X header's flags byte (RFC 9649, 2.7)


def misread_key(opened: dict) -> bool:
    """Whether the image opened so (opened_info) is a PNG whose see-through colour
    Pillow misreads (_MISREAD_KEY): key_alpha reads it."""
    return opened.get(PNG_SAMPLES) in _MISREAD_KEY and "transparency" in opened


# A PNG of one colour type and depth whose tRNS chunk names the one grey or colour that
# is see-through (PNG 11.3.2.1), which Pillow misreads, by how its samples are stored:
# a grey of 2 or 4 bits (Pillow scales the pixels to 8 bits and compares them with the
# key unscaled: nothing matched), of 16 bits (the key left behind when the samples are
# made 8-bit) and a 16-bit RGB (8-bit pixels compared with a 16-bit key). Browsers make
# each such pixel transparent, comparing at the file's depth; an optimiser (oxipng,
# pngcrush) writes a black-and-transparent icon as 2-bit grey with a key, and the site,
# the PDFs and the EPUBs showed its see-through background as a grey box.
_MISREAD_KEY = frozenset({"L;2", "L;4", "I;16B", "RGB;16B"})
PNG_SAMPLES, KEY_LOW = "foundry:png samples", "foundry:png low bytes"   # opened_info's own entries
WEBP_ANIMATION = "foundry:webp animation"   # and a WebP's: webp_animation
GIF_FRAME = "foundry:gif frame"   # and a GIF's: the box its first frame fills (uncovered)


def uncovered(opened: dict, size: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box (left, top, right, bottom) of a GIF opened so (opened_info) whose first
    frame fills less than its logical screen (`size`), or None. Browsers show the rest
    of the screen see-through; Pillow fills it with the palette's first colour (or the
    frame's see-through one, when it has one), so a print theme's GIF cropped to its
    drawing (gifsicle --crop-transparency, an optimiser's) printed in a box of black
    or of its first colour around it. viewed_bytes gives it as a browser shows it.
    A first frame of a see-through colour is shown so by Pillow too: None."""
    box = opened.get(GIF_FRAME)
    if box is None or "transparency" in opened:
        return None
    left, top, right, bottom = box
    return None if left <= 0 and top <= 0 and right >= size[0] and bottom >= size[1] else box


def _low_bytes(img: Image.Image) -> Image.Image:
    """The low byte of each sample of a 16-bit RGB PNG `img` (not yet loaded), as an
    RGB image: its data decoded again, read little-endian (Pillow keeps a 16-bit
    sample's high byte only; its RGB;16L unpacker takes the other of the pair)."""
    at = img.fp.tell()
    img.fp.seek(0)
    data = img.fp.read(MAX_BYTES + 1)
    img.fp.seek(at)
    with Image.open(io.BytesIO(data), formats=["PNG"]) as low:
        low.tile = [tile._replace(args="RGB;16L") for tile in low.tile]
        strict_load(low)
        return low.copy()


def key_alpha(img: Image.Image, opened: dict) -> Image.Image | None:
    """The alpha (mode L: 0 where see-through, 255 elsewhere) the tRNS key of a PNG
    Pillow misreads (_MISREAD_KEY) gives `img` (loaded, as stored), comparing each
    pixel with the key at the file's depth as browsers do (a key past the depth's
    largest value, which browsers ignore: all opaque); None for any other image."""
    if not misread_key(opened):
        return None
    raw, key = opened[PNG_SAMPLES], opened["transparency"]
    if raw in ("L;2", "L;4"):
        top = (1 << int(raw[-1])) - 1
        if not isinstance(key, int) or key > top:   # Pillow matched 17 to a 4-bit grey's 1 (17 scaled)
            return Image.new("L", img.size, 255)
        shown = key * 255 // top   # Pillow's scaling of the samples
        return img.convert("L").point(lambda v: 255 if v != shown else 0)
    if raw == "I;16B":
        if not isinstance(key, int):
            return None
        data = img.tobytes("raw", "I;16")   # little-endian: each sample's low byte first
        return _opaque_unless(Image.frombytes("L", img.size, data[1::2]), Image.frombytes("L", img.size, data[0::2]),
                              (key >> 8,), (key & 255,))
    low = opened.get(KEY_LOW)
    if not isinstance(key, tuple) or len(key) != 3 or low is None or low.size != img.size:
        return None
    return _opaque_unless(img.convert("RGB"), low, tuple(k >> 8 for k in key), tuple(k & 255 for k in key))


def _opaque_unless(high: Image.Image, low: Image.Image, key_high: tuple, key_low: tuple) -> Image.Image:
    """An alpha (mode L): 0 where every channel's high byte (`high`, an L or RGB image)
    and low byte (`low`, alike) is the key's (`key_high`, `key_low`: a value a channel),
    255 where any differs."""
    from PIL import ImageChops

    def key(values: tuple) -> Image.Image:
        return Image.new(high.mode, high.size, values if len(values) > 1 else values[0])
    differs = ImageChops.add(ImageChops.difference(high, key(key_high)), ImageChops.difference(low, key(key_low)))
    alpha, *others = differs.split()
    for channel in others:
        alpha = ImageChops.lighter(alpha, channel)
    return alpha.point(lambda v: 255 if v else 0)


def beyond_palette(img: Image.Image) -> bool:
    """Whether `img` (opened) is a palette PNG some of whose pixels name an entry past
    its PLTE's last (a writer's bug PNG forbids; libpng and Chromium show it all the
    same). Loads the pixels, strictly (strict_load)."""
    if img.format != "PNG" or img.mode != "P":
        return False
    entries = len(img.getpalette() or ()) // 3
    if not 0 < entries < 256:
        return False
    strict_load(img)
    return img.getextrema()[1] >= entries


def padded_palette(img: Image.Image) -> Image.Image:
    """A copy of the palette image `img` whose palette is padded to 256 entries with its
    last colour, and its last alpha, as Chromium pads it (Skia's PNG decoder): Pillow
    pads with opaque black, so pixels naming an entry past the PLTE were published
    black where the browser shows them in the palette's last colour."""
    palette = img.getpalette()
    entries = len(palette) // 3
    key = img.info.get("transparency")
    alphas = (list(key) + [255] * (entries - len(key)) if isinstance(key, bytes)
              else [0 if i == key else 255 for i in range(entries)] if isinstance(key, int) else None)
    padded = img.copy()
    padded.putpalette(palette + palette[-3:] * (256 - entries))
    if alphas is not None:
        padded.info["transparency"] = bytes(alphas[:entries] + [alphas[entries - 1]] * (256 - entries))
    return padded


def as_viewed(img: Image.Image, opened: dict) -> Image.Image:
    """`img` (any mode Pillow reads from PNG, JPEG or WebP) as RGB or RGBA pixels the
    way a viewer shows it: EXIF orientation applied, 16-bit samples scaled (not
    clipped to white), palette and grey transparency kept, CMYK and other colour
    profiles converted to sRGB (a PNG's gAMA and cHRM read as the profile they
    describe, load/png_colour.py). The metadata is `opened`, the image's info as the
    file was opened (opened_info), read here before anything drops it."""
    icc = shown_profile(img, opened)   # a PNG's cICP, gAMA and cHRM too, as browsers apply them
    has_alpha = img.mode in _ALPHA_MODES or "transparency" in opened
    if beyond_palette(img):
        img = padded_palette(img)
    alpha = key_alpha(img, opened)   # read before the samples are scaled: at the file's depth
    turn = _UPRIGHT.get(viewer_orientation(img, opened))
    if turn is not None:
        img = img.transpose(turn)
        alpha = alpha.transpose(turn) if alpha is not None else None
    if img.mode.startswith("I") or img.mode == "F":   # 16-bit (or deeper) grey: 0–65535 → 0–255
        img = img.convert("I").point(lambda v: v / 257).convert("L")
    if alpha is not None:   # L → LA, RGB → RGBA: Pillow's own reading of the key no longer applies
        img = img.convert("L" if img.mode == "L" else "RGB")
        img.putalpha(alpha)
    if icc and img.mode in ("P", "PA"):
        # a palette's colours are in the profile's space as an RGB image's pixels are (a
        # viewer converts them): made RGB first, so the profile is applied to them too
        img = img.convert("RGBA" if has_alpha else "RGB")
    frame = uncovered(opened, img.size)
    if frame is not None:   # the screen around a GIF's first frame: see-through
        shown = Image.new("RGBA", img.size, (0, 0, 0, 0))
        shown.paste(img.convert("RGBA").crop(frame), frame[:2])
        return shown
    converted = _to_srgb(img, icc, "RGBA" if has_alpha else "RGB", opened.get(PNG_SAMPLES) == "LA;16B")
    if converted is not None:
        return converted
    return img.convert("RGBA" if has_alpha else "RGB")


def printed_picture(data: bytes) -> bool:
    """Whether `data` is, by its bytes, a picture viewed_bytes gives as viewed (a PNG,
    JPEG, WebP, GIF, TIFF or AVIF), whatever its file is named: WeasyPrint sniffs what it is
    given (a raster named `logo.svg` fails as SVG, then is drawn by Pillow), so a print
    theme's photo so named went to the PDF as written, its GPS position and camera
    inside, turned as WeasyPrint reads it and in its stored colours."""
    return image_kind(data) in _PRINTED_KINDS


_PRINTED_KINDS = frozenset({"a PNG", "a JPEG", "a WebP", "a GIF", "a TIFF", "an AVIF"})


def misnamed(name: str, data: bytes) -> tuple[str, str] | None:
    """(why, hint) for HF0758 when the site file `name` holds `data`, a picture browsers
    show nothing of under that name, or None. A browser picks an SVG by the type a
    server sends, which follows the name (image/svg+xml for `.svg`), and any other
    picture by its bytes: a PNG named `logo.svg` is read as a drawing and fails, an SVG
    named `logo.png` is never read as one; both are broken images on the site (and on
    a page opened from disk), while WeasyPrint, which tries both, prints them. A JPEG
    named `.png` is shown (by its bytes), and says nothing; a HEIC named `.jpg` (a TIFF
    named `.png`…) is decoded by no browser whatever its name (_UNDECODED)."""
    stem, dot, suffix = name.rpartition(".")
    suffix = suffix.lower() if dot else ""
    # a drawing's root may come past the first KiB (an editor's DOCTYPE of entities before it)
    kind = image_kind(data, head=65536 if suffix in _PICTURE_SUFFIXES else 1024)
    if suffix == "svg" and kind in _SNIFFED:
        right = _SNIFFED[kind]
        return (f"{name} is {kind} named .svg: browsers take a file so named for an SVG drawing and show nothing of it",
                f"Rename it {stem}.{right} (and its links), or export the drawing itself as SVG.")
    if suffix in _PICTURE_SUFFIXES and kind == "an SVG":
        return (f"{name} is an SVG drawing named .{suffix}: browsers read a drawing only under an .svg name and "
                "show nothing of it", f"Rename it {stem}.svg (and its links), or export it as {suffix.upper()}.")
    if suffix in _PICTURE_SUFFIXES and kind in _UNDECODED:
        return (f"{name} is {kind} named .{suffix}: browsers decode no such picture and show nothing of it",
                refusal(data[:1024])[1] or "Convert it to PNG, JPEG or WebP.")
    return None


# The pictures browsers know by their bytes, whatever their name, and the name each goes by.
_SNIFFED = {"a PNG": "png", "a JPEG": "jpg", "a WebP": "webp", "a GIF": "gif", "an AVIF": "avif", "a BMP": "bmp",
            "an ICO": "ico"}
_PICTURE_SUFFIXES = frozenset({"png", "apng", "jpg", "jpeg", "jfif", "pjpeg", "pjp", "webp", "gif", "avif", "bmp",
                               "ico"})


# Pictures no browser decodes, named as one it does: a phone's HEIC renamed photo.jpg, a
# scanner's TIFF named scan.png (Chromium shows nothing of either; renaming does not help).
_UNDECODED = frozenset({"a HEIC", "a TIFF", "a Photoshop (PSD)", "a JPEG XL", "a QOI", "a PDF", "a PostScript (EPS)"})


@functools.lru_cache(maxsize=64)
def viewed_bytes(data: bytes) -> bytes:
    """A theme's image file (PNG, JPEG or WebP) as a viewer shows it, for the books:
    WeasyPrint draws an image's stored values and drops its colour profile (and a PNG's
    gAMA/cHRM), so a print theme's picture under a profile other than sRGB (an Adobe RGB
    or CMYK export) printed in other colours than its designer saw. Such an image is
    converted (as_viewed) and given as a PNG. So is every picture a browser turns, and
    one WeasyPrint would turn otherwise than a browser does (_weasyprint_orientation):
    left to WeasyPrint, a turn obeyed the theme's `image-orientation`, so under `none` a
    photo whose EXIF Pillow reads printed sideways beside one padded otherwise (turned
    here) and beside the site's copy and every portrait, whose pixels are turned
    whatever the stylesheets say. So is an AVIF turned or mirrored (its irot and imir,
    which Pillow gives as an EXIF Orientation and browsers apply) or under a profile:
    left to WeasyPrint, a theme's AVIF exported under Display P3 or Adobe RGB printed
    in its stored values, and one turned by its irot printed sideways under
    `image-orientation: none`. So is a PNG whose see-through colour Pillow misreads
    (key_alpha), as WeasyPrint reads it with Pillow: its background printed as a grey
    box. So is a picture WeasyPrint would embed otherwise than a browser shows it
    (_PRINTED_AS_STORED: a CMYK JPEG, a 16-bit grey PNG), and a JPEG coded otherwise than
    PDF's DCTDecode defines (pdf_decodes_jpeg: a lossless or arithmetic-coded one), whose
    bytes WeasyPrint would embed as they are. When neither is turned and
    its profile changes nothing or
    it has none, its own pictures without their metadata blocks (metadata_chunks.py):
    WeasyPrint embeds a JPEG with no EXIF block byte for byte, so a print theme's photo
    put the GPS position of its XMP, its IPTC and its comments into every PDF. Anything
    else (an SVG, a font: WeasyPrint reads those) is `data` itself."""
    try:
        with Image.open(io.BytesIO(data), formats=printed_formats()) as img:
            opened = opened_info(img)   # before the pixels are loaded (as_viewed)
            icc = shown_profile(img, opened)
            # a PNG whose see-through colour Pillow misreads is converted: so would WeasyPrint misread it
            # and an APNG whose still is apart from its animation, which WeasyPrint would print
            # and a picture whose samples WeasyPrint embeds otherwise than a browser shows them (_PRINTED_AS_STORED),
            # and a palette PNG whose pixels name entries past its palette, which WeasyPrint prints black
            # and a GIF whose first frame leaves some of its screen uncovered, which Pillow fills
            # and a JPEG coded as no PDF reader need decode it (pdf_decodes_jpeg), whose bytes WeasyPrint embeds
            if _weasyprint_orientation(img) == viewer_orientation(img) == 1 and not misread_key(opened) \
                    and not still_apart(img) and img.mode in _PRINTED_AS_STORED and not beyond_palette(img) \
                    and uncovered(opened, img.size) is None \
                    and (img.format not in ("JPEG", "MPO") or pdf_decodes_jpeg(data)):
                if not icc or len(icc) > MAX_ICC_BYTES:
                    return without_metadata_chunks(data)
                from PIL import ImageCms
                mode = "RGB" if img.mode in ("P", "PA", "RGBA") else _COLOUR_OF.get(img.mode, img.mode)
                if mode in ("RGB", "L") and _is_srgb(ImageCms.ImageCmsProfile(io.BytesIO(icc)), mode):
                    return without_metadata_chunks(data)
            shown_load(img)
            pixels = as_viewed(img, opened)
    except Exception:  # not an image Pillow reads as these formats, or broken: WeasyPrint's to judge
        return without_metadata_chunks(data)   # a GIF's comments too; anything else as it is
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, "PNG")
    return out.getvalue()


# The JPEG frames PDF's DCTDecode filter defines (ISO 32000-1, 7.4.8: baseline, and the
# progressive extension from PDF 1.3; SOF1, extended sequential at 8 bits, decodes as
# baseline does): Huffman-coded DCT. pdf.js reads these three only, and Chrome's and
# Firefox's builds of libjpeg-turbo decode no arithmetic-coded JPEG.
_PDF_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2})


def pdf_decodes_jpeg(data: bytes) -> bool:
    """Whether the JPEG `data` is coded as every PDF reader decodes a DCTDecode image
    (_PDF_JPEG_FRAMES). WeasyPrint puts a JPEG's bytes into the PDF as they are, and
    Pillow (libjpeg-turbo 3) decodes a lossless JPEG (SOF3, a scanner's or a DNG
    converter's) and an arithmetic-coded one (SOF9, `jpegtran -arithmetic`, GIMP's
    option): a print theme's picture so coded passed every check and printed as nothing
    (poppler: 'Unsupported JPEG process: SOF type 0xc3'; pdf.js, Chrome's viewer)."""
    frame = jpeg_frame(data)
    return frame is not None and frame[0] in _PDF_JPEG_FRAMES


# The modes whose pixels WeasyPrint embeds in a PDF as a browser shows them. Not CMYK: it
# puts a CMYK JPEG's scan in the PDF as DeviceCMYK, inverted back only when an Adobe
# marker says so, and every PDF viewer converts DeviceCMYK to screen colours its own way,
# while browsers (and Pillow) take every CMYK JPEG as Adobe's, inverted, and convert it
# plainly: a print theme's CMYK JPEG without the marker printed as its negative, a YCCK
# one in other colours. Not a 16-bit grey PNG (I;16, I;16B): WeasyPrint declares its
# re-saved samples 8-bit, and the picture printed as noise. Both are given as viewed.
_PRINTED_AS_STORED = frozenset({"1", "L", "LA", "P", "RGB", "RGBA"})


def _weasyprint_orientation(img: Image.Image) -> int | None:
    """The Orientation WeasyPrint turns a picture by (its image-orientation: from-image,
    ImageOps.exif_transpose on any image with an EXIF block), None when reading it
    raises (WeasyPrint would then draw no picture). Pillow's getexif() takes the tag,
    when the EXIF block has none, from XMP: a print theme's JPEG carrying it in XMP
    only was printed turned where a browser shows the file as stored; such a picture
    is given to WeasyPrint as viewed."""
    if "exif" not in img.info:
        return 1
    try:
        value = img.getexif().get(ORIENTATION, 1)
    except Exception:  # a broken EXIF block: WeasyPrint fails to draw what a browser shows
        return None
    return value if isinstance(value, int) and 2 <= value <= 8 else 1


def _to_srgb(img: Image.Image, icc: bytes | None, mode: str, grey: bool = False) -> Image.Image | None:
    """Pixels converted from the image's embedded profile to sRGB, or None when there
    is none, it is sRGB already, or LittleCMS cannot use it (then the plain conversion
    stands: what a viewer without colour management shows). `grey`: the file's samples
    are grey though Pillow reads them as RGB(A) (a 16-bit grey+alpha PNG), so a grey
    profile is theirs; on a colour file's RGB it is no profile of it, which browsers
    ignore, even where the pixels happen to be grey."""
    if not icc or len(icc) > MAX_ICC_BYTES or img.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
        return None
    try:
        from PIL import ImageCms
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        # the profile describes the colour channels; alpha is kept aside and put back
        # (a grey+alpha PNG's profile is a grey one, and was dropped with its colours)
        alpha = img.getchannel("A") if img.mode in ("RGBA", "LA") else None
        base = img.convert(_COLOUR_OF.get(img.mode, img.mode))
        if grey and base.mode == "RGB" and source.profile.xcolor_space.strip() == "GRAY":
            # Pillow reads a 16-bit grey+alpha PNG as RGBA: its grey profile is for one
            # channel, which LittleCMS refused for three, and the profile was dropped.
            # Asked of the file, not of its pixels: an RGB photo of greys under a grey
            # profile was converted (64 published as 137) where Chromium shows it as stored
            base = base.convert("L")
        if _is_srgb(source, base.mode):
            return None
        out = ImageCms.profileToProfile(base, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except Exception:  # a broken or unusual profile (Pillow and LittleCMS raise several types)
        return None
    if out is None:
        return None
    if mode == "RGBA":
        out.putalpha(alpha if alpha is not None else img.convert("RGBA").getchannel("A"))
    return out


# The colour channels of a mode with alpha, which its profile converts.
_COLOUR_OF = {"RGBA": "RGB", "LA": "L"}


# Colours a profile is tried on (primaries, secondaries, greys): one that shows each as
# sRGB does is sRGB, whatever it is called.
_PROBE = ((0, 0, 0), (255, 255, 255), (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (0, 255, 255),
          (255, 0, 255), (64, 64, 64), (128, 128, 128), (192, 192, 192), (200, 120, 40))


def _is_srgb(source, mode: str) -> bool:
    """Whether the profile `source` shows colours of `mode` as sRGB does (within two
    levels): converting through it then changes nothing a viewer sees, and the pixels
    are kept as they are. Its name is not asked: GIMP's "Linear sRGB" and darktable's
    "linear Rec709 (sRGB primaries)" are named sRGB and are not (a grey of 64 stored
    in linear light is a viewer's 137), and an sRGB named otherwise is sRGB."""
    from PIL import ImageCms
    if mode not in ("RGB", "L"):
        return False   # CMYK is never shown as stored
    colours = _PROBE if mode == "RGB" else tuple((g,) for g in (0, 64, 128, 192, 255))
    probe = Image.new(mode, (len(colours), 1))
    probe.putdata([c if mode == "RGB" else c[0] for c in colours])
    shown = ImageCms.profileToProfile(probe, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    if shown is None:
        return False
    expected = [c if mode == "RGB" else c * 3 for c in colours]
    return all(abs(a - b) <= 2 for seen, want in zip(shown.getdata(), expected) for a, b in zip(seen, want))


# Every name derived from an asset's file name must fit a file system's 255-byte limit
# for one name, with room for what is added (`-<hash>-640w.webp`, an EPUB's prefix).
MAX_STEM_BYTES = 180


# Characters a derived name cannot hold as written: a URL reads `?` as the start of a
# query, `#` of a fragment and `%` as an escape (a portrait `q?.png` was published at
# site/media/q?-….png and linked as site/media/q: HF0701 at build with check clean), and
# Windows cannot save a file named with `\ : * " < > |`. Whitespace and `,` separate the
# candidates of an `<img srcset>` (a portrait 'my portrait.png' was linked as 'media/my'
# with a width named 'portrait-…-160w.webp': HF0701 on every page showing it, with check
# clean). Amazon S3 reads `+` in an address's path as a space (a form's encoding, kept
# for old clients): a portrait 'rook+1.png' published as media/rook+1-….png was asked
# for as 'rook 1-….png' from a bucket and not found. The content hash that follows the
# stem keeps names apart.
_UNSAFE_IN_NAME = re.compile(r'[?#%+\\:*"<>|,\s\x00-\x1f\x7f]')


def short_stem(stem: str) -> str:
    """`stem` itself if it fits MAX_STEM_BYTES in UTF-8 and holds no character a URL or
    a file system reads otherwise (each such is `-`); else its longest prefix that
    leaves room for `-` and 8 hex digits of its hash, so two long names that share a
    prefix still get different names, and the same name always the same one. A leading
    dot is left out: `media/.rook-….png` (a portrait `.rook.png`) is a hidden file
    GitHub Pages' Jekyll does not publish and many servers refuse, a broken picture."""
    if _UNSAFE_IN_NAME.search(stem):
        stem = _UNSAFE_IN_NAME.sub("-", stem)
    if stem.startswith("."):
        stem = stem.lstrip(".") or "-"
    if len(stem.encode("utf-8")) <= MAX_STEM_BYTES:
        return stem
    prefix = stem.encode("utf-8")[:MAX_STEM_BYTES - 9].decode("utf-8", "ignore")
    return f"{prefix}-{hashlib.sha256(stem.encode('utf-8')).hexdigest()[:8]}"


# A pure function of the asset's path, hash and format, asked for each portrait and
# width by every plan of the site and media (8,000 times a save at 2,000 heroes, most of
# a plan's time in pathlib): remembered per process, bounded.
@functools.lru_cache(maxsize=1 << 16)
def media_path(asset, width: int | None = None) -> str:
    """Content-hashed name under build/: a changed image gets a new URL, caches stay valid.
    Images live inside the site (site/media/), so build/site/ alone is a web root.
    The stem is the file's in one case and one composition of accents (casefold, NFC):
    one image under two names that differ only so (`a/Aria.png`, `b/aria.png`) is one
    copy. It was two, `Aria-….png` beside `aria-….png`, which macOS and Windows keep as
    one file and an EPUB may not hold (epubcheck OPF-060, a duplicate ZIP entry: OCF
    compares names case-folded and NFC). Two different images differ in their hash."""
    stem = short_stem(unicodedata.normalize("NFC", Path(asset.path).stem.casefold()))
    tag = asset.sha256[:12]
    if width is None:
        return f"{MEDIA_DIR}/{stem}-{tag}{_suffix(asset.format)}"
    return f"{MEDIA_DIR}/{stem}-{tag}-{width}w.webp"


def image_key(asset) -> tuple:
    """What an image's media paths and derivatives are made from (`media_path`,
    `derivative_widths`): two portraits with the same key are one image's."""
    return (asset.path, asset.sha256, asset.format, asset.width, asset.height)


def distinct_images(assets) -> list:
    """Of `assets` (the portraits, in the World's order), one per image (`image_key`):
    the last of each, in the order of each image's last portrait. Planning each as all of
    them were planned one after another gives the same paths and the same Planned per
    path (the last portrait writing a path gives its data): 10,000 heroes show ~50
    images, whose paths were made once per hero (~0.02 CPU-s of every build's plan,
    and again in the site's, at 10,000 heroes: docs/performance.md edit33)."""
    last: dict[tuple, object] = {}
    for asset in assets:
        key = image_key(asset)
        if key in last:
            del last[key]   # moved to the end: its last portrait's place
        last[key] = asset
    return list(last.values())


# WebP holds at most 16,383 pixels a side (libwebp's WEBP_MAX_DIMENSION).
WEBP_MAX_SIDE = 16383


def derivative_height(asset, width: int) -> int:
    """The height of `asset`'s derivative `width` pixels wide (its proportions kept)."""
    return max(1, round(asset.height * width / asset.width))


def derivative_widths(asset) -> list[int]:
    """The widths of `asset`'s WebP derivatives: each of WIDTHS narrower than it, whose
    height WebP can hold. A tall strip (a scroll, a banner stood on end: 400 x 40,000
    is 16 megapixels, under the limit) scaled to 320 wide was 32,000 high, and libwebp
    refused it mid-build ('internal error'); the page then offers the narrower
    derivatives and the original, as for a small image."""
    return [w for w in WIDTHS if w < asset.width and derivative_height(asset, w) <= WEBP_MAX_SIDE]


def _suffix(fmt: str) -> str:
    return {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}[fmt]


def render_image(asset, width: int | None = None) -> bytes:
    """The image re-encoded without metadata, optionally scaled down to `width` as WebP."""
    # asset.absolute is confined (Project.confine); read as every file is (no link followed)
    with Image.open(io.BytesIO(read_confined(asset.absolute, MAX_BYTES)), formats=FORMATS) as img:
        opened = opened_info(img)   # what a browser (and the probe) reads of the file
        shown_load(img)
        pixels = as_viewed(img, opened)
    size = None if width is None else (width, derivative_height(asset, width))
    return _encoded(pixels, asset.format, size)


def _encoded(pixels: Image.Image, fmt: str, size: tuple[int, int] | None = None) -> bytes:
    """`pixels` written as a `fmt` file (JPEG, PNG or WebP) holding nothing else, or
    scaled to `size` (width, height) as WebP."""
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)   # a new image carries none of the source's info, EXIF or ICC chunks
    out = io.BytesIO()
    if size is not None:
        clean.resize(size, Image.Resampling.LANCZOS).save(out, "WEBP", quality=82, method=6)
    elif fmt == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    else:
        clean.save(out, fmt, optimize=True) if fmt == "PNG" else clean.save(out, "WEBP", quality=90)
    return out.getvalue()


def without_metadata(data: bytes) -> bytes:
    """A theme's static file as the site publishes it, without what says where, when and
    by whom it was made: a picture (or a movie) as picture_without_metadata gives it; a
    sound file without its tags (load/untagged.py, as voice-over clips are); a PDF
    without its /Info, XMP and its photos' EXIF (load/pdf_metadata.py); a ZIP (an Office
    handout) without its document properties and its photos' EXIF, their pixels as
    written (load/office_metadata.py); a compound file (a Word 97 .doc) without its
    property sets' authors and times (load/ole_properties.py); a Windows metafile (EMF)
    with its photos' metadata overwritten (load/metafile_pictures.py); a text file
    (an SVG, a stylesheet, a script) without the metadata written in it and with each
    picture it embeds as a `data:` URI given so (load/text_metadata.py); anything else
    (a font) is `data` itself. Each reader gives `data` itself for a file not its own.
    A gzip'd one (an `.emz` drawing, an `.svgz`) is cleaned as what it holds (load/gzipped.py)."""
    return _without_metadata(data, unwrap=True)


def _without_metadata(data: bytes, unwrap: bool) -> bytes:
    from .gzipped import gzip_without_metadata
    from .metafile_pictures import emf_without_picture_metadata
    from .office_metadata import office_without_metadata
    from .ole_properties import ole_without_properties
    from .pdf_metadata import pdf_without_metadata
    from .text_metadata import text_without_metadata
    from .untagged import without_tags
    stripped = picture_without_metadata(data)
    for reader in (without_tags, pdf_without_metadata, office_without_metadata, ole_without_properties,
                   emf_without_picture_metadata):
        stripped = reader(data) if stripped is data else stripped
    if stripped is data and unwrap:   # what a gzip stream holds, cleaned once (not unwrapped again)
        stripped = gzip_without_metadata(data, lambda held: _without_metadata(held, unwrap=False))
    return stripped if stripped is not data else text_without_metadata(data, picture_without_metadata)


def picture_without_metadata(data: bytes) -> bytes:
    """A PNG, JPEG or WebP (known by its bytes, whatever its name) as a viewer shows it
    and re-encoded without metadata, as portraits are; a project theme's banner
    photographed on a phone published its camera's GPS position and serial number in
    site/assets/. An animation (APNG, animated WebP, GIF: re-encoding would keep one
    frame), an HDR PNG (its cICP, which browsers tone-map by: png_colour.cicp_unshown),
    an image over MAX_PIXELS, a JPEG of more scans than scans_over allows or one that cannot be decoded keeps its pictures
    as written and loses its metadata blocks (metadata_chunks.py, which knows movies
    too): those were published whole, GPS and all. An animated WebP whose EXIF says it is
    turned is re-encoded turned instead (_upright_animation). A PNG of more chunks than
    chunks_over allows is not opened: it keeps its pictures as written too. Anything
    else is `data` itself."""
    if chunks_over(data):
        return without_metadata_chunks(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=FORMATS) as img:
                fmt = _FORMAT_OF.get(img.format, img.format)
                frames = getattr(img, "n_frames", 1)
                # every frame is decoded, turned and encoded again: within the picture budget,
                # each charged at least FRAME_COST (a 16 MB WebP of 340,000 one-pixel frames
                # was minutes of every build, charged a pixel each)
                if fmt == "WEBP" and frames > 1 and viewer_orientation(img) != 1 \
                        and frames * max(img.width * img.height, FRAME_COST) <= MAX_PIXELS:
                    return _upright_animation(img, data)
                # a camera's MPO is a JPEG whose first picture is what is shown: re-encoded;
                # an HDR PNG keeps its cICP, whose light a browser maps and no re-encoding keeps
                if (frames > 1 and fmt in _ANIMATED) or img.width * img.height > MAX_PIXELS \
                        or scans_over(data, img.width * img.height) \
                        or (fmt == "PNG" and cicp_unshown(img.info) is not None):
                    return without_metadata_chunks(data)
                opened = opened_info(img)
                shown_load(img)
                pixels = as_viewed(img, opened)
    except Exception:  # Pillow raises many types for what is no image or a broken one
        return without_metadata_chunks(data)
    return _encoded(pixels, fmt)


def _upright_animation(img: Image.Image, data: bytes) -> bytes:
    """The animated WebP `img` (the file `data`), whose EXIF says it is turned
    (orientation_read), with every frame turned upright, its timing, loop and colour
    profile kept (Chromium applies no profile to an animation: the frames keep their
    stored values), with no EXIF: losslessly when every frame of `data` is lossless,
    else at quality 90 (lossless, a phone's lossy 20 MB animation was 100 MB). Its chunks stripped instead (without_metadata_chunks drops a
    WebP's EXIF), a theme's phone-made animation was published sideways on the site
    while the books print its first frame upright (viewed_bytes), as every portrait's
    first frame is published. Raises what Pillow raises for a broken frame."""
    turn = _UPRIGHT[viewer_orientation(img)]
    frames, durations = [], []
    for index in range(img.n_frames):
        img.seek(index)
        frames.append(img.copy().transpose(turn))
        durations.append(img.info.get("duration", 0))
    extra = {key: img.info[key] for key in ("icc_profile", "background") if img.info.get(key)}
    out = io.BytesIO()
    clean = [Image.new(frame.mode, frame.size) for frame in frames]   # none of the source's info
    for blank, frame in zip(clean, frames):
        blank.paste(frame)
    clean[0].save(out, "WEBP", save_all=True, append_images=clean[1:], duration=durations,
                  loop=img.info.get("loop", 0), **({"quality": 90} if _lossy_frames(data) else {"lossless": True}),
                  **extra)
    return out.getvalue()


def _lossy_frames(data: bytes) -> bool:
    """Whether the animated WebP `data` holds a lossy frame: a 'VP8 ' chunk among an
    ANMF's (after its 16-byte frame header, an ALPH chunk maybe before it)."""
    at = 12
    while at + 8 <= len(data):
        size = int.from_bytes(data[at + 4:at + 8], "little")
        if data[at:at + 4] == b"ANMF":
            inner, end = at + 24, min(len(data), at + 8 + size)
            while inner + 8 <= end:
                if data[inner:inner + 4] == b"VP8 ":
                    return True
                length = int.from_bytes(data[inner + 4:inner + 8], "little")
                inner += 8 + length + length % 2
        at += 8 + size + size % 2
    return False
