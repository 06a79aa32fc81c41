"""Custom properties whose `var()`s expand past what a book can lay out, judged before
any book is laid out.

WeasyPrint substitutes each `var(--name)` in a custom property's value with that
property's own value, substituted in turn, and has no limit on what that makes: ten
properties each writing the one before ten times (`--b: var(--a) var(--a) …`) are ten
million tokens, and a hero sheet styled with the last one ran past the render's budget
with check clean (the "billion laughs" of CSS). A stylesheet whose custom properties
expand past MAX_TOKENS is HF0116 at the declaration (books/theme.py), at check and build
alike, and never served; no real theme comes near it.
"""

from __future__ import annotations

import tinycss2

MAX_TOKENS = 100_000   # tokens one custom property may expand to; a theme's longest is a few dozen
# var()s within var()s, and blocks within blocks, one value may nest: a theme's go a few
# deep. Past it the value counts as over MAX_TOKENS: the count (and WeasyPrint's own
# substitution, each a call within a call) would otherwise recurse past Python's stack
# (3,000 properties each naming the next: "internal error (RecursionError)" at check).
MAX_DEPTH = 100


def costly_variables(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """Each stylesheet of `files` (path inside print/ → bytes) declaring a custom
    property whose `var()`s expand past MAX_TOKENS, with the declaration's line and
    column. Custom properties are inherited across stylesheets, so the names of all
    of them are read together, as one book's cascade sees them."""
    declared: dict[str, list[tuple[str, int, int, list]]] = {}
    for rel in sorted(files):
        if rel.lower().endswith(".css"):
            rules = tinycss2.parse_stylesheet(files[rel].decode("utf-8", "replace"), skip_comments=True,
                                              skip_whitespace=True)
            for decl in _declarations(rules):
                declared.setdefault(decl.name, []).append((rel, decl.source_line, decl.source_column, decl.value))
    sizes: dict[str, int] = {}

    def size(name: str, depth: int) -> int:
        # the most tokens any declaration of `name` expands to; a cycle counts nothing
        # (WeasyPrint makes a property in a cycle invalid, expanding nothing)
        if name not in sizes:
            if depth > MAX_DEPTH:
                return MAX_TOKENS + 1   # not kept: from a shallower start it may count
            sizes[name] = 0
            sizes[name] = max((_count(value, size, depth + 1) for *_, value in declared.get(name, ())), default=0)
        return sizes[name]

    found: dict[str, tuple[int, int]] = {}
    for name, places in declared.items():
        for rel, line, column, value in places:
            if rel not in found and _count(value, size, 0) > MAX_TOKENS:
                found[rel] = (line, column)
    return found


def declarations(rules):
    """Every declaration of the tinycss2 `rules`, within at-rules (@media, @page…) and
    nested rules too, in order (html/style_gaps.py reads them as well)."""
    for rule in rules:
        content = getattr(rule, "content", None)
        if content is None:
            continue
        for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration":
                yield item
            elif item.type in ("qualified-rule", "at-rule"):
                yield from declarations([item])


def _declarations(rules):
    """The custom property declarations of `rules` (`declarations`)."""
    return (item for item in declarations(rules) if item.name.startswith("--"))


def _count(tokens, size, depth: int) -> int:
    """Tokens `tokens` become once each `var(--name)` in them is replaced by what
    `--name` expands to (capped: the count stops growing past the limit), `depth`
    calls and blocks within others (past MAX_DEPTH: over the limit)."""
    if depth > MAX_DEPTH:
        return MAX_TOKENS + 1
    total = 0
    for token in tokens:
        if token.type == "function" and token.lower_name == "var":
            args = [t for t in token.arguments if t.type not in ("whitespace", "comment")]
            if args and args[0].type == "ident" and args[0].value.startswith("--"):
                total += size(args[0].value, depth + 1)
                total += _count(args[1:], size, depth + 1)   # the fallback, when there is one
                if total > MAX_TOKENS:
                    return total
                continue
        total += 1
        inner = getattr(token, "arguments", None) if token.type == "function" else getattr(token, "content", None)
        if inner:
            total += _count(inner, size, depth + 1)
        if total > MAX_TOKENS:
            return total
    return total
