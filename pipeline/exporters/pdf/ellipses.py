"""A line cut short by `line-clamp` ends its ellipsis inside its box.

WeasyPrint 70 adds a clamped block's ellipsis when it draws the last line it keeps
(draw/text.py, draw_first_line): it appends "…" to the line's text and drops the
last word while the line then wraps. Two things put the ellipsis past the box's
edge: the line was placed by its text-align from its width without the ellipsis, so
a line set flush right (the compendium's running head of an entry) grew to the
right by the ellipsis's width, 6-7 pt into the page's margin; and a line with no
word end to go back to (a long name broken anywhere, the rest of a word carried to
the second line) kept all its letters and ran on past the box.

After a book is laid out and before it is drawn, each such line is given its
ellipsis here: the text shortened until it and the ellipsis fit the room the line
has in its block (back to a word's end where there is one, as WeasyPrint does, else
by whole characters), the line placed again by its alignment, and the line no
longer marked for WeasyPrint to add another. A line that needs no ellipsis is not
touched, so books without a clamped line keep their bytes.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Iterator

from .rtl_line_ends import last_text_box


def place_ellipses(document: Any) -> None:
    """Give every clamped line of `document`'s laid-out pages its ellipsis, inside
    the block that holds the line (see the module's docstring)."""
    from weasyprint.formatting_structure import boxes
    for page in document.pages:
        for block, line in _clamped_lines(page._page_box, boxes):
            _end_inside(block, line, boxes)


def _clamped_lines(box: Any, boxes: Any) -> Iterator[tuple[Any, Any]]:
    """Each line box marked for a block ellipsis, with the block it is a line of."""
    stack = [box]
    while stack:
        parent = stack.pop()
        for child in getattr(parent, "children", ()):
            if isinstance(child, boxes.LineBox):
                if child.block_ellipsis != "none" and child.text_overflow != "ellipsis":
                    yield parent, child
            elif isinstance(child, boxes.ParentBox):
                stack.append(child)


def _end_inside(block: Any, line: Any, boxes: Any) -> None:
    from weasyprint.text.line_break import get_last_word_end

    text_box = last_text_box(line)
    if text_box is None or text_box.pango_layout is None or not text_box.text.strip():
        return   # WeasyPrint draws no ellipsis after it either
    ellipsis = "…" if line.block_ellipsis == "auto" else line.block_ellipsis[1]
    style = text_box.style
    layout = text_box.pango_layout
    layout.reactivate(style)
    text = layout.text
    lang = style["lang"]
    hyphen = style["hyphenate_character"]
    if hyphen and text.endswith(hyphen):
        # a hyphenated line ends at the last whole word before the ellipsis (WeasyPrint's rule)
        text = text[:-len(hyphen)]
        text = text[:get_last_word_end(text, lang) or len(text)]
    rtl = style["direction"] == "rtl"
    others = line.width - text_box.width     # what the line holds besides the text
    room = block.width - others
    # The longest of the line's shortenings that fits with its ellipsis, each shorter
    # than the one before, so their widths fall: found by halving, in a few layouts
    # where trying each in turn took one per letter (a project's theme clamping a
    # paragraph whose one word was 4,000 letters took 5 s, and grew as its square).
    cuts = _cuts(text, lang)
    widths: dict[int, float] = {}

    def fits(at: int) -> bool:
        widths[at] = _width(layout, style, text[:cuts[at]] + ellipsis)
        return widths[at] <= room

    low, high = 0, len(cuts) - 1          # the last cut is the empty text: kept if nothing fits
    while low < high:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle + 1
    text = text[:cuts[low]]
    width = widths[low] if low in widths else _width(layout, style, text + ellipsis)
    layout.set_text(text + ellipsis, justify=True)
    grown = width - text_box.width
    # the text is drawn from its box's left edge: in a right-to-left line the last
    # box (logically) is the leftmost one, and grows to the left
    if rtl:
        text_box.translate(-grown)
        line.position_x -= grown
    text_box.width = width
    line.width += grown
    line.translate(_shift(line, block, grown, rtl))
    line.block_ellipsis = "none"


def _shift(line: Any, block: Any, grown: float, rtl: bool) -> float:
    """How far the grown line moves to be where its alignment puts it: a line set
    flush with the side it grew on moves back by what it grew, a centred one by half
    of it, a line at the start where it grows away from stays; then, whatever the
    alignment, into its block where it fits."""
    align = line.style["text_align_all"]
    if align in ("left", "right"):
        align = "start" if (align == "left") != rtl else "end"
    grows_right = not rtl
    if align == "end":
        shift = -grown if grows_right else grown
    elif align == "center":
        shift = -grown / 2 if grows_right else grown / 2
    else:
        shift = 0.0
    left, right = block.content_box_x(), block.content_box_x() + block.width
    start = line.position_x + shift
    if start + line.width > right:
        shift -= start + line.width - right
        start = line.position_x + shift
    if start < left:
        shift += left - start
    return shift


def _width(layout: Any, style: Any, text: str) -> float:
    """The width `text` is drawn at on one line, in the text box's own layout."""
    from weasyprint.text.line_break import line_size
    layout.set_text(text, justify=True)
    line, _ = layout.get_first_line()
    return line_size(line, style)[0]


def _cuts(text: str, lang: str | None) -> list[int]:
    """The lengths `text` may be cut to, longest first: itself (but for a character
    the line's break left unfinished), then back to each word's end (as WeasyPrint
    shortens a clamped line), then, inside its first word, by whole characters
    (_character_starts), down to nothing."""
    from weasyprint.text.line_break import get_log_attrs
    attrs = get_log_attrs(text, lang) if len(text) > 1 else ()
    starts = _character_starts(text)
    # a word broken anywhere breaks between Pango's cursor positions, inside a conjunct
    # after its virama (or after an emoji's joiner): the line ended in "श्", the "र"
    # of its "श्र" on the next line; its ellipsis goes before that half character
    whole = starts[-1] if text and _unfinished(text[-1]) else len(text)
    ends = [at for at in range(whole - 1, 0, -1) if attrs[at].is_word_end]
    before = ends[-1] if ends else whole
    return [whole, *ends, *(at for at in reversed(starts) if at < before)]


def _unfinished(last: str) -> bool:
    """Whether a text ending in `last` ends inside a character: a virama, a joiner."""
    return unicodedata.combining(last) == 9 or last == "\u200d"


def _character_starts(text: str) -> list[int]:
    """Where each of `text`'s whole characters starts (graphemes.py, the cover's
    cuts: a letter with its marks, an emoji family or a flag in one piece, an Indic
    conjunct whole). Pango's cursor positions, which a line breaks between, stop inside
    a conjunct after its virama: "क्ष" was cut to "क्…", a consonant with a virama the
    word never showed."""
    from ...graphemes import clusters
    starts, at = [], 0
    for cluster in clusters(text):
        starts.append(at)
        at += len(cluster)
    return starts
