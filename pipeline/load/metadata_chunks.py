"""An image file's metadata removed from its bytes, its pictures left as they are.

load/media.py re-encodes every still PNG, JPEG and WebP it publishes, which keeps no
metadata. What it cannot re-encode without changing what a browser shows is published
as written: an animation (APNG, animated WebP, GIF: Pillow keeps one frame, or
recomposes them), an image over the pixel limit, one Pillow cannot decode. Those lose
here the blocks that say where, when and by whom a picture was taken (EXIF with its
GPS directory, XMP, IPTC, text and comments), chunk by chunk: every block a browser
draws with (pixels, frames and their timing, palette, transparency, colour profile)
is kept byte for byte. The EXIF Orientation a browser turns a PNG or JPEG by (a PNG's
first eXIf before its image data, a JPEG's first EXIF block, its signature's pad byte
any: media.orientation_read) is kept as an EXIF block holding that tag alone.

An AVIF (and a phone's HEIC: one container, ISO/IEC 23008-12) holds its EXIF and XMP
as items whose bytes its item location table (iloc) points at: those bytes are
overwritten in place (an EXIF of no tags, XMP of spaces), so that every offset in the
file stays true and the pictures are untouched. Browsers turn such an image by its
irot/imir properties, never by EXIF, so no Orientation is kept there. A TIFF or BigTIFF (which
Safari shows) is metadata in its own directories: the EXIF and GPS directories are
emptied, and the text tags that name a camera, its owner or a place, and XMP and IPTC,
are overwritten, in place; its Orientation, a tag of its picture, stays.

A movie (MP4, a phone's QuickTime MOV, 3GP: ISO/IEC 14496-12 boxes) keeps where and
when it was recorded in boxes beside its pictures: udta (Android's ©xyz location, the
phone's make and model, a title), meta (an iPhone's com.apple.quicktime.location.ISO6709
among QuickTime's keys, iTunes-style tags) and a maker's uuid boxes (XMP; a Canon's
camera EXIF with its serial number and GPS position). Those become free boxes
of the same size, their bytes zeroed (every player skips a free box), and the recording
times of the movie, track and media headers are zeroed: every offset into the samples
stays true. So are the samples of its telemetry tracks (a GoPro's GPS track, a drone's
GPS subtitles: movie_tracks.py), zeroed in place. A JPEG XL container loses its Exif, XMP, JUMBF, Brotli-compressed (brob) and
JPEG-reconstruction (jbrd, which keeps the original JPEG's other APP segments) boxes; its
codestream, which holds its orientation (a viewer never reads EXIF's), is kept whole. A
Matroska or WebM movie's tags become Void elements in place (matroska.py). An icon (ICO,
CUR: a favicon) is its pictures, each PNG among them stripped as a PNG is. A PNG, WebP,
GIF or icon cut off (an interrupted upload: a browser shows what arrived) keeps its
pictures as far as they go and loses its metadata blocks all the same.
"""

from __future__ import annotations

import struct
import zlib

from .matroska import EBML_SIGNATURE, without_matroska_tags
from .movie_tracks import telemetry_spans

