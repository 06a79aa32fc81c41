"""Revisions read with git plumbing: `--ref` builds equal a build of a checkout,
the content version is in the outputs, odd trees are read safely, and nothing foundry
does changes the user's working tree, index, refs or config."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from git_support import ANA, GIT_ENV, Repo, new_repo
from support import REPO, ROOTS

import pipeline.git.versions as versions
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.git.versions import UNVERSIONED, checkout, content_version


def files(folder: Path) -> dict[str, bytes]:
    """The outputs (build/.foundry/ is the builder's own bookkeeping, not an output)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".foundry" not in p.relative_to(folder).parts}


def test_a_ref_build_equals_a_build_of_that_checkout(review: Repo, tmp_path):
    work = Repo(tmp_path / "work")
    shutil.copytree(review.path, work.path)
    work.edit("content/heroes/aria.yaml", "wits: 14", "wits: 16")          # uncommitted, and not built
    before = work.state()
    run = work.foundry("build", "--ref", "v1", "--format", "json")
    assert run.code == 0, run.stderr
    assert work.state() == before            # build/ and the parse cache are in .gitignore

    checkout_ = Repo(tmp_path / "checkout")
    subprocess.run(["git", "clone", "-q", str(review.path), str(checkout_.path)], check=True,
                   env={**os.environ, **GIT_ENV})
    checkout_.git("checkout", "-q", "v1")
    assert checkout_.foundry("build").code == 0
    built, expected = files(work.root / "build"), files(checkout_.root / "build")
    assert built == expected
    manifest = json.loads(built["api/v1/manifest.json"])
    assert manifest["content_version"] == f"{review.rev('v1')} (v1-0-g{review.rev('v1')[:12]})"
    assert "content/heroes/bram.yaml" in {e["source"] for e in manifest["entities"]}   # v1's tree, not feature's


def test_a_crlf_checkout_publishes_the_content_hash_of_the_revision(tmp_path):
    """core.autocrlf (git for Windows' default) checks every text file out with CR LF
    while git stores LF: `foundry build` published each entity's `content_hash` of the
    CR LF bytes, `build --ref HEAD` of the LF ones, so the two manifests (and bundles)
    differed and a game saw every entity changed between a writer's build and CI's.
    The hash is of the text as git stores it (CR LF as LF): the same from the checkout,
    from the revision, from a rebuild off the parse cache, after a comment edit and
    with LF line ends; a file's own bytes in git (`git show HEAD:path | sha256sum`)."""
    repo = new_repo(tmp_path / "world", "minimal")
    repo.git("config", "core.autocrlf", "true")
    repo.git("rm", "-q", "-r", "--cached", ".")
    repo.git("reset", "-q", "--hard")
    hero = repo.root / "content/heroes/first-hero.yaml"
    assert b"\r\n" in hero.read_bytes() and repo.git("status", "--porcelain") == ""
    env = {"SOURCE_DATE_EPOCH": "1"}

    def built(*args: str) -> dict[str, bytes]:
        run = repo.foundry("build", "--only", "json", *args, env=env)
        assert run.code == 0, run.stderr
        out = files(repo.root / "build")
        return {rel: out[rel] for rel in ("api/v1/manifest.json", "api/v1/bundle.json")}

    def stored(rel: str) -> str:
        blob = subprocess.run(["git", "cat-file", "blob", f"HEAD:{rel}"], cwd=repo.path, capture_output=True,
                              check=True, env={**os.environ, **GIT_ENV}).stdout
        return "sha256:" + hashlib.sha256(blob).hexdigest()

    checkout = built()
    hashes = {e["source"]: e["content_hash"] for e in json.loads(checkout["api/v1/manifest.json"])["entities"]}
    assert hashes and hashes == {rel: stored(rel) for rel in hashes}
    assert built("--ref", "HEAD") == checkout
    shutil.rmtree(repo.root / "build")
    assert built() == checkout                       # the parse cache's files, their text not read
    # a comment edited (the build's early cutoff: the value is unchanged), then the
    # same text saved with LF
    crlf = hero.read_bytes().replace(b"\r\n", b"  # kept\r\n", 1)
    hero.write_bytes(crlf)
    edited = json.loads(built()["api/v1/manifest.json"])["entities"]
    assert {e["source"]: e["content_hash"] for e in edited}["content/heroes/first-hero.yaml"] == \
        "sha256:" + hashlib.sha256(crlf.replace(b"\r\n", b"\n")).hexdigest()
    hero.write_bytes(crlf.replace(b"\r\n", b"\n"))
    assert json.loads(built()["api/v1/manifest.json"])["entities"] == edited


def test_the_working_tree_build_names_its_commit_and_outside_git_says_unversioned(review: Repo, tmp_path):
    assert content_version(review.root) == f"{review.rev('HEAD')} (v1-4-g{review.rev('HEAD')[:12]})"
    plain = tmp_path / "plain"
    shutil.copytree(ROOTS / "git-world", plain)
    assert content_version(plain) == UNVERSIONED
    run = Repo(plain).foundry("build", "--format", "json")
    assert run.code == 0
    assert json.loads((plain / "build/api/v1/manifest.json").read_text())["content_version"] == UNVERSIONED


def test_check_ref_quotes_the_revision_and_bad_refs_are_usage_errors(repo: Repo):
    repo.edit("content/heroes/aria.yaml", "xp: 480", "xp: -5")
    repo.commit("Negative XP")
    repo.edit("content/heroes/aria.yaml", "xp: -5", "xp: 480")              # fixed, but not committed
    assert repo.foundry("check").code == 0
    run = repo.foundry("check", "--ref", "HEAD")
    assert run.code == 1
    assert "content/heroes/aria.yaml:6:5: error HF0204" in run.stderr and "    6 | xp: -5" in run.stderr
    for verb in ("check", "build"):
        bad = repo.foundry(verb, "--ref", "no-such-tag")
        assert bad.code == 2 and "Traceback" not in bad.stderr
        assert bad.stderr.startswith("--ref: error HF0801 'no-such-tag' is not a commit"), bad.stderr   # at the option
    assert not (repo.root / "build").exists()
    # a tag on a blob or a tree exists: said as what it names, not "did you mean" the same name
    repo.git("tag", "a-blob", repo.git("rev-parse", "HEAD:foundry.toml").strip())
    repo.git("tag", "a-tree", repo.git("rev-parse", "HEAD^{tree}").strip())
    for rev, kind in (("a-blob", "a file's contents (a blob)"), ("a-tree", "a folder (a tree)"),
                      ("HEAD:content", "a folder (a tree)")):
        bad = repo.foundry("diff", rev)
        assert bad.code == 2 and "Traceback" not in bad.stderr
        assert bad.stderr.startswith(f"BASE: error HF0801 '{rev}' names {kind}, not a commit"), bad.stderr
        assert "Did you mean" not in bad.stderr and "a tag made on a commit" in bad.stderr, bad.stderr


def test_nothing_foundry_does_changes_the_repository(review: Repo, tmp_path):
    work = Repo(tmp_path / "work")
    shutil.copytree(review.path, work.path)
    work.edit("content/heroes/aria.yaml", "wits: 14", "wits: 16")
    work.git("add", "content/heroes/aria.yaml")                               # staged
    work.edit("content/characters/tomas.yaml", "Ferryman", "Boatman")         # unstaged
    work.write("content/characters/wen.yaml", "name: Wen\n")                  # untracked
    before = work.state()
    for args in (("diff",), ("diff", "main", "v1", "--format", "json"), ("history", "aria"),
                 ("check", "--ref", "feature~2"), ("build", "--ref", "main", "--release")):
        assert work.foundry(*args).code in (0, 1), args
    assert work.state() == before


def test_odd_trees_are_read_safely(repo: Repo):
    """A symlink inside the project is kept, one leading out points at nothing outside
    the revision (so its build refuses it at its path, HF0120, as the working tree's
    does), and a submodule (a commit inside the tree) is skipped; bytes are the blobs' own."""
    os.symlink("aria.yaml", repo.root / "content/heroes/aria-link.yaml")
    os.symlink("/etc/passwd", repo.root / "content/heroes/escape.yaml")
    crlf = b"---\r\ntitle: X\r\nstart: a\r\n---\r\n\r\n## A {#a .ending}\r\n"
    (repo.root / "content/stories/crlf.md").write_bytes(crlf)
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.rev('HEAD')},content/vendored")
    commit = repo.commit("Odd entries")
    diags = Diagnostics()
    with checkout(repo.root, commit, diags) as revision:
        tree = revision.path
        assert os.readlink(tree / "content/heroes/aria-link.yaml") == "aria.yaml"
        escape = tree / "content/heroes/escape.yaml"
        assert escape.is_symlink() and not escape.exists()   # leads nowhere, never to /etc/passwd
        assert (escape.parent / os.readlink(escape)).resolve() == (tree.parent / "outside-the-revision").resolve()
        assert not (tree / "content/vendored").exists()
        assert (tree / "content/stories/crlf.md").read_bytes().count(b"\r\n") == 6
        assert (tree / "foundry.toml").read_bytes() == (repo.root / "foundry.toml").read_bytes()
        assert not (tree / ".git").exists()
    assert not tree.exists() and diags.items == []


