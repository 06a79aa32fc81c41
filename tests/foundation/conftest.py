"""The sample world built once per session, JSON only, in two different folders (so
determinism is checked across paths and processes as well as runs)."""

from __future__ import annotations

import shutil

import pytest

from support import REPO, built_once, foundry

EPOCH = "1700000000"
SAMPLE_PARTS = ("content", "schemas", "foundry.toml")


def copy_sample(dest):
    dest.mkdir(parents=True)
    for part in SAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:
            shutil.copy2(source, dest / part)
    return dest


def _make_json_builds(base):
    for seed, name in enumerate(("first", "second"), 1):
        root = copy_sample(base / name / "world")
        # Separate processes with different hash seeds: set or dict order leaking into
        # the output would show up as a difference between the two builds.
        run = foundry("build", "--only", "json", "--project", str(root),
                      env={"SOURCE_DATE_EPOCH": EPOCH, "PYTHONHASHSEED": str(seed)})
        assert run.code == 0, run.stderr


@pytest.fixture(scope="session")
def json_builds(tmp_path_factory):
    """Built once per test run, shared by the workers (tests only read them)."""
    base = built_once(tmp_path_factory, "json-builds", _make_json_builds)
    return [base / "first" / "world", base / "second" / "world"]


@pytest.fixture(scope="session")
def json_build(json_builds):
    return json_builds[0]
