"""Every output in every language (docs/localization.md, "Outputs per language"):
a small project translated into German (one paragraph left untranslated), Arabic
(right to left) and Japanese (CJK), built once, and each output opened with the
tool a reader or a checker would use: the site in Chromium, the EPUBs in epubcheck
and DAISY Ace, the gamebooks through pdftotext."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import polib
import pytest
from lxml import etree, html as lxml_html

from support import REPO, ROOTS, diagnostics, epubcheck_many, foundry, require_tool

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000", "FOUNDRY_JOBS": "2"}
STORY = "content/stories/first-story.md"
LANGUAGES = ("de", "ar", "ja")
# The one paragraph German leaves untranslated: it must show in English, marked.
UNTRANSLATED = "The lantern bobs ahead."
ARABIC = "طريق الضباب"         # "the fog road"
JAPANESE = "霧の道"             # "the fog road"
# The single lines Japanese leaves untranslated: a scene heading and a choice.
JAPANESE_UNTRANSLATED = ("story.first-story.scene.lantern", "story.first-story.choice.road--lantern")
ACE = REPO / "node_modules/@daisy/ace/bin/ace-puppeteer.js"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def _translate(root: Path, language: str, word: str, skip: str | None = None, skip_ids: tuple = ()) -> None:
    """A translator's tool (polib, not the writer foundry uses) fills every entry:
    markup is kept as it is (the markup check would refuse a translation that broke
    it), other lines get `word` in front, so a test can tell the languages apart."""
    for path in (root / "translations" / language).rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if (skip and entry.msgid.startswith(skip)) or entry.msgctxt in skip_ids:
                continue
            entry.msgstr = f"{word} {entry.msgid}"
        po.save()


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("l10n-outputs") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar", "ja", "en-XA"]\n')
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate(root, "de", "DE", skip=UNTRANSLATED)
    _translate(root, "ar", ARABIC)
    _translate(root, "ja", JAPANESE, skip_ids=JAPANESE_UNTRANSLATED)
    return root


@pytest.fixture(scope="module")
def built(project) -> dict:
    """The project built (html, json, pdf, epub): its build report, with what either of
    its two runs said. The PDFs come first, without the compendium PDF no test reads
    (~0.7 CPU-s of layout a language; its EPUB, which they read, is made by the second
    run, with the project's own foundry.toml, the last build the later tests build on)."""
    reports = [_built_without_the_compendium_pdf(project, "pdf")]
    run = foundry("build", "--project", str(project), "--only", "html,json,epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    report = run.json()
    report["diagnostics"] += [d for d in reports[0]["diagnostics"] if d not in report["diagnostics"]]
    return report


def _built_without_the_compendium_pdf(root: Path, only: str) -> dict:
    """`foundry build --only <only>` of `root` with `[print] compendium = false` for that
    run (foundry.toml as it was after): its JSON report."""
    toml = root / "foundry.toml"
    before = toml.read_text(encoding="utf-8")
    toml.write_text(before + "\n[print]\ncompendium = false\n", encoding="utf-8")
    try:
        run = foundry("build", "--project", str(root), "--only", only, "--format", "json", env=EPOCH)
    finally:
        toml.write_text(before, encoding="utf-8")
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    return run.json()


def _page(project: Path, path: str):
    return lxml_html.fromstring((project / "build" / path).read_bytes())


def test_one_tree_every_language_and_the_pseudo_locale_only_when_asked(project, built):
    site = project / "build" / "site"
    base = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] not in LANGUAGES)
    for language in ("de", "ar", "ja"):
        here = sorted(p.relative_to(site / language).as_posix() for p in (site / language).rglob("*.html"))
        assert here == [p for p in base if p != "404.html"]   # one 404 page, at the root
    assert not (site / "en-XA").exists()          # a pseudo-locale is a test, built only with build_pseudo
    for output, name in (("pdf", "stories/first-story.pdf"), ("epub", "stories/first-story.epub")):
        assert all((project / "build" / output / lang / name).is_file() for lang in ("de", "ar", "ja"))
    # A single copy of what every language shares.
    assert not (site / "de" / "assets").exists() and (site / "assets" / "site.css").is_file()


def test_lang_dir_alternates_and_fallback_marked_on_every_page(project, built):
    site = project / "build" / "site"
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        language = rel.split("/")[0] if rel.split("/")[0] in LANGUAGES else "en"
        page = lxml_html.fromstring(path.read_bytes())
        assert page.get("lang") == language, rel
        assert page.get("dir") == ("rtl" if language == "ar" else "ltr"), rel
        if rel == "404.html":
            continue
        alternates = {a.get("hreflang"): a.get("href") for a in page.xpath("//head/link[@rel='alternate']")}
        base_rel = rel if language == "en" else rel.split("/", 1)[1]
        assert alternates == {"en": f"/{base_rel}", "x-default": f"/{base_rel}",
                              **{lang: f"/{lang}/{base_rel}" for lang in LANGUAGES}}, rel
        switcher = page.xpath("//nav[@class='language-switcher']//a")
        assert [a.get("lang") for a in switcher] == ["en", *LANGUAGES]
        assert [a.get("lang") for a in switcher if a.get("aria-current")] == [language]
    story = _page(project, "site/de/stories/first-story.html")
    fallback = story.xpath("//*[contains(@class, 'l10n-fallback')]")
    assert [(p.get("lang"), p.text_content().strip()[:len(UNTRANSLATED)]) for p in fallback] == [("en", UNTRANSLATED)]
    assert story.xpath("//h1")[0].text_content().strip().startswith("DE ")
    arabic = _page(project, "site/ar/stories/first-story.html")
    assert ARABIC in arabic.xpath("//h1")[0].text_content() and not arabic.xpath("//*[contains(@class, 'l10n-fallback')]")
    counts = built["build"]["counts"]
    assert (counts["fallback:de"], counts["fallback:ar"], counts["fallback:ja"]) == (1, 0, 2)
    assert counts["lines:de"] == counts["lines:ar"] > counts["fallback:de"]


