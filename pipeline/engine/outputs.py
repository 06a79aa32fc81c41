"""What `build` would refuse about the outputs, found by `check` at the content file.

Every exporter's plan is cheap (no rendering, no WeasyPrint), so `check` runs all six
plans plus media's: it looks for two artifacts with one path: an entity whose id
lands on a fixed page (`content/heroes/index.yaml` → `site/heroes/index.html`, the
heroes index) or on another entity's output. Nothing here lists reserved ids: they
are whatever the plans say, so a page added to an exporter reserves its name at once.
It also checks the links in prose against the planned pages, as the site's link
check would, and says once when the theme cannot be found.

The plans are the build's too: `foundry build` renders from the exporters planned
here (engine/builder.py) instead of planning them a second time. A build with `--only`
does not plan the books, ink or Twee when it does not make them (`_unplanned`): their
paths lie in folders of their own, and what their plans refuse at every build (a
print-theme link out) is found without them. `foundry serve` keeps
them between saves (PlanMemo): a save plans again only the exporters whose plan read
what the save changed.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics, Span, clip
from ..ids import ANY_ID, LIST_PAGE, spell_id
from ..exporters.html import urls
from ..exporters.html.links import LinkChecker
from ..exporters.base import PlanParts
from ..exporters.pdf_engine import say_missing_engine, say_no_fonts
from ..exporters.registry import EXPORTERS, MEDIA, create, unplanned, unplanned_refusals
from ..load.byte_reads import watching
from ..load.files import KIND_DIRS
from ..load.places import id_line_too, told_ids
from ..load.hygiene import folded_name
from ..render.tracking import ATTRIBUTES, METHODS, TABLES, UNTRACKED, Reads, TrackedTable, TrackedWorld
from ..load.link_addresses import spaced_at
from ..load.titles import PROSE_FIELDS
from ..resolve.summaries import prose_hrefs
from ..validate.entities import prose_links
from ..resolve.world import World

# Outputs drawn with the project's theme: a theme they cannot find stops any build of them.
_THEMED = ("html", "pdf", "epub")
# What a themed output's plan says that every build says, whichever outputs it makes: a
# link that leads out of the project, refused at the link by every command.
_REFUSED_EVERYWHERE = frozenset({"HF0120"})


@dataclass(frozen=True)
class PlannedOutput:
    """One exporter and the Plan it made for the World it was given: an exporter keeps
    what its plan set up until it renders (exporters/base.py), so the two travel together."""

    exporter: Any
    plan: Any     # exporters.base.Plan


class PlanView(TrackedWorld):
    """The World as one exporter plans from it: what the plan reads is recorded as a
    render's is (render/tracking.py). Anything a render may not read (the World's
    other fields) is recorded as `?`, which no input hash names: such a plan is never
    reused. Once planned the view is closed: a plan that kept a table of it and read
    through it while rendering would record into the plan's reads, not the render's
    (an output stale after an edit), so it fails loudly instead."""

    def __init__(self, world: World):
        object.__setattr__(self, "_world", world)
        object.__setattr__(self, "reads", _PlanReads())
        object.__setattr__(self, "_tables", {name: TrackedTable(getattr(world, name), name, world, self.reads)
                                             for name in TABLES})

    def __getattr__(self, name: str) -> Any:
        if name not in TABLES and name not in ATTRIBUTES and name not in METHODS and name not in UNTRACKED:
            self.reads.add("?")
        return super().__getattr__(name)


class _PlanReads(Reads):
    closed = False

    def add(self, key) -> None:
        if self.closed:
            raise RuntimeError("an exporter's plan kept a view of the World and read through it after planning")
        super().add(key)

    def update(self, *keys) -> None:
        if self.closed:
            raise RuntimeError("an exporter's plan kept a view of the World and read through it after planning")
        super().update(*keys)


# A kept plan that read more inputs than this and was found stale by an edit of entity
# files is taken to read every entity of some kind: it is not recorded again.
WIDE = 64


class PlanMemo:
    """Each exporter's plan kept by `foundry serve` between builds (engine/resident.py),
    with what it read of the World and the hashes those inputs had. A plan is reused
    only in a build the resident engine trusts the file watcher for (`trusted`: only
    entity files it lists changed since the build that planned, so the theme, the
    print theme, foundry.toml and the translations are as they were) and only when
    every input it read has a hash and the same hash now: a hero edit plans again the
    site (its page titles), not media (which reads the portraits) nor the books. Any
    other build plans everything and keeps the new plans."""

    def __init__(self) -> None:
        self._kept: dict[str, tuple[PlannedOutput, dict[str, str]]] = {}
        self._wide: set[str] = set()    # exporters whose plans are never kept (see `plan`)
        self.trusted, self._forgotten, self.warm = False, False, False
        self._hashes: tuple[World, dict[str, str]] | None = None
        # the last World hashed and its hashes, kept across builds (`input_hashes`): an
        # edited World's are made from them in a trusted build
        self._before: tuple[World, dict[str, str]] | None = None
        self.reused: list[str] = []     # exporters whose plan this build reused (the tests read it)
        self.links = ProseLinks()       # each entity's prose links checked, kept while what it read holds
        self._paths: dict[int, tuple[Any, frozenset[str], bool]] = {}   # `paths`, by the plan's identity
        # what each exporter's plans made per entity, handed to the next (exporters/base.py
        # PlanParts): kept by identity of what each part was made from, so whatever the
        # build (trusted or not) a part is only found again for the very same Entry or Asset
        self.parts: dict[str, PlanParts] = {}
        # the last set of every output's path found to hold no two that clash (check_outputs),
        # and the length of its longest path in characters (`_too_long`)
        self.clash_free: frozenset[str] | None = None
        self.longest = 0

    def begin(self, trusted: bool, warm: bool = False) -> None:
        """A new build; `trusted`: see the class's docstring. An untrusted build forgets
        every plan when it plans (all of them, in check_outputs). One that stops before
        (a no-op, a broken foundry.toml) keeps them: the resident engine trusts the
        next build only when nothing but entity files changed since the last build
        that read every input, which planned (the loaded World is planned at once).
        `warm`: the resident engine's warming build (engine/resident.py `warming`),
        which nobody waits for: the site's templates are compiled then (`_compile`)."""
        self.trusted, self._hashes, self.reused, self._forgotten = trusted, None, [], False
        self.warm = warm

    def paths(self, plan: Any) -> tuple[frozenset[str], bool]:
        """`_paths(plan)`, kept for a plan reused as it is (a hero save does not list
        the JSON plan's 11,000 paths again)."""
        kept = self._paths.get(id(plan))
        if kept is None or kept[0] is not plan:
            if len(self._paths) > 64:
                self._paths = {}
            kept = self._paths[id(plan)] = (plan, *_paths(plan))
        return kept[1], kept[2]

    def input_hashes(self, world: World) -> dict[str, str]:
        """`world.input_hashes()`, made once per World (the builder asks again to render),
        from the last World's (World.input_hashes_since: only the entries that are not
        the last World's objects hashed again; equal to `world.input_hashes()` whatever
        changed between the two)."""
        if self._hashes is None or self._hashes[0] is not world:
            before = self._before
            hashes = world.input_hashes_since(*before) if before is not None else world.input_hashes()
            self._hashes = self._before = (world, hashes)
        return self._hashes[1]

    def plan(self, exporter: Any, world: World) -> PlannedOutput:
        """The exporter's plan for `world`: the kept one when it still holds, else made
        now and kept with what it read."""
        made = self._plan(exporter, world)
        if self.warm:
            _compile(made.plan.setup)
        return made

    def _plan(self, exporter: Any, world: World) -> PlannedOutput:
        if not self.trusted and not self._forgotten:
            self._kept, self._forgotten = {}, True    # an untrusted build's first plan
        hashes = self.input_hashes(world)
        kept = self._kept.get(exporter.name)
        if self.trusted and kept is not None:
            if all(hashes.get(k) == v for k, v in kept[1].items()):
                self.reused.append(exporter.name)
                return kept[0]
            if len(kept[1]) > WIDE:
                # it read (nearly) every entity of a kind (the site's page titles) and an
                # edit of entity files reached it: any such edit will, so its later
                # plans are made from the World itself, unrecorded
                self._wide.add(exporter.name)
        self._kept.pop(exporter.name, None)
        if exporter.name in self._wide:   # planned again by any edit: not worth recording
            return PlannedOutput(exporter, exporter.plan(world, self._parts(exporter)))
        view = PlanView(world)
        reads = view.reads
        try:
            with watching(reads):   # a plan reading a file's bytes reads `file:` (load/byte_reads.py)
                made = PlannedOutput(exporter, exporter.plan(view, self._parts(exporter)))
        except Exception:
            # a plan that needs the World itself (dataclasses.replace of it: the site
            # read in each language, resolve/localized.py) is planned from it, never kept;
            # a fault of the plan's own is raised again by that call, as without a memo
            reads.closed = True
            self._wide.add(exporter.name)
            return PlannedOutput(exporter, exporter.plan(world, self._parts(exporter)))
        reads.closed = True
        if not all(k in hashes for k in reads):
            # `?` (and any read without a hash) is never reused. A plan that read many
            # inputs is kept too: media's reads every portrait (`asset:…`, `portraits*`),
            # which a hero's text edit leaves as they were (a check of 10,000 hashes,
            # ~1 ms, against ~0.02 CPU-s to plan it again at 10,000 heroes)
            self._wide.add(exporter.name)
        else:
            self._kept[exporter.name] = (made, {k: hashes[k] for k in reads})
        return made

    def _parts(self, exporter: Any) -> PlanParts:
        """The exporter's PlanParts, begun for a new plan. What a part is made from is
        read through the World the plan is handed (a PlanView records it whether the part
        is made or found), so a part is never a read the memo does not see."""
        parts = self.parts.setdefault(exporter.name, PlanParts())
        parts.begin()
        return parts


