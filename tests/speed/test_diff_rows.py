"""`foundry diff` groups a row added or removed whole (`attributes[a7]`: one item, not
one per field) by looking each row up once per side (diff/compare.py `_by_row`), not
in every key of both sides for each item (fuzz29: a schemas/attributes.yaml given
20,000 attributes made a `foundry diff` of hours; 2,000 took 3.7 CPU-s, 0.9 now).
Times live in benchmarks/, never here: the test counts the row lookups."""

from __future__ import annotations

import importlib

from support import counted_calls

compare = importlib.import_module("pipeline.diff.compare")   # (pipeline.diff.compare is also a function's name)

N = 2000


def test_rows_added_whole_are_one_item_each_and_looked_up_a_few_times_each(monkeypatch):
    old = {"max_level": 5}
    new = dict(old)
    for i in range(N):
        new.update({f"attributes[a{i}].name": f"A{i}", f"attributes[a{i}].min": 1, f"attributes[a{i}].note": ""})
    old["attributes[kept].name"], new["attributes[kept].name"] = "Kept", "Kept, renamed"
    calls = counted_calls(monkeypatch, compare, "_row")
    items = compare.field_items(old, new)
    assert [(i.subject, i.change) for i in items[:2]] == [("attributes[a0]", "added"), ("attributes[a1]", "added")]
    assert items[0].new == {"name": "A0", "min": 1}   # an empty field is not shown
    assert len(items) == N + 1 and items[-1].subject == "attributes[kept].name" and items[-1].change == "changed"
    assert len(calls) < 10 * len(new), len(calls)   # was ~N × (fields of both sides)
