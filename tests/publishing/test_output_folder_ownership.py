"""Nothing a user put at build/ or in it is replaced or deleted unasked. A build
replaces build/ whole, so it first asks whether build/ is its own (write/ownership.py):
a file, FIFO or foreign link named build, or a folder with files but no build state,
is HF0126; a file in foundry's build/ that the last build did not write is HF0127, at
its path. Either stops the build before anything is written, beside every content
problem; once the user moves them, the build goes on."""

from __future__ import annotations

import hashlib
import json
import os
import stat

import pytest

from foundation.helpers import invoke


def snapshot(root) -> dict[str, str]:
    """Every path under `root` → its bytes' digest, link target, or kind: a FIFO is
    never opened (a read would wait forever)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] == ".foundry-cache":   # foundry's own cache: not an output
            continue
        mode = os.lstat(path).st_mode
        out[rel] = ("link:" + os.readlink(path) if stat.S_ISLNK(mode) else "dir" if stat.S_ISDIR(mode)
                    else hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(mode) else f"mode:{mode:o}")
    return out


@pytest.fixture()
def world(tmp_path):
    root = tmp_path / "world"
    assert invoke("init", str(root)).exit_code == 0
    return root


def build(root, *extra):
    return invoke("build", "--project", str(root), "--only", "json", "--format", "json", *extra)


def located(result) -> list[str]:
    return [f"{d['code']} {d['file']}" for d in json.loads(result.stdout)["diagnostics"]]


@pytest.mark.parametrize("make, what", [
    (lambda p: p.write_text("my notes\n"), "is a file, not the folder foundry writes its outputs into"),
    (lambda p: os.mkfifo(p), "is a named pipe (FIFO), not the folder foundry writes its outputs into"),
    (lambda p: os.symlink("content", p), "is a symbolic link foundry did not make"),
])
def test_something_named_build_is_never_replaced(world, make, what):
    make(world / "build")
    mode = os.lstat(world / "build").st_mode
    # a content error too: both are reported at once
    (world / "content/heroes/first-hero.yaml").write_text("name: [Unclosed\n", encoding="utf-8")
    before = snapshot(world)   # a FIFO is never read, here either
    result = build(world)
    assert result.exit_code == 1
    found = located(result)
    assert "HF0126 build" in found and "HF0101 content/heroes/first-hero.yaml" in found
    message = next(d["message"] for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "HF0126")
    assert message == f"build {what}: a build would replace it"
    assert snapshot(world) == before
    assert os.lstat(world / "build").st_mode == mode


def test_a_users_own_build_folder_is_never_replaced(world):
    (world / "build").mkdir()
    (world / "build/plan.md").write_text("our publishing plan\n")
    result = build(world)
    assert result.exit_code == 1 and located(result) == ["HF0126 build"]
    assert (world / "build/plan.md").read_text() == "our publishing plan\n"
    assert sorted(os.listdir(world / "build")) == ["plan.md"]


def test_an_empty_build_folder_is_used(world):
    (world / "build").mkdir()
    assert build(world).exit_code == 0
    assert (world / "build/site/api/v1/manifest.json").is_file()


def test_a_file_put_in_foundrys_build_is_never_deleted(world):
    assert build(world).exit_code == 0
    (world / "build/notes.txt").write_text("mine\n")
    (world / "build/site/mine").mkdir()
    (world / "build/site/api/v1/extra.json").write_text("{}\n")
    # an input changed, so this is not a no-op: the build would write build/ anew
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    before = snapshot(world)
    result = build(world)
    assert result.exit_code == 1
    assert located(result) == ["HF0127 build/notes.txt", "HF0127 build/site/api/v1/extra.json",
                               "HF0127 build/site/mine"]
    assert snapshot(world) == before and (world / "build/site/mine").is_dir()
    # moved out of the way, as the hint says: the build goes on
    for rel in ("notes.txt", "site/api/v1/extra.json"):
        (world / "build" / rel).unlink()
    (world / "build/site/mine").rmdir()
    assert build(world).exit_code == 0


def test_an_edited_output_is_foundrys_not_a_users(world):
    assert build(world).exit_code == 0
    (world / "build/site/api/v1/heroes.json").write_text("{}\n")   # HF0121's case, not HF0127's
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    result = build(world)
    assert result.exit_code == 0 and "HF0127" not in result.stdout


def test_many_foreign_files_are_bounded(world):
    assert build(world).exit_code == 0
    for i in range(30):
        (world / f"build/mine-{i:02}.txt").write_text("x\n")
    hero = world / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    diagnostics = json.loads(build(world).stdout)["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["HF0127"] * 21
    assert diagnostics[-1]["message"] == "and 10 more like the 20 above in build/, from here on"
    assert diagnostics[-1]["file"] == "build/mine-20.txt"


def test_files_foundry_serve_wrote_ahead_of_its_state_are_foundrys(world):
    """`foundry serve` writes a save's files into build/ at once and build/'s state a
    moment later (engine/resident.py `flush`); a CLI build in between finds files the
    state on disk does not list yet. They are foundry's (in_place.py `WRITTEN_FILE`
    names them first), and so is a temporary file of a write cut short; a user's file
    put there at the same time is still the user's."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.resident import Resident

    assert build(world).exit_code == 0
    engine = Resident(world, ["json"])
    for _ in range(2):   # the first build and the catch-up, then one save that adds a hero
        assert engine.build(Diagnostics()).ok
    (world / "content/heroes/second-hero.yaml").write_text(
        (world / "content/heroes/first-hero.yaml").read_text(encoding="utf-8").replace("id: first-hero", "id: second-hero"),
        encoding="utf-8")
    assert engine.build(Diagnostics()).ok
    added = [rel for rel in engine.changed if "second-hero" in rel]
    assert added and all((world / "build" / rel).is_file() for rel in added)
    state = json.loads((world / "build/.foundry/state.json").read_bytes().partition(b"\n")[2] or b"{}")
    assert not set(added) & set(state.get("artifacts", {})), "the state was written at once: nothing to test"
    (world / "build/api/v1/.bundle.json.foundry-tmp-4242").write_bytes(b"cut short")
    (world / "build/api/v1/mine.txt").write_text("mine\n")
    result = build(world)
    assert result.exit_code == 1 and located(result) == ["HF0127 build/api/v1/mine.txt"], result.stdout
    (world / "build/api/v1/mine.txt").unlink()
    result = build(world)
    assert result.exit_code == 0, result.stdout
    assert not (world / "build/.foundry/written.json").exists()
    # the server's state, once it writes it, lists what it wrote: the list goes
    assert engine.build(Diagnostics()).ok and engine.flush()


