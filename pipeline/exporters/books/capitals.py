"""Capitals as a browser sets them: Georgian's Mkhedruli stays as written.

The print theme sets labels, a relationship's kind, the cover's authors and running
heads in capitals (`text-transform: uppercase`), and the EPUB cover draws the world's
name and the authors so. Python's `str.upper` (WeasyPrint's and Pillow's cover's) maps
Georgian's Mkhedruli letters (U+10D0–U+10FF) to Mtavruli (U+1C90–U+1CBF, Unicode 11),
capitals Georgian does not write words in and that few fonts have: DejaVu, which
draws Mkhedruli on most Linux machines, has none. A Georgian author, attribute or
relationship kind printed as empty boxes in every label (its lower case printed
well beside them), and the warnings (HF0741, HF0752) were said at foundry.toml with
no line, one per book in different letters, since no file holds a Mtavruli letter;
`foundry check`, which asks fonts for the characters written, said nothing. Chromium
leaves Mkhedruli as it is under `uppercase` and `capitalize` (the site shows it so);
so do the books now, whatever the fonts (the PDF and the EPUB cover alike).
"""

from __future__ import annotations

import re
from typing import Callable

# The Mkhedruli letters Unicode maps to Mtavruli: U+10D0–U+10FA and U+10FD–U+10FF
# (U+10FB is a punctuation mark, U+10FC a modifier letter, neither with a capital).
_MKHEDRULI = re.compile("[\u10d0-\u10fa\u10fd-\u10ff]+")
# Where `capitalize` starts a word anew (WeasyPrint's: a character of category Z)
_SEPARATOR = re.compile("([\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])")


def upper(text: str, capitals: Callable[[str], str] = str.upper, kept: frozenset[str] = frozenset()) -> str:
    """`text` in capitals by `capitals` (str.upper, or WeasyPrint's uppercase for the
    box's language), each run of Mkhedruli letters, and of the characters `kept`,
    left as written."""
    return keeping(text, capitals, kept)


def keeping(text: str, transform: Callable[[str], str], kept: frozenset[str] = frozenset(),
            mkhedruli: bool = True) -> str:
    """`text` changed by `transform` (a case mapping, or full-width forms) but for its
    runs of Mkhedruli letters (unless `mkhedruli` is False: a transform that never makes
    capitals of them) and of the characters `kept`, left as written."""
    runs = _runs(kept, mkhedruli)
    if runs is None or runs.search(text) is None:
        return transform(text)
    out, at = [], 0
    for run in runs.finditer(text):
        out += [transform(text[at:run.start()]), run.group()]
        at = run.end()
    out.append(transform(text[at:]))
    return "".join(out)


def capitalized(text: str, capitalize: Callable[[str], str], kept: frozenset[str] = frozenset()) -> str:
    """`text` with each word's first letter in capitals by `capitalize` (WeasyPrint's,
    which starts a word after a space), a word starting with a Mkhedruli letter or
    a character `kept` left as written."""
    runs = _runs(kept)
    if runs.search(text) is None:
        return capitalize(text)
    return "".join(piece if _starts_with(piece, runs) else capitalize(piece) for piece in _SEPARATOR.split(text))


def _runs(kept: frozenset[str], mkhedruli: bool = True) -> "re.Pattern[str] | None":
    """Runs of Mkhedruli letters (unless `mkhedruli` is False) and of the characters
    `kept`; None for neither."""
    if not kept:
        return _MKHEDRULI if mkhedruli else None
    return re.compile("[" + ("\u10d0-\u10fa\u10fd-\u10ff" if mkhedruli else "")
                      + "".join(re.escape(char) for char in sorted(kept)) + "]+")


def _starts_with(word: str, runs: "re.Pattern[str]") -> bool:
    """Whether the first letter or digit of `word` is one `runs` matches."""
    first = next((char for char in word if char.isalnum()), "")
    return bool(first) and runs.match(first) is not None
