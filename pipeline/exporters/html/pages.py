"""Which pages the site has, what each is made from, and the data its template gets.

Each page names its inputs as precisely as it can (the builder re-renders a page
only when one of them changed): a hero page is made from the hero, the people it
links to, and the list of stories and quests (any of which may start to mention
the hero). Every page shows the project title and the content version in its
footer, so `config` and `version` are inputs of all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...world import World
from . import urls
from .views.people import character_view, hero_view
from .views.quests import quest_view
from .views.site import home_view, index_view, relationships_view
from .views.stories import story_view
from .search import search_entries
from .player import script_json

BASE = frozenset({"config", "version"})
INDEX_TITLES = {"hero": "Heroes", "character": "Characters", "story": "Stories", "quest": "Quests"}


@dataclass(frozen=True)
class Page:
    path: str                   # relative to build/
    template: str
    title: str                  # the <title> and <h1> unless the template says otherwise
    view: str                   # a key of VIEWS
    args: tuple = ()


def plan_pages(world: World) -> list[tuple[Page, frozenset[str]]]:
    everything = frozenset(world.input_hashes())
    own = {kind: world.inputs_of_kind(kind, own=False) for kind in ("hero", "character", "story", "quest", "template")}
    assets = frozenset(f"asset:{a.path}" for a in world.portraits.values())
    own["people"] = own["hero"] | own["character"] | own["template"] | own["story"] | own["quest"] | assets
    plans = [
        (Page(urls.HOME, "home.html", world.project.config.project.title, "home"), everything),
        (Page(urls.SEARCH, "search.html", "Search", "search"), everything),
        (Page(urls.RELATIONSHIPS, "relationships.html", "Relationships", "relationships"),
         world.inputs_of_kind("hero") | world.inputs_of_kind("character")),
        (Page(urls.NOT_FOUND, "404.html", "Page not found", "empty"), frozenset()),
    ]
    for kind, title in INDEX_TITLES.items():
        plans.append((Page(urls.index_page(kind), f"{kind}-index.html", title, "index", (kind,)),
                      world.inputs_of_kind(kind) | own["hero"] | own["character"]))
    for hid in world.heroes:
        plans.append((_entity(world, "hero", hid, world.heroes[hid].model.name),
                      _person_inputs(world, "hero", hid, own)))
    for cid in world.characters:
        plans.append((_entity(world, "character", cid, world.characters[cid].model.name),
                      _person_inputs(world, "character", cid, own)))
    for sid, entry in world.stories.items():
        front = entry.model.front
        cast = {f"{_kind(world, p)}:{p}" for p in (front.protagonist, *front.heroes, *front.characters)
                if p in world.people()}
        plans.append((_entity(world, "story", sid, front.title),
                      world.inputs_of("story", sid) | cast | own["quest"]))
    for qid, entry in world.quests.items():
        giver = {f"{_kind(world, entry.model.giver)}:{entry.model.giver}"} if entry.model.giver in world.people() else set()
        plans.append((_entity(world, "quest", qid, entry.model.title), world.inputs_of("quest", qid) | giver))
    return [(page, inputs | BASE) for page, inputs in plans]


def page_paths(world: World) -> list[str]:
    """Every page of the site (for the sitemap), reading only which entities exist."""
    paths = [urls.HOME, urls.SEARCH, urls.RELATIONSHIPS, *(urls.index_page(k) for k in INDEX_TITLES)]
    for kind, table in (("hero", world.heroes), ("character", world.characters), ("story", world.stories),
                        ("quest", world.quests)):
        paths += [urls.entity_page(kind, eid) for eid in table]
    return sorted(paths)


def _entity(world: World, kind: str, eid: str, title: str) -> Page:
    return Page(urls.entity_page(kind, eid), f"{kind}.html", title, kind, (eid,))


def _kind(world: World, pid: str) -> str:
    return "hero" if pid in world.heroes else "character"


def _person_inputs(world: World, kind: str, pid: str, own: dict[str, frozenset[str]]) -> frozenset[str]:
    # Anyone may start (or stop) naming this person, and the page shows the names,
    # levels and portraits of those related: every person's file, template and image
    # is an input. (Computed from shared sets: planning stays linear in the world.)
    return world.inputs_of(kind, pid) | own["people"]


VIEWS: dict[str, Callable[[World, Page], dict]] = {
    "home": lambda world, page: home_view(world),
    "search": lambda world, page: _search(world),
    "relationships": lambda world, page: relationships_view(world, page.path),
    "empty": lambda world, page: {},
    "index": lambda world, page: index_view(world, *page.args),
    "hero": lambda world, page: hero_view(world, *page.args),
    "character": lambda world, page: character_view(world, *page.args),
    "story": lambda world, page: story_view(world, *page.args),
    "quest": lambda world, page: quest_view(world, *page.args),
}


def _search(world: World) -> dict:
    entries = search_entries(world)
    return {"entries": entries, "index": script_json(entries)}


def page_view(world: World, page: Page) -> dict:
    return VIEWS[page.view](world, page)
