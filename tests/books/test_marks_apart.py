"""A keycap or an enclosing circle the PDF draws apart from its letter is HF0761.

A hero background "Press 1⃣done and 2️⃣then A⃝next" printed the keycap's frame over
"do" and "th" and the circle over "ne": the print theme's Libertine draws the digit and
the letter, and has no U+20E3 or U+20DD, so each mark came from another font,
positioned by neither. Every character exists in some font, so HF0741 (one character
at a time) said nothing, in check and build alike. Said now at the letter, the same by
both; an accent written as a combining mark the face has (e + U+0301) and Devanagari's
vowel signs (drawn with their letters by a Noto font) are not; and following the hint
(the digit with a stop, the letter alone) prints the text and says nothing."""

from __future__ import annotations

from book_support import need_poppler, pdftext
from support import diagnostics, foundry, with_background

from pipeline.exporters.pdf.marks_apart import clusters

LINES = ("Rook grew up on the marsh road.\n"
         "Press 1\u20e3done and 2\ufe0f\u20e3then A\u20ddnext.\n"
         "At the cafe\u0301 she said \u0928\u092e\u0938\u094d\u0924\u0947 twice.\n")
FOLLOWED = ("Rook grew up on the marsh road.\n"
            "Press 1. done and (2) then A next.\n"
            "At the cafe\u0301 she said \u0928\u092e\u0938\u094d\u0924\u0947 twice.\n")


def test_a_cluster_is_a_letter_and_its_marks_without_variation_selectors():
    assert list(clusters("x 2\ufe0f\u20e3 e\u0301\u0308")) == [(2, "2", "\u20e3"), (6, "e", "\u0301\u0308")]
    assert list(clusters("\u20e3 plain \ufe0f")) == []


def test_check_and_build_say_a_keycap_drawn_apart_at_its_letter(project_factory):
    need_poppler()
    root = project_factory({})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"')
                      .replace('title = "Minimal"', 'title = "Minimal 9\u20e3"'), encoding="utf-8")   # every book prints it
    first = with_background(root, LINES)
    story = root / "content/stories/first-story.md"
    written = story.read_text(encoding="utf-8")
    # written as an escape, Markdown's character reference: said at the digit too
    story.write_text(written.replace("holds out a hand", "holds up 3&#x20E3;fingers"), encoding="utf-8")
    rules = root / "schemas/attributes.yaml"
    ruled = rules.read_text(encoding="utf-8")
    rules.write_text(ruled.replace("name: Agility,", "name: Agility A\u20dd,"), encoding="utf-8")   # a sheet prints it
    at = written.splitlines().index(next(line for line in written.splitlines() if "holds out a hand" in line)) + 1
    env = {"SOURCE_DATE_EPOCH": "1700000000"}

    def said(*args):
        run = foundry(*args, "--format", "json", "--project", str(root), env=env)
        return run, [(d["file"], d["line"], d["column"], d["message"], d["hint"])
                     for d in run.json()["diagnostics"] if d["code"] in ("HF0761", "HF0741")]

    checked, in_check = said("check")
    hero = "content/heroes/first-hero.yaml"
    tale = "content/stories/first-story.md"
    assert [where[:3] for where in in_check] == [(hero, first + 1, 9), (hero, first + 1, 20), (hero, first + 1, 28),
                                                 (tale, at, 68),
                                                 ("foundry.toml", 2, 18), ("schemas/attributes.yaml", 4, 32)], diagnostics(checked)
    assert "U+20E3" in in_check[0][3] and "U+20DD" in in_check[2][3] and "FE0F" not in in_check[1][3], in_check
    built, in_build = said("build", "--only", "pdf")
    assert built.code == 0, built.stderr
    assert in_build == in_check, diagnostics(built)

    # the hint followed (the digit with a stop or brackets, the letter alone): nothing
    # said, and the PDF prints the line as written
    with_background(root, FOLLOWED)
    story.write_text(written.replace("holds out a hand", "holds up 3 fingers"), encoding="utf-8")
    rules.write_text(ruled.replace("name: Agility,", "name: Agility A,"), encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace("9\u20e3", "9"), encoding="utf-8")
    built, in_build = said("build", "--only", "pdf")
    assert built.code == 0 and in_build == [], diagnostics(built)
    text = " ".join(pdftext(pdf) for pdf in sorted((root / "build").rglob("*.pdf")))
    assert "Press 1. done and (2) then A next." in " ".join(text.split()), text
