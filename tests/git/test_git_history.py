"""`foundry history` and versions.entity_history: who changed an entity when, renames
followed, each change summarised in the content's own terms."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time

from git_support import ANA, BEN, CLEO, GIT_ENV, Repo, new_repo
from support import ROOTS

from pipeline.git.versions import entity_history


def test_history_follows_a_rename_with_an_edit_in_the_same_commit(review: Repo):
    run = review.foundry("history", "hero:brann")
    assert run.code == 0, run.stderr
    renamed, created = review.rev("feature~1")[:12], review.rev("v1")[:12]
    assert run.stdout == f"""\
hero:brann (content/heroes/brann.yaml): 2 commits by Ana Writer
created 2024-01-10 by Ana Writer; last changed 2024-02-03 by Ana Writer

2024-02-03  {renamed}  Ana Writer  Bram becomes Brann
    renamed from hero:bram (content/heroes/bram.yaml)
    title: "" → "The Breakwater"
    attributes.strength: 14 → 15
    max_hp: 28 → 29 at level 1 (moves at levels 1–5)

2024-01-10  {created}  Ana Writer  Add the Sunken Keep
    created
"""
    assert review.foundry("history", "bram").stdout == run.stdout   # the old name finds the same lineage


def test_history_of_a_story_in_json(review: Repo):
    run = review.foundry("history", "sunken-keep", "--format", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["entity"] == "story:sunken-keep"
    assert data["authors"] == ["Ana Writer", "Cleo Editor", "Dana Mapper", "Ben Designer"]   # co-author trailer
    assert [s["commit"]["subject"] for s in data["steps"]] == [
        "Retire the ember relic quest", "The hall gets a way out", "Add the Sunken Keep"]
    assert data["steps"][-1]["note"] == "created" and data["steps"][-1]["diff"] is None
    hall = data["steps"][1]["diff"]["changes"]
    assert [(c["section"], c["change"], c["subject"]) for c in hall] == [
        ("scene", "added", "ledge"), ("ending", "gained", "ledge"), ("choice", "retargeted", "Drop into the hall"),
        ("choice", "added", "Swim for the ledge"), ("statistic", "changed", "words"),
        ("statistic", "changed", "paths")]
    assert data["steps"][1]["commit"]["coauthors"] == ["Dana Mapper"]
    assert data["changed"]["date"] == "2024-02-04T10:00:00+00:00"


def test_a_deleted_entity_keeps_its_history(review: Repo):
    run = review.foundry("history", "quest:ember-relic", "-n", "1")
    assert run.code == 0
    assert run.stdout.splitlines()[3:] == [f"2024-02-04  {review.rev('feature')[:12]}  Ben Designer  "
                                           "Retire the ember relic quest", "    deleted"]


def test_uncommitted_changes_come_first(repo: Repo):
    repo.edit("content/heroes/aria.yaml", "wits: 13", "wits: 15")
    run = repo.foundry("history", "aria")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[2:5] == ["", "uncommitted changes in the working tree",
                                            "    attributes.wits: 13 → 15"]


def test_ambiguous_and_unknown_ids_are_usage_errors(repo: Repo):
    repo.write("content/quests/aria.yaml",
               "title: Find Aria\nobjectives:\n  - {id: find, text: Find her, done_when: 'true'}\n")
    both = repo.foundry("history", "aria")
    assert both.code == 2
    assert "'aria' names more than one entity (hero:aria and quest:aria); write kind:id" in both.stderr
    assert repo.foundry("history", "quest:aria").code == 0
    unknown = repo.foundry("history", "arya")
    assert unknown.code == 2 and "Did you mean 'aria'?" in unknown.stderr and "Traceback" not in unknown.stderr
    # a path where the id goes is no entity: `hero:../../../etc/passwd` was said as
    # "HF0120 ../etc/passwd.yaml is a symbolic link that leads outside the project", of a
    # link that is not there, placed outside the project
    for written in ("hero:../../../etc/passwd", "hero:x/../aria", "..\\aria"):
        run = repo.foundry("history", written)
        assert run.code == 2 and "HF0120" not in run.stderr, run.stderr
        assert f"no entity '{written}': an id names a file of its kind's folder, never a path" in run.stderr
    assert "Did you mean 'aria'?" in repo.foundry("history", "hero:x/../aria").stderr


def test_entity_history_is_data_for_the_credits_page(review: Repo):
    found = entity_history(review.root)
    brann = found["content/heroes/brann.yaml"]
    assert [(c.status, c.path, c.old_path) for c in brann.changes] == [
        ("R", "content/heroes/brann.yaml", "content/heroes/bram.yaml"), ("A", "content/heroes/bram.yaml", None)]
    assert (brann.created.commit, brann.changed.commit) == (review.rev("v1"), review.rev("feature~1"))
    assert found["content/heroes/aria.yaml"].authors == ("Ana Writer", "Ben Designer")
    assert "content/heroes/bram.yaml" not in found   # it lives on as brann
    assert found["content/quests/ember-relic.yaml"].changed.status == "D"
    at_v1 = entity_history(review.root, "v1")                      # what a `--ref v1` build would credit
    assert set(at_v1) == {p for p in found if p != "content/heroes/brann.yaml"} | {"content/heroes/bram.yaml"}
    assert at_v1["content/heroes/aria.yaml"].authors == ("Ana Writer",)


def test_a_recreated_file_is_a_new_entity_and_a_subfolder_project_has_its_own_paths(tmp_path):
    repo = new_repo(tmp_path / "repo", project="world")
    repo.git("rm", "-q", "world/content/heroes/bram.yaml")
    repo.commit("Remove Bram", BEN, "2024-02-01T09:00:00+00:00")
    repo.write("content/heroes/bram.yaml", "name: Another Bram\n")
    repo.commit("A new Bram", ANA, "2024-03-01T09:00:00+00:00")
    bram = entity_history(repo.root)["content/heroes/bram.yaml"]
    assert [(c.subject, c.status) for c in bram.changes] == [("A new Bram", "A")]
    assert entity_history(tmp_path) == {}   # not a repository


def test_a_file_restored_as_it_was_goes_on_with_its_history(repo: Repo):
    """A hero deleted by mistake and brought back (`git revert` of the deletion, or
    `git checkout v1 -- file` after an edit): git's log of the path goes on across the
    gap, and so do foundry's history and credits. The revert was "created" by whoever
    restored it, and the hero's writer was credited no more."""
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 15")
    repo.commit("Stronger Bram", BEN, "2024-01-20T09:00:00+00:00")
    repo.git("tag", "stronger")
    repo.git("rm", "-q", "content/heroes/bram.yaml")
    removed = repo.commit("Remove Bram", BEN, "2024-02-01T09:00:00+00:00")
    repo.git("revert", "--no-edit", removed, env={"GIT_AUTHOR_NAME": CLEO[0], "GIT_AUTHOR_EMAIL": CLEO[1],
                                                  "GIT_AUTHOR_DATE": "2024-02-02T09:00:00+00:00",
                                                  "GIT_COMMITTER_DATE": "2024-02-02T09:00:00+00:00"})
    bram = entity_history(repo.root)["content/heroes/bram.yaml"]
    assert [(c.subject, c.status) for c in bram.changes] == [
        ('Revert "Remove Bram"', "A"), ("Remove Bram", "D"), ("Stronger Bram", "M"), ("Add the Sunken Keep", "A")]
    assert [c.restored for c in bram.changes] == [True, False, False, False]
    assert bram.authors == ("Ana Writer", "Ben Designer", "Cleo Editor")
    run = repo.foundry("history", "bram")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[:5] == [
        "hero:bram (content/heroes/bram.yaml): 4 commits by Ana Writer, Ben Designer, Cleo Editor",
        "created 2024-01-10 by Ana Writer; last changed 2024-02-02 by Cleo Editor", "",
        f"2024-02-02  {repo.rev('HEAD')[:12]}  Cleo Editor  Revert \"Remove Bram\"",
        "    restored as it was before it was deleted"]
    # edited, deleted again, then brought back as it was before the last edit (an older blob of its life)
    repo.edit("content/heroes/bram.yaml", "strength: 15", "strength: 16")
    repo.commit("Even stronger Bram", BEN, "2024-02-20T09:00:00+00:00")
    repo.git("rm", "-q", "content/heroes/bram.yaml")
    repo.commit("Remove Bram again", BEN, "2024-03-01T09:00:00+00:00")
    repo.git("checkout", "stronger", "--", "content/heroes/bram.yaml")
    repo.commit("Bring back the first Bram", ANA, "2024-03-02T09:00:00+00:00")
    bram = entity_history(repo.root)["content/heroes/bram.yaml"]
    assert [c.subject for c in bram.changes][:3] == ["Bring back the first Bram", "Remove Bram again",
                                                      "Even stronger Bram"]
    assert bram.created.subject == "Add the Sunken Keep"


