"""An empty value in quotes (`name: ""`, an objective's `text: ''`) was HF0204 in
pydantic's words, "'name': String should have at least 1 character"; now "is empty"
with the fix in the writer's words, at the value."""

from __future__ import annotations

from support import ROOTS, foundry

HERO = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
QUEST = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text()


def test_an_empty_value_is_said_empty(project_factory):
    hero, quest = HERO.replace("name: Rook Amsel", 'name: ""'), QUEST.replace("text: Reach the far bank", "text: ''")
    assert hero != HERO and quest != QUEST
    root = project_factory({"content/heroes/first-hero.yaml": hero, "content/quests/first-quest.yaml": quest})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = sorted((d["file"], d["line"], d["code"], d["message"]) for d in run.json()["diagnostics"])
    assert said == [("content/heroes/first-hero.yaml", 2, "HF0204", "'name': is empty"),
                    ("content/quests/first-quest.yaml", 8, "HF0204", "'objectives.0.text': is empty")], run.stdout
    assert all(d["hint"].startswith("Write its text: an empty value shows nothing") for d in run.json()["diagnostics"])
