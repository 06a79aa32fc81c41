"""The one way foundry runs git: on the repository WE found, with every setting that
can run a command switched off (git/command.py adds what the domain needs: the
mailmap, `log` off the work tree). Here, below every stage, so that seal.py can ask
git whether a key file is tracked without reaching up into the domain.

A pull request writes every file of the project. Left to itself, git would discover
a repository from the current folder, and a project folder holding `HEAD`,
`objects/`, `refs/` and a `config` (committed by the pull request) IS a bare
repository to git: its `core.fsmonitor` would run a command. So:

- The repository is found here, never by git: walking up from the project's real
  root, the first `.git` folder (or `.git` file of a worktree or submodule, "gitdir:
  …"). Git never checks out a path named `.git`, so a pull request cannot plant one.
  git then runs with explicit `--git-dir` and `--work-tree` and discovers nothing.
- Command-running settings are overridden on the command line for every call
  (`SAFE_CONFIG`), and diff-like commands get `--no-ext-diff --no-textconv`.
  Filters (`filter.<driver>.clean/smudge/process`) cannot be switched off by name,
  so foundry only runs commands that never filter: plumbing that reads objects
  (`ls-tree`, `cat-file --batch` without `--filters`, `log` without patches,
  `ls-files` without refreshing the index); `versions.uncommitted` hashes the
  working files itself instead of running `git status`.
- git is the one installed, found in PATH's absolute folders only (programs.py): a
  relative folder there (`PATH=:/usr/bin`) found the pull request's own `git` in
  the project, and ran it.
- The environment carries no GIT_* variable of the caller's except
  GIT_CONFIG_GLOBAL (the user's choice of their own configuration file): GIT_DIR,
  GIT_WORK_TREE, GIT_CONFIG_PARAMETERS, GIT_EXTERNAL_DIFF, GIT_SSH_COMMAND… are
  dropped; the system configuration is not read, and git never prompts.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import programs

if TYPE_CHECKING:   # imported where git is run: a no-op build outside git runs none
    import subprocess

# -c settings on every call: nothing git does for foundry may run a program, reach the
# network or page its output.
SAFE_CONFIG = (
    "core.fsmonitor=false",          # would run a command (or hook) on index refresh
    "core.hooksPath=/dev/null",      # no hooks, whatever a command triggers
    "safe.bareRepository=explicit",  # belt and braces: never an implicit bare repository
    "protocol.allow=never",          # no transport at all: no fetch, no lazy fetch of a partial clone
    "core.pager=cat",
    "core.editor=false",
    "sequence.editor=false",
    "credential.helper=",            # an empty value resets the list of helpers
    "log.showSignature=false",       # would run gpg
    "gpg.program=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "core.untrackedCache=false",     # ls-files --others must not write the index
)
DIFF_LIKE = frozenset({"log", "show", "diff", "diff-tree", "diff-index", "diff-files", "whatchanged"})
KEPT_ENV = frozenset({"GIT_CONFIG_GLOBAL"})
# Where git finds the user's settings: $GIT_CONFIG_GLOBAL, else $HOME/.gitconfig and
# $XDG_CONFIG_HOME/git/config. A relative value names a folder of the current one, and
# git runs with `-C` the project: with XDG_CONFIG_HOME=cfg (or HOME=.), a pull request's
# committed `cfg/git/config` was read as the user's own settings, its `mailmap.file`
# and `include.path` reading any file of the machine into the credits. A relative one is
# dropped, as the XDG Base Directory specification says to ignore it.
ABSOLUTE_ENV = ("GIT_CONFIG_GLOBAL", "HOME", "XDG_CONFIG_HOME")


@dataclass(frozen=True)
class GitRepo:
    git_dir: Path     # the repository's .git folder (or a worktree's folder inside one)
    work_tree: Path   # the folder holding .git


def find_repository(root: Path) -> GitRepo | None:
    """The repository a project belongs to: the nearest `.git` folder or gitfile at or
    above the project's real root, or None. Never a bare repository, never one made
    of the project's own files."""
    start = Path(os.path.realpath(root))
    for folder in (start, *start.parents):
        found = _git_dir(folder / ".git")
        if found is not None:
            return GitRepo(found, folder)
        if _is_file(folder / ".git"):
            # git stops at a gitfile it cannot follow ("not a git repository: <path>"):
            # looking on upward read the history of a repository around it, one git refuses
            return None
    return None


