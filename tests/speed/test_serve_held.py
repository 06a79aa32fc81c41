"""A save's rewrites of build/'s large files (the lists: bundle.json, heroes.json,
search.html) wait for the resident engine's idle `flush`, served from memory until
then (write/in_place.py `Held`, engine/resident.py, serve/server.py). At 10,000 heroes
writing them was 0.1-0.5 CPU-s of a hero save's reload path (docs/performance.md,
serve31). Here the threshold (FOUNDRY_HOLD_BYTES) is set between a hero page and the
lists, or to 0 (every rewrite held).

What must hold: what the server serves is a clean build's bytes after every save, and
build/ is after the flush; a second save before the flush replaces or carries the held
bytes; a failed save keeps them; a crash before the flush, or a CLI build meanwhile,
is a safe miss (the lists are made again from the state on disk, which names the old
files); the flush's own writes, reported by the output watcher, are not made again."""

from __future__ import annotations

import shutil
import threading
import urllib.request

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.engine.resident import Resident
from pipeline.serve.server import INJECT, LiveState, Rebuilder, make_server
from engine_steps import listed_heroes, output_bytes, rename_hero as rename, run, save, served_bytes
from support import write_project

OUTPUTS = ["json", "html"]
BUNDLE, PAGE = "api/v1/bundle.json", "site/heroes/mara.html"


@pytest.fixture
def world(tmp_path, monkeypatch):
    """The lists' tests' world, built by a resident engine (its first build and the
    catch-up, so that a save changes build/ in place), with rewrites of files larger
    than any hero page held."""
    root = write_project(tmp_path / "world", listed_heroes())
    run(root)
    pages = max(len(p.read_bytes()) for p in (root / "build/site/heroes").glob("*.html"))
    assert len((root / f"build/{BUNDLE}").read_bytes()) > pages + 1   # else this test holds nothing
    monkeypatch.setenv("FOUNDRY_HOLD_BYTES", str(pages + 1))
    return root


def engine_on(world) -> Resident:
    engine = Resident(world, OUTPUTS)
    save(engine)
    save(engine)
    return engine


def clean(world, tmp_path, name="clean") -> dict[str, bytes]:
    """The bytes of a clean build of a copy of `world`'s sources."""
    twin = tmp_path / name
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin)
    return output_bytes(twin)


def test_a_saves_lists_wait_for_the_flush_and_its_pages_do_not(world, tmp_path):
    engine = engine_on(world)
    old = (world / f"build/{BUNDLE}").read_bytes()
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    assert BUNDLE in engine.held and PAGE not in engine.held
    assert {BUNDLE, PAGE} <= set(engine.changed)          # both reload the pages that show them
    assert (world / f"build/{BUNDLE}").read_bytes() == old    # not written yet
    assert "Mara Stonebridge" in (world / f"build/{PAGE}").read_text()   # the page is
    assert served_bytes(world, engine) == clean(world, tmp_path)
    assert engine.flush() and not engine.held
    assert output_bytes(world) == clean(world, tmp_path, "clean-2")


def test_a_second_save_before_the_flush_carries_or_replaces_the_held_bytes(world, tmp_path, monkeypatch):
    monkeypatch.setenv("FOUNDRY_HOLD_BYTES", "0")   # the pages too: a comment on zed changes no page of mara's
    engine = engine_on(world)
    original = (world / f"build/{BUNDLE}").read_bytes()
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    # back to what build/ holds: served as build/ holds it, a change of what is served
    save(engine, [rename(world, "mara", "Mara Stone")])
    assert served_bytes(world, engine)[BUNDLE] == original and BUNDLE in engine.changed
    assert served_bytes(world, engine) == clean(world, tmp_path, "clean-1")
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    held, first = engine.held.get(BUNDLE), dict(engine.held.files())
    # a save that does not change a file (a comment re-renders only what reads the
    # file's bytes: bundle.json and the manifest): its held bytes are carried as they are
    zed = world / "content/heroes/zed.yaml"
    zed.write_text(zed.read_text() + "# a comment\n")
    report = save(engine, ["content/heroes/zed.yaml"])
    carried = first.keys() - set(report.written)
    assert carried and all(engine.held.get(rel) is first[rel] for rel in carried)
    assert served_bytes(world, engine) == clean(world, tmp_path, "clean-2")
    # one that does: replaced
    save(engine, [rename(world, "mara", "Mara Stonecutter")])
    assert engine.held.get(BUNDLE)[0] != held[0] and BUNDLE in engine.changed
    assert served_bytes(world, engine) == clean(world, tmp_path, "clean-3")
    engine.flush()
    assert not engine.held and output_bytes(world) == clean(world, tmp_path, "clean-4")


