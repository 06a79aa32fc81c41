"""A symbolic link inside the project from one entity folder into another kind's
(`content/characters/twin.yaml -> ../heroes/first-hero.yaml`, or `content/characters ->
heroes`) is one error at the link, HF0755, in check and build alike: the hero read as a
character was an unknown-field error for each field a hero has and a character has not
(three for the minimal hero), and a folder linked so named every hero a character too
(HF0107 beside them). A link within its own kind's folder is an alias, read as that file."""

from __future__ import annotations

import os
import shutil

from support import foundry, write_project


def test_a_link_into_another_kinds_folder_is_one_error_at_the_link(tmp_path):
    root = write_project(tmp_path / "world")
    os.symlink("../heroes/first-hero.yaml", root / "content/characters/twin.yaml")
    os.symlink("first-hero.yaml", root / "content/heroes/alias.yaml")   # its own kind's: read
    # a whole folder linked into another kind's (its quests kept outside content/)
    shutil.move(root / "content/quests", root / "quests")
    os.symlink("characters", root / "content/quests")
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "json", "--project", str(root), "--format", "json")):
        found = [(d["code"], d["file"], d["message"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
        assert run.code == 1 and sorted(f[:2] for f in found if f[0] in ("HF0755", "HF0202", "HF0107", "HF0125")) == [
            ("HF0755", "content/characters/twin.yaml"), ("HF0755", "content/quests")], found
        # nor is the story naming a quest the folder was to hold "unknown quest" (HF0303):
        # the link's error says why no quest is read, as for a kind's folder linked out
        assert [f for f in found if f[0] == "HF0303"] == [], found
        assert ("HF0755", "content/quests", "content/quests is a symbolic link into content/characters/, where "
                "characters are kept: foundry does not read characters as quests") in found
        # one slip, one diagnostic: the files the linked folder leads to are not each a
        # stray of content/quests/ too (HF0105 for every character)
        strays = [d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0105"]
        assert strays == [], strays
    assert not (root / "build").exists()


def test_a_link_to_a_folder_outside_content_named_like_a_kind_is_read(tmp_path):
    """The place a link leads to is judged under content/ only: a project keeping its
    heroes in ./templates/heroes/ (content/heroes a link to it) or a character in
    ./stories/ had HF0755 'a symbolic link into content/templates/heroes/' and every
    story naming a hero unknown, where the files are read as they always were."""
    root = write_project(tmp_path / "world")
    (root / "templates").mkdir()
    shutil.move(root / "content/heroes", root / "templates/heroes")
    os.symlink("../templates/heroes", root / "content/heroes")
    (root / "stories").mkdir()
    shutil.copy(root / "content/characters/old-guide.yaml", root / "stories/twin.yaml")
    os.symlink("../../stories/twin.yaml", root / "content/characters/twin.yaml")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.json()["diagnostics"]
    assert run.json()["counts"]["heroes"] == 1 and run.json()["counts"]["characters"] == 2, run.json()["counts"]


def test_a_rule_file_linked_to_another_rule_file_is_one_error_at_the_link(tmp_path):
    """`schemas/relationships.yaml -> skills.yaml`: the skills were read as relationship
    kinds, 'unknown field skills' at the link and every tie's kind unknown at the hero
    and the character naming it (three errors for one link). One HF0755 at the link now,
    in check and build alike."""
    root = write_project(tmp_path / "world")
    (root / "schemas/relationships.yaml").unlink()
    os.symlink("skills.yaml", root / "schemas/relationships.yaml")
    for run in (foundry("check", "--project", str(root), "--format", "json"),
                foundry("build", "--only", "json", "--project", str(root), "--format", "json")):
        found = [(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
        assert run.code == 1 and found == [("HF0755", "schemas/relationships.yaml")], found
