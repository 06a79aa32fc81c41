"""A reference to an id whose file is saved with an ending foundry does not read
(`old-guide.yml`, `scout.YAML`, `first-quest.txt`, `first-story` with no ending: an
editor's or another tool's habit)
names that file in its hint with the rename. It said "Characters live in
content/characters/" — where the writer's file is — so the reference and the file's own
"is not read" warning (HF0105) were two puzzles, not one fix."""

from __future__ import annotations

from support import foundry


def test_an_unknown_id_whose_file_is_not_read_names_that_file(project_factory):
    root = project_factory({})
    (root / "content" / "characters" / "old").mkdir()   # moved aside: old-guide.yaml already, where it is is the fix
    for old, new in (("characters/old-guide.yaml", "characters/old/old-guide.yaml"),
                     ("templates/heroes/scout.yaml", "templates/heroes/scout.YAML"),
                     ("quests/first-quest.yaml", "quests/first-quest.txt")):
        (root / "content" / old).rename(root / "content" / new)
    # a file of that name in another kind's folder is not the one meant (it was named,
    # being first: "rename it first-quest.yaml" would leave it a hero)
    (root / "content" / "heroes" / "first-quest.yml").write_text("name: Quester\n", encoding="utf-8")
    story = root / "content" / "stories" / "first-story.md"
    (story.parent / "second").write_bytes(story.read_bytes().replace(b"title: The Fog Road", b"title: Two"))
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {(d["code"], d["file"], d["line"]): d["hint"] for d in run.json()["diagnostics"]
             if d["code"] in ("HF0302", "HF0303", "HF0305")}
    assert hints == {
        ("HF0305", "content/heroes/first-hero.yaml", 5):
            "content/templates/heroes/scout.YAML has that name but is not read (only .yaml files are): "
            "rename it scout.yaml.",
        ("HF0302", "content/heroes/first-hero.yaml", 10):
            "content/characters/old/old-guide.yaml has that name but is not read: only files directly in "
            "content/characters/ are read as characters. Move it to content/characters/old-guide.yaml.",
        ("HF0302", "content/stories/first-story.md", 7):
            "content/characters/old/old-guide.yaml has that name but is not read: only files directly in "
            "content/characters/ are read as characters. Move it to content/characters/old-guide.yaml.",
        ("HF0303", "content/stories/first-story.md", 8):
            "content/quests/first-quest.txt has that name but is not read (only .yaml files are): "
            "rename it first-quest.yaml.",
    }, run.stdout
    # a file saved with no ending is read for what it looks like, as one with `.txt` is
    # (it was "Files pages show go in content/assets/")
    stray = next(d for d in run.json()["diagnostics"] if d["file"] == "content/stories/second")
    assert stray["hint"].startswith("It looks like a story (") and stray["hint"].endswith(": rename it second.md."), \
        stray


def test_an_unknown_id_whose_file_is_in_another_folder_is_told_the_move(project_factory):
    """A .yaml file in the wrong folder (`content/templates/` for `templates/heroes/`, a
    folder within quests/, `content/hero/`) was told "(only .yaml files are): rename it
    scout.yaml": it is one, and renamed as told it is still not read."""
    root = project_factory({})
    content = root / "content"
    for old, new in (("templates/heroes/scout.yaml", "templates/scout.yaml"),
                     ("quests/first-quest.yaml", "quests/act1/first-quest.yaml"),
                     ("characters/old-guide.yaml", "hero/old-guide.yaml")):
        (content / new).parent.mkdir(exist_ok=True)
        (content / old).rename(content / new)
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {(d["code"], d["file"], d["line"]): d["hint"] for d in run.json()["diagnostics"]
             if d["code"] in ("HF0302", "HF0303", "HF0305")}
    said = "has that name but is not read: only files directly in"
    assert hints == {
        ("HF0305", "content/heroes/first-hero.yaml", 5):
            f"content/templates/scout.yaml {said} content/templates/heroes/ are read as hero templates. "
            "Move it to content/templates/heroes/scout.yaml.",
        ("HF0303", "content/stories/first-story.md", 8):
            f"content/quests/act1/first-quest.yaml {said} content/quests/ are read as quests. "
            "Move it to content/quests/first-quest.yaml.",
        **{key: f"content/hero/old-guide.yaml {said} content/characters/ are read as characters. "
                "Move it to content/characters/old-guide.yaml."
           for key in (("HF0302", "content/heroes/first-hero.yaml", 10), ("HF0302", "content/stories/first-story.md", 7))},
    }, run.stdout


def test_a_quest_listed_only_by_a_story_not_read_names_that_story(project_factory):
    """A story saved outside content/stories/ (`content/first-story.md`, or as
    `first-story.txt`): HF0105, a warning, and its quest's objective "waits for
    'crossed', which no story can set" with the hint "No story lists this quest yet: add
    `quests: [first-quest]` to a story's front matter" — followed, the quest went into a
    second story. The hint names the story that lists it and where it is read; moved
    there, as told, the project is clean."""
    for place in ("content/first-story.md", "content/stories/first-story.txt"):
        root = project_factory({}, name=place.replace("/", "-"))
        story = root / "content" / "stories" / "first-story.md"
        story.rename(root / place)
        run = foundry("check", "--format", "json", "--project", str(root))
        hints = {d["code"]: d["hint"] for d in run.json()["diagnostics"]}
        assert sorted(hints) == ["HF0105", "HF0514"], run.stdout
        act = "Rename it first-story.md" if place.endswith(".txt") else "Move it to content/stories/first-story.md"
        assert hints["HF0514"] == (f"{place} lists this quest but is not read: only .md files directly in "
                                   f"content/stories/ are read as stories. {act}."), hints
        (root / place).rename(story)   # as told
        assert foundry("check", "--project", str(root)).code == 0


def test_an_entity_in_a_folder_beside_content_is_said(project_factory):
    """A story saved in `stories/` at the project's root (beside content/, not in it), a
    hero in `heroes/`: nothing was said at all (only the quest's "no story can set").
    Each is HF0105 with its move; a root folder's notes are the writer's own, not said;
    moved as told, the project is clean, and the check after says nothing stale."""
    root = project_factory({"heroes/kes.yaml": "name: Kes\nxp: 0\n", "stories/notes.md": "Ideas for act two.\n"})
    (root / "content/stories/first-story.md").rename(root / "stories/first-story.md")
    run = foundry("check", "--format", "json", "--project", str(root))
    found = {(d["code"], d["file"]): d["hint"] for d in run.json()["diagnostics"]}
    assert found == {
        ("HF0105", "heroes/kes.yaml"): "Move it to content/heroes/kes.yaml.",
        ("HF0105", "stories/first-story.md"): "Move it to content/stories/first-story.md.",
        ("HF0514", "content/quests/first-quest.yaml"):
            "stories/first-story.md lists this quest but is not read: only .md files directly in content/stories/ "
            "are read as stories. Move it to content/stories/first-story.md."}, run.stdout
    (root / "stories/first-story.md").rename(root / "content/stories/first-story.md")
    (root / "heroes/kes.yaml").rename(root / "content/heroes/kes.yaml")
    run = foundry("check", "--project", str(root))
    assert run.code == 0 and "No problems found" in run.stdout + run.stderr, run.stdout + run.stderr
