"""Links in prose whose scheme is allowed but whose address does not parse.

`[map](https://[x)`, `<http://exa%mple.org/>`, `[r]: https://ex.org:99999/`: the
sanitiser (nh3) parses an address with a scheme as a browser does and removes the href
of one that does not parse, so markdown-it is told not to make such a link at all
(load/markdown.py `_safe_link`, `cleaner_keeps`: the one rule). It is shown as typed,
and check says so (HF0124) at its address, naming what is wrong with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from urllib.parse import urlsplit

from markdown_it.common.utils import unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from .markdown import ALLOWED_SCHEMES, _safe_link, markdown

# The three ways prose makes a link (as load/titles.py REFUSED_LINK reads them) with an
# allowed scheme: `[words](address)` or `(<address>)`, an autolink `<address>`, and a
# definition `[ref]: address`; or a scheme-relative `//host/…` address in the first or
# the last (an autolink needs a scheme). Group `at`: the address, where it is said; `angle`: a
# `(<…>)` address. Whether it is a link that is not made is `_unopened` (a regex cannot
# parse an address).
_SCHEMES = "|".join(sorted(ALLOWED_SCHEMES))
UNOPENED_LINK = re.compile(rf"(?:\]\(\s*(?P<angle><)?|<(?=(?:{_SCHEMES}):[^\s<>]*>)|^[ \t]{{0,3}}\[[^\]\n]+\]:[ \t]*)"
                           rf"(?P<at>(?:{_SCHEMES}):|//)", re.IGNORECASE | re.MULTILINE)


# `[map](my file.png)`, `[site](https://ex.org/a b)`: a space ends a link's address, and
# what follows it is no title (`"…"`, `'…'`, `(…)`) nor the `)` closing it, so markdown-it
# makes no link: every output showed the brackets and the address as typed, and nothing
# was said. The space may be a line break (`[map](my⏎file.png)`: a wrapped line, a
# blockquote's `>` after it); a space that is not ASCII (U+00A0) is part of the address,
# as markdown-it reads it (`a%C2%A0b`). A title that something follows (`[x](a (b) c)`)
# is no link either: what is in parentheses is matched one level deep, and whether
# markdown-it reads a link there is asked of its own parsers (`_reads_link`). The same
# slip in the two other ways prose makes a link: a definition (`[ref]: my file.png`,
# `[ref]: a b "title"`: a definition holds nothing after its address but a title, or it
# is a paragraph, shown as typed, and each `[ref]` with it) and an autolink
# (`<https://ex.org/a b>`: one holds no space; with its scheme, as only an autolink has
# one, so `<sigh: fine>` is no address). Group `at`: the address, where it is said;
# `rest`: after the space; `inline`, `label`, `auto`: which of the three it is. A scene
# id with a space (`#The Far Bank`) is HF0540 (stories/near_misses.py), not this.
SPACED_ADDRESS = re.compile(r"(?:(?P<inline>\]\()[ \t]*|^[ \t>]*\[(?!\^)[^\]\n]+(?P<label>\]):[ \t]*"
                            r"|(?P<auto><)(?=(?:https?|mailto):))"
                            r"(?P<at>[^\x00-\x20\x7f<>()#][^\x00-\x20\x7f()<>]*)"
                            r"(?(inline)(?:[ \t]+|[ \t]*\n[ \t>]*)|[ \t]+)"
                            r"(?P<rest>(?(inline)(?=[^\s\"'])(?:[^()]|\([^()]*\))+?"
                            r"|(?(auto)[^\s<>][^<>\n]*?|[^\s\"'(][^\n]*?)))"
                            r"(?(inline)\)|(?(auto)>|[ \t]*$))", re.MULTILINE | re.IGNORECASE)


def spaced_addresses(text: str, start: int = 0, opened_before: bool = False) -> Iterator[re.Match]:
    """Each SPACED_ADDRESS of `text` (from `start` on) whose `]` closes a `[` typed in
    `text` (Markdown as written, code blanked): a link the writer typed with a space in
    its address, shown as typed. `\\[x](a b)`, `[x\\](a b)` ask for the brackets, shown as
    typed on purpose: no slip, and the writer could silence the warning no other way
    than with backticks. `opened_before`: `text` is one line of a paragraph, whose `[`
    may be on a line before (see `closing_brackets`)."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return
    closing: set[int] | None = None
    for found in SPACED_ADDRESS.finditer(text, start):
        if found.group("auto"):   # `\<https://a b>` asks for the angle bracket
            if _backslashes_before(text, found.start()) % 2 == 0:
                yield found
            continue
        if closing is None:
            closing = closing_brackets(text, opened_before)
        bracket = found.start("inline") if found.group("inline") else found.start("label")
        if bracket in closing and not (found.group("inline") and _reads_link(found)):
            yield found


def spaced_at(line: str, pos: int) -> bool:
    """Whether a link typed at `pos` of `line` (its `](` or a definition's line start)
    is one whose address a space ends (SPACED_ADDRESS), so Markdown reads no link there."""
    found = SPACED_ADDRESS.match(line, pos)
    return found is not None and not (found.group("inline") and _reads_link(found))


def _backslashes_before(text: str, at: int) -> int:
    """How many backslashes stand right before `at` in `text`."""
    k = at
    while k > 0 and text[k - 1] == "\\":
        k -= 1
    return at - k


