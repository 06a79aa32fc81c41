"""World → contract rows. Pure functions: one per kind of row.

The per-entity rows (hero, character, quest, story: 10,000s of them, each dozens of
small objects) are plain dicts in the contract's shape (contract.py's `Hero`,
`Character`, … with every field present, as `model_dump(mode="json")` gives them):
building ~50 pydantic objects per hero with `model_construct` and dumping them again
cost more than the rest of the row. contract.py stays the one declaration of the
shape: tests/speed/test_json_rows.py validates every row of the sample against its
model (extra fields forbidden) and checks the bytes, tests/json_api the written files
against the published schemas. The rules and relationships (one file each) are still
made as models."""

from __future__ import annotations

from typing import Any

from ... import expr
from ...diagnostics import code_info
from ...ids import id_words
from ...load.markdown import render_prose
from ...load.media import media_path
from ...resolve.world import World
from . import contract as c
from . import expr_json


def expression(text: str | None, ast: Any) -> c.Expression | None:
    if text is None or ast is None:
        return None
    return c.Expression.model_construct(source=text, ast=expr_json.to_json(ast))


def _expression(text: str | None, ast: Any) -> dict | None:
    """`expression` as the contract's plain dict (`c.Expression`)."""
    if text is None or ast is None:
        return None
    return {"source": text, "ast": expr_json.to_json(ast)}


def _plain(world: World, markdown_text: str) -> str:
    return world.prose.line(markdown_text)   # prose_line, from render_prose's parse when it made the HTML


def _portrait(world: World, pid: str) -> dict | None:
    """`c.Image`, or None."""
    asset = world.portraits.get(pid)
    if asset is None:
        return None
    # From the site root (build/site/), where the API is published too: a game that
    # fetched api/v1/… from a host finds the image at the same base address.
    return {"source": asset.path, "path": media_path(asset).removeprefix("site/")}


def _relations(model) -> list[dict]:
    """`c.RelationshipRef` rows."""
    return [{"target": r.with_, "kind": r.kind, "note": r.note} for r in model.relationships]


def _named(values) -> list[dict]:
    """`c.NamedValue` rows from a mapping of id → value."""
    return [{"id": k, "value": v} for k, v in values.items()]


def hero_row(world: World, hid: str) -> dict:
    """`c.Hero` as a dict."""
    entry, sheet = world.heroes[hid], world.sheets[hid]
    hero = entry.model
    return {
        "id": hid, "name": hero.name, "title": hero.title, "status": hero.status,
        "template_chain": list(sheet.template_chain),
        "attributes": _named(sheet.attributes),
        "level": sheet.level, "xp": sheet.xp, "xp_next": sheet.xp_next,
        "budget": {"used": sheet.budget_used, "available": sheet.budget_available},
        "derived_by_level": [{"level": i, "stats": _named(row)} for i, row in enumerate(sheet.derived_by_level, 1)],
        "skills": [_skill(world, s) for s in sheet.skills if s in world.rules.skills],
        "items": list(sheet.items), "portrait": _portrait(world, hid), "relationships": _relations(hero),
        "tags": list(hero.tags), "background_html": render_prose(hero.background, world.prose),
        "background_text": _plain(world, hero.background), "source": entry.path,
    }


def _skill(world: World, sid: str) -> dict:
    """`c.HeroSkill`."""
    rule = world.rules.skills[sid].rule
    return {"id": sid, "name": rule.name or id_words(sid), "attribute": rule.attribute,
            "min_level": rule.min_level, "prerequisites": list(rule.prerequisites)}


def character_row(world: World, cid: str) -> dict:
    """`c.Character` as a dict."""
    entry = world.characters[cid]
    ch = entry.model
    return {
        "id": cid, "name": ch.name, "title": ch.title, "status": ch.status, "role": ch.role,
        "attributes": [{"id": a, "value": v} for a, v in world.character_attributes[cid].items()
                       if a in ch.attributes],
        "portrait": _portrait(world, cid), "relationships": _relations(ch), "tags": list(ch.tags),
        "background_html": render_prose(ch.background, world.prose), "background_text": _plain(world, ch.background),
        "source": entry.path,
    }


