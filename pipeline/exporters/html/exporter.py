"""build/site/: the static site, rendered from the World through the project's theme.

Each page is rendered from its template, then parsed and its links checked before
it is written (HF0701). A template that fails is HF0703 at its file and line; the
page is then left empty and the build stops before anything is swapped in.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from ...diagnostics import Diagnostics
from ...media import derivative_widths, media_path
from ...world import World
from ..base import LIST, Planned, RenderContext
from ..scripts import text_direction
from . import urls
from .links import LinkChecker, collect
from .minify import minify
from .pages import Page, page_paths, page_view, plan_pages, shown_entries
from .styles import plan_key, stylesheets
from .. import sandbox
from .theme import (TEMPLATE_RUNTIME_ERRORS, Theme, budget_span, failed_in_template, load_theme,
                    report_template_error, template_closure)

# The input key of which stylesheets pages link (styles.py): every page reads it.
STYLESHEETS = "theme:stylesheets"
NAV = (("Heroes", urls.index_page("hero")), ("Characters", urls.index_page("character")),
       ("Stories", urls.index_page("story")), ("Quests", urls.index_page("quest")),
       ("Relationships", urls.RELATIONSHIPS))


class HtmlExporter:
    name = "html"
    version = "2"

    def __init__(self) -> None:
        self._theme: Theme | None = None
        self._theme_problems = Diagnostics()
        self._env = None
        self._checker: LinkChecker | None = None
        self._pages: dict[str, Page] = {}
        self._ids: dict[str, set[str] | None] = {}
        self._closures: dict[str, list[str]] = {}
        self._statics: tuple[frozenset[str], frozenset[str]] | None = None

    # --- planning ------------------------------------------------------------------------

    def plan(self, world: World) -> list[Planned]:
        self._prepare(world)
        plans = [Planned(page.path, ("page", page), weight) for page, weight in plan_pages(world)]
        self._pages = {p.path: p.data[1] for p in plans}
        if self._theme is not None:
            for name in self._theme.static_files():
                plans.append(Planned(urls.asset(name), ("static", name)))
        plans.append(Planned(urls.SITEMAP, ("sitemap",), LIST))
        known = {p.path for p in plans} | _media(world)
        base_path = urlsplit(world.project.config.project.base_url).path or "/"
        self._checker = LinkChecker(frozenset(known), base_path if base_path.endswith("/") else base_path + "/",
                                    self._ids_of)
        return sorted(plans, key=lambda p: p.path)

    def plan_problems(self) -> list:
        """What loading the theme found (a missing theme, links that lead outside):
        reported before anything renders, so a fresh page cannot hide it."""
        return list(self._theme_problems.items)

    def input_hashes(self) -> dict[str, str]:
        """The theme's files, as inputs pages record when drawn with them."""
        if self._theme is None:
            return {}
        return {**self._theme.file_hashes(), STYLESHEETS: hashlib.sha256(self._styles_key().encode()).hexdigest()}

    def _styles_key(self) -> str:
        return plan_key(*self._static_names())

    def _static_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """(every static name of the theme, the project theme's own), listed once."""
        if self._statics is None:
            self._statics = (frozenset(self._theme.static_files()), self._theme.project_static())
        return self._statics

    def _templates_of(self, name: str) -> list[str]:
        if name not in self._closures:
            self._closures[name] = sorted(f"theme:templates/{t}" for t in template_closure(self._env, name))
        return self._closures[name]

    def _prepare(self, world: World) -> None:
        if self._theme is None:
            self._theme = load_theme(world.project, self._theme_problems)
            self._env = self._theme.environment() if self._theme is not None else None
        self._world = world

    # --- rendering -----------------------------------------------------------------------

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        self._prepare(ctx.world)
        ctx.diags.extend(self._theme_problems.items)
        if self._theme is None:
            return b""
        what = item.data[0]
        if what == "static":
            ctx.reads.add(f"theme:static/{item.data[1]}")
            name = item.data[1]
            return minify(name, self._theme.read(self._theme.static_files()[name]))
        if what == "sitemap":
            return sitemap(ctx.world, page_paths(ctx.world))
        page: Page = item.data[1]
        ctx.reads.update(self._templates_of(page.template))
        ctx.reads.add(STYLESHEETS)
        html = self._html(ctx.world, page, ctx.diags)
        if html is None:
            return b""
        found = self._checker.check(page.path, html, ctx.diags)
        self._ids[page.path] = found.ids
        return html.encode("utf-8")

    def _html(self, world: World, page: Page, diags: Diagnostics) -> str | None:
        try:
            template = self._env.get_template(page.template)
            return sandbox.render(template, {**self._context(world, page), **page_view(world, page)})
        except TEMPLATE_RUNTIME_ERRORS as exc:
            if not failed_in_template(exc, self._theme):
                raise
            report_template_error(self._theme, exc, page.path, diags)
            return None

    def _context(self, world: World, page: Page) -> dict:
        config = world.project.config.project
        if page.path == urls.NOT_FOUND:
            # Served at any URL that does not exist, so its links cannot be relative.
            base = self._checker.base_path

            def url(target: str) -> str:
                return base + urls.in_site(target)
        else:
            def url(target: str) -> str:
                return urls.relative(page.path, target)
        # What this page shows was last changed in this commit: a page about one hero is
        # not re-rendered by commits that touch other files.
        version = world.version_of(*shown_entries(world, page))
        commit = version.split(" ")[0]
        return {
            "site": {"title": config.title, "description": config.description, "language": config.language,
                     "direction": text_direction(config.language),
                     "version": version, "version_short": commit[:12] if len(commit) == 40 else version,
                     "authors": list(config.authors)},
            "page": {"path": page.path, "title": page.title, "template": page.template,
                     "stylesheets": list(stylesheets(page.template, *self._static_names()))},
            "nav": [{"label": label, "target": target, "current": page.path == target
                     or (page.path.startswith(target.rsplit("/", 1)[0] + "/") and target.endswith("index.html"))}
                    for label, target in NAV],
            "url": url,
            "asset": lambda name: url(urls.asset(name)),
            "links": {"home": urls.HOME, "search": urls.SEARCH, "relationships": urls.RELATIONSHIPS,
                      "credits": urls.CREDITS,
                      "heroes": urls.index_page("hero"), "characters": urls.index_page("character"),
                      "stories": urls.index_page("story"), "quests": urls.index_page("quest")},
        }

    def locate(self, exc: BaseException):
        """The template line a render over its budget was running (render.py asks)."""
        return budget_span(self._theme, exc) if self._theme is not None else None

    def _ids_of(self, path: str) -> set[str] | None:
        """Element ids of another page (for links to page#fragment), rendering it if
        it has not been yet; None when the page is not one of ours."""
        if path not in self._ids:
            page = self._pages.get(path)
            html = self._html(self._world, page, Diagnostics()) if page is not None else None
            self._ids[path] = collect(html).ids if html is not None else None
        return self._ids[path]


def _media(world: World) -> set[str]:
    """Images the media exporter writes into the site (build/site/media/)."""
    out = set()
    for asset in world.portraits.values():
        out.add(media_path(asset))
        out |= {media_path(asset, w) for w in derivative_widths(asset)}
    return out


def sitemap(world: World, pages: list[str]) -> bytes:
    base = world.project.config.project.base_url
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in pages:
        lines.append(f"  <url><loc>{xml_escape(urls.absolute(base, path))}</loc></url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
