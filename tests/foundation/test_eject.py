"""`foundry ci` and `foundry theme eject`: the workflow and the theme files foundry
ships, written into a project from the installed package (a pipx or wheel user has no
checkout to copy them from), never over a file the project has."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from support import REPO

from .helpers import invoke

WORKFLOW = ".github/workflows/foundry.yml"


def _project(tmp_path):
    root = tmp_path / "world"
    assert invoke("init", "--no-git", str(root)).exit_code == 0
    return root


def test_ci_writes_the_shipped_workflow_once_and_never_over_the_users(tmp_path):
    root = _project(tmp_path)
    run = invoke("ci", "--project", str(root))
    assert run.exit_code == 0 and f"Wrote {WORKFLOW}" in run.stderr, run.stderr
    shipped = (REPO / WORKFLOW).read_text(encoding="utf-8")
    written = (root / WORKFLOW).read_text(encoding="utf-8")
    pin = [line for line in shipped.splitlines() if "FOUNDRY_PACKAGE:" in line]
    # the same workflow, but for the line pinning the release (this foundry's, when it is one)
    assert [a for a, b in zip(shipped.splitlines(), written.splitlines()) if a != b] in ([], pin)
    assert len(shipped.splitlines()) == len(written.splitlines())
    assert invoke("ci", "--print").stdout == written

    (root / WORKFLOW).write_text("# my own CI\n", encoding="utf-8")
    run = invoke("ci", "--project", str(root))
    assert run.exit_code == 0 and "never overwritten" in run.stderr and "--print" in run.stderr
    assert (root / WORKFLOW).read_text(encoding="utf-8") == "# my own CI\n"


def test_theme_eject_copies_the_default_theme_and_the_build_uses_the_copy(tmp_path):
    root = _project(tmp_path)
    mine = root / "themes/default/templates/hero.html"
    mine.parent.mkdir(parents=True)
    mine.write_text("<p>my hero page</p>\n", encoding="utf-8")
    run = invoke("theme", "eject", "--project", str(root))
    assert run.exit_code == 0, run.stderr
    theme = REPO / "themes/default"
    for rel in ("templates/story.html", "templates/_macros.html", "static/site.css", "print/templates/story.html.j2",
                "print/css/gamebook.css"):
        assert (root / "themes/default" / rel).read_bytes() == (theme / rel).read_bytes(), rel
    assert not (root / "themes/default/print/fonts").exists() and not (root / "themes/default/locale").exists()
    assert mine.read_text(encoding="utf-8") == "<p>my hero page</p>\n" and "never overwritten" in run.stderr

    # what was ejected is what the build draws pages with
    story = root / "themes/default/templates/story.html"
    story.write_text(story.read_text(encoding="utf-8").replace("{% block main %}",
                                                               "{% block main %}<p>EJECTED</p>", 1),
                     encoding="utf-8")
    assert invoke("build", "--project", str(root), "--only", "html").exit_code == 0
    assert "<p>EJECTED</p>" in (root / "build/site/stories/first-story.html").read_text(encoding="utf-8")

    # one file, into another theme: said how to use it
    run = invoke("theme", "eject", "templates/hero.html", "--name", "coast", "--project", str(root))
    assert run.exit_code == 0 and 'theme = "coast"' in run.stderr, run.stderr
    assert sorted(p.relative_to(root / "themes/coast").as_posix()
                  for p in (root / "themes/coast").rglob("*") if p.is_file()) == ["templates/hero.html"]


def test_ejecting_site_css_alone_says_the_pages_lose_their_parts_and_the_hint_keeps_them(tmp_path):
    """A writer ejecting static/site.css to change one colour made it the theme's only
    stylesheet (a site.css with none of the page parts is a whole-site sheet of a theme
    from before the split): the story player and the hero pages lost their styles, and
    eject said only "Wrote …". It says so now; following its hint keeps every part."""
    import lxml.html
    root = _project(tmp_path)
    run = invoke("theme", "eject", "static/site.css", "--project", str(root))
    assert run.exit_code == 0, run.stderr
    assert "is linked alone, as a whole-site stylesheet" in run.stderr, run.stderr
    command = re.search(r"`foundry theme eject (static/[a-z]+\.css)`", run.stderr)
    assert command, run.stderr
    run = invoke("theme", "eject", command.group(1), "--project", str(root))
    assert run.exit_code == 0 and "whole-site" not in run.stderr, run.stderr
    assert invoke("build", "--project", str(root), "--only", "html").exit_code == 0
    for page, part in (("heroes/first-hero.html", "entity.css"), ("stories/first-story.html", "story.css")):
        links = lxml.html.parse(str(root / "build/site" / page)).xpath("//link[@rel='stylesheet']/@href")
        assert [h.rsplit("/", 1)[-1] for h in links] == ["site.css", part], (page, links)
    # a template ejected alone says nothing of stylesheets
    run = invoke("theme", "eject", "templates/hero.html", "--project", str(root))
    assert "whole-site" not in run.stderr, run.stderr


def test_theme_eject_in_a_project_whose_foundry_toml_has_a_merge_conflict_writes_nowhere_unknown(tmp_path):
    """foundry.toml left conflicted by a merge is read as every default: `theme eject`
    wrote, exit 0, into themes/default/ of a project whose theme is `coast`, which the
    build never reads. Now it says the errors and writes nothing; `--name`, or the
    conflict resolved, ejects into the theme."""
    root = _project(tmp_path)
    config = root / "foundry.toml"
    text = config.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "coast"')
    line = next(x for x in text.split("\n") if x.startswith("description"))
    config.write_text(text.replace(line, f"<<<<<<< HEAD\n{line}\n=======\ndescription = \"B\"\n>>>>>>> b"),
                      encoding="utf-8")
    run = invoke("theme", "eject", "templates/hero.html", "--project", str(root))
    assert run.exit_code == 1 and "HF0185" in run.stderr and "--name" in run.stderr, run.stderr
    assert not (root / "themes").exists()
    run = invoke("theme", "eject", "templates/hero.html", "--name", "coast", "--project", str(root))
    assert run.exit_code == 0 and (root / "themes/coast/templates/hero.html").is_file(), run.stderr
    assert "Set theme" not in run.stderr   # foundry.toml says coast on both sides; unread, nothing to tell
    config.write_text(text, encoding="utf-8")
    assert invoke("theme", "eject", "static/site.css", "--project", str(root)).exit_code == 0
    assert (root / "themes/coast/static/site.css").is_file() and not (root / "themes/default").exists()


def test_theme_eject_refuses_paths_outside_the_theme_and_writes_through_no_link(tmp_path):
    root = _project(tmp_path)
    for bad in ("../foundry.toml", "nothing-here", "/etc/passwd"):
        run = invoke("theme", "eject", bad, "--project", str(root))
        assert run.exit_code == 2 and not (root / "themes").exists(), (bad, run.stderr)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    os.symlink(outside, root / "themes")
    # a refused place is a tool error (exit 2), as in every writing verb (docs/errors.md HF0165)
    run = invoke("theme", "eject", "templates/hero.html", "--project", str(root))
    assert run.exit_code == 2 and "HF0165" in run.stderr + run.stdout, run.stderr
    assert list(outside.iterdir()) == []
    # the whole theme through that one link: one error at it, not one for every file
    run = invoke("theme", "eject", "--project", str(root))
    assert run.exit_code == 2 and (run.stderr + run.stdout).count("HF0165") == 1, run.stderr
    assert re.search(r"nor \d+ other files under it", run.stderr + run.stdout), run.stderr
    assert list(outside.iterdir()) == []
    # `foundry ci` through a linked .github/ alike
    os.symlink(outside, root / ".github")
    run = invoke("ci", "--project", str(root))
    assert run.exit_code == 2 and "HF0165" in run.stderr + run.stdout, run.stderr
    assert list(outside.iterdir()) == []


def test_ci_in_a_project_inside_a_larger_repository_says_where_github_reads_it(tmp_path):
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    root = top / "world"
    assert invoke("init", str(root)).exit_code == 0
    run = invoke("ci", "--project", str(root))
    assert run.exit_code == 0 and "working-directory: world" in run.stderr and str(top) in run.stderr, run.stderr
    # the file as written, moved where it says: every `run:` step runs in world/, and
    # every path an action reads (which `defaults` does not move) is world/'s. Adding the
    # `defaults` by hand, as the message once said alone, left the caches empty, the
    # shard and build uploads failing (nothing at build-shards/, build/) and no comment.
    flow = yaml.safe_load((root / WORKFLOW).read_text(encoding="utf-8"))
    assert flow["defaults"] == {"run": {"working-directory": "world"}}
    read = []
    for job in flow["jobs"].values():
        for step in job["steps"]:
            path = str((step.get("with") or {}).get("path", ""))
            read += [] if "runner.temp" in path else path.split()   # (the shards' download: outside the checkout)
            read += re.findall(r"(?:hashFiles|readFileSync)\('([^']+)'", str(step.get("if", "")) + str(
                (step.get("with") or {}).get("script", "")))
    read = [p for p in read if p != ".github/CODEOWNERS"]   # CODEOWNERS is the repository's own, at its top
    assert len(read) >= 15 and all(p.startswith("world/") for p in read), read
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(root / WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_pins_every_version_a_package_index_holds(monkeypatch):
    """A release, a pre-release (1.3.0rc1) or a post-release pins the workflow to itself:
    the pre-release was left with the file's own pin, an older foundry than the one the
    project was made with. A development version (on no index) keeps the file's pin."""
    from pipeline.commands import eject
    shipped = re.search(r'FOUNDRY_PACKAGE:\s*"([^"]+)"', (REPO / WORKFLOW).read_text(encoding="utf-8")).group(1)
    for version in ("1.2.0", "1.3.0rc1", "2.0.0b2", "1.2.0.post1"):
        monkeypatch.setattr(eject, "__version__", version)
        assert f'FOUNDRY_PACKAGE: "hero-foundry=={version}"' in eject.workflow_text().decode(), version
    for version in ("1.3.0.dev12", "0.1.1.dev1116"):
        monkeypatch.setattr(eject, "__version__", version)
        assert f'FOUNDRY_PACKAGE: "{shipped}"' in eject.workflow_text().decode(), version


