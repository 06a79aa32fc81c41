"""A table a writer typed with more columns than its line holds, set small enough that
each cell holds its letters.

The print theme lays a prose table out fixed (`.prose table`, base.css): the line is
shared between its columns, and `overflow-wrap: anywhere` breaks a cell's words down to
a letter a line. A table of 40 one-word columns in a hero's background (a column of
~85 mm) leaves each cell ~6 pt, less than a letter of the 10.5 pt text: the letters
ran over the cells beside them and the last column's past the sheet's right margin.
How wide a cell is, and how wide its widest letter, are known only once laid out, so
they are measured in WeasyPrint's layout: a book with such a table is laid out once
more with each of those tables set smaller by the factor its tightest cell asks for
(never under LEAST). Only tables of MIN_COLUMNS columns or more are marked to be
measured (`data-hf-table="N"`: an attribute the sanitiser lets no writer's element carry,
where an id could be a heading's `{#…}`); a book without one keeps its bytes and pays no
measure.
"""

from __future__ import annotations

from typing import Any

from ..books.direction import rewrite_book

MIN_COLUMNS = 8     # fewer columns share even a 50 mm trim's line with a letter each to spare
LEAST = 6.0         # CSS px (4.5 pt): a table smaller than this is not read; no smaller
SPARE = 0.95        # a little less than the room measured: widths round, and letters differ
EPSILON = 0.5       # CSS px: rounding in layout never reaches this
ATTRIBUTE = "data-hf-table"
PREFIX = ATTRIBUTE + "="   # as the book's HTML writes it


def mark_wide_tables(html: str) -> str:
    """`html` (a whole book) with ATTRIBUTE on each table a writer typed (markdown-it writes
    it bare: `<table>`) of MIN_COLUMNS columns or more; `html` itself when none."""
    return rewrite_book(html, lambda text: "<table>" in text, _mark)


def _mark(document: Any) -> bool:
    marked = 0
    for table in document.iter("table"):
        if table.attrib:
            continue   # the theme's own tables carry a class: sized by the theme
        row = next(table.iter("tr"), None)
        if row is None or sum(1 for cell in row if cell.tag in ("th", "td")) < MIN_COLUMNS:
            continue
        marked += 1
        table.set(ATTRIBUTE, str(marked))
    return bool(marked)


def _boxes(box: Any):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def measure(document: Any) -> dict[str, tuple[float, float]]:
    """{table number (ATTRIBUTE): (its font size, the factor its tightest cell asks for)} for each marked
    table of `document` (WeasyPrint's rendered Document) a cell of which holds a piece of
    text wider than itself; {} when every cell holds its text."""
    from weasyprint.formatting_structure import boxes
    found: dict[str, tuple[float, float]] = {}
    for page in document.pages:
        for table in _boxes(page._page_box):
            element = getattr(table, "element", None)
            if not isinstance(table, boxes.TableBox) or element is None or not element.get(ATTRIBUTE):
                continue
            for cell in _boxes(table):
                if not isinstance(cell, boxes.TableCellBox) or not cell.width:
                    continue
                widest = max((t.width for t in _boxes(cell) if isinstance(t, boxes.TextBox) and t.text.strip()),
                             default=0.0)
                if widest > cell.width + EPSILON:
                    size, factor = found.get(element.get(ATTRIBUTE), (table.style["font_size"], 1.0))
                    found[element.get(ATTRIBUTE)] = (size, min(factor, cell.width / widest))
    return found


def shrink_css(found: dict[str, tuple[float, float]]) -> str:
    """The stylesheet that sets each table of `found` (measure) smaller by its factor."""
    return " ".join(f"table[{ATTRIBUTE}=\"{name}\"] {{ font-size: {max(LEAST, size * factor * SPARE):.2f}px !important; }}"
                    for name, (size, factor) in sorted(found.items()))


def fit_tables(render, document: Any, html: str | None = None) -> tuple[Any, str | None]:
    """(`document`, None) when every marked table's cells hold their text; else
    (`render(css)`: the book laid out again with those tables set smaller, css). One
    layout more, only for a book with a table too wide for its line. With `html` (the
    book `document` was laid out from), a book with no marked table is not walked."""
    if html is not None and PREFIX not in html:
        return document, None
    found = measure(document)
    if not found:
        return document, None
    css = shrink_css(found)
    return render(css), css