def _compile(setup: Any) -> None:
    """Compile every template of the site's theme into the process's bytecode cache
    (exporters/html/theme.py COMPILED), so that the first save of `foundry serve`
    draws its pages from compiled templates as later saves do, instead of compiling
    the dozen a hero save draws (~0.2 CPU-s). A template that does not compile is left
    for the render that uses it to report; nothing else changes: compiled code is a
    pure function of the template's source."""
    from ..exporters.html.exporter import HtmlSetup
    if not isinstance(setup, HtmlSetup) or setup.env is None:
        return
    try:
        names = setup.env.loader.list_templates()
    except Exception:   # noqa: BLE001 (as below)
        return
    for name in names:
        if name.endswith(".html"):
            try:
                setup.env.get_template(name)
            except Exception:   # noqa: BLE001 (any fault is the render's to report, at the page)
                pass


def check_outputs(world: World, diags: Diagnostics, memo: PlanMemo | None = None,
                  outputs: Iterable[str] | None = None) -> dict[str, PlannedOutput]:
    """Plan every output for `world`; report each path two artifacts would write at the
    content file(s) that cause it (HF0720), and a theme no output can find (HF0703).
    Returns each exporter with its plan, by exporter name (media's included). `memo`:
    the plans `foundry serve` kept from its last builds (PlanMemo). `outputs`: the ones
    this run makes (a build's `--only`; by default `[build] outputs`), whose limits
    (Plan.limits: a number ink cannot hold) are reported too."""
    chosen = set(world.project.config.build.outputs if outputs is None else outputs)
    themes, templates, refused = Diagnostics(), Diagnostics(), Diagnostics()
    planned: dict[str, PlannedOutput] = {}
    paths: list[tuple[str, frozenset[str], bool]] = []   # each plan's paths, and whether it names one twice
    for name, target in [*EXPORTERS.items(), ("media", MEDIA)]:
        if _unplanned(name, outputs, memo):
            refused.extend(unplanned_refusals(name, world.project))
            continue
        exporter = create(target)
        made = memo.plan(exporter, world) if memo is not None else PlannedOutput(exporter, exporter.plan(world))
        exporter, plan = made.exporter, made.plan
        planned[exporter.name] = made
        paths.append((exporter.name, *(memo.paths(plan) if memo is not None else _paths(plan))))
        # A theme is read only by the outputs drawn with it: what is wrong with the site's
        # theme (a template that does not compile, a theme that is not there, its words)
        # stops the site, not a build of the JSON API, ink or Twee (`--only json`); check
        # says it for the outputs `[build] outputs` names, as build for those it makes.
        # A theme file linked out of the project is refused at the link by every command.
        drawn = name not in _THEMED or name in chosen or (name == "pdf" and "epub" in chosen)
        if name in _THEMED and name in chosen and not themes.items:   # one missing theme is one fact, said once
            _theme_problems(name, plan, world, themes)
        if name in ("html", "pdf") and drawn:   # the project's own templates (the EPUB's print theme is the PDF's)
            _template_problems(name, plan, templates)
        if name == "pdf" and name in chosen and say_missing_engine(refused):
            pass   # no WeasyPrint here (no Pango): none of what it would judge can be judged, nor a PDF made
        elif name == "pdf" and name in chosen:   # what WeasyPrint ignores in its own stylesheets, when PDFs are made
            say_no_fonts(refused)   # a machine with no font at all (a bare container)
            _stylesheet_problems(plan, templates)
            _picture_problems(plan, templates)   # its pictures WeasyPrint cannot draw whole
            _font_problems(world, plan, refused)  # characters no font prints, as each book's render says them
            _resolution_problems(world, plan, refused)   # portraits a print edition prints below 300 dpi
        if name == "epub" and name in chosen:    # characters each book's cover would draw as boxes
            from ..exporters.epub.exporter import foretell_cover_boxes
            foretell_cover_boxes(world, plan, refused)
        # what the build's plan stage refuses (a print-theme link out, HF0120): the same
        # call the builder makes, so check cannot miss what build stops on
        refused.extend(d for d in plan.problems if drawn or d.code in _REFUSED_EVERYWHERE)
        if exporter.name in chosen:   # what only this output cannot carry, when it is made
            refused.extend(plan.limits)
    diags.extend(themes.items)
    diags.extend(templates.items)
    diags.extend(refused.items)
    known: frozenset[str] = frozenset().union(*(found for _, found, _ in paths))
    if any(twice for *_, twice in paths) or len(known) != sum(len(found) for _, found, _ in paths):
        # a path two artifacts write (rare): found and said in plan order, each writer named
        writers: dict[str, list[str]] = {}
        for name in [name for name, *_ in paths]:
            for item in planned[name].plan.items:
                writers.setdefault(item.path, []).append(name)
        _report_collisions(world, [(path, names) for path, names in writers.items() if len(names) > 1], diags)
    if world.broken:   # a file that did not load is known by its id, its file's name, all the same
        _broken_clashes(world, planned, diags)
    # which paths clash is a function of the set of paths alone, and "none" the usual
    # answer: a `foundry serve` save that leaves every path as it was does not walk the
    # 35,000 again (~0.02 CPU-s a save at 10,000 heroes); any clash is looked at anew
    if memo is None or memo.clash_free != known:
        found = _case_clashes(known, planned, world, diags)
        found = _folder_clashes(known, planned, world, diags, "html" in chosen) or found
        if memo is not None:
            memo.clash_free = None if found else known
            memo.longest = max(map(len, known), default=0)
    # the project's folder is part of the length (not of the memo's key): asked every build
    _too_long(known, planned, world, diags, "html" in chosen, memo.longest if memo is not None else None)
    # a link in prose lands or not as the site's own link check decides at render:
    # among the paths the site writes (its pages, assets and media), never another
    # output's (the EPUB, an ink script), which build/site/ does not hold
    site = planned["html"] = _with_published_data(planned.get("html"), planned.get("json"), chosen)
    setup = site.plan.setup if site is not None else None
    if setup is not None and "html" in chosen:
        # a link the project's own templates write as it stands, judged as each page's
        # render will judge it (HF0701), at the template's line
        from ..exporters.html.theme_links import theme_link_problems
        theme_link_problems(setup, diags)
    _check_prose_links(world, setup.checker.known if setup is not None else known, diags,
                       memo.links if memo is not None else None, site)
    return planned


