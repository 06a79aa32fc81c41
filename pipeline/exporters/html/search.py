"""The site's search index: one small JSON document, built with the pages.

Our own index rather than Pagefind (docs/themes.md says why at length): it is an
ordinary planned artifact made from the World — incremental, deterministic, no
external binary — and it is embedded in search.html, so search works from disk
(file://) where a fetch() of index files would be refused. The browser side is
themes/default/static/search.js: prefix matching over these fields, weighted.
"""

from __future__ import annotations

from ...resolve.world import World
from . import urls
from .views.common import KIND_LABELS, STATUS_LABELS, humanise, person_name, plain

TEXT_LIMIT = 600      # characters of prose per entry: enough to find, small enough to ship


def search_entries(world: World) -> list[dict]:
    entries = []
    for hid, entry in world.heroes.items():
        hero, sheet = entry.model, world.sheets[hid]
        entries.append(_entry("hero", hid, hero.name, hero.title, hero.status, [*hero.tags, *sheet.skills],
                              hero.background, f"Level {sheet.level}"))
    for cid, entry in world.characters.items():
        ch = entry.model
        entries.append(_entry("character", cid, ch.name, ch.title or ch.role, ch.status, ch.tags,
                              f"{ch.role}. {ch.background}", ch.role))
    for sid, entry in world.stories.items():
        front = entry.model.front
        cast = [person_name(world, p) for p in (front.protagonist, *front.heroes, *front.characters) if p]
        entries.append(_entry("story", sid, front.title, "", front.status, cast, front.summary,
                              f"{len(entry.model.scenes)} scenes"))
    for qid, entry in world.quests.items():
        quest = entry.model
        giver = person_name(world, quest.giver) if quest.giver else ""
        words = [giver, *(o.text for o in quest.objectives)]
        entries.append(_entry("quest", qid, quest.title, f"Given by {giver}" if giver else "", quest.status,
                              words, quest.summary, f"{quest.rewards.xp} XP" if quest.rewards.xp else ""))
    return sorted(entries, key=lambda e: (e["title"].lower(), e["kind"], e["id"]))


def _entry(kind: str, eid: str, title: str, subtitle: str, status: str, keywords: list[str], prose: str,
           detail: str) -> dict:
    return {"kind": kind, "kind_label": KIND_LABELS[kind], "id": eid, "title": title, "subtitle": subtitle,
            "status": STATUS_LABELS.get(status, ""), "keywords": " ".join(humanise(k) for k in keywords if k),
            "text": plain(prose, TEXT_LIMIT), "detail": detail,
            "path": urls.entity_page(kind, eid)[len(urls.SITE) + 1:]}
