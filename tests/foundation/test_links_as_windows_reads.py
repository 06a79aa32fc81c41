"""A link's target is judged as Windows reads it, on every system (confine.windows_reading):
git for Windows checks a committed link out as a link, and there a backslash is a
separator, `C:` names a drive, and a `..` takes back the name written before it. A pull
request's `content/stories/x.md -> ..\\..\\..\\outside\\x.md` named nothing on Linux (a
warning, "skipped") and a story outside the project on a Windows writer's laptop."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from support import foundry

SECRET = "Qx7-outside-secret"
STORY = f"---\ntitle: Outside\nstart: a\n---\n\n## A {{#a .ending}}\n\n{SECRET} from a file outside the project.\n"
TWIN = "Twin-inside-the-project"
LINK = "content/stories/outside.md"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
           "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.org",
           "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.org"}


def _world(project_factory, tmp_path: Path) -> Path:
    """A project at tmp/w/proj, a story outside it at tmp/w/shared/story.md, and the same
    story's twin inside it at proj/shared/story.md (so a link whose reading differs by
    system names a file on both)."""
    root = project_factory(name="w/proj")
    for folder, text in ((tmp_path / "w/shared", STORY), (root / "shared", STORY.replace(SECRET, TWIN))):
        folder.mkdir(parents=True)
        (folder / "story.md").write_text(text, encoding="utf-8")
    return root


# target of content/stories/outside.md → what Windows reads
TARGETS = {
    "backslashes out": "..\\..\\..\\shared\\story.md",              # tmp/w/shared/story.md
    "mixed separators out": "../..\\../shared/story.md",
    "a drive's path": "C:\\Users\\me\\story.md",
    "a drive-relative path": "c:story.md",
    "a network share": "\\\\server\\share\\story.md",
    # `deep` leads four folders down: `deep/../../../..` is proj/ as the walk follows it,
    # but Windows drops `deep` with the first `..` and lands beside the project
    "`..` after a linked folder": "deep/../../../../shared/story.md",
}


@pytest.mark.parametrize("case", list(TARGETS))
def test_a_link_out_as_windows_reads_it_is_refused_at_the_link(project_factory, tmp_path, case):
    root = _world(project_factory, tmp_path)
    (root / "content/stories/lib/a/b/c").mkdir(parents=True)
    os.symlink("lib/a/b/c", root / "content/stories/deep")
    os.symlink(TARGETS[case], root / LINK)
    for verb in ("check", "build"):
        run = foundry(verb, "--project", str(root), "--format", "json", *(("--only", "json") if verb == "build" else ()))
        assert run.code == 1, (verb, run.stdout, run.stderr)
        found = [(d["code"], d["file"], d["message"]) for d in run.json()["diagnostics"]]
        assert [(c, f) for c, f, _ in found if c in ("HF0120", "HF0164")] == [("HF0120", LINK)], found
        assert "leads outside the project" in found[0][2]
        assert SECRET not in run.stdout + run.stderr
    assert not (root / "build").exists()


def test_a_link_inside_as_windows_reads_it_is_the_same_file_everywhere(project_factory, tmp_path):
    """`..\\..\\shared\\story.md` is proj/shared/story.md on Windows: read so here too,
    not skipped as a link to a file named with backslashes."""
    root = _world(project_factory, tmp_path)
    os.symlink("..\\..\\shared\\story.md", root / LINK)
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    assert not [d for d in run.json()["diagnostics"] if d["code"] in ("HF0120", "HF0164")]
    published = (root / "build/site/api/v1/stories/outside.json").read_text(encoding="utf-8")
    assert TWIN in published and SECRET not in published   # the twin inside the project, the one Windows reads


def test_a_committed_link_out_as_windows_reads_it_is_refused_in_a_revision_too(project_factory, tmp_path):
    """`build --ref`: the revision's tree is written with the link as committed and
    judged by the same rule (HF0120 at the same path, not a story read from beside it)."""
    root = _world(project_factory, tmp_path)
    os.symlink("..\\..\\..\\shared\\story.md", root / LINK)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "link"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)
    run = foundry("build", "--project", str(root), "--ref", "HEAD", "--only", "json", "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    assert [(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["code"] in ("HF0120", "HF0164")] == \
        [("HF0120", LINK)]
    assert SECRET not in run.stdout + run.stderr


def test_a_link_followed_by_its_text_leads_where_windows_reads_it(project_factory, tmp_path):
    """Each link is followed by its text, not only checked by it: `chain.md ->
    deep/../../../shared/next.md` stays inside by its text (proj/shared/next.md, the file
    Windows reads, itself a link out), but followed on disk through `deep` it was
    content/stories/lib/shared/next.md, a harmless twin: check passed and the build
    published the twin here and the story outside the project on Windows."""
    root = _world(project_factory, tmp_path)
    (root / "content/stories/lib/a/b/c").mkdir(parents=True)
    (root / "content/stories/lib/shared").mkdir()
    (root / "content/stories/lib/shared/next.md").write_text(STORY.replace(SECRET, TWIN), encoding="utf-8")
    os.symlink("lib/a/b/c", root / "content/stories/deep")
    os.symlink("../../shared/story.md", root / "shared/next.md")   # proj/shared/next.md -> w/shared/story.md
    os.symlink("deep/../../../shared/next.md", root / LINK)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    assert [(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["code"] in ("HF0120", "HF0164")] == \
        [("HF0120", LINK)]


def test_an_absolute_target_is_read_by_its_text_too(project_factory, tmp_path):
    """`/…/proj/content/stories/deep/../../../../shared/story.md` is w/shared/story.md by
    its text, as Windows reads it; its absolute path spared it the text check and the walk
    found proj/content/stories/shared/story.md (missing: HF0164, check passed)."""
    root = _world(project_factory, tmp_path)
    (root / "content/stories/lib/a/b/c").mkdir(parents=True)
    os.symlink("lib/a/b/c", root / "content/stories/deep")
    os.symlink(f"{root}/content/stories/deep/../../../../shared/story.md", root / LINK)
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    assert [(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["code"] in ("HF0120", "HF0164")] == \
        [("HF0120", LINK)]


@pytest.mark.parametrize("where", ["repository", "user"])
def test_a_link_git_checked_out_as_a_plain_file_is_one_error_at_it(project_factory, tmp_path, where):
    """Where git makes no links (core.symlinks false: git for Windows without Developer
    Mode) a committed link is checked out as a file holding its target. Read as content,
    the link out was a story that "must start with ---" (HF0114 and HF0518, where CI says
    HF0120), the link inside YAML that "must hold key: value pairs" (HF0115, where CI reads
    the character): one HF0184 at each now, nothing read through its text; a file edited
    since is the writer's own, read as content. The same when the setting is the user's
    (`git config --global core.symlinks false`), which was not looked at."""
    root = _world(project_factory, tmp_path)
    user = tmp_path / "user.gitconfig"
    user.write_text("[core]\n\tsymlinks = false\n" if where == "user" else "", encoding="utf-8")
    env = {**os.environ, **GIT_ENV, "GIT_CONFIG_GLOBAL": str(user)}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)

    links = {LINK: str(tmp_path / "w/shared/story.md"), "content/characters/guide.yaml": "old-guide.yaml",
             "content/characters/edited.yaml": "old-guide.yaml"}
    for rel, target in links.items():
        os.symlink(target, root / rel)
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "links")
    if where == "repository":
        git("config", "core.symlinks", "false")
    for rel in links:
        os.unlink(root / rel)
    git("checkout", "--", *links)   # as git for Windows checks them out
    assert all((root / rel).is_file() and not (root / rel).is_symlink() for rel in links)
    (root / "content/characters/edited.yaml").write_text("name: Edited Guide\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json", env={"GIT_CONFIG_GLOBAL": str(user)})
    assert run.code == 1, run.stdout + run.stderr
    assert sorted((d["code"], d["file"]) for d in run.json()["diagnostics"]) == [
        ("HF0184", "content/characters/guide.yaml"), ("HF0184", LINK)], run.stdout
    assert SECRET not in run.stdout + run.stderr and str(tmp_path) not in run.stdout
    if where == "repository":
        # the setting changed, no file touched: check's memo (.foundry-cache/check.json,
        # keyed by the inputs' bytes and names) cannot see .git/config, so a result
        # holding HF0184 is not kept, and this check reads the files afresh
        git("config", "core.symlinks", "true")
        again = foundry("check", "--project", str(root), "--format", "json", env={"GIT_CONFIG_GLOBAL": str(user)})
        assert "HF0184" not in {d["code"] for d in again.json()["diagnostics"]}, again.stdout
