"""Twine and ink stories as real tools write them, beyond the plays-the-same stories:
SugarCube's `<<nobr>>` around a list of conditional links (what our own Twee export,
and many hand-made SugarCube stories, write), and HTML markup around a link inside an
`<<if>>`. Each is imported into a real project and read back from the file written."""

from __future__ import annotations

import re

from import_support import imported
from support import foundry

NOBR = """:: StoryTitle
Ford

:: StoryData
{"ifid": "0C3E3C38-63A8-4B8A-9D6E-1B1C4C35F0B2", "format": "SugarCube", "format-version": "2.37.3", "start": "Ford"}

:: StoryInit
<<set $coins to 2>>

:: Ford
<<nobr>>
The river runs
fast and grey.
<</nobr>>
<<nobr>>
<ul class="choices">
<<if $coins >= 2>><li data-choice="pay"><<link "Pay the ferryman" "Bank">><<set $coins -= 2>><</link>></li><</if>>
<li><<link "Swim" "Bank">><</link>></li>
</ul>
<</nobr>>

:: Bank
The far bank.
"""


def test_links_inside_nobr_and_list_markup_are_choices(project_factory, tmp_path):
    """`<<nobr>>` only joins its lines (SugarCube runs and shows its body); it was an
    unsupported macro, so every link inside became a kept comment and the story had no
    choices at all (each passage an ending). `<li>` around a link inside `<<if>>` is markup
    a reader does not see, not 'text shown only under a condition'."""
    source = tmp_path / "ford.twee"
    source.write_text(NOBR, encoding="utf-8")
    root = project_factory()
    run = imported(root, "twine", source, "ford")
    assert run.code == 0, run.stderr
    assert [d["code"] for d in run.json()["diagnostics"] if d["severity"] != "info"] == []
    assert run.json()["choices"] == 2 and run.json()["endings"] == 1
    text = (root / "content/stories/ford.md").read_text(encoding="utf-8")
    assert "The river runs fast and grey\\." in text          # one paragraph, as SugarCube shows it
    assert re.search(r'- \[Pay the ferryman\]\(#bank\)\{if="coins >= 2" do="coins -= 2"\}', text), text
    assert "- [Swim](#bank)" in text
    assert "```imported" not in text
    assert foundry("check", "--project", str(root)).code == 0
