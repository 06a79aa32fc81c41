"""Git as the content's database: the content version of a build, any revision read
into a temporary folder (for `foundry build --ref` and `foundry diff`), and who changed
each entity when.

Git is read through its own command line, plumbing only (rev-parse, ls-tree, cat-file
--batch, log, merge-base, describe); nothing here changes the working tree, the index,
refs or config. docs/collaboration.md says why the git CLI and not pygit2 or dulwich.
Outside a repository builds still work and say "unversioned".
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shlex
import stat as stat_module
import subprocess
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable, Iterator

from ..confine import Boundary, Refused, dot_git, make_folders, own_folder, read_resolved, real_folder, remove_tree
from ..diagnostics import Diagnostics, Span, argument_place, clip, did_you_mean
from ..load.hash_memo import MAX_HASHED
from ..load.hygiene import name_problem, without_refused
from ..load.root import PROJECT_INPUTS
from ..load.root import IGNORES
from ..git_process import broken_gitfile, find_repository
from .command import run_git, run_git_committed, special
from ..load import lfs
from .stamp import common_dir, user_configs, mailmap_blob, mailmap_files

UNVERSIONED = "unversioned"
# What a Foundry build reads from a project (architecture: load reads foundry.toml,
# schemas/ and content/; exporters read themes/). A revision is materialised with
# these only, so a repository's other large files are never copied.
GIT_SPAN = Span(".git")
# A revision given on the command line is placed at the argument that gave it, as a bad
# command-line value is named by its option (`Invalid value for --only`): '.git' sent a
# writer who mistyped `--ref` to look in the repository.
REF_SPAN = argument_place("--ref")
FETCH_HINT = ("This is a shallow clone: the commit may lie beyond its history. Run `{command}`; "
              "in GitHub Actions use actions/checkout with `fetch-depth: 0`.")


def fetch_hint(rev: str) -> str:
    """FETCH_HINT with the command that brings `rev` into a shallow clone, as typed.
    `git fetch --unshallow` alone fetches what the clone's refspec names: in a clone of
    one branch (`--depth 1 --branch feature`, as CI makes them) `origin/main` was still
    not there after it, and the hint's other command, `git fetch origin origin/main`,
    fails ("couldn't find remote ref"). A remote's branch is fetched to its
    remote-tracking name, another name to itself, and a commit or an expression
    (`HEAD~3`) with the whole history of what is fetched."""
    if rev.startswith("origin/") and _PLAIN_REF.fullmatch(rev[len("origin/"):]):
        name = rev[len("origin/"):]
        command = f"git fetch --unshallow origin {name}:refs/remotes/origin/{name}"
    elif _PLAIN_REF.fullmatch(rev) and not _COMMIT_ID.fullmatch(rev):
        command = f"git fetch --unshallow origin {rev}:{rev}"
    else:
        command = "git fetch --unshallow"
    return FETCH_HINT.format(command=command)


_PLAIN_REF = re.compile(r"[A-Za-z0-9._/-]+")       # a branch or tag name, no `~`, `^`, `@`, `:`
_COMMIT_ID = re.compile(r"[0-9a-fA-F]{7,64}")
_SYMLINK, _SUBMODULE = "120000", "160000"


def git(root: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """git on the project's own repository, hardened (pipeline/git/command.py: explicit
    --git-dir/--work-tree, no command-running settings, no GIT_* from outside).
    Raises OSError when git is missing or there is no repository."""
    return run_git(root, *args, input=input)


def git_text(root: Path, *args: str) -> str | None:
    """Stripped standard output of a git command, or None when it failed (or git is missing)."""
    try:
        done = git(root, *args)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


@dataclass(frozen=True)
class Repo:
    top: Path        # the repository's top folder
    prefix: str      # the project root relative to it, "" or "sub/dir/"

    def project_path(self, repo_path: str) -> str | None:
        """A path relative to the repository → relative to the project (None if outside it)."""
        return repo_path[len(self.prefix):] if repo_path.startswith(self.prefix) else None


def repository(root: Path) -> Repo | None:
    """The repository of the project at `root` as git reads it (None when there is none,
    or git cannot read it: why_no_repository says why). Its top and the project's
    prefix are the folders find_repository found, not git's printed `--show-toplevel`
    and `--show-prefix`: read back as lines of UTF-8 text, a project at a path holding a
    newline or a byte that is not UTF-8 got another top (`/srv/a` for `/srv/a` + a newline + `b`), and
    `diff`, `history` and `build --ref` ended in an internal error."""
    found = find_repository(root)
    if found is None or git_text(root, "rev-parse", "--is-inside-work-tree") != "true":
        return None
    rel = os.path.relpath(os.path.realpath(root), found.work_tree)
    return Repo(found.work_tree, "" if rel == "." else Path(rel).as_posix() + "/")


def why_no_repository(root: Path) -> tuple[str, str]:
    """Why `repository(root)` is None, as (what, hint) for an HF0801: the project is in
    no repository, git is not installed (or cannot be run), or git cannot read the
    repository (its own words). "Not inside a git repository" and "`git init`" were said
    in all three, which sent a writer whose clone was fine to make a new repository."""
    found = find_repository(root)
    broken = broken_gitfile(root) if found is None else None
    if broken:
        dot_git, named = broken
        what = f"names {clip(named, 200)}, which is not a git repository" if named else "is not a gitfile"
        return (f"git cannot read the repository of {root}: its .git file ({dot_git}) {what}",
                "A git worktree or submodule whose repository was moved or deleted, or a copy of the folder "
                "without it: run `git worktree repair` in the repository's main checkout, or work in a full "
                "clone; `foundry check` and `foundry build` work without git.")
    if found is None:
        return (f"{root} is not inside a git repository",
                "Run foundry in a clone of the repository, or `git init` the project.")
    try:
        done = git(root, "rev-parse", "--show-toplevel")
    except OSError as exc:
        return (f"git cannot be run ({exc.strerror or exc}) to read the repository at {found.work_tree}",
                "Install git (e.g. `apt-get install git`, `brew install git`) or put its folder on PATH by its "
                "full path, outside the project (a relative folder there, or one inside the project, is never "
                "searched: it would find a project's own `git`); "
                "`foundry check` and `foundry build` work without it.")
    said = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip().splitlines()
    line = clip(said[-1].removeprefix("fatal: "), 200) if said else f"exit status {done.returncode}"
    return (f"git cannot read the repository at {found.work_tree} ({line})",
            "Run the same git command there (`git status`) to see what git needs.")


def content_version(root: Path, rev: str = "HEAD") -> str:
    """`<commit>` or `<commit> (<tag>-<n>-g<abbrev>)` for a revision, or "unversioned"."""
    if rev.startswith("-"):
        return UNVERSIONED
    commit = git_text(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if not commit:
        return UNVERSIONED
    tag = git_text(root, "describe", "--tags", "--long", "--abbrev=12", commit)
    # git takes a tag named with a right-to-left override or zero-width characters (not
    # with controls); the version is shown to readers (footers, book metadata, engines
    # reading the manifest), so such a tag is left out and the commit alone names it
    if tag and name_problem(tag) is not None:
        return commit
    return f"{commit} ({tag})" if tag else commit


def revision_key(root: Path) -> str:
    """A text that changes whenever `content_version(root)` does, from one git call
    instead of two (the no-op build's fingerprint, engine/sources.py): `git describe
    --tags --long --always` with the whole commit id, `<tag>-<n>-g<commit>` or
    `<commit>`, names the same commit and the same tag and distance the version does.
    A shallow clone says so: `git fetch --unshallow` changes no commit, but the history
    the credits show (EntityHistory.cut), so a build after it is not a no-op."""
    key = git_text(root, "describe", "--tags", "--long", "--always", "--abbrev=40", "HEAD") or UNVERSIONED
    if key == UNVERSIONED:
        # why, too: the build's HF0803 says it, and a no-op build replays the last build's
        # words. With git missing at one build and the repository broken at the next, the
        # second said "git cannot be run" again (its hint: install git, which was there)
        return f"{key} ({why_no_repository(root)[0]})"
    key = key + " (shallow)" if is_shallow(root) else key
    # the names the credits show are mapped by the work tree's .mailmap, committed or not
    mailmap = mailmap_key(root)
    return f"{key} mailmap:{mailmap}" if mailmap else key


def mailmap_key(root: Path, rev: str = "HEAD") -> str:
    """What git maps the names and e-mail addresses of `rev`'s history by: "" when
    nothing, else a text that changes whenever the mapping may. For HEAD git reads the
    `.mailmap` at the top of the work tree, committed or not (a link there it refuses
    to follow): the sha256 of its bytes; for another revision, the commit's own
    `.mailmap` (git/command.py run_git_committed): the id of that blob. The history an
    output shows is keyed by it (resolve/world.py `_history_hashes`): the same commits
    under another .mailmap credit other names."""
    if rev != "HEAD":
        return git_text(root, "rev-parse", "--verify", "--quiet", f"{rev}:.mailmap") or ""
    repo = find_repository(root)
    if repo is None:
        return ""
    # a file a git setting names as another .mailmap (`mailmap.file`, often outside the
    # project: not read, known by its stat): its edit renames authors as the work tree's does
    named = [key for key in map(_stat_key, mailmap_files(repo)) if key]
    # and one in a revision (`mailmap.blob`, e.g. origin/main:.mailmap): the id of that blob
    blob = mailmap_blob(repo)
    if blob:
        named.append("blob:" + (git_text(root, "rev-parse", "--verify", "--quiet", "--end-of-options", blob) or "none"))
    return " ".join([_work_tree_mailmap(repo.work_tree / ".mailmap"), *named]) if named \
        else _work_tree_mailmap(repo.work_tree / ".mailmap")


def _stat_key(path: Path, follow: bool = True) -> str:
    """A file's stat as text ("" when it is not there)."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return ""
    return f"stat:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _work_tree_mailmap(path: Path) -> str:
    """`mailmap_key` of the work tree's .mailmap: the sha256 of its bytes, else its stat."""
    try:
        return hashlib.sha256(read_resolved(path, limit=MAX_HASHED)).hexdigest()
    except Refused as refused:
        if refused.kind != "size":   # a special file: git does not read it either
            return ""
    except OSError:   # none, or a link: git does not follow one
        return ""
    return _stat_key(path, follow=False)   # too big to hash on every build: known by its stat


# --- revisions ------------------------------------------------------------------------------

def is_shallow(root: Path) -> bool:
    return git_text(root, "rev-parse", "--is-shallow-repository") == "true"


def resolve(root: Path, rev: str, diags: Diagnostics, at: Span = GIT_SPAN) -> str | None:
    """The commit a revision names, or None with an HF0801 that says what to do: at
    `at` (the argument that named `rev`: `--ref`, `BASE`) when `rev` names nothing."""
    if repository(root) is None:
        what, hint = why_no_repository(root)
        diags.add("HF0801", f"cannot read revision '{clip(rev, 40)}': {what}", GIT_SPAN, hint=hint)
        return None
    commit = None if rev.startswith("-") else git_text(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit:
        return commit
    unborn = _unborn_branch(root) if rev == "HEAD" else None
    if unborn is not None:
        # `git init` done, nothing committed yet (or a new orphan branch): "HEAD is not a
        # commit" is true but sends the writer to list branches; say what to do instead
        none_yet = not git_text(root, "rev-list", "-n", "1", "--all")
        what = "this repository has no commits yet" if none_yet else f"the branch '{clip(unborn, 40)}' has no commits yet"
        diags.add("HF0801", f"{what}: there is nothing to compare with or read at HEAD", GIT_SPAN,
                  hint="Commit the project first (`git add -A` then `git commit -m \"First draft\"`): "
                       "`foundry diff` then shows what you change after that commit, and `foundry check` "
                       "and `foundry build` need no commit at all.")
        return None
    kind = _object_kind(root, rev)
    if kind is not None:
        # a tag (or `HEAD:foundry.toml`, a tree id) that names a file's bytes or a folder:
        # it exists, so "not a branch or tag" with "did you mean" the very name misled
        diags.add("HF0801", f"'{clip(rev, 40)}' names {kind}, not a commit", at,
                  hint="Name a commit: a branch, a tag made on a commit (`git tag NAME COMMIT`), or a commit id "
                       "(`git log --oneline` lists them).")
        return None
    sides = [side for side in re.split(r"\.{2,3}", rev, maxsplit=1) if side] if ".." in rev else []
    if sides and not any(side.startswith("-") for side in sides) and \
            all(git_text(root, "rev-parse", "--verify", "--quiet", f"{side}^{{commit}}") for side in sides):
        # `--ref main..feature`, copied from a compare view: "Did you mean 'feature'?" said
        # nothing of why; a range is two revisions, and here one is wanted
        diags.add("HF0801", f"'{clip(rev, 40)}' is a range of revisions; one revision is wanted here", at,
                  hint=f"Name one: {' or '.join(f'`{clip(side, 40)}`' for side in sides)}.")
        return None
    diags.add("HF0801", f"'{clip(rev, 40)}' is not a commit, branch or tag of this repository", at,
              hint=_unknown_hint(root, rev))
    return None


