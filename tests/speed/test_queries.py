"""The query memo (pipeline/queries.py) on a real project: a warm run of load_world with
the table says exactly what a cold run says, and recomputes only what an edit reached."""

from __future__ import annotations

import shutil

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.load.project import load_project
from pipeline.queries import Queries, fingerprint
from pipeline.resolve.world import load_world
from support import REPO


def _load(root, queries=None):
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags, None, "v", queries)
    return world, sorted(d.to_json().items() for d in diags.items)


def test_warm_answers_equal_cold_ones_and_an_edit_recomputes_only_its_own(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("xp: 120", "xp: 120\nlevel: 9"))   # a warning to replay
    queries = Queries()
    cold, cold_diags = _load(root, queries)
    assert cold_diags and queries.computed["sheet"] == 1
    warm, warm_diags = _load(root, queries)
    assert warm_diags == cold_diags                       # diagnostics replayed, none lost or doubled
    assert "parse" not in queries.computed and "sheet" not in queries.computed and "analysis" not in queries.computed
    assert warm.sheets == cold.sheets and warm.story_reports == cold.story_reports

    template = root / "content/templates/heroes/scout.yaml"   # the hero inherits from it: her sheet is redone
    template.write_text(template.read_text().replace("agility: 12", "agility: 14"))
    edited, edited_diags = _load(root, queries)
    assert queries.computed["parse"] == 1 and queries.computed["validate"] == 1 and queries.computed["sheet"] == 1
    fresh, fresh_diags = _load(root)
    assert edited.sheets == fresh.sheets and edited.story_reports == fresh.story_reports
    assert edited_diags == fresh_diags


def test_an_input_whose_content_the_table_cannot_see_is_refused():
    assert fingerprint({"b": {2, 1}, "a": (1, "x")}) == fingerprint({"a": (1, "x"), "b": {1, 2}})
    with pytest.raises(TypeError):
        fingerprint(object())
    with pytest.raises(TypeError):
        Queries().ask("q", lambda value, diags: value, object(), diags=Diagnostics())
