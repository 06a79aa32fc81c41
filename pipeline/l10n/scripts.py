"""Writing direction from a language tag: the one rule the site, the PDF and the EPUB
share, so an Arabic or Hebrew world is laid out right to left everywhere."""

from __future__ import annotations

# Languages written right to left, by BCP 47 primary subtag.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur",
                           "yi"})


def text_direction(language: str) -> str:
    """"rtl" for a language written right to left (by its primary subtag), else "ltr"."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
