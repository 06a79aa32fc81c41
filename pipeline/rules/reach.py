"""Whether a condition on a hero (a skill's `requires`, a quest's `requires`) can hold
for any hero the rule book allows: every attribute within its range, every level from
1 (or a skill's `min_level`) to max_level, the points spent above the attributes'
defaults within the point budget at that level (a hero past it is HF0405, whatever
her template), derived stats by their formulas, rounded down as heroes' are
(heroes/sheet.py derived_by_level)."""

from __future__ import annotations

import itertools
import math

from .. import expr

# The value combinations tried for one condition: past it nothing is claimed (a
# condition reading four attributes of 1–20 and the level of ten is 1.6 million).
MAX_TRIED = 20_000
# And for all the conditions one check asks about (Tries): 10,000 quests each with a
# requirement no hero meets, reading two attributes, would be 4,000,000 evaluations.
MAX_TRIED_IN_ALL = 400_000
# A try of a condition longer than this many nodes (its derived stats' formulas with it)
# counts as one more try for each as many more: a rule book of 200 skills each asking 57
# sums `and`-ed (2,000 combinations of 1,800 characters each) took check 9-12 CPU-s
# within the tries above, each try walking the whole condition.
NODES_A_TRY = 10


class Tries:
    """What the conditions of one rule book or of all quests may try together, and the
    answers found, by the condition's text: 10,000 quests asking `level >= 2` ask once."""

    def __init__(self, left: int | None = None) -> None:
        self.left = MAX_TRIED_IN_ALL if left is None else left
        self.known: dict[tuple[str, int], str | None] = {}
        # how often a condition went unjudged for want of tries, and the texts it
        # happened to: past the budget a "never" was not looked for, and the writer is
        # told so once (HF0414) rather than left to read silence as "every one can be met"
        self.refused = 0
        self.cut: set = set()

    def spend(self, combinations: int, nodes: int) -> bool:
        """Take `combinations` tries of a condition of `nodes` nodes (each NODES_A_TRY
        of them one try) when that many are left; whether they were."""
        cost = combinations * -(-nodes // NODES_A_TRY)
        if cost > self.left:
            self.refused += 1
            return False
        self.left -= cost
        return True


def never_met(ast, book, lowest_level: int = 1, tries: Tries | None = None,
              held: frozenset[str] = frozenset()) -> str | None:
    """Why no hero can meet `ast` ("agility is 1–20"), or None when some hero can, or
    when that is not known: it reads a name the book does not define or a derived stat
    whose formula fails or is not computed, reads the level while max_level is unknown,
    asks `has`/`has_skill` of something not written as text, or has more than
    MAX_TRIED combinations of the values it reads (or more than `tries` has left) and
    no part of its chain of `and`/`or` decides alone. A skill or item it asks about
    may be held or not (both tried), but the skills of `held`, which the hero holds
    (a skill's own and its prerequisites', rules/book.py): `not has_skill('tracking')`
    of a skill needing tracking is never met."""
    tries = tries if tries is not None else Tries()
    key = (expr.to_source(ast), lowest_level, held)
    if key not in tries.known:
        refused = tries.refused
        tries.known[key] = _never_met(ast, book, lowest_level, tries, held)
        if tries.refused > refused:
            tries.cut.add(key)
    elif key in tries.cut:
        tries.refused += 1   # asked again (another skill's text, a part of a chain): unjudged again
    return tries.known[key]


def out_of_tries(tries: Tries, judge):
    """`judge()`'s answer, and whether `tries` ran out while it was made (a None that
    means "not judged", not "some hero can")."""
    refused = tries.refused
    answer = judge()
    return answer, answer is None and tries.refused > refused


def said_out_of_tries(unjudged: list, what: str, diags, missed: str = "a requirement no hero can meet") -> None:
    """HF0414 (info) once, at the first of `unjudged` ((name, span) pairs: the
    requirements or objectives a check's budget of tries left unjudged); `what` says
    what was not judged ("skill requirements were not judged for …")."""
    if not unjudged:
        return
    names = ", ".join(f"'{n}'" for n, _ in unjudged[:5]) + (f" and {len(unjudged) - 5} more" if len(unjudged) > 5 else "")
    diags.add("HF0414", f"{len(unjudged)} {what} ({names}): the check stopped after its budget of "
              f"{MAX_TRIED_IN_ALL:,} tries", unjudged[0][1],
              hint=f"Nothing is wrong for this; {missed} among them would not be said. Shorter conditions reading "
                   "fewer values cost fewer tries.")


def _never_met(ast, book, lowest_level: int, tries: Tries, held: frozenset[str] = frozenset()) -> str | None:
    # A chain of `and`s is never met when one of its parts is, and a chain of `or`s when
    # each is: each part is tried alone first, on the values it reads only. A designer's
    # `strength >= 25 and agility >= 10 and wits >= 10 and constitution >= 10` reads four
    # attributes of 1–20 (160,000 combinations, past MAX_TRIED) and went unjudged, while
    # its first part alone is 20 tries. The whole is then tried as before (`agility > 10
    # and agility < 5` is never met though each part is).
    for op in ("and", "or"):
        parts = _chain(ast, op)
        if len(parts) > 1:
            whys = [never_met(part, book, lowest_level, tries, held) for part in parts]
            if op == "and" and any(whys):
                # each part no hero meets, as written ("level is 1–5, agility is 1–20"):
                # the first alone was said, and fixed, the next was said on the next run
                said = list(dict.fromkeys(why for why in whys if why))
                return ("; " if any(_BUDGET_WORDS in why for why in said) else ", ").join(said)
            if op == "or" and all(whys):
                # the ranges read, each once ("agility is 1–20, wits is 1–20"); a part
                # asking more points than the budget holds says so whole
                pieces = {piece for why in whys if why
                          for piece in ([why] if _BUDGET_WORDS in why else why.split(", "))}
                return ("; " if any(_BUDGET_WORDS in p for p in pieces) else ", ").join(sorted(pieces))
            if op == "and" and (why := _over_budget(parts, book, lowest_level, tries)):
                return why
    return _tried_whole(ast, book, lowest_level, tries, held)


_BUDGET_WORDS = "points above the defaults"


def unmet_hint(ast, what: str) -> str:
    """HF0413's hint for a requirement `ast` no hero can meet, `what` being "have this
    skill" or "take this quest": the ranges, budget and levels it may ask within, and,
    when it asks about skills or items (`has_skill('r') and not has_skill('r')`), those
    too: the ranges alone were hinted, which do not rule it out."""
    asks = any(isinstance(node, expr.Call) and node.func in ("has", "has_skill") for node in expr.walk(ast))
    return (f"No hero could ever {what}: ask for values within the attributes' ranges, the point budget and the "
            "levels (schemas/attributes.yaml, schemas/progression.yaml), or widen them"
            + ("; and ask for skills and items a hero may hold together (each either held or not)." if asks else "."))


def known_budget(book, level: int | None = None) -> int | None:
    """The points above the defaults a hero may spend at `level` (max_level when None),
    or None when the book sets no budget or its levels are not known, or an attribute's
    default is outside its range (HF0401 there): the points counted from that default
    are not the ones its fix gives (`default: 5` of `min: 10` made `strength >= 20 and
    agility >= 20` cost 27, said beside HF0401 and gone once the default was 10)."""
    if book.budget is None or "progression" in book.unreadable or "attributes" in book.unreadable \
            or any(not rule.min <= rule.default <= rule.max for rule in book.attributes.values()):
        return None
    return book.budget.base + book.budget.per_level * ((book.max_level if level is None else level) - 1)


def _over_budget(parts: list, book, lowest_level: int, tries: Tries) -> str | None:
    """Why the `and`-ed `parts` ask more points than any hero has, or None. The parts
    reading the same attributes (themselves or through derived stats: `strength >= 18`,
    `max_hp >= 60`, `(strength >= 20 or agility >= 20)`) and the level are tried together
    on those attributes' values, the least points they may cost kept; the parts reading
    the level alone must hold at it; a part whose attributes, joined with those it
    shares one with, pass MAX_TRIED combinations is left out (so "never" stays sure).
    Each part alone is met, and a designer's `strength >= 18 and agility >= 18 and
    wits >= 18 and constitution >= 18` reads too many values to be tried whole (160,000
    combinations): yet it asks 40 points above the defaults, and a hero of the sample
    rules has 30."""
    if known_budget(book) is None:
        return None
    on_level: list = []
    reading: list[tuple[int, set[str], object]] = []   # (where in the chain, attributes read, part)
    for at, part in enumerate(parts):
        if any(isinstance(node, expr.Call) and node.func in ("has", "has_skill") for node in expr.walk(part)):
            continue
        base = _base_names(part, book)
        if base is None:
            continue
        read = base - {"level"}
        if read:
            reading.append((at, read, part))
        else:
            on_level.append(part)
    # the parts sharing an attribute, joined: (attributes, [(where, part)]); the parts
    # reading fewer attributes join first, so one reading many leaves out itself only
    groups: list[tuple[list[str], list]] = []
    for at, read, part in sorted(reading, key=lambda item: len(item[1])):
        joined = [group for group in groups if read & set(group[0])]
        names = sorted(read.union(*(group[0] for group in joined)))
        if _combinations(names, book) > MAX_TRIED:
            continue
        groups = [group for group in groups if group not in joined]
        groups.append((names, [pair for group in joined for pair in group[1]] + [(at, part)]))
    if not groups:
        return None
    groups.sort(key=lambda group: min(at for at, _ in group[1]))
    levels = range(max(1, lowest_level), book.max_level + 1)
    on_levels = [any("level" in _base_names(part, book) for _, part in group[1]) for group in groups]
    nodes = sum(_nodes(part, book) for group in groups for _, part in group[1])
    if not tries.spend(sum(_combinations(names, book) * (len(levels) if by_level else 1)
                           for (names, _), by_level in zip(groups, on_levels)), nodes):
        return None
    try:
        # each group's cheapest values, at each level (once when it reads no level)
        cheapest = [{level: _cheapest(group, book, level) for level in levels} if by_level
                    else dict.fromkeys(levels, _cheapest(group, book, None))
                    for group, by_level in zip(groups, on_levels)]
        best: tuple[int, dict[str, int], int] | None = None   # (points over, values, level)
        for level in levels:
            if not all(_holds_at({"level": level}, part, book) for part in on_level):
                continue
            found = [least[level] for least in cheapest]
            if any(one is None for one in found):
                continue   # no values of some group meet its parts at this level
            values = {name: value for one in found for name, value in one.items()}
            over = _points(values, book) - known_budget(book, level)
            if over <= 0:
                return None
            if best is None or over < best[0]:
                best = (over, values, level)
    except expr.ExprError:
        return None
    return _budget_why(best[1], book, best[2]) if best is not None else None


def _nodes(ast, book) -> int:
    """The nodes one try of `ast` walks: its own and the formulas of the derived stats it
    reads (each computed again at every try). Weighing the budget counted the condition's
    alone: 300 skills asking `d >= K and a >= J`, `d` a formula of 600 nodes over two
    attributes of 1–100, tried 10,000 combinations of 600 nodes each as 10,000 tries, and
    check took 70 CPU-s (1.3 before the weighing read derived stats). Its derived stats
    are those `_base_names` accepts (their formulas parsed)."""
    return sum(1 for _ in expr.walk(ast)) + sum(sum(1 for _ in expr.walk(book.derived[stat].formula.ast))
                                                for stat in expr.names_used(ast) & book.derived.keys())


def _combinations(names, book) -> int:
    """How many values the attributes `names` take together (their ranges multiplied)."""
    return math.prod(max(0, book.attributes[name].max - book.attributes[name].min + 1) for name in names)


def _points(values: dict[str, int], book) -> int:
    """The points `values` spend above the attributes' defaults."""
    return sum(max(0, v - book.attributes[a].default) for a, v in values.items())


def _cheapest(group: tuple[list[str], list], book, level: int | None) -> dict[str, int] | None:
    """The values of the group's attributes meeting all its parts at `level` (read by none
    when None) that spend the fewest points (the lowest values among equals, the
    attributes in the order the parts name them), or None when none do; ExprError as
    the evaluator raises it."""
    names, pairs = group
    parts = [part for _, part in sorted(pairs, key=lambda pair: pair[0])]
    env = {} if level is None else {"level": level}
    best: tuple[int, tuple[int, ...]] | None = None
    for values in itertools.product(*(range(book.attributes[n].min, book.attributes[n].max + 1) for n in names)):
        tried = dict(env, **dict(zip(names, values)))
        if all(_holds_at(tried, part, book) for part in parts):
            key = (_points(dict(zip(names, values)), book), values)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    order = list(dict.fromkeys(name for part in parts for name in _names_in_order(part, book) if name in names))
    chosen = dict(zip(names, best[1]))
    return {name: chosen[name] for name in order + [n for n in names if n not in order]}


def _names_in_order(ast, book) -> list[str]:
    """The attributes `ast` reads, in the order it names them (a derived stat's in its formula's)."""
    out: list[str] = []
    for node in expr.walk(ast):
        if isinstance(node, expr.Name):
            if node.name in book.derived and book.derived[node.name].formula.ast is not None:
                out += _names_in_order(book.derived[node.name].formula.ast, book)
            else:
                out.append(node.name)
    return out


def _base_names(ast, book) -> set[str] | None:
    """The attributes and `level` `ast` reads, through the derived stats it reads; None
    when it reads another name, or a derived stat not computed."""
    base: set[str] = set()
    for name in expr.names_used(ast):
        if name in book.derived:
            stat = book.derived[name]
            if stat.formula.ast is None or name in book.failing or name in book.uncomputed:
                return None
            base |= expr.names_used(stat.formula.ast)
        elif name in book.attributes or name == "level":
            base.add(name)
        else:
            return None
    return base


def _holds_at(env: dict, ast, book) -> bool:
    """Whether `ast` is true with `env` (its derived stats computed from it, rounded down
    as a hero's are); ExprError as the evaluator raises it."""
    env = dict(env)
    for stat in expr.names_used(ast) & book.derived.keys():
        answer = expr.evaluate(book.derived[stat].formula.ast, env)
        env[stat] = math.floor(answer) if isinstance(answer, float) else answer
    return expr.evaluate(ast, env) is True


def _budget_why(values: dict[str, int], book, level: int) -> str | None:
    """"strength 20, agility 20 and wits 10 need 26 points above the defaults and a
    hero has at most 24 at level 5" when `values` cost more than the budget at `level`."""
    needed = sum(max(0, v - book.attributes[a].default) for a, v in values.items())
    available = known_budget(book, level)
    if available is None or needed <= available:
        return None
    asked = [f"{a} {v}" for a, v in values.items() if v > book.attributes[a].default]
    listed = asked[0] if len(asked) == 1 else ", ".join(asked[:-1]) + " and " + asked[-1]
    return (f"{listed} {'needs' if len(asked) == 1 else 'need'} {needed} {_BUDGET_WORDS} "
            f"and a hero has at most {available} at level {level}")


def _chain(ast, op: str) -> list:
    """The operands of a chain of `op` (`a and b and c` → [a, b, c]); [ast] for any other node."""
    if isinstance(ast, expr.Binary) and ast.op == op:
        return [*_chain(ast.left, op), *_chain(ast.right, op)]
    return [ast]


# The skills and items one condition may ask about, each tried held and not: past it,
# nothing is claimed (2^10 times the values it reads).
MAX_ASKED = 10


def _asked(ast) -> list[tuple[str, str]] | None:
    """The (`has` | `has_skill`, name) a condition asks about, each once in the order
    written; None when one is asked of something not written as text."""
    asked: dict[tuple[str, str], None] = {}
    for node in expr.walk(ast):
        if isinstance(node, expr.Call) and node.func in ("has", "has_skill"):
            if len(node.args) != 1 or not isinstance(node.args[0], expr.String):
                return None
            asked[(node.func, node.args[0].value)] = None
    return list(asked)


def _tried_whole(ast, book, lowest_level: int, tries: Tries, held: frozenset[str] = frozenset()) -> str | None:
    """`never_met` for `ast` taken whole: every combination of the values it reads, and
    of the skills and items it asks about (but those `held`) held and not."""
    asked = _asked(ast)
    if asked is None:
        return None
    free = [pair for pair in asked if not (pair[0] == "has_skill" and pair[1] in held)]
    if len(free) > MAX_ASKED:
        return None
    read = expr.names_used(ast)
    base = _base_names(ast, book)
    if base is None:
        return None
    ranges: dict[str, range] = {}
    for name in sorted(base):
        if name == "level":
            if "progression" in book.unreadable:
                return None
            ranges[name] = range(max(1, lowest_level), book.max_level + 1)
        elif name in book.attributes:
            rule = book.attributes[name]
            ranges[name] = range(rule.min, rule.max + 1)
        else:
            return None
    if any(not r for r in ranges.values()):   # min above max: HF0401 at the rule
        return None
    combinations = math.prod(len(r) for r in ranges.values()) * 2 ** len(free)
    nodes = _nodes(ast, book)
    if combinations > MAX_TRIED or not tries.spend(combinations, nodes):
        return None
    names = list(ranges)
    # what a hero may hold: the skills `held`, and each asked about held or not
    holdings = [(held | {n for (f, n), on in zip(free, flags) if on and f == "has_skill"},
                 frozenset(n for (f, n), on in zip(free, flags) if on and f == "has"))
                for flags in itertools.product((False, True), repeat=len(free))]
    # the combination meeting `ast` that overspends least, when each one that does overspends
    cheapest: tuple[int, dict[str, int], int] | None = None
    for values in itertools.product(*ranges.values()):
        env = dict(zip(names, values))
        try:
            for stat in read & book.derived.keys():
                answer = expr.evaluate(book.derived[stat].formula.ast, env)
                env[stat] = math.floor(answer) if isinstance(answer, float) else answer
            if any(expr.evaluate(ast, env, skills=skills, items=items) is not False for skills, items in holdings):
                spent = {a: env[a] for a in names if a in book.attributes}
                level = env.get("level", book.max_level)
                available = known_budget(book, level)
                if available is None:
                    return None
                over = sum(max(0, v - book.attributes[a].default) for a, v in spent.items()) - available
                if over <= 0:
                    return None
                if cheapest is None or over < cheapest[0]:
                    cheapest = (over, spent, level)
        except expr.ExprError:
            return None
    if cheapest is not None:
        return _budget_why(cheapest[1], book, cheapest[2])
    said = [f"{name} is {r.start}–{r.stop - 1}" if len(r) > 1 else f"{name} is {r.start}" for name, r in ranges.items()]
    said += [f"whether a hero holds '{n}' or not" if f == "has_skill" else f"whether a hero carries '{n}' or not" for f, n in free]
    known = [n for f, n in asked if (f, n) not in free]
    if known:   # the skill's own, or its prerequisites'
        said.append(f"a hero holding it holds {', '.join(repr(n) for n in known)}")
    return ", ".join(said) or "it reads no value of the hero"
