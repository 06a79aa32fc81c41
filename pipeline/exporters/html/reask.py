"""A site page's cards and search entries asked for again by their keys, for a list
page spliced from the file the last build wrote (render/stored_spans.py, issue 13).

A page draws each card with a CardDrawer made from the page's template context
(cards.py), in the order of its Rows. To draw one card again without drawing the page,
`PageAsker` makes what the page would make before its first card — the context
(`exporter.page_context`), the view's names and Rows (`pages.page_view`, shallow: the
search index's text is not made), the drawer and the reads every card records — and
asks for the card by the parts of its key (`drawn:<page>:<call>:<source>:<kind>:<id>`),
or for a search entry by its row's key (`search:<kind>:<id>`). Only for a page of a
one-language site (a page in another language is drawn from its language's World);
anything it cannot make again is None, and the page is rendered whole.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import orjson

from ...diagnostics import Diagnostics
from ...render.spans import Ask
from ...render.tracking import TrackedWorld
from ..base import RenderContext
from ..theme_words import CONTEXT_KEY
from .cards import MACROS, CardDrawer, _drawn, card_context
from .splice import card_links, place_card
from .views.site import Rows, _encode, _with_row


class PageAsker:
    """stored_spans.Asker for list page `item` (exporter.py `HtmlExporter.reasker`):
    made when first asked. `fragment(key, render, reads=None, decode=None)` asks this
    build's memo (render/pool.py `_from_log`)."""

    def __init__(self, setup: Any, world: Any, item: Any, fragment: Any):
        self._setup, self._world, self._item, self._fragment = setup, world, item, fragment
        self._made = False
        self._rows: dict[tuple[str, str, str], tuple] = {}   # (source name, kind, id) → (the Rows showing it, its Source)
        self._drawer: CardDrawer | None = None
        self._orders: dict[str, Any] = {}   # a search entry's key → its Rows' order

    def _make(self) -> None:
        from .exporter import STYLESHEETS, WORDS, page_authors, page_context, templates_of   # (exporter.py imports this module)
        from .pages import page_view
        self._made = True
        setup, page = self._setup, self._item.data[1]
        world = TrackedWorld(self._world)   # what the page would read: recorded nowhere (the cards record theirs)
        fragment = self._fragment
        ctx = RenderContext(world, Diagnostics(), setup)
        ctx.fragments = lambda key, render, view, reads=None, decode=None: fragment(key, render, reads, decode)
        context = page_context(setup, world, page)
        view = page_view(world, page, _no_rows, context[CONTEXT_KEY], page_authors(setup, world, page), shallow=True)
        for rows in _rows_in(view.values()):
            for source, eid in rows.which:
                self._rows[(source.name, source.kind, eid)] = (rows, source)
        language = world.project.config.project.language
        # what every card of the page reads beside its row (exporter._html `card_reads`)
        extra = (*templates_of(ctx, MACROS), STYLESHEETS, WORDS.format(language), "config")
        self._drawer = CardDrawer(setup.env, card_context(context, view), page.path, fragment, lambda: extra,
                                  lambda card: card_links(setup.checker, page.path, card))

    def ask(self, key: str, decode: str) -> Ask | None:
        """The Ask the page made for fragment `key` (decoded by `decode`), or None."""
        if not self._made:
            self._make()
        if decode == _drawn.__name__:
            return self._card(key)
        if decode == _with_row.__name__:
            name, _, rest = key.partition(":")
            kind, _, eid = rest.partition(":")
            found = self._rows.get((name, kind, eid))
            if found is None:
                return None
            rows, source = found
            self._orders[key] = rows.order
            return Ask(key, partial(_encode, source, eid), _with_row)
        return None

    def _card(self, key: str) -> Ask | None:
        page = self._item.data[1].path
        prefix = f"drawn:{page}:"
        if not key.startswith(prefix) or self._drawer is None:
            return None
        parts = key[len(prefix):].rsplit(":", 3)
        if len(parts) != 4:
            return None
        call, name, kind, eid = parts
        at = call.find("[")
        try:
            given = json.loads(call[at:]) if at > 0 else None
        except ValueError:
            return None
        if not isinstance(given, list):
            return None
        kwargs = given.pop() if given and isinstance(given[-1], dict) else {}
        macro, args = call[:at], tuple(given)
        found = self._rows.get((name, kind, eid))
        if found is None:
            return None
        rows, source = found
        ask = self._drawer.ask(rows.order, source, eid, macro, args, kwargs)
        return ask if ask.key == key else None   # (the call as it reads: `call_name`)

    def place(self, key: str, value: Any, logged: Any) -> bytes | None:
        """A card's HTML when its links are those logged (splice.CardPlace); a search
        entry's bytes, when they hold nothing that would have kept the index in the
        page's checked skeleton (splice.Placeholders.cut)."""
        if key.startswith("drawn:"):
            return place_card(value, logged)
        data = value[0]
        return data if logged is None and b"<" not in data and b"\0" not in data else None

    def sort(self, key: str, value: Any) -> Any:
        """Its sort key as the log keeps it: a card's is in its fragment (JSON already)."""
        if key.startswith("drawn:"):
            return value[0]
        return orjson.loads(orjson.dumps(self._orders[key](value[1])))


def _no_rows(key, render, reads=None, decode=None):
    """The fragment function a shallow view is made with: it asks for none."""
    raise LookupError(f"a page's view asked for {key} while made to ask for its cards again")


def _rows_in(values, depth: int = 0):
    """The Rows among a view's values (the credits page's are in its sections)."""
    for value in values:
        if isinstance(value, Rows):
            yield value
        elif depth < 2 and isinstance(value, dict):
            yield from _rows_in(value.values(), depth + 1)
        elif depth < 2 and isinstance(value, list):
            yield from _rows_in(value, depth + 1)

