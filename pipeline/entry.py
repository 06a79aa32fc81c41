"""The `foundry` entry point, kept tiny so that Ctrl-C at any moment — even while the
command's modules are still being imported — ends with one line and exit status 130,
never a traceback."""

from __future__ import annotations

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
        from .cli import main as cli_main
        cli_main()
    except KeyboardInterrupt:
        interrupted()
