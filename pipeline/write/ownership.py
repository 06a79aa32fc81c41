"""Whether build/ is foundry's to replace: nothing a user wrote is replaced unasked.

A build replaces build/ whole (staging.py). That is right for what foundry wrote and
wrong for anything else, so before a build writes anything:

- `build` must be a folder foundry made, or nothing: a file, a FIFO or a link foundry
  did not make (staging.py makes only `build -> .foundry-builds/<id>`) is HF0126, and
  so is a folder holding files but no build state (`build/.foundry/state.json`, which
  every build writes): someone's own folder named build;
- in foundry's build/, every file must be one the last build wrote (its state's
  artifacts — read from its summary's paths, the same list in a smaller file, when
  there is one — with those `foundry serve` wrote in place ahead
  of its state, in_place.py `WRITTEN_FILE`, and a temporary file of an in-place write
  cut short) or its state, summary and that list (`build/.foundry/`: `OWN_FILES`, the
  only files foundry writes there); any other file, link or empty folder, in
  `.foundry/` too, is a user's and is HF0127 at its path; so is every symbolic link
  and special file anywhere but at an output's path (foundry writes only regular
  files and folders), `.foundry` itself included. One at an output's path is that
  output changed since the build (a checkout, a committed build/): made again, or
  HF0121 where carried over, never written through. When
  neither can be read but the state file is there, the folder is foundry's and
  which files it wrote is not known: nothing is reported (it is replaced).

The state is read here for its list of names only, sealed or not: the question is
which files foundry wrote, not whether to reuse them (that is state.py's, which
trusts only this machine's seal). Nothing is read but that one file; the walk lists
names and follows no link. Reports are capped at MAX_REPORTS, then one "and N more".
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from ..confine import boundary
from ..diagnostics import Diagnostics, Span
from .in_place import TEMP_SUFFIX, WRITTEN_FILE, written_ahead
from .staging import is_our_link
from .state import STATE_FILE, SUMMARY_FILE, left_as_built

OWN_FOLDER = ".foundry"   # the state and summary
# What foundry writes in OWN_FOLDER (paths under build/): a build replaces the folder with
# build/, so anything else there is a user's, as anywhere in build/ (a file in it was
# deleted unsaid: the folder was foundry's whole)
OWN_FILES = frozenset((STATE_FILE, SUMMARY_FILE, WRITTEN_FILE))
# `.page.html.foundry-tmp-1234`: an in-place write (in_place.py) stopped before its rename
_TEMP = re.compile(rf"(?:^|/)\.[^/]+{re.escape(TEMP_SUFFIX)}-\d+$")
MAX_REPORTS = 20
# The most of a state or summary read here for its names, unsealed (see the module): a
# JSON list of short strings takes ~13 times its bytes in memory, and a committed one can
# be as big as state.py's MAX_STATE_BYTES (7 GB of memory). A summary lists ~30 bytes
# per output (1 MB at 10,000 heroes); a bigger file is read as no list (as a damaged one).
MAX_LISTED_BYTES = 16 * 1024 * 1024


def check_output_folder(root: Path, build_dir: Path, outputs: set[str] | frozenset[str], diags: Diagnostics,
                        reported: list[tuple[str, bool]] | None = None) -> None:
    """HF0126 / HF0127 (see the module) for build_dir under `root`; `outputs`: the
    paths (under build/) the previous build's sealed state lists, when it could be read
    (else the state file is read for its names). `reported` (`foundry serve`,
    engine/resident.py `check_output_folder`): the only entries of build/ that can be
    new since a check of the same outputs found nothing (what its output watcher
    reported, as `_walk` lists them), checked instead of walking every file. Without
    it, a build/ whose folders all hold exactly what the build of `outputs` (a sealed
    state's paths) left in them, by their stats (state.py `left_as_built`), is not walked."""
    name = build_dir.name
    try:
        mode = os.lstat(build_dir).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        diags.add("HF0126", f"{name} cannot be looked at: {exc.strerror}", Span(name), hint=_MOVE)
        return
    if stat.S_ISLNK(mode):
        if not is_our_link(build_dir):
            diags.add("HF0126", f"{name} is a symbolic link foundry did not make: a build would replace it",
                      Span(name), hint=_MOVE)
            return
    elif not stat.S_ISDIR(mode):
        diags.add("HF0126", f"{name} is {_what(mode)}, not the folder foundry writes its outputs into: "
                  "a build would replace it", Span(name), hint=_MOVE)
        return
    if reported is None and outputs and _own_folder_as_built(build_dir) and left_as_built(build_dir, outputs):
        # every folder of build/ holds exactly what the last build left in it, by
        # stats (state.py): no walk of its 32,000 files at 10,000 heroes (~0.05 CPU-s)
        return
    # path → what it is, for each link or special file (never foundry's)
    entries = _walk(build_dir) if reported is None else _odd(build_dir, reported)
    odd: dict[str, str] = getattr(entries, "odd", {})
    if not entries:
        return   # an empty folder (or nothing new): nothing to lose
    if OWN_FOLDER in odd:
        # build/.foundry is a link: its state is not read through it, and which files
        # foundry wrote is not known; every link and special file is said ("no build
        # state", HF0126, would be this one slip said twice)
        _report(name, [(rel, f"is {what} foundry did not make") for rel, what in sorted(odd.items())], diags)
        return
    if not outputs:
        # the summary first: the same paths as the state's records, in 1 MB rather than
        # 17 at 10,000 heroes (0.01 CPU-s to read, not 0.14: `foundry check` looks every
        # time); an in-place save removes it until its state is written, then the state
        outputs = _listed(root, build_dir, SUMMARY_FILE, "paths") or _listed(root, build_dir, STATE_FILE, "artifacts")
        if outputs is None:
            if os.path.lexists(build_dir / STATE_FILE):
                return   # foundry's folder, its state damaged: which files it wrote is not known
            diags.add("HF0126", f"{name}/ holds files but no build state, so foundry did not make it: a build "
                      "would replace it", Span(name), hint=_MOVE)
            return
    ahead = written_ahead(build_dir) or frozenset()
    folders: set[str] | None = None   # the outputs' folders: made only when an entry is a folder

    def owned(rel: str, is_dir: bool) -> bool:
        nonlocal folders
        if rel in outputs or rel in ahead or rel in OWN_FILES or rel == OWN_FOLDER or _TEMP.search(rel):
            return True
        if not is_dir:
            return False
        if folders is None:
            folders = {os.path.dirname(p) for p in (*outputs, *ahead, *OWN_FILES)}
            folders |= {d for p in list(folders) for d in _ancestors(p)}
        return rel in folders
    # foundry writes regular files and folders only. A link or special file at a path
    # the last build wrote is that output changed since (a checkout, a committed build/):
    # made again, or HF0121 where carried over, as any changed output, never written
    # through. Anywhere else it is someone's, and a build would remove it unsaid.
    strays = [(rel, f"is {what} foundry did not make") for rel, what in sorted(odd.items())
              if rel not in outputs and rel not in ahead]
    foreign = [rel for rel, is_dir in entries if rel not in odd and not owned(rel, is_dir)]
    _report(name, strays + [(rel, "was not written by foundry") for rel in foreign], diags)


def _report(name: str, found: list[tuple[str, str]], diags: Diagnostics, said: int = 0) -> None:
    """HF0127 for each (path under build/, what it is), MAX_REPORTS in all (`said`:
    how many were reported already), then one "and N more"."""
    room = max(MAX_REPORTS - said, 0)
    for rel, what in found[:room]:
        diags.add("HF0127", f"{name}/{rel} {what}: a build replaces {name}/ whole and would delete it",
                  Span(f"{name}/{rel}"))
    if len(found) > room:
        at = found[room][0]
        diags.add("HF0127", f"and {len(found) - room:,} more like the {MAX_REPORTS} above in {name}/, "
                  "from here on", Span(f"{name}/{at}"))


_MOVE = ("Move it out of the way (or delete it, if it is an old output): foundry writes its outputs into a "
         "build/ folder of its own, which it makes and replaces whole.")


def _own_folder_as_built(build_dir: Path) -> bool:
    """Whether build/.foundry/ holds nothing but OWN_FILES (one listing: `left_as_built`
    vouches for the outputs' folders, not this one)."""
    if os.path.islink(build_dir / OWN_FOLDER):   # listed, it would be the link's target's names
        return False
    try:
        names = os.listdir(build_dir / OWN_FOLDER)
    except OSError:
        return False
    return {f"{OWN_FOLDER}/{name}" for name in names} <= OWN_FILES


class _Listing(list):
    """What `_walk` lists, with `odd`: path → what it is, for each link or special file."""

    def __init__(self, entries=()):
        super().__init__(entries)
        self.odd: dict[str, str] = {}


def _odd(build_dir: Path, entries: list[tuple[str, bool]]) -> _Listing:
    """`entries` (paths under build_dir `foundry serve` saw change), with those that are
    a link or a special file in `odd`, as `_walk` lists them."""
    out = _Listing(entries)
    odd = out.odd
    for rel, is_dir in entries:
        if not is_dir:
            # each folder on the way first: an lstat of the path follows a link there
            # (`api/v1/quests -> ~/notes`, put in after the last walk: the watcher
            # reported only the files under it), and a save would delete through it
            for folder in _ancestors(rel):
                try:
                    mode = os.lstat(build_dir / folder).st_mode
                except OSError:
                    break
                if not stat.S_ISDIR(mode):
                    if folder not in odd:
                        out.append((folder, False))
                        odd[folder] = _what(mode)
                    break
            else:
                try:
                    mode = os.lstat(build_dir / rel).st_mode
                except OSError:
                    continue
                if not stat.S_ISREG(mode):
                    odd[rel] = _what(mode)
    return out


def _walk(build_dir: Path) -> _Listing:
    """(path under build_dir, is a folder) of every file, link and empty folder below
    it, sorted: a folder holding something is judged by what it holds. Each link and
    special file is in its `odd` too, told by the listing's own types (no stat per file)."""
    out = _Listing()
    odd = out.odd
    top = os.fspath(build_dir)
    todo = [""]
    while todo:
        rel = todo.pop()
        try:
            entries = sorted(os.scandir(os.path.join(top, rel) if rel else top), key=lambda e: e.name)
        except OSError:
            continue
        if not entries and rel:
            out.append((rel, True))   # an empty folder: foundry writes none
        for entry in entries:
            path = f"{rel}/{entry.name}" if rel else entry.name
            if entry.is_dir(follow_symlinks=False):
                todo.append(path)
            else:
                out.append((path, False))
                if not entry.is_file(follow_symlinks=False):
                    odd[path] = "a symbolic link" if entry.is_symlink() else _odd_kind(entry)
    out.sort()
    return out


def _ancestors(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def unvouched_outputs(root: Path, build_dir: Path) -> frozenset[str]:
    """The output paths (under build/) a state or summary lists that is not sealed by
    this user's key (another user's build/, or the key deleted since), read for the
    names only: what the builder removes without reusing, so its report can name them
    (`removed`). Empty when build/ holds no such list. Only names of files in build/:
    the list is anyone's (a stranger's pull request commits it), and a `../`, `/etc/…`
    or `a//b` it names is no output, to be looked for (outside the project) or said
    removed."""
    listed = (_listed(root, build_dir, SUMMARY_FILE, "paths") or _listed(root, build_dir, STATE_FILE, "artifacts")
              or frozenset())
    return frozenset(path for path in listed if _within(path))


def _within(path: str) -> bool:
    """Whether `path` is a plain relative POSIX name, as foundry names its outputs: no
    root, no `.`, `..` or empty part (so a name under build/ is in build/)."""
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _listed(root: Path, build_dir: Path, name: str, key: str) -> frozenset[str] | None:
    """The output paths build/'s state (`artifacts`) or summary (`paths`) lists, seal
    not checked (see the module); None when the file is not there or not one."""
    try:
        blob = boundary(root).read(build_dir / name, MAX_LISTED_BYTES)
    except OSError:
        return None
    _, _, data = blob.partition(b"\n") if blob.startswith(b"hf-seal") else (b"", b"", blob)
    try:
        paths = json.loads(data).get(key)
    except (ValueError, AttributeError, RecursionError):   # not sealed: `[[[…]]]` nests past the recursion limit
        return None
    return frozenset(p for p in paths if isinstance(p, str)) if isinstance(paths, (dict, list)) else None


def _odd_kind(entry: os.DirEntry) -> str:
    try:
        return _what(entry.stat(follow_symlinks=False).st_mode)
    except OSError:
        return "a special file"


def _what(mode: int) -> str:
    return ("a file" if stat.S_ISREG(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a symbolic link" if stat.S_ISLNK(mode) else "a device")