def test_a_new_file_with_the_bytes_another_once_began_with_is_a_new_one(repo: Repo):
    """`foundry new hero zed` writes the same bytes for every Zed. Ana's Zed, made so and
    written since, was deleted; a year on Cleo made another Zed the same way: it was
    "restored as it was before it was deleted", created by Ana, and credited to her. The
    blob a life began with continues it only when the file was deleted so."""
    made = repo.foundry("new", "hero", "zed")
    assert made.code == 0, made.stderr
    scaffold = (repo.root / "content/heroes/zed.yaml").read_bytes()
    repo.commit("Zed", ANA, "2024-01-11T09:00:00+00:00")
    repo.edit("content/heroes/zed.yaml", 'title: ""', 'title: "The Old Zed"')
    repo.commit("Zed's title", ANA, "2024-01-12T09:00:00+00:00")
    repo.git("rm", "-q", "content/heroes/zed.yaml")
    repo.commit("Cut Zed", BEN, "2024-02-01T09:00:00+00:00")
    again = repo.foundry("new", "hero", "zed")
    assert again.code == 0 and (repo.root / "content/heroes/zed.yaml").read_bytes() == scaffold
    repo.commit("A new Zed", CLEO, "2025-02-01T09:00:00+00:00")
    zed = entity_history(repo.root)["content/heroes/zed.yaml"]
    assert [(c.subject, c.restored) for c in zed.changes] == [("A new Zed", False)]
    assert zed.authors == ("Cleo Editor",)


