"""Where each character of a YAML scalar stands in its file, when the scalar is not
laid out as it reads.

A value written on one line as plain text is its own source: its 12th character is
12 columns after its first (`Span.shifted`). Every other layout moves characters: a
plain or quoted value wrapped over lines is folded (each line break a space, the next
line's indentation dropped), a `|` or `>` block starts on the line below its indicator
at its own indentation, a double-quoted value's escape (`\\u006c`, `\\t`) is one
character written as several, a single-quoted one's `''` one written as two, and `\\`
at a double-quoted line's end joins the next line. A diagnostic inside such a value (an
unknown name in a `requires:` wrapped over three lines) was said on the value's first
line, past its end.

`layout` reads the scalar's source text again (between libyaml's marks, which count
characters) by libyaml's own rules for its style and returns its *layout*: a flat
tuple of (value offset, line, column) triples, each the start of a run of characters
written one after another on one line (the ordered triples' offsets increase). An
escape is a run of one character as wide as its spelling. A folded line break belongs
to the run before it (it stands where the line ends). The reading is checked against
the value libyaml made: a layout that does not spell the value is not given (the value
is then placed on its first line, as before). The loader keeps each value's layout
(Positions), its span carries it (`Span.layout`), and `Span.shifted` places a character
of the value through it: every diagnostic inside a value uses that one mapping.
"""

from __future__ import annotations

import re
from bisect import bisect_right

Layout = tuple   # (offset, line, column, offset, line, column, …), 1-based lines and columns

# What YAML 1.1 (libyaml) breaks a line at; CRLF is one break.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BREAKS = "\r\n\x85\u2028\u2029"
# A plain or quoted scalar's pieces: blanks and breaks between words, a double-quoted
# escape (an escaped line break among them), a single-quoted `''`, a run of other text.
_BLANKS = re.compile("[ \t\r\n\x85\u2028\u2029]+")
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|\r\n|[\s\S])")
_DOUBLE_TEXT = re.compile("[^ \t\r\n\x85\u2028\u2029\\\\]+")
_SINGLE_TEXT = re.compile("[^ \t\r\n\x85\u2028\u2029']+")
_PLAIN_TEXT = re.compile("[^ \t\r\n\x85\u2028\u2029]+")
_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
                   "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "'": "'", "\\": "\\", "N": "\x85",
                   "_": "\xa0", "L": "\u2028", "P": "\u2029"}


class _Lines:
    """A source slice's (line, column), 1-based in the file, of an index into it."""

    def __init__(self, source: str, line: int, column: int):
        self.line, self.column = line, column
        self.starts = [m.end() for m in _BREAK.finditer(source)]   # where each later line starts

    def at(self, index: int) -> tuple[int, int]:
        row = bisect_right(self.starts, index)
        if not row:
            return self.line, self.column + index
        return self.line + row, index - self.starts[row - 1] + 1


class _Runs:
    """The value as it is built, and the layout of its runs."""

    def __init__(self, lines: _Lines):
        self.lines = lines
        self.pieces: list[str] = []
        self.length = 0
        self.triples: list[int] = []
        self.next: tuple[int, int] | None = None   # where the run open now would put its next character

    def text(self, piece: str, index: int) -> None:
        """`piece`, written as itself from source index `index`."""
        line, column = self.lines.at(index)
        if self.next != (line, column):
            self.triples += (self.length, line, column)
        self.pieces.append(piece)
        self.length += len(piece)
        self.next = (line, column + len(piece))

    def spelled(self, char: str, index: int, width: int) -> None:
        """`char`, written as `width` characters from source index `index` (an escape)."""
        line, column = self.lines.at(index)
        self.triples += (self.length, line, column)
        self.pieces.append(char)
        self.length += len(char)
        self.triples += (self.length, line, column + width)
        self.next = (line, column + width)

    def joined(self, piece: str) -> None:
        """`piece` (a folded line break) standing where the run before it ends."""
        if piece:
            self.pieces.append(piece)
            self.length += len(piece)
            if self.next is not None:
                self.next = (self.next[0], self.next[1] + len(piece))

    def value(self) -> str:
        return "".join(self.pieces)


