"""A block whose text starts in the other direction than its book's gets that direction.

A paragraph in Arabic in an English book gets `dir="rtl"`; a Latin name, an English
paragraph or a table cell in Latin in an Arabic or Hebrew book gets `dir="ltr"`. CSS's
`unicode-bidi: plaintext` neither WeasyPrint reads nor an EPUB style sheet may use
(epubcheck CSS-001): a paragraph in Arabic in an English book printed aligned left, its
full stop at the start of the sentence, and "Noa Cohen-Smith (נועה)." in a Hebrew book
aligned right with its stop and its closing parenthesis at the left. The site's pages
take their marks from here too (mark_directions_in_place), in both directions: plaintext
set a cell of numbers on an Arabic page left to right, and went by the first letter
alone on an English one (an English sentence with an Arabic name first right to left).
So the book's HTML (the PDF's document, each EPUB chapter)
says it, as `dir="auto"` would decide it: by the first letter with a strong direction
(Unicode bidi classes L, R, AL; UAX #9, P2), when that differs from the direction the
block inherits — unless most of the block's words are in the inherited direction (a
Latin name first in an Arabic sentence: `block_direction`). A block with no such letter
(a cell of numbers) keeps its parent's. In right-to-left text a negative number gets a
LEFT-TO-RIGHT MARK before its minus (`mark_signs`), or it read "1-": a cell's, and one a
template writes inside a sentence (an attribute of -3 "on a scale of -5 to 20").
Our own code rather than a library: it is a walk over lxml's tree and a call to
unicodedata per block.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import chain
from typing import Any, Callable, Iterable

# The elements that hold a paragraph of text in our book templates.
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "caption", "figcaption",
          "blockquote")


def first_strong(text: Iterable[str]) -> str | None:
    """"rtl", "ltr" or None (no letter with a direction: numbers, punctuation), for a
    string or any iterable of its characters."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def block_direction(text: str, inherited: str) -> str | None:
    """The direction of a block of `text` inside one of direction `inherited`: its
    first strong letter's (as `dir="auto"` reads it), unless most of its words with a
    direction are in the inherited one — a brand or a hero's name first ("Rook Amsel
    يمشي في الضباب.") does not turn an Arabic sentence left to right, nor an Arabic name
    an English one; on a tie the first letter decides ("Noa (نوعا)."). None for a
    block with no letter with a direction (a cell of numbers: it keeps its parent's).
    Text between an isolate's FSI/LRI/RLI and its PDI is not read (UAX #9 P2 skips it,
    as `dir="auto"` does): a name a theme's or a book's sentence set apart
    (theme_words.isolated) is there so as not to decide its sentence's direction, and
    "⁨Rook Amsel Storm⁩ يصل." was marked left to right on an Arabic page by its name."""
    text = _outside_isolates(text)
    first = first_strong(text)
    if first is None or first == inherited:
        return first
    words = {"ltr": 0, "rtl": 0}
    for word in text.split():
        kind = first_strong(word)
        if kind is not None:
            words[kind] += 1
    return inherited if words[inherited] > words[first] else first


_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2066\u2067\u2068", "\u2069"


def _outside_isolates(text: str) -> str:
    """`text` less what lies inside an isolate (from FSI, LRI or RLI to its matching PDI,
    nested ones counted; an isolate not closed runs to the end, as UAX #9 BD9 reads it)."""
    if not any(c in text for c in _ISOLATE_OPEN):
        return text
    kept, depth = [], 0
    for char in text:
        if char in _ISOLATE_OPEN:
            depth += 1
            kept.append(" ")   # the isolate parts the words around it
        elif char == _ISOLATE_CLOSE and depth:
            depth -= 1
        elif not depth:
            kept.append(char)
    return "".join(kept)