def _with_published_data(site: PlannedOutput | None, data: PlannedOutput | None,
                         chosen: set[str]) -> PlannedOutput | None:
    """The site's plan whose link checker knows the JSON API's copy inside the site
    (site/api/v1/…) when the JSON is made with it (`chosen`: check's `[build] outputs`,
    a build's `--only`): a prose link to `../api/v1/heroes.json` lands then, and was
    HF0721 ('which the build does not write') though the build wrote it. The checker
    is the one the pages' renders use too (ctx.setup), so check and build agree."""
    setup = site.plan.setup if site is not None else None
    if data is None or "json" not in chosen or getattr(setup, "checker", None) is None:
        return site
    published = frozenset(item.path for item in data.plan.items if item.path.startswith("site/"))
    if published <= setup.checker.known:
        return site
    checker = dataclasses.replace(setup.checker, known=setup.checker.known | published)
    return dataclasses.replace(site, plan=dataclasses.replace(site.plan, setup=dataclasses.replace(setup, checker=checker)))


def _unplanned(name: str, outputs: Iterable[str] | None, memo: PlanMemo | None) -> bool:
    """Whether a build's `--only` (`outputs`) lets the output `name` go unplanned: one
    of registry.py's UNPLANNED, neither made nor drawing the templates of one that is
    (the EPUB's print theme is the PDF's). Its plan would be imported and made only to
    be dropped (the PDF's and EPUB's read the whole print theme, every image in it
    opened; ink's finds the numbers ink cannot hold in every story: ~0.13 CPU-s at
    10,000 heroes, docs/performance.md edit22); what such a build still refuses of it
    comes from `unplanned_refusals`, at the same place, and its paths, in folders no
    other output writes, collide with nothing planned. `foundry check` (no `outputs`)
    and `foundry serve` (a memo, which keeps every plan) plan every output."""
    return memo is None and unplanned(name, outputs)


def _paths(plan) -> tuple[frozenset[str], bool]:
    """The paths `plan` writes, and whether it names one of them twice."""
    listed = [item.path for item in plan.items]
    found = frozenset(listed)
    return found, len(found) != len(listed)


class ProseLinks:
    """What `_check_prose_links` found for each entity, kept by `foundry serve` between
    builds (PlanMemo.links) under exactly what it read: the entity (its Entry object:
    the query memo hands over the same object while its file is unchanged,
    pipeline/queries.py), the pages the site writes with the base path links resolve
    under, and the HF0527 slips reported in its file. A save checks again the links of
    the entities it changed, and all of them only when the set of pages changed (an
    entity added, removed or renamed)."""

    def __init__(self) -> None:
        self._known: tuple[frozenset[str], str] | None = None
        self._found: dict[tuple[str, str], tuple[Any, frozenset, list]] = {}
        self.checked = 0     # entities whose links the last build checked (the tests read it)

    def begin(self, known: frozenset[str], base: str) -> None:
        """A new build's pages and base path: anything found under others is forgotten."""
        if self._known != (known, base):
            self._known, self._found = (known, base), {}
        self.checked = 0

    def get(self, key: tuple[str, str], entry: Any, slips: frozenset) -> list | None:
        """What was found for `entry` (`key`: its kind and id) under `slips`, or None."""
        kept = self._found.get(key)
        return kept[2] if kept is not None and kept[0] is entry and kept[1] == slips else None

    def put(self, key: tuple[str, str], entry: Any, slips: frozenset, found: list) -> None:
        self._found[key] = (entry, slips, found)
        self.checked += 1

    def keep_only(self, keys: set) -> None:
        """Forget the entities no longer in the World (their Entry objects with them)."""
        for gone in self._found.keys() - keys:
            del self._found[gone]


_NO_SLIPS: frozenset = frozenset()


