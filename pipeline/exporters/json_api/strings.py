"""String tables for engines: `api/v1/strings/<lang>.json`, one per language in
`[l10n] languages` plus the base language, keyed by line id.

Rows, not a map keyed by line id: the contract allows no dynamic keys (contract.py),
so an engine loads the array and indexes it by `id` itself. A line with no usable
translation carries the base language's text with `fallback: true`, and is counted.
"""

from __future__ import annotations

from typing import Literal

from ...l10n.pseudo import is_pseudo
from ...load.markdown import choice_words, title_text
from ...l10n.state import MISSING, STALE
from .contract import SCHEMA_VERSION, Row


class StringAudio(Row):
    path: str               # from the site root, build/site/ (e.g. media/audio/de/story.keep.l-3f2a-….opus)
    source: str             # the file in the project (content/audio/de/story.keep.l-3f2a.opus)
    format: Literal["ogg-opus", "ogg-vorbis", "mp3", "wav"]
    mime: str               # what a browser is told, e.g. `audio/ogg; codecs=opus`
    duration_ms: int
    sample_rate: int        # Hz
    channels: int
    bytes: int


class StringRow(Row):
    id: str                 # the line id, e.g. `story.sunken-keep.choice.gate--hall`
    text: str               # Markdown where the source is prose (a summary, a paragraph), else plain text
    fallback: bool          # true: no translation yet; `text` is the base language's
    # the language `text` is in: the table's own, the base language's for a fallback, or
    # the listed language it falls back to (`pt` in the `pt-BR` table) (added in 2.2.0)
    language: str
    stale: bool             # true: translated from an older source text
    source: str             # the project file the line is written in
    audio: StringAudio | None = None   # voice-over of this line in this language (added in 1.2.0)


class StringCounts(Row):
    lines: int
    translated: int
    stale: int
    fallback: int
    voiced: int = 0         # lines with voice-over in this language (added in 1.2.0)


class StringsFile(Row):
    schema_version: str
    language: str
    base_language: str
    kind: Literal["base", "translation", "pseudo"]
    counts: StringCounts
    strings: list[StringRow]


def strings_file(ctx, language: str) -> StringsFile:
    """One language's table. What it reads from the translations (`l10n:<lang>`, hashed
    by World.input_hashes) is recorded by the tracked view (tracking.TrackedLocalization)."""
    l10n, voice = ctx.world.l10n, ctx.world.voice
    rows = [StringRow(id=r.line.id, text=_shown(r),
                      fallback=r.status == MISSING, stale=r.status == STALE,
                      language=l10n.base if r.status == MISSING else r.via or language,
                      source=r.line.source,
                      # the voice follows the words shown: `pt`'s clip where `pt`'s text is (r.via)
                      audio=_audio(voice.get(r.via or language, r.line.id) if voice else None))
            for r in l10n.resolve(language)]
    fallback = sum(r.fallback for r in rows)
    stale = sum(r.stale for r in rows)
    kind = "base" if language == l10n.base else "pseudo" if is_pseudo(language) else "translation"
    return StringsFile(schema_version=SCHEMA_VERSION, language=language, base_language=l10n.base, kind=kind,
                       counts=StringCounts(lines=len(rows), translated=len(rows) - fallback - stale, stale=stale,
                                           fallback=fallback, voiced=sum(r.audio is not None for r in rows)),
                       strings=rows)


def _shown(resolved) -> str:
    """A line's text as a reader sees it: a name, title or choice (and its translation)
    is inline Markdown whose plain text every text output shows (load/titles.py), as
    heroes.json's `name` does; prose stays Markdown, as `summary` does. A choice, in
    its `source` words or a translation's, reads as the story reads it, with the
    prose's typography (stories.json's `text`, resolve/localized.py `_choice`)."""
    text = resolved.text
    if resolved.line.kind == "choice":
        return choice_words(text) or text
    return (title_text(text) or text) if resolved.line.inline else text


def _audio(clip) -> StringAudio | None:
    if clip is None:
        return None
    a = clip.audio
    return StringAudio(path=clip.site_path, source=clip.path, format=a.format, mime=a.mime,
                       duration_ms=round(a.duration * 1000), sample_rate=a.sample_rate, channels=a.channels,
                       bytes=clip.size)
