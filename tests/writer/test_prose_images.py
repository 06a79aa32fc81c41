"""An image written in prose (`![map](https://…)`, `![keep](../assets/keep.png)`) can be
published by no output: the books refuse it, an EPUB naming a remote image is invalid
(epubcheck RSC-006), the site would make readers' browsers fetch it from elsewhere,
and a path under content/ is not published. `check` said "No problems found" and
`build` then failed with HF0701 at a built page and HF0704 without a line: now each
image is HF0128 at its own line and column, the same in `check` and `build`; a
reference-style one too, which was matched to the next image of its address (and that
one sent to its paragraph's first line)."""

from __future__ import annotations

from support import diagnostics, foundry

STORY = """\
---
title: The Fog Road
start: road
protagonist: first-hero
---

## The Fog Road {#road}

The fog ![fog][map] comes. ![A map of the marsh](https://example.org/map.png)

Inside `![code](is not an image)`, then ![the keep](../assets/keep.png) and ![spy](http://127.0.0.1:9/x.png).

[map]: https://example.org/map.png

- [Wait](#wait)

## Waiting {#wait .ending}

*The end.*
"""

HERO_TAIL = """\
background: |
  Rook grew up on the marsh road.
  ![absolute](file:///etc/passwd) ![her boat](boat.png)
"""


def test_each_image_in_prose_is_an_error_at_its_place_in_check_and_build(project_factory):
    root = project_factory({"content/stories/second-story.md": STORY})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    text = text[:text.index("background:")] if "background:" in text else text
    hero.write_text(text + HERO_TAIL, encoding="utf-8")
    line = len(text.splitlines()) + 3   # the background's second line
    expected = [f"HF0128 content/heroes/first-hero.yaml:{line}:3",   # file: makes no image, but it is one
                f"HF0128 content/heroes/first-hero.yaml:{line}:35",
                "HF0128 content/stories/second-story.md:9:9",    # reference-style, its address elsewhere
                "HF0128 content/stories/second-story.md:9:28",
                "HF0128 content/stories/second-story.md:11:41",
                "HF0128 content/stories/second-story.md:11:77"]
    check = foundry("check", "--project", str(root), "--format", "json")
    assert check.code == 1
    found = [d for d in diagnostics(check) if d.split()[0] in ("HF0124", "HF0128")]
    assert sorted(found) == sorted(expected)
    messages = [d["message"] for d in check.json()["diagnostics"] if d["code"] == "HF0128"]
    assert any("https://example.org/map.png" in m for m in messages)
    build = foundry("build", "--project", str(root), "--only", "html,epub", "--format", "json")
    assert build.code == 1
    assert sorted(d for d in diagnostics(build) if d.split()[0] in ("HF0124", "HF0128")) == sorted(expected)
    assert not (root / "build").exists()


