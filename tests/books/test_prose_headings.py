"""A heading a writer types in prose (a scene, a hero's background) is nested under the
heading of the section that shows it, in every output: an <h3> at the top, the prose's
other headings below it in their order. `# Early life` in a background was a second
<h1> on the hero's page, and `# A vision` in a scene a first-level bookmark of the
gamebook PDF among its numbered sections (and an <h1> inside a section of the EPUB).

The same build prints a paragraph indented as Japanese prose is, with an ideographic
space (U+3000) typed at its start: markdown-it-py trimmed it (CommonMark trims only
spaces and tabs), so the gamebook printed the paragraph flush and the EPUB lost it.
A second such paragraph in the section (whose first it is not) was indented twice: the
print theme's `text-indent` and the typed space; it is indented by the space alone."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree, html

from book_support import EPOCH, ONE_PROCESS, need_poppler
from support import foundry

BACKGROUND = """
background: |
  # Early life

  Rook grew up on the marsh road.

  ## Later

  Where the *fog* decides who arrives.
"""


def _outline(pdf) -> list[str]:
    def walk(items):
        for item in items:
            yield from walk(item) if isinstance(item, list) else [item.title]
    return list(walk(pypdf.PdfReader(pdf).outline))


def _headings(tree) -> list[tuple[str, str]]:
    return [(h.tag, " ".join(h.text_content().split())) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


# the first paragraph of the gamebook's first section (no text-indent of the theme's:
# it is its section's first), long enough for three lines
INDENTED = "\u3000The fog comes in off the marsh like a tide, " + "and the Old Guide holds out a hand for coins " * 4
# and the section's second paragraph, the theme's `text-indent` its own, indented so too
SECOND = "\u3000Rain follows the fog, " + "and the ferry waits at the reed bank for the guide " * 4


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("prose") / "world"
    assert foundry("init", "--no-git", str(root)).code == 0
    hero = root / "content" / "heroes" / "first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text[:text.index("background:")] + BACKGROUND.lstrip("\n"), encoding="utf-8")
    story = root / "content" / "stories" / "first-story.md"
    story.write_text(story.read_text(encoding="utf-8")
                     .replace("The lantern bobs ahead.", "# A vision\n\n### A small sign\n\nThe lantern bobs ahead.")
                     .replace("Boot prints, fresh,", "#### Only a small one\n\nBoot prints, fresh,")
                     .replace("The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.",
                              INDENTED + "\n\n" + SECOND)
                     .replace("summary: A short crossing with two ways to end.",
                              "summary: |\n  A short crossing.\n\n  ## In short\n\n  Two ways to end."), encoding="utf-8")
    run = foundry("build", "--only", "html,pdf,epub", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    return root / "build"


def test_prose_headings_nest_under_their_section_in_site_pdf_and_epub(build):
    page = _headings(html.parse(str(build / "site" / "stories" / "first-story.html")))
    assert [tag for tag, _ in page].count("h1") == 1
    at = page.index(("h2", "The Lantern Path"))
    assert page[at + 1:at + 3] == [("h3", "A vision"), ("h4", "A small sign")]
    assert page[page.index(("h2", "Tracks in the Mud")) + 1] == ("h3", "Only a small one")
    # the summary sits right under the page's <h1>: its heading is an <h2> there
    assert page[1] == ("h2", "In short")
    sheet = _headings(html.parse(str(build / "site" / "heroes" / "first-hero.html")))
    at = sheet.index(("h2", "Background"))
    assert [tag for tag, _ in sheet].count("h1") == 1
    assert sheet[at + 1:at + 3] == [("h3", "Early life"), ("h4", "Later")]
    for headings in (page, sheet):   # no level skipped (the Nu validator's error)
        levels = [int(tag[1]) for tag, _ in headings]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), headings

    gamebook = _outline(build / "pdf" / "stories" / "first-story.pdf")
    assert [t for t in gamebook if t.startswith("Section")] == [f"Section {n}" for n in range(1, 6)]
    assert not {"A vision", "A small sign", "Only a small one"} & set(gamebook), gamebook
    compendium = _outline(build / "pdf" / "compendium.pdf")
    assert not {"Early life", "Later", "A vision", "A small sign", "In short"} & set(compendium), compendium

    with zipfile.ZipFile(build / "epub" / "stories" / "first-story.epub") as epub:
        found = [h for name in sorted(epub.namelist()) if name.endswith(".xhtml")
                 for h in _headings(html.fromstring(epub.read(name)))]
        # the summary right under "How to read this book" (<h1>) starts at <h2>
        first = _headings(html.fromstring(epub.read("EPUB/how-to-read.xhtml")))
    assert ("h3", "A vision") in found and ("h4", "A small sign") in found and ("h3", "Only a small one") in found
    assert first[:2] == [("h1", "How to read this book"), ("h2", "In short")]


def test_an_ideographic_space_typed_at_a_paragraphs_start_is_printed_as_its_indent(build):
    out = subprocess.run(["pdftotext", "-bbox", str(build / "pdf" / "stories" / "first-story.pdf"), "-"],
                         capture_output=True, check=True).stdout
    words = [(w.text, float(w.get("xMin")), float(w.get("yMin")))
             for w in etree.fromstring(out, etree.XMLParser(recover=True)).iter("{*}word")]
    first = next(k for k, (text, _, _) in enumerate(words) if text == "fog" and words[k - 1][0] == "The")
    lines = sorted({round(y) for _, _, y in words[first - 1:first + 40]})
    starts = [min(x for _, x, y in words[first - 1:first + 40] if round(y) == line) for line in lines[:3]]
    # the paragraph's first line starts an ideographic space (1 em) right of the next two
    assert starts[0] - starts[1] > 6 and abs(starts[1] - starts[2]) < 0.5, (starts, words[first - 1:first + 3])
    with zipfile.ZipFile(build / "epub" / "stories" / "first-story.epub") as epub:
        shown = [p.text_content() for name in epub.namelist() if name.endswith(".xhtml")
                 for p in html.fromstring(epub.read(name)).iter("p") if "holds out a hand" in p.text_content()]
    assert [p[:8] for p in shown] == ["\u3000The fog"], shown
    page = html.parse(str(build / "site" / "stories" / "first-story.html"))
    assert [p.text_content()[:8] for p in page.iter("p") if "holds out a hand" in p.text_content()] == ["\u3000The fog"]


def _line_starts(words: list[tuple[str, float, float]], first: int) -> list[float]:
    """The x where each of the first three lines of the paragraph whose first word is
    words[first] begins (its first line after the typed space)."""
    lines = sorted({round(y) for _, _, y in words[first:first + 40]})
    return [min(x for _, x, y in words[first:first + 40] if round(y) == line) for line in lines[:3]]


def _bbox_words(pdf: Path) -> list[tuple[str, float, float]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return [(w.text, float(w.get("xMin")), float(w.get("yMin")))
            for w in etree.fromstring(out, etree.XMLParser(recover=True)).iter("{*}word")]


def test_a_typed_indent_is_not_indented_again_by_the_theme(build, tmp_path):
    """The section's second paragraph, opening with U+3000, starts one ideographic
    space right of its other lines, as its first does: not that and the theme's 1.2 em
    (the gamebook PDF, and the EPUB's chapter laid out with the EPUB's own stylesheet)."""
    need_poppler()
    words = _bbox_words(build / "pdf" / "stories" / "first-story.pdf")
    fog = next(k for k, (text, _, _) in enumerate(words) if text == "The" and words[k + 1][0] == "fog")
    rain = next(k for k, (text, _, _) in enumerate(words) if text == "Rain" and words[k + 1][0] == "follows")
    one, second = _line_starts(words, fog), _line_starts(words, rain)
    space = one[0] - one[1]   # one ideographic space: the first paragraph has no indent of the theme's
    assert space > 6 and abs(second[1] - one[1]) < 0.5, (one, second)
    assert abs((second[0] - second[1]) - space) < 0.5, (space, second)   # was space + 1.2 em
    # The EPUB: its chapter and stylesheet, laid out as a reader would (WeasyPrint here)
    import weasyprint
    with zipfile.ZipFile(build / "epub" / "stories" / "first-story.epub") as epub:
        epub.extractall(tmp_path / "epub")
    chapter = next(p for p in (tmp_path / "epub").rglob("*.xhtml") if "Rain follows" in p.read_text(encoding="utf-8"))
    weasyprint.HTML(filename=str(chapter), encoding="utf-8").write_pdf(tmp_path / "chapter.pdf")
    words = _bbox_words(tmp_path / "chapter.pdf")
    fog = next(k for k, (text, _, _) in enumerate(words) if text == "The" and words[k + 1][0] == "fog")
    rain = next(k for k, (text, _, _) in enumerate(words) if text == "Rain" and words[k + 1][0] == "follows")
    one, second = _line_starts(words, fog), _line_starts(words, rain)
    space = one[0] - one[1]
    assert space > 6 and abs((second[0] - second[1]) - space) < 0.5, (one, second)
