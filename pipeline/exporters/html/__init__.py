"""The static HTML site: build/site/ (see docs/themes.md)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["HtmlExporter", "default_theme_dir"]


def default_theme_dir() -> Path:
    """The theme shipped with foundry: a folder of this package. Here, not in theme.py,
    so that a no-op build (engine/sources.py hashes this folder) imports no Jinja."""
    return Path(str(resources.files(__package__) / "default_theme")).resolve()


def __getattr__(name: str) -> Any:
    # The exporter (and the whole World it renders) is imported when first asked for.
    if name == "HtmlExporter":
        from .exporter import HtmlExporter
        return HtmlExporter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
