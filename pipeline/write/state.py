"""What each artifact in build/ was made from: the inputs its render actually read,
with their content hashes. Hashes, never mtimes (a git checkout resets mtimes); JSON,
never pickle (a cache file must not be able to run code). Each artifact keeps the keys
it read and one digest over their hashes: enough to tell whether any of them changed,
at a tenth of the size of a hash per key (10,000 pages read ~200,000 keys). A missing or corrupt state
means "rebuild everything", never a crash and never trusting a half-written file.

build/ can arrive in a checkout (a pull request can commit one), so nothing in it is
trusted: the state and the summary are sealed with this user's key (pipeline/seal.py)
and ignored when the seal does not verify; each record keeps the sha256 of the bytes
written, and an output is carried into the next build only when it is still a regular
file (never a link) with exactly those bytes (`intact`). build/ itself is read under
the confinement rule (pipeline/confine.py): a build/ that is a link out is no build.

Checking those bytes costs a read and a sha256 per output (34,742 files after a
one-hero edit at 10,000 heroes), so the outputs' hashes are remembered by their stat
(`OutputHashes`), with the one mechanism the inputs' hashes use (load/hash_memo.py):
sealed, so a committed memo is empty; keyed by inode and ctime, which a checkout
cannot set, so a committed or changed build/ file never matches a row."""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from sys import intern
from typing import NamedTuple

from .. import seal
from ..confine import boundary, dot_git, read_resolved, real_folder
from ..load.hash_memo import HashMemo, dir_stat
from ..render.digest import digest

STATE_FILE = ".foundry/state.json"
# What a build with nothing changed needs (the fingerprint, the warnings, which files
# exist), small enough to read in milliseconds instead of the whole state.
SUMMARY_FILE = ".foundry/summary.json"
FORMAT = 9   # 9: `verified` as a hash per `keys` entry (`hashes`), the rest by name; 8: every key read,
#   once (`keys`), a record's reads by index; 7: each distinct record once
#   (`records`), outputs by its index; 6: a record may end with its render diagnostics; `ran` and
#   `verified` are optional (checked by digest)
SUMMARY_FORMAT = 7   # 7: the images read outside the watched inputs (6: the outputs as one sorted list and their folders)
MAX_STATE_BYTES = 512 * 1024 * 1024
OUTPUT_MEMO = "output-hashes.json"   # in .foundry-cache/, beside the inputs' file-hashes.json
# The state file's own row, apart: a no-op build reads this one row, not 35,000; and
# one row per folder of build/ (`FOLDER`), vouching that it still holds every output
# of that state, so a no-op build lists none of them.
STATE_MEMO = "state-hash.json"
FOLDER = "folder:"
OWN_FOLDER = ".foundry"   # build/'s folder for the state and summary (STATE_FILE, SUMMARY_FILE)
# Seconds: longer than the tick of any clock that stamps ctime (Linux's coarse clock
# ticks every 1-10 ms; filesystems coarser than this are caught by hash_memo's check).
GRAIN = 0.025


class Record(NamedTuple):
    """One artifact's record. A tuple, not a dataclass: a build reads 32,000 of them
    (10,000 heroes), and a tuple is made in a fraction of a frozen dataclass's time."""

    exporter: str
    recipe: str                    # exporter version and anything else that changes its output
    reads: tuple[str, ...]         # input keys the render read, sorted
    digest: str                    # digest(reads, hashes) when it was rendered
    output: str = ""               # sha256 of the bytes written: what `intact` checks before reuse
    # What its render reported (Diagnostic.to_json each: a portrait under 300 dpi, a
    # glyph no font has): replayed when the output is kept, so a build that keeps the
    # book says what the build that made it said, as a clean build would.
    problems: tuple[dict, ...] = ()

    def fresh(self, exporter: str, recipe: str, hashes: dict[str, str]) -> bool:
        return self.exporter == exporter and self.recipe == recipe and digest(self.reads, hashes) == self.digest


