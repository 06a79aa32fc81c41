"""The search index holds a writer's words as the pages show them. Names and
objectives' text are keywords as written (plain text), a hero's skills by the rule
book's names as her page shows them; only ids (a hero's tags, a skill with no name) are
made readable ('heron-whistle' → 'Heron whistle'). Before, every keyword went
through that id speller: a quest objective 'Reach -> the bank' was indexed as
'Reach  > the bank' and a hero named 'Rook Amsel-Vey' in a story's cast as 'Rook Amsel Vey';
and a skill by its id alone ('Tracking' for a skill her page calls 'Reading signs')."""

from __future__ import annotations

import json
import re

from lxml import html as lxml_html

from support import foundry


def _index(root) -> dict[str, dict]:
    page = lxml_html.parse(str(root / "build/site/search.html")).getroot()
    entries = json.loads(page.get_element_by_id("search-index").text)
    return {entry["id"]: entry for entry in entries}


def test_names_and_objectives_are_keywords_as_written(project_factory):
    root = project_factory({})
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", 'name: "Rook *Amsel*-Vey"'),
                    encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace("text: Reach the far bank",
                                                               'text: "Reach -> the *far_bank* &amp; `x`"'),
                     encoding="utf-8")
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("{name: Tracking,", '{name: "*Reading* signs &amp; `mud`",'),
                      encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    index = _index(root)
    assert index["first-story"]["keywords"] == "Rook Amsel-Vey Old Guide"
    assert index["first-quest"]["keywords"] == "Old Guide Reach -> the far_bank & x"
    # a skill by its name as her page shows it (plain text); the id alone was indexed
    assert index["first-hero"]["keywords"] == "Reading signs & mud Ambush"


