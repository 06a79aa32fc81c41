"""Text that overflows its box in a laid-out PDF, found in WeasyPrint's own layout.

After `HTML.render()` WeasyPrint keeps every page's box tree: block boxes, table
cells, line boxes and the text boxes inside them, each with its position and width
in CSS pixels. A text box is *overflowing* when it starts inside the boxes that
contain it but ends beyond the nearest of their edges (the right edge in
left-to-right text, the left edge in right-to-left text): a `white-space: nowrap`
heading or label too long for its column, a word in a table cell that widened the
table past the page, a fixed-layout cell whose text runs into the next one. A box
that *starts* beyond the edge was only pushed there by such a culprit (or with its
whole line: a table's next cell), and is not reported again; words on a line that
began inside, drawn past the edge after a box that ended at it, are that line's
overflow. A line's trailing space hangs past the edge and draws nothing: a box ending
in one is measured to its letters' ink. A line no box pushed but set outside the page's text area with its
box (WeasyPrint places a box with auto side margins in a right-to-left container
past the right edge) counts too, once. Page-margin boxes (running heads, folios) are
the theme's, not content, and are left out.

The print theme sets `overflow-wrap: anywhere`, so most text that would overflow is
instead broken inside a word, where no hyphenation point is (`Llanfairpwll|gwyngyll`,
`Stre|ngth` in a squeezed column). That is the same fault made visible another way, so
a line that ends inside a word — a letter at the end of one line, a letter at the
start of the next, both halves one word of the element's text, no hyphen — counts
too. Scripts written without spaces (CJK, Thai, Lao, Khmer, Myanmar) break between
letters by design and are left out. A number counts as a word: a writer's number of
60 digits broken between two of them prints as two numbers. (They were left out as a
squeezed score's symptom; the sheets' scores and stats print whole now, at any size the
rules allow: tests/books/test_long_numbers.py.)

Measured, not estimated: the same layout the PDF is written from, so fonts,
hyphenation, `overflow-wrap` and the theme's CSS all count. Comparing string
lengths to a column's character budget would miss all of them.

Each overflow is then matched to the content line it prints (by its letters and
digits, so quotes, dashes and a hyphen added at a line break do not matter), and
reported as HF1139 at that line: the pseudo-locale (`en-XA`, ~35% longer) finds
these before a translator is paid, and an overflow is a bug in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from ...diagnostics import Span

EPSILON = 1.0   # CSS px (0.75 pt): rounding in layout never reaches this


@dataclass(frozen=True)
class Overflow:
    """One text box past its container (`by` how far past the edge, in points:
    1 pt = 1/72 in), a line set outside the page's text area with its box (`off_page`,
    `by` how far outside), or a word broken to fit (`word` the word, `by` 0). `text`
    is what that line prints; `page` is 1-based."""

    text: str
    page: int
    by: float
    word: str = ""
    # set outside the page's text area with its box (_off_page): nothing in it is past
    # its box, so the fix is where the box is placed, not the text's length
    off_page: bool = False
    # the entry it is printed in: the id of the nearest element the print theme names
    # for one ('hero-aria', 'story-fog-road': ENTRY_ID), "" when none
    entry: str = ""
    # the text of the nearest table or list it is printed in ("" when none): a cell or an
    # item holding one word alone is told by it from a heading of that word
    context: str = ""
    # set off the page (off_page) in a table a writer typed: the table is wider than the
    # line even set at its smallest (pdf/table_fit.py), which only fewer columns mend
    typed_table: bool = False
    # set off the page (off_page) is a list's marker ("1.", "•"), not its item's words:
    # `text` is then the item's own text (the line it is said at), this the marker. An
    # item in the other direction than its list hangs its marker on its own start side,
    # where the list keeps no room; the marker's "1." alone was said at a content line
    # holding a 1 ('requires: "level >= 1"'), with a hint about centring boxes
    marker: str = ""


# The ids the print theme gives an entry's element (macros.html.j2), by which a line is
# known to be printed in that hero's, character's, quest's or story's part of the book.
ENTRY_ID = re.compile(r"(hero|character|quest|story)-(.+)")


def find_overflows(document: Any) -> list[Overflow]:
    """Every overflowing text box of a rendered WeasyPrint `Document`, page by page,
    in reading order; one per printed line."""
    from weasyprint.formatting_structure import boxes

    found: list[Overflow] = []
    entry = [""]   # the entry the walk is inside (Overflow.entry)
    context = [""]   # the table's or list's text the walk is inside (Overflow.context)
    typed = [False]  # whether the walk is inside a table a writer typed (Overflow.typed_table)

    def walk(box: Any, left: float, right: float, page: int, broken: str = "") -> None:
        if isinstance(box, boxes.MarginBox):
            return
        element = getattr(box, "element", None)
        named = element.get("id") if element is not None and not isinstance(box, boxes.InlineLevelBox) else None
        named = named if named and ENTRY_ID.fullmatch(named) else None
        around = (" ".join("".join(element.itertext()).split()) if element is not None
                  and getattr(box, "element_tag", None) in _CONTEXTS
                  and isinstance(box, (boxes.TableBox, boxes.BlockBox)) else None)
        if named is None and around is None:
            _walk(box, left, right, page, broken)
            return
        saved = entry[0], context[0], typed[0]
        entry[0], context[0] = named or entry[0], context[0] if around is None else around
        # the theme's own tables carry a class; markdown writes a writer's bare
        typed[0] = typed[0] or (around is not None and box.element_tag == "table" and not element.get("class"))
        try:
            _walk(box, left, right, page, broken)
        finally:
            entry[0], context[0], typed[0] = saved

    def _walk(box: Any, left: float, right: float, page: int, broken: str) -> None:
        if isinstance(box, boxes.LineBox):
            piece = letters(_printed(box, boxes.TextBox)) if broken else ""
            if piece and piece in broken:
                return   # a piece of the word said broken: one fault (see below)
            _line(box, left, right, page) or _off_page(box, page)
            _inline_blocks(box, page)
            return
        lines = [c for c in getattr(box, "children", ()) if isinstance(c, boxes.LineBox)]
        # Every word the block breaks: a title of two long words on a small page
        # ('Shipwrecked' and 'Lighthouse') was said of its first only, and the second
        # came up after the writer fixed it. One Overflow a word; report_overflows says
        # the words of one line in one warning.
        words = list(dict.fromkeys(w for first, second in zip(lines, lines[1:])
                                   if (w := _broken_word(first, second, boxes.TextBox))))
        if words:
            printed = " ".join(_printed(line, boxes.TextBox) for line in lines)
            found.extend(Overflow(printed, page, 0.0, word, entry=entry[0], context=context[0]) for word in words)
            # A piece of a joined script's word cut to fit is measured in its joined
            # shapes and drawn in the cut ones: an Arabic word broken over lines set
            # each piece 1-3 pt past the column, said again as 'runs past the edge'
            # at the same line. A line that is only a piece of a broken word is that
            # one fault, said once.
            broken = "\0".join(letters(word) for word in words)
        if isinstance(box, (boxes.BlockContainerBox, boxes.TableBox, boxes.PageBox)) and _sized(box):
            left = max(left, box.position_x) if not isinstance(box, boxes.PageBox) else box.content_box_x()
            edge = box.position_x + box.margin_width() if not isinstance(box, boxes.PageBox) else \
                box.content_box_x() + box.width
            right = min(right, edge)
        for child in getattr(box, "children", ()):
            walk(child, left, right, page, broken if isinstance(child, boxes.LineBox) else "")

    def _inline_blocks(line: Any, page: int) -> None:
        """The words broken in the inline blocks of `line`, each laid out in lines of its
        own (a gamebook's "turn to 27", placed whole and wrapping inside when longer than
        the line): the walk does not enter a line's boxes, and a catalog's long words
        for "turn to" were broken there with nothing said. Their text boxes past the
        edge are the line's own (`_line`)."""
        for inner in _texts(line, boxes.InlineBlockBox):
            lines = [c for c in inner.children if isinstance(c, boxes.LineBox)]
            words = list(dict.fromkeys(w for first, second in zip(lines, lines[1:])
                                       if (w := _broken_word(first, second, boxes.TextBox))))
            printed = " ".join(_printed(inner_line, boxes.TextBox) for inner_line in lines)
            found.extend(Overflow(printed, page, 0.0, word, entry=entry[0], context=context[0]) for word in words)

    def _line(line: Any, left: float, right: float, page: int) -> bool:
        texts = list(_texts(line, boxes.TextBox))
        started = False   # an earlier box of the line that draws starts inside the edge
        for k, text_box in enumerate(texts):
            start, end = _extent(texts, k, left, right)
            rtl = text_box.style["direction"] == "rtl"
            # A box that starts past the edge was pushed there: by a culprit said before
            # it, or with its whole line (a table's next cell). Words on a line that
            # began inside are its line's own: the box before them ended at the edge,
            # within EPSILON ('Lantern with ' filling a nowrap label), and they were
            # drawn past it with nothing said. (An empty box draws nothing: WeasyPrint
            # leaves one at the end of a right-to-left line of leader dots, past its edge.)
            ran_on = started and _drawn(text_box.text)
            if not rtl and (start < right - EPSILON or ran_on) and end > right + EPSILON:
                found.append(Overflow(_printed(line, boxes.TextBox), page, round((end - right) * 0.75, 1),
                                      entry=entry[0], context=context[0]))
                return True
            if rtl and (end > left + EPSILON or ran_on) and start < left - EPSILON:
                found.append(Overflow(_printed(line, boxes.TextBox), page, round((left - start) * 0.75, 1),
                                      entry=entry[0], context=context[0]))
                return True
            started = started or (_drawn(text_box.text) and (end > left + EPSILON if rtl else start < right - EPSILON))
        return False

    def _off_page(line: Any, page: int) -> None:
        """A line no box pushed past its edge but set, with its box, outside the page's
        text area: WeasyPrint puts a box with auto side margins in a right-to-left
        container past the right edge (a project theme's `margin: 0 auto`), and the
        text inside fits its box. Its words print in the margin or off the paper."""
        texts = list(_texts(line, boxes.TextBox))
        # measured as _line measures: a code line's run of tabs where `pre-wrap` broke it
        # hangs past the page (2,500 pt of tabs after 'name', nothing drawn there) and
        # was said to be set off the paper with its box
        extents = [_extent(texts, k, page_left[0], page_right[0]) for k, t in enumerate(texts) if t.text.strip()]
        if not extents:
            return
        start = min(start for start, _ in extents)
        end = max(end for _, end in extents)
        by = max(page_left[0] - start, end - page_right[0])
        if by <= EPSILON:
            return
        item = line.element if str(getattr(line, "element_tag", "")).endswith("::marker") else None
        if item is not None and (own := _item_text(item)):
            found.append(Overflow(own, page, round(by * 0.75, 1), off_page=True, entry=entry[0],
                                  context=context[0], marker=_printed(line, boxes.TextBox)))
            return
        found.append(Overflow(_printed(line, boxes.TextBox), page, round(by * 0.75, 1), off_page=True,
                              entry=entry[0], typed_table=typed[0]))

    page_left, page_right = [0.0], [0.0]
    for number, page in enumerate(document.pages, 1):
        root = page._page_box   # WeasyPrint keeps the laid-out tree here (the PDF finisher reads it too)
        page_left[0], page_right[0] = root.content_box_x(), root.content_box_x() + root.width
        walk(root, float("-inf"), float("inf"), number)
    return found


