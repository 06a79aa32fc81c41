"""splice._contained decides whether a drawn card is checked by lookup or with its page
(splice.py). Its search for tags after which a parser reads text differently (RISKY,
case-blind) is made on the card's lower case when the card is ASCII (a third of the
time, docs/performance.md clean31): it must decide exactly as the case-blind search
does, for every card, ASCII or not."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from pipeline.exporters.html import splice


def _reference(html: str) -> bool:
    """_contained as it was written before the shortcut: RISKY's case-blind search."""
    if splice.RISKY.search(html) or "<!" in html:
        return False
    return "<" not in splice.TAG.sub("", html)


# what moves the answer: tags (of RISKY's names in any case), quotes, comments, `<?`, `<![`,
# and letters whose case folds onto ASCII ones (the long s, the Kelvin sign, dotted and
# dotless i) or that are plainly not ASCII
PIECES = st.sampled_from([
    "<", ">", "/", " ", "\n", "=", '"', "'", "!", "?", "[", "-", "a", "b", "x", "é",
    "ſ", "\u212a", "\u0130", "\u0131", "script", "SCRIPT", "ScRiPt", "svg", "SVG", "style", "Title",
    "textarea", "noscript", "iframe", "template", "math", "select", "option", "html", "HEAD", "body",
    "plaintext", "xmp", "noembed", "noframes", "<a href=\"x.html\">", "</a>", "<p class='c'>", "</p>",
    "<span>", "</span>", "<!--", "-->", "<![CDATA[", "<?xml", "<br/>", "\u00a0",
])


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_a_card_is_contained_exactly_when_the_case_blind_search_says_so(html):
    assert splice._contained(html) == _reference(html)


def test_the_tags_that_change_parsing_are_found_in_any_case_and_behind_folded_letters():
    for html in ("<SCRIPT>x</SCRIPT>", "<p>a</p>< /Svg>", "<ſcript>", "<\u212abd>", "<TiTlE>t</TiTlE>",
                 "<?php ?>", "<![CDATA[x]]>", "<p>caf\u00e9</p><Style>"):
        assert splice._contained(html) is _reference(html)
    assert splice._contained("<ſcript>") is False           # the long s folds onto s: case-blind, as before
    assert splice._contained("<p>caf\u00e9 <b>x</b></p>") is True
    assert splice._contained("<P CLASS=\"a\">x</P>") is True
    assert splice._contained("<p>x</p><SCRIPT>") is False
