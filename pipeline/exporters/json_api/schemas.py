"""JSON Schemas (draft 2020-12) for every file shape, generated from the contract."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from .contract import EXPR_MARK, EXPR_REF, FILE_SHAPES, SCHEMA_VERSION
from .expr_json import AST_DEFS

# Imported by the render side alone (files.py): planning takes the schemas' names from
# shapes.py, without the contract's models.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(name: str) -> str:
    """A relative `$id`: the file's own name. A relative `$id` resolves against the address
    the schema was read from, so the schema is named by wherever a user hosts it (a URL, a
    folder, a package) — never by an address of ours that may not resolve. No schema refers
    to another (each bundles what it needs), so nothing depends on where they are."""
    return f"{name}.schema.json"


def file_schema(name: str) -> dict[str, Any]:
    """One file's schema, self-contained: the expression AST's definitions are bundled
    under its `$defs` when the file holds expressions, so every `$ref` is `#/$defs/…`."""
    schema = FILE_SHAPES[name].model_json_schema(mode="serialization")
    schema = {"$schema": DIALECT, "$id": schema_id(name),
              "description": f"Hero Foundry JSON API {SCHEMA_VERSION}: {name} file.", **schema}
    if EXPR_MARK in json.dumps(schema):
        schema = _bundle_expr(schema)
        schema["$defs"] = {**schema.get("$defs", {}), **AST_DEFS}
    return _null_or_absent(schema)


def _null_or_absent(node: Any) -> Any:
    """A field that may be `null` is not `required`: absent and `null` mean the same.
    We always write it (as `null`), but loaders generated from the schema differ: quicktype's
    Rust (with `--skip-serializing-none`, which it needs for the expression tree's absent
    keys) leaves a null field out when it writes the data back; TypeScript's, C#'s and
    Go's write `null`. Both must stay valid."""
    if isinstance(node, dict):
        node = {k: _null_or_absent(v) for k, v in node.items()}
        properties = node.get("properties")
        if isinstance(properties, dict) and "required" in node:
            node["required"] = [name for name in node["required"] if not _accepts_null(properties.get(name, {}))]
        return node
    if isinstance(node, list):
        return [_null_or_absent(v) for v in node]
    return node


def _accepts_null(schema: dict) -> bool:
    return schema.get("type") == "null" or any(option.get("type") == "null" for option in schema.get("anyOf", ()))


def _bundle_expr(node: Any) -> Any:
    """The schema with each expression placeholder replaced by a `$ref` to the bundled AST."""
    if isinstance(node, dict):
        if node.get(EXPR_MARK):
            return {"$ref": EXPR_REF}  # the field's own title is dropped: the AST's is `ExprNode`
        return {k: _bundle_expr(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_bundle_expr(v) for v in node]
    return node


def expr_schema() -> dict[str, Any]:
    """The expression tree alone: the same definitions every file schema bundles."""
    return {"$schema": DIALECT, "$id": schema_id("expr"), "title": "ExprNode",
            "description": f"Hero Foundry JSON API {SCHEMA_VERSION}: an expression (condition or formula) "
                           "or one effect, as exported for engines.",
            "$ref": EXPR_REF, "$defs": AST_DEFS}


@lru_cache(maxsize=1)  # generating a schema walks the whole contract; the result never changes
def all_schemas() -> dict[str, dict[str, Any]]:
    """file name → schema, including the shared expression-AST schema."""
    out = {f"{name}.schema.json": file_schema(name) for name in FILE_SHAPES}
    out["expr.schema.json"] = expr_schema()
    return out