# Elements whose text tells which content line a cell or an item is printed from.
_CONTEXTS = frozenset({"table", "ul", "ol"})


def _item_text(item: Any) -> str:
    """A list item's own words, without those of the lists nested in it (each item of
    those is a line of its own): what its marker numbers. A loose item's (paragraphs in
    it) is its first paragraph's, the line the marker stands beside."""
    first = item[0] if len(item) and not (item.text or "").strip() else None
    if first is not None and first.tag == "p":
        return " ".join("".join(first.itertext()).split())
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ul", "ol"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _broken_word(first: Any, second: Any, text_type: type) -> str:
    """The word broken between two consecutive lines of one block, or "" when the
    break is at a space, a hyphen, or between letters of a script without spaces."""
    # a <wbr> is a box of its own holding a zero-width space (WeasyPrint's wbr::before): a
    # break the print side added there (books/word_breaks.py) still breaks the writer's word
    ends = [box for box in _texts(first, text_type) if box.text.strip("\u200b")]
    starts = [box for box in _texts(second, text_type) if box.text.strip("\u200b")]
    if not ends or not starts or ends[-1].element is None:
        return ""
    tail, head = ends[-1].text, starts[0].text
    if not tail or not head or tail[-1].isspace() or head[0].isspace():
        return ""
    if not (_breakable_inside(tail[-1]) and _breakable_inside(head[0])):
        return ""
    left, right = tail.split()[-1], head.split()[0]
    # the block's text, not the text box's element: a word written across inline markup
    # (`**Brrr…**rrr…`, broken where the markup meets it: books/word_breaks.py) is in no
    # one inline element whole
    holder = first.element if getattr(first, "element", None) is not None else ends[-1].element
    whole = " ".join("".join(holder.itertext()).split())
    # compared without case: a text box holds its text as printed, after the theme's
    # text-transform, so a label set in capitals (a relationship kind, a section's
    # name) broken mid-word matched no word of its element and went unsaid
    joined = (left + right).casefold()
    word = next((w for w in whole.split() if joined in w.casefold()), "")
    # a word of digits alone counts: a writer's long number broken without a mark reads as two numbers
    return word if any(c.isalnum() for c in word) else ""


