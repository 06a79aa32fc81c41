"""A negative number in a sentence of a right-to-left language: the Arabic story page
said "أكثر من −1.5" for `coins > -1.5`, and the minus, a neutral character between an
Arabic word and a number, took the sentence's direction: Chromium drew it right of
the digits (1.5−), and the EPUB's and PDF's gamebooks said the same sentence; a derived
stat of -1 read 1- in the hero page's table and list, the sheet and the compendium;
an attribute of -4 "4-" and its scale "of 10- to 10", inside the lines a template
writes; the story player's state "coins 2-". CLDR writes Arabic's minus with Latin
digits after a LEFT-TO-RIGHT MARK; the sentences do now (books/words.py `signed`), so
does any right-to-left text of a page or a book (books/direction.py `mark_signs`), in
every output, and the player's state (story-player.js `signed`)."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from support import ROOTS, foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
STORY = "content/stories/first-story.md"
CONDITION = 'if="agility >= 12 and coins > -1.5" do="coins = -coins"'
BACKGROUND = "نشأ روك على طريق المستنقع حيث تبلغ الحرارة -5 درجات و*الضباب* يقرر من يصل."
# a line of code in the background, in both languages: copied as it is written
CODE = " Run `git log -5` to see his path."
CODE_AR = " شغّل `git log -5` لترى طريقه، فيكسب +3 خبرة ويخسر -۲ نقطة."


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    root = tmp_path_factory.mktemp("rtl-numbers") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    assert 'if="agility >= 12"' in text
    story.write_text(text.replace('if="agility >= 12"', CONDITION), encoding="utf-8")
    rules = root / "schemas/attributes.yaml"
    text = rules.read_text(encoding="utf-8")
    stat = '  defense: {name: Defense, formula: "10 + agility // 2"}\n'
    assert stat in text
    rules.write_text(text.replace(stat, stat + '  fear: {name: Fear, formula: "(wits - 12) // 2"}\n')
                     .replace("\n# Points", "\n  luck: {name: Luck, min: -10, max: 10, default: 0}\n# Points"),
                     encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert "attributes: {agility: 13, constitution: 10}" in text
    hero.write_text(text.replace("constitution: 10}", "constitution: 10, luck: -4}")
                    .replace("who arrives.", "who arrives." + CODE), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    po = root / "translations/ar/content/heroes/first-hero.yaml.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: ar\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "hero.first-hero.background.p1"\n'
                  f'msgid "Rook grew up on the marsh road, where the *fog* decides who arrives.{CODE}"\n'
                  f'msgstr "{BACKGROUND}{CODE_AR}"\n', encoding="utf-8")
    run = foundry("build", "--only", "html,epub", "--project", str(root), env=EPOCH)
    assert run.code == 0, run.stderr[-3000:]
    return root / "build"


def _minus_and_digit(browser, page, number: str) -> list:
    """(direction, minus's left edge, its first digit's) of each `number` on `page`."""
    tab = browser.new_page(java_script_enabled=False)   # the page as read without the player
    try:
        tab.goto(page.as_uri())
        return tab.evaluate("""(number) => { const out = [];
          const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let t; (t = walk.nextNode());) {
            const i = t.data.indexOf(number);
            if (i < 0 || t.parentElement.closest('script, style')) continue;
            const r = document.createRange();
            r.setStart(t, i); r.setEnd(t, i + 1); const minus = r.getBoundingClientRect();
            r.setStart(t, i + 1); r.setEnd(t, i + 2); const digit = r.getBoundingClientRect();
            out.push([getComputedStyle(t.parentElement).direction, minus.left, digit.left]);
          }
          return out; }""", number)
    finally:
        tab.close()


def test_a_negative_number_in_an_arabic_sentence_keeps_its_minus_before_its_digits(browser, arabic):
    places = _minus_and_digit(browser, arabic / "site/ar/stories/first-story.html", "\u22121.5")
    assert places and all(direction == "rtl" and minus < digit for direction, minus, digit in places), places


def test_a_negative_stat_on_an_arabic_hero_page_keeps_its_minus_before_its_digit(browser, arabic):
    places = _minus_and_digit(browser, arabic / "site/ar/heroes/first-hero.html", "-1")
    assert len(places) >= 2 and all(direction == "rtl" and minus < digit for direction, minus, digit in places), places
    with zipfile.ZipFile(arabic / "epub/ar/compendium.epub") as book:
        chapter = book.read("EPUB/hero-first-hero.xhtml").decode()
    assert chapter.count(">-1<") == 0 and chapter.count(">\u200e-1<") >= 2
    english = (arabic / "site/heroes/first-hero.html").read_text(encoding="utf-8")
    assert "<dd>-1</dd>" in english and "\u200e" not in english


def test_the_arabic_gamebook_says_it_so_and_english_is_as_it_was(arabic):
    with zipfile.ZipFile(arabic / "epub/ar/stories/first-story.epub") as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert text.count("\u22121.5") == text.count("\u200e\u22121.5") > 0   # each one marked
    english = (arabic / "site/stories/first-story.html").read_text(encoding="utf-8")
    assert "more than \u22121.5" in english and "\u200e" not in english


def test_a_negated_value_in_arabic_words_keeps_its_minus_before_them(browser, arabic):
    """`coins = -coins` reads "غيّر coins إلى −رصيدك من coins": the minus of a value in
    words is not a number's, and an LRM before it made its isolate left to right, the
    minus drawn left of (after) the Arabic words and "coins" moved before them."""
    page = arabic / "site/ar/stories/first-story.html"
    assert "\u2212\u0631\u0635\u064a\u062f\u0643" in page.read_text(encoding="utf-8")   # −رصيدك
    tab = browser.new_page(java_script_enabled=False)
    try:
        tab.goto(page.as_uri())
        # (the minus's left edge, the right edge of the Arabic letter after it)
        places = tab.evaluate("""() => { const out = [];
          const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let t; (t = walk.nextNode());) {
            const i = t.data.indexOf('\u2212\u0631');
            if (i < 0 || t.parentElement.closest('script, style')) continue;
            const r = document.createRange();
            r.setStart(t, i); r.setEnd(t, i + 1); const minus = r.getBoundingClientRect();
            r.setStart(t, i + 1); r.setEnd(t, i + 2); const letter = r.getBoundingClientRect();
            out.push([minus.left, letter.right]);
          }
          return out; }""")
    finally:
        tab.close()
    # right to left: the minus, read first, is drawn right of the word it negates
    assert places and all(minus >= letter - 1 for minus, letter in places), places
    with zipfile.ZipFile(arabic / "epub/ar/stories/first-story.epub") as book:
        text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert "\u2212\u0631" in text and "\u200e\u2212\u0631" not in text


def test_a_negative_value_inside_a_line_a_template_writes_keeps_its_minus(browser, arabic):
    """An attribute of -4 on a scale of -10 to 10 (_person.html: a `<span>` before the
    bar, a sentence for screen readers after it) in an Arabic `<dd>`: not a block that
    starts with the number, so it read "4-" on the page, in the compendium and the sheet."""
    page = arabic / "site/ar/heroes/first-hero.html"
    places = _minus_and_digit(browser, page, "-4")
    assert places and all(direction == "rtl" and minus < digit for direction, minus, digit in places), places
    text = page.read_text(encoding="utf-8")
    assert ">\u200e-4<" in text and "\u200e-10 " in text and text.count("viewBox") >= 1   # marked in place
    with zipfile.ZipFile(arabic / "epub/ar/compendium.epub") as book:
        chapter = book.read("EPUB/hero-first-hero.xhtml").decode()
    assert ">\u200e-4<" in chapter and ">\u200e-10" in chapter and ">-4<" not in chapter
    english = (arabic / "site/heroes/first-hero.html").read_text(encoding="utf-8")
    assert '<span class="attr-value">-4</span>' in english and "\u200e" not in english


def test_the_story_players_negative_state_keeps_its_minus_before_its_digit(browser, arabic):
    """`coins = -coins` taken: the player's state list wrote "-2" into an Arabic
    page's `<dd>`, drawn "2-"."""
    tab = browser.new_page()
    try:
        tab.goto((arabic / "site/ar/stories/first-story.html").as_uri())
        tab.locator(".choice a", has_text="Follow the tracks alone").click()
        coins = tab.locator(".player-state dd[data-var=coins]")
        tab.evaluate("() => { document.querySelector('.player-state').open = true; }")
        shown = coins.evaluate("""dd => { const t = dd.firstChild, i = t.data.indexOf('-'), r = document.createRange();
            r.setStart(t, i); r.setEnd(t, i + 1); const minus = r.getBoundingClientRect().left;
            r.setStart(t, i + 1); r.setEnd(t, i + 2);
            return [t.data, getComputedStyle(dd).direction, minus < r.getBoundingClientRect().left]; }""")
    finally:
        tab.close()
    assert shown == ["\u200e-2", "rtl", True], shown


