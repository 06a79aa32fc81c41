"""SugarCube and Harlowe expressions → trees of our expression language.

A small tokenizer and precedence-climbing parser for the part of TwineScript (SugarCube)
and Harlowe's macro language that has a meaning in our format: story variables,
numbers, text, true/false, comparison (`is`, `isnot`, `is not`, `eq`, `neq`, `gt`,
`gte`, `lt`, `lte`, `==`, `===`, `!=`, `!==`, `<`, `<=`, `>`, `>=`), `and`/`or`/`not`
(and `&&`/`||`/`!`), arithmetic, parentheses, a few `Math.` functions, and assignments
(`$x to …`, `=`, `+=`, `-=`, `*=`, `/=`, Harlowe's `it` and `(put: … into $x)`).
Anything else raises Untranslatable with the offset of the first thing not understood.

Precedence follows JavaScript, which both formats compile to: `not`/`!` binds tighter
than any comparison, `==` binds looser than `<`. The trees are built directly, so our
printer adds whatever parentheses our own precedence needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from ..diagnostics import clip
from ..expr.tokens import NUMBER_LIMIT
from ..expr.emit import SC_FLOOR_DIV, SC_MOD
from .ink_own import OwnFunctions
from .js_strings import JsStringError, js_string_value
from .state import literal
from ..expr import Assign, Binary, Bool, Call, Effect, Expr, Name, Number, SetFlag, String, Unary, to_source
from ..expr.nodes import walk

# Nesting a source expression may have: a real condition has a handful of levels, and
# each costs about nine Python frames in this recursive-descent parser.
MAX_DEPTH = 32
# Binary operators one expression may chain (`$a is 1 or $a is 2 or …`): a chain is read
# in a loop, but it builds a tree as deep as it is long, which every later step walks
# recursively: 1,000 `or`s ran out of Python's stack (an internal error).
MAX_OPERATORS = 100
# Terms (names and values) one translated expression may hold. A remainder is written
# `a - b * trunc(a / b)` (`remainder`), each side three times over, so each `%` in a row
# triples what came before it: fifteen of them (`$x % $x % …`, 45 characters) made 3^15
# terms, which ran the machine out of memory. Real conditions hold a few dozen terms.
MAX_TERMS = 2_000
# Characters of our ink export's deep parts (HF_part_… functions, ink_own.py) one
# expression may read in place, each call read again: a part calling the next twice,
# `MIN(HF_part_b(), HF_part_b())`, doubles what each level reads, so eight levels of
# such parts in a 2 KB file were 8^7 parts read (over 200 s and 0.5 GB, then refused
# as too long). The export moves only what a 2,000-character expression holds into
# parts: what they read back is well under this.
MAX_PARTS_READ = 32 * 2_000

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<string>"(?:\\[\s\S]|[^"\\])*"|'(?:\\[\s\S]|[^'\\])*')
  | (?P<var>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<temp>_[A-Za-z][A-Za-z0-9_]*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?)
  | (?P<op>===|!==|==|!=|>=|<=|&&|\|\||\+=|-=|\*=|/=|[-+*/%<>!(),;=])
""", re.VERBOSE)

# The characters of an ink name (knot, stitch, label, variable), as inklecate and inkjs
# read one (InkParser's identifier character set: ASCII letters, digits and `_`, and the
# Latin-1, Latin Extended, Greek, Cyrillic, Armenian, Hebrew, Arabic, Hangul and CJK
# ranges it lists, less the few it excludes). A name may begin with a digit but is not
# digits only. Read as `[A-Za-z_]\w*`, `=== ёлка ===` and `-> été` were prose a reader
# saw, and the story imported went elsewhere than inkjs plays it.
INK_NAME_CHARS = ("A-Za-z0-9_\u0080-\u024f\u0370-\u0373\u0376\u0377\u0386\u0388-\u038a\u038c"
                  "\u038e-\u03a1\u03a3-\u03ff\u0400-\u0481\u048a-\u04ff\u0531-\u0556\u0561-\u0587"
                  "\u058f\u0590-\u06ff\uac00-\ud7af\u4e00-\u9fff")
INK_NAME = f"[0-9]*[{INK_NAME_CHARS.replace('0-9', '')}][{INK_NAME_CHARS}]*"
# ink's tokens: a name (tried before a number, so `1st` is one) where SugarCube has `$var`
# and `_temp` (in ink `_x` is an ordinary name)
_INK_TOKEN = re.compile(_TOKEN.pattern.replace(
    r"""  | (?P<var>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<temp>_[A-Za-z][A-Za-z0-9_]*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?)""", "").replace(
    "  | (?P<number>", f"  | (?P<word>{INK_NAME}(?:\\.{INK_NAME})*)\n  | (?P<number>"), re.VERBOSE)

_COMPARE = {"is": "==", "isnot": "!=", "eq": "==", "neq": "!=", "==": "==", "===": "==", "!=": "!=",
            "!==": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", ">": ">", ">=": ">=",
            "<": "<", "<=": "<="}
_EQUALITY = {"==", "!="}
_FUNCTIONS = {"Math.floor": "floor", "Math.ceil": "ceil", "Math.round": "round", "Math.abs": "abs",
              "Math.min": "min", "Math.max": "max", "Math.clamp": "clamp"}
_INK_WORDS = {"and", "or", "not", "mod", "true", "false", "temp", "return", "to", "is", "isnot"}
# ink's built-in functions with a counterpart of ours, and how many values each takes.
# INT is read as inkjs computes it (rounding down: INT(-7.9) is -8; the C# runtime cuts
# toward zero), as `/` on whole numbers is; FLOAT is its value, made a decimal (so a
# division of it is exact, as in ink).
_INK_FUNCTIONS = {"MIN": ("min", 2), "MAX": ("max", 2), "FLOOR": ("floor", 1), "CEILING": ("ceil", 1),
                  "INT": ("floor", 1), "FLOAT": ("", 1)}
# The functions our own ink export defines (INK_HELPERS in expr/emit.py), each an
# operator or function of ours; a binary operator's name is its symbol.
_OWN_HELPERS = {"HF_div": ("/", 2), "HF_floor_div": ("//", 2), "HF_mod": ("%", 2), "HF_abs": ("abs", 1),
                "HF_clamp": ("clamp", 3), "HF_round": ("round", 1)}
