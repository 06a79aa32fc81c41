"""A web or mail address, or a long machine id, typed in prose (not as code) never gets a
hyphen it does not hold.

The print theme hyphenates prose (`hyphens: auto`), and WeasyPrint's hyphenator reads
an address as a word: `https://example.org/registrations` printed as `regis‐trations`
over two lines, and a reader who typed it in got another address. Code is exempt by
CSS (`code { hyphens: manual }`), but an address or id written as plain text or as a
link's text has no element of its own for a rule to select. So the book's HTML gives
each one a `<span style="hyphens: manual">`: an inline style, so a theme's own style
sheet need not know of it; too long for its line it still breaks, without a mark
(`overflow-wrap: anywhere`, print/css/base.css).
"""

from __future__ import annotations

import re

from ..books.direction import rewrite_book

# A scheme URL (`https://…`, `mailto:` has no `//` and is caught as a mail address),
# a `www.` host, a mail address, or a long id: a word joined by `_`, or one mixing
# letters and digits (a seal, a ledger number), 16 characters or more. Trailing
# sentence punctuation is not part of the address.
_ADDRESS = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'’”]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?=[\w-]*_)[\w-]{16,}"
    r"|\b(?=[a-zA-Z-]*\d)(?=[\d-]*[a-zA-Z])[a-zA-Z\d-]{16,}\b")
# Where an address is already safe (code) or is not text (scripts, styles).
# Nor inside a template's <svg> or <math>: foreign content, where an HTML span ends the
# <svg> for the parser WeasyPrint reads the book with (a banner's text spilled out of it).
_EXEMPT = frozenset({"code", "pre", "kbd", "samp", "script", "style", "title", "head", "svg", "math"})
_STYLE = "hyphens: manual"


def keep_addresses_whole(html: str) -> str:
    """`html` (a whole book) with every address or long id in its text wrapped in a
    span that is not hyphenated. Returned unchanged (the same string, not re-serialised)
    when no text holds one, so a book without addresses keeps its bytes."""
    return rewrite_book(html, _in_text, _wrap)   # _in_text before any parsing: most books hold none


def _in_text(html: str) -> bool:
    """Whether an address may be in the text of `html`: a match inside a tag (an
    anchor's id, a link's href) is not, and a book's ids match the long-id pattern
    throughout (parsing a small book for nothing cost 24 ms)."""
    for match in _ADDRESS.finditer(html):
        if html.rfind("<", 0, match.start()) <= html.rfind(">", 0, match.start()):
            return True
    return False


def _wrap(root) -> bool:
    from lxml.html import Element
    changed = False
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in _EXEMPT \
                or any(a.tag in _EXEMPT for a in element.iterancestors()):
            continue
        if element.get("style") == _STYLE:
            continue   # one of ours
        # the text before the first child, then each child's tail (text after it)
        slots = [(element, None)] + [(element, child) for child in element]
        for parent, child in slots:
            text = parent.text if child is None else child.tail
            if not text or _ADDRESS.search(text) is None:
                continue
            pieces = _ADDRESS.split(text)
            found = _ADDRESS.findall(text)
            if child is None:
                parent.text = pieces[0]
            else:
                child.tail = pieces[0]
            # each span placed after the one before it: insert(n) and index() walk the
            # children, and a paragraph of 16,000 addresses took a second, growing as its square
            anchor = child
            for address, after in zip(found, pieces[1:]):
                span = Element("span", style=_STYLE)
                span.text, span.tail = address, after
                if anchor is None:
                    parent.insert(0, span)
                else:
                    anchor.addnext(span)
                anchor = span
            changed = True
    return changed
