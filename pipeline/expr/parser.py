"""Reading expressions and effects: a Pratt parser over the lazy lexer.

Nesting is capped at MAX_DEPTH so hostile or accidental input (thousands of
parentheses) is a syntax error, never a Python RecursionError.
"""

from __future__ import annotations

from functools import lru_cache

from .errors import SYNTAX, ExprError, quoted
from .nodes import (ASSIGN_OPS, COMPARISONS, NEGATE, NOT, OR, PRECEDENCE,
                    Assign, Binary, Bool, Call, Effect, Expr, Give, Name, Number, SetFlag,
                    String, Take, Unary)
from .tokens import Lexer, Token, check_length

MAX_DEPTH = 100  # far beyond any real formula; keeps Python's stack safe


@lru_cache(maxsize=65536)  # trees are immutable: the same condition in 500 stories is parsed once
def parse_expression(text: str) -> Expr:
    """The syntax tree of one expression, or ExprError (HF0601, HF0606)."""
    parser = _Parser(text)
    expr = parser.expression(OR)
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
            parser.expect_end("';' between effects")
    return tuple(effects)


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
            raise self.error(f"expected {wanted} but found {self.tok.describe()}", hint)

    def error(self, message: str, hint: str = "") -> ExprError:
        return ExprError(SYNTAX, message, self.tok.offset, len(self.tok.text), hint)

    def span(self, start: int) -> dict:
        return {"offset": start, "length": self.prev_end - start}

    # --- expressions ----------------------------------------------------------------
    def expression(self, min_level: int) -> Expr:
        """An expression whose loosest operator binds at least as tightly as `min_level`."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"expression nests more than {MAX_DEPTH} levels deep")
        start = self.tok.offset
        left = self.prefix(min_level)
        while self.tok.kind in ("op", "keyword") and PRECEDENCE.get(self.tok.text, 0) >= min_level:
            op = self.advance().text
            right = self.expression(PRECEDENCE[op] + 1)  # +1: operators group to the left
            left = Binary(op, left, right, **self.span(start))
            if op in COMPARISONS and self.tok.text in COMPARISONS and self.tok.kind == "op":
                raise self.error("comparisons cannot be chained",
                                 "write a < b and b < c instead of a < b < c")
        self.depth -= 1
        return left

    def prefix(self, min_level: int) -> Expr:
        tok = self.tok
        if self.accept("-"):
            return Unary("-", self.expression(NEGATE), **self.span(tok.offset))
        if self.is_op("not"):
            if min_level > NOT:  # `a == not b` reads ambiguously; Python refuses it too
                raise self.error("'not' must be in parentheses here",
                                 "put the 'not …' part in parentheses, e.g. a == (not b)")
            self.advance()
            return Unary("not", self.expression(NOT), **self.span(tok.offset))
        if self.accept("("):
            inner = self.expression(OR)
            self.expect(")", "')'")
            return inner
        return self.atom()

    def atom(self) -> Expr:
        tok = self.tok
        if tok.kind == "number":
            return Number(self.advance().value, offset=tok.offset, length=len(tok.text))
        if tok.kind == "string":
            return String(self.advance().value, offset=tok.offset, length=len(tok.text))
        if tok.kind == "keyword" and tok.text in ("true", "false"):
            return Bool(self.advance().text == "true", offset=tok.offset, length=len(tok.text))
        if tok.kind == "name":
            self.advance()
            if self.is_op("("):
                return self.call(tok)
            return Name(tok.text, offset=tok.offset, length=len(tok.text))
        raise self.error(f"expected a value but found {tok.describe()}",
                         "use '==' to compare" if self.is_op("=") else "")

    def call(self, name: Token) -> Call:
        self.advance()  # "("
        args: list[Expr] = []
        # A call counts two levels: its tree (and the JSON export's, a node, its fields
        # and the argument list) is half as deep again as an operator's. 99 nested
        # `abs(` passed the check and the JSON export died at orjson's 255 levels
        # ("internal error (TypeError)").
        self.depth += 1
        if not self.is_op(")"):
            args.append(self.expression(OR))
            while self.accept(","):
                args.append(self.expression(OR))
        self.depth -= 1
        self.expect(")", "',' or ')'")
        return Call(name.text, tuple(args), **self.span(name.offset))

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
            hint = "use '=' to change a value ('==' compares)" if op == "==" else ""
            raise self.error(f"expected '=', '+=' or '-=' after {quoted(target.text)} "
                             f"but found {self.tok.describe()}", hint)
        self.advance()
        value = self.expression(OR)
        return Assign(target.text, op, value, **self.span(target.offset))
