"""Fixtures for the ink and Twee export tests: Node.js with the pinned packages, the
sample world built twice, and the fixture project built once per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from export_support import FIXTURE, SOURCE_DATE_EPOCH, build_copy
from support import REPO, foundry, require_tool


@pytest.fixture(scope="session")
def node_tools():
    """Node.js and the pinned packages, or a skip (a failure in CI)."""
    has_node = shutil.which("node") is not None
    has_packages = all((REPO / "node_modules" / name / "package.json").is_file() for name in ("inkjs", "extwee"))
    require_tool(has_node and has_packages, "node with inkjs and extwee (run `npm ci` at the repository root)")
    return shutil.which("node")


@pytest.fixture(scope="session")
def sample_exports(tmp_path_factory) -> Path:
    return build_copy(tmp_path_factory.mktemp("exports-a"))


@pytest.fixture(scope="session")
def sample_exports_again(tmp_path_factory) -> Path:
    """A second, independent build of the same sample, for determinism."""
    return build_copy(tmp_path_factory.mktemp("exports-b"))


@pytest.fixture
def fixture_export(project_factory) -> Path:
    root = project_factory(FIXTURE, base=None)
    run = foundry("build", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root
