"""What the shipped templates still import from a template the project replaced.

A project theme overrides single files (docs/themes.md): its `macros.html.j2` (or the
site's `_macros.html`, `_person.html`) is served in place of the shipped one, while the
shipped templates it did not copy still import from it by name (`{% from
"macros.html.j2" import story_card %}`, `m.portrait(…)`, `cards(items,
"person_card")`). A replacement without those names stopped the build with one HF0703
at each shipped template's line ("does not export the requested name 'in_base'": eight
of them, at files the writer never wrote and cannot fix), or the site with one such
error, then the next once that was added. The fault is the project's file, so it is
said there, once, with every name it lacks and who asks for it; the check finds it
before any page or book is drawn, so the renders' errors at the shipped lines are
never reached (a check with errors draws nothing, a build stops before its render).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
import jinja2
from jinja2 import nodes
from jinja2.loaders import split_template_path

from ..diagnostics import Diagnostics, Severity
from .template_places import template_span


@dataclass(frozen=True)
class Gap:
    """The project's own template `name` (at `label`) defines none of `missing`, which
    the shipped templates `users` import from it (`kind` "import"), fill as blocks of
    it when they extend it ("block"), or read as names the shipped copy of it sets at
    its top, as `base.html` imports `_macros.html` as `m` for every page ("name")."""
    name: str
    label: str
    missing: tuple[str, ...]
    users: tuple[str, ...]
    kind: str = "import"


def import_gaps(env: jinja2.Environment, own: dict[str, str], shipped: dict[str, str],
                cards_from: str | None = None) -> list[Gap]:
    """The gaps of the project's own templates `own` (name → label) that the shipped
    templates the project did not replace (`shipped`: name → source) import from.
    `cards_from`: the template whose macros `cards(rows, "macro")` draws (the site's
    _macros.html), whose names a shipped template asks for as strings."""
    if not own:
        return []   # nothing replaced: no shipped template is read
    needed: dict[str, dict[str, set[str]]] = {}   # own template → name → shipped templates asking

    def ask(target: str, name: str, user: str) -> None:
        needed.setdefault(target, {}).setdefault(name, set()).add(user)

    for user, source in sorted(shipped.items()):
        tree = _parse(env, source, user)
        if tree is None:
            continue
        aliases = {}   # alias → own template, imported here or by a template it extends
        for holder in [tree, *(_parents(env, tree, user) or ())]:
            for node in holder.find_all(nodes.Import):
                target = _constant(node.template)
                if target in own:
                    aliases.setdefault(node.target, target)
        for node in tree.find_all(nodes.FromImport):
            target = _constant(node.template)
            if target in own:
                for entry in node.names:
                    ask(target, entry[0] if isinstance(entry, tuple) else entry, user)
        # a name asked about first (`{% if macros.credit_row is defined %}`) is optional
        guarded = {test.node.attr for test in tree.find_all(nodes.Test)
                   if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Getattr)}
        for node in tree.find_all(nodes.Getattr):
            if isinstance(node.node, nodes.Name) and node.node.name in aliases and node.attr not in guarded:
                ask(aliases[node.node.name], node.attr, user)
        if cards_from in own:
            for call in tree.find_all(nodes.Call):
                if isinstance(call.node, nodes.Name) and call.node.name == "cards" and len(call.args) > 1:
                    macro = _constant(call.args[1])
                    if macro is not None and macro not in guarded:
                        ask(cards_from, macro, user)
    gaps = []
    for target, names in sorted(needed.items()):
        defined = _exports(env, target)
        if defined is None:
            continue
        missing = sorted(set(names) - defined)
        if missing:
            users = sorted({user for name in missing for user in names[name]})
            gaps.append(Gap(target, own[target], tuple(missing), tuple(users)))
    return gaps


def extends_gaps(env: jinja2.Environment, own: dict[str, str], shipped: dict[str, str],
                 original: Callable[[str], str | None]) -> list[Gap]:
    """The gaps of the project's own templates `own` (name → label) that shipped
    templates (`shipped`: name → source) extend: the blocks they fill that it has not
    (what they put there was dropped from every page or book, silently: a `base.html`
    without `{% block main %}` published empty pages), and the names they read that
    the shipped copy of it (`original(name)`: its source) sets at its top and it does
    not (`m`, for `_macros.html`: every page stopped at the shipped template's line)."""
    if not own:
        return []
    blocks: dict[str, dict[str, set[str]]] = {}
    names: dict[str, dict[str, set[str]]] = {}
    for user, source in sorted(shipped.items()):
        tree = _parse(env, source, user)
        parent = next((_constant(n.template) for n in tree.find_all(nodes.Extends)), None) if tree else None
        if parent not in own:
            continue
        parents = _parents(env, tree, user)
        if not parents:
            continue
        chain = [tree, *parents]
        has = {b.name for held in chain[1:] for b in held.find_all(nodes.Block)}
        for block in _top_blocks(tree):
            if block not in has:
                blocks.setdefault(parent, {}).setdefault(block, set()).add(user)
        shipped_parent = original(parent)
        before = _parse(env, shipped_parent, parent) if shipped_parent is not None else None
        if before is None:
            continue
        now = set().union(*(_top_names(held) for held in chain[1:]))
        stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")} | _top_names(tree)
        # read where the page draws it: outside blocks, or in a block the parent has (one it
        # has not is never drawn, and is said as a block above)
        drawn = [node for node in tree.body if not isinstance(node, nodes.Block)] + [
            block for block in tree.find_all(nodes.Block) if block.name in has]
        read = {n.name for part in drawn for n in part.find_all(nodes.Name) if n.ctx == "load"}
        for name in read - stored - now:
            if name in _top_names(before):
                names.setdefault(parent, {}).setdefault(name, set()).add(user)
    return [Gap(target, own[target], tuple(sorted(found)), tuple(sorted(set().union(*found.values()))), kind)
            for kind, table in (("block", blocks), ("name", names)) for target, found in sorted(table.items())]


def _top_blocks(tree) -> list[str]:
    """The blocks a template fills that no block of its own holds."""
    found, stack = [], list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Block):
            found.append(node.name)
            continue
        stack.extend(node.iter_child_nodes())
    return found


