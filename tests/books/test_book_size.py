"""A book too long to lay out (HF0712): `check` says it as the build does, at a place
the writer controls (foundry.toml for the compendium, the story for a gamebook), and
`[print] compendium = false` leaves the compendium out so the other books are made.

The limit (exporters/books/theme.py MAX_DOCUMENT, 32 Mi characters) is lowered here,
in this process, so that a small world is "too large": check and build run in-process
(`workers=1`) so both see the lowered limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.diagnostics import Diagnostics, Span
from pipeline.engine.builder import build, check
from pipeline.exporters.books import theme as print_theme

from support import counted_calls

# ~2,000 characters a paragraph: three characters with a long background make a
# compendium of ~80,000 characters. Characters, because no other book prints them: the
# hero sheets and the gamebook stay short, quick to lay out (WeasyPrint takes minutes
# over a long background in a sheet's column).
PARAGRAPH = ("The marsh keeps its dead and its ledgers; the tide keeps the rest. " * 30).strip()


def _character(cid: str) -> str:
    return (f"name: Keeper {cid}\nbackground: |\n" + "".join(f"  {PARAGRAPH}\n\n" for _ in range(12)))


@pytest.fixture
def world(project_factory):
    root = project_factory({f"content/characters/c{i}.yaml": _character(str(i)) for i in range(3)})
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace(
        'outputs = ["json", "html", "pdf", "epub", "ink", "twee"]', 'outputs = ["json", "pdf"]'))
    return root


def _twelves(diags: Diagnostics) -> list:
    return [d for d in diags.items if d.code == "HF0712"]


def _config_line(root: Path, starts: str) -> int:
    return next(n for n, line in enumerate((root / "foundry.toml").read_text().split("\n"), 1)
                if line.startswith(starts))


def test_a_compendium_too_long_is_said_by_check_as_build_says_it(world, monkeypatch):
    monkeypatch.setattr(print_theme, "MAX_DOCUMENT", 60_000)
    found = Diagnostics()
    assert check(world, found) is not None
    said = _twelves(found)
    line = _config_line(world, "outputs")
    column = (world / "foundry.toml").read_text().split("\n")[line - 1].index('"pdf"') + 1
    assert [(d.span.path, d.span.line, d.span.column) for d in said] == [("foundry.toml", line, column)], said
    assert "the compendium's document is" in said[0].message
    assert "`compendium = false` under `[print]`" in said[0].hint
    assert "template" not in said[0].hint   # the shipped theme is not to blame

    built = Diagnostics()
    report = build(world, built, workers=1)
    assert not report.ok
    assert [(d.span, d.message, d.hint) for d in _twelves(built)] == [(d.span, d.message, d.hint) for d in said]
    assert not (world / "build").exists()


def test_written_compendium_setting_is_where_it_is_said(world, monkeypatch):
    monkeypatch.setattr(print_theme, "MAX_DOCUMENT", 60_000)
    (world / "foundry.toml").write_text((world / "foundry.toml").read_text() + "\n[print]\ncompendium = true\n")
    found = Diagnostics()
    check(world, found)
    assert [d.span for d in _twelves(found)] == [Span("foundry.toml", _config_line(world, "compendium"), 1)]


def test_compendium_false_leaves_it_out_and_makes_the_rest(world, monkeypatch):
    monkeypatch.setattr(print_theme, "MAX_DOCUMENT", 60_000)
    (world / "foundry.toml").write_text((world / "foundry.toml").read_text() + "\n[print]\ncompendium = false\n")
    found = Diagnostics()
    assert check(world, found) is not None and not found.has_errors(), [str(d) for d in found.items]
    built = Diagnostics()
    assert build(world, built, workers=1).ok, [str(d) for d in built.items]
    pdfs = sorted(p.relative_to(world / "build").as_posix() for p in (world / "build").rglob("*.pdf"))
    assert "pdf/compendium.pdf" not in pdfs
    assert {"pdf/heroes/first-hero.pdf", "pdf/stories/first-story.pdf"} <= set(pdfs)


def test_compendium_false_also_leaves_the_epub_out(project_factory):
    root = project_factory({"foundry.toml": '[project]\ntitle = "Minimal"\n\n[build]\noutputs = ["epub"]\n'
                                            '\n[print]\ncompendium = false\n'})
    from pipeline.engine.outputs import check_outputs
    world = check(root, Diagnostics())
    planned = check_outputs(world, Diagnostics())
    assert [item.path for item in planned["epub"].plan.items] == ["epub/stories/first-story.epub"]
    assert "pdf/compendium.pdf" not in [item.path for item in planned["pdf"].plan.items]


def test_a_gamebook_too_long_is_said_at_its_story(project_factory, monkeypatch):
    # one scene of ~40,000 characters: the gamebook's document, and its EPUB chapter
    story = (Path(__file__).parents[1] / "roots/minimal/content/stories/first-story.md").read_text()
    long = story.replace("Boot prints, fresh, leading true across the marsh.",
                         "\n\n".join([PARAGRAPH] * 20))
    root = project_factory({"content/stories/first-story.md": long})
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace(
        'outputs = ["json", "html", "pdf", "epub", "ink", "twee"]', 'outputs = ["pdf", "epub"]'))
    monkeypatch.setattr(print_theme, "MAX_DOCUMENT", 30_000)
    found = Diagnostics()
    check(root, found)
    said = sorted((d.span, d.message, d.hint) for d in _twelves(found))
    assert [span for span, *_ in said] == [Span("content/stories/first-story.md")] * 2, said
    assert {"Split the story into several stories: a gamebook is one document."} == {hint for *_, hint in said}
    assert any("a chapter of the gamebook's EPUB" in message for _, message, _ in said)
    built = Diagnostics()
    assert not build(root, built, workers=1).ok
    assert sorted((d.span, d.message, d.hint) for d in _twelves(built)) == said


def test_check_draws_no_book_of_a_world_well_under_the_limit(world, monkeypatch):
    """The bound (book_size.Bounds) keeps check from drawing the books' HTML."""
    from pipeline.exporters.pdf import exporter as pdf
    drawn = counted_calls(monkeypatch, pdf, "book_html")
    found = Diagnostics()
    check(world, found)
    assert not _twelves(found) and drawn == []


