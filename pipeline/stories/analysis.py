"""The branching engine: explore every reachable state of a story and prove things
about it — unreachable scenes, choices that can never be taken, dead ends, loops with
no way out — plus statistics (paths, shortest and longest route to an ending).

States are (scene, story variables, items) for one player. Exploration is a bounded
breadth-first search; findings that need a complete search are only claimed when the
search completed, and hitting the bound is itself reported.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..cycles import cycle_components
from ..diagnostics import Diagnostics, clip, code_span, did_you_mean, near_budget
from ..expr import (Assign, Binary, ExprError, Name, Number, SetFlag, Unary, apply_effects, evaluate, names_used,
                    names_written, walk)
from ..expr.ink_csharp import (condition_in_csharp_ink, csharp_text, decimal_in_ink, may_wrap, uses_decimals,
                               value_in_csharp_ink, whole_steps)
from ..validate.documents import named_by, named_in
from .machine import Player, State, StoryMachine
from .story import Story

MAX_STATES = 20_000
# What one story's analysis may hold: states × (variables + 1), summed over its players.
# Each state keeps every story variable and each player is explored apart, so the state
# bound alone let a legal 400 KB story of 2,000 variables hold 8.5 GB (38 CPU-s) for one
# hero, and a story naming hundreds of heroes explore 20,000 states for each. A story of
# 50 variables played by 3 heroes keeps the whole 20,000 states per hero.
MAX_VALUES = 4_000_000
# And what it may compute: steps of evaluation (the nodes of the conditions and effects
# of each scene explored), over its players. The states bound alone let a legal 180 KB
# story (one scene, a counter, 100 choices with 1,700-character conditions) run check
# for more than ten minutes. The sample world's stories take at most ~1,100 (the
# 20,000 states of a 2,000-scene test story with a condition on every choice, ~750,000).
MAX_STEPS = 5_000_000
READING_WPM = 200


@dataclass
class Exploration:
    player: Player
    start: State
    edges: dict[State, list[tuple[str, State]]] = field(default_factory=dict)  # state → (choice id, next)
    complete: bool = True
    problems: list = field(default_factory=list)   # StoryMachine.problems: what could not be evaluated
    # False when the graph explored is not the writer's whole story: a condition or
    # effect that did not parse (never holds, changes nothing), a choice to a scene that
    # does not exist (never offered); what the variables hold is then not known (`held`)
    whole: bool = True

    @property
    def states(self) -> int:
        return len(self.edges)


Held = tuple[tuple[str, tuple | None], ...]   # per story variable: the values it holds, or None: too many


# The story variables' names, and each distinct row of their values a state of play has
# (in that order): what they hold together, which `Held` (each alone) does not say.
Together = tuple[tuple[str, ...], tuple[tuple, ...]]


@dataclass(frozen=True)
class RunSummary:
    """What `report` needs of one exploration: who played, how many states it saw,
    whether it saw them all (kept by resolve/analyses.py instead of the whole graph);
    and what each story variable held in them (`held`) and what they held together
    (`together`), which say whether a quest's objective can ever be done
    (stories/quests.py)."""

    hero: str | None
    states: int
    complete: bool
    values: Held | None = None
    rows: Together | None = None
    # of a run stopped at its bound: the variables holding the most values in the states
    # it saw, past MAX_HELD each (name, how many), most first: the counters HF0510 names
    grows: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, run: Exploration) -> "RunSummary":
        return cls(run.player.hero, run.states, run.complete, held(run), together(run), growing(run))


# The values of a variable kept to tell what it ever holds: past this many it is "any".
MAX_HELD = 64


def held(run: Exploration) -> Held | None:
    """Per story variable, in name order, the distinct values it holds in the states the
    run explored (sorted), or None for one holding more than MAX_HELD; None when the run
    did not see every state of the story (what a variable never holds is then not known)."""
    if not run.complete or not run.whole:
        return None
    seen: dict[str, set | None] = {}
    for state in run.edges:
        for name, value in state.variables:
            values = seen.setdefault(name, set())
            if values is not None:
                values.add(value)
                if len(values) > MAX_HELD:
                    seen[name] = None
    return tuple((name, None if values is None else tuple(sorted(values)))
                 for name, values in sorted(seen.items()))


# The rows of values kept to tell what the variables hold together: past this many, not known.
MAX_ROWS = 1024


def growing(run: Exploration) -> tuple[tuple[str, int], ...]:
    """The story variables holding more than MAX_HELD values in the states a run saw
    before it stopped at its bound, with how many, most first (three at most); () of a
    run that saw every state. A counter no condition bounds (`steps += 1` on a choice
    back to its own scene) makes states without end, and HF0510 said only "findings are
    complete only for the states explored", naming nothing to change."""
    if run.complete:
        return ()
    seen: dict[str, set] = {}
    for state in run.edges:
        for name, value in state.variables:
            seen.setdefault(name, set()).add(value)
    return tuple(sorted(((name, len(values)) for name, values in seen.items() if len(values) > MAX_HELD),
                        key=lambda item: (-item[1], item[0]))[:3])


def together(run: Exploration) -> Together | None:
    """The story variables' names and each distinct row of their values in the states
    the run explored (sorted); None past MAX_ROWS rows, or when the run did not see every
    state. `crossed` and `paid` each true somewhere are never true together when no
    row has both (stories/quests.py: an objective waiting for both is never done)."""
    if not run.complete or not run.whole:
        return None
    names: tuple[str, ...] | None = None
    rows: set[tuple] = set()
    for state in run.edges:
        if names is None:
            names = tuple(name for name, _ in state.variables)
        rows.add(tuple(value for _, value in state.variables))
        if len(rows) > MAX_ROWS:
            return None
    return (names or (), tuple(sorted(rows)))


def rows_together(runs: list[RunSummary]) -> Together | None:
    """The rows of every run (together), None when one run does not say or they differ
    in their names."""
    if not runs or any(r.rows is None for r in runs) or len({r.rows[0] for r in runs}) > 1:
        return None
    rows = set().union(*(r.rows[1] for r in runs))
    return None if len(rows) > MAX_ROWS else (runs[0].rows[0], tuple(sorted(rows)))


def held_together(runs: list[RunSummary]) -> Held | None:
    """What each variable holds over all `runs` (held), None when one run does not say."""
    if not runs or any(r.values is None for r in runs):
        return None
    together: dict[str, set | None] = {}
    for run in runs:
        for name, values in run.values or ():
            known = together.setdefault(name, set())
            together[name] = None if values is None or known is None or len(known | set(values)) > MAX_HELD \
                else known | set(values)
    return tuple((name, None if values is None else tuple(sorted(values))) for name, values in sorted(together.items()))


PATHS_LIMIT = 2 ** 53
PATHS_OVER = "more than 2^53"


