"""Effects: reading, printing and applying them."""

import pytest

from pipeline.expr import (Assign, Binary, ExprError, Give, Name, Number, SetFlag, Take,
                           apply_effects, parse_effects, to_source)


def error(text):
    with pytest.raises(ExprError) as info:
        parse_effects(text)
    return info.value


def test_empty_text_has_no_effects():
    assert parse_effects("") == ()
    assert parse_effects("  \n ") == ()


def test_every_kind_of_effect():
    text = 'gold += 5; gold -= level * 2; mood = "calm"; set met_tomas; unset has_relic; ' \
           'give "ember-relic"; take "rope";'
    assert parse_effects(text) == (
        Assign("gold", "+=", Number(5)),
        Assign("gold", "-=", Binary("*", Name("level"), Number(2))),
        Assign("mood", "=", parse_effects('x = "calm"')[0].value),
        SetFlag("met_tomas", True),
        SetFlag("has_relic", False),
        Give("ember-relic"),
        Take("rope"),
    )


def test_one_effect_per_call_works_too():
    assert parse_effects("set has_relic") == (SetFlag("has_relic", True),)


def test_effect_offsets():
    first, second = parse_effects("gold += 5;  set met_tomas")
    assert (first.offset, first.length) == (0, 9)
    assert (second.offset, second.length) == (12, 13)


@pytest.mark.parametrize("text, offset, fragment", [
    ("gold == 5", 5, "'=='"),
    ("gold", 4, "'='"),
    ("gold += ", 8, "a value"),
    ("set 5", 4, "a name"),
    ("set and", 4, "a name"),
    ("give relic", 5, "quoted item id"),
    ("take", 4, "quoted item id"),
    (";", 0, "an effect"),
    ("gold += 1;; set x", 10, "an effect"),
    ("gold += 5 set x", 10, "';'"),
    ("5 = gold", 0, "an effect"),
    ("level >= 2", 6, "'='"),
])
def test_effect_syntax_errors(text, offset, fragment):
    err = error(text)
    assert (err.code, err.offset) == ("HF0601", offset)
    assert fragment in err.message


def test_effect_hints():
    assert "'='" in error("gold == 5").hint
    assert 'give "ember-relic"' in error("give relic").hint


def test_a_comparison_written_back_to_front_in_an_effects_place_is_told_as_no_effect():
    """`gold => 3` where `=` stands: the condition's hint "write '>='" led to `gold >= 3`,
    another error (a comparison is no effect). Where a value is compared (`won = gold
    => 3`), "write '>='" stands, and writing it parses."""
    for text, meant in [("gold => 3", "'>='"), ("gold += 1; x =< 2", "'<='"), ("mood <> 'calm'", "'!='")]:
        err = error(text)
        assert err.code == "HF0601" and err.message.startswith("expected '=', '+=' or '-=' after")
        assert "write" not in err.hint and "'+='" in err.hint and meant in err.hint and "condition" in err.hint
        assert err.length == 2 and text[err.offset:err.offset + 2] in ("=>", "=<", "<>")
    assert error("won = gold => 3").hint == "write '>=' instead"
    assert parse_effects("won = gold >= 3")


def test_effects_print_joined_by_semicolons():
    text = 'gold += 5; set met_tomas; unset x; give "a \\"b\\""; take "c"; y = 1 + 2'
    assert to_source(parse_effects(text)) == text
    assert to_source(parse_effects("gold=gold+1")[0]) == "gold = gold + 1"


def apply(text, env, items=None, skills=frozenset()):
    items = set() if items is None else items
    apply_effects(parse_effects(text), env, items, skills)
    return env, items


def test_effects_apply_in_order():
    env, items = apply('gold = 5; gold += gold; set met; give "relic"; found = has("relic"); '
                       'take "relic"; lost = not has("relic"); gold -= 1',
                       {"gold": 0, "met": False})
    assert env == {"gold": 9, "met": True, "found": True, "lost": True}
    assert items == set()


