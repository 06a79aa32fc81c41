"""The gamebook's "how to read" page counts its sections and endings in the book's
language's plural forms: a one-section book said "It is made of 1 numbered sections"
and "one of 1 endings" (in German "aus 1 nummerierten Abschnitten"), the theme's
sentence written for many only. Read from the EPUB, whose page is the PDF's macro."""

from __future__ import annotations

import zipfile

from lxml import html

from book_support import EPOCH
from support import foundry

ONE = """---
title: One Room
status: draft
start: only
protagonist: first-hero
---

## Only {#only .ending}

It ends at once.
"""


def _how_to_read(epub) -> str:
    with zipfile.ZipFile(epub) as book:
        return " ".join(html.fromstring(book.read("EPUB/how-to-read.xhtml")).text_content().split())


def test_one_section_and_one_ending_are_said_in_the_singular(tmp_path):
    root = tmp_path / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["de"]\noutputs = ["epub"]\n',
                    encoding="utf-8")
    (root / "content" / "stories" / "one.md").write_text(ONE, encoding="utf-8")
    run = foundry("build", "--only", "epub", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert run.code == 0, run.stdout + run.stderr
    one, many = (_how_to_read(root / "build/epub/stories" / f"{s}.epub") for s in ("one", "first-story"))
    assert "made of 1 numbered section." in one and "the story's one ending" in one, one
    assert "made of 5 numbered sections." in many and "one of 2 endings" in many, many
    german = _how_to_read(root / "build/epub/de/stories/one.epub")
    assert "aus 1 nummerierten Abschnitt." in german and "das einzige Ende" in german, german
