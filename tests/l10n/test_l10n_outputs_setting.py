"""`[l10n] outputs` names outputs: a typo is an error at its line, never a silent
one-language site."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.load.project import load_project
from support import REPO


def test_an_unknown_output_in_l10n_outputs_is_an_error_at_its_line(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    config = root / "foundry.toml"
    config.write_text(config.read_text() + '\n[l10n]\nlanguages = ["de"]\noutputs = ["htm"]\n')
    diags = Diagnostics()
    load_project(root, diags)
    [error] = diags.errors
    assert error.code == "HF0205" and "l10n.outputs" in error.message
    assert error.span.line == len(config.read_text().splitlines())
