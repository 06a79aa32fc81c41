"""Whole numbers ink cannot hold, found when the ink export is planned (HF0610, HF0611),
and a story variable's text holding a line break, which no ink string can (HF0612).

Our numbers go to ±2^53 (HF0606); ink's whole numbers are 32-bit (a C# `int` in
inklecate and the Unity runtime). A story variable starting at 3,000,000,000, or
`gold > 2999999999` in a condition, is a literal inklecate refuses ("Expected
initial value … but saw '3000000000'"), so `foundry build` used to write a script
no ink compiler accepts while `foundry check` said nothing. Every number the ink
export writes as a whole-number literal is looked at here, where the writer typed
it: story variables' starting values, numbers in conditions and effects, and the
protagonist's values that become `CONST`s. Decimal numbers are ink floats and stay
as they are. A number a story only reaches while it is played (`gold += 2000000000`
twice) compiles, but an ink runtime wraps it around (C#'s int: 4,000,000,000 reads
-294,967,296): HF0611, at the effect, from the story's analysis.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics, Span
from .. import expr
from ..resolve.world import World, players_for
from ..stories.analysis import INK_WRAP_WORDS
from .base import PlanParts

# The largest whole number ink's parser reads. A negative literal is read as a minus
# and this number, so -2,147,483,648 is refused too: the bound is the same both ways.
INK_INT_MAX = 2**31 - 1
HINT = (f"ink's whole numbers are 32-bit: keep this one within ±{INK_INT_MAX:,} (count in "
        "larger units), or leave \"ink\" out of `[build] outputs` in foundry.toml.")

TEXT_HINT = ("ink's strings are one line: write the value on one line (YAML's `>` folds lines into one), "
             "or leave \"ink\" out of `[build] outputs` in foundry.toml.")

# The cap comes before the step: `min(gold + 500, 2147483647)` adds first, which wraps in
# the C# runtime (-2147483196 with 2,147,483,600 gold), so the hint followed was HF0611 again.
REACHED_HINT = (f"ink's whole numbers are 32-bit: cap the variable before it grows (`gold = min(gold, "
                f"{INK_INT_MAX - 500}) + 500`: no step passes {INK_INT_MAX}), count in larger units, or leave "
                "\"ink\" out of `[build] outputs` in foundry.toml.")


# `gold += 2000000000` capped as the hint above caps `+ 500`: the example copied as written
# changed the game, so where the effect said adds (or takes) one number, the cap is
# worked out for that number and that variable
CAP_HINT = ("ink's whole numbers are 32-bit: cap the variable before it grows (`{cap}`: no step passes "
            f"{INK_INT_MAX}), count in larger units, or leave \"ink\" out of `[build] outputs` in foundry.toml.")
_MADE = re.compile(r"makes '([^']+)' ")


def reached_hint(choice, message: str) -> str:
    """HF0611's hint for the finding `message` at `choice` (a stories.scenes Choice):
    for an effect `name += n` (or `-= n`) of a whole number n, the cap that keeps every
    step within ink's 32 bits for that n (`name = min(name, 2147483647 - n) + n`;
    `name = max(name, n - 2147483647) - n`), else the general hint with its example.
    Not for a value ink holds as a decimal (a cap keeps it a decimal there)."""
    made = _MADE.search(message)
    if made is None or "made with a decimal" in message:
        return REACHED_HINT
    for effect in choice.effects_ast or ():
        if (isinstance(effect, expr.Assign) and effect.target == made.group(1) and effect.op in ("+=", "-=")
                and isinstance(effect.value, expr.Number) and type(effect.value.value) is int
                and 0 < effect.value.value <= INK_INT_MAX):
            name, n = effect.target, effect.value.value
            cap = (f"{name} = min({name}, {INK_INT_MAX - n}) + {n}" if effect.op == "+="
                   else f"{name} = max({name}, {n - INK_INT_MAX}) - {n}")
            return CAP_HINT.format(cap=cap)
    return REACHED_HINT


# The variable itself against a whole number, not both sides multiplied: the values this
# is said of are large, and `coins * 3 > 3000000000` (for `coins * 1.5 > 1500000000`) is a
# number ink refuses (HF0610) and a step that wraps past 715,827,882 coins
DECIMALS_HINT = ("C# ink (Unity, Inky) computes decimals in 32 bits: compare the variable itself with a whole number "
                 "where a choice depends on it (`coins > 16`, not `coins * 1.5 > 25`; `gold >= 3`, not "
                 "`gold > 2.5`), or leave "
                 "\"ink\" out of `[build] outputs` in foundry.toml.")

# `gold + gold // 2`, not `gold * 3 // 2`: the values this is said of are large, and
# `gold * 3` wraps past 715,827,882 gold (HF0611, an error, for a warning followed)
EFFECT_DECIMALS_HINT = ("C# ink (Unity, Inky) computes decimals in 32 bits, about 7 digits: compute with whole numbers "
                        "where the result matters (`gold + gold // 2`, not `gold * 1.5`; `(gold // 2) % 7`, not "
                        "`(gold * 0.5) % 7`), or leave \"ink\" out of `[build] outputs` in foundry.toml.")

WRAP_HINT = ("C# ink (Unity, Inky) computes whole numbers in 32 bits and wraps them around past 2,147,483,647: "
             "keep each step of the condition within that (`gold > 1000000000`, not `gold * 2 > 2000000000`), or "
             "leave \"ink\" out of `[build] outputs` in foundry.toml.")


def _too_big(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > INK_INT_MAX


def ink_number_problems(world: World, diags: Diagnostics, parts: PlanParts | None = None) -> None:
    """HF0610 at each whole number of a story that ink cannot hold, HF0611 at each
    effect that makes one (module docstring). `parts` (`foundry serve`'s PlanParts):
    each story's literals are looked at again only when its Entry is new, so a story
    save walks that story's expressions, not all 500 (~0.03 CPU-s at 10,000 heroes)."""
    stories = world.stories
    found = parts.table("ink-numbers", stories, _literals) if parts is not None \
        else [_literals(sid, entry) for sid, entry in stories.items()]
    by_story = dict(zip(stories, found))
    for sid in sorted(stories):
        diags.extend(by_story[sid])
    _hero_values(world, diags)
    _reached_values(world, diags)


def _literals(sid: str, entry) -> tuple:
    """HF0610 for one story's own literals (its variables' starting values, the numbers
    in its conditions and effects), as diagnostics; reads nothing but the story's Entry."""
    diags = Diagnostics()
    story = entry.model
    out = f"build/ink/{sid}.ink"
    for name, value in story.front.variables.items():
        if _too_big(value):
            diags.add("HF0610", f"story variable '{name}' starts at {value}, beyond what ink holds: "
                      f"inklecate would refuse {out}", entry.span("variables", name), hint=HINT)
        elif isinstance(value, str) and ("\n" in value or "\r" in value):
            # an ink string has no escape for a line break: the script would hold a
            # broken literal (or the value without its breaks: a writer's text altered)
            diags.add("HF0612", f"story variable '{name}' starts as text holding a line break, which an ink "
                      f"string cannot hold: inklecate would refuse {out}", entry.span("variables", name),
                      hint=TEXT_HINT)
    for _, choice in story.choices():
        for text_span, roots in ((choice.condition_span, [choice.condition_ast] if choice.condition_ast else []),
                                 (choice.effects_span, list(choice.effects_ast))):
            for node in expr.walk(roots):
                if isinstance(node, expr.Number) and _too_big(node.value):
                    span = text_span.shifted(node.offset, node.length) if text_span else choice.span
                    diags.add("HF0610", f"the number {node.value} is beyond what ink holds: inklecate "
                              f"would refuse {out}", span, hint=HINT)
    return tuple(diags.items)


def _reached_values(world: World, diags: Diagnostics) -> None:
    """HF0611 at each effect that makes a story variable a whole number ink cannot
    hold, in a state the story reaches (found by the story's analysis, which keeps
    these apart: stories/analysis.py `ink_range`). The script compiles, but an ink
    runtime wraps the number around, so the story plays otherwise than it does here."""
    for sid in sorted(world.stories):
        report = world.story_reports.get(sid)
        if report is None or not report.ink:
            continue
        scenes = world.stories[sid].model.scenes
        for finding in report.ink:
            if finding.code == "HF0615":   # a check's budget ran out: said at the story, once
                diags.add("HF0615", finding.message, world.stories[sid].span("start"),
                          hint="Nothing is wrong for this. Play the story's long paths in the C# runtime "
                               "(`inklecate -p build/ink/…`) before relying on big numbers or decimals there.")
                continue
            # one choice of this id: a second sharing it is read under the id HF0511's
            # hint gives it (stories/story.py `_check_scene`)
            choice = next(c for c in scenes[finding.scene].choices if c.id == finding.choice)
            if finding.code == "HF0616":   # an effect C# ink's 32-bit decimals compute otherwise
                diags.add("HF0616", finding.message, choice.effects_span or choice.span, hint=EFFECT_DECIMALS_HINT)
                continue
            if finding.code == "HF0613":   # a condition C# ink's 32-bit decimals decide otherwise
                diags.add("HF0613", finding.message, choice.condition_span or choice.span,
                          hint=WRAP_HINT if INK_WRAP_WORDS in finding.message else DECIMALS_HINT)
            else:
                diags.add("HF0611", finding.message, choice.effects_span or choice.span,
                          hint=reached_hint(choice, finding.message))


def _hero_values(world: World, diags: Diagnostics) -> None:
    """The exported heroes' values (attributes, derived stats, level), which each
    script declares as `CONST`s. One value is one slip, however many stories its hero
    plays: said once, where it comes from — a derived stat at its formula in the rule
    book, an attribute at the hero's line that sets it — naming the first story."""
    said: set[str] = set()
    for sid in sorted(world.stories):
        entry = world.stories[sid]
        player = players_for(entry.model, world)[0]
        if _out_of_range(world, player):
            continue   # HF0404 said at the attribute: its slip, not also ink's (nor its derived stats')
        for name, value in player.values.items():
            if not _too_big(value) or name in said:
                continue
            said.add(name)
            who = f"hero '{player.hero}'" if player.hero else "the average hero"
            diags.add("HF0610", f"'{name}' is {value} for {who}, beyond what ink holds: inklecate would "
                      f"refuse build/ink/{sid}.ink, where it is a CONST", _source(world, entry, player, name), hint=HINT)


def _out_of_range(world: World, player) -> bool:
    """Whether one of the player's attributes is outside its range in the rule book:
    `constitution: 2000000000` is HF0404 where it is written, and every value made from
    it (max_hp, at its formula in the rule book) is as wrong; the fix is that value."""
    values = player.values
    return any(name in values and not rule.min <= values[name] <= rule.max
               for name, rule in world.rules.attributes.items())


def _source(world: World, entry, player, name: str) -> Span:
    stat = world.rules.derived.get(name)
    if stat is not None:
        return stat.formula.span
    hero = world.heroes.get(player.hero) if player.hero else None
    if hero is not None and name in (hero.model.attributes or {}):
        return hero.span("attributes", name)
    return entry.span("protagonist") if entry.model.front.protagonist else entry.span("start")
