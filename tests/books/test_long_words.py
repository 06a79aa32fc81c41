"""A long unbreakable word — a real 58-letter Welsh place name — in a hero's name, a
story's title and a choice stays inside the page in every layout: the A4 sheet, the
compendium and the A5 gamebook (measured with `pdftotext -bbox`), and the site and an
EPUB chapter on a phone-sized screen (measured in Chromium)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from book_support import EPOCH, need_poppler, pdftext
from support import ROOTS, edit_file, foundry, require_tool

WORD = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
MM = 72 / 25.4
A4_WIDTH = 595.28
NARROWEST_MARGIN = 14 * MM          # the gamebook's outer margin; the sheet and compendium have more
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


ADDRESS = f"https://example.com/{'a' * 80}/{'b' * 40}"    # no hyphenation point anywhere
SEAL = hashlib.sha512(b"seal").hexdigest()                  # 128 hex digits, written as code
# 200 characters, a title's most; opening with a quotation mark, which sorts before
# letters, so that the compendium (quests by title) lists it first and its page's
# running head is this title's
LONG_JAPANESE = ("「" + "霧の沼地と葦原と柳の長い道を越えて港へ帰る" * 10)[:200]
# a block of code (preformatted: its spaces and line breaks kept) with one line wider
# than any page or screen: it printed off the paper's edge (745 pt past its box)
CODE = f"```\nverify --seal {SEAL}{SEAL}\n```\n"
# lists and quotes nested deep: each level indented further set the deepest words into
# the margin (128 pt) and 1,231 px wide on a phone. A list as deep as Markdown allows
# (49 levels: HF0171 past them) goes where a book sets one column, a scene (the
# gamebook) and a character's background (the compendium). The hero's background, which
# the sheet and the compendium set in two balanced columns, gets the quotes and a list
# of 10 levels: WeasyPrint lays the columns out again for each balancing try, and 30
# levels there cost ~45 CPU-s of this module's build. Without the rules past four levels
# the 10 still make the site's hero page 431 px wide on a 360 px phone.
QUOTES = "> " * 25 + "Quoted words, deep down.\n\n"


def _list(depth: int) -> str:
    return "".join("    " * level + f"- level {level} words\n" for level in range(depth))


NESTED, SHALLOW = QUOTES + _list(49), QUOTES + _list(10)
# a table of more one-word columns than any phone's width holds (each cell broken to a
# letter a line, still 1,244 px wide), in a scene: the site's story page and the EPUB's
# chapter scrolled sideways; and more than the A5 gamebook's line holds a letter each:
# the letters ran over the next cells (60 overlaps). Not in a background: the sheet
# balances its two columns, laying the table out again at each try (+16 s of build).
# (no digit nor a-f: the seal's test below reads the hexadecimal words of the book)
WIDE = "| Tour0 | " + " | ".join(["Tour"] * 59) + " |\n|" + "---|" * 60 + "\n| " + " | ".join(["moor"] * 60) + " |\n"
# Words of other kinds in every other field a writer types, for the site's pages on a
# phone (test_no_page_of_the_site_runs_past_a_phones_edge): a script with no spaces, a
# word of Arabic, an address (w: no hexadecimal word for the seal's test), a number
# with its thousands marked (digits alone, in the gamebook's adventure sheet, would
# read as the seal's), a soft hyphen (prose only: a name refuses one, HF0132) and ids
# as long as ids may be.
THAI = "การเปลี่ยนแปลงสภาพภูมิอากาศโลกที่เกิดขึ้นอย่างต่อเนื่องยาวนาน"
ARABIC = "والمستشفيات" * 6
URL = f"https://example.org/{'w' * 96}"
NUMBER = ",".join(["123"] * 22)
SHY = WORD[:29] + "\u00ad" + WORD[29:] + "x" * 30
CAPITALS = (WORD.upper() * 3)[:120]
LONG_ID = (WORD.lower() + "abcdef")[:64]
LONG_VAR = LONG_ID[:58] + "_tally"
# A long word no hyphenation pattern splits, in an inline element glued to a bracket or a
# quote before it (no space between): WeasyPrint breaks a word anywhere only in its line's
# first box, and the word in bold after the quote (and the code after the bracket) printed
# whole, 5 pt past the paper's edge from the sheet's right column (pdf/glued_breaks.py).
# Cyrillic: the English patterns hyphenate the Welsh name above, which hid it; the code's
# letters are none of the hexadecimal digits the seal's test reads.
CYRILLIC = "Достопримечательностейпобережьяшестнадцатогоокругастолицы"
TOKEN = "xy" * 45
GLUED = f"The guide calls it “**{CYRILLIC}**” (`{TOKEN}`)."
TABLE = (f"| Place | Note |\n|---|---|\n| {WORD} | a sentence long enough to need two lines on a phone, at least |\n"
         f"\n| Post | Address |\n|---|---|\n| Harbourmaster | {ADDRESS} |\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("long") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("name: Rook Amsel", f"name: Rook of {WORD}"))
    story = root / "content/stories/first-story.md"
    text = story.read_text().replace("title: The Fog Road", f"title: The Road to {WORD}")
    text = text.replace("[Pay the guide and follow the lantern]", f"[Pay the guide to {WORD}]")
    # a choice that begins with code longer than the line, right after its marker
    text = text.replace("[Wait for the fog to lift]", f"[`{WORD}{WORD}`]")
    # a table typed in prose: its cells hold a long word and a sentence
    story.write_text(text.replace("Boot prints, fresh,", f"{TABLE}\n\n{CODE}\n{NESTED}\n{WIDE}\n{GLUED}\n\nBoot prints, fresh,"))
    hero.write_text(hero.read_text().replace("background: |\n", "background: |\n" + textwrap.indent(TABLE + "\n" + CODE + "\n" + SHALLOW, "  ") + "\n\n")
                    .replace("Rook grew up", f"Rook's seal is `{SEAL}`. {GLUED} Rook grew up"))
    guide = root / "content/characters/old-guide.yaml"
    # a name of one 116-letter word, in the hero's ties: the sheet printed alone grew wider than the page
    guide.write_text(guide.read_text().replace("name: Old Guide", f"name: Old {WORD}{WORD}")
                     + textwrap.indent("\n" + NESTED, "  "))
    # names from the rule book land in table headers (the sheet's attributes, the
    # gamebook's adventure sheet), where a cell grows to its longest word
    rules = root / "schemas/attributes.yaml"
    rules.write_text(rules.read_text().replace("name: Agility", f"name: Agility of {WORD}")
                     .replace("name: Hit points", f"name: Hit points of {WORD}")
                     # a long word after markup (the name's own; the derived stat's name
                     # before a formula naming it), in the sheet's table of attributes and
                     # derived stats: measured for its column whole, as though it could not
                     # break there (pdf/glued_breaks.py), it widened both columns and set the
                     # derived stats past the paper's edge
                     .replace("name: Constitution", f'name: "*Constitution* of {CYRILLIC}"'))
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text().replace("name: Tracking", f"name: Tracking{WORD}"))
    # a title wider than the line: the compendium's running head on the quest's page
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text().replace("title: Through the Fog", f"title: Through {WORD}{WORD}"))
    # a title as long as a title may be, in a script with no spaces: five lines of head
    (root / "content/quests/crossing.yaml").write_text(quest.read_text().replace(
        f"title: Through {WORD}{WORD}", f"title: {LONG_JAPANESE}"), encoding="utf-8")
    _every_field(root)
    run = foundry("build", "--only", "pdf,epub,html", "--project", str(root),
                  env={"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"})
    assert run.code == 0, run.stdout + run.stderr
    return root / "build"


def _every_field(root: Path) -> None:
    """A long word of some kind in every other field the site shows: the project's title,
    description and authors, an epithet, a role, tags, items, a template's name, a skill's,
    an attribute's, relationship kinds and notes, an objective, a summary, scene headings,
    a variable and its value, a second hero to play the story as (the player's picker
    lists both heroes by name); and the site in two more languages (right to left, and the
    pseudo-locale's longer words), its pages only."""
    def edit(path: str, *pairs: tuple[str, str]) -> None:
        edit_file(root / path, *pairs)

    edit("foundry.toml", ('title = "Minimal"', f'title = "The {WORD} Chronicles"'),
         ('description = "A new Hero Foundry world."', f'description = "Tales of {THAI} and {URL}"'),
         ("authors = []", f'authors = ["{WORD}"]'))
    with (root / "foundry.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["ar", "en-XA"]\nbuild_pseudo = true\noutputs = ["html"]\n')
    edit("content/heroes/first-hero.yaml", ("title: Scout of the Marsh Road", f"title: Scout of {THAI}"),
         ("skills: [ambush]", f"skills: [ambush]\nitems: [{LONG_ID}]\ntags: [{LONG_ID}]"),
         ("kind: mentor}", f"kind: mentor, note: {URL}}}"))
    edit("content/characters/old-guide.yaml", ("role: Mentor", f"role: Mentor of {ARABIC}"),
         ("kind: apprentice}", f"kind: apprentice, note: {WORD}}}"), ("status: draft", f"status: draft\ntags: [{LONG_ID}]"))
    edit("content/templates/heroes/scout.yaml", ("name: Scout", f"name: Scout of {WORD}"))
    edit("content/quests/first-quest.yaml", ("text: Reach the far bank", f"text: Reach {WORD}"),
         ("summary: Cross the marsh before the bell tolls.", f"summary: Cross to {URL}"),
         ("rewards: {xp: 50}", f"rewards: {{xp: 50, items: [{LONG_ID}]}}"))
    edit("schemas/attributes.yaml", ("# Points", f"  lore:         {{name: {ARABIC}, min: 1, max: 20, default: 8}}\n# Points"))
    edit("schemas/skills.yaml", ("name: Ambush", f"name: {THAI}"))
    edit("schemas/relationships.yaml", ("name: Mentor", f"name: Mentor of {WORD}"), ("name: Apprentice", f"name: {ARABIC}"))
    # a name of 120 capitals (a name's most), one word: the compendium's running head clamps
    # it to two lines ending in an ellipsis, which WeasyPrint drew past the head's right edge
    (root / "content/heroes/second-hero.yaml").write_text(f"name: {CAPITALS}\nattributes: {{agility: 13}}\n")
    edit("content/stories/first-story.md", ("summary: A short crossing with two ways to end.", f"summary: A crossing to {URL}"),
         ("protagonist: first-hero\n", "protagonist: first-hero\nheroes: [second-hero]\n"),
         ("  coins: 2\n", f'  coins: 2\n  {LONG_VAR}: "{NUMBER}"\n'),
         ("## The Lantern Path {#lantern}", f"## {ARABIC} {{#lantern}}"),
         ("## Tracks in the Mud {#tracks}", f"## Tracks to {URL} {{#tracks}}"),
         ("The lantern bobs ahead.", f"The {SHY} bobs ahead."),
         ("[Follow the tracks alone]", f"[Follow {URL}]"), ("[Step onto the bank]", f"[Step onto {THAI}]"))


def _words(pdf: Path) -> list[tuple[float, float, str]]:
    """(page width, word's right edge, word) for every word pdftotext finds, in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.HTMLParser())
    return [(float(page.get("width")), float(word.get("xmax")), word.text or "")
            for page in root.iter("page") for word in page.iter("word")]


@pytest.mark.parametrize("pdf", ["heroes/first-hero.pdf", "compendium.pdf", "stories/first-story.pdf"])
def test_every_word_stays_inside_the_page_margin(built, pdf):
    need_poppler()
    words = _words(built / "pdf" / pdf)
    pieces = "".join(w for _, _, w in words)
    assert WORD[:20] in pieces and WORD[-20:] in pieces          # the name is there, broken across lines
    outside = [(w, round(x, 1), round(width - NARROWEST_MARGIN, 1)) for width, x, w in words
               if x > width - NARROWEST_MARGIN + 0.5]
    assert not outside


@pytest.mark.parametrize("pdf", ["heroes/first-hero.pdf", "compendium.pdf", "stories/first-story.pdf"])
def test_a_word_glued_to_a_quote_or_a_bracket_breaks_inside_the_page(built, pdf):
    """A long word in bold right after a quote mark, and code right after a bracket
    (GLUED): each is printed, broken over lines with no piece past the margin. WeasyPrint
    broke a word anywhere in its line's first box only, and these are not: they ran
    whole past the paper's edge (the margin test above says so too; this one names them)."""
    need_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(built / "pdf" / pdf), "-"], capture_output=True, check=True).stdout
    glued = [(text, float(word.get("xmax")), float(page.get("width")))
             for page in etree.fromstring(out, etree.HTMLParser(encoding="utf-8")).iter("page")
             for word in page.iter("word") if (text := (word.text or "").strip("“”().")) and (text in CYRILLIC or text in TOKEN)]
    printed = "".join(text for text, _, _ in glued)
    assert CYRILLIC in printed and TOKEN in printed, glued
    assert [(text, x) for text, x, width in glued if x > width - NARROWEST_MARGIN + 0.5] == [], glued


