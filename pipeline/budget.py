"""Budgets for what a project can make a build compute while rendering.

Theme templates come with the project, so a pull request writes them: a template can
loop for hours or build a string of gigabytes. Each artifact's render gets

- a time limit (FOUNDRY_RENDER_SECONDS, default 120 s) counted in CPU seconds, not
  wall time: what a template makes us compute is the same on an idle laptop and on a
  CI host running twenty jobs, where a wall-clock limit stopped honest books (a build
  must not fail for the machine's load). On the main thread it is an ITIMER_PROF
  timer (the process's CPU time, SIGPROF); on another thread (`foundry serve` renders
  on a thread of its own) a watchdog reads that thread's own CPU clock
  (pthread_getcpuclockid). A render that waits without computing is caught by a wall
  backstop of WALL_FACTOR times the limit. Both raise OutOfTime between two Python
  instructions, wherever the render is;
- a memory limit (FOUNDRY_RENDER_MEMORY_MB more than the process had when rendering
  started, default 2048): RLIMIT_AS, so an allocation past it fails with MemoryError
  (reported as OutOfMemory) instead of the machine swapping or the OOM killer
  choosing a victim;
- and, in the template sandbox (exporters/sandbox.py), bounds on the values a
  template builds, checked before the memory is taken where that is possible.

The limits come from the environment, the operator's side, never from foundry.toml,
which the project writes. The errors are BaseException, not Exception: no `except
Exception` in a template helper or a library (WeasyPrint logs and swallows many)
can catch a timeout and carry on.
"""

from __future__ import annotations

import ctypes
import math
import os
import re
import resource
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

DEFAULT_SECONDS = 120.0
WALL_FACTOR = 10              # the wall backstop: a render that waits rather than computes
WATCH_EVERY = 0.25            # seconds between the watchdog's looks at a thread's CPU clock
REFIRE = 0.05                 # seconds between OutOfTimes once a limit is past (one may be caught)
DEFAULT_MEMORY_MB = 2048
DEFAULT_LOCK_WAIT = 60.0     # seconds a build waits for another build of the project (write/lock.py)
# The theme's pictures in all, and the portraits in all (~31 M pixels a CPU-second to
# decode: ~160 CPU-s at worst, minutes rather than the hours 2,000 pictures of 40 M were).
# 500 M refused an honest world of ~42 phone photos (12 M pixels each, decoded whole for
# the derivatives); this leaves room for ~400.
DEFAULT_PICTURE_PIXELS = 5_000_000_000
# The most each budget read from the environment is taken as: a huge number means "no
# limit to speak of", but a timer, a poll's timeout and RLIMIT_AS take bounded numbers:
# FOUNDRY_RENDER_SECONDS=1e300 was an internal error at every render
MOST_SECONDS = 80_000.0       # ~22 hours of CPU: render/pool.py waits (WALL_FACTOR + 16) times it,
                              # and a poll's timeout is at most 2**31 ms
MOST_MEMORY_MB = 2 ** 40      # an exabyte
MOST_PICTURE_PIXELS = 10 ** 18
MAX_ITEMS = 10_000_000        # the longest string or list a template may build
MAX_OUTPUT = 64 * 1024 * 1024  # characters one template render may produce


class OverBudget(BaseException):
    """A render went past one of its budgets. `code` is its diagnostic code."""

    code = "HF0711"


class OutOfTime(OverBudget):
    code = "HF0710"

    def __str__(self) -> str:   # raised bare by the watchdog, which says why in _FIRED
        return super().__str__() or _FIRED.get(threading.get_ident(),
                                               f"ran longer than {render_seconds():g} CPU seconds")


class OutOfMemory(OverBudget):
    code = "HF0711"


def picture_pixels() -> int:
    """Pixels of a theme's pictures foundry decodes in all to judge and publish them
    (FOUNDRY_PICTURE_PIXELS, default DEFAULT_PICTURE_PIXELS): each picture is held to
    media.MAX_PIXELS, but 200 of 40 M pixels (~1.3 CPU-s each) made check and every build
    decode for minutes. A theme's pictures past it are HF0715 (picture_verdicts.past_total)."""
    return int(_env_number("FOUNDRY_PICTURE_PIXELS", DEFAULT_PICTURE_PIXELS, MOST_PICTURE_PIXELS))


