"""Templates that draw themselves without end, judged by `check`.

`{% include "credits.html" %}` in credits.html (or a.html including b.html including
a.html, or a template extending itself) passed `foundry check` clean and stopped every
build at the render ("maximum recursion depth exceeded (while making site/credits.html)").
Whether it happens is known from the templates alone when each step of the round is
taken at every drawing: an extends, or an include of a constant name outside `{% if %}`,
`{% for %}`, a macro, a call or set block (a partial that includes itself for each child
of a tree, under such a guard, ends, and is left to its render), and, in a template that
extends another, inside a block (what stands outside its blocks is never drawn); and an
import of a constant name outside those guards (run at every drawing, blocks or not).

The same steps make chains (`chain_problems`): more than MAX_CHAIN templates, each
drawn within the one before, run out of Python's stack as a round does.
"""

from __future__ import annotations

import hashlib
from typing import Iterator

import jinja2

from ..cycles import on_cycles

from .template_steps import extends_anywhere, imports, steps as drawn_steps

def cycle_problems(env: jinja2.Environment, names: list[str]) -> Iterator[tuple[str, int, str]]:
    """(name, line, message) for each round of templates that draw one another without
    end, said once, at the first of `names` (the project's own templates) in the round,
    at the line of its step into the round."""
    steps: dict[str, list[tuple[str, int]]] = {}
    said: set[frozenset[str]] = set()
    looping = _in_rounds(env, names, steps)
    told: set[str] = set()
    for name in names:
        # only a template in some round starts one, and one already said in a round is
        # not followed again: each search walks all a template reaches, so asking it of
        # every template of a chain or a ring of thousands was quadratic
        if name not in looping or name in told:
            continue
        path = _round(env, name, steps)
        if path is None:
            continue
        members = frozenset(n for n, _ in path)
        if members in said:
            continue
        said.add(members)
        told |= members
        first = min((n for n in members if n in names), key=names.index, default=name)
        at = next(i for i, (n, _) in enumerate(path) if n == first)
        path = path[at:] + path[:at]
        line = path[0][1]
        shown = _shown([n for n, _ in path] + [first])
        message = (f"template '{first}' draws itself ({shown}): every page drawn with it recurses without end"
                   if len(path) > 1 else f"template '{first}' draws itself: every page drawn with it recurses without end")
        yield first, line, message


# How many templates one drawing may hold each within the one before (an extends or an
# include of the next, at every drawing). Jinja draws each inside the one before on
# Python's stack: a chain of ~150 extending templates (each calling `super()`), or ~950
# including ones, ran out of it at some page, said as "maximum recursion depth exceeded"
# or "nested too deeply to be read" at a template half-way down the chain, and check's
# own walk of the chain died of it ("internal error"). The shipped theme's longest is 3.
MAX_CHAIN = 50


def chain_problems(env: jinja2.Environment, names: list[str]) -> Iterator[tuple[str, int, str]]:
    """(name, line, message) for each chain of more than MAX_CHAIN templates drawn each
    within the one before, said once, at the first of `names` (the project's own
    templates) it starts from that no other such chain passes through, at the line of
    its first step. Rounds (cycle_problems) are not chains: a step back into the chain
    being followed is not taken."""
    steps: dict[str, list[tuple[str, int]]] = {}
    longest = _longest(env, names, steps)
    over = [name for name in names if longest[name][0] > MAX_CHAIN]
    inner = {longest[name][1] for name in over}   # a longer chain passes through these
    for name in over:
        if name in inner:
            continue
        chain, line, current = [name], longest[name][2], name
        while longest.get(current, (1, None, 0))[1] is not None and len(chain) <= len(longest):
            current = longest[current][1]
            chain.append(current)
        shown = _shown(chain)
        yield name, line, (f"template '{name}' draws {len(chain)} templates, each within the one before "
                           f"({shown}): more than {MAX_CHAIN}, past what a page's drawing can hold")


def _shown(chain: list[str]) -> str:
    """A chain or round of templates as said: its first ten and its last, the rest
    counted (a ring of 3,000 templates was said by every name, on one line)."""
    if len(chain) <= 12:
        return " → ".join(chain)
    return " → ".join(chain[:10]) + f" → … ({len(chain) - 11} more) → {chain[-1]}"


def _longest(env: jinja2.Environment, names: list[str],
             steps: dict[str, list[tuple[str, int]]]) -> dict[str, tuple[int, str | None, int]]:
    """{template: (templates in its longest chain, itself included; the next; the line of
    its step to it)} for `names` and every template they reach, by a stack (a chain may
    be thousands long)."""
    longest: dict[str, tuple[int, str | None, int]] = {}
    for root in names:
        if root in longest:
            continue
        best = {root: (1, None, 0)}
        on_path = {root}
        stack = [(root, iter(_steps(env, root, steps)), 0)]
        while stack:
            node, ahead, line_in = stack[-1]
            step = next(ahead, None)
            if step is None:
                stack.pop()
                on_path.discard(node)
                longest[node] = best.pop(node)
                if stack:
                    parent = stack[-1][0]
                    if longest[node][0] + 1 > best[parent][0]:
                        best[parent] = (longest[node][0] + 1, node, line_in)
                continue
            target, line = step
            if target in on_path:
                continue   # a round: cycle_problems says it
            if target in longest:
                if longest[target][0] + 1 > best[node][0]:
                    best[node] = (longest[target][0] + 1, target, line)
                continue
            best[target] = (1, None, 0)
            on_path.add(target)
            stack.append((target, iter(_steps(env, target, steps)), line))
    return longest


def _in_rounds(env: jinja2.Environment, names: list[str], steps: dict[str, list[tuple[str, int]]]) -> set[str]:
    """The templates reached from `names` that are in a round (cycles.py)."""
    return on_cycles(names, lambda name: [target for target, _ in _steps(env, name, steps)])


def _round(env: jinja2.Environment, start: str,
           steps: dict[str, list[tuple[str, int]]]) -> list[tuple[str, int]] | None:
    """[(template, line of its step to the next)] of a round from `start` back to it, or None."""
    # depth first, by a stack, each template reached once, with the step it was reached
    # by: the path to one is read back only when a round is found (a copy of the path
    # kept for each template reached made a chain of 3,000 templates cubic: 8 CPU-s)
    stack = [start]
    came: dict[str, tuple[str, int]] = {}
    seen: set[str] = set()
    while stack:
        current = stack.pop()
        for target, line in _steps(env, current, steps):
            if target == start:
                path = [(current, line)]
                while path[-1][0] != start:
                    path.append(came[path[-1][0]])
                return path[::-1]
            if target not in seen:
                seen.add(target)
                came[target] = (current, line)
                stack.append(target)
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
        kept = _DRAWN[key] = tuple(sorted([*((step.name, step.line) for step in drawn_steps(tree)
                                             if step.extends or step.blocks or not extends), *imports(tree)],
                                          key=lambda step: step[1]))
        if len(_DRAWN) > 512:   # `foundry serve` over a long session: the oldest go
            del _DRAWN[next(iter(_DRAWN))]
    found.extend(kept)
    return found


# The steps of a template (`_steps`) by its name, its text's digest and the environment's
# extensions: a function of the parsed tree alone, asked at every check of a project's
# own theme (`foundry serve`'s saves, every build of a process), where each template was
# parsed again for it.
_DRAWN: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[str, int], ...]] = {}
