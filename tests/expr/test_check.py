"""Static checking: types, unknown names, function calls, effects' targets."""

import pytest

from pipeline.diagnostics import Diagnostics, Span, code_info
from pipeline.expr import (ExprError, Scope, Type, check, check_all, check_effects,
                           parse_effects, parse_expression)

N, B, S = Type.NUMBER, Type.BOOL, Type.STRING
SCOPE = Scope(
    names={"agility": N, "constitution": N, "level": N, "gold": N, "met_tomas": B,
           "has_relic": B, "mood": S},
    writable=frozenset({"gold", "met_tomas", "has_relic", "mood"}),
)


def problems(text, scope=SCOPE):
    return check_all(parse_expression(text), scope)[1]


def only(text, scope=SCOPE):
    found = problems(text, scope)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, result", [
    ("10 + constitution * 2 + level * 4", N),
    ("agility >= 12 and not met_tomas", B),
    ('mood == "calm"', B),
    ('"a" != mood', B),
    ("max(1, level / 2, gold // 3) % 2", N),
    ("clamp(gold, 0, 100)", N),
    ('has("ember-relic") or has_skill("stealth")', B),
    ("floor(1.5) + ceil(1.5) + round(1.5) + abs(-1) + min(1)", N),
    ("met_tomas == (level > 2)", B),
    ('"text"', S),
])
def test_types(text, result):
    assert check(parse_expression(text), SCOPE) is result


def test_unknown_name_offset_and_hint():
    err = only("agility >= 12 and not met_tomass")
    assert (err.code, err.offset, err.length) == ("HF0602", 22, 10)
    assert "met_tomas" in err.hint and "Did you mean" in err.hint
    assert "met_tomass" in err.message


def test_check_raises_the_first_problem():
    with pytest.raises(ExprError) as info:
        check(parse_expression("agilty + levl"), SCOPE)
    assert (info.value.code, info.value.offset) == ("HF0602", 0)


def test_every_unknown_name_is_reported_at_its_own_offset():
    result, errors = check_all(parse_expression("foo + bar * baz > 1 and qux"), SCOPE)
    assert result is B
    assert [(e.code, e.offset) for e in errors] == [
        ("HF0602", 0), ("HF0602", 6), ("HF0602", 12), ("HF0602", 24)]


def test_unknown_names_do_not_cascade_into_type_errors():
    assert len(problems("not (foo + 1 > bar) and baz(2)")) == 3  # foo, bar, baz()
    result, errors = check_all(parse_expression("foo"), SCOPE)
    assert result is None and [e.code for e in errors] == ["HF0602"]


def test_function_name_used_as_a_variable():
    err = only("min")
    assert err.code == "HF0602" and "min(" in err.hint


@pytest.mark.parametrize("text, offset, length, fragment", [
    ("gold + true", 7, 4, "the right side is true/false"),
    ("true * gold", 0, 4, "the left side is true/false"),
    ("not gold", 4, 4, "'gold' is a number"),
    ("-met_tomas", 1, 9, "'met_tomas' is true/false"),
    ("gold == met_tomas", 0, 17, "compares a number with true/false"),
    ('mood != 3', 0, 9, "compares text with a number"),
    ("gold and met_tomas", 0, 4, "'gold' is a number"),
    ("met_tomas or 1", 13, 1, "'or' needs true/false"),
    ("mood < 3", 0, 4, "'<' needs a number, but 'mood' is text"),
    ("(gold > 1) + 1", 1, 8, "'+' needs a number"),
])
def test_type_mismatches(text, offset, length, fragment):
    err = only(text)
    assert (err.code, err.offset, err.length) == ("HF0603", offset, length)
    assert fragment in err.message


@pytest.mark.parametrize("text, offset, fragment", [
    ("maxx(1, 2)", 0, "unknown function 'maxx'"),
    ("clamp(1, 2)", 0, "takes 3 values, not 2"),
    ("floor(1, 2)", 0, "takes 1 value, not 2"),
    ("min()", 0, "at least 1 value, not 0"),
    ("1 + floor(met_tomas)", 10, "1st value is true/false"),
    ('max(1, 2, "x")', 10, "3rd value is text"),
    ("has(mood)", 4, "quoted id"),
    ('has_skill("a" )or has(1)', 22, "quoted id"),
])
def test_bad_calls(text, offset, fragment):
    err = only(text)
    assert (err.code, err.offset) == ("HF0604", offset)
    assert fragment in err.message


