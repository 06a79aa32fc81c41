"""A condition as the C# ink runtime (Unity, Inky, inklecate) computes the ink export's
form of it, where decimals are 32-bit floats (`float`): `16777217 * 1.5 > 25165825` is
true here (25,165,825.5) and false there (25,165,824), so a choice `foundry play`, the
site's player and inkjs offer is hidden in a Unity game. docs/expressions.md lists the
ways; this finds the ones a story's reached states meet (stories/analysis.py
`ink_decimals`, HF0613).

It follows what expr/emit.py writes: whole numbers stay whole (`+ - *`, `HF_div` when
the division is exact, `INT(FLOOR(…))`), a decimal literal or a division that is not
exact is a float and every step with a float is a float step (a float32 operation is a
double operation rounded to float32: exact for `+ - * /`, a double has more than twice
float32's bits), a comparison with a float compares floats. Where its answer is not
certain to be the runtime's — a value that is not a number, a float cast to a whole number
past 32 bits (runtimes differ), a failure — it answers None and nothing is said. A floor
division and `round` are computed as the export's HF_floor_div and HF_round run there
(each step of them checked against `inklecate -p` on 660 values). Whole numbers are C#'s `int`: a step
past ±2^31 wraps around there (`2000000000 + 2000000000 > 0` is false in Unity), as
HF0611 says of an effect (a remainder's `(a mod b) + b` too); a whole number read or
cast past it is not modelled (None).
"""

from __future__ import annotations

import math
import struct
from contextvars import ContextVar
from typing import Mapping

from .errors import ExprError
from .evaluate import evaluate
from .nodes import COMPARISONS, Binary, Bool, Call, Expr, Name, Number, String, Unary


class _Unknown(Exception):
    """The runtime's answer is not certain here: say nothing."""


def f32(value: float) -> float:
    """`value` rounded to the nearest 32-bit float, as C#'s `(float)` does."""
    try:
        return struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        raise _Unknown from None


def csharp_text(value) -> str:
    """`value` as the C# ink runtime prints it (inklecate, Unity): a whole number as
    written, a decimal (a 32-bit float there) in .NET's general form of 7 significant
    digits, which Python's `.7G` is: 3.0 → `3`, 0.1 → `0.1`, 16777216.0 → `1.677722E+07`,
    -647483648.0 → `-6.474836E+08` (each checked against `inklecate -p`). What a
    message names as C#'s number is then the number the writer sees there."""
    if isinstance(value, float) and not isinstance(value, bool) and math.isfinite(value):
        return format(value, ".7G")
    return str(value)


def condition_in_csharp_ink(node: Expr, env: Mapping, items: frozenset[str], skills: frozenset[str]) -> bool | None:
    """Whether the condition holds in the C# ink runtime for these values, or None when
    that is not certain (module docstring). `env`: names → values as `evaluate` reads
    them (a decimal there is taken as the float ink would hold)."""
    try:
        value = _run(node, env, items, skills)
    except (_Unknown, ZeroDivisionError, OverflowError, ValueError, TypeError):
        return None
    return value if isinstance(value, bool) else None


def value_in_csharp_ink(node: Expr, env: Mapping, items: frozenset[str], skills: frozenset[str],
                        wraps: bool = True):
    """The value of `node` as the C# ink runtime computes the export's form of it (a
    whole-number step wrapped into 32 bits, a decimal a 32-bit float), or None when that
    is not certain (module docstring). `env` as for condition_in_csharp_ink. With
    `wraps` False, whole numbers are not wrapped (nor refused past 32 bits): the same
    arithmetic with its 32-bit decimals alone, which tells a value a wrap changed from
    one its decimals' precision changed (`floor(2.5 + gold)` with 1,000,000,002 gold is
    1,000,000,000 there: a float step, nothing wrapped)."""
    token = _WRAPS.set(wraps)
    try:
        return _run(node, env, items, skills)
    except (_Unknown, ZeroDivisionError, OverflowError, ValueError, TypeError):
        return None
    finally:
        _WRAPS.reset(token)


def uses_decimals(node: Expr, env: Mapping) -> bool:
    """Whether a condition computes with a decimal here: a decimal number, a `/`, or a
    name holding a decimal (else it is whole-number arithmetic, the same everywhere)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Number) and isinstance(n.value, float):
            return True
        if isinstance(n, Binary):
            if n.op == "/":
                return True
            stack += [n.left, n.right]
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Call):
            stack += list(n.args)
        elif isinstance(n, Name) and isinstance(env.get(n.name), float):
            return True
    return False


INT_MIN, INT_MAX = -2**31, 2**31 - 1
# Whether whole numbers wrap into 32 bits (the runtime), or are left whole (value_in_csharp_ink's `wraps`)
_WRAPS: ContextVar[bool] = ContextVar("wraps", default=True)


def _wrap(value: int) -> int:
    """A whole-number step as C#'s unchecked `int` gives it: wrapped into 32 bits."""
    return (value - INT_MIN) % 2**32 + INT_MIN if _WRAPS.get() else value


