"""A sound file as the site publishes it (a voice-over clip, a theme's static sound
file: media.without_metadata): its sound, without its tags.

A recording app or an editor writes who, where and when into the file: an Ogg
file's comments (ARTIST, LOCATION, CONTACT, DATE; a phone app writes GPS there), an
MP3's ID3 and APE tags (the artist, comments, a cover picture with its own EXIF), a
FLAC's comments and pictures, an AIFF's ID3 chunk and its own text chunks (NAME, AUTH,
'(c) ', ANNO, an AIFF-C's COMT, an application's APPL), a WAV's LIST/INFO chunk (IART,
ICMT, ICRD) and a broadcast WAV's bext (originator, time) and iXML. The clip was published byte for byte, so a voice actor's name or home's
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


def without_tags(data: bytes) -> bytes:
    """`data` (a clip audio.py accepted: Ogg Opus or Vorbis, MP3, WAV; or any sound file
    mutagen knows: FLAC, AIFF…) without its tags; `data` itself (the same object) when it
    has none, mutagen does not know it or its structure cannot be followed."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _kept_chunks(data, "<", _WAV_KEPT)
    if data[:4] == b"FORM" and data[8:12] in (b"AIFF", b"AIFC"):
        return _kept_chunks(data, ">", _AIFF_KEPT)
    import mutagen
    from mutagen.apev2 import delete as delete_ape
    buffer = io.BytesIO(data)
    try:
        found = mutagen.File(buffer)
        if found is None:
            return data
        if getattr(found, "pictures", None):   # a FLAC's cover pictures, each with its own EXIF
            found.clear_pictures()
            if found.tags is not None:
                found.tags.clear()
            buffer.seek(0)
            found.save(buffer, deleteid3=True)
        elif found.tags:   # none, or none written: the file as it is (mutagen would write it anew)
            buffer.seek(0)
            found.delete(buffer)
        if b"APETAGEX" in buffer.getvalue()[-4096:]:   # an MP3's APE tag, at its end
            buffer.seek(0)
            delete_ape(buffer)
    except Exception:  # mutagen raises many types for a crafted file (IndexError for an Ogg comment cut short)
        return data
    out = buffer.getvalue()
    return data if out == data else out


def _kept_chunks(data: bytes, order: str, keep: frozenset[bytes]) -> bytes:
    """A WAV (RIFF, `order` "<") or an AIFF (IFF, ">") with only the chunks `keep`, in
    their order; `data` itself when it has no other. A chunk running past the file's
    end is the last one read (a recording cut off: audio.py decodes what is there, and
    published the file whole, its LIST/INFO before the samples with it): kept as far as
    it goes when it is one of those, and its size as written, which players read
    through to the end of the file."""
    kept, at, end = [], 12, min(len(data), 8 + struct.unpack_from(order + "I", data, 4)[0])
    dropped = False
    while at + 8 <= end:
        kind, (size,) = data[at:at + 4], struct.unpack_from(order + "I", data, at + 4)
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
    body = data[8:12] + b"".join(kept)
    return data[:4] + struct.pack(order + "I", len(body)) + body
