"""The expression tree in the JSON contract's form (since contract 2.0.0), and its schema.

Every node is `{"type": KIND, KIND: {…the kind's fields…}}`: `type` says which kind it
is, and the kind's fields sit in an object under the key of the same name:

    {"type": "binary", "binary": {"op": "ge", "left": {"type": "name", "name": {"name": "gold"}},
                                  "right": {"type": "number", "number": {"value": 5}}}}

Why this shape and not the flat `{"type": "binary", "op": …, "left": …}` of contract 1:
typed-loader generators (quicktype, the common one) merge every object type of a union
into one class — quicktype's UnionBuilder keeps at most one object member per union — so
a flat union on `type` became one `ExprNode` with every field of every kind optional and
`value` a union of four types. Under one key per kind, the node is a single object whose
optional fields each have their own class, and every language gets one named type per
node kind (`BinaryNode`, `AssignNode`, …) and nothing merged.

Operators are words (`"ge"`, `"add"`, `"and"`), not the symbols of the language: a
generator names an enum's members after the values, and `>=` has no letters to name a
member with (quicktype made `Purple`, `Fluffy`, `The1`…, different in each language).
OPERATOR_WORDS is the mapping, and docs/json-api.md prints it.

The browser player reads its own, flat form (pipeline.expr.to_json), and ink and Twee
are written from the tree itself: nothing but this JSON contract depends on this form.
"""

from __future__ import annotations

import re
from typing import Any

from ...expr import KEYWORDS, NUMBER_LIMIT
from ...expr.nodes import (ASSIGN_OPS, BINARY_OPS, UNARY_OPS, Assign, Binary, Bool, Call, Give, Name,
                           Node, Number, SetFlag, String, Take, Unary)

# Each operator's word, per kind of node (`-` is `neg` alone, `sub` between two values;
# `+=` is an assignment's `add`). Names after Python's `operator` module where it has one.
BINARY_WORDS = {"or": "or", "and": "and", "==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt",
                ">=": "ge", "+": "add", "-": "sub", "*": "mul", "/": "div", "//": "floor_div", "%": "mod"}
UNARY_WORDS = {"-": "neg", "not": "not"}
ASSIGN_WORDS = {"=": "assign", "+=": "add", "-=": "sub"}
OPERATOR_WORDS = {"binary": BINARY_WORDS, "unary": UNARY_WORDS, "assign": ASSIGN_WORDS}
assert set(BINARY_WORDS) == BINARY_OPS and set(UNARY_WORDS) == UNARY_OPS and set(ASSIGN_WORDS) == ASSIGN_OPS
_SYMBOLS = {kind: {word: op for op, word in words.items()} for kind, words in OPERATOR_WORDS.items()}

_NAME_PATTERN = "^[a-z_][a-z0-9_]*$"


def to_json(node: Node) -> dict:
    """The contract's JSON for one node (expression or effect); TypeError for anything else."""
    kind, fields = _fields(node)
    return {"type": kind, kind: fields}


def _fields(node: Node) -> tuple[str, dict]:
    if isinstance(node, (Number, Bool, String)):
        return {Number: "number", Bool: "bool", String: "string"}[type(node)], {"value": node.value}
    if isinstance(node, Name):
        return "name", {"name": node.name}
    if isinstance(node, Unary):
        return "unary", {"op": UNARY_WORDS[node.op], "operand": to_json(node.operand)}
    if isinstance(node, Binary):
        return "binary", {"op": BINARY_WORDS[node.op], "left": to_json(node.left), "right": to_json(node.right)}
    if isinstance(node, Call):
        return "call", {"func": node.func, "args": [to_json(a) for a in node.args]}
    if isinstance(node, Assign):
        return "assign", {"target": node.target, "op": ASSIGN_WORDS[node.op], "value": to_json(node.value)}
    if isinstance(node, SetFlag):
        return "set", {"name": node.name, "value": node.value}
    if isinstance(node, (Give, Take)):
        return ("give" if isinstance(node, Give) else "take"), {"item": node.item}
    raise TypeError(f"not a syntax node: {node!r}")


def from_json(data: Any) -> Node:
    """The node a contract JSON object describes; ValueError if it is not well formed
    (what an engine's writer sends back is read with this in the tests)."""
    if not isinstance(data, dict) or data.get("type") not in _READERS:
        raise ValueError(f"not an expression AST node: {str(data)[:60]}")
    kind = data["type"]
    fields = data.get(kind)
    if set(data) != {"type", kind} or not isinstance(fields, dict) or set(fields) != set(_FIELDS[kind]):
        raise ValueError(f"a {kind} node is {{\"type\": \"{kind}\", \"{kind}\": {{{', '.join(_FIELDS[kind])}}}}}")
    return _READERS[kind](kind, fields)


def _get(kind: str, data: dict, key: str, types: type | tuple, allowed: Any = None) -> Any:
    value = data[key]
    if isinstance(value, bool) and types is not bool or not isinstance(value, types):
        raise ValueError(f"field {key!r} of a {kind} node has the wrong type")
    if allowed is not None and value not in allowed:
        raise ValueError(f"field {key!r} of a {kind} node cannot be {str(value)[:60]!r}")
    return value