def _folded_breaks(blanks: str) -> tuple[str, int]:
    """What a run of blanks and breaks holding a line break folds to between two
    words of a plain or quoted scalar (one break a space, n+1 breaks n newlines), and
    how many breaks it holds."""
    breaks = len(_BREAK.findall(blanks))
    return (" " if breaks == 1 else "\n" * (breaks - 1)), breaks


def _flow(source: str, style: str, lines: _Lines) -> _Runs:
    """A plain (`style` '') or quoted scalar's runs, by libyaml's scan_flow_scalar and
    scan_plain_scalar: blanks between words on a line are kept, blanks around a line
    break fold, a double-quoted escape is one character, an escaped line break joins
    the next line (the blank lines after it are newlines)."""
    runs = _Runs(lines)
    at, end = (1, len(source) - 1) if style else (0, len(source))
    text = _PLAIN_TEXT if not style else (_DOUBLE_TEXT if style == '"' else _SINGLE_TEXT)
    escaped_break = False
    while at < end:
        blanks = _BLANKS.match(source, at, end)
        if blanks is not None:
            piece = blanks.group()
            if escaped_break:   # after `\` and its break: blanks dropped, more breaks kept
                runs.joined("\n" * len(_BREAK.findall(piece)))
            elif _BREAK.search(piece) is None:
                runs.text(piece, at)
            else:
                runs.joined(_folded_breaks(piece)[0])
            escaped_break = False
            at = blanks.end()
            continue
        escaped_break = False
        if style == '"' and source[at] == "\\":
            escape = _ESCAPE.match(source, at, end)
            if escape is None:
                raise ValueError("an escape libyaml would refuse")
            spelled = escape.group()
            if spelled[1] in _BREAKS:
                escaped_break = True
            elif len(spelled) > 2:
                runs.spelled(chr(int(spelled[2:], 16)), at, len(spelled))
            else:
                runs.spelled(_SIMPLE_ESCAPES[spelled[1]], at, 2)
            at = escape.end()
            continue
        if style == "'" and source[at] == "'":
            if source.startswith("''", at):
                runs.spelled("'", at, 2)
                at += 2
                continue
            raise ValueError("a quote inside a single-quoted value")
        found = text.match(source, at, end)
        if found is None:
            raise ValueError("text the reading does not know")
        runs.text(found.group(), at)
        at = found.end()
    return runs


def _folded(source: str, quoted: bool, line: int, column: int) -> tuple[str, list[int]]:
    """A plain or quoted scalar's text and runs when it holds no escape and no `''` (the
    common wrapped value: a long description): its lines, each trimmed of the blanks
    around its breaks (a quoted value keeps those before its first line's text and after
    its last's), joined as `_flow` joins them (one break a space, n+1 breaks n newlines).
    A run a line, read without `_flow`'s piece-by-piece walk (a wrapped background took
    ~175 µs that way, twice its file's parse). The caller checks the text is the value."""
    rows = _BREAK.split(source[1:-1] if quoted else source)
    last = len(rows) - 1
    pieces: list[str] = []
    triples: list[int] = []
    length = 0
    previous = None   # the row of the last text
    for k, row in enumerate(rows):
        text = row.rstrip(" \t") if k < last else row
        lead = 0
        if k:
            stripped = text.lstrip(" \t")
            lead, text = len(text) - len(stripped), stripped
        if not text and not (quoted and k in (0, last)):
            continue
        if previous is not None:
            joint = " " if k - previous == 1 else "\n" * (k - previous - 1)
            pieces.append(joint)
            length += len(joint)
        if text:
            triples += (length, line + k, (column + quoted if not k else 1) + lead)
            pieces.append(text)
            length += len(text)
        previous = k
    return "".join(pieces), triples