@dataclass(frozen=True)
class StoryStats:
    scenes: int
    choices: int
    endings: int
    words: int
    reading_minutes: int
    paths: int | None          # distinct start→ending paths; None when loops make them unbounded,
                               # or when the analysis stopped before every state (not complete)
    shortest: int | None       # fewest choices to an ending
    longest: int | None        # most choices to an ending without repeating a state; None with loops
                               # or an analysis not complete
    has_loops: bool
    states_explored: int
    complete: bool
    # More than PATHS_LIMIT paths (then `paths` is None): past 2^53 a JSON number in
    # JavaScript, or a double anywhere, no longer holds the count exactly, and past
    # 2^64 the JSON writer cannot write it at all. Said as "more than 2^53".
    paths_over: bool = False


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    scene: str
    choice: str | None = None


def state_limit(story: Story, players: int, limit: int = MAX_STATES) -> int:
    """The states each of `players` explorations may visit: `limit`, or fewer so that
    all of them hold at most MAX_VALUES values. At least 1 (the start)."""
    per_state = len(story.front.variables) + 1
    return max(1, min(limit, MAX_VALUES // (per_state * max(1, players))))


def scene_steps(story: Story) -> dict[str, int]:
    """Per scene, the steps of evaluation one visit may take: every choice's condition
    and effects, node by node (an upper bound: an effect runs only if its choice can
    be taken). At least 1, the visit itself."""
    return {sid: 1 + sum(sum(1 for _ in walk(c.condition_ast)) if c.condition_ast is not None else 0
                         for c in scene.choices)
            + sum(sum(1 for _ in walk(c.effects_ast)) for c in scene.choices if c.effects_ast)
            for sid, scene in story.scenes.items()}


def explore(story: Story, player: Player, limit: int = MAX_STATES, steps: int = MAX_STEPS,
            costs: dict[str, int] | None = None) -> Exploration:
    """Every state reachable for `player`, breadth first, until `limit` states are known
    or the visits so far took more than `steps` steps of evaluation (scene_steps;
    `costs` is that table when the caller has it); then `complete` is False and the
    states not visited yet are dropped, as states past `limit` are never kept."""
    machine = StoryMachine(story, player)
    start = machine.start()
    run = Exploration(player, start)
    queue = deque([start])
    run.edges[start] = []
    # each state reached again is the object first made for it, in the edges too: the
    # graph's later lookups (_can_finish, _paths, _doomed…) then find it by identity,
    # where an equal copy cost a dataclass `__eq__` each (151,000 for 500 stories)
    made = {start: start}
    costs = scene_steps(story) if costs is None else costs
    while queue:
        if steps < 0:   # the start is always visited
            run.complete = False
            for unvisited in queue:
                del run.edges[unvisited]
            break
        state = queue.popleft()
        steps -= costs.get(state.scene, 1)
        for choice in machine.options(state):
            nxt = machine.take(state, choice)
            nxt = made.setdefault(nxt, nxt)
            run.edges[state].append((choice.id, nxt))
            if nxt not in run.edges:
                if len(run.edges) >= limit:
                    run.complete = False
                    continue
                run.edges[nxt] = []
                queue.append(nxt)
    run.problems = machine.problems
    return run


def analyse(story: Story, players: list[Player], limit: int = MAX_STATES) -> tuple[list[Finding], StoryStats, list[Exploration]]:
    limit = state_limit(story, len(players), limit)
    costs = scene_steps(story)
    runs = [explore(story, p, limit, MAX_STEPS // max(1, len(players)), costs) for p in players]
    whole = not story.broken_expressions() and all(c.target in story.scenes for _, c in story.choices())
    for run in runs:
        run.whole = whole
    findings = _structural(story) + _by_state(story, runs) + _ink_findings(story, runs[0])
    return findings, statistics(story, runs[0]), runs


def at_every_level(story: Story, groups: list[list[Player]]) -> set[tuple[str, str, str | None]]:
    """(code, scene, choice) of each finding that holds for every group of players: the
    same heroes at each level they may be at, while the XP table is in error
    (resolve/world.py level_players). A scene or choice never reached at any level is
    never reached; a dead end, a loop or a failing condition found at every level is
    found whatever the level. All groups share one analysis' bounds; when they stop it
    (not complete) nothing is claimed."""
    players = [p for group in groups for p in group]
    limit = state_limit(story, len(players))
    costs = scene_steps(story)
    runs = [explore(story, p, limit, MAX_STEPS // max(1, len(players)), costs) for p in players]
    if not runs or not all(r.complete for r in runs):
        return set()
    found: set[tuple[str, str, str | None]] | None = None
    at = 0
    for group in groups:
        keys = {(f.code, f.scene, f.choice) for f in _by_state(story, runs[at:at + len(group)])}
        at += len(group)
        found = keys if found is None else found & keys
    return found or set()


def structural_findings(story: Story) -> list[Finding]:
    """Scenes no path of links reaches, whatever the conditions: findings that hold
    for every player (the others depend on who plays; see resolve/world.py)."""
    return _structural(story)


def _structural(story: Story) -> list[Finding]:
    """Scenes no path of links reaches, whatever the conditions: always a sure finding.
    The scenes unknown targets were likely meant as (`_meant`) share one budget
    (diagnostics.near_budget), a function of the story alone: 600 scenes each leading
    to a slip of the next one's id were 600 x 600 comparisons (~127 million lines of
    difflib, 18 CPU-s at 32 KB); past it a slip's scene may be said unreached too."""
    with near_budget():
        return _reached_from_start(story)


def _reached_from_start(story: Story) -> list[Finding]:
    reached, queue = {story.front.start}, [story.front.start]
    while queue:
        scene = story.scenes.get(queue.pop())
        for choice in scene.choices if scene and not scene.ending else ():
            target = _meant(story, choice.target)
            if target in story.scenes and target not in reached:
                reached.add(target)
                queue.append(target)
    if story.front.start not in story.scenes:
        return []
    return [_unreachable(s.id, s.ending, _why_unreached(story, s.id)) for s in story.scenes.values() if s.id not in reached]


def _meant(story: Story, target: str) -> str:
    """The scene a choice leads to, or, for an unknown one (HF0304 at the choice, with
    "did you mean"), the scene it was likely meant as: a heading's id or a link
    misspelt (`{#lanter}`) made that scene "can never be reached" too, one slip said
    twice."""
    if target in story.scenes:
        return target
    # or the scene's title written where its id goes (`(#tracks-in-the-mud)`)
    return named_by(target, story.scenes) or named_in(target, story.scenes) or did_you_mean(target, story.scenes) \
        or target


def _why_unreached(story: Story, scene: str) -> str:
    """Why no path of links reaches `scene`: no choice leads there, or only choices of
    scenes that are unreachable themselves (named, so the writer fixes the first link)."""
    sources = list(dict.fromkeys(s.id for s in story.scenes.values() for c in s.choices
                                 if c.target == scene and s.id != scene and not s.ending))
    if not sources:
        return "no choice leads here"
    named = ", ".join(f"'{s}'" for s in sources[:3]) + (" …" if len(sources) > 3 else "")
    if len(sources) == 1:
        return f"only scene {named} leads here, and it cannot be reached either"
    return f"only scenes {named} lead here, and none of them can be reached"


def _unreachable(scene: str, ending: bool, why: str) -> Finding:
    if ending:
        return Finding("HF0509", f"ending '{scene}' can never be reached: {why}", scene)
    return Finding("HF0504", f"scene '{scene}' can never be reached: {why}", scene)


def _by_state(story: Story, runs: list[Exploration]) -> list[Finding]:
    if story.front.start not in story.scenes or story.broken_expressions() \
            or any(c.target not in story.scenes for _, c in story.choices()):
        # a condition that failed to parse, or a choice leading to an unknown scene (a
        # misspelt id), is already an error; guessing past it only adds noise
        return []
    failed = _evaluation_failures(runs)
    if failed:
        # a condition that could not be computed counted as false: "never true" and
        # "never reached" would then be claims about values nobody knows
        return failed
    findings: list[Finding] = []
    complete = all(r.complete for r in runs)
    reached = {s.scene for r in runs for s in r.edges}
    taken = {cid for r in runs for outs in r.edges.values() for cid, _ in outs}
    structurally = {f.scene for f in _structural(story)}
    if complete:
        for scene in story.scenes.values():
            if scene.id not in reached and scene.id not in structurally:
                findings.append(_unreachable(scene.id, scene.ending, "the conditions on the way never hold"))
        for scene, choice in story.choices():
            if scene.id in reached and choice.id not in taken and choice.target in story.scenes:
                # an ending stops the story: its choices are never offered, whatever they say
                why = (f"'{scene.id}' is an ending, where the story stops" if scene.ending or choice.condition is None
                       else f"{code_span(clip(choice.condition, 80))} is never true when '{scene.id}' is reached")
                findings.append(Finding("HF0505", f"choice '{choice.id}' can never be taken: {why}",
                                        scene.id, choice.id))
    for run in runs:
        findings += _doomed(story, run)
    return findings


EVALUATION_CODES = ("HF0605", "HF0606")   # division by zero, a value past ±2^53


def _evaluation_failures(runs: list[Exploration]) -> list[Finding]:
    """HF0605/HF0606 for each condition or effect that could not be evaluated in some
    state the story reaches (the first such state, with the variables then), once per
    choice: a condition that fails counts as false, an effect that fails changes nothing."""
    findings, seen = [], set()
    for run in runs:
        who = f" (playing as {run.player.hero})" if run.player.hero else ""
        for choice, err, state, effect in run.problems:
            if (choice.id, effect) in seen:
                continue
            seen.add((choice.id, effect))
            what = (f"the effect {code_span(clip(choice.effects, 80))}" if effect
                    else f"the condition {code_span(clip(choice.condition, 80))}")
            findings.append(Finding(err.code, f"{what} of choice '{choice.id}' cannot be computed in scene "
                                    f"'{state.scene}'{who}{_when(state)}: {err.message}", state.scene, choice.id))
    return findings


# ink's whole numbers are 32-bit: past this an ink runtime wraps around (C#'s int in
# inklecate and Unity: 2,000,000,000 + 2,000,000,000 is -294,967,296), while `foundry
# play`, the site's player and inkjs go on counting.
INK_INT_MAX = 2**31 - 1
INK_RANGE = "HF0611"
INK_DECIMALS = "HF0613"
INK_BOUND = "HF0615"   # (info) one of the two below stopped at its budget of checks
INK_EFFECT_DECIMALS = "HF0616"   # an effect C#'s 32-bit decimals compute otherwise
INK_CODES = frozenset({INK_RANGE, INK_DECIMALS, INK_BOUND, INK_EFFECT_DECIMALS})   # said by the ink export's plan alone (resolve/world.py)


def _ink_findings(story: Story, run: Exploration) -> list[Finding]:
    """HF0611 and HF0613 of the ink export's player (`run`), both reading which
    variables ink holds as decimals in each state (`ink_decimal_names`); and HF0615
    once when either stopped at its budget (WRAP_CHECKS, DECIMAL_CHECKS) with states
    left to ask: past it nothing is claimed, and silence read as "ink plays it the
    same" (each check's own marker, merged into one)."""
    if _whole_everywhere(story, run):
        return []
    decimals = ink_decimal_names(story, run)
    found = ink_range(story, run, decimals) + ink_decimals(story, run, decimals)
    cut = [f.message for f in found if f.code == INK_BOUND]
    found = [f for f in found if f.code != INK_BOUND]
    if cut:
        found.append(Finding(INK_BOUND, f"the checks that the C# ink runtime plays the story as `foundry play` does ({' and '.join(cut)}) "
                             f"stopped after {DECIMAL_CHECKS:,} each{_player_words(run)}: past them a difference is not said",
                             story.front.start))
    return found


def _whole_everywhere(story: Story, run: Exploration) -> bool:
    """Whether the three checks of `_ink_findings` certainly find nothing in `run`: no
    decimal anywhere (no value of the player's or of any state reached is one; no
    effect writes a decimal number or a `/`, so ink_decimal_names holds none either),
    no value reached past ink's whole numbers (HF0611's first kind), and no effect's
    or condition's whole-number steps able to pass 32 bits even at the largest value
    reached (`may_wrap` only grows with the values it reads). Each check then asks
    nothing in any state, so walking the states three times, as they do, finds
    nothing: a story of plain counters (`gold -= 1`, `gold >= 1`, most stories) costs
    one look at each value instead (~0.15 of the ~0.4 CPU-s the 500 stories'
    analyses take at 10,000 heroes, docs/performance.md cold55)."""
    bound = 2   # the largest whole number read anywhere, in size
    # the states the checks read: every one reached (a run cut short also names, as
    # the next state of a choice, states it did not go on from)
    states = run.edges if run.complete else {**run.edges, **{nxt: () for outs in run.edges.values() for _, nxt in outs}}
    for values in (run.player.values.items(), *(state.variables for state in states)):
        for _, value in values:
            kind = type(value)
            if kind is int:
                if value > bound or -value > bound:
                    bound = abs(value)
            elif kind is float or (kind is not bool and isinstance(value, (int, float))):
                return False
    if bound > INK_INT_MAX:
        return False
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.condition_ast is not None and (uses_decimals(choice.condition_ast, {})
                                                     or may_wrap(whole_steps(choice.condition_ast), (bound,))):
                return False
            if choice.effects_ast and (
                    any((isinstance(n, Number) and isinstance(n.value, float)) or (isinstance(n, Binary) and n.op == "/")
                        for n in walk(list(choice.effects_ast)))
                    or any(may_wrap(steps, (bound,)) for steps, _ in _wrap_plan(choice))):
                return False
    return True


def _player_words(run: Exploration) -> str:
    return f" (playing as {run.player.hero})" if run.player.hero else ""


def ink_range(story: Story, run: Exploration, decimals: dict[State, frozenset[str]] | None = None) -> list[Finding]:
    """HF0611 for each choice whose effect makes a story variable a whole number ink
    cannot hold, in some state the story reaches as the ink export's player plays it
    (`run`, the first player's): the first such state, once per choice. Kept apart
    from the other findings (resolve/world.py `analyse_story`): only the ink export,
    and only when it is built, says it. Whether ink holds the value as a decimal
    (which does not wrap) or a whole number (which does) is `decimals`' after the
    choice (ink_decimal_names; found here when not given)."""
    if decimals is None:
        decimals = ink_decimal_names(story, run)
    findings, seen = [], set()
    choices = {(scene.id, c.id): c for scene, c in story.choices()}   # two scenes may share a choice id (HF0511)
    plans: dict = {}   # per choice (by id(), as the story holds it): _wrap_plan
    decimal_plans: dict = {}   # and _decimal_plan
    asked: set = set()   # (choice, the values its effects read, …) computed as C# ink does
    cut = False   # WRAP_CHECKS ran out with a state still to ask (HF0615)
    for state, outs in run.edges.items():
        before = dict(state.variables)
        for choice_id, nxt in outs:
            if choice_id in seen:
                continue
            for name, value in nxt.variables:
                # only where a value leaves the range: one that starts out of it is
                # HF0610 at its starting value (one slip, one error)
                if _past_ink(value) and not _past_ink(before.get(name)):
                    choice = choices[state.scene, choice_id]
                    made = [e for e in choice.effects_ast or () if isinstance(e, Assign) and e.target == name]
                    if any(isinstance(n, Number) and _past_ink(n.value) for n in walk(made)):
                        continue   # a number written past ink's range: HF0610 at it (one slip, one error)
                    seen.add(choice_id)
                    who = f" (playing as {run.player.hero})" if run.player.hero else ""
                    after = _ink_decimals_after(choice, {**run.player.values, **before}, state.items, run.player.skills,
                                                decimals.get(state, frozenset()))
                    why = (_AS_DECIMAL if name in after
                           else "past ink's 32-bit whole numbers, which an ink runtime wraps around")
                    findings.append(Finding(INK_RANGE, f"the effect `{choice.effects}` of choice '{choice_id}' makes "
                                            f"'{name}' {value} in scene '{state.scene}'{who}{_when(state)}: {why}",
                                            state.scene, choice_id))
                    break
            if choice_id in seen:
                continue
            choice = choices[state.scene, choice_id]
            if id(choice) not in plans:
                plans[id(choice)] = _wrap_plan(choice)
            if id(choice) not in decimal_plans:
                decimal_plans[id(choice)] = _decimal_plan(choice)
            here = decimals.get(state, frozenset())
            read_all = decimal_plans[id(choice)][1]
            # a decimal in the effects, or read by them (held as one here, or in ink):
            # C#'s 32-bit decimals may make another number of it (HF0616)
            decimal = decimal_plans[id(choice)][0] or bool(here & read_all) or any(
                type(before.get(n, run.player.values.get(n))) is float for n in read_all)
            if not decimal and (not plans[id(choice)] or not any(
                    may_wrap(steps, (before.get(n, run.player.values.get(n)) for n in names))
                    for steps, names in plans[id(choice)])):
                continue
            # what the effects read decides: a state differing elsewhere (a counter they
            # do not read) asks nothing new
            read = sorted(read_all)
            key = (id(choice), tuple((type(v), v) for v in (before.get(n, run.player.values.get(n)) for n in read)),
                   here & frozenset(read), state.items if "has" in choice.effects else None)
            if key in asked:
                continue
            if len(asked) >= WRAP_CHECKS:
                # a budget, as HF0613's: past it nothing more is asked (nothing false is
                # said), and that it stopped is said once (HF0615)
                if not cut:
                    cut = True
                    findings.append(Finding(INK_BOUND, "the numbers effects make", state.scene))
                continue
            asked.add(key)
            wrapped = _wrapped_on_the_way(choice, {**run.player.values, **before}, state.items, run.player.skills, here)
            if wrapped:
                seen.add(choice_id)
                kind, name, ours, there = wrapped
                who = f" (playing as {run.player.hero})" if run.player.hero else ""
                if kind == "decimal":
                    findings.append(Finding(INK_EFFECT_DECIMALS, f"the effect {code_span(clip(choice.effects, 80))} of "
                                            f"choice '{choice_id}' makes '{name}' {ours} in scene '{state.scene}'{who}"
                                            f"{_when(state)}, and {csharp_text(there)} in the C# ink runtime (Unity, Inky, "
                                            f"inklecate), whose {INK_DECIMAL_WORDS}: the ink story goes on with "
                                            "another number than `foundry play`", state.scene, choice_id))
                    continue
                findings.append(Finding(INK_RANGE, f"the effect `{choice.effects}` of choice '{choice_id}' makes "
                                        f"'{name}' {ours} in scene '{state.scene}'{who}{_when(state)}, and {csharp_text(there)} in "
                                        "the C# ink runtime (Unity, inklecate): a step of it is past ink's 32-bit whole "
                                        "numbers, which an ink runtime wraps around", state.scene, choice_id))
    return findings


def _decimal_plan(choice) -> tuple[bool, frozenset[str]]:
    """(whether `choice`'s assignments write a decimal number or a `/`, the names they
    read and set): whether C#'s 32-bit decimals may enter them whatever the values."""
    effects = [e for e in choice.effects_ast or () if isinstance(e, Assign)]
    values = [e.value for e in effects]
    written = any((isinstance(n, Number) and isinstance(n.value, float)) or (isinstance(n, Binary) and n.op == "/")
                  for n in walk(values))
    return written, frozenset(n for e in effects for n in (*names_used(e.value), e.target))


def _differs_as_decimals(ours, there) -> bool:
    """Whether C#'s value `there` is another number than ours, past what its 32 bits
    round away: whole numbers must be equal; a decimal agreeing with ours to 4
    significant digits is not said (C# keeps about 7, fewer after the export's `%` adds
    a large divisor: `gold * 3 / 2 % 100000` at 1,125.36 is 1,125.35 there, crumbs a
    warning on every such choice would bury), `(0.5 * 2147483000) % 7` (6 here, 3
    there) is."""
    if type(ours) is int and type(there) is int:
        return ours != there
    if not isinstance(ours, (int, float)) or isinstance(ours, bool) or not isinstance(there, (int, float)) \
            or isinstance(there, bool):
        return False
    return abs(ours - there) > 1e-4 * max(1.0, abs(ours))


def _wrap_plan(choice) -> list[tuple[tuple[int, int], tuple[str, ...]]]:
    """Per assignment of `choice`, its whole_steps (`x += 1` as the export writes it, `x
    = x + 1`) and the names it reads, for may_wrap; empty when its effects only add,
    subtract and multiply whole numbers: a step wrapped past 32 bits then changes
    nothing a value within them ends with (the arithmetic is the same modulo 2^32), only
    a division, a remainder, a comparison or a function reads the wrapped value."""
    effects = [e for e in choice.effects_ast or () if isinstance(e, Assign)]
    if all(isinstance(n, (Name, Number)) or (isinstance(n, Binary) and n.op in ("+", "-", "*"))
           or (isinstance(n, Unary) and n.op == "-") for n in walk([e.value for e in effects])):
        return []
    return [((steps + (e.op != "="), largest), (*names_used(e.value), e.target))
            for e in effects for steps, largest in [whole_steps(e.value)]]


def _wrapped_on_the_way(choice, env: dict, items: frozenset[str], skills: frozenset[str],
                        decimal: frozenset[str]) -> tuple[str, str, int | float, int | float] | None:
    """(a variable, its value here, its value in the C# ink runtime) when a whole-number
    step of `choice`'s effects passes ±2^31 though the value it ends with is within it
    (`gold = gold * 3 / 2` with 1,000,000,000 gold: 1,500,000,000 here, -647,483,648 in
    Unity, whose `gold * 3` wrapped); None when none does or that is not certain. Asked
    only where _wrap_plan and may_wrap say a step may pass 32 bits (rarely). An
    assignment whose C# value is not certain (a decimal cast to a whole number past 32
    bits) ends what is known: the variables the effects before it set, and nothing sets
    again, are still judged (`b -= (2147483000 + b) // 1.5; c -= floor(c // 0.5)`: b's
    wrap is certain whatever c does)."""
    steps = list(choice.effects_ast or ())
    ours, held = dict(env), set(items)
    there = {**env, **{n: float(env[n]) for n in decimal if type(env.get(n)) is int}}
    start = dict(there)
    for at, effect in enumerate(steps):
        if isinstance(effect, Assign):
            value = value_in_csharp_ink(_assigned(effect), there, frozenset(held), skills)
            if value is None:
                steps = steps[:at]
                break
            there[effect.target] = value
        try:
            apply_effects([effect], ours, held, skills)
        except ExprError:
            return None
        if isinstance(effect, SetFlag):
            there[effect.name] = ours[effect.name]
    unknown = {e.target for e in (choice.effects_ast or ())[len(steps):] if isinstance(e, Assign)}
    effects = [e for e in steps if isinstance(e, Assign) and e.target not in unknown]
    differ = [target for target in dict.fromkeys(e.target for e in effects)
              if type(ours[target]) in (int, float) and type(there[target]) in (int, float)
              and _differs_as_decimals(ours[target], there[target]) and not _past_ink(ours[target])]
    if not differ:
        return None
    # a difference a wrap made: one a 32-bit decimal step makes alone (`floor(2.5 + gold)`,
    # nothing wrapped) is not HF0611's; the same effects with no whole number wrapped tell
    unwrapped, held, replay = start, set(items), dict(env)
    for effect in steps:
        if isinstance(effect, Assign):
            unwrapped[effect.target] = value_in_csharp_ink(_assigned(effect), unwrapped, frozenset(held), skills,
                                                           wraps=False)
        elif isinstance(effect, SetFlag):
            unwrapped[effect.name] = ours[effect.name]
        try:
            apply_effects([effect], replay, held, skills)   # what it gives or takes (`has`)
        except ExprError:
            return None
    for target in differ:
        # a wrap made it, whole or decimal at the end (`b = 100 * a * 1.5 / 16777217`
        # with a 2,147,483,600: 19,199.998 here, -0.00043 there, `100 * a` wrapped)
        if unwrapped[target] is not None and _differs_as_decimals(unwrapped[target], there[target]):
            return "wrap", target, ours[target], there[target]
    # no wrap made it: C#'s 32-bit decimals did (`floor(gold * 1.0)` past 16,777,216)
    for target in differ:
        if unwrapped[target] is not None and not _past_ink(there[target]):
            return "decimal", target, ours[target], there[target]
    return None


def _assigned(effect: Assign):
    """The value an assignment gives, as the export writes it (`x += 1`: `x = x + 1`)."""
    return effect.value if effect.op == "=" else Binary(effect.op[0], Name(effect.target), effect.value)



# A whole number past 2^31 made by a calculation with a decimal (`big * 1.5`, a `/`
# that does not come out whole, a variable already holding a decimal) is a whole
# number here (a whole result is whole) but a decimal in ink, where nothing wraps:
# the C# runtime keeps decimals in 32 bits (inklecate prints 3,000,000,000 as `3E+09`,
# and adding 1 leaves it unchanged), so the story still plays otherwise than here.
_AS_DECIMAL = ("past ink's 32-bit whole numbers; made with a decimal, it is a decimal in ink, which the C# ink "
               "runtime (Unity, inklecate) keeps to 7 digits: it is shown in E notation (3000000000 as 3E+09) and "
               "adding 1 to it changes nothing")


def ink_decimal_names(story: Story, run: Exploration) -> dict[State, frozenset[str]]:
    """Per state of `run`, the story variables the ink export holds as decimals there
    (C# `float`s), whole or not: here a whole result is whole (`rate = 3 / 2; rate =
    rate * 2` makes rate 3), in ink a value made with a decimal stays one (3.0) in
    every later scene, and `gold * rate` is then a decimal (3E+09, no wrap; a float
    step in a condition). The first way the story reaches a state (breadth first)
    decides; a story with no decimal anywhere costs one look at each choice."""
    start = frozenset(name for name, value in run.start.variables if isinstance(value, float))
    decimals = {run.start: start}
    floats = {name for name, value in run.player.values.items() if isinstance(value, float)}
    choices = {(scene.id, c.id): c for scene, c in story.choices()}   # two scenes may share a choice id (HF0511)
    # per choice: whether its effects can make a decimal of whole numbers, the names they
    # read and those they set; one that cannot and reads no decimal makes whole numbers
    looks: dict = {}   # by id(choice)
    made: dict = {}   # (choice, the values its effects read, …) → the decimals they set
    queue = deque([run.start])
    while queue:
        state = queue.popleft()
        decimal = decimals[state]
        for choice_id, nxt in run.edges.get(state, ()):
            if nxt in decimals:
                continue
            choice = choices.get((state.scene, choice_id))
            if choice is None or not choice.effects_ast:
                decimals[nxt] = decimal
                queue.append(nxt)
                continue
            if id(choice) not in looks:
                effects = list(choice.effects_ast)
                looks[id(choice)] = (
                    any((isinstance(n, Number) and isinstance(n.value, float)) or (isinstance(n, Binary) and n.op == "/")
                        or (isinstance(n, Name) and n.name in floats) for n in walk(effects)),
                    frozenset(names_used(effects)) | {e.target for e in effects if isinstance(e, Assign) and e.op != "="},
                    frozenset(getattr(e, "target", None) or getattr(e, "name", None) for e in effects
                              if isinstance(e, (Assign, SetFlag))))
            may, reads, sets = looks[id(choice)]
            if not may and not (reads & decimal):
                after = decimal - sets if decimal & sets else decimal
            else:
                # what the effects read decides what they make (those they do not set stay
                # as they were): a state differing elsewhere (a counter they do not read)
                # asks nothing new
                env = {**run.player.values, **state.vars()}
                key = (id(choice), tuple((type(env.get(n)), env.get(n)) for n in sorted(reads)),
                       decimal & (reads | sets), state.items if "has" in choice.effects else None)
                if key not in made:
                    made[key] = _ink_decimals_after(choice, env, state.items, run.player.skills, decimal) & sets
                after = (decimal - sets) | made[key]
            decimals[nxt] = after
            queue.append(nxt)
    return decimals


def _ink_decimals_after(choice, env: dict, items: frozenset[str], skills: frozenset[str],
                        decimal: frozenset[str]) -> frozenset[str]:
    """The variables ink holds as decimals once `choice`'s effects have run, from
    `decimal` before (ink_decimal_names): each assignment's own arithmetic decides
    (expr/ink_csharp.py `decimal_in_ink`), seeing what the effects before it made.
    An effect that fails changes nothing, here as in `foundry play`."""
    env, held, made = dict(env), set(items), set(decimal)
    for effect in choice.effects_ast or ():
        if isinstance(effect, Assign):
            view = {**env, **{n: float(env[n]) for n in made if type(env.get(n)) is int}}
            (made.add if (effect.op != "=" and effect.target in made)
             or decimal_in_ink(effect.value, view, frozenset(held), skills) else made.discard)(effect.target)
        elif isinstance(effect, SetFlag):
            made.discard(effect.name)   # a truth value
        if effect is not choice.effects_ast[-1]:   # what the next effect reads
            try:
                apply_effects([effect], env, held, skills)
            except ExprError:
                return decimal
    return frozenset(made)


# Conditions asked of the C# runtime's arithmetic per story, each with values not asked
# before: a 20,000-state story asked every one (two evaluators each) and its analysis
# took 70% longer; most stories ask a few dozen.
DECIMAL_CHECKS = 4000
WRAP_CHECKS = DECIMAL_CHECKS   # effects computed as C# ink does (ink_range), likewise
# Why the C# runtime answers otherwise (HF0613's message; the ink plan's hint follows it):
# its decimals are floats, and its whole numbers wrap past 32 bits in a condition's own
# steps (`gold * 2 > 0` with 2,000,000,000 gold is false in Unity) as HF0611 says of effects.
INK_DECIMAL_WORDS = "decimals are 32-bit"
INK_WRAP_WORDS = "whole numbers are 32-bit and wrap around past 2,147,483,647"


def ink_decimals(story: Story, run: Exploration, decimals: dict[State, frozenset[str]] | None = None) -> list[Finding]:
    """HF0613 for each choice whose condition, in some state the story reaches as the ink
    export's player plays it, holds here but not in the C# ink runtime (Unity, Inky,
    inklecate), or the other way round: its decimals are 32-bit there
    (expr/ink_csharp.py). The first such state, once per choice; a condition of whole
    numbers only is never looked at. Said by the ink export's plan, as HF0611."""
    findings, seen = [], set()
    who = f" (playing as {run.player.hero})" if run.player.hero else ""
    # per scene, its conditions that may compute with a decimal: (choice, the names it
    # reads, whether it holds a decimal number or a `/` itself); one with neither and
    # names holding whole numbers only is whole arithmetic, the same in every runtime
    looked: dict[str, list] = {}
    for sid, scene in story.scenes.items():
        if not scene.ending:
            looked[sid] = [(c, tuple(sorted(names_used(c.condition_ast))), uses_decimals(c.condition_ast, {}),
                            whole_steps(c.condition_ast))
                           for c in scene.choices if c.condition_ast is not None]
    if decimals is None:
        decimals = ink_decimal_names(story, run)
    answered: set = set()   # (choice, the values it read): a state differing elsewhere asks nothing new
    for state in run.edges:
        conditions = looked.get(state.scene)
        if not conditions:
            continue
        env = {**run.player.values, **state.vars()}
        # a whole number ink holds as a decimal (`rate = 3 / 2 * 2` in an earlier scene)
        # is read as the float it is there
        env.update((n, float(env[n])) for n in decimals.get(state, ()) if type(env.get(n)) is int)
        for choice, names, decimal, steps in conditions:
            if choice.id in seen:
                continue
            values = tuple((type(env.get(n)), env.get(n)) for n in names)
            # whole numbers only: the same there unless a step passes C#'s 32-bit `int`
            if not decimal and not any(kind is float for kind, _ in values) \
                    and not may_wrap(steps, (v for _, v in values)):
                continue
            key = (choice.id, values, state.items if "has" in choice.condition else None)
            if key in answered:
                continue
            if len(answered) >= DECIMAL_CHECKS:
                # a warning's budget: the story's analysis costs at most a half more
                return findings + [Finding(INK_BOUND, "whether conditions hold", state.scene)]
            answered.add(key)
            node = choice.condition_ast
            try:
                ours = evaluate(node, env, items=state.items, skills=run.player.skills) is True
            except ExprError:
                continue   # said as the condition's own problem
            there = condition_in_csharp_ink(node, env, state.items, run.player.skills)
            if there is None or there == ours:
                continue
            seen.add(choice.id)
            whose = (INK_DECIMAL_WORDS if decimal or any(kind is float for kind, _ in values) else INK_WRAP_WORDS)
            findings.append(Finding(INK_DECIMALS, f"the condition {code_span(clip(choice.condition, 80))} of choice '{choice.id}' is "
                                    f"{str(ours).lower()} in scene '{state.scene}'{who}{_when(state)}, and "
                                    f"{str(there).lower()} in the C# ink runtime (Unity, Inky, inklecate), whose "
                                    f"{whose}: the ink story {'hides' if ours else 'offers'} the choice "
                                    f"where `foundry play` {'offers' if ours else 'hides'} it", state.scene, choice.id))
    return findings


def _past_ink(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > INK_INT_MAX


def _doomed(story: Story, run: Exploration) -> list[Finding]:
    """States from which no ending can be reached: dead ends, and loops with no way out."""
    good = _can_finish(story, run)
    doomed_to_stop = _reaching_dead_ends(run, good)
    who = f" (playing as {run.player.hero})" if run.player.hero else ""
    findings, dead_scenes, trapped = [], set(), {}
    for state, outs in run.edges.items():
        if state in good:
            continue
        if not outs and not story.scenes[state.scene].ending:
            if state.scene not in dead_scenes:
                dead_scenes.add(state.scene)
                findings.append(Finding("HF0506", f"dead end: no choice can be taken in scene '{state.scene}'{who}"
                                        f"{_when(state)}", state.scene))
        elif outs and state not in doomed_to_stop:
            trapped[state] = [nxt for _, nxt in outs]
    for group in _loops(story, trapped):
        path = " → ".join(group + [group[0]])
        findings.append(Finding("HF0507", f"from scene '{group[0]}' no ending can ever be reached{who}: "
                                f"the choices only lead around {path}", group[0]))
    return findings


def _loops(story: Story, trapped: dict[State, list[State]]) -> list[list[str]]:
    """The loops play goes around for ever, each once: the scenes of the trapped states
    that lie on a cycle of states (those that only lead into one, a lead-in, are not
    the loop: `a → l`, then `l ↔ l2`, was named "a → l → l2 → a", a way back to `a`
    no choice gives), grouped where they share a scene. Each loop is a walk of real
    choices from its first scene as written back to it."""
    on_cycle = cycle_components(trapped, lambda state: [nxt for nxt in trapped[state] if nxt in trapped])
    moves: dict[str, set[str]] = {}
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for state, nexts in trapped.items():
        for nxt in nexts:
            if state in on_cycle and on_cycle.get(nxt) == on_cycle[state]:
                moves.setdefault(state.scene, set()).add(nxt.scene)
                parent[find(nxt.scene)] = find(state.scene)
    order = {scene: i for i, scene in enumerate(story.scenes)}
    firsts: dict[str, str] = {}
    for scene in sorted(parent, key=order.__getitem__):
        firsts.setdefault(find(scene), scene)
    return [_walk_back(first, moves, order) for first in sorted(firsts.values(), key=order.__getitem__)]


def _walk_back(first: str, moves: dict[str, set[str]], order: dict[str, int]) -> list[str]:
    """The shortest walk of `moves` from `first` back to it (the scenes, `first` once),
    taking scenes in the order written where walks are as short."""
    came: dict[str, str] = {}
    queue = deque([first])
    while queue:
        scene = queue.popleft()
        for nxt in sorted(moves.get(scene, ()), key=order.__getitem__):
            if nxt == first:
                walk = [scene]
                while walk[-1] != first:
                    walk.append(came[walk[-1]])
                return walk[::-1]
            if nxt not in came:
                came[nxt] = scene
                queue.append(nxt)
    return [first]   # not reached: `first` lies on a cycle of `moves`


def _when(state: State) -> str:
    if not state.variables:
        return ""
    shown = ", ".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in state.variables[:4])
    return f" when {shown}"


def _can_finish(story: Story, run: Exploration) -> set[State]:
    """Every state with a path to an ending (unexplored frontier states count as able)."""
    back: dict[State, list[State]] = {}
    frontier = []
    for state, outs in run.edges.items():
        if story.scenes[state.scene].ending:
            frontier.append(state)
        for _, nxt in outs:
            back.setdefault(nxt, []).append(state)
            if nxt not in run.edges:
                frontier.append(nxt)
    return _walked_back(set(frontier), frontier, back)


def _walked_back(found: set[State], frontier: list[State], back: dict[State, list[State]]) -> set[State]:
    """`found` grown by every state that leads (by `back`, state → those leading to it)
    to one in `frontier`, each edge walked once."""
    while frontier:
        for prev in back.get(frontier.pop(), ()):
            if prev not in found:
                found.add(prev)
                frontier.append(prev)
    return found


def _reaching_dead_ends(run: Exploration, good: set[State]) -> set[State]:
    """The states from which play, never passing a state that can finish (`good`), can
    come to one with no choice to take (a dead end, HF0506): those are not trapped in a
    loop. One walk back from the dead ends, each edge once: a walk forward from every
    state was quadratic, 3,300 states in a counter's loop took 50 CPU-s, 14,800 100 s."""
    back: dict[State, list[State]] = {}
    found: set[State] = set()
    frontier: list[State] = []
    for state, outs in run.edges.items():
        if state in good:
            continue
        for _, nxt in outs:
            if nxt in good:
                continue
            back.setdefault(nxt, []).append(state)
            if not run.edges.get(nxt) and nxt not in found:
                found.add(nxt)
                frontier.append(nxt)
    return _walked_back(found, frontier, back)


def statistics(story: Story, run: Exploration) -> StoryStats:
    words = sum(s.words for s in story.scenes.values())
    choices = sum(len(s.choices) for s in story.scenes.values())
    paths, longest, loops = _paths(story, run)
    if not run.complete:
        # counted over the states explored, the paths and the longest one are a part
        # passed off as the whole (HF0510: such findings are not claimed): 16,000 two-way
        # scenes, stopped 200 choices in, published "0 paths" for 2^15999
        paths, longest = None, None
    over = paths is not None and paths > PATHS_LIMIT
    return StoryStats(len(story.scenes), choices, len(story.endings), words,
                      max(1, round(words / READING_WPM)) if words else 0, None if over else paths,
                      _shortest(story, run), longest, loops, run.states, run.complete, over)


def paths_text(stats: StoryStats) -> str | None:
    """The path count as people read it: a number, "more than 2^53", or None (loops)."""
    return PATHS_OVER if stats.paths_over else (None if stats.paths is None else f"{stats.paths:,}")


def _shortest(story: Story, run: Exploration) -> int | None:
    dist, queue = {run.start: 0}, deque([run.start])
    while queue:
        state = queue.popleft()
        if state.scene in story.scenes and story.scenes[state.scene].ending:
            return dist[state]
        for _, nxt in run.edges.get(state, ()):
            if nxt not in dist:
                dist[nxt] = dist[state] + 1
                queue.append(nxt)
    return None


def _paths(story: Story, run: Exploration) -> tuple[int | None, int | None, bool]:
    """Count paths and the longest one by dynamic programming over the state graph in
    reverse topological order; a cycle makes both unbounded."""
    order, loops = _topological(run)
    if loops:
        return None, None, True
    count: dict[State, int] = {}
    longest: dict[State, int | None] = {}
    for state in reversed(order):
        if story.scenes[state.scene].ending:
            count[state], longest[state] = 1, 0
            continue
        outs = [nxt for _, nxt in run.edges.get(state, ()) if nxt in count]
        # Capped just past the limit: the count stays a small integer however the story
        # doubles (64 two-way scenes would make 2^64).
        count[state] = min(sum(count[n] for n in outs), PATHS_LIMIT + 1)
        lengths = [longest[n] + 1 for n in outs if longest[n] is not None]
        longest[state] = max(lengths) if lengths else None
    return count.get(run.start, 0), longest.get(run.start), False


def _topological(run: Exploration) -> tuple[list[State], bool]:
    indegree = {s: 0 for s in run.edges}
    for outs in run.edges.values():
        for _, nxt in outs:
            if nxt in indegree:
                indegree[nxt] += 1
    ready = deque(s for s, d in indegree.items() if d == 0)
    order = []
    while ready:
        state = ready.popleft()
        order.append(state)
        for _, nxt in run.edges.get(state, ()):
            if nxt in indegree:
                indegree[nxt] -= 1
                if indegree[nxt] == 0:
                    ready.append(nxt)
    return order, len(order) != len(indegree)


def _hint(finding: Finding, scene, story: Story, players: tuple[Player, ...] = ()) -> str:
    """The fix for a finding of the analysis, by its code (not cached with the finding:
    the analysis cache keeps code, message, scene and choice). `players`: who played
    the story (resolve/world.py players_for), whose values a condition reads."""
    if finding.code in ("HF0504", "HF0509"):
        if "conditions on the way" in finding.message:
            return ("Every way here passes a choice whose `if=` is false for each hero who may play"
                    + (f", and {_NOBODY}. Check" if any(p.hero is None for p in players) else ": check")
                    + " those conditions and where their variables are set.")
        return f"Add a choice that leads here, `- [Text](#{scene.id})`, to a scene the story reaches, or remove this scene."
    if finding.code in EVALUATION_CODES:
        return evaluation_hint(finding.code)
    if finding.code == "HF0505":
        if scene.ending:
            return "Remove `.ending` from the scene's heading to go on from here, or remove the choice."
        variables = "Check the variables the condition reads: where they start (`variables:`) and which choices set them."
        choice = next((c for c in scene.choices if c.id == finding.choice), None)
        read = names_used(choice.condition_ast) if choice is not None and choice.condition_ast is not None else set()
        # `agility >= 12` reads the hero, not a story variable: "check the variables" sent
        # the writer to `variables:`, where agility is not; who played, and with what, is
        # the fact to see (an average hero when none is named: `protagonist: null`)
        heroes = sorted(n for n in read - set(story.front.variables) if any(n in p.values for p in players))
        if not heroes:
            return variables
        said = ", ".join(f"`{n}`" for n in heroes) + (" is" if len(heroes) == 1 else " are") + " the hero's"
        if any(p.hero is None for p in players):
            said += (f", and {_NOBODY}: " + ", ".join(f"{n} {players[0].values[n]}" for n in heroes)
                     + ". Name the hero who plays it: `protagonist:` and the hero's id")
        else:
            said += ": " + "; ".join(f"{p.hero} has " + ", ".join(f"{n} {p.values[n]}" for n in heroes if n in p.values)
                                     for p in players[:3]) + (f"; and {len(players) - 3} more" if len(players) > 3 else "")
        return said + "." + (" Check the story variables it reads too: where they start (`variables:`) and which "
                             "choices set them." if read - set(heroes) else "")
    return ""


# Who plays a story that names no hero (resolve/world.py _players)
_NOBODY = "no hero is named (`protagonist:`, `heroes:`): an average level-1 hero plays, every attribute at its default"


def evaluation_hint(code: str) -> str:
    """The fix for a condition or effect that could not be computed (EVALUATION_CODES),
    found by the analysis or by a playthrough (`foundry play --hero`)."""
    if code == "HF0605":
        return "Guard the division: `x != 0 and y / x > 1` never divides when x is 0."
    if code == "HF0606":
        return "Values stay within ±2^53: keep the numbers a story multiplies or adds small, or cap them with min()."
    return ""


def report(story_entry, findings: list[Finding], runs: list[RunSummary], diags: Diagnostics,
           stats: StoryStats | None = None, players: tuple[Player, ...] = ()) -> None:
    story = story_entry.model
    for f in findings:
        scene = story.scenes[f.scene]
        span = scene.span
        if f.choice:
            # one choice of this id: a second sharing it is read under the id HF0511's
            # hint gives it (stories/story.py `_check_scene`)
            choice = next(c for c in scene.choices if c.id == f.choice)
            effect = f.code in EVALUATION_CODES and f.message.startswith("the effect")
            span = (choice.effects_span if effect else choice.condition_span) or choice.span
        diags.add(f.code, f.message, span, hint=_hint(f, scene, story, players))
    if stats is not None and stats.paths_over:
        diags.add("HF0141", f"the story has {PATHS_OVER} paths to an ending; they are published as "
                  f"\"{PATHS_OVER}\", not as a number", story_entry.span("start"))
    bound = state_limit(story, len(runs), MAX_STATES)   # read here, as analyse reads it (a test lowers it)
    for run in runs:
        if not run.complete:
            who = f" for {run.hero}" if run.hero else ""
            hint = None
            if bound < MAX_STATES:   # said, or the writer looks for a counter that grows without limit
                hint = (f"The bound is {MAX_STATES:,} states per hero, fewer when many variables or heroes "
                        f"share it: {MAX_VALUES:,} values in all ({len(story.front.variables):,} variables, "
                        f"{len(runs)} {'hero' if len(runs) == 1 else 'heroes'}: {bound:,} states each).")
            elif run.states < bound:
                hint = (f"The bound is {MAX_STATES:,} states per hero, fewer when the conditions and effects "
                        f"take more than {MAX_STEPS:,} steps of evaluation to explore them (over "
                        f"{len(runs)} {'hero' if len(runs) == 1 else 'heroes'}): long conditions on many choices "
                        "of a scene reached in many states.")
            elif run.grows:
                hint = _growing_hint(run, story)
            diags.add("HF0510", f"analysis{who} stopped after exploring {run.states:,} states; "
                      "findings that need every state were not claimed", story_entry.span("start"), hint=hint)


def _bounded(choice, name: str, start: int) -> str:
    """`choice` written with a bound on the number `name` (starting at `start`) and where:
    "`{if="steps < 10" do="steps += 1"}` on choice 'road--road' (line 9)". A count going
    down is bounded from below (`steps > -10` for `steps -= 1`), ten steps from where it
    starts (`steps < 10` on a count starting at 50 closed the choice for good: followed,
    HF0505), the choice's own condition kept whole (`a or b and steps < 10` would bound
    only `b`)."""
    bound = f"{name} > {start - 10}" if any(_falls(e, name) for e in choice.effects_ast) else f"{name} < {start + 10}"
    condition = f"({choice.condition}) and {bound}" if choice.condition else bound
    return f"`{{if=\"{condition}\" do=\"{choice.effects}\"}}` on choice '{choice.id}' (line {choice.span.line})"


def _falls(effect, name: str) -> bool:
    """Whether `effect` (of a choice) takes the number `name` down: `name -= 1`,
    `name += -1`, `name = name - 1` (each bounded from below; `steps = steps - 1`
    was given `steps < 10`, true for ever as it falls)."""
    def negative(node) -> bool:
        return (isinstance(node, Number) and node.value < 0) or \
            (isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number) and node.operand.value > 0)
    if not isinstance(effect, Assign) or effect.target != name:
        return False
    op, amount = effect.op, effect.value
    if op == "=" and isinstance(amount, Binary) and amount.op in ("+", "-") \
            and isinstance(amount.left, Name) and amount.left.name == name:
        op, amount = amount.op + "=", amount.right
    return (op == "-=") != negative(amount) if op in ("+=", "-=") else False


def _growing_hint(run: RunSummary, story: Story) -> str:
    """HF0510's hint for a run stopped at its bound while variables kept taking new
    values: how many each took, and a bound to write on each choice stepping the first
    of them (`{if="steps < 10" do="steps += 1"}`, three at most), by its line."""
    name, count = run.grows[0]
    took = f"'{name}' took {count:,} values" + "".join(
        f"{' and' if i == len(run.grows) - 1 else ','} '{n}' {c:,}" for i, (n, c) in enumerate(run.grows[1:], 1))
    changing = [c for scene in story.scenes.values() for c in scene.choices
                if c.effects and name in names_written(c.effects_ast)]
    # each choice that steps it from its value (`steps += 1`, `steps = steps * 2`): one
    # setting it afresh (`steps = 0` on the way in) was named, and bounding it bounded
    # nothing (followed, HF0510 again); and the first alone, where two loops raise it
    stepping = [c for c in changing if any(isinstance(e, Assign) and e.target == name and
                                           (e.op != "=" or name in names_used(e.value)) for e in c.effects_ast)]
    where = ""
    number = not isinstance(story.front.variables.get(name), (str, bool))
    if (stepping or changing) and number:
        start = story.front.variables.get(name, 0)
        written = [_bounded(choice, name, start) for choice in (stepping or changing[:1])[:3]]
        more = len(stepping) - 3
        where = (": " + "; ".join(written) + (f"; and on {more} more {'choice' if more == 1 else 'choices'} "
                                               "changing it" if more > 0 else "") + ", or a flag in place of a count")
    return (f"In the {run.states:,} states explored, {took}: a number that keeps changing makes states without "
            f"end. Bound it where a choice changes it{where}.")
