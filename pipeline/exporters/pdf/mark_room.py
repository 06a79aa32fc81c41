"""A letter carrying a tall stack of combining marks gets room for it on its line.

A line box is as tall as its fonts' ascent and descent say, whatever the glyphs draw:
a letter carrying a stack of marks (up to the 30 HF0133 lets through, ~0.23 em each
in Libertine) drew its tower over the line above, and a hero's name of 29 acutes on
one letter ran 20 pt past the top edge of the sheet, over the "HERO" label. So the
book's HTML wraps each word holding a letter that carries three or more marks on one
side in two spans (the word, not the letter alone: text in two boxes is shaped apart):
the outer one is given a line height of the tower's room and raised by half of it,
so the line box grows on the tower's side only; the inner one is lowered back by as
much, so the word keeps its place on the baseline; its line height of 0 keeps it
from growing the line itself. Inline spans, not an inline block (which would give
padding more simply): an inline block is a place to break, and a word broke at its
stacked letter with no hyphen. Room is counted from the marks, 0.3 em each (more
than Libertine's 0.23: a fallback font stacks taller), above and below apart
(Unicode's combining classes say the side). Vietnamese and Thai put one or two marks
on a side and keep their bytes, as does every book without such a stack.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import chain

from ..books.direction import rewrite_book

TALL = 3          # marks on one side of a letter from which its line makes room for them
PER_MARK = 0.3    # em of room a mark takes
CLASS = "mark-room"
# svg and math are foreign content: an HTML span inside an SVG <text> ends the <svg>
# for the HTML parser WeasyPrint reads the book with, and the rest of the text spilled
# out of a template's banner into the page below it
_EXEMPT = frozenset({"head", "title", "script", "style", "svg", "math"})
# Canonical combining classes of marks drawn below their letter (Unicode's Below,
# Attached Below, Iota Subscript and the Hebrew, Arabic, Thai and Tibetan vowels
# below); marks inside it or beside (overlays, nukta, virama, dagesh, meteg) take
# no room.
_BELOW = frozenset({10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 29, 32, 103, 118, 129, 132, 200, 202, 218, 220,
                    222, 233, 240})
_INSIDE = frozenset({1, 6, 7, 8, 9, 21, 22})
# A format character between two marks (a soft hyphen, a joiner) leaves them on one
# letter (load/mark_stacks.py counts them the same way).
_FORMAT = "\u00ad\u200c-\u200f\u2060-\u2064\ufeff"
# Non-spacing and enclosing marks are in the Basic and Supplementary Multilingual
# Planes and plane 14's variation selectors only: the planes scanned (a tenth of a
# second for all 17).
_PLANES = (range(0x20000), range(0xE0000, 0xE1000))


@functools.cache
def _run_pattern() -> re.Pattern:
    """TALL or more non-spacing or enclosing marks in a row (format characters between
    them allowed), with the character before them: a search in C before any parse."""
    ranges: list[list[int]] = []
    for cp in chain.from_iterable(_PLANES):
        if unicodedata.category(chr(cp)) in ("Mn", "Me"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    marks = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^\\s<>]?(?:[{marks}][{_FORMAT}]*){{{TALL},}}")


def room_for_marks(html: str) -> str:
    """`html` (a whole book) with each letter carrying TALL or more marks on a side
    wrapped in spans that give its line room for them; `html` itself (the same
    string) when there is none."""
    return rewrite_book(html, lambda text: _run_pattern().search(text) is not None, _wrap)


def room(cluster: str) -> tuple[float, float]:
    """(em above, em below) the marks of `cluster` (a letter and its marks) need
    beyond a line's own room: none on a side with fewer than TALL marks."""
    above = below = 0
    for ch in cluster:
        if unicodedata.category(ch) not in ("Mn", "Me"):
            continue
        kind = unicodedata.combining(ch)
        if kind in _INSIDE:
            continue
        name = unicodedata.name(ch, "")
        if kind in _BELOW or "BELOW" in name or "SUBJOINED" in name:
            below += 1
        else:
            above += 1
    return (above * PER_MARK if above >= TALL else 0.0, below * PER_MARK if below >= TALL else 0.0)


def _wrap(document) -> bool:
    from lxml.html import Element
    pattern = _run_pattern()
    slots = []
    for element in document.iter():
        if not isinstance(element.tag, str) or element.get("class") == CLASS:
            continue
        if any(a.tag in _EXEMPT for a in element.iterancestors()):
            continue
        if element.tag not in _EXEMPT:
            slots.append((element, True))
        if element.getparent() is not None:
            slots.append((element, False))    # the text after an <svg> is the page's again
    changed = False
    for element, own in slots:
        text = element.text if own else element.tail
        if not text or pattern.search(text) is None:
            continue
        words = _words(text, pattern)
        if not words:
            continue
        pieces: list[tuple[str, tuple[float, float] | None]] = []
        at = 0
        for start, end, up, down in words:
            pieces.append((text[at:start], None))
            pieces.append((text[start:end], (up, down)))
            at = end
        pieces.append((text[at:], None))
        spans = []
        for cluster, (up, down) in (piece for piece in pieces[1::2]):
            # the outer box, R em taller than a line of 1 em, is centred R/2 em higher
            # for room above (lower for room below); the inner one puts the letter back
            outer, inner = Element("span"), Element("span")
            outer.set("class", CLASS)
            shift = _em((up - down) / 2)
            outer.set("style", f"line-height: {_em(1 + up + down)}; vertical-align: {shift}")
            inner.set("style", f"line-height: 0; vertical-align: {_em((down - up) / 2)}")
            inner.text = cluster
            outer.append(inner)
            spans.append(outer)
        # each span placed after the one before it: insert(n) walks n children, and a
        # value of 16,000 stacked letters took 12 s in that walk alone
        if own:
            element.text = pieces[0][0]
            spans[0].tail = pieces[2][0]
            element.insert(0, spans[0])
            anchor = spans[0]
        else:
            element.tail = pieces[0][0]
            anchor = element
        for n, span in enumerate(spans[1:] if own else spans, start=1 if own else 0):
            span.tail = pieces[2 * n + 2][0]
            anchor.addnext(span)
            anchor = span
        changed = True
    return changed


def _words(text: str, pattern: re.Pattern) -> list[tuple[int, int, float, float]]:
    """(start, end, em above, em below) of each word of `text` (a run between white
    space) holding a letter that needs room, the room its tallest stacks need. The
    whole word, not the letter: text in two boxes is shaped apart, so a span around one
    letter cut it from its neighbours: Arabic's Allah (lam carrying shadda, fatha and
    the dagger alif) printed in isolated forms, a Devanagari conjunct fell apart."""
    words: list[tuple[int, int, float, float]] = []
    for found in pattern.finditer(text):
        up, down = room(found.group())
        if not (up or down):
            continue
        end = _WORD_REST.match(text, found.end()).end()
        if words and found.start() < words[-1][1]:   # a second stack in the word before
            start, _, was_up, was_down = words[-1]
            words[-1] = (start, max(end, words[-1][1]), max(up, was_up), max(down, was_down))
            continue
        start, floor = found.start(), words[-1][1] if words else 0
        while start > floor and not text[start - 1].isspace():
            start -= 1
        words.append((start, end, up, down))
    return words


_WORD_REST = re.compile(r"\S*")


def _em(value: float) -> str:
    return f"{value:.2f}em".replace("-0.00em", "0em")
