"""The command line leaves what a verb made frozen as its process ends (pipeline/cli.py
`main`): the interpreter's last collection on the way out then neither walks a build's
World and state nor frees them object by object (docs/performance.md, edit25)."""

from __future__ import annotations

import gc
import sys

import pytest

from engine_steps import listed_heroes
from support import write_project

from pipeline import cli


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
