"""A checked `Story` as JSON data and back, equal to the one `load_story` made.

A fresh build validated each of the world's stories again (its front matter, its
scenes taken from the parse table, every choice's condition and effects parsed and
type-checked: ~0.26 CPU-s at 500 stories) because a story was not kept with the other
entities' validation (resolve/world.py ENTRY_CODEC). This keeps it: the front matter
(the fields its writer set), the scenes in their order with every choice's expression
trees — source offsets included, which expr/json_ast.py leaves out and the
diagnostics' columns come from; the scope is made again from the front matter and
the rules (a few dict entries). The query table keeps what checking
the story reported beside it and reports it again (queries.py), so a story taken from
here says what validating it said, at the same line and column.

The data lives in the sealed parse table (load/cache.py): only rows this user's
foundry wrote are read, so a row is checked by its format and its shape (every
record's arity), not field by field. `decode` raises TypeError, ValueError or KeyError
for a row not in that shape (the table's miss: the story is validated again), never
anything else.

The scenes come back undecoded (`KeptScenes`): their rows' shape is checked as they are
read, the objects made on first use. What resolving and checking the World read of
them (stories/story.py `Outline`: whether an expression broke, what each choice sets,
where the prose links) is kept beside them, made from the very scenes when the row was
written, so a build that renders none of a story's pages never makes its scenes: at
500 stories ~0.12 CPU-s of every build's serial path, the shape's check ~0.02.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import expr
from ..diagnostics import Diagnostics, Span
from ..load.documents import Document
from ..queries import DecodedOnRead
from ..rules import RuleBook
from .models import StoryFront
from .scenes import Choice, Paragraph, Scene
from .story import Outline, Story, story_scope

FORMAT = 5   # 2: the Outline kept beside the scenes; 3: a paragraph's plain block; 4: a scene's headings; 5: its table rows


def encode(story: Story) -> dict | None:
    """`story` as JSON data; None for a story not kept (its front matter was salvaged:
    a model validation would not give back)."""
    if story.salvaged or type(story.front) is not StoryFront:
        return None
    return {"format": FORMAT, "id": story.id,
            "front": story.front.model_dump(exclude_unset=True),
            "scenes": [_scene(s) for s in story.scenes.values()], "outline": _outline(story.outline),
            "title_html": story.title_html, "slipped": story.slipped}


def decode(data: Any, doc: Document, rules: RuleBook) -> Story:
    """The Story `encode` wrote of `doc` (its spans are at its path) under `rules`."""
    if data["format"] != FORMAT:
        raise ValueError("another format")
    front = StoryFront.model_validate(data["front"])   # ValidationError is a ValueError
    scenes = KeptScenes(doc.path, data["scenes"], _outline_from(data["outline"]))
    # the scope made again from the front matter and the rules, as `load_story` made it
    # (what it reported is the stored answer's): the very sets, in the same order of
    # iteration in this process, which a set read back from a list need not have
    scope = story_scope(doc, front, rules, Diagnostics())
    return Story(_text(data["id"]), front, scenes, scope, False, _text(data["title_html"]), data["slipped"] is True)


class KeptScenes(DecodedOnRead):
    """A story's scenes as `decode` read them: their ids and the story's Outline at once,
    the Scene objects (and their choices, paragraphs, spans and expression trees) made
    on the first read of one, all together, as `_scene_from` makes them. Equal to, and
    printed, pickled and copied as, the dict of those scenes in their order: a story
    read back is the story checked (tests/stories/test_story_rows.py). `rows` are checked
    for their shape when this is made (ValueError, TypeError or KeyError: the table's
    miss), so the first read cannot fail."""

    def __init__(self, path: str, rows: Any, outline: Outline) -> None:
        if type(rows) is not list:
            raise TypeError("not a list of scenes")
        for row in rows:
            _scene_shape(row)
        self.ids = dict.fromkeys(_text(row[0]) for row in rows)   # in their order: iterating needs no Scene
        if len(self.ids) != len(rows):
            raise ValueError("a scene id twice")
        self.outline = outline
        self._path, self._rows = path, rows
        self._scenes: dict[str, Scene] | None = None

    def _make(self) -> dict[str, Scene]:
        scenes = self._scenes
        if scenes is None:
            scenes = {}
            for row in self._rows:
                scene = _scene_from(self._path, row)
                scenes[scene.id] = scene
            self._scenes, self._rows = scenes, None
        return scenes

    @property
    def made(self) -> bool:
        """Whether the Scene objects were made (a test's question)."""
        return self._scenes is not None

    def __getitem__(self, sid: str) -> Scene:
        return self._make()[sid]

    def keyed(self) -> dict[str, None]:   # noqa: D102 (DecodedOnRead's): no Scene made to iterate
        return self.ids

    def values(self):   # noqa: D102
        return self._make().values()

    def items(self):   # noqa: D102
        return self._make().items()

    def decoded(self) -> dict[str, Scene]:
        """The scenes, made (the dict kept: not to be changed)."""
        return self._make()


def _outline(outline: Outline) -> list:
    return [outline.broken, [[sid, cid, sorted(names)] for sid, cid, names in outline.written],
            [[sid, list(hrefs)] for sid, hrefs in outline.links]]


def _outline_from(row: Any) -> Outline:
    broken, written, links = row
    if type(broken) is not bool:
        raise TypeError("not a bool")
    return Outline(broken, tuple([(_text(sid), _text(cid), frozenset(map(_text, names))) for sid, cid, names in written]),
                   tuple([(_text(sid), tuple(map(_text, hrefs))) for sid, hrefs in links]))


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a text")
    return value


def _made(cls: type, names: tuple[str, ...], values) -> Any:
    """An instance of the frozen dataclass `cls` with these fields' values, made as
    `cls(*values)` would make it (none of these classes has a `__post_init__`) without
    its `__init__`'s one `object.__setattr__` a field: 50,000 spans, 16,000 choices and
    scenes and 15,000 expression nodes a build at 500 stories. The row is this code's
    own (sealed, and of its FORMAT): its shape is checked by its arity alone."""
    made = object.__new__(cls)
    made.__dict__.update(zip(names, values, strict=True))
    return made


def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


_SPAN, _CHOICE, _SCENE, _PARAGRAPH = _names(Span), _names(Choice), _names(Scene), _names(Paragraph)


# An absent value (a choice without a condition, its span) is written `false`, never
# `null`: a row holding no `null` is written and read by orjson (load/rowjson.py), ~4x
# faster to read than one json reads. No field held so is ever a bool.
_NONE = False


def _where(span: Span | None) -> list[int] | bool:
    return _NONE if span is None else [span.line, span.column, span.end_column]


def _span(path: str, where: Any) -> Span | None:
    if where is _NONE:
        return None
    line, column, end = where
    return _made(Span, _SPAN, (path, line, column, end, "", ()))   # a story's place: never an argument, never in a YAML value


def _scene(scene: Scene) -> list:
    return [scene.id, scene.title, scene.ending, _where(scene.span), scene.html, scene.text, scene.words,
            [_choice(c) for c in scene.choices], scene.title_html,
            [[p.text, _where(p.span), p.last_line, p.shown] for p in scene.paragraphs], scene.title_source,
            list(scene.headings), list(scene.rows)]


def _scene_from(path: str, row: Any) -> Scene:
    sid, title, ending, span, html, text, words, choices, title_html, paragraphs, title_source, headings, rows = row
    return _made(Scene, _SCENE, (_text(sid), title, ending, _span(path, span), html, text, words,
                                 tuple([_choice_from(path, c) for c in choices]), title_html,
                                 tuple([_made(Paragraph, _PARAGRAPH, (t, _span(path, at), last, shown))
                                        for t, at, last, shown in paragraphs]), title_source,
                                 tuple(int(n) for n in headings), tuple(int(n) for n in rows)))


def _choice(c: Choice) -> list:
    return [c.id, c.text, c.target, _NONE if c.condition is None else c.condition,
            _NONE if c.effects is None else c.effects, _where(c.span), _where(c.target_span),
            _where(c.condition_span), _where(c.effects_span), c.authored_id,
            _NONE if c.condition_ast is None else _node(c.condition_ast), [_node(e) for e in c.effects_ast],
            c.source]


def _choice_from(path: str, row: Any) -> Choice:
    cid, text, target, condition, effects, span, target_span, condition_span, effects_span, authored, \
        condition_ast, effects_ast, source = row
    return _made(Choice, _CHOICE, (cid, text, target, None if condition is _NONE else condition,
                                   None if effects is _NONE else effects, _span(path, span),
                                   _span(path, target_span), _span(path, condition_span), _span(path, effects_span),
                                   authored, None if condition_ast is _NONE else _node_from(condition_ast, 0),
                                   tuple([_node_from(e, 0) for e in effects_ast]), source))


# A node as [tag, offset, length, its fields…]: every field, the offsets too (the
# checker's diagnostics point inside an expression by them; equality leaves them out,
# so a codec that dropped them would pass a test of `==`).
_TAGS = {expr.Number: "n", expr.Bool: "b", expr.String: "s", expr.Name: "v", expr.Unary: "u",
         expr.Binary: "x", expr.Call: "c", expr.Assign: "a", expr.SetFlag: "f", expr.Give: "g", expr.Take: "t"}


def _node(node: expr.Node) -> list:
    tag = _TAGS[type(node)]
    head = [tag, node.offset, node.length]
    if tag in "nbs":
        return head + [node.value]
    if tag == "v":
        return head + [node.name]
    if tag == "u":
        return head + [node.op, _node(node.operand)]
    if tag == "x":
        return head + [node.op, _node(node.left), _node(node.right)]
    if tag == "c":
        return head + [node.func, [_node(a) for a in node.args]]
    if tag == "a":
        return head + [node.target, node.op, _node(node.value)]
    if tag == "f":
        return head + [node.name, node.value]
    return head + [node.item]   # give, take


def _node_from(row: Any, depth: int) -> expr.Node:
    if depth > expr.MAX_DEPTH + 2:   # deeper than the parser makes: not a tree this code wrote
        raise ValueError("too deep")
    tag, offset, length, *rest = row
    cls, names = _CLASSES[tag]
    down = depth + 1
    if tag == "c":
        func, args = rest
        rest = [func, tuple([_node_from(a, down) for a in args])]
    elif tag == "x":
        op, left, right = rest
        rest = [op, _node_from(left, down), _node_from(right, down)]
    elif tag in "ua":   # the child last: (op, operand), (target, op, value)
        *head, child = rest
        rest = [*head, _node_from(child, down)]
    return _made(cls, names, (offset, length, *rest))   # every field, or ValueError


def _scene_shape(row: Any) -> None:
    """What `_scene_from` would refuse of `row` (ValueError, TypeError or KeyError),
    found without making a Scene."""
    sid, title, ending, span, html, text, words, choices, title_html, paragraphs, title_source, headings, rows = row
    _text(sid)
    if not all(type(n) is int for n in headings):
        raise TypeError("not a scene's heading blocks")
    _span_shape(span)
    for choice in choices:
        cid, text, target, condition, effects, span, target_span, condition_span, effects_span, authored, \
            condition_ast, effects_ast, source = choice
        _span_shape(span), _span_shape(target_span), _span_shape(condition_span), _span_shape(effects_span)
        if condition_ast is not _NONE:
            _node_shape(condition_ast, 0)
        for e in effects_ast:
            _node_shape(e, 0)
    for t, at, last, shown in paragraphs:
        _span_shape(at)
        if type(shown) is not int:
            raise TypeError("not a paragraph's block")


def _span_shape(where: Any) -> None:
    if where is not _NONE:
        line, column, end = where


def _node_shape(row: Any, depth: int) -> None:
    """What `_node_from` would refuse of `row`, found without making a node."""
    if depth > expr.MAX_DEPTH + 2:
        raise ValueError("too deep")
    tag, offset, length, *rest = row
    if len(rest) != _ARITY[tag]:   # KeyError for a tag this code does not write
        raise ValueError("another arity")
    down = depth + 1
    if tag == "c":
        for a in rest[1]:
            _node_shape(a, down)
    elif tag == "x":
        _node_shape(rest[1], down), _node_shape(rest[2], down)
    elif tag in "ua":
        _node_shape(rest[-1], down)


# each tag's class, and its fields in the order a row holds them (offset, length first)
_CLASSES = {tag: (cls, ("offset", "length") + tuple(n for n in _names(cls) if n not in ("offset", "length")))
            for cls, tag in _TAGS.items()}
# how many fields each tag's row holds after its offset and length
_ARITY = {tag: len(names) - 2 for tag, (_, names) in _CLASSES.items()}
