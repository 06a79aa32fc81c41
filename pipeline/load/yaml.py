"""Safe YAML with a position for every key and value.

We build values from libyaml's *event* stream instead of using `safe_load`, because
safe_load still accepts alias bombs, silently keeps the last of two duplicate keys,
applies YAML 1.1 surprises (`NO` → False, `010` → 8, `12:30` → 750) and recurses on
deep nesting. Building from events lets us refuse all of that with a diagnostic at
the exact place, resolve scalars by the YAML 1.2 core schema, and remember where
each value came from so later stages can point at it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Severity, Span, clip, code_span, laid_out
from ..ids import ODD_SPACES
from . import rowjson
from .yaml_layout import layout, past_properties
from .yaml_plain import UNSURE, parse_plain

try:  # libyaml is ~10× faster; fall back to the pure-Python parser where it is missing
    from yaml import CSafeLoader as _Loader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]
    _CParser = None


def say_parser(diags: Diagnostics) -> None:
    """HF0746 once when this machine's PyYAML has no libyaml (built from source without
    its headers, on a platform with no wheel): the pure-Python parser then judges some
    files otherwise than libyaml, every wheel's and CI's — a tab after a value
    (`name: Aria<tab>`), a tab after `:` or in a flow list are refused there as tabs
    that indent — so a check here and one in CI could disagree, unsaid."""
    if _CParser is None:
        from ..diagnostics import ENVIRONMENT
        diags.add("HF0746", f"PyYAML {yaml.__version__} on this machine has no libyaml: YAML is read by its "
                            "pure-Python parser, which refuses some files libyaml reads (a tab after a value, "
                            "after `:`, or in a `[...]` list), so this verdict may differ from CI's",
                  Span(ENVIRONMENT))


# The loader whose events are those of _CParser alone (tests may swap _Loader for the
# pure-Python one: then yaml.parse runs it)
_LIBYAML_LOADER = _Loader if _CParser is not None else None

MAX_DEPTH = 32
MAX_SCALAR = 65_536
MAX_INT = 2**53
Path = tuple  # a path into the data: keys and list indexes, as pydantic's `loc`

_CORE = "tag:yaml.org,2002:"
# The non-specific tag `!` is the only one accepted: YAML 1.2 says it makes a plain
# scalar text (`! 12` is "12"). Every other tag — the core `!!str`/`!!int`/… included — is
# refused at the tag (HF0108): honouring core tags would mean a second way to write every
# type, and ignoring them silently (`!!int '12'` staying text) misleads the writer.
_NON_SPECIFIC = "!"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OTHER = re.compile(r"^0(?:o[0-7]+|x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
# YAML 1.2 core schema's infinity and not-a-number: JSON cannot carry them (HF0160).
_NON_FINITE = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
# YAML 1.1's other words for true and false (what PyYAML's safe_load, many engines'
# loaders and yamllint's `truthy` rule read as booleans): YAML 1.2, read here, keeps them
# as text, so the stages that find one where true/false was meant say so in these words.
YAML11_BOOLS = {w: v for words, v in (("y yes on", True), ("n no off", False))
                for word in words.split() for w in (word, word.capitalize(), word.upper())}
# A number as YAML 1.1 spells it and 1.2 does not: digits grouped by `_`, binary `0b…`.
_YAML11_NUMBER = re.compile(r"^[-+]?(?:0b[01][01_]{0,63}|[0-9][0-9_]{0,30}(?:\.[0-9_]{0,30})?)$")
# The digits before a float's exponent: one of them not 0 and the float 0.0 means the
# number was too small for 64 bits (`1e-400`), read as 0 — out of range, like `1e400`.
_MANTISSA_NONZERO = re.compile(r"^[-+]?[.0]*[1-9]")


def _out_of_range(text: str, number: float) -> bool:
    """Whether the float `text` read as `number` lost its value: beyond ±1.8e308
    (infinity) or nearer 0 than the smallest 64-bit number (read as 0)."""
    return number in (float("inf"), float("-inf")) or (number == 0.0 and bool(_MANTISSA_NONZERO.match(text)))


# The first characters a null, boolean, number or non-finite number can have (the
# empty text is null): any other plain scalar is text, without trying each pattern.
_TYPED_STARTS = frozenset("~nNtTfF+-.0123456789\n")


Where = tuple  # (line, column, end_column), 1-based: cheaper to keep than a Span per value

# The longest plain value looked at for what it was meant as (Positions._meant): a
# number with a stray mark in it is short.
_MEANT_LENGTH = 40
_TEXT = object()   # _plain_typed's answer for a text that stays text


def _plain_typed(text: str) -> Any:
    """What a plain scalar `text` is by the YAML 1.2 core schema (as _Builder.resolve
    reads it) when it is null, a boolean or a number JSON carries; else _TEXT."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text) or _INT_OTHER.match(text):
        number = int(text, 0) if _INT_OTHER.match(text) else int(text, 10)
        return number if abs(number) <= MAX_INT else _TEXT
    if _FLOAT.match(text):
        number = float(text)
        return _TEXT if _out_of_range(text, number) else number
    return _TEXT


def plain_text(text: str) -> bool:
    """Whether the loader reads `text` written as a plain scalar as that text: not as
    null, a boolean or a number by the core schema (`5`, `true`, `0x1f`), nor as one
    it refuses (`1e999`, a number beyond ±2^53: HF0160, HF0111)."""
    return not _NULL.match(text) and text not in _BOOL and not _INT.match(text) \
        and not _INT_OTHER.match(text) and not _FLOAT.match(text) and not _NON_FINITE.match(text)


class Positions:
    """Where each value (and each mapping key) of a document stands in its file:
    `values` and `keys` map a path into the data to (line, column, end column).

    A document taken from the parse cache keeps them as the cached JSON text until a
    stage first asks (`stored`): a warm check takes most entries and sheets from the
    query store and never asks, so it neither decodes nor holds 10,000 documents'
    worth of dict entries and tuples (their largest memory holder after the data)."""

    __slots__ = ("path", "_values", "_keys", "_layouts", "_text", "_dumped", "_meant")

    def __init__(self, path: str, values: dict[Path, Where] | None = None, keys: dict[Path, Where] | None = None,
                 layouts: dict[Path, tuple] | None = None):
        self.path = path
        self._values: dict[Path, Where] = {} if values is None else values
        self._keys: dict[Path, Where] = {} if keys is None else keys
        # A text value not laid out as it reads (wrapped over lines, a block, an escape),
        # by path → its layout (load/yaml_layout.py), which its span carries: a place
        # inside it (`Span.shifted`) is where the character stands in the file
        self._layouts: dict[Path, tuple] = {} if layouts is None else layouts
        self._text: str | None = None
        self._dumped: str | None = None   # to_text's answer while the tables are not replaced
        # A plain value that is a number, true/false or null once the marks text hygiene
        # refuses in it are gone (`xp: 12\u200b0`), by path: what it was meant as. The
        # mark is the slip (HF0132 at it); validation reads the value as meant, so the
        # same slip is not also "should be a whole number, not text" (validate/documents.py)
        self._meant: dict[Path, Any] = {}

    @classmethod
    def stored(cls, path: str, text: str) -> "Positions":
        """Positions kept as `to_text` wrote them, decoded on first use."""
        positions = cls(path)
        positions._text = text
        return positions

    def to_text(self) -> str:
        """The positions as one JSON text: [[[path…], [line, column, end]]…] for values,
        then keys, then (when a value has one) [[path…], layout] for layouts."""
        if self._text is not None:
            return self._text
        if self._dumped is None:   # asked twice of a parse worker's document: its cache row, its way back
            # a tuple is written as a JSON array: (path, where) pairs need no lists made
            tables = [list(self._values.items()), list(self._keys.items())]
            if self._layouts:
                tables.append(list(self._layouts.items()))
            self._dumped = rowjson.dumps(tables)
        return self._dumped

    def _decode(self) -> None:
        text, self._text = self._text, None
        if text is None:
            return
        try:
            values, keys, *layouts = rowjson.loads(text)
            self._values = {tuple(loc): tuple(where) for loc, where in values}
            self._keys = {tuple(loc): tuple(where) for loc, where in keys}
            self._layouts = {tuple(loc): tuple(layout) for table in layouts for loc, layout in table}
        except (ValueError, TypeError):   # not what to_text writes: no positions (spans fall back to 1:1)
            self._values, self._keys, self._layouts = {}, {}, {}

    @property
    def values(self) -> dict[Path, Where]:
        if self._text is not None:
            self._decode()
        return self._values

    @values.setter
    def values(self, table: dict[Path, Where]) -> None:
        self._decode()
        self._values, self._dumped = table, None

    @property
    def layouts(self) -> dict[Path, tuple]:
        if self._text is not None:
            self._decode()
        return self._layouts

    @layouts.setter
    def layouts(self, table: dict[Path, tuple]) -> None:
        self._decode()
        self._layouts, self._dumped = table, None

    @property
    def meant(self) -> dict[Path, Any]:
        """Plain values holding a refused mark, by path → the value meant (`_meant`):
        rare, so kept apart from `to_text` (a document's cache row keeps it beside,
        load/documents.py) and read without decoding the tables."""
        return self._meant

    @meant.setter
    def meant(self, table: dict[Path, Any]) -> None:
        self._meant = table

    @property
    def keys(self) -> dict[Path, Where]:
        if self._text is not None:
            self._decode()
        return self._keys

    @keys.setter
    def keys(self, table: dict[Path, Where]) -> None:
        self._decode()
        self._keys, self._dumped = table, None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Positions) and (self.path, self.values, self.keys, self.layouts) == \
            (other.path, other.values, other.keys, other.layouts)

    def __repr__(self) -> str:
        return f"Positions(path={self.path!r}, values={self.values!r}, keys={self.keys!r}, layouts={self.layouts!r})"

    def __getstate__(self) -> tuple:
        return self.path, self.values, self.keys, self.layouts, self.meant

    def __setstate__(self, state: tuple) -> None:
        self.path, self._values, self._keys, self._layouts, self._meant = state
        self._text = self._dumped = None

    def value(self, loc: Path) -> Span:
        """The span of the value at `loc`, or of its nearest existing parent. A text
        value not laid out as it reads carries its layout (`Span.shifted`)."""
        values = self.values
        loc = tuple(loc)
        while loc and loc not in values:
            loc = loc[:-1]
        line, column, end = values.get(loc, (1, 1, 0))
        layout = self._layouts.get(loc) if self._layouts else None
        span = Span(self.path, line, column, end)
        return laid_out(span, layout) if layout else span

    def key(self, loc: Path) -> Span:
        """The span of the key naming `loc` (falls back to the value's span)."""
        where = self.keys.get(tuple(loc))
        return Span(self.path, *where) if where else self.value(loc)


class _Refused(Exception):
    """Stops building at a structural problem (already reported): one after which the
    rest of the file cannot be read as the writer meant it (a second document, a key
    that is a list, nesting past the bound)."""


# Problems of one kind reported per file before the rest are counted into one "and N
# more" line: a hostile file of 1,000 anchors gives 21 diagnostics, not 1,000.
MAX_REPORTS = 20


@dataclass
class _Frame:
    loc: Path
    container: Any
    pending_key: str | None = None
    index: int = 0
    flow: bool = False  # a `[…]` or `{…}` collection, where libyaml misreads `?x`
    mapping: bool = False   # the container is a dict (else a list)
    # Inside the value of a duplicate key (HF0102 said at it): that value is dropped with
    # the file, and its keys are the first occurrence's paths again. They are compared
    # with this mapping's own keys only (`own`: key → line), or a duplicated line
    # `attributes: {agility: 12, wits: 11}` was HF0102 at `attributes` and at each key in it.
    shadow: bool = False
    own: dict[str, int] | None = None
    pending_dup: bool = False   # the key waiting for its value is a duplicate
    # an anchored collection's name, and where each value and key inside it stands
    # (("v" or "k", path below it, where)): an alias's copy stands at the same places
    anchor: str | None = None
    inside: list | None = None


def load_yaml(text: str, path: str, diags: Diagnostics, line_offset: int = 0,
              cache: Any = None) -> tuple[Any, Positions]:
    """Parse one YAML document. On a problem, report it and return (None, positions).
    With a ParseCache, an unchanged text is not parsed again."""
    if cache is None:
        return _parse(text, path, diags, line_offset)
    key = cache.key_of("yaml", line_offset, text)
    hit = cache.get(key)
    if hit is not None:
        positions = Positions(path)
        positions.values = {tuple(loc): tuple(where) for loc, where in hit["values"]}
        positions.keys = {tuple(loc): tuple(where) for loc, where in hit["keys"]}
        positions.layouts = {tuple(loc): tuple(layout) for loc, layout in hit.get("layouts", ())}
        return hit["data"], positions
    before = len(diags.items)
    data, positions = _parse(text, path, diags, line_offset)
    if len(diags.items) == before and data is not None:  # problems are found afresh every time
        cache.put(key, {"data": data, "values": [[list(k), list(v)] for k, v in positions.values.items()],
                        "keys": [[list(k), list(v)] for k, v in positions.keys.items()],
                        "layouts": [[list(k), list(v)] for k, v in positions.layouts.items()]})
    return data, positions


