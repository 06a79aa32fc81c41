"""A text's min-content width measured in time linear in its length.

WeasyPrint 70 measures the narrowest a text can be set (its min-content width: a flex
item's automatic minimum, a table cell's column, a float or inline block shrunk to
fit) by splitting it into its narrowest lines one at a time (layout/preferred.py,
inline_line_widths): it asks text/line_break.py's split_first_line for the first line
of the REST of the text at a width of 0, again and again. Each ask lays the whole rest
out with Pango, and where a word may break anywhere (the print theme's `overflow-wrap:
anywhere`, print/css/base.css) every line is one letter: a paragraph of n letters is
laid out n times, n²/2 letters in all. A hero's background of 12 paragraphs of 2,000
characters in the hero sheet (a flex column, print/css/sheet.css) took 415 CPU-s to
lay out, over the render's time budget (HF0710); plain WeasyPrint with the same
stylesheets takes as long.

The first line of a text at a width of 0 is decided by the text's first letters and
the few after them (where Pango may break, which letters form one character, what a
hyphenation dictionary splits a word into); its width is measured on the line's own
text (split_first_line's first_line_metrics). While a book is laid out, the
split_first_line that preferred.py calls is wrapped: at a width of 0 it is asked
about the text's first WINDOW characters, then four times as many, until everything
it read to find the line lies in the first half of what it was asked about (never
near where the piece was cut: `_inside`), else about the whole text; and about the
whole text when it holds a soft hyphen (WeasyPrint then tries every one in it). Each
ask then costs what its line needs, not what the rest of the paragraph holds; the
lines, their widths and so every layout are those WeasyPrint makes
(tests/books/test_layout_cost.py compares every box, in several scripts).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced

WINDOW = 32   # characters first asked about: a line at a width of 0 is a letter or a word's piece
SOFT_HYPHEN = "\u00ad"


def _windowed(split_first_line: Any) -> Any:
    from weasyprint.text.line_break import get_next_break_point_from_text

    def split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        # a min-content line (preferred.py): decided by the text's first letters, unless
        # a soft hyphen is anywhere in it (WeasyPrint then tries each of them, from the last)
        if max_width == 0 and not (SOFT_HYPHEN in text and style["hyphens"] != "none"):
            size = WINDOW
            while size * 2 <= len(text):
                piece = text[:size]
                result = split_first_line(piece, style, context, max_width, justification_spacing,
                                          is_line_start=is_line_start, minimum=minimum)
                if _inside(piece, result[2], style["lang"], get_next_break_point_from_text):
                    return result
                size *= 4
        return split_first_line(text, style, context, max_width, justification_spacing,
                                is_line_start=is_line_start, minimum=minimum)
    return split


def _inside(piece: str, resume: int | None, lang: str | None, next_break: Any) -> bool:
    """Whether all split_first_line read of `piece` to find its first line (ending at
    the byte `resume`) lies in its first half, so that the rest of the text could not
    have changed it: the first space (its draft layout's end), the line's end and the
    next place to break after it (the word hyphenation looks at)."""
    half = len(piece) // 2
    space = piece.find(" ")
    if resume is None or resume <= 0 or not 0 <= space < half - 2:
        return False
    end = len(piece.encode()[:resume].decode(errors="ignore"))
    after = next_break(piece[end:], lang) if end < half else None
    return after is not None and end + after < half


@contextmanager
def min_content_linear() -> Iterator[None]:
    """While the block lays a book out, a text's min-content lines are found from its
    first letters, not from the whole rest of it each time (module docstring)."""
    from weasyprint.layout import preferred
    with replaced([(preferred, "split_first_line", _windowed(preferred.split_first_line))]):
        yield
