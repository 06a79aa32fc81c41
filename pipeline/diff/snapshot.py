"""A World reduced to what a reviewer compares: per entity its source fields
(flattened to `attributes.agility`-style paths), what is derived from them, and for
stories the scene graph and its analysis. Pure functions of the World."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

from ..confine import Refused, boundary
from ..diagnostics import Diagnostic, Diagnostics, Severity
from ..exporters.json_api.rows import rules_row
from ..load.files import KIND_DIRS
from ..rules.book import RULE_FILES
from ..stories.analysis import PATHS_OVER
from ..resolve.world import World
from ..l10n.stale import translation_states
from ..voice.coverage import Voiced, voiced_words
from ..load.hash_memo import MAX_HASHED
from ..l10n.translations import refused_places

# Codes of the stages that turn a file into an entity: an error among them means the
# entity is missing from the World because its file did not load, not because it was removed.
LOAD_BLOCKS = ("HF01", "HF02")


@dataclass(frozen=True)
class SceneView:
    title: str
    ending: bool
    words: int
    text_hash: str


@dataclass(frozen=True)
class ChoiceView:
    text: str
    target: str
    condition: str | None
    effects: str | None


@dataclass(frozen=True)
class StoryView:
    scenes: dict[str, SceneView]                     # in the order written
    choices: dict[tuple[str, str], ChoiceView]       # (scene id, choice id) →
    findings: frozenset[tuple[str, str, str, str]]   # (code, scene, choice or "", message)
    stats: dict[str, Any]
    variables: dict[str, str]                        # name → number | bool | string


@dataclass(frozen=True)
class EntityView:
    kind: str
    id: str
    path: str
    sha256: str
    name: str                                  # name or title, for matching renames
    fields: dict[str, Any]                     # the file's data, flattened
    level: int | None = None                   # heroes: computed from XP
    attributes: dict[str, int] = field(default_factory=dict)          # heroes: effective values
    derived: dict[str, tuple[int, ...]] = field(default_factory=dict)  # heroes: stat → value at levels 1…max
    story: StoryView | None = None
    # heroes: skills and items as the sheet has them, the templates' included (a template's
    # edit changes them on the hero's page with no word of the hero's file changed)
    skills: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    # the sha256 of the portrait the entity shows (heroes, characters): an image replaced
    # under the same file name changes every page and book that shows it
    portrait: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Snapshot:
    entities: dict[str, EntityView]
    unloadable: dict[str, int]         # entity key → errors in its file, for files that did not load
    rules: dict[str, Any]              # the rule book, flattened as in the JSON contract
    rule_ids: dict[str, frozenset[str]]
    errors: int
    warnings: int
    translations: tuple = ()           # l10n.stale.States: per language, current and stale line ids
    # rule file (`schemas/skills.yaml`, or the folder `schemas` when the error is at it)
    # → errors there, for rule files that did not load (a syntax error, a link out):
    # what they define is unknown, not removed
    rules_unloadable: dict[str, int] = field(default_factory=dict)
    # why each entity that did not load did not (the first error said at its file: its
    # code and words), and the content folders refused on the way to entity files (a
    # folder linked out of the project: HF0120 at the link) → (errors there, the first):
    # what a reviewer is told in place of a count (`foundry diff`, `foundry history`)
    why: dict[str, str] = field(default_factory=dict)
    refused_folders: dict[str, tuple[int, str]] = field(default_factory=dict)
    # every other error (code, file, words): a reference to what the change renamed or
    # removed breaks a file the change never touched, and is in no entity's change
    problems: tuple[tuple[str, str, str], ...] = ()   # sorted, one per error said
    # foundry.toml, flattened (`project.title`, `owners.content/heroes/`): the world's
    # title is on every page and book, its owners decide who reviews what
    settings: dict[str, Any] = field(default_factory=dict)
    # the files pages and books show that no entity, rule or setting stands for (the
    # project theme's templates, stylesheets, images and catalogs; content/assets and
    # content/audio but the portraits an entity's change tells): path → sha256. A
    # pull request changing only `themes/…/hero.html` changes every hero page
    files: dict[str, str] = field(default_factory=dict)
    # each voice clip with the words its language shows for its line (voice/coverage.py
    # voiced_words): a line reworded under an unchanged recording is a clip made stale
    voiced: Voiced = Voiced()

    def line_unknown(self, line_id: str) -> bool:
        """Whether translation line `line_id` (`hero.aria.name`, `rules.skill.x.name`)
        belongs to what did not load on this side: an entity file in error, or a rule
        file. Its lines are unknown there, not gone: no translation of theirs is lost."""
        kind, _, rest = line_id.partition(".")
        if kind == "rules":
            return bool(self.rules_unloadable)
        return self.unread(f"{kind}:{rest.partition('.')[0]}")

    def unread(self, key: str) -> bool:
        """Whether the entity `key` (`hero:aria`) may be on this side without having
        loaded: its file is in error, or a folder on its way was refused (its kind's
        folder linked out of the project: HF0120 at the link, no file under it listed).
        What names or translates it is then unknown here, not changed or gone: a
        story whose protagonist's folder was linked out was "paths to an ending 3 → 2"
        and the hero's translations "no longer used", beside the link's one error."""
        if key in self.unloadable:
            return True
        kind, _, eid = key.partition(":")
        if kind not in KIND_DIRS or not self.refused_folders:
            return False
        folder, suffix = KIND_DIRS[kind]
        return self.refused_on_way(f"content/{folder}/{eid}{suffix}") is not None

    def refused_on_way(self, path: str) -> tuple[int, str] | None:
        """The errors said at a folder on `path`'s way (the first of them), or None."""
        return next((said for folder, said in self.refused_folders.items()
                     if path.startswith(folder.rstrip("/") + "/")), None)


