"""Playthroughs: walk a story through the state machine, choice by choice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..diagnostics import clip, code_span
from .machine import State, StoryMachine


@dataclass(frozen=True)
class Option:
    number: int          # 1-based, as shown to the player
    id: str
    text: str


@dataclass(frozen=True)
class Step:
    scene: str
    title: str
    text: str
    options: tuple[Option, ...]
    chosen: str | None = None


@dataclass
class Transcript:
    story: str
    hero: str | None
    steps: list[Step] = field(default_factory=list)
    ending: str | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    items: list[str] = field(default_factory=list)
    error: str | None = None          # why the playthrough stopped early
    # (choice, its ExprError, whether the effect failed, else the condition): a condition
    # or effect that could not be computed for this hero (division by zero, past ±2^53);
    # the analysis finds these only for the heroes a story names, and `--hero` may be any
    failed: tuple[Any, Any, bool] | None = None

    def to_json(self) -> dict:
        return {
            "story": self.story, "hero": self.hero, "ending": self.ending, "error": self.error,
            "steps": [{"scene": s.scene, "title": s.title, "text": s.text, "chosen": s.chosen,
                       "options": [{"number": o.number, "id": o.id, "text": o.text} for o in s.options]}
                      for s in self.steps],
            "variables": [{"id": k, "value": v} for k, v in sorted(self.variables.items())],
            "items": sorted(self.items),
        }


Chooser = Callable[[Step, int], int | None]
"""Given the step and how many steps came before, the 1-based option number, or None to stop."""

MAX_STEPS = 10_000


def play(machine: StoryMachine, choose: Chooser) -> Transcript:
    story = machine.story
    transcript = Transcript(story.id, machine.player.hero)
    state = machine.start()
    for turn in range(MAX_STEPS):
        scene = story.scenes[state.scene]
        seen = len(machine.problems)
        options = machine.options(state)
        step = Step(scene.id, scene.title, scene.text,
                    tuple(Option(i, c.id, c.text) for i, c in enumerate(options, 1)))
        if len(machine.problems) > seen:
            # a condition that could not be computed was taken as false: the choice would
            # vanish without a word (or the scene be called a dead end), so stop and say why
            transcript.steps.append(step)
            _failed(transcript, machine, machine.problems[seen], turn)
            break
        if scene.ending or not options:
            transcript.steps.append(step)
            transcript.ending = scene.id if scene.ending else None
            if not scene.ending:
                transcript.error = f"dead end in scene '{scene.id}': no choice can be taken"
            break
        pick = choose(step, turn)
        if pick is None:
            transcript.steps.append(step)
            break
        if not 1 <= pick <= len(options):
            transcript.steps.append(step)
            can = "only choice 1 can be taken" if len(options) == 1 else \
                f"choices 1 to {len(options)} can be taken"
            transcript.error = (f"step {turn + 1}: there is no choice {pick} in scene '{scene.id}'; {can} there ("
                                + ", ".join(f"{i}. {c.text}" for i, c in enumerate(options, 1)) + ")")
            break
        transcript.steps.append(Step(step.scene, step.title, step.text, step.options, options[pick - 1].id))
        seen = len(machine.problems)
        after = machine.take(state, options[pick - 1])
        if len(machine.problems) > seen:   # none of its effects applied: stop where it was taken
            _failed(transcript, machine, machine.problems[seen], turn)
            break
        state = after
    _finish(transcript, state)
    return transcript


def _failed(transcript: Transcript, machine: StoryMachine, problem, turn: int) -> None:
    choice, err, state, effect = problem
    what = f"the effect {code_span(clip(choice.effects, 80))}" if effect \
        else f"the condition {code_span(clip(choice.condition, 80))}"
    who = f" (playing as {machine.player.hero})" if machine.player.hero else ""
    transcript.failed = (choice, err, effect)
    transcript.error = (f"step {turn + 1}: {what} of choice '{choice.id}' cannot be computed in scene "
                        f"'{state.scene}'{who}: {err.message}")


def _finish(transcript: Transcript, state: State) -> None:
    transcript.variables = state.vars()
    transcript.items = sorted(state.items)


def scripted(numbers: list[int]) -> Chooser:
    """Follow a fixed path; when it runs out before an ending, stop there."""
    def choose(step: Step, turn: int) -> int | None:
        return numbers[turn] if turn < len(numbers) else None
    return choose
