"""A character cluster wider than any line may break inside it, in the books.

The print theme and the EPUB stylesheet break a word too long for its line anywhere
(`overflow-wrap`), but Pango and Chromium break only between the characters a reader
sees (Unicode's grapheme clusters), and some clusters have no end: emoji joined by
ZWJ (`☂‍☂‍☂‍…`, one cluster however many), a run of Hangul jamo (`ᄀᄀᄀ…`: each leading
consonant joins the next), prepended signs, a letter with spacing vowel signs. Each
part is drawn with its own width: a 60-umbrella name ran 12 pt past the A4 hero
sheet's right edge, a 120-jamo title 10 pt, a scene's number signs past the A5
gamebook's, and their EPUB chapters were 800-1,000 px wide on a 360 px phone.

Such a cluster of more than graphemes.MOST_PARTS parts is no character a font draws
as one, and graphemes.py gives it as its parts (`cuts`): the PDF's book gets
a zero-width space (U+200B, a break Pango knows) at each cut, an EPUB chapter a
`<wbr>` (a break Chromium and reading systems know, adding no character to the
text a reader copies or searches), so a line breaks inside it where it must and
nowhere else. The PDF's text reads back as the writer typed it (no glyph is drawn
for the spaces), and its outline's labels are given without them (`unbroken`, by
pdf/syllable_breaks.bookmarks_unbroken). HF1139 does not say such a break: its parts
are drawn apart as any two symbols are, and broken between as they are. Books
without such a cluster keep their bytes.
"""

from __future__ import annotations

import re
import unicodedata

from ...graphemes import clusters, cuts
from .direction import rewrite_book, rewrite_fragment

ZWSP = "\u200b"
# The characters that continue a cluster with a width of their own (what follows a
# ZWJ, Hangul jamo, skin tones, prepended signs; spacing marks are added below): more
# than MOST_PARTS of them in a row is the cheap look before any parse (a superset of
# what `cuts` finds).
_CONTINUING = ("\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\U0001f3fb-\U0001f3ff\uff9e\uff9f"
               "\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e")
_EXEMPT = frozenset({"head", "title", "script", "style"})
_candidate: re.Pattern | None = None


def _candidates() -> re.Pattern:
    """Ten characters in a row that may each continue a cluster with a width of their
    own: built once (the spacing marks, category Mc, read from unicodedata)."""
    global _candidate
    if _candidate is None:
        spacing = "".join(re.escape(chr(c)) for c in range(0x20000) if unicodedata.category(chr(c)) == "Mc")
        _candidate = re.compile(f"(?:\u200d.|[{_CONTINUING}{spacing}]){{10,}}", re.S)
    return _candidate


# Every code point of a cluster `cuts` cuts is outside ASCII (what continues one with a
# width of its own, and the pictographs a ZWJ joins): runs of ten such are looked for
# first, a simple class sre scans ~30 times faster than _candidates' ranges (~190 ns a
# character, which over every page of a 10,000-hero site was seconds of CPU).
_OUTSIDE_ASCII = re.compile(r"[^\x00-\x7f]{10,}")


def wanted(text: str) -> bool:
    """Whether `text` may hold a cluster `cuts` cuts (the cheap search before any parse)."""
    if text.isascii():
        return False
    # _candidates is built (~8 CPU-ms: every character's category read) only once a
    # run of ten is found: a page with a curly quote or a dash never pays it
    return any(_candidates().search(run.group()) for run in _OUTSIDE_ASCII.finditer(text))


def breakable(text: str) -> str:
    """`text` with a zero-width space at each of its clusters' cuts."""
    if not wanted(text):
        return text
    at = cuts(text)
    if not at:
        return text
    bounds = [0, *at, len(text)]
    return ZWSP.join(text[a:b] for a, b in zip(bounds, bounds[1:]))


def clusters_breakable(html: str) -> str:
    """`html` (a whole book) with a zero-width space at each cut of an endless cluster;
    `html` itself (the same string) when it holds none."""
    return rewrite_book(html, wanted, lambda document: _mark(document, wbr=False))


def clusters_breakable_fragment(body: str) -> str:
    """The same for an EPUB chapter's body (HTML that ebooklib writes as XHTML
    afterwards), with a `<wbr>` at each cut. `body` itself when none is needed."""
    return rewrite_fragment(body, wanted, lambda holder: _mark(holder, wbr=True))


def unbroken(text: str) -> str:
    """`text` without the zero-width spaces `breakable` put: those between two
    characters of one cluster (what the PDF's outline labels a heading with). One a
    writer typed there reads the same, as it is the same break."""
    if ZWSP not in text:
        return text
    return "".join(ch for i, ch in enumerate(text)
                   if not (ch == ZWSP and 0 < i < len(text) - 1 and len(clusters(text[i - 1] + text[i + 1])) == 1))


def _mark(document, wbr: bool) -> bool:
    """Each text and tail of `document` outside _EXEMPT given its breaks (a zero-width
    space, or a `<wbr>` element); whether any was."""
    changed = False
    for element in list(document.iter()):
        if not isinstance(element.tag, str) or element.tag in _EXEMPT:
            continue
        pieces = _pieces(element.text, wbr)
        if pieces:
            changed = True
            element.text = pieces[0]
            _breaks_after(element, pieces[1:], inside=True)
        parent = element.getparent()
        pieces = _pieces(element.tail, wbr) if parent is not None and parent.tag not in _EXEMPT else None
        if pieces:
            changed = True
            element.tail = pieces[0]
            _breaks_after(element, pieces[1:], inside=False)
    return changed


def _pieces(text: str | None, wbr: bool) -> list[str] | None:
    """`text` given its breaks: split at each cut (`wbr`, for `<wbr>` elements between the
    pieces) or one piece holding zero-width spaces; None when it needs none."""
    if not text or not wanted(text):
        return None
    marked = breakable(text)
    if marked == text:
        return None
    return marked.split(ZWSP) if wbr else [marked]


def _breaks_after(at, pieces: list[str], inside: bool) -> None:
    """A `<wbr>` followed by each of `pieces`, in order, placed first inside `at`
    (`inside`) or right after it, each after the one before: placed by index (lxml's
    `insert` and `index` walk the children from the first), 40,000 cuts in one
    paragraph were 7 CPU-s, a 2 MiB story's ~9 CPU-minutes."""
    before = None
    for piece in pieces:
        new = _wbr(at, piece)
        if before is not None:
            before.addnext(new)
        elif inside:
            at.insert(0, new)
        else:
            at.addnext(new)
        before = new


def _wbr(near, tail: str):
    """A `<wbr>` element (of `near`'s document) followed by `tail`."""
    new = near.makeelement("wbr", {})
    new.tail = tail
    return new


def clusters_breakable_in_place(html: str) -> str:
    """The same for a site page, whose other bytes must stay as written (mark_room's
    `room_for_marks_in_place`, the same scan of its text): a `<wbr>` written at each
    cut of the text between its tags. The text is HTML-escaped there: an escape (`&amp;`)
    is read as one character of no cluster, which cuts none of one. `html` itself (the
    same string) when none is needed."""
    if not wanted(html):
        return html
    from .mark_room import page_texts
    pieces, at = [], 0
    for token in page_texts(html):
        text = token.group()
        if not wanted(text):
            continue
        for cut in cuts(text):
            pieces.append(html[at:token.start() + cut])
            pieces.append("<wbr>")
            at = token.start() + cut
    if not pieces:
        return html
    pieces.append(html[at:])
    return "".join(pieces)
