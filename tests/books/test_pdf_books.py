"""The PDF books, read back with poppler and pypdf: text, contents, outline, links,
fonts, metadata, and byte-for-byte reproducibility."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from book_support import need_poppler, page_words, pdffonts, pdfinfo, pdftext, squash
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.gamebook import section_numbers
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world

THEME_FONTS = {"Libertine", "Libertine-Italic", "Libertine-Bold", "Libertine-Bold-Italic", "Libertine-Display",
               "Biolinum", "Biolinum-Bold", "Libertine-Mono"}


@pytest.fixture(scope="module")
def world(books):
    diags = Diagnostics()
    return load_world(load_project(books.root, diags), diags)


@pytest.fixture(scope="module", autouse=True)
def _poppler():
    need_poppler()


def test_one_book_per_hero_and_story_and_a_compendium(books, world):
    written = set(books.report["build"]["written"])
    expected = {f"pdf/heroes/{h}.pdf" for h in world.heroes} | {f"pdf/stories/{s}.pdf" for s in world.stories}
    assert expected | {"pdf/compendium.pdf"} <= written
    # nothing but the sample's untranslated lines (HF1105: German and Arabic cover part of it)
    assert [d for d in books.report["diagnostics"] if d["code"] != "HF1105"] == []


def test_hero_sheet_is_one_page_with_the_computed_attributes(books, world):
    for hid, sheet in world.sheets.items():
        pdf = books.build / f"pdf/heroes/{hid}.pdf"
        assert pdfinfo(pdf)["Pages"] == "1", hid
        text = pdftext(pdf, layout=True)
        assert world.heroes[hid].model.name in text
        for attribute, value in sheet.attributes.items():
            name = world.rules.attributes[attribute].name
            assert re.search(rf"\b{re.escape(name)}\s+{value}\b", text), (hid, name, value)
        used, available = sheet.budget_used, sheet.budget_available
        assert f"{used} of {available} points spent" in text
        level_row = " ".join(str(row[stat]) for row in sheet.derived_by_level for stat in ["max_hp"])
        assert re.search(r"Hit points\s+" + r"\s+".join(level_row.split()), text), hid


def test_compendium_contents_give_the_page_each_entry_is_on(books, world):
    pdf = books.build / "pdf/compendium.pdf"
    contents = pdftext(pdf, 2, 2, layout=True)
    assert "Contents" in contents
    entries = {m.group(1).strip(): int(m.group(2))
               for m in re.finditer(r"^\s*(\S.*?)\s*(?:\.\s*){3,}\s*(\d+)\s*$", contents, re.M)}
    names = ([e.model.name for e in world.heroes.values()] + [e.model.name for e in world.characters.values()]
             + [e.model.title for e in world.quests.values()] + [e.model.front.title for e in world.stories.values()])
    assert set(names) <= set(entries), set(names) - set(entries)
    for name in names:
        page_text = squash(pdftext(pdf, entries[name], entries[name]))
        assert name in page_text, f"{name} is not on page {entries[name]}"
    pages = int(pdfinfo(pdf)["Pages"])
    assert all(1 < n <= pages for n in entries.values())


def test_compendium_has_an_outline_of_parts_and_entries(books, world):
    reader = PdfReader(books.build / "pdf/compendium.pdf")
    top, children = [], {}
    for item in reader.outline:
        if isinstance(item, list):
            children[top[-1]] = [i.title for i in item if not isinstance(i, list)]
        else:
            top.append(item.title)
    assert {"Contents", "Heroes", "Characters", "Quests", "Stories"} <= set(top)
    assert children["Heroes"] == [world.heroes[h].model.name for h in sorted(world.heroes)]
    assert children["Stories"] == [world.stories[s].model.front.title for s in sorted(world.stories)]


def _links(reader: PdfReader, index: int) -> list[tuple[list[float], str]]:
    out = []
    for annot in reader.pages[index].get("/Annots", []) or []:
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Link" and annot.get("/Dest") is not None:
            out.append(([float(v) for v in annot["/Rect"]], str(annot["/Dest"])))
    return out


def _within(word, box) -> bool:
    x0, y0, x1, y1 = box
    return word.x0 >= x0 - 1 and word.x1 <= x1 + 1 and word.y0 >= y0 - 1 and word.y1 <= y1 + 1


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_gamebook_turn_to_links_land_on_their_section(books, world):
    for sid, entry in world.stories.items():
        pdf = books.build / f"pdf/stories/{sid}.pdf"
        reader = PdfReader(pdf)
        dests = {name: (reader.get_destination_page_number(d), float(d.top)) for name, d in reader.named_destinations.items()}
        numbers = section_numbers(entry.model)
        turns = sum(len(scene.choices) for scene in entry.model.scenes.values())
        checked = 0
        for index in range(len(reader.pages)):
            height, words = page_words(pdf, index + 1)
            seen: list[tuple[float, float, float, float]] = []
            for rect, dest in _links(reader, index):
                box = (min(rect[0], rect[2]), height - max(rect[1], rect[3]),
                       max(rect[0], rect[2]), height - min(rect[1], rect[3]))
                inside = [w.text for w in words if _within(w, box)]
                number = next((int(t) for t in inside if t.isdigit()), None)
                if number is None or any(_overlap(box, other) for other in seen):
                    continue   # WeasyPrint also links the bold number inside "turn to N" on its own
                seen.append(box)
                assert dest == f"section-{number}", (sid, inside, dest)
                page, top = dests[dest]
                _, target_words = page_words(pdf, page + 1)
                heading = [w for w in target_words if w.text == str(number) and abs((height - top) - w.y0) < 30]
                assert heading, f"{sid}: section {number} heading is not where its link points"
                checked += 1
        assert checked == turns, (sid, checked, turns)
        assert set(numbers.values()) == set(range(1, len(numbers) + 1)) and numbers[entry.model.front.start] == 1


def test_gamebook_prints_choices_conditions_and_effects_in_words(books, world):
    story = world.stories["the-sunken-keep"].model
    numbers = section_numbers(story)
    text = squash(pdftext(books.build / "pdf/stories/the-sunken-keep.pdf"))
    assert (f"If your Strength is at least 14 or your Agility is at least 13: Climb the tower’s broken face to the "
            f"lit windows — turn to {numbers['tower']}") in text
    assert (f"If you have not met Dunnet: Scull over to the cutter and hear what the warden wants — note that you "
            f"met Dunnet, then turn to {numbers['dunnet-parley']}") in text
    assert f"lose 1 air, then turn to {numbers['great-hall']}" in text
    assert text.count("The End") == len(story.endings) + 1      # each ending, and once in "How to read"
    assert "Adventure sheet" in text and "starts at 3" in text  # air: 3


def test_every_font_is_embedded_and_is_the_themes_own(books):
    for pdf in sorted(books.build.glob("pdf/**/*.pdf")):
        rows = pdffonts(pdf)
        assert rows, pdf
        for row in rows:
            assert row["emb"] == "yes", (pdf.name, row)
            assert row["name"].split("+", 1)[-1] in THEME_FONTS, (pdf.name, row["name"])


def test_metadata_title_authors_language_and_reproducible_date(books, world):
    authors = ", ".join(world.project.config.project.authors)
    for pdf in sorted(books.build.glob("pdf/**/*.pdf")):
        info = pdfinfo(pdf)
        assert info["Title"], pdf
        assert info["Author"] == authors
        assert info["CreationDate"] == info["ModDate"] == "2023-11-14T22:13:20Z"
        assert info["Tagged"] == "yes"                      # a structure tree for screen readers
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "en"
    assert pdfinfo(books.build / "pdf/heroes/aria.pdf")["Title"] == "Aria Vell — Hero sheet"


def test_two_builds_make_the_same_bytes(books):
    """The twin is another process's build of half the books (a shard): each of its
    books is byte for byte the first build's."""
    ours = sorted(p.relative_to(books.build) for p in books.build.glob("*/**/*") if p.suffix in (".pdf", ".epub"))
    theirs = sorted(p.relative_to(books.twin) for p in books.twin.glob("*/**/*") if p.suffix in (".pdf", ".epub"))
    assert len(ours) >= 10 and set(theirs) < set(ours)
    assert len(theirs) >= 5 and {p.suffix for p in theirs} == {".pdf", ".epub"}, theirs
    different = [str(p) for p in theirs if (books.build / p).read_bytes() != (books.twin / p).read_bytes()]
    assert different == []
