"""The generated site, read as a browser's HTML parser reads it: what each page shows
comes from the World, every internal link lands, stories read without script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import expr
from pipeline.exporters.json_api import expr_json
from pipeline.load.media import derivative_widths, media_path
from pipeline.resolve.world import players_for
from site_support import SVG, by_class, h, parse, resolve, text, world_of


@pytest.fixture(scope="session")
def world(site_project):
    return world_of(site_project)


def pages(site_root: Path) -> list[str]:
    return sorted(p.relative_to(site_root).as_posix() for p in (site_root / "site").rglob("*.html"))


def test_every_entity_has_a_page_and_an_index_entry(site_root, world):
    for folder, table in (("heroes", world.heroes), ("characters", world.characters), ("stories", world.stories),
                          ("quests", world.quests)):
        index = parse(site_root / "site" / folder / "index.html")
        linked = {a.get("href") for a in index.iter(h("a"))}
        for eid in table:
            assert (site_root / "site" / folder / f"{eid}.html").is_file()
            assert f"{eid}.html" in linked, (folder, eid)


def test_every_internal_link_and_image_lands(site_root):
    """Checked here with an independent parser, not the exporter's own checker."""
    ids: dict[str, set[str]] = {}
    for page in pages(site_root):
        ids[page] = {e.get("id") for e in parse(site_root / page).iter() if e.get("id")}
    checked = 0
    for page in pages(site_root):
        if page.endswith("404.html"):
            continue  # absolute links, checked below
        for element in parse(site_root / page).iter():
            for attr in ("href", "src"):
                url = element.get(attr)
                if url is None or url.startswith("data:"):
                    continue
                target, fragment = resolve(page, url)
                if target is None:
                    continue
                assert (site_root / target).is_file(), f"{page}: {url}"
                if fragment and target in ids:
                    assert fragment in ids[target], f"{page}: {url}"
                checked += 1
    assert checked > 500


def test_404_links_are_absolute_from_base_url(site_root):
    root = parse(site_root / "site/404.html")
    hrefs = [a.get("href") for a in root.iter(h("a"))]
    # build/site/ is the web root: rooted links name files from it, never /site/….
    assert "/index.html" in hrefs and all(href.startswith(("/", "#")) and not href.startswith("/site/")
                                          for href in hrefs)


def test_hero_page_shows_the_sheet(site_root, world):
    sheet, hero = world.sheets["aria"], world.heroes["aria"].model
    root = parse(site_root / "site/heroes/aria.html")
    assert hero.name in text(next(root.iter(h("h1"))))
    # Portrait: WebP derivatives by width in a <picture>, the cleaned original as <img>.
    asset = world.portraits["aria"]
    source = next(s for s in root.iter(h("source")) if s.get("type") == "image/webp")
    assert [c.split() for c in source.get("srcset").split(", ")] == [
        [f"../{media_path(asset, w).removeprefix('site/')}", f"{w}w"] for w in derivative_widths(asset)]
    img = next(i for i in root.iter(h("img")) if i.get("alt") == f"Portrait of {hero.name}")
    assert img.get("src") == f"../{media_path(asset).removeprefix('site/')}"
    # Derived stats: one row per level, the hero's level marked, values from the sheet.
    table = by_class(root, "table", "stats-table")[0]
    rows = list(table.find(h("tbody")))
    assert len(rows) == len(sheet.derived_by_level)
    current = [r for r in rows if r.get("class") == "current"]
    assert len(current) == 1 and text(current[0].find(h("th"))).startswith(str(sheet.level))
    assert [text(td) for td in current[0].findall(h("td"))] == [str(v) for v in sheet.derived().values()]
    # Attributes, skills, relationships, stories.
    shown = {text(dt.find(h("span"))): text(dd.find(h("span")))
             for dt, dd in zip(root.iter(h("dt")), root.iter(h("dd"))) if dt.find(h("span")) is not None
             and "attr-name" in (dt.find(h("span")).get("class") or "")}
    assert shown == {world.rules.attributes[a].name: str(v) for a, v in sheet.attributes.items()}
    skills = [text(s.find(h("h3"))) for s in by_class(root, "li", "skill")]
    assert skills == [world.rules.skills[s].rule.name for s in sheet.skills]
    hrefs = {a.get("href") for a in root.iter(h("a"))}
    assert {"../characters/tomas.html", "bram.html", "../stories/the-sunken-keep.html"} <= hrefs


def test_story_page_reads_as_linked_scenes(site_root, world):
    story = world.stories["the-sunken-keep"].model
    root = parse(site_root / "site/stories/the-sunken-keep.html")
    sections = {s.get("data-scene"): s for s in by_class(root, "section", "scene")}
    assert list(sections) == list(story.scenes)
    for sid, scene in story.scenes.items():
        section = sections[sid]
        assert section.get("id") == f"scene-{sid}"
        assert text(section.find(h("h2"))).startswith(scene.title)
        links = [li.find(h("a")) for li in by_class(section, "li", "choice")]
        assert [a.get("href") for a in links] == [f"#scene-{c.target}" for c in scene.choices]
        assert [text(a) for a in links] == [c.text for c in scene.choices]
        assert ("ending" in section.get("class")) == scene.ending


