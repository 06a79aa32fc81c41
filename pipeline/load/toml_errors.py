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
import sys
import tomllib
import unicodedata
from dataclasses import dataclass

from ..ids import ODD_SPACES
from .yaml import in_typographic_quotes, quoted_as_meant

MAX_ERRORS = 20

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
# (a key followed by a no-break space starts a statement too: said as that, not taken
# into the statement above when it is blanked)
_KEY_LINE = re.compile(rf"^[ \t]*{_BARE_OR_QUOTED}(?:[ \t]*\.[ \t]*{_BARE_OR_QUOTED})*[ \t{ODD_SPACES}]*=")
_HEADER_LINE = re.compile(r"^[ \t]*\[")
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class TomlError:
    line: int          # 1-based
    column: int        # 1-based, in characters
    message: str       # tomllib's words, without its "(at line …, column …)"
    more: bool = False  # the "more errors from here on" line past MAX_ERRORS
    hint: str = ""      # the line to write instead, when the slip is a common one (`explain`)
    code: str = "HF0205"  # HF0111: a whole number of more digits than Python converts (`_long_number`)


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
            said, hint, code = *explain(message, lines[line - 1] if 0 < line <= len(lines) else "", column), "HF0205"
            again = twice(message, lines, line - 1)
            if again is not None:   # at the key or header written the second time, not past its value
                (said, hint), text = again, lines[line - 1]
                column = len(text) - len(text.lstrip(" \t")) + 1
        except ValueError:
            # Not a syntax error: tomllib's int() of a whole number over Python's limit on
            # digits converted (sys.get_int_max_str_digits, 4,300) — that was an internal
            # error. No position comes with it: the number is found by its digits.
            line, column, digits = _long_number(lines)
            said = f"a number of {digits:,} digits is beyond ±2^53" if digits else "a number too large to read"
            hint, code = "", "HF0111"
        if len(errors) == MAX_ERRORS:
            errors.append(TomlError(line, column, f"more syntax errors from here on (the first {MAX_ERRORS} "
                                                  "are above)", more=True))
            return None, errors
        errors.append(TomlError(line, column, said, hint=hint, code=code))
        start, end = _statement(lines, line - 1)
        if not any(lines[i].strip() for i in range(start, end)):
            return None, errors   # nothing left to blank: a round would find the same error
        for i in range(start, end):
            lines[i] = ""


# A word processor's quotes and spaces, which TOML reads as neither (ids.ODD_SPACES).
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")

# tomllib's words where a writer's are clearer
_WORDS = {"Illegal character '\\n'": "a quoted value is not closed on its line (add the closing quote)"}


# `key = value` as typed on one line: the key (dotted or quoted parts kept as typed).
_SETTING = re.compile(rf"^[ \t]*(?P<key>{_BARE_OR_QUOTED}(?:[ \t]*\.[ \t]*{_BARE_OR_QUOTED})*)[ \t]*=[ \t]*(?P<value>.*?)[ \t]*$")
_WORDLIKE = re.compile(r"[^\W\d]", re.UNICODE)
# What a writer types for a yes or no (YAML 1.1 and INI habits): TOML knows only true/false.
_BOOLEANS = {"yes": "true", "no": "false", "on": "true", "off": "false", "y": "true", "n": "false",
             "true": "true", "false": "false"}


