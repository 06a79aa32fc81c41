"""Parsing many content files on every core.

Parsing YAML with positions and checking every string's characters is most of a cold
`foundry check` (10,000 heroes: ~5 s on one core). When many files are not in the
parse cache, they are parsed in a pool of forked workers. Workers inherit the files
already read (nothing is sent to them but indexes) and send back plain data: the
document's values, its positions as the one JSON text its cache row holds (decoded in
this process only if a stage asks: load/yaml.py Positions), its diagnostics, and the
sealed cache rows this process reads at once (a story's scenes); each chunk's rows are
written into the parse table by the worker itself (ParseCache.write_own), so the
documents' rows, which this process never reads in the run, do not cross the pipe. When the parse cache holds nothing (a cold check), the
workers also read the files (`_read_in_pool`): reading 10,000 files in this process
before the pool could start was ~0.4 CPU-s of nothing else happening on two cores.
The parent keeps the file order: diagnostics and documents are merged
file by file, exactly as if it had parsed them itself, so the World and every message
are the same whatever the number of workers. Meanwhile the parent does not wait: it
hands each document to the next stage as its chunk comes back (`then`: validation and
sheets, resolve/world.py), so both cores stay busy until the end. A pool that cannot
start, loses a worker (killed, crashed) or stops answering is not an error: the
parent parses what is left, with the same diagnostics.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..confine import boundary
from ..diagnostics import Diagnostic, Diagnostics
from ..lifeline import die_with_parent
from ..queries import Queries
from .cache import ParseCache
from .documents import Document, known_parse_key, parse_document, parse_key, read_source
from .files import FoundFile, SourceFile, root_of
from .yaml import Positions

# Below this many files to parse, forking and copying results back cost more than the
# second core saves (a file parses in ~0.5 ms; a pool starts in ~50 ms).
POOL_MIN_FILES = 400
# Files per message to and from a worker: few messages, yet both workers busy to the end.
CHUNK = 64
# ...and at most about this many bytes of text: a file's parse costs about its size
# (a 1 KB hero ~2 ms, an 11 KB story with its Markdown ~17 ms), so 64 stories were a
# second's work, and the last of them kept one core busy while the other had none.
CHUNK_BYTES = 128 * 1024
# A file changed this recently may change again within its mtime's tick: always read it.
RACY = 2.0
# A pool that has not answered a chunk in this long, its workers all alive, is taken
# for hung (a worker that died is noticed at once: `_Arrivals`).
PATIENCE_SECONDS = 120
# How often, while waiting for a chunk, the workers are looked at: a worker killed
# (out of memory, a crash) takes its chunk with it, and the pool would wait for it
# forever; each look is a waitpid per worker.
LOOK_SECONDS = 0.2
# The young generation's threshold of a parse worker's collector (Python's default: 700).
# A worker's parse makes no garbage cycles (its data are trees: YAML aliases are refused,
# load/yaml.py; all of the 10,000-hero world parsed with the collector off left none),
# yet a story's parse holds 700 to 2,000 containers alive at once (its tokens): at 700
# each story set off collections that walked them to free nothing (~1,060 in the two
# workers of a cold check at 10,000 heroes, 0.10 CPU-s; docs/performance.md check31).
# At this threshold a worker collects a few times a check at most, and a cycle a file
# does make is still freed.
YOUNG_THRESHOLD = 20_000
# How long stopping the pool is waited for (`_Arrivals.close`); it takes milliseconds
# unless multiprocessing's terminate is stuck on a lock a stopped worker held.
CLOSE_SECONDS = 5.0

# One parsed file, as plain data: (index, what reading it gave when the worker read it
# — ((sha256, text, lf_sha256) or None, its diagnostics) — else None, (data, positions' JSON text,
# body, body_line, front_read) or None, diagnostics, the cache's writes).
Parsed = tuple[int, Any, Any, tuple[Diagnostic, ...], tuple]


def worker_count() -> int:
    """FOUNDRY_JOBS when set (as for rendering, render/pool.py), else the CPU count."""
    env = os.environ.get("FOUNDRY_JOBS", "")
    return int(env) if env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def load_documents(found: list[FoundFile], diags: Diagnostics, cache: ParseCache | None = None,
                   workers: int | None = None, queries: Queries | None = None,
                   prepare: Callable[[Document, ParseCache], None] | None = None,
                   known: Mapping[str, str] | None = None,
                   then: Callable[[int, Document | None], None] | None = None,
                   first: Callable[[FoundFile], bool] | None = None,
                   meanwhile: Callable[[], None] | None = None,
                   foresee: Callable[[list[Document]], None] | None = None) -> list[Document | None]:
    """Each found file as a Document (None where it did not load), in the order of
    `found`; problems are added to `diags` in that order too. With `queries` (the
    resident engine's memo table, pipeline/queries.py) a file whose text was parsed
    before is not parsed again. `prepare(document, cache)`, when the pool runs, is
    called in the worker after each parse with the worker's copy of the cache: work a
    later stage will ask the cache for (a story's scenes, Markdown parsed by
    stories/scenes.py), done on every core; what it reports is not kept (the later
    stage finds it again), only the rows it cached. `known`: each file's sha256 by its
    path under the root, as the build hashed it already (engine/sources.py): a file
    whose parse is cached under it is not read (documents.read_source).

    `then(index, document)` is called in this process for each file as soon as it has
    loaded (`index` into `found`; the document is None where it did not): while the
    pool still parses the rest, so the next stage's work (validating, computing sheets)
    runs beside the workers instead of after them. It is called once per file, in no
    promised order (the
    pool's files `first` wants come first: a stage that needs them before the others);
    what it reports it must keep apart and add after this function returns, so every
    message keeps its place. `diags` gets the parse's problems only once all is parsed.

    `meanwhile()`, when the pool has started, is called once in this process right
    after, before the first chunk is waited for: a later stage's work that needs no
    document (importing what it will use), done while the workers parse instead of
    alone after them. It runs on this thread, as the later stage would have: never
    in another thread, where importing beside this one's lazy imports can meet
    importlib's deadlock detection (docs/performance.md, cold21).

    `foresee(documents)`: called with the documents parsed in this process (the pool's
    are not) before `then` is called for any of them, so that the next stage may look
    up together what it will ask of each (load/cache.py `prefetch`). The parse rows of
    the files whose hashes `known` gives are looked up together too, first."""
    read = Diagnostics()
    sources: list[SourceFile | None] = []
    notes: list[tuple[Diagnostic, ...]] = []
    now = time.time()
    workers = worker_count() if workers is None else workers
    if _read_in_pool(found, cache, workers, queries):
        return _load_in_pool(found, diags, cache, workers, prepare, then, first, meanwhile)
    if cache is not None and known and queries is None and cache.prefetches(len(found)):
        # each file's parse row, which read_source asks first: one SELECT a batch, not a file
        cache.prefetch([key for file in found if (sha256 := known.get(file.rel)) is not None
                        and (key := known_parse_key(file, sha256, cache)) is not None])
    for file in found:
        # a file the watcher saw unchanged since the last run: its last read, no stat (foundry serve)
        kept = queries.kept_read(file.rel) if queries is not None else None
        if kept is not None:
            sources.append(kept.value)
            notes.append(kept.diagnostics)
            continue
        before = len(read.items)
        signature = _settled(file, now) if queries is not None else None
        if signature is None:
            sources.append(read_source(file, read, known.get(file.rel) if known else None, cache))
        else:
            sources.append(queries.ask("read", _read_settled, file, signature, diags=read))
        notes.append(tuple(read.items[before:]))
        if queries is not None:
            queries.note_read(file.rel, sources[-1], notes[-1])
    todo: list[int] = []
    # a run the watcher is trusted for reads (and may parse) only the files it named
    few = queries is not None and queries.trusted is not None and len(queries.trusted) < POOL_MIN_FILES
    if workers > 1 and len(found) >= POOL_MIN_FILES and not few and "fork" in multiprocessing.get_all_start_methods():
        todo = [i for i, source in enumerate(sources) if source is not None
                and (queries is None or not queries.knows("parse", found[i], source))]
        if len(todo) >= POOL_MIN_FILES and cache is not None:   # else the cache's keys are not loaded for nothing
            todo = [i for i in todo if not _cached(found[i], sources[i], cache)]
    if len(todo) < POOL_MIN_FILES:
        todo = []
    elif first is not None:   # stable: file order within each part
        todo.sort(key=lambda i: not first(found[i]))
    documents: list[Document | None] = [None] * len(found)
    problems: list[tuple[Diagnostic, ...]] = [()] * len(found)

    def loaded(i: int, doc: Document | None, found_problems: tuple[Diagnostic, ...]) -> None:
        documents[i], problems[i] = doc, found_problems
        if then is not None:
            then(i, doc)

    def parsed(i: int) -> tuple[Document | None, tuple[Diagnostic, ...]]:   # in this process
        mine = Diagnostics()
        if queries is not None:
            doc = queries.ask("parse", parse_document, found[i], sources[i], diags=mine, cache=cache)
        else:
            doc = parse_document(found[i], sources[i], mine, cache)
        return doc, tuple(mine.items)

    def here(i: int) -> None:
        loaded(i, *parsed(i))

    pooled = set(todo)
    arrivals = _in_pool(found, sources, cache, todo, workers, prepare) if todo else _Arrivals(None, [])
    try:
        if meanwhile is not None and arrivals.pool is not None:
            meanwhile()
        # what the pool does not parse (cached, or unreadable), first: its workers start meanwhile
        mine = {}
        for i in range(len(found)):
            if sources[i] is None:
                loaded(i, None, ())   # not read (its problem is in `notes`)
            elif i not in pooled:
                if foresee is None:
                    here(i)
                else:
                    mine[i] = parsed(i)
        if mine:
            foresee([doc for doc, _ in mine.values() if doc is not None])
            for i, (doc, found_problems) in mine.items():
                loaded(i, doc, found_problems)
        for i, _, value, found_problems, writes in arrivals:
            pooled.discard(i)
            if cache is not None:
                cache.adopt(writes)
            doc = _document(found[i], sources[i], value)
            if queries is not None:
                queries.remember("parse", (found[i], sources[i]), doc, found_problems)
            loaded(i, doc, found_problems)
    finally:
        arrivals.close()   # done, or left early: the pool is stopped
    for i in sorted(pooled):   # what a failed pool left: parsed here
        here(i)
    for i in range(len(found)):
        diags.extend(notes[i])
        diags.extend(problems[i])
    return documents


def _read_in_pool(found: list[FoundFile], cache: ParseCache | None, workers: int, queries: Queries | None) -> bool:
    """Whether the pool reads the files too: many files, more than one worker, no memo
    table of `foundry serve`, and a parse cache holding no row at all (a cold check:
    no file can be known parsed, so none needs reading here first to find its key).
    A cache holding rows is asked as before: the parent reads each file, and only what
    the cache lacks goes to the pool."""
    return workers > 1 and len(found) >= POOL_MIN_FILES and queries is None \
        and "fork" in multiprocessing.get_all_start_methods() and (cache is None or not cache.holds_rows())


def _load_in_pool(found: list[FoundFile], diags: Diagnostics, cache: ParseCache | None, workers: int,
                  prepare: Callable[[Document, ParseCache], None] | None,
                  then: Callable[[int, Document | None], None] | None,
                  first: Callable[[FoundFile], bool] | None,
                  meanwhile: Callable[[], None] | None = None) -> list[Document | None]:
    """load_documents when the pool reads every file as well as parsing it: the same
    documents, and the same diagnostics in the same order (each file's reading
    problems, then its parse's, file by file). What a failed pool leaves is read and
    parsed here."""
    todo = list(range(len(found)))
    if first is not None:   # stable: file order within each part
        todo.sort(key=lambda i: not first(found[i]))
    sizes = [_size(file) for file in found]
    documents: list[Document | None] = [None] * len(found)
    notes: list[tuple[Diagnostic, ...]] = [()] * len(found)
    problems: list[tuple[Diagnostic, ...]] = [()] * len(found)
    left = set(todo)
    arrivals = _in_pool(found, [None] * len(found), cache, todo, workers, prepare, sizes, read=True)
    try:
        if meanwhile is not None and arrivals.pool is not None:
            meanwhile()
        for i, read, value, found_problems, writes in arrivals:
            left.discard(i)
            if cache is not None:
                cache.adopt(writes)
            text, notes[i] = read
            source = None if text is None else SourceFile(found[i].rel, text[1], text[0], lf_sha256=text[2])
            documents[i], problems[i] = _document(found[i], source, value), found_problems
            if then is not None:
                then(i, documents[i])
    finally:
        arrivals.close()
    if cache is not None:   # the rows so far written into the file while the load's last stages run
        cache.write_behind()
    for i in [i for i in todo if i in left]:   # what a failed pool left: read and parsed here, in its order
        mine = Diagnostics()
        source = read_source(found[i], mine)
        notes[i], before = tuple(mine.items), len(mine.items)
        if source is not None:
            documents[i] = parse_document(found[i], source, mine, cache)
        problems[i] = tuple(mine.items[before:])
        if then is not None:
            then(i, documents[i])
    for i in range(len(found)):
        diags.extend(notes[i])
        diags.extend(problems[i])
    return documents


def _size(file: FoundFile) -> int:
    """The file's size by its stat (0 when it has none), for cutting chunks without reading it."""
    try:
        return os.lstat(file.path).st_size
    except OSError:
        return 0


def _document(file: FoundFile, source: SourceFile | None, value: Any) -> Document | None:
    """A worker's parse as a Document: its positions stay the JSON text they came as."""
    if value is None or source is None:
        return None
    data, positions, body, body_line, front_read = value
    return Document(file.kind, file.id, source, data, Positions.stored(file.rel, positions), body, body_line,
                    front_read)


def _settled(file: FoundFile, now: float) -> tuple[int, int, int, int] | None:
    """The stat of a regular file (inode, size, mtime and ctime in ns) that has not
    changed for RACY seconds, else None. A file is re-read whenever any of these moves;
    one written within the last seconds could change again within its clock's tick
    without them moving (git's "racy" entries), and a link's own stat says nothing of
    its target: those are always read. The file is looked at where the confinement
    rule reads its folders (`Boundary.entry`): by the OS's reading, a folder on the way
    linked as `content/heroes -> h\\x` (`h/x` to the rule) led to the entry named `h\\x`,
    out of the project; a path whose folders lead out is read, and refused, always."""
    here = boundary(root_of(file.path, file.rel)).entry(file.path)
    if here is None:
        return None
    try:
        st = os.lstat(here)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or now - max(st.st_mtime, st.st_ctime) < RACY:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _read_settled(file: FoundFile, signature: tuple[int, int, int, int], diags: Diagnostics) -> SourceFile | None:
    """read_source, as a query keyed by the file's stat (`signature`): the one query
    whose key stands in for content rather than being it, exactly as the file watcher
    and the no-op fingerprint (engine/sources.py) trust a stat that has not moved."""
    return read_source(file, diags)


def _cached(file: FoundFile, source: SourceFile, cache: ParseCache) -> bool:
    return cache.has(parse_key(file, source, cache))


def _in_pool(found: list[FoundFile], sources: list[SourceFile | None], cache: ParseCache | None,
             todo: list[int], workers: int, prepare: Callable | None = None, sizes: list[int] | None = None,
             read: bool = False) -> "_Arrivals":
    """The pool, started on `todo` (in that order); what it parsed comes from the
    answer's iteration, each file as its chunk comes back: all of `todo`, or less if
    the pool failed. `read`: the workers read the files (`sources` holds None for
    each), whose `sizes` cut the chunks."""
    chunks: list[list[int]] = []
    size = 0
    for i in todo:
        if not chunks or len(chunks[-1]) >= CHUNK or size >= CHUNK_BYTES:
            chunks.append([])
            size = 0
        chunks[-1].append(i)
        if sizes is not None:
            size += sizes[i]
        else:
            source = sources[i]
            # the text's length when it was read here (a file not read yet counts nothing: sizing must not read it)
            size += len(source._text or "") if source is not None else 0
    if cache is not None:
        cache.settle()   # no thread of it writing the file while the workers are forked
    # Workers must not see Ctrl-C (the parent stops them): blocked while forking,
    # ignored in the workers from their first instruction.
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        try:
            pool = _Pool(min(workers, len(chunks)), initializer=_start,
                         initargs=(os.getpid(), previous, found, sources, cache, prepare, read),
                         context=multiprocessing.get_context("fork"))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except OSError:
        return _Arrivals(None, [])
    return _Arrivals(pool, chunks, cache)


class _Pool(multiprocessing.pool.Pool):
    """multiprocessing's Pool, its worker-handler thread woken only when a worker ends
    or the pool closes. The stock Pool also wakes it whenever a result waits to be
    read (its `_get_sentinels` holds the result pipe), so while this process's
    threads are busy (the result thread waiting for the GIL, `then`'s validation) it
    spun: ~44,000 passes and ~0.7 CPU-s of a cold check at 10,000 heroes, every pass
    taking the GIL from the work. That wake-up replaces workers retired by
    `maxtasksperchild`, which this pool does not use; a worker that dies is still
    seen (its sentinel), and `_Arrivals` looks for that too."""

    def _get_sentinels(self) -> list:
        return [self._change_notifier._reader]


class _Arrivals:
    """A started pool's answers, as they come back; `close` stops the pool (whether or
    not its answers were read: the caller works while the workers parse). The answers
    stop early when a worker died (`stopped` is then "died": multiprocessing.Pool
    replaces the worker but never its chunk, so the answers would never come), a chunk
    raised in its worker ("failed") or the pool said nothing for PATIENCE_SECONDS
    ("silent"); the caller parses the rest."""

    def __init__(self, pool: Any, chunks: list[list[int]], cache: ParseCache | None = None) -> None:
        self.pool, self.count, self.cache = pool, len(chunks), cache
        self.taken = 0   # chunks answered
        self.answers = pool.imap(_parse_chunk, chunks) if pool is not None else None
        self.stopped: str | None = None
        # every worker the pool ran (it drops the dead from its own list when it replaces them)
        self.workers: list[Any] = list(getattr(pool, "_pool", ()))

    def __iter__(self) -> Iterator[Parsed]:
        for _ in range(self.count):
            chunk = self._next()
            if chunk is None:
                return
            self.taken += 1
            yield from chunk

    def _next(self) -> list[Parsed] | None:
        """The next chunk's answer, or None (and `stopped` said why) when none will come."""
        waited = 0.0
        while True:
            try:
                return self.answers.next(timeout=LOOK_SECONDS)
            except multiprocessing.TimeoutError:
                waited += LOOK_SECONDS
            except Exception:
                # The worker's chunk raised (a MemoryError under an operator's `ulimit -v`,
                # one after it wrote its rows: ParseCache.write_own): the pool's answer is
                # the exception, re-raised here, and was an internal error. A worker that
                # failed is one that crashed: what is left is parsed here.
                self.stopped = "failed"
                return None
            if self._a_worker_died():
                self.stopped = "died"
                return None
            if waited >= PATIENCE_SECONDS:
                self.stopped = "silent"
                return None

    def _a_worker_died(self) -> bool:
        """Whether a worker of the pool has ended: none ends on its own while it has
        work (no maxtasksperchild), so an ended one was killed or crashed."""
        self.workers += [p for p in getattr(self.pool, "_pool", ()) if p not in self.workers]
        return any(p.exitcode is not None for p in self.workers)

    def close(self) -> None:
        """Stop the pool, waiting for that at most CLOSE_SECONDS. multiprocessing's
        `terminate` can wait for ever: a worker it stops (SIGTERM) while holding one of
        the pool's queue locks (sending an answer, taking a chunk) never releases it,
        and the pool's own threads then block on it. Ctrl-C near the end of a cold
        check's load hung so, 0 % CPU, in 1 to 2 tries of 7 at 10,000 heroes (review29).
        Past the wait the workers are killed here; the pool's threads, blocked, are
        daemons and end with this process. Raises nothing."""
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        if self.taken < self.count and self.cache is not None:
            # a worker may be stopped mid-write of the parse table (ParseCache.write_own)
            self.cache.distrust()
        stopping = threading.Thread(target=pool.terminate, name="parse-pool-stop", daemon=True)
        stopping.start()
        stopping.join(CLOSE_SECONDS)
        if stopping.is_alive():
            for worker in self.workers:
                if worker.exitcode is None:
                    worker.kill()


# Set in each worker by _start (the pool's initializer), never in the parent.
_WORK: dict[str, Any] = {}


def _start(parent: int, mask, found: list[FoundFile], sources: list[SourceFile | None], cache: ParseCache | None,
           prepare: Callable | None = None, read: bool = False) -> None:
    # gone with the parent, however it dies: else, killed by SIGKILL, it left this
    # worker waiting on the pool's task queue (whose writing end it holds too) for
    # ever, with the build's flock on build.lock it inherited (lifeline.py)
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    # the parent pauses its collector while it loads the World, which it keeps
    # (engine/builder.py); a worker parses and lets go: it collects as any process
    # does, but only what it makes. What it inherited (the files read, every module,
    # made while the parent's collector was paused, so all in its youngest
    # generation) is frozen first: else the worker's first collections walked all of
    # it to free nothing, writing to every object's header, which copies the parent's
    # pages into the worker. Its young generation is collected less often
    # (YOUNG_THRESHOLD): what a parse makes is freed by reference counting.
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()
    if cache is not None:
        cache.take_writes()   # the parent's bookkeeping, inherited: not this worker's to hand back
        cache.forked()
    _WORK.update(found=found, sources=sources, cache=cache, prepare=prepare if cache is not None else None,
                 read=read)


def _parse_chunk(indexes: list[int]) -> list[Parsed]:
    found, sources, cache, prepare = _WORK["found"], _WORK["sources"], _WORK["cache"], _WORK["prepare"]
    out: list[Parsed] = []
    # each file's cache writes: the parse's rows, and `prepare`'s (which the parent reads at once)
    writes: list[tuple[tuple, tuple]] = []
    for i in indexes:
        diags = Diagnostics()
        read = None
        source = sources[i]
        if _WORK["read"]:   # read here, as the parent would have (documents.read_source)
            source = read_source(found[i], diags)
            read = (None if source is None else (source.sha256, source.text, source.lf_sha256), tuple(diags.items))
            diags = Diagnostics()
        doc = parse_document(found[i], source, diags, cache) if source is not None else None
        parse = cache.take_writes() if cache is not None else None
        if prepare is not None and doc is not None:
            prepare(doc, cache)
        if cache is not None:
            writes.append((parse, cache.take_writes()))
        # the positions as their cache row's JSON text: a tenth of the pickling of their
        # tables, and decoded in the parent only for a diagnostic
        value = None if doc is None else (doc.data, doc.positions.to_text(), doc.body, doc.body_line, doc.front_read)
        out.append((i, read, value, tuple(diags.items), ()))
    if cache is None:
        return out
    # The chunk's rows written into the parse table here, so that only what the parent
    # reads at once (`prepare`'s rows: a story's scenes) crosses the pipe, not the
    # documents' rows as well (their documents come in `value`); if they cannot be
    # written here, all are sent, for the parent to write (ParseCache.write_own).
    written = cache.write_own([row for parse, later in writes for row in (*parse[0], *later[0])])
    return [(i, read, value, problems, _merged(parse, later, written))
            for (i, read, value, problems, _), (parse, later) in zip(out, writes)]


def _merged(parse: tuple, later: tuple, written: bool) -> tuple:
    """One file's two take_writes as one, for the parent's ParseCache.adopt: the rows
    to send (only `later`'s when the worker wrote them all), keys used, hits, misses,
    and whether the worker wrote them."""
    rows = later[0] if written else parse[0] + later[0]
    return (rows, parse[1] | later[1], parse[2] + later[2], parse[3] + later[3], written)
