"""The one exporter interface: plan the artifacts, then render each from the World.

Planning is cheap and lists, for every artifact, the inputs it is made from (entity
ids, rule files, config, theme files, assets). The builder fingerprints those inputs
and renders only artifacts whose fingerprint changed (Lektor's model, without its
over-recording: inputs are named per artifact, not per site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..diagnostics import Diagnostics


@dataclass(frozen=True)
class Planned:
    """One artifact an exporter will write. `path` is relative to build/, POSIX."""

    path: str
    inputs: frozenset[str]          # input keys, see World.input_hashes()
    data: Any = None                # what the exporter needs to render it (an id, a kind…)


@dataclass
class RenderContext:
    """Passed to render(): the World and a place to report problems."""

    world: Any
    diags: Diagnostics
    options: dict = field(default_factory=dict)


class Exporter(Protocol):
    name: str          # the `--only` name: json, html, pdf, epub, ink, twee
    version: str       # bump when output changes for the same input, to invalidate old artifacts

    def plan(self, world: Any) -> list[Planned]: ...

    def render(self, ctx: RenderContext, item: Planned) -> bytes: ...
