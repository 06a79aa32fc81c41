"""The commands around a writer's loop, run as a writer runs them: the real
`foundry` in a subprocess on a real project (tests/roots/minimal, copied)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.serve.server import LiveState, Rebuilder, is_editor_temp
from support import REPO, foundry

ENV = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}


@pytest.fixture
def world(project_factory):
    return project_factory()


def play(world, *args, input=None):
    return foundry("play", "first-story", "--project", str(world), *args, input=input)


def test_play_into_a_closed_pipe_stops_quietly(world):
    # `foundry play X | head -1`: the reader goes away while play still has scenes to print
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "play", "first-story", "--project", str(world)],
                            cwd=REPO, env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("## The Fog Road")
    proc.stdout.close()                       # what `head -1` does after its line
    _, err = proc.communicate("1\n", timeout=120)  # the next scene is written into the closed pipe
    assert "internal error" not in err and "Traceback" not in err and "BrokenPipe" not in err
    assert proc.returncode == 141             # 128 + SIGPIPE, as a shell tool stopped by `head`


def test_play_piped_into_head(world):
    run = subprocess.run(f"{sys.executable} -m pipeline play first-story --project '{world}' --choose 1,1 | head -1",
                         shell=True, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=300)
    assert run.stdout == "## The Fog Road\n"
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


def test_interactive_play_ended_by_eof_prints_the_scene_once(world):
    run = play(world, input="1\n")            # one choice, then end of input at the next prompt
    assert run.code == 0, run.stderr
    assert run.stdout.count("## The Fog Road") == 1
    assert run.stdout.count("## The Lantern Path") == 1


def test_a_word_instead_of_a_number_asks_again(world):
    run = play(world, input="abc\n9\n3\n")
    assert "'abc' is not a choice here: type a number from 1 to 3" in run.stderr
    assert "'9' is not a choice here" in run.stderr
    assert "not a valid integer" not in run.stderr
    assert "THE END (wait)" in run.stdout


def test_play_is_not_blocked_by_a_broken_file_it_does_not_use(project_factory):
    world = project_factory({"content/heroes/other.yaml": "name: Other\nattributes: {agility: 99}\n"})
    run = play(world, "--choose", "3")
    assert run.code == 0, run.stderr
    assert "THE END (wait)" in run.stdout
    assert "content/heroes/other.yaml" in run.stderr and "HF0404" in run.stderr  # shown, not hidden
    assert "do not affect playing 'first-story'" in run.stderr


def test_play_is_blocked_by_its_own_errors_and_its_heros(project_factory):
    broken_hero = project_factory({"content/heroes/first-hero.yaml": "name: Rook\nattributes: {agility: 99}\n"},
                                  name="hero")
    run = play(broken_hero, "--choose", "3")
    assert run.code == 1 and "HF0404" in run.stderr and "THE END" not in run.stdout
    world = project_factory(name="story")
    story = world / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("protagonist:", "protaganist:"), encoding="utf-8")
    run = play(world, "--choose", "3")
    assert run.code == 1 and "HF0202" in run.stderr and "THE END" not in run.stdout


def test_hero_sheet_is_not_blocked_by_errors_elsewhere(project_factory):
    world = project_factory({"content/heroes/other.yaml": "name: Other\nattributes: {agility: 99}\n"})
    run = foundry("hero", "first-hero", "--project", str(world))
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("Rook Amsel")
    assert "HF0404" in run.stderr


def test_hero_and_play_say_what_a_name_is(world):
    run = foundry("hero", "old-guide", "--project", str(world))
    assert run.code == 2
    assert "'old-guide' is a character" in run.stderr
    run = foundry("play", "old-guide", "--project", str(world))
    assert run.code == 2 and "'old-guide' is a character" in run.stderr


def test_a_files_path_given_for_an_id_is_told_the_id(world):
    """`foundry hero content/heroes/first-hero.yaml` (a shell completes the path) got
    "no hero …. This project's heroes: …", the writer left to find which; a character's
    file given to `hero`, a hero's to `play`, "This project's …" too. Each is told the
    id its file stands for (and what it is), on any system's separators; typed as said, it works."""
    for verb, typed, said in [
            ("hero", "content/heroes/first-hero.yaml", "Did you mean 'first-hero'?"),
            ("hero", "content\\heroes\\first-hero.yaml", "Did you mean 'first-hero'?"),
            ("hero", "first-hero.yaml", "Did you mean 'first-hero'?"),
            ("play", "content/stories/first-story.md", "Did you mean 'first-story'?"),
            ("hero", "content/characters/old-guide.yaml", "'old-guide' is a character"),
            ("play", "content/heroes/first-hero.yaml", "'first-hero' is a hero")]:
        run = foundry(verb, typed, "--project", str(world))
        assert run.code == 2 and said in run.stderr and "This project's" not in run.stderr, (typed, run.stderr)
    assert foundry("hero", "first-hero", "--project", str(world)).code == 0
    assert foundry("play", "first-story", "--choose", "1,1", "--project", str(world)).code == 0


