"""An HTML comment a writer uses to hide a choice is one error at the comment
(HF0528). Foundry's Markdown has no comments: the comment is shown as typed, a choice
inside it is still read and offered, and a comment right under a choice (no blank line
between) joins that choice's list item, which is then no choice. That was said as
"a link to scene 'b' inside a list item that holds more than the link", at the writer's
innocent choice, with the hint to put it on its own line (where it was), beside the
comment's own warning and "text after the choices"."""

from __future__ import annotations

from support import foundry

STORY = """\
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


def test_a_comment_hiding_a_choice_is_one_error_at_the_comment(project_factory):
    root = project_factory({"content/stories/hidden.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/hidden.md"]
    assert [(d["code"], d["line"], d["column"]) for d in said] == [
        ("HF0124", 9, 6), ("HF0528", 12, 1), ("HF0528", 20, 1)], run.stdout
    assert said[1]["message"] == ("an HTML comment right under a choice joins it, so that choice is not read: "
                                  "foundry's Markdown has no comments")
    assert said[2]["message"] == ("a choice inside an HTML comment is still read, and the comment shown as typed: "
                                  "foundry's Markdown has no comments")
    assert said[2]["hint"].startswith("Delete the comment and the choices in it (git keeps them);")
