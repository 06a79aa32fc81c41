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
from support import foundry

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


# the dropped replacements' patterns: any other text renders as markdown-it renders it
# (but for a link whose scheme the sanitiser refuses: `[](ahttps://x.y/)` stays text,
# where stock markdown-it links anything but javascript:, vbscript:, file: and data:)
_REFUSED_LINK = re.compile(r'href="(?![a-z]*/|(?:https?|mailto):)[^"/]+:', re.IGNORECASE)
_DROPPED = re.compile(r"\((c|r|tm)\)|\+-|[?!]{4,}|,,|[?!]\.{2,}", re.IGNORECASE)
ALPHABET = list("ab .,?!-+()crtm\n*_`<>[]:/") + ["...", "--", "---", "https://x.y/", "(c)", "\n\n"]


@settings(max_examples=500, deadline=None)
@example("[](ahttps://x.y/)")   # found by hypothesis: a refused scheme stays text (the sanitiser's rule)
@given(st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join))
def test_other_text_renders_as_markdown_it_typographer_renders_it(text):
    stock = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": True})
    shown = stock.render(text)
    if _DROPPED.search(text) or _DROPPED.search(shown) or _REFUSED_LINK.search(shown):
        return
    # (a heading in prose is ranked from PROSE_HEADING_TOP: `a⏎--` is an h3, as meant)
    rank = re.compile(r"<(/?)h[1-6]>")
    assert rank.sub(r"<\1h>", markdown().render(text)) == rank.sub(r"<\1h>", stock.render(text))
