"""Where a cover may cut a word: between the characters a reader sees, never inside one.

The cover breaks a word wider than the picture between characters (CJK and Thai have
no spaces; a 58-letter place name has none either), and draws a line no one font has
in runs, one a font. Cut between code points, a Tamil or Devanagari vowel sign began
the next line on its own (drawn on a dotted circle), an emoji family's ZWJ sequence
fell apart into its people, and a row of flags paired the wrong regional indicators
(🇯🇵🇯🇵 cut after the first J printed other flags). These are Unicode's extended
grapheme clusters (UAX #29) as far as a title needs them, from unicodedata: a mark,
a joiner, an emoji modifier or tag after its base, Thai and Lao AM (vowel signs
filed as letters) after theirs, the letter after a virama (an Indic conjunct),
regional indicators in pairs, a Hangul syllable spelt in conjoining jamo, the
character after a prepended sign (the Arabic number sign U+0600 over the digits it
spans), and CR LF as one line end, to which nothing joins (a message's quote).

Some of these have no end: emoji joined by ZWJ (`☂‍☂‍☂‍…`), a run of leading jamo, a
letter with many spacing vowel signs are one cluster however long, each part drawn
with its own width. One of more than MOST_PARTS parts is no character any font draws
as one (the longest emoji sequence has four, an old Hangul syllable ten jamo): it is
given as its parts, so a cover, a clamped running head or a card's initials cut it
as they cut a word, and the layouts that keep Unicode's clusters whole (Pango,
Chromium) are given a break at each cut (`cuts`, books/cluster_breaks.py).
"""

from __future__ import annotations

import unicodedata

ZWJ, ZWNJ = "\u200d", "\u200c"


MOST_PARTS = 10


def clusters(text: str) -> list[str]:
    """`text` as the characters a reader sees, in order; joined, they are `text`. A
    cluster of more than MOST_PARTS parts is given as its parts."""
    out: list[str] = []
    for whole in _unicode_clusters(text):
        out.extend(_parts(whole) if len(whole) > MOST_PARTS else [whole])
    return out


def cuts(text: str) -> list[int]:
    """The indices of `text` where `clusters` cuts a cluster Unicode keeps whole (one of
    more than MOST_PARTS parts), in order: where a layout that breaks only between
    Unicode's clusters needs a break put."""
    found, at = [], 0
    for whole in _unicode_clusters(text):
        if len(whole) > MOST_PARTS:
            pieces = _parts(whole)
            for piece in pieces[:-1]:
                at += len(piece)
                found.append(at)
            at += len(pieces[-1])
        else:
            at += len(whole)
    return found


def _unicode_clusters(text: str) -> list[str]:
    """`text` cut between Unicode's clusters only. Each cluster is sliced from `text`
    once its end is found: grown a character at a time (`out[-1] += ch`, a copy each),
    a 160,000-umbrella ZWJ chain on a page took 3 s, four times as many 16 times that."""
    out: list[str] = []
    start = 0
    for i in range(1, len(text)):
        if not _joins(text[i - 1], i - start == 1, text[i]):
            out.append(text[start:i])
            start = i
    if text:
        out.append(text[start:])
    return out


def _parts(cluster: str) -> list[str]:
    """`cluster` cut before each character drawn with a width of its own (not a
    zero-width mark, joiner, variation selector or tag; a prepended sign is drawn),
    when it has more than MOST_PARTS of them; else `[cluster]`."""
    starts = [i for i, ch in enumerate(cluster)
              if i and (unicodedata.category(ch) not in ("Mn", "Me", "Cf") or ch in _PREPEND)]
    if len(starts) < MOST_PARTS:
        return [cluster]
    bounds = [0, *starts, len(cluster)]
    return [cluster[a:b] for a, b in zip(bounds, bounds[1:])]


def _joins(last: str, alone: bool, ch: str) -> bool:
    """Whether `ch` belongs to the cluster ending in `last` (no cut between them);
    `alone`: `last` is that cluster's only character."""
    if last in "\r\n" or ch in "\r\n":
        return last == "\r" and ch == "\n"         # a line ends whole (CRLF); nothing joins a line end
    if unicodedata.category(ch).startswith("M") or ch in (ZWJ, ZWNJ, "\uff9e", "\uff9f"):
        return True                                  # a mark (a half-width kana's voicing) or a joiner
    if ch in _SPACING_LETTERS:
        return True                                  # Thai/Lao AM: a vowel sign Unicode files as a letter
    if 0x1F3FB <= ord(ch) <= 0x1F3FF or 0xE0020 <= ord(ch) <= 0xE007F:
        return True                                  # an emoji's skin tone, a flag's tags
    if last == ZWJ:
        return True                                  # 👨‍👩‍👧: one picture
    if unicodedata.combining(last) == 9 and unicodedata.category(ch) == "Lo":
        return True                                  # virama and consonant: one conjunct
    if last in _PREPEND or _hangul_joins(last, ch):
        return True                                  # a prepended sign, a syllable in jamo
    return _regional(ch) and alone and _regional(last)


# UAX #29's SpacingMark that are letters (Lo), not marks: `ทำ` cut after `ท` read as
# another word (a quote clipped there in a message, a cover's line broken there)
_SPACING_LETTERS = frozenset("\u0e33\u0eb3")

# UAX #29's Prepend (Grapheme_Cluster_Break=Prepend): signs written before what they span
_PREPEND = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e"
                     "\U000110bd\U000110cd\U000111c2\U000111c3\U0001193f\U00011941\U00011a3a"
                     "\U00011a84\U00011a85\U00011a86\U00011a87\U00011a88\U00011a89\U00011d46")


def _hangul(ch: str) -> str:
    """`ch`'s Hangul syllable type (UAX #29's L, V, T, LV, LVT), "" for any other."""
    c = ord(ch)
    if 0x1100 <= c <= 0x115F or 0xA960 <= c <= 0xA97C:
        return "L"
    if 0x1160 <= c <= 0x11A7 or 0xD7B0 <= c <= 0xD7C6:
        return "V"
    if 0x11A8 <= c <= 0x11FF or 0xD7CB <= c <= 0xD7FB:
        return "T"
    if 0xAC00 <= c <= 0xD7A3:
        return "LV" if (c - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _hangul_joins(last: str, ch: str) -> bool:
    """Rules GB6-GB8: jamo (and a precomposed syllable) that spell one syllable."""
    before, after = _hangul(last), _hangul(ch)
    return (before == "L" and after in ("L", "V", "LV", "LVT")
            or before in ("LV", "V") and after in ("V", "T")
            or before in ("LVT", "T") and after == "T")


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF
