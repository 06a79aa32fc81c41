"""Cards drawn once: the theme's card macros called by the engine, one fragment per card.

A list page (the home page, the four indexes, the search page) shows a card for every
hero. Drawing 10,000 cards with Jinja was most of what a one-hero edit cost at that
size, and 9,999 of them came out as they were. So a list template does not call the
card macro itself; it asks for the cards:

    {% for card in cards(items, "person_card", "h2") %}{{ card }}{% endfor %}

`cards(rows, macro, *args)` calls `_macros.html`'s `macro(row, *args)` once per row
and gives back the drawn cards (safe HTML) in the rows' order. Each drawn card is a
fragment (render/fragments.py) of the page: kept under what drawing it read — the
row's own inputs (the hero's file, her sheet's rules and templates, her portrait),
the theme templates the macro is drawn with (`_macros.html` and what it imports), the
theme's words in the page's language, which stylesheets pages link, and foundry.toml
— and under a key naming the page, the macro and its arguments. One hero edit draws
her card once per list page and language; the other cards are spliced in as they were
drawn. An edit of `_macros.html` draws every card again.

What a card macro sees is what every template receives (docs/themes.md) except the
content version (`site.version`, `site.version_short`), which changes with every
commit while a card does not, and except the page's own names (`items`, `counts`…):
a card is the same wherever on its page it is drawn. A macro that reads them fails as
any misspelt name does (HF0703 at its line).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Callable, Iterable

import orjson
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, Macro
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from ... import budget
from ...render.spans import Ask, Order
from .splice import CardLinks, Placeholders, call_name
from .views.site import Fragment, Rows

MACROS = "_macros.html"
# What a card's macro must not see (it changes with every commit, a card does not).
UNSEEN_SITE = ("version", "version_short")
# What a card's macro must not take as an argument: only plain values key a fragment.
PLAIN = (str, int, float, bool, type(None))


def card_context(context: dict, page_names: Iterable[str] = ()) -> dict:
    """The names a card macro is drawn with: the page's common context (exporter.page_context)
    without the content version and without `page_names` (the page's own data)."""
    skip = set(page_names)
    out = {k: v for k, v in context.items() if k not in skip and k != "cards"}
    out["site"] = {k: v for k, v in context["site"].items() if k not in UNSEEN_SITE}
    return out


class CardDrawer:
    """The template's `cards()` for one page. `env`: the theme's environment; `context`:
    card_context(); `page`: the page's path (part of every card's key: links in a card
    are relative to it); `fragment`: RenderContext.fragment (or views.site.direct);
    `reads()`: the input keys every card of this page reads besides its row (the macro
    templates, the words, the stylesheets, the config), asked for on the first call."""

    def __init__(self, env: Any, context: dict, page: str, fragment: Fragment, reads: Callable[[], tuple[str, ...]],
                 links: Callable[[str], CardLinks] | None = None, placeholders: Placeholders | None = None):
        self._env, self._context, self._page, self._fragment, self._reads = env, context, page, fragment, reads
        # `links(html)`: a drawn card's links, found once and kept with it (splice.py);
        # `placeholders`: given, each card is printed as its placeholder (splice.py)
        self._links, self._placeholders = links, placeholders
        self._module = None
        self._stateful = False   # the macros' module holds state a card could change (below)
        self._extra: tuple[str, ...] | None = None

    def __call__(self, rows: Rows, macro: str, *args: Any, **kwargs: Any) -> list[Markup]:
        if not isinstance(rows, Rows):
            raise TypeError("cards() takes a list the page was given (items, heroes, entries…), "
                            f"not {type(rows).__name__}")
        if not isinstance(macro, str):
            raise TypeError("cards() takes the name of a macro of _macros.html as its second argument")
        if not all(isinstance(a, PLAIN) for a in (*args, *kwargs.values())):
            raise TypeError("cards() passes only plain values (text, numbers) to the macro")
        if self._extra is None:
            self._extra = tuple(self._reads())
        # the call as it reads, e.g. person_card["h2"]: a card drawn otherwise is another fragment
        call = call_name(macro, args, kwargs)
        # each card decoded once while its fragment lives (`foundry serve` keeps them: Fragment.value)
        asks = [Ask(f"drawn:{self._page}:{call}:{source.name}:{source.kind}:{eid}",
                    partial(self._draw, rows.order, source, eid, macro, args, kwargs), _drawn)
                for source, eid in rows.which]
        fragment = self._fragment
        drawn = [(*ask(fragment), ask) for ask in asks]
        drawn.sort(key=_order)   # rows.order, kept with each card (stable: as Rows sorts its data)
        placeholders = self._placeholders
        if placeholders is not None:
            # where each card stands among the call's, for a save that splices it (render/spans.py)
            order = Order([card[0] for card in drawn])
            placed = [(ask, order, at) for at, (_, _, _, ask) in enumerate(drawn)]
            between = placeholders.runs.get(call)
            if between is not None:   # every card of the call is one placeholder (splice.card_runs)
                return [Markup(placeholders.add_run([(html, links) for _, html, links, _ in drawn],
                                                    between, placed))] if drawn else []
            return [Markup(placeholders.add(html, links, where)) for (_, html, links, _), where in zip(drawn, placed)]
        return [Markup(html) for _, html, _, _ in drawn]

    def ask(self, order: Callable[[dict], Any], source, eid: str, macro: str, args: tuple, kwargs: dict) -> Ask:
        """The Ask `__call__` makes for one card (row `eid` of `source`, sorted by
        `order`, drawn by `macro(row, *args, **kwargs)`), without drawing the others: a
        page spliced from its last file draws a changed card again with it (reask.py)."""
        if self._extra is None:
            self._extra = tuple(self._reads())
        return Ask(f"drawn:{self._page}:{call_name(macro, args, kwargs)}:{source.name}:{source.kind}:{eid}",
                   partial(self._draw, order, source, eid, macro, args, kwargs), _drawn)

    def _draw(self, order: Callable[[dict], Any], source, eid: str, macro: str, args: tuple, kwargs: dict,
              world: Any, fragment: Fragment) -> bytes:
        """One card: its sort key, its HTML and its links, as JSON. `fragment` asks for
        its row (RenderContext.fragment, or the one a splicing save hands its Ask)."""
        recorded = getattr(world, "reads", None)   # a tracked view; None when drawn in place
        if recorded is not None:
            recorded.update(self._extra)   # asked for by the first call, while its page rendered
        # the row itself is the list's own fragment (views/site.py), made once per
        # process for every page that shows it; what it read becomes this card's reads
        data = orjson.loads(fragment(f"{source.name}:{source.kind}:{eid}",
                                     lambda w: source.encode(w, eid), recorded))
        html = str(budget.check_size(self._macro(macro)(data, *args, **kwargs)))
        links = self._links(html).to_json() if self._links is not None else None
        return orjson.dumps([order(data), html, links])

    def _macro(self, name: str) -> Callable[..., Markup]:
        if self._module is None or self._stateful:
            # A card drawn once is spliced into later builds as it was drawn, so it must
            # be the same whichever cards were drawn before it in this process. Macros
            # share their module: a `namespace()`, `cycler()` or `joiner()` set at its
            # top (or in a module it imports) lets one card change what the next prints
            # (a counter), and an incremental build would then differ from a clean one.
            # Such a theme gets a fresh module for every card; any other keeps one.
            template = self._env.get_template(MACROS)
            context = template.new_context(vars=self._context)
            self._module = TemplateModule(template, context)
            self._stateful = _holds_state(context.vars.values())
        found = getattr(self._module, name, None)
        if not callable(found) or name.startswith("_"):
            raise LookupError(f"cards(): {MACROS} has no macro '{name}'")
        return found


def _drawn(data: bytes) -> tuple:
    """A drawn card's fragment (`_draw`) as (its sort key, its HTML, its CardLinks or None)."""
    order, html, links = orjson.loads(data)
    return order, html, CardLinks.from_json(links) if links is not None else None


def _order(drawn: tuple):
    return drawn[0]


def _holds_state(values: Iterable[Any], depth: int = 0, seen: set[int] | None = None) -> bool:
    """Whether a template module's names hold something a macro call can change: Jinja's
    namespace, cycler and joiner are its only mutable objects (the immutable sandbox
    refuses changes to lists and dicts). Found also in modules it imports and behind
    macros it imports by name (`{% from "x.html" import bump %}`: `bump` changes a
    namespace of x's, held by the context its code closes over)."""
    seen = set() if seen is None else seen
    for value in values:
        if isinstance(value, (Namespace, Cycler, Joiner)):
            return True
        if depth >= 8 or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, TemplateModule):
            inner = list(vars(value).values())
        elif isinstance(value, Context):
            inner = list(value.vars.values())
        elif isinstance(value, Macro):
            inner = [cell.cell_contents for cell in getattr(value._func, "__closure__", None) or ()
                     if _filled(cell) and isinstance(cell.cell_contents, (Context, TemplateModule, Macro))]
        else:
            continue
        if _holds_state(inner, depth + 1, seen):
            return True
    return False


def _filled(cell) -> bool:
    try:
        cell.cell_contents
    except ValueError:   # a closure cell not yet assigned
        return False
    return True
