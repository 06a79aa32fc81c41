"""Outputs carried into the next build are trusted by the stat recorded when they were
written (write/state.py OutputHashes, load/hash_memo.py): an unchanged output is not
read again, and a changed one is made again however its stat was dressed up."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.load.cache import CACHE_DIR
from pipeline.write.state import OUTPUT_MEMO
from support import REPO

OUTPUTS = ["json"]
HERO = "content/heroes/aria.yaml"
OUTPUT = "api/v1/heroes/aria.json"     # read by aria's own page only
OTHER = "content/heroes/kit.yaml"     # edited to make a build that is not a no-op


def run(root: Path):
    diags = Diagnostics()
    report = build(root, diags, OUTPUTS, workers=1)
    assert report.ok, [str(d.span) + " " + d.message for d in diags.errors]
    return report


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("outputs") / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks",
                                                              ".foundry-*", "__pycache__", "docs", "pipeline"))
    run(root)
    return root


@pytest.fixture
def world(built, tmp_path):
    """A copy of the built sample; its first build after an edit re-hashes every output
    (a copy has new inodes) and records their stats again."""
    root = tmp_path / "world"
    shutil.copytree(built, root, symlinks=True)
    edit(root, OTHER)
    run(root)
    return root


def edit(root: Path, rel: str) -> None:
    path = root / rel
    text = path.read_text()
    path.write_text(text + f"\n# edited {len(text)}\n")


class Opened:
    """Every file under build/ opened while active (the `open` audit event: os.open and
    open() both raise it). An audit hook cannot be removed, so it stays installed and
    listens only while a test holds it."""

    active: "Opened | None" = None
    installed = False

    def __init__(self, build_dir: Path):
        self.prefix = str(build_dir) + os.sep
        self.paths: list[str] = []
        if not Opened.installed:
            sys.addaudithook(_audit)
            Opened.installed = True

    def __enter__(self):
        Opened.active = self
        return self

    def __exit__(self, *exc):
        Opened.active = None


def _audit(event, args):
    watcher = Opened.active
    if watcher is not None and event == "open" and isinstance(args[0], (str, os.PathLike)):
        path = os.fspath(args[0])
        if path.startswith(watcher.prefix):
            watcher.paths.append(path[len(watcher.prefix):])


def test_unchanged_outputs_are_not_read_again(world):
    edit(world, OTHER)
    with Opened(world / "build") as opened:
        report = run(world)
    assert OUTPUT in report.reused and len(report.reused) > 20
    assert [p for p in opened.paths if not p.startswith(".foundry/")] == []


def test_an_output_changed_with_its_size_and_mtime_put_back_is_made_again(world):
    path = world / "build" / OUTPUT
    clean = path.read_bytes()
    before = path.stat()
    forged = clean.replace(b"Aria", b"Arya", 1)
    assert forged != clean and len(forged) == len(clean)
    path.write_bytes(forged)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))   # touch -r: only the ctime moved
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (before.st_size, before.st_mtime_ns, before.st_ino)
    edit(world, OTHER)
    report = run(world)
    assert OUTPUT in report.written
    assert path.read_bytes() == clean


def test_a_memo_not_sealed_by_this_user_is_not_trusted(world):
    """A pull request commits build/ with a changed output and a memo whose row names the
    stat of that very file: the row does not verify, so the file is read and made again."""
    path = world / "build" / OUTPUT
    clean = path.read_bytes()
    path.write_bytes(clean.replace(b"Aria", b"Arya", 1))
    st = path.stat()
    memo = world / CACHE_DIR / OUTPUT_MEMO
    rows = json.loads(seal.unseal(seal.key(world), OUTPUT_MEMO, memo.read_bytes()))
    rows[OUTPUT][:4] = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]   # the forged file's stat, the clean hash
    forged = json.dumps(rows).encode()
    memo.write_bytes(seal.seal(b"k" * 32, OUTPUT_MEMO, forged))   # sealed, but not with this user's key
    edit(world, OTHER)
    assert OUTPUT in run(world).written
    assert path.read_bytes() == clean


def test_a_no_op_build_reads_neither_the_state_nor_the_outputs(world):
    """The state's hash is remembered by its stat too: a no-op build reads the summary."""
    with Opened(world / "build") as opened:
        report = run(world)
    assert report.written == [] and len(report.reused) > 20
    assert opened.paths == [".foundry/summary.json"]


def test_a_state_changed_after_the_build_is_noticed_by_a_no_op_build(world):
    state = world / "build/.foundry/state.json"
    data = state.read_bytes()
    before = state.stat()
    state.write_bytes(data[:-2] + b" \n")   # damaged, same size, mtime put back: only the ctime moved
    os.utime(state, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = run(world)
    assert report.written   # not a no-op: the state is not the one the summary describes
