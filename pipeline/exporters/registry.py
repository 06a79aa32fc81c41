"""Which exporters exist, by their `--only` names."""

from __future__ import annotations

from .json_api import JsonExporter
from .media import MediaExporter

OUTPUT_ORDER = ("json", "html", "pdf", "epub", "ink", "twee")
# Outputs that show images need the processed media beside them.
NEEDS_MEDIA = {"json", "html", "pdf", "epub"}


def available() -> dict[str, object]:
    exporters: dict[str, object] = {"json": JsonExporter()}
    for name, factory in _optional().items():
        exporters[name] = factory()
    return exporters


def _optional() -> dict:
    """Exporters that later issues add; each registers here when it exists."""
    found = {}
    try:
        from .ink import InkExporter
        found["ink"] = InkExporter
    except ImportError:
        pass
    try:
        from .twee import TweeExporter
        found["twee"] = TweeExporter
    except ImportError:
        pass
    return found


def select(names: list[str] | None, configured: tuple[str, ...]) -> list[object]:
    """The exporters to run, in a stable order, plus media when an output shows images."""
    exporters = available()
    wanted = names or [n for n in configured if n in exporters]
    chosen = [exporters[n] for n in OUTPUT_ORDER if n in wanted and n in exporters]
    if NEEDS_MEDIA & set(wanted):
        chosen.append(MediaExporter())
    return chosen