def test_a_story_summary_is_checked_as_prose_too(project_factory):
    """A story's `summary:` is prose like a hero's `background:`, but was checked for
    none of it: an image and a comment in it were published with "No problems found"."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    line = next(k for k, l in enumerate(text.splitlines(), 1) if l.startswith("summary:"))
    story.write_text("\n".join(
        'summary: "A crossing. ![map](https://example.org/m.png) <!-- note -->"' if k == line else l
        for k, l in enumerate(text.splitlines(), 1)) + "\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert [d for d in diagnostics(run) if d.split()[0] in ("HF0124", "HF0128")] == [
        f"HF0128 content/stories/first-story.md:{line}:23", f"HF0124 content/stories/first-story.md:{line}:57"]


def test_an_image_is_said_as_an_image_with_its_address_as_typed(project_factory):
    """`![map](C:\\maps\\x.png)`, `![map](ftp://…)`, `![map](my map.png)`: markdown-it
    refuses the address and makes no image, and check told of a *link* shown as typed
    ("link to an https:// page", HF0124): followed, the writer met HF0128. And an image
    markdown-it made was quoted as it rewrote it (`..\\assets\\map.png` as
    '..%5Cassets%5Cmap.png', `..\\..\\x.png` as '....%5Cx.png'). Each is HF0128 at its
    place, quoting the address as typed; a link with a refused address is still HF0124."""
    prose = ("![A map](..\\assets\\map.png) and ![up](..\\..\\x.png) and ![drive](C:\\maps\\x.png)\n"
             "and ![ftp](ftp://x/y.png) and ![sp](my map.png) and [link](C:\\x).\n")
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    line = len(text.splitlines()) + 2
    story.write_text(text + "\n" + prose, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]]
    image = "an image in prose cannot be published: "
    first, second = prose.splitlines()
    assert said == [
        ("HF0128", line, 1, image + "'..\\assets\\map.png'"),
        ("HF0128", line, first.index("![up]") + 1, image + "'..\\..\\x.png'"),
        ("HF0128", line, first.index("![drive]") + 1, image + "'C:\\maps\\x.png'"),
        ("HF0128", line + 1, second.index("![ftp]") + 1, image + "'ftp://x/y.png'"),
        ("HF0128", line + 1, second.index("![sp]") + 1, image + "'my map.png'"),
        ("HF0124", line + 1, second.index("C:") + 1, "a link to a `C:` address is shown as typed, not as a link"),
    ], said


def test_an_image_taking_a_refused_address_from_a_definition_is_said_as_an_image(project_factory):
    """`![map][where]` with `[where]: C:\\maps\\x.png`: markdown-it refuses the address,
    so there is no definition and no image, and check said only the definition's HF0124
    ("a link to a `C:` address … link to an https:// page"): followed, the writer met
    HF0128 at the image. Now the definition an image takes its address from is HF0128 at
    the address as typed, in a story and in a hero's background alike; a definition a
    link alone uses is still HF0124. Following HF0128's hint (a link to an https:// page)
    leaves a clean check."""
    prose = ("The marsh: ![map][where] and ![Tide] and [the road][road].\n\n"
             "[where]: C:\\maps\\x.png \"Map\"\n\n[tide]: ftp://x/tide.png\n\n[road]: C:\\road\n")
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    line = len(text.splitlines()) + 2
    story.write_text(text + "\n" + prose, encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    kept = hero.read_text(encoding="utf-8")
    kept = kept[:kept.index("background:")] if "background:" in kept else kept
    hero.write_text(kept + "background: |\n  A ![boat][b].\n\n  [b]: file:///boat.png\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["code"], d["file"].rsplit("/", 1)[1], d["line"], d["column"], d["message"])
            for d in run.json()["diagnostics"] if d["code"] in ("HF0124", "HF0128")]
    image = "an image in prose cannot be published: "
    hero_line = len(kept.splitlines()) + 4
    assert said == [
        ("HF0128", "first-hero.yaml", hero_line, 8, image + "'file:///boat.png'"),
        ("HF0128", "first-story.md", line + 2, 10, image + "'C:\\maps\\x.png'"),
        ("HF0128", "first-story.md", line + 4, 9, image + "'ftp://x/tide.png'"),
        ("HF0124", "first-story.md", line + 6, 9, "a link to a `C:` address is shown as typed, not as a link"),
    ], said
    # the hint followed: each image a link to a web page
    story.write_text(text + "\nThe marsh: [map][where] and [Tide] and [the road][road].\n\n"
                     "[where]: https://example.org/map\n\n[tide]: https://example.org/tide\n\n"
                     "[road]: https://example.org/road\n", encoding="utf-8")
    hero.write_text(kept + "background: |\n  A [boat][b].\n\n  [b]: https://example.org/boat\n", encoding="utf-8")
    clean = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in clean.json()["diagnostics"] if d["severity"] == "error" or d["code"] in ("HF0124", "HF0128")] == [], \
        clean.json()["diagnostics"]


def test_an_image_with_a_spaced_address_and_a_title_is_quoted_without_the_title(project_factory):
    """`![map](my map.png "The marsh")` was quoted 'my map.png "The marsh"', the title
    taken for part of the address (a link's HF0124 leaves it out); and so for a
    definition an image takes its address from."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text + '\nA ![map](my map.png "The marsh") and ![tide][t].\n\n[t]: my tide.png "Tide"\n',
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d["message"] for d in run.json()["diagnostics"] if d["code"] in ("HF0124", "HF0128")] == [
        "an image in prose cannot be published: 'my map.png'",
        "an image in prose cannot be published: 'my tide.png'"], run.stdout
