"""Plain prose (pipeline/load/markdown.py `plain_paragraphs`) is rendered without
parsing it: its HTML and its plain line must be exactly what markdown-it makes of
it, for any text the shortcut accepts; any other text must be refused (and parsed)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load.markdown import ProseMemo, markdown, plain_paragraphs, prose_line, prose_text

# Near misses on purpose: every character that can start markup or that the
# typographer rewrites, spaces where they make a line break or a code block, digits
# and punctuation at a line's start (ordered lists, setext underlines).
ALPHABET = list("abzAZ09 .,;:!?\n'\"-*_#>=+()[]`~&<\\|{}\té") + ["  ", "\n\n", " \n", "1. ", "...", "(c)", "--"]


def _parsed(text: str) -> tuple[str, str]:
    md = markdown()
    return md.render(text), " ".join(prose_text(md.parse(text)).split())


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=24).map("".join))
def test_the_shortcut_renders_what_markdown_it_renders(text):
    paragraphs = plain_paragraphs(text)
    if paragraphs is None:
        return
    html, line = _parsed(text)
    assert "".join(f"<p>{p}</p>\n" for p in paragraphs) == html
    assert prose_line(text) == line
    memo = ProseMemo()
    assert memo.line(text) == line        # the line first (a card), then the page's HTML
    assert memo.render(text) == ProseMemo().render(text)


def test_plain_prose_takes_the_shortcut_and_markup_does_not():
    assert plain_paragraphs("Smuggler cliff, drowned ember.\nHarbour wind: stone!\n\nA second one?") == [
        "Smuggler cliff, drowned ember.\nHarbour wind: stone!", "A second one?"]
    for text in ("It's a *trap*", "A line  \nbreak", "1. one", "Wait...", "  indented", "Title\n===", "a (c) b"):
        assert plain_paragraphs(text) is None, text


def test_a_memo_asked_for_the_line_first_keeps_the_html_for_the_page():
    # The card (the line) comes before the page (the HTML): one parse serves both,
    # and the HTML reaches the cache (`new`) only once a page asked for it.
    text = "She *sailed* at dawn, 'twas said."
    memo = ProseMemo()
    assert memo.line(text) == _parsed(text)[1]
    assert memo.take_new() == {}
    html = memo.render(text)
    assert memo.take_new() and list(memo.take_new()) == []
    assert html == ProseMemo().render(text)
