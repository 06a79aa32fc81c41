"""A word glued to what precedes it on its line breaks anywhere, as a word alone does.

The print theme breaks a word too long for its line anywhere (`overflow-wrap:
anywhere`, print/css/base.css). CSS lets that happen where the line has no other
place to break; WeasyPrint 70 lets only the line's first box do it
(layout/inline.py, split_inline_level: `is_line_start = len(line_children) == 0`).
A long word in its own inline element written right after a quote mark or a bracket,
with no space between (`“**Достопримечательностей…**”`, `(`xyxy…`)`, the
pseudo-locale's `[**Ļļåñƒåîŕ…**`), is not its line's first box, and nothing before
it on the line is a place to break: it printed whole, past the sheet's column and
the paper's edge. The English patterns hyphenate most long Latin words, which hid it;
a word in another script, code (`hyphens: manual`) or an accented word is not
hyphenated. word_breaks.py gives a `<wbr>` where markup splits a word between two
letters; a `<wbr>` after a bracket would leave the bracket alone at a line's end
wherever the word does not fit the rest of its line (a browser breaks at the space
before the bracket there).

While a book is laid out, split_inline_level is wrapped: a text box that ran past
its room is laid out again as its line's start when nothing on the line before it
(nor the boundary with its first letter) is a place to break, as Pango finds them
for WeasyPrint. `Some words (**Достоп…**)` still moves the bracketed word to the
next line at the space; there, after its bracket, it breaks anywhere. When not a
letter of it fits the room left, the boundary before it is taken as the place to
break (CSS's "anywhere"), so the word starts the next line instead of setting one
letter past the edge. A box that fits, or that has a place to break before it on
its line, keeps WeasyPrint's own layout, byte for byte.

The same rule held in WeasyPrint's min-content widths (layout/preferred.py,
inline_line_widths: an automatic table's column, a shrink-to-fit box), with a wider
reach: every line of a text box that is not the first of its line there (any text
after an inline element: `*Constitution* of Достоп…`, or the sheet's formula after
its stat's name in bold, `Defense = 10 + Agility of Достоп… // 2`) was measured as a
word that cannot break, so the column was asked to hold the whole 57-letter word. The
hero sheet's table of attributes and derived stats grew to the two columns' long
words and set the derived stats past the paper's edge (to 599 pt of the A4 sheet's
595). With `overflow-wrap: anywhere` CSS counts the breaks it allows in min-content
sizes (CSS Text 3): the split_first_line preferred.py asks at a width of 0 is told
each such text starts its line, so it measures it a letter a line, as it does a
line's first text. A text that may not wrap (`white-space: nowrap`: a score, a
level's numbers) and one of `break-word` (whose breaks CSS leaves out of min-content)
are measured as before.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .min_content import WRAPPING
from .weasy_patches import replaced

EPSILON = 0.01   # CSS px: rounding, not a letter


def _glued(line_children: list, box: Any, skip_stack: dict | None) -> bool:
    """Whether no place to break lies on the line before `box` (a text box) nor at its
    start: the text of the line's boxes so far, then its first letter, has none."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import can_break_text
    pieces: list[str] = []

    def text(child: Any) -> bool:
        if isinstance(child, boxes.TextBox):
            pieces.append(child.text)
            return True
        if isinstance(child, boxes.InlineBox):
            return all(text(grandchild) for grandchild in child.children)
        return False   # an image, an inline block: a place to break on either side (CSS Text 3)

    if not all(text(child) for _, child in line_children):
        return False
    before = "".join(pieces)
    skip = next(iter(skip_stack)) if skip_stack else 0   # a box resumed on this line: its rest's first letter
    first = box.text.encode()[skip or 0:].decode(errors="ignore")[:1]
    # a space is not always a place to break (`” (`: Unicode's line breaking keeps a
    # closing quote with the bracket after it), so Pango is asked, as WeasyPrint asks it
    return bool(before) and not can_break_text(before + first, box.style["lang"])


def _wrapped(split_inline_level: Any) -> Any:
    from weasyprint.formatting_structure import boxes

    def split(context, box, position_x, max_x, bottom_space, skip_stack, containing_block, absolute_boxes,
              fixed_boxes, line_placeholders, waiting_floats, line_children, first_letter_style, first_line_style):
        rest = (bottom_space, skip_stack, containing_block, absolute_boxes, fixed_boxes, line_placeholders,
                waiting_floats)
        result = split_inline_level(context, box, position_x, max_x, *rest, line_children, first_letter_style,
                                    first_line_style)
        if not (line_children and isinstance(box, boxes.TextBox) and _overflows(result, max_x)
                and box.style["overflow_wrap"] in ("anywhere", "break-word")
                and box.style["white_space"] in WRAPPING and _glued(line_children, box, skip_stack)):
            return result
        # a text box reads line_children for one thing only: whether it starts its line
        result = split_inline_level(context, box, position_x, max_x, *rest, [], first_letter_style, first_line_style)
        if _overflows(result, max_x):
            # not a letter of it fits the room left: a place to break before it (CSS's
            # "anywhere"), so the line ends there and the word starts the next one
            result = (result[0], result[1], result[2], True, *result[4:])
        return result
    return split


def _overflows(result: tuple, max_x: float) -> bool:
    """Whether the piece split_inline_level laid out ends past `max_x`."""
    new_box = result[0]
    return new_box is not None and new_box.position_x + new_box.margin_width() > max_x + EPSILON


def _measured_breakable(split_first_line: Any) -> Any:
    """preferred.py's split_first_line, which measures min-content widths (asked at a
    width of 0): a text of `overflow-wrap: anywhere` breaks anywhere there, wherever it
    starts on its line."""
    def split(text, style, context, max_width, justification_spacing, is_line_start=True, minimum=False):
        if max_width == 0 and style["overflow_wrap"] == "anywhere" and style["white_space"] in WRAPPING:
            is_line_start = True
        return split_first_line(text, style, context, max_width, justification_spacing,
                                is_line_start=is_line_start, minimum=minimum)
    return split


@contextmanager
def glued_words_break() -> Iterator[None]:
    """While the block lays a book out, a text box with no place to break before it on
    its line may break anywhere, as its line's first box may (module docstring)."""
    from weasyprint.layout import inline, preferred
    with replaced([(inline, "split_inline_level", _wrapped(inline.split_inline_level)),
                   (preferred, "split_first_line", _measured_breakable(preferred.split_first_line))]):
        yield
