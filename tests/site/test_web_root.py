"""build/site/ is a web root: uploaded alone to a static host, at the domain root or
under a sub-path, every page, image, stylesheet, script, the 404 page, the sitemap and
the JSON API resolve. Checked with linkinator (npm), the link checker site owners run,
over the folder served by Python's plain static server — no foundry code in between."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from site_support import SOURCE_DATE_EPOCH, h, parse
from support import REPO, foundry, require_tool

# A laptop may point at its own linkinator; CI uses the one package.json pins.
LINKINATOR = Path(os.environ.get("FOUNDRY_LINKINATOR", REPO / "node_modules/.bin/linkinator"))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # socketserver's backlog of 5 beside linkinator's 100 connections at once: on a loaded
    # machine the accept thread fell behind, dropped connections timed out, and the links
    # were reported broken with status 0 (a fresh-clone suite run beside two helpers)
    request_queue_size = 128


@contextmanager
def static_server(folder: Path):
    """`python3 -m http.server` over `folder`, on a free port of 127.0.0.1."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def linkinator(*urls: str) -> list[dict]:
    """Every link linkinator followed from `urls` (recursively, same host only)."""
    runs = LINKINATOR.is_file() and subprocess.run([str(LINKINATOR), "--version"], capture_output=True,
                                                   timeout=60).returncode == 0
    require_tool(runs, "linkinator (npm, pinned in package.json; needs Node >= 18)")
    # The pages' hreflang alternates are absolute, at the published address (base_url),
    # as search engines require: not fetchable here, and the same pages are reached
    # through the language switcher's relative links, which are followed.
    proc = subprocess.run([str(LINKINATOR), *urls, "--recurse", "--format", "json", "--timeout", "20000", "--concurrency", "16",
                           "--skip", r"^https://([a-z-]+\.)?example\.org/"],
                          capture_output=True, text=True, timeout=600)
    return json.loads(proc.stdout)["links"]


def broken(links: list[dict]) -> list[tuple]:
    return [(link["url"], link["status"], link.get("parent")) for link in links if link["state"] == "BROKEN"]


def _build(root: Path, base_url: str) -> Path:
    config = root / "foundry.toml"
    config.write_text(re.sub(r'(?m)^base_url = .*$', f'base_url = "{base_url}"', config.read_text()))
    run = foundry("build", "--only", "html,json", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root / "build" / "site"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    """The sample world built for https://example.org/coast/ (base_url with a path)."""
    root = tmp_path_factory.mktemp("subpath") / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                              ".foundry-*", "__pycache__", ".hypothesis"))
    # names GitHub Pages' Jekyll leaves out of a site pushed to a branch (`_…`)
    portraits = root / "content/assets/portraits"
    (portraits / "tomas.png").rename(portraits / "_tomas.png")
    tomas = root / "content/characters/tomas.yaml"
    tomas.write_text(tomas.read_text().replace("portraits/tomas.png", "portraits/_tomas.png"))
    (root / "themes/default/static/_parts").mkdir()
    (root / "themes/default/static/_parts/extra.css").write_text("p { color: #222 }\n")
    return _build(root, "https://example.org/coast/")


def test_nothing_in_the_site_links_outside_it(site_root):
    site = site_root / "site"
    for page in site.rglob("*.html"):
        for element in parse(page).iter():
            for attr in ("href", "src"):
                url = element.get(attr) or ""
                if url and not re.match(r"[a-z]+:|#|/", url):
                    target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
                    assert target.is_relative_to(site.resolve()), f"{page}: {url}"
                    assert target.exists(), f"{page}: {url}"
    assert any((site / "media").iterdir()), "portraits are published inside the site"


def test_the_json_api_is_published_inside_the_site(site_root):
    for path in (site_root / "api/v1").rglob("*.json"):
        inside = site_root / "site/api/v1" / path.relative_to(site_root / "api/v1")
        assert inside.read_bytes() == path.read_bytes(), inside
    hero = json.loads((site_root / "site/api/v1/heroes/aria.json").read_text())["hero"]
    # An image path in the JSON is a path from the site root, where the API lives too.
    assert (site_root / "site" / hero["portrait"]["path"]).is_file()


def test_linkinator_finds_nothing_broken_at_the_domain_root(site_root):
    site = site_root / "site"
    with static_server(site) as origin:
        links = linkinator(f"{origin}/", f"{origin}/404.html", f"{origin}/api/v1/manifest.json")
    assert not broken(links)
    urls = {link["url"] for link in links}
    assert any("/media/" in u for u in urls) and f"{origin}/assets/site.css" in urls, sorted(urls)[:20]
    assert len(links) > 40


def test_linkinator_finds_nothing_broken_under_a_sub_path(subpath_site, tmp_path):
    # A host that publishes build/site/ at /coast/: a parent folder holding it as coast/.
    parent = tmp_path / "host"
    parent.mkdir()
    (parent / "coast").symlink_to(subpath_site, target_is_directory=True)
    with static_server(parent) as origin:
        links = linkinator(f"{origin}/coast/", f"{origin}/coast/404.html")
    assert not broken(links)
    assert f"{origin}/coast/assets/site.css" in {link["url"] for link in links}
    # The 404 page, shown at any address, links from the base path.
    hrefs = [a.get("href") for a in parse(subpath_site / "404.html").iter(h("a"))]
    assert "/coast/index.html" in hrefs
    sitemap = (subpath_site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/coast/heroes/aria.html</loc>" in sitemap and "/site/" not in sitemap


def test_the_shipped_workflow_deploys_the_site_to_pages():
    import yaml
    flow = yaml.safe_load((REPO / ".github/workflows/foundry.yml").read_text(encoding="utf-8"))
    upload = next(s for s in flow["jobs"]["release"]["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"].rstrip("/") == "build/site" and "default_branch" in upload["if"]
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "release" and "default_branch" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


def _jekyll_leaves_out(path: str) -> bool:
    """Whether GitHub Pages' Jekyll, run over a site pushed to a branch, leaves `path`
    out of the published site: a file or folder named `_…`, `.…`, `#…` or `…~`."""
    return any(part.startswith(("_", ".", "#")) or part.endswith("~") for part in path.split("/"))


def test_a_site_pushed_to_a_pages_branch_keeps_its_files_named_with_an_underscore(subpath_site):
    # A portrait `_tomas.png` is published as media/_tomas-….png and a theme's
    # static/_parts/ as assets/_parts/: pushed to a gh-pages branch ("Deploy from a
    # branch"), Jekyll left them out, a broken picture and a missing stylesheet.
    # `.nojekyll` at the site's root turns Jekyll off.
    files = [p.relative_to(subpath_site).as_posix() for p in subpath_site.rglob("*") if p.is_file()]
    left_out = [name for name in files if _jekyll_leaves_out(name) and name != ".nojekyll"]
    assert any(name.startswith("media/_tomas") for name in left_out) and "assets/_parts/extra.css" in left_out, files
    assert (subpath_site / ".nojekyll").is_file(), left_out
