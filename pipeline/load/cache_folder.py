"""Where foundry keeps its caches in a project: `.foundry-cache/`, used only when it is
a real folder of the project. Apart from load/cache.py (SQLite), so that a no-op build,
which reads two small sealed memos there, does not import sqlite3."""

from __future__ import annotations

import os
import stat
from pathlib import Path

CACHE_DIR = ".foundry-cache"


def cache_folder(root: Path) -> Path | None:
    """root/.foundry-cache, made if missing; None when it is a link or not a folder
    (then nothing is cached: slower, still correct, and nothing written elsewhere)."""
    folder = root / CACHE_DIR
    try:
        # os.mkdir, not Path.mkdir(exist_ok=True): that stats what is there when it
        # exists, following a committed `.foundry-cache -> ~/elsewhere` out of the project
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return None
    except OSError:
        return None
    return folder
