"""Lists of names written with one name twice (`skills: [ambush, ambush]`, the same
relationship twice): a slip each output handled its own way — skills and items were
deduplicated without a word, tags and relationships published twice (two rows in the
JSON, two edges in the graph). HF0129 (a warning) at the second, naming the first."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ..diagnostics import Diagnostics, clip
from ..load.documents import Document

# The list fields of each kind of file whose entries name something (ids, or a
# relationship: who and what kind).
LISTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "hero": ("skills", "items", "tags", "relationships"),
    "character": ("tags", "relationships"),
    "template": ("skills", "items"),
    "quest": ("prerequisites",),
    "story": ("heroes", "characters", "quests"),
})


def report_duplicates(doc: Document, diags: Diagnostics) -> None:
    """HF0129 at each entry of LISTS[doc.kind] that repeats an earlier one."""
    for field in LISTS.get(doc.kind, ()):
        values = doc.data.get(field) if isinstance(doc.data, Mapping) else None
        if not isinstance(values, list):
            continue
        first: dict[Any, int] = {}
        for index, value in enumerate(values):
            key = _key(value)
            if key is None:
                continue   # not the shape validation wants: reported there
            if key not in first:
                first[key] = index
                continue
            shown = f"{key[1]} with '{key[0]}'" if isinstance(key, tuple) else f"'{key}'"
            earlier = doc.span(field, first[key])
            diags.add("HF0129", f"{clip(shown, 60)} is listed twice in '{field}' (first at line {earlier.line})",
                      doc.span(field, index))


def _key(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("with"), str) and isinstance(value.get("kind"), str):
        return (value["with"], value["kind"])
    return None
