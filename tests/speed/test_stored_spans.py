"""A CLI build splices the JSON API's lists (bundle.json, heroes.json, manifest.json)
from the files the last build wrote, by the span log it kept in the sealed cache
(render/stored_spans.py) — and what it splices is the bytes a clean build makes.

How a splice is told from a whole render: once a log is kept, every other stored row
is deleted from the cache. A list rendered whole must then make every hero's row
again (the build reports the rows it made); a spliced one makes the edited hero's
alone. A log that does not verify, or a list file changed behind foundry's back, is
not spliced from: the list is rendered whole and comes out as a clean build's."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing

import pytest

from engine_steps import edit, forge_span_log, listed_heroes, logged_world, output_bytes, run, same_as_clean

from pipeline.render import pool

LISTS = ("api/v1/bundle.json", "api/v1/heroes.json", "api/v1/manifest.json")


def _logged_world(tmp_path, workers=1, files=None):
    return logged_world(tmp_path / "world", ["json"], LISTS, workers, files)


def _same_as_clean(world, tmp_path):
    same_as_clean(world, tmp_path, outputs=["json"])


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "pool"])
def test_a_cli_build_splices_the_json_lists_at_the_edited_rows(tmp_path, monkeypatch, workers):
    """In the builder's process, and in forked workers (the logs go back with the results)."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = _logged_world(tmp_path, workers)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    report = run(world, ["json"], workers)
    assert (report.counts["render_processes"] > 0) == (workers > 1)
    made = report.fragments
    assert "row:hero:mara" in made
    # the other heroes' rows were neither read (deleted) nor made: the lists were spliced
    assert not [key for key in made if key.endswith((":aria", ":zed"))], made
    assert "Mara Stone guards" in (world / "build/api/v1/bundle.json").read_text()
    _same_as_clean(world, tmp_path)
    # and again from the log the splice left (its spans moved by the first splice's growth)
    edit(world, "content/heroes/aria.yaml", "Aria Vale keeps", "Aria Vale, long may she live, keeps")
    made = run(world, ["json"], workers).fragments
    assert not [key for key in made if key.endswith((":mara", ":zed"))], made
    _same_as_clean(world, tmp_path / "again")


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "pool"])
def test_a_clean_build_logs_its_lists_so_the_first_edit_after_it_splices_them(tmp_path, monkeypatch, workers):
    """A clean build (no last state) logs every list it renders whole, the JSON API's
    and the site's: the first edit after it splices them, and does not render every
    list whole once (~8.5 s at 10,000 heroes against ~4.8, docs/performance.md edit27a)."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    pages = ("site/index.html", "site/heroes/index.html", "site/credits.html", "site/search.html")
    world = logged_world(tmp_path / "world", ["json", "html"], (*LISTS, *pages), workers, edited=False)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    made = run(world, ["json", "html"], workers).fragments
    assert "row:hero:mara" in made
    assert not [key for key in made if key.endswith((":aria", ":zed"))], made
    same_as_clean(world, tmp_path, outputs=["json", "html"])


def _logs(world) -> dict[str, str]:
    """The span log rows of the sealed cache, by key (bases and what splices changed since)."""
    with closing(sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")) as db:
        return dict(db.execute("SELECT key, payload FROM fragments WHERE key LIKE '%|spans:%'"))


def test_a_splice_keeps_the_lines_it_changed_beside_the_log_not_the_whole_log_again(tmp_path):
    """A splice leaves the list's log as it was and keeps the lines it changed beside it
    (`|since`): a few kilobytes, where the whole log was sealed and written again (35 MB
    a hero edit at 10,000 heroes). The next splice starts from both; what the splices
    keep beside a log that does not verify, or another log, is not used."""
    world = _logged_world(tmp_path)
    bases = _logs(world)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    assert not [key for key in run(world, ["json"]).fragments if key.endswith((":aria", ":zed"))]
    logs = _logs(world)
    for path in LISTS:
        base = next(key for key in bases if key.endswith("|spans:" + path))
        assert logs[base] == bases[base]   # not written again
        since = logs[base + "|since"]
        assert ':hero:mara"' in since and ':hero:zed"' not in since, since
        # its lines: those of the two heroes edited since the log (aria's by _logged_world)
        assert all(":hero:mara" in line or ":hero:aria" in line for line in since.split("\n")[2:])
    # twice in a row, from the log and what the first splice changed
    edit(world, "content/heroes/aria.yaml", "Aria Vale keeps", "Aria Vale, long may she live, keeps")
    made = run(world, ["json"]).fragments
    assert not [key for key in made if key.endswith((":mara", ":zed"))], made
    _same_as_clean(world, tmp_path)
    # what the splices changed, edited behind foundry's back: the list is rendered whole
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("UPDATE fragments SET payload = replace(payload, '\"shifts\":[', '\"shifts\":[[0,0],') "
               "WHERE key LIKE '%|spans:api/v1/bundle.json|since'")
    assert db.total_changes == 1
    db.commit()
    db.close()
    edit(world, "content/heroes/mara.yaml", "Mara Stone guards", "Mara Stone keeps")
    made = run(world, ["json"]).fragments
    assert "row:hero:zed" in made   # the bundle rendered whole
    _same_as_clean(world, tmp_path / "again")


def test_a_log_that_does_not_verify_or_a_changed_list_file_is_not_spliced_from(tmp_path):
    world = _logged_world(tmp_path)
    # a log whose MAC no longer verifies (its spans moved): no log
    forge_span_log(world, "api/v1/bundle.json")
    # a list file changed since the last build wrote it: not spliced into
    heroes = world / "build/api/v1/heroes.json"
    heroes.write_bytes(heroes.read_bytes().replace(b"Zed Quill", b"Zed Quilx"))
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    made = run(world, ["json"]).fragments
    assert "row:hero:zed" in made   # rendered whole: every row made again
    assert b"Zed Quilx" not in heroes.read_bytes()
    _same_as_clean(world, tmp_path)


def test_a_list_another_outputs_build_carried_over_is_not_spliced_from(tmp_path):
    """A build of other outputs (--only html) carries the lists' records over unchecked;
    the keys changed before it (its site read them) are not among those changed since
    it. A hero edited before it is in the lists the next JSON build writes, as in a
    clean build's (the splice put the edit after it in, and left her row as it was)."""
    world = _logged_world(tmp_path)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    run(world, ["html"])
    edit(world, "content/heroes/zed.yaml", "Zed Quill keeps", "Zed Quill holds")
    run(world, ["json"])
    for path in LISTS[:2]:
        assert "Mara Stone guards" in (world / "build" / path).read_text()
    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin, ["json"])
    lists = {path for path in output_bytes(world) if path.endswith(LISTS)}
    assert {path: output_bytes(world)[path] for path in lists} == {path: output_bytes(twin)[path] for path in lists}


