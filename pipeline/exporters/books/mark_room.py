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
(Unicode's combining classes say the side). Vietnamese puts one or two marks on a
side and keeps its bytes, as does every book without such a stack.

Some scripts are tall in every line, not in a rare letter: a Myanmar syllable's medials
and vowels, a Tibetan or Khmer stack of consonants, a Balinese or Javanese one draw
1.4 to 1.9 em of ink where the theme's headings give a line 1.15 em (its prose 1.38),
so a wrapped Myanmar heading touched its own line above and a paragraph's last line
reached into the next heading. A word holding a letter of such a script gets the
same two spans, with the room its script's ink needs (SCRIPT_INK, measured in the
Noto faces fontconfig falls back to, rounded up); a line whose own height already
holds it (prose at 1.38 for Sinhala) keeps its height. Devanagari and unvowelled
Arabic fit a heading's line and keep their bytes, as does every book without these
scripts. Words side by side needing the same room share a pair of spans (a pair a
word made a Myanmar book's layout ten times slower).

The PDF's whole book (room_for_marks) and each EPUB chapter (room_for_marks_fragment)
are rewritten: a reading system's line, in Chromium at a phone's width, is as tall as
its line height says too, and a Myanmar hero's wrapped name printed into its title.
So is a site page's (room_for_marks_in_place, the spans written into the page's own
bytes; search.js draws a result's lines in spans of room_styles'): a Tibetan hero's
wrapped name touched its own line, a Myanmar title on a hero's card the next line.
CSS alone cannot say it: `:lang()` selects by a language, not a script, and a
Myanmar name in an English world is marked as English.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import chain
from typing import Iterator

from .direction import rewrite_book, rewrite_fragment

