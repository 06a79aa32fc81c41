"""build/api/v1/: a manifest, an index per kind, a file per entity, a bundle, and
the JSON Schemas they validate against — and the same files inside the site, at
build/site/api/v1/, so a game can fetch them over HTTP from wherever the site is
published (the seed's REST `/api/v1` as static files). build/api/v1/ stays for engines
that read the data at their own build time from a checkout or a CI artifact."""

from __future__ import annotations

import orjson
from typing import Any

from ... import __version__
from ...resolve.world import World
from ..base import EVERYTHING, LIST, Planned, RenderContext
from . import contract as c
from . import rows, strings
from .schemas import all_schemas, schema_names

ROOT = "api/v1"
SITE_ROOT = "site/api/v1"       # the published copy: same bytes, inside the web root
# kind → (index file, table name, row function, world table attribute, file shape)
KINDS = {
    "hero": ("heroes", rows.hero_row, "heroes", c.HeroFile),
    "character": ("characters", rows.character_row, "characters", c.CharacterFile),
    "quest": ("quests", rows.quest_row, "quests", c.QuestFile),
    "story": ("stories", rows.story_row, "stories", c.StoryFile),
}
INDEX_SHAPES = {"heroes": c.HeroesFile, "characters": c.CharactersFile, "quests": c.QuestsFile,
                "stories": c.StoriesFile}


def dump(model: c.Row | dict, compact: bool = False) -> bytes:
    """Sorted keys, no wall-clock anything: the same World gives the same bytes.
    Files a person reads (one entity, a schema) are indented; the indexes and the
    bundle, which are for engines, are compact. orjson writes the same bytes as the
    standard library's encoder, which is pure Python (ten times slower) once it indents."""
    data = model.model_dump(mode="json") if isinstance(model, c.Row) else model
    option = orjson.OPT_SORT_KEYS | (0 if compact else orjson.OPT_INDENT_2)
    return orjson.dumps(data, option=option) + b"\n"


class JsonExporter:
    name = "json"
    version = "2"  # 2: self-contained, titled schemas; null-or-absent optional fields

    def plan(self, world: World) -> list[Planned]:
        plans = [Planned(f"{ROOT}/schema/{n}", ("schema", n)) for n in schema_names()]
        for kind, (folder, _, table, _) in KINDS.items():
            for eid in getattr(world, table):
                plans.append(Planned(f"{ROOT}/{folder}/{eid}.json", ("entity", kind, eid)))
            plans.append(Planned(f"{ROOT}/{folder}.json", ("index", kind), LIST))
        plans.append(Planned(f"{ROOT}/relationships.json", ("relationships",), LIST))
        plans.append(Planned(f"{ROOT}/rules.json", ("rules",)))
        plans += strings.plans(world, ROOT)
        plans.append(Planned(f"{ROOT}/manifest.json", ("manifest",), LIST))
        plans.append(Planned(f"{ROOT}/bundle.json", ("bundle",), EVERYTHING))
        # Rendered twice rather than copied: each artifact records what it read, so the
        # copy is rebuilt exactly when the original is.
        return plans + [Planned(SITE_ROOT + p.path[len(ROOT):], p.data, p.weight) for p in plans]

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        world: World = ctx.world
        what = item.data[0]
        if what == "schema":
            return dump(all_schemas()[item.data[1]])
        if what == "entity":
            _, kind, eid = item.data
            folder, row, _, shape = KINDS[kind]
            return dump(shape(schema_version=c.SCHEMA_VERSION, **{kind: row(world, eid)}))
        if what == "index":
            folder, row, table, _ = KINDS[item.data[1]]
            return dump(INDEX_SHAPES[folder](schema_version=c.SCHEMA_VERSION,
                                             **{folder: [row(world, i) for i in getattr(world, table)]}), compact=True)
        if what == "relationships":
            return dump(c.RelationshipsFile(schema_version=c.SCHEMA_VERSION, relationships=rows.relationship_rows(world)))
        if what == "rules":
            return dump(c.RulesFile(schema_version=c.SCHEMA_VERSION, rules=rows.rules_row(world)))
        if what == "strings":
            return dump(strings.strings_file(ctx, item.data[1]))
        if what == "manifest":
            return dump(manifest(world))
        return dump(bundle(world), compact=True)


def manifest(world: World) -> c.Manifest:
    entities = []
    for entry in world.entries():
        if entry.kind not in KINDS:
            continue
        folder = KINDS[entry.kind][0]
        entities.append(c.ManifestEntity(kind=entry.kind, id=entry.id, content_hash="sha256:" + entry.sha256,
                                         source=entry.path, output=f"{folder}/{entry.id}.json"))
    config = world.project.config.project
    return c.Manifest(schema_version=c.SCHEMA_VERSION, generator="hero-foundry", generator_version=__version__,
                      content_version=world.content_version, title=config.title, language=config.language,
                      entities=entities)


def bundle(world: World) -> c.Bundle:
    return c.Bundle(
        schema_version=c.SCHEMA_VERSION, manifest=manifest(world), rules=rows.rules_row(world),
        heroes=[rows.hero_row(world, i) for i in world.heroes],
        characters=[rows.character_row(world, i) for i in world.characters],
        quests=[rows.quest_row(world, i) for i in world.quests],
        stories=[rows.story_row(world, i) for i in world.stories],
        relationships=rows.relationship_rows(world),
    )
