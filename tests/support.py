"""Helpers every test may import (`from support import foundry`): the real CLI in a
subprocess, and system tools that must exist in CI (a test may skip for a missing
tool on a laptop, never when CI=true)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from warm_start import run_foundry

REPO = Path(__file__).resolve().parent.parent
ROOTS = Path(__file__).resolve().parent / "roots"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_tool(available: bool, what: str) -> None:
    """Skip on a laptop without the tool; fail in CI, where .ci/run installs it."""
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is required in CI but missing")
        pytest.skip(f"{what} not installed")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def foundry(*args: str, cwd: Path | None = None, env: dict | None = None, input: str | None = None) -> Run:
    """Run the real `foundry` command (`python -m pipeline`) in a process of its own, as
    a user would; started warm (forked from a process that already imported the
    pipeline) when that cannot differ from a cold start — see warm_start.py."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    code, out, err = run_foundry(list(args), cwd or REPO, full_env, input, timeout=600)
    return Run(code, out, err)




def diagnostics(run: Run) -> list[str]:
    """`code path:line:col` for each diagnostic of a `--format json` run."""
    return [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]]


CHROMIUM = "/usr/bin/chromium"
# Headless as root, and no reaching out to the network (docs: tooling notes).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
