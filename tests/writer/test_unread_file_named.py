"""A reference to an id whose file is saved with an ending foundry does not read
(`old-guide.yml`, `scout.YAML`, `first-quest.txt`: an editor's or another tool's habit)
names that file in its hint with the rename. It said "Characters live in
content/characters/" — where the writer's file is — so the reference and the file's own
"is not read" warning (HF0105) were two puzzles, not one fix."""

from __future__ import annotations

from support import foundry


def test_an_unknown_id_whose_file_is_not_read_names_that_file(project_factory):
    root = project_factory({})
    for old, new in (("characters/old-guide.yaml", "characters/old-guide.yml"),
                     ("templates/heroes/scout.yaml", "templates/heroes/scout.YAML"),
                     ("quests/first-quest.yaml", "quests/first-quest.txt")):
        (root / "content" / old).rename(root / "content" / new)
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {(d["code"], d["file"], d["line"]): d["hint"] for d in run.json()["diagnostics"]
             if d["code"] in ("HF0302", "HF0303", "HF0305")}
    assert hints == {
        ("HF0305", "content/heroes/first-hero.yaml", 5):
            "content/templates/heroes/scout.YAML has that name but is not read (only .yaml files are): "
            "rename it scout.yaml.",
        ("HF0302", "content/heroes/first-hero.yaml", 10):
            "content/characters/old-guide.yml has that name but is not read (only .yaml files are): "
            "rename it old-guide.yaml.",
        ("HF0302", "content/stories/first-story.md", 7):
            "content/characters/old-guide.yml has that name but is not read (only .yaml files are): "
            "rename it old-guide.yaml.",
        ("HF0303", "content/stories/first-story.md", 8):
            "content/quests/first-quest.txt has that name but is not read (only .yaml files are): "
            "rename it first-quest.yaml.",
    }, run.stdout
