"""The shape of the rule files in `schemas/`, written by the game designer."""

from __future__ import annotations

from pydantic import Field, model_validator

from ..fields import ContentModel, Expression, Slug, VarName


class AttributeRule(ContentModel):
    name: str = Field(default="", max_length=80)
    description: str = Field(default="", max_length=1000)
    min: int = 1
    max: int = 20
    default: int = 8


def filled_percent(value: int, low: int, high: int) -> float:
    """How far `value` lies along an attribute's range `low`..`high`, in percent (0 at
    `low`, 100 at `high`): the fill of its bar on the hero's page and sheet alike. The
    sheet's bar was `value / high` (8 on 1–20 filled 40%, the page's 37%; -4 on -10–10
    wrote `width: -40%`, a bar left empty)."""
    return 100 * (value - low) / max(1, high - low)


class PointBudget(ContentModel):
    base: int = Field(ge=0, description="Points above defaults a level-1 hero may spend.")
    per_level: int = Field(default=0, ge=0, description="Extra points for each level above 1.")


class DerivedRule(ContentModel):
    name: str = Field(default="", max_length=80)
    formula: Expression
    description: str = Field(default="", max_length=1000)


class AttributesFile(ContentModel):
    attributes: dict[VarName, AttributeRule] = Field(min_length=1)
    point_budget: PointBudget | None = None
    derived: dict[VarName, DerivedRule | Expression] = Field(default_factory=dict)


class ProgressionFile(ContentModel):
    max_level: int = Field(ge=1, le=100)
    xp_for_level: list[int] = Field(min_length=1)


class SkillRule(ContentModel):
    name: str = Field(default="", max_length=80)
    description: str = Field(default="", max_length=1000)
    attribute: VarName | None = None
    prerequisites: list[Slug] = []
    min_level: int = Field(default=1, ge=1)
    requires: Expression | None = Field(default=None, description="A condition on the hero, e.g. `agility >= 12`.")


class SkillsFile(ContentModel):
    skills: dict[Slug, SkillRule] = Field(default_factory=dict)


class RelationshipKind(ContentModel):
    name: str = Field(default="", max_length=80)
    inverse: Slug | None = None
    symmetric: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> "RelationshipKind":
        if self.inverse and self.symmetric:
            raise ValueError("a kind is either symmetric or has an inverse, not both")
        return self


class RelationshipsFile(ContentModel):
    kinds: dict[Slug, RelationshipKind] = Field(default_factory=dict)