def mark_directions(html: str, direction: str) -> str:
    """`html` (a whole book written in `direction`, "ltr" or "rtl") with a `dir` on each
    block that has none of its own and whose text starts in the other direction than
    the one it inherits (its nearest ancestor's `dir`, else the book's): a nested block
    is judged against its parent, so a list item follows its paragraph unless it starts
    otherwise; and words of the other direction that run across inline elements held in
    a `<span dir>` (inline_runs.py), which WeasyPrint needs to set them in order.
    Returned unchanged (the same string, not re-serialised) when no block needs it, so
    a book without such text keeps its bytes."""
    from .inline_runs import isolate_runs     # here: it reads this module's RTL_BLOCKS
    # both, always (`|`, not `or`): a run of the other direction across elements needs
    # its span whether or not a block was marked
    return rewrite_book(html, _wanted_in_print(direction),
                        lambda document: _mark(document, direction, settle_auto=True) | isolate_runs(document, direction))


def rewrite_book(html: str, wanted: Callable[[str], bool], change: Callable[[Any], bool]) -> str:
    """`html` (a whole book) parsed by lxml, changed in place by `change(document)` and
    serialised again, but only when `wanted(html)` (a cheap search before any parse)
    and `change` says it changed something (True): else `html` itself, the same string,
    so a book that needs nothing keeps its bytes. The one shape of every whole-book
    rewrite for print (this module's direction marks, pdf/addresses.py's spans)."""
    if not wanted(html):
        return html
    import lxml.html
    document = lxml.html.document_fromstring(html)
    if not change(document):
        return html
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def rewrite_fragment(body: str, wanted: Callable[[str], bool], change: Callable[[Any], bool]) -> str:
    """`rewrite_book` for an EPUB chapter's body (HTML that ebooklib parses and writes as
    XHTML afterwards): parsed under a `<div>` made up to hold it, changed in place by
    `change(holder)`, and the holder's content serialised; `body` itself when not
    `wanted(body)` or nothing changed. The text before the first element is escaped as
    lxml escapes every other: given as parsed, a theme's chapter opening with a writer's
    name (`{{ hero.name }}<p>…`, a name `<img src=x onerror=…>` escaped by the template)
    had that name written into the book as an element."""
    if not wanted(body):
        return body
    import html
    import lxml.html
    holder = lxml.html.fragment_fromstring(body, create_parent="div")
    if not change(holder):
        return body
    return html.escape(holder.text or "", quote=False) + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in holder)


def mark_directions_fragment(body: str, direction: str) -> str:
    """The same for an EPUB chapter's body (HTML that ebooklib parses and writes as
    XHTML afterwards; the chapter's `<html>` carries the book's `direction`)."""
    return rewrite_fragment(body, _wanted(direction), lambda holder: _mark(holder, direction))


def mark_directions_in_place(html: str, direction: str) -> str:
    """`mark_directions` for a page whose other bytes must stay as written (the site's:
    lxml's serialiser would rewrite its inline SVG, `viewBox` as `viewbox`, `<path/>`
    as `<path></path>`): the same rule decides on lxml's tree, and each `dir` it adds
    is written into `html` itself, after its block's `<tag`. The start tags are found
    in document order by _START_TAGS; when they do not pair with the parsed blocks one
    to one (a tag the parser implied or dropped), or the marked page, parsed again, does
    not carry the marks the tree does (each `dir`, and the LRM `_mark` put before a
    block's negative number, written right after its start tag) (a `<p` the scan took that the parser did not: a
    page whose HTML the scan misreads), the page is serialised as a book is.
    Returned unchanged (the same string) when no block needs a mark."""
    import lxml.html
    from lxml import etree
    # lxml's plain elements: lxml.html's look up a class for each element they wrap
    document = etree.fromstring(html, etree.HTMLParser())
    blocks = list(document.iter(*BLOCKS))
    bare = [element.get("dir") is None for element in blocks]
    signs: list = []   # each number's minus in the page's texts, in order: marked or not
    if not _mark(document, direction, signs=signs):
        return html
    serialised = lambda: lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
    tokens = list(_START_TAGS.finditer(html))
    starts = [match for match in tokens if match.group("block")]
    if [match.group("block").lower() for match in starts] != [element.tag for element in blocks]:
        return serialised()
    places = _signs_in_place(html, tokens, signs)
    if places is None:
        return serialised()
    edits = [(match.end("block"), f' dir="{element.get("dir")}"')
             for match, element, was_bare in zip(starts, blocks, bare) if was_bare and element.get("dir") is not None]
    edits += [(place, LRM) for place in places]
    pieces, at = [], 0
    for place, text in sorted(edits):
        pieces.append(html[at:place])
        pieces.append(text)
        at = place
    pieces.append(html[at:])
    marked = "".join(pieces)
    # the scan is not the parser: one pairing it got wrong (the names alike, the places
    # not) would write `dir` into an attribute's value and leave the block unmarked.
    # Parsed again, the page must say what the tree says (~15% of the marking's cost).
    again = etree.fromstring(marked, etree.HTMLParser())
    if [(e.get("dir"), e.text) for e in again.iter(*BLOCKS)] != [(e.get("dir"), e.text) for e in blocks] \
            or (places and [(e.text, e.tail) for e in again.iter()] != [(e.text, e.tail) for e in document.iter()]):
        return serialised()
    return marked


