"""`foundry play STORY_ID`: play a story in the terminal, or a scripted path for CI."""

from __future__ import annotations

import json
import sys

import click

from ..engine.builder import check
from ..cli import EXIT_CONTENT, EXIT_OK, cli, comma_items, emit, guarded, project_option, project_root
from ..diagnostics import Diagnostics, Span, clip, suggestion
from . import scope
from ..stories.analysis import evaluation_hint
from ..stories.machine import StoryMachine
from ..stories.play import Step, Transcript, play, scripted
from ..console.terminal import echo, printable
from ..resolve.world import player, players_for


@cli.command("play")
@click.argument("story_id", required=False, metavar="STORY_ID")
@click.option("--hero", "hero_id", default=None, help="Play as this hero (default: the story's protagonist).")
@click.option("--choose", default=None, help="A scripted path: option numbers, e.g. 2,1,3.")
@click.option("--json", "as_json", is_flag=True, help="Print the transcript as JSON.")
@project_option
@guarded
def play_cmd(story_id: str | None, hero_id: str | None, choose: str | None, as_json: bool, project: str | None) -> None:
    """Play STORY_ID: prose, numbered choices, effects applied, an ending."""
    numbers = None if choose is None else _numbers(choose)   # a malformed script is said before any load
    root = project_root(project)
    diags = Diagnostics()
    world = check(root, diags)
    if world is None:  # foundry.toml itself is broken
        emit(diags, root, "text")
        sys.exit(EXIT_CONTENT)
    if not story_id:   # click's bare "Missing argument 'STORY_ID'": which ids are there
        raise click.UsageError(scope.missing_id("story", "foundry play", world.stories, "stories"))
    if story_id not in world.stories and not scope.is_there(root, scope.entity_path("story", story_id)):
        raise click.BadParameter(f"no story '{story_id}'. {_unknown(world, story_id, world.stories, 'stories')}",
                                 param_hint="STORY_ID")
    if hero_id is not None and hero_id not in world.heroes and not scope.is_there(root, scope.entity_path("hero", hero_id)):
        raise click.BadParameter(f"no hero '{hero_id}'. {_unknown(world, hero_id, world.sheets, 'heroes')}",
                                 param_hint="--hero")
    # Only the story, the hero who plays it and the rule book can stop a playthrough.
    paths = {scope.entity_path("story", story_id)}
    story_entry = world.stories.get(story_id)
    heroes = [hero_id] if hero_id else ([p.hero for p in players_for(story_entry.model, world)][:1]
                                        if story_entry is not None else [])
    for hid in heroes:
        if hid:
            paths |= scope.hero_paths(world, hid)
    blocking, other = scope.split(diags, paths)
    shown = Diagnostics()
    shown.items = blocking + other
    if shown.items:
        emit(shown, root, "text")
    if blocking or story_entry is None or f"story:{story_id}" in world.salvaged or \
            any(f"hero:{h}" in world.salvaged for h in heroes if h):
        sys.exit(EXIT_CONTENT)
    scope.note_elsewhere(other, f"playing '{story_id}'")
    story = story_entry.model
    who = player(world.sheets[hero_id]) if hero_id else players_for(story, world)[0]
    machine = StoryMachine(story, who)
    interactive = _Interactive()
    if numbers is not None:
        transcript = play(machine, scripted(numbers))
        _left_over(transcript, numbers)
    else:
        transcript = play(machine, interactive)
    _print(transcript, as_json, choose is not None, interactive.shown)
    if transcript.error:
        problem = Diagnostics()
        if transcript.failed is not None:   # at the condition or effect, as check says it
            choice, err, effect = transcript.failed
            problem.add(err.code, transcript.error,
                        (choice.effects_span if effect else choice.condition_span) or choice.span,
                        hint=evaluation_hint(err.code))
        else:
            problem.add("HF0517", transcript.error, _stopped_at(story, transcript, world.stories[story_id].path),
                        hint=_script_hint(story_id, choose, transcript))
        emit(problem, root, "text")
        sys.exit(EXIT_CONTENT)
    sys.exit(EXIT_OK)


def _stopped_at(story, transcript: Transcript, path: str) -> Span:
    """The heading of the scene where the playthrough stopped: `--choose 1,9` said
    HF0517 at the story's file alone, no line, so a writer searched the story for the
    scene the message names."""
    scene = story.scenes.get(transcript.steps[-1].scene) if transcript.steps else None
    return scene.span if scene is not None else Span(path)


def _script_hint(story_id: str, choose: str | None, transcript: Transcript) -> str | None:
    """What to change in the `--choose` argument (None without one: the code's hint)."""
    if choose is None:
        return None
    script = f"the script was `--choose {clip(choose, 60)}`"
    if transcript.ending is not None:
        return f"The story ends at this scene: drop the steps after it ({script})."
    return (f"Pick from the numbers shown at each step (`foundry play {story_id}` without `--choose` shows them); "
            f"{script}.")