def test_story_data_is_the_machines_input(site_root, world):
    """The player's JSON: the same trees as the JSON API (each in its own form), the
    protagonist's values, and no `</`."""
    html = (site_root / "site/stories/the-sunken-keep.html").read_text(encoding="utf-8")
    raw = re.search(r'<script type="application/json" id="story-data">(.*?)</script>', html, re.S).group(1)
    assert "</" not in raw
    data = json.loads(raw)
    story = world.stories["the-sunken-keep"].model
    first = players_for(story, world)[0]
    assert data["players"][0]["hero"] == first.hero == story.front.protagonist
    assert data["players"][0]["values"] == first.values
    assert data["variables"] == story.front.variables
    for scene in story.scenes.values():
        choices = data["scenes"][scene.id]["choices"]
        assert [c["condition"] for c in choices] == [
            expr.to_json(c.condition_ast) if c.condition_ast is not None else None for c in scene.choices]
        assert [c["effects"] for c in choices] == [[expr.to_json(e) for e in c.effects_ast] for c in scene.choices]
    api = json.loads((site_root / "api/v1/stories/the-sunken-keep.json").read_text())["story"]
    gate = next(s for s in api["scenes"] if s["id"] == story.front.start)
    assert any(c["condition"] for c in gate["choices"])
    assert [expr_json.from_json(c["condition"]["ast"]) if c["condition"] else None for c in gate["choices"]] == [
        expr.from_json(c["condition"]) if c["condition"] else None for c in data["scenes"][story.front.start]["choices"]]


def test_drafts_and_reviews_carry_a_badge(site_root, world):
    want = {"draft": ["Draft"], "review": ["In review"], "published": []}
    statuses = [(f"heroes/{i}", e.model.status) for i, e in world.heroes.items()]
    statuses += [(f"characters/{i}", e.model.status) for i, e in world.characters.items()]
    statuses += [(f"quests/{i}", e.model.status) for i, e in world.quests.items()]
    statuses += [(f"stories/{i}", e.model.front.status) for i, e in world.stories.items()]
    for page, status in statuses:
        h1 = next(parse(site_root / f"site/{page}.html").iter(h("h1")))
        assert [text(b) for b in by_class(h1, "span", "badge")] == want[status], page
    assert {s for _, s in statuses} >= {"draft", "review", "published"}


def test_footer_shows_title_and_content_version(site_root, world):
    for page in pages(site_root):
        footer = next(parse(site_root / page).iter(h("footer")))
        assert world.project.config.project.title in text(footer)
        assert world.content_version[:12] in text(footer), page


def test_pictures_are_accessible_svg(site_root, world):
    story = world.stories["the-sunken-keep"].model
    root = parse(site_root / "site/stories/the-sunken-keep.html")
    svg = next(e for e in root.iter(SVG + "svg") if e.get("class") == "story-map")
    assert svg.get("role") == "img" and "The Sunken Keep" in svg.get("aria-label")
    assert svg.find(SVG + "title") is not None
    nodes = [g for g in svg.iter(SVG + "g") if "map-node" in g.get("class", "")]
    assert sorted(text(g.find(SVG + "title")) for g in nodes) == sorted(s.title for s in story.scenes.values())
    graph = next(e for e in parse(site_root / "site/relationships.html").iter(SVG + "svg")
                 if e.get("class") == "relationship-graph")
    assert graph.get("role") == "img" and graph.get("aria-label")
    people = [text(g.find(SVG + "title")) for g in graph.iter(SVG + "g") if "graph-node" in g.get("class", "")]
    related = {p for e in world.relationships for p in (e.source, e.target)}
    assert sorted(people) == sorted(world.people()[p].model.name for p in related)


def test_search_page_lists_everything_without_script(site_root, world):
    root = parse(site_root / "site/search.html")
    listed = {a.get("href") for a in by_class(root, "a", "result-title")}
    expected = {f"{folder}/{eid}.html" for folder, table in (("heroes", world.heroes), ("characters", world.characters),
                                                            ("stories", world.stories), ("quests", world.quests))
                for eid in table}
    assert listed == expected
    index = json.loads(next(e for e in root.iter(h("script")) if e.get("id") == "search-index").text)
    assert {e["path"] for e in index} == expected


def test_sitemap_lists_every_page_under_base_url(site_root, world):
    xml = (site_root / "site/sitemap.xml").read_text()
    locs = re.findall(r"<loc>(.*?)</loc>", xml)
    base = world.project.config.project.base_url.rstrip("/")
    expected = {f"{base}/{p.removeprefix('site/')}" for p in pages(site_root) if not p.endswith("404.html")}
    assert set(locs) == expected and len(locs) == len(expected)
