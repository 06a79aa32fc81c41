"""A FIFO, socket or device anywhere foundry walks (content, assets, schemas, themes,
translations) is named at its path (HF0125, with a hint), never read — a read of a FIFO
would wait forever — and never silently skipped: `check` and `build` fail on it, and
one appearing after a build makes the next build look again (not a no-op)."""

from __future__ import annotations

import os
import shutil
import socket

from support import diagnostics, foundry, lines_run, write_project

FIFOS = ["content/heroes/ghost.yaml", "content/notes", "content/assets/portrait.png", "schemas/skills.yaml",
         "schemas/extra.yaml", "themes/mine/templates/hero.html", "translations/de/content/heroes/aria.yaml.po"]


def make_special(root, monkeypatch):
    for rel in FIFOS:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).unlink(missing_ok=True)   # the rule file, written as a FIFO instead
        os.mkfifo(root / rel)
    # a link (inside the project) to a FIFO is named at the link
    os.symlink("ghost.yaml", root / "content/heroes/shade.yaml")
    sock = socket.socket(socket.AF_UNIX)
    with monkeypatch.context() as here:
        here.chdir(root / "content/characters")   # a socket's path is bound relative: full ones may be too long
        sock.bind("listener.yaml")
    return sock


def test_every_special_file_is_named_and_none_is_read(tmp_path, monkeypatch):
    root = write_project(tmp_path / "world")
    sock = make_special(root, monkeypatch)
    try:
        run = foundry("check", "--project", str(root), "--format", "json")
        found = diagnostics(run)
        expected = sorted([*FIFOS, "content/heroes/shade.yaml", "content/characters/listener.yaml"])
        assert sorted(f.split(" ")[1].rsplit(":", 2)[0] for f in found if f.startswith("HF0125")) == expected
        by_path = {d["file"]: d for d in run.json()["diagnostics"] if d["code"] == "HF0125"}
        assert by_path["content/heroes/ghost.yaml"]["message"] == \
            "content/heroes/ghost.yaml is a named pipe (FIFO), not a file: foundry does not read it"
        assert "a socket" in by_path["content/characters/listener.yaml"]["message"]
        assert all(d["hint"] and d["severity"] == "error" for d in by_path.values())
        # the rule file that is a FIFO is named once, as the walk names it
        assert [f for f in found if "schemas/skills.yaml" in f] == ["HF0125 schemas/skills.yaml:0:0"]
        assert run.code == 1

        build = foundry("build", "--project", str(root), "--only", "json")
        assert build.code == 1 and "HF0125" in build.stderr
        assert not (root / "build").exists()
    finally:
        sock.close()


def test_a_fifo_added_after_a_build_is_not_a_no_op(tmp_path):
    root = write_project(tmp_path / "world")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    os.mkfifo(root / "content/heroes/late.yaml")
    again = foundry("build", "--project", str(root), "--only", "json")
    assert again.code == 1
    assert "content/heroes/late.yaml is a named pipe (FIFO)" in again.stderr


DANGLING = {"content/heroes/aria.yaml": ("../old/aria.yaml", "content/old/aria.yaml"),
            "content/stories/lost.md": ("drafts/lost.md", "content/stories/drafts/lost.md"),
            "schemas/extra.yaml": ("../content/none.yaml", "content/none.yaml"),
            "translations/fr.po": ("fr-v2.po", "translations/fr-v2.po")}