# PNG chunks a browser draws with (the critical ones, APNG's, colour and transparency).
# Everything else is ancillary: tEXt/zTXt/iTXt (XMP, ImageMagick's raw EXIF), eXIf,
# tIME, and private chunks (a C2PA manifest, an editor's own).
_PNG_KEPT = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT",
                       b"sRGB", b"cICP", b"mDCv", b"cLLi", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"})
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# WebP chunks a browser draws with; EXIF and XMP (and unknown chunks) are dropped.
_WEBP_KEPT = frozenset({b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"})
_WEBP_EXIF_XMP_FLAGS = 0x08 | 0x04


def orientation_exif(orientation: int) -> bytes:
    """A TIFF-headed EXIF block holding only Orientation (1-8), as a SHORT in the first
    directory: the form Chromium and Firefox read (media.exif_orientation)."""
    return (b"II*\x00\x08\x00\x00\x00\x01\x00" + struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
            + b"\x00\x00\x00\x00")


def without_metadata_chunks(data: bytes) -> bytes:
    """`data` (a PNG, WebP, GIF, JPEG, AVIF/HEIC, TIFF, JPEG XL or movie file: MP4, MOV,
    Matroska, WebM) without its metadata blocks, its Orientation kept (above). `data` itself (the same object: the
    caller then reads it as text, media.without_metadata) when it is none of these, holds
    none, or its structure cannot be followed (a JPEG, AVIF or TIFF cut off before its
    scan; a PNG, WebP, GIF or icon cut off loses what it was read to: above); a movie cut off after its tags loses those it was read to."""
    stripped = _stripped(data)
    return data if stripped == data else stripped


def _stripped(data: bytes) -> bytes:
    try:
        if data.startswith(_PNG_SIGNATURE):
            return _png(data)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp(data)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return _gif(data)
        if data[:3] == b"\xff\xd8\xff":
            return _jpeg(data)
        if data[4:8] == b"ftyp":
            try:
                data = _heif(data)
            except (struct.error, IndexError, ValueError):
                # a movie whose last box is cut off (a recording stopped by a full card) has
                # no HEIF items to find: its tags are freed as far as it is read, not all kept
                pass
            return _movie(data)
        if data[4:8] in _QUICKTIME_FIRST:
            return _movie(data)
        if data.startswith(EBML_SIGNATURE):
            return without_matroska_tags(data)
        if data.startswith(_JXL_SIGNATURE):
            return _jxl(data)
        if data[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):   # classic, BigTIFF
            return _tiff(data)
        if data[:4] in _ICO_SIGNATURES:
            return _ico(data)
    except (struct.error, IndexError, ValueError):
        pass
    return data


_ICO_SIGNATURES = frozenset({b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"})   # an icon, a cursor


def _ico(data: bytes) -> bytes:
    """An ICO or CUR (a favicon) whose PNG pictures lose their metadata chunks (_png: an
    editor's tEXt, eXIf, ImageMagick's raw EXIF profile); its BMP pictures hold none.
    The directory is written again with each picture's new size and offset. Entries
    naming the same picture (one PNG for two sizes) name its one copy; the last picture
    of a cut-off icon is read as far as it goes (as a browser does), its metadata
    chunks gone all the same."""
    (count,) = struct.unpack_from("<H", data, 4)
    start = 6 + 16 * count
    if start > len(data):
        raise ValueError("cut off")
    pictures: list[bytes] = []
    placed: dict[tuple[int, int], int] = {}   # (offset, size) → its picture
    entries, total = [], 0
    for n in range(count):
        size, offset = struct.unpack_from("<II", data, 6 + 16 * n + 8)
        if offset < start:
            raise ValueError("no picture of the icon")
        if (offset, size) not in placed:   # one past the end (a cut-off icon's last) is none: b""
            picture = data[offset:offset + size]
            total += len(picture)   # read once each: 65,535 entries naming parts of one large PNG are refused
            if total > len(data):
                raise ValueError("pictures overlap")
            placed[offset, size] = len(pictures)
            pictures.append(_png(picture) if picture.startswith(_PNG_SIGNATURE) else picture)
        entries.append(placed[offset, size])
    if all(pictures[placed[key]] == data[key[0]:key[0] + key[1]] for key in placed):
        return data
    places, at = [], start
    for picture in pictures:
        places.append(at)
        at += len(picture)
    out = [data[:6]]
    for n, index in enumerate(entries):
        entry = 6 + 16 * n
        out.append(data[entry:entry + 8] + struct.pack("<II", len(pictures[index]), places[index]))
    return b"".join(out + pictures)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(data: bytes) -> bytes:
    """A PNG without its metadata chunks. One cut off (an interrupted upload: a browser
    shows the rows that arrived) keeps its image data as far as it goes and loses the
    chunks before it all the same: left as written, its eXIf gave out its GPS position."""
    from .media import exif_orientation
    out, at, orientation, pictured = [_PNG_SIGNATURE], len(_PNG_SIGNATURE), None, False
    while at < len(data):
        if at + 8 > len(data):
            out.append(data[at:])   # a chunk's header cut off: no metadata
            break
        (length,) = struct.unpack_from(">I", data, at)
        kind, end = data[at + 4:at + 8], at + 12 + length
        if end > len(data):   # cut off: image data as far as it goes, anything else not
            if kind in _PNG_KEPT:
                out.append(data[at:])
            break
        if kind in _PNG_KEPT:
            out.append(data[at:end])
        pictured = pictured or kind == b"IDAT"
        # the first whole eXIf before the image data: browsers read no other, nor one whose
        # checksum is wrong (dropped, as media.py's reading drops it): its turn, written
        # again below with a right checksum, turned a picture every browser shows upright
        if kind == b"eXIf" and not pictured and orientation is None \
                and zlib.crc32(data[at + 4:end - 4]) == int.from_bytes(data[end - 4:end], "big"):
            orientation = exif_orientation(data[at + 8:end - 4])
        at = end
        if kind == b"IEND":
            break
    if len(out) < 2:
        raise ValueError("no chunk")
    if orientation not in (None, 1):   # eXIf before the image data, as browsers read it: after IHDR
        out.insert(2, _png_chunk(b"eXIf", orientation_exif(orientation)))
    return b"".join(out)


def _webp(data: bytes) -> bytes:
    """A WebP without its EXIF and XMP chunks (and their VP8X flags). One cut off (a
    browser shows what arrived) keeps its last picture chunk as far as it goes, its
    RIFF size still saying what is missing."""
    (said,) = struct.unpack_from("<I", data, 4)
    out, at, end, cut = [], 12, min(len(data), 8 + said), 0
    while at + 8 <= end:
        kind, (size,) = data[at:at + 4], struct.unpack_from("<I", data, at + 4)
        stop = at + 8 + size + (size & 1)
        if at + 8 + size > end:   # cut off: a picture's chunk as far as it goes (as _png), anything else not
            out.append(data[at:end] if kind in _WEBP_KEPT else b"")
            cut = 8 + said - end   # the bytes it says it has and has not
            break
        if kind == b"VP8X":
            flags = bytes([data[at + 8] & ~_WEBP_EXIF_XMP_FLAGS & 0xFF])
            out.append(data[at:at + 8] + flags + data[at + 9:stop])
        elif kind in _WEBP_KEPT:
            out.append(data[at:stop])
        at = stop
    body = b"WEBP" + b"".join(out)
    return b"RIFF" + struct.pack("<I", len(body) + cut) + body


def _gif_sub_blocks(data: bytes, at: int) -> int:
    """The offset just past the data sub-blocks starting at `at` (ended by a 0 size);
    past the end of `data` when they are cut off."""
    while at < len(data) and data[at]:
        at += 1 + data[at]
    return at + 1


def _gif(data: bytes) -> bytes:
    """A GIF without its comments and other applications' blocks (XMP). One cut off (a
    browser shows the frames and rows that arrived) keeps its last image as far as it
    goes and loses the blocks before it all the same; one whose blocks are followed by
    bytes of no block ends there, as browsers end it."""
    at = 13
    if data[10] & 0x80:                              # global colour table
        at += 3 * (2 << (data[10] & 7))
    if at > len(data):
        raise ValueError("cut off")
    out = [data[:at]]
    while at < len(data):
        block, start = data[at], at
        if block == 0x3B:                            # trailer
            out.append(b"\x3b")
            break
        if block == 0x2C:                            # an image: descriptor, local table, LZW data
            flags = data[at + 9] if at + 9 < len(data) else 0
            at = _gif_sub_blocks(data, at + 10 + (3 * (2 << (flags & 7)) if flags & 0x80 else 0) + 1)
            out.append(data[start:at])               # as far as it goes when cut off
        elif block == 0x21:                          # an extension
            label = data[at + 1] if at + 1 < len(data) else 0
            at = _gif_sub_blocks(data, at + 2)
            # kept: graphic control (timing, disposal, transparency), plain text, and the
            # NETSCAPE/ANIMEXTS loop count; dropped: comments and other applications' (XMP)
            if at <= len(data) and (label in (0xF9, 0x01) or (label == 0xFF and data[start + 3:start + 14] in
                                                             (b"NETSCAPE2.0", b"ANIMEXTS1.0"))):
                out.append(data[start:at])
        else:
            # bytes that begin no block (a writer's padding, a crafted tail): browsers end
            # the GIF there and show what came before (Chromium's reader and Firefox's, as
            # GIF89a says); so it is published, ended by its trailer, without what follows
            out.append(b"\x3b")
            break
    return b"".join(out)


# JPEG segments a decoder uses before the scan: APP0 (JFIF, without its thumbnail), APP14 (Adobe: how CMYK is
# stored), APP2 only for its ICC profile; every other APPn (EXIF, XMP, IPTC, MPF, makers')
# and COM is metadata.
def _jpeg(data: bytes) -> bytes:
    from .media import exif_orientation, is_exif_segment
    out, at, orientation = [data[:2]], 2, None
    while True:
        if data[at] != 0xFF:
            raise ValueError("not a JPEG marker")
        marker = data[at + 1]
        if marker == 0xFF:                           # fill byte
            at += 1
            continue
        (length,) = struct.unpack_from(">H", data, at + 2)
        end = at + 2 + length
        if end > len(data):
            raise ValueError("cut off")
        if marker == 0xDA:                           # start of scan: the rest is picture data
            if orientation not in (None, 1):
                body = b"Exif\x00\x00" + orientation_exif(orientation)
                after_jfif = 2 if len(out) > 1 and out[1][:2] == b"\xff\xe0" else 1
                out.insert(after_jfif, b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body)
            return b"".join(out) + _first_picture(data, at)
        if marker == 0xE1 and orientation is None and is_exif_segment(data[at + 4:end]):
            orientation = exif_orientation(data[at + 10:end])   # after its pad byte, whatever it is
        app = 0xE0 <= marker <= 0xEF or marker == 0xFE
        if marker == 0xE0 and data[at + 4:at + 9] == b"JFIF\x00" and length >= 16:
            # its header kept, its thumbnail not (the picture before it was cropped): a
            # JFXX extension (a JPEG thumbnail) goes with the other APP0s
            out.append(b"\xff\xe0\x00\x10" + data[at + 4:at + 16] + b"\x00\x00")
        elif not app or marker == 0xEE or (marker == 0xE2 and data[at + 4:at + 16] == b"ICC_PROFILE\x00"):
            out.append(data[at:end])
        at = end


def _first_picture(data: bytes, scan: int) -> bytes:
    """The bytes from the first scan to the first picture's end (EOI): a camera's
    further pictures (MPO) after it, each with its own EXIF, are no part of what a
    browser shows. In entropy-coded data 0xFF is followed by 0 or a restart marker, so
    the first FF D9 is the end."""
    end = data.find(b"\xff\xd9", scan)
    return data[scan:] if end < 0 else data[scan:end + 2]


def _boxes(data: bytes, at: int, end: int):
    """(type, start of its body, end) of each ISO base media box from `at` to `end`."""
    for kind, _, body, stop in _box_spans(data, at, end):
        yield kind, body, stop


iso_boxes = _boxes   # for the readers of a HEIF's other boxes (heif_colour.py)


def _box_spans(data: bytes, at: int, end: int):
    """(type, start, start of its body, end) of each ISO base media box from `at` to `end`."""
    while at + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if size == 1:
            (size,), head = struct.unpack_from(">Q", data, at + 8), 16
        elif size == 0:
            size = end - at
        if size < head or at + size > end:
            raise ValueError("cut off")
        yield kind, at, at + head, at + size
        at += size


# The first box of a QuickTime movie written without ftyp (older cameras and editors).
_QUICKTIME_FIRST = frozenset({b"moov", b"wide", b"mdat", b"free", b"skip"})
_MOVIE_TAGS = frozenset({b"udta", b"meta", b"emsg"})   # emsg: a fragment's event (timed ID3 tags)
# A uuid box is a maker's own: XMP's, Canon's (its CMT boxes are the camera's EXIF: serial
# number, owner, GPS; CNTH a thumbnail with EXIF), Sony's profile, a GoPro's. Freed, all but
# those a player reads: PIFF's (Smooth Streaming) encryption and its live fragments' times.
_PLAYED_UUIDS = frozenset(bytes.fromhex(u) for u in (
    "a2394f525a9b4f14a2446c427c648df4",   # sample encryption
    "8974dbce7be74c5184f97148f9882554",   # track encryption
    "d08a4f1810f34a82b6c832d8aba183d3",   # protection system (pssh)
    "6d1d9b0542d544e680e2141daff757b2",   # tfxd: a fragment's time
    "d4807ef2ca3946958e5426cb9e46a79f"))  # tfrf: the next fragments' times
_MOVIE_HEADERS = frozenset({b"mvhd", b"tkhd", b"mdhd"})   # each begins with its recording times
_MOVIE_HOLDERS = frozenset({b"moov", b"trak", b"mdia", b"moof", b"traf"})
# The top-level boxes a player reads when they are cut off (a recording stopped by a full
# card ends in its samples, its fragment or its moov): kept as far as they go.
_PLAYED_CUT = frozenset({b"mdat", b"moov", b"moof"})


def _movie_end(data: bytes) -> int:
    """Where `data`'s boxes end: its length, or where what follows the last top-level box
    is no box a player reads. A camera writes a trailer there that no player reads (an
    Insta360's: its serial number, GPS track and gyro data, ending in its own magic), or
    a cut-off udta, meta or uuid whose tags could not be freed: those bytes are not
    published."""
    at = 0
    while at + 8 <= len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if size == 1 and at + 16 <= len(data):
            (size,), head = struct.unpack_from(">Q", data, at + 8), 16
        elif size == 0:
            size = len(data) - at
        if not all(0x20 <= c < 0x7F or c == 0xA9 for c in kind):
            return at   # no box's type: a trailer's bytes
        if size < head or at + size > len(data):
            return len(data) if kind in _PLAYED_CUT else at
        at += size
    return at


def _movie(data: bytes) -> bytes:
    """A movie with its tag boxes (udta, meta, a maker's uuid, a fragment's emsg) made free
    boxes of the same size, their bytes zeroed, its headers' recording times and a
    fragment's producer time (prft's wall clock) zeroed, and its telemetry samples
    zeroed (movie_tracks.py), in place; what follows its last box, when that is no box a
    player reads (a camera's trailer: _movie_end), is cut off. A HEIF's own top-level
    meta (handler pict: its pictures' structure, _heif) is kept."""
    # a file whose first box does not fit in it is no movie: a stylesheet beginning
    # '/*! skip-link */' has 'skip' at bytes 4-8 (ValueError: the caller reads it as text)
    next(_box_spans(data, 0, len(data)))
    out = bytearray(data)
    for first, last in telemetry_spans(data):   # a camera's GPS track, a drone's GPS subtitles
        out[first:last] = bytes(last - first)

    def walk(at: int, end: int, depth: int) -> None:
        for kind, start, body, stop in _box_spans(data, at, end):
            tags = kind in _MOVIE_TAGS and not (depth == 0 and kind == b"meta" and _handler(data, body, stop) == b"pict")
            if tags or (kind == b"uuid" and data[body:body + 16] not in _PLAYED_UUIDS):
                out[start + 4:start + 8] = b"free"
                out[body:stop] = bytes(stop - body)
            elif kind in _MOVIE_HOLDERS and depth < 3:
                walk(body, stop, depth + 1)
            elif kind in _MOVIE_HEADERS and stop - body >= 4:
                times = 16 if data[body] == 1 else 8   # version 1: two 64-bit times, else two 32-bit
                out[body + 4:min(stop, body + 4 + times)] = bytes(min(stop - body - 4, times))
            elif kind == b"prft" and stop - body >= 16:   # track id, then the NTP time it was made
                out[body + 8:body + 16] = bytes(8)

    try:
        walk(0, len(data), 0)
    except (struct.error, IndexError, ValueError):
        pass   # cut off (a recording stopped by a full card): the tags read so far are gone
    return bytes(out[:_movie_end(data)])


def _handler(data: bytes, body: int, end: int) -> bytes:
    """The handler type of the (full box) meta whose body runs from `body` to `end`; b""
    when it has none or is not a full box (QuickTime writes its meta without one)."""
    try:
        for kind, inner, stop in _boxes(data, body + 4, end):
            if kind == b"hdlr":
                return data[inner + 8:inner + 12]
    except (struct.error, ValueError):
        pass
    return b""


_JXL_SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
_JXL_METADATA = frozenset({b"Exif", b"xml ", b"jumb", b"brob", b"jbrd"})


def _jxl(data: bytes) -> bytes:
    """A JPEG XL container without its metadata boxes (module docstring)."""
    return b"".join(data[start:stop] for kind, start, _, stop in _box_spans(data, 0, len(data))
                    if kind not in _JXL_METADATA)


# An EXIF item of no tags (its TIFF header at offset 0 after the item's 4-byte offset
# field, one directory of no entries), what the item's bytes are overwritten with.
_EMPTY_EXIF = struct.pack(">I", 0) + b"II*\x00\x08\x00\x00\x00" + b"\x00\x00" + b"\x00\x00\x00\x00"


def _heif(data: bytes) -> bytes:
    """An AVIF or HEIC with its EXIF and XMP items' bytes overwritten in place."""
    meta = next(((body, end) for kind, body, end in _boxes(data, 0, len(data)) if kind == b"meta"), None)
    if meta is None:
        return data
    children = {kind: (body, end) for kind, body, end in _boxes(data, meta[0] + 4, meta[1])}
    if b"iinf" not in children or b"iloc" not in children:
        return data
    metadata = _metadata_items(data, *children[b"iinf"])
    if not metadata:
        return data
    idat = children.get(b"idat", (0, 0))[0]
    out = bytearray(data)
    for item, start, length in _item_extents(data, *children[b"iloc"], idat):
        if item in metadata:
            filler = (_EMPTY_EXIF if metadata[item] == "exif" else b" " * length)[:length]
            out[start:start + length] = filler.ljust(length, b"\x00")
    return bytes(out)


def _metadata_items(data: bytes, body: int, end: int) -> dict[int, str]:
    """The item ids of an iinf box's EXIF ("exif") and XMP ("xmp") items."""
    version = data[body]
    at = body + 4 + (2 if version == 0 else 4)
    found = {}
    for kind, entry, stop in _boxes(data, at, end):
        if kind != b"infe" or data[entry] < 2:
            continue
        wide = data[entry] == 3
        (item,) = struct.unpack_from(">I" if wide else ">H", data, entry + 4)
        at = entry + 4 + (4 if wide else 2) + 2
        item_type = data[at:at + 4]
        name_end = data.index(b"\x00", at + 4, stop)
        content = data[name_end + 1:stop].split(b"\x00", 1)[0]
        if item_type == b"Exif":
            found[item] = "exif"
        elif item_type == b"mime" and b"rdf+xml" in content:
            found[item] = "xmp"
    return found


def _item_extents(data: bytes, body: int, end: int, idat: int):
    """(item id, file offset, length) of each extent an iloc box gives in the file
    (construction method 0) or in its idat box (1); an extent running to the file's
    end (length 0) or made from another item (2) is left out."""
    version = data[body]
    at = body + 4
    offset_size, length_size = data[at] >> 4, data[at] & 15
    base_size, index_size = data[at + 1] >> 4, (data[at + 1] & 15) if version in (1, 2) else 0
    at += 2

    def read(size: int) -> int:
        nonlocal at
        value = int.from_bytes(data[at:at + size], "big") if size else 0
        at += size
        return value

    count = read(2 if version < 2 else 4)
    for _ in range(count):
        if at >= end:   # a count past what the box holds (a crafted file): 2^32 items read from nothing
            raise ValueError("cut off")
        item = read(2 if version < 2 else 4)
        method = read(2) & 15 if version in (1, 2) else 0
        read(2)                                        # data reference index
        base = read(base_size)
        for _ in range(read(2)):
            read(index_size)
            offset, length = read(offset_size), read(length_size)
            if at > end:
                raise ValueError("cut off")
            if length and method in (0, 1) and (method == 0 or idat):
                start = base + offset + (idat if method == 1 else 0)
                if start + length > len(data):
                    raise ValueError("cut off")
                yield item, start, length


# TIFF tags that say who, where, when and with what a picture was made (text, XMP,
# IPTC, Photoshop's blocks), overwritten with zeros, and those pointing at the EXIF and
# GPS directories, emptied. Everything else describes the pixels and is left alone.
# Also those a camera or Windows writes into the first directory itself: Explorer's
# Title, Comments, Authors, Keywords and Subject (XP*, UCS-2), the document and page
# names, the original times, a camera's owner and serial numbers.
_TIFF_TEXT = frozenset({269, 270, 271, 272, 285, 305, 306, 315, 316, 700, 33432, 33723, 34377, 37724,
                        36867, 36868, 37510, 40091, 40092, 40093, 40094, 40095, 42016, 42032, 42033, 42035,
                        42036, 42037, 50708, 50735})
_TIFF_DIRECTORIES = frozenset({34665, 34853})   # Exif IFD, GPS IFD
_TIFF_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
               16: 8, 17: 8, 18: 8}   # BigTIFF's LONG8, SLONG8, IFD8
_MAX_TIFF_DIRECTORIES = 64
_MAX_TIFF_ENTRIES = 20_000   # a camera's file has a few hundred in all


def _tiff(data: bytes) -> bytes:
    """A TIFF (classic, or a BigTIFF: a scanner's or a microscope's over 4 GiB, 64-bit
    offsets) with its metadata tags' values overwritten in place."""
    order = "<" if data[:2] == b"II" else ">"
    big = struct.unpack_from(order + "H", data, 2)[0] == 43
    if big and struct.unpack_from(order + "HH", data, 4) != (8, 0):
        raise ValueError("not a BigTIFF header")
    # a directory's count, an entry's size, its count's and its offset's formats
    count_of, entry_size, values_of, offset_of = ("Q", 20, "Q", "Q") if big else ("H", 12, "I", "I")
    inline = 8 if big else 4
    out, read = bytearray(data), [0]

    def entries(at: int):
        """(tag, offset of its value, size) of each entry of the directory at `at`."""
        (count,) = struct.unpack_from(order + count_of, data, at)
        read[0] += count
        head = struct.calcsize(count_of)
        if read[0] > _MAX_TIFF_ENTRIES or at + head + entry_size * count > len(data):   # a crafted file's loops
            raise ValueError("cut off")
        for n in range(count):
            entry = at + head + entry_size * n
            tag, kind, values = struct.unpack_from(order + "HH" + values_of, data, entry)
            size = _TIFF_SIZES.get(kind, 1) * values
            value_at = entry + 4 + struct.calcsize(values_of)
            where = value_at if size <= inline else struct.unpack_from(order + offset_of, data, value_at)[0]
            if where + size > len(data):
                raise ValueError("cut off")
            yield tag, where, size, kind

    def directory_size(at: int) -> int:
        return struct.calcsize(count_of) + entry_size * struct.unpack_from(order + count_of, data, at)[0]

    (at,) = struct.unpack_from(order + offset_of, data, 8 if big else 4)
    seen: set[int] = set()
    while at and at not in seen and len(seen) < _MAX_TIFF_DIRECTORIES:   # each page's directory
        seen.add(at)
        for tag, where, size, kind in entries(at):
            if tag in _TIFF_TEXT:
                out[where:where + size] = bytes(size)
            elif tag in _TIFF_DIRECTORIES and size in (4, 8):
                (directory,) = struct.unpack_from(order + ("I" if size == 4 else "Q"), data, where)
                for _, inner, length, _ in entries(directory):   # every value it holds, then its entries
                    out[inner:inner + length] = bytes(length)
                out[directory:directory + directory_size(directory)] = bytes(directory_size(directory))
        (at,) = struct.unpack_from(order + offset_of, data, at + directory_size(at))
    return bytes(out)