def _whole(value):
    """A whole number ink holds as read: one past 32 bits is HF0610/HF0611's, not known here."""
    if type(value) is int and not INT_MIN <= value <= INT_MAX and _WRAPS.get():
        raise _Unknown
    return value


def whole_steps(node: Expr) -> tuple[int, int]:
    """(the `+ - * %` steps of a condition, the largest number it writes, at least 2): what
    `may_wrap` weighs, found once per condition."""
    steps, largest, stack = 0, 2, [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Number):
            largest = max(largest, abs(n.value))
        elif isinstance(n, Binary):
            steps += n.op in ("+", "-", "*", "%", "//")   # the export's remainder adds: ((a mod b) + b) mod b (HF_floor_div too)
            stack += [n.left, n.right]
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Call):
            stack += list(n.args)
    return steps, largest


def may_wrap(steps: tuple[int, int], values) -> bool:
    """Whether a whole-number condition of `steps` (whole_steps) may compute past 32 bits
    reading `values`: each step is at most m^(steps + 1), m the largest number read or
    written, so one whose bound stays within C#'s `int` (most: `gold + 1 > 5`) is the
    same there as here and is not asked."""
    count, largest = steps
    if not count:
        return False
    for value in values:
        if type(value) in (int, float):
            largest = max(largest, abs(value))
    return largest ** (count + 1) > INT_MAX


