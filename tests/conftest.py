"""Shared fixtures: real projects on disk, built sample worlds. Plain helpers live in
support.py so test modules can import them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import (CHROMIUM, CHROMIUM_ARGS, IN_CI, REPO, ROOTS, Run, diagnostics, foundry,  # noqa: F401
                     require_tool, write_project)


# The test files that take longest, longest first (the junit times of a quiet fresh-clone
# run with five workers, 2026-12-03, summed per file, less what the thirtieth session's
# cuts took off each, measured alone; the two that wait on the sample's books, built once
# for every worker, lead: DAISY Ace then reads them for a minute).
# pytest-xdist's --dist loadfile hands a worker the next whole file in collection order:
# started first, the long files run beside each other while the many short ones fill in
# at the end, instead of one long file starting last and keeping one worker busy after
# the others have finished (test_long_words.py, missing from the list, was 210 s and began
# late). Other files keep their order, after these.
LONGEST_FIRST = [
    # seconds: each file's junit time summed, fresh clone, CI=true (thirty-third session)
    "tests/books/test_epub_accessibility.py",      # 60: the sample's books (built once), then DAISY Ace per EPUB
    "tests/books/test_epub_books.py",              # 67: epubcheck per EPUB
    "tests/publishing/test_input_budgets.py",      # 177
    "tests/books/test_scripts.py",                 # 133 (s46: 153 less its cut, scaled by CPU 56.1 -> 48.7)
    "tests/publishing/test_render_budgets.py",     # 121 in the forty-sixth session, as bad_input 105, resident_property 98
    "tests/importing/test_bad_input.py",           # 129: CPU-capped imports of megabytes
    "tests/speed/test_resident_property.py",       # 127: hypothesis, a clean build per new state
    "tests/foundation/test_typed_loaders.py",      # 95: C#, Go, Rust and TypeScript compilers
    "tests/l10n/test_l10n.py",                     # 86
    "tests/speed/test_list_cards.py",              # 83 (s46: 90 less its cut, scaled by CPU 17.1 -> 15.8)
    "tests/packaging/test_distribution.py",        # 78: sdist, wheel, a virtualenv
    "tests/books/test_layout_cost.py",             # 75 (s46: 84 less its cut, scaled by CPU 38.5 -> 34.2)
    "tests/speed/test_incremental.py",             # 72
    "tests/books/test_site_links_in_books.py",     # 63
    "tests/l10n/test_localized_outputs.py",        # 63
    "tests/books/test_print_edition.py",           # 62 (s46: 84 less its cut, scaled by CPU 35.8 -> 26.3)
    "tests/publishing/test_atomic_publishing.py",  # 62: real processes killed and waited for
    "tests/site/test_images_as_viewed.py",         # 61
    "tests/books/test_overflow.py",                # 58
    "tests/books/test_rtl_layout.py",              # 57 (s46: 62 less its cut, scaled by CPU 32.8 -> 30.2)
    "tests/foundation/test_confinement.py",        # 53
    "tests/importing/test_plays_the_same.py",      # 50: every path played in Node
    "tests/site/test_browser.py",                  # 49
    "tests/books/test_long_words.py",              # 48 (s46: 50 less its cut, scaled by CPU 33.0 -> 32.0)
    "tests/speed/test_render_pool.py",             # 42
    "tests/stories/test_analysis.py",              # 42
    "tests/speed/test_resident_watch.py",          # 40
    "tests/books/test_theme_budgets.py",           # 40 (s46: 70 less its cut, scaled by CPU 19.4 -> 11.0)
    "tests/git/test_git_credits.py",               # 39
    "tests/speed/test_plain_prose.py",             # 38
    "tests/exports/test_ink.py",                   # 35
    "tests/stories/test_play.py",                  # 33
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