def render_seconds() -> float:
    return _env_number("FOUNDRY_RENDER_SECONDS", DEFAULT_SECONDS, MOST_SECONDS)


def render_memory() -> int:
    """Bytes a render may use beyond what the process had when rendering started."""
    return int(_env_number("FOUNDRY_RENDER_MEMORY_MB", DEFAULT_MEMORY_MB, MOST_MEMORY_MB) * 1024 * 1024)


def build_seconds() -> float:
    """CPU seconds the renders of one build may take in all (FOUNDRY_BUILD_SECONDS;
    HF0716 past it): no limit when unset, since an honest world of 10,000 heroes with
    their sheets takes ~1.5 CPU hours, while a pull request of N copies of one hero (one
    git blob) costs N renders. The operator who builds strangers' pull requests sets it;
    a project cannot (foundry.toml is the pull request's). Part of `limits()`: check
    draws the project's own templates within it too (engine/rehearse.py)."""
    return _env_number("FOUNDRY_BUILD_SECONDS", math.inf, math.inf)


def limits() -> str:
    """Every budget the environment sets (FOUNDRY_RENDER_SECONDS, FOUNDRY_RENDER_MEMORY_MB,
    FOUNDRY_PICTURE_PIXELS, FOUNDRY_BUILD_SECONDS) as the build reads it: part of the key of each verdict kept
    across processes (the check memo, engine/checked.py; the site templates' check,
    exporters/html/template_verdicts.py; the no-op build's settings, engine/builder.py).
    What check and build say depends on them (a loop over constant ranges past the
    render's seconds is HF0710 at check, template_loops.py; a theme's pictures past the
    pixels are HF0715), so a verdict made under other limits is not replayed: a warm
    `foundry check` under FOUNDRY_RENDER_SECONDS=1 said what the last one said under
    120. A budget added here is in every such key at once."""
    return (f"seconds={render_seconds()!r}|memory={render_memory()}|pixels={picture_pixels()}|total={build_seconds()!r}"
            f"|misread={misread()!r}")


# Each budget the environment may set, and what is taken when it is unset or misread
# (its default, said; a value to give as an example; whether 0 is a value it takes:
# FOUNDRY_LOCK_WAIT=0 is "do not wait", while a render budget of 0 would stop every render)
BUDGETS = {"FOUNDRY_RENDER_SECONDS": (f"{DEFAULT_SECONDS:g} CPU seconds a render", "600", False),
           "FOUNDRY_RENDER_MEMORY_MB": (f"{DEFAULT_MEMORY_MB} MB a render", "4096", False),
           "FOUNDRY_PICTURE_PIXELS": (f"{DEFAULT_PICTURE_PIXELS:,} pixels", "8000000000", False),
           "FOUNDRY_BUILD_SECONDS": ("no limit on the build's renders in all", "3600", False),
           "FOUNDRY_LOCK_WAIT": (f"{DEFAULT_LOCK_WAIT:g} seconds waiting for another build of the project", "300",
                                 True)}


def misread() -> list[tuple[str, str]]:
    """(name, value) of each budget of BUDGETS the environment sets to what is not a
    number it takes (`10m`, `-1`, `nan`; `0` but for FOUNDRY_LOCK_WAIT): it is the
    default, which for FOUNDRY_BUILD_SECONDS is no limit at all, so an operator's typo
    opened the build to what they meant to bound (say_misread). Empty is unset: the
    shipped workflow passes an unset repository variable as ``."""
    found = []
    for name, (_, _, zero) in BUDGETS.items():
        value = os.environ.get(name, "")
        if not value.strip():
            continue
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (number >= 0 if zero else number > 0):
            found.append((name, value))
    return found


