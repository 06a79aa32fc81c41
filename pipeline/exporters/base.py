"""The one exporter interface: plan the artifacts, then render each from the World.

Planning is cheap and lists, for every artifact, the inputs it is made from (entity
ids, rule files, config, theme files, assets). The builder fingerprints those inputs
and renders only artifacts whose fingerprint changed (Lektor's model, without its
over-recording: inputs are named per artifact, not per site).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ..diagnostics import Diagnostics


# Weights of Planned artifacts (see Planned.weight).
ONE, LIST, BOOK, EVERYTHING = 1, 10, 20, 100


@dataclass(frozen=True)
class Planned:
    """One artifact an exporter will write. `path` is relative to build/, POSIX."""

    path: str
    data: Any = None                # what the exporter needs to render it (an id, a kind…)
    # How much of the World rendering it walks (1: one entity; a list or a book of
    # everything: more). Heavy artifacts are rendered first, so no worker is left
    # with the bundle while the other sits idle. What an artifact is made from is
    # never declared here: the builder records what each render reads (tracking.py).
    weight: int = 1


@dataclass
class RenderContext:
    """Passed to render(): the World and a place to report problems."""

    world: Any
    diags: Diagnostics
    options: dict = field(default_factory=dict)
    reads: set[str] = field(default_factory=set)   # inputs outside the World (theme files), by key
    # (key, render) -> bytes: one piece of a list, kept between builds (render/fragments.py)
    fragments: Callable[[str, Callable[[Any], bytes]], bytes] | None = None

    def fragment(self, key: str, render: Callable[[Any], bytes]) -> bytes:
        """One row of a list artifact (a hero in bundle.json), by a key unique within
        this exporter: `render(world)` is called with a World view of its own only when
        no stored fragment is fresh, so it must read everything through that view."""
        if self.fragments is None:
            return render(self.world)
        return self.fragments(key, render)


class Exporter(Protocol):
    name: str          # the `--only` name: json, html, pdf, epub, ink, twee
    version: str       # bump when output changes for the same input, to invalidate old artifacts

    def plan(self, world: Any) -> list[Planned]: ...

    def render(self, ctx: RenderContext, item: Planned) -> bytes: ...
