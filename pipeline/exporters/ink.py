"""build/ink/<story>.ink: each story as an ink script that inkle's compiler accepts
and that plays like `foundry play` (docs/writing-stories.md, "Exports: ink and Twee").

The mapping: story variables → `VAR`, the protagonist's values → `CONST`, skills →
`CONST skill_<id>`, items → `VAR item_<id>`; each scene → a knot (tags `scene:`,
`title:`, and `ending` on endings), each choice → a sticky `+` choice (ours are offered
whenever their condition holds, however often the scene is visited) whose content opens
with its effects, then the tag `# choice: <id>`.

Why the choice id is a tag on the choice's first content line, not inside the brackets
(`+ [Left #id: left]`): ink before 1.1 — including the compiler bundled in npm inklecate
1.8.1 (ink 0.9, JSON format 19), which many Unity projects and Inky installs still use —
refuses tags inside choice brackets, and ink 0.9's runtime has no per-choice tags at all.
A tag line in the choice's content is accepted by every ink from 0.9 on and reaches the
engine in `currentTags` with the first line after the choice is taken, together with the
next scene's `scene:` tag — when it comes after the choice's `~` effects: before one that
calls a function, ink 1.1 and later end an empty line there with the tag alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .. import expr
from ..diagnostics import Diagnostics
from ..expr.emit import (InkParts, escape_ink_text, ink_helpers, ink_parts, item_variable, skill_variable, to_ink,
                         to_ink_effects)
from ..stories.scenes import Choice, Scene
from ..resolve.world import World
from .base import Plan, Planned, PlanParts, RenderContext, Untemplated, Whole
from ..exporters.languages import in_language, plan_languages
from ..l10n.lines import paragraph_ids
from .ink_numbers import ink_number_problems
from .story_text import StoryExport, one_line, paragraphs, prepare

# Words ink refuses as variable or knot names (Story.IsReservedKeyword), plus its word
# operators, which would read as operators in a condition.
INK_RESERVED = frozenset({"true", "false", "not", "return", "else", "temp", "function",
                          "and", "or", "mod", "has", "hasnt"})
# Statements a line may start with; prose starting so must not be read as one.
_LINE_STARTS = re.compile(r"^(?:[*+\-=~]|TODO|LIST|VAR|CONST|EXTERNAL|INCLUDE)")


class InkExporter(Whole, Untemplated):
    name = "ink"
    version = "6"  # 2: choice ids as a `# choice:` tag line, for ink 0.9; 3: exact division (HF_div…); 4: deep parts as functions; 5: `# lang:` on a line in another language; 6: effects before the choice's tags

    def plan(self, world: World, parts: PlanParts | None = None) -> Plan:
        # One script per story and output language (ink/<lang>/<story>.ink): exporters/languages.py
        items = tuple(plan_languages(lambda w: [Planned(f"ink/{sid}.ink", sid) for sid in sorted(w.stories)], world, self.name))
        # numbers inklecate would refuse, at the writer's line: a limit of ink's alone,
        # said only when ink is made (Plan.limits; engine/outputs.py check_outputs)
        limits = Diagnostics()
        ink_number_problems(world, limits, parts)
        return Plan(items, limits=tuple(limits.items))

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        with in_language(ctx, item) as (ctx, item):
            export = prepare(ctx.world, item.data, INK_RESERVED)
            entry = ctx.world.stories[item.data]
            locale = ctx.world.locale
            return ink_source(export, entry.path, ctx.diags, entry.doc if locale is not None else None,
                              (lambda lid: locale.fallback_marks(lid).get("lang")) if locale is not None else None
                              ).encode("utf-8")


def ink_source(export: StoryExport, source_path: str, diags: Diagnostics, line_ids: Any = None,
               shown_in: Callable[[str], str | None] | None = None) -> str:
    """The story as ink. With `line_ids` (the story's document, in a project with
    [l10n] languages), every scene
    title, paragraph and choice also carries its line id as a `# line:` tag, so an
    engine can look a line up in the string tables (docs/localization.md).
    `shown_in(line id)`: the language a line is shown in when it is not the script's
    own (a base-language fallback, `pt`'s words in a `pt-BR` script), else None; such a
    line's id tag is followed by `# lang: <tag>` (`# title_lang:` for a scene's title),
    ink's one way to say something of a line, as the site's `lang` and Twee's say it."""
    lang = shown_in or (lambda line_id: None)
    story = export.story
    knots = knot_names(story.scenes, set(export.variables) | set(export.hero) | INK_RESERVED
                       | {skill_variable(s) for s in export.skills} | {item_variable(i) for i in export.items})
    lines = [f"// {one_line(story.front.title)}: exported by Hero Foundry from {source_path}.",
             *_declarations(export), "", f"-> {knots[story.front.start]}"]
    parts: InkParts = {}   # deep parts of conditions and effects, as functions (emit.INK_NESTING)
    for scene in story.scenes.values():
        ids = _by_row(scene, paragraph_ids(story.id, scene, line_ids)) if line_ids is not None else None
        lines += ["", *_knot(scene, knots, export, diags, parts, f"story.{story.id}" if ids is not None else None, ids,
                             lang)]
    if parts:
        lines += ["", "// Parts of deeply nested conditions and effects: ink's parser reads only so deep a line"]
        for part in ink_parts(parts):
            lines += ["", part]
    # Conditions (`+ {…} [`), effects (`  ~ …`) and the parts' bodies (`~ return …`) are
    # the only lines that call a helper: prose and choice text escape `{` and `~`.
    helpers = ink_helpers(line for text in lines for line in text.split("\n")
                          if line.startswith(("+ {", "  ~ ", "~ return ")))
    if helpers:
        lines += ["", "// Division and rounding exactly as Hero Foundry computes them, in every ink runtime"]
        for helper in helpers:
            lines += ["", helper]
    return "\n".join(lines) + "\n"