def test_a_link_to_nothing_is_named_where_it_points(tmp_path):
    # the walk skips a link to nothing (there is nothing to read): the writer is told,
    # at the link, where it points, as a path in the project
    root = write_project(tmp_path / "world")
    (root / "translations").mkdir()
    for rel, (target, _) in DANGLING.items():
        os.symlink(target, root / rel)
    os.symlink(root / "content/heroes/gone.yaml", root / "content/heroes/absolute.yaml")   # absolute, inside
    os.symlink("user@host.4242:1700000000", root / "content/heroes/.#first-hero.yaml")   # Emacs' lock: by design
    # the file there in other letters: a Mac reads it through the link, this system nothing
    os.symlink("Old-Guide.yaml", root / "content/characters/guide.yaml")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {d["file"]: d for d in run.json()["diagnostics"] if d["code"] == "HF0164"}
    expected = {**{rel: where for rel, (_, where) in DANGLING.items()},
                "content/heroes/absolute.yaml": "content/heroes/gone.yaml",
                "content/characters/guide.yaml": "content/characters/Old-Guide.yaml"}
    assert sorted(found) == sorted(expected), run.stdout
    for rel, where in expected.items():
        assert found[rel]["message"] == f"{rel} is a symbolic link to {where}, which does not exist: foundry skips it"
        assert found[rel]["severity"] == "warning" and found[rel]["hint"]
        assert ("'old-guide.yaml' is there, spelt otherwise" in found[rel]["hint"]) is (rel == "content/characters/guide.yaml")
    assert str(tmp_path) not in run.stdout   # never an absolute path
    assert run.code == 0   # a warning: the project builds


def test_an_input_folder_linked_to_nothing_is_named(tmp_path):
    root = write_project(tmp_path / "world")
    os.symlink("shared/translations", root / "translations")   # inside the project, not there (yet)
    os.rename(root / "content/heroes", root / "old-heroes")
    os.symlink("../heroes-v2", root / "content/heroes")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0164"}
    assert found == {
        "translations": "translations is a symbolic link to shared/translations, which does not exist: foundry skips it",
        "content/heroes": "content/heroes is a symbolic link to heroes-v2, which does not exist: foundry skips it"}


def test_a_link_to_nothing_added_after_a_build_is_not_a_no_op(tmp_path):
    root = write_project(tmp_path / "world")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    os.symlink("renamed.yaml", root / "content/heroes/late.yaml")
    again = foundry("build", "--project", str(root), "--only", "json")
    assert again.code == 0
    assert "content/heroes/late.yaml is a symbolic link to content/heroes/renamed.yaml" in again.stderr


def test_foundry_toml_as_a_link_to_nothing_says_where_it_points(tmp_path):
    root = write_project(tmp_path / "world")
    os.rename(root / "foundry.toml", root / "settings.toml")
    os.symlink("old/foundry.toml", root / "foundry.toml")
    run = foundry("check", "--project", str(root), "--format", "json")
    (found,) = [d for d in run.json()["diagnostics"] if d["file"] == "foundry.toml"]
    assert (found["code"], found["message"]) == \
        ("HF0205", "foundry.toml is a symbolic link to old/foundry.toml, which does not exist")
    assert str(tmp_path) not in run.stdout and run.code == 1


def test_foundry_toml_as_a_refused_link_says_why_as_every_refused_link_does(tmp_path):
    """foundry.toml was 'a symbolic link that leads outside the project' whatever it led
    to: into .git (the writer looked outside for a file in the project) or round in a
    loop. It is refused in the one rule's words (confine.refuse), as a hero is."""
    root = write_project(tmp_path / "world")
    (root / ".git").mkdir()
    os.rename(root / "foundry.toml", root / ".git/settings.toml")
    os.symlink(".git/settings.toml", root / "foundry.toml")
    said = []
    for _ in range(2):
        run = foundry("check", "--project", str(root), "--format", "json")
        said += [(d["code"], d["message"]) for d in run.json()["diagnostics"] if d["file"] == "foundry.toml"]
        assert run.code == 1
        os.unlink(root / "foundry.toml")
        os.symlink("foundry.toml", root / "foundry.toml")
    assert said == [("HF0120", "foundry.toml is a symbolic link into .git: it is not read"),
                    ("HF0120", "foundry.toml is a symbolic link that leads round in a loop: it is not read")]


