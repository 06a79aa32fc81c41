"""A warm start for `foundry` runs in tests: the same command, in a process of its own,
without paying for Python's start-up and the pipeline's imports each time.

Why: `python -m pipeline` spends about 1.5 CPU-seconds starting the interpreter and
importing the CLI's modules before it reads an argument, and the suite runs the
command hundreds of times on two cores — minutes of the suite's budget went to
imports. Here a server process (a "zygote") imports `pipeline.cli` once, as
`python -m pipeline` does from the repository, and forks a fresh child for each run.
The zygote imports every other module of the pipeline too (~950 modules, ~2 CPU-s
once per zygote): a `check` would otherwise import some 400 of them again in every
run (the builder, pydantic, Markdown, Jinja, WeasyPrint for a PDF), ~1 CPU-s each
time. Importing a module runs only its top level, which reads no environment, working
directory or project (the pipeline's modules read those when called), so a run sees
the same modules it would have imported itself. The imported objects are then frozen
out of the garbage collector (gc.freeze): a forked run that collects them at exit
writes to every page of the zygote's memory and copies it (0.5 CPU-s per run);
frozen, they are shared until the run changes them, and the run's own objects are
collected as before.

Before it freezes them, the zygote builds the minimal project's JSON and site once (in a
temporary folder it then removes). That fills the pipeline's in-memory memos as one
build of a process fills them for the next: the theme's compiled templates
(exporters/html/theme.py COMPILED), the parsed template texts the splice and closure
checks read, the compiled theme words and their Translations, the parsed expressions,
the URL splits, the template trees and splice answers by the kind of environment
(sandbox.py parses_alike, splice.py), the shipped theme's files kept by their stat
(load/hash_memo.py KEPT). Each is keyed by the content it was computed from (a
template's checksum, an expression's text, a settled file's stat) and is what `foundry serve`'s second save already relies on, so it can change no
output; a cold process computes the same values itself. Measured through this module
(24 runs each way, load 9): a `build --only json,html` of the minimal project 0.84 ->
0.69 CPU-s a run, the warm-up ~0.6 CPU-s a zygote.
It then checks that project once more: a `check` plans every output, the books too, and
judging the shipped print theme (the addresses its files write, theme_addresses.py's
memo by the files' digest; the images inside them and the constants its templates fold,
template_constants.py's memos by the template's text) was most of a `check`, paid
again by every run whose print theme is the shipped one: every `check`, `l10n extract`,
`import` and every build that plans a book (`build --only json,html` plans none). Measured through this module (time's user+sys of 1 and of 21 `check`
runs of the minimal project, zygotes' start included, load 15): 0.71 -> 0.46 CPU-s a
run, ~0.3 CPU-s more warm-up a zygote. Since the package holds the shipped theme's
judgement (books/judged.py SHIPPED) a check reads that instead of judging, and the
memos by text were left empty: the zygote judges the shipped theme's files as a
project's own, so a project whose print theme differs in a file (most of
tests/publishing/test_input_budgets.py's) has its other files' templates parsed,
constants folded and HTML read from those memos; what differs, and what reads the theme
whole (the addresses by the files' digest), is judged afresh, as in a cold run.
It also parses WeasyPrint's hyphenation patterns for English and German (pyphen's
`hdcache`, by the package file's path): every run making a PDF parsed them itself
(measured: six German `build --only pdf` runs of the minimal project through this
module, two zygotes' start included, 15.2 -> 14.6 CPU-s; ~0.45 CPU-s more warm-up a zygote).
The per-project memos a build keeps (the resolved folders of confine.py, the seal's
key by file) are dropped again, and the warm-up leaves no thread, signal handler,
limit, umask, working directory or variable behind (checked once when this was
written: only modules imported later by a build were added).

What a run sees is what `python -m pipeline ARGS` sees: its own process (exit status,
signals, atexit handlers and interpreter shutdown are its own), its own working
directory, exactly the environment the caller passes (os.environ is replaced, so
child tools inherit it too), stdin/stdout/stderr on real file descriptors that are
not terminals, `sys.argv[0]` the path of pipeline/__main__.py, `sys.path[0]` the
working directory, and `pipeline/__main__.py` executed as `__main__` by runpy, as -m
does. What differs is only what the interpreter fixes at start-up, so a run goes to a
cold `python -m pipeline` whenever that could matter (see `needs_cold_start`):
- a PYTHON* variable differs from the zygote's (PYTHONHASHSEED, PYTHONPATH…);
- the working directory holds a `pipeline` package of its own (a copy of the tool).
A run's exit does what CPython's own shutdown does that a run can see, in its order:
non-daemon threads joined, atexit handlers run (multiprocessing's pools, weakref
finalizers, tempfile's), the run's own garbage finalised, stdout and stderr flushed
(status 120 when that fails), SystemExit's code as the status. It then leaves with
os._exit rather than freeing the modules it shares with the zygote: that teardown
wrote every page of the zygote's heap, copying it only to throw it away (0.067 CPU-s a
run, 0.047 of it the kernel's, against 0.005; tests/l10n/test_l10n.py 43.3 -> 37.7
CPU-s). An uncaught exception or Ctrl-C ends the ordinary way, traceback and all.
Two zygotes started apart have different hash seeds, and runs alternate between them:
two consecutive runs (a build and its rebuild, compared byte for byte) always run
under different seeds, as two cold processes would — set or dict order leaking into
an output still shows up as a difference.

Under pytest-xdist the controller starts the two zygotes and every worker uses them
(conftest.py, `start_shared`): each of five workers started its own pair, ~21 CPU-s of
imports and warm-up builds repeated on two cores. A worker whose Python settings differ
from the controller's starts its own.

FOUNDRY_TEST_COLD_START=1 in the environment turns the warm start off (every run a
cold `python -m pipeline`), to compare or to rule it out.
"""

