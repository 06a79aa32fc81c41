"""The theme writes lists and its own words in the page's language: names joined by
the language's list separator (Arabic "،"), the credits page's "Written by …" and a
quest's or hero's "50 XP" from the catalogs. The templates had ", " typed in (author lists, a hero's skills and items
in the books, a story's cast, a quest's rewards) and the credits page's sentence in
English: an Arabic site said "Written by Noor Haddad, Seed … — from the history of this
world's repository."."""

from __future__ import annotations

import os
import subprocess
import zipfile

from lxml import html

from support import foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def test_lists_and_the_credits_sentence_are_in_the_pages_language(tmp_path):
    root = tmp_path / "world"
    assert foundry("init", str(root)).code == 0   # a git repository with a first commit
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('language = "en"', 'language = "ar"'), encoding="utf-8")
    with open(root / "content" / "heroes" / "first-hero.yaml", "a", encoding="utf-8") as hero:
        hero.write("items: [lantern, rope]\n")
    subprocess.run(["git", "-c", "user.name=Noor Haddad", "-c", "user.email=noor@example.com", "commit", "-qam", "ar"],
                   cwd=root, check=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    run = foundry("build", "--only", "html,epub", "--project", str(root), env=EPOCH)
    assert run.code == 0, run.stdout + run.stderr

    credits = html.parse(str(root / "build/site/credits.html"))
    lede = " ".join(credits.find(".//p[@class='lede']").text_content().split())
    assert lede.startswith("كتبها ") and "، " in lede and "Noor Haddad" in lede, lede
    assert "Written by" not in lede and ", " not in lede
    rows = [" ".join(td.text_content().split()) for td in credits.iter("td") if "Noor Haddad" in td.text_content()]
    assert rows and all(", " not in r for r in rows), rows

    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as epub:
        sheet = " ".join(html.fromstring(epub.read("EPUB/adventure-sheet.xhtml")).text_content().split())
    assert "Lantern، Rope" in sheet and "Tracking، Ambush" in sheet, sheet

    # experience points, which the cards already said in the page's words
    quest = " ".join(html.parse(str(root / "build/site/quests/first-quest.html")).getroot().text_content().split())
    assert "50 نقطة خبرة" in quest and "XP" not in quest, quest
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as epub:
        books = " ".join(html.fromstring(epub.read(name)).text_content() for name in epub.namelist()
                         if name.endswith(".xhtml"))
    assert "120 نقطة خبرة" in books and "50 نقطة خبرة" in books and " XP" not in books
