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
  read and hashed again; a file that was touched is hashed as a CLI build does; and,
  while the server's second watcher reports what changes under build/
  (`outputs_watched`, `outputs_touched`), a kept output it did not report is not even
  stat'ed (35,000 lstat a save at 10,000 heroes): one deleted or changed by anyone
  else is reported, stat'ed and made again by the next build; a folder reported, a
  burst, a new build/ swapped in by a CLI build, or a watcher just started: every
  kept output is stat'ed, as without a watcher;
- build/ changed in place (write/in_place.py): only the files that changed are
  written, each atomically, the rest are left where they are;
- the input hashes of the last good build, so an artifact or a list fragment made
  then is fresh when none of the inputs it read has changed since: a set lookup per
  read key instead of a digest over them (a list page reads 10,000 keys); what did
  change is found by comparing two dicts of hashes;
- the list fragments (render/fragments.py) and the rendered prose (load/markdown.py)
  of the last builds, in memory: the sealed cache is read once, on the first build
  that needs them, and afterwards only written to (what a save made anew), so a CLI
  build after the serve finds them too;
- the history git gives (git/versions.py `entity_history`: a `git log` of every
  content file, read and parsed on each build, ~0.1 s of a save's wall clock at
  10,000 heroes with one commit, more with a long history), under the stats of the
  files git writes when it may change (git/stamp.py `signature`: HEAD, the refs,
  .mailmap, the repository's config…): a save, which changes none of them, gets the
  same dict (`history`);
- small saves render in this process: forking a process that holds a 10,000-hero
  World to render a dozen artifacts costs more than it saves, and the memos above
  then learn every fragment the renders used.

When the file watcher can say what changed (`build(changed=…)`: the paths of its
events), a save is salsa's revision: the inputs the watcher names are read again, and
nothing else is walked, stat'ed or read: the tree's listings (which entity files exist,
which names are refused), the reads of unchanged files and the source fingerprint are
the last run's, updated for the named files only (pipeline/queries.py `trust`). Only
when every named path is an entity file the last run listed and read (not a name it
refused), still a regular file (so
nothing was added, removed or renamed: an editor's write-temp-then-rename names the
temporary file too), none of them is also read through another path (a link to
it, a hard link: the watcher names only the path written), and there are few of them.
Anything else (a new, deleted or renamed file or folder, foundry.toml, schemas/,
themes/, translations/, assets, a burst as large as a `git checkout`, in which the
kernel's event queue may have overflowed: watchfiles does not report an overflow;
the serve's idle stat sweep, serve/sweep.py, finds what such a loss hid) falls back to the full freshness
check every CLI build makes. Paths named by a build that stopped before reading its
inputs are named again to the next one.

The build state (17 MB at 10,000 heroes) is not written on the reload path: a save
that wrote in place leaves it to `flush`, which the server calls once the watcher has
been idle (and on leaving). Nor are the new bytes of build/'s large files (the lists,
~93 MB a hero save at 10,000 heroes: write/in_place.py `Held`): the server serves them
from memory (`held`), and `flush` writes them before the state. Until then build/
holds no summary (the in-place commit removes it before the first output changes)
and the old lists, and the state on disk is the previous one: a CLI build meanwhile
(or after a crash) finds no no-op, each output the save changed no longer matches its
old record (its sha256), and each held list's inputs changed since its record: both
are made again, a safe miss. A held file is what build/ holds for this engine
(`intact`); a state written by someone else, or a failed write, drops what is held
with everything else kept (`forget`). The state
`flush` writes is vouched for as a CLI build's tree is (the next server or CLI build
on it is the no-op) only when the server's file watcher said no input changed while
its build ran (`quiet`).

- each exporter's plan, with what it read of the World (engine/outputs.py PlanMemo):
  a save the watcher is trusted for plans again only the exporters whose plan read
  what it changed (a hero edit: the site and media, not the books); and each entity's
  prose links checked, under what the check read (outputs.py ProseLinks);
- an index from input key to the records and list fragments that read it
  (engine/read_index.py): a save decides only the artifacts whose reads meet a changed
  key, and those planned anew or reported by the output watcher, and carries every
  other record over as it is (`carried`); it keeps every fragment but those the index
  finds, instead of a set test on each of ~100,000;
- each new record's digest and output hash, made when `flush` writes the state
  (`later`), not on the reload path.

