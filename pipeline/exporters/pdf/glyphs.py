"""Characters no font can print, reported where a writer can act: at the content file
and line that holds them, once, with the fix — not once per character against the
theme's stylesheet, which is where WeasyPrint's own message points.

WeasyPrint logs `.notdef glyph rendered for Unicode string unsupported by fonts: "山"
(U+5C71)` for each character that neither the theme's fonts nor any font on the
machine (Pango's fallback through fontconfig) can draw; the PDF then shows an empty
box. Those characters are gathered per book and looked up in the text of the content
files the book shows.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

from ...diagnostics import Diagnostics, Span
from ...load.project import CONFIG_NAME

NOTDEF = re.compile(r'\.notdef glyph rendered for Unicode string unsupported by fonts: "(.+?)" \(U\+[0-9A-Fa-f]+\)')
HINT = ("Install a font that covers this script on the machine that builds the PDFs — Debian and Ubuntu: "
        "fonts-noto-cjk (Chinese, Japanese, Korean), fonts-noto-core (Arabic, Thai, Devanagari and most "
        "others), fonts-noto-color-emoji (emoji) — or ship one in themes/<theme>/print/fonts/ with an "
        "@font-face rule; docs/books.md lists what each script needs.")


def missing_characters(messages: Iterable[str]) -> tuple[set[str], list[str]]:
    """(characters WeasyPrint found no glyph for, the other messages)."""
    missing: set[str] = set()
    rest: list[str] = []
    for message in messages:
        found = NOTDEF.search(message)
        if found:
            missing.update(found.group(1))
        else:
            rest.append(message)
    return missing, rest


def script_of(char: str) -> str:
    """A word for the script a character belongs to, from its Unicode name
    ("CJK", "HIRAGANA", "ARABIC"…), for the message."""
    name = unicodedata.name(char, "")
    return name.split(" ")[0].title() if name else f"U+{ord(char):04X}"


def report_missing(missing: set[str], texts: Iterable[tuple[str, str]], diags: Diagnostics) -> None:
    """One HF0741 per content line holding characters in `missing`.

    `texts`: (path relative to the project, file text) of every content file the book
    shows, in a stable order. The message names the characters and their scripts but
    not the book, so a line shown in a sheet and in the compendium is reported once."""
    placed: set[str] = set()
    by_line: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    for path, text in texts:
        for number, line in enumerate(text.splitlines(), 1):
            for column, char in _characters(line):
                if char in missing:
                    by_line[(path, number)].append((column, char))
                    placed.add(char)
    for (path, number), found in sorted(by_line.items()):
        found.sort()   # escapes are found after the written characters: report by column
        chars = "".join(dict.fromkeys(c for _, c in found))
        diags.add("HF0741", _message(chars), Span(path, number, found[0][0]), hint=HINT)
    unplaced = "".join(sorted(missing - placed))
    if unplaced:   # from foundry.toml (the world's title), the rules or the theme's own text
        diags.add("HF0741", _message(unplaced), Span(CONFIG_NAME), hint=HINT)


# A character can be written as itself or as an escape: `"\U0001E030"` in a YAML
# double-quoted string, `&#x1E030;` or `&eacute;` in Markdown. The escape's line is the
# writer's line; without this the warning falls back to foundry.toml, a file that
# does not hold the character.
_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _characters(line: str) -> Iterable[tuple[int, str]]:
    """(1-based column, character) for every character `line` holds, written out or
    as an escape (the escape's first column)."""
    for column, char in enumerate(line, 1):
        yield column, char
    for found in _ESCAPE.finditer(line):
        text = found.group()
        if text.startswith("\\"):
            value = int(text[2:], 16)
            decoded = chr(value) if value <= 0x10FFFF else ""
        else:
            decoded = html.unescape(text)
        if len(decoded) == 1:
            yield found.start() + 1, decoded


def _message(chars: str) -> str:
    scripts = ", ".join(dict.fromkeys(script_of(c) for c in chars))
    shown = chars if len(chars) <= 24 else chars[:23] + "…"
    return f"no font on this machine can print {shown} ({scripts}): the PDF would show empty boxes"
