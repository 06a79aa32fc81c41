"""Emphasis next to Chinese, Japanese and Korean text: CommonMark's delimiter runs with
the CJK-friendly amendment.

CommonMark 0.31.2 (6.2) decides whether a run of `*`, `_` or `~` opens or closes by its
neighbours: a run between punctuation inside and a letter outside is neither. That
fits languages that put spaces between words, and breaks those that do not:
`これは**「重要」**です` (the closing `**` after 」 and before で) and
`中文**“强调”**测试` showed their asterisks in every output. The "CommonMark
CJK-friendly Amendments" specification (https://github.com/tats-u/markdown-cjk-friendly,
specification.md, and the concrete ranges of its terms, ranges.md; proposed to
CommonMark as commonmark/commonmark-spec#650; implemented by markdown-it-cjk-friendly,
markdig, comrak and GitLab) amends the two flanking rules and no other:

- left-flanking: not followed by Unicode whitespace, and either not followed by a
  non-CJK punctuation character, or followed by one and preceded by Unicode whitespace,
  a non-CJK punctuation sequence, a CJK sequence or an Ideographic Variation Selector;
- right-flanking: not preceded by Unicode whitespace, and either not preceded by a
  non-CJK punctuation sequence, or preceded by one and followed by Unicode whitespace, a
  non-CJK punctuation character or a CJK character;
- a `_` or `__` run that is both opens only when preceded by a Unicode punctuation
  *sequence* (a punctuation character, perhaps with a variation selector after it).

A CJK character is one of East Asian Width W, F or H that is not an emoji by default,
or of the Hangul script; a sequence is such a character perhaps followed by a
non-emoji variation selector (U+FE00–U+FE0E). The curly quotes ‘’“” followed by
U+FE01 (their fullwidth form) count as CJK punctuation, as the reference
implementation reads them. Text holding no CJK character and no variation selector
is read exactly as CommonMark reads it.

Only which runs may open and close changes: soft line breaks, and everything else
markdown-it does, stay as they are (the Python port of the plugin,
mdit-py-cjk-friendly, also changes line breaks, and needs markdown-it-py < 4).
`amend_emphasis` installs it on a parser; every MarkdownIt foundry makes
(load/markdown.py: prose and titles) has it, `~~` strike-through too (it is scanned by
the same rule), and the importer's writer asks `left_flanking` and `right_flanking`
where a mark it writes would not flank (importers/writer.py `_flanking`).
"""

from __future__ import annotations

from bisect import bisect_right

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Scanned

# The code points that are CJK characters (the specification's ranges.md, Unicode 16:
# East Asian Width W, F or H but not Emoji_Presentation, or Hangul), first and last.
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x20A9, 0x20A9), (0x2329, 0x232A), (0x2630, 0x2637), (0x268A, 0x268F),
    (0x2E80, 0x2E99), (0x2E9B, 0x2EF3), (0x2F00, 0x2FD5), (0x2FF0, 0x303E), (0x3041, 0x3096),
    (0x3099, 0x30FF), (0x3105, 0x312F), (0x3131, 0x318E), (0x3190, 0x31E5), (0x31EF, 0x321E),
    (0x3220, 0x3247), (0x3250, 0xA48C), (0xA490, 0xA4C6), (0xA960, 0xA97C), (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7C6), (0xD7CB, 0xD7FB), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE52),
    (0xFE54, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFFBE), (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF),
    (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0xFFE0, 0xFFE6), (0xFFE8, 0xFFEE), (0x16FE0, 0x16FE4),
    (0x16FF0, 0x16FF6), (0x17000, 0x18CD5), (0x18CFF, 0x18D1E), (0x18D80, 0x18DF2), (0x1AFF0, 0x1AFF3),
    (0x1AFF5, 0x1AFFB), (0x1AFFD, 0x1AFFE), (0x1B000, 0x1B122), (0x1B132, 0x1B132), (0x1B150, 0x1B152),
    (0x1B155, 0x1B155), (0x1B164, 0x1B167), (0x1B170, 0x1B2FB), (0x1D300, 0x1D356), (0x1D360, 0x1D376),
    (0x1F200, 0x1F200), (0x1F202, 0x1F202), (0x1F210, 0x1F219), (0x1F21B, 0x1F22E), (0x1F230, 0x1F231),
    (0x1F237, 0x1F237), (0x1F23B, 0x1F23B), (0x1F240, 0x1F248), (0x1F260, 0x1F265), (0x20000, 0x3FFFD),
)
_CJK_FIRSTS = tuple(first for first, _ in _CJK_RANGES)
_FIRST_CJK = _CJK_RANGES[0][0]
# every character the amendment reads otherwise than CommonMark (CJK, the variation
# selectors) is at or past the first CJK one
_FIRST_AMENDED = chr(_FIRST_CJK)

# Non-emoji general-use variation selectors (U+FE0F asks for the emoji) and the
# Ideographic Variation Selectors (a Han character's glyph: 葛 + U+E0100).
_VARIATION = ("\ufe00", "\ufe0e")
_IDEOGRAPHIC_VARIATION = ("\U000e0100", "\U000e01ef")
# ‘ ’ “ ” (East Asian Width A) with U+FE01: their fullwidth form, CJK punctuation
_AMBIGUOUS_QUOTES = "\u2018\u2019\u201c\u201d"
_FULLWIDTH_FORM = "\ufe01"