def test_a_line_of_code_in_arabic_text_is_published_as_written(arabic):
    """`git log -5` in an Arabic background: the mark before a number's minus went into
    the code too, on the page and in the compendium, and the command a reader copied
    from either carried it (git: "ambiguous argument"). The sentence's own -5 is marked."""
    page = (arabic / "site/ar/heroes/first-hero.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(arabic / "epub/ar/compendium.epub") as book:
        chapter = book.read("EPUB/hero-first-hero.xhtml").decode()
    for text in (page, chapter):
        assert "<code>git log -5</code>" in text and "\u200e-5 \u062f\u0631\u062c\u0627\u062a" in text


def test_a_plus_before_a_number_in_arabic_text_is_drawn_before_it(browser, arabic):
    """"+3 خبرة" (a writer's, as the credits' "+3" after the names a row shows) was
    drawn "3+": a plus, like a minus, takes the line's direction; CLDR writes both
    signs after a LEFT-TO-RIGHT MARK."""
    page = arabic / "site/ar/heroes/first-hero.html"
    places = _minus_and_digit(browser, page, "+3")
    assert places and all(direction == "rtl" and plus < digit for direction, plus, digit in places), places
    with zipfile.ZipFile(arabic / "epub/ar/compendium.epub") as book:
        assert "\u200e+3 " in book.read("EPUB/hero-first-hero.xhtml").decode()


def test_a_negative_number_in_persian_digits_keeps_its_minus_before_them(browser, arabic):
    """"-۲" (Persian digits, which bidi reads as Latin ones: a Persian translator's) was
    drawn "۲-"; marked as "-2" is."""
    places = _minus_and_digit(browser, arabic / "site/ar/heroes/first-hero.html", "-\u06f2")
    assert places and all(direction == "rtl" and minus < digit for direction, minus, digit in places), places
    with zipfile.ZipFile(arabic / "epub/ar/compendium.epub") as book:
        assert "\u200e-\u06f2 " in book.read("EPUB/hero-first-hero.xhtml").decode()


def test_the_marks_go_into_the_page_where_its_text_is():
    """The site's pages are marked in place (their inline SVG kept as written): each
    LRM goes before the minus the tree marked, not into a tag's `x="-1"`, a style,
    the story's data, a comment or an English line's, and one after a comment too; a
    minus the page writes as a character reference is marked too (the page then
    serialised)."""
    from pipeline.exporters.books.direction import mark_directions_in_place
    page = ('<!DOCTYPE html>\n<html dir="rtl"><head><title>-1</title><style>p{margin:-1px}</style></head><body>'
            '<svg viewBox="0 0 1 1"><rect x="-1"/></svg><p>قيمة <b>-3</b> من -5 إلى 5-3 <span dir="ltr">B -2</span>'
            '<!-- -1 --> -8</p>'
            '<script type="application/json">{"coins": -2}</script><p dir="auto">-7 نص</p></body></html>')
    marked = mark_directions_in_place(page, "rtl")
    assert marked == page.replace("<b>-3", "<b>\u200e-3").replace(" -5", " \u200e-5").replace(" -8", " \u200e-8"), marked
    referenced = mark_directions_in_place(page.replace("-5", "&#8722;5"), "rtl")
    assert "\u200e\u22125" in referenced and "\u200e-3" in referenced


def test_an_attributes_bar_is_filled_along_its_range_in_the_books_as_on_the_page(arabic):
    """(A range with a negative low, as the fixture's luck of -10 to 10.) The books' bar
    was `value / high`: luck -4 wrote `width: -40.0%` (a bar left empty) and 8 on 1–20
    filled 40% where the hero's page fills 37%; both now go along low..high."""
    import re
    page = (arabic / "site/heroes/first-hero.html").read_text(encoding="utf-8")
    on_page = [int(w) for w in re.findall(r'class="attr-bar" aria-hidden="true"><span style="width: (\d+)%', page)]
    with zipfile.ZipFile(arabic / "epub/compendium.epub") as book:
        chapter = book.read("EPUB/hero-first-hero.xhtml").decode()
    in_book = [float(w) for w in re.findall(r'class="fill" style="width: (-?[\d.]+)%', chapter)]
    assert len(on_page) == len(in_book) == 5 and [round(w) for w in in_book] == on_page, (on_page, in_book)
    assert 30.0 in in_book and 36.8 in in_book, in_book   # luck -4 of -10–10; 8 of 1–20


def test_a_negative_number_in_an_arabic_search_result_keeps_its_minus_before_its_digit(browser, arabic):
    """The search page writes its results from the index (search.js): an Arabic
    background's "-5 درجات" was drawn "5-" in the result's text, where the hero's page
    (marked by the build) reads "-5"."""
    page = arabic / "site/ar/heroes/first-hero.html"
    assert "\u200e-5 " in page.read_text(encoding="utf-8")
    tab = browser.new_page()
    try:
        tab.goto((arabic / "site/ar/search.html").as_uri() + "?q=%D8%A7%D9%84%D8%AD%D8%B1%D8%A7%D8%B1%D8%A9")
        text = tab.locator(".result-text").first
        shown = text.evaluate("""p => { const t = p.firstChild, i = t.data.indexOf('-5'), r = document.createRange();
            r.setStart(t, i); r.setEnd(t, i + 1); const minus = r.getBoundingClientRect().left;
            r.setStart(t, i + 1); r.setEnd(t, i + 2);
            return [t.data.slice(i - 1, i + 2), getComputedStyle(p).direction, minus < r.getBoundingClientRect().left]; }""")
    finally:
        tab.close()
    assert shown == ["\u200e-5", "rtl", True], shown
