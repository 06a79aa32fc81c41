"""The site's search in scripts written without spaces, in a real Chromium: a word of
a Japanese or Thai sentence is found wherever it stands in it, and a Devanagari word
is one word (its vowel signs are marks, not breaks). Before, "沼地" in
"花子は霧の沼地で育った。" and "渡し守" in the title "霧の渡し守" found nothing: the
index splits text at non-letters and matched a query only at a word's start, and in
these scripts a whole phrase is one such word."""

from __future__ import annotations

from support import foundry

HANAKO = """
name: 山田花子
title: 霧の渡し守
status: draft
background: |
  花子は霧の沼地で育った。ถนนในหมอกยาวมาก
"""
ASHA = """
name: Asha
title: स्काउट नायिका
status: draft
"""


def test_a_word_inside_a_japanese_or_thai_phrase_is_found(project_factory, browser):
    root = project_factory({"content/heroes/hanako.yaml": HANAKO, "content/heroes/asha.yaml": ASHA})
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-1500:]
    search = (root / "build/site/search.html").as_uri()
    tab = browser.new_page()
    try:
        for query, name in (("沼地", "山田花子"), ("渡し守", "山田花子"), ("花子", "山田花子"), ("หมอก", "山田花子"),
                            ("स्काउट", "Asha"), ("Rook", "Rook Amsel")):
            tab.goto(f"{search}?q={query}")
            tab.wait_for_selector("#search-status:not(:empty)")
            titles = tab.locator("#search-results .result-title").all_inner_texts()
            assert titles and titles[0] == name, (query, titles, tab.locator("#search-status").inner_text())
        # a Latin query still matches at a word's start only, as before
        tab.goto(f"{search}?q=ook")
        tab.wait_for_selector("#search-status:not(:empty)")
        assert tab.locator("#search-results .result-title").all_inner_texts() == []
    finally:
        tab.close()
