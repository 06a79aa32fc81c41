"""One hash over every file a build reads, so a build with nothing changed can stop
before loading anything (reading and hashing 10,000 small files costs a fraction of a
second; parsing and resolving them costs seconds)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import __version__
from .versions import content_version

WATCHED = ("foundry.toml", "schemas", "content", "themes")


def _files(root: Path) -> list[Path]:
    found = []
    for name in WATCHED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(found)


def source_fingerprint(root: Path, settings: str) -> str:
    """Changes when any input file, the git revision, foundry's version, the default
    theme or the build's settings (outputs, release…) change."""
    from .exporters.html.theme import default_theme_dir  # the theme shipped with foundry
    h = hashlib.sha256(f"{__version__}\0{settings}\0{content_version(root)}\0".encode())
    for base, files in ((root, _files(root)), (default_theme_dir(), sorted(default_theme_dir().rglob("*")))):
        for path in files:
            if path.is_file():
                h.update(f"{path.relative_to(base).as_posix()}\0".encode())
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
