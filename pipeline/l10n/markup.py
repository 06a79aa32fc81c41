"""What a translation must keep of its source: link targets, emphasis, code, `{…}`.

Both texts are parsed with the project's one Markdown parser, and compared by the
parts a reader's output depends on; the words themselves are the translator's.
"""

from __future__ import annotations

import re
from collections import Counter

from ..load.markdown import markdown

PLACEHOLDER = re.compile(r"\{[^{}\n]*\}")
KEPT = ("em_open", "strong_open", "s_open")
NAMES = {"em_open": "emphasis", "strong_open": "strong emphasis", "s_open": "strikethrough"}


def signature(text: str) -> Counter:
    """The parts of `text` that must survive translation, as a multiset of labels."""
    parts: Counter = Counter()
    for block in markdown().parse(text):
        for tok in block.children or []:
            if tok.type == "link_open":
                parts[f"link to '{tok.attrs.get('href', '')}'"] += 1
            elif tok.type == "image":
                parts[f"image '{tok.attrs.get('src', '')}'"] += 1
            elif tok.type == "code_inline":
                parts[f"code `{tok.content}`"] += 1
            elif tok.type in KEPT:
                parts[NAMES[tok.type]] += 1
            elif tok.type == "text":
                for m in PLACEHOLDER.finditer(tok.content):
                    parts[f"placeholder '{m.group(0)}'"] += 1
    return parts


def broken_markup(source: str, translation: str) -> list[str]:
    """What the translation lost or added, in words ("link to '#hall' lost")."""
    want, have = signature(source), signature(translation)
    problems = [f"{part} lost" for part in sorted(want - have)]
    problems += [f"{part} added" for part in sorted(have - want)]
    return problems


def visible_text(text: str) -> str:
    """The words a reader sees (markup removed), to find a translation that is empty."""
    words = []
    for block in markdown().parse(text):
        words += [t.content for t in block.children or [] if t.type in ("text", "code_inline")]
    return "".join(words).strip()


def plain_text(text: str) -> str:
    """The words of a line as printed, markup removed, line breaks as spaces (to find
    a printed fragment's source line)."""
    words = []
    for block in markdown().parse(text):
        for tok in block.children or []:
            if tok.type in ("text", "code_inline"):
                words.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return "".join(words) if words else text
