"""Plain prose (pipeline/load/markdown.py `plain_paragraphs`) is rendered without
parsing it: its HTML and its plain line must be exactly what markdown-it makes of
it, for any text the shortcut accepts; any other text must be refused (and parsed).
Inside a story, `markdown()` turns plain paragraphs into tokens itself: the tokens
must be markdown-it's own, whatever surrounds them."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load import markdown as markdown_module
from pipeline.load.markdown import (ProseMemo, _markdown_it, markdown, plain_paragraphs, prose_line, prose_text,
                                    sanitize)

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
    assert sanitize(html) == html   # what ProseMemo gives unsanitised is what nh3 would give
    assert prose_line(text) == line
    memo = ProseMemo()
    assert memo.line(text) == line        # the line first (a card), then the page's HTML
    assert memo.render(text) == ProseMemo().render(text)


def test_plain_prose_takes_the_shortcut_and_markup_does_not():
    assert plain_paragraphs("Smuggler cliff, drowned ember.\nHarbour wind: stone!\n\nA second one?") == [
        "Smuggler cliff, drowned ember.\nHarbour wind: stone!", "A second one?"]
    for text in ("It's a *trap*", "A line  \nbreak", "1. one", "Wait...", "  indented", "Title\n===", "a (c) b"):
        assert plain_paragraphs(text) is None, text


def test_plain_prose_is_not_sanitised_and_markup_is(monkeypatch):
    # Plain paragraphs hold no character markup is made of: their HTML is the same
    # with or without nh3 (above), and a card's line and a page's HTML of them cost no
    # nh3 pass (~14 µs a background, docs/performance.md clean26). Any other text is.
    cleaned: list[str] = []
    real = markdown_module.sanitize
    monkeypatch.setattr(markdown_module, "sanitize", lambda html, *a: cleaned.append(html) or real(html, *a))
    memo = ProseMemo()
    assert memo.line("Harbour wind, stone.\n\nA second one?") == "Harbour wind, stone. A second one?"
    assert memo.render("Harbour wind, stone.\n\nA second one?") == "<p>Harbour wind, stone.</p>\n<p>A second one?</p>\n"
    assert cleaned == []
    assert memo.take_new() == {}   # made for less than a cached copy costs: not sent to the cache
    assert memo.render("A <script>x</script> *b*") == "<p>A &lt;script&gt;x&lt;/script&gt; <em>b</em></p>\n"
    assert len(cleaned) == 1


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


# Whole lines: plain ones, and every block that could start, end, continue or
# underline a paragraph next to them (lists, quotes, fences, setext underlines,
# tables, references, indented code, lazy continuations, choices, trailing spaces).
LINES = ["Harbour wind: stone!", "Ab cd.", "a", "Zed 9, x; y?", "", "", "- item", "1. one", "2) two",
         "> quote", "# Head", "## Scene {#s1}", "```", "~~~", "    code", "  indented", "---", "===", "***",
         "| a | b |", "|---|---|", "a | b", "[ref]: /url", "[ref]", "- [Go](#s1){if=\"x\"}", "*em* a",
         "trailing  ", "a\tb", "<div>", "It's", "Wait...", "a -- b", "(c) a",
         # choice lists (load/markdown.py `_choice_list_rule`) and what could join or end them
         "- [Go on](#s1)", "- [Pay](#s2){if=\"gold >= 1\" do=\"gold -= 1\"}", "- [Go on](#s1) ", "-  [Go](#s1)",
         "  - [Go](#s1)", "- [Go](#s1)\t", "* [Go](#s1)", "+ x", "1) [Go](#s1)", "  more", "    code", "\t- [a](#b)",
         "-", "- ", "- [", "- [a", "- [Go](#s1)\n  nested", "- [x] task", "- [Go](#s1)\n===", "- [Go](#s1)\n---",
         # scene headings (`_scene_heading_rule`, `_plain_heading`) and their near misses
         "## The Gate {#the-gate}", "## Home {#home .ending}", "## A {#a} ", "##  A {#a}", "## A #", "## A {#a}\t",
         "## A {#A}", "## A {#a-}", "## *A* {#a}", "## A... {#a}", "### A {#a}", "## {#a}", "## A {#a .ending .x}",
         "## A {#a}\n|---|", "## A {#a}\n---", " ## A {#a}", "## A {#a}\nText",
         # what markdown-it strips with Python's strip() (a no-break space) and a
         # reference defined in a list item
         "- [Go](#s1)\u00a0", "## A {#a}\u00a0", "## \u2003A {#a}", "- [ref]: /url", "- [Go][ref]"]


@pytest.mark.parametrize("text", [
    "- [Go][map]\n- [map]: #cave\n", "- [map]: #cave\n\nRead [the map][map].\n", "- [Go](#s1)\u00a0\n- [B](#s2)\n",
    "- [Go](#s1)\x0c\n", "## A {#a}\u00a0\n", "## \u00a0A {#a}\n", "## A\u2003\n"])
def test_what_markdown_it_strips_or_defines_is_left_to_it(text):
    # a list item's and a heading's content are strip()ped by markdown-it (any space,
    # not only " " and tab), and `[label]: …` in a list item is a definition for the
    # whole text, not a paragraph: the shortcuts must give the same tokens and labels
    ours, theirs = {}, {}
    assert markdown().parse(text, ours) == _markdown_it().parse(text, theirs)
    assert ours.get("references") == theirs.get("references")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(LINES), st.lists(st.sampled_from(ALPHABET), max_size=8).map("".join)),
                max_size=14).map("\n".join))
def test_plain_paragraphs_in_a_story_are_markdown_its_own_tokens(text):
    assert markdown().parse(text) == _markdown_it().parse(text)


def test_a_plain_paragraph_is_not_offered_to_markdown_its_block_rules(caplog):
    # each of markdown-it's block rules logs on entry (at debug level): a story's
    # plain paragraphs (most of its text) must not reach them, a heading still does
    text = "Drowned crown shingle: keep!\nWidow ledger, vigil oar.\n\nA second one?\n"
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        tokens = markdown().parse(text)
        assert [r for r in caplog.records if r.name.startswith("markdown_it.rules_block")] == []
        markdown().parse("### Part {#s1}\n\n" + text)   # a scene heading is ours too: not this one
        assert any("heading" in r.getMessage() for r in caplog.records)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * 2


# The definition of a plain line as first written: one character at a time, a space
# only when no space follows it. The faster patterns of load/markdown.py must accept
# exactly the same texts.
_PLAIN_LINE_DEFINITION = re.compile(r"[A-Za-z](?:[A-Za-z0-9.,;:!?]| (?! ))*")
_PLAIN_LINES_DEFINITION = re.compile(
    r"[A-Za-z](?:[A-Za-z0-9.,;:!?]| (?! ))*(?:\n[A-Za-z](?:[A-Za-z0-9.,;:!?]| (?! ))*)*")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["a", "Z", "0", " ", "  ", "\n", ".", "..", ",", "!", "?", ";", ":", "-", "*", "é",
                                 "\t", "\r"]), max_size=16).map("".join))
def test_the_plain_patterns_keep_the_definition(text):
    single = "\n" not in text
    if single:
        assert (markdown_module._PLAIN_LINE.fullmatch(text) is not None
                and not markdown_module._PLAIN_SPOILERS.search(text)) == \
            (_PLAIN_LINE_DEFINITION.fullmatch(text) is not None and re.search(r"\.\.|,,|\?\?|!!| $", text) is None)
    assert markdown_module._plain_lines(text) == (
        _PLAIN_LINES_DEFINITION.fullmatch(text) is not None and re.search(r"\.\.|,,|\?\?|!!| \n| \Z", text) is None)


# Choices and their near misses: what the words, the target and the attributes may hold.
CHOICE_PARTS = ["[", "]", "(", ")", "(#", "#", "{", "}", "Go on", "a", "Z9", " ", "  ", "!", "?", ".", "..", ",", "*",
                "_", "`", "\\", "'", "\"", "-", "s1", "the-gate", "Gate", "%41", "é", "<b>", "&amp;", "if=", "do=",
                "id=", "class=", "href=", "onclick=", "\"x >= 1\"", "\"set met; gold -= 1\"", "\"pay-0\"", "\"\"",
                ".ending", "#gate", "\n", "\t", "//x", "http://x"]
CHOICES = ["[Go on](#s1)", "[Pay the ferry](#s2){if=\"gold >= 1\" do=\"gold -= 1; set met\" id=\"pay-0\"}",
           "[Wait!](#the-gate){id=\"w\"}", "[Go](#s1){if=\"x\" if=\"y\"}", "[Go](#s1){class=\"c\"}",
           "[Go](#S1)", "[Go](#s1) and more", "[Go](#s1){if=\"a\"}{do=\"b\"}", "[It's](#s1)", "[A..](#s1)"]


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.sampled_from(CHOICES),
                 st.lists(st.sampled_from(CHOICE_PARTS), max_size=12).map("".join),
                 st.tuples(st.sampled_from(CHOICES), st.lists(st.sampled_from(CHOICE_PARTS), max_size=3).map("".join),
                           st.integers(0, 60)).map(lambda t: t[0][:t[2]] + t[1] + t[0][t[2]:])))
def test_a_choice_taken_without_the_inline_rules_is_markdown_its_own_tokens(line):
    # as a list item (a choice), a paragraph and a heading: load/markdown.py `_plain_choice`
    for text in (f"- {line}\n- [Go on](#s1)\n", line, f"## {line}"):
        assert markdown().parse(text) == _markdown_it().parse(text), text


def test_the_usual_choices_take_the_shortcut(monkeypatch):
    taken = []
    real = markdown_module._plain_choice
    monkeypatch.setattr(markdown_module, "_plain_choice", lambda content, children: taken.append(
        real(content, children)) or taken[-1])
    markdown().parse("- [Go on](#s1)\n- [Pay the ferry](#s2){if=\"gold >= 1\" do=\"gold -= 1; set met\" id=\"pay-0\"}\n"
                     "- [Go](#s3){onclick=\"x\"}\n")
    assert taken == [True, True, False]


def test_a_story_as_written_is_not_offered_to_markdown_its_block_rules(caplog):
    # scene headings, plain paragraphs and lists of choices, each ours: no block rule
    # of markdown-it's is asked (each logs on entry at debug level), and the tokens
    # are markdown-it's own
    text = ("## The Gate {#the-gate}\n\nDrowned crown shingle: keep!\n\n- [Go on](#home)\n\n"
            "## Home {#home .ending}\n\nA second one?\n")
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        tokens = markdown().parse(text)
        assert [r for r in caplog.records if r.name.startswith("markdown_it.rules")] == []
    assert tokens == _markdown_it().parse(text)
    assert [t.type for t in tokens].count("heading_open") == 2


def test_a_list_of_choices_is_not_offered_to_markdown_its_block_rules(caplog):
    # `_choice_list_rule`: a story's lists of choices take no block rule of markdown-it's
    # (each logs on entry at debug level); a list of anything else still does
    choices = "- [Go on](#s1)\n- [Pay the ferry](#s2){if=\"gold >= 1\" do=\"gold -= 1; set met\" id=\"pay-0\"}\n"
    text = f"Drowned crown shingle: keep!\n\n{choices}\nA second one?\n\n{choices}"
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        tokens = markdown().parse(text)
        assert [r for r in caplog.records if r.name.startswith("markdown_it.rules_block")] == []
        markdown().parse("- *em*\n- two\n")
        assert any("list" in r.getMessage() for r in caplog.records)
    assert tokens == _markdown_it().parse(text)
    assert [t.type for t in tokens].count("bullet_list_open") == 2


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab9_é'’-— \n.,!?\u0301\u00a0x1Ω")) | st.characters(), max_size=60))
def test_a_scenes_words_are_counted_as_the_word_boundaries_counted_them(text):
    """stories/scenes.py WORDS (cold21) finds as many words as `\\b\\w[\\w'’-]*\\b`, the
    definition it replaced, in any text: apostrophes and hyphens inside, around and
    alone, letters with combining marks, digits, underscores, any character."""
    from pipeline.stories.scenes import WORDS
    assert len(WORDS.findall(text)) == len(re.findall(r"\b\w[\w'’-]*\b", text))
