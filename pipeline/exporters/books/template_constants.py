"""What a print template's expressions write when they are constant strings, found
without running the template.

A theme that keeps an address in a variable (`{% set cdn = "https://fonts.example" %}`
then `<link rel="stylesheet" href="{{ cdn }}/x.css">`, or one joined with `~`) writes
into its book exactly what an address typed in the attribute would: check must judge it
as it judges that one (books/theme_addresses.py), or it passes a theme every book then
refuses. Only what is certain is folded: string and number literals, `~` and `+` of
them, a `{% set %}` block of plain text (markup, as autoescape makes it: written as it
stands, where a string is escaped), and a name the template sets (`set`, `with`)
to one such value everywhere it sets it and binds in no other way (an import; a loop
variable or a macro's argument of that name is something else only on the lines of its
loop or macro). Nothing is evaluated: no filter, call or attribute is
looked at (a constant folded by Jinja itself would run them, `"a" * 10**9` included),
and a value past MAX_LENGTH is not known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from markupsafe import Markup, escape

MAX_LENGTH = 4096   # characters of a folded value: a name doubled in each of many `set`s is not known
MAX_PARSED = 2000   # expressions of one template read for a constant (each parsed by Jinja)
_SETS = re.compile(r"\{%[-+]?\s*(set|with)\b")
_NAME = re.compile(r"\s*([A-Za-z_]\w*)[\w.\s]*")


def template_constants(text: str, inherited: tuple[tuple[str, str | int | float], ...] = ()
                       ) -> dict[str, str | int | float]:
    """Each name the template `text` sets to one constant string (or number) and binds
    no other way outside a loop or macro, with that value; and each name of `inherited`
    (the constants of a template that extends or includes this one, whose names it
    reads) it neither sets nor binds."""
    return _constants(text, inherited)[0]


def constants_at(text: str) -> Callable[[int], dict[str, str | int | float]]:
    """The template `text`'s constants (template_constants) as they stand at a line:
    without a name a loop, macro or call block around that line binds for itself (a
    template's include of a name it sets: sandbox.py)."""
    known, scoped = _constants(text) if _SETS.search(text) else ({}, {})

    def at(line: int) -> dict[str, str | int | float]:
        if not scoped:
            return known
        return {k: v for k, v in known.items() if not any(a <= line <= b for a, b in scoped.get(k, ()))}
    return at


def _constants(text: str, inherited: tuple[tuple[str, str | int | float], ...] = ()
               ) -> tuple[dict[str, str | int | float], dict[str, list[tuple[int, int]]]]:
    """`template_constants`, and the lines (first, last) of each loop, macro or call
    block that binds a name of them for itself, where the name is not that value."""
    tree = _parsed(text)
    if tree is None:   # HF0703 at check (books/theme.py): nothing known
        return {}, {}
    try:
        values, bound, scoped = _bindings(tree)
        known: dict[str, str | int | float] = {name: value for name, value in inherited
                                               if name not in values and name not in bound}
        for _ in range(len(values)):   # a name set from another: each round may know one more
            before = len(known)
            for name, sets in values.items():
                if name in bound or name in known:
                    continue
                folded = {fold(value, known) for value in sets}
                if len(folded) == 1 and None not in folded and len({type(v) for v in folded}) == 1:
                    known[name] = folded.pop()
            if len(known) == before:
                break
    except RecursionError:
        # `"a" + "a" + …` thousands of times deep: Jinja parses it (its parser loops), but
        # walking the tree recurses a frame a level; nothing known (Jinja's compiler fails the same way, HF0703)
        return {}, {}
    return known, {name: lines for name, lines in scoped.items() if name in known}


def inherited_constants(templates: dict[str, str], limit: int = 16
                        ) -> dict[str, list[tuple[tuple[str, str | int | float], ...]]]:
    """For each template of `templates` (path inside print/ → text) that another
    extends, includes or imports with its context, by a name written as it stands: the
    constants each such reader passes it (`template_constants`, what the reader was
    passed in turn included), at most `limit` of them a template. The shipped theme's
    pages set `stylesheet` and base.html.j2 writes `href="theme/css/{{ stylesheet }}.css"`:
    a child setting it to an address no book may fetch wrote that address as surely as
    one set and read in one template."""
    return _inherited(tuple(sorted(templates.items())), limit)


@lru_cache(maxsize=4)
def _inherited(items: tuple[tuple[str, str], ...], limit: int
               ) -> dict[str, list[tuple[tuple[str, str | int | float], ...]]]:
    # memoised: check and every book build read the theme twice (its addresses, its images),
    # and `foundry serve` at every save; parsing the shipped theme's templates costs ~0.1 s
    templates = dict(items)
    found: dict[str, list[tuple[tuple[str, str | int | float], ...]]] = {}
    todo = [(rel, ()) for rel in sorted(templates)]
    while todo:
        rel, inherited = todo.pop()
        tree = _parsed(templates[rel])
        if tree is None:
            continue
        known = tuple(sorted(template_constants(templates[rel], inherited).items()))
        try:
            readers = _readers(tree) if known else []
        except RecursionError:   # a tree too deep to walk (template_constants): nothing passed on
            readers = []
        for name in readers:
            target = f"templates/{name}"
            if target in templates and known not in found.setdefault(target, []) and len(found[target]) < limit:
                found[target].append(known)
                todo.append((target, known))
    return found


@lru_cache(maxsize=64)
def _parsed(text: str):
    """The template `text` as the theme's environment reads it, or None when it is not one
    (memoised: its tree is only read, never changed)."""
    import jinja2
    try:
        return reading_environment().parse(text)
    except (jinja2.TemplateSyntaxError, RecursionError):
        return None


def _readers(tree) -> list[str]:
    """The templates (names written as they stand) that `tree` runs with its own names
    in their context: its parent, what it includes and what it imports with context."""
    from jinja2 import nodes
    names = []
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        shares = isinstance(node, nodes.Extends) or getattr(node, "with_context", False)
        if shares and isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
            names.append(node.template.value)
    return names


def _bindings(tree) -> tuple[dict[str, list], set[str], dict[str, list[tuple[int, int]]]]:
    """The values each name is set to in `tree`, the names it binds another way, and
    the lines (first, last) of each loop, macro or call block binding a name for itself
    alone (its target, its arguments): a macro's argument `u` beside a `{% set u = "…" %}`
    hid the set value from every `{{ u }}` outside the macro too, an address the book
    fetched unjudged."""
    from jinja2 import nodes

    values: dict[str, list] = {}
    bound: set[str] = set()
    scoped: dict[str, list[tuple[int, int]]] = {}
    for node in tree.find_all((nodes.Assign, nodes.AssignBlock, nodes.With, nodes.For, nodes.Macro,
                               nodes.CallBlock, nodes.FromImport, nodes.Import)):
        if isinstance(node, nodes.Assign):
            pairs = [(node.target, node.node)]
        elif isinstance(node, nodes.AssignBlock):
            pairs = [(node.target, nodes.Output(node.body) if node.filter is None else None)]
        elif isinstance(node, nodes.With):
            pairs = list(zip(node.targets, node.values))
        else:   # names bound by a loop, a macro or call block's arguments, an import
            pairs = []
            holders = [node.target] if isinstance(node, nodes.For) else getattr(node, "args", [])
            lines = (node.lineno, max((n.lineno or 0 for n in node.find_all(nodes.Node)), default=node.lineno))
            for name in {n.name for holder in holders for n in [holder, *holder.find_all(nodes.Name)]
                         if isinstance(n, nodes.Name)}:
                scoped.setdefault(name, []).append(lines)
            if isinstance(node, nodes.FromImport):
                bound.update(name[1] if isinstance(name, tuple) else name for name in node.names)
            elif isinstance(node, (nodes.Import, nodes.Macro)):
                bound.add(node.target if isinstance(node, nodes.Import) else node.name)
        for target, value in pairs:
            if isinstance(target, nodes.Name):
                values.setdefault(target.name, []).append(value)
            else:   # `set a, b = …`, `set ns.x = …`: not followed
                bound.update(n.name for n in target.find_all(nodes.Name))
    return values, bound, scoped


@dataclass(frozen=True)
class Folded:
    """A template's text with each constant `{{ … }}` replaced by what it writes,
    escaped as the theme's autoescape writes it (`text`), and where each replacement
    stands: (start and end in `text`, start and end in the template as written)."""
    text: str
    replaced: tuple[tuple[int, int, int, int], ...]

    def written_at(self, at: int) -> int:
        """The offset in the template as written of offset `at` of `text` (the
        replaced expression's `{{` for any offset inside what it writes)."""
        shift = 0
        for start, end, was, was_end in self.replaced:
            if at < start:
                break
            if at < end:
                return was
            shift = was_end - end
        return at + shift


def folded(text: str, inherited: tuple[tuple[str, str | int | float], ...] = ()) -> Folded:
    """`text` (a template) with each `{{ … }}` whose expression is constant, given the
    names it sets and those `inherited` from a template that runs it
    (`template_constants`), replaced by what it writes; the others as written."""
    # memoised with which inherited values are markup: Markup('"') == '"', but one is written as it stands
    return _folded(text, inherited, tuple(isinstance(value, Markup) for _, value in inherited))


@lru_cache(maxsize=32)
def _folded(text: str, inherited: tuple[tuple[str, str | int | float], ...], markup: tuple[bool, ...]) -> Folded:
    if "{{" not in text:
        return Folded(text, ())
    known, scoped = _constants(text, inherited) if inherited or _SETS.search(text) else ({}, {})
    pieces, replaced, cursor, length, parsed = [], [], 0, 0, 0
    line, counted = 1, 0
    for start, end, source in _expressions(text):
        name = _NAME.fullmatch(source)
        if name is not None and name.group(1) not in known:
            continue   # `{{ hero.name }}`: what the page is given, never constant
        parsed += 1
        if parsed > MAX_PARSED:
            break
        here = known
        if scoped:   # inside a loop or macro binding a name for itself, that name is not its set value
            line, counted = line + text.count("\n", counted, start), start
            here = {k: v for k, v in known.items() if not any(a <= line <= b for a, b in scoped.get(k, ()))}
        value = _expression(source, here)
        if value is None:
            continue
        pieces.append(text[cursor:start])
        length += start - cursor
        written = str(escape(_text(value)))   # markup (a set block's) as it stands, a string escaped
        replaced.append((length, length + len(written), start, end))
        pieces.append(written)
        length += len(written)
        cursor = end
    pieces.append(text[cursor:])
    return Folded("".join(pieces), tuple(replaced))


def _expressions(text: str):
    """(start, end, source) of each `{{ … }}` of `text`, its `-` whitespace controls
    left out: each ends at the first `}}` after it (as Jinja's lexer ends one outside a
    string), found by one pass forward (a regex from each `{{` to its `}}` read a text
    of unclosed ones again from every one of them)."""
    at = text.find("{{")
    while at >= 0:
        end = text.find("}}", at + 2)
        if end < 0:
            return
        source = text[at + 2:end]
        source = source[1:] if source.startswith("-") else source
        yield at, end + 2, source[:-1] if source.endswith("-") else source
        at = text.find("{{", end + 2)


def _expression(source: str, known: dict[str, str | int | float]) -> str | int | float | None:
    """What the expression `source` (inside `{{ }}`) writes when it is constant."""
    from jinja2 import nodes
    try:
        tree = reading_environment().parse("{{" + source + "}}")
    except Exception:   # any expression Jinja cannot read is left as written (HF0703 says it)
        return None
    outputs = tree.body[0].nodes if len(tree.body) == 1 and isinstance(tree.body[0], nodes.Output) else []
    try:
        return fold(outputs[0], known) if len(outputs) == 1 else None
    except RecursionError:   # `"a" + "a" + …` too deep to walk: not known
        return None


def fold(node, known: dict[str, str | int | float]) -> str | int | float | None:
    """The string or number `node` gives when it is certain without running anything,
    else None."""
    from jinja2 import nodes

    if isinstance(node, nodes.Const):
        folded = node.value if type(node.value) in (str, int, float) else None
    elif isinstance(node, nodes.TemplateData):
        folded = node.data
    elif isinstance(node, nodes.Name):
        folded = known.get(node.name) if node.ctx == "load" else None
    elif isinstance(node, nodes.Output):
        # what `{% set %}…{% endset %}` writes: under autoescape, markup (Markup) made of
        # its text as written and its expressions escaped, written by `{{ }}` unescaped:
        # a quote in it closes the attribute around it, as the book's HTML reads it
        parts = [fold(n, known) for n in node.nodes]
        folded = None if None in parts else Markup("").join(
            Markup(part) if isinstance(n, nodes.TemplateData) else escape(_text(part))
            for n, part in zip(node.nodes, parts))
    elif isinstance(node, nodes.Concat):   # `~`: markup if a part is (the others escaped), as Jinja joins them
        parts = [fold(n, known) for n in node.nodes]
        folded = None if None in parts else (
            Markup("").join(_text(part) for part in parts) if any(isinstance(p, Markup) for p in parts)
            else "".join(str(part) for part in parts))
    elif isinstance(node, nodes.Add):   # `+` joins two strings (markup escaping the other), adds two numbers
        left, right = fold(node.left, known), fold(node.right, known)
        same = isinstance(left, str) == isinstance(right, str)
        folded = left + right if left is not None and right is not None and same else None
    else:
        folded = None
    if isinstance(folded, str) and len(folded) > MAX_LENGTH:
        return None
    return folded if not isinstance(folded, (int, float)) or abs(folded) < 10 ** 18 else None


def _text(value: str | int | float) -> str:
    """A folded value as Jinja writes it: a number as its digits, a string (or markup) itself."""
    return value if isinstance(value, str) else str(value)


@lru_cache(maxsize=1)
def reading_environment():
    """An environment that reads templates as the theme's does (its i18n tags), never
    compiling or running one."""
    import jinja2
    return jinja2.Environment(extensions=["jinja2.ext.i18n"])
