"""Every refusal says why. A hero, story or template that is there but not read — a
link that leads outside the project, a FIFO — is never answered with "no such
template": the command shows the check's finding at that path (HF0120, HF0125, in
the confinement rule's words) and exits 1. `foundry import` never waits on a FIFO."""

from __future__ import annotations

import os
import threading

import pytest

from .helpers import invoke

LINK_OUT = "is a symbolic link that leads outside the project: it is not read"
FIFO = "is a named pipe (FIFO), not a file: foundry does not read it"


@pytest.fixture()
def world(tmp_path):
    root = tmp_path / "world"
    assert invoke("init", str(root)).exit_code == 0
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "story.md").write_text("---\ntitle: Outside\n---\n", encoding="utf-8")
    (outside / "hero.yaml").write_text("name: Outside\n", encoding="utf-8")
    (root / "content/templates/stories").mkdir(parents=True)
    os.symlink(outside / "story.md", root / "content/templates/stories/leak.md")
    os.mkfifo(root / "content/templates/stories/piped.md")
    os.symlink(outside / "hero.yaml", root / "content/templates/heroes/leak.yaml")
    os.mkfifo(root / "content/templates/heroes/piped.yaml")
    os.symlink(outside / "story.md", root / "content/stories/leaky.md")
    os.symlink(outside / "hero.yaml", root / "content/heroes/leaky.yaml")
    return root


@pytest.mark.parametrize("kind, template, path, why", [
    ("story", "leak", "content/templates/stories/leak.md", LINK_OUT),
    ("story", "piped", "content/templates/stories/piped.md", FIFO),
    ("hero", "leak", "content/templates/heroes/leak.yaml", LINK_OUT),
    ("hero", "piped", "content/templates/heroes/piped.yaml", FIFO),
])
def test_new_from_a_template_that_is_not_read_says_why(world, kind, template, path, why):
    result = invoke("new", kind, "fresh", "--template", template, "--project", str(world))
    assert result.exit_code == 1
    assert f"{path}: error " in result.stderr and f"{path} {why}" in result.stderr
    assert f"{kind} template '{template}' ({path}) is not read" in result.stderr
    assert "no story template" not in result.stderr and "no hero template" not in result.stderr
    assert not any(p.name.startswith("fresh") for p in (world / "content").rglob("*"))


@pytest.mark.parametrize("kind, folder, ending, offered", [
    ("story", "stories", "md", "three-act"), ("hero", "heroes", "yaml", "scout")])
def test_listing_templates_names_the_refused_ones(world, kind, folder, ending, offered):
    """`new hero --list-templates` listed the hero templates it read and said nothing of
    one linked outside the project (or a FIFO): the writer saw it missing from the list
    with no word why, where `new story --list-templates` names each (the check's words).
    Only the templates' own findings are said, not every problem of the project."""
    (world / "content/heroes/broken.yaml").write_text("name: [\n", encoding="utf-8")
    result = invoke("new", kind, "--list-templates", "--project", str(world))
    assert result.exit_code == 0
    assert offered in result.stdout and "leak" not in result.stdout
    assert f"content/templates/{folder}/leak.{ending} {LINK_OUT}" in result.stderr
    assert f"content/templates/{folder}/piped.{ending} {FIFO}" in result.stderr
    assert "content/heroes/" not in result.stderr, result.stderr


def test_a_template_that_is_not_there_still_lists_what_is(world):
    # `..` out of the templates' folder to a real file outside: no template either (the
    # boundary counts a walk out as there; "is not read; run `foundry check`" was said,
    # and `play` of such an id exited 1 without a word)
    for template in ("nope", "../../../../outside/story"):
        result = invoke("new", "story", "fresh", "--template", template, "--project", str(world))
        assert result.exit_code == 2, result.stderr
        assert f"no story template '{template}'" in result.stderr and "three-act" in result.stderr
    result = invoke("play", "../../../outside/story", "--project", str(world))
    assert result.exit_code == 2 and "no story '../../../outside/story'" in result.stderr, result.stderr
    # a `.` or empty segment names the very file, which the project loads under its own id:
    # play exited 1 without a word, new said 'is not read; run `foundry check`'
    for story in ("./first-story", "/first-story", ".//first-story"):
        result = invoke("play", story, "--project", str(world))
        assert result.exit_code == 2 and f"no story '{story}'" in result.stderr, (story, result.stderr)
    result = invoke("new", "hero", "fresh", "--template", "./scout", "--project", str(world))
    assert result.exit_code == 2 and "no hero template './scout'" in result.stderr, result.stderr


@pytest.mark.parametrize("args, path", [
    (("play", "leaky"), "content/stories/leaky.md"),
    (("play", "first-story", "--hero", "leaky"), "content/heroes/leaky.yaml"),
    (("hero", "leaky"), "content/heroes/leaky.yaml"),
])
def test_play_and_hero_say_why_an_entity_linked_out_is_not_read(world, tmp_path, args, path):
    # the target outside is removed: nothing outside is looked at to decide
    for name in ("story.md", "hero.yaml"):
        (tmp_path / "outside" / name).unlink()
    result = invoke(*args, "--project", str(world))
    assert result.exit_code == 1
    assert f"{path} {LINK_OUT}" in result.stderr
    assert "no story" not in result.stderr and "no hero" not in result.stderr


def test_import_refuses_a_fifo_instead_of_waiting_on_it(world, tmp_path):
    fifo = tmp_path / "story.twee"
    os.mkfifo(fifo)
    # were the FIFO read, the read would wait forever: a writer comes and goes after a
    # while (no-op when nobody reads), so a regression fails this test instead of hanging it
    release = threading.Timer(20, _open_for_writing, [fifo])
    release.daemon = True
    release.start()
    try:
        result = invoke("import", "twine", str(fifo), "--project", str(world))
    finally:
        release.cancel()
    assert result.exit_code == 2
    assert "is not a regular file (a pipe, socket or device): foundry import reads files only" in result.stderr


def _open_for_writing(fifo) -> None:
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass   # nobody is reading it: as it should be
