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
import re
from pathlib import Path

from pydantic import BaseModel

from ..diagnostics import Diagnostic, Diagnostics
from ..load.documents import split_story
from ..load.files import TEXT_ENDINGS, read_text, stray_place, stray_report
from ..load.places import KIND_DIRS, ids_listed
from ..load.yaml import load_yaml
from ..validate.documents import has_field, other_kind

# Strays read per run at most: their hints are a courtesy, a folder of notes is not parsed whole.
AT_MOST = 64


class _Nothing(BaseModel):
    """The model of a file in no entity folder: every key it has is unknown."""


def name_strays(root: Path, strays: list[Diagnostic], models: dict[str, type[BaseModel]]) -> list[Diagnostic]:
    """`strays` (HF0105 warnings, load/files.py) with the kind each looks like named in
    its message and hint; `models` maps each kind to its model. The rest as they are."""
    out, read = [], 0
    ids_of = ids_listed(root / "content")
    for diag in strays:
        rel = diag.span.path
        if diag.code != "HF0105" or not _may_be_text(rel) or read >= AT_MOST:
            out.append(diag)
            continue
        read += 1
        declared: list = []   # its `id:`, which the name the hint tells it renames too
        found = looks_like(root, rel, models, declared)
        if found is None:
            out.append(diag)
            continue
        message, hint = stray_report(rel, found, ids_of, declared[0] if declared else None)
        out.append(dataclasses.replace(diag, message=message, hint=hint))
    return out


def _may_be_text(rel: str) -> bool:
    """Whether the file `rel` may be text a writer wrote: its ending says so, or it has
    none (`content/heroes/aria`, saved without one), and it is no hidden file."""
    name = rel.rsplit("/", 1)[-1]
    return Path(name).suffix.lower() in TEXT_ENDINGS or ("." not in name and bool(name))


# A reference to an entity no file is read as (`characters: [old-guide]`): unknown hero,
# character, quest, template; each with the folders its file may be in. A file of that
# name elsewhere is not it: `content/heroes/first-quest.yml` told an unknown quest to
# "rename it first-quest.yaml", where it would be a hero still.
_UNKNOWN_REFERENCES = {"HF0301": ("content/heroes/",), "HF0302": ("content/heroes/", "content/characters/"),
                       "HF0303": ("content/quests/",), "HF0305": ("content/templates/",)}


def point_at_strays(diags: Diagnostics, strays: list[Diagnostic]) -> None:
    """Give each reference in `diags` to an unknown id that a file not read is named
    after (`content/characters/old-guide.yml`, `.YAML`, `.txt`: HF0105 in `strays`) a
    hint naming that file and its rename. It said "Characters live in
    content/characters/", where the file the writer saved is."""
    unread: dict[str, list[str]] = {}
    for stray in strays:
        name = stray.span.path.rsplit("/", 1)[-1]
        stem = name
        while Path(stem).suffix.lower() in TEXT_ENDINGS:
            stem = stem[:-len(Path(stem).suffix)]
        if _may_be_text(stray.span.path) and stray.span.path.startswith("content/"):
            unread.setdefault(stem, []).append(stray.span.path)
    if not unread:
        return
    for n, diag in enumerate(diags.items):
        folders = _UNKNOWN_REFERENCES.get(diag.code)
        if folders is None:
            continue
        found = next(((i, rel) for i in re.findall(r"'([^'\n]{1,200})'", diag.message)
                      for rel in unread.get(i, ()) if rel.startswith(folders)), None)
        if found is not None:
            stem, rel = found
            # the kind's own folder (`content/templates/heroes/` for a template)
            folder = max((f"content/{d}/" for d, _ in KIND_DIRS.values() if rel.startswith(f"content/{d}/")),
                         key=len, default=next(f for f in folders if rel.startswith(f)))
            # a file in a folder under the kind's (`content/heroes/old/kit.yaml`, a hero
            # moved aside) is `kit.yaml` already: "rename it kit.yaml" told nothing
            hint = (f"{rel} has that name but is not read (only .yaml files are): rename it {stem}.yaml."
                    if "/" not in rel[len(folder):] else
                    f"{rel} has that name but is not read (only .yaml files directly in {folder} are): "
                    f"move it to {folder}{stem}.yaml.")
            diags.items[n] = dataclasses.replace(diag, hint=hint)


def looks_like(root: Path, rel: str, models: dict[str, type[BaseModel]],
               declared: list | None = None) -> tuple[str, list[str]] | None:
    """(kind, the top-level keys that say so) of the project file `rel`, or None when it
    does not read as `key: value` pairs, or the keys fit no one kind. `declared`, when
    given, gets the file's `id:` value appended (when it has one)."""
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
    if place is not None and keys and all(has_field(own, k) for k in keys):
        return place.kind, keys   # its own folder's kind, in the wrong format
    return other_kind(data, own, {kind: model for kind, model in models.items() if place is None or kind != place.kind})