def is_cjk(char: str) -> bool:
    """Whether `char` (one code point) is a CJK character of the specification."""
    code = ord(char)
    if code < _FIRST_CJK:
        return False
    at = bisect_right(_CJK_FIRSTS, code) - 1
    return at >= 0 and code <= _CJK_RANGES[at][1]


def _punctuation(char: str) -> bool:
    # CommonMark's Unicode punctuation (P and S), as markdown-it's own scan asks it
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _space(char: str) -> bool:
    return isWhiteSpace(ord(char))


def _before(text: str) -> tuple[bool, bool, bool, bool]:
    """What precedes a delimiter run, `text` being what stands before it (its last
    two characters are read; "" at the line's start, whitespace to CommonMark): (Unicode
    whitespace, a non-CJK punctuation sequence, a CJK sequence or an Ideographic
    Variation Selector, a Unicode punctuation sequence)."""
    if not text:
        return True, False, False, False
    last = text[-1]
    if _VARIATION[0] <= last <= _VARIATION[1] and len(text) > 1 and not _space(text[-2]):
        base = text[-2]   # a sequence: the character and its variation selector
        if base in _AMBIGUOUS_QUOTES and last == _FULLWIDTH_FORM:
            return False, False, True, True
        punctuation = _punctuation(base)
        cjk = is_cjk(base)
        return False, punctuation and not cjk, cjk, punctuation
    if _IDEOGRAPHIC_VARIATION[0] <= last <= _IDEOGRAPHIC_VARIATION[1]:
        return False, False, True, False
    punctuation = _punctuation(last)
    cjk = is_cjk(last)
    return _space(last), punctuation and not cjk, cjk, punctuation


def _after(text: str) -> tuple[bool, bool, bool, bool]:
    """What follows a delimiter run, `text` being what stands after it (its first
    character is read; "" at the line's end, whitespace): (Unicode whitespace, a non-CJK
    punctuation character, a CJK character, a Unicode punctuation character)."""
    if not text:
        return True, False, False, False
    first = text[0]
    punctuation = _punctuation(first)
    cjk = is_cjk(first)
    return _space(first), punctuation and not cjk, cjk, punctuation


def left_flanking(before: str, after: str) -> bool:
    """Whether a delimiter run between `before` (the text before it, "" at a line's
    start) and `after` (the text after it, "" at a line's end) is left-flanking, as
    amended (module docstring)."""
    return _left(_before(before), _after(after))


def right_flanking(before: str, after: str) -> bool:
    """Whether such a run is right-flanking, as amended (module docstring)."""
    return _right(_before(before), _after(after))


def _left(before: tuple[bool, bool, bool, bool], after: tuple[bool, bool, bool, bool]) -> bool:
    space_after, plain_punct_after = after[0], after[1]
    space_before, plain_punct_before, cjk_before = before[0], before[1], before[2]
    return not space_after and (not plain_punct_after or space_before or plain_punct_before or cjk_before)


def _right(before: tuple[bool, bool, bool, bool], after: tuple[bool, bool, bool, bool]) -> bool:
    space_before, plain_punct_before = before[0], before[1]
    space_after, plain_punct_after, cjk_after = after[0], after[1], after[2]
    return not space_before and (not plain_punct_before or space_after or plain_punct_after or cjk_after)


class _AmendedState(StateInline):
    """markdown-it's inline state with the amended delimiter scan (`scanDelims`, which
    its emphasis and strike-through rules ask, is the one thing it changes)."""

    __slots__ = ()

    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:
        """markdown-it's scan of the run of `self.src[start]` from `start` (whether it
        may open, may close, its length), its flanking as amended. `canSplitWord`: the
        run is `*` or `~` (it may open and close inside a word), not `_`."""
        src, end = self.src, self.posMax
        marker, pos = src[start], start
        while pos < end and src[pos] == marker:
            pos += 1
        if src[start - 1:start] < _FIRST_AMENDED and (pos >= end or src[pos] < _FIRST_AMENDED):
            # no CJK character nor variation selector beside the run: CommonMark's own
            # scan, as markdown-it makes it (most runs, and all of them in most worlds)
            return super().scanDelims(start, canSplitWord)
        before = _before(src[max(start - 2, 0):start])
        after = _after(src[pos] if pos < end else "")
        left, right = _left(before, after), _right(before, after)
        can_open = left and (canSplitWord or not right or before[3])
        can_close = right and (canSplitWord or not left or after[3])
        return Scanned(can_open, can_close, pos - start)


def amend_emphasis(md: MarkdownIt) -> None:
    """`md` (a markdown-it parser) reading emphasis, strong emphasis and strike-through
    with the CJK-friendly amendment to CommonMark's flanking rules (module docstring):
    each inline parse's state scans its delimiter runs by the amended rules. Call it
    once per parser; every parser foundry makes has it."""
    inline = md.inline

    def parse(src: str, md: MarkdownIt, env, tokens: list) -> list:
        # markdown-it-py's ParserInline.parse, its state the amended one: it makes a
        # StateInline by name (no option chooses the class, as markdown-it's
        # `md.inline.State` does), and a state turned into the subclass once made read
        # a third slower in every rule (its attributes no longer the class's own layout)
        state = _AmendedState(src, md, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse
