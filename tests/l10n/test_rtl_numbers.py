"""A negative number in a sentence of a right-to-left language: the Arabic story page
said "أكثر من −1.5" for `coins > -1.5`, and the minus, a neutral character between an
Arabic word and a number, took the sentence's direction: Chromium drew it right of
the digits (1.5−), and the EPUB's and PDF's gamebooks said the same sentence. CLDR
writes Arabic's minus with Latin digits after a LEFT-TO-RIGHT MARK; the sentences do
now (books/words.py `signed`), in every output that says them."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from support import ROOTS, foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
STORY = "content/stories/first-story.md"
CONDITION = 'if="agility >= 12 and coins > -1.5"'


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    root = tmp_path_factory.mktemp("rtl-numbers") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    assert 'if="agility >= 12"' in text
    story.write_text(text.replace('if="agility >= 12"', CONDITION), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    run = foundry("build", "--only", "html,epub", "--project", str(root), env=EPOCH)
    assert run.code == 0, run.stderr[-3000:]
    return root / "build"


def test_a_negative_number_in_an_arabic_sentence_keeps_its_minus_before_its_digits(browser, arabic):
    tab = browser.new_page(java_script_enabled=False)   # the sentence as the page is read without the player
    try:
        tab.goto((arabic / "site/ar/stories/first-story.html").as_uri())
        places = tab.evaluate("""() => { const out = [];
          const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let t; (t = walk.nextNode());) {
            const i = t.data.indexOf('\\u22121.5');
            if (i < 0) continue;
            const r = document.createRange();
            r.setStart(t, i); r.setEnd(t, i + 1); const minus = r.getBoundingClientRect();
            r.setStart(t, i + 1); r.setEnd(t, i + 2); const digit = r.getBoundingClientRect();
            out.push([getComputedStyle(t.parentElement).direction, minus.left, digit.left]);
          }
          return out; }""")
    finally:
        tab.close()
    assert places and all(direction == "rtl" and minus < digit for direction, minus, digit in places), places


def test_the_arabic_gamebook_says_it_so_and_english_is_as_it_was(arabic):
    with zipfile.ZipFile(arabic / "epub/ar/stories/first-story.epub") as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert text.count("\u22121.5") == text.count("\u200e\u22121.5") > 0   # each one marked
    english = (arabic / "site/stories/first-story.html").read_text(encoding="utf-8")
    assert "more than \u22121.5" in english and "\u200e" not in english