def _check_prose_links(world: World, known: frozenset[str], diags: Diagnostics,
                       memo: ProseLinks | None = None, html: PlannedOutput | None = None) -> None:
    """A link in prose to a page the site does not write fails the site's link check
    (HF0701 at build/site/…); find it now, at the field or line that holds it. Prose
    is shown on its entity's page, so links resolve from there, as the site's do.
    A fragment (`page.html#id`) is checked too, against the ids of the page as the
    site's plan draws it (`html`: only the pages prose links into with a fragment are
    drawn, each once). `memo`: what the last builds found per entity (ProseLinks);
    an entity whose links name a fragment is checked every time (the ids are another
    page's: what it read is not the entity alone).
    With languages, the same prose (translated, its link targets kept: HF1107, or the
    base language's) is shown on each language's page too (`site/de/heroes/aria.html`),
    where a link resolves from that page: `../assets/map.png` lands on site/assets/ from
    the English page and on site/de/assets/, which no build writes, from the German.
    Each link is checked from every page that shows it (the build's link check did, and
    stopped at build/site/de/…, naming no content file); `known` tells which are made."""
    base = urlsplit(world.project.config.project.base_url).path or "/"
    base = base if base.endswith("/") else base + "/"
    drawn: dict[str, set[str] | None] = {}
    from ..exporters.languages import relocate
    from ..resolve.localized import output_languages
    languages = output_languages(world, "html")
    # the pages of entities whose files did not load (a merge conflict, a tab): a link to
    # one is right, and the file's own error says why the page is missing. It was also
    # HF0721 "link to a page the site has", which followed broke a good link.
    unwritten = set()
    for kind, _, eid in (key.partition(":") for key in world.broken):
        if kind in urls.FOLDERS and eid != ANY_ID:
            page = urls.entity_page(kind, eid)
            unwritten |= {page, *(relocate(page, lang, languages[0]) for lang in languages[1:])}
    known = known | unwritten

    def ids_of(path: str) -> set[str] | None:
        if path in unwritten:
            return None   # not drawn: its fragments are not checked
        if path not in drawn:
            from ..exporters.html.exporter import page_ids
            drawn[path] = page_ids(html.plan.setup, world, path) if html is not None else None
        return drawn[path]

    checker = LinkChecker(known, base, ids_of)

    def shown_on(kind: str, eid: str) -> tuple[str, ...]:
        """The pages an entity's prose is shown on: its own, then its pages in the
        other languages the site is made in."""
        page = urls.entity_page(kind, eid)
        if not languages:
            return (page,)
        return (page, *(other for other in (relocate(page, lang, languages[0]) for lang in languages[1:])
                        if other in known))
    # `[Climb](belfry)` already said to be a choice missing its `#` (HF0527, found while
    # reading the story), or `[Ring](bells#tower)` a choice into another story (HF0503),
    # is one slip: saying again that site/stories/belfry does not exist, at the same
    # place, would only bury the useful message
    slips: dict[str, set] = {}
    for d in diags.items:
        if (d.code == "HF0527" or (d.code == "HF0503" and d.message.startswith("the link '"))) \
                and d.message.count("'") >= 2:
            slips.setdefault(d.span.path, set()).add((d.span.path, d.span.line, d.message.split("'")[1]))
    # each file's slips made a frozenset once, not one per entity (10,500 a save)
    frozen = {path: frozenset(found) for path, found in slips.items()}
    if memo is not None:
        memo.begin(known, base)
    keys = set()
    for entry in world.entries():
        if entry.kind not in urls.FOLDERS:
            continue
        theirs = frozen.get(entry.path, _NO_SLIPS) if frozen else _NO_SLIPS
        if memo is not None:
            key = (entry.kind, entry.id)
            keys.add(key)
            found = memo.get(key, entry, theirs)
            if found is None:
                found = Diagnostics()
                if not _entity_links(entry, checker, theirs, found, shown_on):
                    memo.put(key, entry, theirs, found.items)
                found = found.items
            if found:
                diags.extend(found)
        else:
            _entity_links(entry, checker, theirs, diags, shown_on)
    if memo is not None:
        memo.keep_only(keys)


def _entity_links(entry, checker: LinkChecker, slips: frozenset, diags: Diagnostics,
                  shown_on: Callable[[str, str], tuple[str, ...]]) -> bool:
    """`_check_prose_links` for one entity's prose fields and story scenes. Whether a
    link named a fragment of another page (what was found then depends on that page)."""
    summarised = prose_links(entry)
    if summarised == ():   # a summarised hero without links (most of 10,000): nothing to check or place
        return False
    page = shown_on(entry.kind, entry.id)
    fragments = False
    places = _FieldLinks(entry)
    if summarised is not None:   # a hero's links kept in its summary: its document not decoded
        for field, href in summarised:
            fragments |= _check_link(checker, page, href, functools.partial(places.find, field, href), diags)
        return fragments
    data = entry.doc.data
    for field in PROSE_FIELDS:
        text = data.get(field)
        if isinstance(text, str):
            for href in prose_hrefs(text):
                fragments |= _check_link(checker, page, href, functools.partial(places.find, field, href), diags)
    if entry.kind != "story":
        # only a story has scenes: asking a pydantic model for a field it lacks raises
        # inside (~5 us, 11,000 entities a check at 10,000 heroes)
        return fragments
    lines, story = _LinkLines(entry), entry.model
    # the scenes' links but to `#…` (a scene of this story, which the story checks, or an
    # id the page has), kept with the story (Story.outline): its scenes are not decoded
    for scene, hrefs in story.outline.links:
        for href in hrefs:
            fragments |= "#" in href
            if not any(checker.problem(shown, href, None) for shown in page):
                continue   # the common case: no line looked for (a 1.6 MB story of links took minutes)
            at = lines.find(href, story.scenes[scene].span)
            if (at.path, at.line, href) not in slips:
                _check_link(checker, page, href, at, diags)
    return fragments


def _page_meant(checker: LinkChecker, page: str, href: str, elsewhere: bool = True) -> str | None:
    """HF0721's hint for a link to a page written without its `.html`, or as the content
    file (`[the road](first-story)`, `(first-story.md#road)`, `(../heroes/wren.yaml)`, as a
    wiki or GitHub links), or from the wrong folder (`(wren.html)` in a story: the page is
    `../heroes/wren.html`), or to a scene by its id (`first-story.html#road`: a story's
    page marks a scene `#scene-road`): the address that lands, from `page`; None when
    there is none. It was "link to a page the site has" (or "to an id that page has"),
    of the page meant. `elsewhere`: whether another folder's page may be the one meant
    (not from a language's page, where a link that lands from the base language's
    page is wrong only for being read a folder deeper)."""
    path, mark, fragment = href.partition("#")
    # a file's name as a file manager or GitHub shows it (`wren.YAML`, `wren.yaml?plain=1`):
    # a page takes no query, and its content file's extension in any case is the file
    path = path.partition("?")[0]
    stem = re.sub(r"\.(markdown|md|ya?ml)$", "", path, flags=re.IGNORECASE)
    written = stem if not stem or stem.endswith((".html", "/")) else stem + ".html"
    if stem and checker.problem(page, written, None):
        written = _page_elsewhere(checker, page, written) if elsewhere else None
        if written is None:
            return None
    if not fragment:
        return f"The page is `{written}`: write `({written})`."
    for meant in (fragment, f"scene-{fragment}"):
        if not checker.problem(page, f"{written}#{meant}", checker.ids_of(page) if not stem else None):
            return f"Write `({written}#{meant})`" + (f": the page is `{written}`" if written != path else "") + \
                (f", where scene '{fragment}' is `#{meant}`." if meant != fragment else ".")
    if written == path:
        return None
    return f"The page is `{written}`, which has no `#{fragment}`: write `({written})`."


