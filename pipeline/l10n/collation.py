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

pyicu-wheels ships wheels only (no source to build): none for a Python newer than its
release (3.15) or a macOS before 15, where pyproject's marker leaves it out so that
foundry still installs. There, lists sort by letters without their accents and case
(`_plain`: CLDR's root order at its first level, near enough, with no language's
tailoring), the same on every such machine; docs/localization.md says so.
"""

from __future__ import annotations

import threading
import unicodedata
from functools import partial
from typing import Any, Callable

try:
    import icu
except ImportError:   # a platform pyicu-wheels has no wheel for (pyproject's marker)
    icu = None

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
    makes), which `collated` sorts without (the tag's language and region alone).
    None without ICU: no language's order is kept there, the tag's or another."""
    if icu is None:
        return None
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
    bytes do. Texts that collate equal get equal keys: callers break ties by id.
    Without ICU, `_plain`'s key (the same for every language)."""
    if icu is None:
        return _plain(str(text))
    return _collator(language).getSortKey(str(text)).hex()


def _plain(text: str) -> str:
    """A key without ICU: the letters without their accents and case first ("Élise"
    with the E's, "åsa" with the A's, as CLDR's root order files them), then the
    accents, then the case, then the text itself (so that unequal texts never tie); as
    hex of its UTF-8 (which orders as the code points do), as ICU's key is: a lone
    surrogate in a name goes through JSON as hex, not as a character orjson refuses."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "\x00".join((letters.casefold(), decomposed.casefold(), decomposed, text)).encode(
        "utf-8", "surrogatepass").hex()


def sort_key(language: str) -> Callable[[str], str]:
    """`collated` for `language`, as a key function (`sorted(names, key=sort_key("sv"))`)."""
    return partial(collated, language)


def language_of(world: Any) -> str:
    """The language `world` is read in: its Locale's (resolve/localized.py), else the
    project's `[project] language`."""
    locale = getattr(world, "locale", None)
    return locale.language if locale is not None else world.project.config.project.language
