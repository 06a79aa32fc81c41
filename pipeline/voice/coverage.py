"""Voice-over coverage for `foundry l10n status`: per language, how many lines of each
voiced file have a clip."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def voice_coverage(lines: Iterable[Any], voice: Any, languages: list[str],
                   via: Callable[[str], Mapping[str, str]] = lambda language: {}) -> list[str]:
    """Report lines (plain text). A file counts as voiced once any language has a
    clip for one of its lines: a story with one recorded scene shows how far the
    recording has come, a rule book nobody records does not fill the report.
    `via(language)`: line id → the language it is shown in from the one `language`
    falls back to (`pt` on `pt-BR` pages: l10n/state.py Resolved.via), whose clip plays
    there (the voice follows the words shown) — counted apart, as the string tables
    count it in `voiced`: "pt-BR: 0 lines voiced" hid the clip its pages play."""
    if voice is None:
        return []
    lines = list(lines)
    voiced = {c.source for c in voice.clips}
    out = [f"Voice-over (content/audio/): {len(voice.clips)} clip{'s' if len(voice.clips) != 1 else ''}"]
    for language in dict.fromkeys(languages):
        clips = voice.for_language(language)
        seconds = sum(c.audio.duration for c in clips)
        shown = via(language)
        borrowed = [clip for line in lines if (other := shown.get(line.id)) and voice.get(language, line.id) is None
                    and (clip := voice.get(other, line.id)) is not None]
        also = "".join(f"; {n} more in '{other}', which {language} falls back to" for other, n in
                       Counter(clip.language for clip in borrowed).items())
        out.append(f"{language}: {len(clips)} line{'s' if len(clips) != 1 else ''} voiced, {seconds:.1f} s{also}")
        for source in sorted(voiced):
            of = [line for line in lines if line.source == source]
            have = sum(voice.get(language, line.id) is not None for line in of)
            theirs = Counter(other for line in of if (other := shown.get(line.id))
                             and voice.get(language, line.id) is None and voice.get(other, line.id) is not None)
            out.append(f"  {source}: {have + sum(theirs.values())}/{len(of)} lines voiced"
                       + "".join(f" ({n} of them in '{other}')" for other, n in theirs.items()))
    return out
