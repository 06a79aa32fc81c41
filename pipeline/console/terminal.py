"""The one escaping function for everything foundry prints to a terminal or a CI log.

Content is written by strangers (file names, ids, prose, library messages that quote
them). Printed raw, a newline in a file name starts a new log line that GitHub Actions
reads as a workflow command (`::error …`, `::add-mask::`, `##[error]`), and ESC, BEL,
C1 or bidi characters drive the terminal or reorder what a reviewer sees. So every
string on its way out goes through `printable`: characters a terminal or log would
act on, or that hide text, become visible `\\uXXXX` escapes (also valid inside a JSON
string, so JSON printed through it stays JSON), and a line that would start a workflow
command is defused. A joiner a script spells with, or one inside an emoji, is printed
as typed: it hides nothing, and a name may hold it (load/hygiene.py).
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
import warnings

import click

# C0 controls, DEL and C1 controls (terminals act on all of them: ESC starts a
# sequence, 0x9b is a one-byte CSI); bidi embeddings, overrides, isolates and marks
# (they reorder what is shown); zero-width and other invisible characters (they hide
# or join text); line and paragraph separators (some log viewers break lines at them);
# lone surrogates (an undecodable file name: printing one raises UnicodeEncodeError).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile(_UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x08\x0b-\x1f"))
# GitHub Actions reads `::name …::` and the older `##[name]` at the start of any line
# of a step's output, after leading whitespace.
_COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)


def _escape(match: re.Match) -> str:
    if match.group() in "\u200c\u200d":
        # a joiner a script spells with (Persian `می‌خواهم`) or inside an emoji (👩‍👩‍👧)
        # joins what a reader sees and hides nothing: `foundry play` printed a Persian
        # story's every such word, and a family emoji, with `\u200c`/`\u200d` in it
        from ..load.hygiene import spells_with_joiner   # (only when a joiner is printed)
        if spells_with_joiner(match.string, match.start()):
            return match.group()
    return f"\\u{ord(match.group()):04x}"


def printable(text: object, lines: bool = False) -> str:
    """`text` safe to print: one line (every control character escaped), or with
    `lines=True` several (newlines and tabs kept, every other control escaped). In
    either form no line can start a workflow command."""
    text = str(text)
    text = (_UNSAFE_KEEP_LINES if lines else _UNSAFE).sub(_escape, text)
    return _COMMAND_START.sub(lambda m: m.group(1) + m.group(2).replace(":", "\\u003a", 1).replace("#", "\\u0023", 1),
                              text)


def cells(text: str) -> int:
    """How many terminal cells `text` (printable already) takes: a wide or fullwidth
    character (CJK, kana, hangul, most emoji) two, and so a one-cell character followed by
    VS16 (U+FE0F, its emoji form: '⚔️'), a combining mark none (it sits on the letter
    before it), any other one. A code frame's caret is placed by it: counted in
    characters, it stood under the middle of a Japanese line's text, ten cells left of
    the column named."""
    if text.isascii():
        return len(text)
    total, symbol, joined = 0, False, False
    for ch in text:
        if ch == "\ufe0f":
            # VS16 asks for the emoji form of the symbol before it ('⚔️', '❤️', '1️⃣'), which
            # terminals draw two cells wide as they do emoji (wcwidth does the same)
            width, symbol = (1 if symbol else 0), False
        elif ch in "\u200c\u200d":
            # a joiner printed as typed (`printable`) takes no cell, and the emoji a ZWJ
            # joins to the one before it is drawn in that one's cells (wcwidth's rule)
            symbol, joined = False, ch == "\u200d"
            continue
        else:
            width = 0 if unicodedata.category(ch) in ("Mn", "Me") else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if joined and width == 2:
                width = 0
            symbol = width == 1 and (unicodedata.category(ch).startswith("S") or ch in "#*0123456789")
        joined = False
        total += width
    return total


def padded(text: str, width: int) -> str:
    """`text` followed by spaces to fill `width` terminal cells (`cells`), as
    `f"{text:<{width}}"` does for text of one cell a character: a column of labels in
    Japanese or Chinese (a rule book's derived stat '体力') stood two cells out per
    character."""
    return text + " " * max(0, width - cells(text))


def echo(text: object = "", err: bool = False) -> None:
    """click.echo for text that may quote content: escaped first."""
    click.echo(printable(text, lines=True), err=err)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (as logging's own last
    resort does), so a redirected stderr is honoured."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class _Printable(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return printable(f"{record.levelname.lower()}: {record.name}: {record.getMessage()}")


def capture_library_output() -> None:
    """Library warnings and log records that nobody collected into a diagnostic are
    printed escaped, one line each, instead of through Python's raw default handlers
    (a warning's text often quotes the file or value that caused it). The handler is
    logging's *last resort*: records a stage collects (WeasyPrint's, into HF0703)
    are not printed a second time."""
    handler = _Stderr()
    handler.setFormatter(_Printable())
    handler.setLevel(logging.WARNING)
    logging.lastResort = handler
    warnings.showwarning = _show_warning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    stream = file or sys.stderr
    try:
        stream.write(printable(f"warning: {category.__name__}: {message}") + "\n")
    except (OSError, ValueError):
        pass   # the stream is gone; a warning is not worth a crash
