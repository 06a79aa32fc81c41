"""A right-to-left justified line that ends before an inline element keeps to its box.

WeasyPrint 70 removes the space at a line's end (layout/inline.py,
remove_last_whitespace) by giving its text box the stripped text and width but
keeping the box's Pango layout, which still holds the space; in a right-to-left line
that space is drawn at the text's left, so it moves the line's boxes left by its
width to make up for it. Justifying the line (add_word_spacing) then lays the text
out again from the stripped text, with no space at its left, and the make-up is left
over: the whole line was drawn a space's width (3.2 pt) left of where it belongs, its
last word past the box's left edge and its first short of the right one. In Arabic
or Hebrew prose (`.prose p` is justified) that is every line broken at a space before
an element of its own — emphasis, a link, code — such as a long word in bold pushed to
the next line; HF1139 said "runs 3.2 pt past the edge of its box", about nothing the
writer could change.

While a book is laid out, remove_last_whitespace is wrapped: when it has stripped a
right-to-left text box's last spaces, the box is given the stripped text's own layout
(the one WeasyPrint measured it with) and the boxes are put back, so it is drawn
where it is placed whether or not the line is justified. Left-to-right lines, whose
space is at the text's end, are left as they were.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from .weasy_patches import replaced


def last_text_box(line: Any) -> Any:
    """The box whose spaces remove_last_whitespace strips, and the one WeasyPrint draws a
    clamped line's ellipsis after (ellipses.py): the line's last child, down through its
    inline boxes (as WeasyPrint walks it), when that is text; else None."""
    from weasyprint.formatting_structure import boxes
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        if not box.children:
            return None
        box = box.children[-1]
    return box if isinstance(box, boxes.TextBox) else None


def _drawn_as_placed(remove: Any) -> Any:
    from weasyprint.layout.inline import split_text_box

    def remove_last_whitespace(context: Any, line: Any) -> None:
        box = last_text_box(line)
        if box is None or box.pango_layout is None or not box.pango_layout.first_line_direction % 2:
            return remove(context, line)
        text, width, layout = box.text, box.width, box.pango_layout
        remove(context, line)
        if not box.text or box.text == text or box.pango_layout is not layout:
            return None
        stripped, _, _ = split_text_box(context, box, None, 0)
        if stripped is None:
            return None
        # the text is drawn from the box's left edge now, not a space's width into
        # it: the box alone goes where its letters were (the line's other boxes, and
        # the inline boxes around it, stay where WeasyPrint moved them)
        box.pango_layout = stripped.pango_layout
        box.translate(dx=width - box.width, ignore_floats=True)
        return None
    return remove_last_whitespace


@contextmanager
def rtl_line_ends_placed() -> Iterator[None]:
    """While the block lays a book out, a right-to-left line's stripped end is drawn
    where it is placed (see the module's docstring)."""
    from weasyprint.layout import inline
    with replaced([(inline, "remove_last_whitespace", _drawn_as_placed(inline.remove_last_whitespace))]):
        yield
