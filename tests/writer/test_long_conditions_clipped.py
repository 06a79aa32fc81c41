"""A message that names a condition the writer wrote quoted it whole: an objective's
`done_when` of 37 comparisons made HF0514 a 700-character line repeating what the
source line under it already shows. Every message quoting a condition or an effect
(HF0514, HF0413 of a quest's or a skill's `requires`, HF0505, HF0605) clips it, as
every other quoted value is (`diagnostics.clip`), in a code span that shows it whole."""

from __future__ import annotations

from support import foundry

LONG = " and ".join(f"coins >= {n}" for n in range(3, 40))          # never true: coins are 0 or 2
UNMEETABLE = " and ".join(f"agility >= {n}" for n in range(12, 40))  # agility stops at 20
DIVIDES = 'set crossed; coins = 4 / coins' + " - 1" * 20             # coins are 0 in 'lantern'


def _quoted(root, codes):
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["file"]): d["message"] for d in run.json()["diagnostics"]}
    found = {key: message for key, message in said.items() if key[0] in codes}
    assert {key[0] for key in found} == set(codes), said
    for (code, _), message in found.items():
        assert len(message) < 280, (code, message)
        assert "…`" in message, (code, message)
    return found


def test_long_conditions_are_clipped_in_messages(project_factory):
    root = project_factory()
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text().replace("done_when: crossed", f'done_when: "{LONG}"')
                     .replace('requires: "level >= 1"', f'requires: "{UNMEETABLE}"'), encoding="utf-8")
    skills = root / "schemas/skills.yaml"
    skills.write_text(skills.read_text().replace('requires: "agility >= 12"', f'requires: "{UNMEETABLE}"'),
                      encoding="utf-8")
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace('{if="agility >= 12"}', f'{{if="{LONG}"}}'), encoding="utf-8")
    found = _quoted(root, ("HF0514", "HF0413", "HF0505"))
    assert ("HF0413", "schemas/skills.yaml") in found and ("HF0413", "content/quests/first-quest.yaml") in found


def test_a_long_effect_that_cannot_be_computed_is_clipped(project_factory):
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text().replace('{do="set crossed"}', f'{{do="{DIVIDES}"}}', 1), encoding="utf-8")
    _quoted(root, ("HF0605",))
