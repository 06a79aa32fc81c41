"""The typographer curls quotes and makes dashes and ellipses, and changes nothing
else a writer typed. markdown-it's own `replacements` also turned a gamebook's "(a),
(b) or (c)" into "(a), (b) or ©" and dropped characters: `What?!!!!` was published as
`What!!!`, `Wait?...` as `Wait?..`, `,,` as one comma (pipeline/load/markdown.py
`_typography`)."""

from __future__ import annotations

import json
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from pipeline.load.markdown import markdown
from support import check_within, foundry

KEPT = ["Choose (a), (b) or (c).", "Brand(r) and Name(tm), (C) 1999.", "Roll 3 +-2.", "What?!!!!", "Really????",
        "One,, two"]


def test_what_a_writer_typed_is_published_as_typed(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    hero.write_text(text + "background: |\n" + "".join(f"  {line}\n\n" for line in KEPT)
                    + "  Wait?... Stop!....\n\n  Dashes -- and --- and dots...\n", encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json")
    assert run.code == 0, run.stdout + run.stderr
    page = lxml_html.parse(str(root / "build/site/heroes/first-hero.html")).getroot()
    shown = [p.text_content() for p in page.iter("p")]
    for line in KEPT:
        assert line in shown, line
    assert "Dashes \u2013 and \u2014 and dots\u2026" in shown
    assert "Wait?\u2026 Stop!\u2026" in shown   # an ellipsis, no dot lost to `?..`
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))
    assert all(line in json.dumps(data, ensure_ascii=False) for line in KEPT)   # background_html and _text


# An address typed in prose or as a choice's words: its `--` and `..` are the address
ADDRESSES = ["xn--bcher-kva.example", "https://xn--fhre-loa.example/a--b..c", "www.tide--line.org",
             "ferry--man@xn--bcher-kva.example"]


def test_an_address_keeps_its_hyphens_and_dots_in_every_output(project_factory):
    # the typographer made `xn--bcher-kva.example` `xn–bcher-kva.example` (an en dash): a
    # host that does not exist, in the site, JSON and ink, while a link's own address kept
    # its hyphens; the prose around an address is still set (`--` a dash, `...` an ellipsis)
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("The fog comes in off the marsh like a tide.",
                        f"The sign reads {ADDRESSES[0]} -- and [{ADDRESSES[1]}]({ADDRESSES[1]}), "
                        f"({ADDRESSES[2]}) or {ADDRESSES[3]}. Wait...")
    text = text.replace("[Wait for the fog to lift](#wait)", f"[Write to {ADDRESSES[3]}](#wait)")
    story.write_text(text, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,ink")
    assert run.code == 0, run.stdout + run.stderr
    page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
    shown = page.text_content()
    data = json.dumps(json.loads((root / "build/api/v1/stories/first-story.json").read_text(encoding="utf-8")),
                      ensure_ascii=False)
    ink = (root / "build/ink/first-story.ink").read_text(encoding="utf-8")
    for output in (shown, data, ink):
        for address in ADDRESSES:
            assert address in output.replace("\\/", "/")   # (ink escapes `//`, a comment)
        assert f"{ADDRESSES[0]} \u2013 and" in output and "Wait\u2026" in output
    assert f"Write to {ADDRESSES[3]}" in [a.text_content() for a in page.iter("a")]


def test_an_address_ends_where_a_script_without_spaces_resumes(project_factory):
    # an address word was what spaces bound: a Japanese sentence holding an e-mail address
    # was one word, an address, so its `--` and `...` were published as typed; and a URL
    # in „…“ or 「…」 (quotes the typographer did not know) had its `--` made a dash
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "The fog comes in off the marsh like a tide.",
        "彼は言った--待って...連絡はrook@example.jpまで。 „https://example.de/a--b“ 「https://example.jp/c--d」"),
        encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,ink")
    assert run.code == 0, run.stdout + run.stderr
    shown = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot().text_content()
    data = json.dumps(json.loads((root / "build/api/v1/stories/first-story.json").read_text(encoding="utf-8")),
                      ensure_ascii=False).replace("\\/", "/")
    ink = (root / "build/ink/first-story.ink").read_text(encoding="utf-8").replace("\\/", "/")
    for output in (shown, data, ink):
        assert "彼は言った\u2013待って\u2026連絡はrook@example.jpまで" in output
        assert "„https://example.de/a--b“" in output and "「https://example.jp/c--d」" in output


def test_a_long_run_of_punctuation_before_a_dash_is_read_once(project_factory):
    # the sentence punctuation before an address word was tried again from each of its
    # characters: 60,000 `(` before `--a.b` took 36 CPU-s of check
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "The fog comes in off the marsh like a tide.", "(" * 60_000 + "--a.b"), encoding="utf-8")
    run = check_within(root, 15)
    assert run.returncode in (0, 1), run.stdout + run.stderr


def test_a_long_run_of_dots_inside_an_address_is_read_once(project_factory):
    # the ellipsis ending an address word was searched for from each dot of a run: a URL
    # holding 60,000 dots before its last letter took each dot to the letter and back
    # (8 CPU-s at 40,000 dots in the typographer alone, four times that at twice as many)
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "The fog comes in off the marsh like a tide.", "https://a" + "." * 60_000 + "x"), encoding="utf-8")
    run = check_within(root, 15)
    assert run.returncode in (0, 1), run.stdout + run.stderr


# the dropped replacements' patterns: any other text renders as markdown-it renders it
# (but for a link whose scheme the sanitiser refuses: `[](ahttps://x.y/)` stays text,
# where stock markdown-it links anything but javascript:, vbscript:, file: and data:)
_REFUSED_LINK = re.compile(r'href="(?![a-z]*/|(?:https?|mailto):)[^"/]+:', re.IGNORECASE)
_DROPPED = re.compile(r"\((c|r|tm)\)|\+-|[?!]{4,}|,,|[?!]\.{2,}", re.IGNORECASE)
# a word that may be an address (a URL, host or e-mail address): its dashes and dots are kept
_ADDRESSY = re.compile(r"(?<!\S)(?=\S*(?:--|\.\.))\S*(?:://|@|xn--|:|[A-Za-z0-9]\.[A-Za-z]{2})", re.IGNORECASE)
ALPHABET = list("ab .,?!-+()crtm\n*_`<>[]:/") + ["...", "--", "---", "https://x.y/", "(c)", "\n\n"]


@settings(max_examples=500, deadline=None)
@example("[](ahttps://x.y/)")   # found by hypothesis: a refused scheme stays text (the sanitiser's rule)
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_other_text_renders_as_markdown_it_typographer_renders_it(text):
    stock = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    shown = stock.render(text)
    if _DROPPED.search(text) or _DROPPED.search(shown) or _REFUSED_LINK.search(shown) or _ADDRESSY.search(text):
        return
    # (a heading in prose is ranked from PROSE_HEADING_TOP: `a⏎--` is an h3, as meant)
    rank = re.compile(r"<(/?)h[1-6]>")
    assert rank.sub(r"<\1h>", markdown().render(text)) == rank.sub(r"<\1h>", stock.render(text))
