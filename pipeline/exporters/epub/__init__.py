"""EPUB 3 books: each story as a gamebook, and the compendium (ebooklib)."""

from .exporter import EpubExporter

__all__ = ["EpubExporter"]
