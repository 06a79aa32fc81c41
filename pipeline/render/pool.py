"""Rendering stale artifacts, in this process or in a pool of worker processes.

Each artifact renders against its own tracked view of the World, so what it read is
recorded whichever process renders it. Workers are forked after the World is built:
they inherit it (and the list of jobs) instead of receiving a pickled copy, are sent
job numbers, and send back each result as soon as it is made — its bytes as they
are, then its reads, diagnostics and new list rows; the small results of a batch go
back together, in one message. Output does not depend on the
number of workers: every artifact is rendered from the same World by the same code,
and results are stored by path.

Memory (docs/performance.md, branch `memory`): the largest process of a build is a
worker, holding the World it inherited plus the rows it made for the lists
(render/fragments.py). So the lists of one exporter go to one worker (`Dispatch`:
its rows made and held once, not by every worker), nothing large waits in a worker to
be sent with the rest of a batch, and a list's bytes are not pickled on either side.
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import struct
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing import connection
from typing import Any, Callable, Iterator

from .. import budget
from ..diagnostics import ENVIRONMENT, Diagnostic, Diagnostics, Span
from ..exporters.base import EVERYTHING, LIST, ONE, Planned, RenderContext
from ..lifeline import die_with_parent
from .digest import digest
from .fragments import Fragment, FragmentMemo, SealedRow, sealed_rows
from . import stored_spans
from .spans import SpanLog, SpanStore
from .tracking import TrackedWorld
from ..load.byte_reads import watching

# Below this much work a pool costs more than it saves (fork, pipes, result copies)…
POOL_MIN_JOBS = 64
# …a number tests lower to make a small world really fork (docs/performance.md).
POOL_MIN_JOBS_ENV = "FOUNDRY_POOL_MIN_JOBS"
# …unless the world is so large that its lists (the bundle, the indexes) take seconds each.
LARGE_WORLD = 2000
SLOW_EXPORTERS = {"pdf", "epub"}
# List artifacts: they splice rows made once per process (render/fragments.py).
SHARED_ROWS = (LIST, EVERYTHING)
IN_FLIGHT = 2   # batches sent to a worker ahead of its results: one renders while the next waits
CARRIED = 500   # list rows sent back with one message at most (the builder's cache writes 500 at a time)
# A result up to this size waits for the rest of its batch, its bytes pickled with it
# (a page: ~10 KB); a larger one (a list: up to 48 MB) goes at once, its bytes apart.
SMALL = 256 * 1024
# Rows a list render made anew past which its worker collects before freezing what it
# keeps (`_list_done`); below, its few cycles are kept until the build ends.
COLLECT_AFTER = 1000
# The collector's third threshold while a worker renders a list (`_list_started`):
# no full pass during it.
NO_FULL_PASS = 1 << 30


@dataclass(frozen=True)
class Job:
    exporter: int          # index into the exporter list (exporters are not sent to workers)
    item: Planned


@dataclass(frozen=True)
class Result:
    path: str
    data: bytes
    reads: frozenset[str]
    diagnostics: tuple[Diagnostic, ...]
    prose: tuple[tuple[str, str], ...] = ()   # Markdown this render turned into HTML, for the cache
    # list rows this render made (render/fragments.py), sealed by a forked worker when its memo says how
    fragments: tuple[tuple[str, Fragment | SealedRow], ...] = ()
    kept: tuple[str, ...] = ()   # stored list rows this render reused (the cache keeps them)
    checked: tuple[str, ...] = ()   # their digests (the next build trusts them: FragmentMemo.trusted)
    pid: int = 0           # the process that rendered it (0: not rendered here, e.g. taken from a shard)
    log: tuple = ()        # (cache key, bytes): a list's span log for the next build (render/stored_spans.py)
    spliced: bool = False  # a list made from its last bytes and log, not rendered whole (`_serve` keeps its memory)
    # Set by a forked worker whose render read exactly what the last build's record of
    # this path read (`_as_last`): that record's digest under this build's hashes, sent
    # instead of `reads`, which the parent puts back as the record's (`_restored`).
    last_digest: str = ""
    # The sha256 of `data`, made by the forked worker that rendered it ("": not made,
    # the taker hashes it): the builder takes each result in turn, and a list's hash
    # there (110 MB of them after one hero edit at 10,000 heroes) was time the other
    # worker's finished list waited in its pipe (docs/performance.md edit31).
    sha256: str = ""
    # Written into the staged tree by the forked worker that rendered it (render_all's
    # `stage`, write/staging.py `write_staged`): `data` is empty, the builder adopts the file.
    staged: bool = False
    # A list spliced to the very file the last build recorded at its path (every changed
    # fragment drawn again to the bytes of its span: render/stored_spans.py `Spliced`):
    # `sha256` is that record's output. A forked worker told the builder keeps such a
    # file (render_all's `same_kept`) sends it without its bytes (`data` empty).
    as_recorded: bool = False
    # A list spliced from its log (render/stored_spans.py `Spliced.listed`): how many rows
    # it shows, named by its log rather than one key and digest each in `kept` and `checked`
    listed: int = 0
    # CPU seconds the render took on its thread (the builder adds them up against the
    # operator's FOUNDRY_BUILD_SECONDS, budget.build_seconds)
    cpu: float = 0.0

    def sorted_reads(self) -> tuple[str, ...]:
        """`reads`, sorted: a tuple already is (the last record's, put back by `_restored`)."""
        return self.reads if type(self.reads) is tuple else tuple(sorted(self.reads))


@dataclass(frozen=True)
class _Work:
    """What a worker renders from, handed over once when it starts (forked, so the
    World and the jobs are inherited, not pickled: the parent sends job numbers)."""

    world: Any
    exporters: list
    setups: list
    memo: FragmentMemo | None
    jobs: list[Job]
    # the parent takes list rows sent apart from any result (render_all's `rows`): a
    # worker's backlog of them goes in messages of CARRIED rows, not with one result
    apart: bool = False
    # writes a large result whose bytes the last build did not record into the staged
    # tree, in its worker (`_staged`; write/staging.py `Staging.for_workers`): (path,
    # bytes) → written; None: every result goes to the builder
    stage: Callable[[str, bytes], bool] | None = None
    # the builder keeps the file the last build recorded for a result made to those very
    # bytes (engine/builder.py `_same_kept`): a large one `as_recorded` is sent without them
    same_kept: bool = False


# What to do when a render went over its budget outside every template line (the
# theme's loops have the code's own hints). A book's layout is what grows fastest with
# content: WeasyPrint lays a list nested forty levels deep out again at each level for
# each try of balancing a two-column background (~1 minute a hero sheet at 40 levels).
OWN_WORK_HINTS = {
    "HF0710": "Making this output from its content took too long: very deeply nested lists or quotes, or "
              "very long tables, in the text it shows are the usual cause (in print a list indents no "
              "further past four levels): flatten or split them.",
    "HF0711": "Making this output from its content took too much memory: split the largest text it shows "
              "(a background, a scene) into shorter ones.",
}


# What CPython 3.11 raises when a call needs a new chunk of its frame stack and the
# address-space limit (budget.memory_limit) refuses the mmap: it returns NULL without
# setting MemoryError. A legal 1.4 MB story of 8,000 scenes ran its gamebook's layout
# (WeasyPrint, recursing per box) into the render's 2 GiB that way: "internal error
# (SystemError)" and a crash report, where the same render in the builder's own process
# was HF0711. Any other SystemError is a fault of ours and stays one.
_NO_FRAME = "error return without exception set"


def render_one(world: Any, exporter: Any, setup: Any, item: Planned, memo: FragmentMemo | None = None,
               fragments: Callable[..., Any] | None = None) -> Result:
    """One artifact, within its time budget (budget.py). A render over a budget is an
    HF0710/HF0711 at the template line that was running (the exporter's `locate`), or
    at the artifact, with empty bytes: the build then stops before anything is switched in.
    `fragments`: RenderContext.fragments when there is no `memo` (check's drawn pages,
    engine/rehearse.py)."""
    started = time.thread_time()
    tracked = TrackedWorld(world)
    diags = Diagnostics()
    ctx = RenderContext(tracked, diags, setup, fragments=fragments)
    store = memo.spans if memo is not None and item.weight in SHARED_ROWS else None
    # a CLI build: the list spliced from the file the last build wrote, by the log it
    # kept (render/stored_spans.py), else rendered and logged for the next build
    stored = store is None and memo is not None and item.weight in SHARED_ROWS \
        and stored_spans.can_log(memo, exporter, setup, world, item)
    if stored:
        store = SpanStore()   # this render's log, for the next build
    log = None
    if store is not None and not store.logs_for(item.path):
        store = None
    if memo is not None:
        memo.fresh.clear()
        memo.kept.clear()
        memo.checked.clear()
        ctx.fragments = lambda key, render, view, reads=None, decode=None: memo.get(
            exporter.name, ctx.reads if reads is None else reads, key, render, view, decode)
    if store is not None:   # `foundry serve`: the list from its last bytes, else rendered and logged
        with watching(tracked.reads):   # its own reads of the files' bytes (load/byte_reads.py)
            spliced = (_from_log(world, exporter, setup, item, memo) if stored_spans.can_splice(memo) else None) \
                if stored else _spliced(store, world, exporter, item, memo)
        if spliced is not None:
            return spliced
        ctx.spans = log = SpanLog()
        asked: set[str] = set()   # what the fragments the render asks for itself read: not its own reads

        def logged(key, render, view, reads=None, decode=None):
            if reads is not None:   # asked by a fragment's own render
                return memo.get(exporter.name, reads, key, render, view, decode)
            if view is not tracked:   # a page in another language: asked from that language's World
                log.splices = False
            value = memo.get(exporter.name, asked, key, render, view, decode)
            full = log.full[key] = memo.full_key(key)
            log.fragments[full] = memo.made[full]
            return value
        ctx.fragments = logged
    try:
        with budget.time_limit(), watching(tracked.reads):   # what it reads of a file's bytes is a read too
            data = exporter.render(ctx, item)
    except (budget.OverBudget, MemoryError, RecursionError, SystemError) as exc:
        if isinstance(exc, SystemError) and str(exc) != _NO_FRAME:
            raise
        over = exc if isinstance(exc, budget.OverBudget) else budget.OutOfMemory(
            "recursed too deeply" if isinstance(exc, RecursionError) else "ran out of its memory budget")
        span = exporter.locate(setup, exc)
        # outside every template line the time went to making the output from its
        # content (a book's page layout, an export's encoding): the code's own hint,
        # "a template loops too much", would send the writer to a theme they never touched
        hint = None if span else OWN_WORK_HINTS.get(over.code)
        diags.add(over.code, f"{over} (while making {item.path})", span or Span(f"build/{item.path}"), hint)
        data = b""
    made = tuple(memo.fresh) if memo is not None else ()
    kept = tuple(memo.kept) if memo is not None else ()
    own = tracked.reads | ctx.reads
    result_log: tuple = ()
    # The render's context is left in reference cycles (the memo's closure above; a
    # page's CardDrawer holds `ctx.fragment`, and Jinja's macros and contexts hold each
    # other), which only the collector frees: let go of its World view (its reads and
    # a wrapper per table it looked in), its fragments' closure and its SpanLog now, so
    # that the cycles hold the bare context until then.
    ctx.world = ctx.fragments = ctx.spans = None
    if log is not None:
        if diags.items:
            store.logs.pop(item.path, None)
        else:
            store.keep(item.path, log, data, frozenset(own), memo.hashes)
            if stored and item.path in store.logs:
                result_log = (stored_spans.log_key(memo, exporter.name, item.path), stored_spans.encode(log, log.own))
        own |= asked
    return Result(item.path, data, frozenset(own), tuple(diags.items),
                  tuple(world.prose.take_new().items()), made, kept, tuple(memo.checked) if memo is not None else (),
                  os.getpid(), result_log, cpu=time.thread_time() - started)


def _from_log(world: Any, exporter: Any, setup: Any, item: Planned, memo: FragmentMemo) -> Result | None:
    """A CLI build's list spliced from the file the last build wrote, by the span log
    it kept (render/stored_spans.py), or None: render it whole. Within the render's
    time budget; a fragment that fails to render leaves the list to its render, which
    reports it."""
    tracked = TrackedWorld(world)

    def fragment(key, render, reads=None, decode=None):
        return memo.get(exporter.name, set() if reads is None else reads, key, render, tracked, decode)
    try:
        with budget.time_limit():
            asker = exporter.reasker(setup, world, item, fragment)   # the exporter's (stored_spans.Asker)
            spliced = stored_spans.splice(memo, asker, exporter.name, item.path, fragment) if asker is not None else None
    except (Exception, budget.OverBudget):   # noqa: BLE001 — made again whole, where what failed is reported
        spliced = None
    if spliced is None:
        return None
    return Result(item.path, spliced.data, spliced.reads, (), tuple(world.prose.take_new().items()), tuple(memo.fresh),
                  tuple(dict.fromkeys((*memo.kept, *spliced.kept))), tuple(dict.fromkeys((*memo.checked, *spliced.checked))),
                  os.getpid(), (spliced.log_key, spliced.log), True, sha256=spliced.sha256,
                  as_recorded=bool(spliced.sha256), listed=spliced.listed)


def _spliced(store: SpanStore, world: Any, exporter: Any, item: Planned, memo: FragmentMemo) -> Result | None:
    """`item` spliced from its last bytes at the spans of its changed fragments
    (render/spans.py), or None: render it whole. Within the render's time budget; a
    fragment that fails to render (a card's macro) leaves the list to its render,
    which reports it."""
    tracked = TrackedWorld(world)

    def fragment(key, render, reads=None, decode=None):
        return memo.get(exporter.name, set() if reads is None else reads, key, render, tracked, decode)
    try:
        with budget.time_limit():
            spliced = store.splice(item.path, fragment, memo.made, memo.hashes)
    except (Exception, budget.OverBudget):   # noqa: BLE001 — made again whole, where what failed is reported
        spliced = None
    if spliced is None:
        return None
    data, reads = spliced
    return Result(item.path, data, reads, (), tuple(world.prose.take_new().items()), tuple(memo.fresh),
                  tuple(memo.kept), tuple(memo.checked), os.getpid(), spliced=True)


def over_budget(result: Result) -> bool:
    """Whether this render was stopped by a budget: the builder then renders no more
    (a runaway template usually runs on every page that uses it)."""
    return any(d.code in (budget.OutOfTime.code, budget.OutOfMemory.code) for d in result.diagnostics)


def over_build_budget(diags: Diagnostics, spent: float, allowed: float, stopped: str) -> None:
    """HF0716: the renders (a build's, or the pages `check` draws) took `spent` CPU
    seconds in all, more than the operator's FOUNDRY_BUILD_SECONDS (`allowed`); `stopped`
    says what was left undone. Nothing is published."""
    took = f"{spent:,.1f}" if spent >= 1 else f"{spent:.2g}"   # (not "0.0" under a tiny budget)
    diags.add("HF0716", f"the renders took {took} CPU seconds in all, more than the {allowed:g} "
                        f"FOUNDRY_BUILD_SECONDS allows: {stopped}", Span(ENVIRONMENT))


def worker_count(requested: int | None) -> int:
    if requested:
        return max(1, requested)
    env = os.environ.get("FOUNDRY_JOBS", "")
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def pool_min_jobs() -> int:
    """POOL_MIN_JOBS, or FOUNDRY_POOL_MIN_JOBS when set to a number (2 or more)."""
    env = os.environ.get(POOL_MIN_JOBS_ENV, "")
    return max(2, int(env)) if env.isdigit() else POOL_MIN_JOBS


def worker_processes(pids: set[int]) -> int:
    """How many processes other than this one rendered (`Result.pid`): 0 when
    everything was rendered here, in the builder's own process."""
    return len(pids - {0, os.getpid()})


Progress = Callable[[int, int], None]


def render_all(world: Any, exporters: list, setups: list, jobs: list[Job], workers: int,
               progress: Progress | None = None, memo: FragmentMemo | None = None,
               reuse: bool = False, rows: Callable[[tuple], None] | None = None,
               stage: Callable[[str, bytes], bool] | None = None, same_kept: bool = False,
               frozen: bool = False) -> Iterator[Result]:
    """A Result for every job, each yielded as soon as it is made: the caller writes
    it and lets it go, so a 10,000-page build never holds every page in memory at
    once. In this process they come in the order of `jobs`; from a pool, in the order
    they are finished (each names its path). A pool starts when this is called, not
    when the first result is asked for: the caller does its own work meanwhile (the
    builder links the kept outputs into the staged tree while the lists render,
    engine/builder.py). Close what it returns (contextlib.closing) to stop the pool,
    asked for or not. `reuse`: the caller is done with each result's bytes and span
    log (hashed, written, copied) before it asks for the next, and keeps neither: a
    pool reads each large one into the same memory (`_Buffers`). `rows(fragments)`:
    a pool's workers may send list rows apart from their results, at most CARRIED at a
    time, which it is handed as they come (the caller stores them as it does a
    result's `fragments`); without it every row comes with a result. `stage`: how a
    pool's worker writes into the staged tree (write/staging.py `Staging.for_workers`:
    (path, bytes) → written) a large result that differs from the last build's record of its path
    (`memo.previous`) itself, sending it `staged`, without its bytes: the caller
    adopts the file (`Staging.adopt`) instead of writing it; in this process, unused.
    `same_kept`: the caller keeps the file the last build recorded for a result of those
    very bytes: a pool's worker sends a list spliced to them (`Result.as_recorded`)
    without its bytes; a caller that finds the file gone renders it again without this.
    `frozen`: the caller has frozen what is alive (gc.freeze) and thaws it itself (the
    builder: engine/builder.py `_collector_paused`, `_frozen_after_check`); else a pool
    thaws after its fork whatever it froze for it, when nothing was frozen before."""
    tick = progress or (lambda done, total: None)
    slow = any(exporters[j.exporter].name in SLOW_EXPORTERS for j in jobs) or _entities(world) >= LARGE_WORLD
    if workers <= 1 or (len(jobs) < pool_min_jobs() and not slow) or len(jobs) < 2 or not _can_fork():
        return _here(world, exporters, setups, jobs, memo, tick)
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    dispatch = Dispatch(jobs, [e.name for e in exporters], min(workers, len(jobs)), chunk)
    # A worker that dies (killed by the OOM killer, a crash in a C library) never
    # answers: past every render's time limit, give up. The limit is CPU time
    # (budget.py), so on a loaded machine a live batch may take several times it in
    # wall time: one render may use the whole wall backstop.
    patience = budget.render_seconds() * (budget.WALL_FACTOR + chunk) + 60
    if memo is not None:   # a forked worker's span logs would never reach the engine (render/spans.py)
        memo.spans = None
    crew = _start(_Work(world, exporters, setups, memo, jobs, rows is not None, stage, same_kept), dispatch.workers,
                  frozen)
    try:
        for worker in crew:
            worker.feed(dispatch)
    except BaseException:
        _stop(crew)
        raise
    return _Pooled(crew, dispatch, jobs, patience, tick, _Buffers() if reuse else None,
                   memo.previous if memo is not None else None, rows)


def _here(world: Any, exporters: list, setups: list, jobs: list[Job], memo: FragmentMemo | None,
          tick: Progress) -> Iterator[Result]:
    """render_all in this process, one job after another as results are asked for."""
    with budget.memory_limit():
        for done, job in enumerate(jobs, 1):
            yield render_one(world, exporters[job.exporter], setups[job.exporter], job.item, memo)
            tick(done, len(jobs))


class _Pooled:
    """render_all's results from a started crew: an iterator whose `close` stops the
    workers whether or not any result was asked for (a generator's `finally` runs only
    once it has started)."""

    def __init__(self, crew: list, dispatch: "Dispatch", jobs: list[Job], patience: float, tick: Progress,
                 buffers: "_Buffers | None" = None, previous: Any = None,
                 rows: Callable[[tuple], None] | None = None):
        self._crew: list | None = crew
        self._buffers, self._previous, self._rows = buffers, previous, rows
        self._results = self._receive(crew, dispatch, jobs, patience, tick)

    def __iter__(self) -> "_Pooled":
        return self

    def __next__(self) -> Result:
        return next(self._results)

    def close(self) -> None:
        self._results.close()
        self._halt()

    def _halt(self) -> None:
        if self._crew is not None:
            crew, self._crew = self._crew, None
            _stop(crew)

    def _receive(self, crew: list, dispatch: "Dispatch", jobs: list[Job], patience: float,
                 tick: Progress) -> Iterator[Result]:
        try:
            done = 0
            while done < len(jobs):
                ready = connection.wait([w.conn for w in crew if w.batches], timeout=patience)
                if not ready:
                    yield _lost(jobs[next(w for w in crew if w.batches).rendering()])
                    return
                for conn in ready:
                    worker = next(w for w in crew if w.conn is conn)
                    try:
                        results = worker.receive(self._buffers, self._previous, self._rows)
                    except (EOFError, OSError):
                        yield _lost(jobs[worker.rendering()])
                        return
                    worker.feed(dispatch)   # before the caller writes: the worker goes on meanwhile
                    results.reverse()
                    while results:
                        result = results.pop()
                        done += 1
                        yield result
                        # not held while the next is received: at 10,000 heroes the two bundles
                        # (json's and the site's copy, 48 MB each) came back one after the other
                        del result
                        tick(done, len(jobs))
        finally:
            self._halt()


class Dispatch:
    """Which jobs each worker renders next.

    A list artifact (weight LIST or EVERYTHING: the bundle, an index, the home page)
    splices rows its worker makes once and keeps (render/fragments.py): every list
    of one exporter goes to the same worker (its *lane*), so the rows of 10,000
    heroes are made and held by one process, not by each, and their lanes are spread
    over the workers by weight, so no worker holds every exporter's rows. Every other
    job is handed out as workers come free, in batches of `chunk` (one at a time for
    a heavy one, a book), from the exporters whose lane a worker ran first (their
    entity files reuse its rows), then from whichever has the most left. Which worker
    renders what never changes an output (each renders from the same World)."""

    def __init__(self, jobs: list[Job], names: list[str], workers: int, chunk: int):
        self.jobs, self.workers, self.chunk = jobs, workers, chunk
        self.lanes: list[deque[int]] = [deque() for _ in range(workers)]
        self.home: list[list[str]] = [[] for _ in range(workers)]
        lists: dict[str, list[int]] = {}
        self.open: dict[str, deque[int]] = {}
        for index, job in enumerate(jobs):
            name = names[job.exporter]
            if job.item.weight in SHARED_ROWS:
                lists.setdefault(name, []).append(index)
            else:
                self.open.setdefault(name, deque()).append(index)
        load = [0] * workers
        for name, indices in sorted(lists.items(), key=lambda kv: (-sum(jobs[i].item.weight for i in kv[1]), kv[0])):
            lightest = load.index(min(load))
            self.lanes[lightest].extend(indices)
            self.home[lightest].append(name)
            load[lightest] += sum(jobs[i].item.weight for i in indices)

    def next(self, worker: int) -> list[int]:
        """The job numbers `worker` renders next, in plan order; [] when none is left."""
        if self.lanes[worker]:
            return [self.lanes[worker].popleft()]
        left = [name for name, queue in self.open.items() if queue]
        if not left:
            return []
        mine = [name for name in self.home[worker] if name in left]
        queue = self.open[mine[0] if mine else max(left, key=lambda name: len(self.open[name]))]
        if self.jobs[queue[0]].item.weight > ONE:
            return [queue.popleft()]
        batch = []
        while queue and len(batch) < self.chunk and self.jobs[queue[0]].item.weight <= ONE:
            batch.append(queue.popleft())
        return batch


class _Buffers:
    """Where a pool whose caller lets go of each result before the next (render_all's
    `reuse`: the CLI builder) reads the large ones: one buffer for their bytes, one for
    their span logs, each made again only when a larger one comes. Past glibc's largest
    mmap threshold (32 MB: bundle.json's 48 MB and heroes.json's 32 MB at 10,000
    heroes) each came in a mapping of its own, unmapped when freed, every page a fault:
    after hero-42's xp changed the builder's faults while receiving 46,600 -> 35,500.
    What the last result was handed is released first (memoryview.release): a reader
    still holding it gets an error, never the next result's bytes."""

    def __init__(self) -> None:
        self._held: list[tuple[bytearray, memoryview, memoryview] | None] = [None, None]

    def take(self, slot: int, size: int) -> memoryview:
        """`size` bytes of buffer `slot` (0: a result's bytes, 1: its span log) to read into."""
        held, buffer = self._held[slot], None
        if held is not None:
            self._held[slot] = None
            try:
                held[2].release()
                held[1].release()
                buffer = held[0]
            except BufferError:   # still exported (never in the builder): that one is left to its holder
                buffer = None
        if buffer is None or len(buffer) < size:
            buffer = None   # freed before a larger one is made
            buffer = bytearray(size)
        whole = memoryview(buffer)
        view = whole[:size]
        self._held[slot] = (buffer, whole, view)
        return view


def _recv_large(conn, buffers: _Buffers | None = None, slot: int = 0) -> bytearray | memoryview:
    """The next message `conn.send_bytes` sent (a list's bytes: up to 48 MB at 10,000
    heroes), read straight into one buffer of its size. `Connection.recv_bytes` reads
    it a socket buffer at a time, each read allocating a buffer of all that remains
    (a fresh mapping of ~48 MB, shrunk after), into a BytesIO that grows and is copied:
    after one hero edit at 10,000 heroes the builder's page faults receiving them
    57,000 → 31,000 and its CPU 0.19 → 0.14 s (docs/performance.md, edit24). A
    bytearray is bytes to every reader of `Result.data` (hashed, written, compared).
    The framing is multiprocessing's: a 4-byte signed size, -1 then an 8-byte one past
    2 GiB. EOFError when the worker is gone before it, OSError within it (as recv_bytes).
    `buffers`: read into their `slot` (`_Buffers`), a view of it returned."""
    fd = conn.fileno()
    size, = struct.unpack("!i", _read_exactly(fd, bytearray(4), eof=True))
    if size == -1:
        size, = struct.unpack("!Q", _read_exactly(fd, bytearray(8)))
    return _read_exactly(fd, bytearray(size) if buffers is None else buffers.take(slot, size))


def _read_exactly(fd: int, buf, eof: bool = False):
    """`buf` filled from `fd` (a blocking pipe). EOFError at once (`eof`: nothing of
    the message came yet), else OSError, when the pipe ends first."""
    view, done = memoryview(buf), 0
    with view:
        while done < len(buf):
            n = os.readv(fd, [view[done:]])
            if n == 0:
                if eof and done == 0:
                    raise EOFError
                raise OSError("got end of file during message")
            done += n
    return buf


class _Worker:
    """One forked render process, as the parent sees it: its end of the pipe and the
    job numbers of the batches sent to it and not yet answered, oldest first."""

    def __init__(self, number: int, process: Any, conn: Any, current: Any):
        self.number, self.process, self.conn = number, process, conn
        self.current = current   # shared with the worker: the job number it renders (-1: none yet)
        self.batches: deque[list[int]] = deque()

    def feed(self, dispatch: Dispatch) -> None:
        while len(self.batches) < IN_FLIGHT:
            batch = dispatch.next(self.number)
            if not batch:
                return
            self.batches.append(batch)
            try:
                self.conn.send(batch)
            except OSError:
                # the worker has left (a bug it reported, a crash): what it said last, its
                # error or the end of its pipe, is what the build reports, when read next;
                # a BrokenPipeError here hid it (tests/speed/test_render_pool.py)
                return

    def rendering(self) -> int:
        """The job this worker was rendering last (it holds its batch's results until
        the batch ends, so the oldest unanswered one need not be it): what a worker
        that stopped answering is reported at."""
        current = self.current.value
        return current if current >= 0 else self.batches[0][0]

    def receive(self, buffers: _Buffers | None = None, previous: Any = None,
                rows: Callable[[tuple], None] | None = None) -> list[Result]:
        """The next results this worker finished, in the order it made them: a batch's
        small ones together, a large one's bytes apart from the rest, as they are (not
        pickled: the bundle at 10,000 heroes is ~50 MB, and a pickle of it is a second
        copy on each side); into `buffers` when given (render_all's `reuse`).
        `previous`: the last build's records by path (FragmentMemo.previous), whose
        reads a result sent without its own takes back (`_restored`). A message of list
        rows alone (`_serve`) is handed to `rows` and answers no job: no results."""
        kind, payload = self.conn.recv()
        if kind == "raise":
            raise payload
        if kind == "rows":
            rows(payload)
            return []
        results = [_restored(result, previous) for result in payload]
        if kind in ("large", "logged"):   # the last one's bytes follow, then its span log's ("logged")
            last = results[-1]
            data = _recv_large(self.conn, buffers, 0)
            results[-1] = replace(last, data=data, log=(last.log[0], _recv_large(self.conn, buffers, 1))) \
                if kind == "logged" else replace(last, data=data)
        elif kind == "staged-logged":   # its bytes are in the staged tree: only its span log follows
            last = results[-1]
            results[-1] = replace(last, log=(last.log[0], _recv_large(self.conn, buffers, 1)))
        for _ in results:
            batch = self.batches[0]
            batch.pop(0)
            if not batch:
                self.batches.popleft()
        return results


def _restored(result: Result, previous: Any) -> Result:
    """A result as the parent keeps it: its reads as this process's strings (the build
    state keeps them for every artifact, and unpickled each is a copy of its own:
    tracking.py interns them), or, sent without them (`_as_last`), the very tuple of
    the last build's record of its path, sorted and already this process's."""
    if result.last_digest:
        return replace(result, reads=previous[result.path].reads)
    return replace(result, reads=frozenset(map(sys.intern, result.reads)))


def _as_last(result: Result, memo: FragmentMemo | None) -> Result:
    """`result` to send from a forked worker: without its reads when they are exactly
    those of the last build's record of its path (`memo.previous`, inherited by the
    fork, as the parent holds it), with that record's digest under this build's
    hashes (`memo.hashes`, the builder's) instead. A list reads ~10,000-23,000 keys at
    10,000 heroes and a value edit leaves them as they were: pickled here, unpickled,
    interned, sorted and digested in the builder, they were ~0.2 CPU-s of its serial
    path after one hero edit (docs/performance.md edit28)."""
    previous = memo.previous if memo is not None else None
    record = previous.get(result.path) if previous is not None and result.reads else None
    if record is None or len(record.reads) != len(result.reads) or not result.reads.issuperset(record.reads):
        return result
    return replace(result, reads=frozenset(), last_digest=digest(record.reads, memo.hashes))


def _start(work: _Work, count: int, frozen: bool = False) -> list[_Worker]:
    """`count` forked workers rendering from `work`. Workers must not see Ctrl-C: the
    build stops them and says so once. Blocked in this thread while forking, ignored
    in the workers from their first instruction. The objects alive now are frozen
    for the fork (gc.freeze): a collection in a worker then never walks the World it
    inherited, which keeps those pages shared and the walk's CPU unspent. `frozen`:
    the caller froze them already and thaws them itself (render_all's): not asked of
    the collector, whose count of frozen objects walks each of them (~590,000 after
    one hero edit at 10,000 heroes, ~0.04 CPU-s before the fork: docs/performance.md edit42)."""
    context = multiprocessing.get_context("fork")
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    crew: list[_Worker] = []
    release_free_memory()   # each worker starts with what this process holds: no free pages among it
    # a build that froze its World thaws it itself (engine/builder.py); a caller that
    # says nothing is asked (an O(n) walk of the frozen objects)
    thaw = not frozen and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        for number in range(count):
            mine, theirs = context.Pipe()
            current = context.RawValue("q", -1)
            # the builder's ends of this worker's pipe and of those forked before it, which
            # the fork copied: closed in the worker (`_serve`), so that its pipe ends when the
            # builder dies however it dies (SIGKILL, the OOM killer) and the worker leaves,
            # giving up the project's lock it inherited (write/lock.py)
            builders = (mine, *(worker.conn for worker in crew))
            process = context.Process(target=_serve, args=(theirs, previous, work, current, builders, os.getpid()),
                                      daemon=True)
            process.start()
            theirs.close()   # only the worker holds its end: the parent sees EOF if it dies
            crew.append(_Worker(number, process, mine, current))
    except BaseException:
        _stop(crew)
        raise
    finally:
        if thaw:
            gc.unfreeze()   # this process goes on (`foundry serve`): its old Worlds must still be collected
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return crew


def _stop(crew: list[_Worker]) -> None:
    """Workers that answered everything are told to leave; any other is stopped
    (a build cut short: over budget, Ctrl-C, an error)."""
    for worker in crew:
        try:
            if worker.batches:
                worker.process.terminate()
            else:
                worker.conn.send(None)
        except (OSError, ValueError):
            worker.process.terminate()
    for worker in crew:
        worker.process.join(timeout=5)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _serve(conn: Any, mask: Any, work: _Work, current: Any, builders: tuple, parent: int) -> None:
    """A worker's life: batches of job numbers in, results out, until told to stop.
    A small result (a page) waits for the rest of its batch, its bytes pickled with
    it (one message a batch, not two a page); a large one (a list) goes at once, its
    bytes apart (nothing large is held back for the end of a batch). `current`
    (shared memory) names the job being rendered, for the builder's report if this
    process dies.

    The list rows a render made go back with the results, at most CARRIED a message:
    the bundle makes the rows of every entity, and sent with it they were, in the
    builder, a second copy of them all at once (and a third as the cache's rows
    waiting to be written). The rest follow with the next results (the worker holds
    them anyway, for the lists and entity files it renders next); a result after
    which no batch is waiting carries whatever is left (the parent sends the next
    batch before the last result of the one before is made, so that is the end, or
    a parent slow to send one: then they go back early, as they all used to) — in
    messages of their own, CARRIED rows each, ahead of it, when the parent takes
    rows apart (render_all's `rows`).

    `builders`: the builder's ends of the workers' pipes, copied by the fork, closed
    first. Held here, they kept this worker's pipe open after a builder killed by
    SIGKILL: the worker waited for its next batch for ever, holding the flock on
    .foundry-cache/build.lock it inherited, and every later build of the project
    said HF0713 (another build is running) until someone found and killed it.

    `parent`: the builder's pid; the worker dies with it (lifeline.py), at once,
    not once it has finished the render in hand: a killed build's worker must not
    write into the staged tree after the builder is gone."""
    die_with_parent(parent)
    for end in builders:
        end.close()
    try:
        _batches(conn, mask, work, current)
    except (BrokenPipeError, ConnectionResetError):
        return   # the builder is gone (killed): nobody to tell


def _batches(conn: Any, mask: Any, work: _Work, current: Any) -> None:
    """`_serve`'s loop: batches in, results out, until told to stop or the pipe ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    budget.limit_memory_for_good()
    budget.keep_time_handlers()   # each render arms the timers only (its main thread: forked from one)
    unsent: deque[tuple[str, Fragment]] = deque()
    seal = work.memo.seal if work.memo is not None else None   # rows sent sealed (`sealed_rows`)
    held: list[Result] = []   # small results, sent with the rest of their batch
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for number, index in enumerate(batch, 1):
            job = work.jobs[index]
            current.value = index   # a store into shared memory: no message, read only if this process dies
            thresholds = _list_started(job)
            try:
                result = render_one(work.world, work.exporters[job.exporter], work.setups[job.exporter],
                                    job.item, work.memo)
            except Exception as exc:   # a bug, not content: the build shows it as the builder would
                _send_error(conn, exc)
                return
            if thresholds is not None:
                _list_done(thresholds, len(result.fragments))
            # a list spliced to the last build's file as it was comes with that file's hash
            result = replace(_as_last(result, work.memo), sha256=result.sha256 or hashlib.sha256(result.data).hexdigest())
            unsent.extend(result.fragments)
            small = len(result.data) <= SMALL
            last = number == len(batch) and not conn.poll()
            # at most CARRIED rows a message (not a result: a batch's results go as one)
            room = max(0, CARRIED - sum(len(r.fragments) for r in held))
            if last and work.apart:
                # What is left goes now, CARRIED rows a message, ahead of the batch's
                # results (the parent awaits those, so reads these first, one at a time).
                # With one result, a parent slow to send the next batch got a worker's
                # whole backlog at once — 17,500 rows at 10,000 heroes, ~70 MiB of the
                # builder's peak while it unpickled and stored them (docs/performance.md clean29).
                while len(unsent) > room:
                    conn.send(("rows", _sent(unsent, min(CARRIED, len(unsent) - room), seal)))
            carried = len(unsent) if last else min(room, len(unsent))
            # a large list's span log (up to 8.5 MB at 10,000 heroes) goes apart too, after its
            # bytes: pickled, it was copied on each side and read by `Connection.recv` a socket
            # buffer at a time, as the list's bytes were (`_recv_large`)
            logged = not small and bool(result.log)
            # a list spliced to the file the last build recorded, which the builder keeps:
            # its bytes not sent (after one value edit at 10,000 heroes ~38 MB of nine lists)
            bare = not small and work.same_kept and result.as_recorded
            staged = not small and not bare and _staged(work, result)
            held.append(replace(result, data=result.data if small else b"", staged=staged,
                                fragments=_sent(unsent, carried, seal),
                                log=(result.log[0], b"") if logged else result.log))
            # One message for a batch's pages, not two a page: at 10,000 heroes 43,000
            # pipe messages cost the workers and the builder seconds of CPU
            # (docs/performance.md full12). A large result goes at once, last, its bytes after.
            if number == len(batch) or not small:
                conn.send(("results" if small else ("staged-logged" if logged else "results") if staged or bare
                           else "logged" if logged else "large", held))
                held = []
                if not small and not staged and not bare:
                    conn.send_bytes(result.data)
                if logged:
                    conn.send_bytes(result.log[1])
            spliced = result.spliced
            del result
            # A list rendered whole freed its tens of MB of objects: given back, not kept for
            # the next page. A spliced one freed a few large buffers (the last file read,
            # the new bytes, its log), which the next splice reuses as they are: given back,
            # every page of them was faulted in again (after one hero edit at 10,000
            # heroes 44,000 of the workers' 180,000 faults, ~0.1 of their 1.2 CPU-s: edit25)
            if job.item.weight > ONE and not spliced:
                release_free_memory()


def _sent(unsent: deque, count: int, seal: Callable[[str, str], str] | None) -> tuple:
    """The first `count` rows of `unsent`, taken off it for one message: sealed when the
    memo says how (render/fragments.py `sealed_rows`). Sealed as they go, not as they
    are made: a row's text is a copy of its bytes beside the Fragment the worker keeps,
    and the bundle's render makes ~20,000 rows (~40 MB of text at 10,000 heroes)."""
    rows = tuple(unsent.popleft() for _ in range(count))
    return rows if seal is None else sealed_rows(rows, seal)


def _staged(work: _Work, result: Result) -> bool:
    """Whether this forked worker wrote `result`'s bytes into the staged tree itself
    (write/staging.py `write_staged`): a large result the last build recorded at its
    path with other bytes, when the builder gave a tree (`work.stage`). Those the
    builder writes anyway (its `_same_kept` keeps only the very bytes recorded): after
    one hero edit at 10,000 heroes ~110 MB of lists it received through the pipes and
    wrote, ~0.2 CPU-s of its serial path, while the other worker's list waited in its
    pipe (docs/performance.md edit31, edit32). A result no record stood for (a clean
    build's), or with the bytes recorded, goes to the builder as before."""
    previous = work.memo.previous if work.stage and work.memo is not None else None
    record = previous.get(result.path) if previous is not None else None
    if record is None or not record.output or record.output == result.sha256:
        return False
    return work.stage(result.path, result.data)


def _list_started(job: Job) -> tuple | None:
    """Before a list's render in a forked worker: the collector's full passes held off
    (the collector's thresholds, to be given back to `_list_done`), or None (not a
    list, or the collector is off)."""
    if job.item.weight not in SHARED_ROWS or not gc.isenabled():
        return None
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], NO_FULL_PASS)
    return thresholds