def test_foundry_toml_as_a_folder_or_fifo_is_said_at_it(tmp_path):
    """foundry.toml committed as a folder (or a FIFO in its place) was skipped when the
    project was looked for: 'no foundry.toml … run `foundry init`', or, inside another
    project, that project checked instead without a word. It is this project's, and
    HF0205 says it cannot be read."""
    outer = write_project(tmp_path / "outer")
    root = write_project(outer / "inner")
    (root / "foundry.toml").unlink()
    (root / "foundry.toml").mkdir()
    (root / "foundry.toml" / "notes.txt").write_text("x\n")
    os.mkfifo(tmp_path / "fifo.toml")
    for place in (root, root / "content"):
        run = foundry("check", "--project", str(place), "--format", "json")
        assert run.code == 1 and diagnostics(run) == ["HF0205 foundry.toml:0:0"], run.stdout + run.stderr
    (root / "foundry.toml" / "notes.txt").unlink()
    (root / "foundry.toml").rmdir()
    os.rename(tmp_path / "fifo.toml", root / "foundry.toml")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and diagnostics(run) == ["HF0205 foundry.toml:0:0"], run.stdout + run.stderr


def _nest(top, depth: int) -> None:
    """`depth` folders named `a`, one in the other, under `top` (made one at a time:
    os.makedirs calls itself once per level too)."""
    folder = top
    for _ in range(depth):
        folder = folder / "a"
        folder.mkdir()
    (folder / "notes.txt").write_text("deep\n")


def test_a_folder_nested_a_thousand_deep_is_no_crash():
    """A checkout can hold a folder nested deeper than Python's recursion limit (paths
    of ~3,000 bytes): `foundry check` walked content/ with Python 3.11's os.walk,
    which calls itself once per level, and stopped with "internal error
    (RecursionError)"; a build removing such a tree where foundry keeps its own
    (`.foundry-builds/spare`, `.foundry-staging-*`) did the same with shutil.rmtree.
    Both go down one folder at a time."""
    import tempfile
    from pathlib import Path
    from pipeline.confine import remove_tree
    # not under tmp_path: pytest's own clean-up of its folders calls itself once per level
    # too, and would fail (for every later session) on a tree left by a run cut short
    base = Path(tempfile.mkdtemp(prefix="hf-deep-"))
    try:
        _deep_trees_are_no_crash(write_project(base / "world"))
    finally:
        remove_tree(base)


def test_the_check_s_look_at_a_deep_folder_takes_work_in_proportion_to_its_depth(tmp_path):
    """The stat of every input a check keeps (engine/checked.py `snapshot`) named each
    folder by os.path.relpath, which splits both whole paths again: at 1,200 levels
    most of a check's time. Twice as deep is now twice the work, not four times."""
    from pipeline.engine.checked import snapshot

    def lines(depth: int) -> tuple[int, list]:
        root = tmp_path / f"proj{depth}"
        (root / "content/assets").mkdir(parents=True)
        _nest(root / "content/assets", depth)
        taken: list = []
        return lines_run(lambda: taken.extend(snapshot(root)), "pipeline/engine/checked.py", "posixpath>"), taken

    short, taken = lines(100)
    assert [row[0] for row in taken][:3] == ["content", "content/assets/", "content/assets/a/"]
    assert taken[-1][0] == "content/assets/" + "a/" * 99 + "a/notes.txt"
    assert lines(200)[0] < 2.1 * short, short


