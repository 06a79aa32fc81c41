"""A compound file (OLE: a Word 97 .doc, .xls, .ppt; an object embedded in an Office
handout, word/embeddings/oleObject1.bin) without who wrote it, in place.

Such a file is a small file system (MS-CFB) whose property-set streams
(`\\x05SummaryInformation`, `\\x05DocumentSummaryInformation`: MS-OLEPS) hold its
author and last editor, the template's path, the company and manager, its custom
properties' values and when it was written, printed and edited. A theme's .doc
handout, or the object embedded in a .docx (an old chart or drawing pasted from
another document), published them as written. Each such value is overwritten with
zeros where it lies (a string reads as empty, a time as none): every stream, sector
and offset of the file stays as it was, so every reader opens it as before. The title
stays, as a PDF's and an OOXML handout's do. A file whose structure cannot be followed
is `data` itself.

Two programs also write who saved the file into its own streams, outside the property
sets: PowerPoint's `Current User` stream (MS-PPT CurrentUserAtom: the name of whoever
saved it last, in ANSI and in UTF-16) and Excel's workbook stream (MS-XLS WRITEACCESS,
the user name Excel writes in every .xls it saves, in `Workbook`, or `Book` for Excel 5).
Those names are overwritten with spaces where they lie (Excel pads the record with
spaces itself): the lengths, the records and every offset stay as written.
"""

from __future__ import annotations

import struct

from .pieces import gathered, scatter

_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
_END = 0xFFFFFFFE              # a chain's end; anything over it (free, FAT, DIFAT) ends one too
_PROPERTY_SETS = ("\x05SummaryInformation", "\x05DocumentSummaryInformation")
_CURRENT_USER = "Current User"                     # PowerPoint
_WORKBOOKS = ("Workbook", "Book")                  # Excel 97 and later, Excel 5
_SUMMARY = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")   # FMTID_SummaryInformation
_TITLE = 2                     # PIDSI_TITLE
_STRINGS = frozenset({0x1E, 0x1F})   # VT_LPSTR, VT_LPWSTR
_TIME = 0x40                   # VT_FILETIME: written, printed, saved; the editing time
_MAX_SECTORS = 1 << 20         # a chain's length at most (a crafted FAT's loops are cut by `seen` too)


def ole_without_properties(data: bytes) -> bytes:
    """`data` with its property sets' strings but the title, and their times, zeroed
    in place when it is a compound file (above); else `data` itself (the same object)."""
    if not data.startswith(_SIGNATURE):
        return data
    try:
        out = bytearray(data)
        for name, ranges in _property_streams(data):
            stream = gathered(data, ranges)
            before = bytes(stream)
            try:
                _CLEANERS[name](stream)
            except (struct.error, ValueError, IndexError):
                pass   # a value it cannot follow (an empty stream, a crafted offset): those before it are zeroed
            if stream == before:
                continue
            scatter(out, ranges, stream)
    except (struct.error, ValueError, IndexError):
        return data
    return data if out == data else bytes(out)