def test_history_outside_a_repository_is_a_usage_error(tmp_path):
    shutil.copytree(ROOTS / "git-world", tmp_path / "plain")
    run = Repo(tmp_path / "plain").foundry("history", "aria")
    assert run.code == 2 and "is not inside a git repository" in run.stderr
    assert subprocess.run(["git", "-C", str(tmp_path / "plain"), "rev-parse"], capture_output=True,
                          env={**os.environ, **GIT_ENV}).returncode != 0   # and foundry did not make it one


def test_a_merge_keeps_both_sides_of_a_file_renamed_on_one_and_edited_on_the_other(repo: Repo):
    """Ben renames tomas.yaml to ferryman.yaml on a branch while Ana edits Tomas on main;
    the merge makes the file both did. Ana's edit is on the page, but it was in no
    history: git log shows a merge's files only with a combined diff, so her commit
    (under the old path on her side) started a lineage of its own, and `foundry history`
    and the credits said the file was last changed by Ben's rename, a commit whose
    tree does not hold what the page shows. The same with both sides editing one file
    under one name: the merge is the commit whose tree the page shows."""
    repo.git("checkout", "-q", "-b", "rename")
    repo.git("mv", "content/characters/tomas.yaml", "content/characters/ferryman.yaml")
    for path in (repo.root / "content").rglob("*.*"):   # the references follow the new id
        text = path.read_text(encoding="utf-8")
        if "tomas" in text:
            path.write_text(text.replace("tomas", "ferryman"), encoding="utf-8")
    renamed = repo.commit("Tomas becomes the ferryman", author=BEN, date="2024-02-01T10:00:00+00:00")
    repo.git("checkout", "-q", "main")
    repo.edit("content/characters/tomas.yaml", "role: Ferryman", "role: Old ferryman")
    edited = repo.commit("Tomas grows old", author=ANA, date="2024-02-02T10:00:00+00:00")
    repo.git("merge", "-q", "--no-edit", "rename", env={"GIT_AUTHOR_NAME": "Cleo Editor", "GIT_AUTHOR_EMAIL": "c@e",
                                                          "GIT_AUTHOR_DATE": "2024-02-03T10:00:00+00:00",
                                                          "GIT_COMMITTER_DATE": "2024-02-03T10:00:00+00:00"})
    merge = repo.rev("HEAD")
    assert "role: Old ferryman" in (repo.root / "content/characters/ferryman.yaml").read_text()

    lineage = entity_history(repo.root)["content/characters/ferryman.yaml"]
    assert [c.commit for c in lineage.changes] == [merge, edited, renamed, repo.rev("HEAD~1~1")]
    assert "content/characters/tomas.yaml" not in entity_history(repo.root)   # no lineage of its own
    run = repo.foundry("history", "ferryman")
    assert run.code == 0, run.stderr
    assert "last changed 2024-02-03 by Cleo Editor" in run.stdout
    assert f"{edited[:12]}  Ana Writer  Tomas grows old\n    role: \"Ferryman\" → \"Old ferryman\"" in run.stdout
    assert f"{merge[:12]}  Cleo Editor" in run.stdout and "renamed from character:tomas" in run.stdout

    built = repo.foundry("build", "--only", "html")
    assert built.code == 0, built.stderr
    from lxml import html
    page = html.parse(str(repo.root / "build/site/characters/ferryman.html"))
    assert page.xpath("//footer//code/@title")[0] == f"{merge} (2024-02-03)"


