"""The names each page template of the site receives, and a check that a project theme's
page template reads no other (HF0703 at its line, with the name meant).

`{{ levl }}` in a theme's hero.html failed only when a build rendered a hero page
(StrictUndefined), after `foundry check` said "No problems found". The names a page
template receives are fixed by its page kind (pages.VIEWS, exporter.page_context; listed
in docs/themes.md), so check finds such a name in the parsed template without
rendering it. tests/site/test_template_names.py keeps the table equal to what the
views give.

Not checked: what a name holds (`{{ hero.levl }}`: a view's values are plain dicts and
lists whose keys depend on the data, and a loop variable's shape on what it loops
over; knowing them needs a type for every view value); `base.html` and partials
(`_macros.html`, includes), which are drawn in the context of whichever page uses
them, or with none (an import without context).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import jinja2
from jinja2 import nodes

from ...diagnostics import clip, suggestion

# What every page template receives (exporter.page_context, the page's `cards`): the
# environment's globals (`_`, `ngettext`, `range`…) come on top.
COMMON_NAMES = frozenset({"theme_words", "site", "page", "nav", "url", "asset", "links", "cards"})

# What each page template receives besides, by its view (pages.VIEWS).
PAGE_NAMES: dict[str, frozenset[str]] = {
    "home.html": frozenset({"characters", "counts", "description", "heroes", "quests", "stories"}),
    "search.html": frozenset({"entries", "index"}),
    "relationships.html": frozenset({"graph", "pairs", "people", "relations", "rows"}),
    "404.html": frozenset(),
    "credits.html": frozenset({"authors", "history", "sections", "versioned"}),
    **{f"{kind}-index.html": frozenset({"items", "kind"}) for kind in ("hero", "character", "story", "quest")},
    "hero.html": frozenset({
        "attributes", "background", "budget", "derived", "items", "level", "max_level", "name", "name_html",
        "name_marks", "person", "quests", "relationships", "skills", "source", "status", "stories", "tags",
        "templates", "title", "title_html", "xp", "xp_next"}),
    "character.html": frozenset({
        "attributes", "background", "name", "name_html", "name_marks", "person", "quests", "relationships",
        "role", "role_html", "source", "status", "stories", "tags", "title", "title_html"}),
    "story.html": frozenset({
        "characters", "data", "description", "findings", "heroes", "id", "map", "players", "protagonist", "quests", "scenes",
        "source", "start", "start_anchor", "stats", "status", "summary", "title", "title_html", "title_marks",
        "voiced"}),
    "quest.html": frozenset({
        "chain", "description", "earlier", "giver", "id", "objectives", "prerequisites", "requirement", "requires", "reward_items", "reward_xp",
        "source", "status", "stories", "summary", "title", "title_html", "title_marks", "unlocks"}),
}

# Names Jinja gives inside a loop, a macro or a block.
_IMPLICIT = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})
# A name only asked about (`x is defined`, `x | default(…)`) may be absent by design.
_GUARDS_TESTS = frozenset({"defined", "undefined"})
_GUARDS_FILTERS = frozenset({"default", "d"})


def unknown_names(env: jinja2.Environment, name: str, source: str) -> tuple[tuple[str, int, str], ...]:
    """(message, line, hint) of each name page template `name` reads that its page does
    not give it; () for a template that is not a page's, or does not parse (its syntax
    error is reported by sandbox.check_compiles). Remembered by source."""
    given = PAGE_NAMES.get(name)
    if given is None:
        return ()
    key = (name, hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest(), frozenset(env.globals))
    found = _SEEN.get(key)
    if found is None:
        try:
            found = tuple(_problems(env, name, source, given | COMMON_NAMES | set(env.globals)))
        except RecursionError:   # nested too deeply to walk: HF0703 from check_compiles or the render
            found = ()
        _SEEN[key] = found
        if len(_SEEN) > 512:   # `foundry serve` over a long session: the oldest go
            del _SEEN[next(iter(_SEEN))]
    return found


_SEEN: dict[tuple, tuple[tuple[str, int, str], ...]] = {}


def _inherited(env: jinja2.Environment, tree: nodes.Template, depth: int = 0) -> set[str] | None:
    """The names the templates `tree` extends define at their top level (base.html's
    `{% import "_macros.html" as m %}`): a child's blocks see them. None when one of
    them cannot be read (a syntax error, not found): what it defines is not known, and
    its error is said where it is checked, not again as each name of it a child reads
    (`m` "is not a name hero.html receives" in every page, for a `{{ 1 + }}` in base.html)."""
    names: set[str] = set()
    for extends in tree.find_all(nodes.Extends):
        if not isinstance(extends.template, nodes.Const) or depth > 8:
            continue
        try:
            source = env.loader.get_source(env, extends.template.value)[0]
            parent = env.parse(source)
        except (jinja2.TemplateError, OSError, UnicodeDecodeError):
            return None
        above = _inherited(env, parent, depth + 1)
        if above is None:
            return None
        names |= _top_level(parent) | above
    return names


def _top_level(tree: nodes.Template) -> set[str]:
    """The names a template defines outside its blocks (imports, sets, macros): its own
    blocks and its children's see them."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, nodes.Import):
            names.add(node.target)
        elif isinstance(node, nodes.FromImport):
            names |= {n if isinstance(n, str) else n[1] for n in node.names}
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            names |= {n.name for n in node.target.find_all(nodes.Name)} | \
                ({node.target.name} if isinstance(node.target, nodes.Name) else set())
        elif isinstance(node, nodes.Macro):
            names.add(node.name)
    return names


