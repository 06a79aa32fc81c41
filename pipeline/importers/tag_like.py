"""Passage text before it is parsed as HTML: which `<` opens markup, which is text.

Twine's formats show passage text through their own markup parsers, not a browser's:
SugarCube's wikifier and Harlowe's lexer take `<name attr…>` as an element only when the
whole tag is written, and show any other `<` as the character (`a<b.`, `I <3 you`;
Harlowe's `[hook]<name|` is a hook's name, which twine_body reads). libxml2's HTML parser, which reduces the markup to its text,
instead opens a tag at any `<` and a letter and reads on to the next `>`, so the text
between (`a<b. She wrote <i>` lost "b. She wrote ") vanished from the import unsaid.

Here every `<` that does not open a whole tag of an HTML element is written `&lt;`
before the parse, so it stays the character it was. A whole tag whose name is no HTML
element (`<Keep Out>`, `<the end>`) is text too, and is returned as *tag-like*: the
format made an unknown, empty element of it, so the reader saw nothing there, but the
writer typed it, so the import keeps it and says so (HF1014) rather than drop it.
"""

from __future__ import annotations

import re

import lxml.html.defs

# lxml's list (HTML 4 and the HTML5 of 2012) and the elements WHATWG's HTML added since
ELEMENTS = frozenset(lxml.html.defs.tags) | {
    "bdi", "data", "dialog", "main", "picture", "search", "slot", "template",
    "rb", "rtc", "nobr", "noframes", "frame", "xmp", "listing", "plaintext", "image"}
# Their content is not HTML (raw text), or is foreign markup with its own element names
# (SVG's `<path>`, MathML's `<mi>`): passed to the parser as written, up to the end tag.
_OPAQUE = ("script", "style", "textarea", "title", "svg", "math")

# A whole tag: SugarCube's wikifier's htmlTag grammar, which Harlowe's lexer also keeps
# to (a name, attributes with optional quoted or bare values, an optional `/`), except
# that no part of it holds a `<`: so a try ends at the next `<` and the whole guard stays
# linear in the text (`<a b<a b…` or `<a x="…` repeated would otherwise be quadratic).
# A `<` in an attribute's value (`title="a<b"`) then keeps its tag as text: seen, not lost.
_TAG = re.compile(r"""<(/?)([A-Za-z][\w:.-]*)"""
                  r"""((?:\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"<]*"|'[^'<]*'|[^\s"'=<>`]+))?)*)\s*/?>""")
_DECLARATION = re.compile(r"<!(?!--)[^<>]*>")    # `<!DOCTYPE html>`, `<![CDATA[`… left to the parser


def guard(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(`text` with each `<` that opens no HTML element's tag written `&lt;`, the
    tag-like texts kept) — the second a list of (offset in `text`, the tag as written),
    in order. `<!-- … -->` (a comment) and `<!…>` are left to the parser. Linear in
    `len(text)`: each character is looked at a bounded number of times."""
    out: list[str] = []
    tag_like: list[tuple[int, str]] = []
    comments_end = text.rfind("-->")   # no `<!--` after the last `-->` is closed
    i = 0
    while True:
        at = text.find("<", i)
        if at < 0:
            out.append(text[i:])
            break
        out.append(text[i:at])
        if text.startswith("<!--", at) and at + 4 <= comments_end:
            end = text.find("-->", at + 4) + 3
            out.append(text[at:end])
            i = end
            continue
        if (m := _DECLARATION.match(text, at)) is not None:
            out.append(m.group(0))
            i = m.end()
            continue
        m = _TAG.match(text, at)
        if m is None:
            out.append("&lt;")
            i = at + 1
            continue
        name = m.group(2).lower()
        if name not in ELEMENTS:
            out.append("&lt;")
            tag_like.append((at, m.group(0)))
            i = at + 1
            continue
        i = m.end()
        if not m.group(1) and name in _OPAQUE:
            close = re.compile(rf"</{name}\s*>", re.I).search(text, i)
            i = close.end() if close else len(text)
        out.append(text[at:i])
    return "".join(out), tag_like