def _parse(text: str, path: str, diags: Diagnostics, line_offset: int,
           loader: Any = None) -> tuple[Any, Positions]:
    last_line = text.rsplit("\n", 1)[-1]
    if last_line and not last_line.strip(" \t"):
        # libyaml drops a last line of only blanks when no line break follows it (yaml-test-suite
        # L24T); ending the line changes nothing else, as YAML reads end of input as a break there.
        text += "\n"
    if not ("\x85" in text or "\u2028" in text or "\u2029" in text) or any(c in text for c in _HELD_BACK):
        return _parse_lines(text, path, diags, line_offset, loader)
    # NEL, LS and PS end a line to libyaml (YAML 1.1) and are text to YAML 1.2 (and to
    # every 1.2 reader an engine uses): `xp: 120<LS>status: draft` read as two fields, a
    # comment's `# note<LS>xp: 5` as a field, `'Rook<NEL>Amsel'` as 'Rook Amsel', where
    # YAML 1.2 refuses the first and reads the others as written. Each is handed to
    # libyaml as a character it reads as text (a noncharacter, absent from the file) and
    # given back after: the file reads as YAML 1.2 reads it, and hygiene then says such
    # a character in a value at its place.
    before = len(diags.items)
    data, positions = _parse_lines(text.translate(_HOLD), path, diags, line_offset, loader)
    for i in range(before, len(diags.items)):
        found = diags.items[i]
        diags.items[i] = replace(found, message=found.message.translate(_GIVE_BACK),
                                 hint=found.hint.translate(_GIVE_BACK))
    return _given_back(data), positions


# NEL, LS, PS → noncharacters libyaml reads as text (and back); a file that already holds one
# of those noncharacters is read as before.
_HOLD = {0x85: "\ufdd0", 0x2028: "\ufdd1", 0x2029: "\ufdd2"}
_GIVE_BACK = {ord(v): chr(k) for k, v in _HOLD.items()}
_HELD_BACK = tuple(_HOLD.values())


def _given_back(data: Any) -> Any:
    """`data` with the held characters of every key and text given back."""
    if isinstance(data, str):
        return data.translate(_GIVE_BACK)
    if isinstance(data, dict):
        return {_given_back(k): _given_back(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_given_back(v) for v in data]
    return data


def _parse_lines(text: str, path: str, diags: Diagnostics, line_offset: int,
                 loader: Any = None) -> tuple[Any, Positions]:
    if not _has_odd_break(text):
        return _parse_text(text, path, diags, line_offset, loader)
    # YAML 1.1 (libyaml) also breaks lines at a lone CR, NEL, U+2028 and U+2029; every
    # other tool a writer uses (git, the editor's line numbers, our excerpts) counts "\n"
    # only: each place after such a character was reported a line too far down, its
    # excerpt showing another line. Places are counted again in "\n" lines.
    before = len(diags.items)
    data, positions = _parse_text(text, path, diags, line_offset, loader)
    lines = _NewlineLines(text, line_offset)
    positions.values = {loc: lines.where(where) for loc, where in positions.values.items()}
    positions.keys = {loc: lines.where(where) for loc, where in positions.keys.items()}
    positions.layouts = {loc: lines.layout(layout) for loc, layout in positions.layouts.items()}
    for i in range(before, len(diags.items)):
        found = diags.items[i]
        if found.span.path == path:
            line, column, _ = lines.where((found.span.line, found.span.column, 0))
            message = _LINE_WORD.sub(lines.said, found.message)
            odd = _ODD_BREAK.search(lines.text_of(line)) if found.code == "HF0101" else None
            hint = found.hint if odd is None else (
                f"Line {line} holds {_BREAK_NAMES[odd.group(0)]}, which YAML reads as the end of a line: "
                "delete it (a new line is a plain Enter).")
            diags.items[i] = replace(found, message=message, hint=hint,
                                     span=replace(found.span, line=line, column=column))
    return data, positions


# ` #` then a word: a comment glued to its first word, what a writer types as text
# (`Chapter #1`, `the #2 gate`); one pass over the file, each character taken once.
_GLUED_COMMENT = re.compile(r"(?:[ \t]|^)#[^\s#]|[ \t]#[ \t]*\r?$", re.M)
_GLUED_LINE = re.compile(r"#[^\s#]")   # a line's text (indent off) that is such a comment
# What follows a value on its line when that is such a comment: its spaces (the match's
# end is the '#'); a flow collection's `,` `]` `}` between them is allowed.
_AFTER_HEADER = re.compile(r"[|>](?:[+-][1-9]?|[1-9][+-]?)?[ \t]+(?=#[^\s#])")
# (or a lone `#` ending the line, `title: Press ZQXP #`: an empty comment, the writer's `#`)
_AFTER_VALUE = re.compile(r"[\"']?[ \t]*(?:[,\]}][ \t]*)*(?<=[ \t])(?=#(?:[^\s#]|[ \t]*\r?$))")


# Line breaks to YAML 1.1 that "\n" does not count: CR not before LF, NEL, LS, PS.
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LINE_WORD = re.compile(r"\bline (\d+)(?:, column (\d+))?")
_BREAK_NAMES = {"\r": "a carriage return (CR) not followed by a newline", "\x85": "U+0085 NEXT LINE",
                "\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR"}


def _has_odd_break(text: str) -> bool:
    """Whether `text` holds one of `_ODD_BREAK`'s breaks. The regex, an alternation
    with a look-ahead, is tried at every position (~37 µs for a 1 KB hero file, 0.4
    CPU-s of a cold check's 10,650 files); a text holding none of its four characters,
    which `in` finds absent in well under a microsecond, cannot match it."""
    return ("\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text) \
        and _ODD_BREAK.search(text) is not None


class _NewlineLines:
    """libyaml's 1-based (line, column) in a text (after `offset` lines of its file) →
    the same place as "\n" counts lines, as everything else does."""

    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        self.yaml_starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def where(self, where: tuple) -> tuple:
        line, column, end = where
        n = line - 1 - self.offset
        if not 0 <= n < len(self.yaml_starts) or column < 1:
            return tuple(where)
        at = self.yaml_starts[n] + column - 1
        row = bisect_right(self.starts, at) - 1
        moved = at - self.starts[row] + 1
        return (row + 1 + self.offset, moved, end + moved - column if end else 0)

    def layout(self, layout: tuple) -> tuple:
        """A value's layout (load/yaml_layout.py) with each run's place counted again."""
        moved: list[int] = []
        for k in range(0, len(layout), 3):
            moved += (layout[k], *self.where((layout[k + 1], layout[k + 2], 0))[:2])
        return tuple(moved)

    def line(self, line: int) -> int:
        return self.where((line, 1, 0))[0]

    def said(self, found: re.Match) -> str:
        """A message's `line N` (or `line N, column C`, as a bracket's opening is
        said), which _LINE_WORD found, counted again: a column after an odd break on
        the same "\n" line moves too."""
        if found.group(2) is None:
            return f"line {self.line(int(found.group(1)))}"
        line, column, _ = self.where((int(found.group(1)), int(found.group(2)), 0))
        return f"line {line}, column {column}"

    def text_of(self, line: int) -> str:
        """The text of 1-based "\n" line `line` of the file ('' outside the text)."""
        n = line - 1 - self.offset
        if not 0 <= n < len(self.starts):
            return ""
        end = self.starts[n + 1] if n + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[n]:end]


def _parse_text(text: str, path: str, diags: Diagnostics, line_offset: int,
                loader: Any = None) -> tuple[Any, Positions]:
    """Every problem of one YAML text, reported at once. The builder notes each anchor,
    alias, tag, duplicate key and out-of-range number and reads on; a syntax error
    stops libyaml, but one whose fix is certain and keeps every place where it was (a
    tab indenting a line, an unknown `\\x` escape: each becomes a space) is repaired
    and the text parsed again, up to MAX_REPORTS times, so the next one is found too.
    After a repair only such errors are reported: another error could be the repair's."""
    repairs = 0
    if _ODD_SPACE.search(text) is not None:
        text, repairs = _odd_spaces(text, path, diags, line_offset, loader)
    if loader is None and not repairs:   # the common shape of an entity file, read without libyaml's events
        plain = parse_plain(text, line_offset, _typed, MAX_SCALAR)
        if plain is not None:
            return plain[0], Positions(path, plain[1], plain[2], plain[3])
    # True while every repair is certainly what the writer meant — a value quoted as its
    # hint says (_AsMeant), a space the writer saw where YAML read none (_odd_spaces):
    # the file is then returned, so its other fields are checked in the same run
    meant, typed = True, text
    while True:
        outcome = _parse_once(text, path, diags, line_offset, loader, repairs, meant)
        if isinstance(outcome, str):
            text, repairs, meant = str(outcome), repairs + 1, meant and isinstance(outcome, _AsMeant)
            continue
        if repairs and not meant and outcome[0] is not None and _tabs_certain(typed, outcome[0], path, line_offset, loader):
            return outcome   # tabs that indent: the same file however wide a tab is
        return outcome if not repairs or meant else (None, outcome[1])


def _tabs_certain(typed: str, data: Any, path: str, line_offset: int, loader: Any) -> bool:
    """Whether `typed`, whose tabs that indent were repaired (one space each) into a file
    that reads as `data`, reads as `data` too with each such tab two spaces wide and
    four: then how wide the writer's editor showed a tab changes nothing, the file is
    what they meant, and its other problems (a misspelt skill beside the tab) are said
    in the same run rather than once the tabs are gone. A file whose reading depends on
    the width, or that holds another repair (an unknown escape), is not returned."""
    if "\t" not in typed:
        return False
    for width in (2, 4):
        wide = _LEADING_BLANKS.sub(lambda m, w=width: m.group(0).replace("\t", " " * w), typed)
        found = Diagnostics()
        outcome = _parse_once(wide, path, found, line_offset, loader, 0)
        if isinstance(outcome, str) or found.errors or outcome[0] != data:
            return False
    return True


# The blanks that indent each line.
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.M)


def _parse_once(text: str, path: str, diags: Diagnostics, line_offset: int,
                loader: Any, repairs: int, meant: bool = False) -> tuple[Any, Positions] | str:
    """One parse of `text`, after `repairs` repaired syntax errors: (value or None,
    positions), or the text with its syntax error repaired (to be parsed again).
    `meant`: every repair so far quoted a value as the writer meant it (_as_meant),
    which makes no new error, so a later one is the writer's and is said too."""
    loader = loader or _Loader
    positions = Positions(path)
    builder = _Builder(text, path, diags, positions, line_offset)
    try:
        if loader is _LIBYAML_LOADER:
            # libyaml's events without the loader around them: CSafeLoader is this
            # parser plus a constructor and a resolver (made per file, never used here),
            # and yaml.parse asks it twice per event (check_event, then get_event)
            parser = _CParser(text)
            try:
                get, feed = parser.get_event, builder.feed
                event = get()
                while event is not None:   # None once the stream has ended
                    feed(event)
                    event = get()
            finally:
                parser.dispose()
        else:
            for event in yaml.parse(text, Loader=loader):
                builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _span(path, mark, line_offset)
        if _NESTING_LIMIT in str(exc.problem):
            if loader is not yaml.SafeLoader:
                # libyaml ≥ 0.2.5 (PyYAML 6.0.4's wheels) stops at its own nesting limit while
                # scanning ahead, before our builder has seen the events that would reach
                # MAX_DEPTH; the pure-Python parser has no such limit and is only needed for
                # this rare refusal, so it gives the same HF0110 at the same place whatever
                # PyYAML is installed.
                return _parse_once(text, path, diags, line_offset, yaml.SafeLoader, repairs)
            diags.add("HF0110", f"values nest more than {MAX_DEPTH} levels deep", span)
            return None, positions
        fixed = _repaired(text, exc)
        if fixed is None and repairs and not meant:
            return None, positions   # perhaps made by the repair: the writer fixes the others first
        message, hint, (line, column) = syntax_in_writers_words(exc, text, line_offset)
        if fixed is None and hint.startswith(_QUOTE_HINTS):
            fixed = _as_meant(text, line - 1 - line_offset)
        if repairs == MAX_REPORTS:
            message = f"more syntax errors from here on (the first {MAX_REPORTS} are above)"
            fixed = None
        diags.add("HF0101", message, Span(path, line, column), hint=hint or None)
        # parsed again whole after the repair: what is said of the file as a whole (an
        # anchor's aliases, "and N more") is said by that parse, once, not also by this one
        builder.superseded = fixed is not None
        return fixed if fixed is not None else (None, positions)
    except yaml.YAMLError as exc:  # reader errors: a character YAML may not hold at all
        _unreadable(exc, text, path, diags, line_offset)
        return None, positions
    except _Refused:
        return None, positions
    finally:
        builder.report_the_rest()
    if builder.failed and builder.doubtful:   # every problem reported; the value read is not the one typed
        return None, positions
    if builder.merges and builder.failed:
        # only in a file already refused (for its anchors): read as meant to check the rest;
        # a clean file is read as YAML 1.2 reads it, where `<<` is a key like any other
        return _merged(builder.result, positions, (), [0]), positions
    return builder.result, positions


# The notes after which the file read is still what its writer typed, value for value, so
# its other problems are checked in the same run (HF0102 at a key given twice hid every
# misspelt field of the file until it was fixed): a key given twice (read as YAML reads
# it, the last value), an anchor (its value as written) and an alias of it (that value
# again, `_Builder.alias_value`). A tag (HF0108) only when its value read without it is
# of the type it names (`_untagged_alike`); else the type meant is not known (`!!str
# 12`, `!!int '12'`).
_KEEPS_VALUE = frozenset({"HF0102", "HF0109"})
# At most this many values are made by reading a file's aliases: a billion laughs (ten
# aliases of ten aliases of …) is refused without being expanded.
_ALIAS_BUDGET = 10_000


# At most this many places of values and keys are noted inside anchored collections
# (`_Builder.note_inside`), for an alias's copy to stand where they were typed: each is
# noted once for every anchored collection around it, and a 400 KB file of thirty
# nested anchors around 200,000 values took 21 CPU-s and 1.5 GB to note them (an alias
# can copy no more than `_ALIAS_BUDGET` values, keys as many).
_INSIDE_BUDGET = 2 * _ALIAS_BUDGET