def test_a_ref_build_credits_by_the_committed_mailmap_never_the_working_trees(tmp_path):
    """git reads `.mailmap` from the working tree whatever revision it logs: an
    uncommitted (or later) .mailmap renamed the authors of a `--ref` build's credits.
    The revision's committed .mailmap is read (or none), in a sub-folder project too."""
    for project in ("", "world"):
        repo = new_repo(tmp_path / (project or "top"), project=project)
        first = repo.rev("HEAD")
        (repo.path / ".mailmap").write_text("Committed Name <ana@example.com>\n", encoding="utf-8")
        repo.commit("Ana's name as she wants it", ANA, "2024-01-11T09:00:00+00:00")
        mapped = repo.rev("HEAD")
        # a .mailmap in the working tree only: what a pull request's checkout may hold
        (repo.path / ".mailmap").write_text("Mallory <ana@example.com>\n", encoding="utf-8")
        assert entity_history(repo.root)["content/heroes/aria.yaml"].authors == ("Mallory",)   # the working tree's build
        assert entity_history(repo.root, mapped)["content/heroes/aria.yaml"].authors == ("Committed Name",)
        assert entity_history(repo.root, first)["content/heroes/aria.yaml"].authors == ("Ana Writer",)   # no .mailmap then
        os.remove(repo.path / ".mailmap")
        repo.commit("Drop the .mailmap", ANA, "2024-01-12T09:00:00+00:00")
        (repo.path / ".mailmap").write_text("Mallory <ana@example.com>\n", encoding="utf-8")
        assert entity_history(repo.root, repo.rev("HEAD"))["content/heroes/aria.yaml"].authors == ("Ana Writer",)


