"""Inline Markdown in a scene heading and a story title (the field case
heading-inline-markup): rendered as HTML in every HTML output (site, EPUB, PDF), as
clean plain text in every text output (ink, Twee passage names, JSON, `foundry play`, `<title>`,
EPUB navigation) — and nowhere raw."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import html as lxml_html

from pipeline.diagnostics import code_span
from support import foundry, require_tool

FIELD_CASE_HEADING = "## The *Lantern* Path &amp; `Co` {#lantern}"
RAW = ("*Lantern*", "`Co`", "&amp;amp;", "*Fog*", "**Road**", "*tracks*", "`trail`")
# a choice's words hold inline Markdown too (attack27a: shown plain in the site and books)
MARKED_CHOICE = "- [Follow the *tracks* &amp; `trail` alone]"
# a choice wrapped by the writer's editor, emphasis spanning the line break
WRAPPED_CHOICE = "- [Pay the *guide\n  and* follow the lantern]"
# wrapped with a hard break (a backslash ending the line), and one holding an image
BROKEN_CHOICE = "- [Wait for the *fog* to \\\n  lift]"
IMAGE_CHOICE = "- [Step onto the ![grey](bank.png) *bank*]"
# a heading using the story's link definitions (reference-style: `[text][label]`), as
# Markdown reads it there: every output showed '[Waiting][w] for ![the fog][f]'
REFERENCE_HEADING = "## [Waiting][w] for ![the fog][f] {#wait .ending}"
DEFINITIONS = "\n\n[w]: ../heroes/first-hero.md\n[f]: fog.png\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from support import ROOTS
    root = tmp_path_factory.mktemp("markup") / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("## The Lantern Path {#lantern}", FIELD_CASE_HEADING)
    text = text.replace("title: The Fog Road", "title: \"The *Fog* **Road** &amp; `Co`\"")
    text = text.replace("- [Pay the guide and follow the lantern]", WRAPPED_CHOICE)
    text = text.replace("- [Follow the tracks alone]", MARKED_CHOICE)
    text = text.replace("- [Wait for the fog to lift]", BROKEN_CHOICE)
    text = text.replace("- [Step onto the bank]", IMAGE_CHOICE)
    text = text.replace("## Waiting {#wait .ending}", REFERENCE_HEADING)
    text = text.replace("You go home. *The end.*\n", "You go home. *The end.*\n" + DEFINITIONS)
    story.write_text(text, encoding="utf-8")
    run = foundry("build", "--project", str(root), "--only", "html,json,ink,twee,epub,pdf")
    assert run.code == 0, run.stderr
    return root / "build"


def test_site_renders_the_heading_like_prose(built):
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    [h2] = page.xpath('//h2[@id="scene-lantern--h"]')
    assert h2.text_content().strip() == "The Lantern Path & Co"
    assert [e.text for e in h2.xpath("./em")] == ["Lantern"] and [c.text for c in h2.xpath("./code")] == ["Co"]
    [h1] = page.xpath("//h1")
    assert [e.text for e in h1.xpath("./em")] == ["Fog"] and [e.text for e in h1.xpath("./strong")] == ["Road"]
    assert page.xpath("string(//title)").startswith("The Fog Road & Co")


def test_json_titles_are_plain_text(built):
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert story["title"] == "The Fog Road & Co"
    assert {s["id"]: s["title"] for s in story["scenes"]}["lantern"] == "The Lantern Path & Co"


def test_ink_shows_the_plain_text_and_twee_the_heading_as_html(built):
    ink = (built / "ink/first-story.ink").read_text(encoding="utf-8")
    assert "# title: The Lantern Path & Co" in ink
    assert "// The Fog Road & Co:" in ink
    twee = (built / "twee/first-story.twee").read_text(encoding="utf-8")
    # the passage's heading is HTML like its prose (a `###` under it keeps <em>): the
    # writer's emphasis and code kept, as the site shows them
    assert "<h2>The <em>Lantern</em> Path &amp; <code>Co</code></h2>" in twee
    assert ":: StoryTitle\nThe Fog Road & Co" in twee


def test_epub_title_page_has_markup_and_navigation_plain_text(built):
    with zipfile.ZipFile(built / "epub/stories/first-story.epub") as book:
        names = book.namelist()
        nav = next(n for n in names if n.endswith("nav.xhtml"))
        nav_doc = lxml_html.fromstring(book.read(nav))
        title_page = lxml_html.fromstring(book.read(next(n for n in names if n.endswith("title.xhtml"))))
        opf = book.read(next(n for n in names if n.endswith(".opf"))).decode()
        texts = {n: book.read(n).decode("utf-8", "replace") for n in names if n.endswith((".xhtml", ".opf", ".ncx"))}
    assert "The Fog Road &amp; Co" in opf            # dc:title, plain text
    [h1] = title_page.xpath("//h1")
    assert [e.text for e in h1.xpath("./em")] == ["Fog"]
    assert nav_doc.xpath("string(//title)").strip() == "The Fog Road & Co"
    assert nav_doc.xpath("string(//nav/h2)").strip() == "The Fog Road & Co"
    with zipfile.ZipFile(built / "epub/compendium.epub") as book:
        nav = next(n for n in book.namelist() if n.endswith("nav.xhtml"))
        labels = [a.text_content() for a in lxml_html.fromstring(book.read(nav)).xpath("//a")]
        texts.update({n: book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xhtml")})
    assert "The Fog Road & Co" in labels
    for name, text in texts.items():
        for raw in RAW:
            assert raw not in text, (name, raw)


def test_pdf_text_shows_the_words_not_the_markup(built):
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(built / "pdf/stories/first-story.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "The Fog Road & Co" in " ".join(text.split())
    for raw in RAW:
        assert raw not in text


def test_a_heading_using_the_storys_link_definitions_shows_their_words(built):
    """`## [Waiting][w] for ![the fog][f] {#wait}` with `[w]: …` and `[f]: …` in the
    story: Markdown reads a link and an image there (the definitions were used, so no
    HF0174 said them), but the title was read alone, without them, and every output
    showed the brackets as typed. Now a link keeps its words and an image its alt text,
    as inline ones do, and check says each dropped (HF0123)."""
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert {s["id"]: s["title"] for s in story["scenes"]}["wait"] == "Waiting for the fog"
    assert "# title: Waiting for the fog\n" in (built / "ink/first-story.ink").read_text(encoding="utf-8")
    assert "<h2>Waiting for the fog</h2>" in (built / "twee/first-story.twee").read_text(encoding="utf-8")
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    assert page.xpath('string(//h2[@id="scene-wait--h"])').split() == ["Waiting", "for", "the", "fog", "Ending"]
    run = foundry("check", "--format", "json", "--project", str(built.parent))
    said = [(d["code"], d["line"]) for d in json.loads(run.stdout)["diagnostics"] if d["code"] in ("HF0123", "HF0174")]
    line = 1 + (built.parent / "content/stories/first-story.md").read_text(encoding="utf-8").split("\n").index(
        REFERENCE_HEADING)
    # the link and the image, each said at the heading (the choice's image elsewhere); no definition unused
    assert [d for d in said if d[1] == line] == [("HF0123", line)] * 2 and "HF0174" not in dict(said), said


def test_a_reference_style_link_in_a_heading_is_said_at_its_brackets(built):
    """HF0123 for `[Waiting][w]` and `![the fog][f]` in a heading: each at its own
    brackets, as an inline link is said at its `(address)`; both were said at the
    heading's first column (a reference-style link has no `](` to find)."""
    run = foundry("check", "--format", "json", "--project", str(built.parent))
    line = 1 + (built.parent / "content/stories/first-story.md").read_text(encoding="utf-8").split("\n").index(
        REFERENCE_HEADING)
    said = [(d["line"], d["column"]) for d in json.loads(run.stdout)["diagnostics"]
            if d["code"] == "HF0123" and d["line"] == line]
    assert said == [(line, 1 + REFERENCE_HEADING.index("[Waiting][w]")),
                    (line, 1 + REFERENCE_HEADING.index("![the fog][f]"))], said