_KINDS = {"blob": "a file's contents (a blob)", "tree": "a folder (a tree)"}


def _object_kind(root: Path, rev: str) -> str | None:
    """What `rev` names when it is an object but no commit (a blob or a tree), in words;
    None when it names nothing (or a commit, or an option-like text never asked)."""
    if rev.startswith("-"):
        return None
    oid = git_text(root, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
    return _KINDS.get(git_text(root, "cat-file", "-t", oid) or "") if oid else None


def _unborn_branch(root: Path) -> str | None:
    """The current branch's name when it has no commit yet (a fresh `git init`, an
    orphan branch), else None (HEAD names a commit, or is detached at one)."""
    ref = git_text(root, "symbolic-ref", "--quiet", "HEAD")
    if not ref or git_text(root, "rev-parse", "--verify", "--quiet", ref) is not None:
        return None
    return ref.removeprefix("refs/heads/")


def _unknown_hint(root: Path, rev: str) -> str:
    if is_shallow(root):
        return fetch_hint(rev)
    names = (git_text(root, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes")
             or "").splitlines()
    best = did_you_mean(rev, [name for name in names if name != rev])
    near = f"Did you mean '{best}'? " if best else ""
    return near + "List branches with `git branch -a` and tags with `git tag`; fetch one first if it lives on a remote."


def pull_request_base() -> str | None:
    """The branch a GitHub Actions pull-request run merges into, as its remote-tracking
    name (`origin/develop`), or None outside one. GitHub sets GITHUB_BASE_REF for
    `pull_request` events only (empty on a push); it names a branch of the base
    repository, never the fork's. `foundry diff` with no base compared a pull request
    into `develop` with main's merge base: every commit develop has that main has not
    was shown as the pull request's."""
    name = os.environ.get("GITHUB_BASE_REF", "").strip()
    if os.environ.get("GITHUB_ACTIONS") != "true" or not name or not branch_name(name):
        return None
    return f"origin/{name}"


# What `git check-ref-format --branch` refuses: control characters and space, `~ ^ : ? *
# [ \`, `..`, `@{`, `//`, a part starting with `.` or ending `.lock`, a leading `-`.
_NOT_IN_BRANCH = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{|//|(?:^|/)\.|\.lock(?:/|$)")


def branch_name(name: str) -> bool:
    """Whether git takes `name` as a branch's (its check-ref-format rules): a pull request
    into `développement` or `release+2` was compared with main, as when GITHUB_BASE_REF
    was not set (only [A-Za-z0-9._/-] was taken); a name git refuses (an option, a
    revision expression) is none."""
    return not (_NOT_IN_BRANCH.search(name) or name.startswith(("-", "/")) or name.endswith(("/", "."))
                or name == "@")


def default_branch(root: Path) -> str | None:
    """The branch pull requests go into: origin's HEAD, else main or master (remote first:
    a local main may be behind the one the pull request will be merged into)."""
    remote_head = git_text(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD")
    candidates = [remote_head.removeprefix("refs/remotes/")] if remote_head else []
    candidates += ["origin/main", "origin/master", "main", "master"]
    for name in candidates:
        if git_text(root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"):
            return name
    return None


def merge_base(root: Path, a: str, b: str, diags: Diagnostics) -> str | None:
    base = git_text(root, "merge-base", a, b)
    if base:
        return base
    if is_shallow(root):
        diags.add("HF0801", f"the merge base of {a} and {b} is not in this shallow clone", GIT_SPAN,
                  hint=FETCH_HINT.format(command="git fetch --unshallow"))
    else:
        diags.add("HF0801", f"{a} and {b} share no history", GIT_SPAN,
                  hint="Name the base revision to compare with: `foundry diff BASE`.")
    return None


def uncommitted(root: Path) -> list[str]:
    """Project files (among what a build reads) that differ from HEAD, untracked ones included.

    Not `git status`: refreshing the index runs clean filters (and fsmonitor) that
    .gitattributes can name. Plumbing lists HEAD, the index and untracked files; the
    working files are hashed here as git hashes blobs, links read as links."""
    repo = repository(root)
    if repo is None:
        return []
    inputs = [repo.prefix + p for p in PROJECT_INPUTS]
    try:
        head = _entries(git(repo.top, "ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", *inputs).stdout, 2)
        index = _entries(git(repo.top, "ls-files", "-z", "--stage", "--full-name", "--", *inputs).stdout, 1)
        # a .gitignore that is a FIFO git would wait on forever (or a link, which an old git
        # follows anywhere): untracked files are then listed with no ignore rules (an
        # ignored one said uncommitted: no wait, no loss)
        # and a folder holding a `.git` whose HEAD git would wait on is left out (below)
        blocked, held = _held_by(repo.top, repo.prefix)
        excluded = () if blocked else ("--exclude-standard",)
        others = git(repo.top, "ls-files", "-z", "--others", *excluded, "--full-name", "--", *inputs,
                     *(f":(exclude,literal){folder}" for folder in held)).stdout.decode("utf-8", "surrogateescape")
        algorithm = git_text(repo.top, "rev-parse", "--show-object-format") or "sha1"
    except OSError:
        return []
    # a file a sparse checkout leaves out (skip-worktree) is as the index has it, whatever
    # the working tree holds (`git status` is clean): every story outside the writer's
    # cone was "uncommitted" (sparse_absent says what is left out)
    skipped = _skip_worktree(repo, inputs)
    changed = {p for p in set(head) | set(index) if head.get(p) != index.get(p)}
    # a gitlink (a submodule) is a commit of another repository, not a file to hash: its
    # folder was no oid, so every diff beside one said it was uncommitted. A gitlink
    # staged otherwise than HEAD is still a change (above); what is checked out in the
    # submodule is that repository's state, which HF0163 names where a build reads it.
    plain: dict[str, bool] = {}
    # a file git-lfs keeps is in the index as its pointer: the working file is known by the
    # pointer git-lfs's clean filter would make of it (a clean checkout said "uncommitted")
    kept = lfs_store(root) is not None
    changed |= {p for p, (mode, oid) in index.items()
                if mode != _SUBMODULE and p not in skipped and oid not in _worktree_oids(repo.top, p, mode, algorithm, plain, kept)}
    changed |= set(filter(None, others.split("\0")))
    return sorted({repo.project_path(p) or p for p in changed})


def _skip_worktree(repo: Repo, inputs: list[str]) -> set[str]:
    """The repository paths among `inputs` the index marks skip-worktree (a sparse
    checkout leaves them out of the working tree; `git ls-files -t` tags them S)."""
    listed = git(repo.top, "ls-files", "-t", "-z", "--full-name", "--", *inputs).stdout
    return {line[2:] for line in listed.decode("utf-8", "surrogateescape").split("\0") if line.startswith("S ")}


def sparse_absent(root: Path) -> list[str]:
    """The project files (among what a build reads) a sparse checkout leaves out of the
    working tree: committed, unchanged as git sees them, and not there to read."""
    repo = repository(root)
    if repo is None:
        return []
    try:
        skipped = _skip_worktree(repo, [repo.prefix + p for p in PROJECT_INPUTS])
    except OSError:
        return []
    return sorted(rel for p in skipped if (rel := repo.project_path(p)) and not os.path.lexists(repo.top / p))


# The most bytes of a repository's config read to see whether it names core.symlinks.
_MAX_CONFIG = 1 << 20


def links_as_files(root: Path) -> list[str]:
    """The project's committed symbolic links among its inputs (PROJECT_INPUTS) that this
    checkout holds as plain files, by project-relative path. git checks a link out so
    where it may not make links (git for Windows without Developer Mode writes
    `core.symlinks = false` into the repository's settings as it clones): a file holding
    the link's text, the bytes of the link's blob. Read as content, such a file was a
    story that "must start with ---" or YAML that "must hold key: value pairs", where a
    checkout that makes links (CI's) reads the file it leads to, or refuses it at the link
    (HF0120). Empty unless the repository's own settings name `symlinks` (one read of its
    config file: no git run for a checkout that makes links) and git says core.symlinks is
    false; a file edited since (its bytes no longer the link's) is the writer's file."""
    if not _names_symlinks(root) or git_text(root, "config", "--bool", "core.symlinks") != "false":
        return []
    repo = repository(root)
    if repo is None:
        return []
    try:
        listed = git(repo.top, "ls-files", "-z", "--stage", "--full-name", "--", repo.prefix or ".").stdout
        algorithm = git_text(repo.top, "rev-parse", "--show-object-format") or "sha1"
    except OSError:
        return []
    plain: dict[str, bool] = {}
    return sorted(rel for path, (mode, oid) in _entries(listed, 1).items()
                  if mode == _SYMLINK and (rel := repo.project_path(path))
                  and rel.split("/", 1)[0] in PROJECT_INPUTS and not os.path.islink(repo.top / path)
                  and oid in _worktree_oids(repo.top, path, "100644", algorithm, plain))


def say_links_as_files(root: Path, diags: Diagnostics) -> None:
    """HF0184 at each of `links_as_files`, in place of what its text said as content (a
    story's missing front matter, YAML that is no mapping, a theme file published
    holding a path): one error at the file, as a link refused is one (HF0120)."""
    found = links_as_files(root)
    if not found:
        return
    gone = set(found)
    diags.items[:] = [d for d in diags.items if d.span.path not in gone]
    for rel in found:
        diags.add("HF0184", f"{rel} is a symbolic link that this checkout holds as a plain file, since git "
                  "makes no links here (core.symlinks is false): it is not read", Span(rel))


def _names_symlinks(root: Path) -> bool:
    """Whether the settings git reads for the repository holding `root` (its config, a
    worktree's own, the user's: `~/.gitconfig`, where `git config --global core.symlinks
    false` writes, git checking links out as files in every clone) mention `symlinks`,
    or include another file that may: the cheap look before git is asked. The user's
    files were not looked at, so such a checkout's links were read as content again."""
    found = find_repository(root)
    if found is None:
        return False
    for config in (common_dir(found.git_dir) / "config", found.git_dir / "config.worktree", *user_configs()):
        try:
            with open(config, "rb") as file:
                text = file.read(_MAX_CONFIG).lower()
        except OSError:
            continue
        if b"symlinks" in text or b"include" in text:
            return True
    return False


def _held_by(top: Path, prefix: str) -> tuple[bool, list[str]]:
    """What `ls-files --others --exclude-standard` would open and wait on. First, whether
    a `.gitignore` it opens is a FIFO, socket, device or link (git/command.py `special`):
    one in a folder from the work tree's top down to the project, or in a real folder
    under its inputs (git goes through no link). Then the folders under the inputs
    (from the top, with "/") holding a `.git` that git, asking whether the folder is a
    repository of its own, would open a FIFO of: its `HEAD` or `commondir` (a setup
    script's `mkfifo sub/.git/HEAD` held `foundry diff` and `history` forever). git
    lists a repository of its own as one folder, never its files: one left out loses
    nothing but that name. lstat and scandir only: nothing special is opened."""
    folders = [top]
    for part in filter(None, prefix.split("/")):
        folders.append(folders[-1] / part)
    blocked = any(special(folder / IGNORES) for folder in folders)
    held: list[str] = []
    stack = [folders[-1] / name for name in PROJECT_INPUTS]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name == ".git":
                        if _probe_waits(Path(entry.path)):
                            held.append(folder.relative_to(top).as_posix())
                    elif entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.name == IGNORES and special(entry.path):
                        blocked = True
        except OSError:   # not a folder (foundry.toml), gone, or not listable: git lists nothing there
            continue
    return blocked, sorted(held)


def _probe_waits(dot_git: Path) -> bool:
    """Whether git's check of a nested `.git` (a folder, a link to one, or a "gitdir:"
    file) opens a file there that is not regular: `HEAD` (a link git reads as a link)
    or `commondir`."""
    try:
        mode = os.stat(dot_git).st_mode
    except OSError:
        return False
    if stat_module.S_ISREG(mode):
        try:
            fd = os.open(dot_git, os.O_RDONLY | os.O_NONBLOCK)
            with os.fdopen(fd, "rb") as handle:
                line = handle.read(4096).decode("utf-8", "replace").splitlines()[:1]
        except OSError:
            return False
        if not line or not line[0].startswith("gitdir: "):
            return False
        dot_git = dot_git.parent / line[0][len("gitdir: "):].strip()
    elif not stat_module.S_ISDIR(mode):
        return False
    head = dot_git / "HEAD"
    return (special(head) and not os.path.islink(head)) or special(dot_git / "commondir")


def _entries(out: bytes, oid_field: int) -> dict[str, tuple[str, str]]:
    """`ls-tree -z` (mode type oid) or `ls-files -z --stage` (mode oid stage) → path → (mode, oid)."""
    found = {}
    for line in filter(None, out.decode("utf-8", "surrogateescape").split("\0")):
        meta, _, path = line.partition("\t")
        fields = meta.split()
        if len(fields) == 3:
            found[path] = (fields[0], fields[oid_field])
    return found


def _worktree_oids(top: Path, rel: str, mode: str, algorithm: str, plain: dict[str, bool],
                   kept: bool = False) -> set[str]:
    """The blob ids git could give the working file `rel` (a path in the index, below
    the work tree's top), read without filters and without following a link (a link's
    blob is its target text); none when it is missing. A link among its folders makes it
    missing, as git sees it (`git status` says it was deleted): the file beyond was read
    through the link before, wherever it led (`content/heroes -> /elsewhere`, and
    /elsewhere/aria.yaml was opened and hashed). `plain`: the folders (relative to
    `top`) already found to be real folders or not, one lstat each per call of
    `uncommitted`. Read in chunks: a file of gigabytes (a pull request's blob of zeros,
    packed to almost nothing) was read into memory whole. `kept` (the repository uses
    Git LFS): also the id of the pointer git-lfs would commit for it."""
    folder = rel.rpartition("/")[0]
    if not real_folder(top, folder, plain):
        return set()
    path = top / rel
    try:
        st = os.lstat(path)
        if stat_module.S_ISLNK(st.st_mode):
            if mode != _SYMLINK:
                return set()
            return {_blob_id(os.fsencode(os.readlink(path)), algorithm)}
        if mode == _SYMLINK or not stat_module.S_ISREG(st.st_mode):
            return set()
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return set()
    try:
        return _file_oids(fd, algorithm, kept)
    except OSError:
        return set()
    finally:
        os.close(fd)


HASH_CHUNK = 1 << 20


def _file_oids(fd: int, algorithm: str, kept: bool = False) -> set[str]:
    """`_worktree_oids` of the regular file open at `fd`: its blob id, and the id of its
    bytes with CRLF made LF (core.autocrlf: the index holds LF, the file CRLF) when it
    holds a CRLF. Read HASH_CHUNK bytes at a time (twice when it holds a CRLF: that blob's
    size, in its header, is known only once the first read counted them)."""
    st = os.fstat(fd)
    if not stat_module.S_ISREG(st.st_mode):
        return set()
    raw = _blob_hash(algorithm, st.st_size)
    whole = hashlib.sha256() if kept else None
    crlf, last = 0, b""
    for chunk in _chunks(fd):
        raw.update(chunk)
        if whole is not None:
            whole.update(chunk)
        crlf += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
        last = chunk[-1:]
    oids = {raw.hexdigest()}
    if whole is not None:
        oids.add(_blob_id(lfs.pointer_text(whole.hexdigest(), st.st_size), algorithm))
    if crlf:
        lf, held = _blob_hash(algorithm, st.st_size - crlf), b""
        os.lseek(fd, 0, os.SEEK_SET)
        for chunk in _chunks(fd):
            chunk = held + chunk
            held = b"\r" if chunk.endswith(b"\r") else b""   # its \n may start the next chunk
            lf.update(chunk[:len(chunk) - len(held)].replace(b"\r\n", b"\n"))
        lf.update(held)
        oids.add(lf.hexdigest())
    return oids


def working_blob_id(root: Path, path: Path) -> str | None:
    """The blob id git would give the regular file at `path` as it is (its bytes, no
    filter), read HASH_CHUNK bytes at a time, without following a link or waiting on a
    FIFO; None when it is no regular file, cannot be read, or `root` is in no
    repository. For a file too large to read whole (past MAX_HASHED), to compare with
    a revision's blob of the same path (`Revision.unread`)."""
    algorithm = git_text(root, "rev-parse", "--show-object-format") or "sha1"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat_module.S_ISREG(st.st_mode):
            return None
        h = _blob_hash(algorithm, st.st_size)
        for chunk in _chunks(fd):
            h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def stored_with_lf(root: Path, rels: Iterable[str]) -> dict[str, str]:
    """The project-relative paths among `rels` whose working file git stores with its
    CRLF made LF, → that blob's id (the index's): core.autocrlf (git for Windows' default)
    or an `eol=crlf` attribute checks a text file out with CRLF, and `git status` says it
    is unchanged. Its bytes as they are were another file than the revision's, which
    git wrote out with LF: `foundry diff` said every theme file and text asset of such a
    checkout changed. A file whose index blob is its bytes as they are (committed with
    CRLF) is not listed. Filters are not run (git_process): a file the index knows only
    through one (Git LFS) is its bytes as they are. Empty outside a repository."""
    repo = repository(root)
    if repo is None:
        return {}
    wanted = {repo.prefix + rel: rel for rel in rels}
    if not wanted:
        return {}
    try:
        index = _entries(git(repo.top, "ls-files", "-z", "--stage", "--full-name", "--",
                             *(f":(literal){p}" for p in sorted(wanted))).stdout, 1)
        algorithm = git_text(repo.top, "rev-parse", "--show-object-format") or "sha1"
    except OSError:
        return {}
    plain: dict[str, bool] = {}
    out = {}
    for path, (mode, oid) in index.items():
        if path not in wanted or mode not in ("100644", "100755"):
            continue
        oids = _worktree_oids(repo.top, path, mode, algorithm, plain)
        if len(oids) == 2 and oid in oids and oid != working_blob_id(root, repo.top / path):
            out[wanted[path]] = oid
    return out


def _chunks(fd: int) -> Iterator[bytes]:
    while chunk := os.read(fd, HASH_CHUNK):
        yield chunk


def _blob_hash(algorithm: str, size: int):
    h = hashlib.new("sha256" if algorithm == "sha256" else "sha1")
    h.update(b"blob %d\0" % size)
    return h


def _blob_id(data: bytes, algorithm: str) -> str:
    h = hashlib.new("sha256" if algorithm == "sha256" else "sha1")
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


# --- reading a revision into a folder ---------------------------------------------------------

@dataclass(frozen=True)
class Revision:
    name: str        # as the user wrote it
    commit: str
    path: Path       # a temporary folder holding the project as it was at `commit`
    version: str     # content_version() of the commit
    # the files over MAX_HASHED, written by their size and never read (`_write_unread`):
    # project-relative path → the blob's id, which tells two of them apart for free
    unread: dict[str, str] = field(default_factory=dict)


@contextmanager
def checkout(root: Path, rev: str, diags: Diagnostics, name: str | None = None,
             at: Span = REF_SPAN) -> Iterator[Revision | None]:
    """The project at `rev` in a temporary folder (removed afterwards), or None with a
    diagnostic; a submodule among its inputs is HF0163, naming the revision as `name`
    (default `rev`: `foundry diff` passes its side's label). The working tree, index and
    refs are never touched. `at`: where a `rev` that names nothing is said (resolve)."""
    commit = resolve(root, rev, diags, at)
    if commit is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="foundry-rev-") as tmp:
        dest = Path(tmp) / "project"
        try:
            unwritten: list[tuple[str, OSError]] = []
            unread: dict[str, str] = {}
            try:
                submodules = materialise(root, commit, dest, unwritten, unread)
            except Unreadable as exc:
                diags.add("HF0801", f"the files of the revision {clip(name or rev, 40)} cannot be read from this "
                          f"repository ({exc})", at,
                          hint=partial_clone_hint(root) or "Run `git fsck` to see what the repository lacks.")
                yield None
                return
            for rel in submodules:
                diags.add("HF0163", f"{rel} is a git submodule: a build of the revision {clip(name or rev, 40)} does "
                          "not read its files (they are in another repository)", Span(rel),
                          hint="Commit the files themselves into this repository, or build the working tree with "
                               "the submodule checked out (`git submodule update --init`).")
            for rel, exc in unwritten:
                _unwritten(diags, rel, exc, name or rev, dest)
            yield Revision(rev, commit, dest, content_version(root, commit), unread)
        finally:
            # one folder at a time: TemporaryDirectory's rmtree recurses once a level (Python
            # 3.11), and a revision holding a file a thousand folders deep was an internal error
            remove_tree(dest)


def _unwritten(diags: Diagnostics, rel: str, exc: OSError, rev: str, dest: Path) -> None:
    """HF0166 at a file of the revision that could not be copied out for its build
    (`materialise`'s `unwritten`). It was left out without a word: a theme file nested
    near PATH_MAX, which a build of the working tree names (HF0722), went missing from
    `build --ref HEAD`, which wrote the site without it and said nothing."""
    if isinstance(exc, CraftedPath):
        why = ("git checks no such path out (a part of it is `.`, `..` or a name disks read as `.git`): "
               "only a tree made by hand holds one, and `git checkout` of this revision fails at it")
        hint = "Remove it from the revision (rebase away the commit that added it); `git fsck` names such trees."
    elif isinstance(exc, UnmadeLink):
        # said as what it is: "No such file or directory" for a link to no name, and "its
        # path is too long" of a short path, sent the writer to check disk and folders
        why = "it is a symbolic link to no name at all" if not exc.size else \
            f"it is a symbolic link whose target is {exc.size:,} bytes, more than a path may be"
        hint = "Point the link at a file by its path in the project, or commit the file itself " \
            "(git checkout cannot make this link either)."
    elif exc.errno == errno.ENAMETOOLONG:
        size = len(os.fsencode(str(dest / rel)))
        why = (f"its path is too long for the file system ({size:,} bytes in the revision's copy: "
               "over what it takes in one path, or in one name)")
        hint = "Shorten the file's name or its folders' names, and commit that."
    elif isinstance(exc, (FileExistsError, NotADirectoryError, IsADirectoryError)):
        why, hint = "the revision names it both as a file and as a folder", \
            "Rename one of the two in the revision (a crafted tree: git checkout refuses it too)."
    else:
        why = exc.strerror or exc.__class__.__name__
        hint = None   # the registered one: space, permissions, a file where a folder goes
    diags.add("HF0166", f"{clip(rel, 120)} of the revision {clip(rev, 40)} cannot be read: {why}", Span(rel),
              hint=hint)


def materialise(root: Path, commit: str, dest: Path, unwritten: list[tuple[str, OSError]] | None = None,
                unread: dict[str, str] | None = None) -> list[str]:
    """Write the project as it is in `commit` into `dest` (every file of it, foundry's
    own folders left out, so the revision holds whatever the readers can reach, as a
    checkout does): `ls-tree` lists
    the blobs with their sizes, `cat-file --batch` reads them, BATCH_BYTES at a time
    (one over every reader's limit is written by its size, unread). Exact bytes (no
    .gitattributes filters); submodules skipped. A symlink that leads outside is not made as written:
    it points at a name beside `dest` that nothing holds (outside_link), so the build of
    the revision refuses it at its path (HF0120) as a build of the working tree does,
    instead of leaving it out without a word. Returns the project-relative paths of the
    submodules among the inputs (gitlinks: their files are another repository's, never
    read), for the caller to name. A file the system will not write (a path too long
    for it, ENAMETOOLONG; a path as file and folder) is appended to `unwritten` as (its
    project-relative path, the OSError), for the caller to name too: it is not in the
    revision's build. An error of the disk itself (full, read-only: _MACHINE) is raised.
    A blob over MAX_HASHED is written by its size, unread: its path → its id goes into
    `unread` (what tells it from another of the same size: `foundry diff`). Raises
    Unreadable when git cannot list or read the commit's files (a partial clone's)."""
    repo = repository(root)
    assert repo is not None, "resolve() first"
    dest.mkdir(parents=True, exist_ok=True)
    # The whole project, not only its inputs: a link among the inputs may lead through a
    # folder that is none (`content/stories/x.md -> ../../notes/x.md`, itself a link out)
    # and a portrait may be anywhere in the project (`portrait: ../../art/aria.png`). With
    # the inputs alone the revision said HF0164 (a link to nothing, a warning: the story
    # left out) or HF0306 where the working tree said HF0120 or built it.
    done = git(repo.top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit,
               *(("--", repo.prefix) if repo.prefix else ()))
    if done.returncode != 0:
        # git stopped part-way (`-l` reads each blob's size): in a partial clone
        # (`--filter=blob:none`) the files of an older revision are not here, and git
        # fetches nothing for foundry. Written as far as the listing went, the revision
        # was a project of a few files: "foundry.toml … does not exist", 12 errors.
        raise Unreadable(_git_words(done))
    listing = done.stdout.decode("utf-8", "surrogateescape")
    entries, submodules, refused = [], [], set()
    for line in filter(None, listing.split("\0")):
        meta, path = line.split("\t", 1)
        mode, kind, oid, size = meta.split()
        rel = repo.project_path(path)
        if not rel or own_folder(rel.split("/", 1)[0]):
            continue   # build/ and the caches committed by mistake: what a build wrote is no input
        crafted = crafted_path(rel)
        if crafted is not None:
            # never written (`_write`), and said, once for a crafted folder of many files: a
            # tree with `content/heroes/.GIT` was built as if it were not there, where `git
            # checkout` of the revision fails at it
            if unwritten is not None and crafted not in refused:
                refused.add(crafted)
                unwritten.append((crafted, CraftedPath(errno.EINVAL, "a path git refuses")))
            continue
        if kind == "blob" and mode != _SUBMODULE:
            entries.append((mode, oid, rel, int(size) if size.isdigit() else 0))
        elif mode == _SUBMODULE and rel.split("/", 1)[0] in PROJECT_INPUTS:
            submodules.append(rel)
    inside = dest.resolve()
    # where the project is on this machine, as given and as resolved: an absolute link
    # naming a file of it leads to that file of the revision (`_in_revision`)
    here = tuple(dict.fromkeys((os.path.abspath(root), os.path.realpath(root))))
    # Files first, links last, then every link checked against the finished tree: a
    # link is judged by where it leads once all the links it may pass through exist
    # (`x -> .` written before `y -> x/../../outside`), never while the tree is half made.
    links = []
    store = lfs_store(root)
    for batch in _batches(sorted(entries, key=lambda e: e[0] == _SYMLINK)):
        blobs = _cat_blobs(repo.top, [oid for _, oid, _, size in batch if size <= MAX_HASHED])
        for mode, oid, rel, size in batch:
            if store is not None and size < lfs.MAX_POINTER and mode != _SYMLINK:
                blobs[oid] = _lfs_bytes(store, blobs[oid])
            try:
                made = _write(inside, rel, blobs[oid], mode == _SYMLINK, here) if size <= MAX_HASHED else \
                    _write_unread(inside, rel, size, mode == _SYMLINK)
            except OSError as exc:
                if exc.errno in _MACHINE:
                    raise   # the disk's, not this file's: said once (cli.py, HF0166), not at every file after it
                if unwritten is not None:
                    unwritten.append((rel, exc))
                continue
            if made is not None:
                links.append(made)
            elif size > MAX_HASHED and unread is not None and mode != _SYMLINK:
                unread[rel] = oid
    _drop_links_out(inside, links)
    return sorted(submodules)


def lfs_store(root: Path) -> Path | None:
    """The git folder whose `lfs/objects/` git-lfs keeps files in for the repository of
    `root`, or None when it keeps none (git/lfs.py)."""
    found = find_repository(root)
    common = common_dir(found.git_dir) if found is not None else None
    return common if common is not None and lfs.uses_lfs(common) else None


def _lfs_bytes(store: Path, data: bytes) -> bytes:
    """A blob as a checkout with git-lfs writes it: the bytes a pointer names when the
    store holds them (verified), else the blob itself (a pointer not fetched stays one)."""
    named = lfs.pointer(data)
    return (lfs.stored(store, *named, MAX_HASHED) or data) if named else data


# Errors of the disk a revision is copied to, not of one of its files (a full disk fails
# every file after the first): they end the copy.
_MACHINE = frozenset(getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EROFS", "EIO") if hasattr(errno, name))

# Bytes of blobs read from git at once. A file of zeros packs to almost nothing, so a
# commit of a few MB can hold gigabytes: `check --ref` of one holding a 1 GB blob took
# 2.1 GB of memory (cat-file's whole output, then its slices), and a bigger one ends in
# MemoryError or the OOM killer.
BATCH_BYTES = 128 * 1024 * 1024


def _batches(entries: list[tuple[str, str, str, int]]) -> Iterator[list[tuple[str, str, str, int]]]:
    """`entries` (mode, oid, path, size) in order, in runs whose blobs to read (those
    of at most MAX_HASHED bytes) add up to at most BATCH_BYTES (or are one blob)."""
    batch, held = [], 0
    for entry in entries:
        size = entry[3] if entry[3] <= MAX_HASHED else 0
        if batch and held + size > BATCH_BYTES:
            yield batch
            batch, held = [], 0
        batch.append(entry)
        held += size
    if batch:
        yield batch


def _write_unread(dest: Path, rel: str, size: int, symlink: bool) -> Path | None:
    """A blob over MAX_HASHED, never read: every reader refuses a file that large by its
    size alone, as in the working tree, so the revision holds a file of that size that
    takes no disk (sparse). A link that long names no path: it points at nothing."""
    if symlink:
        return _write(dest, rel, b"/", True)   # absolute: made pointing outside the revision (HF0120)
    made = _write(dest, rel, b"", False)
    target = dest / rel
    if made is None and target.is_file() and not target.is_symlink():
        os.truncate(target, size)   # refused (EFBIG): named by the caller, never an empty file read instead
    return made


def _drop_links_out(dest: Path, links: list[Path]) -> None:
    """Point each link that resolves outside `dest` at nothing outside it (outside_link),
    until none of the others does (one pointed away can leave another dangling, never
    escaping: resolved again to be sure)."""
    while links:
        fence = Boundary(dest)
        # A link into .git or foundry's own folders, or round in a loop, is refused by
        # the rule wherever it is and leads to nothing here (the revision holds neither):
        # kept as written, so its HF0120 says why, as the working tree's does (pointed
        # away, it was said to lead outside the project).
        out = [link for link in links if fence.resolve(link) is None and fence.why(link) == "outside"]
        if not out:
            return
        for link in out:
            os.unlink(link)
            os.symlink(outside_link(dest, link), link)
            links.remove(link)


def _in_revision(written: str, here: tuple[str, ...], dest: Path, link: Path) -> str:
    """What the absolute link `written` at `link` (in the revision written at `dest`)
    points at: below `dest` when it names a path in the project's folder on this machine
    (one of `here`), as a checkout of the commit in that folder would read it, the rest
    kept as written (a `..` or a link in it is judged by the Boundary on the finished
    tree, `_drop_links_out`); anything else at nothing (outside_link). Pointed away
    whatever it named, `content/stories/abs.md -> /home/me/world/content/stories/fog.md`,
    which `check` reads as the story inside the project, was HF0120 "leads outside the
    project" under `check --ref`, `build --ref` and `diff` (a story 'removed' at the base)."""
    for base in here:
        top = base.rstrip(os.sep)
        if written == top or written.startswith(top + os.sep):
            rest = written[len(top):].lstrip(os.sep)
            back = os.path.relpath(dest, link.parent)
            return os.path.join(back, rest) if rest else back
    return outside_link(dest, link)


def outside_link(dest: Path, link: Path) -> str:
    """What a link out of the revision written at `dest` points at instead: a relative
    path to a name beside `dest` in the revision's own temporary folder, which holds
    nothing (so nothing could be read through it even if a reader followed it)."""
    return os.path.relpath(dest.parent / "outside-the-revision", link.parent)


def _cat_blobs(top: Path, oids: list[str]) -> dict[str, bytes]:
    """The blobs' bytes by id. Raises Unreadable when git has one of them not (a
    partial clone's, never fetched)."""
    unique = list(dict.fromkeys(oids))
    if not unique:
        return {}
    out = git(top, "cat-file", "--batch", input=("\n".join(unique) + "\n").encode()).stdout
    blobs, pos = {}, 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        fields = out[pos:header_end].decode("ascii", "replace").split()
        if len(fields) != 3:   # "<oid> missing"
            raise Unreadable(f"the object {fields[0][:12] if fields else '?'} is missing")
        oid, _, size = fields
        start = header_end + 1
        blobs[oid] = out[start:start + int(size)]
        pos = start + int(size) + 1
    return blobs


def crafted_path(rel: str) -> str | None:
    """The path up to its first part git never checks out, when a path listed in a tree
    holds one: empty, `.`, `..`, or `.git` in any spelling a disk of macOS or Windows
    reads as `.git` (confine.dot_git: `.GIT`, `.git.`, `GIT~1`); else None. Only a tree
    written by hand holds one (`git fsck`, and GitHub on a push, refuse it); `git
    checkout` fails at it."""
    parts = rel.split("/")
    for n, part in enumerate(parts):
        if part in ("", ".", "..") or dot_git(part):
            return "/".join(parts[:n + 1])
    return None


class Unreadable(Exception):
    """git could not read a revision's files out of the repository (`materialise`):
    its own words, for checkout() to say."""


def _git_words(done: subprocess.CompletedProcess) -> str:
    """git's last line of complaint (`fatal: …` without its prefix), clipped."""
    said = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
    return clip(said[-1].removeprefix("fatal: "), 200) if said else f"git exit status {done.returncode}"


def partial_clone_hint(root: Path) -> str | None:
    """What to run when the repository is a partial clone (`git clone --filter=…`):
    its files are fetched from a promisor remote when git needs them, and foundry lets
    git fetch nothing (git_process SAFE_CONFIG). None for a full clone."""
    # a promisor remote: `remote.<name>.promisor = true` (git 2.29 on), or the older
    # `extensions.partialClone = <name>`
    promisors = [line.split(" ", 1)[0][len("remote."):-len(".promisor")] for line in
                 (git_text(root, "config", "--bool", "--get-regexp", r"^remote\..*\.promisor$") or "").splitlines()
                 if line.endswith(" true")]
    remote = (promisors[:1] or [git_text(root, "config", "--get", "extensions.partialclone") or ""])[0]
    if not remote:
        return None
    shown = remote if _PLAIN_REF.fullmatch(remote) else "origin"
    return (f"This is a partial clone (made with `--filter`): files of older revisions are fetched from "
            f"'{clip(remote, 40)}' only when git needs them, and foundry fetches nothing. Fetch them all once with "
            f"`git -c remote.{shown}.partialclonefilter= fetch --refetch {shown}` (git 2.36 or later), or clone "
            "without `--filter` (in GitHub Actions, actions/checkout without `filter:`).")


class CraftedPath(OSError):
    """A path of a revision's tree that is never written (`crafted_path`)."""


class UnmadeLink(OSError):
    """A committed link no system makes (`_write`): its text is empty, or too long for a
    path (`size`: its bytes), so `git checkout` fails at it too."""

    def __init__(self, code: int, message: str, size: int):
        super().__init__(code, message)
        self.size = size


def _path_max(folder: Path) -> int:
    """The bytes a path (a link's target too) may hold on `folder`'s file system."""
    try:
        return os.pathconf(folder, "PC_PATH_MAX")
    except (AttributeError, OSError, ValueError):   # no pathconf (Windows), or no answer
        return 4096


def _write(dest: Path, rel: str, data: bytes, symlink: bool, here: tuple[str, ...] = ()) -> Path | None:
    """`dest` is resolved. `here`: the project's folder on this machine (as given, as
    resolved), which an absolute link naming a file of it is read below (`_in_revision`). Git's own checks refuse `..` and `.git` in trees, but a
    crafted tree can hold them: such an entry is never written (materialise names
    it: `crafted_path`), `.git` in every spelling
    a disk of macOS or Windows reads as `.git` (confine.dot_git): a file `.GIT` holding
    `gitdir: …` there made the revision's copy a repository that git was then run on. Returns the link made, if
    any (links are made after every file, so no file is written through one). Raises
    OSError when the system will not write it (ENAMETOOLONG, ENOSPC, a crafted tree
    naming one path as file and folder): the caller names it."""
    if crafted_path(rel) is not None:   # materialise said it (the check again here: nothing is ever written there)
        return None
    target = dest / rel
    if Boundary(dest).resolve(target.parent) != target.parent:
        return None  # through a symlinked folder (a crafted tree): it could land anywhere
    make_folders(target.parent)   # not mkdir(parents=True): it recurses once a level
    if symlink:
        # what `git checkout` makes of the blob: its bytes up to the first NUL (it hands
        # symlink() a C string), unchanged (surrogateescape gives os.symlink the same
        # bytes back). A NUL in a committed link's text was a ValueError, an internal
        # error of `build --ref`, `diff` and `history`; "replace" made a name of U+FFFD
        # where git's link names the file it leads to.
        link = data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        try:
            os.symlink(_in_revision(link, here, dest, target) if link.startswith("/") else link, target)
        except OSError as exc:
            size = len(os.fsencode(link))
            if not link or (exc.errno == errno.ENAMETOOLONG and size >= _path_max(dest)):
                raise UnmadeLink(exc.errno, exc.strerror, size) from exc
            raise   # the link's own path too long (said as such), or the disk's
        return target
    target.write_bytes(data)
    return None


# --- who changed what -----------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One commit that touched an entity's file."""

    commit: str
    date: str                    # author date, ISO 8601 with the author's offset; "" when git has none to
                                 # give (a date before 1970 or otherwise malformed in the commit object:
                                 # git prints its format code, `%aI`, in its place)
    author: str                  # name as .mailmap gives it
    email: str
    coauthors: tuple[str, ...]   # names from Co-authored-by trailers
    subject: str
    status: str                  # A added, M modified, R renamed into `path`, D deleted
    path: str                    # the file's path after this commit, relative to the project
    old_path: str | None = None  # its path before, for a rename
    # Its place in the log, 0 for the newest commit: which of two commits is newer is
    # decided by history, not by their dates (a clock set wrong, a date in 5138 or an
    # offset of -05:00 against +00:00 orders wrongly as text or even as time).
    seq: int = 0
    # An add that brings the file back as it was before a deletion (`_restored`): the
    # history goes on across it, and it is no creation.
    restored: bool = False
    # The co-authors whose trailer gives a GitHub App's address (`Co-authored-by:
    # github-actions <41898282+github-actions[bot]@users.noreply.github.com>`): judged as
    # the commit's own author is (`_is_bot`), the address being dropped with the rest.
    bots: frozenset[str] = frozenset()
    # Listed in the revision's `.git-blame-ignore-revs` (`ignored_revisions`): a reformat,
    # a change of line ends, a rename across the project: not authorship, as `git blame
    # --ignore-revs-file` and GitHub's blame view pass over it.
    ignored: bool = False


# The most of an entity's authors a reader is shown by name (the credits page's row,
# `foundry history`'s first line); the rest are counted. One commit can carry 100,000
# `Co-authored-by` trailers: each row of the credits page listed them all (one commit
# touching 200 heroes with 10,000 made a 26 MB page), `history` a line of 1.4 MB.
SHOWN_AUTHORS = 20


@dataclass(frozen=True)
class EntityHistory:
    path: str                     # the file's latest path
    changes: tuple[Change, ...]   # newest first
    # The oldest change is where a shallow clone's history stops, not where the file
    # began: every file there shows as added by that commit's author. Who created it,
    # and who edited it before, is not known here.
    cut: bool = False
    # What mapped the names of its changes (mailmap_key): "" for no .mailmap.
    mailmap: str = ""

    @property
    def ignored(self) -> str:
        """Its commits `.git-blame-ignore-revs` lists, as one text ("" for none): the
        authors differ with it (resolve/world.py `_history_hashes` keys what shows them)."""
        return ",".join(change.commit for change in self.changes if change.ignored)

    @property
    def created(self) -> Change:
        return self.changes[-1]

    @property
    def changed(self) -> Change:
        return self.changes[0]

    @property
    def authors(self) -> tuple[str, ...]:
        """Everyone who wrote part of it, co-authors included, in order of first contribution.
        An author whose name held nothing but what a name may not hold (`\u200b\u202e`,
        which git takes) has none once cleaned (`_lineages`) and is not named: the credits
        page said "Written by , Ana Writer"."""
        names: dict[str, bool] = {}   # name -> written by a person at least once
        # a commit `.git-blame-ignore-revs` lists wrote nothing of it (a formatting pass named
        # its author on every entity it touched); kept when no other commit is left
        credited = [change for change in self.changes if not change.ignored] or self.changes
        for change in reversed(credited):
            for name, bot in ((change.author, _is_bot(change.author, change.email)),
                              *((coauthor, _is_bot(coauthor, "") or coauthor in change.bots)
                                for coauthor in change.coauthors)):
                if name:
                    names[name] = names.get(name, False) or not bot
        # a GitHub App's commits (`github-actions[bot]` committing what a workflow made,
        # `l10n tag`'s line ids) are not authorship: the credits named the bot beside the
        # writers of every story it touched. Kept when no one else wrote it.
        people = tuple(name for name, person in names.items() if person)
        return people or tuple(names)


# The e-mail address GitHub gives an App (`41898282+github-actions[bot]@users.noreply.github.com`):
# a workflow that sets `user.name github-actions` (the name GitHub's own examples used) beside it
# still commits as the App.
_APP_EMAIL = re.compile(r"(?:\d+\+)?[^@\s]+\[bot\]@users\.noreply\.github\.com", re.IGNORECASE)
# Coding agents and tools that sign as no App does (no `[bot]` anywhere), each known by the
# address it always gives, its name being one any person may have: GitHub's Copilot agent
# (`Copilot <198982749+Copilot@users.noreply.github.com>`), GitHub itself (`GitHub
# <noreply@github.com>`, web-flow), Claude Code's trailer (`Claude <noreply@anthropic.com>`),
# Cursor's agent (`Cursor Agent <cursoragent@cursor.com>`). A list, not a pattern: a person
# may hide their address as `noreply@localhost`, and a person it is.
_TOOL_EMAIL = re.compile(r"(?:198982749\+)?Copilot@users\.noreply\.github\.com|noreply@github\.com"
                         r"|noreply@anthropic\.com|cursoragent@cursor\.com", re.IGNORECASE)


def _is_bot(name: str, email: str) -> bool:
    """Whether a commit's author is a GitHub App rather than a person: every App's name
    ends in `[bot]`, and no person's can (GitHub refuses brackets in user names), and so
    does the local part of the no-reply address GitHub gives it, whatever name a
    workflow's `git config user.name` set; and a coding agent or tool known by its
    address (`_TOOL_EMAIL`: Copilot's agent, Claude Code's trailer, …)."""
    email = email.strip()
    return name.endswith("[bot]") or bool(_APP_EMAIL.fullmatch(email) or _TOOL_EMAIL.fullmatch(email))


def _log_format(mark: str) -> str:
    """git log's format: a record per commit, its fields apart. Each separator carries
    `mark`, a random token made for this one call: names, subjects and trailers are
    whatever a pull request's commits say, and a subject holding the bare separator
    characters (\x1e, \x1f) forged a whole commit — another author, date and subject —
    in the credits and `foundry history`."""
    field = f"%x1f{mark}"
    # Names and the subject cut by git to a length any page shows (`..` marks a cut; the
    # padding git adds is stripped): a commit message packs to almost nothing, and a
    # 300 MB subject took 1.8 GB of foundry's memory in the history stage of every build.
    return (f"%x1e{mark}%H{field}%aI{field}%<({MAX_NAME},trunc)%aN{field}%<({MAX_NAME},trunc)%aE{field}"
            f"%(trailers:key=Co-authored-by,valueonly,separator=%x1d{mark}){field}%<({MAX_SUBJECT},trunc)%s{field}%P")


MAX_NAME = 200      # columns of an author's name or e-mail address read from a commit
MAX_SUBJECT = 300   # columns of a commit's subject


# Control characters in a commit's names and subject: no output can hold them (XML
# refuses most of C0), and they mean nothing to a reader.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def entity_history(root: Path, rev: str = "HEAD") -> dict[str, EntityHistory]:
    """Every file under content/ in the history of `rev`, by its latest path: its
    commits, newest first, with renames followed. Empty outside a repository (or before
    the first commit). Pure data for the site's credits page and `foundry history`; for a
    `--ref` build pass the project's real root and the revision's commit: names are then
    mapped by that commit's .mailmap, not the working tree's."""
    if rev.startswith("-"):
        return {}
    if repository(root) is None:
        if find_repository(root) is None and broken_gitfile(root) is None:
            return {}
        # a repository git cannot read here (git not installed or off PATH, in a slim
        # container, say): the credits page had no history and the build said nothing;
        # said as HF0803 with what to do (report_octopus)
        found = Histories()
        found.unavailable = why_no_repository(root)
        return found
    try:
        # --date-order: never a parent before its children, which the walk below relies on
        # (git's default order is by date alone, and a clock set wrong puts a parent first)
        # -c --combined-all-paths: a merge whose file differs from every parent (both sides
        # edited it) changed it, and names the file's path on each side (a rename on one)
        mark = secrets.token_hex(8)
        # --max-parents: a combined diff costs more than linearly in a merge's parents, and
        # a commit object can name any number (git hash-object --literally): one of 100,000
        # parents touching five files kept every build's history stage going past 10 min.
        # Merges with more are left out of the history (octopus_merges says how many).
        # --raw (not --name-status): the blob ids before and after, by which a file deleted and
        # later restored as it was is known to go on (`_restored`)
        args = ("log", "-z", "--no-color", "--no-show-signature", "--date-order", "--raw", "--no-abbrev", "-M",
                "-c", "--combined-all-paths", f"--max-parents={MAX_PARENTS}", "--relative",
                f"--format={_log_format(mark)}", rev, "--", "content")
        # %aN is the name .mailmap gives: a `--ref` build credits by the revision's
        # committed .mailmap (or none), never the working tree's, which git reads otherwise
        done = git(root, *args) if rev == "HEAD" else run_git_committed(root, rev, *args)
        unfollowed = ""
        if done.returncode != 0 and rev == "HEAD" and _unborn_branch(root) is not None:
            # `git init` and nothing committed yet (or `foundry init` where git knew no
            # name to commit as): no history, which is nothing to warn about — git's "bad
            # revision 'HEAD'" was HF0803 with a hint to fetch what a partial clone lacks
            return Histories()
        if done.returncode != 0:
            # `-M` compares the bytes of files deleted and added in one commit; in a partial
            # clone (`--filter=blob:none`) older ones are not here and git, fetching
            # nothing, stops at the first: the whole history was empty (no credits, and
            # `history aria` "no entity"). Read again without renames (trees only), said.
            unfollowed = _git_words(done)
            args = tuple("--no-renames" if arg == "-M" else arg for arg in args)
            done = git(root, *args) if rev == "HEAD" else run_git_committed(root, rev, *args)
            unfollowed = unfollowed if done.returncode == 0 else ""
        if done.returncode != 0:
            # neither could be read (a treeless clone, `--filter=tree:0`, lacks the older
            # trees too): the part git printed before it stopped is no history (a file
            # "created" by whoever last touched it), and nothing was said: `history bram`
            # answered "not committed yet". None, said (report_octopus: HF0803).
            found = Histories()
            found.unread = _git_words(done)
            return found
        out = done.stdout.decode("utf-8", "replace")
    except OSError:
        return {}
    commits = _parse_log(out, mark)
    ignored = ignored_revisions(root, rev) if commits else IgnoredRevisions()
    found = Histories(_lineages(commits, _cut(root, [h[0] for h, _ in commits if len(h) > 6 and not h[6].strip()]),
                                mailmap_key(root, rev) if commits else "", _mapped_coauthors(root, rev, commits),
                                ignored))
    found.ignores_unread = ignored.unread
    found.renames_unfollowed = unfollowed
    found.submodules = submodules_in(root, rev)
    for sub in found.submodules:   # a submodule's pointer is no content file: its bumps wrote nothing here
        found.pop(sub, None)
    return found


def submodules_in(root: Path, rev: str = "HEAD") -> tuple[str, ...]:
    """The git submodules under content/ in `rev` (project-relative paths): their files'
    commits are in other repositories, which the history does not read (HF0804). Listed
    only when the revision has a `.gitmodules` (what `git submodule add` writes): one
    cheap check a build otherwise."""
    if rev.startswith("-") or git_text(root, "rev-parse", "--verify", "--quiet", f"{rev}:.gitmodules") is None:
        return ()
    try:
        done = git(root, "ls-tree", "-r", "-z", "--end-of-options", rev, "--", "content")
    except OSError:
        return ()
    if done.returncode != 0:
        return ()
    found = []
    for entry in done.stdout.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if meta.split(b" ", 1)[0] == _SUBMODULE.encode():
            found.append(path.decode("utf-8", "surrogateescape"))
    return tuple(found)


def submodule_of(history: dict, path: str) -> str | None:
    """The submodule (`Histories.submodules`) that holds the project path `path`, if any."""
    return next((sub for sub in getattr(history, "submodules", ()) if path.startswith(sub + "/")), None)


class Histories(dict):
    """entity_history's answer: path → EntityHistory, and `renames_unfollowed`: git's
    words when renames could not be followed (a partial clone lacking the files to
    compare), "" when they were; `unread`: git's words when the history could not be
    read at all (a treeless partial clone), the answer then empty; `unavailable`:
    (what, hint) when the project is in a repository git cannot read here at all
    (why_no_repository's words: git not installed, …), the answer then empty;
    `submodules`: the git submodules under content/ (submodules_in), whose files have no
    history here."""
    renames_unfollowed = ""
    unread = ""
    submodules: tuple[str, ...] = ()
    ignores_unread: tuple[tuple[int, str], ...] = ()   # IgnoredRevisions.unread
    unavailable: tuple[str, str] | None = None


def history_state(history: dict) -> str:
    """What the credits page says of a World's history (entity_history's answer):
    "versioned" (commits touch content/), "cut" (they do, in a shallow clone whose
    edge shows files as added by its oldest commit: EntityHistory.cut; a depth-1 CI
    checkout credited that commit's author with every entity, and the page did not
    say that it may be wrong), "unreadable" (a repository git cannot read
    here: not installed, a gitfile to nowhere, a treeless clone), "uncommitted" (a
    repository, nothing of content/ committed yet: `git init`, `foundry init` with no
    git identity), "elsewhere" (no content file committed here, content in git
    submodules: HF0804) or "none" (no repository). Only "none" is "not in a git repository":
    the page said that of every empty history."""
    if history:
        return "cut" if any(getattr(h, "cut", False) for h in history.values()) else "versioned"
    if getattr(history, "submodules", ()):
        # content/ itself (or every folder with a file) a submodule: "Written by  —" with no
        # name, the pointer's bumps its one lineage; its history is in another repository
        return "elsewhere"
    if getattr(history, "unavailable", None) or getattr(history, "unread", ""):
        return "unreadable"
    return "uncommitted" if isinstance(history, Histories) else "none"


MAX_PARENTS = 128   # the most parents of a commit the history reads (Linux's largest merge has 66)


def octopus_merges(root: Path, rev: str = "HEAD") -> list[str]:
    """The commits in the history of `rev` with more than MAX_PARENTS parents, which
    `entity_history` leaves out (listed without diffs: cheap whatever their parents)."""
    if repository(root) is None or rev.startswith("-"):
        return []
    try:
        done = git(root, "rev-list", f"--min-parents={MAX_PARENTS + 1}", rev, "--")
    except OSError:
        return []
    return done.stdout.decode("ascii", "replace").split() if done.returncode == 0 else []


def report_octopus(root: Path, rev: str, history: dict, diags: Diagnostics) -> dict:
    """`history` (entity_history's), after HF0803 when it could not be read, HF0739 when renames could not be followed
    in it, HF0804 when content lies in git submodules (their files' history is not read), and HF0738 once when commits with more parents than the history reads
    (MAX_PARENTS) were left out of it: by the build (the credits page) and by `foundry
    history`."""
    if getattr(history, "unavailable", None):
        what, hint = history.unavailable
        diags.add("HF0803", f"the history cannot be read: {what}; the credits page and `foundry history` show "
                            "no commits", GIT_SPAN, hint=hint)
    if getattr(history, "unread", ""):
        diags.add("HF0803", f"the history cannot be read: git cannot read the older commits' files "
                            f"({clip(history.unread, 120)}); the credits page and `foundry history` show no commits",
                  GIT_SPAN, hint=partial_clone_hint(root) or None)
    if getattr(history, "renames_unfollowed", ""):
        diags.add("HF0739", f"renames are not followed in the history: git cannot compare the files "
                            f"({clip(history.renames_unfollowed, 120)}); a renamed file's older commits show as "
                            "another file's", GIT_SPAN, hint=partial_clone_hint(root) or None)
    repo = repository(root) if getattr(history, "ignores_unread", ()) else None
    for number, text in getattr(history, "ignores_unread", ())[:MAX_IGNORES_SAID]:
        # git blame stops at such a line ("invalid object name"), and its commit is credited here
        where = Span(os.path.relpath(repo.top / IGNORE_REVS, root).replace(os.sep, "/"), number, 1) if repo else GIT_SPAN
        diags.add("HF0805", f"{IGNORE_REVS} line {number} is no whole commit id: '{clip(text, 60)}'; its commit is "
                            "still credited", where,
                  hint=f"Write the commit's whole id (`git rev-parse {shlex.quote(clip(text, 40))}` prints it), one a line; "
                       "`#` starts a comment.")
    subs = getattr(history, "submodules", ())
    if subs:
        # their entities had no credits, said nowhere, and `history aria` "not committed yet"
        diags.add("HF0804", f"{len(subs)} content folder{'s are git submodules' if len(subs) != 1 else ' is a git submodule'} "
                            f"({', '.join(clip(s, 60) for s in subs[:3])}{', …' if len(subs) > 3 else ''}): the commits "
                            "of the files in it are in another repository, which the credits page and `foundry "
                            "history` do not read: their writers are not credited", GIT_SPAN,
                  hint=f"`git -C {shlex.quote(subs[0])} log` shows that history; to credit its writers, commit the "
                       "files themselves into this repository.")
    many = octopus_merges(root, rev) if history else []
    if many:
        diags.add("HF0738", f"{len(many)} commit{'s' * (len(many) != 1)} with more than {MAX_PARENTS} parents "
                            f"({', '.join(c[:12] for c in many[:3])}{', …' if len(many) > 3 else ''}) left out of the "
                            "history: the credits page and `foundry history` do not show what they changed", GIT_SPAN)
    return history


def _cut(root: Path, parentless: list[str]) -> set[str]:
    """Of the commits `git log` shows without parents, those a shallow clone cut off from
    theirs: the commit object still names its parents (a real first commit names none).
    Read with one `cat-file --batch`, only when the clone is shallow."""
    if not parentless or not is_shallow(root):
        return set()
    try:
        out = git(root, "cat-file", "--batch", input=("\n".join(parentless) + "\n").encode()).stdout
    except OSError:
        return set()
    cut, pos = set(), 0
    while pos < len(out):
        header_end = out.index(b"\n", pos)
        fields = out[pos:header_end].decode("ascii", "replace").split()
        if len(fields) < 3:   # "<oid> missing"
            pos = header_end + 1
            continue
        start = header_end + 1
        body = out[start:start + int(fields[2])]
        if any(line.startswith(b"parent ") for line in body.split(b"\n\n", 1)[0].split(b"\n")):
            cut.add(fields[0])
        pos = start + int(fields[2]) + 1
    return cut


def _parse_log(out: str, mark: str) -> list[tuple[tuple[str, ...], list[tuple[str, str, str | None, tuple[str, ...], str, str]]]]:
    """`git log -z --raw --no-abbrev -c --combined-all-paths` → [(header fields,
    [(status, path, old path, every parent's path, blob before, blob after)])], newest
    first. Each file starts with its raw line (`:mode mode oid oid STATUS`, one colon,
    mode and oid per parent of a merge plus the result's), then its path (a rename's or
    copy's: old and new; a merge's: the file's path in each parent, then after it).
    A merge is read as a change against the first parent (R with that path, else M, D
    when deleted on every side), as `foundry history` diffs it; its "blob before" is the
    first parent's. An all-zero id: no file on that side. `mark`: the token every
    separator carries (_log_format); a trailer list comes back joined by \x1d + mark."""
    commits = []
    for record in filter(None, out.split("\x1e" + mark)):
        header, _, rest = record.partition("\0")
        tokens = [t for t in rest.lstrip("\n").split("\0") if t]
        files, i = [], 0
        while i + 1 < len(tokens):
            meta = tokens[i].lstrip("\n")
            parents = len(meta) - len(meta.lstrip(":"))
            fields = meta[parents:].split()
            if not parents or len(fields) != 2 * (parents + 1) + 1:
                break   # not a raw line: nothing past it can be placed
            status, before, after = fields[-1], fields[parents + 1], fields[-2]
            if parents > 1:   # a merge: one letter per parent, a path per parent and after
                if i + parents + 1 >= len(tokens):
                    break
                sides, path = tuple(tokens[i + 1:i + parents + 1]), tokens[i + parents + 1]
                first = "R" if status[0] == "R" and sides[0] != path else "D" if set(status) == {"D"} else "M"
                files.append((first, path, sides[0] if first == "R" else None, sides, before, after))
                i += parents + 2
            elif status[:1] in ("R", "C") and i + 2 < len(tokens):
                files.append((status[0], tokens[i + 2], tokens[i + 1], (), before, after))
                i += 3
            else:
                files.append((status[:1], tokens[i + 1], None, (), before, after))
                i += 2
        fields = header.split("\x1f" + mark)
        if len(fields) > 4:   # the co-authors, one string apart by \x1d for _lineages
            fields[4] = "\x1d".join(fields[4].split("\x1d" + mark))
        commits.append((tuple(fields), files))
    return commits


def _restored(commits) -> set[tuple[int, str]]:
    """(place in the log, path) of each file added back as it was before it was deleted
    there: its blob is one the path held in the life that deletion ended (`git revert`
    of the deletion, `git checkout v1 -- content/heroes/bram.yaml`). git's own log of
    the path goes on across the gap; so does the lineage (`_lineages`): a hero deleted
    by mistake and restored was credited to whoever restored it alone, "created" by the
    revert. A file added with other content stays a new one (another hero of that name).
    The blob a life began with counts only when it is also the one deleted: `foundry new
    hero bram` writes the same bytes for every Bram, and a new Bram made so after the
    first was edited and deleted was "restored", credited to the first one's writers.
    Walked oldest first, each path's blobs followed through renames."""
    held: dict[str, set[str]] = {}   # path → the blobs of its current life
    first: dict[str, str] = {}       # path → the blob its current life began with
    gone: dict[str, tuple[set[str], str]] = {}   # path → the blobs of the life its last deletion ended, its first
    found = set()
    for seq in range(len(commits) - 1, -1, -1):
        for status, path, old, sides, before, after in commits[seq][1]:
            if status == "D":
                began = first.pop(path, "")
                gone[path] = (held.pop(path, set()) | {before}) - ({began} if began != before else set()), began
            elif status == "A":
                if after in gone.get(path, ((), ""))[0]:
                    found.add((seq, path))
                    held[path], first[path] = gone.pop(path)
                else:
                    held[path], first[path] = set(), after
                held[path].add(after)
            else:
                blobs, began = set(), first.get(path, "")
                for was in {old, *sides} - {None}:
                    if was != path:
                        blobs |= held.pop(was, set())
                        began = first.pop(was, began)
                held.setdefault(path, set()).update(blobs | {before, after})
                if began:   # else the life began before the log (a shallow clone): unknown
                    first[path] = began
    return found


_CONTACT = re.compile(r"[^<>\n]*<[^<>\s]+>")   # a contact git parses (one a line of its input: `-x` is a name too)
MAX_CONTACT = 400   # characters of a co-author trailer mapped by .mailmap (a longer one is no person)


def _mapped_coauthors(root: Path, rev: str, commits) -> dict[str, str]:
    """Co-author trailer (`Name <email>`) → the contact `.mailmap` gives it, as `%aN`
    maps a commit's author (git leaves trailers as written): Ana's commits under her
    new name, her co-authored ones under the old, were two writers on the credits page.
    Read by `git check-mailmap` as the log was read (the revision's `.mailmap` for a
    `--ref` build); {} when git cannot say."""
    contacts = sorted({t.strip() for header, _ in commits if len(header) > 4 for t in header[4].split("\x1d")
                       if len(t.strip()) <= MAX_CONTACT and _CONTACT.fullmatch(t.strip())})
    if not contacts:
        return {}
    # One git for them all, read from its input (never its arguments): a commit can carry
    # 100,000 trailers, and a git per 200 of them was 500 processes, 13 s of a build
    stdin = "".join(c + "\n" for c in contacts).encode("utf-8", "surrogateescape")
    try:
        done = (git(root, "check-mailmap", "--stdin", input=stdin) if rev == "HEAD"
                else run_git_committed(root, rev, "check-mailmap", "--stdin", input=stdin))
    except OSError:
        return {}
    lines = done.stdout.decode("utf-8", "replace").split("\n")
    return dict(zip(contacts, lines)) if done.returncode == 0 and len(lines) > len(contacts) else {}


IGNORE_REVS = ".git-blame-ignore-revs"   # the name GitHub's blame view reads at a repository's top
MAX_IGNORE_REVS = 1 << 20                # bytes of it read (a million commits' ids is 41 MB: no list)
MAX_IGNORES_SAID = 20                    # its lines that are no id said one by one (the rest are like them)


class IgnoredRevisions(frozenset):
    """ignored_revisions' answer: the commit ids, and `unread`: (line number, text) of
    each line that is no whole id, which `git blame --ignore-revs-file` refuses (HF0805)."""
    unread: tuple[tuple[int, str], ...] = ()


def ignored_revisions(root: Path, rev: str = "HEAD") -> IgnoredRevisions:
    """The commits `rev`'s own `.git-blame-ignore-revs` (at the repository's top, as
    committed: GitHub reads it so) lists: whole object ids, one a line, `#` starting a
    comment, as `git blame --ignore-revs-file` reads it. A line that is no whole id is
    passed over, and listed in `unread` (git blame stops at it: said, HF0805).
    Empty when there is none, it is not a file (a link, a submodule) or is too big."""
    if rev.startswith("-"):
        return IgnoredRevisions()
    try:
        listed = git(root, "ls-tree", "-z", "--full-tree", "--long", "--end-of-options", rev, "--", IGNORE_REVS)
        fields = listed.stdout.split(b"\t", 1)[0].split()
        if listed.returncode != 0 or len(fields) != 4 or fields[0] != b"100644" and fields[0] != b"100755" \
                or not fields[3].isdigit() or int(fields[3]) > MAX_IGNORE_REVS:
            return IgnoredRevisions()
        done = git(root, "cat-file", "blob", fields[2].decode("ascii"))
    except OSError:
        return IgnoredRevisions()
    if done.returncode != 0:   # a partial clone that never fetched it: nothing fetched here
        return IgnoredRevisions()
    found, unread = set(), []
    for number, line in enumerate(done.stdout.decode("utf-8", "replace").split("\n"), 1):
        oid = line.split("#", 1)[0].strip().lower()
        if _WHOLE_ID.fullmatch(oid):
            found.add(oid)
        elif oid:
            unread.append((number, line.split("#", 1)[0].strip()))
    answer = IgnoredRevisions(found)
    answer.unread = tuple(unread)
    return answer


_WHOLE_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _lineages(commits, cut: set[str] = frozenset(), mailmap: str = "",
              mapped: dict[str, str] | None = None, ignored: frozenset[str] = frozenset()) -> dict[str, EntityHistory]:
    """Walk history backwards: each path belongs to the file it is now (a rename hands
    the older path the same lineage; an add ends the lineage, so an older file that once
    had the same name is someone else, unless the add restored it as it was: `_restored`).
    `mailmap`: what mapped the names (mailmap_key); `ignored`: the commits
    `.git-blame-ignore-revs` lists (ignored_revisions)."""
    alias: dict[str, str] = {}          # a path at this point in the past → the file's latest path
    started: set[str] = set()           # paths whose lineage began later on
    found: dict[str, list[Change]] = {}
    restored = _restored(commits)
    known = _names_by_address(commits)
    for seq, (header, files) in enumerate(commits):
        commit, date, author, email, trailers, subject = (*header, "", "", "", "", "", "")[:6]
        date = date if _is_date(date) else ""
        author, email, subject = (_CONTROL.sub(" ", text).strip() for text in (author, email, subject))
        # a name is shown as a name (the credits page, the footers): without what a name in
        # the content may not hold (load/hygiene.py: bidi overrides and isolates, zero-width
        # and other invisible characters, C1 controls), which git takes in a commit's author
        # as it is written: `Mallory\u202eredro` was published reversed on the credits page
        author, email = without_refused(author).strip(), without_refused(email).strip()
        contacts = [(mapped or {}).get(t.strip(), t) for t in trailers.split("\x1d") if t.strip()]
        named = [(_as_git_cuts(without_refused(_name(_CONTROL.sub(" ", t))).strip()), _address(t)) for t in contacts]
        # a trailer's address is the person who commits from it, named as their commits are
        # (GitHub links a co-author to the account of that address): `ana@example.com` alone
        # was credited as "ana@example.com" beside "Ana Writer", `Ana W. <ana@example.com>` as
        # "Ana W.", one person twice; an address no commit comes from keeps the trailer's name
        named = [(known.get(address.lower()) or name or address, address) for name, address in named]
        coauthors = tuple(name for name, _ in named if name)
        bots = frozenset(name for name, address in named if name and _is_bot(name, address))
        for status, path, old, sides, _, _ in files:
            key = alias.get(path) or (None if path in started else path)
            if key is None:
                continue
            found.setdefault(key, []).append(
                Change(commit, date, author, email, coauthors, subject, status, path, old, seq,
                       status == "A" and (seq, path) in restored, bots, commit in ignored))
            alias.pop(path, None)
            if sides:   # a merge: the file goes on under its path on each side
                alias.update({side: key for side in sides})
            elif status in ("R", "C") and old:
                alias[old] = key
            elif status == "A" and (seq, path) not in restored:
                started.add(path)
            else:   # an edit, a deletion or a restore: the same path held it before
                alias[path] = key
    return {key: EntityHistory(key, tuple(changes), changes[-1].commit in cut and changes[-1].status == "A", mailmap)
            for key, changes in sorted(found.items())}


def _is_date(text: str) -> bool:
    """Whether git gave an ISO 8601 date (`%aI`): for a date it cannot read it prints
    the format code itself."""
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _name(trailer: str) -> str:
    """`Name <email>` → Name; "" for an address alone (`<email>`, `email`): _address."""
    name = trailer.split("<", 1)[0].strip()
    return "" if not name and "<" in trailer or _BARE_ADDRESS.fullmatch(name) else name


_BARE_ADDRESS = re.compile(r"[^<>@\s]+@[^<>@\s]+")


def _names_by_address(commits) -> dict[str, str]:
    """E-mail address (lower case) → the name of the newest commit authored from it,
    as `.mailmap` maps both (`%aN`, `%aE`), cleaned as `_lineages` cleans names."""
    known: dict[str, str] = {}
    for header, _ in commits:
        if len(header) > 3:
            name = without_refused(_CONTROL.sub(" ", header[2])).strip()
            address = without_refused(_CONTROL.sub(" ", header[3])).strip().lower()
            if name and address:
                known.setdefault(address, name)
    return known


def _as_git_cuts(name: str) -> str:
    """A co-author's name cut as git cuts an author's (`%<(MAX_NAME,trunc)`: to
    MAX_NAME - 2 columns and `..` when wider than MAX_NAME; a wide character is two
    columns): git leaves a trailer whole, and a 100,000-letter name in one was
    published whole on the credits page and in `history`, beside authors cut to 200.
    Cut between the characters a reader sees (graphemes.py)."""
    if len(name) <= MAX_NAME // 2:
        return name   # two columns a code point at most: nothing to cut
    from ..graphemes import clusters
    widths = [(part, 2 if any(unicodedata.east_asian_width(c) in "WF" for c in part) else 1)
              for part in clusters(name)]
    if sum(width for _, width in widths) <= MAX_NAME:
        return name
    kept, used = [], 0
    for part, width in widths:
        if used + width > MAX_NAME - 2:
            break
        kept.append(part)
        used += width
    return "".join(kept) + ".."


def _address(trailer: str) -> str:
    """`Name <email>` or a bare `email` → email ("" when the trailer gives none)."""
    _, bracket, rest = trailer.partition("<")
    if bracket:
        return rest.split(">", 1)[0].strip()
    return trailer.strip() if _BARE_ADDRESS.fullmatch(trailer.strip()) else ""


def paths_in(root: Path, commit: str, under: Iterable[str] = ("content",)) -> list[str]:
    """Files under the given project folders in a commit (project-relative)."""
    repo = repository(root)
    if repo is None:
        return []
    out = git_text(repo.top, "ls-tree", "-r", "--name-only", "--full-tree", commit, "--",
                   *(repo.prefix + u for u in under)) or ""
    return [p for p in (repo.project_path(line) for line in out.splitlines()) if p]


def project_tree(root: Path, commit: str) -> str:
    """An id for the project at a commit: equal ids mean an equal World. The whole
    project's tree, not its inputs' alone: a build reads files beyond them — where a
    link among them leads (`themes/coast -> ../vendor/coast`, `content/stories/x.md ->
    ../../notes/x.md`), a portrait anywhere in the project (`portrait: ../../art/x.png`),
    all of which `materialise` writes — and two commits changing only such a file had
    one id: `foundry diff A B` compared A with itself ("No changes to the content" for a
    changed stylesheet, a retitled story, a new portrait) and `foundry history` showed
    nothing of it."""
    repo = repository(root)
    if repo is None:
        return commit
    whole = f"{commit}:{repo.prefix.rstrip('/')}" if repo.prefix else f"{commit}^{{tree}}"
    return git_text(repo.top, "rev-parse", "--verify", "--quiet", whole) or commit
