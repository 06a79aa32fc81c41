"""A choice "can never be taken" because of a value of the hero (`agility >= 12`) was
told "Check the variables the condition reads: where they start (`variables:`)": the
writer looked under `variables:`, where agility is not. A story naming no hero
(`protagonist: null`, or none written) is played by an average level-1 hero, and
nothing said so. The hint names who played and the value read; followed (the
protagonist named), the story is clean."""

from __future__ import annotations

from support import ROOTS, foundry

STORY = (ROOTS / "minimal/content/stories/first-story.md").read_text()


def _hints(root) -> dict[str, str]:
    run = foundry("check", "--format", "json", "--project", str(root))
    return {d["code"]: d["hint"] for d in run.json()["diagnostics"]}


def test_the_hint_names_who_plays_and_the_value_read(project_factory):
    assert "protagonist: first-hero\n" in STORY and '{if="agility >= 12"}' in STORY
    nobody = STORY.replace("protagonist: first-hero\n", "protagonist: null\n")
    hints = _hints(project_factory({"content/stories/first-story.md": nobody}, name="nobody"))
    assert sorted(hints) == ["HF0504", "HF0505"], hints
    assert hints["HF0505"].startswith("`agility` is the hero's, and no hero is named (`protagonist:`, `heroes:`): "
                                      "an average level-1 hero plays, every attribute at its default: agility 8. "
                                      "Name the hero who plays it"), hints
    assert "no hero is named" in hints["HF0504"] and "`variables:`" not in hints["HF0505"], hints
    # followed: the hero named
    assert foundry("check", "--project", str(project_factory({"content/stories/first-story.md": STORY},
                                                             name="named"))).code == 0
    # a named hero who cannot: her value, and the story's variable the condition also reads
    higher = STORY.replace('{if="agility >= 12"}', '{if="agility >= 14 and coins > 0"}')
    hints = _hints(project_factory({"content/stories/first-story.md": higher}, name="higher"))
    assert hints["HF0505"] == ("`agility` is the hero's: first-hero has agility 13. Check the story variables it "
                               "reads too: where they start (`variables:`) and which choices set them."), hints
