"""ink and SugarCube output: exact text, and (for SugarCube, when Node.js is present)
the same results as `evaluate` when the text is run as JavaScript."""

import json
import math
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.expr import (Call, ExprError, Name, evaluate, parse_effects, parse_expression,
                           to_ink, to_ink_effects, to_sugarcube, to_sugarcube_effects)

from .strategies import BOOL_VARS, NUMBER_VARS, typed

from pipeline.expr.emit import SC_FLOOR_DIV

# (our text, ink, SugarCube)
CASES = [
    ("agility >= 12 and not met_tomas", "(agility >= 12) and not met_tomas",
     "$agility >= 12 and not $met_tomas"),
    ("gold / 2", "HF_div(gold, 2)", "$gold / 2"),
    ("a / b / c", "HF_div(HF_div(a, b), c)", "$a / $b / $c"),
    ("a // b", "HF_floor_div(a, b)", SC_FLOOR_DIV + "($a, $b)"),
    ("a % 3", "((a mod 3) + 3) mod 3", "(($a % 3) + 3) % 3"),
    ("a * b % c", "HF_mod(a * b, c)", "(($a * $b % $c) + $c) % $c"),
    ("min(a, b, c)", "MIN(MIN(a, b), c)", "Math.min($a, $b, $c)"),
    ("max(a + 1)", "(a + 1)", "Math.max($a + 1)"),
    ("clamp(x, 1, 10)", "MIN(MAX(x, 1), 10)", "Math.clamp($x, 1, 10)"),
    ("clamp(x, 10, -1)", "MIN(MAX(x, -1), 10)", "Math.clamp($x, 10, -1)"),
    ("clamp(x, lo, hi)", "MIN(MAX(x, MIN(lo, hi)), MAX(lo, hi))", "Math.clamp($x, $lo, $hi)"),
    ("floor(x / 2)", "INT(FLOOR(HF_div(x, 2)))", "Math.floor($x / 2)"),
    ("ceil(x)", "INT(CEILING(x))", "Math.ceil($x)"),
    ("round(a - b)", "HF_round(a - b)", "Math.round($a - $b)"),
    ("abs(a - b)", "MAX(a - b, -(a - b))", "Math.abs($a - $b)"),
    ('has("ember-relic")', "item_ember_relic", "$item_ember_relic"),
    ('has_skill("lock-picking")', "skill_lock_picking", "$skill_lock_picking"),
    ("not (a == b)", "not (a == b)", "not ($a is $b)"),
    ("(not a) == b", "not a == b", "not $a is $b"),
    ("a != b", "a != b", "$a isnot $b"),
    ("-(-x)", "-(-x)", "-(-$x)"),
    ("-x * 2", "-x * 2", "-$x * 2"),
    ("a - b - c", "a - b - c", "$a - $b - $c"),
    ("a - (b - c)", "a - (b - c)", "$a - ($b - $c)"),
    ("a + b * c", "a + (b * c)", "$a + $b * $c"),
    ("(a + b) * c", "(a + b) * c", "($a + $b) * $c"),
    ("a or b and c", "a or (b and c)", "$a or $b and $c"),
    ("(a or b) and c", "(a or b) and c", "($a or $b) and $c"),
    ("a == (b < c)", "a == (b < c)", "$a is ($b < $c)"),
    ('mood == "a\\"b{c}"', 'mood == "a\\"b\\{c\\}"', '$mood is "a\\"b{c}"'),
    ("1.5 + 0.0000001", "1.5 + 0.0000001", "1.5 + 0.0000001"),
    ("true", "true", "true"),
]


@pytest.mark.parametrize("text, ink, sugarcube", CASES)
def test_exact_output(text, ink, sugarcube):
    expr = parse_expression(text)
    assert to_ink(expr) == ink
    assert to_sugarcube(expr) == sugarcube


EFFECTS = ('gold += 5; gold -= a - b; gold = gold * 2; set met_tomas; unset met_tomas; '
           'give "ember-relic"; take "ember-relic"; mood = "calm"')


def test_ink_effects():
    assert to_ink_effects(parse_effects(EFFECTS)) == [
        "~ gold = gold + 5",
        "~ gold = gold - (a - b)",
        "~ gold = gold * 2",
        "~ met_tomas = true",
        "~ met_tomas = false",
        "~ item_ember_relic = true",
        "~ item_ember_relic = false",
        '~ mood = "calm"',
    ]
    assert to_ink_effects(()) == []


