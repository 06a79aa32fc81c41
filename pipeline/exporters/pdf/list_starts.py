"""A numbered list that does not start at 1, as the writer numbered it in the PDF.

Markdown keeps a list's first number (`3. Third`) as `<ol start="3">`; browsers and
EPUB readers honour it, but WeasyPrint reads `start` only as a "presentational hint",
off unless every hint is (table `align`, `<img width>`… which would move the theme's
layout), so every PDF renumbered the writer's list from 1 (the site showing 3, 4, the
book 1, 2). The CSS Lists rule the hint stands for, one per start the book's HTML
holds, given as a user stylesheet (above WeasyPrint's `ol { counter-reset: list-item }`,
below the theme's own rules)."""

from __future__ import annotations

import re

# An <ol>'s start as markdown-it and the sanitiser write it (a number, no sign).
_START = re.compile(r'<ol\b[^>]*?\sstart="(\d{1,9})"')


def list_starts_css(html: str) -> str | None:
    """CSS restarting each `<ol start="N">` of `html` at N (css-lists-3's UA rule: the
    counter set one below, the first item's increment makes it N), or None when no list
    of `html` has a start: one rule per distinct start, so bounded by the HTML's size."""
    starts = sorted(set(_START.findall(html)), key=int)
    return "".join(f'ol[start="{s}"] {{ counter-reset: list-item {int(s) - 1} }}\n' for s in starts) or None
