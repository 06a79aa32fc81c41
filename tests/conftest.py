"""Shared fixtures: real projects on disk, built sample worlds. Plain helpers live in
support.py so test modules can import them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import (CHROMIUM, CHROMIUM_ARGS, IN_CI, REPO, ROOTS, Run, diagnostics, foundry,  # noqa: F401
                     require_tool, write_project)


@pytest.fixture
def project_factory(tmp_path):
    """Write a project inline: `make({"content/heroes/a.yaml": "..."})`; starts from
    the minimal root in tests/roots/minimal unless `base=None`."""
    def make(files: dict[str, str | bytes] | None = None, base: str | None = "minimal", name: str = "proj") -> Path:
        return write_project(tmp_path / name, files, base)
    return make


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The repository's own sample world, built once per session into a copy."""
    root = tmp_path_factory.mktemp("sample") / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks",
                                                              ".foundry-*", "__pycache__"))
    run = foundry("build", "--project", str(root), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    return root


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session, shared by every test folder:
    Playwright's sync API cannot start a second instance while one runs on the thread."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None and Path(CHROMIUM).is_file() and shutil.which("chromium") is not None,
                 "Chromium (Debian package chromium) and Python playwright")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
