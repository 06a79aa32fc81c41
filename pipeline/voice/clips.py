"""Voice-over files: `content/audio/<language>/<line id>.<opus|ogg|mp3|wav>`.

One file per line and language, named by the line id (docs/localization.md), so a
recording studio's export needs no mapping file. Every file is read under the
one confinement rule (pipeline/confine.py): a link out is HF0120 at the link and
never opened. Each file is checked (audio.py) when the project is checked, and the
result is one frozen `VoiceOver` that the string tables, the site's player, the
media exporter and `foundry l10n status` all read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable

from ..confine import Refused, boundary, refuse
from ..diagnostics import Diagnostics, Span, clip as clip_text, near_budget, nearest
from ..l10n.lines import collect_lines
from ..l10n.tags import listed_languages
from ..load.hygiene import file_name_problem, report_special
from ..l10n.pseudo import is_pseudo, pseudo_named
from ..l10n.tags import listed_as
from ..l10n.translations import respell_hint, unlisted_hint
from ..load.media import short_stem
from ..load.untagged import without_tags
from .audio import MAX_BYTES, SUFFIXES, AudioInfo, probe_audio

FOLDER = "content/audio"
MEDIA = "site/media/audio"        # under build/: inside the web root


@dataclass(frozen=True)
class Clip:
    """One usable voice-over file. `path` is project-relative (POSIX); `absolute` its
    confined real path; `source` the content file its line is written in."""

    language: str
    line_id: str
    path: str
    absolute: Path
    source: str
    sha256: str
    size: int
    audio: AudioInfo

    @property
    def media_path(self) -> str:
        """Where the site publishes it, under build/: content-hashed, so a new
        recording gets a new URL and caches stay valid. Its ending is the format's
        lower-case one (`.OPUS`, as Windows tools save it, is published `.opus`): hosts
        type files by a lower-case ending, and served as octet-stream <audio> may refuse it."""
        suffix = Path(self.path).suffix.lower()
        return f"{MEDIA}/{self.language}/{short_stem(self.line_id)}-{self.sha256[:12]}{suffix}"

    @property
    def site_path(self) -> str:
        """The same, from the site root (build/site/), as the JSON contract gives paths."""
        return self.media_path[len("site/"):]


@dataclass(frozen=True)
class VoiceOver:
    """Every usable clip, sorted by (language, line id)."""

    clips: tuple[Clip, ...] = ()

    def get(self, language: str, line_id: str) -> Clip | None:
        return self._index().get((language, line_id))

    def for_language(self, language: str) -> list[Clip]:
        return [c for c in self.clips if c.language == language]

    def languages(self) -> list[str]:
        return sorted({c.language for c in self.clips})

    def _index(self) -> dict[tuple[str, str], Clip]:
        # a frozen value: computed on demand (cheap: one dict per call site in practice)
        return {(c.language, c.line_id): c for c in self.clips}

    def without(self, sources: set[str]) -> "VoiceOver":
        """The same, minus clips of lines written in these files (`--release` drafts)."""
        return replace(self, clips=tuple(c for c in self.clips if c.source not in sources))

    def fingerprint(self) -> str:
        """`voice`: a hash of which clips exist and their bytes (World.input_hashes),
        so a new recording re-renders the pages and tables that show voice-over."""
        return hashlib.sha256(repr([(c.language, c.line_id, c.path, c.sha256) for c in self.clips]).encode()).hexdigest()


def load_voice(root: Path, lines: Iterable[Any], languages: Iterable[str], diags: Diagnostics,
               catalogs: Iterable[Any] = ()) -> VoiceOver | None:
    """Find and check every file under content/audio/. `lines`: the project's Lines
    (l10n.lines.Line: id, source); `languages`: the base language and [l10n] languages;
    `catalogs`: (source path, translation file read: l10n.catalog.Catalog), whose entries
    under a line id gone tell the line that has their words now (`renamed_lines`).
    None when the project has no content/audio/ folder."""
    fence = boundary(root)
    top = Path(root, FOLDER)
    if not fence.lexists(top):
        return None
    if fence.resolve(top) is None:
        refuse(root, top, diags)
        return VoiceOver()
    files, refused = fence.files(top)
    for path in refused:
        refuse(root, path, diags)
    lines = list(lines)
    sources = {line.id: line.source for line in lines}
    with near_budget():   # the near line ids of misnamed clips (HF1132's hints), within one budget
        return _checked_clips(root, fence, files, sources, set(languages), diags, lambda: renamed_lines(lines, catalogs))


def renamed_lines(lines: list[Any], catalogs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Gone line id → the line id with its words now, as the translation files record
    them: an entry under an id no line has whose source is the text of exactly one line
    of its source file (a scene or story renamed: its heading's and choices' ids follow
    it, the words stay). Two lines of those words, or entries disagreeing: none."""
    current = {line.id for line in lines}
    by_text: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        by_text.setdefault((line.source, line.text), []).append(line.id)
    out: dict[str, str | None] = {}
    for source, catalog in catalogs:
        for entry in catalog.entries:
            if not entry.id or entry.id in current:
                continue
            found = by_text.get((source, entry.source), [])
            if len(found) > 1:   # a story's title and its first scene's heading: the line of the same kind
                found = [lid for lid in found if _part(lid) == _part(entry.id)]
            new = found[0] if len(found) == 1 else None
            out[entry.id] = new if out.get(entry.id, new) == new else None
    return {gone: new for gone, new in out.items() if new is not None}


