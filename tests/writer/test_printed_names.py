"""A story's name printed as another tool prints it — ink's `{coins}` and
`{crossed: text}`, SugarCube's `$coins`, a template's `{{coins}}` — is HF0124 (a
warning) at its place: foundry's prose prints no value, and every output showed the
braces or the `$` as typed with check clean. Only a name the story's conditions read
(a variable, a hero's attribute) is said: `a set {a, b}` and `$5` are words, and code,
an escaped `\\{` and the attributes after a link are not this."""

from __future__ import annotations

from support import foundry

STORY = """\
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

- [Go](#b){if="coins > 1"}

## B {#b .ending}

End.
"""


def test_a_name_printed_as_ink_or_twine_print_it_is_said_where_it_is(project_factory):
    root = project_factory({"content/stories/printed.md": STORY})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/stories/printed.md"]
    assert [(d["code"], d["line"], d["column"]) for d in said] == [
        ("HF0124", 12, 10), ("HF0124", 12, 28), ("HF0124", 12, 39), ("HF0124", 12, 52), ("HF0124", 13, 17),
    ], run.stdout
    assert said[0]["message"] == ("`{coins}` is shown as typed: foundry's prose prints no value of 'coins' and no "
                                  "text that depends on it (ink and Twine do)")
    assert said[3]["hint"].startswith("Write the words for each case instead, in a scene a choice leads to when "
                                      "it holds (`- [Go on](#next){if=\"crossed\"}`)")
    assert run.code == 0   # a warning: the build goes on
