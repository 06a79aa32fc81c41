"""A checked story kept with the other entities' validation (stories/story_codec.py,
resolve/world.py ENTRY_CODEC): read back by the next process it is the story
`load_story` made — front matter with the fields its writer set, scenes in order,
every choice's expression trees with their source offsets (which `==` leaves out), the
scope — for every story of tests/roots and of the sample, and what checking it
reported is said again, every field, in order. A story whose front matter was salvaged
is not kept; a row in another shape is a miss (validated again), never a crash."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest
from pydantic import BaseModel

from pipeline import expr, seal
from pipeline.diagnostics import Diagnostics
from pipeline.load.cache import ParseCache
from pipeline.load.documents import load_document
from pipeline.load.files import discover
from pipeline.load.project import load_project
from pipeline.queries import Queries
from pipeline.resolve import world as world_module
from pipeline.rules import load_rule_book
from pipeline.stories.story import outline_of
from pipeline.stories.story_codec import KeptScenes
from support import REPO, ROOTS, parse_cache_rows, rewrite_parse_cache, write_project

# Conditions and effects of every kind of node, two of them wrong (an unknown name, a
# condition giving a number: their columns come from the nodes' offsets), a Markdown
# title, a paragraph, a choice whose id was written.
STORY = """---
title: "The *Long* Hall"
start: hall
variables: {gold: 2, waited: false, name: ""}
---

## The Hall {#hall}

A *long* hall.

