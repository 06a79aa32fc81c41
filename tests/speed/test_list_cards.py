"""The list pages draw each card once: `cards()` calls the theme's card macro per card
and page, keeps the drawn HTML as a fragment, and splices the rest (exporters/html/cards.py).

What is counted is the real macro drawing (CardDrawer._draw, in this process: one
worker), and what is compared is the site a clean build of the same files writes.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.exporters.html import cards as cards_module
from pipeline.exporters.html import default_theme_dir
from pipeline.exporters.html.player import script_json

MACROS = (default_theme_dir() / "templates/_macros.html").read_text()
INDEX = (default_theme_dir() / "templates/hero-index.html").read_text()
L10N = '\n[l10n]\nlanguages = ["de", "en-XA"]\nbuild_pseudo = true\noutputs = ["html"]\n'
LANGS = ("", "de/", "en-XA/")


@pytest.fixture
def drawn(monkeypatch):
    """The cards drawn by the macro since the last reset: (page, card key) pairs."""
    calls: list[tuple[str, str]] = []
    draw = cards_module.CardDrawer._draw

    def counted(self, order, source, eid, *rest):
        calls.append((self._page, f"{source.kind}:{eid}"))
        return draw(self, order, source, eid, *rest)

    monkeypatch.setattr(cards_module.CardDrawer, "_draw", counted)
    return calls


def run(root, diags=None):
    diags = diags if diags is not None else Diagnostics()
    report = build(root, diags, ["html"], workers=1)
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return report


def site(root) -> dict[str, bytes]:
    base = root / "build/site"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def clean_copy(root, tmp_path):
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(fresh)
    return fresh


def headings(root, page: str) -> list[str]:
    tree = lxml_html.fromstring((root / "build/site" / page).read_bytes())
    return [" ".join(h.text_content().split()) for h in tree.xpath("//main//article//h2")]


WREN = {"content/heroes/wren.yaml": "name: Wren Hale\ntitle: Reed Cutter\nstatus: draft\n"
                                    "xp: 0\nbackground: Cuts reeds for the <thatchers> of Lé.\n"
                                    "relationships:\n  - with: old-guide\n    kind: rival\n"
                                    "    note: Since the *flood*.\n"}


def _world(root):
    config = root / "foundry.toml"
    config.write_text(config.read_text() + L10N)
    return root


@pytest.fixture
def world(project_factory):
    """The minimal world with a second hero, in English, German and the pseudo-locale."""
    return _world(project_factory(WREN))


@pytest.fixture
def english_world(project_factory):
    """`world` in English only: for a test whose fault is a template's, said at its
    first render in any language (the other two only render the page again)."""
    return project_factory(WREN)


@dataclass
class FirstBuild:
    """What `world`'s first site build did, recorded while it ran (`first_build`)."""
    root: Path
    drawn: list[tuple[str, str]]   # (page, card key) of every card the macro drew
    runs: list[int]                # the cards of each run of placeholders (splice.Placeholders.add_run)
    checked_whole: list[str]       # the pages the link checker parsed whole


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """`world` after its first site build, made once per module, with what the tests of
    a first build look at recorded; only read (`built` copies it)."""
    from pipeline.exporters.html import links, splice
    from support import write_project
    root = _world(write_project(tmp_path_factory.mktemp("cards") / "world", WREN))
    drawn: list[tuple[str, str]] = []
    runs: list[int] = []
    pages: list[str] = []
    draw, add_run, check = cards_module.CardDrawer._draw, splice.Placeholders.add_run, links.LinkChecker.check

    def counted_draw(self, order, source, eid, *rest):
        drawn.append((self._page, f"{source.kind}:{eid}"))
        return draw(self, order, source, eid, *rest)

    def counted_run(self, cards, between, where=None):
        runs.append(len(cards))
        return add_run(self, cards, between, where)

    def counted_check(self, page, html, diags, encoded=None):
        pages.append(page)
        return check(self, page, html, diags, encoded)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(cards_module.CardDrawer, "_draw", counted_draw)
        monkeypatch.setattr(splice.Placeholders, "add_run", counted_run)
        monkeypatch.setattr(links.LinkChecker, "check", counted_check)
        run(root)
    return FirstBuild(root, drawn, runs, pages)


