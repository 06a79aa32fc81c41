"""Inline Markdown in the names and titles written in YAML — a hero's name and epithet,
a character's role, a quest's title and objectives, a relationship's note, a
template's name — goes through the same rendering as scene headings: HTML markup where
the site, EPUB or PDF presents the field, clean plain text everywhere else (JSON,
ink, Twee, `<title>`, alt text, navigation, the search index, `foundry play` and
`foundry hero`). Nowhere raw, and a `<script>` a writer types is text, never markup."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from support import ROOTS, diagnostics, edit_file, foundry, require_tool

MARKUP = " *em* `co` [lnk](https://ex.example/) <script>alert(1)</script> &amp;"
PLAIN = " em co lnk <script>alert(1)</script> &"     # what a reader reads, as text
# What must never reach a reader: Markdown syntax, the link's address, an entity
# decoded twice, and the tag as markup (checked in parsed HTML, not as a substring).
RAW = ("*em*", "`co`", "[lnk]", "](", "ex.example", "&amp;amp;", "*Minimal*", "`World`", "*Quill*", "`Q`", "*new*",
       "`Foundry`")

EDITS = {
    "content/heroes/first-hero.yaml": [
        ("name: Rook Amsel", f'name: "Rook{MARKUP}"'),
        ("title: Scout of the Marsh Road", f'title: "Scout{MARKUP}"\nportrait: rook.png'),
        ("{with: old-guide, kind: mentor}", f'{{with: old-guide, kind: mentor, note: "Taught{MARKUP}"}}'),
    ],
    "content/characters/old-guide.yaml": [
        ("name: Old Guide", f'name: "Guide{MARKUP}"\ntitle: "Elder{MARKUP}"'),
        ("role: Mentor", f'role: "Mentor{MARKUP}"'),
        ("{with: first-hero, kind: apprentice}", f'{{with: first-hero, kind: apprentice, note: "Pupil{MARKUP}"}}'),
    ],
    "content/quests/first-quest.yaml": [
        ("title: Through the Fog", f'title: "Fog{MARKUP}"'),
        ("text: Reach the far bank", f'text: "Bank{MARKUP}"'),
    ],
    "content/templates/heroes/scout.yaml": [("name: Scout", f'name: "Tmpl{MARKUP}"'),
                                            ("description: Quick on their feet, quicker with their eyes.",
                                             f'description: "Quick{MARKUP}"')],
}
# The rule book's labels: names with their markup where a page or sheet presents the
# rule, plain text where they label tables and formulas; descriptions inline Markdown
# on the page that presents them.
RULE_EDITS = {
    "schemas/attributes.yaml": [("{name: Agility,", '{name: "*Agility* `ag`", description: "Quick *feet*",'),
                                ("{name: Defense,", '{name: "**Defense**", description: "Hard *to* `hit`",')],
    "schemas/skills.yaml": [("{name: Tracking, attribute: wits, description: Read trails in mud and reed.}",
                             '{name: "`Tracking`", attribute: wits, description: "Read *trails* in [mud](https://ex.example/)."}')],
    "schemas/relationships.yaml": [("name: Mentor", 'name: "*Mentor*"')],
    # and the world's own title, description and authors, on every page and book (an
    # author's name printed with its asterisks on title pages, footers and as the
    # EPUB's creator); presented with their markup by the home page and title pages
    "foundry.toml": [('title = "Minimal"', 'title = "The *Minimal* `World`"'),
                     ('description = "A new Hero Foundry world."',
                      'description = "A *new* `Foundry` [world](https://ex.example/)."'),
                     ('authors = []', 'authors = ["Ann *Quill* `Q` &amp; Co"]')],
}
FIELDS = ["Rook", "Scout", "Taught", "Guide", "Elder", "Mentor", "Pupil", "Fog", "Bank", "Tmpl"]
LISTED = ["Quick"]   # a template's description: shown only by `foundry new hero --list-templates`


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from PIL import Image
    root = tmp_path_factory.mktemp("names") / "proj"
    shutil.copytree(ROOTS / "minimal", root)
    for rel, edits in {**EDITS, **RULE_EDITS}.items():
        edit_file(root / rel, *edits)
    Image.new("RGB", (40, 50), (90, 120, 140)).save(root / "content/heroes/rook.png")
    return root


@pytest.fixture(scope="module")
def built(project) -> Path:
    run = foundry("build", "--project", str(project))
    assert run.code == 0, run.stdout + run.stderr
    return project / "build"


def _no_raw(where: str, text: str) -> None:
    for raw in RAW:
        assert raw not in text, (where, raw, text[max(0, text.find(raw) - 80):text.find(raw) + 40])


def _check_tree(where: str, root) -> None:
    """A parsed (X)HTML page: no raw Markdown in any text or attribute, no markup in an
    attribute, no element a title could have smuggled in (a script, a link)."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            _no_raw(f"{where} <{el.tag} {name}>", value)
            assert "<em>" not in value and "<code>" not in value, (where, el.tag, name, value)
        if el.tag.rsplit("}", 1)[-1] == "script" and el.get("type") not in ("application/json", "application/ld+json"):
            assert "alert(1)" not in (el.text or ""), (where, el.text)
        if el.tag.rsplit("}", 1)[-1] == "script" and el.get("type") == "application/ld+json":
            # data, never run (a shared link's JSON-LD): the name as text, its tag escaped
            assert "<" not in (el.text or "") and json.loads(el.text), (where, el.text)
    _no_raw(where, " ".join(root.itertext()))
    assert not root.xpath("//*[local-name()='a'][contains(@href, 'ex.example')]"), where


