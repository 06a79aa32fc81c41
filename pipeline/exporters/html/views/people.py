"""Hero and character pages: the sheet, the relationships, where they appear."""

from __future__ import annotations

from markupsafe import Markup, escape

from ....l10n.collation import collated, language_of
from ....resolve.localized import described, fallback_marks, prose_in_base
from ....rules.models import filled_percent
from ....resolve.world import World
from ....stories.relationships import mirror_of
from .common import (humanise, in_base, kind_label, label, person_card, prose, quests_with, scrolling_tables, status,
                     stories_with)
from ...theme_words import ENGLISH, Words


def hero_view(world: World, hid: str, say: Words = ENGLISH) -> dict:
    """A hero page's data; `say`: the theme's words in the page's language."""
    entry, sheet = world.heroes[hid], world.sheets[hid]
    hero = entry.model
    return {
        "person": person_card(world, hid), "name": hero.name, "title": hero.title, "status": status(hero.status),
        "name_html": entry.html("name"), "title_html": in_base(world, f"hero.{hid}.title", entry.html("title"), hero.title),
        "name_marks": fallback_marks(world, f"hero.{hid}.name"),
        "tags": [humanise(t) for t in hero.tags], "background": scrolling_tables(prose_in_base(world, f"hero.{hid}.background", prose(world, hero.background))),
        "templates": [label(world, f"template.{t}.name", world.templates[t].model.name) if t in world.templates
                      else humanise(t) for t in sheet.template_chain],
        "level": sheet.level, "max_level": world.rules.max_level, "xp": sheet.xp, "xp_next": sheet.xp_next,
        "budget": {"used": sheet.budget_used, "available": sheet.budget_available},
        "attributes": attribute_rows(world, sheet.attributes),
        "derived": derived_table(world, sheet),
        "skills": [skill_row(world, s) for s in sheet.skills if s in world.rules.skills],
        "items": [humanise(i) for i in sheet.items],
        "relationships": relationship_rows(world, hid, say),
        "stories": stories_with(world, hid), "quests": quests_with(world, hid),
        "source": entry.path,
    }


def character_view(world: World, cid: str, say: Words = ENGLISH) -> dict:
    """A character page's data; `say`: the theme's words in the page's language."""
    entry = world.characters[cid]
    ch = entry.model
    values = world.character_attributes[cid]
    return {
        "person": person_card(world, cid), "name": ch.name, "title": ch.title, "status": status(ch.status),
        "name_marks": fallback_marks(world, f"character.{cid}.name"),
        "name_html": entry.html("name"), "title_html": in_base(world, f"character.{cid}.title", entry.html("title"), ch.title),
        "role": ch.role, "role_html": in_base(world, f"character.{cid}.role", entry.html("role"), ch.role), "tags": [humanise(t) for t in ch.tags], "background": scrolling_tables(prose_in_base(
            world, f"character.{cid}.background", prose(world, ch.background))),
        # Only what the writer set: a character's unset attributes are rule defaults, not facts about them.
        "attributes": attribute_rows(world, {a: v for a, v in values.items() if a in ch.attributes}),
        "relationships": relationship_rows(world, cid, say),
        "stories": stories_with(world, cid), "quests": quests_with(world, cid),
        "source": entry.path,
    }


def attribute_rows(world: World, values: dict[str, int]) -> list[dict]:
    rows = []
    for name, value in values.items():
        rule = world.rules.attributes[name]
        key = f"rules.attribute.{name}"
        shown = label(world, f"{key}.name", rule.name) or humanise(name)
        # the name as the person's page presents it, above its description: the writer's
        # inline Markdown (`name` is its plain text, for labels and attributes)
        rows.append({"id": name, "name": shown, "name_html": described(world, f"{key}.name", ("attributes", name, "name"),
                                                                       rule.name) or shown, "value": value,
                     "min": rule.min, "max": rule.max, "default": rule.default,
                     "description": described(world, f"{key}.description", ("attributes", name, "description"),
                                              rule.description),
                     "percent": round(filled_percent(value, rule.min, rule.max))})
    return rows


