"""A Matroska or WebM movie's tags made void, in place: its pictures and sounds as they are.

A WebM background video or an MKV clip in a theme's static files says where, when and
by whom it was made in elements beside its frames (Matroska, an EBML document): its
Tags (ffmpeg copies a phone clip's location there, `LOCATION` or
`com.apple.quicktime.location.ISO6709`, and the make, model and creation time), its
Attachments (a cover picture, with its own EXIF), and the segment Info's Title and
DateUTC (when it was recorded) and its file names (SegmentFilename, Prev/NextFilename:
the camera's or the owner's 'VID_20261203_anna.mkv'), each track's Name (ffmpeg copies an MP4 track's handler
name there, which a phone or an editor may set to its owner's) and the Chapters (titles a
writer or a phone gives the places it was filmed; no browser reads them). Each becomes
an EBML Void element (ID 0xEC) of the same length, zeroed: every player skips a Void,
and every position the SeekHead and Cues give stays true. Frames, tracks and cues are
untouched, but for the frames of a metadata track (TrackType 33) and of a subtitle track
(17) one of whose frames names a position (a drone's GPS subtitles, as in an MP4:
movie_tracks.py), which are zeroed in place.
"""

from __future__ import annotations

from .movie_tracks import POSITION

EBML_SIGNATURE = b"\x1a\x45\xdf\xa3"
_SEGMENT = 0x18538067
_INFO = 0x1549A966
_CLUSTER = 0x1F43B675
_VOIDED = frozenset({0x1254C367, 0x1941A469, 0x1043A770})   # Tags, Attachments, Chapters
_TRACKS, _TRACK_ENTRY, _TRACK_NAME, _TRACK_NUMBER, _TRACK_TYPE = 0x1654AE6B, 0xAE, 0x536E, 0xD7, 0x83
_SIMPLE_BLOCK, _BLOCK_GROUP, _BLOCK = 0xA3, 0xA0, 0xA1
_SUBTITLE, _METADATA = 17, 33   # TrackType values
_TELEMETRY_KINDS = frozenset({_SUBTITLE, _METADATA})
_VOIDED_IN_INFO = frozenset({0x7BA9, 0x4461, 0x7384, 0x3C83AB, 0x3E83BB})   # Title, DateUTC, the file names
# The segment's own children: an element of unknown size (a live recording's cluster,
# as a browser's MediaRecorder writes) ends where one of these begins.
_SEGMENT_LEVEL = frozenset({0x114D9B74, _INFO, 0x1654AE6B, _CLUSTER, 0x1C53BB6B, 0x1043A770, *_VOIDED})
_MAX_ELEMENTS = 1_000_000   # a crafted file's tiny elements: read this many, then left as it is


def without_matroska_tags(data: bytes) -> bytes:
    """`data` (a Matroska or WebM file) with its Tags, Attachments, Chapters, Title,
    DateUTC and track names made Void elements of the same length and its telemetry
    frames zeroed (above); a file cut off (or whose structure cannot be followed) loses
    those read before the cut, its bytes otherwise as they were."""
    out = bytearray(data)
    count = [0]
    kinds: dict[int, int] = {}                    # track number: TrackType
    frames: dict[int, list[tuple[int, int]]] = {}  # track number: (start, stop) of each block's frames
    blocks = [0]                                   # the clusters' elements read

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
                elif child == _TRACKS:
                    for kind, _, entry, last in elements(inner, end):
                        if kind == _TRACK_ENTRY:
                            _track(data, entry, last, elements, void, kinds)
                elif child == _CLUSTER and blocks[0] < _MAX_ELEMENTS and _TELEMETRY_KINDS & set(kinds.values()):
                    # a cluster's blocks are read only for a track that may be telemetry (the
                    # Tracks come first), and counted apart: past _MAX_ELEMENTS of them (a
                    # long film's) the rest are left, and the Tags after them (ffmpeg writes
                    # them last) are still read
                    before = count[0]
                    for kind, _, block, last in elements(inner, end):
                        groups = elements(block, last) if kind == _BLOCK_GROUP else [(kind, 0, block, last)]
                        for each, _, first, stop_ in groups:
                            if each in (_SIMPLE_BLOCK, _BLOCK):
                                number, length = _vint(data, first)
                                frames.setdefault(number, []).append((first + length + 3, stop_))
                    blocks[0] += count[0] - before
                    count[0] = before
                at = end
    except (ValueError, IndexError):
        pass   # cut off (a recording stopped by a full card): the tags read so far are void
    for number, spans in frames.items():
        kind = kinds.get(number)
        if kind == _METADATA or (kind == _SUBTITLE and any(POSITION.search(data[a:b]) for a, b in spans)):
            for first, stop_ in spans:
                out[first:stop_] = bytes(max(0, stop_ - first))
    return bytes(out)


def _track(data: bytes, body: int, end: int, elements, void, kinds: dict[int, int]) -> None:
    """A TrackEntry's Name made void, its number's TrackType noted in `kinds`."""
    number = kind = None
    for ident, start, inner, stop in elements(body, end):
        if ident == _TRACK_NAME:
            void(start, stop)
        elif ident == _TRACK_NUMBER:
            number = int.from_bytes(data[inner:stop], "big")
        elif ident == _TRACK_TYPE:
            kind = int.from_bytes(data[inner:stop], "big")
    if number is not None and kind is not None:
        kinds[number] = kind


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
