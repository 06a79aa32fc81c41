"""The one exporter interface: plan the artifacts, then render each from the World.

`plan(world)` returns a `Plan`: the artifacts, and everything else the builder needs
from the exporter — problems found while planning, input keys the exporter adds (its
theme's files), what besides its version changes every output, and `setup`, the
exporter's own frozen value (its loaded theme) that each render receives as
`ctx.setup`. That is the whole contract: the builder discovers nothing by `getattr`,
and an exporter keeps no state between `plan` and `render` (renders run in forked
workers, in any order). What an artifact is made from is recorded while it renders
(render/tracking.py), never declared up front.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Any, Callable, Protocol

from ..diagnostics import Diagnostic, Diagnostics, Span


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
    # The path of another artifact of the same exporter whose render this one's is, byte
    # for byte and read for read (the JSON API's published copy in site/api/v1/): the
    # exporter promises its render reads nothing of `path` but `data`, which the two
    # share. When both are stale the builder renders the original once and writes its
    # bytes, reads and diagnostics for the copy too; otherwise each is rendered alone.
    copy_of: str | None = None


@dataclass(frozen=True)
class Plan:
    """What one exporter's planning gives the builder for one build.

    items:    the artifacts, paths unique within the exporter
    setup:    the exporter's own frozen value, handed to every render as `ctx.setup`
    problems: diagnostics found while planning (a theme file that leads outside)
    limits:   problems of the content that only this output cannot carry (a number
              ink cannot hold): reported for an output that is made — each one
              `[build] outputs` names for `foundry check`, each one the build makes
              (`--only`) for `foundry build` — never for one that is not
    inputs:   input key → content hash, for inputs outside the World the exporter's
              renders may record (`theme:templates/hero.html`)
    recipe:   what besides the exporter's version changes every output it makes (the
              print theme's fonts, a library's version, the date a book embeds)
    """

    items: tuple[Planned, ...]
    setup: Any = None
    problems: tuple[Diagnostic, ...] = ()
    inputs: Mapping[str, str] = field(default_factory=dict)
    recipe: str = ""
    limits: tuple[Diagnostic, ...] = ()


@dataclass
class RenderContext:
    """Passed to render(): the World (a tracked view), the exporter's `Plan.setup`, and
    a place to report problems."""

    world: Any
    diags: Diagnostics
    setup: Any = None
    options: dict = field(default_factory=dict)
    reads: set[str] = field(default_factory=set)   # inputs outside the World (theme files), by key
    # (key, render, world, reads, decode) -> bytes (or decoded): one piece of a list,
    # kept between builds (render/fragments.py)
    fragments: Callable[..., Any] | None = None
    # render/spans.py SpanLog: where a list places its fragments as they are, kept by
    # `foundry serve` to splice the next save's changed ones in (None: nobody asks)
    spans: Any = None

    def fragment(self, key: str, render: Callable[[Any], bytes], reads: set[str] | None = None,
                 decode: Callable[[bytes], Any] | None = None) -> Any:
        """One row of a list artifact (a hero in bundle.json), by a key unique within
        this exporter and language: `render(world)` is called with a view of this
        context's World (in its language) of its own only when no stored fragment is
        fresh, so it must read everything through that view. What it read is recorded
        in `reads` (a fragment made from another: the outer one's view's reads), by
        default this render's. `decode`: `decode(bytes)` is returned instead, which the
        memo may keep with the fragment (render/fragments.py `Fragment.value`: a pure
        function kept by its module; what it gives is shared, never to be changed)."""
        if self.fragments is None:
            data = render(self.world)
            return data if decode is None else decode(data)
        return self.fragments(key, render, self.world, reads, decode)


class PlanParts:
    """What one exporter's plan made from each frozen value of the World (an entity's
    page made from its Entry), kept by `foundry serve` between builds (engine/outputs.py
    PlanMemo hands each exporter its own) and handed to `plan`: the exporter keeps
    nothing itself. A part is found again only under the same table name and key for
    the very `source` object it was made from (an Entry or an Asset: the query memo
    hands over the same object while its file is unchanged, pipeline/queries.py), so
    `make` must read nothing but its key and `source`. A table the plan did not ask for
    is forgotten by the next plan (`begin`), and so is a key its table no longer has.
    Without a memo (a CLI build, `foundry check`) the plan makes every part."""

    def __init__(self) -> None:
        self._now: dict[str, dict[Any, tuple[Any, Any]]] = {}
        self._before: dict[str, dict[Any, tuple[Any, Any]]] = {}
        # this plan's answer to `table` by name, with the mapping it read: the site's plan
        # asks for each kind's page paths twice (its lists' versions, the credits' authors)
        self._answered: dict[str, tuple[Mapping[Any, Any], list[Any]]] = {}
        self.made = 0   # parts the last plan made rather than found (the tests read it)

    def begin(self) -> None:
        """A new plan: the tables the last one asked for are kept, the rest forgotten."""
        if self._now:
            self._before, self._now = self._now, {}
        self._answered = {}
        self.made = 0

    def table(self, name: str, sources: Mapping[Any, Any], make: Callable[[Any, Any], Any]) -> list[Any]:
        """`[make(key, source) for key, source in sources.items()]`, each found again
        when the last plan made it for this `name` and key from this very `source`. Asked
        again in one plan with the very same `sources` (the World's frozen tables), the
        answer is the one made then, not a second pass over every key."""
        answered = self._answered.get(name)
        if answered is not None and answered[0] is sources:
            return list(answered[1])
        old = self._now.get(name) or self._before.get(name) or {}
        new: dict[Any, tuple[Any, Any]] = {}
        out = []
        made = 0
        for key, source in sources.items():   # one loop, no call per kept part: 10,000 of them a save
            kept = old.get(key)
            if kept is None or kept[0] is not source:
                kept = (source, make(key, source))
                made += 1
            new[key] = kept
            out.append(kept[1])
        self._now[name] = new
        self.made += made
        self._answered[name] = (sources, out)
        return list(out)

    def value(self, name: str, source: Any, make: Callable[[], Any]) -> Any:
        """`make()`, or what it gave the last plan that asked for `name` with a `source`
        equal to this one (a tuple of plain values and the very objects it was made from)."""
        old = (self._now.get(name) or self._before.get(name) or {}).get(None)
        if old is not None and (old[0] is source or old[0] == source):
            kept = old
        else:
            kept = (source, make())
            self.made += 1
        self._now[name] = {None: kept}
        return kept[1]


def parts_of(parts: PlanParts | None) -> PlanParts:
    """`parts`, or a memo of one plan's own (which makes every part)."""
    return parts if parts is not None else PlanParts()


class Exporter(Protocol):
    name: str          # the `--only` name: json, html, pdf, epub, ink, twee
    version: str       # bump when output changes for the same input, to invalidate old artifacts

    def plan(self, world: Any, parts: PlanParts | None = None) -> Plan:
        """Every artifact this exporter writes for `world`, and what its renders share.
        Cheap (no rendering) and pure: `foundry check` plans every output. `parts`: the
        engine's memo of what earlier plans made from each unchanged value (PlanParts),
        for an exporter whose plan makes something per entity; the Plan is the same
        with or without it."""

    def render(self, ctx: RenderContext, item: Planned) -> bytes:
        """One artifact's bytes, reading the World only through `ctx.world` and the
        exporter's own inputs only through `ctx.setup` (recording them in `ctx.reads`).
        Problems go to `ctx.diags`; an empty result with an error stops the build."""

    def locate(self, setup: Any, exc: BaseException) -> Span | None:
        """Where in the exporter's own inputs (a theme template line) a render that ran
        over its budget was, or None for the artifact itself."""

    def reasker(self, setup: Any, world: Any, item: Planned, fragment: Any) -> Any:
        """How list `item` asks for one of its fragments again by key, so that a later
        build splices the changed ones into the last file (render/stored_spans.py: a
        `stored_spans.Asker`, or one shaped like it); None for an artifact always
        rendered whole. `fragment` asks this build's memo (None: only whether it can is
        asked). Exporters that render every artifact whole inherit `Whole`'s."""


class Whole:
    """For exporters whose every artifact is rendered whole (books, ink, Twee, media):
    no list of theirs is spliced from its fragments' spans."""

    def reasker(self, setup: Any, world: Any, item: Planned, fragment: Any) -> None:
        return None


class Untemplated:
    """For exporters that draw nothing with the project's templates (JSON, ink, Twee,
    media): a render over its budget is reported at the artifact itself."""

    def locate(self, setup: Any, exc: BaseException) -> Span | None:
        return None