def _deep_trees_are_no_crash(root) -> None:
    (root / "content/assets").mkdir(exist_ok=True)
    _nest(root / "content/assets", 1200)
    # a theme's static file as deep: copied into build/site/assets/, whose folders
    # os.makedirs made and the state's check of build/ walked up, each calling itself
    # once a level (internal error, RecursionError)
    (root / "themes/default/static").mkdir(parents=True)
    _nest(root / "themes/default/static", 1100)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and "internal error" not in run.stderr, run.stderr[-600:]
    run = foundry("build", "--project", str(root), "--only", "json,html")
    assert run.code == 0 and "internal error" not in run.stderr, run.stderr[-600:]
    assert (root / ("build/site/assets/" + "a/" * 1100 + "notes.txt")).read_text() == "deep\n"
    for left in (".foundry-builds/spare", ".foundry-staging-1-cut"):   # as a pull request commits them
        (root / left).mkdir(parents=True, exist_ok=True)
        _nest(root / left, 1200)
    hero = root / "content/heroes/first-hero.yaml"
    # a value edit: the build loads and stages (a comment is cut off before the load:
    # engine/cutoff.py, engine/shown.py, and stages nothing)
    hero.write_text(hero.read_text().replace("xp: ", "xp: 4", 1))
    run = foundry("build", "--project", str(root), "--only", "json")
    assert run.code == 0 and "internal error" not in run.stderr, run.stderr[-600:]
    assert not (root / ".foundry-staging-1-cut").exists()
    assert not (root / ".foundry-builds/spare/a").exists()


def test_a_fifo_in_a_heros_place_is_one_error(tmp_path):
    """content/heroes/first-hero.yaml a FIFO: HF0125 at it, and (as for a link out,
    HF0120) its id exists, so the story's protagonist and the guide's relationship are
    not 'unknown hero' too: three errors for one slip before."""
    root = write_project(tmp_path / "world")
    (root / "content/heroes/first-hero.yaml").unlink()
    os.mkfifo(root / "content/heroes/first-hero.yaml")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == ["HF0125 content/heroes/first-hero.yaml:0:0"], run.stdout
    assert run.code == 1


def test_a_folder_in_a_heros_place_is_one_error_in_check_and_build(tmp_path):
    """content/heroes/first-hero.yaml a folder (an unpacked archive, a mistaken mkdir):
    foundry said nothing at it, only 'unknown hero' at the story and the guide that name
    it, and the notes inside as not read. HF0125 at the folder, once; its id exists; what
    it holds is not also a stray. An empty one likewise, and build says what check says."""
    root = write_project(tmp_path / "world")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    (root / "content/heroes/first-hero.yaml").unlink()
    (root / "content/heroes/first-hero.yaml").mkdir()
    (root / "content/characters/old-guide.md").mkdir()   # a folder named as no kind's file: not this slip
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == ["HF0125 content/heroes/first-hero.yaml:0:0"], run.stdout
    said = run.json()["diagnostics"][0]
    assert said["message"] == "content/heroes/first-hero.yaml is a folder, not a file: foundry does not read it"
    assert "first-hero.yaml" in said["hint"] and run.code == 1
    build = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert diagnostics(build) == diagnostics(run) and build.code == 1
    (root / "content/heroes/first-hero.yaml/notes.md").write_text("what the hero was\n", encoding="utf-8")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(again) == ["HF0125 content/heroes/first-hero.yaml:0:0"], again.stdout
    # a link to a folder inside the project is the folder; a misnamed folder is its
    # name's slip (HF0130) alone; a link out is HF0120 alone
    (root / "content/assets/kept").mkdir(parents=True)
    os.symlink("../assets/kept", root / "content/heroes/linked.yaml")
    (root / "content/heroes/ctl\x01.yaml").mkdir()
    os.symlink(tmp_path, root / "content/heroes/away.yaml")
    # a link through a file leads nowhere, and hides no folder's HF0125 (asked of the
    # system, it raised NotADirectoryError and the folders' listing was dropped)
    os.symlink("../characters/old-guide.yaml/x", root / "content/heroes/through.yaml")
    more = foundry("check", "--project", str(root), "--format", "json")
    assert sorted(d["code"] + " " + d["file"] for d in more.json()["diagnostics"]) == [
        "HF0120 content/heroes/away.yaml", "HF0125 content/heroes/first-hero.yaml",
        "HF0125 content/heroes/linked.yaml", "HF0130 content/heroes/ctl\x01.yaml",
        "HF0164 content/heroes/through.yaml"], more.stdout


