"""A character cluster wider than any line may break inside it in print.

The print theme breaks a word too long for its line anywhere (`overflow-wrap:
anywhere`), but Pango breaks only between the characters a reader sees (Unicode's
grapheme clusters, exporters/graphemes.py), and some clusters have no end: emoji
joined by ZWJ (`☂‍☂‍☂‍…`, one cluster however many), a run of Hangul jamo (`ᄀᄀᄀ…`:
each leading consonant joins the next), a letter followed by spacing vowel signs
(`काााा…`), an emoji followed by skin tones, prepended signs. Each part is drawn with
its own width, so a 60-umbrella name ran 12 pt past the A4 hero sheet's right edge,
a 120-jamo title 10 pt, and the gamebook's and the compendium's copies with them.

A cluster of more than PARTS parts that each take their own room (a character not a
zero-width mark, joiner or tag: the longest emoji sequence, a family with skin tones,
has four; an old Hangul syllable at most ten jamo) is no character a font draws as
one: the book's HTML gets a zero-width space (U+200B, a break Pango knows) before each
of its parts, so a line breaks inside it where it must and nowhere else. The PDF's
text reads back as the writer typed it (no glyph is drawn for them), and the
outline's labels are given without them (`unbroken`, by
syllable_breaks.bookmarks_unbroken). HF1139 does not
say such a break: its parts are drawn apart as any two symbols are, and are broken
between as they are. Books without such a cluster keep their bytes.
"""

from __future__ import annotations

import re
import unicodedata

from ..books.direction import rewrite_book
from ..graphemes import clusters

PARTS = 10
ZWSP = "\u200b"
# The characters that continue a cluster and take room of their own (ZWJ and what
# follows it, Hangul jamo, skin tones, prepended signs; spacing marks are added below):
# PARTS of them in a row is the cheap look before any parse (a superset of what
# `breakable` changes).
_CONTINUING = ("\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\U0001f3fb-\U0001f3ff"
               "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e")
_EXEMPT = frozenset({"head", "title", "script", "style"})
_candidate: re.Pattern | None = None


def _candidates() -> re.Pattern:
    """PARTS characters in a row that may each continue a cluster with room of their
    own: built once (the spacing marks, category Mc, read from unicodedata)."""
    global _candidate
    if _candidate is None:
        spacing = "".join(re.escape(chr(c)) for c in range(0x20000) if unicodedata.category(chr(c)) == "Mc")
        _candidate = re.compile(f"(?:\u200d.|[{_CONTINUING}{spacing}]){{{PARTS},}}", re.S)
    return _candidate


def clusters_breakable(html: str) -> str:
    """`html` (a whole book) with a zero-width space before each part of a cluster of
    more than PARTS parts; `html` itself (the same string) when it holds none."""
    return rewrite_book(html, lambda text: _candidates().search(text) is not None, _mark)


def breakable(text: str) -> str:
    """`text` with a zero-width space before each part (but the first) of each of its
    clusters of more than PARTS parts."""
    if not _candidates().search(text):
        return text
    out = []
    for cluster in clusters(text):
        starts = [i for i, ch in enumerate(cluster) if i and _takes_room(ch)]
        if len(starts) >= PARTS:   # the first part and these: more than PARTS
            for i in reversed(starts):
                cluster = cluster[:i] + ZWSP + cluster[i:]
        out.append(cluster)
    return "".join(out)


_SIGNS = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")   # prepended, drawn


def unbroken(text: str) -> str:
    """`text` without the zero-width spaces `breakable` put: those between two
    characters of one cluster (what the PDF's outline labels a heading with). One a
    writer typed there reads the same, as it is the same break."""
    if ZWSP not in text:
        return text
    return "".join(ch for i, ch in enumerate(text)
                   if not (ch == ZWSP and 0 < i < len(text) - 1 and len(clusters(text[i - 1] + text[i + 1])) == 1))


def _takes_room(ch: str) -> bool:
    """Whether `ch`, inside a cluster after `before`, is drawn with a width of its own:
    not a zero-width mark, a joiner, a variation selector or a tag."""
    return unicodedata.category(ch) not in ("Mn", "Me", "Cf") or ch in _SIGNS


def _mark(document) -> bool:
    changed = False
    for element in document.iter():
        if not isinstance(element.tag, str) or element.tag in _EXEMPT:
            continue
        if element.text:
            marked = breakable(element.text)
            changed |= marked != element.text
            element.text = marked
        parent = element.getparent()
        if parent is not None and parent.tag not in _EXEMPT and element.tail:
            marked = breakable(element.tail)
            changed |= marked != element.tail
            element.tail = marked
    return changed