TALL = 3          # marks on one side of a letter from which its line makes room for them
PER_MARK = 0.3    # em of room a mark takes
# Scripts whose marks stack taller than PER_MARK (first, last code point, em a mark):
# Tibetan's vowel signs and subjoined letters each add 0.34 to 0.44 em to a stack in
# Noto Serif Tibetan, the face fontconfig falls back to (a Latin, Cyrillic or Thai
# mark 0.18 to 0.28): a letter with 29 subjoined below was given 8.7 em and drew
# 10 to 12.5, over the title and labels under it.
TALL_MARKS = ((0x0F00, 0x0FFF, 0.45),)
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
# the same characters, one by one, for counting a letter's marks
_FORMAT_CHARS = frozenset("\u00ad\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
# Non-spacing and enclosing marks are in the Basic and Supplementary Multilingual
# Planes and plane 14's variation selectors only: the planes scanned (a tenth of a
# second for all 17).
_PLANES = (range(0x20000), range(0xE0000, 0xE1000))
# (first, last code point, em of ink above the baseline, em below) of each script whose
# letters draw taller than a line of 1.15 em holds: the tallest stacks of its Noto face
# (rasterised at 100 px in WeasyPrint), rounded up.
SCRIPT_INK = (
    (0x0D80, 0x0DFF, 1.0, 0.3),      # Sinhala
    (0x0E00, 0x0E7F, 1.05, 0.45),    # Thai: a tone mark over a vowel above, a vowel below a descender
    (0x0E80, 0x0EFF, 1.1, 0.45),     # Lao
    (0x0F00, 0x0FFF, 1.2, 0.9),      # Tibetan: subjoined consonants stack down
    (0x1000, 0x109F, 1.05, 0.6),     # Myanmar: medials and vowels around the consonant
    (0x1780, 0x17FF, 1.05, 0.6),     # Khmer: a coeng stack below, a vowel above
    (0x19E0, 0x19FF, 1.05, 0.6),     # Khmer symbols
    (0x1B00, 0x1B7F, 0.95, 0.85),    # Balinese
    (0xA980, 0xA9DF, 0.9, 0.85),     # Javanese
    (0xA9E0, 0xA9FF, 1.05, 0.6),     # Myanmar Extended-B
    (0xAA60, 0xAA7F, 1.05, 0.6),     # Myanmar Extended-A
)
# The box of a line of 1 em the two spans grow from, around a face's middle (Libertine's
# 0.32 em over the baseline; a site or reading system's serif 0.30 to 0.35): its top at
# least this far over the baseline, its bottom at least this far under it.
_BOX_ABOVE, _BOX_BELOW = 0.8, 0.15


@functools.cache
def _mark_ranges() -> tuple[tuple[int, int], ...]:
    """(first, last) of each run of non-spacing or enclosing marks' code points."""
    ranges: list[list[int]] = []
    for cp in chain.from_iterable(_PLANES):
        if unicodedata.category(chr(cp)) in ("Mn", "Me"):
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return tuple((a, b) for a, b in ranges)


@functools.cache
def _run_pattern() -> re.Pattern:
    """TALL or more non-spacing or enclosing marks in a row (format characters between
    them allowed), with the character before them, or a run of a tall script's letters
    (searched for through _matches)."""
    marks = _spell(_mark_ranges())
    scripts = _spell((a, b) for a, b, _, _ in SCRIPT_INK)
    return re.compile(f"[^\\s<>]?(?:[{marks}][{_FORMAT}]*){{{TALL},}}|[{scripts}]+")


@functools.cache
def _hint() -> re.Pattern:
    """One character that may start what _run_pattern finds: a mark of the Basic Plane,
    a tall script's letter, any character past the Basic Plane. Searched for first:
    the pattern itself is tried at every character, its marks' class range by range
    past the Basic Plane (5 ms for a 5 KB page in Latin letters), this class by a
    table (20 µs): the cost every site page pays."""
    basic = [(a, b) for a, b in _mark_ranges() if b < 0x10000]
    return re.compile(f"[{_spell(basic)}{_spell((a, b) for a, b, _, _ in SCRIPT_INK)}\\U00010000-\\U0010FFFF]")


def _matches(text: str):
    """What _run_pattern finds in `text`, as its finditer would: each match starts at a
    character _hint finds or at the one before it (the letter carrying the marks)."""
    hint, pattern, at = _hint(), _run_pattern(), 0
    while (found := hint.search(text, at)) is not None:
        start = found.start()
        match = (start > at and pattern.match(text, start - 1)) or pattern.match(text, start)
        if match:
            yield match
            at = max(match.end(), start + 1)
        else:
            at = start + 1


def _spell(pairs) -> str:
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in pairs)


def wants_room(text: str) -> bool:
    """Whether `text` holds a tall script's letter or a tower of marks (the cheap
    search before any parse)."""
    return next(_matches(text), None) is not None


def wants_rewrite(text: str) -> bool:
    """Whether a site page's (or a card's) `text` is rewritten in place: it holds a
    word needing room, or an endless cluster needing breaks (books/cluster_breaks.py).
    Such a page is drawn whole, never a card spliced into it."""
    from .cluster_breaks import wanted
    return wants_room(text) or wanted(text)


def room_for_marks(html: str) -> str:
    """`html` (a whole book) with each letter carrying TALL or more marks on a side
    wrapped in spans that give its line room for them; `html` itself (the same
    string) when there is none."""
    return rewrite_book(html, wants_room, _wrap)


def room_for_marks_fragment(body: str) -> str:
    """The same for an EPUB chapter's body (HTML that ebooklib writes as XHTML
    afterwards): a reading system's line is as tall as its line height says, whatever
    its glyphs draw, as a PDF's is. `body` itself when nothing needs room."""
    return rewrite_fragment(body, wants_room, _wrap)


