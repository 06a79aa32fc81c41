"""A print theme's own `@font-face` rules, read as WeasyPrint reads them.

A theme shipping a Japanese face as a Git LFS pointer (checked out without `git lfs
pull`), or naming one with `local("…")` the machine has not, printed the face's text in
other fonts; WeasyPrint said `Font-face 'Mincho' cannot be loaded` while reading the
stylesheet, and every PDF said it again at the stylesheet with no line (four books,
four warnings naming the theme's CSS, not one naming the rule), while `foundry check`
said nothing. Now check and the build say it once, at the rule, with why.

And a face nested in `@layer` (or `@media print`), which WeasyPrint loads, was read by
check as no face: its font named there was "a picture … that cannot be read", and the
characters only it has were foretold as boxes (HF0741) that the book printed; one in
`@media screen`, `@supports` or an `@layer` of a name it cannot read (`@layer two
words`, ignored whole), which WeasyPrint never reads, was counted as printing them.
U+0378 and U+0379 are unassigned: no font on any machine has them but the ones the
test makes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from book_support import ONE_PROCESS, font_drawing
from support import REPO, foundry, require_tool, with_background, write_project

BASE = REPO / "themes/default/print/css/base.css"
LFS_POINTER = (b"version https://git-lfs.github.com/spec/v1\n"
               b"oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 4194304\n")
FACES = ('@font-face { font-family: "Mincho"; src: url(../fonts/mincho.otf); }\n'
         '@media print {\n  @font-face { font-family: "Gothic"; src: local("No Such Gothic Foundry"); }\n}\n'
         '@media screen {\n  @font-face { font-family: "Unread"; src: local("No Such Gothic Foundry"); }\n}\n'
         '@layer faces { @font-face { font-family: "Layered"; src: url(../fonts/mincho.otf); } }\n'
         '@layer faces { @font-face { font-family: "Ledger"; src: url(../fonts/Ledger.otf); } }\n'
         '@media screen { @font-face { font-family: "Screen"; src: url(../fonts/Screen.otf); } }\n'
         '@supports (display: grid) { @font-face { font-family: "Grid"; src: url(../fonts/Screen.otf); } }\n'
         '@layer two words { @font-face { font-family: "Twoword"; src: url(../fonts/Screen.otf); } }\n'
         '@font-face { font-family: "Ledgered"; src: url(../fonts/mincho.otf); }\n'
         '@font-face { font-family: "Ledgered"; src: url(../fonts/Ledger.otf); }\n'
         '@font-face { font-family: "Cut"; src: url(../fonts/Cut.otf); }\n')

# A face of a font this machine has, by its full name: WeasyPrint fetches its file:// address
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
HERE = '@font-face { font-family: "Here"; src: local("DejaVu Sans"); }\n' if DEJAVU.is_file() else ""


def _truetype(family: str, chars: str) -> bytes:
    """A small TrueType font drawing each of `chars` as a box (glyf outlines, which
    FreeType reads only when a glyph is drawn: a file cut short in them still opens)."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    names = [".notdef", *(f"u{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)), pen.lineTo((0, 500)), pen.lineTo((400, 500)), pen.closePath()
    builder.setupGlyf({name: pen.glyph() for name in names})
    builder.setupHorizontalMetrics({name: (500, 0) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _cut_in_outlines(font: bytes) -> bytes:
    """`font` (TrueType) cut short half-way through its glyf table, as a copy or a
    download that stopped there leaves it."""
    import io

    from fontTools.ttLib import TTFont
    entry = TTFont(io.BytesIO(font), lazy=True).reader.tables["glyf"]
    return font[:entry.offset + entry.length // 2]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """(first line of FACES in base.css, the background's first line, check's and the
    build's diagnostics) of a PDF-only project whose own base.css ends with FACES."""
    shipped = BASE.read_text(encoding="utf-8")   # its own faces (the shipped fonts) load: nothing said of them
    root = write_project(tmp_path_factory.mktemp("faces") / "proj", {
        "themes/default/print/css/base.css": shipped + FACES + HERE,
        "themes/default/print/fonts/mincho.otf": LFS_POINTER,
        "themes/default/print/fonts/Ledger.otf": font_drawing("\u0378"),
        "themes/default/print/fonts/Screen.otf": font_drawing("\u0379"),
        # a TrueType font copied half-way: FreeType opens it by its header, and Pango never draws from it
        "themes/default/print/fonts/Cut.otf": _cut_in_outlines(_truetype("Cut", "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u037a"))})
    (root / "content/stories/first-story.md").unlink()   # two books (a sheet and the compendium) say it once
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('"pdf", "epub", "ink", "twee"', '"pdf"'),
                      encoding="utf-8")
    line = with_background(root, "The ledger's mark \u0378 prints.\nThe screen's mark \u0379 does not.\n")
    checked = foundry("check", "--format", "json", "--project", str(root))
    built = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                    env={"SOURCE_DATE_EPOCH": "1700000000", **ONE_PROCESS})
    assert built.code == 0, built.stdout[-2000:] + built.stderr[-2000:]
    assert (root / "build/pdf/compendium.pdf").is_file()
    return len(shipped.splitlines()) + 1, line, checked.json()["diagnostics"], built.json()["diagnostics"]


@pytest.mark.parametrize("run", [2, 3], ids=["check", "build"])
def test_a_face_weasyprint_cannot_load_is_one_warning_at_its_rule(runs, run):
    first = runs[0]
    expected = [("themes/default/print/css/base.css", first, 1, "Mincho"),
                ("themes/default/print/css/base.css", first + 2, 3, "Gothic"),
                ("themes/default/print/css/base.css", first + 7, 16, "Layered"),
                ("themes/default/print/css/base.css", first + 12, 1, "Ledgered"),
                ("themes/default/print/css/base.css", first + 14, 1, "Cut")]
    said = [d for d in runs[run] if d["code"] == "HF0703" and d["message"].startswith("@font-face '")]
    assert [(d["file"], d["line"], d["column"], d["message"].split("'")[1]) for d in said] == expected, said
    assert "Git LFS pointer" in said[0]["message"] and "git lfs pull" in said[0]["hint"]
    assert "'No Such Gothic Foundry'" in said[1]["message"] and "url(../fonts/" in said[1]["hint"]
    # (WeasyPrint "loads" the font cut short, and no book draws from it: said as such)
    assert "Cut.otf is a font file cut short or damaged" in said[4]["message"], said[4]
    # a family the next rule loads is set in that rule's font, not "in other fonts"
    assert "set its text in other fonts" in said[0]["message"], said[0]
    assert "another @font-face rule of the family loads" in said[3]["message"], said[3]


@pytest.mark.parametrize("run", [2, 3], ids=["check", "build"])
def test_a_face_prints_where_weasyprint_reads_it_and_nowhere_else(runs, run):
    # the face in @layer prints U+0378; those in @media screen and @supports, which no book reads, print nothing
    assert [(d["file"], d["line"]) for d in runs[run] if d["code"] == "HF0741"] == \
        [("content/heroes/first-hero.yaml", runs[1] + 1)], runs[run]
    assert not [d for d in runs[run] if "picture" in d["message"]], runs[run]


@pytest.mark.parametrize("run", [2, 3], ids=["check", "build"])
def test_a_local_font_this_machine_has_is_drawn_from(runs, run):
    # the books' fetcher refused the machine font's file:// address WeasyPrint fetches
    # for local("DejaVu Sans"): each PDF failed (HF0704 at its template) and said the face
    # could not be loaded at the stylesheet with no line, while check passed clean
    require_tool(DEJAVU.is_file(), "DejaVu Sans (Debian package fonts-dejavu-core)")
    assert not [d for d in runs[run] if d["code"] == "HF0704" or "'Here'" in d["message"]], runs[run]


def _tiny_font() -> bytes:
    """A TrueType font of one glyph for 'A', some hundred bytes, made with fontTools."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)), pen.lineTo((100, 700)), pen.lineTo((600, 700)), pen.closePath()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("A"): "a"})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "a": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (700, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Tiny", "styleName": "Regular"})
    builder.setupOS2(), builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def test_many_faces_cost_check_little_and_one_font_named_often_still_loads(tmp_path):
    # 1,600 faces, each its own tiny font: each face WeasyPrint adds costs more than the
    # last (fontconfig matches every earlier face against it), ~22 CPU-s for check; now
    # each list of sources is loaded once, at most MAX_JUDGED of them. And 70 faces
    # naming the shipped Biolinum asked the fetcher for it past its 64, and the later
    # ones were "no font WeasyPrint can read" (HF0703); the font loads: nothing is said
    # of it. The rules past the limit went unjudged unsaid (one broken among them was
    # said only by each PDF, at no line): one warning, at the first of them, says so.
    from pipeline.exporters.pdf.font_faces import MAX_JUDGED
    from support import check_within
    tiny = _tiny_font()
    faces = "".join(f'@font-face {{ font-family: "Same{i}"; src: url(../fonts/LinBiolinum_R.otf); }}\n'
                    for i in range(70))
    faces += "".join(f'@font-face {{ font-family: "Own{i}"; src: url(../fonts/t{i}.ttf); }}\n' for i in range(1600))
    files: dict[str, str | bytes] = {"themes/default/print/css/base.css": BASE.read_text(encoding="utf-8") + faces}
    files.update({f"themes/default/print/fonts/t{i}.ttf": tiny + i.to_bytes(2, "big") for i in range(1600)})
    root = write_project(tmp_path / "proj", files)
    proc = check_within(root, 12)
    said = [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "HF0703"]
    assert len(said) == 1 and f"more than {MAX_JUDGED} different fonts" in said[0]["message"], said[:3]
    rule = files["themes/default/print/css/base.css"].splitlines()[said[0]["line"] - 1]
    first = int(rule.split('"Own', 1)[1].split('"')[0])   # the first rule unjudged: Own<first>
    assert f"('Own{first}') nor the {1599 - first} after it" in said[0]["message"], said[0]


def test_a_face_in_a_style_no_book_reads_is_not_judged(tmp_path):
    # a template's <style media="screen"> (or of a type not text/css, or media="Print":
    # WeasyPrint compares exactly) is never read for a book: its face was said to be
    # one that cannot be loaded, by check and the build; the one a book reads still is
    template = (REPO / "themes/default/print/templates/base.html.j2").read_text(encoding="utf-8")
    styles = "".join(f'<style {attribute}>@font-face {{ font-family: "{family}"; src: local("No Such Foundry Font"); }}'
                     '</style>\n' for attribute, family in (('media="screen"', "Screen"), ("type='text/x-scss'", "Scss"),
                                                            ('media="Print"', "Print"), ('media="screen, print"', "Read")))
    root = write_project(tmp_path / "proj", {
        "themes/default/print/templates/base.html.j2": template.replace("<head>\n", "<head>\n" + styles, 1)})
    said = [d["message"].split("'")[1] for d in foundry("check", "--format", "json", "--project", str(root)).json()[
        "diagnostics"] if d["code"] == "HF0703"]
    assert said == ["Read"], said


def test_a_font_named_as_a_stylesheet_replaced_under_serve_is_judged_anew(tmp_path):
    # the memo of a check's answer left the bytes of every .css/.j2/.html out of its key
    # (a template edited under `foundry serve` judges no face again): a face whose font
    # is named kit.css, replaced there by a real font, was still "no font" in that process
    import dataclasses

    from pipeline.diagnostics import Diagnostics
    from pipeline.exporters.books.theme import load_print_theme
    from pipeline.exporters.pdf.font_faces import unloaded_faces
    from pipeline.load.project import load_project
    root = write_project(tmp_path / "proj", {
        "themes/default/print/css/base.css": BASE.read_text(encoding="utf-8")
        + '@font-face { font-family: "Kit"; src: url(../fonts/kit.css); }\n',
        "themes/default/print/fonts/kit.css": b"not a font"})
    theme = load_print_theme(load_project(root, Diagnostics()))
    assert [d.message.split("'")[1] for d in unloaded_faces(theme)] == ["Kit"]
    assert unloaded_faces(dataclasses.replace(theme, files={**theme.files, "fonts/kit.css": _tiny_font()})) == ()


def test_a_file_address_no_file_has_is_refused_and_said():
    # a template's expressions may put together `file:///…%00…`: the machine-font lookup
    # raised ValueError (embedded null byte) out of the fetcher, and the address was
    # not among those the book reports as refused (HF0704)
    from pipeline.exporters.pdf.fetcher import ConfinedFetcher
    fetcher = ConfinedFetcher({})
    with pytest.raises(PermissionError):
        fetcher.fetch("file:///usr/share/fonts/x%00.ttf")
    assert fetcher.refused == ["file:///usr/share/fonts/x%00.ttf"]


def test_a_project_file_in_place_of_a_shipped_font_is_said_at_that_file(tmp_path):
    """The project's print folder holds fonts/LinBiolinum_R.otf, the shipped theme's
    font of that name, as a Git LFS pointer (or any file that is no font): the shipped
    stylesheet's rule names it. check said nothing, and every PDF said "WeasyPrint:
    Font-face 'Biolinum' cannot be loaded" at `<default theme>/print/css/base.css`,
    with the hint "correct the CSS there" (it is not the writer's to correct). One
    warning now, from check and build alike, at the project's file, saying what it is
    and that deleting it prints with the shipped font."""
    root = write_project(tmp_path / "proj", {"themes/default/print/fonts/LinBiolinum_R.otf": LFS_POINTER})
    (root / "content/stories/first-story.md").unlink()
    checked = foundry("check", "--format", "json", "--project", str(root))
    built = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root),
                    env={"SOURCE_DATE_EPOCH": "1700000000", **ONE_PROCESS})
    assert built.code == 0, built.stdout[-2000:] + built.stderr[-2000:]
    for run in (checked, built):
        said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
        assert [(d["file"], d["line"], d["message"].split("'")[1]) for d in said] == [
            ("themes/default/print/fonts/LinBiolinum_R.otf", 0, "Biolinum")], said
        assert "Git LFS pointer" in said[0]["message"], said
        assert said[0]["hint"].startswith("themes/default/print/fonts/LinBiolinum_R.otf takes the place of the "
                                          "shipped theme's font") and "delete it" in said[0]["hint"], said
