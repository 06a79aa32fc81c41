"""Which `@font-face` rules of a print stylesheet WeasyPrint reads, known without it.

WeasyPrint adds the faces of the rules at a sheet's top, in an `@media` whose media
types a printed book meets (`print`, `all`, none written; a query it cannot read is
ignored whole) and in a block `@layer` of one name; it reads no `@supports` (an unknown
rule to it). Each reader of a theme's faces asks here, so that they agree with the
books: the characters the theme's fonts print (pdf/coverage.py, which counted none of
a face in `@layer` and foretold its Japanese as boxes the book printed), the families
it declares (pdf/font_gaps.py), the faces WeasyPrint cannot load (pdf/font_faces.py).
Light: tinycss2 only, as `foundry check` reads the shipped theme's faces at every run.
"""

from __future__ import annotations

from typing import Iterator

# How deep rules nest before the rest is left unread (a stranger's stylesheet).
MAX_NESTING = 8


def face_rules(rules, depth: int = 0) -> Iterator:
    """The `@font-face` at-rules of `rules` (tinycss2's, of a stylesheet or a block)
    that WeasyPrint reads when it lays out a printed book, in the order written."""
    import tinycss2
    for rule in rules:
        if rule.type != "at-rule" or rule.content is None:
            continue
        keyword = rule.lower_at_keyword
        if keyword == "font-face":
            yield rule
        elif depth < MAX_NESTING and ((keyword == "media" and _printed(rule.prelude))
                                      or (keyword == "layer" and _one_name(rule.prelude))):
            yield from face_rules(tinycss2.parse_rule_list(rule.content), depth + 1)


def _printed(prelude) -> bool:
    """Whether WeasyPrint reads an `@media` of this prelude for a printed book: a list
    of media types (`only` before the first allowed) naming `print` or `all`, or none."""
    tokens = [t for t in prelude if t.type not in ("whitespace", "comment")]
    if not tokens:
        return True
    if tokens[0].type == "ident" and tokens[0].lower_value == "only":
        tokens = tokens[1:]
    parts: list[list] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    if any(len(part) != 1 or part[0].type != "ident" for part in parts):
        return False   # not a list of media types: the whole rule is ignored
    return any(part[0].lower_value in ("print", "all") for part in parts)


def _one_name(prelude) -> bool:
    """Whether WeasyPrint reads an `@layer` block of this prelude: none, or one name of
    identifiers joined by dots (`@layer faces`, `@layer base.faces`). Several names, or
    one it cannot read (`@layer two words`, `@layer 1`, `@layer faces.`), and the whole
    rule is ignored: counted, a face there printed nothing its characters were said to."""
    tokens = [t for t in prelude if t.type not in ("whitespace", "comment")]
    return not tokens or (len(tokens) % 2 == 1
                          and all(t.type == "ident" for t in tokens[::2])
                          and all(t.type == "literal" and t.value == "." for t in tokens[1::2]))
