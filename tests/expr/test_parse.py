"""Reading expressions: shape, precedence, offsets and syntax errors."""

import pytest

from pipeline.expr import (MAX_DEPTH, Binary, Bool, Call, ExprError, Name, Number, String, Unary,
                           parse_expression, to_source)
from pipeline.expr.printer import format_number

a, b, c = Name("a"), Name("b"), Name("c")


def error(text):
    with pytest.raises(ExprError) as info:
        parse_expression(text)
    return info.value


@pytest.mark.parametrize("text, tree", [
    ("12", Number(12)),
    ("1.5", Number(1.5)),
    ("true", Bool(True)),
    ("false", Bool(False)),
    ('"ember-relic"', String("ember-relic")),
    (r'"say \"hi\" \\ bye"', String('say "hi" \\ bye')),
    ("met_tomas", Name("met_tomas")),
    ("_x1", Name("_x1")),
    ("a or b and c", Binary("or", a, Binary("and", b, c))),
    ("a and b or c", Binary("or", Binary("and", a, b), c)),
    ("not a and b", Binary("and", Unary("not", a), b)),
    ("not a == b", Unary("not", Binary("==", a, b))),
    ("not not a", Unary("not", Unary("not", a))),
    ("a - b - c", Binary("-", Binary("-", a, b), c)),
    ("a - (b - c)", Binary("-", a, Binary("-", b, c))),
    ("a + b * c", Binary("+", a, Binary("*", b, c))),
    ("(a + b) * c", Binary("*", Binary("+", a, b), c)),
    ("a // b % c", Binary("%", Binary("//", a, b), c)),
    ("a / b", Binary("/", a, b)),
    ("-a * b", Binary("*", Unary("-", a), b)),
    ("--a", Unary("-", Unary("-", a))),
    ("-(a * b)", Unary("-", Binary("*", a, b))),
    ("a + b < c", Binary("<", Binary("+", a, b), c)),
    ("(a < b) == c", Binary("==", Binary("<", a, b), c)),
    ("a == (not b)", Binary("==", a, Unary("not", b))),
    ("min(a, b, 3)", Call("min", (a, b, Number(3)))),
    ("f()", Call("f", ())),
    ('has("relic") and not has_skill("stealth")',
     Binary("and", Call("has", (String("relic"),)),
            Unary("not", Call("has_skill", (String("stealth"),))))),
    (" \t\n a \n", a),
])
def test_shapes(text, tree):
    assert parse_expression(text) == tree


def test_number_types_are_kept():
    assert type(parse_expression("2").value) is int
    assert type(parse_expression("2.0").value) is float


def test_offsets_cover_each_node():
    tree = parse_expression("(a + bb) * max(c, 1)")
    assert (tree.offset, tree.length) == (0, 20)  # starts at the parenthesis
    assert (tree.left.offset, tree.left.length) == (1, 6)
    assert (tree.left.right.offset, tree.left.right.length) == (5, 2)
    assert (tree.right.offset, tree.right.length) == (11, 9)
    neg = parse_expression("x + -y")
    assert (neg.right.offset, neg.right.length) == (4, 2)


def test_single_quoted_text_is_text():
    # A choice's if="…" attribute cannot hold a double quote, so writers use single ones.
    assert parse_expression("has('ember-relic')") == parse_expression('has("ember-relic")')
    assert parse_expression(r"x == 'it\'s'").right.value == "it's"


def test_offsets_do_not_affect_equality():
    assert parse_expression("a+b") == parse_expression("  a   +   b")


@pytest.mark.parametrize("text, offset, fragment", [
    ("1 < 2 < 3", 6, "chained"),
    ("a == b != c", 7, "chained"),
    ("a == not b", 5, "'not'"),
    ("-not a", 1, "'not'"),
    ("a && b", 2, "'&&'"),
    ("a || b", 2, "'||'"),
    ("!a", 0, "'!'"),
    ("agility => 12", 8, "'=>'"),    # was "expected an operator but found '='", hint "use '=='"
    ("level =< 3", 6, "'=<'"),
    ("mood <> 'bold'", 5, "'<>'"),
    ("'x", 0, "closing quote"),
    ("a +", 3, "end of the text"),
    ("", 0, "end of the text"),
    ("(a + b", 6, "')'"),
    ("a + b)", 5, "')'"),
    ("f(a,)", 4, "')'"),
    ("f(a b)", 4, "'b'"),
    ('"abc', 0, "closing quote"),
    ('"a\\nb"', 2, "escape"),
    ("2x", 1, "operator"),
    ("1e3 > 2", 1, "'1e3' is written with an exponent"),     # was "missing an operator after '1'"
    ("x > 2.5E-4", 7, "'2.5E-4' is written with an exponent"),
    ("1.", 1, "decimal"),
    (".5", 0, "'.'"),
    ("a b", 2, "'b'"),
    ("a @ b", 2, "'@'"),
    ("café", 3, "'é'"),
    ("set", 0, "'set'"),
    ("a += 1", 2, "'+='"),
])
def test_syntax_errors_point_at_the_problem(text, offset, fragment):
    err = error(text)
    assert (err.code, err.offset) == ("HF0601", offset)
    assert fragment in err.message