@pytest.fixture(scope="module")
def built_world(first_build):
    return first_build.root


@pytest.fixture
def built(built_world, tmp_path):
    """A copy of `built_world` of its own (build/ and caches included), for a test to edit."""
    root = tmp_path / "built"
    shutil.copytree(built_world, root, symlinks=True)
    return root


def test_one_hero_edit_draws_her_cards_once_per_list_page_and_language(first_build, built, drawn, tmp_path):
    world = built   # a copy of the first build's world
    # every card of every list page was drawn by the macro: heroes on the home page, the
    # heroes index and the search page, in three languages
    assert {(f"site/{lang}{page}", f"hero:{hid}") for lang in LANGS for hid in ("wren", "first-hero")
            for page in ("index.html", "heroes/index.html", "search.html")} <= set(first_build.drawn)
    assert drawn == []
    hero = world / "content/heroes/wren.yaml"
    hero.write_text(hero.read_text().replace("Reed Cutter", "Thatcher's Hand"))
    report = run(world)
    assert sorted(drawn) == sorted((f"site/{lang}{page}", "hero:wren") for lang in LANGS
                                   for page in ("index.html", "heroes/index.html", "search.html", "credits.html",
                                                "relationships.html"))
    # the fragments made again are her drawn cards, her credits row and her search entry (the index's JSON)
    assert all(":hero:wren" in key for key in report.fragments)
    assert site(world) == site(clean_copy(world, tmp_path))
    # the search index is spliced from its entries' fragments: the text of the whole list encoded
    for lang in LANGS:
        page = lxml_html.fromstring((world / f"build/site/{lang}search.html").read_bytes())
        index = page.get_element_by_id("search-index").text
        assert index == script_json(json.loads(index)) and "\\u003c" in index
        assert {e["id"] for e in json.loads(index)} >= {"wren", "first-hero"}


def test_editing_the_card_macro_draws_every_card_again(world, drawn, tmp_path):
    """A project's _macros.html: every card reads it, so an edit of it draws them all."""
    macros = world / "themes/default/templates/_macros.html"
    macros.parent.mkdir(parents=True, exist_ok=True)
    macros.write_text(MACROS)
    first = run(world)
    everything = sorted(drawn)
    drawn.clear()
    macros.write_text(MACROS.replace('<article class="card person-card {{ card.kind }}">',
                                     '<article class="card person-card {{ card.kind }} edited">'))
    run(world)
    assert sorted(drawn) == everything
    tree = lxml_html.fromstring((world / "build/site/heroes/index.html").read_bytes())
    assert len(tree.xpath("//article[contains(@class, 'edited')]")) == 2
    assert site(world) == site(clean_copy(world, tmp_path))
    assert first.ok


def test_a_project_card_macro_is_used_on_every_list(world):
    macros = world / "themes/default/templates/_macros.html"
    macros.parent.mkdir(parents=True, exist_ok=True)
    macros.write_text(MACROS.replace('<article class="card person-card {{ card.kind }}">',
                                     '<article class="card person-card {{ card.kind }} ours" data-id="{{ card.id }}">'))
    run(world)
    for lang in LANGS:
        for page in ("index.html", "heroes/index.html"):
            tree = lxml_html.fromstring((world / f"build/site/{lang}{page}").read_bytes())
            assert {"wren", "first-hero"} <= set(tree.xpath("//article[contains(@class, 'ours')]/@data-id"))


def test_a_list_template_written_before_cards_still_draws_the_same_page(built, tmp_path):
    """A project's hero-index.html that loops over `items` and calls the macro itself (as
    templates did before cards()) gets the same card data and writes the same page."""
    world = built   # after its first build
    expected = (world / "build/site/heroes/index.html").read_bytes()
    own = world / "themes/default/templates/hero-index.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    old = INDEX.replace('{% for card in cards(items, "person_card", "h2") %}{{ card }}{% endfor %}',
                        '{% for card in items %}{{ m.person_card(card, "h2") }}{% endfor %}')
    assert old != INDEX
    own.write_text(old)
    run(world)
    assert (world / "build/site/heroes/index.html").read_bytes() == expected
    hero = world / "content/heroes/wren.yaml"
    hero.write_text(hero.read_text().replace("Wren Hale", "Wren Marsh"))
    run(world)
    assert "Wren Marsh" in headings(world, "heroes/index.html")
    assert site(world) == site(clean_copy(world, tmp_path))