def test_unset_and_skills():
    env, _ = apply('unset met; ok = has_skill("stealth")', {"met": True}, skills={"stealth"})
    assert env == {"met": False, "ok": True}


def test_take_of_a_missing_item_is_harmless():
    assert apply('take "nothing"', {}, {"rope"})[1] == {"rope"}


def test_env_and_items_are_mutated_in_place():
    env, items = {"gold": 1}, {"rope"}
    apply_effects(parse_effects('gold += 1; give "key"'), env, items)
    assert env == {"gold": 2} and items == {"rope", "key"}


def test_a_failing_effect_changes_nothing():
    env, items = {"gold": 1}, {"rope"}
    with pytest.raises(ExprError) as info:
        apply_effects(parse_effects('gold += 5; give "key"; gold = 1 / 0'), env, items)
    assert info.value.code == "HF0605"
    assert env == {"gold": 1} and items == {"rope"}


@pytest.mark.parametrize("text, env, code", [
    ("gold += 1", {}, "HF0602"),
    ("gold += 1", {"gold": True}, "HF0603"),
    ("flag += 1", {"flag": "x"}, "HF0603"),
    ("gold = true", {"gold": 1}, "HF0603"),
    ("set gold", {"gold": 1}, "HF0603"),
    ("gold += 1", {"gold": 9007199254740992}, "HF0606"),
    ("gold -= 1", {"gold": -9007199254740992}, "HF0606"),
    ("gold = nope", {"gold": 1}, "HF0602"),
])
def test_effect_runtime_errors(text, env, code):
    with pytest.raises(ExprError) as info:
        apply_effects(parse_effects(text), dict(env), set())
    assert info.value.code == code


def test_assignment_may_create_a_variable():
    assert apply("x = 2; set y", {})[0] == {"x": 2, "y": True}


@pytest.mark.parametrize("text, column, hint", [
    # `set x = true`: the hint was "use '==' to compare" (followed: `set x == true`)
    ("set crossed = true", 12, "`set crossed` makes it true on its own: write `set crossed`, or `crossed = true`"),
    ("unset crossed = false", 14, "`unset crossed` makes it false on its own: write `unset crossed`, or "
                                  "`crossed = false`"),
    # … with another value after `=`: the hint said `crossed = true`, which turned the
    # writer's `false` over (and `coins = true` of a number)
    ("set crossed = false", 12, "`=` gives it a value on its own: write `crossed = false`, without `set`"),
    ("set coins = 5", 10, "`=` gives it a value on its own: write `coins = 5`, without `set`"),
    ("unset crossed = true; set x", 14, "`=` gives it a value on its own: write `crossed = true`, without `unset`"),
    # a list of effects joined as prose or a list is: the hint was the expression syntax's
    ("set crossed, gold += 1", 11, "separate effects with `;`: `set crossed; gold += 1`"),
    ("set crossed and gold += 1", 12, "separate effects with `;`: `set crossed; gold += 1`"),
    ("gold += 1 set crossed", 10, "separate effects with `;`: `gold += 1; set crossed`"),
    # two flags under one `set`: `set crossed; found` was told, the next error
    ("set crossed found", 12, "separate effects with `;`: `set crossed; set found`"),
    ("unset crossed, found", 13, "separate effects with `;`: `unset crossed; unset found`"),
    ("set crossed, gold = 2", 11, "separate effects with `;`: `set crossed; gold = 2`"),
    ("set crossed give 'rope'", 12, "separate effects with `;`: `set crossed; give 'rope'`"),
])
def test_effects_run_together_are_told_the_fix(text, column, hint):
    err = error(text)
    assert err.message.startswith("expected ';' between effects")
    assert (err.offset, err.hint) == (column, hint)
    if "separate effects" in hint:   # followed, the effects parse
        apply(hint.split(": ", 1)[1].strip("`"), {"gold": 0, "crossed": False, "found": False})
