"""The project's localization as one frozen value: its lines, its translation files,
and for each language and line what a reader gets. `check`, `status`, the string
tables and `diff` all read this, so they can never disagree."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..ids import ANY_ID
from ..load.files import KIND_DIRS
from .catalog import Catalog, Entry
from .lines import Line, collect_lines, same_source
from .pseudo import is_pseudo, pseudo_translate
from .tags import fallbacks, listed_languages
from .translations import load_catalogs

TRANSLATED, STALE, MISSING = "translated", "stale", "missing"


@dataclass(frozen=True)
class Resolved:
    """One line in one language: the text shown, and how it was found."""

    line: Line
    text: str
    status: str                  # translated | stale | missing (then `text` is the base language's)
    entry: Entry | None = None
    # the listed language whose translation is shown, when not the line's own: `pt`'s on a
    # `pt-BR` page that has none of its own (tags.fallbacks); `entry` is then that one's
    via: str = ""


@dataclass(frozen=True)
class Localization:
    root: str                                # the project folder
    base: str
    languages: tuple[str, ...]               # as configured (valid or not), pseudo-locales included
    lines: tuple[Line, ...]
    catalogs: tuple[tuple[tuple[str, str], Catalog], ...]   # ((language, source), catalog)

    def catalog(self, language: str, source: str) -> Catalog | None:
        """The translation file of `source` in `language`, or None. Looked up in a table
        made once: made at every call, each of a world's (language, source) asked cost a
        walk of every file, quadratic in them (4,000 heroes in three languages, each
        with its file: 12,000 asks of 12,000 files; pdf/overflows.py asks per line)."""
        table = self.__dict__.get("_table")
        if table is None:
            table = dict(self.catalogs)
            object.__setattr__(self, "_table", table)   # (frozen: a cache, not a field)
        return table.get((language, source))

    def __getstate__(self) -> dict:
        # the fields only: a pickle (a worker's copy, a memo) is the same before and after a lookup
        return {k: v for k, v in self.__dict__.items() if k != "_table"}

    def sources(self) -> list[str]:
        """Source files that hold lines, in line order."""
        return list(dict.fromkeys(line.source for line in self.lines))

    def resolve(self, language: str) -> list[Resolved]:
        """Every line in `language`: its translation (stale when made from another
        source text, or marked fuzzy), else the base language's text (missing).
        A pseudo-locale is computed from the source, never missing."""
        if language == self.base:
            return [Resolved(line, line.text, TRANSLATED) for line in self.lines]
        if is_pseudo(language):
            return [Resolved(line, pseudo_translate(line.text), TRANSLATED) for line in self.lines]
        chain = (language, *self.fallbacks(language))
        out, tables, shifts = [], {}, {}
        for line in self.lines:
            own, found = None, None
            for n, lang in enumerate(chain):
                if (lang, line.source) not in tables:
                    cat = self.catalog(lang, line.source)
                    tables[lang, line.source] = cat.by_id() if cat else {}
                    shifts[lang, line.source] = self._shifted(line.source, tables[lang, line.source])
                shifted = shifts[lang, line.source]
                entry = tables[lang, line.source].get(line.id)
                if line.id in shifted:   # a paragraph numbered anew: the translation of its words
                    entry = shifted[line.id]
                elif entry is not None and entry.id in shifted.get("", ()):
                    entry = None         # … which this number translated before
                if entry is not None and line.id in shifted and not entry.fuzzy:
                    entry = replace(entry, fuzzy=True)   # (to be confirmed in its new place: stale)
                own = entry if n == 0 else own
                via = lang if n else ""
                if entry is not None and entry.keep_source and not entry.target.strip():
                    found = Resolved(line, line.text, TRANSLATED, entry, via)   # not to be translated
                elif entry is None or not entry.target.strip() or len(entry.target) > translation_budget(line.text):
                    continue   # one too long to be a translation (HF1145) is never used, so never parsed
                elif entry.fuzzy or not same_source(entry.source, line.text):
                    found = Resolved(line, entry.target, STALE, entry, via)
                else:
                    found = Resolved(line, entry.target, TRANSLATED, entry, via)
                break
            out.append(found or Resolved(line, line.text, MISSING, own))
        return out

    def _of_source(self) -> dict[str, list[Line]]:
        """The lines by their source file, in line order: made once (the lines of each
        file picked from all of them for each file were 0.7 CPU-s of check at 1,000 heroes)."""
        made = self.__dict__.get("_by_source")
        if made is None:
            made = {}
            for line in self.lines:
                made.setdefault(line.source, []).append(line)
            object.__setattr__(self, "_by_source", made)
        return made

    def _shifted(self, source: str, by_id: dict[str, Entry]) -> dict:
        """The untagged paragraphs of `source` whose translation moved with their words
        to another number (extract.displaced): line id → the entry translating it now,
        and under "" the ids whose own entry is carried away. Empty for a file whose
        paragraphs are all tagged (most: nothing to compute)."""
        from .extract import displaced, moved_translations
        lines = self._of_source().get(source, [])
        if not by_id or all(line.tagged or line.kind != "paragraph" for line in lines):
            return {}
        away = displaced(lines, by_id)
        if not away:
            return {}
        # (an entry whose id is gone only for a number displaced: a deleted paragraph's
        # next one takes it; a renamed scene's lines wait for `extract`)
        moved = {line_id: entry for line_id, entry in moved_translations(lines, by_id).items()
                 if entry.id in away or line_id in away}
        return {**moved, "": frozenset(entry.id for entry in moved.values())}

    def fallbacks(self, language: str) -> tuple[str, ...]:
        """The translated languages `language` falls back to before the base one,
        nearest first (`pt-BR` → `pt`: tags.fallbacks)."""
        if is_pseudo(language) or language == self.base:
            return ()
        return tuple(fallbacks(language, [lang for lang in self.languages if lang != self.base and not is_pseudo(lang)]))

    def without(self, sources: set[str], ids: frozenset[str] = frozenset()) -> "Localization":
        """The same, minus the lines of these source files and these line ids (`--release`
        leaves drafts out after they were checked, and a published person's notes on her
        ties to them)."""
        return replace(self, lines=tuple(line for line in self.lines
                                         if line.source not in sources and line.id not in ids))

    def fingerprints(self) -> dict[str, str]:
        """`l10n:<language>` → a hash of what that language's text is made from (the
        lines, and its own translation files), so an edit to the German files
        re-renders German outputs only (World.input_hashes)."""
        lines = repr((self.base, self.lines))
        out = {}
        for language in dict.fromkeys((self.base, *self.languages)):
            # (and the catalogs of the languages it falls back to: `pt` shows on `pt-BR` pages)
            chain = (language, *self.fallbacks(language))
            own = [c for lang in chain for (of, _), c in self.catalogs if of == lang]
            out[f"l10n:{language}"] = hashlib.sha256(repr((lines, own)).encode()).hexdigest()
        # One translation file: what a page in that language made from that source file
        # read (exporters/languages.py), so translating a hero's name re-renders her pages
        # only; with the same file of the languages it falls back to.
        catalogs = dict(self.catalogs)
        for language in dict.fromkeys(self.languages):
            chain = (language, *self.fallbacks(language))
            for source in dict.fromkeys(source for (lang, source) in catalogs if lang in chain):
                files = [catalogs.get((lang, source)) for lang in chain]
                out[f"l10n:{language}:{source}"] = hashlib.sha256(repr(files[0] if len(files) == 1 else files)
                                                                  .encode()).hexdigest()
        return out


# How long a translation of a line may be: five times its source (Chinese into English
# can take four) and a thousand characters besides (for a word's worth of source).
TRANSLATION_FACTOR, TRANSLATION_SLACK = 5, 1000


def translation_budget(source: str) -> int:
    """The most characters a translation of `source` may have (HF1145). Longer, it is
    neither used nor parsed: a paragraph translated as a 30,000-row table (440 KB) was
    parsed as Markdown nine times over (~20 CPU-s) before HF1107 refused it."""
    return TRANSLATION_FACTOR * len(source) + TRANSLATION_SLACK


def over_budget(resolved: "Resolved") -> bool:
    """Whether this line's translation is there but too long to be used (HF1145)."""
    entry = resolved.entry
    return entry is not None and len(entry.target) > translation_budget(resolved.line.text)


def load_localization(world: Any, diags: Diagnostics) -> Localization:
    """Lines of the World and the translation files of every configured language."""
    settings = world.project.config.l10n
    base = world.project.config.project.language
    lines = collect_lines(world, diags, settings.require_line_ids)
    languages = tuple(dict.fromkeys(listed_languages(settings)))
    real = [lang for lang in languages if not is_pseudo(lang) and lang != base]
    sources = {line.source for line in lines}
    # a folder refused whole (ANY_ID) as `content/<folder>/`: every source in it unread
    unread = frozenset(f"content/{KIND_DIRS[kind][0]}/" + ("" if eid == ANY_ID else f"{eid}{KIND_DIRS[kind][1]}")
                       for kind, _, eid in (key.partition(":") for key in world.broken) if kind in KIND_DIRS)
    catalogs = load_catalogs(Path(world.project.root), real, sources, base, diags, unread)
    return Localization(str(world.project.root), base, languages, lines, tuple(sorted(catalogs.items())))
