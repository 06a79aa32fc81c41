"""Reading expressions and effects: a Pratt parser over the lazy lexer.

Nesting is capped at MAX_DEPTH so hostile or accidental input (thousands of
parentheses) is a syntax error, never a Python RecursionError. Two depths are capped:
the parser's own (parentheses, prefix operators, calls) and the tree's it builds. An
operator chain (`1 + 1 + … + 1`) is read in a loop, so it costs the parser nothing,
but each operator wraps the tree so far one level deeper, and every reader of the
tree walks it by recursion: evaluating it, its JSON form, ink and Twee. 450 additions
in one condition (1,800 characters, within the length limit) stopped `check` with
"internal error (RecursionError)", and 200 in a derived formula passed `check` and
stopped the JSON export.
"""

from __future__ import annotations

import re

from functools import lru_cache

from .errors import SYNTAX, ExprError, quoted
from .nodes import (ASSIGN_OPS, COMPARISONS, NEGATE, NOT, OR, PRECEDENCE,
                    Assign, Binary, Bool, Call, Effect, Expr, Give, Name, Number, SetFlag,
                    String, Take, Unary)
from .tokens import Lexer, Token, check_length, meant, misordered

MAX_DEPTH = 100  # far beyond any real formula; keeps Python's stack safe


@lru_cache(maxsize=65536)  # trees are immutable: the same condition in 500 stories is parsed once
def parse_expression(text: str) -> Expr:
    """The syntax tree of one expression, or ExprError (HF0601, HF0606)."""
    parser = _Parser(text)
    expr, _ = parser.expression(OR)
    parser.expect_end("an operator")
    return expr


@lru_cache(maxsize=65536)
def parse_effects(text: str) -> tuple[Effect, ...]:
    """Effects separated by `;` (a trailing `;` is allowed); "" gives ()."""
    parser = _Parser(text)
    effects: list[Effect] = []
    while parser.tok.kind != "eof":
        effects.append(parser.effect())
        if not parser.accept(";"):
            parser.effect_end(text, effects[-1])
    return tuple(effects)


# A name standing alone where an effect starts (no `=`, `+=` or `-=` after it): a flag
# the writer meant to set with the one `set` before it
_BARE_NAME = re.compile(r"(?!(?:set|unset|give|take)(?!\w))[A-Za-z_]\w*(?!\w)(?!\s*(?:[-+]?=|\())")

