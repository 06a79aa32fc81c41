"""Story analyses kept across runs, under exactly what they read.

Exploring every state of a story is the largest per-story cost of a warm `foundry
check` (500 stories: 8.6 of 70 profiled seconds). `analyse` reads nothing but the
story as loaded (scenes, choices, conditions, effects, the scope its expressions were
checked in) and the players (each one's values, skills and items), so its result is
kept in the parse cache under what those are made from — the story file's hash, the
rule files' hashes — and a canonical form of the players, and the state bound: an edit
to the story, to a hero who plays it, or to a rule, is a different key. The cached value is plain JSON (findings, statistics, and per player
how far the search went); the problems are reported from it by the same `report`
call, so a cached analysis says exactly what a fresh one says.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from pydantic import BaseModel

from ..stories import analysis as bounds
from ..stories.analysis import Finding, Held, RunSummary, StoryStats, analyse
from ..stories.machine import Player
from ..rules import RuleBook
from ..stories.story import Story
from ..validate.entities import Entry


def analysed(entry: Entry[Story], rules: RuleBook, players: list[Player], cache: Any = None,
             limit: int | None = None) -> tuple[list[Finding], StoryStats, list[RunSummary]]:
    """`stories.analysis.analyse` of the entry's story, from the cache when the same
    story was analysed for the same players before. Runs come back as RunSummary (who,
    states, complete). `limit`: the states bound, stories.analysis.MAX_STATES unless
    given; the bounds are read at the call (a test lowers them), and key the cache."""
    story = entry.model
    limit = bounds.MAX_STATES if limit is None else limit
    if cache is None:
        findings, stats, runs = analyse(story, players, limit)
        return findings, stats, [RunSummary.of(run) for run in runs]
    # The story as loaded is a function of its file and the rule book (stories/story.py
    # load_story: the scope its expressions are checked in): their hashes stand for it,
    # as spelling the loaded story out cost as much as exploring it.
    key = cache.key_of("analysis", limit, bounds.MAX_VALUES, bounds.MAX_STEPS, bounds.DECIMAL_CHECKS, bounds.WRAP_CHECKS,
                       entry.sha256, sorted(rules.sources.items()), canonical(players))
    hit = _decode(cache.get(key))
    if hit is not None:
        return hit
    findings, stats, runs = analyse(story, players, limit)
    summaries = [RunSummary.of(run) for run in runs]
    cache.put(key, {"findings": [[f.code, f.message, f.scene, f.choice] for f in findings],
                    "stats": dataclasses.asdict(stats),
                    "runs": [[r.hero, r.states, r.complete, _held_row(r.values),
                              None if r.rows is None else [list(r.rows[0]), [list(row) for row in r.rows[1]]],
                              [[name, count] for name, count in r.grows]]
                             for r in summaries]})
    return findings, stats, summaries


def _decode(value: Any) -> tuple[list[Finding], StoryStats, list[RunSummary]] | None:
    """A cached analysis, or None when the value is not in the shape `analysed` writes
    (a sealed row from an older foundry that the key did not tell apart is a miss)."""
    if value is None:
        return None
    try:
        findings = [Finding(str(code), str(message), str(scene), choice if choice is None else str(choice))
                    for code, message, scene, choice in value["findings"]]
        stats = StoryStats(**value["stats"])
        runs = [RunSummary(hero, int(states), bool(complete), _held_of(values), _rows_of(rows),
                           tuple((str(name), int(count)) for name, count in grows))
                for hero, states, complete, values, rows, grows in value["runs"]]
    except (KeyError, TypeError, ValueError):
        return None
    return findings, stats, runs


def _held_row(values: Held | None) -> list | None:
    return None if values is None else [[name, None if held is None else list(held)] for name, held in values]


def _held_of(row: Any) -> Held | None:
    """RunSummary.values from `_held_row`'s list; ValueError for another shape."""
    if row is None:
        return None
    if not isinstance(row, list):
        raise ValueError("not a stored table of values")
    out = []
    for name, values in row:
        if not isinstance(name, str) or not (values is None or isinstance(values, list)) \
                or not all(isinstance(v, (str, int, float)) for v in values or ()):
            raise ValueError("not a stored table of values")
        out.append((name, None if values is None else tuple(values)))
    return tuple(out)


def _rows_of(row: Any):
    """RunSummary.rows from the cached `[names, rows]`; ValueError for another shape."""
    if row is None:
        return None
    names, rows = row
    if not all(isinstance(n, str) for n in names) or not all(
            isinstance(r, list) and len(r) == len(names) and all(isinstance(v, (str, int, float)) for v in r)
            for r in rows):
        raise ValueError("not a stored table of rows")
    return tuple(names), tuple(tuple(r) for r in rows)


def canonical(value: Any) -> str:
    """A text that is the same for equal values in every process: `repr` but with
    sets in sorted order (their iteration order changes with the hash seed) and
    dataclasses and pydantic models spelt out field by field."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(canonical(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict) or hasattr(value, "items") and hasattr(value, "keys"):
        return "{" + ",".join(f"{canonical(k)}:{canonical(v)}" for k, v in value.items()) + "}"
    if dataclasses.is_dataclass(value):
        return type(value).__name__ + "(" + ",".join(
            f"{f.name}={canonical(getattr(value, f.name))}" for f in dataclasses.fields(value)) + ")"
    if isinstance(value, BaseModel):
        return type(value).__name__ + "(" + ",".join(
            f"{name}={canonical(getattr(value, name))}" for name in type(value).model_fields) + ")"
    return type(value).__name__ + ":" + repr(value)