def broken_gitfile(root: Path) -> tuple[Path, str] | None:
    """The `.git` file (a worktree's or submodule's `gitdir: <path>`) at or above the
    project that git stops at and cannot follow, with what it names (or "" when it is
    no gitfile): its repository moved or deleted, or the folder copied without it. None
    when the project is in a repository or in none."""
    start = Path(os.path.realpath(root))
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if _git_dir(dot_git) is not None:
            return None
        if _is_file(dot_git):
            try:
                with open(dot_git, "rb") as stream:
                    text = stream.read(MAX_GITFILE + 1)
            except OSError:
                text = b""
            named = os.fsdecode(text[len(b"gitdir: "):].rstrip(b"\r\n")) if text.startswith(b"gitdir: ") else ""
            return dot_git, named
    return None


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _git_dir(dot_git: Path) -> Path | None:
    try:
        mode = os.stat(dot_git).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        return dot_git if (dot_git / "HEAD").exists() else None
    if stat.S_ISREG(mode):   # a worktree's or submodule's "gitdir: <path>"
        try:
            with open(dot_git, "rb") as stream:
                text = stream.read(MAX_GITFILE + 1)
        except OSError:
            return None
        # read as git reads it (setup.c read_gitfile_gently): the bytes after "gitdir: "
        # up to the trailing line ends, a path's own bytes kept. Decoded as UTF-8 and cut
        # at the first line end, a worktree at a path with a newline or a byte that is
        # not UTF-8 (`git worktree add "/srv/wt\xff"`) was "not inside a git repository".
        if text.startswith(b"gitdir: ") and len(text) <= MAX_GITFILE:
            target = Path(dot_git.parent, os.fsdecode(text[len(b"gitdir: "):].rstrip(b"\r\n")))
            return target if (target / "HEAD").exists() else None
    return None


# The longest gitfile read (git's own bound is the file's size; a path is < 4 KiB)
MAX_GITFILE = 64 * 1024


def environment() -> dict[str, str]:
    """The caller's environment without its GIT_* settings, PATH's relative folders
    (what git runs is looked for there: programs.py) and a relative ABSOLUTE_ENV
    value, plus ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in KEPT_ENV}
    if "PATH" in env:
        env["PATH"] = programs.search_path(env["PATH"])
    for name in ABSOLUTE_ENV:
        if env.get(name) and not os.path.isabs(env[name]):
            del env[name]
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
                "GIT_NO_LAZY_FETCH": "1", "GIT_PAGER": "cat", "LC_ALL": "C"})
    return env


def git() -> str:
    """The installed git's absolute path (programs.find: never one in a project).
    Raises FileNotFoundError when there is none, as running a missing git would."""
    found = programs.find("git")
    if found is None:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "git")   # as running a missing one raises
    return found


def command(repo: GitRepo, cwd: Path, *args: str, config: tuple[str, ...] = ()) -> list[str]:
    """The full command line for `git <args>` on `repo`, run from `cwd`; `config`: more
    `-c` settings, given before SAFE_CONFIG's so they can never override one of them.
    Raises FileNotFoundError when git is not installed."""
    config = [item for setting in (*config, *SAFE_CONFIG) for item in ("-c", setting)]
    extra = ["--no-ext-diff", "--no-textconv"] if args and args[0] in DIFF_LIKE else []
    return [git(), "--no-pager", *config, f"--git-dir={repo.git_dir}", f"--work-tree={repo.work_tree}",
            "-C", str(cwd), args[0], *extra, *args[1:]] if args else [git()]




def run_on(repo: GitRepo, cwd: Path, *args: str, config: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`git <args>` on `repo` (known, not found), from `cwd`, as `command` writes it;
    for `git init`, `args` starting with "init" make the repository `repo` names (its
    work tree). Raises OSError when git is missing, SubprocessError when it hangs."""
    import subprocess
    line = command(repo, cwd, *args, config=config) if args[0] != "init" else \
        [git(), "--no-pager", *[item for setting in SAFE_CONFIG for item in ("-c", setting)], "init",
         *args[1:], str(repo.work_tree)]
    return subprocess.run(line, cwd=os.fspath(cwd), capture_output=True, env=environment(), check=False, timeout=120)