def test_check_reports_what_build_would_refuse(world):
    # a writer who runs `foundry check` before `foundry build` learns it then, with the
    # build's codes, paths and exit status; every time (a replayed check included)
    def check():
        return invoke("check", "--project", str(world), "--format", "json")

    assert check().exit_code == 0
    assert build(world).exit_code == 0
    first, again = check(), check()
    assert first.exit_code == again.exit_code == 0 and located(first) == located(again) == []
    (world / "build/notes.txt").write_text("mine\n")
    for result in (check(), check()):
        assert result.exit_code == 1 and located(result) == ["HF0127 build/notes.txt"], result.stdout
    (world / "build/notes.txt").unlink()
    assert check().exit_code == 0
    os.rename(world / "build", world / "old-build")
    (world / "build").write_text("my notes\n")
    result = check()
    assert result.exit_code == 1 and located(result) == ["HF0126 build"]
    assert (world / "build").read_text() == "my notes\n"


def test_a_build_left_as_built_is_not_walked_and_a_file_slipped_in_as_it_finished_is_still_found(world, monkeypatch):
    """A build/ whose every folder still has the stat it had when the last build left
    exactly its outputs there (write/state.py `left_as_built`) holds nothing of a
    user's: the next build does not walk its files. A file put in while that build
    was finishing, before it noted the folders' stats, is one no walk would then
    see: such a folder is not noted, so the next build walks and finds it."""
    from pipeline.write import ownership
    from pipeline.write.staging import Staging
    walked = []
    real_walk = ownership._walk
    monkeypatch.setattr(ownership, "_walk", lambda build_dir: walked.append(build_dir) or real_walk(build_dir))
    hero = world / "content/heroes/first-hero.yaml"
    assert build(world).exit_code == 0
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    assert build(world).exit_code == 0
    assert walked == []   # build/ as the last build left it: nothing to walk
    (world / "build/site/mine.txt").write_text("mine\n")
    hero.write_text(hero.read_text().replace("status: review", "status: draft"))
    assert located(build(world)) == ["HF0127 build/site/mine.txt"] and walked
    (world / "build/site/mine.txt").unlink()

    # a file slipped into build/ as a build switched it in, before that build noted its folders
    real_commit = Staging.commit

    def commit(self):
        real_commit(self)
        if (world / "build/site").is_dir() and not (world / "build/site/late.txt").exists():
            (world / "build/site/late.txt").write_text("mine\n")
    monkeypatch.setattr(Staging, "commit", commit)
    assert build(world).exit_code == 0
    monkeypatch.setattr(Staging, "commit", real_commit)
    walked.clear()
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    assert located(build(world)) == ["HF0127 build/site/late.txt"] and walked
    assert (world / "build/site/late.txt").read_text() == "mine\n"


