"""Habits from other tools in a story's scenes, each said once at its place; the
three stories are read by one check of one project.

Into another story: A choice whose link names another story's file or a scene in it (`[Ring](bells#tower)`,
`(bells.md#tower)`, `(../stories/bells.md)`, `(/stories/bells#tower)`) is one error at
its address saying that a choice leads only to a scene of its own story, with `(#tower)`
offered in case the scene is this story's. It was "a list of choices holds an item
that is not a single link to a scene" at the list marker, whose hint showed the very
shape the writer believed they had typed; as a scene's only choice it was also HF0721
("site/stories/bells, which the build does not write") at the same place.

Printed names: A story's name printed as another tool prints it — ink's `{coins}` and
`{crossed: text}`, `{if not crossed: text}`, SugarCube's `$coins`, a template's `{{coins}}` — is HF0124 (a
warning) at its place: foundry's prose prints no value, and every output showed the
braces or the `$` as typed with check clean. Only a name the story's conditions read
(a variable, a hero's attribute) is said: `a set {a, b}` and `$5` are words, and code,
an escaped `\\{` and the attributes after a link are not this.

Links to a page without its `.html`: `[the road](first-story)`, `(first-story.md)` (a
wiki's or GitHub's habit), `(../heroes/first-hero.yaml)`, or a page from the wrong folder
(`(first-hero.html)` in a story) was HF0721 "link to a page the site has", of the page
meant; the hint now writes the address that lands; so does a link to a scene by its id
(`first-story.html#road`: the page marks it `#scene-road`).

Commented choices: An HTML comment a writer uses to hide a choice is one error at the comment
(HF0528). Foundry's Markdown has no comments: the comment is shown as typed, a choice
inside it is still read and offered, and a comment right under a choice (no blank line
between) joins that choice's list item, which is then no choice. That was said as
"a link to scene 'b' inside a list item that holds more than the link", at the writer's
innocent choice, with the hint to put it on its own line (where it was), beside the
comment's own warning and "text after the choices".
"""

from __future__ import annotations

import pytest

from support import foundry, write_project

INTO = """\
---
title: Two
start: a
protagonist: first-hero
---

## A {#a}

Fog.

- [Go](#b)
- [Ring the bell](first-story#road)
- [Ring again](first-story.md#road){if="true"}
- [The file](../stories/first-story.md)
- [From the top](/stories/first-story#lantern)

## B {#b}

Alone.

- [Only way](first-story#road)

## C {#c .ending}

End.
"""

PRINTED = """\
---
title: Printed
start: a
protagonist: first-hero
variables:
  coins: 2
  crossed: false
---

## A {#a}

You have {coins} coins, or $coins, or {{ coins }}. {crossed: The bank is near.}
Your agility is {agility}. A set {a, b} costs $5, and {nobody} is no name here.
Escaped \\{coins} and `{coins}` in code stay as they are.

```
{coins}
```

{if not crossed: The fog is thick.}

- [Go](#b){if="coins > 1"}

## B {#b .ending}

End.
"""

HIDDEN = """\
---
title: Hidden
start: a
protagonist: first-hero
---

## A {#a}

Fog. <!-- a note in a paragraph stays a warning -->

- [Go](#b)
<!-- TODO: a third way -->

## B {#b}

Bank.

- [On](#c)

<!--
- [Back](#a)
- [Wait](#b)
-->

More fog.

## C {#c .ending}

End.
"""