@pytest.mark.parametrize("pdf", ["heroes/first-hero.pdf", "compendium.pdf", "stories/first-story.pdf"])
def test_a_long_address_in_a_table_breaks_no_other_cells_words(built, pdf):
    """A table typed in prose with an address in one cell: the address breaks, the
    other cells keep their words whole. Laid out automatically with `overflow-wrap:
    anywhere`, every column could shrink to one letter and the address's column took
    the line: 'Harbourmaster' printed as 'Harbou' over 'rmaster', with no hyphen."""
    need_poppler()
    words = [w for _, _, w in _words(built / "pdf" / pdf)]
    assert "Harbourmaster" in words, [w for w in words if w.startswith(("Harb", "rmas", "Pla", "No"))]
    assert "Post" in words and "Address" in words
    assert ADDRESS[:19] in "".join(words)


@pytest.mark.parametrize("pdf", ["heroes/first-hero.pdf", "compendium.pdf", "stories/first-story.pdf"])
def test_code_breaks_without_a_hyphen_that_is_not_in_it(built, pdf):
    """A seal or an id written as code, too long for its line, is broken without a
    mark: hyphenated like prose, it printed 'a4abd…1fc-' with a hyphen the code does
    not hold, so the page showed another code. A block of code's line too (kept on one
    line, it ran off the paper: the margin test above measures that)."""
    need_poppler()
    printed = _printed_hex(built / "pdf" / pdf, columns=pdf != "stories/first-story.pdf")
    assert SEAL + SEAL in printed, re.findall(rf"{SEAL[:4]}[0-9a-f\u2010-]*", printed)


