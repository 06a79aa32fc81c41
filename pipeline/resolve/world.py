"""Resolve: validated entities → one `World` with every reference checked and every
derived value computed. Exporters read the World and nothing else."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import posixpath
import re
import stat
import time
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..confine import boundary, turns_back
from ..diagnostics import Diagnostic, Diagnostics, Span, near_budget, suggestion
from ..validate.entities import Entry
from ..heroes.models import Character, Hero, HeroTemplate
from ..heroes.sheet import (SHEET_CODEC, SKILLS_HINT, HeroSheet, Sheets, StoredSheet, check_template_rules,
                             compute_hero, derived_by_level, effective_attributes, played_in_doubt,
                             report_unanswered, report_unanswered_objectives)
from ..heroes.templates import TEMPLATES_HINT, TemplateDefaults, check_templates, template_defaults
from ..load.byte_reads import key as file_key, unwatched
from ..load.cache import ParseCache
from ..load.documents import Document, parse_document
from ..load.files import FoundFile, SourceFile, discover, kind_home, looks_like_kind
from ..load.hygiene import check_file_names
from ..load.markdown import ProseMemo
from ..load.titles import load_titles
from ..budget import picture_pixels
from ..load.media import MAX_PIXELS, probe_image
from ..load.workers import load_documents
from ..load.project import Project, config_text
from ..load.root import PROJECT_INPUTS
from ..git.versions import content_version
from .. import expr
from ..rules import RuleBook, load_rule_book
from ..stories.analysis import (EVALUATION_CODES, INK_CODES, Finding, Held, StoryStats, at_every_level,
                                Together, held_together, report, rows_together, structural_findings)
from .analyses import analysed
from .guesses import spelt_in_refused, spelt_right
from .portrait_budget import header_pixels, past_budget, say_past
from ..stories.machine import Player
from ..stories.models import Quest, StoryFront
from ..stories.quests import QuestLinks, resolve_quests
from ..stories.relationships import KINDS_HINT, Edges, resolve_relationships
from ..stories.scenes import parse_scenes_cached
from ..stories import story_codec
from ..stories.story import SCENE_ID, Story, load_story
from .strays import beside_content, name_strays, point_at_strays, point_at_unread_stories
from ..validate.entities import portrait_of, template_of
from .summaries import Pack, SummarisedEntry, Summary, brief_of, defaults_key
from ..ids import ANY_ID, WINDOWS_DEVICE_NAMES, is_id, spell_id, unread
from ..validate.documents import (display_name_hint, id_hint, left_out, malformed_id, other_kind, salvage_document,
                                  validate_document)
from ..validate.duplicates import report_duplicates
from ..queries import Codec, Queries, diagnostic_row, fingerprint, from_row
from ..toolid import tool_id

# entity kind → its World table
PLURAL = {"hero": "heroes", "character": "characters", "template": "templates", "quest": "quests", "story": "stories"}

MODELS = {"hero": Hero, "character": Character, "quest": Quest, "template": HeroTemplate}

_KIND_ID = attrgetter("kind", "id")   # an entry's place in `World.entries`


@dataclass(frozen=True)
class Asset:
    path: str            # relative to the project root, POSIX
    absolute: Path
    # where it is referenced: a Span, or a function that finds it (a hero's position
    # table is decoded only when a diagnostic needs it: load/yaml.py's Positions)
    at: Span | Callable[[], Span] = field(repr=False, compare=False)
    sha256: str = ""
    width: int = 0
    height: int = 0
    format: str = ""     # PNG, JPEG or WEBP

    @property
    def span(self) -> Span:
        return self.at if isinstance(self.at, Span) else self.at()

    def __reduce__(self):
        # sent to a render worker with its span found: the function that finds it
        # holds the whole entry, which is not the worker's to unpickle
        return Asset, (self.path, self.absolute, self.span, self.sha256, self.width, self.height, self.format)


@dataclass(frozen=True)
class StoryReport:
    stats: StoryStats
    findings: tuple[Finding, ...]
    players: tuple[str | None, ...]
    # values the story reaches that ink cannot hold (stories/analysis.py `ink_range`):
    # not a fault of the story, so said only by the ink export's plan, when ink is built
    ink: tuple[Finding, ...] = ()
    # per story variable, the values it holds where play goes (stories/analysis.py
    # held_together), or None when not known: which quest objectives can ever be done
    held: Held | None = None
    # what they hold together (stories/analysis.py rows_together): an objective waiting
    # for two flags no path sets both of is never done, though each is set somewhere
    rows: Together | None = None


@dataclass(frozen=True)
class Appearances:
    """Where one hero or character turns up, found once while resolving so a person's
    page reads those stories and quests only (scanning every story per person made
    each of 10,000 hero pages depend on all 500 stories)."""

    stories: tuple[tuple[str, str], ...] = ()     # (story id, part: protagonist | hero | character)
    quests: tuple[tuple[str, str], ...] = ()      # (quest id, part: giver | story)


@dataclass(frozen=True)
class World:
    """Everything a build is made from, resolved. Frozen once `load_world` returns it:
    what comes later (the release view, history, localization) is a new World made
    with `dataclasses.replace`, never a change to this one, so a value an exporter read
    cannot change under it, and no derived table is left behind by a partial update.
    The tables are filled while `load_world` builds them and never after."""

    project: Project
    rules: RuleBook
    heroes: dict[str, Entry[Hero]] = field(default_factory=dict)
    characters: dict[str, Entry[Character]] = field(default_factory=dict)
    templates: dict[str, Entry[HeroTemplate]] = field(default_factory=dict)
    quests: dict[str, Entry[Quest]] = field(default_factory=dict)
    stories: dict[str, Entry[Story]] = field(default_factory=dict)
    # an unchanged hero's sheet is decoded from her summary on its first read (heroes/sheet.py Sheets)
    sheets: MutableMapping[str, HeroSheet] = field(default_factory=Sheets)
    character_attributes: dict[str, dict[str, int]] = field(default_factory=dict)
    quest_links: dict[str, QuestLinks] = field(default_factory=dict)
    story_reports: dict[str, StoryReport] = field(default_factory=dict)
    appearances: dict[str, Appearances] = field(default_factory=dict)   # person id → where they appear
    relationships: Edges = Edges()   # tuple of Edge, indexed by person (stories/relationships.py)
    portraits: dict[str, Asset] = field(default_factory=dict)   # hero or character id → image
    # every image path a person names inside the project, by its path from the root
    # (sorted): a file usable or not, or none yet (HF0306)
    portrait_files: list[str] = field(default_factory=list)
    # each such path as written (from the root, `..` kept) where it passes through a link
    # (`../../pics/aria.jpg`, pics -> art), to the file's path it leads to: the link
    # turned to another folder reads another file by the same words (engine/checked.py)
    portrait_routes: dict[str, str] = field(default_factory=dict)
    # the people whose portrait is read through such a link: which image each shows is
    # an input of its own (`portrait:<id>`, input_hashes), the person's file not saying it
    portrait_routed: set[str] = field(default_factory=set)
    content_version: str = "unversioned"
    config_sha256: str = ""
    broken: frozenset[str] = frozenset()   # `kind:id` of files that exist but did not load
    # `kind:id` that a file whose name is no id is told to take (HF0113: `Bram.yaml`,
    # "rename it to bram.yaml"): a reference to it is not "unknown" either (`_told`)
    told: frozenset[str] = frozenset()
    # `kind:id` of entities whose file failed validation but were salvaged so the rest of
    # the file could still be checked (validate.salvage_document): never played or shown
    salvaged: frozenset[str] = frozenset()
    history: dict[str, Any] = field(default_factory=dict)  # entity file path → versions.EntityHistory
    l10n: Any = None       # l10n.state.Localization when [l10n] languages are set
    voice: Any = None      # voice.clips.VoiceOver when the project has content/audio/
    locale: Any = None     # resolve.localized.Locale in the World as read in one language (resolve/localized.py)
    origin: Any = field(default=None, repr=False, compare=False)   # the World a localized one was read from
    # The World as read in each language (resolve/localized.py), made on first use and
    # kept here, by the World it was made from, not in a module: not an __init__
    # field, so a World made by dataclasses.replace (its history added, the release
    # view) starts with none and never shows a view of the tables it replaced. Workers
    # are forked after planning and inherit the views planning made.
    views: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    # Rendered Markdown by a hash of its text (load/markdown.ProseMemo): a memo of a pure
    # function, so every view made from this World by dataclasses.replace shares it.
    prose: ProseMemo = field(default_factory=ProseMemo, repr=False, compare=False)
    # `entries()` sorted once (a build asks ~15 times; 11,500 entries at 10,000 heroes),
    # with the tables' sizes it was sorted at: the tables only grow while `load_world`
    # fills them, and never change after
    _sorted: list = field(default_factory=list, init=False, repr=False, compare=False)

    def version_of(self, *entries: Entry) -> str:
        """The content version a page or book about these entities shows: the newest
        commit that changed one of them (so it stays the same, and the output is not
        re-rendered, when other files change), else the build's content version."""
        changes = [self.history[e.path].changed for e in entries if e.path in self.history]
        if not changes:
            return self.content_version
        newest = min(changes, key=lambda c: c.seq)   # the log's order, not the dates' (versions.Change.seq)
        return f"{newest.commit} ({newest.date[:10]})" if newest.date else newest.commit

    def exists(self, kind: str, eid: str) -> bool:
        """For reference checks: a file that failed to load still exists, and a second
        "unknown hero" for it would only repeat its own errors."""
        table = {"hero": self.heroes, "character": self.characters, "quest": self.quests,
                 "story": self.stories, "template": self.templates}[kind]
        return eid in table or unread(self.broken | self.told, (kind,), eid)

    def input_hashes(self) -> dict[str, str]:
        """Every input an artifact can be made from, by key, with its content hash.
        Keys: `config`, `rules`, `version`, `<kind>:<id>`, `file:<path>`, `asset:<path>`,
        `portrait:<person id>` (the path of the image a person shows through a link).
        An entity's `<kind>:<id>` is the digest of its value (Entry.value), which an
        edit that changes no value (a comment) leaves as it was; `file:<path>` is its
        file's sha256, read only by what reads the bytes (load/byte_reads.py)."""
        hashes = {"config": self.config_sha256, "version": self.content_version, **_rule_hashes(self.rules)}
        for entry in self.entries():
            hashes[f"{entry.kind}:{entry.id}"] = entry.value
            hashes[file_key(entry.path)] = entry.sha256
        for asset in self.portraits.values():
            hashes[f"asset:{asset.path}"] = asset.sha256
        # which file a person shows where the person's file does not say it: through a
        # link (`../../pics/x.png`, pics -> art turned to art2, is another image by the
        # same words). Anyone else's image is where the words lead: one moved so is
        # behind a link now, and no `asset:` key names its old path (tracking.py)
        for pid in self.portrait_routed:
            if pid in self.portraits:
                hashes[f"portrait:{pid}"] = self.portraits[pid].path
        hashes.update(self.l10n.fingerprints() if self.l10n is not None else {})
        hashes["voice"] = self.voice.fingerprint() if self.voice is not None else ""
        hashes.update(listing_hashes(self))
        hashes.update(_history_hashes(self))
        return hashes

    def input_hashes_since(self, before: World | None, hashes: Mapping[str, str] | None) -> dict[str, str]:
        """`input_hashes()`, made from `hashes` (`before.input_hashes()`, or this method's
        answer for `before`) by what differs: the resident engine's next World holds the
        very Entry objects of the files a save did not change (pipeline/queries.py), so
        only the entries that are not `before`'s are hashed again, and the listing's
        hashes of which ids exist and who shows which image are kept while those are
        the same (~0.03 CPU-s a save at 10,000 heroes, most of it those two). Made whole
        instead when anything else moved: an entity added or gone, a portrait on
        another image or with other bytes, other appearance or history keys, or any
        localization (its keys are per translation file). Equal to `input_hashes()`
        (tests/speed/test_resident_watch.py); a key added there is added here."""
        if before is None or hashes is None or self.l10n is not None or before.l10n is not None \
                or self.rules.sources.keys() != before.rules.sources.keys():   # `file:` keys of rule files
            return self.input_hashes()
        out = dict(hashes)
        out.update({"config": self.config_sha256, "version": self.content_version, **_rule_hashes(self.rules)})
        for kind, plural in PLURAL.items():
            table, was = getattr(self, plural), getattr(before, plural)
            if table.keys() != was.keys():   # an id added or gone: `<plural>*` moves
                return self.input_hashes()
            for eid, entry in table.items():
                if was[eid] is not entry:
                    if was[eid].path != entry.path:   # the same id in another file: `file:` keys move
                        return self.input_hashes()
                    out[f"{kind}:{eid}"] = entry.value
                    out[file_key(entry.path)] = entry.sha256
        if self.portraits.keys() != before.portraits.keys() or self.portrait_routed != before.portrait_routed:
            return self.input_hashes()
        for pid, asset in self.portraits.items():
            old = before.portraits[pid]
            if old is not asset and (old.path != asset.path or old.sha256 != asset.sha256):
                return self.input_hashes()   # `asset:` keys and `portraits*`: made whole
        if self.appearances.keys() != before.appearances.keys():
            return self.input_hashes()
        if self.history is not before.history:
            if self.history.keys() != before.history.keys():
                return self.input_hashes()
            out.update(_history_hashes(self))
        out["voice"] = self.voice.fingerprint() if self.voice is not None else ""
        out.update(_graph_hashes(self))
        return out

    def people(self) -> Mapping[str, Entry]:
        """Heroes and characters by id. A view, not a copy: looking one person up while
        rendering records only that person as read, not everyone."""
        return ChainMap(self.heroes, self.characters)

    def entries(self) -> list[Entry]:
        """Every entity, in a stable order: kind, then id (a new list each call)."""
        tables = (self.characters, self.heroes, self.quests, self.stories, self.templates)
        if not isinstance(self, World):   # a render's tracked view (render/tracking.py): every read recorded
            return sorted([e for table in tables for e in table.values()], key=lambda e: (e.kind, e.id))
        sizes = tuple(map(len, tables))
        if not self._sorted or self._sorted[0] != sizes:
            out: list[Entry] = []
            for table in tables:
                out += table.values()
            self._sorted[:] = [sizes, sorted(out, key=_KIND_ID)]   # a C key: a save sorts 11,500
        return list(self._sorted[1])


