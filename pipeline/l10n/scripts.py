"""Writing direction from a language tag: the one rule the site, the PDF and the EPUB
share, so an Arabic or Hebrew world is laid out right to left everywhere."""

from __future__ import annotations

from functools import lru_cache

# Languages written right to left, by BCP 47 primary subtag; with the deprecated tags the
# registry reads as one of them (`iw` is `he`, `ji` is `yi`: l10n/tags.py `language_key`),
# which a project may list alone (`["ji"]` laid Yiddish out left to right). Each agrees
# with CLDR's likely script: `ku` is not here, for CLDR's `ku` is Kurmanji in Latin letters
# (`ku-TR`); Kurdish in Arabic script is `ku-IQ`, `ku-IR`, `ku-Arab` or Sorani's `ckb`.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ps", "sd", "syr", "ug",
                           "ur", "yi"})


# Scripts written right to left (ISO 15924, as BCP 47 script subtags), for a tag that
# names its script: Punjabi in Shahmukhi (`pa-Arab`), Azerbaijani in Arabic script
# (`az-Arab`) are right to left; Kurdish in Latin script (`ku-Latn`) is not. Unicode's
# list as fontTools keeps it (a hand list missed Aramaic's `Armi`, `Nbat`, `Palm`, Sogdian…),
# with the variants of a script ISO 15924 codes apart and Unicode does not (Nastaliq, the
# Syriac styles, Book Pahlavi).
_RTL_SCRIPT_VARIANTS = frozenset({"aran", "syre", "syrj", "syrn", "phlv"})


@lru_cache(maxsize=1)
def rtl_scripts() -> frozenset[str]:
    """The lower-case ISO 15924 codes of the scripts written right to left."""
    from fontTools.unicodedata import RTL_SCRIPTS   # ~20 ms: only once a tag names its script
    return frozenset(code.lower() for code in RTL_SCRIPTS) | _RTL_SCRIPT_VARIANTS


def text_direction(language: str) -> str:
    """"rtl" for a language written right to left, else "ltr": by the tag's script
    subtag when it has one (the four letters after the language), else by its
    primary language subtag."""
    primary, script, region = tag_parts(language)
    if script is None and region is not None:
        script = likely_script(primary, region)   # `pa-PK` is Shahmukhi, `uz-AF` Arabic script
    if script is None and primary not in RTL_LANGUAGES:
        script = likely_script(primary)   # Dari (`prs`), Egyptian Arabic (`arz`), N'Ko (`nqo`)…
    if script is not None:
        return "rtl" if script in rtl_scripts() else "ltr"
    return "rtl" if primary in RTL_LANGUAGES else "ltr"


def written_in(tag: str) -> str | None:
    """The script (lower-case ISO 15924) `tag` is written in: its script subtag, else
    CLDR's likely one for its language and region, else for its language (`zh-TW` and
    `zh-Hant-HK` "hant", `zh` "hans", `sr` "cyrl", `sr-ME` "latn", `ku-IQ` "arab");
    None when CLDR does not know the language (`tlh`)."""
    primary, script, region = tag_parts(tag)
    if script is None and region is not None:
        script = likely_script(primary, region)
    return script if script is not None else likely_script(primary)


def same_script(tag: str, other: str) -> bool:
    """Whether text in `other` can stand in for text in `tag` (a fallback): both are
    written in one script, or one's script is unknown. Traditional Chinese readers
    were shown `zh`'s Simplified, Serbian in Latin letters `sr`'s Cyrillic."""
    mine, theirs = written_in(tag), written_in(other)
    return mine is None or theirs is None or mine == theirs


def tag_parts(tag: str) -> tuple[str, str | None, str | None]:
    """A BCP 47 tag's primary language, script and region subtags, lower-case (`zh-Hant-TW`
    → ("zh", "hant", "tw"), `es-419` → ("es", None, "419")); None for one it does not
    have. A script comes second (third after an extlang), before any singleton (`x-`,
    `u-`…), which ends the look."""
    subtags = tag.lower().split("-")
    early = []
    for subtag in subtags[1:3]:
        if len(subtag) == 1:
            break
        early.append(subtag)
    script = next((s for s in early if len(s) == 4 and s.isalpha()), None)
    region = next((s for s in early if (len(s) == 2 and s.isalpha()) or (len(s) == 3 and s.isdigit())), None)
    return subtags[0], script, region


@lru_cache(maxsize=256)
def likely_script(language: str, region: str | None = None) -> str | None:
    """The script (lower-case ISO 15924) CLDR's likely subtags give a language tag with
    no script subtag — by its region when CLDR has that pair, else by the language —,
    through Babel: RTL_LANGUAGES, a list by hand, missed Dari, Egyptian and Moroccan
    Arabic, South Azerbaijani, Balochi, Rohingya, N'Ko…, each laid out left to right.
    None when CLDR does not know it (`tlh`, `qaa`)."""
    from babel.core import get_global
    likely, aliases = get_global("likely_subtags"), get_global("language_aliases")
    language = aliases.get(language, language)   # `prs` is `fa_AF`, `pnb` is `lah`
    base, _, alias_region = language.partition("_")
    keys = [f"{base}_{region.upper()}"] if region else []
    keys += [f"{base}_{alias_region}"] if alias_region and not region else []
    keys += [] if region else [base]
    for key in keys:
        found = likely.get(key)
        if found:
            return next((part.lower() for part in found.split("_")[1:] if len(part) == 4), None)
    return None


def canonical_language(language: str) -> str:
    """A primary language subtag as CLDR writes it today (`iw` → `he`, `prs` → `fa`): the
    deprecated and macro-language aliases through Babel, as likely_script reads them."""
    from babel.core import get_global
    return get_global("language_aliases").get(language, language).partition("_")[0]


@lru_cache(maxsize=256)
def likely_region(language: str, script: str | None = None) -> str | None:
    """The region (`US`, `TW`, `419`) CLDR's likely subtags give a language with no
    region subtag (and its script, when the tag names one: `zh-Hant` is Taiwan's,
    `zh` China's), through Babel, as likely_script asks it. None when CLDR does not
    know the language (`tlh`, `qaa`) or the pseudo-locales."""
    from babel.core import get_global
    likely, aliases = get_global("likely_subtags"), get_global("language_aliases")
    base, *parts = aliases.get(language, language).split("_")   # `prs` is `fa_AF`, `sh` is `sr_Latn`
    script = next((p for p in parts if len(p) == 4), script)
    for key in ([f"{base}_{script.title()}"] if script else []) + [base]:
        parts += likely.get(key, "").split("_")[1:]
    return next((p for p in parts if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), None)