def _printed_hex(pdf: Path, columns: bool) -> str:
    """The hexadecimal words of every page's text area in reading order (by page,
    column, line): a seal broken over lines, columns (the sheet's background is in two)
    or pages reads whole. The A5 gamebook sets one column (`columns` False): a table's
    cell right of its middle (the address's a's) is not a column read before the next
    page, where the seal goes on. Running heads and page numbers, in the margins (12 mm and
    more in every book), and the list's level numbers (one or two digits) are left out."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    found = []
    for number, page in enumerate(etree.fromstring(out, etree.HTMLParser()).iter("page")):
        width, height = float(page.get("width")), float(page.get("height"))
        for word in page.iter("word"):
            text, top = word.text or "", float(word.get("ymin"))
            if (re.fullmatch(r"[0-9a-f]+", text) and not re.fullmatch(r"[0-9]{1,2}", text)
                    and top > 12 * MM and float(word.get("ymax")) < height - 12 * MM):
                found.append((number, columns and float(word.get("xmin")) >= width / 2, top, text))
    return "".join(text for *_, text in sorted(found))


def test_the_site_and_the_epub_do_not_scroll_sideways_on_a_phone(built, tmp_path, browser):
    book = tmp_path / "book"
    with zipfile.ZipFile(built / "epub/stories/first-story.epub") as z:
        z.extractall(book)
    chapter = next(p for p in sorted((book / "EPUB").glob("s*.xhtml")) if WORD in p.read_text(encoding="utf-8"))
    pages = [built / "site/heroes/first-hero.html", built / "site/stories/first-story.html",
             book / "EPUB/title.xhtml", chapter]
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        for page in pages:
            tab.goto(page.as_uri())
            assert WORD in tab.content()
            wide = tab.evaluate("document.documentElement.scrollWidth")
            assert wide <= 360, (page.name, wide)
    finally:
        tab.close()


def test_no_page_of_either_epub_scrolls_sideways_on_a_phone(built, tmp_path, browser):
    """Every document in each book's spine, not only a chapter: before, the hero sheet's
    attribute table and the gamebook's adventure sheet grew to the long word (621 and
    1248 px on a 360 px screen), and the cover page (ebooklib's, with no style sheet)
    showed its 1200-pixel image at full width (1208 px). The navigation document too,
    which a reader shows as the book's contents: it linked no style sheet, and the hero's
    name in it did not wrap (907 px)."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    checked = []
    try:
        for epub in ("epub/compendium.epub", "epub/stories/first-story.epub"):
            book = tmp_path / epub.replace("/", "-")
            with zipfile.ZipFile(built / epub) as z:
                z.extractall(book)
            opf = etree.parse(str(next(book.rglob("*.opf"))))
            ns = {"opf": "http://www.idpf.org/2007/opf"}
            hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:manifest/opf:item", ns)}
            nav = [i.get("id") for i in opf.iterfind(".//opf:manifest/opf:item", ns) if i.get("properties") == "nav"]
            for idref in [ref.get("idref") for ref in opf.iterfind(".//opf:spine/opf:itemref", ns)] + nav:
                page = next(book.rglob("*.opf")).parent / hrefs[idref]
                tab.goto(page.as_uri())
                wide = tab.evaluate("document.documentElement.scrollWidth")
                checked.append(page.name)
                assert wide <= 360, (epub, page.name, wide)
    finally:
        tab.close()
    assert any(name.startswith("hero-") for name in checked) and "adventure-sheet.xhtml" in checked, checked
    assert "cover.xhtml" in checked and "nav.xhtml" in checked


def test_a_long_title_in_the_running_head_leaves_the_parts_name_whole(built):
    """The compendium's running head sets the part's name (left) and the entry's (right)
    on one line, sharing it by their widths: a quest titled with one long word took it
    all, and the part's name, breakable anywhere, printed as 'QUEST' over 'S' on the
    quest's page (every piece inside the page). The part's name is never broken."""
    need_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(built / "pdf/compendium.pdf"), "-"], capture_output=True,
                         check=True).stdout
    heads = [(word.text or "") for page in etree.fromstring(out, etree.HTMLParser()).iter("page")
             for word in page.iter("word") if float(word.get("ymax")) < 18 * MM]   # above the top margin
    assert "QUESTS" in heads and "STORIES" in heads, heads
    assert not [w for w in heads if w in ("QUEST", "S", "STOR‐", "IES")], heads


