"""PDF books: hero sheets, the compendium and gamebooks (WeasyPrint)."""

from .exporter import PdfExporter

__all__ = ["PdfExporter"]
