"""Where a project starts: the nearest folder holding a foundry.toml.

Apart from load/project.py (which reads that file with pydantic's models) so that the
CLI finds the project, and a no-op build answers, without importing pydantic.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CONFIG_NAME = "foundry.toml"
# Everything of a project a build reads, below its root: the one list the no-op
# fingerprint (engine/sources.py), `foundry serve`'s watcher and git history read.
PROJECT_INPUTS = (CONFIG_NAME, "content", "schemas", "themes", "translations")


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a foundry.toml (a link
    counts: load_project then refuses one that leads outside)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        try:
            mode = os.lstat(folder / CONFIG_NAME).st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
            return folder
    return None
