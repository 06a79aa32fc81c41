"""The tree as plain JSON for the browser player, and the JSON Schema that describes it.

Every node is an object with a fixed `"type"` and fixed field names, operators as they
are written (`>=`, `+=`); source offsets are left out. The story pages' player
(themes/default/static/expr.js) reads this form. The JSON API for engines publishes a
different form of the same tree, shaped for typed-loader generators
(pipeline/exporters/json_api/expr_json.py): neither depends on the other.
"""

from __future__ import annotations

import re
from typing import Any

from .nodes import (ASSIGN_OPS, BINARY_OPS, UNARY_OPS, Assign, Binary, Bool, Call, Give, Name,
                    Node, Number, SetFlag, String, Take, Unary)
from .tokens import KEYWORDS, NUMBER_LIMIT

_NAME_PATTERN = "^[a-z_][a-z0-9_]*$"


def to_json(node: Node) -> dict:
    if isinstance(node, (Number, Bool, String)):
        kind = {Number: "number", Bool: "bool", String: "string"}[type(node)]
        return {"type": kind, "value": node.value}
    if isinstance(node, Name):
        return {"type": "name", "name": node.name}
    if isinstance(node, Unary):
        return {"type": "unary", "op": node.op, "operand": to_json(node.operand)}
    if isinstance(node, Binary):
        return {"type": "binary", "op": node.op, "left": to_json(node.left),
                "right": to_json(node.right)}
    if isinstance(node, Call):
        return {"type": "call", "func": node.func, "args": [to_json(a) for a in node.args]}
    if isinstance(node, Assign):
        return {"type": "assign", "target": node.target, "op": node.op,
                "value": to_json(node.value)}
    if isinstance(node, SetFlag):
        return {"type": "set", "name": node.name, "value": node.value}
    if isinstance(node, (Give, Take)):
        return {"type": "give" if isinstance(node, Give) else "take", "item": node.item}
    raise TypeError(f"not a syntax node: {node!r}")


def from_json(data: Any) -> Node:
    """The node a `to_json` object describes; ValueError if it is not well formed."""
    if not isinstance(data, dict) or data.get("type") not in _READERS:
        raise ValueError(f"not an expression AST node: {str(data)[:60]}")
    fields = _FIELDS[data["type"]]
    if set(data) != {"type", *fields}:
        raise ValueError(f"a {data['type']} node has exactly the fields {sorted(fields)}")
    return _READERS[data["type"]](data)


def _get(data: dict, key: str, kind: type | tuple, allowed: Any = None) -> Any:
    value = data[key]
    if isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise ValueError(f"field {key!r} of a {data['type']} node has the wrong type")
    if allowed is not None and value not in allowed:
        raise ValueError(f"field {key!r} of a {data['type']} node cannot be {value!r}")
    return value


def _name(data: dict, key: str) -> str:
    value = _get(data, key, str)
    if not re.match(_NAME_PATTERN, value) or value in KEYWORDS:
        raise ValueError(f"{value[:60]!r} is not a valid name")
    return value


_FIELDS = {
    "number": ("value",), "bool": ("value",), "string": ("value",), "name": ("name",),
    "unary": ("op", "operand"), "binary": ("op", "left", "right"), "call": ("func", "args"),
    "assign": ("target", "op", "value"), "set": ("name", "value"), "give": ("item",),
    "take": ("item",),
}
_READERS = {
    "number": lambda d: Number(_get(d, "value", (int, float))),
    "bool": lambda d: Bool(_get(d, "value", bool)),
    "string": lambda d: String(_get(d, "value", str)),
    "name": lambda d: Name(_name(d, "name")),
    "unary": lambda d: Unary(_get(d, "op", str, UNARY_OPS), from_json(d["operand"])),
    "binary": lambda d: Binary(_get(d, "op", str, BINARY_OPS), from_json(d["left"]),
                               from_json(d["right"])),
    "call": lambda d: Call(_name(d, "func"), tuple(from_json(a) for a in _get(d, "args", list))),
    "assign": lambda d: Assign(_name(d, "target"), _get(d, "op", str, ASSIGN_OPS),
                               from_json(d["value"])),
    "set": lambda d: SetFlag(_name(d, "name"), _get(d, "value", bool)),
    "give": lambda d: Give(_get(d, "item", str)),
    "take": lambda d: Take(_get(d, "item", str)),
}


