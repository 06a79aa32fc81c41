"""Rendering stale artifacts, in this process or in a pool of worker processes.

Each artifact renders against its own tracked view of the World, so what it read is
recorded whichever process renders it. Workers are forked after the World is built:
they inherit it instead of receiving a pickled copy, and send back only bytes, reads
and diagnostics. Output does not depend on the number of workers: every artifact is
rendered from the same World by the same code, and results are stored by path.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from .. import budget
from ..diagnostics import Diagnostic, Diagnostics, Span
from ..exporters.base import Planned, RenderContext
from .fragments import Fragment, FragmentMemo
from .tracking import TrackedWorld

# Below this much work a pool costs more than it saves (fork, pipes, result copies)…
POOL_MIN_JOBS = 64
# …a number tests lower to make a small world really fork (docs/performance.md).
POOL_MIN_JOBS_ENV = "FOUNDRY_POOL_MIN_JOBS"
# …unless the world is so large that its lists (the bundle, the indexes) take seconds each.
LARGE_WORLD = 2000
SLOW_EXPORTERS = {"pdf", "epub"}


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
    fragments: tuple[tuple[str, Fragment], ...] = ()   # list rows this render made (render/fragments.py)
    kept: tuple[str, ...] = ()   # stored list rows this render reused (the cache keeps them)
    pid: int = 0           # the process that rendered it (0: not rendered here, e.g. taken from a shard)


@dataclass(frozen=True)
class _Work:
    """What a worker renders from, handed over once when it starts (forked, so the
    World is inherited, not pickled)."""

    world: Any
    exporters: list
    setups: list
    memo: FragmentMemo | None


_WORKER: list[_Work] = []   # in a worker process only: set by _start_worker


def render_one(world: Any, exporter: Any, setup: Any, item: Planned, memo: FragmentMemo | None = None) -> Result:
    """One artifact, within its time budget (budget.py). A render over a budget is an
    HF0710/HF0711 at the template line that was running (the exporter's `locate`), or
    at the artifact, with empty bytes: the build then stops before anything is switched in."""
    tracked = TrackedWorld(world)
    diags = Diagnostics()
    ctx = RenderContext(tracked, diags, setup)
    if memo is not None:
        memo.fresh.clear()
        memo.kept.clear()
        ctx.fragments = lambda key, render, view, reads=None: memo.get(
            exporter.name, ctx.reads if reads is None else reads, key, render, view)
    try:
        with budget.time_limit():
            data = exporter.render(ctx, item)
    except (budget.OverBudget, MemoryError, RecursionError) as exc:
        over = exc if isinstance(exc, budget.OverBudget) else budget.OutOfMemory(
            "ran out of its memory budget" if isinstance(exc, MemoryError) else "recursed too deeply")
        span = exporter.locate(setup, exc) or Span(f"build/{item.path}")
        diags.add(over.code, f"{over} (while making {item.path})", span)
        data = b""
    made = tuple(memo.fresh) if memo is not None else ()
    kept = tuple(memo.kept) if memo is not None else ()
    return Result(item.path, data, frozenset(tracked.reads | ctx.reads), tuple(diags.items),
                  tuple(world.prose.take_new().items()), made, kept, os.getpid())


def over_budget(result: Result) -> bool:
    """Whether this render was stopped by a budget: the builder then renders no more
    (a runaway template usually runs on every page that uses it)."""
    return any(d.code in (budget.OutOfTime.code, budget.OutOfMemory.code) for d in result.diagnostics)


def _work_batch(batch: list[Job]) -> list[Result]:
    work = _WORKER[0]
    return [render_one(work.world, work.exporters[job.exporter], work.setups[job.exporter], job.item, work.memo)
            for job in batch]


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
               progress: Progress | None = None, memo: FragmentMemo | None = None) -> Iterator[Result]:
    """Results in the order of `jobs`, as they are made: the caller writes each one
    and lets it go, so a 10,000-page build never holds every page in memory at once."""
    tick = progress or (lambda done, total: None)
    slow = any(exporters[j.exporter].name in SLOW_EXPORTERS for j in jobs) or _entities(world) >= LARGE_WORLD
    if workers <= 1 or (len(jobs) < pool_min_jobs() and not slow) or len(jobs) < 2 or not _can_fork():
        with budget.memory_limit():
            for done, job in enumerate(jobs, 1):
                yield render_one(world, exporters[job.exporter], setups[job.exporter], job.item, memo)
                tick(done, len(jobs))
        return
    # Workers must not see Ctrl-C: the build stops them and says so once. Blocked in
    # this thread while forking, ignored in the workers from their first instruction.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pool = multiprocessing.get_context("fork").Pool(min(workers, len(jobs)), initializer=_start_worker,
                                                        initargs=(previous, _Work(world, exporters, setups, memo)))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    with pool:
        chunk = max(1, min(16, len(jobs) // (workers * 8)))
        batches = [jobs[i:i + chunk] for i in range(0, len(jobs), chunk)]
        results = pool.imap(_work_batch, batches)   # imap keeps the order
        # A worker that dies (killed by the OOM killer, a crash in a C library) never
        # answers and Pool does not notice: past every render's time limit, give up.
        # The limit is CPU time (budget.py), so on a loaded machine a live batch may take
        # several times it in wall time: one render may use the whole wall backstop.
        patience = budget.render_seconds() * (budget.WALL_FACTOR + chunk) + 60
        done = 0
        for batch in batches:
            try:
                answers = results.next(timeout=patience)
            except multiprocessing.TimeoutError:
                yield _lost(batch[0])
                return
            for result in answers:
                done += 1
                yield result
                tick(done, len(jobs))


def _lost(job: Job) -> Result:
    """The result of a render whose worker process never answered."""
    diags = Diagnostics()
    diags.add(budget.OutOfTime.code, f"the process rendering {job.item.path} stopped answering "
              "(it ran out of time or memory, or crashed)", Span(f"build/{job.item.path}"))
    return Result(job.item.path, b"", frozenset(), tuple(diags.items))


def _start_worker(mask, work: _Work) -> None:
    _WORKER[:] = [work]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    budget.limit_memory_for_good()


def _entities(world: Any) -> int:
    return sum(len(getattr(world, table, ())) for table in ("heroes", "characters", "quests", "stories"))


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
