"""Numbers as wide as the rules allow (up to ±2^53) print whole, each on one line, in
every book that prints them: the hero sheet's scores and derived stats by level (alone
and in the compendium), and the adventure sheet of the gamebook and of an A6 print
edition. Measured with `pdftotext -bbox`: every number is one word, inside the page,
and the names beside it are not squeezed to a letter a line."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from book_support import EPOCH, ONE_PROCESS, need_poppler
from support import ROOTS, foundry

SCORE = 899_999_999_999                 # an attribute's score: twelve digits
MAX_LEVEL = 12
NAMES = {"Strength", "Agility", "Constitution", "Wits", "Defense"}


def derived(constitution: int, agility: int, level: int) -> tuple[int, int]:
    """Hit points and Defense as the world's formulas compute them (below)."""
    return -400_000_000_000_000 * constitution - level * 1000, 10 + agility * -10_000


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    need_poppler()
    root = tmp_path_factory.mktemp("numbers") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    rules = root / "schemas/attributes.yaml"
    rules.write_text(rules.read_text()
                     .replace("agility:      {name: Agility, min: 1, max: 20,", f"agility:      {{name: Agility, min: 1, max: {SCORE + 1},")
                     .replace("point_budget: {base: 16,", f"point_budget: {{base: {SCORE + 16},")
                     .replace('"10 + constitution * 2 + level * 4"', '"-400000000000000 * constitution - level * 1000"')
                     .replace('"10 + agility // 2"', '"10 + agility * -10000"'))
    progression = root / "schemas/progression.yaml"
    progression.write_text(progression.read_text().replace("max_level: 5", f"max_level: {MAX_LEVEL}").replace(
        "xp_for_level: [0, 100, 250, 450, 700]", f"xp_for_level: {[100 * n for n in range(MAX_LEVEL)]}"))
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("agility: 13,", f"agility: {SCORE},"))
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text() + '\n[print]\neditions = true\ntrim = "A6"\n')
    run = foundry("build", "--only", "pdf", "--project", str(root), "--format", "json", env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    # the attributes' names broke a letter a line beside the wide numbers: HF1139 at each
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF1139"], run.stdout
    return root / "build"


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, str]]]]:
    """(width, height, [(xmin, xmax, word)]) for every page, in points."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    return [(float(page.get("width")), float(page.get("height")),
             [(float(w.get("xmin")), float(w.get("xmax")), w.text or "") for w in page.iter("word")])
            for page in etree.fromstring(out, etree.HTMLParser()).iter("page")]


def _numbers(level: int | None) -> set[str]:
    """What the sheet prints: the scores, and the derived stats at every level (None)
    or at the hero's own."""
    levels = range(1, MAX_LEVEL + 1) if level is None else [level]
    return {str(SCORE), "10"} | {str(v) for n in levels for v in derived(10, SCORE, n)}


@pytest.mark.parametrize("pdf, level", [("pdf/heroes/first-hero.pdf", None), ("pdf/compendium.pdf", None),
                                        ("pdf/stories/first-story.pdf", 2), ("print/stories/first-story.pdf", 2)])
def test_a_wide_number_prints_whole_and_inside_the_page(built, pdf, level):
    """Before, the A4 sheet broke the twelve-digit score into six lines of two digits
    ('89' over '99'…) and the attribute names a letter a line ('St', 're', 'n', 'gt',
    'h'), squeezed by six levels a table of seventeen-character stats; the A5 adventure
    sheet printed '-40000000' over '00002000', one number read as two."""
    pages = _pages(built / pdf)
    words = {w for _, _, page in pages for _, _, w in page}
    assert _numbers(level) <= words, sorted(_numbers(level) - words)
    names = {n.lower() for n in NAMES}           # the adventure sheet sets them in capitals
    assert names <= {w.lower() for w in words}, sorted(names - {w.lower() for w in words})
    outside = [(w, x0, x1) for width, _, page in pages for x0, x1, w in page if x0 < 0 or x1 > width]
    assert not outside, outside
