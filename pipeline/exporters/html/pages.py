"""Which pages the site has, what each is made from, and the data its template gets.

The builder records what each page reads while it renders and re-renders a page only
when one of those inputs changed; nothing here needs to guess them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...validate.entities import name_of
from ...resolve.world import World
from ...validate.entities import Entry
from ..base import LIST, ONE
from . import urls
from .views.people import character_view, hero_view
from .views.quests import quest_view
from .views.credits import credits_view
from .views.site import Fragment, direct, home_view, index_view, relationships_view
from .views.stories import story_view
from .search import search_entries, search_index
from ..theme_words import ENGLISH, N_, Words

# The site's own pages are titled in English here and translated where shown
# (exporter.page_context), so the planned pages are the same in every language.
INDEX_TITLES = {"hero": N_("Heroes"), "character": N_("Characters"), "story": N_("Stories"), "quest": N_("Quests")}


@dataclass(frozen=True)
class Page:
    path: str                   # relative to build/
    template: str
    title: str                  # the <title> and <h1> unless the template says otherwise
    view: str                   # a key of VIEWS
    args: tuple = ()


ENTITY_VIEWS = ("hero", "character", "story", "quest")
# Each kind with a page per entity and its World table, in the order the site plans them.
ENTITY_TABLES = (("hero", "heroes"), ("character", "characters"), ("story", "stories"), ("quest", "quests"))


def plan_pages(world: World) -> list[tuple[Page, int]]:
    """Every page. What each is made from is recorded by the builder while it renders
    (tracking.py), so no inputs are declared here: declaring them meant a set of every
    person per person page, which grew with the square of the world."""
    return [*site_pages(world), *((entity_page(kind, eid, entry), ONE) for kind, table in ENTITY_TABLES
                                  for eid, entry in getattr(world, table).items())]


def site_pages(world: World) -> list[tuple[Page, int]]:
    """The site's own pages (home, search, the indexes…), each with its weight."""
    pages = [
        Page(urls.HOME, "home.html", world.project.config.project.title, "home"),
        Page(urls.SEARCH, "search.html", N_("Search"), "search"),
        Page(urls.RELATIONSHIPS, "relationships.html", N_("Relationships"), "relationships"),
        Page(urls.NOT_FOUND, "404.html", N_("Page not found"), "empty"),
        Page(urls.CREDITS, "credits.html", N_("Credits"), "credits"),
    ]
    pages += [Page(urls.index_page(kind), f"{kind}-index.html", title, "index", (kind,))
              for kind, title in INDEX_TITLES.items()]
    return [(page, ONE if page.view == "empty" else LIST) for page in pages]


def entity_page(kind: str, eid: str, entry: Entry) -> Page:
    """An entity's page: a pure function of its kind, id and Entry (its name or title),
    so a plan may keep it under the Entry (exporter.py, base.PlanParts)."""
    title = entry.model.front.title if kind == "story" else entry.model.title if kind == "quest" \
        else name_of(entry)   # a hero's from its summary, when it has one (resolve/summaries.py)
    return Page(urls.entity_page(kind, eid), f"{kind}.html", title, kind, (eid,))


def page_paths(world: World) -> list[str]:
    """Every page of the site (for the sitemap), reading only which entities exist."""
    paths = [urls.HOME, urls.SEARCH, urls.RELATIONSHIPS, urls.CREDITS, *(urls.index_page(k) for k in INDEX_TITLES)]
    for kind, table in (("hero", world.heroes), ("character", world.characters), ("story", world.stories),
                        ("quest", world.quests)):
        paths += [urls.entity_page(kind, eid) for eid in table]
    return sorted(paths)


VIEWS: dict[str, Callable[[World, Page, Fragment, Words], dict]] = {
    "home": lambda world, page, fragment, say: home_view(world, fragment),
    "search": lambda world, page, fragment, say: _search(world, fragment, say),
    "relationships": lambda world, page, fragment, say: relationships_view(world, page.path, fragment, say),
    "empty": lambda world, page, fragment, say: {},
    "credits": lambda world, page, fragment, say: credits_view(world, fragment),
    "index": lambda world, page, fragment, say: index_view(world, *page.args, fragment),
    # The views that write words of their own (data for a script, not a template, or
    # a phrase around the content's words) get the theme's words in the page's language.
    "hero": lambda world, page, fragment, say: hero_view(world, *page.args, say=say),
    "character": lambda world, page, fragment, say: character_view(world, *page.args, say=say),
    "story": lambda world, page, fragment, say: story_view(world, *page.args, say=say),
    "quest": lambda world, page, fragment, say: quest_view(world, *page.args, say),
}


def _search(world: World, fragment: Fragment, say: Words = ENGLISH, shallow: bool = False) -> dict:
    entries = search_entries(world, fragment, say)
    return {"entries": entries, "index": search_index(entries) if not shallow else None}


def shown_entries(world: World, page: Page) -> list:
    """The entities a page is about, for the content version in its footer."""
    tables = {"hero": world.heroes, "character": world.characters, "story": world.stories, "quest": world.quests}
    if page.view in tables:
        return [tables[page.view][page.args[0]]]
    if page.view == "index":
        return list(tables[page.args[0]].values())
    return world.entries()


def page_view(world: World, page: Page, fragment: Fragment | None = None, say: Words = ENGLISH,
              authors: tuple | None = None, shallow: bool = False) -> dict:
    """What `page`'s template receives. `fragment`: how list pages get their rows
    (RenderContext.fragment; by default each is made in place from `world`); `say`: the
    theme's words in the page's language; `authors`: the credits page's (history_state,
    authors) as the site's plan made them (exporter.py `_site_authors`), else made here.
    `shallow`: the view's names and Rows only, for a card asked for again (reask.py):
    the search index's text, made from every entry, is None."""
    if page.view == "search" and shallow:
        return _search(world, fragment or direct(world), say, shallow=True)
    if page.view == "credits" and authors is not None:
        return credits_view(world, fragment or direct(world), authors)
    return VIEWS[page.view](world, page, fragment or direct(world), say)