What it does not keep is decided the CLI's way on every save: the input
hashes and which artifacts are stale (render/tracking.py's recorded reads), so the
bytes and the build state are those of a CLI build of the same files (the resident
property test compares them with a clean build after every edit). A build that fails
or stops at an error keeps nothing new: the next save starts from the last good one.
"""

from __future__ import annotations

import gc
import hashlib
import os
import posixpath
import threading
from contextlib import contextmanager
from itertools import compress
from operator import attrgetter, is_not, itemgetter, ne
from pathlib import Path

from collections.abc import Iterable

from ..confine import Boundary, Refused, boundary
from ..diagnostics import Diagnostics
from ..git.stamp import Signature, signature
from ..load.hash_memo import MAX_HASHED
from ..load.root import PROJECT_INPUTS as WATCHED
from ..queries import Queries
from ..write.in_place import TEMP_SUFFIX, Held, InPlace, write_held
from ..write.lock import Busy, project_lock
from ..write.staging import OutputError
from ..write.ownership import OWN_FILES, OWN_FOLDER, check_output_folder
from ..write.state import STATE_FILE, SUMMARY_FILE, BuildState, Record, intact, read_state, vouch_built
from .builder import BUILD_DIR, BuildReport, build
from .memo import fragment_memo
from .outputs import PlanMemo
from .read_index import ReadIndex
from ..render.spans import SpanStore
from .sources import file_part, fingerprint_of, source_fingerprint

# More changed paths than this in one save: checked as a CLI build checks them (a
# checkout, a search-and-replace; or a burst that may have overflowed the event queue).
MAX_WATCHED = 64
# A record or fragment that read more keys than this (a list: bundle.json reads every
# entity) is not in the index of reads (engine/read_index.py): it is decided every save,
# a set test over its reads, instead of its 10,000-100,000 keys taken out of the index
# and put back each time it is made again, which is nearly every save (~0.15 CPU-s at
# 10,000 heroes).
WIDE_READS = 512

_ITEM, _PATH = itemgetter(1), attrgetter("path")   # a plan's (exporter, item) pair's item, an item's path


def _differ(old: dict[str, str] | None, new: dict[str, str]) -> frozenset[str] | None:
    """The keys added, removed or changed from `old` to `new` (None: no `old`)."""
    if old is None:
        return None
    # at C speed (compress, map): a save compares ~35,000 hashes at 10,000 heroes
    return frozenset(compress(new, map(ne, new.values(), map(old.get, new)))).union(old.keys() - new.keys())


def _signature(path: Path | str) -> tuple[int, ...] | None:
    """What changes whenever a file's bytes are written or it is replaced: its inode,
    size, modification and change time (ns); None when it is not a regular file."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if (st.st_mode & 0o170000) != 0o100000:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _is_file(path: Path) -> bool:
    try:
        return (os.lstat(path).st_mode & 0o170000) == 0o100000
    except OSError:
        return False


def _alone(fence: Boundary, path: Path) -> bool:
    """Whether `path` is a regular file that no other name shares (one hard link),
    looked at where `fence` reads its folders (`Boundary.entry`): the OS's reading of a
    folder linked as `content/heroes -> h\\x` (`h/x` to the rule) leads out of the project."""
    here = fence.entry(path)
    if here is None:
        return False
    try:
        st = os.lstat(here)
    except OSError:
        return False
    return (st.st_mode & 0o170000) == 0o100000 and st.st_nlink == 1


def _unwatched_target(root: Path, rel: str) -> bool:
    """Whether `rel`, a name the source walk did not read (engine/sources.py: refused or
    special), is a link whose target, read as
    written from its folder, is in the project but outside the watched inputs (a link
    out of the project stays refused whatever appears there)."""
    try:
        target = os.readlink(root / rel)
    except (OSError, ValueError):
        return False
    lexical = posixpath.normpath(posixpath.join(posixpath.dirname(rel), os.fsdecode(target).replace(os.sep, "/")))
    return not posixpath.isabs(lexical) and lexical != ".." and not lexical.startswith("../") \
        and lexical.split("/", 1)[0] not in WATCHED


class Resident:
    """One project's engine, kept between builds by `foundry serve` (one build at a
    time: the serve's rebuilder holds a lock around `build`)."""

    def __init__(self, root: Path, outputs: list[str]):
        self.root, self.outputs = root, outputs
        self.queries = Queries()
        self._state: BuildState | None = None      # the state of the build/ this engine last wrote
        self._seen: dict[str, tuple[int, ...]] = {}  # artifact path → signature of the bytes its record names
        self._writer: InPlace | None = None
        # the new bytes of large files the in-place commits left for `flush` (write/in_place.py)
        self.held = Held()
        # the write of `held` that last failed (a full disk, a file-size limit): build/ then
        # holds the save's old files, which the server must not go on serving unsaid
        self.unflushed: OutputError | None = None
        self.changed: list[str] = []    # build/ paths the last build wrote or removed (what pages reload for)
        self._builds = 0                # builds asked of this engine (see `warming`)
        # the input hashes `_state` was made with: every record of `_state` whose exporter
        # ran then (`_verified`) was rendered or found fresh under them
        self._hashes: dict[str, str] | None = None
        self._verified: set[str] = set()
        self._next: tuple[dict[str, str], frozenset[str] | None] | None = None   # this build's hashes, what changed
        self._fresh: set[str] = set()   # artifacts this build kept as fresh
        self._previous_artifacts: dict[str, Record] = {}   # the records this build started from
        self._fragments: dict = {}      # list fragments fresh under `_fragment_hashes`, by key (render/fragments.py)
        self._fragment_reads = ReadIndex(WIDE_READS)   # what each of `_fragments` read (`fragment_memo`)
        self.spans = SpanStore()   # each list's last bytes and its fragments' spans (render/spans.py)
        self._fragment_hashes: dict[str, str] | None = None   # the input hashes of the build that last rendered
        self._stored_fragments: dict | None = None   # the sealed cache's, not yet checked (None: not read yet)
        self._prose: dict[str, str] = {}            # rendered prose by key, made or checked here
        self._stored_prose: dict[str, str] | None = None   # the sealed cache's, checked when used
        # the watcher's paths not yet read by a build (None: not known, check everything)
        self._unread: set[str] | None = None
        self._trusted: frozenset[str] | None = None   # this build's word for the queries (see `build`)
        self._parts: dict[str, bytes] = {}    # the source fingerprint's per-file parts (engine/sources.py)
        self._linked: set[str] | None = None  # files the last walk also found through a link (None: no walk yet)
        self._sources_now: str | None = None  # this build's source fingerprint
        self._read_at: str | None = None      # the fingerprint of the last build that read every input
        self._unwritten: BuildState | None = None     # a state committed in place, not yet on disk (`flush`)
        self._unwritten_build = 0     # the build (by `builds`) that made `_unwritten`
        self._quiet = 0               # the last build the file watcher saw no input change during (`quiet`)
        self.trusted_builds = 0                       # builds that trusted the watcher (the tests read it)
        # the files the last load read outside the watched inputs (engine/checked.py
        # `named_elsewhere`: a portrait named by a path that leaves content/, `../../art/x.jpg`,
        # usable or not), POSIX paths under the root, each with its stat as the load ended
        # (sources.stats_of): no watcher reports their change, the serve's sweep stats
        # them beside the inputs (serve/sweep.py)
        self.elsewhere: dict[str, tuple[int, int, int, int] | None] = {}
        self._base: tuple[Path, str] | None = None    # build/ and its path as a str ending in "/" (`intact`)
        # build/ as a watcher reports it (`outputs_watched`, `outputs_touched`): the inode
        # of the build/ it watches, and the paths under it reported since the last build
        # (None: not known; every kept output is stat'ed)
        self._watch_lock = threading.Lock()
        self._outputs_watch: int | None = None
        self._touched: set[str] | None = None
        self._unseen: set[str] | None = None      # this build's: outputs to stat (None: all)
        # the last check of build/'s files (write/ownership.py) found none foundry did not
        # write, and every change to build/ since was this engine's or reported (see
        # `check_output_folder`)
        self._owned = False
        self.plans = PlanMemo()                       # each exporter's plan, kept while what it read holds
        self._paused = False                          # this build paused the cyclic collector (`workers`)
        # what `_state`'s records read, as an index (see `carried`), the paths whose record
        # replays diagnostics, and by path the exporter that planned it and each
        # exporter's recipe in the build that made `_state`
        self._reads = ReadIndex(WIDE_READS)
        self._indexed: dict | None = None     # the records `_reads` was last brought up to
        self._problems: set[str] = set()
        self._owners: dict[str, str] | None = None
        self._recipes: dict[str, str] | None = None
        self._planning: tuple[dict[str, str], dict[str, str]] | None = None   # this build's owners, recipes
        self.carried_builds = 0       # builds whose kept records were found by the index (the tests read it)
        # records written with their digest and output hash left for `flush` (see `later`):
        # this build's, and those of committed builds whose state is not written yet
        self._pending: dict[str, tuple[Record, bytes, dict[str, str]]] = {}
        self._later: dict[str, tuple[Record, bytes, dict[str, str]]] = {}
        self._warm_lists = False    # this build logs the lists' spans while no one waits (`warm_lists`)
        self._history: tuple[Signature, dict] | None = None   # git's history of HEAD, under what it stands on

    def build(self, diags: Diagnostics, changed: Iterable[str] | None = None) -> BuildReport:
        """One build of the working tree, as `foundry build --only <outputs>` would make it.
        `changed`: the project-relative POSIX paths the file watcher saw change since the
        last build (None: not known, everything is checked; see the module's docstring)."""
        self._builds += 1
        self._writer, self._next, self._fresh, self._planning = None, None, set(), None
        self._pending = {}
        # a build not told what changed (the watcher's catch-up, a sweep, a git move; not
        # the first, which the preview waits for) is no save: see `warm_lists`
        self._warm_lists = changed is None and self._builds > 1
        self._unseen = self._outputs_reported()
        self.queries.asked, self.queries.computed = {}, {}   # a no-op build asks nothing
        if changed is None:
            self._unread = None
        elif self._unread is not None:   # else not known until a build has read everything
            self._unread |= set(changed)
        self._trusted = self._trust()
        self.queries.trust(self._trusted)
        if self._trusted is not None:
            self.trusted_builds += 1
        # a build that warms the lists compiles the theme's templates too (outputs.py `_compile`)
        self.plans.begin(self._trusted is not None, warm=self.warming() or self._warm_lists)
        runs, self._sources_now = self.queries.runs, None
        try:
            report = build(self.root, diags, self.outputs, resident=self)
        finally:
            if self._paused:   # see `workers`
                self._paused = False
                gc.enable()
            if self.queries.runs > runs:     # its load read every input: what the watcher named is spent
                self._unread, self._read_at = set(), self._sources_now
            elif self._unread is None and self._sources_now is not None and self._sources_now == self._read_at:
                self._unread = set()         # every input as the last build that read them had them (a no-op)
        writer = self._writer
        if writer is not None and writer.failed:
            self.forget()     # build/ was left half-changed: the next build checks every file again
        if not report.ok:
            self.changed = []
        elif writer is not None:     # in place: only files whose bytes changed were written (or held)
            self.changed = sorted(set(writer.written) | set(writer.held) | set(writer.deleted))
        else:
            self.changed = sorted(set(report.written) | set(report.removed))
        return report

    def _trust(self) -> frozenset[str] | None:
        """The changed paths when a save may trust them (see the module's docstring),
        else None."""
        unread = self._unread
        listed = self.queries.listed("entity files")
        if unread is None or listed is None or len(unread) > MAX_WATCHED:
            return None
        # a name the last listing refused (a link out, a FIFO: HF0120, HF0125) is no
        # entity file yet: now a regular file, it is new, and the refusal replayed with
        # the listing would stand for a file that is fine (the build kept failing on it)
        known, linked = {found.rel for found in listed if not found.refused}, self._linked
        fence = Boundary(self.root)   # fresh: a link may have turned since the last build
        # a file read through a link from outside the watched folders changes without a
        # word from the watcher: its kept read could be stale, so nothing is trusted
        if linked is None or any(real.split("/", 1)[0] not in WATCHED for real in linked):
            return None
        # likewise a link the walk could not read (to nothing yet: HF0164) that would lead
        # to a file outside them: that file made, the link is an entity no watcher names
        if any(_unwatched_target(self.root, key.partition(":")[2]) for key in self._parts
               if key.startswith(("outside:", "special:"))):
            return None
        for rel in unread:
            # new, gone, a link: not a mere edit. Nor is an edit of a file another path
            # also reads, through a link or as a hard link (the watcher names only the
            # path written): that path's kept read would stay the old text
            if rel not in known or rel in linked or not _alone(fence, self.root / rel):
                return None
        return frozenset(unread)

    def sources(self, root: Path, settings: str) -> str:
        """engine/sources.py's `source_fingerprint`: from the last one's per-file parts,
        with the changed files hashed again, when this build trusts the watcher; else
        (and to start) the whole walk, keeping its parts."""
        trusted = self._trusted
        if trusted is not None and self._parts and root == self.root \
                and all(f"project:{rel}" in self._parts for rel in trusted):
            fence = boundary(root)
            try:
                for rel in trusted:
                    self._parts[f"project:{rel}"] = file_part(rel, fence.read(root / rel, MAX_HASHED))
                self._sources_now = fingerprint_of(root, settings, self._parts)
                return self._sources_now
            except (OSError, Refused):
                pass   # gone or out of bounds meanwhile: walk, as a CLI build does
        self._parts, self._linked = {}, set()
        self._sources_now = source_fingerprint(root, settings, self._parts, linked=self._linked)
        return self._sources_now

    # -- the builder's hooks (engine/builder.py) ---------------------------------------

    def history(self, root: Path, rev: str = "HEAD") -> dict:
        """git/versions.py `entity_history`, for HEAD the last one read while the files
        git writes when it may change keep their stats (git/stamp.py `signature`): the
        same dict, so the World's history hashes are not made again either. Their stats
        are taken before git is asked: a commit meanwhile moves them, and the next build
        asks again."""
        from ..git.versions import entity_history
        if rev != "HEAD":
            return entity_history(root, rev)
        stamp = signature(root)
        if self._history is not None and self._history[0] == stamp:
            return self._history[1]
        history = entity_history(root, rev)
        self._history = (stamp, history)
        return history

    def warming(self) -> bool:
        """Whether this build checks everything though nothing changed. A server started
        on a project built before answers its first build from the no-op shortcut (the
        preview is up in a second) and then knows nothing: its first save would load,
        digest and hash every kept output as a CLI build does. Its next build (the
        watcher's catch-up, before any save) therefore goes all the way while no one
        waits, so that the first save costs what every later one does. So does a build
        not told what changed while the engine holds no list's span log (`warm_lists`):
        a catch-up after a first build that rendered in a pool would be the no-op."""
        return (self._state is None and self._builds > 1) or (self._warm_lists and not self.spans.logs)

    def previous(self, build_dir: Path) -> BuildState:
        """The state of build/ as this engine left it, else as read from disk."""
        # a CLI build run meanwhile (between saves) wrote another state: start from disk
        if self._state is not None and InPlace.usable(build_dir) \
                and _signature(build_dir / STATE_FILE) == self._seen.get(STATE_FILE):
            self._previous_artifacts = self._state.artifacts
            return self._state
        self.forget()
        state = read_state(build_dir)
        self._previous_artifacts = state.artifacts
        return state

    def intact(self, build_dir: Path, rel: str, record: Record) -> bool:
        """write/state.py's `intact`, answered from memory for a file whose stat has not
        changed since this engine wrote or checked it."""
        # a str made by concatenation: 35,000 of these per save at 10,000 heroes, where
        # os.path.join of a Path cost more than the lstat itself
        if self._base is None or self._base[0] is not build_dir:
            self._base = (build_dir, os.path.join(build_dir, ""))
        path = self._base[1] + rel
        # a file whose new bytes are held (write/in_place.py `Held`) is what they say,
        # whatever build/ holds meanwhile: `flush` writes them over it
        if rel in self.held and self._state is not None and self._state.artifacts.get(rel) is record:
            return True
        known = self._seen.get(rel)
        if known is not None and self._state is not None \
                and ((kept := self._state.artifacts.get(rel)) is record or kept == record) \
                and ((self._unseen is not None and rel not in self._unseen) or known == _signature(path)):
            return True
        if not intact(build_dir, rel, record):
            return False
        signature = _signature(path)
        if signature is not None:
            self._seen[rel] = signature
        return True

    # -- build/ watched (foundry serve's output watcher, serve/server.py) -----------------

    def outputs_watched(self, inode: int | None) -> None:
        """A watcher now reports every change under build/, whose inode is `inode` (None:
        no watcher any more). What happened before it started is not known: the next
        build stats every kept output as before, and later builds only those reported."""
        with self._watch_lock:
            self._outputs_watch, self._touched = inode, None

    def outputs_touched(self, paths: Iterable[str]) -> None:
        """build/-relative POSIX paths the watcher saw change (ours included: a file this
        engine wrote is stat'ed once more by the next build). A burst of more than
        MAX_WATCHED (a `rm -r`, in which the kernel's event queue may have overflowed)
        makes the next build stat everything."""
        paths = [rel for rel in paths if TEMP_SUFFIX not in rel]   # this engine's own temporary files
        # a folder reported (or a path gone that was no output: perhaps a folder) may
        # have held outputs that are not named: everything is stat'ed
        wide = len(paths) > MAX_WATCHED or any(rel not in self._seen and not _is_file(self.root / "build" / rel)
                                               for rel in paths)
        with self._watch_lock:
            if self._touched is None:
                return
            if wide:
                self._touched = None
            else:
                self._touched.update(paths)

    def check_output_folder(self, root: Path, build_dir: Path, outputs, diags: Diagnostics) -> None:
        """write/ownership.py's `check_output_folder` (HF0126, HF0127) for this build's
        `outputs` (its previous state's paths). Walking build/ lists every file (35,000
        at 10,000 heroes, ~0.1 CPU-s a save with the outputs' folders). While the output
        watcher vouches for build/ (this build's `_unseen` is known), the last check found
        nothing foundry did not write, and build/ was changed since only by this engine's
        commits (which write and delete the state's own files; anything else, a CLI build
        or a failed write, makes it `forget`), a file nobody wrote can only be one the
        watcher reported: those are checked, not the whole tree. A folder among them (a
        folder moved in whole, whose files are not reported one by one) checks the tree."""
        reported = None
        if self._owned and self._unseen is not None and self._state is not None \
                and self._previous_artifacts is self._state.artifacts:
            reported = self._reported_entries(build_dir, self._unseen)
        found = Diagnostics()
        check_output_folder(root, build_dir, outputs, found, reported)
        self._owned = not found.items
        diags.extend(found.items)

    @staticmethod
    def _reported_entries(build_dir: Path, paths: set[str]) -> list[tuple[str, bool]] | None:
        """The reported `paths` still in build/, as ownership.py's walk lists them
        (path, is a folder), sorted; None when one is a folder (walk the tree)."""
        entries = []
        for rel in sorted(paths):
            if rel == OWN_FOLDER or rel in OWN_FILES:
                continue   # the state and summary: foundry's (anything else there is judged)
            try:
                mode = os.lstat(os.path.join(build_dir, rel)).st_mode
            except FileNotFoundError:
                continue   # gone again
            except OSError:
                return None
            if (mode & 0o170000) == 0o040000:
                return None
            entries.append((rel, False))
        return entries

    def _outputs_reported(self) -> set[str] | None:
        """The kept outputs this build must stat (those the watcher reported since the
        last build), or None: all of them (no watcher, it has just started, a burst, or
        build/ is not the folder it watches: a CLI build swapped in a new tree)."""
        with self._watch_lock:
            touched, watched = self._touched, self._outputs_watch
            self._touched = set() if watched is not None else None
        if touched is None or watched is None:
            return None
        try:
            if os.lstat(self.root / "build").st_ino != watched:
                return None
        except OSError:
            return None
        return touched

    def _changes(self, hashes: dict[str, str]) -> frozenset[str] | None:
        """The input keys whose hash differs between the last good build and this one;
        None when there is no last good build to compare with. `hashes` is this
        build's (the builder hands the same dict to every call)."""
        if self._next is None or self._next[0] is not hashes:
            self._next = (hashes, _differ(self._hashes, hashes))
        return self._next[1]

    def fresh(self, path: str, record: Record, exporter: str, recipe: str, hashes: dict[str, str]) -> bool:
        """write/state.py's `Record.fresh`, answered without a digest for a record this
        engine rendered or found fresh under the last build's hashes: its digest still
        holds exactly when none of the keys it read changed since."""
        changed = self._changes(hashes)
        if changed is not None and path in self._verified and self._state is not None \
                and self._state.artifacts.get(path) is record:
            ok = record.exporter == exporter and record.recipe == recipe and changed.isdisjoint(record.reads)
        else:
            ok = record.fresh(exporter, recipe, hashes)
        if ok:
            self._fresh.add(path)
        return ok

    def carried(self, plans: list, recipes: dict[str, str], hashes: dict[str, str], previous: BuildState,
                staging, owners: dict[str, str] | None = None) -> tuple[dict[str, Record], list] | None:
        """The builder's pass over every planned artifact (builder.py `_render`), by the
        index of what `_state`'s records read instead of a call per artifact: salsa's
        revision for outputs. Returns the records carried over as they are (fresh: none
        of the keys they read changed since they were rendered or found fresh, and
        build/ still holds their bytes) and the (exporter, item) pairs of `plans`, in
        plan order, that are decided as a CLI build decides them (`fresh`, `intact`):
        those whose reads meet a changed key or are too many to index (WIDE_READS: the
        lists), planned anew or by another exporter, not verified under the last
        build's hashes, or whose file the output watcher reported or nobody vouches
        for (every kept file is stat'ed without a watcher). None: not known here (no
        state of this engine's, no last hashes, other recipes, a staged tree): the
        builder decides every artifact. A hero save at 10,000 heroes decides a few dozen of the
        35,000 artifacts (docs/performance.md, serve9). `owners`: the exporter name that
        writes each path of `plans` (builder.py `_plan` makes it; else made here).
        The passes over every artifact run at C speed (compress, map): ~0.02 CPU-s a
        save at 10,000 heroes as comprehensions."""
        if owners is None:
            owners = {item.path: exporter.name for exporter, item in plans}
        self._planning = (owners, recipes)
        state, last = self._state, self._owners
        if state is None or previous is not state or last is None or staging is None or staging is not self._writer:
            return None
        changed = self._changes(hashes)
        if changed is None or recipes != self._recipes:
            return None
        check = {path for path, name in owners.items() if last.get(path) != name} if owners != last else set()
        check.update(self._reads.meeting(changed))
        check.update(owners.keys() - self._verified)
        kept = owners.keys() - check
        # build/ still holds each kept file's bytes: stat'ed as `intact` does, unless the
        # output watcher vouches for it (a file it did not report, whose stat is known)
        unseen = self._unseen
        stat = kept if unseen is None else (kept & unseen) | (kept - self._seen.keys())
        artifacts, build_dir = state.artifacts, staging.build_dir
        for path in stat:
            if not self.intact(build_dir, path, artifacts[path]):
                check.add(path)
        # every record but those: a copy of the dict and a few deletions, not 35,000 inserts
        kept = dict(artifacts)
        for path in check.union(artifacts.keys() - owners.keys()):
            kept.pop(path, None)
        self._fresh.update(kept)
        self.carried_builds += 1
        return kept, list(compress(plans, map(check.__contains__, map(_PATH, map(_ITEM, plans)))))

    def kept_problems(self, kept: dict[str, Record]) -> list[Record]:
        """The records of `kept` (from `carried`) whose render reported diagnostics,
        in path order (the builder replays them)."""
        return [kept[path] for path in sorted(self._problems & kept.keys())]

    def workers(self, jobs: int, requested: int | None) -> int:
        """How many processes render `jobs` artifacts: this one for a save's few (see
        the module's docstring), the CLI's rule for many (a theme edit re-renders every page).
        A save rendered here renders with Python's cyclic collector paused, as the
        builder loads with it paused (builder.py `_collector_paused`): at 10,000 heroes
        a save's renders and splices set off ~10 full collections, ~1.4 CPU-s on the
        reload path; their garbage is mostly freed by reference counting, and the rest
        is collected once the collector runs again after the build. Never in a build
        that forks: a worker would inherit the pause."""
        from ..render.pool import pool_min_jobs, worker_count
        count = worker_count(requested) if requested or jobs >= pool_min_jobs() else 1
        if count == 1 and gc.isenabled():
            gc.disable()
            self._paused = True
        return count

    @contextmanager
    def prose_cache(self, world, needed: bool):
        """builder.prose_cache, from memory: the prose this engine rendered or checked
        goes straight to the renders, the sealed cache's rows (read once) are checked
        on use as a CLI build checks them, and only what was rendered anew is written."""
        from ..load.cache import ParseCache
        needed = needed or self._warm_lists   # the lists `warm_lists` renders read prose
        if not needed:
            if self._stored_prose is None and self.warming():   # off the first save's path
                self._read_prose(ParseCache(world.project.root, "prose"))
            yield lambda prose: None
            return
        cache = ParseCache(world.project.root, "prose")
        self._read_prose(cache)
        world.prose.rendered.update(self._prose)
        world.prose.remember(self._stored_prose)
        made: dict[str, str] = {}
        try:
            yield lambda prose: [made.update(prose), [cache.put(key, html) for key, html in prose]]
        finally:
            cache.save(prune=False)
        entities = sum(map(len, (world.heroes, world.characters, world.quests, world.stories, world.templates)))
        if len(self._prose) > 4 * entities + 1000:   # mostly texts long since edited
            self._prose = {}
        self._prose.update(world.prose.rendered)
        self._prose.update(made)
        for key in self._prose.keys() & self._stored_prose.keys():
            del self._stored_prose[key]

    def _read_prose(self, cache) -> None:
        """The sealed cache's prose rows, read once (each checked when used)."""
        if self._stored_prose is None:
            self._stored_prose = {key: html for key in cache.preloaded if isinstance(html := cache.get(key), str)}

    def _read_fragments(self, cache) -> dict:
        """The sealed cache's fragments, read once, unchecked (by key)."""
        from .memo import StoredFragments
        if self._stored_fragments is None:
            stored = StoredFragments(cache)
            self._stored_fragments = {}
            for key in list(stored):
                try:
                    self._stored_fragments[key] = stored[key]
                except KeyError:
                    pass
        return self._stored_fragments

    def _adopt_fragments(self, root: Path, hashes: dict[str, str]) -> list[str]:
        """In a warming build (see `warming`): every stored fragment still fresh under
        this build's `hashes` (its digest checked, as a CLI build checks it) joins the
        fragments kept in memory, so the first save finds them as made here instead of
        reading the sealed table whole and digesting each (at 10,000 heroes ~100,000
        rows: most of the first save's extra cost, docs/performance.md, serve7).
        Returns the keys adopted."""
        from ..load.cache import ParseCache
        from ..render.digest import digest
        stored = self._read_fragments(ParseCache(root, "fragments"))
        adopted = []
        for key, fragment in list(stored.items()):
            if key not in self._fragments and digest(fragment.reads, hashes) == fragment.digest:
                self._fragments[key] = fragment
                adopted.append(key)
                del stored[key]
        return adopted

    @contextmanager
    def fragment_memo(self, world, hashes: dict[str, str], recipes: dict[str, str], needed: bool):
        """engine/memo.py's `fragment_memo`, from memory: the fragments this engine
        made or found fresh under the last build's hashes are handed over as made
        (no digest: none of the keys they read changed), those of the sealed cache
        (read once) are checked by their digest as in a CLI build, and only the
        fragments rendered anew are written to the cache."""
        from ..load.cache import ParseCache
        from ..render.fragments import FragmentMemo
        # the fragments were checked or made by the last build that rendered, which may
        # be a build that then failed: compare with the hashes of that build
        changed = self._changes(hashes) if self._fragment_hashes is self._hashes \
            else _differ(self._fragment_hashes, hashes)
        stale: list[str] = []
        if changed is None:
            trusted: dict = {}
            if self._stored_fragments is not None:
                self._stored_fragments.update(self._fragments)   # checked by their digest instead
            self._fragment_reads.clear()
        else:   # all but those whose reads meet a changed key (by the index: not a pass over 100,000)
            trusted = self._fragments
            stale = [key for key in self._fragment_reads.meeting(changed) if not changed.isdisjoint(trusted[key].reads)]
            for key in stale:
                del trusted[key]
            self._fragment_reads.update(trusted, (), gone=stale)
        # the lists' span logs made under the hashes the fragments were (render/spans.py)
        self.spans.begin(self._fragment_hashes, changed, stale)
        if changed is not None:
            # a log whose list read none of the changed keys itself and placed no stale
            # fragment is what a render under this build's hashes makes too: it holds
            # under them (else a build that renders no list, a catch-up, left every log
            # to be dropped by the next save: each list rendered whole again)
            gone = set(stale)
            for log in self.spans.logs.values():
                if changed.isdisjoint(log.own) and gone.isdisjoint(log.fragments):
                    log.hashes = hashes
        self._fragments, self._fragment_hashes = trusted, hashes
        warm = self.warming()
        needed = needed or self._warm_lists   # the lists `warm_lists` renders ask for their fragments
        if not needed:
            with fragment_memo(world, hashes, recipes, False) as pair:
                yield pair
            adopted = self._adopt_fragments(world.project.root, hashes) if warm else []
            self._fragment_reads.update(self._fragments, adopted, gone=())
            return
        cache = ParseCache(world.project.root, "fragments")
        # decoded fragments kept with them (Fragment.value): they live on between saves here
        memo = FragmentMemo(world, self._read_fragments(cache), hashes, recipes, made=dict(trusted), values=True,
                            spans=self.spans)
        made: dict = {}

        def keep(fresh, kept=(), listed_rows=0) -> None:
            # `kept` (stored rows a forked worker reused) and `listed_rows` (those of a list
            # spliced from its stored log) matter only for pruning, which a resident
            # engine does not do: those rows stay in _stored_fragments
            for key, fragment in fresh:
                made[key] = fragment
                cache.put(key, fragment.to_json())
        try:
            yield memo, keep
        finally:
            cache.save(prune=False)
        fragments = memo.made   # `trusted` and what this process added (`memo.added`)
        fragments.update(made)  # and what the renders made (a forked worker's too)
        self._fragments = fragments
        # no key is both stored and kept (each build leaves it so, `_adopt_fragments` too):
        # only those put into `fragments` now can be; those are `memo.added` (found
        # stored, or made here) and `made` (a render's), not a pass over the ~100,000
        # keys of either (~0.02 CPU-s a save at 10,000 heroes)
        stored = self._stored_fragments
        for key in (*memo.added, *made):
            stored.pop(key, None)
        adopted = self._adopt_fragments(world.project.root, hashes) if warm else []
        # what was made or found since `trusted` (a trusted one is never made again, but
        # should a render hand one back, it is indexed again all the same); nothing left
        self._fragment_reads.update(fragments, [*memo.added, *made, *adopted], gone=())

    def warm_lists(self, world, exporters: list, setups: list, made: dict, memo):
        """The Results of the lists (bundle.json, the JSON indexes, the home page, the
        indexes, the search page) this engine holds no span log for (render/spans.py),
        rendered in this process for their logs only, in a build no one waits for as
        for a save (not told what changed: the watcher's catch-up, a sweep, a git move).
        Without a log, the first save after one renders each list whole: ~1 CPU-s at
        10,000 heroes, twice what a later save costs (docs/performance.md, serve23).
        A Result is not a record: the build keeps, writes and records what it decided
        as it would have without these renders; their new fragments and prose are the
        memo's, as any render's (the builder keeps them). A log is the function of
        its list's reads and fragments that a later render would make, and a splice
        from it is that render's bytes (`tests/speed/test_list_spans.py`). Nothing
        when the renders forked (a worker's logs never reach here: `memo.spans` is
        None then) or the build has no fragment memo; a copy (`copy_of`) takes its
        original's render in a save, never a log of its own."""
        if not self._warm_lists or memo is None or memo.spans is not self.spans:
            return
        from .. import budget
        from ..render.pool import SHARED_ROWS, render_one
        logs = self.spans
        with budget.memory_limit():
            for index, exporter in enumerate(exporters):
                for item in made[exporter.name].items:
                    if item.weight in SHARED_ROWS and item.copy_of is None and item.path not in logs.logs \
                            and logs.logs_for(item.path):
                        yield render_one(world, exporter, setups[index], item, memo)

    def staging(self, root: Path, build_dir: Path, previous: BuildState):
        """Changes to build/ in place once this engine has written it; None (a staged
        tree, as the CLI makes) for the first build or a build/ that is not a folder."""
        if self._state is None or not InPlace.usable(build_dir):
            return None
        self._writer = InPlace(root, build_dir, set(previous.artifacts), self.held)
        return self._writer

    def defers(self, staging) -> bool:
        """Whether this build's state waits for `flush` (`defer_state`): build/ is
        changed in place by this engine."""
        return staging is not None and staging is self._writer

    def later(self, path: str, record: Record, data: bytes, hashes: dict[str, str]) -> Record:
        """`record` (made with an empty digest and output hash, its reads not yet
        sorted) as the build keeps it until `flush` writes the state: its reads sorted
        (~30,000 keys a list), their digest and the sha256 of its bytes (bundle.json:
        48 MB) are made there, off the reload path (~0.15 CPU-s a hero save at 10,000
        heroes). Only for a build that `defers`; nothing here needs their order.
        Until then nothing of this engine needs them: its records are fresh by the
        keys they read and intact by the stat of their file; one that is asked for
        them (not verified, a file someone touched) finds them empty and is made
        again, a safe miss."""
        self._pending[path] = (record, data, hashes)
        return record

    def _complete(self, state: BuildState) -> None:
        """The digests and output hashes `later` left out, put into the records of
        `state` that are still those records."""
        from ..render.digest import digest
        for path, (record, data, hashes) in self._later.items():
            if state.artifacts.get(path) is record:
                reads = tuple(sorted(record.reads))
                state.artifacts[path] = record._replace(reads=reads, digest=digest(reads, hashes),
                                                        output=hashlib.sha256(data).hexdigest())
        self._later = {}

    def defer_state(self, staging, state: BuildState) -> bool:
        """Whether this build's state and summary wait for `flush` (they do when build/
        is changed in place by this engine), instead of being written before the pages
        are told to reload (see the module's docstring)."""
        if staging is None or staging is not self._writer:
            return False
        self._unwritten, self._unwritten_build = state, self._builds
        return True

    @property
    def builds(self) -> int:
        """How many builds were asked of this engine (the last one's number)."""
        return self._builds

    def quiet(self) -> None:
        """The caller's file watcher, which ran since before the last build began, has
        reported no change to any input since then (serve/server.py `_watch`: a batch
        with no input in it). That build's fingerprint is then what its load read and
        its pages show, and the state it left for `flush` may be vouched for as a CLI
        build's new tree is. Without this word a state is written, never vouched for: a
        file saved while a build runs is read by its load after its fingerprint was
        taken, and its state says the old sources of pages showing the save (a save back
        to them was then taken for the no-op, the new page left in build/:
        docs/performance.md, serve23 and serve24)."""
        self._quiet = self._builds

    def flush(self) -> bool:
        """Write the files `held` holds, then the state and summary of the last build
        that deferred them, unless
        someone else wrote build/'s state since (then build/ is theirs: this engine
        starts again from disk), and stat the kept outputs once a new output watcher
        runs (`_stat_outputs`). The state is vouched for as a CLI build's tree is only
        when its build was `quiet`. False when the build lock is held elsewhere (try
        again later). Called by the server between saves (the rebuilder's lock held)."""
        if not self._write_state():
            return False
        self._stat_outputs()
        return True

    def _stat_outputs(self) -> None:
        """Once an output watcher runs on build/ and nothing is known of what happened
        there before it started (`outputs_watched`), stat every kept output now, while
        the server is idle, instead of in the next save (35,000 lstat at 10,000 heroes,
        ~0.13 CPU-s of the first save after a server starts: its catch-up swaps in a
        new build/, which the watcher then watches anew). The watcher's report is begun
        first: a file changed after that is reported, one changed before is found by its
        stat here, which is taken after; either way the next build stats it, as it
        would have stat'ed all of them. A watcher started again meanwhile (or a burst,
        a folder reported) leaves everything to be stat'ed, as before."""
        with self._watch_lock:
            watched = self._outputs_watch
            if self._touched is not None or watched is None or self._state is None:
                return
            self._touched = set()
        build_dir = self.root / "build"
        try:
            same = os.lstat(build_dir).st_ino == watched
        except OSError:
            same = False
        base = os.path.join(build_dir, "")
        moved = [rel for rel, signature in self._seen.items() if _signature(base + rel) != signature] if same else []
        with self._watch_lock:
            if not same:   # not the build/ watched: the next build stats everything (`_outputs_reported`)
                self._touched = None
            elif self._touched is not None and self._outputs_watch == watched:
                self._touched.update(moved)

    def _write_state(self) -> bool:
        """`flush`'s write of the held files and the deferred state (False: the build
        lock is held elsewhere)."""
        state = self._unwritten
        if state is None and not self.held:
            return True
        build_dir = self.root / "build"
        try:
            with project_lock(self.root, wait=0):
                self._unwritten = None
                # only the state of a build the watcher saw no input change during (`quiet`)
                vouched = self._unwritten_build == self._quiet
                if not InPlace.usable(build_dir) or _signature(build_dir / STATE_FILE) != self._seen.get(STATE_FILE):
                    self.forget()
                    return True
                if not self._write_held(build_dir) or state is None:
                    return True
                writer = InPlace(self.root, build_dir, set())
                self._complete(state)
                state_bytes = state.to_bytes(build_dir)
                sha = hashlib.sha256(state_bytes).hexdigest()   # the summary's and the memo's
                writer.write(STATE_FILE, state_bytes)
                writer.write(SUMMARY_FILE, state.summary_bytes(state_bytes, build_dir, sha))
                try:
                    writer.commit()
                    writer.settled()
                except OSError:
                    self.forget()
                    return True
                self._seen[STATE_FILE] = _signature(build_dir / STATE_FILE)
                if vouched:
                    # as a CLI build's new tree is vouched for: the next build (a save, a
                    # server started again, a CLI build) neither hashes the state nor finds
                    # its folders unknown, which made it no no-op after a serve. A save
                    # that changes a page removes the summary before it writes
                    # (write/in_place.py `commit`) and moves the folders' stats; one that
                    # changes none leaves build/ what this state says it is
                    vouch_built(build_dir, state.artifacts, state_bytes, sha)
                return True
        except Busy:
            return False

    def _write_held(self, build_dir: Path) -> bool:
        """The held files written into build/ (before the state that names them), their
        stats kept as of files this engine wrote. False when a write failed: nothing is
        trusted then (`forget`): the next build starts from the state on disk, which
        names the old files, and makes them again (a full disk says so there)."""
        if not self.held:
            return True
        try:
            written = write_held(self.root, build_dir, self.held)
        except (OSError, OutputError) as exc:
            self.unflushed = exc if isinstance(exc, OutputError) else OutputError(BUILD_DIR, exc)
            self.forget()
            return False
        artifacts = self._state.artifacts if self._state is not None else {}
        for rel in written:
            now = _signature(build_dir / rel)
            if now is not None and rel in artifacts:
                self._seen[rel] = now
            else:
                self._seen.pop(rel, None)
        return True

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
        # what was verified under this build's hashes: every record rendered now (a new
        # Record) or kept as fresh; records carried over for exporters not run are not
        previous, artifacts = self._previous_artifacts, state.artifacts
        made = list(compress(artifacts, map(is_not, artifacts.values(), map(previous.get, artifacts))))
        self._verified = (self._fresh | set(made)) & artifacts.keys()
        self._hashes = self._next[0] if self._next is not None else None
        self._state = state
        self._later.update(self._pending)
        self._pending = {}
        # the index was brought up to `previous` (a state of this engine's): only what
        # this build made or dropped is looked at, else every record by its identity
        if self._indexed is previous:
            gone, replaced = self._reads.update(artifacts, made, gone=previous.keys() - artifacts.keys())
        else:
            gone, replaced = self._reads.update(artifacts)
        self._indexed = artifacts
        self._problems.difference_update(gone)
        for path in replaced:
            if state.artifacts[path].problems:
                self._problems.add(path)
            else:
                self._problems.discard(path)
        self._owners, self._recipes = self._planning if self._planning is not None else (None, None)

    def forget(self) -> None:
        """Trust nothing kept about build/ (it was changed by someone else, or a write failed)."""
        self._state, self._seen, self._hashes, self._verified = None, {}, None, set()
        self._unwritten = None
        self.held.clear()
        self._problems, self._owners, self._recipes = set(), None, None
        self._owned = False
        self._reads.clear()
        self._indexed = None
        self._later = {}
