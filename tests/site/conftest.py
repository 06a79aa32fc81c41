"""Fixtures for the site tests: the sample world's build served over HTTP on
127.0.0.1, and a real headless Chromium driven by Playwright (no browser download:
Debian's chromium)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from site_support import CHROMIUM, CHROMIUM_ARGS, SOURCE_DATE_EPOCH
from support import REPO, built_once, foundry, require_tool


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_project(tmp_path_factory) -> Path:
    """The repository's sample world, copied and built once per session with the
    outputs the site needs (html, and json for comparing with the API); once per test
    run, shared by the workers: tests only read it (one that edits copies it first)."""
    def make(base: Path) -> None:
        root = base / "world"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
                                                                  ".foundry-*", "__pycache__", ".hypothesis"))
        run = foundry("build", "--only", "html,json", "--project", str(root), env=SOURCE_DATE_EPOCH)
        assert run.code == 0, run.stdout + run.stderr
    return built_once(tmp_path_factory, "site", make) / "world"


@pytest.fixture(scope="session")
def site_root(site_project) -> Path:
    return site_project / "build"


@pytest.fixture(scope="session")
def served(site_root):
    """build/ over HTTP (the site at /site/, its images at /site/media/); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser):
    """A fresh page; any script error on it fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors
