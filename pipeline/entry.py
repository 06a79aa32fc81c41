"""The `foundry` entry point, kept tiny so that Ctrl-C at any moment — even while the
command's modules are still being imported — ends with one line and exit status 130,
never a traceback."""

from __future__ import annotations

import os
import signal
import sys

INTERRUPTED = 130


def interrupted() -> None:
    """Say so in one line and leave with 130 (128 + SIGINT, the shell's convention).
    A second Ctrl-C while saying it is ignored."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        sys.stderr.write("Interrupted.\n")
        sys.stderr.flush()
    finally:
        sys.exit(INTERRUPTED)


def main() -> None:
    try:
        # Pydantic looks for plugins (the `pydantic` entry points of every installed package)
        # when it builds its first model: reading every installed distribution's entry points
        # took ~30 CPU-ms of every `foundry` start. Foundry's models are its own and no plugin
        # observes them; a PYDANTIC_DISABLE_PLUGINS the user set wins.
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
        from .cli import main as cli_main
        cli_main()
    except KeyboardInterrupt:
        interrupted()
