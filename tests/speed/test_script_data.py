"""The search page's index (8 MB of the page's 10 at 10,000 heroes) is left out of the
skeleton the page's link check parses (exporters/html/splice.py `Placeholders.cut`):
only where it stands as a script's whole text, and only when it holds no `<`. The page
written is the page drawn in place, and any other use of the index is checked whole."""

from __future__ import annotations

import shutil

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.engine.resident import Resident
from pipeline.exporters.html import default_theme_dir
from pipeline.exporters.html import exporter as exporter_module
from pipeline.exporters.html import splice
from pipeline.exporters.html.splice import Placeholders
from engine_steps import edit, save, same_as_clean
from support import REPO

SEARCH = (default_theme_dir() / "templates/search.html").read_text()
INDEX = '<script type="application/json" id="search-index">{{ index }}</script>'
HERO = "content/heroes/first-hero.yaml"


@pytest.fixture
def parsed(monkeypatch):
    """Each skeleton the split check parsed, by page (the text handed to collect_holes)."""
    seen: list[str] = []
    collect_holes = splice.collect_holes

    def counted(html, *args, **kwargs):
        seen.append(html)
        return collect_holes(html, *args, **kwargs)

    monkeypatch.setattr(splice, "collect_holes", counted)
    return seen


def run(root):
    diags = Diagnostics()
    report = build(root, diags, ["html"], workers=1)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]


def drawn_in_place(root, tmp_path, monkeypatch) -> bytes:
    """The search page of a copy of `root` built without placeholders (the whole page
    drawn and checked as it is)."""
    other = tmp_path / "in-place"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    with monkeypatch.context() as patched:
        patched.setattr(exporter_module, "splices_safely", lambda env, name: False)
        run(other)
    return (other / "build/site/search.html").read_bytes()


def test_the_index_is_not_parsed_and_the_page_is_the_page_drawn_in_place(project_factory, parsed, checked_whole,
                                                                         tmp_path, monkeypatch):
    root = project_factory({"content/heroes/wren.yaml": "name: Wren Hale\nstatus: draft\nxp: 0\n"
                                                        "background: Cuts reeds for the <thatchers>.\n"})
    run(root)
    page = (root / "build/site/search.html").read_text()
    index = page.split('id="search-index">', 1)[1].split("</script>", 1)[0]
    assert '"Wren Hale"' in index and "\\u003cthatchers" in index
    skeletons = [html for html in parsed if 'id="search-index"' in html]
    assert len(skeletons) == 1 and index not in skeletons[0] and '"Wren Hale"' not in skeletons[0]
    assert "site/search.html" not in checked_whole
    assert page.encode() == drawn_in_place(root, tmp_path, monkeypatch)


@pytest.mark.parametrize("printed", [
    '<pre id="search-index">{{ index }}</pre>',                                  # text, not a script's
    '<script type="application/json" id="search-index">[{{ index }}]</script>',   # not its whole text
    '<div data-index=\'{{ index }}\'></div>',                                     # an attribute
])
def test_an_index_printed_anywhere_else_is_checked_with_its_page(project_factory, parsed, checked_whole, printed,
                                                                 tmp_path, monkeypatch):
    root = project_factory()
    own = root / "themes/default/templates/search.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(SEARCH.replace(INDEX, printed))
    run(root)
    assert "site/search.html" in checked_whole
    page = (root / "build/site/search.html").read_bytes()
    assert b"hfcard" not in page and b'"first-hero"' in page
    assert page == drawn_in_place(root, tmp_path, monkeypatch)


def test_data_with_a_tag_or_printed_otherwise_is_left_in_the_skeleton():
    holder = Placeholders(data=["[1,2,3]", "a<b", "absent"])
    skeleton = "<script>[1,2,3]</script><script>a<b</script>"
    cut = holder.cut(skeleton)
    assert holder.taken == ["[1,2,3]"] and "a<b" in cut and "[1,2,3]" not in cut
    assert holder.assemble(cut) == skeleton


def test_a_serve_save_puts_the_edited_heros_entry_in_the_index(tmp_path):
    """The index taken out of the skeleton is put back as this save made it: a stale
    one would still name her as before."""
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    engine = Resident(world, ["json", "html"])
    save(engine)
    save(engine)
    edit(world, HERO, "name: Rook Amsel", "name: Rook Indexed")
    save(engine, [HERO])
    index = (world / "build/site/search.html").read_text().split('id="search-index">', 1)[1]
    assert '"Rook Indexed"' in index.split("</script>", 1)[0] and "Rook Amsel" not in index
    same_as_clean(world, tmp_path)
