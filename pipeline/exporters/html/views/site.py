"""Pages about the whole world: home, the four indexes, the relationship graph."""

from __future__ import annotations

from typing import Callable

import orjson
from markupsafe import Markup, escape

from ....resolve.world import World
from .. import svg, urls
from ....load.media import derivative_widths, media_path
from ...theme_words import ENGLISH, Words
from .common import (initials, kind_name, person_card, person_name, quest_card, story_card)


# A list page's rows (a card per entity) are fragments (render/fragments.py): each
# made from its own tracked view and kept under what it read, so one hero edit makes
# her card again and every other card comes from the memo. `fragment(key, render)` is
# RenderContext.fragment; `direct(world)` renders in place (a page drawn only for its
# element ids, or without a memo).
Fragment = Callable[[str, Callable[[World], bytes]], bytes]


def direct(world: World) -> Fragment:
    """A `fragment` that renders every row in place, from `world`."""
    return lambda key, render: render(world)


def rows(world: World, kind: str, name: str, make: Callable[[World, str], dict], fragment: Fragment,
         also_reads: tuple[str, ...] = ()) -> list[dict]:
    """`make(world, id)` for every `kind` entity, in table order, each kept as the
    fragment `<name>:<kind>:<id>` (as JSON: a card is plain data — text, numbers,
    lists — so a template receives exactly what `make` returned). `also_reads`: input
    keys `make` reads from outside the World (the theme's words it writes), recorded
    as the fragment's reads so a change to them makes the row again."""
    table = {"hero": world.heroes, "character": world.characters, "story": world.stories, "quest": world.quests}[kind]

    def render(w: World, eid: str) -> bytes:
        recorded = getattr(w, "reads", None)   # a tracked view (render/tracking.py); None when made in place
        if recorded is not None:
            recorded.update(also_reads)
        return orjson.dumps(make(w, eid))

    return [orjson.loads(fragment(f"{name}:{kind}:{eid}", lambda w, eid=eid: render(w, eid))) for eid in table]


def _by_name(cards: list[dict], key: str = "name") -> list[dict]:
    return sorted(cards, key=lambda c: (c[key].lower(), c["id"]))


def heroes(world: World, fragment: Fragment | None = None) -> list[dict]:
    return _by_name(rows(world, "hero", "card", person_card, fragment or direct(world)))


def characters(world: World, fragment: Fragment | None = None) -> list[dict]:
    return _by_name(rows(world, "character", "card", person_card, fragment or direct(world)))


def stories(world: World, fragment: Fragment | None = None) -> list[dict]:
    return _by_name(rows(world, "story", "card", story_card, fragment or direct(world)), "title")


def quests(world: World, fragment: Fragment | None = None) -> list[dict]:
    return _by_name(rows(world, "quest", "card", quest_card, fragment or direct(world)), "title")


def home_view(world: World, fragment: Fragment | None = None) -> dict:
    config = world.project.config.project
    return {"description": config.description, "heroes": heroes(world, fragment),
            "characters": characters(world, fragment), "stories": stories(world, fragment),
            "quests": quests(world, fragment),
            "counts": {"heroes": len(world.heroes), "characters": len(world.characters),
                       "stories": len(world.stories), "quests": len(world.quests),
                       "relationships": len(pairs(world))}}


def index_view(world: World, kind: str, fragment: Fragment | None = None) -> dict:
    table = {"hero": heroes, "character": characters, "story": stories, "quest": quests}[kind]
    return {"kind": kind, "items": table(world, fragment)}


def pairs(world: World) -> dict[tuple[str, str], list[str]]:
    """Each related pair once, with every kind either side wrote (inverse pairs such as
    mentor/apprentice read as one relationship)."""
    found: dict[tuple[str, str], list[str]] = {}
    for edge in world.relationships:
        key = tuple(sorted((edge.source, edge.target)))
        name = kind_name(world, edge.kind)
        found.setdefault(key, [])
        if name not in found[key]:
            found[key].append(name)
    return dict(sorted(found.items()))


GRAPH_LIMIT = 60   # people on one circle before it stops being a picture anyone can read


def relationships_view(world: World, page: str, say: Words = ENGLISH) -> dict:
    """The graph of everyone who has a relationship (drawn up to GRAPH_LIMIT people;
    beyond that the table below it is the whole story), and every edge as a row;
    `say`: the theme's words in the page's language (the graph's accessible label)."""
    related = {p for e in world.relationships for p in (e.source, e.target)}
    found = pairs(world)
    people = [p for p in sorted(world.heroes) + sorted(world.characters) if p in related]
    drawn = 0 < len(people) <= GRAPH_LIMIT
    if drawn:   # placing people around the circle is quadratic: only for a graph that is drawn
        people = circle_order(people, found)
    nodes = [svg.GraphNode(pid, person_name(world, pid), "hero" if pid in world.heroes else "character",
                           initials(person_name(world, pid)), _thumb(world, pid, page)) for pid in people] if drawn else []
    edges = [svg.GraphEdge(a, b, " · ".join(kinds)) for (a, b), kinds in found.items()] if drawn else []
    rows = []
    for edge in world.relationships:
        rows.append({"source": person_card(world, edge.source), "target": person_card(world, edge.target),
                     "kind_name": kind_name(world, edge.kind), "note": edge.note,
                     "note_html": Markup(edge.note_html or escape(edge.note))})
    graph = svg.relationship_graph(nodes, edges, say) if drawn else None
    return {"graph": graph, "rows": rows, "pairs": len(found), "people": len(people)}


def circle_order(people: list[str], found: dict[tuple[str, str], list[str]]) -> list[str]:
    """People around the circle so that related people sit near each other (short
    chords cross less): start with the best connected, then keep adding whoever has
    the most ties to those already placed. Ties go to the order given; deterministic."""
    ties: dict[str, set[str]] = {p: set() for p in people}
    for a, b in found:
        if a in ties and b in ties:
            ties[a].add(b)
            ties[b].add(a)
    rank = {p: i for i, p in enumerate(people)}
    order: list[str] = []
    left = set(people)
    while left:
        placed = set(order)
        best = min(left, key=lambda p: (-len(ties[p] & placed), -(len(ties[p] & placed) == 0 and len(ties[p])),
                                        rank[p]))
        order.append(best)
        left.remove(best)
    return order


def _thumb(world: World, pid: str, page: str) -> str | None:
    asset = world.portraits.get(pid)
    if asset is None:
        return None
    widths = derivative_widths(asset)   # the smallest derivative is plenty for a 60px circle
    return urls.relative(page, media_path(asset, widths[0]) if widths else media_path(asset))
