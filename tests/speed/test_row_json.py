"""A cache row's JSON made by orjson where that is exact (pipeline/load/rowjson.py):
what a row gives back is what the standard library's json gave back before, for every
value a row can hold, kept in a real cache file and read by a fresh cache (as the next
`foundry check` reads it). Times live in benchmarks/cold_check.py."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.load import rowjson
from pipeline.load.cache import ParseCache
from pipeline.load.yaml import Positions


def _exact(value):
    """`value` with each float by its hex and every type named: equal only when the two
    values are the same data (1 and 1.0, 0.0 and -0.0, NaN and None told apart)."""
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value.hex())
    if isinstance(value, bool) or value is None:
        return (type(value).__name__, value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, str):
        return ("str", value)
    if isinstance(value, list):
        return ("list", [_exact(v) for v in value])
    assert isinstance(value, dict)
    return ("dict", [(k, _exact(v)) for k, v in value.items()])


_SCALARS = (st.none() | st.booleans() | st.floats() | st.integers(min_value=-2**70, max_value=2**70)
            | st.sampled_from([2**63 - 1, 2**63, 2**64 - 1, 2**64, -2**63, -2**63 - 1, 1e-7, 1e16, -0.0])
            | st.text() | st.sampled_from(["\ud800", "caf\u00e9", "null", "\x00", "\u2028", "a\"b\\"]))
_KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                       | st.dictionaries(_KEYS, inner, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_a_row_reads_back_as_json_read_it(value):
    text = rowjson.dumps(value)
    assert _exact(rowjson.loads(text)) == _exact(json.loads(json.dumps(value, separators=(",", ":"))))
    # and a reader still using json reads the same
    assert _exact(json.loads(text)) == _exact(json.loads(json.dumps(value)))


def test_what_orjson_would_change_is_written_by_json():
    # NaN and infinities (orjson writes null), integers past 64 bits (orjson reads a
    # float back), keys that are not text, lone surrogates: written as json writes them
    for value in ([float("nan")], {"x": float("-inf")}, [2**64], {"n": -2**63 - 1}, {1: "a"}, ["\ud800"], {"a": None}):
        text = rowjson.dumps(value)
        assert text == " " + json.dumps(value, separators=(",", ":")), value
    assert rowjson.dumps({"a": [1, 2.5, "é"]}) == '{"a":[1,2.5,"é"]}'


def test_rows_kept_in_the_cache_file_read_back_in_the_next_process(tmp_path):
    (tmp_path / "foundry.toml").write_text("")
    values = {f"k{i}": v for i, v in enumerate([
        {"data": {"name": "Ünä", "n": 2**53, "f": 0.1}, "positions": "[[],[]]"},
        [float("nan"), float("inf"), None], 2**80, {"1": [True, False, None]}, "\ud800x", -0.0, []])}
    cache = ParseCache(tmp_path)
    for key, value in values.items():
        cache.put(key, value)
    cache.save()
    again = ParseCache(tmp_path)   # as the next run: rows read back and their MACs checked
    for key, value in values.items():
        assert _exact(again.get(key)) == _exact(json.loads(json.dumps(value))), key
    assert again.hits == len(values)


def test_positions_keep_their_paths_and_places():
    positions = Positions("a.yaml", {("skills", 0): (3, 5, 12), (): (1, 1, 1), ("note", None): (4, 1, 2)},
                          {("skills",): (3, 1, 7)})
    again = Positions.stored("a.yaml", positions.to_text())
    assert again == positions


def test_a_row_read_as_bytes_that_are_not_text_is_a_miss(tmp_path):
    """The table's rows are read as the bytes stored (load/cache.py): a row of bytes that
    are not UTF-8 JSON, even sealed with this machine's key, is a miss (recomputed),
    never an error, whether looked up alone or with the whole table."""
    import sqlite3

    from pipeline import seal
    from pipeline.load.cache import FILE, cache_folder
    (tmp_path / "foundry.toml").write_text("")
    cache = ParseCache(tmp_path)
    keys = ParseCache.key_of("a"), ParseCache.key_of("b"), ParseCache.key_of("c")
    for key in keys:
        cache.put(key, {"ok": key})
    cache.save()
    secret = seal.key(tmp_path)
    stored = {keys[0]: b"\xff\xfe{\"ok\": 1}", keys[1]: b" {\"x\": \"\xc3\"}"}
    db = sqlite3.connect(cache_folder(tmp_path) / FILE)
    for key, payload in stored.items():
        db.execute("UPDATE parsed SET payload = ?, mac = ? WHERE key = ?",
                   (payload, seal.mac(secret, f"cache:parsed:{key}", payload), key))
    db.commit()
    db.close()
    alone = ParseCache(tmp_path)   # the first lookups: one row at a time
    assert [alone.get(key) for key in keys] == [None, None, {"ok": keys[2]}]
    whole = ParseCache(tmp_path)
    assert len(whole.preloaded) == 3   # their MACs verify: only decoding refuses them
    assert [whole.get(key) for key in keys] == [None, None, {"ok": keys[2]}]
    assert whole.misses == 2
