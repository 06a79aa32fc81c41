"""Two writer habits that reached every output without a word: an HTML comment kept
as a note for the team (raw HTML is off, so `<!-- … -->` is text: the site, ink, Twee
and the JSON published the note), and a choice with no words (`[](#wait)`: an empty
button). The comment is HF0124 (a warning) at its line; the empty choice HF0503."""

from __future__ import annotations

from support import ROOTS, diagnostics, foundry

STORY = """\
---
title: Notes
start: road
---

## The Road {#road}

The fog comes in. <!-- TODO: Rook should not know the guide yet -->

`<!-- in code: shown as code, on purpose -->`

<!--
A note for the team.
-->

- [Walk on](#bank)
- [](#wait)
- [ ](#bank){id="blank"}

## The Bank {#bank .ending}

Dry ground.

## Waiting {#wait .ending}

Fog.
"""


def test_comments_are_named_and_empty_choices_refused(project_factory):
    root = project_factory({"content/stories/notes.md": STORY})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    hero.write_text(text + "background: |\n  Rook grew up on the marsh road. <!-- not canon yet -->\n",
                    encoding="utf-8")
    line = len(text.splitlines()) + 2
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    found = [d for d in diagnostics(run) if d.split()[0] in ("HF0124", "HF0503")]
    assert sorted(found) == sorted([f"HF0124 content/heroes/first-hero.yaml:{line}:35",
                                    "HF0124 content/stories/notes.md:8:19",
                                    "HF0124 content/stories/notes.md:12:1",
                                    "HF0503 content/stories/notes.md:17:3",
                                    "HF0503 content/stories/notes.md:18:3"])
    said = {d["code"] + " " + d["message"] for d in run.json()["diagnostics"]}
    assert "HF0124 an HTML comment in prose is published as typed: every reader sees it" in said
    assert "HF0503 the choice to 'wait' has no words: readers would see an empty button" in said


REFUSED = """\
---
title: Refused
start: road
---

## The Road {#road}

See <javascript:alert(1)> now.

And [the map][m] here.

[m]: javascript:alert(2)

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_refused_autolinks_and_link_definitions_are_named_too(project_factory):
    """`[x](javascript:…)` was HF0124; the same address as an autolink or a link
    reference definition reached the site as typed without a word."""
    root = project_factory({"content/stories/refused.md": REFUSED})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in diagnostics(run) if d.startswith("HF0124")] == [
        "HF0124 content/stories/refused.md:8:6", "HF0124 content/stories/refused.md:12:6"]


STYLED = """\
---
title: Styled
start: road
---

## The Road {#road}

