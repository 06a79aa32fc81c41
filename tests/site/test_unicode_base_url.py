"""A `base_url` written in Unicode (`https://exämple.org/répo/`, a writer's own
domain and folder as they read them) is published as the ASCII address a browser
sends: the host in IDNA (`xn--exmple-cua.org`) and the path percent-encoded as UTF-8,
in the sitemap (whose protocol asks for escaped addresses: a crawler drops or
mis-reads a raw `é`), og:url, og:image, the JSON-LD, hreflang alternates and the 404
page's absolute links. Before, each printed the text as typed. An address already
written in ASCII (escapes included) is published exactly as written."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from site_support import SOURCE_DATE_EPOCH, h, parse
from support import foundry, write_project

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PUBLISHED = "https://xn--exmple-cua.org/r%C3%A9po/"


def _site(folder, base_url: str):
    root = write_project(folder / "proj", {})
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', f'theme = "default"\nbase_url = "{base_url}"')
                      .replace("[build]", '[l10n]\nlanguages = ["de"]\n\n[build]'), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root / "build" / "site"


@pytest.fixture(scope="module")
def unicode_site(tmp_path_factory):
    return _site(tmp_path_factory.mktemp("unicode-base"), "https://exämple.org/répo/")


def _addresses(site) -> list[str]:
    """Every whole address the site publishes: sitemap, share tags, JSON-LD, hreflang."""
    found = [loc.text for loc in etree.parse(str(site / "sitemap.xml")).iter(SITEMAP + "loc")]
    for page in (site / "heroes/first-hero.html", site / "de/heroes/first-hero.html", site / "index.html"):
        root = parse(page)
        found += [m.get("content") for m in root.iter(h("meta")) if m.get("property") in ("og:url", "og:image")]
        found += [link.get("href") for link in root.iter(h("link")) if link.get("hreflang")]
        for script in root.iter(h("script")):
            if script.get("type") == "application/ld+json":
                data = json.loads(script.text)
                found += [data[k] for k in ("url", "image") if k in data]
    return found


def test_every_whole_address_is_ascii_under_the_idna_host(unicode_site):
    addresses = _addresses(unicode_site)
    assert len(addresses) > 10
    assert f"{PUBLISHED}heroes/first-hero.html" in addresses
    assert f"{PUBLISHED}de/heroes/first-hero.html" in addresses
    for address in addresses:
        assert address.isascii() and address.startswith(PUBLISHED), address


def test_the_404_pages_links_are_the_escaped_base_path(unicode_site):
    hrefs = [a.get("href") for a in parse(unicode_site / "404.html").iter(h("a"))]
    assert "/r%C3%A9po/index.html" in hrefs
    assert all(href.isascii() for href in hrefs), hrefs


def test_an_ascii_base_url_is_published_as_written_but_its_scheme_and_host_in_lower_case(tmp_path):
    """Escapes and the path's case stay as written; the scheme and the host are lower
    case, as a browser writes them and as an IDNA host comes out (`HTTPS://Example.org`
    was published as typed: canonical, sitemap and hreflang unlike the page's address)."""
    site = _site(tmp_path, "HTTPS://Example.ORG:8443/D%c3%a9mo/")
    locs = [loc.text for loc in etree.parse(str(site / "sitemap.xml")).iter(SITEMAP + "loc")]
    assert "https://example.org:8443/D%c3%a9mo/heroes/first-hero.html" in locs
    addresses = _addresses(site)
    assert len(addresses) > 10 and all(a.startswith("https://example.org:8443/D%c3%a9mo/") for a in addresses), addresses
    assert "/D%c3%a9mo/index.html" in [a.get("href") for a in parse(site / "404.html").iter(h("a"))]