def test_a_place_copied_from_a_report_given_for_an_id_is_told_the_id(world):
    """`foundry check` prints `content/heroes/first-hero.yaml:6:14: error …`; the writer
    copies the place to look at the hero and got "This project's heroes: …". The place's
    `:line:column` (or `:line`) is its file's: told the id, as for the path alone."""
    for verb, typed, said in [
            ("hero", "content/heroes/first-hero.yaml:6:14:", "Did you mean 'first-hero'?"),
            ("hero", "content/heroes/first-hero.yaml:6", "Did you mean 'first-hero'?"),
            ("play", "content/stories/first-story.md:14:1", "Did you mean 'first-story'?"),
            ("hero", "content/characters/old-guide.yaml:3:1", "'old-guide' is a character")]:
        run = foundry(verb, typed, "--project", str(world))
        assert run.code == 2 and said in run.stderr and "This project's" not in run.stderr, (typed, run.stderr)


def test_a_verb_given_no_id_or_a_file_says_what_to_type(world):
    """`foundry hero` / `foundry play` with no id, and `foundry check FILE`, `serve
    FOLDER`, `build FILE` as a linter, a web server or a converter takes one, got click's
    bare "Missing argument 'HERO_ID'", "Got unexpected extra argument" or "Directory …
    is a file". Each is a usage error (exit 2) saying what to type; typed as said, it works."""
    hero = foundry("hero", "--project", str(world))
    assert hero.code == 2 and "e.g. `foundry hero first-hero`" in hero.stderr, hero.stderr
    assert "This project's heroes: 'first-hero'." in hero.stderr and "Missing argument" not in hero.stderr
    story = foundry("play", "--project", str(world))
    assert story.code == 2 and "e.g. `foundry play first-story`" in story.stderr, story.stderr
    assert foundry("hero", "first-hero", "--project", str(world)).code == 0
    assert foundry("play", "first-story", "--choose", "1,1", "--project", str(world)).code == 0

    rel = "content/heroes/first-hero.yaml"
    for verb in ("check", "serve", "build"):
        run = foundry(verb, rel, cwd=world)
        assert run.code == 2 and "unexpected extra argument" not in run.stderr and "is a file" not in run.stderr, \
            run.stderr
        assert f"`foundry {verb}` works on the whole project and takes no file ('{rel}'): run `foundry {verb}` " \
               "alone" in run.stderr, run.stderr
    assert not (world / "build").exists()
    # a folder named after the verb: the project there, as `--project` names it
    run = foundry("check", world.name, cwd=world.parent)
    assert run.code == 2 and f"write `foundry check --project {world.name}`" in run.stderr, run.stderr
    assert foundry("check", "--project", world.name, cwd=world.parent).code == 0


def test_new_hero_refuses_the_id_of_a_character(world):
    before = sorted(p.name for p in (world / "content/heroes").iterdir())
    run = foundry("new", "hero", "old-guide", "--project", str(world))
    assert run.code == 2
    assert "'old-guide' is already a character" in run.stderr
    assert sorted(p.name for p in (world / "content/heroes").iterdir()) == before
    assert foundry("check", "--project", str(world)).code == 0


def test_story_template_descriptions_are_whole_sentences(world):
    run = foundry("new", "story", "--list-templates", "--project", str(world))
    assert run.code == 0
    lines = run.stdout.splitlines()
    assert len(lines) >= 3
    for line in lines:
        description = line.rsplit(" [", 1)[0]
        assert description.endswith("."), line
    assert any("depends on what the hero learned." in line for line in lines)


