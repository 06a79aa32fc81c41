"""A cold `foundry check` reads each input file once (engine/checked.py `digest_after`):
with no memo to replay, the digest a later check replays by is made after the check,
from the sha256 the load took of the bytes it read, each trusted only while the file's
stat is the one taken before the read, and settled then (load/hash_memo.py
`HashMemo.taken`). These tests would fail if a stale hash were kept: the next check
would replay findings of bytes the files no longer hold."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import time

import pytest

from pipeline import seal
from pipeline.engine import checked
from pipeline.load import hash_memo
from pipeline.load.cache import CACHE_DIR
from pipeline.load.hash_memo import RACY, HashMemo, file_stat
from engine_steps import cli_check
from support import write_project


def _cli_check(root) -> tuple[list, int]:
    """(every field of every diagnostic, in order; how many times the check really ran)."""
    found, _, ran = cli_check(root)
    return found, ran


def _as_large(monkeypatch) -> None:
    """The sample project taken for a large one, whose cold check forks its digest
    (`DigestBehind`). A `foundry check` process has no other thread when it decides;
    this test process may (an earlier test's in-process render leaves budget.py's
    watchdog running, and the suite runs many files in one process), which would send
    the digest to the in-process path and make these tests depend on their order."""
    monkeypatch.setattr(checked, "BEHIND_MIN_NAMES", 0)
    monkeypatch.setattr(checked.threading, "active_count", lambda: 1)


def test_a_cold_check_hashes_what_it_read_and_the_next_check_replays_by_it(tmp_path, monkeypatch):
    root = write_project(tmp_path / "world")
    time.sleep(RACY + 0.1)   # every file settled: the load's hashes can be trusted by their stat
    hero = root / "content/heroes/first-hero.yaml"
    read_again: list[str] = []
    real_read = hash_memo.read_resolved

    def reading(path, *args, **kwargs):
        read_again.append(os.fspath(path))
        return real_read(path, *args, **kwargs)
    monkeypatch.setattr(hash_memo, "read_resolved", reading)
    first = _cli_check(root)
    assert first[1] == 1 and (root / CACHE_DIR / checked.MEMO).exists()
    content = [p for p in read_again if "/content/" in p]
    assert not content, f"the digest read again what the check had read: {content[:3]}"

    # the memo rows hold the files' true hashes, and the digest is the one a check makes first
    rows = json.loads(seal.unseal(seal.key(root), "file-hashes.json",
                                  (root / CACHE_DIR / "file-hashes.json").read_bytes()))
    assert rows["project:content/heroes/first-hero.yaml"][4] == hashlib.sha256(hero.read_bytes()).hexdigest()
    assert checked.replayed(root, checked.inputs_digest(root, False)[0]) is not None
    assert _cli_check(root) == (first[0], 0)

    hero.write_text(hero.read_text(encoding="utf-8") + "mystery: 1\n", encoding="utf-8")   # HF0202 now
    edited = _cli_check(root)
    assert edited[1] == 1 and "HF0202" in {code for _, code, *_ in edited[0]}


def test_a_cold_checks_digest_stats_each_file_it_read_once(tmp_path, monkeypatch):
    """The digest lists and stats every input (engine/sources.py `_stats`); a file the
    load read is trusted by that stat, not stat'ed once more to be compared (11,000
    lstats of a cold check at 10,000 heroes). The memo is still the one a check replays."""
    root = write_project(tmp_path / "world")
    time.sleep(RACY + 0.1)
    stated: list[str] = []
    real_stat, real_digest = hash_memo.file_stat, checked.digest_after

    def digest(*args, **kwargs):
        monkeypatch.setattr(hash_memo, "file_stat", lambda path: stated.append(os.fspath(path)) or real_stat(path))
        try:
            return real_digest(*args, **kwargs)
        finally:
            monkeypatch.setattr(hash_memo, "file_stat", real_stat)
    monkeypatch.setattr(checked, "digest_after", digest)
    first = _cli_check(root)
    assert first[1] == 1 and (root / CACHE_DIR / checked.MEMO).exists()
    assert not [p for p in stated if "/content/" in p], stated[:3]
    assert _cli_check(root) == (first[0], 0)


def test_a_file_written_during_a_cold_check_leaves_no_memo(tmp_path):
    """Its stat moved after the snapshot: what the check read may be either version."""
    root = write_project(tmp_path / "world")
    time.sleep(RACY + 0.1)
    hero = root / "content/heroes/first-hero.yaml"
    cli_check(root, during=lambda: hero.write_text(hero.read_text(encoding="utf-8") + "mystery: 1\n",
                                                   encoding="utf-8"))
    assert not (root / CACHE_DIR / checked.MEMO).exists()
    run = _cli_check(root)
    assert run[1] == 1 and "HF0202" in {code for _, code, *_ in run[0]}


@pytest.mark.parametrize("behind", [False, True], ids=["here", "forked"])
def test_a_file_written_while_the_digest_is_made_leaves_no_memo(tmp_path, monkeypatch, behind):
    """The digest of a cold check is made after its load: a file saved after the check
    read it (here, as the digest starts, in this process or in the forked one of a
    large project) must not be hashed into a memo of findings about the bytes before,
    or the next check would replay them."""
    if behind:
        _as_large(monkeypatch)
    root = write_project(tmp_path / "world")
    time.sleep(RACY + 0.1)
    hero = root / "content/heroes/first-hero.yaml"
    real = checked._digest_taken   # the digest, whichever process makes it

    def saving_first(*args, **kwargs):
        hero.write_text(hero.read_text(encoding="utf-8") + "mystery: 1\n", encoding="utf-8")
        return real(*args, **kwargs)
    monkeypatch.setattr(checked, "_digest_taken", saving_first)
    assert "HF0202" not in {code for _, code, *_ in _cli_check(root)[0]}
    assert not (root / CACHE_DIR / checked.MEMO).exists()
    monkeypatch.setattr(checked, "_digest_taken", real)
    run = _cli_check(root)
    assert run[1] == 1 and "HF0202" in {code for _, code, *_ in run[0]}


def test_a_large_projects_cold_check_makes_its_digest_beside_the_later_checks(tmp_path, monkeypatch):
    """At 10,000 heroes the digest (~0.2 CPU-s) is made in a process forked before the
    load, once the load hands it its hashes, while this one plans the outputs and saves
    the parse cache (engine/checked.py `DigestBehind`), not alone at the end with the
    second core idle. It is the same digest: the next check replays by it."""
    _as_large(monkeypatch)
    root = write_project(tmp_path / "world")
    (root / "content/heroes/first-hero.yaml").write_text("name: [\n", encoding="utf-8")   # a finding to replay
    time.sleep(RACY + 0.1)
    made_in = tmp_path / "made-in"
    real = checked._digest_taken

    def noted(*args, **kwargs):
        with open(made_in, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)
    monkeypatch.setattr(checked, "_digest_taken", noted)
    first = _cli_check(root)
    assert first[1] == 1 and first[0], "the check ran and found the broken hero"
    assert [int(pid) for pid in made_in.read_text().split()] != [os.getpid()]
    assert len(made_in.read_text().split()) == 1, "made once, in the other process"
    monkeypatch.setattr(checked, "_digest_taken", real)
    assert checked.replayed(root, checked.inputs_digest(root, False)[0]) is not None
    assert _cli_check(root) == (first[0], 0)


def test_a_digest_process_that_fails_leaves_the_digest_to_the_check(tmp_path, monkeypatch, capfd):
    """A forked digest that dies (killed, out of memory) or fails says nothing on the
    terminal; the check makes the digest itself, and its memo is replayed as ever."""
    _as_large(monkeypatch)
    root = write_project(tmp_path / "world")
    time.sleep(RACY + 0.1)
    parent, real = os.getpid(), checked._digest_taken
    for failure in ("killed", "raised"):
        def failing(*args, **kwargs):
            if os.getpid() != parent:
                if failure == "killed":
                    os._exit(9)
                raise RuntimeError("the digest's process failed")
            return real(*args, **kwargs)
        monkeypatch.setattr(checked, "_digest_taken", failing)
        (root / CACHE_DIR / checked.MEMO).unlink(missing_ok=True)
        first = _cli_check(root)
        assert first[1] == 1 and (root / CACHE_DIR / checked.MEMO).exists(), failure
        assert "RuntimeError" not in capfd.readouterr().err
        assert checked.replayed(root, checked.inputs_digest(root, False)[0]) is not None, failure
        assert _cli_check(root) == (first[0], 0)


def test_a_check_whose_load_keeps_no_memo_makes_no_digest(tmp_path, monkeypatch):
    """A portrait the load could not read (HF0306) keeps the check from being
    remembered (`keepable`): the forked process is not handed the hashes, so no digest
    is made for nothing, and none is left running."""
    _as_large(monkeypatch)
    root = write_project(tmp_path / "world")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: ../../art/missing.png\n", encoding="utf-8")
    time.sleep(RACY + 0.1)
    made_in = tmp_path / "made-in"
    real = checked._digest_taken

    def noted(*args, **kwargs):
        made_in.write_text(f"{os.getpid()}\n", encoding="utf-8")
        return real(*args, **kwargs)
    monkeypatch.setattr(checked, "_digest_taken", noted)
    found = _cli_check(root)
    assert "HF0306" in {code for _, code, *_ in found[0]}
    assert not made_in.exists() and not (root / CACHE_DIR / checked.MEMO).exists()
    assert not multiprocessing.active_children()


def test_a_hash_taken_is_trusted_only_under_its_settled_stat(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "f.txt").write_bytes(b"now")
    path = root / "f.txt"
    true = hashlib.sha256(b"now").hexdigest()
    stale = hashlib.sha256(b"before").hexdigest()
    stat = file_stat(path)
    memo = HashMemo(root, "test-hashes.json")
    # taken just now: the file may still change within its timestamps' tick: read instead
    assert memo.taken(path, "k", stale, stat, time.time()) == true
    # settled when taken, but the stat has moved since: read instead
    other = [stat[0], stat[1] - 1, stat[2], stat[3]]
    assert memo.taken(path, "k", stale, other, time.time() + 10 * RACY) == true
    # settled and unchanged: the caller's hash of the bytes it read is the file's
    assert memo.taken(path, "k", true, stat, time.time() + 10 * RACY) == true
    assert memo.seen["k"] == [*stat, true]