def test_a_revision_file_the_system_will_not_write_is_named(repo: Repo, monkeypatch):
    """A file of the revision that cannot be copied out for its build (a name longer
    than the file system takes: a theme file nested near PATH_MAX in the working tree is
    past it in the revision's copy) was left out without a word, and `build --ref`
    published the rest. It is HF0166 at that file, with the system's reason."""
    oid = repo.git("hash-object", "-w", "--stdin", input_text="---\ntitle: Long\nstart: a\n---\n\n## A {#a .ending}\n")
    rel = f"content/stories/{'long-' * 60}tale.md"   # 309 bytes in one name: over NAME_MAX (255)
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{(repo.root / rel).relative_to(repo.path).as_posix()}")
    repo.git("commit", "-q", "-m", "A story with a long name", env={"GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1]})
    diags = Diagnostics()
    with checkout(repo.root, "HEAD", diags) as revision:
        assert (revision.path / "foundry.toml").is_file()   # the rest is there
    found = [(d.code, d.span.path, d.severity) for d in diags.items]
    assert found == [("HF0166", rel, "error")], diags.items
    assert "too long for the file system" in diags.items[0].message
    # a full disk is the disk's error, said once (cli.py: HF0166 at the path, exit 2),
    # not one HF0166 at every file of the revision after it
    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device", "somewhere")
    monkeypatch.setattr(versions, "_write", full)
    diags = Diagnostics()
    with pytest.raises(OSError) as raised:
        with checkout(repo.root, "HEAD", diags):
            pass
    assert raised.value.errno == errno.ENOSPC and diags.items == []


def test_a_file_a_thousand_folders_deep_is_read_and_removed_without_recursion(repo: Repo):
    """A pull request's file 1,100 folders deep (git holds a path up to PATH_MAX) made
    `foundry diff` and `history` an internal error (RecursionError: uncommitted()'s walk
    up its folders, mkdir(parents=True) copying the revision out, and the temporary
    folder's rmtree each called itself once a level). Each goes a level at a time."""
    oid = repo.git("hash-object", "-w", "--stdin", input_text="deep\n")
    rel = "content/stories/" + "d/" * 1100 + "deep.md"
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{(repo.root / rel).relative_to(repo.path).as_posix()}")
    repo.git("commit", "-q", "-m", "A deep file", env={"GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1]})
    assert rel in versions.uncommitted(repo.root)   # never checked out: deleted, as `git status` says
    diags = Diagnostics()
    with checkout(repo.root, "HEAD", diags) as revision:
        tree = revision.path
        assert (tree / rel).read_bytes() == b"deep\n"
    assert not tree.exists() and diags.items == []


def test_a_new_tag_or_commit_that_changes_no_file_is_not_a_no_op(tmp_path):
    """The no-op build asks git once for the revision (git/versions.py revision_key):
    a tag, or a commit that changes no file, still changes the content version the
    outputs carry, so the build that follows is not a no-op."""
    repo = new_repo(tmp_path / "world")
    manifest = repo.root / "build/api/v1/manifest.json"

    def built_version() -> str:
        assert build(repo.root, Diagnostics(), ["json"], workers=1).ok
        return json.loads(manifest.read_text())["content_version"]
    assert built_version() == repo.rev("HEAD")     # no tag yet
    repo.git("tag", "v2")                          # a lightweight tag
    assert built_version() == f"{repo.rev('HEAD')} (v2-0-g{repo.rev('HEAD')[:12]})"
    repo.git("commit", "-q", "--allow-empty", "-m", "Nothing changed", env={"GIT_AUTHOR_NAME": ANA[0],
                                                                           "GIT_AUTHOR_EMAIL": ANA[1]})
    assert built_version() == f"{repo.rev('HEAD')} (v2-1-g{repo.rev('HEAD')[:12]})"
    # a tag git takes but no reader can see as written (a right-to-left override) is left
    # out: the manifest carried `v2\u202e-0-g…`, shown reversed wherever it is shown
    repo.git("tag", "v3\u202e2v")
    assert built_version() == repo.rev("HEAD")


def test_a_submodule_a_revision_cannot_read_is_named(tmp_path):
    """A gitlink among the inputs (`content/heroes/shared`, another repository's commit):
    a build of the working tree with it checked out reads its heroes, a build of the
    revision cannot (the files are not in this repository's objects). It was left out
    without a word; now HF0163 names it, and the build still succeeds."""
    repo = new_repo(tmp_path / "world")
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.rev('HEAD')},content/heroes/shared")
    repo.git("commit", "-q", "-m", "Share heroes from another repository",
             env={"GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1], "GIT_COMMITTER_NAME": ANA[0],
                  "GIT_COMMITTER_EMAIL": ANA[1]})
    for verb in (("check",), ("build", "--only", "json")):
        run = repo.foundry(*verb, "--ref", "HEAD", "--format", "json")
        assert run.code == 0, run.stdout + run.stderr
        found = [(d["code"], d["file"], d["severity"]) for d in run.json()["diagnostics"] if d["code"] == "HF0163"]
        assert found == [("HF0163", "content/heroes/shared", "warning")], run.stdout
    # `foundry diff` reads its revisions the same way: the submodule was skipped without a
    # word there (the checkout's finding was dropped once the side loaded); said once,
    # naming the side as the command names it, when both sides hold it
    for sides in (("HEAD~1", "HEAD"), ("HEAD", "HEAD")):
        run = repo.foundry("diff", *sides, "--format", "json")
        assert run.code == 0, run.stdout + run.stderr
        found = [(d["code"], d["file"], d["message"]) for d in run.json()["problems"]]
        assert found == [("HF0163", "content/heroes/shared", "content/heroes/shared is a git submodule: a build of "
                          "the revision HEAD does not read its files (they are in another repository)")], run.stdout
    text = repo.foundry("diff", "HEAD~1", "HEAD").stdout
    assert "warning HF0163: content/heroes/shared is a git submodule" in text, text
    # against the working tree: the gitlink (a folder, or none when not checked out) is
    # no uncommitted file — 'uncommitted changes to 1 file (content/heroes/shared)' was
    # said beside every submodule, and history thought its files edited
    for checked_out in (False, True):
        if checked_out:
            (repo.root / "content/heroes/shared").mkdir(parents=True)
        run = repo.foundry("diff", "HEAD~1", "--format", "json")
        assert run.code == 0, run.stdout + run.stderr
        assert "uncommitted" not in run.stdout and "content/heroes/shared" not in run.json()["head"].get("label", ""), \
            run.stdout
        text = repo.foundry("diff", "HEAD~1")
        assert "uncommitted" not in text.stdout + text.stderr, text.stdout + text.stderr


def test_a_revision_s_huge_blob_is_never_read(repo: Repo):
    # A file of zeros packs to almost nothing: a pull request of a few MB can commit
    # a gigabyte. `check --ref` read every blob of the revision at once (cat-file's
    # whole output, then a copy of each): 2.1 GB of memory for a 1 GB file, past a
    # CI runner's memory for a bigger one. A blob over every reader's limit is now
    # written as a file of its size, never read, and refused by its size as in the
    # working tree (HF0116: a theme file over 16 MiB).
    import resource
    import sys

    from support import REPO
    # the site is made, so its theme is read (a theme no output draws is not judged)
    repo.edit("foundry.toml", 'outputs = ["json"]', 'outputs = ["json", "html"]')
    repo.git("add", "-A")
    # The blob written as git writes a loose object (the id `git hash-object` gives):
    # `git add` of the file spent most of this test's CPU hashing it with git's
    # collision-detecting SHA-1 and deflating it (8 s; hashlib and zlib take 2).
    size, zeros = 1024 ** 3, bytes(1 << 24)
    header = b"blob %d\0" % size
    digest, deflate = hashlib.sha1(header), zlib.compressobj(1)
    packed = [deflate.compress(header)]
    for _ in range(size // len(zeros)):
        digest.update(zeros)
        packed.append(deflate.compress(zeros))
    oid = digest.hexdigest()
    loose = Path(repo.git("rev-parse", "--git-path", f"objects/{oid[:2]}/{oid[2:]}"))
    loose = loose if loose.is_absolute() else repo.path / loose
    loose.parent.mkdir(parents=True, exist_ok=True)
    loose.write_bytes(b"".join(packed) + deflate.flush())
    assert repo.git("cat-file", "-s", oid) == str(size)
    huge = (repo.root / "themes/default/static/huge.css").relative_to(repo.path).as_posix()
    repo.git("update-index", "--add", "--cacheinfo", f"100644,{oid},{huge}")
    # committed as repo.commit does, without its `add -A` (which would drop the file
    # the working tree does not hold)
    date = "2024-01-10T09:00:00+00:00"
    repo.git("commit", "-q", "-m", "A huge stylesheet", env={
        "GIT_AUTHOR_NAME": ANA[0], "GIT_AUTHOR_EMAIL": ANA[1], "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    run = subprocess.run([sys.executable, "-m", "pipeline", "check", "--ref", "HEAD", "--project", str(repo.root),
                          "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=600,
                         preexec_fn=cap, env={**os.environ, **GIT_ENV, "NO_COLOR": "1"})
    assert "internal error" not in run.stderr and "MemoryError" not in run.stderr, run.stderr
    found = [f"{d['code']} {d['file']}" for d in json.loads(run.stdout)["diagnostics"]]
    assert run.returncode == 1 and found == ["HF0116 themes/default/static/huge.css"], run.stdout


def test_a_revision_holds_what_the_inputs_reach_elsewhere_in_the_project(repo: Repo):
    """`check --ref` says what `check` of the same tree says: foundry.toml a link into
    a folder that is no input is read in both; a link among the inputs
    through a folder that is none (`notes/`), leading out from there, is HF0120 at the
    link in both (the revision held the inputs alone and said HF0164, a warning, leaving
    the story out), and a portrait outside the inputs (`art/`) is read in both (the
    revision said HF0306, 'does not exist'); an absolute link naming a file of the
    project (`ln -s "$PWD/…"`) is that file in both (every absolute link of the revision
    was pointed outside it: HF0120 under `--ref` for a story `check` read)."""
    from PIL import Image
    (repo.root / "notes").mkdir()
    os.symlink("/etc/passwd", repo.root / "notes/out.md")
    os.symlink("../../notes/out.md", repo.root / "content/stories/chain.md")
    (repo.root / "art").mkdir()
    Image.new("RGB", (400, 400), "red").save(repo.root / "art/aria.png")
    repo.edit("content/heroes/aria.yaml", "xp: 480", "xp: 480\nportrait: ../../art/aria.png")
    # refused alike, and said alike: the revision pointed these outside and said so
    os.symlink("../../.git/config", repo.root / "content/heroes/git.yaml")
    os.symlink("loop.yaml", repo.root / "content/heroes/loop.yaml")
    # the settings kept in a folder that is no input (the revision said HF0205, a link to nothing)
    (repo.root / "config").mkdir()
    os.replace(repo.root / "foundry.toml", repo.root / "config/foundry.toml")
    os.symlink("config/foundry.toml", repo.root / "foundry.toml")
    os.symlink(repo.root / "content/stories/sunken-keep.md", repo.root / "content/stories/abs.md")
    repo.commit("Links and a portrait outside the inputs")
    here, there = repo.foundry("check", "--format", "json"), repo.foundry("check", "--ref", "HEAD", "--format", "json")
    said = [sorted((d["code"], d["file"], d["message"]) for d in run.json()["diagnostics"]) for run in (here, there)]
    assert said[0] == said[1], said
    assert [(code, file) for code, file, _ in said[0]] == [
        ("HF0120", "content/heroes/git.yaml"), ("HF0120", "content/heroes/loop.yaml"),
        ("HF0120", "content/stories/chain.md")], said
    assert "into .git" in said[0][0][2] and "loop" in said[0][1][2]


def test_a_repository_at_a_path_with_a_newline_or_a_byte_not_utf8_is_read(tmp_path):
    """A repository, the project's folder in it and a worktree of it at paths holding a
    newline and a byte that is not UTF-8 (names the system allows, a CI checkout of a
    branch named so can make): a revision is read from each. git's printed top was
    read back as a line of UTF-8, and a worktree's `.git` file too, so `diff`,
    `history` and `build --ref` said "internal error" or "not inside a git repository"."""
    odd = lambda name: Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + name))
    repo = new_repo(odd(b"keep\nit \xff"), project=os.fsdecode(b"world\n\xfe"))
    worktree = odd(b"tree\n\xff")
    repo.git("worktree", "add", "-q", "--detach", str(worktree), "HEAD")
    for root in (repo.root, worktree / os.fsdecode(b"world\n\xfe")):
        found = versions.repository(root)
        assert found is not None and found.prefix == os.fsdecode(b"world\n\xfe") + "/", root
        diags = Diagnostics()
        with checkout(root, "HEAD", diags) as revision:
            assert (revision.path / "foundry.toml").read_bytes() == (repo.root / "foundry.toml").read_bytes()
        assert diags.items == [], root


# foundry's own entry, SIGTERMed (as `kill`, `timeout` or a cancelled CI job do) the
# moment it has written a revision's files into the temporary folder
TERMINATED_WITH_A_REVISION_WRITTEN = """
import os, signal, sys
import pipeline.git.versions as versions
real = versions.materialise
def materialise(*args, **kwargs):
    yield from real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGTERM)
versions.materialise = materialise
from pipeline.entry import main
main()
"""


def test_sigterm_while_a_revision_is_read_leaves_no_copy_of_it(repo: Repo, tmp_path):
    """SIGTERM ends foundry as Ctrl-C does: one line, its temporary folders removed.
    Its default (death on the spot) left the revision's copy of the project's inputs
    in the temporary folder, one per cancelled `diff` or `--ref` run, never removed."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = subprocess.run([sys.executable, "-c", TERMINATED_WITH_A_REVISION_WRITTEN, "check", "--ref", "HEAD",
                           "--project", str(repo.root)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **GIT_ENV, "TMPDIR": str(scratch)})
    assert (done.returncode, done.stderr) == (143, "Terminated.\n")
    assert sorted(p.name for p in scratch.iterdir()) == []


def test_outputs_of_another_revision_are_not_kept_beside_a_build_with_only(tmp_path):
    """`build --ref v1 --only json` then `build --only html` left v1's API in build/site/api/
    (and build/api/) under the working tree's pages: the one folder a deploy publishes held
    two versions of the world, and nothing said so. Outputs are carried over into a build
    with --only only from a build of the same source (the working tree, or the same commit),
    as only from one of the same mode (--release); the others are removed, and counted so."""
    repo = new_repo(tmp_path / "world")
    repo.git("tag", "v1")
    repo.git("commit", "-q", "--allow-empty", "-m", "Later", env={"GIT_AUTHOR_NAME": ANA[0],
                                                                 "GIT_AUTHOR_EMAIL": ANA[1]})
    manifests = [repo.root / "build/api/v1/manifest.json", repo.root / "build/site/api/v1/manifest.json"]

    def built(only: str, ref: str | None = None):
        report = build(repo.root, Diagnostics(), [only], ref=ref, workers=1)
        assert report.ok
        return report

    built("json", "v1")
    assert json.loads(manifests[1].read_text())["content_version"].startswith(repo.rev("v1"))
    assert built("html", "v1").removed == []            # the same revision: its API stays
    assert all(m.is_file() for m in manifests)
    report = built("html")                              # the working tree: v1's API goes
    assert not any(m.exists() for m in manifests)
    assert "site/api/v1/manifest.json" in report.removed and "api/v1/manifest.json" in report.removed
    assert (repo.root / "build/site/index.html").is_file()
    built("json")
    assert built("html").removed == []                  # both from the working tree: kept
    assert json.loads(manifests[1].read_text())["content_version"].startswith(repo.rev("HEAD"))
