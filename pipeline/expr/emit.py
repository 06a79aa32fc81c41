"""Expressions and effects for two interactive-fiction engines: ink and SugarCube 2.

Both renderers aim for the same meaning as `evaluate`, not the same spelling; each
mapping below says why it differs from the plain text. Items and skills become
boolean variables (`item_<id>`, `skill_<id>`) because neither engine has our
inventory; the exporter declares them. ink has no exact division or rounding: those
call functions the ink exporter appends to the script (INK_HELPERS). Division by zero
and overflow are not guarded in SugarCube (Infinity); ink's division helpers give 0 for
a divisor of 0, as ink computes both sides of `and`/`or` where ours stops at the first
(HF0605 says a division by zero ours computes).
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable

from .errors import BAD_CALL, ExprError
from .nodes import (ATOM, NEGATE, PRECEDENCE, Assign, Binary, Bool, Call, Effect, Expr, Give,
                    Name, Number, SetFlag, String, Take, Unary)
from .printer import format_number


def item_variable(item: str) -> str:
    # Ids are slugs ("ember-relic"); a hyphen is not allowed in either engine's names.
    return "item_" + re.sub(r"[^A-Za-z0-9_]", "_", item)


def skill_variable(skill: str) -> str:
    return "skill_" + re.sub(r"[^A-Za-z0-9_]", "_", skill)


def _id_argument(call: Call) -> str:
    """The quoted id of has()/has_skill(): only a literal can become a variable name."""
    if len(call.args) != 1 or not isinstance(call.args[0], String):
        raise ExprError(BAD_CALL, f"{call.func}() takes one quoted id, "
                        f'like {call.func}("ember-relic")', call.offset, call.length)
    return call.args[0].value


def _unknown(call: Call) -> ExprError:
    return ExprError(BAD_CALL, f"cannot export {call.func}() with {len(call.args)} values",
                     call.offset, call.length)


def _constant(node: Expr) -> int | float | None:
    """The value of a number literal, possibly negated (`-5`), else None."""
    if isinstance(node, Number):
        return node.value
    if isinstance(node, Unary) and node.op == "-" and isinstance(node.operand, Number):
        return -node.operand.value
    return None


# --- ink ---------------------------------------------------------------------------------
# ink's own precedence differs from ours and from mathematics: `and`/`or` share one level,
# and + - * / % each have their own (so `a * b % c` reads as `a * (b % c)`). Rather than
# model that, every compound operand is parenthesised, except the left side of a chain of
# the same grouping operator (`a + b + c`), which ink reads left to right as we do.
_INK_CHAINS = frozenset(("+", "-", "*", "and", "or"))
# The longest operand an inline form may repeat (`%` three times, `abs` and `clamp`'s
# bounds twice); a longer one goes through a function, which writes it once, so an
# export grows with its expression, never by a power of its depth.
INLINE_REPEAT = 40


# How deeply an ink expression may nest its parentheses before a part of it becomes a
# function of the export's own. ink's parser (inkjs and inklecate alike) gives up past
# 200 parser states, "Stack overflow in parser state": a bracketed sum costs about five
# a level, so `(a + (b + (…)))` 37 deep and `MAX(MAX(…))` 46 deep were refused while
# `foundry check` lets parentheses nest 100 deep. A function's body starts again at
# depth 0, and ink's runtime has no such limit on calls.
INK_NESTING = 12

# ink function name -> its definition, the parts of a story's expressions moved out so
# that no line nests deeper than INK_NESTING (`ink_parts`); one per distinct text.
InkParts = dict[str, str]


def to_ink(expr: Expr, parts: InkParts | None = None) -> str:
    """The expression as ink. With `parts`, a subexpression that would nest deeper than
    ink's parser reads becomes a call of a function added to `parts` (end the script
    with `ink_parts(parts)`); without, the text is inline whatever its depth."""
    return _ink(expr, parts)[0]


def to_ink_effects(effects: Iterable[Effect], parts: InkParts | None = None) -> list[str]:
    """One ink logic line (`~ …`) per effect; `parts` as for `to_ink`."""
    return [_ink_effect(effect, parts) for effect in effects]


def ink_parts(parts: InkParts) -> list[str]:
    """The definitions of the functions `to_ink` moved deep subexpressions into, in a
    fixed order (by name, which is the hash of the body): the same text each build."""
    return [parts[name] for name in sorted(parts)]


def _ink_effect(effect: Effect, parts: InkParts | None) -> str:
    if isinstance(effect, Assign):
        value = effect.value
        if effect.op != "=":  # `x = x + v` works in every ink version; `+=` does not
            value = Binary(effect.op[0], Name(effect.target), value)
        return f"~ {effect.target} = {to_ink(value, parts)}"
    if isinstance(effect, SetFlag):
        return f"~ {effect.name} = {'true' if effect.value else 'false'}"
    if isinstance(effect, (Give, Take)):
        return f"~ {item_variable(effect.item)} = {'true' if isinstance(effect, Give) else 'false'}"
    raise TypeError(f"not an effect node: {effect!r}")


def escape_ink_text(text: str, also: str = "") -> str:
    """Text as ink reads it back unchanged, in a string or in prose. A backslash makes
    any character literal; ink needs it before logic (`{ } | ~`), tags (`#`), glue and
    diverts (`<> -> <-`), and a second `/` or `*` after a `/`, because ink strips
    comments before it parses and does not see escapes there. `also` adds more: `"`
    in a string, `[ ]` in a choice."""
    out, previous = [], ""
    for char in text:
        if char in _INK_ESCAPED or char in also or (previous == "/" and char in "/*"):
            out.append("\\")
        out.append(char)
        previous = char
    return "".join(out)


_INK_ESCAPED = frozenset("\\{}|#<>~")


def _ink(node: Expr, parts: InkParts | None = None) -> tuple[str, bool]:
    """The ink text and whether it is safe as an operand anywhere without parentheses;
    a compound one nesting INK_NESTING deep goes into `parts` (when given)."""
    made = _ink_node(node, parts)
    if parts is None or isinstance(node, (Number, Bool, String, Name)) or _nesting(made[0]) < INK_NESTING:
        return made
    text = made[0]
    name = "HF_part_" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    parts[name] = f"=== function {name}() ===\n~ return {text}"
    return f"{name}()", True


def _nesting(text: str) -> int:
    """How deeply an ink expression's parentheses nest, outside its string literals
    (where `\\` escapes the next character)."""
    depth = deepest = 0
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest


def _ink_node(node: Expr, parts: InkParts | None) -> tuple[str, bool]:
    if isinstance(node, Number):
        return format_number(node.value), True
    if isinstance(node, Bool):
        return ("true" if node.value else "false"), True
    if isinstance(node, String):
        return '"' + escape_ink_text(node.value, also='"') + '"', True
    if isinstance(node, Name):
        return node.name, True
    if isinstance(node, Unary):
        return _ink_unary(node, parts), True
    if isinstance(node, Binary):
        return _ink_binary(node, parts)
    if isinstance(node, Call):
        return _ink_call(node, parts), True
    raise TypeError(f"not an expression node: {node!r}")


def _ink_operand(node: Expr, parts: InkParts | None) -> str:
    text, safe = _ink(node, parts)
    return text if safe else f"({text})"


def _ink_unary(node: Unary, parts: InkParts | None) -> str:
    operand = _ink_operand(node.operand, parts)
    if node.op == "not":
        # ink's `not` binds tighter than `==`: `not a == b` would mean `(not a) == b`.
        # `not not a` is no ink (the second `not` reads as a function's name): bracket it.
        return f"not ({operand})" if operand.startswith("not ") else f"not {operand}"
    return f"-({operand})" if operand.startswith("-") else f"-{operand}"  # no `--`


def _ink_binary(node: Binary, parts: InkParts | None) -> tuple[str, bool]:
    # each side made once: a division made its left side twice (as an operand, then as
    # an argument), so `1 / 3 / 3 / …` thirty times over took 2^30 steps to export
    (left_text, left_safe), (right_text, right_safe) = _ink(node.left, parts), _ink(node.right, parts)
    chained = isinstance(node.left, Binary) and node.left.op == node.op and node.op in _INK_CHAINS
    left = left_text if chained or left_safe else f"({left_text})"
    right = right_text if right_safe else f"({right_text})"
    if node.op in ("/", "//"):
        # ink divides two whole numbers as whole numbers, and no ink runtime keeps a
        # whole number a decimal: inkjs makes `3 * 1.0` the whole number 3 again (so
        # `(3 * 1.0) / 2` was 1 there), C# ink's decimals are 32-bit (16777217 * 1.0 is
        # 16777216). A function of the export's own (INK_HELPERS) divides exactly.
        helper = "HF_div" if node.op == "/" else "HF_floor_div"
        return f"{helper}({left_text}, {right_text})", True
    if node.op == "%":
        # ink's mod keeps the sign of the left side (-1 mod 3 is -1); ours floors (2).
        # A divisor that is no nonzero number goes through HF_mod, which does not divide
        # by zero: ink's `and`/`or` compute both sides, so `z != 0 and 7 % z == 1` with
        # z 0 stopped the C# runtime (DivideByZeroException) where ours never divides.
        if len(right) > INLINE_REPEAT or not (isinstance(node.right, Number) and node.right.value != 0):
            return f"HF_mod({left_text}, {right_text})", True
        return f"(({left} mod {right}) + {right}) mod {right}", False
    return f"{left} {node.op} {right}", False


def _ink_call(node: Call, parts: InkParts | None) -> str:
    # each argument made once (an operand of it is bracketed from that): made again as
    # an operand, `abs(abs(…))` fifty deep took 2^50 steps to export
    made = [_ink(arg, parts) for arg in node.args]
    args = [text for text, _ in made]
    operand = (made[0][0] if made[0][1] else f"({made[0][0]})") if made else ""
    func, count = node.func, len(args)
    if func in ("min", "max") and count >= 1:
        # ink's MIN/MAX take exactly two values: fold longer lists.
        text = args[0]
        for arg in args[1:]:
            text = f"{func.upper()}({text}, {arg})"
        return text if count > 1 else operand
    if count == 1 and func in ("floor", "ceil", "round", "abs"):
        return _ink_rounding(func, args[0], operand)
    if count == 3 and func == "clamp":
        return _ink_clamp(node, args)
    if func == "has":
        return item_variable(_id_argument(node))
    if func == "has_skill":
        return skill_variable(_id_argument(node))
    raise _unknown(node)


def _ink_rounding(func: str, arg: str, operand: str) -> str:
    # FLOOR and CEILING give floats in ink; INT() makes the whole number ours are.
    if func == "floor":
        return f"INT(FLOOR({arg}))"
    if func == "ceil":
        return f"INT(CEILING({arg}))"
    if func == "round":  # ink has no ROUND; halves go up, as in `evaluate` (INK_HELPERS)
        return f"HF_round({arg})"
    # ink has no ABS either. `abs(-0.75)` negates `-0.75`: ink reads `--0.75` as -0.75
    # (so abs(-0.75) was -0.75), so a negative operand is bracketed, as _ink_unary does.
    if len(arg) > INLINE_REPEAT:   # the same MAX through HF_abs's argument: written once
        return f"HF_abs({arg})"
    return f"MAX({arg}, {'-(' + operand + ')' if operand.startswith('-') else '-' + operand})"


def _ink_clamp(node: Call, args: list[str]) -> str:
    low, high = _constant(node.args[1]), _constant(node.args[2])
    if low is not None and high is not None:
        # Known bounds: put them in order now, as clamp() swaps reversed bounds.
        if low > high:
            args = [args[0], args[2], args[1]]
        return f"MIN(MAX({args[0]}, {args[1]}), {args[2]})"
    if len(args[1]) + len(args[2]) > INLINE_REPEAT:   # each bound written once, as HF_clamp's
        return f"HF_clamp({args[0]}, {args[1]}, {args[2]})"
    lo, hi = f"MIN({args[1]}, {args[2]})", f"MAX({args[1]}, {args[2]})"
    return f"MIN(MAX({args[0]}, {lo}), {hi})"


# Functions an ink export defines when its expressions call them (`ink_helpers`), for
# what ink has no exact operator for. Each computes what `evaluate` does, in every ink
# runtime from 0.9 on: whole numbers stay whole (never through a decimal, which is 32-bit
# in C# ink and turned back into a whole number by inkjs), a decimal only where ours is
# one. Their names and arguments start with `HF_`: no story variable, hero value or
# scene's knot can (ours are lowercase), and ink refuses an argument named like a VAR.
INK_HELPERS = {
    # _divide: a whole number when the division is exact, else a decimal.
    # Each helper dividing by HF_b returns 0 for a divisor of 0 rather than stopping the
    # story: ink computes both sides of `and`/`or`, so `z != 0 and 10 / z > 2` with z 0
    # divided by zero in the C# runtime (an exception: the Unity game stopped) where ours
    # never computes the right side; its value is not used then. A division by zero ours
    # does compute is HF0605 (the story's analysis).
    "HF_div": """=== function HF_div(HF_a, HF_b) ===
{ HF_b == 0:
    ~ return 0
}
{ HF_a mod HF_b == 0:
    ~ return HF_a / HF_b
}
~ return FLOAT(HF_a) / HF_b""",
    # Python's `//`: the remainder taken to the divisor's sign (as `%`), then an exact
    # division; a decimal quotient is rounded as CPython's float floor division does.
    "HF_floor_div": """=== function HF_floor_div(HF_a, HF_b) ===
{ HF_b == 0:
    ~ return 0
}
~ temp HF_m = HF_a mod HF_b
{ (HF_m < 0 and HF_b > 0) or (HF_m > 0 and HF_b < 0):
    ~ HF_m = HF_m + HF_b
}
~ temp HF_q = (HF_a - HF_m) / HF_b
~ temp HF_low = INT(FLOOR(HF_q))
{ HF_q - HF_low > 0.5:
    ~ return HF_low + 1
}
~ return HF_low""",
    # `%`, `abs` and `clamp` with the same arithmetic as their inline forms, for an
    # operand too long to write two or three times: `a % (b % (c % …))` wrote its right
    # side three times a level (3^n: a hundred levels never finished), `abs(abs(…))` twice.
    "HF_mod": """=== function HF_mod(HF_a, HF_b) ===
{ HF_b == 0:
    ~ return 0
}
~ return ((HF_a mod HF_b) + HF_b) mod HF_b""",
    "HF_abs": """=== function HF_abs(HF_x) ===