def test_a_failed_save_keeps_the_held_bytes(world, tmp_path):
    engine = engine_on(world)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    held = engine.held.get(BUNDLE)
    mara = world / "content/heroes/mara.yaml"
    good = mara.read_text()
    mara.write_text(good.replace("xp: ", "xp: [oops ", 1))
    assert not engine.build(Diagnostics(), ["content/heroes/mara.yaml"]).ok
    assert engine.held.get(BUNDLE) is held and engine.changed == []
    mara.write_text(good)
    save(engine, ["content/heroes/mara.yaml"])
    engine.flush()
    assert output_bytes(world) == clean(world, tmp_path)


def test_a_crash_before_the_flush_leaves_a_cli_build_to_make_the_lists_again(world, tmp_path):
    """Killed before its flush: build/ holds the new pages, the old lists, no summary
    and the old state. The next CLI build makes the lists again: their inputs changed
    since the records of the state on disk (a safe miss, not a stale list)."""
    engine = engine_on(world)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    assert BUNDLE in engine.held
    del engine   # no flush
    report = run(world)
    assert BUNDLE in report.written
    assert output_bytes(world) == clean(world, tmp_path)


def test_a_cli_build_while_lists_are_held_is_served_and_the_engine_starts_from_it(world, tmp_path):
    engine = engine_on(world)
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    held = engine.held.get(BUNDLE)
    zed = rename(world, "zed", "Zed Quillon")
    run(world)   # a CLI build swaps in a build/ of its own, holding the lists it made
    assert engine.held.served(world / "build", BUNDLE) is None   # not the build/ they were held for
    assert (world / f"build/{BUNDLE}").read_bytes() != held[0]
    engine.flush()   # someone else's state: nothing held is written over their build/
    assert not engine.held and output_bytes(world) == clean(world, tmp_path, "clean-1")
    save(engine, [rename(world, "mara", "Mara Stone"), zed])   # the watcher saw both saves
    engine.flush()
    assert output_bytes(world) == clean(world, tmp_path, "clean-2")


def test_the_flushs_writes_reported_by_the_output_watcher_are_not_made_again(world):
    engine = engine_on(world)
    engine.outputs_watched((world / "build").stat().st_ino)
    engine.flush()
    save(engine, [rename(world, "mara", "Mara Stonebridge")])
    assert BUNDLE in engine.held
    changed = engine.changed
    engine.flush()
    # what the output watcher sees of the save and of the flush
    engine.outputs_touched([*changed, ".foundry/state.json", ".foundry/summary.json"])
    report = save(engine, [])
    assert report.written == [] and engine.changed == [] and not engine.held


def get(url: str) -> tuple[bytes, dict]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), dict(response.headers)


def test_the_server_serves_held_bytes_until_the_flush_writes_them(world, monkeypatch):
    monkeypatch.setenv("FOUNDRY_HOLD_BYTES", "0")   # the hero's page too
    state = LiveState()
    rebuilder = Rebuilder(world, OUTPUTS, state, lambda message: None)
    rebuilder.run("first build")
    rebuilder.run("catch-up")
    server = make_server(world, "127.0.0.1", 0, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        rebuilder.run("save", [rename(world, "mara", "Mara Stonebridge")])
        held = rebuilder.engine.held
        assert "site/api/v1/bundle.json" in held and PAGE in held
        on_disk = (world / f"build/{PAGE}").read_bytes()
        assert b"Mara Stonebridge" not in on_disk
        page, _ = get(url + "heroes/mara.html")
        assert page == held.get(PAGE)[0].replace(b"</body>", INJECT + b"</body>", 1)   # with the live script
        bundle, headers = get(url + "api/v1/bundle.json")
        assert bundle == held.get("site/api/v1/bundle.json")[0]
        assert headers["Content-Type"] == "application/json" and headers["Content-Length"] == str(len(bundle))
        rebuilder.flush()
        assert not rebuilder.engine.held
        assert get(url + "heroes/mara.html")[0] == page and get(url + "api/v1/bundle.json")[0] == bundle
        assert b"Mara Stonebridge" in (world / f"build/{PAGE}").read_bytes()
        # held again, then a CLI build swaps in its build/: that is what is served
        rebuilder.run("save", [rename(world, "mara", "Mara Stonecutter")])
        assert PAGE in rebuilder.engine.held
        rename(world, "mara", "Mara Stonewall")
        run(world)
        assert b"Mara Stonewall" in get(url + "heroes/mara.html")[0]
    finally:
        server.shutdown()
        server.server_close()