- [Open the door](#yard){if="gold >= 1 and not waited or has('key')" do="gold -= 1 + 2 * 3; give 'map'"}
- [Wait](#hall){do="set waited; take 'map'; name = 'x'"}
- [Look](#yard){id="look" if="-gold < 3 and wisdom"}
- [Count](#yard){if="gold + 1"}
- [Leave](#yard)

## The Yard {#yard}

The end.
"""


def _same(a, b, where: str = "story") -> None:
    """`a` and `b` equal in every field, those `==` leaves out too (a node's offset and
    length, an entry's HTML), a model's set fields, a dict's order. Scenes read back
    (KeptScenes, made on first read) are compared as the dict they stand for."""
    if isinstance(a, KeptScenes) or isinstance(b, KeptScenes):
        a, b = (dict(x.items()) if isinstance(x, KeptScenes) else x for x in (a, b))
    assert type(a) is type(b), where
    if isinstance(a, BaseModel):
        assert a.model_fields_set == b.model_fields_set, where
        _same(dict(a.__dict__), dict(b.__dict__), where)
    elif dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            _same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{n}]")
    else:
        assert a == b, where


def _stories(root):
    """(document, rule book) of each story file of the project at `root`."""
    diags = Diagnostics()
    load_project(root, diags)
    rules = load_rule_book(root, diags)
    for found in discover(root, diags):
        if found.kind == "story" and not found.refused:
            doc = load_document(found, Diagnostics())
            if doc is not None:
                yield doc, rules


def _ask(root, doc, rules, cache: ParseCache) -> tuple[Queries, object, list]:
    """validate_entry asked as load_world asks it, in a table backed by `cache`."""
    queries = Queries()
    queries.begin("test-base", store=cache)
    queries.persist("validate", world_module.ENTRY_CODEC)
    found = Diagnostics()
    answer = queries.ask("validate", world_module.validate_entry, doc, rules, diags=found, cache=cache)
    return queries, answer, [(d.severity, d.code, d.message, d.span, d.hint) for d in found.items]


def _roots_with_stories():
    roots = [REPO] + sorted(p for p in ROOTS.iterdir() if p.is_dir())
    return [root for root in roots if any((root / "content" / "stories").glob("*.md"))]


@pytest.mark.parametrize("source", _roots_with_stories(), ids=lambda p: p.name)
def test_every_story_read_back_by_the_next_process_is_the_story_checked(tmp_path, source):
    root = tmp_path / "world"
    shutil.copytree(source / "content" / "stories", root / "content" / "stories")
    for name in ("foundry.toml", "schemas"):
        if (source / name).is_file():
            shutil.copy(source / name, root / name)
        elif (source / name).is_dir():
            shutil.copytree(source / name, root / name)
    kept = 0
    for doc, rules in _stories(root):
        cache = ParseCache(root)
        _, cold, said = _ask(root, doc, rules, cache)
        cache.save()
        queries, warm, again = _ask(root, doc, rules, ParseCache(root))
        entry, rescued = cold
        if entry is not None and not entry.model.salvaged:
            assert queries.stored == {"validate": 1} and not queries.computed, doc.path
            # what resolving reads of the scenes, kept beside them: the checked story's
            scenes = warm[0].model.scenes
            assert type(scenes) is KeptScenes and not scenes.made, doc.path
            _same(warm[0].model.outline, cold[0].model.outline, doc.path)
            _same(outline_of(scenes), cold[0].model.outline, doc.path)
            kept += 1
        _same(warm, cold, doc.path)
        assert again == said, doc.path
    assert kept or source.name.startswith("invalid-")   # an invalid root's stories may all be salvaged


def test_expressions_keep_their_offsets_and_findings_their_columns(tmp_path):
    root = write_project(tmp_path / "world", {"content/stories/hall.md": STORY})
    (doc, rules), = [(d, r) for d, r in _stories(root) if d.id == "hall"]
    cache = ParseCache(root)
    _, cold, said = _ask(root, doc, rules, cache)
    assert {code for _, code, *_ in said} >= {"HF0602", "HF0603"}
    cache.save()

    def refuse(*args, **kwargs):
        raise AssertionError("validated again although its answer was stored")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(world_module, "load_story", refuse)
        queries, warm, again = _ask(root, doc, rules, ParseCache(root))
    assert queries.stored == {"validate": 1}
    _same(warm, cold)
    assert again == said
    nodes = [n for _, c in warm[0].model.choices() for tree in (c.condition_ast, *c.effects_ast)
             if tree is not None for n in expr.walk(tree)]
    assert len({type(n).__name__ for n in nodes}) >= 10 and all(n.length for n in nodes)
    assert len({n.offset for n in nodes}) > 5


def test_a_salvaged_front_matter_is_validated_again(tmp_path):
    root = write_project(tmp_path / "world", {"content/stories/hall.md": STORY.replace("start: hall", "start: 5")})
    (doc, rules), = [(d, r) for d, r in _stories(root) if d.id == "hall"]
    cache = ParseCache(root)
    _, cold, said = _ask(root, doc, rules, cache)
    assert cold[0].model.salvaged and cold[1]
    cache.save()
    queries, warm, again = _ask(root, doc, rules, ParseCache(root))
    assert queries.computed == {"validate": 1} and not queries.stored
    _same(warm, cold)
    assert again == said


# Story rows in shapes this code does not write, sealed by this machine's key: misses.
_HEAD = {"format": 2, "id": "hall", "front": {"title": "T", "start": "hall"}, "title_html": "", "slipped": False,
         "outline": [False, [], []]}
_CHOICE = ["c", "C", "hall", "x", False, [1, 1, 2], [1, 2, 3], [1, 3, 4], False, False]
SHAPES = [
    {"format": 0},
    {"format": 1},
    {**_HEAD, "front": {"title": "T", "start": 5}, "scenes": []},
    {**_HEAD, "scenes": [["hall"]]},
    {**_HEAD, "scenes": 3, "id": 7},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [_CHOICE + [["?", 0, 1, 2], [], ""]], "", [], ""]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [_CHOICE + [["x", 0, 1, "+"], [], ""]], "", [], ""]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1], "", "", 0, [], "", [], ""]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [_CHOICE + [["u", 0, 1], [], ""]], "", [], ""]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [_CHOICE + [["v", 0, 1, "a", "b"], [], ""]], "", [],
                          ""]]},
    # the outline kept beside the scenes, and what is checked before a scene is made
    {**_HEAD, "scenes": [], "outline": [False, []]},
    {**_HEAD, "scenes": [], "outline": ["no", [], []]},
    {**_HEAD, "scenes": [], "outline": [False, [["hall", "c", [3]]], []]},
    {**_HEAD, "scenes": [], "outline": [False, [], [["hall", [3]]]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [], "", [], ""]] * 2},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [], "", [["p", [1, 2], 3, 4]], ""]]},
    {**_HEAD, "scenes": [["hall", "H", True, [1, 1, 2], "", "", 0, [_CHOICE + [False, [["x", 0, 1, "+", ["n", 0, 1, 2]]],
                                                                            ""]], "", [], ""]]},
]


@pytest.mark.parametrize("shape", range(len(SHAPES) + 2))
def test_a_story_row_forged_or_in_another_shape_is_a_miss(tmp_path, shape):
    root = write_project(tmp_path / "world", {"content/stories/hall.md": STORY})
    (doc, rules), = [(d, r) for d, r in _stories(root) if d.id == "hall"]
    cache = ParseCache(root)
    _, cold, said = _ask(root, doc, rules, cache)
    cache.save()
    secret, rows = seal.key(root), []
    for key, payload, tag in parse_cache_rows(root):
        value = json.loads(payload)
        if isinstance(value, dict) and isinstance(value.get("value"), dict) and "story" in value["value"]:
            if shape < len(SHAPES):        # sealed with this machine's key, in another shape
                value["value"]["story"] = SHAPES[shape]
                payload = json.dumps(value)
                tag = seal.mac(secret, f"cache:parsed:{key}", payload.encode())
            elif shape == len(SHAPES):     # its title changed under the old seal
                value["value"]["story"]["front"]["title"] = "Forged"
                payload = json.dumps(value)
            else:                          # sealed with another key
                value["value"]["story"]["front"]["title"] = "Forged"
                payload = json.dumps(value)
                tag = seal.mac(b"k" * 32, f"cache:parsed:{key}", payload.encode())
        rows.append((key, payload, tag))
    rewrite_parse_cache(root, rows)
    queries, warm, again = _ask(root, doc, rules, ParseCache(root))
    assert queries.computed == {"validate": 1} and not queries.stored
    _same(warm, cold)
    assert again == said
