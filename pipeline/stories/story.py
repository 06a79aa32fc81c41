"""A story document → a checked `Story`: front matter, scenes, and every choice's
condition and effects parsed and type-checked against what is in scope."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .. import expr
from ..diagnostics import Diagnostics, Span, suggestion
from ..entities import Entry
from ..load.documents import Document
from ..load.markdown import fits_budget
from ..rules import RuleBook, report_expr_error
from ..validate import validate_document
from .models import StoryFront
from .scenes import Choice, Scene, parse_scenes_cached

_TYPES = {bool: expr.Type.BOOL, int: expr.Type.NUMBER, str: expr.Type.STRING}


@dataclass(frozen=True)
class Story:
    id: str
    front: StoryFront
    scenes: dict[str, Scene]          # in the order written
    scope: expr.Scope

    @property
    def endings(self) -> list[Scene]:
        return [s for s in self.scenes.values() if s.ending]

    def choices(self):
        for scene in self.scenes.values():
            yield from ((scene, c) for c in scene.choices)


def load_story(doc: Document, rules: RuleBook, diags: Diagnostics, cache: Any = None) -> Entry[Story] | None:
    front = validate_document(doc, StoryFront, diags)
    if front is None:
        return None
    if not fits_budget(doc.body, doc.path, doc.body_line, diags):
        return None   # too large to parse: one error, not a cascade about its scenes
    scope = story_scope(doc, front, rules, diags)
    scenes = _index_scenes(doc, parse_scenes_cached(doc, diags, cache), diags)
    if front.start not in scenes:
        diags.add("HF0304", f"start scene '{front.start}' does not exist", doc.span("start"),
                  hint=suggestion(front.start, scenes, "Scenes are the `## Heading {#id}` lines."))
    if scenes and not any(s.ending for s in scenes.values()):
        diags.add("HF0508", "the story has no ending", Span(doc.path, doc.body_line, 1))
    checked = {sid: _check_scene(scene, scenes, scope, diags) for sid, scene in scenes.items()}
    return Entry("story", doc.id, Story(doc.id, front, checked, scope), doc)


def story_scope(doc: Document, front: StoryFront, rules: RuleBook, diags: Diagnostics) -> expr.Scope:
    """Story variables (writable) on top of the protagonist's attributes, derived stats
    and level (read-only)."""
    hero = rules.hero_scope()
    names = dict(hero.names)
    for name, value in front.variables.items():
        if name in hero.names:
            diags.add("HF0512", f"variable '{name}' has the name of a hero attribute or stat",
                      doc.key_span("variables", name), hint="Rename the variable; conditions read the hero's value by this name.")
            continue
        names[name] = _TYPES[type(value)]
    return expr.Scope(names, frozenset(n for n in front.variables if n not in hero.names))


def _index_scenes(doc: Document, scenes: list[Scene], diags: Diagnostics) -> dict[str, Scene]:
    index: dict[str, Scene] = {}
    for scene in scenes:
        if not scene.id:
            continue
        if scene.id in index:
            diags.add("HF0501", f"scene id '{scene.id}' is used twice (first at line {index[scene.id].span.line})",
                      scene.span)
            continue
        index[scene.id] = scene
    return index


def _check_scene(scene: Scene, scenes: dict[str, Scene], scope: expr.Scope, diags: Diagnostics) -> Scene:
    seen: dict[str, Choice] = {}
    checked = []
    for choice in scene.choices:
        if choice.target not in scenes:
            diags.add("HF0304", f"choice '{choice.text[:40]}' leads to unknown scene '{choice.target}'",
                      choice.target_span, hint=suggestion(choice.target, scenes))
        if choice.id in seen:
            diags.add("HF0511", f"two choices in scene '{scene.id}' have the id '{choice.id}'", choice.span,
                      hint=f"Both lead to '{choice.target}'; give this one `{{id=\"…\"}}`." if not choice.authored_id else None)
        seen[choice.id] = choice
        checked.append(_check_choice(choice, scope, diags))
    return dataclasses.replace(scene, choices=tuple(checked))


def _check_choice(choice: Choice, scope: expr.Scope, diags: Diagnostics) -> Choice:
    condition = effects = None
    if choice.condition is not None:
        condition = _parse(choice.condition, choice.condition_span, scope, diags, is_effect=False)
    if choice.effects is not None:
        effects = _parse(choice.effects, choice.effects_span, scope, diags, is_effect=True)
    return dataclasses.replace(choice, condition_ast=condition, effects_ast=tuple(effects or ()))


def _parse(text: str, span: Span, scope: expr.Scope, diags: Diagnostics, is_effect: bool):
    what = "effect" if is_effect else "condition"
    try:
        parsed = expr.parse_effects(text) if is_effect else expr.parse_expression(text)
    except expr.ExprError as err:
        report_expr_error(err, span, diags, what)
        return None
    if is_effect:
        problems = expr.check_effects(parsed, scope)
    else:
        found, problems = expr.check_all(parsed, scope)
        if not problems and found is not expr.Type.BOOL:
            diags.add("HF0603", f"a condition must be true or false, but this gives {found.name.lower()}", span)
            return None
    for err in problems:
        report_expr_error(err, span, diags, what)
    return None if problems else parsed
