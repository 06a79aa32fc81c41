"""A pull request can commit what the writer itself uses beside build/: build/ as a
link of the shape the symlink flip makes (`.foundry-builds/../..`), `.foundry-builds`
as a link out, staging folders, an old tree. None of it is written through, read,
published or deleted outside the project; the build replaces the leftovers with its
own output, with renameat2 and with the symlink flip alike, and refuses (HF0126) to
replace a build/ it did not make until it is moved out of the way."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pipeline.write import staging as writer
from pipeline.engine.builder import build
from pipeline.diagnostics import Diagnostics

MARK = "committed-by-the-pull-request"


def _outside(tmp_path: Path) -> Path:
    victim = tmp_path / "victim"
    (victim / "site").mkdir(parents=True)
    (victim / "site/index.html").write_text(MARK)
    (victim / "precious.txt").write_text("keep me\n")
    return victim


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _commit_all(root: Path) -> None:
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A", "-f"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "pull request"], check=True)


def _links_out(root: Path, victim: Path) -> None:
    """build/ pointing out through `..` in the flip's own prefix."""
    rel = os.path.relpath(victim, root)
    os.symlink(f"{writer.VERSIONS}/../{rel}", root / "build")


def _versions_out(root: Path, victim: Path) -> None:
    """`.foundry-builds` itself a link out, and build/ a well-formed link into it."""
    os.symlink(victim.parent, root / writer.VERSIONS)
    os.symlink(f"{writer.VERSIONS}/victim", root / "build")


def _leftovers_out(root: Path, victim: Path) -> None:
    """staging, link and old-tree names as links out, and a committed old tree."""
    os.symlink(victim, root / f"{writer.STAGING}-1-deadbeef")
    os.symlink(victim, root / f"{writer.LINK}x")
    (root / writer.OLD / "site").mkdir(parents=True)
    (root / writer.OLD / "site/index.html").write_text(MARK)


def _versioned_folder(root: Path, victim: Path) -> None:
    """a committed `.foundry-builds/x` holding a page, build/ a link to it, and an entry
    in it that links out."""
    (root / writer.VERSIONS / "x/site").mkdir(parents=True)
    (root / writer.VERSIONS / "x/site/index.html").write_text(MARK)
    os.symlink(victim, root / writer.VERSIONS / "y")
    os.symlink(f"{writer.VERSIONS}/x", root / "build")


# the plants that put something at build/ itself, which a build never replaces unasked
AT_BUILD = (_links_out, _versions_out, _versioned_folder)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "symlink-flip"])
@pytest.mark.parametrize("plant", [_links_out, _versions_out, _leftovers_out, _versioned_folder])
def test_committed_writer_leftovers_never_touch_anything_outside(project_factory, tmp_path, monkeypatch,
                                                                 plant, exchange):
    if not exchange:
        monkeypatch.setattr(writer, "exchange", lambda a, b: False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    victim = _outside(tmp_path)
    before = _snapshot(victim)
    root = project_factory()
    plant(root, victim)
    _commit_all(root)
    if plant in AT_BUILD:
        # build/ is a link foundry did not make (or one to a folder without a build
        # state): refused at build, nothing written or deleted anywhere (write/ownership.py)
        link = os.readlink(root / "build")
        diags = Diagnostics()
        assert not build(root, diags, ["json", "html"], workers=1).ok
        assert [(d.code, d.span.path) for d in diags.errors] == [("HF0126", "build")]
        assert os.readlink(root / "build") == link and _snapshot(victim) == before
        os.unlink(root / "build")   # what its hint says: move it out of the way
    for _ in range(2):   # the second build starts from what the first left
        diags = Diagnostics()
        report = build(root, diags, ["json", "html"], workers=1)
        assert report.ok and not diags.errors, [d.message for d in diags.errors]
        assert _snapshot(victim) == before and sorted(p.name for p in victim.iterdir()) == ["precious.txt", "site"]
        page = (root / "build/site/index.html").read_text()
        assert MARK not in page and "<html" in page
        real = os.path.realpath(root / "build")
        assert real.startswith(os.path.realpath(root) + os.sep)
    assert not os.path.lexists(root / writer.OLD)
    assert [p.name for p in root.iterdir() if p.name.startswith((writer.STAGING, writer.LINK))] == []
    if os.path.lexists(root / writer.VERSIONS):
        assert not (root / writer.VERSIONS).is_symlink()
        assert all(not p.is_symlink() for p in (root / writer.VERSIONS).iterdir())
