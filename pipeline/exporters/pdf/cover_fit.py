"""A book's cover on one page, whatever its title's length and the page's size.

The print theme's cover (`<section class="cover">`: the world, the title, a subtitle,
the authors) is sized for a title of a few words: a third of the way down the page,
the title at most 30 pt (40 pt on the compendium), scaled with the page by the theme's
CSS. A title may be 200 characters, and a print edition's trim as small as 50 mm
tall: 200 Latin letters on a 200 mm x 50 mm trim, or 200 Japanese characters on A5
(eighteen lines at 30 pt), set the cover over two or three pages, the subtitle and
the authors alone on theirs. How many lines a title takes is known only once it is
laid out (its script, its font, where its words break), so the cover is measured in
WeasyPrint's layout, not guessed from the title's length: when the cover's element
spans more than one page the book is laid out again with the cover's top padding
taken away and its title's size scaled to the room the overflow says is missing
(the title's height grows with the square of its size: lines times line height).
Only a book whose cover overflowed pays the second layout; a theme without a
`.cover` is left as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

TRIES = 3          # layouts after the first: the size is a measure, then a margin for rounding and wrapping
LEAST = 6.0        # CSS px (4.5 pt): a title smaller than this is not a title; no smaller
SPACE = 96 / 25.4  # CSS px: the millimetre shrink_css leaves under each of the cover's parts
SPARE = 0.92       # the size asks for a little less than the room found: a line more is a page more


@dataclass(frozen=True)
class Cover:
    """The cover as laid out: how many pages its element spans, the height its
    children take on all of them together and the first page's text height (CSS px),
    and its title's font size and height."""

    pages: int
    content: float
    spacing: float      # of `content`, the margins between its parts
    parts: int
    page: float
    title_size: float | None
    title_height: float


def _boxes(box: Any):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _classes(box: Any) -> set[str]:
    element = getattr(box, "element", None)
    if element is None:
        return set()
    return set((element.get("class") or "").split())


def measure(document: Any) -> Cover | None:
    """The first `.cover` section's layout in `document` (WeasyPrint's rendered
    Document), or None when the book has no cover. The cover is the book's first
    section: pages are read from the first to the cover's last, none after (a book
    whose first page has no cover is read no further)."""
    pages, content, spacing, parts, page_height, size, height = 0, 0.0, 0.0, 0, 0.0, None, 0.0
    for page in document.pages:
        covers = [b for b in _boxes(page._page_box) if b.element_tag == "section" and "cover" in _classes(b)]
        if not covers:   # past the cover, or a book that opens with none (a hero sheet): nothing more to read
            break
        pages += 1
        cover = covers[0]
        content += sum(child.margin_height() for child in cover.children)
        spacing += sum(child.margin_top + child.margin_bottom for child in cover.children)
        parts += len(cover.children)
        if pages == 1:
            page_height = page._page_box.height
        title = next((b for b in _boxes(cover) if b is not cover and "title" in _classes(b)), None)
        if title is not None and size is None:
            size = title.style["font_size"]
        if title is not None:
            height += title.margin_height()
    return Cover(pages, content, spacing, parts, page_height, size, height) if pages else None


def shrink_css(size: float) -> str:
    """The stylesheet that lays the cover out again with its title at `size` CSS px,
    no top padding and its parts' space between them a millimetre (the padding and the
    space are the room a short title leaves; on a page 50 mm tall the space alone, the
    authors' 40 mm above all, took the page)."""
    return (".cover { padding-top: 0 !important; } "
            ".cover > * { margin-top: 0 !important; margin-bottom: 1mm !important; } "
            f".cover .title {{ font-size: {size:.2f}px !important; }}")


def title_size(cover: Cover) -> float | None:
    """The title's size at which `cover` would fit its first page: what the cover's
    other parts leave of the page once shrink_css has closed the space between them,
    shared out to the title by the square root (its height is its lines times its
    line height, both proportional to its size). None when they leave no room: no
    title's size helps (a world's description of pages on the compendium's cover),
    and the book is not laid out again for nothing."""
    assert cover.title_size is not None
    others = cover.content - cover.title_height - cover.spacing + cover.parts * SPACE
    room = cover.page - others
    if room <= 0 or not cover.title_height:
        return None
    return max(LEAST, cover.title_size * min(1.0, math.sqrt(room / cover.title_height)) * SPARE)


def fit_cover(render, document: Any) -> Any:
    """`document` with its cover on one page: `render(css)` lays the book out again
    with the extra stylesheet `css` (a string) and returns the new document. Returns
    the first layout in which the cover is one page, or the last tried: at most
    TRIES more layouts, none when the cover's other parts fill the page alone."""
    cover = measure(document)
    tries = 0
    while cover is not None and cover.pages > 1 and cover.title_size is not None and tries < TRIES:
        size = title_size(cover)
        if size is None or (tries and cover.title_size <= LEAST):
            break
        if tries and size >= cover.title_size:
            size = max(LEAST, cover.title_size * 0.8)   # measured room, yet a page more: wrapping differs
        document = render(shrink_css(size))
        cover = measure(document)
        tries += 1
    return document
