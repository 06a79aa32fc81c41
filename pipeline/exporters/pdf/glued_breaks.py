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
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

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
                and box.style["white_space"] in ("normal", "pre-wrap", "pre-line") and _glued(line_children, box, skip_stack)):
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


@contextmanager
def glued_words_break() -> Iterator[None]:
    """While the block lays a book out, a text box with no place to break before it on
    its line may break anywhere, as its line's first box may (module docstring)."""
    from weasyprint.layout import inline
    with replaced([(inline, "split_inline_level", _wrapped(inline.split_inline_level))]):
        yield
