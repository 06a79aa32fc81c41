"""Shared fixtures: real projects on disk, the real CLI, and system tools that must
exist in CI (a test may skip for a missing tool on a laptop, never when CI=true)."""

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
    """Run the real `foundry` command in a subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd or REPO, capture_output=True,
                          text=True, env=full_env, input=input, timeout=600)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def project_factory(tmp_path):
    """Write a project inline: `make({"content/heroes/a.yaml": "..."})`; starts from
    the minimal root in tests/roots/minimal unless `base=None`."""
    def make(files: dict[str, str | bytes] | None = None, base: str | None = "minimal", name: str = "proj") -> Path:
        root = tmp_path / name
        if base:
            shutil.copytree(ROOTS / base, root)
        else:
            root.mkdir()
        for rel, content in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
        return root
    return make


def diagnostics(run: Run) -> list[str]:
    """`code path:line:col` for each diagnostic of a `--format json` run."""
    return [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]]


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory):
    """The repository's own sample world, built once per session into a copy."""
    root = tmp_path_factory.mktemp("sample") / "world"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns("build", ".git", "node_modules", "tests", "benchmarks",
                                                              ".foundry-*", "__pycache__"))
    run = foundry("build", "--project", str(root), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    return root
