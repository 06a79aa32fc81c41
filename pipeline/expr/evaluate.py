"""Running expressions and effects against a hero's or a story's state.

The evaluator re-checks types as it goes, so an expression that was never checked
still fails with an ExprError rather than a Python TypeError.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Mapping

from pipeline.diagnostics import suggestion

from .errors import (BAD_CALL, DIVISION_BY_ZERO, OVERFLOW, TYPE_MISMATCH, UNKNOWN_NAME,
                     ExprError, quoted)
from .nodes import (COMPARISONS, Assign, Binary, Bool, Call, Effect, Expr, Give, Name, Node,
                    Number, SetFlag, String, Take, Unary, names_used)
from .tokens import NUMBER_LIMIT
from .types import FUNCTIONS, Type, value_type

Value = int | float | bool | str


def evaluate(expr: Expr, env: Mapping[str, Value], items: frozenset[str] = frozenset(),
             skills: frozenset[str] = frozenset()) -> Value:
    return compiled(expr)(env, items, skills)


# At most this many answers kept per formula (evaluate_each): past it, a formula is
# evaluated without keeping more, so a project cannot make the table grow without end.
# A derived stat reading two attributes of 1-20 needs 400; a project's rules cap what
# is possible, 10,000 heroes only repeat it.
ANSWERS_KEPT = 4096


def evaluate_each(expr: Expr, env: Mapping[str, Value], name: str,
                  values: Iterable[Value]) -> tuple[Value | ExprError, ...]:
    """evaluate(expr, {**env, name: v}) for each v of `values`, in order: the value, or
    the ExprError it raised (returned, not raised: a fresh one each time, with its code,
    message, place and hint). No items or skills are held (a derived stat's formula).

    Why: a derived stat is evaluated for every hero at every level (10,000 heroes × 10
    levels × each formula), yet a formula reads one or two attributes of a small range:
    the answers are kept on the node (as its closure, `compiled`) by exactly what they
    depend on — `name`, `values`, and the value of every other name the formula reads,
    with its type (True == 1 as a key but not to the evaluator; -0.0 == 0.0 but may print
    apart: a float is keyed by its hex). Nothing else decides an answer: the evaluator
    reads only those names, and no items or skills. An env that lacks a name the formula
    reads is evaluated without the memo (the error's hint suggests from the env's keys).
    The evaluator has no step budget to spend: an expression's work is bounded by its
    size (MAX_SOURCE_LENGTH, MAX_DEPTH), and a kept answer is the one a run would give."""
    reads, answers = _formula_memo(expr)
    values = values if type(values) is range else tuple(values)
    try:
        key = (name, values if type(values) is range else tuple(map(_typed_key, values)),
               *[_typed_key(env[n]) for n in reads if n != name])
        found = answers.get(key)
    except (KeyError, TypeError):   # a name the env lacks (the hint reads all of env), a value of no hash
        key = found = None
    if found is None:
        run, scope, out = compiled(expr), dict(env), []
        for value in values:
            scope[name] = value
            try:
                out.append(run(scope, frozenset(), frozenset()))
            except ExprError as err:
                out.append(err)
        found = (tuple(out), any(type(a) is ExprError for a in out))
        if key is not None and len(answers) < ANSWERS_KEPT:
            answers[key] = found
    answer, failed = found
    if not failed:
        return answer   # values only: immutable, shared
    return tuple(ExprError(a.code, a.message, a.offset, a.length, a.hint) if type(a) is ExprError else a
                 for a in answer)


def _typed_key(value: Value) -> tuple:
    return (float, value.hex()) if type(value) is float else (type(value), value)


def _formula_memo(expr: Expr) -> tuple[tuple[str, ...], dict]:
    """(the names `expr` reads, sorted; its kept answers), on the node like its closure."""
    memo = expr.__dict__.get("_answers")
    if memo is None:
        memo = (tuple(sorted(names_used(expr))), {})
        object.__setattr__(expr, "_answers", memo)   # a memo of the frozen node, not a change to it
    return memo


def apply_effects(effects: Iterable[Effect], env: dict, items: set,
                  skills: frozenset[str] = frozenset()) -> None:
    """Apply effects in order, each seeing the state the previous one left. All or
    nothing: if one fails, `env` and `items` are left as they were."""
    new_env, new_items = dict(env), set(items)
    for effect in effects:
        _apply(effect, new_env, new_items, skills)
    env.update(new_env)
    items.clear()
    items.update(new_items)


def _apply(effect: Effect, env: dict, items: set, skills: frozenset[str]) -> None:
    if isinstance(effect, Give):
        items.add(effect.item)
    elif isinstance(effect, Take):
        items.discard(effect.item)
    elif isinstance(effect, SetFlag):
        _store(effect, env, effect.name, effect.value)
    elif isinstance(effect, Assign):
        value = evaluate(effect.value, env, frozenset(items), skills)
        if effect.op != "=":
            value = _step(effect, env, value)
        _store(effect, env, effect.target, value)
    else:
        raise TypeError(f"not an effect node: {effect!r}")


def _step(effect: Assign, env: dict, amount: Value) -> Value:
    """The new value of `target += amount` / `target -= amount`."""
    if effect.target not in env:
        raise ExprError(UNKNOWN_NAME, f"{quoted(effect.target)} has no value to change",
                        effect.offset, len(effect.target), suggestion(effect.target, env))
    old = env[effect.target]
    for value in (old, amount):
        if value_type(value) is not Type.NUMBER:
            raise ExprError(TYPE_MISMATCH, f"'{effect.op}' needs numbers", effect.offset,
                            effect.length)
    return _checked(old + amount if effect.op == "+=" else old - amount, effect)


def _store(effect: Node, env: dict, name: str, value: Value) -> None:
    """Write a variable; a variable keeps its type for the whole story."""
    if name in env and value_type(env[name]) is not value_type(value):
        raise ExprError(TYPE_MISMATCH, f"{quoted(name)} holds {value_type(env[name]).noun}, "
                        f"not {value_type(value).noun}", effect.offset, effect.length)
    env[name] = value


def _checked(value: int | float, node: Node) -> int | float:
    """`value` within ±2^53 (HF0606 past it), and a whole number when it is one: `10 / 4
    * 4` is 10, not 10.0, as every engine the story is played in shows it (JavaScript
    has one kind of number; ink prints 10), so `foundry play`, its JSON and what an
    analysis says of the state show 10 too (a story variable starts whole)."""
    # `not <=` rather than `>`: NaN compares false with everything and must fail too.
    if not -NUMBER_LIMIT <= value <= NUMBER_LIMIT:
        raise ExprError(OVERFLOW, "the result is too large (beyond ±2^53)", node.offset, node.length)
    if type(value) is float and value.is_integer():
        return int(value)   # exact: within ±2^53
    return value


def _round(x: int | float) -> int:
    """Halves round up (2.5 → 3, -2.5 → -2), exactly as JavaScript's Math.round does,
    so the SugarCube export agrees; Python's round() would give 2 for 2.5."""
    low = math.floor(x)
    return low + 1 if x - low >= 0.5 else low


def _clamp(x: int | float, low: int | float, high: int | float) -> int | float:
    """Bounds given the wrong way round are swapped, as SugarCube's Math.clamp does."""
    low, high = min(low, high), max(low, high)
    return min(max(x, low), high)


_NUMERIC = {
    "min": lambda *xs: min(xs), "max": lambda *xs: max(xs),
    "floor": math.floor, "ceil": math.ceil, "round": _round, "abs": abs, "clamp": _clamp,
}


def _divide(a: int | float, b: int | float) -> int | float:
    """True division that stays an int when it is exact (6 / 3 is 2, not 2.0)."""
    if isinstance(a, int) and isinstance(b, int) and a % b == 0:
        return a // b
    return a / b


_ARITHMETIC = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": _divide, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
}
_COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


