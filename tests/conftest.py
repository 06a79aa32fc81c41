"""Shared fixtures: real projects on disk, built sample worlds. Plain helpers live in
support.py so test modules can import them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import (CHROMIUM, CHROMIUM_ARGS, IN_CI, REPO, ROOTS, Run, diagnostics, foundry,  # noqa: F401
                     require_tool, write_project)


# The test files that take longest, longest first (the junit times of one full run,
# 2026-11-30, docs/performance.md "test suite"; the books first: their fixture failed
# that run, and they are the longest when it does not). pytest-xdist's --dist loadfile hands a worker the
# next whole file in collection order: started first, the long files run beside each
# other while the many short ones fill in at the end, instead of one long file
# starting last and keeping one worker busy after the other has finished. Other files
# keep their order, after these.
LONGEST_FIRST = [
    "tests/books/test_epub_accessibility.py",      # the sample's books (built once), then DAISY Ace per EPUB
    "tests/books/test_epub_books.py",              # epubcheck per EPUB
    "tests/l10n/test_l10n.py",
    "tests/publishing/test_atomic_publishing.py",  # real processes killed and waited for
    "tests/stories/test_new.py",
    "tests/foundation/test_typed_loaders.py",      # C#, Go, Rust and TypeScript compilers
    "tests/foundation/test_confinement.py",
    "tests/speed/test_incremental.py",
    "tests/foundation/test_check_sees_build.py",
    "tests/exports/test_ink.py",
    "tests/importing/test_plays_the_same.py",      # every path played in Node
    "tests/foundation/test_text_hygiene.py",
    "tests/publishing/test_input_budgets.py",
    "tests/publishing/test_render_budgets.py",
    "tests/importing/test_bad_input.py",
    "tests/site/test_build.py",
    "tests/l10n/test_localized_outputs.py",
    "tests/git/test_git_diff.py",
    "tests/packaging/test_distribution.py",        # sdist, wheel, a virtualenv
    "tests/site/test_images_as_viewed.py",
    "tests/writer/test_cli_loop.py",
    "tests/books/test_pdf_books.py",
    "tests/books/test_book_rebuilds.py",
    "tests/books/test_pdf_ua.py",
    "tests/stories/test_analysis.py",
    "tests/git/test_git_owners.py",
    "tests/site/test_expr_js.py",
    "tests/site/test_browser.py",
]


def pytest_configure(config):
    # xdist would otherwise hand out files by their number of tests (most first): a file
    # of four tests that drives Chromium for minutes would come last.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(session, config, items):
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))   # stable: a file stays whole


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


@pytest.fixture
def checked_whole(monkeypatch):
    """The pages the site's link checker parsed whole (a list of their paths, in order):
    a list page whose cards are checked one by one is not among them."""
    from pipeline.exporters.html import links
    pages: list[str] = []
    check = links.LinkChecker.check

    def counted(self, page, html, diags):
        pages.append(page)
        return check(self, page, html, diags)

    monkeypatch.setattr(links.LinkChecker, "check", counted)
    return pages