def test_the_bound_is_above_every_book_it_bounds(world, monkeypatch):
    """Bounds' sums against the HTML the shipped templates draw (the PDF compendium, a
    hero's sheet, the gamebook, the EPUB compendium's chapters)."""
    from types import SimpleNamespace

    from pipeline.exporters.books.book_size import Bounds
    from pipeline.exporters.books.theme import load_print_theme
    from pipeline.exporters.epub.exporter import _Rehearsal
    from pipeline.exporters.pdf import exporter as pdf
    diags = Diagnostics()
    shown = check(world, diags)
    theme, bounds = load_print_theme(shown.project), Bounds(shown)
    assert bounds.compendium() >= len(pdf.book_html(shown, theme, pdf.book_of(shown, ("compendium",), theme), diags))
    assert bounds.hero_sheet("first-hero", 0) >= len(pdf.book_html(shown, theme, pdf.book_of(
        shown, ("hero", "first-hero"), theme), diags))
    assert bounds.story("first-story") >= len(pdf.book_html(shown, theme, pdf.book_of(shown, ("story", "first-story"),
                                                                                      theme), diags))
    chapters = []
    original = print_theme.sandbox.render

    def measured(*args, **kwargs):
        chapters.append(len(original(*args, **kwargs)))
        return chapters[-1] * "x"

    monkeypatch.setattr(print_theme.sandbox, "render", measured)
    _Rehearsal(SimpleNamespace(world=shown, diags=diags), theme).compendium()
    assert chapters and bounds.epub_chapter(0) >= max(chapters)
