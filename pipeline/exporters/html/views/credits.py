"""The credits page: who wrote each hero, character, story and quest, from git history."""

from __future__ import annotations

from functools import partial

from ....git.versions import SHOWN_AUTHORS, history_state
from ....l10n.collation import collated, language_of
from ....resolve.localized import fallback_marks
from ....resolve.world import World
from .. import urls
from ...theme_words import N_
from .site import Fragment, Rows, Source, by_name, direct

# translated where shown (credits.html)
VERSIONED = ("versioned", "cut")   # history_state's states with commits to show

KINDS = (("hero", N_("Heroes")), ("character", N_("Characters")), ("story", N_("Stories")), ("quest", N_("Quests")))


def credits_view(world: World, fragment: Fragment | None = None, authors: tuple | None = None) -> dict:
    """Sections of rows: the entity, its authors, when it was created and last changed.
    Empty when the history is (the page says why: `history`, git/versions.py
    history_state; `versioned` is whether there is one). Each row is
    a fragment (views/site.py) kept under what it read (the entity's file, its
    history), and credits.html draws them with cards() when the theme's
    `_macros.html` has `credit_row`: one edit draws one row again, not every row.
    `authors`: (history_state, authors) as the site's plan made them (the page then reads
    neither the history nor every entity itself), else made here."""
    fragment = fragment or direct(world)
    language = language_of(world)   # rows by name in its alphabet (l10n/collation.py), as the indexes
    sections = []
    for kind, label in KINDS:
        rows = Rows(world, (Source(kind, "credit", _MAKERS[kind]),), partial(by_name, language), fragment)
        if rows:
            sections.append({"label": label, "rows": rows})
    if authors is not None:
        return {"sections": sections, "authors": list(authors[1]), "versioned": authors[0] in VERSIONED,
                "history": authors[0]}
    state = history_state(world.history)
    return {"sections": sections, "authors": site_authors(world), "versioned": state in VERSIONED, "history": state}


def site_authors(world: World) -> list[str]:
    """Everyone who wrote a listed entity: the authors of its rows (`_row`), read from
    the history of each entity's file as the rows read it, not from the rows. Taken
    from the rows, every row's fragment was fetched, checked and decoded to be asked
    for one field (10,650 at 10,000 heroes: half the stored rows the page asked for in
    a one-hero edit; docs/performance.md, edit10), while cards() needs only the drawn cards.
    The page records the same reads: each row's reads are its drawn card's too."""
    found: set[str] = set()
    history = world.history
    for kind, _ in KINDS:
        for _, entry in _TABLES[kind](world).items():   # a tracked table records every lookup at once
            versions = history.get(entry.path)
            if versions:
                found.update(versions.authors)
    language = language_of(world)
    return sorted(found, key=lambda name: (collated(language, name), name))   # in the page language's alphabet


_TABLES = {"hero": lambda w: w.heroes, "character": lambda w: w.characters, "story": lambda w: w.stories,
           "quest": lambda w: w.quests}


def _row(world: World, kind: str, eid: str) -> dict:
    entry = {"hero": world.heroes, "character": world.characters, "story": world.stories,
             "quest": world.quests}[kind][eid]
    history = world.history.get(entry.path)
    authors = history.authors if history else ()
    return {
        "id": entry.id, "name": _name(entry), "page": urls.entity_page(entry.kind, entry.id),
        "marks": fallback_marks(world, f"{kind}.{eid}.{'name' if kind in ('hero', 'character') else 'title'}"),
        # the first SHOWN_AUTHORS, the rest counted ("+N"): the page's lede names everyone
        "authors": list(authors[:SHOWN_AUTHORS]), "authors_left": max(0, len(authors) - SHOWN_AUTHORS),
        # a shallow clone's edge is not where the file began: "—", as for no history
        "created": _change(history.created) if history and not history.cut else None,
        "changed": _change(history.changed) if history else None,
        "edits": len(history.changes) if history else 0,
    }


# each kind's rows, made from a tracked view of the World as a fragment (site.py Source)
_MAKERS = {kind: (lambda world, eid, kind=kind: _row(world, kind, eid)) for kind, _ in KINDS}


def _name(entry) -> str:
    model = entry.model
    if hasattr(model, "front"):  # a story
        return model.front.title
    return getattr(model, "name", None) or getattr(model, "title", None) or entry.id


def _change(change) -> dict:
    return {"commit": change.commit[:12], "date": change.date[:10], "author": change.author}
