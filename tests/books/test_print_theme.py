"""Where the books' templates and styles come from: the default theme shipped with
foundry, overridden file by file by the project's themes/<name>/print/."""

from __future__ import annotations

import io
import zipfile

from book_support import ONE_PROCESS, need_poppler, pdfinfo, pdftext
from support import REPO, foundry, write_project

A5 = "419.528 x 595.276 pts"
A4 = "595.276 x 841.89 pts"


def test_a_new_project_gets_books_and_overrides_one_stylesheet(project_factory):
    """And a project that replaces base.css alone (defining none of its colours) hears
    nothing of the shipped stylesheets that still use them: WeasyPrint dropped each of
    their 18 `color: var(--muted)`s with a warning at the shipped file's line, which
    the writer never wrote (they fall back to base.css's values now).
    And one whose own base.html.j2 writes `<html>` without `lang` hears it once, at that
    tag (WeasyPrint says it after laying a book out, reading no stylesheet: it was said
    at the shipped theme's css/ folder, once a book), from check as from the build; and
    its base.css, which declares none of the faces the shipped sheets set their heads
    and labels in (set in the machine's default font, unsaid), hears that once, there."""
    need_poppler()
    template = (REPO / "themes/default/print/templates/base.html.j2").read_text(encoding="utf-8")
    root = project_factory({"themes/default/print/css/sheet.css": "@page { size: A5; margin: 10mm; }\n",
                            "themes/default/print/css/base.css": "html { font-family: serif; }\n",
                            "themes/default/print/templates/base.html.j2":
                                template.replace('<html lang="{{ info.language }}" ', "<html ")})
    line = template[:template.index("<html")].count("\n") + 1
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root),
                        env={"FOUNDRY_JOBS": "1"})):
        assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
        said = {d["file"]: d for d in run.json()["diagnostics"]}
        assert sorted((d["file"], d["line"], d["column"]) for d in said.values()) == [
            ("themes/default/print/css/base.css", 1, 1),
            ("themes/default/print/templates/base.html.j2", line, 1)], run.json()["diagnostics"]
        assert len(run.json()["diagnostics"]) == 2, run.json()["diagnostics"]
        assert '"lang"' in said["themes/default/print/templates/base.html.j2"]["message"]
        # the shipped faces its base.css no longer declares: the heads fell to the machine's font
        faces = said["themes/default/print/css/base.css"]["message"]
        assert "'Biolinum', 'Libertine', 'Libertine Display'" in faces and "compendium.css" in faces, faces
    built = root / "build"
    sheets = sorted(built.glob("pdf/heroes/*.pdf"))
    assert sheets and all(pdfinfo(p)["Page size"].startswith(A5) for p in sheets)    # the project's sheet.css
    assert pdfinfo(built / "pdf/compendium.pdf")["Page size"].startswith(A4)         # the default compendium.css
    assert "Contents" in pdftext(built / "pdf/compendium.pdf", 1, 2)   # the cover breaks after it in base.css
    assert sorted(p.name for p in built.glob("epub/**/*.epub"))


def test_a_face_declared_in_another_case_is_declared(project_factory):
    """A family's name matches whatever its case (CSS Fonts; WeasyPrint sets the shipped
    sheets' "Biolinum" in a face declared "biolinum"): a project base.css declaring the
    shipped faces in lower case was warned they were declared nowhere. One it leaves
    out is still said."""
    faces = "".join(f'@font-face {{ font-family: "{name}"; src: url(../fonts/LinBiolinum_R.otf); }}\n'
                    for name in ("biolinum", "LIBERTINE", "libertine mono"))
    root = project_factory({"themes/default/print/css/base.css": faces + "html { font-family: libertine; }\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d["message"] for d in run.json()["diagnostics"] if d["file"] == "themes/default/print/css/base.css"]
    assert len(said) == 1 and "no @font-face for 'Libertine Display', which" in said[0], said


def test_an_unknown_theme_is_a_diagnostic(project_factory):
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "noir"'))
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root), env=ONE_PROCESS)
    assert run.code == 1 and "Traceback" not in run.stderr
    assert ("HF0703", "foundry.toml") in {(d["code"], d["file"]) for d in run.json()["diagnostics"]}


