"""What one operation asks once. Within `one_run` (a check, a build, each build of
`foundry serve`: the command line and the builder open it) a question `per_run` marks
is answered the first time it is asked and that answer is given again: the machine's
fonts (fontconfig.py: a check asked four times), the print theme (books/theme.py: the
PDF's plan and the EPUB's). Outside any run it is asked afresh each time, so a
long-lived process sees what changed between two operations. Runs nest: the
outermost's answers hold. Light on purpose: a no-op build imports it."""

from __future__ import annotations

import contextlib
import functools
from typing import Iterator

# How deep in a run, and its answers by (question, its arguments' ids) with the
# arguments themselves (held, so no id is another object's while the run lasts).
_run: list = [0, {}]


@contextlib.contextmanager
def one_run() -> Iterator[None]:
    """Within it, each `per_run` question is asked once for the same arguments."""
    _run[0] += 1
    try:
        yield
    finally:
        _run[0] -= 1
        if not _run[0]:
            _run[1] = {}


def per_run(question):
    """`question(*args)`'s answer, asked once within `one_run` for the same argument
    objects (by identity: one project loaded twice is asked twice); afresh outside it.
    For questions whose answer is a value nobody changes (a frozen dataclass)."""
    @functools.wraps(question)
    def asked(*args):
        if not _run[0]:
            return question(*args)
        key = (question, *map(id, args))
        if key not in _run[1]:
            _run[1][key] = (question(*args), args)
        return _run[1][key][0]
    return asked
