"""One hash over every file a build reads, so a build with nothing changed can stop
before loading anything (parsing and resolving 10,000 files costs seconds).

Each file's content hash decides, never its mtime. Reading and hashing 11,500 files
still costs 0.65 s, so the hashes are remembered per file beside the file's stat
(mtime, ctime, size, inode), as git's index does: a file whose stat is unchanged is not read
again; a checkout that only resets mtimes costs one re-hash, not a rebuild."""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
import time
from pathlib import Path

from . import __version__
from .load.cache import CACHE_DIR
from .versions import content_version

WATCHED = ("foundry.toml", "schemas", "content", "themes", "translations")
MEMO = "file-hashes.json"
RACY = 2.0   # seconds: a file changed this recently may change again within its mtime's tick


def _files(root: Path) -> list[Path]:
    found = []
    for name in WATCHED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += files_under(path)
    return sorted(found)


def files_under(folder: Path) -> list[Path]:
    """Regular files below `folder`, hidden ones left out. os.walk learns each entry's
    type from the directory listing, where rglob + is_file costs a stat per file."""
    found = []
    for parent, _, names in os.walk(folder):
        found += [Path(parent, n) for n in names if not n.startswith(".")]
    return found


def source_fingerprint(root: Path, settings: str) -> str:
    """Changes when any input file, the git revision, foundry's version, the default
    theme or the build's settings (outputs, release…) change."""
    from .exporters.html.theme import default_theme_dir  # the theme shipped with foundry
    memo = _HashMemo(root / CACHE_DIR / MEMO)
    h = hashlib.sha256(f"{__version__}\0{settings}\0{content_version(root)}\0".encode())
    for base, files in ((root, _files(root)), (default_theme_dir(), sorted(files_under(default_theme_dir())))):
        for path in files:
            digest = memo.sha256(path)
            if digest is not None:
                h.update(f"{path.relative_to(base).as_posix()}\0{digest}".encode())
    memo.save()
    return h.hexdigest()


class _HashMemo:
    """path → (stat, sha256) from the last run. Safe to delete; unreadable means empty."""

    def __init__(self, path: Path):
        self.path, self.changed, self.now = path, False, time.time()
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        self.known: dict[str, list] = known if isinstance(known, dict) else {}
        self.seen: dict[str, list] = {}

    def sha256(self, path: Path) -> str | None:
        """None for what is not a regular file (a broken symlink, a socket)."""
        try:
            st = path.stat()
        except OSError:
            return None
        if not stat_module.S_ISREG(st.st_mode):
            return None
        # ctime too: a tool that restores a file's mtime after changing it (touch -r,
        # rsync -t) cannot restore its ctime.
        stat = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        key = str(path)
        old = self.known.get(key)
        if isinstance(old, list) and len(old) == 5 and old[:4] == stat and isinstance(old[4], str):
            self.seen[key] = old
            return old[4]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if self.now - st.st_mtime_ns / 1e9 > RACY:
            self.seen[key] = [*stat, digest]
        self.changed = True
        return digest

    def save(self) -> None:
        if not self.changed and len(self.seen) == len(self.known):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.seen, sort_keys=True, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # only a speed-up
