"""Portraits in the gamebooks, and their resolution in the print edition: the adventure
sheet prints each playable hero's portrait, embedded at full resolution, and a
portrait that prints below 300 dpi is HF0750 at the hero's `portrait:` line — read
back from the real PDF with pdfimages, pdftotext and pikepdf, and from the EPUB."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pikepdf
import pytest
from PIL import Image

from book_support import EPOCH, ONE_PROCESS, need_poppler, pdftext, squash
from support import ROOTS, foundry, require_tool

SMALL, LARGE = (100, 125), (400, 500)   # pixels: 127 and 508 dpi at the sheet's 20 mm


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The minimal world with two heroes who may play its story, one portrait too small
    to print and one large enough, built with print editions."""
    root = tmp_path_factory.mktemp("portraits") / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "content/assets").mkdir()
    (root / "content/assets/small.png").write_bytes(_png(SMALL, (30, 90, 80)))
    (root / "content/assets/large.png").write_bytes(_png(LARGE, (200, 170, 80)))
    hero = (root / "content/heroes/first-hero.yaml").read_text()
    assert "\ntitle: " in hero
    (root / "content/heroes/first-hero.yaml").write_text(hero.replace("\ntitle: ", "\nportrait: ../assets/small.png\ntitle: ", 1))
    (root / "content/heroes/second-hero.yaml").write_text(
        hero.replace("Rook Amsel", "Wren Amsel").replace("\ntitle: ", "\nportrait: ../assets/large.png\ntitle: ", 1))
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("protagonist: first-hero\n", "protagonist: first-hero\nheroes: [second-hero]\n"))
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[print]\neditions = true\ntrim = "A5"\n')
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    line = 1 + hero.split("\ntitle: ")[0].count("\n") + 1   # the portrait line inserted before title:
    return root, run.json()["diagnostics"], line


def test_a_portrait_below_300_dpi_is_hf0750_at_its_line(built):
    root, found, line = built
    warnings = [d for d in found if d["code"] == "HF0750"]
    assert [(d["file"], d["line"], d["severity"]) for d in warnings] == [
        ("content/heroes/first-hero.yaml", line, "warning")], found
    assert "small.png" in warnings[0]["message"] and "127 dpi" in warnings[0]["message"]
    lines = (root / "content/heroes/first-hero.yaml").read_text().splitlines()
    assert lines[line - 1].startswith("portrait: ../assets/small.png")


def test_the_adventure_sheet_prints_both_portraits_at_full_resolution(built):
    need_poppler()
    require_tool(shutil.which("pdfimages") is not None, "poppler-utils (pdfimages)")
    root = built[0]
    edition = root / "build/print/stories/first-story.pdf"
    listing = subprocess.run(["pdfimages", "-list", str(edition)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    # page, num, type, width, height, …, x-ppi (column 13), y-ppi
    images = {(int(r[3]), int(r[4])): (int(r[0]), int(r[12])) for r in rows if r[2] == "image"}
    assert set(images) == {SMALL, LARGE}, listing
    page = images[SMALL][0]
    assert images[LARGE][0] == page
    assert images[SMALL][1] < 300 <= images[LARGE][1]
    sheet = squash(pdftext(edition, page, page))
    assert "Adventure sheet" in sheet and "Rook Amsel" in sheet and "Wren Amsel" in sheet
    with pikepdf.open(edition) as pdf:   # embedded as they are, not scaled down
        sizes = {(int(o.Width), int(o.Height)) for o in pdf.objects
                 if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"}
    assert sizes == {SMALL, LARGE}
    # The screen gamebook shows them too.
    screen = subprocess.run(["pdfimages", "-list", str(root / "build/pdf/stories/first-story.pdf")],
                            capture_output=True, text=True, check=True).stdout
    assert len([line for line in screen.splitlines()[2:] if " image " in line]) == 2


def test_the_epub_adventure_sheet_carries_the_portraits(built):
    root = built[0]
    with zipfile.ZipFile(root / "build/epub/stories/first-story.epub") as book:
        names = book.namelist()
        sheet = next(book.read(n).decode() for n in names if n.endswith("adventure-sheet.xhtml"))
        opf = next(book.read(n).decode() for n in names if n.endswith(".opf"))
    images = [n for n in names if "/images/" in n and n.endswith(".png") and "cover" not in n]
    assert len(images) == 2, names
    for name in images:
        short = name.rsplit("/", 1)[1]
        assert f'src="images/{short}"' in sheet and f"images/{short}" in opf
    assert sheet.count('alt="Portrait of ') == 2


def test_a_kept_print_edition_still_reports_its_low_resolution_portrait(built, tmp_path):
    """A hero added elsewhere re-renders the compendium, not the print edition: the
    incremental build must report what a clean build reports, HF0750 included."""
    root = tmp_path / "world"
    shutil.copytree(built[0], root, symlinks=True)
    hero = (root / "content/heroes/second-hero.yaml").read_text().replace("Wren Amsel", "Ash Amsel")
    (root / "content/heroes/third-hero.yaml").write_text(hero.replace("portrait: ../assets/large.png\n", ""))
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root), env={"SOURCE_DATE_EPOCH": EPOCH, **ONE_PROCESS})
    assert run.code == 0, run.stdout + run.stderr
    assert "print/stories/first-story.pdf" not in run.json()["build"]["written"]   # kept, not made again
    assert [d["code"] for d in run.json()["diagnostics"] if d["code"] == "HF0750"] == ["HF0750"]


def test_check_says_the_low_resolution_portrait_as_the_build_does(built, tmp_path):
    """`check --strict` passed what `build --only pdf --strict` stopped on: HF0750 came
    from the laid-out edition only. The shipped print theme prints a player's portrait
    20 mm square, so check says it (same words, same place, same hint); a project's own
    print files may size it otherwise, and then only the build, which lays it out, can."""
    root, found, _ = built
    copy = tmp_path / "world"
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("build", ".foundry*"))
    run = foundry("check", "--strict", "--format", "json", "--project", str(copy))
    assert run.code == 1, run.stdout + run.stderr
    said = lambda diags: [(d["file"], d["line"], d["column"], d["message"], d["hint"])  # noqa: E731
                          for d in diags if d["code"] == "HF0750"]
    assert said(run.json()["diagnostics"]) == said(found) and said(found), run.json()["diagnostics"]
    # ejected and not yet changed, the print files size it as the shipped ones do: still said
    assert foundry("theme", "eject", "print/css/gamebook.css", "--project", str(copy)).code == 0
    run = foundry("check", "--format", "json", "--project", str(copy))
    assert said(run.json()["diagnostics"]) == said(found), run.json()["diagnostics"]
    # as a Windows checkout (git's autocrlf) writes it: CR LF line ends size it as LF ones
    # do (CSS reads CR LF as LF); check took it for the project's own and said nothing
    ejected = copy / "themes/default/print/css/gamebook.css"
    ejected.write_bytes(ejected.read_bytes().replace(b"\n", b"\r\n"))
    run = foundry("check", "--format", "json", "--project", str(copy))
    assert said(run.json()["diagnostics"]) == said(found), run.json()["diagnostics"]
    (copy / "themes/default/print/css/gamebook.css").write_text(".player .portrait { width: 5mm; height: 5mm; }\n")
    run = foundry("check", "--format", "json", "--project", str(copy))
    assert not said(run.json()["diagnostics"]), run.json()["diagnostics"]
