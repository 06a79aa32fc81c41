"""Property: after any sequence of edits, `foundry serve`'s resident engine
(engine/resident.py) writes what a clean build writes, re-renders what a CLI build of a
twin copy re-renders, and parses and validates only the content files that changed.
The edits are incremental_edits.py's, as for the CLI (test_incremental_property.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics
from engine_steps import clean_hashes, hashed, output_bytes, run
from incremental_edits import (DRAWN, EDITS, IN_TURN, add_hero, delete_hero, edit_card_macro, edit_hero, edit_rules,
                               edit_story, edit_template, edit_theme, make_base, rename_hero, resident_run,
                               resident_saves)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_base(tmp_path_factory.mktemp("property") / "base")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(DRAWN), min_size=1, max_size=3))
def test_resident_engine_equals_a_clean_build_after_any_edits(base, tmp_path_factory, edits):
    work = tmp_path_factory.mktemp("resident")
    engine, world = resident_saves(base, work, edits)
    # the saves decided their artifacts by the index of what the records read
    assert engine.carried_builds >= len(edits)
    # broken content keeps the last good build/, and fixing it gives the same bytes again
    good, hero = output_bytes(world), world / "content/heroes/first-hero.yaml"
    text = hero.read_text()
    hero.write_text(text.replace("xp: ", "xp: [oops ", 1))
    named = ["content/heroes/first-hero.yaml"]
    assert not engine.build(Diagnostics(), named).ok and engine.changed == []
    assert output_bytes(world) == good
    hero.write_text(text)
    resident_run(engine, named)
    assert output_bytes(world) == good
    # a CLI build between two saves (it swaps in a build/ of its own, while the last
    # save's state may still wait to be written): the engine starts from disk
    edit_hero(world, 97)
    resident_run(engine, named)
    edit_hero(world, 98)
    run(world)
    edit_story(world, 99)
    resident_run(engine, named + ["content/stories/first-story.md"])
    assert clean_hashes(world, work / "fresh-last") == hashed(output_bytes(world))


def test_every_kind_of_edit_in_turn_through_the_resident_engine(base, tmp_path):
    # the kinds the hypothesis tests were written with are left to them; the CLI builds
    # each of these too, as the twin each save is compared with
    assert set(EDITS) - set(IN_TURN) == {edit_hero, edit_story, edit_template, edit_rules, edit_theme,
                                         edit_card_macro, add_hero, rename_hero, delete_hero}
    resident_saves(base, tmp_path, IN_TURN)


def test_every_kind_of_edit_in_turn_with_every_rewrite_held_for_the_flush(base, tmp_path, monkeypatch):
    """Each save's rewrites of files build/ holds wait for `flush` (write/in_place.py
    `Held`; at 10,000 heroes only the lists do, here every file): what the server
    serves meanwhile, and build/ after the flush, are a clean build's bytes."""
    monkeypatch.setenv("FOUNDRY_HOLD_BYTES", "0")
    engine, world = resident_saves(base, tmp_path, IN_TURN + [edit_hero, edit_story, rename_hero], held=True)
    assert not engine.held
