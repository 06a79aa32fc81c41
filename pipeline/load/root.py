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
# Folders at the root named as content/'s entity folders: never read as content, but a
# file in them that reads as an entity is said (resolve/strays.py `beside_content`: a
# story saved in `stories/` beside content/), so a check's answer depends on them too.
BESIDE_CONTENT = ("characters", "heroes", "quests", "stories", "templates")
# What a check's answer depends on, below the root: the no-op fingerprint and the
# checked snapshot cover these.
CHECK_INPUTS = PROJECT_INPUTS + BESIDE_CONTENT
# The files git opens by name in a project's work tree for foundry (git/command.py says
# when and why; load/hygiene.py names a special one at the root, HF0125): named here,
# below both, so the check's stage reads them without importing git's.
MAILMAP, IGNORES, ATTRIBUTES = ".mailmap", ".gitignore", ".gitattributes"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that holds a foundry.toml, whatever it
    is: a link (load_project then refuses one that leads outside), and a folder, FIFO
    or device in its place, which load_project says it cannot read (HF0205). Skipped,
    they made "no foundry.toml here … run `foundry init`" of a project whose
    foundry.toml was committed as a folder, or worked in a project above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        try:
            os.lstat(folder / CONFIG_NAME)
        except OSError:
            continue
        return folder
    return None


# roots_below's bounds: a repository's projects sit a folder or two down (`world/`,
# `games/coast/`); a command started in a home folder must not walk the whole disk.
BELOW_DEPTH, BELOW_FOLDERS = 3, 2_000


def roots_below(start: Path, most: int = 3) -> list[str]:
    """Up to `most` folders below `start` (paths relative to it, with `/`, sorted) that
    hold a foundry.toml: what a command started at a repository's top, where no
    foundry.toml is at or above (a pre-commit hook runs there), names for `--project`.
    At most BELOW_DEPTH folders deep and BELOW_FOLDERS folders read; hidden folders and
    node_modules are not entered, links to folders not followed. [] when none."""
    found: list[str] = []
    queue, read = [(start, 0)], 0
    while queue and read < BELOW_FOLDERS:
        folder, depth = queue.pop(0)
        read += 1
        try:
            with os.scandir(folder) as entries:
                subs = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False)
                              and not e.name.startswith(".") and e.name != "node_modules")
        except OSError:
            continue
        for name in subs:
            if os.path.lexists(folder / name / CONFIG_NAME):
                found.append((folder / name).relative_to(start).as_posix())
            elif depth + 1 < BELOW_DEPTH:
                queue.append((folder / name, depth + 1))
    return sorted(found)[:most]


def root_unreadable(root: Path) -> str | None:
    """Why the project's folder `root` (found when the command started) cannot be built
    now, as words that follow its path ("is gone: …"), or None when it can. `foundry
    serve` outlives what it was started in: a project folder deleted, renamed, made
    unreadable or replaced by a file under it logged "internal error" at every rebuild,
    or HF0713 with the hint to wait for another build."""
    try:
        mode = os.stat(root).st_mode
    except FileNotFoundError:
        return "is gone: it was deleted, or renamed, since foundry started"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if not stat.S_ISDIR(mode):
        return "is no longer a folder"
    try:
        with os.scandir(root):
            pass
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    return None
