"""Quests: giver, requirement, prerequisite chain, objectives tied to story variables."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

from .. import expr
from ..cycles import leading_to
from ..diagnostics import Diagnostics, clip, code_span, did_you_mean, suggestion
from ..ids import FreeSlugs, unread
from ..validate.entities import Entry
from ..rules import Formula, RuleBook, find_cycles, parse_formula, report_expr_error
from ..rules.book import MAX_CYCLES, cycle_text, cycles_hint
from ..rules.reach import Tries, never_met, out_of_tries, said_out_of_tries, unmet_hint
from .analysis import Held, Together
from .models import Quest
from .story import TEXT_USED, Story, quoted_value_hint

if TYPE_CHECKING:
    from ..heroes.sheet import HeroSheet


@dataclass(frozen=True)
class QuestLinks:
    """What resolving a quest found out: parsed expressions and backlinks."""

    requires: Formula | None
    done_when: dict[str, object]       # objective id → parsed condition (AST) or None
    stories: tuple[str, ...]           # stories that list this quest
    unlocks: tuple[str, ...]           # quests that list this one as a prerequisite


def resolve_quests(quests: dict[str, Entry[Quest]], stories: dict[str, Entry[Story]], people: set[str],
                   rules: RuleBook, diags: Diagnostics, broken: frozenset[str] = frozenset(),
                   never: dict[str, set[str]] | None = None,
                   held: dict[str, Held | None] | None = None,
                   played: dict[str, tuple["HeroSheet", ...] | None] | None = None,
                   rows: dict[str, Together | None] | None = None) -> dict[str, QuestLinks]:
    """`broken` holds `kind:id` of files that exist but failed to load: references to
    them are not reported again (the file's own errors say what is wrong). `never`
    holds, by story id, the scenes that can never be reached and the choices that can
    never be taken (from the story analysis): what they set cannot complete an objective.
    `played`, by story id, the heroes who play it (resolve/world.py players_for), or None
    when it names none (any hero may) or who they are is not sure: a quest whose
    stories are all played by heroes none of whom meets its `requires` is HF0546.
    `held`, by story id, what each story variable holds where play goes (the analysis'
    StoryReport.held; None where not known), and `rows` what they hold together
    (StoryReport.rows): an objective none of them makes true can never be done."""
    links = {}
    # Which stories list a quest, and what their choices set, is known only when every
    # story file loaded whole: a story that did not load, or whose front matter failed
    # (its `quests:` or `variables:` left out, reported at its line), may be the one
    # that sets what an objective waits for, and "which no story can set" (HF0514)
    # would be said falsely beside its one real error.
    # The same when a story's heading or choice was not read as typed (Story.slipped).
    # And when a story lists a quest that does not exist (`quests: [first-qest]`, HF0303
    # at its line): it may be the one meant to list this quest; or a choice's effect did
    # not check (`set crossed` of a variable declared `crosed:`): it may be the setter.
    # And when a story's front matter gives a key twice (`quests: [a]` then `quests: [b]`,
    # HF0102): YAML keeps the last, and the quest of the first was "listed by no story".
    sure = not any(key.startswith("story:") for key in broken) and \
        not any(s.model.salvaged or s.model.slipped or s.model.broken_expressions() for s in stories.values()) and \
        all(q in quests for s in stories.values() for q in s.model.front.quests) and \
        not any(d.code == "HF0102" and d.span.path.startswith("content/stories/") for d in diags.items)
    # which stories list each quest and which quests name it as a prerequisite, found in
    # one pass each (asked per quest, it was every story and every quest for each one:
    # 500 x 1,000 and 1,000 x 1,000 tests, ~0.1 CPU-s of every build at 10,000 heroes)
    listed_by = _backlinks((sid, s.model.front.quests) for sid, s in stories.items())
    unlocked_by = _backlinks((qid, e.model.prerequisites) for qid, e in quests.items())
    tries = Tries()   # what the requirements no hero can meet may cost together (rules/reach.py)
    unjudged: list = []   # the quests whose requirement it left unjudged (HF0414)
    listed_xp: dict[tuple[str, ...], tuple[set[str], int]] = {}   # _xp_first's, by the stories listing a quest
    objective_tries = Tries()   # and the objectives no state of play makes true (_never_holds)
    unjudged_objectives: list = []
    for qid, entry in quests.items():
        quest = entry.model
        if quest.giver and quest.giver not in people and not unread(broken, ("hero", "character"), quest.giver):
            diags.add("HF0302", f"quest giver '{quest.giver}' is not a hero or character", entry.span("giver"),
                      hint=suggestion(quest.giver, people))
        for i, pre in enumerate(quest.prerequisites):
            if pre not in quests and not unread(broken, ("quest",), pre):
                # never the quest itself nor one needing it: followed, a cycle
                back = leading_to(qid, {q: e.model.prerequisites for q, e in quests.items()})
                diags.add("HF0303", f"unknown quest '{pre}'", entry.span("prerequisites", i),
                          hint=suggestion(pre, [q for q in quests if q not in back], "Quests live in content/quests/."))
        requires = why = None
        if quest.requires and quest.requires.strip().strip("'\"") in quests:
            # `requires: "first-quest"`: a quest done first, where a condition on the hero
            # goes; it was "unknown name 'first'" and "unknown name 'quest'"
            named = quest.requires.strip().strip("'\"")
            diags.add("HF0602", f"requirement: '{named}' is a quest, not a value a condition reads",
                      entry.span("requires"),
                      hint=f"A quest that must be done first goes in `prerequisites: [{named}]`; `requires:` is a "
                           "condition on the hero (`level >= 2`).")
        elif quest.requires:
            requires = parse_formula(quest.requires, entry.span("requires"), rules.hero_scope(), diags,
                                     expr.Type.BOOL, "requirement")
            why, cut = out_of_tries(tries, lambda: never_met(requires.ast, rules, 1, tries)) \
                if requires is not None and requires.ast is not None else (None, False)
            if cut:
                unjudged.append((qid, entry.span("requires")))
            if why:
                diags.add("HF0413", f"quest requires {code_span(clip(quest.requires, 80))}, which no hero can meet ({clip(why, 300)})",
                          entry.span("requires"),
                          hint=unmet_hint(requires.ast, "take this quest"))
        linked = listed_by.get(qid, ())
        if requires is not None and requires.ast is not None and not why and sure:
            _unmet_by_players(qid, quest.requires, requires.ast, entry, linked, played or {}, rules, diags,
                              lambda qid=qid, linked=linked: _xp_first(qid, linked, quests, stories, unlocked_by,
                                                                       listed_xp))
        _same_objective_ids(entry, diags)
        done = {}
        for i, o in enumerate(quest.objectives):
            refused = objective_tries.refused
            done[o.id] = _objective(entry, i, [stories[s] for s in linked], diags, never or {}, sure, held or {},
                                    objective_tries, stories, rows or {}, rules, played)
            if objective_tries.refused > refused:
                unjudged_objectives.append((f"{qid}.{o.id}", entry.span("objectives", i, "done_when")))
        unlocks = unlocked_by.get(qid, ())
        links[qid] = QuestLinks(requires, done, linked, unlocks)
    said_out_of_tries(unjudged, "quest requirements were not judged for whether some hero can meet them", diags)
    said_out_of_tries(unjudged_objectives, "quest objectives were not judged for whether play can ever do them", diags,
                      "an objective play never does")
    if not _cycles(quests, diags):
        _chain_work(quests, diags)
    return links


def _unmet_by_players(qid: str, text: str, ast, entry: Entry[Quest], linked: tuple[str, ...],
                      played: dict[str, tuple[HeroSheet, ...] | None], rules: RuleBook, diags: Diagnostics,
                      xp_first: Callable[[], int | None] = lambda: 0) -> None:
    """HF0546 when every story listing the quest names the heroes who play it and none of
    them meets its `requires`, as a choice's condition none of them meets is HF0505: the
    quest could not be taken in any story that advances it (`level >= 3` of a quest
    whose one story Rook, level 2, plays passed check). Not judged of a story naming no
    hero (any hero may play it), while levels are not known, nor of a requirement
    reading an item (held items change in play); ExprError: not judged. A hero is
    judged at the level her XP gives with `xp_first()` more, the rewards of the quests
    she may finish before this one (None: not known, not judged): a quest needing
    `level >= 3` after one rewarding 200 XP was said of Rook, level 2, who has
    level 3 by the time she may take it."""
    if not linked or any(played.get(sid) is None for sid in linked):
        return
    read = expr.names_used(ast)
    if any(isinstance(node, expr.Call) and node.func == "has" for node in expr.walk(ast)) \
            or (rules.levels_unknown() and "level" in read | {n for d in read & rules.derived.keys()
                                                             for n in _formula_names(rules, d)}):
        return
    heroes: dict[str, HeroSheet] = {}
    for sid in linked:
        for one in played[sid] or ():
            heroes.setdefault(one.id, one)

    def values(one: HeroSheet, more: int) -> dict:
        return one.env(max(one.level, rules.level_for_xp(one.xp + more)))

    try:
        if any(expr.evaluate(ast, one.env(), skills=frozenset(one.skills), items=frozenset(one.items)) is True
               for one in heroes.values()):
            return
        # no XP helps a hero who does not meet it at max_level: not walked (10,000 quests)
        top = any(expr.evaluate(ast, one.env(rules.max_level), skills=frozenset(one.skills),
                                items=frozenset(one.items)) is True for one in heroes.values())
        more = xp_first() if top else 0
        if more is None or more and any(expr.evaluate(ast, values(one, more), skills=frozenset(one.skills),
                                                      items=frozenset(one.items)) is True for one in heroes.values()):
            return
    except expr.ExprError:
        return
    shown = sorted(read & (rules.attributes.keys() | rules.derived.keys() | {"level"}))
    who = "; ".join(f"{hid} has " + ", ".join(f"{n} {env[n]}" for n in shown if n in env)
                    if shown else hid for hid, env in ((hid, values(one, more)) for hid, one in list(heroes.items())[:3]))
    more_heroes = f"; and {len(heroes) - 3} more" if len(heroes) > 3 else ""
    counted = f" (counting the {more} XP of the quests that may be done before it)" if more else ""
    stories = ", ".join(f"'{sid}'" for sid in linked[:3]) + (" …" if len(linked) > 3 else "")
    diags.add("HF0546", f"quest requires {code_span(clip(text, 80))}, which no hero playing its "
              f"{'story' if len(linked) == 1 else 'stories'} ({stories}) meets: {who}{more_heroes}{counted}",
              entry.span("requires"),
              hint=f"No one can take quest '{qid}' where it is played: loosen `requires`, give a hero who plays it "
                   "what it asks (the hero's attributes or XP), or name a hero who meets it (`protagonist:` or `heroes:`) in "
                   "a story listing the quest.")


# The quests `_xp_first` walks each way for one quest: past it, the XP is not known
# (None) and HF0546 not said (a chain of 3,000 quests needing a level none of their
# heroes has took check 4.8 CPU-s, walked whole for each).
MAX_FIRST = 200


def _xp_first(qid: str, linked: tuple[str, ...], quests: dict[str, Entry[Quest]], stories: dict[str, Entry[Story]],
              unlocked_by: dict[str, tuple[str, ...]],
              listed_xp: dict[tuple[str, ...], tuple[set[str], int]]) -> int | None:
    """The XP the quests a hero may finish before taking `qid` reward: its prerequisites
    (theirs, …), which she must have done, and the other quests its stories (`linked`)
    list, but those needing it (through their prerequisites). None past MAX_FIRST quests
    either way. `listed_xp`: the quests `linked` list and their XP, kept by `linked`."""
    after = _walk(qid, lambda q: unlocked_by.get(q, ()))
    before = _walk(qid, lambda q: quests[q].model.prerequisites if q in quests else ())
    if after is None or before is None:
        return None
    if linked not in listed_xp:
        listed = {q for sid in linked for q in stories[sid].model.front.quests if q in quests}
        listed_xp[linked] = listed, sum(quests[q].model.rewards.xp for q in listed)
    listed, xp = listed_xp[linked]
    # the listed ones, but those after it and itself; and its prerequisites not listed
    left_out = (after | {qid}) & listed
    added = {q for q in before - listed - after if q in quests and q != qid}
    return xp - sum(quests[q].model.rewards.xp for q in left_out) + sum(quests[q].model.rewards.xp for q in added)


def _walk(start: str, step: Callable[[str], Iterable[str]]) -> set[str] | None:
    """The ids reached from `start` by `step`, `start` not among them unless on a cycle;
    None past MAX_FIRST."""
    seen: set[str] = set()
    queue = list(step(start))
    while queue:
        one = queue.pop()
        if one in seen:
            continue
        seen.add(one)
        if len(seen) > MAX_FIRST:
            return None
        queue.extend(step(one))
    return seen


def _formula_names(rules: RuleBook, stat: str) -> set[str]:
    """The names a derived stat's formula reads (none when it did not parse)."""
    ast = rules.derived[stat].formula.ast
    return expr.names_used(ast) if ast is not None else set()


def _same_objective_ids(entry: Entry[Quest], diags: Diagnostics) -> None:
    """HF0541 at each objective whose id an earlier objective of the quest has. The id
    keys an objective everywhere it is published: the JSON API's `done_when` tree (one
    objective was given the other's condition, beside its own `source`), its line id
    (`quest.<id>.objective.<id>`), an engine's progress; check said nothing."""
    first: dict[str, int] = {}
    # every id of the quest and each one a hint named before: `cross` three times beside
    # `cross-2` was told `cross-2` twice, an id the quest has
    taken = FreeSlugs({objective.id for objective in entry.model.objectives})
    for i, objective in enumerate(entry.model.objectives):
        at = first.setdefault(objective.id, i)
        if at != i:
            free = taken.take(objective.id)
            diags.add("HF0541", f"objective id '{objective.id}' is used twice in this quest "
                                f"(first at line {entry.span('objectives', at, 'id').line})",
                      entry.span("objectives", i, "id"),
                      hint=f"Give this objective an id of its own, `id: {free}` say: "
                           "its condition, progress and translation are keyed by it.")


def _backlinks(named) -> dict[str, tuple[str, ...]]:
    """For (owner, the ids it names) pairs in order: each named id → the owners that
    name it, in that order, each once."""
    found: dict[str, list[str]] = {}
    for owner, ids in named:
        for target in dict.fromkeys(ids):
            found.setdefault(target, []).append(owner)
    return {target: tuple(owners) for target, owners in found.items()}


# How HF0514's hint for a quest no story lists begins (resolve/strays.py finds it by this)
UNLISTED = "No story lists this quest yet"


def unlisted_hint(quest_id: str, name: str) -> str:
    """What to do when no story lists the quest `quest_id`, whose objective waits for
    the variable `name` (HF0514's hint; `foundry new quest` says it of the new quest)."""
    # (each as it joins what the story has: a second `quests:` line or `do=` was the next
    # error when the story listed a quest or the choice changed something already)
    return (f"{UNLISTED}: add `quests: [{quest_id}]` to a story's front matter (or `{quest_id}` to the list its "
            f"`quests:` has), `{name}: false` under its `variables:`, and `do=\"set {name}\"` to the choice that "
            f"does it (or `; set {name}` at the end of the `do=` it has).")


def _objective(entry: Entry[Quest], index: int, stories: list[Entry[Story]], diags: Diagnostics,
               never: dict[str, set[str]], sure: bool = True, held: dict[str, Held | None] | None = None,
               tries: Tries | None = None, every_story: dict[str, Entry[Story]] | None = None,
               rows: dict[str, Together | None] | None = None, rules: RuleBook | None = None,
               played: dict[str, tuple[HeroSheet, ...] | None] | None = None):
    """The parsed `done_when` of the quest's objective `index` (None when it does not
    parse or check), said of when no state of play in `stories` (those listing the
    quest) can make it true, or it asks what no hero `rules` allow can have. `every_story`: the world's, to name the one that sets a
    variable the objective waits for without listing the quest."""
    objective = entry.model.objectives[index]
    span = entry.span("objectives", index, "done_when")
    try:
        ast = expr.parse_expression(objective.done_when)
    except expr.ExprError as err:
        report_expr_error(err, span, diags, "objective")
        return None
    if not _typed(ast, span, stories, diags):
        return None
    if not sure:   # which stories set what is not known (resolve_quests): nothing to claim
        return ast
    settable = _settable(stories, never)
    said = len(diags.items)
    # each name said at its first use in the condition (wherever the value's lines put it)
    first_use: dict[str, expr.Name] = {}
    for node in expr.walk(ast):
        if isinstance(node, expr.Name) and node.length:
            first_use.setdefault(node.name, node)
    for name in sorted(expr.names_used(ast)):
        if _heros_value(name, stories):
            continue   # the playing hero's (`agility`, `level`): no story sets it, and none need
        used = first_use.get(name)
        at = span.shifted(used.offset, used.length) if used is not None else span
        stranded = _setters(stories, name, never) if name not in settable else []
        if stranded:  # written right, but only where play never goes: no did-you-mean
            where = ", ".join(f"{what} '{place}' of story '{sid}'" for sid, what, place in stranded[:3])
            diags.add("HF0514", f"objective '{objective.id}' waits for '{name}', which only {where} "
                      f"sets, and {'it can never' if len(stranded) == 1 else 'none of them can ever'} be "
                      f"{'reached' if all(w == 'scene' for _, w, _ in stranded) else 'taken'}",
                      at, hint="Make that scene reachable (a choice leading to it whose condition can hold), "
                                 "or set the variable somewhere play does reach.")
        elif name not in settable and (elsewhere := _set_elsewhere(name, stories, every_story or {}, never)):
            # set in a story that does not list the quest ("no story can set" it was, with
            # the names the listing stories know: following it waited for another variable)
            listed = ", ".join(f"'{sid}'" for sid in elsewhere[:3]) + (" …" if len(elsewhere) > 3 else "")
            diags.add("HF0514", f"objective '{objective.id}' waits for '{name}', which only "
                      f"{'story' if len(elsewhere) == 1 else 'stories'} {listed} "
                      f"{'sets' if len(elsewhere) == 1 else 'set'}, and {'it does' if len(elsewhere) == 1 else 'they do'} "
                      f"not list this quest", at,
                      hint=(f"{UNLISTED}: add `quests: [{entry.id}]` to the front matter of story '{elsewhere[0]}'."
                            if not stories else
                            f"Add '{entry.id}' to the `quests:` of story '{elsewhere[0]}' (`quests: [{entry.id}]` "
                            "in its front matter), or wait for a variable a story listing this quest sets."))
        elif name not in settable:
            known = {n for s in stories for n in s.model.front.variables}
            where = ("the stories that list this quest: " + ", ".join(s.id for s in stories)) if stories else \
                "no story lists this quest in its `quests:`"
            declared = [s.id for s in stories if name in s.model.front.variables]
            # `done_when: bank`, the scene where the quest is done: a scene is no value
            # ("Checked the stories that list this quest" sent the writer to look there)
            scene = next((st for st in stories if name in st.model.scenes and name not in known), None)
            hint = (f"'{name}' is declared in `variables:` of {', '.join(declared[:3])}, but no choice there "
                    f"changes it: add `do=\"{_setter(name, stories)}\"` to the choice that should."
                    if declared else _scene_hint(name, scene, known) if scene is not None
                    else suggestion(name, known, f"Checked {where}.") if stories and did_you_mean(name, known)
                    else _undeclared_hint(name, stories) if stories
                    else unlisted_hint(entry.id, name))
            diags.add("HF0514", f"objective '{objective.id}' waits for '{name}', which no story can set",
                      at, hint=hint)
    part = hero = None
    if len(diags.items) == said and (why := _never_holds(ast, stories, held or {}, tries or Tries(), rows or {})
                                     or ((part := _story_part(ast, stories)) is not None
                                         and _never_holds(part, stories, held or {}, tries or Tries(), rows or {}))):
        why, apart = why
        if part is not None:   # `strength >= 3 and paid`: the part no hero's value can help
            why = f"{code_span(clip(expr.to_source(part), 80))} never is: {why}"
            if part.length:
                span = span.shifted(part.offset, part.length)
        diags.add("HF0514", f"objective '{objective.id}' can never be done: {code_span(clip(objective.done_when, 80))} is never true "
                  f"where play goes ({clip(why, 300)})", span,
                  hint="Play gives each of them the value asked somewhere, never all at once: set them on one "
                       "path (the choice that sets one after the one that sets the other), or ask for one of them "
                       "(`or`)." if apart else
                       "Those are all the values play ever gives them: make a choice that play reaches give "
                       "the value the condition asks for (`set` makes a flag true, `unset` false), or ask for "
                       "a value play gives.")
    elif len(diags.items) == said and rules is not None and (hero := _hero_part(ast, stories)) is not None \
            and (why := out_of_tries(tries or Tries(), lambda: never_met(hero, rules, 1, tries))[0]):
        # `strength >= 30 and crossed`: no hero the rules allow has it, whatever play does
        if hero is not ast and hero.length:
            span = span.shifted(hero.offset, hero.length)
        diags.add("HF0514", f"objective '{objective.id}' can never be done: {code_span(clip(objective.done_when, 80))} "
                  f"asks what no hero can have ({clip(why, 300)})", span,
                  hint=unmet_hint(hero, "do this objective"))
    elif len(diags.items) == said and hero is not None and (who := _met_by_no_player(hero, stories, played or {},
                                                                                     rules, tries or Tries())):
        # `crossed and agility >= 15`, where every hero playing its stories has less
        if hero is not ast and hero.length:
            span = span.shifted(hero.offset, hero.length)
        listed = ", ".join(f"'{s.id}'" for s in stories[:3]) + (" …" if len(stories) > 3 else "")
        diags.add("HF0514", f"objective '{objective.id}' can never be done: {code_span(clip(objective.done_when, 80))} "
                  f"asks what no hero playing its {'story' if len(stories) == 1 else 'stories'} ({listed}) has, "
                  f"at any level: {who}", span,
                  hint="Ask for what a hero who plays it has, give her what it asks (her attributes), or name a "
                       "hero who has it (`protagonist:` or `heroes:`) in a story listing the quest.")
    return ast


# Value combinations tried per story for an objective (held values of the names it reads).
MAX_TRIED = 4096


def _never_holds(ast, stories: list[Entry[Story]], held: dict[str, Held | None], tries: Tries,
                 rows: dict[str, Together | None] | None = None) -> tuple[str, bool] | None:
    """Why `ast` (an objective's done_when) is never true in any state play reaches in
    any of `stories` ("in story 'x' 'crossed' is only ever false"), from the values each
    variable it reads holds there (`held`), or failing that from what they hold together
    (`rows`: "'crossed' and 'paid' are only ever false, false; true, false …", and True
    for that: each alone can be as asked); None when it may be true, or when that is
    not known: a story whose values are not known, a name that is a hero's value, an
    item or skill asked for, more than MAX_TRIED combinations, or more than `tries` (all
    the objectives' together, rules/reach.py) has left: 50 objectives of 600 characters
    reading twelve flags took check 4 CPU-s, and nothing bounded a thousand. Each
    combination of the held values is tried (the states reached are among them), so
    "never" is sure."""
    if not stories or any(isinstance(node, expr.Call) for node in expr.walk(ast)):
        return None
    names = sorted(expr.names_used(ast))
    said, apart = [], False
    for story in stories:
        table = dict(held.get(story.id) or ())
        if held.get(story.id) is None:
            return None
        declared = [n for n in names if n in story.model.front.variables]
        if len(declared) < len(names):
            if any(n in story.model.scope.names for n in names if n not in declared):
                return None   # a hero's value: what it is depends on who plays
            continue   # a name this story has not: the objective is not done here
        if any(table.get(n) is None for n in names):
            return None
        combos = math.prod(len(table[n]) for n in names)
        if combos > MAX_TRIED or not tries.spend(combos, sum(1 for _ in expr.walk(ast))):
            return None
        if _never_true(ast, names, itertools.product(*(table[n] for n in names))):
            said.append(f"in story '{story.id}', " + ", ".join(
                f"'{n}' is only ever {_values_text(table[n])}" for n in names))
            continue
        # each alone may be as asked: what they hold together may still never be
        together = _projected((rows or {}).get(story.id), names)
        if together is None or len(names) < 2 or not tries.spend(len(together), sum(1 for _ in expr.walk(ast))) \
                or not _never_true(ast, names, together):
            return None
        apart = True
        said.append(f"in story '{story.id}', ({', '.join(names)}) is only ever {_rows_text(together)}")
    return ("; ".join(said[:3]), apart) if said else None


def _story_part(ast, stories: list[Entry[Story]]):
    """What `ast` asks of the story variables alone, whoever plays and whatever she
    holds: each part reading a hero's value or asking for an item or skill is taken as
    holding where that helps the whole (true, or false under a `not`), then dropped
    (`true and x` is `x`, `true or x` true); None when that is all of `ast`
    (_never_holds judges it whole) or nothing is left. The whole is true only where the
    result is: `strength >= 3 and paid` and `(agility > 30 and crossed) or paid`, with
    `paid` and `crossed` set nowhere play goes, passed check (a hero's value left them
    unjudged)."""
    def relaxed(node, helps: bool) -> tuple:
        # (the node as relaxed or the constant, a bool, it became; whether it reads
        # story variables only), each node visited once
        if isinstance(node, expr.Name):
            free = not _heros_value(node.name, stories)
            return (node if free else helps), free
        if isinstance(node, expr.Call):
            return helps, False
        if isinstance(node, expr.Unary) and node.op == "not":
            inner, free = relaxed(node.operand, not helps)
            return (node if free else (not inner) if isinstance(inner, bool) else
                    expr.Unary("not", inner, offset=node.offset, length=node.length)), free
        if isinstance(node, expr.Binary) and node.op in ("and", "or"):
            (left, left_free), (right, right_free) = relaxed(node.left, helps), relaxed(node.right, helps)
            if left_free and right_free:
                return node, True
            absorbing = node.op == "or"   # `true or x` is true, `false and x` false
            for one, other in ((left, right), (right, left)):
                if isinstance(one, bool):
                    return (absorbing if one is absorbing else other), False
            # where what is left was written: from its first part's start to its last's end
            return expr.Binary(node.op, left, right, offset=left.offset,
                               length=right.offset + right.length - left.offset), False
        # any other yes/no part (`agility > 30`, `coins + level > 5`) reading a hero's
        # value: the objective type-checks as a condition, so each operand of and/or/not
        # is one
        free = all([relaxed(child, helps)[1] for child in expr.nodes.children(node)])
        return (node if free else helps), free

    part, _ = relaxed(ast, True)
    return None if part is ast or isinstance(part, bool) else part


def _hero_part(ast, stories: list[Entry[Story]]):
    """The conjuncts of `ast`'s top-level `and`s that read the playing hero's values
    only (and the skills and items she holds), joined by `and` again (all of `ast` when
    it reads nothing else), None when none do: what the rule book alone says no hero can
    have (`strength >= 30 and crossed`, strength 1–20, passed check)."""
    return _conjuncts(ast, lambda p: all(_heros_value(n, stories) for n in expr.names_used(p)))


def _met_by_no_player(ast, stories: list[Entry[Story]], played: dict[str, tuple[HeroSheet, ...] | None],
                      rules: RuleBook | None, tries: Tries | None = None) -> str | None:
    """"first-hero has agility 13" when `ast` (an objective's part reading the hero's
    values only) is false for every hero who plays the `stories` listing the quest, at
    her level and every level above it (quests done on the way raise it); None when one
    may meet it, when a story names no hero (any hero may play it: `played` None), when
    levels are not known, when it asks for a skill or an item (play gives items), or
    when `tries` (the objectives' budget) has not enough left. Each distinct row of the
    values it reads is tried once, spent from `tries`: each objective was tried on each
    hero at each level, unbounded (300 heroes playing a story of 2,000 quests: check
    6.8 CPU-s, 1.6 before)."""
    if rules is None or not stories or any(played.get(s.id) is None for s in stories) \
            or any(isinstance(n, expr.Call) for n in expr.walk(ast)) or rules.levels_unknown():
        return None
    heroes: dict[str, HeroSheet] = {}
    for s in stories:
        for one in played[s.id] or ():
            heroes.setdefault(one.id, one)
    if not heroes:
        return None
    tries = tries if tries is not None else Tries()
    read = tuple(sorted(expr.names_used(ast)))
    # the rows of those values the players have, made once for the stories and the names
    # (10,000 objectives reading agility and level ask the same)
    key = ("played", tuple(s.id for s in stories), read)
    if key not in tries.known:
        envs = (one.env(level) for one in heroes.values()
                for level in range(max(1, min(one.level, rules.max_level)), rules.max_level + 1))
        tries.known[key] = frozenset(tuple(env.get(n) for n in read) for env in envs)
    rows = tries.known[key]
    if any(None in row for row in rows) or not tries.spend(len(rows), sum(1 for _ in expr.walk(ast))):
        return None
    try:
        if any(expr.evaluate(ast, dict(zip(read, row))) is not False for row in rows):
            return None
    except expr.ExprError:
        return None
    who = "; ".join(f"{hid} has " + ", ".join(f"{n} {env[n]}" for n in read if n in env)
                    for hid, env in ((hid, one.env()) for hid, one in list(heroes.items())[:3]))
    return who + (f"; and {len(heroes) - 3} more" if len(heroes) > 3 else "")


def _conjuncts(ast, keep: Callable[[object], bool]):
    """The parts of `ast`'s chain of top-level `and`s that `keep`, joined by `and` again
    and placed from the first one's start to the last one's end; `ast` itself when every
    part is kept, None when none is."""
    parts, stack = [], [ast]
    while stack:
        node = stack.pop()
        if isinstance(node, expr.Binary) and node.op == "and":
            stack += [node.right, node.left]
        else:
            parts.append(node)
    kept = [p for p in parts if keep(p)]
    if not kept:
        return None
    if len(kept) == len(parts):
        return ast
    if len(kept) == 1:
        return kept[0]
    # where it was written, from its first part's start to its last part's end
    start = min(p.offset for p in kept)
    return expr.Binary("and", functools.reduce(lambda a, b: expr.Binary("and", a, b), kept[:-1]), kept[-1],
                       offset=start, length=max(p.offset + p.length for p in kept) - start)


def _never_true(ast, names: list[str], rows: Iterable[tuple]) -> bool:
    """Whether `ast` is false for every row of values of `names` (an error: not sure)."""
    for values in rows:
        try:
            if expr.evaluate(ast, dict(zip(names, values))) is not False:
                return False
        except expr.ExprError:
            return False
    return True


def _projected(rows: Together | None, names: list[str]) -> tuple[tuple, ...] | None:
    """The distinct rows of `names`' values in `rows` (sorted), None when not known."""
    if rows is None or any(n not in rows[0] for n in names):
        return None
    at = [rows[0].index(n) for n in names]
    return tuple(sorted({tuple(row[i] for i in at) for row in rows[1]}))


def _rows_text(rows: tuple[tuple, ...]) -> str:
    """`(false, true) or (true, false)`, `(0, 1), (1, 0), … …`, as _values_text of rows."""
    shown = ["(" + ", ".join(_values_text((v,)) for v in row) + ")" for row in rows[:6]]
    if len(rows) > 6:
        return ", ".join(shown) + " …"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _values_text(values: tuple) -> str:
    """`false`, `0 or 2`, `1, 2, 3 or 4`, `1, 2, 3, 4, 5, 6 …`, as the language writes them."""
    shown = [str(v).lower() if isinstance(v, bool) else repr(v) if isinstance(v, str) else str(v) for v in values[:6]]
    if len(values) > 6:
        return ", ".join(shown) + " …"
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _heros_value(name: str, stories: list[Entry[Story]]) -> bool:
    """Whether `name` is a value of the playing hero (an attribute, derived stat or
    `level`) in the scope of the stories listing the quest, not a story variable: an
    objective may read it as a story's condition does (`found and agility > 5`), and it
    was "waits for 'agility', which no story can set", with no fix to follow."""
    return bool(stories) and all(name in s.model.scope.names and name not in s.model.front.variables
                                 for s in stories)


def _scene_hint(name: str, story: Entry[Story], known: set[str]) -> str:
    """HF0514's hint for an objective waiting for `name`, a scene of `story`: a flag the
    choices leading there set, named so that no variable has it yet."""
    flag, n = f"reached_{name.replace('-', '_')}", 2
    while flag in known:
        flag, n = f"reached_{name.replace('-', '_')}_{n}", n + 1
    return (f"'{name}' is a scene of story '{story.id}', not a variable: an objective waits for a variable. Add "
            f"`{flag}: false` under its `variables:`, `set {flag}` to the `do=` of each choice leading to "
            f"'{name}' (`{{do=\"set {flag}\"}}`, or after a `;` in one it has), and write `done_when: {flag}`.")


def _typed(ast, span, stories: list[Entry[Story]], diags: Diagnostics) -> bool:
    """Type-check an objective's `done_when` in the scope of each story that lists the
    quest (its variables, the hero's values), each problem said once: `coins > 'a'`
    and `coins` (a number, no condition) were only parsed, and published to engines
    as the objective's condition. A name no such story declares is HF0514's to say
    (quiet here); with no story listing the quest, every name is. False when a
    problem was said."""
    scopes = [s.model.scope for s in stories] or [expr.Scope({}, unsure_rest=True)]
    said: set[tuple] = set()
    for scope in scopes:
        scope = dataclasses.replace(scope, unsure_rest=True)   # unknown names: HF0514
        found, problems = expr.check_all(ast, scope)
        problems = [err for err in problems if not err.quiet]
        for err in problems:
            if (err.code, err.offset, err.message) not in said:
                said.add((err.code, err.offset, err.message))
                if err.code == "HF0603" and (found := TEXT_USED.search(err.message)):   # `coins >= 3`, `coins: "2"`
                    err.hint = _quoted_hint(found.group(1), stories) or err.hint
                report_expr_error(err, span, diags, "objective")
        if not problems and found is not None and found is not expr.Type.BOOL and "result" not in said:
            said.add("result")
            diags.add("HF0603", f"an objective's condition must be true or false, but this gives "
                                f"{found.noun}", span,
                      hint=_quoted_hint(ast.name if isinstance(ast, expr.Name) else None, stories)
                      or _compared_hint(ast, stories)
                      or "Compare it: `coins >= 3`, or name a true/false variable: `crossed`.")
    return not said


def _quoted_hint(name: str | None, stories: list[Entry[Story]]) -> str | None:
    """quoted_value_hint for `name` when a listing story declares it a number or
    true/false in quotes: `done_when: crossed` was told "name a true/false variable:
    `crossed`", and `coins >= 3` "combine numbers with numbers", of `coins: "2"`."""
    if name is None:
        return None
    return next((hint for s in stories if (hint := quoted_value_hint(s.doc, s.model.front, name, named=True))), None)


def _compared_hint(ast, stories: list[Entry[Story]]) -> str | None:
    """The fix for an objective that is one variable a listing story starts as text or
    a number (`done_when: crossed` of `crossed: 'no'`): a comparison of it. The hint
    was "name a true/false variable: `crossed`", the name it names. None otherwise."""
    if not isinstance(ast, expr.Name):
        return None
    name = ast.name
    start = next((s.model.front.variables[name] for s in stories if name in s.model.front.variables), None)
    if isinstance(start, str) and "'" not in start and "\n" not in start:
        return (f"'{name}' starts as text: compare it, `{name} == '{clip(start, 30)}'`, or start it as true or "
                f"false (`{name}: false` under `variables:`).")
    if isinstance(start, int) and not isinstance(start, bool):
        return f"'{name}' starts as a number: compare it, `{name} >= {start + 1}`."
    return None


def _undeclared_hint(name: str, stories: list[Entry[Story]]) -> str:
    """HF0514's hint for an objective waiting for `name`, which no story listing the
    quest declares and no known name is near: how to make it (it was "Checked the
    stories that list this quest: bell. Known here: 'asked', 'coins'", which names
    what is there, not what to write)."""
    listed = ", ".join(f"'{s.id}'" for s in stories[:3]) + (" …" if len(stories) > 3 else "")
    return (f"No story that lists this quest ({listed}) has '{name}': add `{name}: false` under `variables:` in "
            f"the story where it happens, and `do=\"set {name}\"` to the choice that does it.")


def _setter(name: str, stories: list[Entry[Story]]) -> str:
    """The effect that changes `name` as its starting value's type takes it."""
    start = next(s.model.front.variables[name] for s in stories if name in s.model.front.variables)
    return f"set {name}" if isinstance(start, bool) else f"{name} += 1" if isinstance(start, int) else f"{name} = '…'"


def _set_elsewhere(name: str, listing: list[Entry[Story]], every_story: dict[str, Entry[Story]],
                   never: dict[str, set[str]]) -> list[str]:
    """The stories not in `listing` where play may set the variable `name` (by id)."""
    skip = {s.id for s in listing}
    return [sid for sid, story in every_story.items()
            if sid not in skip and name in story.model.front.variables and name in _settable([story], never)]


def _settable(stories: list[Entry[Story]], never: dict[str, set[str]]) -> set[str]:
    """Variables some choice in these stories changes, from a scene play can reach."""
    names: set[str] = set()
    for story in stories:
        skip = never.get(story.id, set())
        for scene, choice, written in story.model.outline.written:   # its scenes not decoded (Story.outline)
            if ("scene", scene) not in skip and ("choice", choice) not in skip:
                names |= written
    return names


def _setters(stories: list[Entry[Story]], name: str, never: dict[str, set]) -> list[tuple[str, str, str]]:
    """(story, 'scene'|'choice', id) of every choice that sets `name`, named by what
    stops play from taking it: called only when none can be taken."""
    found = []
    for story in stories:
        skip = never.get(story.id, set())
        for scene, choice, written in story.model.outline.written:
            if name in written:
                what = "scene" if ("scene", scene) in skip else "choice"
                found.append((story.id, what, scene if what == "scene" else choice))
    return list(dict.fromkeys(found))


def _cycles(quests: dict[str, Entry[Quest]], diags: Diagnostics) -> bool:
    """HF0513 at each cycle of prerequisites (at most MAX_CYCLES); whether any was."""
    edges = {q: [p for p in e.model.prerequisites if p in quests] for q, e in quests.items()}
    cycles = find_cycles(edges, MAX_CYCLES)
    for shown, cycle in enumerate(cycles):
        first = quests[cycle[0]]
        # at the item that goes on round the cycle (`q3` in `[first-quest, q3]`), not at the
        # list's `[`: the item to remove, and a quest naming itself said as that
        index = first.model.prerequisites.index(cycle[1 % len(cycle)])
        said = (f"quest '{cycle[0]}' lists itself as a prerequisite" if len(cycle) == 1
                else "quest prerequisites form a cycle: " + cycle_text(cycle))
        diags.add("HF0513", said, first.span("prerequisites", index),
                  hint=f"Remove '{cycle[0]}' from its own `prerequisites`." if len(cycle) == 1
                  else cycles_hint(cycles, shown))
    return bool(cycles)


# What the quest pages walk together: each page walks its whole chain of earlier quests
# for the nearest stretch and the count before it (render: views/quests.py), each
# earlier quest a read the render records and each of its prerequisites a step. 10,000
# quests each requiring the 20 before them passed check in 13 s and then held a site
# build for 226 CPU-s and 1.7 GB; the sum grows as the square of a chain's length.
# A line of 2,000 quests is 2,000,000 earlier quests and 4,000,000 steps; 2,000 quests
# each requiring the 20 before them 2,000,000 and 42,000,000 steps (~8 CPU-s of the
# site build): within both bounds.
MAX_EARLIER = 4_000_000
MAX_STEPS = 50_000_000
# Set members merged here to count them (a page walks no sets: its steps are counted
# apart). Merged in C, ~5 ns a member already held: counted with the pages' steps, 500
# quests each requiring the same 100 side quests after a line of 1,000 were refused
# (50,000,000 "steps") while their pages walked 1,150,000 earlier quests in 0.4 CPU-s.
MAX_MERGED = 250_000_000


def _chain_work(quests: dict[str, Entry[Quest]], diags: Diagnostics) -> None:
    """HF0545 when the quest pages' chains of earlier quests (each quest's
    prerequisites, theirs, and so on, each once a quest) hold more than MAX_EARLIER
    quests in all, or more than MAX_STEPS steps (an earlier quest, each prerequisite it
    lists), or its own count more than MAX_MERGED set members merged, said at the
    prerequisites of the quest with the longest chain. Counted in an order of the prerequisites (the graph has no
    cycles: `_cycles` said none), each quest's set made from its prerequisites', and
    stopped as soon as a sum passes its bound: the work here is bounded as the pages' is,
    and a quest's set is let go once every quest it unlocks has read it (a line holds
    only its last few sets)."""
    edges = {q: list(dict.fromkeys(p for p in e.model.prerequisites if p in quests)) for q, e in quests.items()}
    # a page steps over each prerequisite as written, a name given twice or not a quest
    # too: counted as the pages' edges, a line each quest listing the one before 1,000
    # times was 1,000 times the steps counted here
    listed = {q: len(e.model.prerequisites) for q, e in quests.items()}
    waiting = {q: len(pres) for q, pres in edges.items()}
    unlocks: dict[str, list[str]] = {}
    for q, pres in edges.items():
        for p in pres:
            unlocks.setdefault(p, []).append(q)
    ready = [q for q, n in waiting.items() if n == 0]
    earlier: dict[str, frozenset[str]] = {}
    readers = {q: len(unlocks.get(q, ())) for q in edges}
    members = steps = merged = longest_size = 0
    longest: str | None = None
    while ready:
        q = ready.pop()
        chain: set[str] = set()
        # the longest first: a prerequisite already in the chain brought its own chain
        for p in sorted(edges[q], key=lambda p: -len(earlier[p])):
            if p not in chain:
                merged += len(earlier[p])
                chain |= earlier[p]
                chain.add(p)
        for p in edges[q]:
            readers[p] -= 1
            if not readers[p]:
                del earlier[p]
        if readers[q]:
            earlier[q] = frozenset(chain)
        members += len(chain)
        steps += sum(1 + listed[a] for a in chain)
        if longest is None or len(chain) > longest_size:
            longest, longest_size = q, len(chain)
        if merged > MAX_MERGED:   # no count of the pages' walk in bounded time
            diags.add("HF0545", f"quest chains overlap too much to count what the quest pages would walk "
                      f"(more than {MAX_MERGED:,} quests merged; quest '{longest}' alone comes after "
                      f"{longest_size:,} quests)", quests[longest].span("prerequisites"))
            return
        if members > MAX_EARLIER or steps > MAX_STEPS:
            diags.add("HF0545", f"quest pages would walk more than {MAX_EARLIER:,} earlier quests or "
                      f"{MAX_STEPS:,} prerequisites in all (quest '{longest}' alone comes after "
                      f"{longest_size:,} quests): each quest page walks its whole chain, which "
                      "grows as the square of the chain's length", quests[longest].span("prerequisites"))
            return
        for u in unlocks.get(q, ()):
            waiting[u] -= 1
            if waiting[u] == 0:
                ready.append(u)
