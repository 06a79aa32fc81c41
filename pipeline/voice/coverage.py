"""Voice-over coverage for `foundry l10n status`: per language, how many lines of each
voiced file have a clip."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple


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


# (language, line id, the clip's path, its sha256, the words the clip's language shows
# for the line: "" where that language shows none of its own, a fallback)
VoicedWords = tuple[tuple[str, str, str, str, str], ...]


class Voiced(NamedTuple):
    """One side's voice-over for `foundry diff`: its usable clips (`VoicedWords`), the
    line ids it has (a clip is unused only when its line is gone) and the languages it
    voices (the base and those listed: a language left is not a line's edit)."""
    clips: VoicedWords = ()
    lines: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()


def voiced_words(world: Any) -> Voiced:
    """For `foundry diff`: each usable clip (one named for a line id that exists) with
    the words its language shows for its line, as said aloud (markup and spacing
    aside) — the source for the base language's clip, the translation (current or
    stale) for a translated language's, "" for a line its language shows in no words
    of its own (a fallback: the clip plays nowhere); with the world's line ids and
    voiced languages. Empty without a content/audio/ folder."""
    voice = getattr(world, "voice", None)
    if voice is None:
        return Voiced()
    l10n = world.l10n
    if l10n is not None:
        lines = l10n.lines
    else:
        from ..diagnostics import Diagnostics
        from ..l10n.lines import collect_lines
        lines = collect_lines(world, Diagnostics())
    base = world.project.config.project.language
    words: dict[tuple[str, str], str] = {(base, line.id): line.text for line in lines}
    from ..l10n.state import STALE, TRANSLATED
    for language in voice.languages():
        if language == base or l10n is None or language not in l10n.languages:
            continue
        words |= {(language, r.line.id): r.text for r in l10n.resolve(language)
                  if r.status in (TRANSLATED, STALE) and not r.via}
    from ..l10n.markup import plain_text
    clips = tuple(sorted((c.language, c.line_id, c.path, c.sha256, _said(plain_text, words.get((c.language, c.line_id), "")))
                         for c in voice.clips))
    return Voiced(clips, frozenset(line.id for line in lines),
                  frozenset({base, *(l10n.languages if l10n is not None else ())}))


def _said(plain_text: Callable[[str], str], text: str) -> str:
    """The words a line says aloud: its markup gone, its spaces one (a paragraph
    rewrapped or restyled, `*The end.*` → `**The end.**`, says what it said)."""
    return " ".join(plain_text(text).split())


def made_stale_clips(base: Voiced, head: Voiced) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the line ids whose clip is the same recording on both sides while
    the words its language shows for the line changed: the clip still says the old
    words (a reworded paragraph, choice or name; a translation reworded). A clip
    recorded anew, or one whose words did not change, is not; a line that became a
    translation's stale one keeps its words (the translation's staleness is said).
    A clip renamed with its line (a scene renamed, its heading's id following it; a
    paragraph's marker retyped) is the same recording when its bytes are: the words
    it said are those of the base's line it was the clip of, if the head lost that
    line (renamed and reworded, it said the old words unseen)."""
    before = {(language, line): (sha, text) for language, line, _, sha, text in base.clips}
    renamed = {(language, sha): (sha, text) for language, line, _, sha, text in base.clips
               if line not in head.lines}
    out: dict[str, list[str]] = {}
    for language, line, _, sha, text in head.clips:
        was = before.get((language, line)) or renamed.get((language, sha))
        if was is not None and was[0] == sha and was[1] != text and was[1] and text:
            out.setdefault(language, []).append(line)
    return tuple((language, tuple(ids)) for language, ids in sorted(out.items()))


def made_unused_clips(base: Voiced, head: Voiced, head_files: Mapping[str, str],
                      unknown: Callable[[str], bool] = lambda line_id: False,
                      unread: Callable[[str, str], bool] = lambda language, line_id: False
                      ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the line ids whose clip the head still has (its file, under
    content/audio/) while the line is gone: a paragraph deleted, a scene or choice
    renamed (its ids follow it). The recording plays nowhere now (HF1132 at the head,
    a warning a review did not see). A line the head still has is not gone, its clip
    unusable there for another reason (a file broken, HF1130: its own new error); nor
    is a clip of a language the head no longer voices (it left [l10n] languages: not a
    line's edit, as `made_unused` says of translations), nor a line `unknown` at the
    head (its file did not load there: diff/snapshot.py `line_unknown`).
    So is a clip whose line is there while its language shows no words of its own for
    it any more (a translator emptied the translation, or deleted the file: the page
    falls back to the base language's words, and the recording says words no page
    shows), unless that language's translation file for
    the line is `unread` at the head (language, line id: it does not parse there, and
    that is its one new error)."""
    out: dict[str, set[str]] = {}
    for language, line, path, _, _ in base.clips:
        if path in head_files and line not in head.lines and language in head.languages and not unknown(line):
            out.setdefault(language, set()).add(line)
    said = {(language, line): text for language, line, _, _, text in base.clips}
    for language, line, _, _, text in head.clips:
        if not text and said.get((language, line)) and language in head.languages \
                and not unknown(line) and not unread(language, line):
            out.setdefault(language, set()).add(line)
    return tuple((language, tuple(sorted(ids))) for language, ids in sorted(out.items()))
