"""A text's lines found in time linear in its length, also where it cannot break.

WeasyPrint 70 finds each line of a text with text/line_break.py's split_first_line,
asked about the REST of the text: for a line of the page (layout/inline.py) and for a
min-content width (layout/preferred.py, inline_line_widths: a flex item's automatic
minimum, a table cell's column, a float or inline block shrunk to fit; the narrowest
lines, asked at a width of 0). It cuts the rest short itself where the piece's second
line can break, and otherwise lays the whole rest out with Pango, looks for the next
break in it, hyphenates the whole rest as one word (pyphen) and lays it out again
with character wrapping: each line costs what the rest of the text holds. A text of n
letters set n/k to a line pays n²/2k:
- min-content under the print theme's `overflow-wrap: anywhere` (print/css/base.css):
  every line is one letter, a paragraph of n letters laid out n times. A hero's
  background of 12 paragraphs of 2,000 characters in the hero sheet took 415 CPU-s
  (thirty-seventh session).
- a word with no break in it (65,536 letters, the longest a value may be): every line
  of the page pays for the whole rest of the word; a build of the sample hero with
  such a background ran over the render's 120 CPU-s (HF0710), 97 CPU-s at 16,384.

The first line of a text is decided by its first letters and the few after them. The
split_first_line those two callers use is wrapped: it is asked about the text's first
`size` characters (at least twice what WeasyPrint itself would cut the text to, and
room for a hyphenation pattern), then four times as many, until its line provably is
the whole text's, else about the whole text; about the whole text when it holds a soft
hyphen (WeasyPrint then tries each of them). A piece's line is the whole text's when it
ends in the piece's first half (`_decided`) and either (b) the next place to break
after it lies there too, so everything WeasyPrint read (the line, the next word it
tries to pull up or hyphenate) is the same text, or (c) the first half does not fit on
the line: every longer candidate (a hyphenation point past the half, where cutting the
word may add or drop pyphen's points; the character-wrapped line) is too wide in both,
and the points before the half are the same in both. Each ask then costs what its
line needs. The lines, their widths and so every layout are those WeasyPrint makes
(tests/books/test_layout_cost.py compares every box, in several scripts).
"""

from __future__ import annotations

from contextlib import contextmanager
from math import inf
from typing import Any, Iterator

from .weasy_patches import replaced

WINDOW = 32     # characters first asked about: a line at a width of 0 is a letter or a word's piece
RATIO = 4       # WeasyPrint's own cut: max_width / font_size * 4 characters (split_first_line step 1)
SOFT_HYPHEN = "\u00ad"
WRAPPING = ("normal", "pre-wrap", "pre-line")   # white-space values whose text is wrapped


def _windowed(split_first_line: Any) -> Any:
    def split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        def line(of: str):
            return split_first_line(of, style, context, max_width, justification_spacing,
                                    is_line_start=is_line_start, minimum=minimum)
        size = _first_size(text, style, context, max_width)
        while size and size * 2 <= len(text):
            piece = _piece(text, size, style["font_size"] * RATIO > max_width)
            result = line(piece)
            if _decided(piece, size // 2, result, style, context, max_width, justification_spacing):
                return result
            size *= 4
        return line(text)
    return split


def _piece(text: str, size: int, narrow: bool) -> str:
    """The text's first `size` characters, ended as WeasyPrint reads the whole text's
    end: on a narrow line it cuts the text after its first space and a letter, else it
    reads the text's last letter (whether a space follows the next word)."""
    space = text.find(" ")
    if narrow and 0 <= space and space + 2 > size:
        return text[:min(size, space)] + text[space:space + 2]
    return text[:size] + (" " if text.endswith(" ") else "")


def _first_size(text: str, style: Any, context: Any, max_width: float | None) -> int:
    """How many characters to ask about first; 0 to ask about the whole text."""
    font_size = style["font_size"]
    if (not font_size or max_width is None or max_width == inf or max_width >= 2 ** 21
            or style["white_space"] not in WRAPPING or (SOFT_HYPHEN in text and style["hyphens"] != "none")):
        return 0
    if font_size * RATIO > max_width:    # WeasyPrint cuts after the first space and a letter
        cut = 2
    else:
        cut = int(max_width / font_size * RATIO)
    total, _, right = style["hyphenate_limit_chars"]
    dictionary = _dictionary(style, context)
    margin = dictionary.hd.maxlen + right + 2 if dictionary is not None else 0
    return max(WINDOW, 2 * cut + 2, 2 * margin + 2, 2 * total + 2)


def _dictionary(style: Any, context: Any) -> Any:
    """The hyphenation dictionary WeasyPrint uses for `style` (shared with it), or None."""
    from weasyprint.text import line_break   # its hyphenator (pyphen): WeasyPrint's dependency, used as it uses it
    lang = style["lang"] and line_break.pyphen.language_fallback(style["lang"])
    if style["hyphens"] != "auto" or not lang:
        return None
    total, left, right = style["hyphenate_limit_chars"]
    key = (lang, left, right, total)
    if key not in context.dictionaries:
        context.dictionaries[key] = line_break.pyphen.Pyphen(lang=lang, left=left, right=right)
    return context.dictionaries[key]


def _decided(piece: str, half: int, result: tuple, style: Any, context: Any,
             max_width: float, justification_spacing: float) -> bool:
    """Whether the line split_first_line found in `piece` is the whole text's (the
    module docstring's (b) and (c))."""
    from weasyprint.text.line_break import create_layout, get_next_break_point_from_text, line_size
    resume = result[2]
    if resume is None or resume <= 0:
        return False
    end = len(piece.encode()[:resume].decode(errors="ignore"))
    if end >= half:
        return False
    after = get_next_break_point_from_text(piece[end:], style["lang"])
    if after is not None and end + after < half:
        return True                                                    # (b)
    layout = create_layout(piece[:half], style, context, None, justification_spacing)
    first_line, index = layout.get_first_line()
    width, _ = line_size(first_line, style)
    layout.deactivate()
    return index is None and width > max_width                        # (c)


@contextmanager
def min_content_linear() -> Iterator[None]:
    """While the block lays a book out, each line of a text (of the page, and of its
    min-content width) is found from its first letters, not from the whole rest of it
    each time (module docstring)."""
    from weasyprint.layout import inline, preferred
    with replaced([(preferred, "split_first_line", _windowed(preferred.split_first_line)),
                   (inline, "split_first_line", _windowed(inline.split_first_line))]):
        yield