def _signs_in_place(html: str, tokens: list, signs: list[bool]) -> list[int] | None:
    """Where in `html` (the page, `tokens` its _START_TAGS matches) the LRMs `_mark` put
    into the tree's texts go (`signs`: for each number's minus in the tree's texts, in
    document order, whether it was marked): the k-th minus in the tree's texts is the
    k-th in the text between the page's tags, which holds the same characters. None
    when the two do not count alike (a minus written `&#8722;`): the caller serialises."""
    marked = [k for k, sign in enumerate(signs) if sign]
    if not marked:
        return []
    from bisect import bisect_right
    starts = [token.start() for token in tokens]
    in_page = []
    for match in _NUMBER_SIGN.finditer(html):
        # not one inside a tag, a comment or a raw-text element (an SVG's `x="-1"`)
        before = bisect_right(starts, match.start()) - 1
        if before < 0 or tokens[before].end() <= match.start():
            in_page.append(match.start())
    if len(in_page) != len(signs):
        return None
    return [in_page[k] for k in marked]


# A block's start tag (group `block`: its name), skipping what holds no elements for the
# parser (HTML's tokenizer, which libxml2 2.14 follows): a comment (`<!-->` and `--!>`
# end one too), a bogus comment (`<!…>`, `<?…>`: `<![CDATA[` in HTML), the text of a
# raw-text element, and each tag whole, its quoted values with it: an `alt="<p x"` or
# a `<!--` in one holds no tag. A quote never closed runs to the end, as the tokenizer
# reads it (and so each try ends where the next starts: linear).
_ATTRIBUTES = r"""(?:[^"'>]|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*>?"""
_RAW = "script|style|textarea|title|xmp|iframe|noembed|noframes"
_START_TAGS = re.compile(r"<!--(?:-?>|.*?(?:--!?>|\Z))|<[!?][^>]*>?|<plaintext\b.*"
                         rf"|<(?P<raw>{_RAW})\b{_ATTRIBUTES}.*?(?:</(?P=raw)\s*>|\Z)"
                         r"|<(?:(?P<block>" + "|".join(BLOCKS) + r")(?=[\s/>])|/?[a-z][^\s/>]*)" + _ATTRIBUTES,
                         re.IGNORECASE | re.DOTALL)


# The blocks of Unicode that hold right-to-left letters (Hebrew to Arabic Extended-A,
# the presentation forms, and the historic and Adlam/Mende planes): a C-speed search
# over a whole book (a compendium of 10,000 heroes is megabytes) before any parsing.
RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _has_right_to_left(text: str) -> bool:
    return RTL_BLOCKS.search(text) is not None