def _page_elsewhere(checker: LinkChecker, page: str, written: str) -> str | None:
    """The address from `page` of the one page of the site (of `page`'s language) named
    as `written` ends, in another folder (`wren.html` written in a story, a hero's page
    `../heroes/wren.html`); None when no page, or more than one, has that name."""
    name = written.rstrip("/").rpartition("/")[2]
    if not name.endswith(".html") or name == "index.html":
        return None
    folder = posixpath.dirname(page)
    tree = posixpath.dirname(folder)   # site/ or site/de/: a page of the same language
    found = [known for known in checker.known
             if known.endswith("/" + name) and posixpath.dirname(posixpath.dirname(known)) == tree]
    if len(found) != 1:
        return None
    address = posixpath.relpath(found[0], folder)
    return None if checker.problem(page, address, None) else address


def _check_link(checker: LinkChecker, pages: tuple[str, ...], href: str, span: Span | Callable[[], Span],
                diags: Diagnostics) -> bool:
    """HF0721 for one link of prose shown on `pages` (the entity's page, then its pages
    in other languages): said once, from the first page it does not land from; whether
    it names a fragment (an id of the entity's own page, `#top`, is looked for in that
    page as drawn too)."""
    page, problem = pages[0], None
    for shown in pages:
        own = checker.ids_of(shown) if href.startswith("#") and len(href) > 1 else None
        problem = checker.problem(shown, href, own)
        if problem:
            page = shown
            break
    if problem:
        # said at the prose, not the page: "this page" is named (`#top`, `own.html#scene-b`)
        problem = problem.replace("which this page does", f"which {page}, the page it is shown on, does")
        hint = (f"Links in prose are relative to the page it is shown on ({page}); "
                "link to a page the site has, or write a full https:// URL.")
        if page != pages[0]:
            # it lands from the base language's page: the same words on a language's page
            # are read from a folder deeper (site/de/…), where only the pages are
            problem = f"read from {page}, its page in '{page.split('/')[1]}', {problem}"
            hint = (f"The prose is shown on each language's page too ({page}), where links are "
                    "relative to that page: link to a page every language has (a hero's, a story's, "
                    "an index), or write a full https:// URL.")
        meant = _page_meant(checker, page, href, page == pages[0]) if problem.endswith("which the build does not write") \
            or problem.startswith("names #") else None
        if meant is None and problem == "points outside the site" and href.startswith("/") \
                and not href.startswith("//") and checker.base_path != "/":
            # `/heroes/wren.html` under base_url https://x.org/coast/: the site is served
            # from /coast/, so the page is `/coast/heroes/wren.html`
            under = checker.base_path.rstrip("/") + href
            meant = (f"The site is served from `{checker.base_path}` (base_url): write `({under})`."
                     if not checker.problem(page, under, None) else _page_meant(checker, page, under, page == pages[0]))
        if meant is None and "%5C" in href.upper():
            # a Windows path's `\` between folders (`..\stories\x.md#road`, read `..%5Cstories…`):
            # "link to a page the site has" of the page meant, and followed, still a `\`
            slashed = re.sub("%5C", "/", href, flags=re.IGNORECASE)
            landed = not checker.problem(page, slashed, None)
            meant = "Write `/` between folders: a web address has no `\\`" + (
                f": `({slashed})`." if landed else
                f". {then}" if (then := _page_meant(checker, page, slashed)) else f" (`{slashed}`). {hint}")
        if meant is not None:
            hint = meant
        elif problem.startswith("names #"):
            hint = "Link to an id that page has (open it in build/site/ to see them), or to the page alone."
        elif problem.startswith("points to site/api/"):
            hint = ("The JSON data is in the site (site/api/v1/) when the json output is made with it: "
                    "add \"json\" to [build] outputs (or to the build's --only).")
        diags.add("HF0721", f"link '{clip(href, 80)}' {problem}", span if isinstance(span, Span) else span(),
                  hint=hint)
    return "#" in href


class _FieldLinks:
    """Where each link target of an entity's YAML prose fields is written, in order:
    several links of one `background:` that do not land were all said at the field's
    first line, not each at its own. Read only when a link is reported."""

    def __init__(self, entry) -> None:
        self.entry = entry
        self.places: dict[str, list[tuple[str, Span]]] = {}

    def find(self, field: str, href: str) -> Span:
        """The next place in `field`'s lines where `href` is written as a link's target
        (`](href`, or a reference's `]: href`), also as written otherwise than markdown-it
        names it (`..\\x.html` is `..%5Cx.html`, `<a b.html>` `a%20b.html`: as_href), or
        the field's span (a target spread over lines)."""
        if field not in self.places:
            span = self.entry.span(field)
            text = self.entry.doc.data.get(field)
            last = span.line + (text.count("\n") + 1 if isinstance(text, str) else 0)
            found = self.places[field] = []
            for number in range(span.line, last + 1):
                for m in _link_targets(self.entry.doc.source.line(number)):
                    found.append((m.group(1), Span(self.entry.path, number, m.start(1) + 1)))
        found = self.places[field]
        for k, (target, at) in enumerate(found):
            if target == href or as_href(target) == href:
                del found[k]   # the same target twice: the second is said at the second
                return at
        return self.entry.span(field)


# a link's target in a line of prose (a field's, a story's body): `](target`, or
# `[label]: target` (a reference, also in a blockquote); `<…>` around it (which may hold
# spaces) kept, as_href reads it
# (ended by an ASCII space or control character, as markdown-it ends one: `a\u00a0b`
# is one target, `a%C2%A0b`, not `a`); not a footnote's `[^1]: a note` (no definition,
# shown as typed: load/markdown.py), whose first word took the place of a link to it
_FIELD_TARGET = re.compile(r"(?:\]\(|^[ \t>]*\[(?!\^)[^\]\n]+\]:[ \t]*)(<[^<>\n]*>|[^\x00-\x20\x7f)]+)")
_CODE = re.compile(r"(`+)[^`].*?\1")


def _link_targets(line: str) -> Iterator[re.Match]:
    """Each _FIELD_TARGET of one line of prose that may be a link: not in a code span,
    nor an address a space ends (`[x](a b)`, `[r]: a b`, shown as typed: load/link_addresses.py),
    which took the place of the link to `a` written after it (`[y](a "title")`)."""
    if "`" in line:
        line = _CODE.sub(lambda m: " " * len(m.group(0)), line)
    for found in _FIELD_TARGET.finditer(line):
        if not spaced_at(line, found.start()):
            yield found


@functools.lru_cache(maxsize=1024)
def as_href(written: str) -> str:
    """A link's target as written (`..\\heroes\\x.html`, `<a b.html>`, `caf&eacute;.html`,
    `a\\_b.html`) as markdown-it makes it the link's href (`..%5Cheroes%5Cx.html`,
    `a%20b.html`, `caf%C3%A9.html`, `a_b.html`): the form a reported link is named by, so
    that it is found at its own line, not at its field's first (or its scene's heading)."""
    from markdown_it.common.utils import unescapeAll
    global _PROSE
    if _PROSE is None:
        from ..load.markdown import markdown
        _PROSE = markdown()   # prose's own normalizeLink (`//host` is written https:)
    if written.startswith("<") and written.endswith(">"):
        written = written[1:-1]
    return _PROSE.normalizeLink(unescapeAll(written))


_PROSE: Any = None