def _name(kind: str, data: dict, key: str) -> str:
    value = _get(kind, data, key, str)
    if not re.match(_NAME_PATTERN, value) or value in KEYWORDS:
        raise ValueError(f"{value[:60]!r} is not a valid name")
    return value


def _op(kind: str, data: dict) -> str:
    return _SYMBOLS[kind][_get(kind, data, "op", str, _SYMBOLS[kind])]


_FIELDS = {
    "number": ("value",), "bool": ("value",), "string": ("value",), "name": ("name",),
    "unary": ("op", "operand"), "binary": ("op", "left", "right"), "call": ("func", "args"),
    "assign": ("target", "op", "value"), "set": ("name", "value"), "give": ("item",), "take": ("item",),
}
_READERS = {
    "number": lambda k, d: Number(_get(k, d, "value", (int, float))),
    "bool": lambda k, d: Bool(_get(k, d, "value", bool)),
    "string": lambda k, d: String(_get(k, d, "value", str)),
    "name": lambda k, d: Name(_name(k, d, "name")),
    "unary": lambda k, d: Unary(_op(k, d), from_json(d["operand"])),
    "binary": lambda k, d: Binary(_op(k, d), from_json(d["left"]), from_json(d["right"])),
    "call": lambda k, d: Call(_name(k, d, "func"), tuple(from_json(a) for a in _get(k, d, "args", list))),
    "assign": lambda k, d: Assign(_name(k, d, "target"), _op(k, d), from_json(d["value"])),
    "set": lambda k, d: SetFlag(_name(k, d, "name"), _get(k, d, "value", bool)),
    "give": lambda k, d: Give(_get(k, d, "item", str)),
    "take": lambda k, d: Take(_get(k, d, "item", str)),
}


# --- the schema ------------------------------------------------------------------------------

_NAME = {"type": "string", "pattern": _NAME_PATTERN, "not": {"enum": sorted(KEYWORDS)}}
# Operands refer to the whole union, expressions and effects alike: one `ExprNode` type
# in every generated loader rather than two near-copies. Our exporter only ever writes
# expressions there; `from_json` checks that, the schema does not.
_EXPR = {"$ref": "#/$defs/ExprNode"}
_KINDS = {  # kind → (title, description, fields): the order of `ExprNodeType`'s members
    "number": ("NumberNode", "A number.",
               {"value": {"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}}),
    "bool": ("BoolNode", "true or false.", {"value": {"type": "boolean"}}),
    "string": ("StringNode", "A text value.", {"value": {"type": "string"}}),
    "name": ("NameNode", "A story variable, hero value or skill, by name.", {"name": _NAME}),
    "unary": ("UnaryNode", "`-x` or `not x`.", {"op": {"$ref": "#/$defs/UnaryOperator"}, "operand": _EXPR}),
    "binary": ("BinaryNode", "`left op right`.",
               {"op": {"$ref": "#/$defs/BinaryOperator"}, "left": _EXPR, "right": _EXPR}),
    "call": ("CallNode", "A function call such as `has(\"lantern\")`.",
             {"func": _NAME, "args": {"type": "array", "items": _EXPR}}),
    "assign": ("AssignNode", "`target op value`, e.g. `gold -= 2`.",
               {"target": _NAME, "op": {"$ref": "#/$defs/AssignOperator"}, "value": _EXPR}),
    "set": ("SetNode", "`set flag` (value true) or `unset flag` (false).",
            {"name": _NAME, "value": {"type": "boolean"}}),
    "give": ("GiveNode", "`give \"item\"`.", {"item": {"type": "string"}}),
    "take": ("TakeNode", "`take \"item\"`.", {"item": {"type": "string"}}),
}
assert set(_KINDS) == set(_FIELDS) and all(tuple(f) == _FIELDS[k] for k, (_, _, f) in _KINDS.items())


def _case(kind: str, title: str) -> dict:
    """One case of the union: `type` and the one key that holds the kind's fields."""
    return {"type": "object", "additionalProperties": False, "required": ["type", kind],
            # one title on every `type`, so generators name the enum of kinds `ExprNodeType`
            "properties": {"type": {"title": "ExprNodeType", "const": kind}, kind: {"$ref": f"#/$defs/{title}"}}}


def _kind(title: str, description: str, fields: dict) -> dict:
    return {"title": title, "description": description, "type": "object", "additionalProperties": False,
            "required": list(fields), "properties": fields}


def _operators(title: str, description: str, words: dict) -> dict:
    return {"title": title, "description": description, "type": "string", "enum": list(words.values())}


# The definitions, by title. File schemas bundle them under their own `$defs`, so every
# `$ref` stays inside one file and any validator or generator works offline.
AST_DEFS: dict = {
    "ExprNode": {"title": "ExprNode",
                 "description": "An expression (condition or formula) or one effect: `type` names the kind "
                 "of node, and the key of the same name holds its fields.",
                 "oneOf": [_case(kind, title) for kind, (title, _, _) in _KINDS.items()]},
    **{title: _kind(title, description, fields) for title, description, fields in _KINDS.values()},
    "UnaryOperator": _operators("UnaryOperator", "The operator of a unary node.", UNARY_WORDS),
    "BinaryOperator": _operators("BinaryOperator", "The operator of a binary node.", BINARY_WORDS),
    "AssignOperator": _operators("AssignOperator", "The operator of an assignment.", ASSIGN_WORDS),
}
