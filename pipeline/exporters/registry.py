"""Which exporters exist, by their `--only` names. Adding an output = one line here."""

from __future__ import annotations

from .epub import EpubExporter
from .html import HtmlExporter
from .ink import InkExporter
from .json_api import JsonExporter
from .media import MediaExporter
from .pdf import PdfExporter
from .twee import TweeExporter

OUTPUT_ORDER = ("json", "html", "pdf", "epub", "ink", "twee")
# Outputs that show images need the processed media beside them.
NEEDS_MEDIA = {"json", "html", "pdf", "epub"}


def available() -> dict[str, object]:
    """Every output exporter, by name (media is implied, never asked for)."""
    exporters = [JsonExporter(), HtmlExporter(), InkExporter(), TweeExporter(), PdfExporter(), EpubExporter()]
    return {e.name: e for e in exporters}


def select(names: list[str] | None, configured: list[str]) -> list[object]:
    """The exporters to run, in a stable order, plus media when an output shows images."""
    exporters = available()
    wanted = names or [n for n in configured if n in exporters]
    chosen = [exporters[n] for n in OUTPUT_ORDER if n in wanted and n in exporters]
    if NEEDS_MEDIA & set(wanted):
        chosen.append(MediaExporter())
    return chosen