class _LinkLines:
    """Where each `](target` (or `[label]: target`) of a story's body is written: the body is read once, on
    the first link that needs a place, and each target is then one lookup. Searching
    the body again for every link was quadratic: 100,000 links in a legal 1.6 MB story
    ran `check` for minutes."""

    def __init__(self, entry) -> None:
        self.entry = entry
        self.places: dict[str, list[Span]] | None = None

    def find(self, href: str, fallback: Span) -> Span:
        """The body line that holds `href` as written, after `fallback` (the scene's
        heading) and not yet given for an earlier link, also as written otherwise than
        markdown-it names it (an escape, `<…>`, a space or a backslash: as_href), or
        `fallback`. The same target in two scenes was said twice at the first. The
        heading's own line is passed over: a link there is dropped (a title shows its
        words, HF0123), so a prose link to the same address was said at the heading."""
        if self.places is None:
            self.places = {}
            entry = self.entry
            for number, line in enumerate(entry.doc.body.split("\n"), entry.doc.body_line):
                for found in _link_targets(line):
                    place = Span(entry.path, number, found.start(1) + 1)
                    self.places.setdefault(found.group(1), []).append(place)
                    named = as_href(found.group(1))
                    if named != found.group(1):   # written otherwise than it is named (an escape, `<…>`)
                        self.places.setdefault(named, []).append(place)
        places = self.places.get(href)
        if not places:
            return fallback
        at = next((k for k, place in enumerate(places) if place.line > fallback.line), 0)
        return places.pop(at)



def _report_collisions(world: World, found: list[tuple[str, list[str]]], diags: Diagnostics) -> None:
    """Each path of `found` (a path, the outputs writing it) said at the content file
    whose id makes it (HF0720), else as our own bug (HF0704). One id is one slip: the
    paths it collides at (its page in the site and in each language's folder: the
    quest id `index` was three errors at one line with two languages) are one error,
    at the path nearest the top, naming how many more."""
    clashes: dict[tuple[str, str, str, str], list[str]] = {}
    declared: dict[str, Any] = {}   # each clashing file's `id:`, which the hint renames too
    for path, names in found:
        causes = _entities_at(world, path)
        if not causes:   # two fixed outputs collide: our bug, reported as build reports it
            diags.add("HF0704", f"{' and '.join(names)} both write {path}", Span("build"))
            continue
        for entry in causes:
            others = [e for e in causes if e is not entry]
            clash = f"also where {others[0].path} is published" if others else "a page foundry makes itself"
            clashes.setdefault((entry.kind, entry.id, entry.path, clash), []).append(path)
            declared[entry.path] = entry.doc.data.get("id") if isinstance(entry.doc.data, dict) else None
    taken = _taken_ids(world) if clashes else set()
    for (kind, eid, rel, clash), paths in clashes.items():
        _id_clash(kind, eid, rel, paths, clash, diags, taken, _content(world), declared.get(rel))


def _case_clashes(known: frozenset[str], planned: dict[str, PlannedOutput], world: World,
                  diags: Diagnostics) -> bool:
    """Two outputs whose paths differ only in letter case or in how an accent is composed
    (`site/assets/Site.css` beside the theme's `site.css`): one file on macOS and Windows,
    where the build wrote one over the other (the site's stylesheet replaced), while the
    exact-path check above saw two. A project theme's static file beside another output
    (the shipped theme's) is HF0162 at that file (a warning, as for two such names in
    one folder, which load/hygiene.py says: Linux builds both); any other pair is said
    as a collision of those paths is. Returns whether two paths folded alike, said or
    not (a function of `known` alone)."""
    joined = "\n".join(known)
    if joined.isascii() and joined.islower():
        return False   # the usual build, at C speed: lowercase ASCII paths are their own folded form
    odd = [path for path in known if not (path.isascii() and path.islower())]
    groups: dict[str, set[str]] = {}
    for path in odd:
        key = folded_name(path)
        groups.setdefault(key, {key} if key in known else set()).add(path)
    found = False
    for key, paths in sorted(groups.items()):
        if len(paths) < 2:
            continue
        found = True
        ordered = sorted(paths)
        writers = [name for name, made in planned.items() for item in made.plan.items if item.path in paths]
        if set(writers) == {"media"}:
            continue   # portraits are named by their bytes' hash: names folding alike are one image's copies
        own = _project_static(planned, ordered)
        others = [path for path in ordered if path not in own]
        if not others:
            continue   # two files of the project's own static/: its folder's HF0162 (load/hygiene.py) says it
        for path in ordered:
            if path in own:
                other = others[0]
                diags.add("HF0162", f"'{clip(own[path], 120)}' is published as {path}, which differs only in letter "
                          f"case or accents from {other}: macOS and Windows keep one file for both", Span(own[path]),
                          hint=f"Name it {PurePosixPath(other).name} to replace that file, or give it a name of its own.")
        if not own:
            _report_collisions(world, [(ordered[-1], writers)], diags)
    return found


def _folder_clashes(known: frozenset[str], planned: dict[str, PlannedOutput], world: World,
                    diags: Diagnostics, site_made: bool) -> bool:
    """Two outputs of which one would be a folder of the other: a project theme's
    `static/site.css/extra.css` published inside `site/assets/site.css`, the theme's
    stylesheet. No two paths are equal, so the check above saw nothing, and the build
    stopped writing with HF0714 'File exists' and a hint about disk space. Folded as
    macOS and Windows fold names too (`static/Site.css/x.css`). A project static file
    is said at that file (HF0704, the one of two outputs claiming a path) when the site
    is made (`site_made`: a theme's slip stops the site, not `build --only json`); any
    other pair as a collision of those paths is. Returns whether any path clashed, said
    or not (a function of `known` alone, as `_case_clashes`'s answer)."""
    folders: set[str] = set()
    for parent in {path.rpartition("/")[0] for path in known}:
        while parent and parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    exact = known & folders
    clashes = set(exact)
    joined = "\n".join(known)
    if not (joined.isascii() and joined.islower()):   # as _case_clashes: lowercase ASCII is its own fold
        files = {folded_name(path): path for path in known}
        clashes |= {files[folder] for folder in map(folded_name, folders) if folder in files}
    for file in sorted(clashes):
        inside = sorted(path for path in known if folded_name(path).startswith(folded_name(file) + "/"))
        own = _project_static(planned, [file, *inside])
        if not own:
            writers = [name for name, made in planned.items() for item in made.plan.items
                       if item.path in (file, inside[0])]
            _report_collisions(world, [(file, writers)], diags)
            continue
        if not site_made:
            continue
        path = next(iter(own))
        other, name = (inside[0] if path == file else file), path.split("/")[file.count("/")]
        if path == file:   # the project's file is named like a folder the site publishes
            where, hint = f"where {other} needs a folder", f"Rename {name} in the theme's static/: the site " \
                "publishes files in a folder of that name."
        else:
            where, hint = f"inside {other}, a file", f"Rename the folder {name}/ in the theme's static/ (for " \
                f"example to {PurePosixPath(name).stem}-files/): the site publishes a file of that name."
        if file in exact:
            diags.add("HF0704", f"'{clip(own[path], 120)}' is published as {path}, {where} the site publishes "
                      "too: one path cannot be a file and a folder", Span(own[path]), hint=hint)
        else:   # Linux builds both; macOS and Windows hold one name for the two (HF0162, as _case_clashes)
            diags.add("HF0162", f"'{clip(own[path], 120)}' is published as {path}, {where} the site publishes "
                      "whose path differs only in letter case or accents: macOS and Windows cannot hold a file "
                      "and a folder of one name", Span(own[path]), hint=hint)
    return bool(clashes)


