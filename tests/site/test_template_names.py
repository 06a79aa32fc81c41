"""`foundry check` finds a name a project theme's page template reads that its page does
not give it (`{{ levl }}` in hero.html): HF0703 at its line with the name meant, where
only a build rendering a hero page failed (StrictUndefined)."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.pages import page_view, plan_pages
from pipeline.exporters.html.template_names import PAGE_NAMES
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import REPO, ROOTS, foundry

HERO = "themes/mine/templates/hero.html"


def _own_theme(root):
    config = root / "foundry.toml"
    config.write_text(config.read_text().replace('theme = "default"', 'theme = "mine"'))
    (root / HERO).parent.mkdir(parents=True)


def test_a_name_the_page_does_not_give_is_found_by_check(project_factory):
    root = project_factory()
    _own_theme(root)
    text = (REPO / "themes/default/templates/hero.html").read_text(encoding="utf-8")
    old = "{{ xp }}"
    assert old in text
    (root / HERO).write_text(text.replace(old, "{{ levl }}{% if spare is defined %}{{ spare }}{% endif %}"
                                          "{{ maybe | default('') }}", 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"]
    # `spare` and `maybe` are asked about, not assumed: not reported
    assert [(d["file"], d["line"], d["message"], d["hint"]) for d in found] == \
        [(HERO, line, "'levl' is not a name hero.html receives", "did you mean 'level'?")], found
    assert run.code == 1


def test_every_shipped_page_template_as_a_project_theme_reads_only_names_it_gets(project_factory):
    """The shipped templates copied as the project's own: no name of theirs is reported
    (the table is not short of a name they use)."""
    root = project_factory()
    _own_theme(root)
    shutil.rmtree(root / "themes/mine")
    shutil.copytree(REPO / "themes/default", root / "themes/mine")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0703"] == []


def test_the_table_is_what_the_views_give():
    """PAGE_NAMES against each page kind's view, run on the sample world and the minimal
    root: a view that gains or loses a name changes the table with it."""
    for root in (REPO, ROOTS / "minimal"):
        diags = Diagnostics()
        world = load_world(load_project(root, diags), diags)
        given: dict[str, set] = {}
        for page, _ in plan_pages(world):
            given.setdefault(page.template, set()).update(page_view(world, page))
        assert {t: frozenset(names) for t, names in given.items()} == PAGE_NAMES, root