_NAMED_LITERALS = {"true": Bool(True), "false": Bool(False)}
# SugarCube's tests of whether a passage was shown (a count, for `visited`), read as a
# true/false variable of the importer's (Parser.visited)
_VISIT_TESTS = {"hasVisited", "visited"}
# a count of visits (ink's read count, SugarCube's `visited("X")`) compared with 0 or 1
# asks only whether it was seen: (op, number) → seen? (count_as_seen)
SEEN_TESTS = {(">", 0): True, (">=", 1): True, ("!=", 0): True,
              ("==", 0): False, ("<", 1): False, ("<=", 0): False}
# a comparison written the other way round (`0 < n` is `n > 0`)
MIRRORED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}


def count_as_seen(op: str, count: Expr, value: object) -> Expr | None:
    """`count op value`, a count of visits compared with a number, as the seen-flag
    `count` stands for: the flag (`> 0`, `>= 1`, `!= 0`), its negation (`== 0`, `< 1`,
    `<= 0`), or None when the comparison asks how many times (`> 1`, `== 1`)."""
    if (op, value) not in SEEN_TESTS:
        return None
    return count if SEEN_TESTS[op, value] else Unary("not", count)
_IT_GROWS = "Harlowe's `it` after a comparison writes its compared side out again"
_REMAINDER_GROWS = ("'%s' is written a - b * trunc(a / b) in Foundry's expressions (a remainder keeping the sign "
                    "of a, as JavaScript's and ink's do), which repeats each side three times")


# What to do about an expression past one of the limits above: the code's own hint
# ("only comparisons, and/or/not, arithmetic and variables translate") is no help for
# `$x % $x % …`, all arithmetic, or a chain of 101 comparisons.
LIMIT_HINT = ("Write it in smaller parts, then import again: set a variable to each remainder first, one `%` "
              "(ink's `mod`) an expression (`<<set $r to $x % 3>>`, `~ r = x mod 3`), test fewer things in one "
              "condition (nested `<<if>>`s, or a variable set earlier standing for several), and nest fewer "
              "parentheses.")


# What to write for a passage's visits asked as a number (SugarCube's `visited("X") gt 1`,
# `visited("X") % 2`): only whether it was shown imports.
COUNT_VISITS_HINT = ("Only `visited(\"Name\") gt 0` (`gte 1`), `visited(\"Name\") is 0` (`lt 1`) or "
                     "`hasVisited(\"Name\")` import; count the visits in a story variable (`<<set $kitchen_visits "
                     "to 0>>` in StoryInit, `<<set $kitchen_visits += 1>>` in the passage) and test that, then "
                     "import again.")
# The same for Harlowe's `(visited: "X")`, true or false, in arithmetic.
COUNT_VISITS_HINT_HARLOWE = ("Test `(visited: \"Name\")` alone, or count the visits in a variable set at the "
                             "passage's top (`(set: $visits_here to it + 1)`, started at 0 in a `startup` passage) "
                             "and test that, then import again.")


class Untranslatable(Exception):
    """`offset` is where, in the expression text, the first untranslatable part starts;
    `hint`, when set, what to do (LIMIT_HINT for an expression past the importer's limits)."""

    def __init__(self, message: str, offset: int, hint: str | None = None):
        super().__init__(message)
        self.message, self.offset, self.hint = message, offset, hint


@dataclass(frozen=True)
class Tok:
    kind: str
    text: str
    offset: int


def tokenize(text: str, ink: bool = False, harlowe: bool = False) -> list[Tok]:
    """The tokens of `text`; `ink`: names are ink's (bare, `_`- or digit-led, non-ASCII
    letters, `knot.stitch`), not SugarCube's `$var` and `_temp`; `harlowe`: a macro
    called inside (`(visited: "X")`) is one token of kind "macro", its text the name."""
    toks, pos, pattern = [], 0, _INK_TOKEN if ink else _TOKEN
    while pos < len(text):
        m = pattern.match(text, pos)
        if harlowe and not m and text[pos] == ":" and len(toks) >= 2 and toks[-1].kind == "word" \
                and toks[-2].text == "(" and toks[-1].offset == toks[-2].offset + 1:
            toks[-2:] = [Tok("macro", toks[-1].text, toks[-2].offset)]
            pos += 1
            continue
        if not m:
            raise Untranslatable(_not_understood(text, pos, toks), pos)
        if m.lastgroup != "space":
            toks.append(Tok(m.lastgroup, m.group(), pos))
        pos = m.end()
    toks.append(Tok("end", "", len(text)))
    return toks


def _not_understood(text: str, pos: int, toks: list[Tok]) -> str:
    """Why the character at `pos` is no token: Harlowe's values our expressions have no
    counterpart for are named (a macro called inside, `(a: "rope")`, `(random: 1, 3)`; a
    possessive, `$inv's length`), else the character."""
    if text[pos] == ":" and len(toks) >= 2 and toks[-1].kind == "word" and toks[-2].text == "(" \
            and toks[-1].offset == toks[-2].offset + 1:
        return f"the ({clip(toks[-1].text, 30)}:) macro (its value) has no counterpart in an expression"
    if text.startswith("'s", pos) and pos and (text[pos - 1].isalnum() or text[pos - 1] in "_)]"):
        return "Harlowe's possessive ('s: a part of an array, datamap or text) has no counterpart"
    return f"'{text[pos]}' is not understood here"


# The functions our own Twee export writes in place for `//` and `%` (expr/emit.py), each
# read as a call of a name no story variable has (`$` starts those), padded to the same
# length so every later offset stays where the writer's text has it.
_SC_OWN = {SC_FLOOR_DIV: ("HF_floor_div", "//"), SC_MOD: ("HF_mod", "%")}
_SC_OWN_CALLS = {name: op for name, op in _SC_OWN.values()}


def _own_sugarcube(text: str) -> str:
    for written, (name, _) in _SC_OWN.items():
        if written in text:
            text = text.replace(written, name.ljust(len(written)))
    return text


