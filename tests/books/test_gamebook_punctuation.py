"""A gamebook choice's "lose 2 coins, then turn to 3" is punctuated in the book's
language: the comma before "then" is the theme's list separator (Arabic "،"), as in
every other list the books write. It was an ASCII comma typed into the print theme's
template: "اخسر 2 coins, ثم" in an Arabic book."""

from __future__ import annotations

import zipfile

from lxml import html

from book_support import EPOCH
from support import foundry

STORY = """---
title: طريق الضباب
status: draft
start: road
protagonist: first-hero
variables:
  coins: 2
---

## طريق الضباب {#road}

يأتي الضباب من المستنقع.

- [ادفع للدليل](#bank){if="coins >= 2" do="coins -= 2"}
- [انتظر](#wait)

## الانتظار {#wait .ending}

لا يرتفع الضباب أبدًا.

## الضفة البعيدة {#bank .ending}

أرض جافة أخيرًا.
"""


def test_the_comma_before_then_is_the_books_language(tmp_path):
    root = tmp_path / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ar"'), encoding="utf-8")
    (root / "content" / "stories" / "first-story.md").write_text(STORY, encoding="utf-8")
    run = foundry("build", "--only", "epub", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert run.code == 0, run.stdout + run.stderr
    with zipfile.ZipFile(root / "build" / "epub" / "stories" / "first-story.epub") as epub:
        turns = [" ".join(span.text_content().split()) for name in epub.namelist() if name.endswith(".xhtml")
                 for span in html.fromstring(epub.read(name)).find_class("then")]
    paid = [t for t in turns if "coins" in t]
    assert paid and all("، ثم" in t and ", " not in t for t in paid), turns