# At most this many characters of a file's source are read again for its values'
# layouts (load/yaml_layout.py), and none of a value over the length limit (HF0112: its
# file is refused): a 2 MiB file of escapes or `''` took ~1 CPU-s to lay out, 30 times
# libyaml's reading of it. Past it a value is placed at its start, its characters
# counted by their number ("at character N").
_LAYOUT_BUDGET = 4 * MAX_SCALAR


class _OverBudget(Exception):
    pass


def _copied(value: Any, builder: _Builder, depth: int) -> Any:
    """A deep copy of a read value placed `depth` containers deep, counted against
    `_ALIAS_BUDGET`; _OverBudget for a container it would place `MAX_DEPTH` deep, as a
    typed one is refused (HF0110): an alias of an alias of … of a 30-deep anchor nests
    thirty levels more at each step, and 20 steps overflowed Python's stack (internal
    error) in this copy, else in every stage that walks the value."""
    builder.copied += 1
    if builder.copied > _ALIAS_BUDGET or (depth >= MAX_DEPTH and isinstance(value, (dict, list))):
        raise _OverBudget
    if isinstance(value, dict):
        return {k: _copied(v, builder, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v, builder, depth + 1) for v in value]
    return value


# The file's places looked through to give merged keys the places they were typed at
# (`_merged`): each merge key is a look through all of them, so a file of thousands is
# not looked through thousands of times, nor one of a million values a hundred times
# (a 2 MB file of 100 merge keys beside a list of 1,000,000 numbers took 12 CPU-s). Past
# it, a merged key is said at the merge key.
_PLACED_LOOKS = 2_000_000


