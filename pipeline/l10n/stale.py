"""For `foundry diff`: which translations a change made stale, or left unused, per language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .pseudo import is_pseudo
from .state import STALE, TRANSLATED
from .translations import find_catalog_file, link_out_on_way

# language → (line ids translated and current, line ids stale, every line id of the side,
# (line id, translated text) of every line with a translation, current or stale,
# line ids whose translation file is there but not read: it does not parse, or is linked out)
States = tuple[tuple[str, frozenset[str], frozenset[str], frozenset[str], frozenset[tuple[str, str]],
                     frozenset[str]], ...]


def translation_states(l10n: Any, refused: Iterable[str] = ()) -> States:
    """Per real language, the line ids whose translation is current, those stale, every
    line id (a translated line missing from the other side is a translation lost), their
    translations, and the lines whose translation file is not read on this side: one
    that does not parse (HF1104) or is reached through `refused`, the places under
    translations/ a link out or a FIFO stands at (translations.refused_places)."""
    if l10n is None:
        return ()
    refused = list(refused)
    out = []
    for language in l10n.languages:
        if is_pseudo(language) or language == l10n.base:
            continue
        # its own translations: a line shown in the language it falls back to (`pt` on a
        # `pt-BR` page) is that language's to update, and said under it alone
        every = l10n.resolve(language)
        resolved = [r for r in every if not r.via]
        unread: dict[str, bool] = {}
        for r in every:
            if r.line.source not in unread:
                unread[r.line.source] = l10n.catalog(language, r.line.source) is None and bool(
                    find_catalog_file(Path(l10n.root), language, r.line.source)
                    or link_out_on_way(refused, language, r.line.source))
        out.append((language, frozenset(r.line.id for r in resolved if r.status == TRANSLATED),
                    frozenset(r.line.id for r in resolved if r.status == STALE),
                    frozenset(r.line.id for r in every),
                    frozenset((r.line.id, r.text) for r in resolved if r.status in (TRANSLATED, STALE)),
                    frozenset(r.line.id for r in every if unread[r.line.source])))
    return tuple(out)


def made_stale(base: States, head: States,
               unknown: Callable[[str], bool] = lambda line_id: False) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines current at the base and stale at the head: what this
    change asks translators to look at again. A line `unknown` at the head (its file
    did not load there) is not: what its file says is not known, as `made_unused` says
    (a story's front matter left in error made its title "made stale")."""
    before = {language: current for language, current, _, _, _, _ in base}
    out = []
    for language, _, stale, _, _, _ in head:
        ids = tuple(sorted(line for line in stale & before.get(language, frozenset()) if not unknown(line)))
        if ids:
            out.append((language, ids))
    return tuple(out)


def made_unused(base: States, head: States,
                unknown: Callable[[str], bool] = lambda line_id: False,
                moved: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines translated at the base (current or stale) whose line id
    the head no longer has: a scene renamed (its heading's and choices' ids follow it),
    a choice led elsewhere, a paragraph's marker lost. Their translations are unused
    (`extract` keeps them obsolete, or carries them to a new id with the same words):
    a review should see it as it sees "made stale". A line `unknown` at the head (its
    file did not load there: diff/snapshot.py `line_unknown`) is not gone: that file's
    error is the one thing said, not also each of its translations lost. `moved`
    (`made_moved`): a number gone whose translation went with its words to another is
    not unused (the last of untagged paragraphs after one was deleted); a number that
    took another's translation and whose own is shown nowhere now (the deleted
    paragraph's) is."""
    after = {language: lines for language, _, _, lines, _, _ in head}
    shown = {language: {text for _, text in texts} for language, _, _, _, texts, _ in head}
    out = []
    for language, current, stale, _, texts, _ in base:
        if language not in after:
            continue   # the language itself left [l10n] languages: not a line's edit
        pairs = dict(moved).get(language, ())
        went = {source for _, source in pairs}
        was = dict(texts)
        left = {line for line, _ in pairs if line in was and was[line] not in shown.get(language, ())}
        ids = tuple(sorted(line for line in ((current | stale) - after[language] - went) | left if not unknown(line)))
        if ids:
            out.append((language, ids))
    return tuple(out)


def made_moved(base: States, head: States) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Per language, (line id, the line id whose translation it showed at the base) of
    each line now showing the translation another line showed, both lines' texts changed
    by the move: untagged paragraphs swapped, or numbered anew round one inserted or
    deleted, whose translations go with their words (state.py `_shifted`). Nobody
    translated anything: `made_retranslated` leaves them out, where a swap of two
    paragraphs was "2 translations changed"."""
    before = {language: dict(texts) for language, _, _, _, texts, _ in base}
    out = []
    for language, _, _, _, texts, _ in head:
        was = before.get(language)
        if not was:
            continue
        now = dict(texts)
        # a translation's text → the one line that showed it at the base (two alike: neither)
        owner: dict[str, str | None] = {}
        for line, text in was.items():
            owner[text] = None if text in owner else line
        pairs = tuple(sorted((line, source) for line, text in now.items()
                             if was.get(line) != text and (source := owner.get(text)) is not None
                             and source != line and now.get(source) != text))
        if pairs:
            out.append((language, pairs))
    return tuple(out)


def made_retranslated(base: States, head: States, unknown: Callable[[str], bool] = lambda line_id: False,
                      moved: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
                      ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines of the head whose translation is not what it was at the
    base: reworded, translated for the first time, or taken away (the line then shows in
    the base language). A translator's pull request changes only these, and the pages,
    string tables and books of that language show it: a review must see it, not "no
    changes to the content". A line the head no longer has is `made_unused`'s; one
    `unknown` at the base (its file did not load there) had no translation to compare.
    Nor is a line whose translation file the head does not read (a PO that does not
    parse, HF1104; one linked out): its one error is said, not each of its lines as
    "changed" (taken away). A file the base did not read and the head does is a fix
    whose every translation the language shows again: those lines are said. Nor are
    the lines `moved` says took another's translation with its words, nor those lines
    whose translation moved away and that show none now (the words' new place does)."""
    before = {language: dict(texts) for language, _, _, _, texts, _ in base}
    out = []
    for language, _, _, lines, texts, unread in head:
        if language not in before:
            continue   # the language itself joined [l10n] languages: not a line's edit
        now, was = dict(texts), before[language]
        pairs = dict(moved).get(language, ())
        # a line showing the translation that came with its words, and one whose
        # translation left with its words and that shows none now
        carried = {line for line, _ in pairs} | {source for _, source in pairs if source not in now}
        ids = tuple(sorted(line for line in lines if now.get(line) != was.get(line)
                           and (line in was or line in now) and not unknown(line) and line not in unread
                           and line not in carried))
        if ids:
            out.append((language, ids))
    return tuple(out)


def made_untranslated(head: States, retranslated: tuple[tuple[str, tuple[str, ...]], ...]
                      ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, those of `retranslated`'s lines that the head shows no translation
    for: a translation emptied or taken away, whose page now shows the source language's
    words. Listed among the changed as any other change, it read as a reworded line, and
    a review did not see a language lose a line."""
    texts = {language: {line for line, _ in pairs} for language, _, _, _, pairs, _ in head}
    out = []
    for language, ids in retranslated:
        gone = tuple(line for line in ids if line not in texts.get(language, ()))
        if gone:
            out.append((language, gone))
    return tuple(out)