def needs_marks(direction: str) -> Callable[[str], bool]:
    """The cheap test of a page (or a part of one) in `direction` before it is parsed for
    marks: always on a right-to-left page; on a left-to-right one, a right-to-left letter
    outside an element of no other tags that carries its own `dir` (the language menu's
    "العربية" on every English page of a world with an Arabic edition: its text counts
    for no block, so such a page is neither parsed nor, in `serve`, written whole)."""
    if direction != "ltr":
        return _wanted(direction)
    return lambda text: _has_right_to_left(text) and _has_right_to_left(_OWN_DIRECTION.sub("", text))


# an element with a `dir` of its own and only text inside (`<a … dir="rtl">العربية</a>`)
_OWN_DIRECTION = re.compile(r"""<([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*\sdir\s*=\s*["']?(?:rtl|ltr)\b[^<>]*>[^<]*</\1\s*>""")


def _wanted(direction: str) -> Callable[[str], bool]:
    """The cheap search before parsing: a left-to-right book needs a right-to-left
    letter somewhere. A right-to-left book is always parsed: its markup is Latin, so no
    search over the text tells a Latin word in it."""
    return _has_right_to_left if direction == "ltr" else (lambda text: True)


def _wanted_in_print(direction: str) -> Callable[[str], bool]:
    """`_wanted`, or any `dir="auto"` (for `settle_auto`): a right-to-left letter found
    by the first search is also what makes an `auto` differ from the book's direction."""
    letters = _wanted(direction)
    return lambda text: letters(text) or _AUTO.search(text) is not None


# `dir=auto` as an attribute (any quotes, any case: HTML's attribute values are read so)
_AUTO = re.compile(r"""\sdir\s*=\s*["']?auto\b""", re.IGNORECASE)


def _mark(root, direction: str, settle_auto: bool = False, signs: list | None = None) -> bool:
    """Sets `dir` on each block under `root` (itself included) that has none and whose
    text starts in the other direction than its parent's; True when it set one.
    `settle_auto` (a PDF's book: WeasyPrint reads `dir="ltr"` and `"rtl"` only, and set
    an element a writer or a translator marked `dir="auto"`, a link `{dir=auto}` in a
    translated scene, a project template's block, in its parent's direction) also
    writes each `auto`, on any element, as the direction HTML gives it: its own text's
    first strong letter's, else left to right (HTML's rule for an `auto` with no such
    letter, not its parent's: "(1) 2" in an Arabic line reads "(1) 2" in a browser).
    Every text in right-to-left context gets `mark_signs`; `signs`, when given, is
    appended whether each number's minus of every text (in document order) was marked."""
    from lxml import etree
    changed = False
    # what each open element passes on to its children: its own `dir`, one this walk
    # set included, else its parent's (the book's at the top). One walk over the tree:
    # looking up each block's ancestors was most of an Arabic site page's cost.
    passed = [direction]
    signing = [direction == "rtl"]
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event in ("end", "comment", "pi"):
            if event == "end":   # (a comment or a processing instruction has no end: only its tail)
                passed.pop()
                signing.pop()
            tail = element.tail   # (lxml makes a new string on each read)
            if tail and _may_sign(tail) and element is not root:
                if (text := _signed(tail, signing[-1], signs)) is not tail:
                    element.tail = text
                    changed = True
            continue
        own = element.get("dir")
        if settle_auto and own is not None and own.strip().lower() == "auto":
            own = first_strong(chain.from_iterable(_own_text(element))) or "ltr"
            element.set("dir", own)
            changed = True
        elif not own and element.tag in _BLOCK_TAGS:
            own = block_direction("".join(_own_text(element)), passed[-1])
            if own is not None and own != passed[-1]:
                element.set("dir", own)
                changed = True
        passed.append(own if own in ("ltr", "rtl") else passed[-1])
        # a number's minus in right-to-left text (not in an `auto` element, whose
        # direction an LRM would decide, nor in code a reader copies: an Arabic page's
        # `git log -5` pasted into a terminal carried the invisible mark)
        signing.append(False if element.tag in _VERBATIM_TAGS else
                       signing[-1] if own is None or not own.strip() else own.strip().lower() == "rtl")
        own_text = element.text
        if own_text and _may_sign(own_text) and isinstance(element.tag, str) \
                and element.tag not in _RAW_TAGS:
            if (text := _signed(own_text, signing[-1], signs)) is not own_text:
                element.text = text
                changed = True
    return changed


