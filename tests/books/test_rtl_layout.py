"""A right-to-left book lays its lines out from the right: the gamebook's choices start
with their marker at the right, lists indent from the right, labels align to the start.
The print and EPUB stylesheets named physical sides (`margin: 0 0 1.6mm 4mm`,
`padding-left`, `text-align: left`), so in an Arabic gamebook a short choice was set
flush left with its marker at its right end, mid-page, and a long one ran 4 mm past the
right edge of the text (HF1139 on the sample world's Arabic gamebooks); in the EPUB each
choice's first line ran 1em past the body. Left-to-right books are laid out as before
(the logical side is the physical one there)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import polib
from pypdf import PdfReader

from lxml import etree

from support import REPO, ROOTS, edit_file, epubcheck_many, foundry, require_tool

EPOCH = "1700000000"
# Builds render their books in their own process (FOUNDRY_JOBS=1): a pool's workers
# cost CPU to start and the books are the same exporter's either way
# (tests/books/test_overflow.py `_build_pdf`).
BUILD_ENV = {"SOURCE_DATE_EPOCH": EPOCH, "FOUNDRY_JOBS": "1"}
# Each choice's translation: long enough to wrap, so the first line (the one the
# marker and the hanging indent start) is full.
ARABIC = "ادفع للمرشد واتبع الفانوس عبر الضباب الكثيف حتى تصل إلى الضفة البعيدة من المستنقع"
# A translated paragraph and a hero's name that start with a Latin letter: left to
# right by their first strong letter (UAX #9 P2, as dir="auto" decides), in an Arabic book.
LATIN = "Noa Cohen-Smith holds the lantern (نوعا)."
LATIN_NAME = "Noa Cohen-Smith نوعا"
# A choice translated with a Latin name first (the one always open at the start: it ends).
LATIN_CHOICE = "Wait for Noa (نوعا)."
# A translated paragraph holding a link its translator marked {dir=auto}, whose words
# start with a Latin letter: left to right inside the Arabic line, as a browser sets it.
AUTO_LINK = "ادفع للمرشد [Ilse Vey (ليلى)](https://example.org/ilse){dir=auto} واتبع الفانوس"
# A character of the English world named in Arabic first: right to left on its English pages.
ARABIC_NAME = "نوعا الكبيرة Cohen-Smith"


def _arabic_world(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "content/characters/noa.yaml").write_text(f"name: {ARABIC_NAME}\nrole: Ferrywoman\n", encoding="utf-8")
    # a link its writer marked {dir=auto}, translated (AUTO_LINK)
    # ...and a choice never taken (coins are 0 here): the story check's note HF0505, its
    # code and English message a left-to-right item on the Arabic story page
    edit_file(root / "content/stories/first-story.md",
              ("The lantern bobs ahead.", "The lantern bobs ahead. [Ilse](https://example.org/ilse){dir=auto} waits."),
              ('- [Step onto the bank](#bank){do="set crossed"}',
               '- [Step onto the bank](#bank){do="set crossed"}\n- [Bribe the ferryman](#bank){if="coins >= 5" id="bribe"}'))
    # a chain of quests (the road here): an Arabic quest after the English one
    (root / "content/quests/second-quest.yaml").write_text(
        "title: عبور النهر الكبير في الليل\nstatus: draft\nsummary: اعبر النهر.\nprerequisites: [first-quest]\n"
        "objectives:\n  - {id: cross, text: الوصول إلى الضفة, done_when: crossed}\n",
        encoding="utf-8")
    # lists whose items start in either direction: in the English books an Arabic item
    # (dir="rtl"), in the Arabic ones (translated, the items kept) its English items (dir="ltr")
    edit_file(root / "content/quests/first-quest.yaml",
              ("summary: Cross the marsh before the bell tolls.",
               "summary: |\n  Cross the marsh:\n\n  - Lantern of the drowned coast\n  - فانوس الساحل الغارق\n\n"
               "  1. Pay the guide\n  2. ادفع للمرشد\n"),
              ("done_when: crossed}", "done_when: crossed}\n  - {id: pay, text: ادفع للمرشد, done_when: paid}"))
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    translated = 0
    for path in (root / "translations/ar").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgctxt.endswith(".choice.road--wait"):
                entry.msgstr = LATIN_CHOICE
            elif ".choice." in entry.msgctxt:
                entry.msgstr = ARABIC
                translated += 1
            elif entry.msgctxt == "story.first-story.scene.road.p1":
                entry.msgstr = LATIN
            elif entry.msgctxt == "story.first-story.scene.lantern.p1":
                entry.msgstr = AUTO_LINK
            elif entry.msgctxt == "hero.first-hero.name":
                entry.msgstr = LATIN_NAME
            elif entry.msgctxt == "quest.first-quest.summary":   # its items as they were
                entry.msgstr = "عبور المستنقع:" + entry.msgid.partition(":")[2]
            elif entry.msgctxt == "quest.first-quest.objective.cross":
                entry.msgstr = "Reach the far bank (الضفة)"
        po.save()
    assert translated >= 3
    return root


def _pages(pdf) -> list[tuple[float, list[tuple[str, float, float, float]]]]:
    """(page width, its words as (text, xMin, xMax, yMin)) of every page (pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    return [(float(page.get("width")), [(w.text or "", *(float(w.get(k)) for k in ("xMin", "xMax", "yMin")))
                                        for w in page.iter("{*}word")]) for page in tree.iter("{*}page")]


COMPENDIUM_MARGIN = 18 * 72 / 25.4
# a part's name in a project's catalog that starts left to right, in an Arabic book
PART = "Yamada 山田 ليلى"


def _gamebook_heads_mirrored(pdf) -> None:
    """A right-to-left gamebook's running heads name a spread's range as its reader
    reads it, from the right: a right page's head is its first section, a left page's
    its last (the mirror of a left-to-right book's; WeasyPrint makes a right-to-left
    book's first page a left one). Each page's sections are read from the outline."""
    reader = PdfReader(str(pdf))
    starts: dict[int, list[int]] = {}
    for item in reader.outline:   # "Section 3", in the book's language ("المقطع 3")
        number = None if isinstance(item, list) else re.search(r"(\d+)$", str(item.title))
        if number:
            starts.setdefault(reader.get_destination_page_number(item), []).append(int(number.group(1)))
    pages = _pages(pdf)
    carried, checked, differ = None, 0, 0
    for index, (width, words) in enumerate(pages):
        begun = sorted(starts.get(index, []))
        first, last = (begun[0] if begun else carried), (begun[-1] if begun else carried)
        carried = last
        head = [w for w in words if w[3] < 30 and w[0].isdigit()]
        if first is None or not head:
            continue
        [shown] = head
        left_page = index % 2 == 0          # the first page (index 0) is a left one
        assert (shown[2] < width / 2) == left_page, (index, shown)
        assert int(shown[0]) == (last if left_page else first), (index, shown, first, last)
        checked += 1
        differ += first != last
    assert checked >= 3 and differ >= 1, (checked, differ)


def _markers_outside_their_lists(page) -> tuple[int, list[str]]:
    """On the page open in `page`: how many items marked with a direction of their own
    (li[dir], direction.py: an item in the other direction than its list) show a
    marker, and the start of each whose marker is drawn outside its list's box. Where
    the marker is drawn is seen, not guessed: the strips of the screen beside the list,
    along the item, pictured with the item's marker and without it, differ."""
    count = page.evaluate("document.querySelectorAll('li[dir]').length")
    shown, outside = 0, []
    for index in range(count):
        item = f"document.querySelectorAll('li[dir]')[{index}]"
        box = page.evaluate(f"""() => {{
            const li = {item};
            if (getComputedStyle(li).listStyleType === 'none' || !li.getClientRects().length) return null;
            li.scrollIntoView({{block: 'center'}});
            const r = li.getBoundingClientRect(), list = li.parentElement.getBoundingClientRect();
            return [r.top, r.bottom - r.top, list.left, list.right, document.documentElement.clientWidth,
                    li.textContent.trim().slice(0, 30)];
        }}""")
        if box is None:
            continue
        top, height, left, right, width, text = box
        strips = [{"x": 0, "y": top, "width": left, "height": height},
                  {"x": right, "y": top, "width": width - right, "height": height}]
        pictures = []
        for marker in ("", "none"):
            page.evaluate(f"() => {{ {item}.style.listStyleType = '{marker}'; }}")
            pictures.append([page.screenshot(clip=strip) for strip in strips if strip["width"] >= 1])
        page.evaluate(f"() => {{ {item}.style.listStyleType = ''; }}")
        shown += 1
        if pictures[0] != pictures[1]:
            outside.append(text)
    return shown, outside


def _chain_circles_off_their_words(page) -> tuple[int, list[str]]:
    """On the quest page open in `page`: how many steps its chain (the road here) shows,
    and the start of each whose number's circle (its ::before) is not in the chain's
    one column on the chain's start side, clear of the step's words and inside the list."""
    steps = page.evaluate("""() => [...document.querySelectorAll('.chain > li')].map(li => {
        const r = li.getBoundingClientRect(), circle = getComputedStyle(li, '::before');
        const list = li.parentElement.getBoundingClientRect(), words = document.createRange();
        words.selectNodeContents(li);
        const w = words.getBoundingClientRect(), left = r.left + parseFloat(circle.left);
        return [left, left + parseFloat(circle.width), w.left, w.right, list.left, list.right,
                getComputedStyle(li.parentElement).direction, li.textContent.trim().slice(0, 30)];
    })""")
    wrong = []
    for left, right, words_left, words_right, list_left, list_right, direction, text in steps:
        side = right <= list_left + 40 if direction == "ltr" else left >= list_right - 40
        clear = right <= words_left or left >= words_right
        if not (side and clear and list_left - 1 <= left and right <= list_right + 1):
            wrong.append(text)
    return len(steps), wrong


def _arabic_choices(root, text: str) -> None:
    """Arabic named in `root`'s foundry.toml, and every choice translated as `text`."""
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    for path in (root / "translations/ar").rglob("*.po"):
        po = polib.pofile(str(path))
        for entry in po:
            if ".choice." in entry.msgctxt:
                entry.msgstr = text
        po.save()


def test_a_right_to_left_gamebook_keeps_its_choices_inside_the_page(tmp_path, browser):
    root = _arabic_world(tmp_path)
    run = foundry("build", "--only", "pdf,epub,html", "--format", "json", "--project", str(root),
                  env=BUILD_ENV)
    assert run.code == 0, run.stderr
    over = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1139" and "pdf/ar/" in d["message"]]
    assert over == [], over
    # Each choice's marker stands at the start (right) edge of the text, as the lines
    # of prose end there; it stood at the right end of a line set flush left (a short
    # choice), or 4 mm past the edge (a full one). pdftotext -bbox gives each word's box.
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    boxes = subprocess.run(["pdftotext", "-bbox", str(root / "build/pdf/ar/stories/first-story.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    markers = 0
    for page in boxes.split("<page ")[1:]:
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        words = [(float(x), float(y), w) for y, x, w
                 in re.findall(r'yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', page)]
        edge = max((x for x, _, w in words if w != "◆"), default=0)
        for x, y, w in words:
            # (the Latin-first choice is left to right: its marker at the left, checked on the site)
            if w == "◆" and not any(v == "Wait" and abs(y - z) < 4 for _, z, v in words):
                markers += 1
                assert x <= width - 14 * 72 / 25.4 + 0.5, (x, width)      # inside the page's text area
                assert x >= edge - 4 * 72 / 25.4 - 1, (x, edge)            # at the start, within the 4 mm indent
    assert markers >= 3

    # A paragraph translated with a Latin name first reads left to right (its first
    # strong letter's direction, UAX #9 P2, as the site's dir="auto" decides): it
    # starts at the text's left edge and its closing parenthesis and full stop end it
    # at the right. It was laid out right to left: flush right, ").(...)" at its left.
    margins = (14 * 72 / 25.4, 17 * 72 / 25.4)   # the gamebook's left margin, a left page's and a right one's
    pages = _pages(root / "build/pdf/ar/stories/first-story.pdf")
    line = next(line for _, words in pages for noa in words if noa[0] == "Noa"
                for line in [[w for w in words if abs(w[3] - noa[3]) < 1]] if any(w[0] == "holds" for w in line))
    assert min(w[1] for w in line) == next(w[1] for w in line if w[0] == "Noa"), line
    assert any(abs(min(w[1] for w in line) - margin) < 1 for margin in margins), (line, margins)
    last = max(line, key=lambda w: w[2])
    assert last[0].endswith(").") and any("\u0600" <= c <= "\u06ff" for c in last[0]), line
    # A translator's dir="auto" on a link is HTML's: its words' own direction, left to
    # right here, "Ilse" at the left of "(ليلى)". WeasyPrint reads dir="ltr" and "rtl"
    # only, and set the link right to left as its line: "(ليلى)" at the left of "Ilse".
    ilse = next(w for _, words in pages for w in words if w[0] == "Ilse")
    layla = [w for _, words in pages for w in words if abs(w[3] - ilse[3]) < 3 and ("ليلى" in w[0] or "ىليل" in w[0])]
    assert layla and ilse[2] < layla[0][1], (ilse, layla)
    # a name in the compendium too: "Noa Cohen-Smith نوعا" reads Latin first (at the
    # left) in its heading and in the running head that copies it (an isolate, base.css)
    arabic = lambda w: w in ("نوعا", "اعون")   # noqa: E731  (pdftotext gives Arabic in the order it is drawn)
    named = [(width, words) for width, words in _pages(root / "build/pdf/ar/compendium.pdf")
             if any(w[0] == "Noa" and w[3] < 40 for w in words)]
    assert named
    for width, words in named:
        heads = [w for w in words if w[3] < 40]
        for noa in (w for w in words if w[0] == "Noa"):
            line = [w for w in (heads if noa[3] < 40 else words) if abs(w[3] - noa[3]) < 3]
            assert noa[1] < min(w[1] for w in line if arabic(w[0])), line
        # the running heads are the mirror image of a left-to-right book's: the entry's
        # name at the left edge of the text, the part's at the right (they were on the
        # sides an English book has them: the part at the left, where an Arabic line ends)
        name = [w for w in heads if w[0] in ("Noa", "Cohen-Smith") or arabic(w[0])]
        part = [w for w in heads if w not in name]
        assert part and abs(min(w[1] for w in name) - COMPENDIUM_MARGIN) < 1, heads
        assert abs(max(w[2] for w in part) - (width - COMPENDIUM_MARGIN)) < 1, heads
        assert max(w[2] for w in name) < min(w[1] for w in part), heads

    # the EPUBs say it (dir="ltr" on the block) and still pass epubcheck
    for book, tags in (("stories/first-story.epub", ("p",)), ("compendium.epub", ("h1", "h2"))):
        with zipfile.ZipFile(root / "build/epub/ar" / book) as epub:
            blocks = [e for name in epub.namelist() if name.endswith(".xhtml")
                      for e in etree.fromstring(epub.read(name)).iter(*(f"{{http://www.w3.org/1999/xhtml}}{t}"
                                                                        for t in tags))
                      if "".join(e.itertext()).strip().startswith("Noa Cohen-Smith")]
        assert blocks and all(e.get("dir") == "ltr" for e in blocks), (book, [etree.tostring(e) for e in blocks])
    books = [root / "build/epub/ar/stories/first-story.epub", root / "build/epub/ar/compendium.epub"]
    (tmp_path / "epubcheck").mkdir()
    for run in epubcheck_many(books, tmp_path / "epubcheck"):
        assert run.returncode == 0, run.stdout + run.stderr

    # the EPUB's sections, as a reading system lays them out on a phone: nothing past
    # the body's right edge, each choice's marker line included
    out = tmp_path / "epub"
    with zipfile.ZipFile(root / "build/epub/ar/stories/first-story.epub") as book:
        book.extractall(out)
    sections = sorted((out / "EPUB").glob("s0*.xhtml"))
    assert sections
    page = browser.new_page(viewport={"width": 360, "height": 800})
    try:
        seen = 0
        for section in sections:
            page.goto(section.as_uri())
            assert page.evaluate("document.documentElement.dir || document.body.dir") == "rtl"
            past = page.evaluate("""() => {
                const body = document.body.getBoundingClientRect();
                const out = [];
                for (const li of document.querySelectorAll('.turns li')) {
                  const range = document.createRange();
                  range.selectNodeContents(li);
                  for (const r of range.getClientRects())
                    if (r.right > body.right + 0.5 || r.left < body.left - 0.5) out.push(li.textContent.slice(0, 40));
                }
                return [document.querySelectorAll('.turns li').length, out];
            }""")
            seen += past[0]
            assert past[1] == [], (section.name, past[1])
        assert seen >= 3
        # A list's item in the other direction than the list (an English one in the
        # Arabic compendium, an Arabic one in the English) hangs its marker on its own
        # start side: it stood outside the list, past the body's edge, off a phone's
        # screen ("1." of an English objective at the left of an Arabic page). Inside.
        for book in ("ar/compendium.epub", "compendium.epub"):
            with zipfile.ZipFile(root / "build/epub" / book) as epub:
                epub.extractall(tmp_path / book)
            page.goto((tmp_path / book / "EPUB/quests.xhtml").as_uri())
            shown, outside = _markers_outside_their_lists(page)
            assert shown >= 3 and outside == [], (book, shown, outside)
    finally:
        page.close()


    # The site's Arabic pages agree with the books: the Latin-first paragraph starts at
    # the left of its box with "(نوعا)." ending it at the right, the hero's name heading
    # reads Latin first, and a cell of numbers stays right to left. They
    # were right to left: the paragraph flush right, its stop and parenthesis at the left.
    site = root / "build/site/ar"
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        where = """([selector, start]) => {
            const el = [...document.querySelectorAll(selector)].find(e => e.textContent.trim().startsWith(start));
            const box = el.getBoundingClientRect(), range = document.createRange();
            const text = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            const words = [];
            for (let node = text.nextNode(); node; node = text.nextNode())
              for (const m of node.data.matchAll(/\\S+/g)) {
                range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                const r = range.getBoundingClientRect();
                words.push([m[0], r.left, r.right]);
              }
            return {dir: getComputedStyle(el).direction, left: box.left, right: box.right, words};
        }"""
        page.goto((site / "stories/first-story.html").as_uri())
        found = page.evaluate(where, [".prose p", "Noa"])
        first = min(found["words"], key=lambda w: w[1])
        last = max(found["words"], key=lambda w: w[2])
        assert found["dir"] == "ltr" and first[0] == "Noa" and abs(first[1] - found["left"]) < 2, found
        assert last[0] == "(نوعا)." or last[0].endswith(")."), found
        # The story player's trail chip copies the Latin-first choice the reader takes
        # and reads left to right, as the choice itself does (marked by the server):
        # "Wait" at its start (left) edge, after the step number, "(نوعا)." at its end.
        # It was a right-to-left chip: "Wait" at the right, the stop at the left. The
        # state's number (coins: 2) keeps the page's direction (dir="auto" would make it ltr).
        choice = page.locator(".choice a", has_text="Wait for Noa")
        assert choice.evaluate("a => getComputedStyle(a.closest('li')).direction") == "ltr"
        choice.click()
        chip = page.evaluate(where, [".trail li", "Wait"])
        first = min(chip["words"], key=lambda w: w[1])
        last = max(chip["words"], key=lambda w: w[2])
        assert chip["dir"] == "ltr" and first[0] == "Wait" and first[1] - chip["left"] < 40, chip
        assert last[0].endswith(")."), chip
        coins = page.locator(".player-state dd[data-var=coins]")
        assert coins.evaluate("dd => [dd.textContent, dd.getAttribute('dir'), getComputedStyle(dd).direction]") \
            == ["2", None, "rtl"]
        page.goto((site / "heroes/first-hero.html").as_uri())
        named = page.evaluate(where, ["h1", "Noa"])
        noa = next(w for w in named["words"] if w[0] == "Noa")
        assert named["dir"] == "ltr" and noa[1] < min(w[1] for w in named["words"] if w[0] == "نوعا"), named
        # a level's numbers (aligned to their cell's end, site.css): still right to left,
        # so at the cell's left; unicode-bidi: plaintext would make it ltr, at the right
        cell = page.evaluate(where, [".stats-table td", "3"])
        assert cell["dir"] == "rtl" and abs(min(w[1] for w in cell["words"]) - cell["left"]) < 20, cell
        # a list's English items on the Arabic quest page keep their markers inside their
        # lists, as the books do; on a phone the "1." was off the screen's left edge
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto((site / "quests/first-quest.html").as_uri())
            # (two such items: the objectives, said with the page's own words for
            # "done when" since the no-JavaScript pages say conditions in words, are
            # mostly Arabic now and take the list's direction)
            shown, outside = _markers_outside_their_lists(page)
            assert shown >= 2 and outside == [], (width, shown, outside)
            # The story check's notes (an HF code and its English message: left to right)
            # keep their markers inside their list too; on a phone the page scrolled 2 px.
            page.goto((site / "stories/first-story.html").as_uri())
            shown, outside = _markers_outside_their_lists(page)
            assert shown >= 1 and outside == [], (width, shown, outside)
            # The player's bar reads from the right: "Playing as" at its start (it was
            # pushed to the far left, its buttons after it, by a margin on its right).
            bar = page.evaluate("""() => [document.querySelector('.player-bar'), document.querySelector('.playing-as')]
                .map(e => e.getBoundingClientRect()).reduce((b, p) => [b.right - p.right, p.left - b.left])""")
            assert bar[0] < bar[1], (width, bar)
            # The chain's circles stand in one column at its start (right), each clear of
            # its quest's words: an Arabic quest's circle was drawn over its title's first
            # words (the room kept on the left), an English one's at the left.
            page.goto((site / "quests/second-quest.html").as_uri())
            steps, wrong = _chain_circles_off_their_words(page)
            assert steps == 2 and wrong == [], (width, wrong)
        page.set_viewport_size({"width": 1280, "height": 900})

        # The search results search.js writes into the page take their direction as
        # dir="auto" decides, as the pages do: on the Arabic page the hero's Latin-first
        # name starts at the left of its result, its Arabic word after it (it was laid
        # out right to left, flush right, "Noa" after the Arabic). On an English page a
        # character named in Arabic first starts at the right, "Cohen-Smith" at its left
        # (site.css's plaintext did that already; dir="auto" must not undo it).
        for language, query, selector, first_word, later in (
                ("ar", "Noa", "heroes/first-hero.html", "Noa", "نوعا"),
                ("", "Cohen", "characters/noa.html", "نوعا", "Cohen-Smith")):
            page.goto((root / "build/site" / language / "search.html").as_uri() + f"?q={query}")
            result = page.locator(f"#search-results li.result:has(a[href$='{selector}'])")
            result.wait_for()
            shown = result.evaluate("""li => {
                const a = li.querySelector('.result-title'), box = li.getBoundingClientRect();
                const range = document.createRange(), words = [];
                for (const m of a.textContent.matchAll(/\\S+/g)) {
                  range.setStart(a.firstChild, m.index); range.setEnd(a.firstChild, m.index + m[0].length);
                  const r = range.getBoundingClientRect();
                  words.push([m[0], r.left, r.right]);
                }
                const style = getComputedStyle(li), padding = [parseFloat(style.paddingLeft), parseFloat(style.paddingRight)];
                return {dir: getComputedStyle(a).direction, line: getComputedStyle(li).direction,
                        left: box.left + padding[0], right: box.right - padding[1], words};
            }""")
            at = {w[0]: w for w in shown["words"]}
            if first_word == "Noa":     # left to right in the Arabic page
                assert shown["line"] == "ltr" and abs(at["Noa"][1] - shown["left"]) < 2, shown
                assert at["Noa"][2] < at[later][1], shown
            else:                       # right to left in the English page
                assert abs(at[first_word][2] - shown["right"]) < 2, shown
                assert at[later][2] < at[first_word][1], shown
    finally:
        page.close()



def test_a_right_to_left_books_running_heads_are_the_mirror_image(tmp_path):
    """A gamebook's heads name, in each page's outer corner, the range of sections its
    spread holds: a left page its first, a right page its last. An Arabic or Hebrew
    book is read from its right page, and printed the same corners, it named the two
    sections in the middle of the spread. (The compendium's sides: the test above.)

    And a part's name that starts in the other direction than its book (a project's
    own catalog naming the heroes' part "Yamada 山田 ليلى" in an Arabic book) is set
    left to right on the part's opening page (its h1 is marked dir="ltr"), but its
    running head copied the text alone into the book's right-to-left head: the Arabic
    at the left of the Latin there, at its right on the opening page. Isolated in the
    heading's direction, as the entries' heads are, it reads alike.

    And the project's own base.css puts a head of its own on right pages (`@page :right
    { @top-left }`), which outweighs the shipped `@page` heads and printed in a
    left-to-right compendium; in this Arabic one the shipped `@page mirrored` named
    that box, and a page's name outweighs its side: the project's head printed nowhere.
    The mirrored page weighs nothing (mirrored_page.py)."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    edit_file(root / "foundry.toml", ('language = "en"', 'language = "ar"'))
    own_css = root / "themes/default/print/css/base.css"
    own_css.parent.mkdir(parents=True)
    own_css.write_text((REPO / "themes/default/print/css/base.css").read_text(encoding="utf-8")
                       + '\n@page :right { @top-left { content: "OWNHEAD"; } }\n', encoding="utf-8")
    catalog = root / "themes/default/locale/ar/LC_MESSAGES/messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                       f'msgid "Heroes"\nmsgstr "{PART}"\n', encoding="utf-8")
    story = root / "content/stories/first-story.md"
    # each scene long enough (~0.6 of an A5 page) that pages hold one section's end and
    # the next one's start
    long = " ".join([ARABIC] * 8)
    text = re.sub(r"(?m)^(## .*\n\n)(.*)$", lambda m: m.group(1) + long + " " + m.group(2), story.read_text())
    story.write_text(text, encoding="utf-8")
    run = foundry("build", "--only", "pdf", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stdout + run.stderr
    _gamebook_heads_mirrored(root / "build/pdf/stories/first-story.pdf")
    orders = []
    for _, words in _pages(root / "build/pdf/compendium.pdf"):
        for yamada in (w for w in words if w[0].lower() == "yamada"):   # the head is in capitals
            line = [w for w in words if abs(w[3] - yamada[3]) < 15 and w[0] in ("ليلى", "ىليل")]
            assert line, words   # (pdftotext gives Arabic in the order it is drawn; the faces' tops differ)
            orders.append((yamada[3] < COMPENDIUM_MARGIN, yamada[2] < line[0][1]))
    # the opening page's heading and the heads of the heroes' pages, the Latin at the left
    assert (False, True) in orders and (True, True) in orders and all(left for _, left in orders), orders
    # the project's head on the compendium's entries' pages (right ones: WeasyPrint makes a
    # right-to-left book's first page a left one), in the box it names
    own = [w for _, words in _pages(root / "build/pdf/compendium.pdf") for w in words if w[0] == "OWNHEAD"]
    assert len(own) >= 4 and all(w[3] < COMPENDIUM_MARGIN and w[2] < 300 for w in own), own


def test_a_short_right_to_left_choice_with_a_condition_stays_inside_the_page(tmp_path):
    """A short Arabic choice inside its condition and effects ("◆ If you have at least 2
    coins: <choice> — lose 2 coins, then turn to 3") is one full line: the hanging
    indent's negative text-indent gave that first line 4 mm more room, which WeasyPrint
    does not shift at the right, so it ran 4.2 pt past the left edge of the text
    (HF1139). In a right-to-left book the marker does not hang: the line wraps inside."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    _arabic_choices(root, "طريق الضباب")
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                  env=BUILD_ENV)
    assert run.code == 0, run.stderr
    over = [d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF1139"]
    assert over == [], over


# A justified Hebrew paragraph whose long bold and italic words each start a line: the
# line before each ends at a space before the emphasis, which WeasyPrint strips
# (pdf/rtl_line_ends.py).
JUSTIFIED = f"שתי מילים **{'ובהתאםלהתפתחויותהאחרונות' * 6}** ועוד שתי מילים *{'בתחוםהטכנולוגיה' * 10}* סוף."


# An attribute's description, a line as long as the compendium's glossary of them.
GLOSSED = "How quickly a hero notices the fog thickening, the bell tolling and the guide lying about the price"


def test_a_right_to_left_choice_that_is_one_long_word_breaks_inside_the_page(tmp_path):
    """A choice whose text starts with a word longer than the line, in Arabic or Hebrew:
    the marker before it (`◆`, the `::before` of each choice) left no place to break,
    and WeasyPrint printed the word whole, off the page at the left (the Hebrew choice
    of an English gamebook ran from -6 pt; an Arabic gamebook's the same), while the same
    word in prose or a left-to-right one after the marker broke inside the text area.
    Measured on both books with `pdftotext -bbox`: every word inside the margins. The
    Arabic compendium too, whose heroes' part opens with the attributes' descriptions
    in a box centred by auto margins, which WeasyPrint set flush right and then moved
    right by its left margin as well: they printed up to 5 pt past the paper's edge
    (as the cover's blurb once did, print/css/base.css)."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hebrew = "והתחמקויותיהםמהתחמקויותיהם" * 6
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("[Wait for the fog to lift]", f"[{hebrew}]")
                     .replace("Boot prints, fresh,", f"{JUSTIFIED}\n\nBoot prints, fresh,"))
    _arabic_choices(root, "مستشفياتهمبالمستشفياتهم" * 6)
    # an attribute described: the compendium's heroes' part opens with the descriptions
    rules = root / "schemas/attributes.yaml"
    rules.write_text(rules.read_text().replace("name: Wits,", f"name: Wits, description: '{GLOSSED}',"))
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                  env=BUILD_ENV)
    assert run.code == 0, run.stderr
    # the word is broken to fit (HF1139), said in the translation at its msgstr's text,
    # where a translator shortens it and the translation's other problems are said
    # (it was column 1 of the msgstr line); a msgstr wrapped after `msgstr ""` at its first line of text
    broken = [d for d in run.json()["diagnostics"] if d["code"] == "HF1139" and d["file"].endswith(".po")]
    assert broken, run.json()["diagnostics"]
    # nothing printed past its box: the justified Hebrew paragraph's lines before the
    # bold and the italic word ran 3.2 pt past the text's left edge (HF1139 "runs past")
    assert [d["message"] for d in run.json()["diagnostics"] if "past the edge" in d["message"]] == []
    for said in broken:
        line = (root / said["file"]).read_text(encoding="utf-8").splitlines()[said["line"] - 1]
        assert line.removeprefix("msgstr ").startswith('"') and line.strip() not in ('""', 'msgstr ""'), (said, line)
        assert said["column"] == line.index('"') + 2, (said, line)
    margin = 14 * 72 / 25.4   # the gamebook's outer margin (the compendium's is 18 mm)
    for pdf in ("pdf/stories/first-story.pdf", "pdf/ar/stories/first-story.pdf", "pdf/ar/compendium.pdf"):
        boxes = subprocess.run(["pdftotext", "-bbox", str(root / "build" / pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        outside = []
        for page in boxes.split("<page ")[1:]:
            width = float(re.search(r'width="([\d.]+)"', page).group(1))
            for left, right, word in re.findall(r'xMin="([\d.-]+)"[^>]*xMax="([\d.-]+)"[^>]*>([^<]*)</word>', page):
                if float(left) < margin - 0.5 or float(right) > width - margin + 0.5:
                    outside.append((pdf, round(float(left), 1), round(float(right), 1), word[:12]))
        assert outside == [], outside
        if pdf != "pdf/stories/first-story.pdf":
            continue    # the Arabic book prints the English world's paragraph as it is marked: left to right
        # each line of the justified paragraph (right to left, the English book marks
        # it so) starts at the text's right edge; the lines that ended before the
        # emphasis started a space's width short of it, and ran as far past the left
        starts: dict[tuple[int, str], float] = {}      # (page, line's top): its words' right edge
        for number, page in enumerate(boxes.split("<page ")[1:]):
            for top, right, word in re.findall(r'yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', page):
                if word[::-1] in JUSTIFIED:     # pdftotext gives Hebrew in the order it is drawn
                    starts[(number, top)] = max(starts.get((number, top), 0), float(right))
        assert len(starts) >= 6, starts
        for number in {page for page, _ in starts}:
            edges = [right for (page, _), right in starts.items() if page == number]
            assert max(edges) - min(edges) < 0.5, (pdf, starts)


def test_a_right_to_left_compendiums_cover_keeps_its_blurb_inside_the_page(tmp_path):
    """The compendium's cover shows the world's description in a box at most 110 mm
    wide, centred by auto margins. WeasyPrint sets such a box in a right-to-left
    container flush right and adds its left margin as well: in an Arabic world the
    blurb began at the middle of the page and its lines ran up to 20 mm off the right
    edge (the sample world's Arabic compendium, in English, 56 pt past it). Measured
    with `pdftotext -bbox`: every word inside the margins, the blurb's lines centred.

    And a list's items in the other direction than the book (an English objective, a
    summary's English item: direction.py marks them dir="ltr") hang their markers on
    their own start side, the left, where the Arabic list kept no room: the quest's "1."
    was set 9.8 pt into the left margin (HF1139). Every word of every page inside."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for shown_elsewhere in ("stories/first-story.md", "heroes/first-hero.yaml", "characters/old-guide.yaml"):
        (root / "content" / shown_elsewhere).unlink()   # no sheet, no gamebook: the cover and one quest
    (root / "content/quests/first-quest.yaml").write_text(
        "title: Through the Fog\nsummary: |\n  عبور المستنقع:\n\n  - Lantern of the drowned coast\n"
        "  - فانوس الساحل الغارق\n"
        "objectives:\n  - {id: cross, text: Reach the far bank, done_when: crossed}\n  - {id: pay, text: ادفع للمرشد, done_when: paid}\n", encoding="utf-8")
    blurb = "ساحل غارق من قرى الأكواخ والحصون الغارقة وحراس المنارات والمهربين حيث ارتفع البحر منذ أربعين عاما ولم يعد"
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "ar"')
                      .replace('description = "A new Hero Foundry world."', f'description = "{blurb}"'),
                      encoding="utf-8")
    run = foundry("build", "--only", "pdf", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0 and "HF1139" not in run.stdout + run.stderr, run.stdout + run.stderr
    book = str(root / "build/pdf/compendium.pdf")
    every = subprocess.run(["pdftotext", "-bbox", book, "-"], capture_output=True, text=True, check=True).stdout
    assert "Reach" in every and "Lantern" in every
    boxes = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", book, "-"],
                           capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    margin = 18 * 72 / 25.4   # the compendium's
    for left, right, word in re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', every):
        assert margin - 0.5 <= float(left) and float(right) <= width - margin + 0.5, (word, left, right, width)
    lines: dict[float, list[tuple[float, float]]] = {}
    for left, top, right, word in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>',
                                             boxes):
        assert margin - 0.5 <= float(left) and float(right) <= width - margin + 0.5, (word, left, right, width)
        if word in blurb or word[::-1] in blurb:   # pdftotext gives Arabic in the order it is drawn
            lines.setdefault(round(float(top)), []).append((float(left), float(right)))
    assert len(lines) >= 2, lines   # the blurb wraps
    for words in lines.values():
        middle = (min(x for x, _ in words) + max(x for _, x in words)) / 2
        assert abs(middle - width / 2) < 3, (middle, width / 2)


def test_the_worlds_own_words_keep_their_language_in_a_translated_book(tmp_path):
    """foundry.toml's name and description are never translated: an Arabic compendium
    of an English world prints them in English. They went out unmarked, so the
    description was laid out right to left, its full stop printed at the start of its
    last line ('.that wrap onto…'), and read aloud as Arabic. They carry the base
    language's lang and dir on the PDF's cover, the EPUB's title page and its OPF, and
    the site's Arabic pages (the home page's heading and lede: the site lays out text by
    its first letter only in left-to-right pages, so its full stop showed first too)."""
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    for shown_elsewhere in ("stories/first-story.md", "quests/first-quest.yaml", "heroes/first-hero.yaml",
                            "characters/old-guide.yaml"):
        (root / "content" / shown_elsewhere).unlink()   # the compendium alone: fewer books to make
    blurb = ("A drowned coast of stilt villages and sunken forts, lighthouse keepers and smugglers, "
             "where the sea rose forty years ago and never went back.")
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('description = "A new Hero Foundry world."',
                                                                 f'description = "{blurb}"')
                      + '\n[l10n]\nlanguages = ["ar"]\noutputs = ["pdf", "epub", "html"]\n', encoding="utf-8")
    run = foundry("build", "--only", "pdf,epub,html", "--project", str(root), env=BUILD_ENV)
    assert run.code == 0, run.stderr
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(root / "build/pdf/ar/compendium.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert any(line.endswith("never went back.") for line in lines), lines
    assert not any(line.startswith(".") for line in lines), lines
    # PDF/UA: the change of language is declared on their structure elements (/Lang),
    # which WeasyPrint wrote for no element, so a screen reader read them as Arabic
    import pikepdf
    with pikepdf.open(root / "build/pdf/ar/compendium.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ar"
        tagged = []

        def walk(element):
            if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
                if "/Lang" in element:
                    tagged.append((str(element.S), str(element.Lang)))
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)
        walk(pdf.Root.StructTreeRoot.K[0])
    assert ("/H1", "en") in tagged and ("/P", "en") in tagged, tagged
    assert {lang for _, lang in tagged} == {"en"}, tagged   # the book's own words inherit the catalog's
    with zipfile.ZipFile(root / "build/epub/ar/compendium.epub") as epub:
        title = epub.read("EPUB/title.xhtml").decode("utf-8")
        opf = epub.read("EPUB/content.opf").decode("utf-8")
    assert re.search(r'<p class="blurb" lang="en" dir="ltr">A drowned coast', title), title
    assert re.search(r'<h1 class="title" lang="en" dir="ltr">', title), title
    assert '<dc:description xml:lang="en" dir="ltr">A drowned coast' in opf, opf
    import lxml.html
    home = lxml.html.parse(str(root / "build/site/ar/index.html")).getroot()
    assert home.get("lang") == "ar" and home.get("dir") == "rtl"
    for shown in (home.find_class("lede")[0], home.find(".//h1"), home.find_class("brand-name")[0]):
        assert (shown.get("lang"), shown.get("dir")) == ("en", "ltr"), lxml.html.tostring(shown)[:200]


def test_a_writers_own_direction_is_kept_in_prose_as_in_a_translation():
    """`{dir=auto}` (or ltr, rtl) a writer puts on a link, an image or code is kept in
    every prose: the sanitiser kept it in a translated scene's (and a scene of a world
    with translations) and dropped it from a hero's background or an untranslated
    world's scene, the same words set otherwise in the two. A value that is no
    direction is dropped."""
    from pipeline.diagnostics import Diagnostics, Span
    from pipeline.load.markdown import markdown, render_prose
    from pipeline.load.titles import report_dropped_attrs
    text = "[Ilse](https://example.org/ilse){dir=auto} waits, `code`{dir=rtl} and [x](https://x.org){dir=up}"
    html = render_prose(text)
    assert 'dir="auto"' in html and '<code dir="rtl">' in html and "up" not in html, html
    assert 'title="Her page"' in render_prose('[Ilse](https://example.org/ilse "Her page")')   # kept as before
    # and HF0537 ("not published") is said of the one dropped, not of those kept
    said = []
    for kept in (True, False):
        diags = Diagnostics()
        [inline] = [t for t in markdown().parse(text if not kept else text.split(" and ")[0]) if t.type == "inline"]
        report_dropped_attrs(inline.children, [(1, text)], Span("p.md", 1, 1), diags)
        said.append([d.code for d in diags.sorted()])
    assert said == [[], ["HF0537"]], said


def test_a_block_takes_its_own_direction_as_dir_auto_reads_it():
    """The rule both ways, as HTML's `dir="auto"` reads a block: its first letter with a
    direction, not counting the text of an element with a `dir` of its own. An Arabic
    book's heading that is an untranslated line (`<span dir="ltr" lang="en">`, set apart
    in its direction) stays right to left, as on the site; a cell of numbers keeps the
    book's direction; a book with nothing to mark is the same string."""
    from pipeline.exporters.books.direction import mark_directions
    import lxml.html
    html = ('<!DOCTYPE html>\n<html dir="rtl"><body><h2><span lang="en" dir="ltr" class="l10n-fallback">Tomas'
            '</span> (تو)</h2><p>Noa (نوعا).</p><table><tr><td>12</td><td>أ <b>Noa</b></td></tr></table>'
            '<blockquote><p>Noa</p><p>مرحبا</p></blockquote></body></html>')
    marked = lxml.html.document_fromstring(mark_directions(html, "rtl"))
    assert [(e.tag, e.get("dir")) for e in marked.iter("h2", "p", "td", "blockquote")] == [
        ("h2", None), ("p", "ltr"), ("td", None), ("td", None), ("blockquote", "ltr"), ("p", None), ("p", "rtl")]
    plain = '<!DOCTYPE html>\n<html dir="rtl"><body><p>مرحبا <span dir="ltr">Noa</span></p><td>12</td></body></html>'
    assert mark_directions(plain, "rtl") is plain
    english = "<!DOCTYPE html>\n<html dir=\"ltr\"><body><p>Noa <span dir=\"rtl\">مرحبا</span></p></body></html>"
    assert mark_directions(english, "ltr") is english
    # a writer's dir="auto" with no letter in its own text is left to right, as a browser
    # sets it (HTML: an auto with no strong letter is "ltr", not its parent's): "(1) 2" in
    # an Arabic line printed "2 (1)" where the site and the EPUB read "(1) 2"; and its
    # first letter is not one of a child with a dir of its own
    numbers = ('<!DOCTYPE html>\n<html dir="rtl"><body><p>نص <a dir="auto">(1) 2</a> '
               '<span dir="auto"><b dir="ltr">Noa</b> نوعا</span></p></body></html>')
    settled = lxml.html.document_fromstring(mark_directions(numbers, "rtl"))
    assert [(e.tag, e.get("dir")) for e in settled.iter("a", "span", "b")] == [("a", "ltr"), ("span", "rtl"), ("b", "ltr")]
    # a name set apart between FSI and PDI (theme_words.isolated) first in its sentence
    # is skipped, as UAX #9 P2 and dir="auto" skip it: the sentence's own words decide
    # (it was marked by the name's three Latin words against one Arabic)
    isolated = ('<!DOCTYPE html>\n<html dir="rtl"><body><p>\u2068Rook Amsel Storm\u2069 يصل.</p>'
                '<p>\u2068نوعا\u2069 Noa</p></body></html>')
    marked = lxml.html.document_fromstring(mark_directions(isolated, "rtl"))
    assert [e.get("dir") for e in marked.iter("p")] == [None, "ltr"]
    english = ('<!DOCTYPE html>\n<html dir="ltr"><body><p>\u2068نوعا الكبيرة كوهين\u2069 levels up.</p></body></html>')
    assert mark_directions(english, "ltr") is english


def test_a_site_page_is_marked_at_its_own_blocks_whatever_its_template_writes():
    """mark_directions_in_place writes each `dir` into the page's own bytes at the start
    tag it pairs with the parsed block. A theme's template is the project's to write: a
    `<p` in an attribute's value and a real paragraph the scan took for a comment's text
    (`<!-->` ends a comment at once) paired by name, and `dir="ltr"` was written into the
    `alt` (`alt="<p dir="ltr" x"`), the paragraph left unmarked. Each page here, parsed
    after marking, has its dir on the blocks lxml finds, and its other bytes as written."""
    from pipeline.exporters.books.direction import mark_directions_in_place
    head = '<!DOCTYPE html>\n<html dir="rtl"><body><svg viewBox="0 0 1 1"><path d="M0"/></svg>'
    pages = ['<img alt="<p x"><!--><p>Hello</p>-->',
             '<img alt="<p x"><!-- a --!><p>Hello</p>-->',
             "<div title='<!--'>ش</div><p>Hello</p><div title='-->'></div>",
             '<div title="<p x">ش</div><xmp><p>a</xmp><p>Hello</p>',
             '<![CDATA[ <p ]]><p title="a>b">Hello</p><iframe><p>x</iframe><P>سلام</P><p>World</p>']
    for body in pages:
        page = head + body + "</body></html>"
        marked = mark_directions_in_place(page, "rtl")
        blocks = etree.fromstring(marked, etree.HTMLParser()).iter("p", "div")
        # a paragraph in Latin left to right, the Arabic ones and the divs inherit
        assert [(e.get("dir"), e.get("alt") or e.get("title")) for e in blocks] == [
            ("ltr" if e.tag == "p" and e.text[0].isascii() else None, e.get("alt") or e.get("title"))
            for e in etree.fromstring(page, etree.HTMLParser()).iter("p", "div")], (body, marked)
        assert marked.startswith(head) and marked.replace(' dir="ltr"', "") == page, (body, marked)


def test_a_project_themes_own_page_names_hold_in_a_right_to_left_book():
    """A right-to-left book's body is on the shipped theme's `mirrored` page (its heads
    swapped, compendium.css and gamebook.css). A project theme whose own base.css puts
    the body on a page of its own (`body { page: plain; }`, with its own heads) had
    that page in left-to-right books only: the shipped rule named `html[dir="rtl"]
    body`, which outweighs `body` wherever it stands, so an Arabic book of that project
    lost the project's heads. The shipped rule weighs nothing (`:where`). Rendered by
    WeasyPrint from the shipped stylesheets in the order a book links them (base.css,
    then the book's own)."""
    import weasyprint
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    css = REPO / "themes/default/print/css"
    own = (css / "base.css").read_text(encoding="utf-8") + \
        '\nbody { page: plain; }\n@page plain { @top-center { content: "PLAINHEAD"; } }\n'
    for book in ("compendium", "gamebook"):
        for direction in ("ltr", "rtl"):
            html = f'<html dir="{direction}" lang="ar"><body class="{book}"><p>{ARABIC}</p></body></html>'
            pdf = weasyprint.HTML(string=html, base_url=css.as_uri() + "/").write_pdf(
                stylesheets=[weasyprint.CSS(string=own, base_url=css.as_uri() + "/"),
                             weasyprint.CSS(filename=str(css / f"{book}.css"))])
            text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
            assert b"PLAINHEAD" in text, (book, direction)


# An Arabic sentence a hero's Latin name starts: most of its words are Arabic
NAME_FIRST = "Rook Amsel يمشي في الضباب الكثيف نحو الضفة البعيدة."


def test_a_latin_name_first_does_not_turn_an_arabic_sentence_left_to_right(tmp_path):
    """An Arabic translation that begins with the hero's Latin name ("Rook Amsel يمشي في
    الضباب…") was laid out left to right on the Arabic site page, in the EPUB and in the
    PDF: `dir="ltr"` by its first strong letter, its full stop at the right, the Arabic
    words in the wrong order of lines. A block's first letter decides only when most of
    its words are not in the direction it inherits: this one stays right to left; a
    mostly-Latin sentence (`LATIN`) is still left to right."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po_path = root / "translations/ar/content/stories/first-story.md.po"
    po = polib.pofile(str(po_path))
    po.find("story.first-story.scene.road.p1", by="msgctxt").msgstr = NAME_FIRST
    po.find("story.first-story.scene.lantern.p1", by="msgctxt").msgstr = LATIN
    po.save()
    run = foundry("build", "--project", str(root), "--only", "html,epub,pdf", "-q")
    assert run.code == 0, run.stderr
    import lxml.html

    def directions(tree) -> dict[str, str | None]:
        return {text: next((p.get("dir") for p in tree.iter("{*}p", "p") if "".join(p.itertext()).strip() == text), "none")
                for text in (NAME_FIRST, LATIN)}
    page = lxml.html.parse(str(root / "build/site/ar/stories/first-story.html")).getroot()
    assert directions(page) == {NAME_FIRST: None, LATIN: "ltr"}
    with zipfile.ZipFile(root / "build/epub/ar/stories/first-story.epub") as book:
        chapters = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".xhtml")]
    found = {}
    for chapter in chapters:
        found |= {k: v for k, v in directions(chapter).items() if v != "none"}
    assert found == {NAME_FIRST: None, LATIN: "ltr"}, found
    # printed: "Rook" starts the line at the right (its sentence right to left), "Noa" at the left
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    starts = {}
    for width, words in _pages(root / "build/pdf/ar/stories/first-story.pdf"):
        for text, left, right, _ in words:
            if text in ("Rook", "Noa"):
                starts.setdefault(text, (left > width / 2, right > width / 2))
    assert starts == {"Rook": (True, True), "Noa": (False, False)}, starts


def test_a_name_of_the_other_direction_is_isolated_in_the_themes_sentences(tmp_path):
    """A theme sentence with a name in it ("More about %(name)s", "level %(level)s is
    %(name)s’s level now") put a Latin hero name into an Arabic sentence, and an Arabic
    character name into an English one, with nothing setting it apart: the number beside
    the name, or the sentence's stop, joined the name's run and was drawn on its wrong
    side (no `<bdi>` anywhere; only fallback names carried a `dir`). Such a value is now
    between FSI and PDI (UAX #9 isolates: they hold in an `aria-label` too); a value of
    the page's own direction is as it was, so English pages of Latin names keep their
    bytes."""
    import lxml.html
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "content/characters/noa.yaml").write_text(f"name: {ARABIC_NAME}\nrole: Ferrywoman\n", encoding="utf-8")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    run = foundry("build", "--project", str(root), "--only", "html", "-q")
    assert run.code == 0, run.stderr

    def side(path: str) -> str:
        page = lxml.html.parse(str(root / "build/site" / path)).getroot()
        return page.xpath('//aside[contains(@class, "entity-side")]')[0].get("aria-label")
    isolated = side("ar/heroes/first-hero.html")
    assert "\u2068Rook Amsel\u2069" in isolated, isolated
    caption = lxml.html.parse(str(root / "build/site/ar/heroes/first-hero.html")).getroot().xpath("//caption")
    assert any("\u2068Rook Amsel\u2069" in c.text_content() for c in caption), [c.text_content() for c in caption]
    assert side("characters/noa.html").endswith(f"\u2068{ARABIC_NAME}\u2069"), side("characters/noa.html")
    english = side("heroes/first-hero.html")
    assert english == "More about Rook Amsel", english


def test_a_latin_word_in_an_arabic_books_own_sentences_is_isolated(tmp_path):
    """The gamebook's own sentences (books/words.py: "If you have at least 2 coins")
    put a story variable's Latin name into an Arabic sentence with nothing setting it
    apart: "إذا كان لديك 2 coins على الأقل", the 2 drawn inside the Latin word's run.
    Such a value is between FSI and PDI now, as in the theme's sentences (the name itself
    marked as the base language's: `lang="en"`); the English book of the same story has
    none (its bytes are as they were)."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["ar"]\n')
    run = foundry("build", "--project", str(root), "--only", "epub", "-q")
    assert run.code == 0, run.stderr

    def texts(path) -> str:
        with zipfile.ZipFile(path) as book:
            return "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xhtml"))
    arabic = texts(root / "build/epub/ar/stories/first-story.epub")
    # the variable's id is the base language's words, marked so (l10n12), inside the isolate
    assert '2 \u2068<span dir="ltr" lang="en">coins</span>\u2069' in arabic, re.findall(r".{0,30}coins.{0,30}", arabic)
    assert "\u2068" not in texts(root / "build/epub/stories/first-story.epub")


# An English sentence opening with an Arabic name (two Arabic words, eight English), and
# an Arabic sentence of an English world with one Latin word in it.
ARABIC_FIRST = "نوعا الكبيرة walks into the thick fog toward the far bank."
ARABIC_MOSTLY = "نوعا تمشي في الضباب الكثيف نحو الضفة with Rook."
ARABIC_CHOICE = "نوعا الكبيرة says wait for the fog to lift"


def test_an_english_page_takes_a_blocks_direction_by_the_books_rule(tmp_path, browser):
    """An English sentence opening with an Arabic name was laid out right to left on the
    English site page (site.css's `unicode-bidi: plaintext`: its first letter alone
    decides), its full stop at its left, while the EPUB and the PDF, by most of its words
    (books/direction.py block_direction), set it left to right. The site's left-to-right
    pages are marked by the books' rule now, as the right-to-left ones were: that sentence
    reads left to right, a mostly Arabic one right to left, on the page and in the EPUB;
    and so does a choice's chip the story player draws (its `dir="auto"` went by the
    first letter too)."""
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    edit_file(root / "content/stories/first-story.md",
              ("The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.", ARABIC_FIRST),
              ("The lantern bobs ahead. The far bank rises out of the grey.", ARABIC_MOSTLY),
              ("[Wait for the fog to lift]", f"[{ARABIC_CHOICE}]"))
    run = foundry("build", "--project", str(root), "--only", "html,epub", "-q", env=BUILD_ENV)
    assert run.code == 0, run.stderr
    import lxml.html

    def directions(tree) -> dict[str, str | None]:
        return {text: next((p.get("dir") for p in tree.iter("{*}p", "p") if "".join(p.itertext()).strip() == text), "none")
                for text in (ARABIC_FIRST, ARABIC_MOSTLY)}
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:
        chapters = [etree.fromstring(book.read(n)) for n in book.namelist() if n.endswith(".xhtml")]
    found = {}
    for chapter in chapters:
        found |= {k: v for k, v in directions(chapter).items() if v != "none"}
    assert found == {ARABIC_FIRST: None, ARABIC_MOSTLY: "rtl"}, found
    story = root / "build/site/stories/first-story.html"
    assert directions(lxml.html.parse(str(story)).getroot()) == found
    page = browser.new_page()
    try:
        page.goto(story.as_uri())
        shown = page.evaluate("""texts => texts.map(t => {
            const p = [...document.querySelectorAll('p')].find(e => e.textContent.trim() === t);
            return getComputedStyle(p).direction; })""", [ARABIC_FIRST, ARABIC_MOSTLY])
        # the story player's trail chip of that choice, drawn in the browser: the same rule
        page.locator(".choice a", has_text="says wait").click()
        chip = page.locator(".trail li", has_text="says wait").evaluate("li => getComputedStyle(li).direction")
    finally:
        page.close()
    assert shown == ["ltr", "rtl"] and chip == "ltr", (shown, chip)
