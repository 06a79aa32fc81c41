"""Field types shared by every content model.

Models are strict (no `"12"` → 12, no `true` → 1) and refuse unknown fields, so a
typo is an error with a hint rather than a setting silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from .ids import MAX_ID_LENGTH, NAME_PATTERN, NOT_A_WORD, EXPRESSION_WORDS, SLUG_PATTERN

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=MAX_ID_LENGTH)]


def _not_a_word(name: str) -> str:
    if name in EXPRESSION_WORDS:
        raise ValueError(NOT_A_WORD)
    return name


VarName = Annotated[str, StringConstraints(pattern=NAME_PATTERN, max_length=64), AfterValidator(_not_a_word)]
"""A name the expression language can use: attributes and story variables (never one
of its own words: a variable `not` was declared, then every condition reading it was
a syntax error)."""

Expression = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Prose = Annotated[str, StringConstraints(max_length=65_536)]
Status = Literal["draft", "review", "published"]


class ContentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)
