"""The places under content/ foundry reads, and what stands in an entity file's place.

Kept apart from load/files.py (which reads the files, and imports the text checks
with them) so that the build's fingerprint (engine/sources.py), on the no-op build's
path, can ask where entities live without importing what reads them (~0.3 s).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..confine import Boundary, boundary
from ..ids import LIST_PAGE, SLUG_PATTERN, WINDOWS_DEVICE_NAMES, spell_id
from .editor_files import is_editor_temp
from .yaml import plain_text


@dataclass(frozen=True)
class Place:
    """A folder under content/ that foundry reads. `endings`: the file endings read
    there (() for any); `kind`: the entity each file is, None for a folder that holds
    no entities of its own (read by whatever uses it)."""

    folder: str                   # under content/, POSIX
    holds: str                    # what, in a hint's words: "heroes"
    endings: tuple[str, ...]
    kind: str | None = None


# Every place under content/ foundry reads: discovery (KIND_DIRS, PASSIVE_DIRS) and
# HF0105's hint are made from this one table, so a folder cannot be read yet left out
# of what the writer is told (tests/foundation/test_stray_places.py).
AUDIO_ENDINGS = (".opus", ".ogg", ".mp3", ".wav")   # voice/audio.py reads these
PLACES: tuple[Place, ...] = (
    Place("heroes", "heroes", (".yaml",), "hero"),
    Place("characters", "characters", (".yaml",), "character"),
    Place("quests", "quests", (".yaml",), "quest"),
    Place("stories", "stories", (".md",), "story"),
    Place("templates/heroes", "hero templates", (".yaml",), "template"),
    Place("templates/stories", "story templates for `foundry new story`", (".md",)),
    Place("assets", "images, shown as portraits", ()),
    Place("audio", "voice-over, in a folder per language", AUDIO_ENDINGS),   # pipeline/voice reads it
)
# Where each kind of entity lives under content/, and the file ending it uses.
KIND_DIRS: dict[str, tuple[str, str]] = {p.kind: (p.folder, p.endings[0]) for p in PLACES if p.kind}
# Places that hold files but no entities of their own.
PASSIVE_DIRS = tuple(p.folder for p in PLACES if p.kind is None)
# How a hint names a file format by its ending.
FORMATS = {".yaml": "YAML", ".md": "Markdown"}


def entity_folders(fence: Boundary) -> list[str]:
    """The folders standing in an entity file's place (`content/heroes/aria.yaml/`,
    HF0125 said by load/files.py `discover`) in the project `fence` guards, sorted:
    nothing in them is read, so the build's fingerprint (engine/sources.py) names them,
    or one appearing after a build would leave the next a no-op while check fails."""
    content = os.path.join(fence.root, "content")
    found: list[str] = []
    for folder, suffix in KIND_DIRS.values():
        base = os.path.join(content, folder)
        if fence.is_dir(base):   # as the Boundary reads a link, never as the system follows it (out, too)
            found += folders_named_like_files(base, suffix, fence)
    return sorted(found)


def folders_named_like_files(base: str, suffix: str, fence: Boundary) -> list[str]:
    """The folders directly in the entity folder `base` whose names end in the kind's
    `suffix`, sorted: a link to a folder inside the project counts as the folder it
    leads to; a link out does not (the walk says HF0120 at it, once). A link is asked of
    the Boundary, never of the system: DirEntry.is_dir() followed it and raised for one
    through a file (`z.yaml -> aria.yaml/x`, NotADirectoryError), and the listing's
    OSError dropped every folder in an entity's place (HF0125) from the check. `base`
    itself is listed where the Boundary resolves it, its entries named under `base`:
    listed by its path, `content/heroes -> h\\x` (the Boundary reads `h/x`, as Windows
    does) was followed by the system through a name `h\\x` linked out of the project,
    and check listed that folder and said HF0125 at each `.yaml` folder in it."""
    real = fence.resolve(base)
    if real is None:
        return []
    prefix = base.rstrip(os.sep) + os.sep
    try:
        with os.scandir(real) as entries:
            return sorted(prefix + e.name for e in entries
                          if e.name.endswith(suffix) and _has_stem(e.name)
                          and (fence.is_dir(prefix + e.name) if e.is_symlink() else e.is_dir(follow_symlinks=False)))
    except OSError:
        return []


def _has_stem(name: str) -> bool:
    """Whether `name` has a stem before its last dot (".yaml" alone is a hidden name)."""
    return 0 < name.rfind(".")


# Kinds whose ids are one set: stories and relationships name either (HF0107).
SHARED_IDS = {"hero": ("hero", "character"), "character": ("hero", "character")}
# Kinds the site gives a page each, in a folder that also holds the page listing them
# (ids.LIST_PAGE: site/heroes/index.html); the site's own words (exporters/html/urls.py
# FOLDERS), here where a hint is spelled (tests/foundation/test_check_sees_build.py
# holds the two, and the plans, to one answer).
PAGED_KINDS = frozenset({"hero", "character", "quest", "story"})


def id_line_too(declared: object, new_id: str) -> str:
    """What a hint telling a file its new name (HF0113, HF0720, HF0105) adds when the
    file holds an `id:` line (`declared`, None without one) that is not that name:
    renamed alone, `id: index` in index-2.yaml no longer matched its file (HF0106),
    one more round of check for the writer who followed the hint."""
    return f" and its `id:` line to `{id_line(new_id)}`" if declared is not None and declared != new_id else ""


def id_line(new_id: str) -> str:
    """The `id:` line naming `new_id`, in quotes when YAML reads it written plain as
    no text (`5`, `true`, `0x1f`): `id: 5`, written as a hint told or as `foundry new
    story 5` wrote it, was HF0201 ('should be text, not a whole number'); one YAML
    reads as a number it refuses (`1e999`, 20 nines) was HF0160 or HF0111."""
    return f"id: {new_id}" if plain_text(new_id) else f'id: "{new_id}"'


def taken_ids(content: Path, kind: str) -> set[str]:
    """The ids of `kind` (and of the kinds sharing its ids) the files in their folders
    under `content` have, by their names alone (nothing is read), the name of the page
    listing a paged kind (LIST_PAGE), and every id the hints of check tell a misnamed
    file (`told_ids`): what a hint naming a new or renamed file's id must not name.
    `content/heroes/Index.yaml` was told 'rename it to index.yaml', which check then
    refused as the heroes' index page (HF0720); `foundry new hero Rook` beside Rook.yaml
    was told 'Write it as `rook`', the id check tells Rook.yaml (followed both, one
    file was renamed over the other). Listed only where such a hint is given, and only
    a folder inside the project (a kind's folder linked elsewhere is HF0120: nothing
    outside is listed)."""
    return told_ids(content, kind)[0]


def told_ids(content: Path, kind: str) -> tuple[set[str], dict[str, str]]:
    """(taken, told) of the entity folders under `content` of `kind` and of the kinds
    sharing its ids (SHARED_IDS). `told`: each file whose name no entity keeps — not
    an id (HF0113), a Windows device name (HF0161), the page listing a paged kind
    (LIST_PAGE, HF0720) — by its path under content/ (`heroes/Rook.yaml`), with the id
    a hint tells it (ids.spell_id, "entity" when its name spells none): past every id
    a file has and every id told before it, folder by folder in SHARED_IDS' order, each
    A to Z. `taken`: `taken_ids` and every id told. The one walk every hint naming a
    file's new id reads, so no two name one id: `index.yaml` (HF0720) and `Index-2.yaml`
    (HF0113) were both told 'index-2.yaml', `heroes/Rook.yaml` and `characters/Rook.yaml`
    both 'rook.yaml' (heroes and characters share ids: HF0107 once followed)."""
    fence = boundary(content.parent)
    listings = []
    for each in SHARED_IDS.get(kind, (kind,)):
        folder, suffix = KIND_DIRS[each]
        real = fence.resolve(content / folder)
        try:
            listings.append((each, tuple(sorted(os.listdir(real))) if real is not None else ()))
        except OSError:
            listings.append((each, ()))
    taken, told = _told(kind, tuple(listings))
    return set(taken), dict(told)


@functools.lru_cache(maxsize=8)
def _told(kind: str, listings: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[frozenset[str], tuple]:
    """told_ids from the sorted names of each folder sharing `kind`'s ids: one walk per
    set of names, not one per refused file asking (a folder of 1,000 misnamed heroes
    was walked 1,000 times, each spelling every name before it)."""
    taken: set[str] = {LIST_PAGE} if kind in PAGED_KINDS else set()
    for each, names in listings:
        suffix = KIND_DIRS[each][1]
        taken.update(name[:-len(suffix)] for name in names
                     if name.endswith(suffix) and re.match(SLUG_PATTERN, name[:-len(suffix)]))
    used = taken - WINDOWS_DEVICE_NAMES   # a device name a file has is refused, not taken
    told: dict[str, str] = {}
    for each, names in listings:
        folder, suffix = KIND_DIRS[each]
        for name in names:
            # an editor's file is no content (Emacs' lock `.#Rook.yaml`, there while a
            # buffer is unsaved, took 'rook' from Rook.yaml, told 'rook-2.yaml' meanwhile)
            stem = name[:-len(suffix)] if name.endswith(suffix) and not is_editor_temp(name) else None
            if stem is None or (stem in used and not (stem == LIST_PAGE and each in PAGED_KINDS)):
                continue
            told[f"{folder}/{name}"] = free = spell_id(stem, used, fallback="entity")
            used.add(free)
    return frozenset(taken | used), tuple(told.items())


def ids_listed(content: Path):
    """`taken_ids` of `content` by kind, each kind's folders listed once, with the ids
    the hints of refused file names tell (`told_ids`): what a stray's hint
    (HF0105) must not name. The caller adds each id it tells (`First-Hero.yaml`,
    `first-hero.yml` and `first-hero.txt` beside first-hero.yaml were all told
    'first-hero-2.yaml': following the hints renamed one file over another). Listed
    once for many strays (a folder of notes beside 10,000 heroes), not per stray."""
    listed: dict[str, set[str]] = {}

    def ids_of(kind: str) -> set[str]:
        if kind not in listed:
            listed[kind] = told_ids(content, kind)[0]
        return listed[kind]
    return ids_of
