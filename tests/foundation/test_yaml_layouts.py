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
            (f"v: >2\n     \n    {body}\n\n   {second}\n", ("v",)),     # indicator, a blank line more indented
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
        _placed_as_written(text, _value_at(data, loc), positions.value(loc))


def _placed_as_written(text, value, span, laid_out=True):
    """Each character of `value` (not a blank or a folded break) is where `span` places it."""
    assert bool(span.layout) is laid_out, text   # read, and spelling the value
    lines = text.replace("\r\n", "\n").split("\n")
    for offset, char in enumerate(value):
        if char in " \n":
            continue   # a blank, or a folded line break: where the line ends
        at = span.shifted(offset, 1)
        written = lines[at.line - 1][at.column - 1:at.end_column - 1]
        assert written == char or written[:1] == "\\" and len(written) > 1 or written == "''", \
            (text, offset, char, at, written)


# (a file, the path of a value whose characters are written where the first's are: its
# own, or an alias's of it, a merged key's, the second of a key given twice)
ANCHORED = [
    ('v: &a "lvel \\x41\n   and x"\n', ("v",)),                        # an anchor before the quotes
    ('v: &a # why\n  lvel and\n  x\n', ("v",)),                          # a comment between
    ('v: !x "lvel\n  \\x41"\n', ("v",)),                                # a tag
    ('v: &a "lvel \\x41\n   and x"\nw: *a\n', ("w",)),                # an alias of it
    ("v: &a lvel and x\nw: *a\n", ("w",)),                             # of a value on its line
    ('b: &b {v: "lvel\n   \\x41"}\nw: {<<: *b}\n', ("w", "v")),       # a merged key
    ('v: "x \\x41\n  y"\nv: lvel and x\n', ("v",)),                     # a key given twice: the second
]


@pytest.mark.parametrize("text,loc", ANCHORED, ids=[repr(case[0]) for case in ANCHORED])
def test_a_value_with_properties_or_reached_by_alias_is_placed_where_written(text, loc):
    """A node's start mark is at its anchor or tag, before the text: its layout was not
    read, and an alias's copy (`w: *a`, `<<: *b`) had none (a slip in it was said along
    the alias's line, past its end); a key given twice kept the first value's layout."""
    diags = Diagnostics()
    data, positions = _parse(text, "x.yaml", diags, 0)
    _placed_as_written(text, _value_at(data, loc), positions.value(loc), laid_out=text.count("v:") < 2)


def test_a_value_written_as_read_has_no_layout_and_is_counted_on_its_line():
    diags = Diagnostics()
    data, positions = _parse('a: lvel and x\nb: "lvel\tx"\nc: \'lvel\'\n', "x.yaml", diags, 0)
    for key in "abc":
        span = positions.value((key,))
        assert not span.layout
        assert span.shifted(2, 2) == type(span)("x.yaml", span.line, span.column + 2)


def test_a_wrapped_value_without_escapes_is_read_a_line_at_a_time(monkeypatch):
    """A plain or quoted value wrapped over lines with no escape and no `''` (a long
    description, the common wrapped value) is laid out a line at a time: read piece by
    piece (`_flow`: a regular expression and a place a word), 2,000 heroes' wrapped
    backgrounds took twice their files' parse. Only a value holding an escape or `''`
    is read so; either way each character is where it is written."""
    from pipeline.load import yaml_layout
    walked: list[str] = []
    real = yaml_layout._flow

    def counted(source, style, lines):
        walked.append(source)
        return real(source, style, lines)
    monkeypatch.setattr(yaml_layout, "_flow", counted)
    words = " ".join(WORDS)
    for text in (f"name: x\nv:\n  {words} stone\n  \t {words}\n\n  {words}\n",
                 f"v: '  {words}  \n   \n   {words}\t\n  '\n", f'v: "{words}\n  {words} "\n',
                 f"v: [{words},\n  {words}\n    {words}]\n"):
        data, positions = _parse(text, "x.yaml", Diagnostics(), 0)
        loc = ("v", 1) if "[" in text else ("v",)
        _placed_as_written(text, _value_at(data, loc), positions.value(loc))
    assert walked == []
    data, positions = _parse('v: "lvel\n  \\x41 it\'s"\n', "x.yaml", Diagnostics(), 0)
    _placed_as_written('v: "lvel\n  \\x41 it\'s"\n', data["v"], positions.value(("v",)))
    assert len(walked) == 1


def test_layouts_are_read_within_a_budget_a_file():
    """Reading a value's source again costs ~30 times libyaml's reading of it when it is
    all escapes: a 2 MiB file of them took ~1 CPU-s. A file's layouts read at most
    `_LAYOUT_BUDGET` characters of source (a value past it is placed at its start, as one
    written on its line is), and a value over the length limit (HF0112) none."""
    from pipeline.load.yaml import MAX_SCALAR
    each = '"' + "\\x41" * 15_000 + '"'   # 60,002 characters of source
    text = "".join(f"v{i}: {each}\n" for i in range(8)) + 'long: "' + "\\x41" * (MAX_SCALAR + 1) + '"\n'
    data, positions = _parse(text, "x.yaml", Diagnostics(), 0)
    assert data["v0"] == "A" * 15_000
    laid = sorted(positions.layouts)
    assert laid and len(laid) < 8 and laid == [(f"v{i}",) for i in range(len(laid))]   # the first ones
    assert positions.value(("v0",)).shifted(14_999).column == 6 + 4 * 14_999
    assert not positions.value(("long",)).layout
