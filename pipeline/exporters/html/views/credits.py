"""The credits page: who wrote each hero, character, story and quest, from git history."""

from __future__ import annotations

from ....resolve.world import World
from .. import urls
from ...theme_words import N_

# translated where shown (credits.html)
KINDS = (("hero", N_("Heroes")), ("character", N_("Characters")), ("story", N_("Stories")), ("quest", N_("Quests")))


def credits_view(world: World) -> dict:
    """Sections of rows: the entity, its authors, when it was created and last changed.
    Empty when the project is not in a git repository (the page says so)."""
    sections = []
    for kind, label in KINDS:
        rows = [_row(world, entry) for entry in world.entries() if entry.kind == kind]
        if rows:
            sections.append({"label": label, "rows": sorted(rows, key=lambda r: r["name"].lower())})
    authors = sorted({a for s in sections for r in s["rows"] for a in r["authors"]}, key=str.lower)
    return {"sections": sections, "authors": authors, "versioned": bool(world.history)}


def _row(world: World, entry) -> dict:
    history = world.history.get(entry.path)
    return {
        "id": entry.id, "name": _name(entry), "page": urls.entity_page(entry.kind, entry.id),
        "authors": list(history.authors) if history else [],
        "created": _change(history.created) if history else None,
        "changed": _change(history.changed) if history else None,
        "edits": len(history.changes) if history else 0,
    }


def _name(entry) -> str:
    model = entry.model
    if hasattr(model, "front"):  # a story
        return model.front.title
    return getattr(model, "name", None) or getattr(model, "title", None) or entry.id


def _change(change) -> dict:
    return {"commit": change.commit[:12], "date": change.date[:10], "author": change.author}