def _list_done(thresholds: tuple, made: int) -> None:
    """After a list's render that `_list_started` began: the collector's thresholds
    given back. A list asks for 10,000-30,000 rows, and the worker keeps every one it
    made or read (the memo: a Fragment, its dict, its reads) for the lists and pages it
    renders next; as they grew, the collector's full passes walked all of them again
    and again (nine times in the html lane of a one-edit build at 10,000 heroes, ~0.3
    of its 1.9 CPU-s). During the render only the young generations are collected
    (the cycles a card's drawing leaves die there); after it the next full pass comes
    as the collector's own rule says (once what survived since the last one is a
    quarter of what survived it), one or two for all the lists. A render that drew
    many rows anew (`made`: a clean build's lists) is collected whole at once, so what
    it left in cycles goes as before, and what survived that collection is frozen
    (gc.freeze): it is the memo's rows and what the worker keeps for its life, no
    cycle's garbage, and the next lists' full passes walked it all again (the html
    lane's full collections 0.94-1.10 -> 0.45-0.55 CPU-s a clean build at 10,000
    heroes, its peak as it was: docs/performance.md clean28, clean29). Frozen
    without that collection first, the cycles a list left were kept for good: a
    clean build's peak +75 MiB."""
    gc.set_threshold(*thresholds)
    if made > COLLECT_AFTER:
        gc.collect()
        gc.freeze()


