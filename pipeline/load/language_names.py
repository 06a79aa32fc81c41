"""A language written by its name where its tag belongs (`language = "english"`,
`languages = ["German", "Français"]`): the tag to write instead, for HF0205 and HF1103's
hints, which said only what a tag looks like to a writer who had not known there was one."""

from __future__ import annotations

import functools
import re

from ..diagnostics import did_you_mean


# letters and spaces only (any script's): a name, not a tag written wrong
_WORDS = re.compile(r"[^\W\d_]+(?: [^\W\d_]+)*")


@functools.cache
def _names() -> dict[str, str]:
    """Language names case-folded → tag: CLDR's English names (Babel), and each
    two-letter language's own name ("Deutsch", "Français"). Loaded once, and only when a
    tag is no tag: each locale's data is read (about a second)."""
    from babel import Locale
    from babel.localedata import locale_identifiers
    english = Locale("en").languages
    names = {n.casefold(): c for c, n in english.items() if c.isalpha() and c.islower()}
    known = set(locale_identifiers())
    for code in sorted(c for c in english if len(c) == 2 and c in known):
        own = Locale(code).get_language_name(code)
        if own:
            names.setdefault(own.casefold(), code)
    return names


def tag_for_name(word: str) -> tuple[str, str] | None:
    """(tag, English name) of a language written by its name ("english", "German",
    "Français") or a near misspelling of one ("englsh"); None when it is no name."""
    from babel import Locale
    name = word.strip().casefold()
    if len(name) > 40 or not _WORDS.fullmatch(name):
        # `pt_BR`, `sr-lat`: a tag mistyped, which the caller's own hint is for; past the
        # longest name (CLDR's are under 30 letters) no name, and not
        # compared (100 tags of 10,000 letters against 800 names)
        return None
    names = _names()
    if name not in names:
        # a misspelling, of about the name's length: 'castellano' is not a slip of 'català'
        near = did_you_mean(name, names) if len(name) > 3 else None
        name = near if near and abs(len(near) - len(name)) <= 2 else None
    if name is None:
        return None
    tag = names[name]
    return tag, Locale("en").languages.get(tag, name)
