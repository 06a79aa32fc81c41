"""Every syntax error in foundry.toml, not only the first: tomllib stops at one.

tomllib (the standard library's parser, the one foundry reads settings with) raises
at the first error and keeps no positions, and no well-kept Python TOML parser
recovers (tomlkit and tomli stop too; taplo recovers but is a Rust program). So the
recovery is done around it, as a recovering parser does, at statement level:

    parse; at an error (line L), blank the statement that holds L — from the line
    it starts on (L itself when the text before L parses on its own, else the
    last `key =` or `[table]` line above it: L continues an open array, inline
    table or string) to the next line that starts a statement; a `[table]` header
    is blanked with its whole table (its keys would land in the table above) —
    and parse again.

Blanked lines are emptied, never removed, so every later error keeps its line and
column. At most MAX_ERRORS errors, then one "more" line; a round that blanks nothing
new ends the search (each round empties at least one line, so it always ends).
What parses once the errors are blanked is the settings that were written well,
for the rest of the check (load/project.py).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

MAX_ERRORS = 20

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY_LINE = re.compile(rf"^[ \t]*{_BARE_OR_QUOTED}(?:[ \t]*\.[ \t]*{_BARE_OR_QUOTED})*[ \t]*=")
_HEADER_LINE = re.compile(r"^[ \t]*\[")
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class TomlError:
    line: int          # 1-based
    column: int        # 1-based, in characters
    message: str       # tomllib's words, without its "(at line …, column …)"
    more: bool = False  # the "more errors from here on" line past MAX_ERRORS


def parse_all(text: str) -> tuple[dict | None, list[TomlError]]:
    """(the settings that parse once every syntax error's statement is blanked, or
    None when nothing was left to try; the errors, in the order found). No errors:
    (tomllib.loads(text), [])."""
    lines = text.split("\n")
    errors: list[TomlError] = []
    while True:
        try:
            return tomllib.loads("\n".join(lines)), errors
        except tomllib.TOMLDecodeError as exc:
            line, column, message = _where(str(exc), lines)
            if len(errors) == MAX_ERRORS:
                errors.append(TomlError(line, column, f"more syntax errors from here on (the first {MAX_ERRORS} "
                                                      "are above)", more=True))
                return None, errors
            errors.append(TomlError(line, column, message))
            start, end = _statement(lines, line - 1)
            if not any(lines[i].strip() for i in range(start, end)):
                return None, errors   # nothing left to blank: a round would find the same error
            for i in range(start, end):
                lines[i] = ""


# tomllib's words where a writer's are clearer
_WORDS = {"Illegal character '\\n'": "a quoted value is not closed on its line (add the closing quote)"}


def _where(message: str, lines: list[str]) -> tuple[int, int, str]:
    m = _AT.search(message)
    if m is not None:
        said = message[:m.start()].rstrip()
        return int(m.group(1)), int(m.group(2)), _WORDS.get(said, said)
    # "(at end of document)": an array, table or string left open; at the last line with text
    last = max((i for i, text in enumerate(lines) if text.strip()), default=0)
    return last + 1, len(lines[last].rstrip("\r")) + 1, message.replace("(at end of document)", "").rstrip() + \
        " at the end of the file"


def _statement(lines: list[str], at: int) -> tuple[int, int]:
    """[start, end) of the lines of the statement holding line index `at` (see the module)."""
    at = min(at, len(lines) - 1)
    start = at
    if not _parses(lines[:at]):   # the error line continues a statement begun above
        start = next((i for i in range(at - 1, -1, -1) if _starts(lines[i])), at)
    header = bool(_HEADER_LINE.match(lines[start]))
    end = at + 1
    while end < len(lines) and not (_HEADER_LINE.match(lines[end]) if header else _starts(lines[end])):
        end += 1
    return start, end


def _starts(line: str) -> bool:
    return bool(_KEY_LINE.match(line) or _HEADER_LINE.match(line))


def _parses(lines: list[str]) -> bool:
    try:
        tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError:
        return False
    return True