def _breakable_inside(char: str) -> bool:
    """A letter or digit of a script that puts spaces between words."""
    if not char.isalnum():
        return False
    code = ord(char)
    no_spaces = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x2E80, 0x9FFF), (0xAC00, 0xD7AF),
                 (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))   # Thai, Lao, Myanmar, Khmer, CJK, Hangul
    return not any(lo <= code <= hi for lo, hi in no_spaces)


def _extent(texts: list, k: int, left: float, right: float) -> tuple[float, float]:
    """(start, end) of `texts[k]` (the text boxes of one line, in order), in CSS px: its
    box, or, when that reaches past `left` or `right` and it is the line's trailing
    white space (no later box of the line draws), what it draws (_inked). Only the
    line's trailing space hangs: one that words follow on the line (a kept space before
    an emphasis, `white-space: pre` or `nowrap`) pushed them past the edge, and the box
    after it starts there, never said."""
    text_box = texts[k]
    start, end = text_box.position_x, text_box.position_x + text_box.width
    if (start < left - EPSILON or end > right + EPSILON) and text_box.text[-1:].isspace() \
            and not any(_drawn(later.text) for later in texts[k + 1:]):
        return _inked(text_box)
    return start, end


def _inked(text_box: Any) -> tuple[float, float]:
    """(start, end) of what `text_box` draws, in CSS px, for a box whose text ends in a
    space WeasyPrint kept: a no-break space where `overflow-wrap: anywhere` broke a run
    of words a writer joined with them ('road\u00a0|and'), or a space `white-space` keeps.
    Pango lets a line's trailing white space hang past its edge, and the box holds it:
    a table cell's line ending 'road\u00a0' was said to run 0.8 pt past its box, with
    nothing drawn there. The ink of its letters is what shows (none: nothing drawn)."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    layout = text_box.pango_layout
    asleep = not hasattr(layout, "layout")   # WeasyPrint drops a laid-out box's Pango layout
    if asleep:
        layout.reactivate(text_box.style)
    try:
        line, _ = layout.get_first_line()
        ink = ffi.new("PangoRectangle *")
        pango.pango_layout_line_get_extents(line, ink, ffi.NULL)
        x, width = ink.x * FROM_UNITS, ink.width * FROM_UNITS
    finally:
        if asleep:
            layout.deactivate()
    if width <= 0:
        return text_box.position_x, text_box.position_x
    return text_box.position_x + x, text_box.position_x + x + width


def _drawn(text: str) -> bool:
    """Whether `text` has a character that draws (not only spaces or the zero-width
    space of a `<wbr>`)."""
    return bool(text.replace("\u200b", "").strip())


def _sized(box: Any) -> bool:
    return isinstance(box.width, (int, float)) and isinstance(box.position_x, (int, float))


def _texts(box: Any, text_type: type) -> Iterable[Any]:
    if isinstance(box, text_type):
        yield box
    for child in getattr(box, "children", ()):
        yield from _texts(child, text_type)


def _printed(line: Any, text_type: type) -> str:
    return " ".join("".join(t.text for t in _texts(line, text_type)).split())


_NOT_LETTERS = re.compile(r"[\W_]+")


def letters(text: str) -> str:
    """Only letters and digits, lower-case: what a printed fragment and its source share."""
    return _NOT_LETTERS.sub("", text).casefold()


def composed_of(overflow: Overflow, lines: Iterable[tuple[str, Span]], least: int = 4) -> Span | None:
    """The content line a printed line is composed around, when no content line holds
    the printed fragment: the longest line (of at least `least` letters) that the
    fragment holds whole. A gamebook prints a choice inside a sentence of its own
    ("◆ If you have at least 2 coins: <choice> — lose 2 coins"): the choice's line is
    where its words, and a shorter translation, are written."""
    printed = letters(overflow.text.rstrip("-\u2010\u00ad"))
    best: tuple[int, Span] | None = None
    for text, span in lines:
        plain = letters(text)
        if len(plain) >= least and plain in printed and (best is None or len(plain) > best[0]):
            best = (len(plain), span)
    return best[1] if best else None


def locate(overflow: Overflow, lines: Iterable[tuple[str, Span]]) -> Span | None:
    """The content line `overflow` prints: the shortest line whose text holds the
    printed fragment (`lines`: (plain text, span) pairs, in any language). A
    hyphen WeasyPrint added at a break is dropped before matching."""
    wanted = letters(overflow.text.rstrip("-\u2010\u00ad"))
    if not wanted:
        return None
    best: tuple[int, Span] | None = None
    for text, span in lines:
        plain = letters(text)
        if wanted in plain and (best is None or len(plain) < best[0]):
            best = (len(plain), span)
    return best[1] if best else None
