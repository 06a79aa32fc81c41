"""For `foundry diff`: which translations a change made stale, per language."""

from __future__ import annotations

from typing import Any

from .pseudo import is_pseudo
from .state import STALE, TRANSLATED

# language → (line ids translated and current, line ids stale)
States = tuple[tuple[str, frozenset[str], frozenset[str]], ...]


def translation_states(l10n: Any) -> States:
    """Per real language, the line ids whose translation is current and those stale."""
    if l10n is None:
        return ()
    out = []
    for language in l10n.languages:
        if is_pseudo(language) or language == l10n.base:
            continue
        resolved = l10n.resolve(language)
        out.append((language, frozenset(r.line.id for r in resolved if r.status == TRANSLATED),
                    frozenset(r.line.id for r in resolved if r.status == STALE)))
    return tuple(out)


def made_stale(base: States, head: States) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per language, the lines current at the base and stale at the head: what this
    change asks translators to look at again."""
    before = {language: current for language, current, _ in base}
    out = []
    for language, _, stale in head:
        ids = tuple(sorted(stale & before.get(language, frozenset())))
        if ids:
            out.append((language, ids))
    return tuple(out)
