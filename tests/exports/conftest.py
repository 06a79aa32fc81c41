"""Fixtures for the ink and Twee export tests: Node.js with the pinned packages, the
sample world built twice, and the fixture project built once per test."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from export_support import FIXTURE, INKLECATE, SOURCE_DATE_EPOCH, build_copy
from support import REPO, built_once, foundry, require_tool, write_project


@pytest.fixture(scope="session")
def node_tools():
    """Node.js and the pinned packages, or a skip (a failure in CI)."""
    has_node = shutil.which("node") is not None
    has_packages = all((REPO / "node_modules" / name / "package.json").is_file() for name in ("inkjs", "extwee"))
    require_tool(has_node and has_packages, "node with inkjs and extwee (run `npm ci` at the repository root)")
    return shutil.which("node")


@pytest.fixture(scope="session")
def sample_exports(tmp_path_factory) -> Path:
    """Built once per test run, shared by the workers (tests only read it)."""
    return built_once(tmp_path_factory, "exports-a", build_copy)


@pytest.fixture(scope="session")
def sample_exports_again(tmp_path_factory) -> Path:
    """A second, independent build of the same sample, for determinism."""
    return built_once(tmp_path_factory, "exports-b", build_copy)


@pytest.fixture(scope="module")
def fixture_export(tmp_path_factory) -> Path:
    """The fixture project, built once per module: its tests only read the build."""
    root = write_project(tmp_path_factory.mktemp("fixture") / "proj", FIXTURE, base=None)
    run = foundry("build", "--project", str(root), env=SOURCE_DATE_EPOCH)
    assert run.code == 0, run.stdout + run.stderr
    return root




@pytest.fixture(scope="session")
def inklecate():
    """The official ink compiler of the oldest ink we support (ink 0.9, bundled in npm
    inklecate 1.8.1; a .NET program run under Debian's Mono). Returns
    `compile(ink_file) -> json_file`, which fails the test on any error or warning."""
    mono = shutil.which("mono")
    require_tool(mono is not None and INKLECATE.is_file(),
                 "mono (Debian mono-runtime) and npm inklecate (run `npm ci` at the repository root)")

    def compile_ink(ink_file: Path) -> Path:
        out = ink_file.with_name(ink_file.stem + ".inklecate.json")
        run = subprocess.run([mono, str(INKLECATE), "-o", str(out), str(ink_file)],
                             capture_output=True, text=True, timeout=300)
        said = [line.lstrip("\ufeff") for line in (run.stdout + run.stderr).splitlines() if line.strip("\ufeff \t")]
        assert run.returncode == 0 and said == [], said  # no error, no warning, no author's TODO
        assert out.is_file()
        return out

    return compile_ink
