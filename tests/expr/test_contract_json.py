"""The expression tree in the JSON API's form (contract 2.0.0): each kind's fields under
a key of its own, operators as words. Random trees survive real JSON, validate against
the published schema and read back the same."""

import json
import re

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.exporters.json_api.expr_json import OPERATOR_WORDS, from_json, to_json
from pipeline.exporters.json_api.schemas import all_schemas
from pipeline.expr import parse_effects, parse_expression
from pipeline.expr.nodes import ASSIGN_OPS, BINARY_OPS, UNARY_OPS

from .strategies import effects, expressions

SCHEMA = all_schemas()["expr.schema.json"]
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
NAME = {"type": "name", "name": {"name": "gold"}}
ONE = {"type": "number", "number": {"value": 1}}


def test_the_documented_example():
    assert to_json(parse_expression('gold >= 5 and has("ember-relic")')) == {
        "type": "binary", "binary": {
            "op": "and",
            "left": {"type": "binary", "binary": {"op": "ge", "left": NAME,
                                                  "right": {"type": "number", "number": {"value": 5}}}},
            "right": {"type": "call", "call": {"func": "has", "args": [
                {"type": "string", "string": {"value": "ember-relic"}}]}},
        }}
    assert [to_json(e) for e in parse_effects('gold += 1; unset met; take "rope"')] == [
        {"type": "assign", "assign": {"target": "gold", "op": "add", "value": ONE}},
        {"type": "set", "set": {"name": "met", "value": False}},
        {"type": "take", "take": {"item": "rope"}},
    ]
    assert to_json(parse_expression("-gold // 2 % 3")) == {"type": "binary", "binary": {
        "op": "mod", "right": {"type": "number", "number": {"value": 3}},
        "left": {"type": "binary", "binary": {
            "op": "floor_div", "right": {"type": "number", "number": {"value": 2}},
            "left": {"type": "unary", "unary": {"op": "neg", "operand": NAME}}}}}}


def test_every_operator_has_one_word_made_of_letters():
    for kind, ops in (("binary", BINARY_OPS), ("unary", UNARY_OPS), ("assign", ASSIGN_OPS)):
        words = OPERATOR_WORDS[kind]
        assert set(words) == ops
        assert len(set(words.values())) == len(words)
        assert all(word.replace("_", "").isalpha() and word.islower() for word in words.values())
        assert SCHEMA["$defs"][f"{kind.title()}Operator"]["enum"] == list(words.values())


@pytest.mark.parametrize("data", [
    {"type": "bogus", "bogus": {}},
    [],
    {"type": "name", "name": "gold"},                                     # contract 1's flat form
    {"type": "name", "name": {"name": "gold"}, "number": {"value": 1}},  # two kinds' keys
    {"type": "name", "number": {"value": 1}},
    {"type": "name", "name": {"name": "gold", "extra": 1}},
    {"type": "name", "name": {"name": "Gold"}},
    {"type": "name", "name": {"name": "not"}},
    {"type": "number", "number": {"value": True}},
    {"type": "bool", "bool": {"value": 1}},
    {"type": "binary", "binary": {"op": ">=", "left": NAME, "right": ONE}},  # symbols are not the contract's
    {"type": "binary", "binary": {"op": "neg", "left": NAME, "right": ONE}},
    {"type": "unary", "unary": {"op": "-", "operand": NAME}},
    {"type": "assign", "assign": {"target": "gold", "op": "+=", "value": ONE}},
    {"type": "call", "call": {"func": "min", "args": ONE}},
])
def test_malformed_nodes_are_refused_by_reader_and_schema(data):
    with pytest.raises(ValueError):
        from_json(data)
    assert not VALIDATOR.is_valid(data)


@settings(max_examples=200, deadline=None)
@given(st.one_of(expressions, effects.filter(bool).map(lambda e: e[0])))
def test_json_round_trip_and_schema(node):
    data = json.loads(json.dumps(to_json(node)))  # survives real JSON, not just dicts
    VALIDATOR.validate(data)
    assert from_json(data) == node


def test_the_docs_table_is_the_mapping():
    """docs/json-api.md's operator table lists every operator with the word we write."""
    from support import REPO
    text = (REPO / "docs" / "json-api.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([^`]+)` \| (binary|unary|assign) \| `(\w+)` \|", text, re.M)
    # `-x` → `-`, `not x` → `not`, `x += …` → `+=`
    documented = {(kind, written.removeprefix("x ").removesuffix(" …").removesuffix(" x").removesuffix("x"), word)
                  for written, kind, word in rows}
    assert documented == {(kind, op, word) for kind, words in OPERATOR_WORDS.items() for op, word in words.items()}