def _block(source: str, folded: bool, line: int, value: str) -> tuple[str, list[int]]:
    """A `|` or `>` block's text as far as its last line of text, and its layout, by
    libyaml's scan_block_scalar: its lines below the header, each at the block's
    indentation, one run each; in a folded block one break between two lines that do
    not start with a blank is a space, and the break before blank lines is dropped.
    The indentation is read off the first line of text and the value (a header's
    indentation indicator is relative to a parent this slice does not hold). Written
    without `_Runs` (each line's place is known): every hero's background is such a
    block, ~1 µs a line."""
    rows = _BREAK.split(source)
    first = next((k for k in range(1, len(rows)) if rows[k].strip(" ")), None)
    if first is None:
        return "", []
    spaces = len(rows[first]) - len(rows[first].lstrip(" "))
    # the spaces before the value's first text on its line in the value (a more indented
    # blank line before it, `>2` then `     `, is a line of the value of its own)
    head = len(value) - len(value.lstrip(" \n"))
    indent = spaces - (head - value.rfind("\n", 0, head) - 1)
    if indent < 0:
        raise ValueError("a block indented less than its text")
    prefix = " " * indent
    pieces: list[str] = []
    triples: list[int] = []
    length = trailing = 0   # blank lines since the last line of text
    before_blank = started = False   # the last line of text started with a blank
    for k in range(1, len(rows)):
        row = rows[k]
        if len(row) <= indent and not row.strip(" "):
            trailing += 1
            continue
        if not row.startswith(prefix):
            break   # the block ends (a less indented line: what follows it)
        content = row[indent:]
        blank = content[0] in " \t"
        if not started:
            joint = "\n" * trailing
        elif folded and not before_blank and not blank:
            joint = " " if not trailing else "\n" * trailing
        else:
            joint = "\n" * (1 + trailing)
        length += len(joint)
        triples += (length, line + k, indent + 1)
        pieces += (joint, content)
        length += len(content)
        trailing, before_blank, started = 0, blank, True
    return "".join(pieces), triples


def _literal(source: str, line: int, value: str) -> tuple | None:
    """A `|` block's layout read off its value: its line k is the source's line k + 1
    (below the header) at one indentation, each a run; None when the source's lines
    are not that (the general reading, `_block`, then tries). The common multi-line
    value (every hero's background), so kept to a few string operations a line."""
    rows = source.split("\n")
    texts = value.split("\n")
    if len(texts) > len(rows):
        return None
    first = next((k for k, text in enumerate(texts) if text), None)
    if first is None:
        return ()
    indent = len(rows[first + 1]) - len(texts[first])
    if indent < 0:
        return None
    prefix = " " * indent
    triples: list[int] = []
    offset = 0
    for k, text in enumerate(texts):
        if text:
            if rows[k + 1] != prefix + text:
                return None
            triples += (offset, line + 1 + k, indent + 1)
        offset += len(text) + 1
    return tuple(triples)


# What stands between a node's start mark and its scalar: its properties (an anchor
# `&a`, a tag `!x`), blanks, line breaks and comments between them.
_PROPERTIES = re.compile("(?:[&!][^ \t\r\n\x85\u2028\u2029]*|[ \t\r\n\x85\u2028\u2029]+|#[^\r\n\x85\u2028\u2029]*)*")


def past_properties(text: str, index: int, line: int, column: int) -> tuple[int, int, int]:
    """(index, line, column) in `text` where the scalar of a node that has an anchor or a
    tag begins: libyaml's start mark (`index`, 1-based `line` and `column`) is the
    properties' (`&a "text"`), and `layout` reads the scalar's own source."""
    start = _PROPERTIES.match(text, index).end()
    breaks = list(_BREAK.finditer(text, index, start))
    if not breaks:
        return start, line, column + start - index
    return start, line + len(breaks), start - breaks[-1].end() + 1


def layout(source: str, style: str, line: int, column: int, value: str) -> Layout | None:
    """The layout of the scalar written as `source` (from its start mark to its end
    mark: a quoted one with its quotes, a block with its header line) in style `style`
    (libyaml's: '' or None plain, `'`, `"`, `|`, `>`), its first character at 1-based
    (`line`, `column`) of the file, whose value libyaml read as `value`; None when this
    reading does not spell `value` (the value is then placed as a one-line one)."""
    try:
        if style == "|" and "\r" not in source:
            found = _literal(source, line, value)
            if found is not None:
                return found
        if style in ("|", ">"):
            built, triples = _block(source, style == ">", line, value)
            if not value.startswith(built) or value[len(built):].strip("\n"):
                return None   # past the last line of text a block holds only its kept breaks
            return tuple(triples)
        if not style or style == "'" or "\\" not in source:
            built, triples = _folded(source, bool(style), line, column)
            if built == value:
                return tuple(triples)
        runs = _flow(source, style or "", _Lines(source, line, column))
        if runs.value() != value:
            return None
    except (ValueError, KeyError, IndexError):
        return None
    return tuple(runs.triples)

