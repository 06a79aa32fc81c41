"""One name twice in a list: skills and items were deduplicated without a word, tags
and relationships published twice (two rows in the JSON). HF0129 at the second."""

from __future__ import annotations

from support import diagnostics, foundry


def test_a_name_listed_twice_is_named_at_the_second(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8").replace("skills: [ambush]", "skills: [ambush, ambush]")
    text = text.replace("  - {with: old-guide, kind: mentor}\n",
                        "  - {with: old-guide, kind: mentor}\n  - {with: old-guide, kind: mentor}\n")
    hero.write_text(text + "tags: [scout, scout]\n", encoding="utf-8")
    lines = text.splitlines()
    skills = next(k for k, line in enumerate(lines, 1) if line.startswith("skills:"))
    second = next(k for k, line in enumerate(lines, 1) if "kind: mentor" in line) + 1
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("characters: [old-guide]",
                                                               "characters: [old-guide, old-guide]"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0
    assert [d for d in diagnostics(run) if d.startswith("HF0129")] == [
        f"HF0129 content/heroes/first-hero.yaml:{skills}:18",
        f"HF0129 content/heroes/first-hero.yaml:{second}:5",
        f"HF0129 content/heroes/first-hero.yaml:{len(lines) + 1}:15",
        "HF0129 content/stories/first-story.md:7:25"]


def test_a_reward_item_or_a_skill_prerequisite_listed_twice_is_named_at_the_second(project_factory):
    """A quest's `rewards: {items: [lamp, lamp]}` and a skill's `prerequisites: [tracking,
    tracking]` in schemas/skills.yaml: both were published twice in the JSON (the quest's
    `reward_items`, rules.json's `prerequisites`) with check clean, where every other
    list of names says HF0129 at the second."""
    root = project_factory()
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace("rewards: {xp: 50}",
                                                               "rewards: {xp: 50, items: [lamp, rope, lamp]}"),
                     encoding="utf-8")
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("prerequisites: [tracking]",
                                                                 "prerequisites: [tracking, tracking]"),
                      encoding="utf-8")
    quest_line = next(k for k, line in enumerate(quest.read_text(encoding="utf-8").splitlines(), 1)
                      if line.startswith("rewards:"))
    skill_line = next(k for k, line in enumerate(skills.read_text(encoding="utf-8").splitlines(), 1)
                      if "prerequisites: [tracking, tracking]" in line)
    column = skills.read_text(encoding="utf-8").splitlines()[skill_line - 1].index("tracking]") + 1
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0
    assert sorted(d for d in diagnostics(run) if d.startswith("HF0129")) == [
        f"HF0129 content/quests/first-quest.yaml:{quest_line}:39",
        f"HF0129 schemas/skills.yaml:{skill_line}:{column}"]
