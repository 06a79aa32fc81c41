"""A forked render worker writes a large result whose bytes the last build did not
record at its path into the staged tree itself (render/pool.py `_staged`,
write/staging.py `write_staged`), and the builder adopts the file (`Staging.adopt`)
instead of receiving its bytes through the pipe and writing them: after one hero
edit at 10,000 heroes ~110 MB of lists the builder's serial path received and wrote
(docs/performance.md edit32).

Judged by what the builder's process did (Staging.write and the results' bytes, spied
on in this process only: a forked worker's calls are not seen here) and by what the
build leaves: build/ a clean build's after a value edit, with the spare and without,
with the JSON API's copies in site/ linked or (no link possible) copied; and by
`write_staged` itself, which never writes through a link nor into a folder where the
file goes, and leaves nothing behind when it cannot write."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace

import pytest

from engine_steps import edit, run, same_as_clean

from pipeline.render import pool
from pipeline.write import staging as staging_module
from pipeline.write.staging import Staging, write_staged
from support import ROOTS

OUTPUTS = ["json", "html"]


def _spied(monkeypatch) -> tuple[list, list, list]:
    """(each result the builder received, each path the builder's Staging.write wrote,
    each path it adopted)."""
    received: list = []
    written: list = []
    adopted: list = []
    receive, write, adopt = pool._Worker.receive, Staging.write, Staging.adopt

    def spy(self, *args, **kwargs):
        results = receive(self, *args, **kwargs)
        # copies: the builder reads a large result's bytes into memory the next reuses
        received.extend(replace(result, data=bytes(result.data)) for result in results)
        return results
    monkeypatch.setattr(pool._Worker, "receive", spy)
    monkeypatch.setattr(Staging, "write", lambda self, rel, data: written.append(rel) or write(self, rel, data))
    monkeypatch.setattr(Staging, "adopt", lambda self, rel: adopted.append(rel) or adopt(self, rel))
    return received, written, adopted


def _world(tmp_path, monkeypatch):
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    monkeypatch.setattr(pool, "SMALL", -1)   # the workers are forked with it: every result is large
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    return world


@pytest.mark.parametrize("spare", [True, False])
def test_a_value_edits_changed_results_are_written_by_their_workers(tmp_path, monkeypatch, spare):
    world = _world(tmp_path, monkeypatch)
    received, written, adopted = _spied(monkeypatch)
    assert run(world, OUTPUTS, workers=2).ok
    # a clean build: no record stood for any path, every result came to the builder
    assert received and not adopted and not any(r.staged for r in received)
    if not spare:   # staged in a new folder, as where no spare can be kept
        monkeypatch.setattr(staging_module, "_spare", lambda root, build: None)
    for step, (old, new) in enumerate((("xp: 120", "xp: 130"), ("xp: 130", "xp: 140"))):
        del received[:], written[:], adopted[:]
        edit(world, "content/heroes/first-hero.yaml", old, new)
        report = run(world, OUTPUTS, workers=2)
        assert report.counts["render_processes"] == 2
        staged = [r for r in received if r.staged]
        # the hero's pages and the lists showing her xp changed: written where they were made
        assert staged and {r.path for r in staged} == set(adopted), (step, received)
        assert all(r.data == b"" and r.sha256 for r in staged)
        assert not set(adopted) & set(written)   # none of them written again by the builder
        assert "api/v1/bundle.json" in adopted
        # results with the very bytes recorded (a list the edit does not show) come whole, or,
        # spliced to the file the builder keeps (render/pool.py `Result.as_recorded`), with
        # only that file's sha256
        assert all(len(r.data) or (r.as_recorded and r.sha256)
                   for r in received if not r.staged and r.path.endswith(".json"))
        same_as_clean(world, tmp_path, name=f"twin-{spare}-{step}", outputs=OUTPUTS, memo=True)


def test_a_staged_lists_copy_is_read_back_where_no_link_can_be_made(tmp_path, monkeypatch):
    """site/api/v1/bundle.json is json's api/v1/bundle.json (`Planned.copy_of`): linked
    to the worker's staged file, or, where the filesystem links nothing, its bytes read
    back from it (the builder never had them)."""
    world = _world(tmp_path, monkeypatch)
    received, written, adopted = _spied(monkeypatch)
    assert run(world, OUTPUTS, workers=2).ok
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 130")
    real_link = os.link

    def no_link(src, dst, *args, **kwargs):
        if "site/api" in os.fspath(dst):
            raise OSError(1, "Operation not permitted")
        return real_link(src, dst, *args, **kwargs)
    monkeypatch.setattr(os, "link", no_link)
    report = run(world, OUTPUTS, workers=2)
    assert "api/v1/bundle.json" in adopted and "site/api/v1/bundle.json" in written
    assert "site/api/v1/bundle.json" in report.written
    monkeypatch.setattr(os, "link", real_link)
    same_as_clean(world, tmp_path, outputs=OUTPUTS, memo=True)
    built = world / "build"
    assert (built / "site/api/v1/bundle.json").read_bytes() == (built / "api/v1/bundle.json").read_bytes()


def test_write_staged_writes_a_new_file_and_never_through_a_link(tmp_path):
    base = tmp_path / "staged"
    (base / "api" / "v1").mkdir(parents=True)
    elsewhere = tmp_path / "build-file"
    elsewhere.write_bytes(b"build/'s bytes")
    os.link(elsewhere, base / "api/v1/bundle.json")   # the spare's file: build/'s very inode
    assert write_staged(os.fspath(base) + os.sep, "api/v1/bundle.json", b"new")
    assert (base / "api/v1/bundle.json").read_bytes() == b"new"
    assert elsewhere.read_bytes() == b"build/'s bytes"   # unlinked first, not written into
    os.symlink(elsewhere, base / "api/v1/heroes.json")
    assert write_staged(os.fspath(base) + os.sep, "api/v1/heroes.json", b"list")
    assert not (base / "api/v1/heroes.json").is_symlink() and elsewhere.read_bytes() == b"build/'s bytes"
    assert write_staged(os.fspath(base) + os.sep, "new/folder/index.html", b"<p>")
    assert (base / "new/folder/index.html").read_bytes() == b"<p>"


def test_write_staged_declines_what_the_builder_must_decide(tmp_path, monkeypatch):
    """A folder where the file goes, a link on the way, a path out of the tree, a
    failed write: False, and nothing of the worker's left at that path (the builder
    writes the bytes, clearing the way or reporting the error, as before)."""
    base = tmp_path / "staged"
    (base / "api" / "v1" / "bundle.json").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, base / "linked")
    prefix = os.fspath(base) + os.sep
    assert not write_staged(prefix, "api/v1/bundle.json", b"x")
    assert (base / "api/v1/bundle.json").is_dir()
    assert not write_staged(prefix, "linked/page.html", b"x")
    assert not write_staged(prefix, "../escape.html", b"x")
    assert list(outside.iterdir()) == [] and not (tmp_path / "escape.html").exists()
    (base / "full").mkdir()
    real = staging_module._write_new

    def full(path, data):   # a write that fails midway, as a full disk's does
        real(path, data[:1])
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(staging_module, "_write_new", full)
    assert not write_staged(prefix, "full/list.json", b"0123")
    assert not os.path.lexists(base / "full/list.json")


def test_edits_of_every_kind_staged_by_workers_build_a_clean_builds_bytes(tmp_path, monkeypatch):
    """A new hero whose outputs join the lists, a rename that reorders them, a template
    every scout reads, a hero deleted, a build with --only json then both, a release
    build then a draft: each build's large results (every one here) written by the
    workers where they differ from the last record, build/ a clean build's each time."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    world = _world(tmp_path, monkeypatch)
    received, written, adopted = _spied(monkeypatch)
    assert run(world, OUTPUTS, workers=2).ok
    hero = (world / "content/heroes/first-hero.yaml").read_text()
    steps = [
        ("new hero", lambda: (world / "content/heroes/abel.yaml").write_text(
            hero.replace("Rook Amsel", "Abel Zorn").replace("Rook grew", "Abel grew"))),
        ("rename: the lists reorder", lambda: edit(world, "content/heroes/abel.yaml", "Abel Zorn", "Zora Abel")),
        ("template", lambda: edit(world, "content/templates/heroes/scout.yaml", "wits: 11", "wits: 12")),
        ("deleted", lambda: (world / "content/heroes/abel.yaml").unlink()),
    ]
    for number, (name, step) in enumerate(steps):
        step()
        del adopted[:]
        run(world, OUTPUTS, workers=2)
        assert adopted, name
        same_as_clean(world, tmp_path, name=f"twin-{number}", outputs=OUTPUTS)
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 125")
    run(world, ["json"], workers=2)
    edit(world, "content/heroes/first-hero.yaml", "xp: 125", "xp: 126")
    del adopted[:]
    run(world, OUTPUTS, workers=2)
    assert adopted
    same_as_clean(world, tmp_path, name="twin-only", outputs=OUTPUTS)
    for release, xp in ((True, 127), (False, 128)):
        edit(world, "content/heroes/first-hero.yaml", f"xp: {xp - 1}", f"xp: {xp}")
        diags = Diagnostics()
        assert build(world, diags, OUTPUTS, workers=2, release=release).ok, diags.errors
        twin = tmp_path / f"twin-release-{release}"
        shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        assert build(twin, Diagnostics(), OUTPUTS, release=release).ok
        from engine_steps import output_bytes
        assert output_bytes(twin) == output_bytes(world)


def test_a_worker_that_cannot_write_sends_the_bytes_as_before(tmp_path, monkeypatch):
    """`write_staged` declining (a full disk, a link on the way: forked with it) costs
    nothing but the pipe: the builder receives the bytes, writes them, adopts nothing,
    and build/ is a clean build's."""
    world = _world(tmp_path, monkeypatch)
    received, written, adopted = _spied(monkeypatch)
    assert run(world, OUTPUTS, workers=2).ok
    monkeypatch.setattr(staging_module, "write_staged", lambda base, rel, data: False)
    edit(world, "content/heroes/first-hero.yaml", "xp: 120", "xp: 130")
    del received[:], written[:]
    run(world, OUTPUTS, workers=2)
    assert not adopted and not any(r.staged for r in received)
    assert "api/v1/bundle.json" in written
    same_as_clean(world, tmp_path, outputs=OUTPUTS, memo=True)