@functools.lru_cache(maxsize=4096)   # a page shows a hero's name in its heading, its crumbs, its cards
def room(cluster: str) -> tuple[float, float]:
    """(em above, em below) the marks of `cluster` (a letter and its marks, or a run
    of a tall script's letters) need beyond a line's own room: none on a side with
    fewer than TALL marks, unless its script draws taller (SCRIPT_INK)."""
    ink_up = ink_down = 0.0
    for ch in set(cluster):
        for first, last, up, down in SCRIPT_INK:
            if first <= ord(ch) <= last:
                ink_up, ink_down = max(ink_up, up - _BOX_ABOVE), max(ink_down, down - _BOX_BELOW)
    # counted letter by letter: a run of a tall script holds many letters, each with
    # its own marks (a Myanmar word's ten marks are one or two a letter, no tower)
    # (marks, em) on each side of the letter being read, and the tallest stack's em of
    # a side holding TALL marks or more
    above = below = (0, 0.0)
    room_above = room_below = 0.0
    for ch in cluster:
        if unicodedata.category(ch) not in ("Mn", "Me"):
            if ch not in _FORMAT_CHARS:
                above = below = (0, 0.0)    # the next letter
            continue
        kind = unicodedata.combining(ch)
        if kind in _INSIDE:
            continue
        name = unicodedata.name(ch, "")
        size = next((em for first, last, em in TALL_MARKS if first <= ord(ch) <= last), PER_MARK)
        if kind in _BELOW or "BELOW" in name or "SUBJOINED" in name:
            below = (below[0] + 1, below[1] + size)
            room_below = max(room_below, below[1] if below[0] >= TALL else 0.0)
        else:
            above = (above[0] + 1, above[1] + size)
            room_above = max(room_above, above[1] if above[0] >= TALL else 0.0)
    return max(room_above, ink_up), max(room_below, ink_down)


def _wrap(document) -> bool:
    from lxml.html import Element
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
        words = _words(text) if text else []
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
            outer_style, inner_style = _styles(up, down)
            outer.set("style", outer_style)
            inner.set("style", inner_style)
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


def _words(text: str) -> list[tuple[int, int, float, float]]:
    """(start, end, em above, em below) of each word of `text` (a run between white
    space) holding a letter that needs room, the room its tallest stacks need (words
    side by side needing the same room, as one). The
    whole word, not the letter: text in two boxes is shaped apart, so a span around one
    letter cut it from its neighbours: Arabic's Allah (lam carrying shadda, fatha and
    the dagger alif) printed in isolated forms, a Devanagari conjunct fell apart."""
    words: list[tuple[int, int, float, float]] = []
    for found in _matches(text):
        up, down = room(found.group())
        if not (up or down):
            continue
        if words and found.start() < words[-1][1]:   # a second stack in the word before
            # its end is that word's (a match holds no white space): not sought again,
            # each stack of a word of stacks scanning to its end took a 1 MB word
            # (within HF0133's thirty marks a letter) 113 s
            start, end, was_up, was_down = words[-1]
            words[-1] = (start, end, max(up, was_up), max(down, was_down))
            continue
        end = _WORD_REST.match(text, found.end()).end()
        start, floor = found.start(), words[-1][1] if words else 0
        while start > floor and not text[start - 1].isspace():
            start -= 1
        if words and words[-1][2:] == (up, down) and text[words[-1][1]:start].isspace():
            # the word before, a space between, needing as much: one pair of spans for
            # both. A Myanmar paragraph is words of one room; a pair for each word made
            # WeasyPrint lay 36 pages out in 13 s rather than 1
            words[-1] = (words[-1][0], end, up, down)
            continue
        words.append((start, end, up, down))
    return words


_WORD_REST = re.compile(r"\S*")


def _styles(up: float, down: float) -> tuple[str, str]:
    """The outer and the inner span's style for (em above, em below) of room."""
    return (f"line-height: {_em(1 + up + down)}; vertical-align: {_em((up - down) / 2)}",
            f"line-height: 0; vertical-align: {_em((down - up) / 2)}")