@dataclass
class BuildState:
    artifacts: dict[str, Record] = field(default_factory=dict)
    sources: str = ""                                  # sources.source_fingerprint of the build
    diagnostics: list[dict] = field(default_factory=list)  # its warnings, replayed by a no-op build
    # Whether the build was a --release build (None: not recorded). An output is carried
    # over into a later build only when made in the same mode, so no draft outlives a
    # release build through `--only`.
    release: bool | None = None
    # The exporters that ran, and the hash of every key their records read as this build
    # found it ("-": no such input). Each of those records holds under these hashes (it
    # was rendered, or found fresh, with them), so the next build tells one fresh by
    # whether any key it read changed since (`changed`), without a digest over its
    # reads: 32,000 digests over ~600,000 reads at 10,000 heroes. Records of exporters
    # that did not run were carried over unchecked: they keep the digest rule.
    ran: tuple[str, ...] = ()
    verified: dict[str, str] | None = None
    # The digests of the list rows this build's renders used (render/fragments.py), each
    # holding under the same hashes: the next build trusts a stored row with one of
    # them by the keys it read (`FragmentMemo.trusted`). Kept in the cache beside the
    # state, not in it (`keep_rows`): a merge of shards, which renders no row, makes
    # the state of one whole build, byte for byte.
    rows: frozenset[str] = frozenset()
    # And the lists spliced from their span logs, whose rows are named by the log they
    # were spliced from, not one digest each (render/stored_spans.py `Spliced.listed`):
    # (log key, the list's record digest, its output hash) each, kept beside `rows`
    listed: tuple[tuple[str, str, str], ...] = ()
    tag: str = ""   # the seal line of the state file this was read from (`trusted_rows`)
    # Files the build read outside the inputs `sources` covers, by path under the root,
    # with their sha256 (engine/checked.py `read_elsewhere`: an image a hero names in
    # art/): kept in the summary only, which a no-op build checks them against.
    elsewhere: dict[str, str] = field(default_factory=dict)
    # The commit a `--ref` build was made from, "" for the working tree. Like the mode,
    # outputs are carried over only from a build of the same source: `build --ref v1
    # --only json` then `build --only html` left v1's API in site/api/ under the working
    # tree's pages, one folder to publish holding two versions of the world, unsaid.
    revision: str = ""

    _against: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def verify(self, running, hashes: dict[str, str]) -> None:
        """`running` (exporter names) ran with `hashes` (this build's, by key): the state
        written records those exporters and the hash of every key their records read
        (`verified`), taken when it is written (for `foundry serve`, off a save's path)."""
        self.ran, self._against = tuple(sorted(running)), hashes

    def _verified(self, records: list[Record], keys: list[str]) -> dict[str, str] | None:
        """`verified` as this state is written: `records`, its distinct records (`_distinct`:
        the same reads as every artifact's, a third fewer tuples to walk), `keys` every key
        they read (`_keys`), which are those of the exporters that ran when all of them did."""
        if self._against is None:
            return self.verified
        hashes, ran = self._against, set(self.ran)
        reads = keys if all(r.exporter in ran for r in records) else \
            set().union(*(r.reads for r in records if r.exporter in ran))
        return {key: hashes.get(key, "-") for key in reads}

    @property
    def hashes(self) -> dict[str, str] | None:
        """The hashes `verify` was told this build ran with (every input key: the World's
        and the exporters'), None when it was not (a state read back)."""
        return self._against

    def changed(self, hashes: dict[str, str]) -> frozenset[str] | None:
        """The keys in `verified` whose hash in `hashes` (the next build's) differs; None
        when this state recorded none."""
        if self.verified is None:
            return None
        return frozenset(key for key, sha in self.verified.items() if hashes.get(key, "-") != sha)

    def to_bytes(self, build_dir: Path) -> bytes:
        """The state file's bytes, sealed for the project build_dir belongs to."""
        records, artifacts = _distinct(self.artifacts)
        keys, index = _keys(records)
        self.verified = self._verified(records, keys)   # as written (engine/cutoff.py `keep_inputs` reads it)
        where = index.__getitem__
        data = {"format": FORMAT, "sources": self.sources, "diagnostics": self.diagnostics, "release": self.release,
                # written only for a --ref build: a working tree's state keeps its bytes
                **({"revision": self.revision} if self.revision else {}),
                "ran": list(self.ran), **verified_fields(self.verified, keys), "artifacts": artifacts, "keys": keys,
                "records": [(r.exporter, r.recipe, r.digest, list(map(where, r.reads)), r.output)
                            + ((list(r.problems),) if r.problems else ()) for r in records]}
        return state_file_bytes(build_dir, data)

    def summary_bytes(self, state: bytes, build_dir: Path, sha: str | None = None) -> bytes:
        """`state`: the state file's bytes, whose hash the summary carries, so a damaged
        state is noticed even when the summary says nothing changed (`sha`: that hash,
        when the caller took it: 14 MB at 10,000 heroes, hashed once per build). The
        outputs are one sorted list (what a no-op reports as unchanged), counted by
        exporter, with the folders that hold them (what a no-op checks are still there)."""
        paths = sorted(self.artifacts)
        outputs: dict[str, int] = {}
        for record in self.artifacts.values():
            outputs[record.exporter] = outputs.get(record.exporter, 0) + 1
        data = {"format": SUMMARY_FORMAT, "sources": self.sources, "diagnostics": self.diagnostics,
                "state": sha or hashlib.sha256(state).hexdigest(), "paths": paths, "outputs": outputs,
                "folders": folders_of(paths), "elsewhere": self.elsewhere}
        return _seal(build_dir, SUMMARY_FILE, _summary_text(data))


