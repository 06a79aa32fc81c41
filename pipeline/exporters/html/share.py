"""What a page says about itself when its link is shared (Open Graph and Twitter's
card): its kind, its address, its picture and its language, for the default theme's
head (themes/default/templates/base.html). A chat or social site reads these to
preview a link; the page's title and description are the template's own (one source:
the `<title>`'s page title and `<meta name=description>`).

An address is given only under a full `http(s)://` `project.base_url`: a preview
needs a whole URL, and a path (`/coast/…`) or a relative one names no host, so the
tags that need one are left out rather than said wrong."""

from __future__ import annotations

from typing import Any

from ...l10n.pseudo import is_pseudo
from ...l10n.scripts import canonical_language, likely_region, tag_parts
from ...l10n.tags import preferred_tag
from ...load.media import media_path
from . import urls


def share_data(world: Any, base_url: str, page: Any, languages: tuple[str, ...], language: str) -> dict:
    """{"type": "website" | "article", "url": the page's whole address or "", "image":
    its portrait's (the cleaned original, as the page's <picture> falls back to) or "",
    "locale": the page's language as Open Graph writes it (`pt_BR`, `de_DE`: og_locale), "" on a site in
    one language, "locale_alternates": the site's other languages so written,
    "linked": the page's schema.org JSON-LD without its name and description, which
    the template adds from its own (`@type` WebSite for the home page, else WebPage)}.
    `page` is a planned page (pages.Page); `languages` the site's, base first (empty
    when it has one)."""
    whole = urls.has_sitemap(base_url)
    image = ""
    if whole and page.view in ("hero", "character") and page.args:
        asset = world.portraits.get(page.args[0])
        if asset is not None:
            image = urls.absolute(base_url, media_path(asset))
    url = urls.absolute(base_url, page.path) if whole and page.path != urls.NOT_FOUND else ""
    linked = {"@context": "https://schema.org", "@type": "WebSite" if page.view == "home" else "WebPage",
              "inLanguage": language, **({"url": url} if url else {}), **({"image": image} if image else {})}
    return {"type": "article" if page.view in ("hero", "character", "story", "quest") else "website",
            "url": url, "image": image,
            "locale": og_locales(languages).get(language, og_locale(language)) if languages else "",
            "locale_alternates": list(dict.fromkeys(og for lang, og in og_locales(languages).items()
                                                    if lang != language and og)),
            "linked": linked}


def og_locales(languages: tuple[str, ...]) -> dict[str, str]:
    """Each of a site's languages (pseudo-locales left out) as Open Graph's locale
    (og_locale), no two alike: a tag without a region whose likely one another listed tag
    names (`pt`, with `pt-BR` listed) is not that one. Both pages said `pt_BR` and the
    home page listed `pt_BR` twice as an alternate, the Portuguese named Brazilian. It
    takes the region CLDR's other locales of the language descend from (`pt` → `pt_PT`,
    `es` → `es_419`: Babel's parent locales), else the tag itself with `_` (`de` beside
    `de-DE`, `zh_Hant` beside `zh-TW`), which is at least no other page's; so does a tag
    that writes a script beside one of its language that writes none (`sr_Latn` beside
    `sr`, `en_Dsrt` beside `en`: both were `sr_RS`, `en_US`)."""
    out, claimed = {}, {}
    for tag in languages:
        if not is_pseudo(tag):
            out[tag] = og_locale(tag)
            if tag_parts(preferred_tag(tag))[2]:   # the region written: that page's own
                claimed.setdefault(out[tag], tag)
    for tag, og in out.items():
        if og and claimed.get(og, tag) != tag:
            language = og.split("_", 1)[0]
            other = _other_region(language)
            out[tag] = other if other and other not in out.values() else preferred_tag(tag).replace("-", "_")
    # a script written and no region (`sr-Latn` beside `sr`, `en-Dsrt` beside `en`): the
    # likely region is the same, so the pages said one locale (`sr_RS`, `en_US`) and the
    # alternates listed it twice; the tag that writes no script keeps it, the other is
    # itself with `_` (`sr_Latn`)
    for og in {og for og in out.values() if og and list(out.values()).count(og) > 1}:
        alike = [tag for tag in out if out[tag] == og]
        keeper = claimed.get(og) or next((tag for tag in alike if not tag_parts(preferred_tag(tag))[1]), alike[0])
        for tag in alike:
            if tag != keeper:
                out[tag] = preferred_tag(tag).replace("-", "_")
    return out


def _other_region(language: str) -> str:
    """The `language_REGION` most of CLDR's other locales of `language` take as parent
    (`pt_AO`, `pt_MZ`… → `pt_PT`), or "" when none does (Babel's parent exceptions)."""
    from collections import Counter
    from babel.core import get_global
    parents = Counter(parent for child, parent in get_global("parent_exceptions").items()
                      if child.split("_", 1)[0] == language and parent.count("_") == 1
                      and parent.split("_")[0] == language)
    return parents.most_common(1)[0][0] if parents else ""


def og_locale(tag: str) -> str:
    """A BCP 47 tag as Open Graph's locale, `language_TERRITORY` (ogp.me; what Facebook
    and the chat apps read: a bare `he` or a scripted `zh_Hant_TW` is no locale of
    theirs): `pt-BR` → `pt_BR`, `de` → `de_DE` and `zh-Hant` → `zh_TW` by CLDR's likely
    subtags, `es-419` → `es_419`, `iw` → `he_IL`; a language CLDR does not know as it is written.
    An extlang or grandfathered tag is read as the language it names (`zh-yue` → `yue_HK`,
    `i-klingon` → `tlh`: they were `zh_CN` and `i`); a private-use or undetermined one
    (`x-pirate`, `und-…`) is no locale: ""."""
    language, script, region = tag_parts(preferred_tag(tag))
    if language in ("x", "und"):
        return ""
    region = region.upper() if region else likely_region(language, script)
    # the language as CLDR writes it today (`iw` → `he`): Open Graph's readers know `he_IL`
    return f"{canonical_language(language)}_{region}" if region else language