def _signed(text: str, signing: bool, signs: list | None) -> str:
    """`mark_signs(text)` when `signing` (right-to-left text), else `text`; each number's
    minus in it noted in `signs` (when given) as marked or not."""
    if signs is not None:
        signs += [signing] * len(_NUMBER_SIGN.findall(text))
    return mark_signs(text) if signing else text


LRM = "\u200e"
# A number's sign (a minus, or a plus: the credits' "+3", a writer's "+5"): before a
# digit, and not after a letter, a digit or a mark already there ("B-52", "5-3", "1+2"
# and "‎-1" are left as they are). The digits are those bidi reads as European numbers:
# Latin, and the Persian and Urdu ones (U+06F0–06F9: a Persian translation's "-۵" was
# drawn "۵-"; CLDR writes Persian's minus after the mark too). The Arabic-Indic ones
# (٠–٩, Arabic numbers to bidi) are drawn after their sign by themselves.
_NUMBER_SIGN = re.compile("(?<![\\w\u200e])[-+\u2212](?=[0-9\u06f0-\u06f9])")


def _may_sign(text: str) -> bool:
    """The cheap test before the search: `text` holds a character a number's sign is."""
    return "-" in text or "+" in text or "\u2212" in text
# what holds no text of the page's to mark (the raw-text elements _START_TAGS skips whole:
# the story's data island, a style sheet, the tab's title)
_RAW_TAGS = frozenset(_RAW.split("|"))
# text a reader copies as it is (a command, a value to type): no mark goes into it
_VERBATIM_TAGS = frozenset(("code", "pre", "kbd", "samp"))


def mark_signs(text: str) -> str:
    """`text` (right-to-left text of a page or a book) with a LEFT-TO-RIGHT MARK before
    each negative number's minus, and each plus before a number (CLDR writes both so;
    the credits' "+3" after an Arabic name read "3+"); `text` itself when it holds none. In a right-to-left
    line that minus, a neutral character, takes the line's direction and is drawn right
    of the digits: a derived stat's -1 read 1- in its cell, a hero's attribute of -3
    "3-" with its scale "on a scale of 5- to 20" (sheet, compendium, site). The mark (as
    CLDR writes Arabic's, Persian's and Hebrew's minus with Latin digits) makes the sign
    and its digits one left-to-right run; a cell stays aligned as its column is. A
    minus after a letter or a digit (`B-52`, `5-3`) is a hyphen or a subtraction, drawn
    right already; one after a mark (books/words.py `signed`'s) keeps it alone. `_mark`
    leaves code (`code`, `pre`, `kbd`, `samp`) as written: a reader copies it."""
    if not _may_sign(text):
        return text
    marked = _NUMBER_SIGN.sub(LRM + r"\g<0>", text)
    return text if marked == text else marked


_BLOCK_TAGS = frozenset(BLOCKS)


def _own_text(element):
    """The text `dir="auto"` reads on `element` (HTML's auto directionality; UAX #9 P2
    skips an isolate's letters alike): every text inside it but that of a descendant
    with a `dir` of its own (an untranslated line's `<span dir="ltr" lang="en">` in an
    Arabic heading: it is set apart in its own direction and leaves the heading right
    to left, as on the site) or a `<bdi>`. Lazily, in order: a block's first letter is
    usually its first character."""
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str) and not child.get("dir") and child.tag != "bdi":
            yield from _own_text(child)
        if child.tail:
            yield child.tail
