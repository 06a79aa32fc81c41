"""The built-in pseudo-locale `en-XA`: every letter accented, ~35% longer, bracketed.

A team builds it to see, before paying a translator, which text overflows its box
or was never made translatable (it stays plain ASCII). Markup, link targets, code,
`{…}` placeholders and HTML entities are kept byte for byte, so a pseudo-translation
always passes the markup check. `en-XA` is the tag Android and Chrome use; it is
valid BCP 47 (XA is a private-use region).
"""

from __future__ import annotations

import re

PSEUDO_LOCALES = ("en-XA",)
EXPANSION = 0.35
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅßÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ")
# What must not change: link/image targets `](…)`, code spans, `{…}`, entities,
# autolinks, and the Markdown punctuation itself (only letters are replaced).
# A code span opens and closes with runs of as many backticks (``a ` b`` holds one).
_PROTECTED = re.compile(r"\]\([^)\n]*\)|(?P<ticks>`+)[^\n]*?(?<!`)(?P=ticks)(?!`)|\{[^{}\n]*\}|&#?\w+;|<[^<>\n]*>"
                        r"|https?://\S+")
_PAD = "·"


def is_pseudo(language: str) -> bool:
    return language in PSEUDO_LOCALES


def pseudo_translate(text: str) -> str:
    """`text` accented, padded by ~35% of its letters, and bracketed `[…]`."""
    if not text.strip():
        return text
    out, last, letters = [], 0, 0
    for m in _PROTECTED.finditer(text):
        chunk = text[last:m.start()]
        letters += sum(c.isalpha() for c in chunk)
        out += [chunk.translate(_ACCENTS), m.group(0)]
        last = m.end()
    chunk = text[last:]
    letters += sum(c.isalpha() for c in chunk)
    out.append(chunk.translate(_ACCENTS))
    pad = _PAD * max(1, round(letters * EXPANSION))
    return f"[{''.join(out)} {pad}]"
