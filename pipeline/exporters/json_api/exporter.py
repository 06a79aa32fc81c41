"""build/api/v1/: a manifest, an index per kind, a file per entity, a bundle, and
the JSON Schemas they validate against — and the same files inside the site, at
build/site/api/v1/, so a game can fetch them over HTTP from wherever the site is
published (the seed's REST `/api/v1` as static files). build/api/v1/ stays for engines
that read the data at their own build time from a checkout or a CI artifact."""

from __future__ import annotations

from typing import Any

from ...render.spans import Ask
from ...render.stored_spans import Asker
from ...resolve.world import World
from ..base import EVERYTHING, LIST, Plan, Planned, PlanParts, RenderContext, Untemplated
from .manifest_entries import FOLDERS, TABLES
from .shapes import schema_names

# The contract's models (contract.py, and rows.py and strings.py built on them: ~15 CPU-ms
# of pydantic to import) are imported by what renders a file (files.py, `_files`):
# planning never uses them, and `foundry check` plans every output.

ROOT = "api/v1"
SITE_ROOT = "site/api/v1"       # the published copy: same bytes, inside the web root


def _string_tables(world: World) -> list[Planned]:
    """The string tables (strings.py): one per language; none when the project sets no
    [l10n] languages. A language listed again in other letters (`EN` beside `en`:
    HF0751) has one table, as first spelled: `strings/EN.json` beside `strings/en.json`
    is one file on macOS and Windows."""
    l10n = world.l10n
    if l10n is None or not l10n.languages:
        return []
    languages: dict[str, str] = {}
    for lang in (l10n.base, *l10n.languages):
        languages.setdefault(lang.lower(), lang)
    return [Planned(f"{ROOT}/strings/{lang}.json", ("strings", lang), LIST) for lang in languages.values()]


class JsonExporter(Untemplated):
    name = "json"
    version = "2"  # 2: self-contained, titled schemas; null-or-absent optional fields

    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        plans = [Planned(f"{ROOT}/schema/{n}", ("schema", n)) for n in schema_names()]
        for kind, folder in FOLDERS.items():
            for eid in getattr(world, TABLES[kind]):
                plans.append(Planned(f"{ROOT}/{folder}/{eid}.json", ("entity", kind, eid)))
            plans.append(Planned(f"{ROOT}/{folder}.json", ("index", kind), LIST))
        plans.append(Planned(f"{ROOT}/relationships.json", ("relationships",), LIST))
        plans.append(Planned(f"{ROOT}/rules.json", ("rules",)))
        plans += _string_tables(world)
        plans.append(Planned(f"{ROOT}/manifest.json", ("manifest",), LIST))
        plans.append(Planned(f"{ROOT}/bundle.json", ("bundle",), EVERYTHING))
        # Each artifact records what it read, so the copy is rebuilt exactly when the
        # original is; rendered once when both are (`copy_of`: a render reads only
        # `item.data`, never the path).
        return Plan(tuple(plans + [Planned(SITE_ROOT + p.path[len(ROOT):], p.data, p.weight, copy_of=p.path)
                                   for p in plans]))

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        return _files().render(ctx, item)

    def reasker(self, setup: Any, world: World, item: Planned, fragment: Any) -> Any:
        """How a logged list asks for its rows again (render/stored_spans.py): by `reask`,
        each placed as its bytes."""
        return Asker(self.reask)

    def reask(self, key: str, decode: str) -> Ask | None:
        """A fragment a list logged (render/stored_spans.py), asked for again by its key
        and its decoder's name alone (files.reask)."""
        return _files().reask(key, decode)


def _files():
    """files.py, the render side, imported here once, when a file is first rendered or
    a list asks for its rows again: planning never needs its models."""
    from . import files
    return files