The [tide](https://example.org/tide){.big style="color:red"} rises, `slowly`{#c}.

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_attributes_after_a_link_or_code_in_prose_are_named_not_dropped(project_factory):
    """markdown-it-attrs reads `{…}` after a link or a code span as its attributes; only
    choices take any, so the site, EPUB and JSON dropped them without a word."""
    root = project_factory({"content/stories/styled.md": STYLED})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0
    assert [d for d in diagnostics(run) if d.startswith("HF0537")] == ["HF0537 content/stories/styled.md:8:37"]
    [said] = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0537"]
    assert said.startswith("`{…}` after a link (class, style)"), said


def test_attributes_after_an_image_in_prose_name_the_image(project_factory):
    """The braces after an image were said to follow "a code span" (every kind that was
    not a link was called one): the writer looked for backticks that are not there."""
    hero = "name: Sal\nstatus: draft\nbackground: |\n  Sal grew up by the sea.\n\n  She kept ![a gull](gull.png){width=50}.\n"
    root = project_factory({"content/heroes/sal.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0537"]
    assert said == [(6, 31, "`{…}` after an image (width) is not published: only choices take attributes")], said


HERO_BACKGROUND = """\
name: Sal
status: draft
background: |
  Sal grew up by the sea.

  She read [the tide tables](https://example.org/tides){.big target="_blank"} and `salt`{#x}.
"""

QUEST_SUMMARY = """\
title: Tides
status: draft
summary: "Read the [tables](https://example.org){.x}."
objectives:
  - {id: read, text: Read them, done_when: "true"}
"""


def test_attributes_in_a_yaml_prose_field_are_named_not_dropped(project_factory):
    """The same braces in a hero's background or a quest's summary (prose fields of YAML
    files, not a story's scenes): dropped by every output with check clean."""
    root = project_factory({"content/heroes/sal.yaml": HERO_BACKGROUND, "content/quests/tides.yaml": QUEST_SUMMARY})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert sorted(d for d in diagnostics(run) if d.startswith("HF0537")) == [
        "HF0537 content/heroes/sal.yaml:6:56", "HF0537 content/quests/tides.yaml:3:49"]
    said = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0537"}
    assert "(class, target)" in said["content/heroes/sal.yaml"]


def test_braces_after_a_heading_in_a_yaml_prose_field_are_named(project_factory):
    """`## Early years {#early}` in a background: only scene headings take braces, so
    every output showed `{#early}` after the heading, with check clean."""
    hero = "name: Sal\nstatus: draft\nbackground: |\n  Sal grew up by the sea.\n\n  ## Early years {#early .big}\n\n  ## Later\n"
    root = project_factory({"content/heroes/sal.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert [d for d in diagnostics(run) if d.startswith("HF0537")] == ["HF0537 content/heroes/sal.yaml:6:18"]


BLOCK_BRACES = """\
---
title: Braces
start: road
---

## The Road {#road}

### On the way {.note}

The fog lifts. {#dawn .quiet}

> A voice calls. {.whisper}

- a lantern {#lamp}
- a rope

Plain {braces} and a set {a, b} stay words.

The [直角骨]{lang=ja} guide waits.

Then *word*{.x} glows.

A count {coins} and an escaped \\{.x} stay words.

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_braces_ending_a_paragraph_a_list_item_a_quote_or_a_heading_are_named(project_factory):
    """`The fog lifts. {#dawn .quiet}`: block attributes as markdown-it-attrs, kramdown and
    Pandoc writers type them. No output reads them (only a story's scene headings take
    an id or class): every output showed the braces as typed, with check clean. Each
    block is said at its brace, in a story's scenes and in a YAML prose field (once a
    field); braces that are words stay unsaid."""
    hero = "name: Sal\nstatus: draft\nbackground: |\n  Sal grew up by the sea. {.intro}\n"
    # braces inside a block that no link, image or code span took (a language marked as
    # some Markdown dialects mark it): shown as typed, with check clean
    other = "name: Ana\nstatus: draft\nbackground: |\n  Ana saw the [fog]{lang=en} lift.\n"
    root = project_factory({"content/stories/braces.md": BLOCK_BRACES, "content/heroes/sal.yaml": hero,
                            "content/heroes/ana.yaml": other})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    assert sorted(d for d in diagnostics(run) if d.startswith("HF0537")) == sorted([
        "HF0537 content/stories/braces.md:8:16", "HF0537 content/stories/braces.md:10:16",
        "HF0537 content/stories/braces.md:12:18", "HF0537 content/stories/braces.md:14:13",
        "HF0537 content/stories/braces.md:19:10", "HF0537 content/stories/braces.md:21:12",
        "HF0537 content/heroes/sal.yaml:4:27", "HF0537 content/heroes/ana.yaml:4:20"])
    said = {(d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF0537"}
    assert (10, "'{#dawn .quiet}' at the end of a paragraph in prose is shown as typed: only a story's scene "
                "headings take an id or class") in said


def _background(root, lines: str, style: str = "|") -> int:
    """The first hero of `root` given `lines` (indented YAML block lines) as its
    background (a block scalar of `style`): the line number of the background's first line."""
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    hero.write_text(text + f"background: {style}\n" + lines, encoding="utf-8")
    return len(text.splitlines()) + 2


def test_each_paragraph_of_a_background_says_what_it_shows_as_typed(project_factory):
    # HF0124 was said once per field: a background with a tag in one paragraph, a
    # footnote in the next and an HTML block in a third said only the tag, and the rest
    # was published raw after the writer fixed it. Each paragraph is said, as a story's are,
    # and each thing in it (a closing tag of one said is not a second: diag32)
    root = project_factory()
    first = _background(root, "  Press <kbd>Ctrl</kbd> and <kbd>S</kbd>.\n\n"
                              "  A `<code>` span, then a note[^1].\n\n"
                              "  Plain words.\n\n"
                              "  <details><summary>Lore</summary>Hidden</details>\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert [d for d in diagnostics(run) if d.startswith("HF0124")] == [
        f"HF0124 content/heroes/first-hero.yaml:{first}:9",
        f"HF0124 content/heroes/first-hero.yaml:{first}:29",
        f"HF0124 content/heroes/first-hero.yaml:{first + 2}:31",
        f"HF0124 content/heroes/first-hero.yaml:{first + 6}:3",
        f"HF0124 content/heroes/first-hero.yaml:{first + 6}:12"]


def test_code_in_a_background_is_code_as_markdown_reads_it(project_factory):
    # code spans were blanked across the whole field: a lone backtick in one paragraph
    # paired with one two paragraphs on, and the <kbd> between was published raw with
    # check clean; a <b> inside a ~~~ fence (shown as code, as meant) was warned about
    root = project_factory()
    first = _background(root, "  Press the ` key.\n\n"
                              "  Then <kbd>Enter</kbd> twice, or `Esc`.\n\n"
                              "  ~~~\n  <b>a code sample</b>\n\n  <i>still code</i>\n  ~~~\n\n"
                              "  ```text\n  <u>code too</u>\n  ```\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert [d for d in diagnostics(run) if d.startswith("HF0124")] == [f"HF0124 content/heroes/first-hero.yaml:{first + 2}:8"]
    run = foundry("build", "--project", str(root), "--only", "html")
    assert run.code == 0, run.stdout + run.stderr
    page = (root / "build/site/heroes/first-hero.html").read_text(encoding="utf-8")
    assert "Then &lt;kbd&gt;Enter" in page and "&lt;b&gt;a code sample" in page   # what the warning is about


def _folded(project_factory, lines: str) -> tuple:
    """A project whose first hero's background is the folded block `lines`, checked:
    (the project, the block's first line, the check's diagnostics)."""
    root = project_factory()
    first = _background(root, lines, style=">")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    return root, first, diagnostics(run)


def test_a_folded_background_is_said_at_its_own_lines(project_factory):
    # in a folded block (`>`) YAML joins lines with spaces, so the field's text has
    # fewer lines than the file: a tag or braces three lines down were said at the
    # field's first line, where the writer found nothing
    _, first, said = _folded(project_factory, "  Rook grew up on the marsh road,\n  where the fog decides.\n\n\n"
                                              "  Then a link to [a page](javascript:alert(1))\n  that wraps.\n\n\n"
                                              "  Third <kbd>x</kbd> one.\n\n\n  A fourth one {.big}\n")
    assert [d for d in said if d.startswith(("HF0124", "HF0537"))] == [
        f"HF0124 content/heroes/first-hero.yaml:{first + 4}:27",
        f"HF0124 content/heroes/first-hero.yaml:{first + 8}:9",
        f"HF0537 content/heroes/first-hero.yaml:{first + 11}:16"]
    assert not [d for d in said if d.startswith("HF0170")]   # two blank lines: paragraphs, as meant


def test_one_blank_line_in_a_folded_background_is_said(project_factory):
    # YAML makes one blank line of a folded block (`>`) a line break, which Markdown
    # shows as a space: the writer's two paragraphs were published as one, check clean
    from lxml import html
    root, first, said = _folded(project_factory, "  Rook grew up on the marsh road,\n  where the fog decides.\n\n"
                                                 "  She left at sixteen.\n\n\n  After two blank lines.\n\n"
                                                 "    an indented line\n\n  kept as YAML keeps it.\n")
    assert [d for d in said if d.startswith("HF0170")] == [f"HF0170 content/heroes/first-hero.yaml:{first + 2}:1"]
    assert foundry("build", "--project", str(root), "--only", "html").code == 0
    page = html.parse(str(root / "build/site/heroes/first-hero.html"))
    paragraphs = [" ".join(p.text_content().split()) for p in page.iter("p")]
    # what the warning says: the first two blocks are one paragraph
    assert "Rook grew up on the marsh road, where the fog decides. She left at sixteen." in paragraphs, paragraphs



def test_a_folded_block_s_blank_line_is_judged_at_the_block_s_own_indentation(project_factory):
    # HF0170 took the block's indentation from its first line and any line of spaces for
    # a blank one: a `>2` block whose first line is indented further never said its blank
    # line (published as one paragraph), and a blank line holding more spaces than the
    # block's indentation (an editor keeping the indent) was said, though YAML keeps such
    # a line with its line breaks and the page shows two paragraphs
    from lxml import html
    root = project_factory()
    first = _background(root, "     Indented first line kept.\n  Rook grew up on the road,\n"
                              "  where the fog decides.\n\n  She left at sixteen.\n", style=">2")
    third = root / "content/heroes/third-hero.yaml"
    third.write_text("name: Third One\nstatus: draft\nbackground: >\n  The road,\n  the fog.\n    \n"
                     "  She left.\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert [d for d in diagnostics(run) if d.startswith("HF0170")] == [f"HF0170 content/heroes/first-hero.yaml:{first + 3}:1"]
    assert foundry("build", "--project", str(root), "--only", "html").code == 0
    paragraphs = [" ".join(p.text_content().split())
                  for p in html.parse(str(root / "build/site/heroes/third-hero.html")).iter("p")]
    assert "The road, the fog." in paragraphs and "She left." in paragraphs, paragraphs
    paragraphs = [" ".join(p.text_content().split())
                  for p in html.parse(str(root / "build/site/heroes/first-hero.html")).iter("p")]
    assert any("where the fog decides. She left at sixteen." in p for p in paragraphs), paragraphs

NAMED_BRACES = {
    "content/heroes/sal.yaml": "name: Sal {.big} of the {.tide}\ntitle: \"*Tide*{#tide} reader\"\nstatus: draft\n",
    "content/quests/tides.yaml": ("title: Tides {.x}\nstatus: draft\nobjectives:\n"
                                  "  - {id: read, text: \"Read them {#r}\", done_when: \"true\"}\n"),
    "content/stories/braces.md": ("---\ntitle: Braces {.big}\nstart: road\n---\n\n## The Road {.big} {#road}\n\n"
                                  "Fog.\n\n- [Walk on {.big}](#bank)\n- [Keep `{.code}` as code](#wait)\n"
                                  "- [A set {a, b}](#dock)\n\n## The Bank {#bank .ending}\n\nDry ground.\n\n"
                                  "## Waiting {#wait .ending}\n\nFog.\n\n## The Dock {#dock .ending}\n\nBoats.\n"),
}


def test_braces_in_names_titles_and_choices_are_named(project_factory):
    """`{.big}` or `{#id}` in a hero's name, a quest's title or objective, a story's or
    scene's title, a choice's words, a rule's label or the world's title: a title is
    inline Markdown, which reads no attributes, so every output (page titles, the JSON,
    ink, the books) showed the braces as typed with check clean. Each is HF0537 at its
    brace; braces in code or that are words are not said. A link in a rule's label is
    said at the link, not at the label's start; a tag in the world's title is HF0536.
    Two pairs of braces (or two links) in one title are two slips: each is said (the
    second was said only once the first was fixed). Each is said where it is, not at
    the same text in a code span before it, a tag with quotes where the file escapes them."""
    root = project_factory(NAMED_BRACES)
    label = _named(root, '"Tracking `{.big}` [map](https://e.org) {.big} `](x)` [chart](#c)"', '"A `<b>` <b class=\\"w\\">World</b> {#w}"')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    line = next(n for n, text in enumerate(label.splitlines(), 1) if "[map]" in text)
    at = label.splitlines()[line - 1]
    assert sorted(d for d in diagnostics(run) if d.split()[0] in ("HF0537", "HF0536", "HF0123")) == sorted([
        "HF0537 content/heroes/sal.yaml:1:11", "HF0537 content/heroes/sal.yaml:1:25",
        "HF0537 content/heroes/sal.yaml:2:15", "HF0537 content/quests/tides.yaml:1:14", "HF0537 content/quests/tides.yaml:4:33",
        "HF0537 content/stories/braces.md:2:15", "HF0537 content/stories/braces.md:6:13",
        "HF0537 content/stories/braces.md:10:12",
        f"HF0537 schemas/skills.yaml:{line}:{at.index(') {.big}') + 3}",
        f"HF0123 schemas/skills.yaml:{line}:{at.index('](') + 2}",
        f"HF0123 schemas/skills.yaml:{line}:{at.index('](#c)') + 2}",
        "HF0536 foundry.toml:2:18", "HF0537 foundry.toml:2:43"])
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0537"}
    assert "'{.big}' in a choice is shown as typed: only a story's scene headings take an id or class" in said


SPLIT_BRACES = ("---\ntitle: Split\nstart: road\n---\n\n## The Road {#road}\n\nFog.\n\n- [Wait](#wait)\n- [Walk](#bank)\n\n"
                "## Waiting {#wait} {.ending}\n\nFog.\n\n## The Bank {.ending} {#bank}\n\nDry ground.\n")


def test_a_scene_headings_attributes_in_two_pairs_of_braces_are_one_error(project_factory):
    """`## Waiting {#wait} {.ending}`: only the last braces were read, so the scene 'had
    no id' (HF0502, its hint suggesting a third pair) and its choice's target was
    unknown; `{.ending} {#bank}` made the bank no ending, `{.ending}` shown in its title.
    One HF0522 at the first pair, the heading read as meant."""
    root = project_factory({"content/stories/split.md": SPLIT_BRACES})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    lines = SPLIT_BRACES.split("\n")
    expected = sorted(f"HF0522 content/stories/split.md:{n}:{line.index('{') + 1}"
                      for n, line in enumerate(lines, 1) if line.count("{") == 2)
    found = sorted(d for d in diagnostics(run) if "split.md" in d)
    assert found == expected, run.stdout
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/split.md"]
    assert all(d["code"] == "HF0522" for d in said)
    assert {d["hint"] for d in said} == {"One pair: `## Waiting {#wait .ending}`.", "One pair: `## The Bank {.ending #bank}`."}


def test_braces_and_tags_in_a_title_written_as_a_folded_block_are_said_at_their_lines(project_factory):
    # a name, objective or story title written as a folded block (`text: >`) had its
    # braces and tags said at the block's `>`, lines above the words: HF0537 promises the brace
    root = project_factory({
        "content/quests/fold.yaml": ("title: Folded\nstatus: draft\nobjectives:\n  - id: cross\n    text: >\n"
                                     "      Reach the far\n      bank {.big} and <i>x</i>\n    done_when: \"true\"\n"
                                     "  - text: >\n      Then the\n      dock {#d}\n    id: dock\n    done_when: \"true\"\n"),
        "content/stories/fold.md": ("---\ntitle: >-\n  The Fog\n  Road {.big}\nstart: road\n---\n\n"
                                    "## The Road {#road .ending}\n\nFog.\n"),
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert sorted(d for d in diagnostics(run) if d.startswith(("HF0536", "HF0537"))) == [
        "HF0536 content/quests/fold.yaml:7:23", "HF0537 content/quests/fold.yaml:11:12", "HF0537 content/quests/fold.yaml:7:12",
        "HF0537 content/stories/fold.md:4:8"]


def test_a_tag_on_the_second_line_of_foundry_tomls_description_is_said_there(project_factory):
    import re
    # a multi-line TOML string ('"""') had its tag and braces said at the key's line,
    # column 1, the line of the description's first words, not of the tag
    root = project_factory()
    toml = root / "foundry.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("description"))) + 1
    toml.write_text(re.sub(r'(?m)^description = ".*"$', 'description = """A new\\nHero Foundry <b>world</b> {.big}."""',
                           text), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert sorted(d for d in diagnostics(run) if d.startswith(("HF0536", "HF0537"))) == [
        f"HF0536 foundry.toml:{start + 1}:14", f"HF0537 foundry.toml:{start + 1}:27"], run.stdout


def test_a_block_markdown_starts_after_one_blank_line_of_a_folded_block_is_not_said(project_factory):
    # after one line break a heading, a list or a quote still starts a block of its own
    # (CommonMark §4): nothing is joined there. `#hashtag` is paragraph text: joined, said
    _, first, said = _folded(project_factory, "  Rook grew up on the marsh road.\n\n  # Early years\n\n"
                                              "  Text after it.\n\n  - a list\n\n  > a quote\n\n"
                                              "  #hashtag joined to the line above\n")
    assert [d for d in said if d.startswith("HF0170")] == [f"HF0170 content/heroes/first-hero.yaml:{first + 9}:1"]


def test_what_a_reader_meets_first_in_a_paragraph_is_named(project_factory):
    # HF0124 named one thing a paragraph shows as typed: it was taken by kind (a tag
    # before a refused link), so a `<b>` at a paragraph's end was named and the link at
    # its start, in a hero's background and in a scene alike, was not. Each is named
    # now (diag32), the link first, as a reader meets them
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8").replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in [off the marsh](javascript:void(0)) like a <i>tide</i>.")
    root = project_factory({"content/stories/first-story.md": story})
    first = _background(root, "  A [bad](javascript:alert(1)) link, then a <b>tag</b>.\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["file"], d["line"], d["column"], "javascript" in d["message"])
            for d in run.json()["diagnostics"] if d["code"] == "HF0124"}
    assert said == {("content/heroes/first-hero.yaml", first, 11, True), ("content/heroes/first-hero.yaml", first, 45, False),
                    ("content/stories/first-story.md", 16, 34, True), ("content/stories/first-story.md", 16, 61, False)}, said


NOTED_TITLES = {
    "content/heroes/sal.yaml": 'name: "Sal <!-- check the spelling -->"\ntitle: "Tide[^1] reader, `[^2]` \\\\[^3]"\nxp: 0\n',
    "content/stories/noted.md": ("---\ntitle: \"The Road[^a]\"\nstart: road\n---\n\n## The Road <!-- rename --> {#road}\n\n"
                                 "Fog.\n\n- [Wait <!--x--> here](#wait)\n- [Walk `<!-- code -->`](#bank)\n\n"
                                 "## Waiting {#wait .ending}\n\nFog.\n\n## The Bank {#bank .ending}\n\nDry ground.\n"),
}


def test_a_comment_or_a_footnote_in_a_name_title_or_choice_is_named(project_factory):
    """`<!-- … -->` and `[^1]` are not inline Markdown (raw HTML is off; CommonMark has no
    footnotes), so a note the writer left in a hero's name, a story's or scene's title,
    a choice, a rule's label or the world's title was published as typed in every
    output (page titles, the JSON, ink, Twee, the books) with check clean; in prose the
    same is HF0124. Each is HF0754 at its place; in a code span or escaped, it is the
    characters asked for and is not said."""
    root = project_factory(NOTED_TITLES)
    label = _named(root, '"Tracking[^t]"', '"Minimal <!-- v2 -->"')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    line = next(n for n, text in enumerate(label.splitlines(), 1) if "[^t]" in text)
    assert sorted(d for d in diagnostics(run) if d.split()[0] == "HF0754") == sorted([
        "HF0754 content/heroes/sal.yaml:1:12", "HF0754 content/heroes/sal.yaml:2:13",
        "HF0754 content/stories/noted.md:2:17", "HF0754 content/stories/noted.md:6:13",
        "HF0754 content/stories/noted.md:10:9",
        f"HF0754 schemas/skills.yaml:{line}:{label.splitlines()[line - 1].index('[^t]') + 1}",
        "HF0754 foundry.toml:2:18"])
    said = {d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0754"}
    assert "an HTML comment in a choice is shown as typed: every reader sees it" in said
    assert "'[^1]', a footnote, in a name or title is shown as typed: every reader sees it" in said


def _named(root, skill: str, world: str) -> str:
    """Give the minimal project's Tracking skill the label `skill` and the world the
    title `world` (both as written in their files: YAML and TOML strings); returns the
    skill file's new text, to find the label's line in."""
    skills = root / "schemas/skills.yaml"
    label = skills.read_text(encoding="utf-8").replace("{name: Tracking,", "{name: " + skill + ",")
    skills.write_text(label, encoding="utf-8")
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "Minimal"', "title = " + world), encoding="utf-8")
    return label


TRACKED = {
    # a writer's own tools' notes and tracked changes, kept where a title or a name is
    "title: Scout of the Marsh Road": 'title: "Scout of the {~~Marsh~>Fen~~} Road"',
    "title: The Fog Road": "title: The {++Fog++} Road",
    "## Tracks in the Mud {#tracks}": "## Tracks in the {==Mud==} {#tracks}",
    "[Follow them to the bank]": "[Follow them {>>really?<<} to the bank]",
    "## Waiting {#wait .ending}": "## Waiting [[rename this]] {#wait .ending}",
    "## The Lantern Path {#lantern}": "## The Lantern Path /* or Light */ {#lantern}",
    # Fountain's boneyard in prose, in a line and over lines, and a Fountain note
    "The lantern bobs ahead.": "The lantern bobs ahead. /* cut: the lantern is green */ [[check the colour]]",
    "Dry ground at last.": "Dry ground at last.\n/*\nThe old ending, kept.\n*/",
    "decides who arrives.": "decides who arrives. /* too long? */",
}
# each hint, followed as written
FOLLOWED = {
    '"Scout of the {~~Marsh~>Fen~~} Road"': '"Scout of the Fen Road"', "{++Fog++}": "Fog", "{==Mud==}": "*Mud*",
    " {>>really?<<}": "", " [[rename this]]": "", " /* or Light */": "",
    " /* cut: the lantern is green */ [[check the colour]]": "", "\n/*\nThe old ending, kept.\n*/": "",
    " /* too long? */": "",
}


def test_other_tools_notes_in_titles_and_a_boneyard_in_prose_are_said(project_factory):
    """CriticMarkup (`{~~a~>b~~}`, `{++x++}`, `{>>x<<}`, `{==x==}`), Fountain's `/* boneyard */`
    and `[[note]]` in a name, a story's title, a heading or a choice were published as typed
    in every output with check clean (prose said CriticMarkup; titles only comments,
    footnotes and Scrivener's placeholders), and a boneyard in prose was said nowhere.
    Each is said at its place (HF0754 in a title, HF0124 in prose); every hint followed,
    check is clean."""
    root = project_factory()
    for rel in ("content/heroes/first-hero.yaml", "content/stories/first-story.md"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in TRACKED.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = sorted((d["code"], d["file"].rsplit("/", 1)[-1], d["line"], d["column"], d["message"].split(",")[0])
                  for d in run.json()["diagnostics"])
    assert said == [
        ("HF0124", "first-hero.yaml", 12, 72, "'/* too long? */' is a boneyard (Fountain's cut text)"),
        ("HF0124", "first-story.md", 24, 25, "'/* cut: the lantern is green */' is a boneyard (Fountain's cut text)"),
        ("HF0124", "first-story.md", 24, 57, "'[[check the colour]]' is a wiki link (Obsidian's"),
        ("HF0124", "first-story.md", 41, 1, "'/* The old ending"),
        ("HF0754", "first-hero.yaml", 3, 22, "'{~~Marsh~>Fen~~}'"),
        ("HF0754", "first-story.md", 2, 12, "'{++Fog++}'"),
        ("HF0754", "first-story.md", 22, 21, "'/* or Light */'"),
        ("HF0754", "first-story.md", 28, 18, "`{==Mud==}` in a name or title is a highlight in CriticMarkup (Ulysses"),
        ("HF0754", "first-story.md", 32, 16, "'{>>really?<<}'"),
        ("HF0754", "first-story.md", 34, 12, "'[[rename this]]'"),
    ], run.stdout
    hints = {d["line"]: d["hint"] for d in run.json()["diagnostics"]}
    assert "write just `Fen`" in hints[3] and "write just `Fog`" in hints[2] and "`*Mud*`" in hints[28]
    assert "A note to yourself (Fountain's `[[note]]`): delete it." in hints[34]
    for rel in ("content/heroes/first-hero.yaml", "content/stories/first-story.md"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in FOLLOWED.items():
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root))
    assert run.code == 0 and "No problems found" in run.stderr, run.stdout + run.stderr


def test_a_notes_hint_keeps_it_where_the_file_has_comments(project_factory):
    """HF0754's and HF0124's hints told a writer to keep the note "in a `# comment` line of
    the YAML" (or "in the YAML front matter") wherever it stood: in foundry.toml's authors,
    and in a translator's PO file (which has its own `# …` comments) or an XLIFF one (its
    `<note>`s). Each now names the file's own, which `l10n extract` keeps; a story keeps
    its front matter's."""
    toml = (ROOTS / "minimal/foundry.toml").read_text(encoding="utf-8")
    root = project_factory({
        "foundry.toml": toml.replace("authors = []", 'authors = ["Ben %%ask Ana%%"]').replace(
            'outputs = ["json", "html", "pdf", "epub", "ink", "twee"]', 'outputs = ["json"]')
        + '\n[l10n]\nlanguages = ["de", "fr"]\n'})
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "## The Lantern Path {#lantern}", "## The Lantern /* or Light */ Path {#lantern}"), encoding="utf-8")
    for language, form in (("de", "po"), ("fr", "xliff")):
        foundry("l10n", "extract", "--project", str(root), "--language", language, "--format", form)
    po = root / "translations/de/content/characters/old-guide.yaml.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgid "Old Guide"\nmsgstr ""', 'msgid "Old Guide"\nmsgstr "Alter %%prüfen%% Führer"'), encoding="utf-8")
    xliff = next((root / "translations/fr/content/characters").iterdir())
    text = xliff.read_text(encoding="utf-8")
    at = text.index("<source>Old Guide</source>") + len("<source>Old Guide</source>")
    xliff.write_text(text[:at] + "<target>Vieux /* relire */ Guide</target>" + text[at:], encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["file"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF0754", "HF0124")}
    assert set(hints) == {"foundry.toml", "content/stories/first-story.md", str(po.relative_to(root)),
                          str(xliff.relative_to(root))}, run.stdout
    assert hints["foundry.toml"].endswith("(keep the note in a `# comment` line of foundry.toml, or the pull request).")
    assert hints["content/stories/first-story.md"].endswith("(a `# comment` line in the YAML front matter, or the "
                                                            "pull request).")
    assert hints[str(po.relative_to(root))].endswith("(keep the note in a translator's comment, a `# …` line above "
                                                    "the entry, or the pull request).")
    assert hints[str(xliff.relative_to(root))].endswith("where readers do not go (a `<note>` of the unit, "
                                                       "or the pull request).")
