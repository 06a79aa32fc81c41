"""A story naming no hero is played by an average level-1 hero: every attribute at its
default, and so every derived stat by its formula at those (docs/writing-stories.md,
"Who plays"). Its derived stats were 0: `defense >= 12` (10 + agility // 2, 14 at the
defaults of 8) was "can never be taken", hinted "defense 0", and the ink and Twee
exports and the site's player fixed `defense` at 0 — a path the rules give every hero
was closed in every output."""

from __future__ import annotations

import json

from lxml import html

from export_support import run_node
from support import foundry

STORY = "content/stories/first-story.md"


def test_an_average_hero_has_the_derived_stats_of_the_defaults_everywhere(project_factory, node_tools):
    root = project_factory()
    path = root / STORY
    text = path.read_text(encoding="utf-8").replace("protagonist: first-hero\n", "")
    path.write_text(text.replace('{if="agility >= 12"}', '{if="defense >= 12 and max_hp == 30"}'), encoding="utf-8")
    check = foundry("check", "--format", "json", "--project", str(root))
    assert check.code == 0 and check.json()["diagnostics"] == [], check.stdout
    run = foundry("build", "--only", "ink,twee,html", "--project", str(root))
    assert run.code == 0, run.stderr[-800:]
    # the second choice, the tracks, is offered and leads to the far bank, in each player
    played = foundry("play", "first-story", "--choose", "2,1", "--json", "--project", str(root))
    assert played.code == 0, played.stderr
    assert played.json()["ending"] == "bank", played.stdout
    ink = run_node("ink_runner.mjs", str(root / "build/ink/first-story.ink"), request={"paths": [[2, 1]]})
    assert ink["errors"] == [] and ink["runs"][0]["ending"] == "bank", ink
    twee = run_node("twee_player.mjs", str(root / "build/twee/first-story.twee"), request={"paths": [[2, 1]]})
    assert twee["runs"][0]["errors"] == [] and twee["runs"][0]["ending"] == "bank", twee
    assert "CONST defense = 14" in (root / "build/ink/first-story.ink").read_text(encoding="utf-8")
    # the site's player is given the same values (its JSON island)
    page = html.parse(str(root / "build/site/stories/first-story.html"))
    data = [json.loads(s.text) for s in page.iter("script") if s.text and '"players"' in s.text]
    assert [p["values"]["defense"] for p in data[0]["players"]] == [14], data
    assert [p["values"]["max_hp"] for p in data[0]["players"]] == [30], data
