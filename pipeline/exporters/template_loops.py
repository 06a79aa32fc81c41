"""Loops over constant ranges in a project's theme template, judged by `check`.

A theme template comes with the project, so its loops are a stranger's to write.
Jinja's sandbox refuses a `range()` past MAX_RANGE items only when it runs, so
`{% for i in range(999999999) %}` in a project template passed `foundry check` clean
and stopped every build at the render ("Range too big", HF0703); and loops over
constant ranges nested inside each other (`range(100000)` within `range(100000)`: ten
billion turns) passed check and held the build for the render's whole time budget
before HF0710. Both are known from the parsed template alone, so check says them at
the line, in the words the render would (exporters/sandbox.py `check_compiles`).
Loops over the data a page is given are the render's to judge, under its budgets.
"""

from __future__ import annotations

from typing import Iterator

from jinja2 import nodes
from jinja2.sandbox import MAX_RANGE

from .. import budget

# Turns of an empty loop a CPU second may take at the most: CPython runs Jinja's
# compiled `for` over a range at ~30 million a second (measured on the CI machine's
# kind); a template nesting constant ranges past this many per second of the render's
# time budget cannot finish on any machine we run on.
TURNS_PER_SECOND = 50_000_000

# What runs as often as its own condition or caller says, not at each turn of the
# loops around it.
_GUARDS = (nodes.If, nodes.Macro, nodes.CallBlock)

_RANGE_TOO_BIG = f"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MAX_RANGE})."


def loop_problems(tree: nodes.Template) -> Iterator[tuple[str, int, str, str]]:
    """(message, line, hint, code) for each `range()` of constants past MAX_RANGE in
    `tree` (HF0703, what the render raises), and for each loop whose constant ranges,
    with those of the loops around it, turn more times than the render's budget allows
    (HF0710, said at the outermost loop that brings the count past it, once). Only loops
    that run at every turn of the loops around them multiply: one under `{% if %}`, a
    loop's filter, a macro or a call block starts a count of its own."""
    if any(name.name == "range" for name in tree.find_all(nodes.Name) if name.ctx != "load"):
        return   # a template's own `range` (set, a loop's or macro's name): not the sandbox's
    limit = budget.render_seconds() * TURNS_PER_SECOND
    said = False
    # (node, turns of the loops around it): a stack, not recursion (a template nesting
    # thousands deep is check_compiles' HF0703, not a RecursionError here)
    stack: list[tuple[nodes.Node, int]] = [(tree, 1)]
    while stack:
        node, around = stack.pop()
        if isinstance(node, nodes.Call):
            size = _range_size(node)
            if size is not None and size > MAX_RANGE:
                # at `range` (a call's own line is its `(`: template_places.py)
                yield _RANGE_TOO_BIG, node.node.lineno, f"Loop over the data the page shows, not over a range past {MAX_RANGE:,}.", "HF0703"
        if isinstance(node, nodes.For):
            size = _range_size(node.iter)
            if size is not None and size <= MAX_RANGE:
                turns = around * size
                if turns > limit and around <= limit and not said:
                    said = True
                    yield (f"loops over constant ranges {turns:,} times: more than a render may compute in its "
                           f"{budget.render_seconds():g} CPU seconds", node.lineno,
                           "Loop over the data the page shows, not over large ranges.", "HF0710")
                # a loop's filter (`for i in range(n) if i == 7`) runs its body for some
                # items only: what the body holds runs at least once when it runs at all
                stack += [(child, 1 if node.test is not None else turns) for child in node.body]
                stack += [(child, around) for child in (node.iter, node.target, node.test, *node.else_) if child is not None]
                continue
        if isinstance(node, _GUARDS):
            # a loop under `{% if loop.first %}` (or in a macro, or a call block's body)
            # runs as often as its guard lets it: perhaps once in all, so the loops around
            # it do not multiply its turns (a false HF0710 stopped a build that takes a
            # second); one whose own ranges are past the budget fails whenever it runs
            stack += [(child, 1) for child in node.iter_child_nodes()]
            continue
        stack += [(child, around) for child in node.iter_child_nodes()]


def _range_size(node: nodes.Node) -> int | None:
    """How many items `range(…)` of whole numbers written as they are gives (`range(10**9)`,
    `range(2, 2 * 50000)`); None for anything else."""
    if not (isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name) and node.node.name == "range"
            and not node.kwargs and node.dyn_args is None and node.dyn_kwargs is None and 1 <= len(node.args) <= 3):
        return None
    values = [whole(arg) for arg in node.args]
    if None in values or (len(values) == 3 and not values[2]):
        return None
    try:
        return len(range(*values))
    except OverflowError:   # more items than a machine word counts
        return MAX_RANGE + 1


HUGE = 2 ** 512   # past any range a template may make: a written number beyond it is as good


def whole(node: nodes.Node, depth: int = 0) -> int | None:
    """The whole number `node` is written as (`1000000000`, `10**9`, `-5`, `2 * 50000`),
    worked out without running the template, never past ±HUGE (`10**10**10` costs
    nothing); None for anything else."""
    if depth > 32:
        return None
    if isinstance(node, nodes.Const):
        return node.value if type(node.value) is int else None
    if isinstance(node, nodes.Neg):
        value = whole(node.node, depth + 1)
        return None if value is None else -value
    if not isinstance(node, (nodes.Add, nodes.Sub, nodes.Mul, nodes.Pow)):
        return None
    left, right = whole(node.left, depth + 1), whole(node.right, depth + 1)
    if left is None or right is None:
        return None
    if isinstance(node, nodes.Pow):
        if right < 0:
            return None
        if abs(left) > 1 and right * abs(left).bit_length() > 520:
            return HUGE if left > 0 or right % 2 == 0 else -HUGE
        value = left ** right
    else:
        value = left + right if isinstance(node, nodes.Add) else left - right if isinstance(node, nodes.Sub) \
            else left * right
    return max(-HUGE, min(HUGE, value))
