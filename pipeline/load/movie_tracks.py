"""The samples of a movie's telemetry tracks: where a camera wrote its position over time.

A camera records its GPS fix beside the pictures, not in a tag box (metadata_chunks
frees those) but as a track of its own whose samples lie in mdat among the video's:
a GoPro's `gpmd` and Google's `camm` (camera motion) tracks and an iPhone's `mebx`
timed metadata (handler `meta`), a camera's timecode (`tmcd`: the time of day it was
recorded), and a drone's subtitles (DJI writes `GPS (8.6418, 49.8032, 20)` or
`[latitude: 49.8032]` into a text track, one sample a frame). No browser draws or
plays any of these; a subtitle track that names no position (a film's own captions)
is kept. Each sample's bytes are found through the track's sample table (ISO/IEC
14496-12: stsz sizes, stsc samples per chunk, stco/co64 chunk offsets) and given as
spans for the caller to zero in place, so every offset in the file stays true.
"""

from __future__ import annotations

import re
import struct

_TELEMETRY_HANDLERS = frozenset({b"meta", b"tmcd", b"camm"})
_TEXT_HANDLERS = frozenset({b"text", b"sbtl", b"subt"})
# A position written as text in a subtitle sample (DJI's two forms, and others').
_POSITION = re.compile(rb"gps|latitude|longitude|\blat\s*[:=]|\blon\s*[:=]", re.IGNORECASE)


def telemetry_spans(data: bytes, body: int, end: int) -> list[tuple[int, int]]:
    """(start, stop) of each sample, clipped to `data`, of the track whose trak box body
    runs from `body` to `end` when it is telemetry (above); [] for any other track.
    Raises ValueError or struct.error on a box that does not fit (a cut-off file)."""
    from .metadata_chunks import _boxes
    mdia = _child(_boxes, data, body, end, b"mdia")
    if mdia is None:
        return []
    hdlr = _child(_boxes, data, *mdia, b"hdlr")
    handler = data[hdlr[0] + 8:hdlr[0] + 12] if hdlr else b""
    if handler not in _TELEMETRY_HANDLERS | _TEXT_HANDLERS:
        return []
    minf = _child(_boxes, data, *mdia, b"minf")
    stbl = minf and _child(_boxes, data, *minf, b"stbl")
    if not stbl:
        return []
    table = {kind: (inner, stop) for kind, inner, stop in _boxes(data, *stbl)}
    spans = _merged(_sample_spans(data, table))
    if handler in _TEXT_HANDLERS and not any(_POSITION.search(data[a:b]) for a, b in spans):
        return []
    return spans


def _merged(spans) -> list[tuple[int, int]]:
    """`spans` sorted, those that overlap or touch made one: a crafted sample table whose
    million chunks each span the whole file is zeroed (and searched) once, not a million
    times."""
    out: list[tuple[int, int]] = []
    for start, stop in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], stop))
        elif stop > start:
            out.append((start, stop))
    return out


def _child(boxes, data: bytes, body: int, end: int, kind: bytes) -> tuple[int, int] | None:
    return next(((inner, stop) for found, inner, stop in boxes(data, body, end) if found == kind), None)


def _sample_spans(data: bytes, table: dict[bytes, tuple[int, int]]):
    """(start, stop) of each chunk's samples, from stsz, stsc and stco/co64; one span a
    chunk (its samples lie one after another), clipped to the file."""
    if b"stsz" not in table or b"stsc" not in table or not ({b"stco", b"co64"} & table.keys()):
        return
    at, stop = table[b"stsz"]
    uniform, count = struct.unpack_from(">II", data, at + 4)
    sizes = () if uniform else struct.unpack_from(f">{min(count, (stop - at - 12) // 4)}I", data, at + 12)
    at, stop = table[b"stsc"]
    (entries,) = struct.unpack_from(">I", data, at + 4)
    runs = [struct.unpack_from(">II", data, at + 8 + 12 * n) for n in range(min(entries, (stop - at - 8) // 12))]
    wide = b"co64" in table
    at, stop = table[b"co64" if wide else b"stco"]
    (chunks,) = struct.unpack_from(">I", data, at + 4)
    width = 8 if wide else 4
    offsets = struct.unpack_from(f">{min(chunks, (stop - at - 8) // width)}{'Q' if wide else 'I'}", data, at + 8)
    sample, run = 0, 0
    for chunk, offset in enumerate(offsets, start=1):
        while run + 1 < len(runs) and runs[run + 1][0] <= chunk:
            run += 1
        per_chunk = runs[run][1] if runs else 0
        if uniform:
            length = uniform * per_chunk
        else:
            length = sum(sizes[sample:sample + per_chunk])
        sample += per_chunk
        if offset < len(data):
            yield offset, min(len(data), offset + length)
