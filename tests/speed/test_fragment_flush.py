"""Fragments go into the cache file as they are made (engine/memo.py flushes every
FLUSH_ROWS), not held until the render ends; a flushed row is kept like any other,
and pruning the cache never drops a row this build wrote."""

from __future__ import annotations

import shutil
import sqlite3

from pipeline import seal
from pipeline.engine import memo
from pipeline.load.cache import ParseCache
from pipeline.render.fragments import Fragment

from engine_steps import output_bytes
from test_incremental import copy_sample, run


def _keys(root) -> set[str]:
    db = sqlite3.connect(root / ".foundry-cache" / "parsed.sqlite")
    try:
        return {k for (k,) in db.execute("SELECT key FROM fragments")}
    finally:
        db.close()


def test_flushed_fragments_are_kept_and_reused(tmp_path, monkeypatch):
    """In a pool: the workers look stored rows up in the file (their own connection)
    while the builder writes and commits new ones, and neither the fragment nor the
    prose table is ever read whole (the builder held both when it forked: the largest
    part of a 10,000-hero build's peak after other builds, docs/performance.md). The
    rows come from the workers sealed: the builder makes no row's text nor its MAC
    (render/fragments.py `sealed_rows`; docs/performance.md cold-clean43), and the
    next build finds them (their MACs, made in the workers, verify)."""
    monkeypatch.setattr(memo, "FLUSH_ROWS", 1)   # every result's rows written at once
    monkeypatch.setattr(memo, "GROUP_READ_AFTER", 2)   # rows looked up one by one, then a group's together
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    flushed: list[int] = []
    real, whole = ParseCache.flush, ParseCache.preloaded

    def counting(self):
        flushed.append(len(self.pending))
        real(self)

    def only_parsed(self):
        assert self.table == "parsed", f"the {self.table} table was read whole"
        return whole.fget(self)

    monkeypatch.setattr(ParseCache, "flush", counting)
    monkeypatch.setattr(ParseCache, "preloaded", property(only_parsed))
    # what this process (the builder) does for a row; a forked worker's calls land in its own copy
    texts: list[int] = []
    macs: list[str] = []
    to_row, mac = Fragment.to_row, seal.Verifier.mac

    def text(self):
        texts.append(1)
        return to_row(self)

    def sealing(self, purpose, data):
        if purpose.startswith("cache:fragments:") and "|spans:" not in purpose:   # a row's, not a list's log
            macs.append(purpose)
        return mac(self, purpose, data)
    monkeypatch.setattr(Fragment, "to_row", text)
    monkeypatch.setattr(seal.Verifier, "mac", sealing)
    root = copy_sample(tmp_path / "world")
    first = run(root, workers=2)
    assert first.counts["render_processes"] >= 1   # really forked
    assert not texts and not macs, (len(texts), macs[:3])   # every row's text and MAC made in a worker
    assert sum(flushed) >= len(set(first.fragments)) > 10   # written while rendering, not at the end
    stored = _keys(root)
    # the rows, and the lists' span logs (render/stored_spans.py: a clean build logs them)
    assert {k.split("|", 1)[1] for k in stored if "|spans:" not in k} == set(first.fragments)
    hero = root / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("Reed-Village Scout", "Scout of the Reeds"))
    second = run(root, workers=2)
    assert second.counts["render_processes"] >= 1
    # every other row came back from the file: only what the edit reached is made again
    assert sorted(set(second.fragments)) == ["manifest:hero:aria", "row:hero:aria", "row:story:the-sunken-keep"]
    fresh = copy_sample(tmp_path / "fresh")
    (fresh / "content/heroes/aria.yaml").write_text(hero.read_text())
    run(fresh)
    assert output_bytes(fresh) == output_bytes(root)