def test_a_template_error_points_at_the_template_and_line(project_factory):
    broken = '{% extends "base.html.j2" %}\n{% set stylesheet = "sheet" %}\n{% block body %}\n{{ hero.nickname }}\n{% endblock %}\n'
    root = project_factory({"themes/default/print/templates/hero-sheet.html.j2": broken})
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env={"FOUNDRY_JOBS": "1"})
    assert run.code == 1 and "Traceback" not in run.stderr
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    assert found, run.stdout[-2000:]
    assert {(d["file"], d["line"]) for d in found} == {("themes/default/print/templates/hero-sheet.html.j2", 4)}
    assert "nickname" in found[0]["message"]


SHEET_CSS = """@import "sheet-extra.css";
@page { size: A4; margin: 14mm 15mm 16mm; @bottom-center { content: none; } }
.imprint { colr: red; }
.sheet { width: calc(1px +); padding: mod(1px, 0px); }
:root { --gap: calc(1px + 1s); }
.sheet-notes { margin-top: var(--gap); line-height: log(0); }
.sheet-notes::nonsense, .sheet p { color: red; }
"""


_SHEET_TEMPLATE = (REPO / "themes/default/print/templates/hero-sheet.html.j2").read_text(encoding="utf-8")
assert "{{ hero_sheet(hero, 1) }}\n" in _SHEET_TEMPLATE
# a <style> and a style="…" of the project's own template: their slips are said at the template's lines
STYLED_SHEET = _SHEET_TEMPLATE.replace("{{ hero_sheet(hero, 1) }}\n", "{{ hero_sheet(hero, 1) }}\n"
                                       "<style>.x { colr: red; }\n  .y { width: calc(1px +); }</style>\n"
                                       '<p style="colr: blue">x</p>\n', 1)
STYLE_LINE = _SHEET_TEMPLATE[:_SHEET_TEMPLATE.index("{{ hero_sheet(hero, 1) }}")].count("\n") + 2
TEMPLATE = "themes/default/print/templates/hero-sheet.html.j2"


