"""What a file foundry does not read looks like: HF0105's hint, told by its fields.

A hero saved as `content/stories/rook.yaml`, a story put in heroes/, a hero written as
`aria.yml`: each was "not in a place foundry knows", with no kind named. A stray whose
ending says it is text a writer wrote (YAML, Markdown, plain text) is read under the
one confinement rule and parsed as YAML (a story's front matter when it has one), and
its top-level keys are matched against the fields each kind's model declares — the
mechanism HF0202's hint uses for a file in the wrong folder (validate/documents.py
`other_kind`). Nothing is reported of the reading itself: a stray that does not parse
keeps the hint its place gives.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from pydantic import BaseModel

from ..diagnostics import Diagnostic, Diagnostics, Span
from ..load.documents import split_story
from ..load.files import TEXT_ENDINGS, read_text, stray_place, stray_report
from ..load.places import KIND_DIRS, PLACES, ids_listed
from ..load.yaml import load_yaml
from ..stories.quests import UNLISTED
from ..validate.documents import has_field, other_kind

# Strays read per run at most: their hints are a courtesy, a folder of notes is not parsed whole.
AT_MOST = 64


class _Nothing(BaseModel):
    """The model of a file in no entity folder: every key it has is unknown."""


def name_strays(root: Path, strays: list[Diagnostic], models: dict[str, type[BaseModel]],
                kinds: dict[str, str] | None = None, listed: dict[str, list] | None = None) -> list[Diagnostic]:
    """`strays` (HF0105 warnings, load/files.py) with the kind each looks like named in
    its message and hint; `models` maps each kind to its model. The rest as they are.
    `kinds`, when given, gets each stray's path mapped to the kind it looks like;
    `listed`, the quests each stray that looks like a story lists (`quests:`)."""
    out, read = [], 0
    ids_of = ids_listed(root / "content")
    for diag in strays:
        rel = diag.span.path
        if diag.code != "HF0105" or not _may_be_text(rel) or read >= AT_MOST:
            out.append(diag)
            continue
        read += 1
        declared: list = []   # its `id:`, which the name the hint tells it renames too
        quests: list = []
        found = looks_like(root, rel, models, declared, quests)
        if found is None:
            out.append(diag)
            continue
        if kinds is not None:
            kinds[rel] = found[0]
        if listed is not None and found[0] == "story" and quests:
            listed[rel] = quests
        message, hint = stray_report(rel, found, ids_of, declared[0] if declared else None)
        out.append(dataclasses.replace(diag, message=message, hint=hint))
    return out


def beside_content(root: Path, models: dict[str, type[BaseModel]], kinds: dict[str, str],
                   listed: dict[str, list]) -> list[Diagnostic]:
    """HF0105 at each file that reads as an entity (`looks_like`) in a folder at the
    project's root named as an entity place under content/ (`stories/`, `heroes/`,
    `templates/heroes/`): a story saved in `stories/` beside content/ — a writer's
    natural slip — was not said at all. Only files that read as an entity: a root
    folder of notes is the writer's own (HF0105's hint says "keep anything else outside
    content/"). `kinds` and `listed` get each one's kind and the quests it lists, as
    `name_strays` fills them."""
    from ..confine import boundary
    from ..ids import spell_id
    fence, said, read = boundary(root), Diagnostics(), 0
    ids_of = ids_listed(root / "content")
    led_to: tuple[str, ...] | None = None   # looked up once a root folder is there
    for place in PLACES:
        folder = root / place.folder
        if place.kind is None or not fence.is_dir(folder) or os.path.islink(root / "content" / place.folder):
            continue   # content/<kind> a link: the project keeps that kind elsewhere on purpose (or the link is said)
        files, _ = fence.walk(folder)
        for path in sorted(p for p, _ in files):
            rel = Path(path).relative_to(root).as_posix()
            if not _may_be_text(rel) or read >= AT_MOST:
                continue
            real = os.path.realpath(path)
            if led_to is None:
                led_to = _linked_from_content(root)
            if any(real == target or real.startswith(target + os.sep) for target in led_to):
                continue   # read through a link of content/ (./stories/twin.yaml as a character): not unread
            read += 1
            quests: list = []
            found = looks_like(root, rel, models, quests=quests)
            if found is None:
                continue
            kind = kinds[rel] = found[0]
            if kind == "story" and quests:
                listed[rel] = quests
            to, ending = KIND_DIRS[kind]
            stem = Path(rel).name
            while Path(stem).suffix.lower() in TEXT_ENDINGS:
                stem = stem[:-len(Path(stem).suffix)]
            stem = spell_id(stem, ids_of(kind), fallback="entity")
            ids_of(kind).add(stem)
            said.add("HF0105", f"{rel} is not read: it reads as {_ONE[kind]} ({', '.join(found[1][:3])}), and "
                               f"{_holds(kind)} are read from content/{to}/ only", Span(rel),
                     hint=f"Move it to content/{to}/{stem}{ending}.")
    return said.items


def _linked_from_content(root: Path) -> tuple[str, ...]:
    """The real paths the symbolic links under content/ lead to (files and folders): a
    project may keep its heroes in ./templates/heroes/ with content/heroes a link there,
    and those files are read, not strays beside content/. Only links are looked up (no
    file is opened); a link leading outside the project is said where it stands."""
    found = []
    for folder, dirs, files in os.walk(root / "content"):
        for name in (*dirs, *files):
            entry = os.path.join(folder, name)
            if os.path.islink(entry):
                found.append(os.path.realpath(entry))
    return tuple(found)


_ONE = {"hero": "a hero", "character": "a character", "quest": "a quest", "story": "a story", "template": "a hero template"}


def _may_be_text(rel: str) -> bool:
    """Whether the file `rel` may be text a writer wrote: its ending says so, or it has
    none (`content/heroes/aria`, saved without one), and it is no hidden file."""
    name = rel.rsplit("/", 1)[-1]
    return Path(name).suffix.lower() in TEXT_ENDINGS or ("." not in name and bool(name))


# A reference to an entity no file is read as (`characters: [old-guide]`): unknown hero,
# character, quest, template; each with the kinds it may be. A file of that name is it
# when it is in that kind's folder or reads as that kind: `content/heroes/first-quest.yml`
# holding a hero told an unknown quest to "rename it first-quest.yaml", where it would be
# a hero still.
_UNKNOWN_REFERENCES = {"HF0301": ("hero",), "HF0302": ("hero", "character"),
                       "HF0303": ("quest",), "HF0305": ("template",)}


def point_at_unread_stories(diags: Diagnostics, listed: dict[str, list]) -> None:
    """HF0514's "No story lists this quest yet: add `quests: [q]` to a story's front
    matter" of a quest a story not read lists (`content/first-story.md`, saved outside
    content/stories/: HF0105, a warning): that story, and where it is read, instead.
    Followed, the old hint added the quest to a second story."""
    if not listed:
        return
    for n, diag in enumerate(diags.items):
        if diag.code != "HF0514" or not diag.hint.startswith(UNLISTED):
            continue
        quest = Path(diag.span.path).stem
        rel = next((rel for rel, quests in sorted(listed.items()) if quest in quests), None)
        if rel is not None:
            stem = Path(rel).name
            while Path(stem).suffix.lower() in TEXT_ENDINGS:
                stem = stem[:-len(Path(stem).suffix)]
            act = (f"Rename it {stem}.md" if rel.rsplit("/", 1)[0] == "content/stories"
                   else f"Move it to content/stories/{stem}.md")
            diags.items[n] = dataclasses.replace(
                diag, hint=f"{rel} lists this quest but is not read: only .md files directly in content/stories/ "
                           f"are read as stories. {act}.")


def point_at_strays(diags: Diagnostics, strays: list[Diagnostic], kinds: dict[str, str] | None = None) -> None:
    """Give each reference in `diags` to an unknown id that a file not read is named
    after (`content/characters/old-guide.yml`, `.YAML`, `.txt`: HF0105 in `strays`) a
    hint naming that file and where it would be read: its rename, or its move when it
    is in another folder (`content/templates/scout.yaml`, `content/quests/act1/…`).
    `kinds` maps a stray's path to the kind its fields say it is (name_strays). It said
    "Characters live in content/characters/", where the file the writer saved is; then
    "(only .yaml files are): rename it scout.yaml" of a .yaml file in the wrong folder."""
    kinds = kinds or {}
    unread: dict[str, list[str]] = {}
    for stray in strays:
        name = stray.span.path.rsplit("/", 1)[-1]
        stem = name
        while Path(stem).suffix.lower() in TEXT_ENDINGS:
            stem = stem[:-len(Path(stem).suffix)]
        if _may_be_text(stray.span.path) and (stray.span.path.startswith("content/") or stray.span.path in kinds):
            unread.setdefault(stem, []).append(stray.span.path)
    if not unread:
        return
    for n, diag in enumerate(diags.items):
        wanted = _UNKNOWN_REFERENCES.get(diag.code)
        if wanted is None:
            continue
        found = next(((i, rel, kind) for i in re.findall(r"'([^'\n]{1,200})'", diag.message)
                      for rel in unread.get(i, ()) for kind in [_kind_of(rel, kinds)] if kind in wanted), None)
        if found is not None:
            stem, rel, kind = found
            folder, ending = KIND_DIRS[kind]
            if rel.rsplit("/", 1)[0] == f"content/{folder}":
                act = f" (only {ending} files are): rename it {stem}{ending}."
            else:
                act = (f": only files directly in content/{folder}/ are read as {_holds(kind)}. "
                       f"Move it to content/{folder}/{stem}{ending}.")
            diags.items[n] = dataclasses.replace(diag, hint=f"{rel} has that name but is not read{act}")


def _kind_of(rel: str, kinds: dict[str, str]) -> str | None:
    """The kind of entity the unread file `rel` would be: its folder's (a file in
    content/quests/ or a folder within it is a quest saved wrong), else the kind its
    fields say (`kinds`), else None."""
    place = stray_place(rel)
    return place.kind if place is not None and place.kind is not None else kinds.get(rel)


def _holds(kind: str) -> str:
    """"heroes", "hero templates": what the folder of `kind` holds."""
    return next(p.holds for p in PLACES if p.kind == kind)


def looks_like(root: Path, rel: str, models: dict[str, type[BaseModel]],
               declared: list | None = None, quests: list | None = None) -> tuple[str, list[str]] | None:
    """(kind, the top-level keys that say so) of the project file `rel`, or None when it
    does not read as `key: value` pairs, or the keys fit no one kind. `declared`, when
    given, gets the file's `id:` value appended (when it has one); `quests`, the ids
    its `quests:` lists."""
    source = read_text(root / rel, rel, Diagnostics())
    if source is None:
        return None
    parts = split_story(source)
    text = source.text if isinstance(parts, str) else parts[0]
    data, _ = load_yaml(text, rel, Diagnostics())
    if not isinstance(data, dict) or not data:
        return None
    place = stray_place(rel)
    own = models[place.kind] if place is not None else _Nothing
    keys = [k for k in data if isinstance(k, str)]
    if declared is not None and data.get("id") is not None:
        declared.append(data["id"])
    if quests is not None and isinstance(data.get("quests"), list):
        quests.extend(q for q in data["quests"] if isinstance(q, str))
    if place is not None and keys and all(has_field(own, k) for k in keys):
        return place.kind, keys   # its own folder's kind, in the wrong format
    return other_kind(data, own, {kind: model for kind, model in models.items() if place is None or kind != place.kind})
