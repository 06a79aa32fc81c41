"""The release and test workflows, read by GitHub's own schema and held to least
privilege; the shipped content workflow installs a pinned release and caches it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from support import REPO

WORKFLOWS = REPO / ".github/workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["release.yml", "tests.yml", "foundry.yml"])
def test_workflow_is_valid_for_github(name):
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOWS / name)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_release_publishes_with_trusted_publishing_and_least_privilege():
    flow = load("release.yml")
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert flow[True] == {"push": {"tags": ["v*"]}}          # YAML 1.1 reads `on` as true
    assert flow["permissions"] == {"contents": "read"}
    jobs = flow["jobs"]
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}
    assert set(jobs["pypi"]["needs"]) == {"dist", "tests"}
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish") for s in jobs["pypi"]["steps"])
    # no long-lived token anywhere: the only credential is the run's own
    assert not re.search(r"secrets\.", text)
    assert "password" not in text.lower()
    writers = {name for name, job in jobs.items() if "write" in (job.get("permissions") or {}).values()}
    assert writers == {"pypi", "github-release"}
    built = [s.get("run", "") for s in jobs["dist"]["steps"]]
    assert any("twine check" in r for r in built) and any("python -m build" in r for r in built)


def test_shipped_content_workflow_installs_a_pinned_release_and_caches_it():
    flow = load("foundry.yml")
    assert re.fullmatch(r"hero-foundry==\d+\.\d+\.\d+", flow["env"]["FOUNDRY_PACKAGE"])
    for job in flow["jobs"].values():
        setups = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python")]
        installs = [s for s in job["steps"] if "$FOUNDRY_PACKAGE" in s.get("run", "")]
        if installs:
            assert setups and setups[0]["with"].get("cache") == "pip"
