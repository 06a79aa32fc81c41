"""git runs hardened: a pull request that commits a bare repository into the project
folder (`world/HEAD`, `world/objects/`, `world/refs/`, a `world/config` with a
`core.fsmonitor` command) or a `.gitattributes` naming a filter gets no command run
by `foundry diff` or `foundry history`; and a `--ref` tree whose links lead outside
through a link written earlier (`x -> .`) reads nothing outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from git_support import GIT_ENV, Repo, new_repo
from support import foundry

from pipeline.engine.builder import build
from pipeline.diagnostics import Diagnostics
from pipeline.git_process import command, environment, find_repository
from pipeline.git.versions import materialise


def _plant_bare_repository(repo: Repo, marker: Path) -> None:
    """The project folder made to look like a bare repository whose config runs a command."""
    world = repo.root
    (world / "HEAD").write_text("ref: refs/heads/main\n")
    for folder in ("objects/info", "refs/heads", "refs/tags"):
        (world / folder).mkdir(parents=True, exist_ok=True)
        (world / folder / ".keep").write_text("")
    (world / "config").write_text(
        "[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n"
        f"\tfsmonitor = touch {marker}\n")


def _control(args: list[str], cwd: Path, marker: Path) -> None:
    """Plain git, as foundry used to run it, does run the planted command: the test's
    trap is real."""
    subprocess.run(["git", *args], cwd=cwd, capture_output=True, env={**os.environ, **GIT_ENV})
    assert marker.exists(), "the planted command did not run under plain git: the trap is not armed"
    marker.unlink()


def test_an_embedded_repository_runs_no_command(tmp_path):
    marker = tmp_path / "fsmonitor-ran"
    repo = new_repo(tmp_path / "repo", project="world")
    _plant_bare_repository(repo, marker)
    repo.commit("A pull request plants a repository in world/")
    _control(["status"], repo.root, marker)
    (repo.root / "content/heroes/aria.yaml").write_text((repo.root / "content/heroes/aria.yaml").read_text() + "\n")
    diff = repo.foundry("diff")
    history = repo.foundry("history", "hero:aria")
    build_run = repo.foundry("build", "--only", "json")
    assert not marker.exists()
    assert history.code == 0 and "hero:aria" in history.stdout, history.stderr
    assert diff.code in (0, 1) and "Traceback" not in diff.stderr
    assert build_run.code == 0, build_run.stderr
    # and the repository used is the real one, found from world/ upwards
    assert find_repository(repo.root).git_dir == (tmp_path / "repo/.git").resolve()


def test_a_gitattributes_filter_never_runs(tmp_path):
    """The user's own config defines a filter driver; the pull request's .gitattributes
    assigns it to every file. foundry reads objects and hashes files itself."""
    marker = tmp_path / "filter-ran"
    repo = new_repo(tmp_path / "repo")
    repo.git("config", "filter.evil.clean", f"sh -c 'touch {marker}; cat'")
    repo.git("config", "filter.evil.smudge", f"sh -c 'touch {marker}; cat'")
    repo.write(".gitattributes", "* filter=evil diff=evil\n")
    repo.git("config", "diff.evil.textconv", f"sh -c 'touch {marker}; cat'")
    repo.commit("A pull request assigns a filter to everything")
    marker.unlink(missing_ok=True)
    hero = repo.root / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("agility: 12", "agility: 13"))
    _control(["status"], repo.path, marker)
    hero.write_text(hero.read_text() + "\n")   # stat-dirty again
    diff = repo.foundry("diff", "--format", "json")
    history = repo.foundry("history", "hero:aria")
    assert not marker.exists()
    assert diff.code in (0, 1) and "aria" in diff.stdout, diff.stderr
    assert history.code == 0 and "uncommitted" in history.stdout, history.stdout


def test_no_included_config_turns_a_command_running_setting_back_on(tmp_path):
    """The config includes files (`include.path`, `includeIf "gitdir:…".path`, one
    including the next) that turn on core.fsmonitor, a hooks folder, signature checks
    and a pager: the -c settings on foundry's command line override every file's,
    whatever includes it, so no foundry command runs one. Followed for mailmap.file
    (git/stamp.py reads includes), never for these."""
    marker = tmp_path / "included-ran"
    repo = new_repo(tmp_path / "repo")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "reference-transaction", "post-checkout"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)
    inner = tmp_path / "inner.cfg"
    inner.write_text(f"[core]\n\tfsmonitor = sh -c 'touch {marker}'\n\thooksPath = {hooks}\n"
                     f"\tpager = sh -c 'touch {marker}; cat'\n[log]\n\tshowSignature = true\n"
                     f"[gpg]\n\tprogram = sh -c 'touch {marker}'\n", encoding="utf-8")
    outer = tmp_path / "outer.cfg"
    outer.write_text(f"[include]\n\tpath = {inner}\n", encoding="utf-8")
    repo.git("config", "include.path", str(outer))
    repo.git("config", f"includeIf.gitdir:{repo.path}/.git.path", str(inner))
    hero = repo.root / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("agility: 12", "agility: 13"))
    _control(["status"], repo.path, marker)
    hero.write_text(hero.read_text() + "\n")   # stat-dirty again
    for verb in (("diff", "--format", "json"), ("history", "hero:aria"), ("check", "--ref", "HEAD"),
                 ("build", "--only", "html")):
        run = repo.foundry(*verb)
        assert run.code in (0, 1), (verb, run.stderr)
        assert not marker.exists(), verb


def test_no_git_setting_from_the_environment_leaks_in(tmp_path, monkeypatch):
    marker = tmp_path / "external-diff-ran"
    repo = new_repo(tmp_path / "repo")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", f"touch {marker}")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'core.fsmonitor'='touch {marker}'")
    env = environment()
    assert not {k for k in env if k.startswith("GIT_")} - {"GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM",
                                                            "GIT_TERMINAL_PROMPT", "GIT_OPTIONAL_LOCKS",
                                                            "GIT_NO_LAZY_FETCH", "GIT_PAGER"}
    line = command(find_repository(repo.root), repo.root, "log", "-p")
    assert "--no-ext-diff" in line and "--no-textconv" in line and "core.fsmonitor=false" in line
    assert f"--git-dir={(tmp_path / 'repo/.git').resolve()}" in line
    history = repo.foundry("history", "hero:aria", env={"GIT_EXTERNAL_DIFF": f"touch {marker}",
                                                        "GIT_DIR": str(tmp_path / "nowhere")})
    assert history.code == 0, history.stderr
    assert not marker.exists()


_opened: list[str] | None = None


def _audit(event: str, args: tuple) -> None:
    if _opened is not None and event in ("open", "os.scandir", "os.listdir") and args:
        if isinstance(args[0], (str, bytes, os.PathLike)):
            _opened.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


def test_a_ref_tree_with_a_chain_of_links_reads_nothing_outside(tmp_path):
    """`x -> .` is written before `leak.md -> x/../../../outside/story.md`: judged when it
    is written, the second link looked inside; judged on the finished tree it leaves."""
    global _opened
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = "Qx7-ref-secret"
    (outside / "story.md").write_text(f"---\ntitle: Out\nstart: a\n---\n\n## A {{#a .ending}}\n\n{secret}\n")
    repo = new_repo(tmp_path / "repo")
    stories = repo.root / "content/stories"
    os.symlink(".", stories / "x")
    depth = os.path.relpath(outside, stories)
    os.symlink(f"x/{depth}/story.md", stories / "leak.md")            # through x, then up and out
    os.symlink(f"x/x/x/{depth}/story.md", stories / "deep.md")
    os.symlink(".", repo.root / "content/y")
    os.symlink(f"../content/y/../{depth}/../../../outside/story.md".replace("//", "/"), repo.root / "schemas/z.yaml")
    (repo.root / "content/stories/x").resolve()
    repo.commit("Links that leave through a link written before them")
    _opened = []
    try:
        diags = Diagnostics()
        report = build(repo.root, diags, ["json"], ref="HEAD", workers=1)
    finally:
        opened, _opened = _opened, None
    # refused at the links, as the working tree's build refuses them (they were left out
    # of the revision's tree without a word: a story published by build, missing by --ref)
    assert not report.ok
    assert sorted(d.span.path for d in diags.items if d.code == "HF0120") == [
        "content/stories/deep.md", "content/stories/leak.md"]
    assert opened
    assert [p for p in opened if p.startswith(str(outside)) or os.path.realpath(p).startswith(str(outside))] == []
    published = b"".join(p.read_bytes() for p in (repo.root / "build").rglob("*") if p.is_file())
    assert secret.encode() not in published
    # the working tree build refuses the same links at the links
    run = repo.foundry("build", "--only", "json", "--format", "json")
    assert run.code == 1
    refused = sorted(d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0120")
    assert refused == ["content/stories/deep.md", "content/stories/leak.md"]
    assert secret not in run.stdout + run.stderr


def test_a_committed_link_out_is_refused_by_check_and_build_of_a_ref_as_of_the_working_tree(tmp_path):
    """The field case symlink-outside through --ref (CI's release builds): an absolute
    link, and a relative one up and out, were left out of the revision's tree, so
    `check --ref HEAD` said 'No problems found' and the story was silently missing."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "story.md").write_text("---\ntitle: Out\nstart: a\n---\n\n## A {#a .ending}\n\nQx7-abs-secret\n")
    repo = new_repo(tmp_path / "repo")
    stories = repo.root / "content/stories"
    os.symlink(outside / "story.md", stories / "absolute.md")
    os.symlink(os.path.relpath(outside / "story.md", stories), stories / "relative.md")
    repo.commit("Two stories that live outside")
    for args in (("check",), ("check", "--ref", "HEAD"), ("build", "--only", "json"),
                 ("build", "--only", "json", "--ref", "HEAD")):
        run = repo.foundry(*args, "--format", "json")
        assert run.code == 1, (args, run.stdout)
        assert sorted(d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0120") == [
            "content/stories/absolute.md", "content/stories/relative.md"], args
        assert "Qx7-abs-secret" not in run.stdout + run.stderr
    assert not (repo.root / "build").exists()


def test_uncommitted_reads_no_file_through_a_link_and_no_file_whole(tmp_path, monkeypatch):
    """`foundry diff` and `history` hash the working files the index lists (git/versions.py
    uncommitted). A folder of them swapped for a link (`content/heroes -> /elsewhere`)
    had the file beyond it opened and hashed wherever the link led, and called unchanged
    when it matched; git calls it deleted, reads nothing through the link, and so do we.
    A file is hashed in chunks (a CRLF falling across two, as core.autocrlf writes it, is
    still the index's LF blob), never read whole: a working file of gigabytes (a pull
    request's blob of zeros packs to almost nothing) needed that much memory."""
    import pipeline.git.versions as versions
    repo = new_repo(tmp_path / "repo")
    heroes = repo.root / "content/heroes"
    elsewhere = tmp_path / "elsewhere"
    os.rename(heroes, elsewhere)                  # the same files, outside, reached through a link
    os.symlink(elsewhere, heroes)
    monkeypatch.setattr(versions, "HASH_CHUNK", 7)
    story = repo.root / "content/stories/sunken-keep.md"
    lf = story.read_bytes()
    assert b"\r" not in lf and lf.count(b"\n") > 3
    story.write_bytes(lf.replace(b"\n", b"\r\n"))
    dirty = versions.uncommitted(repo.root)
    assert "content/stories/sunken-keep.md" not in dirty
    assert {f"content/heroes/{p.name}" for p in elsewhere.iterdir()} <= set(dirty), dirty
    # a sparse working file of 224 MB under a 192 MB address-space cap: hashed, not held
    big = repo.root / "content/assets/big.bin"
    big.parent.mkdir(parents=True, exist_ok=True)
    big.write_bytes(b"x")
    repo.git("add", "content/assets/big.bin")
    os.truncate(big, 224 << 20)
    script = ("import sys; from pathlib import Path; from pipeline.git.versions import uncommitted; "
              "print('content/assets/big.bin' in uncommitted(Path(sys.argv[1])))")

    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (192 << 20, 192 << 20))
    from support import REPO
    run = subprocess.run([sys.executable, "-c", script, str(repo.root)], cwd=REPO, capture_output=True, text=True,
                         preexec_fn=cap, env={**os.environ, **GIT_ENV}, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "True", run.stderr[-2000:]


def test_a_crafted_tree_holding_git_in_another_spelling_is_not_copied_out(tmp_path):
    """Git refuses to check out a path a disk of macOS or Windows reads as `.git`, but a
    crafted tree (`git mktree`, fetched without fsck) can hold one. A revision's copy
    (`build --ref`, `foundry diff`) writes the tree itself: a `.GIT` file holding
    `gitdir: …` is, on such a disk, a gitfile that made the copy a repository git was
    run on. Each spelling is skipped, a file or a folder; the project's files are not."""
    repo = new_repo(tmp_path / "repo")
    blob = repo.git("hash-object", "-w", "--stdin", input_text="gitdir: content\n")
    folder = repo.git("mktree", input_text=f"100644 blob {blob}\tHEAD\n")
    names = [".GIT", ".git.", ".git ", "GIT~1", ".g\u200cit", "GIT~1.", "git~1 ", ".git\\config"]
    listed = repo.git("ls-tree", "HEAD") + "\n" + "\n".join(
        [f"100644 blob {blob}\t{name}" for name in names] + [f"040000 tree {folder}\t{name}x" for name in ("sub",)]
        + [f"040000 tree {folder}\t.Git"]) + "\n"
    crafted = repo.git("commit-tree", repo.git("mktree", input_text=listed), "-p", "HEAD", "-m", "crafted",
                       env={"GIT_AUTHOR_NAME": "Eve", "GIT_AUTHOR_EMAIL": "eve@example.com"})
    copy = tmp_path / "copy"
    materialise(repo.root, crafted, copy)
    made = sorted(entry.name for entry in copy.iterdir())
    assert [name for name in made if name in names or name == ".Git"] == [], made
    assert "content" in made and "foundry.toml" in made and "subx" in made


def test_a_crafted_path_a_revision_leaves_out_is_said(tmp_path):
    """A tree written by hand can hold entries git never checks out (`..`, `.`, `.git`,
    `.GIT`, a `.git` folder of files): `git checkout` of the revision fails at them, and
    `check --ref` built the rest as if they were not there, without a word. Each is
    HF0166 at its path, once for a folder of many files; a name git checks out (a
    backslash in it) is judged as the working tree's is (HF0135)."""
    repo = new_repo(tmp_path / "repo")

    def tree(entries: list[tuple[str, str, str]]) -> str:   # (mode, name, id) written as given, unchecked
        body = b"".join(f"{mode} {name}".encode() + b"\0" + bytes.fromhex(oid) for mode, name, oid in entries)
        return subprocess.run(["git", "hash-object", "-t", "tree", "--literally", "-w", "--stdin"], cwd=repo.path,
                              input=body, capture_output=True, check=True,
                              env={**os.environ, **GIT_ENV}).stdout.decode().strip()

    def listed(rev: str) -> list[tuple[str, str, str]]:
        return [(meta.split()[0], name, meta.split()[2]) for meta, name in
                (line.split("\t", 1) for line in repo.git("ls-tree", rev).splitlines())]

    bram = repo.rev("HEAD:content/heroes/bram.yaml")
    config = repo.git("hash-object", "-w", "--stdin", input_text="[core]\n\tfsmonitor = touch /tmp/owned\n")
    dot_git = tree([("100644", "HEAD", bram), ("100644", "config", config)])
    heroes = tree(sorted(listed("HEAD:content/heroes") + [
        ("100644", name, bram) for name in ("..", ".", ".GIT", "evil\\bad.yaml")] + [("40000", ".git", dot_git)],
        key=lambda e: e[1]))
    content = tree([(m, n, heroes if n == "heroes" else o) for m, n, o in listed("HEAD:content")])
    root = tree([(m, n, content if n == "content" else o) for m, n, o in listed("HEAD^{tree}")])
    repo.git("branch", "crafted", repo.git("commit-tree", root, "-p", "HEAD", "-m", "crafted",
                                           env={"GIT_AUTHOR_NAME": "Eve", "GIT_AUTHOR_EMAIL": "eve@example.com"}))
    run = repo.foundry("check", "--ref", "crafted", "--format", "json")
    assert run.code == 1, run.stderr
    said = sorted((d["code"], d["file"]) for d in run.json()["diagnostics"])
    assert said == [("HF0135", "content/heroes/evil\\bad.yaml"),
                    ("HF0166", "content/heroes/."), ("HF0166", "content/heroes/.."), ("HF0166", "content/heroes/.GIT"),
                    ("HF0166", "content/heroes/.git")], said
    assert not os.path.exists("/tmp/owned")


def test_a_fifo_git_opens_in_the_work_tree_holds_no_command(tmp_path):
    """git opens the top's `.mailmap` (the names `log` shows) and each listed folder's
    `.gitignore` (`ls-files --others --exclude-standard`) with a blocking open(): a FIFO
    there (git cannot commit one; a setup script can leave one) held `foundry build`,
    `history` and `diff` forever. Each finishes; history maps names as if there were no
    .mailmap; check and build name both FIFOs (HF0125)."""
    repo = new_repo(tmp_path / "repo")
    fifos = [repo.root / ".mailmap", repo.root / "content/heroes/.gitignore"]
    for fifo in fifos:
        os.mkfifo(fifo)
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    runs = {}
    try:
        for args in (["history", "hero:aria"], ["diff", "HEAD"], ["build", "--only", "json"]):
            # a subprocess of its own with a short timeout: a hang fails here, not after 10 minutes
            runs[args[0]] = subprocess.run([sys.executable, "-m", "pipeline", *args, "--project", str(repo.root)],
                                           cwd=Path(__file__).parents[2], capture_output=True, text=True, env=env,
                                           timeout=120)
    finally:
        _release(fifos, bool(runs))
    assert runs["history"].returncode == 0 and "Ana Writer" in runs["history"].stdout, runs["history"].stderr
    assert runs["diff"].returncode in (0, 1), runs["diff"].stderr
    build = runs["build"]
    assert build.returncode == 1 and not (repo.root / "build").exists()
    assert ".mailmap: error HF0125 .mailmap is a named pipe (FIFO)" in build.stderr
    assert "content/heroes/.gitignore: error HF0125" in build.stderr


def test_a_mailmap_link_is_never_left_to_git(tmp_path, monkeypatch):
    """A committed `.mailmap -> /dev/zero`: git 2.32 and later do not follow a link
    there, an older git follows it anywhere (reading zeros without end, or a file
    outside the project into the credits). foundry runs `log` on an empty work tree
    then, whatever the git, as it does for a FIFO there: no version reads it."""
    import subprocess as sub
    from pipeline.git.versions import entity_history
    repo = new_repo(tmp_path / "repo")
    os.symlink("/dev/zero", repo.root / ".mailmap")
    repo.commit("a mailmap link")
    seen: list[list[str]] = []
    real_run = sub.run

    def run(args, *rest, **named):
        seen.append(list(args))
        return real_run(args, *rest, **named)
    monkeypatch.setattr(sub, "run", run)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    history = entity_history(repo.root)
    logs = [args for args in seen if "log" in args]
    assert logs and history, seen
    assert all(f"--work-tree={repo.root}" not in args for args in logs), logs
    assert {c.author for h in history.values() for c in h.changes} == {"Ana Writer"}


def test_a_fifo_gitattributes_holds_no_log_and_the_mailmap_still_names(tmp_path):
    """`git log -M` weighs an inexact rename as text or binary by the attributes of the
    files' folders: it opens the top's `.gitattributes` and one in each folder down to
    the file, blocking. A FIFO at either (a setup script's) held `foundry history` and
    `build` forever, even with a regular `.mailmap` (the a5 fix ran `log` off the work
    tree only for a special one). `log` runs on an empty work tree, given a copy of the
    regular .mailmap: each command finishes, names are still mapped, check names the
    FIFOs (HF0125)."""
    repo = new_repo(tmp_path / "repo")
    heroes = repo.root / "content/heroes"
    for old, new in (("bram", "bram-moved"), ("bram-moved", "bram")):   # two inexact renames
        text = (heroes / f"{old}.yaml").read_text()
        (heroes / f"{old}.yaml").unlink()
        (heroes / f"{new}.yaml").write_text(text + f"# was {old}\n")
        repo.commit(f"rename {old}")
    (repo.root / ".mailmap").write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
    fifos = [repo.root / ".gitattributes", heroes / ".gitattributes"]
    for fifo in fifos:
        os.mkfifo(fifo)
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    runs = {}
    try:
        for args in (["history", "hero:bram"], ["build", "--only", "json"]):
            runs[args[0]] = subprocess.run([sys.executable, "-m", "pipeline", *args, "--project", str(repo.root)],
                                           cwd=Path(__file__).parents[2], capture_output=True, text=True, env=env,
                                           timeout=60)
    finally:
        _release(fifos, done=bool(runs))
    history = runs["history"]
    assert history.returncode == 0 and "Ana Mapped" in history.stdout and "Ana Writer" not in history.stdout, \
        history.stdout + history.stderr
    build = runs["build"]
    assert build.returncode == 1 and not (repo.root / "build").exists()
    assert ".gitattributes: error HF0125 .gitattributes is a named pipe (FIFO)" in build.stderr, build.stderr
    assert "content/heroes/.gitattributes: error HF0125" in build.stderr


def _release(fifos: list[Path], done: bool) -> None:
    """A git left waiting on a FIFO (the fault) gets an end of file each time it opens one."""
    for _ in range(5):
        for fifo in fifos:
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:   # ENXIO: nobody is waiting on it
                pass
        if done:
            break
        time.sleep(0.2)


def test_a_fifo_in_a_nested_repositorys_git_folder_holds_no_listing(tmp_path):
    """`ls-files --others` asks of each folder holding a `.git` whether it is a
    repository of its own, and opens its HEAD (and commondir), through a "gitdir:" file
    too, blocking: a FIFO there (a setup script's) held `foundry history` and `diff`
    forever. Such a folder is left out of the listing (git lists a repository of its
    own as one name, never its files): both finish, the edit beside it still said."""
    repo = new_repo(tmp_path / "repo")
    nested = repo.root / "content/heroes/sub/.git"
    elsewhere = tmp_path / "elsewhere"
    for git_dir in (nested, elsewhere):
        for folder in ("objects", "refs"):
            (git_dir / folder).mkdir(parents=True)
    fifos = [nested / "HEAD", elsewhere / "HEAD"]
    for fifo in fifos:
        os.mkfifo(fifo)
    (repo.root / "content/quests/sub").mkdir()
    (repo.root / "content/quests/sub/.git").write_text(f"gitdir: {elsewhere}\n", encoding="utf-8")
    hero = repo.root / "content/heroes/aria.yaml"
    hero.write_text(hero.read_text().replace("agility: 12", "agility: 13"))
    env = {**os.environ, **GIT_ENV, "NO_COLOR": "1"}
    runs = {}
    try:
        for args in (["history", "hero:aria"], ["diff", "--format", "json"]):
            runs[args[0]] = subprocess.run([sys.executable, "-m", "pipeline", *args, "--project", str(repo.root)],
                                           cwd=Path(__file__).parents[2], capture_output=True, text=True, env=env,
                                           timeout=60)
    finally:
        _release(fifos, done=len(runs) == 2)
    assert runs["history"].returncode == 0 and "uncommitted" in runs["history"].stdout, runs["history"].stdout
    assert runs["diff"].returncode in (0, 1) and "agility" in runs["diff"].stdout, runs["diff"].stderr


def test_a_git_committed_in_the_project_is_never_run_through_a_relative_path_folder(tmp_path):
    """A pull request commits an executable `git` at the project's top. A PATH with a
    relative folder in it (an empty entry: `PATH=:/usr/bin`, what `PATH=$EXTRA:$PATH`
    leaves when EXTRA is unset; or `.`) names the current folder, so `foundry build`,
    `history` and `diff` run from the project ran the pull request's git (with the
    user's rights, a CI job's tokens); so did an absolute folder of the project's on
    PATH. Only the installed git runs (programs.py), and still answers: the history is
    there."""
    import shutil
    marker = tmp_path / "planted-git-ran"
    real = shutil.which("git")
    repo = new_repo(tmp_path / "repo")
    for name in ("git", "fc-match", "bin/git"):
        (repo.root / name).parent.mkdir(exist_ok=True)
        (repo.root / name).write_text(f"#!/bin/sh\necho \"$@\" >> {marker}\nexec {real} \"$@\"\n")
        (repo.root / name).chmod(0o755)
    repo.commit("A pull request adds its own git")
    # and an absolute folder in the project (direnv's `PATH_add bin`; `.venv/bin` of a
    # virtualenv a CI job made in the checkout): the project's all the same
    for path in (":" + os.environ["PATH"], "." + os.pathsep + os.environ["PATH"],
                 str(repo.root / "bin") + os.pathsep + os.environ["PATH"]):
        # the trap is armed: a program run by name from the project, as Python runs it, is the planted one
        subprocess.run(["git", "--version"], cwd=repo.root, capture_output=True, env={**os.environ, "PATH": path})
        assert marker.exists(), "the planted git did not run by name: the trap is not armed"
        marker.unlink()
        hero = repo.root / "content/heroes/aria.yaml"
        hero.write_text(hero.read_text() + "\n")
        history = repo.foundry("history", "hero:aria", env={"PATH": path})
        assert history.code == 0 and "Add the Sunken Keep" in history.stdout, history.stdout + history.stderr
        if path.startswith(":"):   # every command runs git the one way: the other two once
            diff = repo.foundry("diff", "--format", "json", env={"PATH": path})
            built = repo.foundry("build", "--only", "json", env={"PATH": path})
            assert diff.code in (0, 1) and "Traceback" not in diff.stderr, diff.stderr
            assert built.code == 0, built.stderr
        assert not marker.exists(), marker.read_text()[:500]
        hero.write_text(hero.read_text()[:-1])


def test_a_settings_file_committed_in_the_project_is_never_taken_for_the_users(tmp_path, monkeypatch):
    """git finds the user's settings by GIT_CONFIG_GLOBAL, HOME and XDG_CONFIG_HOME, and
    runs with `-C` the project: a relative value there (`XDG_CONFIG_HOME=cfg`, `HOME=.`)
    named the pull request's committed `cfg/git/config` (or `.gitconfig`), read as the
    user's own settings. Its `core.excludesFile` (a file anywhere) hid an untracked hero
    from `foundry diff`'s uncommitted changes; `include.path` and `mailmap.file` read any
    file of the machine. A relative value is dropped (git/command.py ABSOLUTE_ENV)."""
    repo = new_repo(tmp_path / "repo")
    settings = f"[core]\n\texcludesFile = {repo.root / 'cfg/ignore-all'}\n"
    repo.write("cfg/git/config", settings)
    repo.write(".gitconfig", settings)
    repo.write("cfg/ignore-all", "*\n")
    repo.commit("A pull request adds settings of its own")
    hero = (repo.root / "content/heroes/aria.yaml").read_text().replace("Aria", "Newbie")
    (repo.root / "content/heroes/newbie.yaml").write_text(hero)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)   # else git reads no other file of the user's
    plain = {k: v for k, v in GIT_ENV.items() if k != "GIT_CONFIG_GLOBAL"}
    for env in ({"GIT_CONFIG_GLOBAL": "cfg/git/config", "HOME": str(home)},
                {"XDG_CONFIG_HOME": "cfg", "HOME": str(home)},
                {"HOME": "."}):
        # the trap is armed: git run in the project with these takes the committed settings
        listed = subprocess.run(["git", "ls-files", "--others", "--exclude-standard"], cwd=repo.root,
                                capture_output=True, text=True, env={**os.environ, **plain, **env})
        assert "newbie" not in listed.stdout, (env, "the committed settings were not read: the trap is not armed")
        diff = foundry("diff", "HEAD", "--format", "json", "--project", str(repo.root), cwd=repo.root,
                       env={**plain, **env})
        assert diff.code in (0, 1), diff.stderr
        assert any("uncommitted changes to 1 file (content/heroes/newbie.yaml)" in note
                   for note in json.loads(diff.stdout)["notes"]), (env, diff.stdout)
        # nor is the seal's key (seal.py) kept in a home folder that is the checkout
        assert not (repo.root / ".cache").exists(), env


