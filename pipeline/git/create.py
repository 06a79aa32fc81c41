"""A new project's own git repository (`foundry init`): the product lives in git —
history, credits, `foundry diff` read it — so a project made outside any repository
gets one, with a first commit of what init wrote when git knows who is committing; so
does one made inside a repository that would never hold it (a dotfiles repository at
the home folder, a repository that ignores the folder). Inside any other, it joins
that one, and says so.

git runs as everywhere else in foundry (git_process.py): the repository named, never
discovered; SAFE_CONFIG on every call (no hooks, no fsmonitor, no pager, no signing
program); the caller's GIT_* variables dropped. The files committed are the starter
init has just written, nothing a stranger wrote.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import clip
from ..git_process import GitRepo, find_repository, run_on

# The new repository's branch when the user's git names none (init.defaultBranch).
BRANCH = "main"
# The first commit's message.
MESSAGE = "A new Hero Foundry project (foundry init)"
# Where a user's git keeps files out of every repository of theirs.
IGNORES = "core.excludesFile, init.templateDir's info/exclude"


@dataclass(frozen=True)
class Made:
    """What `make_repository` did: `repository` (a .git folder made here), `committed`
    (the first commit made), and `said`: one sentence for the user."""

    repository: bool
    committed: bool
    said: str


def make_repository(folder: Path, written: Sequence[str] = ()) -> Made:
    """A git repository in `folder` (a project init has just written), unless it is
    inside one that would hold it (then it is left as it is, the user's, and `said`
    names it): one that ignores the folder, or whose top is the home folder (a dotfiles
    repository), would not, so the project gets its own, and `said` says why; with a first commit of
    every file when git has an identity (user.name and user.email), else the user is
    told how to make it. `written`: the files init wrote (POSIX, relative to `folder`);
    any of them the user's own ignore rules kept out of the commit (a global
    core.excludesFile listing `*.toml` or `.vscode/`) is named, never said committed.
    Never raises: git missing or failing is said, not fatal."""
    # git runs from inside `folder`: a relative name would be taken from there
    # (`init "my world"` made "my world/my world/.git")
    folder = Path(os.path.abspath(folder))
    inside = find_repository(folder)
    why = ""
    if inside is not None:
        joined, why = _enclosing(inside, folder)
        if joined:
            return Made(False, False, why + _kept_out(inside, folder, written))
    made = _make(folder, written)
    return Made(made.repository, made.committed, why + made.said[:1].lower() + made.said[1:]) if why else made


def _enclosing(inside: GitRepo, folder: Path) -> tuple[bool, str]:
    """Whether the new project joins the repository `inside` that holds `folder`, and
    what to say of it. It does unless that repository would never hold the project: a
    repository whose top is the home folder (a dotfiles repository: `git add -A` there
    would sweep the whole home in) or one that ignores the folder; then init makes the
    project its own, and the sentence returned says why (it starts the one said)."""
    top = Path(os.path.realpath(inside.work_tree))
    if top == Path(os.path.realpath(folder)):   # `git init world && foundry init world`
        return True, (f"It is inside the git repository at {inside.work_tree} (its own, made before): "
                      "no other made; commit the new files there.")
    home = os.environ.get("HOME")
    # a relative HOME (`HOME=.`) is no home folder: it names the current one, and git is
    # not given it (git_process.py ABSOLUTE_ENV); taken as one, the repository at the top of
    # the current folder was called a dotfiles repository and a second one made inside it
    if home and os.path.isabs(home) and top == Path(os.path.realpath(home)):
        return False, (f"It is inside the git repository at {inside.work_tree}, your home folder's "
                       "(a dotfiles repository, not a project's): ")
    try:
        asked = run_on(inside, folder, "check-ignore", "--quiet", str(folder))
    except FileNotFoundError:
        return True, (f"It is inside the git repository at {inside.work_tree}, but git is not installed: "
                      "no repository made.")
    except (OSError, subprocess.SubprocessError) as exc:
        return True, (f"It is inside the git repository at {inside.work_tree}: no repository made (git could not "
                      f"be run to ask whether it ignores this folder: {_failure(exc)}).")
    if asked.returncode == 0:
        return False, f"It is inside the git repository at {inside.work_tree}, which ignores this folder: "
    if asked.returncode == 1:
        return True, (f"It is inside the git repository at {inside.work_tree}, which does not ignore it: "
                      "no repository of its own made; commit the new files there "
                      "(or `foundry init` it outside, for a repository of its own).")
    return True, (f"It is inside the git repository at {inside.work_tree}: no repository made (git could not "
                  f"say whether it ignores this folder: {_said(asked)}).")


def _make(folder: Path, written: Sequence[str]) -> Made:
    """A repository in `folder`, and a first commit of the files init wrote (see `make_repository`)."""
    if (refused := _in_the_way(folder)) is not None:
        return Made(False, False, refused)
    repo = GitRepo(Path(folder, ".git"), Path(folder))
    try:
        made = run_on(repo, folder, "init", "--quiet")
    except FileNotFoundError:
        return Made(False, False, "git is not installed: no repository made (history, credits and "
                                  "`foundry diff` need one: `git init` when you have it).")
    except (OSError, subprocess.SubprocessError) as exc:   # not runnable, or no answer (run_on's timeout)
        return Made(False, False, f"git could not be run ({_failure(exc)}): no repository made (`git init` "
                                  "when it can).")
    if made.returncode != 0:
        return Made(False, False, f"git init failed: {_said(made)}; no repository made.")
    # The branch is `main`, the one the shipped workflow runs release builds and deploys
    # on (`branches: [main]`, `foundry ci`) and README's `foundry diff main` names; git's
    # own default is still `master` where the user set none, and that project's pushes
    # to its default branch then built and published nothing. A name the user chose
    # (init.defaultBranch) is theirs.
    if _known(repo, folder, "init.defaultBranch") is False:
        try:
            run_on(repo, folder, "symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
        except (OSError, subprocess.SubprocessError):
            pass   # git's own name, then: the first commit is still made
    # only what init wrote: the folder may hold the user's own files (a `.env`)
    add = _add_command(folder, written)
    # git takes the address from $EMAIL when no user.email is set (git-commit-tree(1))
    name = _known(repo, folder, "user.name")
    email = _known(repo, folder, "user.email") if name is True else name
    if email is False and os.environ.get("EMAIL"):
        email = True
    if isinstance(email, str):   # git failed: its own words, not "does not know who you are"
        return Made(True, False, f"Made a git repository; no first commit: git could not read its configuration "
                                 f"({email}); once it can, `{add} && git commit`.")
    if not (name is True and email is True):
        return Made(True, False, "Made a git repository; no first commit: git does not know who you are "
                                 "(git config --global user.name …, user.email …), then "
                                 f"`{add} && git commit`.")
    try:
        ignored = _ignored(repo, folder, written)
        committed = _add(repo, folder, written, ignored) and run_on(
            # the user's signing program is not run (SAFE_CONFIG): this one commit is unsigned
            repo, folder, "commit", "--quiet", "--no-verify", "-m", MESSAGE,
            config=("commit.gpgSign=false",)).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ignored, committed = {}, False
    left = _left_out(repo, folder, written)
    # the rules that keep them out, named: the folder's own .gitignore (init writes around
    # one) was blamed on the user's global excludes file
    rules = list(dict.fromkeys(ignored[path] for path in left if path in ignored))
    which = f"({'; '.join(rules[:3])}{' …' if len(rules) > 3 else ''})" if rules and \
        all(path in ignored for path in left) else f"({IGNORES})"
    if not committed:
        if written and len(left) == len(set(written)):
            return Made(True, False, "Made a git repository; no first commit: your git's ignore rules "
                                     f"{which} keep out every file of the project.")
        return Made(True, False, f"Made a git repository; the first commit failed: `{add} && git commit`.")
    if left:
        return Made(True, True, f"Made a git repository with a first commit of these files, except {len(left)} "
                                f"that your git's ignore rules {which} keep out: "
                                + ", ".join(left[:5]) + (" …" if len(left) > 5 else "")
                                + " (`git add --force` them if your teammates need them).")
    return Made(True, True, "Made a git repository with a first commit of these files.")


def _add(repo: GitRepo, folder: Path, written: Sequence[str], ignored: dict[str, str]) -> bool:
    """Stage the files init wrote, and only those: a folder init wrote around (a copy of
    a repository, a `.env` of secrets beside it) keeps the user's own files out of the
    first commit (`git add --all` took them in). The user's ignore rules are honoured
    (git refuses an ignored path named outright, and would stage none of the rest's
    errors): `ignored` (`_ignored`) are left out. Whether anything was staged. Raises
    OSError, SubprocessError."""
    kept = [f":(literal){path}" for path in dict.fromkeys(written) if path not in ignored]
    return bool(kept) and run_on(repo, folder, "add", "--", *kept).returncode == 0


def _kept_out(repo: GitRepo, folder: Path, written: Sequence[str]) -> str:
    """A sentence naming the files of `written` the user's repository `repo` (which the
    project joins, and commits to itself) ignores, and the rules that do: its `.gitignore`
    listing `*.yaml` made `git add` there skip every hero, unsaid. "" when none (or git
    cannot say)."""
    try:
        ignored = _ignored(repo, folder, written)
    except (OSError, subprocess.SubprocessError):
        return ""
    if not ignored:
        return ""
    left = sorted(ignored)
    rules = list(dict.fromkeys(ignored[path] for path in left))
    return (f" Its ignore rules ({'; '.join(rules[:3])}{' …' if len(rules) > 3 else ''}) keep out {len(left)} of "
            "them: " + ", ".join(left[:5]) + (" …" if len(left) > 5 else "")
            + " (`git add --force` them, or change the rule, if your teammates need them).")


def _ignored(repo: GitRepo, folder: Path, written: Sequence[str]) -> dict[str, str]:
    """The files of `written` git's ignore rules keep out, each with the rule that does,
    as the user finds it (`.gitignore line 1: *.yaml`): the folder's own .gitignore (init
    writes around one), a global excludes file or a template's info/exclude. Raises
    OSError, SubprocessError."""
    paths = list(dict.fromkeys(written))
    if not paths:
        return {}
    # the starter's names are plain (no glob, quote, tab or line break): check-ignore,
    # which takes no pathspec magic, says each back after its rule, `source:line:pattern`
    asked = run_on(repo, folder, "check-ignore", "--verbose", "--", *paths)
    ignored: dict[str, str] = {}
    for line in os.fsdecode(asked.stdout).splitlines() if asked.returncode == 0 else ():
        rule, _, path = line.rpartition("\t")
        found = re.fullmatch(r"(.*):(\d+):(.*)", rule)
        if path in paths and found and not found[3].startswith("!"):
            ignored[path] = f"{found[1]} line {found[2]}: {found[3]}"
    return ignored


def _add_command(folder: Path, written: Sequence[str]) -> str:
    """The `git add` that stages the files of `written` and nothing else in `folder`
    (`git add -A` would take in what init wrote around: a `.env` of secrets), a folder
    named for all its files when init wrote every one of them."""
    files = set(written)
    if not files:
        return "git add -A"

    def cover(rel: str) -> list[str]:
        here = Path(folder, rel)
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError:
            return []
        named: list[str] = []
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if sub in files:
                named.append(sub)
            elif entry.is_dir(follow_symlinks=False) and any(f.startswith(sub + "/") for f in files):
                inner = cover(sub)
                whole = all(f in files for f in _files_under(Path(folder, sub), sub))
                named.extend([sub] if whole else inner)
        return named

    return "git add -- " + " ".join(shlex.quote(name) for name in cover(""))


def _files_under(here: Path, rel: str) -> list[str]:
    """Every file under the folder `here` (POSIX, prefixed by `rel`; links not followed)."""
    found = []
    for top, dirs, names in os.walk(here):
        at = Path(top).relative_to(here).as_posix()
        found.extend(f"{rel}/{name}" if at == "." else f"{rel}/{at}/{name}" for name in names)
        found.extend(f"{rel}/{name}" if at == "." else f"{rel}/{at}/{name}" for name in dirs
                     if os.path.islink(os.path.join(top, name)))
    return found


def _in_the_way(folder: Path) -> str | None:
    """Why `git init` may not run in `folder`, in one sentence, or None. The folder may
    hold `.git` (init accepts a folder holding only that), and here it is no repository
    (find_repository found none). `git init` writes into whatever `.git` is: through a
    symbolic link (to nowhere, or to an empty folder elsewhere) or a link inside an
    empty `.git` (`objects -> /elsewhere`), it made a whole repository outside the
    project. init writes nothing through a link (commands/project_write.py), nor into
    a `.git` someone else left: only a missing or empty real folder is made a repository."""
    dot_git = Path(folder, ".git")
    try:
        mode = os.lstat(dot_git).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"No git repository made: {dot_git} cannot be read ({exc.strerror}); `git init` when it can."
    if stat.S_ISLNK(mode):
        return (f"No git repository made: {dot_git} is a symbolic link, and foundry writes nothing through one "
                "(remove it, then `git init`).")
    if stat.S_ISDIR(mode):
        try:
            with os.scandir(dot_git) as entries:
                if next(entries, None) is None:
                    return None   # `mkdir .git`: git init fills it, inside the project
        except OSError as exc:
            return f"No git repository made: {dot_git} cannot be read ({exc.strerror}); `git init` when it can."
    return (f"No git repository made: {dot_git} is there but holds no git repository, and foundry does not write "
            "into it (remove it, then `git init`).")


def _left_out(repo: GitRepo, folder: Path, written: Sequence[str]) -> list[str]:
    """The files of `written` the first commit does not hold (sorted)."""
    if not written:
        return []
    try:
        listed = run_on(repo, folder, "ls-files", "-z")
    except (OSError, subprocess.SubprocessError):
        return []
    if listed.returncode != 0:
        return []
    held = set(os.fsdecode(listed.stdout).split("\0"))
    return sorted(set(written) - held)


def _known(repo: GitRepo, folder: Path, key: str) -> bool | str:
    """Whether git's configuration (the user's, as git reads it for this repository)
    sets `key` to a value: True, False (not set, or empty), or, when git fails (a bad
    line in a configuration file or in one it includes, an unreadable one: exit 128),
    what git said, shortened; a git that cannot be run, why."""
    try:
        found = run_on(repo, folder, "config", "--get", key)
    except (OSError, subprocess.SubprocessError) as exc:
        return _failure(exc)
    if found.returncode == 0:
        return bool(found.stdout.strip())
    if found.returncode == 1:   # git-config(1): the key is not set
        return False
    said = _said(found)
    said = said[len("fatal: "):] if said.startswith("fatal: ") else said
    return clip(said, 200)


def _failure(exc: BaseException) -> str:
    """Why git could not be run: not runnable (the OS's reason) or no answer (run_on's timeout)."""
    if isinstance(exc, subprocess.TimeoutExpired):
        return "it did not answer"
    return (exc.strerror or str(exc)) if isinstance(exc, OSError) else str(exc)


def _said(run: subprocess.CompletedProcess) -> str:
    return (run.stderr or run.stdout or b"").decode("utf-8", "replace").strip().splitlines()[-1:][0] \
        if (run.stderr or run.stdout) else f"exit status {run.returncode}"
