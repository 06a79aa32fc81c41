"""`foundry check` of a project in which nothing changed since the last check: the
early cut-off at the top of the query graph.

The whole check is a function of its inputs: every file a build reads (hashed as the
no-op build hashes them, engine/sources.py: by content, remembered beside each file's
stat), the names of every file and folder under them (hidden ones too: a dotfile in
content/heroes/ is HF0113, a folder's name can be HF0130, and neither is hashed as a
build input), the git revision, foundry's code and the `--release` setting. Its result
is the list of diagnostics (every field, in the order found) and the counts the JSON
report shows. Both are kept, sealed with this user's key (pipeline/seal.py), in
.foundry-cache/check.json under the digest of those inputs; a check whose inputs have
the same digest reports them again without loading anything. Any other digest, a memo
that does not verify or is not in the shape written here, is a miss: the check runs
(and the per-file query memo, pipeline/queries.py, makes an edit cost about one file).

Not kept (the check runs every time) while a link stands under the inputs, for
`--release`, when the check could not find or read an image, or found a committed link
checked out as a file (see `keepable`): the digest would not see a change behind them. Safe to delete. A check during which an input changed (its stat moved between a
snapshot taken before the check and the digest and one taken after both) leaves no memo behind.

With no memo to replay (a cold check), the digest is made after the check instead,
from the hashes its load took of the bytes it read (`digest_after`): each file is
read once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import posixpath
import stat
import sys
import threading
from pathlib import Path
from typing import Any

from .. import seal
from ..confine import Refused, boundary
from ..diagnostics import Diagnostic
from ..fontconfig import machine_fonts
from ..lifeline import die_with_parent
from ..load.cache_folder import cache_folder
from ..load.root import CHECK_INPUTS
from ..queries import diagnostic_row, from_row
from .sources import Taken, source_fingerprint

MEMO = "check.json"
MAX_MEMO_BYTES = 64 * 1024 * 1024   # ~300,000 diagnostics; a bigger file was not written here
# Names under the inputs from which a cold check's digest is made in a forked process
# (`DigestBehind`): ~17 µs a file at 10,000 heroes, so below this it costs less
# than the fork, the pipe and the process's start.
BEHIND_MIN_NAMES = 2000


Snapshot = list   # (path, size, mtime, ctime, inode, mode) of every file and folder under the inputs


def inputs_digest(root: Path, release: bool) -> tuple[str, Snapshot]:
    """The digest of everything `foundry check [--release]` of the working tree reads,
    and a snapshot of the inputs' stat taken before it: `unchanged_since` tells, after
    the check, whether anything moved while it ran."""
    before = snapshot(root)
    return _digest(root, release, before), before


def remembered(root: Path) -> bool:
    """Whether a memo is there to be replayed (else a check need not know its digest
    before it runs: `digest_after`)."""
    path = _path(root)
    return path is not None and os.path.lexists(path)


def digest_after(root: Path, release: bool, before: Snapshot, at: float, world: Any) -> str:
    """`inputs_digest`'s digest, made after a check that had no memo to replay (cold),
    with `before` (`snapshot`, taken at time.time() `at`) unchanged since: each content
    file and image the check read is hashed by the sha256 its load took of the bytes it
    read (`read_hashes`), not read and hashed again, when its stat is still the one
    `before` holds and was settled by then (load/hash_memo.py `HashMemo.taken`; any
    other file is read and hashed as `inputs_digest` does). Reading 10,000 files once
    instead of twice: ~0.15 CPU-s of a cold check at 10,000 heroes."""
    return _digest_taken(root, release, before, at, read_hashes(world))


def _digest_taken(root: Path, release: bool, before: Snapshot, at: float, taken: dict[str, str]) -> str:
    """`digest_after` with the hashes the check took (`read_hashes`) given."""
    stats = {rel: [mtime, ctime, size, ino] for rel, size, mtime, ctime, ino, mode in before if stat.S_ISREG(mode)}
    files = {rel: (sha, stats[rel]) for rel, sha in taken.items() if rel in stats}
    return _digest(root, release, before, Taken(files, at))


class DigestBehind:
    """`digest_after`, made in a process forked before the check loads anything and
    handed the load's hashes once it is done (`begin`), so that it is made on the
    other core while this process goes on (checking the outputs, saving the parse
    cache); `result` waits for it. At 10,000 heroes the digest is ~0.2 CPU-s that a
    cold check spent alone at its end with the second core idle (docs/performance.md,
    check29). Forked this early, not once the World is loaded: a process forked with
    the World's ~400 MiB made this one copy each page it wrote next (~44,000 pages,
    +0.15 CPU-s in planning the outputs alone). The same digest either way: of the same
    snapshot, hashes and files, read after the load (the caller's `unchanged_since`
    after the whole check covers both). Made here instead, by `result`, for a small
    project (BEHIND_MIN_NAMES), when this process runs other threads (a fork would copy
    their locks, not them) or cannot fork, or when the child does not answer with a
    digest (killed, failed). `close` ends the child when no digest is wanted."""

    def __init__(self, root: Path, release: bool, before: Snapshot, at: float) -> None:
        self.args = (root, release, before, at)
        self.child: Any = None
        self.send: Any = None      # the load's hashes, to the child
        self.receive: Any = None   # its digest, back
        self.begun = False
        if len(before) < BEHIND_MIN_NAMES or threading.active_count() > 1 \
                or "fork" not in multiprocessing.get_all_start_methods():
            return
        seal.key(root)   # read (or made) once, here: the child seals its memos with the same key
        context = multiprocessing.get_context("fork")
        for stream in (sys.stdout, sys.stderr):   # the child ends by flushing them: not with this process's text in them
            stream.flush()
        hashes, self.send = context.Pipe(duplex=False)
        self.receive, answer = context.Pipe(duplex=False)
        child = context.Process(target=_digest_child, args=(os.getpid(), (hashes, answer), (self.send, self.receive),
                                                            *self.args),
                                name="check-digest", daemon=True)
        try:
            child.start()
        except OSError:
            self.send.close()
            self.receive.close()
            self.send = self.receive = None
            return
        finally:   # the child's ends: at its exit the pipe reports end of file, not silence
            hashes.close()
            answer.close()
        self.child = child

    def begin(self, world: Any) -> None:
        """Hand the child what the load of `world` hashed (`read_hashes`): it makes the digest now."""
        if self.send is None:
            return
        try:
            self.send.send(read_hashes(world))
            self.begun = True
        except OSError:   # the child is gone: `result` makes the digest here
            pass
        finally:
            self.send.close()
            self.send = None

    def result(self, world: Any) -> str:
        """The digest: the child's, else made here."""
        answer = b""
        if self.child is not None and self.begun:
            try:
                answer = self.receive.recv_bytes(64)
            except (EOFError, OSError):   # ended without answering (or said more than a digest)
                pass
        child = self.child
        self.close(stop=False)
        if child is not None and child.exitcode == 0 and len(answer) == 64:
            return answer.decode("ascii")
        return digest_after(*self.args, world)

    def close(self, stop: bool = True) -> None:
        """End the child and wait for it: told by the end of its pipe when it waits for
        hashes, stopped (`stop`) when it was making a digest no longer wanted (its
        memo files are replaced whole or not at all)."""
        for end in (self.send, self.receive):
            if end is not None:
                end.close()
        self.send = self.receive = None
        if self.child is not None:
            if stop and self.begun:
                self.child.terminate()
            self.child.join()
            self.child = None