def _node(kind: str, title: str, description: str, **properties: dict) -> dict:
    return {"title": title, "description": description, "type": "object", "additionalProperties": False,
            "required": ["type", *properties],
            "properties": {"type": {"title": "ExprNodeType", "const": kind}, **properties}}


def _operators(title: str, description: str, ops: frozenset) -> dict:
    return {"title": title, "description": description, "type": "string", "enum": sorted(ops)}


_NAME = {"type": "string", "pattern": _NAME_PATTERN, "not": {"enum": sorted(KEYWORDS)}}
# Operands refer to the whole union; `from_json` checks that they are expressions.
_EXPR = {"$ref": "#/$defs/ExprNode"}
_EXPR_KINDS = ("NumberNode", "BoolNode", "StringNode", "NameNode", "UnaryNode", "BinaryNode", "CallNode")
_EFFECT_KINDS = ("AssignNode", "SetNode", "GiveNode", "TakeNode")

# The definitions, by title.
AST_DEFS: dict = {
    "ExprNode": {"title": "ExprNode", "description": "An expression (condition or formula) or one effect; "
                 "`type` says which kind of node it is.",
                 "oneOf": [{"$ref": f"#/$defs/{k}"} for k in _EXPR_KINDS + _EFFECT_KINDS]},
    "NumberNode": _node("number", "NumberNode", "A number.",
                        value={"type": "number", "minimum": -NUMBER_LIMIT, "maximum": NUMBER_LIMIT}),
    "BoolNode": _node("bool", "BoolNode", "true or false.", value={"type": "boolean"}),
    "StringNode": _node("string", "StringNode", "A text value.", value={"type": "string"}),
    "NameNode": _node("name", "NameNode", "A story variable, hero value or skill, by name.", name=_NAME),
    "UnaryNode": _node("unary", "UnaryNode", "`-x` or `not x`.",
                       op={"$ref": "#/$defs/UnaryOperator"}, operand=_EXPR),
    "BinaryNode": _node("binary", "BinaryNode", "`left op right`.",
                        op={"$ref": "#/$defs/BinaryOperator"}, left=_EXPR, right=_EXPR),
    "CallNode": _node("call", "CallNode", "A function call such as `has(\"lantern\")`.",
                      func=_NAME, args={"type": "array", "items": _EXPR}),
    "AssignNode": _node("assign", "AssignNode", "`target op value`, e.g. `gold -= 2`.",
                        target=_NAME, op={"$ref": "#/$defs/AssignOperator"}, value=_EXPR),
    "SetNode": _node("set", "SetNode", "`set flag` or `unset flag`.", name=_NAME, value={"type": "boolean"}),
    "GiveNode": _node("give", "GiveNode", "`give \"item\"`.", item={"type": "string"}),
    "TakeNode": _node("take", "TakeNode", "`take \"item\"`.", item={"type": "string"}),
    "UnaryOperator": _operators("UnaryOperator", "The operator of a unary node.", UNARY_OPS),
    "BinaryOperator": _operators("BinaryOperator", "The operator of a binary node.", BINARY_OPS),
    "AssignOperator": _operators("AssignOperator", "The operator of an assignment.", ASSIGN_OPS),
}

AST_JSON_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ExprNode",
    "description": "An expression (condition or formula) or one effect, as the story player reads it.",
    "$ref": "#/$defs/ExprNode",
    "$defs": AST_DEFS,
}