def load_world(project: Project, diags: Diagnostics, cache: ParseCache | None = None,
               version: str | None = None, queries: Queries | None = None,
               known: Mapping[str, str] | None = None, meanwhile: Callable[[], None] | None = None,
               later: list[Callable[[], None]] | None = None) -> World:
    """The whole pipeline up to the World; problems are collected, never raised (see
    `_load_world`). A misspelt guess of the rule book's that the content contradicts
    (resolve/guesses.py) is withdrawn: the World is loaded again under a book made
    without it, and only that load's problems are said. It costs a second load only
    in a project whose rules have that slip. `later`: where the work that only the
    next build reads (the heroes' summaries kept, `_Summarised.keep`) is put, each a
    call of no arguments, for the caller to run once it has a core to spare (a CLI
    build: once its render workers are forked, engine/builder.py); None: done here."""
    first = Diagnostics()
    made = len(later) if later is not None else 0
    world = _load_world(project, first, cache, version, queries, known, meanwhile, later=later)
    if world.rules.guessed:
        withdrawn = spelt_right(world.rules.guessed, (*world.heroes.values(), *world.characters.values(),
                                                      *world.templates.values()), world.stories.values())
        withdrawn |= spelt_in_refused(set(world.rules.guessed) - withdrawn, project.root, world.broken)
        if withdrawn:
            first = Diagnostics()
            if later is not None:   # the first load's summaries are not the World's: the second's are kept
                del later[made:]
            world = _load_world(project, first, cache, version, queries, known, None, withdrawn, later)
    diags.extend(first.items)
    return world


def _load_world(project: Project, diags: Diagnostics, cache: ParseCache | None = None,
                version: str | None = None, queries: Queries | None = None,
                known: Mapping[str, str] | None = None, meanwhile: Callable[[], None] | None = None,
                withdrawn: frozenset[tuple[str, str]] = frozenset(),
                later: list[Callable[[], None]] | None = None) -> World:
    """The whole pipeline up to the World; problems are collected, never raised.
    `version` names the revision a checkout was made from (else git is asked).
    `queries` (pipeline/queries.py), kept by `foundry serve` between saves, remembers
    each file's document and entry, each hero's sheet and each story's analysis under
    what they read, so a save recomputes only what the edit reached. `known`: the
    content files' sha256 by path, as the build hashed them already (engine/sources.py),
    so that a file whose parse is cached is not read again (load/workers.py).
    `meanwhile()`: a later stage's work needing no document, done on this thread while
    the parse workers parse, when they do (load/workers.py `load_documents`).
    `later`: as `load_world` says."""
    # the names of the tree: listed again unless the file watcher saw no file added,
    # removed or renamed since the last run (queries.py `listing`; foundry serve)
    _listing(queries, "file names", check_file_names, project.root, diags)
    # The resident engine's table keeps reads and parses (keyed by a file's stat and
    # text) between saves; a one-run table would only compute their keys: it asks the
    # persisted queries only (validate, sheet, analysis), the parse cache the rest.
    kept = queries
    if queries is None:
        queries = Queries()   # one run's table, backed by the sealed cache below
    rules = load_rule_book(project.root, diags, withdrawn)
    config_sha256 = _config_digest(project)
    # what every query reads; the CLI's table starts empty and is backed by the sealed
    # cache, so a fresh process validates and computes sheets for what changed only
    queries.begin(f"{tool_id()}|{config_sha256}|{rules.memo_key()}", store=cache)
    # the last run's rule book when its files are the same: every query is handed it,
    # and an input the table saw before is known by identity (queries.py `_key`)
    rules = queries.intern(rules)
    world = World(project, rules, content_version=version if version is not None else content_version(project.root),
                  config_sha256=config_sha256)
    queries.persist("validate", ENTRY_CODEC)
    queries.persist("sheet", SHEET_CODEC)
    # validation, sheets and (a CLI run's) portraits beside the parse workers
    ahead = _Ahead(rules, queries, cache, project if kept is None and not known else None)
    strays: list[Diagnostic] = []
    # a fresh process's heroes from their summaries (resolve/summaries.py): it knows
    # each file's hash already (`known`), and has no resident table to ask instead
    pack = Pack(project.root, queries.base) if cache is not None and known and kept is None else None
    # the resident engine's last load, file by file: a save the watcher is trusted for
    # takes each file it did not name from there (`_load_trusted`)
    last = kept.shape("load").get("last") if kept is not None else None
    loaded: dict[str, _Loaded] | None = {}
    if last is not None and kept.trusted is not None and last.base == queries.base and last.rules is rules:
        ahead.adopt(last)
        documents, found = _load_trusted(project.root, diags, cache, kept, known, strays, last, loaded)
    elif pack is not None:
        summarised = _Summarised(pack, rules, queries.base, project.root, known)
        documents, found = _load_documents(project.root, diags, cache, kept, known, ahead, strays, None, summarised,
                                           meanwhile)
    else:
        documents, found = _load_documents(project.root, diags, cache, kept, known, ahead, strays,
                                           loaded if kept is not None else None, meanwhile=meanwhile)
    salvaged = _validate(world, documents, diags, cache, queries, ahead)
    _unique_people(world, found, diags)
    world = dataclasses.replace(world, salvaged=frozenset(salvaged),
                                broken=frozenset(found.keys() - {f"{e.kind}:{e.id}" for e in world.entries()}),
                                told=frozenset(_told(found) - {f"{e.kind}:{e.id}" for e in world.entries()}))
    world = _resolve(world, diags, cache, queries, kept, ahead,
                     _StoredProbes(cache, known) if cache is not None and known else None)
    if pack is not None:
        if later is None:
            summarised.keep(world, ahead, cache)
        else:   # read by the next build only: none of this one's stages waits for it
            keep, making = summarised.keeping(world, ahead)
            if making >= KEEP_LATER_FROM:
                later.append(keep)
            else:   # a few (one hero edited): as cheap here as after the fork, the edit's path as it was
                keep()
    stray_kinds: dict[str, str] = {}
    stray_quests: dict[str, list] = {}
    strays = name_strays(project.root, unread_strays(strays, world), _KIND_MODELS, stray_kinds, stray_quests)
    strays += beside_content(project.root, _KIND_MODELS, stray_kinds, stray_quests)
    point_at_names(world, diags)
    point_at_strays(diags, strays, stray_kinds)
    point_at_unread_stories(diags, stray_quests)
    diags.extend(strays)
    queries.sweep()   # the answers of files edited or deleted since are not needed again
    if kept is not None:   # for the next save (a run that is not trusted empties it first: queries.py `shape`)
        kept.shape("load")["last"] = _LastLoad(queries.base, rules, loaded, ahead.validated, ahead.sheets,
                                               ahead.analyses) if loaded else None
    return world


@dataclass(frozen=True)
class _Loaded:
    """One entity file as the last load had it: the file as listed, its document (None:
    it did not load), what reading and parsing it reported, and its parse's key in the
    query table (None: no parse answer)."""

    file: FoundFile
    doc: Document | None
    diagnostics: tuple[Diagnostic, ...]
    key: tuple[str, str] | None


@dataclass(frozen=True)
class _LastLoad:
    """What the resident engine's last `load_world` asked of each file, with the keys of
    its answers (queries.py `reuse`): each file's parse (`files`, by path), and by
    entity its validation, sheet and analysis as `_Ahead` keeps them. Made under the
    table's `base` with the rule book `rules`: a load under others uses none of it."""

    base: str
    rules: RuleBook
    files: dict[str, _Loaded]
    validated: dict
    sheets: dict
    analyses: dict


def _load_documents(root: Path, diags: Diagnostics, cache: ParseCache | None = None,
                    queries: Queries | None = None, known: Mapping[str, str] | None = None,
                    ahead: _Ahead | None = None, held: list | None = None,
                    loaded: dict[str, _Loaded] | None = None,
                    summarised: _Summarised | None = None,
                    meanwhile: Callable[[], None] | None = None) -> tuple[list, dict[str, str]]:
    """The documents that loaded, and `kind:id` of every entity file found, with its
    path (`_found`). `ahead`
    validates each document as it loads (and each hero's sheet once the templates have):
    templates are parsed first. `held` receives the HF0105 warnings (a file in no place
    foundry reads) instead of `diags`: an image beside the heroes may be a portrait.
    `loaded` (with `queries`) receives each file's load by path (`_Loaded`), for the
    next trusted save; it is left empty when what the files reported cannot be told
    apart file by file. `summarised`: the heroes whose summaries hold are not loaded
    (their `_Hit`s stand among the documents, in the files' order), and what the
    others reported is kept there by file, for `_Summarised.replay`."""
    held = [] if held is None else held
    listed, files = _listed(root, diags, queries, held)
    if summarised is not None:
        return summarised.load(files, diags, cache, ahead, meanwhile), _found(listed)
    if ahead is not None:
        ahead.expect(files)
    found = Diagnostics() if loaded is not None else diags
    documents = load_documents(files, found, cache, queries=queries,   # on every core when many
                               prepare=_prepare_story, known=known, then=ahead, first=_template_file,
                               meanwhile=meanwhile)
    if loaded is not None:
        loaded.update(_by_file(files, documents, found.items, queries))
        diags.extend(found.items)
    if queries is not None:
        queries.settle({found.rel for found in files})   # every input file read: the watcher's word is spent
    return [doc for doc in documents if doc is not None], _found(listed)


def _found(listed: list[FoundFile]) -> dict[str, str]:
    """`kind:id` of every entity file listed (loaded or not), with its path."""
    return {f"{found.kind}:{found.id}": found.rel for found in listed}


def _told(found: dict[str, str]) -> set[str]:
    """`kind:id` of the ids the files of `found` whose name is no id are told to take
    (`Bram.yaml`, renamed so by case alone: HF0113 says "rename it to 'bram.yaml'"):
    not said unknown where they are named (World.told), or every `with: bram`
    naming it was also "unknown hero or character 'bram'", an error for each mention
    of a file that is there."""
    out = set()
    for key in found:
        kind, _, eid = key.partition(":")
        if eid != ANY_ID and not is_id(eid):
            told = spell_id(eid)
            if told:
                out.add(f"{kind}:{told}")
    return out


def _listed(root: Path, diags: Diagnostics, queries: Queries | None, held: list) -> tuple[list, list[FoundFile]]:
    """Every entity file listed (refused links too), and those to read."""
    found_here = Diagnostics()
    listed = _listing(queries, "entity files", discover, root, found_here)
    # "not read" of a file beside the entity files waits for the portraits (unread_strays)
    diags.extend(d for d in found_here.items if d.code != "HF0105")
    held.extend(d for d in found_here.items if d.code == "HF0105")
    return listed, [found for found in listed if not found.refused]   # links out: HF0120, never read


