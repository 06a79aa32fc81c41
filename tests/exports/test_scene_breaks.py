"""Everything the site shows of a scene's prose is in every plain-text output. The one
Markdown → plain text rendering (load/markdown.py plain_prose) left out a scene break
(`* * *`, `---`, `___`: a rule on the site, the EPUB and the PDF), so the JSON `text`,
ink and `foundry play` ran a time jump's two sides together; and it stripped a space
typed on purpose at a paragraph's start (`&nbsp;&nbsp;`, `&emsp;`: an indent the site
keeps), and ink stripped it again. A break is now the paragraph `* * *` (in ink escaped
so it is no choice), an indent is kept. ink hangs each paragraph's line id on the
paragraph that shows it (Paragraph.shown), not on the n-th: a break or a code block,
which have no id, moved every id after them, so such a scene lost all its ids; the ids
themselves are as they were (a break takes no number).

A no-break space (U+00A0) or an ideographic space (U+3000, how Japanese and Chinese
prose indents a paragraph) typed as the character itself at a paragraph's start was
trimmed by markdown-it-py (JavaScript's whitespace set, where CommonMark trims only
spaces and tabs): the indent was lost on the site and in every output, in a heading, a
list item and a table cell too. It is kept, as the entity always was."""

from __future__ import annotations

import json
import re
from collections import Counter

import polib
from lxml import html as lhtml

from export_support import run_node, translated_into_german
from support import foundry

STORY = """\
---
title: The Crossing
start: road
---

## The Road {#road}

Alpha opens the scene.

* * *

Bravo after a starred break.

---

&nbsp;&nbsp;Charlie, indented.

> Delta writes:
>
> ___
>
> Echo signs.

```
Foxtrot code

golf after a blank line
```

&emsp;Hotel, em-indented.

　India, indented as Japanese prose is.

 Juliet, after a typed no-break space.

- [Cross](#ending)

## The Far Side {#ending .ending}

The end.
"""

BREAK = "* * *"
# the scene as every plain-text output shows it, paragraph by paragraph
SHOWN = ["Alpha opens the scene.", BREAK, "Bravo after a starred break.", BREAK,
         "\u00a0\u00a0Charlie, indented.", "“Delta writes:”", f"“{BREAK}”", "“Echo signs.”",
         "Foxtrot code", "golf after a blank line", "\u2003Hotel, em-indented.",
         "\u3000India, indented as Japanese prose is.", "\u00a0Juliet, after a typed no-break space."]
# a hero's background (a YAML prose field), each block opening with a typed U+3000
BACKGROUND = ("background: |\n  \u3000Rook grew up on the marsh road.\n\n  ### \u3000Early life\n\n"
              "  - \u3000the fog\n\n  | \u3000Place | \u3000Year |\n  |---|---|\n  | \u3000Marsh | \u30001 |\n")
WORD = re.compile(r"\w+")


def _words(text: str) -> Counter:
    return Counter(w.casefold() for w in WORD.findall(text))


def _indented_background(root) -> None:
    """The sample hero's background made BACKGROUND (blocks opening with a typed U+3000)."""
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text[:text.index("background:")] + BACKGROUND, encoding="utf-8")


def test_breaks_and_indents_the_site_shows_are_in_json_play_and_ink(project_factory, node_tools):
    root = project_factory({"content/stories/crossing.md": STORY,
                            "content/heroes/breaker.yaml": "name: Breaker\nstatus: draft\nbackground: |\n"
                                                           "  Ann rides out.\n\n  * * *\n\n  Ben waits.\n"})
    _indented_background(root)
    run = foundry("build", "--project", str(root), "--only", "html,json,ink,twee")
    assert run.code == 0, run.stdout + run.stderr
    prose = lhtml.parse(str(root / "build/site/stories/crossing.html")).xpath(
        '//section[@data-scene="road"]//div[contains(@class, "prose")]')[0]
    assert len(prose.xpath(".//hr")) == 3   # what the site shows: three rules, four indents
    assert [p.text_content()[:1] for p in prose.xpath(".//p") if p.text_content()[:1] in "\u00a0\u2003\u3000"] \
        == ["\u00a0", "\u2003", "\u3000", "\u00a0"]
    sheet = lhtml.parse(str(root / "build/site/heroes/first-hero.html"))
    [background] = sheet.xpath('//section[@aria-labelledby="background-h"]/div[contains(@class, "prose")]')
    blocks = [e.text_content() for e in background.xpath(".//p | .//h3 | .//li | .//th | .//td")]
    assert blocks == ["\u3000Rook grew up on the marsh road.", "\u3000Early life", "\u3000the fog",
                      "\u3000Place", "\u3000Year", "\u3000Marsh", "\u30001"], blocks
    hero_json = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text())["hero"]
    # (one line: its paragraphs joined, a space after a sentence's end and before a list
    # item, ` · ` after a heading, an item or a row that ends none: markdown.run_together)
    assert hero_json["background_text"] == ("\u3000Rook grew up on the marsh road. \u3000Early life • \u3000the fog"
                                            " · \u3000Place | \u3000Year · \u3000Marsh | \u30001"), hero_json["background_text"]
    # the page's description (no summary: the opening scene's words) joins paragraphs on
    # one line: a break is no words there, as the site's rule is none in its text
    page = lhtml.parse(str(root / "build/site/stories/crossing.html"))
    description = page.xpath('//meta[@name="description"]/@content')[0]
    assert description.startswith("Alpha opens the scene. Bravo after a starred break.") \
        and "*" not in description, description
    # so are a hero's: the search index's line and the page's description read on across it
    index = json.loads(lhtml.parse(str(root / "build/site/search.html")).getroot().get_element_by_id("search-index").text)
    assert next(e["text"] for e in index if e["id"] == "breaker") == "Ann rides out. Ben waits."
    breaker = lhtml.parse(str(root / "build/site/heroes/breaker.html"))
    assert breaker.xpath('//meta[@name="description"]/@content') == ["Ann rides out. Ben waits."]
    assert len(breaker.xpath('//div[contains(@class, "prose")]//hr')) == 1

    text = json.loads((root / "build/api/v1/stories/crossing.json").read_text())["story"]["scenes"][0]["text"]
    assert text.split("\n\n") == SHOWN, text.split("\n\n")
    played = foundry("play", "crossing", "--choose", "1", "--project", str(root))
    assert played.code == 0, played.stderr
    scene = played.stdout.split("\n(")[0]   # up to its choices
    assert all(line in scene.splitlines() for line in SHOWN), scene
    answer = run_node("ink_runner.mjs", str(root / "build/ink/crossing.ink"), request={"paths": [[1]]})
    assert answer["errors"] == [] and answer["warnings"] == [], answer
    ink = answer["runs"][0]["steps"][0]
    assert ink["raw"] == SHOWN and ink["options"] == [{"text": "Cross"}], ink
    twee = (root / "build/twee/crossing.twee").read_text(encoding="utf-8")   # (its prose is the site's HTML)
    # (a paragraph opening with a typed space says so: the print themes indent it no further)
    assert '<p class="typed-indent">\u3000India,' in twee and '<p class="typed-indent">&nbsp;Juliet,' in twee
    # the differential: no word the site's scene shows is missing from any of them
    for shown in (text, scene, "\n".join(ink["raw"])):
        assert not _words(prose.text_content()) - _words(shown), shown