def test_switcher_search_and_rtl_in_chromium(project, built, browser):
    site = project / "build" / "site"
    tab = browser.new_page()
    try:
        tab.goto((site / "stories" / "first-story.html").as_uri())
        tab.locator(".language-switcher a[hreflang='de']").click()
        tab.wait_for_url("**/site/de/stories/first-story.html")
        assert tab.evaluate("document.documentElement.lang") == "de"
        assert tab.locator("h1").inner_text().startswith("DE ")
        # Search in German, from the header of a German page: German results, German pages.
        tab.fill("#header-q", "Rook")
        tab.press("#header-q", "Enter")
        tab.wait_for_url("**/site/de/search.html?q=Rook")
        first = tab.locator("#search-results .result-title").first
        assert first.inner_text().startswith("DE ")
        first.click()
        tab.wait_for_url("**/site/de/heroes/first-hero.html")
        # Arabic: laid out right to left — the switcher's first language is at the right.
        tab.locator(".language-switcher a[hreflang='ar']").click()
        tab.wait_for_url("**/site/ar/heroes/first-hero.html")
        assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
        boxes = tab.locator(".language-switcher a").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect().left)")
        assert boxes == sorted(boxes, reverse=True)
        tab.goto((site / "ar" / "search.html").as_uri() + "?q=" + ARABIC.split()[0])
        assert ARABIC in tab.locator("#search-results .result-title").first.inner_text()
        # The switcher and the marks keep the pages accessible (axe, as the site's own tests run it).
        require_tool(AXE.is_file(), "axe-core (npm ci at the repository root)")
        for path in ("ar/stories/first-story.html", "de/stories/first-story.html"):
            tab.goto((site / path).as_uri())
            # the scenes rise in (story.css, 0.35 s): axe measured contrast mid-fade, at partial
            # opacity, on a loaded machine; check what the reader sees once it has settled
            tab.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")
            tab.add_script_tag(path=str(AXE))
            result = tab.evaluate("axe.run(document, {resultTypes: ['violations']})")
            serious = [f"{v['id']}: {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]
                       if v["impact"] in ("serious", "critical")]
            assert not serious, (path, serious)
    finally:
        tab.close()


def test_the_players_path_keeps_a_choice_shown_in_the_base_language_marked(project, built, browser):
    """The Japanese page leaves one choice in English, marked; once taken, the player
    wrote it into "your path so far" as plain text, without its language."""
    tab = browser.new_page()
    try:
        tab.goto((project / "build/site/ja/stories/first-story.html").as_uri())
        tab.locator("li[data-choice='road--lantern'] a").click()
        step = tab.locator(".trail li[data-choice='road--lantern']")
        assert step.get_attribute("lang") == "en" and step.get_attribute("class") == "l10n-fallback"
        assert step.inner_text().startswith("Pay the guide")
    finally:
        tab.close()


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_gamebook_same_section_numbers_in_every_language(project, built):
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (Debian poppler-utils)")
    build = project / "build" / "pdf"
    books = {lang: _text(build / lang / "stories/first-story.pdf") for lang in LANGUAGES}
    books["en"] = _text(build / "stories/first-story.pdf")

    def turns(text: str) -> list[str]:   # "turn to 4" in every language: the numbers a reader follows
        return re.findall(r"\b(\d+)\b", text)

    numbers = {lang: turns(text) for lang, text in books.items()}
    assert numbers["de"] == numbers["en"] and numbers["ar"] and numbers["ja"]
    assert "DE The Fog Road" in books["de"] and UNTRANSLATED in books["de"]   # the fallback still prints
    assert ARABIC.split()[0] in books["ar"]
    assert JAPANESE in books["ja"]
    # No tofu: every character had a font (HF0741 otherwise).
    assert not [d for d in built["diagnostics"] if d["code"] == "HF0741"]


def test_translated_epubs_pass_epubcheck_and_ace(project, built, epubchecked, tmp_path):
    books = [project / "build" / "epub" / lang / "stories/first-story.epub" for lang in ("de", "ar")]
    for book in books:
        status, said = epubchecked[book]
        assert status == 0, said[-3000:]
    require_tool(ACE.is_file() and CHROMIUM.is_file() and bool(shutil.which("node")),
                 "DAISY Ace (npm @daisy/ace), node and chromium")
    # Ace (a headless Chromium, ~25 s a book) on the Arabic book: right to left, a script
    # of its own; epubcheck reads both (the German one is made by the same template)
    for book in books[1:]:
        out = tmp_path / book.parent.parent.name
        subprocess.run(["node", str(ACE), "--silent", "--force", "--outdir", str(out), str(book)],
                       capture_output=True, text=True, timeout=600,
                       env={**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM)})
        report = json.loads((out / "report.json").read_text())
        violations = [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']}"
                      for a in report["assertions"] for b in a["assertions"]]
        assert violations == [] and report["earl:result"]["earl:outcome"] == "pass", violations
    with zipfile.ZipFile(books[1]) as book:   # the Arabic book: its language and direction in the package
        opf = next(name for name in book.namelist() if name.endswith(".opf"))
        package = book.read(opf).decode()
    assert 'xml:lang="ar"' in package and 'dir="rtl"' in package and 'page-progression-direction="rtl"' in package


def test_release_can_require_every_line_translated(project, built):
    toml = project / "foundry.toml"
    files = [toml, *(project / "content").rglob("*.*")]
    before = {path: path.read_text() for path in files}
    try:
        toml.write_text(before[toml].replace("[l10n]\n", "[l10n]\nrelease_requires_complete = true\n"))
        for path in files[1:]:   # a release publishes published entities only
            path.write_text(before[path].replace("status: draft", "status: published"))
        run = foundry("check", "--project", str(project), "--release", "--format", "json")
        found = [d for d in diagnostics(run) if d.startswith("HF1120")]
        # German (one paragraph) and Japanese (a heading and a choice); Arabic is complete
        assert found == ["HF1120 foundry.toml:12:1"] * 2 and run.code == 1
        assert sorted(d["message"].split(":")[0] for d in run.json()["diagnostics"] if d["code"] == "HF1120") \
            == ["de", "ja"]
        assert not [d for d in diagnostics(foundry("check", "--project", str(project), "--format", "json"))
                    if d.startswith("HF1120")]   # only a release asks
    finally:
        for path, text in before.items():
            path.write_text(text)


def test_a_translation_edit_rebuilds_that_language_only(project, built):
    """Translating a hero's name again re-renders the German pages that show her, and
    nothing in another language; a second build writes nothing."""
    po_path = project / "translations/de/content/heroes/first-hero.yaml.po"
    before = po_path.read_text(encoding="utf-8")
    try:
        po = polib.pofile(str(po_path))
        po.find("hero.first-hero.name", by="msgctxt").msgstr = "Rook Amsel (Deutsch)"
        po.save()
        run = foundry("build", "--project", str(project), "--only", "html", "--format", "json", env=EPOCH)
        assert run.code == 0, run.stderr[-2000:]
        written = run.json()["build"]["written"]
        assert "site/de/heroes/first-hero.html" in written
        assert all(path.startswith("site/de/") for path in written), written
        assert "Rook Amsel (Deutsch)" in (project / "build/site/de/heroes/first-hero.html").read_text(encoding="utf-8")
        again = foundry("build", "--project", str(project), "--only", "html", "--format", "json", env=EPOCH)
        assert again.json()["build"]["written"] == []
    finally:
        po_path.write_text(before, encoding="utf-8")