~ return MAX(HF_x, -HF_x)""",
    "HF_clamp": """=== function HF_clamp(HF_x, HF_lo, HF_hi) ===
~ return MIN(MAX(HF_x, MIN(HF_lo, HF_hi)), MAX(HF_lo, HF_hi))""",
    # _round: halves go up; a whole number is itself (`x + 0.5` would make it a decimal).
    "HF_round": """=== function HF_round(HF_x) ===
~ temp HF_low = INT(FLOOR(HF_x))
{ HF_x - HF_low >= 0.5:
    ~ return HF_low + 1
}
~ return HF_low""",
}
_HELPER_CALL = re.compile(r"\b(" + "|".join(INK_HELPERS) + r")\(")


def ink_helpers(logic: Iterable[str]) -> list[str]:
    """The definitions of the INK_HELPERS these conditions and effects (ink text) call,
    in a fixed order, to end the script with: a story that calls none gets none."""
    called = {name for text in logic for name in _HELPER_CALL.findall(text)}
    return [INK_HELPERS[name] for name in INK_HELPERS if name in called]


# --- SugarCube 2 (TwineScript) -------------------------------------------------------------
# TwineScript is JavaScript plus word operators. JavaScript's precedence refines ours
# (== sits below <, both below +), so our minimal parentheses are enough, with two
# exceptions handled below: `not` becomes `!`, which binds tighter than anything, and
# `//`/`%` need rewriting.
_SC_WORDS = {"==": "is", "!=": "isnot"}  # strict ===/!==: no JavaScript type coercion


def to_sugarcube(expr: Expr) -> str:
    return _sc(expr)[0]


def to_sugarcube_effects(effects: Iterable[Effect]) -> str:
    """One `<<set>>` macro per effect, in order. Joined without line breaks: in a
    SugarCube passage a line break is shown to the reader."""
    return "".join(_sc_effect(effect) for effect in effects)


def _sc_effect(effect: Effect) -> str:
    if isinstance(effect, Assign):
        op = "to" if effect.op == "=" else effect.op
        return f"<<set ${effect.target} {op} {to_sugarcube(effect.value)}>>"
    if isinstance(effect, SetFlag):
        return f"<<set ${effect.name} to {'true' if effect.value else 'false'}>>"
    if isinstance(effect, (Give, Take)):
        value = "true" if isinstance(effect, Give) else "false"
        return f"<<set ${item_variable(effect.item)} to {value}>>"
    raise TypeError(f"not an effect node: {effect!r}")


def _sc(node: Expr) -> tuple[str, int]:
    """The TwineScript text and how tightly it binds (our levels; unary = NEGATE)."""
    if isinstance(node, Number):
        return format_number(node.value), NEGATE if node.value < 0 else ATOM
    if isinstance(node, Bool):
        return ("true" if node.value else "false"), ATOM
    if isinstance(node, String):
        return _js_string(node.value), ATOM
    if isinstance(node, Name):
        return f"${node.name}", ATOM
    if isinstance(node, Unary):
        return _sc_unary(node), NEGATE
    if isinstance(node, Binary):
        return _sc_binary(node)
    if isinstance(node, Call):
        return _sc_call(node), ATOM
    raise TypeError(f"not an expression node: {node!r}")


# Characters a JavaScript string literal cannot hold as typed: a line break ends the
# literal (and a Twee line starting `::` after it would open a passage).
_JS_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JS_SPECIAL = re.compile("[\\\\\"\n\r\u2028\u2029]")


# A bracket after a bracket: `[[` opens a link for every reader of a Twee file but
# SugarCube's (Twine 2's story map, `foundry import`), even inside a string.
_SECOND_BRACKET = re.compile(r"(?<=\[)\[")


def _js_string(text: str) -> str:
    """`text` as a TwineScript (JavaScript) string literal that reads back as written,
    on one line: a text value holding a line break was written with the break itself,
    which SugarCube could not parse. Nor does it hold `[[`: a variable's `"[[x]]"` in
    StoryInit was a broken link to a passage 'x' in Twine's story map (`\\[` is `[`)."""
    escaped = _JS_SPECIAL.sub(lambda m: _JS_ESCAPES[m.group()], text)
    return '"' + _SECOND_BRACKET.sub(r"\\[", escaped) + '"'


