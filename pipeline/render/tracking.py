"""Observe what an exporter reads while it renders one artifact.

The builder hands each render a view of the World whose tables record every entity
looked up, and every table listed. Those recorded reads — not a guess made up front —
decide when the artifact must be rendered again (Lektor's model). Reads are named by
input keys whose content hashes `World.input_hashes()` knows:

    hero:aria   the hero's value (data, body, positions: Entry.value, not the file's
                bytes), and (for its sheet) the rules and its templates
    file:content/heroes/aria.yaml   her file's bytes (its sha256), recorded only where a
                render reads them (load/byte_reads.py: the manifest's content_hash)
    heroes*     which heroes exist (an index page lists them)
    appearances:aria  which stories and quests she appears in (her page lists them)
    rules, config, version, asset:<path>
"""

from __future__ import annotations

from sys import intern
from collections.abc import Mapping
from typing import Any, Iterator

from ..resolve.world import PLURAL

# World table → (entity kind, extra keys any lookup in it depends on)
TABLES = {
    "heroes": ("hero", ()), "sheets": ("hero", ("rules",)),
    "characters": ("character", ()), "character_attributes": ("character", ("rules",)),
    "templates": ("template", ()),
    "quests": ("quest", ()), "quest_links": ("quest", ("rules", "stories*", "quests*")),
    "stories": ("story", ()), "story_reports": ("story", ("rules",)),
    "appearances": ("appearances", ()),
    "portraits": (None, ()),
    "history": (None, ()),
}
ATTRIBUTES = {"rules": "rules", "project": "config", "content_version": "version", "relationships": "relationships",
              "voice": "voice"}
# What else a render may ask the World for. Methods are bound to the tracked view, so
# what they look up goes through the tables above and is recorded. `locale` is the
# language a localized view is read in: the artifact's own path names it, and the
# texts it shows are recorded per entity (exporters/languages.translation_reads);
# whether a base-language artifact has one at all is foundry.toml's, recorded as
# `config` by exporters/languages.in_language.
# `l10n` is wrapped (TrackedLocalization): each language or translation file it gives
# out is recorded. `prose` is a memo of a pure function (Markdown text → HTML): it
# reads nothing. Anything else (`broken`, `input_hashes`, `views`…) is not an input of
# an output; tests/speed/test_recorded_reads.py fails on any render that reads it.
METHODS = ("people", "entries", "version_of", "exists")
# The tables World.entries() lists (no extra keys, no dependencies: see `_dependencies`).
ENTITY_TABLES = ("characters", "heroes", "quests", "stories", "templates")
UNTRACKED = ("locale", "l10n", "prose")


class Reads(set):
    """The input keys one render read. Keys made here are interned: a worker keeps the
    reads of every row it made and the builder those of every artifact (at 10,000
    heroes a million keys, most of them the same few thousand strings)."""


class TrackedTable(Mapping):
    """A World table that records lookups and listings into `reads` (a view: nothing
    is copied, so wrapping a 10,000-hero table per artifact costs nothing)."""

    def __init__(self, data: dict, table: str, world: Any, reads: Reads):
        self._data = data
        self._kind, self._extra = TABLES[table]
        self._world, self._reads, self._table = world, reads, table

    def _entity(self, key: str) -> None:
        if self._table == "history":  # an entity's git history, by its file path
            self._reads.add(intern(f"history:{key}"))
            return
        if self._table == "portraits":  # the image itself, and which it is (World.input_hashes)
            asset = self._data.get(key)
            if asset is not None:
                self._reads.add(intern(f"asset:{asset.path}"))
                # not the person's file alone, through a link (World.portrait_routed): one
                # turned to another folder gives the same words another image, and a page
                # whose person's earlier image another still showed (`asset:` unchanged)
                # kept the old picture
                if key in self._world.portrait_routed:
                    self._reads.add(intern(f"portrait:{key}"))
            return
        self._reads.add(intern(f"{self._kind}:{key}"))
        self._reads.update(self._extra)
        self._reads.update(_dependencies(self._world, self._kind, key, self._table))

    def _listing(self) -> None:
        self._reads.add(intern(f"{PLURAL.get(self._kind, self._table)}*"))

    def __getitem__(self, key):
        self._entity(key)
        return self._data[key]

    def __contains__(self, key) -> bool:
        self._entity(key)
        return key in self._data

    def __iter__(self) -> Iterator:
        self._listing()
        return iter(self._data)

    def __len__(self) -> int:
        self._listing()
        return len(self._data)

    def values(self):
        if self._table in ENTITY_TABLES:   # every lookup's read at once (the same keys: `_entity`)
            self._lookups()
            return list(self._data.values())
        return [self[k] for k in self]

    def items(self):
        if self._table in ENTITY_TABLES:
            self._lookups()
            return list(self._data.items())
        return [(k, self[k]) for k in self]

    def _lookups(self) -> None:
        """What listing this table and looking up each of its entities records, for a
        table of ENTITY_TABLES (no extra keys, no dependencies): a list page takes
        every row of a 10,000-hero table."""
        self._listing()
        kind = self._kind
        self._reads.update([intern(f"{kind}:{key}") for key in self._data])