def _part(line_id: str) -> str:
    """What part of its entity a line is, whatever the entity's or scene's id:
    `story.keep.scene.gate` → `scene`, `….choice.gate--hall` → `choice`, `….title` → `title`."""
    return line_id.split(".")[2] if line_id.count(".") >= 2 else ""


def _checked_clips(root: Path, fence: Any, files: list[Path], sources: dict[str, str], allowed: set[str],
                   diags: Diagnostics, renamed: Callable[[], dict[str, str]] = dict) -> VoiceOver:
    ids = sorted(sources)   # for the near ids of misnamed clips: sorted once, not for each of them
    found: dict[tuple[str, str], Clip] = {}
    unlisted: dict[str, list[str]] = {}   # a language folder not listed → its clips
    named = _named_clips(root, files, allowed, sources)
    told: dict[tuple[str, str], str] = {}   # (language, line id) an HF1132 hint named → the clip told
    moves: dict[str, str] | None = None
    for path in files:
        rel = path.relative_to(root).as_posix()
        parts = rel[len(FOLDER) + 1:].split("/")
        if any(file_name_problem(part) is not None for part in parts):
            continue   # reported once, as HF0130, by load.hygiene.check_file_names
        if len(parts) != 2:
            diags.add("HF1133", "not in a language folder (content/audio/<language>/<line id>.<ending>)",
                      Span(rel))
            continue
        language, name = parts
        if language not in allowed:
            unlisted.setdefault(language, []).append(rel)
            continue
        stem, suffix = _split(name)
        if suffix not in SUFFIXES:
            diags.add("HF1134", f"'{clip_text(suffix or name, 30)}' is not an audio ending voice-over uses "
                      f"({', '.join(SUFFIXES)})", Span(rel))
            continue
        if stem not in sources:
            if moves is None:   # read once, and only for a misnamed clip
                moves = renamed()
            diags.add("HF1132", f"named for no line id ('{clip_text(stem, 60)}')", Span(rel),
                      hint=_rename_hint(stem, rel, language, ids, named, told, moves.get(stem)))
            continue
        if (language, stem) in found:
            diags.add("HF1136", f"line '{clip_text(stem, 60)}' already has {found[language, stem].path}; "
                      "this one is not used", Span(rel))
            continue
        clip = _read(root, fence, path, rel, language, stem, sources[stem], suffix, diags)
        if clip is not None:
            found[language, stem] = clip
    for language, clips in sorted(unlisted.items()):
        _report_unlisted(language, sorted(clips), allowed, lambda folder: fence.lexists(Path(root, FOLDER) / folder), diags)
    return VoiceOver(tuple(found[k] for k in sorted(found)))


def _named_clips(root: Path, files: Iterable[Path], allowed: set[str], sources: dict[str, str]) -> dict[tuple[str, str], str]:
    """(language, line id) → the first file (by name) named for that line in a listed
    language's folder, whether or not it reads as audio: a name a clip already has."""
    named: dict[tuple[str, str], str] = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        parts = rel[len(FOLDER) + 1:].split("/")
        if len(parts) == 2 and parts[0] in allowed:
            stem, suffix = _split(parts[1])
            if suffix in SUFFIXES and stem in sources:
                named.setdefault((parts[0], stem), rel)
    return named


def _rename_hint(stem: str, rel: str, language: str, ids: list[str], named: dict[tuple[str, str], str],
                 told: dict[tuple[str, str], str], moved: str | None = None) -> str | None:
    """HF1132's hint: the line id nearest a clip's name, as a name to rename it to only
    when no clip has it and no clip before it was told it (two clips misnamed alike were
    both told one id, and the line with a clip was told as a name: renamed as told, one
    of the two was not used, HF1136). Else it names the file that has or was told the
    id, to keep one of the two. None when no id is near. `moved`: the line with the
    words the clip's line id had (`renamed_lines`), told instead of the nearest name: a
    scene renamed (`road` → `crossing`) left its heading's clip told to become the
    heading of another scene, `scene.tracks`, nearest by its letters."""
    near = moved or nearest(stem, ids, cutoff=0.8)   # `ids`: the project's line ids, sorted
    if near is None:
        return None
    if moved is not None and (language, near) not in named and (language, near) not in told:
        told[language, near] = rel
        return (f"Its line has a new id: '{near}' has the words its line had (a scene or story renamed); "
                f"rename the file to {near}{Path(rel).suffix}.")
    key = (language, near)
    other = named.get(key) or told.get(key)
    told.setdefault(key, rel)
    if other is None:
        return f"Did you mean '{near}'?"
    if key in named:
        return f"Did you mean '{near}'? {other} is that line's clip: one clip per line, so keep one of the two files."
    return f"Did you mean '{near}'? {other} is told that name too: one clip per line, so rename only one of the two."