@pytest.mark.parametrize("heading", ["## [Wait][w] or [wait](https://example.org/w) {#wait .ending}",
                                     "## [wait](https://example.org/w) or [Wait][w] {#wait .ending}",
                                     "## [Wait](<https://example.org/x>) or [w] {#wait .ending}",
                                     "## [![Wait][w]](https://example.org/x) or [w] {#wait .ending}"])
def test_inline_and_reference_links_in_a_heading_each_at_its_own_place(project_factory, heading):
    """A heading with an inline link and a reference-style one: each HF0123 at its own
    place, in the order written. A reference link to the address an inline link after
    it has (`[Wait][w] or [wait](…/w)`) was said at that inline link's `(address)`,
    and the inline link at the heading's first column; an inline link whose address is
    written otherwise (`<…>`) took the reference link's brackets; a link holding an
    image (`[![Wait][w]](…)`, read before the image it holds) took the image's brackets,
    and the image the link's address."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("## Waiting {#wait .ending}", heading)
                     .replace("You go home. *The end.*\n", "You go home. *The end.*\n\n[w]: https://example.org/w\n"),
                     encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    line = 1 + story.read_text(encoding="utf-8").split("\n").index(heading)
    said = [d["column"] for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0123" and d["line"] == line]
    # a reference link at its `[`, an inline one at its `(`, as written left to right
    places = [1 + heading.index(p) + (1 if p.startswith("](") else 3 if p.startswith("or ") else 0)
              for p in ("![Wait][w]", "[Wait][w]", "](https://example.org/w)", "](<", "](https://example.org/x)",
                        "or [w]") if p in heading and not (p == "[Wait][w]" and "![Wait]" in heading)]
    assert sorted(said) == sorted(places), said
    messages = [d["message"] for d in sorted(json.loads(run.stdout)["diagnostics"], key=lambda d: d["column"])
                if d["code"] == "HF0123" and d["line"] == line]
    if "![Wait]" in heading:   # the image at its brackets, the link holding it at its address
        assert ["image" in m for m in messages] == [True, False, False], messages


@pytest.mark.parametrize("image", ["![Wait](fog.png)", "![Wait][f]"])
def test_a_reference_link_holding_an_image_in_a_heading(project_factory, image):
    """`[![Wait](fog.png)][w]`: a reference-style link whose words are an image. The
    link was said at the image (its brackets were not found: they hold other brackets)
    and the image where the link is written; now the link at its `[`, the image at its
    own address or brackets."""
    heading = f"## [{image}][w] or [w] {{#wait .ending}}"
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("## Waiting {#wait .ending}", heading)
                     .replace("You go home. *The end.*\n",
                              "You go home. *The end.*\n\n[w]: https://example.org/w\n[f]: fog.png\n"),
                     encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    line = 1 + story.read_text(encoding="utf-8").split("\n").index(heading)
    said = sorted((d["column"], "image" in d["message"]) for d in json.loads(run.stdout)["diagnostics"]
                  if d["code"] == "HF0123" and d["line"] == line)
    at_image = 1 + heading.index("(fog.png)") if "(" in image else 1 + heading.index(image)
    assert said == [(4, False), (at_image, True), (1 + heading.index("or [w]") + 3, False)], said


def test_play_shows_the_plain_heading(built):
    root = built.parent
    run = foundry("play", "first-story", "--project", str(root), "--choose", "1")
    assert "## The Lantern Path & Co\n" in run.stdout


def test_no_output_holds_the_raw_markup(built):
    for path in built.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".ink", ".twee", ".js", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for raw in RAW:
                assert raw not in text, (path.relative_to(built), raw)


def test_a_choice_wrapped_over_two_lines_reads_with_a_space_between_them(built):
    """`- [Pay the *guide⏎  and* follow the lantern](#lantern)`: the line break inside
    the brackets was dropped, so every output offered 'Pay the guideand follow the
    lantern' (the JSON, ink, Twee, the site's button, the books), and the translator
    was given the same words run together."""
    words = "Pay the guide and follow the lantern"
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert [c["text"] for s in story["scenes"] for c in s["choices"] if c["target"] == "lantern"] == [words]
    assert f"[{words}]" in (built / "ink/first-story.ink").read_text(encoding="utf-8")
    assert '<<link "Pay the <em>guide and</em> follow the lantern" "lantern">>' in \
        (built / "twee/first-story.twee").read_text(encoding="utf-8")
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    assert [" ".join(a.text_content().split()) for a in page.xpath('//li[@data-choice="road--lantern"]//a')] == [words]
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(built / "pdf/stories/first-story.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "guideand" not in text and "guide and" in " ".join(text.split())


def test_a_choice_shows_its_markup_in_every_html_output_and_its_words_elsewhere(built):
    """`- [Follow the *tracks* &amp; `trail` alone](#tracks)`: the site's button and the
    books' choices showed "Follow the tracks & trail alone", the writer's emphasis and
    code dropped without a word, where a heading keeps them; text outputs show the
    words."""
    words = "Follow the tracks & trail alone"
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    [a] = page.xpath('//li[@data-choice="road--tracks"]//a')
    assert a.text_content() == words
    assert [e.text for e in a.xpath("./em")] == ["tracks"] and [c.text for c in a.xpath("./code")] == ["trail"]
    with zipfile.ZipFile(built / "epub/stories/first-story.epub") as book:
        shown = [li for n in book.namelist() if n.endswith(".xhtml")
                 for li in lxml_html.fromstring(book.read(n)).xpath('//ul[@class="turns"]/li')
                 if words in li.text_content()]
    assert len(shown) == 1 and [e.text for e in shown[0].xpath(".//em")] == ["tracks"]
    assert [c.text for c in shown[0].xpath(".//code")] == ["trail"]
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert [c["text"] for s in story["scenes"] for c in s["choices"] if c["target"] == "tracks"] == [words]
    assert f"[{words}]" in (built / "ink/first-story.ink").read_text(encoding="utf-8")
    # SugarCube wikifies a link's text, HTML tags and character references included: the
    # Twee link shows the emphasis and code as the site's button does
    assert '<<link "Follow the <em>tracks</em> &#38; <code>trail</code> alone" "tracks">>' in \
        (built / "twee/first-story.twee").read_text(encoding="utf-8")
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(built / "pdf/stories/first-story.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert words in " ".join(text.split())


@pytest.mark.parametrize("cid, words, em", [("road--wait", "Wait for the fog to lift", "fog"),
                                            ("lantern--bank", "Step onto the grey bank", "bank")])
def test_a_choice_broken_with_a_backslash_or_holding_an_image_reads_alike_everywhere(built, cid, words, em):
    """`[Wait for the *fog* to \\⏎lift]` (a hard break) and `[Step onto the ![grey](bank.png)
    *bank*]`: the first's words as written did not read back as the choice (the
    backslash kept), so the site's and the books' button fell back to plain words,
    and both read 'to  lift' with two spaces in the JSON; the image's alt was left out
    of the base language's button and every text output, where a heading and a
    translated choice keep it. One reading now (load/markdown.py inline_forms): the
    same words everywhere, the emphasis in every HTML output."""
    story = json.loads((built / "api/v1/stories/first-story.json").read_text(encoding="utf-8"))["story"]
    assert [c["text"] for s in story["scenes"] for c in s["choices"] if c["id"] == cid] == [words]
    assert f"[{words}]" in (built / "ink/first-story.ink").read_text(encoding="utf-8")
    [shown] = re.findall(rf'data-choice="{cid}"><<link "([^"]*)"', (built / "twee/first-story.twee").read_text(encoding="utf-8"))
    assert re.sub(r"</?em>", "", shown) == words and f"<em>{em}</em>" in shown, shown
    page = lxml_html.parse(str(built / "site/stories/first-story.html")).getroot()
    [a] = page.xpath(f'//li[@data-choice="{cid}"]//a')
    assert " ".join(a.text_content().split()) == words and [e.text for e in a.xpath("./em")] == [em]
    with zipfile.ZipFile(built / "epub/stories/first-story.epub") as book:
        shown = [li for n in book.namelist() if n.endswith(".xhtml")
                 for li in lxml_html.fromstring(book.read(n)).xpath('//ul[@class="turns"]/li')
                 if words in " ".join(li.text_content().split())]
    assert len(shown) == 1 and [e.text for e in shown[0].xpath(".//em")] == [em]
    run = foundry("play", "first-story", "--project", str(built.parent), "--choose", "3" if cid == "road--wait" else "1")
    assert words in run.stdout
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(built / "pdf/stories/first-story.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert words in " ".join(text.split())


def test_a_translated_heading_uses_the_storys_link_definitions_too(project_factory):
    """The translation of such a heading is read with the story's definitions as its
    source is (resolve/localized.py): the German ink showed `[Warten][w] auf …`."""
    root = project_factory({"translations/de/content/stories/first-story.md.po": (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "story.first-story.scene.wait"\nmsgid "Waiting for the fog"\n'
        'msgstr "[Warten][w] auf ![den Nebel][f]"\n')})
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("## Waiting {#wait .ending}", REFERENCE_HEADING)
                     .replace("You go home. *The end.*\n", "You go home. *The end.*\n" + DEFINITIONS), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("build", "--project", str(root), "--only", "ink")
    assert run.code == 0, run.stdout[-2000:]
    assert "# title: Warten auf den Nebel\n" in (root / "build/ink/de/first-story.ink").read_text(encoding="utf-8")


def test_check_says_the_links_a_translated_heading_drops(project_factory):
    """A translated heading's `[Laterne][w]`, read with the story's definitions, shows
    its words in every output (above); check said nothing of the link it drops (the
    translation was checked without the story's definitions: no link found), as it says
    HF0123 of the source's. Now at the translation's brackets, each in turn."""
    translated = "Der [Laternen][w]pfad und ![der Nebel][f]"
    root = project_factory({"translations/de/content/stories/first-story.md.po": (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "story.first-story.scene.lantern"\nmsgid "The Lantern Path"\n'
        f'msgstr "{translated}"\n')})
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8")
                     .replace("You go home. *The end.*\n", "You go home. *The end.*\n" + DEFINITIONS), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["file"], d["line"], d["column"]) for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0123"]
    po = "translations/de/content/stories/first-story.md.po"
    line = 1 + (root / po).read_text(encoding="utf-8").split("\n").index(f'msgstr "{translated}"')
    start = len('msgstr "') + 1
    assert said == [(po, line, start + translated.index("[Laternen]")), (po, line, start + translated.index("![der"))], said


# a heading's or quote's marker typed at a title's start: every output showed it as typed
MARKED = {"content/stories/first-story.md": [("## The Lantern Path {#lantern}", "## ## The Lantern Path {#lantern}"),
                                             ("title: The Fog Road", 'title: "# The Fog Road"'),
                                             ("- [Wait for the fog to lift]", "- [> Wait for the fog to lift]"),
                                             # after a space too: shown as "# Follow…"
                                             ("- [Follow the tracks alone]", "- [ # Follow the tracks alone]"),
                                             # words, not markers: no space after, or escaped
                                             ("## Tracks in the Mud {#tracks}", "## #1 Tracks \\# in the Mud {#tracks}")],
          "content/heroes/first-hero.yaml": [("name: Rook Amsel", 'name: "> Rook Amsel"'),
                                             # a `>` before a number is "more than", not a quote
                                             ("title: Scout of the Marsh Road", 'title: "> 9000 Scouts"')],
          "content/characters/old-guide.yaml": [("name: Old Guide", 'name: " > Old Guide"')],
          "schemas/skills.yaml": [("{name: Tracking,", '{name: "## Tracking",')],
          "foundry.toml": [('title = "Minimal"', 'title = "# Minimal"')]}


def test_a_heading_or_quote_marker_starting_a_title_is_said_at_it(project_factory):
    root = project_factory()
    for rel, edits in MARKED.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (rel, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted((d["file"], d["line"], d["column"], d["message"].split("'")[1])
                  for d in run.json()["diagnostics"] if d["code"] == "HF0759")

    def at(rel: str, typed: str, marker: str) -> tuple[str, int, int, str]:
        lines = (root / rel).read_text(encoding="utf-8").split("\n")
        n = next(k for k, line in enumerate(lines) if typed in line)
        return rel, n + 1, lines[n].index(typed) + 1, marker

    assert said == sorted([at("content/stories/first-story.md", "## The Lantern", "##"),
                                     at("content/stories/first-story.md", "# The Fog Road", "#"),
                                     at("content/stories/first-story.md", "> Wait", ">"),
                                     at("content/stories/first-story.md", "# Follow", "#"),
                                     at("content/heroes/first-hero.yaml", "> Rook", ">"),
                                     at("content/characters/old-guide.yaml", "> Old Guide", ">"),
                                     at("schemas/skills.yaml", "## Tracking", "##"),
                                     at("foundry.toml", "# Minimal", "#")]), said
    assert run.code == 0   # warnings: the build goes on


# A scene heading whose `{#id}` the writer put inside the markup: the hint is the line
# to write, and followed as it was (`## *The Lantern Path * {#lantern}`: emphasis whose
# closing `*` follows a space is none; `## [The Fog Road] {#road}`) every output showed
# the stars or the brackets.
SLIPPED = {"## The Lantern Path {#lantern}": ("## *The Lantern Path {#lantern}*", "## *The Lantern Path* {#lantern}"),
           "## Tracks in the Mud {#tracks}": ("## `Tracks in the Mud {#tracks}`", "## `Tracks in the Mud` {#tracks}"),
           "## The Fog Road {#road}": ("## [The Fog Road](#road)", "## The Fog Road {#road}"),
           # a mark after the braces that opens (`*at dawn*`) keeps its space: joined, the
           # hint was `## Waiting*at dawn*`, the title "Waitingat dawn"
           "## Waiting {#wait .ending}": ("## Waiting {#wait .ending} *at dawn*", "## Waiting *at dawn* {#wait .ending}"),
           # a link to the id around part of the title: its words, not `## The Far [Bank] {…}`
           "## The Far Bank {#bank .ending}": ("## The Far [Bank](#bank .ending)", "## The Far Bank {#bank .ending}")}


def test_a_scene_id_written_inside_the_headings_markup_is_told_with_a_heading_that_shows_it(project_factory):
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    for heading, (typed, _) in SLIPPED.items():
        assert heading in text, heading
        text = text.replace(heading, typed)
    text += "\n## Home {#home-again ending}\n\nHome.\n"   # `ending` without its dot: told with this id
    # and with no id, none made up (`{#home .ending}` renamed it to a name maybe taken):
    # `{.ending}`, and HF0502's id keeps the ending (it was told `{#gone}` alone)
    text += "\n## Gone {ending}\n\nGone.\n"
    story.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    lines = text.split("\n")
    hints = {lines[d["line"] - 1]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0522"}
    assert hints["## Home {#home-again ending}"].endswith("`{#home-again .ending}`."), hints
    assert hints["## Gone {ending}"].endswith("`{.ending}`."), hints
    told = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0502"]
    assert told == ["End the heading with an id: `## Gone {#gone .ending}`."], told
    assert {typed: hints.get(typed) for typed, _ in SLIPPED.values()} == {
        typed: f"{'Use braces' if '(#' in typed else 'The braces end the heading'}: {code_span(fixed)}."
        for typed, fixed in SLIPPED.values()}, hints
    from pipeline.load.markdown import title_text   # the one rendering of titles
    for _, fixed in SLIPPED.values():   # each hint, followed, is a title showing its words, no markup as typed
        words = title_text(fixed[3:fixed.index(" {#")])
        assert not set(words) & set("*`[]"), (fixed, words)


def test_a_hint_for_a_heading_it_cannot_quote_whole_lands_when_followed(project_factory):
    """HF0502 and HF0520 told the heading to write as a code span with the title in it:
    a title over 40 characters was clipped (`## The Long Road Through The Marsh Where T…
    {#…}`: copied, the rest of the title was gone) and one holding code ended the
    hint's span at its first backtick. Such a hint now says what to add; followed, the
    story checks clean and every title is whole."""
    long = "The Long Road Through The Marsh Where The Fog Lives"
    story = ("---\ntitle: Hint\nstart: a\n---\n\n## A {#a}\n\nGo.\n\n- [On](#b)\n- [Mud](#tracks-in-the-mud)\n"
             "- [Long](#the-long-road-through-the-marsh-where)\n\n"
             f"## Tracks `in` the Mud\n\nWords.\n\n- [On](#b)\n\n## {long}\n\nMore.\n\n- [On](#b)\n\n"
             "### The `Other` Road {#b}\n\nOn.\n\n- [End](#end)\n\n## End {#end .ending}\n\nEnd.\n")
    root = project_factory({"content/stories/hint.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] in ("HF0502", "HF0520")]
    assert sorted(d["code"] for d in found) == ["HF0502", "HF0502", "HF0520"], found
    lines = story.split("\n")
    for d in found:
        assert "…" not in d["hint"], d["hint"]
        at = d["line"] - 1
        if d["code"] == "HF0502":
            braces = re.search(r"(\{#[a-z0-9-]+\})", d["hint"]).group(1)
            lines[at] += " " + braces
        else:
            lines[at] = "## " + lines[at].removeprefix("### ")
    # the title with code is shown whole, in a fence longer than its backticks; the long
    # one is not quoted, the hint says what to add
    told = {d["line"]: d["hint"] for d in found}
    assert told[story.split("\n").index("## Tracks `in` the Mud") + 1] == \
        "End the heading with an id: ``## Tracks `in` the Mud {#tracks-in-the-mud}``.", told
    assert told[story.split("\n").index(f"## {long}") + 1] == ("End the heading with an id: write `{#the-long-road-through-the-"
                                                   "marsh-where}` at the end of its line, after the title."), told
    (root / "content/stories/hint.md").write_text("\n".join(lines), encoding="utf-8")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in again.json()["diagnostics"] if d["severity"] == "error"], again.stdout
    build = foundry("build", "--project", str(root), "--only", "json")
    assert build.code == 0, build.stdout + build.stderr
    titles = [s["title"] for s in json.loads((root / "build/api/v1/stories/hint.json").read_text())["story"]["scenes"]]
    assert "Tracks in the Mud" in titles and long in titles and "The Other Road" in titles, titles


def test_brace_slip_hints_never_quote_a_clipped_or_coded_title(project_factory):
    """HF0522's hints (two pairs of braces, text after them, an unclosed `{`, `(#id)`)
    quoted the heading clipped at 40 characters, or cut at a title's backtick: the same
    slip as HF0502's. A title they cannot show whole is not quoted; one holding code is
    quoted in a longer fence."""
    long = "The Long Road Through The Marsh Where The Fog Lives"
    story = ("---\ntitle: Hint\nstart: a\n---\n\n## A {#a} {.ending}\n\nx\n\n"
             f"## {long} {{#b}} {{.ending}}\n\ny\n\n## The `Code` Road {{#c}} extra\n\nz\n\n"
             f"## {long} Again {{#d\n\nw\n\n## {long} Once (#e)\n\nv\n")
    root = project_factory({"content/stories/hint.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["line"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0522"}
    assert hints[6] == "One pair: `## A {#a .ending}`.", hints
    assert hints[10] == "One pair: `{#b .ending}` in place of the two, at the end of its line.", hints
    assert hints[14] == "The braces end the heading: ``## The `Code` Road extra {#c}``.", hints   # (code: a longer fence)
    assert hints[18] == "Close it: `{#d}` ending its line.", hints
    assert hints[22] == "Use braces: `{#e}` in place of `(#e)`, at the end of its line.", hints
    # `##` with no space after it (HF0535): the same
    root = project_factory({"content/stories/hint.md": story.replace(f"## {long} Once (#e)", f"##{long} {long} {{#e}}")
                            .replace("## The `Code` Road {#c} extra", "##\u00a0The `Code` Road {#c}")}, name="two")
    run = foundry("check", "--project", str(root), "--format", "json")
    spaced = {d["line"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0535"}
    assert spaced == {14: "Write ``## The `Code` Road {#c}``, with `##` and an ordinary space after it.",
                      22: "Write `##` and an ordinary space in their place, the rest of the line as it is."}, spaced
