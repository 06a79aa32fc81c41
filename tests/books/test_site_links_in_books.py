"""A link in prose to another page of the site (`[the guide](../characters/old-guide.html)`,
which `foundry check` accepts: HF0721) as the books show it. The EPUB kept it as written,
a link to no file of the book (epubcheck RSC-007: an invalid EPUB), and the PDF pointed
it at its placeholder address https://foundry-book.invalid/…; now a book links to the
published page when `base_url` says where the site is, and shows the words alone when
it does not. So does a link to an id of the prose's own page (`#relationships-h`),
which check accepts as the site has it: the books kept it, an id no book has (epubcheck
RSC-012; the PDF warned "No anchor" at the print theme, which check never said), and
a query alone (`?from=guide`, a bare `?`: RSC-007, and the PDF's placeholder
address). Read back with epubcheck and pypdf."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from book_support import EPOCH, ONE_PROCESS
from support import epubcheck_many, foundry, write_project


FILES = {
    "content/characters/old-guide.yaml": """
        name: Old Guide
        role: Mentor
        status: draft
        relationships:
          - {with: first-hero, kind: apprentice}
        background: |
          Taught [Rook](../heroes/first-hero.html) the road, and reads [the almanac](https://example.org/almanac).
          Ask about [his ties](#relationships-h) or [the road](?from=guide) ([here](?)).
    """,
}


def _project(where: Path, base_url: str | None) -> Path:
    """The minimal project with links to site pages in a scene and a background, built.
    The build checks first and stops on an error: a link `foundry check` refused
    (HF0721) fails it, said as check says it (no separate check run)."""
    root = write_project(where, FILES, "minimal")
    path = root / "content" / "stories" / "first-story.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("The Old Guide holds out a hand for coins.",
                        "[The Old Guide](../characters/old-guide.html) holds out a hand for coins.", 1)
    text = text.replace("summary: A short crossing", "summary: A short [crossing](#scene-bank)", 1)
    assert "old-guide.html" in text and "#scene-bank)" in text
    path.write_text(text, encoding="utf-8")
    if base_url:
        toml = root / "foundry.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("[project]\n", f'[project]\nbase_url = "{base_url}"\n', 1),
                        encoding="utf-8")
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root),
                  env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    # what check says (nothing: every link lands on the site) the build says: no "No
    # anchor #…" warning at the print theme
    check = foundry("check", "--format", "json", "--project", str(root))
    assert run.json()["diagnostics"] == check.json()["diagnostics"] == [], run.stdout
    return root / "build"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """build/ of the project for a base_url, built once for the module on first use."""
    made: dict[str | None, Path] = {}

    def build(base_url: str | None) -> Path:
        if base_url not in made:
            made[base_url] = _project(tmp_path_factory.mktemp("links") / "proj", base_url)
        return made[base_url]
    return build


CHECKED_URLS = [None, "https://coast.example/world/"]   # the base_urls whose books epubcheck reads
CHECKED_BOOKS = ("epub/compendium.epub", "epub/stories/first-story.epub")


@pytest.fixture(scope="module")
def epubchecked(books, tmp_path_factory) -> dict[tuple[str | None, str], subprocess.CompletedProcess]:
    """epubcheck's command line on each book of CHECKED_BOOKS built for each base_url of
    CHECKED_URLS, by (base_url, book): all four in one Java process
    (support.epubcheck_many), not four JVMs each loading epubcheck's schemas again
    (~3.7 CPU-s a book one by one). Each book is checked by itself, as before."""
    keys = [(url, book) for url in CHECKED_URLS for book in CHECKED_BOOKS]
    runs = epubcheck_many([books(url) / book for url, book in keys], tmp_path_factory.mktemp("epubcheck"))
    return dict(zip(keys, runs))


def _epubcheck(epubchecked, base_url, book):
    run = epubchecked[base_url, book]
    assert run.returncode == 0 and "ERROR" not in run.stdout + run.stderr, run.stdout + run.stderr


def _uris(pdf) -> set[str]:
    return {str(a.get_object()["/A"]["/URI"]) for page in pypdf.PdfReader(pdf).pages
            for a in page.get("/Annots") or [] if "/A" in a.get_object()}


def _epub_text(epub) -> str:
    with zipfile.ZipFile(epub) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xhtml"))


@pytest.mark.parametrize("base_url", CHECKED_URLS)
def test_links_to_site_pages_are_valid_in_every_book(books, epubchecked, base_url):
    build = books(base_url)
    for epub in CHECKED_BOOKS:
        _epubcheck(epubchecked, base_url, epub)
    uris = _uris(build / "pdf" / "compendium.pdf") | _uris(build / "pdf" / "stories" / "first-story.pdf")
    assert not any("invalid" in u for u in uris), uris
    assert "https://example.org/almanac" in uris   # a link to another site is kept
    text = _epub_text(build / "epub" / "compendium.epub") + _epub_text(build / "epub" / "stories" / "first-story.epub")
    assert "The Old Guide" in text and "Rook" in text   # the words stay
    if base_url:
        site = {"https://coast.example/world/characters/old-guide.html",
                "https://coast.example/world/heroes/first-hero.html",
                "https://coast.example/world/characters/old-guide.html#relationships-h",
                "https://coast.example/world/characters/old-guide.html?from=guide",
                "https://coast.example/world/stories/first-story.html#scene-bank"}
        assert site <= uris
        assert all(f'href="{u}"' in text for u in site)
    else:
        assert ".html" not in " ".join(uris) and not any("#" in u for u in uris), uris
        assert "old-guide.html" not in text and "first-hero.html" not in text
        for href in ('href="#relationships-h"', 'href="#scene-bank"', 'href="?from=guide"', 'href="?"'):
            assert href not in text, href
        assert "his ties" in text and "crossing" in text   # the words stay


def test_a_base_url_without_its_last_slash_makes_the_same_books(books):
    """`https://coast.example/world` is the folder world/, as the site reads it (not
    its parent, as a plain URL join would): its books are the bytes of the books made
    with `https://coast.example/world/`, which the test above reads with epubcheck and
    pypdf (one build and two epubcheck runs fewer than reading them again)."""
    slash, bare = books("https://coast.example/world/"), books("https://coast.example/world")
    made = sorted(p.relative_to(slash).as_posix() for p in slash.rglob("*") if p.is_file()
                  and p.relative_to(slash).parts[0] in ("pdf", "epub"))
    assert "epub/compendium.epub" in made and "pdf/stories/first-story.pdf" in made, made
    for book in made:
        assert (bare / book).read_bytes() == (slash / book).read_bytes(), book
    assert {"https://coast.example/world/characters/old-guide.html",
            "https://coast.example/world/heroes/first-hero.html"} <= \
        _uris(bare / "pdf" / "compendium.pdf") | _uris(bare / "pdf" / "stories" / "first-story.pdf")
