"""HF0105, a file foundry does not read: the message says what its folder holds, the
hint what the file would need to be — the kind its fields say it is (the fields each
kind's model declares, as HF0202's hint tells a file in the wrong folder). It said
"not in a place foundry knows" of a hero saved in stories/ as .yaml, naming no kind.

And the reverse: every place foundry reads (load/files.py PLACES, from which discovery
takes its folders) is named, with its endings, by the hint of a file in none of them
and by docs/errors.md; a file of each ending in each place is not called a stray."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.diagnostics import Diagnostic, Diagnostics
from pipeline.engine.builder import check
from pipeline.load.files import PLACES
from support import REPO, write_project

HERO = "name: Rook\ntemplate: scout\nattributes: {agility: 12}\nxp: 10\n"
STORY_FRONT = "title: Fetch\nprotagonist: first-hero\nstart: road\n"
STORY = f"---\n{STORY_FRONT}---\n\n## Road {{#road}}\n\nThe end.\n"
CHARACTER = "name: Guide\nrole: Keeper of the light\n"


def strays(root: Path) -> dict[str, Diagnostic]:
    diags = Diagnostics()
    check(root, diags)
    return {d.span.path: d for d in diags.items if d.code == "HF0105"}


CASES = [
    # path, text, the message's end, the hint's start. All are strays of one project, told
    # A to Z by path: each name a hint tells is told once (three heroes `rook` and four
    # stories `fetch` were each told one file, so following the hints kept one of them)
    ("content/stories/rook.yaml", HERO, "content/stories/ holds stories as Markdown (.md) files",
     "It looks like a hero (`name:`, `template:`, `attributes:`, `xp:` are fields of a hero): "
     "heroes live in content/heroes/ as .yaml files. Move it there as rook-3.yaml."),
    # (`title:` is a hero's field too: the fields a hero lacks say it)
    ("content/heroes/fetch.md", STORY, "content/heroes/ holds heroes as YAML (.yaml) files",
     "It looks like a story (`protagonist:`, `start:` are fields of a story): "
     "stories live in content/stories/ as .md files. Move it there as fetch.md."),
    ("content/heroes/rook.yml", HERO, "content/heroes/ holds heroes as YAML (.yaml) files",
     "It looks like a hero (`name:`, `template:`, `attributes:`, `xp:` are fields of a hero): rename it rook-2.yaml."),
    ("content/stories/fetch.markdown", STORY, "content/stories/ holds stories as Markdown (.md) files",
     "It looks like a story (`title:`, `protagonist:`, `start:` are fields of a story): rename it fetch-2.md."),
    ("content/stories/fetch.txt", STORY, "content/stories/ holds stories as Markdown (.md) files",
     "It looks like a story (`title:`, `protagonist:`, `start:` are fields of a story): rename it fetch-3.md."),
    # a story's front matter saved as YAML: the fences it needs are named
    ("content/stories/fetch.yaml", STORY_FRONT, "content/stories/ holds stories as Markdown (.md) files",
     "It looks like a story (`title:`, `protagonist:`, `start:` are fields of a story): rename it fetch-4.md, "
     "its fields between two `---` lines"),
    ("content/quests/guide.yaml.txt", CHARACTER, "content/quests/ holds quests as YAML (.yaml) files",
     "It looks like a character (`name:`, `role:` are fields of a character): characters live in content/characters/"
     " as .yaml files. Move it there as guide-2.yaml."),
    ("content/heroes/old/rook.yaml", HERO, "content/heroes/ holds heroes as YAML (.yaml) files, directly in it",
     "It looks like a hero (`name:`, `template:`, `attributes:`, `xp:` are fields of a hero): "
     "move it into content/heroes/ itself as rook.yaml."),
    ("content/guide.yaml", CHARACTER + "relationships: []\n", "it is not in a place foundry knows",
     "It looks like a character (`name:`, `role:`, `relationships:` are fields of a character): "
     "characters live in content/characters/"),
    # nothing to tell it by: what the folder holds, and what the file would be named
    ("content/stories/notes.txt", "a note to self\n", "content/stories/ holds stories as Markdown (.md) files",
     "If it is one, rename it notes.md; keep anything else outside content/."),
    # not text a writer wrote: not told to rename it to .yaml
    ("content/heroes/sketch.pdf", "%PDF-1.4\n", "content/heroes/ holds heroes as YAML (.yaml) files",
     "Pictures go in content/assets/, shown as a hero's or character's `portrait:` (no page shows one in prose); "
     "keep anything else outside content/. An image here is read once"),
    # a map beside the story that would show it: moved to content/assets/ as "Files pages
    # show go in content/assets/" told, no page showed it either (`![map](…)` is HF0128)
    ("content/stories/map.png", b"\x89PNG\r\n\x1a\n", "content/stories/ holds stories as Markdown (.md) files",
     "Pictures go in content/assets/, shown as a hero's or character's `portrait:` (no page shows one in prose); "
     "keep anything else outside content/."),
]


@pytest.fixture(scope="module")
def told(tmp_path_factory) -> dict[str, Diagnostic]:
    """Every case's file in one project, checked once."""
    return strays(write_project(tmp_path_factory.mktemp("strays") / "world", {c[0]: c[1] for c in CASES}))


@pytest.mark.parametrize("path, text, said, hint", CASES, ids=[c[0] for c in CASES])
def test_a_stray_is_told_what_it_would_need_to_be(told, path, text, said, hint):
    assert found_only(told, CASES)
    assert told[path].message == f"{path} is not read: {said}"
    assert told[path].hint.startswith(hint), told[path].hint


def found_only(told: dict[str, Diagnostic], cases: list) -> bool:
    return sorted(told) == sorted(c[0] for c in cases)


def test_every_place_foundry_reads_is_named_and_read(project_factory):
    files = {"content/notes.txt": "a note\n"}
    for place in PLACES:
        for ending in place.endings or (".png",):
            lang = "de/" if place.folder == "audio" else ""
            files[f"content/{place.folder}/{lang}spare{ending}"] = b"not checked here\n"
    found = strays(project_factory(files))
    assert list(found) == ["content/notes.txt"]   # nothing in a place foundry reads is a stray
    hint = found["content/notes.txt"].hint
    for place in PLACES:
        assert f"content/{place.folder}/ ({place.holds}: " in hint
        assert all(ending in hint for ending in place.endings)


def test_errors_doc_lists_every_place():
    text = (REPO / "docs/errors.md").read_text(encoding="utf-8")
    section = text[text.index("## HF0105"):text.index("## HF0106")]
    rows = re.findall(r"^\| `content/(\S+)/` \| ([^|]+) \| ([^|]+) \|$", section, re.M)
    assert [folder for folder, _, _ in rows] == [p.folder for p in PLACES]
    for (_, _, endings), place in zip(rows, PLACES):
        assert re.findall(r"`(\.\w+)`", endings) == list(place.endings)