def verified_fields(verified: dict[str, str] | None, keys: list[str]) -> dict:
    """`verified` as the state file holds it (FORMAT 9): the hash of each of `keys` in
    their order (`hashes`, null: not verified) and only the keys not among them by name
    (`verified`: keys no record read). Every key a record read is named
    once in the file, not again beside its hash: at 10,000 heroes ~84,000 names, 2.6 of
    17.3 MB, parsed and sealed by every build (docs/performance.md state41)."""
    if verified is None:
        return {"hashes": None, "verified": None}
    hashes = list(map(verified.get, keys))
    found = len(hashes) - hashes.count(None)
    if found == len(verified):
        return {"hashes": hashes, "verified": {}}
    named = set(keys)
    return {"hashes": hashes, "verified": {key: sha for key, sha in verified.items() if key not in named}}


def verified_of(data: dict, keys: list[str]) -> dict[str, str] | None:
    """`verified` of a state file's JSON `data` (`verified_fields`), its `keys` being
    the file's (interned or not); None when it records none or not in the shape written."""
    hashes, rest = data.get("hashes"), data.get("verified")
    if not (type(hashes) is list and len(hashes) == len(keys) and isinstance(rest, dict)
            and set(map(type, hashes)) <= {str, type(None)} and set(map(type, rest.values())) <= {str}):
        return None
    verified = dict(zip(keys, hashes)) if None not in hashes else \
        {key: sha for key, sha in zip(keys, hashes) if sha is not None}
    verified.update(rest)
    return verified


def state_file_bytes(build_dir: Path, data: dict) -> bytes:
    """The state file's bytes for `data` (the JSON `to_bytes` makes, or `state_data`
    read back and changed: the same value gives the same bytes), sealed."""
    # orjson: ~7× json.dumps on this (17 MB at 10,000 heroes); the same JSON, keys sorted.
    # Imported here: a no-op build never writes a state.
    import orjson
    return _seal(build_dir, STATE_FILE, orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE))