def test_a_results_snippet_shows_the_words_found_in_any_script(project_factory, browser):
    """search.js shows the part of an entry's text around the words found. It found
    them in the folded text (NFD, Latin accents gone, lower case) and cut the text at
    that index: NFD makes が two characters and 한 three, so in a Japanese or Korean
    text the index pointed past the words (a Japanese background's snippet was '…',
    empty), and a cut in UTF-16 units could split a character past U+FFFF in two.

    A character as a reader sees it may be several code points: a flag is two regional
    indicators, a family emoji five joined by ZWJ, a Hindi syllable a letter and its
    vowel sign. A cut by code points 60 before the word and 180 on showed half a flag
    (a boxed letter 'E'), a man where a family was, and a vowel sign on a dotted circle;
    the snippet is cut between grapheme clusters (what Intl.Segmenter counts). A Greek
    word's sigma is one letter wherever it stands (σ, ς), as Python's casefold reads it."""
    # the cut 60 characters before the word found falls inside a flag (and in Hindi a
    # syllable), the one 180 on inside a family emoji
    flags = "x" * 10 + "\U0001F1E9\U0001F1EA" + "y" * 59 + " marshfind " + "z" * 108 + \
        "\U0001F468\u200d\U0001F469\u200d\U0001F467 end \u03bf\u03b4\u03cc\u03c3\u03c4\u03c1\u03c9\u03bc\u03b1"
    hindi = "\u0915" * 11 + "\u093f" + "\u0915" * 59 + " \u092e\u093e\u0930\u094d\u0917 \u0915\u093f"
    japanese = "ぎだでどばびぶべぼ" * 20 + "𠮷田は沼地で育った。"
    korean = "한국어로 쓴 문장입니다. " * 20 + "마지막 등대가 보인다."
    root = project_factory({})
    for rel, text in (("content/heroes/first-hero.yaml", japanese), ("content/characters/old-guide.yaml", korean)):
        path = root / rel
        written = path.read_text(encoding="utf-8")
        path.write_text(written[:written.index("background:")] + f"background: |\n  {text}\n", encoding="utf-8")
    for rel, text in (("content/quests/first-quest.yaml", flags), ("content/stories/first-story.md", hindi)):
        path = root / rel
        written = path.read_text(encoding="utf-8")
        path.write_text(written.replace(re.search(r"summary: .*", written).group(0), f'summary: "{text}"'),
                        encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    tab = browser.new_page()
    try:
        for query, words, href in (("沼地", "𠮷田は沼地で育った。", "first-hero.html"), ("등대", "마지막 등대가", "old-guide.html")):
            tab.goto((root / "build/site/search.html").as_uri() + f"?q={query}")
            shown = tab.locator("#search-results li.result", has=tab.locator(f"a[href$='{href}']")).locator(".result-text")
            text = shown.inner_text()
            assert words in text and "\ufffd" not in text, (query, text)
        for query, href in (("marshfind", "first-quest.html"), ("\u092e\u093e\u0930\u094d\u0917", "first-story.html")):
            tab.goto((root / "build/site/search.html").as_uri() + f"?q={query}")
            shown = tab.locator("#search-results li.result", has=tab.locator(f"a[href$='{href}']")).locator(".result-text")
            text = shown.inner_text()
            assert query in text and text.startswith("…"), (query, text)
            # every character shown is one of the text's, whole: none cut in two
            whole = _index(root)[href[:-5]]["text"]
            cut = tab.evaluate("""([shown, whole]) => {
                const parts = t => Array.from(new Intl.Segmenter("en", {granularity: "grapheme"}).segment(t), s => s.segment);
                const own = new Set(parts(whole));
                return parts(shown.replace(/^…|…$/g, "")).filter(g => !own.has(g));
            }""", [text, whole])
            assert cut == [], (query, cut, text)
        # a Greek word typed in capitals ends in Σ, which lower-cases to the final ς: the
        # start of 'οδόστρωμα' (its σ inside the word) was never found by ΟΔΟΣ
        tab.goto((root / "build/site/search.html").as_uri() + "?q=\u039f\u0394\u039f\u03a3")
        assert tab.locator("#search-results li.result a[href$='first-quest.html']").count() == 1
    finally:
        tab.close()


def test_a_word_is_found_whatever_invisible_or_compatibility_characters_it_is_written_with(project_factory, browser):
    """search.js folded text by NFD and split words at anything not a letter, number or
    mark: a title written with the ligature ﬁ ('Road of ﬁre', as text pasted from a
    typeset PDF holds it) was not found by 'fire', a word with soft hyphens
    ('lan\\u00adtern', as a writer marks where it may break) was two words to every query,
    a Persian word with its ZWNJ ('می\\u200cخواهم') was not found as typed without one, nor
    a word typed in full-width letters (an IME's 'ＬＡＮＴＥＲＮ') at all. Each is found now,
    as a reader reads the word, and its result's snippet is cut where the word is."""
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road", "title: Road of \ufb01re"),
                     encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    written = hero.read_text(encoding="utf-8")
    hero.write_text(written[:written.index("background:")] + "background: |\n  " + "Fog. " * 30
                    + "A green lan\u00adtern hangs by the door. \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645\n",
                    encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    tab = browser.new_page()
    try:
        found = {}
        for query in ("fire", "lantern", "\uff2c\uff21\uff2e\uff34\uff25\uff32\uff2e",
                      "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645", "green"):
            tab.goto((root / "build/site/search.html").as_uri() + f"?q={query}")
            links = tab.locator("#search-results li.result a")
            found[query] = [links.nth(i).get_attribute("href").rsplit("/", 1)[-1] for i in range(links.count())]
            if query == "lantern" and found[query]:   # the snippet is cut around the word, not at the text's start
                text = tab.locator("#search-results li.result .result-text").first.inner_text()
                assert text.startswith("…") and "lan\u00adtern" in text, text
        assert found == {"fire": ["first-story.html"], "lantern": ["first-hero.html"],
                         "\uff2c\uff21\uff2e\uff34\uff25\uff32\uff2e": ["first-hero.html"],
                         "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645": ["first-hero.html"],
                         "green": ["first-hero.html"]}, found
    finally:
        tab.close()


def test_a_word_is_found_as_a_reader_types_it_without_its_optional_marks(project_factory, browser):
    """Arabic and Hebrew are written with or without their vowel points (harakat,
    niqqud), and a reader types without them; a German 'ß' is 'ss' on a keyboard without
    one (and in capitals), a Turkish dotless 'ı' an 'i' on one without Turkish letters.
    search.js folded Latin accents only: 'محمد' did not find 'مُحَمَّد', 'שלום' not 'שָׁלוֹם',
    'strasse' not 'Straße', 'isik' not 'ışık', nor a word stretched with tatweel
    ('مـدينة'). Each is found, and its snippet is cut where the word is."""
    root = project_factory({})
    hero = root / "content/heroes/first-hero.yaml"
    written = hero.read_text(encoding="utf-8")
    hero.write_text(written[:written.index("background:")] + "background: |\n  " + "Fog. " * 30
                    + "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f and \u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd"
                    + " by the Gro\u00dfe Stra\u00dfe, a \u0131\u015f\u0131k in the \u0645\u0640\u062f\u064a\u0646\u0629.\n",
                    encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    tab = browser.new_page()
    try:
        found = {}
        for query in ("\u0645\u062d\u0645\u062f", "\u05e9\u05dc\u05d5\u05dd", "strasse", "GROSSE", "isik",
                      "\u0645\u062f\u064a\u0646\u0629"):
            tab.goto((root / "build/site/search.html").as_uri() + f"?q={query}")
            links = tab.locator("#search-results li.result a")
            found[query] = [links.nth(i).get_attribute("href").rsplit("/", 1)[-1] for i in range(links.count())]
            if found[query]:   # the snippet is cut around the word (30 "Fog. " before it), not at the text's start
                text = tab.locator("#search-results li.result .result-text").first.inner_text()
                assert text.startswith("…") and "\u0645\u064f\u062d\u064e\u0645\u0651\u064e\u062f" in text, (query, text)
        assert found == {query: ["first-hero.html"] for query in found}, found
    finally:
        tab.close()


def test_a_latin_letter_with_a_stroke_is_found_as_typed_without_it(project_factory, browser):
    """NFKD takes an accent off a letter, not a stroke or a ligature: "oyvind" did not
    find "Øyvind", nor "lodz" "Łódź", "dorde" "Đorđe", "aegir" "Ægir", "thor" "Þór",
    while "ake" found "Åke". Each is found now, and so is each name as written."""
    names = {"oyvind": "Øyvind Berg", "lucja": "Łucja Łódź", "dorde": "Đorđe Ilić", "aegir": "Ægir Þórsson"}
    root = project_factory({f"content/characters/{cid}.yaml": f"name: {name}\nrole: Guard\nstatus: draft\n"
                            for cid, name in names.items()})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    tab = browser.new_page()
    try:
        found = {}
        for query in ("oyvind", "lodz", "dorde", "aegir", "thorsson", "Øyvind", "Łódź"):
            tab.goto((root / "build/site/search.html").as_uri() + f"?q={query}")
            tab.wait_for_selector("#search-status:not(:empty)")
            found[query] = tab.locator("#search-results .result-title").all_inner_texts()
        assert found == {"oyvind": ["Øyvind Berg"], "lodz": ["Łucja Łódź"], "dorde": ["Đorđe Ilić"],
                         "aegir": ["Ægir Þórsson"], "thorsson": ["Ægir Þórsson"], "Øyvind": ["Øyvind Berg"],
                         "Łódź": ["Łucja Łódź"]}, found
    finally:
        tab.close()
