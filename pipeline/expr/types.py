"""Static checking: the type of an expression, and every problem found on the way.

The checker keeps going after a problem (an unknown name has type "unknown", which
satisfies every rule) so that one run reports each real mistake exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Iterable, Mapping

from pipeline.diagnostics import clip, suggestion
from pipeline.ids import is_id, spell_id

from .errors import (BAD_CALL, DIVISION_BY_ZERO, OVERFLOW, READ_ONLY, TYPE_MISMATCH,
                     ITEM_ID, UNKNOWN_NAME, UNKNOWN_SKILL, ExprError, quoted)
from .nodes import (ARITHMETIC, Assign, Binary, Bool, Call, Effect, Expr, Give,
                    Name, Node, Number, SetFlag, String, Take, Unary)
from .tokens import NUMBER_LIMIT


class Type(Enum):
    NUMBER = "number"
    BOOL = "bool"
    STRING = "string"

    @property
    def noun(self) -> str:
        """How messages name the type: writers know "true/false" and "text"."""
        return {"number": "a number", "bool": "true/false", "string": "text"}[self.value]


@dataclass(frozen=True)
class Scope:
    """The names an expression may use, and which of them effects may change."""

    names: Mapping[str, Type]
    writable: frozenset[str] = frozenset()
    # Names a rule file held but the rule book left out for an error reported in that
    # file (an attribute whose `min` is text); with `unsure_rest`, every name not in
    # `names` (the attributes file did not load at all). An expression reading one is
    # refused without a word: "unknown name" there would send the writer to a file
    # that is right (rules/book.py `RuleBook.dropped`).
    unsure: frozenset[str] = frozenset()
    unsure_rest: bool = False
    # The skill ids `has_skill("…")` may name (schemas/skills.yaml, those left out for
    # an error there too); None: not known here (the skills file unreadable, or an
    # importer's scope), so any id is taken. A hero can hold no other skill, so
    # `has_skill("trackin")` was false for everyone, said only as "never true".
    skills: frozenset[str] | None = None


@dataclass(frozen=True)
class Signature:
    min_args: int
    max_args: int | None  # None: any number from min_args up
    arg_type: Type
    result: Type
    literal_arg: bool = False  # the argument must be a quoted id

    def arity(self) -> str:
        count = self.max_args or self.min_args
        plural = "s" if count > 1 else ""
        return f"{count} value{plural}" if self.max_args else f"at least {count} value{plural}"


_N, _B, _S = Type.NUMBER, Type.BOOL, Type.STRING
FUNCTIONS: dict[str, Signature] = {
    "min": Signature(1, None, _N, _N),
    "max": Signature(1, None, _N, _N),
    "floor": Signature(1, 1, _N, _N),
    "ceil": Signature(1, 1, _N, _N),
    "round": Signature(1, 1, _N, _N),
    "abs": Signature(1, 1, _N, _N),
    "clamp": Signature(3, 3, _N, _N),
    # has/has_skill take a quoted id, never a computed one: that keeps every item and
    # skill a story tests knowable before it runs (for reference checks, and for the
    # ink/SugarCube exports, which turn each id into a variable name).
    "has": Signature(1, 1, _S, _B, literal_arg=True),
    "has_skill": Signature(1, 1, _S, _B, literal_arg=True),
}


_EXACT = {bool: Type.BOOL, int: Type.NUMBER, float: Type.NUMBER, str: Type.STRING}


def value_type(value: object) -> Type | None:
    """The type of a runtime value. Exact types first (this runs for every node of
    every evaluation); subclasses after, bool before int because bool is an int."""
    found = _EXACT.get(type(value))
    if found is not None:
        return found
    if isinstance(value, bool):
        return Type.BOOL
    if isinstance(value, (int, float)):
        return Type.NUMBER
    if isinstance(value, str):
        return Type.STRING
    return None


def check(expr: Expr, scope: Scope) -> Type:
    """The type of `expr`, or the first problem as ExprError."""
    result, errors = check_all(expr, scope)
    if errors:
        raise errors[0]
    return result


def check_all(expr: Expr, scope: Scope) -> tuple[Type | None, list[ExprError]]:
    """The type (None when it cannot be known) and every problem, in reading order."""
    checker = _Checker(scope)
    result = checker.visit(expr)
    # The walk reports a node's problems after its operands'; sorting (stably) by
    # offset turns that into reading order, innermost first at a shared offset.
    return result, sorted(checker.errors, key=lambda e: e.offset)


def check_effects(effects: Iterable[Effect], scope: Scope) -> list[ExprError]:
    checker = _Checker(scope)
    for effect in effects:
        checker.effect(effect)
    return sorted(checker.errors, key=lambda e: e.offset)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _what(node: Node, side: str) -> str:
    return quoted(node.name) if isinstance(node, Name) else side


class _Checker:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.errors: list[ExprError] = []

    def fail(self, code: str, message: str, node: Node, hint: str = "", length: int = 0) -> None:
        self.errors.append(ExprError(code, message, node.offset, length or node.length, hint))

    def visit(self, node: Expr) -> Type | None:
        if isinstance(node, Number):
            if not abs(node.value) <= NUMBER_LIMIT:
                self.fail(OVERFLOW, "number is too large", node)
            return Type.NUMBER
        if isinstance(node, Bool):
            return Type.BOOL
        if isinstance(node, String):
            return Type.STRING
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        if isinstance(node, Call):
            return self.call(node)
        raise TypeError(f"not an expression node: {node!r}")

    def want(self, node: Node, got: Type | None, want: Type, op: str, side: str) -> None:
        if got is not None and got is not want:
            self.fail(TYPE_MISMATCH, f"'{op}' needs {want.noun}, but {_what(node, side)} "
                      f"is {got.noun}", node)

    def name(self, node: Name) -> Type | None:
        if node.name in self.scope.names:
            return self.scope.names[node.name]
        if node.name in self.scope.unsure or self.scope.unsure_rest:
            self.fail(UNKNOWN_NAME, f"unknown name {quoted(node.name)}", node)
            self.errors[-1].quiet = True
            return None
        hint = suggestion(node.name, self.scope.names)
        if not hint and node.name in FUNCTIONS:
            hint = f"{node.name} is a function: write {node.name}(…)"
        if not hint:
            hint = suggestion(node.name, self.scope.names, listing=True)
        self.fail(UNKNOWN_NAME, f"unknown name {quoted(node.name)}", node, hint)
        return None

    def unary(self, node: Unary) -> Type:
        want = Type.NUMBER if node.op == "-" else Type.BOOL
        self.want(node.operand, self.visit(node.operand), want, node.op, "its operand")
        return want

    def binary(self, node: Binary) -> Type:
        left, right = self.visit(node.left), self.visit(node.right)
        if node.op in ("==", "!="):
            if left is not None and right is not None and left is not right:
                self.fail(TYPE_MISMATCH, f"'{node.op}' compares {left.noun} with {right.noun}", node,
                          "both sides of a comparison must be of the same kind")
            return Type.BOOL
        want = Type.BOOL if node.op in ("and", "or") else Type.NUMBER
        self.want(node.left, left, want, node.op, "the left side")
        self.want(node.right, right, want, node.op, "the right side")
        if node.op in ("/", "//", "%") and isinstance(node.right, Number) and node.right.value == 0:
            self.fail(DIVISION_BY_ZERO, "division by zero", node.right)
        return Type.NUMBER if node.op in ARITHMETIC else Type.BOOL

    def call(self, node: Call) -> Type | None:
        sig = FUNCTIONS.get(node.func)
        # unknown names inside still count; but an id written without quotes
        # (`has_skill(tracking)`, `has(ember-relic)`) is that one slip, not also
        # "unknown name 'tracking': add `tracking: 0` under `variables:`"
        arg_types = [None if sig is not None and sig.literal_arg and _bare_id(arg) else self.visit(arg)
                     for arg in node.args]
        if sig is None:
            self.fail(BAD_CALL, f"unknown function {quoted(node.func)}", node,
                      suggestion(node.func, FUNCTIONS), len(node.func))
            return None
        count = len(node.args)
        if count < sig.min_args or (sig.max_args is not None and count > sig.max_args):
            self.fail(BAD_CALL, f"{node.func}() takes {sig.arity()}, not {count}", node)
        for i, (arg, got) in enumerate(zip(node.args, arg_types), 1):
            self.argument(node.func, sig, i, arg, got)
        return sig.result

    def argument(self, func: str, sig: Signature, i: int, arg: Expr, got: Type | None) -> None:
        if sig.literal_arg and not isinstance(arg, String):
            example = "tracking" if func == "has_skill" else "ember-relic"
            bare = _bare_id(arg)
            self.fail(BAD_CALL, f'{func}() takes a quoted id, like {func}("{example}")', arg,
                      f"Write `{func}('{bare}')`: an id is quoted (in single quotes inside a choice's `if=\"…\"`)."
                      if bare else f"Write the id in quotes: `{func}('{example}')`.")
        elif func == "has" and not is_id(arg.value):
            self.item_id(arg.value, arg)
        elif func == "has_skill" and self.scope.skills is not None and arg.value not in self.scope.skills:
            self.fail(UNKNOWN_SKILL, f"unknown skill {quoted(arg.value)}", arg,
                      suggestion(arg.value, self.scope.skills, "Use a skill id from schemas/skills.yaml, "
                                 "or add the skill there.", listing=True))
        elif got is not None and got is not sig.arg_type:
            self.fail(BAD_CALL, f"{func}() needs {sig.arg_type.noun}, but its {_ordinal(i)} "
                      f"value is {got.noun}", arg)

    # --- effects --------------------------------------------------------------------
    def effect(self, effect: Effect) -> None:
        if isinstance(effect, Assign):
            self.assign(effect)
        elif isinstance(effect, SetFlag):
            # The name is the effect's last token, so it ends where the effect ends.
            at = Name(effect.name, offset=effect.offset + effect.length - len(effect.name),
                      length=len(effect.name))
            target = self.target(at)
            verb = "set" if effect.value else "unset"
            self.want(at, target, Type.BOOL, verb, "the name")
        elif isinstance(effect, (Give, Take)):
            if not is_id(effect.item):
                self.item_id(effect.item, effect)
        else:
            raise TypeError(f"not an effect node: {effect!r}")

    def item_id(self, item: str, node: Node) -> None:
        """HF0614 for an item named other than as an id: a hero's `items:` holds ids only,
        and the ink and Twee exports name each item's variable from its id, so `'a.b'`
        and `'a-b'` (both `item_a_b`), or `''` and `'ä'`, were one item there and two in
        `foundry play`."""
        meant = spell_id(item)
        self.fail(ITEM_ID, f"item {quoted(clip(item, 40))} is not an id", node,
                  "Write it as an id, lowercase letters, digits and hyphens"
                  + (f": '{meant}'." if meant else " (like 'ember-relic')."))

    def assign(self, effect: Assign) -> None:
        at = Name(effect.target, offset=effect.offset, length=len(effect.target))
        target = self.target(at)
        value = self.visit(effect.value)
        if effect.op != "=":
            self.want(at, target, Type.NUMBER, effect.op, "the name")
            self.want(effect.value, value, Type.NUMBER, effect.op, "the value")
        elif target is not None and value is not None and target is not value:
            self.fail(TYPE_MISMATCH, f"{quoted(effect.target)} holds {target.noun}, "
                      f"but the new value is {value.noun}", effect.value)

    def target(self, at: Name) -> Type | None:
        """The type of a name an effect changes; None (and an error) if it may not."""
        if at.name in self.scope.writable:
            return self.scope.names.get(at.name)
        if at.name in self.scope.names:
            self.fail(READ_ONLY, f"{quoted(at.name)} cannot be changed by an effect", at)
        elif at.name in self.scope.unsure or self.scope.unsure_rest:
            # a name lost to an error reported where it was written (a story variable
            # refused, as `name` reads it): refused without a word
            self.fail(UNKNOWN_NAME, f"unknown name {quoted(at.name)}", at)
            self.errors[-1].quiet = True
        else:
            self.fail(UNKNOWN_NAME, f"unknown name {quoted(at.name)}", at,
                      suggestion(at.name, self.scope.writable))
        return None


def _bare_id(node: Expr) -> str:
    """The id an argument written without quotes spells (`tracking`, `ember-relic`,
    which the parser reads as `ember - relic`), or "" when it is anything else."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Binary) and node.op == "-":
        left, right = _bare_id(node.left), _bare_id(node.right)
        if left and right:
            return f"{left}-{right}".replace("_", "-")
    return ""
