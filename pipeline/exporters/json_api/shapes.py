"""The JSON API's file shapes by name, in the order their schemas are written
(build/api/v1/schema/<name>.schema.json): file name → the class name of its contract
model. contract.py makes FILE_SHAPES from this table, so the two cannot differ, and
planning lists the schema files from it without importing the models (~15 CPU-ms of
pydantic, which planning never uses: `foundry check` plans every output)."""

from __future__ import annotations

FILE_MODELS = {"manifest": "Manifest", "bundle": "Bundle", "rules": "RulesFile", "relationships": "RelationshipsFile",
               "heroes": "HeroesFile", "hero": "HeroFile", "characters": "CharactersFile", "character": "CharacterFile",
               "quests": "QuestsFile", "quest": "QuestFile", "stories": "StoriesFile", "story": "StoryFile",
               "strings": "StringsFile"}


def schema_names() -> list[str]:
    """The file names schemas.all_schemas() gives, in its order, without generating a
    schema: one per file shape, then the expression tree's."""
    return [f"{name}.schema.json" for name in FILE_MODELS] + ["expr.schema.json"]
