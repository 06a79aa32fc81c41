"""The near-miss checks (stories/near_misses.py) skip a line or a paragraph that
cannot hold what they look for by a character test first: a line with no `]` and no
`#` has no slip `_line_slip` reports, one with no `(#` and no `{` no leftover choice
syntax, a paragraph's text with no `<` no typed tag. Property: every pattern those
checks run matches only text holding those characters, so the skip changes no
finding. (The findings themselves: tests/roots/invalid-*-near-misses.)"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load.titles import RAW_TAG
from pipeline.stories import near_misses as nm

_LINE = st.lists(st.sampled_from(["[", "]", "(", ")", "#", "{", "}", " ", "\t", "-", "*", "1", ".", ")", "a", "if",
                                  "do", "id", "=", '"', "'", ":", ";", "<", ">", "/", "b", "x", "\u201c"]),
                 max_size=14).map("".join)

_SLIPS = (nm._TIGHT_HEADING, nm._SPACED_HASH, nm._TIGHT_MARKER, nm._SPACED_ATTRS, nm._SPACED_LINK,
          nm._TOUCHING_ATTRS, nm._OPEN_LINK)


@settings(max_examples=1500, deadline=None)
@given(_LINE)
def test_what_each_check_skips_cannot_match(line):
    if "]" not in line and "#" not in line:
        assert not any(p.search(line) for p in _SLIPS)
    if "(#" not in line and "{" not in line:
        assert not nm._CHOICE_SYNTAX.search(line)
    if "<" not in line:
        assert not RAW_TAG.search(line)


def test_the_characters_are_what_the_patterns_need():
    # each skip is tight enough to let the slips it guards through
    for line, pattern in [("##Hall {#hall}", nm._TIGHT_HEADING), ("[Go](# hall)", nm._SPACED_HASH),
                          ("-[Go](#hall)", nm._TIGHT_MARKER), ("[Go](#hall) {if=\"a\"}", nm._SPACED_ATTRS),
                          ("[Go] (#hall)", nm._SPACED_LINK), ("[Go](#hall){", nm._TOUCHING_ATTRS),
                          ("[Go](#hall", nm._OPEN_LINK)]:
        assert pattern.search(line) and ("]" in line or "#" in line)
    assert nm._CHOICE_SYNTAX.search("text {do=x}") and nm._CHOICE_SYNTAX.search("(#hall)")