def _merged(value: Any, positions: Positions, path: Path, placed: list[int]) -> Any:
    """`value` (at `path`) with each `<<: *base` merge key (YAML 1.1's, which most YAML
    tools read) read as its writer meant: the base mapping's keys (of each base in a
    list, the first one's first) under the mapping's own, which win; each merged key and
    what is under it stands where it was typed (in the anchor, or its alias's copy). A
    `<<` whose value is no mapping is kept, and said as the unknown field it is."""
    if isinstance(value, list):
        return [_merged(v, positions, path + (i,), placed) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        return value
    out = {k: _merged(v, positions, path + (k,), placed) for k, v in value.items()}
    bases = out.get("<<")
    single = isinstance(bases, dict)
    if single:
        bases = [bases]
    if isinstance(bases, list) and bases and all(isinstance(b, dict) for b in bases):
        del out["<<"]
        taken: dict[str, Path] = {}   # merged key → the path of the base it came from
        for i, base in enumerate(bases):
            for k, v in base.items():
                if k not in out:
                    out[k] = v
                    taken[k] = path + ("<<",) + (() if single else (i,))
        placed[0] += len(positions._values) + len(positions._keys)
        if taken and placed[0] <= _PLACED_LOOKS:
            n = len(path) + 1 + (not single)   # the length of a base's path
            for table in (positions._values, positions._keys, positions._layouts):
                for at, where in list(table.items()):
                    if len(at) > n and at[n] in taken and taken[at[n]] == at[:n]:
                        table[path + at[n:]] = where
    return out


def _typed(value: str) -> Any:
    """A plain scalar by the YAML 1.2 core schema, as `_Builder.resolve` reads it; UNSURE
    for what the builder would report (a number out of range, a non-finite one, a refused mark) or
    reads rarely (octal, hexadecimal): load/yaml_plain.py leaves that file to libyaml."""
    if not value.isascii() and len(value) <= _MEANT_LENGTH:
        from .hygiene import prose_problem
        if prose_problem(value) is not None:
            return UNSURE   # a refused mark: what it was meant as is the builder's (note_meant)
    if value[0] not in _TYPED_STARTS:
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        if len(value.lstrip("+-")) > 20:
            return UNSURE
        number = int(value, 10)
        return number if abs(number) <= MAX_INT else UNSURE
    if _INT_OTHER.match(value) or _NON_FINITE.match(value):
        return UNSURE
    if _FLOAT.match(value):
        number = float(value)
        return UNSURE if _out_of_range(value, number) else number
    return value


def written_data(text: str, path: str) -> Any:
    """What a YAML text holds as written, read on past the problems that refuse a file
    but leave its shape certain (an anchor or alias, a tag, a duplicate key, a number
    out of range: each such value is None): what names it writes, when the file was
    refused. None when its shape is not certain (a syntax error, a second document).
    Nothing is reported: the file's load says its problems."""
    held = not any(c in text for c in _HELD_BACK)   # NEL, LS, PS are text, as `_parse` reads them
    if held:
        text = text.translate(_HOLD)
    builder = _Builder(text, path, Diagnostics(), Positions(path), 0)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except (yaml.YAMLError, _Refused):
        return None
    return _given_back(builder.result) if held else builder.result


# Spaces YAML does not read as one (it knows the space and the tab): a no-break space
# (macOS types it with Option+Space, word processors after a colon), the typographic
# spaces and an IME's full-width space.
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
# Where such a space stands for a space of YAML's syntax: in a line's indentation, after
# a list item's `-`, or after the `:` of the line's key.
_SYNTAX_SPACE = re.compile("^(?P<lead>[ \t]*)(?:(?P<dash>-)|(?:-[ \t]+)?(?P<key>[^\\s#'\"{\\[&*!|>%@`?-][^:#\n]*?:))?"
                           f"(?P<odd>[{ODD_SPACES}][ \t{ODD_SPACES}]*)", re.M)
# ... and after the `:` of a key in a flow mapping (`{agility:\u00a013}`: the key was
# `agility:\u00a013`, said as "not a valid name" with the hint `agility_13`)
_FLOW_SPACE = re.compile("[{,][ \t]*(?P<key>[^\\s#'\"{}\\[\\],:][^:#\n{}\\[\\],]*?:)"
                         f"(?P<odd>[{ODD_SPACES}][ \t{ODD_SPACES}]*)")


def _odd_spaces(text: str, path: str, diags: Diagnostics, line_offset: int, loader: Any) -> tuple[str, int]:
    """(`text`, 0), or, when a space YAML does not read as one stands where its syntax
    needs a space (`xp:\u00a0120`, `-\u00a0ambush`, an indentation of no-break spaces)
    and changes what the file says, the text with each such space an ordinary one and how
    many: each is HF0101 at its place, and the file is then read as a repaired one is
    (`_parse_text`). The writer sees a space there: libyaml's own reading said "line 9
    (`xp: 120`) has no `:` after its key", or "'skills' should be a list, not text". A
    no-break space inside a value (`Capitaine :`, a block of text) changes nothing of
    the file's shape and is left alone."""
    found = sorted([*_SYNTAX_SPACE.finditer(text), *_FLOW_SPACE.finditer(text)], key=lambda m: m.start("odd"))
    if not found:
        return text, 0

    def spaced(matches: list) -> str:
        fixed = list(text)
        for m in matches:   # each odd space of the run (`\u00a0\u00a0xp: 50`), not only the first
            for at in range(m.start("odd"), m.end("odd")):
                fixed[at] = " " if fixed[at] not in " \t" else fixed[at]
        return "".join(fixed)

    def shape(candidate: str) -> Any:
        outcome = _parse_once(candidate, path, Diagnostics(), line_offset, loader, 0)
        if isinstance(outcome, str):   # a syntax error it repairs: broken as it is
            return _BROKEN
        return _BROKEN if outcome[0] is None else _shape(outcome[0])

    meant = shape(spaced(found))
    if meant is _BROKEN:
        return text, 0   # broken with ordinary spaces too: what libyaml says of the file as written
    # one at the start of a `|` / `>` block's line, after the block's own indentation of
    # ordinary spaces, is the block's text as typed (a Japanese paragraph opens with
    # U+3000): made a space, the block's first line set a deeper indentation, and every
    # later line's own U+3000 then seemed to end the block (an error at each of them)
    inside = _block_text_lines(spaced(found), text, loader)
    if inside:
        found = [m for m in found if text.count("\n", 0, m.start("odd")) not in inside]
        if not found:
            return text, 0
        meant = shape(spaced(found))
        if meant is _BROKEN:
            return text, 0
    # a space that matters: the file says something else with it as typed (inside a
    # block of text, `Note:\u00a0see` or an indented line, it changes only the text)
    found = [m for m in found[:MAX_REPORTS] if shape(spaced([x for x in found if x is not m])) != meant]
    if not found:
        return text, 0
    from .hygiene import describe
    for m in found:
        line = text.count("\n", 0, m.start("odd")) + 1 + line_offset
        column = m.start("odd") - text.rfind("\n", 0, m.start("odd"))
        what = describe(m.group("odd")[0])
        if m.group("key"):
            key = m.group("key")[:-1].strip()
            said, fix = f"a {what} after the `:` of `{clip(key, 30)}`", f"it as an ordinary space: `{clip(key, 30)}: …`"
        elif m.groupdict().get("dash"):
            said, fix = f"a {what} after the `-` of a list item", "it as an ordinary space: `- …`"
        else:
            said, fix = f"a {what} indents line {line}", "the indentation with ordinary spaces"
        diags.add("HF0101", f"{said}, which YAML does not read as a space", Span(path, line, column),
                  hint=f"Retype {fix}. A word processor, an input method or Option+Space on a Mac types "
                       "this one, which looks like a space.")
    return spaced(found), len(found)


_BROKEN = object()


def _block_text_lines(spaced: str, typed: str, loader: Any) -> set[int]:
    """The 0-based lines of `typed` that are text of a literal or folded block scalar as
    typed: the blocks are those of `spaced` (the same text with its odd spaces made
    ordinary ones, one character for one: the same places), and a line is the block's
    text when its ordinary leading spaces reach the block's indentation as typed (its
    first line's, or its header's indicator), deeper than the header's line."""
    try:
        events = list(yaml.parse(spaced, Loader=loader or _Loader))
    except yaml.YAMLError:
        return set()
    lines = typed.split("\n")
    inside: set[int] = set()
    for event in events:
        if not isinstance(event, yaml.ScalarEvent) or event.style not in ("|", ">"):
            continue
        header, end = event.start_mark.line, event.end_mark.line
        if event.end_mark.column == 0:
            end -= 1   # the mark after the block's last line break
        parent = len(lines[header]) - len(lines[header].lstrip(" "))
        # `|2`, `>-1`: the header's indentation indicator, after any tag or anchor
        indicator = _BLOCK_HEADER.search(lines[header], event.start_mark.column)
        digit = next((c for c in indicator.group(0) if c.isdigit()), None) if indicator else None
        content = [n for n in range(header + 1, min(end, len(lines) - 1) + 1) if lines[n].strip(" ")]
        if not content:
            continue
        indent = parent + int(digit) if digit else len(lines[content[0]]) - len(lines[content[0]].lstrip(" "))
        if indent <= parent:
            continue   # its first line indented by odd spaces only: that indentation is YAML's
        inside.update(n for n in content if len(lines[n]) - len(lines[n].lstrip(" ")) >= indent)
    return inside


def _shape(data: Any) -> Any:
    """`data` with every value but mappings and lists left out: what a file says the
    fields are, not what they hold."""
    if isinstance(data, dict):
        return {key: _shape(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_shape(value) for value in data]
    return None


def _repaired(text: str, exc: Any) -> str | None:
    """`text` with the character libyaml stopped at replaced by a space, when that is
    certainly the fix and moves nothing: a tab in a line's indentation, or the `\\` of
    an escape YAML does not know. Else None."""
    mark = exc.problem_mark
    if mark is None:
        return None
    starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
    if mark.line >= len(starts):
        return None
    begin = starts[mark.line]
    line = text[begin:starts[mark.line + 1] if mark.line + 1 < len(starts) else len(text)]
    problem = str(exc.problem or "")
    if "escape" in problem or "hexdecimal" in problem:   # unknown, or `\x`, `\u`, `\U` without their hex digits
        at = line.rfind("\\", 0, mark.column + 1)
    else:
        lead = len(line) - len(line.lstrip(" \t"))
        at = line.find("\t", 0, lead)
        if at < 0 and line[mark.column:mark.column + 1] == "\t" and "cannot start any token" in problem:
            at = mark.column
        if at < 0:
            return None
    if line[at:at + 1] not in ("\t", "\\"):
        return None
    return text[:begin + at] + " " + text[begin + at + 1:]


# The hint of a value in a word processor's quotes (`title: “Scout: of the road”`).
_STRAIGHT_QUOTES = "Write straight quotes (an editor replaced them): "


class _AsMeant(str):
    """A text repaired by quoting one line's value as its HF0101 hint says (`_as_meant`)."""


# The hints of syntax_in_writers_words whose fix is one line's whole value in quotes.
_QUOTE_HINTS = ("Put the whole value in quotes: ", "Put the value in quotes: `", _STRAIGHT_QUOTES)


def _as_meant(text: str, row: int) -> _AsMeant | None:
    """`text` with the value of its 0-based line `row` (`title: *Rook* Amsel`, `notes:
    Has a: colon`) in quotes, as the writer meant it and the hint says; None unless that
    value is on the one line (no deeper lines continue it, no ` #` comment ends it) and
    follows a `key: ` in block style. The quote stands at the value's first column, so
    every place in the file is where it was; only the rest of this line moves, by one."""
    lines = text.split("\n")
    if not 0 <= row < len(lines):
        return None
    line = lines[row].rstrip("\r")
    m = _LINE_VALUE.match(line)
    if m is None or not m.group("key") or " #" in m.group("value"):
        return None
    below = next((other for other in lines[row + 1:] if other.strip() and not other.lstrip().startswith("#")), "")
    if len(below) - len(below.lstrip(" ")) > len(line) - len(line.lstrip(" -")):
        return None   # a value continued on deeper lines: not this line's to quote alone
    value = m.group("value")
    value = in_typographic_quotes(value) or value   # a word processor's quotes, meant as YAML's: straightened
    lines[row] = line[:m.start("value")] + _quoted(value) + lines[row][m.end("value"):]
    return _AsMeant("\n".join(lines))


def _unreadable(exc: Any, text: str, path: str, diags: Diagnostics, line_offset: int) -> None:
    """A character YAML's reader refuses anywhere in a file (C0/C1 controls but tab and
    line ends, lone surrogates, U+FFFE/FFFF): HF0131/HF0132 as text hygiene words it,
    at the character's own line and column. libyaml gives its place in UTF-8 bytes and
    the Python reader in characters; the reader stops at the first refused character,
    so its first occurrence in the text is the place either way."""
    from .hygiene import report   # only on this rare path: hygiene is not yaml's to import early
    code = getattr(exc, "character", None)
    at = text.find(chr(code)) if isinstance(code, int) and 0 <= code <= 0x10FFFF else -1
    if at < 0:
        diags.add("HF0101", f"YAML cannot read this file: {clip(str(exc).splitlines()[0], 80)}",
                  Span(path, 1 + line_offset, 1))
        return
    # counted in YAML's own line breaks, like every other place this parse reports
    # (_parse counts them again in "\n" lines when the file holds the odd ones)
    breaks = list(_YAML_BREAK.finditer(text, 0, at))
    line = len(breaks) + 1 + line_offset
    column = at - (breaks[-1].end() if breaks else 0) + 1
    # worded by text hygiene's one report, as a control character anywhere else is
    report(diags, text[at], Span(path, line, column, column + 1), "YAML file", "")


_NESTING_LIMIT = "maximum nesting depth"  # libyaml's message when its own limit is reached


# `agility:13`: a key and its value with no space after the colon, which YAML reads as
# one plain word (`agility:13`), so the next line's `key: value` is a syntax error.
TIGHT_COLON = re.compile(r"^[ \t]*(?:- )?([A-Za-z_][\w-]*):(?=[^\s:/])")


def tight_colon(shown: str, line: str, why: str, at: tuple[int, int]) -> tuple[str, str, tuple[int, int]]:
    """(message, hint, `at`) for `line`, which TIGHT_COLON matches, shown as `shown`;
    `why` ends the message. Also the words of validate/documents.py's `{wits:12}`."""
    key = TIGHT_COLON.match(line).group(1)
    rest = line.strip().split(":", 1)[1]
    return (f"{shown} needs a space after the `:` of `{clip(key, 30)}`{why}",
            f"Write `{clip(key, 30)}: {clip(rest, 30)}`: a colon, then a space.", at)


# One block line as a writer types it: `key: value` or `- value` (the key is None for a
# list item), with where its value starts.
_LINE_VALUE = re.compile(r"^(?P<lead>[ \t]*(?:-[ \t]+)*)(?:(?P<key>[^\s#'\"{\[&*!|>%@`?-][^:#]*?)[ \t]*:[ \t]+)?"
                         r"(?P<value>\S.*?)[ \t]*$")
# A list item typed with a dash or bullet YAML does not read as `-`: autocorrect's en or
# em dash, the minus sign, a word processor's bullet, a full-width hyphen; then a space.
ODD_BULLET = re.compile(f"^([\u2013\u2014\u2212\u2022\u00b7\u25cf\u25aa\u25e6\u2023\uff0d])[ \t{ODD_SPACES}]")
# What follows a dash or bullet that is prose, not a list item: words before a `: ` that
# no key of ours has (a capital letter or a space: `The bank: always`), not `{…}`, `[…]`
# or `crossed: false`.
_PROSE_ITEM = re.compile(r"^(?![{\[])[^:\n]*(?:[A-Z]|\S\s+\S)[^:\n]*:\s")
# Quotes a word processor types for `"` and `'` (and the guillemets of French and German
# keyboards): text to YAML, which reads a `: ` inside them as its own.
TYPOGRAPHIC_OPENS, TYPOGRAPHIC_CLOSES = "“‘„‚«»", "”’“‘»«"
# Each opening quote's closing ones: German `„…“`, Polish `„…”`, French `«…»`, Danish `»…«`.
_CLOSES = {"“": "”", "‘": "’", "„": "“”", "‚": "‘’", "«": "»", "»": "«»"}


def in_typographic_quotes(value: str) -> str | None:
    """The text inside a word processor's quotes that enclose all of `value` (`“Scout:
    of the road”` → `Scout: of the road`, a French `« Renard »` without its no-break
    spaces), else None: quotes that open or close only part of it (`“The Fox”: a tale`,
    `‘Tis the season`, `“A” and “B”`) are the writer's text, which a hint or a reading
    as meant keeps whole (taking off the first and last character mangled it)."""
    closes = _CLOSES.get(value[:1], "")
    if len(value) < 2 or value[-1] not in closes or any(c in closes for c in value[1:-1]):
        return None
    inner = value[1:-1]
    return re.sub(f"^[ {ODD_SPACES}]+|[ {ODD_SPACES}]+$", "", inner) if value[0] in "«»" else inner
# What YAML reads a value starting with each of these as, where a writer meant text
# (`name: *Aria* the Bold` is Markdown emphasis to the writer, an alias to YAML).
_INDICATORS = {
    "*": ("`*`", "which YAML reads as an alias (a reference to an `&anchor`), not as text"),
    # an entity (`title: &amp; Co`, `&mdash; the Bold`): an anchor's name ends at the `;`
    "&": ("`&`", "which YAML reads as an anchor (a name given to the value), not as text"),
    "@": ("`@`", "which YAML reserves: no plain value may start with it"),
    "`": ("a backtick", "which YAML reserves: no plain value may start with it"),
    "%": ("`%`", "which YAML reads as a directive, not as text"),
    "|": ("`|`", "which YAML reads as the start of a block of text whose lines come below it"),
    ">": ("`>`", "which YAML reads as the start of a folded block of text whose lines come below it"),
    "?": ("`?`", "which YAML reads as a complex key, not as text"),
    # an image opening a name (`name: ![crest](crest.png) Rook`): a tag to YAML, and
    # libyaml's words were said with a hint to check the indentation
    "!": ("`!`", "which YAML reads as a tag (a type given to the value), not as text"),
}
# What may follow `|` or `>` on its line when it starts a block of text (YAML's block
# scalar header: an indentation digit and a chomping sign, then a comment): anything else
# after it is text a writer typed (`title: > Scout`, a Markdown quote), which libyaml
# refused with words sending the writer after the indentation.
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][+-]?|[+-][1-9]?)?(?:[ \t]+#.*)?")


# a key a hint may show as it is (`name`, `k's`): any other is shown in quotes
_PLAIN_KEY = re.compile(r"\w[\w.'/-]*(?: [\w.'/-]+)*")


# What a plain scalar cannot open with, or hold, and be read as the text it shows.
_NOT_PLAIN = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|: |:$| #|\s$|[\x00-\x1f]")


def yaml_scalar(text: str) -> str:
    """`text` written as a one-line YAML value that reads back as `text`: plain when
    it can be (`My Draft`), else quoted (`"Fog: a tale"`, `"true"`)."""
    return text if text and plain_text(text) and not _NOT_PLAIN.search(text) else _quoted(text)


def _second_document_hint(text: str, at: int, path: str) -> str:
    """HF0101's hint at a second document's `---` (or its first line) at index `at`:
    closing the file as a story's front matter is closed, it is a line to delete; with
    more below it, that is a second file's worth. The code's own hint ("Check
    indentation…") said nothing of either."""
    rest = text[at:].split("\n", 1)
    below = rest[1] if len(rest) > 1 and rest[0].strip() in ("---", "...") else text[at:]
    if all(not line.strip() or line.lstrip().startswith("#") or line.strip() in ("---", "...")
           for line in below.split("\n")):
        return "Delete this line: a YAML file needs no `---` to close it (a story's front matter, in a .md file, does)."
    if not path.startswith("content/"):
        return "The file is one mapping: join the lines below this one to those above it, then delete this line."
    return ("A file holds one hero, character, quest or template: move the lines below this one into a file of "
            "their own beside it (named by their id), then delete this line.")


def _quoted(text: str) -> str:
    """`text` as a YAML value in the quotes that need no escape (single quotes double
    an apostrophe inside them)."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _quote_end(value: str) -> int:
    """Index of the quote closing the quoted scalar `value` starts with, or -1."""
    q, k = value[0], 1
    while k < len(value):
        if value[k] == "\\" and q == '"':
            k += 2
            continue
        if value[k] == q:
            if q == "'" and value[k + 1: k + 2] == "'":
                k += 2
                continue
            return k
        k += 1
    return -1


def _bracket_end(value: str) -> int:
    """Index of the bracket closing the `[`/`{` `value` starts with on this line, or -1."""
    depth, quote = 0, ""
    for k, char in enumerate(value):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return k
    return -1


def quoted_as_meant(value: str, end: int) -> str:
    """The text meant by a value typed in quotes that close early (`value` as typed from
    its opening quote, `end` the index of the quote that closed it): what is inside the
    outer pair when the value ends with its opening quote and the quote that closed it
    is no closing one: it opens a quotation inside (a space before it: `"Rook "the Fox"
    Amsel"`) or is an apostrophe in a word (`'Rook's road'`); else the whole value, its
    quotes the writer's words (`"Rook" Amsel`; `"Rook" "Amsel"` and `"Amsel" the
    "Rook"`, which end with a quote too, were hinted `'Rook" "Amsel'`, a name with
    stray quotes when followed). A comment after it (` # note`) is none of it: it was
    hinted inside the quotes, and followed the note was in the name. YAML's and
    foundry.toml's hints both."""
    comment = re.search(r"[ \t]#", value[end + 1:]) if end > 0 else None
    if comment is not None:
        value = value[:end + 1 + comment.start()].rstrip()
    if len(value) > 1 and value[-1] == value[0] and 0 < end < len(value) - 1 \
            and (value[end - 1].isspace() or value[end + 1].isalnum()):
        return value[1:-1]
    return value


def _value_slip(line: str, column: int, more: tuple[str, ...] = ()) -> tuple[str, str, int] | None:
    """(message, hint, 0-based column) when the value on `line`, where libyaml stopped
    at `column`, is text a writer typed that YAML reads as syntax: a value starting with
    an indicator (`*`, `&`, `@`, `` ` ``, `%`, `|`, `>`, `?`, `!`), also a key or an item of a
    `[…]`/`{…}` on the line, or a quoted or bracketed start followed by more text
    (`"Scout of the "Marsh" Road"`, `'Rook's road'`, `[Scout] of the road`). `more`: the
    lines below continuing the value (indented deeper), which the quoted fix holds too.
    None for anything else."""
    m = _LINE_VALUE.match(line)
    if m is None or column < m.start("value"):
        return None
    key, value, start = m.group("key"), m.group("value"), m.start("value")
    listed = "-" in m.group("lead")
    whose = f"the value of `{clip(key.strip(), 30)}`" if key else "this list item" if listed else "this line"
    first = value[0]
    if not key and not listed and first in _INDICATORS:
        # `&amp;: x`: a key starting with an indicator (the value pattern takes no such key):
        # its fix quotes the key, not the line as a list item (`- "&amp;: x"`)
        named = re.match(r"(?P<name>[^:#]*?)[ \t]*:(?:[ \t]+(?P<rest>.*))?$", value)
        if named is not None and named.group("name"):
            shown, meaning = _INDICATORS[first]
            fix = _ticked(f"{clip(_quoted(named.group('name')), 40)}:" + (f" {clip(named.group('rest'), 30)}"
                                                                           if named.group("rest") else ""))
            return (f"the key `{clip(named.group('name'), 30)}` starts with {shown}, {meaning}",
                    f"Put the key in quotes: {fix}.", start)
    whole = " ".join([value, *(part.strip() for part in more)])
    inner = in_typographic_quotes(whole)
    if inner is not None and (key or listed):
        # `title: “Scout: of the road”`: a word processor's quotes are text to YAML, so the
        # `: ` inside them was YAML's, and the hint "Put the value in quotes" named what
        # the writer thought was done
        fix = _ticked(f"{clip(key.strip(), 30)}: {clip(_quoted(inner), 60)}" if key else f"- {clip(_quoted(inner), 60)}")
        return (f"{whose} is in typographic quotes {first}…, which YAML reads as text, not as quotes",
                f"{_STRAIGHT_QUOTES}{fix}.", start)
    fix = _ticked(f"{clip(key.strip(), 30)}: {clip(_quoted(whole), 60)}" if key
                  else f"- {clip(_quoted(whole), 60)}" if listed else clip(_quoted(whole), 60))
    tag = value.split()[0]
    if first == "!" and column > start + len(tag) and value[len(tag):].strip():
        # a tag libyaml read whole (`!!str Rook: Amsel`, `! [Scout] of the road`: it
        # stopped after it) is not the slip: quoting it hid the real one (a second `: `,
        # a list followed by text) and made the tag text. The value after it is judged
        # (the tag is HF0108's, or `!`, which makes a value text as the quotes do).
        return _value_slip(line[:start] + " " * len(tag) + line[start + len(tag):], column, more)
    if first in _INDICATORS and not (first in "|>" and _BLOCK_HEADER.fullmatch(value)):
        shown, meaning = _INDICATORS[first]
        return f"{whose} starts with {shown}, {meaning}", f"Put the whole value in quotes: {fix}.", start
    if first in "[{" and column > start:
        # an item of the list or mapping starting with one (`[&amp; ambush]`, `{first: *Rook*}`):
        # libyaml's words were said, with the hint to check the indentation
        at, item = _flow_item(line, start, column)
        if item and item[0] in _IN_FLOW:
            shown, meaning = _INDICATORS[item[0]]
            fixed = line[start:at] + _quoted(item) + line[at + len(item):m.end("value")]
            fix = _ticked(f"{clip(key.strip(), 30)}: {clip(fixed, 60)}" if key
                          else f"- {clip(fixed, 60)}" if listed else clip(fixed, 60))
            return (f"`{clip(item, 30)}` in {whose} starts with {shown}, {meaning}",
                    f"Put it in quotes: {fix}.", at)
    if first in "\"'":
        end = _quote_end(value)
        rest = value[end + 1:].strip() if end > 0 else ""
        if rest and not rest.startswith("#"):
            inner = quoted_as_meant(value, end)
            suggestion = (f"`{clip(key.strip(), 30)}: {clip(_quoted(inner), 60)}`" if key
                          else f"`- {clip(_quoted(inner), 60)}`")
            return (f"{whose} is in quotes that close at column {start + end + 1}, and YAML cannot read the text "
                    f"after them (`{clip(rest, 30)}`)",
                    f"A {first} inside {first}…{first} ends the value: put it in the other quotes, {suggestion} "
                    "(inside '…' an apostrophe is written twice: 'Rook''s road').", start + end + 1)
    if first in "[{":
        end = _bracket_end(value)
        rest = value[end + 1:].strip() if end > 0 else ""
        if rest and not rest.startswith("#"):
            kind = "list" if first == "[" else "mapping"
            return (f"{whose} starts with `{first}`, which YAML reads as a {kind}, and it cannot read the text "
                    f"after its `{value[end]}` (`{clip(rest, 30)}`)",
                    f"Put the whole value in quotes: {fix}.", start + end + 1)
    return None


# the indicators an item of a `[…]` or `{…}` may start with that YAML reads as syntax
_IN_FLOW = "*&@`%"


def _ticked(fix: str) -> str:
    """`fix` in backticks, unless it holds one (it is then shown as it is)."""
    return fix if "`" in fix else f"`{fix}`"


def _flow_item(line: str, start: int, column: int) -> tuple[int, str]:
    """(0-based start, text) of the item holding `column` of the `[…]` or `{…}` opened
    at `start`: after the last `[`, `{`, `,` or a key's `: ` before it, up to the next
    `,`, `]` or `}`, or its own `: ` (a key: `{&amp;: x}`)."""
    head = line[start:column]
    cut = max(head.rfind("["), head.rfind("{"), head.rfind(","), head.rfind(": ") + 1)
    begin = start + cut + 1
    begin += len(line[begin:]) - len(line[begin:].lstrip(" \t"))
    return begin, re.match(r"[^,\]}]*", line[begin:]).group().split(": ")[0].rstrip()


def syntax_in_writers_words(exc: Any, text: str, line_offset: int = 0) -> tuple[str, str, tuple[int, int]]:
    """libyaml's syntax error → (message, hint, (line, column)) in a writer's words.

    libyaml names its parser state ("did not find expected '-' indicator", "mapping
    values are not allowed here"); a writer needs to know which line's indentation
    disagrees with which, or which quote or bracket is never closed. Lines and columns
    are 1-based in the file (`line_offset` lines precede `text`, e.g. a story's `---`).
    An error this function does not recognise keeps libyaml's own words."""
    lines = text.splitlines()
    problem = str(exc.problem or exc.context or "")
    context = str(exc.context or "")
    pm, cm = exc.problem_mark or exc.context_mark, exc.context_mark
    at = (pm.line, pm.column) if pm is not None else (0, 0)
    row = at[0]

    def show(n: int) -> str:
        return f"line {n + 1 + line_offset} (`{clip(lines[n].strip(), 40)}`)" if 0 <= n < len(lines) else \
            f"line {n + 1 + line_offset}"

    def indent(n: int) -> int:
        return len(lines[n]) - len(lines[n].lstrip(" ")) if 0 <= n < len(lines) else 0

    def key_column(n: int) -> int:
        """Where line n's key starts: after its indent and any list item's `- `."""
        return re.match(r" *(?:-  *)*", lines[n]).end() if 0 <= n < len(lines) else 0

    def before(n: int) -> int:
        k = n - 1
        while k >= 0 and (not lines[k].strip() or lines[k].lstrip().startswith("#")):
            k -= 1
        return k

    def where(n: int, col: int = -1) -> tuple[int, int]:
        return n + 1 + line_offset, (indent(n) if col < 0 else col) + 1

    def spaces(n: int) -> str:
        return f"{n} space{'s' if n != 1 else ''}"

    line_text = lines[row] if 0 <= row < len(lines) else ""
    if "\t" not in line_text[: len(line_text) - len(line_text.lstrip())] and (
            "cannot start any token" in problem and line_text[at[1]: at[1] + 1] == "\t"):
        # a tab after a value, after `:` or in a `[...]` list: libyaml reads it as a space,
        # PyYAML's pure-Python parser (no libyaml: HF0746) refuses it. It indents nothing.
        return (f"a tab character after `{clip(line_text[:at[1]].strip(), 40)}` on line {row + 1 + line_offset}, "
                "where this machine's YAML parser reads none",
                "Replace the tab with a space (set your editor to insert spaces for Tab in .yaml and .md files).",
                where(row, at[1]))
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        hint = "Replace the tab with spaces (set your editor to insert spaces for Tab in .yaml and .md files)."
        # under a block's text (`background: |` and its lines): the tab replaced by spaces
        # as told, a `skills: [x]` meant as a field of its own was published as that text
        above = before(row)
        opener = next((k for k in range(above - 1, -1, -1) if lines[k].strip() and indent(k) < indent(above)),
                      None) if above >= 0 else None
        if opener is not None and re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", lines[opener]) \
                and re.match(r"\t*[^\s:#-][^:\s]*:(\s|$)", line_text.lstrip(" ")):
            # a field's name is one word: `\tand the fog: it lifts.` is more of the text
            key, field, n = line_text.strip().split(":")[0], lines[opener].strip().split(":")[0], indent(opener)
            hint = (("Delete the tab" if n == 0 else f"Replace the tab with {spaces(n)}")
                    + f", if `{clip(key, 30)}:` is a field of its own, as `{clip(field, 30)}:` (line "
                    f"{opener + 1 + line_offset}) is; indented more, it is read as more of that field's text.")
        return (f"a tab character indents line {row + 1 + line_offset}; YAML indents with spaces only",
                hint, where(row, line_text.find("\t")))
    if ("escape" in problem or "hexdecimal" in problem) and "\\" in line_text[: at[1] + 1]:
        slash = line_text.rfind("\\", 0, at[1] + 1)
        shown = clip(line_text[slash: slash + 2], 4)
        return (f"`{shown}` in double quotes is read as an escape, and is not a valid one",
                "Write `\\\\` for a backslash, or put the text in single quotes, where a backslash is "
                "just a character.", where(row, slash))
    # the lines below continuing the value (`title: &amp; the` / `  Bold`): its fix holds them
    more = tuple(itertools.takewhile(lambda line: line.strip() and not line.lstrip().startswith("#")
                                     and len(line) - len(line.lstrip(" ")) > indent(row), lines[row + 1:]))
    slip = _value_slip(line_text, at[1], more) if pm is not None else None
    if slip is None and cm is not None and cm.line == row and "alias" in context:
        slip = _value_slip(line_text, cm.column, more)
    if slip is not None:
        return slip[0], slip[1], where(row, slip[2])
    bullet = next((k for k in (row, before(row)) if 0 <= k < len(lines) and ODD_BULLET.match(lines[k].lstrip(" "))), None)
    if bullet is not None:
        # `relationships:` then `  – {with: …}`: YAML reads no item there, and the words
        # were of indentation ("give the line above no value to nest it under")
        item = lines[bullet].lstrip(" ")
        said = f"{show(bullet)} starts with `{item[0]}` (U+{ord(item[0]):04X} {unicodedata.name(item[0], 'mark')})"
        if _PROSE_ITEM.match(item[1:].strip()):
            # `background:` then `  – The bank: always the bank.`: a dialogue dash (French,
            # Spanish, Russian prose) in text, whose `: ` YAML read as a key's; a list
            # item's `-` made the text a list
            return (f"{said} and holds `: `, which YAML reads as a key's",
                    "If it is text (a dialogue dash), write `|` after the `:` of the key above it: the indented "
                    "lines below are then read as they are.", where(bullet))
        return (f"{said}, which YAML does not read as a list item's `-`",
                f"Write `- {clip(item[1:].strip(), 40)}`: a hyphen and a space (an editor replaced it).", where(bullet))
    if "mapping values are not allowed" in problem:
        prev = before(row)
        # the line stands where a key may: beside the line above (after a list item's `- `,
        # `  - with: x` holds keys at 4), or first under a `key:` opening a block
        # (`attributes:` / `  agility: 13: high` was "not a `key:` that can hold it")
        at_key = prev < 0 or indent(row) <= key_column(prev) or lines[prev].split(" #")[0].rstrip().endswith(":")
        if line_text.count(": ") + line_text.rstrip().endswith(":") >= 2 and at_key:
            # the line itself quoted (`title: "Fog Road: Part 1"`): the example line alone,
            # `key: "text: with a colon"`, left the writer to work out which part is the value
            key, _, value = line_text.strip().partition(": ")
            fixed = f"`{key}: {_quoted(value.strip())}`" if " #" not in value else None   # as _as_meant reads it
            last = row   # the value's last line: deeper lines continue a plain value (`title: Fog: x` / `  more`)
            for k in range(row + 1, len(lines)):
                if lines[k].strip() and (indent(k) <= key_column(row) or lines[k].lstrip().startswith("#")):
                    break
                last = k if lines[k].strip() else last
            if last > row and fixed:
                # quoting the first line alone left `  more` a line of nothing ("lines up with none
                # of the keys"): the quotes go around the whole value, over its lines
                held = "".join(lines[k] for k in range(row, last + 1))
                quote = '"' if '"' not in held and "\\" not in held else "'" if "'" not in held else None
                span = f"`{key}: {quote}{clip(value.strip(), 40)}` … `{clip(lines[last].strip(), 40)}{quote}`"
                fixed = None if quote is None or " #" in held else \
                    f"Put the value in quotes, from line {row + 1 + line_offset} to line {last + 1 + line_offset}: {span}."
                return (f"{show(row)} has a second `: ` inside its value",
                        fixed or "Put the value in quotes: `key: \"text: with a colon\"`.", where(row, at[1]))
            return (f"{show(row)} has a second `: ` inside its value",
                    f"Put the value in quotes: {fixed}." if fixed and len(fixed) <= 120 else
                    "Put the value in quotes: `key: \"text: with a colon\"`.", where(row, at[1]))
        if prev >= 0 and indent(row) > indent(prev):
            has_value = ":" in lines[prev] and lines[prev].split(":", 1)[1].strip()
            why = "which already has a value, so nothing can be nested under it" if has_value else \
                "which is not a `key:` that can hold it"
            return (f"{show(row)} is indented {spaces(indent(row))}, more than {show(prev)}, {why}",
                    f"Line the key up with `{clip(lines[prev].strip().split(':')[0], 30)}:` ({spaces(indent(prev))}) "
                    f"if it belongs beside it, or give the line above no value to nest it under.", where(row))
        if prev >= 0 and TIGHT_COLON.match(lines[prev]):
            return tight_colon(show(prev), lines[prev], f", so YAML reads it together with {show(row)}", where(prev))
        if prev >= 0 and ":" not in lines[prev]:
            return (f"{show(prev)} has no `:`, so YAML reads it together with {show(row)}",
                    "Write `key: value` with a colon and a space, or indent the line under the key it continues.",
                    where(prev))
    if "expected key" in problem or "expected '-' indicator" in problem:
        prev = before(row)
        said = _COMMENT_START.search(lines[prev]) if prev >= 0 and ": " not in line_text else None
        keyed = said is not None and _LINE_VALUE.match(lines[prev][:said.start()])
        if said is not None and (indent(row) == indent(prev) > 0 and not lines[prev].lstrip().startswith("- ") or (
                indent(row) > indent(prev) and keyed and keyed.group("key") and keyed.group("value")[:1] not in "[{\"'|>")):
            # `background: Grew up on the marsh` / `  road, where fog rules #2 and` / `  more.`:
            # the comment ended the value, and the next line of it is no `key: value`
            return (f"{show(row)} continues the text of line {prev + 1 + line_offset}, but the ` #` on that line "
                    "starts a YAML comment, which ends the value there",
                    "Write the value as a block: `|` after its key's `:`, and its lines below it, indented "
                    "(a `#` is then text); or quote the whole value.", where(row))
        opener = cm.line if cm is not None else before(row)
        siblings = sorted({indent(k) for k in range(opener, row) if lines[k].strip() and not lines[k].lstrip().startswith("#")})
        levels = " or ".join(spaces(n) for n in siblings) or spaces(indent(opener))
        if "'-' indicator" in problem and indent(row) == indent(opener):
            parent = next((k for k in range(opener - 1, -1, -1)
                           if lines[k].strip() and indent(k) < indent(opener)), -1)
            beside = f"like `{clip(lines[parent].strip().split(':')[0], 30)}:` ({spaces(indent(parent))})" \
                if parent >= 0 else "less"
            return (f"{show(row)} is indented like the list items above it ({show(opener)}) but is not one",
                    f"Start it with `- ` to add it to the list, or indent it {beside} if it is a new key "
                    "beside the list.", where(row))
        if indent(row) in siblings and line_text.lstrip().startswith("-") and "mapping" in context:
            return (f"{show(row)} is a list item (`- `), but the lines beside it are `key: value` pairs",
                    "Put the item under the key whose list it is, on its own line and indented "
                    "(`skills:`, then `  - tracking`), or write it as `key: value`.", where(row))
        if indent(row) in siblings:
            # lined up after all: what follows the value on that line is what YAML cannot read
            return (f"YAML cannot read {show(row)} from column {at[1] + 1} on",
                    "Each line is `key: value` (a colon, then a space) or a list item `- value`; "
                    "put a value holding quotes, brackets or `#` in quotes.", where(row, at[1]))
        return (f"{show(row)} is indented {spaces(indent(row))}, which lines up with none of the keys above it "
                f"(they are indented {levels})", "Indent it exactly like the key it sits beside.", where(row))
    if "could not find expected ':'" in problem and cm is not None:
        bad = lines[cm.line].strip() if 0 <= cm.line < len(lines) else ""
        if TIGHT_COLON.match(bad):
            return tight_colon(show(cm.line), bad, "", where(cm.line, cm.column))
        hint = ("A list item needs a space after `-`: `- item`." if bad.startswith("-") and not bad.startswith("- ")
                else "Each line is `key: value` (colon, then a space) or a list item `- value`.")
        colon = bad.find(": ")
        if colon > 1024 or (colon < 0 and len(bad) > 1024 and bad.endswith(":")):
            # YAML's own limit: a key written without `?` is at most 1,024 characters
            return (f"the key on {show(cm.line)} is {colon if colon >= 0 else len(bad) - 1:,} characters long; "
                    "YAML reads at most 1,024", "Shorten the key: keys are field names such as `name` or "
                    "`agility`; long text belongs in a value.", where(cm.line, cm.column))
        return f"{show(cm.line)} has no `:` after its key", hint, where(cm.line, cm.column)
    if "quoted scalar" in context and cm is not None:
        quote = lines[cm.line][cm.column: cm.column + 1] if 0 <= cm.line < len(lines) else "\""
        return (f"the {quote} opened on line {cm.line + 1 + line_offset} is never closed",
                f"End the text with {quote} on the same line, or remove the opening quote.",
                where(cm.line, cm.column))
    if ("flow mapping" in context or "flow sequence" in context) and pm is not None:
        close = len(line_text[: at[1]].rstrip()) - 1
        quote = line_text[close] if 0 <= close < len(line_text) else ""
        opened = line_text.rfind(quote, 0, close) if quote in ("'", '"') else -1
        rest = re.split(r"[,}\]]", line_text[at[1]:], maxsplit=1)[0].strip()
        if opened >= 0 and rest:
            # `{kind: "mentor" now}`: a quoted value with more text after it
            return (f"`{clip(line_text[opened: close + 1], 30)}` is in quotes that close at column {close + 1}, "
                    f"and YAML cannot read the text after them (`{clip(rest, 30)}`)",
                    f"Put the whole value in quotes, with the other kind inside: "
                    f"`{clip(_quoted(line_text[opened: close + 1] + ' ' + rest), 60)}`, or remove the quotes.",
                    where(row, at[1]))
    if "flow mapping" in context or "flow sequence" in context:
        opener = "{" if "mapping" in context else "["
        closer = "}" if opener == "{" else "]"
        started = f" (opened on line {cm.line + 1 + line_offset}, column {cm.column + 1})" if cm is not None else ""
        return (f"the `{opener}`{started} is not closed before {show(row)}",
                f"Close it with `{closer}` at the end of its line, and separate items with `, `.",
                (row + 1 + line_offset, at[1] + 1))
    return f"YAML syntax error: {clip(problem, 80)}", "", (row + 1 + line_offset, at[1] + 1)


def _aliases_said(name: str, lines: list[int]) -> str:
    """The end of an anchor's HF0109: where the aliases naming it are, by line (a
    column would move when _parse counts odd line breaks again; its lines are)."""
    if not lines:
        return ""
    shown = sorted(set(lines))
    named = [f"line {n}" for n in shown[:3]] + ([f"{len(shown) - 3:,} more lines"] if len(shown) > 3 else [])
    at = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    alias = f"`*{clip(name, 30)}`"
    return (f", nor its alias {alias} ({at})" if len(lines) == 1
            else f", nor its {len(lines):,} aliases {alias} ({at})")


# The types a core tag names (`!!int 12`), and whether a value read without the tag is
# of it. Any other core tag (`!!binary`, `!!timestamp`, `!!set`, `!!python/…`) names a
# type content has not.
_CORE_TYPES = {"str": lambda v: isinstance(v, str), "int": lambda v: type(v) is int,
               "float": lambda v: type(v) in (int, float), "bool": lambda v: type(v) is bool,
               "null": lambda v: v is None, "map": None, "seq": None}


def _untagged_alike(event: Any) -> bool:
    """Whether node `event`, whose tag is refused (HF0108), read without its tag is what
    the tag meant: a local tag (`!fancy`) names no type, so the value as written is
    meant; a core tag on a collection (`!!map`) is that collection; on a scalar
    (`!!int 12`) the value must be of the type named (`!!int "12"`, text without its
    tag, is not: the file stays refused, the type meant unknown)."""
    tag = event.tag
    if not tag.startswith(_CORE):
        return tag.startswith("!")
    check = _CORE_TYPES.get(tag[len(_CORE):], False)
    if check is False:
        return False
    if not isinstance(event, yaml.ScalarEvent):
        return check is None and (tag.endswith("map") == isinstance(event, yaml.MappingStartEvent))
    if check is None:
        return False
    value = event.value if event.style else _plain_typed(event.value)
    return check(event.value if value is _TEXT else value)


def _tag_reading(event: Any) -> Any:
    """What a scalar `event` with a core tag is as the tag reads it, when that is a value
    content holds and the tag's type: `!!int '12'` is 12, `!!str 12` is "12", `!!float 2`
    is 2.0 (what a YAML tool honouring the tag reads); else _TEXT (`!!int 'twelve'`,
    `!!binary …`, a local tag). The file is refused at the tag (HF0108) either way: this
    is the value its other problems are checked with, in the same run."""
    tag = event.tag
    if not isinstance(event, yaml.ScalarEvent) or not tag or not tag.startswith(_CORE):
        return _TEXT
    name, text = tag[len(_CORE):], event.value
    if name == "str":
        return text
    typed = _plain_typed(text.strip()) if len(text) <= 40 else _TEXT
    if name in ("int", "float") and typed is _TEXT and _YAML11_NUMBER.match(text.strip()):
        # `!!int 1_000`, `!!int 0b101`: YAML 1.1's spellings of a number, which the tag names
        # as one; "remove the `!tag`" left text where a number goes
        plain = text.strip().replace("_", "")
        typed = _plain_typed(plain) if "b" not in plain else int(plain, 0) if name == "int" else _TEXT
        typed = typed if type(typed) is not int or abs(typed) <= MAX_INT else _TEXT
    if name == "bool" and typed is _TEXT:
        # `!!bool yes`, `!!bool 'on'`: YAML 1.1's words, which the tag names as a boolean
        # (every YAML tool honouring it reads true); "remove the `!tag`" left the text 'yes'
        typed = YAML11_BOOLS.get(text.strip(), _TEXT)
    if name == "int" and type(typed) is int or name == "bool" and type(typed) is bool \
            or name == "null" and typed is None:
        return typed
    if name == "float" and type(typed) in (int, float):
        return float(typed)
    return _TEXT


def _as_plain(value: Any) -> str:
    """`value` (_tag_reading's) as a YAML value that reads as it without a tag."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return {True: "true", False: "false", None: "null"}.get(value, repr(value)) if not isinstance(value, (int, float)) \
        or isinstance(value, bool) else repr(value)


# What joins the character before it into one a reader sees (a mark, a joiner, a
# variation selector, an emoji modifier or tag): a text cut before one of them, or after
# a joiner, ends in a piece of a character, which text hygiene reads as a slip of its own
# (a cut emoji family's ZWJ left last: "U+200D … is not allowed in prose").
_ATTACHED = re.compile("[\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]")
_JOINER = "\u200c\u200d"
_CUT_BACK = 32   # at most this far back from the limit (a longer run of marks is a slip said itself: HF0133)


def _whole_cut(text: str, limit: int) -> int:
    """Where `text`, longer than `limit` characters, is cut to keep at most `limit`: at
    `limit`, or a few characters before it so that no character a reader sees is cut
    through (a letter from its marks, an emoji sequence from its joiners or modifiers,
    a flag's pair of regional indicators)."""
    at = limit
    while at > limit - _CUT_BACK and at > 1 and (text[at - 1] in _JOINER or _ATTACHED.match(text, at) is not None
                                                 or unicodedata.category(text[at])[0] == "M"):
        at -= 1
    if "\U0001f1e6" <= text[at] <= "\U0001f1ff":   # a flag's second letter, when the ones before are odd
        before = at
        while before > 0 and "\U0001f1e6" <= text[before - 1] <= "\U0001f1ff":
            before -= 1
        at -= (at - before) % 2
    return at


def _span(path: str, mark: Any, line_offset: int) -> Span:
    if mark is None:
        return Span(path, 1 + line_offset, 1)
    return Span(path, mark.line + 1 + line_offset, mark.column + 1)


def _event_kind(cls: type) -> str:
    """What _Builder.feed does with an event of class `cls` (kept in _EVENT_KINDS): a
    parse feeds ~50 events per hero, and testing each against five classes was a tenth
    of reading the YAML."""
    if issubclass(cls, yaml.DocumentStartEvent):
        kind = "document"
    elif issubclass(cls, yaml.AliasEvent):
        kind = "alias"
    elif issubclass(cls, yaml.ScalarEvent):
        kind = "scalar"
    elif issubclass(cls, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        kind = "start"
    elif issubclass(cls, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
        kind = "end"
    else:
        kind = "other"   # stream and document ends: nothing to do
    _EVENT_KINDS[cls] = kind
    return kind


_EVENT_KINDS: dict[type, str] = {}


# A line Markdown starts a block of its own with, even right after a paragraph's line
# (CommonMark 0.31 §4: an ATX heading, a fence, a quote, a thematic break, a bullet or
# a list numbered from 1): after one line break it is no longer that paragraph's.
# `#hashtag` (no space) is paragraph text: joined.
_ATX_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)")
# Where a comment starts on a line of a plain value (a `#` after a space).
_COMMENT_START = re.compile(r"[ \t]#")
# A line Markdown reads as a block of its own when it stands below another line: a list
# item (any number: below another item), a heading, quote, fence or table row.
_JOINED_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])[ \t]+\S|#{1,6}(?:[ \t]|$)|```|~~~|>|\|")
# What a folded value holds where such a line was joined to the one above (a cheap test
# before the block's lines are read again): ` - `, ` 2. `, ` # `, ` > `, ` | `, a hard break.
_JOINED_SUSPECT = re.compile(r"\S (?:[-+*>|]|#{1,6}|\d{1,9}[.)]|```|~~~)[ \t]|\S {3}|\\ |^#{1,6} ", re.M)
_STARTS_BLOCK = re.compile(r"#{1,6}(?:[ \t]|$)|```|~~~|>|[-+*][ \t]|1[.)][ \t]|(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


class _Builder:
    def __init__(self, text: str, path: str, diags: Diagnostics, positions: Positions, line_offset: int):
        self.text, self.path, self.diags, self.positions = text, path, diags, positions
        self.lines: list[str] | None = None  # split only when a flow collection needs a look
        self.line_offset = line_offset
        self.stack: list[_Frame] = []
        self.result: Any = None
        self.documents = 0
        self.failed = False   # a problem was noted: the parse goes on to find the others
        # each list-valued key given twice: (its HF0102's index, the mapping, the key, the
        # first list), for the hint to merge the two (`_merge_hints`)
        self.twice: list[tuple[int, dict, str, list]] = []
        # a problem was noted after which the value read is not the one typed (a value
        # clipped, a number out of range, an alias of nothing): the file is then not
        # returned. A refused mark alone (`_KEEPS_VALUE`) leaves what was typed readable,
        # and the file is returned so that its other problems are said in the same run.
        self.doubtful = False
        self.anchored: dict[str, Any] = {}   # anchor name → its value (a container as it fills)
        self.copied = 0   # values made by reading aliases (`_ALIAS_BUDGET`)
        self.merges = False   # a `<<` key was read (`_merged`)
        self.inside: dict[str, list] = {}   # anchor name → where its collection's values and keys stand
        self.in_anchor = 0   # anchored collections open
        self.recorded = 0   # places noted inside anchored collections (`_INSIDE_BUDGET`)
        self.laid = 0   # characters of source read for values' layouts (`_LAYOUT_BUDGET`)
        self.counts: dict[str, int] = {}   # problems noted per code
        self.unshown: dict[str, Span] = {}   # code → where the first problem past MAX_REPORTS is
        # Each `&anchor` (its name, where) and the lines of the `*alias`es naming it: one
        # slip, said once at the anchor when the file is read (`report_the_rest`)
        # (and of a plain scalar's, its text: `title: &copy 2024 Guild` was an entity to its writer)
        self.anchors: list[tuple[str, Span, list[int], str | None]] = []
        self.anchor_of: dict[str, list[int]] = {}   # name → the latest such anchor's alias lines
        self.superseded = False   # a repaired text is parsed again: that parse reports the file
        # ` #word` somewhere (a comment glued to its words): only then is a value's line
        # looked at past its end (`check_glued_comment`)
        self.glued = _GLUED_COMMENT.search(text) is not None

    def span(self, event: Any) -> Span:
        return _span(self.path, event.start_mark, self.line_offset)

    def yaml_lines(self) -> list[str]:
        """The text's lines as libyaml counts them (its marks' `line` indexes them): a
        lone CR, NEL, U+2028 and U+2029 end a line too. Split at "\n" alone, every
        line after such a break was another one: the `?` of `{\u2028?x: 1}` was looked
        for on the wrong line, and a folded block's blank lines too."""
        if _has_odd_break(self.text):
            return _YAML_BREAK.split(self.text)
        return self.text.split("\n")

    def where(self, event: Any) -> Where:
        mark = event.start_mark
        return (mark.line + 1 + self.line_offset, mark.column + 1, 0)

    def key_where(self, event: Any, key: str) -> Where:
        """A key's place as a value's is kept (`place`): inside its quotes (`"levl": 2`'s
        HF0202 was said at the quote), past a tag or anchor, with its end when it is on
        one line, so that a character in it (a zero-width space typed in a key) is said
        at its own column; an escape in a quoted key still places it at its start."""
        mark, end = event.start_mark, event.end_mark
        line, column = mark.line + 1 + self.line_offset, mark.column + 1
        if isinstance(event, yaml.AliasEvent):   # `*a : x`: at its `*` (an alias has no style; its anchor is its name)
            return (line, column, 0)
        if event.anchor is not None or event.tag is not None:
            _, line, column = past_properties(self.text, mark.index, line, column)
        quoted = event.style in ('"', "'")
        column += quoted
        ends = end.column + (0 if quoted else 1) if end.line == mark.line and line == mark.line + 1 + self.line_offset \
            and len(key) <= MAX_SCALAR else 0
        return (line, column, ends)

    def refuse(self, code: str, message: str, event: Any) -> None:
        """Report a problem after which the file cannot be read further, and stop."""
        self.note(code, message, event)
        raise _Refused

    def _merge_hints(self) -> None:
        """HF0102's hint of a list given twice (`quests: [a]`, then `quests: [b]` below it,
        as HF0514's hint "add `quests: [b]` to a story's front matter" is followed): the
        two merged, not "Remove one of the two keys" (either removal loses a quest)."""
        for at, mapping, key, first in self.twice:
            second = mapping.get(key)
            items = [*first, *(second if isinstance(second, list) else [])]
            if second is first or not isinstance(second, list) or \
                    not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in items):
                continue
            merged = ", ".join(v if isinstance(v, str) and re.fullmatch(r"[\w.-]+", v) else
                               _quoted(str(v)) if isinstance(v, str) else str(v) for v in dict.fromkeys(items))
            if len(merged) <= 80:
                self.diags.items[at] = dataclasses.replace(
                    self.diags.items[at], hint=f"Merge the two into one list: `{clip(key, 30)}: [{merged}]` (YAML "
                                               "would silently keep only the last).")

    def note(self, code: str, message: str, event: Any) -> None:
        """Report a problem and go on reading, so that every one in the file is reported
        at once (the file is refused at the end): the first MAX_REPORTS of each code,
        then one "and N more" line (report_the_rest)."""
        self.note_at(code, message, self.span(event))

    def note_at(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        """`note`, at `span` (with `hint`, else the code's own)."""
        self.failed = True
        if code not in _KEEPS_VALUE:
            self.doubtful = True
        count = self.counts[code] = self.counts.get(code, 0) + 1
        if count <= MAX_REPORTS:
            self.diags.add(code, message, span, hint)
        elif code not in self.unshown:
            self.unshown[code] = span

    def report_the_rest(self) -> None:
        """What is said once the file is read: each anchor with its aliases, and the
        "and N more" line of each code past MAX_REPORTS."""
        if self.superseded:
            return
        self._merge_hints()
        for name, span, lines, text in self.anchors:
            # no alias names it, and it opens a line of text: an entity without its `;`
            # (`&copy 2024 Guild`, `&amp Co`), which quotes keep as written
            hint = (f"If `&{clip(name, 30)}` is part of the text, put the whole value in quotes: "
                    f"{text}; else write the value out in full."
                    if text is not None and not lines else None)
            self.note_at("HF0109", f"anchor '&{clip(name, 30)}' is not allowed{_aliases_said(name, lines)}", span,
                         hint)
        for code, span in self.unshown.items():
            more = self.counts[code] - MAX_REPORTS
            self.diags.add(code, f"and {more:,} more like the {MAX_REPORTS} above in this file, from here on", span)

    def feed(self, event: Any) -> None:
        kind = _EVENT_KINDS.get(type(event)) or _event_kind(type(event))   # one isinstance chain per class, not per event
        if kind == "scalar":
            if event.anchor is not None or event.tag is not None:   # else check_node finds nothing
                self.check_node(event)
            self.add_scalar(event)
        elif kind == "end":
            frame = self.stack.pop()
            self.in_anchor -= frame.anchor is not None
            if frame.anchor is not None:
                self.inside[frame.anchor] = frame.inside or []
            if not self.stack:
                self.result = frame.container
        elif kind == "start":
            self.check_node(event)
            self.open(event)
        elif kind == "document":
            self.documents += 1
            if self.documents > 1:
                self.note_at("HF0101", "a content file holds one YAML document; remove the second `---`",
                             self.span(event), hint=_second_document_hint(self.text, event.start_mark.index, self.path))
                raise _Refused
        elif kind == "alias":
            aliases = self.anchor_of.get(event.anchor)
            if aliases is None:   # naming no anchor of this file: a slip of its own
                self.note("HF0109", f"alias '*{clip(event.anchor, 30)}' is not allowed", event)
                self.doubtful = True
            else:   # its anchor says it (one slip: a value reused), not a second error on it
                self.failed = True
                aliases.append(event.start_mark.line + 1 + self.line_offset)
            frame = self.stack[-1] if self.stack else None
            if frame is not None and frame.mapping and frame.pending_key is None:
                self.take_key(frame, f"*{clip(event.anchor, 30)}", event)   # as a key, its own name
                self.doubtful = True
            else:
                # the anchor's value again, as every YAML reader reads it, so the file's other
                # fields are checked (`attributes: *base` stood for nothing: "should be a
                # mapping"); copied within a budget, never a billion laughs
                loc = self.place(self.alias_value(event.anchor) if aliases is not None else None, event)
                if aliases is not None and not self.doubtful:
                    # the copy's values and keys stand where the anchor's do: a problem in
                    # them is the anchor's, said once there, not again at each alias
                    # (and the characters of a text in them, `Span.layout`, each where it is written)
                    tables = {"k": self.positions._keys, "v": self.positions._values, "l": self.positions._layouts}
                    for kind, below, where in self.inside.get(event.anchor, ()):
                        tables[kind][loc + below] = where

    def note_inside(self, kind: str, path: Path, where: Where) -> None:
        """Record a value's or key's place with each anchored collection open around it,
        while the file's places so noted are within `_INSIDE_BUDGET` (past it, an
        alias's copy has the places noted before: the rest are said at the alias)."""
        for frame in self.stack:
            if self.recorded >= _INSIDE_BUDGET:
                return
            if frame.inside is not None and path[:len(frame.loc)] == frame.loc and len(path) > len(frame.loc):
                self.recorded += 1
                frame.inside.append((kind, path[len(frame.loc):], where))

    def alias_value(self, name: str) -> Any:
        """A copy of anchor `name`'s value for an alias of it; None (and the file not
        returned) when that value is still open around the alias (`&a [*a]`), the
        copies of the file would pass `_ALIAS_BUDGET` values or nest `MAX_DEPTH` deep."""
        value = self.anchored.get(name)
        if any(frame.container is value for frame in self.stack):
            self.doubtful = True
            return None
        try:
            return _copied(value, self, len(self.stack))
        except _OverBudget:
            self.doubtful = True
            return None

    def check_node(self, event: Any) -> None:
        if event.anchor is not None:
            self.failed = True
            lines: list[int] = []
            self.anchors.append((event.anchor, self.span(event), lines, self.as_text(event, f"&{event.anchor}", 60)))
            self.anchor_of[event.anchor] = lines   # an anchor named again: later aliases are the new one's
        tag = event.tag
        if tag is not None and tag != _NON_SPECIFIC:
            shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag  # as the writer typed it
            # a local tag on a plain value may be text a writer typed (`name: !Kung hunter`,
            # a click consonant; `title: !Important`): "remove the `!tag`", followed as
            # told, dropped a word of the name, so the hint gives the quoted value too
            text = self.as_text(event, shown, 70) if tag.startswith("!") else None
            hint = (f"Content is plain data: remove the `!tag`, or, if `{clip(shown, 40)}` is text, put the whole "
                    f"value in quotes: {text}." if text else None)
            doubtful = self.doubtful
            reading = _TEXT if _untagged_alike(event) else _tag_reading(event)
            frame = self.stack[-1] if self.stack else None
            if reading is not _TEXT and frame is not None and frame.mapping and frame.pending_key is None:
                # a key is its text, whatever its tag (`!!int '0x1F': x` is the key '0x1F'):
                # "write `31`" followed named another key
                reading = event.value
                hint = (f"Content is plain data: remove the `{clip(shown, 40)}`; a key is text: "
                        f"{code_span(clip(_as_plain(reading), 60) + ':')}.")
            elif reading is not _TEXT:
                # `xp: !!int '12'`: "remove the `!tag`" left `'12'`, text where a number goes
                hint = (f"Content is plain data: remove the `{clip(shown, 40)}` and write the value as the tag reads it: "
                        f"{code_span(clip(_as_plain(reading), 60))}.")
            self.note_at("HF0108", f"tag '{clip(shown, 40)}' is not allowed in content", self.span(event), hint)
            if reading is not _TEXT:
                self.doubtful = doubtful   # read as the tag reads it (`resolve`): the rest is checked
            elif _untagged_alike(event):
                # read as the hint's "remove the `!tag`" leaves it, which is the type the tag
                # names: the file is what its writer meant, and its other problems (a
                # misspelt skill, a field of the wrong type) are said in the same run
                self.doubtful = doubtful

    def as_text(self, event: Any, typed: str, width: int) -> str | None:
        """The line a plain scalar `event` whose property `typed` (an anchor `&name`, a
        tag `!name`) was meant as text would be in quotes, in backticks (`` `key: "&copy
        2024 Guild"` ``, `` `- "!Kung"` ``), said to replace every line of a value typed
        on several; past `width` characters, where its quotes go. None for any other node."""
        if not isinstance(event, yaml.ScalarEvent) or event.style:
            return None
        frame = self.stack[-1] if self.stack else None
        key = frame.pending_key if frame is not None and frame.mapping else None
        if key is not None and not _PLAIN_KEY.fullmatch(key):
            key = _quoted(key)   # as typed: `"a: b": !Kung x` was told `a: b: "!Kung x"`
        whole = " ".join(filter(None, (typed, event.value)))
        value = _quoted(whole)
        # an item of a `[…]` is the value alone: `- "!Kung"` typed there is a `-` in the text;
        # so is a key (`!Odd name: x`: `- "!Odd name"` typed over it was HF0101)
        item = frame is not None and not frame.flow and not frame.mapping
        line = f"{key}: {value}" if key is not None else f"- {value}" if item else value
        # too long to show: where the quotes go (clipped, it was typed with its `…`,
        # and every word past it was lost)
        text = _ticked(line) if len(line) <= width else (
            f"`{value[0]}` before `{clip(typed, 40)}` and `{value[0]}` after its last word"
            + (", each `'` in it doubled" if value[0] == "'" and "'" in whole else ""))
        first, last = (mark.line + 1 + self.line_offset for mark in (event.start_mark, event.end_mark))
        # `long: !Kung one` over `  two three`: the quoted line typed over the first alone
        # left `two three` below it, HF0101
        # (quotes around its lines as they are keep the same text too)
        return text if last == first or len(line) > width else f"{text} (on one line, in place of lines {first}–{last})"

    def open(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            self.refuse("HF0110", f"values nest more than {MAX_DEPTH} levels deep", event)
        mapping = isinstance(event, yaml.MappingStartEvent)
        container: Any = {} if mapping else []
        parent = self.stack[-1] if self.stack else None
        shadow = parent is not None and (parent.shadow or parent.pending_dup)
        loc = self.place(container, event)
        self.stack.append(_Frame(loc, container, flow=bool(event.flow_style), mapping=mapping, shadow=shadow,
                                 own={} if shadow and mapping else None, anchor=event.anchor,
                                 inside=[] if event.anchor is not None else None))
        self.in_anchor += event.anchor is not None

    def add_scalar(self, event: Any) -> None:
        value = event.value
        cut = None   # a text value over the limit, as far as the limit
        if len(value) > MAX_SCALAR:
            doubtful = self.doubtful
            self.note("HF0112", f"a value of {len(value):,} characters is over the limit of {MAX_SCALAR:,}", event)
            if event.style or value[0] not in _TYPED_STARTS:   # text however long: not a number cut
                cut, self.doubtful = value[:_whole_cut(value, MAX_SCALAR)], doubtful
            value = clip(value, 40)
        if self.stack:
            frame = self.stack[-1]
            if frame.flow and not event.style:
                self.check_question_mark(event)
            if frame.pending_key is None and frame.mapping:
                if cut is not None:
                    self.doubtful = True   # a key that long names no field: the file is refused
                self.take_key(frame, value, event)
                return
        # a text value over the limit is kept cut at it (within every later stage's bound),
        # so that the file's other problems are said in the same run: a pasted chapter
        # hid the misspelt field beside it; the build fails at HF0112
        loc = self.place(self.resolve(event) if value is event.value else cut, event)
        if not event.style and not value.isascii() and len(value) <= _MEANT_LENGTH and value is event.value:
            self.note_meant(loc, value)
        if event.style == ">" and "\n" in value.rstrip("\n"):   # a line break kept: a blank line made it
            self.check_folded(event)
        if event.style == ">" and _JOINED_SUSPECT.search(value):   # a list item, heading… joined to a line
            self.check_joined(event)
        if self.glued:
            self.check_glued_comment(event)

    def check_glued_comment(self, event: Any) -> None:
        """HF0177 (a warning) when a value is followed on its line by ` #` and a word
        (`title: Chapter #1`): YAML reads a `#` after a space as a comment, so '#1' was in
        no output, with check clean. A note for the team has a space after its `#`
        (`status: draft  # until the edit`), and is not said."""
        if self.lines is None:
            self.lines = self.yaml_lines()
        # a block's words are its lines: only its header (`|`, `>-`, `|2`) is followed
        # on its line by what a comment can be
        end = event.start_mark if event.style in ("|", ">") else event.end_mark
        line = self.lines[end.line] if end.line < len(self.lines) else ""
        found = (_AFTER_HEADER if event.style in ("|", ">") else _AFTER_VALUE).match(line, end.column)
        if found is not None:
            column = found.end()   # 0-based, at the '#'
            written = line[column:].rstrip("\r")
            self.diags.add("HF0177", f"'{clip(written, 40)}' after a space is a YAML comment: it is shown in no output",
                           Span(self.path, end.line + 1 + self.line_offset, column + 1), severity=Severity.WARNING,
                           hint=self.comment_hint(event, line.rstrip("\r"), column))
        if event.style in ("|", ">"):
            self.check_comments_below(event)

    def comment_hint(self, event: Any, line: str, column: int) -> str:
        """HF0177's fix in the writer's own words (`column`: the comment's `#`, 0-based):
        their line with the whole value in quotes (`title: "Chapter #1 of the road"`), the
        block's lines for a `|`/`>` header, a block for a value of several lines, the item
        in quotes in a `[…]` or `{…}`. It was always `title: "Chapter #1"`, whatever the
        key and value."""
        note = " A note meant for the team is written with a space after the `#`: `# a note`."
        if event.style in ("|", ">"):
            return "To keep them, write them on the block's lines below its `|` or `>`, which holds nothing else." + note
        if event.start_mark.line != event.end_mark.line:
            return ("To keep them, write the value as a block: `|` after the key's `:`, and its lines below it, "
                    "indented." + note)
        m = _LINE_VALUE.match(line)
        if m is None or not m.group("key") or m.group("value")[:1] in "[{":
            return "To keep them, put the item in quotes, `#` and all: `\"b #2\"`." + note
        # the value as read, and the words after it (a quoted value's `#2` goes inside its quotes)
        whole = f"{event.value} {line[column:].strip()}"
        return f"To keep them, quote the whole value: `{clip(m.group('key').strip(), 30)}: {clip(_quoted(whole), 60)}`." + note

    def check_comments_below(self, event: Any) -> None:
        """HF0177 at each comment glued to its word on the lines right below a block
        (`|`, `>`), up to the next line of YAML: a line the writer typed less indented
        than the block's (`#2 The second part`) ends it and is a comment, so it was in
        no output. A note written with a space after its `#` is not said."""
        number = event.end_mark.line
        while number < len(self.lines):
            line = self.lines[number].rstrip("\r")
            text = line.lstrip(" \t")
            if text and not text.startswith("#"):
                return
            if _GLUED_LINE.match(text):
                self.diags.add("HF0177", f"'{clip(text, 40)}' under a block is a YAML comment, not the block's "
                               "text: it is shown in no output",
                               Span(self.path, number + 1 + self.line_offset, len(line) - len(text) + 1),
                               severity=Severity.WARNING,
                               hint="To keep it, indent it as the block's lines are; a note for the team is "
                                    "written with a space after the `#`: `# a note`.")
            number += 1

    def note_meant(self, loc: Path, value: str) -> None:
        """Keep what plain `value` (not ASCII) was meant as when it holds a mark text
        hygiene refuses in prose (so HF0131/HF0132 is said at it, whatever its key) and
        is a number, true/false or null without its refused marks (Positions._meant)."""
        from .hygiene import prose_problem, without_refused   # only for a short non-ASCII plain value
        if prose_problem(value) is None:
            return
        meant = _plain_typed(without_refused(value))
        if meant is not _TEXT:
            self.positions._meant[loc] = meant

    def block_rows(self, event: Any) -> tuple[list[tuple[int, str]], int]:
        """A block scalar's lines in the file, (0-based number, text), and the block's
        own indentation: its first line's in the file, less the spaces YAML kept of it
        (a `>2` block may start more indented than its other lines)."""
        if self.lines is None:
            self.lines = self.yaml_lines()
        last = min(event.end_mark.line, len(self.lines))
        rows = [(n, self.lines[n].rstrip("\r")) for n in range(event.start_mark.line + 1, last)]
        first = event.value.lstrip("\n")
        indent = next((len(t) - len(t.lstrip(" ")) for _, t in rows if t.strip()), 0) - (len(first) - len(first.lstrip(" ")))
        return rows, indent

    def check_folded(self, event: Any) -> None:
        """HF0170 (a warning) at the first single blank line between two lines of a
        folded block (`key: >`): YAML makes it one line break, which Markdown and every
        output show as a space, so the writer's two paragraphs were published as one
        without a word. Two blank lines, and lines indented further (kept as written),
        are what YAML means them to be."""
        rows, indent = self.block_rows(event)
        for k in range(1, len(rows) - 1):
            (_, before), (n, blank), (_, after) = rows[k - 1], rows[k], rows[k + 1]
            # a blank line of more spaces than the block's indentation is a line of spaces,
            # kept with its line breaks: Markdown sees a blank line, the paragraphs stay two
            if blank.strip() or len(blank) > indent or not before.strip() or not after.strip():
                continue
            if len(before) - len(before.lstrip(" ")) == indent == len(after) - len(after.lstrip(" ")) \
                    and not _ATX_HEADING.match(before.lstrip(" ")) and not _STARTS_BLOCK.match(after.lstrip(" ")):
                self.diags.add("HF0170", "one blank line inside a folded block (`>`) is a line break, not a "
                               "new paragraph: the text above and below it is published as one paragraph",
                               Span(self.path, n + 1 + self.line_offset, 1), severity=Severity.WARNING)
                return

    def check_joined(self, event: Any) -> None:
        """HF0183 (a warning) at the first line of a folded block (`key: >`) that YAML
        joins with a space to the line above where Markdown needed the line break: a list
        item or a table row below another line (`- first` / `- second` was published as
        one item, "first - second"), a heading, quote or fence line, the line below a
        heading (swallowed into it), or the line after a hard break (two spaces or a backslash
        ending a line). Lines indented further than the block keep their breaks."""
        rows, indent = self.block_rows(event)
        for (_, before), (n, after) in zip(rows, rows[1:]):
            if not before.strip() or not after.strip() or not (
                    len(before) - len(before.lstrip(" ")) == indent == len(after) - len(after.lstrip(" "))):
                continue
            line, above = after[indent:], before[indent:]
            if _ATX_HEADING.match(above):
                what = "the line below a heading is joined to it, and published as part of the heading"
            elif _JOINED_START.match(line):
                what = f"`{clip(line.strip(), 30)}` is joined to the line above, and published as part of its text"
            elif above.endswith(("  ", "\\")):
                what = "the line break the line above ends with (two spaces or `\\`) is lost: the lines run together"
            else:
                continue
            self.diags.add("HF0183", f"in a folded block (`>`), YAML joins this line to the one above with a space: {what}",
                           Span(self.path, n + 1 + self.line_offset, indent + 1), severity=Severity.WARNING)
            return

    def check_question_mark(self, event: Any) -> None:
        """In `[?x]` or `{ ?x: 1 }` YAML 1.2 reads `?x` as text, but libyaml takes the `?` for
        a key indicator and loads something else; refuse at the `?` rather than load a
        different value than the writer's other tools would (yaml-test-suite 652Z, HM87)."""
        mark = event.start_mark
        if self.lines is None:
            self.lines = self.yaml_lines()
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        if 0 < mark.column <= len(line) and line[mark.column - 1] == "?":
            shown = clip("?" + event.value, 30)
            self.diags.add("HF0101", f"'{shown}' in a [list] or {{mapping}} is read differently by different "
                           f"YAML tools: quote it (\"{shown}\")",
                           Span(self.path, mark.line + 1 + self.line_offset, mark.column))
            raise _Refused

    def take_key(self, frame: _Frame, key: str, event: Any) -> None:
        if key == "<<":
            self.merges = True   # a merge key: read as meant once the file is read (`_merged`)
        if frame.own is not None:   # a shadow mapping (`_Frame.shadow`): its own keys only
            if key in frame.own:
                self.note("HF0102", f"key '{clip(key, 40)}' appears twice (first at line {frame.own[key]})", event)
            else:
                frame.own[key] = event.start_mark.line + 1 + self.line_offset
            frame.pending_key = key
            return
        if (frame.loc + (key,)) in self.positions._keys:
            first = self.positions.key(frame.loc + (key,))
            said = len(self.diags.items)
            self.note("HF0102", f"key '{clip(key, 40)}' appears twice (first at line {first.line})", event)
            if len(self.diags.items) > said and isinstance(frame.container, dict) \
                    and isinstance(frame.container.get(key), list):
                self.twice.append((said, frame.container, key, frame.container[key]))
            frame.pending_key = key   # its value is read (for its own problems) and dropped with the file
            frame.pending_dup = True
            return
        frame.pending_key = key
        self.positions._keys[frame.loc + (key,)] = self.key_where(event, key)
        if self.in_anchor:
            self.note_inside("k", frame.loc + (key,), self.positions._keys[frame.loc + (key,)])

    def place(self, value: Any, event: Any) -> Path:
        """Put a value into the open container (or make it the document) and record where."""
        if not self.stack:
            loc: Path = ()
            self.result = value
        else:
            frame = self.stack[-1]
            if frame.mapping:
                if frame.pending_key is None:  # a mapping or sequence used as a key
                    self.refuse("HF0101", "keys must be plain names, not lists or mappings", event)
                loc = frame.loc + (frame.pending_key,)
                frame.container[frame.pending_key] = value
                frame.pending_key = None
                frame.pending_dup = False
            else:
                loc = frame.loc + (frame.index,)
                frame.container.append(value)
                frame.index += 1
        mark = event.start_mark
        line, column = mark.line + 1 + self.line_offset, mark.column + 1
        if (event.anchor is not None or event.tag is not None) and isinstance(event, yaml.ScalarEvent):
            # the mark is at `&a`/`!!int`: the value is after them (`role: !!int '12'`'s
            # HF0201 was said at the tag's second `!`)
            _, line, column = past_properties(self.text, mark.index, line, column)
        quoted = getattr(event, "style", None) in ('"', "'")   # a scalar's (a collection's style is flow_style)
        if quoted:
            column += 1  # point at the text inside the quotes, where expressions start
        end = event.end_mark
        # a one-line scalar's end (inside its quotes): a finding inside the value is placed
        # at its own column when the text is as long as what is written (load/hygiene.py)
        ends = (end.column + (0 if quoted else 1)) if isinstance(value, str) and end.line == mark.line \
            and line == mark.line + 1 + self.line_offset else 0
        self.positions._values[loc] = (line, column, ends)
        found = None
        if isinstance(value, str) and not isinstance(event, yaml.AliasEvent):
            start, line, first = mark.index, mark.line + 1 + self.line_offset, mark.column + 1
            if event.anchor is not None or event.tag is not None:   # the mark is at `&a`/`!x`: the text is after
                start, line, first = past_properties(self.text, start, line, first)
            if (end.line != mark.line or (quoted and end.index - start - 2 != len(value)) or start != mark.index) \
                    and len(event.value) <= MAX_SCALAR and self.laid + end.index - start <= _LAYOUT_BUDGET:
                # wrapped, a block, an escape or `''`: where each character stands is worked
                # out from its source (a value on one line as written is its own layout)
                self.laid += end.index - start
                found = layout(self.text[start:end.index], event.style, line, first, event.value)
                if not found and self.text[start + quoted:end.index - quoted] == value:   # on its line as written
                    found = (0, line, first + quoted) if value else None
        if found:
            self.positions._layouts[loc] = found
        else:   # a key given twice: not the first value's
            self.positions._layouts.pop(loc, None)
        if self.in_anchor:
            self.note_inside("v", loc, self.positions._values[loc])
            if found:
                self.note_inside("l", loc, found)
        anchor = getattr(event, "anchor", None)
        if anchor is not None and not isinstance(event, yaml.AliasEvent):
            self.anchored[anchor] = value
            # an anchored text's characters, for its aliases to place them where they are
            # written (`requires: *a` said a slip in it along the alias's line, past its end)
            self.inside[anchor] = [("l", (), found)] if found else []
        return loc

    def resolve(self, event: Any) -> Any:
        """YAML 1.2 core schema: quoted or block scalars are strings; plain ones may be
        null, a boolean, an integer or a float; everything else is a string."""
        value = event.value
        if event.tag is not None and event.tag.startswith(_CORE) and (read := _tag_reading(event)) is not _TEXT:
            return read   # `!!int '12'` (HF0108): as the tag reads it, so the rest of the file is checked
        if event.style or event.tag == _NON_SPECIFIC:  # libyaml gives '' for plain, None in pure Python
            return value
        if value and value[0] not in _TYPED_STARTS:   # most text: none of the patterns below can match
            return value
        if _NULL.match(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.match(value) or _INT_OTHER.match(value):
            return self.integer(value, event)
        if _FLOAT.match(value):
            number = float(value)
            if _out_of_range(value, number):
                self.note("HF0160", f"{clip(value, 30)} is beyond the largest number JSON can carry" if number
                          else f"{clip(value, 30)} is nearer 0 than any number JSON can carry: it would read as 0", event)
                return None
            return number
        if _NON_FINITE.match(value):
            self.note("HF0160", f"'{value}' is not a finite number, which JSON cannot carry", event)
            return None
        return value

    def integer(self, text: str, event: Any) -> int:
        digits = text.lstrip("+-")
        if len(digits) > 20:  # checked before int(): a 5,000-digit number must not reach it
            self.note("HF0111", f"a number of {len(digits):,} digits is beyond ±2^53", event)
            return None
        number = int(text, 0) if _INT_OTHER.match(text) else int(text, 10)
        if abs(number) > MAX_INT:
            self.note("HF0111", f"{clip(text, 30)} is beyond ±2^53", event)
            return None
        return number
