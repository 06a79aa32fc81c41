"""A word the PDF hyphenates at a line's end reads back whole.

WeasyPrint's default hyphen (CSS `hyphenate-character: auto`) is U+2010 HYPHEN: the
sample compendium read back "accur‐" / "ate", "swal‐" / "lowing" (8 words), and a
reader searching the book for "accurate", or copying the sentence, found two pieces.
poppler (pdftotext, Evince's and Okular's search) joins a word broken at a
line's end after HYPHEN-MINUS only; the theme's print CSS adds that, drawn with the
same glyph in its faces."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from lxml import etree

from book_support import EPOCH, ONE_PROCESS, need_poppler
from support import ROOTS, foundry

LONG = ["extraordinarily", "interpretations", "responsibilities", "unforgettable", "correspondence",
        "accomplishments", "circumstances", "harbourmasters"]
# one paragraph that stays in one column of the sheet: pdftotext joins lines of a block
PROSE = " ".join(f"The {a} and {b} of the {c} ledger." for a, b, c in
                 zip(LONG * 2, LONG[3:] * 2 + LONG[:3] * 2, LONG[5:] * 2 + LONG[:5] * 2))


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    need_poppler()
    root = tmp_path_factory.mktemp("hyphens") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("  Rook grew up", f"  {PROSE}\n\n  Rook grew up"))
    run = foundry("build", "--only", "pdf", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    return root / "build/pdf/heroes/first-hero.pdf"


def _text(sheet, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-enc", "UTF-8", str(sheet), "-"], capture_output=True,
                          check=True, text=True).stdout


def test_a_word_hyphenated_at_a_lines_end_reads_back_whole(sheet):
    drawn = _text(sheet, "-raw")                # the lines as drawn, each hyphen where the line breaks
    broken = re.findall(r"([a-z]+)[-\u2010]\n([a-z]+)", drawn)
    assert len(broken) >= 5 and all(a + b in LONG for a, b in broken), broken   # words met a line's end
    read = _text(sheet)                         # as a reader's search and copy read it
    assert "\u2010" not in read, re.findall(r"\w+\u2010\s*\w+", read)
    whole = sum(len(re.findall(rf"\b{word}\b", read)) for word in LONG)
    whole_as_drawn = sum(len(re.findall(rf"\b{word}\b", drawn)) for word in LONG)
    # poppler joins lines of one block (its own layout analysis may start a new block
    # mid-paragraph beside the sheet's side column: those stay broken)
    assert whole - whole_as_drawn >= len(broken) // 2, (whole, whole_as_drawn, broken)
