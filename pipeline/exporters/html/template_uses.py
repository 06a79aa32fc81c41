"""Which of a theme's templates the site draws: the page templates (template_names.py
PAGE_NAMES), `_macros.html` (cards.py draws its macros), and every template those
extend, include or import, by name, as far as it goes.

A project theme's template that does not compile is HF0703 at check and at build
whether or not a page draws it (docs/errors.md HF0703: one verdict from the template
as written, not from which pages this content happens to make). This says, for the
hint, when no page draws it: the writer then knows a leftover is what stops the build.
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from jinja2 import nodes

from ..template_steps import constant_text, reached
from .cards import MACROS
from .template_names import PAGE_NAMES

_REFERENCES = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)


def templates_used(env: jinja2.Environment) -> frozenset[str] | None:
    """The names of every template the site draws through `env`'s loader (the project's
    theme over the shipped one); None when that cannot be told: a template on the way
    does not parse or is unreadable, or names what it draws by a value (`{% include
    page_kind ~ ".html" %}`), which could be any."""
    def follow(name: str) -> list[str] | None:
        try:
            source = env.loader.get_source(env, name)[0]
        except jinja2.TemplateNotFound:
            return []   # a page template the theme does not have: its render says so
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            return None
        try:
            tree = env.parse(source, name, name)
        except jinja2.TemplateSyntaxError:
            return None
        named: list[str] = []
        for node in tree.find_all(_REFERENCES):
            names = _names(node.template)
            if names is None:
                return None
            named.extend(names)
        return named

    seen, whole = reached([*PAGE_NAMES, MACROS], follow)
    return frozenset(seen) if whole else None


def _names(expr: nodes.Expr) -> Iterable[str] | None:
    """The template names a reference's expression gives, when it gives them as text."""
    if isinstance(expr, (nodes.List, nodes.Tuple)):   # {% include ["a.html", "b.html"] %}: the first there
        found = [constant_text(item) for item in expr.items]
        return found if all(name is not None for name in found) else None   # type: ignore[return-value]
    name = constant_text(expr)
    return (name,) if name is not None else None