def key_of_path(path: str) -> str | None:
    """`content/heroes/aria.yaml` → `hero:aria`; None for a file that is no entity."""
    for kind, (folder, suffix) in KIND_DIRS.items():
        prefix = f"content/{folder}/"
        rest = path[len(prefix):] if path.startswith(prefix) else ""
        if rest.endswith(suffix) and "/" not in rest:
            return f"{kind}:{rest[:-len(suffix)]}"
    return None


def snapshot(world: World, diagnostics: list[Diagnostic]) -> Snapshot:
    # a file that failed validation is "does not load" here, even though the check
    # salvaged it to report the rest of its problems (World.salvaged)
    entities = {f"{e.kind}:{e.id}": _entity(world, e) for e in world.entries()
                if f"{e.kind}:{e.id}" not in world.salvaged}
    unloadable: dict[str, int] = {}
    why: dict[str, str] = {}
    folders: dict[str, tuple[int, str]] = {}
    for d in diagnostics:
        key = key_of_path(d.span.path)
        if d.severity is Severity.ERROR and d.code.startswith(LOAD_BLOCKS) and key and key not in entities:
            unloadable[key] = unloadable.get(key, 0) + 1
            why.setdefault(key, f"{d.code} {d.message}")
        elif d.severity is Severity.ERROR and d.code.startswith(LOAD_BLOCKS) and key is None \
                and (d.span.path == "content" or d.span.path.startswith("content/")):
            count, first = folders.get(d.span.path, (0, f"{d.code} {d.message}"))
            folders[d.span.path] = (count + 1, first)
    unread = set(_rules_unloadable(world, diagnostics))
    # each one, twice when said twice (diff.sides.new_errors counts them)
    problems = tuple(sorted((d.code, d.span.path, d.message) for d in diagnostics if d.severity is Severity.ERROR
                            and not (d.code.startswith(LOAD_BLOCKS) and (key_of_path(d.span.path) in unloadable
                                                                       or d.span.path in folders or d.span.path in unread))))
    rules = rules_row(world).model_dump(mode="json")
    rule_ids = {name: frozenset(row["id"] for row in rules[name])
                for name in ("attributes", "derived", "skills", "relationship_kinds")}
    return Snapshot(entities, dict(sorted(unloadable.items())), flatten(rules), rule_ids,
                    sum(d.severity is Severity.ERROR for d in diagnostics),
                    sum(d.severity is Severity.WARNING for d in diagnostics),
                    translation_states(world.l10n, _translations_refused(diagnostics)),
                    _rules_unloadable(world, diagnostics), why, dict(sorted(folders.items())), problems,
                    flatten(world.project.config.model_dump(mode="json")), _shown_files(world),
                    voiced_words(world))


SHOWN_FOLDERS = ("content/assets", "content/audio")


def _shown_files(world: World) -> dict[str, str]:
    """Each file of the project's theme folder and of SHOWN_FOLDERS, read under the one
    confinement rule (a link out or a FIFO is not read: check says it), by its path
    under the root → its sha256; portraits left out (an entity tells them: `asset`)."""
    root = world.project.root
    fence = boundary(root)
    told = {asset.path for asset in world.portraits.values()}
    out: dict[str, str] = {}
    for folder in (f"themes/{world.project.config.project.theme}", *SHOWN_FOLDERS):
        if not fence.is_dir(root / folder):
            continue
        for path in fence.files(root / folder)[0]:
            rel = path.relative_to(root).as_posix()
            if rel in told:
                continue
            try:
                out[rel] = hashlib.sha256(fence.read(path, MAX_HASHED)).hexdigest()
            except Refused as exc:
                if exc.kind == "size":   # never read whole (a revision's 1 GB blob is a sparse file of its size)
                    out[rel] = f"size:{os.stat(path).st_size}"
            except OSError:
                continue   # refused or gone: check says so at the file
    return dict(sorted(out.items()))