def test_a_language_folder_the_site_already_has_is_refused(project_factory):
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["api", "de"]\n')   # Apiaká: valid BCP 47, and site/api/ is the JSON API
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in diagnostics(run) if d.startswith("HF112")] == ["HF1121 foundry.toml:12:14"]
    assert run.code == 1


def test_a_language_tagged_like_the_default_hreflang_is_refused(project_factory):
    """`x-default` is a valid private-use tag, and the hreflang every page gives its
    base-language version: listed as a language, check and build were clean and every
    page announced two defaults, `hreflang="x-default"` to itself and to
    x-default/index.html (found probing tags the outputs already use)."""
    root = project_factory()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "X-Default"]\n')
    for verb in (("check",), ("build", "--only", "html")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1121"]
        assert [(d["file"], d["line"], d["column"]) for d in said] == [("foundry.toml", 12, 20)], run.stdout
        assert 'hreflang="x-default"' in said[0]["message"] and run.code == 1
    assert not (root / "build/site/index.html").exists()


# --- the theme's own words (docs/localization.md, "The theme's own words") -----------------

NAV_EN = ["Heroes", "Characters", "Stories", "Quests", "Relationships"]


def _nav(page) -> list[str]:
    return [a.text_content() for a in page.xpath("//nav[@class='site-nav']//a")]


def test_theme_words_in_each_language_english_where_the_theme_has_none(project, built):
    """German and Arabic from the default theme's catalogs; Japanese, which it has no
    catalog for, English and one HF1140; English pages as they always were."""
    en, de, ar, ja = (_page(project, f"site/{p}stories/first-story.html") for p in ("", "de/", "ar/", "ja/"))
    assert _nav(en) == _nav(ja) == NAV_EN
    assert _nav(de) == ["Helden", "Figuren", "Geschichten", "Aufträge", "Beziehungen"]
    assert _nav(ar) == ["الأبطال", "الشخصيات", "القصص", "المهام", "العلاقات"]
    assert de.xpath("//input[@id='header-q']/@placeholder") == ["Die Küste durchsuchen"]
    assert de.xpath("//nav[@class='language-switcher']/@aria-label") == ["Sprache"]
    assert "Von vorn beginnen" in [b.text_content() for b in de.xpath("//div[@class='player-bar']//button")]
    assert de.xpath("//a[@class='skip-link']")[0].text_content() == "Zum Inhalt springen"
    # the player's own words, as data for its script (never templated into the script)
    words = json.loads(de.xpath("//script[@id='theme-words']")[0].text)
    assert words == {"dead_end": "Hier lässt sich keine Wahl treffen. Beginne von vorn, um einen anderen Weg zu "
                                 "versuchen.", "play_again": "Noch einmal spielen", "items": "Gegenstände",
                     "none": "keine", "separator": ", "}
    assert not en.xpath("//script[@id='theme-words']") and not ja.xpath("//script[@id='theme-words']")
    # the site's own pages are titled in the page's language
    heroes = _page(project, "site/de/heroes/index.html")
    assert heroes.findtext(".//title").startswith("Helden · ") and heroes.xpath("//h1")[0].text_content() == "Helden"
    search = _page(project, "site/ar/search.html")
    assert search.xpath("//h1")[0].text_content() == "بحث"
    assert "{query}" in json.loads(search.xpath("//script[@id='theme-words']")[0].text)["nothing"]
    # the story map's own words (its scenes' kinds): English in every language's map before
    kinds = {name: [t.text for t in page.xpath("//*[local-name()='text'][@class='map-kind']")]
             for name, page in (("en", en), ("de", de), ("ar", ar))}
    assert kinds == {"en": ["Start", "Ending", "Ending"], "de": ["Anfang", "Ende", "Ende"],
                     "ar": ["البداية", "نهاية", "نهاية"]}, kinds
    missing = [d for d in built["diagnostics"] if d["code"] == "HF1140"]
    assert [(d["severity"], d["file"], d["line"]) for d in missing] == [("info", "foundry.toml", 12)]
    assert "'ja'" in missing[0]["message"] and "locale/ja/LC_MESSAGES/messages.po" in missing[0]["hint"]


def test_theme_words_in_the_translated_books(project, built):
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (Debian poppler-utils)")
    build = project / "build"
    de, en, ja = (_text(build / "pdf" / lang / "stories/first-story.pdf") for lang in ("de", ".", "ja"))
    assert "Wie man dieses Buch liest" in de and "Abenteuerbogen" in de and "weiter bei" in de
    assert "How to read" not in de and "turn to" not in de
    for english in (en, ja):
        assert "How to read this book" in english and "Adventure sheet" in english and "turn to" in english
    with zipfile.ZipFile(build / "epub/de/stories/first-story.epub") as book:
        nav = next(book.read(n).decode() for n in book.namelist() if n.endswith("nav.xhtml"))
        how = next(book.read(n).decode() for n in book.namelist() if n.endswith("how-to-read.xhtml"))
    assert "Titelseite" in nav and "Abschnitt 1" in nav and "Abschnitte" in nav and "Section" not in nav
    assert "Wie man dieses Buch liest" in how
    # the PDF's bookmarks name each section in the book's language too (gamebook.css wrote
    # "Section " before the number: 'Section 1' in the outline of every German gamebook)
    for language, word, other in (("de", "Abschnitt", "Section"), (".", "Section", "Abschnitt")):
        with pikepdf.open(build / "pdf" / language / "stories/first-story.pdf") as pdf, pdf.open_outline() as outline:
            marks = [item.title for item in outline.root]
        assert f"{word} 1" in marks and not any(m.startswith(other) for m in marks), (language, marks)


def test_every_fixed_word_a_reader_sees_is_the_books_language(project, built):
    """The words no translator writes — the EPUB's cover page (ebooklib's "Cover", its
    title and its image's text alternative), the hero sheet's "Notes", the quest page's
    "done when" and its requirement — come from the theme's catalog too: they were
    English in every German and Arabic book and page. The requirement was shown as code
    (`level >= 1`, a label "Needs" before it) on the quest page in every language, while
    the books said it in words: the page says what the books say now."""
    build = project / "build"
    for language, word in (("de", "Umschlag"), ("ar", "الغلاف"), (".", "Cover")):
        for book in ("stories/first-story.epub", "compendium.epub"):
            with zipfile.ZipFile(build / "epub" / language / book) as z:
                cover = etree.fromstring(z.read("EPUB/cover.xhtml"))
            ns = {"x": "http://www.w3.org/1999/xhtml"}
            assert cover.findtext("x:head/x:title", namespaces=ns) == word, (language, book)
            assert cover.find(".//x:img", namespaces=ns).get("alt") == word
    facts = {}
    for language in ("de/", "ar/", ""):
        page = _page(project, f"site/{language}quests/first-quest.html")
        facts[language] = [" ".join(li.text_content().split()) for li in page.iterfind(".//ul[@class='facts']/li")]
        assert not page.xpath(".//ul[@class='facts']//code") and "level >= 1" not in page.text_content(), language
    assert "Nur wenn du mindestens Stufe 1 bist." in facts["de/"], facts
    assert "فقط إذا كنت في المستوى 1 على الأقل." in facts["ar/"], facts
    assert "You are at least level 1." in facts[""], facts
    quest = _page(project, "site/de/quests/first-quest.html").text_content()
    assert "erledigt, wenn" in quest and "done when" not in quest
    assert "done when" in _page(project, "site/quests/first-quest.html").text_content()
    if shutil.which("pdftotext"):
        sheet = _text(build / "pdf/de/heroes/first-hero.pdf")
        assert "notizen" in sheet.casefold() and "notes" not in sheet.casefold()   # set in capitals
    else:
        require_tool(False, "pdftotext (Debian poppler-utils)")


def test_the_player_speaks_the_page_language_in_chromium(project, built, browser):
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        for path, again in (("de/stories/first-story.html", "Noch einmal spielen"),
                            ("stories/first-story.html", "Play again")):
            tab.goto((project / "build/site" / path).as_uri())
            buttons = tab.locator(".scene.ending button")
            assert buttons.count() >= 1 and set(buttons.all_inner_texts()) == {again}
        tab.goto((project / "build/site/de/search.html").as_uri() + "?q=zzzzqqq")
        assert tab.locator("#search-status").inner_text() == "Nichts gefunden für „zzzzqqq“."
        assert errors == []
    finally:
        tab.close()


# --- every fallback marked, down to a single line ------------------------------------------

def _fallbacks(tree) -> list[tuple[str, str, str]]:
    return [(e.tag, e.get("lang"), e.text_content().strip()) for e in tree.xpath("//*[contains(@class, 'l10n-fallback')]")]


def test_every_fallback_is_marked_in_the_site_the_epub_and_the_string_tables(project, built):
    """German misses exactly one paragraph, Japanese one heading and one choice: each
    shows in English, marked with lang and the class where it shows, and nothing else is."""
    ja = _page(project, "site/ja/stories/first-story.html")
    found = _fallbacks(ja)
    # the choice, the heading, and the heading again in the story map (its tooltip and its line)
    assert [(tag, lang) for tag, lang, _ in found] == [("span", "en"), ("span", "en"), ("title", "en"),
                                                       ("tspan", "en")], found
    heading = ja.xpath("//section[@data-scene='lantern']/h2/span[@class='l10n-fallback']")
    choice = ja.xpath("//li[@data-choice='road--lantern']/a/span[@class='l10n-fallback']")
    assert len(heading) == len(choice) == 1 and choice[0].text_content().startswith("Pay the guide")
    assert all(JAPANESE in e.text_content() for e in ja.xpath("//li[@data-choice]/a") if e not in [c.getparent() for c in choice])
    # the same page in German: only the paragraph; in English: no mark at all
    assert [(tag, lang) for tag, lang, _ in _fallbacks(_page(project, "site/de/stories/first-story.html"))] == [("p", "en")]
    assert _fallbacks(_page(project, "site/stories/first-story.html")) == []
    # the EPUB: the German paragraph and the Japanese choice, marked in their sections
    for language, expected in (("de", [("p", "en", UNTRANSLATED)]), ("ja", [("span", "en", "Pay the guide")])):
        with zipfile.ZipFile(project / f"build/epub/{language}/stories/first-story.epub") as book:
            marked = []
            for name in sorted(n for n in book.namelist() if n.endswith(".xhtml")):
                tree = lxml_html.fromstring(book.read(name))
                marked += [(tag, lang, text[:len(expected[0][2])]) for tag, lang, text in _fallbacks(tree)]
        assert marked == expected, (language, marked)
    # the string tables: exactly those lines, flagged
    api = project / "build/api/v1/strings"
    for language, ids in (("de", None), ("ja", set(JAPANESE_UNTRANSLATED)), ("ar", set())):
        rows = json.loads((api / f"{language}.json").read_text())["strings"]
        flagged = {r["id"] for r in rows if r["fallback"]}
        if ids is None:
            assert len(flagged) == 1 and next(r for r in rows if r["fallback"])["text"].startswith(UNTRANSLATED)
        else:
            assert flagged == ids, (language, flagged)


def test_a_story_pages_conditions_and_an_objectives_condition_are_said_as_the_gamebook_says_them(project, built):
    """The story page read without JavaScript printed "only if `coins >= 2`", "then
    `coins -= 2`", and the quest page "done when `crossed`", as code, in every
    language, while the gamebook said them in words. The page says what the gamebook
    says now, in the page's language."""
    def said(page, path):
        return [" ".join(e.text_content().split()) for e in page.xpath(path)]

    condition, effects = "//span[@class='choice-condition']", "//span[@class='choice-effects']"

    for language in ("", "de/", "ar/"):
        story = _page(project, f"site/{language}stories/first-story.html")
        quest = _page(project, f"site/{language}quests/first-quest.html")
        assert not story.xpath(f"{condition}//code | {effects}//code") and not quest.xpath("//main//li//code"), language
        lines = said(story, condition) + said(story, effects)
        assert len(lines) == 5 and not any(code in " ".join(lines) for code in (">=", "-=", "set crossed")), lines
        if language:
            # the gamebook's own sentences, in the EPUB of the same language
            with zipfile.ZipFile(project / "build/epub" / language / "stories/first-story.epub") as book:
                printed = " ".join(" ".join(lxml_html.fromstring(book.read(n)).text_content().split())
                                   for n in book.namelist() if n.endswith(".xhtml"))
            # the words after the page's first ("only if", "then"), less the isolates
            # (U+2066–U+2069) around a value of the other direction, which the page and
            # the book nest as their own sentences do
            unisolated = lambda text: re.sub("[\u2066-\u2069]", "", text).casefold()   # noqa: E731
            for line in lines:
                assert unisolated(line.split(" ", 1)[1]) in unisolated(printed), (language, line)
    story, quest = _page(project, "site/stories/first-story.html"), _page(project, "site/quests/first-quest.html")
    assert said(story, condition) == ["only if you have at least 2 coins", "only if your Agility is at least 12"]
    assert said(story, effects) == ["then lose 2 coins", "then note “Crossed”", "then note “Crossed”"]
    assert "Reach the far bank done when you have noted “Crossed”" in said(quest, "//main//li")


def test_an_objective_no_story_listing_its_quest_sets_is_shown_as_written(tmp_path):
    """With no story listing the quest (HF0514), an objective's names are nobody's
    variables: said in the hero's words, `crossed` read "your Crossed is true", an
    attribute that does not exist. The condition is shown as written there."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("quests: [first-quest]\n", ""), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "HF0514" in run.stdout + run.stderr, run.stdout[-2000:]
    [objective] = _page(root, "site/quests/first-quest.html").xpath("//ol[@class='objectives']/li")
    assert " ".join(objective.text_content().split()) == "Reach the far bank done when crossed"
    assert [c.text for c in objective.iter("code")] == ["crossed"]


@pytest.fixture(scope="module")
def german_books(tmp_path_factory) -> Path:
    """A German edition (EPUBs only) whose hero's name and the rule label "Agility" are
    left in English, the story's choice and the quest's requirement naming Agility: one
    build shared by the two tests below, which only read it (neither untranslated line
    shows where the other test looks: the name in the navigation, the label in sentences)."""
    root = tmp_path_factory.mktemp("german-books") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace('if="coins >= 2"', 'if="agility >= 12"'),
                     encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace('"level >= 1"', '"agility >= 10"'), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate(root, "de", "DE", skip_ids=("hero.first-hero.name", "rules.attribute.agility.name"))
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root


def test_the_epub_navigation_marks_a_name_left_in_the_base_language(german_books, epubchecked):
    """The compendium's navigation document lists every hero, character, quest and
    story by name; a name the German edition shows in English carries lang="en" on
    its link, as the contents page marks it, and a translated one carries none.
    epubcheck accepts the marked document."""
    book = german_books / "build/epub/de/compendium.epub"
    with zipfile.ZipFile(book) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
    links = {a.get("href"): a for a in nav.iter("{http://www.w3.org/1999/xhtml}a")}
    hero = links["hero-first-hero.xhtml"]
    assert hero.get("lang") == "en" and hero.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    character = links["characters.xhtml#character-old-guide"]
    assert character.text.startswith("DE ") and character.get("lang") is None
    # the EPUB 2 table of contents (toc.ncx) the same: the name's <navLabel> marked, the book German
    ns, lang = "{http://www.daisy.org/z3986/2005/ncx/}", "{http://www.w3.org/XML/1998/namespace}lang"
    labels = {(p.find(f"{ns}content").get("src"), p.findtext(f"{ns}navLabel/{ns}text")): p.find(f"{ns}navLabel").get(lang)
              for p in ncx.iter(f"{ns}navPoint")}
    assert ncx.get(lang) == "de" and labels[("hero-first-hero.xhtml", "Rook Amsel")] == "en", labels
    assert [marked for marked in labels.values() if marked] == ["en"], labels
    status, said = epubchecked[book]
    assert status == 0, said[-3000:]


@pytest.fixture(scope="module")
def arabic_partly(tmp_path_factory) -> Path:
    """An Arabic edition (site, PDFs, EPUBs) whose story title (made "The Fog Road (part
    1)!", punctuation a right-to-left layout would move), hero title, character role,
    quest summary and one objective, and story summary are left in English: one build
    shared by the two tests below, which only read it."""
    root = tmp_path_factory.mktemp("arabic-partly") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road\n", "title: The Fog Road (part 1)!\n", 1),
                     encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate(root, "ar", ARABIC, skip_ids=ARABIC_LEFT)
    _built_without_the_compendium_pdf(root, "pdf")   # the tests read the gamebook's cover, not the compendium PDF
    run = foundry("build", "--project", str(root), "--only", "html,epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return root


ARABIC_LEFT = ("story.first-story.title", "hero.first-hero.title", "character.old-guide.role",
               "quest.first-quest.summary", "quest.first-quest.objective.cross", "story.first-story.summary")


@pytest.fixture(scope="module")
def epubchecked(project, built, german_books, arabic_partly, tmp_path_factory) -> dict[Path, tuple[int, str]]:
    """epubcheck's status and messages for each EPUB of this module a test hands to it
    (the German and Arabic stories of the main build, the German compendium of
    `german_books`, the Arabic story of `arabic_partly`), all checked in one JVM."""
    books = [project / "build/epub/de/stories/first-story.epub", project / "build/epub/ar/stories/first-story.epub",
             german_books / "build/epub/de/compendium.epub", arabic_partly / "build/epub/ar/stories/first-story.epub"]
    runs = epubcheck_many(books, tmp_path_factory.mktemp("epubcheck"))
    return {book: (run.returncode, run.stdout + run.stderr) for book, run in zip(books, runs)}


def test_a_book_title_left_in_the_base_language_reads_left_to_right_in_a_right_to_left_book(arabic_partly,
                                                                                            epubchecked):
    """An Arabic edition whose story title is not translated yet shows it in English on
    the gamebook's title page, the EPUB's title page and its navigation document. None
    of them carried the title's fallback marks (the contents and every name did): the
    PDF printed "!The Fog Road (part 1)" — the English title laid out right to left —
    and a screen reader read the English title with Arabic rules. The navigation
    document also lacked the book's direction on <html>, which every other document has."""
    require_tool(bool(shutil.which("pdftotext")), "pdftotext (Debian poppler-utils)")
    root = arabic_partly

    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(root / "build/pdf/ar/stories/first-story.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert "The Fog Road (part 1)!" in cover, cover

    book = root / "build/epub/ar/stories/first-story.epub"
    xhtml, xml_lang = "{http://www.w3.org/1999/xhtml}", "{http://www.w3.org/XML/1998/namespace}lang"
    with zipfile.ZipFile(book) as epub:
        nav_bytes = epub.read("EPUB/nav.xhtml")
        package = etree.fromstring(epub.read("EPUB/content.opf"))
        title_page = etree.fromstring(epub.read("EPUB/title.xhtml"))
    nav = etree.fromstring(nav_bytes)
    assert nav.get("dir") == "rtl" and nav.find(f"{xhtml}body").get("dir") == "rtl"
    assert nav_bytes.count(b"<!DOCTYPE html>") == 1
    for element in (nav.find(f"{xhtml}head/{xhtml}title"), nav.find(f".//{xhtml}nav/{xhtml}h2"),
                    title_page.find(f".//{xhtml}h1")):
        assert element.text == "The Fog Road (part 1)!"
        assert (element.get("lang"), element.get("dir")) == ("en", "ltr"), etree.tostring(element)
    assert {element.get(xml_lang) for element in (nav.find(f"{xhtml}head/{xhtml}title"),
                                                  nav.find(f".//{xhtml}nav/{xhtml}h2"))} == {"en"}
    dc_title = package.find(".//{http://purl.org/dc/elements/1.1/}title")
    assert (dc_title.text, dc_title.get(xml_lang), dc_title.get("dir")) == ("The Fog Road (part 1)!", "en", "ltr")
    # a translated title carries no mark (the sections' links are Arabic words)
    assert all(a.get("lang") is None for a in nav.iter(f"{xhtml}a"))
    status, said = epubchecked[book]
    assert status == 0, said[-3000:]


def _cover(book: Path):
    from PIL import Image
    import io
    with zipfile.ZipFile(book) as epub:
        return Image.open(io.BytesIO(epub.read("EPUB/images/cover.png"))).convert("RGB")


def test_every_script_is_drawn_on_the_epub_cover_and_a_long_word_stays_on_it(tmp_path):
    """The EPUB cover is a picture Pillow draws in the theme's Libertine, which has no
    Japanese, Chinese or Arabic: every such title and translated subtitle was a row of
    identical empty boxes (so two different Japanese titles of one length gave the same
    picture), and a word wider than the cover (CJK has no spaces; a 58-letter place
    name) ran past both edges, as did a long world name or list of authors. Now the machine's font for those characters draws them
    (fontconfig's pick, as in the PDFs; .ci/missing-fonts installs them in CI)
    and a word too wide is broken between characters."""
    fc_match = shutil.which("fc-match")
    require_tool(fc_match is not None and "CJK" in subprocess.run(
        [fc_match, "--format=%{family}", ":charset=9727"], capture_output=True, text=True).stdout,
        "fontconfig with a CJK font (Debian fonts-noto-cjk)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    long_word = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8").replace("title: The Fog Road\n", f"title: {long_word}\n", 1),
                     encoding="utf-8")
    toml = root / "foundry.toml"   # and a world's name and authors too long for one line at their size
    text = re.sub(r'(?m)^title = .*$', 'title = "The Very Long Name Of A World That Goes On And On"',
                  toml.read_text(encoding="utf-8"), count=1)
    text = re.sub(r'(?m)^authors = .*$', 'authors = ["Ana Writer", "Ben Designer", "Cleo Editor", "Dan Illustrator", '
                  '"Eve Reader"]', text, count=1)
    toml.write_text(text, encoding="utf-8")
    with open(toml, "a", encoding="utf-8") as out:   # the stories' covers are read: no compendium books
        out.write('\n[l10n]\nlanguages = ["ja", "zh", "ar"]\n\n[print]\ncompendium = false\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    titles = {"ja": "霧の道を行く", "zh": "雾中之路行走", "ar": ARABIC}   # six characters each in CJK
    for language, title in titles.items():
        path = root / "translations" / language / (STORY + ".po")
        po = polib.pofile(str(path))
        for entry in po:
            entry.msgstr = title if entry.msgctxt == "story.first-story.title" else f"{title} {entry.msgid}"
        po.save()
    run = foundry("build", "--project", str(root), "--only", "epub", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    covers = {lang: _cover(root / f"build/epub/{lang}/stories/first-story.epub") for lang in titles}
    covers["en"] = _cover(root / "build/epub/stories/first-story.epub")
    background = covers["en"].getpixel((20, 900))
    band = (0, 520, 1200, 1150)   # where the title is drawn

    def drawn(image) -> bytes:   # 1 for each pixel of the title band that is not background
        crop = image.crop(band)
        raw, back = crop.tobytes(), bytes(crop.getpixel((20, 20)))
        return bytes(raw[i:i + 3] != back for i in range(0, len(raw), 3))

    # One book, one palette: only the title's drawing tells the languages apart.
    assert len({covers[lang].getpixel((20, 900)) for lang in ("ja", "zh", "ar")}) == 1
    # No more tofu: the same .notdef box for every character drew two different titles
    # of six characters as the same picture.
    ja, zh, ar = (drawn(covers[lang]) for lang in ("ja", "zh", "ar"))
    assert sum(ja) and sum(zh) and sum(ar)
    assert sum(a != b for a, b in zip(ja, zh)) > 0.3 * max(sum(ja), sum(zh)), "the titles look alike: boxes?"
    # The long word, world name and authors: nothing drawn outside the frame (x 48 … 1152).
    english = covers["en"]
    outside = [english.getpixel((x, y)) for y in range(0, 1800, 2) for x in (*range(0, 44), *range(1157, 1200))]
    assert set(outside) == {background}


def test_a_title_role_summary_and_objective_left_in_the_base_language_are_marked_on_their_pages(arabic_partly):
    """An Arabic site where a hero's title, a character's role, a quest's summary and
    one objective, and a story's summary are not translated yet: each showed in
    English with nothing saying so (names, headings, choices and paragraphs carried
    lang="en" dir="ltr" and l10n-fallback; these did not), so the English was laid out
    right to left and read with Arabic rules. The same in the EPUB and PDF books."""
    root = arabic_partly

    def marked(path: str, text: str) -> tuple:
        if path.startswith("compendium.epub/"):   # a chapter of the Arabic compendium
            with zipfile.ZipFile(root / "build/epub/ar/compendium.epub") as book:
                page = etree.fromstring(book.read(f"EPUB/{path.split('/', 1)[1]}"))
        else:
            page = _page(root, f"site/ar/{path}")
        found = [e for e in page.iter() if isinstance(e.tag, str) and (e.text or "").strip().startswith(text)]
        assert found, (path, text)
        holder = next((a for a in (found[0], *found[0].iterancestors()) if a.get("lang")), None)
        return holder.get("lang"), holder.get("dir"), "l10n-fallback" in (holder.get("class") or "")

    expected = ("en", "ltr", True)
    assert marked("heroes/first-hero.html", "Scout of the Marsh Road") == expected
    assert marked("characters/old-guide.html", "Mentor") == expected
    assert marked("quests/first-quest.html", "Cross the marsh") == expected
    assert marked("quests/first-quest.html", "Reach the far bank") == expected
    assert marked("stories/first-story.html", "A short crossing") == expected
    # and in the books (the compendium's chapters; the PDFs use the same macros)
    assert marked("compendium.epub/hero-first-hero.xhtml", "Scout of the Marsh Road") == expected
    assert marked("compendium.epub/characters.xhtml", "Mentor") == expected
    assert marked("compendium.epub/quests.xhtml", "Cross the marsh") == expected
    assert marked("compendium.epub/quests.xhtml", "Reach the far bank") == expected
    assert marked("compendium.epub/stories.xhtml", "A short crossing") == expected
    # translated lines are not marked: the page's own language holds them
    assert marked("heroes/first-hero.html", f"{ARABIC} Rook Amsel")[0] == "ar"
    # the base language's pages carry no marks
    assert not _page(root, "site/heroes/first-hero.html").xpath("//*[contains(@class, 'l10n-fallback')]")


def test_a_search_results_subtitle_marks_what_it_shows_in_the_base_language(tmp_path, browser):
    """A search result's subtitle — a hero's title, a character's role, "Given by" and
    the quest giver's name — is marked where it is left in English, in the list the
    page draws and in the index search.js draws from, as the pages mark it; a
    translated one carries nothing.

    The giver's name holds a character past U+FFFF (𠮷, a common one in Japanese
    names): the index's range counts characters, as the page's list reads it, and
    search.js sliced UTF-16 units, which marked 'Old 𠮷 Guid' and left the 'e' out."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("name: Old Guide", "name: Old \U00020bb7 Guide"),
                     encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    _translate(root, "de", "DE", skip_ids=("hero.first-hero.title", "character.old-guide.name"))
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json", env=EPOCH)
    assert run.code == 0, run.stdout[-3000:] + run.stderr[-3000:]
    page = _page(root, "site/de/search.html")
    shown = {li.xpath("a")[0].get("href"): li.xpath("span[@class='muted']")[0]
             for li in page.xpath("//li[@class='result']") if li.xpath("span[@class='muted']")}
    hero, quest, character = (shown[f"{kind}/{eid}.html"] for kind, eid in
                              (("heroes", "first-hero"), ("quests", "first-quest"), ("characters", "old-guide")))
    assert [(s.get("lang"), s.get("class"), s.text) for s in hero.iter("span") if s is not hero] == [
        ("en", "l10n-fallback", "Scout of the Marsh Road")]
    assert [(s.get("lang"), s.text) for s in quest.iter("span") if s is not quest] == [("en", "Old \U00020bb7 Guide")]
    assert quest.text_content() == "Vergeben von Old \U00020bb7 Guide"
    assert character.text_content().startswith("DE ") and not [s for s in character.iter("span") if s is not character]
    index = {e["id"]: e for e in json.loads(page.xpath("//script[@id='search-index']")[0].text)}
    assert index["first-quest"]["subtitle_at"] == [13, 24] and index["first-quest"]["subtitle_marks"]["lang"] == "en"
    assert index["first-hero"]["subtitle_at"] == [0, len("Scout of the Marsh Road")]
    assert "subtitle_marks" not in index["old-guide"] and "subtitle_at" not in index["old-guide"]
    # search.js draws the results it finds with the same marks
    tab = browser.new_page()
    try:
        tab.goto((root / "build/site/de/search.html").as_uri() + "?q=Fog")
        sub = tab.locator("#search-results li.result", has=tab.locator("a[href$='first-quest.html']")).locator(".muted")
        assert sub.inner_text().strip() == "Vergeben von Old \U00020bb7 Guide"
        assert sub.locator("span").evaluate_all("els => els.map(e => [e.lang, e.className, e.textContent])") == [
            ["en", "l10n-fallback", "Old \U00020bb7 Guide"]]
    finally:
        tab.close()


def test_a_rule_label_left_in_the_base_language_is_marked_inside_the_books_sentences(german_books):
    """The sentences the books compose — a gamebook choice's condition, a quest's
    requirement, a derived stat's formula in words — name rule labels; one the German
    edition shows in English ("Agility") carries lang="en" there too, as it does
    standing alone, and the rest of the sentence is German and unmarked."""
    root = german_books

    def marked_in(book: str) -> list[tuple[str, str]]:
        with zipfile.ZipFile(root / "build/epub/de" / book) as epub:
            found = []
            for name in sorted(n for n in epub.namelist() if n.endswith(".xhtml")):
                tree = lxml_html.fromstring(epub.read(name))
                found += [(el.getparent().tag, el.text) for el in tree.iter("span")
                          if el.get("lang") == "en" and el.text == "DE Agility".removeprefix("DE ")]
            return found

    in_story, in_compendium = marked_in("stories/first-story.epub"), marked_in("compendium.epub")
    # the choice's condition; the requirement; the formula of defense (10 + Agility ÷ 2)
    assert any(tag == "span" for tag, _ in in_story), in_story      # inside <span class="if">
    assert {tag for tag, _ in in_compendium} >= {"dd", "li"}, in_compendium
    with zipfile.ZipFile(root / "build/epub/de/stories/first-story.epub") as epub:
        text = b"".join(epub.read(n) for n in epub.namelist() if n.endswith(".xhtml")).decode("utf-8")
    assert "&lt;span" not in text   # marked, never escaped into the text


def test_a_flag_naming_a_person_says_the_name_its_id_spells(tmp_path):
    """A flag naming a person said only the first word of their name: `met_old_guide`
    read "you met Old" of `foundry init`'s Old Guide, on the story page (and in the
    gamebook). The words of the name the id spells, else the whole name."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    text = story.read_text(encoding="utf-8").replace("  crossed: false\n", "  crossed: false\n  met_old_guide: false\n")
    story.write_text(text.replace('do="coins -= 2"', 'do="coins -= 2; set met_old_guide"'), encoding="utf-8")
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    said = [" ".join(e.text_content().split())
            for e in _page(root, "site/stories/first-story.html").xpath("//span[@class='choice-effects']")]
    assert said[0] == "then lose 2 coins and note that you met Old Guide", said


def test_the_search_status_says_its_count_in_the_languages_plural_form(project_factory, browser):
    """The search page's status chose its phrase by English's rule (n == 1): an Arabic
    page said "2 نتائج" (the plural) for two results, where Arabic says the dual, and
    the same plural for twelve, where Arabic says the singular. The page now gives the
    phrase in each of its language's plural forms (CLDR categories, from the catalog's
    plural message) and search.js picks one by Intl.PluralRules; German and English as
    they were, and a project's French catalog made before the plural message keeps its
    own two phrases (not English forms)."""
    files = {f"content/characters/guard-{i}.yaml": f"name: Guard {i}\nrole: Guard\nstatus: draft\nbackground: |\n"
             f"  A guard of the gate{', and a twin' if i <= 2 else ''}.\n" for i in range(1, 13)}
    files["themes/mine/locale/fr/LC_MESSAGES/messages.po"] = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#, python-brace-format\n'
        'msgid "{count} result for “{query}”."\nmsgstr "{count} résultat pour « {query} »."\n\n#, python-brace-format\n'
        'msgid "{count} results for “{query}”."\nmsgstr "{count} résultats pour « {query} »."\n')
    root = project_factory(files)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "ar", "fr"]\n')
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    said = {}
    try:
        for language in ("ar/", "de/", "fr/", ""):
            for query in ("twin", "guard 1", "guard"):
                tab.goto((root / "build/site" / f"{language}search.html").as_uri() + f"?q={query.replace(' ', '+')}")
                said[language, query] = tab.locator("#search-status").inner_text()
    finally:
        tab.close()
    assert errors == []
    assert said["ar/", "twin"] == "نتيجتان (2) لـ«twin»."      # the dual
    assert said["ar/", "guard 1"] == "4 نتائج لـ«guard 1»."     # 3 to 10: the plural
    assert said["ar/", "guard"] == "12 نتيجة لـ«guard»."        # 11 to 99: the singular
    assert {said["de/", q] for q in ("twin", "guard")} == {"2 Treffer für „twin“.", "12 Treffer für „guard“."}
    assert said["", "twin"] == "2 results for “twin”." and said["", "guard 1"] == "4 results for “guard 1”."
    assert said["fr/", "guard"] == "12 résultats pour « guard »."