Compiled = Callable[[Mapping[str, Value], frozenset, frozenset], Value]


def compiled(expr: Expr) -> Compiled:
    """The expression as a Python closure (built from the AST, never from text), kept
    on the node itself (nodes.Node): stories and formulas are evaluated hundreds of
    thousands of times in an analysis, and walking the tree each time cost seconds on
    a large world. The closure depends on nothing but the frozen node, so it lives and
    dies with it (no table keyed by id(), no build data in a module)."""
    fn = expr.__dict__.get("_run")
    if fn is None:
        fn = _compile(expr)
        object.__setattr__(expr, "_run", fn)   # a memo of the frozen node, not a change to it
    return fn


def _compile(node: Expr) -> Compiled:
    if isinstance(node, Number):
        return _constant(_checked(node.value, node)) if abs(node.value) <= NUMBER_LIMIT else _raiser(node)
    if isinstance(node, (Bool, String)):
        return _constant(node.value)
    if isinstance(node, Name):
        return _name(node)
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"not an expression node: {node!r}")


def _constant(value: Value) -> Compiled:
    return lambda env, items, skills: value


def _raiser(node: Number) -> Compiled:
    def fail(env, items, skills):
        return _checked(node.value, node)
    return fail


def _typed(node: Expr, want: Type, op: str, code: str = TYPE_MISMATCH) -> Compiled:
    inner = _compile(node)

    def run(env, items, skills):
        value = inner(env, items, skills)
        if value_type(value) is not want:
            raise ExprError(code, f"'{op}' needs {want.noun}", node.offset, node.length)
        return value
    return run