def _rules_unloadable(world: World, diagnostics: list[Diagnostic]) -> dict[str, int]:
    """Each rule file that is there but did not load (RuleBook.unreadable), with the
    errors said at it; or, when they are said at a folder on its way (`schemas`, a link
    out of the project: HF0120 there), that folder once, for every file under it."""
    errors = [d.span.path for d in diagnostics if d.severity is Severity.ERROR]
    out: dict[str, int] = {}
    for section in sorted(world.rules.unreadable):
        rel = RULE_FILES[section][0]
        at = sum(1 for path in errors if path == rel)
        above = sorted({path for path in errors if path and rel.startswith(path.rstrip("/") + "/")})
        if at or not above:
            out[rel] = max(1, at)
        else:
            out[above[0]] = sum(1 for path in errors if path == above[0])
    return out


def _entity(world: World, entry) -> EntityView:
    model = entry.model.front if entry.kind == "story" else entry.model
    data = _as_written(model.model_dump(mode="json", by_alias=True, exclude={"id"}), entry)
    name = data.get("name") or data.get("title") or ""
    asset = world.portraits.get(entry.id) if entry.kind in ("hero", "character") else None
    view = EntityView(entry.kind, entry.id, entry.path, entry.sha256, name, flatten(data),
                      portrait=asset.sha256 if asset is not None else "")
    if entry.kind == "hero":
        sheet = world.sheets[entry.id]
        stats = sheet.derived_by_level[0].keys() if sheet.derived_by_level else ()
        view = dataclasses.replace(view, level=sheet.level, attributes=dict(sheet.attributes),
                                   derived={s: tuple(row[s] for row in sheet.derived_by_level) for s in stats},
                                   skills=tuple(sheet.skills), items=tuple(sheet.items))
    if entry.kind == "story":
        view = dataclasses.replace(view, story=_story(world, entry))
    return view


def _as_written(data: dict[str, Any], entry) -> dict[str, Any]:
    """`data` (an entity's model, dumped) with each name or title that holds inline
    Markdown as its file writes it: the model keeps the plain text (load/titles.py), so
    `*Rook*` made `**Rook**` (a page's <em> made <strong>) was 'no changes to the content'."""
    locs = list(getattr(entry, "inline_html", {}) or ())
    if entry.kind == "story" and entry.model.title_html != str(escape(entry.model.front.title)):
        locs.append(("title",))
    for loc in locs:
        written: Any = entry.doc.data
        held: Any = data
        for part in loc[:-1]:
            written = _step(written, part)
            held = _step(held, part)
        written = _step(written, loc[-1])
        if isinstance(written, str) and isinstance(held, dict) and isinstance(held.get(loc[-1]), str):
            held[loc[-1]] = written
    return data


def _step(value: Any, part: Any) -> Any:
    if isinstance(part, int):
        return value[part] if isinstance(value, list) and part < len(value) else None
    return value.get(part) if isinstance(value, dict) else None


def _story(world: World, entry) -> StoryView:
    story, report = entry.model, world.story_reports.get(entry.id)
    # titles and choices as written: their markup is published too (a change to it alone is a change)
    scenes = {sid: SceneView(s.title_source or s.title, s.ending, s.words, hashlib.sha256(s.html.encode()).hexdigest())
              for sid, s in story.scenes.items()}
    choices = {(scene.id, c.id): ChoiceView(c.source or c.text, c.target, c.condition, c.effects)
               for scene, c in story.choices()}
    findings = frozenset((f.code, f.scene, f.choice or "", f.message) for f in (report.findings if report else ()))
    stats = dataclasses.asdict(report.stats) if report else {}
    if stats.pop("paths_over", False):
        stats["paths"] = PATHS_OVER
    kinds = {bool: "bool", int: "number", str: "string"}
    variables = {k: kinds[type(v)] for k, v in story.front.variables.items()}
    return StoryView(scenes, choices, findings, stats, variables)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested data → {"a.b": leaf}. Lists of rows with an `id` (or a `with`, for
    relationships) are keyed by it, so reordering them is no change and one row's
    edit names that row; other lists stay whole values. Parsed expression trees
    (`ast`) are left out: their source text says the same."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if k != "ast":
                out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out if out or not prefix else {prefix: {}}
    key = _row_key(value)
    if key:
        out = {}
        for row in value:
            out.update(flatten({k: v for k, v in row.items() if k != key}, f"{prefix}[{row[key]}]"))
        return out
    return {prefix: value}


def _row_key(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        return None
    for key in ("id", "with"):
        ids = [v.get(key) for v in value]
        if all(isinstance(i, str) for i in ids) and len(set(ids)) == len(ids):
            return key
    return None


def _translations_refused(diagnostics: list[Diagnostic]) -> list[str]:
    """The places under translations/ never read on this side (a link out, a FIFO)."""
    return list(refused_places(Diagnostics(list(diagnostics))))