def test_a_file_put_in_builds_own_folder_is_never_deleted(world):
    """build/.foundry/ holds the state and summary, and nothing else foundry writes:
    a user's file there (a note beside the state, a folder of drafts) was passed as
    foundry's and deleted by the next build, unsaid. Found whether or not build/ is
    otherwise as the last build left it (then its files are not walked)."""
    hero = world / "content/heroes/first-hero.yaml"
    assert build(world).exit_code == 0
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    assert build(world).exit_code == 0   # build/ left as built: its folders' stats noted
    (world / "build/.foundry/notes.txt").write_text("mine\n")
    (world / "build/.foundry/drafts").mkdir()
    (world / "build/.foundry/drafts/a.md").write_text("draft\n")
    hero.write_text(hero.read_text().replace("status: review", "status: draft"))
    before = snapshot(world)
    result = build(world)
    assert result.exit_code == 1
    assert located(result) == ["HF0127 build/.foundry/drafts/a.md", "HF0127 build/.foundry/notes.txt"]
    assert snapshot(world) == before
    assert located(invoke("check", "--project", str(world), "--format", "json")) == located(result)
    for rel in ("notes.txt", "drafts/a.md"):
        (world / "build/.foundry" / rel).unlink()
    (world / "build/.foundry/drafts").rmdir()
    assert build(world).exit_code == 0
    assert sorted(os.listdir(world / "build/.foundry")) == ["state.json", "summary.json"]


def test_a_fifo_where_serve_lists_its_writes_holds_nothing(world):
    """`build/.foundry/written.json` (in_place.py) is read to learn which files of
    build/ foundry wrote, and a committed build/ can put anything there: a FIFO made
    `foundry check` wait forever on its open. It is read as every file is (confine.py:
    regular files only, never through a link out), so the check ends and says what it
    finds."""
    from support import foundry
    assert build(world).exit_code == 0
    os.mkfifo(world / "build/.foundry/written.json")
    (world / "build/mine.txt").write_text("mine\n")
    run = foundry("check", "--project", str(world), "--format", "json")
    # the FIFO is a user's too (foundry writes regular files): said, never opened
    assert run.code == 1 and sorted(located(run)) == ["HF0127 build/.foundry/written.json",
                                                      "HF0127 build/mine.txt"], run.stdout