def room_styles(text: str) -> tuple[str, str] | None:
    """The outer and inner span's style a whole `text` is given (the search's results,
    drawn by search.js from its index: text, not a page to rewrite), the room its
    neediest word needs on each side; None when no word needs any."""
    words = _words(text)
    if not words:
        return None
    return _styles(max(w[2] for w in words), max(w[3] for w in words))


def room_for_marks_in_place(html: str) -> str:
    """`room_for_marks` for a site page, whose other bytes must stay as written (lxml's
    serialiser rewrites its inline SVG, `viewBox` as `viewbox`, and a list page's cards
    are placed by their bytes): the spans are written into `html` itself, around the
    words of each run of text the scan (_SOURCE) finds between tags, outside what holds
    no page text (_EXEMPT, `select`'s options: a span there is dropped or shown). The
    marked page, parsed, must read as the page did, its spans the ones written; else
    (HTML the scan misreads) `html` is returned as it was: lines drawn close, nothing
    lost. `html` itself (the same string) when nothing needs room."""
    if not wants_room(html):
        return html
    pieces, at, added = [], 0, 0
    hint = _hint()
    for token in page_texts(html):
        if hint.search(token.group()) is None:
            continue
        start, text = token.start(), token.group()
        for first, last, up, down in _words(text):
            outer_style, inner_style = _styles(up, down)
            pieces.append(html[at:start + first])
            pieces.append(f'<span class="{CLASS}" style="{outer_style}"><span style="{inner_style}">'
                          f"{text[first:last]}</span></span>")
            at = start + last
            added += 1
    if not added:
        return html
    pieces.append(html[at:])
    marked = "".join(pieces)
    from lxml import etree
    before, after = (etree.fromstring(page, etree.HTMLParser()) for page in (html, marked))
    spans = f"//span[@class='{CLASS}']"
    if ("".join(before.itertext()) != "".join(after.itertext())
            or len(after.xpath(spans)) != len(before.xpath(spans)) + added):
        return html
    return marked


def page_texts(html: str) -> Iterator[re.Match]:
    """The runs of a site page's text between its tags (`_SOURCE`'s `text` tokens), in
    order, outside what holds no page text (_SKIPPED, counted as they nest): what a
    rewrite of a page's own bytes may change (this module's spans, the breaks of
    books/cluster_breaks.py)."""
    skip: list[str] = []
    for token in _SOURCE.finditer(html):
        kind = token.lastgroup
        if kind == "text":
            if not skip:
                yield token
        elif kind == "open":
            name = token.group(kind).lower()
            if (skip and name == skip[-1]) or (not skip and name in _SKIPPED):
                if not token.group().endswith("/>"):
                    skip.append(name)
        elif kind == "close" and skip and token.group(kind).lower() == skip[-1]:
            skip.pop()


# What a site page's text is held in: the elements the scan skips whole (their text is
# no page text, or foreign content a span would end), counted as they nest
_SKIPPED = _EXEMPT | {"select", "datalist", "noscript", "template", "textarea", "iframe", "object"}
# One token of a page's source: a comment, a bogus comment or doctype, a raw-text element
# whole (its text holds no tags; all that follows a <plaintext>), a start tag (group `open`: its name) or an end tag
# (`close`), each whole with its quoted values; else a run of text (`text`).
_SOURCE = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))|<[!?][^>]*>?|<plaintext\b.*"
                     r"|<(?P<raw>script|style|textarea|title|xmp|iframe|noembed|noframes)\b"
                     r"""(?:[^"'>]|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*>?.*?(?:</(?P=raw)\s*>|\Z)"""
                     r"|<(?:(?P<open>[a-zA-Z][^\s/>]*)|/(?P<close>[a-zA-Z][^\s/>]*))"
                     r"""(?:[^"'>]|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*>?"""
                     r"|(?P<text>[^<]+|<)", re.DOTALL)


def _em(value: float) -> str:
    return f"{value:.2f}em".replace("-0.00em", "0em")
