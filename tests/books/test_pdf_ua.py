"""Every PDF is PDF/UA-1 as far as its objects show: what veraPDF's PDF/UA rules
(the Matterhorn Protocol) check that can be read with pikepdf — XMP identification,
language, title shown, a structure tree whose headings start at H1 and never skip a
level, table header cells with a scope, figures with alternative text, annotations in
structure order, and every font embedded."""

from __future__ import annotations

import pikepdf
import pytest

HEADINGS = {f"/H{n}": n for n in range(1, 7)}


def _pdfs(books) -> list:
    return sorted(books.build.glob("pdf/**/*.pdf"))


def _structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, in document (depth-first) order."""
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            found.append(node)
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_there_are_sheets_books_and_gamebooks(books):
    names = {p.relative_to(books.build).as_posix() for p in _pdfs(books)}
    assert "pdf/compendium.pdf" in names and "pdf/heroes/aria.pdf" in names
    assert any(n.startswith("pdf/stories/") for n in names)


@pytest.mark.parametrize("kind", ["heroes/aria", "compendium", "stories/the-sunken-keep"])
def test_identified_as_pdf_ua_with_language_and_title(books, kind):
    with pikepdf.open(books.build / f"pdf/{kind}.pdf") as pdf:
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
            assert xmp.get("dc:title")
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert pdf.Root.MarkInfo.Marked is True


def test_headings_start_at_h1_and_never_skip_a_level(books):
    for path in _pdfs(books):
        with pikepdf.open(path) as pdf:
            levels = [HEADINGS[str(e.S)] for e in _structure(pdf) if str(e.S) in HEADINGS]
        assert levels and levels[0] == 1, (path.name, levels[:5])
        deepest = 0
        for level in levels:
            assert level <= deepest + 1, (path.name, levels)
            deepest = max(deepest, level) if level > deepest else level


def test_table_headers_are_scoped_and_figures_have_alt_text(books):
    scoped = figures = 0
    for path in _pdfs(books):
        with pikepdf.open(path) as pdf:
            for element in _structure(pdf):
                if element.S == "/TH":
                    assert str(element.A.Scope) in ("/Row", "/Column"), path.name
                    scoped += 1
                elif element.S == "/Figure":
                    assert str(element.get("/Alt", "")).strip(), path.name
                    figures += 1
    assert scoped > 50 and figures > 5


def test_annotations_follow_the_structure_and_fonts_are_embedded(books):
    for path in _pdfs(books):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                if page.obj.get("/Annots"):
                    assert page.obj.Tabs == "/S", path.name
                for font in page.resources.get("/Font", {}).values():
                    descendants = font.get("/DescendantFonts")
                    descriptor = (descendants[0] if descendants else font).get("/FontDescriptor")
                    assert descriptor is not None and any(k in descriptor for k in
                                                          ("/FontFile", "/FontFile2", "/FontFile3")), path.name


def test_a_library_notice_is_one_info_that_never_fails_strict():
    """WeasyPrint's "Using fontTools instead of HarfBuzz-Subset" (a machine without
    libharfbuzz-subset0) is about the machine: one HF0740 per build, whatever the number
    of PDFs and fonts, and `--strict` still passes; a real theme problem stays HF0703."""
    from pipeline.diagnostics import Diagnostics, Severity, Span
    from pipeline.exporters.pdf.exporter import ENVIRONMENT, environment_notice

    diags = Diagnostics()
    for family in ("Libertine", "Biolinum", "Noto Sans CJK JP"):
        message = (f'Using fontTools instead of HarfBuzz-Subset for font "{family}". This will be unsupported '
                   "in future versions of WeasyPrint. Please install HarfBuzz-Subset >= 4.1.0 with your package "
                   "manager.")
        notice = environment_notice(message)
        assert notice is not None
        diags.add("HF0740", notice, Span(ENVIRONMENT))
    assert [d.code for d in diags.items] == ["HF0740"] and diags.items[0].severity is Severity.INFO
    assert "libharfbuzz-subset0" in diags.items[0].message
    assert not diags.has_errors(strict=True)
    assert environment_notice('Ignored `colr: blue` at 3:1, unknown property.') is None
