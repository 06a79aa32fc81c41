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
import re
from dataclasses import dataclass

from ..load.lfs import LFS_HINT, MAX_POINTER, pointer
from ..load.places import AUDIO_ENDINGS
from ..load.untagged import id3v2_skipped, without_tags

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
# The WAV codings every browser's <audio> plays (libsndfile's subtype names): Chromium's
# and Firefox's WAV readers take linear PCM, 32-bit float and the two telephone laws; an
# ADPCM, GSM or 64-bit float WAV decodes here and is silent (an error) on the page.
WAV_CODINGS = frozenset({"PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "ULAW", "ALAW"})
CODING_NAMES = {"DOUBLE": "64-bit float", "MS_ADPCM": "Microsoft ADPCM", "GSM610": "GSM 6.10"}
SILENCE = 10 ** (-70 / 20)   # a peak below -70 dBFS: digital silence as a lossy decoder gives it back
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
    hint: str | None = None   # None: the code's own


def probe_audio(data: bytes, suffix: str) -> tuple[AudioInfo | None, list[Problem]]:
    """Identify and decode `data` (a file ending in `suffix`). Returns the info (None
    when the file cannot be published) and the problems found, in words."""
    import mutagen
    if pointer(data[:MAX_POINTER]) is not None:
        # git-lfs not installed, or CI's checkout without `lfs: true` (load/lfs.py): "export
        # the clip again" sent its writer to re-encode a clip that is fine
        return None, [Problem("HF1130", "a Git LFS pointer, not the clip: the file Git LFS keeps for it is not "
                                        "in this checkout", LFS_HINT)]
    other = _other_container(data)
    if other is not None:
        return None, [Problem("HF1134", f"{other} audio; voice-over is Ogg Opus, Ogg Vorbis, MP3 or WAV")]
    # A clip's tags are never read by mutagen, which reads an ID3 tag's frames in time
    # quadratic in their number: a WAV's or AIFF's is dropped with its other tag chunks
    # (our own chunk walk), an MP3's leading ID3 tags skipped by their headers.
    chunked = data[:4] in (b"RIFF", b"RIFX", b"RF64", b"BW64", b"FORM")
    bare = without_tags(data) if chunked else id3v2_skipped(data)
    try:
        found = mutagen.File(io.BytesIO(bare))
    except Exception as exc:  # mutagen raises a family of its own errors (and struct/EOF ones) for broken headers
        return None, [Problem("HF1130", f"not readable audio: its header is broken ({_kind(exc)})")]
    if found is None and ((bare is not data and not chunked) or _mpeg_frame_first(data)):   # after "ID3": MP3
        found = _mp3(bare)
        if isinstance(found, Problem):
            return None, [found]
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
    if fmt == "wav" and not (clip.sample_rate and clip.channels):
        # libsndfile's word for it is "Internal error : SF_INFO struct incomplete."
        return None, [Problem("HF1130", f"wav audio whose header gives {_header_zero(clip)}: it does not decode")]
    try:
        frames, seconds, subtype, silent, stopped = _decode(data)
    except Exception as exc:  # libsndfile reports every decoding failure as one error type (or RuntimeError)
        return None, [Problem("HF1130", f"{fmt} audio that does not decode ({_first_line(exc)})")]
    if fmt == "wav" and subtype not in WAV_CODINGS:
        # (mutagen reads an ADPCM WAV's length as a few milliseconds: refused before it is published)
        coding = CODING_NAMES.get(subtype, subtype.replace("_", " "))
        return None, [Problem("HF1134", f"a WAV coded as {coding}, which browsers do not play; "
                                        "use linear PCM (16 or 24 bit) WAV, or Ogg Opus")]
    if seconds > MAX_SECONDS and clip.duration <= MAX_SECONDS:   # a header that understates the length
        clip = AudioInfo(fmt, mime, round(seconds, 3), rate, clip.channels)
    elif seconds <= MAX_SECONDS and not stopped and clip.duration - seconds > max(SHORT_BY, clip.duration * 0.05):
        # A WAV or MP3 cut short (an upload that stopped) still has a whole header, and
        # libsndfile decodes what is there without a word: the sound that decodes falls
        # short of what the header promises. (Ogg's pages are checked above.)
        return None, [Problem("HF1130", f"{fmt} audio broken part-way: its header says {clip.duration:.1f} s, "
                                        f"only {seconds:.1f} s decodes (a file cut short?)")]
    return clip, _limits(clip, frames, silent)


# Audio containers mutagen does not name, by their first bytes: a DAW's WAV for long
# takes (RF64, BW64, Sony Wave64 — "its header is broken (invalid chunk)" of RF64, "not
# audio" of the others), Apple's CAF, the WebM a browser's MediaRecorder writes, Sun's
# AU, AMR. Each is audio in a format browsers do not play from a WAV or Ogg address.
_CONTAINERS = ((b"RF64", 0, "RF64 (a 64-bit WAV)"), (b"BW64", 0, "BW64 (a 64-bit WAV)"),
               (b"riff\x2e\x91\xcf\x11\xa5\xd6\x28\xdb", 0, "Sony Wave64"), (b"caff", 0, "Core Audio (CAF)"),
               (b".snd", 0, "Sun AU"), (b"#!AMR", 0, "AMR"))
_EBML = b"\x1a\x45\xdf\xa3"


def _other_container(data: bytes) -> str | None:
    """The name of an audio container `data` starts with that voice-over does not take
    and mutagen does not identify (_CONTAINERS, WebM and Matroska), or None."""
    for magic, at, name in _CONTAINERS:
        if data[at:at + len(magic)] == magic:
            return name
    if data.startswith(_EBML):
        return "WebM" if b"webm" in data[:64] else "Matroska"
    return None


def _mpeg_frame_first(data: bytes) -> bool:
    """Whether `data` opens with an MPEG audio frame header: eleven bits of sync, a
    version other than the reserved one, layer III. mutagen's guess (`File`) knows the
    MPEG 1 and 2 openings only, so an MPEG 2.5 MP3 (8, 11.025, 12 kHz: voice at a low
    rate, as encoders write it) was "not audio"."""
    return len(data) >= 4 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0 \
        and data[1] & 0x18 != 0x08 and data[1] & 0x06 == 0x02


def _mp3(data: bytes):
    """The file read as MP3 by mutagen, or the Problem its header is."""
    from mutagen.mp3 import MP3
    try:
        return MP3(io.BytesIO(data))
    except Exception as exc:  # mutagen's header errors, as for File above
        return Problem("HF1130", f"not readable audio: its header is broken ({_kind(exc)})")


def _header_zero(clip: AudioInfo) -> str:
    zero = [what for what, value in (("a sample rate", clip.sample_rate), ("channels", clip.channels)) if not value]
    return " and ".join(f"0 {what}" if what == "channels" else f"{what} of 0 Hz" for what in zero)


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


def _decode(data: bytes) -> tuple[int, float, str, bool, bool]:
    """Decode every frame (in blocks, so a long file costs little memory): (frames,
    seconds, libsndfile's subtype — `PCM_16`, `IMA_ADPCM` —, whether every sample is
    silence, below SILENCE, whether decoding stopped before the end because the clip
    holds more samples than the limits allow at its rate and channels). Decoding costs time per second of sound, not per byte — ten MiB of
    silent Opus is twelve hours, many minutes of CPU — so it stops once the sound is
    longer than MAX_SECONDS (the seconds then say so, whatever the header claims),
    and no file costs more than a clip of the longest allowed length."""
    import soundfile
    total, silent = 0, True
    with soundfile.SoundFile(io.BytesIO(data)) as f:
        rate = max(int(f.samplerate or 0), 1)
        channels = max(int(f.channels or 0), 1)
        limit = int(MAX_SECONDS * rate)
        # Nor more samples than the longest stereo clip at this rate (up to RATES'
        # highest) holds: every channel costs its decoding too, and one 1.9 MB Vorbis
        # file of 255 silent channels at 192 kHz (Vorbis and Opus take 255) was 92 CPU-s
        # of check, a header's rate of 10^9 Hz no bound at all. A clip stopped here has
        # more channels or a higher rate than the limits (HF1135 says which).
        limit = min(limit, int(MAX_SECONDS * min(rate, RATES[1]) * MAX_CHANNELS) // channels)
        # as float: libsndfile reads a float WAV into integers by truncation, every
        # sample of a quiet one 0. A block of at most 131,072 samples (512 KiB): a WAV
        # of 1,024 channels asked 256 MiB a block.
        for block in f.blocks(blocksize=max(1, min(65_536, 131_072 // channels)), dtype="float32"):
            total += len(block)
            silent = silent and not (abs(block) > SILENCE).any()
            if total > limit:
                break
        subtype = f.subtype
    return total, total / rate, subtype, silent, total > limit


def _limits(clip: AudioInfo, frames: int, silent: bool = False) -> list[Problem]:
    out = []
    if frames == 0 or clip.duration <= 0:
        out.append(Problem("HF1135", "holds no sound (0 samples)"))
    elif clip.duration > MAX_SECONDS:
        out.append(Problem("HF1135", f"is {clip.duration:.0f} s long; one line's voice-over is at most {MAX_SECONDS:.0f} s"))
    elif silent:
        # a recording made with the microphone muted, a synthesiser that wrote nothing
        out.append(Problem("HF1135", f"is {clip.duration:.1f} s of silence (no sample above -70 dBFS)"))
    if clip.channels > MAX_CHANNELS or clip.channels < 1:
        out.append(Problem("HF1135", f"has {clip.channels} channels; voice-over is mono or stereo"))
    if not RATES[0] <= clip.sample_rate <= RATES[1]:
        out.append(Problem("HF1135", f"has a sample rate of {clip.sample_rate} Hz (expected 8–192 kHz)"))
    return out


def _kind(exc: Exception) -> str:
    """mutagen's error in words: `HeaderNotFoundError` → "header not found"."""
    name = type(exc).__name__.replace("HeaderError", "").replace("Error", "") or "audio"
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _first_line(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    # libsndfile names the object it read (`<_io.BytesIO object at 0x…>`): not useful, and not stable
    text = text.split(": ", 1)[-1][:100] if "object at 0x" in text else text[:100]
    # libsndfile calls a header it cannot use an "Internal error": the fault is the file's
    return "its header is not one libsndfile can use" if "internal error" in text.lower() else text
