"""The fixed work every `foundry check` and `build` of a process repeats, done once
(docs/performance.md warm47): the theme files read whole by every plan are kept by the
stat of the file read (load/hash_memo.py KEPT), the compiled catalogs' Translations by
their bytes (theme_words.py _READY), and the machine's fonts are listed once a check
or build (runs.py one_run). Each must still give the new answer when the file,
or the machine, changed between two builds of one process (`foundry serve`, a run
forked from a warm process): here an edit of the same length, which only the file's
timestamps tell apart, and a font installed between two checks."""

from __future__ import annotations

import os
import time
from pathlib import Path

from lxml import html as lxml_html

from support import REPO, only_fonts, require_tool, with_background

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build, check
from pipeline.exporters.books.theme import load_print_theme
from pipeline.load.hash_memo import KEPT
from pipeline.load.project import load_project

CATALOG = "themes/default/locale/de/LC_MESSAGES/messages.po"
FONT = "themes/default/print/fonts/LinBiolinum_R.otf"


def _keep_at_once(monkeypatch) -> None:
    """KEPT keeps a file read at once, not only once it has settled (2 s): the test's
    files are written just before; a change after a read is a clock tick later."""
    monkeypatch.setattr(KEPT, "racy", 0.0)


def _edited(path: Path, old: bytes, new: bytes) -> None:
    """`path` with `old` replaced by `new` (as many bytes) in place, a clock tick later
    than its last read: the same size and inode, only its timestamps tell."""
    assert len(old) == len(new)
    time.sleep(0.05)
    data = path.read_bytes()
    assert old in data
    with open(path, "r+b") as f:
        f.write(data.replace(old, new, 1))


def _search_words(root: Path) -> set[str]:
    page = lxml_html.parse(str(root / "build/site/search.html"))
    return {b.text_content().strip() for b in page.iter("button")}


def test_a_theme_catalog_edited_between_two_builds_of_one_process_is_read_again(project_factory, monkeypatch):
    own = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: de\\n"\n\n' \
          'msgid "Search"\nmsgstr "Finden"\n'
    root = project_factory({CATALOG: own})
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'),
                      encoding="utf-8")
    _keep_at_once(monkeypatch)
    assert build(root, Diagnostics(), ["html"], workers=1).ok
    assert "Finden" in _search_words(root)
    kept = (root / CATALOG).read_bytes()
    assert any(data == kept for data in KEPT.rows.values())   # the memo answers the next read
    _edited(root / CATALOG, b'"Finden"', b'"Suchen"')
    assert build(root, Diagnostics(), ["html"], workers=1).ok
    words = _search_words(root)
    assert "Suchen" in words and "Finden" not in words, words


def test_a_print_theme_font_edited_between_two_loads_is_read_again(project_factory, monkeypatch):
    data = (REPO / "themes/default/print/fonts/LinBiolinum_R.otf").read_bytes()
    root = project_factory({FONT: data})
    _keep_at_once(monkeypatch)
    first = load_print_theme(load_project(root, Diagnostics()))
    again = load_print_theme(load_project(root, Diagnostics()))
    assert again.files["fonts/LinBiolinum_R.otf"] is first.files["fonts/LinBiolinum_R.otf"]   # kept, not read
    assert again.files["fonts/LinLibertine_R.otf"] is first.files["fonts/LinLibertine_R.otf"]  # the shipped too
    _edited(root / FONT, data[-4:], bytes(b ^ 0xFF for b in data[-4:]))
    edited = load_print_theme(load_project(root, Diagnostics()))
    assert edited.files["fonts/LinBiolinum_R.otf"] == (root / FONT).read_bytes() != data
    assert edited.fingerprint() != first.fingerprint()   # the books' recipe: they are made again


def test_a_projects_catalog_merged_into_the_shipped_one_leaves_it_as_shipped(project_factory):
    """The shipped catalog's Translations is made once and shared (theme_words.py _READY;
    made again for each of the three plans of a check, ~0.5 ms each):
    a project's catalog merged over it is merged into a copy, so another project (or
    the next build, the catalog removed) sees the shipped words."""
    own = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Search"\nmsgstr "Finden"\n'
    mine = load_print_theme(load_project(project_factory({CATALOG: own}, name="own"), Diagnostics()))
    shipped = load_print_theme(load_project(project_factory(name="plain"), Diagnostics()))
    assert mine.words.for_language("de").gettext("Search") == "Finden"
    assert shipped.words.for_language("de").gettext("Search") == "Suche"
    again = load_print_theme(load_project(project_factory(name="again"), Diagnostics()))
    assert again.words.catalogs["de"] is shipped.words.catalogs["de"]   # made once, not parsed again