def test_a_huge_committed_summary_is_not_read_for_its_names(world):
    """Which files of build/ foundry wrote is read from its summary unsealed (the
    question is who wrote them): a committed summary listing millions of short names
    took ~13 times its size in memory (a 512 MB one, the state's limit, some 7 GB).
    One bigger than any summary foundry writes is no list: this build/ holds files
    and no state foundry can read, so it is a user's (HF0126), found in little memory."""
    import tracemalloc
    from pipeline.diagnostics import Diagnostics
    from pipeline.write.ownership import check_output_folder
    assert build(world).exit_code == 0
    (world / "build/.foundry/state.json").unlink()
    names = ",".join(f'"{n:x}"' for n in range(2_500_000))
    (world / "build/.foundry/summary.json").write_text('{"paths": [' + names + ']}')
    del names
    diags = Diagnostics()
    tracemalloc.start()
    try:
        check_output_folder(world, world / "build", frozenset(), diags)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(d.code, d.span.path) for d in diags.sorted()] == [("HF0126", "build")]
    assert peak < 16 * 1024 * 1024   # the 2,500,000 names took ~200 MB


@pytest.mark.parametrize("name", [".foundry/summary.json", ".foundry/written.json"])
def test_a_list_nested_past_the_recursion_limit_in_builds_own_folder_is_no_crash(world, name):
    """build/'s summary (its state gone) and `written.json` are read unsealed, for their
    names: JSON nested some thousand levels deep made Python's json raise RecursionError,
    which nothing expected, and `foundry check` ended in "internal error". Such a file
    is no list, as one that is not JSON."""
    from support import foundry
    assert build(world).exit_code == 0
    if name.endswith("summary.json"):
        (world / "build/.foundry/state.json").unlink()
    (world / "build" / name).write_text("[" * 100_000 + "]" * 100_000)
    run = foundry("check", "--project", str(world), "--format", "json")
    assert "internal error" not in run.stderr, run.stderr[-600:]
    expected = ["HF0126 build"] if name.endswith("summary.json") else []
    assert located(run) == expected


def test_a_link_or_fifo_in_build_is_never_deleted_unsaid(world):
    """A symbolic link at build/.foundry was taken for foundry's state ("damaged": nothing
    said), and with it every link or FIFO in build/ for an output: the next build
    removed each without a word. foundry writes only regular files and folders in
    build/, so while which files it wrote cannot be read each is someone's: HF0127 at
    its path, from check and build alike, and nothing is written, through them or over
    them. (With the state readable, a link at an output's path is that output changed
    since the build: tests/foundation/test_untrusted_state.py.)"""
    hero = world / "content/heroes/first-hero.yaml"
    assert build(world).exit_code == 0
    mine = world / "mine"
    mine.mkdir()
    for name in os.listdir(world / "build/.foundry"):
        (mine / name).write_bytes((world / "build/.foundry" / name).read_bytes())
    (mine / "notes.txt").write_text("precious\n")
    for name in os.listdir(world / "build/.foundry"):
        (world / "build/.foundry" / name).unlink()
    (world / "build/.foundry").rmdir()
    os.symlink("../mine", world / "build/.foundry")
    output = world / "build/site/api/v1/heroes.json"
    output.unlink()
    os.symlink("../../../../mine/notes.txt", output)
    os.mkfifo(world / "build/site/pipe")
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    before = snapshot(world)
    result = build(world)
    assert result.exit_code == 1
    expected = ["HF0127 build/.foundry", "HF0127 build/site/api/v1/heroes.json", "HF0127 build/site/pipe"]
    assert sorted(located(result)) == expected, result.stdout
    messages = [d["message"] for d in json.loads(result.stdout)["diagnostics"]]
    assert any("build/.foundry is a symbolic link" in m for m in messages), messages
    assert any("build/site/pipe is a named pipe (FIFO)" in m for m in messages), messages
    assert snapshot(world) == before and (mine / "notes.txt").read_text() == "precious\n"
    assert sorted(located(invoke("check", "--project", str(world), "--format", "json"))) == expected


