"""HF0741 for the theme's own words in a book's language, at the language's tag.

A book prints words no content file holds: the theme's, in the book's language, from
its catalog ("Contents", "Turn to", a sheet's headings, the language's quotation
marks). On a machine with no Arabic font an Arabic world's books printed them as
boxes, and each book said HF0741 at foundry.toml with no line, naming the characters
it happened to print (three warnings in different words), while `check` said nothing.
The writer's act that asked for those words is naming the language (`[project]
language`, an `[l10n] languages` item), and the fix is a font for its script: one
warning there, naming the language, the theme's words no font has and the package.

The words are the shipped theme's: a project's own catalog is its people's writing, and
a word of it is said at its line there (glyphs.py, books/theme.py own_theme_texts).
The warning's words are the same from every book and from check: they name every character of
the language's catalog no font has, not what one book printed. Whether it is said is
whether a book printed a word of the catalog holding one (as a content line is said
when a book printed a word of it): the build asks its laid-out text, check the books'
documents made without layout (glyphs_ahead.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from ...diagnostics import Diagnostics, Span, clip


@dataclass(frozen=True)
class ThemeLanguage:
    """A book's language as the theme words it: the tag, where foundry.toml names it,
    and the shipped theme's translations in it (ThemeWords.shipped_translations)."""

    language: str
    span: Span
    words: tuple[str, ...]

    def characters(self) -> set[str]:
        """Every character its words hold, placeholders left out."""
        return {char for word in self.pieces() for char in word}

    def pieces(self) -> list[str]:
        """Its words as a book prints them, one word each (split where a printed word
        ends, glyphs.py), placeholders (`%(count)s`) left out; once each, in order."""
        from .glyphs import _WORD_END
        out: dict[str, None] = {}
        for text in self.words:
            for piece in _WORD_END.split(_PLACEHOLDER.sub(" ", text)):
                if piece:
                    out[piece] = None
        return list(out)


_PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sd]")


def theme_language(world: Any, theme: Any) -> ThemeLanguage | None:
    """The shipped theme's words in the language `world` (one language's view) is read
    in, None when it shows the theme's English (no catalog serves it), the project's
    catalog replaces them all, or there is no theme."""
    words = getattr(theme, "words", None)
    language = world.project.config.project.language
    found = words.shipped_translations(language) if words is not None else ()
    if not found:
        return None
    from ...load.project import language_span
    locale = getattr(world, "locale", None)
    base = locale.base if locale is not None else language
    span = language_span(world.project.root, language, base, list(world.project.config.l10n.languages))
    return ThemeLanguage(language, span, found)


def report_theme_words(theme: ThemeLanguage, missing: set[str], printed: Any, diags: Diagnostics,
                       machine: Any, unprintable: Callable[[set[str]], set[str]] | None = None) -> set[str]:
    """HF0741 at `theme`'s language tag when a book printed one of its words holding a
    character of `missing` (what it printed as boxes; `printed`: glyphs._Printed, None
    when the book was not laid out: then any such character counts). The message
    names every character of the language's words no font has — those of `missing`,
    and those `unprintable` says of the rest — so each book and check say it alike.
    Returns the characters said (none when it was not)."""
    from .coverage import draws_nothing
    from .glyphs import SHOWN_RUNS, SHOWN_SCRIPTS, _normal, font_hint, script_of
    pieces = theme.pieces()
    boxed = [p for p in pieces if not missing.isdisjoint(p)]
    if printed is not None:
        boxed = [p for p in boxed if printed.holds_word(_normal(p))]
    if not boxed:
        return set()
    chars = {c for c in theme.characters() if not c.isascii() and not draws_nothing(c)}
    said = (chars & missing) | (unprintable(chars - missing) if unprintable is not None and chars - missing else set())
    if not said:   # (only what draws nothing, or ASCII, was boxed: no script to name)
        return set()
    runs = [piece for piece in pieces if not said.isdisjoint(piece)]
    shown = ", ".join(f"'{run}'" for run in runs[:SHOWN_RUNS])
    if len(runs) > SHOWN_RUNS:
        shown += f" and {len(runs) - SHOWN_RUNS} more"
    every = list(dict.fromkeys(script_of(c) for c in sorted(said)))
    scripts = ", ".join(every[:SHOWN_SCRIPTS]) + (f" and {len(every) - SHOWN_SCRIPTS} more"
                                                  if len(every) > SHOWN_SCRIPTS else "")
    diags.add("HF0741", f"no font on this machine can print the theme's own words in {language_name(theme.language)} "
                        f"('{clip(theme.language, 30)}'): {shown} ({scripts}): the PDF would show empty boxes",
              theme.span, hint=font_hint(sorted(said), machine=machine) + " The theme prints these words "
              "(its headings, labels and the contents) in every book in this language.")
    return said


def language_name(tag: str) -> str:
    """The language's English name ("Arabic"), the tag when Babel does not know it."""
    from ...l10n.tags import english_name
    return english_name(tag) or clip(tag, 30)
