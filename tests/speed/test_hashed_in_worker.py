"""A forked render worker sends the sha256 of what it rendered with it (render/pool.py
Result.sha256), and the builder records that instead of hashing the bytes again: it
takes the results one at a time, and after one hero edit at 10,000 heroes it hashed
110 MB of lists while the other worker's finished list waited in its pipe
(docs/performance.md edit31).

Judged by the builder's own process (hashlib.sha256 as builder.py calls it, spied on
in this process only: never handed a result a worker sent) and by what the build
leaves: each result's hash is its bytes', the records' output hashes and build/ are
a clean build's, after a clean build and after a value edit."""

from __future__ import annotations

import hashlib
import shutil
import types

from engine_steps import edit, output_bytes, run

from pipeline.engine import builder
from pipeline.render import pool
from pipeline.write.state import read_state

from test_incremental import built_sample, copy_sample

OUTPUTS = ["json", "html"]


def _spied(monkeypatch) -> tuple[list, list]:
    """(each result the builder received from a worker, each buffer builder.py hashed)."""
    received: list = []
    hashed: list = []
    receive = pool._Worker.receive

    def spy(self, *args, **kwargs):
        results = receive(self, *args, **kwargs)
        received.extend(results)
        return results
    monkeypatch.setattr(pool._Worker, "receive", spy)

    def sha256(data=b"", **kwargs):
        hashed.append(data)
        return hashlib.sha256(data, **kwargs)
    monkeypatch.setattr(builder, "hashlib", types.SimpleNamespace(sha256=sha256))
    return received, hashed


def _outputs(world) -> dict[str, str]:
    return {path: record.output for path, record in read_state(world / "build").artifacts.items()}


def test_the_builder_records_the_workers_hash_of_each_result_and_hashes_none(tmp_path, tmp_path_factory, monkeypatch):
    clean = built_sample(tmp_path_factory)[0]   # the sample's clean build in one process, shared with other files
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = copy_sample(tmp_path / "world")
    received, hashed = _spied(monkeypatch)
    for step in ("clean", "edit"):
        if step == "edit":
            edit(world, "content/heroes/aria.yaml", "xp: 480", "xp: 481")   # her page and the lists
        del received[:], hashed[:]
        report = run(world, OUTPUTS, workers=2)
        assert report.counts["render_processes"] == 2
        assert received and {r.path for r in received} <= set(report.written)
        for result in received:   # the worker's hash is of the very bytes it sent
            assert result.sha256 == hashlib.sha256(result.data).hexdigest(), result.path
        # no result's bytes hashed again here (the state's and summary's own are)
        assert not [data for data in hashed if any(data is r.data for r in received)]
        assert all(len(data) != len(r.data) or bytes(data) != bytes(r.data) for data in hashed for r in received
                   if len(r.data) > 64)
        if step == "clean":   # the same sources: the builder hashed every result itself
            twin = clean
        else:
            twin = tmp_path / f"twin-{step}"
            shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache", ".foundry-builds"))
            run(twin, OUTPUTS)   # in this process: the builder hashes every result itself
        assert _outputs(world) == _outputs(twin)
        # the twin is a clean build of the world's sources: build/ is its bytes
        assert output_bytes(world) == output_bytes(twin)