class _Parser:
    def __init__(self, text: str):
        check_length(text)
        self.lexer = Lexer(text)
        self.tok: Token = self.lexer.next()
        self.prev_end = 0
        self.depth = 0

    # --- token helpers --------------------------------------------------------------
    def advance(self) -> Token:
        tok = self.tok
        self.prev_end = tok.end
        self.tok = self.lexer.next()
        return tok

    def is_op(self, text: str) -> bool:
        return self.tok.kind in ("op", "keyword") and self.tok.text == text

    def accept(self, text: str) -> bool:
        if self.is_op(text):
            self.advance()
            return True
        return False

    def expect(self, text: str, what: str) -> Token:
        if not self.is_op(text):
            raise self.error(f"expected {what} but found {self.tok.describe()}")
        return self.advance()

    def expect_end(self, wanted: str) -> None:
        if self.tok.kind != "eof":
            hint = "use '==' to compare" if self.is_op("=") else ""
            if self.tok.kind == "name" and self.tok.text in ("is", "equals", "eq"):
                # `agility is 12` (Python's, SQL's or a spoken comparison): not an operator here
                hint = "compare with '==' ('!=' for not equal): `is` is no word of the language"
            raise self.error(f"expected {wanted} but found {self.tok.describe()}", hint)

    def effect_end(self, text: str, last: Effect) -> None:
        """Nothing, at the end of the effects; else the error of what follows the effect
        `last` where a `;` belongs, with the fix in the writer's own effects. "use '=='
        to compare" was said of `set crossed = true` (followed: `set crossed == true`),
        and "numbers, names, `+ - * /`…" of `set crossed, set other`."""
        if self.tok.kind == "eof":
            return
        found = self.tok.describe()
        if isinstance(last, SetFlag) and self.is_op("="):
            word, value = ("set", "true") if last.value else ("unset", "false")
            given = text[self.tok.end:].split(";")[0].strip()
            if given and given != value:
                # `set crossed = false`, `set coins = 5`: the value after `=` is the one
                # meant — "write `set crossed`, or `crossed = true`" turned it over
                raise self.error(f"expected ';' between effects but found {found}",
                                 f"`=` gives it a value on its own: write `{last.name} = {given[:60]}`, "
                                 f"without `{word}`")
            raise self.error(f"expected ';' between effects but found {found}",
                             f"`{word} {last.name}` makes it {value} on its own: write `{word} {last.name}`, "
                             f"or `{last.name} = {value}`")
        if self.tok.text in (",", "and", "&", "&&") or self.tok.kind == "name" or (
                self.tok.kind == "keyword" and self.tok.text in ("set", "unset", "give", "take")):
            # `set a, set b`, `set a and set b`, or `gold += 1 set a` (the `;` left out)
            rest = text[self.tok.end:] if self.tok.kind == "op" or self.tok.text == "and" else text[self.tok.offset:]
            rest = rest.lstrip()
            if isinstance(last, SetFlag) and _BARE_NAME.match(rest):
                # `set crossed found` (or `set crossed, found`): each flag needs its own
                # `set`; "`set crossed; found`" was told, and is the next error
                rest = ("set " if last.value else "unset ") + rest
            joined = text[:self.tok.offset].rstrip() + "; " + rest
            raise self.error(f"expected ';' between effects but found {found}",
                             f"separate effects with `;`: `{joined[:80]}`")
        self.expect_end("';' between effects")

    def error(self, message: str, hint: str = "") -> ExprError:
        if self.tok.kind == "misordered":   # `agility => 12`: what it meant, wherever it stands
            return misordered(self.tok)
        return ExprError(SYNTAX, message, self.tok.offset, len(self.tok.text), hint)

    def span(self, start: int) -> dict:
        return {"offset": start, "length": self.prev_end - start}

    # --- expressions ----------------------------------------------------------------
    # Each returns the tree with its depth: an operator counts one level, a call two
    # (see `call`), a value none; deeper than MAX_DEPTH is a syntax error (`_deeper`).
    def expression(self, min_level: int) -> tuple[Expr, int]:
        """An expression whose loosest operator binds at least as tightly as `min_level`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nests more than {MAX_DEPTH} levels deep")
        start = self.tok.offset
        left, height = self.prefix(min_level)
        while self.tok.kind in ("op", "keyword") and PRECEDENCE.get(self.tok.text, 0) >= min_level:
            at = self.tok
            op = self.advance().text
            right, right_height = self.expression(PRECEDENCE[op] + 1)  # +1: operators group to the left
            left, height = Binary(op, left, right, **self.span(start)), self._deeper(max(height, right_height) + 1, at)
            if op in COMPARISONS and self.tok.text in COMPARISONS and self.tok.kind == "op":
                raise self.error("comparisons cannot be chained",
                                 "write a < b and b < c instead of a < b < c")
        self.depth -= 1
        return left, height

    def _deeper(self, height: int, at: Token) -> int:
        """`height`, or HF0601 at the operator `at` that made the tree deeper than MAX_DEPTH."""
        if height > MAX_DEPTH:
            raise ExprError(SYNTAX, f"expression nests more than {MAX_DEPTH} operators deep", at.offset,
                            len(at.text), "each operator works on the result of the one before it; group "
                            "the terms in parentheses, (a + b + c) + (d + e + f), or split the expression")
        return height

    def prefix(self, min_level: int) -> tuple[Expr, int]:
        tok = self.tok
        if self.accept("-"):
            operand, height = self.expression(NEGATE)
            return Unary("-", operand, **self.span(tok.offset)), self._deeper(height + 1, tok)
        if self.is_op("not"):
            if min_level > NOT:  # `a == not b` reads ambiguously; Python refuses it too
                raise self.error("'not' must be in parentheses here",
                                 "put the 'not …' part in parentheses, e.g. a == (not b)")
            self.advance()
            operand, height = self.expression(NOT)
            return Unary("not", operand, **self.span(tok.offset)), self._deeper(height + 1, tok)
        if self.accept("("):
            inner = self.expression(OR)
            self.expect(")", "')'")
            return inner
        return self.atom()

    def atom(self) -> tuple[Expr, int]:
        tok = self.tok
        if tok.kind == "number":
            return Number(self.advance().value, offset=tok.offset, length=len(tok.text)), 0
        if tok.kind == "string":
            return String(self.advance().value, offset=tok.offset, length=len(tok.text)), 0
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            return Bool(self.advance().text == "true", offset=tok.offset, length=len(tok.text)), 0
        if tok.kind == "name":
            self.advance()
            if self.is_op("("):
                return self.call(tok)
            return Name(tok.text, offset=tok.offset, length=len(tok.text)), 0
        if tok.kind == "keyword" and tok.text in ("set", "unset", "give", "take"):
            # `done_when: set crossed`, `if="give 'rope'"`: an effect where a condition is read
            after = self.lexer.text[tok.end:].split(";")[0].strip()
            meant = {"set": after, "unset": f"not {after}", "give": f"has({after})", "take": f"not has({after})"}
            raise self.error(f"expected a value but found {tok.describe()}: '{tok.text}' makes an effect, and a "
                             "condition only reads values",
                             f"write `{meant[tok.text]}`" if after else "")
        raise self.error(f"expected a value but found {tok.describe()}",
                         "use '==' to compare" if self.is_op("=") else "")

    def call(self, name: Token) -> tuple[Call, int]:
        self.advance()  # "("
        args: list[Expr] = []
        height = 0
        # A call counts two levels: its tree (and the JSON export's, a node, its fields
        # and the argument list) is half as deep again as an operator's. 99 nested
        # `abs(` passed the check and the JSON export died at orjson's 255 levels
        # ("internal error (TypeError)").
        self.depth += 1
        if not self.is_op(")"):
            arg, height = self.expression(OR)
            args.append(arg)
            while self.accept(","):
                arg, arg_height = self.expression(OR)
                args.append(arg)
                height = max(height, arg_height)
        self.depth -= 1
        self.expect(")", "',' or ')'")
        return Call(name.text, tuple(args), **self.span(name.offset)), self._deeper(height + 2, name)

    # --- effects --------------------------------------------------------------------
    def effect(self) -> Effect:
        tok = self.tok
        if tok.kind == "keyword" and tok.text in ("set", "unset"):
            self.advance()
            name = self.flag_name(tok.text)
            return SetFlag(name, tok.text == "set", **self.span(tok.offset))
        if tok.kind == "keyword" and tok.text in ("give", "take"):
            self.advance()
            item = self.item(tok.text)
            node = Give if tok.text == "give" else Take
            return node(item, **self.span(tok.offset))
        if tok.kind == "name":
            return self.assignment()
        raise self.error(f"expected an effect but found {tok.describe()}",
                         'effects look like: gold += 5; set met_tomas; give "ember-relic"')

    def flag_name(self, keyword: str) -> str:
        if self.tok.kind != "name":
            raise self.error(f"expected a name after '{keyword}' but found {self.tok.describe()}")
        return self.advance().text

    def item(self, keyword: str) -> str:
        if self.tok.kind != "string":
            raise self.error(f"expected a quoted item id after '{keyword}' but found "
                             f"{self.tok.describe()}", f'write {keyword} "ember-relic"')
        return self.advance().value

    def assignment(self) -> Assign:
        target = self.advance()
        op = self.tok.text if self.tok.kind == "op" else ""
        if op not in ASSIGN_OPS:
            # `coins + 1`: the sum is kept nowhere; the writer meant `coins += 1`
            rest = self.lexer.text[self.tok.offset + 1:].split(";", 1)[0].strip() or "…"
            hint = "use '=' to change a value ('==' compares)" if op == "==" else \
                f"'{op}' works out a value that the effect keeps nowhere: write " \
                f"{quoted(f'{target.text} {op}= {rest}', 60)} to change {quoted(target.text)}" if op in ("+", "-") else ""
            if self.tok.kind == "misordered":   # not "write '>='": a comparison is no effect either
                raise ExprError(SYNTAX, f"expected '=', '+=' or '-=' after {quoted(target.text)} but found "
                                f"{self.tok.describe()}", self.tok.offset, len(self.tok.text),
                                f"an effect changes a value ('=', '+=', '-='); {quoted(meant(self.tok))} "
                                "compares, in a condition")
            raise self.error(f"expected '=', '+=' or '-=' after {quoted(target.text)} "
                             f"but found {self.tok.describe()}", hint)
        self.advance()
        value, _ = self.expression(OR)
        return Assign(target.text, op, value, **self.span(target.offset))
