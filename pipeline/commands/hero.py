"""`foundry hero ID`: the computed hero sheet in the terminal (or JSON)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from ..engine.builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, cli, emit, guarded, project_option, project_root
from ..confine import boundary
from ..diagnostics import Diagnostics
from ..ids import SLUG_PATTERN, id_words
from ..load.files import KIND_DIRS
from ..heroes.sheet import budget_at
from ..console.terminal import echo, padded
from ..resolve.world import World
from . import scope

SLUG = re.compile(SLUG_PATTERN)


@cli.command("hero")
@click.argument("hero_id", required=False, metavar="HERO_ID")
@click.option("--level", type=int, default=None,
              help="Show derived stats and budget at this level, a skill not had there marked with the "
                   "level it comes at.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@project_option
@guarded
def hero_cmd(hero_id: str | None, level: int | None, fmt: str, project: str | None) -> None:
    """Print HERO_ID's sheet: attributes, budget, derived stats, skills, XP."""
    root = project_root(project)
    diags = Diagnostics()
    world = check(root, diags)
    if world is None:  # foundry.toml itself is broken
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    if not hero_id:   # click's bare "Missing argument 'HERO_ID'": which ids are there
        raise click.UsageError(scope.missing_id("hero", "foundry hero", world.sheets, "heroes"))
    if hero_id not in world.sheets or f"hero:{hero_id}" in world.salvaged:
        _no_sheet(hero_id, root, world, diags)
    blocking, other = scope.split(diags, scope.hero_paths(world, hero_id))
    if blocking:  # its own file, its templates or the rule book: the sheet would be wrong
        shown = Diagnostics()
        shown.items = blocking + other
        emit(shown, root, "text")
        sys.exit(EXIT_CONTENT)
    if level is not None and not 1 <= level <= world.rules.max_level:
        raise click.BadParameter(f"levels run from 1 to {world.rules.max_level}", param_hint="--level")
    sheet_json = sheet_data(world, hero_id, level)
    if fmt == "json":
        echo(json.dumps(sheet_json, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        echo(sheet_text(sheet_json))
    if other:  # warnings about this hero, and problems elsewhere that do not touch the sheet
        shown = Diagnostics()
        shown.items = other
        emit(shown, root, "text")
        scope.note_elsewhere(other, f"hero '{hero_id}'")
    sys.exit(EXIT_OK)


def _no_sheet(hero_id: str, root: Path, world: World, diags: Diagnostics) -> None:
    """A hero whose file does not validate has no sheet: show why (exit 1). A name that
    is no hero at all is a usage error (exit 2)."""
    folder, suffix = KIND_DIRS["hero"]
    rel = f"content/{folder}/{hero_id}{suffix}"
    if SLUG.match(hero_id) and boundary(root).lexists(root / rel):   # a link out too: its HF0120 is the why
        diags.items = [d for d in diags.items if scope.said_at(d, rel)]
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    for kind, table in (("character", world.characters), ("story", world.stories), ("quest", world.quests),
                        ("hero template", world.templates)):
        named = scope.file_id(hero_id)   # (its file's path typed for it too)
        if named in table:
            extra = " Characters have no levels, budget or skills to show; their page is in the site." \
                if kind == "character" else ""
            raise click.BadParameter(f"'{named}' is a {kind} ({table[named].path}), not a hero; "
                                     f"`foundry hero` shows heroes' sheets.{extra}", param_hint="HERO_ID")
    raise click.BadParameter(f"no hero '{hero_id}'. {scope.known_hint(hero_id, world.sheets, 'heroes')}", param_hint="HERO_ID")


def sheet_data(world: World, hero_id: str, level: int | None) -> dict:
    sheet, hero = world.sheets[hero_id], world.heroes[hero_id].model
    at = level or sheet.level
    return {
        "id": hero_id, "name": hero.name, "title": hero.title, "level": sheet.level, "shown_level": at,
        "xp": sheet.xp, "xp_next": sheet.xp_next, "template_chain": list(sheet.template_chain),
        # each labelled by the rule book's name as derived stats and skills are (the
        # sheet printed the ids: `agility`, where every other output says `Agility`)
        "attributes": [{"id": a, "name": world.rules.attributes[a].name or id_words(a), "value": v,
                        "default": world.rules.attributes[a].default}
                       for a, v in sheet.attributes.items()],
        # with the least level whose budget covers the points spent: `--level 1` of a
        # level-5 hero said "budget used 20 of 16" as if that were fine there
        "budget": {"used": sheet.budget_used, "available": budget_at(world.rules, at),
                   "enough_from_level": _enough_from(world, sheet.budget_used)},
        "derived": [{"id": k, "name": world.rules.derived[k].name, "value": v} for k, v in sheet.derived(at).items()],
        # with the level each is had from: `--level 1` of a level-4 hero listed ambush
        # (min_level 3) as held there, unmarked
        "skills": [{"id": s, "name": world.rules.skills[s].rule.name or id_words(s),
                    "min_level": world.rules.skills[s].rule.min_level}
                   for s in sheet.skills if s in world.rules.skills],
        "items": list(sheet.items),
    }


def _enough_from(world: World, used: int) -> int | None:
    """The least level whose point budget covers `used`; None when no level does or the
    rules set no budget."""
    return next((lv for lv in range(1, world.rules.max_level + 1)
                 if (b := budget_at(world.rules, lv)) is not None and used <= b), None)


def sheet_text(d: dict) -> str:
    lines = [f"{d['name']}" + (f" — {d['title']}" if d["title"] else ""),
             f"Level {d['level']}  XP {d['xp']}" + (f" (next level at {d['xp_next']})" if d["xp_next"] else " (max level)")]
    if d["template_chain"]:
        lines.append("Template: " + " → ".join(d["template_chain"]))
    lines.append("")
    lines.append("Attributes")
    for a in d["attributes"]:
        lines.append(f"  {padded(a['name'], 14)}{a['value']:>4}")
    budget = d["budget"]
    if budget["available"] is not None:
        over = budget["used"] - budget["available"]
        lines.append(f"  budget used {budget['used']} of {budget['available']} at level {d['shown_level']}"
                     + ("" if over <= 0 else f" (over by {over}: " + (
                         f"enough from level {budget['enough_from_level']})" if budget["enough_from_level"]
                         else "no level has enough)")))
    lines.append("")
    lines.append(f"Derived at level {d['shown_level']}")
    for s in d["derived"]:
        lines.append(f"  {padded(s['name'], 14)}{s['value']:>4}")
    lines.append("")
    lines.append("Skills: " + (", ".join(s["name"] + (f" (from level {s['min_level']})"
                                                      if s["min_level"] > d["shown_level"] else "")
                                         for s in d["skills"]) or "none"))
    if d["items"]:
        lines.append("Items: " + ", ".join(d["items"]))
    return "\n".join(lines)
