"""A hint that quotes the writer's own line as code (`Write `## …``) wrapped it in
single backticks; a heading or choice whose words hold code (`### The `Co` Lantern
{#lantern}`) then read as three code spans and the words between them: the line as a
hint showed it was not the line to write. Quoted with diagnostics.code_span (the fence
one backtick longer than any run inside, as `foundry diff` quotes), the line read back
from the hint as CommonMark reads a code span is the one to write, and the next check
is clean."""

from __future__ import annotations

import re

from support import ROOTS, foundry

STORY = (ROOTS / "minimal/content/stories/first-story.md").read_text()


def _spans(hint: str) -> list[str]:
    """The code spans of `hint` as CommonMark reads them (a fence of n backticks closes
    at the next run of exactly n; one space inside each fence is dropped)."""
    out = []
    for m in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", hint):
        body = m.group(2)
        out.append(body[1:-1] if len(body) > 2 and body.startswith(" ") and body.endswith(" ") else body)
    return out


def _check(root) -> list[dict]:
    return foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]


def test_a_line_quoted_in_a_hint_keeps_its_code_and_following_it_is_clean(project_factory):
    slipped_choice = '- [Use the `key`](#bank){do="set crossed"}\\'
    cases = {   # the line as written → the code its hint is about
        "## The Lantern Path {#lantern}": ("### The `Co` Lantern {#lantern}", "HF0520"),
        '- [Follow them to the bank](#bank){do="set crossed"}': (slipped_choice, "HF0528"),
        "## The Far Bank {#bank .ending}": ("## The `Far` Bank {.ending}", "HF0502"),
        "Dry ground at last. *The end.*": ("### In `the` fog #\n\nDry ground at last. *The end.*", "HF0179"),
    }
    for n, (line, (written, code)) in enumerate(cases.items()):
        assert line in STORY, line
        text = STORY.replace(line, written)
        said = [d for d in _check(project_factory({"content/stories/first-story.md": text}, name=f"s{n}"))
                if d["code"] == code]
        assert len(said) == 1, (code, said)
        meant = _spans(said[0]["hint"])[-1 if code != "HF0179" else 0]
        assert "`" in meant, said[0]["hint"]   # the writer's code kept inside the quote
        fixed = text.replace(written.split("\n")[0], meant)
        left = [d["code"] for d in _check(project_factory({"content/stories/first-story.md": fixed}, name=f"f{n}"))]
        assert code not in left and (left == [] or code == "HF0502"), (code, meant, left)