def test_check_names_the_html_tag_in_each_title_at_its_column(project):
    run = foundry("check", "--project", str(project), "--format", "json")
    assert run.code == 0, run.stdout        # a warning, not an error
    found = sorted(d for d in diagnostics(run) if d.startswith("HF0536"))
    expected = sorted(f"HF0536 {rel}:{n}:{line.index('<script>') + 1}"
                      for rel in EDITS for n, line in enumerate((project / rel).read_text().splitlines(), 1)
                      if "<script>" in line)
    assert len(expected) == len(FIELDS) + len(LISTED) and found == expected, run.stdout
    # the link each holds is shown as its words only: said at its `(address)` (HF0123)
    links = sorted(d for d in diagnostics(run) if d.startswith("HF0123") and not d.split()[1].startswith(("schemas", "foundry")))
    expected = sorted(f"HF0123 {rel}:{n}:{line.index('](') + 2}"
                      for rel in EDITS for n, line in enumerate((project / rel).read_text().splitlines(), 1)
                      if "](" in line)
    assert len(expected) == len(FIELDS) + len(LISTED) and links == expected, run.stdout
    # the world's description, presented by the home page and the compendium: its link
    # said at its place in foundry.toml, as a content file's is
    toml = (project / "foundry.toml").read_text().splitlines()
    [n] = [n for n, line in enumerate(toml, 1) if line.startswith("description")]
    assert f"HF0123 foundry.toml:{n}:{toml[n - 1].index('](') + 2}" in diagnostics(run), run.stdout


def test_site_presents_each_field_with_its_markup_and_mentions_it_as_text(built):
    site = built / "site"
    hero = lxml_html.parse(str(site / "heroes/first-hero.html")).getroot()
    [h1] = hero.xpath("//h1")
    assert [e.text for e in h1.xpath("./em")] == ["em"] and [e.text for e in h1.xpath("./code")] == ["co"]
    assert h1.text_content().startswith("Rook" + PLAIN)
    [epithet] = hero.xpath('//p[@class="entity-title"]')
    assert epithet.text_content() == "Scout" + PLAIN and epithet.xpath("./em")
    assert hero.xpath("string(//title)").startswith("Rook" + PLAIN + " · ")
    [img] = hero.xpath('//img[contains(@class, "entity-portrait")] | //picture//img')[:1]
    assert img.get("alt") == "Portrait of Rook" + PLAIN
    assert hero.xpath('//aside[@aria-label="More about Rook' + PLAIN + '"]')
    notes = hero.xpath('//span[@class="relation-note"]')
    assert [n.text_content() for n in notes] == ["Pupil" + PLAIN] and notes[0].xpath("./em")

    guide = lxml_html.parse(str(site / "characters/old-guide.html")).getroot()
    assert guide.xpath("//h1/em") and guide.xpath('//p[@class="entity-title"]/em')
    assert guide.xpath('//ul[@class="facts"]//strong')[0].text_content() == "Mentor" + PLAIN

    quest = lxml_html.parse(str(site / "quests/first-quest.html")).getroot()
    assert quest.xpath("//h1/em") and quest.xpath("//h1")[0].text_content().startswith("Fog" + PLAIN)
    [objective] = quest.xpath('//ol[@class="objectives"]/li/span[1]')
    assert objective.text_content() == "Bank" + PLAIN and objective.xpath("./code")
    assert quest.xpath('//a[contains(@href, "old-guide")]')[0].text_content() == "Guide" + PLAIN

    index = lxml_html.parse(str(site / "heroes/index.html")).getroot()
    card = index.xpath('//*[contains(@class, "card-title")]/a')[0]
    assert card.text_content() == "Rook" + PLAIN and not card.xpath(".//em")   # a mention: plain text

    for page in site.rglob("*.html"):
        _check_tree(str(page.relative_to(built)), lxml_html.parse(str(page)).getroot())


