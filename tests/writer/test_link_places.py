"""Each link in a paragraph is judged at its own place. The search for a link's `](`
started at the paragraph's first line for every link: two slips with one address
(`[there](bank)` twice) were one diagnostic at the first, the second never named —
and a paragraph of 50,000 autolinks, which have no `](`, was searched whole for each
(21 s for `foundry check`; docs/performance.md).

A link whose target markdown-it writes otherwise than the writer typed it (a backslash
`..\\heroes\\x.html` is `..%5Cheroes%5Cx.html`, `<../a b.html>` is `../a%20b.html`, an
entity or an escape decoded, a letter such as `ü` percent-encoded) was HF0721 at its
field's first line (`background: |`) or at its scene's heading: now at the link."""

from __future__ import annotations

from support import diagnostics, foundry

STORY = """\
---
title: Two slips
start: road
---

## The Road {#road}

Go [there](bank) or [there](bank), see <https://example.org/a> and
[there](bank) again.

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_every_scene_link_without_hash_is_named_where_it_is(project_factory):
    root = project_factory({"content/stories/slips.md": STORY})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert [d for d in diagnostics(run) if d.startswith("HF0527")] == [
        "HF0527 content/stories/slips.md:8:12", "HF0527 content/stories/slips.md:8:29",
        "HF0527 content/stories/slips.md:9:9"]


HERO_TAIL = """\
background: |
  Rook keeps a [chart](../heroes/chart.html).

  And a [log](..\\heroes\\log.html), a [map](<../heroes/old map.html>),
  a [caf&eacute;](../heroes/caf&eacute;.html), [notes](../heroes/x\\_y.html) and [this](../heroes/ü.html).
"""

STORY_TAIL = """
## The Far Bank {#far .ending}

Dry ground. [x](..\\heroes\\ghost.html) and [y](<../a b.html>).
"""


def test_a_link_written_otherwise_than_it_is_named_is_said_at_its_place(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    hero.write_text(text + HERO_TAIL, encoding="utf-8")
    story = root / "content/stories/first-story.md"
    body = story.read_text(encoding="utf-8")
    story.write_text(body + STORY_TAIL, encoding="utf-8")
    first = len(text.splitlines()) + 1     # `background: |`
    last = len((body + STORY_TAIL).splitlines())
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    hero_path, story_path = "content/heroes/first-hero.yaml", "content/stories/first-story.md"
    assert sorted(d for d in diagnostics(run) if d.startswith("HF0721")) == sorted([
        f"HF0721 {hero_path}:{first + 1}:24", f"HF0721 {hero_path}:{first + 3}:15",
        f"HF0721 {hero_path}:{first + 3}:44", f"HF0721 {hero_path}:{first + 4}:19",
        f"HF0721 {hero_path}:{first + 4}:56", f"HF0721 {hero_path}:{first + 4}:88",
        f"HF0721 {story_path}:{last}:17", f"HF0721 {story_path}:{last}:47"])


REFERENCES = """
## The Ford {#ford .ending}

Cold water, [a map][chart], and [notes][notes].

[chart]: ../heroes/chart.html "The chart"

> [notes]: <../heroes/old notes.html>
"""


def test_a_reference_style_link_in_a_story_is_said_at_its_definition(project_factory):
    """`[a map][chart]` with `[chart]: ../heroes/chart.html` in a story's body: the
    target is written only on the definition's line, which the body's search (`](`
    only) never read, so the link was said at its scene's heading. A field's
    definitions were found already; a body's now are too, in a blockquote as well."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    body = story.read_text(encoding="utf-8") + REFERENCES
    story.write_text(body, encoding="utf-8")
    lines = body.splitlines()
    chart = lines.index('[chart]: ../heroes/chart.html "The chart"') + 1
    notes = lines.index("> [notes]: <../heroes/old notes.html>") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert sorted(d for d in diagnostics(run) if d.startswith("HF0721")) == sorted([
        f"HF0721 content/stories/first-story.md:{chart}:10", f"HF0721 content/stories/first-story.md:{notes}:12"])


