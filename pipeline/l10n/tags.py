"""Folders named for a language: which listed tag a folder name spells otherwise.

A language's folders (`translations/<tag>/`, `content/audio/<tag>/`) are named by the
tag exactly as `[l10n] languages` writes it. Translators' tools and other operating
systems spell the same language otherwise: `AR` for `ar` (a folder renamed on macOS or
Windows, where the two are one name), `pt_BR` for `pt-BR` (gettext's and Babel's locale
folders), `iw` for `he` (Java's Locale wrote Hebrew so until JDK 17). Such a folder is
that language's work, unused: what to say is "rename it", not "add this language"
(which would be HF0751 or HF1103).
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

_TAG = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{1,8})*$")
# A POSIX locale name, as gettext, Poedit, Weblate and Lokalize write a PO file's
# `Language:` and name locale folders: language[_REGION][.codeset][@modifier]
_POSIX = re.compile(r"^(?P<tag>[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,3})?)(?:\.[A-Za-z0-9_-]+)?(?:@(?P<modifier>[A-Za-z]+))?$")
# the modifiers that name a script (glibc's locales: sr_RS@latin, uz_UZ@cyrillic,
# pa_PK… has none); any other (`@valencia`, `@euro`) names no other language here
_SCRIPT_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "devanagari": "Deva", "arabic": "Arab"}

# The project folders whose every folder is named for a language
LANGUAGE_FOLDERS = frozenset({"translations", "content/audio"})

# Languages one project may list. A line of foundry.toml each, but each is every output
# made again and a link on every page of every language (the site grows with the square
# of their number): 150 made the starter's 13 pages into 2,000 pages, 218 MB, 2 minutes.
# No game ships in more than a few dozen. More is HF1149 (l10n/check.py).
MAX_LANGUAGES = 100


def listed_languages(settings) -> list[str]:
    """`[l10n] languages` (`settings`: the L10nSettings) as foundry checks and builds
    them: the first MAX_LANGUAGES. A longer list is HF1149, an error at the first one
    left out, and nothing is read, checked or made for the rest: 3,000 listed were
    267 CPU-s of check (each language's spans and outputs weighed against every other
    language: hours at 30,000, a 210 KB foundry.toml), all of it to end in that error."""
    return settings.languages[:MAX_LANGUAGES]


def listed_as(name: str, languages: Iterable[str]) -> str | None:
    """The tag of `languages` that folder `name` spells in other letters, with `_`
    for `-` or under another tag for the same language, as HF0751 tells them apart
    (`AR` → `ar`, `pt_br` → `pt-BR`, `iw` → `he`: `language_key`); None when it is none
    of them, or one of them exactly."""
    spelled = as_tag(name)
    others = [tag for tag in languages if tag != name]
    for tag in others:
        if tag.lower() == spelled.lower():
            return tag
    # the registry's other tag for a listed language: adding it would be HF0751, so the
    # hint was one to a second error while the folder's work stayed unused
    key = language_key(spelled)
    return next((tag for tag in others if language_key(tag) == key), None)


def variant_of(name: str, languages: Iterable[str]) -> str | None:
    """The tag of `languages` whose language folder `name` names with a region or
    script of its own (`fr-FR` for a listed `fr`, as Trados names a target folder;
    `de_AT` for `de`), by `other_language`'s rule; None when it names another language
    or is no tag. Its files are that language's work, to be moved, never removed."""
    tag = as_tag(name)
    if not _TAG.match(tag):
        return None
    return next((listed for listed in languages if listed.lower() != tag.lower() and not other_language(tag, listed)), None)


def fallbacks(tag: str, languages: Iterable[str]) -> list[str]:
    """The tags of `languages` that `tag`'s missing lines fall back to before the base
    language, nearest first: each tag made by taking `tag`'s last subtag off (RFC 4647's
    lookup: `pt-BR` → `pt`, `zh-Hant-TW` → `zh-Hant`, a singleton going with what
    follows it), as `languages` writes it (in any letters: language_key). A Brazilian
    page showed English for a line the project had in Portuguese. Never into another
    script (`same_script`, as CLDR's parent locales: `zh-Hant` is no `zh`, which is
    Simplified, `sr-Latn` no `sr`, Cyrillic): Traditional pages showed Simplified lines.
    A tag naming no script tries its language with its likely one before the language
    alone (`zh-TW` → `zh-Hant`, `sr-ME` → `sr-Latn`). CLDR's parent locales come before
    the cut each stands for (Babel's `parent_exceptions`): Bokmål and Nynorsk (`nb`,
    `nn`) fall back to Norwegian (`no`), as CLDR's data for them does, where a Bokmål
    page showed English for a line the `no` files had; `es-MX` to `es-419` before `es`,
    `pt-AO` to `pt-PT`, `en-GB` to `en-001`."""
    from .scripts import same_script, tag_parts, written_in
    keys = {language_key(listed): listed for listed in languages}
    parts, candidates = tag.split("-"), []
    while len(parts) > 1:
        parts.pop()
        if len(parts) > 1 and len(parts[-1]) == 1:
            parts.pop()
        candidates.append("-".join(parts))
    primary, script, _ = tag_parts(tag)
    likely = written_in(tag) if script is None and len(candidates) else None
    if likely is not None:
        candidates.insert(len(candidates) - 1, f"{tag.split('-')[0]}-{likely.title()}")
    candidates = _with_cldr_parents(tag, candidates)
    out: list[str] = []
    for candidate in candidates:
        found = keys.get(language_key(candidate))
        if found is not None and found != tag and found not in out and same_script(tag, found):
            out.append(found)
    return out