# What a build puts before an output's path (relative to build/) as it writes it, after
# the project folder: its staging folder `.foundry-staging-<pid>-<8 hex>/` (write/
# staging.py; `.foundry-builds/<pid>-<hex>/` and build/ are shorter), or a shard's,
# `build-shards/.<I>-of-<N>-<pid>-<8 hex>/files/` (engine/shards.py, N at most 256),
# the longest. A pid has at most 7 digits: Linux's pid_max is at most 2**22.
_STAGED = max(len("/.foundry-staging-") + 7 + 1 + 8 + 1,
              len("/build-shards/.256-of-256-") + 7 + 1 + 8 + len("/files/"))


def _too_long(known: frozenset[str], planned: dict[str, PlannedOutput], world: World,
              diags: Diagnostics, site_made: bool, longest: int | None = None) -> None:
    """HF0722: an output whose path, as the build writes it in this project, is longer
    than the file system takes (PATH_MAX, with its terminating NUL). Only the project
    theme's static/ publishes a path the project chooses at any length (ids, language
    tags and media names are bounded), and `site/assets/<path>` in a staging folder
    is ~25 bytes longer than `themes/<name>/static/<path>` (in a shard's, ~40): a file
    nested deep enough to be checked out passed check, and the build stopped with
    HF0714 "File name too long" naming no file of the project, with a hint about disk
    space. Said at that file, when the site is made (`site_made`, as _folder_clashes:
    `build --only json` writes no theme file); a path of any other output over the
    limit means the project folder itself is too deep, said once. Paths far below the
    limit (every usual build) cost one max() over their lengths (`longest`: that max,
    when the caller knows it: a `foundry serve` save whose paths are the last ones)."""
    root = os.fsencode(os.path.abspath(world.project.root))
    try:
        limit = os.pathconf(root, "PC_PATH_MAX") - 1
    except (AttributeError, OSError, ValueError):   # no pathconf (Windows) or no answer: Linux's
        limit = 4095
    base = len(root) + _STAGED
    if longest is None:
        longest = max(map(len, known), default=0)
    if not known or base + 4 * longest <= limit:   # UTF-8 spends at most 4 bytes a character
        return
    over = sorted(path for path in known if base + len(os.fsencode(path)) > limit)
    static = _project_static(planned, over)
    own = {**static, **_project_root(planned, over)}
    for path in over:
        if path in own and site_made:
            size = base + len(os.fsencode(path))
            part, there = ("static/", "site/assets/") if path in static else ("root/", "site/")
            diags.add("HF0722", f"'{clip(own[path], 120)}' would be written as build/{clip(path, 80)}: "
                      f"{size:,} bytes with this project's folder and the build's own, over the "
                      f"{limit:,} the file system takes in one path", Span(own[path]),
                      hint=f"Give its folders in the theme's {part} shorter names, or fewer: the build writes it "
                           f"deeper than the theme holds it (in .foundry-staging-<pid>-<hex>/{there}).")
    rest = [path for path in over if path not in own]
    if rest:
        more = f" (and {len(rest) - 1:,} more)" if len(rest) > 1 else ""
        diags.add("HF0722", f"build/{clip(rest[0], 80)}{more} would be {base + len(os.fsencode(rest[0])):,} bytes "
                  f"long with this project's folder, over the {limit:,} the file system takes in one path",
                  Span("build"), hint="Move the project to a folder with a shorter path, and build again.")


def _project_static(planned: dict[str, PlannedOutput], paths: list[str]) -> dict[str, str]:
    """Of `paths`, those the site publishes from the project theme's own static/, each
    with that file's path in the project."""
    site = planned.get("html")
    theme = getattr(getattr(site.plan, "setup", None), "theme", None) if site is not None else None
    if theme is None:
        return {}
    own = theme.project_static()
    files = theme.static_files()
    return {path: theme.label(str(files[name])) for path in paths
            for name in [path.removeprefix(urls.ASSETS + "/")] if name in own and name in files}


def _project_root(planned: dict[str, PlannedOutput], paths: list[str]) -> dict[str, str]:
    """Of `paths`, those the site publishes from the project theme's own root/
    (exporter.py `_root_files`), each with that file's path in the project."""
    site = planned.get("html")
    setup = getattr(site.plan, "setup", None) if site is not None else None
    theme, files = getattr(setup, "theme", None), getattr(setup, "root", None) or {}
    if theme is None or len(theme.dirs) < 2:
        return {}
    return {path: theme.label(str(files[name])) for path in paths
            for name in [path.removeprefix(urls.SITE + "/")] if name in files and files[name].is_relative_to(theme.dirs[0])}


def _id_clash(kind: str, eid: str, rel: str, paths: list[str], clash: str, diags: Diagnostics,
              taken: Iterable[str] = (), content: Path | None = None, declared: Any = None) -> None:
    """HF0720 at `rel`: one error for the id, at the path of `paths` nearest the top,
    naming how many more. The name its hint suggests is spelled as every suggested id
    is (ids.spell_id), past `taken` (the project's ids) and the page names: it said
    `index-1` where `foundry new` and HF0113 said `index-2`, and never asked whether a
    file already had it. With `content` (the project's content/), the id the one walk
    of refused names tells the file (places.told_ids), which no other hint names:
    `Index-2.yaml` (HF0113) or a stray `index.yml` (HF0105) beside `index.yaml` were
    told 'index-2.yaml' by the same check. `declared`: the file's `id:` (None without
    one), which the hint renames too (places.id_line_too)."""
    path, *more = sorted(paths, key=lambda p: (p.count("/"), p))
    if more:
        clash += f" (and {len(more)} more so: {clip(', '.join(more), 80)})"
    folder, suffix = KIND_DIRS[kind]
    listed, told = told_ids(content, kind) if content is not None else (set(), {})
    other = told.get(rel.removeprefix("content/")) or spell_id(eid, {*taken, *listed, eid, LIST_PAGE})
    diags.add("HF0720", f"the {kind} id '{clip(eid, 40)}' would write {path}, which is {clash}",
              Span(rel, 1, 1),
              hint=f"Rename the file (for example to content/{folder}/{other}{suffix}){id_line_too(declared, other)}; "
                   f"'{eid}' names an output foundry already writes.")