def say_misread(diags) -> None:
    """HF0747 (a warning) at <environment> for each budget `misread` finds, with what is
    taken in its place. `diags`: a diagnostics.Diagnostics."""
    from .diagnostics import ENVIRONMENT, Span, clip
    for name, value in misread():
        words, example, zero = BUDGETS[name]
        least = "of 0 or more" if zero else "above 0"
        diags.add("HF0747", f"{name}={clip(repr(value), 40)} is not a number {least}: the build takes its default, "
                            f"{words}", Span(ENVIRONMENT),
                  hint=f"Set it to a number {least}, without a unit (`{name}={example}`), or unset it "
                       "for its default.")


def _env_number(name: str, default: float, most: float, zero: bool = False) -> float:
    """The number the environment sets as `name`, as far as `most` ("inf" and "1e400",
    which float() reads as infinity, too: int() of it was an internal error at every
    check); `default` for one that is not a number or not above 0 (`zero`: not 0 or
    more; "nan" neither). What `misread` says is taken for it."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return min(value, most) if (value >= 0 if zero else value > 0) else default


def lock_wait() -> float:
    """Seconds a build waits for another build of the project to end (FOUNDRY_LOCK_WAIT,
    an operator's setting, default DEFAULT_LOCK_WAIT; 0 does not wait; "inf" waits as
    long as the other build runs). Read by write/lock.py as every budget is: it took
    "nan" as 0 and "-5" as 0, without a word."""
    return _env_number("FOUNDRY_LOCK_WAIT", DEFAULT_LOCK_WAIT, math.inf, zero=True)


# --- time -------------------------------------------------------------------------------

@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Raise OutOfTime in this thread if the block computes for more than `seconds` of
    CPU time, or waits for more than WALL_FACTOR times that."""
    seconds = render_seconds() if seconds is None else seconds
    here = (os.getpid(), threading.get_ident())
    if here in _OPEN:
        # within another block of this thread (a theme judged while a render runs): its
        # limit bounds this one; arming again would disarm it at this block's end (one
        # ITIMER_PROF a process, one deadline a thread)
        yield
        return
    main = threading.current_thread() is threading.main_thread()
    _OPEN.add(here)
    try:
        if main and _KEPT_BY == os.getpid():   # a render worker, which keeps its handlers (`keep_time_handlers`)
            with _kept_alarm(seconds):
                yield
        elif main and hasattr(signal, "setitimer"):
            with _alarm(seconds):
                yield
        else:
            with _WATCHDOG.limit(seconds):
                yield
    finally:
        _OPEN.discard(here)


_OPEN: set[tuple[int, int]] = set()   # (process, thread) inside a time_limit block (a forked child is not)


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    fired: list[str] = []   # why, once a limit was reached
    # Not live until the `try` is entered: a timer of microseconds (FOUNDRY_RENDER_SECONDS
    # is the operator's number) fired before it, and its OutOfTime skipped the `finally`:
    # both timers went on firing every REFIRE seconds into these handlers, left installed,
    # stopping the process outside any block for good. One ignored fires again REFIRE later.
    live = done = False

    def computed(signum, frame):
        if live and not done:
            fired.append(f"ran longer than {seconds:g} CPU seconds")
            raise OutOfTime(fired[0])

    def waited(signum, frame):
        if live and not done:
            fired.append(f"ran longer than {seconds * WALL_FACTOR:g} seconds without finishing")
            raise OutOfTime(fired[0])

    previous = signal.signal(signal.SIGPROF, computed), signal.signal(signal.SIGALRM, waited)
    cpu, wall = time.process_time(), time.monotonic()   # what the timers found armed has run down meanwhile
    # Past the limit the timers go on firing every REFIRE seconds: a library may catch
    # even a BaseException (WeasyPrint draws an SVG under `except BaseException` and
    # logs 'Failed to render SVG image'), and a one-shot timer then left the render to
    # run on unlimited and publish the book. A block that ends after one was caught is
    # still over its budget (`swallowed`).
    found = (signal.setitimer(signal.ITIMER_PROF, seconds, REFIRE),
             signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR, REFIRE))
    try:
        live = True
        yield
        swallowed(fired)
    finally:
        done = True
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous[0])
        signal.signal(signal.SIGALRM, previous[1])
        _rearm(signal.ITIMER_PROF, found[0], time.process_time() - cpu)
        _rearm(signal.ITIMER_REAL, found[1], time.monotonic() - wall)


