"""A column flex item's cross size found from what its page holds, not its whole rest.

WeasyPrint 70 finds each flex item's hypothetical cross size (layout/flex.py, step 7)
by laying the item out with no bottom (`bottom_space=-inf`): all of its remaining
content, on every page the flex container spans. The hero sheet is a flex column
(print/css/sheet.css: the notes take the page's rest), so a background of n lines over
p pages was laid out p times whole: a 65,000-character CJK background (~30 pages) took
80 CPU-s of the sheet, near the render's 120 s budget (HF0710), 77 % of it there.

In a column the cross size is the item's width, which its content does not set (a
block's width comes from its container), and its baseline is its first line's: the
page's share of the content gives both. While a book is laid out, that one layout in a
column flex is bounded by the container's own bottom; rows are left to WeasyPrint (a
row's cross size is the item's height, which the whole content does set).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from math import inf
from typing import Any, Iterator

from .weasy_patches import replaced

_BOTTOM: ContextVar[float | None] = ContextVar("column_flex_bottom", default=None)


def _flex(flex_layout: Any) -> Any:
    def layout(context, box, bottom_space, *args, **kwargs):
        column = str(box.style["flex_direction"]).startswith("column")
        token = _BOTTOM.set(bottom_space if column else None)
        try:
            return flex_layout(context, box, bottom_space, *args, **kwargs)
        finally:
            _BOTTOM.reset(token)
    return layout


def _switch(block_level_layout_switch: Any) -> Any:
    def switch(context, box, bottom_space, *args, **kwargs):
        bottom = _BOTTOM.get()
        if bottom is None:
            return block_level_layout_switch(context, box, bottom_space, *args, **kwargs)
        # the flex's own call (step 7) is the one asking with no bottom; what it lays out
        # inside is WeasyPrint's as ever
        token = _BOTTOM.set(None)
        try:
            return block_level_layout_switch(context, box, bottom if bottom_space == -inf else bottom_space,
                                             *args, **kwargs)
        finally:
            _BOTTOM.reset(token)
    return switch


@contextmanager
def column_flex_bounded() -> Iterator[None]:
    """While the block lays a book out, a column flex item's cross size is measured on
    its page's share of its content (module docstring)."""
    from weasyprint.layout import block, flex, inline
    wrapped = _flex(flex.flex_layout)
    with replaced([(flex, "flex_layout", wrapped), (block, "flex_layout", wrapped), (inline, "flex_layout", wrapped),
                   (block, "block_level_layout_switch", _switch(block.block_level_layout_switch))]):
        yield
