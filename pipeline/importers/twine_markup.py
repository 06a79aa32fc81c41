"""Twine's own text styles (`''bold''`, `//italic//`…) → the HTML elements the story
format's player makes of them, so that the one mechanism that keeps `<em>` and
`<strong>` as Markdown (twine.py, `_MARKS`) keeps these too.

What each format makes of its markup (SugarCube 2's `formatByChar` parser; Harlowe 3's
lexer patterns):

| markup | SugarCube 2 | Harlowe 3 |
|---|---|---|
| `''…''` | `<strong>` | `<b>` |
| `//…//` | `<em>` | `<i>` |
| `**…**` | (text) | `<strong>` |
| `*…*` | (text) | `<em>` |
| `==…==` | `<s>` | (text) |
| `~~…~~` | `<sub>` | `<s>` |
| `^^…^^` | `<sup>` | `<sup>` |
| `__…__` | `<u>` | (text) |

Underline, superscript and subscript have no Markdown form: their elements are made
too, with `data-twine` naming the markup, so the import reduces them to their text
and says so at the markup (HF1009) rather than drop the delimiters unsaid.

Where the player reads no markup, none is read here: inside an HTML tag
(`<a href="http://x//y">`), a comment, a web address (`http://x//y`: both formats'
URL patterns come before `//`), SugarCube's `<html>…</html>` (shown as raw HTML: our
own Twee export writes its prose so) and elements whose content is not markup
(`<script>`…). Verbatim markup, macros and link targets never reach this module (the
scanners in twine_body.py give it text only).

Pairing, as each player pairs: SugarCube opens an element at any delimiter and closes
it at the next of the same kind, styles nesting inside (an opener never closed runs
to the end of the text, as the wikifier's `subWikify` does; past MAX_DEPTH open, a
delimiter is text); Harlowe pairs an opener
with the next delimiter of its kind, and one never closed is shown as typed.
"""

from __future__ import annotations

import re

from .tag_like import _TAG

SUGARCUBE = {"''": "strong", "//": "em", "==": "s", "~~": "sub", "^^": "sup", "__": "u"}
HARLOWE = {"''": "b", "//": "i", "**": "strong", "*": "em", "~~": "s", "^^": "sup"}
# How deep SugarCube's styles (whose delimiters open one inside another until closed)
# are read: past it a delimiter is text as typed. Our marks are four, so deeper adds
# nothing, and lxml's HTML parser drops what is nested past 255 elements (the text too).
MAX_DEPTH = 32
# no Markdown form: reduced to the text, and said
NO_MARKDOWN = {"u": "underline", "sup": "superscript", "sub": "subscript"}

_SKIP = (r"<!--.*?(?:-->|\Z)"                                           # a comment
         r"|<(?P<raw>script|style|textarea|title|svg|math)\b.*?(?:</(?P=raw)\s*>|\Z)")   # not markup inside
_SC_URL = r"(?:file|https?|mailto|ftp|javascript|irc|news|data):[^\s'\"]+"
_H_URL = r"(?:https?|mailto|javascript|ftp|data)://[^\s<]+[^<.,:;\"')\]\s]"
_SC = re.compile(rf"(?P<skip>{_SKIP}|<html>.*?(?:</html>|\Z)|{_SC_URL})|(?P<tag><)"
                 r"|(?P<mark>''|//|==|~~|\^\^|__)", re.S | re.I)
# Harlowe: `*` opening a line and followed by a space is a bullet, not emphasis
_H = re.compile(rf"(?P<skip>{_SKIP}|{_H_URL}|^[ \t]*\*+(?=[ \t]))|(?P<tag><)"
                r"|(?P<mark>''|//|\*\*|\*|~~|\^\^)", re.S | re.I | re.M)


def styled(text: str, harlowe: bool) -> tuple[str, list[tuple[int, str]]]:
    """`text` with each pair of the format's style markup written as its element (see
    the table above), and the (offset, delimiter) of each pair that has no Markdown
    form. Linear in the text."""
    names = HARLOWE if harlowe else SUGARCUBE
    tokens: list[tuple[int, str]] = []
    pos = 0
    scanner = _H if harlowe else _SC
    while (m := scanner.search(text, pos)) is not None:
        pos = m.end()
        if m.group("tag") is not None:
            tag = _TAG.match(text, m.start())
            pos = tag.end() if tag else pos
        elif m.group("mark") is not None:
            tokens.append((m.start(), m.group("mark")))
    if not tokens:
        return text, []
    pairs = _pair_harlowe(tokens) if harlowe else _pair_sugarcube(tokens)
    edits: dict[int, tuple[str, int]] = {}      # offset → (the tag written there, delimiter length)
    plain: list[tuple[int, str]] = []
    ends: list[str] = []                        # the end tags of the styles never closed
    for (start, delim), end in pairs:
        name = names[delim]
        attr = f' data-twine="{_attribute(delim)}"' if name in NO_MARKDOWN else ""
        if attr:
            plain.append((start, delim))
        edits[start] = (f"<{name}{attr}>", len(delim))
        if end is not None:
            edits[end] = (f"</{name}>", len(delim))
        else:
            ends.append(f"</{name}>")
    edits[len(text)] = ("".join(ends), 0)
    out, last = [], 0
    for at in sorted(edits):
        written, length = edits[at]
        out += [text[last:at], written]
        last = at + length
    out.append(text[last:])
    return "".join(out), sorted(plain)


def _attribute(delim: str) -> str:
    return delim.replace("&", "&amp;").replace('"', "&quot;")


def _pair_sugarcube(tokens: list[tuple[int, str]]) -> list[tuple[tuple[int, str], int | None]]:
    """The wikifier's: the innermost open style closes at its own delimiter; any other
    opens a style inside it; one left open runs to the end (None)."""
    stack: list[tuple[int, str]] = []
    pairs = []
    for token in tokens:
        if stack and stack[-1][1] == token[1]:
            pairs.append((stack.pop(), token[0]))
        elif len(stack) < MAX_DEPTH:
            stack.append(token)
    # closed innermost first at the end: the outer ones' end tags come after
    pairs += [(token, None) for token in reversed(stack)]
    return pairs


def _pair_harlowe(tokens: list[tuple[int, str]]) -> list[tuple[tuple[int, str], int | None]]:
    """Harlowe's: a delimiter closes the nearest open one of its kind (openers between
    the two, never closed, are text); an opener never closed is text."""
    stack: list[tuple[int, str]] = []
    pairs = []
    for token in tokens:
        at = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == token[1]), None)
        if at is None:
            stack.append(token)
        else:
            pairs.append((stack[at], token[0]))
            del stack[at:]
    return pairs
