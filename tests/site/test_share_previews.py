"""A page shared on a chat or social site previews with its own title and description.
The default theme said only <meta name="description">: no Open Graph or Twitter card,
so a studio's link to a hero showed a bare address. Now the head says og:type,
og:site_name, og:title, og:description (the page's own description, the one source),
twitter:card and a JSON-LD WebPage, og:url and og:image only when project.base_url is a whole URL
(never a relative address), og:locale on a site with translations. A theme that
overrides base.html gets its own head, nothing added."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from lxml import html as lxml_html

from pipeline.exporters.html.share import og_locale

from support import REPO, foundry

FILES = {
    "content/stories/tide.md": """\
---
title: The Tide
summary: 'The "tide" turns & <script>alert(1)</script> rings.'
start: shore
---

## The Shore {#shore .ending}

Wet sand.
""",
}


def _project(project_factory, base_url: str, languages: str = "") -> object:
    root = project_factory(FILES)
    (root / "content/assets/portraits").mkdir(parents=True)
    shutil.copy(REPO / "content/assets/portraits/aria.png", root / "content/assets/portraits/rook.png")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text() + "portrait: ../assets/portraits/rook.png\n")
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', f'theme = "default"\nbase_url = "{base_url}"')
                      + languages)
    return root


def _build(root) -> None:
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stdout + run.stderr


def _head(page) -> dict[str, list[str]]:
    """Every <meta>'s content in the head, by its property or name."""
    tree = lxml_html.parse(str(page)).getroot()
    found: dict[str, list[str]] = {}
    for meta in tree.xpath("/html/head/meta[@property or @name]"):
        found.setdefault(meta.get("property") or meta.get("name"), []).append(meta.get("content"))
    return found


def _linked(page) -> list[dict]:
    """The page's JSON-LD, each script's text checked to hold no '<' (none can end it)."""
    tree = lxml_html.parse(str(page)).getroot()
    scripts = [s.text for s in tree.xpath('//script[@type="application/ld+json"]')]
    assert all("<" not in text for text in scripts), scripts
    return [json.loads(text) for text in scripts]


def test_a_page_previews_with_its_own_title_description_address_picture_and_language(project_factory):
    root = _project(project_factory, "https://example.org/coast/", '\n[l10n]\nlanguages = ["de"]\n')
    _build(root)
    site = root / "build/site"
    hero = _head(site / "heroes/first-hero.html")
    assert hero["og:type"] == ["article"] and hero["og:site_name"] == ["Minimal"], hero
    assert hero["og:title"] == ["Rook Amsel"], hero
    assert hero["og:description"] == hero["description"], hero
    assert hero["og:url"] == ["https://example.org/coast/heroes/first-hero.html"], hero
    [image] = hero["og:image"]
    assert re.fullmatch(r"https://example\.org/coast/media/rook-[0-9a-f]{12}\.png", image), image
    assert (site / image.removeprefix("https://example.org/coast/")).is_file()
    assert hero["twitter:card"] == ["summary"], hero   # a square portrait beside the text
    # Open Graph's locale is language_TERRITORY (ogp.me): a bare `en` is none of its readers'
    assert hero["og:locale"] == ["en_US"] and hero["og:locale:alternate"] == ["de_DE"], hero
    german = _head(site / "de/heroes/first-hero.html")
    assert german["og:url"] == ["https://example.org/coast/de/heroes/first-hero.html"], german
    assert german["og:locale"] == ["de_DE"] and german["og:locale:alternate"] == ["en_US"], german
    # a story's preview is its own description, its markup and quotes as text, nothing run
    story = _head(site / "stories/tide.html")
    assert story["og:description"] == story["description"] == ['The “tide” turns & <script>alert(1)</script> rings.'], story
    assert "og:image" not in story and story["twitter:card"] == ["summary"], story
    assert story["og:title"] == ["The Tide"] and story["og:type"] == ["article"], story
    [linked] = _linked(site / "stories/tide.html")
    assert linked == {"@context": "https://schema.org", "@type": "WebPage", "name": "The Tide", "inLanguage": "en",
                      "description": story["description"][0],
                      "url": "https://example.org/coast/stories/tide.html"}, linked
    assert _linked(site / "heroes/first-hero.html")[0]["image"] == image
    home = _head(site / "index.html")
    assert _linked(site / "index.html")[0]["@type"] == "WebSite"
    assert home["og:type"] == ["website"] and home["og:url"] == ["https://example.org/coast/index.html"], home
    assert home["og:description"] == ["A new Hero Foundry world."], home


def test_no_address_or_picture_without_a_whole_base_url(project_factory):
    root = _project(project_factory, "/coast/")
    _build(root)
    hero = _head(root / "build/site/heroes/first-hero.html")
    assert "og:url" not in hero and "og:image" not in hero and "og:locale" not in hero, hero
    assert hero["og:description"] == hero["description"] and hero["twitter:card"] == ["summary"], hero
    [linked] = _linked(root / "build/site/heroes/first-hero.html")
    assert "url" not in linked and "image" not in linked, linked
    # no canonical address either: a path names no host (test_every_page_names_its_one_address…)
    assert not [p for p in (root / "build/site").rglob("*.html")
                if lxml_html.parse(str(p)).getroot().xpath("//link[@rel='canonical']")]


