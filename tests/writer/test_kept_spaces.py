"""A space a writer types on purpose is kept in every text output. A name's, title's,
heading's or choice's plain text was made by folding whitespace with `str.split()`,
which folds a no-break space too: `Rook&nbsp;Amsel` (or a literal U+00A0), French
`Capitaine :` with a narrow no-break space (U+202F) and the ideographic space of a
Japanese title (`第一章　旅立ち`, U+3000) were each an ASCII space in the JSON, the
page's `<title>`, ink, Twee and the search index, while the site's heading kept them.
Runs of ordinary spaces and line breaks still fold to one space. A scene heading's
title dropped an ideographic space typed at its start (str.strip(), and markdown-it-py
trimming a heading's content of every Unicode space), where a name in YAML kept it."""

from __future__ import annotations

import json
import re

from lxml import html as lxml_html

from support import foundry

NAME = "Rook&nbsp;Amsel  du\u202f:  Nord"
SHOWN = "Rook\u00a0Amsel du\u202f: Nord"
TITLE = "第一章\u3000旅立ち"


def test_no_break_and_ideographic_spaces_reach_every_text_output(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^name: .*$", f'name: "{NAME}"', text)
    text = re.sub(r"(?m)^title: .*$", f'title: "{TITLE}"', text) if re.search(r"(?m)^title:", text) \
        else text + f'title: "{TITLE}"\n'
    hero.write_text(text, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    body = story.read_text(encoding="utf-8")
    heading = re.search(r"(?m)^## (.*?) \{#(\S+)\}", body)
    body = body.replace(heading.group(0), f"## \u3000Fog\u00a0Road  at\u3000dusk {{#{heading.group(2)}}}", 1)
    choice = re.search(r"(?m)^- \[([^\]]+)\]", body)
    body = body.replace(choice.group(0), "- [Pay&nbsp;the guide\u202f!]", 1)
    story.write_text(body, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,ink,twee")
    assert run.code == 0, run.stderr

    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]
    assert (data["name"], data["title"]) == (SHOWN, TITLE)
    page = lxml_html.parse(str(root / "build/site/heroes/first-hero.html")).getroot()
    assert page.findtext(".//title").startswith(SHOWN + " · ")
    assert SHOWN in re.sub("[ \t\n]+", " ", page.xpath("string(//h1)"))   # as a browser folds it

    scene = json.loads((root / "build/api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    first = next(s for s in scene["scenes"] if s["id"] == heading.group(2))
    assert first["title"] == "\u3000Fog\u00a0Road at\u3000dusk"
    assert "Pay\u00a0the guide\u202f!" in [c["text"] for c in first["choices"]]
    ink = (root / "build/ink/first-story.ink").read_text(encoding="utf-8")
    assert "# title: \u3000Fog\u00a0Road at\u3000dusk\n" in ink
    assert "[Pay\u00a0the guide\u202f!]" in ink
    twee = (root / "build/twee/first-story.twee").read_text(encoding="utf-8")
    assert "<h2>\u3000Fog\u00a0Road at\u3000dusk</h2>" in twee


def test_a_story_page_described_by_its_first_scene_keeps_its_spaces(project_factory):
    """A story without a summary is described (`<meta name="description">`, og:description)
    by its first scene's prose, which was folded with `str.split()`: `Capitaine :` with
    a narrow no-break space and a no-break space between `100` and `km` were ASCII
    spaces there while the scene itself kept them."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    body = story.read_text(encoding="utf-8")
    body = re.sub(r"(?m)^summary: .*\n", "", body, count=1)
    body = body.replace("The fog comes in off the marsh like a tide.",
                        "Capitaine\u202f: la brume,  100\u00a0km\u3000de\nmarais.", 1)
    story.write_text(body, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stderr
    page = lxml_html.parse(str(root / "build/site/stories/first-story.html")).getroot()
    [described] = page.xpath("//meta[@name='description']/@content")
    assert described.startswith("Capitaine\u202f: la brume, 100\u00a0km\u3000de marais.")


def test_a_space_typed_at_either_end_of_a_marked_up_name_is_kept_in_its_html_too(project_factory):
    """A name with inline Markdown is rendered to HTML and to plain text from one parse;
    the HTML was trimmed with str.strip(), which takes a no-break or ideographic space
    off too, while the plain text (and a name without markup, in both forms) kept it:
    `"　*Rook* Amsel&nbsp;"` was `　Rook Amsel ` in the JSON and `<title>` but lost both
    spaces in the page's heading and the books'."""
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = re.sub(r"(?m)^name: .*$", 'name: "\u3000*Rook* Amsel&nbsp;"', hero.read_text(encoding="utf-8"))
    hero.write_text(text, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json")
    assert run.code == 0, run.stderr
    shown = "\u3000Rook Amsel\u00a0"
    assert json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]["name"] == shown
    page = lxml_html.parse(str(root / "build/site/heroes/first-hero.html")).getroot()
    [h1] = page.xpath("//h1")
    assert (h1.text or "") + "".join(e.text_content() + (e.tail or "") for e in h1 if e.tag == "em") \
        == shown + " ", lxml_html.tostring(h1, encoding="unicode")