HEADED = """\
---
title: A link in a heading
start: road
---

## Tracks [in](nowhere) the mud {#road}

Walk [in](nowhere) now.

- [Go on](#bank)

## The Bank {#bank .ending}

Dry ground.
"""


def test_a_prose_link_is_said_at_the_prose_not_at_its_heading_holding_the_same_address(project_factory):
    """A scene heading's link is dropped, its words kept (HF0123 at the heading): only
    the prose's link is published. The prose's broken `[in](nowhere)` (HF0721) was
    said at the heading, whose `](nowhere` the search met first: the writer was told
    the heading's link, already said to be dropped, breaks the build."""
    root = project_factory({"content/stories/headed.md": HEADED})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    path = "content/stories/headed.md"
    said = [d for d in diagnostics(run) if path in d]
    assert f"HF0721 {path}:8:11" in said, said
    assert f"HF0123 {path}:6:15" in said, said
    assert not [d for d in said if d.startswith("HF0721") and ":6:" in d], said


OWN_PAGE = """\
---
title: Own page
summary: Back to [the start](own.html#scene-rod).
start: road
---

## The Road {#road}

Read [the end](own.html#scene-banks) or [the top](../stories/own.html#scene-road) again.

- [Walk on](#bank)

## The Bank {#bank .ending}

Dry ground, [the start](./own.html#scene-road).
"""


def test_a_link_to_its_own_page_by_name_is_judged_where_written(project_factory):
    """`[back](own.html#scene-rod)`, a story's link to one of its own scenes by its page's
    name, renamed or mistyped: check said nothing and the build failed with HF0701 at
    build/site/stories/own.html, line 78, an output the writer never wrote. Now HF0721
    at the summary's and the paragraph's link; the links that land are not said; the
    hint followed builds."""
    root = project_factory({"content/stories/own.md": OWN_PAGE})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert [d for d in diagnostics(run) if not d.startswith("HF0514")] == [
        "HF0721 content/stories/own.md:3:30", "HF0721 content/stories/own.md:9:16"], diagnostics(run)
    said = [d["message"] for d in run.json()["diagnostics"]]
    assert said[0] == ("link 'own.html#scene-rod' names #scene-rod, which site/stories/own.html, the page it is "
                       "shown on, does not have"), said
    (root / "content/stories/own.md").write_text(
        OWN_PAGE.replace("#scene-rod", "#scene-road").replace("#scene-banks", "#scene-bank"), encoding="utf-8")
    build = foundry("build", "--project", str(root), "--only", "html")
    assert build.code == 0, build.stdout + build.stderr


def test_a_link_written_as_a_windows_path_is_told_the_slashes(project_factory):
    """`[home](..\\index.html)` and `[road](..\\stories\\first-story.md#road)` (a Windows
    writer's paths) were HF0721 "link to a page the site has": the page is there, the
    `\\` was the slip. The hint says so, with the address that lands; followed, clean.
    A backslashed link that lands nowhere still says the slashes, then the generic hint."""
    root = project_factory()
    path = root / "content/stories/first-story.md"
    story = path.read_text(encoding="utf-8")
    typed = story.replace("Dry ground at last.", "Dry ground at last. [Home](..\\index.html), "
                          "[again](..\\stories\\first-story.md#road), [map](..\\maps\\marsh.html).", 1)
    path.write_text(typed, encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0721"]
    line = next(n for n, text in enumerate(typed.splitlines(), 1) if "[Home](" in text)
    text = typed.splitlines()[line - 1]
    assert [(d["line"], d["column"]) for d in said] == [
        (line, text.index(k) + 1) for k in ("..\\index", "..\\stories", "..\\maps")], said
    assert said[0]["hint"] == "Write `/` between folders: a web address has no `\\`: `(../index.html)`.", said
    assert said[1]["hint"].startswith("Write `/` between folders: a web address has no `\\`. Write "
                                      "`(../stories/first-story.html#scene-road)`"), said
    assert said[2]["hint"].startswith("Write `/` between folders: a web address has no `\\` (`../maps/marsh.html`). "
                                      "Links in prose are relative"), said
    path.write_text(story.replace("Dry ground at last.", "Dry ground at last. [Home](../index.html), "
                                  "[again](../stories/first-story.html#scene-road).", 1), encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout
