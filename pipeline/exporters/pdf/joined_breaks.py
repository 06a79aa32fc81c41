"""A joined script's word broken to fit its line fits the line it is set on.

The print theme sets `overflow-wrap: anywhere`, so a word wider than its line (a
narrow table cell, a small trim) is broken between two letters. WeasyPrint 70 finds
the break by laying the whole text out with Pango's character wrapping, where each
letter is shaped among its neighbours, and then lays out the piece before the break
on its own (text/line_break.py, split_first_line, its "TODO: shaping characters"):
in Arabic (and Syriac, N'Ko, Mongolian, Adlam…) the piece's last letter then takes
its final form, which is wider than the medial one it was measured as. The line came
out wider than its box: an Arabic word in a table cell 51 pt wide on a 50 mm trim
ran 3.7 pt past the cell, over its neighbour's padding and towards the page's edge.

While a book is laid out, layout/inline.py's split_first_line is wrapped: when a
line broken inside a word of such a script comes out wider than the room it was
given, it is broken again with that room made smaller by the excess (doubled while
the break does not move), four times at most (each try a Pango layout of the line's
text, as WeasyPrint's own steps are), so the piece as drawn fits. Lines of other scripts, and lines that fit, are left to
WeasyPrint untouched; a word no break can fit (one letter wider than the line) is
left as WeasyPrint sets it.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from .weasy_patches import replaced

# Scripts whose letters join and change form by their neighbours: Syriac, Arabic (and
# its supplements and presentation forms), Thaana's neighbour N'Ko, Mongolian, Adlam,
# Hanifi Rohingya, Sogdian, Manichaean, Psalter Pahlavi, Mandaic.
_JOINING = re.compile("[\u0600-\u06ff\u0700-\u074f\u0750-\u077f\u07c0-\u07ff\u0840-\u085f\u0860-\u08ff"
                      "\u1800-\u18af\ufb50-\ufdff\ufe70-\ufeff\U00010ac0-\U00010aff\U00010b80-\U00010baf"
                      "\U00010d00-\U00010d3f\U00010f30-\U00010f6f\U0001e900-\U0001e95f]")
TRIES = 4           # each a Pango layout of the line: the excess doubled, a letter's width is lost by the third
EPSILON = 0.01      # CSS px: rounding, not a letter


def _refitting(split):
    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        result = split(text, style, context, max_width, justification_spacing, is_line_start=is_line_start,
                       minimum=minimum)
        width, resume = result[3], result[2]
        if (resume is None or max_width is None or width <= max_width + EPSILON or not is_line_start
                or style["overflow_wrap"] not in ("anywhere", "break-word")):
            return result
        piece = text.encode()[:result[1]].decode(errors="ignore")
        if not piece or _JOINING.search(piece[-1:]) is None:
            return result
        # Pango breaks where the letters fit as shaped in context: the room is made
        # smaller by the excess, doubled each time the break does not move (a piece a
        # hair too wide breaks at the same letter until the room loses a letter's width)
        shrink = width - max_width
        for _ in range(TRIES):
            if shrink >= max_width:
                break
            again = split(text, style, context, max_width - shrink, justification_spacing,
                          is_line_start=is_line_start, minimum=minimum)
            if again[2] is None or again[1] <= 0:
                break
            if again[3] <= max_width + EPSILON:
                return again
            shrink = max(2 * shrink, shrink + again[3] - max_width)
        return result
    return split_first_line


@contextmanager
def joined_breaks_fit() -> Iterator[None]:
    """While the block lays a book out, a line broken inside a joined script's word
    is broken again until it fits its room (see the module's docstring)."""
    from weasyprint.layout import inline
    with replaced([(inline, "split_first_line", _refitting(inline.split_first_line))]):
        yield
