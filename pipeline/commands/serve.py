"""`foundry serve`: live preview on localhost."""

from __future__ import annotations

import errno
import os
import urllib.parse
import signal
import sys
import threading

import click

from ..cli import EXIT_OK, EXIT_TOOL, WholeProject, cli, guarded, output_names, project_option, project_root
from ..serve.server import LiveState, Rebuilder, make_server, watch, watch_outputs
from ..console.terminal import echo
from ..engine.builder import BUILD_DIR
from ..write.state import sealed

PREVIEW_OUTPUTS = ["html", "json"]
STOP_PATIENCE = 3.0   # seconds Ctrl-C waits for a build in flight before leaving without it


def _listen_hint(exc: OSError, port: int) -> str:
    """What to do when the server cannot listen: another program on the port (a
    `foundry serve` left running in another terminal), a port below 1024, an address
    this machine does not have."""
    other = 8001 if port == 8000 else 8000
    if exc.errno == errno.EADDRINUSE:
        return (f"Another program is using port {port} (a `foundry serve` still running in another terminal?): "
                f"stop it, or serve on another port, `foundry serve --port {other}` (`--port 0` picks a free one).")
    if exc.errno == errno.EACCES:
        return f"Ports below 1024 need administrator rights: serve on another, `foundry serve --port {other}`."
    return "Check the --host address (127.0.0.1 serves this machine alone) and the --port."


@cli.command("serve", cls=WholeProject)
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (localhost only by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--with", "extra", default=None, help="Also rebuild these slow outputs on change, e.g. pdf,epub.")
@guarded
def serve_cmd(project: str | None, host: str, port: int, extra: str | None) -> None:
    """Build, serve build/site, rebuild on every change and reload the open pages."""
    if not host.strip():   # an unset shell variable: the server would listen on every address
        raise click.BadParameter("'' is no address: it would listen on every one, not on localhost only; "
                                 "write --host 0.0.0.0 if that is meant", param_hint="--host")
    # an unknown name was never rebuilt, without a word (build's --only refuses it)
    # (`--with ""`, an unset shell variable, is refused as build's `--only ""` is, not taken for none)
    extra_outputs = output_names(extra, "--with") or []
    _stoppable_by_ctrl_c()
    root = project_root(project)
    outputs = list(dict.fromkeys(PREVIEW_OUTPUTS + (extra_outputs or [])))
    state = LiveState()
    # listening first: a port in use was said only after the whole first build
    try:
        server = make_server(root, host, port, state)
    except OSError as exc:
        echo(f"foundry serve: cannot listen on {host}:{port}: {exc.strerror}. {_listen_hint(exc, port)}", err=True)
        sys.exit(EXIT_TOOL)
    rebuilder = Rebuilder(root, outputs, state, lambda m: echo(m, err=True))
    rebuilder.run("first build")
    # a failed first build still serves the last good one, when this machine made it
    state.trusted = state.trusted or sealed(root / BUILD_DIR)
    stop, ready = threading.Event(), threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    watcher = threading.Thread(target=watch, args=(root, rebuilder, stop, ready), daemon=True)
    watcher.start()
    # build/ too (kept outputs need no stat when nothing touched them, engine/resident.py)
    threading.Thread(target=watch_outputs, args=(root, rebuilder, stop), daemon=True).start()
    ready.wait(30)
    signal.signal(signal.SIGTERM, _stop_as_ctrl_c(os.getpid()))
    try:
        # at the base path the host will serve the site at (project.base_url's), so that
        # the 404 page's links, which start with it, work in the preview too. Said within
        # the `try`: a Ctrl-C as soon as the address shows stops as any other does
        # ("Stopping.", exit 0), not with "Interrupted." and 130 (a test, stop 47's run)
        echo(f"Serving at http://{host}:{server.server_address[1]}{urllib.parse.quote(state.base)} "
             "— press Ctrl-C to stop", err=True)
        while watcher.is_alive():
            watcher.join(0.5)
    except KeyboardInterrupt:
        echo("Stopping.", err=True)
    finally:
        stop.set()
        # bounded: shutdown() waits for the serving loop, which a stuck request could hold
        closer = threading.Thread(target=lambda: (server.shutdown(), server.server_close()), daemon=True)
        closer.start()
        closer.join(STOP_PATIENCE)
    watcher.join(STOP_PATIENCE)
    if not watcher.is_alive():
        rebuilder.flush(leaving=True)   # the last save's build state, if it waits (engine/resident.py)
    if watcher.is_alive() or closer.is_alive():
        # A build is in flight (at 10,000 heroes a catch-up build takes minutes): Ctrl-C
        # must not wait for it, and interpreter shutdown would (its render pool and
        # thread pools are joined at exit). Leaving now is safe: build/ changes in place
        # only after a build succeeds, every output is checked against its record by the
        # next build, and the kernel releases the build lock with the process.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_OK)
    sys.exit(EXIT_OK)


def _stoppable_by_ctrl_c() -> None:
    """SIGINT stops the server as Ctrl-C does, however it was started. A shell running
    `foundry serve &` without job control (a script, a Makefile, CI) starts it with
    SIGINT ignored, and Python then keeps SIG_IGN instead of raising KeyboardInterrupt:
    Ctrl-C and `kill -INT` did nothing, and only SIGKILL (losing the deferred build
    state) stopped it. A parent may also pass SIGINT or SIGTERM blocked."""
    if signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, signal.SIG_DFL, None):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _stop_as_ctrl_c(server_pid: int):
    """A SIGTERM handler: a service manager's stop (systemd, a container, `kill`) leaves
    as Ctrl-C does — the watcher stopped, the last save's deferred build state written —
    instead of dying with it unwritten (the next build would then check everything:
    minutes at 10,000 heroes). A render or parse worker forked later inherits the
    handler; there SIGTERM means "stop now" (a pool stopping its workers), so it dies
    as it would have without one."""
    def handler(signum, frame):
        if os.getpid() != server_pid:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise KeyboardInterrupt
    return handler