def derived_table(world: World, sheet) -> dict:
    """Derived stats at every level: one column per stat, one row per level."""
    stats = list(world.rules.derived.values())
    rows = [{"level": level, "current": level == sheet.level,
             "values": [values.get(d.id) for d in stats]}
            for level, values in enumerate(sheet.derived_by_level, 1)]
    names = [label(world, f"rules.derived.{d.id}.name", d.name) or humanise(d.id) for d in stats]
    # a stat's description, under the table: inline Markdown as an attribute's (it was
    # written in schemas/attributes.yaml and published nowhere)
    return {"columns": [{"id": d.id, "name": name, "formula": d.formula.text,
                         # where the stat is presented (its description under the table)
                         "name_html": described(world, f"rules.derived.{d.id}.name", ("derived", d.id, "name"),
                                                d.name) or name,
                         "description": described(world, f"rules.derived.{d.id}.description",
                                                  ("derived", d.id, "description"), d.description)}
                        for d, name in zip(stats, names)],
            "rows": rows, "now": [{"name": name, "value": sheet.derived().get(d.id)}
                                  for d, name in zip(stats, names)]}


def skill_row(world: World, sid: str) -> dict:
    rule = world.rules.skills[sid].rule
    attribute = world.rules.attributes.get(rule.attribute) if rule.attribute else None
    name = label(world, f"rules.skill.{sid}.name", rule.name) or humanise(sid)
    return {"id": sid, "name": name,
            # the skill's heading on a hero's page: the writer's inline Markdown
            "name_html": described(world, f"rules.skill.{sid}.name", ("skills", sid, "name"), rule.name) or name,
            "description": described(world, f"rules.skill.{sid}.description", ("skills", sid, "description"),
                                     rule.description),
            "attribute": (label(world, f"rules.attribute.{rule.attribute}.name", attribute.name)
                          or humanise(rule.attribute)) if attribute else None,
            "min_level": rule.min_level,
            "prerequisites": [label(world, f"rules.skill.{p}.name", world.rules.skills[p].rule.name) or humanise(p)
                              if p in world.rules.skills else humanise(p) for p in rule.prerequisites]}


def relationship_rows(world: World, pid: str, say: Words = ENGLISH) -> list[dict]:
    """Who this person is related to, and what each of them is *to this person*, the
    way a reader asks it ("Tomas: Mentor" on Aria's page): in the other's own words
    when they wrote the pair down, else this person's words read through the kind's
    inverse; a kind with no inverse is shown as this person wrote it, in `say`'s words
    ("Aria is: Rival", one message so a translator orders name and kind). Every
    statement is a row: two kinds written between the same two people are two rows (a
    row per person kept the last, and the other's note was shown nowhere), and this
    person's own statement is left out only where the other wrote the same pair from
    their side (the kind's inverse), whose words come first."""
    mine = world.relationships.touching(pid)
    # (row, whose words: 0 the other's, 1 this person's, the statement's place in its writer's list)
    rows = [(_row(world, edge.source, kind_label(world, edge.kind), edge), 0, edge.place)
            for edge in mine if edge.target == pid]
    said = {(edge.source, edge.kind) for edge in mine if edge.target == pid}
    for edge in mine:
        if edge.source != pid:
            continue
        inverse = mirror_of(world.rules, edge.kind)
        if inverse and (edge.target, inverse) in said:
            continue   # the other's words for this pair are shown
        # the catalog's text is escaped (a project's theme ships its own catalogs);
        # Markup's % escapes the name and keeps a marked kind's span, and the name's marks
        # where it is left in the base language, as its link beside it has them
        shown = kind_label(world, inverse) if inverse else escape(say.gettext("%(name)s is: %(kind)s")) % {
            "name": _name_label(world, pid), "kind": kind_label(world, edge.kind)}
        rows.append((_row(world, edge.target, shown, edge), 1, edge.place))
    # sorted by name, then id; of one person, their words first, then this person's, each
    # writer's statements in the order written (as the sheet and the JSON API list them;
    # the World's graph is sorted by kind)
    language = language_of(world)   # names in the page language's alphabet (l10n/collation.py)
    rows.sort(key=lambda r: (collated(language, r[0]["person"]["name"]), r[0]["person"]["id"], r[1], r[2]))
    return [row for row, _, _ in rows]


def _name_label(world: World, pid: str):
    """Person `pid`'s name as a label shows it: marked when left in the base language."""
    entry = world.people()[pid]
    return label(world, f"{entry.kind}.{pid}.name", entry.model.name)


def _row(world: World, other: str, label: str, edge) -> dict:
    # a note left in the base language carries its marks, as every line does (in_base)
    return {"person": person_card(world, other), "kind_name": label, "note": edge.note,
            "note_html": in_base(world, edge.line, Markup(edge.note_html or escape(edge.note)))}
