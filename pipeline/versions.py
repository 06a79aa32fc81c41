"""What version of the content a build is made from, read from git.

Git is read with its own command line (plumbing commands only, never anything that
changes the working tree or history); outside a repository builds say "unversioned".
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

UNVERSIONED = "unversioned"


def git(root: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, input=input, env=env, check=False)


def content_version(root: Path) -> str:
    """`<commit>` or `<tag>-<n>-g<commit>` style description of HEAD, or "unversioned"."""
    try:
        head = git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except OSError:
        return UNVERSIONED
    if head.returncode != 0:
        return UNVERSIONED
    commit = head.stdout.decode().strip()
    described = git(root, "describe", "--tags", "--long", "--abbrev=12")
    tag = described.stdout.decode().strip() if described.returncode == 0 else ""
    return f"{commit} ({tag})" if tag else commit
