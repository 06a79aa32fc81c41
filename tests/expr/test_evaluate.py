"""Running expressions: arithmetic rules, functions, limits and runtime errors."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.expr import Bool, ExprError, Name, Number, String, evaluate, evaluate_each, parse_expression

from .strategies import _compound

ENV = {"constitution": 12, "level": 3, "gold": 10, "ratio": 0.5, "met_tomas": False,
       "agility": 14, "mood": "calm", "flag": True}


def run(text, env=ENV, items=frozenset(), skills=frozenset()):
    return evaluate(parse_expression(text), env, items, skills)


def fails(text, env=ENV):
    with pytest.raises(ExprError) as info:
        run(text, env)
    return info.value


@pytest.mark.parametrize("text, value", [
    ("10 + constitution * 2 + level * 4", 46),
    ("agility >= 12 and not met_tomas", True),
    ("7 - 2 - 1", 4),
    ("2 + 3 * 4", 14),
    ("(2 + 3) * 4", 20),
    ("6 / 3", 2),
    ("7 / 2", 3.5),
    ("-7 / 2", -3.5),
    ("7 // 2", 3),
    ("-7 // 2", -4),        # floors, as Python does; ink and JavaScript would give -3
    ("-7 % 3", 2),
    ("7 % -3", -2),
    ("7.5 // 2", 3),        # a whole result is whole, as engines show it (`10 / 4 * 4` is 10)
    ("5.5 % 2", 1.5),
    ("ratio * 4", 2),
    ("10 / 4 * 4", 10),
    ("1.5 + 1.5", 3),
    ("0.1 + 0.2", 0.30000000000000004),
    ("--3", 3),
    ('mood == "calm"', True),
    ('mood != "calm"', False),
])
def test_values(text, value):
    result = run(text)
    assert result == value and type(result) is type(value)


def test_comparisons():
    assert run("1 < 2") is True and run("2 <= 2") is True and run("3 > 4") is False
    assert run("3 >= 3.0") is True and run("1 == 1.0") is True and run("true != false") is True


@pytest.mark.parametrize("text, value", [
    ("min(3, 1, 2)", 1), ("max(3, 1.5)", 3), ("min(4)", 4),
    ("floor(2.7)", 2), ("floor(-2.2)", -3), ("ceil(2.1)", 3), ("ceil(-2.7)", -2),
    ("round(2.5)", 3), ("round(-2.5)", -2), ("round(2.4)", 2), ("round(-2.6)", -3), ("round(7)", 7),
    ("abs(-4)", 4), ("abs(2.5)", 2.5),
    ("clamp(15, 0, 10)", 10), ("clamp(-5, 0, 10)", 0), ("clamp(5, 0, 10)", 5),
    ("clamp(15, 10, 0)", 10),  # bounds given the wrong way round are swapped
])
def test_functions(text, value):
    result = run(text)
    assert result == value and type(result) is type(value)


def test_rounding_functions_return_ints():
    for text in ["floor(2.0)", "ceil(1.5)", "round(0.5)"]:
        assert type(run(text)) is int


def test_inventory_and_skills():
    items, skills = frozenset({"ember-relic"}), frozenset({"stealth"})
    assert run('has("ember-relic")', items=items) is True
    assert run('has("rope")', items=items) is False
    assert run('has_skill("stealth") and not has("stealth")', items=items, skills=skills) is True


def test_and_or_short_circuit():
    assert run("false and nope") is False
    assert run("true or 1 / 0 == 1") is True
    assert fails("true and nope").code == "HF0602"


@pytest.mark.parametrize("text, offset", [
    ("gold / 0", 7), ("gold // (level - 3)", 9), ("gold % 0.0", 7), ("1 + 1 / (gold - 10)", 9),
])
def test_division_by_zero(text, offset):
    err = fails(text)
    assert (err.code, err.offset) == ("HF0605", offset)


@pytest.mark.parametrize("text", [
    "9007199254740992 + 1",
    "9007199254740992 * 2",
    "-9007199254740992 - 1",
    "9007199254740992.0 * 9007199254740992.0 * 9007199254740992.0",
    "max(9007199254740992, 1) + 0.5 * 4",
    "1 / 0.0000001 * 9007199254740992",
])
def test_overflow_at_evaluation(text):
    assert fails(text).code == "HF0606"


def test_limit_itself_is_allowed():
    assert run("9007199254740991 + 1") == 2**53
    assert run("-9007199254740992") == -(2**53)


def test_unknown_name_at_runtime():
    err = fails("gold + golf")
    assert (err.code, err.offset, err.hint) == ("HF0602", 7, "Did you mean 'gold'?")


@pytest.mark.parametrize("text, env", [
    ("x + 1", {"x": True}),          # Python would happily give 2
    ("x == 1", {"x": True}),         # Python says True == 1
    ("not x", {"x": 0}),
    ("x and true", {"x": "yes"}),
    ('x < "b"', {"x": "a"}),
    ("x", {"x": None}),
    ("x", {"x": [1]}),
])
def test_runtime_type_errors(text, env):
    assert fails(text, env).code == "HF0603"


def test_values_from_the_environment_are_bounded_too():
    assert fails("x", {"x": 2**60}).code == "HF0606"
    assert fails("x + 0", {"x": float("nan")}).code == "HF0606"
    assert fails("x", {"x": float("inf")}).code == "HF0606"


def test_bad_calls_at_runtime():
    # Code may build trees the parser cannot; the evaluator still refuses them politely.
    from pipeline.expr import Call, Number, String
    for call in [Call("nope", ()), Call("floor", ()), Call("floor", (String("x"),)),
                 Call("has", (Number(1),))]:
        with pytest.raises(ExprError) as info:
            evaluate(call, {})
        assert info.value.code == "HF0604"


# evaluate_each keeps a formula's answers by the values it reads. Each example runs one
# formula over a row of envs, each the last with one name changed: to a value equal as a
# key yet not to the evaluator (True and 1, -0.0 and 0.0, 1 and 1.0), removed (the hint
# then suggests from the names left: "might" for "mite"), or added. A key missing any of
# what decides an answer gives one env another's answer.
_READ = ["might", "mite", "level"]
_FEW = [0, 1, 2, True, False, 0.0, -0.0, 1.0, "x"]
_TWIN = {(int, 1): True, (float, 0.0): -0.0, (int, 2): 2.0, (bool, False): 0}   # equal as keys, not to the evaluator
_formulas = st.recursive(st.one_of(st.sampled_from(_READ).map(Name), st.sampled_from([0, 1, 2, 0.5, 2**53]).map(Number),
                                   st.booleans().map(Bool), st.sampled_from(["x", "y"]).map(String)),
                         _compound, max_leaves=8)
_changes = st.lists(st.tuples(st.sampled_from(["might", "mite", "mighty"]), st.sampled_from([*_FEW, None])),
                    min_size=1, max_size=6)


def _outcome(value):
    if isinstance(value, ExprError):
        return ("error", value.code, value.message, value.offset, value.length, value.hint)
    return ("value", type(value), value.hex() if type(value) is float else value)


@settings(max_examples=300, deadline=None)
@example(parse_expression("might + 1"), {"might": 1}, [("might", True), ("might", 1.0)], range(1, 4))
@example(parse_expression("might * level"), {"might": 0.0}, [("might", -0.0)], range(1, 4))
@example(parse_expression("mite * level"), {"might": 1}, [("might", None), ("mighty", 2)], range(1, 4))
@given(_formulas, st.dictionaries(st.sampled_from(["might", "mite"]), st.sampled_from(_FEW)), _changes,
       st.sampled_from([range(1, 4), (1, 0.0, 2, False)]))
def test_a_formula_kept_by_the_values_it_reads_answers_as_evaluate_does(formula, env, changes, levels):
    """Every answer of evaluate_each, from the memo or not, is evaluate's at that level:
    value and type, or error with code, message, place and hint."""
    for name, value in [(None, None), *changes]:
        env = {k: v for k, v in {**env, name: value}.items() if v is not None}
        for values in (levels, [_TWIN.get((type(v), v), v) for v in levels]):
            plain = []
            for level in values:
                try:
                    plain.append(_outcome(evaluate(formula, {**env, "level": level})))
                except ExprError as err:
                    plain.append(_outcome(err))
            assert [_outcome(a) for a in evaluate_each(formula, env, "level", values)] == plain, (env, values)
