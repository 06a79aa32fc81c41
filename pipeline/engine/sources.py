"""One hash over every file a build reads, so a build with nothing changed can stop
before loading anything (parsing and resolving 10,000 files costs seconds).

Each file's content hash decides, never its mtime. Reading and hashing 11,500 files
still costs 0.65 s, so the hashes are remembered per file beside the file's stat
(mtime, ctime, size, inode), as git's index does: a file whose stat is unchanged is not read
again; a checkout that only resets mtimes costs one re-hash, not a rebuild."""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
import time
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..load.root import CHECK_INPUTS
from ..toolid import SHIPPED_THEME, code_files, tool_id
from ..confine import Boundary, boundary
from ..load.hash_memo import KEPT, MAX_HASHED, HashMemo, keep, recall, settled
from ..load.places import entity_folders
from ..git_process import find_repository

WATCHED = CHECK_INPUTS


@dataclass(frozen=True)
class Taken:
    """Project files already hashed by the caller: path under the root → (sha256 of the
    bytes it read, their file_stat taken before the read), and the time.time() taken
    before those stats (source_fingerprint's `taken`)."""

    files: Mapping[str, tuple[str, list[int]]]
    at: float

MEMO = "file-hashes.json"   # the inputs' hashes by stat (load/hash_memo.py)
# The digest of every input's hash and foundry's tool id, remembered under the digest
# of every input's and every foundry module's stat: a no-op build (`quick`) reads this
# one row instead of MEMO's 11,000 and foundry's 200 modules.
STAT_MEMO = "file-stats.json"


def input_files(fence: Boundary) -> tuple[list[tuple[str, str | None]], list[str], list[str]]:
    """((path, real path or None), …) of the files among the watched inputs, the
    links that lead outside, and the FIFOs, sockets and devices, by their paths under
    the root, sorted; only the confinement rule decides what is looked at
    (pipeline/confine.py): a link out is listed, never followed, stat'ed or hashed, and
    nothing that is not a regular file is read (a check names it: HF0125)."""
    found, refused, special = [], [], []
    for name in WATCHED:
        path = os.path.join(fence.root, name)
        if not os.path.lexists(path):
            continue
        real = fence.resolve(path)
        if real is None:
            refused.append(path)
        elif fence.is_file(path):
            found.append((path, str(real)))
        elif not os.path.isdir(real):
            # a FIFO, socket or device in an input folder's place, or a link to nothing
            # (HF0125, HF0164): never read, named so that one appearing is no no-op build
            special.append(path)
        else:
            files, outside = fence.walk(path, special=special)
            found += files
            refused += outside
    # a folder in an entity file's place (HF0125) holds nothing any stage reads: named
    # here as never read, so one appearing after a build is not a no-op
    special += entity_folders(fence)
    return sorted(found), sorted(refused), sorted(special)


Stat = tuple[int, int, int, int]   # (inode, size, mtime ns, ctime ns): `file_stat`


def file_stat(real: str) -> Stat | None:
    """(inode, size, mtime ns, ctime ns) of a regular file; None when gone or another kind."""
    try:
        st = os.stat(real)
    except OSError:
        return None
    if not stat_module.S_ISREG(st.st_mode):
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def stats_of(fence: Boundary, rels) -> dict[str, Stat | None]:
    """Each of `rels` (POSIX paths under the fence's root, as a build reads them: through
    the links on the way, confined) with the stat of the file it leads to, None when
    there is none or the path is refused. Never opens a file."""
    found: dict[str, Stat | None] = {}
    for rel in rels:
        real = fence.resolve(Path(fence.root, rel))
        found[rel] = file_stat(str(real)) if real is not None else None
    return found


def files_under(folder: Path) -> list[Path]:
    """Regular files below `folder` (a trusted folder, such as the shipped theme),
    hidden ones left out, under the confinement of that folder."""
    return boundary(folder).files(folder)[0]


