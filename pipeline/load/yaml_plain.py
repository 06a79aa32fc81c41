"""The common shape of an entity file, read without libyaml's events.

A hero, character, quest or template file is nearly always a block mapping of
`key: value` lines, each value a plain word or phrase, a `[flow, list]` or `{flow:
mapping}` of plain words on its line, a `|` block of text, or a `- ` list of those
under its key. libyaml parses such a file in C, but hands every event over as a
Python object with two marks, which load/yaml.py's builder then reads in Python:
~50 events a hero, ~0.1 ms, most of a cold check's YAML (a quarter of its parse
workers' time at 10,000 heroes).

`parse_plain` reads exactly that shape, line by line, and gives what the builder
would make of it: the same values (plain scalars resolved by the same `typed`), the
same positions (libyaml's marks: the mapping at its first key, a `- ` list at its
first dash, a flow collection at its bracket, a block scalar at its `|`), in the same
order. Anything else gives None and the file is parsed by libyaml as before: a
comment, a tab, an escape in quotes, an anchor, a tag, a key of more than 200
characters, a `: ` or ` #` inside a value, a value continued on the next line, a key
written twice, a block scalar with an indicator (`|-`, `>`), a line of spaces, an odd
character, a last line without its line break, a value `typed` is unsure of (a number
out of range: its diagnostic is libyaml's path's). So every file that holds a problem,
and every file outside the shape, is read as it always was; tests/speed/test_plain_yaml.py
compares the two readings.
"""

from __future__ import annotations

import re
from typing import Any, Callable

# Returned by `typed` for a plain scalar it will not resolve alone (the builder would
# report something about it, or it is rare): the file is left to libyaml.
UNSURE = object()

# Characters any file read here is made of: printable, no tab, no CR, no byte-order
# mark, none of YAML's other line breaks (NEL, U+2028, U+2029). Any other: libyaml.
# Written as the characters that are not those (C0 but \n, DEL and C1, U+2028 and U+2029,
# surrogates, U+FEFF, U+FFFE and U+FFFF): the class of those that are spanned 62,000
# code points, which the pattern's compiling walked one by one (~3 CPU-ms a process).
_ODD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# A key: a plain name. YAML limits an implicit key to 1,024 characters (libyaml says
# HF0101 past it): longer ones are libyaml's to refuse.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,199}):")
# A plain scalar in block context on one line: not starting with an indicator or a
# space, holding no `:` or `#` (so no `: ` and no ` #`), not ending with a space.
_BLOCK_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^:#]*[^\s:#])?")
# The same inside a flow collection, where `,[]{}` end it too.
_FLOW_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^,\[\]{}:#]*[^\s,\[\]{}:#])?")
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,199}): (.*)")
# A quoted scalar on one line with nothing to unescape: its text is what is inside.
_QUOTED = re.compile(r"\"[^\"\\]*\"|'[^']*'")
_ITEM = re.compile(r"( *)- ")


def parse_plain(text: str, line_offset: int, typed: Callable[[str], Any],
                max_scalar: int) -> tuple[dict, dict, dict, dict] | None:
    """(data, value positions, key positions, layouts) of `text` when it has the common
    shape (the module's docstring), exactly as load/yaml.py's builder would make them
    from libyaml's events; else None. `typed` resolves a plain scalar (or gives UNSURE)."""
    if not text.endswith("\n") or len(text) > max_scalar or _ODD.search(text) is not None:
        return None
    lines = text.split("\n")
    lines.pop()   # after the last line break
    data: dict[str, Any] = {}
    values: dict[tuple, tuple] = {}
    keys: dict[tuple, tuple] = {}
    layouts: dict[tuple, tuple] = {}
    n, count = 0, len(lines)
    while n < count:
        line = lines[n]
        if not line:
            n += 1
            continue
        match = _KEY.match(line)
        if match is None:
            return None
        key = match.group(1)
        if key in data:
            return None   # HF0102: the builder says it
        row = n + 1 + line_offset
        if not values:
            values[()] = (row, 1, 0)   # the mapping starts at its first key
        keys[(key,)] = (row, 1, 1 + len(key))   # with its end, as the builder places a key (key_where)
        rest = line[match.end():]
        loc = (key,)
        if not rest:   # `key:` and a `- ` list below it (anything else there: libyaml)
            n = _block_list(lines, n + 1, line_offset, loc, data, values, keys, typed)
            if n is None:
                return None
            continue
        if rest[0] != " ":
            return None
        start = match.end() + 1   # the value's column, 0-based
        value = rest[1:]
        if not value:
            return None   # `key: ` (a space, then nothing)
        if value == "|":
            block = _literal(lines, n + 1, line_offset, max_scalar, key, data)
            if block is None:
                return None
            n, layouts[loc] = block
            values[loc] = (row, start + 1, 0)
            continue
        if not _one_value(value, start, row, loc, data, key, values, keys, typed, block=True):
            return None
        n += 1
    return (data, values, keys, layouts) if data else None