def _by_file(files: list[FoundFile], documents: list[Document | None], reported: list[Diagnostic],
             queries: Queries) -> dict[str, _Loaded]:
    """Each file's `_Loaded`, its diagnostics told apart by their path: load_documents
    reports file by file, in the files' order, each at its own file. Empty when the
    diagnostics are not exactly that (then nothing is taken from this load)."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in reported:
        groups.setdefault(d.span.path, []).append(d)
    if not groups.keys() <= {file.rel for file in files} or \
            [d for file in files for d in groups.get(file.rel, ())] != reported:
        return {}
    out = {}
    for file, doc in zip(files, documents):
        key = queries.key_of("parse", file, doc.source) if doc is not None else None
        out[file.rel] = _Loaded(file, doc, tuple(groups.get(file.rel, ())), key)
    return out


def _load_trusted(root: Path, diags: Diagnostics, cache: ParseCache | None, queries: Queries,
                  known: Mapping[str, str] | None, held: list, last: _LastLoad,
                  loaded: dict[str, _Loaded]) -> tuple[list[Document], dict[str, str]]:
    """`_load_documents` for a save the watcher is trusted for (queries.py `trust`: no
    file added, removed or renamed, only the named files' bytes may differ): a file it
    did not name is the last load's (its document and what it reported, one lookup,
    its parse answer kept by its key), a named one is read and parsed as any run does.
    What the load would ask of an unchanged file is what it asked last time: the same
    file object (the listing replayed), the same read (`kept_read`), so the same parse
    answer (found by identity). A file the last load does not hold is loaded."""
    listed, files = _listed(root, diags, queries, held)
    trusted, kept = queries.trusted or frozenset(), last.files
    documents = []
    for file in files:
        known_file = kept.get(file.rel)
        if known_file is None or known_file.file is not file or file.rel in trusted \
                or (known_file.key is not None and not queries.reuse(known_file.key)):
            found = Diagnostics()
            doc = load_documents([file], found, cache, queries=queries, prepare=_prepare_story, known=known)[0]
            known_file = _Loaded(file, doc, tuple(found.items),
                                 queries.key_of("parse", file, doc.source) if doc is not None else None)
        loaded[file.rel] = known_file
        diags.extend(known_file.diagnostics)
        if known_file.doc is not None:
            documents.append(known_file.doc)
    queries.settle({found.rel for found in files})
    return documents, _found(listed)


@dataclass(frozen=True)
class _Hit:
    """A hero loaded from its summary (resolve/summaries.py): among the documents, in
    its file's place, for `_validate` to put in the World where its document would."""

    entry: SummarisedEntry
    summary: Summary


def _summarisable(kind: str, eid: str) -> bool:
    """A hero or character file that reading reports nothing of (documents.read_source):
    a valid id, not a device name. Only its parse, validation and sheet (a character's
    attributes) are summarised."""
    return kind in ("hero", "character") and is_id(eid) \
        and eid not in WINDOWS_DEVICE_NAMES


# Summaries to make from which a CLI build makes them once its render workers are
# forked (load_world's `later`): a clean build's 10,000 heroes, ~0.5 CPU-s the builder
# spent alone before the fork (docs/performance.md clean32). Fewer (an edit's one) are
# made in the load, as before.
KEEP_LATER_FROM = 1000


class _Summarised:
    """`load_world` with the summary pack (resolve/summaries.py), in a fresh process that
    knows each file's hash: each hero whose summary holds is not read, parsed, validated
    nor its sheet decoded from the table (`load`: a `SummarisedEntry`, what each step
    reported replayed in its place); the other files load as before, and after the World
    is resolved each hero's summary is kept for the next build (`keep`)."""

    def __init__(self, pack: Pack, rules: RuleBook, base: str, root: Path, known: Mapping[str, str]) -> None:
        self.pack, self.rules, self.base, self.root, self.known = pack, rules, base, root, known
        # what loading each file that was loaded reported, by path (None: not known
        # file by file, and no summary is kept)
        self.parse: dict[str, list[Diagnostic]] | None = None
        self.hits: dict[tuple[str, str], Summary] = {}   # (kind, id) → the summary it was loaded from

    def load(self, files: list[FoundFile], diags: Diagnostics, cache: ParseCache | None, ahead: _Ahead,
             meanwhile: Callable[[], None] | None = None) -> list:
        """The documents of `files` that loaded and a `_Hit` for each summarised hero,
        in the files' order; what loading them reported added to `diags` in that order.
        `meanwhile`: as load_documents takes it (a CLI build's import of the exporters
        while the pool parses: without it they were imported alone after the pool,
        one core idle, docs/performance.md clean31)."""
        hits: dict[int, _Hit] = {}
        materialise = functools.partial(_materialise, self.rules, self.base, self.root, cache, os.getpid())
        for i, file in enumerate(files):
            sha256 = self.known.get(file.rel) if _summarisable(file.kind, file.id) else None
            summary = self.pack.get(file, sha256) if sha256 else None
            if summary is not None:
                entry = SummarisedEntry.made(file, SourceFile.settled(file.rel, sha256, file.path), summary.brief,
                                             materialise, summary.value)
                hits[i] = _Hit(entry, summary)
                self.hits[(file.kind, file.id)] = summary
        rest = [file for i, file in enumerate(files) if i not in hits]
        if hits and cache is not None:   # nothing pruned; a trusted table's rows looked up one by one
            cache.partial = True
            if cache.trusted:
                cache.single_limit = max(cache.single_limit, 8 * len(rest) + 64)
        ahead.expect(rest)
        for hit in hits.values():
            ahead.summarised(hit.entry, hit.summary)
        found = Diagnostics()
        documents = load_documents(rest, found, cache, prepare=_prepare_story, known=self.known, then=ahead,
                                   first=_template_file, meanwhile=meanwhile, foresee=ahead.foresee)
        groups = _grouped(rest, found.items)
        if groups is None:   # not told apart file by file: every file loaded, as without summaries
            if cache is not None:
                cache.partial = False
            self.hits = {}
            ahead.__init__(ahead.rules, ahead.queries, ahead.cache)
            ahead.expect(files)
            documents = load_documents(files, diags, cache, prepare=_prepare_story, known=self.known, then=ahead,
                                       first=_template_file)
            return [doc for doc in documents if doc is not None]
        self.parse = groups
        out: list = []
        loaded = iter(documents)
        for i, file in enumerate(files):
            hit = hits.get(i)
            if hit is not None:
                diags.extend(hit.summary.parse)
                out.append(hit)
                continue
            diags.extend(groups.get(file.rel, ()))
            doc = next(loaded)
            if doc is not None:
                out.append(doc)
        return out

    def keep(self, world: World, ahead: _Ahead, cache: ParseCache | None) -> None:
        """Each hero's and character's summary for the next build (its file's hash, what
        each step reported, its sheet or attributes and brief), and the pack written when
        it changed."""
        self.keeping(world, ahead)[0]()

    def keeping(self, world: World, ahead: _Ahead) -> tuple[Callable[[], None], int]:
        """`keep` in two steps: which summaries to make is found now (a pass over the
        tables of `ahead`, no encoding), and the call returned makes them and writes the
        pack. It holds the pack and what each summary is made of (the World's own
        entries, sheets and findings), not `ahead` nor the load's cache and query table:
        a CLI build calls it once its render workers are forked (load_world's `later`),
        and what the builder holds then each worker starts with (docs/performance.md
        clean32: +52 MiB of a clean build's peak with `ahead` held across the fork). With
        the call, how many summaries it makes."""
        if self.parse is None:
            return (lambda: None), 0
        # (entry, its brief or None: made from the entry, parse, validate, rescued, defaults key,
        #  sheet, problems, whether the sheet is a hero's to encode), in the order `put` is called
        puts: list[tuple] = []
        for hid, entry in world.heroes.items():
            made = ahead.sheets.get(hid)
            if made is None or made[0] is not entry:
                continue
            summary = self.hits.get(("hero", hid))
            if summary is not None and type(entry) is SummarisedEntry:
                if made[4] is not None:   # its sheet computed again: other template defaults
                    puts.append((entry, entry.brief, summary.parse, summary.validate, summary.rescued,
                                 ahead.defaults_key(made[1]), made[2], made[3], True))
                continue   # kept as read (its sheet not encoded for nothing: 10,000 a build)
            validated = ahead.validated.get(("hero", hid))
            if validated is None or validated[1][0] is not entry or validated[0] is not entry.doc:
                continue
            source = entry.doc.source
            if source.__dict__.get("_torn", False) or any(d.code == "HF0204" for d in validated[2]) \
                    or not _summarisable("hero", hid):
                continue   # changed while read; or a hint the World writes (`_name_the_ids`)
            puts.append((entry, None, tuple(self.parse.get(entry.path, ())), validated[2], validated[1][1],
                         ahead.defaults_key(made[1]), made[2], made[3], True))
        for cid, entry in world.characters.items():
            made = ahead.attributes.get(cid)
            if type(entry) is SummarisedEntry or made is None or made[0] is not entry:
                continue   # kept as read, or not known
            validated = ahead.validated.get(("character", cid))
            if validated is None or validated[1][0] is not entry or validated[0] is not entry.doc \
                    or entry.doc.source.__dict__.get("_torn", False) or any(d.code == "HF0204" for d in validated[2]) \
                    or not _summarisable("character", cid):
                continue
            puts.append((entry, None, tuple(self.parse.get(entry.path, ())), validated[2], validated[1][1], "",
                         dict(made[1]), made[2], False))
        return functools.partial(_keep_summaries, self.pack, puts), len(puts)


def _keep_summaries(pack: Pack, puts: list[tuple]) -> None:
    """The summaries `_Summarised.keeping` found to make, put into `pack` in its order
    (a hero's sheet encoded, a brief made from its entry where it has none), and the
    pack written when it changed."""
    for entry, brief, parse, validate, rescued, defaults, sheet, problems, encode in puts:
        pack.put(entry, brief if brief is not None else brief_of(entry), parse, validate, rescued, defaults,
                 SHEET_CODEC.encode(sheet) if encode else sheet, problems)
    pack.save()


def _grouped(files: list[FoundFile], reported: list[Diagnostic]) -> dict[str, list[Diagnostic]] | None:
    """What load_documents reported, by the path of the file it was reported at; None
    unless that is each file's, in the files' order (as `_by_file` finds)."""
    groups: dict[str, list[Diagnostic]] = {}
    for d in reported:
        groups.setdefault(d.span.path, []).append(d)
    rels = {file.rel for file in files}
    if not groups.keys() <= rels or [d for file in files for d in groups.get(file.rel, ())] != reported:
        return None
    return groups


def _materialise(rules: RuleBook, base: str, root: Path, cache: ParseCache | None, pid: int,
                 found: FoundFile, source: SourceFile) -> Entry:
    """A summarised hero's Entry, made as the full load makes it: its document parsed (or
    taken from the parse table), validated (or taken from the query store) under the
    load's rules and base. From the load's cache while it is open in the process that
    loaded, else from a reader of this process (a render worker, or after the save)."""
    with unwatched():   # what decoding reads of the file is not a read of the render asking (byte_reads.py)
        return _materialised(rules, base, root, cache, pid, found, source)


def _materialised(rules: RuleBook, base: str, root: Path, cache: ParseCache | None, pid: int,
                  found: FoundFile, source: SourceFile) -> Entry:
    if cache is None or cache.db is None or os.getpid() != pid:
        cache = _reader(root)
    doc = parse_document(found, source, Diagnostics(), cache)
    entry = None
    if doc is not None:
        table = Queries()
        table.begin(base, store=cache)
        table.persist("validate", ENTRY_CODEC)
        entry, _ = table.ask("validate", validate_entry, doc, rules, diags=Diagnostics(), cache=cache)
    if entry is None:
        # the file changed since it was hashed, and no longer loads (the next build
        # sees it by its hash): what can still be made of it
        if doc is None:
            doc = Document(found.kind, found.id, source, {}, _no_positions(found.rel))
        model = salvage_document(doc, Hero) or Hero.model_construct(name=found.id)
        entry = Entry(found.kind, found.id, model, doc)
    return entry


def _no_positions(rel: str):
    from ..load.yaml import Positions
    return Positions.stored(rel, "")


_readers: dict[int, ParseCache] = {}


def _reader(root: Path) -> ParseCache:
    """A parse cache of this process to decode summarised heroes from (never written)."""
    pid = os.getpid()
    reader = _readers.get(pid)
    if reader is None or reader.root != root:
        _readers.clear()   # a forked worker's copy of its parent's: not this process's to use
        reader = _readers[pid] = ParseCache(root)
        reader.once = True   # each hero is decoded once (SummarisedEntry keeps it): its rows let go as read
    return reader