def _sc_operand(node: Expr, needed: int) -> str:
    text, level = _sc(node)
    return text if level >= needed else f"({text})"


def _sc_unary(node: Unary) -> str:
    operand = _sc_operand(node.operand, NEGATE)  # `not` is `!`: only atoms and unaries follow
    if node.op == "not":
        return f"not {operand}"
    return f"-({operand})" if operand.startswith("-") else f"-{operand}"  # `--` is decrement


# The functions the SugarCube export writes in place (it has no file of its own to define
# them in), each applied to the two sides; `foundry import` reads them back as `//` and `%`
# (importers/macros.py).
SC_FLOOR_DIV = ("(function (hfA, hfB) { var hfM = hfA % hfB; if (hfM !== 0 && (hfM < 0) !== (hfB < 0)) hfM += hfB; "
                "var hfQ = (hfA - hfM) / hfB, hfF = Math.floor(hfQ); return hfQ - hfF > 0.5 ? hfF + 1 : hfF; })")
SC_MOD = "(function (hfA, hfB) { return ((hfA % hfB) + hfB) % hfB; })"


def _sc_binary(node: Binary) -> tuple[str, int]:
    own = PRECEDENCE[node.op]
    comparison = node.op in _SC_WORDS or own == PRECEDENCE["<"]
    (left_text, left_level), (right_text, right_level) = _sc(node.left), _sc(node.right)
    left = left_text if left_level >= (own + 1 if comparison else own) else f"({left_text})"
    right = right_text if right_level >= own + 1 else f"({right_text})"
    if node.op == "//":
        # Python's `//`, as `evaluate` (and ink's HF_floor_div, the site's player) compute
        # it: the remainder taken to the divisor's sign, then the exact division of what
        # is left, rounded to the nearest whole number. `Math.floor(a / b)` floored the
        # rounded quotient: 1 // 0.1 is 9 here (0.1 is a little more than a tenth) and
        # was 10 in the Twee story, 7 // 0.1 69 against 70.
        return f"{SC_FLOOR_DIV}({left_text}, {right_text})", ATOM
    if node.op == "%":
        # JavaScript's % keeps the sign of the left side (-1 % 3 is -1); ours floors (2).
        if len(right) > INLINE_REPEAT:   # the same sum, its right side written once (see INLINE_REPEAT)
            return f"{SC_MOD}({left_text}, {right_text})", ATOM
        return f"(({left} % {right}) + {right}) % {right}", own
    return f"{left} {_SC_WORDS.get(node.op, node.op)} {right}", own


_SC_MATH = {"floor": "Math.floor", "ceil": "Math.ceil", "abs": "Math.abs",
            "min": "Math.min", "max": "Math.max",
            "round": "Math.round",  # halves go up, exactly as `evaluate` rounds
            "clamp": "Math.clamp"}  # SugarCube's own; swaps reversed bounds, as ours does
_SC_ARITY = {"floor": (1, 1), "ceil": (1, 1), "abs": (1, 1), "round": (1, 1),
             "min": (1, None), "max": (1, None), "clamp": (3, 3)}


def _sc_call(node: Call) -> str:
    if node.func == "has":
        return "$" + item_variable(_id_argument(node))
    if node.func == "has_skill":
        return "$" + skill_variable(_id_argument(node))
    low, high = _SC_ARITY.get(node.func, (1, 0))
    if len(node.args) < low or (high is not None and len(node.args) > high):
        raise _unknown(node)
    args = ", ".join(_sc(arg)[0] for arg in node.args)
    return f"{_SC_MATH[node.func]}({args})"