def test_a_theme_with_its_own_base_template_gets_exactly_its_head(project_factory):
    root = _project(project_factory, "https://example.org/")
    base = root / "themes/mine/templates/base.html"
    base.parent.mkdir(parents=True)
    base.write_text('{% import "_macros.html" as m with context %}<!doctype html>\n<html lang="{{ site.language }}"><head><meta charset="utf-8">'
                    '<title>{% block title %}{{ page.title }}{% endblock %}</title>'
                    '<meta name="description" content="{% block description %}{% endblock %}">'
                    '{% block head %}{% endblock %}</head>'
                    '<body class="{% block body_class %}{% endblock %}">{% block main %}{% endblock %}'
                    '{% block scripts %}{% endblock %}</body></html>\n')
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    _build(root)
    for page in ("heroes/first-hero.html", "stories/tide.html", "index.html"):
        assert list(_head(root / "build/site" / page)) == ["description"], page
        assert _linked(root / "build/site" / page) == [], page


@pytest.mark.parametrize("tag, locale", [("en", "en_US"), ("pt-BR", "pt_BR"), ("zh-Hant", "zh_TW"), ("zh", "zh_CN"),
                                         ("iw", "he_IL"), ("sr-Latn", "sr_RS"), ("es-419", "es_419"), ("tlh", "tlh"),
                                         ("zh-yue", "yue_HK"), ("i-klingon", "tlh"), ("x-pirate", "")])
def test_og_locale_is_language_and_territory(tag, locale):
    """A tag without a region takes CLDR's likely one, a deprecated language its name
    today; a language CLDR does not know stays as written (no territory to invent).
    An extlang or grandfathered tag (valid in foundry.toml) is the language it names, not
    its prefix (`zh-yue` was Mandarin's `zh_CN`, `i-klingon` an `i`); a private-use tag no locale."""
    assert og_locale(tag) == locale


def test_a_story_without_a_summary_is_described_by_its_prose_not_its_heading(project_factory):
    """No summary, and the first scene opens with a `###` heading: the description ran the
    heading into the first sentence ("The Old Road & co The fog comes in…") on the page,
    in og:description and in the JSON-LD. A heading is a label, not a sentence: left out
    where the prose has other words (kept when it has none)."""
    root = project_factory({"content/stories/road.md": """\
---
title: The Road
start: road
---

## The Road {#road}

### The Old Road & co

The fog comes in off the marsh.

- [On](#end)

## The End {#end .ending}

### Only a heading
"""})
    _build(root)
    head = _head(root / "build/site/stories/road.html")
    assert head["description"] == head["og:description"] == ["The fog comes in off the marsh."], head
    assert [d.get("description") for d in _linked(root / "build/site/stories/road.html")] == \
        ["The fog comes in off the marsh."]


def test_portuguese_and_brazilian_are_two_locales_each_named_once(project_factory):
    """`pt` and `pt-BR` both listed: `pt` took CLDR's likely region, Brazil, so both
    pages said og:locale pt_BR and every page listed pt_BR twice as an alternate. The
    Portuguese is `pt_PT` (the parent CLDR gives its other locales); every page names
    each language once, and not its own, in og:locale:alternate and in its hreflang links."""
    root = _project(project_factory, "https://example.org/", '\n[l10n]\nlanguages = ["pt", "pt-BR"]\n')
    _build(root)
    site = root / "build/site"
    for folder, locale, others in (("", "en_US", ["pt_PT", "pt_BR"]), ("pt/", "pt_PT", ["en_US", "pt_BR"]),
                                   ("pt-BR/", "pt_BR", ["en_US", "pt_PT"])):
        head = _head(site / folder / "index.html")
        assert head["og:locale"] == [locale], (folder, head)
        assert sorted(head["og:locale:alternate"]) == sorted(others), (folder, head)
        tree = lxml_html.parse(str(site / folder / "index.html")).getroot()
        hreflang = tree.xpath('/html/head/link[@rel="alternate"]/@hreflang')
        assert len(hreflang) == len(set(hreflang)), (folder, hreflang)


@pytest.mark.parametrize("languages", [("en", "de", "de-DE"), ("en", "zh", "zh-CN", "zh-Hant", "zh-TW"),
                                       ("en", "pt", "pt-PT", "pt-BR"), ("en", "en-US"), ("en", "es", "es-ES"),
                                       ("en", "sr", "sr-Latn"), ("en", "en-Dsrt"), ("en", "uz", "uz-Cyrl", "uz-Arab")])
