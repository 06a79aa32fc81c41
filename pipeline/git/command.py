"""The domain's git commands (history, credits, versions) on top of git_process.py, the
one way foundry runs git (its docstring says how a pull request is kept from making git
run anything); what is added here: `log` and the mailmap run off the work tree."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..git_process import DIFF_LIKE, GitRepo, command, environment, find_repository

if TYPE_CHECKING:
    import subprocess

# What git opens by name in the work tree, with a plain blocking open(): the top's
# `.mailmap` (for the names `log` shows: %aN), a `.gitattributes` in each folder down to
# a file `log -M` weighs as a rename (binary or text: attributes), and a `.gitignore` in
# each folder `ls-files --others --exclude-standard` lists. A FIFO there (git cannot
# commit one; a setup script or a stray `mkfifo` can leave one) held git, and
# `foundry build`, `diff` and `history` with it, forever; so did a link there on a git
# older than 2.32, which follows it anywhere. So `log` (any diff-like command) is run
# on an empty work tree, given a copy of the top's `.mailmap` when that is a regular
# file (a special one is no .mailmap: versions.py mailmap_key says so too); attributes
# then come from the index, as committed. A .gitignore: versions.py `uncommitted`.
# `foundry check` names any of them (HF0125).
from ..load.root import MAILMAP  # noqa: E402  (with IGNORES and ATTRIBUTES: named below both, for the check)
MAPS_NAMES = frozenset({"log", "shortlog", "show", "whatchanged", "blame", "check-mailmap"})


def special(path: Path | str) -> bool:
    """Whether `path` is there and is neither a regular file nor a folder (lstat only:
    it is never opened), so git must not be left to open it: a FIFO, socket or device,
    or a link, which git 2.32 and later do not follow in the work tree and an older git
    follows anywhere (a committed `.mailmap -> /dev/zero` was read without end)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def run_git(root: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run git on the repository of the project at `root` (from `root`, so paths and
    `--show-prefix` are relative to it). Raises OSError when git is missing or `root`
    is in no repository (callers treat both as "unversioned")."""
    import subprocess   # here: a no-op build of a project outside git runs none
    repo = find_repository(root)
    if repo is None:
        raise FileNotFoundError("not inside a git repository")
    if args and args[0] in MAPS_NAMES | DIFF_LIKE:
        return _run_off_tree(repo, root, args, input=input, mailmap=not special(repo.work_tree / MAILMAP))
    return subprocess.run(command(repo, Path(os.path.realpath(root)), *args), capture_output=True, input=input,
                          env=environment(), check=False)



def run_git_committed(root: Path, commit: str, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """Like run_git, for a command about `commit` alone (a `--ref` build's `git log`):
    git reads no file of the working tree. The work tree git is given is an empty
    temporary folder (with the project's sub-folder, so `--relative` and pathspecs mean
    what they mean from `root`), since git reads `.mailmap` from the work tree's top,
    whatever the revision; the commit's own `.mailmap`, if it has one, is read from the
    object store (`mailmap.blob`). Raises OSError as run_git does."""
    repo = find_repository(root)
    if repo is None:
        raise FileNotFoundError("not inside a git repository")
    return _run_off_tree(repo, root, args, config=(f"mailmap.blob={commit}:.mailmap",), input=input)


def _run_off_tree(repo: GitRepo, root: Path, args: tuple[str, ...], config: tuple[str, ...] = (),
                  input: bytes | None = None, mailmap: bool = False) -> subprocess.CompletedProcess:
    """`git <args>` on `repo` with an empty temporary folder for its work tree (holding
    the project's sub-folder, so `--relative` and pathspecs mean what they mean from
    `root`): git reads no file of the real one (attributes it reads from the index),
    but for a copy of the top's `.mailmap` when `mailmap` is set and it is a regular file."""
    import subprocess
    import tempfile
    prefix = os.path.relpath(os.path.realpath(root), repo.work_tree)
    with tempfile.TemporaryDirectory(prefix="foundry-git-") as empty:
        here = Path(empty, prefix) if prefix != "." else Path(empty)
        here.mkdir(parents=True, exist_ok=True)
        names = _regular_bytes(repo.work_tree / MAILMAP) if mailmap else None
        if names is not None:
            Path(empty, MAILMAP).write_bytes(names)
        return subprocess.run(command(GitRepo(repo.git_dir, Path(empty)), here, *args, config=config),
                              capture_output=True, input=input, env=environment(), check=False)


def _regular_bytes(path: Path) -> bytes | None:
    """The bytes of `path` if it is a regular file (opened without following a link or
    waiting on a FIFO, then checked), else None."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None
