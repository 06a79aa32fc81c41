"""Real git repositories in temporary folders, made with the git command line.

Every commit has a fixed author, committer and date, so commit ids — and with them
every output that names a commit — are the same on every run. The user's own git
configuration is kept out (GIT_CONFIG_GLOBAL=/dev/null), both here and in the
`foundry` subprocesses the tests start.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

from support import ROOTS, foundry

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
           "GIT_COMMITTER_NAME": "Foundry CI", "GIT_COMMITTER_EMAIL": "ci@example.com"}
ANA = ("Ana Writer", "ana@example.com")
BEN = ("Ben Designer", "ben@example.com")
CLEO = ("Cleo Editor", "cleo@example.com")


class Repo:
    """A working copy with helpers for writing files and committing them."""

    def __init__(self, path: Path, project: str = ""):
        self.path = path
        self.root = path / project if project else path   # the Foundry project inside it

    def git(self, *args: str, env: dict | None = None, check: bool = True, input_text: str | None = None) -> str:
        done = subprocess.run(["git", *args], cwd=self.path, capture_output=True, text=True, input=input_text,
                              env={**os.environ, **GIT_ENV, **(env or {})})
        if check and done.returncode:
            raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
        return done.stdout.strip()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str, author: tuple[str, str] = ANA, date: str = "2024-01-10T09:00:00+00:00") -> str:
        self.git("add", "-A")
        env = {"GIT_AUTHOR_NAME": author[0], "GIT_AUTHOR_EMAIL": author[1], "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_DATE": date}
        self.git("commit", "-q", "-m", message, env=env)
        return self.rev("HEAD")

    def rev(self, name: str) -> str:
        return self.git("rev-parse", name)

    def foundry(self, *args: str, env: dict | None = None):
        return foundry(*args, "--project", str(self.root), cwd=self.root, env={**GIT_ENV, **(env or {})})

    def state(self) -> dict:
        """Everything foundry must never change: working tree status, the index, refs, config, HEAD."""
        git_dir = self.path / ".git"
        return {"status": self.git("status", "--porcelain=v1", "--untracked-files=all"),
                "index": (git_dir / "index").read_bytes() if (git_dir / "index").exists() else b"",
                "refs": self.git("for-each-ref"), "head": (git_dir / "HEAD").read_text(),
                "config": (git_dir / "config").read_text()}


def new_repo(path: Path, root: str = "git-world", project: str = "") -> Repo:
    """A repository whose first commit (by Ana, 2024-01-10) holds a copy of tests/roots/<root>."""
    path.mkdir(parents=True)
    repo = Repo(path, project)
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env={**os.environ, **GIT_ENV})
    shutil.copytree(ROOTS / root, repo.root, dirs_exist_ok=True)
    repo.commit("Add the Sunken Keep")
    return repo


def review_repo(path: Path) -> Repo:
    """The pull request a reviewer reads in these tests.

    main:     Add the Sunken Keep (Ana, tag v1) ── Tomas gets a title (Cleo)
    feature:  └─ from v1: Aria trades agility for wits (Ben) ── The hall gets a way out
              (Cleo, co-authored by Dana) ── Bram becomes Brann (Ana: git mv + edit in one
              commit) ── Retire the ember relic quest (Ben: a file deleted on one side)

    Checked out: feature, clean.
    """
    repo = new_repo(path)
    repo.git("tag", "v1")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("content/heroes/aria.yaml", "agility: 12, wits: 13", "agility: 11, wits: 14")
    repo.commit("Aria trades agility for wits", BEN, "2024-02-01T10:00:00+01:00")
    story = "content/stories/sunken-keep.md"
    repo.edit(story, '- [Take the relic](#relic){do="set has_relic"}\n',
              '- [Take the relic](#relic){do="set has_relic"}\n- [Swim for the ledge](#ledge)\n')
    repo.edit(story, "- [Drop into the hall](#hall)", "- [Drop into the hall](#ledge)")
    repo.edit(story, "*The end.*\n", "*The end.*\n\n## The Ledge {#ledge .ending}\n\n"
                                     "You climb out of the water, empty-handed. *The end.*\n")
    repo.commit("The hall gets a way out\n\nCo-authored-by: Dana Mapper <dana@example.com>", CLEO,
                "2024-02-02T10:00:00+00:00")
    repo.git("mv", "content/heroes/bram.yaml", "content/heroes/brann.yaml")
    repo.edit("content/heroes/brann.yaml", "name: Bram Holloway\n", "name: Bram Holloway\ntitle: The Breakwater\n")
    repo.edit("content/heroes/brann.yaml", "strength: 14", "strength: 15")
    repo.edit("content/heroes/aria.yaml", "{with: bram, kind: ally}", "{with: brann, kind: ally}")
    repo.commit("Bram becomes Brann", ANA, "2024-02-03T10:00:00+00:00")
    (repo.root / "content/quests/ember-relic.yaml").unlink()
    repo.edit(story, "quests: [ember-relic]\n", "")
    repo.commit("Retire the ember relic quest", BEN, "2024-02-04T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.edit("content/characters/tomas.yaml", "role: Ferryman\n", "role: Ferryman\ntitle: The Last Ferryman\n")
    repo.commit("Tomas gets a title", CLEO, "2024-02-05T10:00:00+00:00")
    repo.git("checkout", "-q", "feature")
    return repo
