"""The site's search index: one small JSON document, built with the pages.

Our own index rather than Pagefind (docs/themes.md says why at length): it is an
ordinary planned artifact made from the World — incremental, deterministic, no
external binary — and it is embedded in search.html, so search works from disk
(file://) where a fetch() of index files would be refused. The browser side is
themes/default/static/search.js: prefix matching over these fields, weighted.
"""

from __future__ import annotations

from functools import partial

from markupsafe import Markup

from ...l10n.collation import collated, language_of
from ...load.markdown import ProseMemo
from ...resolve.localized import fallback_marks
from ...resolve.world import World
from ..books.mark_room import room_styles
from ..theme_words import ENGLISH, Words
from . import urls
from .player import script_json
from .splice import ScriptData
from .views.site import Fragment, Rows, Source, direct
from .views.common import KIND_LABELS, STATUS_LABELS, clip, humanise, person_name, plain

TEXT_LIMIT = 600      # characters of prose per entry: enough to find, small enough to ship


def search_entries(world: World, fragment: Fragment | None = None, say: Words = ENGLISH) -> Rows:
    """Every hero, character, story and quest as a search entry, A to Z; each entry a
    fragment (views/site.py), so one edit makes one entry again. The labels the index
    writes itself (kind, status, "Given by …") are in the words of `say`, the theme's
    words in the page's language (the index is data for search.js, no template), so
    each entry also reads those words (`Words.input_key`)."""
    sources = tuple(Source(kind, "search", lambda w, eid, make=make: make(w, eid, say), (say.input_key,),
                           dumps=lambda entry: script_json(entry).encode("utf-8"))
                    for kind, make in (("hero", _hero), ("character", _character), ("story", _story),
                                       ("quest", _quest)))
    return Rows(world, sources, partial(_order, language_of(world)), fragment or direct(world))


def search_index(entries: Rows) -> Markup:
    """The index search.js reads (`script_json` of every entry, in the order shown, as
    ScriptData: a page's link check leaves it out of the skeleton it parses, splice.py),
    spliced from the entries' fragments, each kept as its part of that text: the
    encoder writes a list as its items' texts joined by commas, and what script_json
    escapes is never a separator, so the bytes are those of the whole list encoded
    (tests/speed/test_list_cards.py), without encoding 11,500 entries on every save."""
    script = ScriptData((b"[" + b",".join(entries.encoded()) + b"]").decode("utf-8"))
    # each entry's fragment and place, for a save that splices it in (splice.py `assemble_placed`)
    script.items, script.order, script.sort = entries.shown, entries.shown_order, entries.order
    return script


def _order(language: str, entry: dict) -> tuple:
    # A to Z in the page language's alphabet (l10n/collation.py), as search.js breaks
    # ties among results of one score (Intl.Collator of the page's lang)
    return collated(language, entry["title"]), entry["kind"], entry["id"]


def _hero(world: World, hid: str, say: Words) -> dict:
    hero, sheet = world.heroes[hid].model, world.sheets[hid]
    return _entry("hero", hid, hero.name, hero.title, hero.status,
                  [*(humanise(k) for k in hero.tags), *(_skill_name(world, s) for s in sheet.skills)],
                  hero.background, say.gettext("Level %(level)s") % {"level": sheet.level}, say,
                  fallback_marks(world, f"hero.{hid}.name"), world.prose,
                  _marked_part(hero.title, hero.title, fallback_marks(world, f"hero.{hid}.title")))


def _skill_name(world: World, sid: str) -> str:
    """A skill as the hero's page names it: the rule book's name (plain text, in the
    World's language), its id made readable when the rule has none. The id alone was
    indexed: a skill named 'Fährtenlesen' (or translated so) was found only by
    'Tracking', a word no page shows."""
    skill = world.rules.skills.get(sid)
    return (skill.rule.name if skill is not None else "") or humanise(sid)


def _character(world: World, cid: str, say: Words) -> dict:
    ch = world.characters[cid].model
    shown = ch.title or ch.role
    return _entry("character", cid, ch.name, shown, ch.status, [humanise(k) for k in ch.tags],
                  ch.background, ch.role, say, fallback_marks(world, f"character.{cid}.name"),
                  world.prose,
                  _marked_part(shown, shown, fallback_marks(world, f"character.{cid}.{'title' if ch.title else 'role'}")),
                  lead=ch.role)


