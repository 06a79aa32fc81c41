"""What git's answers to a build stand on, as file stats: `signature(root)`.

Every page shows git's answers (each footer the commit that last changed what it
shows, the credits who wrote what, under the names `.mailmap` gives them). They change
only when git writes one of a few files: HEAD, the ref it names, packed-refs, the tags'
folders, the shallow file (a fetch that deepens the clone), the work tree's `.mailmap`,
the repository's config (`mailmap.file`, `log.*`), its grafts and replace refs. Their
stats are taken with no git process: `foundry serve` compares them on its idle ticks
(serve/revision.py) and its resident engine keeps the history it read under them
(engine/resident.py `history`).
"""

from __future__ import annotations

import os
from pathlib import Path

from .command import find_repository

Signature = tuple[tuple[str, tuple[int, ...] | None], ...]


def _stat(path: Path) -> tuple[int, ...] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _common(git_dir: Path) -> Path:
    """The folder holding the refs: a worktree's `commondir` names it, else git_dir."""
    try:
        line = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return git_dir / line if line else git_dir


def signature(root: Path) -> Signature:
    """The stats of the files git writes when HEAD, a tag, the clone's depth, the work
    tree's .mailmap or the repository's settings change; () outside a repository."""
    repo = find_repository(root)
    if repo is None:
        return ()
    common = _common(repo.git_dir)
    paths = [repo.git_dir / "HEAD", common / "packed-refs", common / "shallow", repo.work_tree / ".mailmap",
             common / "config", repo.git_dir / "config.worktree", common / "info" / "grafts"]
    try:
        head = (repo.git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    if head.startswith("ref: refs/") and ".." not in head:
        paths.append(common / head[len("ref: "):])   # the branch's own file: a commit moves it
    # git writes a ref as a lock file renamed over it: the folder holding it changes with
    # each tag (or replace ref) made, moved or deleted (in folders too: `release/v2`), so
    # folders suffice
    for refs in ("tags", "replace"):
        paths += [Path(folder) for folder, _, _ in os.walk(common / "refs" / refs)]
    return tuple((str(path), _stat(path)) for path in paths)
