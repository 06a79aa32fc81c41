"""The EPUB books: the official checker's verdict, the package metadata, the zip
layout, and the gamebook's "turn to N" links, read back from the files."""

from __future__ import annotations

import re
import uuid
import zipfile

import pytest
from lxml import etree

from book_support import EPUBS as BOOKS
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.gamebook import section_numbers
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


@pytest.fixture(scope="module")
def world(books):
    diags = Diagnostics()
    return load_world(load_project(books.root, diags), diags)


def test_every_story_and_the_compendium_is_an_epub(books, world):
    made = sorted(p.relative_to(books.build).as_posix() for p in books.build.glob("epub/**/*.epub"))
    assert made == sorted(["epub/compendium.epub", *(f"epub/stories/{s}.epub" for s in world.stories)])
    assert made == sorted(BOOKS)


@pytest.mark.parametrize("book", BOOKS)
def test_epubcheck_finds_no_errors_and_no_warnings(epubcheck_results, book):
    result = epubcheck_results[book]
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert re.search(r"Messages: 0 fatals / 0 errors / 0 warnings", output), output


def test_package_declares_its_language_and_accessibility(books, world):
    for book in BOOKS:
        opf = _opf(books.build / book)
        assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == world.project.config.project.language
        props = [m.get("property") for m in opf.findall(".//opf:meta[@property]", NS)]
        for needed in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                       "schema:accessibilityHazard", "schema:accessibilitySummary"):
            assert needed in props, (book, needed)


def _opf(path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        container = etree.fromstring(z.read("META-INF/container.xml"))
        name = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        return etree.fromstring(z.read(name))


def test_package_metadata(books, world):
    config = world.project.config.project
    for book in BOOKS:
        opf = _opf(books.build / book)
        book_id = "compendium" if book.endswith("compendium.epub") else "story:" + book.rsplit("/", 1)[1][:-5]
        expected = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"hero-foundry:{config.title}:{book_id}"))
        assert opf.findtext(".//dc:identifier", namespaces=NS) == expected
        assert opf.findtext(".//dc:language", namespaces=NS) == config.language
        assert [c.text for c in opf.findall(".//dc:creator", NS)] == list(config.authors)
        assert opf.findtext(".//opf:meta[@property='dcterms:modified']", namespaces=NS) == "2023-11-14T22:13:20Z"
        cover = opf.find(".//opf:item[@properties='cover-image']", NS)
        assert cover is not None and cover.get("media-type") == "image/png"
        assert opf.find(".//opf:item[@properties='nav']", NS) is not None
    story = _opf(books.build / "epub/stories/the-sunken-keep.epub")
    assert story.findtext(".//dc:title", namespaces=NS) == "The Sunken Keep"


def test_zip_is_reproducible_and_confined(books):
    for book in BOOKS:
        with zipfile.ZipFile(books.build / book) as z:
            infos = z.infolist()
            assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
            assert z.read("mimetype") == b"application/epub+zip"
            assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
            names = [i.filename for i in infos[1:]]
            assert names == sorted(names)
            assert not any(".." in n.split("/") or n.startswith("/") for n in names)


def test_navigation_lists_every_section_and_the_compendium_parts(books, world):
    with zipfile.ZipFile(books.build / "epub/stories/the-sunken-keep.epub") as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(z.read("EPUB/toc.ncx"))
    labels = [a.text for a in nav.iterfind(".//x:nav//x:a", NS)]
    sections = len(world.stories["the-sunken-keep"].model.scenes)
    assert labels[:3] == ["Title page", "How to read this book", "Adventure sheet"]
    assert [f"Section {n}" for n in range(1, sections + 1)] == [label for label in labels if label.startswith("Section ")]
    assert len(ncx.findall(".//ncx:navPoint", NS)) == len(labels)
    with zipfile.ZipFile(books.build / "epub/compendium.epub") as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
    labels = [a.text for a in nav.iterfind(".//x:nav//x:a", NS)]
    assert {"Heroes", "Characters", "Quests", "Stories"} <= set(labels)
    assert {e.model.name for e in world.heroes.values()} <= set(labels)


def test_turn_to_links_open_the_right_section(books, world):
    for sid, entry in world.stories.items():
        numbers = section_numbers(entry.model)
        with zipfile.ZipFile(books.build / f"epub/stories/{sid}.epub") as z:
            files = {n[len("EPUB/"):]: etree.fromstring(z.read(n)) for n in z.namelist() if re.search(r"/s\d{3}\.xhtml$", n)}
        assert len(files) == len(numbers)
        links = 0
        for name, doc in files.items():
            for a in doc.iterfind(".//x:a", NS):
                text = "".join(a.itertext())
                m = re.fullmatch(r"turn to (\d+)", text)
                assert m, text
                target_file, anchor = a.get("href").split("#")
                target = files[target_file]
                heading = target.find(f".//x:section[@id='{anchor}']/x:h2", NS)
                assert heading is not None and heading.text == m.group(1) and anchor == f"section-{m.group(1)}"
                links += 1
        assert links == sum(len(s.choices) for s in entry.model.scenes.values())
        start = files["s001.xhtml"]
        first_words = entry.model.scenes[entry.model.front.start].text.split()[:6]
        assert " ".join(first_words) in " ".join("".join(start.itertext()).split())
