"""Where a TOML value written in foundry.toml ends, and where an array's items are.

tomllib gives no positions, so a finding about a value (HF0205) is placed by reading
the lines again. Counting brackets and cutting at `#` did not know strings: the caret of
`authors = ["a]b", 3]` covered `["a]`, `theme = 'de#fault'` was cut at its `#` in
a value read plainly, and a list's item that is not a string (`3`, `["a"]`) was not
found at all. The value is read here as TOML reads it: basic strings with their
escapes, literal strings, both multi-line kinds, comments, nested arrays and inline
tables, over as many lines as it runs on.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

_QUOTES = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class Extent:
    """A value's extent: `end` (line, column after its last character; 1-based), and
    for an array, each item's (line, first column, column after it on that line)."""
    end: tuple[int, int]
    items: tuple[tuple[int, int, int], ...] = ()


def value_extent(lines: tuple[str, ...] | list[str], number: int, column: int) -> Extent:
    """The extent of the value whose first character is at line `number`, `column`
    (1-based) of `lines`; one cut off by the file's end ends there."""
    depth, state = 0, ""
    items: list[tuple[int, int, int]] = []
    item: tuple[int, int] | None = None   # where the item being read began
    last = (number - 1, column - 1)       # after the last character of it read
    ln, i = number - 1, column - 1

    def close() -> None:
        nonlocal item
        if item is not None:
            end = last[1] if last[0] == item[0] else len(lines[item[0]].rstrip())
            items.append((item[0] + 1, item[1] + 1, max(end, item[1] + 1) + 1))
            item = None

    while ln < len(lines):
        line = lines[ln]
        while i < len(line):
            ch = line[i]
            if state:
                if ch == "\\" and state[0] == '"':
                    i += 2
                    continue
                if line.startswith(state, i):
                    i += len(state)
                    while len(state) == 3 and i < len(line) and line[i] == state[0]:
                        i += 1   # """a"""" : up to two quotes of the content before the end
                    state, last = "", (ln, i)
                    if depth == 0:
                        return Extent((ln + 1, i + 1), tuple(items))
                    continue
                i += 1
                continue
            if ch == "#":
                break
            if ch in " \t\r\n":
                i += 1
                continue
            if depth == 1 and item is None and ch not in ",]}":
                item = (ln, i)
            quote = next((q for q in _QUOTES if line.startswith(q, i)), None)
            if quote is not None:
                state, i = quote, i + len(quote)
                continue
            if ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    close()
                    return Extent((ln + 1, i + 2), tuple(items))
            elif ch == "," and depth == 1:
                close()
                i += 1
                continue
            elif depth == 0:   # a number, a date, a word: to the space, comment or line's end
                end = i
                while end < len(line) and line[end] not in " \t\r#,]}":
                    end += 1
                return Extent((ln + 1, end + 1))
            i += 1
            last = (ln, i)
        if state in ('"', "'"):   # a one-line string left open: the line's end
            return Extent((ln + 1, len(line.rstrip()) + 1), tuple(items))
        ln, i = ln + 1, 0
    return Extent((len(lines), len(lines[-1]) + 1 if lines else 1), tuple(items))


_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def inline_keys(lines: tuple[str, ...] | list[str], number: int, column: int
                ) -> list[tuple[tuple[str, ...], int, int, int]]:
    """The keys of the inline table whose `{` is at line `number`, `column` (1-based),
    and of the inline tables nested in it: each (its key's parts as TOML reads them,
    from this table down; line; column of the key as written; column of its first
    character, a quote or not), both 1-based. `project = { language = "english!" }`
    was said at `project`, the value it refused not pointed at."""
    found: list[tuple[tuple[str, ...], int, int, int]] = []
    _read_table(lines, number - 1, column, (), found)
    return found


# Tables nested deeper than this are not read: one level is one call, and 3,000 nested
# `{a = ` ended check in RecursionError (an internal error) where load/project.py's
# too_deep says HF0140 past MAX_TOML_DEPTH (32) levels, which no setting lies below.
_MAX_NESTING = 64


def _read_table(lines, ln: int, i: int, prefix: tuple[str, ...], found: list) -> tuple[int, int]:
    """Read the inline table's keys from just after its `{` (0-based line `ln`, index
    `i`) into `found`; where reading stopped (after its `}`, or where it cannot be read)."""
    if len(prefix) > _MAX_NESTING:
        return ln, len(lines[ln]) if ln < len(lines) else 0
    while ln < len(lines):
        line = lines[ln]
        while i < len(line) and line[i] in " \t,":
            i += 1
        if i >= len(line) or line[i] == "#":   # (TOML 1.1 lets an inline table run on)
            ln, i = ln + 1, 0
            continue
        if line[i] == "}":
            return ln, i + 1
        first, parts = i, []
        while True:   # a key, dotted or quoted: a.b, "a b".c, 'x'
            if line.startswith('"', i):
                end = i + 1
                while end < len(line) and line[end] != '"':
                    end += 2 if line[end] == "\\" else 1
                try:
                    parts.append(tomllib.loads(f"k = {line[i:end + 1]}")["k"])
                except tomllib.TOMLDecodeError:
                    return ln, len(line)
                i = end + 1
            elif line.startswith("'", i):
                end = line.find("'", i + 1)
                if end < 0:
                    return ln, len(line)
                parts.append(line[i + 1:end])
                i = end + 1
            else:
                end = i
                while end < len(line) and line[end] in _BARE:
                    end += 1
                if end == i:
                    return ln, len(line)
                parts.append(line[i:end])
                i = end
            while i < len(line) and line[i] in " \t":
                i += 1
            if not line.startswith(".", i):
                break
            i += 1
            while i < len(line) and line[i] in " \t":
                i += 1
        if not line.startswith("=", i):
            return ln, len(line)
        written = line[first:i].rstrip()
        key = (*prefix, *parts)
        found.append((key, ln + 1, first + 1 + (written[0] in "\"'" and len(parts) == 1), first + 1))
        i += 1
        while i < len(line) and line[i] in " \t":
            i += 1
        if line.startswith("{", i):
            ln, i = _read_table(lines, ln, i + 1, key, found)
            continue
        end_line, end_column = value_extent(lines, ln + 1, i + 1).end
        ln, i = end_line - 1, end_column - 1
    return ln, 0
