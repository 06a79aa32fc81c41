"""Where a cover may cut a word: between the characters a reader sees, never inside one.

The cover breaks a word wider than the picture between characters (CJK and Thai have
no spaces; a 58-letter place name has none either), and draws a line no one font has
in runs, one a font. Cut between code points, a Tamil or Devanagari vowel sign began
the next line on its own (drawn on a dotted circle), an emoji family's ZWJ sequence
fell apart into its people, and a row of flags paired the wrong regional indicators
(🇯🇵🇯🇵 cut after the first J printed other flags). These are Unicode's extended
grapheme clusters (UAX #29) as far as a title needs them, from unicodedata: a mark,
a joiner, an emoji modifier or tag after its base, the letter after a virama (an
Indic conjunct) and regional indicators in pairs.
"""

from __future__ import annotations

import unicodedata

ZWJ, ZWNJ = "\u200d", "\u200c"


def clusters(text: str) -> list[str]:
    """`text` as the characters a reader sees, in order; joined, they are `text`."""
    out: list[str] = []
    for ch in text:
        if out and _joins(out[-1], ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out


def _joins(before: str, ch: str) -> bool:
    """Whether `ch` belongs to the cluster `before` (no cut between them)."""
    last = before[-1]
    if unicodedata.category(ch).startswith("M") or ch in (ZWJ, ZWNJ):
        return True                                  # a mark or a joiner after its base
    if 0x1F3FB <= ord(ch) <= 0x1F3FF or 0xE0020 <= ord(ch) <= 0xE007F:
        return True                                  # an emoji's skin tone, a flag's tags
    if last == ZWJ:
        return True                                  # 👨‍👩‍👧: one picture
    if unicodedata.combining(last) == 9 and unicodedata.category(ch) == "Lo":
        return True                                  # virama and consonant: one conjunct
    return _regional(ch) and len(before) == 1 and _regional(last)


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF
