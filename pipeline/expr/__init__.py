"""The one expression language of Hero Foundry.

Attribute formulas, story conditions, effects and quest requirements are all written
in it. Text is read by a hand-written lexer and Pratt parser (never Python's eval or
ast); see docs/expressions.md for the language itself.
"""

from .emit import to_ink, to_ink_effects, to_sugarcube, to_sugarcube_effects
from .errors import ExprError
from .evaluate import apply_effects, evaluate, evaluate_each
from .json_ast import AST_DEFS, AST_JSON_SCHEMA, from_json, to_json
from .nodes import (Assign, Binary, Bool, Call, Effect, Expr, Give, Name, Node, Number,
                    SetFlag, String, Take, Unary, items_used, names_used, names_written,
                    skills_used, walk)
from .parser import MAX_DEPTH, parse_effects, parse_expression
from .printer import to_source
from .tokens import KEYWORDS, MAX_SOURCE_LENGTH, NUMBER_LIMIT
from .types import FUNCTIONS, Scope, Type, check, check_all, check_effects

__all__ = [
    "AST_DEFS", "AST_JSON_SCHEMA", "Assign", "Binary", "Bool", "Call", "Effect", "Expr", "ExprError",
    "FUNCTIONS", "Give", "KEYWORDS", "MAX_DEPTH", "MAX_SOURCE_LENGTH", "NUMBER_LIMIT", "Name",
    "Node", "Number", "Scope", "SetFlag", "String", "Take", "Type", "Unary", "apply_effects",
    "check", "check_all", "check_effects", "evaluate", "evaluate_each", "from_json", "items_used", "names_used",
    "names_written", "parse_effects", "parse_expression", "skills_used", "to_ink",
    "to_ink_effects", "to_json", "to_source", "to_sugarcube", "to_sugarcube_effects", "walk",
]
