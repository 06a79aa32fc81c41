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


def _uses(step: dict, action: str) -> bool:
    return step.get("uses", "").split("@")[0] == action


def test_shipped_content_workflow_restores_the_default_branchs_build_cache():
    flow = load("foundry.yml")
    jobs = flow["jobs"]
    cached = {"build/", ".foundry-cache/"}
    # a pull request starts from the newest cache of its branch, else of the default branch
    review = [s for s in jobs["review"]["steps"] if _uses(s, "actions/cache")]
    assert len(review) == 1 and set(review[0]["with"]["path"].split()) == cached
    assert review[0]["with"]["key"] == "foundry-build-${{ github.ref_name }}-${{ github.sha }}"
    assert review[0]["with"]["restore-keys"].splitlines() == [
        "foundry-build-${{ github.ref_name }}-", "foundry-build-${{ github.event.repository.default_branch }}-"]
    names = [s.get("id") or s.get("name") or s.get("uses") for s in jobs["review"]["steps"]]
    assert names.index("Restore the build cache") < names.index("build")
    assert "foundry build --release" in next(s for s in jobs["review"]["steps"] if s.get("id") == "build")["run"]
    # the release path looks the cache up once; every machine restores exactly that key
    find = jobs["cache"]["steps"][0]
    assert _uses(find, "actions/cache/restore") and find["with"]["lookup-only"] is True
    assert {k: find["with"][k] for k in ("key", "restore-keys")} == {k: review[0]["with"][k] for k in ("key", "restore-keys")}
    assert jobs["cache"]["outputs"]["key"] == "${{ steps.%s.outputs.cache-matched-key }}" % find["id"]
    for name in ("shards", "release"):
        job = jobs[name]
        assert "cache" in job["needs"] and job["env"]["CACHE_KEY"] == "${{ needs.cache.outputs.key }}"
        restores = [s for s in job["steps"] if _uses(s, "actions/cache/restore")]
        assert len(restores) == 1 and restores[0]["with"]["key"] == "${{ env.CACHE_KEY }}"
        assert set(restores[0]["with"]["path"].split()) == cached
        assert not any(_uses(s, "actions/cache") for s in job["steps"])   # a shard never saves a partial build/
    save = [s for s in jobs["release"]["steps"] if _uses(s, "actions/cache/save")]
    assert len(save) == 1 and save[0]["with"]["key"] == review[0]["with"]["key"]
    steps = jobs["release"]["steps"]
    assert steps.index(save[0]) > steps.index(next(s for s in steps if s.get("id") == "build"))


def test_shipped_content_workflow_renders_in_shards_and_merges():
    flow = load("foundry.yml")
    jobs = flow["jobs"]
    shards = jobs["shards"]
    matrix = shards["strategy"]["matrix"]["shard"]
    assert len(matrix) >= 2 and matrix == list(range(1, len(matrix) + 1))
    step = next(s for s in shards["steps"] if s.get("id") == "shard")
    assert step["env"]["SHARD"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert 'foundry build --release --shard "$SHARD"' in step["run"] and "SOURCE_DATE_EPOCH" in step["run"]
    upload = next(s for s in shards["steps"] if _uses(s, "actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == "build-shards"
    assert upload["with"]["name"] == "foundry-shard-${{ matrix.shard }}"
    release = jobs["release"]
    assert "shards" in release["needs"]
    download = next(s for s in release["steps"] if _uses(s, "actions/download-artifact"))
    assert download["with"]["pattern"] == "foundry-shard-*" and download["with"]["merge-multiple"] is True
    assert "runner.temp" in download["with"]["path"]   # outside the checkout a pull request writes
    build = next(s for s in release["steps"] if s.get("id") == "build")
    assert build["env"]["SHARDS"] == download["with"]["path"]
    assert 'foundry build --release --merge "$SHARDS"/*' in build["run"]
    assert "foundry build --release --format json" in build["run"]   # without the shared key: one machine
    # the shared seal key comes from one secret, only to the jobs that build
    text = (WORKFLOWS / "foundry.yml").read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{\{\s*secrets\.(\w+)", text)) == {"FOUNDRY_SEAL_KEY"}
    assert "FOUNDRY_SEAL_KEY" not in flow["env"]
    holders = {name for name, job in jobs.items() if "FOUNDRY_SEAL_KEY" in (job.get("env") or {})}
    assert holders == {"review", "shards", "release"}
    for name in holders:
        assert jobs[name]["env"]["FOUNDRY_SEAL_KEY"] == "${{ secrets.FOUNDRY_SEAL_KEY }}"


def test_shipped_content_workflow_checks_on_the_machine_the_build_runs_on():
    """The review job's `foundry check` ran before Pango and the fonts were installed:
    it said HF0741 (no font prints these characters) for what the build, run after
    the install, prints, and on a runner without Pango it would stop at HF0742 (PDFs
    cannot be made here). The install comes first, for every step."""
    steps = load("foundry.yml")["jobs"]["review"]["steps"]
    names = [s.get("name", "") for s in steps]
    install = names.index("Install what PDF and EPUB need")
    assert install < names.index("foundry check"), names
    assert "if" not in steps[install]
    assert "libpango-1.0-0 libpangoft2-1.0-0" in steps[install]["run"]


def test_shipped_content_workflow_never_cancels_a_deployment_half_way():
    # cancel-in-progress was true for every run: a push to the default branch during a
    # deploy cancelled that run's deploy-pages (and its build cache's save) half-way;
    # GitHub's Pages workflows let a deployment finish. A pull request's old run still goes.
    concurrency = load("foundry.yml")["concurrency"]
    assert concurrency["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "github.ref" in concurrency["group"]
