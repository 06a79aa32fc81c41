"""A Twine passage's text → a tree of what our format can carry: text, links, state
assignments and `if` blocks, with everything else marked unsupported.

Two small scanners, one per story format, walk the passage text once (no regular
expression is run over HTML; macros are found by their delimiters, honouring quotes):

- SugarCube 2: `[[…]]` links (`[[text|target][$setter]]`, `->`, `<-`), `<<set …>>`,
  `<<if …>>…<<elseif …>>…<<else>>…<</if>>`, and every other `<<macro>>` (with its
  `<</macro>>` body when it has one) as unsupported.
- Harlowe 3: `[[…]]` links, `(set: …)`, `(put: … into …)`, `(if: …)[hook]`,
  `(unless: …)[…]`, `(else-if: …)[…]`, `(else:)[…]`, `(link-goto: "text", "target")`,
  and every other `(macro: …)` (with its attached hook) as unsupported.

In both, a naked `$variable` in text prints its value, which our prose cannot do:
it is marked unsupported too. Offsets are into the passage text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
import dataclasses
from dataclasses import dataclass, field

from .model import MAX_CONDITIONS

_VAR = re.compile(r"\$[A-Za-z_][A-Za-z0-9_]*")
_SC_NAME = re.compile(r"\s*(/?)([A-Za-z][\w-]*|=|-)")
_HARLOWE_MACRO = re.compile(r"\(([A-Za-z][\w-]*):")
_SC_SPECIAL = re.compile(r"\[\[|\[[<>]?img\[|<<|\$[A-Za-z_$]|(?<![A-Za-z0-9_$])_[A-Za-z$]|/\*|/%|<!--|\"\"\"|\{\{\{|<nowiki>|"
                         r"<html>", re.I)
# A temporary variable (SugarCube's and Harlowe's `_name`), and where a passage may give
# one a value: a macro's arguments (`<<set _n to 2>>`, `<<for _i …>>`, `(set: _n to 2)`).
# Named in the passage's text, one given a value there shows it (the import has no
# temporary variables: its set is said, HF1007), else the name as typed (SugarCube) —
# so a `_word` in prose (`snake_case`) is text unless the passage sets it.
_TEMP = re.compile(r"(?<![A-Za-z0-9_$])_[A-Za-z$][A-Za-z0-9_$]*")
_TEMP_SET = {False: re.compile(r"<<(?:[^>]|>(?!>))*>>"),
             True: re.compile(r"\((?:set|put|for|loop|unpack|move)\s*:[^)]*\)", re.I)}
_BREAKS = re.compile(r"[\r\n]+")
# Harlowe's possessive (`$inv's length`, `(a: 1)'s 1st`): no string opens at its `'`. Read
# as one, a macro's `)` was looked for past the next `'` in the passage, and the text,
# links and hooks between were kept inside an "unsupported macro" (a whole choice lost).
_POSSESSIVE = re.compile(r"(?<=[\w)\]\"'])'s(?![\w'])")
_SC_COMMENTS = {"/*": "*/", "/%": "%/"}   # SugarCube's comments: never shown
# An HTML comment, closed: never shown, and nothing in it read, in both formats (SugarCube's
# commentByBlock parser, Harlowe's comment token). A link or macro in it (`<!-- [[Old]] -->`)
# was read before the comment was seen: a choice the story never offers, a set it never runs.
_HTML_COMMENT = ("<!--", "-->")
# SugarCube's image markup (`[img[Title|map.png]]`, `[<img[…]]`, `[img[map.png][Next]]`
# a link): the player shows a picture, which a story's prose has no place for (foundry
# publishes no image but a portrait); it was imported as text, brackets and all, unsaid.
_SC_IMAGE = re.compile(r"\[[<>]?img\[", re.I)
_H_SPECIAL = re.compile(r"\[|\]|\([A-Za-z]|\$[A-Za-z_]|(?<![A-Za-z0-9_$])_[A-Za-z$]|`|\|[A-Za-z_]|<!--")
# A Harlowe hook's name: `|door>[…]` before it, `[…]<door|` after it. Harlowe shows a
# hook's text and never its brackets nor its name.
_NAMETAG_BEFORE = re.compile(r"\|([A-Za-z_][\w-]*)>(?=\[)")
_NAMETAG_AFTER = re.compile(r"<([A-Za-z_][\w-]*)\|")
# SugarCube's verbatim markup: shown as the characters written, no markup, macro or link
# read in it (`"""<<set $x to 1>>"""` shows that text and sets nothing); `{{{…}}}` also
# sets it in a monospaced font. Harlowe's is a run of backticks, closed by a run as long.
_SC_VERBATIM = (('"""', '"""'), ("{{{", "}}}"), ("<nowiki>", re.compile("</nowiki>", re.I)))
# SugarCube's HTML markup: `<html>…</html>` up to the first `</html>`, in any letters, is
# put into the page as HTML, no Twine markup read in it (no link, macro, naked variable
# or style: `[[x]]`, `$gold`, `//x//` show as typed). What our own Twee export writes.
_SC_HTML_OPEN = re.compile("<html>", re.I)
_SC_HTML_CLOSE = re.compile("</html>", re.I)
_BACKTICKS = re.compile("`+")


@dataclass
class Text:
    text: str
    offset: int
    verbatim: bool = False  # shown as written: no HTML in it is markup (SugarCube's `"""…"""`)
    html: bool = False      # SugarCube's `<html>…</html>` (tags kept): its HTML is markup, nothing else
    code: bool = False      # and in a monospaced font, as code (SugarCube's `{{{…}}}`: a <code>)
    # its text with the format's styles as HTML, paired with the rest of the passage's
    # (twine_markup.styled_pieces), and the offsets of those with no Markdown form
    styled: tuple[str, list[tuple[int, str]]] | None = None


@dataclass
class Link:
    text: str
    target: str
    sets: tuple[SetState, ...]   # what choosing it sets: a `[[…][$x to 1]]` setter, a link body's sets
    offset: int
    source: str


@dataclass
class SetState:
    code: str
    offset: int            # of the code inside the macro
    source: str
    put: bool = False


@dataclass
class Branch:
    condition: str | None  # None for else
    offset: int
    negate: bool = False   # Harlowe's (unless:)
    body: list = field(default_factory=list)
    start: int = -1        # where its macro (`<<elseif`, `(else-if:`) begins; the first: the block's


@dataclass
class IfBlock:
    branches: list[Branch]
    offset: int
    source: str = ""
    end: int = -1          # the index after its last closer (`<</if>>`, the last branch's hook)
    # Harlowe's `(if:)[…] [[Link]] (else:)[…]`: the branches before this many are the
    # earlier hook's, shown there; here only their conditions count (this block is the
    # `(else:)`'s, where it stands, after what stood between)
    earlier: int = 0
    paired: "IfBlock | None" = None     # that earlier hook's block


@dataclass
class Unsupported:
    source: str
    offset: int
    what: str


Node = Text | Link | SetState | IfBlock | Unsupported


def split_link(inner: str) -> tuple[str, str, str | None]:
    """Harlowe's `[[…]]`'s inside → (text, target, None), as its passageLink pattern
    reads it: the rightmost `->` or `|` (whichever is further right: `[[a->b|c]]` leads
    to `c`, `[[a<-b|c]]` too), else the leftmost `<-`. (SugarCube's: `sugarcube_link`.)"""
    right = max(inner.rfind("->"), inner.rfind("|"))
    if right >= 0:
        return inner[:right], inner[right + (2 if inner.startswith("->", right) else 1):], None
    if "<-" in inner:
        target, text = inner.split("<-", 1)
        return text, target, None
    return inner, inner, None


def sugarcube_link(text: str, pos: int) -> tuple[tuple[str, str, str | None, int] | None, int]:
    """SugarCube's own reading of the `[[…]]` at pos (its parseSquareBracketedMarkup):
    ((text, target, setter, the index after its closing `]]`), how many characters the
    look read); None for the first where SugarCube reads no link there (it shows the
    characters as typed).

    As SugarCube reads it, not by the first `]]`: square brackets nest (`[[Room [2]]]`
    leads to the passage `Room [2]`), a `"…"` hides what it holds (in the setter `'…'`
    too), a line break ends the look with no link, and the first separator of the text
    (`|`, `->` or `<-`) divides it, whichever it is. A target starting with `~` is
    SugarCube's "internal" mark, not part of the name."""
    n, i, depth = len(text), pos + 2, 2
    delim: tuple[int, int, bool] | None = None      # (start, end, right-to-left)
    split = None                                    # where `][` opens the setter
    while i < n and text[i] != "\n":
        char = text[i]
        if char == '"' or (char == "'" and split is not None):
            i = _slurp(text, i + 1, char)
            if i < 0:
                return None, -1 - i - pos
            continue
        if split is None and delim is None:
            if char == "|":
                delim = (i, i + 1, False)
            elif char == "-" and text.startswith(">", i + 1):
                delim = (i, i + 2, False)
                i += 1
            elif char == "<" and text.startswith("-", i + 1):
                delim = (i, i + 2, True)
                i += 1
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 1:
                following = text[i + 1:i + 2]
                if following == "[" and split is None:
                    split, depth, i = i, 2, i + 2
                    continue
                if following != "]":
                    return None, i - pos
                first = text[pos + 2:split if split is not None else i]
                setter = text[split + 2:i] if split is not None else None
                if delim is None:
                    label = target = first
                else:
                    left, right = first[:delim[0] - pos - 2], first[delim[1] - pos - 2:]
                    label, target = (right, left) if delim[2] else (left, right)
                target = target.strip()
                target = target[1:] if target.startswith("~") else target
                return (label, target, setter, i + 2), i + 2 - pos
        i += 1
    return None, i - pos


def _slurp(text: str, i: int, quote: str) -> int:
    """SugarCube's slurpQuote: the index after the `quote` that closes the one before i
    (a backslash hides the next character); at a line break or the text's end, where
    SugarCube reads no link, -1 - the index the look stopped at."""
    while i < len(text):
        char = text[i]
        if char == "\\":
            if text[i + 1:i + 2] in ("", "\n"):
                return -2 - i
            i += 2
            continue
        if char == "\n":
            return -1 - i
        i += 1
        if char == quote:
            return i
    return -1 - len(text)


class _Look:
    """The looks ahead for a delimiter that closes what an opener started, over one
    passage's text, kept linear in its length on hostile text: an opener with no closer
    (`<<a `, `(a: `, `[[`, `/*` written 100,000 times) made each look read on to the end
    of the text, and 40 KB of `<<a ` took 27 s of CPU.

    - `find`: a plain closer (`]]`, `*/`, `<</link>>`): the answer of the last look for
      the same closer stands for every later start up to it (none found: for every
      later start), so each closer's looks read the text once in all.
    - `closing`, `closing_paren`: a closer outside quoted strings (and parentheses),
      whose answer depends on where the look starts: the looks that find none may read
      LOOK_BUDGET times the text in all; past that, `spent` is true and the scanners keep
      the rest of the passage as written (HF1003), as they do past MAX_NESTING."""

    def __init__(self, text: str, harlowe: bool = False):
        self.text = text
        self.harlowe = harlowe
        self.found: dict[str, tuple[int, int]] = {}   # closer → (where the last look began, its answer)
        self.budget = LOOK_BUDGET * len(text) + 100_000
        self.spent = False
        self.runs: dict[int, list[int]] | None = None   # Harlowe: backtick run length → where each starts
        self._temps: frozenset[str] | None = None

    def temp(self, pos: int, harlowe: bool) -> re.Match | None:
        """The temporary variable named at `pos` (`_n`) when the passage gives it a
        value somewhere (_TEMP_SET), else None: it prints that value."""
        m = _TEMP.match(self.text, pos)
        if m is None:
            return None
        if self._temps is None:
            self._temps = frozenset(t for found in _TEMP_SET[harlowe].finditer(self.text)
                                    for t in _TEMP.findall(found.group()))
        return m if m.group() in self._temps else None

    def find(self, close: str | re.Pattern, pos: int) -> int:
        began, at = self.found.get(close, (len(self.text) + 1, -1))
        if not (began <= pos and (at < 0 or at >= pos)):
            if isinstance(close, str):
                at = self.text.find(close, pos)
            else:
                at = m.start() if (m := close.search(self.text, pos)) else -1
            self.found[close] = (pos, at)
        return at

    def verbatim(self, pos: int) -> tuple[Text, int] | None:
        """SugarCube's verbatim markup starting at pos, closed: its text, and the index
        after its closer."""
        for opener, close in _SC_VERBATIM:
            if self.text[pos:pos + len(opener)].lower() == opener:
                end = self.find(close, pos + len(opener))
                if end >= 0:
                    size = len(close) if isinstance(close, str) else len("</nowiki>")
                    return Text(self.text[pos + len(opener):end], pos + len(opener), verbatim=True,
                                code=opener == "{{{"), end + size
        return None

    def html(self, pos: int) -> tuple[Text, int] | None:
        """SugarCube's `<html>…</html>` starting at pos, closed: its text with both tags,
        and the index after its `</html>`."""
        if _SC_HTML_OPEN.match(self.text, pos):
            end = self.find(_SC_HTML_CLOSE, pos + len("<html>"))
            if end >= 0:
                return Text(self.text[pos:end + len("</html>")], pos, html=True), end + len("</html>")
        return None

    def backticks(self, pos: int) -> tuple[Text, int] | None:
        """Harlowe's verbatim markup: the run of backticks at pos, to the next run of as
        many (runs found once, in one pass: a look per opener was quadratic)."""
        if self.runs is None:
            self.runs = {}
            for m in _BACKTICKS.finditer(self.text):
                self.runs.setdefault(len(m.group()), []).append(m.start())
        m = _BACKTICKS.match(self.text, pos)
        if m is None or m.start() > 0 and self.text[pos - 1] == "`":
            return None
        starts = self.runs.get(len(m.group()), [])
        i = bisect_right(starts, pos)
        if i >= len(starts):
            return None
        return Text(self.text[m.end():starts[i]], m.end(), verbatim=True), starts[i] + len(m.group())

    def _missed(self, pos: int) -> int:
        self.charge(len(self.text) - pos)
        return -1

    def charge(self, read: int) -> None:
        """Count `read` characters of a look that found no closer against the budget."""
        self.budget -= read
        self.spent = self.budget <= 0

    def closing(self, pos: int, close: str, nests: str = "") -> int:
        """Index of `close` at or after pos, skipping quoted strings and, with `nests`
        (the character that opens another of what `close` closes: `(`), what each inner
        one encloses; -1 if none."""
        text = self.text
        if self.find(close, pos) < 0:
            return -1     # none at all: nothing to read
        depth, quote, i = 0, None, pos
        while i < len(text):
            char = text[i]
            if quote:
                if char == "\\":
                    i += 2
                    continue
                if char == quote:
                    quote = None
            elif char in "\"'" and not (self.harlowe and char == "'" and _POSSESSIVE.match(text, i)):
                quote = char
            elif nests and char == nests:
                depth += 1
            elif text.startswith(close, i):
                if depth == 0:
                    return i
                depth -= 1
            i += 1
        return self._missed(pos)

    def closing_paren(self, pos: int) -> int:
        """Index of the `)` that closes the parenthesis open before pos (quotes and inner
        parentheses skipped); -1 if none."""
        return self.closing(pos, ")", nests="(")


def _link(look: _Look, pos: int, sugarcube: bool) -> tuple[Link | None, int]:
    text = look.text
    if sugarcube:
        # (SugarCube's link parser starts at `[[` and a character that is not `[`)
        if text.startswith("[", pos + 2):
            return None, pos
        found, read = sugarcube_link(text, pos)
        if found is None:
            look.charge(read)    # a look that found none, within the passage's budget
            return None, pos
        label, target, setter, after = found
        return Link(label, target, _setter(setter, after, text[pos:after]), pos, text[pos:after]), after
    end = look.find("]]", pos + 2)
    if end < 0:
        return None, pos
    inner = text[pos + 2:end]
    label, target, _none = split_link(inner)
    return Link(label, target, (), pos, text[pos:end + 2]), end + 2


def _setter(code: str | None, after: int, source: str) -> tuple[SetState, ...]:
    """The setter of a SugarCube `[[…][code]]` that ends at `after` (its `]]`), as a set
    at its own place in the passage."""
    return () if code is None else (SetState(code, after - 2 - len(code), source),)


# --- SugarCube ---------------------------------------------------------------------------

# How deep `<<if>>` blocks, `<<link>>` bodies and Harlowe hooks may nest before the rest
# of the passage is kept as it was written (HF1003): the scanners recurse once per
# level, and 3,000 nested `<<if>>`s ran Python out of stack (an internal error).
MAX_NESTING = 32
_TOO_DEEP = f"blocks nested more than {MAX_NESTING} deep"
# How many times its length a passage's looks for a closer that is not there may read
# (_Look): a real passage has a few unclosed macros, a hostile one 100,000.
LOOK_BUDGET = 4
_TOO_OPEN = "the rest of a passage with more unclosed macros than the import reads for"


def scan_sugarcube(text: str, depth: int = 0, nobr: bool = False) -> list[Node]:
    """`nobr`: the passage is tagged `nobr`, which SugarCube reads as its whole text
    inside `<<nobr>>`: every run of line breaks one space, the leading and trailing
    ones gone (so its lines are one paragraph)."""
    nodes, _pos, _stop = _sc_nodes(_Look(text), 0, frozenset(), depth)
    if nobr:
        _unbreak(nodes)
    return nodes


def _sc_nodes(look: _Look, pos: int, stops: frozenset[str],
              depth: int = 0) -> tuple[list[Node], int, tuple[str, str, int, int] | None]:
    """Nodes until a macro named in `stops` (returned as (name, args, start, end));
    `depth`: how many blocks enclose `pos`."""
    text = look.text
    nodes: list[Node] = []
    start = pos
    while pos < len(text):
        if look.spent:
            _flush(nodes, text, start, pos)
            nodes.append(Unsupported(text[pos:], pos, _TOO_OPEN))
            return nodes, len(text), None
        close = _SC_COMMENTS.get(text[pos:pos + 2])
        if close and (end := look.find(close, pos + 2)) >= 0:
            _flush(nodes, text, start, pos)
            pos = start = end + 2
            continue
        if (end := _html_comment(look, pos)) >= 0:
            pos = end   # looked past, left in its text, which drops it as HTML does
            continue
        if text[pos] in "\"{<" and (found := look.verbatim(pos) or look.html(pos)):
            _flush(nodes, text, start, pos)
            nodes.append(found[0])
            pos = start = found[1]
            continue
        if text[pos] == "[" and (image := _SC_IMAGE.match(text, pos)) and (end := look.find("]]", image.end())) >= 0:
            _flush(nodes, text, start, pos)
            nodes.append(Unsupported(text[pos:end + 2], pos, "an image"))
            pos = start = end + 2
            continue
        if text.startswith("[[", pos):
            link, after = _link(look, pos, True)
            if link:
                _flush(nodes, text, start, pos)
                nodes.append(link)
                pos = start = after
                continue
        if text.startswith("<<", pos) and (m := _SC_NAME.match(text, pos + 2)):
            end = look.closing(pos + 2, ">>")
            if end >= 0:
                _flush(nodes, text, start, pos)
                closing, name = m.group(1), m.group(2)
                args_at = m.end()
                while args_at < end and text[args_at] in " \t\n":
                    args_at += 1
                args = text[args_at:end]
                key = ("/" if closing else "") + name
                if key in stops:
                    return nodes, end + 2, (key, args, args_at, end + 2, pos)
                if name in ("if", "link", "button", "nobr", "silently") and not closing and depth >= MAX_NESTING:
                    nodes.append(Unsupported(text[pos:], pos, _TOO_DEEP))
                    pos = len(text)
                elif name == "if" and not closing:
                    block, pos = _sc_if(look, pos, args, args_at, end + 2, depth + 1)
                    nodes.append(block)
                elif name == "nobr" and not closing and (found := _sc_nobr(look, end + 2, depth + 1)):
                    nodes.extend(found[0])
                    pos = found[1]
                elif name == "silently" and not closing and (found := _sc_silently(look, end + 2, depth + 1)):
                    nodes.extend(found[0])
                    pos = found[1]
                elif name == "set" and not closing:
                    nodes.append(SetState(args, args_at, text[pos:end + 2]))
                    pos = end + 2
                elif name in ("link", "button") and not closing and (
                        found := _sc_link(look, pos, name, args, args_at, end + 2, depth + 1)):
                    nodes.append(found[0])
                    pos = found[1]
                else:
                    pos = _sc_unsupported(nodes, look, pos, end + 2, name, closing)
                start = pos
                continue
        if text.startswith("$$", pos):   # SugarCube's `$$`: a dollar sign (twine_markup), no variable after it
            pos += 2
            continue
        m = _VAR.match(text, pos) or look.temp(pos, False)
        if m and (pos == 0 or text[pos - 1] != "\\"):
            _flush(nodes, text, start, pos)
            nodes.append(Unsupported(m.group(), pos, "a naked variable prints its value"))
            pos = start = m.end()
            continue
        nxt = _SC_SPECIAL.search(text, pos + 1)   # plain text up to the next thing that may be markup
        pos = nxt.start() if nxt else len(text)
    _flush(nodes, text, start, pos)
    return nodes, pos, None


_HTML_COMMENTS = re.compile(r"<!--.*?-->", re.S)


def shows_nothing(node: Node) -> bool:
    """Whether `node` is text the player shows nothing for: blanks and closed HTML
    comments, left in their text (scan_sugarcube, scan_harlowe). `<<else>><!-- shut
    --><<goto "Shut">>` was read as an else that shows something, the passage an ending."""
    return isinstance(node, Text) and not _HTML_COMMENTS.sub("", node.text).strip()


def _html_comment(look: _Look, pos: int) -> int:
    """The index after the closed HTML comment starting at pos, else -1."""
    opener, closer = _HTML_COMMENT
    if not look.text.startswith(opener, pos):
        return -1
    end = look.find(closer, pos + len(opener))
    return end + len(closer) if end >= 0 else -1


def _sc_if(look: _Look, pos: int, args: str, args_at: int, after: int, depth: int = 1) -> tuple[IfBlock, int]:
    text = look.text
    branches = [Branch(args, args_at, start=pos)]
    stops = frozenset({"elseif", "else", "/if", "endif"})
    while True:
        body, after, stop = _sc_nodes(look, after, stops, depth)
        branches[-1].body = body
        if stop is None:   # no <</if>>: SugarCube reports an error; treat the rest as the body
            return IfBlock(branches, pos, text[pos:after], after), after
        name, stop_args, stop_at, after, stop_pos = stop
        if name in ("/if", "endif"):
            return IfBlock(branches, pos, text[pos:after], after), after
        if name == "else" and stop_args.strip().startswith("if "):   # <<else if …>>
            stop_at += stop_args.index("if ") + 3
            stop_args = stop_args.strip()[3:]
            name = "elseif"
        branches.append(Branch(stop_args if name == "elseif" else None, stop_at, start=stop_pos))


def _sc_link(look: _Look, pos: int, name: str, args: str, args_at: int, after: int,
             depth: int = 1) -> tuple[Link, int] | None:
    """`<<link "Text" "Target">><<set …>><</link>>` (or `<<button>>`, or `<<link [[Text|Target]]>>`)
    whose body only sets variables: a link with those sets as its setter. So is
    `<<link "Text">><<set …>><<goto "Target">><</link>>`, SugarCube's other way to write
    it (`<<goto>>` goes once the body has run: a set after it counts too)."""
    text = look.text
    close = look.find(f"<</{name}>>", after)
    if close < 0:
        return None
    inner = args.strip()
    sets: tuple[SetState, ...] = ()
    if inner.startswith("[[") and (found := sugarcube_link(inner, 0)[0]) is not None and found[3] == len(inner):
        label, target, setter, _end = found
        parts = [label, target]
        sets = _setter(setter, args_at + len(inner), inner)    # (args begin at args_at)
    else:
        parts = _string_args(inner) or []
    body = _shifted(scan_sugarcube(text[after:close], depth), after)
    gotos = [n for n in body if isinstance(n, Unsupported) and _GOTO.fullmatch(n.source)]
    if len(parts) == 1 and len(gotos) == 1 and (target := _goto_target(gotos[0].source)) is not None:
        parts = [parts[0], target]
        body = [n for n in body if n is not gotos[0]]
    if len(parts) != 2:
        return None
    if any(not (isinstance(n, SetState) or shows_nothing(n)) for n in body):
        return None
    sets += tuple(n for n in body if isinstance(n, SetState))
    end = close + len(name) + 5
    return Link(parts[0], parts[1], sets, pos, text[pos:end]), end


def _shifted(nodes: list[Node], by: int) -> list[Node]:
    """A link body's sets (scanned on the body alone) at their places in the passage."""
    return [dataclasses.replace(n, offset=n.offset + by) if isinstance(n, SetState) else n for n in nodes]


_GOTO = re.compile(r"<<goto\s+([\s\S]*?)\s*>>")


def _goto_target(source: str) -> str | None:
    """The passage `<<goto "Target">>` (or `<<goto [[Target]]>>`) names; None for any
    other argument (`<<goto $where>>`: a passage known only as the story plays)."""
    arg = _GOTO.fullmatch(source).group(1)
    if arg.startswith("[["):
        found = sugarcube_link(arg, 0)[0]
        return found[1] if found is not None and found[3] == len(arg) else None
    parts = _string_args(arg)
    return parts[0] if parts and len(parts) == 1 else None


_INCLUDE = {False: re.compile(r"<<include\s+([\s\S]*?)\s*>>"), True: re.compile(r"\(display:([\s\S]*)\)", re.I)}


def passage_included(node: Node, harlowe: bool) -> str | None:
    """The passage a `<<include "Name">>` (SugarCube) or `(display: "Name")` (Harlowe)
    shows inside this one, else None (any other node, or a name known only in play)."""
    if not isinstance(node, Unsupported) or not (m := _INCLUDE[harlowe].fullmatch(node.source)):
        return None
    arg = m.group(1).strip()
    if not harlowe and arg.startswith("[["):
        found = sugarcube_link(arg, 0)[0]
        return found[1] if found is not None and found[3] == len(arg) else None
    named = _string_args(arg)
    return named[0] if named and len(named) == 1 else None


def passage_goto(node: Node, harlowe: bool) -> str | None:
    """The passage a `<<goto "Target">>` (SugarCube) or `(go-to: "Target")` (Harlowe)
    standing in a passage's text names, else None (any other node, or a target known
    only as the story plays: `<<goto $where>>`, `(go-to: $where)`)."""
    if not isinstance(node, Unsupported):
        return None
    if not harlowe:
        return _goto_target(node.source) if _GOTO.fullmatch(node.source) else None
    m = _H_GOTO.fullmatch(node.source)
    named = _string_args(m.group(1)) if m else None
    return named[0] if named and len(named) == 1 else None


def _sc_body(look: _Look, after: int, name: str, depth: int) -> tuple[list[Node], int] | None:
    """The body of the `<<name>>` that ends at `after`, up to its `<</name>>`: its nodes
    and the index after that closer; None when there is none. With no closer after it at
    all, none is read (a plain look, cached); a body read to the end without finding it
    is charged to the look's budget: each unclosed opener inside read the rest again at
    each depth, and 20 unclosed `<<nobr>>`s (260 characters) took 16 s, doubling with each."""
    if look.find(f"<</{name}>>", after) < 0:
        return None
    body, end, stop = _sc_nodes(look, after, frozenset({f"/{name}"}), depth)
    if stop is None and body and isinstance(body[-1], Unsupported) and body[-1].what in (_TOO_DEEP, _TOO_OPEN):
        return body, end    # the rest kept, said once why (its closers were in it)
    if stop is None:
        look.charge(end - after)
        return None
    return body, end


def _sc_nobr(look: _Look, after: int, depth: int) -> tuple[list[Node], int] | None:
    """`<<nobr>>…<</nobr>>`: SugarCube runs and shows its body as it stands, with each
    run of line breaks made one space (so its lines are one paragraph). Only the
    whitespace changes, so its nodes join the passage's with every line break in their
    text made a space (offsets unchanged). None without `<</nobr>>` (SugarCube's error)."""
    found = _sc_body(look, after, "nobr", depth)
    if found is None:
        return None
    _unbreak(found[0])
    return found


def _sc_silently(look: _Look, after: int, depth: int) -> tuple[list[Node], int] | None:
    """`<<silently>>…<</silently>>`: SugarCube runs its body and shows none of it (many
    stories wrap StoryInit's or a passage's `<<set>>`s so). Its sets are read as if
    written without it; its text is not shown, so it goes; a link or `<<if>>` in it is
    nothing a reader can click or see, kept and said as any other macro is. None without
    `<</silently>>` (SugarCube's error)."""
    found = _sc_body(look, after, "silently", depth)
    if found is None:
        return None
    body, end = found
    kept: list[Node] = []
    for node in body:
        if isinstance(node, (Link, IfBlock)):
            kept.append(Unsupported(node.source, node.offset, "a link or <<if>> inside <<silently>> (it shows nothing)"))
        elif not isinstance(node, Text):
            kept.append(node)
    return kept, end


def _unbreak(nodes: list[Node], outer: bool = True) -> None:
    texts = [n for n in nodes if isinstance(n, Text)]
    if outer and texts:   # the body's leading and trailing line breaks go first
        texts[0].text = texts[0].text.lstrip("\r\n") if texts[0] is nodes[0] else texts[0].text
        texts[-1].text = texts[-1].text.rstrip("\r\n") if texts[-1] is nodes[-1] else texts[-1].text
    for node in nodes:
        if isinstance(node, Text):
            node.text = _BREAKS.sub(" ", node.text)
        elif isinstance(node, IfBlock):
            for branch in node.branches:
                _unbreak(branch.body, False)


def _sc_unsupported(nodes: list[Node], look: _Look, pos: int, after: int, name: str, closing: str) -> int:
    text = look.text
    if not closing and name not in ("=", "-"):
        close = look.find(f"<</{name}>>", after)
        if close >= 0:
            end = close + len(name) + 5
            nodes.append(Unsupported(text[pos:end], pos, f"the <<{name}>> macro"))
            return end
    nodes.append(Unsupported(text[pos:after], pos, f"the <<{'/' if closing else ''}{name}>> macro"))
    return after


def _flush(nodes: list[Node], text: str, start: int, pos: int) -> None:
    if pos > start:
        nodes.append(Text(text[start:pos], start))


# --- Harlowe -----------------------------------------------------------------------------

_IF = {"if", "unless", "elseif", "else"}     # (keys: _h_macro)


def scan_harlowe(text: str) -> list[Node]:
    nodes, _pos, _closed = _h_nodes(_Look(text, harlowe=True), 0, in_hook=False)
    return nodes


def _h_hook(look: _Look, pos: int, depth: int = 1) -> tuple[list[Node], int] | None:
    """A hook `[…]` starting at pos: its nodes and the index after its `]`; `depth`:
    how many hooks enclose it, itself included. None when it is not closed, as for a
    bare hook: Harlowe shows the characters, and the rest of the passage (its links
    too) was made the hook's, shown only under its changer's condition."""
    text = look.text
    if not text.startswith("[", pos) or text.startswith("[[", pos) and not text.startswith("[[[", pos):
        return None
    nodes, after, closed = _h_nodes(look, pos + 1, in_hook=True, hooks=depth)
    if not closed and not (nodes and isinstance(nodes[-1], Unsupported) and nodes[-1].what in (_TOO_DEEP, _TOO_OPEN)):
        look._missed(pos)
        return None
    return nodes, after


def _bare_hook(look: _Look, pos: int, hooks: int) -> tuple[list[Node], int] | None:
    """A hook no macro is attached to, named (`|door>[…]`, `[…]<door|`) or not (`[…]`),
    starting at pos: Harlowe shows its text, without the brackets or the name (they were
    imported as text: a reader saw `|door>[The door is shut.]`). Its nodes, and the index
    after it (and its name); None when it is not closed (Harlowe shows the characters)."""
    text, at = look.text, pos
    if (m := _NAMETAG_BEFORE.match(text, pos)) is not None:
        at = m.end()
    if not text.startswith("[", at) or text.startswith("[[", at) and not text.startswith("[[[", at):
        return None
    nodes, after, closed = _h_nodes(look, at + 1, in_hook=True, hooks=hooks + 1)
    if not closed:
        look._missed(at)    # a look that read on to the end, as an unclosed macro's
        return None
    if at == pos and (m := _NAMETAG_AFTER.match(text, after)) is not None:
        after = m.end()
    return nodes, after


def _h_nodes(look: _Look, pos: int, in_hook: bool, hooks: int = 0) -> tuple[list[Node], int, bool]:
    """Nodes to the end of the text, or (`in_hook`) to the `]` that closes the hook; the
    index after them, and whether that `]` was found."""
    text = look.text
    nodes: list[Node] = []
    start, depth = pos, 0
    while pos < len(text):
        if look.spent:
            _flush(nodes, text, start, pos)
            nodes.append(Unsupported(text[pos:], pos, _TOO_OPEN))
            return nodes, len(text), False
        if (end := _html_comment(look, pos)) >= 0:
            pos = end   # looked past, left in its text, which drops it as HTML does
            continue
        if text[pos] == "`" and (found := look.backticks(pos)):
            _flush(nodes, text, start, pos)
            nodes.append(found[0])
            pos = start = found[1]
            continue
        if text.startswith("[[", pos):
            link, after = _link(look, pos, False)
            if link:
                _flush(nodes, text, start, pos)
                nodes.append(link)
                pos = start = after
                continue
        if in_hook and text[pos] == "[":
            depth += 1
        if in_hook and text[pos] == "]":
            if depth == 0:
                _flush(nodes, text, start, pos)
                return nodes, pos + 1, True
            depth -= 1
        if not in_hook and text[pos] in "[|" and hooks < MAX_NESTING and (found := _bare_hook(look, pos, hooks)):
            _flush(nodes, text, start, pos)
            nodes.extend(found[0])
            pos = start = found[1]
            continue
        m = _HARLOWE_MACRO.match(text, pos)
        if m:
            end = look.closing_paren(m.end())
            if end >= 0:
                _flush(nodes, text, start, pos)
                pos = start = _h_macro(nodes, look, pos, m.group(1).lower(), m.end(), end, hooks)
                continue
        m = _VAR.match(text, pos) or look.temp(pos, True)
        if m:
            _flush(nodes, text, start, pos)
            if hooks < MAX_NESTING and (hook := _h_hook(look, m.end(), hooks + 1)) is not None:
                # `$married[You hope …]`: the hook is shown (or styled) as the variable's value
                # says, a changer's or true/false; its text was shown whatever the value
                nodes.append(Unsupported(text[pos:hook[1]], pos, "a hook attached to a variable (shown or styled "
                                         "as its value says)"))
                pos = start = hook[1]
                continue
            nodes.append(Unsupported(m.group(), pos, "a naked variable prints its value"))
            pos = start = m.end()
            continue
        nxt = _H_SPECIAL.search(text, pos + 1)
        pos = nxt.start() if nxt else len(text)
    _flush(nodes, text, start, pos)
    return nodes, pos, False


def _h_macro(nodes: list[Node], look: _Look, pos: int, name: str, args_at: int, end: int, hooks: int = 0) -> int:
    """`name`: as written, lowered. Harlowe ignores case, `-` and `_` in a macro's name
    (`(Link-Goto:)`, `(linkgoto:)`, `(link_goto:)`, `(elseif:)` are one macro each): so
    does `key`, by which it is known; the report names it as written."""
    text = look.text
    args, after = text[args_at:end], end + 1
    key = name.replace("-", "").replace("_", "")
    if key in ("set", "put"):
        nodes.append(SetState(args, args_at, text[pos:after], put=key == "put"))
        return after
    if key == "linkgoto":
        parts = _string_args(args)
        if parts and len(parts) in (1, 2):
            nodes.append(Link(parts[0], parts[-1], (), pos, text[pos:after]))
            return after
    hook_at, named = after, None
    if key in _IF or key in _H_LINKS:
        # a changer takes the hook after any white space, line breaks included (Harlowe's
        # own tests: `(if:true) \n \n [foo]` prints "foo"), which is then not shown, and
        # a named hook (`(if: $a)|door>[…]`, `(if: $a)[…]<door|`): the name is not shown
        hook_at = _H_SPACE.match(text, after).end()
        if (named := _NAMETAG_BEFORE.match(text, hook_at)) is not None:
            hook_at = named.end()
    if hooks >= MAX_NESTING and text.startswith("[", hook_at):
        nodes.append(Unsupported(text[pos:], pos, _TOO_DEEP))
        return len(text)
    hook = _h_hook(look, hook_at, hooks + 1)
    if hook is not None and named is None and (key in _IF or key in _H_LINKS) and \
            (m := _NAMETAG_AFTER.match(text, hook[1])) is not None:
        hook = hook[0], m.end()
    if key in _IF and hook is not None:
        body, hook_end = hook
        branch = Branch(None if key == "else" else args, args_at, negate=key == "unless", body=body, start=pos)
        previous, between = _previous_if(nodes)
        if key in ("if", "unless"):
            nodes.append(IfBlock([branch], pos, text[pos:hook_end], hook_end))
        elif previous is not None and previous.branches[-1].condition is not None and between:
            # a link, a set or a command stands between: the branch pairs with the hook
            # before (Harlowe's lastHookShown), but is shown here, after what stands between
            # (a chain's branches past MAX_CONDITIONS are too many whichever they are: the
            # last of them only, not a copy growing with the chain's length)
            earlier = previous.branches[-MAX_CONDITIONS - 1:]
            nodes.append(IfBlock([*earlier, branch], pos, text[pos:hook_end], hook_end,
                                 earlier=len(earlier), paired=previous.paired or previous))
        elif previous is not None and previous.branches[-1].condition is not None:
            while nodes and isinstance(nodes[-1], Text) and not nodes[-1].text.strip():
                nodes.pop()     # the white space between a hook and its (else:)
            previous.branches.append(branch)
            previous.source += text[pos:hook_end]
            previous.end = hook_end
        else:
            nodes.append(Unsupported(text[pos:hook_end], pos, f"({name}:) without an (if:) before it"))
        return hook_end
    if hook is not None and key in _H_LINKS and \
            (link := _h_link(key, args, hook[0], pos, text[pos:hook[1]])) is not None:
        nodes.append(link)
        return hook[1]
    if hook is not None:
        nodes.append(Unsupported(text[pos:hook[1]], pos, f"the ({name}:) macro"))
        return hook[1]
    nodes.append(Unsupported(text[pos:after], pos, f"the ({name}:) macro"))
    return after


_H_LINKS = ("link", "linkreveal", "linkrevealgoto")
_H_SPACE = re.compile(r"\s*")
_H_GOTO = re.compile(r"\(go[-_]*to:([\s\S]*)\)", re.I)    # (Harlowe's macro names: case, - and _ aside)


def _h_link(key: str, args: str, body: list[Node], pos: int, source: str) -> Link | None:
    """Harlowe's link that sets and goes: `(link: "Go")[(set: $lit to true)(go-to: "Hall")]`
    (or `(link-reveal:)`), and `(link-reveal-goto: "Go", "Hall")[(set: …)]`, whose hook
    only sets variables (with `(set:)` or `(put:)`, before the `(go-to:)`): a link with those sets as
    its setter, as `[[Go->Hall]]` with the sets would be. None for any other hook."""
    parts = _string_args(args)
    if not parts or len(parts) > (2 if key == "linkrevealgoto" else 1):
        return None
    target = parts[-1] if key == "linkrevealgoto" else None
    sets: list[SetState] = []
    for node in body:
        if shows_nothing(node):
            continue
        if target is None and isinstance(node, Unsupported) and (m := _H_GOTO.fullmatch(node.source)):
            named = _string_args(m.group(1))
            if not named or len(named) != 1:
                return None
            target = named[0]
            continue
        if target is not None and key != "linkrevealgoto" or not isinstance(node, SetState):
            return None      # (a set after the go-to, text, any other macro: kept as written)
        sets.append(node)
    if target is None:
        return None
    return Link(parts[0], target, tuple(sets), pos, source)


def _previous_if(nodes: list[Node]) -> tuple[IfBlock | None, bool]:
    """The `(if:)` an `(else:)` or `(else-if:)` pairs with, and whether anything but text
    stands between: Harlowe pairs it with the last conditional hook before it in the same
    hook or passage, whatever text, `[[link]]`, `(link-goto:)`, `(set:)`, `(put:)` or other
    command (a macro with no hook) stands between (its `lastHookShown` is changed by hooks
    alone). Past any other hook (`(link:)[…]`, `$var[…]`, another changer's) it is not
    looked for: that hook is the one paired with."""
    between = False
    for node in reversed(nodes):
        if isinstance(node, Text):
            continue
        if isinstance(node, SetState) or isinstance(node, Link) and not node.source.endswith("]") or \
                isinstance(node, Link) and node.source.startswith("[[") or \
                isinstance(node, Unsupported) and node.source.startswith("(") and node.source.endswith(")"):
            between = True
            continue
        return (node, between) if isinstance(node, IfBlock) else (None, False)
    return None, False


_STRING = re.compile(r"""\s*("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')\s*,?\s*""")   # Harlowe: commas; SugarCube: spaces


def _string_args(args: str) -> list[str] | None:
    out, pos = [], 0
    while pos < len(args):
        m = _STRING.match(args, pos)
        if not m:
            return None
        out.append(re.sub(r"\\(.)", r"\1", m.group(1)[1:-1]))
        pos = m.end()
    return out
