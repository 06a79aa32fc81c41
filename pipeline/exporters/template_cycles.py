"""Templates that draw themselves without end, judged by `check`.

`{% include "credits.html" %}` in credits.html (or a.html including b.html including
a.html, or a template extending itself) passed `foundry check` clean and stopped every
build at the render ("maximum recursion depth exceeded (while making site/credits.html)").
Whether it happens is known from the templates alone when each step of the round is
taken at every drawing: an extends, or an include of a constant name outside `{% if %}`,
`{% for %}`, a macro, a call or set block (a partial that includes itself for each child
of a tree, under such a guard, ends, and is left to its render), and, in a template that
extends another, inside a block (what stands outside its blocks is never drawn).
"""

from __future__ import annotations

import hashlib
from typing import Iterator

import jinja2

from .template_steps import extends_anywhere, steps as drawn_steps

def cycle_problems(env: jinja2.Environment, names: list[str]) -> Iterator[tuple[str, int, str]]:
    """(name, line, message) for each round of templates that draw one another without
    end, said once, at the first of `names` (the project's own templates) in the round,
    at the line of its step into the round."""
    steps: dict[str, list[tuple[str, int]]] = {}
    said: set[frozenset[str]] = set()
    for name in names:
        path = _round(env, name, steps)
        if path is None:
            continue
        members = frozenset(n for n, _ in path)
        if members in said:
            continue
        said.add(members)
        first = min((n for n in members if n in names), key=names.index, default=name)
        at = next(i for i, (n, _) in enumerate(path) if n == first)
        path = path[at:] + path[:at]
        line = path[0][1]
        shown = " → ".join(n for n, _ in path) + f" → {first}"
        message = (f"template '{first}' draws itself ({shown}): every page drawn with it recurses without end"
                   if len(path) > 1 else f"template '{first}' draws itself: every page drawn with it recurses without end")
        yield first, line, message


def _round(env: jinja2.Environment, start: str,
           steps: dict[str, list[tuple[str, int]]]) -> list[tuple[str, int]] | None:
    """[(template, line of its step to the next)] of a round from `start` back to it, or None."""
    # depth first, by a stack of (template, the path to it): templates are few
    stack: list[tuple[str, list[tuple[str, int]]]] = [(start, [])]
    seen: set[str] = set()
    while stack:
        current, path = stack.pop()
        for target, line in _steps(env, current, steps):
            if target == start:
                return path + [(current, line)]
            if target not in seen:
                seen.add(target)
                stack.append((target, path + [(current, line)]))
    return None


def _steps(env: jinja2.Environment, name: str, steps: dict[str, list[tuple[str, int]]]) -> list[tuple[str, int]]:
    """(template, line) of each template `name` draws at every drawing (module doc)."""
    if name in steps:
        return steps[name]
    found: list[tuple[str, int]] = []
    steps[name] = found
    try:
        source = env.loader.get_source(env, name)[0]
        key = (name, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), tuple(sorted(env.extensions)))
        kept = _DRAWN.get(key)
        if kept is None:
            tree = env.parse(source, name, name)
    except (jinja2.TemplateError, OSError, UnicodeDecodeError, ValueError, RecursionError):
        return found   # said where the theme is checked
    if kept is None:
        extends = extends_anywhere(tree)
        # in a template that extends another, what stands outside its blocks is never drawn
        kept = _DRAWN[key] = tuple(sorted(((step.name, step.line) for step in drawn_steps(tree)
                                           if step.extends or step.blocks or not extends), key=lambda step: step[1]))
        if len(_DRAWN) > 512:   # `foundry serve` over a long session: the oldest go
            del _DRAWN[next(iter(_DRAWN))]
    found.extend(kept)
    return found


# The steps of a template (`_steps`) by its name, its text's digest and the environment's
# extensions: a function of the parsed tree alone, asked at every check of a project's
# own theme (`foundry serve`'s saves, every build of a process), where each template was
# parsed again for it.
_DRAWN: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[str, int], ...]] = {}
