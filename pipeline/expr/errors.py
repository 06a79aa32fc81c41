"""The one exception of the expression language.

Every problem found while reading, checking or running an expression is an
`ExprError` carrying a registry code (HF06xx) and the place in the source text, so
callers can turn it into a `Diagnostic` that points inside the YAML value.
"""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics, Span, clip

SYNTAX = "HF0601"
UNKNOWN_NAME = "HF0602"
TYPE_MISMATCH = "HF0603"
BAD_CALL = "HF0604"
DIVISION_BY_ZERO = "HF0605"
OVERFLOW = "HF0606"
READ_ONLY = "HF0607"
TYPOGRAPHIC_SIGN = "HF0609"
# `has_skill("trackin")`: a skill the rule book does not define (the references' code:
# the same slip as a hero's `skills: [trackin]`)
UNKNOWN_SKILL = "HF0308"
ITEM_ID = "HF0614"


class ExprError(Exception):
    """A problem in an expression, at `offset` (0-based, in characters) for `length`."""

    def __init__(self, code: str, message: str, offset: int = 0, length: int = 1, hint: str = ""):
        super().__init__(f"{code} at {offset}: {message}")
        self.code = code
        self.message = message
        self.offset = offset
        self.length = max(length, 1)  # a zero-width error (end of text) still needs a caret
        self.hint = hint
        # a name the rule book lost to an error reported in its rule file (Scope.unsure):
        # the expression is not used, and nothing is said here (one slip, one diagnostic)
        self.quiet = False

    def __repr__(self) -> str:
        return f"ExprError({self.code!r}, {self.message!r}, offset={self.offset}, length={self.length})"

    def report(self, diagnostics: Diagnostics, span: Span) -> None:
        """Add this error to `diagnostics`, `span` being where the expression text starts."""
        # An empty hint lets the registry's general hint for the code show instead.
        diagnostics.add(self.code, self.message, span.shifted(self.offset, self.length),
                        self.hint or None)


def quoted(text: str, limit: int = 40) -> str:
    """A piece of the writer's text as it may appear in a message: short and quoted."""
    return f"'{clip(text, limit)}'"
