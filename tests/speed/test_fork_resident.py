"""What the builder holds when it forks its render workers, in the build that remakes
every output (a new foundry: every record's recipe is foreign). Each worker starts
with a copy of the builder's pages, so what the builder holds then is held once per
process (docs/performance.md mem32: this build's largest worker was 624-634 MiB at
10,000 heroes, over issue 13's 600):

- the previous state's reads are one string per key (read_state interns them), as
  the keys tracking.py makes are, not one string per record that read it;
- the outputs' hash memo (write/state.py OutputHashes) is read at its first use,
  which in that build comes after the render has started.

Judged on a real build of the sample: the state read back, and the memo as the
builder's `_render` is handed it; the upgrade's outputs are a clean build's."""

from __future__ import annotations

import shutil
import sys

import pytest
from engine_steps import output_bytes, run
from test_incremental import built_sample

from pipeline.engine import builder
from pipeline.write.state import read_state


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample's sources, built with the JSON API and the site only (in one process;
    test_incremental.built_sample, shared with other files). Not the session's built
    sample: that `foundry build` made every output (books included) in a process of its
    own, and none of it was read (only the sources were copied from it). Only read."""
    return built_sample(tmp_path_factory)[0]


def test_a_previous_states_reads_are_one_string_per_key(built):
    state = read_state(built / "build", listed=False)
    reads = [key for record in state.artifacts.values() for key in record.reads]
    assert len(reads) > 2 * len(set(reads)), "the sample's records should share most of their reads"
    assert all(key is sys.intern(key) for key in reads)
    by_key = {}
    for key in reads:
        assert by_key.setdefault(key, key) is key   # every record reading a key holds the same string
    assert all(r.recipe is sys.intern(r.recipe) and r.exporter is sys.intern(r.exporter)
               for r in state.artifacts.values())


def test_an_upgrade_build_reads_the_outputs_memo_only_after_its_render_starts(built, tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(built, world, symlinks=True)
    before = output_bytes(world)
    seen = []
    render = builder._render

    def spy(*args, **kwargs):
        memo = args[10].__self__.memo   # check_intact: the OutputHashes' bound `intact`
        seen.append("known" in vars(memo))
        return render(*args, **kwargs)

    monkeypatch.setattr(builder, "_render", spy)
    monkeypatch.setattr(builder, "tool_id", lambda: "a-new-foundry")   # every record's recipe foreign
    report = run(world)
    assert seen == [False]
    assert len(report.written) + len(report.reused) == len(before)
    assert output_bytes(world) == before   # the same sources, a new tool_id: the same bytes
    assert read_state(world / "build").artifacts.keys() == read_state(built / "build").artifacts.keys()


def test_a_release_build_forks_its_workers_holding_no_parse_rows(built, tmp_path, monkeypatch):
    """A `--release` build after a draft one remakes every output with the parse cache
    warm: its heroes come from their summaries, and `released` decodes each from the
    parse table (resolve/world.py `_reader`). When the render starts (where a pool
    forks), neither that reader nor the load's cache, saved by then, holds a row
    (mem32b: 78 MiB each at 10,000 heroes, in every worker); the parse table keeps
    its rows for the next build, and the release's outputs are a clean release build's."""
    import weakref

    from pipeline.diagnostics import Diagnostics
    from pipeline.load import cache as parse_cache
    from pipeline.render import pool
    from pipeline.resolve import world as resolve_world
    world = tmp_path / "world"
    shutil.copytree(built, world, symlinks=True)
    made, held = [], []
    init, render_all = parse_cache.ParseCache.__init__, pool.render_all

    def tracked(self, *args, **kwargs):
        init(self, *args, **kwargs)
        made.append(weakref.ref(self))

    def at_fork(*args, **kwargs):
        caches = [c for c in (ref() for ref in made) if c is not None and c.table == "parsed"]
        held.append((len(caches), sum(len(c._preloaded or {}) + len(c._looked) for c in caches),
                     len(resolve_world._readers)))
        return render_all(*args, **kwargs)

    monkeypatch.setattr(parse_cache.ParseCache, "__init__", tracked)
    monkeypatch.setattr(pool, "render_all", at_fork)
    rows = _parse_rows(world)
    diags = Diagnostics()
    report = builder.build(world, diags, ["json", "html"], release=True, workers=1)
    assert report.ok, [d.message for d in diags.items]
    assert report.written and held, "the release build should remake its outputs"
    assert made and resolve_world._readers == {} and held[0][1:] == (0, 0), held
    assert _parse_rows(world) >= rows   # let go in memory, not pruned from the file
    monkeypatch.undo()
    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    assert builder.build(twin, Diagnostics(), ["json", "html"], release=True, workers=1).ok
    assert output_bytes(twin) == output_bytes(world)


def _parse_rows(root) -> set[str]:
    """The keys of the parse table's rows in root's cache file."""
    import sqlite3

    from pipeline.load.cache import FILE
    from pipeline.load.cache_folder import cache_folder
    db = sqlite3.connect(cache_folder(root) / FILE)
    try:
        return {key for key, in db.execute("SELECT key FROM parsed")}
    finally:
        db.close()


def test_a_build_decodes_summarised_heroes_without_holding_the_parse_table(built, tmp_path, monkeypatch):
    """A clean build with the parse cache warm (build/ deleted): its heroes come from
    their summaries, and whatever needs a hero's whole document decodes it from the
    parse table through the process's reader (resolve/world.py `_reader`), once. At
    10,000 heroes the reader read the table whole past its first SINGLE_LOOKUPS rows
    and held all of it (78 MiB, ~45 of it rows no hero asks) for the life of each
    render worker: the clean `--only html` build's peak, its lists' worker, 596 -> 510
    MiB (docs/performance.md mem41). Each row is now looked up alone and not kept;
    the sample's few heroes stand for many by lowering SINGLE_LOOKUPS. The bytes are
    those of the build that made the summaries."""
    from pipeline.load import cache as parse_cache
    from pipeline.resolve import world as resolve_world
    world = tmp_path / "world"
    shutil.copytree(built, world, symlinks=True)
    before = output_bytes(world)
    shutil.rmtree(world / "build")
    monkeypatch.setattr(parse_cache, "SINGLE_LOOKUPS", 1)
    readers, asked, reader, get = [], [], resolve_world._reader, parse_cache.ParseCache.get

    def recorded(root):
        made = reader(root)
        if made not in readers:
            readers.append(made)
        return made

    def counted(self, key):
        if self in readers:
            asked.append(key)
        return get(self, key)

    monkeypatch.setattr(resolve_world, "_reader", recorded)
    monkeypatch.setattr(parse_cache.ParseCache, "get", counted)
    run(world)
    assert readers and len(asked) > 4, "the build should decode its heroes from their summaries' rows"
    assert [len(r._preloaded or {}) + len(r._looked) for r in readers] == [0] * len(readers)   # no row held
    assert output_bytes(world) == before
