"""The order a language's readers expect a list in: CLDR collation, by ICU.

Every list a reader sees sorted by name or title (the site's indexes, a person's
stories and quests, relationships, credits, the search index, the books' contents)
sorts with `sort_key(language)`. Comparing code points put "Élise" and "Åke" after
"Zed" in every language; German files "Ärger" with the a's, Swedish puts "Å" after
"Z", Danish reads "Aa" as "Å" (CLDR's tailorings: the order its charts give).

ICU comes with the `pyicu-wheels` distribution (PyICU built with its own copy of ICU
and its data, wheels for Linux, macOS and Windows): the order is that of the pinned
ICU's CLDR, not of whatever the machine has installed, so a build's bytes are the
same on every machine. Babel has no collation; pyuca gives the root order only,
which is every language's order but for its tailoring (the very part readers of
Swedish, Danish, Finnish, Spanish, Lithuanian… notice).
"""

from __future__ import annotations

import threading
from functools import partial
from typing import Any, Callable

import icu

_local = threading.local()   # ICU collators are not to be shared between threads


def _collator(language: str) -> Any:
    made = getattr(_local, "collators", None)
    if made is None:
        made = _local.collators = {}
    found = made.get(language)
    if found is None:
        # a tag ICU has no tailoring for (`en-XA`, `tlh`) gets the root order, CLDR's
        # default for every script; the tag was checked as BCP 47 when it was read
        try:
            found = icu.Collator.createInstance(icu.Locale.forLanguageTag(language))
        except icu.ICUError:
            # a -u- keyword ICU refuses (`de-u-vt-0061`: the build crashed): the order of
            # the tag without its extensions, as HF1158 (l10n/check.py) says
            found = icu.Collator.createInstance(icu.Locale(icu.Locale.forLanguageTag(language).getBaseName()))
        made[language] = found
    return found


def unsortable(language: str) -> str | None:
    """None when ICU sorts by `language` as written; else the `-u-…` extension ICU
    refuses (`-u-vt-0061`, `-u-ks-level9`, `-u-kr-foo`: valid BCP 47, no collation ICU
    makes), which `collated` sorts without (the tag's language and region alone)."""
    try:
        icu.Collator.createInstance(icu.Locale.forLanguageTag(language))
        return None
    except icu.ICUError:
        parts = language.split("-")
        start = next((n for n, part in enumerate(parts) if part.lower() == "u"), None)
        if start is None:
            return "-".join(parts[1:])
        end = next((n for n in range(start + 1, len(parts)) if len(parts[n]) == 1), len(parts))
        return "-" + "-".join(parts[start:end])


def collated(language: str, text: str) -> str:
    """The key ordering `text` as `language` (a BCP 47 tag) sorts it: ICU's sort key at
    the language's default strength, as hex text, so that it stays the same key through
    JSON (a card's drawn fragment keeps its key, render/spans.py) and compares as the
    bytes do. Texts that collate equal get equal keys: callers break ties by id."""
    return _collator(language).getSortKey(str(text)).hex()


def sort_key(language: str) -> Callable[[str], str]:
    """`collated` for `language`, as a key function (`sorted(names, key=sort_key("sv"))`)."""
    return partial(collated, language)


def language_of(world: Any) -> str:
    """The language `world` is read in: its Locale's (resolve/localized.py), else the
    project's `[project] language`."""
    locale = getattr(world, "locale", None)
    return locale.language if locale is not None else world.project.config.project.language
