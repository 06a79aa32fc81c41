"""The JSON API's files made (JsonExporter's render): the one module of the exporter
that imports the contract's models (contract.py, and rows.py and strings.py built on
them: ~15 CPU-ms of pydantic). exporter.py imports it on the first render, never to
plan: `foundry check` plans every output and renders none."""

from __future__ import annotations

import secrets
from functools import cache, partial
from typing import Any, Iterator

import orjson

from ... import __version__
from ...render.spans import Ask, Placed, SpanLog, verbatim
from ...resolve.world import World
from ..base import RenderContext, Planned
from . import contract as c, rows, strings
from .manifest_entries import FOLDERS, TABLES, manifest_fragment, manifest_row
from .manifest_entries import indented as _indented
from .schemas import all_schemas


@cache
def kinds() -> dict[str, tuple[str, Any, str, type]]:
    """kind → (index file, row function, the World's table, file shape)."""
    return {"hero": (FOLDERS["hero"], rows.hero_row, TABLES["hero"], c.HeroFile),
            "character": (FOLDERS["character"], rows.character_row, TABLES["character"], c.CharacterFile),
            "quest": (FOLDERS["quest"], rows.quest_row, TABLES["quest"], c.QuestFile),
            "story": (FOLDERS["story"], rows.story_row, TABLES["story"], c.StoryFile)}


def dump(model: c.Row | dict, compact: bool = False) -> bytes:
    """Sorted keys, no wall-clock anything: the same World gives the same bytes.
    Files a person reads (one entity, a schema) are indented; the indexes and the
    bundle, which are for engines, are compact. orjson writes the same bytes as the
    standard library's encoder, which is pure Python (ten times slower) once it indents."""
    data = model.model_dump(mode="json") if isinstance(model, c.Row) else model
    option = orjson.OPT_SORT_KEYS | (0 if compact else orjson.OPT_INDENT_2)
    return orjson.dumps(data, option=option) + b"\n"


def render(ctx: RenderContext, item: Planned) -> bytes:
    """The bytes of one planned file (JsonExporter.plan's `item.data` says which)."""
    world: World = ctx.world
    what = item.data[0]
    if what == "schema":
        return dump(all_schemas()[item.data[1]])
    if what == "entity":
        # The row the index and the bundle splice, indented: made once per build
        # (and kept between builds) instead of once per file and its published copy.
        # orjson reads back exactly the values it wrote, so the bytes are those of
        # dump(HeroFile(...)) (tests/speed/test_json_rows.py).
        _, kind, eid = item.data
        return dump({"schema_version": c.SCHEMA_VERSION, kind: orjson.loads(_row(ctx, kind, eid))})
    if what == "index":
        folder = FOLDERS[item.data[1]]
        return splice({"schema_version": c.SCHEMA_VERSION, folder: _rows(ctx, item.data[1])}, ctx.spans)
    if what == "relationships":
        return dump(c.RelationshipsFile(schema_version=c.SCHEMA_VERSION, relationships=rows.relationship_rows(world)))
    if what == "rules":
        return dump(c.RulesFile(schema_version=c.SCHEMA_VERSION, rules=rows.rules_row(world)))
    if what == "strings":
        return dump(strings.strings_file(ctx, item.data[1]))
    if what == "manifest":
        return manifest_file(ctx)
    return bundle(ctx)


def reask(key: str, decode: str) -> Ask | None:
    """A fragment a list logged (render/stored_spans.py), asked for again by its key
    and its decoder's name alone, as the list asks for it (`_ask_row`,
    `_entity_list`); None for any other."""
    what, _, rest = key.partition(":")
    kind, _, eid = rest.partition(":")
    if kind not in FOLDERS or not eid:
        return None
    if what == "row" and not decode:
        return _ask_row(kind, eid)
    if what == "manifest" and decode in ("", _indented.__name__):
        return Ask(key, partial(_make_entity, kind, eid), _indented if decode else None)
    return None


def manifest(world: World) -> c.Manifest:
    """The manifest as its contract model (c.Manifest), made whole: what `manifest_file`
    writes, validated (tests/speed/test_json_rows.py compares the two)."""
    entities = [_manifest_entity(entry) for entry in world.entries() if entry.kind in FOLDERS]
    return c.Manifest(**_manifest_head(world), entities=entities)


def _manifest_head(world: World) -> dict:
    config = world.project.config.project
    return {"schema_version": c.SCHEMA_VERSION, "generator": "hero-foundry", "generator_version": __version__,
            "content_version": world.content_version, "title": config.title, "language": config.language}


def manifest_file(ctx: RenderContext) -> bytes:
    """manifest.json: `dump(manifest(world))`'s bytes, its entities taken from the
    bundle's manifest fragments (`_entity_list`, in the same order: kind, then id)
    rather than 11,500 entries validated into a model and dumped again on every save
    (~0.15 CPU-s a manifest at 10,000 heroes, `foundry serve`). Each entry is put in
    as orjson indents it two levels deep (`_indented`: made once while its fragment
    lives), so the file is spliced like the bundle, and a save splices the changed
    entry in at its span (render/spans.py)."""
    head = c.Manifest(**_manifest_head(ctx.world), entities=[]).model_dump(mode="json")
    entities = _entity_list(ctx, _indented)
    if not entities:
        return dump(head)
    head["entities"] = secrets.token_hex(16)
    out = dump(head)
    token = f'"{head["entities"]}"'.encode()
    at = out.index(token)   # once: no content is a fresh random token
    parts, size = [out[:at], b"[\n    "], at + 6
    for number, (item, ask) in enumerate(zip(entities, entities.asks or ())):
        if number:
            parts.append(b",\n    ")
            size += 6
        if ctx.spans is not None:
            ctx.spans.place(Placed(ask, size, size + len(item), verbatim))
        parts.append(item)
        size += len(item)
    if entities.asks is None:   # no asks kept: the same bytes, nothing placed
        parts = [out[:at], b"[\n    ", b",\n    ".join(entities)]
    parts += [b"\n  ]", out[at + len(token):]]
    return b"".join(parts)


