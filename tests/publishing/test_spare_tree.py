"""The tree build/ replaced is kept as the next build's staging folder (write/staging.py
`SPARE`): a build after an edit changes it by what differs, then exchanges it with
build/. These tests open what came out: build/ equals a clean build's after each
step, whatever the spare held (files of two builds ago, junk, links out, a folder
where a file goes, a spare committed by a pull request), nothing outside the project
is read or changed, and an unchanged output is not linked anew (the saving itself)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from engine_steps import edit, output_bytes, run, same_as_clean
from pipeline.write import staging as writer

HERO = "content/heroes/first-hero.yaml"
KEPT = "api/v1/schema/hero.schema.json"   # an output no hero edit changes


def _spare(root: Path) -> Path:
    return root / writer.VERSIONS / writer.SPARE


def _inodes(root: Path) -> dict[str, int]:
    base = root / "build"
    return {p.relative_to(base).as_posix(): p.stat().st_ino for p in base.rglob("*")
            if p.is_file() and ".foundry" not in p.parts}


@pytest.fixture
def twice(project_factory):
    """A project built twice (an edit between): the second build left a spare."""
    if not writer._renameat2():
        pytest.skip("no renameat2 here: build/ is switched by a link and no spare is kept")
    root = project_factory()
    run(root)
    edit(root, HERO, "xp: ", "xp: 3")
    run(root)
    if not _spare(root).is_dir():
        pytest.skip("this filesystem does not exchange folders: no spare is kept")
    return root


def _asked(monkeypatch) -> list[str]:
    """From now on, each output whose build/ copy a build checks (`OutputHashes.intact`)."""
    from pipeline.write.state import OutputHashes
    asked: list[str] = []
    real = OutputHashes.intact

    def intact(self, build_dir, rel, record):
        asked.append(rel)
        return real(self, build_dir, rel, record)
    monkeypatch.setattr(OutputHashes, "intact", intact)
    return asked


def test_an_edit_keeps_each_unchanged_output_as_the_very_file_it_was(twice, tmp_path, monkeypatch):
    root = twice
    report = run(root, ["json", "html"])
    assert report.written == []                       # a no-op: nothing staged
    edit(root, HERO, "xp: 3", "xp: 4")
    last = run(root)
    before, olds = _inodes(root), output_bytes(root)
    asked = _asked(monkeypatch)
    edit(root, HERO, "xp: 4", "xp: 5")
    report = run(root)
    # build/'s copy is looked at only for what the spare holds an older file of:
    # what the last build wrote; every other kept output is the spare's, unread
    assert set(asked) <= set(last.written) and len(asked) < len(report.reused)
    after = _inodes(root)
    written = set(report.written)
    assert written and set(report.reused)
    # every kept output is the same file (no link made, none deleted); a render is a new
    # file exactly when its bytes changed (one that made the same bytes keeps the file)
    assert all(after[path] == before[path] for path in report.reused if path in before)
    changed = {path for path in written if path not in olds or olds[path] != output_bytes(root)[path]}
    assert changed and changed != written
    assert all((after[path] != before.get(path)) == (path in changed) for path in written)
    same_as_clean(root, tmp_path)
    # the spare is the tree just replaced: it holds the old bytes of what was written
    assert (_spare(root) / "api/v1/heroes.json").read_bytes() != (root / "build/api/v1/heroes.json").read_bytes()


def test_whatever_the_spare_holds_the_build_equals_a_clean_one(twice, tmp_path):
    root = twice
    spare = _spare(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    # a kept output's file replaced by other bytes (a new file: not build/'s)
    page = spare / KEPT
    page.unlink()
    page.write_text("stale page")
    # junk: an extra file, a folder, a link out where a folder of the tree goes
    (spare / "extra.txt").write_text("junk")
    (spare / "junk/deep").mkdir(parents=True)
    (spare / "junk/deep/x.html").write_text("junk")
    shutil.rmtree(spare / "site/stories")
    os.symlink(outside, spare / "site/stories")
    # a folder where a file goes, a file where a folder goes
    (spare / "api/v1/rules.json").unlink()
    (spare / "api/v1/rules.json").mkdir()
    (spare / "api/v1/rules.json/inner").write_text("junk")
    shutil.rmtree(spare / "site/heroes")
    (spare / "site/heroes").write_text("a file where a folder goes")
    edit(root, HERO, "xp: 3", "xp: 9")
    run(root)
    same_as_clean(root, tmp_path)
    assert not (root / "build/extra.txt").exists() and not (root / "build/junk").exists()
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert (outside / "precious.txt").read_text() == "keep me\n"


def test_an_entity_removed_leaves_no_file_of_it_behind(twice, tmp_path):
    root = twice
    (root / "content/heroes/second-hero.yaml").write_text((root / HERO).read_text().replace("first-hero", "second-hero"))
    run(root)
    run(root)   # staged in the spare, which lacks the new hero's files
    assert any("second-hero" in path for path in output_bytes(root))
    same_as_clean(root, tmp_path)
    (root / "content/heroes/second-hero.yaml").unlink()
    run(root)
    assert not any("second-hero" in path for path in output_bytes(root))
    same_as_clean(root, tmp_path, "twin2")


def test_a_spare_this_machine_did_not_leave_is_deleted_unread(twice, tmp_path):
    """A spare copied in (as a checkout or a restored cache makes it: new folders) has
    another stat than the one recorded: deleted, never staged in, even when a link out."""
    root = twice
    spare = _spare(root)
    copied = tmp_path / "copied"
    shutil.copytree(spare, copied, symlinks=True)
    (copied / KEPT).write_text("planted")
    shutil.rmtree(spare)
    shutil.copytree(copied, spare, symlinks=True)
    edit(root, HERO, "xp: 3", "xp: 6")
    report = run(root)
    assert KEPT in report.reused            # build/'s own file was kept, not the planted one
    same_as_clean(root, tmp_path)

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n")
    shutil.rmtree(spare)
    os.symlink(outside, spare)
    edit(root, HERO, "xp: 6", "xp: 7")
    run(root)
    same_as_clean(root, tmp_path, "twin2")
    assert (outside / "precious.txt").read_text() == "keep me\n"
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]


def test_build_files_changed_in_place_are_written_again_not_kept_through_the_spare(twice, tmp_path):
    """A kept file is shared by build/ and the spare (one inode): one changed in place
    through build/ is not what foundry wrote, so the next build writes it anew, and
    the spare's path to it is replaced, not written through."""
    root = twice
    page = root / "build" / KEPT
    assert page.samefile(_spare(root) / KEPT)
    with open(page, "ab") as out:
        out.write(b"tampered")
    edit(root, HERO, "xp: 3", "xp: 8")
    report = run(root)
    assert KEPT in report.written
    same_as_clean(root, tmp_path)


