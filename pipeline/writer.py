"""Writing build/ as one transaction: everything goes into a staging folder beside it,
then two renames swap it in. A build that fails before the swap leaves the previous
build/ exactly as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

STAGING = ".foundry-staging"
OLD = ".foundry-old"


class Staging:
    def __init__(self, root: Path, build_dir: Path):
        self.root, self.build_dir = root, build_dir
        self.dir = root / STAGING
        self.old = root / OLD
        _recover(build_dir, self.old)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self._made: set[Path] = {self.dir}   # folders already created: 20,000 mkdir calls cost seconds

    def write(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        self._folder(target.parent)
        target.write_bytes(data)
        _stamp(target)

    def keep(self, rel: str) -> None:
        """Carry an unchanged artifact over from the previous build (hard link if possible)."""
        source, target = self.build_dir / rel, self._target(rel)
        self._folder(target.parent)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    def commit(self) -> None:
        if self.build_dir.exists():
            os.replace(self.build_dir, self.old)
        os.replace(self.dir, self.build_dir)
        shutil.rmtree(self.old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def _folder(self, folder: Path) -> None:
        if folder not in self._made:
            folder.mkdir(parents=True, exist_ok=True)
            self._made.add(folder)

    def _target(self, rel: str) -> Path:
        # Lexical, not resolve(): the staging folder is ours and freshly made, so it holds
        # no symlinks, and an artifact path can never escape build/.
        clean = os.path.normpath(rel)
        if os.path.isabs(clean) or clean == ".." or clean.startswith(".." + os.sep) or clean == ".":
            raise ValueError(f"artifact path leaves the build: {rel!r}")
        return self.dir / clean


def _recover(build_dir: Path, old: Path) -> None:
    """A crash between the two renames leaves only the old build: put it back."""
    if old.exists() and not build_dir.exists():
        os.replace(old, build_dir)
    shutil.rmtree(old, ignore_errors=True)


def _stamp(path: Path) -> None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        os.utime(path, (int(epoch), int(epoch)))