def _manifest_entity(entry) -> dict:
    """An entry's manifest row (manifest_entries.py)."""
    return manifest_row(entry.kind, entry.id, entry.path, entry.content_sha256)


def bundle(ctx: RenderContext) -> bytes:
    """Everything in one compact file (c.Bundle), spliced from one fragment per entity
    row and per manifest entry: one hero edited re-renders her row, not 10,000."""
    world: World = ctx.world
    head = c.Manifest(**_manifest_head(world), entities=[]).model_dump(mode="json")
    head["entities"] = _entity_list(ctx)
    return splice({"schema_version": c.SCHEMA_VERSION, "manifest": head, "rules": rows.rules_row(world),
                   **{FOLDERS[kind]: _rows(ctx, kind) for kind in FOLDERS},
                   "relationships": rows.relationship_rows(world)}, ctx.spans)


def _compact(row: dict) -> bytes:
    """A row (rows.py: a dict in its contract model's shape) as compact JSON, sorted keys."""
    return orjson.dumps(row, option=orjson.OPT_SORT_KEYS)


def _row(ctx: RenderContext, kind: str, eid: str) -> bytes:
    """One `kind` row as compact JSON: the fragment `row:kind:id`."""
    return _ask_row(kind, eid)(ctx.fragment)


def _ask_row(kind: str, eid: str) -> Ask:
    """How the fragment `row:kind:id` is asked for (render/spans.py: a save makes it
    again without the list)."""
    return Ask(f"row:{kind}:{eid}", partial(_make_row, kind, eid))


def _make_row(kind: str, eid: str, world, fragment) -> bytes:
    return _compact(kinds()[kind][1](world, eid))


def _rows(ctx: RenderContext, kind: str) -> "Items":
    """Every `kind` row as one compact JSON array, in table order (with their asks,
    when the render logs its spans)."""
    asks = [_ask_row(kind, eid) for eid in getattr(ctx.world, TABLES[kind])]
    return Items([ask(ctx.fragment) for ask in asks], asks if ctx.spans is not None else None)


def _entity_list(ctx: RenderContext, decode=None) -> "Items":
    """The manifest's entities (kind, then id), as one compact JSON array (`decode`:
    each decoded by it instead, as RenderContext.fragment decodes)."""
    asks = [Ask(f"manifest:{kind}:{eid}", partial(_make_entity, kind, eid), decode)
            for kind in sorted(FOLDERS) for eid in sorted(getattr(ctx.world, TABLES[kind]))]
    return Items([ask(ctx.fragment) for ask in asks], asks if ctx.spans is not None else None)


def _make_entity(kind: str, eid: str, world, fragment) -> bytes:
    entry = getattr(world, TABLES[kind])[eid]
    return manifest_fragment(entry.kind, entry.id, entry.path, entry.content_sha256)


class Items(list):
    """A JSON array whose items are already-encoded JSON (bytes), joined only into
    the file that `splice` writes: the bundle at 10,000 heroes is ~50 MB, and joining
    each array first, then copying it into the file, held it two or three times.
    `asks`: how each item's fragment was asked for (render/spans.py), or None."""

    def __init__(self, items=(), asks: list[Ask] | None = None):
        super().__init__(items)
        self.asks = asks

    def pieces(self) -> Iterator[bytes]:
        yield b"["
        for number, item in enumerate(self):
            if number:
                yield b","
            yield item
        yield b"]"


def splice(skeleton: dict, log: SpanLog | None = None) -> bytes:
    """`skeleton` as compact JSON with sorted keys (the bytes `dump(..., compact=True)`
    gives), where values that are bytes (or Items) are already-encoded JSON put in as
    they are. Each is swapped for a token no content can contain (a fresh random one
    per call, so a title cannot smuggle one in), then spliced after encoding, in one
    join: the file is made once, not once per spliced value. `log`: where each item
    of an Items that knows its asks lands is placed in it (render/spans.py)."""
    pieces: dict[bytes, bytes | Items] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, (bytes, Items)):
            token = secrets.token_hex(16)
            pieces[f'"{token}"'.encode()] = value
            return token
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, c.Row):
            return value.model_dump(mode="json")
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    out = orjson.dumps(mark(skeleton), option=orjson.OPT_SORT_KEYS)
    at = sorted((out.index(token), token) for token in pieces)   # each is in `out` once
    parts, start, size = [], 0, 0
    for where, token in at:
        parts.append(out[start:where])
        size += where - start
        value = pieces[token]
        if isinstance(value, Items):
            if log is not None and value.asks is not None and value and not isinstance(value[0], bytes):
                log.splices = False   # decoded items: not placed as they are
            elif log is not None and value.asks is not None:
                size += 1   # "["
                for number, (item, ask) in enumerate(zip(value, value.asks)):
                    size += 1 if number else 0
                    log.place(Placed(ask, size, size + len(item)))
                    size += len(item)
                size += 1   # "]"
            else:
                size += sum(map(len, value)) + max(0, len(value) - 1) + 2
            parts.extend(value.pieces())
        else:
            parts.append(value)
            size += len(value)
        start = where + len(token)
    parts += [out[start:], b"\n"]
    return b"".join(parts)
