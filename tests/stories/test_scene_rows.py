"""A story's scenes kept in the parse cache (stories/scenes.py `parse_scenes_cached`):
read back by a fresh cache (the next process) they are the scenes parsed, field for
field, for choices with and without a condition and effects; a row of choices without
them holds no null, so orjson writes and reads it (load/rowjson.py)."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.load.cache import ParseCache
from pipeline.load.documents import load_document
from pipeline.load.files import discover
from pipeline.stories.scenes import parse_scenes, parse_scenes_cached
from support import write_project

STORY = """---
title: Rows
start: hall
---

## The Hall {#hall}

A *long* hall.

- [Open the door](#yard){if="gold >= 1" do="gold -= 1"}
- [Wait](#hall){do="set waited"}
- [Look up](#yard){if="waited"}
- [Leave](#yard)

## The Yard {#yard}

The end.
"""


def _story(root):
    diags = Diagnostics()
    found = next(f for f in discover(root, diags) if f.kind == "story")
    return load_document(found, diags)


def test_scenes_read_back_by_the_next_process_are_the_scenes_parsed(tmp_path):
    root = write_project(tmp_path / "world", {"content/stories/rows.md": STORY})
    doc = _story(root)
    parsed = parse_scenes(doc, Diagnostics())
    cache = ParseCache(root)
    assert parse_scenes_cached(doc, Diagnostics(), cache) == parsed
    cache.save()
    again = ParseCache(root)
    assert parse_scenes_cached(doc, Diagnostics(), again) == parsed
    assert again.hits == 1
    choices = [c for s in parsed for c in s.choices]
    assert {(c.condition is None, c.effects is None) for c in choices} == {(False, False), (True, False),
                                                                          (False, True), (True, True)}
    # the table's rows as stored: UTF-8 bytes (load/cache.py `preloaded`)
    rows = [payload.decode() for payload in again.preloaded.values() if b'"choices"' in payload]
    assert len(rows) == 1 and not rows[0].startswith(" ") and "null" not in rows[0]
