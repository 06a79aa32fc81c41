"""A sitemap file holds at most 50,000 addresses (sitemaps.org; a search engine refuses a
longer one whole): a world of 10,000 heroes in five languages has more pages than that.
Past the limit `sitemap.xml` is a sitemap index of `sitemap-N.xml` parts, each within it.
The limit is lowered here (pipeline/exporters/html/sitemap.py PER_FILE) so a small world
shows it, built in this process through the command line as a user runs it."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from lxml import etree

import pipeline.exporters.html.sitemap as sitemap_module
from pipeline.cli import cli
from support import REPO

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://example.org/coast/"


def _build(root, monkeypatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(sitemap_module, "PER_FILE", 4)
        run = CliRunner().invoke(cli, ["build", "--only", "html", "--project", str(root)],
                                 env={"NO_COLOR": "1", "FOUNDRY_JOBS": "1"}, catch_exceptions=False)
    assert run.exit_code == 0, run.output


def _listed(site) -> list[str]:
    """Every page address the sitemap gives, through its index; each part within the limit."""
    index = etree.parse(str(site / "sitemap.xml")).getroot()
    assert index.tag == f"{{{NS['s']}}}sitemapindex", etree.tostring(index)[:300]
    pages = []
    for loc in index.xpath("s:sitemap/s:loc/text()", namespaces=NS):
        assert loc.startswith(BASE), loc
        part = etree.parse(str(site / loc.removeprefix(BASE))).getroot()
        found = part.xpath("s:url/s:loc/text()", namespaces=NS)
        assert part.tag == f"{{{NS['s']}}}urlset" and 0 < len(found) <= 4, (loc, found)
        pages += found
    return pages


def test_a_site_over_the_limit_gets_a_sitemap_index_of_parts(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text().replace('theme = "default"', f'theme = "default"\nbase_url = "{BASE}"'))
    _build(root, monkeypatch)
    site = root / "build/site"
    pages = sorted(BASE + p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 8
    assert _listed(site) == pages   # every page once, in order, across the parts

    # a hero added: the parts are drawn again from the pages there now (one more part at 4 per file)
    hero = root / "content/heroes/first-hero.yaml"
    for n in range(4):
        (hero.parent / f"kin-{n}.yaml").write_text(hero.read_text(), encoding="utf-8")
    _build(root, monkeypatch)
    listed = _listed(site)
    assert f"{BASE}heroes/kin-3.html" in listed and len(listed) == len(pages) + 4
