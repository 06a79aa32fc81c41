"""The static HTML site: build/site/ (see docs/themes.md)."""

from .exporter import HtmlExporter

__all__ = ["HtmlExporter"]
