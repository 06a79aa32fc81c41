"""The serve's idle stat sweep (serve/sweep.py) on a real project folder: what it calls
a change the watcher missed, and what it leaves to the watcher."""

from __future__ import annotations

import io
import os
import shutil
import signal
import time

from lxml import html as lxml_html
from PIL import Image, ImageDraw

from pipeline.serve.sweep import Sweep
from support import REPO, foundry, start_serve, stops_tidily, write_project

HERO = "content/heroes/first-hero.yaml"


def _project(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    return root


def _missed(sweep):
    """A forced sweep and the watcher's next idle tick: what the sweep names missed."""
    first = sweep.missed(force=True)
    assert first is None
    return sweep.missed() or []


def _bump(path, text="\n# again\n"):
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)


def test_a_change_no_one_reported_is_missed_once(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    assert _missed(sweep) == []
    _bump(root / HERO)
    (root / "content/heroes/new-hero.yaml").write_text("name: New\n")
    (root / "content/characters/old-guide.yaml").unlink()
    assert _missed(sweep) == ["content/characters/old-guide.yaml", HERO, "content/heroes/new-hero.yaml"]
    assert _missed(sweep) == []   # found once: the rebuild it starts reads it


def test_a_change_the_watcher_reports_just_after_the_sweep_is_not_missed(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    _bump(root / HERO)
    assert sweep.missed(force=True) is None     # a suspect: its event may be on its way
    sweep.noted([HERO])                         # …and it came: the watcher rebuilds it
    assert sweep.missed() is None and _missed(sweep) == []


def test_a_change_the_watcher_reported_is_not_missed_unless_it_changed_again(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    _bump(root / HERO)
    sweep.noted([HERO])
    assert _missed(sweep) == []
    _bump(root / HERO)
    sweep.noted([HERO])
    _bump(root / HERO, "\n# a third time, its event lost\n")
    assert _missed(sweep) == [HERO]


def test_a_folder_the_watcher_reported_counts_for_its_files_and_editor_files_never_count(tmp_path):
    root = _project(tmp_path)
    sweep = Sweep(root)
    sweep.start()
    moved = tmp_path / "more"
    moved.mkdir()
    (moved / "a.yaml").write_text("name: A\n")
    os.rename(moved, root / "content/heroes/more")      # one event: the folder
    (root / "content/heroes/.first-hero.yaml.swp").write_text("vim")
    sweep.noted(["content/heroes/more"])
    assert _missed(sweep) == []
    shutil.rmtree(root / "content/heroes/more")         # moved out: one event, the folder gone
    sweep.noted(["content/heroes/more"])
    assert _missed(sweep) == []


def test_a_sweep_waits_its_turn(tmp_path):
    root = _project(tmp_path)
    now = [0.0]
    sweep = Sweep(root, every=2.0, clock=lambda: now[0])
    sweep.start()
    _bump(root / HERO)
    now[0] = 1.0
    assert sweep.missed() is None       # not due: nothing looked at
    now[0] = 2.5
    assert sweep.missed() is None       # swept: a suspect until the next tick
    assert sweep.missed() == [HERO]


def test_a_failing_watcher_is_said_checks_everything_and_watches_again(tmp_path, monkeypatch):
    """watchfiles raises when its watcher fails (its "error in underlying watcher"): the
    watch thread died with it and `foundry serve` left without a word. Now the failure
    is said, everything is rebuilt, and the watcher starts again: a later save is seen."""
    import threading
    import time
    import watchfiles
    from watchfiles._rust_notify import WatchfilesRustInternalError
    from pipeline.serve.server import LiveState, Rebuilder, watch
    root = _project(tmp_path)
    real, calls = watchfiles.watch, []

    def failing_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise WatchfilesRustInternalError("error in underlying watcher: queue overflow")
        return real(*args, **kwargs)

    monkeypatch.setattr(watchfiles, "watch", failing_once)
    said, state = [], LiveState()
    rebuilder = Rebuilder(root, ["json"], state, said.append)
    rebuilder.run("first build")
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(root, rebuilder, stop, ready), daemon=True)
    thread.start()
    try:
        assert ready.wait(60)
        assert any("the file watcher failed (error in underlying watcher: queue overflow)" in m for m in said), said
        builds = state.builds
        assert builds >= 2   # the first build, and the one checking everything after the failure
        deadline = time.monotonic() + 120
        while len(calls) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(calls) == 2 and thread.is_alive()    # watching again
        _bump(root / HERO)
        while state.builds == builds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert state.builds > builds
    finally:
        stop.set()
        thread.join(30)


def test_a_link_out_the_watcher_reported_is_noted_as_the_sweep_sees_it_never_through_the_link(tmp_path):
    # its target outside is never stat'ed: the sweep lists a link out as None, and the
    # watcher's report of it is noted so, not as the outside file's stat (which made it
    # a change "missed by the file watcher" at the next sweep)
    root = _project(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: Outside\n")
    sweep = Sweep(root)
    sweep.start()
    assert _missed(sweep) == []
    os.symlink(outside, root / "content/heroes/leak.yaml")
    sweep.noted(["content/heroes/leak.yaml"])
    assert _missed(sweep) == []


def _photo(orientation: int) -> bytes:
    """A phone photo stored 40x20, a red mark at its stored top left, its EXIF saying
    `orientation` (6: a viewer turns it a quarter clockwise, showing it 20x40)."""
    img = Image.new("RGB", (40, 20), (255, 255, 255))
    ImageDraw.Draw(img).rectangle([0, 0, 9, 4], fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


def test_a_file_read_outside_the_inputs_is_swept_and_one_starting_to_be_read_is_no_change(tmp_path):
    # a portrait named by a path that leaves content/ (`../../art/aria.jpg`): no watcher
    # reports it, so the sweep stats what the last build read there (the engine's
    # `elsewhere`); a file the build begins or stops reading between two sweeps was read
    # as it is by that build, and starts no rebuild
    root = _project(tmp_path)
    (root / "art").mkdir()
    (root / "art/aria.jpg").write_bytes(_photo(1))
    (root / "art/rook.jpg").write_bytes(_photo(1))
    read = [()]
    sweep = Sweep(root, elsewhere=lambda: read[0])
    sweep.start()
    read[0] = ("art/aria.jpg",)
    assert _missed(sweep) == []            # begun to be read: the build read it as it is
    (root / "art/aria.jpg").write_bytes(_photo(6) + b"\0" * 64)   # replaced by its turned copy
    (root / "art/rook.jpg").write_bytes(_photo(6))                # read by no build: not the serve's
    assert _missed(sweep) == ["art/aria.jpg"]
    assert _missed(sweep) == []
    read[0] = ()
    assert _missed(sweep) == []            # no longer read


def test_a_portrait_outside_the_watched_folders_replaced_by_its_turned_copy_is_published_turned(tmp_path):
    """A phone photo a hero names outside content/ (`../../art/aria.jpg`, anywhere in the
    project, as the docs allow) replaced while `foundry serve` ran by its copy whose EXIF
    says turn it (Orientation 6): no watcher watches art/, and the site went on
    publishing it as the last file showed it (40x20, where every viewer shows the new
    one 20x40) until some other file was saved. The serve's sweep stats the files the
    last build read outside the inputs, one it could not use too (cut off while it was
    exported, or named before it was exported): the page is rebuilt as a clean build
    makes it."""
    files = {"art/aria.jpg": _photo(1), "content/heroes/aria.yaml": "name: Aria\nportrait: ../../art/aria.jpg\n"}
    root = write_project(tmp_path / "served", files)
    page = root / "build/site/heroes/aria.html"

    def declared():
        img = next(i for i in lxml_html.fromstring(page.read_bytes()).iter("img") if "media/" in i.get("src", ""))
        return int(img.get("width")), int(img.get("height"))

    proc, _ = start_serve(root)
    try:
        assert declared() == (40, 20)
        # a save first, and its page awaited: the serve watches (its catch-up build, which
        # reads everything, is over) and has built since the photo's last read
        hero, saved = root / "content/heroes/aria.yaml", tmp_path / "aria.yaml"
        files["content/heroes/aria.yaml"] = hero.read_text().replace("name: Aria", "name: Aria Vane")
        saved.write_text(files["content/heroes/aria.yaml"])
        os.replace(saved, hero)   # saved whole, as an editor does: one event
        deadline = time.monotonic() + 180
        while b"Aria Vane" not in page.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert b"Aria Vane" in page.read_bytes(), "the save was never built"
        time.sleep(3)   # past the save's build and the racy window: only a sweep sees what follows
        (root / "art/aria.jpg").write_bytes(_photo(6))
        while declared() != (20, 40) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert declared() == (20, 40), "the turned photo was never published"
        # cut off (HF0702: the build stops, the last good one is served), then exported
        # whole again upright: the file is still swept, though no build could use it
        (root / "art/aria.jpg").write_bytes(_photo(8)[:300])
        time.sleep(5)   # its failed build, as a sweep finds it
        (root / "art/aria.jpg").write_bytes(_photo(1))
        while declared() != (40, 20) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert declared() == (40, 20), "the photo exported again was never published"
        # named before it is exported (HF0306), then exported turned
        files["content/heroes/aria.yaml"] = files["content/heroes/aria.yaml"].replace("aria.jpg", "later.jpg")
        saved.write_text(files["content/heroes/aria.yaml"])
        os.replace(saved, hero)
        time.sleep(5)   # its failed build
        (root / "art/later.jpg").write_bytes(_photo(6))
        while declared() != (20, 40) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert declared() == (20, 40), "the photo exported after it was named was never published"
    finally:
        stops_tidily(proc, signal.SIGINT)
    clean = write_project(tmp_path / "clean", {**files, "art/later.jpg": _photo(6)})
    assert foundry("build", "--only", "html", "--project", str(clean)).code == 0
    assert page.read_bytes() == (clean / "build/site/heroes/aria.html").read_bytes()
    shown = sorted(p.name for p in (root / "build/site/media").iterdir())
    assert shown == sorted(p.name for p in (clean / "build/site/media").iterdir())
    for name in shown:
        assert (root / "build/site/media" / name).read_bytes() == (clean / "build/site/media" / name).read_bytes()


def _named_elsewhere(root):
    """What the serve's sweep stats beside the inputs after a load of `root`: the
    resident engine's `elsewhere` (engine/builder.py), made from a real World."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.checked import named_elsewhere
    from pipeline.load.project import load_project
    from pipeline.resolve.world import load_world
    diags = Diagnostics()
    return named_elsewhere(load_world(load_project(root, diags), diags))


def test_a_hidden_portrait_and_a_portrait_through_a_linked_folder_are_swept(tmp_path):
    # `portrait: .rook.jpg` (a hidden file beside the hero: read, but the input walk
    # leaves hidden files out) and `portrait: ../../pics/wen.jpg` (pics -> art, a link at
    # the root that no watcher watches): the first replaced, the link turned to another
    # folder, the serve went on publishing what it had read
    root = _project(tmp_path)
    for folder in ("art", "art2"):
        (root / folder).mkdir()
        (root / folder / "wen.jpg").write_bytes(_photo(1 if folder == "art" else 6))
    os.symlink("art", root / "pics")
    (root / "content/heroes/.rook.jpg").write_bytes(_photo(1))
    _bump(root / HERO, "portrait: .rook.jpg\n")
    (root / "content/heroes/wen.yaml").write_text("name: Wen\nportrait: ../../pics/wen.jpg\n")
    read = _named_elsewhere(root)
    sweep = Sweep(root, elsewhere=lambda: read)
    sweep.start()
    (root / "content/heroes/.rook.jpg").write_bytes(_photo(6))
    assert _missed(sweep) == ["content/heroes/.rook.jpg"]
    os.remove(root / "pics")
    os.symlink("art2", root / "pics")
    assert _missed(sweep) == ["content/heroes/../../pics/wen.jpg"]


def test_a_file_read_through_a_link_at_the_root_is_no_event_the_watcher_lost(tmp_path):
    # `content/heroes/../../pics/wen.jpg` (pics -> art) starts with content/, yet no
    # watcher watches what it leads to: its change is logged as a save, not as a lost event
    from types import SimpleNamespace

    from pipeline.serve.server import _sweep
    route = "content/heroes/../../pics/wen.jpg"
    said = []
    rebuilder = SimpleNamespace(root=_project(tmp_path), engine=SimpleNamespace(elsewhere=(route,)), run=said.append)
    _sweep(rebuilder, SimpleNamespace(missed=lambda force: [route]))
    _sweep(rebuilder, SimpleNamespace(missed=lambda force: [route, HERO]))
    assert said == [route, f"missed by the file watcher: {route}, {HERO}"]


def test_a_file_changed_after_the_build_that_began_reading_it_read_it_is_missed(tmp_path):
    # a hero saved to name `../../art/aria.jpg`: the build reads it and renders on (a
    # minute of books), and the photo is exported again meanwhile; the sweep after the
    # build took the new file for the one the build read (a file begun to be read was
    # no change) and the old photo stayed published. The engine says each file's stat
    # as its load read it (sources.stats_of), and the sweep compares with that
    from pipeline.engine.sources import stats_of
    from pipeline.confine import Boundary
    root = _project(tmp_path)
    (root / "art").mkdir()
    (root / "art/aria.jpg").write_bytes(_photo(1))
    (root / "art/rook.jpg").write_bytes(_photo(1))
    read = [{}]
    sweep = Sweep(root, elsewhere=lambda: read[0])
    sweep.start()
    read[0] = stats_of(Boundary(root), ["art/aria.jpg", "art/rook.jpg"])   # as the load ended
    (root / "art/aria.jpg").write_bytes(_photo(6) + b"\0" * 64)   # while the build rendered
    assert _missed(sweep) == ["art/aria.jpg"]   # rook.jpg, as it was read: no change
    assert _missed(sweep) == []


def test_an_input_linked_to_a_file_outside_the_watched_folders_is_no_event_the_watcher_lost(tmp_path):
    # content/heroes/rook.png -> ../../art/rook.png: art/ is watched by nothing, so the
    # photo's change reaches the sweep alone, as a save does; the log said the watcher
    # had missed it ("missed by the file watcher: art/rook.png, content/heroes/rook.png")
    from types import SimpleNamespace

    from pipeline.serve.server import _sweep
    root = _project(tmp_path)
    (root / "art").mkdir()
    (root / "art/rook.jpg").write_bytes(_photo(1))
    os.symlink("../../art/rook.jpg", root / "content/heroes/rook.jpg")
    said = []
    rebuilder = SimpleNamespace(root=root, engine=SimpleNamespace(elsewhere=("art/rook.jpg",)), run=said.append)
    _sweep(rebuilder, SimpleNamespace(missed=lambda force: ["art/rook.jpg", "content/heroes/rook.jpg"]))
    _sweep(rebuilder, SimpleNamespace(missed=lambda force: ["content/heroes/rook.jpg", HERO]))
    assert said == ["art/rook.jpg, content/heroes/rook.jpg",
                    f"missed by the file watcher: content/heroes/rook.jpg, {HERO}"]