def _by_row(scene: Scene, ids: list[tuple[str, bool]]) -> list[list[str]]:
    """The line ids of each plain paragraph of `scene` (`paragraphs(scene.text)`), in
    order: the ids of the paragraphs it shows (Paragraph.shown). Most show one
    paragraph; a table's row shows its cells, each a line of its own for translators.
    A plain paragraph that no written paragraph makes (a scene break, a code block)
    carries none, and no id after it moves: ids were matched by their order, so a scene
    with a break or a code block lost every id."""
    rows: list[list[str]] = [[] for _ in paragraphs(scene.text)]
    for para, (lid, _) in zip(scene.paragraphs, ids):
        if 0 <= para.shown < len(rows):
            rows[para.shown].append(lid)
    return rows


def knot_names(scenes, taken: set[str]) -> dict[str, str]:
    """Scene id → knot name. ink names cannot hold '-', be all digits, or repeat a
    variable's name: `gate-2` → `gate_2`; a clash becomes `scene_<name>`."""
    bases = {sid: sid.replace("-", "_") for sid in scenes}
    used = set(taken)
    out = {}
    for sid, base in bases.items():
        name = base
        if name.isdigit() or name in taken:
            name = "scene_" + base
            while name in used or name in bases.values():
                name += "_"
        used.add(name)
        out[sid] = name
    return out


def _declarations(export: StoryExport) -> list[str]:
    lines = []
    if export.variables:
        lines += ["", "// Story variables"]
        lines += [f"VAR {name} = {_literal(value)}" for name, value in export.variables.items()]
    who = export.player.hero or "an average level-1 hero"
    lines += ["", f"// The hero ({who}): fixed for this export"]
    lines += [f"CONST {name} = {_literal(value)}" for name, value in export.hero.items()]
    lines += [f"CONST {skill_variable(s)} = {_literal(has)}" for s, has in export.skills.items()]
    if export.items:
        lines += ["", "// Items: the hero's, and those the story tests or moves"]
        lines += [f"VAR {item_variable(i)} = {_literal(has)}" for i, has in export.items.items()]
    return lines


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return to_ink(expr.String(value))
    return to_ink(expr.Number(value))


def _knot(scene: Scene, knots: dict[str, str], export: StoryExport, diags: Diagnostics, parts: InkParts,
          ids: str | None = None, paragraph_ids: list[list[str]] | None = None,
          lang: Callable[[str], str | None] = lambda line_id: None) -> list[str]:
    lines = [f"=== {knots[scene.id]} ===", f"# scene: {scene.id}", f"# title: {escape_ink_text(one_line(scene.title))}"]
    if ids:
        lines.append(f"# title_line: {ids}.scene.{scene.id}")
        if other := lang(f"{ids}.scene.{scene.id}"):
            lines.append(f"# title_lang: {other}")
    if scene.ending:
        lines.append("# ending")
    shown = paragraphs(scene.read_text())   # a cell's `|` as typed: ink's own escape keeps it text
    # A paragraph's line id rides on its first line (_by_row: which ids each shows).
    tags = ["".join(f" # line: {lid}" + "".join(f" # lang: {other}" for other in filter(None, [lang(lid)]))
                    for lid in row) for row in paragraph_ids or ()]
    for n, paragraph in enumerate(shown):
        out = [prose_line(line) for line in paragraph]
        if n < len(tags):
            out[0] += tags[n]
        lines += out + [""]
    if scene.ending or not scene.choices:
        # An ending, or a dead end the story check warned about: the story stops.
        return lines + ["-> END"]
    for choice in scene.choices:
        lines += _choice(choice, knots, export, diags, parts, ids, lang)
    if all(choice.condition is not None for choice in scene.choices):
        # When no condition holds, ink would run out of content (a runtime error);
        # a fallback choice ends the story quietly instead, as `foundry play` stops.
        lines.append("+ -> END")
    return lines


def _choice(choice: Choice, knots: dict[str, str], export: StoryExport, diags: Diagnostics, parts: InkParts,
            ids: str | None = None, lang: Callable[[str], str | None] = lambda line_id: None) -> list[str]:
    try:
        condition = export.condition(choice)
        test = f"{{{to_ink(condition, parts)}}} " if condition is not None else ""
        effects = to_ink_effects(export.effects(choice), parts)
    except expr.ExprError as err:  # the story check refuses these; never a traceback
        span = choice.condition_span or choice.span
        diags.add(err.code, f"cannot export to ink: {err.message}", span.shifted(err.offset, err.length))
        return []
    text = escape_ink_text(one_line(choice.text), also="[]")
    line = [f"  # line: {ids}.choice.{choice.id}"] if ids else []
    if ids and (other := lang(f"{ids}.choice.{choice.id}")):
        line.append(f"  # lang: {other}")
    # the effects before the tags: ink 1.1 and later end the line at a `~` line that calls
    # a function (HF_floor_div, HF_round, MIN…) after a tag, and the engine got an empty
    # line carrying `choice:` alone, then the scene's first line without it
    return [f"+ {test}[{text}]", *(f"  {e}" for e in effects), f"  # choice: {choice.id}", *line,
            f"  -> {knots[choice.target]}"]


def prose_line(text: str) -> str:
    """One line of prose as ink text: every character ink would read as markup is
    escaped with a backslash, and a line that would start a statement is escaped too."""
    escaped = escape_ink_text(text)
    return "\\" + escaped if _LINE_STARTS.match(escaped) else escaped
