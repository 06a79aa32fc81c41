"""`foundry play STORY`: play a story in the terminal, or a scripted path for CI."""

from __future__ import annotations

import json
import sys

import click

from ..builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, cli, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics, Span, suggestion
from ..stories.machine import StoryMachine
from ..stories.play import Step, Transcript, play, scripted
from ..terminal import echo
from ..world import player, players_for


@cli.command("play")
@click.argument("story_id")
@click.option("--hero", "hero_id", default=None, help="Play as this hero (default: the story's protagonist).")
@click.option("--choose", default=None, help="A scripted path: option numbers, e.g. 2,1,3.")
@click.option("--json", "as_json", is_flag=True, help="Print the transcript as JSON.")
@project_option
@guarded
def play_cmd(story_id: str, hero_id: str | None, choose: str | None, as_json: bool, project: str | None) -> None:
    """Play STORY: prose, numbered choices, effects applied, an ending."""
    root = project_root(project)
    diags = Diagnostics()
    world = check(root, diags)
    if world is None or diags.has_errors():
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    if story_id not in world.stories:
        raise click.BadParameter(f"no story '{story_id}'. {suggestion(story_id, world.stories)}", param_hint="STORY")
    story = world.stories[story_id].model
    if hero_id is not None and hero_id not in world.sheets:
        raise click.BadParameter(f"no hero '{hero_id}'. {suggestion(hero_id, world.sheets)}", param_hint="--hero")
    who = player(world.sheets[hero_id]) if hero_id else players_for(story, world)[0]
    machine = StoryMachine(story, who)
    if choose is not None:
        transcript = play(machine, scripted(_numbers(choose)))
    else:
        transcript = play(machine, _interactive)
    _print(transcript, as_json, choose is not None)
    if transcript.error:
        diags.add("HF0517", transcript.error, Span(world.stories[story_id].path))
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    sys.exit(EXIT_OK)


def _numbers(text: str) -> list[int]:
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise click.BadParameter("give option numbers separated by commas, e.g. 2,1,3", param_hint="--choose")


def _interactive(step: Step, turn: int) -> int | None:
    _print_step(step)
    try:
        return click.prompt("Choose", type=click.IntRange(1, len(step.options)), err=True)
    except click.Abort:
        return None


def _print(transcript: Transcript, as_json: bool, scripted_run: bool) -> None:
    if as_json:
        echo(json.dumps(transcript.to_json(), indent=2, ensure_ascii=False))
        return
    steps = transcript.steps if scripted_run else transcript.steps[-1:]
    for step in steps:
        _print_step(step)
        if step.chosen:
            chosen = next(o for o in step.options if o.id == step.chosen)
            echo(f"> {chosen.number}. {chosen.text}\n")
    if transcript.ending:
        echo(f"THE END ({transcript.ending})")
    elif not transcript.error:
        echo("(stopped before an ending)")


def _print_step(step: Step) -> None:
    echo(f"## {step.title}\n")
    echo(step.text + "\n")
    for option in step.options:
        echo(f"  {option.number}. {option.text}")
    if step.options:
        echo("")
