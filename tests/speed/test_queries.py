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


class _Frozen:
    """Frozen content with a memo key, as a document or an entry is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def memo_key(self) -> str:
        return self.text


def test_an_input_seen_before_is_known_by_identity_and_nothing_else_is(monkeypatch):
    import pipeline.queries as queries_module
    fingerprinted = []
    real = queries_module.fingerprint
    monkeypatch.setattr(queries_module, "fingerprint", lambda value: fingerprinted.append(value) or real(value))
    table, diags = Queries(), Diagnostics()

    def run(*inputs):
        table.begin("base")
        return table.ask("q", lambda *args: tuple(a.text if isinstance(a, _Frozen) else dict(a)
                                                  for a in args[:-1] if not isinstance(a, tuple)), *inputs, diags=diags)
    first = _Frozen("a")
    assert run(first, ("x", 1)) == ("a",) and table.computed == {"q": 1}
    fingerprinted.clear()
    assert run(first, ("x", 1)) == ("a",) and table.computed == {} and fingerprinted == []   # by identity
    assert run(_Frozen("a"), ("x", 1)) == ("a",) and table.computed == {} and fingerprinted   # equal content: a hit
    assert run(_Frozen("b"), ("x", 1)) == ("b",) and table.computed == {"q": 1}
    assert run(first, ("x", True)) == ("a",) and table.computed == {"q": 1}   # True is not 1: another key
    # what could change under the same object (a dict) is fingerprinted every time
    mutable = {"k": 1}
    assert run(mutable) == ({"k": 1},)
    mutable["k"] = 2
    assert run(mutable) == ({"k": 2},) and table.computed == {"q": 1}


def test_interned_values_are_the_last_runs_objects_while_their_content_is_the_same():
    table = Queries()
    table.begin("base")
    first = table.intern(_Frozen("rules v1"))
    table.begin("base")
    assert table.intern(_Frozen("rules v1")) is first
    table.begin("base")
    changed = _Frozen("rules v2")
    assert table.intern(changed) is changed
    table.begin("base")
    table.begin("base")   # kept for one run: a value not interned since is made anew
    again = _Frozen("rules v2")
    assert table.intern(again) is again


def test_a_sweep_keeps_exactly_what_the_run_asked_for_whether_or_not_the_last_run_was_swept():
    table, diags = Queries(), Diagnostics()

    def run(*texts, sweep=True):
        table.begin("base")
        for text in texts:
            table.ask("q", lambda value, found: value.text, _Frozen(text), diags=diags)
        if sweep:
            table.sweep()
    run("a", "b")
    run("a", "c")
    assert len(table) == 2 and table.knows("q", _Frozen("c")) and not table.knows("q", _Frozen("b"))
    run("d", sweep=False)   # a run that stopped before its sweep
    run("a")
    assert len(table) == 1 and table.knows("q", _Frozen("a"))
    table.begin("other base")   # other rules: nothing kept, and the next sweep has nothing to drop
    table.sweep()
    assert len(table) == 0
    run("e")
    assert len(table) == 1


def test_an_answer_reused_by_its_key_is_kept_and_its_inputs_stay_known_by_identity(monkeypatch):
    """queries.py `reuse` (a trusted save's load, resolve/world.py `_load_trusted`): an
    answer taken by its key without asking is not swept; a key no longer held is refused
    (the caller asks); and the inputs it was asked with are still known by identity in
    the run after, so a run that asks everything again does not fingerprint them."""
    import pipeline.queries as queries_module
    table, diags = Queries(), Diagnostics()
    kept, edited = _Frozen("kept"), _Frozen("edited")
    table.begin("base")
    table.ask("q", lambda value, found: value.text, kept, diags=diags)
    key = table.last_key
    table.ask("q", lambda value, found: value.text, edited, diags=diags)
    table.sweep()
    table.begin("base")   # a trusted run: `kept` reused, not asked; `edited` asked anew
    assert table.reuse(key)
    table.ask("q", lambda value, found: value.text, _Frozen("edited again"), diags=diags)
    table.sweep()
    assert len(table) == 2 and table.knows("q", kept) and not table.knows("q", edited)
    fingerprinted = []
    real = queries_module.fingerprint
    monkeypatch.setattr(queries_module, "fingerprint", lambda value: fingerprinted.append(value) or real(value))
    table.begin("base")   # a run that asks everything: `kept` found by its identity
    assert table.ask("q", lambda value, found: "made again", kept, diags=diags) == "kept" and fingerprinted == []
    table.sweep()
    table.begin("other base")   # the table dropped: a kept key is refused
    assert not table.reuse(key)
