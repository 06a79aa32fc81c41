"""Which exporters exist, by their `--only` names. Adding an output = one line here.

Exporters are imported only when a build selects them: WeasyPrint alone takes a
second to import, which `foundry check` and `foundry play` should never pay.
"""

from __future__ import annotations

from importlib import import_module

# name → "module:class", in the order outputs are built and listed
EXPORTERS = {
    "json": "pipeline.exporters.json_api:JsonExporter",
    "html": "pipeline.exporters.html:HtmlExporter",
    "pdf": "pipeline.exporters.pdf:PdfExporter",
    "epub": "pipeline.exporters.epub:EpubExporter",
    "ink": "pipeline.exporters.ink:InkExporter",
    "twee": "pipeline.exporters.twee:TweeExporter",
}
MEDIA = "pipeline.exporters.media:MediaExporter"
# Outputs that show images need the processed media beside them.
NEEDS_MEDIA = {"json", "html", "pdf", "epub"}


def names() -> list[str]:
    return list(EXPORTERS)


def create(target: str) -> object:
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)()


def import_exporters() -> None:
    """Import every exporter's module (media's too), as planning them all will: a check
    plans every output (engine/outputs.py check_outputs). Called while the parse
    workers parse (load/workers.py `meanwhile`), it costs the check ~half its CPU time
    in wall time instead of all of it after them (~0.15 CPU-s at the end of a cold check,
    one core idle). Nothing is made: only the modules are loaded."""
    for target in (*EXPORTERS.values(), MEDIA):
        import_module(target.partition(":")[0])


def available() -> dict[str, object]:
    """Every output exporter, by name (media is implied, never asked for)."""
    return {name: create(target) for name, target in EXPORTERS.items()}


def select(wanted: list[str] | None, configured: list[str]) -> list[object]:
    """The exporters to run, in a stable order, plus media when an output shows images."""
    wanted = wanted or [n for n in configured if n in EXPORTERS]
    chosen = [create(EXPORTERS[n]) for n in EXPORTERS if n in wanted]
    if NEEDS_MEDIA & set(wanted):
        chosen.append(create(MEDIA))
    return chosen