def test_sugarcube_effects():
    assert to_sugarcube_effects(parse_effects(EFFECTS)) == (
        "<<set $gold += 5>><<set $gold -= $a - $b>><<set $gold to $gold * 2>>"
        "<<set $met_tomas to true>><<set $met_tomas to false>>"
        "<<set $item_ember_relic to true>><<set $item_ember_relic to false>>"
        '<<set $mood to "calm">>')
    assert to_sugarcube_effects(()) == ""


@pytest.mark.parametrize("expr", [
    Call("has", (Name("x"),)), Call("has_skill", ()), Call("nope", ()), Call("floor", ()),
    Call("clamp", (Name("x"),)),
])
def test_what_cannot_be_exported_is_an_expr_error(expr):
    for emit in (to_ink, to_sugarcube):
        with pytest.raises(ExprError) as info:
            emit(expr)
        assert info.value.code == "HF0604"


# --- SugarCube output, run as JavaScript ------------------------------------------------------
# A stand-in for SugarCube's runtime: its TwineScript word operators and Math.clamp
# (copied in behaviour: reversed bounds are swapped), then each expression is evaluated.
_HARNESS = r"""
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
Math.clamp = (n, lo, hi) => { if (lo > hi) [lo, hi] = [hi, lo]; return Math.min(Math.max(n, lo), hi); };
const words = {and: "&&", or: "||", not: "!", is: "===", isnot: "!=="};
const out = cases.map(([text, env]) => {
  const js = text.replace(/\$(\w+)/g, "V.$1").replace(/\b(isnot|is|and|or|not)\b/g, w => words[w]);
  return Function("V", "return (" + js + ");")(env);
});
process.stdout.write(JSON.stringify(out));
"""

_nice = st.integers(-40, 40).map(lambda n: n / 4)  # exact in binary: no rounding disputes
_numbers, _bools = typed(3, literals=st.integers(0, 40).map(lambda n: n / 4).map(
    lambda v: parse_expression(repr(v))))
_env = st.fixed_dictionaries({**{n: _nice for n in NUMBER_VARS},
                              **{b: st.booleans() for b in BOOL_VARS},
                              "mood": st.sampled_from(["calm", "angry"])})


def _same(ours, theirs):
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours is theirs
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-9)


def _run_in_javascript(cases):
    """(expr, env) pairs our evaluator can run → (SugarCube text, env, our value, JS value)."""
    runnable = []
    for expr, env in cases:
        try:
            expected = evaluate(expr, env, frozenset({"relic"}), frozenset({"stealth"}))
        except ExprError:
            continue  # division by zero and overflow are not modelled in the engines
        env = {**env, "item_relic": True, "item_key": False, "skill_stealth": True}
        runnable.append((to_sugarcube(expr), env, expected))
    payload = json.dumps([[text, env] for text, env, _ in runnable])
    result = subprocess.run(["node", "-e", _HARNESS], input=payload, capture_output=True,
                            text=True, check=True, timeout=60)
    return [(*case, actual) for case, actual in zip(runnable, json.loads(result.stdout), strict=True)]


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
TRICKY = ["-7 % 3", "7 % -3", "gold % 3", "-7.5 % 2", "-7 // 2", "gold // 2", "7.5 // 2",
          "round(-2.5)", "round(2.5)", "round(gold / 2)", "clamp(5, 10, 1)",
          "clamp(gold, level, agility)", "not 1 == 2", "(not true) == false",
          "not (1 == 2) and false", "-(-3)", "--gold", "min(3, 1, 2)", "abs(-2.5)", "7 / 2",
          "1 - 2 - 3", "1 - (2 - 3)", "2 * 3 % 4", "10 / 4 * 2", "2 * 10 / 4",
          'has("relic") and not has("key") and has_skill("stealth")', 'mood != "calm"']


@needs_node
def test_tricky_cases_mean_the_same_in_javascript():
    env = {"gold": -7, "level": 10, "agility": 1, "met_tomas": False, "has_relic": True,
           "mood": "angry"}
    results = _run_in_javascript([(parse_expression(text), env) for text in TRICKY])
    assert len(results) == len(TRICKY)
    for text, _, expected, actual in results:
        assert _same(expected, actual), (text, expected, actual)


@needs_node
@settings(max_examples=3, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.one_of(_numbers, _bools), _env), min_size=150, max_size=150))
def test_random_sugarcube_output_means_the_same_in_javascript(cases):
    # No shrinking (Phase.generate only): each attempt starts Node; the failing
    # expression is in the assertion message anyway.
    for text, env, expected, actual in _run_in_javascript(cases):
        assert _same(expected, actual), (text, env, expected, actual)