def _with_cldr_parents(tag: str, candidates: list[str]) -> list[str]:
    """`candidates` (the cuts of `tag`, nearest first) with CLDR's parent locale of
    `tag` and of each cut put right after it, and theirs after them: `nb` → [`no`],
    `es-MX` → [`es-419`, `es`]. Only a parent CLDR names otherwise than the cut. CLDR
    names locales in BCP 47's letters (`es_MX`, `nb`), tags ignore case: `es-mx`, `NB`
    are looked up as `preferred_tag` writes them (they fell back to `es`, to nothing)."""
    from babel.core import get_global
    parents = get_global("parent_exceptions")
    out: list[str] = []
    for name in (tag, *candidates):
        if name != tag and name not in out:
            out.append(name)
        seen = 0
        while (parent := parents.get(preferred_tag(name).replace("-", "_"))) is not None and parent != "root" \
                and seen < 8:
            name, seen = parent.replace("_", "-"), seen + 1
            if name not in out and name != tag:
                out.append(name)
    return out


def as_tag(name: str) -> str:
    """`name` written as a BCP 47 tag: gettext's POSIX locale name (`sr_RS@latin` →
    `sr-Latn-RS`, `de_DE.UTF-8` → `de-DE`, `ca@valencia` → `ca`) read as the language it
    names, `_` as `-`; any other name with `_` as `-`. `sr@latin` was "not a tag", so a
    Serbian file in translations/pt-BR/ was not said (HF1146), and a folder
    translations/sr@latin/ was told to be listed as that, which is HF1103."""
    found = _POSIX.match(name.strip())
    if found is None or (found["modifier"] is None and "." not in name):
        return name.strip().replace("_", "-")
    language, _, region = found["tag"].partition("_")
    script = _SCRIPT_MODIFIERS.get((found["modifier"] or "").lower())
    return "-".join(part for part in (language, script, region) if part)


def language_key(tag: str) -> str:
    """What `tag` names, to tell the languages a project lists apart: BCP 47's preferred
    form (langcodes' `standardize_tag`), lower-cased. Tags ignore case (`DE` is `de`), and
    the registry gives one tag for what others name too: `iw` is `he` (deprecated), `en-Latn`
    `en` (a script the language goes without), `i-klingon` `tlh`, `zh-yue` `yue`. Listed as
    `["he", "iw"]`, one language was translated and published twice, in site/he/ and site/iw/,
    each page naming both as alternates. A tag that is not valid BCP 47 (HF1103) is its
    lower-case self: that is its one slip."""
    return preferred_tag(tag).lower()


@functools.lru_cache(maxsize=1024)   # asked again for each translation file's declared language
def preferred_tag(tag: str) -> str:
    """`tag` as BCP 47 prefers it written (`iw` → `he`, `en-latn` → `en`, `pt-br` →
    `pt-BR`); `tag` itself when it is not a valid tag."""
    from .check import valid_language   # langcodes' tables: only for a project with languages
    if not valid_language(tag):
        return tag
    import langcodes
    try:
        return langcodes.standardize_tag(tag)
    except ValueError:   # valid in the registry, yet not one langcodes can rewrite
        return tag