class Parser:
    """One expression or assignment list; `harlowe` switches on `is not`, `it`,
    `put … into` and Harlowe's wording in messages."""

    def __init__(self, text: str, harlowe: bool, rename, ink: bool = False, own: OwnFunctions | None = None,
                 constants: set[str] | None = None):
        if not ink and not harlowe:
            text = _own_sugarcube(text)
        self.toks, self.i, self.harlowe, self.rename = tokenize(text, ink, harlowe), 0, harlowe, rename
        self.constants = constants   # Harlowe: the `const-type` variables set before (_constant)
        # SugarCube: passage name, offset → the variable standing for "was shown" (_visit), or None
        self.visited: Callable[[str, int], str | None] | None = None
        # id → node of each `visited("X")` read (a count in SugarCube, read as the flag):
        # compared with true or false it asks what the flag cannot answer (_equality)
        self.visit_counts: dict[int, Expr] = {}
        self.visit_tests: dict[int, Expr] = {}   # the same, and `hasVisited("X")` (true/false)
        self.visit_at: dict[int, int] = {}       # where each of them is written
        self.passage: str | None = None   # the passage the expression is in (Harlowe's (history:) leaves it out)
        # Harlowe: → the variable standing for "this passage was shown before this visit"
        # (twine.py `_been_flag`), for `visits` and `(history:) contains` it
        self.been: Callable[[], str] | None = None
        # id → node of each Harlowe `visits` read (this passage's count, this visit
        # included): only compared with a number it means anything we can write (_here_compared)
        self.here_counts: dict[int, Expr] = {}
        # SugarCube: a temporary variable (`_n`), its offset, whether it is set there →
        # the story variable standing for it (Untranslatable where it has none)
        self.temp: Callable[[str, int, bool], str] | None = None
        self.ink = ink   # ink: variables are bare words, `mod` is %, `/` of whole numbers rounds
        self.own = own or OwnFunctions()   # ink: the functions our own export defines in the file
        # id → node of the values ink holds as decimals (FLOAT(x), FLOOR of one): a
        # division of one is exact in ink, not rounded down
        self.decimals: dict[int, Expr] = {}
        # what Harlowe's `it` stands for: the variable set (a name), or the left side of the
        # last comparison read
        self.it: str | Expr | None = None
        self.depth = 0   # parentheses and prefix operators open around the current token
        self.operators = 0   # binary operators read so far (MAX_OPERATORS)
        # id of a translated subtree → (it, its terms): a remainder shares its sides
        # rather than copying them, so each is counted once (and kept alive, id stable)
        self.terms: dict[int, tuple[Expr, int]] = {}
        self.grew: tuple[Tok, str] | None = None   # the last translation that repeated its parts, and how
        self.parts_read = [0]   # characters of HF_part_ functions read so far (MAX_PARTS_READ), shared with their parsers

    # -- helpers ------------------------------------------------------------------------
    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def at(self, *texts: str) -> bool:
        return self.tok.text in texts and self.tok.kind in ("op", "word")

    def fail(self, what: str) -> Untranslatable:
        tok = self.tok
        shown = f"'{tok.text}'" if tok.kind != "end" else "the end"
        return Untranslatable(f"{what}; found {shown}", tok.offset)

    def end(self) -> None:
        if self.tok.kind != "end":
            raise self.fail("expected the end of the expression")

    # -- expressions (JavaScript precedence) ---------------------------------------------
    def expression(self) -> Expr:
        if self.depth == 0:
            self.grew = None    # each value of a `<<set $a to …, $b to …>>` on its own
        node = self._or()
        if self.depth == 0 and self.grew is not None:
            # the whole expression (a condition, or the value set) is held to MAX_TERMS,
            # not only each remainder or elision in it: sixteen `($x % … % $x)` of 810
            # terms each, joined by `+`, made 13,000 terms (100,000 characters) that
            # every later step wrote out and walked again
            self._within_terms(node, *self.grew, whole=True)
        return node

    def _or(self) -> Expr:
        left = self._and()
        while self.at("or", "||"):
            self._chained(at := self.take())
            right = self._and()
            left = self._elided(Binary("or", left, right), right, at)
        return left

    def _and(self) -> Expr:
        left = self._equality()
        while self.at("and", "&&"):
            self._chained(at := self.take())
            right = self._equality()
            left = self._elided(Binary("and", left, right), right, at)
        return left

    def _elided(self, joined: Binary, right: Expr, at: Tok) -> Binary:
        """Harlowe's elided comparison: `$hp is 1 or 2` means `$hp is 1 or $hp is 2` (and
        `$a < 3 and 5` is `$a < 3 and $a < 5`) — a number or text alone on the right of
        `and`/`or` reuses the comparison before it. JavaScript (SugarCube) and ink have
        no such rule. `joined` is `left and/or right` as read, `at` its operator."""
        if not self.harlowe or _literal_kind(right) not in ("number", "string"):
            return joined
        left = joined.left
        while isinstance(left, Binary) and left.op in ("and", "or"):
            left = left.right
        if isinstance(left, Binary) and left.op in _COMPARISONS:
            # the compared side is written again for each value: under a `%` it is long
            return self._within_terms(Binary(joined.op, joined.left, Binary(left.op, left.left, right)), at,
                                      "an elided comparison (`$a is 1 or 2`) repeats the side compared")
        return joined

    def _compare_op(self, allowed: set[str]) -> str | None:
        tok = self.tok
        if tok.kind not in ("op", "word") or tok.text not in _COMPARE:
            return None
        op = _COMPARE[tok.text]
        if op not in allowed:
            return None
        self.take()
        if self.harlowe and tok.text == "is" and self.at("not"):
            self.take()
            op = "!="
        return op

    def _equality(self) -> Expr:
        left = self._relation()
        while (op := self._compare_op(_EQUALITY)) is not None:
            self._chained(self.toks[self.i - 1])
            self._compared(left)
            at = self.tok.offset if self.tok else 0
            right = self._relation()
            if (counted := self._count_compared(op, left, right, at)) is not None:
                left = counted
                continue
            if any(id(a) in self.visit_counts and isinstance(b, Bool) for a, b in ((left, right), (right, left))):
                # `visited("X") is true` is never true in SugarCube (a number is no true/false:
                # `is` is `===`), `== true` is "shown once": it was read as "was shown"
                raise Untranslatable("visited() counts the times a passage was shown: compared with true or "
                                     "false, it is no test of whether it was", at,
                                     "Test `hasVisited(\"Name\")` or `not hasVisited(\"Name\")` for whether the "
                                     "passage was shown, then import again.")
            left = Binary(op, left, right)
        return left

    def _relation(self) -> Expr:
        left = self._additive()
        while (op := self._compare_op({"<", "<=", ">", ">="})) is not None:
            self._chained(self.toks[self.i - 1])
            self._compared(left)
            at = self.tok.offset
            right = self._additive()
            left = self._count_compared(op, left, right, at) or Binary(op, left, right)
        return left

    def _count_compared(self, op: str, left: Expr, right: Expr, at: int) -> Expr | None:
        """SugarCube's `visited("X") gt 0` (`gte 1`, `neq 0`, `0 lt visited("X")`: shown)
        and `visited("X") is 0` (`lt 1`: not shown) as the passage's seen-flag or its
        negation; None when neither side is a `visited()` count compared with a number.
        A count asked how many (`visited("X") gt 1`) cannot be answered by the flag: it
        was said as `'>' needs a number, but 'visited_x' is true/false`, naming the
        import's own variable the writer never wrote."""
        if id(right) in self.visit_tests and id(left) not in self.visit_tests:
            left, op, right = right, MIRRORED[op], left
        if id(left) in self.here_counts and isinstance(right, Number):
            return self._here_compared(op, left, right.value, at)
        if id(left) not in self.visit_tests or not isinstance(right, Number):
            return None
        if id(left) not in self.visit_counts:
            test = '(visited: "Name")' if self.harlowe else 'hasVisited("Name")'
            asked = "(visited:)" if self.harlowe else "hasVisited()"
            raise Untranslatable(f"{asked} is true or false, not a count: compared with a number it has no "
                                 "counterpart", at,
                                 f"Test `{test}` or `not {test}` alone, then import again.")
        seen = count_as_seen(op, left, right.value)
        if seen is None:
            raise Untranslatable(f"visited() counts the times a passage was shown: compared with {right.value} it "
                                 "asks how many, and only whether it was shown imports", at,
                                 COUNT_VISITS_HINT)
        return seen

    def _been(self, at: int) -> str:
        if self.been is None:
            raise Untranslatable("whether the passage being shown was shown before this visit has no counterpart "
                                 "here", at)
        return self.been()

    def _here_compared(self, op: str, count: Expr, value: object, at: int) -> Expr:
        """Harlowe's `visits op value` (SugarCube's `visited() op value`, `visited("Here")`
        in Here; `count` the node read): the count is 1 on a first visit and 2 or more on any
        other, and the import knows only which (the flag `been`, "shown before"): a
        comparison true on every later visit or on none reads as the flag (`visits > 1`,
        `visits is not 1`), its negation (`visits is 1`, `visits < 2`) or a constant
        (`visits > 0`); one telling the second visit from the third asks what it cannot."""
        def holds(count: int) -> bool:
            return {"==": count == value, "!=": count != value, "<": count < value, "<=": count <= value,
                    ">": count > value, ">=": count >= value}[op]
        later = {holds(count) for count in range(2, int(max(min(value, 1e6), 0)) + 3)}
        if len(later) != 1:
            asked = "visits" if self.harlowe else "visited()"
            raise Untranslatable(f"{asked} compared with {value} asks how many times the passage was shown, and "
                                 "only whether this is its first visit imports", self.visit_at[id(count)],
                                 (f"Test `{asked} is 1` (a first visit) or `{asked} > 1`, or count the visits in a "
                                  "variable set at the passage's top (`(set: $visits_here to it + 1)`, started at 0 "
                                  "in a `startup` passage) and test that, then import again.") if self.harlowe
                                 else ("Test `visited() is 1` (a first visit) or `visited() gt 1`, or count the "
                                       "visits in a story variable (`<<set $visits_here to 0>>` in StoryInit, "
                                       "`<<set $visits_here += 1>>` at the passage's top) and test that, then import "
                                       "again."))
        first, more = holds(1), later.pop()
        if first == more:
            return Bool(first)
        flag = Name(self._been(self.visit_at[id(count)]))   # (a new node: a count left alone is refused, parse_condition)
        self.visit_tests[id(flag)], self.visit_at[id(flag)] = flag, self.visit_at[id(count)]
        return flag if more else Unary("not", flag)

    def _compared(self, left: Expr) -> None:
        """Harlowe's `it` after a comparison is its left side (`(if: $hp > 2 and it < 5)` is
        `hp > 2 and hp < 5`): it was "not something we can translate"."""
        if self.harlowe:
            self.it = left

    def _additive(self) -> Expr:
        left = self._multiplicative()
        while self.at("+", "-"):
            self._chained(self.tok)
            op = self.take().text
            right = self._multiplicative()
            left = self._typed(Binary(op, left, right), left, right)
        return left

    def _multiplicative(self) -> Expr:
        left = self._unary()
        while self.at("*", "/", "%") or (self.ink and self.at("mod")):
            self._chained(at := self.tok)
            op = self.take().text
            right = self._unary()
            if op in ("%", "mod"):
                self._no_visit_in((left, right))
                left = _floored(left, right) or self._within_terms(remainder(left, right), at, _REMAINDER_GROWS % op)
            else:   # ink divides whole numbers as whole numbers; a decimal makes it exact
                whole = not any(self._decimal(side) for side in (left, right))
                left = self._typed(Binary("//" if op == "/" and self.ink and whole else op, left, right), left, right)
        return left

    def _unary(self) -> Expr:
        if self.at("not", "!", "-", "+"):
            op = self.take().text
            self._deeper()
            inner = self._unary()
            self.depth -= 1
            return inner if op == "+" else self._typed(Unary("not" if op in ("not", "!") else "-", inner), inner)
        return self._atom()

    def _unquote(self, tok: Tok) -> str:
        """A string token's value. SugarCube's and Harlowe's are JavaScript literals
        (js_strings.py: `\\u00e9`, `\\x41`, `\\r`…); in ink a backslash makes the next
        character itself, `\\n` too (inklecate reads `"a\\nb"` as `anb`: it was read as
        a line break), which is how our ink export escapes (expr/emit.py `escape_ink_text`)."""
        body = tok.text[1:-1]
        if self.ink:
            return re.sub(r"\\([\s\S])", r"\1", body)
        try:
            return js_string_value(body)
        except JsStringError as err:
            raise Untranslatable(f"the text {clip(tok.text, 30)} is not a JavaScript string: {err.message}",
                                 tok.offset + 1 + err.offset) from None

    def _deeper(self) -> None:
        """One more level of nesting; past MAX_DEPTH the expression is not translated
        (reported and kept, as anything untranslatable): 3,000 nested parentheses ran
        out of Python's stack (an internal error)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Untranslatable(f"the expression nests more than {MAX_DEPTH} levels deep", self.tok.offset, LIMIT_HINT)

    def _chained(self, op: Tok) -> None:
        """One more binary operator; past MAX_OPERATORS the expression is not translated
        (reported and kept, as anything untranslatable)."""
        self.operators += 1
        if self.operators > MAX_OPERATORS:
            raise Untranslatable(f"the expression chains more than {MAX_OPERATORS} operators", op.offset, LIMIT_HINT)

    def _within_terms(self, node: Expr, at: Tok, how: str, whole: bool = False) -> Expr:
        """`node`, just translated at `at` (`whole`: the whole expression, whose last
        repeating translation was at `at`); past MAX_TERMS terms the expression is not
        translated (reported and kept, as anything untranslatable), `how` saying what
        repeated its parts."""
        terms = _terms(node, self.terms)
        if terms > MAX_TERMS:
            where = "the expression" if whole else "up to here the expression"
            raise Untranslatable(f"{how}: {where} would hold {terms:,} terms written out, more "
                                 f"than the {MAX_TERMS:,} an imported expression may", at.offset, LIMIT_HINT)
        if not whole:
            self.grew = (at, how)
        return node

    def _atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "number":
            # beyond ±2^53 no story of ours holds it (HF0111 in front matter, HF0606 in an
            # expression): ink's `VAR big = 99999999999999999999` was written into the
            # story's variables, and `foundry check` refused the file the import wrote
            if Decimal(tok.text) > NUMBER_LIMIT:
                raise Untranslatable(f"the number {tok.text[:30]} is beyond ±2^53 "
                                     f"({NUMBER_LIMIT:,}), the largest a story holds", tok.offset)
            self.take()
            return Number(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            self.take()
            return String(self._unquote(tok))
        if tok.kind == "var":
            self.take()
            return Name(self.rename(tok.text[1:], tok.offset))
        if tok.kind == "temp":
            self.take()
            return Name(self._temp(tok, False))
        if tok.kind == "word":
            if tok.text in _NAMED_LITERALS:
                self.take()
                return _NAMED_LITERALS[tok.text]
            if tok.text == "it" and self.harlowe and self.it is not None:
                self.take()
                if isinstance(self.it, str):
                    return Name(self.it)
                # the side compared, written again: `(it + it > 0)` compared makes it the
                # next `it`, so each one doubled the last (thirty in a 600-character
                # condition never finished writing): held to MAX_TERMS as a remainder is
                return self._within_terms(self.it, tok, _IT_GROWS)
            if tok.text in _FUNCTIONS:
                return self._call()
            if tok.text in _SC_OWN_CALLS and not self.ink and not self.harlowe:
                self.take()
                if not self.at("("):
                    raise self.fail(f"expected '(' after {tok.text}")
                args = self._arguments()
                if len(args) != 2:
                    raise Untranslatable(f"{tok.text}() of {len(args)} values has no counterpart", tok.offset)
                return Binary(_SC_OWN_CALLS[tok.text], *args)
            if self.ink and "." not in tok.text and tok.text not in _INK_WORDS:
                self.take()
                if self.at("("):
                    return self._ink_call(tok)
                return Name(self.rename(tok.text, tok.offset))
            if self.ink and "." in tok.text:
                # `knot.stitch`, `knot.label`: a read count, which the importer reads as the
                # true/false variable it gives what was seen (ink.py `_seen_flags`); never a
                # variable's name, so not renamed as one (nor said as renamed, HF1010)
                self.take()
                return Name(tok.text)
            if tok.text in _VISIT_TESTS and self.visited is not None and not self.harlowe and not self.ink:
                return self._visit()
            if self.harlowe and tok.text in ("visits", "visit") and self.been is not None:
                # Harlowe's `visits` (`visit`): the times this passage was shown, this time too
                self.take()
                node = Name(self._been(tok.offset))
                self.here_counts[id(node)] = self.visit_tests[id(node)] = node
                self.visit_at[id(node)] = tok.offset
                return node
            raise Untranslatable(f"'{tok.text}' is not something we can translate", tok.offset)
        if tok.kind == "macro":
            return self._harlowe_visit()
        if self.at("("):
            self.take()
            self._deeper()
            inner = self.expression()
            self.depth -= 1
            if not self.at(")"):
                raise self.fail("expected ')'")
            self.take()
            return inner
        raise self.fail("expected a value")

    def _visit(self) -> Expr:
        """SugarCube's `hasVisited("Kitchen")` / `visited("Kitchen")` (tested as true or
        false): the true/false variable the importer sets on every choice into that
        passage (`visited`, twine.py `_visit_flag`)."""
        tok = self.take()
        if not self.at("("):
            raise self.fail(f"expected '(' after {tok.text}")
        args = self._arguments()
        if not args and tok.text == "visited" and self.passage is not None:
            args = [String(self.passage)]      # `visited()`: the passage being shown
        if len(args) != 1 or not isinstance(args[0], String):
            raise Untranslatable(f"{tok.text}() of anything but one passage's name (in quotes) has no counterpart",
                                 tok.offset)
        flag = self.visited(args[0].value, tok.offset)
        if flag is None:
            raise Untranslatable(f"{tok.text}() names no passage of the story ('{args[0].value[:40]}')", tok.offset)
        node = Name(flag)
        self.visit_tests[id(node)], self.visit_at[id(node)] = node, tok.offset
        if tok.text == "visited":
            self.visit_counts[id(node)] = node
            if args[0].value == self.passage and self.been is not None:
                # the passage being shown: 1 on a first visit, more on a later one (_here_compared)
                self.here_counts[id(node)] = node
        return node

    def _harlowe_visit(self) -> Expr:
        """Harlowe's `(visited: "Kitchen")` (whether it was shown, this passage too) and
        `(history:) contains "Kitchen"` (`does not contain`: shown before this passage,
        which is what the flag says in any other passage) as the true/false variable of
        that passage (`visited`, as SugarCube's hasVisited). Any other macro called in an
        expression has no counterpart."""
        tok = self.take()
        name = tok.text.lower().replace("-", "").replace("_", "")   # Harlowe's insensitive names
        if name not in ("visited", "history") or self.visited is None:
            raise Untranslatable(f"the ({clip(tok.text, 30)}:) macro (its value) has no counterpart in an expression",
                                 tok.offset)
        if name == "history" and self.i >= 2 and self.toks[self.i - 2].text in ("not", "!"):
            # Harlowe's `not` binds tighter than `contains`: `not (history:)` is an error there
            raise Untranslatable("`not (history:) contains …` is an error in Harlowe (`not` of a list)", tok.offset,
                                 "Write `(history:) does not contain \"Name\"`, then import again.")
        arg = self.take() if name == "visited" and self.tok.kind == "string" else None
        if name == "visited" and arg is None or not self.at(")"):
            raise Untranslatable(f"({tok.text}:) of anything but one passage's name (in quotes) has no counterpart",
                                 tok.offset)
        self.take()
        negated = False
        if name == "history":
            if self.at("does") and [t.text for t in self.toks[self.i + 1:self.i + 3]] == ["not", "contain"]:
                self.i += 3
                negated = True
            elif self.at("contains"):
                self.take()
            else:
                raise Untranslatable("(history:) (a list of passages) has no counterpart but in `(history:) contains "
                                     "\"Name\"`", tok.offset)
            arg = self.tok
            if arg.kind != "string":
                raise Untranslatable("(history:) contains anything but one passage's name (in quotes) has no "
                                     "counterpart", arg.offset)
            if self._unquote(arg) == self.passage:
                # (history:) leaves out the passage being shown: whether it was shown before
                # this visit, the flag set on every choice out of it (as `visits > 1`)
                self.take()
                node = Name(self._been(tok.offset))
                self.visit_tests[id(node)], self.visit_at[id(node)] = node, tok.offset
                return Unary("not", node) if negated else node
            self.take()
        passage = self._unquote(arg)
        flag = self.visited(passage, tok.offset)
        if flag is None:
            raise Untranslatable(f"({tok.text}:) names no passage of the story ('{clip(passage, 40)}')", tok.offset)
        node = Name(flag)
        self.visit_tests[id(node)], self.visit_at[id(node)] = node, tok.offset
        return Unary("not", node) if negated else node

    def _call(self) -> Expr:
        name = self.take()
        if not self.at("("):
            raise self.fail(f"expected '(' after {name.text}")
        args = self._arguments()
        self._no_visit_in(args)     # `Math.min(visited("X"), 2)`: a count, as `visited("X") + 1`
        return Call(_FUNCTIONS[name.text], args)

    def _arguments(self) -> tuple[Expr, ...]:
        """The values of a call, from its `(` to its `)`."""
        self.take()
        self._deeper()
        args = []
        while not self.at(")"):
            args.append(self.expression())
            if self.at(","):
                self.take()
            elif not self.at(")"):
                raise self.fail("expected ',' or ')'")
        self.take()
        self.depth -= 1
        return tuple(args)

    def _decimal(self, node: Expr) -> bool:
        """Whether ink holds `node`'s value as a decimal (ink only): a decimal literal,
        FLOAT(…), and what is computed from one (arithmetic, MIN, MAX, FLOOR, CEILING:
        a decimal in ink's types; inkjs makes a whole-valued one whole again, see
        expr/emit.py, which no reading of the source can know)."""
        return self.ink and (isinstance(node, Number) and isinstance(node.value, float) or id(node) in self.decimals)

    def _typed(self, node: Expr, *sides: Expr) -> Expr:
        """`node`, computed from `sides`, marked a decimal when one of them is."""
        if not (isinstance(node, Unary) and node.op == "not"):
            self._no_visit_in(sides)
        if any(self._decimal(side) for side in sides):
            self.decimals[id(node)] = node
        return node

    def _no_visit_in(self, sides: tuple[Expr, ...]) -> None:
        """Refuse arithmetic on a test of whether a passage was shown (`visited("X") + 1`):
        its flag is true/false, and the type check said so naming the import's own
        variable ('visited_x'), which the writer never wrote."""
        for side in sides:
            if id(side) in self.visit_tests:
                raise Untranslatable("arithmetic on a passage's visits has no counterpart: only whether it was "
                                     "shown imports", self.visit_at.get(id(side), 0),
                                     COUNT_VISITS_HINT_HARLOWE if self.harlowe else COUNT_VISITS_HINT)

    def _ink_call(self, name: Tok) -> Expr:
        """An ink function call, at its `(`: one of ink's built-in functions with a
        counterpart of ours (MIN, MAX, FLOOR, CEILING, INT, FLOAT), or a function our own
        export defines (its helpers and deep parts, ink_own.py)."""
        known = _INK_FUNCTIONS.get(name.text) or (_OWN_HELPERS.get(name.text) if name.text in self.own.helpers
                                                  else None)
        if name.text in self.own.parts:
            known = ("", 0)
        if known is None:
            raise Untranslatable(f"function call '{name.text}(…)' has no counterpart", name.offset)
        func, count = known
        args = self._arguments()
        if len(args) != count:
            raise Untranslatable(f"{name.text}(…) takes {count} value{'s' if count != 1 else ''}, "
                                 f"not {len(args)}", name.offset)
        if name.text in self.own.parts:
            return self._part(name)
        if name.text == "FLOAT":
            self.decimals[id(args[0])] = args[0]
            return args[0]
        if name.text == "INT" and isinstance(args[0], Call) and args[0].func in ("floor", "ceil", "round"):
            return args[0]      # a whole number already: our export's INT(FLOOR(x))
        node = Binary(func, *args) if func in ("/", "//", "%") else Call(func, args)
        return node if name.text == "INT" else self._typed(node, *args)

    def _part(self, name: Tok) -> Expr:
        """The expression our export moved into function `name` (HF_part_…), read in
        place, as deep as it stood: what it says is said at the call."""
        body = self.own.parts[name.text]
        self.parts_read[0] += len(body)
        if self.parts_read[0] > MAX_PARTS_READ:
            raise Untranslatable(f"the functions our ink export moved its deep parts into ({name.text}…) would be read "
                                 f"out to more than {MAX_PARTS_READ:,} characters, each call read again",
                                 name.offset, LIMIT_HINT)
        sub = Parser(body, False, lambda text, _offset: self.rename(text, name.offset), ink=True, own=self.own)
        sub.depth, sub.operators, sub.terms, sub.parts_read = self.depth + 1, self.operators, self.terms, self.parts_read
        if sub.depth > MAX_DEPTH:
            raise Untranslatable(f"the expression nests more than {MAX_DEPTH} levels deep", name.offset, LIMIT_HINT)
        try:
            node = sub.expression()
            sub.end()
        except Untranslatable as err:
            raise Untranslatable(f"{err.message}, in {name.text}()", name.offset, err.hint) from None
        self.operators = sub.operators
        self.decimals.update(sub.decimals)
        return node

    # -- assignments ---------------------------------------------------------------------
    def assignments(self) -> list[Effect]:
        """`$a to 1, $b to $b + 1` (SugarCube `<<set>>`, Harlowe `(set:)`), or Harlowe's
        `(put: 1 into $a)` when `put` is true."""
        effects = [self._assignment()]
        while self.at(",", ";"):
            self.take()
            if self.tok.kind == "end":
                break
            effects.append(self._assignment())
        self.end()
        return effects

    def _datatype(self) -> Tok | None:
        """Harlowe 3's typed variable (`(set: num-type $n to 0)`, `(put: "" into str-type
        $s)`): read past (ours are typed by their first value already, and a later set of
        another type is said then); its datatype's name, for `_of_datatype`."""
        kind, dash, word = (self.toks[self.i:self.i + 3] + [self.toks[-1]] * 3)[:3]
        if self.harlowe and kind.kind == "word" and dash.text == "-" and word.text == "type" \
                and dash.offset == kind.offset + len(kind.text) and word.offset == dash.offset + 1:
            self.i += 3
            return kind
        return None

    @staticmethod
    def _of_datatype(datatype: Tok | None, target: str, value: Expr) -> None:
        """A value written as such (`1`, `"five"`, `true`) given to a variable typed
        otherwise (`(set: str-type $s to 1)`): Harlowe refuses the set (an error in the
        passage, the variable left unset), so the import does not make it."""
        if datatype is None or (given := _literal_kind(value)) is None:
            return
        wanted = _DATATYPES.get(datatype.text.lower())
        if wanted is not None and given not in wanted:
            raise Untranslatable(f"'{datatype.text}-type' restricts {target} to "
                                 f"{' or '.join(sorted(wanted)) or 'what the import has no counterpart for'}, "
                                 f"and the value is a {given}: Harlowe refuses it", datatype.offset)
        finer = _FINER.get(datatype.text.lower())
        if finer is not None and not finer[0](literal(value)):
            raise Untranslatable(f"'{datatype.text}-type' restricts {target} to {finer[1]}, and the value is "
                                 f"{to_source(value)}: Harlowe refuses it", datatype.offset)

    def _temp(self, tok: Tok, assigned: bool) -> str:
        """The story variable standing for the temporary variable `tok` (`_n`), set
        (`assigned`) or read there; Untranslatable where the format's reader gives none."""
        if self.temp is None:
            raise Untranslatable(f"temporary variable '{tok.text}' has no counterpart; use a story variable",
                                 tok.offset)
        return self.temp(tok.text, tok.offset, assigned)

    def _assignment(self) -> Effect:
        datatype = self._datatype()
        tok = self.tok
        # a temporary variable is named once its value is read: `_n to _n + 1` reads it
        # first (SugarCube's NaN where the passage has not set it), as `_n += 1` does
        target = None
        if tok.kind != "temp" and not (tok.kind == "var" or (self.ink and tok.kind == "word"
                                                             and tok.text not in _INK_WORDS)):
            raise self.fail("expected a variable to set")
        self.take()
        self._constant(datatype, tok)
        if tok.kind != "temp":
            target = self.rename(tok.text[1:] if tok.kind == "var" else tok.text, tok.offset)
        step = self.toks[self.i:self.i + 2]
        if len(step) == 2 and step[0].text == step[1].text and step[0].text in ("+", "-") \
                and step[0].kind == step[1].kind == "op" and step[1].offset == step[0].offset + 1:
            self.i += 2     # JavaScript's `$gold++` / `$gold--` (SugarCube's <<set>>)
            return Assign(target or self._temp(tok, False), step[0].text + "=", Number(1))
        if not self.at("to", "=", "+=", "-=", "*=", "/="):
            raise self.fail("expected 'to' or '='")
        op = self.take().text
        if target is None and op not in ("to", "="):
            target = self._temp(tok, False)
        self.it = target
        value = self.expression()
        self.it = None
        if target is None:
            target = self._temp(tok, True)
        self._of_datatype(datatype, tok.text, value)
        return assignment(target, op, value)

    def put(self) -> list[Effect]:
        """Harlowe's `(put: 1 into $a, 2 into $b)`: like (set:), it takes any number of
        assignments separated by commas (its signature is `...VariableToValue`)."""
        effects = [self._put_one()]
        while self.at(","):
            self.take()
            effects.append(self._put_one())
        self.end()
        return effects

    def _put_one(self) -> Effect:
        # Harlowe's `it` in a (put:) is the variable put into (`(put: it + 2 into $hp)`),
        # named after the value: found by looking ahead to this part's `into`
        self.it = self._put_target()
        value = self.expression()
        self.it = None
        if not self.at("into"):
            raise self.fail("expected 'into'")
        self.take()
        datatype = self._datatype()
        tok = self.tok
        if tok.kind != "var":
            raise self.fail("expected a $variable after 'into'")
        self.take()
        self._constant(datatype, tok)
        self._of_datatype(datatype, tok.text, value)
        return assignment(self.rename(tok.text[1:], tok.offset), "to", value)

    def _constant(self, datatype: Tok | None, tok: Tok) -> None:
        """Harlowe's `const-type` (`(set: const-type $max to 5)`): once set so, a variable
        cannot change (Harlowe shows an error, the variable keeps its value), so a later
        set is refused, not made. `self.constants` holds the constants known to be set
        before this one runs (a startup passage's, this passage's earlier ones); None
        outside Harlowe."""
        if self.constants is None:
            return
        if tok.text in self.constants:
            raise Untranslatable(f"{tok.text} was made a constant with 'const-type' before this: Harlowe refuses to "
                                 "change it (an error in the passage, the value kept)", tok.offset,
                                 f"Drop 'const-type' where {tok.text} is first set if the story changes it, or "
                                 "leave this set out.")
        if datatype is not None and datatype.text.lower() == "const":
            self.constants.add(tok.text)


    def _put_target(self) -> str | None:
        """The variable after this (put:) part's `into` (at the depth it starts at), renamed
        as it will be; None when there is none (the part is then refused as it was)."""
        depth, j = 0, self.i
        while self.toks[j].kind != "end":
            tok = self.toks[j]
            if tok.kind == "op" and tok.text in "([{":
                depth += 1
            elif tok.kind == "op" and tok.text in ")]}":
                depth -= 1
            elif depth == 0 and tok.text == "," and tok.kind == "op":
                return None
            elif depth == 0 and tok.text == "into" and tok.kind == "word":
                saved, self.i = self.i, j + 1
                self._datatype()
                target = self.tok
                self.i = saved
                return self.rename(target.text[1:], target.offset) if target.kind == "var" else None
            j += 1
        return None


def assignment(target: str, op: str, value: Expr) -> Effect:
    """The most natural form of one assignment: `set x`/`unset x` for true/false,
    `x += e` for `x = x + e`."""
    if op in ("*=", "/="):
        return Assign(target, "=", Binary(op[0], Name(target), value))
    if op in ("+=", "-="):
        return Assign(target, op, value)
    if isinstance(value, Bool):
        return SetFlag(target, value.value)
    if isinstance(value, Binary) and value.op in ("+", "-") and value.left == Name(target):
        return Assign(target, value.op + "=", value.right)
    return Assign(target, "=", value)


_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})

# Harlowe 3's datatypes (its manual's "datatype" entries, lowered), and which kinds of
# value written as such each accepts: none for those holding nothing the import reads
# (arrays, datamaps, colours…). A name not here is not judged.
_NUMBER, _TEXT, _BOOL = frozenset({"number"}), frozenset({"string"}), frozenset({"boolean"})
_DATATYPES: dict[str, frozenset[str]] = {
    **dict.fromkeys(("number", "num", "integer", "int", "even", "odd"), _NUMBER),
    **dict.fromkeys(("string", "str", "lowercase", "uppercase", "anycase", "alphanumeric", "alnum", "digit",
                     "whitespace", "newline", "linebreak", "empty"), _TEXT),
    **dict.fromkeys(("boolean", "bool"), _BOOL),
    **dict.fromkeys(("any", "const"), _NUMBER | _TEXT | _BOOL),
    **dict.fromkeys(("array", "datamap", "dm", "dataset", "ds", "colour", "color", "gradient", "lambda",
                     "macro", "changer", "command", "datatype", "codehook"), frozenset()),
}


# The datatypes that accept some values of their kind only (Harlowe's manual): judged on
# a value written as such, as the kind is; what each accepts, and its words.
_FINER = {
    **dict.fromkeys(("integer", "int"), (lambda v: float(v) == int(v), "whole numbers")),
    "even": (lambda v: float(v) == int(v) and int(v) % 2 == 0, "even whole numbers"),
    "odd": (lambda v: float(v) == int(v) and int(v) % 2 == 1, "odd whole numbers"),
    "empty": (lambda v: v == "", "the empty text"),
    "digit": (lambda v: v != "" and all(c in "0123456789" for c in v), "texts of digits only"),
}


def _literal_kind(node: Expr) -> str | None:
    """'number', 'string' or 'boolean' for a value written as such (`-2`, `"a"`,
    `true`), else None (known only as the story plays)."""
    value = literal(node)
    return None if value is None else "boolean" if isinstance(value, bool) else \
        "string" if isinstance(value, str) else "number"


def remainder(left: Expr, right: Expr) -> Expr:
    """JavaScript's `%` and ink's `mod` (inkjs computes it with JavaScript's `%`): the
    remainder of the division rounded toward zero, with the sign of the left side
    (-7 % 2 is -1). Ours rounds down and takes the sign of the right side (-7 % 2 is 1),
    so a story whose numbers can go below zero would play differently: the remainder is
    written `left - right * trunc(left / right)`, trunc being
    `max(floor(q), 0) + min(ceil(q), 0)` in our functions. Two literals that are not
    negative keep `%` (both rules agree there)."""
    if all(isinstance(side, Number) and side.value >= 0 for side in (left, right)):
        return Binary("%", left, right)
    quotient = Binary("/", left, right)
    truncated = Binary("+", Call("max", (Call("floor", (quotient,)), Number(0))),
                       Call("min", (Call("ceil", (quotient,)), Number(0))))
    return Binary("-", left, Binary("*", right, truncated))


def _floored(left: Expr, right: Expr) -> Expr | None:
    """`((a mod b) + b) mod b` (`left` mod `right`, `a mod b` already read as
    `remainder`) is our `a % b`: the remainder taken to b's sign, which is how our own
    ink export writes `%` (expr/emit.py); None for any other remainder."""
    if not (isinstance(left, Binary) and left.op == "+" and left.right == right):
        return None
    inner = left.left
    if isinstance(inner, Binary) and inner.op in ("%", "-") and inner == remainder(inner.left, right):
        return Binary("%", inner.left, right)
    return None


def _terms(node: Expr, seen: dict[int, tuple[Expr, int]]) -> int:
    """How many names and values `node` holds written out, each shared subtree counted
    as often as it is written but walked once (`seen`: id → (subtree, terms))."""
    if id(node) in seen:
        return seen[id(node)][1]
    if isinstance(node, Binary):
        terms = _terms(node.left, seen) + _terms(node.right, seen)
    elif isinstance(node, Unary):
        terms = _terms(node.operand, seen)
    elif isinstance(node, Call):
        terms = sum(_terms(arg, seen) for arg in node.args)
    else:
        terms = 1
    seen[id(node)] = (node, terms)
    return terms


def parse_condition(text: str, harlowe: bool, rename, ink: bool = False, own: OwnFunctions | None = None,
                    visited: Callable[[str, int], str | None] | None = None, passage: str | None = None,
                    temp: Callable[[str, int, bool], str] | None = None,
                    been: Callable[[], str] | None = None) -> Expr:
    """`visited`: SugarCube's `hasVisited("X")`, Harlowe's `(visited: "X")` → the name of
    the variable for it (Parser._visit, _harlowe_visit); `passage`: the one the condition
    is in; `temp`: a temporary variable → its story variable (Parser._temp); `been`
    (Harlowe): → the variable for "`passage` was shown before this visit", read
    for `visits` and `(history:) contains` it (Parser._here_compared)."""
    parser = Parser(text, harlowe, rename, ink, own)
    parser.visited, parser.passage, parser.temp, parser.been = visited, passage, temp, been
    result = parser.expression()
    parser.end()
    for node in walk(result) if harlowe else ():
        if id(node) in parser.here_counts:
            # `(if: visits)`, `visits is true`: Harlowe's error (a number is no true/false)
            raise Untranslatable("visits (the times this passage was shown) is a number: only compared with one "
                                 "does it import", parser.visit_at[id(node)],
                                 "Test `visits is 1` (a first visit) or `visits > 1`, then import again.")
    return result


def parse_assignments(text: str, harlowe: bool, rename, put: bool = False, ink: bool = False,
                      own: OwnFunctions | None = None, constants: set[str] | None = None,
                      temp: Callable[[str, int, bool], str] | None = None) -> list[Effect]:
    """The changes of state a `<<set>>`/`(set:)`/`(put:)` (`put`)/ink `~` line makes.
    `constants` (Harlowe): the `const-type` variables set before, which this adds to;
    `temp` as parse_condition's; Untranslatable for what cannot be made."""
    parser = Parser(text, harlowe, rename, ink, own, constants)
    parser.temp = temp
    return parser.put() if put else parser.assignments()
