"""SOURCE_DATE_EPOCH: the one date a reproducible build may embed (the books' dates,
the modification times of what build/ holds), read in one place.

The variable is "an ASCII integer, as `date +%s` prints it"; a malformed value should
stop the build (reproducible-builds.org). It was read in three places, each its own
way: `abc` or ` 17` was silently the same as unset, and a value past the year 9999
ended in "internal error (OverflowError)". The CLI now refuses a malformed value
before any command runs (`source_date_problem`), and every reader takes it from
`source_date`."""

from __future__ import annotations

import os
import re

NAME = "SOURCE_DATE_EPOCH"
# 9999-12-31T23:59:59Z: the last second every date the outputs carry can hold
LATEST = 253_402_300_799
# 2000-01-01T00:00:00Z: the date an output that must carry one (an EPUB's
# dcterms:modified, a PDF/X print edition's) carries when SOURCE_DATE_EPOCH is unset,
# never the clock's: two builds of the same files write the same bytes
FALLBACK = 946_684_800
_DIGITS = re.compile(r"[0-9]+")


def source_date_problem() -> str | None:
    """Why SOURCE_DATE_EPOCH cannot be used, or None (unset or empty counts as unset)."""
    value = os.environ.get(NAME, "")
    if value == "":
        return None
    if not _DIGITS.fullmatch(value):
        shown = value if len(value) <= 40 and value.isprintable() else repr(value[:40])
        return (f"{NAME} must be a whole number of seconds since 1970 (as `date +%s` prints it), "
                f"not '{shown}'; or unset it")
    if len(value) > 12 or int(value) > LATEST:   # (no int() of thousands of digits)
        return f"{NAME} {value[:20]}{'…' if len(value) > 20 else ''} is after the year 9999: no output can carry that date"
    return None


def source_date() -> int | None:
    """SOURCE_DATE_EPOCH as seconds, or None when it is unset, empty or not usable
    (which the CLI refuses before a build starts)."""
    value = os.environ.get(NAME, "")
    return int(value) if value and source_date_problem() is None else None