def test_a_projects_own_search_status_words_win_over_the_shipped_plural_ones(project_factory, browser):
    """A project's German catalog translating the search status's two phrases ("Genau
    ein Fund zu …", "{count} Funde zu …") was set aside for the shipped catalog's plural
    message ("2 Treffer für …") once the status took plural forms, without a word. The
    project's own words are shown again; the Arabic page, whose project catalog does not
    touch the status, keeps the shipped dual."""
    files = {f"content/characters/guard-{i}.yaml": f"name: Guard {i}\nrole: Guard\nstatus: draft\nbackground: |\n"
             f"  A guard of the gate, {'a twin' if i <= 2 else 'alone'}.\n" for i in range(1, 4)}
    files["themes/mine/locale/de/LC_MESSAGES/messages.po"] = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#, python-brace-format\n'
        'msgid "{count} result for “{query}”."\nmsgstr "Genau ein Fund zu „{query}“."\n\n#, python-brace-format\n'
        'msgid "{count} results for “{query}”."\nmsgstr "{count} Funde zu „{query}“."\n')
    files["themes/mine/locale/ar/LC_MESSAGES/messages.po"] = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Search"\nmsgstr "ابحث"\n')
    root = project_factory(files)
    toml = (root / "foundry.toml").read_text().replace('theme = "default"', 'theme = "mine"')
    (root / "foundry.toml").write_text(toml + '\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    tab = browser.new_page()
    said = {}
    try:
        for language, query in (("de", "twin"), ("de", "alone"), ("ar", "twin")):
            tab.goto((root / "build/site" / language / "search.html").as_uri() + f"?q={query}")
            said[language, query] = tab.locator("#search-status").inner_text()
    finally:
        tab.close()
    assert said == {("de", "twin"): "2 Funde zu „twin“.", ("de", "alone"): "Genau ein Fund zu „alone“.",
                    ("ar", "twin"): "نتيجتان (2) لـ«twin»."}, said


def test_the_story_checks_english_notes_are_marked_english_on_other_pages(project_factory):
    """A story page lists the story check's notes ("choice 'road--bank' can never be
    taken…"), foundry's English on every page: the German and Arabic pages gave them no
    `lang`, so a screen reader read them in German or Arabic. Now `lang="en"` on each
    there; the English page as it was."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "- [Wait for the fog to lift](#wait)",
        '- [Wait for the fog to lift](#wait)\n- [Fly over the marsh](#bank){if="coins >= 100"}'), encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "ar"]\n')
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0 and "HF0505" in run.stdout + run.stderr, run.stdout[-2000:]
    marks = {}
    for language in ("de/", "ar/", ""):
        page = _page(root, f"site/{language}stories/first-story.html")
        notes = page.xpath("//section[contains(@class, 'analysis')]//li")
        assert notes and "can never be taken" in notes[0].text_content()
        marks[language] = {li.get("lang") for li in notes}
    assert marks == {"de/": {"en"}, "ar/": {"en"}, "": {None}}


def test_search_results_of_one_score_follow_the_pages_alphabet(project_factory, browser):
    """Results of one score were ordered by `localeCompare` in the reader's browser's
    language, not the page's: a Swedish page listed "Åke Guard" before "Zed Guard" in an
    English browser (Swedish puts Å after Z) and the other way in a Swedish one. Now by
    the page's `lang`; the English page keeps Å among the A's."""
    root = project_factory({f"content/characters/{cid}.yaml": f"name: {name} Guard\nrole: Guard\nstatus: draft\n"
                            "background: |\n  A guard of the gate.\n" for cid, name in (("zed", "Zed"), ("aake", "Åke"))})
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["sv"]\n')
    run = foundry("build", "--only", "html", "--project", str(root))
    assert run.code == 0, run.stdout[-2000:]
    tab = browser.new_page(locale="en-US")
    order = {}
    try:
        for language in ("sv/", ""):
            tab.goto((root / "build/site" / f"{language}search.html").as_uri() + "?q=guard")
            order[language] = tab.locator("#search-results .result-title").all_inner_texts()
    finally:
        tab.close()
    assert order == {"sv/": ["Zed Guard", "Åke Guard"], "": ["Åke Guard", "Zed Guard"]}
