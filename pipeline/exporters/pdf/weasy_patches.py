"""WeasyPrint's functions replaced while one book is written, put back after.

Twelve fixes need WeasyPrint to behave differently from its release (70) while a PDF is
made: /Lang on structure elements (structure_lang.py), math it fails on read as an
invalid value (css_math.py), a backward `unicode-range` refused (css_ranges.py), its stylesheet warnings placed at the project's own
file (css_origin.py), /ActualText on text its glyph map cannot spell back
(actual_text.py), a joined script's word broken to fit that fits as drawn
(joined_breaks.py), a word glued to a bracket broken as a line's first word is, and
a text after markup measured for a column as breakable as a line's first (glued_breaks.py), a text's lines (of the page and of its min-content width)
found in time linear in its length (min_content.py), a column flex item's cross
size measured on its page's share (flex_cross.py), a right-to-left line's
stripped end drawn where it is placed (rtl_line_ends.py), the shipped theme's
`mirrored` page weighing no more than a page's side (mirrored_page.py), and
a text-transform never making a letter no font prints (capital_forms.py). Each names the
attributes it replaces; this module is the one place that sets them and puts every
one back (its first value, by one call a time limit cannot stop halfway), however the block ends, so nothing outside a book's writing sees a replaced function. A WeasyPrint
upgrade must re-check the names each module replaces (they are private ones).
"""

from __future__ import annotations

from collections import deque
from contextlib import contextmanager
from functools import partial
from itertools import starmap
from typing import Any, Iterable, Iterator


@contextmanager
def replaced(attributes: Iterable[tuple[Any, str, Any]]) -> Iterator[None]:
    """Set each `(owner, name, value)` (a module or object, an attribute's name, the
    value it holds while the block runs) and restore the originals when the block
    ends, also on an exception. Builds write one book at a time in a process, so the
    attributes are the process's for the block's length."""
    kept: list[tuple[Any, str, Any]] = []   # (owner, name, original), each attribute once: any order puts it back
    held: set[tuple[int, str]] = set()
    # Put back by one call made ready here, which runs in C to its end: a render's time
    # limit stops it again every REFIRE seconds once over budget (budget.py), and a Python
    # loop in the `finally` was a place the next stop arrives (a signal handler or the
    # watchdog's asynchronous exception run between two bytecodes): it left the rest of
    # WeasyPrint replaced for good, the last book's closures drawing every later book of a
    # render worker or `foundry serve`. The iterator reads `kept` as it is when called.
    put_back = partial(deque, starmap(setattr, kept), 0)
    try:
        for owner, name, value in attributes:
            if (id(owner), name) not in held:   # replaced twice: its original is what it held first
                held.add((id(owner), name))
                kept.append((owner, name, getattr(owner, name)))
            setattr(owner, name, value)
        yield
    finally:
        put_back()