def test_search_index_and_json_hold_plain_text(built):
    search = lxml_html.parse(str(built / "site/search.html")).getroot()
    index = json.loads(search.xpath('string(//script[@type="application/json"])'))
    titles = {e["id"]: (e["title"], e["subtitle"]) for e in (index.get("entries", index) if isinstance(index, dict) else index)}
    assert titles["first-hero"] == ("Rook" + PLAIN, "Scout" + PLAIN)
    assert titles["first-quest"][0] == "Fog" + PLAIN

    hero = json.loads((built / "api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]
    assert (hero["name"], hero["title"]) == ("Rook" + PLAIN, "Scout" + PLAIN)
    assert hero["relationships"][0]["note"] == "Taught" + PLAIN
    assert hero["background_text"] == "Rook grew up on the marsh road, where the fog decides who arrives."
    quest = json.loads((built / "api/v1/quests/first-quest.json").read_text(encoding="utf-8"))["quest"]
    assert quest["title"] == "Fog" + PLAIN and quest["objectives"][0]["text"] == "Bank" + PLAIN
    guide = json.loads((built / "api/v1/characters/old-guide.json").read_text(encoding="utf-8"))["character"]
    assert (guide["name"], guide["title"], guide["role"]) == ("Guide" + PLAIN, "Elder" + PLAIN, "Mentor" + PLAIN)

    def strings(value, path=""):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from strings(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from strings(v, f"{path}[{i}]")
        elif isinstance(value, str):
            yield path, value

    for path in (built / "api").rglob("*.json"):
        for where, text in strings(json.loads(path.read_text(encoding="utf-8"))):
            _no_raw(f"{path.name}{where}", text)
            if where.endswith("_html"):   # HTML fields: sanitised, no script element
                assert not lxml_html.fragment_fromstring(text or "<p></p>", create_parent="div").xpath("//script")


def test_rule_names_show_markup_where_presented_and_plain_text_where_mentioned(built):
    """A rule's name is presented (with the writer's markup) where the page or sheet
    shows the rule itself — an attribute's row above its description, a skill's
    heading, a derived stat's line with its description — and is a plain label where
    it heads a column of numbers, sits in a stat line or names a skill's attribute.
    Every presented name was plain (`*Agility*` shown 'Agility' in a skill's <h3>)."""
    rules = json.loads((built / "api/v1/rules.json").read_text(encoding="utf-8"))["rules"]
    attributes = {a["id"]: a for a in rules["attributes"]}
    assert (attributes["agility"]["name"], attributes["agility"]["description"]) == ("Agility ag", "Quick feet")
    defense = {d["id"]: d for d in rules["derived"]}["defense"]
    assert (defense["name"], defense["description"]) == ("Defense", "Hard to hit")   # was published nowhere
    skill = {s["id"]: s for s in rules["skills"]}["tracking"]
    assert (skill["name"], skill["description"]) == ("Tracking", "Read trails in mud.")
    assert {k["id"]: k["name"] for k in rules["relationship_kinds"]}["mentor"] == "Mentor"
    hero = lxml_html.parse(str(built / "site/heroes/first-hero.html")).getroot()
    assert hero.xpath("string(//title)").endswith(" · The Minimal World")
    # presented: the attribute's row, the skill's heading, the derived stat's note
    [agility] = [s for s in hero.xpath('//span[@class="attr-name"]') if s.text_content() == "Agility ag"]
    assert [e.text for e in agility.xpath("./em")] == ["Agility"] and [e.text for e in agility.xpath("./code")] == ["ag"]
    [tracking] = [h for h in hero.xpath("//h3") if h.text_content() == "Tracking"]
    assert [e.text for e in tracking.xpath("./code")] == ["Tracking"]
    [defense_dt] = hero.xpath('//dl[@class="derived-notes"]/div/dt[.="Defense"]')
    assert [e.text for e in defense_dt.xpath("./strong")] == ["Defense"]
    # mentioned: the derived table's column, the stats now, a skill's attribute
    [column] = hero.xpath('//table[@class="stats-table"]//th/abbr[.="Defense"]')
    assert not column.xpath("./*")
    assert "Defense" in [d.text for d in hero.xpath('//dl[@class="stat-grid"]//dt')]
    metas = hero.xpath('//p[@class="skill-meta"]/span')
    assert "Agility ag" in [m.text for m in metas] and not any(m.xpath("./*") for m in metas)
    # a description is a line of its own under the label: inline Markdown like a template's
    # (docs/writing-stories.md), its emphasis kept where the page presents it, its link
    # only words (both were shown as plain text, the writer's emphasis dropped)
    [feet] = [d for d in hero.xpath('//span[@class="attr-desc"]') if d.text_content() == "Quick feet"]
    assert [e.text for e in feet.xpath("./em")] == ["feet"]
    [trails] = hero.xpath('//li[@class="skill"][h3="Tracking"]/p[not(@class)]')
    assert trails.text_content() == "Read trails in mud." and [e.text for e in trails.xpath("./em")] == ["trails"]
    assert not trails.xpath(".//a")
    [hard] = hero.xpath('//dl[@class="derived-notes"]/div[dt="Defense"]/dd')
    assert hard.text_content() == "Hard to hit" and hard.xpath("./em") and hard.xpath("./code")
    # a relationship's kind is a label only: plain wherever it is shown
    guide = lxml_html.parse(str(built / "site/characters/old-guide.html")).getroot()
    kinds = guide.xpath('//span[@class="relation-kind"]')
    assert kinds and not any(k.xpath("./*") for k in kinds)


def _fonts(pdf: Path, pages: slice = slice(None)) -> list[tuple[str, str]]:
    """(font, text) of each run of text the PDF draws on `pages`, as pypdf reads its
    content streams: the font names say a word's face (`Libertine-Mono`,
    `Libertine-Display-Oblique`), which pdftotext does not."""
    from pypdf import PdfReader
    runs: list[tuple[str, str]] = []
    for page in PdfReader(str(pdf)).pages[pages]:
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: runs.append(
            (str(font.get("/BaseFont", "")).split("+")[-1], text.strip())) if text.strip() and font else None)
    return runs


def _drawn(runs: list[tuple[str, str]], face: str, text: str) -> bool:
    """Whether `text` is a run drawn in `face` or one of its styles (`-Bold`, `-Oblique`)."""
    return any(font.startswith(face) and shown == text for font, shown in runs)


def test_world_title_description_and_authors_are_presented_with_markup_and_mentioned_as_text(built):
    """foundry.toml's title, description and authors are presented by the home page
    (its <h1>, the line under it) and the books' title pages, with the writer's
    emphasis and code; everywhere else (<title>, the header, the footer, metadata,
    navigation, running heads) they are mentioned as plain text. The <h1> said 'The
    Minimal World', the writer's italics and code dropped, in the site and every book."""
    home = lxml_html.parse(str(built / "site/index.html")).getroot()
    [h1] = home.xpath("//h1")
    assert h1.text_content() == "The Minimal World"
    assert [e.text for e in h1.xpath("./em")] == ["Minimal"] and [e.text for e in h1.xpath("./code")] == ["World"]
    [lede] = home.xpath('//section[contains(@class, "masthead")]//p[@class="lede"]')
    assert lede.text_content() == "A new Foundry world." and [e.text for e in lede.xpath("./em")] == ["new"]
    assert home.xpath('string(//meta[@name="description"]/@content)') == "A new Foundry world."
    for page in (home, lxml_html.parse(str(built / "site/heroes/first-hero.html")).getroot()):
        assert page.xpath("string(//title)").endswith("The Minimal World")
        [brand] = page.xpath('//span[@class="brand-name"]')
        assert brand.text_content() == "The Minimal World" and not brand.xpath("./*")
        [footer] = page.xpath('//p[@class="footer-title"]')
        assert "The Minimal World" in footer.text_content() and not footer.xpath(".//em | .//code")

    ns = {"x": "http://www.w3.org/1999/xhtml"}
    for book, presented in (("compendium.epub", True), ("stories/first-story.epub", False)):
        with zipfile.ZipFile(built / "epub" / book) as epub:
            names = epub.namelist()
            page = etree.fromstring(epub.read(next(n for n in names if n.endswith("title.xhtml"))))
            opf = etree.fromstring(epub.read(next(n for n in names if n.endswith(".opf"))))
        [kicker] = page.xpath('//x:p[@class="kicker"]', namespaces=ns)
        assert "".join(kicker.itertext()) == "The Minimal World" and kicker.xpath("./x:em", namespaces=ns), book
        [authors] = page.xpath('//x:p[@class="authors"]', namespaces=ns)
        assert "".join(authors.itertext()) == "Ann Quill Q & Co", book
        assert [e.text for e in authors.xpath("./x:em", namespaces=ns)] == ["Quill"], book
        assert [e.text for e in authors.xpath("./x:code", namespaces=ns)] == ["Q"], book
        if presented:   # the compendium's title is the world's, and its blurb the description
            [title] = page.xpath("//x:h1", namespaces=ns)
            assert [e.text for e in title.xpath("./x:code", namespaces=ns)] == ["World"], book
            [blurb] = page.xpath('//x:p[@class="blurb"]', namespaces=ns)
            assert [e.text for e in blurb.xpath("./x:em", namespaces=ns)] == ["new"], book
        dc = {"dc": "http://purl.org/dc/elements/1.1/"}
        assert opf.xpath("string(//dc:creator)", namespaces=dc) == "Ann Quill Q & Co", book
        if presented:
            assert opf.xpath("string(//dc:title)", namespaces=dc) == "The Minimal World", book

    # the PDFs' title pages draw the emphasis and code in their faces
    cover = _fonts(built / "pdf/compendium.pdf", slice(0, 1))
    assert ("Libertine-Display-Oblique", "Minimal") in cover and ("Libertine-Mono", "World") in cover, cover
    # (the blurb is set in italics: its code in the mono face's oblique)
    assert _drawn(cover, "Libertine-Mono", "Foundry") and ("Libertine-Mono", "Q") in cover, cover
    gamebook = _fonts(built / "pdf/stories/first-story.pdf", slice(0, 1))
    assert ("Libertine-Mono", "WORLD") in gamebook and ("Libertine-Mono", "Q") in gamebook, gamebook
    # and the PDF's document information says the title as plain text
    from pypdf import PdfReader
    assert PdfReader(str(built / "pdf/compendium.pdf")).metadata.title.startswith("The Minimal World")


def test_a_sheet_presents_the_rules_names_with_markup_and_labels_numbers_with_plain_text(built):
    """The hero sheet (PDF and EPUB) presents each attribute in its row and each skill
    in its line, with the writer's emphasis and code; a skill's attribute in brackets
    is a mention, as plain as the site's."""
    sheet = _fonts(built / "pdf/heroes/first-hero.pdf")
    assert ("Libertine-Italic", "Agility") in sheet and ("Libertine-Mono", "ag") in sheet, sheet
    assert _drawn(sheet, "Libertine-Mono", "Tracking"), sheet
    assert not any(font.startswith("Libertine-Mono") and "(" in text for font, text in sheet), sheet
    with zipfile.ZipFile(built / "epub/compendium.epub") as book:
        hero = etree.fromstring(book.read(next(n for n in book.namelist() if n.endswith("hero-first-hero.xhtml"))))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    rows = hero.xpath('//x:table[@class="attribute-table"]//x:th', namespaces=ns)
    [agility] = [r for r in rows if "".join(r.itertext()).startswith("Agility ag")]
    assert agility.xpath("./x:em", namespaces=ns) and agility.xpath("./x:code", namespaces=ns)
    assert hero.xpath('//x:section[@class="skills"]//x:b/x:code[.="Tracking"]', namespaces=ns)


def test_a_link_in_a_rule_description_is_said_as_the_descriptions(project):
    """HF0123 at a link in a skill's description names a description, and its hint is
    not a title's: it said 'in a name or title' with 'A title is never a link…'."""
    run = foundry("check", "--project", str(project), "--format", "json")
    [link] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0123" and d["file"] == "schemas/skills.yaml"]
    assert "'https://ex.example/' in a skill's description is dropped" in link["message"], link
    assert link["hint"].startswith("A description is shown as words only"), link


def test_ink_and_twee_hold_no_raw_markup(built):
    for path in [*(built / "ink").rglob("*.ink"), *(built / "twee").rglob("*.twee")]:
        _no_raw(path.name, path.read_text(encoding="utf-8"))


def test_epub_presents_the_markup_and_navigates_by_plain_text(built):
    with zipfile.ZipFile(built / "epub/compendium.epub") as book:
        docs = {n: book.read(n) for n in book.namelist() if n.endswith((".xhtml", ".ncx", ".opf"))}
    parsed = {n: etree.fromstring(data) for n, data in docs.items()}
    for name, root in parsed.items():
        _check_tree(name, root)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    hero = next(r for n, r in parsed.items() if n.endswith("hero-first-hero.xhtml"))
    [name] = hero.xpath('//x:*[@class="name"]', namespaces=ns)
    assert name.xpath("./x:em", namespaces=ns) and "".join(name.itertext()) == "Rook" + PLAIN
    nav = next(r for n, r in parsed.items() if n.endswith("nav.xhtml"))
    labels = ["".join(a.itertext()) for a in nav.xpath("//x:a", namespaces=ns)]
    assert "Rook" + PLAIN in labels and "Fog" + PLAIN in labels
    assert not nav.xpath("//x:a//x:em", namespaces=ns)
    quests = next(r for n, r in parsed.items() if n.endswith("quests.xhtml"))
    [objective] = quests.xpath('//x:ol[@class="objectives"]/x:li', namespaces=ns)
    assert "".join(objective.itertext()) == "Bank" + PLAIN and objective.xpath("./x:code", namespaces=ns)


def test_pdf_text_shows_the_words_not_the_markup(built):
    require_tool(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    for pdf in (built / "pdf").rglob("*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        _no_raw(pdf.name, text)
    text = subprocess.run(["pdftotext", str(built / "pdf/compendium.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for field in (f for f in FIELDS if f != "Pupil"):   # a character's ties print without notes
        assert re.search(re.escape(field + PLAIN.rstrip()), flat), field


def test_play_and_hero_print_plain_names(built):
    root = built.parent
    play = foundry("play", "first-story", "--project", str(root), "--choose", "1")
    hero = foundry("hero", "first-hero", "--project", str(root))
    assert hero.code == 0, hero.stderr
    assert "Rook" + PLAIN in hero.stdout and "Scout" + PLAIN in hero.stdout
    # a template's name and description, as `foundry new hero --list-templates` lists them
    # (the description was listed as typed: asterisks, backticks, `&amp;`)
    listed = foundry("new", "hero", "--list-templates", "--project", str(root))
    assert listed.code == 0 and "Tmpl" + PLAIN in listed.stdout + listed.stderr, listed.stdout + listed.stderr
    assert "Quick" + PLAIN in listed.stdout + listed.stderr
    for run in (play, hero):
        _no_raw("terminal", run.stdout)     # stderr quotes the source lines of the HF0536 warnings
    _no_raw("terminal", listed.stdout + listed.stderr)


def test_a_tag_in_a_choice_is_named_at_its_column_and_an_escaped_one_is_not(project_factory):
    """A choice's text is shown as typed (tags included) in every output: the tag gets
    the same warning as one in a title, at its column; `&lt;b&gt;` asks for brackets."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text()
    tagged = "- [Follow the <i>tracks</i> alone](#tracks)"
    escaped = "- [Wait for the &lt;b&gt; fog to lift](#wait)"
    story = story.replace('- [Follow the tracks alone](#tracks){if="agility >= 12"}', tagged)
    story = story.replace("- [Wait for the fog to lift](#wait)", escaped)
    # a choice wrapped over two lines, its tag on the second: it was not looked at
    wrapped = "  and <b>follow</b> the lantern"
    story = story.replace("- [Pay the guide and follow the lantern]", f"- [Pay the guide\n{wrapped}]")
    # and a scene heading's link (shown as its words only) is named at its address (HF0123)
    heading = "## The Lantern [Path](#bank) {#lantern}"
    story = story.replace("## The Lantern Path {#lantern}", heading)
    root = project_factory({"content/stories/first-story.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout
    line = story.splitlines().index(tagged) + 1
    second = next(n for n, text in enumerate(story.splitlines(), 1) if text.startswith(wrapped))
    assert [d for d in diagnostics(run) if d.startswith("HF0536")] == \
        [f"HF0536 content/stories/first-story.md:{second}:{wrapped.index('<b>') + 1}",
         f"HF0536 content/stories/first-story.md:{line}:{tagged.index('<i>') + 1}"], run.stdout
    assert "in a choice" in run.stdout
    assert [d for d in diagnostics(run) if d.startswith("HF0123")] == \
        [f"HF0123 content/stories/first-story.md:{story.splitlines().index(heading) + 1}:{heading.index('](') + 2}"]


def test_an_image_in_a_choice_or_a_heading_is_named_as_an_image(project_factory):
    """An image in a choice or a scene heading shows as its alt text (or nothing), and
    HF0123 called it 'the link to …' with a hint about titles and links ('A title is
    never a link … make it a choice', said of a choice). It names the image and what is
    shown for it, and its hint the writer's thing; a link's hint in a heading is as before."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text()
    choice = "- [Wait ![a lamp](lamp.png) for the fog](#wait)"
    heading = "## The ![](mark.png) Lantern [Path](#bank) {#lantern}"
    story = story.replace("- [Wait for the fog to lift](#wait)", choice)
    story = story.replace("## The Lantern Path {#lantern}", heading)
    root = project_factory({"content/stories/first-story.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["line"], d["column"]): d for d in run.json()["diagnostics"] if d["code"] == "HF0123"}
    at_choice, at_heading = story.splitlines().index(choice) + 1, story.splitlines().index(heading) + 1
    assert sorted(said) == [(at_choice, choice.index("](") + 2), (at_heading, heading.index("](") + 2),
                            (at_heading, heading.index("](#") + 2)], sorted(said)
    image = said[at_choice, choice.index("](") + 2]
    assert image["message"] == "the image 'lamp.png' in a choice is dropped: only its alt text 'a lamp' is shown"
    assert "in a choice, write the words" in image["hint"] and "title" not in image["hint"]
    bare = said[at_heading, heading.index("](") + 2]
    assert bare["message"] == "the image 'mark.png' in a name or title is dropped: nothing is shown for it"
    link = said[at_heading, heading.index("](#") + 2]
    assert link["message"].startswith("the link to '#bank'") and link["hint"].startswith("A title is never a link")
    # what the site shows: the alt text, the link's words
    assert foundry("build", "--project", str(root), "--only", "html").code == 0
    page = lxml_html.fromstring((root / "build/site/stories/first-story.html").read_bytes())
    assert "Wait a lamp for the fog" in " ".join(page.text_content().split())
    assert page.xpath("//h2[@id='scene-lantern--h']")[0].text_content().split() == ["The", "Lantern", "Path"]


def test_a_wrapped_choice_s_condition_and_effect_are_said_on_the_line_that_holds_them(project_factory):
    """A choice wrapped over two lines keeps its `](#scene){if=… do=…}` on the second:
    a slip there was said on the first line, its caret under the choice's words."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text()
    second = '  and follow the lantern](#lantern){if="coins >== 2" do="coinz -= 2"}'
    story = story.replace('- [Pay the guide and follow the lantern](#lantern){if="coins >= 2" do="coins -= 2"}',
                          f"- [Pay the guide\n{second}")
    root = project_factory({"content/stories/first-story.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    line = story.splitlines().index(second) + 1
    assert sorted(d for d in diagnostics(run) if d.startswith(("HF0601", "HF0602"))) == [
        f"HF0601 content/stories/first-story.md:{line}:{second.index('>==') + 3}",
        f"HF0602 content/stories/first-story.md:{line}:{second.index('coinz') + 1}"], run.stdout


def test_angle_brackets_a_writer_escaped_are_not_reported_as_tags(project_factory):
    """`\\<of\\>` (Markdown's escape, what `foundry import` writes for a Twine passage
    named '<b>bold</b> room') and `&lt;b&gt;` ask for the angle brackets: markdown-it
    makes both the same text as a typed tag, so a title, a choice and a scene's prose
    holding them were HF0536/HF0124 'shown as typed, not as markup' (and --strict failed).
    A tag typed beside them is still named, at its own column.

    Even beside a typed tag of the same name (`A <b>x</b> &lt;b&gt; \\<i> <i>`): each
    escape was taken for a tag because some `<b` of the text was typed, so a title, a
    choice, a scene heading, a YAML prose field and a story paragraph each said
    HF0536/HF0124 once per escape too, at the field's first column or at the escape."""
    both = "A <b>x</b> &lt;b&gt; \\<i> <i> end."
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text()
    story = story.replace("Boot prints, fresh, leading true across the marsh.",
                          "Write &lt;b&gt; for bold, or \\<i\\> for italics, or \\\\<u>this</u>.\n\n"
                          f"Prose {both}")
    story = story.replace("## Waiting {#wait .ending}", "## Waiting \\<here\\> {#wait .ending}")
    story = story.replace("## Tracks in the Mud {#tracks}", f"## Tracks {both} {{#tracks}}")
    story = story.replace("[Follow the tracks alone]", "[Follow \\<the\\> tracks]")
    story = story.replace("[Wait for the fog to lift]", f"[Wait {both}]")
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
    hero = hero.replace("title: Scout of the Marsh Road", "title: Scout \\<of\\> the Road")
    hero = hero.replace("xp: 120", f"xp: 120\nrelationships:\n  - {{with: old-guide, kind: mentor, note: '{both}'}}")
    hero = hero.replace("relationships:\n  - {with: old-guide, kind: mentor}\n", "")
    hero = hero.replace("background: |\n", f"background: |\n  Once {both}\n\n")
    root = project_factory({"content/stories/first-story.md": story, "content/heroes/first-hero.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0536", "HF0124")))
    prose = next(n for n, line in enumerate(story.splitlines(), 1) if "for italics" in line)
    column = story.splitlines()[prose - 1].index("<u>") + 1
    expected = [f"HF0124 content/stories/first-story.md:{prose}:{column}"]
    for path, text in (("content/stories/first-story.md", story), ("content/heroes/first-hero.yaml", hero)):
        for number, line in enumerate(text.splitlines(), 1):
            if both in line:   # the typed `<b>` and the typed `<i>`, never the escapes
                code = "HF0124" if line.startswith(("Prose", "  Once")) else "HF0536"
                expected += [f"{code} {path}:{number}:{line.index('<b>') + 1}",
                             f"{code} {path}:{number}:{line.rindex('<i>') + 1}"]
    assert len(expected) == 11
    assert found == sorted(expected), run.stdout


def test_plain_text_is_never_read_as_markdown_again(project_factory):
    """A name's plain text is final: what the writer escaped or wrote as an entity
    (`\\*real\\*`, `&amp;amp;`) and the quotes they typed stay as the JSON has them
    wherever that text is used. A quest without a summary was described by its first
    objective read again as Markdown ('Find the real key & “lock”' in its
    `<meta name=description>`, Open Graph and JSON-LD), and the search index read a
    character's role again before its background ('Chief & “mate”'); a character
    without a role was indexed as '. Knows…'. And a link to an address prose refuses
    (`javascript:`) in a title was not read as a link at all: every output showed
    `[lk](javascript:…)` as typed, and check said nothing."""
    objective, role = 'Find the \\*real\\* key &amp;amp; "lock"', '\\*Chief\\* &amp;amp; "mate"'
    quest = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text()
    quest = quest.replace("summary: Cross the marsh before the bell tolls.\n", "")
    quest = quest.replace("text: Reach the far bank", f"text: '{objective}'")
    guide = (ROOTS / "minimal/content/characters/old-guide.yaml").read_text()
    second = guide.replace("name: Old Guide", "name: Ferry Hand").replace("role: Mentor\n", "")
    second = second.replace("  - {with: first-hero, kind: apprentice}\n", "").replace("relationships:\n", "")
    guide = guide.replace("role: Mentor", f"role: '{role}'")
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
    named = 'name: "Rook [lk](javascript:alert(1)) Amsel"'
    hero = hero.replace("name: Rook Amsel", named)
    root = project_factory({"content/quests/first-quest.yaml": quest, "content/characters/old-guide.yaml": guide,
                            "content/characters/ferry-hand.yaml": second, "content/heroes/first-hero.yaml": hero})
    run = foundry("build", "--project", str(root), "--only", "html,json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    line = hero.splitlines().index(named) + 1
    [link] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0123"]
    assert (link["file"], link["line"], link["column"]) == ("content/heroes/first-hero.yaml", line, named.index("](") + 2)
    assert link["message"] == "the link to 'javascript:alert(1)' in a name or title is dropped: only its words are shown"
    build = root / "build"

    said = json.loads((build / "api/v1/quests/first-quest.json").read_text(encoding="utf-8"))["quest"]
    plain = said["objectives"][0]["text"]
    assert plain == 'Find the *real* key &amp; "lock"'
    page = lxml_html.parse(str(build / "site/quests/first-quest.html")).getroot()
    assert page.xpath('string(//meta[@name="description"]/@content)') == plain
    assert page.xpath('string(//meta[@property="og:description"]/@content)') == plain
    linked = json.loads(page.xpath('string(//script[@type="application/ld+json"])'))
    assert linked["description"] == plain

    search = lxml_html.parse(str(build / "site/search.html")).getroot()
    entries = {e["id"]: e for e in json.loads(search.xpath('string(//script[@id="search-index"])'))}
    background = "Knows every path through the fog, and charges for most of them."
    assert entries["old-guide"]["text"] == f'*Chief* &amp; "mate". {background}'
    assert entries["ferry-hand"]["text"] == background

    assert json.loads((build / "api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]["name"] == \
        "Rook lk Amsel"
    page = lxml_html.parse(str(build / "site/heroes/first-hero.html")).getroot()
    assert page.xpath("string(//h1)").split()[:3] == ["Rook", "lk", "Amsel"]
    assert page.xpath("string(//title)").startswith("Rook lk Amsel · ")


def test_a_private_use_character_a_writer_typed_is_quoted_as_typed_in_a_tags_words(project_factory):
    """Asked-for angles (`&lt;`, `\\<`) are told from typed ones by masking each with a
    private-use character (load/markdown.py asked_angles): U+E000, which a writer may
    type too (a font's icon, pasted). Typed inside a tag of a title beside an escape,
    it was quoted back as `<`: HF0536 named `<i title="<">`, a tag the writer never
    wrote. The mask is a character the text does not hold."""
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
    hero = hero.replace("title: Scout of the Marsh Road", "title: 'Scout <i title=\"\ue000\">x</i> &lt;b&gt;'")
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    said = [d for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
            if d["code"] == "HF0536"]
    assert said and all('title="<"' not in d["message"] for d in said), said
    assert any('<i title="\ue000">' in d["message"] for d in said), said


def test_a_tag_or_braces_split_over_a_folded_titles_lines_are_said_where_typed(project_factory):
    """A folded `title: >` whose tag or braces run over two lines: searched for in the
    file's lines, neither was found and both were said at the value's start (the `>`);
    placed through the value's layout (Span.shifted), each is at its own first
    character."""
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace(
        "title: Scout of the Marsh Road\n",
        'title: >\n  Scout of the <span\n  class="x">Marsh</span> Road and the {#x\n  .y} more\n')
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    found = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert sorted((d["code"], d["line"], d["column"]) for d in found) == [("HF0536", 4, 16), ("HF0537", 5, 39)], found