def test_ci_says_which_line_to_change_when_the_default_branch_is_not_main(tmp_path):
    """The workflow releases and deploys on pushes to `main`; a repository on git's
    other default, `master`, pushed to a branch it never built, and nothing said so.
    The remote's default branch (origin/HEAD) is taken when git knows it."""
    import subprocess

    def git(*args, cwd=tmp_path):
        subprocess.run(["git", "-c", "init.defaultBranch=x", *args], cwd=cwd, check=True, capture_output=True)

    for branch, said in (("master", True), ("main", False)):
        root = tmp_path / branch
        git("init", "-q", "-b", branch, str(root))
        assert invoke("init", str(root)).exit_code == 0
        run = invoke("ci", "--project", str(root))
        assert run.exit_code == 0 and f"Wrote {WORKFLOW}" in run.stderr, run.stderr
        assert ("branches: [master]" in run.stderr and "'master'" in run.stderr) is said, run.stderr
        assert ("branches: [main]" in run.stderr) is said, run.stderr
        assert "branches: [main]" in (root / WORKFLOW).read_text(encoding="utf-8")   # the file is as shipped

    # a clone on a feature branch: origin's default branch is the one to name
    git("init", "-q", "--bare", "-b", "trunk", "origin.git")
    git("clone", "-q", str(tmp_path / "origin.git"), "clone")
    clone = tmp_path / "clone"
    git("checkout", "-q", "-b", "feature", cwd=clone)
    git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk", cwd=clone)
    assert invoke("init", "--no-git", str(clone / "world")).exit_code == 0
    run = invoke("ci", "--project", str(clone / "world"))
    assert run.exit_code == 0 and "branches: [trunk]" in run.stderr and "feature" not in run.stderr, run.stderr


