"""What the import tests share: importing into a real project, every choice path up to
a bound, our transcripts, and the oracles (Node scripts beside this file)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics
from pipeline.stories.machine import StoryMachine
from pipeline.stories.play import Transcript, play, scripted
from pipeline.resolve.world import players_for
from support import foundry

HERE = Path(__file__).resolve().parent
STORIES = HERE / "stories"
DEPTH = 8


def imported(root: Path, kind: str, source: Path, story_id: str, *extra: str):
    run = foundry("import", kind, str(source), "--id", story_id, "--project", str(root), "--format", "json", *extra)
    return run


def machine_for(root: Path, story_id: str) -> StoryMachine:
    diags = Diagnostics()
    world = check(root, diags)
    assert world is not None and not diags.has_errors(), [str(d.span) + " " + d.message for d in diags.errors]
    story = world.stories[story_id].model
    return StoryMachine(story, players_for(story, world)[0])


# `play` of one machine along one path, remembered for the machine played last: a test
# explores every path (`every_path` plays each one), then compares each leaf's transcript
# with the oracle's (`ours`) and reads its steps' styles: the same play three times, ~60 %
# of test_plays_the_same's own CPU for 2,000 leaves. A play is a function of the machine
# and the path (play.py: each starts from `machine.start()`), so the transcript is the same.
_PLAYED: tuple[StoryMachine | None, dict[tuple[int, ...], Transcript]] = (None, {})


def played(machine: StoryMachine, path: list[int]) -> Transcript:
    """`play(machine, scripted(path))`, played once per machine and path (the last
    machine's transcripts are kept)."""
    global _PLAYED
    if _PLAYED[0] is not machine:
        _PLAYED = (machine, {})
    plays = _PLAYED[1]
    key = tuple(path)
    if key not in plays:
        plays[key] = play(machine, scripted(path))
    return plays[key]


def every_path(machine: StoryMachine, depth: int = DEPTH) -> list[list[int]]:
    """Every sequence of option numbers from the start, until an ending or `depth` choices."""
    leaves, frontier = [], [[]]
    while frontier:
        path = frontier.pop()
        transcript = played(machine, path)
        last = transcript.steps[-1]
        if transcript.ending or transcript.error or len(path) >= depth or not last.options:
            leaves.append(path)
            continue
        frontier += [path + [n] for n in range(1, len(last.options) + 1)]
    return sorted(leaves)


def ours(machine: StoryMachine, path: list[int]) -> dict:
    """Our transcript in the oracles' shape: lines of text, option texts, ending or not."""
    transcript = played(machine, path)
    steps = [{"lines": [" ".join(p.split()) for p in step.text.split("\n") if p.strip()],
              "options": [o.text for o in step.options]} for step in transcript.steps]
    return {"steps": steps, "ending": transcript.ending is not None}


def run_node(script: str, source: Path, paths: list[list[int]]) -> dict:
    proc = subprocess.run(["node", str(HERE / script), str(source)], input=json.dumps({"paths": paths}),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def exported_then_imported(root: Path, folder: Path, output: str, story_id: str, again: str = "again",
                           only: str | None = None):
    """Builds `output` ("ink" or "twee"; `only`: the outputs to build, else that one) of
    the project at `root`, and imports story `story_id`'s export (copied into `folder`)
    as story `again`: (the export's text, the import's run)."""
    assert foundry("build", "--project", str(root), "--only", only or output, "-q").code == 0
    text = (root / "build" / output / f"{story_id}.{output}").read_text(encoding="utf-8")
    source = folder / f"{story_id}.{output}"
    source.write_text(text, encoding="utf-8")
    return text, imported(root, "ink" if output == "ink" else "twine", source, again)
