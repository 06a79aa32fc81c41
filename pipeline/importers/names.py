"""Names from another tool → ids and variable names our format accepts.

Scene ids are slugs (lowercase ASCII words joined by hyphens, at most 64
characters); python-slugify transliterates any Unicode name ("Café" → "cafe",
"日本" → "ri-ben"), which is why it is used rather than our own table. Variable names
follow the expression language (lowercase, digits, `_`, not a reserved word).
"""

from __future__ import annotations

import re

from slugify import slugify

from ..expr import KEYWORDS

SLUG_LIMIT = 64
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_NAME = re.compile(r"[^a-z0-9_]+")
# YAML 1.1 reads these keys as true/false/null: never give a variable such a name.
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def scene_slug(name: str, fallback: str = "scene") -> str:
    """A slug for a passage or knot name (not yet unique)."""
    slug = slugify(name, max_length=SLUG_LIMIT - 4, word_boundary=True, save_order=True)
    return slug or fallback


class UniqueIds:
    """Hands out ids, numbering the second and later users of one slug (`gate-2`)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}     # the next number to try per slug (no rescans)

    def take(self, wanted: str) -> tuple[str, bool]:
        """The id to use and whether it had to be changed because `wanted` was taken."""
        if wanted not in self._taken:
            self._taken.add(wanted)
            return wanted, False
        n = self._next.get(wanted, 2)
        while f"{wanted}-{n}" in self._taken:
            n += 1
        self._next[wanted] = n + 1
        self._taken.add(f"{wanted}-{n}")
        return f"{wanted}-{n}", True


def variable_name(name: str) -> str:
    """`hasKey` → `has_key`; `set` → `set_`; anything else made a valid name."""
    snake = _NOT_NAME.sub("_", _CAMEL.sub("_", name).lower()).strip("_") or "var"
    snake = re.sub(r"_+", "_", snake)
    if snake[0].isdigit():
        snake = "v_" + snake
    if snake in KEYWORDS or snake in YAML_WORDS:
        snake += "_"
    return snake[:SLUG_LIMIT]
