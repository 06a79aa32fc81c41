"""What a writer puts in a quest file and in a story's front matter."""

from __future__ import annotations

from pydantic import Field, StrictBool, StrictInt, StrictStr

from ..fields import ContentModel, Expression, Slug, Status, VarName


class Objective(ContentModel):
    id: Slug
    text: str = Field(min_length=1, max_length=500)
    done_when: Expression = Field(description="A condition over story variables, e.g. `has_relic`.")


class Rewards(ContentModel):
    xp: int = Field(default=0, ge=0)
    items: list[Slug] = []


class Quest(ContentModel):
    id: Slug | None = None
    title: str = Field(min_length=1, max_length=200)
    status: Status = "draft"
    summary: str = Field(default="", max_length=5000)
    giver: Slug | None = Field(default=None, description="A character or hero id.")
    requires: Expression | None = Field(default=None, description="A condition on the hero, e.g. `level >= 2`.")
    prerequisites: list[Slug] = []
    objectives: list[Objective] = Field(min_length=1)
    rewards: Rewards = Rewards()


class StoryFront(ContentModel):
    """A story file's front matter; its scenes come from the Markdown body."""

    id: Slug | None = None
    title: str = Field(min_length=1, max_length=200)
    status: Status = "draft"
    summary: str = Field(default="", max_length=5000)
    start: Slug = Field(description="Id of the first scene.")
    protagonist: Slug | None = Field(default=None, description="The hero who plays it by default.")
    heroes: list[Slug] = Field(default_factory=list, description="Other heroes who may play it.")
    characters: list[Slug] = []
    quests: list[Slug] = []
    variables: dict[VarName, StrictBool | StrictInt | StrictStr] = Field(
        default_factory=dict, description="Story variables and their starting values; the type follows the value.")