from __future__ import annotations

import atexit
import itertools
import json
import locale
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZYGOTES = 2
_HEADER = struct.Struct("!Q")

# The zygote: imports what `python -m pipeline` imports before reading its arguments,
# then serves one connection per run. For each, a helper child receives the caller's
# descriptors and request, forks the run itself, waits for it and reports its status.
# The run returns out of serve() and executes at the top level of the script, so its
# exit is an ordinary interpreter exit (atexit handlers, flushing, non-daemon threads).
_ZYGOTE = r'''
import json, os, runpy, select, socket, struct, sys
sys.path[0] = os.getcwd()                       # as `python -m` started in this directory
import pipeline.entry, pipeline.cli             # what pipeline/__main__.py imports first
import gc, importlib, pkgutil
for found in pkgutil.walk_packages(pipeline.__path__, "pipeline."):   # what the runs import later
    if not found.name.endswith("__main__"):     # __main__ would run the command
        try:
            importlib.import_module(found.name)
        except Exception:                       # a run that needs it fails importing it, as a cold one does
            pass
import shutil, tempfile                         # one build of the minimal project: see the docstring
from pathlib import Path
_warm = tempfile.mkdtemp(prefix="foundry-zygote-")
try:
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build, check
    shutil.copytree(os.path.join("tests", "roots", "minimal"), os.path.join(_warm, "world"))
    build(Path(_warm, "world"), Diagnostics(), ["json", "html"], workers=1)
    check(Path(_warm, "world"), Diagnostics())  # plans the books: the shipped print theme's judgement
    # that judgement is the package's own (books/judged.py SHIPPED): made here as a project's
    # own print theme is, it fills the memos by text its judging of a project's reads
    from pipeline.exporters.books.judged import judge
    from pipeline.exporters.books.theme import shipped_print_files
    judge(shipped_print_files())
    # WeasyPrint's hyphenation patterns (pyphen's parse of a package file, cached by its
    # path for the process: hdcache) for the languages the suite's books are mostly in:
    # each PDF-building run parsed them again, English 0.05 and German 0.39 CPU-s
    import pyphen
    for lang in ("en", "de"):
        pyphen.Pyphen(lang=lang)
except Exception:                               # a run meets the same fault itself
    pass
finally:
    shutil.rmtree(_warm, ignore_errors=True)
import pipeline.confine, pipeline.seal
pipeline.confine.forget()                       # what a run's own build starts with anyway
pipeline.seal._keys.clear()                     # a run reads its key file itself, from its own environment
pipeline.seal._answered.clear()                  # and what git said of where it lies
del _warm, Path, Diagnostics, build, check
gc.collect()
gc.freeze()                                     # shared with every run, never collected by one
HEADER = struct.Struct("!Q")

def read_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data

def serve(path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        # stdin is a pipe from the test process: at its end (the test process exited,
        # even without running its atexit handlers, as pytest-xdist workers do) quit too.
        ready, _, _ = select.select([listener, sys.stdin], [], [])
        conn = listener.accept()[0] if listener in ready else None
        first = conn.recv(1) if conn is not None else b"q"
        if first == b"q":                        # quit, once every run has ended
            try:
                while True:
                    os.wait()
            except ChildProcessError:
                os._exit(0)
        if first != b"r":                        # a look whether it is up (warm_start._Attached)
            conn.close()
            continue
        try:                                     # reap finished helpers
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if os.fork():
            conn.close()
            continue
        # The helper.
        listener.close()
        head, fds, _, _ = socket.recv_fds(conn, HEADER.size, 3)
        request = json.loads(read_exactly(conn, HEADER.unpack(head)[0]))
        sys.stdout.flush(); sys.stderr.flush()
        run = os.fork()
        if run == 0:
            conn.close()
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            return request
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(run, 0)
        conn.sendall(HEADER.pack(os.waitstatus_to_exitcode(status) & 0xFFFFFFFFFFFFFFFF))
        conn.close()
        os._exit(0)

request = serve(sys.argv[1])
del serve
# The one value a module draws at import: the seal's per-process key (used when no key
# file can be). A cold run draws its own, so each run must, or runs forked from one
# zygote would trust each other's caches sealed with it.
import pipeline.seal, secrets
pipeline.seal._ephemeral = secrets.token_bytes(pipeline.seal.KEY_BYTES)
os.chdir(request["cwd"])
os.environ.clear()
os.environ.update(request["env"])
import time
time.tzset()
sys.path[0] = os.getcwd()
sys.argv = [request["main"], *request["args"]]

def finish(status):
    # Py_FinalizeEx's steps a run can see, in its order (threads joined, atexit
    # handlers, the run's garbage finalised, stdout and stderr flushed: 120 when that
    # fails), then the exit, without tearing down the modules it shares with the zygote.
    import atexit, threading
    threading._shutdown()
    atexit._run_exitfuncs()
    gc.collect()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except Exception:
            status = 120
    os._exit(status)

# Anything else raised (an uncaught exception, Ctrl-C) ends the ordinary way: a traceback
# and the interpreter's own shutdown, as in a cold run.
try:
    runpy.run_module("pipeline", run_name="__main__", alter_sys=True)
except SystemExit as stop:                      # what CPython's handle_system_exit does with it
    if stop.code is None:
        finish(0)
    if isinstance(stop.code, int):
        finish(stop.code & 0xFF)
    try:
        sys.stderr.write(f"{stop.code}\n")
    except Exception:
        pass
    finish(1)
finish(0)
'''