def _digest_child(parent: int, mine: tuple[Any, Any], theirs: tuple[Any, Any], root: Path, release: bool,
                  before: Snapshot, at: float) -> None:
    """The forked process of `DigestBehind`: waits for the load's hashes, then sends the
    digest whole, or nothing (the pipe's end) when none came. A failure here is not
    reported (no traceback on the terminal): the parent makes the digest itself, and
    meets it there as the check always did. The parent's ends of the pipes, inherited,
    are closed first: else the parent's closing its end would never reach `recv`.
    It dies with `parent` (pid), however that dies (lifeline.py): else a check killed
    by SIGKILL left it waiting for ever on a pipe a parse worker forked later held
    open, or writing its memo files into the project after the check was gone."""
    die_with_parent(parent)
    hashes, answer = mine
    for end in theirs:
        end.close()
    try:
        taken = hashes.recv()
        answer.send_bytes(_digest_taken(root, release, before, at, taken).encode("ascii"))
    except BaseException:   # EOFError (no digest wanted), Ctrl-C included
        pass
    finally:
        answer.close()


def read_hashes(world: Any) -> dict[str, str]:
    """The sha256 of the bytes the check read, by path under the root: every entity's
    file that it read whole (not one it took by a hash already known:
    files.SourceFile.settled) and every portrait."""
    if world is None:
        return {}
    out = {asset.path: asset.sha256 for asset in world.portraits.values()}
    for entry in world.entries():
        source = entry.doc.source
        if source._where is None:   # read whole, hashed as read
            out[source.path] = source.sha256
    return out


