"""World.prose renders a text once and reads its plain line from the same parse:
the HTML is what markdown-it's render gives (sanitised), the line what prose_line
gives, whether the line is asked after a fresh render, a cached one, or alone."""

from __future__ import annotations

import pytest

from pipeline.load.markdown import ProseMemo, markdown, plain_paragraphs, prose_line, sanitize

TEXTS = [
    "Raised by *reed-cutters*, she learned the \"river's\" moods -- and its [maps](https://example.org).",
    "# A heading\n\n- one\n- two with `code`\n\n> quoted &amp; ![alt *text*](p.png)\n\nLine one  \nline two",
    "[ref link][r] and <b>raw</b> and a\\*escaped\\* star\n\n[r]: https://example.org/r",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_html_and_line_are_those_of_separate_parses(text):
    memo = ProseMemo()
    html = memo.render(text)
    assert html == sanitize(markdown().render(text))
    assert memo.line(text) == prose_line(text)
    assert ProseMemo().line(text) == prose_line(text)                 # never rendered here
    cached = ProseMemo()
    cached.remember({k: v for k, v in memo.new.items()})
    assert cached.render(text) == html and cached.line(text) == prose_line(text)   # HTML from the cache


@pytest.mark.parametrize("text", TEXTS)
def test_line_first_then_html_from_the_same_parse(text, monkeypatch):
    """A hero page asks for her card's line, then her background's HTML: one parse."""
    memo = ProseMemo()
    parses = []
    md = markdown()
    line, html = prose_line(text), sanitize(md.render(text))
    real = type(md).parse

    def counting(self, *args, **kwargs):
        parses.append(args[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(md), "parse", counting)
    assert memo.line(text) == line
    assert memo.render(text) == html
    assert memo.line(text) == line
    # one parse, or none for text with no markup at all (plain_paragraphs: "" here)
    assert parses == ([] if plain_paragraphs(text) is not None else [text])