def test_a_theme_whose_macros_predate_credit_row_still_draws_every_credits_row(built):
    """A project's _macros.html copied from an older foundry (no `credit_row`): the
    credits page draws its rows in place, the same bytes as with the macro."""
    expected, after = _drawn_without_macro(built, "credits.html", r"\{% macro credit_row\(row\) %\}.*?\{% endmacro %\}\n",
                                           "credit_row")
    assert b"Wren Hale" in next(iter(expected.values()))
    assert after == expected


def test_a_theme_whose_macros_predate_relation_rows_still_draws_every_relationship(built):
    """The relationships table drawn from cards (_macros.html `relation_rows`) is the
    page a theme without that macro draws row by row in place."""
    expected, after = _drawn_without_macro(built, "relationships.html",
                                           r"\{#- One person's relationships.*?\{% endmacro %\}\n\n", "relation_rows")
    first = next(iter(expected.values()))
    assert b"<em>flood</em>" in first and b"Wren Hale" in first
    assert after == expected


def _drawn_without_macro(world, page: str, macro: str, name: str) -> tuple[dict, dict]:
    """`page` in every language as the shipped theme draws it (`world` built with it,
    the `built` fixture), then as a project theme whose _macros.html lacks `name` (the
    `macro` pattern cut out) draws it."""
    pages = [f"build/site/{lang}{page}" for lang in LANGS]
    expected = {path: (world / path).read_bytes() for path in pages}
    older = re.sub(macro, "", MACROS, flags=re.S)
    assert older != MACROS and name not in older
    macros = world / "themes/default/templates/_macros.html"
    macros.parent.mkdir(parents=True, exist_ok=True)
    macros.write_text(older)
    run(world)
    return expected, {path: (world / path).read_bytes() for path in pages}


def test_a_card_macro_cannot_see_the_content_version(english_world):
    """A card is kept across commits; the version changes with each: a card macro that
    reads it fails at its line, as a misspelt name does (HF0703)."""
    world = english_world
    macros = world / "themes/default/templates/_macros.html"
    macros.parent.mkdir(parents=True, exist_ok=True)
    lines = MACROS.replace('<article class="card person-card {{ card.kind }}">',
                           '<article class="card person-card {{ card.kind }}" data-v="{{ site.version }}">')
    macros.write_text(lines)
    diags = Diagnostics()
    report = build(world, diags, ["html"], workers=1)
    assert not report.ok
    line = next(i for i, text in enumerate(lines.splitlines(), 1) if "site.version" in text)
    found = [(d.code, d.span.path, d.span.line) for d in diags.errors]
    assert ("HF0703", "themes/default/templates/_macros.html", line) in found, found


@pytest.mark.parametrize("call, problem", [
    ('cards([1, 2], "person_card")', "takes a list the page was given"),
    ('cards(items, "no_such_card")', "has no macro 'no_such_card'"),
    ('cards(items, "person_card", items)', "only plain values"),
])
def test_cards_called_wrongly_is_a_template_error(english_world, call, problem):
    world = english_world
    own = world / "themes/default/templates/hero-index.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(INDEX.replace('cards(items, "person_card", "h2")', call))
    diags = Diagnostics()
    assert not build(world, diags, ["html"], workers=1).ok
    errors = [d for d in diags.errors if d.code == "HF0703"]
    assert errors and problem in errors[0].message
    assert errors[0].span.path == "themes/default/templates/hero-index.html"


