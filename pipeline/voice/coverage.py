"""Voice-over coverage for `foundry l10n status`: per language, how many lines of each
voiced file have a clip."""

from __future__ import annotations

from typing import Any, Iterable


def voice_coverage(lines: Iterable[Any], voice: Any, languages: list[str]) -> list[str]:
    """Report lines (plain text). A file counts as voiced once any language has a
    clip for one of its lines: a story with one recorded scene shows how far the
    recording has come, a rule book nobody records does not fill the report."""
    if voice is None:
        return []
    lines = list(lines)
    voiced = {c.source for c in voice.clips}
    out = [f"Voice-over (content/audio/): {len(voice.clips)} clip{'s' if len(voice.clips) != 1 else ''}"]
    for language in dict.fromkeys(languages):
        clips = voice.for_language(language)
        seconds = sum(c.audio.duration for c in clips)
        out.append(f"{language}: {len(clips)} line{'s' if len(clips) != 1 else ''} voiced, {seconds:.1f} s")
        for source in sorted(voiced):
            of = [line for line in lines if line.source == source]
            have = sum(voice.get(language, line.id) is not None for line in of)
            out.append(f"  {source}: {have}/{len(of)} lines voiced")
    return out
