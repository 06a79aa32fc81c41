"""The order in which a cover line's pieces are drawn, left to right on the picture.

Pillow's Raqm layout orders one call's text by the Unicode bidirectional algorithm,
but a cover line no one font has is drawn in several calls, one a font (cover.py's
_Fallback), and letter-spaced capitals one character a call: placed one after another
in the order they are stored, an Arabic title with a Japanese word printed the Arabic
at the left, and a Hebrew world name printed its letters backwards. This is that
algorithm (UAX #9) for one line without explicit embeddings (names and titles cannot
hold bidi controls: load/hygiene.py refuses them): each character's level, then the
pieces in the order rule L2 shows them. Our own code rather than a library: the
levels are a few passes over a title's types from unicodedata, and no bidi package
is a dependency (FriBiDi, which Raqm uses, has no Python binding).
"""

from __future__ import annotations

import unicodedata
from typing import Sequence, TypeVar

_STRONG = ("L", "R", "AL")
_NEUTRAL = ("B", "S", "WS", "ON")
Piece = TypeVar("Piece")


def paragraph_rtl(text: str) -> bool:
    """Whether `text` is laid out right to left: its first strong letter's direction
    (rules P2 and P3), as Raqm decides a line it draws in one call."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG:
            return kind != "L"
    return False


def levels(text: str, rtl: bool) -> list[int]:
    """Each character's embedding level in a line of a paragraph whose direction is
    `rtl` (rules W1–W7, N1–N2, I1–I2 and L1): odd is drawn right to left."""
    base = 1 if rtl else 0
    edge = "R" if rtl else "L"
    # explicit formatting characters cannot reach a title; any that did is a neutral
    types = [kind if kind in _STRONG + _NEUTRAL + ("EN", "ES", "ET", "AN", "CS", "NSM") else "ON"
             for kind in map(unicodedata.bidirectional, text)]
    for i, kind in enumerate(types):            # W1: a mark takes the type before it
        if kind == "NSM":
            types[i] = types[i - 1] if i else edge
    last = edge
    for i, kind in enumerate(types):            # W2, W3: numbers after Arabic letters are Arabic
        if kind in _STRONG:
            last = kind
            types[i] = "R" if kind == "AL" else kind
        elif kind == "EN" and last == "AL":
            types[i] = "AN"
    for i in range(1, len(types) - 1):          # W4: one separator between two numbers
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if before == after and (before == "EN" and kind in ("ES", "CS") or before == "AN" and kind == "CS"):
            types[i] = before
    for i, kind in enumerate(types):            # W5: terminators (%, $) beside European numbers
        if kind == "ET" and _beside(types, i, "ET", "EN"):
            types[i] = "EN"
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]   # W6
    last = edge
    for i, kind in enumerate(types):            # W7: European numbers after Latin are Latin
        if kind in ("L", "R"):
            last = kind
        elif kind == "EN" and last == "L":
            types[i] = "L"
    _resolve_neutrals(types, edge)
    out = []
    for kind in types:                          # I1, I2
        if base == 0:
            out.append({"R": 1, "AN": 2, "EN": 2}.get(kind, 0))
        else:
            out.append(2 if kind in ("L", "EN", "AN") else 1)
    for i in range(len(text) - 1, -1, -1):      # L1: the line's trailing white space
        if unicodedata.bidirectional(text[i]) not in ("WS", "S", "B"):
            break
        out[i] = base
    return out


def _beside(types: list[str], i: int, run: str, kind: str) -> bool:
    """Whether the run of `run` types holding index i touches a `kind` at either end."""
    left = i
    while left > 0 and types[left - 1] == run:
        left -= 1
    right = i
    while right < len(types) - 1 and types[right + 1] == run:
        right += 1
    return left > 0 and types[left - 1] == kind or right < len(types) - 1 and types[right + 1] == kind


def _resolve_neutrals(types: list[str], edge: str) -> None:
    """N1, N2: a run of neutrals between two letters of one direction (numbers count as
    right to left) takes it; any other takes the paragraph's."""
    i = 0
    while i < len(types):
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        end = i
        while end < len(types) and types[end] in _NEUTRAL:
            end += 1
        before = _direction(types[i - 1]) if i else edge
        after = _direction(types[end]) if end < len(types) else edge
        for j in range(i, end):
            types[j] = before if before == after else edge
        i = end


def _direction(kind: str) -> str:
    return "L" if kind == "L" else "R"


def visual(pieces: Sequence[tuple[Piece, int]]) -> list[tuple[Piece, int]]:
    """`pieces` (each a piece of one level, in stored order) in the order they are
    shown left to right (rule L2: from the highest level down to the lowest odd one,
    every run of pieces at that level or above is reversed). A piece of odd level is
    itself drawn right to left."""
    out = list(pieces)
    if not out:
        return out
    highest = max(level for _, level in out)
    lowest_odd = min((level for _, level in out if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(out):
            if out[i][1] < level:
                i += 1
                continue
            end = i
            while end < len(out) and out[end][1] >= level:
                end += 1
            out[i:end] = reversed(out[i:end])
            i = end
    return out
