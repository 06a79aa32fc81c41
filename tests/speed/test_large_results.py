"""A render's large result (a list's bytes, up to 48 MB at 10,000 heroes) is read from
its worker's pipe straight into one buffer of its size (render/pool.py `_recv_large`),
not by `Connection.recv_bytes` (a buffer of all that remains allocated per 64 KiB read,
into a growing BytesIO): the same bytes, the same end-of-pipe errors. So is a large
list's span log (up to 8.5 MB), after its bytes, not pickled with its result."""

from __future__ import annotations

import os
import shutil
import threading
from multiprocessing import Pipe
from multiprocessing.connection import Connection

import pytest

from pipeline.render import pool
from support import ROOTS

from engine_steps import edit, logged_world, output_bytes, run, same_as_clean


@pytest.mark.parametrize("size", [0, 1, 65_537, 3 * 1024 * 1024 + 7])
def test_a_large_result_is_read_whole_as_it_was_sent(size):
    mine, theirs = Pipe()
    data = os.urandom(size)
    # a thread sends: a message larger than the pipe's buffer waits for its reader
    sender = threading.Thread(target=theirs.send_bytes, args=(data,))
    sender.start()
    try:
        assert bytes(pool._recv_large(mine)) == data
    finally:
        sender.join()
        mine.close()
        theirs.close()


def test_a_worker_gone_before_or_within_its_bytes_is_an_error():
    """EOFError before the message (the builder reports the worker lost), OSError
    within it, as `recv_bytes` raised them."""
    mine, theirs = Pipe()
    theirs.close()
    with pytest.raises(EOFError):
        pool._recv_large(mine)
    mine.close()
    mine, theirs = Pipe()
    os.write(theirs.fileno(), (10).to_bytes(4, "big") + b"abc")   # 10 bytes promised, 3 sent
    theirs.close()
    with pytest.raises(OSError):
        pool._recv_large(mine)
    mine.close()


def test_a_pool_hands_the_builder_its_large_results_as_one_process_makes_them(tmp_path, monkeypatch):
    """Every result sent as a large one (its bytes apart): the builder reads each
    without `recv_bytes` and writes what a build in one process writes."""
    single, pooled = tmp_path / "single", tmp_path / "pooled"
    for root in (single, pooled):
        shutil.copytree(ROOTS / "minimal", root)
    assert run(single, ["json"], workers=1).ok
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", -1)   # the workers are forked with it: every result is large

    def refused(self, maxsize=None):
        raise AssertionError("a large result read by Connection.recv_bytes")
    monkeypatch.setattr(Connection, "recv_bytes", refused)
    taken = []   # the CLI builder lets go of each result before the next: read into reused memory
    take = pool._Buffers.take
    monkeypatch.setattr(pool._Buffers, "take", lambda self, slot, size: taken.append(size) or take(self, slot, size))
    report = run(pooled, ["json"], workers=2)
    assert report.counts["render_processes"] == 2
    assert len(taken) > 1
    assert output_bytes(pooled) == output_bytes(single)


def test_a_large_lists_span_log_comes_after_its_bytes_not_in_the_pickle(tmp_path, monkeypatch):
    """Every result large: each list's log comes apart (none in the pickled results),
    whole, for the next build to splice the lists from."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", -1)
    pickled: list[int] = []   # the size of each log the builder unpickled with a result
    recv = Connection.recv

    def noted(self):
        message = recv(self)
        if isinstance(message, tuple) and len(message) == 2 and message[0] in ("results", "large", "logged"):
            pickled.extend(len(result.log[1]) for result in message[1] if result.log)
        return message
    monkeypatch.setattr(Connection, "recv", noted)
    lists = ("api/v1/bundle.json", "api/v1/heroes.json", "api/v1/manifest.json")
    world = logged_world(tmp_path / "world", ["json"], lists, 2)
    assert pickled and not any(pickled), pickled
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    report = run(world, ["json"], 2)
    assert report.counts["render_processes"] > 0
    assert not [key for key in report.fragments if key.endswith((":aria", ":zed"))], report.fragments   # spliced
    same_as_clean(world, tmp_path, outputs=["json"])


def test_large_results_are_read_into_the_same_memory_and_a_result_held_past_the_next_is_refused():
    """render_all's `reuse` (the CLI builder's): each large result into one buffer, made
    again only for a larger one (each came in a fresh mapping, every page a fault);
    the view the last result was handed is released first, so a reader that kept it
    gets an error instead of the next result's bytes."""
    mine, theirs = Pipe()
    buffers = pool._Buffers()

    def received(data: bytes, slot: int = 0):
        # a thread sends: a message larger than the pipe's buffer waits for its reader
        sender = threading.Thread(target=theirs.send_bytes, args=(data,))
        sender.start()
        try:
            return pool._recv_large(mine, buffers, slot)
        finally:
            sender.join()
    first, second, third = os.urandom(300_000), os.urandom(200_000), os.urandom(400_000)
    try:
        got = received(first)
        assert bytes(got) == first
        memory = buffers._held[0][0]
        again = received(second)
        assert bytes(again) == second and buffers._held[0][0] is memory   # the same memory
        with pytest.raises(ValueError):
            bytes(got)   # released: never the second result's bytes
        larger = received(third)
        assert bytes(larger) == third and buffers._held[0][0] is not memory
        with pytest.raises(ValueError):
            len(again)
        log = received(first, 1)   # a span log: its own buffer, the result's bytes left as they are
        assert bytes(log) == first and bytes(larger) == third
    finally:
        mine.close()
        theirs.close()


def test_a_resident_engines_large_results_stay_its_own_until_its_writer_commits(tmp_path, monkeypatch):
    """`foundry serve` writes build/ in place at the end of a save (write/in_place.py
    keeps each result's bytes until its commit): its pool hands it every large result
    in memory of its own, never one the next result is read into."""
    from engine_steps import save
    from pipeline.engine.resident import Resident
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", -1)   # every result large
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, ["json"])
    assert save(engine).counts["render_processes"] > 0   # every output, in forked workers
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 130")
    assert len(save(engine).written) > 1
    same_as_clean(world, tmp_path, outputs=["json"])