def release_free_memory() -> None:
    """Give the memory the C allocator holds free back to the system (glibc's
    malloc_trim; elsewhere nothing): at 10,000 heroes the builder holds ~40 MiB free
    among the World when it forks, which every worker would start with. A few ms."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        return libc if hasattr(libc, "malloc_trim") else None
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def _send_error(conn: Any, exc: Exception) -> None:
    try:
        conn.send(("raise", exc))
    except Exception:   # an exception that does not pickle: its text, with the worker's traceback
        conn.send(("raise", RuntimeError("".join(traceback.format_exception(exc)))))


def _lost(job: Job) -> Result:
    """The result of a render whose worker process never answered."""
    diags = Diagnostics()
    diags.add(budget.OutOfTime.code, f"the process rendering {job.item.path} stopped answering "
              "(it ran out of time or memory, or crashed)", Span(f"build/{job.item.path}"),
              hint="Build again: a process stopped from outside (out of memory, a signal) is no fault of "
                   "the project. If this page stops the build again, a template of it loops or builds too "
                   "much: bound its loops by the data it shows.")
    return Result(job.item.path, b"", frozenset(), tuple(diags.items))


def _entities(world: Any) -> int:
    return sum(len(getattr(world, table, ())) for table in ("heroes", "characters", "quests", "stories"))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