def test_a_committed_links_text_is_made_as_git_checkout_makes_it(tmp_path):
    """A link's blob is its target's text, and a crafted one holds what no `ln -s`
    writes. `git checkout` makes the link from the text up to its first NUL (symlink()
    takes a C string), its bytes as they are: a NUL in it was a ValueError, an internal
    error of `build --ref`, `foundry diff` and `history`, and a Latin-1 name became one of
    U+FFFD, a link to another file than the checkout's. A link to no name, or to one
    longer than a path may be, no checkout makes: HF0166 says so, not "No such file or
    directory" or that a 40-byte path is too long."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "story.md").write_text("---\ntitle: Out\nstart: a\n---\n\n## A {#a .ending}\n\nQx7-nul-secret\n")
    repo = new_repo(tmp_path / "repo")
    stories = repo.root / "content/stories"
    out = os.fsencode(os.path.relpath(outside / "story.md", stories))
    texts = {"content/stories/nul.md": out + b"\0sunken-keep.md",
             "content/stories/latin.md": b"caf\xe9.md", "content/heroes/empty.yaml": b"",
             "content/heroes/long.yaml": b"a/" * 3000}
    index = {"GIT_INDEX_FILE": str(tmp_path / "index")}   # the commit's own: the work tree never holds them
    repo.git("read-tree", "HEAD", env=index)
    for rel, text in texts.items():
        (tmp_path / "blob").write_bytes(text)
        oid = repo.git("hash-object", "-w", str(tmp_path / "blob"))
        repo.git("update-index", "--add", "--cacheinfo", f"120000,{oid},{rel}", env=index)
    tree = repo.git("write-tree", env=index)
    crafted = repo.git("commit-tree", tree, "-p", "HEAD", "-m", "links", env={"GIT_AUTHOR_NAME": "Eve",
                                                                              "GIT_AUTHOR_EMAIL": "eve@example.com"})
    copy = tmp_path / "copy"
    materialise(repo.root, crafted, copy, [])
    assert os.readlink(os.fsencode(copy / "content/stories/latin.md")) == b"caf\xe9.md"
    diags = Diagnostics()
    report = build(repo.root, diags, ["json"], ref=crafted, workers=1)
    assert not report.ok
    said = {d.span.path: (d.code, d.message) for d in diags.items if d.span.path in texts}
    assert said["content/stories/nul.md"][0] == "HF0120"   # led outside, as the checkout's link does
    assert said["content/heroes/empty.yaml"] == ("HF0166", f"content/heroes/empty.yaml of the revision {crafted} "
                                                 "cannot be read: it is a symbolic link to no name at all")
    long = said["content/heroes/long.yaml"]
    assert long[0] == "HF0166" and "target is 6,000 bytes" in long[1]
    assert "Qx7-nul-secret" not in "".join(d.message for d in diags.items)