def _truncated_mod(a: int, b: int) -> int:
    """C#'s `%` of whole numbers: the remainder takes the sign of `a`."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


def _is_float(value) -> bool:
    return isinstance(value, float)


def _num(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Unknown
    return value


def _run(node: Expr, env: Mapping, items: frozenset[str], skills: frozenset[str]):
    if isinstance(node, Number):
        return f32(node.value) if isinstance(node.value, float) else _whole(node.value)
    if isinstance(node, (Bool, String)):
        return node.value
    if isinstance(node, Name):
        if node.name not in env:
            raise _Unknown
        value = env[node.name]
        return f32(value) if isinstance(value, float) else _whole(value)
    if isinstance(node, Unary):
        operand = _run(node.operand, env, items, skills)
        if node.op == "not":
            if not isinstance(operand, bool):
                raise _Unknown
            return not operand
        value = -_num(operand)
        return value if _is_float(value) else _wrap(value)
    if isinstance(node, Binary):
        return _binary(node, env, items, skills)
    if isinstance(node, Call):
        return _call(node, env, items, skills)
    raise _Unknown


def _binary(node: Binary, env: Mapping, items: frozenset[str], skills: frozenset[str]):
    op = node.op
    if op in ("and", "or"):
        left = _run(node.left, env, items, skills)
        if not isinstance(left, bool):
            raise _Unknown
        if (op == "and" and not left) or (op == "or" and left):
            return left
        right = _run(node.right, env, items, skills)
        if not isinstance(right, bool):
            raise _Unknown
        return right
    left, right = _run(node.left, env, items, skills), _run(node.right, env, items, skills)
    if op in ("==", "!="):
        if isinstance(left, (int, float)) and isinstance(right, (int, float)) \
                and not isinstance(left, bool) and not isinstance(right, bool) and (_is_float(left) or _is_float(right)):
            same = f32(left) == f32(right)
        else:
            same = type(left) is type(right) and left == right
        return same if op == "==" else not same
    left, right = _num(left), _num(right)
    floats = _is_float(left) or _is_float(right)
    if op in COMPARISONS:
        a, b = (f32(left), f32(right)) if floats else (left, right)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
    if op == "/":
        if not floats and right != 0 and left % right == 0:   # HF_div: an exact division stays whole
            return _whole(left // right)   # int.MinValue / -1 throws in C#
        return f32(f32(left) / f32(right))
    if op == "%" and floats:
        # ((a mod b) + b) mod b, each a float step (C#'s % on floats is fmod)
        a, b = f32(left), f32(right)
        return f32(math.fmod(f32(f32(math.fmod(a, b)) + b), b))
    if op == "%":
        # ((a mod b) + b) mod b, C#'s `%` truncating (its sign is a's), the `+ b` wrapping
        # past 32 bits (`147483600 % 2147483000` is -2000000696 there); int.MinValue % -1 throws
        if right == 0 or (right == -1 and left == INT_MIN):
            raise _Unknown
        return _truncated_mod(_wrap(_truncated_mod(left, right) + right), right)
    if op in ("+", "-", "*"):
        if floats:
            a, b = f32(left), f32(right)
            return f32(a + b if op == "+" else a - b if op == "-" else a * b)
        return _wrap(left + right if op == "+" else left - right if op == "-" else left * right)
    if op == "//":
        return _floor_div(left, right, floats)
    raise _Unknown


def _floor_div(a, b, floats: bool):
    """HF_floor_div (expr/emit.py) as the C# runtime runs it: the remainder (C#'s
    truncating `%`, fmod of floats) taken to the divisor's sign, the exact division
    of what is left (whole numbers: C#'s truncating `/`), then INT(FLOOR(…)) and up
    when more than a half is left. Ours is Python's `//`."""
    if b == 0:
        return 0   # `HF_b == 0`: the helper returns 0 (a division by zero ours computes is HF0605)
    if floats:
        a, b = f32(a), f32(b)
        m = f32(math.fmod(a, b))
        if (m < 0 < b) or (m > 0 > b):
            m = f32(m + b)
        q = f32(f32(a - m) / b)
        return _rounded_up_from_floor(q, lambda d: d > 0.5)
    if b == -1 and a == INT_MIN:
        raise _Unknown   # int.MinValue % -1 throws in C#
    m = _truncated_mod(a, b)
    if (m < 0 < b) or (m > 0 > b):
        m = _wrap(m + b)
    rest = _wrap(a - m)
    if b == -1 and rest == INT_MIN:
        raise _Unknown
    q = abs(rest) // abs(b) * (1 if (rest < 0) == (b < 0) else -1)   # C#'s `/` truncates
    return _whole(q)


def _rounded_up_from_floor(x: float, up) -> int:
    """INT(FLOOR(x)), plus one when `up(x - that)` (a float step): HF_round's and
    HF_floor_div's last step on a decimal. Past 32 bits C#'s cast of the float is not
    certain (it differs between runtimes): not known."""
    low = math.floor(x)
    if not INT_MIN <= low <= INT_MAX:
        raise _Unknown
    return _wrap(low + 1) if up(f32(x - low)) else low


def _call(node: Call, env: Mapping, items: frozenset[str], skills: frozenset[str]):
    func = node.func
    if func in ("has", "has_skill"):
        arg = node.args[0] if node.args else None
        if not isinstance(arg, String):
            raise _Unknown
        return arg.value in (items if func == "has" else skills)
    args = [_num(_run(a, env, items, skills)) for a in node.args]
    if func in ("min", "max") and args:
        pick = min if func == "min" else max
        value = args[0]
        for other in args[1:]:
            floats = _is_float(value) or _is_float(other)
            a, b = (f32(value), f32(other)) if floats else (value, other)
            chosen = pick(a, b)
            value = f32(chosen) if floats else chosen
        return value
    if func in ("floor", "ceil") and len(args) == 1:
        x = args[0]
        return _whole(int(math.floor(f32(x)) if func == "floor" else math.ceil(f32(x)))) if _is_float(x) else x
    if func == "abs" and len(args) == 1:
        return abs(args[0]) if _is_float(args[0]) else _wrap(abs(args[0]))   # MAX(x, -x)
    if func == "clamp" and len(args) == 3:
        # MIN(MAX(x, low), high), the bounds put in order (expr/emit.py _ink_clamp); a
        # decimal among them makes every MIN/MAX a float one
        if any(_is_float(a) for a in args):
            args = [f32(a) for a in args]
        x, low, high = args
        return min(max(x, min(low, high)), max(low, high))
    if func == "round" and len(args) == 1:
        # HF_round: a whole number is itself; a decimal INT(FLOOR(x)), up when at least
        # a half is left (a float step: 2.4999999999 is 2.5 there, so 3)
        return _rounded_up_from_floor(f32(args[0]), lambda d: d >= 0.5) if _is_float(args[0]) else args[0]
    raise _Unknown


def decimal_in_ink(node: Expr, env: Mapping, items: frozenset[str], skills: frozenset[str]) -> bool:
    """Whether the ink export's form of `node` (expr/emit.py) computes a decimal, a C#
    `float`, rather than a whole number: a decimal number, a name holding a decimal, a
    `/` that is not exact (HF_div), or a step with a decimal in it (ink makes the other
    side a decimal too, MIN/MAX as well); `floor`, `ceil`, `round` and `//` give whole
    numbers (INT(…)). `env`: names → values as `evaluate` reads them, a variable ink
    holds as a decimal given as a float even where it is whole (3.0: `rate = 3 / 2;
    rate = rate * 2` is 3 here and the decimal 3.0 in ink, whatever scene reads it).
    Where a division's exactness cannot be computed it counts as a decimal."""
    if isinstance(node, Number):
        return isinstance(node.value, float)
    if isinstance(node, Name):
        return isinstance(env.get(node.name), float)
    if isinstance(node, Unary):
        return node.op != "not" and decimal_in_ink(node.operand, env, items, skills)
    if isinstance(node, Binary):
        if node.op in COMPARISONS or node.op in ("==", "!=", "and", "or", "//"):
            return False
        if decimal_in_ink(node.left, env, items, skills) or decimal_in_ink(node.right, env, items, skills):
            return True
        if node.op != "/":
            return False
        try:
            a, b = evaluate(node.left, env, items, skills), evaluate(node.right, env, items, skills)
        except ExprError:
            return True
        return not (type(a) is int and type(b) is int and b != 0 and a % b == 0)
    if isinstance(node, Call):
        return node.func not in ("floor", "ceil", "round", "has", "has_skill") \
            and any(decimal_in_ink(a, env, items, skills) for a in node.args)
    return False
