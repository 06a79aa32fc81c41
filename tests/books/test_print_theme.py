"""Where the books' templates and styles come from: the default theme shipped with
foundry, overridden file by file by the project's themes/<name>/print/."""

from __future__ import annotations

from book_support import need_poppler, pdfinfo, pdftext
from support import foundry

A5 = "419.528 x 595.276 pts"
A4 = "595.276 x 841.89 pts"


def test_a_new_project_gets_books_and_overrides_one_stylesheet(project_factory):
    need_poppler()
    root = project_factory({"themes/default/print/css/sheet.css": "@page { size: A5; margin: 10mm; }\n"})
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root), env={"FOUNDRY_JOBS": "1"})
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    built = root / "build"
    sheets = sorted(built.glob("pdf/heroes/*.pdf"))
    assert sheets and all(pdfinfo(p)["Page size"].startswith(A5) for p in sheets)    # the project's sheet.css
    assert pdfinfo(built / "pdf/compendium.pdf")["Page size"].startswith(A4)         # the default compendium.css
    assert "Contents" in pdftext(built / "pdf/compendium.pdf", 2, 2)
    assert sorted(p.name for p in built.glob("epub/**/*.epub"))


def test_an_unknown_theme_is_a_diagnostic(project_factory):
    root = project_factory()
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "noir"'))
    run = foundry("build", "--only", "pdf,epub", "--format", "json", "--project", str(root))
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