def test_helpful_hints():
    assert error("Gold > 1").hint == "Did you mean 'gold'?"
    assert "==" in error("a = 1").hint
    assert "'and'" in error("a && b").hint
    assert error("agility => 12").hint == "write '>=' instead"   # not "use '==' to compare"
    assert error("level =< 3").hint == "write '<=' instead"
    assert error("mood <> 'bold'").hint == "write '!=' instead"
    assert error("gold = 3").hint == "use '==' to compare"     # a lone `=` still meant `==`
    assert "a < b and b < c" in error("1 < 2 < 3").hint
    assert "1000, not 1e3" in error("gold > 1e3").hint   # not "write 2 * x to multiply"


def test_numbers_beyond_2_to_the_53_overflow():
    assert parse_expression("9007199254740992") == Number(2**53)
    for text, offset in [("9007199254740993", 0), ("-9007199254740993", 1),
                         ("9007199254740993.0", 0), ("1 + 99999999999999999999", 4)]:
        err = error(text)
        assert (err.code, err.offset) == ("HF0606", offset)


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    for text in ["(" * 5000 + "x" + ")" * 5000,   # over the length limit as well
                 "(" * 999 + "x" + ")" * 999,     # under it: the depth limit answers
                 "-" * 1999 + "x",
                 "not " * 499 + "x",
                 "f(" * 666 + ")" * 666]:
        assert error(text).code == "HF0601"
    assert error("(" * 999 + "x" + ")" * 999).offset == MAX_DEPTH


def test_a_long_operator_chain_is_a_syntax_error_at_the_operator_too_deep():
    """`1 + 1 + … + 1` is read in a loop, but each `+` wraps the tree one level deeper:
    450 of them (within the length limit) stopped check with a RecursionError."""
    assert parse_expression("1" + " + 1" * MAX_DEPTH)
    err = error("1" + " + 1" * 450)
    assert (err.code, err.offset) == ("HF0601", 1 + 4 * MAX_DEPTH + 1)   # the 101st `+`
    assert "parentheses" in err.hint
    assert parse_expression("(" + " + ".join(["1"] * 90) + ") + (" + " + ".join(["1"] * 90) + ")")
    chain = "1" + " + 1" * (MAX_DEPTH - 1)
    assert parse_expression(f"-({chain})") and parse_expression(f"abs({chain[:-4]})")
    assert error(f"-({chain} + 1)").offset == 0       # a prefix operator counts one more
    assert error(f"abs({chain})").offset == 0         # a call two


def test_reasonable_nesting_is_fine():
    text = "(" * 40 + "x" + ")" * 40
    assert parse_expression(text) == Name("x")
    assert parse_expression("-" * 40 + "1") is not None


def test_length_limit():
    ok = "max(" + ", ".join(["1"] * 665) + ")"  # 1,998 characters, two levels deep
    assert len(ok) == 1998 and parse_expression(ok)
    err = error(ok + " + 1")
    assert (err.code, err.offset) == ("HF0601", 2000)


def test_messages_never_echo_long_input():
    for text in ["a " + "b" * 500, '"' + "z" * 500, "Q" * 500, "1 + " + "9" * 400]:
        err = error(text)
        assert len(err.message) < 100
        assert "b" * 61 not in err.message and "z" * 61 not in err.message


def test_only_expr_error_escapes_on_odd_input():
    for text in ["\x00", "a\u2028b", "((((", "))))", "\\", '"\\', "1e5", "0x10", "a.b", "a[0]"]:
        error(text)


@pytest.mark.parametrize("text, printed", [
    ("a + (b * c)", "a + b * c"),
    ("(a + b) * c", "(a + b) * c"),
    ("a - (b - c)", "a - (b - c)"),
    ("((a - b)) - c", "a - b - c"),
    ("not (a == b)", "not a == b"),
    ("(not a) == b", "(not a) == b"),
    ("a and (b or c)", "a and (b or c)"),
    ("a and (b and c)", "a and (b and c)"),
    ("(a < b) == (b < c)", "(a < b) == (b < c)"),
    ("-(a + 1)", "-(a + 1)"),
    ("- - a", "--a"),
    ("min( a ,b )", "min(a, b)"),
    (r'"q\"\\"', r'"q\"\\"'),
    ("1.50", "1.5"),
])
def test_printer_uses_minimal_parentheses(text, printed):
    assert to_source(parse_expression(text)) == printed


def test_floats_print_without_exponent_and_read_back():
    assert format_number(1e20) == "100000000000000000000.0"  # too large to read, but exact
    for value, text in [(1e-7, "0.0000001"), (1e15, "1000000000000000.0"), (2.0, "2.0"),
                        (0.1, "0.1"), (123456.789, "123456.789")]:
        assert format_number(value) == text
        assert parse_expression(text).value == value


@pytest.mark.parametrize("text, hint", [
    # an effect where a condition is read (`done_when: set crossed`): the hint was the
    # expression syntax's generic one
    ("set crossed", "write `crossed`"),
    ("unset crossed", "write `not crossed`"),
    ("give 'rope'", "write `has('rope')`"),
    ("take \"rope\"", "write `not has(\"rope\")`"),
])
def test_an_effect_written_as_a_condition_is_told_the_condition(text, hint):
    err = error(text)
    assert "makes an effect, and a condition only reads values" in err.message
    assert (err.offset, err.hint) == (0, hint)


def test_is_as_a_comparison_is_told_the_operator():
    # `agility is 12`: the hint was the expression syntax's generic one
    err = error("agility is 12")
    assert (err.offset, err.hint) == (8, "compare with '==' ('!=' for not equal): `is` is no word of the language")
