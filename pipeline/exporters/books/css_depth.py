"""Stylesheets whose brackets nest too deeply for WeasyPrint to read, judged before any
book is laid out.

WeasyPrint (and tinycss2 under it) reads a parenthesis, bracket or brace within another
by recursing once per level: a print stylesheet holding `calc(` four hundred times
within itself (a stranger's pull request) stopped every PDF with HF0711 "recursed too
deeply", naming the book and no stylesheet, while `foundry check` passed it. No real
stylesheet nests more than a dozen levels; one past MAX_DEPTH is HF0116 at check and
build alike (books/theme.py), at the bracket that goes past it, and never served.
"""

from __future__ import annotations

MAX_DEPTH = 100   # levels of (), [] and {} within each other; WeasyPrint 70 fails past ~250
_OPEN, _CLOSE = "([{", ")]}"


def deep_stylesheets(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    """Each stylesheet of `files` (path inside print/ → bytes) whose brackets nest past
    MAX_DEPTH, with the line and column of the bracket that goes past it."""
    found = {}
    for rel in sorted(files):
        if rel.lower().endswith(".css"):
            at = too_deep_at(files[rel].decode("utf-8", "replace"))
            if at is not None:
                found[rel] = at
    return found


def too_deep_at(text: str) -> tuple[int, int] | None:
    """The (line, column) of the first bracket of the CSS `text` nested past MAX_DEPTH
    (strings, comments and escapes read as CSS's tokenizer reads them), or None."""
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if c in "\"'":   # a string ends at its quote or an unescaped line break
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
        elif c == "\\":
            i += 1   # an escaped character is a letter of a name, never a bracket
        elif c in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, i) + 1, i - text.rfind("\n", 0, i)
        elif c in _CLOSE:
            depth = max(depth - 1, 0)
        i += 1
    return None
