"""Where an address is written in a theme file, when its reader decoded it: a
template's `&#104;ttps:` or `&amp;` (tinyhtml5), a stylesheet's `\\68 ttps:`
(tinycss2). The parsers keep no places (or places in the decoded text), so the
decoded address is looked for in the file's text as it stands, then as each piece
that can hold one decodes."""

from __future__ import annotations

import html
import re


# A piece of a file's text an address can be written in: a quoted value (an attribute's,
# a CSS string), a CSS `url(…)` without quotes, an attribute's value without quotes.
_WRITTEN_VALUE = re.compile(r'"([^"]*)"|\'([^\']*)\'|url\(\s*([^\s"\')]+)\s*\)|=[ \t]*([^\s"\'=<>`]+)',
                            re.IGNORECASE)


def written_at(text: str, value: str, cursor: int) -> tuple[int, int]:
    """(start, end) of the address `value` in `text`, looked for from `cursor` first
    (the same address twice: each at its own place), else (-1, -1). `value` is what
    the file's reader made of it: written with a character reference in a template
    (`&#104;ttps:`, `&amp;`) or a CSS escape (`\\68 ttps:`), it does not stand in the
    text as it is, and the address was said with no line or column; then it is the
    quoted or `url()` piece that decodes to it."""
    for first, start in ((True, cursor), (False, 0)):
        at = text.find(value, start)
        if at >= 0:
            return at, (at + len(value) if first else -1)
    wanted = _plain(value)
    for first, start in ((True, cursor), (False, 0)):
        for match in _WRITTEN_VALUE.finditer(text, start):
            group = next(g for g in range(1, 5) if match.group(g) is not None)
            raw = match.group(group)
            if wanted in (_plain(html.unescape(raw)) if group != 3 else None, _plain(_css_unescape(raw, group))):
                return match.start(group), (match.end(group) if first else -1)
    return -1, -1


def _plain(address: str | None) -> str | None:
    # as _refused reads an address: its surrounding spaces, tabs and line breaks dropped
    return None if address is None else address.strip().replace("\t", "").replace("\n", "").replace("\r", "")


def _css_unescape(raw: str, group: int) -> str | None:
    """`raw` as CSS reads it: the string (`group` 1, 2: its quotes) or url() (3) it
    stands in, escapes decoded (tinycss2); None for an attribute's unquoted value."""
    import tinycss2

    if group == 4:
        return None
    written = ('"', "'", "url(")[group - 1] + raw + ('"', "'", ")")[group - 1]
    try:
        tokens = [t for t in tinycss2.parse_component_value_list(written) if t.type != "whitespace"]
    except Exception:  # tinycss2 reads any text
        return None
    return tokens[0].value if len(tokens) == 1 and tokens[0].type in ("string", "url") else None
