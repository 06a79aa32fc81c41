"""`foundry serve` writes the JSON API's published copies (site/api/v1/, `Planned.copy_of`)
as hard links to their originals (write/in_place.py `duplicate`), as a CLI build's
staged tree does: a hero save writes bundle.json, heroes.json and manifest.json once,
not twice. Each path is still replaced atomically (a new file renamed over it), so
rewriting one of the pair never writes into the other; where a link cannot be made
the copy is written as a file of its own; and build/ holds a clean build's bytes."""

from __future__ import annotations

import os
import shutil

from pipeline.engine.resident import Resident
from pipeline.write.in_place import InPlace
from engine_steps import edit, save, same_as_clean
from support import REPO

HERO = "content/heroes/first-hero.yaml"


def _inode(path) -> int:
    return os.lstat(path).st_ino


def test_a_copy_is_a_link_to_its_originals_new_file_and_an_unchanged_pair_is_left_alone(tmp_path):
    build = tmp_path / "build"
    (build / "site").mkdir(parents=True)
    (build / "a.json").write_bytes(b"[1]")
    (build / "site/a.json").write_bytes(b"[1]")
    writer = InPlace(tmp_path, build, {"a.json", "site/a.json"})
    writer.write("a.json", b"[2]")
    writer.duplicate("site/a.json", "a.json", b"[2]")
    writer.commit()
    assert (build / "site/a.json").read_bytes() == b"[2]" and _inode(build / "site/a.json") == _inode(build / "a.json")
    assert sorted(writer.written) == ["a.json", "site/a.json"]
    assert not [p for p in build.rglob("*") if ".foundry-tmp" in p.name]

    # the same bytes again: neither path is written (the pair stays one file)
    pair = _inode(build / "a.json")
    writer = InPlace(tmp_path, build, {"a.json", "site/a.json"})
    writer.write("a.json", b"[2]")
    writer.duplicate("site/a.json", "a.json", b"[2]")
    writer.commit()
    assert writer.written == [] and _inode(build / "a.json") == _inode(build / "site/a.json") == pair

    # new bytes: the original is a new file and the copy its link; the old pair's file is not written into
    old = build / "old.json"
    os.link(build / "a.json", old)
    writer = InPlace(tmp_path, build, {"a.json", "site/a.json"})
    writer.write("a.json", b"[3]")
    writer.duplicate("site/a.json", "a.json", b"[3]")
    writer.commit()
    assert old.read_bytes() == b"[2]" and (build / "site/a.json").read_bytes() == b"[3]"
    assert _inode(build / "site/a.json") == _inode(build / "a.json") != pair


def test_a_copy_someone_changed_is_linked_again_and_its_original_reported(tmp_path):
    build = tmp_path / "build"
    (build / "site").mkdir(parents=True)
    (build / "a.json").write_bytes(b"[1]")
    (build / "site/a.json").write_bytes(b"[0]")   # changed behind foundry's back
    writer = InPlace(tmp_path, build, {"a.json", "site/a.json"})
    writer.write("a.json", b"[1]")
    writer.duplicate("site/a.json", "a.json", b"[1]")
    writer.commit()
    # the link moved the original's change time: both are reported (the engine stats them again)
    assert sorted(writer.written) == ["a.json", "site/a.json"]
    assert _inode(build / "site/a.json") == _inode(build / "a.json")


def test_where_links_are_refused_the_copy_is_a_file_of_its_own(tmp_path, monkeypatch):
    build = tmp_path / "build"
    build.mkdir()
    writer = InPlace(tmp_path, build, set())

    def refused(*args, **kwargs):
        raise OSError(1, "links not allowed here")
    writer.write("a.json", b"[1]")
    writer.duplicate("site/a.json", "a.json", b"[1]")
    monkeypatch.setattr(os, "link", refused)
    writer.commit()
    assert (build / "site/a.json").read_bytes() == b"[1]" and _inode(build / "site/a.json") != _inode(build / "a.json")
    assert sorted(writer.written) == ["a.json", "site/a.json"]


def test_a_serve_save_links_the_json_apis_copies_and_gives_a_clean_builds_bytes(tmp_path):
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    engine = Resident(world, ["json", "html"])
    save(engine)
    save(engine)
    build = world / "build"
    edit(world, HERO, "name: Rook Amsel", "name: Rook Linked")
    save(engine, [HERO])
    assert engine.trusted_builds == 1
    for name in ("bundle.json", "heroes.json"):
        original, copy = build / "api/v1" / name, build / "site/api/v1" / name
        assert b"Rook Linked" in copy.read_bytes()
        assert _inode(copy) == _inode(original), name
        assert f"site/api/v1/{name}" in engine.changed
    engine.flush()
    same_as_clean(world, tmp_path)
    # a CLI build after the serve still finds them as it left them (a no-op)
    edit(world, HERO, "name: Rook Linked", "name: Rook Again")
    save(engine, [HERO])
    assert b"Rook Again" in (build / "site/api/v1/bundle.json").read_bytes()
    same_as_clean(world, tmp_path, "twin-2")
