"""An imported story plays the same as the original in its own runtime: for every path
of choices up to 8 deep, the text read, the options offered and whether the story
ended agree between `foundry play` and inkjs (ink) or the SugarCube oracle (Twee)."""

from __future__ import annotations

import pytest

from import_support import STORIES, every_path, imported, machine_for, ours, run_node
from support import foundry


def _theirs(run: dict) -> dict:
    return {"steps": [{"lines": s["lines"], "options": s["options"]} for s in run["steps"]], "ending": run["ending"]}


# where each story's passages hold tags no story format reads (HF1003 at the passage)
UNREAD_TAGS = {"market-tags.twee": [("HF1003", 24)], "lantern.twee": [("HF1003", 18)],
               "lantern.html": [("HF1003", 10)]}


@pytest.mark.parametrize("kind, source, oracle, least", [
    ("twine", "lantern.twee", "sugarcube_player.mjs", 50),
    ("twine", "lantern.html", "sugarcube_player.mjs", 50),           # the same story as a Twine 2 archive
    ("twine", "lantern-harlowe.twee", "harlowe_player.mjs", 50),
    ("twine", "hall.twee", "sugarcube_player.mjs", 100),
    ("twine", "hall-harlowe.twee", "harlowe_player.mjs", 30),
    ("twine", "market-tags.twee", "sugarcube_player.mjs", 20),      # init and nobr passage tags
    ("ink", "lantern.ink", "ink_player.mjs", 50),
    ("ink", "weave.ink", "ink_player.mjs", 8),                       # nested choices, gathers, labels, stitches
    ("ink", "market.ink", "ink_player.mjs", 5),                      # a weave with no knot at all
    ("ink", "toll.ink", "ink_player.mjs", 50),                       # choices that set, or tag, then divert
])
def test_every_path_plays_the_same(project_factory, node_tools, kind, source, oracle, least):
    root = project_factory()
    run = imported(root, kind, STORIES / source, "lantern")
    assert run.code == 0, run.stdout + run.stderr
    # these stories use only what translates, but for tags no story format reads (`:: Pie
    # [food]`, lantern's `[start]`), which only a stylesheet or script could: said and kept
    said = [(d["code"], d["line"]) for d in run.json()["diagnostics"]]
    assert said == UNREAD_TAGS.get(source, []), run.stdout
    assert foundry("check", "--project", str(root)).code == 0
    if source == "market.ink":      # ink's global `# title:` tag names the story
        assert "\ntitle: \"The Market\"\n" in (root / "content" / "stories" / "lantern.md").read_text(encoding="utf-8")

    machine = machine_for(root, "lantern")
    paths = every_path(machine)
    assert len(paths) >= least                      # loops, conditions: many distinct paths
    answer = run_node(oracle, STORIES / source, paths)
    assert answer.get("errors", []) == []
    endings = 0
    for path, theirs in zip(paths, answer["runs"], strict=True):
        assert theirs["errors"] == [], (path, theirs["errors"])
        mine = ours(machine, path)
        assert mine == _theirs(theirs), path
        endings += mine["ending"]
    assert endings > 0

    # What `foundry play --choose … --json` prints is the transcript compared above.
    longest = max(paths, key=len)
    cli = foundry("play", "lantern", "--choose", ",".join(map(str, longest)), "--json", "--project", str(root))
    assert cli.code == 0, cli.stderr
    steps = cli.json()["steps"]
    assert [[o["text"] for o in s["options"]] for s in steps] == [s["options"] for s in ours(machine, longest)["steps"]]
