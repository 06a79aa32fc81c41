"""A book reads `//` out as a division rounded down, in a hero's formulas and in a
gamebook's choices, so a reader computes what the site and `foundry play` compute:
the PDF and EPUB of a project made by `foundry init` said "Defense = 10 + Agility ÷ 2"
for `10 + agility // 2` (Agility 13: a reader's 16.5, the sheet's 16)."""

from __future__ import annotations

import zipfile

from lxml import html

from book_support import EPOCH, ONE_PROCESS, need_poppler, pdftext
from support import foundry

STORY = """---
title: The Toll
status: draft
start: bridge
protagonist: first-hero
variables:
  coins: 5
---

## The Bridge {#bridge}

The troll counts the coins.

- [Pay half](#paid){if="coins // 2 >= 2 and min(coins, 9) + 1 > 3" do="coins = coins // 2"}
- [Turn back](#home)

## Paid {#paid .ending}

Across.

## Home {#home .ending}

Back home.
"""


def _words(text: str) -> str:
    return " ".join(text.split())


def test_rounded_division_reads_as_rounded_down_in_pdf_and_epub(tmp_path):
    need_poppler()
    root = tmp_path / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    (root / "content" / "stories" / "first-story.md").write_text(STORY, encoding="utf-8")
    run = foundry("build", "--only", "pdf,epub", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    build = root / "build"

    sheet = _words(pdftext(build / "pdf" / "heroes" / "first-hero.pdf"))
    assert "Defense = 10 + (Agility ÷ 2 rounded down)" in sheet
    book = _words(pdftext(build / "pdf" / "stories" / "first-story.pdf"))
    assert ("If your coins ÷ 2 rounded down is at least 2 and (the lower of your coins and 9) + 1 is more "
            "than 3: Pay half — change your coins to your coins ÷ 2 rounded down") in book

    with zipfile.ZipFile(build / "epub" / "stories" / "first-story.epub") as epub:
        text = _words(" ".join(html.fromstring(epub.read(name)).text_content() for name in epub.namelist()
                               if name.endswith(".xhtml")))
    assert "your coins ÷ 2 rounded down is at least 2" in text
    assert "change your coins to your coins ÷ 2 rounded down" in text
    assert "your coins ÷ 2 is" not in text