def _report_unlisted(language: str, clips: list[str], allowed: set[str], exists: Callable[[str], bool],
                     diags: Diagnostics) -> None:
    """HF1133 once for a language folder the project does not list, at its first clip:
    one slip (a folder named `DE`, `pt_BR`), one warning, however many clips it holds.
    A folder that spells a listed language otherwise is told to be renamed (adding
    `DE` beside `de` to [l10n] languages would be HF0751). A pseudo-locale's folder is
    told it has no voice-over."""
    more = f" (and {len(clips) - 1} other clip(s) in content/audio/{clip_text(language, 30)}/)" if len(clips) > 1 else ""
    pseudo = pseudo_named(language)
    if pseudo is not None:
        # listed in [l10n] languages or not, it is made from the base language's text: it
        # was told it is "not one of [l10n] languages" and to add what was there already
        diags.add("HF1133", f"'{clip_text(language, 30)}' is the pseudo-locale {pseudo}, made from the base "
                  f"language's text: it has no voice-over of its own, so this clip{more} is not used", Span(clips[0]),
                  hint=f"Remove {FOLDER}/{clip_text(language, 30)}/: the {pseudo} pages play no clip. Voice-over is "
                       "recorded for the base language and the languages translated into.")
        return
    meant = listed_as(language, allowed)
    if meant is not None:
        diags.add("HF1133", f"'{clip_text(language, 30)}' is the language '{meant}' spelled otherwise: this clip{more} "
                  "is not used", Span(clips[0]), hint=respell_hint(FOLDER, language, meant, exists(meant), "audio"))
        return
    diags.add("HF1133", f"'{clip_text(language, 30)}' is not the base language or one of "
              f"[l10n] languages ({', '.join(sorted(allowed))}): this clip{more} is not used", Span(clips[0]),
              hint=unlisted_hint(FOLDER, language, "move the files", allowed))


def _split(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    return (stem, "." + suffix.lower()) if dot and stem else (name, "")


def _read(root: Path, fence: Any, path: Path, rel: str, language: str, line_id: str, source: str, suffix: str,
          diags: Diagnostics) -> Clip | None:
    span = Span(rel)
    try:
        data = fence.read(path, MAX_BYTES)
    except Refused as exc:
        if exc.kind == "outside":
            refuse(root, path, diags)
        elif exc.kind == "size":
            diags.add("HF1131", f"over the {MAX_BYTES // (1024 * 1024)} MiB limit for one line's audio", span)
        else:   # a FIFO, socket or device: named as the tree's walk names it
            report_special(fence.resolve(path), rel, diags)
        return None
    except OSError as exc:
        diags.add("HF1130", f"cannot be read: {exc.strerror}", span)
        return None
    info, problems = probe_audio(data, suffix)
    for problem in problems:
        diags.add(problem.code, problem.message, span, hint=problem.hint)
    if info is None:
        return None
    # its size as published: without its tags (untagged.py), what the string tables' `bytes` says
    return Clip(language, line_id, rel, fence.resolve(path), source, hashlib.sha256(data).hexdigest(),
                len(without_tags(data)), info)


def check_voice(world: Any, diags: Diagnostics) -> VoiceOver | None:
    """The World's voice-over (builder.check calls this after localization): lines
    from the localization when it was loaded, else collected here (their id problems
    are the localization's to report, so they are not repeated)."""
    if world.l10n is not None:
        lines = world.l10n.lines
    else:   # collected only if there is a content/audio/ to match them with (a sixth of a warm check at 10,000 heroes)
        lines = _collected(world)
    base = world.project.config.project.language
    languages = [base, *(lang for lang in listed_languages(world.project.config.l10n) if not is_pseudo(lang))]
    catalogs = [(source, catalog) for (_, source), catalog in world.l10n.catalogs] if world.l10n is not None else ()
    return load_voice(Path(world.project.root), lines, languages, diags, catalogs)


def _collected(world: Any) -> Iterable[Any]:
    """The project's lines, collected when first iterated (load_voice reads them only
    after it has found a content/audio/ folder)."""
    yield from collect_lines(world, Diagnostics())