def _rearm(which: int, found: tuple[float, float], spent: float) -> None:
    """Put back a timer `_alarm` found armed (`found`: setitimer's (delay, interval),
    seconds), less the `spent` seconds of its clock the block took; one that came due
    meanwhile fires at once, to the handler it was armed for. Disarming alone cancelled
    the other user's timer for good: pytest-timeout's SIGALRM (ITIMER_REAL) never fired
    in a test after its first render, which could then hang until CI's budget ran out."""
    delay, interval = found
    if delay > 0:
        signal.setitimer(which, max(delay - spent, RIGHT_AWAY), interval)


RIGHT_AWAY = 0.001   # seconds: a timer that came due inside an `_alarm` block (0 would disarm it)


# The process whose handlers `keep_time_handlers` installed for good (0: none), and its
# open `_alarm` blocks, innermost last: [seconds, why it fired (a list), done].
_KEPT_BY = 0
_BLOCKS: list[list] = []


def keep_time_handlers() -> None:
    """For a process that only renders, on its main thread (a forked render worker,
    render/pool.py): the time limit's two signal handlers installed now, for the
    process's life; each `time_limit` then only arms and disarms its two timers.
    Installing them and putting the previous ones back around every render were four
    `signal.signal` calls: a `time_limit` ~14 µs, ~5.4 with the handlers kept, and a
    clean build at 10,000 heroes renders ~35,000 artifacts (docs/performance.md clean30). Elsewhere (the
    builder's own process, `check`, a test runner) each block still puts back the
    handlers it found: another user of SIGALRM (pytest-timeout) relies on that."""
    global _KEPT_BY
    signal.signal(signal.SIGPROF, _kept_computed)
    signal.signal(signal.SIGALRM, _kept_waited)
    _KEPT_BY = os.getpid()


def _kept_computed(signum, frame) -> None:
    _kept_fire(lambda seconds: f"ran longer than {seconds:g} CPU seconds")


def _kept_waited(signum, frame) -> None:
    _kept_fire(lambda seconds: f"ran longer than {seconds * WALL_FACTOR:g} seconds without finishing")


def _kept_fire(why) -> None:
    """`_alarm`'s handlers' answer, for the innermost open block: nothing once it is
    done (a signal sent as its timers were disarmed) or when none is open."""
    if _BLOCKS and not _BLOCKS[-1][2]:
        seconds, fired, _ = _BLOCKS[-1]
        fired.append(why(seconds))
        raise OutOfTime(fired[0])


@contextmanager
def _kept_alarm(seconds: float) -> Iterator[None]:
    """`_alarm` in a process that keeps its handlers: the same timers, the same
    OutOfTime (re-fired every REFIRE seconds, `swallowed` at the end)."""
    block: list = [seconds, [], True]   # done until the `try` is entered (see `_alarm`'s `live`)
    _BLOCKS.append(block)
    signal.setitimer(signal.ITIMER_PROF, seconds, REFIRE)
    signal.setitimer(signal.ITIMER_REAL, seconds * WALL_FACTOR, REFIRE)
    try:
        block[2] = False
        yield
        swallowed(block[1])
    finally:
        block[2] = True
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        # by identity (two open blocks may be equal lists); the innermost, nearly always
        del _BLOCKS[max(at for at, open_block in enumerate(_BLOCKS) if open_block is block)]


def swallowed(fired: list[str]) -> None:
    """Raise OutOfTime when a limit fired inside a block that ended without it: the
    exception was caught and dropped by the code it interrupted."""
    if fired:
        raise OutOfTime(fired[0])


def _thread_cpu(tid: int) -> float | None:
    """CPU seconds thread `tid` (threading.get_ident) has used; None where the system
    cannot say (the watchdog then counts wall time alone)."""
    try:
        return time.clock_gettime(time.pthread_getcpuclockid(tid))
    except (AttributeError, OSError):
        return None


@dataclass
class _Deadline:
    cpu: float | None        # the thread's CPU clock value past which it is stopped
    wall: float              # monotonic time of the backstop
    seconds: float
    fired: bool = False      # past its limit: stopped, and stopped again until the block ends


