"""Runs the stages in order, stops at the error gate, renders what is stale, writes.

    load + validate + resolve  →  gate  →  plan  →  render (stale only)  →  write (atomic)

`foundry check` is the first stage alone; `foundry build` is all of them.
"""

from __future__ import annotations

import collections
import gc
import hashlib
import os
import time
from collections.abc import Callable
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field, replace
from itertools import repeat
from operator import attrgetter, itemgetter
from pathlib import Path

from typing import TYPE_CHECKING

from ..render.digest import digest
from ..write.state import (STATE_FILE, SUMMARY_FILE, BuildState, OutputHashes, Record, Summary, intact, keep_rows,
                           read_state, read_summary, summary_moved_on, trusted_rows)
from ..confine import Boundary, boundary, forget
from ..diagnostics import ENVIRONMENT, Diagnostic, Diagnostics, Span, clip
from .. import seal
from ..epoch import source_date
from ..fontconfig import machine_fonts
from ..runs import one_run
from ..load.root import root_unreadable
from ..write.lock import LOCK_NAME, Busy, project_lock
from .checked import named_elsewhere, read_elsewhere, same_files
from .sources import source_fingerprint, stats_of
from ..toolid import tool_id, yaml_parser
from ..write.ownership import check_output_folder, unvouched_outputs
from ..write.staging import OutputError, Staging

if TYPE_CHECKING:
    from ..exporters.base import Plan, Planned
    from ..resolve.world import World

# A no-op build (nothing changed since the last) needs only the modules above: the
# stages' modules (pydantic models, Markdown, Jinja, translate-toolkit, …) are imported
# where a stage first runs, so that answer comes in a fraction of the import time.

BUILD_DIR = "build"


@dataclass
class BuildReport:
    """What a run did: for the terminal, for `--format json`, and for tests."""

    ok: bool = False
    written: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    outputs: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    fragments: list[str] = field(default_factory=list)   # list rows rendered anew (render/fragments.py)
    # the nonce of the cache file whose parse table held only rows this user's foundry made
    # or verified (load/cache.py `ParseCache.vouch`): the build notes the stat of the file
    # holding it for the next one to trust (never of another file at its path); None: not clean
    parse_table: str | None = None
    # a build stopped after writing some files into build/ in place (engine/shown.py):
    # build/ is not as it was, and the terminal must not say it is
    partly_written: bool = False

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(time.perf_counter() - start, 4)

    def to_json(self) -> dict:
        return {"ok": self.ok, "written": sorted(self.written), "reused": len(self.reused),
                "removed": sorted(self.removed), "timings": self.timings, "outputs": self.outputs,
                "counts": self.counts | {"fragments_rendered": len(self.fragments)}}


def check(root: Path, diags: Diagnostics, report: BuildReport | None = None, release: bool = False,
          version: str | None = None, queries=None, loaded: Callable[[World], None] | None = None,
          base_url: str | None = None) -> World | None:
    """Load, validate and resolve the project: every problem at once. `release` keeps
    published entities only; `version` names the revision a checkout was made from;
    `queries` is the resident engine's memo table (engine/resident.py), kept between runs.
    `loaded(world)` is called once the World is loaded, before the checks that follow
    it (the translations', the outputs'): the command line hands its digest's process
    the load's hashes there, to be made beside them (engine/checked.py DigestBehind).
    `base_url`: the address `check --base-url` gave, over foundry.toml's (as build's)."""
    # the machine's fonts and the print theme looked at once for the whole check (runs.py)
    with _collector_paused(freeze=False), one_run():   # the caller goes on with the World: nothing is left frozen
        return _check(root, diags, report, release, version, queries, loaded=loaded, then=_rehearse,
                      base_url=base_url)[0]


def _rehearse(world: World, planned: dict, diags: Diagnostics) -> None:
    """What only `check` does after planning: the pages and books a build would draw
    with the project's own templates, drawn (rehearse.py); only a World a build would
    draw. Run by `_check` before it waits for the parse cache's save, which its
    thread writes meanwhile (none of these opens the cache file)."""
    if diags.has_errors():
        return
    # what the project's own site templates stop on when they run (rehearse.py):
    # a build draws them, so check does
    from .rehearse import foretell_book_sizes, rehearse_templates
    rehearse_templates(world, planned, diags)
    # a book too long to lay out (HF0712): the build refuses it as it draws it
    foretell_book_sizes(world, planned, diags)


