"""Writing direction from a language tag: the one rule the site, the PDF and the EPUB
share, so an Arabic or Hebrew world is laid out right to left everywhere."""

from __future__ import annotations

# Languages written right to left, by BCP 47 primary subtag; with the deprecated tags the
# registry reads as one of them (`iw` is `he`, `ji` is `yi`: l10n/tags.py `language_key`),
# which a project may list alone (`["ji"]` laid Yiddish out left to right)
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ji", "ks", "ku", "ps", "sd", "syr", "ug",
                           "ur", "yi"})


# Scripts written right to left (ISO 15924, as BCP 47 script subtags), for a tag that
# names its script: Punjabi in Shahmukhi (`pa-Arab`), Azerbaijani in Arabic script
# (`az-Arab`) are right to left; Kurdish in Latin script (`ku-Latn`) is not.
RTL_SCRIPTS = frozenset({"adlm", "arab", "aran", "hebr", "mand", "mend", "nkoo", "rohg", "samr", "syrc", "thaa",
                         "yezi"})


def text_direction(language: str) -> str:
    """"rtl" for a language written right to left, else "ltr": by the tag's script
    subtag when it has one (the four letters after the language), else by its
    primary language subtag."""
    subtags = language.lower().split("-")
    early = []   # a script comes second (third after an extlang), before any singleton (`x-`, `u-`…)
    for subtag in subtags[1:3]:
        if len(subtag) == 1:
            break
        early.append(subtag)
    script = next((s for s in early if len(s) == 4 and s.isalpha()), None)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0] in RTL_LANGUAGES else "ltr"