class _Watchdog:
    """One thread per process that raises OutOfTime in a rendering thread that has
    computed past its limit, or waited past the backstop (PyThreadState_SetAsyncExc:
    delivered at the thread's next Python instruction). CPU clocks cannot be waited
    on, so it looks every WATCH_EVERY seconds while a limit is set."""

    def __init__(self) -> None:
        # A rendering thread takes `mutex`, a C lock, never the Condition: Condition.__enter__
        # is Python code, and the OutOfTime the watchdog sends holding the lock is taken
        # there right after the thread acquired it, before `with` holds it: the lock stayed
        # the stopped thread's for good, and the watchdog (waiting to take it back) never
        # stopped a render again, and another thread's next render waited for ever on it.
        # A C lock's `with` holds it from the acquire on; the watchdog sleeps on `lock`.
        self.mutex = threading.Lock()
        self.lock = threading.Condition(self.mutex)
        self.deadlines: dict[int, _Deadline] = {}   # thread id → its limits
        self.pid = 0

    @contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        tid = threading.get_ident()
        with self.mutex:
            if self.pid != os.getpid():   # a forked child has no watchdog thread yet
                self.pid = os.getpid()
                self.deadlines.clear()
                threading.Thread(target=self._run, name="foundry-render-watchdog", daemon=True).start()
            used = _thread_cpu(tid)
            self.deadlines[tid] = _Deadline(None if used is None else used + seconds,
                                            time.monotonic() + seconds * (WALL_FACTOR if used is not None else 1),
                                            seconds)
            self.lock.notify()
        try:
            yield
            with self.mutex:
                fired = _FIRED.get(tid, "") if self.deadlines[tid].fired else None
            swallowed([] if fired is None else [fired])
        finally:
            # An OutOfTime the watchdog sent as the block ended may arrive here, at any
            # call: had it stopped this `finally` before the pop, the deadline stayed and
            # the watchdog went on stopping the thread every REFIRE seconds for good,
            # outside any block (`foundry serve`'s builds all over their budget from then
            # on). The pop is the first call once `mutex` is held (the watchdog sends
            # only holding it, so none is sent after); one arriving after it is taken
            # and the loop ends on its next round. What ended the block (the first OutOfTime,
            # another error) goes on as it was.
            while True:
                try:
                    with self.mutex:
                        deadline = self.deadlines.pop(tid, None)
                        if deadline is None or deadline.fired:   # fired: take it back if not yet delivered
                            _withdraw()
                    break
                except OutOfTime:
                    continue

    def _run(self) -> None:
        with self.lock:
            while True:
                now = time.monotonic()
                for tid, deadline in list(self.deadlines.items()):
                    used = _thread_cpu(tid) if deadline.cpu is not None else None
                    computed = used is not None and used >= deadline.cpu
                    if computed or deadline.wall <= now:
                        if not deadline.fired:
                            _FIRED[tid] = (f"ran longer than {deadline.seconds:g} CPU seconds" if computed or
                                           deadline.cpu is None else
                                           f"ran longer than {deadline.seconds * WALL_FACTOR:g} seconds without "
                                           "finishing")
                        # again every REFIRE seconds until the block ends: one may be caught (see _alarm)
                        deadline.fired = True
                        deadline.cpu = None if used is None else used + REFIRE
                        deadline.wall = now + REFIRE
                        _async_raise(tid, OutOfTime)
                if not self.deadlines:
                    self.lock.wait(3600)
                else:
                    soonest = min(d.wall for d in self.deadlines.values())
                    self.lock.wait(max(0.01, min(WATCH_EVERY, soonest - now)))


_WATCHDOG = _Watchdog()
_FIRED: dict[int, str] = {}   # thread id → why the watchdog stopped it (read by OutOfTime.__str__)


def _async_raise(tid: int, exc: type) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), ctypes.py_object(exc))


class _Withdrawn(BaseException):
    """Sent by a thread to itself in place of an OutOfTime not yet delivered, and taken
    at once (`_withdraw`)."""


