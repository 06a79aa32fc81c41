"""The EPUB books through DAISY Ace, the accessibility checker publishers run.

Its own file, apart from test_epub_books.py (epubcheck): with one file per worker
(--dist loadfile) Ace's Chromium per book and epubcheck's JVM per book run on the two
workers side by side instead of one after the other on the same worker."""

from __future__ import annotations

import pytest

from book_support import ACE_BOOKS as BOOKS


def _violations(report: dict) -> list[str]:
    return [f"{a['earl:testSubject']['url']}: {b['earl:test']['dct:title']} ({b['earl:test']['earl:impact']}): "
            f"{b['earl:result']['dct:description'][:160]}"
            for a in report["assertions"] for b in a["assertions"]]


@pytest.mark.parametrize("book", BOOKS)
def test_daisy_ace_finds_no_violations(ace_results, book):
    """What publishers and distributors run before accepting a book: the schema.org
    accessibility metadata, the package language, and axe inside every chapter
    (links told from text without colour, epub:type with its matching ARIA role)."""
    report = ace_results[book]
    assert _violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