def test_a_commit_s_huge_subject_and_names_are_cut_by_git(repo: Repo):
    # A commit message packs to almost nothing: a pull request's commit can carry a
    # subject of hundreds of MB, and the history stage of every build read it whole
    # (300 MB took 1.8 GB). git now cuts names at 200 columns and subjects at 300.
    import resource
    import sys

    from support import REPO
    repo.edit("content/heroes/aria.yaml", "wits: 13", "wits: 14")
    repo.git("add", "-A")
    # the commit object written as git writes one (`git commit -F` would spend most of this
    # test's minute cleaning the 100 MB message of comments and trailing space)
    tree, parent, now = repo.git("write-tree"), repo.rev("HEAD"), int(time.time())
    commit = (f"tree {tree}\nparent {parent}\nauthor {'N' * 5000} <n@example.com> {now} +0000\n"
              f"committer Foundry CI <ci@example.com> {now} +0000\n\n").encode() + b"a" * 100_000_000 + b"\n"
    made = subprocess.run(["git", "-c", "core.looseCompression=1", "hash-object", "-t", "commit", "-w", "--stdin"],
                          cwd=repo.path, input=commit, capture_output=True, env={**os.environ, **GIT_ENV}, check=True)
    repo.git("update-ref", "HEAD", made.stdout.decode().strip())

    # 512 MiB of address space: foundry and git pass in less than 400 with the subject cut
    # by git; read whole (a 100 MB subject took ~6 times its size), MemoryError
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20))

    run = subprocess.run([sys.executable, "-m", "pipeline", "history", "aria", "--project", str(repo.root),
                          "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=600,
                         preexec_fn=cap, env={**os.environ, **GIT_ENV, "NO_COLOR": "1"})
    assert run.returncode == 0 and "MemoryError" not in run.stderr, run.stderr[-2000:]
    import json
    newest = json.loads(run.stdout)["steps"][0]["commit"]
    assert newest["subject"] == "a" * 298 + ".." and newest["author"] == "N" * 198 + ".."


def test_a_file_or_folder_linked_out_is_named_at_the_link_in_history_and_diff(repo: Repo, tmp_path):
    """A commit that made a hero a symbolic link out of the project, and one that made
    content/quests one: `foundry history` said 'does not load here (1 error)' for the
    hero and 'deleted' for the quest, and `foundry diff` 'does not load at the head (1
    error; run foundry check)' and 'quest ember-relic — removed' (a breaking change),
    none naming the link; with content/quests a link, `history aria` was 'more than one
    entity (hero:aria and quest:aria)'. Each now says HF0120 at the link, as check
    does; `history quest:ghost` (never committed, under the link) is the HF0120 itself."""
    outside = tmp_path / "outside"
    (outside / "quests").mkdir(parents=True)
    shutil.move(str(repo.root / "content/heroes/bram.yaml"), outside / "bram.yaml")
    (repo.root / "content/heroes/bram.yaml").symlink_to(outside / "bram.yaml")
    shutil.move(str(repo.root / "content/quests/ember-relic.yaml"), outside / "quests/ember-relic.yaml")
    (repo.root / "content/quests").rmdir()
    (repo.root / "content/quests").symlink_to(outside / "quests")
    repo.commit("Links out", BEN, "2024-02-01T09:00:00+00:00")
    link = "HF0120 content/heroes/bram.yaml is a symbolic link that leads outside the project: it is not read"
    folder = "HF0120 content/quests is a symbolic link that leads outside the project: it is not read"
    bram = repo.foundry("history", "bram")
    assert bram.code == 0 and bram.stdout.splitlines()[4] == f"    does not load here: {link}", bram.stdout
    quest = repo.foundry("history", "ember-relic")
    assert quest.code == 0 and quest.stdout.splitlines()[4] == f"    not read here: {folder}", quest.stdout
    ghost = repo.foundry("history", "quest:ghost", "--format", "json")
    assert ghost.code == 1 and [(d["code"], d["file"]) for d in ghost.json()["diagnostics"]] == [
        ("HF0120", "content/quests")]
    diff = repo.foundry("diff", "HEAD~1", "HEAD", "--format", "json").json()
    assert sorted((e["kind"], e["status"], e["why"]) for e in diff["entities"]) == [
        ("hero", "unloadable", link), ("quest", "unloadable", folder)]
    assert not diff["breaking"]


def test_without_git_a_clone_is_not_said_to_be_no_repository(tmp_path):
    """A writer's clone on a machine without git (or git off PATH): history, diff and
    `build --ref` said "not inside a git repository" and to `git init` the project, which
    would not help; they say git cannot be run, and to install it."""
    repo = new_repo(tmp_path / "repo")
    no_git = tmp_path / "bin"    # a PATH on which there is no git
    no_git.mkdir()
    for args in (("history", "aria"), ("diff", "HEAD"), ("build", "--ref", "HEAD", "--only", "json")):
        run = repo.foundry(*args, env={"PATH": str(no_git)})
        assert run.code == 2, (args, run.stdout, run.stderr)
        assert "HF0801" in run.stderr and "git cannot be run" in run.stderr, (args, run.stderr)
        assert "not inside a git repository" not in run.stderr and "git init" not in run.stderr, (args, run.stderr)
        assert "Install git" in run.stderr, (args, run.stderr)
    # a build needs no git, but its credits page has no history to show: said (HF0803, a
    # warning), where the build said nothing
    run = repo.foundry("build", "--only", "json", "--format", "json", env={"PATH": str(no_git)})
    assert run.code == 0, run.stdout + run.stderr
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0803"]
    assert "git cannot be run" in said["message"] and "Install git" in said["hint"], said
    # git back, the repository broken (HEAD overwritten): the no-op build replayed the
    # last build's words, "git cannot be run" and "Install git"
    (repo.path / ".git/HEAD").write_text("garbage\n")
    run = repo.foundry("build", "--only", "json", "--format", "json")
    assert run.code == 0, run.stdout + run.stderr
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0803"]
    assert "git cannot read the repository" in said["message"] and "Install git" not in said["hint"], said


def test_a_commit_after_one_that_does_not_load_is_not_called_a_creation(repo: Repo):
    """A commit broke foundry.toml, the next fixed it and edited Aria: her history said
    the fix "created" her (its parent loaded nothing), and `foundry diff` of that pair
    quoted, as the cause, a warning of foundry.toml (untranslated lines), not its error."""
    repo.edit("foundry.toml", "[teams]", '[l10n]\nlanguages = ["de"]\n\n[teams]')
    repo.commit("German to come")
    good = (repo.root / "foundry.toml").read_text(encoding="utf-8")
    (repo.root / "foundry.toml").write_text(good + "[[[\n", encoding="utf-8")
    repo.edit("content/heroes/aria.yaml", "xp: 480", "xp: 490")
    repo.commit("A slip")
    (repo.root / "foundry.toml").write_text(good, encoding="utf-8")
    repo.edit("content/heroes/aria.yaml", "xp: 490", "xp: 500")
    repo.commit("Fix, and Aria gains experience")
    run = repo.foundry("history", "aria")
    assert run.code == 0, run.stderr
    newest, slip = (block.splitlines() for block in run.stdout.split("\n\n")[1:3])
    assert newest[1:] == ["    the project does not load at the commit before: what this commit changed in it is "
                          "not known"]
    # why, as check says it (it said no more than "does not load")
    assert slip[1].startswith("    the project does not load at this commit (HF0205 foundry.toml:"), slip
    assert run.stdout.rstrip().endswith("Add the Sunken Keep\n    created")
    diff = repo.foundry("diff", "HEAD~1", "HEAD")
    assert diff.code == 1
    assert "hint: first: HF0205 foundry.toml:" in diff.stdout and "HF1105" not in diff.stdout


def test_a_commit_with_more_parents_than_the_history_reads_is_left_out_and_said(repo: Repo):
    """A commit object naming any number of parents (written by hand: one of 100,000
    touching five files kept every build's history stage going past 10 minutes, a
    combined diff against each). Past MAX_PARENTS it is left out of the history, and
    the build says so once (HF0738); a merge of two parents is read as ever."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.engine.builder import build
    from pipeline.git.versions import MAX_PARENTS

    base = repo.rev("HEAD")
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 15")
    repo.git("add", "-A")
    tree = repo.git("write-tree")
    body = (f"tree {tree}\n" + f"parent {base}\n" * (MAX_PARENTS + 1)
            + "author Mallory <m@example.com> 1700000000 +0000\ncommitter M <m@example.com> 1700000000 +0000\n\n"
              "Many parents\n")
    many = repo.git("hash-object", "-t", "commit", "--literally", "-w", "--stdin", input_text=body)
    repo.git("update-ref", "refs/heads/main", many)
    repo.git("reset", "-q")
    bram = entity_history(repo.root)["content/heroes/bram.yaml"]
    assert [c.subject for c in bram.changes] == ["Add the Sunken Keep"]
    diags = Diagnostics()
    build(repo.root, diags, only=["json"])
    said = [d for d in diags.items if d.code == "HF0738"]
    assert len(said) == 1 and f"more than {MAX_PARENTS} parents ({many[:12]})" in said[0].message, said
    # and `foundry history`, which shows the commits, says it too (it did not: the
    # commit's change to bram was missing from his history without a word)
    run = repo.foundry("history", "bram")
    assert run.code == 0 and run.stdout.startswith("hero:bram (content/heroes/bram.yaml): 1 commit by Ana Writer")
    assert f"warning HF0738 1 commit with more than {MAX_PARENTS} parents ({many[:12]}) left out" in run.stderr
    data = repo.foundry("history", "bram", "--format", "json").json()
    assert [d["code"] for d in data["diagnostics"]] == ["HF0738"] and data["warnings"] == 1
    assert [s["commit"]["subject"] for s in data["steps"]] == ["Add the Sunken Keep"]


def test_a_hero_moved_where_no_hero_is_read_is_said_so_in_its_history(repo: Repo):
    """A writer sorts heroes into a folder (`git mv content/heroes/bram.yaml
    content/heroes/coast/`), where none is read (check: HF0105). `history bram` headed
    itself "None (content/heroes/coast/bram.yaml)" and called the move a deletion."""
    (repo.root / "content/heroes/coast").mkdir()
    repo.git("mv", "content/heroes/bram.yaml", "content/heroes/coast/bram.yaml")
    moved = repo.commit("Sort the heroes", BEN, "2024-02-01T09:00:00+00:00")
    run = repo.foundry("history", "bram")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[:5] == [
        "hero:bram (content/heroes/bram.yaml; now content/heroes/coast/bram.yaml, where it is not read): "
        "2 commits by Ana Writer, Ben Designer",
        "created 2024-01-10 by Ana Writer; last changed 2024-02-01 by Ben Designer", "",
        f"2024-02-01  {moved[:12]}  Ben Designer  Sort the heroes",
        "    moved to content/heroes/coast/bram.yaml, where it is not read (`foundry check` says why)"]
    assert repo.foundry("history", "bram", "--format", "json").json()["entity"] == "hero:bram"


def test_a_repository_with_no_commits_yet_has_an_empty_history_and_no_warning(tmp_path):
    """`git init` and nothing committed (or `foundry init` where git knew no name to
    commit as, which it says): the build warned HF0803 "the history cannot be read …
    (bad revision 'HEAD')" with a hint to fetch what a partial clone lacks — nothing is
    missing. No commits is an empty history: the build is quiet, and so is the history
    of a new orphan branch after a first commit."""
    from pipeline.diagnostics import Diagnostics
    from pipeline.git.versions import report_octopus

    path = tmp_path / "fresh"
    path.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env={**os.environ, **GIT_ENV})
    repo = Repo(path)
    shutil.copytree(ROOTS / "git-world", repo.root, dirs_exist_ok=True)
    build = repo.foundry("build", "--only", "json")
    assert build.code == 0 and "HF0803" not in build.stderr + build.stdout, build.stderr
    repo.commit("First draft")
    repo.git("checkout", "-q", "--orphan", "rewrite")
    said = Diagnostics()
    assert report_octopus(repo.root, "HEAD", entity_history(repo.root), said) == {} and said.items == []


def test_a_hero_moved_to_the_characters_is_said_moved_not_compared_field_by_field(repo: Repo):
    """`git mv content/heroes/bram.yaml content/characters/` (Bram made a supporting
    character): `history bram` compared the hero with the character field by field —
    "role: — → \\"\\"", "template: — → —", "xp: 0 → —", "level: — → —", changes of
    nothing. The commit is said as what it did."""
    repo.git("mv", "content/heroes/bram.yaml", "content/characters/bram.yaml")
    moved = repo.commit("Bram becomes a character", BEN, "2024-03-01T09:00:00+00:00")
    run = repo.foundry("history", "character:bram")
    assert run.code == 0, run.stderr
    assert f"{moved[:12]}  Ben Designer  Bram becomes a character\n    moved from hero:bram " \
           "(content/heroes/bram.yaml): a character from this commit on\n" in run.stdout, run.stdout
    assert "—" not in run.stdout, run.stdout


def test_a_gitfile_git_cannot_follow_is_not_read_past(tmp_path):
    """A worktree's (or submodule's) `.git` file naming a repository that was moved or
    deleted, or a copy of such a folder (a backup, a container's build context): git
    stops there ("not a git repository: <path>"), foundry looked on upward and read the
    repository around it, so `foundry history` listed that other repository's commits
    as the project's, and where there was none the build said nothing and its credits
    page "not in a git repository" (history said to `git init`, which git refuses
    there). Now it is the .git file that is said, as git cannot read."""
    outer = new_repo(tmp_path / "outer", project="world")   # the repository around it
    (outer.root / ".git").write_text(f"gitdir: {tmp_path / 'gone' / '.git' / 'worktrees' / 'world'}\n",
                                     encoding="utf-8")
    refused = subprocess.run(["git", "status"], cwd=outer.root, capture_output=True, text=True,
                             env={**os.environ, **GIT_ENV})
    assert refused.returncode != 0 and "not a git repository" in refused.stderr, refused.stderr
    run = outer.foundry("history", "aria")
    assert run.code == 2 and "Add the Sunken Keep" not in run.stdout, run.stdout + run.stderr
    assert "HF0801" in run.stderr and ".git file" in run.stderr and "git init" not in run.stderr, run.stderr
    assert "git worktree repair" in run.stderr, run.stderr
    build = outer.foundry("build", "--only", "json", "--format", "json")
    assert build.code == 0, build.stdout + build.stderr
    [said] = [d for d in build.json()["diagnostics"] if d["code"] == "HF0803"]
    assert "not a git repository" in said["message"] and "git worktree repair" in said["hint"], said


def test_a_commit_with_no_author_name_is_shown_by_its_address(repo: Repo):
    """git refuses to make a commit without an author name, but an import from another
    tool (or a crafted object) has one: `history bram` said "last changed … by " and
    left the author's column empty. Its address stands for the name, or "(no name)"."""
    repo.edit("content/heroes/bram.yaml", "name: Bram", "name: Bramwell")
    repo.git("add", "-A")
    tree, parent = repo.git("write-tree"), repo.rev("HEAD")
    for email in ("nobody@example.com", ""):
        body = (f"tree {tree}\nparent {parent}\nauthor <{email}> 1706778000 +0000\n"
                f"committer <{email}> 1706778000 +0000\n\nImported\n")
        made = repo.git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", input_text=body)
        repo.git("update-ref", "refs/heads/main", made)
        run = repo.foundry("history", "bram")
        assert run.code == 0, run.stderr
        who = f"<{email}>" if email else "(no name)"
        assert run.stdout.splitlines()[1:4] == [
            f"created 2024-01-10 by Ana Writer; last changed 2024-02-01 by {who}", "",
            f"2024-02-01  {made[:12]}  {who}  Imported"], run.stdout


def test_a_long_history_is_compared_only_for_its_newest_commits_and_the_rest_said(repo: Repo, monkeypatch):
    # each commit shown loads the project twice: a hero edited in 10,000 commits ran for
    # ~10 CPU-minutes. The cap (100) made small here so that a few commits pass it.
    from click.testing import CliRunner

    from pipeline.cli import cli
    from pipeline.commands import history

    for wits in (14, 15, 16, 17):
        repo.edit("content/heroes/aria.yaml", f"wits: {wits - 1}", f"wits: {wits}")
        repo.commit(f"Wits {wits}")
    total = len(entity_history(repo.root)["content/heroes/aria.yaml"].changes)
    monkeypatch.setattr(history, "SHOWN", 2, raising=False)
    env = {**GIT_ENV, "NO_COLOR": "1"}
    run = CliRunner().invoke(cli, ["history", "aria", "--project", str(repo.root)], env=env)
    assert run.exit_code == 0, run.output
    lines = run.output.splitlines()
    assert [line[-7:] for line in lines if "  Wits " in line] == ["Wits 17", "Wits 16"]
    assert lines[-1] == (f"{total - 2} older commits not shown (the 2 newest are): "
                         f"`foundry history aria -n {total}` shows them all")
    # the hint followed: every commit, and no such line
    every = CliRunner().invoke(cli, ["history", "aria", "--project", str(repo.root), "-n", str(total)], env=env)
    assert every.exit_code == 0 and "not shown" not in every.output
    assert sum("Wits " in line for line in every.output.splitlines()) == 4
    data = CliRunner().invoke(cli, ["history", "aria", "--project", str(repo.root), "--format", "json"], env=env)
    assert json.loads(data.output)["omitted"] == total - 2
    asked = CliRunner().invoke(cli, ["history", "aria", "--project", str(repo.root), "-n", "1", "--format", "json"],
                               env=env)
    assert json.loads(asked.output)["omitted"] == total - 1 and len(json.loads(asked.output)["steps"]) == 1