def test_a_slip_in_the_projects_stylesheet_is_said_at_its_line(project_factory):
    """WeasyPrint says what it ignores in a stylesheet with a line and column but no
    file: a slip in the project's own print stylesheet was said at the shipped theme's
    css/ folder, once a book. And some values made WeasyPrint raise where it means to
    refuse them (`calc(1px +)` an AssertionError, `mod(1px, 0px)` a ZeroDivisionError,
    `log(0)` a ValueError, a custom property whose math does not work out read by
    var() a KeyError): every book stopped with 'internal error'. Each is one HF0703 at
    its file, line and column (an @imported sheet's in that sheet; a selector WeasyPrint
    quotes without a place, where it is written; a template's <style> or style="…" at the
    template's line, not once a book at the book's template or the shipped theme's css/
    folder), the books made."""
    root = project_factory({"themes/default/print/css/sheet.css": SHEET_CSS,
                            "themes/default/print/css/sheet-extra.css": "/* the imprint */\n.imprint { font-size: 7pt 8pt; }\n",
                            TEMPLATE: STYLED_SHEET})
    run = foundry("build", "--only", "pdf", "--format", "json", "--project", str(root), env={"FOUNDRY_JOBS": "1"})
    assert run.code == 0 and "internal error" not in run.stderr, run.stderr[-2000:]
    found = [(d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    sheet, extra = "themes/default/print/css/sheet.css", "themes/default/print/css/sheet-extra.css"
    assert sorted(found) == [(extra, 2, 12), (sheet, 3, 12), (sheet, 4, 10), (sheet, 4, 30), (sheet, 5, 16),
                             (sheet, 6, 28), (sheet, 6, 40), (sheet, 7, 1),
                             (TEMPLATE, STYLE_LINE, 13), (TEMPLATE, STYLE_LINE + 1, 8), (TEMPLATE, STYLE_LINE + 2, 11)], found
    assert (root / "build/pdf/heroes/first-hero.pdf").is_file()


def test_the_package_holds_the_judgement_of_its_own_print_theme():
    """books/judged.py's SHIPPED is what this code judges the shipped print theme to
    hold (what no book may be served: nothing): one left behind by an edit of the theme
    or of the judging code is refused here."""
    from pipeline.exporters.books import judged
    assert judged.SHIPPED.read_text(encoding="utf-8") == judged.shipped_text(), (
        "the shipped print theme or its judging changed: run `python -m pipeline.exporters.books.judged`")


def test_check_says_what_a_pdf_build_ignores_in_the_projects_stylesheets(project_factory):
    """WeasyPrint says what it ignores in a stylesheet only while it makes a book, so
    a slip in the project's own print stylesheet passed `foundry check` clean and
    then stopped `foundry build --strict`. Check reads the project's stylesheets as
    WeasyPrint does and says each slip where the build says it; the EPUB's stylesheet,
    which WeasyPrint never reads, is not judged by it. Nothing is laid out: the
    build --strict stops at the same warnings before making a book."""
    root = project_factory({"themes/default/print/css/sheet.css": SHEET_CSS,
                            "themes/default/print/css/sheet-extra.css": "/* the imprint */\n.imprint { font-size: 7pt 8pt; }\n",
                            "themes/default/print/css/epub.css": "body { colr: red; }\n", TEMPLATE: STYLED_SHEET})
    sheet, extra = "themes/default/print/css/sheet.css", "themes/default/print/css/sheet-extra.css"
    # what a value only a laid-out box works out says (a var() of a broken custom property) is the book's alone
    said = [(extra, 2, 12), (sheet, 3, 12), (sheet, 4, 10), (sheet, 4, 30), (sheet, 6, 40), (sheet, 7, 1),
            (TEMPLATE, STYLE_LINE, 13), (TEMPLATE, STYLE_LINE + 1, 8), (TEMPLATE, STYLE_LINE + 2, 11)]

    def places(run):
        return sorted((d["file"], d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF0703")

    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 0 and places(check) == said, check.stdout[-2000:] + check.stderr[-2000:]
    assert foundry("check", "--strict", "--project", str(root)).code == 1
    build = foundry("build", "--only", "pdf", "--strict", "--format", "json", "--project", str(root),
                    env=ONE_PROCESS)
    assert build.code == 1 and places(build) == said, build.stdout[-2000:] + build.stderr[-2000:]
    assert not (root / "build").exists()
    # an output that is not a PDF is not stopped by them
    data = foundry("build", "--only", "json", "--strict", "--project", str(root))
    assert data.code == 0, data.stdout[-2000:]


def _broken_pictures() -> dict[str, bytes]:
    """A PNG cut off after its header (Pillow opens it, its pixels stop short), a TIFF
    Pillow cannot read (its header, then garbage), a JPEG with garbage after its header
    and an SVG that does not parse: the print theme's pictures."""
    import io

    from PIL import Image

    def saved(fmt: str) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (64, 64), (200, 40, 10)).save(out, fmt)
        return out.getvalue()
    png, jpeg = saved("PNG"), saved("JPEG")
    return {"paper.png": png[:len(png) // 2], "seal.tif": saved("TIFF")[:8] + b"\xff" * 40,
            "mark.jpg": jpeg[:180] + b"garbage" * 40, "rule.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><rect"}


def test_check_says_what_a_book_says_of_the_themes_broken_pictures(project_factory):
    """A print theme's picture WeasyPrint cannot load (a TIFF Pillow cannot read, an
    SVG that does not parse) was a warning of each PDF build only, in WeasyPrint's
    words naming the build's own address, with `foundry check` clean; one cut off after
    its header (a PNG, a JPEG with garbage after it) was printed with its missing rows
    blank, said by neither. Each is one HF0703 warning at the stylesheet's `url()` or
    the template's `<img src>` naming it, said alike by check and by `build --only
    pdf,html,epub`; a picture the theme holds and names nowhere is said by neither, and
    so is a broken picture of the site's static/ (copied as it is, judged by neither).
    `build --only epub` (whose package carries no theme picture) says none of them."""
    pictures = _broken_pictures()
    sheet = (REPO / "themes/default/print/css/sheet.css").read_text(encoding="utf-8")
    sheet += "\n.sheet-notes {\n  background: url(../paper.png);\n}\n.imprint { list-style-image: url('../rule.svg'); }\n"
    template = _SHEET_TEMPLATE.replace("{{ hero_sheet(hero, 1) }}\n",
                                       '{{ hero_sheet(hero, 1) }}\n<img src="theme/seal.tif" alt="seal">\n'
                                       '<p><img src="theme/mark.jpg" alt="mark"></p>\n', 1)
    root = project_factory({"themes/default/print/css/sheet.css": sheet, TEMPLATE: template,
                            **{f"themes/default/print/{name}": data for name, data in pictures.items()},
                            "themes/default/print/unused.png": pictures["paper.png"],
                            "themes/default/static/bg.png": pictures["paper.png"]})
    css = "themes/default/print/css/sheet.css"
    css_line = sheet.count("\n", 0, sheet.index("url(../paper.png)")) + 1
    said = sorted([(css, css_line, 19, "paper.png", "is cut off"), (css, css_line + 2, 35, "rule.svg", "cannot be read"),
                   (TEMPLATE, STYLE_LINE, 11, "seal.tif", "cannot be read"),
                   (TEMPLATE, STYLE_LINE + 1, 14, "mark.jpg", "is cut off")])

    def places(run):
        found = []
        for d in run.json()["diagnostics"]:
            if d["code"] == "HF0703":
                name = next((n for n in pictures if f"print/{n} (" in d["message"]), d["message"])
                found.append((d["file"], d["line"], d["column"], name,
                              "is cut off" if "is cut off" in d["message"] else "cannot be read"))
            assert d["severity"] == "warning" and d["code"] == "HF0703", d
        return sorted(found)

    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 0 and places(check) == said, check.stdout[-3000:] + check.stderr[-2000:]
    build = foundry("build", "--only", "pdf,html,epub", "--format", "json", "--project", str(root),
                    env={"FOUNDRY_JOBS": "1"})
    assert build.code == 0 and places(build) == said, build.stdout[-3000:] + build.stderr[-2000:]
    assert [d for d in check.json()["diagnostics"]] == [d for d in build.json()["diagnostics"]]
    assert (root / "build/pdf/heroes/first-hero.pdf").is_file()
    epub = foundry("build", "--only", "epub", "--format", "json", "--project", str(root))
    assert epub.code == 0 and not epub.json()["diagnostics"], epub.stdout[-2000:]


def test_the_shipped_stylesheets_need_no_colour_of_base_css():
    """Every var() the shipped compendium.css, gamebook.css and sheet.css read of
    base.css's colours falls back to the value base.css gives it, so a project theme
    may replace base.css alone (docs/themes.md: a theme overrides single files)."""
    import re
    css = REPO / "themes/default/print/css"
    root = re.search(r":root \{(.*?)\}", (css / "base.css").read_text(encoding="utf-8"), re.S)[1]
    tokens = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root))
    for name in ("compendium.css", "gamebook.css", "sheet.css", "epub.css"):
        for var, fallback in re.findall(r"var\((--[\w-]+)\s*(?:,\s*([^)]*))?\)", (css / name).read_text(encoding="utf-8")):
            if var in tokens:
                assert fallback.strip() == tokens[var], (name, var, fallback)


def test_a_crlf_checkout_of_the_epub_stylesheet_makes_the_same_book(tmp_path):
    """A Windows writer's checkout (core.autocrlf) holds the project's css/epub.css with
    CR LF where git, `build --ref` and CI's checkout hold LF: the EPUB packed the bytes as
    they were, so the writer's book and CI's differed (EPUB/style/book.css). Its line ends
    are packed as git stores them: the same book from either."""
    css = (REPO / "themes/default/print/css/epub.css").read_text(encoding="utf-8") + "h1 { color: #123456; }\n"
    books = []
    for name, ends in (("lf", "\n"), ("crlf", "\r\n")):
        root = write_project(tmp_path / name, {"themes/default/print/css/epub.css": css.replace("\n", ends).encode()})
        run = foundry("build", "--only", "epub", "--project", str(root), env={**ONE_PROCESS, "SOURCE_DATE_EPOCH": "1"})
        assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
        books.append((root / "build/epub/compendium.epub").read_bytes())
    with zipfile.ZipFile(io.BytesIO(books[1])) as book:
        assert book.read("EPUB/style/book.css").endswith(b"h1 { color: #123456; }\n")
    assert books[0] == books[1]
