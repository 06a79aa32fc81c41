"""WeasyPrint's functions replaced while one book is written, put back after.

Eleven fixes need WeasyPrint to behave differently from its release (70) while a PDF is
made: /Lang on structure elements (structure_lang.py), math it fails on read as an
invalid value (css_math.py), its stylesheet warnings placed at the project's own
file (css_origin.py), /ActualText on text its glyph map cannot spell back
(actual_text.py), a joined script's word broken to fit that fits as drawn
(joined_breaks.py), a word glued to a bracket broken as a line's first word is
(glued_breaks.py), a text's lines (of the page and of its min-content width)
found in time linear in its length (min_content.py), a column flex item's cross
size measured on its page's share (flex_cross.py), a right-to-left line's
stripped end drawn where it is placed (rtl_line_ends.py), the shipped theme's
`mirrored` page weighing no more than a page's side (mirrored_page.py), and
a text-transform never making a letter no font prints (capital_forms.py). Each names the
attributes it replaces; this module is the one place that sets them and puts every
one back, in reverse order, however the block ends, so nothing outside a book's writing sees a replaced function. A WeasyPrint
upgrade must re-check the names each module replaces (they are private ones).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator


@contextmanager
def replaced(attributes: Iterable[tuple[Any, str, Any]]) -> Iterator[None]:
    """Set each `(owner, name, value)` (a module or object, an attribute's name, the
    value it holds while the block runs) and restore the originals when the block
    ends, also on an exception. Builds write one book at a time in a process, so the
    attributes are the process's for the block's length."""
    kept: list[tuple[Any, str, Any]] = []
    try:
        for owner, name, value in attributes:
            kept.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, original in reversed(kept):
            setattr(owner, name, original)
