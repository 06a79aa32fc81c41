"""Whether a condition on a hero (a skill's `requires`, a quest's `requires`) can hold
for any hero the rule book allows: every attribute within its range, every level from
1 (or a skill's `min_level`) to max_level, derived stats by their formulas, rounded
down as heroes' are (heroes/sheet.py derived_by_level)."""

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

    def __init__(self, left: int = MAX_TRIED_IN_ALL) -> None:
        self.left = left
        self.known: dict[tuple[str, int], str | None] = {}

    def spend(self, combinations: int, nodes: int) -> bool:
        """Take `combinations` tries of a condition of `nodes` nodes (each NODES_A_TRY
        of them one try) when that many are left; whether they were."""
        cost = combinations * -(-nodes // NODES_A_TRY)
        if cost > self.left:
            return False
        self.left -= cost
        return True


def never_met(ast, book, lowest_level: int = 1, tries: Tries | None = None) -> str | None:
    """Why no hero can meet `ast` ("agility is 1–20"), or None when some hero can, or
    when that is not known: its answer hangs on a skill or an item (a hero may hold
    any; a part of an `and` no hero meets is said whatever the others ask), reads
    a name the book does not define or a derived stat whose formula fails or is not
    computed, reads the level while max_level is unknown, or has more than MAX_TRIED
    combinations of the values it reads (or more than `tries` has left) and no part of
    its chain of `and`/`or` decides alone."""
    tries = tries if tries is not None else Tries()
    key = (expr.to_source(ast), lowest_level)
    if key not in tries.known:
        tries.known[key] = _never_met(ast, book, lowest_level, tries)
    return tries.known[key]


def _never_met(ast, book, lowest_level: int, tries: Tries) -> str | None:
    # A chain of `and`s is never met when one of its parts is, and a chain of `or`s when
    # each is: each part is tried alone first, on the values it reads only. A designer's
    # `strength >= 25 and agility >= 10 and wits >= 10 and constitution >= 10` reads four
    # attributes of 1–20 (160,000 combinations, past MAX_TRIED) and went unjudged, while
    # its first part alone is 20 tries. The whole is then tried as before (`agility > 10
    # and agility < 5` is never met though each part is).
    for op in ("and", "or"):
        parts = _chain(ast, op)
        if len(parts) > 1:
            whys = [never_met(part, book, lowest_level, tries) for part in parts]
            if op == "and" and any(whys):
                return next(why for why in whys if why)
            if op == "or" and all(whys):
                return ", ".join(sorted({piece for why in whys if why for piece in why.split(", ")}))
    return _tried_whole(ast, book, lowest_level, tries)


def _chain(ast, op: str) -> list:
    """The operands of a chain of `op` (`a and b and c` → [a, b, c]); [ast] for any other node."""
    if isinstance(ast, expr.Binary) and ast.op == op:
        return [*_chain(ast.left, op), *_chain(ast.right, op)]
    return [ast]


def _tried_whole(ast, book, lowest_level: int, tries: Tries) -> str | None:
    """`never_met` for `ast` taken whole: every combination of the values it reads."""
    if any(isinstance(node, expr.Call) and node.func in ("has", "has_skill") for node in expr.walk(ast)):
        return None
    read = expr.names_used(ast)
    base: set[str] = set()
    for name in read:
        if name in book.derived:
            stat = book.derived[name]
            if stat.formula.ast is None or name in book.failing or name in book.uncomputed:
                return None
            base |= expr.names_used(stat.formula.ast)
        elif name in book.attributes or name == "level":
            base.add(name)
        else:
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
    combinations = math.prod(len(r) for r in ranges.values())
    nodes = sum(1 for _ in expr.walk(ast)) + sum(sum(1 for _ in expr.walk(book.derived[stat].formula.ast))
                                                 for stat in read & book.derived.keys())
    if combinations > MAX_TRIED or not tries.spend(combinations, nodes):
        return None
    names = list(ranges)
    for values in itertools.product(*ranges.values()):
        env = dict(zip(names, values))
        try:
            for stat in read & book.derived.keys():
                answer = expr.evaluate(book.derived[stat].formula.ast, env)
                env[stat] = math.floor(answer) if isinstance(answer, float) else answer
            if expr.evaluate(ast, env) is not False:
                return None
        except expr.ExprError:
            return None
    return ", ".join(f"{name} is {r.start}–{r.stop - 1}" if len(r) > 1 else f"{name} is {r.start}"
                     for name, r in ranges.items()) or "it reads no value of the hero"
