"""The steps a template takes at every drawing: its constant extends and includes.

Two checks of a project's templates follow them: the links every page writes
(html/theme_links.py) and the rounds of templates drawing one another without end
(template_cycles.py). A step is taken at every drawing when it names its template as a
constant and stands outside `{% if %}`, `{% for %}`, a macro, a call block or a set block
(what is inside those a page draws or not by what it is given); an import writes only
the macros a page calls, so it is not a step.
"""

from __future__ import annotations

from typing import Callable, Iterable, NamedTuple

from jinja2 import TemplateNotFound, nodes
from jinja2.loaders import split_template_path

_GUARDS = (nodes.If, nodes.For, nodes.Macro, nodes.CallBlock, nodes.AssignBlock)


class Step(NamedTuple):
    """One `{% extends %}` or `{% include %}` of a constant name: the template named, its
    line, and the names of the blocks it stands in (empty outside any block)."""
    extends: bool
    name: str
    line: int
    blocks: frozenset[str]


def steps(tree: nodes.Template) -> list[Step]:
    """Every step of the parsed template `tree` (module doc), in no set order; walked by
    a stack, not recursion, as a template may nest thousands deep."""
    found: list[Step] = []
    stack: list[tuple[nodes.Node, frozenset[str]]] = [(tree, frozenset())]
    while stack:
        node, blocks = stack.pop()
        if isinstance(node, _GUARDS):
            continue
        if isinstance(node, (nodes.Extends, nodes.Include)):
            name = constant_text(node.template)
            if name is not None:
                found.append(Step(isinstance(node, nodes.Extends), template_name(name), node.lineno, blocks))
            continue
        if isinstance(node, nodes.Block):
            blocks = blocks | {node.name}
        stack.extend((child, blocks) for child in node.iter_child_nodes())
    return found


def imports(tree: nodes.Template) -> list[tuple[str, int]]:
    """(template, line) of each `{% import %}` and `{% from … import %}` of a constant
    name in `tree` outside the guards of `steps`: run at every drawing, even outside the
    blocks of a template that extends another (Jinja runs its top level, writing nothing),
    each drawing the imported template within the importing one. Not a `Step`: an import
    writes nothing of its own (the links of html/theme_links.py), but a round or a long
    chain of them runs out of Python's stack as includes do (template_cycles.py)."""
    found: list[tuple[str, int]] = []
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _GUARDS):
            continue
        if isinstance(node, (nodes.Import, nodes.FromImport)):
            name = constant_text(node.template)
            if name is not None:
                found.append((template_name(name), node.lineno))
            continue
        stack.extend(node.iter_child_nodes())
    return found


def reached(starts: Iterable[str], follow: Callable[[str], Iterable[str] | None]) -> tuple[set[str], bool]:
    """Every template name reached from `starts` by `follow` (the names one template
    draws), walked by a stack (a theme's templates may draw one another thousands deep),
    and whether the walk was whole: False as soon as `follow` answers None (a name it
    cannot tell), with the names reached so far."""
    seen: set[str] = set()
    waiting = list(starts)
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        found = follow(name)
        if found is None:
            return seen, False
        waiting.extend(found)
    return seen, True


def template_name(name: str) -> str:
    """`name` as the theme's loader looks it up (split_template_path, ConfinedLoader's
    rule): `./credits.html` and `partials//card.html` are `credits.html` and
    `partials/card.html`. A step compared as written missed `{% include "./credits.html" %}`
    in credits.html: check was clean and every build stopped at the render ("maximum
    recursion depth exceeded"). A name with `..`, which no loader finds, stays as written."""
    try:
        return "/".join(split_template_path(name))
    except TemplateNotFound:
        return name


def extends_anywhere(tree: nodes.Template) -> bool:
    """Whether `tree` holds an `{% extends %}` anywhere (inside an `if` too: Jinja then
    draws only its blocks), found by a stack: jinja2's `find_all` recurses a level a
    node, past Python's limit in a template a few hundred expressions deep."""
    stack: list[nodes.Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Extends):
            return True
        stack.extend(node.iter_child_nodes())
    return False


def constant_text(node: nodes.Node, known: dict | None = None) -> str | None:
    """The text a template name's expression is whatever the render gives it: a string,
    strings joined with `~` or `+` (`{% include "parts/" ~ "nav.html" %}`), or a name
    of `known` (a template's constants: books/template_constants.py), else None. Folded
    by the one folder of constant expressions (`fold`, which the print theme's addresses
    are read by too), never by Jinja's `as_const`, which would call filters. The one
    reading of a name for every look check takes at the templates a template draws
    (sandbox.py: whether they exist; steps: cycles; template_uses.py: what pages draw):
    a name put together so was missed by each, and the render stopped."""
    from .books.template_constants import fold
    try:
        value = fold(node, known or {})
    except RecursionError:   # `"a" + "a" + …` too deep to walk: not known
        return None
    return str(value) if isinstance(value, str) else None