def test_no_two_languages_of_a_site_share_an_og_locale(languages):
    """Every listed language a locale of its own, the ones that write their region keeping
    it (`zh-Hant` beside `zh-TW` was a second `zh_TW`; with the fix's first form, `zh`
    beside `zh-CN` and `zh-Hant` beside `zh-TW` both the bare `zh`), and a script
    written beside its language in its likely one (`sr-Latn` beside `sr` were both
    `sr_RS`, `en-Dsrt` beside `en` both `en_US`) leaving that one its locale."""
    from pipeline.exporters.html.share import og_locales
    found = og_locales(languages)
    assert len(set(found.values())) == len(languages), found
    for tag in languages:
        if "-" not in tag and not any(other.startswith(tag + "-") and len(other.split("-")[1]) == 2
                                      for other in languages):
            assert found[tag] == og_locale(tag), (tag, found)
    assert all(found[tag] == og_locale(tag) for tag in languages if "-" in tag and len(tag.split("-")[1]) == 2), found


def test_every_page_names_its_one_address_as_the_sitemap_lists_it(project_factory):
    """Under a whole base_url a page had og:url but no <link rel="canonical">: to a search
    engine `/coast/`, `/coast/index.html` and a shared `…/aria.html?utm_source=x` were
    three pages of the same words. Every page the sitemap lists names that address as its
    canonical one (each language its own), and only those: not the 404 page (shown at any
    address), not the pseudo-locale's noindex pages."""
    root = _project(project_factory, "https://example.org/coast/", '\n[l10n]\nlanguages = ["de", "en-XA"]\n')
    _build(root)
    site = root / "build/site"
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text()))
    named = {}
    for page in sorted(site.rglob("*.html")):
        tree = lxml_html.parse(str(page)).getroot()
        found = tree.xpath("/html/head/link[@rel='canonical']/@href")
        assert len(found) <= 1, (page, found)
        if found:
            named[found[0]] = page.relative_to(site).as_posix()
            assert tree.xpath("/html/head/meta[@property='og:url']/@content") == found, page
    assert set(named) == listed and len(listed) > 20, sorted(listed ^ set(named))
    assert all(url == "https://example.org/coast/" + path for url, path in named.items()), named
    assert "404.html" not in named.values() and not any(p.startswith("en-XA/") for p in named.values())
    assert not (site / "robots.txt").exists()   # under a sub-path no crawler reads it
    assert named["https://example.org/coast/de/heroes/first-hero.html"] == "de/heroes/first-hero.html"


def test_a_site_at_its_hosts_root_names_its_sitemap_in_robots_txt(project_factory):
    """A sitemap nobody is told of is found only by a team that submits it by hand: a
    site at its host's root gets a robots.txt naming it (as Jekyll's, Zola's and Hugo's
    do); under a sub-path none (crawlers read only /robots.txt, test above), and a
    theme's own root/robots.txt is published in its place, not refused as a clash."""
    root = _project(project_factory, "https://example.org/")
    _build(root)
    site = root / "build/site"
    robots = (site / "robots.txt").read_text(encoding="ascii")
    assert robots == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n", robots
    assert (site / "sitemap.xml").is_file()
    own = root / "themes/default/root/robots.txt"
    own.parent.mkdir(parents=True)
    own.write_bytes(b"User-agent: *\r\nDisallow: /drafts/\r\n")
    _build(root)
    assert (site / "robots.txt").read_bytes() == own.read_bytes()


def test_no_address_the_sitemap_lists_is_longer_than_the_protocol_takes(project_factory):
    """base_url's bound (2,000) left no room for the page's path: a base_url of 2,000
    characters, the length its own hint told a writer to cut one to, built a sitemap of
    2,081-character addresses (a character with a 64-character id), which the sitemap
    protocol refuses (under 2,048) and search engines drop. The bound makes room for the
    longest page path now, and a translated site's language folder is judged too: said
    at base_url in check, and its hint, followed, builds a sitemap whose every address
    fits."""
    def longest_loc(root) -> int:
        run = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
        assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
        locs = re.findall(r"<loc>([^<]+)</loc>", (root / "build/site/sitemap.xml").read_text())
        assert any("/characters/" + "x" * 64 + ".html" in loc for loc in locs), locs[:3]
        return max(len(loc) for loc in locs)

    base = "https://example.org/" + "a" * 1980   # 2,000 characters, the old bound
    root = _project(project_factory, base, '\n[l10n]\nlanguages = ["pt-BR"]\n')
    (root / "content/characters" / ("x" * 64 + ".yaml")).write_text("name: Long\nrole: Guide\nstatus: draft\n")
    config = root / "foundry.toml"
    run = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0205"]
    assert run.code == 1 and said["code"] == "HF0205" and "1,966" in said["message"], said
    fits = re.search(r"at most ([\d,]+) characters", said["hint"])
    config.write_text(config.read_text().replace(base, base[:int(fits.group(1).replace(",", ""))]))
    run = foundry("check", "--project", str(root), "--format", "json")
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0205"]   # the language folder's room
    assert said["code"] == "HF0205" and "pt-BR/characters/<a 64-character id>.html" in said["message"], said
    room = int(re.search(r"at most ([\d,]+) characters", said["hint"]).group(1).replace(",", ""))
    config.write_text(config.read_text().replace(base[:1966], base[:room]))
    assert foundry("check", "--project", str(root)).code == 0
    assert longest_loc(root) == 2047   # the longest page's address, at the protocol's bound exactly