def test_a_folder_of_the_spare_where_a_kept_output_goes_is_replaced_by_it(twice, tmp_path):
    """The spare holds a folder (with a file in it) at the path of an output the edit
    does not touch: build/'s file takes its place, and nothing under it is left to remove."""
    root = twice
    spare = _spare(root)
    (spare / KEPT).unlink()
    (spare / KEPT).mkdir()
    (spare / KEPT / "inner").write_text("junk")
    edit(root, HERO, "xp: 3", "xp: 10")
    report = run(root)
    assert KEPT in report.reused
    same_as_clean(root, tmp_path)


def test_a_fresh_output_neither_tree_holds_is_rendered_after_the_pool(twice, tmp_path, monkeypatch):
    """Which tree holds each fresh output is asked while the pool renders the stale
    ones (engine/builder.py `_settle`): one changed in place through build/'s inode,
    and one deleted from build/, are rendered after them, by the pool's code path,
    and the build equals a clean one."""
    monkeypatch.setenv("FOUNDRY_POOL_MIN_JOBS", "2")   # the pool starts for this small world
    root = twice
    gone = "api/v1/rules.json"   # no hero edit changes it either
    with open(root / "build" / KEPT, "ab") as out:
        out.write(b"tampered")
    (root / "build" / gone).unlink()
    edit(root, HERO, "xp: 3", "xp: 11")
    report = run(root, workers=2)
    assert report.counts["render_processes"] >= 1   # the stale ones were rendered by the pool
    assert KEPT in report.written and gone in report.written
    assert KEPT not in report.reused and gone not in report.reused
    same_as_clean(root, tmp_path)


def test_an_output_deleted_when_no_input_changed_is_rendered_again(twice, tmp_path):
    """Nothing to render by the inputs, yet an output is gone from build/ (and its
    spare's file is not the one recorded): the deferred check renders it, with no
    list's stored rows opened, and build/ equals a clean build."""
    root = twice
    gone = "api/v1/rules.json"
    (root / "build" / gone).unlink()
    report = run(root)
    assert report.written == [gone]
    same_as_clean(root, tmp_path)


