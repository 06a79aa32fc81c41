"""Fixtures for the import tests: Node.js with inkjs and extwee (the oracles' runtimes)."""

from __future__ import annotations

import shutil

import pytest

from support import REPO, require_tool


@pytest.fixture(scope="session")
def node_tools():
    has_packages = all((REPO / "node_modules" / name / "package.json").is_file() for name in ("inkjs", "extwee"))
    require_tool(shutil.which("node") is not None and has_packages,
                 "node with inkjs and extwee (run `npm ci` at the repository root)")
