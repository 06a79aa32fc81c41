"""Lists of names written with one name twice (`skills: [ambush, ambush]`, the same
relationship twice): a slip each output handled its own way — skills and items were
deduplicated without a word, tags and relationships published twice (two rows in the
JSON, two edges in the graph). HF0129 (a warning) at the second, naming the first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from ..diagnostics import Diagnostics, Span, clip
from ..load.documents import Document

# The list fields of each kind of file whose entries name something (ids, or a
# relationship: who and what kind), as dotted paths into the file. The rule book's
# skill prerequisites are said the same way by rules/book.py (`report_repeats`).
LISTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "hero": ("skills", "items", "tags", "relationships"),
    "character": ("tags", "relationships"),
    "template": ("skills", "items"),
    "quest": ("prerequisites", "rewards.items"),
    "story": ("heroes", "characters", "quests"),
})


def report_duplicates(doc: Document, diags: Diagnostics) -> None:
    """HF0129 at each entry of LISTS[doc.kind] that repeats an earlier one."""
    for field in LISTS.get(doc.kind, ()):
        path = tuple(field.split("."))
        values: Any = doc.data
        for part in path:
            values = values.get(part) if isinstance(values, Mapping) else None
        if isinstance(values, list):
            report_repeats(values, field, lambda index, path=path: doc.span(*path, index), diags)


def report_repeats(values: list, field: str, span_of: Callable[[int], Span], diags: Diagnostics) -> None:
    """HF0129 at each of `values` (a list as written) that repeats an earlier one, naming
    the first's line; `span_of(index)` is where an entry is written, `field` how the
    message names the list. Entries of another shape are validation's to report."""
    first: dict[Any, int] = {}
    for index, value in enumerate(values):
        key = _key(value)
        if key is None:
            continue   # not the shape validation wants: reported there
        if key not in first:
            first[key] = index
            continue
        shown = f"{key[1]} with '{key[0]}'" if isinstance(key, tuple) else f"'{key}'"
        diags.add("HF0129", f"{clip(shown, 60)} is listed twice in '{field}' (first at line {span_of(first[key]).line})",
                  span_of(index))


def _key(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("with"), str) and isinstance(value.get("kind"), str):
        return (value["with"], value["kind"])
    return None
