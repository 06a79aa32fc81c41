"""The command line leaves what a verb made frozen as its process ends (pipeline/cli.py
`main`): the interpreter's last collection on the way out then neither walks a build's
World and state nor frees them object by object (docs/performance.md, edit25)."""

from __future__ import annotations

import gc
import logging
import os
import sys
import warnings

import pytest

from engine_steps import listed_heroes
from support import write_project

from pipeline import cli
from pipeline.fontconfig import PINNED_LANGUAGE


@pytest.fixture(autouse=True)
def _process_settings_kept(monkeypatch):
    """What `cli.main` sets for its process's life (the pinned font language, PATH without
    relative folders, logging's last resort, the warnings' printer), put back after each
    test: this process goes on to run other test files, whose foundry runs inherited
    FC_LANG=en and PANGO_LANGUAGE=en from it."""
    for name in [*PINNED_LANGUAGE, "PATH"]:
        had = os.environ.get(name)
        monkeypatch.setenv(name, had or "")   # remembered, to be put back (or removed) after
        if had is None:
            monkeypatch.delenv(name)   # (delenv of an unset name alone would remember nothing)
    monkeypatch.setattr(logging, "lastResort", logging.lastResort)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


def test_a_build_on_the_command_line_leaves_nothing_for_the_last_collection(tmp_path, monkeypatch):
    world = write_project(tmp_path / "world", listed_heroes())
    monkeypatch.setattr(sys, "argv", ["foundry", "build", "--project", str(world), "--only", "json", "--quiet"])
    try:
        with pytest.raises(SystemExit) as left:
            cli.main()
        # what the collector would still walk: a handful of objects made since, not
        # the build's (nor this test process's hundreds of thousands)
        tracked = len(gc.get_objects())
    finally:
        gc.unfreeze()   # this process goes on
    assert left.value.code == 0
    assert (world / "build/api/v1/bundle.json").is_file()
    assert tracked < 1000, tracked


def test_a_build_on_the_command_line_leaves_its_world_and_states_to_the_end_not_freed_as_it_returns(tmp_path, monkeypatch):
    """What the build made is neither walked nor freed object by object when it returns
    (~0.15-0.2 CPU-s after one hero edit at 10,000 heroes): its states are still alive,
    frozen, after the command ended. An in-process build (tests, `foundry serve`) frees
    its own when it returns."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    from pipeline.write.state import BuildState

    def states() -> list[BuildState]:
        return [o for o in gc.get_objects() if type(o) is BuildState and "api/v1/bundle.json" in o.artifacts]

    world = write_project(tmp_path / "world", listed_heroes())
    assert build(world, Diagnostics(), ["json"]).ok
    gc.collect()
    assert not states()   # in-process: freed as it returned
    (world / "content/heroes/aria.yaml").write_text((world / "content/heroes/aria.yaml").read_text()
                                                     .replace("xp: 120", "xp: 130"))
    monkeypatch.setattr(sys, "argv", ["foundry", "build", "--project", str(world), "--only", "json", "--quiet"])
    try:
        with pytest.raises(SystemExit) as left:
            cli.main()
    finally:
        gc.unfreeze()   # this process goes on: what was frozen is looked at, then collected
    try:
        assert left.value.code == 0
        # the last build's state and the new one, both alive to the process's end
        assert len(states()) == 2
    finally:
        for cycle in [o for o in gc.get_objects() if type(o) is list and o and o[0] is o]:
            cycle.clear()