def _story(world: World, sid: str, say: Words) -> dict:
    entry = world.stories[sid]
    front = entry.model.front
    cast = [person_name(world, p) for p in (front.protagonist, *front.heroes, *front.characters) if p]
    return _entry("story", sid, front.title, "", front.status, cast, front.summary,
                  say.ngettext("%(count)s scene", "%(count)s scenes", len(entry.model.scenes)) % {"count": len(entry.model.scenes)}, say,
                  fallback_marks(world, f"story.{sid}.title"), world.prose)


def _quest(world: World, qid: str, say: Words) -> dict:
    quest = world.quests[qid].model
    giver = person_name(world, quest.giver) if quest.giver else ""
    words = [giver, *(o.text for o in quest.objectives)]
    sentence = say.gettext("Given by %(giver)s")
    given = sentence % {"giver": giver} if giver else ""
    xp = say.gettext("%(xp)s XP") % {"xp": quest.rewards.xp} if quest.rewards.xp else ""
    marked = None
    if giver and "%(giver)s" in sentence:   # the giver's name inside the theme's sentence, marked as on its page
        kind = "hero" if quest.giver in world.heroes else "character"
        before = sentence.split("%(giver)s", 1)[0].replace("%%", "%")
        marked = _marked_part(given, giver, fallback_marks(world, f"{kind}.{quest.giver}.name"), len(before))
    return _entry("quest", qid, quest.title, given, quest.status, words, quest.summary, xp, say,
                  fallback_marks(world, f"quest.{qid}.title"), world.prose, marked)


def _marked_part(subtitle: str, part: str, marks: dict[str, str], start: int = 0) -> tuple | None:
    """([start, end], marks) of `part` of a subtitle, from `start` (a name or title the
    page shows in the base language), as `_entry` takes them; None when it has none."""
    if not marks or not part or subtitle[start:start + len(part)] != part:
        return None
    return [start, start + len(part)], marks


def _entry(kind: str, eid: str, title: str, subtitle: str, status: str, keywords: list[str], prose: str,
           detail: str, say: Words, marks: dict[str, str] | None = None, memo: ProseMemo | None = None,
           subtitle_marks: tuple | None = None, lead: str = "") -> dict:
    """One entry. `marks`: the title's fallback marks (a name or title shown in the
    base language: `lang`, `dir`, `class`), given only when there are any, so an entry
    whose title is translated — every entry of a one-language site — is as it was.
    `subtitle_marks`: ([start, end], marks) of the part of the subtitle shown in the
    base language (a hero's title, a character's title or role, a quest giver's name in
    "Given by …"), its characters' range written as `subtitle_at`.
    `keywords`: words as a reader sees them (names, objectives' text, ids already
    `humanise`d): a writer's hyphen in a name or an objective is kept, so
    'Reach -> the bank' is not indexed as 'Reach  > the bank'.
    `memo` (World.prose): the prose parsed once for this line and its pages' HTML.
    `lead`: plain text (a character's role, read as inline Markdown at load) put before
    the prose's words as its sentence. Put into the Markdown before it was parsed, it was
    read a second time: `\\*Chief\\* &amp;amp; "mate"` was indexed as 'Chief & “mate”'."""
    label = STATUS_LABELS.get(status, "")
    text = clip(f"{lead}. {plain(prose, 0, memo)}".rstrip(" "), TEXT_LIMIT) if lead else plain(prose, TEXT_LIMIT, memo)
    entry = {"kind": kind, "kind_label": say.gettext(KIND_LABELS[kind]), "id": eid, "title": title,
             "subtitle": subtitle, "status": say.gettext(label) if label else "",
             "keywords": " ".join(k for k in keywords if k), "text": text,
             "detail": detail, "path": urls.entity_page(kind, eid)[len(urls.SITE) + 1:]}
    if marks:
        entry["title_marks"] = marks
    if subtitle_marks:
        entry["subtitle_at"], entry["subtitle_marks"] = subtitle_marks
    # the room a tall script's lines need (books/mark_room.py), as the spans' styles
    # search.js draws the result's line in: given only when a line needs it, so an
    # entry in Latin letters is as it was
    room = {key: styles for key in ("title", "subtitle", "text") if (styles := room_styles(entry[key]))}
    if room:
        entry["room"] = room
    return entry