def quoted(text: str) -> str:
    """`text` as a TOML string: basic quotes unless it holds `"` or `\\` (then literal
    quotes, in which both are plain characters), escaped when it holds both kinds."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _quote_items(value: str) -> str:
    """An array written with bare words (`[Ann, Bob]`) with each unquoted item quoted."""
    items = [item.strip() for item in value.strip().lstrip("[").rstrip("]").split(",")]
    return "[" + ", ".join(item if item[:1] in "\"'[{" or not _WORDLIKE.match(item[:1]) else quoted(item)
                           for item in items if item) + "]"


def explain(message: str, line: str, column: int) -> tuple[str, str]:
    """(message, hint) for tomllib's `message` at `column` (1-based) of `line`, in a
    writer's words where the slip is a common one: text not in quotes, a quote inside
    quotes, `:` for `=`, a backslash in double quotes, something after a value. Other
    errors keep tomllib's words and no hint ("")."""
    m = _SETTING.match(line)
    at = line[column - 1:] if 0 < column <= len(line) + 1 else ""
    if message == "Expected '=' after a key in a key/value pair" and at.startswith(":"):
        key, rest = line[: column - 1].strip(), at[1:].strip()
        return ("a setting is written `key = value`, with `=`, not `:`",
                f"Write `{key} = {rest}`." if rest else f"Write `{key} = …`.")
    if at[:1] and _ODD_SPACE.match(at[:1]):
        # `[project]` + a no-break space, `title\u00a0= "x"`: tomllib's "Invalid statement"
        # or "Expected newline…" of a line that looks right
        return (f"a U+{ord(at[0]):04X} {unicodedata.name(at[0], 'space')}, which TOML does not read as a space",
                f"Write `{_ODD_SPACE.sub(' ', line).strip()}` with ordinary spaces (an editor typed it).")
    if at[:1] and ord(at[0]) in _CURLY and m is not None:
        # `title = “My World”`: a word processor's quotes are no TOML quotes ("Invalid value")
        value, key = m.group("value"), m.group("key")
        inner = in_typographic_quotes(value)
        if inner is None and ord(value[:1] or " ") in _CURLY:
            # quotes around a part of it (`“My World” Chronicles`, `“The “Best” World”`):
            # the writer's text, in quotes whole (the hint made `"My World" Chronicles`)
            return (f"`{at[0]}` is a typographic quote, which TOML does not read as a quote",
                    f"Put the whole value in straight quotes: `{key} = {quoted(value)}`.")
        value = quoted(inner) if inner is not None else value.translate(_CURLY)   # `[“json”, “html”]`
        return (f"`{at[0]}` is a typographic quote, which TOML does not read as a quote",
                f"Write `{key} = {value}` with straight quotes (an editor replaced them).")
    if m is None:
        return message, ""
    key, value = m.group("key"), m.group("value")
    if message == "Invalid value" and at[:1] == "=":
        return "one `=` between a key and its value", f"Write `{key} = {at[1:].strip()}`."
    if message == "Invalid value" and _WORDLIKE.match(at[:1]):
        word = re.split(r"[,\]}]", at, maxsplit=1)[0].strip()
        if word.lower() in _BOOLEANS:
            truth = _BOOLEANS[word.lower()]
            return (f"`{word}` is not a TOML value: yes and no are written `true` and `false`, in lowercase",
                    f"Write `{key} = {value.replace(word, truth, 1)}`.")
        if value.startswith("["):
            return (f"`{word}` in the list is not in quotes: text in foundry.toml is always quoted",
                    f"Write `{key} = {_quote_items(value)}`.")
        if not value.startswith("{"):
            return (f"the value of `{key}` is not in quotes: text in foundry.toml is always quoted "
                    "(only numbers, true and false are not)", f"Write `{key} = {quoted(value)}`.")
    if message == "Expected newline or end of document after a statement":
        before = line[: column - 1].rstrip()
        rest = line[column - 1:].strip()
        if rest[:1] in (",", ";"):
            return (f"`{rest[0]}` after the value of `{key}`: a setting ends at the end of its line",
                    f"Remove the `{rest[0]}`: `{key} = {line[m.start('value'): column - 1].strip()}`.")
        if rest[:1] in ("\"", "'"):
            return (f"two values after `{key} =`: a setting holds one",
                    f"Join them into one text, or write a list: `{key} = [{before[m.start('value'):].strip()}, {rest}]`.")
        if before and before[-1] in "\"'" and value[:1] == before[-1] and not rest.startswith("#"):
            # (`"Fog" Road`: the quotes are the writer's text, kept; yaml.quoted_as_meant)
            inner = quoted_as_meant(value, len(before) - 1 - m.start("value"))
            return (f"the value of `{key}` is in quotes that close at column {len(before)}, and TOML cannot read "
                    f"the text after them (`{rest[:30]}`)",
                    f"A {before[-1]} inside {before[-1]}…{before[-1]} ends the text: write `{key} = {quoted(inner)}`.")
    if message in ("Unescaped '\\' in a string", "Invalid hex value") and "\\" in line[: column]:
        slash = line.rfind("\\", 0, column)
        shown = line[slash: slash + 2] if slash >= 0 else "\\"
        return (f"a backslash in double quotes starts an escape (`\\n`, `\\\"`), and `{shown}` is not one",
                "Write `\\\\` for a backslash, or put the text in single quotes, where a backslash is just "
                "a character.")
    return message, ""