def test_a_translated_scene_with_breaks_keeps_every_line_id_in_ink(project_factory, node_tools, inklecate):
    root = project_factory({"content/stories/crossing.md": STORY,
                            "foundry.toml": '[project]\ntitle = "Crossing"\nlanguage = "en"\n'
                                            '[build]\noutputs = ["ink", "json"]\n[l10n]\nlanguages = ["de"]\n'})
    _indented_background(root)
    ids = translated_into_german(root, "content/stories/crossing.md")
    # a break or a code block is no line for translators and takes no number: the ids
    # of the paragraphs after one are those they always had
    road = {words: lid for words, lid in ids.items() if ".scene.road." in lid}
    assert road == {"Alpha opens the scene.": "story.crossing.scene.road.p1",
                    "Bravo after a starred break.": "story.crossing.scene.road.p2",
                    "&nbsp;&nbsp;Charlie, indented.": "story.crossing.scene.road.p3",
                    "Delta writes:": "story.crossing.scene.road.p4",
                    "Echo signs.": "story.crossing.scene.road.p5",
                    "&emsp;Hotel, em-indented.": "story.crossing.scene.road.p6",
                    # the translators' source keeps a space typed as the character itself
                    "\u3000India, indented as Japanese prose is.": "story.crossing.scene.road.p7",
                    "\u00a0Juliet, after a typed no-break space.": "story.crossing.scene.road.p8"}, road
    po_path = root / "translations/de/content/stories/crossing.md.po"
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgctxt.endswith(".p7"):
            entry.msgstr = ""   # untranslated: German shows the English paragraph, its indent too
        elif entry.msgctxt.endswith(".p8"):
            entry.msgid = entry.msgid.strip()   # translated when foundry trimmed the typed space: still current
    po.save()
    run = foundry("build", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    assert "HF1106" not in run.stdout + run.stderr   # no translation made stale by the kept space
    # the German string table: a line not translated is the English one, as typed
    table = json.loads((root / "build/api/v1/strings/de.json").read_text(encoding="utf-8"))["strings"]
    shown = {s["id"]: s["text"] for s in table if s["fallback"]}
    assert shown["story.crossing.scene.road.p7"] == "\u3000India, indented as Japanese prose is."
    assert shown["hero.first-hero.background.p1"] == "\u3000Rook grew up on the marsh road."
    for path, de in ((root / "build/ink/crossing.ink", ""), (root / "build/ink/de/crossing.ink", "DE ")):
        inklecate(path)   # compiles without an error or a warning
        lines = path.read_text().splitlines()
        for words, lid in road.items():
            shown = words.replace("&nbsp;", "\u00a0").replace("&emsp;", "\u2003")
            line = next(line for line in lines if shown.strip("\u00a0\u2003") in line)
            assert re.findall(r"# line: (\S+)", line) == [lid], (path, line)
            assert de in line or lid.endswith(".p7"), line
            if lid.endswith(".p7"):
                assert line.startswith("\u3000India"), line   # the English shown, indented as typed
        breaks = [line for line in lines if "* * *" in line]
        assert breaks == ["\\* * *", "\\* * *", "“* * *”"], breaks   # no id: nothing to translate
        assert not any("# line:" in line for line in lines if "code" in line or "blank line" in line)
    german = run_node("ink_runner.mjs", str(root / "build/ink/de/crossing.ink"), request={"paths": [[1]]})
    raw = german["runs"][0]["steps"][0]["raw"]
    assert raw[:4] == ["DE Alpha opens the scene.", BREAK, "DE Bravo after a starred break.", BREAK], raw
    assert raw[-2:] == ["\u3000India, indented as Japanese prose is.", "DE \u00a0Juliet, after a typed no-break space."], raw
