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

Underline, superscript, subscript and SugarCube's custom style (`@@color:red;…@@`, its
CSS never shown) have no Markdown form: their elements are made too, with `data-twine` naming the markup, so the import reduces them to their text
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
NO_MARKDOWN = {"u": "underline", "sup": "superscript", "sub": "subscript", "span": "custom style"}
# SugarCube's custom style `@@#id;.class;color:red;text@@`: what follows the opener up to
# the text (its element's id, classes and CSS), never shown
SUGARCUBE["@@"] = "span"
_CSS_SPEC = re.compile(r"(?:[ \t]*(?:[#.][\w-]+|[\w-]+[ \t]*:[^;\n]*);)*")

# What each format reads at a line's start and our prose has no form for (a scene's
# prose is paragraphs): the markup is left out, said (HF1009), its text kept. A marker
# alone on its line (a rule, Harlowe's aligners and columns) leaves nothing. A heading
# that opens a passage is its scene's title (twine.py `leading_heading`).
_SC_LINES = [(re.compile(r"^(!{1,6})[ \t]*", re.M), "heading"),
             (re.compile(r"^(-{4,})[ \t]*$", re.M), "horizontal rule"),
             # (its `list` parser: a run of `*` or of `#`, no space needed: `#hashtag`
             # opening a line is a numbered item showing "hashtag")
             (re.compile(r"^(\*+|#+)[ \t]*", re.M), "list item"),
             (re.compile(r"^(>+)[ \t]*", re.M), "block quote")]
_H_LINES = [(re.compile(r"^[ \t]*(#{1,6})[ \t]*", re.M), "heading"),
            (re.compile(r"^[ \t]*(-{3,})[ \t]*$", re.M), "horizontal rule"),
            (re.compile(r"^[ \t]*(\*+|(?:0\.)+)[ \t]+", re.M), "list item"),
            (re.compile(r"^[ \t]*(==+>|<=+|=+><=+|<==+>)[ \t]*$", re.M), "alignment"),
            (re.compile(r"^[ \t]*(\|+=+\|*|=+\|+=*)[ \t]*$", re.M), "column")]
_LINE_START = re.compile(r"^", re.M)
# SugarCube's line continuation (a backslash ending a line, twine.py `_CONTINUED`): the
# next line is no line start to the player. Its block markup is read only where what is
# output so far ends a block (`hasBlockContext`: nothing, a `<br>`, a block element), and
# after a joined line that is the text before it: `Price \⏎> 5` shows "Price > 5".
_SC_JOINED = re.compile(r"\\[ \t]*\r?\n")
LEADING_HEADING = {False: re.compile(r"\A\s*!{1,6}[ \t]*([^\n]*?)[ \t]*\n"),
                   True: re.compile(r"\A\s*#{1,6}[ \t]*([^\n]*?)[ \t]*\n")}

_SKIP = (r"<!--.*?(?:-->|\Z)"                                           # a comment
         r"|<(?P<raw>script|style|textarea|title|svg|math)\b.*?(?:</(?P=raw)\s*>|\Z)")   # not markup inside
_SC_URL = r"(?:file|https?|mailto|ftp|javascript|irc|news|data):[^\s'\"]+"
_H_URL = r"(?:https?|mailto|javascript|ftp|data)://[^\s<]+[^<.,:;\"')\]\s]"
_SC = re.compile(rf"(?P<skip>{_SKIP}|<html>.*?(?:</html>|\Z)|{_SC_URL})|(?P<tag><)"
                 r"|(?P<mark>''|//|==|~~|\^\^|__|@@)|(?P<sub>--|\$\$)", re.S | re.I)
# SugarCube's text substitutions (its `emdash` and `doubleDollarSign` parsers): `--` is
# shown as an em dash (`---` as "—-"), `$$` as a dollar sign. Kept as typed, the reader
# of the import saw `--` where the player showed "—", and Markdown's typographer was
# kept from making it a dash by the escapes the import writes.
_SC_SUBSTITUTES = {"--": "\u2014", "$$": "$"}
# Harlowe: `*` opening a line and followed by a space is a bullet, not emphasis
_H = re.compile(rf"(?P<skip>{_SKIP}|{_H_URL}|^[ \t]*\*+(?=[ \t]))|(?P<tag><)"
                r"|(?P<mark>''|//|\*\*|\*|~~|\^\^)", re.S | re.I | re.M)


def styled(text: str, harlowe: bool) -> tuple[str, list[tuple[int, str]]]:
    """`text` with each pair of the format's style markup written as its element (see
    the table above), and the (offset, delimiter) of each pair that has no Markdown
    form with what it is. Linear in the text."""
    return styled_pieces([text], harlowe)[0]


