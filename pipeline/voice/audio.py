"""What one audio file holds, checked with two well-kept libraries.

mutagen (pure Python) identifies the container and codec from the bytes and reads
the stream's duration, sample rate and channels; nothing else sees a file that it
does not recognise as Ogg Opus, Ogg Vorbis, MP3 or WAV. A container whose header is
fine can still be broken part-way, and mutagen reads headers only, so:

- an Ogg file's every page is read with mutagen and written back, and must give the
  same bytes (the page checksum, its length and the file's end all agree) — a
  decoder would skip a damaged page silently, as Ogg is made to resynchronise;
- soundfile (libsndfile) then decodes every frame of every format.
The file's ending must name what it holds, so a browser that trusts the type plays it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..load.places import AUDIO_ENDINGS

# mutagen and soundfile are imported where a clip is checked: a project without
# voice-over never loads them (libsndfile is a native library).

MAX_BYTES = 10 * 1024 * 1024
MAX_SECONDS = 300.0
RATES = (8_000, 192_000)
MAX_CHANNELS = 2
SUFFIXES = AUDIO_ENDINGS   # load/files.py PLACES: the folders and endings HF0105 names
# mutagen's class → (our format name, MIME type, endings it may have)
FORMATS = {
    "OggOpus": ("ogg-opus", "audio/ogg; codecs=opus", (".opus", ".ogg")),
    "OggVorbis": ("ogg-vorbis", "audio/ogg; codecs=vorbis", (".ogg",)),
    "MP3": ("mp3", "audio/mpeg", (".mp3",)),
    "WAVE": ("wav", "audio/wav", (".wav",)),
}
SHORT_BY = 0.25      # seconds a decoded clip may fall short of its header (encoder delay, padding)
OPUS_RATE = 48_000   # Opus always decodes at 48 kHz; mutagen reports no rate for it


@dataclass(frozen=True)
class AudioInfo:
    """A usable clip: `format` one of ogg-opus | ogg-vorbis | mp3 | wav, `mime` the
    type a browser is told, `duration` in seconds, `sample_rate` in Hz."""

    format: str
    mime: str
    duration: float
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class Problem:
    """Why a file cannot be used (`code` HF1130/HF1134) or is suspicious (HF1135)."""

    code: str
    message: str


def probe_audio(data: bytes, suffix: str) -> tuple[AudioInfo | None, list[Problem]]:
    """Identify and decode `data` (a file ending in `suffix`). Returns the info (None
    when the file cannot be published) and the problems found, in words."""
    import mutagen
    try:
        found = mutagen.File(io.BytesIO(data))
    except Exception as exc:  # mutagen raises a family of its own errors (and struct/EOF ones) for broken headers
        return None, [Problem("HF1130", f"not readable audio: broken {_kind(exc)} header")]
    name = type(found).__name__ if found is not None else ""
    if name not in FORMATS:
        what = f"{name} audio" if found is not None else "not audio (no Ogg, MP3 or WAV header)"
        code = "HF1134" if found is not None else "HF1130"
        return None, [Problem(code, f"{what}; voice-over is Ogg Opus, Ogg Vorbis, MP3 or WAV")]
    fmt, mime, endings = FORMATS[name]
    if suffix not in endings:
        return None, [Problem("HF1134", f"holds {fmt} but is named '{suffix}' (use {' or '.join(endings)})")]
    damaged = _ogg_damage(data) if fmt.startswith("ogg") else None
    if damaged:
        return None, [Problem("HF1130", f"{fmt} audio broken part-way ({damaged})")]
    info = found.info
    rate = int(getattr(info, "sample_rate", 0) or (OPUS_RATE if fmt == "ogg-opus" else 0))
    clip = AudioInfo(fmt, mime, round(float(info.length or 0.0), 3), rate, int(info.channels or 0))
    try:
        frames, seconds = _decode(data)
    except Exception as exc:  # libsndfile reports every decoding failure as one error type (or RuntimeError)
        return None, [Problem("HF1130", f"{fmt} audio that does not decode ({_first_line(exc)})")]
    if seconds > MAX_SECONDS and clip.duration <= MAX_SECONDS:   # a header that understates the length
        clip = AudioInfo(fmt, mime, round(seconds, 3), rate, clip.channels)
    elif seconds <= MAX_SECONDS and clip.duration - seconds > max(SHORT_BY, clip.duration * 0.05):
        # A WAV or MP3 cut short (an upload that stopped) still has a whole header, and
        # libsndfile decodes what is there without a word: the sound that decodes falls
        # short of what the header promises. (Ogg's pages are checked above.)
        return None, [Problem("HF1130", f"{fmt} audio broken part-way: its header says {clip.duration:.1f} s, "
                                        f"only {seconds:.1f} s decodes (a file cut short?)")]
    return clip, _limits(clip, frames)


def _ogg_damage(data: bytes) -> str | None:
    """Where an Ogg stream is damaged, in words, or None when every page is intact."""
    from mutagen.ogg import OggPage
    stream, number = io.BytesIO(data), 0
    while stream.tell() < len(data):
        start = stream.tell()
        try:
            page = OggPage(stream)
        except Exception:  # mutagen's struct/EOF errors for a cut or garbled page header
            return f"page {number + 1} is cut short or garbled"
        if page.write() != data[start:stream.tell()]:
            return f"page {number + 1} fails its checksum"
        number += 1
    return None


def _decode(data: bytes) -> tuple[int, float]:
    """Decode every frame (in blocks, so a long file costs little memory): (frames,
    seconds). Decoding costs time per second of sound, not per byte — ten MiB of
    silent Opus is twelve hours, many minutes of CPU — so it stops once the sound is
    longer than MAX_SECONDS (the seconds then say so, whatever the header claims),
    and no file costs more than a clip of the longest allowed length."""
    import soundfile
    total = 0
    with soundfile.SoundFile(io.BytesIO(data)) as f:
        rate = max(int(f.samplerate or 0), 1)
        limit = int(MAX_SECONDS * rate)
        for block in f.blocks(blocksize=65_536, dtype="int16"):
            total += len(block)
            if total > limit:
                break
    return total, total / rate


def _limits(clip: AudioInfo, frames: int) -> list[Problem]:
    out = []
    if frames == 0 or clip.duration <= 0:
        out.append(Problem("HF1135", "holds no sound (0 samples)"))
    elif clip.duration > MAX_SECONDS:
        out.append(Problem("HF1135", f"is {clip.duration:.0f} s long; one line's voice-over is at most {MAX_SECONDS:.0f} s"))
    if clip.channels > MAX_CHANNELS or clip.channels < 1:
        out.append(Problem("HF1135", f"has {clip.channels} channels; voice-over is mono or stereo"))
    if not RATES[0] <= clip.sample_rate <= RATES[1]:
        out.append(Problem("HF1135", f"has a sample rate of {clip.sample_rate} Hz (expected 8–192 kHz)"))
    return out


def _kind(exc: Exception) -> str:
    return type(exc).__name__.replace("HeaderError", "").replace("Error", "") or "audio"


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    # libsndfile names the object it read (`<_io.BytesIO object at 0x…>`): not useful, and not stable
    return text.split(": ", 1)[-1][:100] if "object at 0x" in text else text[:100]
