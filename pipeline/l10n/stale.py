"""For `foundry diff`: which translations a change made stale, or left unused, per language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .pseudo import is_pseudo
from .state import STALE, TRANSLATED

# language → (line ids translated and current, line ids stale, every line id of the side,
# (line id, translated text) of every line with a translation, current or stale)
States = tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str], frozenset[tuple[str, str]]], ...]


def translation_states(l10n: Any) -> States:
    """Per real language, the line ids whose translation is current, those stale, and
    every line id (a translated line missing from the other side is a translation lost)."""
    if l10n is None:
        return ()
    out = []
    for language in l10n.languages:
        if is_pseudo(language) or language == l10n.base:
            continue
        resolved = l10n.resolve(language)
        out.append((language, frozenset(r.line.id for r in resolved if r.status == TRANSLATED),
                    frozenset(r.line.id for r in resolved if r.status == STALE),
                    frozenset(r.line.id for r in resolved),
                    frozenset((r.line.id, r.text) for r in resolved if r.status in (TRANSLATED, STALE))))
    return tuple(out)


def made_stale(base: States, head: States) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines current at the base and stale at the head: what this
    change asks translators to look at again."""
    before = {language: current for language, current, _, _, _ in base}
    out = []
    for language, _, stale, _, _ in head:
        ids = tuple(sorted(stale & before.get(language, frozenset())))
        if ids:
            out.append((language, ids))
    return tuple(out)


def made_unused(base: States, head: States,
                unknown: Callable[[str], bool] = lambda line_id: False) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines translated at the base (current or stale) whose line id
    the head no longer has: a scene renamed (its heading's and choices' ids follow it),
    a choice led elsewhere, a paragraph's marker lost. Their translations are unused
    (`extract` keeps them obsolete, or carries them to a new id with the same words):
    a review should see it as it sees "made stale". A line `unknown` at the head (its
    file did not load there: diff/snapshot.py `line_unknown`) is not gone: that file's
    error is the one thing said, not also each of its translations lost."""
    after = {language: lines for language, _, _, lines, _ in head}
    out = []
    for language, current, stale, _, _ in base:
        if language not in after:
            continue   # the language itself left [l10n] languages: not a line's edit
        ids = tuple(sorted(line for line in (current | stale) - after[language] if not unknown(line)))
        if ids:
            out.append((language, ids))
    return tuple(out)


def made_retranslated(base: States, head: States, unknown: Callable[[str], bool] = lambda line_id: False
                      ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines of the head whose translation is not what it was at the
    base: reworded, translated for the first time, or taken away (the line then shows in
    the base language). A translator's pull request changes only these, and the pages,
    string tables and books of that language show it: a review must see it, not "no
    changes to the content". A line the head no longer has is `made_unused`'s; one
    `unknown` at the base (its file did not load there) had no translation to compare."""
    before = {language: dict(texts) for language, _, _, _, texts in base}
    out = []
    for language, _, _, lines, texts in head:
        if language not in before:
            continue   # the language itself joined [l10n] languages: not a line's edit
        now, was = dict(texts), before[language]
        ids = tuple(sorted(line for line in lines if now.get(line) != was.get(line)
                           and (line in was or line in now) and not unknown(line)))
        if ids:
            out.append((language, ids))
    return tuple(out)