def quest_row(world: World, qid: str) -> dict:
    """`c.Quest` as a dict."""
    entry, links = world.quests[qid], world.quest_links[qid]
    q = entry.model
    return {
        "id": qid, "title": q.title, "status": q.status, "summary_html": render_prose(q.summary, world.prose),
        "giver": q.giver, "requires": _expression(q.requires, links.requires.ast if links.requires else None),
        "prerequisites": list(q.prerequisites), "unlocks": list(links.unlocks), "stories": list(links.stories),
        "objectives": [{"id": o.id, "text": o.text, "done_when": _expression(o.done_when, links.done_when.get(o.id))}
                       for o in q.objectives],
        "reward_xp": q.rewards.xp, "reward_items": list(q.rewards.items), "source": entry.path,
    }


def story_row(world: World, sid: str) -> dict:
    """`c.Story` as a dict."""
    entry, report = world.stories[sid], world.story_reports[sid]
    story, front = entry.model, entry.model.front
    stats = report.stats
    return {
        "id": sid, "title": front.title, "status": front.status, "summary_html": render_prose(front.summary, world.prose),
        "start": front.start, "protagonist": front.protagonist, "heroes": list(front.heroes),
        "characters": list(front.characters), "quests": list(front.quests),
        "variables": [_variable(k, v) for k, v in front.variables.items()],
        "scenes": [_scene(s) for s in story.scenes.values()],
        "endings": [s.id for s in story.endings],
        "statistics": {
            "scenes": stats.scenes, "choices": stats.choices, "endings": stats.endings, "words": stats.words,
            "reading_minutes": stats.reading_minutes, "paths": stats.paths,
            "paths_over": "2^53" if stats.paths_over else None, "shortest_path": stats.shortest,
            "longest_path": stats.longest, "has_loops": stats.has_loops, "states_explored": stats.states_explored,
            "analysis_complete": stats.complete},
        "findings": [{"code": f.code, "severity": _severity(f.code), "message": f.message, "scene": f.scene,
                      "choice": f.choice} for f in report.findings],
        "source": entry.path,
    }


def _severity(code: str) -> str:
    return code_info(code).severity.value


def _variable(name: str, value: Any) -> dict:
    """`c.Variable`."""
    kind = "bool" if isinstance(value, bool) else "number" if isinstance(value, int) else "string"
    return {"id": name, "type": kind,
            "initial_number": value if kind == "number" else None,
            "initial_bool": value if kind == "bool" else None,
            "initial_string": value if kind == "string" else None}


def _scene(scene) -> dict:
    """`c.Scene`, its choices `c.Choice`."""
    return {
        "id": scene.id, "title": scene.title, "ending": scene.ending, "html": scene.html, "text": scene.text,
        "words": scene.words, "line": scene.span.line,
        "choices": [{"id": ch.id, "text": ch.text, "target": ch.target,
                     "condition": _expression(ch.condition, ch.condition_ast),
                     "effects": [{"source": expr.to_source(e), "ast": expr_json.to_json(e)} for e in ch.effects_ast],
                     "line": ch.span.line}
                    for ch in scene.choices],
    }


def relationship_rows(world: World) -> list[c.Relationship]:
    return [c.Relationship.model_construct(source=e.source, target=e.target, kind=e.kind, note=e.note) for e in world.relationships]


def rules_row(world: World) -> c.Rules:
    r = world.rules
    return c.Rules.model_construct(
        attributes=[c.AttributeRule.model_construct(id=a, name=x.name or id_words(a), description=x.description, min=x.min, max=x.max,
                                    default=x.default) for a, x in r.attributes.items()],
        point_budget_base=r.budget.base if r.budget else None,
        point_budget_per_level=r.budget.per_level if r.budget else None,
        derived=[c.DerivedRule.model_construct(id=d.id, name=d.name, description=d.description,
                                               formula=expression(d.formula.text, d.formula.ast))
                 for d in r.derived.values()],
        max_level=r.max_level, xp_for_level=list(r.xp_for_level),
        skills=[c.SkillRule.model_construct(id=s.id, name=s.rule.name or id_words(s.id), description=s.rule.description,
                            attribute=s.rule.attribute, prerequisites=list(s.rule.prerequisites),
                            min_level=s.rule.min_level,
                            requires=expression(s.requires.text, s.requires.ast) if s.requires else None)
                for s in r.skills.values()],
        relationship_kinds=[c.RelationshipKind.model_construct(id=k, name=v.name or id_words(k), inverse=v.inverse, symmetric=v.symmetric)
                            for k, v in r.relationship_kinds.items()],
    )
