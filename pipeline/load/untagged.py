"""A sound file as the site publishes it (a voice-over clip, a theme's static sound
file: media.without_metadata): its sound, without its tags.

A recording app or an editor writes who, where and when into the file: an Ogg
file's comments (ARTIST, LOCATION, CONTACT, DATE; a phone app writes GPS there), an
MP3's ID3 and APE tags (the artist, comments, a cover picture with its own EXIF), a
FLAC's comments and pictures, an AIFF's ID3 chunk and its own text chunks (NAME, AUTH,
'(c) ', ANNO, an AIFF-C's COMT, an application's APPL), a WAV's LIST/INFO chunk (IART,
ICMT, ICRD) and a broadcast WAV's bext (originator, time) and iXML, also in a field
recorder's RF64 or BW64 (a WAV over 4 GiB: its sizes in a ds64 chunk) and a
big-endian RIFX. The clip was published byte for byte, so a voice actor's name or home's
position went out with every page that plays it. mutagen (already what checks the
clip, audio.py) removes an Ogg's comments and an MP3's tags and writes the file
again; a WAV keeps the chunks a player reads (fmt, fact, data and its cue and sampler
points) and loses the rest, and an AIFF likewise (COMM, SSND, its markers and loops, an
AIFF-C's version). The sound is the same (the Ogg packets and the samples
are kept as they are; an Ogg's pages are numbered again), and a clip without tags keeps
its bytes.
"""

from __future__ import annotations

import io
import struct

# The chunks of a WAV a player reads: its format, the sample count of a compressed
# one, the samples, and cue and loop points (numbers, no words).
_WAV_KEPT = frozenset({b"fmt ", b"fact", b"data", b"cue ", b"smpl"})
# An AIFF's (big-endian IFF): its format, samples, markers and the loops that name them.
_AIFF_KEPT = frozenset({b"COMM", b"SSND", b"MARK", b"INST", b"FVER"})
# An RF64's (EBU Tech 3306) or BW64's (ITU-R BS.2088): its chunk sizes over 4 GiB (ds64),
# and a BW64's channels' meaning (chna, axml: the audio definition model a renderer reads).
_RF64_KEPT = _WAV_KEPT | {b"ds64", b"chna", b"axml"}
_LARGE = 0xFFFFFFFF   # an RF64 chunk's 32-bit size saying "read mine in ds64"


def id3v2_skipped(data: bytes) -> bytes:
    """`data` past the ID3v2 tags it opens with (an MP3's: "ID3", version, flags, a
    synch-safe size, a v2.4 footer), `data` itself (the same object) when it opens with
    none. mutagen reads a tag's frames in time quadratic in their number (each frame
    read copies the rest of the tag): a 9 MB voice clip of 786,432 two-byte frames was
    80+ CPU-s at each read (checked, then published), where a tag is nothing foundry
    reads or publishes. Skipped by its header, the tag's frames are never read."""
    at = 0
    while data[at:at + 3] == b"ID3" and len(data) >= at + 10 and data[at + 3] in (2, 3, 4) \
            and all(byte < 0x80 for byte in data[at + 6:at + 10]):
        size = (data[at + 6] << 21) | (data[at + 7] << 14) | (data[at + 8] << 7) | data[at + 9]
        at += 10 + size + (10 if data[at + 3] == 4 and data[at + 5] & 0x10 else 0)
    return data if at == 0 else data[at:]


