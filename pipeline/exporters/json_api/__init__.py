"""The JSON game data for engines: build/api/v1/.

The exporter (exporter.py) is imported when asked for, not with the package: its
contract models and the World take ~0.4 CPU-s to import, which a build that only
remakes the manifest's entries (engine/shown.py, manifest_entries.py) never pays."""

__all__ = ["JsonExporter"]


def __getattr__(name: str):
    if name == "JsonExporter":
        from .exporter import JsonExporter
        return JsonExporter
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
