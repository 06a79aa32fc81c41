"""HF0761: a combining mark the PDF draws apart from the letter it sits on.

Pango picks a font character by character: a keycap `1⃣` (a digit and U+20E3), `#️⃣`
or a circled `A⃝` whose letter the print theme's face has and whose enclosing mark it
lacks is drawn in two fonts, the mark positioned by none, so its frame lands over the
next letters ("1[th]en"). Each character exists in some font, so HF0741 (per
character, coverage.py) said nothing. Judged here per cluster (a base and the
combining marks after it): the font that draws the base — the theme's own faces first
(they lead every font-family of the print stylesheets), else a machine font — must
have every mark; when the theme's faces lack the base, some machine font having the
base and every mark is taken as drawing them together (Devanagari, Thai, Arabic marks
in their Noto fonts). Variation selectors draw nothing (coverage.draws_nothing) and are
not judged. One function for `foundry check` (glyphs_ahead.py) and the PDF build
(exporter.py), so both say the same words at the same place.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable, Iterator

from ...diagnostics import Diagnostics, Span
from .coverage import _FONT_SUFFIXES, _cmaps, _declared, draws_nothing

_MARKS = ("Mn", "Me", "Mc")


def clusters(line: str) -> Iterator[tuple[int, str, str]]:
    """(0-based index, base, marks) of each letter in `line` followed by combining
    marks, variation selectors left out of `marks` (an empty `marks` is not given)."""
    # only the line's distinct characters are asked their category: a project's every
    # line is scanned (10,000 heroes), and few hold a mark
    if not any(unicodedata.category(char) in _MARKS for char in set(line)):
        return
    i = 0
    while i < len(line):
        base, j, marks = line[i], i + 1, ""
        while j < len(line) and unicodedata.category(line[j]) in _MARKS:
            if not draws_nothing(line[j]):   # a variation selector (Mn too) draws nothing: not judged
                marks += line[j]
            j += 1
        if marks and not base.isspace() and unicodedata.category(base) not in _MARKS:
            yield i, base, marks
        i = j


def may_hold_cluster(text: str) -> bool:
    """Whether `text` (a whole file or line) may print a letter and a mark: it holds an
    escape (judged line by line, `written_clusters`) or a combining mark as written.
    False is certain; asked of each file once per check, before any line is read."""
    if "\\" in text or "&" in text:
        return True
    if text.isascii():
        return False
    return any(unicodedata.category(char) in _MARKS for char in set(text))


def written_clusters(line: str) -> Iterator[tuple[int, str, str]]:
    """(1-based column, base, marks) of each cluster a line of a file prints, written out
    or as escapes (`"1\\u20E3"` in YAML, `&#x20E3;` in Markdown: the column of what
    the writer typed), as HF0741 finds a character (glyphs.py)."""
    from .glyphs import _decoded
    if line.isascii() and "\\" not in line and "&" not in line:
        return
    text, origin = _decoded(line) if "\\" in line or "&" in line else (line, None)
    for index, base, marks in clusters(text):
        yield (origin[index] if origin is not None else index) + 1, base, marks


def _theme_cmaps(theme_files: dict[str, bytes]) -> list[frozenset[int]]:
    import hashlib
    files, _ = _declared(theme_files)
    fonts = tuple(sorted((rel, data) for rel, data in files.items() if rel.lower().endswith(_FONT_SUFFIXES)))
    key = hashlib.sha256(b"".join(rel.encode() + b"\0" + hashlib.sha256(data).digest() for rel, data in fonts))
    return list(_cmaps(key.hexdigest(), fonts))


def _machine_has_together(codes: list[int]) -> bool | None:
    """Whether one font fontconfig lists (TrueType or CFF) has every code of `codes`;
    None when fontconfig cannot be asked."""
    from ...fontconfig import visit_drawn_charsets
    return visit_drawn_charsets(lambda lib, charset: all(lib.FcCharSetHasChar(charset, code) for code in codes))


def apart(base: str, marks: str, theme_files: dict[str, bytes]) -> bool:
    """Whether the PDF draws a mark of `marks` apart from `base` (see the module)."""
    codes = [ord(base), *map(ord, marks)]
    theme = _theme_cmaps(theme_files)
    own = next((cmap for cmap in theme if codes[0] in cmap), None)
    if own is not None:
        return not all(code in own for code in codes)
    return _machine_has_together(codes) is False   # unknown (no fontconfig): nothing said


def report_apart(texts: Iterable[tuple[str, str]], printed: str | None, theme_files: dict[str, bytes],
                 diags: Diagnostics) -> None:
    """HF0761 at the line and column of each cluster of `texts` ((path, text) of the
    files a book is made from) whose mark the PDF draws apart from its letter, when the
    book prints it (`printed`: the book's text; None: every cluster is taken as printed)."""
    judged: dict[tuple[str, str], bool] = {}
    bare = _bare(printed) if printed is not None else ""
    for path, text in texts:
        if text.isascii() and "\\" not in text and "&" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for column, base, marks in written_clusters(line):
                if printed is not None and _bare(base + marks) not in bare:
                    continue
                if (base, marks) not in judged:
                    judged[(base, marks)] = apart(base, marks, theme_files)
                if judged[(base, marks)]:
                    names = ", ".join(f"U+{ord(m):04X} {unicodedata.name(m, '?')}" for m in marks)
                    diags.add("HF0761", f"'{base}{marks}' prints its mark apart from '{base}' in the PDF: no font "
                                        f"that draws '{base}' has {names}, so the mark is drawn over the letters "
                                        "after it", Span(path, number, column),
                              hint=f"Write '{base}' without the mark: a keycap as the digit and a stop or brackets "
                                   "('1.' or '(1)'), a circled letter as the letter ('A' or '(A)').")


def _bare(text: str) -> str:
    """`text` without variation selectors (which draw nothing)."""
    return "".join(c for c in text if not 0xFE00 <= ord(c) <= 0xFE0F)