def without_tags(data: bytes) -> bytes:
    """`data` (a clip audio.py accepted: Ogg Opus or Vorbis, MP3, WAV; or any sound file
    mutagen knows: FLAC, AIFF…) without its tags; `data` itself (the same object) when it
    has none, mutagen does not know it or its structure cannot be followed."""
    if data[:4] in (b"RIFF", b"RIFX") and data[8:12] == b"WAVE":
        return _kept_chunks(data, "<" if data[:4] == b"RIFF" else ">", _WAV_KEPT)
    if data[:4] in (b"RF64", b"BW64") and data[8:12] == b"WAVE" and data[12:16] == b"ds64":
        return _rf64(data)
    if data[:4] == b"FORM" and data[8:12] in (b"AIFF", b"AIFC"):
        return _kept_chunks(data, ">", _AIFF_KEPT)
    import mutagen
    from mutagen.apev2 import delete as delete_ape
    from mutagen.mp3 import MP3
    bare = id3v2_skipped(data)   # never read by mutagen: its frames cost time squared
    buffer = io.BytesIO(bare)
    try:
        found = mutagen.File(buffer)
        if found is None and bare is not data:   # what mutagen guesses from the tag's "ID3"
            buffer.seek(0)
            found = MP3(buffer)
        if found is None:
            return data
        if getattr(found, "pictures", None):   # a FLAC's cover pictures, each with its own EXIF
            found.clear_pictures()
            if found.tags is not None:
                _emptied(found.tags)
            buffer.seek(0)
            found.save(buffer, deleteid3=True)
        elif found.tags:   # none, or none written: the file as it is (mutagen would write it anew)
            _emptied(found.tags)   # (delete clears them too: the one-by-one way)
            buffer.seek(0)
            found.delete(buffer)
        if b"APETAGEX" in buffer.getvalue()[-4096:]:   # an MP3's APE tag, at its end
            buffer.seek(0)
            delete_ape(buffer)
    except Exception:  # mutagen raises many types for a crafted file (IndexError for an Ogg comment cut short)
        return bare
    out = buffer.getvalue()
    return data if out == data else out


def _emptied(tags) -> None:
    """`tags` cleared. An Ogg's or FLAC's comments (mutagen's VComment, a list) are
    emptied at once: mutagen's own clear removes them one by one, each a search of the
    list, so a 10 MiB Opus clip of ~1.4 M comments ("A=b") was ~80 CPU-s to publish."""
    if isinstance(tags, list):
        list.clear(tags)
    else:
        tags.clear()


def _rf64(data: bytes) -> bytes:
    """An RF64 or BW64 `data` with only the chunks `_RF64_KEPT`; `data` itself when it has
    no other or its ds64 is cut short. Its 64-bit sizes are ds64's (the RIFF's, the data
    chunk's; its table's, of other chunks over 4 GiB, are not read: such a chunk runs to
    the end): the RIFF's is written again."""
    if len(data) < 48:
        return data
    riff, data_size = struct.unpack_from("<QQ", data, 20)
    large = {b"data": data_size}
    # a recorder stopped before it wrote the sizes leaves 0: the file's end is the chunks' end
    out = _kept_chunks(data, "<", _RF64_KEPT, large, len(data) if riff < 4 else 8 + riff)
    if out is data:
        return data
    out = bytearray(out)
    out[4:8] = struct.pack("<I", _LARGE)
    out[20:28] = struct.pack("<Q", len(out) - 8)
    return bytes(out)


def _kept_chunks(data: bytes, order: str, keep: frozenset[bytes],
                 large: dict[bytes, int] | None = None, riff_end: int | None = None) -> bytes:
    """A WAV (RIFF, `order` "<") or an AIFF (IFF, ">") with only the chunks `keep`, in
    their order; `data` itself when it has no other. A chunk running past the file's
    end is the last one read (a recording cut off: audio.py decodes what is there, and
    published the file whole, its LIST/INFO before the samples with it): kept as far as
    it goes when it is one of those, and its size as written, which players read
    through to the end of the file. An RF64's chunk whose size is _LARGE has its size
    in `large` (by id; else it runs to the end), and its RIFF ends at `riff_end`."""
    if riff_end is None:
        riff_end = 8 + struct.unpack_from(order + "I", data, 4)[0]
    kept, at, end = [], 12, min(len(data), riff_end)
    dropped = False
    while at + 8 <= end:
        kind, (size,) = data[at:at + 4], struct.unpack_from(order + "I", data, at + 4)
        if size == _LARGE and large is not None:
            size = large.get(kind) or end - at - 8   # 0: a recorder stopped before writing it
        stop = at + 8 + size + (size & 1)   # a chunk of odd size is padded to even
        if at + 8 + size > end:
            stop = end
        if kind in keep:
            kept.append(data[at:min(stop, end)])
        else:
            dropped = True
        at = stop
    if not dropped:
        return data
    body = data[8:12] + b"".join(kept)   # an RF64's size is written again by _rf64
    return data[:4] + struct.pack(order + "I", len(body)) + body
