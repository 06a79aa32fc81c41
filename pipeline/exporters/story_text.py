"""What the ink and Twee exports of a story share: who plays it, and the names that
stand in those engines for story variables, the hero's values, skills and items.

Neither engine knows our heroes, so the story is exported as played by one hero (the
protagonist, as `foundry play` plays it by default): the hero's attributes, derived
stats and level become fixed values, skills and items become true/false variables
named by `expr.emit` (`skill_<id>`, `item_<id>`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .. import expr
from ..expr.emit import item_variable, skill_variable
from ..load.markdown import FOLDED_CHARS, collapse_spaces, text_blocks
from ..stories.machine import Player
from ..stories.scenes import Choice
from ..stories.story import Story
from ..resolve.world import World, players_for


@dataclass(frozen=True)
class StoryExport:
    story: Story
    player: Player
    variables: dict[str, Any]      # exported name → starting value, in the order written
    hero: dict[str, Any]           # exported name → the hero's value (attributes, stats, level)
    skills: dict[str, bool]        # skill id → whether the hero has it, sorted by id
    items: dict[str, bool]         # item id → whether the hero starts with it, sorted by id
    names: Mapping[str, str]       # our name → exported name, only for names an engine cannot take

    def condition(self, choice: Choice) -> expr.Expr | None:
        """The choice's condition with exported names; None when it has none. A
        condition that did not parse never holds (the state machine's rule)."""
        if choice.condition is None:
            return None
        if choice.condition_ast is None:
            return expr.Bool(False)
        return renamed(choice.condition_ast, self.names)

    def effects(self, choice: Choice) -> tuple:
        return tuple(renamed(effect, self.names) for effect in choice.effects_ast)


def prepare(world: World, sid: str, reserved: Iterable[str] = ()) -> StoryExport:
    """The story `sid` as its default player plays it. `reserved` are words the engine
    refuses as variable names; a story or hero name among them gets a trailing `_`."""
    story = world.stories[sid].model
    player = players_for(story, world)[0]
    asts = [node for _, choice in story.choices() for node in _asts(choice)]
    skills = sorted(set(player.skills) | expr.skills_used(asts))
    items = sorted(set(player.items) | expr.items_used(asts))
    generated = {skill_variable(s) for s in skills} | {item_variable(i) for i in items}
    names = _safe_names([*story.front.variables, *player.values], set(reserved) | generated)
    return StoryExport(
        story, player,
        {names.get(k, k): v for k, v in story.front.variables.items()},
        {names.get(k, k): v for k, v in player.values.items()},
        {s: s in player.skills for s in skills},
        {i: i in player.items for i in items},
        names,
    )


def _asts(choice: Choice) -> list:
    return ([choice.condition_ast] if choice.condition_ast is not None else []) + list(choice.effects_ast)


def _safe_names(names: list[str], refused: set[str]) -> dict[str, str]:
    """A new name for each name the engine refuses, unique among all names (so that
    `temp` becomes `temp_`, or `temp__` when the story also has a `temp_`)."""
    taken = set(names) | refused
    out: dict[str, str] = {}
    for name in names:
        if name not in refused:
            continue
        new = name + "_"
        while new in taken:
            new += "_"
        taken.add(new)
        out[name] = new
    return out


def renamed(node: Any, names: Mapping[str, str]) -> Any:
    """An expression or effect with its variable names replaced through `names`."""
    if not names:
        return node
    if isinstance(node, expr.Name):
        return dataclasses.replace(node, name=names.get(node.name, node.name))
    if isinstance(node, expr.SetFlag):
        return dataclasses.replace(node, name=names.get(node.name, node.name))
    if isinstance(node, expr.Assign):
        return dataclasses.replace(node, target=names.get(node.target, node.target),
                                   value=renamed(node.value, names))
    if isinstance(node, expr.Unary):
        return dataclasses.replace(node, operand=renamed(node.operand, names))
    if isinstance(node, expr.Binary):
        return dataclasses.replace(node, left=renamed(node.left, names), right=renamed(node.right, names))
    if isinstance(node, expr.Call):
        return dataclasses.replace(node, args=tuple(renamed(a, names) for a in node.args))
    return node


def paragraphs(text: str) -> list[list[str]]:
    """A scene's plain prose as paragraphs of lines (`text_blocks`, the paragraphs
    Paragraph.shown counts; a line break inside a paragraph is a Markdown hard break).
    A line keeps a space the writer typed at its start (`&nbsp;`, an ideographic
    space): an indent the site shows, which str.strip() dropped."""
    return [[line.strip(FOLDED_CHARS) for line in block.split("\n") if line.strip(FOLDED_CHARS)]
            for block in text_blocks(text)]


def one_line(text: str) -> str:
    """Text for a place that holds a single line (a comment, a tag, a title): its
    breaks and runs of spaces one space, a no-break space kept (collapse_spaces)."""
    return collapse_spaces(text)

