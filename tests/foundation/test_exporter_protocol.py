"""The exporter protocol is the whole contract (issue 13): every method the builder and
the render pool call on an exporter is declared by `exporters.base.Exporter`, every
shipped exporter implements each with the protocol's parameters, and nothing in the
engine or the pool finds an exporter's method by `getattr`/`hasattr`."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from pipeline.exporters import base, registry

PIPELINE = Path(__file__).resolve().parents[2] / "pipeline"


def _declared() -> dict[str, inspect.Signature]:
    return {name: inspect.signature(member) for name, member in vars(base.Exporter).items()
            if inspect.isfunction(member) and not name.startswith("_")}


def _shipped() -> list[object]:
    return [*registry.available().values(), registry.create(registry.MEDIA)]


def test_every_shipped_exporter_implements_every_declared_method_with_its_parameters():
    declared = _declared()
    assert {"plan", "render", "locate", "reasker"} <= set(declared)
    for exporter in _shipped():
        for name, signature in declared.items():
            method = getattr(type(exporter), name, None)
            assert callable(method), f"{type(exporter).__name__} lacks {name}"
            assert list(inspect.signature(method).parameters)[1:] == list(signature.parameters)[1:], \
                f"{type(exporter).__name__}.{name} takes other parameters than the protocol's"


def test_the_engine_and_the_pool_discover_no_exporter_method_by_getattr():
    found = []
    for path in [*(PIPELINE / "engine").rglob("*.py"), *(PIPELINE / "render").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("getattr", "hasattr") and len(node.args) >= 2
                    and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value in _declared()):
                found.append(f"{path.relative_to(PIPELINE)}:{node.lineno} {node.func.id}(…, {node.args[1].value!r})")
    assert not found, found