def release_readers() -> None:
    """Let go of this process's reader (`_reader`) and the rows it read whole: the
    summarised heroes decoded from them keep what they decoded, and the render's
    workers, forked next, would each start with the rows' pages (~78 MiB at 10,000
    heroes after a `--release` switch: docs/performance.md mem32b). A hero
    materialised later reads the file again through a new reader."""
    _readers.clear()


def unread_strays(strays: list[Diagnostic], world: World) -> list[Diagnostic]:
    """The HF0105 warnings ("… is not read") of files nothing reads: an image in
    content/heroes/ that a hero or character names as its portrait is read (and
    published), so it is not said of it, nor of one that is a link to the image read
    (`content/heroes/rook.png -> ../../art/v1.png`: the asset's path is where it leads,
    World.portrait_routes the path named)."""
    used = {asset.path for asset in world.portraits.values()}
    used.update(posixpath.normpath(written) for written in world.portrait_routes)
    return [d for d in strays if d.span.path not in used]


def _config_digest(project: Project) -> str:
    """sha256 of foundry.toml's text (and of the settings the command line gave over
    it, Project.given); of the settings read instead when the file could not be read
    (load_project reported why, and checks the content with defaults)."""
    try:
        text = config_text(project.root)
    except (OSError, UnicodeDecodeError):
        text = "unreadable\0" + project.config.model_dump_json()
    # a setting the command line gave over the file's (`build --base-url`) changes what it draws
    text += "".join(f"\0{key}={value}" for key, value in project.given)
    return hashlib.sha256(text.encode()).hexdigest()


def _listing(queries: Queries | None, name: str, function: Callable, root: Path, diags: Diagnostics) -> Any:
    """`function(root, diags)`, through the resident engine's table when there is one
    (replayed while the watcher saw the tree keep its shape: queries.py `listing`)."""
    if queries is None:
        return function(root, diags)
    return queries.listing(name, function, root, diags=diags)


def _prepare_story(doc: Document, cache: ParseCache) -> None:
    """In a parse worker (load/workers.py): a story's scenes parsed into the cache, so
    the Markdown of a cold check's stories is parsed on every core, not in this
    process one story after another (the largest cost of validating them)."""
    if doc.kind == "story":
        parse_scenes_cached(doc, Diagnostics(), cache)


def _template_file(file: FoundFile) -> bool:
    return file.kind == "template"


class _Ahead:
    """Each document validated, and each hero's sheet computed, as soon as its file has
    loaded (load_documents' `then`): in this process while the parse workers still parse
    the rest, so the two cores are busy together instead of the workers first and this
    process after them (at 10,000 heroes the parent's validation and sheets were ~5
    CPU-s after the pool). The answers are the queries' own (`queries.ask`, same keys),
    and their diagnostics are kept apart: `_validate` and `_resolve` add them where
    they always did, in the World's order, so every message keeps its place. A sheet
    waits until every template file has been validated (they are parsed first), a
    story's analysis until every hero file has been (its players are heroes); an
    answer made from other inputs than the stage's (another entry, other defaults or
    players) is not used: the stage asks as before."""

    def __init__(self, rules: RuleBook, queries: Queries, cache: ParseCache | None,
                 project: Project | None = None) -> None:
        self.rules, self.queries, self.cache = rules, queries, cache
        # where each person's portrait leads, and the pixels of each image named by its
        # header, found as soon as the person is validated (`_portrait`), when `_portraits`
        # would find them in this run's `probed` alone (`project` given: a CLI run with
        # no kept table and no image hashes; a build and `foundry serve` keep theirs).
        # No image is decoded here: which are within the budget is known once every
        # person is (portrait_budget.py). Confined image path → its pixels.
        self.project = project
        self.probed: dict[Path, tuple] = {}
        self.pixels: dict[Path, int] = {}
        self._named: dict[Path, None] = {}
        # each answer with its key in the query table (a trusted save's next load takes
        # it from here as asked: `adopt`, queries.py `reuse`), and the answers the stages
        # asked themselves noted here too (`note`), so that the next load finds every one:
        # (kind, id) → (document, validate_entry's answer, its diagnostics, key)
        self.validated: dict[tuple[str, str], tuple[Document, tuple[Entry | None, bool], tuple, tuple]] = {}
        # hero id → (entry, template defaults, sheet — a StoredSheet when taken from the
        # hero's summary, decoded on first read —, its diagnostics, key)
        self.sheets: dict[str, tuple[Entry, TemplateDefaults, HeroSheet | StoredSheet, tuple, tuple]] = {}
        # story id → (entry, (its players, them at every level), whether they are unsure, analyse_story's answer, its diagnostics, key)
        self.analyses: dict[str, tuple[Entry, tuple[tuple[Player, ...], tuple], bool, StoryReport, tuple, tuple]] = {}
        self._templates: dict[int, Entry] = {}     # by file index: the World's order
        self._templates_left: set[int] = set()
        self._heroes_left: set[int] = set()        # hero files not handed over yet
        self._stories: list[Entry] = []            # waiting for every hero's sheet
        self._final_sheets: Sheets | None = None
        self._waiting: list[Entry] = []
        self._chains: dict[str | None, TemplateDefaults] = {}
        self._cyclic: set[str] | None = None
        # (kind, id) → the summary a hero or character was loaded from (resolve/summaries.py)
        self._summaries: dict[tuple[str, str], Summary] = {}
        self._defaults_keys: dict[int, tuple[TemplateDefaults, str]] = {}
        # character id → (entry, its attributes, what computing them reported), by `_resolve`
        self.attributes: dict[str, tuple[Entry, dict[str, int], tuple]] = {}

    def summarised(self, entry: SummarisedEntry, summary: Summary) -> None:
        """A person loaded from its summary: a hero's sheet is the summary's when made
        with the same template defaults (`_sheet`), once the templates are known."""
        self._summaries[(entry.kind, entry.id)] = summary
        if entry.kind != "hero":
            return
        if self._cyclic is None:
            self._waiting.append(entry)
        else:
            self._sheet(entry)

    def kept_attributes(self, entry: Entry) -> tuple[dict[str, int], tuple] | None:
        """A character's attributes and what computing them reported, from the summary it
        was loaded from (None: compute them)."""
        summary = self._summaries.get(("character", entry.id)) if type(entry) is SummarisedEntry else None
        values = summary.sheet if summary is not None else None
        if type(values) is not dict or not all(type(v) is int for v in values.values()):
            return None
        return values, summary.sheet_problems

    def defaults_key(self, defaults: TemplateDefaults) -> str:
        """summaries.defaults_key of a template chain's defaults, once per chain."""
        known = self._defaults_keys.get(id(defaults))
        if known is None or known[0] is not defaults:
            known = self._defaults_keys[id(defaults)] = (defaults, defaults_key(fingerprint(defaults)))
        return known[1]

    def adopt(self, last: _LastLoad) -> None:
        """The last load's answers, for a save the watcher is trusted for (`_load_trusted`):
        found by `entry`, `sheet` and `analysis` only for the very objects they were
        made from, so an edited file's (a new document, entry or players) is asked again."""
        self.validated, self.sheets, self.analyses = dict(last.validated), dict(last.sheets), dict(last.analyses)

    def note(self, table: str, name: str, value: tuple) -> None:
        """An answer a stage asked itself (`_validate`, `_resolve`), kept with its key."""
        getattr(self, table)[name] = (*value, self.queries.last_key)

    def foresee(self, documents: list[Document]) -> None:
        """load_documents' `foresee`: the validation row of each document, which
        `__call__` asks next, looked up together (load/cache.py `prefetch`)."""
        if self.cache is not None and self.cache.prefetches(len(documents)):
            self.cache.prefetch([key for doc in documents
                                 if (key := self.queries.row_key("validate", doc, self.rules)) is not None])

    def expect(self, files: list[FoundFile]) -> None:
        self._templates_left = {i for i, f in enumerate(files) if f.kind == "template"}
        self._heroes_left = {i for i, f in enumerate(files) if f.kind == "hero"}
        if not self._templates_left:
            self._cyclic = set()

    def __call__(self, index: int, doc: Document | None) -> None:
        if doc is None:   # a file that did not load: nothing to wait for
            self._templates_left.discard(index)
            self._heroes_left.discard(index)
            self._next()
            return
        found = Diagnostics()
        answer = self.queries.ask("validate", validate_entry, doc, self.rules, diags=found, cache=self.cache)
        self.validated[(doc.kind, doc.id)] = (doc, answer, tuple(found.items), self.queries.last_key)
        entry = answer[0]
        if self.project is not None and entry is not None and doc.kind in ("hero", "character"):
            self._portrait(entry)
        if doc.kind == "template":
            if entry is not None:
                self._templates[index] = entry
            self._templates_left.discard(index)
        elif doc.kind == "hero":
            if entry is not None and self._cyclic is None:
                self._waiting.append(entry)
            elif entry is not None:
                self._sheet(entry)
            self._heroes_left.discard(index)
        elif doc.kind == "story" and entry is not None:
            self._stories.append(entry)
        self._next()

    def _next(self) -> None:
        """What waited and can be done now."""
        if not self._templates_left and self._cyclic is None:
            self._cyclic = check_templates(self._ordered_templates(), Diagnostics())   # reported by _resolve
            for hero in self._waiting:
                self._sheet(hero)
            self._waiting.clear()
        if self._stories and not self._heroes_left and self._cyclic is not None:
            for story in self._stories:   # every hero's sheet is known: who plays it is
                self._analyse(story)
            self._stories.clear()

    def _portrait(self, entry: Entry) -> None:
        """Where the person's portrait leads (`_located`, in the `probed` `_portraits`
        takes) and its image's pixels by its header (portrait_budget.header_pixels), beside
        the parse workers. Nothing is probed here: which images are within the picture
        budget is known once every person is, and `_portraits` probes those."""
        ref = portrait_of(entry)
        if ref is None or _absolute(ref):
            return
        resolved, is_file, _ = _located(self.project, entry.path, ref, self.probed)
        if is_file and resolved not in self._named:
            self._named[resolved] = None
            # counted once so many are named that the budget may refuse one (past_budget)
            if len(self._named) * MAX_PIXELS > picture_pixels():
                for path in self._named.keys() - self.pixels.keys():
                    self.pixels[path] = header_pixels(path)

    def _ordered_templates(self) -> dict[str, Entry]:
        return {e.id: e for _, e in sorted(self._templates.items())}

    def _sheet(self, entry: Entry) -> None:
        name = template_of(entry)
        defaults = self._chains.get(name)
        if defaults is None:
            defaults = self._chains[name] = self.queries.intern(
                template_defaults(name, self._ordered_templates(), self._cyclic or set()))
        summary = self._summaries.get(("hero", entry.id))
        if summary is not None and summary.defaults == self.defaults_key(defaults):
            # decoded on its first read (a few hundred of 10,000 before a build renders:
            # the stories' players); no key: the table was not asked
            self.sheets[entry.id] = (entry, defaults, StoredSheet(summary.sheet, (entry, self.rules, defaults)),
                                     summary.sheet_problems, None)
            return
        found = Diagnostics()
        sheet = self.queries.ask("sheet", compute_hero, entry, self.rules, defaults, diags=found)
        self.sheets[entry.id] = (entry, defaults, sheet, tuple(found.items), self.queries.last_key)

    def _analyse(self, entry: Entry) -> None:
        """The story's analysis as _resolve would ask it, its players found as
        players_for finds them (from the sheets made here: every hero's, by now)."""
        if self._final_sheets is None:   # made once: no sheet is added after the last hero
            self._final_sheets = Sheets((hid, made[2]) for hid, made in self.sheets.items())
        players = tuple(_players(entry.model, self._final_sheets, self.rules))
        unsure = players_unsure(entry, self._final_sheets, self.rules,
                                lambda hid: played_in_doubt(*self.sheets[hid][:2], self.rules))
        levels = level_players(entry, self._final_sheets, self.rules)
        found = Diagnostics()
        report = self.queries.ask("analysis", analyse_story, entry, self.rules, players, unsure, levels, diags=found,
                                  cache=self.cache)
        self.analyses[entry.id] = (entry, (players, levels), unsure, report, tuple(found.items), self.queries.last_key)

    def _kept(self, key: tuple | None) -> bool:
        """Whether the answer under `key` is still the table's, taken for this run
        (`reuse`); None: a sheet taken from a hero's summary, not from the table."""
        return key is None or self.queries.reuse(key)

    def analysis(self, entry: Entry, players: tuple[Player, ...], unsure: bool,
                 levels: tuple[tuple[Player, ...], ...]) -> tuple[StoryReport, tuple] | None:
        """The story's report and its diagnostics, if made ahead for this entry and these
        players (and these players at every level: level_players)."""
        known = self.analyses.get(entry.id)
        if known is None or known[0] is not entry or known[2] is not unsure or known[1] != (players, levels) \
                or not self._kept(known[5]):
            return None
        return known[3], known[4]

    def entry(self, doc: Document) -> tuple[tuple[Entry | None, bool], tuple] | None:
        """validate_entry's answer for `doc` and its diagnostics, if made ahead for it."""
        known = self.validated.get((doc.kind, doc.id))
        return (known[1], known[2]) if known is not None and known[0] is doc and self._kept(known[3]) else None

    def sheet(self, entry: Entry, defaults: TemplateDefaults) -> tuple[HeroSheet, tuple] | None:
        """The hero's sheet and its diagnostics, if made ahead from this entry and these defaults."""
        known = self.sheets.get(entry.id)
        if known is None or known[0] is not entry or (known[1] is not defaults and known[1] != defaults) \
                or not self._kept(known[4]):
            return None
        return known[2], known[3]


