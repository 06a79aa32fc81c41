"""HF0105 says a file under content/ "is not read"; an image beside the heroes that a
hero names as its portrait is read (and published), so it is not said of it: the
warning waits until the portraits are known. An image there that nobody names still
gets it."""

from __future__ import annotations

import shutil

from PIL import Image

from support import ROOTS, diagnostics, foundry


def test_a_portrait_beside_the_heroes_is_not_called_unread(tmp_path):
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    heroes = root / "content" / "heroes"
    for name in ("rook.png", "spare.png"):
        Image.new("RGB", (64, 80), (120, 90, 60)).save(heroes / name)
    hero = heroes / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: rook.png\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert diagnostics(run) == ["HF0105 content/heroes/spare.png:0:0"]
    # the same in the built site: the portrait is published from where it is
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert run.code == 0 and diagnostics(run) == ["HF0105 content/heroes/spare.png:0:0"]
    assert b"rook" in (root / "build/site/heroes/first-hero.html").read_bytes()


def test_a_portrait_beside_the_heroes_that_is_a_link_is_not_called_unread(tmp_path):
    # content/heroes/rook.png -> ../../art/rook.png, named `portrait: rook.png`: the image
    # read is art/rook.png, and the link beside the heroes was called "not read"
    root = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", root)
    (root / "art").mkdir()
    Image.new("RGB", (64, 80), (120, 90, 60)).save(root / "art/rook.png")
    heroes = root / "content" / "heroes"
    (heroes / "rook.png").symlink_to("../../art/rook.png")
    (heroes / "spare.png").symlink_to("../../art/rook.png")
    hero = heroes / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: rook.png\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert diagnostics(run) == ["HF0105 content/heroes/spare.png:0:0"]