def _check(root: Path, diags: Diagnostics, report: BuildReport | None = None, release: bool = False,
           version: str | None = None, queries=None, history=None,
           known: dict[str, str] | None = None, plans=None,
           only: list[str] | None = None,
           loaded: Callable[[World], None] | None = None,
           later: list[Callable[[], None]] | None = None,
           then: Callable[[World, dict, Diagnostics], None] | None = None,
           base_url: str | None = None) -> tuple[World | None, dict]:
    """`check`, and every exporter with the plan it made for the World (outputs.py),
    for the build to render from. `history` (git/versions.py entity_history), when
    given, is part of the World before anything plans with it. `known`: the input
    files' sha256 by path, as the build's fingerprint took them (engine/sources.py).
    `plans`: the resident engine's kept plans (outputs.py PlanMemo). `only`: the
    outputs a build makes (`--only`), whose limits are said instead of those of the
    outputs `[build] outputs` names (Plan.limits). `loaded`: as `check` says. `later`:
    the load's work for the next build only, put there to be run by the caller
    (resolve/world.py load_world; `build` runs it once its render pool has forked).
    `then(world, planned, diags)`: run once the outputs are planned, before the wait for
    the parse cache's save (`check`'s drawing of the project's own templates: ~0.25
    CPU-s at 10,000 heroes while the save's thread, which found the main thread
    waiting for it, writes the rows; docs/performance.md cold41). `base_url`: the
    address `build --base-url` gave (load/project.py published_base_url's value), over
    foundry.toml's."""
    from ..exporters.languages import report_coverage
    from ..exporters.registry import import_exporters
    from ..git.versions import say_links_as_files
    from ..l10n.check import check_localization
    from ..load.cache import ParseCache
    from ..load.project import load_project
    from ..resolve.governance import check_owners, released
    from ..resolve.world import load_world
    from ..voice.clips import check_voice
    from .outputs import check_outputs
    from ..load.yaml import say_parser
    from ..budget import say_misread
    say_parser(diags)   # a machine whose PyYAML reads YAML otherwise than every wheel's (HF0746)
    say_misread(diags)   # an operator's budget that is no number (HF0747): else silently the default
    report = report or BuildReport()
    forget()   # links may have changed since the last run (foundry serve builds many times)
    with ExitStack() as saving:
        with report.stage("load"):
            project = load_project(root, diags)   # with foundry.toml's errors, its defaults: the content is still checked
            if base_url is not None:
                project = project.with_base_url(base_url)
            cache = ParseCache(root)
            # the exporters check_outputs plans, imported while the parse workers parse
            world = load_world(project, diags, cache, version, queries, known,
                               meanwhile=lambda: import_exporters(only or None), later=later)
            if loaded is not None:
                loaded(world)
            # written while the stages below check the World (none of them opens the
            # cache file), and waited for when they are done, before this returns: the
            # caller's next use of the file finds it saved
            cache.save_behind(prune=queries is None)   # a resident run asks the cache only for what changed
            saving.callback(_vouch, report, cache)
            report.counts["parsed_from_cache"] = cache.hits
            check_owners(world, diags)
            say_links_as_files(root, diags)   # committed links a checkout without links holds as files
            world = replace(world, l10n=check_localization(world, diags))
            world = replace(world, voice=check_voice(world, diags))
            if release:
                world = released(world, diags)
            report_coverage(world, diags, report.counts, release)   # every output in every language: exporters/languages.py
        if history is not None:
            with report.stage("history"):
                world = replace(world, history=history())
            report_cut_history(world.history, diags)
        with report.stage("plan"):   # what the build would refuse about its outputs, at the content file
            planned = check_outputs(world, diags, plans, only or None)
        if then is not None:
            then(world, planned, diags)
    report.counts |= {"heroes": len(world.heroes), "characters": len(world.characters), "quests": len(world.quests),
                     "stories": len(world.stories), "templates": len(world.templates)}
    return world, planned


def _vouch(report: BuildReport, cache) -> None:
    """The parse table's nonce for `note_unchanged`, once its save is done (`vouch` waits)."""
    report.parse_table = cache.vouch()


def build(root: Path, diags: Diagnostics, only: list[str] | None = None, strict: bool = False,
          release: bool = False, ref: str | None = None, workers: int | None = None,
          progress=None, sharding=None, resident=None, leave: list | None = None,
          base_url: str | None = None) -> BuildReport:
    """Build the working tree, or with `ref` a revision read from git into a temporary
    folder (the working tree and index untouched), into root/build/ either way.
    `sharding` (engine/shards.py): a ShardRun renders one part of the stale artifacts
    into build-shards/ instead; a Merge takes every render from the shards.
    `resident` (engine/resident.py, `foundry serve`): what the last run kept in memory.
    `leave`: a list the caller keeps until its process ends (the command line's): the
    build's large values (its World, both states, the plans, the outputs' memo) are
    put there when it succeeds, not freed object by object as it returns (~0.15-0.2
    CPU-s after one hero edit at 10,000 heroes, docs/performance.md edit28).
    `base_url`: where build/site/ is published, over foundry.toml's `base_url`
    (`--base-url`; load/project.py published_base_url's value)."""
    unreadable = root_unreadable(root)
    if unreadable is not None:
        # before the lock, whose folder would be missing too (HF0713, "wait for the other build")
        diags.add("HF0744", f"the project's folder {root} {unreadable}", Span("."),
                  hint="Put the folder back where it was, readable: foundry serve builds it again when it is "
                       "back. If it was moved on purpose, stop foundry serve and start it in the new place.")
        return BuildReport()
    if resident is None:   # serve keeps its key for as long as it runs
        say_unkept(root, diags)
    try:
        # one build at a time: they share build/ and the caches (the load's `later` writes one)
        # the machine's fonts and the print theme looked at once for the whole build (runs.py): its
        # recipes and its no-op key say the same fonts
        with project_lock(root), _frozen_after_check(), _done_later() as later, one_run():
            if ref is None:
                return _build(root, root, diags, only, strict, release, workers=workers, progress=progress,
                              sharding=sharding, resident=resident, leave=leave, later=later, base_url=base_url)
            from ..git.versions import checkout
            with checkout(root, ref, diags) as revision:
                if revision is None:
                    return BuildReport()
                return _build(revision.path, root, diags, only, strict, release, revision.version, workers,
                              progress, revision.commit, sharding, leave=leave, later=later, base_url=base_url)
    except Busy as busy:
        from ..budget import say_misread
        say_misread(diags)   # FOUNDRY_LOCK_WAIT=5m waited its default: said where the wait ends (the check never ran)
        diags.add("HF0713", str(busy), Span(LOCK_NAME),
                  hint="Wait for the other build (or `foundry serve`) to finish, then build again.")
    except OutputError as failed:
        diags.add("HF0714", f"cannot write {failed.path}: {failed.reason}; build/ is unchanged", Span(BUILD_DIR),
                  hint=failed.hint)
    return BuildReport()


def say_unkept(root: Path, diags: Diagnostics, verb: str = "build") -> None:
    """HF0745 when no cache or build state can outlive this run (seal.unkept: no home
    folder, as a CI container's service user has, or no usable key file): every build
    then renders everything again, every check (`verb` "check") reads and judges every
    file again (3,000 heroes: 0.5 s warm, 5–7 s each such check), which was said nowhere."""
    why = seal.unkept(root)
    if why is None:
        return
    hint = None
    if verb == "check":
        said = "every check reads and judges every file again: its caches are sealed"
        # the code's hint ends "The next build then renders only what changed", which said
        # nothing of what the check itself (CI's, pre-commit's) would gain
        hint = ("Give foundry a key that lasts: set XDG_CACHE_HOME to a folder of yours outside the project, an "
                "absolute path (in a container with no home folder, e.g. /tmp/foundry-cache), or give every run the "
                "same FOUNDRY_SEAL_KEY (64 hex digits). The next check then reads and judges only the files that "
                "changed.")
    else:
        said = "every build renders everything again: its caches and build state are sealed"
    diags.add("HF0745", f"{said} with a key of this run only, because {why}", Span(ENVIRONMENT), hint=hint)


