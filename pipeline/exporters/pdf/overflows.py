"""HF1139: text that overflows its box in a PDF, reported at the content line it prints
(the finding itself is overflow.py's; this is the exporter's side)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...diagnostics import Diagnostics, Span, clip
from ...l10n.lines import collect_lines
from ...l10n.markup import plain_text
from .overflow import find_overflows, locate


def book_lines(world: Any, sources: list[str], language: str | None = None) -> list[tuple[str, Span]]:
    """(plain text, span) of every line the book's files hold, in `language` (a
    localized book passes its own; None: the base language)."""
    shown = set(sources)
    l10n = world.l10n
    if l10n is not None:
        resolved = l10n.resolve(language or l10n.base)
        pairs = [(r.text, r.line.span) for r in resolved]
    else:
        pairs = [(line.text, line.span) for line in collect_lines(world, Diagnostics())]
    # The book's own files first: a name printed in a gamebook is the story's line if
    # the story has one, and the hero's otherwise (rules labels print on hero sheets).
    mine = [(plain_text(t), s) for t, s in pairs if s.path in shown]
    return mine + [(plain_text(t), s) for t, s in pairs if s.path not in shown]


def report_overflows(ctx: Any, path: str, sources: list[str], document: Any, language: str | None = None) -> None:
    """One HF1139 per overflowing printed line of `document` (the PDF at `path`)."""
    found = find_overflows(document)
    if not found:
        return
    # Only now look at the lines' text: a book that fits reads nothing more.
    lines = book_lines(ctx.world, sources, language)
    for overflow in found:
        # A sheet prints a label beside its value in one line box ("Ambush…, agility"):
        # no content line holds that whole line, but the broken word is in one.
        by_word = locate(replace(overflow, text=overflow.word), lines) if overflow.word else None
        span = locate(overflow, lines) or by_word or Span(sources[0] if sources else path)
        if overflow.word:
            what = f"the word '{clip(overflow.word, 60)}' is broken to fit its box (no hyphenation point there)"
        else:
            what = f"'{clip(overflow.text, 60)}' runs {overflow.by:g} pt past the edge of its box"
        ctx.diags.add("HF1139", f"{path}, page {overflow.page}: {what}", span)