def _left_over(transcript: Transcript, numbers: list[int]) -> None:
    """A script longer than the playthrough is an HF0517 too (its error, unless it has
    one): `--choose 1,1,1,1` on a story that ends after two choices printed the ending
    and exited 0 with the last two steps never taken, so a CI script kept passing after
    an edit made the story end sooner than the path it tests."""
    taken = sum(1 for step in transcript.steps if step.chosen is not None)
    if transcript.error or transcript.ending is None or len(numbers) <= taken:
        return
    rest = numbers[taken:]
    transcript.error = (f"step {taken + 1}: the story ended in scene '{transcript.ending}' after {taken} "
                        f"choice{'s' * (taken != 1)}; the script's {len(rest)} step{'s' * (len(rest) != 1)} after "
                        f"that ({clip(','.join(map(str, rest)), 40)}) {'were' if len(rest) != 1 else 'was'} never taken")


def _unknown(world, name: str, table, plural: str) -> str:
    """What to say after "no <noun> 'name'": what else it is (with a close match), or
    the close match, or the ids this project has."""
    what = _what_it_is(world, name) if scope.file_id(name) not in table else ""   # (its own file's path: the id)
    if what:
        return (what + suggestion(name, table)).rstrip()
    return scope.known_hint(name, table, plural)


def _what_it_is(world, name: str) -> str:
    """'tomas' is a character, not a story: say so instead of only "no story" (of its
    file's path typed for it too)."""
    name = scope.file_id(name)
    for kind, table in (("hero", world.heroes), ("character", world.characters), ("story", world.stories),
                        ("quest", world.quests), ("hero template", world.templates)):
        if name in table:
            return f"'{name}' is a {kind}. "
    return ""


def _number(text: str) -> int | None:
    """An option number as a player types it: decimal digits only (any script's: Arabic
    keyboards type ١), at most nine after leading zeros. None for anything else: int()
    also takes '1_0', '+1' and ' 1', and refuses '²' (a digit to str.isdigit) or 5,000
    digits with a ValueError that reached the player as an internal error."""
    if not text.isdecimal() or len(text.lstrip("0")) > 9:
        return None
    return int(text)


def _numbers(text: str) -> list[int]:
    parts = comma_items(text, "--choose", "2,1,3")   # `1,,2` is no `1,2`: an empty item is refused
    numbers = [n for n in map(_number, parts) if n is not None]
    if len(numbers) != len(parts):
        bad = next(part for part in parts if _number(part) is None)
        # a number past nine digits is a number: "separated by commas" sent the player
        # looking for a missing comma
        raise click.BadParameter(
            f"{clip(bad, 20)} is too large to be an option number: give the numbers shown beside the "
            "choices, e.g. 2,1,3"
            if bad.isdecimal() else f"'{printable(clip(bad, 20))}' is not an option number: give option numbers "
            "separated by commas, e.g. 2,1,3", param_hint="--choose")
    return numbers


class _Interactive:
    """Asks the player for each choice; remembers the steps it has shown, so that the
    transcript's last scene is not printed a second time when play stops (EOF, Ctrl-C)."""

    def __init__(self) -> None:
        self.shown: list[Step] = []

    def __call__(self, step: Step, turn: int) -> int | None:
        _print_step(step)
        self.shown.append(step)
        count = len(step.options)
        allowed = "1" if count == 1 else f"a number from 1 to {count}"
        if sys.stdin is None or sys.stdin.closed:
            # started with no standard input at all (`<&-`, a service without one): no
            # answer can come, as at the end of input; Python's input() raised
            # RuntimeError ("lost sys.stdin") there, an internal error to the player
            echo("No input to read a choice from: `--choose 2,1,3` plays a path without one.", err=True)
            return None
        while True:
            try:
                answer = click.prompt("Choose", type=str, err=True).strip()
            except click.Abort:  # end of input or Ctrl-C: stop here, quietly
                echo("", err=True)
                return None
            number = _number(answer)
            if number is not None and 1 <= number <= count:
                return number
            echo(f"'{answer[:20]}' is not a choice here: type {allowed}, then Enter "
                       "(Ctrl-D or Ctrl-C stops).", err=True)


def _print(transcript: Transcript, as_json: bool, scripted_run: bool, shown: list[Step] | None = None) -> None:
    if as_json:
        echo(json.dumps(transcript.to_json(), indent=2, ensure_ascii=False))
        return
    steps = transcript.steps if scripted_run else transcript.steps[-1:]
    if not scripted_run and shown and steps and steps[-1].scene == shown[-1].scene and not steps[-1].chosen:
        steps = []  # already on screen: play stopped at this scene's prompt
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