def test_a_running_head_stays_inside_the_top_margin(built):
    """The entry's name in the compendium's running head wrapped over as many lines as
    it took: a quest titled in 200 Japanese characters set five, the first above the
    page's top edge (cut off) and the last over the quest's heading. A head is at most
    two lines, the second ending in an ellipsis."""
    need_poppler()
    require_tool(subprocess.run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True).stdout.strip() != "",
                 "a Japanese font (fonts-noto-cjk, .ci/fonts.txt)")
    out = subprocess.run(["pdftotext", "-bbox", str(built / "pdf/compendium.pdf"), "-"], capture_output=True,
                         check=True).stdout
    pages = [list(page.iter("word")) for page in etree.fromstring(out, etree.HTMLParser(encoding="utf-8")).iter("page")]
    [page] = [words for words in pages if any(LONG_JAPANESE[:20] in (w.text or "") for w in words)
              and any(w.text == "QUESTS" and float(w.get("ymax")) < 18 * MM for w in words)]
    head = [w for w in page if float(w.get("xmin")) > 80 and float(w.get("ymin")) < 18 * MM - 6]
    assert head and len(head) <= 2 and head[-1].text.endswith("…"), [w.text for w in head]
    assert all(float(w.get("ymin")) >= 0 and float(w.get("ymax")) <= 18 * MM for w in head), \
        [(w.get("ymin"), w.get("ymax")) for w in head]
    # and inside the text's width: WeasyPrint placed the clamped line flush right by its
    # width without the ellipsis it then drew after it, 6-7 pt into the right margin
    # (pdf/ellipses.py); every head of the book, the part's and the entry's, of every page
    edges = [(w.text, float(w.get("xmin")), float(w.get("xmax"))) for words in pages for w in words
             if float(w.get("ymax")) <= 18 * MM]
    assert [e for e in edges if e[1] < 18 * MM - 0.5 or e[2] > A4_WIDTH - 18 * MM + 0.5] == [], edges