def _digest(root: Path, release: bool, before: Snapshot, taken: Taken | None = None) -> str:
    # the machine's fonts too: whether a character prints (HF0741, HF0752) is theirs to say,
    # and a check after installing the font the hint names said the warnings again; and the
    # operator's budgets (budget.limits: HF0715's pixels, HF0710's seconds), under which
    # the same theme is said otherwise
    # (and whether PDFs can be made here at all: HF0742, said until Pango is installed)
    from ..budget import limits
    from ..exporters.pdf_engine import pango_present
    from ..toolid import yaml_parser   # (and the YAML parser: HF0746, and files it reads otherwise)
    h = hashlib.sha256(source_fingerprint(root, f"check|{release}|{machine_fonts()}|{limits()}|{pango_present()}"
                                                f"|{yaml_parser()}",
                                          quick=True,
                                          taken=taken).encode())
    for rel, size, mtime, ctime, ino, mode in before:
        # every name, hidden ones and folders too, with what it is: a FIFO (HF0125, an
        # error) replaced by a link to nothing (HF0164, a warning) keeps its name and
        # hashes no content, and the FIFO's check was replayed for it
        h.update(os.fsencode(rel) + b"\0" + b"%o\0" % stat.S_IFMT(mode))
        if os.path.basename(rel.rstrip("/")).startswith("."):   # and hidden files' stat: they are not hashed
            h.update(f"{size}:{mtime}:{ctime}:{ino}\0".encode())
    return h.hexdigest()


def snapshot(root: Path) -> Snapshot:
    """Every name below the inputs (links not followed: the fingerprint hashes what
    they lead to) with its lstat. One lstat per file, nothing read."""
    out: Snapshot = []

    def add(rel: str) -> os.stat_result | None:
        try:
            st = os.lstat(os.path.join(root, rel.rstrip("/")))
        except OSError:
            return None
        out.append((rel, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_mode))
        return st

    for top in CHECK_INPUTS:
        st = add(top)
        if st is None or not stat.S_ISDIR(st.st_mode):
            continue
        base = os.path.join(root, top)
        for folder, dirs, files in _walk_down(base):
            # `top` and the names below it (_walk_down joins them on): os.path.relpath split
            # both whole paths again, a folder nested 1,200 deep most of a check's time
            rel = top + folder[len(base):]
            for name in sorted(files) + [d + "/" for d in dirs]:
                add(f"{rel}/{name}")
    return out


def _walk_down(top: str):
    """os.walk(top) with each folder's subfolders sorted (top-down, into no link), one
    folder at a time: Python 3.11's os.walk calls itself once per level, and a folder
    nested some thousand deep (a pull request can commit one) stopped `foundry check`
    with RecursionError."""
    todo = [top]
    while todo:
        folder = todo.pop()
        dirs, files = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        # not followed: a link's target may be outside the project, never stat'ed
                        # (a link under the inputs keeps no check anyway: `keepable`)
                        is_dir = entry.is_dir(follow_symlinks=False)
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError:
            continue
        dirs.sort()
        yield folder, dirs, files
        # deepest first out of the stack: the first subfolder's tree before the second's
        todo.extend(os.path.join(folder, d) for d in reversed(dirs))


# Findings about files the digest may not cover (an image named by a path that leaves
# content/, missing or unreadable; a committed link checked out as a file, HF0184, which
# git's `core.symlinks` setting decides, outside the inputs): a check that made one is not
# kept, so fixing the file or the setting is seen by the next check.
UNCOVERED = frozenset({"HF0306", "HF0307", "HF0702", "HF0184"})


def keepable(before: Snapshot, diagnostics: list[Diagnostic], release: bool) -> bool:
    """Whether a finished check's result may be replayed later. Not when a link stands
    under the inputs (the snapshot sees the link, not what it leads to: a hidden file or
    a changed target behind it would be missed), not for `--release` (its World has
    dropped drafts, so the images it read are not all the check looked at), and not
    when the check reported an image it could not find or read, or a link git checked
    out as a file (UNCOVERED)."""
    if release or any(code in UNCOVERED for code in (d.code for d in diagnostics)):
        return False
    return not any(stat.S_ISLNK(mode) for *_, mode in before)


def unchanged_since(root: Path, before: Snapshot) -> bool:
    """Whether no input was added, removed or written since `before` was taken (a
    check that ran meanwhile may have read another version than the digest covers)."""
    return snapshot(root) == before


