"""Long but legal chains in content: the pages that walk them must not recurse once per
link (Python stops at ~1,000 frames, and the build then fails with HF0711 'recursed too
deeply' at a built page while `foundry check` is clean)."""
from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.exporters.html.views.quests import prerequisite_chain
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import write_project

QUEST = """\
title: Quest {i}
status: published
summary: Step {i}.
giver: old-guide
{pre}objectives:
  - {{id: o, text: Do it, done_when: crossed}}
rewards: {{xp: 5}}
"""


def test_a_prerequisite_chain_longer_than_the_recursion_limit(tmp_path):
    n = 1_200
    files = {f"content/quests/q{i}.yaml": QUEST.format(i=i, pre=f"prerequisites: [q{i - 1}]\n" if i else "")
             for i in range(n)}
    # a diamond at the end: q-top needs q-left then q-right, each needing the chain's end
    files["content/quests/q-left.yaml"] = QUEST.format(i="L", pre=f"prerequisites: [q{n - 1}]\n")
    files["content/quests/q-right.yaml"] = QUEST.format(i="R", pre=f"prerequisites: [q{n - 1}, q-left]\n")
    files["content/quests/q-top.yaml"] = QUEST.format(i="T", pre="prerequisites: [q-left, q-right]\n")
    root = write_project(tmp_path / "p", files)
    diags = Diagnostics()
    world = load_world(load_project(root, diags), diags)
    assert not diags.errors, diags.errors
    chain = [f"q{i}" for i in range(n)]
    assert prerequisite_chain(world, f"q{n - 1}") == chain[:-1]
    # earliest first, each after its own prerequisites, each once, in the order written
    assert prerequisite_chain(world, "q-top") == chain + ["q-left", "q-right"]
    assert prerequisite_chain(world, "q0") == []
