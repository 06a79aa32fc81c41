"""Which exporters exist, by their `--only` names. Adding an output = one line here.

Exporters are imported only when a build selects them: WeasyPrint alone takes a
second to import, which `foundry check` and `foundry play` should never pay.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

# name → "module:class", in the order outputs are built and listed
EXPORTERS = {
    "json": "pipeline.exporters.json_api.exporter:JsonExporter",
    "html": "pipeline.exporters.html:HtmlExporter",
    "pdf": "pipeline.exporters.pdf:PdfExporter",
    "epub": "pipeline.exporters.epub:EpubExporter",
    "ink": "pipeline.exporters.ink:InkExporter",
    "twee": "pipeline.exporters.twee:TweeExporter",
}
MEDIA = "pipeline.exporters.media:MediaExporter"
# Outputs that show images need the processed media beside them.
NEEDS_MEDIA = {"json", "html", "pdf", "epub"}
# Outputs a build that does not make them (`--only`) need not plan (engine/outputs.py
# check_outputs): what their plan says that such a build still refuses, found without
# planning ("module:function" of the project: the print theme's links out, HF0120;
# None: nothing), and their paths, which lie in folders of their own (pdf/, print/,
# epub/, ink/, twee/) where no other output writes. The site is always planned (links in
# prose are checked against its pages), and so is the JSON API (its copies lie in site/).
UNPLANNED = {
    "pdf": "pipeline.exporters.books.theme_folders:refused_links",
    "epub": "pipeline.exporters.books.theme_folders:refused_links",
    "ink": None,
    "twee": None,
}


def names() -> list[str]:
    return list(EXPORTERS)


def create(target: str) -> object:
    module, _, cls = target.partition(":")
    return getattr(import_module(module), cls)()


def unplanned_refusals(name: str, project) -> list:
    """What a build that does not make the output `name` (one of UNPLANNED) still
    refuses of its inputs, without planning it."""
    target = UNPLANNED[name]
    if target is None:
        return []
    module, _, function = target.partition(":")
    return getattr(import_module(module), function)(project)


def unplanned(name: str, only: Iterable[str] | None) -> bool:
    """Whether a build making only the outputs `only` (`--only`; None: every output, as
    `foundry check` plans them) need not plan `name`: one of UNPLANNED, neither made
    nor drawing the templates of one that is (the EPUB's print theme is the PDF's)."""
    if only is None or name not in UNPLANNED:
        return False
    chosen = set(only)
    return name not in chosen and not (name == "pdf" and "epub" in chosen)


def import_exporters(only: Iterable[str] | None = None) -> None:
    """Import the modules of the exporters a run plans (media's too; `only`: as
    `unplanned`), as planning them will (engine/outputs.py check_outputs). Called while
    the parse workers parse (load/workers.py `meanwhile`), it costs the check ~half its
    CPU time in wall time instead of all of it after them (~0.15 CPU-s at the end of a
    cold check, one core idle). Nothing is made: only the modules are loaded."""
    for name, target in [*EXPORTERS.items(), ("media", MEDIA)]:
        if not unplanned(name, only):
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
