"""A site published as a GitHub project page (https://<owner>.github.io/<repo>/) with
foundry.toml's default `base_url = "/"`: GitHub Pages serves build/site/404.html at any
missing address under /<repo>/, and that page linked its stylesheet and every link from
the host's root (/assets/site.css, /index.html): unstyled, every link dead. `foundry
build --base-url` gives the address the host publishes at, as the shipped workflow does
from actions/configure-pages (whose `base_url` has no trailing slash). Checked in a real
Chromium against a server that answers a miss as GitHub Pages does."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from site_support import SOURCE_DATE_EPOCH, h, parse
from support import foundry, write_project

PAGES_URL = "https://you.github.io/repo"   # actions/configure-pages' `base_url` output, as it is


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """GitHub Pages for a project page: the site under /repo/; a missing address under
    it is answered 404 with the site's own 404.html."""

    def log_message(self, *args) -> None:
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "repo" / "404.html"
        if code != 404 or not self.path.startswith("/repo/") or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def pages_host(site: Path, parent: Path):
    """`site` published at http://127.0.0.1:PORT/repo/, as GitHub Pages would."""
    parent.mkdir()
    (parent / "repo").symlink_to(site, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_PagesHandler, directory=str(parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pages_project(tmp_path_factory) -> Path:
    root = write_project(tmp_path_factory.mktemp("pages") / "proj")   # base_url left at its default, "/"
    run = foundry("build", "--only", "html", "--base-url", PAGES_URL, "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root


def test_a_missing_address_of_a_project_page_shows_the_404_page_styled_with_working_links(
        browser, pages_project, tmp_path):
    site = pages_project / "build/site"
    with pages_host(site, tmp_path / "host") as origin:
        tab = browser.new_page()
        try:
            answer = tab.goto(origin + "/repo/heroes/gone/deeper.html")
            assert answer.status == 404
            # the stylesheet came: the theme's layout, not the browser's default serif
            sheets = tab.evaluate("[...document.styleSheets].filter(s => s.href).map(s => [s.href, s.cssRules.length])")
            assert sheets and all(rules > 0 for _, rules in sheets), sheets
            assert all(href.startswith(origin + "/repo/") for href, _ in sheets), sheets
            assert "Times" not in tab.evaluate("getComputedStyle(document.body).fontFamily")
            tab.click(".lost .actions a.button >> nth=0")   # "Home"
            tab.wait_for_load_state()
            assert tab.url == origin + "/repo/index.html"
            assert tab.evaluate("document.querySelector('h1').textContent").strip() == "Minimal"
        finally:
            tab.close()


def test_the_given_address_is_every_page_s_and_foundry_toml_s_is_back_without_it(pages_project, tmp_path):
    site = pages_project / "build/site"
    hrefs = [a.get("href") for a in parse(site / "404.html").iter(h("a"))]
    assert "/repo/index.html" in hrefs and "/index.html" not in hrefs
    assert "<loc>https://you.github.io/repo/heroes/" in (site / "sitemap.xml").read_text()
    canonical = [e.get("href") for e in parse(site / "index.html").iter(h("link")) if e.get("rel") == "canonical"]
    assert canonical == ["https://you.github.io/repo/index.html"]
    # the same build with foundry.toml's address: every page drawn again, not kept from the last
    copy = write_project(tmp_path / "again")
    for url in (PAGES_URL, None):
        run = foundry("build", "--only", "html", *(["--base-url", url] if url else []), "--project", str(copy),
                      env=SOURCE_DATE_EPOCH)
        assert run.code == 0, run.stderr
    hrefs = [a.get("href") for a in parse(copy / "build/site/404.html").iter(h("a"))]
    assert "/index.html" in hrefs and not any(href.startswith("/repo/") for href in hrefs if href)
    assert not (copy / "build/site/sitemap.xml").exists()


@pytest.mark.parametrize("given, said", [
    # the address as a browser's bar shows it: the hint gave the two shapes, not the value
    ("you.github.io/repo", 'Give `--base-url "https://you.github.io/repo"`'),
    ("https://u:p@you.github.io/repo/", 'Give `--base-url "https://you.github.io/repo/"`'),
])
def test_a_base_url_given_wrong_is_a_usage_error_with_the_value_to_give(given, said, project_factory):
    root = project_factory()
    run = foundry("build", "--only", "html", "--base-url", given, "--project", str(root))
    assert run.code == 2 and said in run.stderr and "--base-url" in run.stderr, run.stderr
    assert not (root / "build").exists()


def test_a_base_url_given_too_long_for_a_translated_sites_sitemap_is_refused_as_foundry_toml_s_is(project_factory):
    # 1,966 characters: base_url's own bound, with no room left for a language folder
    given = "https://you.github.io/" + "r" * 1943 + "/"
    root = project_factory({"foundry.toml": (Path(__file__).parents[1] / "roots/minimal/foundry.toml").read_text()
                            + '\n[l10n]\nlanguages = ["ar"]\n'})
    run = foundry("build", "--only", "html", "--base-url", given, "--project", str(root))
    assert run.code == 2 and "(ar/characters/<a 64-character id>.html, 83 characters)" in run.stderr, run.stderr
    assert "Shorten it to at most 1,964 characters" in run.stderr and not (root / "build").exists()