class _Zygote:
    def __init__(self, folder: Path, index: int, env: dict, wait: bool = True) -> None:
        self.path = str(folder / f"z{index}")
        self.proc = subprocess.Popen([sys.executable, "-c", _ZYGOTE, self.path], cwd=REPO, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if wait:
            self.ready()

    def ready(self) -> None:
        if self.proc.stdout.readline().strip() != "ready":
            raise RuntimeError("the warm-start server for foundry did not start")

    def run(self, args: list[str], cwd: Path, env: dict, input: str | None, timeout: float) -> tuple[int, bytes, bytes]:
        with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            if input is not None:
                stdin.write(input.encode(locale.getpreferredencoding(False)))
                stdin.seek(0)
            request = json.dumps({"args": args, "cwd": os.path.abspath(cwd), "env": env,
                                  "main": str(REPO / "pipeline" / "__main__.py")}).encode()
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(timeout)
                conn.connect(self.path)
                conn.sendall(b"r")
                if input is None:
                    with open(os.devnull, "rb") as null:
                        socket.send_fds(conn, [_HEADER.pack(len(request))], [null.fileno(), out.fileno(), err.fileno()])
                else:
                    socket.send_fds(conn, [_HEADER.pack(len(request))], [stdin.fileno(), out.fileno(), err.fileno()])
                conn.sendall(request)
                reply = b""
                while len(reply) < _HEADER.size:
                    chunk = conn.recv(_HEADER.size - len(reply))
                    if not chunk:
                        raise RuntimeError("the warm-start server for foundry went away")
                    reply += chunk
            code = _HEADER.unpack(reply)[0]
            code = code - (1 << 64) if code >= 1 << 63 else code
            out.seek(0)
            err.seek(0)
            return code, out.read(), err.read()

    def close(self) -> None:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(self.path)
                conn.sendall(b"q")
            self.proc.wait(timeout=600)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


class _Attached(_Zygote):
    """A zygote another process started (`start_shared`): used, never stopped, here."""

    def __init__(self, path: str) -> None:
        self.path = path

    def ready(self, timeout: float = 300) -> bool:
        """Whether it takes connections (waited for: it may still be importing)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                try:
                    conn.connect(self.path)   # a connection that sends nothing is let go by the zygote
                    return True
                except (FileNotFoundError, ConnectionRefusedError):
                    time.sleep(0.05)
        return False

    def close(self) -> None:
        pass


SHARED = "FOUNDRY_TEST_ZYGOTES"   # the folder of the zygotes pytest-xdist's controller started


def start_shared() -> "_Shared":
    """The zygotes for every pytest-xdist worker of this run, started by the controller
    (not waited for: the workers wait, while they collect). Each worker otherwise
    started two of its own, ~2.6 CPU-s each (imports and the warm-up build): ~21 CPU-s
    of a two-core run's start spent ten times over for five workers. A zygote serves
    many runs at once (a helper forked per connection), and quits when the controller's
    end of its stdin closes. The workers find the folder in the environment they
    inherit, and the environment the zygotes started with in it: a worker whose Python
    settings differ starts its own."""
    return _Shared()


class _Shared:
    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="foundry-warm-")
        env = {**os.environ}
        (Path(self.folder.name) / "env.json").write_text(json.dumps(env))
        self.zygotes = [_Zygote(Path(self.folder.name), i, env, wait=False) for i in range(ZYGOTES)]
        os.environ[SHARED] = self.folder.name

    def close(self) -> None:
        os.environ.pop(SHARED, None)
        for zygote in self.zygotes:
            zygote.close()
        self.folder.cleanup()


def _attach() -> tuple[dict, list[_Zygote]] | None:
    """The zygotes the controller started and their environment, when this process may
    use them: its Python settings are theirs, and they answer."""
    folder = os.environ.get(SHARED)
    if not folder:
        return None
    try:
        env = json.loads((Path(folder) / "env.json").read_text())
    except (OSError, ValueError):
        return None
    mine = {k: v for k, v in os.environ.items() if k.startswith("PYTHON")}
    if mine != {k: v for k, v in env.items() if k.startswith("PYTHON")}:
        return None
    zygotes = [_Attached(str(Path(folder) / f"z{i}")) for i in range(ZYGOTES)]
    return (env, zygotes) if all(z.ready() for z in zygotes) else None


class _Pool:
    """The zygotes of this test process: the controller's (`start_shared`), or its
    own, started on first use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.zygotes: list[_Zygote] = []
        self.turn = itertools.count()
        self.folder: tempfile.TemporaryDirectory | None = None
        self.env: dict | None = None

    def start_env(self) -> dict:
        """The environment the zygotes start (started) with: the controller's, or this
        process's at first use."""
        with self.lock:
            self._start()
            return self.env

    def next(self) -> _Zygote:
        with self.lock:
            self._start()
            if not self.zygotes:
                self.folder = tempfile.TemporaryDirectory(prefix="foundry-warm-")
                self.zygotes = [_Zygote(Path(self.folder.name), i, self.env) for i in range(ZYGOTES)]
                atexit.register(self.close)
            return self.zygotes[next(self.turn) % len(self.zygotes)]

    def _start(self) -> None:
        if self.env is None:
            shared = _attach()
            self.env, self.zygotes = shared if shared is not None else ({**os.environ}, [])

    def close(self) -> None:
        for zygote in self.zygotes:
            zygote.close()
        self.zygotes = []
        if self.folder is not None:
            self.folder.cleanup()


_POOL = _Pool()


def needs_cold_start(cwd: Path, env: dict) -> bool:
    """True when a warm run could differ from `python -m pipeline` (see the module's
    docstring): the interpreter's own settings differ, or the working directory would
    put another copy of `pipeline` first on the import path."""
    if os.environ.get("FOUNDRY_TEST_COLD_START"):
        return True
    started = _POOL.start_env()
    python_vars = {k for k in {**env, **started} if k.startswith("PYTHON")}
    if any(env.get(k) != started.get(k) for k in python_vars):
        return True
    return Path(cwd).resolve() != REPO and (Path(cwd) / "pipeline").exists()


def _text(data: bytes) -> str:
    # What subprocess.run(text=True) does: the locale's encoding, universal newlines.
    return data.decode(locale.getpreferredencoding(False)).replace("\r\n", "\n").replace("\r", "\n")


def run_foundry(args: list[str], cwd: Path, env: dict, input: str | None, timeout: float = 600) -> tuple[int, str, str]:
    """Run `python -m pipeline ARGS` in `cwd` with exactly `env`; (exit status, stdout,
    stderr) as text, as subprocess.run(..., text=True) returns them."""
    if needs_cold_start(cwd, env):
        proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                              env=env, input=input, timeout=timeout)
        return proc.returncode, proc.stdout, proc.stderr
    code, out, err = _POOL.next().run(list(args), Path(cwd), env, input, timeout)
    return code, _text(out), _text(err)