def _problems(env: jinja2.Environment, name: str, source: str, known: set[str]) -> Iterator[tuple[str, int, str]]:
    try:
        tree = env.parse(source, name, name)
    except jinja2.TemplateError:
        return
    # Names read, less every name the template binds anywhere (a loop's, a `{% set %}`'s,
    # a macro's and its arguments, an import's): a tree walk, not Jinja's
    # `meta.find_undeclared_variables`, which generates code and so folds constant
    # expressions (`'x' | center(2000000000)`) outside the render's budgets (HF0711).
    # Scopes are not followed: a name bound in one block and read in another is the
    # render's to judge.
    inherited = _inherited(env, tree)
    if inherited is None:
        return
    bound = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    bound |= {n.name for n in tree.find_all((nodes.Macro,))} | _top_level(tree) | inherited
    bound |= {n.target for n in tree.find_all(nodes.Import)}
    bound |= {n if isinstance(n, str) else n[1] for f in tree.find_all(nodes.FromImport) for n in f.names}
    missing = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"} - known - bound - _IMPLICIT
    if not missing:
        return
    read: list[nodes.Name] = []
    _unguarded(tree, frozenset(), read)
    first: dict[str, int] = {}
    for node in read:
        if node.name in missing:
            first.setdefault(node.name, node.lineno)
    given = known - set(env.globals)
    for unknown, line in sorted(first.items(), key=lambda item: (item[1], item[0])):
        yield (f"'{clip(unknown, 40)}' is not a name {name} receives",
               line, suggestion(unknown, given) or receives(name, given))


def receives(name: str, given: set[str] | frozenset[str]) -> str:
    """The hint for a name page template `name` does not receive, with no near name:
    the names it does receive, in the message itself. A pointer to docs/themes.md was
    no hint for a theme made with `foundry theme eject` from the wheel, which ships no
    docs/ (tests/site/test_template_names.py)."""
    return f"Use a name {name} receives: {', '.join(sorted(given))}."


def _unguarded(node: nodes.Node, guarded: frozenset[str], out: list[nodes.Name]) -> None:
    """Append to `out`, in template order, each name `node` reads where no guard covers
    it. A guard covers only what it guards: `x is defined` the branch it opens (an `if`'s
    body, a conditional expression's first part, the right side of an `and`), `x is
    undefined` (or `not x is defined`) the other branch, and `x | default(…)` that one
    expression. A name guarded in one place and read bare in another is read bare: the
    render of the bare one fails when the page does not give it (`{% if levl is defined
    %}{{ levl }}{% endif %} {{ levl }}`). Not followed: a guard's result kept in a
    variable (`{% set ok = x is defined %}{% if ok %}`), which reads as bare."""
    if isinstance(node, nodes.Name):
        if node.ctx == "load" and node.name not in guarded:
            out.append(node)
        return
    if isinstance(node, (nodes.Test, nodes.Filter)) and isinstance(node.node, nodes.Name) and \
            node.name in (_GUARDS_TESTS if isinstance(node, nodes.Test) else _GUARDS_FILTERS):
        for child in node.iter_child_nodes(exclude=("node",)):   # the name asked about is not read
            _unguarded(child, guarded, out)
        return
    if isinstance(node, nodes.If):
        otherwise = guarded   # an `elif` is tried, and `else` taken, when every test before failed
        for branch in (node, *node.elif_):
            _unguarded(branch.test, otherwise, out)
            when, unless = _guards(branch.test)
            for child in branch.body:
                _unguarded(child, otherwise | when, out)
            otherwise |= unless
        for child in node.else_:
            _unguarded(child, otherwise, out)
        return
    if isinstance(node, nodes.CondExpr):
        _unguarded(node.test, guarded, out)
        when, unless = _guards(node.test)
        _unguarded(node.expr1, guarded | when, out)
        if node.expr2 is not None:
            _unguarded(node.expr2, guarded | unless, out)
        return
    if isinstance(node, (nodes.And, nodes.Or)):   # the right side is read only when the left allows it
        _unguarded(node.left, guarded, out)
        when, unless = _guards(node.left)
        _unguarded(node.right, guarded | (when if isinstance(node, nodes.And) else unless), out)
        return
    for child in node.iter_child_nodes():
        _unguarded(child, guarded, out)


def _guards(test: nodes.Node) -> tuple[frozenset[str], frozenset[str]]:
    """(names given when `test` is true, names given when it is false), as far as its
    `is defined` / `is undefined` tests say: `x is defined and y is defined` gives both
    when true, nothing certain when false."""
    if isinstance(test, nodes.Test) and isinstance(test.node, nodes.Name) and test.name in _GUARDS_TESTS:
        names = frozenset({test.node.name})
        return (names, frozenset()) if test.name == "defined" else (frozenset(), names)
    if isinstance(test, nodes.Not):
        when, unless = _guards(test.node)
        return unless, when
    if isinstance(test, nodes.And):
        return _guards(test.left)[0] | _guards(test.right)[0], frozenset()
    if isinstance(test, nodes.Or):
        return frozenset(), _guards(test.left)[1] | _guards(test.right)[1]
    return frozenset(), frozenset()