def _reads_link(found: re.Match) -> bool:
    """Whether markdown-it reads an inline link at the `](` of `found` (SPACED_ADDRESS's
    `inline` kind) after all: its address, a title after it (`(b)` in `[x](a (b))`) and
    the `)` closing it, read by markdown-it's own parsers (rules_inline/link.py's
    order), a blockquote's `>` after a line break taken out as markdown-it does."""
    text = re.sub(r"\n[ \t>]*", "\n", found.group(0)[2:])
    pos, end = _skip_spaces(text, 0), len(text)
    read = parseLinkDestination(text, pos, end)
    if not read.ok:
        return False
    pos = after = _skip_spaces(text, read.pos)
    title = parseLinkTitle(text, pos, end)
    if after != read.pos and title.ok:
        pos = _skip_spaces(text, title.pos)
    return pos < end and text[pos] == ")"


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


_ADDRESS_AT_END = re.compile(r"\]\([ \t]*(?P<at>[^\s<>()#][^\s()<>]*)[ \t]*$")


def spaced_address_at(line: str, start: int, wrapped: bool) -> int:
    """Where on `line` (one line of a paragraph as written, from `start` on) the next
    address with a space is typed, -1 if none: `wrapped`, the one whose line ends after
    its address's first word (`[map](my⏎file.png)`)."""
    if wrapped:
        found = _ADDRESS_AT_END.search(line, start)
        ok = found is not None and found.start() in closing_brackets(line, True)
    else:
        found = next(spaced_addresses(line, start, opened_before=True), None)
        ok = found is not None
    return found.start("at") if ok else -1


_BRACKET = re.compile(r"\\.|[\[\]]", re.DOTALL)


def closing_brackets(text: str, opened_before: bool = False) -> set[int]:
    """Where in `text` (Markdown as written) a `]` closes a `[` before it, neither
    escaped by a backslash: one pass, each `]` taking the nearest `[` still open (a
    walk back from each `]` was quadratic in a paragraph of 100,000 `](`).
    `opened_before`: a `]` with no `[` open before it on `text` (one line of several)
    closes one on a line before, unless an escaped `\\[` came first on this line."""
    found: set[int] = set()
    opened, escaped = 0, False
    for m in _BRACKET.finditer(text):
        ch = m.group(0)
        if ch == "[":
            opened += 1
        elif ch == "]":
            if opened:
                opened -= 1
                found.add(m.start())
            elif opened_before and not escaped:
                found.add(m.start())
        elif ch == "\\[":
            escaped = True
    return found


def unopened_links(text: str, start: int = 0) -> Iterator[re.Match]:
    """Each UNOPENED_LINK match of `text` (from `start` on) whose address is one the
    sanitiser would not keep: a link the writer typed that is shown as typed."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return
    for found in UNOPENED_LINK.finditer(text, start):
        address = typed_address(found)
        if address is not None and not _safe_link(markdown().normalizeLink(address)):
            yield found


def typed_address(found: re.Match) -> str | None:
    """The address of an UNOPENED_LINK match as markdown-it reads it (its own parser of
    a link's destination, backslash escapes and entities undone); None when markdown-it
    reads none there."""
    text, at = found.string, found.start("at")
    if found.group(0).startswith("<"):   # an autolink: up to its `>` (the regex saw one)
        return text[at:text.index(">", at)]
    start = at - 1 if found.group("angle") else at
    read = parseLinkDestination(text, start, len(text))
    return unescapeAll(read.str) if read.ok else None


_HOST_FORBIDDEN = set(" \t\n\r<>^|\\#?/@[]*\"'`{}")


def address_fault(address: str) -> str:
    """What is wrong with `address` (an allowed scheme's, one the sanitiser refuses), in
    a writer's words: a bracket, a bad port, a stray `%`, a character no host may hold."""
    try:
        parts = urlsplit(address)
    except ValueError:   # urllib's "Invalid IPv6 URL": a bracket not around an IPv6 address
        return "a `[` or `]` in its host: only an IPv6 address is written in brackets"
    try:
        parts.port
    except ValueError:
        port = parts.netloc.rpartition("@")[2].rpartition(":")[2]
        return f"its port `{port[:12]}` is not a number from 0 to 65535"
    if parts.scheme.lower() == "mailto":
        return "it is not an address a browser can open"
    host = parts.netloc.rpartition("@")[2]
    host = host.rpartition(":")[0] if ":" in host and not host.endswith("]") else host
    if not host:
        return "it names no host (the site's name after `//`)"
    if "%" in host:
        return "a `%` in its host name"
    odd = next((ch for ch in host if ch in _HOST_FORBIDDEN or not ch.isprintable()
                or unicodedata.category(ch) in ("Cf", "Zs")), None)
    if odd is not None:
        shown = f"`{odd}`" if odd.isprintable() and odd != " " else f"U+{ord(odd):04X}"
        return f"the character {shown} in its host name, which no host name may hold"
    if re.fullmatch(r"[0-9.]+", host):
        return f"its host `{host[:40]}` is no IPv4 address (four numbers from 0 to 255)"
    if any(label.lower().startswith("xn--") for label in host.split(".")) or not host.isascii():
        return f"its host name `{host[:40]}` is not a valid international domain name"
    return "it does not parse as a web address"
