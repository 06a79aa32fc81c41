"""The colour an AVIF's primary picture says it is in, as H.273 code points.

An AVIF (a HEIF) says its colour by a `colr` property of its primary item: an ICC
profile, which Pillow reads, or `nclx` code points (primaries, transfer, matrix,
range), which it does not. Chromium applies them: an AVIF exported under Display P3
or in linear light (nclx 12/13, 1/8) is shown converted to the screen. Read here for
media.viewed_bytes, which gives a print theme's AVIF to WeasyPrint as viewed.
"""

from __future__ import annotations

import struct

from .metadata_chunks import iso_boxes


def avif_cicp(data: bytes) -> tuple[int, int, int, int] | None:
    """(primaries, transfer, matrix, full range 0/1) of the `nclx` colour property of
    the AVIF `data`'s primary item, or None when it has none or its boxes cannot be
    followed. Reads the meta box's pitm, and iprp's property container (ipco) and
    associations (ipma), as ISO/IEC 23008-12 lays them out."""
    try:
        return _cicp(data)
    except (ValueError, struct.error, IndexError):   # cut off or malformed: no colour read
        return None


def _cicp(data: bytes) -> tuple[int, int, int, int] | None:
    meta = next(((body, end) for kind, body, end in iso_boxes(data, 0, len(data)) if kind == b"meta"), None)
    if meta is None:
        return None
    children = {kind: (body, end) for kind, body, end in iso_boxes(data, meta[0] + 4, meta[1])}   # meta: a full box
    if b"pitm" not in children or b"iprp" not in children:
        return None
    at = children[b"pitm"][0]
    (primary,) = struct.unpack_from(">H" if data[at] == 0 else ">I", data, at + 4)
    parts = {kind: (body, end) for kind, body, end in iso_boxes(data, *children[b"iprp"])}
    if b"ipco" not in parts or b"ipma" not in parts:
        return None
    properties = list(iso_boxes(data, *parts[b"ipco"]))   # numbered from 1 by ipma
    for index in _associated(data, *parts[b"ipma"], primary):
        if 1 <= index <= len(properties):
            kind, body, end = properties[index - 1]
            if kind == b"colr" and data[body:body + 4] == b"nclx" and end - body >= 11:
                primaries, transfer, matrix = struct.unpack_from(">3H", data, body + 4)
                return primaries, transfer, matrix, data[body + 10] >> 7
    return None


def _associated(data: bytes, body: int, end: int, item: int) -> list[int]:
    """The property indexes an ipma box (from its `body` to `end`) associates with `item`."""
    version, flags = data[body], int.from_bytes(data[body + 1:body + 4], "big")
    at = body + 4
    (count,) = struct.unpack_from(">I", data, at)
    at += 4
    for _ in range(count):
        wide_id = version >= 1
        (entry,) = struct.unpack_from(">I" if wide_id else ">H", data, at)
        at += 4 if wide_id else 2
        associations = data[at]
        at += 1
        size = 2 if flags & 1 else 1
        indexes = [int.from_bytes(data[at + size * n:at + size * (n + 1)], "big") & (0x7FFF if size == 2 else 0x7F)
                   for n in range(associations)]
        at += size * associations
        if at > end:
            raise ValueError("cut off")
        if entry == item:
            return indexes
    return []
