"""Each page type links only the CSS it uses: the common site.css and its own part
(pipeline/exporters/html/styles.py). Checked on the built sample with lxml and the
stylesheets as published (tinycss2, WeasyPrint's CSS parser): the story player's
rules never reach a hero page and the hero sheet's never reach a story page, and
every class a page uses is styled by a stylesheet the page links. A project theme
that supplies one whole site.css (as themes did before the split) gets it alone."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import tinycss2

from support import foundry
from site_support import SOURCE_DATE_EPOCH

# Classes that carry no style of their own on purpose: hooks for scripts and tests,
# and names a user theme may style (`page` and the page-type classes on <body>).
UNSTYLED = frozenset({
    "page", "home", "story", "story-page", "hero-page", "character-page", "quest-page", "entity", "credits",
    "credits-section", "stats-table", "footer-version", "playing-as", "state-body",
    "typed-indent",   # a paragraph opening with a typed space: the print themes' hook (no indent added)
})


def links(page: Path) -> list[str]:
    """The stylesheets a page links, as names under assets/."""
    doc = lxml.html.parse(str(page))
    return [href.rsplit("assets/", 1)[1] for href in doc.xpath("//link[@rel='stylesheet']/@href")]


def used_classes(page: Path) -> set[str]:
    doc = lxml.html.parse(str(page))
    return {c for value in doc.xpath("//@class") for c in value.split()}


def styled_classes(css: str) -> set[str]:
    """Every class named in a selector of the stylesheet, inside @media blocks too."""
    found: set[str] = set()

    def walk(rules) -> None:
        for rule in rules:
            if rule.type == "qualified-rule":
                found.update(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", tinycss2.serialize(rule.prelude)))
            elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword == "media":
                walk(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return found


def test_hero_and_story_pages_link_only_their_own_part(site_root):
    site = site_root / "site"
    assert links(site / "heroes/aria.html") == ["site.css", "entity.css"]
    assert links(site / "stories/the-sunken-keep.html") == ["site.css", "story.css"]
    assert links(site / "index.html") == ["site.css", "home.css"]
    assert links(site / "heroes/index.html") == ["site.css"]
    # The player's and the sheet's rules are where their pages find them, and only there.
    story_css = (site / "assets/story.css").read_text()
    entity_css = (site / "assets/entity.css").read_text()
    assert {"player-bar", "choice", "scene"} <= styled_classes(story_css)
    assert {"attribute", "skill", "entity-head"} <= styled_classes(entity_css)
    assert not {"player-bar", "choice", "scene", "attribute", "entity-head"} & styled_classes(
        (site / "assets/site.css").read_text())


def test_every_class_a_page_uses_is_styled_by_a_stylesheet_it_links(site_root):
    site = site_root / "site"
    css = {p.name: styled_classes(p.read_text()) for p in (site / "assets").glob("*.css")}
    pages = sorted(p for p in site.rglob("*.html") if "api" not in p.relative_to(site).parts)
    assert len(pages) > 20
    problems = []
    for page in pages:
        linked = links(page)
        assert linked and linked[0] == "site.css", (page, linked)
        styled = set().union(*(css[name] for name in linked))
        missing = used_classes(page) - styled - UNSTYLED
        if missing:
            problems.append(f"{page.relative_to(site)}: {sorted(missing)}")
    assert problems == []


def test_a_project_theme_keeps_its_own_stylesheets(project_factory):
    """A theme's whole site.css (no parts) is linked alone on every page; a theme
    that supplies one part replaces that part and keeps ours for the rest."""
    root = project_factory({
        "foundry.toml": '[project]\ntitle = "Minimal"\ntheme = "coast"\n[build]\noutputs = ["html"]\n',
        "themes/coast/static/site.css": ".scene { color: navy; }\n",
    })
    run = foundry("build", "--only", "html", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    site = root / "build" / "site"
    story = next(p for p in (site / "stories").glob("*.html") if p.name != "index.html")
    hero = next(p for p in (site / "heroes").glob("*.html") if p.name != "index.html")
    for page in (site / "index.html", story, hero):
        assert links(page) == ["site.css"], page
    assert (site / "assets/site.css").read_text() == ".scene{color:navy}\n"

    (root / "themes/coast/static/story.css").write_text(".choice { color: teal; }\n")
    run = foundry("build", "--only", "html", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    assert links(story) == ["site.css", "story.css"]
    assert links(hero) == ["site.css", "entity.css"]   # re-rendered: which files a page links changed
    assert (site / "assets/story.css").read_text() == ".choice{color:teal}\n"
    assert "entity-head" in (site / "assets/entity.css").read_text()   # ours, where the theme has none


def scripts(page: Path) -> list[tuple[str, bool]]:
    """(script file under assets/, deferred) for each external script of a page."""
    doc = lxml.html.parse(str(page))
    return [(s.get("src").rsplit("assets/", 1)[1], s.get("defer") is not None) for s in doc.xpath("//script[@src]")]


def test_only_story_pages_load_the_player_and_only_search_the_search(site_root):
    site = site_root / "site"
    assert scripts(site / "stories/the-sunken-keep.html") == [("expr.js", True), ("story-player.js", True)]
    assert scripts(site / "search.html") == [("search.js", True)]
    for page in (site / "index.html", site / "heroes/aria.html", site / "heroes/index.html", site / "404.html"):
        assert scripts(page) == [], page