def test_build_only_empty_is_a_usage_error(world):
    run = foundry("build", "--only", "", "--project", str(world))
    assert run.code == 2
    assert "--only" in run.stderr
    assert not (world / "build").exists()


def test_init_prints_a_next_line_a_shell_can_run(tmp_path):
    run = foundry("init", "My World 2", cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert run.code == 0, run.stderr
    assert "Next: cd 'My World 2' && foundry check" in run.stderr


def test_init_at_a_name_taken_by_a_dangling_link_or_a_fifo_says_what_is_there(tmp_path):
    """`foundry init dangl` where dangl is a link to nothing said the machine's "cannot
    create the project at dangl: File exists", and a FIFO "a file is where foundry needs
    a folder": neither said what stood there. Nothing is written through the link."""
    os.symlink("nowhere", tmp_path / "dangl")
    os.mkfifo(tmp_path / "pipe")
    run = foundry("init", "dangl", cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert run.code == 2 and "dangl is a symbolic link to nowhere, which does not exist" in run.stderr, run.stderr
    assert not (tmp_path / "nowhere").exists()
    run = foundry("init", "pipe", cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert run.code == 2 and "pipe is a special file (a FIFO, socket or device), not a folder" in run.stderr, run.stderr


@pytest.mark.parametrize("name", ["-x", "--world", "wé 世界"])
def test_init_next_line_enters_the_folder_whatever_its_name(tmp_path, name):
    """The `cd` of the Next line, run by a shell, enters the new folder: `cd -x` is an
    option to cd ("invalid option"), so a name starting with '-' is written ./-x."""
    import subprocess
    run = foundry("init", "--no-git", "--", name, cwd=tmp_path, env={"PYTHONPATH": str(REPO)})
    assert run.code == 0, run.stderr
    cd = run.stderr.split("Next: ", 1)[1].split(" && ", 1)[0]
    shell = subprocess.run(["sh", "-c", f"{cd} && pwd"], cwd=tmp_path, capture_output=True, text=True)
    assert shell.returncode == 0 and shell.stdout.strip() == str(tmp_path / name), (cd, shell.stderr)


def test_schemas_says_what_it_did(world):
    run = foundry("schemas", "--project", str(world))
    assert run.code == 0 and "schemas/json/ is up to date" in run.stderr
    (world / "schemas/json/hero.schema.json").unlink()
    run = foundry("schemas", "--project", str(world))
    assert run.code == 0 and "Wrote schemas/json/hero.schema.json" in run.stderr


def test_schemas_of_a_rule_book_in_error_exits_as_check_does(project_factory):
    """An empty schemas/attributes.yaml: `foundry schemas` said HF0104 and exited 2, the
    status of a tool error, while check, hero, play and l10n say 1 for the same slip
    (the content is wrong). It exits 1."""
    root = project_factory({"schemas/attributes.yaml": ""})
    run = foundry("schemas", "--project", str(root))
    assert run.code == 1 and "HF0104" in run.stdout + run.stderr, (run.stdout, run.stderr)


@pytest.mark.parametrize("name, temp", [
    ("content/stories/first-story.md", False), ("content/heroes/a.yaml", False),
    ("content/stories/4913", True), ("content/stories/.first-story.md.swp", True),
    ("content/stories/first-story.md~", True), ("content/stories/.#first-story.md", True),
    ("content/stories/#first-story.md#", True), ("content/heroes/.a.yaml.swx", True),
    ("content/heroes/a.yaml___jb_tmp___", True), ("content/.DS_Store", True),
])
def test_serve_ignores_editor_temporary_files(name, temp):
    assert is_editor_temp(name) is temp


def test_serve_prints_the_problems_and_when_they_are_fixed(world):
    logged: list[str] = []
    rebuilder = Rebuilder(world, ["json"], LiveState(), logged.append)
    rebuilder.run("first build")
    story = world / "content/stories/first-story.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("{#tracks}", "{#trakcs}"), encoding="utf-8")
    rebuilder.run("content/stories/first-story.md")
    shown = "\n".join(logged)
    # as `foundry check` prints it: place, code, message, the line quoted, the hint
    assert "content/stories/first-story.md:" in shown and "HF0304" in shown and "Did you mean" in shown
    assert "still serving the last good build" in shown
    logged.clear()
    story.write_text(good, encoding="utf-8")
    rebuilder.run("content/stories/first-story.md")
    assert any("fixed" in line for line in logged), logged
