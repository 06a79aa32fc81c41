"""The site in every language: one tree, the base language at the root of build/site/,
each other language in build/site/<lang>/ with the same pages at the same paths
below it (pipeline/exporters/languages.py `relocate`). Assets, images and the JSON API are
shared: a translated page links to the same files.

Every page of a multilingual site names its translations twice: `<link rel=
"alternate" hreflang>` in the head (for search engines; absolute under
`project.base_url`, plus `x-default` for the base language), and a language
switcher in the header (relative links, so the site works from disk).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..languages import relocate
from ...l10n.pseudo import is_pseudo
from ...l10n.scripts import text_direction
from . import urls


@dataclass(frozen=True)
class SiteLanguages:
    """The output languages (base first) and every page's base-language path, by the
    path it is written to in any language."""

    languages: tuple[str, ...]
    base_paths: frozenset[str]                 # pages of the base language
    origin: dict                               # written path → (language, base-language path)

    @property
    def base(self) -> str:
        return self.languages[0]

    def target(self, target: str, language: str) -> str:
        """A link target (a base-language build path, maybe with #fragment) as the
        page of `language` it stands for; assets and images are shared."""
        path, sep, rest = target.partition("#") if "#" in target else target.partition("?")
        if path in self.base_paths:
            path = relocate(path, language, self.base)
        return path + sep + rest

    def alternates(self, written: str, base_url: str) -> list[dict]:
        """The page in every language, for the head's hreflang links and the switcher."""
        language, base_path = self.origin.get(written, (None, None))
        if base_path is None or base_path == urls.NOT_FOUND:
            return []
        out = []
        for lang in self.languages:
            path = relocate(base_path, lang, self.base)
            # `pseudo`: the pseudo-locale's page, in the switcher for the team, but announced
            # to no search engine (the head's alternates, the sitemap): its words are gibberish
            out.append({"language": lang, "name": native_name(lang), "direction": text_direction(lang),
                        "href": urls.relative(written, path), "absolute": urls.absolute(base_url, path),
                        "current": lang == language, "pseudo": is_pseudo(lang)})
        return out


@lru_cache(maxsize=64)
def native_name(tag: str) -> str:
    """The language's name in that language ("Deutsch", "العربية") from CLDR via Babel,
    which a reader looking for their own language recognises; the tag when unknown.
    Named by the tag BCP 47 prefers (l10n/tags.py `preferred_tag`): Babel reads a
    deprecated or aliased tag as its language *in a country* (`iw` → he_IL, `tl` →
    fil_PH), so the switcher offered "עברית (ישראל)" for a page of Hebrew for anyone.
    A language CLDR does not know goes by the IANA registry's name ("Klingon").
    What follows a singleton (`-x-formal`, `-u-co-phonebk`), which Babel cannot read,
    is named after the language ("Deutsch (x-formal)"): `de-x-formal` and
    `de-x-informal` were both "German", in English, where `de` was "Deutsch"."""
    if is_pseudo(tag):
        return "English (pseudo)"
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:   # a machine installed before Babel joined the dependencies
        return tag
    from ...l10n.tags import preferred_tag
    parts = preferred_tag(tag).split("-")
    cut = next((n for n, part in enumerate(parts) if len(part) == 1), len(parts))
    core, rest = "-".join(parts[:cut]), "-".join(parts[cut:])
    if not core:
        return tag   # private use only (`x-elvish`): no language to name
    try:
        name = Locale.parse(core, sep="-").get_display_name()
    except (ValueError, TypeError, UnknownLocaleError):
        # a language CLDR has no data for (Klingon, Sindarin): the registry's name for
        # it, which a reader knows, where the switcher showed the bare "tlh"
        from ...l10n.check import registry_name, valid_language
        name = registry_name(core) if valid_language(tag) else None
    if not name:
        return tag
    if rest:
        name = f"{name[:-1]}, {rest})" if name.endswith(")") else f"{name} ({rest})"
    return name[:1].upper() + name[1:]
