"""A build that leaves the parse table holding only rows this user's foundry made or
verified notes the cache file's stat; the next build that finds the file with that
very stat reads the table without a MAC per row (load/cache.py `trusted`: 31,808 rows
at 10,000 heroes, docs/performance.md edit16). Any other file — moved or copied, or
holding a row whose MAC does not verify — is checked row by row, and a row that does
not verify is never handed out, however many builds come after."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
import shutil
import sqlite3

from engine_steps import run
from pipeline import seal
from pipeline.load import cache as cache_module
from pipeline.load.cache import ParseCache
import pipeline.write.state as state_module
from pipeline.toolid import writer_tag
from support import REPO

ROOTS = REPO / "tests" / "roots"
HERO = "content/heroes/first-hero.yaml"


def checked_rows(monkeypatch) -> list[str]:
    """The purposes of the MACs verified from here on, for the `parsed` table."""
    seen: list[str] = []
    real = seal.verify

    def verify(secret, purpose, data, tag):
        if purpose.startswith("cache:parsed:"):
            seen.append(purpose)
        return real(secret, purpose, data, tag)
    monkeypatch.setattr(seal, "verify", verify)
    return seen


def edited_build(world, n: int):
    """A build after a value edit (xp 200 + `n`, a new one each call): it loads the World (a
    comment is cut off before the load: engine/cutoff.py, engine/shown.py)."""
    hero = world / HERO
    text = hero.read_text()
    edited = re.sub(r"^xp: .*$", f"xp: {200 + n}", text, count=1, flags=re.M)
    assert edited != text
    hero.write_text(edited)
    return run(world, ["json"])


def test_the_parse_table_is_trusted_while_the_file_is_as_a_build_left_it(tmp_path, monkeypatch):
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    checked = checked_rows(monkeypatch)
    report = edited_build(world, 1)
    assert report.counts["parsed_from_cache"] > 0 and checked == []   # read whole, no MAC checked

    # a moved (copied) project: new inodes, so each row is checked; they are reused
    moved = tmp_path / "moved"
    shutil.copytree(world, moved, ignore=shutil.ignore_patterns("build"))
    report = edited_build(moved, 2)
    assert report.counts["parsed_from_cache"] > 0 and checked
    checked.clear()
    edited_build(moved, 3)
    assert checked == []   # and trusted again once a build there left it clean

    # changed behind foundry's back (even with its times put back): checked row by row
    cache = world / ".foundry-cache" / "parsed.sqlite"
    before = cache.stat()
    db = sqlite3.connect(cache)
    db.execute("UPDATE meta SET value = value WHERE key = 'format'")
    db.commit()
    db.close()
    os.utime(cache, ns=(before.st_atime_ns, before.st_mtime_ns))
    edited_build(world, 4)
    assert checked


def test_a_row_that_does_not_verify_is_never_trusted_later(tmp_path, monkeypatch):
    """A row no build asks for (a parse of a file that does not exist yet, say) stays
    in the file after the build that refused it: that build must not vouch for the
    table, or a later one would hand the row out unchecked."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    crafted = f"{writer_tag()}-crafted"   # among this foundry's rows, which a build reads
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("INSERT INTO parsed VALUES (?, '{\"document\": null, \"problems\": []}', 'not a mac')", (crafted,))
    db.commit()
    db.close()
    checked = checked_rows(monkeypatch)
    for n in range(3):
        checked.clear()
        edited_build(world, n)
        assert checked   # every build checks each row while the crafted one is there
    cache = ParseCache(world)
    assert not cache.trusted and cache.get(crafted) is None


def test_a_note_vouches_only_for_the_foundry_that_made_it(tmp_path, monkeypatch):
    """The parse table keeps two foundries' rows (fix16b) and a build reads only its
    own: a release's note says nothing of the dev checkout's rows in the same file,
    which the release never verified."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    edited_build(world, 1)
    assert ParseCache(world).trusted
    # another foundry finding the file exactly as it was (its own rows' pruning aside)
    monkeypatch.setattr(ParseCache, "_forget_other_foundry", lambda self: None)
    monkeypatch.setattr(cache_module, "writer_tag", lambda: "0123456789abcdef")
    assert not ParseCache(world).trusted


def forged_copy(cache: Path, into: Path) -> Path:
    """A copy of the cache file whose `parsed` rows say the Old Guide is someone else,
    their MACs left as they were (so none of them verifies)."""
    shutil.copyfile(cache, into)
    db = sqlite3.connect(into)
    db.execute("UPDATE parsed SET payload = replace(payload, 'Old Guide', 'Forged Guide')")
    db.commit()
    db.close()
    return into


def test_a_cache_file_replaced_during_a_build_is_not_vouched_for(tmp_path, monkeypatch):
    """A checkout (of a pull request that commits .foundry-cache/parsed.sqlite) while a
    build renders puts another file at the cache's path. The build checked the table
    it read, not that file: its note must not make the next build trust the new
    file's rows unchecked (the Old Guide would be published as the file's rows say)."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    cache = world / ".foundry-cache" / "parsed.sqlite"
    forged = forged_copy(cache, tmp_path / "forged.sqlite")
    real_written = state_module.OutputHashes.written

    def checkout_during_the_build(self, *args, **kwargs):
        os.replace(forged, cache)   # as git checkout does: a new file at the path
        time.sleep(0.1)             # older than the note's clock tick by the time it is taken
        return real_written(self, *args, **kwargs)
    monkeypatch.setattr(state_module.OutputHashes, "written", checkout_during_the_build)
    edited_build(world, 1)
    monkeypatch.undo()

    assert not ParseCache(world).trusted
    edited_build(world, 2)
    bundle = (world / "build" / "api" / "v1" / "bundle.json").read_text()
    assert "Old Guide" in bundle and "Forged Guide" not in bundle