def _top_names(tree) -> set[str]:
    """The names a template sets outside its blocks and macros (imports, `{% set %}`):
    what a template extending it reads from it."""
    found, stack = set(), list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (nodes.Block, nodes.Macro)):
            continue
        if isinstance(node, nodes.Import):
            found.add(node.target)
        elif isinstance(node, nodes.FromImport):
            found |= {e[1] if isinstance(e, tuple) else e for e in node.names}
        elif isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            found |= {n.name for n in node.target.find_all(nodes.Name)} | (
                {node.target.name} if isinstance(node.target, nodes.Name) else set())
        stack.extend(node.iter_child_nodes())
    return found


def report_gaps(gaps: list[Gap], diags: Diagnostics, eject_folder: str) -> None:
    """HF0703 at each project template of `gaps`, once, naming what it lacks and the
    shipped templates that import it; `eject_folder`: where
    `foundry theme eject` finds the shipped copy (`print/templates`, `templates`)."""
    for gap in gaps:
        names = ", ".join(f"'{name}'" for name in gap.missing[:12]) + (
            f" and {len(gap.missing) - 12} more" if len(gap.missing) > 12 else "")
        users = ", ".join(gap.users[:4]) + (f" and {len(gap.users) - 4} more" if len(gap.users) > 4 else "")
        if gap.kind == "block":
            diags.add("HF0703", f"{gap.name} replaces the default theme's but has no block {names}, which the "
                                f"default theme's {users} fill: what they put there is on none of their pages",
                      template_span(gap.label, 1, 1), severity=Severity.WARNING,
                      hint=f"Add {{% block {gap.missing[0]} %}}{{% endblock %}} to {gap.name} where that part "
                           f"goes (the default theme's {gap.name} shows where: `foundry theme eject --name scratch "
                           f"{eject_folder}/{gap.name}` writes it to themes/scratch/), or override {gap.users[0]} "
                           "too.")
            continue
        verb = "import from it" if gap.kind == "import" else f"read from it: the default theme's {gap.name} sets them"
        diags.add("HF0703", f"{gap.name} replaces the default theme's but has no {names}, which the default "
                            f"theme's {users} {verb}",
                  template_span(gap.label, 1, 1),
                  hint=f"Define them in {gap.name}: copy them from the default theme's {gap.name} (`foundry theme "
                       f"eject --name scratch {eject_folder}/{gap.name}` writes it to themes/scratch/), or "
                       f"override {gap.users[0]} too.")


def _parse(env: jinja2.Environment, source: str, name: str):
    try:
        return env.parse(source, name, name)
    except (jinja2.TemplateSyntaxError, RecursionError):
        return None   # a project's template that does not parse is said by check_compiles


def _parents(env: jinja2.Environment, tree, name: str, depth: int = 8) -> list | None:
    """The templates `tree` extends, by constant name, nearest first (at most `depth`);
    None when one of them cannot be read or parsed."""
    found, seen = [], {_spelled(name)}
    while depth > 0:
        extends = next(tree.find_all(nodes.Extends), None)
        if extends is None:
            break
        parent = _constant(extends.template)
        if parent is None:
            return None   # a name put together at run time: the chain is the render's to know
        if _spelled(parent) in seen:
            return None   # a template extending itself: said as such (template_cycles.py)
        seen.add(_spelled(parent))
        source = _source(env, parent)
        tree = _parse(env, source, parent) if source is not None else None
        if tree is None:
            return None   # missing or not parsing: said as such (check_compiles), the chain unknown
        found.append(tree)
        depth -= 1
    return found


def _exports(env: jinja2.Environment, name: str) -> frozenset[str] | None:
    """The macros and names template `name` defines at its top; None when that cannot
    be told (it does not parse, or it extends another)."""
    source = _source(env, name)
    tree = _parse(env, source, name) if source is not None else None
    if tree is None or any(True for _ in tree.find_all(nodes.Extends)):
        return None
    # anywhere in it, as check_compiles reads an import (a macro defined under an `{% if %}`
    # may be there): a name said missing is surely missing
    names = {macro.name for macro in tree.find_all(nodes.Macro)}
    for node in tree.find_all((nodes.Assign, nodes.AssignBlock)):
        names |= {n.name for n in node.target.find_all(nodes.Name)} | (
            {node.target.name} if isinstance(node.target, nodes.Name) else set())
    for node in tree.find_all((nodes.Import, nodes.FromImport)):
        names |= {node.target} if isinstance(node, nodes.Import) else {
            e[1] if isinstance(e, tuple) else e for e in node.names}
    return frozenset(names)


def _source(env: jinja2.Environment, name: str) -> str | None:
    try:
        text = env.loader.get_source(env, name)[0]
    except (jinja2.TemplateError, OSError, UnicodeDecodeError, ValueError):
        return None
    return text if isinstance(text, str) else None


def _spelled(name: str) -> str:
    """A template's name as the loader reads it (`./base.html` is `base.html`)."""
    try:
        return "/".join(split_template_path(name))
    except jinja2.TemplateNotFound:
        return name


def _constant(node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None