def _name(node: Name) -> Compiled:
    name = node.name

    def run(env, items, skills):
        if name not in env:
            raise ExprError(UNKNOWN_NAME, f"{quoted(name)} has no value", node.offset,
                            node.length, suggestion(name, env))
        value = env[name]
        kind = value_type(value)
        if kind is None:
            raise ExprError(TYPE_MISMATCH, f"{quoted(name)} holds a value of an unknown kind",
                            node.offset, node.length)
        return _checked(value, node) if kind is Type.NUMBER else value
    return run


def _unary(node: Unary) -> Compiled:
    if node.op == "not":
        operand = _typed(node.operand, Type.BOOL, "not")
        return lambda env, items, skills: not operand(env, items, skills)
    operand = _typed(node.operand, Type.NUMBER, "-")
    return lambda env, items, skills: _checked(-operand(env, items, skills), node)


def _binary(node: Binary) -> Compiled:
    if node.op in ("and", "or"):
        return _logic(node)
    if node.op in ("==", "!="):
        return _equality(node)
    left = _typed(node.left, Type.NUMBER, node.op)
    right = _typed(node.right, Type.NUMBER, node.op)
    if node.op in COMPARISONS:
        compare = _COMPARE[node.op]
        return lambda env, items, skills: compare(left(env, items, skills), right(env, items, skills))
    return _arithmetic(node, left, right)


def _equality(node: Binary) -> Compiled:
    left, right, compare = _compile(node.left), _compile(node.right), _COMPARE[node.op]

    def run(env, items, skills):
        a, b = left(env, items, skills), right(env, items, skills)
        if value_type(a) is not value_type(b):
            raise ExprError(TYPE_MISMATCH, f"'{node.op}' compares values of different kinds",
                            node.offset, node.length)
        return compare(a, b)
    return run


def _logic(node: Binary) -> Compiled:
    # Short-circuit, like ink and SugarCube: `has_key and door_code == 3` never
    # looks at door_code when there is no key.
    left = _typed(node.left, Type.BOOL, node.op)
    right = _typed(node.right, Type.BOOL, node.op)
    stop_on = node.op == "or"

    def run(env, items, skills):
        value = left(env, items, skills)
        return value if value is stop_on else right(env, items, skills)
    return run


def _arithmetic(node: Binary, left: Compiled, right: Compiled) -> Compiled:
    operate, divides = _ARITHMETIC[node.op], node.op in ("/", "//", "%")

    def run(env, items, skills):
        a, b = left(env, items, skills), right(env, items, skills)
        if divides and b == 0:
            raise ExprError(DIVISION_BY_ZERO, "division by zero", node.right.offset, node.right.length)
        try:
            return _checked(operate(a, b), node)
        except OverflowError:  # a float too large for Python itself
            raise ExprError(OVERFLOW, "the result is too large (beyond ±2^53)",
                            node.offset, node.length) from None
    return run


def _call(node: Call) -> Compiled:
    sig = FUNCTIONS.get(node.func)
    if sig is None:
        return _failing(ExprError(BAD_CALL, f"unknown function {quoted(node.func)}", node.offset,
                                  len(node.func), suggestion(node.func, FUNCTIONS)))
    count = len(node.args)
    if count < sig.min_args or (sig.max_args is not None and count > sig.max_args):
        return _failing(ExprError(BAD_CALL, f"{node.func}() takes {sig.arity()}, not {count}",
                                  node.offset, node.length))
    args = [_typed(arg, sig.arg_type, node.func + "()", BAD_CALL) for arg in node.args]
    if node.func in ("has", "has_skill"):
        first, of_items = args[0], node.func == "has"
        return lambda env, items, skills: first(env, items, skills) in (items if of_items else skills)
    function = _NUMERIC[node.func]
    return lambda env, items, skills: _checked(function(*[a(env, items, skills) for a in args]), node)


def _failing(error: ExprError) -> Compiled:
    def run(env, items, skills):
        raise ExprError(error.code, error.message, error.offset, error.length, error.hint)
    return run