def _property_streams(data: bytes) -> list[tuple[str, list[tuple[int, int]]]]:
    """(name, its (file offset, length) pieces, in order) of each stream that may name
    who wrote the file (_CLEANERS)."""
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 1 <= mini_shift < shift:
        raise ValueError("not a compound file's sector sizes")
    size, mini_size = 1 << shift, 1 << mini_shift
    directory, _, cutoff, first_minifat, _, first_difat, difat_count = struct.unpack_from("<7I", data, 0x30)

    def sector(number: int) -> int:
        start = (number + 1) * size   # the header takes the first sector's place
        if start >= len(data):
            raise ValueError("a sector past the file's end")
        return start

    fat_sectors = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _END]
    seen: set[int] = set()
    while first_difat < _END and difat_count and first_difat not in seen:   # the DIFAT's own sectors
        seen.add(first_difat)
        entries = struct.unpack_from(f"<{size // 4}I", data, sector(first_difat))
        fat_sectors += [n for n in entries[:-1] if n < _END]
        first_difat, difat_count = entries[-1], difat_count - 1
    fat = [n for fs in fat_sectors for n in struct.unpack_from(f"<{size // 4}I", data, sector(fs))]

    def chain(start: int, table: list[int], limit: int = _MAX_SECTORS) -> list[int]:
        found, seen = [], set()
        while start < _END and start not in seen and len(found) < min(limit, _MAX_SECTORS):
            if start >= len(table):
                raise ValueError("a chain past its table")
            seen.add(start)
            found.append(start)
            start = table[start]
        return found

    entries = b"".join(data[sector(n):sector(n) + size] for n in chain(directory, fat))
    streams = []
    root_start = struct.unpack_from("<I", entries, 116)[0]
    mini_stream = chain(root_start, fat)
    minifat = [n for s in chain(first_minifat, fat) for n in struct.unpack_from(f"<{size // 4}I", data, sector(s))]
    # the property streams' bytes in all, at most the file's: a crafted directory naming
    # one long stream 60,000 times made 60,000 copies of it (hours for a 16 MiB file)
    budget = len(data)
    for at in range(0, len(entries) - 127, 128):
        length = struct.unpack_from("<H", entries, at + 64)[0]
        name = entries[at:at + max(0, length - 2)].decode("utf-16-le", "replace")
        if entries[at + 66] != 2 or name not in _CLEANERS:
            continue
        start, stream_size = struct.unpack_from("<II", entries, at + 116)
        budget -= stream_size
        if budget < 0:
            raise ValueError("property streams longer than the file")
        pieces, left = [], stream_size
        if stream_size < cutoff:   # in the mini stream, whose sectors lie in the root entry's chain
            for mini in chain(start, minifat, -(-stream_size // mini_size)):
                offset = mini * mini_size
                if offset // size >= len(mini_stream):
                    raise ValueError("a mini sector past the mini stream")
                piece = min(left, mini_size)
                pieces.append((sector(mini_stream[offset // size]) + offset % size, piece))
                left -= piece
        else:
            for number in chain(start, fat, -(-stream_size // size)):
                piece = min(left, size)
                pieces.append((sector(number), piece))
                left -= piece
        if left > 0 or any(start + length > len(data) for start, length in pieces):
            raise ValueError("a stream cut off")
        streams.append((name, [(start, length) for start, length in pieces if length > 0]))
    return streams


def _cleaned(stream: bytearray) -> bool:
    """Zero the strings (but the summary's title) and times of the property set
    `stream` in place (MS-OLEPS: a header, sections of (id, offset) pairs, typed
    values); whether any was."""
    (sections,) = struct.unpack_from("<I", stream, 24)
    changed = False
    for n in range(min(sections, 16)):
        fmtid = bytes(stream[28 + 20 * n:44 + 20 * n])
        (section,) = struct.unpack_from("<I", stream, 44 + 20 * n)
        (count,) = struct.unpack_from("<I", stream, section + 4)
        for p in range(min(count, 4096)):
            prop, offset = struct.unpack_from("<II", stream, section + 8 + 8 * p)
            if prop in (0, 1) or (fmtid == _SUMMARY and prop == _TITLE):
                continue   # the dictionary of names and the code page: no one's words; the title stays
            at = section + offset
            (kind,) = struct.unpack_from("<H", stream, at)
            if kind in _STRINGS:
                (length,) = struct.unpack_from("<I", stream, at + 4)
                end = at + 8 + length * (2 if kind == 0x1F else 1)
            elif kind == _TIME:
                end = at + 12
            else:
                continue
            start = at + 8 if kind in _STRINGS else at + 4
            if end > len(stream):
                raise ValueError("a value past its stream")
            if any(stream[start:end]):
                stream[start:end] = bytes(end - start)
                changed = True
    return changed


def _current_user(stream: bytearray) -> None:
    """PowerPoint's CurrentUserAtom (MS-PPT 2.3.2) with its user names as spaces: a
    record header (8 bytes), its size, a token, an offset, the ANSI name's length (at
    20), versions (to 28), the ANSI name, a version (4 bytes), then the same name in
    UTF-16 when the record is long enough to hold it."""
    record, size = struct.unpack_from("<HI", stream, 2)
    if record != 0x0FF6:
        return
    (length,) = struct.unpack_from("<H", stream, 20)
    end = min(len(stream), 8 + size)
    names = ((28, 28 + length, b" "), (32 + length, 32 + 3 * length, b" \0"))
    for start, stop, blank in names:
        if stop <= end:
            stream[start:stop] = blank * ((stop - start) // len(blank))


def _workbook(stream: bytearray) -> None:
    """The WRITEACCESS record of an Excel workbook stream's first part (its globals)
    with the user name as spaces. BIFF records are (type, length, data); the walk stops
    at the part's end (EOF) or where a password's encryption starts (FILEPASS: the
    records after it are not as written)."""
    at, seen = 0, 0
    while at + 4 <= len(stream) and seen < 4096:
        kind, length = struct.unpack_from("<HH", stream, at)
        data = at + 4
        if kind in (0x000A, 0x002F) or data + length > len(stream):
            return
        if kind == 0x005C and length:
            if length == 112:                   # BIFF8: XLUnicodeString (count, flags, characters)
                count, flags = struct.unpack_from("<HB", stream, data)
                start, width = data + 3, 2 if flags & 1 else 1
            else:                               # BIFF5: a byte count, then the characters
                count, start, width = stream[data], data + 1, 1
            stop = min(start + count * width, data + length)
            stream[start:stop] = (b" " if width == 1 else b" \0") * ((stop - start) // width)
            return
        at, seen = data + length, seen + 1


# Each stream that may name who wrote the file, and what makes it name no one.
_CLEANERS = {**{name: _cleaned for name in _PROPERTY_SETS}, _CURRENT_USER: _current_user,
             **{name: _workbook for name in _WORKBOOKS}}
