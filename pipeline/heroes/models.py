"""What a writer puts in a hero, character or hero-template file."""

from __future__ import annotations

from pydantic import Field

from ..fields import ContentModel, Prose, Slug, Status, VarName


class Relationship(ContentModel):
    with_: Slug = Field(alias="with", description="Id of the hero or character at the other end.")
    kind: Slug = Field(description="A relationship kind from schemas/relationships.yaml.")
    note: str = Field(default="", max_length=500)


class Hero(ContentModel):
    """A playable hero: attributes are spent from a point budget and grow with level."""

    id: Slug | None = Field(default=None, description="Optional; must equal the file name.")
    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=120, description="An epithet shown under the name.")
    status: Status = "draft"
    template: Slug | None = Field(default=None, description="A hero template from content/templates/heroes/.")
    attributes: dict[VarName, int] = Field(default_factory=dict)
    skills: list[Slug] = []
    xp: int = Field(default=0, ge=0)
    level: int | None = Field(default=None, ge=1, description="Optional; must agree with xp.")
    items: list[Slug] = []
    portrait: str | None = Field(default=None, max_length=300, description="Image path relative to this file.")
    relationships: list[Relationship] = []
    tags: list[Slug] = []
    background: Prose = Field(default="", description="Markdown.")


class Character(ContentModel):
    """A non-player character: the hero's shape without progression."""

    id: Slug | None = None
    name: str = Field(min_length=1, max_length=120)
    title: str = Field(default="", max_length=120)
    status: Status = "draft"
    role: str = Field(default="", max_length=120)
    attributes: dict[VarName, int] = Field(default_factory=dict)
    portrait: str | None = Field(default=None, max_length=300)
    relationships: list[Relationship] = []
    tags: list[Slug] = []
    background: Prose = ""


class HeroTemplate(ContentModel):
    """Defaults a hero starts from; a hero's own values win. May extend another template."""

    id: Slug | None = None
    name: str = Field(min_length=1, max_length=120)
    extends: Slug | None = None
    description: str = Field(default="", max_length=2000)
    attributes: dict[VarName, int] = Field(default_factory=dict)
    skills: list[Slug] = []
    items: list[Slug] = []
    background_prompts: list[str] = []
    status: Status = "published"