def english_name(tag: str) -> str | None:
    """The language's English name from CLDR (Babel): "Hebrew", "Portuguese (Brazil)";
    named by the tag BCP 47 prefers (`iw` is "Hebrew", where Babel reads it as Hebrew in
    Israel); None when CLDR does not know it (`tlh`)."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(preferred_tag(tag), sep="-").get_display_name("en") or None
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def other_language(declared: str, folder: str) -> bool:
    """Whether a translation file that says it is in `declared` (its PO `Language:`,
    its XLIFF `trgLang` or `target-language`) holds another language than its folder
    `folder`: another language (`fr` in `de/`), or a region or script the folder's tag
    excludes (`pt-PT` in `pt-BR/`, `zh-Hans` in `zh-Hant/`). Spelling (`de_DE`), a
    region or script where the folder has none (`de-DE` in `de/`, `zh_CN` in `zh-Hans/`)
    and what is not a tag at all (a tool's "German") are not another language; a POSIX
    locale name is the tag it names (`sr@latin` is `sr-Latn`: `as_tag`); nor is
    the registry's other tag for it (`iw` in `he/`, as Java tools wrote Hebrew: the
    tags compared as BCP 47 prefers them, `preferred_tag`, as HF0751 compares them);
    nor a language and the one CLDR makes its parent (`nb` Bokmål, `nn` Nynorsk and
    `no` Norwegian, as the pages fall back, `_with_cldr_parents`): Weblate's `nb_NO`
    catalog in `no/` was told to move to `nb/`, where the `no` pages lost its words."""
    declared = as_tag(declared)
    if not _TAG.match(declared):
        return False
    mine = preferred_tag(declared).lower().split("-")
    theirs = preferred_tag(folder.replace("_", "-")).lower().split("-")
    if mine[0] != theirs[0]:
        from babel.core import get_global
        parents = get_global("parent_exceptions")
        if parents.get(mine[0]) != theirs[0] and parents.get(theirs[0]) != mine[0]:
            return True
    # a script (4 letters) is compared with a script, a region (2 letters, 3 digits)
    # with a region: gettext's `zh_CN` (a region) in `zh-Hans/` (a script) is Chinese
    # as simplified there, not another language
    return any(a is not None and b is not None and a != b
               for a, b in ((_script(mine), _script(theirs)), (_region(mine), _region(theirs))))


def _script(parts: list[str]) -> str | None:
    return next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)


def _region(parts: list[str]) -> str | None:
    return next((p for p in parts[1:] if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), None)


def two_languages(name: str, other: str) -> bool:
    """Whether folder names `name` and `other` name two languages (`pt-PT` and `pt-BR`,
    `de-AT` and `de-CH`: each a valid tag, l10n/check.py `valid_language`), not one
    spelled otherwise (`pt_br`, `PT-BR`): near as they look, neither is a slip for the
    other."""
    mine, theirs = name.replace("_", "-"), other.replace("_", "-")
    if mine.lower() == theirs.lower():
        return False
    from .check import valid_language   # langcodes' tables: only when two names are near
    return valid_language(mine) and valid_language(theirs)


# The registry's codes that name no language a text can be translated into (RFC 5646
# 4.1: "und", "mul", "zxx", "mis" are for metadata about content, not a language).
# `root` too: CLDR's name for its locale of no language, which langcodes reads as `und`;
# no BCP 47 tag (a four-letter language subtag is reserved, RFC 5646 2.2.1), yet it
# passed and was published as `lang="root"` on every page, in site/root/.
NO_LANGUAGE = {"und": "undetermined", "mul": "several languages", "zxx": "no linguistic content",
               "mis": "a language not in the registry", "root": "CLDR's locale of no language, not a BCP 47 tag",
               "i-default": "a protocol's default language (RFC 2277), not one text is written in"}


def not_a_language(tag: str, base: bool = False) -> tuple[str, str] | None:
    """(what is wrong, hint) for a tag langcodes calls valid that names no language to
    translate into, or not as BCP 47 writes it: a special code (`und`, `mul`, `zxx`,
    `mis`: every page would say it is in "no language"), or an ISO 639-2/3 code of a
    language that has a two-letter tag (`deu`, `ger`, `eng`, `nob`), which the IANA
    registry does not hold: langcodes reads it as `de`, but a browser, screen reader or
    reading system given `lang="deu"` does not know it is German, and its folders
    (site/deu/) would change if it were ever written right. None for a language tag.
    `base`: the tag is the project's language (`[project] language`), translated from."""
    primary = tag.split("-", 1)[0].lower()
    if tag.lower() == "i-default":   # RFC 2277's "default language" of a protocol's messages
        primary = "i-default"
    if primary in NO_LANGUAGE:
        return (f"names no language to translate {'from' if base else 'into'} ('{primary}': {NO_LANGUAGE[primary]})",
                ("Write the language the content is written in (\"en\")" if base else
                 "List the languages the text is translated into, each by its own tag (\"de\", \"fr\")")
                + "; a made-up language takes a private-use tag (\"qaa\"…\"qtz\", or \"x-…\").")
    preferred = preferred_tag(tag)
    if len(primary) == 3 and len(preferred.split("-", 1)[0]) == 2:
        return (f"is not in the IANA registry: BCP 47 writes '{primary}' as "
                f"'{preferred.split('-', 1)[0]}'",
                f"Write '{preferred}' (and rename {'' if base else f'translations/{tag}/ and '}content/audio/{tag}/ "
                "if present): "
                "browsers, screen readers and e-readers know the language by that tag.")
    return None
