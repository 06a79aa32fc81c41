"""A block of right-to-left text in a left-to-right book gets `dir="rtl"`.

The site does this with CSS (`unicode-bidi: plaintext`), which neither WeasyPrint
reads nor an EPUB style sheet may use (epubcheck CSS-001): a paragraph in Arabic in an
English book printed aligned left, its full stop at the start of the sentence. So the
book's HTML (the PDF's document, each EPUB chapter) says it, as `dir="auto"` would
decide it: by the first letter with a strong direction (Unicode bidi classes L, R, AL;
UAX #9, P2). Our own code rather than a library: it is a walk over lxml's tree and a
call to unicodedata per block.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable

# The elements that hold a paragraph of text in our book templates.
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "caption", "figcaption",
          "blockquote")


def first_strong(text: str) -> str | None:
    """"rtl", "ltr" or None (no letter with a direction: numbers, punctuation)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def mark_right_to_left(html: str) -> str:
    """`html` (a whole book, left to right) with `dir="rtl"` on each block whose text
    starts right to left, that has no `dir` of its own and is not inside a block marked
    `dir="rtl"` already (a nested list item follows its paragraph). Returned unchanged
    (the same string, not re-serialised) when no block needs it, so a book without such
    text keeps its bytes."""
    return rewrite_book(html, _has_right_to_left, _mark)


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


def mark_right_to_left_fragment(body: str) -> str:
    """The same for an EPUB chapter's body (HTML that ebooklib parses and writes as
    XHTML afterwards)."""
    if not _has_right_to_left(body):
        return body
    import lxml.html
    holder = lxml.html.fragment_fromstring(body, create_parent="div")
    if not _mark(holder):
        return body
    return (holder.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in holder)


# The blocks of Unicode that hold right-to-left letters (Hebrew to Arabic Extended-A,
# the presentation forms, and the historic and Adlam/Mende planes): a C-speed search
# over a whole book (a compendium of 10,000 heroes is megabytes) before any parsing.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")


def _has_right_to_left(text: str) -> bool:
    return _RTL_BLOCKS.search(text) is not None


def _mark(root) -> bool:
    changed = False
    for element in root.iter(*BLOCKS):
        inherited = next((a.get("dir") for a in element.iterancestors() if a.get("dir")), "ltr")
        if element.get("dir") or inherited != "ltr":
            continue
        if first_strong(element.text_content()) == "rtl":
            element.set("dir", "rtl")
            changed = True
    return changed
