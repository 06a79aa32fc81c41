"""What the ink and Twee export tests share: the fixture project, builds, and the
Node.js scripts beside this file.

The Node packages (inkjs, extwee) are pinned in package.json at the repository root
and installed by `npm ci` (.ci/run does it); the tests run the Node scripts beside
this file, which import them from REPO/node_modules."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import deque
from pathlib import Path

from pipeline.stories.machine import StoryMachine
from pipeline.stories.play import play, scripted
from support import REPO, foundry

HERE = Path(__file__).resolve().parent
# the C# ink compiler (npm's inklecate package), run under mono by the `inklecate` fixture
INKLECATE = REPO / "node_modules" / "inklecate" / "bin" / "inklecate.exe"
SOURCE_DATE_EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
MAX_STEPS = 60

# A small world whose one story exercises what the exports must get right: conditions
# on numbers, text and the hero's values, effects of every kind a choice attribute can
# hold, a loop back to the start, text variables full of markup, names ink refuses
# (`temp`; `gate`, both a variable and a scene; the all-digit scene `7`), and prose and
# choice text full of ink and SugarCube markup characters (addresses among them: SugarCube
# makes a link of `https:` or `javascript:` and what follows, anywhere in a link's text).
# (`has("…")`, `give "…"` and friends cannot be written in a choice attribute yet: the
# attribute parser keeps `\"`.)
FIXTURE = {
    "foundry.toml": """
        [project]
        title = "Export tests"
        [build]
        outputs = ["json", "ink", "twee"]
    """,
    "schemas/attributes.yaml": """
        attributes:
          agility: {min: 1, max: 20, default: 8}
          wits:    {min: 1, max: 20, default: 8}
        point_budget: {base: 12, per_level: 2}
        derived:
          defense: {formula: "10 + agility // 2"}
    """,
    "schemas/progression.yaml": """
        max_level: 3
        xp_for_level: [0, 100, 300]
    """,
    "schemas/skills.yaml": """
        skills:
          tracking: {attribute: wits}
          ambush: {attribute: agility}
    """,
    "schemas/relationships.yaml": """
        kinds:
          rival: {symmetric: true}
    """,
    "content/heroes/aria.yaml": """
        name: Aria
        attributes: {agility: 14, wits: 12}
        skills: [tracking]
        items: [lantern]
        xp: 120
    """,
    "content/stories/signs.md": r"""
        ---
        title: "Signs {and} | Wonders #1"
        status: draft
        start: gate
        protagonist: aria
        variables:
          coins: 3
          temp: 20
          gate: false
          visits: 0
          mood: "wary {calm} [[calm]] | #1 -> // <> \\ end"
          start_mood: "wary {calm} [[calm]] | #1 -> // <> \\ end"
          other_mood: "bold [[[sure]]] | #sure -> /* // <> */ end"
        ---

        ## The Gate {#gate}

        Braces {like these} and a bar | and a #hash, // not a comment, /* nor this */,
        an arrow -> nowhere, <> no glue, a \\ backslash, [brackets], $coins and _temp,
        <<set $coins to 99>> and [[not a link]], ''not bold'' -- nor a dash?yes

        \* not a choice

        \+ not a sticky choice

        \- not a gather

        ~ not logic

        == not a knot ==

        VAR not = a variable  
        TODO: a hard break above, and this line starts like an ink statement.

        A paragraph whose second line
        :: starts like a passage header.

        - [Pay the $2 toll -- ''now''? //quick// <<go>> \\ "quoted" {x} at https://toll.example/gate, not javascript:void(0)](#yard){if="coins >= 2" do="coins -= 2; visits += 1; mood = other_mood"}
        - [Read the signs](#yard){if="temp > 15 and agility >= 12" do="temp = temp // 3; set gate" id="read"}
        - [Ambush the keeper](#7){if="level >= 2"}
        - [Give up](#home)

        ## The [[Yard]] {#yard}

        A yard. You have been here {visits} times.

        - [Back to the gate](#gate){if="visits < 3" do="visits += 1"}
        - [Wait while the mood holds](#home){if="mood == start_mood" id="wait"}
        - [Leave in a bold mood](#lit){if="mood != start_mood and not gate"}

        ## Lit {#lit .ending}

        The lantern burns. *The end.*

        ## Keeper {#7 .ending}

        The keeper yields.

        ## Home {#home .ending}

        You go home.
    """,
}


def run_node(script: str, *args: str, request: dict | None = None) -> dict:
    proc = subprocess.run(["node", str(HERE / script), *args], input=json.dumps(request or {}),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def build_copy(dest: Path) -> Path:
    """The repository's sample world, copied and built with the ink and Twee outputs."""
    for name in ("foundry.toml", "schemas", "content"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / name)
    run = foundry("build", "--only", "ink,twee", "--project", str(dest), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return dest


def scripted_paths(machine: StoryMachine) -> dict[str, list[int]]:
    """Option numbers to play: always the first, always the last, and the shortest way
    to each ending, found by walking the story's own state machine."""
    paths = {"always-first": _greedy(machine, lambda count: 1),
             "always-last": _greedy(machine, lambda count: count)}
    for ending, path in _shortest_to_each_ending(machine).items():
        paths[f"to-{ending}"] = path
    return paths


def _greedy(machine: StoryMachine, pick) -> list[int]:
    state, path = machine.start(), []
    while len(path) < MAX_STEPS and not machine.is_ending(state):
        options = machine.options(state)
        if not options:
            break
        number = pick(len(options))
        path.append(number)
        state = machine.take(state, options[number - 1])
    return path


def _shortest_to_each_ending(machine: StoryMachine, limit: int = 20_000) -> dict[str, list[int]]:
    start = machine.start()
    seen, queue, found = {start}, deque([(start, [])]), {}
    while queue and len(seen) < limit:
        state, path = queue.popleft()
        if machine.is_ending(state):
            found.setdefault(state.scene, path)
            continue
        for number, choice in enumerate(machine.options(state), 1):
            after = machine.take(state, choice)
            if after not in seen:
                seen.add(after)
                queue.append((after, path + [number]))
    return found


def transcripts_of(machine: StoryMachine, paths: dict[str, list[int]]) -> dict[str, dict]:
    """`foundry play`'s transcript (the JSON it prints) for each path."""
    return {name: play(machine, scripted(path)).to_json() for name, path in paths.items()}


def first_scene_as_text(root: Path, story: str) -> tuple[list[str], list[str], list[str]]:
    """The story's first scene as each plain-text output shows it, after choosing its
    first choice: (the JSON `text`'s paragraphs, `foundry play`'s lines, the lines
    inkjs plays from build/ink/<story>.ink), each stripped. Builds json and ink."""
    run = foundry("build", "--project", str(root), "--only", "json,ink")
    assert run.code == 0, run.stdout + run.stderr
    scene = json.loads((root / f"build/api/v1/stories/{story}.json").read_text())["story"]["scenes"][0]
    played = foundry("play", story, "--choose", "1", "--project", str(root))
    assert played.code == 0, played.stderr
    answer = run_node("ink_runner.mjs", str(root / f"build/ink/{story}.ink"), request={"paths": [[1]]})
    assert answer["errors"] == [] and answer["warnings"] == [], answer
    return (scene["text"].split("\n\n"), [line.strip() for line in played.stdout.splitlines()],
            [line.strip() for line in answer["runs"][0]["steps"][0]["lines"]])


def translated_into_german(root: Path, source: str) -> dict[str, str]:
    """`foundry l10n extract` in a project translating into `de`, then every msgstr of
    `source`'s PO file set to 'DE ' + its msgid; the msgids' line ids (msgctxt) by msgid."""
    import polib

    assert foundry("l10n", "extract", "--project", str(root)).code == 0
    po = polib.pofile(str(root / f"translations/de/{source}.po"))
    for entry in po:
        entry.msgstr = f"DE {entry.msgid}"
    po.save()
    return {e.msgid: e.msgctxt for e in po}