def test_a_dangling_link_at_builds_own_folder_is_one_error(world):
    """A link at build/.foundry to nothing also made build/ "hold files but no build
    state" (HF0126): one slip, two errors."""
    hero = world / "content/heroes/first-hero.yaml"
    assert build(world).exit_code == 0
    for name in os.listdir(world / "build/.foundry"):
        (world / "build/.foundry" / name).unlink()
    (world / "build/.foundry").rmdir()
    os.symlink("../nowhere", world / "build/.foundry")
    hero.write_text(hero.read_text().replace("status: draft", "status: review"))
    before = snapshot(world)
    result = build(world)
    assert result.exit_code == 1 and located(result) == ["HF0127 build/.foundry"], result.stdout
    assert snapshot(world) == before


def test_a_link_where_no_output_is_said_and_one_at_an_output_is_that_output_changed(world, tmp_path):
    """With build/'s state readable, a link or FIFO at a path no build wrote is
    someone's (HF0127, nothing written); a link at an output's path is that output
    changed since the build (a checkout, a committed build/), which the build makes
    again without following the link."""
    assert build(world).exit_code == 0
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    os.symlink(outside, world / "build/site/notes.txt")
    os.mkfifo(world / "build/site/pipe")
    result = build(world)
    assert result.exit_code == 1
    assert sorted(located(result)) == ["HF0127 build/site/notes.txt", "HF0127 build/site/pipe"], result.stdout
    (world / "build/site/notes.txt").unlink()
    (world / "build/site/pipe").unlink()
    output = world / "build/site/api/v1/heroes.json"
    output.unlink()
    os.symlink(outside, output)
    result = build(world)
    assert result.exit_code == 0 and not located(result), result.stdout
    assert not output.is_symlink() and b"precious" not in output.read_bytes()
    assert outside.read_text() == "precious\n"