def _one_value(value: str, start: int, row: int, loc: tuple, container: Any, slot: Any,
               values: dict, keys: dict, typed: Callable[[str], Any], block: bool) -> bool:
    """Put the one-line value `value` (starting at 0-based column `start` of line
    `row`) at `container[slot]` and its positions at `loc`: a `[flow list]`, a
    `{flow: mapping}`, or a plain scalar. False: not in the shape."""
    first = value[0]
    if first == "[":
        if value[-1] != "]":
            return False
        items: list = []
        values[loc] = (row, start + 1, 0)
        inner, at = value[1:-1], start + 1
        if inner:
            for index, word in enumerate(inner.split(", ")):
                resolved, shift = _scalar(word, _FLOW_PLAIN, typed)
                if resolved is UNSURE:
                    return False
                items.append(resolved)
                values[loc + (index,)] = _where(row, at + 1 + shift, resolved, word, shift)
                at += len(word) + 2
        _put(container, slot, items)
        return True
    if first == "{":
        if value[-1] != "}":
            return False
        mapping: dict = {}
        values[loc] = (row, start + 1, 0)
        inner, at = value[1:-1], start + 1
        if inner:
            for pair in inner.split(", "):
                match = _PAIR.fullmatch(pair)
                if match is None:
                    return False
                name, word = match.group(1), match.group(2)
                resolved, shift = _scalar(word, _FLOW_PLAIN, typed)
                if resolved is UNSURE or name in mapping:
                    return False
                keys[loc + (name,)] = (row, at + 1, at + 1 + len(name))
                mapping[name] = resolved
                values[loc + (name,)] = _where(row, at + len(name) + 3 + shift, resolved, word, shift)
                at += len(pair) + 2
        _put(container, slot, mapping)
        return True
    resolved, shift = _scalar(value, _BLOCK_PLAIN if block else _FLOW_PLAIN, typed)
    if resolved is UNSURE:
        return False
    _put(container, slot, resolved)
    values[loc] = _where(row, start + 1 + shift, resolved, value, shift)
    return True


def _where(row: int, column: int, resolved: Any, word: str, shift: int) -> tuple[int, int, int]:
    """A one-line scalar's place as the builder records it: (line, 1-based column of its
    text, the column just past its text when it is a string — 0 for a number, a bool, a
    null), so a finding inside the value lands at its own column (load/hygiene.py)
    whichever reader read the file."""
    return row, column, (column + len(word) - 2 * shift) if isinstance(resolved, str) else 0


def _scalar(word: str, plain: re.Pattern, typed: Callable[[str], Any]) -> tuple[Any, int]:
    """A scalar written on one line: (its value, 1 when quoted: its place is inside the
    quote, as the builder's), or (UNSURE, 0) when it is not one this module reads."""
    if plain.fullmatch(word) is not None:
        return typed(word), 0
    if _QUOTED.fullmatch(word) is not None:
        return word[1:-1], 1
    return UNSURE, 0


def _put(container: Any, slot: Any, value: Any) -> None:
    if type(container) is list:
        container.append(value)
    else:
        container[slot] = value


def _block_list(lines: list[str], n: int, line_offset: int, loc: tuple, data: dict, values: dict, keys: dict,
                typed: Callable[[str], Any]) -> int | None:
    """The `- ` items under `key:` from line index `n` (each on its line, all at one
    indentation), put at `loc`; the index of the line after them, or None."""
    items: list = []
    indent = None
    while n < len(lines):
        match = _ITEM.match(lines[n])
        if match is None:
            break
        if indent is None:
            indent = len(match.group(1))
            values[loc] = (n + 1 + line_offset, indent + 1, 0)   # the list starts at its first dash
        elif len(match.group(1)) != indent:
            return None
        value = lines[n][match.end():]
        if not value or not _one_value(value, match.end(), n + 1 + line_offset, loc + (len(items),), items, None,
                                       values, keys, typed, block=True):
            return None
        n += 1
    if indent is None:
        return None   # `key:` alone (null) or a mapping below it: libyaml
    if n < len(lines) and lines[n] and lines[n][0] == " ":
        return None   # an item continued on the next line
    data[loc[0]] = items
    return n


def _literal(lines: list[str], n: int, line_offset: int, max_scalar: int, key: str,
             data: dict) -> tuple[int, tuple] | None:
    """The `|` block from line index `n`: its lines at the first one's indentation,
    blank lines between them, one line break kept at its end (YAML's "clip"); the
    index of the line after it and the block's layout (each line of text a run, as
    load/yaml_layout.py reads it), or None when it is not that plain."""
    if n >= len(lines) or not lines[n] or lines[n][0] != " ":
        return None
    first = lines[n]
    indent = len(first) - len(first.lstrip(" "))
    if indent == len(first):
        return None   # a line of spaces
    prefix = " " * indent
    kept: list[str] = []
    layout: list[int] = []
    offset = 0
    while n < len(lines):
        line = lines[n]
        if not line:
            kept.append("")
        elif line.startswith(prefix):
            if not line.strip(" "):
                return None   # a line of spaces: YAML's rules for it are not this reader's
            kept.append(line[indent:])
            layout += (offset, n + 1 + line_offset, indent + 1)
        elif line[0] == " ":
            return None   # less indented text: libyaml says what it is
        else:
            break
        offset += len(kept[-1]) + 1
        n += 1
    while kept and not kept[-1]:
        kept.pop()
    value = "\n".join(kept) + "\n"
    if len(value) > max_scalar:
        return None
    data[key] = value
    return n, tuple(layout)
