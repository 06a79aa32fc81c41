"""The CI workflow and the pre-commit hooks, checked by the tools that read them and
run for real: the workflow's own shell steps in a pull-request-like clone, and the
hooks through pre-commit itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from git_support import GIT_ENV, Repo, new_repo

from pipeline.cli import cli
from pipeline.resolve.governance import HEADER
from support import REPO

WORKFLOW = REPO / ".github/workflows/foundry.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=(HF\d{4}) [^:]*::(.*)$")


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str) -> dict[str, dict]:
    return {s["id"]: s for s in workflow()["jobs"][job]["steps"] if "id" in s}


def run_step(step: dict, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """As GitHub runs a `run:` step: bash -e -o pipefail, the workflow's and the step's env."""
    full = {**os.environ, **GIT_ENV, **workflow()["env"], **step.get("env", {}), **env,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    full = {k: str(v) for k, v in full.items()}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                          capture_output=True, text=True, env=full, timeout=300)


def clone(source: Repo, where: Path, ref: str) -> Repo:
    """What actions/checkout leaves: a full clone, HEAD detached at the ref."""
    subprocess.run(["git", "clone", "-q", str(source.path), str(where)], check=True, env={**os.environ, **GIT_ENV})
    repo = Repo(where)
    repo.git("checkout", "-q", "--detach", ref)
    return repo


def test_the_workflow_is_valid_for_github():
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    on = workflow()[True]   # YAML 1.1 reads the key `on` as true
    assert set(on) == {"pull_request", "push", "workflow_dispatch"} and "pull_request_target" not in on
    assert on["push"] == {"branches": ["main"], "tags": ["v*"]}


def test_the_pull_request_steps_annotate_and_write_the_diff(review: Repo, tmp_path):
    pr = clone(review, tmp_path / "pr", "origin/main")   # GitHub checks out the pull request merged into its base
    pr.git("merge", "-q", "--no-ff", "--no-edit", "origin/feature",
           env={"GIT_AUTHOR_NAME": "GitHub", "GIT_AUTHOR_EMAIL": "noreply@github.com",
                "GIT_AUTHOR_DATE": "2024-03-01T00:00:00+00:00", "GIT_COMMITTER_DATE": "2024-03-01T00:00:00+00:00"})
    summary = tmp_path / "summary.md"
    job = steps("review")
    # (Pages not turned on: configure-pages gave no address)
    check = run_step(job["check"], pr.root, {"GITHUB_STEP_SUMMARY": str(summary), "PAGES_URL": ""})
    assert check.returncode == 1                       # the pull request makes scene 'wall' unreachable
    annotations = [ANNOTATION.match(line).groups() for line in check.stdout.splitlines()]
    # and the owner rule for Bram, whom the pull request renamed Brann, names no hero now (HF0904)
    # (each file's first finding first: GitHub draws 10 of a level, console/report.py _spread)
    assert [a[:5] for a in annotations] == [("warning", "content/stories/sunken-keep.md", "16", "41", "HF0505"),
                                            ("warning", "foundry.toml", "21", "1", "HF0904"),
                                            ("error", "content/stories/sunken-keep.md", "25", "1", "HF0504")]
    assert annotations[2][5].startswith("scene 'wall' can never be reached")
    assert "'hero:bram'" in annotations[1][5] and "brann" in annotations[1][5], annotations[1]
    # the job summary: a row for each code in each file (every one, where the diff draws 10)
    checked = summary.read_text(encoding="utf-8")
    assert checked.startswith("### `foundry check`: 1 error, 2 warnings.\n") and checked.count("\n| `") == 3
    assert "!cancelled()" in job["diff"]["if"]         # so the diff is still posted
    diff = run_step(job["diff"], pr.root, {"GITHUB_STEP_SUMMARY": str(summary), "BASE_REF": "main"})
    assert diff.returncode == 0, diff.stderr
    body = (pr.root / "foundry-diff.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- foundry-diff -->\n### Foundry diff\n\n**1 hero renamed, 1 hero changed, "
                           "1 quest removed, 1 story changed; 2 breaking changes for the JSON contract.**\n")
    assert summary.read_text(encoding="utf-8") == checked + body
    assert "foundry-diff.md" in job["diff"]["run"] and "<!-- foundry-diff -->" in \
        workflow()["jobs"]["review"]["steps"][-1]["with"]["script"]
    assert pr.foundry("codeowners").code == 0          # once a CODEOWNERS exists, its step runs and passes
    assert run_step(job["codeowners"], pr.root, {}).returncode == 0


def test_the_release_step_writes_a_build_report(review: Repo, tmp_path):
    main = clone(review, tmp_path / "main", "origin/main")
    done = run_step(steps("release")["build"], main.root, {})
    assert done.returncode == 0, done.stderr
    report = yaml.safe_load((main.root / "build-report.json").read_text(encoding="utf-8"))
    assert report["release"] is True and report["build"]["ok"] is True and report["errors"] == 0
    assert {"heroes": 1, "characters": 1, "quests": 1, "stories": 1, "templates": 1}.items() <= \
        report["build"]["counts"].items()              # bram is a draft
    assert {"load", "plan", "render", "write"} <= set(report["build"]["timings"])
    assert report["findings_by_code"] == {}
    assert (main.root / "build/api/v1/manifest.json").is_file()


def _shipped_hooks(repo: Repo, tmp_path: Path) -> dict:
    """The shipped hooks (.pre-commit-hooks.yaml) in the repository's .pre-commit-config.yaml,
    and the environment to run pre-commit in. pre-commit would install this repository into
    a virtualenv for `language: python`; offline, the same hooks run as `system` hooks with
    the installed foundry."""
    local = [{k: v for k, v in h.items() if k not in ("language", "description")} | {"language": "system"}
             for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))]
    (repo.path / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}))
    return {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def test_the_pre_commit_hooks_run_through_pre_commit(repo: Repo, tmp_path):
    clientlib = pytest.importorskip("pre_commit.clientlib")
    hooks = clientlib.load_manifest(str(HOOKS))
    assert [h["id"] for h in hooks] == ["foundry-check", "foundry-codeowners", "foundry-schemas"]
    env = _shipped_hooks(repo, tmp_path)
    assert repo.foundry("codeowners").code == 0
    assert repo.foundry("schemas").code == 0   # the editor schemas foundry init writes, which the third hook keeps
    repo.commit("CODEOWNERS, editor schemas and pre-commit")

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"], cwd=repo.path,
                              capture_output=True, text=True, env=env, timeout=300)

    clean = pre_commit()
    assert clean.returncode == 0, clean.stdout
    assert re.search(r"foundry check\.+Passed", clean.stdout)
    assert re.search(r"codeowners --check\.+Passed", clean.stdout)
    assert re.search(r"schemas --check\.+Passed", clean.stdout)
    repo.edit("content/heroes/aria.yaml", "skills: [tracking]", "skills: [trackng]")
    broken = pre_commit()
    assert broken.returncode == 1
    assert re.search(r"foundry check\.+Failed", broken.stdout) and "HF0308" in broken.stdout


def test_editor_schemas_left_behind_by_a_rule_change_fail_the_workflow_and_the_hook(repo: Repo, tmp_path):
    """`foundry schemas --check` was documented "for CI" and run by nothing: a pull request
    changing the rule book without `foundry schemas` left every writer's editor judging
    the content by the old rules (`strength: 19` underlined, `foundry check` clean). The
    workflow's step and the `foundry-schemas` hook fail then, and pass once it is run;
    a project that keeps no editor schemas skips the step."""
    clientlib = pytest.importorskip("pre_commit.clientlib")
    step = steps("review")["schemas"]
    assert "hashFiles('schemas/json/*.schema.json')" in step["if"]   # none kept: skipped
    assert repo.foundry("schemas").code == 0
    repo.commit("Editor schemas")
    env = _shipped_hooks(repo, tmp_path)
    assert [h["id"] for h in clientlib.load_manifest(str(HOOKS))][-1] == "foundry-schemas"
    repo.edit("schemas/attributes.yaml", "strength: {name: Strength, min: 1, max: 20",
              "strength: {name: Strength, min: 1, max: 18")

    def hook() -> str:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "foundry-schemas", "--files",
                               "schemas/attributes.yaml"], cwd=repo.path, capture_output=True, text=True, env=env,
                              timeout=300).stdout

    stale = run_step(step, repo.root, {})
    assert stale.returncode == 1, stale.stderr
    # an annotation at each stale file (HF0415), where a plain line on stderr was on no diff
    assert "::error file=schemas/json/hero.schema.json,title=HF0415 editor schema out of date::" in stale.stdout, \
        stale.stdout
    assert re.search(r"foundry schemas --check\.+Failed", hook())
    assert repo.foundry("schemas").code == 0
    assert run_step(step, repo.root, {}).returncode == 0
    assert re.search(r"foundry schemas --check\.+Passed", hook())


def test_the_docs_local_hooks_are_the_shipped_ones_pinned_as_the_workflow_pins(tmp_path):
    """pre-commit fetches `rev:` without its tag, so the shipped hooks' environment reports
    a .dev version (setuptools-scm sees no tag). docs/ci.md gives the hooks as local ones
    installing the PyPI release: valid for pre-commit, the same hooks as the manifest,
    and pinned to the release the shipped workflow installs (so one upgrade moves both)."""
    clientlib = pytest.importorskip("pre_commit.clientlib")
    text = (REPO / "docs/ci.md").read_text(encoding="utf-8")
    section = text[text.index("\n## pre-commit"):]
    section = section.split("\n## ", 2)[1]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    local = [b for b in blocks if isinstance(b, dict) and b["repos"][0]["repo"] == "local"]
    assert len(local) == 1, "docs/ci.md's pre-commit section gives the hooks as local ones"
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(yaml.safe_dump(local[0]))
    hooks = clientlib.load_config(str(config))["repos"][0]["hooks"]
    shipped = {h["id"]: h for h in clientlib.load_manifest(str(HOOKS))}
    assert [h["id"] for h in hooks] == list(shipped)
    pin = workflow()["env"]["FOUNDRY_PACKAGE"]
    for hook in hooks:
        ours = shipped[hook["id"]]
        for key in ("name", "entry", "language", "pass_filenames", "always_run", "require_serial"):
            assert hook[key] == ours[key], (hook["id"], key)
        assert hook["additional_dependencies"] == [pin]


def test_the_check_hook_runs_when_only_a_translation_or_theme_file_changed(repo: Repo, tmp_path):
    # A commit touching nothing but a translation file can break the build (HF1104, HF1107),
    # and one touching a theme file too (HF0703 and its kin): `files:` covers every folder
    # `foundry check` reads, not only content/ and schemas/.
    pytest.importorskip("pre_commit.clientlib")
    env = _shipped_hooks(repo, tmp_path)
    repo.edit("foundry.toml", "[build]", '[l10n]\nlanguages = ["de"]\n\n[build]')
    repo.commit("German, and pre-commit")
    def check_hook(changed: str) -> str:
        done = subprocess.run([sys.executable, "-m", "pre_commit", "run", "foundry-check", "--files", changed],
                              cwd=repo.path, capture_output=True, text=True, env=env, timeout=300)
        assert "no files to check" not in done.stdout, (changed, done.stdout)
        return done.stdout

    (repo.root / "themes/default/templates").mkdir(parents=True)
    repo.write("themes/default/templates/hero.html", "{{ person.name }}\n")
    assert re.search(r"foundry check\.+Passed", check_hook("themes/default/templates/hero.html"))
    po = "translations/de/content/heroes/aria.yaml.po"
    repo.write(po, 'msgid "Aria"\nmsgstr "Aria\n')            # an unterminated string
    out = check_hook(po)
    assert re.search(r"foundry check\.+Failed", out) and "HF1104" in out, out


def test_a_commit_that_only_deletes_runs_every_hook(repo: Repo, tmp_path):
    """pre-commit hands its hooks the staged files but never a deleted one, so a commit
    removing `content/heroes/aria.yaml` (a story's protagonist, a character's mentee)
    matched no hook's `files:`: "(no files to check)Skipped" on all three, and the
    broken references were committed. The hooks judge the whole project: they run on
    every commit, as `git commit` runs them (the staged changes, no --all-files)."""
    pytest.importorskip("pre_commit.clientlib")
    env = _shipped_hooks(repo, tmp_path)
    repo.commit("pre-commit")
    repo.git("rm", "-q", "content/heroes/aria.yaml")
    done = subprocess.run([sys.executable, "-m", "pre_commit", "run"], cwd=repo.path, capture_output=True,
                          text=True, env=env, timeout=300)
    assert "no files to check" not in done.stdout, done.stdout
    assert done.returncode == 1
    assert re.search(r"foundry check\.+Failed", done.stdout) and "HF0301 unknown hero 'aria'" in done.stdout


def test_every_artifact_of_the_outputs_keeps_the_files_named_with_a_dot(tmp_path):
    """upload-artifact (v4.4 on) leaves out files and folders named with a dot unless
    `include-hidden-files: true`: the release job's `foundry-build-<commit>` artifact lost
    the site's `.well-known/security.txt` (a theme's root/), which a team deploying from the
    artifact then did not serve. Every artifact of build output keeps them."""
    repo = new_repo(tmp_path / "world", root="minimal")
    repo.write("themes/default/root/.well-known/security.txt", "Contact: mailto:security@example.com\n")
    done = CliRunner().invoke(cli, ["build", "--only", "html", "--project", str(repo.root)])
    assert done.exit_code == 0, done.output
    assert (repo.root / "build/site/.well-known/security.txt").is_file()   # what the artifact must hold
    uploads = [(job, step) for job, spec in workflow()["jobs"].items() for step in spec["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert {job for job, _ in uploads} == {"shards", "release"}
    for job, step in uploads:
        assert "build" in step["with"]["path"]
        assert step["with"].get("include-hidden-files") is True, (job, step["with"]["name"])


@pytest.mark.parametrize("name", ["foundry.yml", "release.yml", "tests.yml"])
def test_no_checkout_leaves_its_token_for_the_steps_after(name):
    """actions/checkout keeps the job's token in .git/config unless told not to, where
    every later step can read it — in the review job, the steps that read a pull
    request's content, with `pull-requests: write`. Nothing in these workflows pushes or
    fetches after the checkout (zizmor's `artipacked`)."""
    jobs = yaml.safe_load((REPO / ".github/workflows" / name).read_text(encoding="utf-8"))["jobs"]
    checkouts = [(job, step) for job, spec in jobs.items() for step in spec["steps"]
                 if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts
    for job, step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, (name, job)
    text = (REPO / ".github/workflows" / name).read_text(encoding="utf-8")
    assert not re.search(r"\bgit (push|fetch|pull)\b", text)


def test_the_owners_hook_passes_a_project_with_no_owners(tmp_path):
    """docs/ci.md's pre-commit setup lists both hooks; a project made by `foundry init` has no
    [owners]. The owners hook's command was a usage error there (exit 2, "nothing to
    generate"), so every commit touching foundry.toml failed it. Nothing foundry generates
    is out of date: it passes — unless a CODEOWNERS it generated outlived the table. (The
    hook's own command, run as the hook runs it; pre-commit itself is the test above.)"""
    hook = next(h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8")) if h["id"] == "foundry-codeowners")
    verb = hook["entry"].split()[1:]
    assert verb == ["codeowners", "--check"] and hook["always_run"] is True
    repo = new_repo(tmp_path / "world", root="minimal")
    run = repo.foundry(*verb)
    assert run.code == 0, run.stdout + run.stderr
    repo.write(".github/CODEOWNERS", HEADER + "\n* @old-team\n")   # from an [owners] since removed
    left = repo.foundry(*verb)
    assert left.code == 1 and "HF0903" in left.stdout + left.stderr, left.stdout + left.stderr


def test_annotations_of_a_project_in_a_subfolder_name_the_files_from_the_repository_top(tmp_path):
    """GitHub places an annotation on the pull request's diff by its file's path from the
    repository's top. With the project in `world/` (docs/ci.md: `--project world`) every
    annotation named `content/heroes/aria.yaml`, a file the repository does not have:
    none was shown on the diff. Now `world/content/heroes/aria.yaml`; CODEOWNERS, at the
    repository's top, `.github/CODEOWNERS` (it was `../.github/CODEOWNERS`)."""
    repo = new_repo(tmp_path / "repo", project="world")
    repo.edit("content/heroes/aria.yaml", "agility: 12", 'agility: "12"')
    run = repo.foundry("check", "--format", "github")
    assert run.code == 1
    assert [line.split(",")[0] for line in run.stdout.splitlines()] == ["::error file=world/content/heroes/aria.yaml"]
    assert (repo.path / "world/content/heroes/aria.yaml").is_file()
    owners = repo.foundry("codeowners", "--check", "--format", "github")
    assert owners.code == 1 and owners.stdout.startswith("::error file=.github/CODEOWNERS,title=HF0903"), owners.stdout


def test_every_build_of_the_workflow_publishes_at_the_pages_address(review: Repo, tmp_path):
    """A project page (https://<owner>.github.io/<repo>/) built with foundry.toml's default
    base_url "/" had a 404 page linking from the host's root: unstyled, links dead. Every
    build of the workflow is given actions/configure-pages' address (without its trailing
    slash, as that action gives it); Pages not turned on leaves foundry.toml's."""
    main = clone(review, tmp_path / "main", "origin/main")
    main.edit("foundry.toml", 'outputs = ["json"]', 'outputs = ["json", "html"]')
    main.commit("Publish the site too")
    step = steps("review")["build"]
    assert step["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    pages = steps("review")["pages"]
    assert pages["uses"].startswith("actions/configure-pages@") and pages["continue-on-error"] is True

    def links_404(url: str) -> list[str]:
        done = run_step(step, main.root, {"PAGES_URL": url})
        assert done.returncode == 0, done.stderr
        page = (main.root / "build/site/404.html").read_text(encoding="utf-8")
        return re.findall(r'<a [^>]*href="([^"]+)"', page)

    assert "/repo/index.html" in links_404("https://you.github.io/repo")
    assert "/index.html" in links_404("")   # configure-pages failed: foundry.toml's base_url
    # the pull request's check is given it too (what it says of the address is said
    # there, as annotations): the address is found before the check
    review = [s.get("id") for s in workflow()["jobs"]["review"]["steps"]]
    assert review.index("pages") < review.index("check") and "if" not in pages
    check = steps("review")["check"]
    assert check["env"]["PAGES_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert check["run"].endswith('${PAGES_URL:+--base-url "${PAGES_URL%/}/"}')
    # the release path: one address for every machine, looked up once
    flow = workflow()["jobs"]
    assert any(s.get("id") == "pages" and s["uses"].startswith("actions/configure-pages@") for s in flow["cache"]["steps"])
    assert flow["cache"]["outputs"]["pages_url"] == "${{ steps.pages.outputs.base_url }}"
    for job, step_id in (("shards", "shard"), ("release", "build")):
        assert flow[job]["env"]["PAGES_URL"] == "${{ needs.cache.outputs.pages_url }}"
        builds = [line for line in steps(job)[step_id]["run"].splitlines() if "foundry build" in line]
        assert builds and all('${PAGES_URL:+--base-url "${PAGES_URL%/}/"}' in line for line in builds), builds


def test_a_crlf_checkout_of_the_generated_files_is_up_to_date(tmp_path):
    """core.autocrlf (git for Windows' default) checks the committed editor schemas and
    CODEOWNERS out with CR LF while git stores LF: `foundry schemas --check` said
    HF0415 at every schema and `foundry codeowners --check` HF0903, so the pre-commit
    hooks refused every commit on Windows, and the hint followed (`foundry schemas`)
    rewrote files git saw no change in. The files are judged as git stores them: up to
    date, and left as they are."""
    repo = new_repo(tmp_path / "world")

    def foundry(*args: str):   # in this process: five runs, no Python start-up each
        return CliRunner().invoke(cli, [*args, "--project", str(repo.root)], catch_exceptions=False)

    assert foundry("schemas").exit_code == 0 and foundry("codeowners").exit_code == 0
    repo.commit("generated")
    repo.git("config", "core.autocrlf", "true")
    repo.git("rm", "-q", "-r", "--cached", ".")
    repo.git("reset", "-q", "--hard")
    made = sorted((repo.root / "schemas/json").glob("*.json")) + [repo.path / ".github/CODEOWNERS"]
    before = {p: p.read_bytes() for p in made}
    assert len(before) > 2 and all(b"\r\n" in data for data in before.values())
    assert repo.git("status", "--porcelain") == ""
    for verb in ("schemas", "codeowners"):
        run = foundry(verb, "--check", "--format", "github")
        assert run.exit_code == 0 and run.stdout == "", (verb, run.stdout, run.stderr)
        assert foundry(verb).exit_code == 0
    assert {p: p.read_bytes() for p in made} == before
    # a change that is one still is: the schemas follow the rule book
    repo.edit("schemas/attributes.yaml", "attributes:\n", "attributes:\n  luck: {name: Luck, min: 1, max: 20, default: 8}\n")
    stale = foundry("schemas", "--check", "--format", "github")
    assert stale.exit_code == 1 and "title=HF0415" in stale.stdout
