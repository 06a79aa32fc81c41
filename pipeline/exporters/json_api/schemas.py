"""JSON Schemas (draft 2020-12) for every file shape, generated from the contract."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ... import expr
from .contract import EXPR_SCHEMA_ID, FILE_SHAPES, SCHEMA_BASE, SCHEMA_VERSION

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(name: str) -> str:
    return f"{SCHEMA_BASE}{name}.schema.json"


def file_schema(name: str) -> dict[str, Any]:
    schema = FILE_SHAPES[name].model_json_schema(mode="serialization")
    schema = {"$schema": DIALECT, "$id": schema_id(name),
              "description": f"Hero Foundry JSON API {SCHEMA_VERSION}: {name} file.", **schema}
    return schema


def expr_schema() -> dict[str, Any]:
    schema = dict(expr.AST_JSON_SCHEMA)
    schema["$schema"] = DIALECT
    schema["$id"] = EXPR_SCHEMA_ID
    return schema


@lru_cache(maxsize=1)  # generating a schema walks the whole contract; the result never changes
def all_schemas() -> dict[str, dict[str, Any]]:
    """file name → schema, including the shared expression-AST schema."""
    out = {f"{name}.schema.json": file_schema(name) for name in FILE_SHAPES}
    out["expr.schema.json"] = expr_schema()
    return out