def digested(rel: str) -> bool:
    """Whether the file at `rel` (POSIX, from the root) is among the inputs the digest
    covers (engine/sources.py `input_files`): under an input folder, and its name not
    hidden, as the walk leaves a hidden file out (`portrait: .aria.png` beside the hero
    is read all the same)."""
    return rel.split("/", 1)[0] in CHECK_INPUTS and not rel.rpartition("/")[2].startswith(".")


def read_elsewhere(world: Any) -> dict[str, str]:
    """Files the check read outside the inputs the digest covers, with their sha256: an
    image a hero names by a path that leaves content/ (still inside the project) or a
    hidden one; and each path written through a link (World.portrait_routes), read
    again through it: the link turned to another folder reads another file."""
    if world is None:
        return {}
    shas = {asset.path: asset.sha256 for asset in world.portraits.values()}
    found = {rel: sha for rel, sha in shas.items() if not digested(rel)}
    found.update((written, _read_as(shas[rel], written, rel)) for written, rel in world.portrait_routes.items()
                 if rel in shas)
    return found


def _read_as(sha: str, written: str, real: str) -> str:
    """What `read_elsewhere` keeps of the file read at `written` (POSIX, from the root,
    `..` kept) whose real path from the root is `real`: its sha256, and, when a link on
    the way led it elsewhere than the words read, that path too. The file's path is
    published (its media name's stem, the JSON's `source`): `rook.png -> ../../art/v1.png`
    turned to `v2.png`, the same bytes, was taken for no change, and build/ kept
    `media/v1-….png` where a clean build writes `media/v2-….png`."""
    return sha if posixpath.normpath(written) == real else f"{sha} {real}"


def named_elsewhere(world: Any) -> tuple[str, ...]:
    """The image files people name outside the inputs the digest covers, usable or not
    (a portrait at `../../art/aria.jpg`, one cut off too, or one not exported yet; a
    hidden one), and each path written through a link (World.portrait_routes), by their
    paths from the root: what no file watcher reports, which `foundry serve`'s sweep
    stats (serve/sweep.py)."""
    return tuple(sorted({*(rel for rel in world.portrait_files if not digested(rel)), *world.portrait_routes}))


def same_files(root: Path, files: Any) -> bool:
    """Whether each file in `files` (path under `root` → sha256; what `read_elsewhere`
    found) still holds those bytes, read under the confinement rule, and a path through
    a link still leads to the file it led to (`_read_as`)."""
    if not isinstance(files, dict):
        return False
    fence = boundary(root)
    for rel, sha in files.items():
        try:
            real = fence.resolve(Path(root, rel)) if isinstance(rel, str) else None
            if real is None:
                return False
            at = os.path.relpath(real, fence.real).replace(os.sep, "/")
            if _read_as(hashlib.sha256(fence.read(Path(root, rel))).hexdigest(), rel, at) != sha:
                return False
        except (OSError, Refused):
            return False
    return True


def replayed(root: Path, digest: str) -> tuple[list[Diagnostic], dict[str, int]] | None:
    """(diagnostics, counts) of the last check when its inputs had `digest` (and the
    files it read elsewhere are unchanged), else None."""
    path = _path(root)
    if path is None:
        return None
    try:
        data = seal.unseal(seal.key(root), MEMO, boundary(root).read(path, MAX_MEMO_BYTES))
        value = json.loads(data) if data is not None else None
        if not isinstance(value, dict) or value.get("inputs") != digest or not same_files(root, value["elsewhere"]):
            return None
        counts = value["counts"]
        if not isinstance(counts, dict) or not all(isinstance(k, str) and type(v) is int for k, v in counts.items()):
            return None
        return [from_row(row) for row in value["diagnostics"]], counts
    except (OSError, ValueError, TypeError, KeyError):
        return None


def remember(root: Path, digest: str, diagnostics: list[Diagnostic], counts: dict[str, int],
             elsewhere: dict[str, str] | None = None) -> None:
    """Keep a finished check's result under the digest of its inputs (atomically; a
    failure to write only costs the next check its shortcut)."""
    path = _path(root)
    if path is None:
        return
    payload = json.dumps({"inputs": digest, "diagnostics": [diagnostic_row(d) for d in diagnostics],
                          "counts": counts, "elsewhere": elsewhere or {}}, separators=(",", ":")).encode()
    try:   # through the project's Boundary: never through a link at the name or a folder swapped for one
        boundary(root).replace(path, seal.seal(seal.key(root), MEMO, payload))
    except OSError:   # Refused included: nothing is written
        pass


def _path(root: Path) -> Path | None:
    folder = cache_folder(root)
    return folder / MEMO if folder is not None else None