def test_a_font_installed_between_two_checks_of_one_process_is_seen(project_factory, tmp_path, monkeypatch):
    """The machine's fonts are listed once a check (runs.py one_run), not once a
    process (it was listed four times a check, ~5 ms each): a Georgian line no font of
    a machine with only the theme's Latin fonts draws is HF0741; the font that draws it
    installed, the next check of the same process says nothing of it."""
    georgian = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    require_tool(georgian.is_file(), "DejaVu Sans (Debian package fonts-dejavu-core)")
    root = project_factory()
    line = with_background(root, "ანბანი\n")
    latin = (REPO / "themes/default/print/fonts/LinBiolinum_R.otf").read_bytes()
    for name, value in only_fonts(tmp_path, monkeypatch, {"latin.otf": latin}).items():
        monkeypatch.setenv(name, value)

    from pipeline import fontconfig
    listings = []
    font_list = fontconfig.font_list
    monkeypatch.setattr(fontconfig, "font_list", lambda lib, config, *objects: listings.append(objects) or
                        font_list(lib, config, *objects))

    def said() -> list[tuple[str, int]]:
        diags = Diagnostics()
        check(root, diags)
        return [(d.span.path, d.span.line) for d in diags.items if d.code == "HF0741"]

    assert said() == [("content/heroes/first-hero.yaml", line)]
    assert listings.count((b"file", b"index")) == 1   # the PDF's, the EPUB's plans and the coverage: one look
    (tmp_path / "fonts" / georgian.name).write_bytes(georgian.read_bytes())
    assert said() == []


def test_a_new_projects_fingerprint_reads_the_shipped_theme_once_a_process(project_factory, monkeypatch):
    """The no-op fingerprint (engine/sources.py) hashes the shipped theme's files too; a
    project whose memo has none of them (every new project, every copy the test suite
    makes) read and hashed its 3.4 MB again. Through KEPT, a second project's reads
    none of it, and its fingerprint is the one made reading everything."""
    from pipeline.engine import sources
    from pipeline.load.hash_memo import KeptBytes
    monkeypatch.setattr(sources, "KEPT", KeptBytes(64 * 1024 * 1024, racy=0.0))
    sources.source_fingerprint(project_factory(name="first"), "settings")
    second = project_factory(name="second")
    read = []
    os_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(len(data := os_read(fd, n))) or data)
    kept = sources.source_fingerprint(second, "settings")
    monkeypatch.setattr(os, "read", os_read)
    assert sum(read) < 1024 * 1024, sum(read)   # the project's few files, not the theme's fonts
    monkeypatch.setattr(sources, "KEPT", KeptBytes(0))   # keeps nothing: everything read
    assert sources.source_fingerprint(project_factory(name="third"), "settings") == kept


def test_a_check_reads_and_judges_the_print_theme_once(project_factory, monkeypatch):
    """The PDF's plan and the EPUB's took the same print theme: read, judged and its
    catalogs loaded twice a check (runs.py per_run: once a run). A second check of the
    process reads it again (a theme edited between two builds of `foundry serve`)."""
    from pipeline.exporters.books import theme
    root = project_factory()
    looked = []
    folders = theme.print_folders
    monkeypatch.setattr(theme, "print_folders", lambda project: looked.append(project) or folders(project))
    for checks in (1, 2):
        diags = Diagnostics()
        assert check(root, diags) is not None and not diags.has_errors(), diags.items
        assert len(looked) == checks


def test_a_check_lists_the_project_themes_folders_once(project_factory, monkeypatch):
    """The site's plan and check's looks at the project's own theme (its static names,
    the files' hashes, what is oversized or linked out, its own templates' checks)
    each walked its folders: static/ ten times a check, templates/ eight. One listing
    a plan's Theme (html/theme.py `listed`)."""
    from collections import Counter

    from pipeline import confine
    root = project_factory({"themes/default/static/extra.css": "body { color: #111; }\n",
                            "themes/default/templates/note.txt": "a part a template may include\n"})
    walked = Counter()
    walk = confine.Boundary.walk

    def counted(self, folder, *args, **kwargs):
        walked[Path(folder).relative_to(root).as_posix() if Path(folder).is_relative_to(root) else "-"] += 1
        return walk(self, folder, *args, **kwargs)

    monkeypatch.setattr(confine.Boundary, "walk", counted)
    diags = Diagnostics()
    assert check(root, diags) is not None and not diags.has_errors(), diags.items
    assert walked["themes/default/static"] == 1 and walked["themes/default/templates"] == 1, walked


def test_a_check_compiles_the_shipped_catalogs_of_the_languages_it_shows_only(project_factory, monkeypatch):
    """Babel read the shipped theme's German and Arabic catalogs in every check of an
    English project (~25 CPU-ms cold); each is compiled when its language is asked
    for (theme_words.py _Catalogs): none in English, German alone in German."""
    from babel.messages import pofile

    from pipeline.exporters import theme_words
    for memo in ("_COMPILED", "_SLIPS", "_READY"):   # compiled once a process: as a cold process
        monkeypatch.setattr(theme_words, memo, {})
    compiled = []
    read_po = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda *args, **kwargs: compiled.append(kwargs["locale"]) or
                        read_po(*args, **kwargs))
    root = project_factory()
    diags = Diagnostics()
    assert check(root, diags) is not None and not diags.has_errors(), diags.items
    assert compiled == []
    config = root / "foundry.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en"', 'language = "de"'),
                      encoding="utf-8")
    diags = Diagnostics()
    assert check(root, diags) is not None and not diags.has_errors(), diags.items
    assert compiled == ["de"]