def test_unknown_function_hint():
    assert only("maxx(1, 2)").hint == "Did you mean 'max'?"


def test_division_by_a_literal_zero_is_caught_before_running():
    err = only("gold / 0")
    assert (err.code, err.offset) == ("HF0605", 7)
    assert only("gold % 0.0").code == "HF0605"
    assert problems("gold / (1 - 1)") == []  # not a literal: found when it runs


def test_problems_come_in_reading_order():
    errors = problems('nope + "x" == 2 and floor(true) > 1')
    assert [e.code for e in errors] == ["HF0602", "HF0603", "HF0604"]
    assert [e.offset for e in errors] == [0, 7, 26]


# --- effects ------------------------------------------------------------------------------
def effect_problems(text):
    return check_effects(parse_effects(text), SCOPE)


def test_valid_effects():
    assert effect_problems('gold += 5; gold = level * 2; set met_tomas; unset has_relic; '
                           'mood = "calm"; give "x"; take "y"') == []


@pytest.mark.parametrize("text, code, offset, fragment", [
    ("agility = 3", "HF0607", 0, "'agility' cannot be changed"),
    ("gold += 1; level += 1", "HF0607", 11, "'level'"),
    ("set  agility", "HF0607", 5, "'agility'"),
    ("gld += 1", "HF0602", 0, "unknown name 'gld'"),
    ("unset nope", "HF0602", 6, "'nope'"),
    ("met_tomas = 5", "HF0603", 12, "holds true/false, but the new value is a number"),
    ("gold = mood", "HF0603", 7, "holds a number, but the new value is text"),
    ("set gold", "HF0603", 4, "'set' needs true/false"),
    ("unset mood", "HF0603", 6, "'unset' needs true/false"),
    ("met_tomas += 1", "HF0603", 0, "'+=' needs a number"),
    ("gold -= met_tomas", "HF0603", 8, "'-=' needs a number"),
    ("gold = nope + 1", "HF0602", 7, "'nope'"),
])
def test_effect_problems(text, code, offset, fragment):
    found = effect_problems(text)
    assert len(found) == 1, found
    assert (found[0].code, found[0].offset) == (code, offset)
    assert fragment in found[0].message


def test_unknown_target_suggests_a_writable_name():
    assert effect_problems("gld += 1")[0].hint == "Did you mean 'gold'?"


def test_error_becomes_a_diagnostic_inside_the_value():
    diagnostics = Diagnostics()
    only("agility >= 12 and not met_tomass").report(diagnostics, Span("stories/a.md", 3, 10))
    (diag,) = diagnostics.items
    assert (diag.code, diag.span.line, diag.span.column, diag.span.end_column) == (
        "HF0602", 3, 32, 42)
    assert diag.hint == "Did you mean 'met_tomas'?"
    syntax = Diagnostics()
    with pytest.raises(ExprError) as info:
        parse_expression("1 +")
    info.value.report(syntax, Span("a.yaml", 1, 1))
    # the registry's hint when ours is empty: what to write, not a file of docs/ (which
    # the wheel does not ship)
    assert syntax.items[0].hint == code_info("HF0601").hint and "docs/" not in syntax.items[0].hint


def test_names_items_and_skills_used():
    from pipeline.expr import items_used, names_used, names_written, skills_used
    expr = parse_expression('a + b * min(c, a) > 1 and has("relic") and has_skill("stealth")')
    assert names_used(expr) == {"a", "b", "c"}  # function names are not variables
    assert items_used(expr) == {"relic"} and skills_used(expr) == {"stealth"}
    effects = parse_effects('gold += level; set met; give "a"; take "b"; ok = has("c")')
    assert names_used(effects) == {"gold", "level", "met", "ok"}
    assert names_written(effects) == {"gold", "met", "ok"}
    assert items_used(effects) == {"a", "b", "c"}
