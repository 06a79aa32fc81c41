"""A forked worker whose render read exactly the keys the last build's record of its
path read sends that record's digest instead of its reads, and the builder records
the last record's reads (render/pool.py `_as_last`, `_restored`): after one hero
edit at 10,000 heroes every list reads what it read before, 10,000-23,000 keys each,
once pickled, unpickled, interned, sorted and digested in the builder.

Judged by what the build leaves: the records of its state (reads, digest, output)
are those a clean build of the same sources records, when the reads were the last
ones (a value edit) and when they were not (a hero added), and build/ is a clean
build's; and by what the parent received (its `_restored` spied on: the results
that came without their reads)."""

from __future__ import annotations

import shutil

from engine_steps import edit, logged_world, run, same_as_clean

from pipeline.render import pool
from pipeline.write.state import read_state

LISTS = ("api/v1/bundle.json", "api/v1/heroes.json", "site/index.html", "site/heroes/index.html")
OUTPUTS = ["json", "html"]


def _records(world) -> dict[str, tuple]:
    """Each artifact's record as the state in world/build says: (exporter, reads, digest, output)."""
    state = read_state(world / "build")
    assert state.artifacts, "no state read: not sealed, or not written"
    return {path: (r.exporter, r.reads, r.digest, r.output) for path, r in state.artifacts.items()}


def _clean_records(world, tmp_path, name):
    twin = tmp_path / name
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache", ".foundry-builds"))
    run(twin, OUTPUTS)
    return _records(twin)


def _spied(monkeypatch) -> dict[str, bool]:
    """Each result the parent received, by path → whether it came without its reads."""
    received: dict[str, bool] = {}
    restored = pool._restored

    def spy(result, previous):
        received[result.path] = bool(result.last_digest)
        if result.last_digest:
            assert not result.reads   # sent without them
        return restored(result, previous)
    monkeypatch.setattr(pool, "_restored", spy)
    return received


def test_a_list_that_read_what_it_read_last_time_comes_back_without_its_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = logged_world(tmp_path / "world", OUTPUTS, LISTS, workers=2)
    received = _spied(monkeypatch)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    report = run(world, OUTPUTS, 2)
    assert report.counts["render_processes"] > 0
    for path in LISTS:
        assert received.get(path) is True, (path, received)
    records = _records(world)
    clean = _clean_records(world, tmp_path, "twin")
    assert records == clean
    # the record keeps the last record's very reads, not a copy of its own
    for path in LISTS:
        assert len(records[path][1]) > 3
    same_as_clean(world, tmp_path, "twin2", outputs=OUTPUTS)


def test_a_render_that_read_other_keys_sends_them(tmp_path, monkeypatch):
    """A hero added: every list reads her too, so each sends its reads, and the state
    records them as a clean build does."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = logged_world(tmp_path / "world", OUTPUTS, LISTS, workers=2)
    received = _spied(monkeypatch)
    mara = (world / "content/heroes/mara.yaml").read_text()
    (world / "content/heroes/nell.yaml").write_text(mara.replace("Mara Stone", "Nell Ashby"))
    run(world, OUTPUTS, 2)
    for path in LISTS:
        assert received.get(path) is False, (path, received)
    records = _records(world)
    assert any("hero:nell" in reads for _, reads, _, _ in records.values())
    assert records == _clean_records(world, tmp_path, "twin")
    same_as_clean(world, tmp_path, "twin2", outputs=OUTPUTS)
