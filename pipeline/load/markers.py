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

# ` ^l-` + 4 to 12 lowercase hex/letters, at the end of a line (trailing blanks allowed).
MARKER = re.compile(r"[ \t]+\^(l-[0-9a-z]{4,12})[ \t]*$", re.MULTILINE)


def strip_line_ids(text: str) -> str:
    """`text` with every line-id marker removed (line and column of all else kept)."""
    return MARKER.sub("", text) if "^l-" in text else text


def marker_on(line: str) -> str | None:
    """The marker id (`l-3f2a`) ending this source line, or None."""
    m = MARKER.search(line)
    return m.group(1) if m else None


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