def test_pruning_keeps_rows_flushed_by_this_run(tmp_path):
    (tmp_path / "foundry.toml").write_text("")
    old = ParseCache(tmp_path, "fragments")
    for i in range(50):
        old.put(f"old-{i}", ["stale"])
    old.save()
    cache = ParseCache(tmp_path, "fragments")
    assert len(cache.preloaded) == 50
    cache.get("old-0")                       # used by this run: stays
    cache.put("new-a", ["a"])
    cache.flush()                            # written early…
    cache.put("new-b", ["b"])
    cache.save(prune=True)                   # …and pruning (49 unused of 52) keeps it
    again = ParseCache(tmp_path, "fragments")
    assert set(again.preloaded) == {"old-0", "new-a", "new-b"}
    assert again.get("new-a") == ["a"] and again.get("new-b") == ["b"]


def test_the_cache_file_is_committed_without_waiting_for_the_disk(tmp_path):
    """SQLite syncs nothing at a commit of the cache file (a clean build commits its
    fragments ~220 times at 10,000 heroes, and each sync kept a render worker waiting,
    docs/performance.md clean27). What a sync guards against, a file left corrupt by a
    power cut, is a file made afresh: shown here with its pages overwritten."""
    (tmp_path / "foundry.toml").write_text("")
    cache = ParseCache(tmp_path, "fragments")
    assert cache.db.execute("PRAGMA synchronous").fetchone()[0] == 0   # OFF (FULL, 2, without the change)
    for i in range(200):
        cache.put(f"row-{i}", [f"value {i}" * 20])
    cache.save()
    assert ParseCache(tmp_path, "fragments").get("row-7") == ["value 7" * 20]
    path = tmp_path / ".foundry-cache" / "parsed.sqlite"
    data = bytearray(path.read_bytes())
    data[100:] = bytes(len(data) - 100)   # every page after the header's first bytes lost
    path.write_bytes(bytes(data))
    again = ParseCache(tmp_path, "fragments")
    assert again.get("row-7") is None
    again.put("row-new", ["new"])
    again.save()
    assert ParseCache(tmp_path, "fragments").get("row-new") == ["new"]


def test_one_results_rows_are_written_a_few_at_a_time(tmp_path, monkeypatch):
    """A list rendered in the builder's own process brings all its rows with it (the
    bundle: every entity's), as does a forked worker's result when no rows come apart:
    put into the cache file FLUSH_ROWS at a time, not held as text until the result's
    last (engine/memo.py `fragment_memo`; docs/performance.md clean29)."""
    monkeypatch.setattr(memo, "FLUSH_ROWS", 4)
    pending: list[int] = []
    real = ParseCache.flush

    def counting(self):
        if self.table == "fragments":
            pending.append(len(self.pending))
        real(self)
    monkeypatch.setattr(ParseCache, "flush", counting)
    root = copy_sample(tmp_path / "world")
    report = run(root, workers=1)
    assert len(set(report.fragments)) > 10 and pending and max(pending) <= 4
    assert {k.split("|", 1)[1] for k in _keys(root) if "|spans:" not in k} == set(report.fragments)


def test_a_build_with_no_stored_row_looks_none_up(tmp_path, monkeypatch):
    """A build whose fragments table holds no row (the cache deleted, a fresh clone)
    asks it for none: at 10,000 heroes its workers looked up 111,532 rows and found 2
    (engine/memo.py `fragment_memo`; docs/performance.md cold-clean43). The next
    build, build/ deleted, finds every row it stored."""
    from pipeline.engine.memo import SealedRows
    asked: list[str] = []
    real = SealedRows.get

    def counting(self, key, default=None):
        if self._cache.table == "fragments":
            asked.append(key)
        return real(self, key, default)
    monkeypatch.setattr(SealedRows, "get", counting)
    root = copy_sample(tmp_path / "world")
    first = run(root)   # JSON, in this process: every lookup is counted
    assert len(set(first.fragments)) > 10 and not asked, asked[:3]
    shutil.rmtree(root / "build")
    second = run(root)
    assert second.written and not second.fragments   # every row read back: none drawn again
    assert asked   # looked up: the table held rows when this build began
