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
# A reference-style link's label is matched against the story's definitions, so it is
# kept too: a full reference's `][label]`, and a shortcut or collapsed one's `[Label]`,
# `[Label][]`, whose words are its label (a bracketed `[sic]` stays unaccented with it).
# Accented, `[the map][m]` and `[Lantern]` were shown as typed in en-XA.
_PROTECTED = re.compile(r"\]\([^)\n]*\)|(?P<ticks>`+)[^\n]*?(?<!`)(?P=ticks)(?!`)|\{[^{}\n]*\}|&#?\w+;|<[^<>\n]*>"
                        r"|https?://\S+|\]\[[^\[\]\n]*\]|\[[^\[\]\n]+\](?:\[\])?(?![(\[])")
_PAD = "·"


def is_pseudo(language: str) -> bool:
    return language in PSEUDO_LOCALES


def pseudo_named(folder: str) -> str | None:
    """The pseudo-locale a language folder's name spells (`en-XA`, `en_xa`), or None:
    a folder of translations or clips for it is never read (it is made from the source),
    whether [l10n] languages lists it or not."""
    return next((tag for tag in PSEUDO_LOCALES if tag.lower() == folder.replace("_", "-").lower()), None)


# A line's Markdown block markers, kept as written before the words they hold: its
# indent, quote `>`s, a list item's marker, a heading's `#`s.
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+)?")
_BLOCK_START = re.compile(r"^[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|```|~~~|\|)", re.M)
_TABLE_DELIMITER = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.M)
_FENCE = re.compile(r"^[ \t>]*(```|~~~)")
# a table row's cell boundaries: a `|` not escaped (GFM splits a row at one inside a
# code span too, so the cells are those the source row has)
_CELL = re.compile(r"\\.|(?P<bar>\|)")


def pseudo_translate(text: str) -> str:
    """`text` accented, padded by ~35% of its letters, and bracketed `[…]`. A text of
    Markdown blocks (a `background:` paragraph that is a table, a list, a quote or a
    heading, which is one line to translate) keeps its blocks: the words of each line,
    or each table cell, are bracketed inside the markers, so the table stays a table.
    Bracketed whole, it was one paragraph showing its `|`s, `-`s and `#`s as typed."""
    if not text.strip():
        return text
    if not _BLOCK_START.search(text) and not (_TABLE_DELIMITER.search(text) and "\n" in text.strip()):
        return pseudo_words(text)
    table = _TABLE_DELIMITER.search(text) is not None
    out, fenced = [], None
    for line in text.split("\n"):
        fence = _FENCE.match(line)
        if fenced is not None or fence:   # code is kept byte for byte
            if fence and (fenced is None or fence.group(1) == fenced):
                fenced = fence.group(1) if fenced is None else None
            out.append(line)
        elif not line.strip() or (table and _TABLE_DELIMITER.fullmatch(line)):
            out.append(line)
        elif table and "|" in line:
            out.append(_pseudo_row(line))
        else:
            prefix = _BLOCK_PREFIX.match(line).end()
            words = line[prefix:]
            out.append(line[:prefix] + (pseudo_words(words) if words.strip() else words))
    return "\n".join(out)


def _pseudo_row(line: str) -> str:
    """A table row with each cell's words pseudo-translated between its `|`s."""
    bars = [m.start("bar") for m in _CELL.finditer(line) if m.group("bar")]
    cuts = [-1, *bars, len(line)]
    cells = []
    for start, end in zip(cuts, cuts[1:]):
        cell = line[start + 1:end]
        words = cell.strip()
        if words:
            lead = cell[:len(cell) - len(cell.lstrip())]
            cell = lead + pseudo_words(words) + cell[len(lead) + len(words):]
        cells.append(cell)
    return "|".join(cells)


def pseudo_words(text: str) -> str:
    """One run of words (no Markdown blocks: a line, a cell, a theme's word) accented,
    padded and bracketed."""
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
