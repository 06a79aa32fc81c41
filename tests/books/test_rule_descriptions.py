"""The books carry the descriptions a writer gave the rules, as the site shows them.
A skill's, an attribute's and a derived stat's `description` (schemas/) show on a
hero's page (inline Markdown), but no book printed one: the hero sheet listed skills
by name, the derived stats by formula, and the compendium and the EPUB said nothing
of what an attribute means. Now a sheet (PDF and EPUB) gives each skill's and derived
stat's description, the EPUB's sheet each attribute's, and the compendium each
attribute's once, on its heroes' part's opening page; a sheet stays one page (its
notes take what is left) and every word stays inside the page."""

from __future__ import annotations

import zipfile

from lxml import etree

from book_support import ONE_PROCESS, need_poppler, page_words, pdffonts, pdfinfo, pdftext, squash
from support import foundry

SKILLS = """\
skills:
  tracking: {name: Tracking, attribute: wits, description: "Read *trails* in mud and `reed`."}
  ambush:   {name: Ambush, attribute: agility, prerequisites: [tracking], min_level: 2, requires: "agility >= 12",
             description: "Wait in the reeds, still as a **heron**."}
"""

ATTRIBUTES = """\
attributes:
  strength:     {name: Strength, min: 1, max: 20, default: 8, description: "Hauling nets and forcing doors."}
  agility:      {name: Agility, min: 1, max: 20, default: 8, description: "Crossing a *wet* roofbeam."}
  constitution: {name: Constitution, min: 1, max: 20, default: 8}
  wits:         {name: Wits, min: 1, max: 20, default: 8}
point_budget: {base: 16, per_level: 2}
derived:
  max_hp:  {name: Hit points, formula: "10 + constitution * 2 + level * 4", description: "What keeps you *up*."}
  defense: {name: Defense, formula: "10 + agility // 2"}
"""


def test_books_print_the_rules_descriptions_as_the_site_shows_them(project_factory):
    need_poppler()
    root = project_factory({"schemas/skills.yaml": SKILLS, "schemas/attributes.yaml": ATTRIBUTES})
    run = foundry("build", "--project", str(root), "--only", "pdf,epub,html", env=ONE_PROCESS)
    assert run.code == 0, run.stdout + run.stderr
    sheet = root / "build/pdf/heroes/first-hero.pdf"
    text = squash(pdftext(sheet))
    for words in ("Wait in the reeds, still as a heron.", "What keeps you up."):
        assert words in text, text
    assert pdfinfo(sheet)["Pages"] == "1"
    height, words = page_words(sheet, 1)
    assert all(0 <= w.x0 and w.x1 <= 595.3 and 0 <= w.y0 and w.y1 <= height for w in words)
    compendium = root / "build/pdf/compendium.pdf"
    text = squash(pdftext(compendium))
    for words in ("Strength — Hauling nets and forcing doors.", "Agility — Crossing a wet roofbeam.",
                  "Wait in the reeds, still as a heron.", "What keeps you up."):
        assert words in text, text
    assert all(font["emb"] == "yes" for pdf in (sheet, compendium) for font in pdffonts(pdf))
    # the site's hero page and the EPUB's sheet say the same, with the writer's emphasis
    site = etree.parse(str(root / "build/site/heroes/first-hero.html"), etree.HTMLParser())
    assert site.xpath('//strong[.="heron"]') and site.xpath('//em[.="up"]')
    with zipfile.ZipFile(root / "build/epub/compendium.epub") as book:
        pages = [book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml")]
    hero = next(p for p in pages if "Rook Amsel" in p and "Hit points" in p)
    for marked in ("<strong>heron</strong>", "<em>up</em>", "<em>wet</em>"):
        assert marked in hero, hero