def test_the_spare_is_asked_about_many_outputs_at_once_as_about_each(twice):
    """`_settle` asks about every fresh output at once (state.py `spared_all`): the same
    answers as `spared` one by one, and the same files left in the spare, whatever the
    spare holds at each path (the file as recorded, one changed in place through build/,
    a link, a folder, nothing)."""
    from pipeline.write.state import OutputHashes, read_state
    root = twice
    spare = _spare(root)
    with open(root / "build" / KEPT, "ab") as out:   # build/'s file and the spare's: one inode
        out.write(b"tampered")
    (spare / "api/v1/rules.json").unlink()
    os.symlink(root / "build/api/v1/rules.json", spare / "api/v1/rules.json")
    (spare / "api/v1/manifest.json").unlink()
    wanted = sorted(read_state(root / "build", listed=False).artifacts.items())
    one_by_one, staged = OutputHashes(root), writer.Staging(root, root / "build", spare=True)
    answers = [one_by_one.spared(staged, rel, record) for rel, record in wanted]
    at_once, staged_too = OutputHashes(root), writer.Staging(root, root / "build", spare=True)
    assert at_once.spared_all(staged_too, wanted) == answers
    assert True in answers and not any(answers[i] for i, (rel, _) in enumerate(wanted)
                                       if rel in (KEPT, "api/v1/rules.json", "api/v1/manifest.json"))
    assert staged._left == staged_too._left and staged._present == staged_too._present
    assert one_by_one.memo.seen == at_once.memo.seen


def test_a_clean_build_leaves_a_spare_so_the_first_edit_links_no_kept_output(project_factory, tmp_path, monkeypatch):
    """A clean build (no build/ yet) links each file it writes into the spare as well:
    the first edit after it stages there like any later one. Every kept output stays
    the very file, untouched (no link made to it: its ctime stands), and build/'s copy
    is never read for one; build/ equals a clean build's. Before, the first edit after
    a clean build staged in an empty spare and linked every kept output anew."""
    if not writer._renameat2():
        pytest.skip("no renameat2 here: build/ is switched by a link and no spare is kept")
    root = project_factory()
    (root / writer.VERSIONS / writer.SPARE / "stale").mkdir(parents=True)   # a deleted build/'s spare
    (root / writer.VERSIONS / writer.SPARE / "stale/x.html").write_text("junk")
    run(root)
    spare = _spare(root)
    if not spare.is_dir():
        pytest.skip("this filesystem does not exchange folders: no spare is kept")
    assert not (spare / "stale").exists()
    assert (root / "build" / KEPT).samefile(spare / KEPT)   # the very file, by a second name
    before = {rel: (root / "build" / rel).stat() for rel in _inodes(root)}
    asked = _asked(monkeypatch)
    edit(root, HERO, "xp: ", "xp: 3")
    report = run(root)
    assert KEPT in report.reused and report.written
    assert asked == []   # every kept output was the spare's, as recorded
    for rel in report.reused:
        if rel in before:
            now = (root / "build" / rel).stat()
            assert (now.st_ino, now.st_ctime_ns) == (before[rel].st_ino, before[rel].st_ctime_ns), rel
    same_as_clean(root, tmp_path)
    # the tree the edit replaced is now the spare, as after any later build
    assert (_spare(root) / KEPT).samefile(root / "build" / KEPT)


def test_a_staged_file_holds_exactly_its_bytes_as_open_would_write_them(tmp_path):
    """Staging writes a new file with the system's calls, not Python's file objects
    (three kernel calls fewer a file, ~25,000 files a clean build at 10,000 heroes):
    the same bytes from bytes, a bytearray or a view of a larger reused buffer (the
    pool's `_Buffers`), which is left free for its next use; the mode `open` gives
    under the umask."""
    import os
    from pipeline.write import staging as staging_module
    root = tmp_path / "project"
    (root / "build").mkdir(parents=True)
    staged = staging_module.Staging(root, root / "build")
    big = os.urandom(3 * 1024 * 1024 + 7)
    buffer = bytearray(len(big) + 100)
    buffer[:len(big)] = big
    whole = memoryview(buffer)
    for rel, data in (("a.bin", big), ("b/c.bin", bytearray(b"x" * 10)), ("d.bin", whole[:len(big)]), ("e.bin", b"")):
        staged.write(rel, data)
        assert (staged.dir / rel).read_bytes() == bytes(data)
    whole.release()   # nothing the write made still holds the buffer
    buffer.extend(b"grows")   # a bytearray with a live export refuses to resize
    umask = os.umask(0)
    os.umask(umask)
    assert (staged.dir / "a.bin").stat().st_mode & 0o777 == 0o666 & ~umask
    staged.abort()


