"""A tiny rule book and cast, so each story test writes only the story it is about."""

from __future__ import annotations

import pytest

BASE = {
    "foundry.toml": """
        [project]
        title = "Story tests"
        [build]
        outputs = ["json"]
    """,
    "schemas/attributes.yaml": """
        attributes:
          agility: {min: 1, max: 20, default: 8}
          wits:    {min: 1, max: 20, default: 8}
        point_budget: {base: 12, per_level: 2}
        derived:
          defense: {formula: "10 + agility // 2"}
    """,
    "schemas/progression.yaml": """
        max_level: 3
        xp_for_level: [0, 100, 300]
    """,
    "schemas/skills.yaml": """
        skills:
          tracking: {attribute: wits}
    """,
    "schemas/relationships.yaml": """
        kinds:
          mentor: {inverse: apprentice}
          apprentice: {inverse: mentor}
          rival: {symmetric: true}
    """,
    "content/heroes/aria.yaml": """
        name: Aria
        attributes: {agility: 14, wits: 12}
        skills: [tracking]
        items: [lantern]
    """,
    "content/heroes/bram.yaml": """
        name: Bram
        attributes: {agility: 9}
    """,
    "content/characters/tomas.yaml": """
        name: Tomas
    """,
}


@pytest.fixture
def story_project(project_factory):
    """`story_project({"content/stories/s.md": "..."})` → a project root with the base cast."""
    def make(files: dict[str, str]) -> object:
        return project_factory({**BASE, **files}, base=None)
    return make