def test_a_pool_build_keeps_every_fragment_its_workers_reused(built, tmp_path, monkeypatch):
    """Workers look stored fragments up in their own forked copy of the cache: the
    parent must still learn which rows are alive, or pruning drops them all and the
    next build draws every card again. A build in two workers marks as used exactly
    what the same build in this process marks."""
    from pipeline.load.cache import ParseCache
    used: list[set[str]] = []
    save = ParseCache.save

    def watched(self, prune=True):
        if self.table == "fragments":
            used.append(set(self.used))
        return save(self, prune)

    monkeypatch.setattr(ParseCache, "save", watched)
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    other = tmp_path / "other"   # `built` and `other`: copies of the first build (its rows stored)
    shutil.copytree(built, other, symlinks=True)
    counts = []
    for root, workers in ((built, 1), (other, 2)):
        hero = root / "content/heroes/wren.yaml"
        hero.write_text(hero.read_text().replace("Reed Cutter", "Thatcher's Hand"))
        report = build(root, Diagnostics(), ["html"], workers=workers)
        counts.append(report.counts["render_processes"])
    assert counts[0] == 0 and counts[1] >= 1   # the second really forked
    alone, pooled = used
    assert any(":hero:first-hero" in key for key in alone)   # rows no edit reached, reused from the memo
    assert pooled == alone


# --- the link check of a list page: its skeleton and its cards (exporters/html/splice.py) ----

def test_list_pages_are_checked_as_skeleton_and_cards(first_build):
    checked_whole = first_build.checked_whole   # the pages `world`'s first build checked whole
    lists = [f"site/{lang}{page}" for lang in LANGS
             for page in ("index.html", "heroes/index.html", "search.html", "credits.html", "relationships.html")]
    assert not set(lists) & set(checked_whole)
    assert "site/heroes/wren.html" in checked_whole   # a page without cards: whole, as before


def test_a_broken_link_in_a_card_is_reported_as_a_whole_page_check_reports_it(world, checked_whole, monkeypatch,
                                                                              tmp_path):
    """The split check only decides that a page is clean; a page it doubts is checked
    whole, so HF0701 names the same link at the same line as without it."""
    from pipeline.exporters.html import exporter
    macros = world / "themes/default/templates/_macros.html"
    macros.parent.mkdir(parents=True, exist_ok=True)
    macros.write_text(MACROS.replace('<p class="card-subtitle">{{ in_base(card.title, card.title_marks) }}</p>',
                                     '<p class="card-subtitle"><a href="{{ url(\'site/nowhere.html\') }}">'
                                     '{{ card.title }}</a></p>')
                      # a table row's card (credits.html) too
                      .replace('<td>{{ row.edits }}</td>', '<td><a href="#no-such-id">{{ row.edits }}</a></td>'))
    other = tmp_path / "other"
    shutil.copytree(world, other)

    def broken(root) -> list[str]:
        diags = Diagnostics()
        assert not build(root, diags, ["html"], workers=1).ok
        return sorted(d.message for d in diags.errors if d.code == "HF0701")

    split = broken(world)
    assert "site/heroes/index.html" in checked_whole
    monkeypatch.setattr(exporter, "splices_safely", lambda env, name: False)
    assert split == broken(other)
    assert [m for m in split if m.startswith("site/heroes/index.html, line ") and "nowhere.html" in m]
    assert [m for m in split if m.startswith("site/credits.html, line ") and "#no-such-id" in m]


@pytest.mark.parametrize("index", [
    # the cards kept in a variable: a template could take them apart, so they are drawn in place
    '{% set drawn %}{% for card in cards(items, "person_card", "h2") %}{{ card }}{% endfor %}{% endset %}{{ drawn }}',
    # printed after a filter
    '{% for card in cards(items, "person_card", "h2") %}{{ card | replace("card-title", "card-name") }}{% endfor %}',
    # joined
    '{{ cards(items, "person_card", "h2") | join("\\n") }}',
])
def test_cards_used_otherwise_are_drawn_in_place_and_checked_whole(world, checked_whole, index):
    own = world / "themes/default/templates/hero-index.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    own.write_text(INDEX.replace('{% for card in cards(items, "person_card", "h2") %}{{ card }}{% endfor %}', index))
    run(world)
    page = (world / "build/site/heroes/index.html").read_text()
    assert "hfcard" not in page and page.count("<article") == 2
    assert ("card-name" in page) == ("replace" in index)
    assert "site/heroes/index.html" in checked_whole
    assert "site/index.html" not in checked_whole   # the home page's template is still plain


