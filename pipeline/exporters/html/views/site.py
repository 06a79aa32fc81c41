"""Pages about the whole world: home, the four indexes, the relationship graph."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Callable, Iterator

import orjson
from markupsafe import Markup, escape

from ....render.spans import Ask, Order
from ....resolve.world import World
from ....l10n.collation import collated, language_of
from ....validate.entities import name_of
from .. import svg, urls
from ....load.media import derivative_widths, media_path
from ...theme_words import ENGLISH, Words
from ....resolve.localized import fallback_marks, in_base
from .common import (initials, kind_marks, kind_name, person_card, person_name, quest_card, story_card)


# A list page's rows (a card per entity) are fragments (render/fragments.py): each
# made from its own tracked view and kept under what it read, so one hero edit makes
# her card again and every other card comes from the memo. `fragment(key, render)` is
# RenderContext.fragment; `direct(world)` renders in place (a page drawn only for its
# element ids, or without a memo).
Fragment = Callable[..., bytes]   # (key, render[, reads][, decode]) -> bytes (or decode(bytes))


def direct(world: World) -> Fragment:
    """A `fragment` that renders every row in place, from `world` (which records what
    it reads, when it is a tracked view)."""
    return lambda key, render, reads=None, decode=None: render(world) if decode is None else decode(render(world))


@dataclass(frozen=True)
class Source:
    """One kind of row of a list: `make(world, id)` for every `kind` entity, kept as
    the fragment `<name>:<kind>:<id>`. `also_reads`: input keys `make` reads from
    outside the World (the theme's words it writes), recorded as the fragment's reads
    so a change to them makes the row again."""

    kind: str
    name: str
    make: Callable[[World, str], dict]
    also_reads: tuple[str, ...] = ()
    # the row's JSON as the memo keeps it: any encoding orjson reads back as the same
    # row (the search page's entries are kept as its index prints them, search.py)
    dumps: Callable[[dict], bytes] = orjson.dumps

    def encode(self, world: World, eid: str) -> bytes:
        """The row as JSON (as the memo keeps it), recording `also_reads`."""
        recorded = getattr(world, "reads", None)   # a tracked view (render/tracking.py); None when made in place
        if recorded is not None:
            recorded.update(self.also_reads)
        return self.dumps(self.make(world, eid))


class Rows(Sequence):
    """The rows of a list page, in the order it shows them (`order(row)`: a sort key),
    as the template's `items`, `heroes`, `entries`… A template that loops over them
    gets every row's data (each from its fragment, made on first use); a template
    that hands them to `cards()` (exporter.py, cards.py) never needs the data: each
    drawn card is a fragment of its own that carries its sort key. `which` is every
    (source, id) in table order; listing the tables is recorded as the page's read."""

    def __init__(self, world: World, sources: tuple[Source, ...], order: Callable[[dict], tuple],
                 fragment: Fragment, which: tuple[tuple[Source, str], ...] | None = None):
        # `which`: the rows, when not every entity of the sources' kinds has one
        self.which = which if which is not None else \
            tuple((source, eid) for source in sources for eid in _table(world, source.kind))
        self.order = order
        self._fragment = fragment
        self._data: list[dict] | None = None

    def _rows(self) -> list[dict]:
        if self._data is None:
            made = [row(source, eid, self._fragment) for source, eid in self.which]
            self._data = sorted(made, key=self.order)
        return self._data

    def encoded(self) -> list[bytes]:
        """Every row's JSON as its fragment keeps it (Source.dumps), in the order shown:
        for a list that is printed as data (the search index), spliced from its rows.
        `shown` is then each row's (Ask, bytes) in that order and `shown_order` their
        sort keys (render/spans.py: a save splices a changed row in its place)."""
        # each row decoded once while its fragment lives (`foundry serve` keeps them: Fragment.value)
        asks = [Ask(f"{source.name}:{source.kind}:{eid}", partial(_encode, source, eid), _with_row)
                for source, eid in self.which]
        fragment = self._fragment
        pairs = [ask(fragment) for ask in asks]
        raw, data = [r for r, _ in pairs], [d for _, d in pairs]
        keys = [self.order(row) for row in data]
        shown = sorted(range(len(raw)), key=keys.__getitem__)   # stable, as `_rows` sorts
        if self._data is None:
            self._data = [data[i] for i in shown]
        self.shown = [(asks[i], raw[i]) for i in shown]
        self.shown_order = Order([keys[i] for i in shown])
        return [raw[i] for i in shown]

    def __getitem__(self, index):
        return self._rows()[index]

    def __iter__(self) -> Iterator[dict]:
        return iter(self._rows())

    def __len__(self) -> int:
        return len(self.which)


def _encode(source: Source, eid: str, world: World, fragment: Fragment) -> bytes:
    return source.encode(world, eid)


def _with_row(data: bytes) -> tuple[bytes, dict]:
    """A row's fragment as (its bytes, the row they encode)."""
    return data, orjson.loads(data)


def _table(world: World, kind: str):
    return {"hero": world.heroes, "character": world.characters, "story": world.stories, "quest": world.quests}[kind]


def row(source: Source, eid: str, fragment: Fragment) -> dict:
    """One row of `source` (the fragment `<name>:<kind>:<id>`), as a template receives it."""
    return orjson.loads(encoded(source, eid, fragment))


def encoded(source: Source, eid: str, fragment: Fragment, decode: Callable[[bytes], Any] | None = None) -> Any:
    """One row of `source` as its fragment `<name>:<kind>:<id>` keeps it (JSON); with
    `decode`, `decode` of it (RenderContext.fragment)."""
    return fragment(f"{source.name}:{source.kind}:{eid}", lambda w: source.encode(w, eid), decode=decode)


def by_name(language: str, row: dict) -> tuple:
    """The order of people's cards: by name as `language` sorts it (l10n/collation.py),
    then by id."""
    return collated(language, row["name"]), row["id"]


def by_title(language: str, row: dict) -> tuple:
    """The order of stories' and quests' cards."""
    return collated(language, row["title"]), row["id"]


CARDS = {"hero": (person_card, by_name), "character": (person_card, by_name), "story": (story_card, by_title),
         "quest": (quest_card, by_title)}


def cards_of(world: World, kind: str, fragment: Fragment | None = None) -> Rows:
    """Every `kind` entity's card (common.py), in the order lists show them: by name or
    title in the alphabet of the language `world` is read in."""
    make, order = CARDS[kind]
    return Rows(world, (Source(kind, "card", make),), partial(order, language_of(world)), fragment or direct(world))


def home_view(world: World, fragment: Fragment | None = None) -> dict:
    config = world.project.config.project
    return {"description": config.description, "heroes": cards_of(world, "hero", fragment),
            "characters": cards_of(world, "character", fragment), "stories": cards_of(world, "story", fragment),
            "quests": cards_of(world, "quest", fragment),
            "counts": {"heroes": len(world.heroes), "characters": len(world.characters),
                       "stories": len(world.stories), "quests": len(world.quests),
                       "relationships": len(pairs(world))}}


def index_view(world: World, kind: str, fragment: Fragment | None = None) -> dict:
    return {"kind": kind, "items": cards_of(world, kind, fragment)}


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


def relationships_view(world: World, page: str, fragment: Fragment | None = None, say: Words = ENGLISH) -> dict:
    """The graph of everyone who has a relationship (drawn up to GRAPH_LIMIT people;
    beyond that the table below it is the whole story), and every edge as a row. Each
    side of a row is the person's card, the same fragment the lists show; `say`: the
    theme's words in the page's language (the graph's accessible label)."""
    fragment = fragment or direct(world)
    cards: dict[str, dict] = {}
    heroes = _ids(world.heroes)

    def card(pid: str) -> dict:
        if pid not in cards:
            kind = "hero" if pid in heroes else "character"
            cards[pid] = row(Source(kind, "card", person_card), pid, fragment)
        return cards[pid]

    related = {p for e in world.relationships for p in (e.source, e.target)}
    found = pairs(world)
    people = [p for p in sorted(heroes) + sorted(world.characters) if p in related]
    drawn = 0 < len(people) <= GRAPH_LIMIT
    if drawn:   # placing people around the circle is quadratic: only for a graph that is drawn
        people = circle_order(people, found)
    def kind_of(pid: str) -> str:
        return "hero" if pid in heroes else "character"

    nodes = [svg.GraphNode(pid, person_name(world, pid), kind_of(pid), initials(person_name(world, pid)),
                           _thumb(world, pid, page), tuple(fallback_marks(world, f"{kind_of(pid)}.{pid}.name").items()))
             for pid in people] if drawn else []
    # a kind's marks by the name pairs() shows (a name in the base language is marked in the graph too)
    named = {kind_name(world, k): tuple(kind_marks(world, k).items()) for k in world.rules.relationship_kinds}
    edges = [svg.GraphEdge(a, b, " · ".join(kinds), tuple((k, named.get(k, ())) for k in kinds))
             for (a, b), kinds in found.items()] if drawn else []
    language = language_of(world)

    def every_row() -> list[dict]:
        rows = [{"source": card(edge.source), "target": card(edge.target), "kind_name": kind_name(world, edge.kind),
                 "kind_marks": kind_marks(world, edge.kind),
                 "note": edge.note, "note_html": in_base(world, edge.line, Markup(edge.note_html or escape(edge.note)))}
                for edge in world.relationships]
        # in the order of `relations` (by who writes them: _by_writer), each writer's as written
        return sorted(rows, key=lambda r: (collated(language, r["source"]["name"]), r["source"]["id"]))

    graph = svg.relationship_graph(nodes, edges, say) if drawn else None
    return {"graph": graph, "rows": Later(every_row), "relations": relations_of(world, fragment),
            "pairs": len(found), "people": len(people)}


def relations_of(world: World, fragment: Fragment) -> Rows:
    """The relationships table's rows as cards (cards.py): one row of data per person
    who writes a relationship (`id`, and `edges`: each of theirs as the table shows it,
    the rows `rows` holds), in the table's order (by the name of who writes it, in the
    page language's alphabet, then id), so that a save draws again only the rows of the people it changed, or
    that name them, and the page's link check is its skeleton and its cards
    (_macros.html `relation_rows`)."""
    sources = {kind: Source(kind, "relations", _relations_row) for kind in ("hero", "character")}
    writers = sorted({edge.source for edge in world.relationships})
    heroes = _ids(world.heroes)
    which = tuple((sources["hero" if pid in heroes else "character"], pid) for pid in writers)
    return Rows(world, tuple(sources.values()), partial(_by_writer, language_of(world)), fragment, which)


def _ids(table) -> frozenset[str]:
    """The ids `table` holds, read as its listing (`heroes*`: which ids exist), not as a
    lookup of each (`hero:<id>`: that one's file). Whether a person is a hero or a
    character is the listings' answer, and the relationships page asks it of everyone
    who has a relationship: looked up one by one, the page read every such hero's file
    itself (4,000 keys at 10,000 heroes), so any edit to one of them was a change of the
    page's own reads and rendered it whole instead of splicing its rows (render/stored_spans.py)."""
    return frozenset(table)


def _by_writer(language: str, row: dict) -> tuple:
    # by id, a translated world's table was in no order its reader knows ("Zed" before
    # "Åsa" in Swedish only by chance); every row has an edge of its writer's
    edges = row["edges"]
    return collated(language, edges[0]["source"]["name"] if edges else ""), row["id"]


def _relations_row(world: World, pid: str) -> dict:
    """Person `pid`'s relationships as rows of the relationships table: each side by
    the name and page its card shows (common.person_card)."""
    people = world.people()

    def side(other: str) -> dict:
        kind = "hero" if other in world.heroes else "character"
        return {"name": name_of(people[other]), "page": urls.entity_page(kind, other),
                "marks": fallback_marks(world, f"{kind}.{other}.name")}

    return {"id": pid, "edges": [{"source": side(edge.source), "target": side(edge.target),
                                  # a card row is stored as data: the kind's marks travel beside it
                                  "kind_name": kind_name(world, edge.kind), "kind_marks": kind_marks(world, edge.kind),
                                  "note": edge.note,
                                  "note_html": str(in_base(world, edge.line, Markup(edge.note_html or escape(edge.note))))}
                                 for edge in world.relationships.touching(pid) if edge.source == pid]}


class Later(Sequence):
    """A list made on first use: the relationships table's rows for a theme whose
    template loops over them (one written before `relation_rows`); the default theme
    draws the cards instead and never asks."""

    def __init__(self, make: Callable[[], list]):
        self._make, self._made = make, None

    def _items(self) -> list:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, index):
        return self._items()[index]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


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
