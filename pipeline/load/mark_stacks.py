"""Tall stacks of combining marks ("Zalgo" text): a letter carrying more marks than
any writing system puts on one letter.

Unicode's Stream-Safe Text Format (UAX #15, section 13) caps a run of non-starters at
30, "significantly beyond what is required for any linguistic or technical usage":
Vietnamese puts two marks on a letter, Hebrew with vowel points and cantillation or a
Tibetan stack a handful. A run past it is drawn as a tower over the lines above or
below, across the sheet's labels and past the paper's edge; it is refused where it
is written (HF0133), as the invisible characters are (hygiene.py), not trimmed.

Every combining mark counts (general category M), not only the non-starters the
stream-safe rule counts: Tibetan's subjoined letters and the enclosing marks have
combining class 0 and stack all the same. The format characters between two marks
(a joiner, a soft hyphen, COMBINING GRAPHEME JOINER is a mark itself) do not end the
run: the marks after them are drawn on the same letter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

# UAX #15, section 13: the longest run of non-starters stream-safe text holds
LIMIT = 30

# A run is found by one regex search in C over a superset: the marks and format
# characters of the Basic Multilingual Plane and every character outside it (a class
# listing astral ranges one by one makes `re` test each of them per character: 100
# times slower, as hygiene.py's `_suspect` found), built from unicodedata once (~10 ms).
# Only what it finds is counted exactly, in Python.
_pattern: list[re.Pattern] = []


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def _run_pattern() -> re.Pattern:
    """More than LIMIT characters in a row that may be marks or format characters."""
    if not _pattern:
        ranges: list[list[int]] = []
        for cp in range(0x10000):
            category = unicodedata.category(chr(cp))
            if category[0] == "M" or category == "Cf":
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
        ranges.append([0x10000, 0x10FFFF])
        spans = "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
        _pattern.append(re.compile(f"[{spans}]{{{LIMIT + 1},}}"))
    return _pattern[0]


def has_tall_stack(text: str) -> bool:
    """Whether `text` holds a run of more than LIMIT combining marks (text that is all
    ASCII holds no mark)."""
    return next(tall_stacks(text), None) is not None


def tall_stacks(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, number of marks) of every run of more than LIMIT combining marks in
    `text`, in order; `start` is the letter carrying them (the run's first mark when
    nothing comes before it)."""
    if text.isascii():
        return
    for found in _run_pattern().finditer(text):
        first = count = 0   # the run's first mark, and its marks so far
        end = found.end()
        for i in range(found.start(), end + 1):
            ch = text[i] if i < end else ""
            if ch and _is_mark(ch):
                if not count:
                    first = i
                count += 1
            elif ch and count and unicodedata.category(ch) == "Cf":
                continue   # a joiner or soft hyphen between marks: the marks after it are on the same letter
            else:
                if count > LIMIT:
                    last = i
                    while not _is_mark(text[last - 1]):   # the run ends at its last mark
                        last -= 1
                    start = first - 1 if first > 0 and text[first - 1] not in "\n\r\t" else first
                    yield start, last, count
                count = 0
