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
spans more than one page the book is laid out again with the cover's top padding and
the space between its parts taken away and every part (the world's name, the title,
the subtitle, the authors, the compendium's description) set smaller by one factor,
from the room the page leaves (a part's height grows with the square of its size:
lines times line height). The size is found on the cover laid out alone (a page or
two), and only a book whose cover overflowed pays one more layout of itself; a
cover that would not fit at the least size (200 Japanese characters of world and 200
of title on a 50 mm square) is left as the theme sets it; a theme without a `.cover`
is left as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

TRIES = 3          # layouts after the first: the size is a measure, then a margin for rounding and wrapping
LEAST = 6.0        # CSS px (4.5 pt): a part smaller than this is not read; no smaller
SPACE = 96 / 25.4  # CSS px: the millimetre shrink_css leaves under each of the cover's parts
SPARE = 0.92       # the scale asks for a little less than the room found: a line more is a page more


@dataclass(frozen=True)
class Part:
    """One child element of the cover (`nth`: its place among the cover's elements,
    1-based, as :nth-child counts), its font size and the height it takes on all the
    pages it is on, of which `spacing` is its margins (CSS px)."""

    nth: int
    size: float
    height: float
    spacing: float


@dataclass(frozen=True)
class Cover:
    """The cover as laid out: how many pages its element spans, its first page's
    text height (CSS px), and its parts."""

    pages: int
    page: float
    parts: tuple[Part, ...]


def _boxes(box: Any):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _is_cover(box: Any) -> bool:
    element = getattr(box, "element", None)
    return (element is not None and getattr(box, "element_tag", None) == "section"
            and "cover" in (element.get("class") or "").split())


def measure(document: Any) -> Cover | None:
    """The first `.cover` section's layout in `document` (WeasyPrint's rendered
    Document), or None when the book has no cover. The cover is the book's first
    section: pages are read from the first to the cover's last, none after (a book
    whose first page has no cover is read no further)."""
    pages, page_height = 0, 0.0
    parts: dict[int, list[float]] = {}
    for page in document.pages:
        cover = next((b for b in _boxes(page._page_box) if _is_cover(b)), None)
        if cover is None:   # past the cover, or a book that opens with none (a hero sheet): nothing more to read
            break
        pages += 1
        if pages == 1:
            page_height = page._page_box.height
        elements = [e for e in cover.element if isinstance(e.tag, str)]
        for child in cover.children:
            if getattr(child, "element", None) is None or child.element not in elements:
                continue
            part = parts.setdefault(elements.index(child.element) + 1, [child.style["font_size"], 0.0, 0.0])
            part[1] += child.margin_height()
            part[2] += child.margin_top + child.margin_bottom
    if not pages:
        return None
    return Cover(pages, page_height, tuple(Part(nth, *values) for nth, values in sorted(parts.items())))


def scale(cover: Cover) -> float | None:
    """How much smaller every part of `cover` is set for it to fit its first page,
    once shrink_css has closed the space between them: each part's height is its lines
    times its line height, both proportional to its size, so the text's height goes
    with the square of the scale. None when no scale would do: the parts' spaces alone
    fill the page, or the parts at the least size (LEAST) would not fit it either."""
    room = cover.page - len(cover.parts) * SPACE
    text = sum(part.height - part.spacing for part in cover.parts)
    if room <= 0 or text <= 0:
        return None
    factor = min(1.0, math.sqrt(room / text)) * SPARE
    # a part that would be set under LEAST is set at LEAST, and takes more room than
    # the square says: when the cover would not fit even so, no layout is tried
    needed = sum((part.height - part.spacing) * (max(LEAST, part.size * factor) / part.size) ** 2
                 for part in cover.parts if part.size > 0)
    return factor if needed <= room else None


def shrink_css(cover: Cover, factor: float) -> str:
    """The stylesheet that lays the cover out again with each part's size times
    `factor` (never under LEAST), no top padding and a millimetre under each part (the
    padding and the space are the room a short title leaves; on a page 50 mm tall the
    space alone, the authors' 40 mm above all, took the page)."""
    rules = [".cover { padding-top: 0 !important; }",
             ".cover > * { margin-top: 0 !important; margin-bottom: 1mm !important; }"]
    rules += [f".cover > :nth-child({part.nth}) {{ font-size: {max(LEAST, part.size * factor):.2f}px !important; }}"
              for part in cover.parts]
    return " ".join(rules)


def cover_alone(html: str) -> str | None:
    """`html` (a whole book) cut after its first `.cover` section: the cover laid out
    on its own, as it is in the book (it is the book's first section; what follows it
    starts on a page of its own). None when there is no cover."""
    if "cover" not in html:
        return None
    import lxml.html
    document = lxml.html.document_fromstring(html)
    found = document.xpath("//section[contains(concat(' ', normalize-space(@class), ' '), ' cover ')]")
    if not found:
        return None
    node = found[0]
    while node is not None and node.tag != "html":
        for after in list(node.itersiblings()):
            node.getparent().remove(after)
        node = node.getparent()
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def fit_cover(render, document: Any, render_cover=None) -> Any:
    """`document` with its cover on one page: `render(css)` lays the book out again
    with the extra stylesheet `css` (a string) and returns the new document;
    `render_cover(css)` lays out the cover alone (cover_alone), a page or two where the
    book may be thousands: the size is found with it, and the book laid out once more
    with the size found (a compendium of 10,000 heroes paid four layouts for a long
    world's name otherwise). Returns that layout when its cover is one page, or
    `document` itself when no size fits (none tried when none would: see `scale`)."""
    first, cover = document, measure(document)
    tries, css = 0, None
    trial = render_cover or render
    while cover is not None and cover.pages > 1 and cover.parts and tries < TRIES:
        factor = scale(cover)
        if factor is None:
            break
        if tries and factor >= SPARE:
            factor = 0.8    # measured room, yet a page more: wrapping differs; smaller still
        css = shrink_css(cover, factor)
        document = trial(css)
        cover = measure(document)
        tries += 1
    if cover is None or cover.pages > 1 or css is None:
        # a cover that no size fits is left as the theme sets it, readable, not made small for nothing
        return first
    if render_cover is None:
        return document
    book = render(css)
    again = measure(book)
    return book if again is None or again.pages <= 1 else first