def source_fingerprint(root: Path, settings: str, parts: dict[str, bytes] | None = None,
                       known: dict[str, str] | None = None, quick: bool = False,
                       linked: set[str] | None = None, taken: Taken | None = None,
                       rest: list[str] | None = None) -> str:
    """Changes when any input file, the git revision, foundry's version or code, the default
    theme or the build's settings (outputs, release…) change. A link that leads
    outside counts by its path alone (so adding one is a change the build then reports).
    `parts`, when given, receives what was hashed per file, in order (`project:<path>`,
    `shipped:<path>`, `outside:<path>`), for `fingerprint_of` (engine/resident.py).
    `known`, when given, is filled with each project file's sha256 by its path under
    the root (POSIX): the build loads the World with them (load/documents.py read_source).
    `quick` (without `parts`): when every file's stat is the one of a run that hashed
    them all (STAT_MEMO), answer from that run without a row per file, leaving `known`
    empty (a no-op build needs no hashes; a build that goes on asks again).
    `linked`, when given, receives the real path under the root of each project file
    also reached through a link (`content/heroes/alias.yaml -> first-hero.yaml`): an
    edit of it changes what another path reads (engine/resident.py `_trust`).
    `taken`: the project files a caller already read and hashed, each with the stat it
    had before (engine/checked.py `digest_after`): such a file is not read again while
    its stat is that one (HashMemo.taken), so a cold `foundry check` reads each file
    once.
    `rest`, when given (with `known`, and answered in full, not `quick`), receives the
    fingerprint of everything but the project's regular files' bytes (foundry's code,
    the settings, the revision, the shipped theme, links out, what is never read):
    with `known`, what engine/cutoff.py compares with the last build's."""
    since = time.time()   # before any stat: a file changed after it is not settled
    project = boundary(root)
    files, refused, special = input_files(project)
    shipped = boundary(SHIPPED_THEME)   # the theme foundry ships: an input of the pages drawn with it
    groups = (("project", project, files), ("shipped", shipped, sorted(shipped.walk(SHIPPED_THEME)[0])))
    # foundry's own modules too: the pair holds the tool id they hash to (toolid.py),
    # which is otherwise read and hashed anew by every process (~200 files)
    code = ("code", None, [(path, path) for path in code_files()])
    # each regular file's stat as `_stats` took it: the memo below trusts the same four
    # numbers, so no file is stat'ed twice (11,000 lstats at 10,000 heroes)
    taken_stats: dict[str, list[int]] = {}
    # a name that is not read is hashed with what it is: a link to nothing (HF0164, a
    # warning) replaced by a FIFO (HF0125, an error) keeps its name, and the link's
    # build was replayed for the FIFO
    what = {path: _what(path) for path in refused + special}
    stats = _stats((*groups, code), [(path, what[path]) for path in refused + special], since, taken_stats)
    if quick and parts is None and linked is None and stats is not None:
        remembered = recall(root, STAT_MEMO, stats)
        if remembered is not None and " " in remembered:
            tool, _, hashed = remembered.partition(" ")
            return _combine(root, settings, hashed, tool)
    memo = HashMemo(root, MEMO)
    h = hashlib.sha256()
    others = hashlib.sha256()   # every part but a project file's (`rest`)
    for label, fence, paths in groups:
        for path, real in paths:
            if real is None:
                continue
            # remembered by the path under its root, never the absolute path: a project
            # moved or restored into another folder (a CI cache) keeps its memo
            rel, key = _relative(path, fence.root), label + ":" + _relative(real, fence.real)
            given = taken.files.get(rel) if taken is not None and fence is project else None
            if given is not None and key == "project:" + rel:   # reached through no link
                digest = memo.taken(real, key, *given, taken.at, limit=MAX_HASHED, now=taken_stats.get(real))
            else:
                # the shipped theme's files: kept for the process (hash_memo.py KEPT), hashed once
                digest = memo.sha256(real, key, limit=MAX_HASHED, stat=taken_stats.get(real),
                                     kept=KEPT if fence is shipped else None)
            if digest is not None:
                part = os.fsencode(rel) + b"\0" + digest.encode()
                if key != label + ":" + rel:
                    # reached through a link: where it leads is published (a portrait's
                    # media name and JSON `source`), so a plain rook.png turned into a
                    # link to a copy, the same bytes, is no no-op build (engine/checked.py
                    # `_read_as` covers a link turned afterwards); and in `rest` too, or a
                    # comment edited in the same build passed the early cutoff with it
                    part += b"\0" + os.fsencode(key)
                    if fence is project:
                        others.update(os.fsencode(rel) + b"\0" + os.fsencode(key))
                h.update(part)
                if fence is not project:
                    others.update(part)
                if parts is not None:
                    parts[f"{label}:{rel}"] = part
                if known is not None and fence is project:
                    known[rel] = digest
                if linked is not None and fence is project and _relative(real, fence.real) != rel:
                    linked.add(_relative(real, fence.real))
    for path in refused:
        part = _name(path, project.root) + b"\0outside" + what[path]
        h.update(part)
        others.update(part)
        if parts is not None:
            parts[f"outside:{_relative(path, project.root)}"] = part
    for path in special:   # never read; named so that one appearing is not a no-op build
        part = _name(path, project.root) + b"\0special" + what[path]
        h.update(part)
        others.update(part)
        if parts is not None:
            parts[f"special:{_relative(path, project.root)}"] = part
    memo.save()
    if stats is not None:
        keep(root, STAT_MEMO, stats, f"{tool_id()} {h.hexdigest()}")
    if rest is not None:
        rest.append(_combine(root, settings, others.hexdigest()))
    return _combine(root, settings, h.hexdigest())