def styled_pieces(pieces: list[str | None], harlowe: bool) -> list:
    """`styled` over a passage's texts in order, with what is between them (a link, a
    macro, verbatim markup: None) inside the styles around it, as the player pairs
    them: `''[[Go->Next]]''` is one bold pair around a link, not two unclosed `''`
    shown as typed. Each text's item: its HTML (the styles open where it starts opened
    again there, those open where it ends closed: each text is read as HTML alone) and
    the (offset, delimiter) of its pairs with no Markdown form; each None's item: the
    names of the elements around it, outermost first. Linear in the texts."""
    names = HARLOWE if harlowe else SUGARCUBE
    scanner = _H if harlowe else _SC
    tokens: list[tuple[tuple[int, int], str]] = []   # ((piece, offset), delimiter)
    # (offset, end, marker, what) of each piece's line markup (`_SC_LINES`, `_H_LINES`)
    lines: list[list[tuple[int, int, str, str]]] = []
    subs: list[tuple[int, int, str]] = []          # (piece, offset, what) of each substitution
    for index, text in enumerate(pieces):
        pos = 0
        unread: list[tuple[int, int]] = []       # where the player reads no markup
        while text is not None and (m := scanner.search(text, pos)) is not None:
            pos = m.end()
            if m.group("tag") is not None:
                if (tag := _TAG.match(text, m.start())) is not None:
                    pos = tag.end()
                    unread.append(tag.span())
            elif m.group("mark") is not None:
                tokens.append(((index, m.start()), m.group("mark")))
            elif m.lastgroup == "sub":   # (SugarCube's only)
                subs.append((index, m.start(), m.group("sub")))
            elif m.group().strip(" \t*"):    # (Harlowe's bullet is line markup)
                unread.append(m.span())
        lines.append(_line_markup(text, index == 0, unread, harlowe) if text is not None else [])
    pairs = (_pair_harlowe(tokens) if harlowe else _pair_sugarcube(tokens)) if tokens else []
    opens = {start: (delim, end) for (start, delim), end in pairs}
    closes = {end for _start, end in pairs if end is not None}
    out: list = []
    stack: list[str] = []          # the names of the elements open, outermost first
    ti = si = 0
    for index, text in enumerate(pieces):
        if text is None:
            out.append(list(stack))
            continue
        written = [f"<{name}>" for name in stack]
        plain: list[tuple[int, str, str]] = []
        edits: list[tuple[int, int, str]] = []    # (offset, end, what is written there)
        while ti < len(tokens) and tokens[ti][0][0] == index:
            (_, at), delim = tokens[ti][0], tokens[ti][1]
            ti += 1
            if (index, at) in opens:
                name = names[delim]
                attr = f' data-twine="{_attribute(delim)}"' if name in NO_MARKDOWN else ""
                if attr:
                    plain.append((at, f"{delim}…{delim}", NO_MARKDOWN[name]))
                end = at + len(delim)
                if delim == "@@":
                    end = _CSS_SPEC.match(text, end).end()
                edits.append((at, end, f"<{name}{attr}>"))
                stack.append(name)
            elif (index, at) in closes:
                edits.append((at, at + len(delim), f"</{stack.pop()}>"))
        for at, end, marker, what in lines[index]:
            plain.append((at, marker, what))
            edits.append((at, end, ""))
        left_out = iter(lines[index])   # (in order, as the substitutions are)
        markup = next(left_out, None)
        while si < len(subs) and subs[si][0] == index:
            _, at, what = subs[si]
            si += 1
            while markup is not None and markup[1] <= at:
                markup = next(left_out, None)
            if markup is None or at < markup[0]:   # not inside line markup left out (a rule's `----`)
                edits.append((at, at + len(what), _SC_SUBSTITUTES[what]))
        last = 0
        for at, end, tag in sorted(edits):
            written += [text[last:at], tag]
            last = end
        plain.sort()
        written.append(text[last:])
        written += [f"</{name}>" for name in reversed(stack)]
        out.append(("".join(written), plain))
    return out


def _line_markup(text: str, first: bool, unread: list[tuple[int, int]],
                 harlowe: bool) -> list[tuple[int, int, str, str]]:
    """The line markup of one text: (offset, end of what is left out, marker, what it
    is) at each line's start (the text's own start only for a passage's first text: a
    later one starts after a link or macro on its line), none inside what the player
    reads no markup in (`unread`: a tag, a comment, `<html>`)."""
    found = []
    patterns = _H_LINES if harlowe else _SC_LINES
    joined = set() if harlowe or "\\" not in text else {m.end() for m in _SC_JOINED.finditer(text)}
    spans = iter(unread)
    span = next(spans, None)
    for start in _LINE_START.finditer(text):
        at = start.start()
        if at == 0 and not first or at == len(text) or at in joined:
            continue
        while span is not None and span[1] <= at:
            span = next(spans, None)
        if span is not None and span[0] <= at:
            continue
        for pattern, what in patterns:
            if (m := pattern.match(text, at)) is not None:
                found.append((m.start(1), m.end(), m.group(1), what))
                break
    return found


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
