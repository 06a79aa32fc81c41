"""The JSON game data for engines: build/api/v1/."""

from .exporter import JsonExporter

__all__ = ["JsonExporter"]