def test_a_folder_of_outputs_linked_out_while_serve_runs_is_said_and_nothing_is_deleted_through_it(world, tmp_path):
    """`foundry serve` deletes the files of an entity removed in place
    (write/in_place.py). A checkout while it ran put `build/api/v1/quests -> elsewhere`
    (a pull request can commit one), and its watcher reported only the files under it:
    their lstat followed the link, each was "an output", and removing the quest deleted
    elsewhere/first-quest.json, a file outside the project. The link is said (HF0127,
    nothing written); and where nothing reports it, the in-place writer never deletes,
    writes or renames through a folder on the way that is a link."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.resident import Resident
    from pipeline.write.in_place import InPlace
    from pipeline.write.staging import OutputError

    story = world / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("quests: [first-quest]\n", ""))
    assert build(world).exit_code == 0
    engine = Resident(world, ["json"])
    for _ in range(2):   # the first build and the catch-up: the last check found build/ foundry's
        assert engine.build(Diagnostics()).ok
    engine.outputs_watched(os.lstat(world / "build").st_ino)
    assert engine.build(Diagnostics(), []).ok
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "first-quest.json").write_text("precious\n")
    quests = world / "build/api/v1/quests"
    for name in os.listdir(quests):
        (quests / name).unlink()
    quests.rmdir()
    os.symlink(elsewhere, quests)
    engine.outputs_touched(["api/v1/quests/first-quest.json"])   # what the watcher reported
    (world / "content/quests/first-quest.yaml").unlink()
    diags = Diagnostics()
    assert not engine.build(diags, ["content/quests/first-quest.yaml"]).ok
    assert [(d.code, d.span.path) for d in diags.errors] == [("HF0127", "build/api/v1/quests")]
    assert (elsewhere / "first-quest.json").read_text() == "precious\n"

    # the writer itself, told of no link: nothing outside is deleted, written or renamed
    writer = InPlace(world, world / "build", {"api/v1/quests/first-quest.json", "api/v1/quests/new.json"})
    writer.write("api/v1/quests/new.json", b"{}")
    with pytest.raises(OutputError, match="a part of the way is not a folder"):
        writer.commit()
    writer = InPlace(world, world / "build", {"api/v1/quests/first-quest.json"})
    with pytest.raises(OutputError, match="a part of the way is not a folder"):
        writer.commit()
    assert os.listdir(elsewhere) == ["first-quest.json"]
    assert (elsewhere / "first-quest.json").read_text() == "precious\n"


def test_serves_own_folder_linked_out_loses_no_file_there(tmp_path):
    """An in-place commit removes build/.foundry/summary.json first, and the state's
    writer the list of files written ahead: both were unlinked by path, so a
    `build/.foundry -> elsewhere` put in while `foundry serve` ran deleted
    elsewhere/summary.json and elsewhere/written.json. Nothing is removed through it."""
    from pipeline.write.in_place import InPlace
    from pipeline.write.staging import OutputError

    build_dir, elsewhere = tmp_path / "build", tmp_path / "elsewhere"
    build_dir.mkdir()
    elsewhere.mkdir()
    (build_dir / "page.html").write_text("old")
    for name in ("summary.json", "written.json"):
        (elsewhere / name).write_text("precious\n")
    os.symlink(elsewhere, build_dir / ".foundry")
    writer = InPlace(tmp_path, build_dir, {"page.html"})
    writer.write("page.html", b"new")
    with pytest.raises(OutputError, match="a part of the way is not a folder") as refused:
        writer.commit()
    # what HF0714 then tells the writer to do is about the link, not about disk space
    assert "is a link or a file" in refused.value.hint and "disk space" not in refused.value.hint
    with pytest.raises(OutputError, match="a part of the way is not a folder"):
        writer.settled()
    assert sorted(os.listdir(elsewhere)) == ["summary.json", "written.json"]
    assert (build_dir / "page.html").read_text() == "old"


def test_a_file_at_the_writers_temporary_name_is_never_written_into(tmp_path):
    """The in-place writer writes a file's new bytes at a temporary name beside it
    (its pid in the name) and renames that over the file. A file already at that name
    (a write cut short, the pid reused by a server started again in a container) was
    opened to truncate: when it was also a file elsewhere (a hard link: `cp -al build
    backup`), that file got the new bytes; a FIFO there was renamed over the page (with
    no reader, the open waited forever). It is replaced by a new file instead."""
    from pipeline.write.in_place import TEMP_SUFFIX, InPlace

    build_dir, backup = tmp_path / "build", tmp_path / "backup"
    build_dir.mkdir()
    backup.mkdir()
    for name in ("page.html", "other.html"):
        (build_dir / name).write_text("old")
    (backup / "page.html").write_text("precious\n")
    os.link(backup / "page.html", build_dir / f".page.html{TEMP_SUFFIX}-{os.getpid()}")
    os.mkfifo(build_dir / f".other.html{TEMP_SUFFIX}-{os.getpid()}")
    reader = os.open(build_dir / f".other.html{TEMP_SUFFIX}-{os.getpid()}", os.O_RDONLY | os.O_NONBLOCK)
    try:
        writer = InPlace(tmp_path, build_dir, {"page.html", "other.html"})
        writer.write("page.html", b"new")
        writer.write("other.html", b"new")
        writer.commit()
    finally:
        os.close(reader)
    assert (backup / "page.html").read_text() == "precious\n"
    assert sorted(os.listdir(build_dir)) == ["other.html", "page.html"]
    for name in ("page.html", "other.html"):
        assert stat.S_ISREG(os.lstat(build_dir / name).st_mode) and (build_dir / name).read_bytes() == b"new"
