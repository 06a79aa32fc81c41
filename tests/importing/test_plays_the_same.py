"""An imported story plays the same as the original in its own runtime: for every path
of choices up to 8 deep, the text read, the options offered and whether the story
ended agree between `foundry play` and inkjs (ink) or the SugarCube oracle (Twee).
A Twine story's text styles (`''bold''`, `//italic//`…) are shown on the published
page where the story format's player showed them."""

from __future__ import annotations

from collections import defaultdict

import lxml.html
import pytest

from import_support import STORIES, every_path, imported, machine_for, ours, played, run_node
from support import foundry


def _theirs(run: dict) -> dict:
    return {"steps": [{"lines": s["lines"], "options": s["options"]} for s in run["steps"]], "ending": run["ending"]}


# where each story's passages hold tags no story format reads (HF1003 at the passage)
# (and SugarCube's `__underline__`, which has no Markdown form: HF1009, its text kept)
# (and names.ink's variables named in other scripts, renamed as ours are spelled: HF1010, info)
UNREAD_TAGS = {"market-tags.twee": [("HF1003", 24), ], "lantern.twee": [("HF1003", 18), ("HF1009", 43)],
               "lantern.html": [("HF1003", 10), ("HF1009", 26)],
               "names.ink": [("HF1010", 6), ("HF1010", 7), ("HF1010", 8)],
               # each knot's own `temp x` (but the first) is a variable of its own: x_2, x_3...
               "temps-tunnels.ink": [("HF1010", 14), ("HF1010", 19), ("HF1010", 23), ("HF1010", 27)],
               "hall-harlowe.twee": [("HF1007", 33)]}   # a set of a `const-type` variable: Harlowe refuses it
# the styles a page shows as Markdown does (underline, sup, sub have no Markdown form)
_SHOWN = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "s": "s"}


