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
spans for the caller to zero in place, so every offset in the file stays true. A
fragmented MP4 lists its samples in each fragment instead (moof/traf/trun, whose
base and data offsets say where they lie: _fragment), and is followed there too.
"""

from __future__ import annotations

import re
import struct

_TELEMETRY_HANDLERS = frozenset({b"meta", b"tmcd", b"camm"})
_TEXT_HANDLERS = frozenset({b"text", b"sbtl", b"subt"})
# A position written as text in a subtitle sample (DJI's two forms, and others').
POSITION = re.compile(rb"gps|latitude|longitude|\blat\s*[:=]|\blon\s*[:=]", re.IGNORECASE)


def telemetry_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, stop) of each telemetry sample (above) of the movie `data`, clipped to it,
    merged: those a track's sample table gives, and those of every movie fragment
    (moof/traf/trun: a fragmented MP4, what a camera streaming or an encoder for the web
    writes, whose moov tables are empty and whose samples each fragment lists). A track
    or fragment that cannot be read (a cut-off file) gives what was read before it."""
    # each track's own samples (its sample table) judged as the track, and its fragments'
    # by track id (unique in a real movie; a crafted one repeating an id 100,000 times
    # over as many fragments is read once an id, not once a track and a fragment)
    tracks: list[tuple[bytes, list[tuple[int, int]]]] = []   # handler, the sample table's spans
    telemetry: dict[int, bool] = {}                           # track id: whether a telemetry track has it
    fragments: dict[int, list[tuple[int, int]]] = {}          # track id: its fragments' spans
    defaults: dict[int, int] = {}                             # track id: trex's default sample size
    for kind, first, body, end in _fitting(data, 0, len(data)):
        if kind == b"moov":
            for inner, _, start, stop in _fitting(data, body, end):
                if inner == b"trak":
                    for track, handler, found in _readable(lambda: _track(data, start, stop)):
                        telemetry[track] = telemetry.get(track, False) or handler in _TELEMETRY_HANDLERS
                        fragments.setdefault(track, [])
                        tracks.append((handler, found))
                elif inner == b"mvex":
                    defaults.update(dict(_readable(lambda: [
                        struct.unpack_from(">I8xI", data, at + 4) for trex, _, at, _ in _fitting(data, start, stop)
                        if trex == b"trex"])))
        elif kind == b"moof" and fragments:
            for track, found in _readable(lambda: list(_fragment(data, first, body, end, defaults))):
                if track in fragments:
                    fragments[track].extend(found)
    out: list[tuple[int, int]] = []
    judged = [(handler in _TELEMETRY_HANDLERS, found) for handler, found in tracks]
    judged += [(telemetry[track], found) for track, found in fragments.items() if found]
    for always, found in judged:
        found = _merged(found)
        if always or any(POSITION.search(data[a:b]) for a, b in found):   # else a film's own captions
            out.extend(found)
    return _merged(out)


def _readable(read) -> list:
    """What `read()` gives, or [] when the boxes it reads do not fit (a cut-off file)."""
    try:
        return read()
    except (struct.error, IndexError, ValueError):
        return []


def _fitting(data: bytes, at: int, end: int):
    """(type, start, body, end) of the boxes from `at` to `end`, as far as they fit."""
    from .metadata_chunks import _box_spans
    try:
        yield from _box_spans(data, at, end)
    except (struct.error, ValueError):
        return


def _track(data: bytes, body: int, end: int) -> list[tuple[int, bytes, list[tuple[int, int]]]]:
    """[(track id, handler, its sample table's spans)] of the trak box whose body runs
    from `body` to `end` when it is a telemetry or text track; [] for any other."""
    from .metadata_chunks import _boxes
    tkhd = _child(_boxes, data, body, end, b"tkhd")
    mdia = _child(_boxes, data, body, end, b"mdia")
    if tkhd is None or mdia is None:
        return []
    (track,) = struct.unpack_from(">I", data, tkhd[0] + (20 if data[tkhd[0]] == 1 else 12))
    hdlr = _child(_boxes, data, *mdia, b"hdlr")
    handler = data[hdlr[0] + 8:hdlr[0] + 12] if hdlr else b""
    if handler not in _TELEMETRY_HANDLERS | _TEXT_HANDLERS:
        return []
    minf = _child(_boxes, data, *mdia, b"minf")
    stbl = minf and _child(_boxes, data, *minf, b"stbl")
    table = {kind: (inner, stop) for kind, inner, stop in _boxes(data, *stbl)} if stbl else {}
    return [(track, handler, list(_sample_spans(data, table)))]


def _fragment(data: bytes, moof: int, body: int, end: int, defaults: dict[int, int]):
    """(track id, spans) of each track fragment (traf) of the moof box at `moof`: where
    its runs' samples lie (ISO/IEC 14496-12 8.8.7-8.8.8: tfhd's base data offset, or the
    moof's start, or the end of the previous traf's data; each trun's data offset and
    its samples' sizes, or tfhd's or trex's default size)."""
    from .metadata_chunks import _boxes
    following = moof   # where a traf's data begins when its tfhd gives no base
    for kind, traf, stop in list(_boxes(data, body, end)):
        if kind != b"traf":
            continue
        tfhd = _child(_boxes, data, traf, stop, b"tfhd")
        if tfhd is None:
            continue
        flags = int.from_bytes(data[tfhd[0] + 1:tfhd[0] + 4], "big")
        (track,) = struct.unpack_from(">I", data, tfhd[0] + 4)
        at, base = tfhd[0] + 8, moof if flags & 0x20000 else following
        if flags & 0x1:
            (base,), at = struct.unpack_from(">Q", data, at), at + 8
        at += 4 * bool(flags & 0x2) + 4 * bool(flags & 0x8)
        size = struct.unpack_from(">I", data, at)[0] if flags & 0x10 else defaults.get(track, 0)
        spans, next_run = [], base
        for run, inner, last in _boxes(data, traf, stop):
            if run == b"trun":
                start, length = _run(data, inner, last, base, next_run, size)
                spans.append((start, min(len(data), start + length)))
                next_run = start + length
        following = next_run
        yield track, [(a, b) for a, b in spans if 0 <= a < b]


def _run(data: bytes, body: int, end: int, base: int, after: int, default: int) -> tuple[int, int]:
    """(file offset, length in bytes) of the samples of the trun box whose body runs from
    `body` to `end`: at `base` + its data offset, or `after` (the previous run's end)."""
    flags = int.from_bytes(data[body + 1:body + 4], "big")
    (count,) = struct.unpack_from(">I", data, body + 4)
    at, start = body + 8, after
    if flags & 0x1:
        (offset,), at = struct.unpack_from(">i", data, at), at + 4
        start = base + offset
    at += 4 * bool(flags & 0x4)
    fields = [bit for bit in (0x100, 0x200, 0x400, 0x800) if flags & bit]
    if 0x200 not in fields:
        return start, count * default   # every sample of the default size: no loop over a crafted count
    count = min(count, (end - at) // (4 * len(fields)))   # a count past what the box holds
    sizes = struct.unpack_from(f">{count * len(fields)}I", data, at)[fields.index(0x200)::len(fields)]
    return start, sum(sizes)


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
