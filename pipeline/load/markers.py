"""Line-id markers: the short ids `foundry l10n tag` writes into prose.

A marker is ` ^l-3f2a` at the very end of a paragraph's last line (the block-reference
syntax of Obsidian and Logseq, which other Markdown tools show as plain text). Prose
has no authored id, so the marker is what keeps a paragraph's line id when another
paragraph is inserted before it, or when paragraphs are reordered.

Markers are removed in ONE place, `strip_line_ids`, called by the document loader
before any YAML or Markdown is parsed, so no output can ever show one. A marker only
ever ends a line, so removing it moves no other line or column.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

# ` ^l-` + 4 to 12 lowercase hex/letters, at the end of a line (trailing blanks allowed),
# the line ended by LF or CR LF: `$` is before the "\n" only, so in a file saved with
# Windows line ends (git's autocrlf, `tag` keeping them) no marker was removed — every
# output showed ` ^l-3f2a` and every paragraph's translation was stale. The CR stays.
# `(?<![ \t])`: a search tries a run of blanks from its first only — from each of its
# blanks, a line of 200,000 spaces took 20 CPU-s to check (quadratic).
MARKER = re.compile(r"(?<![ \t])[ \t]+\^(l-[0-9a-z]{4,12})[ \t]*(?=\r?$)", re.MULTILINE)


# What a writer types by hand for a marker that is not one — ` ^L-81C4`, ` ^intro`,
# ` ^l-my-end` (an Obsidian block id's letters) — at the end of a line: not removed, so
# shown as typed in every output (HF1154; `tag` writes it as a marker).
NEAR_MARKER = re.compile(r"(?<![ \t])[ \t]+\^([A-Za-z][A-Za-z0-9_-]{1,40})[ \t]*$")


# A marker with more words after it on its line: two paragraphs joined onto one line (an
# editor's "join lines", a blank line deleted and the lines run together), the first
# one's marker left inside. Only a line's end holds a marker — removing one elsewhere
# would move the columns after it —, so it is shown as typed (HF1154 at its `^`).
INNER_MARKER = re.compile(r"(?<![ \t])[ \t]+\^(l-[0-9a-z]{4,12})(?=[ \t]+\S)")


def strip_line_ids(text: str) -> str:
    """`text` with every line-id marker removed (line and column of all else kept)."""
    return MARKER.sub("", text) if "^l-" in text else text


def marker_on(line: str) -> str | None:
    """The marker id (`l-3f2a`) ending this source line, or None."""
    m = MARKER.search(line)
    return m.group(1) if m else None


def paragraph_marker(line_at: Callable[[int], str], first: int, last: int) -> tuple[int, str] | None:
    """(line number, marker id) of a paragraph on lines `first`..`last` (`line_at`: a
    line of its file by number; `first` 0: not known, the last line alone): the marker
    ending its last line, else the one ending the latest line before it. A sentence
    written on a new line under a tagged paragraph (no blank line: the same paragraph)
    left its marker inside, and the paragraph lost its id — untagged (HF1101), its
    translation in every language "no longer exists", `tag` wrote it a new id —, where
    the edit made it stale. None when no line of it ends in a marker."""
    for number in range(last, (first or last) - 1, -1):
        found = marker_on(line_at(number))
        if found is not None:
            return number, found
    return None


def near_marker(line: str) -> tuple[int, str] | None:
    """(1-based column of its `^`, the id as written) of a marker written otherwise at
    the end of `line` (`NEAR_MARKER`); None when the line ends in a marker, or in none."""
    if MARKER.search(line):
        return None
    found = NEAR_MARKER.search(line)
    return (found.start(1), found.group(1)) if found else None


def inner_marker(line: str) -> tuple[int, str] | None:
    """(1-based column of its `^`, the id) of the first marker inside `line` with words
    after it (`INNER_MARKER`), which is no marker, outside a code span; None when there
    is none."""
    for found in INNER_MARKER.finditer(line) if "^l-" in line else ():
        if line.count("`", 0, found.start()) % 2 == 0:   # not inside a code span: text meant as typed
            return found.start(1), found.group(1)
    return None


def as_marker(written: str) -> str | None:
    """The marker a hand-written id spells (`L-81C4` → `l-81c4`, `intro` → `l-intro`,
    `l-my-end` → `l-myend`), or None when its letters and digits are too few or too many."""
    body = written.lower()
    body = re.sub(r"[^0-9a-z]", "", body[2:] if body.startswith(("l-", "l_")) else body)
    return f"l-{body}" if 4 <= len(body) <= 12 else None


def new_marker(seed: str, taken: set[str]) -> str:
    """A marker id not in `taken`, derived from `seed` (the file path and paragraph
    text) so tagging the same file twice writes the same ids. Adds it to `taken`."""
    salt = 0
    while True:
        digest = hashlib.sha256(f"{seed}\0{salt}".encode()).hexdigest()
        mid = "l-" + digest[:4]
        if mid not in taken:
            taken.add(mid)
            return mid
        salt += 1
