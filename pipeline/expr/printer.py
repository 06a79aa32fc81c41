"""The canonical text of a tree: the fewest parentheses that read back the same tree.

`parse_expression(to_source(e)) == e` for every tree the parser can produce. (A
negative Number, which only code can build, prints as `-5` and reads back as
Unary("-", Number(5)): same value, different shape.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .nodes import (ATOM, COMPARE, EFFECT_TYPES, NEGATE, NOT, PRECEDENCE, Assign, Binary, Bool,
                    Call, Effect, Expr, Give, Name, Node, Number, SetFlag, String, Take, Unary)


def to_source(node: Node | Iterable[Effect]) -> str:
    """An expression, an effect, or a list of effects (joined by "; ") as text."""
    if isinstance(node, EFFECT_TYPES):
        return _effect(node)
    if isinstance(node, Node):
        return _text(node)
    return "; ".join(_effect(effect) for effect in node)


def format_number(value: int | float) -> str:
    """Digits the lexer reads back to the very same number: no exponent (the language
    has none), and a decimal point on every float so 2.0 stays a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{value} cannot be written in an expression")
    text = repr(value)
    if "e" in text:  # repr is the shortest exact form; Decimal spells it out in full
        text = format(Decimal(text), "f")
    return text if "." in text else text + ".0"


def quote_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def level(node: Expr) -> int:
    """How tightly the text of `node` binds, as the parser sees it."""
    if isinstance(node, Binary):
        return PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return NOT if node.op == "not" else NEGATE
    if isinstance(node, Number) and node.value < 0:
        return NEGATE  # printed with a leading minus
    return ATOM


def operand_levels(node: Expr) -> tuple[int, int]:
    """The least binding strength each operand needs to print without parentheses.
    Left-grouping operators accept their own level on the left only; comparisons
    cannot be chained at all, so they need a tighter level on both sides."""
    if isinstance(node, Unary):
        return (NOT, NOT) if node.op == "not" else (NEGATE, NEGATE)
    own = PRECEDENCE[node.op]
    return (own + 1 if own == COMPARE else own), own + 1


def _wrap(node: Expr, needed: int) -> str:
    text = _text(node)
    return f"({text})" if level(node) < needed else text


def _text(node: Expr) -> str:
    if isinstance(node, Number):
        return format_number(node.value)
    if isinstance(node, Bool):
        return "true" if node.value else "false"
    if isinstance(node, String):
        return quote_string(node.value)
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Unary):
        operand = _wrap(node.operand, operand_levels(node)[0])
        return f"not {operand}" if node.op == "not" else f"-{operand}"
    if isinstance(node, Binary):
        left_needs, right_needs = operand_levels(node)
        return f"{_wrap(node.left, left_needs)} {node.op} {_wrap(node.right, right_needs)}"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_text(arg) for arg in node.args)})"
    raise TypeError(f"not an expression node: {node!r}")


def _effect(effect: Effect) -> str:
    if isinstance(effect, Assign):
        return f"{effect.target} {effect.op} {_text(effect.value)}"
    if isinstance(effect, SetFlag):
        return f"{'set' if effect.value else 'unset'} {effect.name}"
    if isinstance(effect, Give):
        return f"give {quote_string(effect.item)}"
    if isinstance(effect, Take):
        return f"take {quote_string(effect.item)}"
    raise TypeError(f"not an effect node: {effect!r}")
