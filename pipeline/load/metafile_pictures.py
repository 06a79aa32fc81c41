"""The photos inside a Windows metafile (EMF), without where they were taken, in place.

Word and PowerPoint keep a drawing pasted into a handout as an EMF
(word/media/image1.emf), and GDI+ writes each photo in it whole, as the JPEG or PNG
file it was, inside the EMF+ records that EMF comment records carry (MS-EMFPLUS
EmfPlusObject of an Image, a Bitmap "compressed": the file's bytes, split over records
of at most 32 KB): its EXIF with the GPS position and camera went out with the
handout. Each such photo's metadata blocks are overwritten where they lie: a JPEG's
APPn and comment segments (but JFIF's, its ICC profile's and Adobe's) keep their
marker and length and lose their bytes; a PNG's metadata chunks become private
chunks of zeros (`hfZz`, with a true checksum), which every reader skips. No record
changes its size and every offset of the file stays, so every reader draws it as
before (GDI+ turns no photo by its EXIF). A file whose records cannot be followed is
`data` itself.
"""

from __future__ import annotations

import struct
import zlib

from .pieces import gathered, scatter

_COMMENT, _EOF = 70, 14            # EMR_COMMENT, EMR_EOF
_EMF_PLUS = b"EMF+"                # an EMR_COMMENT's identifier for EMF+ records
_OBJECT, _IMAGE = 0x4008, 5        # EmfPlusObject; its ObjectType Image
_CONTINUED = 0x8000                # the object goes on in the next EmfPlusObject
_MAX_RECORDS = 1_000_000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT",
                       b"sRGB", b"cICP", b"bKGD", b"pHYs"})
_ZEROED = b"hfZz"                  # ancillary, private, safe to copy: a chunk no reader reads


def emf_without_picture_metadata(data: bytes) -> bytes:
    """`data` with its EMF+ photos' metadata overwritten in place when it is an EMF
    (above); else `data` itself (the same object)."""
    if len(data) < 88 or data[40:44] != b" EMF" or struct.unpack_from("<I", data, 0)[0] != 1:
        return data
    try:
        out = bytearray(data)
        for spans in _pictures(data):
            picture = gathered(data, spans)
            if not _cleaned(picture):
                continue
            scatter(out, spans, picture)
    except (struct.error, ValueError, IndexError):
        return data
    return data if out == data else bytes(out)


def _pictures(data: bytes) -> list[list[tuple[int, int]]]:
    """The (file offset, length) pieces of each compressed bitmap of the EMF+ records."""
    pictures, pieces, at, records = [], [], 0, 0
    gathered = 0   # the bytes of `pieces`, counted as they come: summed again at each, a crafted
    #               EMF of 40,000 empty pieces took 12 CPU-s, a 16 MiB one hours
    while at + 8 <= len(data) and records < _MAX_RECORDS:
        kind, size = struct.unpack_from("<II", data, at)
        if size < 8 or size % 4 or at + size > len(data):
            raise ValueError("not a record")
        records += 1
        if kind == _COMMENT and size >= 16 and data[at + 12:at + 16] == _EMF_PLUS:
            (length,) = struct.unpack_from("<I", data, at + 8)
            inner, end = at + 16, min(at + 12 + length, at + size)
            while inner + 12 <= end:
                plus, flags, plus_size, plus_length = struct.unpack_from("<HHII", data, inner)
                if plus_size < 12 or inner + plus_size > end or plus_length > plus_size - 12:
                    raise ValueError("not an EMF+ record")
                if plus == _OBJECT and (flags >> 8) & 0x7F == _IMAGE:
                    head = 4 if flags & _CONTINUED else 0   # TotalObjectSize before a continued piece
                    pieces.append((inner + 12 + head, plus_length - head))
                    gathered += plus_length - head
                    if not flags & _CONTINUED or gathered >= struct.unpack_from("<I", data, inner + 12)[0]:
                        pictures.append(pieces)
                        pieces, gathered = [], 0
                inner += plus_size
        if kind == _EOF:
            break
        at += size
    if pieces:
        pictures.append(pieces)
    found = []
    for spans in pictures:   # an Image object: version, type (1: bitmap), width, height, stride, format, type (1: compressed)
        head = b"".join(data[start:start + length] for start, length in spans)[:28]
        if len(head) == 28 and struct.unpack_from("<I", head, 4)[0] == 1 and struct.unpack_from("<I", head, 24)[0] == 1:
            found.append(_skipped(spans, 28))
    return found


def _skipped(spans: list[tuple[int, int]], count: int) -> list[tuple[int, int]]:
    """`spans` without their first `count` bytes."""
    kept = []
    for start, length in spans:
        cut = min(count, length)
        count -= cut
        if length > cut:
            kept.append((start + cut, length - cut))
    return kept


def _cleaned(picture: bytearray) -> bool:
    """Overwrite the metadata of the JPEG or PNG `picture` in place; whether any was."""
    if picture[:3] == b"\xff\xd8\xff":
        return _jpeg(picture)
    if picture.startswith(_PNG_SIGNATURE):
        return _png(picture)
    return False


def _jpeg(picture: bytearray) -> bool:
    changed, at = False, 2
    while at + 4 <= len(picture) and picture[at] == 0xFF:
        marker = picture[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker == 0xDA or marker == 0xD9:   # the scan: no metadata after it is read
            break
        (length,) = struct.unpack_from(">H", picture, at + 2)
        end = at + 2 + length
        if end > len(picture):
            break
        icc = marker == 0xE2 and picture[at + 4:at + 16] == b"ICC_PROFILE\x00"
        jfif = marker == 0xE0 and picture[at + 4:at + 9] == b"JFIF\x00"
        if (0xE1 <= marker <= 0xEF or marker == 0xFE) and not icc and marker != 0xEE and not jfif:
            if any(picture[at + 4:end]):
                picture[at + 4:end] = bytes(end - at - 4)
                changed = True
        at = end
    return changed


def _png(picture: bytearray) -> bool:
    changed, at = False, len(_PNG_SIGNATURE)
    while at + 12 <= len(picture):
        (length,) = struct.unpack_from(">I", picture, at)
        kind, end = bytes(picture[at + 4:at + 8]), at + 12 + length
        if end > len(picture) or kind == b"IEND":
            break
        if kind not in _PNG_KEPT and kind != _ZEROED:
            body = bytes(length)
            picture[at + 4:end] = _ZEROED + body + struct.pack(">I", zlib.crc32(_ZEROED + body))
            changed = True
        at = end
    return changed
