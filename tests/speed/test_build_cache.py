"""The build state and caches are relocatable: a project moved or copied to another
folder (a CI cache restored on another runner) reuses them; a cache sealed with
another key is ignored (a full, correct rebuild) unless both machines share
FOUNDRY_SEAL_KEY; nothing in them names an absolute path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import ROOTS, foundry

OUTPUTS = "json,html"
KEY = "5e" * 32


def build(root: Path, home: Path, key: str | None = None) -> dict:
    """`foundry build --format json` as a runner whose home (and so seal key file) is `home`."""
    env = {"SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": str(home), "FOUNDRY_SEAL_KEY": key or ""}
    run = foundry("build", "--project", str(root), "--only", OUTPUTS, "--format", "json", env=env)
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    return run.json()["build"]


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """A project built once on "runner A" (its own key file), with the shared key and without."""
    base = tmp_path_factory.mktemp("cache")
    shared, private = base / "shared", base / "private"
    for root in (shared, private):
        shutil.copytree(ROOTS / "minimal", root)
    report = build(shared, base / "home-a", KEY)
    assert report["written"] and not report["reused"]
    build(private, base / "home-a")
    return base, shared, private, len(report["written"])


def test_nothing_in_the_state_or_the_caches_names_an_absolute_path(first):
    base, shared, private, _ = first
    for root in (shared, private):
        files = [p for folder in (root / "build/.foundry", root / ".foundry-cache") for p in folder.rglob("*")
                 if p.is_file()]
        assert len(files) >= 3
        for path in files:
            data = path.read_bytes()
            assert os.fsencode(str(root)) not in data and os.fsencode(str(base)) not in data, path
            assert os.fsencode(str(Path(__file__).resolve().parents[2])) not in data, path   # foundry's own folder


def test_a_moved_project_reuses_its_build_state_and_caches(first, tmp_path):
    base, shared, _, total = first
    moved = tmp_path / "elsewhere" / "project"
    moved.parent.mkdir()
    shutil.copytree(shared, moved, symlinks=True)   # new folder, new inodes: as a restored cache
    again = build(moved, base / "home-a", KEY)
    assert again["written"] == [] and again["reused"] == total
    # …and not only the no-op shortcut: one edit re-renders what read it, nothing else
    hero = next((moved / "content/heroes").glob("*.yaml"))
    hero.write_text(hero.read_text(encoding="utf-8").replace("name:", "# edited\nname:", 1), encoding="utf-8")
    edited = build(moved, base / "home-a", KEY)
    assert edited["written"] and edited["reused"] and len(edited["written"]) < total / 2
    assert edited["counts"]["parsed_from_cache"] > 0   # the parse cache moved along too
    os.rename(moved, tmp_path / "renamed")                 # a plain move: rename the folder
    assert build(tmp_path / "renamed", base / "home-a", KEY)["written"] == []


def test_another_runner_with_the_shared_key_reuses_the_cache(first, tmp_path):
    base, shared, _, total = first
    restored = tmp_path / "runner-b"
    shutil.copytree(shared, restored, symlinks=True)
    report = build(restored, tmp_path / "home-b", KEY)     # another machine: another key file, the same secret
    assert report["written"] == [] and report["reused"] == total


def test_another_runner_without_a_shared_key_rebuilds_everything(first, tmp_path):
    base, _, private, total = first
    restored = tmp_path / "runner-b"
    shutil.copytree(private, restored, symlinks=True)
    report = build(restored, tmp_path / "home-b")          # its own key: the restored seals do not verify
    assert len(report["written"]) == total and report["reused"] == 0
    assert report["counts"]["parsed_from_cache"] == 0


@pytest.mark.parametrize("key, words", [("abc", "must be hex digits"), ("ab" * 16, "at least 32")])
def test_a_weak_shared_key_is_a_usage_error(first, tmp_path, key, words):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "minimal", root)
    run = foundry("build", "--project", str(root), env={"FOUNDRY_SEAL_KEY": key})
    assert run.code == 2 and words in run.stderr, run.stderr
    assert key not in run.stderr or len(key) < 8   # a secret is not echoed
    assert not (root / "build").exists()
