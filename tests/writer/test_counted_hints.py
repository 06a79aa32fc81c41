"""A hint that counts says "1 item", not "1 items": a quest with no objectives was told
"Give it at least 1 items." (HF0204). The message is in the same words, not pydantic's
"List should have at least 1 item after validation, not 0"."""

from __future__ import annotations

from support import foundry

QUEST = """\
title: Through the Fog
status: draft
giver: old-guide
objectives: []
"""


def test_a_hint_that_counts_one_says_it_in_the_singular(project_factory):
    root = project_factory({"content/quests/empty-quest.yaml": QUEST,
                            "content/heroes/low.yaml": "name: Low\nattributes: {agility: 13}\nlevel: 0\n"})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [d for d in run.json()["diagnostics"] if d["file"] == "content/quests/empty-quest.yaml"]
    assert [d["code"] for d in said] == ["HF0204"], said
    assert said[0]["hint"] == "Give it at least 1 item."
    assert said[0]["message"] == "'objectives': is empty; it needs at least 1 item", said
    # a bound in the hint's words too, not pydantic's "should be greater than or equal to 1"
    [low] = [d for d in run.json()["diagnostics"] if d["file"] == "content/heroes/low.yaml"]
    assert (low["code"], low["message"], low["hint"]) == ("HF0204", "'level': should be at least 1",
                                                          "Write a number at least 1."), low
