"""A one-line progress display for builds that take more than a moment.

Silent when stderr is not a terminal, when CI is set (logs are not terminals, and
carriage returns make them unreadable), or with --quiet.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY = 0.5   # quick builds show nothing at all


class TerminalProgress:
    def __init__(self, stream: TextIO = sys.stderr, label: str = "Rendering"):
        self.stream, self.label = stream, label
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.start < DELAY and done < total:
            return
        width = 24
        filled = width * done // max(total, 1)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        self.shown = True
        if done >= total:
            self.stream.write("\r\x1b[2K")
        self.stream.flush()


def progress_for(quiet: bool, stream: TextIO = sys.stderr) -> TerminalProgress | None:
    if quiet or os.environ.get("CI") or not getattr(stream, "isatty", lambda: False)():
        return None
    return TerminalProgress(stream)