def test_a_clamped_line_is_cut_between_whole_characters_in_a_few_layouts(tmp_path):
    """A clamped line with no word's end to go back to is shortened by whole characters
    (pdf/ellipses.py). Cut at Pango's cursor positions, a Devanagari word of conjuncts
    (स्त्री) printed "…स्…", a consonant with its virama the word never shows, its text
    copied from the PDF no prefix of the name. And shortened one character a layout, a
    project's theme clamping a paragraph of one 12,000-letter word took ~45 s (4,000:
    5 s; it grew as the square). No build: the printed book's two steps, WeasyPrint's
    layout and place_ellipses, on the HTML a theme would give them."""
    import time
    import weasyprint
    from pipeline.exporters.pdf.ellipses import place_ellipses
    need_poppler()
    require_tool("Noto Serif Devanagari" in subprocess.run(["fc-list", ":lang=hi", "family"], capture_output=True,
                                                          text=True).stdout, "Noto Serif Devanagari (fonts-noto-core)")
    word = "स्त्री" * 40
    html = ("<style>div { font-family: 'Noto Serif Devanagari'; line-clamp: 2; overflow-wrap: anywhere; "
            "margin-bottom: 5mm }</style>" + "".join(f"<div style='width: {w}mm'>{word}</div>" for w in (60, 65, 70, 75)))
    document = weasyprint.HTML(string=html).render()
    place_ellipses(document)
    document.write_pdf(tmp_path / "clamped.pdf")
    lines = [line for line in pdftext(tmp_path / "clamped.pdf").splitlines() if line.strip()]
    assert len(lines) == 8, lines
    for first, second in zip(lines[::2], lines[1::2]):
        assert second.endswith("…") and word.startswith(first + second[:-1]), (first, second)
    long = "<style>div { line-clamp: 2; width: 100mm }</style><div>Some words before " + "x" * 12_000 + " and after</div>"
    document = weasyprint.HTML(string=long).render()
    started = time.process_time()
    place_ellipses(document)
    assert time.process_time() - started < 5


def test_a_long_stat_name_breaks_itself_not_the_numbers_or_the_other_names(built):
    """The derived stats' names were kept on one line (white-space: nowrap): a long one
    took the row's width, the table squeezed the rest, and the sheet printed hit points
    38 as a 3 over an 8 and 'Strength' as St/re/n/gt/h (the test above still passed:
    every piece was inside the page)."""
    need_poppler()
    sheet = foundry("hero", "first-hero", "--format", "json", "--project", str(built.parent)).json()
    words = {w for _, _, w in _words(built / "pdf/heroes/first-hero.pdf")}
    assert {str(row["value"]) for row in sheet["derived"]} <= words
    assert {"Strength", "Constitution", "Wits", "Defense"} <= words


