"""Names from another tool → ids and variable names our format accepts.

Scene ids are slugs (lowercase ASCII words joined by hyphens, at most 64
characters), spelled by the one speller every id foundry suggests comes from
(`ids.spell_id`): Latin letters lose their accents ("Café" → "cafe", "Straße" →
"strasse"), Greek and Cyrillic are spelled in Latin letters ("Иван" → "ivan"), and a
name in a script whose reading would be a guess spells no id and gets the fallback
(`scene`, numbered by `UniqueIds`), as a heading written without an id is told
(HF0502): python-slugify alone read "日本" as Mandarin ("ri-ben") and "始まり" as a mix
of readings ("shi-mari"), ids a writer of the story could not recognise. Variable names follow the expression language (lowercase,
digits, `_`, not a reserved word).
"""

from __future__ import annotations

import re

from ..expr import KEYWORDS
from ..ids import MAX_ID_LENGTH, in_ascii, spell_id

SLUG_LIMIT = MAX_ID_LENGTH
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_NAME = re.compile(r"[^a-z0-9_]+")
# YAML 1.1 reads these keys as true/false/null: never give a variable such a name.
YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})


def scene_slug(name: str, fallback: str = "scene") -> str:
    """A slug for a passage or knot name (not yet unique): `spell_id`'s, at most 60
    characters (room for `-2`…), or `fallback` when the name spells none."""
    return spell_id(name, limit=SLUG_LIMIT - 4, fallback=fallback)


def spells_an_id(name: str) -> bool:
    """Whether `name` spells an id of its own (`Café`), not the fallback (`日本`, `!!!`)."""
    return bool(spell_id(name))


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
        while within_limit(wanted, f"-{n}", "-") in self._taken:
            n += 1
        self._next[wanted] = n + 1
        taken = within_limit(wanted, f"-{n}", "-")
        self._taken.add(taken)
        return taken, True


def within_limit(name: str, suffix: str = "", joiner: str = "_") -> str:
    """`name` then `suffix` (`_2`, `-1000`), `name` cut (and any `joiner` it then ends
    with) so the whole is at most SLUG_LIMIT characters, as check takes a variable's name
    or an id: numbered or prefixed (`story_`) past the limit, two long names alike for
    64 characters (the thousandth scene of one slug) gave a name check refused."""
    cut = name[:SLUG_LIMIT - len(suffix)]
    return (cut.rstrip(joiner) if len(cut) < len(name) else cut) + suffix


def variable_name(name: str) -> str:
    """`hasKey` → `has_key`; `set` → `set_`; `Größe` → `grosse` (its letters as
    `ids.spell_name` spells them: it was `gr_e`); anything else made a valid name,
    `var` when it spells none (`名前`)."""
    snake = _NOT_NAME.sub("_", _CAMEL.sub("_", in_ascii(name) or "").lower()).strip("_") or "var"
    snake = re.sub(r"_+", "_", snake)
    if snake[0].isdigit():
        snake = "v_" + snake
    if snake in KEYWORDS or snake in YAML_WORDS:
        snake += "_"
    return snake[:SLUG_LIMIT]
