"""The browser's evaluator (themes/default/static/expr.js) against pipeline/expr:
random expressions and effects, run both ways in the same Chromium that plays the
stories; the value (with its Python kind: int or float) or the error code must agree."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from expr.strategies import effects, environments, expressions, typed_bools, typed_numbers
from pipeline import expr
from pipeline.expr import Binary, Call, Name, Number
from pipeline.expr.types import value_type

# Arithmetic where Python and JavaScript part ways: exact and inexact division, floor
# division and modulo of negatives, ints that are floats, rounding halves.
SMALL = st.one_of(st.integers(-12, 12), st.integers(-12, 12), st.integers(-48, 48).map(lambda k: k / 4))
LEAF = st.one_of(st.sampled_from([Name("a"), Name("b")]), st.integers(0, 12).map(Number),
                 st.integers(0, 24).map(lambda k: Number(k / 4)))
OPS = st.sampled_from(["+", "-", "*", "/", "//", "%"])
BINARY = st.tuples(OPS, LEAF, LEAF).map(lambda t: Binary(*t))
ARITH = st.one_of(
    BINARY,
    st.tuples(OPS, BINARY, LEAF).map(lambda t: Binary(*t)),
    st.tuples(OPS, LEAF, BINARY).map(lambda t: Binary(*t)),
    st.tuples(st.sampled_from(["round", "floor", "ceil", "abs"]), BINARY).map(lambda t: Call(t[0], (t[1],))),
    st.tuples(st.sampled_from(["min", "max"]), BINARY, LEAF).map(lambda t: Call(t[0], (t[1], t[2]))),
    st.tuples(BINARY, LEAF, LEAF).map(lambda t: Call("clamp", t)))
ENVIRONMENTS = st.tuples(environments, SMALL, SMALL).map(lambda t: {**t[0], "a": t[1], "b": t[2]})

ITEMS = st.lists(st.sampled_from(["relic", "key", "ember-relic"]), max_size=2)
SKILLS = st.lists(st.sampled_from(["stealth", "tracking"]), max_size=1)
TREES = st.one_of(expressions, typed_numbers, typed_bools, ARITH, ARITH)
CASES = st.lists(st.tuples(TREES, ENVIRONMENTS, ITEMS, SKILLS), min_size=50, max_size=50)
EFFECT_CASES = st.lists(st.tuples(effects, environments, ITEMS, SKILLS), min_size=40, max_size=40)

RUN_JS = """payload => {
  const X = window.FoundryExpr;
  const out = [];
  for (const c of X.parseData(payload)) {
    try {
      if (c.effects) {
        const env = new Map(Object.entries(c.env)), items = new Set(c.items);
        X.applyEffects(c.effects, env, items, new Set(c.skills));
        out.push(["ok", Object.fromEntries([...env].sort().map(([k, v]) => [k, X.toJSONText(v)])), [...items].sort()]);
      } else {
        const v = X.evaluate(c.ast, new Map(Object.entries(c.env)), new Set(c.items), new Set(c.skills));
        out.push(["value", X.typeOf(v), typeof v === "string" ? v : X.toJSONText(v)]);
      }
    } catch (e) {
      if (!(e instanceof X.ExprError)) throw e;
      out.push(["error", e.code]);
    }
  }
  return out;
}"""


def python_value(ast, env, items, skills) -> list:
    try:
        value = expr.evaluate(ast, env, frozenset(items), frozenset(skills))
    except expr.ExprError as err:
        return ["error", err.code]
    return ["value", value_type(value).value, value if isinstance(value, str) else json.dumps(value)]


def python_effects(tree, env, items, skills) -> list:
    env, items = dict(env), set(items)
    try:
        expr.apply_effects(tree, env, items, frozenset(skills))
    except expr.ExprError as err:
        return ["error", err.code]
    return ["ok", {k: json.dumps(v, ensure_ascii=False) for k, v in sorted(env.items())}, sorted(items)]


@pytest.fixture(scope="module")
def evaluator_page(browser, served):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(served + "site/stories/the-sunken-keep.html")
    yield tab
    context.close()


# No shrinking: a batch runs in the browser at each step, and the failing expression is
# named in the assertion anyway.
SETTINGS = settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(CASES)
def test_expressions_evaluate_alike(evaluator_page, cases):
    payload = [{"ast": expr.to_json(t), "env": env, "items": items, "skills": skills} for t, env, items, skills in cases]
    browser_results = evaluator_page.evaluate(RUN_JS, json.dumps(payload))
    for (tree, env, items, skills), got in zip(cases, browser_results):
        assert got == python_value(tree, env, items, skills), expr.to_source(tree)


@SETTINGS
@given(EFFECT_CASES)
def test_effects_apply_alike(evaluator_page, cases):
    payload = [{"effects": [expr.to_json(e) for e in tree], "env": env, "items": items, "skills": skills}
               for tree, env, items, skills in cases]
    browser_results = evaluator_page.evaluate(RUN_JS, json.dumps(payload))
    for (tree, env, items, skills), got in zip(cases, browser_results):
        if got[0] == "ok":
            got = ["ok", got[1], sorted(got[2])]   # by code point, as Python sorts (JS sorts UTF-16 units)
        assert got == python_effects(tree, env, items, skills), [expr.to_source(e) for e in tree]


@pytest.mark.parametrize("source, env, want", [
    # a whole result is a whole number, as engines show it: `6.0 / 3` is 2, `-0.0` is 0
    ("7 / 2", {}, "3.5"), ("6 / 3", {}, "2"), ("6.0 / 3", {}, "2"), ("-7 // 2", {}, "-4"),
    ("-7 % 3", {}, "2"), ("7.5 // 2", {}, "3"), ("-7.5 % 2", {}, "0.5"), ("round(2.5)", {}, "3"),
    ("round(-2.5)", {}, "-2"), ("min(2, 2.0)", {}, "2"), ("max(1.0, 1)", {}, "1"), ("clamp(5, 10, 1)", {}, "5"),
    ("abs(-0.0)", {}, "0"), ("-x", {"x": 0.0}, "0"), ("x * 3", {"x": 0.1}, "0.30000000000000004"),
    ("x / 100000", {"x": 1}, "1e-05"), ("1 // 0.1", {}, "9"), ("9007199254740992 - 1 + 1", {}, "9007199254740992"),
    ("x / 4 * 4", {"x": 10}, "10"), ("2.5 + 0.5", {}, "3"),
])
def test_python_arithmetic_in_the_browser(evaluator_page, source, env, want):
    """The corners where JavaScript's own arithmetic would differ from Python's."""
    tree = expr.parse_expression(source)
    assert python_value(tree, env, [], [])[2] == want
    got = evaluator_page.evaluate(RUN_JS, json.dumps([{"ast": expr.to_json(tree), "env": env, "items": [],
                                                       "skills": []}]))
    assert got == [python_value(tree, env, [], [])]


def test_overflow_past_two_to_the_53(evaluator_page):
    tree = expr.parse_expression("9007199254740992 + 1")
    got = evaluator_page.evaluate(RUN_JS, json.dumps([{"ast": expr.to_json(tree), "env": {}, "items": [],
                                                       "skills": []}]))
    assert got == [python_value(tree, {}, [], [])] == [["error", "HF0606"]]