def _validate(world: World, documents: list[Document], diags: Diagnostics,
              cache: ParseCache | None, queries: Queries, ahead: _Ahead | None = None) -> set[str]:
    """Fills the entity tables of the World being built; returns the salvaged `kind:id`s."""
    salvaged: set[str] = set()
    before = len(diags.items)
    tables = {"hero": world.heroes, "character": world.characters, "quest": world.quests,
              "template": world.templates, "story": world.stories}
    for doc in documents:
        if type(doc) is _Hit:   # a person loaded from its summary: what validating it reported
            diags.extend(doc.summary.validate)
            if doc.summary.rescued:
                salvaged.add(f"{doc.entry.kind}:{doc.entry.id}")
            tables[doc.entry.kind][doc.entry.id] = doc.entry
            continue
        made = ahead.entry(doc) if ahead is not None else None
        if made is not None:
            (entry, rescued), found = made
            diags.extend(found)
        elif ahead is not None:
            found_here = Diagnostics()
            answer = queries.ask("validate", validate_entry, doc, world.rules, diags=found_here, cache=cache)
            diags.extend(found_here.items)
            ahead.note("validated", (doc.kind, doc.id), (doc, answer, tuple(found_here.items)))
            entry, rescued = answer
        else:
            entry, rescued = queries.ask("validate", validate_entry, doc, world.rules, diags=diags, cache=cache)
        if rescued:
            salvaged.add(f"{doc.kind}:{doc.id}")
        if entry is not None:
            tables[doc.kind][doc.id] = entry
    _name_the_ids(world, documents, diags, before)
    return salvaged


def _id_fields(world: World) -> dict[tuple[str, tuple], tuple[Callable[[], Any], str]]:
    """Every field naming an entity or a rule, by (document kind, field path without
    list indexes): where its ids are, and where they are defined."""
    people = "Heroes and characters live in content/heroes/ and content/characters/."
    quests = "Quests live in content/quests/."
    heroes = "Heroes live in content/heroes/."
    kinds = lambda: world.rules.relationship_kinds   # noqa: E731 (each is asked only for a malformed id)
    fields = {("template", ("extends",)): (lambda: world.templates, TEMPLATES_HINT),
              ("template", ("skills",)): (lambda: world.rules.skills, SKILLS_HINT),
              ("quest", ("giver",)): (world.people, people),
              ("quest", ("prerequisites",)): (lambda: world.quests, quests),
              ("story", ("protagonist",)): (lambda: world.heroes, heroes),
              ("story", ("heroes",)): (lambda: world.heroes, heroes),
              ("story", ("characters",)): (world.people, people),
              ("story", ("quests",)): (lambda: world.quests, quests)}
    for kind in ("hero", "character"):
        fields[(kind, ("relationships", "with"))] = (world.people, people)
        fields[(kind, ("relationships", "kind"))] = (kinds, KINDS_HINT)
    fields[("hero", ("template",))] = (lambda: world.templates, TEMPLATES_HINT)
    fields[("hero", ("skills",))] = (lambda: world.rules.skills, SKILLS_HINT)
    return fields


# Unknown references (HF0301 hero, HF0302 hero or character, HF0303 quest, HF0305
# template) and the World table each names.
_REFERENCED = {"HF0301": lambda w: w.heroes, "HF0302": lambda w: w.people(), "HF0303": lambda w: w.quests,
               "HF0305": lambda w: w.templates}


def point_at_names(world: World, diags: Diagnostics, since: int = 0) -> None:
    """Give each unknown reference among `diags` from `since` on that is the name of an
    entity of its kind (spelt as an id: `protagonist: rook-amsel`) the hint naming that
    entity's id (validate/documents.py `display_name_hint`)."""
    tables: dict[str, Any] = {}   # each made once (`people()` is a new table each call)
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        table = _REFERENCED.get(diag.code)
        said = re.search(r"'([^'\n]{1,200})'$", diag.message) if table is not None else None
        if said is not None and diag.code not in tables:
            tables[diag.code] = table(world)
        named = display_name_hint(said.group(1), tables[diag.code]) if said is not None else None
        if named is not None:
            diags.items[n] = dataclasses.replace(diag, hint=named)


def _name_the_ids(world: World, documents: list[Document], diags: Diagnostics, since: int) -> None:
    """The hint of each value not written as an id (HF0204, validate/documents.py) in
    a field naming an entity or a rule, among the diagnostics from `since` on: the
    existing id nearest to it, not the written value lowercased (`template: SCUOT`:
    `scout`, never `scuot`). Validation cannot say it (it sees one file, and its answer
    is kept per file); the World, whose tables are now filled, can."""
    fields = by_path = None
    made: dict[Any, Any] = {}
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        if diag.code != "HF0204":
            continue
        if by_path is None:   # made only when there is such a problem: 10,000 files have none
            by_path = {doc.path: doc for doc in documents if type(doc) is not _Hit}
        doc = by_path.get(diag.span.path)
        found = malformed_id(diag, doc.data) if doc is not None else None
        if found is None:
            continue
        fields = _id_fields(world) if fields is None else fields
        known = fields.get((doc.kind, tuple(p for p in found[0] if not isinstance(p, int))))
        story = world.stories.get(doc.id) if doc.kind == "story" and found[0] == ("start",) else None
        if story is not None:   # `start: The Fog Road`, the start scene's title
            named = display_name_hint(found[1], story.model.scenes, SCENE_ID, "title")
            if named is not None:
                diags.items[n] = dataclasses.replace(diag, hint=named)
        elif known is not None:
            table = made.get(known[0]) or made.setdefault(known[0], known[0]())   # once per field, not per value
            named = display_name_hint(found[1], table)
            diags.items[n] = dataclasses.replace(diag, hint=named or id_hint(found[1], table, known[1]))
        elif doc.kind == "quest" and found[0][::2] == ("objectives", "id"):
            # an objective's own id: the hint names one no other objective of the quest has
            others = [o.get("id") for i, o in enumerate(doc.data.get("objectives") or [])
                      if isinstance(o, dict) and i != found[0][1]]
            diags.items[n] = dataclasses.replace(diag, hint=id_hint(found[1], taken={str(o) for o in others}))


def validate_entry(doc: Document, rules: RuleBook, diags: Diagnostics,
                   cache: ParseCache | None = None) -> tuple[Entry | None, bool]:
    """One document as a typed entry (None when nothing could be made of it), and
    whether it failed validation and was salvaged so the rest could be checked. Its
    hints' near names share one budget (diagnostics.near_budget): what they say is the
    document's alone, as its validation is kept."""
    with near_budget():
        return _validate_entry(doc, rules, diags, cache)


def _validate_entry(doc: Document, rules: RuleBook, diags: Diagnostics,
                    cache: ParseCache | None = None) -> tuple[Entry | None, bool]:
    report_duplicates(doc, diags)
    since = len(diags.items)
    if doc.kind == "story":
        entry = load_story(doc, rules, diags, cache)
        _name_other_kind(doc, diags, since)
        return entry, entry is not None and entry.model.salvaged
    model, rescued = validate_document(doc, MODELS[doc.kind], diags), False
    if model is None:  # check the rest of the file and whoever names it
        _name_other_kind(doc, diags, since)
        model, rescued = salvage_document(doc, MODELS[doc.kind]), True
    if model is None:
        return None, rescued
    model, inline_html = load_titles(doc, model, diags)   # names and titles: plain text in the model, HTML beside it
    entry = Entry(doc.kind, doc.id, model, doc, inline_html)
    if doc.kind == "character" and model.background:   # (a hero's, with its templates' prompts: its sheet)
        report_unanswered(entry, (), diags)
    elif doc.kind == "quest":
        report_unanswered_objectives(entry, diags)
    return entry, rescued


# Every kind's model, for telling a file in the wrong folder by the fields it has.
_KIND_MODELS = {**MODELS, "story": StoryFront}


def _name_other_kind(doc: Document, diags: Diagnostics, since: int) -> None:
    """When a file's unknown fields are all another kind's (a hero in content/characters/,
    a template in heroes/), its HF0202s since `since` say which kind and which folder,
    instead of listing fields the file was never meant to have."""
    if not any(d.code == "HF0202" for d in diags.items[since:]):
        return
    found = other_kind(doc.data, _KIND_MODELS[doc.kind], {k: m for k, m in _KIND_MODELS.items() if k != doc.kind})
    if found is None:
        return
    kind, keys = found
    hint = f"{looks_like_kind('This file', kind, keys)}: {kind_home(kind)}. Move it there."
    at = {doc.positions.key((k,)) for k in keys}
    for n in range(since, len(diags.items)):
        diag = diags.items[n]
        if diag.code == "HF0202" and diag.span in at:
            diags.items[n] = dataclasses.replace(diag, hint=hint)


def _encode_entry(answer: tuple[Entry | None, bool]) -> Any:
    """validate_entry's answer as JSON data: the model's fields as set (plain titles
    included) and its titles' HTML; a story's checked scenes, expressions and scope by
    stories/story_codec.py (one whose front matter was salvaged is not kept)."""
    entry, rescued = answer
    if entry is None:
        return {"entry": None, "rescued": rescued}
    if entry.kind == "story":
        story = story_codec.encode(entry.model)
        return None if story is None else {"story": story, "rescued": rescued}
    if entry.kind not in MODELS:
        return None
    return {"entry": {"model": entry.model.model_dump(exclude_unset=True),
                      "html": [[list(loc), html] for loc, html in entry.inline_html.items()]},
            "rescued": rescued}


def _decode_entry(data: Any, inputs: tuple) -> tuple[Entry | None, bool]:
    """What _encode_entry kept, for `inputs` = (document, rules). The model is validated
    again from its stored fields: pydantic's core does that faster than building nested
    models with `model_construct` and a walker in Python (measured at 2,000 heroes:
    56 ms against ~100 ms), and a stored value it would not accept is a miss."""
    doc = inputs[0]
    rescued = data["rescued"]
    if not isinstance(rescued, bool):
        raise TypeError("not a stored entry")
    if doc.kind == "story" and "story" in data:
        return Entry("story", doc.id, story_codec.decode(data["story"], doc, inputs[1]), doc), rescued
    stored = data["entry"]
    if stored is None:
        return None, rescued
    model = MODELS[doc.kind].model_validate(stored["model"])   # ValidationError is a ValueError
    html = {}
    for loc, text in stored["html"]:
        if not isinstance(text, str) or not all(isinstance(p, (str, int)) for p in loc):
            raise TypeError("not a stored title")
        html[tuple(loc)] = text
    return Entry(doc.kind, doc.id, model, doc, MappingProxyType(html)), rescued


ENTRY_CODEC = Codec(_encode_entry, _decode_entry)


def _unique_people(world: World, found: Mapping[str, str], diags: Diagnostics) -> None:
    """Heroes and characters share one namespace: stories and relationships name either.
    Told from the files `found` (`kind:id` → path), not the entities that loaded: a
    file names its id whatever it holds, so a hero's file refused whole (a key written
    twice) no longer hid the clash until it was fixed."""
    for key, path in found.items():
        kind, _, cid = key.partition(":")
        hero = found.get(f"hero:{cid}") if kind == "character" and cid != ANY_ID else None
        if hero is not None:
            diags.add("HF0107", f"'{cid}' is both a hero ({hero}) and a character",
                      Span(path, 1, 1), hint="Rename one of the two files.")