def _build(source: Path, root: Path, diags: Diagnostics, only: list[str] | None, strict: bool, release: bool,
           version: str | None = None, workers: int | None = None, progress=None,
           history_rev: str | None = None, sharding=None, resident=None, leave: list | None = None,
           later: list[Callable[[], None]] | None = None, base_url: str | None = None) -> BuildReport:
    report = BuildReport()
    forget()
    build_dir = root / BUILD_DIR
    # SOURCE_DATE_EPOCH is a setting too: the books embed it (their recipes hold it), so
    # a build with another epoch is not a no-op even when no file changed
    epoch = source_date()
    # and so are the machine's fonts, for the books that draw from them (a PDF's fallback,
    # an EPUB's cover): a font installed since the last build makes them again, with no
    # file changed — the fix HF0741's hint names was answered "unchanged", boxes and all
    fonts = machine_fonts() if only is None or {"pdf", "epub"} & set(only) else ""
    # and so are the operator's budgets (budget.limits): under FOUNDRY_PICTURE_PIXELS or
    # FOUNDRY_RENDER_SECONDS lower than the last build's a cold build stops (HF0715, HF0710
    # at check) where the no-op answer "unchanged" was replayed
    from ..budget import limits
    # and so is the YAML parser (toolid.yaml_parser: without libyaml some files read otherwise, HF0746)
    # and so is an address given over foundry.toml's (--base-url): every page links through it
    settings = f"{only}|{release}|{strict}|{version}|{epoch}|{fonts}|{limits()}|{yaml_parser()}" + \
        ("" if base_url is None else f"|{base_url}")
    known: dict[str, str] = {}   # each input file's sha256, taken by the fingerprint: not read again to load it
    rest: list[str] = []         # the fingerprint of all but those files' bytes (engine/cutoff.py)
    # the resident engine hashes again only the files the watcher saw change (engine/resident.py)
    sources = ("" if version is not None else resident.sources(source, settings) if resident is not None
               else source_fingerprint(source, settings, known=known, quick=True, rest=rest))
    summary = read_summary(build_dir) if sources else Summary()
    # shards always say what they hold; a resident engine warming up checks everything once
    # the fingerprint covers the watched inputs; an image read elsewhere is checked by its hash
    if sources and sources == summary.sources and sharding is None and not (resident and resident.warming()) \
            and same_files(source, summary.elsewhere):
        return _unchanged(summary, diags, report)
    # the changed files parse to the values the last build recorded: no output shows
    # their bytes, or only lists remade here from build/'s files (engine/shown.py)
    if sources and summary.sources and known and rest and resident is None and sharding is None \
            and same_files(source, summary.elsewhere):
        from .cutoff import move_inputs, shows_bytes, unchanged_values
        kept = unchanged_values(source, known, rest[0], summary)
        if kept is not None and not shows_bytes(kept, known) and summary_moved_on(build_dir, sources):
            move_inputs(source, kept, known)
            return _unchanged(summary, diags, report)
        if kept is not None:
            from .shown import remake
            try:
                written = remake(source, build_dir, kept, known, sources, summary)
            except OutputError as failed:   # written in place, each file whole: some may be new already
                diags.add("HF0714", f"cannot write {failed.path}: {failed.reason}; build/ may hold some of the "
                                    "new files, each whole, and is not taken for built", Span(BUILD_DIR),
                          hint=failed.hint)
                report.partly_written = True
                return report
            if written is not None:
                _unchanged(summary, diags, report)
                report.written, report.reused = written, sorted(set(summary.paths).difference(written))
                return report
    # not needed past here: its list of every output (~3 MiB at 10,000 heroes) is not
    # held through the render, where each forked worker would hold it too
    summary = None
    from ..exporters.registry import select
    from ..git.versions import entity_history, report_octopus
    # the inputs' hashes, the last state's records, the outputs' hashes and the World
    # all live as long as the build: made with the collector paused, then frozen, so
    # that no collection walks them (a full collection during `read_state` walked its
    # 600,000 reads, ~0.06 CPU-s at 10,000 heroes; docs/performance.md edit12)
    with _collector_paused():
        if sources and resident is None and not known:
            # the quick answer came from the inputs' stats alone: the load wants each file's hash
            sources = source_fingerprint(source, settings, known=known, rest=rest)
        # the resident engine hands over the state it wrote (and knows its files unchanged)
        # every record, not only those of outputs still there: each one used is stat'ed anyway (`intact`)
        previous = resident.previous(build_dir) if resident is not None else read_state(build_dir, listed=False)
        # the outputs' hashes by stat: the resident engine keeps its own in memory
        outputs = OutputHashes(root) if resident is None else None
        # history is read before the outputs are planned, so that the plans `check` makes
        # (for HF0720: every exporter's, but those a --only build would drop) are made for
        # the World the build renders, and reused
        world, planned = _check(source, diags, report, release, version, resident and resident.queries,
                                history=lambda: report_octopus(
                                    root, history_rev or "HEAD",
                                    (resident.history if resident is not None else entity_history)(
                                        root, history_rev or "HEAD"), diags), known=known,
                                plans=resident and resident.plans, only=only, later=later, base_url=base_url)
        if resident is not None and world is not None:   # what the serve's sweep watches beside the inputs
            # a broken one too (its fix is a change), each with its stat as read: one
            # changed while this build renders is a change the next sweep sees. Only
            # those the last build did not read are stat'ed (the sweep compares only
            # those begun to be read; one kept from an earlier build that changed since
            # is one rebuild more, never one missed): 10,000 paths cost ~0.2 CPU-s a save
            named, before = named_elsewhere(world), resident.elsewhere
            fresh = stats_of(Boundary(source), [rel for rel in named if rel not in before])
            resident.elsewhere = {rel: before[rel] if rel in before else fresh[rel] for rel in named}
    if getattr(sharding, "writes_build", True):   # a shard (ShardRun) writes into build-shards/ only
        # nothing a user put at build/ (or in it) is replaced unasked: reported with the
        # content's problems, before the gate (write/ownership.py)
        # the resident engine checks only what build/'s watcher reported, when it can (resident.py)
        (resident.check_output_folder if resident is not None else check_output_folder)(
            root, build_dir, previous.artifacts.keys(), diags)
    if world is None or diags.has_errors(strict):
        return report  # the gate: nothing is written, the previous build/ stays as it was
    exporters = [planned[e.name].exporter if e.name in planned else e
                 for e in select(only, world.project.config.build.outputs)]
    with report.stage("plan"):
        plans, made, owners = _plan(world, exporters, diags, {n: p.plan for n, p in planned.items()})
    if diags.has_errors(strict):
        return report
    # a shard writes its part into build-shards/ (engine/shards.py), never build/
    staging = (sharding and sharding.staging(root, build_dir)) or \
        (resident and resident.staging(root, build_dir, previous)) or Staging(root, build_dir, spare=resident is None)
    check_intact = resident.intact if resident is not None else outputs.intact
    # a CLI build staged in the tree build/ replaced last time: the outputs it still
    # holds as they were recorded stay where they are (write/staging.py)
    spared = _Spared(outputs, staging) if outputs is not None and isinstance(staging, Staging) and staging.spare else None
    try:
        state = _render(world, plans, made, previous, staging, diags, report, workers, progress, sharding,
                        check_intact, resident, spared, leave, behind=later, owners=owners)
        state.release, state.revision = release, (history_rev or "") if version is not None else ""
        _carry_over(previous, state, {e.name for e in exporters}, staging, report, diags, check_intact,
                    carry=only is not None, root=root if resident is None else None)
        if diags.has_errors(strict):
            staging.abort()
            return report
        # the state's bytes are made from ~32,000 new tuples: no collection then (one
        # walked everything the renders made, ~0.2 CPU-s at 10,000 heroes), and none is
        # left owed (what they made is freed by reference counting; cycles wait for the next)
        with report.stage("write"), _collector_off():
            state.sources, state.elsewhere = sources, read_elsewhere(world)
            state.diagnostics = [d.to_state() for d in diags.sorted()]
            if resident is not None and resident.defer_state(staging, state):
                staging.commit()   # the state waits for resident.flush, off the reload path
            else:
                state_bytes = state.to_bytes(build_dir)
                state_sha = hashlib.sha256(state_bytes).hexdigest()   # the summary's and `written`'s
                staging.write(STATE_FILE, state_bytes)
                staging.write(SUMMARY_FILE, state.summary_bytes(state_bytes, build_dir, state_sha))
                staging.commit()
                if isinstance(staging, Staging):   # build/ is this state now (not a shard's folder)
                    if known and rest and resident is None and sharding is None:   # what engine/cutoff.py compares
                        from .cutoff import keep_inputs
                        keep_inputs(source, state_sha, known, rest[0], state)
                    keep_rows(source, state_bytes, state.rows, state.listed)   # in the cache the fragments are in
                if outputs is not None and isinstance(staging, Staging):   # a new tree at build/ (not a shard's)
                    outputs.written(build_dir, state, state_bytes, staging.touched, state_sha)
                    if report.parse_table is not None:
                        # the cache file as this build left it (keep_rows wrote it last; `written`
                        # waited out the clock's tick): the next build reads its parse table
                        # without a MAC per row while it keeps that stat (load/cache.py)
                        from ..load.cache import note_unchanged
                        note_unchanged(source, report.parse_table)
    except BaseException:
        staging.abort()
        raise
    if resident is not None:
        resident.done(state)
    report.ok = True
    if leave is not None:   # `build`'s: left to the caller's end, not freed one by one now
        leave.append((world, planned, previous, state, outputs, plans, made, staging, known, summary, spared))
    return report


