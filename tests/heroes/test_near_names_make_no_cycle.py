"""A did-you-mean for a name in a graph of references (a template's `extends`, a skill's
or a quest's `prerequisites`) never offers the one writing it, nor one that leads back
to it: followed, such a hint made a cycle (HF0409, HF0403, HF0513)."""
from __future__ import annotations

import re

from support import foundry

SKILLS = """skills:
  tracking: {name: Tracking, attribute: wits}
  ambush:   {name: Ambush, attribute: agility, prerequisites: [tracking, ambsh]}
  stalk:    {name: Stalk, attribute: agility, prerequisites: [pounc]}
  pounce:   {name: Pounce, attribute: agility, prerequisites: [stalk]}
  pounces:  {name: Pounces, attribute: agility}
"""


def _hints(root) -> dict[str, str]:
    run = foundry("check", "--format", "json", cwd=root)
    return {f"{d['code']} {d['file']}:{d['line']}": d["hint"] for d in run.json()["diagnostics"]}


def test_a_near_name_that_would_make_a_cycle_is_not_offered(project_factory):
    """'scoutling' extending the slip 'scoutlng' was told "Did you mean 'scoutling'?",
    'ambush' needing 'ambsh' "Did you mean 'ambush'?", 'stalk' needing 'pounc' (which
    needs stalk) "'pounce'?", quest 'second' needing 'secnd' "'second'?": each followed is
    a cycle. Now each is offered a name that makes none, or the names there are."""
    root = project_factory({
        "content/templates/heroes/scoutling.yaml": "name: Scoutling\nextends: scoutlng\n",
        "schemas/skills.yaml": SKILLS,
        "content/quests/second.yaml": "title: Second\nprerequisites: [secnd]\nobjectives:\n"
                                      "  - {id: cross, text: Reach the far bank, done_when: crossed}\n",
    })
    hints = _hints(root)
    template = hints["HF0305 content/templates/heroes/scoutling.yaml:2"]
    assert "'scoutling'" not in template and "Did you mean 'scout'?" in template, template
    assert "'ambush'" not in hints["HF0308 schemas/skills.yaml:3"], hints
    stalk = hints["HF0308 schemas/skills.yaml:4"]
    assert "'pounce'" not in stalk and "'stalk'" not in stalk and "Did you mean 'pounces'?" in stalk, stalk
    assert "'second'" not in hints["HF0303 content/quests/second.yaml:2"], hints
    # the names offered, followed, make no cycle: nothing of HF0409/HF0403/HF0513
    (root / "content/templates/heroes/scoutling.yaml").write_text("name: Scoutling\nextends: scout\n", encoding="utf-8")
    (root / "schemas/skills.yaml").write_text(SKILLS.replace(", ambsh]", "]").replace("[pounc]", "[pounces]"),
                                              encoding="utf-8")
    offered = re.search(r"Known here: '([^']+)'", hints["HF0303 content/quests/second.yaml:2"]).group(1)
    (root / "content/quests/second.yaml").write_text(
        f"title: Second\nprerequisites: [{offered}]\nobjectives:\n"
        "  - {id: cross, text: Reach the far bank, done_when: crossed}\n", encoding="utf-8")
    left = _hints(root)
    assert not any(key.startswith(("HF0409", "HF0403", "HF0305", "HF0308", "HF0303", "HF0513")) for key in left), left


def test_a_relationship_near_name_is_never_the_person_writing_it(project_factory):
    """first-hero related to the slip 'first-heroo' was told "Did you mean
    'first-hero'?": followed, a relationship with oneself (HF0515, an error). Now no
    one is near, and the hint says where people are written."""
    hero = project_factory(name="read").joinpath("content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    assert "{with: old-guide, kind: mentor}" in hero
    root = project_factory({"content/heroes/first-hero.yaml": hero.replace("with: old-guide", "with: first-heroo")})
    hint = _hints(root)["HF0302 content/heroes/first-hero.yaml:10"]
    assert "'first-hero'" not in hint and "content/characters/" in hint, hint   # where people are written
