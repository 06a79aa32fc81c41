"""The JSON contract for game engines (`build/api/v1/`), declared once as pydantic models.

The same models serialise the data and generate the JSON Schemas, so the two cannot
drift. Engine-friendly by rule: tables are arrays of rows with a string `id`; no
top-level arrays; no maps with dynamic keys; integers stay integers; enums are strings.
A breaking change to any shape here bumps SCHEMA_VERSION's major number.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from .shapes import FILE_MODELS

# 1.1.0: StoryStatistics.paths_over. 1.2.0 (never released alone): voice-over in the string
# tables. 2.0.0: the expression tree's contract form
# (expr_json.py: one key per node kind, operators as words); relative `$id`s. 2.1.0: a
# derived stat's `description` (written in schemas/attributes.yaml, published nowhere before).
# 2.2.0: a string row's `language` (the language its text is in: a fallback's, `pt`'s in pt-BR).
# docs/json-api.md#contract-versions lists every change.
SCHEMA_VERSION = "2.2.0"
EXPR_REF = "#/$defs/ExprNode"
EXPR_MARK = "x-hero-foundry-expr"  # pydantic resolves every `$ref` it sees: schemas.py swaps this in

# The expression AST's definitions are bundled into each file schema's own `$defs`
# (schemas.py), so the reference stays inside the file: any validator or generator
# reads one schema offline, with no registry and no URL to resolve.
ExprAst = Annotated[dict[str, Any], WithJsonSchema({EXPR_MARK: True})]
# Enums carry titles: generators name their types after them (`Status`, not `Status1`).
Status = Annotated[Literal["draft", "review", "published"], Field(title="Status")]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expression(Row):
    source: str
    ast: ExprAst


class NamedValue(Row):
    id: str
    value: int


class LevelStats(Row):
    level: int
    stats: list[NamedValue]


class Budget(Row):
    used: int
    available: int | None


class HeroSkill(Row):
    id: str
    name: str
    attribute: str | None
    min_level: int
    prerequisites: list[str]


class RelationshipRef(Row):
    target: str
    kind: str
    note: str


class Image(Row):
    source: str            # path in the project
    path: str              # path from the site root, build/site/ (e.g. media/aria-….png)


class Hero(Row):
    id: str
    name: str
    title: str
    status: Status
    template_chain: list[str]
    attributes: list[NamedValue]
    level: int
    xp: int
    xp_next: int | None
    budget: Budget
    derived_by_level: list[LevelStats]
    skills: list[HeroSkill]
    items: list[str]
    portrait: Image | None
    relationships: list[RelationshipRef]
    tags: list[str]
    background_html: str
    background_text: str
    source: str


class Character(Row):
    id: str
    name: str
    title: str
    status: Status
    role: str
    attributes: list[NamedValue]
    portrait: Image | None
    relationships: list[RelationshipRef]
    tags: list[str]
    background_html: str
    background_text: str
    source: str


class Objective(Row):
    id: str
    text: str
    done_when: Expression | None


class Quest(Row):
    id: str
    title: str
    status: Status
    summary_html: str
    giver: str | None
    requires: Expression | None
    prerequisites: list[str]
    unlocks: list[str]
    stories: list[str]
    objectives: list[Objective]
    reward_xp: int
    reward_items: list[str]
    source: str


class Choice(Row):
    id: str
    text: str
    target: str
    condition: Expression | None
    effects: list[Expression]
    line: int


# What a scene's `text` holds, said in its schema too: an engine's writer reads the
# schema, and a paragraph `* * *` there is the writer's scene break, not a typo.
SCENE_TEXT = ("The prose as plain text: paragraphs separated by a blank line, a line break inside one a "
              "hard break; a scene break (the html's <hr>) is the paragraph `* * *`; a list item starts with "
              "`• ` or its number, a quote's paragraph is wrapped in “ ” unless it opens with a quote mark, a table's row is its cells joined "
              "by ` | `, a `|` inside a cell written `\\|` (docs/formats.md)")


class Scene(Row):
    id: str
    title: str
    ending: bool
    html: str
    text: Annotated[str, Field(description=SCENE_TEXT)]
    words: int
    choices: list[Choice]
    line: int


class Variable(Row):
    id: str
    type: Annotated[Literal["number", "bool", "string"], Field(title="VariableType")]
    initial_number: int | None
    initial_bool: bool | None
    initial_string: str | None


class Finding(Row):
    code: str
    severity: Annotated[Literal["error", "warning", "info"], Field(title="Severity")]
    message: str
    scene: str
    choice: str | None


class StoryStatistics(Row):
    scenes: int
    choices: int
    endings: int
    words: int
    reading_minutes: int
    # Distinct start→ending paths; null with loops, and null when there are more than
    # 2^53 (an engine's JSON number would not hold the count exactly): then
    # paths_over is "2^53". Added in 1.1.0; null for every story before. Null, as
    # longest_path, when analysis_complete is false: a count of the states explored is
    # no count of the story's paths.
    paths: int | None
    paths_over: Literal["2^53"] | None
    shortest_path: int | None
    longest_path: int | None
    has_loops: bool
    states_explored: int
    analysis_complete: bool


class Story(Row):
    id: str
    title: str
    status: Status
    summary_html: str
    start: str
    protagonist: str | None
    heroes: list[str]
    characters: list[str]
    quests: list[str]
    variables: list[Variable]
    scenes: list[Scene]
    endings: list[str]
    statistics: StoryStatistics
    findings: list[Finding]
    source: str


class Relationship(Row):
    source: str
    target: str
    kind: str
    note: str


class AttributeRule(Row):
    id: str
    name: str
    description: str
    min: int
    max: int
    default: int


class DerivedRule(Row):
    id: str
    name: str
    description: str
    formula: Expression


class SkillRule(Row):
    id: str
    name: str
    description: str
    attribute: str | None
    prerequisites: list[str]
    min_level: int
    requires: Expression | None


class RelationshipKind(Row):
    id: str
    name: str
    inverse: str | None
    symmetric: bool


class Rules(Row):
    attributes: list[AttributeRule]
    point_budget_base: int | None
    point_budget_per_level: int | None
    derived: list[DerivedRule]
    max_level: int
    xp_for_level: list[int]
    skills: list[SkillRule]
    relationship_kinds: list[RelationshipKind]


class ManifestEntity(Row):
    kind: str
    id: str
    content_hash: str
    source: str
    output: str


class Manifest(Row):
    schema_version: str
    generator: str
    generator_version: str
    content_version: str
    title: str
    language: str
    entities: list[ManifestEntity]


# File shapes: one object per file (no top-level arrays: Unity's JsonUtility cannot read them).
class HeroFile(Row):
    schema_version: str
    hero: Hero


class CharacterFile(Row):
    schema_version: str
    character: Character


class QuestFile(Row):
    schema_version: str
    quest: Quest


class StoryFile(Row):
    schema_version: str
    story: Story


class HeroesFile(Row):
    schema_version: str
    heroes: list[Hero]


class CharactersFile(Row):
    schema_version: str
    characters: list[Character]


class QuestsFile(Row):
    schema_version: str
    quests: list[Quest]


class StoriesFile(Row):
    schema_version: str
    stories: list[Story]


class RelationshipsFile(Row):
    schema_version: str
    relationships: list[Relationship]


class RulesFile(Row):
    schema_version: str
    rules: Rules


class Bundle(Row):
    schema_version: str
    manifest: Manifest
    rules: Rules
    heroes: list[Hero]
    characters: list[Character]
    quests: list[Quest]
    stories: list[Story]
    relationships: list[Relationship]


from .strings import StringsFile  # noqa: E402  (its module builds on Row, defined above)



def _file_shapes() -> dict[str, type[Row]]:
    """file name → its model, in shapes.py's order, made from its table of class names: a
    name there that is no model here fails every import of the contract."""
    models = {**globals(), "StringsFile": StringsFile}   # this module's models and strings.py's
    return {name: models[model] for name, model in FILE_MODELS.items()}


FILE_SHAPES = _file_shapes()
