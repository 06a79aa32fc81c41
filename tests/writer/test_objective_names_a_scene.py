"""`done_when: bank`, the scene where the quest is done: HF0514 said "waits for 'bank',
which no story can set" with "Checked the stories that list this quest: first-story",
and the writer looked there and found the scene. The hint says a scene is no variable
and gives the flag to declare, set and wait for; followed, the project is clean."""

from __future__ import annotations

import re

from support import ROOTS, foundry

QUEST = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text()
STORY = (ROOTS / "minimal/content/stories/first-story.md").read_text()


def test_an_objective_waiting_for_a_scene_is_told_the_flag_to_set(project_factory):
    assert "done_when: crossed" in QUEST and STORY.count('](#bank){do="set crossed"}') == 2
    root = project_factory({"content/quests/first-quest.yaml": QUEST.replace("done_when: crossed", "done_when: bank")})
    said, = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert said["code"] == "HF0514" and said["hint"].startswith("'bank' is a scene of story 'first-story', not a "
                                                                "variable"), said
    flag = re.search(r"write `done_when: (\w+)`", said["hint"])[1]
    assert f"`{flag}: false` under its `variables:`" in said["hint"]
    # followed: declared, set after a `;` in the two choices leading there, waited for
    story = STORY.replace("  coins: 2\n", f"  coins: 2\n  {flag}: false\n").replace(
        '](#bank){do="set crossed"}', f'](#bank){{do="set crossed; set {flag}"}}')
    root = project_factory({"content/quests/first-quest.yaml": QUEST.replace("done_when: crossed", f"done_when: {flag}"),
                            "content/stories/first-story.md": story}, name="followed")
    assert foundry("check", "--project", str(root)).code == 0


def test_an_objective_waiting_for_a_name_no_story_has_is_told_how_to_make_it(project_factory):
    """`done_when: rang`, a flag the writer has not written yet in the story listing the
    quest (and no name near it): the hint was "Checked the stories that list this quest:
    first-story. Known here: 'coins', 'crossed'" — what is there, not what to write. It
    now says to declare and set it; followed, the project is clean."""
    root = project_factory({"content/quests/first-quest.yaml": QUEST.replace("done_when: crossed", "done_when: rang")})
    said, = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert said["code"] == "HF0514" and "`rang: false` under `variables:`" in said["hint"] \
        and '`do="set rang"`' in said["hint"], said
    story = STORY.replace("  coins: 2\n", "  coins: 2\n  rang: false\n").replace(
        '](#bank){do="set crossed"}', '](#bank){do="set crossed; set rang"}', 1)
    root = project_factory({"content/quests/first-quest.yaml": QUEST.replace("done_when: crossed", "done_when: rang"),
                            "content/stories/first-story.md": story}, name="followed")
    assert foundry("check", "--project", str(root)).code == 0
