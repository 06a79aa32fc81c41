"""The loader's reading of where each character of a YAML value stands
(load/yaml_layout.py), checked against libyaml's own reading of the same file: for
values of every style written over one or more lines, each character of the value
libyaml made is found at the place the layout gives (an escape's or `''`'s spelling
starting there; a folded line break and blanks are not looked for). A layout that
does not spell the value is not given, so this also checks each case has one."""

from __future__ import annotations

import itertools

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.load.yaml import _parse, load_yaml

WORDS = ["lvel", "a\u00e9b", "x\ty", "\u4e2d\u6587", "\U0001f600!"]


def _values() -> list[tuple[str, tuple]]:
    """(file text, the path of the value in it) for each layout looked at."""
    cases = []
    for first, second in itertools.product(WORDS, repeat=2):
        body = f"{first} and {second}"
        cases += [
            (f"k: 1\nv: {body} or\n  {second} ==\n\n     {first}\n", ("v",)),          # plain, wrapped
            (f'v: "{first} \\u006c\\x41\\t {second}\\\n    \\"{first}\\" \\\\ end\n\n  z "\n', ("v",)),
            (f"v: '{first} ''{second}''\n   {first}  '\n", ("v",)),                     # single, wrapped
            (f"v: >\n  {body}\n  {first}\n\n    more {second}\n  {first}\n", ("v",)),   # folded
            (f"v:\n  - |-\n     {body}\n\n     {second}\n  - x\n", ("v", 0)),          # literal in a list
            (f"v: {{a: {first}\n     {second}, b: \"{second}\\x41\"}}\n", ("v", "a")),   # flow, wrapped
            (f"v: {{a: {first}\n     {second}, b: \"{second}\\x41\"}}\n", ("v", "b")),   # flow, an escape
            (f"v: |2\n    {body}\n   {second}\n", ("v",)),                              # indentation indicator
            (f"v: {body}\r\n  {first}\r\n", ("v",)),                                     # CRLF
            (f"v:   # a note\n  {body}\n  {second}\n", ("v",)),                          # below a comment
        ]
    return cases


def _value_at(data, loc):
    for part in loc:
        data = data[part]
    return data


@pytest.mark.parametrize("reader", ["libyaml events", "the common shape's reader"])
def test_every_character_of_a_value_is_where_its_layout_says(reader):
    cases = _values() if reader == "libyaml events" else [
        (f"name: x\nbackground: |\n  {a} b\n\n  {b}\n    {a}\n", ("background",)) for a in WORDS for b in WORDS]
    for text, loc in cases:
        diags = Diagnostics()
        data, positions = _parse(text, "x.yaml", diags, 0) if reader == "libyaml events" else \
            load_yaml(text, "x.yaml", diags)
        assert not diags.errors, (text, diags.items)
        value = _value_at(data, loc)
        span = positions.value(loc)
        assert span.layout, text   # read, and spelling the value
        lines = text.replace("\r\n", "\n").split("\n")
        for offset, char in enumerate(value):
            if char in " \n":
                continue   # a blank, or a folded line break: where the line ends
            at = span.shifted(offset, 1)
            written = lines[at.line - 1][at.column - 1:at.end_column - 1]
            assert written == char or written[:1] == "\\" and len(written) > 1 or written == "''", \
                (text, offset, char, at, written)


def test_a_value_written_as_read_has_no_layout_and_is_counted_on_its_line():
    diags = Diagnostics()
    data, positions = _parse('a: lvel and x\nb: "lvel\tx"\nc: \'lvel\'\n', "x.yaml", diags, 0)
    for key in "abc":
        span = positions.value((key,))
        assert not span.layout
        assert span.shifted(2, 2) == type(span)("x.yaml", span.line, span.column + 2)
