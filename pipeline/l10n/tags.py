"""Folders named for a language: which listed tag a folder name spells otherwise.

A language's folders (`translations/<tag>/`, `content/audio/<tag>/`) are named by the
tag exactly as `[l10n] languages` writes it. Translators' tools and other operating
systems spell the same language otherwise: `AR` for `ar` (a folder renamed on macOS or
Windows, where the two are one name), `pt_BR` for `pt-BR` (gettext's and Babel's locale
folders). Such a folder is that language's work, unused: what to say is "rename it",
not "add this language" (which would be HF0751 or HF1103).
"""

from __future__ import annotations

from typing import Iterable


def listed_as(name: str, languages: Iterable[str]) -> str | None:
    """The tag of `languages` that folder `name` spells in other letters or with `_`
    for `-` (`AR` → `ar`, `pt_br` → `pt-BR`); None when it is none of them, or one of
    them exactly."""
    key = name.replace("_", "-").lower()
    for tag in languages:
        if tag != name and tag.lower() == key:
            return tag
    return None
