"""A CLI build splices the site's list pages (home, the heroes index, credits, search:
its cards and its index's entries) from the files the last build wrote, by the span
log it kept (render/stored_spans.py, exporters/html/reask.py) — and what it splices
is the bytes a clean build makes.

How a splice is told from a whole render, as in test_stored_spans.py: once the logs
are kept, every other stored row is deleted from the cache, so a page rendered whole
draws every hero's card again (the build reports the fragments it made) and a spliced
one draws the edited hero's alone. A hero renamed past another moves in the sorted
lists: those pages are rendered whole. A log edited by hand is no log."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from engine_steps import HERO, HEROES, edit, forge_span_log, logged_world, rename_hero, run, same_as_clean
from pipeline.diagnostics import Diagnostics
from pipeline.engine import builder
from pipeline.engine.builder import build
from pipeline.exporters.html.views import site as site_views
from pipeline.render import pool, stored_spans

THEME = Path(__file__).resolve().parents[2] / "pipeline/exporters/html/default_theme/templates"

PAGES = ("site/index.html", "site/heroes/index.html", "site/credits.html", "site/search.html")
OTHERS = (":aria", ":zed")


def _logged_world(tmp_path, workers=1, files=None):
    return logged_world(tmp_path / "world", ["html"], PAGES, workers, files)


def _same_as_clean(world, tmp_path):
    same_as_clean(world, tmp_path, outputs=["html"])


def _others(made):
    """The other heroes' cards and rows a build made (a page rendered whole makes them)."""
    return [key for key in made if key.endswith(OTHERS)]


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "pool"])
def test_a_cli_build_splices_the_list_pages_at_the_edited_cards(tmp_path, monkeypatch, workers):
    """In the builder's process, and in forked workers (the logs go back with the results)."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = _logged_world(tmp_path, workers)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    made = run(world, ["html"], workers).fragments
    # her card on each list page and her search entry, drawn again; nobody else's
    assert all(any(key.startswith(f"drawn:{page}:") and key.endswith(":mara") for key in made) for page in PAGES)
    assert "search:hero:mara" in made
    assert not _others(made), made
    assert "Mara Stone guards" in (world / "build/site/search.html").read_text()
    _same_as_clean(world, tmp_path)
    # again from the log the splice left (its spans moved by the first splice's growth),
    # a name that keeps her place between Aria and Zed
    rename_hero(world, "mara", "Mara Stonewright of the Long Mill")
    made = run(world, ["html"], workers).fragments
    assert not _others(made), made
    _same_as_clean(world, tmp_path / "again")


def test_a_hero_renamed_past_another_is_put_in_her_new_place(tmp_path):
    """Zed renamed to sort first: every list page shows her first, as a clean build does."""
    world = _logged_world(tmp_path)
    rename_hero(world, "zed", "Abel Quill")
    made = run(world, ["html"]).fragments
    assert [key for key in made if key.endswith(":aria")]   # rendered whole
    home = (world / "build/site/index.html").read_text()
    assert home.index("Abel Quill") < home.index("Aria Vale")
    _same_as_clean(world, tmp_path)


def test_a_log_edited_by_hand_is_not_spliced_from(tmp_path):
    world = _logged_world(tmp_path)
    # a log whose spans were moved (its MAC no longer verifies): no log
    forge_span_log(world, "site/heroes/index.html")
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    made = run(world, ["html"]).fragments
    assert [key for key in made if key.startswith("drawn:site/heroes/index.html:") and key.endswith(":zed")]
    assert not [key for key in made if key.startswith("drawn:site/index.html:") and key.endswith(":zed")]
    _same_as_clean(world, tmp_path)


def test_a_card_whose_links_changed_is_checked_with_its_page(tmp_path):
    """A project's card macro that links somewhere only for some heroes: after an edit
    that gives Mara a link to a page the site does not have, the pages showing her card
    are checked with it (HF0701 at each), never spliced in unchecked."""
    macros = (THEME / "_macros.html").read_text(encoding="utf-8").replace(
        '{% if card.title %}<p class="card-subtitle">',
        '{% if card.title and card.title.endswith("Gone") %}<a href="{{ url("site/heroes/gone.html") }}">gone</a>{% endif %}'
        '{% if card.title %}<p class="card-subtitle">', 1)
    assert "gone.html" in macros
    world = _logged_world(tmp_path, files={"themes/default/templates/_macros.html": macros})
    edit(world, "content/heroes/mara.yaml", "title: Warden of the Mill", "title: Warden of the Gone")
    diags = Diagnostics()
    report = build(world, diags, ["html"])
    assert not report.ok
    broken = {str(d.span).split(":")[0] for d in diags.errors if d.code == "HF0701"}
    assert {"build/site/index.html", "build/site/heroes/index.html"} <= broken, [str(d) for d in diags.errors]


def test_the_relationships_page_splices_the_rows_of_a_hero_edited_in_what_it_does_not_show(tmp_path, monkeypatch):
    """The relationships page asks of everyone who has a relationship whether they are a
    hero or a character: the heroes' listing answers that (`heroes*`), not each one's
    file. Read as a lookup of each, an edit to any of them (her background, her xp) was
    a change of the page's own reads and rendered it whole, every row drawn again (at
    10,000 heroes after every such edit); now her row alone is made again and spliced in.
    The graph (which shows everyone's name) is drawn up to GRAPH_LIMIT people: here as
    in a large world, none is drawn."""
    monkeypatch.setattr(site_views, "GRAPH_LIMIT", 1)
    def related(hid: str, other: str) -> str:
        name, title = dict(HEROES)[hid]
        return HERO.format(name=name, title=title) + f"relationships:\n  - with: {other}\n    kind: rival\n"
    world = logged_world(tmp_path / "world", ["html"], (*PAGES, "site/relationships.html"), 1,
                         {"content/heroes/mara.yaml": related("mara", "aria"),
                          "content/heroes/zed.yaml": related("zed", "aria")})
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    made = run(world, ["html"]).fragments
    assert "drawn:site/relationships.html:relation_rows[]:relations:hero:mara" in made, made
    # zed's row neither read (deleted) nor drawn again, nor any card of aria's: spliced
    assert not _others(made), made
    page = (world / "build/site/relationships.html").read_text()
    assert "Mara Stone" in page and "Zed Quill" in page
    _same_as_clean(world, tmp_path)


def test_a_list_page_an_edit_leaves_as_it_was_is_the_last_file_not_made_again(tmp_path, monkeypatch):
    """Her xp moved within her level: each list page asks for her card again (the card
    reads her value, which changed), draws it to the very bytes of its span, and is
    then the file the last build wrote — its bytes and sha256 handed on as they are,
    neither copied and joined again nor hashed again (docs/performance.md edit41:
    nine such lists after one value edit at 10,000 heroes)."""
    world = _logged_world(tmp_path)
    before = {page: (world / "build" / page).read_bytes() for page in PAGES}
    spliced = {}
    real = stored_spans.splice

    def watched(memo, asker, exporter, path, fragment):
        found = spliced[path] = real(memo, asker, exporter, path, fragment)
        return found
    monkeypatch.setattr(stored_spans, "splice", watched)
    edit(world, "content/heroes/mara.yaml", "xp: 120", "xp: 121")
    made = run(world, ["html"]).fragments
    assert all(any(key.startswith(f"drawn:{page}:") and key.endswith(":mara") for key in made) for page in PAGES)
    for page in PAGES:
        found = spliced[page]
        assert found is not None and found.data == before[page], page
        assert found.sha256 == hashlib.sha256(before[page]).hexdigest(), page
        assert (world / "build" / page).read_bytes() == before[page]
    # a change a page shows (her name on her card) is joined in and hashed as before
    edit(world, "content/heroes/mara.yaml", "name: Mara Stone", "name: Mara Stoneward")
    run(world, ["html"])
    assert spliced["site/heroes/index.html"].sha256 == ""
    assert b"Mara Stoneward" in spliced["site/heroes/index.html"].data
    _same_as_clean(world, tmp_path)


def _received(monkeypatch) -> dict:
    """The results the builder receives from its pool's workers, by path (as received)."""
    got = {}
    real = pool._Worker.receive

    def receive(self, *args, **kwargs):
        results = real(self, *args, **kwargs)
        got.update((result.path, (bytes(result.data), getattr(result, "as_recorded", False))) for result in results)
        return results
    monkeypatch.setattr(pool._Worker, "receive", receive)
    return got


def test_a_worker_does_not_send_the_bytes_of_a_list_page_spliced_to_the_file_kept(tmp_path, monkeypatch):
    """A forked worker's list page spliced to the very file the last build recorded is
    sent without its bytes: the builder keeps that file (after one value edit at
    10,000 heroes ~38 MB of nine lists no longer went through the pipes). A page it
    shows a change on is sent whole, as before."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", 16)   # the sample's pages are small: each goes as a large one would
    world = _logged_world(tmp_path, workers=2)
    before = {page: (world / "build" / page).read_bytes() for page in PAGES}
    got = _received(monkeypatch)
    edit(world, "content/heroes/mara.yaml", "xp: 120", "xp: 121")
    assert run(world, ["html"], workers=2).counts["render_processes"] == 2
    for page in PAGES:
        assert got[page] == (b"", True), page
        assert (world / "build" / page).read_bytes() == before[page]
    got.clear()
    edit(world, "content/heroes/mara.yaml", "name: Mara Stone", "name: Mara Stoneward")
    run(world, ["html"], workers=2)
    # changed bytes: written into the staged tree by its worker (render/pool.py `_staged`), or sent
    assert got["site/heroes/index.html"][1] is False
    assert b"Mara Stoneward" in (world / "build/site/heroes/index.html").read_bytes()
    _same_as_clean(world, tmp_path)


def test_a_page_sent_without_its_bytes_whose_file_is_gone_is_rendered_again(tmp_path, monkeypatch):
    """The builder finds neither tree holding the file its worker spliced from (changed
    behind the build's back since): the page is rendered again after the pool, its
    bytes sent, and written as a clean build makes them."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", 16)
    world = _logged_world(tmp_path, workers=2)
    got = _received(monkeypatch)
    real, refused = builder._same_kept, []

    def same_kept(spared, intact, staging, previous, path, output):
        if path == "site/credits.html" and not refused:
            refused.append(path)
            return False
        return real(spared, intact, staging, previous, path, output)
    monkeypatch.setattr(builder, "_same_kept", same_kept)
    edit(world, "content/heroes/mara.yaml", "xp: 120", "xp: 121")
    report = run(world, ["html"], workers=2)
    assert refused and got["site/credits.html"] == (b"", True)
    assert report.written.count("site/credits.html") == 1
    _same_as_clean(world, tmp_path)


# a title whose card the page rewrites: a tall script's room (books/mark_room.py), an
# endless cluster's breaks (books/cluster_breaks.py: 16 umbrellas joined by ZWJ)
REWRITTEN = [("Warden ပြည်ထောင်စု", 'class="mark-room"'), ("Warden " + "\u2602\u200d" * 15 + "\u2602", "<wbr>")]


@pytest.mark.parametrize("title, mark", REWRITTEN, ids=["tall-script", "endless-cluster"])
def test_a_card_that_comes_to_show_a_tall_script_is_given_its_room_as_a_clean_build_does(tmp_path, title, mark):
    """Mara's title edited to a Myanmar one: her card's text needs the room a tall
    script's lines take (books/mark_room.py), written over the whole page. Her card was
    spliced into the last build's pages as drawn, no room given: the save's pages were
    not a clean build's. Each page showing her is drawn whole and marked. The same for
    an endless cluster's breaks."""
    world = _logged_world(tmp_path)
    edit(world, "content/heroes/mara.yaml", "title: Warden of the Mill", f"title: {title}")
    run(world, ["html"])
    assert mark in (world / "build/site/heroes/index.html").read_text()
    _same_as_clean(world, tmp_path)


@pytest.mark.parametrize("title, mark", REWRITTEN, ids=["tall-script", "endless-cluster"])
def test_a_serve_save_gives_a_card_that_comes_to_show_a_tall_script_its_room(tmp_path, title, mark):
    """The same in `foundry serve`, whose saves splice from the spans kept in memory
    (render/spans.py): Mara's card was put in as drawn."""
    from engine_steps import listed_heroes, save
    from pipeline.engine.resident import Resident
    from support import write_project

    world = write_project(tmp_path / "world", listed_heroes())
    engine = Resident(world, ["html"])
    save(engine)
    save(engine)
    edit(world, "content/heroes/mara.yaml", "title: Warden of the Mill", f"title: {title}")
    save(engine, ["content/heroes/mara.yaml"])
    assert mark in (world / "build/site/heroes/index.html").read_text()
    _same_as_clean(world, tmp_path)
