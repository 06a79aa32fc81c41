"""Running expressions and effects against a hero's or a story's state.

The evaluator re-checks types as it goes, so an expression that was never checked
still fails with an ExprError rather than a Python TypeError.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

from pipeline.diagnostics import suggestion

from .errors import (BAD_CALL, DIVISION_BY_ZERO, OVERFLOW, TYPE_MISMATCH, UNKNOWN_NAME,
                     ExprError, quoted)
from .nodes import (COMPARISONS, Assign, Binary, Bool, Call, Effect, Expr, Give, Name, Node,
                    Number, SetFlag, String, Take, Unary)
from .tokens import NUMBER_LIMIT
from .types import FUNCTIONS, Type, value_type

Value = int | float | bool | str


def evaluate(expr: Expr, env: Mapping[str, Value], items: frozenset[str] = frozenset(),
             skills: frozenset[str] = frozenset()) -> Value:
    return _Evaluator(env, items, skills).visit(expr)


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
    # `not <=` rather than `>`: NaN compares false with everything and must fail too.
    if not abs(value) <= NUMBER_LIMIT:
        raise ExprError(OVERFLOW, "the result is too large (beyond ±2^53)", node.offset, node.length)
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


class _Evaluator:
    def __init__(self, env: Mapping[str, Value], items: frozenset[str], skills: frozenset[str]):
        self.env = env
        self.items = items
        self.skills = skills

    def visit(self, node: Expr) -> Value:
        if isinstance(node, Number):
            return _checked(node.value, node)
        if isinstance(node, (Bool, String)):
            return node.value
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def typed(self, node: Expr, want: Type, op: str, code: str = TYPE_MISMATCH) -> Value:
        value = self.visit(node)
        if value_type(value) is not want:
            raise ExprError(code, f"'{op}' needs {want.noun}", node.offset, node.length)
        return value

    def name(self, node: Name) -> Value:
        if node.name not in self.env:
            raise ExprError(UNKNOWN_NAME, f"{quoted(node.name)} has no value", node.offset,
                            node.length, suggestion(node.name, self.env))
        value = self.env[node.name]
        kind = value_type(value)
        if kind is None:
            raise ExprError(TYPE_MISMATCH, f"{quoted(node.name)} holds a value of an unknown kind",
                            node.offset, node.length)
        return _checked(value, node) if kind is Type.NUMBER else value

    def unary(self, node: Unary) -> Value:
        if node.op == "not":
            return not self.typed(node.operand, Type.BOOL, "not")
        return _checked(-self.typed(node.operand, Type.NUMBER, "-"), node)

    def binary(self, node: Binary) -> Value:
        if node.op in ("and", "or"):
            return self.logic(node)
        if node.op in ("==", "!="):
            left, right = self.visit(node.left), self.visit(node.right)
            if value_type(left) is not value_type(right):
                raise ExprError(TYPE_MISMATCH, f"'{node.op}' compares values of different kinds",
                                node.offset, node.length)
            return _COMPARE[node.op](left, right)
        left = self.typed(node.left, Type.NUMBER, node.op)
        right = self.typed(node.right, Type.NUMBER, node.op)
        if node.op in COMPARISONS:
            return _COMPARE[node.op](left, right)
        return self.arithmetic(node, left, right)

    def logic(self, node: Binary) -> bool:
        # Short-circuit, like ink and SugarCube: `has_key and door_code == 3` never
        # looks at door_code when there is no key.
        left = self.typed(node.left, Type.BOOL, node.op)
        if left is (node.op == "or"):
            return left
        return self.typed(node.right, Type.BOOL, node.op)

    def arithmetic(self, node: Binary, left: int | float, right: int | float) -> int | float:
        if node.op in ("/", "//", "%") and right == 0:
            raise ExprError(DIVISION_BY_ZERO, "division by zero", node.right.offset,
                            node.right.length)
        try:
            return _checked(_ARITHMETIC[node.op](left, right), node)
        except OverflowError:  # a float too large for Python itself
            raise ExprError(OVERFLOW, "the result is too large (beyond ±2^53)",
                            node.offset, node.length) from None

    def call(self, node: Call) -> Value:
        sig = FUNCTIONS.get(node.func)
        if sig is None:
            raise ExprError(BAD_CALL, f"unknown function {quoted(node.func)}", node.offset,
                            len(node.func), suggestion(node.func, FUNCTIONS))
        count = len(node.args)
        if count < sig.min_args or (sig.max_args is not None and count > sig.max_args):
            raise ExprError(BAD_CALL, f"{node.func}() takes {sig.arity()}, not {count}",
                            node.offset, node.length)
        values = [self.typed(arg, sig.arg_type, node.func + "()", BAD_CALL) for arg in node.args]
        if node.func == "has":
            return values[0] in self.items
        if node.func == "has_skill":
            return values[0] in self.skills
        return _checked(_NUMERIC[node.func](*values), node)