def _what(path: str) -> bytes:
    """What a name that is never read is, for the fingerprint: its file type (a FIFO, a
    socket, a device, a link) and, for a link, where it points (what its diagnostic
    names); b"" when it is gone."""
    try:
        st = os.lstat(path)
        kind = b"\0%o" % stat_module.S_IFMT(st.st_mode)
        return kind + b"\0" + os.fsencode(os.readlink(path)) if stat_module.S_ISLNK(st.st_mode) else kind
    except OSError:
        return b""


def _stats(groups, refused: list[tuple[str, bytes]], since: float, taken: dict[str, list[int]]) -> str | None:
    """The sha256 of every input's path, real path and stat (what HashMemo trusts, one
    lstat each, nothing read), or None when one of them changed less than RACY
    seconds before `since` (or vanished): its stat could then miss a change made in
    the same clock tick, so no pair is kept under it. Full paths: a project moved
    elsewhere has other stats anyway (new inodes and ctimes). `taken` receives each
    regular file's stat by its real path, as load/hash_memo.py file_stat gives it."""
    names: list[str] = [repr(refused)]
    numbers: list[int] = []
    for label, _, paths in groups:
        names.append(label)
        by_folder: dict[str, list[str]] = {}
        for path, real in paths:
            if real is not None:
                names += (path, real)
                folder, _, name = real.rpartition(os.sep)
                by_folder.setdefault(folder, []).append(name)
        for folder, files in by_folder.items():
            # each name stat'ed in its open folder (a real folder inside the root, found
            # by the walk; not followed if it became a link since): the kernel looks up
            # one name, not the whole path, which is most of an lstat on 11,000 files
            try:
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return None
            try:
                for name in files:
                    st = os.lstat(name, dir_fd=fd)
                    numbers += (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_mode)
                    if stat_module.S_ISREG(st.st_mode):
                        taken[folder + os.sep + name] = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
            except OSError:
                return None
            finally:
                os.close(fd)
    if numbers and not settled(max(max(numbers[0::5]), max(numbers[1::5])), since):
        return None
    h = hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape"))
    try:
        h.update(array("q", numbers).tobytes())   # fixed width: no digits to print
    except OverflowError:   # an inode number past 2**63
        h.update(repr(numbers).encode())
    return h.hexdigest()


def _header(root: Path, settings: str, tool: str | None = None) -> bytes:
    return f"{tool or tool_id()}\0{settings}\0{_revision(root)}\0".encode()


def _revision(root: Path) -> str:
    """The git revision as far as the fingerprint needs it (git/versions.py revision_key):
    outside a repository, no git module and no process at all."""
    if find_repository(root) is None:
        return "unversioned"
    from ..git.versions import revision_key
    return revision_key(root)


def _combine(root: Path, settings: str, files: str, tool: str | None = None) -> str:
    """The fingerprint: the build's header (foundry's `tool` id, settings, revision)
    and the digest of every file's part."""
    return hashlib.sha256(_header(root, settings, tool) + files.encode()).hexdigest()


def fingerprint_of(root: Path, settings: str, parts: dict[str, bytes]) -> str:
    """`source_fingerprint` from the per-file `parts` it handed out, some since replaced
    by their files' new hashes (`file_part`): for a caller that knows which files
    changed (the file watcher of `foundry serve`) and that none was added or removed."""
    h = hashlib.sha256()
    for part in parts.values():
        h.update(part)
    return _combine(root, settings, h.hexdigest())


def file_part(rel: str, data: bytes) -> bytes:
    """The part `source_fingerprint` hashes for the project file at `rel` holding `data`."""
    return os.fsencode(rel) + b"\0" + hashlib.sha256(data).hexdigest().encode()


def _relative(path: str, root: str) -> str:
    """`_name` as a str (os.fsdecode of it), by slicing in the common case: 11,000
    calls in a no-op build."""
    if os.sep == "/" and path.startswith(root) and path[len(root):len(root) + 1] == "/" and "/." not in path:
        return path[len(root) + 1:]
    return os.fsdecode(_name(path, root))


def _name(path: str, root: str) -> bytes:
    """The path's bytes under root, as the filesystem has them: a file name that is
    not UTF-8 (a pull request can commit one) is hashed, not an internal error."""
    text, base = os.fspath(path), os.fspath(root)
    if os.sep == "/" and text.startswith(base + "/") and "/." not in text:   # the common case, without pathlib
        return os.fsencode(text[len(base) + 1:])
    return os.fsencode(Path(os.path.relpath(path, root)).as_posix())