def _withdraw() -> None:
    """Take back an OutOfTime the watchdog sent this thread that has not arrived yet, so
    that it cannot stop the code after the block. It is replaced by a `_Withdrawn`, which
    this thread takes in a loop (an async exception arrives at a loop's jump back).

    Not PyThreadState_SetAsyncExc(tid, NULL), the documented way to clear one: before
    CPython 3.13 that also sets the interpreter's "asynchronous exception pending" flag,
    which only a thread taking a real exception clears. Left set, the process ran on as
    before until a trace or profile function was installed (a debugger, coverage, a test
    counting lines with sys.settrace): then it spun for ever in the eval loop's pending
    handler, out of reach of any Python signal handler (the CI run that never ended)."""
    try:   # it may arrive as soon as the call returns
        _async_raise(threading.get_ident(), _Withdrawn)
        for _ in range(1_000_000):   # taken at the first jump back; the bound only guards against a change of CPython's
            pass
    except _Withdrawn:
        pass


# --- memory -----------------------------------------------------------------------------

@contextmanager
def memory_limit(extra: int | None = None) -> Iterator[None]:
    """Lower this process's address-space limit to what it uses now plus `extra`
    bytes for the block, then put the old limit back."""
    extra = render_memory() if extra is None else extra
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + extra
    if not limit or (hard != resource.RLIM_INFINITY and limit >= hard) or \
            (soft != resource.RLIM_INFINITY and limit >= soft):
        yield   # already as strict (or the size is unknown)
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def limit_memory_for_good(extra: int | None = None) -> None:
    """For a worker process that only renders: the limit stays until it exits."""
    extra = render_memory() if extra is None else extra
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _address_space() + extra
    if limit > extra and (hard == resource.RLIM_INFINITY or limit < hard) and \
            (soft == resource.RLIM_INFINITY or limit < soft):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    """This process's virtual size in bytes (Linux /proc), 0 when unknown."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


# --- values -----------------------------------------------------------------------------

def check_size(value: object) -> object:
    """`value` itself, if it is not a string or list longer than MAX_ITEMS."""
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_ITEMS:
        raise OutOfMemory(f"builds a value of {len(value):,} items; the limit is {MAX_ITEMS:,}")
    return value


def check_repeat(left: object, right: object) -> None:
    """Refuse `sequence * n` (either way round) whose result would pass MAX_ITEMS,
    before it is allocated."""
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_ITEMS:
        raise OutOfMemory(f"multiplies numbers of {left.bit_length() + right.bit_length():,} bits")
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_ITEMS:
            raise OutOfMemory(f"repeats {len(seq):,} items {n:,} times; the limit is {MAX_ITEMS:,} items")


def check_width(size: object, what: str = "pads to {} characters") -> None:
    """Refuse a text whose length `size` is known before it is made (a pad's width, a
    format's field) when it passes MAX_ITEMS: the value was refused once made, after
    taking up to the render's whole memory budget (`"x"|indent(1500000000)`, 1.5 GB of
    spaces for one letter out)."""
    if type(size) is int and size > MAX_ITEMS:
        raise OutOfMemory(f"{what.format(f'{size:,}')}; the limit is {MAX_ITEMS:,} items")


# One printf conversion (`%(key)-*.*s`), as Python's `str % values` reads it.
_PRINTF = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.)", re.DOTALL)
_TEXTUAL = frozenset("sra")


def check_printf(template: object, values: object) -> None:
    """Refuse `template % values` (the `%` of a template, its `format` filter) whose text
    would pass MAX_ITEMS, before Python writes it: the length is at least each field's
    width, a number's precision and a text's own length (`"%1500000000d" % 1`,
    `("%s" * 4000) % ((t,) * 4000)` grew to the memory limit first). Anything this
    cannot read (too few values, a key missing, a width that is no number) is left for
    Python to refuse as it would."""
    if not isinstance(template, str) or "%" not in template:
        return
    positional = list(values) if type(values) is tuple else [values]
    mapping = values if hasattr(values, "keys") and type(values) is not tuple else None
    size, taken = len(template), 0

    def next_value() -> object:
        nonlocal taken
        if taken >= len(positional):
            raise LookupError
        taken += 1
        return positional[taken - 1]
    try:
        for match in _PRINTF.finditer(template):
            key, width, precision, kind = match.groups()
            size -= len(match.group(0))
            if kind == "%":
                size += 1
                continue
            width = next_value() if width == "*" else int(width or 0)
            precision = next_value() if precision == "*" else int(precision) if precision else None
            value = mapping[key] if key is not None and mapping is not None else next_value()
            if type(width) is not int or (precision is not None and type(precision) is not int):
                return
            if kind in _TEXTUAL:
                text = len(value) if isinstance(value, str) else 0
                content = text if precision is None else min(text, max(precision, 0))
            else:
                content = precision or 0
            size += max(abs(width), content, 1 if kind == "c" else 0)
    except (LookupError, TypeError, ValueError):
        return
    check_width(size, "formats to {} characters")


# A format specification (`{:>1500000000}`, `{:.900000000f}`): [[fill]align][sign][z][#][0][width][,_][.precision][type]
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d+)?[,_]?(?:\.(\d+))?[a-zA-Z%]?", re.DOTALL)


def format_spec_width(value: object, spec: str) -> int:
    """The fewest characters `format(value, spec)` makes, by its spec alone: its width,
    a number's precision (0 for a spec this does not read)."""
    match = _SPEC.fullmatch(spec) if type(spec) is str else None
    if match is None:
        return 0
    width, precision = (int(part) if part else 0 for part in match.groups())
    return max(width, 0 if isinstance(value, str) else precision)


