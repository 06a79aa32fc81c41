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


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_workflow_says_what_github_refuses_and_the_schema_lets_pass(name):
    # GitHub refuses to run a workflow whose job has two steps of one id (case-insensitive,
    # as actionlint says it), and `steps.X` / `needs.X` naming none is empty at run time; the
    # schema sees neither. The shipped foundry.yml (what `foundry ci` writes into every
    # project) had its `schemas` step twice: no job of it ran.
    flow = load(name)
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    jobs = flow["jobs"]
    for job_name, job in jobs.items():
        ids = [str(s["id"]).lower() for s in job.get("steps", []) if "id" in s]
        assert len(ids) == len(set(ids)), (job_name, sorted(i for i in ids if ids.count(i) > 1))
        needs = job.get("needs", [])
        assert set([needs] if isinstance(needs, str) else needs) <= set(jobs), job_name
        named = re.findall(r"\bsteps\.([A-Za-z_][\w-]*)", yaml.safe_dump(job))
        assert {n.lower() for n in named} <= set(ids), (job_name, named)
    for job_name in re.findall(r"\bneeds\.([A-Za-z_][\w-]*)", text):
        assert job_name in jobs


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


def _step(job: dict, name: str) -> str:
    return next(s["run"] for s in job["steps"] if s.get("name") == name)


def _bash(script: str, cwd, **env) -> subprocess.CompletedProcess:
    import os
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}", **env})


def test_release_runs_only_from_main_and_a_pre_release_tag_is_a_pre_release(tmp_path):
    """Its comment said "push a tag on main", but any `v*` tag, on any branch's commit,
    published; and `v1.3.0rc1` became GitHub's "Latest" full release. The workflow's own
    steps run here: the tag's commit must be on origin/main, and a pre-release version
    (PEP 440, as setuptools-scm makes it) is created with `--prerelease`."""
    import os
    jobs = load("release.yml")["jobs"]
    git = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@x"}
    up, clone = tmp_path / "up", tmp_path / "clone"
    run = lambda *a, cwd=up: subprocess.run(a, cwd=cwd, env=git, check=True, capture_output=True, text=True)  # noqa: E731
    up.mkdir()
    run("git", "init", "-q", "-b", "main")
    run("git", "commit", "-q", "--allow-empty", "-m", "on main")
    run("git", "checkout", "-q", "-b", "side")
    run("git", "commit", "-q", "--allow-empty", "-m", "on a branch")
    run("git", "checkout", "-q", "main")
    run("git", "clone", "-q", str(up), str(clone), cwd=tmp_path)
    on_main = _step(jobs["dist"], "The tagged commit is on main")
    main_sha, side_sha = run("git", "rev-parse", "main").stdout.strip(), run("git", "rev-parse", "side").stdout.strip()
    assert _bash(on_main, clone, GITHUB_SHA=main_sha, GITHUB_REF_NAME="v1.0.0").returncode == 0
    refused = _bash(on_main, clone, GITHUB_SHA=side_sha, GITHUB_REF_NAME="v1.0.0")
    assert refused.returncode == 1 and "not on main" in refused.stdout

    names = [s.get("name") for s in jobs["dist"]["steps"]]
    assert names.index("The tagged commit is on main") < names.index("Build the sdist and the wheel")
    assert jobs["dist"]["outputs"]["prerelease"] == "${{ steps.version.outputs.prerelease }}"
    assert "dist" in jobs["github-release"]["needs"]
    version = _step(jobs["dist"], "Is it a pre-release")
    create = _step(jobs["github-release"], "gh release create")
    stub = tmp_path / "bin"
    stub.mkdir()
    (stub / "gh").write_text('#!/bin/sh\necho "$@"\n')
    (stub / "gh").chmod(0o755)
    for tag, pre in (("v1.3.0rc1", True), ("v1.3.0b2", True), ("v1.3.0.dev4", True), ("v1.3.0", False),
                     ("v1.3.0.post1", False)):
        out = tmp_path / f"out-{tag}"
        assert _bash(version, tmp_path, GITHUB_REF_NAME=tag, GITHUB_OUTPUT=str(out)).returncode == 0
        assert out.read_text() == f"prerelease={str(pre).lower()}\n"
        said = _bash(create, tmp_path, GITHUB_REF_NAME=tag, GITHUB_REPOSITORY="o/r", GH_TOKEN="",
                     PRERELEASE=str(pre).lower(), PATH=f"{stub}:{os.environ['PATH']}").stdout
        assert said.startswith(f"release create {tag} dist/*") and ("--prerelease" in said) == pre, said


def test_shipped_content_workflow_bounds_a_pull_requests_renders_as_the_operator_sets():
    """The job that checks and builds a stranger's pull request reads the operator's
    budget for all its renders (FOUNDRY_BUILD_SECONDS, HF0716) from a repository
    variable: settable without editing the workflow, empty (no limit) when unset; never
    from anything the pull request writes."""
    job = load("foundry.yml")["jobs"]["review"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["env"]["FOUNDRY_BUILD_SECONDS"] == "${{ vars.FOUNDRY_BUILD_SECONDS }}"
