"""The engine kept in memory by `foundry serve` between saves.

A CLI build starts from nothing each time: it reads the build state from disk, loads
and resolves the whole World (the parse cache spares the YAML parsing only), hashes
every output file it keeps, links every one of them into a fresh tree and swaps it in.
`foundry serve` runs the same build, with what the last run left in memory:

- the memo table of queries (pipeline/queries.py): each file's document and entry,
  each hero's sheet, each story's analysis, remembered under a fingerprint of exactly
  what the function was handed, so a save re-parses and re-validates the changed
  files, recomputes the sheets and analyses that read them, and nothing else;
- the build state it wrote, instead of reading and unsealing state.json again;
- what each output file looked like when it was written or last checked (its stat:
  inode, size, modification and change time), so a file nobody touched since is not
  read and hashed again; a file that was touched is hashed as a CLI build does;
- build/ changed in place (write/in_place.py): only the files that changed are
  written, each atomically, the rest are left where they are.

What it does not keep is decided the CLI's way on every save: the plan, the input
hashes and which artifacts are stale (render/tracking.py's recorded reads), so the
bytes and the build state are those of a CLI build of the same files (the resident
property test compares them with a clean build after every edit). A build that fails
or stops at an error keeps nothing new: the next save starts from the last good one.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostics
from ..queries import Queries
from ..write.in_place import InPlace
from ..write.state import STATE_FILE, BuildState, Record, intact, read_state
from .builder import BuildReport, build


def _signature(path: Path) -> tuple[int, ...] | None:
    """What changes whenever a file's bytes are written or it is replaced: its inode,
    size, modification and change time (ns); None when it is not a regular file."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if (st.st_mode & 0o170000) != 0o100000:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class Resident:
    """One project's engine, kept between builds by `foundry serve` (one build at a
    time: the serve's rebuilder holds a lock around `build`)."""

    def __init__(self, root: Path, outputs: list[str]):
        self.root, self.outputs = root, outputs
        self.queries = Queries()
        self._state: BuildState | None = None      # the state of the build/ this engine last wrote
        self._seen: dict[str, tuple[int, ...]] = {}  # artifact path → signature of the bytes its record names
        self._writer: InPlace | None = None
        self.changed: list[str] = []    # build/ paths the last build wrote or removed (what pages reload for)

    def build(self, diags: Diagnostics) -> BuildReport:
        """One build of the working tree, as `foundry build --only <outputs>` would make it."""
        self._writer = None
        self.queries.asked, self.queries.computed = {}, {}   # a no-op build asks nothing
        report = build(self.root, diags, self.outputs, resident=self)
        writer = self._writer
        if writer is not None and writer.failed:
            self.forget()     # build/ was left half-changed: the next build checks every file again
        if not report.ok:
            self.changed = []
        elif writer is not None:     # in place: only files whose bytes changed were written
            self.changed = sorted(set(writer.written) | set(writer.deleted))
        else:
            self.changed = sorted(set(report.written) | set(report.removed))
        return report

    # -- the builder's hooks (engine/builder.py) ---------------------------------------

    def previous(self, build_dir: Path) -> BuildState:
        """The state of build/ as this engine left it, else as read from disk."""
        # a CLI build run meanwhile (between saves) wrote another state: start from disk
        if self._state is not None and InPlace.usable(build_dir) \
                and _signature(build_dir / STATE_FILE) == self._seen.get(STATE_FILE):
            return self._state
        self.forget()
        return read_state(build_dir)

    def intact(self, build_dir: Path, rel: str, record: Record) -> bool:
        """write/state.py's `intact`, answered from memory for a file whose stat has not
        changed since this engine wrote or checked it."""
        path = build_dir / rel
        known = self._seen.get(rel)
        if known is not None and known == _signature(path) and self._state is not None \
                and self._state.artifacts.get(rel) == record:
            return True
        if not intact(build_dir, rel, record):
            return False
        signature = _signature(path)
        if signature is not None:
            self._seen[rel] = signature
        return True

    def staging(self, root: Path, build_dir: Path, previous: BuildState):
        """Changes to build/ in place once this engine has written it; None (a staged
        tree, as the CLI makes) for the first build or a build/ that is not a folder."""
        if self._state is None or not InPlace.usable(build_dir):
            return None
        self._writer = InPlace(root, build_dir, set(previous.artifacts))
        return self._writer

    def done(self, state: BuildState) -> None:
        """The build committed `state`: keep it, and the signatures of the files it wrote."""
        build_dir = self.root / "build"
        # Every artifact of `state` was written by this build or found intact by it, so
        # the files as they stand now are the ones the records name.
        if self._writer is None:      # a whole new tree was swapped in
            touched = state.artifacts
            self._seen = {}
        else:
            touched = self._writer.written
            for rel in self._writer.deleted:
                self._seen.pop(rel, None)
        for rel in touched:
            signature = _signature(build_dir / rel)
            if signature is not None and rel in state.artifacts:
                self._seen[rel] = signature
            else:
                self._seen.pop(rel, None)
        self._seen[STATE_FILE] = _signature(build_dir / STATE_FILE)
        self._state = state

    def forget(self) -> None:
        """Trust nothing kept about build/ (it was changed by someone else, or a write failed)."""
        self._state, self._seen = None, {}