def test_rows_that_do_not_verify_are_never_held_in_memory_together(tmp_path):
    """A committed cache can hold any number of rows under this foundry's keys, each
    just under the row limit (64 MiB; zeros pack to nothing in git): reading the table
    whole held them all in memory before checking one MAC, so a 6 GB file stopped the
    build for want of memory. Each row is checked as it is read, and only rows that
    verify are kept: what the table costs is what this user's foundry wrote."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    row = "a" * (16 * 1024 * 1024)
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.executemany("INSERT INTO parsed VALUES (?, ?, 'not a mac')",
                   [(f"{writer_tag()}-forged-{n}", row) for n in range(8)])
    db.commit()
    db.close()
    del row
    cache, preloaded, peak = opened_with_peak(world)
    assert preloaded and not any("forged" in key for key in preloaded)
    # a row or two at a time (16 MiB each, its bytes for the MAC, the row SQLite reads
    # ahead), never the eight (128 MiB)
    assert peak < 80 * 1024 * 1024
    assert not cache.clean


def opened_with_peak(world):
    """The world's parse cache opened and its rows read (`preloaded`), with the peak of
    Python's allocations (bytes, tracemalloc) while doing it: (cache, preloaded, peak)."""
    import tracemalloc
    tracemalloc.start()
    try:
        cache = ParseCache(world)
        preloaded = cache.preloaded
        return cache, preloaded, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

def test_a_huge_meta_row_of_a_committed_cache_is_never_loaded(tmp_path):
    """The cache file's `meta` rows are not sealed (the writers kept, the format): a
    committed file can make one a JSON list of millions of writer tags, up to SQLite's
    1 GB a value. It was read and parsed whole as the file was opened (380 MB: foundry
    check at 2.3 GB of memory). A meta value longer than foundry ever writes is read
    as none: the table then starts as a new writer's."""
    import json
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    tags = json.dumps([f"{n:016x}" for n in range(1_500_000)])
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('writers', ?)", (tags,))
    db.commit()
    db.close()
    del tags
    _, preloaded, peak = opened_with_peak(world)
    assert peak < 8 * 1024 * 1024   # the list alone was ~150 MB of objects
    assert preloaded   # this writer's rows are kept


def test_a_group_of_rows_read_together_holds_only_rows_that_verify(tmp_path):
    """A list's render asks for thousands of rows of one group (every hero's JSON row),
    which engine/memo.py `SealedRows` then reads in one query. It kept every row of the
    group unchecked until asked for: a committed cache holding big rows under the
    group's (computable) prefix and keys no render asks for was held whole in memory.
    Rows are checked as they are read; one that does not verify is not kept."""
    import tracemalloc
    from pipeline.engine.memo import GROUP_READ_AFTER, SealedRows
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    cache = ParseCache(world, "fragments")
    for n in range(GROUP_READ_AFTER + 4):
        cache.put_row(f"list:row:{n:04}", f"row {n}")
    cache.save(prune=False)
    row = "a" * (16 * 1024 * 1024)
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.executemany("INSERT INTO fragments VALUES (?, ?, 'not a mac')", [(f"list:row:forged-{n}", row) for n in range(8)])
    db.commit()
    db.close()
    del row
    rows = SealedRows(ParseCache(world, "fragments"))
    tracemalloc.start()
    try:
        found = [rows.get(f"list:row:{n:04}") for n in range(GROUP_READ_AFTER + 4)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == [f"row {n}" for n in range(GROUP_READ_AFTER + 4)]
    assert rows.get("list:row:forged-0") is None
    assert peak < 80 * 1024 * 1024   # a row or two at a time, never the eight (128 MiB)


def test_a_meta_list_nested_past_the_recursion_limit_is_no_crash(tmp_path):
    """The writers' list is read from an unsealed meta row: `[[[…]]]` within its 4096
    characters made Python's json raise RecursionError as the cache was opened
    ("internal error"). It is read as no list."""
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    run(world, ["json"])
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('writers', ?)", ("[" * 2000 + "]" * 2000,))
    db.commit()
    db.close()
    assert ParseCache(world).preloaded
    edited_build(world, 1)