def _resolve(world: World, diags: Diagnostics, cache: ParseCache | None, queries: Queries,
             kept: Queries | None = None, ahead: _Ahead | None = None,
             stored: _StoredProbes | None = None) -> World:
    # Order matters: templates before heroes (heroes merge them), heroes before stories
    # (a story is analysed as played by its heroes), stories before quests (objectives
    # wait on story variables).
    cyclic = check_templates(world.templates, diags)
    check_template_rules(world.templates, world.rules, diags, cyclic)
    chains: dict[str | None, TemplateDefaults] = {}   # 10,000 heroes share a few templates
    for hid, entry in world.heroes.items():
        _template_ref(entry, world, diags)
        name = template_of(entry)
        defaults = chains.get(name)
        if defaults is None:   # the last run's object when equal: the sheet's key is then found by identity
            defaults = chains[name] = queries.intern(template_defaults(name, world.templates, cyclic))
        # the sheet itself is kept (the query store), so the derived-stats rows of the
        # parse cache (heroes/sheet.py derived_cached) would only be 10,000 more rows to
        # verify and decode on every run
        made = ahead.sheet(entry, defaults) if ahead is not None else None
        if made is not None:   # computed while the files were parsed
            world.sheets[hid] = made[0]
            diags.extend(made[1])
        elif ahead is not None:
            found = Diagnostics()
            world.sheets[hid] = queries.ask("sheet", compute_hero, entry, world.rules, defaults, diags=found)
            diags.extend(found.items)
            ahead.note("sheets", hid, (entry, defaults, world.sheets[hid], tuple(found.items)))
        else:
            world.sheets[hid] = queries.ask("sheet", compute_hero, entry, world.rules, defaults, diags=diags)
    for cid, entry in world.characters.items():
        kept_attributes = ahead.kept_attributes(entry) if ahead is not None else None
        if kept_attributes is not None:   # from its summary
            world.character_attributes[cid] = kept_attributes[0]
            diags.extend(kept_attributes[1])
            continue
        found = Diagnostics()
        world.character_attributes[cid] = effective_attributes(
            entry.model, entry, world.rules, template_defaults(None, {}, set()), found)
        diags.extend(found.items)
        if ahead is not None:
            ahead.attributes[cid] = (entry, world.character_attributes[cid], tuple(found.items))
    _portraits(world, diags, kept, stored, ahead)   # images by their stat in a kept table, else by their hash
    # each person's edges kept by the resident engine under their Entry and those they name
    world = dataclasses.replace(world, relationships=resolve_relationships(
        world.people(), world.rules, diags, world.broken | world.told,
        kept.shape("relationships") if kept is not None else None))
    # the near names of the stories' unknown people and quests share one budget: checked
    # every time for every story, none kept, 2,000 stories each naming a slip among 2,000
    # characters were 2,000 × 2,000 comparisons
    with near_budget():
        for entry in world.stories.values():
            _story_refs(entry, world, diags)
    # who plays each story, by the quests' requirements (None: no hero named, or not sure)
    played: dict[str, tuple[HeroSheet, ...] | None] = {}
    for sid, entry in world.stories.items():
        players = tuple(players_for(entry.model, world))
        unsure = players_unsure(entry, world.sheets, world.rules,
                                lambda hid: played_in_doubt(world.heroes[hid], chains[template_of(world.heroes[hid])],
                                                            world.rules))
        # a hero whose file (or template) has a value left out is not judged by a quest either
        played[sid] = None if unsure or any(
            p.hero is None or played_in_doubt(world.heroes[p.hero], chains[template_of(world.heroes[p.hero])],
                                              world.rules) for p in players) else tuple(world.sheets[p.hero] for p in players)
        levels = level_players(entry, world.sheets, world.rules)
        analysed_ahead = ahead.analysis(entry, players, unsure, levels) if ahead is not None else None
        if analysed_ahead is not None:   # analysed while the last files were parsed
            world.story_reports[sid] = analysed_ahead[0]
            diags.extend(analysed_ahead[1])
        elif ahead is not None:
            found = Diagnostics()
            world.story_reports[sid] = queries.ask("analysis", analyse_story, entry, world.rules, players, unsure,
                                                   levels, diags=found, cache=cache)
            diags.extend(found.items)
            ahead.note("analyses", sid, (entry, (players, levels), unsure, world.story_reports[sid],
                                         tuple(found.items)))
        else:
            world.story_reports[sid] = queries.ask("analysis", analyse_story, entry, world.rules, players,
                                                   unsure, levels, diags=diags, cache=cache)
    never = {sid: {("scene", f.scene) if f.code == "HF0504" else ("choice", f.choice)
                   for f in r.findings if f.code in ("HF0504", "HF0505")}
             for sid, r in world.story_reports.items()}
    # the near names of the quests' slips (a giver who is no one, a prerequisite that is
    # no quest, an objective's variable) share one budget, as the stories' references do:
    # checked every time, none kept, 600 quests each with a slip among 600 ids were
    # 600 x 600 comparisons twice over (~127 million lines of difflib)
    with near_budget():
        world = dataclasses.replace(world, quest_links=resolve_quests(
            world.quests, world.stories, set(world.people()), world.rules, diags, world.broken | world.told, never,
            {sid: r.held for sid, r in world.story_reports.items()}, played,
            {sid: r.rows for sid, r in world.story_reports.items()}))
    return dataclasses.replace(world, appearances=find_appearances(world))


def find_appearances(world: World) -> dict[str, Appearances]:
    stories: dict[str, list[tuple[str, str]]] = {}
    cast: dict[str, set[str]] = {}                     # story id → everyone in it
    for sid, entry in world.stories.items():
        front = entry.model.front
        parts = {pid: "character" for pid in front.characters} | {pid: "hero" for pid in front.heroes}
        if front.protagonist:
            parts[front.protagonist] = "protagonist"
        cast[sid] = set(parts)
        for pid, part in parts.items():
            stories.setdefault(pid, []).append((sid, part))
    quests: dict[str, list[tuple[str, str]]] = {}
    for qid, entry in world.quests.items():
        giver, links = entry.model.giver, world.quest_links.get(qid)
        people = {pid for sid in (links.stories if links else ()) for pid in cast.get(sid, ())}
        for pid in sorted(people | ({giver} if giver else set())):
            quests.setdefault(pid, []).append((qid, "giver" if pid == giver else "story"))
    return {pid: Appearances(tuple(sorted(stories.get(pid, ()))), tuple(sorted(quests.get(pid, ()))))
            for pid in sorted(set(stories) | set(quests))}


def _template_ref(entry: Entry[Hero], world: World, diags: Diagnostics) -> None:
    name = template_of(entry)
    if name and name not in world.templates and not world.exists("template", name):   # 10,000 heroes, a few templates
        diags.add("HF0305", f"unknown template '{name}'", entry.span("template"),
                  hint=suggestion(name, world.templates, TEMPLATES_HINT))


def _portraits(world: World, diags: Diagnostics, queries: Queries | None = None,
               stored: _StoredProbes | None = None, ahead: _Ahead | None = None) -> None:
    # many heroes share one image: open each file once (`ahead`'s, when it found some)
    probed: dict[Path, tuple] = ahead.probed if ahead is not None and ahead.project is not None else {}
    # where each reference leads, kept by the resident engine while the tree keeps its shape
    located = queries.shape("located images") if queries is not None else None
    # each person's Asset and what resolving it reported, kept by the resident engine
    # under the person's Entry object (the same object while its file is unchanged): a
    # trusted save (queries.py `trust`: only the entity files the watcher named changed,
    # no file added, removed or renamed, no image written) makes again only the edited
    # people's, not 10,000 Assets (~0.03 CPU-s a save at 10,000 heroes). Emptied with the
    # shape by any other run, which an image's edit always is (it is not an entity file).
    kept = queries.shape("portraits") if queries is not None else None
    people: dict[str, Entry] = {}   # world.people() flat, in its order: a ChainMap's items are
    for table in (world.characters, world.heroes):   # ~5 us each in Python at 10,000 heroes
        people.update(table)
    # every image named, before any is decoded: those past the picture budget are
    # refused at each line naming them and never probed (portrait_budget.py)
    named: list[tuple[str, Entry, str, tuple | None]] = []   # with where each leads (`_located`), found once
    files: dict[str, Path] = {}
    awaited: set[str] = set()   # the paths named that hold no file
    routes: dict[str, str] = {}   # World.portrait_routes
    routed: set[str] = set()   # World.portrait_routed
    written_as: dict[tuple[str, str], tuple[str, str] | None] = {}   # (folder, ref) → its route, if any
    for pid, entry in people.items():
        ref = portrait_of(entry)
        if ref is None:
            continue
        known = kept.get(pid) if kept is not None else None
        if known is not None and known[0] is entry:   # a trusted save: its Asset kept, its file as it was
            place = (known[1].absolute, True, known[1].path)
        else:
            place = None if _absolute(ref) else _located(world.project, entry.path, ref, probed, located)
        named.append((pid, entry, ref, place))
        if place is not None and place[1]:
            files[place[2]] = place[0]
        elif place is not None and place[0] is not None:   # named, not a file (yet): HF0306
            awaited.add(place[0].relative_to(world.project.real_root).as_posix())
        if place is not None and place[0] is not None:
            # once per folder and reference, as `_located` (10,000 heroes name a few images)
            key = (entry.path.rpartition("/")[0], ref)
            if key not in written_as:
                written = posixpath.join(key[0], ref)
                rel = place[2] or place[0].relative_to(world.project.real_root).as_posix()
                # a link on the way (`..` alone leads where it reads), or one a `..` folds
                # away: `l/../wen.png` reads as wen.png while l -> sub, and leads to
                # deep/wen.png once l -> ../../deep/a, its file and every input unchanged
                written_as[key] = (written, rel) if posixpath.normpath(written) != rel or turns_back(ref.split("/")) else None
            if written_as[key] is not None:
                routes[written_as[key][0]] = written_as[key][1]
                routed.add(pid)
    # each image's pixels by its header: found ahead, or kept by the resident engine
    # as `located` is (a trusted save wrote no image; any other run empties it)
    counted = ahead.pixels if ahead is not None and ahead.project is not None \
        else queries.shape("portrait pixels") if queries is not None else {}
    world.portrait_files[:] = sorted(awaited.union(files))
    world.portrait_routes.clear()
    world.portrait_routes.update(routes)
    world.portrait_routed.clear()
    world.portrait_routed.update(routed)
    refused = past_budget(files, functools.partial(_pixels, counted, queries, stored))
    if kept is not None:   # an Asset kept under another verdict (another image named, the limit changed) is not
        budget = queries.shape("portrait budget")
        if budget.get("refused") != refused:
            kept.clear()
            budget["refused"] = refused
    seen: set[str] = set()
    for pid, entry, ref, place in named:
        known = kept.get(pid) if kept is not None else None
        if known is not None and known[0] is entry:
            asset, problems = known[1], known[2]
            diags.extend(problems)
        elif kept is None:
            asset = resolve_asset(world.project, entry, ref,
                                  functools.partial(entry.span, "portrait"), diags, probed, queries, located,
                                  stored, refused, place)
        else:
            found = Diagnostics()
            asset = resolve_asset(world.project, entry, ref,
                                  functools.partial(entry.span, "portrait"), found, probed, queries, located,
                                  refused=refused, place=place)
            diags.extend(found.items)
            # only an image under the watched inputs: one elsewhere in the project could
            # change or go without the watcher seeing it (as `_located` keeps its answers)
            if asset is not None and asset.path.split("/", 1)[0] in PROJECT_INPUTS:
                kept[pid] = (entry, asset, tuple(found.items))
            else:
                kept.pop(pid, None)
        if kept is not None:
            seen.add(pid)
        if asset is not None:
            world.portraits[pid] = asset
    if kept is not None:   # people removed, or who no longer show a portrait
        for gone in kept.keys() - seen:
            del kept[gone]


def _absolute(ref: str) -> bool:
    """Whether a reference is an absolute path or a URL (HF0307, never looked for)."""
    return ref.startswith(("/", "\\")) or ":" in ref.split("/")[0]


def _leaves_on_windows(path: str, ref: str) -> bool:
    """Whether `ref`, written in the content file `path` with `\\` between its parts,
    leads outside the project read as Windows reads it (each `\\` a `/`), by its
    parts alone (nothing is looked at)."""
    import posixpath
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), ref.replace("\\", "/")))
    return joined == ".." or joined.startswith("../")


def _pixels(counted: dict[Path, int], queries: Queries | None, stored: _StoredProbes | None,
            resolved: Path, rel: str) -> int:
    """The pixels of the image at `resolved` by its header (portrait_budget.header_pixels),
    kept as its probe is (`resolve_asset`): found ahead or kept by the resident engine
    (`counted`), by the image's hash in the parse cache (`stored`: a build), by its stat
    in the resident table (`queries`)."""
    if resolved in counted:
        return counted[resolved]
    if stored is not None and queries is None:
        pixels = stored.pixels(resolved, rel)
    else:
        signature = _settled(resolved) if queries is not None else None
        pixels = header_pixels(resolved) if signature is None else \
            queries.ask("image pixels", _header_pixels, str(resolved), signature, diags=Diagnostics())
    # the resident engine keeps an image's under the watched inputs only (as `_located`)
    if queries is None or rel.split("/", 1)[0] in PROJECT_INPUTS:
        counted[resolved] = pixels
    return pixels