def state_data(build_dir: Path, sha: str) -> dict | None:
    """build/'s state file as the JSON `to_bytes` wrote (format FORMAT), when it is sealed
    by this user's key and its bytes hash to `sha` (the summary's `state`); None
    otherwise. Not made into records: for a caller that changes a few of them and
    writes it back (`state_file_bytes`), engine/shown.py."""
    import orjson
    try:
        blob, text = _read(build_dir, STATE_FILE)
        data = orjson.loads(text) if hashlib.sha256(blob).hexdigest() == sha else None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def _summary_text(data: dict) -> bytes:
    """The summary's JSON: orjson (the state's bytes are made now, so it is imported):
    json.dumps took ~0.03 CPU-s of every build at 10,000 heroes; json, as before, for
    what orjson refuses (a lone surrogate in a diagnostic's message)."""
    import orjson
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        return (json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n").encode()


def summary_moved_on(build_dir: Path, sources: str) -> bool:
    """build/'s summary written again with `sources` (a fingerprint) in place of its
    own, the rest as it was: for a build that found nothing to do but a changed file
    whose values are the last build's (engine/cutoff.py), so the next build with these
    inputs is a no-op. Written beside it and renamed over it (confine.py `replace`),
    never through the file. False when the summary is not ours or cannot be written."""
    text = summary_again(build_dir, sources)
    if text is None:
        return False
    try:
        boundary(build_dir.parent).replace(build_dir / SUMMARY_FILE, text)
        return True
    except OSError:
        return False


def summary_again(build_dir: Path, sources: str, state: str | None = None) -> bytes | None:
    """build/'s summary's bytes with `sources` (a fingerprint) and, when given, `state`
    (the sha256 of the state file written with it) in place of its own, the rest as
    it was; None when the summary is not ours."""
    try:
        data = json.loads(_read(build_dir, SUMMARY_FILE)[1])
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != SUMMARY_FORMAT:
        return None
    data["sources"] = sources
    if state is not None:
        data["state"] = state
    return _seal(build_dir, SUMMARY_FILE, _summary_text(data))


def _keys(records: list[Record]) -> tuple[list[str], dict[str, int]]:
    """Every key `records` read, in the order first read (records in `_distinct`'s order,
    each one's reads sorted: the same records give the same list, however they were
    made), and each one's index in that list: the state names each key once and a
    record's reads by index (FORMAT 8). At 10,000 heroes the records read ~357,000 keys
    of ~46,000: the file held each as a string wherever it was read, and reading it back
    parsed 357,000 strings and interned each (docs/performance.md edit33)."""
    index = dict.fromkeys(chain.from_iterable(r.reads for r in records))
    keys = list(index)
    index.update(zip(keys, range(len(keys))))
    return keys, index


def reads_of(keys: list[str], reads: list[int]) -> tuple[str, ...]:
    """A record's reads as the state file names them (indices into its `keys`), as keys."""
    return tuple(map(keys.__getitem__, reads))


def _distinct(artifacts: dict[str, Record]) -> tuple[list[Record], dict[str, int]]:
    """Each distinct record once, in the order of the first output (by path) that has
    it, and each output's index into them. A third of the outputs share their record
    with another (the JSON API's copies under site/api/v1/: the same render, the same
    reads): written and read once, not twice (docs/performance.md, edit16). Equal by
    value, not identity, so the bytes are the same however the records were made (a
    clean build shares one object, a carried-over copy holds its own). A record with
    render diagnostics (not hashable, and rare) stands alone."""
    records: list[Record] = []
    index: dict[Record, int] = {}
    out: dict[str, int] = {}
    for path in sorted(artifacts):
        record = artifacts[path]
        if record.problems:
            out[path] = len(records)
            records.append(record)
            continue
        at = index.get(record)
        if at is None:
            at = index[record] = len(records)
            records.append(record)
        out[path] = at
    return records, out


@dataclass(frozen=True)
class Summary:
    """What a build with nothing changed reports (write/state.py `read_summary`): the
    last build's fingerprint ("" when build/ is not as it left it), its warnings, its
    outputs (paths under build/, sorted) and how many each exporter made."""

    sources: str = ""
    diagnostics: tuple[dict, ...] = ()
    paths: tuple[str, ...] = ()
    outputs: dict[str, int] = field(default_factory=dict)
    elsewhere: dict[str, str] = field(default_factory=dict)   # BuildState.elsewhere of that build
    state: str = ""   # the sha256 of that build's state file (build/ holds it when `sources` is not "")


def folders_of(paths) -> list[str]:
    """Every folder under build/ that holds one of `paths` (POSIX, under build/), with
    every folder above it; "" is build/ itself. Sorted."""
    found = {""}
    for rel in paths:
        folder = rel.rpartition("/")[0]
        while folder not in found:
            found.add(folder)
            folder = folder.rpartition("/")[0]
    return sorted(found)


def _seal(build_dir: Path, name: str, data: bytes) -> bytes:
    return seal.seal(seal.key(build_dir.parent), name, data)


def _read(build_dir: Path, name: str) -> tuple[bytes, bytes]:
    """(the file's bytes, what its seal covers) for a state file in build/, read under
    the confinement rule; raises OSError (Refused) or ValueError when it is not ours."""
    blob = boundary(build_dir.parent).read(build_dir / name, MAX_STATE_BYTES)
    data = seal.unseal(seal.key(build_dir.parent), name, blob)
    if data is None:
        raise ValueError(f"{name} was not written by foundry on this machine")
    return blob, data


def sealed(build_dir: Path) -> bool:
    """Whether build/ holds a summary or state sealed by this user's key: a build of
    foundry on this machine made it (a committed build/ carries no valid seal)."""
    for name in (SUMMARY_FILE, STATE_FILE):
        try:
            _read(build_dir, name)
            return True
        except (OSError, ValueError):
            continue
    return False


def intact(build_dir: Path, rel: str, record: Record) -> bool:
    """Whether build/<rel> is still what foundry wrote for `record`: a regular file,
    reached through no link, whose bytes hash to `record.output` (read and hashed:
    `OutputHashes.intact` is the same answer without the read for an unchanged file)."""
    if not record.output:
        return False
    fence = boundary(build_dir.parent)
    lexical = os.path.join(_tree(build_dir), rel)
    real = fence.resolve(lexical)
    expected = os.path.normpath(os.path.join(fence.real, os.path.relpath(lexical, fence.root)))
    if real is None or str(real) != expected:
        return False   # outside, or reached through a link
    try:
        return hashlib.sha256(read_resolved(real)).hexdigest() == record.output   # O_NOFOLLOW, regular files only
    except OSError:
        return False


class OutputHashes:
    """The sha256 of each file in build/ by its stat, for one build (see the module's
    docstring): `intact` asks it, `written` records the outputs of the tree the build
    switched in. Rows are keyed by the path under build/."""

    def __init__(self, root: Path):
        self.memo = HashMemo(root, OUTPUT_MEMO, racy=GRAIN)
        self._folders: dict[tuple[Path, str], str | None] = {}

    def intact(self, build_dir: Path, rel: str, record: Record) -> bool:
        """`intact`, reading only files whose stat moved since they were recorded. The
        same rule, checked per folder: each folder on the way is resolved once (a
        link there means nothing in it is intact), the file itself is stat'ed and
        read without following a link."""
        if not record.output:
            return False
        folder, _, name = rel.rpartition("/")
        key = (build_dir, folder)
        if key not in self._folders:
            self._folders[key] = _real_folder(build_dir, folder)
        real = self._folders[key]
        if real is None or name in ("", ".", "..") or dot_git(name):
            return False
        return self.memo.sha256(os.path.join(real, name), rel) == record.output

    def spared(self, staging, rel: str, record: Record) -> bool:
        """Whether `staging` (write/staging.py, staging in its spare) already holds the
        output at `rel` as a file whose stat is the one recorded with `record.output`:
        the very file `intact` accepted last time (same inode, unchanged since), so
        it stays where it is, and build/'s copy need be neither stat'ed nor linked.
        One stat instead of three (`intact`, then the link's check in `keep`)."""
        path = staging.spare_file(rel)
        if path is None or not record.output or self.memo.recorded(path, rel) != record.output:
            return False
        staging.spared(rel, self.memo.seen[rel][0])   # the stat just matched: [mtime_ns, …]
        return True

    def spared_all(self, staging, wanted: list[tuple[str, Record]]) -> list[bool]:
        """`spared` of each (path under build/, record) of `wanted`, in their order, in one
        loop: the same stat of the spare's file compared with the same row, and each
        file found so left in the spare as `spared` leaves it. A one-hero edit at 10,000
        heroes asks it of ~32,000 kept outputs (the builder's `_settle`). The stat is
        the one guard against a file of build/ rewritten in place (its inode is the
        spare's), so every file is stat'ed; but in its folder, held open (plan order
        keeps a folder's files together: a path walked from the root once per folder,
        not once per file), and not when the memo has no row for that output's hash
        (it could not match)."""
        left = staging.spare_files()
        if left is None:
            return [False] * len(wanted)
        base, names = left
        known, seen = self.memo.known, self.memo.seen
        lstat, regular = os.lstat, stat_module.S_ISREG
        found, kept = [False] * len(wanted), []
        folders = _Folders(base)
        try:
            for at, (rel, record) in enumerate(wanted):
                output = record.output
                if not output or rel not in names:
                    continue
                old = known.get(rel)
                if type(old) is not list or len(old) != 5 or old[4] != output:
                    continue
                folder, _, name = rel.rpartition("/")
                fd = folders.open(folder)
                if fd is None:
                    continue
                try:
                    st = lstat(name, dir_fd=fd)
                except OSError:
                    continue
                if regular(st.st_mode) and old[0] == st.st_mtime_ns and old[1] == st.st_ctime_ns \
                        and old[2] == st.st_size and old[3] == st.st_ino:
                    seen[rel] = old
                    kept.append((rel, old[0]))
                    found[at] = True
        finally:
            folders.close()
        staging.spared_all(kept)
        return found

    def written(self, build_dir: Path, state: BuildState, state_bytes: bytes, touched: set[str],
                sha: str | None = None) -> None:
        """build/ is now the tree of `state`: every file in it was written by this build
        or found intact (`intact`, which noted its stat) and kept. Record the stat of
        each file in `touched` (written or linked by this build: that moved its
        ctime) and of any file `intact` could not note, as it stands after the switch,
        and the state file's (`state_bytes`: what was written there; `sha`, its sha256
        when the caller took it), then save. A kept file not touched is the very file
        `intact` stat'ed (write/staging.py's spare): its stat stands."""
        # Every touched file was changed a moment ago: written, or linked into the new
        # tree (moving the file's ctime). So wait out the clock's tick once, then note
        # each of them once (noting first, as before, found every file too fresh and
        # stat'ed all 32,000 twice at 10,000 heroes).
        self.memo.settle()
        base, seen = os.fspath(build_dir), self.memo.seen
        for rel, record in state.artifacts.items():
            if record.output and (rel in touched or seen.get(rel, (None,))[-1] != record.output):
                self.memo.note(os.path.join(base, rel), rel, record.output)
        self.memo.save()
        vouch_built(build_dir, state.artifacts, state_bytes, sha, settled=True)


class _Folders:
    """The spare's folders (POSIX paths under `base`, its path and a separator) held
    open for `OutputHashes.spared_all`'s stats: the last one used, and a few more
    (a plan may go back to a folder). A folder that is a link, or not there, is None:
    none of its files is the spare's as recorded."""

    def __init__(self, base: str, most: int = 64):
        self.base, self.most = base, most
        self.fds: dict[str, int | None] = {}
        self.last: tuple[str, int | None] | None = None

    def open(self, folder: str) -> int | None:
        if self.last is not None and self.last[0] == folder:
            return self.last[1]
        if folder not in self.fds:
            if len(self.fds) >= self.most:
                self.close()
            try:
                path = self.base + folder if folder else self.base.rstrip(os.sep)
                self.fds[folder] = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                self.fds[folder] = None
        self.last = (folder, self.fds[folder])
        return self.last[1]

    def close(self) -> None:
        for fd in self.fds.values():
            if fd is not None:
                os.close(fd)
        self.fds, self.last = {}, None


def vouch_built(build_dir: Path, paths, state_bytes: bytes, sha: str | None = None,
                settled: bool = False, moved: tuple[str, set[str]] | None = None) -> None:
    """build/ is the tree of a state whose outputs are `paths` (under build/), whose
    bytes `state_bytes` were just written to its
    state file (`sha`: their sha256, when the caller took it): record the state file's
    hash by its stat, and each folder's stat against it when the folder holds its
    outputs and nothing else (STATE_MEMO, `_vouch`), for the next build's no-op
    (`read_summary`) and ownership check (`left_as_built`). `settled`: the clock's
    tick since the write was waited out already (else it is, here: a file noted within
    it is not recorded). A CLI build's new tree (`OutputHashes.written`) and the state
    `foundry serve` writes once idle (engine/resident.py `flush`). `moved`: (the sha256
    of the state build/ was the tree of, the folders whose entries were since replaced
    by new files at the same paths: engine/shown.py): the same paths, so a folder whose
    stat is still the one recorded against that state holds what the new one lists
    there, and is vouched for again without a listing; only the others are listed."""
    own = HashMemo(build_dir.parent, STATE_MEMO, racy=GRAIN)
    if not settled:
        own.settle()
    sha = sha or hashlib.sha256(state_bytes).hexdigest()
    own.note(build_dir / STATE_FILE, STATE_FILE, sha)
    paths = sorted(paths)
    folders = folders_of(paths)
    listed = None
    if moved is not None:
        old, touched = moved
        listed = set(touched)
        for folder in folders:
            stat = dir_stat(_folder(build_dir, folder))
            if folder in touched or stat is None:
                continue
            if own.recorded(_folder(build_dir, folder), FOLDER + folder, dir_stat) == old:
                own.note_stat(FOLDER + folder, stat, sha)
            else:
                listed.add(folder)   # not as that state's build left it: listed, as any build lists it
    _vouch(build_dir, own, paths, folders, sha, listed)
    own.save()


def _tree(build_dir: Path) -> str:
    """The folder build/'s outputs are in: build/ itself, or the tree foundry's own link
    names (`build -> .foundry-builds/<id>`, write/staging.py is_our_link: a system with
    no rename exchange). Its files are build/'s, reached through that link alone: asked
    of build/<path>, every kept output was "reached through a link", and `--only json`
    after `--only html` left the whole site out (HF0121). Any other link at build/ is
    returned as it is, so nothing under it counts as reached through no link."""
    from .staging import is_our_link   # here: staging imports this module
    if is_our_link(build_dir):
        return os.path.join(build_dir.parent, os.readlink(build_dir))
    return os.fspath(build_dir)


def _real_folder(build_dir: Path, folder: str) -> str | None:
    """The real path of build/<folder> (in the tree build/ is: `_tree`) when it is
    reached through no link and inside the project (pipeline/confine.py), else None."""
    fence = boundary(build_dir.parent)
    tree = _tree(build_dir)
    lexical = os.path.join(tree, folder) if folder else tree
    real = fence.resolve(lexical)
    expected = os.path.normpath(os.path.join(fence.real, os.path.relpath(lexical, fence.root)))
    return str(real) if real is not None and str(real) == expected else None


def _present(build_dir: Path, wanted, exact: list[bool] | None = None, within: set[str] | None = None) -> set[str]:
    """Which of `wanted` (POSIX paths under build/) are in build/: one listing per
    folder, no stat per file. A folder reached through a link counts as empty (as
    os.walk does not follow one). `exact`, when given, receives whether each folder
    listed holds nothing but those paths' names, the folders on the way to them and,
    at the top, the state's own folder (`.foundry/`): what a build leaves there.
    `within`: the folders listed (the others' outputs are not looked for)."""
    found: set[str] = set()
    if boundary(build_dir.parent).resolve(build_dir) is None or os.path.islink(build_dir):
        if exact is not None:
            exact.append(False)
        return found
    by_folder: dict[str, list[str]] = {}
    for rel in wanted:
        folder, _, name = rel.rpartition("/")
        by_folder.setdefault(folder, []).append(name)
    held: dict[str, set[str]] = {"": {OWN_FOLDER}}   # what each folder holds besides outputs
    if exact is not None:
        for folder in by_folder:
            while folder:
                parent, _, name = folder.rpartition("/")
                held.setdefault(parent, set()).add(name)
                folder = parent
    real: dict[str, bool] = {"": True}
    only = True
    # with `exact`, the folders that hold only folders (api/ holds v1/) are listed too
    for folder in by_folder if exact is None else by_folder.keys() | held.keys():
        if within is not None and folder not in within:
            continue
        names = by_folder.get(folder, ())
        if not real_folder(build_dir, folder, real):
            only = False
            continue
        try:
            listed = set(os.listdir(os.path.join(build_dir, folder)))
        except OSError:
            only = False
            continue
        prefix = folder + "/" if folder else ""
        found.update(prefix + name for name in names if name in listed)
        if exact is not None and only:
            only = listed <= held.get(folder, set()).union(names)
    if exact is not None:
        exact.append(only)
    return found


def _same_state(build_dir: Path, summary: dict, memo: HashMemo) -> bool:
    """Whether build/'s state is the one `summary` describes, by its sha256: remembered
    by the state file's stat (STATE_MEMO, noted by `OutputHashes.written`), so a no-op
    build does not read and hash the state (17 MB at 10,000 heroes) while it stands."""
    real = boundary(build_dir.parent).resolve(build_dir / STATE_FILE)
    return real is not None and memo.sha256(real, STATE_FILE) == summary.get("state")


def _all_there(build_dir: Path, memo: HashMemo, folders: list[str], state: str) -> bool:
    """Whether build/ still holds every output of `state`, untouched by anything that
    replaces files: each folder's stat is the one recorded (a row of STATE_MEMO, noted
    by `OutputHashes.written`) when it was found holding every output of `state`.
    Removing, adding or renaming an entry moves a folder's mtime and ctime, and a
    folder swapped for a link or another folder has another mode or inode. A folder
    whose stat moved is not listed and vouched for here: git checkout, tar and rsync
    replace a file by unlinking or renaming, so every name can be there with other
    bytes; the build then goes on and checks each output it carries over (`intact`).
    What this cannot see is a file rewritten in place (same inode, same folder): one
    stat per output would cost more than the whole no-op build (32,000 at 10,000 heroes)."""
    return all(memo.recorded(_folder(build_dir, folder), FOLDER + folder, dir_stat) == state for folder in folders)


def _vouch(build_dir: Path, memo: HashMemo, paths: list[str], folders: list[str], state: str,
           only: set[str] | None = None) -> bool:
    """Whether every output in `paths` is in build/ (one listing per folder); if so,
    record each folder's stat against `state` in `memo` (not saved here), when no
    folder changed while it was listed and each holds nothing else (`_present`'s
    `exact`): a recorded folder holds exactly what the build left in it while its
    stat stands, which both the no-op build (`_all_there`) and the check that build/
    holds nothing of a user's (`left_as_built`, write/ownership.py) rely on. `only`:
    the folders to list and record (of `folders`), and the outputs in them."""
    if only is not None:
        folders = [folder for folder in folders if folder in only]
    before = [dir_stat(_folder(build_dir, folder)) for folder in folders]
    exact: list[bool] = []
    wanted = paths if only is None else [rel for rel in paths if rel.rpartition("/")[0] in only]
    if len(_present(build_dir, paths, exact, only)) != len(wanted):
        return False
    after = [dir_stat(_folder(build_dir, folder)) for folder in folders]
    if exact[0] and before == after and None not in before:
        for folder, stat in zip(folders, before):
            memo.note_stat(FOLDER + folder, stat, state)
    return True


def left_as_built(build_dir: Path, outputs) -> bool:
    """Whether build/ holds exactly what the build that wrote its state left there, by
    stats alone (nothing listed): the state file's stat is the one recorded with its
    hash (STATE_MEMO), and the stat of every folder holding one of `outputs` (that
    state's paths, as read_state read them) is the one `_vouch` recorded against that
    hash when the folder held those outputs and nothing else. Adding, removing or
    renaming an entry moves a folder's stat, so no file, link or folder of a user's
    can be in one of them; a folder reached through a link, or one swapped for
    another, has another stat. False whenever that cannot be said (then walk it)."""
    memo = HashMemo(build_dir.parent, STATE_MEMO)
    real = boundary(build_dir.parent).resolve(build_dir / STATE_FILE)
    state = memo.recorded(real, STATE_FILE) if real is not None and not os.path.islink(build_dir) else None
    return state is not None and _all_there(build_dir, memo, folders_of(outputs), state)


def _folder(build_dir: Path, folder: str) -> str:
    """build/<folder>, without a trailing slash (with one, lstat would follow a link)."""
    return os.path.join(build_dir, folder) if folder else os.fspath(build_dir)


def read_summary(build_dir: Path) -> Summary:
    """The last build's fingerprint, warnings and outputs: enough to tell, and report,
    that nothing needs doing. The fingerprint is "" when build/ is not as that build
    left it (its state replaced, an output deleted)."""
    try:
        data = json.loads(_read(build_dir, SUMMARY_FILE)[1])
        if data.get("format") != SUMMARY_FORMAT:
            return Summary()
        paths, folders, outputs, elsewhere = data["paths"], data["folders"], data["outputs"], data["elsewhere"]
        # sealed, so written by summary_bytes: the shape is checked, not recomputed
        if not (isinstance(paths, list) and set(map(type, paths)) <= {str}
                and isinstance(folders, list) and set(map(type, folders)) <= {str}
                and isinstance(elsewhere, dict) and set(map(type, [*elsewhere, *elsewhere.values()])) <= {str}
                and isinstance(outputs, dict) and all(type(k) is str and type(v) is int for k, v in outputs.items())):
            return Summary()
        memo = HashMemo(build_dir.parent, STATE_MEMO)
        # a deleted output, or a state that is not the one this summary describes: not a no-op
        complete = _same_state(build_dir, data, memo) and _all_there(build_dir, memo, folders, data["state"])
        memo.save()   # the state's hash, when it was taken now, is remembered for the next no-op (nothing is written on a hit)
        return Summary(str(data.get("sources", "")) if complete else "", tuple(data.get("diagnostics", [])),
                       tuple(paths), outputs, elsewhere, str(data["state"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Summary()


def read_state(build_dir: Path, listed: bool = True) -> BuildState:
    """The last build's records, when its state is sealed by this user's key; outputs
    are checked (`intact`) only when reused. `listed`: only the records of outputs
    build/ still holds (one listing per folder); without, every record, for a caller
    that checks each output it uses anyway (the builder: its `intact` stats each)."""
    try:
        blob, text = _read(build_dir, STATE_FILE)
        import orjson   # what to_bytes wrote (json.loads: ~0.015 CPU-s more of 14 MB at 10,000 heroes)
        data = orjson.loads(text)
        if data.get("format") != FORMAT:
            return BuildState()
        present = _present(build_dir, data["artifacts"]) if listed else data["artifacts"]
        # each key interned, and each read the key's one string: ~357,000 reads of ~46,000
        # keys at 10,000 heroes (one string per read was ~21 MiB the builder held at the
        # render pool's fork, and each worker too; docs/performance.md mem32); the keys
        # tracking.py makes are interned
        keys = data["keys"]
        if type(keys) is not list or not set(map(type, keys)) <= {str}:
            return BuildState()
        keys = list(map(intern, keys))
        raw = data["records"]
        # sealed, so written by to_bytes: the shape is checked at C speed, not converted
        # field by field (~357,000 reads at 10,000 heroes); an index is one of `keys`
        if not all(type(fields) is list and type(fields[3]) is list for fields in raw) \
                or not set(map(type, chain.from_iterable(fields[3] for fields in raw))) <= {int} \
                or min(chain.from_iterable(fields[3] for fields in raw), default=0) < 0:
            return BuildState()
        where = keys.__getitem__
        records = [Record(intern(exporter), intern(recipe), tuple(map(where, reads)), digest_, output,
                          tuple(problems[0]) if problems else ())
                   for exporter, recipe, digest_, reads, output, *problems in raw]
        if not set(map(type, chain.from_iterable(records))) <= {str, tuple} \
                or not set(map(type, data["artifacts"].values())) <= {int}:
            return BuildState()
        artifacts = {p: records[i] for p, i in data["artifacts"].items() if p in present}
        complete = len(artifacts) == len(data["artifacts"])  # a deleted output means: not a no-op
        release, revision = data.get("release"), data.get("revision", "")
        ran, verified = data.get("ran"), verified_of(data, keys)
        if not (isinstance(ran, list) and set(map(type, ran)) <= {str} and verified is not None):
            ran, verified = [], None   # sealed, so ours: a shape we did not write is read as nothing recorded
        return BuildState(artifacts, str(data.get("sources", "")) if complete else "",
                          list(data.get("diagnostics", [])), release if isinstance(release, bool) else None,
                          tuple(ran), verified, tag=seal_line(blob),
                          revision=revision if isinstance(revision, str) else "?")
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return BuildState()


# The row of the `builds` cache table (load/cache.py) that keeps the last build's `BuildState.rows`.
ROWS_KEY = "rows"


def seal_line(state_bytes: bytes) -> str:
    """The first line of a sealed state file (its MAC): names exactly that state."""
    end = state_bytes.find(b"\n")
    return state_bytes[:end].decode("ascii", "replace") if end > 0 else ""


def keep_rows(root: Path, state_bytes: bytes, rows, listed=()) -> None:
    """Keep `rows` (BuildState.rows) and `listed` (BuildState.listed) in the sealed cache
    for the state written as `state_bytes`: they are trusted only beside that very state
    (`trusted_rows`), whose hashes they hold under."""
    from ..load.cache import ParseCache
    cache = ParseCache(root, "builds")
    # in no order: read back as a set (sorting ~68,000 digests at 10,000 heroes took
    # ~0.015 CPU-s of every build's tail, for a cache row nothing compares)
    cache.put(ROWS_KEY, {"state": seal_line(state_bytes), "rows": list(rows), "listed": [list(log) for log in listed]})
    cache.save(prune=False)


def trusted_rows(root: Path, state: BuildState) -> tuple[frozenset[str], tuple[tuple[str, str, str], ...]]:
    """The rows and listed logs `keep_rows` kept for `state` (read by read_state); nothing
    when they were kept for another state (a build that stopped, `foundry serve`'s) or
    not at all. A row kept by a foundry that named no logs has none (its rows are whole)."""
    from ..load.cache import ParseCache
    if not state.tag:
        return frozenset(), ()
    found = ParseCache(root, "builds").get(ROWS_KEY)
    if not (isinstance(found, dict) and found.get("state") == state.tag and isinstance(found.get("rows"), list)
            and set(map(type, found["rows"])) <= {str}):
        return frozenset(), ()
    listed = found.get("listed", [])
    if not (isinstance(listed, list) and all(isinstance(log, list) and len(log) == 3
                                             and all(type(part) is str for part in log) for log in listed)):
        listed = []   # (a sealed row of ours: not of this shape only if another foundry wrote it)
    return frozenset(found["rows"]), tuple(tuple(log) for log in listed)
