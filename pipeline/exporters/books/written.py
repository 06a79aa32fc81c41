"""Where an address is written in a theme file. The parsers that read it (tinyhtml5
for a template, tinycss2 for a stylesheet) keep no places, or places in text they
decoded, so the address they read is looked for in the file's text: in its place
first (the attribute that holds it, in its element; a stylesheet's `url()` or
`@import`), so that the same address standing earlier as text (`content: "…"`, an
`<a href>` to follow) is not taken for it, and as it is written there (`&#104;ttps:`,
`&amp;`, `\\68 ttps:`: the reader decoded them)."""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from functools import lru_cache

# A piece of a file's text an address can be written in: a quoted value (an attribute's,
# a CSS string), a CSS `url(…)` without quotes, an attribute's value without quotes.
_WRITTEN_VALUE = re.compile(r'"([^"]*)"|\'([^\']*)\'|url\(\s*([^\s"\')]+)\s*\)|=[ \t]*([^\s"\'=<>`]+)',
                            re.IGNORECASE)
# A stylesheet's fetched address: url("…"), url('…'), url(…), @import "…" (groups 1-3, 4-5)
_CSS_FETCH = re.compile(r'url\(\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\')]+))\s*\)|@import\s*(?:"([^"]*)"|\'([^\']*)\')',
                        re.IGNORECASE)
_TAG_OPEN = re.compile(r"<\s*([A-Za-z][\w:.-]*)")


@lru_cache(maxsize=64)
def _attribute(name: str) -> re.Pattern:
    # `name=` as an attribute of its own (`src`, not `data-src`; `href` and `xlink:href`)
    return re.compile(rf'(?<![\w:.-])(?:[\w.-]+:)?{re.escape(name)}\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|([^\s"\'=<>`]+))',
                      re.IGNORECASE)


def written_at(text: str, value: str, cursor: int, holder: tuple[str, str] | None = None) -> tuple[int, int]:
    """(start, end) of the address `value` in `text`, looked for from `cursor` first
    (the same address twice: each at its own place; `end` is -1 when found before
    `cursor`), else (-1, -1). `holder`: the element and attribute that hold it
    (`("img", "src")`), None for a stylesheet's address. `value` is what the file's
    reader made of it: where it does not stand in its place as it is, it is the piece
    there that decodes to it, else the text as it stands anywhere, else any quoted or
    `url()` piece that decodes to it."""
    wanted = _plain(value)
    places = _in_place(text, value, wanted, holder)
    for first, start in ((True, cursor), (False, 0)):
        # the first place at or after `start` (a bisection: a sheet naming one picture
        # 10,000 times walked every place before the cursor at each, in time squared)
        index = bisect_left(places, (start, -1))
        if index < len(places):
            at, end = places[index]
            return at, (end if first else -1)
    for first, start in ((True, cursor), (False, 0)):
        at = text.find(value, start)
        if at >= 0:
            return at, (at + len(value) if first else -1)
    for first, start in ((True, cursor), (False, 0)):
        for match in _WRITTEN_VALUE.finditer(text, start):
            group = next(g for g in range(1, 5) if match.group(g) is not None)
            raw = match.group(group)
            if wanted in (_plain(html.unescape(raw)) if group != 3 else None,
                          _plain(_css_unescape(raw, "\"'u="[group - 1]))):
                return match.start(group), (match.end(group) if first else -1)
    return -1, -1


def _in_place(text: str, value: str, wanted: str, holder: tuple[str, str] | None) -> list[tuple[int, int]]:
    """The (start, end) of each piece of `text` in the place `holder` names that reads as
    the address, in order."""
    exact, srcsets = _places(text, holder)
    found = exact.get(wanted, [])
    if not srcsets:
        return found
    found = list(found)
    for start, raw, decoded in srcsets:
        if _plain(decoded) == wanted:
            found.append((start, start + len(raw)))
        elif wanted in decoded:   # one candidate of several
            at = raw.find(value)
            start += at if at >= 0 else 0
            found.append((start, start + (len(value) if at >= 0 else len(raw))))
    return sorted(found)


@lru_cache(maxsize=16)
def _places(text: str, holder: tuple[str, str] | None) -> tuple[dict[str, list[tuple[int, int]]],
                                                                tuple[tuple[int, str, str], ...]]:
    """Each piece of `text` in the place `holder` names, read once a file (not once an
    address: a stylesheet of 10,000 url()s was read 10,000 times, 10^8 tokenizations in
    about an hour of `foundry check`): ({address as read: [(start, end), …]}, srcset
    values that are not one address (start, raw, decoded))."""
    exact: dict[str, list[tuple[int, int]]] = {}
    srcsets: list[tuple[int, str, str]] = []

    def add(plains, start: int, end: int) -> None:
        for plain in dict.fromkeys(p for p in plains if p is not None):
            exact.setdefault(plain, []).append((start, end))

    if holder is None:
        for match in _CSS_FETCH.finditer(text):
            group = next(g for g in range(1, 6) if match.group(g) is not None)
            raw, quote = match.group(group), "\"'u\"'"[group - 1]
            add((_plain(_css_unescape(raw, quote)), _plain(_css_unescape(html.unescape(raw), quote))),
                match.start(group), match.end(group))
        return exact, ()
    tag, name = holder
    for match in _attribute(name).finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        raw = match.group(group)
        opened = _TAG_OPEN.match(text, max(text.rfind("<", 0, match.start()), 0))
        if opened is None or opened.group(1).rsplit(":", 1)[-1].lower() != tag:
            continue
        decoded = html.unescape(raw)
        if name == "srcset":
            # exact when it reads as the address, else one candidate of several (_in_place)
            srcsets.append((match.start(group), raw, decoded))
        else:
            add((_plain(decoded),), match.start(group), match.end(group))
    return exact, tuple(srcsets)


def _plain(address: str | None) -> str | None:
    # as theme_addresses._refused reads an address: its spaces, tabs and line breaks dropped
    return None if address is None else address.strip().replace("\t", "").replace("\n", "").replace("\r", "")


def _css_unescape(raw: str, quote: str) -> str | None:
    """`raw` as CSS reads it, escapes decoded (tinycss2): the string it stands in
    (`quote` `"` or `'`) or the url() (`u`); None for an attribute's unquoted value (`=`)."""
    import tinycss2

    if quote == "=":
        return None
    written = f"url({raw})" if quote == "u" else quote + raw + quote
    try:
        tokens = [t for t in tinycss2.parse_component_value_list(written) if t.type != "whitespace"]
    except Exception:  # tinycss2 reads any text
        return None
    return tokens[0].value if len(tokens) == 1 and tokens[0].type in ("string", "url") else None
