"""Outputs carried into the next build are trusted by the stat recorded when they were
written (write/state.py OutputHashes, load/hash_memo.py): an unchanged output is not
read again, and a changed one is made again however its stat was dressed up. A no-op
build trusts the inputs' stats as one row and the output folders' stats the same way."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

import pipeline.engine.sources as sources_module
import pipeline.write.state as state_module
from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.engine.sources import STAT_MEMO
from pipeline.load.cache import CACHE_DIR
from pipeline.load.hash_memo import HashMemo
from pipeline.write.state import OUTPUT_MEMO, STATE_FILE
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
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks", ".hypothesis", ".pytest_cache",
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
    """One more xp: a value edit, which loads the World and checks each output it keeps
    (a comment is cut off before the load: engine/cutoff.py, engine/shown.py)."""
    path = root / rel
    text = path.read_text()
    path.write_text(re.sub(r"^xp: (\d+)$", lambda m: f"xp: {int(m[1]) + 1}", text, count=1, flags=re.M))


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
    # folders are opened (kept outputs are linked between folders held open): no kept
    # file is; the JSON API's lists made again are read, to be spliced (render/stored_spans.py):
    # those that show the edited hero's row or her file's hash
    read = [p for p in opened.paths if not p.startswith(".foundry/") and not (world / "build" / p).is_dir()]
    assert not set(read) & set(report.reused)
    assert set(read) <= {"api/v1/bundle.json", "api/v1/manifest.json", "api/v1/heroes.json"} <= set(report.written)


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


def test_after_an_edit_only_what_is_made_again_is_digested(world, monkeypatch):
    """A kept output and a reused list row are fresh when no key they read changed since
    the last build (its state records those keys' hashes, and the rows it used): no
    digest over their reads. Only the outputs and rows made again get one."""
    import pipeline.engine.builder as builder_module
    import pipeline.render.fragments as fragments_module
    digested: list[tuple[str, ...]] = []
    for module in (builder_module, state_module, fragments_module):
        real = module.digest
        monkeypatch.setattr(module, "digest", lambda keys, hashes, real=real: digested.append(keys) or real(keys, hashes))
    edit(world, OTHER)
    report = run(world)
    assert OUTPUT in report.reused and "api/v1/bundle.json" in report.written and report.fragments
    # (the JSON API's published copies take their original's record: Planned.copy_of)
    originals = [path for path in report.written if not path.startswith("site/api/")]
    assert len(originals) < len(report.written)
    assert len(digested) == len(originals) + len(report.fragments)
    # the rows are trusted only beside the state they were kept with (its seal line):
    # kept for another (a build that stopped, `foundry serve`'s), each row is digested
    from pipeline.load.cache import ParseCache
    cache = ParseCache(world, "builds")
    kept = cache.get(state_module.ROWS_KEY)
    cache.put(state_module.ROWS_KEY, {**kept, "state": "hf-seal1 " + "0" * 64})
    cache.save(prune=False)
    # and the lists' span logs gone, so that the lists ask for their rows (a spliced list
    # asks only for its changed ones, render/stored_spans.py)
    fragments = ParseCache(world, "fragments")
    fragments.db.execute("DELETE FROM fragments WHERE key LIKE '%|spans:%'")
    fragments.db.commit()
    digested.clear()
    edit(world, OTHER)
    again = run(world)
    assert len(digested) > len(again.written) + len(again.fragments)


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


class _Later:
    """time as engine/sources.py sees it: ten seconds on, so the files this test just
    copied count as settled (older than hash_memo.RACY) and their stats may be kept."""

    @staticmethod
    def time() -> float:
        return time.time() + 10


def test_a_no_op_build_reads_one_row_for_the_inputs_and_lists_no_folder(world, monkeypatch):
    """The inputs' stats vouch for their hashes as one row (file-stats.json) and the
    folders' stats for the outputs (state-hash.json); an input or output changed with
    its size and mtime put back still moves a ctime, and the build is not a no-op."""
    monkeypatch.setattr(sources_module, "time", _Later)
    run(world)   # nothing changed: the inputs are hashed by their rows once more, and the pair is kept
    asked, listed = [], []
    row, present = HashMemo.sha256, state_module._present
    monkeypatch.setattr(HashMemo, "sha256", lambda self, path, key, **kw: asked.append(key) or row(self, path, key, **kw))
    monkeypatch.setattr(state_module, "_present", lambda *args: listed.append(args) or present(*args))
    report = run(world)
    assert report.written == [] and OUTPUT in report.reused
    assert asked == [STATE_FILE] and listed == []   # the state's own row; no input's, no folder listed
    # an output removed, its folder's mtime put back: the folder's ctime moved, so it is listed
    path = world / "build" / OUTPUT
    clean, folder = path.read_bytes(), path.parent.stat()
    path.unlink()
    os.utime(path.parent, ns=(folder.st_atime_ns, folder.st_mtime_ns))
    assert OUTPUT in run(world).written and path.read_bytes() == clean
    # an input changed in place, same size, mtime put back: its ctime moved
    hero = world / HERO
    text, before = hero.read_bytes(), hero.stat()
    hero.write_bytes(text.replace(b"Aria Vell", b"Arya Vell", 1))
    os.utime(hero, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert OUTPUT in run(world).written and b"Arya Vell" in path.read_bytes()


def test_an_output_replaced_as_a_checkout_replaces_it_is_made_again_by_a_no_op_build(world, monkeypatch):
    """git checkout, tar and rsync replace a file (unlink or rename, then create): its
    folder's stat moves while every output is still there. A no-op build took that for
    a folder to vouch for again by listing it and kept the forged page (attack7a)."""
    monkeypatch.setattr(sources_module, "time", _Later)
    run(world)
    path = world / "build" / OUTPUT
    clean = path.read_bytes()
    path.unlink()
    path.write_bytes(clean.replace(b"Aria", b"Arya", 1))
    report = run(world)
    assert OUTPUT in report.written and path.read_bytes() == clean


def test_an_input_stat_memo_not_sealed_by_this_user_is_not_trusted(world, monkeypatch):
    """A pull request commits a file-stats.json that pairs the edited inputs' stats with
    the hashes of the inputs before the edit: it does not verify, so the inputs are
    hashed and the edit is built."""
    monkeypatch.setattr(sources_module, "time", _Later)
    run(world)
    memo = world / CACHE_DIR / STAT_MEMO
    before = json.loads(seal.unseal(seal.key(world), STAT_MEMO, memo.read_bytes()))
    edit(world, HERO)
    kept = []
    monkeypatch.setattr(sources_module, "keep", lambda root, name, key, value: kept.append(key))
    sources_module.source_fingerprint(world, "probe")   # the edited inputs' stat digest (not kept)
    forged = json.dumps({"key": kept[0], "value": before["value"]}).encode()
    memo.write_bytes(seal.seal(b"k" * 32, STAT_MEMO, forged))   # sealed, but not with this user's key
    # the edit (a comment) is seen: the manifest, which shows aria's file's hash, is made again
    assert "api/v1/manifest.json" in run(world).written
