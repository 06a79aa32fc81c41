"""A theme's face limited by `unicode-range` draws nothing outside it.

WeasyPrint hands fontconfig an @font-face rule's `unicode-range` as the face's
characters: Pango never takes a character outside the range from that file, whatever
its cmap maps. `foundry check` counted the file's whole cmap, so a character only that
file has, outside its range, was foretold as printed, and the build printed a box and
said HF0741. Check now counts the range, and says what the build says. U+0378 is
unassigned: no font on any machine has it but the one the test makes."""

from __future__ import annotations

import pytest

from book_support import ONE_PROCESS, font_drawing
from support import REPO, diagnostics, foundry, with_background

UNASSIGNED = "\u0378"
BASE = REPO / "themes/default/print/css/base.css"


def _face(family: str, limit: str = "") -> str:
    return f'@font-face {{ font-family: "{family}"; src: url(../fonts/Ledger.otf); {limit} }}\n'


def _ledger_project(project_factory, faces: str):
    """(root, line): a PDF-only project whose base.css ends with `faces`, whose
    fonts/Ledger.otf maps U+0378, and whose hero's background holds U+0378 at `line`."""
    root = project_factory({"themes/default/print/css/base.css": BASE.read_text(encoding="utf-8") + faces,
                            "themes/default/print/fonts/Ledger.otf": font_drawing(UNASSIGNED)})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    return root, with_background(root, f"The ledger's mark {UNASSIGNED} is drawn by its own face.\n")


def _boxed_alike(project_factory, faces: str, boxed: bool) -> None:
    """In _ledger_project's project with `faces`: the build and check each say HF0741 at that line when `boxed`, neither when not.
    The hero's sheet is the one book made (no story, no quest, no compendium): it prints
    the background, and the gamebook and compendium beside it were two more books laid
    out with the project's own theme for the same line."""
    root, line = _ledger_project(project_factory, faces)
    for rel in ("stories/first-story.md", "quests/first-quest.yaml"):
        (root / "content" / rel).unlink()
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write("\n[print]\ncompendium = false\n")
    expected = [("content/heroes/first-hero.yaml", line)] if boxed else []
    built = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                    env={"SOURCE_DATE_EPOCH": "1700000000", "FOUNDRY_JOBS": "1"})
    assert built.code == 0, built.stdout[-2000:] + built.stderr[-2000:]
    assert sorted(p.name for p in (root / "build/pdf").rglob("*.pdf")) == ["first-hero.pdf"]
    in_build = [(d["file"], d["line"]) for d in built.json()["diagnostics"] if d["code"] == "HF0741"]
    assert in_build == expected, diagnostics(built)
    checked = foundry("check", "--format", "json", "--project", str(root))
    assert [(d["file"], d["line"]) for d in checked.json()["diagnostics"] if d["code"] == "HF0741"] == expected, \
        diagnostics(checked)


@pytest.mark.parametrize("limit, boxed", [("", False), ("unicode-range: U+0000-00FF;", True),
                                          ("unicode-range: U+0000-00FF, U+03??;", False)])
def test_check_counts_a_faces_unicode_range_as_the_build_draws_it(project_factory, limit, boxed):
    _boxed_alike(project_factory, f'@font-face {{ font-family: "Ledger"; src: url(../fonts/Ledger.otf); {limit} }}\n',
                 boxed)


def test_a_backward_range_is_a_descriptor_ignored_alike_not_a_crashed_render(project_factory):
    """`unicode-range: U+FF-0` (its end before its start, invalid in CSS) was handed to
    fontconfig, which refused the configuration; the render then died of a
    segmentation fault, every PDF HF0710 naming no line, while check foretold U+0378 a
    box. Now WeasyPrint ignores the descriptor with its own warning (HF0703) at the
    line, in check and the build alike, and the face draws from its whole font."""
    root, _ = _ledger_project(project_factory, _face("Ledger", "unicode-range: U+FF-0;"))
    where = ("themes/default/print/css/base.css", len(BASE.read_text(encoding="utf-8").splitlines()) + 1)
    built = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                    env={"SOURCE_DATE_EPOCH": "1700000000", **ONE_PROCESS})
    assert built.code == 0, diagnostics(built)
    checked = foundry("check", "--format", "json", "--project", str(root))
    for run in (built, checked):
        said = [(d["code"], d["file"], d["line"]) for d in run.json()["diagnostics"]
                if d["code"] in ("HF0703", "HF0710", "HF0741")]
        assert said == [("HF0703", *where)], diagnostics(run)
        assert "unicode-range: U+FF-0" in next(d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0703")
    assert (root / "build/pdf/compendium.pdf").is_file()


@pytest.mark.parametrize("faces, boxed", [
    (_face("Ledger", "unicode-range: U+0-FF;") + _face("Ledger"), True),
    (_face("Ledger") + _face("Ledger", "unicode-range: U+0-FF;"), False),
    (_face("Ledger", "unicode-range: U+0-FF;") + _face("Other", "unicode-range: U+370-37F;"), True)])
def test_a_file_two_rules_name_draws_as_the_first_of_them_limits_it(project_factory, faces, boxed):
    """fontconfig's fallback keeps one copy of a font file two @font-face rules add
    (the later adds no characters): the first rule's range is the file's, where check
    counted every rule's together and foretold U+0378 printed, which the build printed
    as a box (HF0741 there alone)."""
    _boxed_alike(project_factory, faces, boxed)
