"""The sample world resolved once per session, in-process (nothing is written)."""

from __future__ import annotations

import pytest

from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics
from support import REPO


@pytest.fixture(scope="session")
def sample_world():
    diags = Diagnostics()
    world = check(REPO, diags)
    assert world is not None and not diags.errors, [str(d.span) + " " + d.message for d in diags.errors]
    return world