def test_a_table_typed_in_prose_keeps_to_the_page_on_a_phone(built, browser):
    """Every table cell of the site was `white-space: nowrap` (right for the sheets'
    numbers): a table a writer typed in a background or a scene grew to its longest
    line, 2,446 px for a 58-letter word on a 360 px phone, and the page scrolled sideways
    (the EPUB and the PDFs already wrapped it)."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        for page in (built / "site/heroes/first-hero.html", built / "site/stories/first-story.html"):
            tab.goto(page.as_uri())
            assert tab.evaluate("document.querySelectorAll('.prose table').length") >= 1, page.name
            widest = tab.evaluate("Math.max(...[...document.querySelectorAll('.prose table')]"
                                  ".filter(t => !t.textContent.includes('Tour0'))"
                                  ".map(t => t.getBoundingClientRect().right))")
            assert widest <= 360, (page.name, widest)
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, page.name
    finally:
        tab.close()


def test_a_name_in_the_sites_tables_wraps_on_a_phone(built, browser):
    """The site's tables keep their cells on one line (dates, commits, numbers): a name
    in one did too, in a scrolling box on a phone. The credits' table of heroes was 620
    px wide for the hero's name (a quest's 3,400), and the hero's derived stats by level
    808 px for a stat named with the place name, the numbers a long way to the side. A
    name wraps, and no cell of either page is wider than the screen."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    cells = {}
    try:
        for page in ("credits.html", "heroes/first-hero.html"):
            tab.goto((built / "site" / page).as_uri())
            cells[page] = tab.evaluate("[...document.querySelectorAll('table:not(.prose table) :is(th, td)')]"
                                       ".map(c => [c.textContent.trim(), c.getBoundingClientRect().width])")
    finally:
        tab.close()
    assert any(text.startswith(f"Rook of {WORD}") for text, _ in cells["credits.html"]), cells
    assert any(text.startswith(f"Hit points of {WORD}") for text, _ in cells["heroes/first-hero.html"]), cells
    assert [(page, text[:30], width) for page, row in cells.items() for text, width in row if width > 360] == []


def test_a_table_wider_than_a_phone_scrolls_in_its_own_box(built, browser):
    """A table of 40 one-word columns is wider than a phone however its cells break
    (1,282 px on 360): the story's page scrolled sideways once the player showed its
    scene. It scrolls in a box of its own inside the page, which a keyboard reaches."""
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        tab.goto((built / "site/stories/first-story.html").as_uri() + "#scene-tracks")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 360
        box = tab.evaluate("""(() => { const t = [...document.querySelectorAll('.prose table')]
                                .find(t => t.textContent.includes('Tour0')); const b = t.parentElement;
                              return [b.getBoundingClientRect().right, b.scrollWidth > b.clientWidth,
                                      getComputedStyle(b).overflowX, b.tabIndex]; })()""")
        assert box[0] <= 360 and box[1] and box[2] == "auto" and box[3] == 0, box
    finally:
        tab.close()


def test_a_table_of_many_columns_prints_each_letter_in_its_own_cell(built):
    """The scene's table of 60 one-word columns on the A5 gamebook: each cell was
    narrower than a letter, and the letters were printed over the next cells' (60 pairs
    of words overlapping, HF1139 '110 printed lines run past the edge'). The table is
    set smaller (pdf/table_fit.py): no two printed words overlap."""
    need_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(built / "pdf/stories/first-story.pdf"), "-"],
                         capture_output=True, check=True).stdout
    pages = [[tuple(float(w.get(k)) for k in ("xmin", "xmax", "ymin", "ymax")) + (w.text,) for w in page.iter("word")]
             for page in etree.fromstring(out, etree.HTMLParser(encoding="utf-8")).iter("page")]
    assert any(w[4].startswith("T") for words in pages for w in words)
    over = [(a[4], b[4]) for words in pages for i, a in enumerate(words) for b in words[i + 1:]
            if a[0] < b[1] - 0.3 and b[0] < a[1] - 0.3 and a[2] < b[3] - 0.3 and b[2] < a[3] - 0.3]
    assert not over, over[:5]


def test_a_choice_that_begins_with_long_code_breaks_inside_the_page(built):
    """A gamebook choice whose text is code (`hyphens: manual`) too long for the line:
    WeasyPrint found no break between the choice's marker (◆, generated content) and
    the code, and printed the code's 116 letters whole on the next line, 4 pt past the
    A5 page's edge. The marker is an atomic box now, still at the text's start (an
    inherited text-indent would move it 4 mm into the margin)."""
    need_poppler()
    out = subprocess.run(["pdftotext", "-bbox", str(built / "pdf/stories/first-story.pdf"), "-"], capture_output=True,
                         check=True).stdout
    words = [(float(page.get("width")), w) for page in etree.fromstring(out, etree.HTMLParser(encoding="utf-8")).iter("page")
             for w in page.iter("word")]
    code = _run_of(words, WORD + WORD)
    assert code, [w.text for _, w in words if WORD[:10] in (w.text or "")]
    assert all(float(w.get("xmax")) <= width - NARROWEST_MARGIN + 0.5 for width, w in code), \
        [(w.text, w.get("xmax"), width) for width, w in code]
    markers = [float(w.get("xmin")) for _, w in words if w.text == "◆"]
    assert len(markers) >= 3 and min(markers) >= NARROWEST_MARGIN - 0.5, markers


