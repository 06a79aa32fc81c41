"""Han characters (hanja) in Korean text are printed in their Korean forms.

A Han character is drawn from the CJK font fontconfig falls back to for its run's
language, and Pango decides that language by script: Korean is written in Hangul
only as far as Pango knows (pango_language_includes_script("ko", Han) is false), so a
Korean run's hanja are looked up with no language and get Noto Sans CJK JP, the
Japanese forms, while the Hangul around them gets the Korean face. No
`font-language-override` helps (Chinese's does, pdf/han_forms.py: "zh-cn" includes
Han); naming the Korean face does. So each run of Han characters in text whose
language is Korean (`lang="ko…"` on it or an ancestor: a Korean world's books, a
Korean translation, a line left in Korean in another book) gets a
`<span class="ko-han">`, which every book sets in Noto Sans CJK KR (pdf/han_forms.py,
whatever the theme), the face the Hangul beside it falls back to. A machine without
that face prints as before. Books with no Korean hanja keep their bytes. Running heads
copy the text only (`string()`), not the span: in a Korean book (the root's `lang`)
the shipped base.css names the Korean face after each margin box's own (`--ko-han`).
"""

from __future__ import annotations

import re

from ..books.direction import rewrite_book

# CJK radicals, ideographic iteration and number marks, the Unified Ideographs with
# their extensions (BMP and planes 2-3) and the compatibility ideographs: what Korean
# writes as hanja.
_HAN = re.compile("[\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff"
                  "\uf900-\ufaff\U00020000-\U0003ffff]+")
_KOREAN = re.compile(r"""\blang=["']?ko(?:[-_"'\s>])""", re.IGNORECASE)
CLASS = "ko-han"
# Not text a reader sees (the PDF's title is metadata: no markup inside it).
_EXEMPT = frozenset({"head", "title", "script", "style"})
# Foreign content: an HTML span inside a template's <svg> <text> ends the <svg> for the
# parser WeasyPrint reads the book with, and the rest of the text spilled into the page.
_FOREIGN = frozenset({"svg", "math"})


def mark_korean_han(html: str) -> str:
    """`html` (a whole book) with each run of Han characters in Korean text wrapped in
    a span of class `ko-han`; `html` itself (the same string) when there is none."""
    return rewrite_book(html, _wanted, _wrap)


def _wanted(html: str) -> bool:
    return _KOREAN.search(html) is not None and _HAN.search(html) is not None


def _is_korean(lang: str | None) -> bool:
    return bool(lang) and lang.replace("_", "-").split("-")[0].lower() == "ko"


def _wrap(root) -> bool:
    from lxml.html import Element
    korean: dict = {}
    slots = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        own = element.get("lang")
        inherited = korean.get(parent, False) if parent is not None else False
        korean[element] = _is_korean(own) if own is not None else inherited
        if element.tag in _EXEMPT or (parent is not None and parent.tag in _EXEMPT) or element.get("class") == CLASS:
            continue
        if any(a.tag in _FOREIGN for a in element.iterancestors()):
            continue
        if korean[element] and element.tag not in _FOREIGN:
            slots.append((element, None))              # its text before the first child
        if inherited and parent.get("class") != CLASS:
            slots.append((parent, element))            # its tail is its parent's text
    changed = False
    for parent, child in slots:
        text = parent.text if child is None else child.tail
        if not text or _HAN.search(text) is None:
            continue
        pieces, found = _HAN.split(text), _HAN.findall(text)
        if child is None:
            parent.text = pieces[0]
        else:
            child.tail = pieces[0]
        anchor = child   # each span after the one before it: insert(n) and index() walk the children
        for han, after in zip(found, pieces[1:]):
            span = Element("span")
            span.set("class", CLASS)
            span.text, span.tail = han, after
            if anchor is None:
                parent.insert(0, span)
            else:
                anchor.addnext(span)
            anchor = span
        changed = True
    return changed