@pytest.mark.parametrize("kind, source, oracle, least", [
    ("twine", "lantern.twee", "sugarcube_player.mjs", 50),
    ("twine", "lantern.html", "sugarcube_player.mjs", 50),           # the same story as a Twine 2 archive
    ("twine", "lantern-harlowe.twee", "harlowe_player.mjs", 50),
    ("twine", "hall.twee", "sugarcube_player.mjs", 100),
    ("twine", "hall-harlowe.twee", "harlowe_player.mjs", 30),
    ("twine", "market-tags.twee", "sugarcube_player.mjs", 20),      # init and nobr passage tags
    ("twine", "visits.twee", "sugarcube_player.mjs", 20),           # hasVisited, visited, through <<goto>>
    ("twine", "visits-harlowe.twee", "harlowe_player.mjs", 100),    # (visited:), (history:) contains, through (go-to:)
    ("twine", "visits-count-harlowe.twee", "harlowe_player.mjs", 8),  # `visits` 1 or more, (history:) contains itself
    ("twine", "visits-count.twee", "sugarcube_player.mjs", 40),     # `visited()` 1 or more, a <<goto>> under it
    ("twine", "temps.twee", "sugarcube_player.mjs", 15),            # temporary variables `_n`, in setters too
    ("twine", "ifgoto.twee", "sugarcube_player.mjs", 12),           # `<<if $key>><<goto "Open">><</if>>` opening a passage
    ("twine", "gotochain.twee", "sugarcube_player.mjs", 12),        # ...whose goto leads to another such passage
    ("twine", "ifelsegoto.twee", "sugarcube_player.mjs", 40),       # ...or a passage only of if/else gotos
    ("twine", "ifgoto-harlowe.twee", "harlowe_player.mjs", 40),     # Harlowe's (if:)[(go-to:)], (unless:), (else:)
    ("ink", "lantern.ink", "ink_player.mjs", 50),
    ("ink", "weave.ink", "ink_player.mjs", 8),                       # nested choices, gathers, labels, stitches
    ("ink", "market.ink", "ink_player.mjs", 5),                      # a weave with no knot at all
    ("ink", "toll.ink", "ink_player.mjs", 50),                       # choices that set, or tag, then divert
    ("ink", "names.ink", "ink_player.mjs", 8),                       # knots, labels, variables in other scripts
    ("ink", "numbers.ink", "ink_player.mjs", 12),                    # MIN, MAX, FLOOR, CEILING, INT, FLOAT, decimals
    ("ink", "shallow.ink", "ink_player.mjs", 10),                    # weaves whose first choice has more bullets
    ("ink", "seen.ink", "ink_player.mjs", 30),                       # read counts tested as true/false
    ("ink", "counted.ink", "ink_player.mjs", 10),                    # knots counted entered anywhere
    ("ink", "tunnels.ink", "ink_player.mjs", 30),                    # tunnels of text and sets, there and back
    ("ink", "temps.ink", "ink_player.mjs", 20),                      # `~ temp` in knots, stitches, choices' bodies
    ("ink", "temps-tunnels.ink", "ink_player.mjs", 7),               # one temp name in several knots, a tunnel
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
    styled: dict[str, set] = defaultdict(set)     # scene id → (element, text) the player styled
    for path, theirs in zip(paths, answer["runs"], strict=True):
        assert theirs["errors"] == [], (path, theirs["errors"])
        mine = ours(machine, path)
        assert mine == _theirs(theirs), path
        endings += mine["ending"]
        if kind == "twine":
            for step, their in zip(played(machine, path).steps, theirs["steps"], strict=True):
                styled[step.scene] |= {(_SHOWN[tag], text) for tag, text in their["styles"] if tag in _SHOWN}
    assert endings > 0
    if kind == "twine":
        # the published page shows each style where the player did, and no other
        assert foundry("build", "--only", "html", "--project", str(root)).code == 0
        page = lxml.html.parse(str(root / "build/site/stories/lantern.html")).getroot()
        for scene, want in styled.items():
            section = page.get_element_by_id(f"scene-{scene}")
            shown = {(_SHOWN[e.tag], " ".join(e.text_content().split())) for e in section.iter("strong", "em", "s")}
            assert shown == want, scene
        if source.startswith("lantern"):      # these stories style text: the check is not empty
            assert {"strong", "em", "s"} <= {tag for want in styled.values() for tag, _ in want}

    # What `foundry play --choose … --json` prints is the transcript compared above.
    longest = max(paths, key=len)
    cli = foundry("play", "lantern", "--choose", ",".join(map(str, longest)), "--json", "--project", str(root))
    assert cli.code == 0, cli.stderr
    steps = cli.json()["steps"]
    assert [[o["text"] for o in s["options"]] for s in steps] == [s["options"] for s in ours(machine, longest)["steps"]]


# A variable the import makes (a seen-flag, a visited flag, a once-only flag) named as a
# variable of the story itself: it was that variable, a number made true/false, and check
# refused the story the import called clean. The flag is numbered past the story's names.
_COLLIDING = {
    "ink": ("VAR seen_start_tea = 5\nVAR chose_start_6 = 0\n-> start\n=== start ===\n- (opts) Waiting.\n"
            "  * (tea) [Drink] Drunk.\n    ~ seen_start_tea = seen_start_tea + 1\n    -> opts\n"
            "  * {not tea} [Wait]\n    ~ chose_start_6 = chose_start_6 + 1\n    -> opts\n"
            "  + {seen_start_tea > 5 or chose_start_6 > 1} [Leave] -> finish\n"
            "  + [Stay] -> opts\n=== finish ===\nBye.\n-> END\n", "ink_player.mjs"),
    # the flag is made at the first hasVisited, before the passage setting $visited_kitchen is read
    "twine": (':: StoryData\n{"format": "SugarCube", "format-version": "2.36.1", "start": "Hall"}\n\n'
              ':: StoryInit\n<<set $visited_kitchen to 0>>\n\n'
              ':: Hall\nThe hall.\n<<if hasVisited("kitchen")>>[[Leave|End]]<</if>>\n[[kitchen]]\n\n'
              ':: kitchen\nPots.<<set $visited_kitchen to 3>>\n[[Back|Hall]]\n'
              '<<if $visited_kitchen gt 2>>[[Tired|End]]<</if>>\n\n:: End\nBye.\n', "sugarcube_player.mjs"),
}


@pytest.mark.parametrize("kind", sorted(_COLLIDING))
def test_a_flag_the_import_makes_is_never_a_variable_of_the_story(project_factory, node_tools, tmp_path, kind):
    text, oracle = _COLLIDING[kind]
    source = tmp_path / ("collide.ink" if kind == "ink" else "collide.twee")
    source.write_text(text, encoding="utf-8")
    root = project_factory()
    run = imported(root, kind, source, "lantern")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout
    machine = machine_for(root, "lantern")      # check passes
    paths = every_path(machine)
    answer = run_node(oracle, source, paths)
    for path, theirs in zip(paths, answer["runs"], strict=True):
        assert ours(machine, path) == _theirs(theirs), path
    assert any(s["options"].count("Leave") or s["options"].count("Tired")
               for run in answer["runs"] for s in run["steps"])