def twice(message: str, lines: list[str], at: int) -> tuple[str, str] | None:
    """(message, hint) for a setting or a `[table]` written twice (tomllib: "Cannot
    overwrite a value", "Cannot declare ('build',) twice"), naming the line of the
    first, as a key written twice in YAML is (HF0102); None for any other error or
    when the first cannot be found. `at`: the 0-based index of the error's line."""
    if not 0 <= at < len(lines):
        return None
    if message.startswith("Cannot declare (") and message.endswith(") twice"):
        table = _path(lines[at], header=True)
        first = next((i for i in range(at) if table and _path(lines[i], header=True) == table), None)
        if first is None:
            return None
        name = ".".join(table)
        return (f"the table [{name}] appears twice (first at line {first + 1})",
                f"Move the settings under this [{name}] up under the first one, and remove this line.")
    if message != "Cannot overwrite a value":
        return None
    key = _path(lines[at])
    if not key:
        return None
    table: tuple[str, ...] = ()
    first = None
    for i in range(at):
        if _HEADER_LINE.match(lines[i]):   # a new table: a key above it is another table's
            table, first = _path(lines[i], header=True) or (), None
        elif first is None and _KEY_LINE.match(lines[i]) and _path(lines[i]) == key:
            first = i
    here = ".".join(key)
    if first is None:
        return None
    where = f" in [{'.'.join(table)}]" if table else ""
    return (f"`{here}` is set twice{where} (first at line {first + 1})",
            "Remove one of the two lines: a setting is given once (TOML refuses the second rather than "
            "keep one silently).")


def _path(line: str, header: bool = False) -> tuple[str, ...] | None:
    """The dotted key a `key = …` line sets (or a `[table]` header names), as TOML reads
    it (quotes and spaces around dots undone); None when the line is neither."""
    if header:
        m = re.match(r"^[ \t]*\[(?!\[)(.*)\][ \t]*(?:#.*)?$", line)
        text = f"{m.group(1)} = 0" if m else None
    else:
        m = _KEY_LINE.match(line)
        text = line[: m.end()] + " 0" if m else None
    if text is None:
        return None
    try:
        value: object = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    path = []
    while isinstance(value, dict) and len(value) == 1:
        (name, value), = value.items()
        path.append(name)
    return tuple(path)


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
    except ValueError:   # TOMLDecodeError, or a number of too many digits (`_long_number`)
        return False
    return True


# What a TOML text holds outside its strings and comments, token by token: strings and
# comments (to be skipped whole), and decimal whole numbers (a float's digits are no int).
_TOKENS = re.compile(r'''"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*'''
                     r"|(?<![\w.+-])[+-]?(?P<digits>\d[\d_]*)(?![\w.+-])", re.S)


def _long_number(lines: list[str]) -> tuple[int, int, int]:
    """(line, column, its count of digits) of the first whole number written with more
    digits than Python turns into an int (sys.get_int_max_str_digits), outside strings
    and comments; (1, 1, 0) when there is none (then what tomllib refused is unknown)."""
    limit = sys.get_int_max_str_digits()
    text = "\n".join(lines)
    for token in _TOKENS.finditer(text):
        digits = token.group("digits")
        if digits is not None and len(digits) - digits.count("_") > limit:
            line = text.count("\n", 0, token.start()) + 1
            return line, token.start() - (text.rfind("\n", 0, token.start()) + 1) + 1, len(digits) - digits.count("_")
    return 1, 1, 0