def resolve_asset(project: Project, entry: Entry, ref: str, where: Span | Callable[[], Span], diags: Diagnostics,
                  probed: dict | None = None, queries: Queries | None = None,
                  located: dict | None = None, stored: _StoredProbes | None = None,
                  refused: Mapping[Path, int] | None = None, place: tuple | None = None) -> Asset | None:
    """A path written in a content file, relative to that file, confined to the project.
    `where` is the reference's span, or a function giving it (found only for a
    diagnostic). `probed` remembers images within one run; `queries` (kept by
    `foundry serve`) across runs, by the image's stat; `located` (queries.py `shape`)
    where references lead to files under the watched inputs, across runs while the
    file watcher sees the tree keep its shape; `stored` (a CLI run) across runs in
    the parse cache, by the image's hash as the build took it. `refused`: the images
    past the portraits' picture budget (portrait_budget.past_budget), never probed;
    `place`: where `ref` leads (`_located`'s answer), when the caller found it already."""
    found_span: list[Span] = [where] if isinstance(where, Span) else []

    def span() -> Span:
        if not found_span:
            found_span.append(where())
        return found_span[0]

    if "\0" in ref:
        return None   # no file is so named: HF0131 said the control character (a NUL, a YAML "\0")
    if _absolute(ref):
        diags.add("HF0307", f"'{ref[:80]}' is an absolute path or URL; write a path relative to this file", span(),
                  hint=_meant_from_elsewhere(project, entry.path, ref))
        return None
    if "\\" in ref and _leaves_on_windows(entry.path, ref):
        # `..\\..\\..\\outside\\p.png` is one odd file name here, so it "does not exist"
        # (HF0306); on Windows, where the same commit is built too, it leaves the project
        diags.add("HF0307", f"'{ref[:80]}' points outside the project (Windows reads each `\\` as `/`)", span(),
                  hint="Write the path with `/`, relative to this file, to an image inside the project.")
        return None
    probed = {} if probed is None else probed
    resolved, is_file, rel = place if place is not None else _located(project, entry.path, ref, probed, located)
    if resolved is None:
        # where it leads, as HF0120 says of a link: `../../build/site/media/x.png` is in
        # the project the writer sees, and 'outside the project' sent them looking there
        why = boundary(project.root).why((project.root / entry.path).parent / ref)
        if why == "own":
            diags.add("HF0307", f"'{ref[:80]}' points into foundry's own folders (build/, .foundry-cache/, …)", span(),
                      hint="Those folders hold what a build wrote (a clean build has none of it): name the image "
                           "it was made from, under content/.")
        elif why == "git":
            diags.add("HF0307", f"'{ref[:80]}' points into .git", span(),
                      hint="Git's own files are never content: name an image under content/.")
        elif why == "loop":
            diags.add("HF0307", f"'{ref[:80]}' leads through symbolic links round in a loop", span(),
                      hint="A link on the way leads back to itself and names no file: name the image itself.")
        else:
            diags.add("HF0307", f"'{ref[:80]}' points outside the project", span())
        return None
    if not is_file:
        if resolved.is_dir():
            diags.add("HF0306", f"'{ref[:80]}' is a folder, not an image", span(),
                      hint="Name the image file inside it, e.g. '" + ref.rstrip("/")[:60] + "/portrait.png'.")
        elif (what := _special(resolved)) is not None:
            # a FIFO, socket or device is there, never opened (a read could wait forever):
            # 'does not exist' sent the writer to look for a file they could see (outside
            # the inputs, where no HF0125 is said at it, that was all they were told)
            diags.add("HF0306", f"'{ref[:80]}' is {what}, not an image file: foundry does not read it", span(),
                      hint="Put the image file itself in its place.")
        else:
            diags.add("HF0306", f"'{ref[:80]}' does not exist", span(),
                      hint=_spelt_otherwise(project, entry.path, ref) or _meant_from_elsewhere(project, entry.path, ref)
                      or "Paths are relative to the file that names them.")
        return None
    if refused and resolved in refused:
        say_past(diags, rel, refused[resolved], span())
        return None
    if resolved not in probed:
        signature = _settled(resolved) if queries is not None else None
        found = Diagnostics()
        if stored is not None and queries is None:
            probed[resolved] = stored.probe(resolved, rel)
        elif signature is None:
            probed[resolved] = (probe_image(resolved, span(), found), found.items)
        else:   # an image whose stat has not moved since the last save is not read again
            probed[resolved] = (queries.ask("image", _probe, str(resolved), signature, diags=found), found.items)
    probe, problems = probed[resolved]
    for problem in problems:  # reported at every line that references the broken image
        diags.add(problem.code, problem.message, span(), hint=problem.hint)
    if probe is None:
        return None
    return Asset(rel, resolved, where, *probe)