@contextmanager
def _done_later():
    """A list for the load's work that only the next build reads (resolve/world.py
    load_world's `later`): `_render` runs it once the render pool has forked; whatever
    is left when the build ends (stopped at the gate, nothing to render, an output
    error) runs then, still under the project's lock. A build interrupted (Ctrl-C)
    leaves it undone: it is a cache, and the next build makes it."""
    later: list[Callable[[], None]] = []
    try:
        yield later
    except Exception:
        _run_later(later)
        raise
    _run_later(later)


def _run_later(later: list[Callable[[], None]] | None) -> None:
    """Each call of `later` (`_done_later`), once, in order, with the collector off: the
    summaries' ~10,000 records live until their pack is written, then go by reference
    counting (a collection among them would walk them for nothing)."""
    if not later:
        return
    with _collector_off():
        while later:
            later.pop(0)()


@contextmanager
def _collector_paused(freeze: bool = True):
    """Python's cyclic collector off while the World is loaded and planned, and what
    that made frozen after (gc.freeze; `_frozen_after_check` thaws it when the build
    ends). Nearly every object made then lives as long as the World, so each
    collection only walked the growing World again: 11 full walks, ~4.8 of 34 CPU-s
    of a one-hero edit at 10,000 heroes (docs/performance.md, branch `edit`). Frozen,
    the render's collections walk only what the render makes, and forked workers
    share the World's pages (render/pool.py). The garbage of those stages is mostly
    freed by reference counting; a cold `foundry check` at 2,000 heroes peaked at the
    same 135 MB either way. `freeze=False` (`check`, whose World the caller keeps):
    thawed at once, which leaves it in the oldest generation without a walk (left in
    the youngest, the first collections after the pause walked all of it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if not freeze:
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextmanager
def _collector_off():
    """Python's cyclic collector off for a stage that makes many objects and no
    garbage cycles worth a walk of everything alive (the state's bytes)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _frozen_after_check():
    """Thaws what `_collector_paused` froze once the build is over: `foundry serve`
    and tests run many builds in one process, whose old Worlds must be collected."""
    try:
        yield
    finally:
        gc.unfreeze()


def _replay(problems: tuple[dict, ...], diags: Diagnostics) -> None:
    """A kept output's render diagnostics (Record.problems), reported again. The state
    is sealed, so they are ours; one of a shape we did not write is left out."""
    for found in problems:
        try:
            diags.extend([Diagnostic.from_json(found)])
        except (KeyError, TypeError, ValueError, AttributeError):
            continue


def _unchanged(previous: Summary, diags: Diagnostics, report: BuildReport) -> BuildReport:
    """Nothing the build reads has changed: the outputs stand, and the warnings the
    last build found are shown again."""
    with report.stage("load"):
        diags.extend(Diagnostic.from_json(d) for d in previous.diagnostics)
    report.reused = list(previous.paths)
    report.outputs = dict(previous.outputs)
    report.ok = True
    return report


_PATH = attrgetter("path")   # a Planned's output path


def _plan(world: World, exporters: list, diags: Diagnostics,
          planned: dict[str, Plan] | None = None
          ) -> tuple[list[tuple[object, Planned]], dict[str, Plan], dict[str, str]]:
    """Each exporter's artifacts in plan order, its Plan by name, and the name of the
    exporter that writes each path; a path two exporters would write is HF0704 (the
    first keeps it). `planned`: plans these exporters already made for `world`
    (check's), used instead of planning again."""
    plans, seen, made = [], {}, {}
    for exporter in exporters:
        plan = (planned or {}).get(exporter.name)
        made[exporter.name] = plan = plan if plan is not None else exporter.plan(world)
        diags.extend(plan.problems)   # e.g. a theme file that leads outside
        diags.extend(plan.limits)     # this output is made: what it cannot carry (a number ink cannot hold)
        paths = list(map(_PATH, plan.items))
        if seen.keys().isdisjoint(paths) and len(set(paths)) == len(paths):
            # the usual plan, claiming paths no one else does, taken at C speed (a
            # `foundry serve` save plans 35,000 artifacts at 10,000 heroes)
            seen.update(zip(paths, repeat(exporter.name)))
            plans.extend(zip(repeat(exporter), plan.items))
            continue
        for item in plan.items:
            if item.path in seen:
                diags.add("HF0704", f"{exporter.name} and {seen[item.path]} both write {item.path}", Span(BUILD_DIR))
                continue
            seen[item.path] = exporter.name
            plans.append((exporter, item))
    return plans, made, seen


def _render(world: World, plans, made: dict[str, Plan], previous: BuildState, staging: Staging,
            diags: Diagnostics, report: BuildReport, workers: int | None = None, progress=None,
            sharding=None, intact=intact, resident=None, spared=None, leave: list | None = None,
            behind: list[Callable[[], None]] | None = None, owners: dict[str, str] | None = None) -> BuildState:
    """Keep what is fresh, render the rest (in a pool when it pays), record what each
    render read so the next build knows exactly what an edit makes stale. `resident`
    (engine/resident.py) answers freshness, the worker count and the prose and
    fragment memos from what it kept in memory. `spared` (path, record) → bool: the
    staged tree already holds that fresh output as recorded (nothing to link).
    `behind`: the load's work for the next build only (`_done_later`), run here once the
    pool's workers render. `owners`: `_plan`'s exporter name by path (for `resident`)."""
    from ..render import stored_spans
    from ..exporters.html.theme import one_per_slip
    from ..budget import build_seconds
    from ..render.pool import SHARED_ROWS, Job, over_budget, over_build_budget, render_all, worker_count, worker_processes
    from ..resolve.world import release_readers
    from .memo import fragment_memo
    # a copy: the exporters' own inputs are added below (the resident's plans keep theirs)
    hashes = dict(resident.plans.input_hashes(world)) if resident is not None else world.input_hashes()
    exporters = list(dict.fromkeys(map(itemgetter(0), plans)))
    for exporter in exporters:  # inputs an exporter brings itself (the html theme's files)
        hashes |= made[exporter.name].inputs
    # foundry's own code is part of every recipe: a changed exporter must not leave the
    # outputs of its previous code in place (pipeline/toolid.py)
    recipes = {e.name: f"{tool_id()}:{e.version}:{made[e.name].recipe}" for e in exporters}
    setups = [made[e.name].setup for e in exporters]
    state, jobs = BuildState(), []
    # the input keys changed since the last build, by its state (the resident engine keeps its own)
    changed = previous.changed(hashes) if resident is None else None
    fresh = resident.fresh if resident is not None else _freshness(previous, changed, hashes)
    # counted at C speed: a `foundry serve` save plans 35,000 artifacts at 10,000 heroes
    for exporter, count in collections.Counter(map(itemgetter(0), plans)).items():
        report.outputs[exporter.name] = report.outputs.get(exporter.name, 0) + count
    # the resident engine finds the records to carry over by an index of what they read,
    # and hands over only the artifacts left to decide (engine/resident.py `carried`)
    carried = resident.carried(plans, recipes, hashes, previous, staging, owners) \
        if resident is not None and sharding is None else None
    if carried is not None:
        kept, plans = carried
        staging.keep_all(kept)
        state.artifacts.update(kept)
        report.reused.extend(kept)
        for old in resident.kept_problems(kept):
            _replay(old.problems, diags)
    linked: list[str] = []   # kept outputs, linked into the staged tree while the pool renders (below)
    # A CLI build staged in the spare asks where each fresh output's file is (the
    # spare's, one lstat; else build/'s, intact) while the pool renders the stale ones:
    # 0.1-0.35 CPU-s at 10,000 heroes the list renders no longer wait for (edit14 in
    # docs/performance.md). An output found in neither is rendered after them (`_settle`).
    unsure: list[tuple[str, Record]] | None = [] \
        if spared is not None and sharding is None and resident is None else None
    # what renders an output of `unsure` found in neither tree, in its order: kept apart, so
    # that `_settle` (after the fork) touches no Planned of the ~32,000 kept (each touch
    # copies its page out of the pages shared with the workers)
    unsure_items: list[tuple[object, Planned]] = []
    lists_kept = False   # a list kept: its stored rows are alive though unused (memo.py `fragment_memo`)
    for exporter, item in plans:
        old = previous.artifacts.get(item.path)
        # fresh by its inputs, and the staged tree (a spare) holds the file recorded then
        kept = old is not None and fresh(item.path, old, exporter.name, recipes[exporter.name], hashes)
        lists_kept = lists_kept or (kept and item.weight in SHARED_ROWS)
        if kept and unsure is not None:
            unsure.append((item.path, old))
            unsure_items.append((exporter, item))
            continue
        if kept and not (spared is not None and spared(item.path, old)):
            # else build/ must still hold exactly the bytes written then: linked in below
            kept = intact(staging.build_dir, item.path, old)
            if kept:
                linked.append(item.path)
        if kept:
            state.artifacts[item.path] = old
            report.reused.append(item.path)
            _replay(old.problems, diags)
        else:
            jobs.append(Job(exporters.index(exporter), item))
    jobs.sort(key=lambda job: -job.item.weight)  # stable: heavy first, then plan order
    if sharding is not None:   # one part of the stale jobs, or the shards' results instead of renders
        jobs = sharding.select(jobs, plans, hashes, recipes)
        report.counts |= sharding.counts()
        copies: dict[str, list] = {}
    else:
        jobs, copies = _copies(jobs)
    render, pids = (sharding.render if sharding is not None else render_all), set()
    count = resident.workers(len(jobs), workers) if resident is not None else worker_count(workers)
    prose = resident.prose_cache if resident is not None else prose_cache
    fragments = resident.fragment_memo if resident is not None else fragment_memo
    rows: set[str] = set()   # digests of the list rows the renders used (BuildState.rows)
    listed: list[tuple[str, str, str]] = []   # the lists spliced from their logs (BuildState.listed)
    # the resident engine makes each record's digest and output hash when it writes the
    # state, off the reload path (engine/resident.py `later`)
    later = resident.later if resident is not None and sharding is None and resident.defers(staging) else None
    since = len(diags.items)   # the render's own problems from here (one_per_slip)
    # the operator's budget for all the renders (budget.build_seconds): CPU seconds
    # spent, outputs made; past it the pool is closed as for one render over its own
    allowed, spent, done = build_seconds(), [0.0], [0]
    if jobs:   # the rows heroes were decoded from, not held at the render's fork (resolve/world.py)
        release_readers()
    with report.stage("render"), prose(world, bool(jobs)) as remember, \
            fragments(world, hashes, recipes, bool(jobs)) as (memo, keep), \
            closing(render(world, exporters, setups, jobs, count, progress,
                           _trusting(memo, changed, trusted_rows(world.project.root, previous)
                                     if changed is not None and jobs else (frozenset(), ()),
                                     previous, staging.build_dir),
                           # a CLI build's `take` is done with each result before the next (the
                           # resident engine's InPlace writes them at its commit; `later` keeps them)
                           **({"reuse": True} if render is render_all and resident is None else {}),
                           # the World is frozen (`_collector_paused`) and thawed when the build ends
                           # (`_frozen_after_check`): the pool need not count the frozen objects to know
                           **({"frozen": True} if render is render_all else {}),
                           # a CLI build's workers write their changed lists into the staged tree
                           # themselves (render/pool.py `_staged`): adopted in `take`, not sent
                           # and those spliced to the very file the last build recorded, which
                           # `_same_kept` keeps, are sent without their bytes (`Result.as_recorded`)
                           **({"stage": staging.for_workers(), "same_kept": spared is not None}
                              if render is render_all and resident is None and type(staging) is Staging else {}),
                           rows=lambda made: stored(made))) as results:   # `stored` is defined below
        memo.lists_kept = lists_kept
        # a pool's workers render from here on: the kept outputs are linked meanwhile
        # (32,000 links at 10,000 heroes, ~0.4 CPU-s the lists no longer wait for)
        for path in linked:
            staging.keep(path)
        del linked
        stale = _settle(unsure or [], unsure_items, spared, intact, staging, state, report, diags, exporters)
        # the heroes' summaries kept for the next build (resolve/world.py `_Summarised.keep`),
        # while the workers render the first lists and nothing has come back: before the
        # fork they were the builder's alone, a core idle (docs/performance.md clean32)
        _run_later(behind)
        planned_jobs = {job.item.path: job for job in (*jobs, *stale)}   # a pool's results come as they are finished

        def receive(results) -> bool:
            """Each result written and recorded; False when one was over its budget."""
            for result in results:
                if not take(result):
                    return False
                del result   # its bytes (a 48 MB bundle at 10,000 heroes) not held while the next comes
            return True

        def stored(made) -> None:
            """List rows made anew (a result's, or sent apart by a worker: render_all's `rows`)."""
            keep(made)
            rows.update(fragment.digest for _, fragment in made)
            report.fragments += [key.split("|", 1)[1] for key, _ in made]

        def take(result) -> bool:
            job = planned_jobs[result.path]
            kept_as_was = None   # whether the file the last build recorded is kept (`_same_kept`), once asked
            if result.as_recorded and not result.data and not result.staged:
                # sent without its bytes: the file its worker spliced from is kept, or, gone
                # from both trees since (changed behind the build's back), rendered again
                # after the pool, its bytes sent (the pool below is given no `same_kept`)
                kept_as_was = _same_kept(spared, intact, staging, previous, result.path, result.sha256)
                if not kept_as_was:
                    stored(result.fragments)   # (rows a worker sends with any result: other lists' too)
                    stale.append(job)
                    return True
            pids.add(result.pid)   # the report says how many worker processes rendered (tests prove the pool ran)
            exporter = exporters[job.exporter]
            diags.extend(result.diagnostics)
            remember(result.prose)
            stored(result.fragments)
            keep((), result.kept, listed_rows=result.listed)
            rows.update(result.checked)
            problems = tuple(d.to_state() for d in result.diagnostics)
            if later is None:
                reads = result.sorted_reads()
                # a worker's digest of the last record's reads, made with these very hashes (render/pool.py `_as_last`)
                made_digest = result.last_digest if result.last_digest and memo.hashes is hashes else digest(reads, hashes)
                record = Record(exporter.name, recipes[exporter.name], reads, made_digest,
                                result.sha256 or hashlib.sha256(result.data).hexdigest(), problems)
            else:   # its reads sorted with its digest, when the state is written (resident.py `later`)
                record = Record(exporter.name, recipes[exporter.name], tuple(result.reads), "", "", problems)
            if result.staged:   # written there by its worker: bytes the last build did not record
                staging.adopt(result.path)
            elif not (kept_as_was if kept_as_was is not None
                      else _same_kept(spared, intact, staging, previous, result.path, record.output)):
                staging.write(result.path, result.data)
            state.artifacts[result.path] = record
            report.written.append(result.path)
            if result.log and record.digest:   # a list's span log, kept with this record (render/stored_spans.py)
                keep((), (), (result.log[0], stored_spans.row(record.digest, record.output, result.log[1])))
                if result.listed:   # its rows are its log's, named with this record for the next build
                    listed.append((stored_spans.base_of(result.log[0]), record.digest, record.output))
            for copy in copies.get(result.path, ()):   # the same render: its bytes, reads and diagnostics
                if not _same_kept(spared, intact, staging, previous, copy.item.path, record.output):
                    # a hard link where it can (a staged result's bytes read back where it cannot)
                    # (a result sent without its bytes: the original's kept file, read back likewise)
                    staging.duplicate(copy.item.path, result.path,
                                      None if result.staged or kept_as_was else result.data)
                state.artifacts[copy.item.path] = record
                report.written.append(copy.item.path)
            if later is not None:
                for path in (result.path, *(copy.item.path for copy in copies.get(result.path, ()))):
                    later(path, record, result.data, hashes)
            spent[0] += result.cpu
            done[0] += 1 + len(copies.get(result.path, ()))
            # over its budget (or all of them over the build's): closing the results
            # stops the pool; the build fails with this error
            return not over_budget(result) and spent[0] <= allowed

        if receive(results) and stale:   # fresh outputs whose file neither tree still holds (rare)
            stale.sort(key=lambda job: -job.item.weight)
            with closing(render(world, exporters, setups, stale, count, progress, memo, rows=stored)) as rest:
                receive(rest)
        if resident is not None and not diags.has_errors():
            # the lists' span logs, made where no one waits for a save (resident.py `warm_lists`)
            for result in resident.warm_lists(world, exporters, setups, made, memo):
                remember(result.prose)
                keep(result.fragments, result.kept)
    planned_count = len(planned_jobs) + sum(map(len, copies.values()))
    if spent[0] > allowed and done[0] < planned_count:   # (past it with the last one: all made)
        over_build_budget(diags, spent[0], allowed, f"{planned_count - done[0]:,} of the {planned_count:,} "
                                                     "outputs to make were left unmade, and none is published")
    one_per_slip(diags, since)   # a template's slip once, not once per page it failed
    report.counts["render_processes"] = worker_processes(pids)
    state.verify({e.name for e in exporters}, hashes)
    state.rows, state.listed = frozenset(rows), tuple(listed)
    if leave is not None:   # `build`'s: the kept outputs' list (~32,000 tuples at 10,000 heroes) and the rows' set
        leave.append((unsure, unsure_items, rows, planned_jobs))
    return state


def _settle(unsure: list[tuple[str, Record]], items: list[tuple[object, Planned]], spared, intact,
            staging: Staging, state: BuildState, report: BuildReport, diags: Diagnostics, exporters: list) -> list:
    """Keep each fresh output of `unsure` ((path, last record) in plan order; `items`,
    its exporter and Planned in the same order) where a tree still holds the file
    recorded: the spare's (`spared`), else build/'s when intact, linked in. Returns the
    jobs of those neither holds (changed or removed behind foundry's back), to be
    rendered: a fresh record never stands for a file that is not there as it was written."""
    from ..render.pool import Job
    stale = []
    # each output's spare file asked about at once (~32,000 at 10,000 heroes): the
    # answers do not depend on each other, nor on what is kept from build/ meanwhile
    found = spared.all(unsure) if isinstance(spared, _Spared) else [spared(rel, old) for rel, old in unsure]
    artifacts, reused = state.artifacts, report.reused
    for at, ((path, old), here) in enumerate(zip(unsure, found)):
        if not here:   # not the spare's file as recorded: build/'s, when intact
            if not intact(staging.build_dir, path, old):
                exporter, item = items[at]
                stale.append(Job(exporters.index(exporter), item))
                continue
            staging.keep(path)
        artifacts[path] = old
        reused.append(path)
        if old.problems:
            _replay(old.problems, diags)
    return stale


class _Spared:
    """Whether the staged spare already holds a fresh output as recorded (write/state.py
    `OutputHashes.spared`): `(path, record)` for one, `all` for `_settle`'s many."""

    def __init__(self, outputs: OutputHashes, staging: Staging):
        self.outputs, self.staging = outputs, staging

    def __call__(self, rel: str, record: Record) -> bool:
        return self.outputs.spared(self.staging, rel, record)

    def all(self, wanted: list[tuple[str, Record]]) -> list[bool]:
        return self.outputs.spared_all(self.staging, wanted)


def _same_kept(spared, intact, staging: Staging, previous: BuildState, path: str, output: str) -> bool:
    """Whether a render made the very bytes (`output`: their sha256) of the file the
    last build recorded at `path`, and that file is kept instead of writing them
    again: the spare's, when it still holds it as recorded (`spared`), else build/'s
    when intact, linked in. Only in a tree staged in the spare (`spared` given). Most
    lists re-render to the same bytes after an edit they do not show (at 10,000
    heroes, up to 75 MB not written again)."""
    old = previous.artifacts.get(path)
    if spared is None or not output or old is None or old.output != output:
        return False
    if spared(path, old):
        return True
    if intact(staging.build_dir, path, old):
        staging.keep(path)
        return True
    return False


def _copies(jobs: list) -> tuple[list, dict[str, list]]:
    """The jobs to render, and by path of an original the stale copies of it
    (`Planned.copy_of`) that take its result instead of a render of their own: only
    when the original is rendered too (a copy whose original is kept is rendered)."""
    originals = {job.item.path: job.exporter for job in jobs if job.item.copy_of is None}
    copies: dict[str, list] = {}
    rendered = []
    for job in jobs:
        original = job.item.copy_of
        if original is not None and originals.get(original) == job.exporter:
            copies.setdefault(original, []).append(job)
        else:
            rendered.append(job)
    return rendered, copies


def _trusting(memo, changed: frozenset[str] | None, rows: tuple, previous: BuildState | None = None,
              build_dir: Path | None = None):
    """`memo` (render/fragments.py), told what the last build's state says of its list
    rows before any worker is forked with it: `changed`, the input keys changed since
    (None: not known), and `rows`, the digests of the rows that build used and the logs
    of the lists it spliced (write/state.py `trusted_rows`); and its records and build
    folder, where a list is spliced from the file it wrote (render/stored_spans.py)."""
    if changed is not None:
        memo.changed, (memo.trusted, memo.listed) = changed, rows
        memo.previous, memo.build_dir = (previous.artifacts, build_dir) if previous is not None else (None, None)
        memo.ran = frozenset(previous.ran) if previous is not None else frozenset()
    return memo


def _freshness(previous: BuildState, changed: frozenset[str] | None, hashes: dict[str, str]):
    """write/state.py's freshness rule for the records of `previous`, as a function
    (path, record, exporter, recipe, hashes) → bool. A record of an exporter that ran
    last time holds under the hashes that build recorded (`BuildState.verified`): it
    is fresh exactly when none of the keys it read changed since, a set test instead
    of a digest over its reads (~600,000 reads at 10,000 heroes). Any other record
    (or a state that recorded none) is checked by its digest."""
    ran = set(previous.ran)

    def fresh(path: str, old: Record, exporter: str, recipe: str, hashes: dict[str, str]) -> bool:
        if changed is not None and old.exporter in ran:
            return old.exporter == exporter and old.recipe == recipe and changed.isdisjoint(old.reads)
        return old.fresh(exporter, recipe, hashes)
    return fresh


@contextmanager
def prose_cache(world: World, needed: bool):
    """Rendered Markdown from earlier builds, handed to the renders (workers inherit it
    when forked); what they render anew comes back with their results and is saved."""
    from ..load.cache import ParseCache
    from .memo import SealedRows, count_rows
    if not needed:
        yield lambda prose: None
        return
    cache = ParseCache(world.project.root, "prose")
    world.prose.remember_rows(SealedRows(cache))   # read and decoded one by one, as renders ask

    def kept(prose) -> None:
        for key, html in prose:
            cache.put(key, html)
    try:
        yield kept
    finally:
        crowded = count_rows(cache) > 4 * len(world.entries()) + 1000  # mostly texts long since edited
        if crowded:
            cache.used = {key for key, *_ in cache.pending}
        cache.save(prune=crowded)


def _carry_over(previous: BuildState, state: BuildState, running: set[str], staging: Staging,
                report: BuildReport, diags: Diagnostics, intact=intact, carry: bool = True,
                root: Path | None = None) -> None:
    """Outputs of exporters not run this time stay when the previous build was made in
    the same mode (release or not) from the same source (the working tree, or the same
    `--ref` commit) and `carry` (a build with --only); outputs of run exporters that were
    not planned again belong to removed entities and are pruned, and so is every output
    made in the other mode or from another source: a draft book must not survive into a
    release build's build/, nor v1's API into the site of the working tree. Without --only, an exporter not run is one foundry.toml no
    longer lists: its outputs are pruned, as a clean build would not make them.
    `root` (a CLI build): when the previous state is not this user's (another user's
    build/, the key deleted since: nothing in it is reused), the outputs its list names
    that this build does not make are removed too, and named under `removed` with one
    HF0182, not dropped unsaid (the report said '0 removed')."""
    if root is not None and not previous.tag:
        _drop_unvouched(root, state, staging, report, diags, carry)
    same_mode = carry and previous.release is not None and previous.release == state.release \
        and previous.revision == state.revision
    for path in sorted(previous.artifacts.keys() - state.artifacts.keys()):
        record = previous.artifacts[path]
        if not os.path.lexists(os.path.join(staging.build_dir, path)):
            continue   # already gone from build/: nothing to remove or carry (the state may list it)
        if record.exporter in running or not same_mode:
            report.removed.append(path)
        elif intact(staging.build_dir, path, record):
            staging.keep(path)
            state.artifacts[path] = record
        else:
            diags.add("HF0121", f"{BUILD_DIR}/{path} is not what foundry wrote: it is left out", Span(f"{BUILD_DIR}/{path}"),
                      hint=f"Build with --only {record.exporter} (or without --only) to make it again.")


def _drop_unvouched(root: Path, state: BuildState, staging: Staging, report: BuildReport, diags: Diagnostics,
                    carry: bool) -> None:
    """`_carry_over`'s case of a previous state not sealed by this user's key: which of
    its outputs are still in build/ and not made again, named as removed."""
    fence, folders = boundary(root), {}

    def there(path: str) -> bool:
        # looked for in its folder as build/ holds it: a folder of the list's that is a
        # link out of the project (`site` → /home/…) is not looked through
        folder, _, name = path.rpartition("/")
        if folder not in folders:
            folders[folder] = fence.resolve(os.path.join(staging.build_dir, folder))
        return folders[folder] is not None and os.path.lexists(os.path.join(folders[folder], name))

    gone = sorted(path for path in unvouched_outputs(root, staging.build_dir) - state.artifacts.keys()
                  if there(path))
    if not gone:
        return
    report.removed += gone
    if carry:   # --only: the writer expected them kept
        diags.add("HF0182", f"{len(gone)} output{'s' if len(gone) != 1 else ''} of the last build "
                            f"({', '.join(clip(p, 60) for p in gone[:3])}{', …' if len(gone) > 3 else ''}) "
                            "removed, not carried over: its build state was not written by foundry for this user",
                  Span(BUILD_DIR))


def report_cut_history(history: dict, diags: Diagnostics) -> None:
    """HF0737 once when the history the site and books show stops at a shallow clone's
    edge: every file older than it shows as created there, by that commit's author, and
    the credits would name only who committed since (git/versions.py EntityHistory.cut)."""
    cut = [h for h in history.values() if h.cut]
    if cut:
        from ..git.versions import GIT_SPAN
        edge = cut[0].created
        diags.add("HF0737", f"this is a shallow clone: the history of {len(cut)} of {len(history)} content files stops "
                            f"at commit {edge.commit[:12]} ({edge.date[:10] or 'date unknown'}); the credits page does not know who "
                            "created them or who edited them before", GIT_SPAN)
