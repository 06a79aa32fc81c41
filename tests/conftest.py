"""Shared fixtures: real projects on disk, built sample worlds. Plain helpers live in
support.py so test modules can import them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import (CHROMIUM, CHROMIUM_ARGS, IN_CI, REPO, ROOTS, Run, diagnostics, foundry,  # noqa: F401
                     require_tool, write_project)


# The test files that take longest, longest first (seconds each file's tests took, summed,
# in a fresh-clone run with five workers, forty-seventh session, 2026-12-06, before the
# budget tests' cuts; those files' ranks scaled by their CPU cut). The two that wait on
# the sample's books, built once for every worker, lead: DAISY Ace and epubcheck then read
# them. pytest-xdist's --dist loadfile hands a worker the next whole file in collection
# order: started first, the long files run beside each other while the many short ones
# fill in at the end, instead of one long file starting last and keeping one worker busy
# after the others have finished (tests/stories/test_near_name_budget.py, 98 s and
# missing from the list, began last and ended the run ~25 s after the other workers).
# Other files keep their order, after these.
LONGEST_FIRST = [
    "tests/books/test_epub_accessibility.py",      # 42: the sample's books (built once), then DAISY Ace
    "tests/books/test_epub_books.py",              # 49: epubcheck per EPUB
    "tests/books/test_scripts.py",                 # 127
    "tests/publishing/test_input_budgets.py",      # 113 (its cut: ~100)
    "tests/publishing/test_render_budgets.py",     # 108 (~105)
    "tests/books/test_overflow.py",                # 93
    "tests/importing/test_bad_input.py",           # 92 (~85): CPU-capped imports
    "tests/books/test_rtl_layout.py",              # 87
    "tests/speed/test_resident_property.py",       # 78: hypothesis, a clean build per new state
    "tests/books/test_layout_cost.py",             # 72
    "tests/books/test_long_words.py",              # 72
    "tests/l10n/test_l10n.py",                     # 65
    "tests/l10n/test_localized_outputs.py",        # 63
    "tests/books/test_print_edition.py",           # 62
    "tests/publishing/test_atomic_publishing.py",  # 59: real processes killed and waited for
    "tests/site/test_images_as_viewed.py",         # 51
    "tests/foundation/test_typed_loaders.py",      # 51: C#, Go, Rust and TypeScript compilers
    "tests/speed/test_incremental.py",             # 49
    "tests/packaging/test_distribution.py",        # 47: sdist, wheel, a virtualenv
    "tests/speed/test_parse_workers.py",           # 43
    "tests/site/test_browser.py",                  # 42
    "tests/importing/test_plays_the_same.py",      # 39: every path played in Node
    "tests/stories/test_new.py",                   # 38
    "tests/speed/test_recorded_reads.py",          # 37
    "tests/speed/test_output_hashes.py",           # 36
    "tests/speed/test_plain_prose.py",             # 35
    "tests/foundation/test_confinement.py",        # 34
    "tests/books/test_theme_budgets.py",           # 33
    "tests/site/test_template_check.py",           # 32
    "tests/books/test_site_links_in_books.py",     # 32
    "tests/speed/test_incremental_property.py",    # 31
    "tests/speed/test_render_pool.py",             # 30
    "tests/stories/test_near_name_budget.py",      # 98 (~25 after its cut)
    "tests/publishing/test_linear_scans.py",       # 28 (~24)
]


def pytest_configure(config):
    # xdist would otherwise hand out files by their number of tests (most first): a file
    # of four tests that drives Chromium for minutes would come last.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    # pytest-xdist's controller starts the warm-start zygotes every worker uses (its
    # workers inherit the environment naming them): warm_start.start_shared
    if not hasattr(config, "workerinput") and getattr(config.option, "dist", "no") != "no" \
            and getattr(config.option, "numprocesses", None) and not os.environ.get("FOUNDRY_TEST_COLD_START"):
        import warm_start
        config._foundry_zygotes = warm_start.start_shared()


def pytest_unconfigure(config):
    shared = getattr(config, "_foundry_zygotes", None)
    if shared is not None:
        shared.close()


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

    def counted(self, page, html, diags, encoded=None):
        pages.append(page)
        return check(self, page, html, diags, encoded)

    monkeypatch.setattr(links.LinkChecker, "check", counted)
    return pages
