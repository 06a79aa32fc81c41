"""Where in its line each node of a parsed theme template stands: the column a template
check's diagnostic points at.

Jinja's nodes carry a line and no column, so every template check said its HF0703 at
column 1 (`{{ heor.name }}` in hero.html: "hero.html:12:1", the caret under the line's
first character, not under `heor`). Jinja's lexer gives each token its line and its
text; walking the template's text along the tokens gives each token's column. The
parser copies a token's `lineno` onto the node it makes, so a line number that also
knows its column (`Placed`, an int) reaches every node without changing Jinja: a node
made from a name (`Name`, a filter's or test's name) stands at that name, one made
from a `.` (`Getattr`) at the dot, an `{% include %}`'s template name at its string.

Only the trees template checks read are parsed so (sandbox.BoundedSandbox's shared
trees); the render compiles trees of Jinja's own parser.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import jinja2
from jinja2 import nodes
from jinja2.lexer import TokenStream
from jinja2.parser import Parser

from ..diagnostics import Span


class Placed(int):
    """A template line number that also knows its 1-based column (0: not known)."""

    column: int

    def __new__(cls, line: int, column: int) -> "Placed":
        made = super().__new__(cls, line)
        made.column = column
        return made

    def __reduce__(self):   # kept and copied as the line it is, with its column
        return (Placed, (int(self), self.column))


def column_of(line: Any) -> int:
    """The column a node's `lineno` (or a syntax error's) knows, else 0."""
    return getattr(line, "column", 0)


def template_span(label: str, line: Any, column: int | None = None) -> Span:
    """The place of a template check's finding: its file, its line and, when the line
    came from a placed node, the column there (`column` overrides)."""
    at = int(line or 0)
    return Span(label, at, (column_of(line) if column is None else column) if at else 0)


def placed_parse(env: jinja2.Environment, source: str, name: str | None, filename: str | None) -> Any:
    """`env.parse(source)` as Jinja's parser makes it, each node's `lineno` a `Placed`
    (what Environment._tokenize does, the lexer's tokens placed). A syntax error's
    `lineno` is placed at the token the parser stopped at, when that is on its line."""
    parser = _PlacedParser(env, "", name, filename)
    parser.stream = _placed_stream(env, source, name, filename)
    parser.text = source
    try:
        return parser.parse()
    except jinja2.TemplateSyntaxError as exc:
        current = parser.stream.current.lineno
        if isinstance(current, Placed) and exc.lineno == current and not isinstance(exc.lineno, Placed):
            exc.lineno = current
        raise


class _PlacedParser(Parser):
    """Jinja's parser, with a test (`tags is iterabel`) placed at its name: Jinja makes
    the node from its `is`."""

    text = ""
    _lines: list[str] | None = None

    def parse_test(self, node: Any) -> Any:
        made = super().parse_test(node)
        test = made.node if isinstance(made, nodes.Not) else made   # `x is not defined`: Not(Test)
        line, column = int(test.lineno), column_of(test.lineno)
        if column and isinstance(test, nodes.Test):
            if self._lines is None:
                self._lines = self.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            text = self._lines[line - 1] if line <= len(self._lines) else ""
            found = re.compile(r"is\s+(?:not\s+)?(" + re.escape(test.name) + r")\b").match(text, column - 1)
            if found:
                test.lineno = Placed(line, found.start(1) + 1)
        return made


def _placed_stream(env: jinja2.Environment, source: str, name: str | None, filename: str | None) -> TokenStream:
    source = env.preprocess(source, name, filename)
    stream = TokenStream(env.lexer.wrap(_placed(env.lexer.tokeniter(source, name, filename), source),
                                        name, filename), name, filename)
    for ext in env.iter_extensions():
        stream = ext.filter_stream(stream)
        if not isinstance(stream, TokenStream):
            stream = TokenStream(stream, name, filename)
    return stream


_OFFSET = re.compile(r" at \d+$")


def _placed(tokens: Iterator[tuple[int, str, str]], source: str) -> Iterator[tuple[int, str, str]]:
    """The lexer's (line, type, text) with each line a `Placed`. A token's text is found
    in the template's text from where the last one ended: the lexer skips only what
    whitespace control strips (`{%-`, lstrip_blocks), so the first place it is found is
    its own. A token found on another line than the lexer's (a text the lexer changed)
    gets column 0, never a wrong column; the next one is looked for from the same place."""
    text = source.replace("\r\n", "\n").replace("\r", "\n")   # as the lexer reads it
    pos, line, line_start = 0, 1, 0
    opener: Placed | None = None   # the last `{#` or `{% raw %}`, where one never closed is said
    tokens = iter(tokens)
    while True:
        try:
            lineno, kind, value = next(tokens)
        except StopIteration:
            return
        except jinja2.TemplateSyntaxError as exc:
            # the lexer stops where the last token (its whitespace too) ended: `$` in
            # `{{ x $ y }}`, the quote of `{{ 'abc` never closed. The parser's current
            # token is the one before (`x`), where placed_parse would put it.
            if exc.lineno is not None and not isinstance(exc.lineno, Placed):
                exc.lineno = Placed(exc.lineno, pos - line_start + 1 if exc.lineno == line else 0)
                if opener is not None and (exc.message or "").startswith("Missing end of"):
                    exc.lineno = opener   # a `{#` or `{% raw %}` never closed: said at it
                if exc.lineno.column and exc.message:   # "unexpected char '$' at 5301": the
                    exc.args = (_OFFSET.sub("", exc.message), *exc.args[1:])   # file's offset, no column
            raise
        at = text.find(value, pos) if value else -1
        if at < 0:
            yield Placed(lineno, 0), kind, value
            continue
        skipped = text.count("\n", pos, at)
        here_line = line + skipped
        here_start = text.rfind("\n", pos, at) + 1 if skipped else line_start
        if here_line != lineno:
            yield Placed(lineno, 0), kind, value
            continue
        placed = Placed(lineno, at - here_start + 1)
        if kind in ("comment_begin", "raw_begin"):
            opener = placed
        yield placed, kind, value
        inside = value.count("\n")
        pos, line = at + len(value), here_line + inside
        line_start = at + value.rfind("\n") + 1 if inside else here_start
