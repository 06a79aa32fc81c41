"""What git's answers to a build stand on, as file stats: `signature(root)`.

Every page shows git's answers (each footer the commit that last changed what it
shows, the credits who wrote what, under the names `.mailmap` gives them). They change
only when git writes one of a few files: HEAD, the ref it names, packed-refs, the tags'
folders, the shallow file (a fetch that deepens the clone), the work tree's `.mailmap`,
the repository's config (`mailmap.file`, `log.*`), its grafts and replace refs. Their
stats are taken with no git process: `foundry serve` compares them on its idle ticks
(serve/revision.py) and its resident engine keeps the history it read under them
(engine/resident.py `history`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..git_process import environment, find_repository

# a git config file larger than this is read for no `mailmap.file` (settings are a few KB)
MAX_CONFIG = 1 << 20

Signature = tuple[tuple[str, tuple[int, ...] | None], ...]


def _stat(path: Path) -> tuple[int, ...] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st.st_mode, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def common_dir(git_dir: Path) -> Path:
    """The folder holding the refs: a worktree's `commondir` names it, else git_dir."""
    try:
        line = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return git_dir
    return git_dir / line if line else git_dir


def signature(root: Path) -> Signature:
    """The stats of the files git writes when HEAD, a tag, the clone's depth, the work
    tree's .mailmap or the repository's settings change; () outside a repository."""
    repo = find_repository(root)
    if repo is None:
        return ()
    common = common_dir(repo.git_dir)
    paths = [repo.git_dir / "HEAD", common / "packed-refs", common / "shallow", repo.work_tree / ".mailmap",
             common / "config", repo.git_dir / "config.worktree", common / "info" / "grafts"]
    try:
        head = (repo.git_dir / "HEAD").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        head = ""
    if head.startswith("ref: refs/") and ".." not in head:
        paths.append(common / head[len("ref: "):])   # the branch's own file: a commit moves it
    # git writes a ref as a lock file renamed over it: the folder holding it changes with
    # each tag (or replace ref) made, moved or deleted (in folders too: `release/v2`), so
    # folders suffice
    for refs in ("tags", "replace"):
        paths += [Path(folder) for folder, _, _ in os.walk(common / "refs" / refs)]
    # the user's own settings (git reads them: git_process.py keeps GIT_CONFIG_GLOBAL),
    # and the files settings name as more .mailmaps (`mailmap.file`): their edits are
    # no write of git's, yet every name the credits show follows them
    paths += user_configs()
    paths += included_configs(repo)   # a setting written in a file a config includes is git's too
    paths += mailmap_files(repo)
    if mailmap_blob(repo):   # a .mailmap in a revision (`origin/main:.mailmap`): it moves with a fetch
        for refs in ("heads", "remotes"):
            paths += [Path(folder) for folder, _, _ in os.walk(common / "refs" / refs)]
    return tuple((str(path), _stat(path)) for path in paths)


def user_configs() -> list[Path]:
    """The user's git config files git reads (the system's is off), found by the
    environment git is given (git_process.py `environment`: a relative folder there,
    which would be the project's, is no setting)."""
    env = environment()
    if env.get("GIT_CONFIG_GLOBAL"):
        return [Path(env["GIT_CONFIG_GLOBAL"])]
    home = env.get("HOME")
    found = [Path(home, ".gitconfig")] if home else []
    config = env.get("XDG_CONFIG_HOME") or (os.path.join(home, ".config") if home else "")
    return found + ([Path(config, "git", "config")] if config else [])


def mailmap_files(repo) -> list[Path]:
    """The files the repository's and the user's git settings name as `mailmap.file`,
    which git reads beside the work tree's .mailmap (a relative one is the work tree's,
    where git runs), in those files and the ones they include. Found without git;
    nothing is read of them here."""
    return [repo.work_tree / value for section, key, value in _settings(repo)[0]
            if section == "mailmap" and key == "file" and value]


def mailmap_blob(repo) -> str:
    """The revision and path git reads one more .mailmap from (`mailmap.blob`, e.g.
    `origin/main:.mailmap`; the last one set wins), or ""."""
    return next((value for section, key, value in reversed(_settings(repo)[0])
                 if section == "mailmap" and key == "blob"), "")


def included_configs(repo) -> list[Path]:
    """The files the repository's and the user's git settings include (`include.path`,
    `includeIf.<condition>.path`, each included file's own): a setting such as
    `mailmap.file` written there is git's as if written in the including file."""
    return _settings(repo)[1]


def _settings(repo) -> tuple[list[tuple[str, str, str]], list[Path]]:
    """(section, key, value) of every setting of the repository's and the user's config
    files, includes followed in place, and the included files."""
    common = common_dir(repo.git_dir)
    found: list[tuple[str, str, str]] = []
    included: list[Path] = []
    for config in (*user_configs(), common / "config", repo.git_dir / "config.worktree"):
        _read_config(config, found, included, 0)
    return found, included


# git follows at most ten nested includes (config.c MAX_INCLUDE_DEPTH)
MAX_INCLUDE_DEPTH = 10


def _read_config(config: Path, found: list, included: list, depth: int) -> None:
    """Add to `found` the (section, key, value) of a git config file as written (`~`
    expanded in a path), following `include.path` and every `includeIf.*.path` in place
    (relative to the including file; an includeIf's condition is not weighed: a file
    it might include is one more whose edit may change a setting), each file once;
    nothing of a file that is unreadable or larger than a settings file is."""
    try:
        with open(config, "rb") as file:
            text = file.read(MAX_CONFIG + 1)
    except OSError:
        return
    lowered = text.lower()
    if len(text) > MAX_CONFIG or (b"mailmap" not in lowered and b"include" not in lowered):
        return   # the common case: no setting of ours, nothing included
    section = ""
    for line in text.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith("["):
            header = line[1:].split("]", 1)[0].strip()
            section = header.split(None, 1)[0].lower() if header else ""
            section = section.split(".", 1)[0]   # [includeIf.gitdir:…] / [includeIf "gitdir:…"]
            line = line.split("]", 1)[1].strip() if "]" in line else ""
        key, equals, value = line.partition("=")
        if not equals:
            continue
        key = key.strip().lower()
        value = value.split(" #", 1)[0].split(" ;", 1)[0].strip().strip('"')
        if section in ("include", "includeif") and key == "path" and value and depth < MAX_INCLUDE_DEPTH:
            path = Path(os.path.expanduser(value))
            path = path if path.is_absolute() else config.parent / path
            if path not in included:
                included.append(path)
                _read_config(path, found, included, depth + 1)
        elif section == "mailmap":
            found.append((section, key, os.path.expanduser(value) if key == "file" else value))