def test_a_loop_of_cards_is_one_placeholder_and_the_same_page_as_drawn_in_place(first_build, world, monkeypatch):
    """Every card of a `cards()` call in a plain loop stands as one placeholder in the
    skeleton (splice.card_runs: the loop's turns are not run one per card), and the
    list pages are the bytes of the pages drawn card by card in place."""
    from pipeline.exporters.html import exporter
    # both heroes at once on the home page, the heroes index, the credits, every entry of
    # search (the placeholders of `world`'s first build, `first_build`)
    assert len([n for n in first_build.runs if n >= 2]) >= 3 * 4
    monkeypatch.setattr(exporter, "splices_safely", lambda env, name: False)
    run(world)   # the same sources, every page drawn in place
    assert site(first_build.root) == site(world)


def test_a_serve_save_decodes_only_the_cards_and_entries_it_drew_again(world, tmp_path, monkeypatch):
    """`foundry serve` keeps each decoded card and search entry with its fragment
    (render/fragments.py Fragment.value): a save decodes only the fragments made
    again, and every page still equals a clean build's (a decoded value kept past its
    fragment would show the old title)."""
    from engine_steps import same_as_clean, save
    from pipeline.engine.resident import Resident
    from pipeline.exporters.html.views import site as site_module
    decoded: list[bytes] = []
    for module, name in ((cards_module, "_drawn"), (site_module, "_with_row")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda data, real=real: decoded.append(data) or real(data))
    engine = Resident(world, ["json", "html"])
    save(engine)
    save(engine)
    hero = world / "content/heroes/wren.yaml"
    edits = (("Reed Cutter", "Thatch Hand"), ("Thatch Hand", "Eel Warden"), ("Eel Warden", "Reed Cutter"))
    for number, (old, new) in enumerate(edits):
        decoded.clear()
        hero.write_text(hero.read_text().replace(old, new))
        save(engine, ["content/heroes/wren.yaml"])
        if number:   # the first save is the first to render these lists since the catch-up adopted their rows
            assert decoded and all(b"wren" in data for data in decoded), decoded
            # at least her card on the home page, the heroes index and the search page, in three languages
            assert len(decoded) >= 3 * len(LANGS)
        assert all(new in (world / f"build/site/{lang}heroes/index.html").read_text() for lang in ("", "de/"))
    same_as_clean(world, tmp_path)


def test_a_list_pages_cards_are_freed_as_the_page_is_done_not_by_the_collector(project_factory, monkeypatch):
    """A page's CardDrawer holds its placeholders, each card's Ask holds the drawer, and
    Jinja's contexts and macros hold the drawer too: reference cycles. At 10,000 heroes
    they held ~680,000 objects per worker (every drawn card, its links, its Ask) until a
    full pass of the collector walked them (~0.5 CPU-s). The page lets go of its cards
    once it is assembled: with the collector off, nothing a list drew outlives its render."""
    import gc
    import weakref

    from pipeline.exporters.html import exporter as html_exporter

    made: list[weakref.ref] = []

    class Counted(cards_module.Order):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(weakref.ref(self))

    monkeypatch.setattr(cards_module, "Order", Counted)
    render = html_exporter._render
    left: dict[str, int] = {}

    def uncollected(ctx, item):
        was = gc.isenabled()
        gc.disable()
        try:
            before = len(made)
            data = render(ctx, item)
            left[item.path] = sum(ref() is not None for ref in made[before:])
            return data
        finally:
            if was:
                gc.enable()

    monkeypatch.setattr(html_exporter, "_render", uncollected)
    # a clean build logs its lists (render/stored_spans.py): the log holds a page's
    # placed cards until render_one has encoded it, so what is counted is what outlives
    # render_one, with the collector still off
    from pipeline.render import pool
    one = pool.render_one

    def logged(world, exporter, setup, item, memo=None):
        was = gc.isenabled()
        gc.disable()
        try:
            before = len(made)
            result = one(world, exporter, setup, item, memo)
            left[item.path] = sum(ref() is not None for ref in made[before:])
            return result
        finally:
            if was:
                gc.enable()

    monkeypatch.setattr(pool, "render_one", logged)
    run(project_factory({"content/heroes/wren.yaml": "name: Wren Hale\ntitle: Reed Cutter\nxp: 0\n"}))   # one language
    assert made   # the list pages drew cards through placeholders (each call's Order)
    assert {path: n for path, n in left.items() if n} == {}
