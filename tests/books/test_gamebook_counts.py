"""The gamebook's "how to read" page counts its sections and endings in the book's
language's plural forms: a one-section book said "It is made of 1 numbered sections"
and "one of 1 endings" (in German "aus 1 nummerierten Abschnitten"), the theme's
sentence written for many only. Read from the EPUB, whose page is the PDF's macro.
The same kind elsewhere: the compendium's story length ("1 sections, 1 endings, about 1
minutes to read" for a one-scene story, "about 1 minutes" for every short one), the
site's relationship page ("2 people, 1 bonds" in every new project) and a story's
"1 scenes" on its page, its card, its search entry and its map ("1 scenes in 1 rows")."""

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
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[l10n]\nlanguages = ["de", "ar"]\noutputs = ["epub"]\n',
                    encoding="utf-8")
    (root / "content" / "stories" / "one.md").write_text(ONE, encoding="utf-8")
    run = foundry("build", "--only", "epub,html", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH})
    assert run.code == 0, run.stdout + run.stderr
    one, many = (_how_to_read(root / "build/epub/stories" / f"{s}.epub") for s in ("one", "first-story"))
    assert "made of 1 numbered section." in one and "the story's one ending" in one, one
    assert "made of 5 numbered sections." in many and "one of 2 endings" in many, many
    german = _how_to_read(root / "build/epub/de/stories/one.epub")
    assert "aus 1 nummerierten Abschnitt." in german and "das einzige Ende" in german, german

    def lengths(epub) -> list[str]:
        with zipfile.ZipFile(epub) as book:
            return [" ".join(dd.text_content().split())
                    for dd in html.fromstring(book.read("EPUB/stories.xhtml")).iter("dd")]
    assert {"5 sections, 2 endings, about 1 minute to read", "1 section, 1 ending, about 1 minute to read"} \
        <= set(lengths(root / "build/epub/compendium.epub"))
    assert "1 Abschnitt, 1 Ende, etwa 1 Minute Lesezeit" in lengths(root / "build/epub/de/compendium.epub")
    assert "5 مقاطع، 2 نهايتان، نحو 1 دقيقة قراءة" in lengths(root / "build/epub/ar/compendium.epub")   # few, two, one

    site = root / "build/site"
    def text(page: str, xpath: str) -> list[str]:
        return [" ".join(e.text_content().split()) for e in html.fromstring((site / page).read_bytes()).xpath(xpath)]
    assert text("relationships.html", "//p[@class='lede']")[0].startswith("2 people, 1 bond:")
    assert "1 scene" in text("stories/one.html", "//ul[@class='facts']/li")
    story_map = html.fromstring((site / "stories/one.html").read_bytes()).xpath("//*[@aria-label]/@aria-label")
    assert any(": 1 scene in 1 row, 1 ending, starting at " in label for label in story_map), story_map
    assert "1 scene" in text("stories/index.html", "//span")
    assert '"1 scene"' in (site / "search.html").read_text(encoding="utf-8")
