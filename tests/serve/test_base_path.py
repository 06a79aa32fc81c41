"""`foundry serve` of a project published under a sub-path (`base_url =
"https://example.org/répo/"`, a GitHub project page) serves the site at that path, as
the host will: the 404 page, whose links are absolute from the base path because it is
shown at any address, is styled and its links lead somewhere in the preview too, and a
page there still reloads itself after a save.

Before, the site was served at `/` whatever base_url said: every link of the 404 page
(`/r%C3%A9po/index.html`, its stylesheet) was itself a 404, and live.js compared
`répo/heroes/a.html` with the changed page `heroes/a.html`, so no page reloaded.
"""

from __future__ import annotations

import shutil
import signal
import urllib.error
import urllib.request
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import pytest

from support import REPO, start_serve

WAIT_MS = 120_000
BASE = "/r%C3%A9po/"   # project.base_url's path, "/répo/", as a browser asks for it


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-base") / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"',
                                                 'theme = "default"\nbase_url = "https://example.org/répo/"'))
    proc, url = start_serve(root)
    yield root, url
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, final address after redirects, body)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.url, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.url, error.read()


def test_the_site_is_served_at_the_base_path(served):
    _, url = served
    assert urlsplit(url).path == BASE, url   # the terminal names the address to open
    origin = url[:-len(BASE)]
    status, _, body = fetch(url + "heroes/first-hero.html")
    assert status == 200 and b"Rook Amsel" in body
    for typed in ("/", BASE.rstrip("/")):   # the bare address and the base without its slash
        status, landed, _ = fetch(origin + typed)
        assert (status, urlsplit(landed).path) == (200, BASE), typed


@pytest.mark.parametrize("missing", [BASE + "no-such.html", BASE + "heroes/deep/er/no-such.html", "/elsewhere/x.html"])
def test_the_404_pages_links_work_from_any_depth(served, missing):
    _, url = served
    origin = url[:-len(BASE)]
    status, _, body = fetch(origin + missing)
    assert status == 404
    page = lxml.html.fromstring(body)
    assert page.xpath("//h1") and "Error response" not in body.decode()
    targets = [e.get("href") for e in page.xpath("//a[@href] | //link[@rel='stylesheet']")] + \
        [e.get("action") for e in page.xpath("//form[@action]")]
    local = [t for t in targets if t.startswith("/") and not t.startswith("/__foundry/")]
    assert any(t.endswith("assets/site.css") for t in local) and len(local) > 5, targets
    for target in local:
        # encoded as a browser sends it (the page may write the base's "é" as it stands)
        status, _, _ = fetch(urljoin(origin + missing, quote(target, safe="/%?=&#")))
        assert status == 200, (missing, target)


def test_a_page_under_the_base_path_reloads_after_a_save(served, browser):
    root, url = served
    page = browser.new_page()
    try:
        page.goto(url + "heroes/first-hero.html")
        page.wait_for_selector("html[data-foundry-seen]", timeout=WAIT_MS)   # live.js is connected
        hero = root / "content/heroes/first-hero.yaml"
        hero.write_text(hero.read_text().replace("name: Rook Amsel", "name: Rook Amsel-Vane", 1))
        page.wait_for_selector("h1:has-text('Rook Amsel-Vane')", timeout=WAIT_MS)   # waits across the reload
    finally:
        page.close()
