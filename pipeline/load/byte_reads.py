"""Which renders read an entity file's bytes, not only its value.

An entity's outputs are keyed by the digest of its value (load/documents.py
`Document.value`: its data, body and positions), so a comment or other edit that
changes no value re-renders nothing that shows it (salsa's "early cutoff"). A few
renders read the file itself: the manifest's `content_hash` (its sha256), a book
placing a diagnostic by searching the file's text, a localized view reading the
line-id markers a translator's tool wrote into it. Those must still be stale after
any change of the bytes, so each such read is recorded as it happens, under the
key `file:<path>` (World.input_hashes: the file's sha256), into the reads of the
render (or list row) that is running: SourceFile.text and .lines and Entry.sha256
call `note`. Recorded where the bytes are touched, not listed by hand per exporter,
so a new reader of the bytes cannot be forgotten.

One stack per thread: renders run one at a time in a thread (render/pool.py), a
list row's render inside its list's (render/fragments.py); another thread of the
process (the parse cache's saver, `foundry serve`'s watcher) never writes into a
render's reads. What the builder itself reads outside any render (hashing, loading)
is recorded nowhere.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from sys import intern

# per thread, the reads of the renders running, innermost last; None: nothing is
# recorded (an unchanged hero's entry decoded inside a render: resolve/world.py
# `_materialise`)
_LOCAL = threading.local()


def _stack() -> list:
    stack = getattr(_LOCAL, "stack", None)
    if stack is None:
        stack = _LOCAL.stack = []
    return stack


def key(path: str) -> str:
    """The input key of the bytes of the file at `path` (POSIX, under the root)."""
    return intern("file:" + path)


def note(path: str) -> None:
    """The running render read the bytes of the file at `path`."""
    stack = _stack()
    if stack:
        reads = stack[-1]
        if reads is not None:
            reads.add(key(path))


@contextmanager
def watching(reads):
    """Record each file's bytes read while the block runs into `reads` (a set)."""
    stack = _stack()
    stack.append(reads)
    try:
        yield reads
    finally:
        stack.pop()


@contextmanager
def unwatched():
    """Record nothing while the block runs: what it reads of a file is not what the
    render shows (an entry decoded from its parse, the same value its key names)."""
    stack = _stack()
    stack.append(None)
    try:
        yield
    finally:
        stack.pop()
