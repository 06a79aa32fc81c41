"""Words of the other direction that span several inline elements, held together for print.

A browser orders a line by the Unicode bidirectional algorithm over the whole
paragraph, across inline elements: "turn to <b>2</b>" in an Arabic choice of an English
gamebook reads "turn to 2", and "مرحبا <em>بالعالم</em>" in an English paragraph is
set right to left, its second word at the left. WeasyPrint runs the algorithm inside
each text box only and places an element's boxes in that element's direction: the
Arabic choice printed "2 turn to", one with an effect "2 turn to note “Crossed”, then —",
and the Arabic words after "He said" in the order they were typed, left to right (the
same with **New** York in a Hebrew paragraph: "York New").

So the print book wraps each such run, from its first letter of the other direction to
its last (and the digits that follow it, which the algorithm sets with it), in a
`<span dir>` of the run's direction, which WeasyPrint lays out as one box in that
direction: what the algorithm would show. Only runs that cross an element's edge are
wrapped (one text box is Pango's, which runs the algorithm itself), and only where both
ends of the run fall in the element's own text or at a child's edge. Print only: the
EPUB is read by browsers, which need no help.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from typing import Any

from .direction import RTL_BLOCKS

# Elements that are part of a line; anything else (a list in a list item, a break, a
# picture) ends a run, as a paragraph's end does.
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd",
                     "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"})
# Foreign content and text that is not set as lines of the book: left as written (an
# HTML span in an SVG's text would be no part of the drawing).
_NOT_LINES = frozenset({"head", "script", "style", "svg", "math", "template", "textarea"})
_BARRIER, _ISOLATE = "\x00", "\ufffc"      # an element that is no part of the line; one with its own direction
_LETTER = re.compile(r"[^\W\d_]")


def isolate_runs(root: Any, direction: str) -> bool:
    """Wraps, under `root` (lxml, the book's direction `direction`), each run of words in
    the other direction than its element's that crosses an inline element's edge in a
    `<span dir>` of its own direction; True when it wrapped one."""
    changed = False
    stack = [(root, direction)]
    while stack:
        element, inherited = stack.pop()
        own = (element.get("dir") or "").strip().lower()
        here = own if own in ("ltr", "rtl") else inherited
        if any(isinstance(child.tag, str) and child.tag in _INLINE for child in element):
            changed |= _wrap(element, here)
        stack.extend((child, here) for child in element if isinstance(child.tag, str) and child.tag not in _NOT_LINES)
    return changed


def _flat(element: Any) -> str:
    """An inline element's text as the line's algorithm reads it: a descendant with a
    direction of its own (or a `<bdi>`) counts as one neutral character."""
    if element.get("dir") or element.tag == "bdi":
        return _ISOLATE
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_flat(child) if child.tag in _INLINE else _BARRIER)
        parts.append(child.tail or "")
    return "".join(parts)


def _mixed(text: str, direction: str) -> bool:
    """Whether `text` may hold a letter of the other direction (a search at C speed
    before any character is looked at one by one)."""
    if direction == "ltr":
        return RTL_BLOCKS.search(text) is not None
    return _LETTER.search(RTL_BLOCKS.sub("", text)) is not None


def _runs(flat: str, direction: str) -> list[tuple[int, int, str]]:
    """(start, end, run's direction) of each run of the other direction in `flat`: from
    a letter of that direction to its last before a letter of `direction` (or a
    barrier), with the European digits after it that UAX #9 sets with it (W7 after a
    left-to-right run, N1 after a right-to-left one)."""
    other = "rtl" if direction == "ltr" else "ltr"
    # Arabic digits are set as right-to-left letters are (N1: they count as R for the
    # spaces around them): they open a right-to-left run and end a left-to-right one
    opposite = {"R", "AL", "AN"} if other == "rtl" else {"L"}
    same = {"L"} if other == "rtl" else {"R", "AL", "AN"}
    digits = {"EN"}
    runs, at, size = [], 0, len(flat)
    while at < size:
        if unicodedata.bidirectional(flat[at]) not in opposite:
            at += 1
            continue
        start = last = at
        at += 1
        while at < size and flat[at] != _BARRIER:
            kind = unicodedata.bidirectional(flat[at])
            if kind in same:
                break
            if kind in opposite:
                last = at
            at += 1
        end = last + 1
        for index in range(last + 1, at):
            kind = unicodedata.bidirectional(flat[index])
            if kind in digits:
                end = index + 1
            elif kind in same or kind in opposite:
                break
        runs.append((start, end, other))
    return runs


def _wrap(element: Any, direction: str) -> bool:
    """Wraps the runs of `element`'s own line (its text, its inline children's, its
    tails) that cross a child's edge; True when it wrapped one."""
    items: list[Any] = [element.text or ""]
    for child in element:
        items.append(child)
        items.append(child.tail or "")
    pieces = [item if isinstance(item, str) else
              (_flat(item) if isinstance(item.tag, str) and item.tag in _INLINE else _BARRIER) for item in items]
    flat = "".join(pieces)
    if not _mixed(flat, direction):
        return False
    # where each piece starts, for the pieces that hold a character (a run's ends are
    # characters): found by bisection, so a line of many elements and runs stays linear
    holders, starts, at = [], [], 0
    for index, piece in enumerate(pieces):
        if piece:
            holders.append(index)
            starts.append(at)
        at += len(piece)
    bounds = {index: (start, start + len(pieces[index])) for index, start in zip(holders, starts)}
    wraps = []
    for start, end, other in _runs(flat, direction):
        first = holders[bisect_right(starts, start) - 1]
        last = holders[bisect_right(starts, end - 1) - 1]
        if first == last:
            continue            # inside one text (Pango's) or one child (wrapped inside it, if need be)
        if not isinstance(items[first], str):
            if _LETTER.search(flat[bounds[first][0]:start]):
                continue        # the run starts inside a child, after letters of the line's direction
            start = bounds[first][0]
        if not isinstance(items[last], str):
            if _LETTER.search(flat[end:bounds[last][1]]):
                continue
            end = bounds[last][1]
        wraps.append((first, start - bounds[first][0], last, end - bounds[last][0], other))
    if not wraps:
        return False
    for child in list(element):
        child.tail = None
        element.remove(child)
    content: list[Any] = []
    at, offset = 0, 0           # where the items not yet placed start: an item, a character in it
    for first, cut, last, stop, other in wraps:
        content.extend(_between(items, (at, offset), (first, cut)))
        span = element.makeelement("span", {"dir": other})
        _fill(span, _between(items, (first, cut), (last, stop)))
        content.append(span)
        at, offset = (last, stop) if isinstance(items[last], str) else (last + 1, 0)
    content.extend(_between(items, (at, offset), (len(items), 0)))
    _fill(element, content)
    return True


def _between(items: list[Any], start: tuple[int, int], end: tuple[int, int]) -> list[Any]:
    """The items from `start` to `end` (each an item's index and a character in it; an
    element is taken whole, from its character 0 to its length), texts cut there."""
    (first, cut), (last, stop) = start, end
    if first == last:
        return [items[first][cut:stop]] if first < len(items) and isinstance(items[first], str) else []
    taken = [items[first][cut:] if isinstance(items[first], str) else items[first], *items[first + 1:last]]
    if last < len(items):
        taken.append(items[last][:stop] if isinstance(items[last], str) else (items[last] if stop else ""))
    return taken


def _fill(element: Any, items: list[Any]) -> None:
    """Sets `element`'s content (no children yet) to `items`: texts and elements in order."""
    texts: list[str] = []
    previous = None
    for item in items:
        if isinstance(item, str):
            texts.append(item)
            continue
        joined = "".join(texts) or None
        if previous is None:
            element.text = joined
        else:
            previous.tail = joined
        texts = []
        element.append(item)
        previous = item
    joined = "".join(texts) or None
    if previous is None:
        element.text = joined
    else:
        previous.tail = joined
