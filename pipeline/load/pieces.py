"""A value a file holds in pieces (an EMF+ photo split over records, a compound file's
property stream over its sectors): read whole, cleaned as one value, and written back
where each piece lies, so the file keeps every offset (load/metafile_pictures.py,
load/ole_properties.py)."""

from __future__ import annotations

from typing import Iterable


def gathered(data: bytes, spans: Iterable[tuple[int, int]]) -> bytearray:
    """The pieces of `data` at each (offset, length) of `spans`, in order, as one value."""
    return bytearray(b"".join(data[start:start + length] for start, length in spans))


def scatter(out: bytearray, spans: Iterable[tuple[int, int]], value: bytes) -> None:
    """`value` (as long as the spans together) written back over `out`, piece by piece,
    at each (offset, length) of `spans` in order."""
    spans = list(spans)
    if len(value) != sum(length for _, length in spans):   # else every byte after it would move
        raise ValueError("not as long as the spans it is written over")
    at = 0
    for start, length in spans:
        out[start:start + length] = value[at:at + length]
        at += length
