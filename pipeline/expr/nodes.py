"""The syntax tree of expressions and effects.

Nodes are frozen dataclasses. `offset`/`length` say where a node came from in the
source text; they are left out of equality so that a tree compares equal to the
same tree re-read from printed text (the round-trip property the tests rely on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Union


@dataclass(frozen=True)
class Node:
    offset: int = field(default=0, compare=False, repr=False, kw_only=True)
    length: int = field(default=0, compare=False, repr=False, kw_only=True)

    # A node keeps its own compiled form (evaluate.compiled) once made, under `_run`,
    # and a formula its answers by the values it reads (evaluate.evaluate_each), under
    # `_answers`: not fields, so equality, hashing and dataclasses.replace never see
    # them, and left out when a node is pickled (a closure cannot be; a worker compiles
    # again, and finds answers again).
    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k not in ("_run", "_answers")}


@dataclass(frozen=True)
class Number(Node):
    value: int | float


@dataclass(frozen=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-" or "not"
    operand: "Expr"


@dataclass(frozen=True)
class Binary(Node):
    op: str  # one of BINARY_OPS
    left: "Expr"
    right: "Expr"


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple["Expr", ...]


@dataclass(frozen=True)
class Assign(Node):
    target: str
    op: str  # "=", "+=" or "-="
    value: "Expr"


@dataclass(frozen=True)
class SetFlag(Node):
    name: str
    value: bool  # True for `set name`, False for `unset name`


@dataclass(frozen=True)
class Give(Node):
    item: str


@dataclass(frozen=True)
class Take(Node):
    item: str


Expr = Union[Number, Bool, String, Name, Unary, Binary, Call]
Effect = Union[Assign, SetFlag, Give, Take]
EXPR_TYPES = (Number, Bool, String, Name, Unary, Binary, Call)
EFFECT_TYPES = (Assign, SetFlag, Give, Take)

# Binding strength, loosest first. Shared by the parser and every printer so that
# they can never disagree about where parentheses are needed.
OR, AND, NOT, COMPARE, ADD, MULTIPLY, NEGATE, ATOM = range(1, 9)
PRECEDENCE = {
    "or": OR, "and": AND,
    "==": COMPARE, "!=": COMPARE, "<": COMPARE, "<=": COMPARE, ">": COMPARE, ">=": COMPARE,
    "+": ADD, "-": ADD,
    "*": MULTIPLY, "/": MULTIPLY, "//": MULTIPLY, "%": MULTIPLY,
}
BINARY_OPS = frozenset(PRECEDENCE)
COMPARISONS = frozenset(op for op, level in PRECEDENCE.items() if level == COMPARE)
ARITHMETIC = frozenset(("+", "-", "*", "/", "//", "%"))
UNARY_OPS = frozenset(("-", "not"))
ASSIGN_OPS = frozenset(("=", "+=", "-="))


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Assign):
        return (node.value,)
    return ()


def walk(root: Node | Iterable[Node]) -> Iterator[Node]:
    """Every node of an expression, an effect or a list of effects, parents first.
    Iterative, so that no tree is too deep to walk."""
    stack = list(reversed(tuple(root))) if not isinstance(root, Node) else [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def names_used(root: Node | Iterable[Node]) -> set[str]:
    """Every variable name read or changed (for effects: targets and flags too)."""
    names: set[str] = set()
    for node in walk(root):
        if isinstance(node, Name):
            names.add(node.name)
        elif isinstance(node, Assign):
            names.add(node.target)
        elif isinstance(node, SetFlag):
            names.add(node.name)
    return names


def names_written(effects: Iterable[Node]) -> set[str]:
    """The variables a list of effects changes."""
    return {e.target if isinstance(e, Assign) else e.name
            for e in effects if isinstance(e, (Assign, SetFlag))}


def _literal_args(root: Node | Iterable[Node], func: str) -> set[str]:
    return {arg.value for node in walk(root) if isinstance(node, Call) and node.func == func
            for arg in node.args if isinstance(arg, String)}


def items_used(root: Node | Iterable[Node]) -> set[str]:
    """Items tested with has("…") or moved with give/take."""
    moved = {n.item for n in walk(root) if isinstance(n, (Give, Take))}
    return _literal_args(root, "has") | moved


def skills_used(root: Node | Iterable[Node]) -> set[str]:
    """Skills tested with has_skill("…")."""
    return _literal_args(root, "has_skill")
