"""Hypothesis strategies for expression trees, shared by the property tests."""

from __future__ import annotations

from hypothesis import strategies as st

from pipeline.expr import (KEYWORDS, Assign, Binary, Bool, Call, Give, Name, Number, SetFlag,
                           String, Take, Unary)
from pipeline.expr.nodes import BINARY_OPS

names = st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(lambda s: s not in KEYWORDS)
# Floats from 1e-6 up: tinier ones print as hundreds of digits (no exponents in the
# language) and a few of them would pass the 2,000-character limit.
numbers = st.one_of(
    st.integers(0, 2**53),
    st.just(0.0),
    st.floats(1e-6, 2.0**53, allow_nan=False, allow_infinity=False),
).map(Number)
strings = st.text(max_size=12).map(String)
leaves = st.one_of(numbers, st.booleans().map(Bool), strings, names.map(Name))
functions = st.sampled_from(["min", "max", "floor", "ceil", "round", "abs", "clamp", "has",
                             "has_skill"])


def _compound(children):
    return st.one_of(
        st.tuples(st.sampled_from(["-", "not"]), children).map(lambda t: Unary(*t)),
        st.tuples(st.sampled_from(sorted(BINARY_OPS)), children, children).map(lambda t: Binary(*t)),
        st.tuples(functions, st.lists(children, max_size=3).map(tuple)).map(lambda t: Call(*t)),
    )


expressions = st.recursive(leaves, _compound, max_leaves=20)

effects = st.lists(st.one_of(
    st.tuples(names, st.sampled_from(["=", "+=", "-="]), expressions).map(lambda t: Assign(*t)),
    st.tuples(names, st.booleans()).map(lambda t: SetFlag(*t)),
    st.text(max_size=12).map(Give),
    st.text(max_size=12).map(Take),
), max_size=4).map(tuple)

# Well-typed trees over a fixed scope, for the soundness property of the checker.
NUMBER_VARS = ("gold", "level", "agility")
BOOL_VARS = ("met_tomas", "has_relic")
STRING_VARS = ("mood",)
_small_numbers = st.one_of(st.integers(0, 1000), st.floats(0, 1000, allow_nan=False).map(
    lambda f: round(f, 2))).map(Number)


def _numeric(children_num, children_bool):
    return st.one_of(
        children_num.map(lambda e: Unary("-", e)),
        st.tuples(st.sampled_from(["+", "-", "*", "/", "//", "%"]), children_num, children_num)
        .map(lambda t: Binary(*t)),
        st.tuples(st.sampled_from(["floor", "ceil", "round", "abs"]), children_num)
        .map(lambda t: Call(t[0], (t[1],))),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children_num, min_size=1, max_size=3))
        .map(lambda t: Call(t[0], tuple(t[1]))),
        st.tuples(children_num, children_num, children_num).map(lambda t: Call("clamp", t)),
    )


def _boolean(children_num, children_bool):
    return st.one_of(
        children_bool.map(lambda e: Unary("not", e)),
        st.tuples(st.sampled_from(["and", "or", "==", "!="]), children_bool, children_bool)
        .map(lambda t: Binary(*t)),
        st.tuples(st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), children_num, children_num)
        .map(lambda t: Binary(*t)),
        st.tuples(st.sampled_from(["==", "!="]), st.sampled_from(STRING_VARS).map(Name),
                  st.sampled_from(["calm", "angry"]).map(String)).map(lambda t: Binary(*t)),
        st.sampled_from(["relic", "key"]).map(lambda i: Call("has", (String(i),))),
        st.sampled_from(["stealth"]).map(lambda s: Call("has_skill", (String(s),))),
    )


def typed(depth: int, literals=_small_numbers):
    """(numeric, boolean) strategies of well-typed trees at most `depth` deep."""
    num = st.one_of(literals, st.sampled_from(NUMBER_VARS).map(Name))
    boo = st.one_of(st.booleans().map(Bool), st.sampled_from(BOOL_VARS).map(Name))
    for _ in range(depth):
        num, boo = st.one_of(num, _numeric(num, boo)), st.one_of(boo, _boolean(num, boo))
    return num, boo


typed_numbers, typed_bools = typed(3)

number_values = st.one_of(st.integers(-1000, 1000), st.floats(-1000, 1000, allow_nan=False))
environments = st.fixed_dictionaries({
    **{n: number_values for n in NUMBER_VARS},
    **{b: st.booleans() for b in BOOL_VARS},
    "mood": st.sampled_from(["calm", "angry"]),
})