def _special(path: Path) -> str | None:
    """What is at `path` (confined, links resolved) when it is neither a regular file nor
    a folder nor missing, in words; lstat only."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")


class _StoredProbes:
    """Each image's probe (probe_image: its size and format, what it reported) and its
    pixels by its header (portrait_budget.header_pixels) kept in the parse cache under
    the sha256 the build took of its bytes (`known`, by path: engine/sources.py), so
    that an unchanged image is neither read nor decoded again: the probe decodes every
    pixel (a broken stream passes Pillow's verify()), which for a portrait photograph
    is milliseconds each, every build. Only a probe of exactly those bytes is kept (its
    own hash is theirs); an image that is not usable, or is past the picture budget
    (never probed), is read every time. A row in another shape is a miss (probed again)."""

    def __init__(self, cache: ParseCache, known: Mapping[str, str]) -> None:
        self.cache, self.known = cache, known
        self._rows: dict[str, Any] = {}      # sha256 → its row (or None), looked up once a run
        self._counted: dict[str, int] = {}   # rel → its pixels as read this run, kept with its probe

    def _row(self, sha256: str | None) -> Any:
        if sha256 is None:
            return None
        if sha256 not in self._rows:
            self._rows[sha256] = self.cache.get(self.cache.key_of("image", PROBE_FORMAT, sha256))
        return self._rows[sha256]

    def pixels(self, path: Path, rel: str) -> int:
        """The pixels of the image at `path` (`rel` from the project root) by its header."""
        kept = self._row(self.known.get(rel))
        if isinstance(kept, dict) and type(kept.get("pixels")) is int:
            return kept["pixels"]
        self._counted[rel] = header_pixels(path)
        return self._counted[rel]

    def probe(self, path: Path, rel: str) -> tuple[tuple | None, list[Diagnostic]]:
        """(probe_image's answer, its problems without a position) for the image at
        `path` (`rel` from the project root)."""
        sha256 = self.known.get(rel)
        kept = self._row(sha256)
        if kept is not None:
            try:
                sha, width, height, form = kept["probe"]
                if sha == sha256 and all(type(n) is int for n in (width, height)) and isinstance(form, str):
                    return (sha, width, height, form), [from_row(row) for row in kept["problems"]]
            except (KeyError, TypeError, ValueError):
                pass   # a sealed row in another shape: probed again
        found = Diagnostics()
        probe = probe_image(path, Span(""), found)
        if sha256 and probe is not None and probe[0] == sha256:
            pixels = self._counted[rel] if rel in self._counted else header_pixels(path)   # not counted: few images
            self.cache.put(self.cache.key_of("image", PROBE_FORMAT, sha256),
                           {"probe": list(probe), "problems": [diagnostic_row(d) for d in found.items],
                            "pixels": pixels})
        return probe, found.items


# the shape of a kept probe (`_StoredProbes`): another is never read as this one
PROBE_FORMAT = "2"


def _meant_from_elsewhere(project: Project, path: str, ref: str) -> str | None:
    """A hint giving the path, relative to the file at `path`, of the image `ref` names
    when it is written from elsewhere: from the project's root, from content/
    (`assets/portraits/p.png`, as the docs' file tree shows the folder) or from
    content/assets/ (`rook.png`, where HF0105 sends a picture), or as an
    absolute path into the project (a file manager's "copy path"). "Paths are relative to
    the file that names them" left the writer to work out the `../` themselves. None
    when no such image is there (a URL, a path outside the project: nothing is looked at
    outside it, `confine`)."""
    folder = (project.root / path).parent
    if ref.startswith("/") and not ref.startswith("//"):
        written = Path(ref)
        for root in dict.fromkeys((project.root, project.root.resolve())):
            if written.is_relative_to(root):
                candidates = [project.root / written.relative_to(root)]
                break
        else:
            return None
    elif _absolute(ref):
        return None
    else:
        # `assets\portraits\p.png`, as Windows' Explorer copies it from the root, too
        written = ref.replace("\\", "/")
        # ... or from content/assets/, where HF0105 sends a picture: `portrait: rook.png`
        # of content/assets/rook.png, written from a hero's file, was 'does not exist'
        candidates = [project.root / written, project.root / "content" / written,
                      project.root / "content" / "assets" / written]
    slash = " Write '/' between folders, not '\\'." if "\\" in ref else ""
    for candidate in candidates:
        meant = Path(os.path.relpath(os.path.normpath(candidate), folder)).as_posix()
        found = project.confine(folder / meant)
        if meant != ref and found is not None and found.is_file():
            return f"Paths are relative to the file that names them: did you mean '{meant[:120]}'?{slash}"
    return None


def _spelt_otherwise(project: Project, path: str, ref: str) -> str | None:
    """A hint naming the file `ref` (written in the file at `path`) was meant to be
    when only its spelling differs in a way another system forgives: backslashes
    (Windows), letter case (macOS and Windows find 'P.png' for 'p.png'), accents
    composed or decomposed (macOS writes 'é' as 'e' + U+0301), spaces around it.
    The same check on every system: Linux CI, where such a name is not found, agrees
    with the writer's laptop, and the writer learns the exact name. None if no such file."""
    import unicodedata
    written = re.sub(r"[\\/]+", "/", ref.strip()) if "\\" in ref else ref.strip()
    folder_ref, _, name = written.rpartition("/")
    folder = project.confine((project.root / path).parent / (folder_ref or "."))
    if folder is None or not name:
        return None
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    def loose(text: str) -> str:
        return unicodedata.normalize("NFC", text).casefold()
    same = [n for n in names if n == name] or [n for n in names if loose(n) == loose(name)]
    if not same or (same[0] == name and written == ref):
        return None
    meant = (folder_ref + "/" if folder_ref else "") + same[0]
    why = []
    if written != ref.strip():
        why.append("'/' between folders, not '\\'")
    if ref != ref.strip():
        why.append("no spaces around it")
    if same[0] != name and unicodedata.normalize("NFC", same[0]) == unicodedata.normalize("NFC", name):
        why.append("the name as the file has it, or rename the file typing its name afresh: its accents "
                   "are stored in another Unicode form (composed or decomposed; macOS forgives that, "
                   "Linux and the build do not)")
    elif same[0] != name:
        why.append("the name exactly as the file has it (letter case: macOS and Windows forgive it, "
                   "Linux and the build do not)")
    return f"Did you mean '{meant[:120]}'? Write " + "; ".join(why) + "."


def _settled(path: Path) -> tuple[int, int, int, int] | None:
    """A regular file's stat (inode, size, mtime and ctime in ns) when it has not changed
    for 2 s, else None (the same rule as reading content files: load/workers.py)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or time.time() - max(st.st_mtime, st.st_ctime) < 2.0:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _header_pixels(path: str, signature: tuple[int, int, int, int], diags: Diagnostics) -> int:
    """portrait_budget.header_pixels as a query keyed by the image's stat (`signature`)."""
    return header_pixels(Path(path))


def _probe(path: str, signature: tuple[int, int, int, int], diags: Diagnostics) -> tuple | None:
    """probe_image as a query keyed by the image's stat (`signature`); its problems
    carry no position (each reference reports them at its own line)."""
    return probe_image(Path(path), Span(""), diags)


def _located(project: Project, path: str, ref: str, memo: dict,
             kept: dict | None = None) -> tuple[Path | None, bool, str]:
    """(the confined path, whether it is a file, its path from the project root) of
    `ref` written in the file at `path`, once per folder and reference: resolving
    follows symlinks with a syscall per part, and thousands of heroes in one folder
    name the same few images (with pathlib, 12 of 70 profiled seconds of a warm check).
    `kept`: answers kept between runs, for files under the watched inputs only (a file
    elsewhere could be removed without the watcher seeing it)."""
    key = ("located", path.rpartition("/")[0], ref)
    if kept is not None and key in kept:
        return kept[key]
    if key not in memo:
        resolved = project.confine((project.root / path).parent / ref)
        is_file = (resolved is not None and resolved.is_file()
                   and _named_exactly(project, (project.root / path).parent, ref, memo))
        memo[key] = (resolved, is_file, resolved.relative_to(project.real_root).as_posix() if is_file else "")
        if kept is not None and is_file and memo[key][2].split("/", 1)[0] in PROJECT_INPUTS:
            kept[key] = memo[key]
    return memo[key]


def _named_exactly(project: Project, folder: Path, ref: str, memo: dict) -> bool:
    """Whether each name in `ref` (a path relative to `folder`) is in its folder's
    listing exactly as written. A disk that ignores letter case or Unicode form (macOS,
    Windows) finds 'P.png' for p.png and 'café.png' composed or decomposed, Linux does
    not: comparing with the listing gives every system Linux's answer, so a check clean
    on the writer's laptop is clean in CI (HF0306's hint then names the real file).
    Each folder is listed once a run (`memo`); one outside the project (a path that
    leaves through a link and comes back) is not listed, and its name not compared."""
    for part in ref.split("/"):
        if part not in ("", ".", ".."):
            key = ("listing", str(folder))
            if key not in memo:
                inside = project.confine(folder)
                try:
                    memo[key] = frozenset(os.listdir(inside)) if inside is not None else None
                except OSError:
                    memo[key] = frozenset()
            if memo[key] is not None and part not in memo[key]:
                return False
        folder = folder / part
    return True


def _story_refs(entry: Entry[Story], world: World, diags: Diagnostics) -> None:
    front = entry.model.front
    for i, cid in enumerate(front.characters):
        if not world.exists("character", cid) and not world.exists("hero", cid):
            diags.add("HF0302", f"unknown character '{cid}'", entry.span("characters", i),
                      hint=suggestion(cid, world.people(), "Characters live in content/characters/."))
    for i, qid in enumerate(front.quests):
        if not world.exists("quest", qid):
            diags.add("HF0303", f"unknown quest '{qid}'", entry.span("quests", i),
                      hint=suggestion(qid, world.quests, "Quests live in content/quests/."))
    if front.protagonist and not world.exists("hero", front.protagonist):
        diags.add("HF0301", f"unknown hero '{front.protagonist}'", entry.span("protagonist"),
                  hint=suggestion(front.protagonist, world.heroes, "Heroes live in content/heroes/."))
    for i, hid in enumerate(front.heroes):
        if not world.exists("hero", hid):
            diags.add("HF0301", f"unknown hero '{hid}'", entry.span("heroes", i),
                      hint=suggestion(hid, world.heroes, "Heroes live in content/heroes/."))


def players_unsure(entry: Entry[Story], sheets: Mapping[str, HeroSheet], rules: RuleBook,
                   in_doubt: Callable[[str], frozenset[str]] = lambda hid: frozenset()) -> bool:
    """True when a hero the story names (protagonist or `heroes`) has no sheet, or one
    made from values of her file left out that the story reads (`in_doubt(hero id)`:
    heroes/sheet.py played_in_doubt; a skill misspelt in her file changes nothing of a
    story that tests no skill, and its own findings, `coins >= 5` never true, were
    dropped with the rest), or when
    its front matter failed and the `protagonist:` or `heroes:` written was left out
    or misspelt (reported at its line): the story was then played by an average hero, and what
    that hero could not do ("`agility >= 12` is never true") was said beside the one
    real error. So when the story reads `level` (or a derived stat made from it) and the
    XP table is in error (RuleBook.levels_unknown): "`level >= 3` is never true" was
    said of levels read from a table whose one error is at progression.yaml."""
    story = entry.model
    # left out: failed validation, or misspelt (`protagonst:`, validate/documents.py)
    if story.salvaged and {"protagonist", "heroes"} & left_out(entry.doc.data, story.front):
        return True
    named = [h for h in (story.front.protagonist, *story.front.heroes) if h]
    if any(h not in sheets for h in named):
        return True
    doubted = frozenset().union(*(in_doubt(h) for h in named))
    if doubted and doubted & _reads_of_hero(story, rules):
        return True
    # max_level not known either (progression.yaml did not load): no level to try
    return rules.levels_unknown() and rules.levels_to_try() is None and _reads_level(story, rules)


def level_players(entry: Entry[Story], sheets: Mapping[str, HeroSheet], rules: RuleBook) -> tuple[tuple[Player, ...], ...]:
    """While the XP table is in error (RuleBook.levels_to_try) and the story reads `level`
    (or a derived stat made from it): its players (players_for) at each level 1 to
    max_level, one tuple a level; else (). What the analysis finds is then claimed only
    when found at every level (analyse_story): the whole story was "unsure", and a
    `coins > 100` never true whatever the level went unsaid beside the table's error."""
    levels = rules.levels_to_try()
    story = entry.model
    if levels is None or not _reads_level(story, rules):
        return ()
    ids = [h for h in dict.fromkeys((story.front.protagonist, *story.front.heroes)) if h in sheets]
    return tuple(tuple(Player(h, sheets[h].env(level), frozenset(sheets[h].skills), frozenset(sheets[h].items))
                       for h in ids) for level in levels) if ids else ()


def _reads_of_hero(story: Story, rules: RuleBook) -> set[str]:
    """What the story's conditions and effects read of the hero who plays it, as
    heroes/sheet.py played_in_doubt names it: "values" (an attribute, a derived stat or
    `level` not shadowed by a story variable), "skills" (has_skill), "items" (has, give, take)."""
    nodes = [node for _, c in story.choices()
             for node in ([c.condition_ast] if c.condition_ast is not None else []) + list(c.effects_ast)]
    hero_names = {*rules.attributes, *rules.derived, "level"} - set(story.front.variables)
    return {what for what, read in (("values", bool(expr.names_used(nodes) & hero_names)),
                                    ("skills", bool(expr.skills_used(nodes))), ("items", bool(expr.items_used(nodes))))
            if read}


def _reads_level(story: Story, rules: RuleBook) -> bool:
    """Whether a condition or effect of the story reads `level` or a derived stat whose
    formula does."""
    by_level = rules.by_level()
    return any(by_level & expr.names_used([*([c.condition_ast] if c.condition_ast is not None else []),
                                           *c.effects_ast])
               for _, c in story.choices())


def players_for(story: Story, world: World) -> list[Player]:
    """The heroes who may play a story; with none named, an average hero at level 1."""
    return _players(story, world.sheets, world.rules)


def _players(story: Story, sheets: Mapping[str, HeroSheet], rules: RuleBook) -> list[Player]:
    ids = [h for h in dict.fromkeys((story.front.protagonist, *story.front.heroes)) if h in sheets]
    if not ids:
        return [Player(None, average_values(rules))]
    return [player(sheets[h]) for h in ids]


def average_values(rules: RuleBook) -> dict[str, int]:
    """What an average level-1 hero reads as: every attribute at its default, `level` 1,
    each derived stat by its formula at those, rounded down as every hero's is (0 where
    it fails, as on a sheet; its error is the rule book's or a hero's to say). Each stat
    was 0: `defense >= 12` (10 + agility // 2, 14 at the defaults) "can never be taken",
    hinted "defense 0", and the ink and Twee exports and the site's player fixed it at 0."""
    values: dict[str, int] = {a: r.default for a, r in rules.attributes.items()}
    rows = derived_by_level(_AVERAGE, dict(values), rules, Diagnostics())
    values.update(rows[0] if rows else {d: 0 for d in rules.derived})
    values["level"] = 1
    return values


@dataclass(frozen=True)
class _Average:
    """The entry derived_by_level names in a formula's failure (a Diagnostics discarded)."""

    id: str = "an average hero"


_AVERAGE = _Average()


def player(sheet: HeroSheet) -> Player:
    return Player(sheet.id, sheet.env(), frozenset(sheet.skills), frozenset(sheet.items))


def analyse_story(entry: Entry[Story], rules: RuleBook, players: tuple[Player, ...], unsure: bool,
                  levels: tuple[tuple[Player, ...], ...], diags: Diagnostics,
                  cache: ParseCache | None = None) -> StoryReport:
    """A story's analysis as played by `players` (players_for) under `rules`: its stats,
    findings (reported as diagnostics) and who played it. `unsure` (players_unsure):
    a hero the story names has no sheet (her file broken, or the name a typo already
    reported), so what depends on the players' values was found for an average hero
    or the others and is not claimed; scenes no link reaches still are. `levels`
    (level_players): the players at every level, while the XP table is in error; a
    finding is then claimed when found at each level too. `cache`
    keeps analyses across runs (resolve/analyses.py); it changes the speed, never the
    answer."""
    story = entry.model
    if story.front.start not in story.scenes:
        stats = StoryStats(len(story.scenes), 0, len(story.endings), 0, 0, None, None, None, False, 0, False)
        return StoryReport(stats, (), tuple(p.hero for p in players))
    findings, stats, runs = analysed(entry, rules, list(players), cache)
    if story.slipped:
        # a heading or choice not read as typed (reported): the graph is not the
        # writer's, so only what holds whatever it was is claimed: a choice under an
        # ending is never offered
        findings = [f for f in findings if f.code == "HF0505" and f.choice and story.scenes[f.scene].ending]
    elif unsure:   # only what holds whoever plays: scenes no path of links reaches
        sure = structural_findings(story)
        findings = [f for f in findings if f in sure]
    elif levels:   # the XP table in error: what holds at every level the players may be at
        sure = structural_findings(story)
        everywhere = at_every_level(story, [list(group) for group in levels])
        findings = [f for f in findings if f in sure or (f.code, f.scene, f.choice) in everywhere]
    ink = tuple(f for f in findings if f.code in INK_CODES)
    findings = [f for f in findings if f.code not in INK_CODES]
    report(entry, findings, runs, diags, stats, players)
    # what the variables hold where play goes, when that is known of the writer's story
    # as these players play it (and each run saw it whole: analysis.held): no slip, no
    # player unsure, no condition or effect that could not be computed (taken as false,
    # as changing nothing)
    sure = not (story.slipped or unsure or levels or any(f.code in EVALUATION_CODES for f in findings))
    return StoryReport(stats, tuple(findings), tuple(p.hero for p in players), ink,
                       held_together(runs) if sure else None, rows_together(runs) if sure else None)


def _rule_hashes(rules: RuleBook) -> dict[str, str]:
    """`rules`: the rule files' values (RuleBook.values: a comment changes none), and
    each rule file's bytes, `file:<path>`, for a render that reads them (load/byte_reads.py)."""
    out = {"rules": "|".join(f"{p}={h}" for p, h in sorted(rules.values.items()))}
    out.update({file_key(p): h for p, h in rules.sources.items()})
    return out


def listing_hashes(world: World) -> dict[str, str]:
    """`heroes*` etc.: a hash of which ids a table holds (adding an entity changes it),
    `portraits*` of which image each person shows, and of the relationship graph."""
    out = {}
    for plural in PLURAL.values():
        ids = sorted(getattr(world, plural))
        out[f"{plural}*"] = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    # which person shows which image: a hero who takes another portrait changes it (the
    # image's own content is `asset:<path>`); media's plan reads it (engine/outputs.py)
    out["portraits*"] = hashlib.sha256("\n".join(f"{pid}\t{asset.path}" for pid, asset
                                                 in sorted(world.portraits.items())).encode()).hexdigest()
    out.update(_graph_hashes(world))
    return out


def _graph_hashes(world: World) -> dict[str, str]:
    """`relationships` and `appearances:<person>`: listing_hashes' part made from the
    resolved graph (made again by every save: World.input_hashes_since)."""
    out = {"relationships": hashlib.sha256(repr(world.relationships).encode()).hexdigest()}
    for pid, found in world.appearances.items():
        out[f"appearances:{pid}"] = hashlib.sha256(repr(found).encode()).hexdigest()
    return out


def _history_hashes(world: World) -> dict[str, str]:
    """`history:<path>` of every content file with a history (World.input_hashes)."""
    # a lineage a shallow clone cut differs from the same one fetched whole (credits show
    # who created it only then): `git fetch --unshallow` must re-render what read it; and
    # the same commits under another .mailmap show other names (EntityHistory.mailmap), and
    # so do they when `.git-blame-ignore-revs` lists one of them (EntityHistory.ignored)
    return {f"history:{path}": h.changed.commit + (":cut" if getattr(h, "cut", False) else "")
            + (":" + h.mailmap if getattr(h, "mailmap", "") else "")
            + (":ignored:" + h.ignored if getattr(h, "ignored", "") else "")
            for path, h in world.history.items()}
