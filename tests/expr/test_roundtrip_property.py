"""Properties over random trees and random text."""

import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.expr import (AST_JSON_SCHEMA, ExprError, Scope, Type, check, check_all,
                           evaluate, from_json, parse_effects, parse_expression, to_json,
                           to_source)
from pipeline.expr.types import value_type

from .strategies import (BOOL_VARS, NUMBER_VARS, STRING_VARS, effects, environments, expressions,
                         typed_bools, typed_numbers)

FAST = settings(max_examples=200, deadline=None)
VALIDATOR = jsonschema.Draft202012Validator(AST_JSON_SCHEMA)


@pytest.mark.parametrize("data", [
    {"type": "bogus"},
    [],
    {"type": "name", "name": "x", "extra": 1},
    {"type": "name", "name": "Gold"},
    {"type": "name", "name": "not"},
    {"type": "number", "value": True},
    {"type": "number", "value": "1"},
    {"type": "bool", "value": 1},
    {"type": "binary", "op": "**", "left": {"type": "number", "value": 1},
     "right": {"type": "number", "value": 1}},
    {"type": "unary", "op": "-", "operand": {"type": "nope"}},
    {"type": "call", "func": "min", "args": {"type": "number", "value": 1}},
    {"type": "assign", "target": "gold", "op": "*=", "value": {"type": "number", "value": 1}},
])
def test_from_json_refuses_malformed_nodes(data):
    with pytest.raises(ValueError):
        from_json(data)
    assert not VALIDATOR.is_valid(data)


def test_json_shape_example():
    assert to_json(parse_expression("gold >= 5 and has(\"ember-relic\")")) == {
        "type": "binary", "op": "and",
        "left": {"type": "binary", "op": ">=", "left": {"type": "name", "name": "gold"},
                 "right": {"type": "number", "value": 5}},
        "right": {"type": "call", "func": "has",
                  "args": [{"type": "string", "value": "ember-relic"}]},
    }
    assert [to_json(e) for e in parse_effects('gold += 1; unset met; take "rope"')] == [
        {"type": "assign", "target": "gold", "op": "+=", "value": {"type": "number", "value": 1}},
        {"type": "set", "name": "met", "value": False},
        {"type": "take", "item": "rope"},
    ]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(AST_JSON_SCHEMA)
    assert not VALIDATOR.is_valid({"type": "binary", "op": "**", "left": {}, "right": {}})
    assert not VALIDATOR.is_valid({"type": "name", "name": "and"})
    assert not VALIDATOR.is_valid({"type": "number", "value": 2**53 + 1})


@FAST
@given(expressions)
def test_printed_expressions_read_back_the_same(expr):
    assert parse_expression(to_source(expr)) == expr


@FAST
@given(effects)
def test_printed_effects_read_back_the_same(items):
    assert parse_effects(to_source(items)) == items


@FAST
@given(st.one_of(expressions, effects.filter(bool).map(lambda e: e[0])))
def test_json_round_trip_and_schema(node):
    data = json.loads(json.dumps(to_json(node)))  # survives real JSON, not just dicts
    VALIDATOR.validate(data)
    assert from_json(data) == node


TOKENS = ["a", "gold", "has", "min", "(", ")", ",", ";", "+", "-", "*", "/", "//", "%", "==",
          "!=", "<", "<=", ">", ">=", "=", "+=", "-=", "and", "or", "not", "true", "false",
          "set", "unset", "give", "take", "1", "2.5", "9007199254740993", '"x"', '"', "\\",
          " ", "!", "&&", "A", "é", "."]
token_text = st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)
spaced_token_text = st.lists(st.sampled_from(TOKENS), max_size=30).map(" ".join)


@FAST
@given(st.one_of(st.text(max_size=80), token_text, spaced_token_text))
def test_random_text_only_ever_raises_expr_error(text):
    for parse in (parse_expression, parse_effects):
        try:
            parse(text)
        except ExprError as err:
            # HF0609: random text may hold a sign a keyboard typed for one of ours (÷, ≥, “).
            assert err.code in ("HF0601", "HF0606", "HF0609")
            assert 0 <= err.offset <= len(text) and err.length >= 1


SCOPE = Scope({**{n: Type.NUMBER for n in NUMBER_VARS}, **{b: Type.BOOL for b in BOOL_VARS},
               **{s: Type.STRING for s in STRING_VARS}})


@FAST
@given(expressions, environments)
def test_random_trees_never_crash_the_checker_or_evaluator(expr, env):
    check_all(expr, SCOPE)
    try:
        evaluate(expr, env, frozenset({"relic"}))
    except ExprError:
        pass


@FAST
@given(st.one_of(typed_numbers, typed_bools), environments)
def test_checked_trees_fail_only_for_arithmetic_reasons(expr, env):
    """Soundness: once `check` accepts a tree, running it can only divide by zero or
    overflow, and its value has the type `check` promised."""
    try:
        promised = check(expr, SCOPE)
    except ExprError as err:  # the one problem the checker may find in a typed tree
        assert err.code == "HF0605"  # dividing by a literal 0
        return
    try:
        value = evaluate(expr, env, frozenset({"relic"}), frozenset())
    except ExprError as err:
        assert err.code in ("HF0605", "HF0606"), err
    else:
        assert value_type(value) is promised