LINKS = """\
---
title: Links
start: a
---

## A {#a .ending}

See [the road](first-story#road), [the story](first-story), [the file](first-story.md)
and [nowhere](nowhere), or [the lantern](first-story.html#lantern).
Meet [her](../heroes/first-hero.yaml) or [her page](first-hero.html).
Or [as a file manager shows it](../heroes/first-hero.YAML), [as GitHub](first-story.md?plain=1).
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = write_project(tmp_path_factory.mktemp("habits") / "proj", {
        "content/stories/two.md": INTO, "content/stories/printed.md": PRINTED,
        "content/stories/hidden.md": HIDDEN, "content/stories/links.md": LINKS})
    return foundry("check", "--format", "json", "--project", str(root))


def said_in(run, story: str, places: list[tuple[str, int, int]]) -> list[dict]:
    """The diagnostics of one story of the check `run`, once checked to be `places`
    ((code, line, column) each, in order)."""
    said = [d for d in run.json()["diagnostics"] if d["file"] == f"content/stories/{story}.md"]
    assert [(d["code"], d["line"], d["column"]) for d in said] == places, run.stdout
    return said


def test_a_choice_into_another_story_is_one_error_at_its_address(checked):
    run = checked
    said = said_in(run, "two", [
        ("HF0503", 12, 19), ("HF0503", 13, 16), ("HF0503", 14, 14), ("HF0503", 15, 18), ("HF0503", 21, 14)])
    assert said[0]["message"] == ("the link 'first-story#road' leads to scene 'road' of another story, "
                                  "'first-story': a choice leads only to a scene of its own story")
    assert said[0]["hint"].startswith("If 'road' is a scene of this story, write `(#road)`.")
    assert "leads to a file, not a scene" in said[2]["message"]
    assert run.code == 1


def test_a_name_printed_as_ink_or_twine_print_it_is_said_where_it_is(checked):
    run = checked
    said = said_in(run, "printed", [
        ("HF0124", 12, 10), ("HF0124", 12, 28), ("HF0124", 12, 39), ("HF0124", 12, 52), ("HF0124", 13, 17),
        ("HF0124", 20, 1)])
    assert said[0]["message"] == ("`{coins}` is shown as typed: foundry's prose prints no value of 'coins' and no "
                                  "text that depends on it (ink and Twine do)")
    assert said[3]["hint"].startswith("Write the words for each case instead, in a scene a choice leads to when "
                                      "it holds (`- [Go on](#next){if=\"crossed\"}`)")
    assert all(d["severity"] == "warning" for d in said)   # the build goes on


def test_a_comment_hiding_a_choice_is_one_error_at_the_comment(checked):
    run = checked
    said = said_in(run, "hidden", [
        ("HF0124", 9, 6), ("HF0528", 12, 1), ("HF0528", 20, 1)])
    assert said[1]["message"] == ("an HTML comment right under a choice joins it, so that choice is not read: "
                                  "foundry's Markdown has no comments")
    assert said[2]["message"] == ("a choice inside an HTML comment is still read, and the comment shown as typed: "
                                  "foundry's Markdown has no comments")
    assert said[2]["hint"].startswith("Delete the comment and the choices in it (git keeps them);")


def test_a_link_to_a_page_without_its_ending_is_told_the_address_that_lands(checked):
    said = said_in(checked, "links", [("HF0721", 8, 16), ("HF0721", 8, 47), ("HF0721", 8, 72), ("HF0721", 9, 15),
                                      ("HF0721", 9, 42), ("HF0721", 10, 12), ("HF0721", 10, 53), ("HF0721", 11, 33),
                                      ("HF0721", 11, 73)])
    assert [d["hint"] for d in said] == [
        "Write `(first-story.html#scene-road)`: the page is `first-story.html`, where scene 'road' is `#scene-road`.",
        "The page is `first-story.html`: write `(first-story.html)`.",
        "The page is `first-story.html`: write `(first-story.html)`.",
        "Links in prose are relative to the page it is shown on (site/stories/links.html); link to a page the "
        "site has, or write a full https:// URL.",
        "Write `(first-story.html#scene-lantern)`, where scene 'lantern' is `#scene-lantern`.",
        # the hero's file as GitHub links it, and her page as if it were in the story's folder
        "The page is `../heroes/first-hero.html`: write `(../heroes/first-hero.html)`.",
        "The page is `../heroes/first-hero.html`: write `(../heroes/first-hero.html)`.",
        # the file's name in capitals, and with GitHub's `?plain=1`: the same pages
        "The page is `../heroes/first-hero.html`: write `(../heroes/first-hero.html)`.",
        "The page is `first-story.html`: write `(first-story.html)`."]
