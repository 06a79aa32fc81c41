"""The story as a state machine: one definition of "what can be chosen here and what
happens then", shared by playthroughs, the analysis and (through the JSON ASTs) the
browser player, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import expr
from .scenes import Choice
from .story import Story


@dataclass(frozen=True)
class Player:
    """Who plays: the hero's readable values, skills and starting items."""

    hero: str | None
    values: dict[str, Any]
    skills: frozenset[str] = frozenset()
    items: frozenset[str] = frozenset()


@dataclass(frozen=True)
class State:
    """Where a playthrough is: the scene, the story variables, the items held. Equal and
    hashed by those three (a frozen dataclass), the hash computed once, when the state is
    made: the analysis looks each state up ~40 times (its graph's dicts and sets), and
    the dataclass's own `__hash__` built and hashed the three fields' tuple each time
    (~17 % of a story's analysis under cProfile, 636,500 calls for 500 stories)."""

    scene: str
    variables: tuple[tuple[str, Any], ...]   # sorted (name, value) pairs: hashable, comparable
    items: frozenset[str]

    def __post_init__(self) -> None:
        # not a field: fields(), the repr and equality stay the three above
        object.__setattr__(self, "_hash", hash((self.scene, self.variables, self.items)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # made again from its fields, never with the hash it was pickled with: a str's hash
        # differs between processes (PYTHONHASHSEED)
        return State, (self.scene, self.variables, self.items)

    def vars(self) -> dict[str, Any]:
        return dict(self.variables)


@dataclass
class StoryMachine:
    story: Story
    player: Player
    # Conditions and effects that could not be evaluated (division by zero, a value past
    # ±2^53): the choice, the error, the state it was evaluated in, and whether it was
    # the effect (else the condition). The analysis reports them (stories/analysis.py).
    problems: list[tuple[Choice, expr.ExprError, State, bool]] = field(default_factory=list)

    def start(self) -> State:
        # a variable named as a hero's value is refused (HF0512: conditions read the
        # hero's); left in, it hid the hero's value, and `agility: 3` beside a hero's 13
        # made `agility >= 12` never true: HF0505 and HF0504 for the one slip
        hero = self.player.values
        return State(self.story.front.start, tuple(sorted((name, value) for name, value in
                                                          self.story.front.variables.items() if name not in hero)),
                     self.player.items)

    def env(self, state: State) -> dict[str, Any]:
        return {**self.player.values, **state.vars()}

    def options(self, state: State) -> list[Choice]:
        """The choices that can be taken in this state, in the order written."""
        scene = self.story.scenes.get(state.scene)
        if scene is None or scene.ending:
            return []
        env = self.env(state)
        return [c for c in scene.choices if c.target in self.story.scenes and self.holds(c, state, env)]

    def holds(self, choice: Choice, state: State, env: dict[str, Any] | None = None) -> bool:
        if choice.condition_ast is None:
            return choice.condition is None  # a condition that failed to parse never holds
        try:
            return expr.evaluate(choice.condition_ast, env or self.env(state), items=state.items,
                                 skills=self.player.skills) is True
        except expr.ExprError as err:
            self.problems.append((choice, err, state, False))
            return False

    def take(self, state: State, choice: Choice) -> State:
        env = state.vars()
        full = {**self.player.values, **env}
        items = set(state.items)
        try:
            # with the hero's skills, as a condition reads them: `do="sharp = has_skill('tracking')"`
            # is true for a tracker (the ink and Twee exports' fixed `skill_tracking` says so too)
            expr.apply_effects(choice.effects_ast, full, items, self.player.skills)
        except expr.ExprError as err:
            self.problems.append((choice, err, state, True))
        # The same (name, value) pair objects as the state taken from wherever the value
        # is unchanged (the pairs are sorted already): a state then costs a slot per
        # variable, not a new pair, and thousands of states share most of theirs.
        variables = tuple(pair if full[pair[0]] is pair[1] else (pair[0], full[pair[0]]) for pair in state.variables)
        return State(choice.target, variables, frozenset(items))

    def is_ending(self, state: State) -> bool:
        scene = self.story.scenes.get(state.scene)
        return bool(scene and scene.ending)