def test_a_sheet_as_wide_as_its_page_whatever_its_longest_word(built):
    """The hero sheet printed alone lays its parts out in a column (flex), and WeasyPrint
    made the column's items wider than the page for a long word in the relationships'
    column (whose words are not hyphenated): a character named with one 116-letter
    word, in the hero's ties, set the sheet 53 pt wider than A4's text: the ties ran
    4 pt past the paper's right edge, and the hero's name, broken to the wider sheet,
    to 606 pt of 595 (the field report's). Every word now ends inside the sheet's
    right margin (15 mm)."""
    need_poppler()
    words = _words(built / "pdf/heroes/first-hero.pdf")
    outside = [(w, round(x, 1)) for width, x, w in words if x > width - 15 * MM + 0.5]
    assert not outside, outside
    assert WORD + WORD in "".join(w.replace("\u2010", "") for _, _, w in words)   # the name, whole, in pieces


def _boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words as (left, top, right, bottom, text), in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return [[tuple(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax")) + (w.text or "",) for w in page.iter("word")]
            for page in etree.fromstring(out, etree.HTMLParser(encoding="utf-8")).iter("page")]


def _overlapping(words: list) -> list:
    """The pairs of one page's words whose boxes overlap (by more than rounding)."""
    return [(a[4], b[4]) for i, a in enumerate(words) for b in words[i + 1:]
            if a[0] < b[2] - 0.3 and b[0] < a[2] - 0.3 and a[1] < b[3] - 0.3 and b[1] < a[3] - 0.3]


def _run_of(words: list, text: str) -> list:
    """The consecutive words that spell `text` exactly, broken as they print (no hyphen
    between them: code breaks without one), or []."""
    for start in range(len(words)):
        spelt, end = "", start
        while end < len(words) and text.startswith(spelt + (words[end][1].text or "")):
            spelt += words[end][1].text or ""
            end += 1
            if spelt == text:
                return words[start:end]
    return []


# Every element of a page, measured on the screen: a box past either edge of the screen
# (not inside a box that scrolls sideways, which a keyboard reaches), and text cut off
# by a box that hides its overflow, unless the box ends it with an ellipsis and holds
# the whole text in its title (what a pointer shows on hover).
_PAST_THE_EDGE = r"""() => {
  const width = innerWidth, found = [];
  const scrolled = el => { for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const x = getComputedStyle(box).overflowX;
      if ((x === 'auto' || x === 'scroll') && (box.tabIndex >= 0 || box.querySelector('a[href], button, input, select'))) return true; }
    return false; };
  const said = el => (el.textContent || '').trim().slice(0, 40);
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if ((!r.width && !r.height) || el.closest('.visually-hidden')) continue;
    if ((r.right > width + 0.5 || r.left < -0.5) && !scrolled(el))
      found.push(['past the edge', el.tagName + '.' + el.className, Math.round(r.left), Math.round(r.right), said(el)]);
    const style = getComputedStyle(el);
    if ((style.overflowX === 'hidden' || style.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 1) {
      const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node; (node = texts.nextNode());) {
        const range = document.createRange();
        range.selectNodeContents(node);
        if (node.textContent.trim() && [...range.getClientRects()].some(q => q.right > r.right + 1 || q.left < r.left - 1)) {
          if (!(style.textOverflow === 'ellipsis' && el.title === el.textContent.trim()))
            found.push(['cut off', el.tagName + '.' + el.className, el.scrollWidth, el.clientWidth, said(el)]);
          break;
        }
      }
    }
  }
  return [document.scrollingElement.scrollWidth, found];
}"""


def test_no_page_of_the_site_runs_past_a_phones_edge(built, browser):
    """Every page the site writes, in each of its languages (the 404 page too, served
    from a web root as a server serves it), on a 320 and a 360 px phone (the one page
    loaded once, measured at each width): the long words in every field a writer types
    (the fixture's `_every_field`) keep to the screen, and no text is cut off unseen.
    The search page is measured with its results shown for a query, and a story's page
    after a choice, the player's trail of choices drawn. Before, the project's title
    in the header and a long choice in the trail were cut to the screen with an
    ellipsis and nothing else held the rest: "The Llanfairpwllgwyngy…"; and the
    player's hero picker was as wide as the longest name, 882 px on 320."""
    site = built / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert {"404.html", "search.html", "credits.html", "relationships.html", "ar/stories/first-story.html",
            "en-XA/heroes/first-hero.html"} <= set(pages), pages

    def serve(route):
        file = site / route.request.url.split("://site.test/", 1)[1].split("?")[0].split("#")[0]
        route.fulfill(path=file) if file.is_file() else route.fulfill(status=404)

    context = browser.new_context(viewport={"width": 320, "height": 740})
    context.route("http://site.test/**", serve)
    tab = context.new_page()
    wrong, pickers, results = {}, 0, 0
    try:
        for page in pages:
            tab.set_viewport_size({"width": 320, "height": 740})
            tab.goto(f"http://site.test/{page}")
            if page.endswith("search.html"):
                tab.locator("main input[type=search]").fill(WORD[:8])
                tab.wait_for_function("document.querySelectorAll('#search-results li').length > 0")
                results += 1
            elif "/stories/" in f"/{page}" and not page.endswith("index.html"):
                tab.locator(".scene.is-current .choice:not([hidden]) a").first.click()
                tab.wait_for_function("document.querySelectorAll('.trail li').length > 0")
                tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                pickers += tab.locator("select#player-hero:visible").count()
            for phone in (320, 360):
                tab.set_viewport_size({"width": phone, "height": 740})
                wide, found = tab.evaluate(_PAST_THE_EDGE)
                if wide > phone or found:
                    wrong[f"{page} at {phone}"] = (wide, found[:4])
    finally:
        context.close()
    assert results == 3 and pickers == 3, (results, pickers)
    assert wrong == {}, wrong


# The theme's words for "turn to" in a project's own German catalog, longer than the A5
# gamebook's line: words around one no hyphenation pattern splits (the German patterns
# split even a run of consonants: a word they split breaks at a hyphen, said by no one)
TURN_TO = "blättere weiter zum Abschnitt B" + "x" * 90
# and its names for the compendium's parts, one word each wider than half the page
# (the quests' part, 100 letters: 540 pt in the running head's capitals)
LONG_PART = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
QUESTS_PART = LONG_PART + "saufgabenverzeichnis"
PARTS = {"Quests": QUESTS_PART, "Characters": LONG_PART + "sfiguren"}


def test_the_themes_own_words_for_turn_to_wrap_inside_the_page(tmp_path, browser):
    """"turn to 27" was kept on one line (`white-space: nowrap`), in the A5 gamebook and
    the EPUB: a project theme's catalog saying it in long words printed them past the
    paper's edge (to 421 pt of 420) and scrolled the EPUB's chapter sideways on a phone.
    The phrase is placed whole on a line when it fits, and wraps when it is longer. Its
    word broken to fit (HF1139) is said at the catalog's line that holds it: it was said
    at the story's file, with no line, a file that does not hold it."""
    need_poppler()
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    edit_file(root / "foundry.toml", ('language = "en"', 'language = "de"'))
    catalog = root / "themes/default/locale/de/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       f'msgid "turn to"\nmsgstr "{TURN_TO}"\n'
                       + "".join(f'\nmsgid "{word}"\nmsgstr "{said}"\n' for word, said in PARTS.items()), encoding="utf-8")
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root),
                  env={"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"})
    assert run.code == 0, run.stdout + run.stderr
    broken = {(d["file"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF1139" and "Bxxx" in d["message"]}
    assert broken == {("themes/default/locale/de/LC_MESSAGES/messages.po", 6)}, broken
    words = _words(root / "build/pdf/stories/first-story.pdf")
    assert TURN_TO.split()[-1][:20] in "".join(w for _, _, w in words)
    assert [(w, round(x, 1)) for width, x, w in words if x > width - NARROWEST_MARGIN + 0.5] == []
    # The part's name in the compendium's running head was never broken: a name wider
    # than half the line took it all, to 557 pt of 595 (past the 18 mm margin), and the
    # entry's name beside it was squeezed to a letter a line ("T", "h…") printed over
    # it. The part's name has at most 70 mm of the line: broken there, its second line
    # ends in an ellipsis (its whole name is on the part's opening page, said broken by
    # HF1139 at the catalog's line).
    compendium = root / "build/pdf/compendium.pdf"
    words = _words(compendium)
    assert [(w, round(x, 1)) for width, x, w in words if x > width - 18 * MM + 0.5] == []
    assert [pair for page in _boxes(compendium) for pair in _overlapping(page)] == []
    heads = [w for page in _boxes(compendium) for w in page if w[3] < 18 * MM]
    assert any(text.endswith("…") and text[:-1] in QUESTS_PART.upper() for *_, text in heads), heads
    assert "Through" in [text for *_, text in heads], heads     # the quest's title beside it, whole
    book = tmp_path / "book"
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as z:
        z.extractall(book)
    chapters = [p for p in sorted((book / "EPUB").glob("s*.xhtml")) if "blättere weiter" in p.read_text(encoding="utf-8")]
    assert chapters
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        for chapter in chapters:
            tab.goto(chapter.as_uri())
            assert tab.evaluate("document.documentElement.scrollWidth") <= 360, chapter.name
    finally:
        tab.close()
