"""A long word that inline markup splits may break where the markup meets it.

The print theme breaks a word too long for its line anywhere (`overflow-wrap:
anywhere`, print/css/base.css), but WeasyPrint finds no break in a word written
across inline elements when each piece fits its line and the whole does not:
`**Brrrr…**rrrr…` (30 bold letters, 45 plain) in a hero's background printed whole,
55 pt past the sheet's column, over the column beside it; a story's title
`The *Brrrr…*rrrr…` ran off the gamebook's title page. The book's HTML gives such a
word a `<wbr>` where the markup meets its letters: WeasyPrint breaks it there (and a
piece still too long inside the piece, as in prose), and prints it whole, adding
nothing to its text, when it fits. HF1139 still says the word was broken
(overflow.py). Only words of LONG letters or more get one: a short word split by
markup (`**Bold**ness`) still moves to the next line whole. Browsers break such words
without help: the site and the EPUB are left as they are.
"""

from __future__ import annotations

import re

from ..books.direction import rewrite_book

LONG = 20   # letters of a word across its markup from which the markup's edges may break it
# The inline elements a book's prose, names and titles are written with; any other
# element (a paragraph, a cell, a line break, an image) ends a word.
_INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark",
                     "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var"})
_EXEMPT = frozenset({"head", "script", "style", "title", "pre"})
# inline tags between two letters: the cheap look before any parse
_JOINED = re.compile(r"\w(?:</?(?:%s)\b[^>]*>)+\w" % "|".join(sorted(_INLINE)))
_SPACE = re.compile(r"\s")


def breakable_words(html: str) -> str:
    """`html` (a whole book) with a `<wbr>` after each run of inline tags that lies
    inside a word of LONG letters or more (letters at both sides, no space). `html`
    itself when there is none (rewrite_book)."""
    return rewrite_book(html, lambda text: _JOINED.search(text) is not None, _break)


def _break(document) -> bool:
    from lxml import etree
    # the book as a stream of texts between tags: texts[i] before tags[i], texts[i + 1] after
    texts, tags = [""], []
    for event, element in etree.iterwalk(document, events=("start", "end")):
        if not isinstance(element.tag, str):   # a comment: its text is none of the word's
            if event == "end":
                texts[-1] += element.tail or ""
            continue
        tags.append((event, element))
        texts.append((element.text if event == "start" else element.tail) or "")
    breaks = []
    start = 0
    while start < len(tags):
        end = start
        while end < len(tags) and _inline(tags[end][1]) and _joined(texts[end], texts[end + 1]):
            end += 1
        if end > start:
            before = _SPACE.split(texts[start])[-1]
            word = before + "".join(texts[start + 1:end]) + _SPACE.split(texts[end])[0]
            if len(word) >= LONG:
                for i in range(start, end):   # between letters, after the last of adjacent tags
                    if before and texts[i + 1]:
                        breaks.append(tags[i])
                    before += texts[i + 1]
        start = end + 1
    for event, element in breaks:
        wbr = etree.Element("wbr")
        if event == "start":   # inside the element, before its text
            wbr.tail, element.text = element.text, None
            element.insert(0, wbr)
        else:                  # after the element, before its tail
            wbr.tail, element.tail = element.tail, None
            element.addnext(wbr)
    return bool(breaks)


def _inline(element) -> bool:
    return element.tag in _INLINE and not any(a.tag in _EXEMPT for a in element.iterancestors())


def _joined(before: str, after: str) -> bool:
    """Whether a tag between the texts `before` and `after` stands inside a word: no
    space at its sides (an empty text, between two tags, joins)."""
    return not (before and before[-1].isspace()) and not (after and after[0].isspace())
