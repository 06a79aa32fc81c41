"""The `foundry` entry point, kept tiny so that Ctrl-C at any moment — even while the
command's modules are still being imported — ends with one line and exit status 130,
never a traceback; and SIGTERM (a CI job cancelled, a container stopped, `kill`,
`timeout`) ends as tidily, with 143."""

from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = 130
TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in foundry's own process as Ctrl-C is: every `with` and `finally`
    on the way out runs, as for Ctrl-C. SIGTERM's default (death on the spot) left a
    `--ref` build's or `foundry diff`'s copy of a revision (the whole project's inputs)
    in the temporary folder for ever, one per cancelled run, and the build's staging
    folder in the project for the next build to clear."""


def _terminate(owner: int):
    def handler(signum, frame):
        if os.getpid() != owner:
            # a forked worker: SIGTERM is how its pool stops it (render/pool.py,
            # load/workers.py), so it dies as it would have without a handler
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if not getattr(handler, "raised", False):   # once: a second leaves the cleaning-up be
            handler.raised = True
            raise Terminated
    return handler


def interrupted() -> None:
    """Say so in one line and leave with 130 (128 + SIGINT, the shell's convention),
    or "Terminated." and 143 when SIGTERM was the cause (`Terminated`). A second
    Ctrl-C while saying it is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    term = isinstance(sys.exc_info()[1], Terminated)
    try:
        sys.stderr.write("Terminated.\n" if term else "Interrupted.\n")
        sys.stderr.flush()
    finally:
        sys.exit(TERMINATED if term else INTERRUPTED)


def main() -> None:
    try:
        # not when a parent left SIGTERM ignored (nohup-like runs): that is its choice
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _terminate(os.getpid()))
        # Pydantic looks for plugins (the `pydantic` entry points of every installed package)
        # when it builds its first model: reading every installed distribution's entry points
        # took ~30 CPU-ms of every `foundry` start. Foundry's models are its own and no plugin
        # observes them; a PYDANTIC_DISABLE_PLUGINS the user set wins.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        from .cli import main as cli_main
        cli_main()
    except KeyboardInterrupt:
        interrupted()
