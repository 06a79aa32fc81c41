"""A block whose text starts in the other direction than its book's gets that direction.

A paragraph in Arabic in an English book gets `dir="rtl"`; a Latin name, an English
paragraph or a table cell in Latin in an Arabic or Hebrew book gets `dir="ltr"`. The
site does the first with CSS (`unicode-bidi: plaintext`), which neither WeasyPrint
reads nor an EPUB style sheet may use (epubcheck CSS-001): a paragraph in Arabic in an
English book printed aligned left, its full stop at the start of the sentence, and
"Noa Cohen-Smith (נועה)." in a Hebrew book aligned right with its stop and its closing
parenthesis at the left. So the book's HTML (the PDF's document, each EPUB chapter)
says it, as `dir="auto"` would decide it: by the first letter with a strong direction
(Unicode bidi classes L, R, AL; UAX #9, P2), when that differs from the direction the
block inherits. A block with no such letter (a cell of numbers) keeps its parent's.
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


def mark_directions(html: str, direction: str) -> str:
    """`html` (a whole book written in `direction`, "ltr" or "rtl") with a `dir` on each
    block that has none of its own and whose text starts in the other direction than
    the one it inherits (its nearest ancestor's `dir`, else the book's): a nested block
    is judged against its parent, so a list item follows its paragraph unless it starts
    otherwise. Returned unchanged (the same string, not re-serialised) when no block
    needs it, so a book without such text keeps its bytes."""
    return rewrite_book(html, _wanted(direction), lambda document: _mark(document, direction))


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


def mark_directions_fragment(body: str, direction: str) -> str:
    """The same for an EPUB chapter's body (HTML that ebooklib parses and writes as
    XHTML afterwards; the chapter's `<html>` carries the book's `direction`)."""
    if not _wanted(direction)(body):
        return body
    import lxml.html
    holder = lxml.html.fragment_fromstring(body, create_parent="div")
    if not _mark(holder, direction):
        return body
    return (holder.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in holder)


# The blocks of Unicode that hold right-to-left letters (Hebrew to Arabic Extended-A,
# the presentation forms, and the historic and Adlam/Mende planes): a C-speed search
# over a whole book (a compendium of 10,000 heroes is megabytes) before any parsing.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _has_right_to_left(text: str) -> bool:
    return _RTL_BLOCKS.search(text) is not None


def _wanted(direction: str) -> Callable[[str], bool]:
    """The cheap search before parsing: a left-to-right book needs a right-to-left
    letter somewhere. A right-to-left book is always parsed: its markup is Latin, so no
    search over the text tells a Latin word in it."""
    return _has_right_to_left if direction == "ltr" else (lambda text: True)


def _mark(root, direction: str) -> bool:
    changed = False
    for element in root.iter(*BLOCKS):
        if element.get("dir"):
            continue
        # its parent's direction: the nearest `dir` above it (one this walk set included,
        # as iter() visits a parent first), else the book's
        inherited = next((a.get("dir") for a in element.iterancestors() if a.get("dir") in ("ltr", "rtl")),
                         direction)
        own = first_strong(chain.from_iterable(_own_text(element)))
        if own is not None and own != inherited:
            element.set("dir", own)
            changed = True
    return changed


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