def _ci_in_folder(tmp_path, inside: str):
    """A new project in the folder `inside` of a repository, and `foundry ci` run there."""
    top = tmp_path / "repo"
    top.mkdir()
    subprocess.run(["git", "init", "-q", str(top)], check=True)
    root = top / inside
    assert invoke("init", str(root)).exit_code == 0
    return root, invoke("ci", "--project", str(root))


# letters of any script, with their marks: Hindi's vowel sign and virama, a macOS
# folder's decomposed `ö` (`o` + U+0308) were refused as not `\w`
@pytest.mark.parametrize("inside", ["our worlds/the fog", "true", "x/y.z_w", "हिन्दी/世界", "wo\u0308rld"])
def test_ci_writes_a_valid_workflow_for_any_folder_it_accepts(tmp_path, inside):
    """The folder's path is written into YAML values, GitHub expressions and the
    comment's JavaScript: `true` was read by YAML as a boolean working-directory, and
    the file must stay valid for GitHub's schema, every path an action reads led there."""
    root, run = _ci_in_folder(tmp_path, inside)
    assert run.exit_code == 0, run.stderr
    text = (root / WORKFLOW).read_text(encoding="utf-8")
    assert yaml.safe_load(text)["defaults"] == {"run": {"working-directory": inside}}
    assert f"hashFiles('{inside}/foundry-diff.md')" in text and f"readFileSync('{inside}/foundry-diff.md'" in text
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(root / WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("inside", ["a: b", "#notes", "it's", 'say "hi"', "${{ github.token }}", "- x", "draft*",
                                    "worlds/[old]"])
def test_ci_refuses_a_folder_no_workflow_can_name(tmp_path, inside):
    """A quote ended the strings the folder was written into (`hashFiles('it's/…')`, the
    script's `readFileSync('it's/…')`: a broken `if:` and script), `${{ … }}` is an
    expression GitHub evaluates inside the script, `a: b` and `- x` made the file
    invalid YAML, `#notes` a working-directory of none, `*` and `[` globs in the
    uploads: HF0743, and no workflow written."""
    root, run = _ci_in_folder(tmp_path, inside)
    assert run.exit_code == 1 and "HF0743" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (root / WORKFLOW).exists()