def test_a_folder_in_the_place_of_a_misnamed_file_is_told_a_name_check_keeps(tmp_path):
    """HF0125's hint at `content/heroes/Rook.yaml/` said 'put a file named Rook.yaml
    here': followed, the file is HF0113 (not an id); at `index.yaml/`, 'index.yaml' is
    HF0720 (the heroes' index page), whose own hint said index-2.yaml beside it. The
    folder's name, when no entity file keeps it, is told the id the walk of refused names
    tells it (places.told_ids), as every such hint is; followed, check is clean."""
    root = write_project(tmp_path / "world")
    (root / "content/heroes/Rook.yaml").mkdir()
    (root / "content/heroes/index.yaml").mkdir()
    (root / "content/stories/Index.md").mkdir()
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["file"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0125"}
    named = {rel: hint.split("put a file named ", 1)[1].split(" ", 1)[0] for rel, hint in hints.items()}
    assert named == {"content/heroes/Rook.yaml": "rook.yaml", "content/heroes/index.yaml": "index-2.yaml",
                     "content/stories/Index.md": "index-2.md"}, hints
    [told] = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0720"]
    assert "content/heroes/index-2.yaml" in told, told
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    story = (root / "content/stories/first-story.md").read_text(encoding="utf-8")
    for rel, name in named.items():
        (root / rel).rmdir()
        (root / rel).with_name(name).write_text(story if name.endswith(".md") else hero, encoding="utf-8")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert again.code == 0, again.stdout


def test_an_empty_folder_in_an_entitys_place_after_a_build_is_not_a_no_op(tmp_path):
    """Nothing in such a folder is read, so the build's fingerprint did not change when
    one appeared: the next build was a no-op (exit 0) while check failed on HF0125.
    The fingerprint names it (engine/sources.py); removed, the build is clean again."""
    root = write_project(tmp_path / "world")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    (root / "content/heroes/ghost.yaml").mkdir()
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert diagnostics(run) == ["HF0125 content/heroes/ghost.yaml:0:0"] and run.code == 1, run.stdout
    (root / "content/heroes/ghost.yaml").rmdir()
    assert foundry("build", "--project", str(root), "--only", "json").code == 0


def test_a_fifo_replaced_by_a_link_to_nothing_is_checked_again(tmp_path):
    """The check memo (engine/checked.py) hashed each name under the inputs, not what it
    is: a FIFO (HF0125, an error) replaced by a link to nothing at the same name (HF0164,
    a warning) replayed the FIFO's check, error and exit status 1 included."""
    root = write_project(tmp_path / "world")
    os.mkfifo(root / "content/heroes/late.yaml")
    first = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(first) == ["HF0125 content/heroes/late.yaml:0:0"] and first.code == 1
    (root / "content/heroes/late.yaml").unlink()
    os.symlink("renamed.yaml", root / "content/heroes/late.yaml")
    again = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(again) == ["HF0164 content/heroes/late.yaml:0:0"], again.stdout
    assert again.code == 0


def test_a_name_never_read_changing_what_it_is_is_built_again(tmp_path):
    """The build's unchanged-input shortcut (engine/sources.py) hashed a name it never
    reads (a FIFO, a link to nothing) by its name alone: a link to nothing (HF0164, a
    warning) replaced by a FIFO (HF0125, an error) replayed the link's build, exit 0
    where check says 1; a link pointed elsewhere replayed the old target's warning."""
    root = write_project(tmp_path / "world")
    late = root / "content/heroes/late.yaml"
    os.symlink("renamed.yaml", late)
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    late.unlink()
    os.mkfifo(late)
    fifo = foundry("build", "--project", str(root), "--only", "json")
    assert fifo.code == 1 and "content/heroes/late.yaml is a named pipe (FIFO)" in fifo.stderr, fifo.stderr
    late.unlink()
    os.symlink("renamed.yaml", late)
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    late.unlink()
    os.symlink("moved.yaml", late)
    moved = foundry("build", "--project", str(root), "--only", "json")
    assert moved.code == 0 and "content/heroes/moved.yaml, which does not exist" in moved.stderr, moved.stderr


def test_a_folder_that_cannot_be_listed_is_named_not_passed_over(tmp_path, monkeypatch):
    """A folder the system will not list (permissions: `chmod 000`, a root-owned folder
    a tool left) was passed over by every walk: its stories were in no output, and
    check said nothing. Simulated in process (the suite may run as root, whom
    permissions do not stop): every listing of that folder is refused, as it would be."""
    import json

    from .helpers import invoke
    root = write_project(tmp_path / "world")
    locked = os.path.realpath(root / "content/stories")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.realpath(os.fspath(path)) == locked:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = invoke("check", "--project", str(root), "--format", "json")
    found = [(d["code"], d["file"], d["severity"]) for d in json.loads(run.output)["diagnostics"]]
    assert ("HF0166", "content/stories", "error") in found, found
    assert run.exit_code == 1


def test_an_input_folder_that_is_no_folder_is_named_at_it(tmp_path, monkeypatch):
    """`content`, `schemas`, `themes` and `translations` are folders foundry walks. A
    file, a link to a file, a FIFO or a socket in one's place was passed over as no
    folder at all: a project whose `content` was a file checked "No problems found" and
    built a site of nothing, a `themes` FIFO was silently no theme, and a `schemas` file
    made every rule file "missing". Each is HF0125 at its name, once; and one
    appearing after a build is no no-op build."""
    root = write_project(tmp_path / "world")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    os.mkfifo(root / "themes")
    assert foundry("build", "--project", str(root), "--only", "json").code == 1   # not a no-op
    shutil.rmtree(root / "content")
    os.symlink("foundry.toml", root / "content")   # inside the project, to a file
    shutil.rmtree(root / "schemas")
    (root / "schemas").write_text("skills: []\n")
    sock = socket.socket(socket.AF_UNIX)
    with monkeypatch.context() as here:
        here.chdir(root)   # a socket's path is bound relative: full ones may be too long
        sock.bind("translations")
    try:
        run = foundry("check", "--project", str(root), "--format", "json")
    finally:
        sock.close()
    found = {d["file"]: d["message"] for d in run.json()["diagnostics"]}
    assert run.code == 1
    assert found == {
        "content": "content is a symbolic link to a file, not a folder: foundry reads the content/ folder, "
                   "and none is there",
        "schemas": "schemas is a file, not a folder: foundry reads the schemas/ folder, and none is there",
        "themes": "themes is a named pipe (FIFO), not a file: foundry does not read it",
        "translations": "translations is a socket, not a file: foundry does not read it"}, found


def test_a_listed_languages_folder_that_is_a_file_is_named_at_it(tmp_path):
    """`translations/de` a file (or a link to one) while `de` is listed: every German
    translation was missing with nothing said at it (the language only "not
    translated"). HF0125 there, as for the input folders themselves."""
    root = write_project(tmp_path / "world")
    with open(root / "foundry.toml", "a", encoding="utf-8") as out:
        out.write('\n[l10n]\nlanguages = ["de", "fr"]\n')
    (root / "translations").mkdir()
    (root / "translations/de").write_text("not a folder\n")
    os.symlink("../foundry.toml", root / "translations/fr")
    (root / "translations/README.md").write_text("For translators.\n")   # no language's name: not said
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {d["file"]: d["message"] for d in run.json()["diagnostics"] if d["code"] == "HF0125"}
    assert found == {
        "translations/de": "translations/de is a file, not a folder: foundry reads the translations/de/ folder, "
                           "and none is there",
        "translations/fr": "translations/fr is a symbolic link to a file, not a folder: foundry reads the "
                           "translations/fr/ folder, and none is there"}, run.stdout
    assert run.code == 1
