"""Reading the books back with the real tools: poppler's pdftotext/pdffonts/pdfinfo
and pypdf for link annotations and outlines."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from support import REPO, require_tool

# The sample's EPUBs, by path under build/ (test_epub_books, test_epub_accessibility).
EPUBS = ["epub/compendium.epub", "epub/stories/bells-under-saltmarrow.epub", "epub/stories/the-lost-lantern.epub",
         "epub/stories/the-sunken-keep.epub"]
# The compendium: DAISY Ace (a headless Chromium per book, ~25 s of CPU) reads the book
# of every entity page. The gamebooks' template, stylesheet and navigation are read by
# Ace in tests/l10n/test_localized_outputs.py (the Arabic gamebook: right to left as
# well); epubcheck still reads all four of the sample's EPUBs (test_epub_books.py).
ACE_BOOKS = ["epub/compendium.epub"]
EPOCH = "1700000000"          # SOURCE_DATE_EPOCH of every test build: 2023-11-14T22:13:20Z
# A test build's books rendered in the build's own process: PDFs and EPUBs render in a
# pool of a worker a core from two books on (render/pool.py), whose forks cost a PDF
# build of the minimal project ~0.25 CPU-s (each worker sets fontconfig and WeasyPrint's
# fonts up again; a cold build's workers each import WeasyPrint too) and gain nothing on
# a few books. The books are the same exporter's either way; a test of the pool's own
# ways (test_font_folders.py: its render processes) keeps it.
ONE_PROCESS = {"FOUNDRY_JOBS": "1"}


def copy_sample(where: Path) -> Path:
    """The repository's sample world, copied without builds, tests or git."""
    shutil.copytree(REPO, where, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                               ".foundry-*", "__pycache__"))
    return where


def need_poppler() -> None:
    require_tool(all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo")), "poppler-utils")


def pdftext(pdf: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", "-isodates", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines()) if v}


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """One row per font: name, type, emb, sub, uni (pdffonts' own columns)."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name, type (1–3 words), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def squash(text: str) -> str:
    """Whitespace and line breaks (and hyphenation at line ends) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float      # from the top of the page, in points (pdftotext's bbox convention)
    x1: float
    y1: float


def page_words(pdf: Path, page: int) -> tuple[float, list[Word]]:
    """(page height, words with their boxes) of one page (1-based)."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, check=True).stdout
    tree = etree.fromstring(out, etree.XMLParser(recover=True))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    page_el = tree.find(".//h:page", ns)
    words = [Word(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")))
             for w in tree.iterfind(".//h:word", ns)]
    return float(page_el.get("height")), words


def touching_lines(pdf: Path, page: int, among: str = "", dpi: int = 150) -> list[tuple[str, str]]:
    """(line, the line under it) of each pair of printed lines on `page` whose ink
    meets: no row of pixels free of ink between the middles of their boxes, across the
    width they share; with `among` (a regular expression), only pairs of which a line
    holds it, and a page with no such line is not rasterised. pdftotext's boxes are the fonts' ascent and descent, not what
    the glyphs draw (a Myanmar line's box holds its ink, a heading's line box does not),
    so the page is rasterised with pdftoppm and the ink itself is looked at."""
    import tempfile

    import numpy
    from PIL import Image

    require_tool(bool(shutil.which("pdftoppm")), "pdftoppm (poppler-utils)")
    out = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, check=True).stdout
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    lines = [(float(line.get("xMin")), (float(line.get("yMin")) + float(line.get("yMax"))) / 2,
              float(line.get("xMax")), float(line.get("yMax")) - float(line.get("yMin")),
              " ".join(w.text or "" for w in line.iterfind("h:word", ns)))
             for line in etree.fromstring(out, etree.XMLParser(recover=True)).iterfind(".//h:line", ns)]
    if not any(re.search(among, line[4]) for line in lines):
        return []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                        "-png", str(pdf), f"{folder}/page"], check=True)
        ink = numpy.asarray(Image.open(f"{folder}/page.png")) < 160
    return ink_meets(lines, ink, dpi / 72, lambda text, next_text: bool(re.search(among, text) or re.search(among, next_text)))


def ink_meets(lines, ink, scale: float, judged) -> list[tuple[str, str]]:
    """(line, the line under it) of each pair of `lines` ((x0, middle, x1, height, text)
    boxes, in the units of `ink` divided by `scale`) that `judged(text, next_text)`
    picks and whose ink meets: no row of `ink` (a boolean picture of the page) free
    between the middles of their boxes, across the width they share. A pair further
    apart than three lines' height is a gap between blocks, not two lines."""
    touching = []
    for x0, middle, x1, height, text in lines:
        under = [line for line in lines if line[1] > middle + 2 and line[0] < x1 and line[2] > x0]
        if not under:
            continue
        nx0, next_middle, nx1, next_height, next_text = min(under, key=lambda line: line[1])
        if next_middle - middle > 3 * max(height, next_height) or not judged(text, next_text):
            continue
        band = ink[int(middle * scale):int(next_middle * scale), int(max(x0, nx0) * scale):int(min(x1, nx1) * scale)]
        if band.size and band.any(axis=1).all():
            touching.append((text, next_text))
    return touching


def font_drawing(char: str) -> bytes:
    """The shipped Biolinum, mapping `char` to its 'A' too: a font file that alone has
    an unassigned character (U+0378), for tests of which theme fonts a book draws from."""
    import io

    from fontTools.ttLib import TTFont
    font = TTFont(str(REPO / "themes/default/print/fonts/LinBiolinum_R.otf"))
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[ord(char)] = table.cmap[ord("A")]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