def check_format_spec(value: object, spec: str) -> None:
    """Refuse `format(value, spec)` (a field of `"…".format(…)`) whose text would pass
    MAX_ITEMS, before it is made: at least the spec's width, a number's precision."""
    check_width(format_spec_width(value, spec), "formats to {} characters")


def _replaced(text: str, old: object, new: object, count: object = -1) -> int:
    if not (isinstance(old, str) and isinstance(new, str) and type(count) is int):
        return 0
    found = text.count(old) if old else len(text) + 1
    return len(text) + (found if count < 0 else min(found, count)) * (len(new) - len(old))


def joined_size(items: object, separator: object = "") -> int:
    """The length of `separator.join(items)` (0 when `items` is no list or tuple of
    texts, or the separator no text: left for the join to refuse or make)."""
    if type(items) not in (list, tuple) or not isinstance(separator, str):
        return 0
    return sum(len(item) for item in items if isinstance(item, str)) + len(separator) * max(len(items) - 1, 0)


# The text methods a template may call whose result's length follows from their
# arguments: (text, arguments) -> that length, taken before the call.
_STR_SIZES = {
    "center": lambda text, width, *rest: width,
    "ljust": lambda text, width, *rest: width,
    "rjust": lambda text, width, *rest: width,
    "zfill": lambda text, width: width,
    "expandtabs": lambda text, tabsize=8: len(text) + text.count("\t") * tabsize if type(tabsize) is int else 0,
    "replace": _replaced,
    "join": lambda text, items: joined_size(items, text),
}


SIZED_METHODS = frozenset(_STR_SIZES)


def check_str_method(text: str, name: str, args: tuple, kwargs: dict) -> None:
    """Refuse `text.name(*args, **kwargs)` (`.ljust(1500000000)`, `.expandtabs(…)`,
    `.replace("", big)`) whose result would pass MAX_ITEMS, before it is made. A call
    this cannot read (wrong arguments) is left for Python to refuse as it would."""
    sized = _STR_SIZES.get(name)
    if sized is None:
        return
    try:
        size = sized(text, *args, **kwargs)
    except TypeError:
        return
    check_width(size, "makes a text of {} characters" if name in ("replace", "expandtabs", "join") else "pads to {} characters")


def check_power(base: object, exponent: object) -> None:
    """Refuse integer powers with more than about MAX_ITEMS bits (10 ** 10 ** 9 would
    compute for hours)."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if exponent * abs(base).bit_length() > MAX_ITEMS:
            raise OutOfMemory(f"computes a number of about {exponent * abs(base).bit_length():,} bits")
