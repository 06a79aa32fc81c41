"""A Matroska or WebM movie's tags made void, in place: its pictures and sounds as they are.

A WebM background video or an MKV clip in a theme's static files says where, when and
by whom it was made in elements beside its frames (Matroska, an EBML document): its
Tags (ffmpeg copies a phone clip's location there, `LOCATION` or
`com.apple.quicktime.location.ISO6709`, and the make, model and creation time), its
Attachments (a cover picture, with its own EXIF), and the segment Info's Title and
DateUTC (when it was recorded). Each becomes an EBML Void element (ID 0xEC) of the same
length, zeroed: every player skips a Void, and every position the SeekHead and Cues
give stays true. Frames, tracks, cues and chapters are untouched.
"""

from __future__ import annotations

EBML_SIGNATURE = b"\x1a\x45\xdf\xa3"
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_CLUSTER = 0x1F43B675
_VOIDED = frozenset({0x1254C367, 0x1941A469})   # Tags, Attachments
_VOIDED_IN_INFO = frozenset({0x7BA9, 0x4461})    # Title, DateUTC
# The segment's own children: an element of unknown size (a live recording's cluster,
# as a browser's MediaRecorder writes) ends where one of these begins.
_SEGMENT_LEVEL = frozenset({0x114D9B74, _INFO, 0x1654AE6B, _CLUSTER, 0x1C53BB6B, 0x1043A770, *_VOIDED})
_MAX_ELEMENTS = 1_000_000   # a crafted file's tiny elements: read this many, then left as it is


def without_matroska_tags(data: bytes) -> bytes:
    """`data` (a Matroska or WebM file) with its Tags, Attachments, Title and DateUTC made
    Void elements of the same length; a file cut off (or whose structure cannot be
    followed) loses those read before the cut, its bytes otherwise as they were."""
    out = bytearray(data)
    count = [0]

    def elements(at: int, end: int):
        while at < end:
            count[0] += 1
            if count[0] > _MAX_ELEMENTS:
                raise ValueError("too many elements")
            ident, head = _vint(data, at, keep_marker=True)
            size, size_len = _vint(data, at + head)
            body = at + head + size_len
            stop = end if size is None else body + size
            if stop > end:
                raise ValueError("cut off")
            yield ident, at, body, stop
            at = stop

    def void(start: int, stop: int) -> None:
        length = stop - start
        if length < 2:
            return
        size = length - (9 if length >= 9 else 2)
        head = b"\xec" + ((b"\x01" + size.to_bytes(7, "big")) if length >= 9 else bytes([0x80 | size]))
        out[start:stop] = head + bytes(size)

    try:
        for ident, _, body, stop in elements(0, len(data)):
            if ident != _SEGMENT:
                continue
            at = body
            while at < stop:
                child, start, inner, end = next(elements(at, stop))
                if end == stop and child == _CLUSTER and _unknown_size(data, start):
                    end = _cluster_end(data, inner, stop, elements)
                if child in _VOIDED:
                    void(start, end)
                elif child == _INFO:
                    for kind, first, _, last in elements(inner, end):
                        if kind in _VOIDED_IN_INFO:
                            void(first, last)
                at = end
    except (ValueError, IndexError):
        pass   # cut off (a recording stopped by a full card): the tags read so far are void
    return bytes(out)


def _unknown_size(data: bytes, start: int) -> bool:
    _, head = _vint(data, start, keep_marker=True)
    size, _ = _vint(data, start + head)
    return size is None


def _cluster_end(data: bytes, at: int, end: int, elements) -> int:
    """Where a cluster of unknown size ends: at the next segment-level element."""
    while at < end:
        ident, _ = _vint(data, at, keep_marker=True)
        if ident in _SEGMENT_LEVEL:
            return at
        _, _, _, at = next(elements(at, end))
    return end


def _vint(data: bytes, at: int, keep_marker: bool = False) -> tuple[int | None, int]:
    """An EBML variable-length integer at `at`: (value, its length in bytes). An ID keeps
    its length marker; a size of all ones is unknown (None)."""
    first = data[at]
    if not first:
        raise ValueError("not an EBML number")
    length = 9 - first.bit_length()
    if at + length > len(data):
        raise ValueError("cut off")
    raw = int.from_bytes(data[at:at + length], "big")
    if keep_marker:
        return raw, length
    value = raw & ((1 << (7 * length)) - 1)
    return (None if value == (1 << (7 * length)) - 1 else value), length