def test_the_spare_is_asked_about_each_file_in_its_folder_held_open_never_through_a_link(twice, monkeypatch):
    """`spared_all` stats each of the spare's files by its name in its folder, held
    open (one path walked per folder, not per file: 32,000 at 10,000 heroes), and a
    folder swapped for a link after the spare was listed (to build/'s folder: the very
    files recorded) holds nothing spared: the link is not followed, its files are
    left to build/'s own check."""
    from pipeline.write.state import OutputHashes, read_state
    root = twice
    spare = _spare(root)
    wanted = sorted(read_state(root / "build", listed=False).artifacts.items())
    staged = writer.Staging(root, root / "build", spare=True)
    shutil.rmtree(spare / "api/v1/schema")
    os.symlink(root / "build/api/v1/schema", spare / "api/v1/schema")
    calls: list[tuple] = []
    real = os.lstat

    def lstat(path, *, dir_fd=None, **kw):   # the folder a name is stat'ed in, by its open descriptor (Linux)
        calls.append((path, dir_fd if dir_fd is None else os.readlink(f"/proc/self/fd/{dir_fd}")))
        return real(path, dir_fd=dir_fd, **kw)
    monkeypatch.setattr(os, "lstat", lstat)
    answers = OutputHashes(root).spared_all(staged, wanted)
    monkeypatch.undo()
    by_path = dict(zip((rel for rel, _ in wanted), answers))
    assert not any(ok for rel, ok in by_path.items() if rel.startswith("api/v1/schema/"))
    assert sum(answers) > 10 and by_path["api/v1/rules.json"]
    walked = [path for path, folder in calls if folder is None and os.fspath(path).startswith(os.fspath(spare))]
    in_folder = [path for path, folder in calls if folder is not None]
    assert not walked and all("/" not in path for path in in_folder)
    assert len(in_folder) >= sum(answers)   # each file spared stat'ed (and those found changed)
    folders = {folder for _, folder in calls if folder is not None}
    assert str(root / "build/api/v1/schema") not in folders and str(spare / "api/v1") in folders
    assert staged.spare_file("api/v1/rules.json") is None        # left in the spare, decided
    assert staged.spare_file(KEPT) is not None                   # under the link: build/'s check decides


def test_a_deleted_build_s_spare_is_removed_by_a_child_while_the_build_goes_on(project_factory, monkeypatch):
    """build/ deleted by hand leaves the spare holding the only links to the last
    build's files: removing it frees every block, which took the builder seconds of
    wall at 10,000 heroes before the render could start (docs/performance.md clean42).
    The next build renames it aside and a forked child removes it; by the build's end
    it is gone, nothing else is left in `.foundry-builds/`, and the new spare twins
    the new build/."""
    if not writer._renameat2():
        pytest.skip("no renameat2 here: build/ is switched by a link and no spare is kept")
    root = project_factory()
    run(root)
    if not _spare(root).is_dir():
        pytest.skip("this filesystem does not exchange folders: no spare is kept")
    shutil.rmtree(root / "build")
    (_spare(root) / "only-the-old-spare.html").write_text("old")
    log = root.parent / f"{root.name}-removals"
    real = writer.remove_tree

    def remove_tree(path):
        old = os.path.exists(os.path.join(path, "only-the-old-spare.html"))
        with open(log, "a", encoding="utf-8") as out:   # a child's calls too
            out.write(f"{os.getpid()} {int(old)}\n")
        return real(path)
    monkeypatch.setattr(writer, "remove_tree", remove_tree)
    run(root)
    removals = [tuple(map(int, line.split())) for line in log.read_text(encoding="utf-8").splitlines()]
    removers = {pid for pid, old in removals if old}
    assert removers and os.getpid() not in removers   # the old spare: by another process only
    assert sorted(os.listdir(root / writer.VERSIONS)) == [writer.SPARE]
    assert not (_spare(root) / "only-the-old-spare.html").exists()
    assert (root / "build" / KEPT).samefile(_spare(root) / KEPT)
