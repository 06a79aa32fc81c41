"""Shared by the foundation and hero tests: project roots on disk, the real CLI run
in-process, and byte-exact snapshots of a folder."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import cli
from support import ROOTS


def copy_root(name: str, dest: Path) -> Path:
    """A copy of tests/roots/NAME to work in (symlinks stay symlinks: one root is about them)."""
    target = dest / name
    shutil.copytree(ROOTS / name, target, symlinks=True)
    return target


def invoke(*args: str, env: dict | None = None) -> Result:
    """The `foundry` command's own code (pipeline.cli.cli), run in this process: the
    same path as the console script without a Python start-up per call."""
    return CliRunner().invoke(cli, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=False)


def located(payload: dict) -> list[str]:
    """`CODE path:line:col` for each diagnostic of a `--format json` payload, in its order."""
    return [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in payload["diagnostics"]]


CACHE_DIR = ".foundry-cache"  # foundry's own parse cache (gitignored): not an output


def snapshot(root: Path, skip_cache: bool = True) -> dict[str, str]:
    """Every path under `root` → a digest of its bytes, its link target, or 'dir'."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if skip_cache and rel.split("/")[0] == CACHE_DIR:
            continue
        if path.is_symlink():
            out[rel] = "link:" + os.readlink(path)
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def line_of(root: Path, rel: str, line: int) -> str:
    return (root / rel).read_text(encoding="utf-8").splitlines()[line - 1]