def clash_ahead(planned: dict[str, PlannedOutput], kind: str, eid: str, rel: str, diags: Diagnostics,
                taken: Iterable[str] = ()) -> None:
    """HF0720 at `rel`, a content file not yet written (`foundry import --dry-run`), when
    the outputs `planned` for the project as it is already write where that entity would
    be published: outputs are filed by id in a folder named like the content folder, the
    rule `_entities_at` reads a collision by, here read the other way. One, at the first
    such path; its hint numbered past `taken` (the project's ids)."""
    for (kind, eid), paths in _published_where(planned, {(kind, eid)}).items():
        _id_clash(kind, eid, rel, paths, "a page foundry makes itself", diags, taken)


def _broken_clashes(world: World, planned: dict[str, PlannedOutput], diags: Diagnostics) -> None:
    """HF0720 at each entity file that did not load (World.broken: a YAML slip, an empty
    file, no front matter) whose id lands where an output already writes. Its id is its
    file's name, known without its content, so it is said with the slip: it was said
    only once the writer had fixed that and run check again, as a second error at the
    same file. The file is `content/<folder>/<id><suffix>`: one anywhere else is not
    read (HF0105) and so never broken."""
    wanted = {tuple(key.split(":", 1)) for key in world.broken}
    taken = _taken_ids(world)
    for (kind, eid), paths in sorted(_published_where(planned, wanted).items()):
        folder, suffix = KIND_DIRS[kind]
        _id_clash(kind, eid, f"content/{folder}/{eid}{suffix}", paths, "a page foundry makes itself", diags, taken,
                  _content(world))


def _published_where(planned: dict[str, PlannedOutput], wanted: set) -> dict[tuple[str, str], list[str]]:
    """Of the entities `wanted` ((kind, id) pairs that have no outputs of their own), each
    with the paths other outputs already have where an entity of that kind and id would
    be published: its id as the file's stem, directly in a folder named like its content
    folder (site/heroes/<id>.html, site/de/heroes/…, pdf/heroes/<id>.pdf). Not the
    theme's files (site/assets/…), which the theme names as it likes: a broken hero
    `wren` was refused for the theme's `static/heroes/wren.css`. One pass over the
    paths, whatever the number wanted."""
    by_id: dict[str, list[tuple[str, list[str]]]] = {}
    for kind, eid in wanted:
        by_id.setdefault(eid, []).append((kind, KIND_DIRS[kind][0].split("/")))
    found: dict[tuple[str, str], list[str]] = {}
    assets = urls.ASSETS + "/"
    for made in planned.values():
        for item in made.plan.items:
            *folders, name = item.path.split("/")
            stem = name.rpartition(".")[0] or name
            for kind, folder in by_id.get(stem, ()):
                if folders[-len(folder):] == folder and not item.path.startswith(assets):
                    found.setdefault((kind, stem), []).append(item.path)
    return found


def _content(world: World) -> Path:
    """The project's content/ folder, whose files' names the hints read."""
    return Path(world.project.root) / "content"


def _taken_ids(world: World) -> set[str]:
    """Every id the project's entity files have, those that did not load too: a hint
    naming one of them was refused again (two files of one id)."""
    return {entry.id for entry in world.entries()} | {key.split(":", 1)[1] for key in world.broken}


def _entities_at(world: World, path: str) -> list:
    """The entities whose output `path` is: outputs are filed by id in a folder named
    like the content folder (site/heroes/<id>.html for content/heroes/<id>.yaml)."""
    target = PurePosixPath(path)
    folders = target.parts[:-1]
    found = []
    for entry in world.entries():
        folder = tuple(KIND_DIRS[entry.kind][0].split("/"))
        inside = any(folders[i:i + len(folder)] == folder for i in range(len(folders)))
        if entry.id == target.stem and inside:
            found.append(entry)
    return found


def _theme_problems(name: str, plan, world: World, diags: Diagnostics) -> None:
    """A theme that cannot be found is refused by the render of every page or book;
    say so now, once, at foundry.toml."""
    if name == "html":
        diags.extend(plan.problems)       # the site's theme problems, a missing theme among them
    elif plan.setup is None:              # the print theme (books.theme.load_print_theme)
        from ..exporters.books.theme import missing_theme
        missing_theme(world.project, diags)


def _stylesheet_problems(plan, diags: Diagnostics) -> None:
    """What WeasyPrint would ignore in the project's own print stylesheets, at its line
    (exporters/pdf/css_slips.py): a warning every PDF build says, so `check` and
    `build --strict` agree."""
    from ..exporters.books.theme import PrintTheme
    from ..exporters.pdf.css_slips import stylesheet_slips
    if isinstance(plan.setup, PrintTheme):
        diags.extend(stylesheet_slips(plan.setup))
        from ..exporters.pdf.font_faces import unloaded_faces
        diags.extend(unloaded_faces(plan.setup))   # its @font-face rules WeasyPrint cannot load, at each rule
        from ..exporters.pdf.root_lang import unnamed_roots
        unnamed_roots(plan.setup, diags)   # a book's root without lang, at the project's <html>
        from ..exporters.html.theme import default_theme_dir
        from ..exporters.pdf.font_gaps import undeclared_families
        # faces the shipped sheets name that its own base.css no longer declares, at that file
        undeclared_families(plan.setup, default_theme_dir() / "print", diags)


def _picture_problems(plan, diags: Diagnostics) -> None:
    """The project's own print pictures a PDF's page names that WeasyPrint cannot load,
    or that are cut off (exporters/pdf/pictures.py): warnings at the naming line that
    every PDF build says before its books, so `check` and `build --strict` agree."""
    from ..exporters.books.theme import PrintTheme
    from ..exporters.pdf.pictures import broken_pictures
    if isinstance(plan.setup, PrintTheme):
        diags.extend(broken_pictures(plan.setup))


def _font_problems(world: World, plan, diags: Diagnostics) -> None:
    """HF0741 at each content line a PDF would print characters of that no font on this
    machine has (exporters/pdf/glyphs_ahead.py): said by the books' renders too, with the
    same words at the same place, so `check` and `build --strict` agree."""
    from ..exporters.books.theme import PrintTheme
    from ..exporters.pdf.glyphs_ahead import unprintable_ahead
    if isinstance(plan.setup, PrintTheme):
        unprintable_ahead(world, plan.setup, diags)


def _resolution_problems(world: World, plan, diags: Diagnostics) -> None:
    """HF0750 for each portrait a print edition of the shipped print theme prints below
    300 dpi (exporters/pdf/resolution.py): said by the edition's render too, in the same
    words, so `check` and `build --strict` agree."""
    from ..exporters.books.theme import PrintTheme
    from ..exporters.pdf.resolution import foretell_low_resolution
    if isinstance(plan.setup, PrintTheme):
        foretell_low_resolution(world, plan.setup, diags)


def _template_problems(name: str, plan, diags: Diagnostics) -> None:
    """Each of the project theme's own templates (site, print) that does not compile,
    at its line (exporters/sandbox.py `check_compiles`)."""
    setup = plan.setup
    if name == "html" and setup is not None and setup.theme is not None and setup.env is not None:
        from ..exporters.html.theme import check_templates
        check_templates(setup.theme, setup.env, diags)
    elif name == "pdf":
        from ..exporters.books.theme import PrintTheme, check_templates as check_print
        if isinstance(setup, PrintTheme):
            check_print(setup, diags)
