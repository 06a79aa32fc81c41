"""A bug inside foundry: one short line naming where the details went, exit 2, and no
traceback on the terminal."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pipeline.resolve.world
from pipeline.cli import cli
from click.testing import CliRunner

from .helpers import copy_root


def test_internal_error_prints_one_line_and_writes_the_details(tmp_path, monkeypatch):
    root = copy_root("minimal", tmp_path)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug in the resolver")

    monkeypatch.setattr(pipeline.resolve.world, "load_world", broken)   # builder imports it when check runs
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the details file goes
    result = CliRunner().invoke(cli, ["check", "--project", str(root)], env={"NO_COLOR": "1"})

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "simulated bug" not in result.stderr
    m = re.fullmatch(r"foundry: internal error \(RuntimeError\); details written to (\S+)\. Please report it\.",
                     lines[0])
    assert m, lines[0]
    details = Path(m[1])
    assert details.parent == tmp_path and details.name.startswith("foundry-crash-")
    text = details.read_text()
    assert "Traceback" in text and "RuntimeError: simulated bug in the resolver" in text