def test_a_worker_gives_back_the_memory_of_a_list_it_rendered_whole_not_of_one_it_spliced(tmp_path, monkeypatch):
    """A forked worker gives its free memory back to the system (glibc's malloc_trim)
    after a list it rendered whole (tens of MB of objects freed), not after one it
    spliced: the few large buffers a splice frees (the last file, the new bytes, the
    log) are what the next splice reuses, and given back, every page of them was
    faulted in again (render/pool.py `_serve`)."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = _logged_world(tmp_path, 2)
    trims, builder = tmp_path / "trims", os.getpid()

    def counted() -> None:   # a worker's call, noted in a file: it is another process
        if os.getpid() != builder:
            with open(trims, "a") as out:
                out.write(f"{os.getpid()}\n")
    monkeypatch.setattr(pool, "release_free_memory", counted)
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    report = run(world, ["json"], 2)
    assert report.counts["render_processes"] > 0
    assert not [key for key in report.fragments if key.endswith((":aria", ":zed"))], report.fragments   # spliced
    assert not trims.exists()
    # a log that does not verify: the bundle is rendered whole, and its memory given back
    forge_span_log(world, "api/v1/bundle.json")
    edit(world, "content/heroes/mara.yaml", "Mara Stone guards", "Mara Stone keeps")
    assert "row:hero:zed" in run(world, ["json"], 2).fragments
    assert trims.exists()
    _same_as_clean(world, tmp_path)


def test_a_lists_span_log_is_made_in_one_buffer_not_a_bytes_a_line(tmp_path, monkeypatch):
    """A clean build's span log of a list (render/stored_spans.py `encode`) is written
    into one buffer as its lines are made. Each line kept as its own orjson bytes held a
    buffer of at least 4 KiB whatever its length: the search page's 23,000 lines at
    10,000 heroes held ~90 MiB at once, the peak of a clean build (docs/performance.md
    clean28). Measured with tracemalloc around each list's `encode`: what it holds at
    its peak beyond the log it returns stays within a few copies of the log."""
    import tracemalloc

    from engine_steps import HERO
    from support import write_project
    from pipeline.render import stored_spans

    heroes = {f"content/heroes/h{n:03d}.yaml": HERO.format(name=f"Hero {n:03d}", title="Ford") for n in range(80)}
    world = write_project(tmp_path / "world", heroes)
    encode, measured = stored_spans.encode, []

    def measuring(log, own):
        tracemalloc.start()
        try:
            out = encode(log, own)
            measured.append((len(log.placed), len(out), tracemalloc.get_traced_memory()[1]))
        finally:
            tracemalloc.stop()
        return out
    monkeypatch.setattr(stored_spans, "encode", measuring)
    run(world, ["json"])
    lines = [(placed, size, peak) for placed, size, peak in measured if placed >= 80]
    assert len(lines) >= 2, measured   # bundle.json and heroes.json at least: a line a hero
    for placed, size, peak in lines:
        assert peak < 3 * size + 16 * 1024, (placed, size, peak)   # was ~4 KiB a line beyond the log


def _rows_record(world) -> dict:
    """What the last build kept of the rows its renders used (write/state.py `keep_rows`)."""
    from pipeline.load.cache import ParseCache
    from pipeline.write.state import ROWS_KEY
    return ParseCache(world, "builds").get(ROWS_KEY)


def _row_digest(world, suffix: str) -> str:
    """The digest of the stored row whose key ends with `suffix` (the JSON API's)."""
    from pipeline.render.fragments import Fragment
    with closing(sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")) as db:
        rows = [payload for key, payload in db.execute("SELECT key, payload FROM fragments") if key.endswith(suffix)
                and key.startswith("json:")]
    assert len(rows) == 1, rows
    return Fragment.from_row(rows[0]).digest


@pytest.mark.parametrize("workers", [1, 2], ids=["here", "pool"])
def test_a_spliced_lists_rows_are_named_by_its_log_and_trusted_by_the_next_build(tmp_path, monkeypatch, workers):
    """A spliced list does not send back the key and digest of every row it shows (one
    each of ~105,000 lines after a value edit at 10,000 heroes, docs/performance.md
    splice42): the rows the build kept for the next one name the list by its log and
    record instead. The next build trusts those rows all the same: a list it renders
    whole finds a row of them fresh by the keys it read, its digest not made again."""
    from support import write_project

    from pipeline.render import fragments
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")
    world = write_project(tmp_path / "world", listed_heroes())
    run(world, ["json"], workers)
    zed = _row_digest(world, "|row:hero:zed")
    assert zed in _rows_record(world)["rows"]   # a whole render's rows, by their digests
    edit(world, "content/heroes/mara.yaml", "Mara Stone keeps", "Mara Stone guards")
    run(world, ["json"], workers)
    kept = _rows_record(world)
    assert zed not in kept["rows"]
    assert {log[0].rsplit("|spans:", 1)[1] for log in kept["listed"]} >= set(LISTS), kept["listed"]
    # the bundle changed behind foundry's back: not spliced from, rendered whole (in this
    # process: the digests it makes are seen), every hero's row asked for
    bundle = world / "build/api/v1/bundle.json"
    bundle.write_bytes(bundle.read_bytes().replace(b"Zed", b"Zeb"))
    edit(world, "content/heroes/aria.yaml", "Aria Vale keeps", "Aria Vale guards")
    digested, asked = [], []
    real, fresh = fragments.digest, fragments.FragmentMemo._fresh
    monkeypatch.setattr(fragments, "digest", lambda keys, hashes: digested.append(keys) or real(keys, hashes))
    monkeypatch.setattr(fragments.FragmentMemo, "_fresh", lambda memo, stored: asked.append(stored.reads) or fresh(memo, stored))
    made = run(world, ["json"]).fragments
    assert "row:hero:aria" in made and "row:hero:zed" not in made, made
    assert [reads for reads in asked if "hero:zed" in reads]   # the bundle rendered whole asked for zed's row
    assert not [keys for keys in digested if "hero:zed" in keys], digested   # trusted by the bundle's log
    _same_as_clean(world, tmp_path)


class _Stopped(Exception):
    """The build stopped while it wrote its state (Ctrl-C, a full disk)."""


def test_a_listed_log_trusts_no_row_once_kept_with_another_record_nor_a_row_whose_reads_changed(tmp_path,
                                                                                               monkeypatch):
    """The rows a spliced list shows are trusted by its log only while the log is kept
    with the record the last build named it by, and only for a row none of whose reads
    changed since (render/fragments.py `FragmentMemo._fresh`, stored_spans.py
    `listed_digests`). A build that stopped after its splices left the log kept with
    its own record and a row of the edit it never published; the edit undone and a hero
    added (every list rendered whole: what it reads itself changed), that row is asked
    for and must be made again, not found among the log's digests. Then a row the last
    build's log names, whose hero is edited with another added: made again too."""
    from support import write_project

    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    from pipeline.write.state import BuildState
    world = write_project(tmp_path / "world", listed_heroes())
    run(world, ["json"])
    edit(world, "content/heroes/aria.yaml", "xp: 120", "xp: 130")
    run(world, ["json"])
    assert {log[0].rsplit("|spans:", 1)[1] for log in _rows_record(world)["listed"]} >= set(LISTS)
    edit(world, "content/heroes/aria.yaml", "xp: 130", "xp: 140")
    with monkeypatch.context() as patch:
        def stopped(state, build_dir):
            raise _Stopped
        patch.setattr(BuildState, "to_bytes", stopped)
        with pytest.raises(_Stopped):
            build(world, Diagnostics(), ["json"], workers=1)
    assert b'"xp":130' in (world / "build/api/v1/bundle.json").read_bytes().replace(b" ", b"")
    edit(world, "content/heroes/aria.yaml", "xp: 140", "xp: 130")
    (world / "content/heroes/bea.yaml").write_text((world / "content/heroes/zed.yaml").read_text())
    run(world, ["json"])
    _same_as_clean(world, tmp_path / "undone")
    edit(world, "content/heroes/zed.yaml", "xp: 120", "xp: 130")
    run(world, ["json"])   # spliced: aria's row (xp 130) named by the lists' logs
    assert {log[0].rsplit("|spans:", 1)[1] for log in _rows_record(world)["listed"]} >= set(LISTS)
    edit(world, "content/heroes/aria.yaml", "xp: 130", "xp: 150")
    (world / "content/heroes/cid.yaml").write_text((world / "content/heroes/zed.yaml").read_text())
    run(world, ["json"])
    _same_as_clean(world, tmp_path / "edited")
