"""The JSON text of a cache row (load/cache.py) and of a document's positions
(load/yaml.py), made and read by orjson where that gives exactly what the standard
library's json would.

A cold `foundry check` at 10,000 heroes writes ~32,000 rows (every document, its
validation, its sheet, its positions); `json.dumps` of them was ~10 % of the check's
CPU, and orjson does the same in a fraction of it. The row's text may differ (orjson
writes `1e-7` where json writes `1e-07`); what reading it gives back never does:

- orjson refuses what json would write differently or it cannot read back exactly
  (an integer beyond 64 bits, a key that is not a string, a lone surrogate, nesting
  past 254): TypeError, and json writes the row;
- orjson writes a NaN or an infinity as `null` where json keeps it: a row whose text
  holds `null` anywhere (a None, or those) is written by json;
- a row json wrote starts with one space (JSON allows it), and is read by json: orjson
  would read an integer beyond 64 bits as a float. Every other row is read by orjson,
  and json reads every row correctly too (a reader that keeps json is still right).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# What a row written by json starts with: whitespace, so json reads it as it is.
_BY_JSON = " "
_BY_JSON_BYTES = _BY_JSON.encode()   # the same, as the bytes a table stores (load/cache.py)
# A dataclass or a date is not JSON data: refused (then json refuses it too, as before).
_AS_JSON = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(value: Any) -> str:
    """`value` (JSON data: dicts with string keys, lists, tuples, str, int, float, bool,
    None) as compact JSON text that `loads` reads back as json.loads(json.dumps(value))."""
    try:
        text = orjson.dumps(value, option=_AS_JSON)
    except TypeError:
        text = b"null"
    if b"null" in text:
        return _BY_JSON + json.dumps(value, separators=(",", ":"))
    return text.decode()


def loads(text: str | bytes) -> Any:
    """The value of a text `dumps` wrote, or of its UTF-8 bytes as a table stores them
    (json.loads would give the same); ValueError when it is not JSON (or not UTF-8)."""
    if text[:1] == (_BY_JSON if type(text) is str else _BY_JSON_BYTES):
        return json.loads(text)
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:   # not orjson's JSON (NaN, a lone surrogate…): json says what it is
        return json.loads(text)
