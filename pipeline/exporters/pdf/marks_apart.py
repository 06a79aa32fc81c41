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


def _machine_has_together(asked: list[list[int]]) -> list[bool] | None:
    """For each list of codes of `asked`, whether one font fontconfig lists (TrueType or
    CFF) has every code of it; None when fontconfig cannot be asked. One walk of the
    machine's fonts for them all (a walk loads fontconfig's configuration: ~3.5 ms, once
    per cluster it was, a Thai or Devanagari book holding dozens of distinct ones)."""
    from ...fontconfig import visit_drawn_charsets
    has, left = [False] * len(asked), set(range(len(asked)))

    def visit(lib, charset) -> bool:
        for i in [i for i in left if all(lib.FcCharSetHasChar(charset, code) for code in asked[i])]:
            has[i] = True
            left.discard(i)
        return not left
    return None if visit_drawn_charsets(visit) is None else has


def judged_apart(pairs: Iterable[tuple[str, str]], theme_files: dict[str, bytes]) -> dict[tuple[str, str], bool]:
    """Whether the PDF draws a mark of `marks` apart from `base` (see the module), for
    each (base, marks) of `pairs`: the theme's faces read once (its stylesheets' face
    rules parsed, its fonts hashed: ~6.6 ms, once per cluster it was) and the machine's
    fonts walked once for the clusters whose base no theme face has."""
    theme, judged, asked = None, {}, {}
    for base, marks in pairs:
        if (base, marks) in judged or (base, marks) in asked:
            continue
        theme = _theme_cmaps(theme_files) if theme is None else theme
        codes = [ord(base), *map(ord, marks)]
        own = next((cmap for cmap in theme if codes[0] in cmap), None)
        if own is not None:
            judged[(base, marks)] = not all(code in own for code in codes)
        else:
            asked[(base, marks)] = codes
    if asked:
        together = _machine_has_together(list(asked.values()))
        for pair, has in zip(asked, together or [True] * len(asked)):   # unknown (no fontconfig): nothing said
            judged[pair] = not has
    return judged


def apart(base: str, marks: str, theme_files: dict[str, bytes]) -> bool:
    """Whether the PDF draws a mark of `marks` apart from `base` (see the module)."""
    return judged_apart([(base, marks)], theme_files)[(base, marks)]


def report_apart(texts: Iterable[tuple[str, str]], printed: str | None, theme_files: dict[str, bytes],
                 diags: Diagnostics) -> None:
    """HF0761 at the line and column of each cluster of `texts` ((path, text) of the
    files a book is made from) whose mark the PDF draws apart from its letter, when the
    book prints it (`printed`: the book's text; None: every cluster is taken as printed)."""
    bare = _bare(printed) if printed is not None else ""
    found: list[tuple[str, int, int, str, str]] = []   # (path, line, column, base, marks), in the files' order
    for path, text in texts:
        if text.isascii() and "\\" not in text and "&" not in text:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for column, base, marks in written_clusters(line):
                if printed is None or _bare(base + marks) in bare:
                    found.append((path, number, column, base, marks))
    if not found:
        return
    judged = judged_apart([(base, marks) for *_, base, marks in found], theme_files)
    for path, number, column, base, marks in found:
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