def _dependencies(world: Any, kind: str, key: str, table: str) -> set[str]:
    """What a looked-up entity's computed data was made from, beyond its own file."""
    if kind == "hero" and table == "sheets":
        sheet = world.sheets.get(key)
        return {intern(f"template:{t}") for t in sheet.template_chain} if sheet else set()
    if kind == "story" and table == "story_reports":
        report = world.story_reports.get(key)
        deps = set()
        for hero in (report.players if report else ()):
            if hero and hero in world.sheets:
                deps |= {intern(f"hero:{hero}"), *(intern(f"template:{t}") for t in world.sheets[hero].template_chain)}
        return deps
    return set()


class TrackedWorld:
    """A read-only view of a World for one render; `reads` fills as it is used."""

    def __init__(self, world: Any):
        object.__setattr__(self, "_world", world)
        object.__setattr__(self, "reads", Reads())
        # each table wrapped when first asked for (`_table`): a clean build at 10,000
        # heroes makes ~170,000 views (a render, a list row, a drawn card each), most of
        # which look in one or two of the twelve tables
        object.__setattr__(self, "_tables", {})

    def _table(self, name: str) -> "TrackedTable":
        """The tracked view of the World's table `name` (one of TABLES), made once."""
        tables = object.__getattribute__(self, "_tables")
        table = tables.get(name)
        if table is None:
            world = object.__getattribute__(self, "_world")
            table = tables[name] = TrackedTable(getattr(world, name), name, world, self.reads)
            # found as an attribute from now on, without __getattr__ (a list asks for a
            # table once a row, 10,000-30,000 times a list)
            object.__setattr__(self, name, table)
        return table

    def __getattr__(self, name: str) -> Any:
        if name in TABLES:
            return self._table(name)
        if name in ATTRIBUTES:
            self.reads.add(ATTRIBUTES[name])
            if name == "relationships":
                self.reads.update({"heroes*", "characters*"})
        value = getattr(object.__getattribute__(self, "_world"), name)
        if name == "l10n" and value is not None:
            value = TrackedLocalization(value, self.reads)
        elif callable(value) and hasattr(type(object.__getattribute__(self, "_world")), name):
            # Methods such as people() or entries() must see the tracked tables.
            value = getattr(type(object.__getattribute__(self, "_world")), name).__get__(self)
        if type(self) is TrackedWorld and (name in ATTRIBUTES or name in UNTRACKED):
            # found as an attribute from now on, as a table is (`_table`): what it
            # records is in `reads` already, and a render's view never forgets a read
            # (a hero page asks for `locale`, `rules` and `prose` ~30 times). Not a
            # method bound to the view: kept, it would make the view a reference cycle,
            # freed only by the collector (render/pool.py lets go of a render's view
            # when it returns). A plan's view (engine/outputs.py PlanView) keeps
            # asking: it must notice a read made after it closed.
            object.__setattr__(self, name, value)
        return value

    def entries(self) -> list:
        """World.entries(), recording what listing and looking up every entity through
        the tables records (each table listed, `<kind>:<id>` per entity), at once: the
        World's own sorted list instead of 11,500 recorded lookups sorted again for
        every list artifact (~2 % of a one-hero edit at 10,000 heroes).
        tests/speed/test_recorded_reads.py holds the two ways equal."""
        world = object.__getattribute__(self, "_world")
        found = world.entries()
        for name in ENTITY_TABLES:
            self._table(name)._listing()
        self.reads.update([intern(f"{entry.kind}:{entry.id}") for entry in found])
        return found

    def version_of(self, *entries: Any) -> str:
        """World.version_of(), recording what it reads through the tables at once: the
        history of each entry's file (`history:<path>`, looked up whether it has one or
        not), and the build's content version when none has (a list page asks about
        every entity it shows)."""
        world = object.__getattribute__(self, "_world")
        self.reads.update([intern(f"history:{entry.path}") for entry in entries])
        if not any(entry.path in world.history for entry in entries):
            self.reads.add(ATTRIBUTES["content_version"])
        return world.version_of(*entries)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the World is read-only while rendering")


class TrackedLocalization:
    """A World's translations (l10n.state.Localization) that record what a render
    takes from them: every line in one language is `l10n:<lang>`, one translation file
    `l10n:<lang>:<source>` (the keys of Localization.fingerprints); the languages and
    the base come from foundry.toml (`config`). Anything else records every language."""

    def __init__(self, l10n: Any, reads: Reads):
        self._l10n, self._reads = l10n, reads

    def resolve(self, language: str):
        self._reads.add(f"l10n:{language}")
        return self._l10n.resolve(language)

    def catalog(self, language: str, source: str):
        self._reads.add(f"l10n:{language}:{source}")
        return self._l10n.catalog(language, source)

    def __getattr__(self, name: str) -> Any:
        if name in ("base", "languages", "root"):
            self._reads.add("config")
        else:
            self._reads.update(f"l10n:{lang}" for lang in (self._l10n.base, *self._l10n.languages))
        return getattr(self._l10n, name)
