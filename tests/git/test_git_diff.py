"""`foundry diff` on real repositories: exact output in every format, the default
sides, and every kind of bad input (never a traceback, never a change to the repo)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from git_support import ANA, BEN, GIT_ENV, Repo, new_repo
from support import ROOTS

STORY_AND_RULES = """\
hero aria — changed  content/heroes/aria.yaml
  attributes.agility: 12 → 11
  attributes.wits: 13 → 14
  relationships[brann]: — → {{"kind": "ally"}}
  relationships[bram]: {{"kind": "ally"}} → —
  defense: 16 → 15 at level 4 (moves at levels 1–5)

hero brann — renamed from bram  content/heroes/brann.yaml
  title: "" → "The Breakwater"
  attributes.strength: 14 → 15
  max_hp: 28 → 29 at level 1 (moves at levels 1–5)

quest ember-relic — removed  content/quests/ember-relic.yaml

story sunken-keep — changed  content/stories/sunken-keep.md
  quests: − ember-relic
  + scene ledge "The Ledge"
  + ending ledge
  choice "Drop into the hall" in scene wall now leads to ledge (was hall)
  + choice "Swim for the ledge" in scene hall → ledge
  + HF0504 in scene wall: scene 'wall' can never be reached: the conditions on the way never hold
  + HF0505 in scene gate: choice 'gate--wall' can never be taken: `agility >= 12` is never true when 'gate' is reached
  words: 35 → 44
  longest path: 3 → 2

Breaking changes for the JSON contract:
  hero 'bram' is now 'brann'
  quest 'ember-relic' was removed

1 hero renamed, 1 hero changed, 1 quest removed, 1 story changed; 2 breaking changes for the JSON contract.
"""


def test_text_tells_a_reviewer_what_the_pull_request_does(review: Repo):
    run = review.foundry("diff")   # defaults: merge base with main → the working tree
    assert run.code == 0, run.stderr
    base = review.rev("v1")[:12]
    assert run.stdout == f"Comparing {base} (merge base with main) → working tree\n\n" + STORY_AND_RULES.format()


def test_markdown_is_a_compact_pull_request_comment(review: Repo):
    run = review.foundry("diff", "v1", "HEAD", "--format", "markdown")
    assert run.code == 0, run.stderr
    base, head = review.rev("v1")[:12], review.rev("HEAD")[:12]
    assert run.stdout == f"""\
<!-- foundry-diff -->
### Foundry diff

**1 hero renamed, 1 hero changed, 1 quest removed, 1 story changed; 2 breaking changes for the JSON contract.**

`{base} (v1)` → `{head} (HEAD)`

**⚠️ Breaking changes for the JSON contract**

- hero 'bram' is now 'brann'
- quest 'ember-relic' was removed

<details><summary>hero <code>aria</code> — changed</summary>

`content/heroes/aria.yaml`

- `attributes.agility`: `12` → `11`
- `attributes.wits`: `13` → `14`
- `relationships[brann]`: — → `{{"kind": "ally"}}`
- `relationships[bram]`: `{{"kind": "ally"}}` → —
- `defense`: `16` → `15` at level 4 (moves at levels 1–5)

</details>

<details><summary>hero <code>brann</code> — renamed from <code>bram</code> ⚠️</summary>

`content/heroes/brann.yaml`

- `title`: `""` → `"The Breakwater"`
- `attributes.strength`: `14` → `15`
- `max_hp`: `28` → `29` at level 1 (moves at levels 1–5)

</details>

- quest `ember-relic` — removed ⚠️ (`content/quests/ember-relic.yaml`)

<details><summary>story <code>sunken-keep</code> — changed</summary>

`content/stories/sunken-keep.md`

- `quests`: − `ember-relic`
- + scene `ledge` `"The Ledge"`
- + ending `ledge`
- choice `"Drop into the hall"` in scene `wall` now leads to `ledge` (was `hall`)
- + choice `"Swim for the ledge"` in scene `hall` → `ledge`
- + HF0504 in scene `wall`: `scene 'wall' can never be reached: the conditions on the way never hold`
- + HF0505 in scene `gate`: ``choice 'gate--wall' can never be taken: `agility >= 12` is never true when 'gate' is reached``
- `words`: `35` → `44`
- `longest path`: `3` → `2`

</details>

"""


def test_json_is_the_same_report_for_scripts(review: Repo):
    run = review.foundry("diff", "v1", "feature", "--format", "json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert data["base"] == {"label": "v1", "commit": review.rev("v1"), "loaded": True, "errors": 0, "warnings": 0}
    assert data["head"]["label"] == "feature" and data["head"]["errors"] == 1   # the unreachable scene
    assert data["counts"] == {"hero": {"changed": 1, "renamed": 1}, "quest": {"removed": 1}, "story": {"changed": 1}}
    assert data["breaking"] == [{"kind": "hero", "id": "brann", "message": "hero 'bram' is now 'brann'"},
                                {"kind": "quest", "id": "ember-relic", "message": "quest 'ember-relic' was removed"}]
    entities = {e["id"]: e for e in data["entities"]}
    assert entities["brann"]["old_id"] == "bram" and entities["brann"]["old_path"] == "content/heroes/bram.yaml"
    defense = [c for c in entities["aria"]["changes"] if c["subject"] == "defense"]
    assert defense == [{"section": "derived", "subject": "defense", "change": "changed", "old": 16, "new": 15,
                        "scene": None, "note": "at level 4 (moves at levels 1–5)"}]
    story = [(c["section"], c["change"], c["subject"]) for c in entities["sunken-keep"]["changes"]]
    assert ("ending", "gained", "ledge") in story and ("finding", "appeared", "HF0504") in story
    assert ("choice", "retargeted", "Drop into the hall") in story


def test_explicit_base_compares_with_its_tip_not_the_merge_base(review: Repo):
    run = review.foundry("diff", "main", "feature")
    assert run.code == 0
    assert "character tomas — changed  content/characters/tomas.yaml\n" \
           '  title: "The Last Ferryman" → ""\n' in run.stdout   # main's own later commit, seen from feature


def test_fail_on_breaking(review: Repo):
    assert review.foundry("diff", "v1", "HEAD", "--fail-on-breaking", "--format", "json").code == 1


def test_fail_on_new_errors_lets_a_pull_request_be_refused_for_what_it_broke(repo: Repo):
    """Renaming a character other files name breaks them, in files the pull request
    never touched: told as "New errors at the head", exit 0 (the diff describes). A
    project whose base already has errors cannot gate on `foundry check`; it may on
    `--fail-on-new-errors`, which had no flag to ask for it."""
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 15")
    assert repo.foundry("diff", "HEAD", "--fail-on-new-errors").code == 0   # changes, none an error
    repo.git("mv", "content/characters/tomas.yaml", "content/characters/tomas-vane.yaml")
    told = repo.foundry("diff", "HEAD", "--format", "json")
    assert told.code == 0 and told.json()["new_errors"], told.stdout
    refused = repo.foundry("diff", "HEAD", "--fail-on-new-errors", "--format", "json")
    assert refused.code == 1 and refused.json()["new_errors"] == told.json()["new_errors"]


def test_an_error_said_once_more_in_the_same_words_is_new(repo: Repo):
    """A base with one choice 'Continue' to the unknown scene 'nowhere'; the pull request
    adds a second, in another scene: the head's errors were compared with the base's as
    a set, the two in the same words one, and `--fail-on-new-errors` passed it (exit 0,
    no new error told). Counted now."""
    story = "content/stories/sunken-keep.md"
    repo.edit(story, "- [Take the relic](#relic)", "- [Continue](#nowhere)\n- [Take the relic](#relic)")
    repo.commit("A way on, not written yet")
    repo.edit(story, "- [Drop into the hall](#hall)", "- [Continue](#nowhere)\n- [Drop into the hall](#hall)")
    check = repo.foundry("check", "--format", "json")
    assert [d["code"] for d in check.json()["diagnostics"]].count("HF0304") == 2, check.stdout
    refused = repo.foundry("diff", "HEAD", "--fail-on-new-errors", "--format", "json")
    assert refused.code == 1, refused.stdout
    assert refused.json()["new_errors"] == [{"code": "HF0304", "file": story,
                                             "message": "choice 'Continue' leads to unknown scene 'nowhere'"}]


def test_uncommitted_changes_are_the_head_side_and_it_says_so(repo: Repo):
    repo.edit("content/heroes/aria.yaml", "xp: 480", "xp: 700")
    repo.write("content/characters/wen.yaml", "name: Wen\nstatus: draft\n")
    before = repo.state()
    run = repo.foundry("diff", "HEAD")
    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[:2] == [
        f"Comparing {repo.rev('HEAD')[:12]} (HEAD) → working tree",
        "note: the head side is the working tree, including uncommitted changes to 2 files "
        "(content/characters/wen.yaml, content/heroes/aria.yaml); name HEAD as the second revision to compare "
        "commits only"]
    assert "character wen — added  content/characters/wen.yaml" in run.stdout
    assert "  level: 4 → 5\n" in run.stdout and "  max_hp: 42 → 46 at level 5 (moves at level" not in run.stdout
    assert repo.state() == before


def test_a_detached_head_compares_with_the_default_branch_of_origin(review: Repo, tmp_path):
    clone = Repo(tmp_path / "clone")
    subprocess.run(["git", "clone", "-q", str(review.path), str(clone.path)], check=True, env={**os.environ, **GIT_ENV})
    clone.git("remote", "set-head", "origin", "main")
    clone.git("checkout", "-q", "--detach", "origin/feature~2")
    run = clone.foundry("diff")
    assert run.code == 0, run.stderr
    assert run.stdout.startswith(f"Comparing {review.rev('v1')[:12]} (merge base with origin/main) → working tree\n")
    assert "hero aria — changed" in run.stdout and "brann" not in run.stdout


def test_unknown_revision_is_a_usage_error_with_a_suggestion(review: Repo):
    run = review.foundry("diff", "mian")
    assert run.code == 2 and run.stdout == ""
    # placed at the argument that named it, as a bad command-line value is: '.git' sent
    # the writer to look in the repository for what was mistyped on the command line
    assert run.stderr.startswith("BASE: error HF0801 'mian' is not a commit, branch or tag of this repository")
    assert "Did you mean 'main'?" in run.stderr
    # an argument is no file: JSON says which argument and claims no file (`"file": "HEAD"`
    # read as a file named HEAD to a script); a GitHub annotation names no file either
    run = review.foundry("diff", "main", "featrue", "--format", "json")
    assert run.code == 2 and [(d["file"], d.get("argument"), d["code"]) for d in run.json()["diagnostics"]] \
        == [(None, "HEAD", "HF0801")]
    assert "Traceback" not in run.stderr
    run = review.foundry("check", "--ref", "mian", "--format", "json")
    assert run.code == 2 and [(d["file"], d.get("argument"), d["code"]) for d in run.json()["diagnostics"]] \
        == [(None, "--ref", "HF0801")], run.stdout
    run = review.foundry("check", "--ref", "mian", "--format", "github")
    assert run.code == 2 and run.stdout.startswith("::error title=HF0801 git revision not available::--ref: 'mian' "), \
        run.stdout
    assert "file=" not in run.stdout


def test_a_shallow_clone_says_what_to_fetch(review: Repo, tmp_path):
    shallow = Repo(tmp_path / "shallow")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{review.path}", str(shallow.path)], check=True,
                   env={**os.environ, **GIT_ENV})
    run = shallow.foundry("diff", review.rev("v1"))
    assert run.code == 2
    assert "git fetch --unshallow" in run.stderr and "fetch-depth: 0" in run.stderr
    same = shallow.foundry("diff")   # origin/HEAD is feature itself: nothing to compare, still fine
    assert same.code == 0 and same.stdout.endswith("No changes to the content.\n")


def test_a_shallow_clone_of_one_branch_is_told_a_fetch_that_brings_the_base(review: Repo, tmp_path):
    """A clone as CI makes it (`--depth 1`: one branch). `foundry diff origin/main` was
    told `git fetch --unshallow` (which fetches only the cloned branch: origin/main still
    missing) "or `git fetch origin origin/main`" (no such remote ref). The hint's command
    is run here, and the diff then works."""
    for rev in ("origin/main", "main"):
        shallow = Repo(tmp_path / rev.replace("/", "-"))
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{review.path}", str(shallow.path)],
                       check=True, env={**os.environ, **GIT_ENV})
        run = shallow.foundry("diff", rev, "HEAD")
        assert run.code == 2, run.stdout
        found = re.search(r"Run `(git fetch [^`]*)`", run.stderr)
        assert found, run.stderr
        command = found.group(1)
        shallow.git(*command.split()[1:])
        run = shallow.foundry("diff", rev, "HEAD")
        assert run.code == 0 and "Tomas gets a title" not in run.stdout and "character tomas" in run.stdout, run.stderr


def test_a_partial_clone_says_the_revisions_files_are_not_there_and_what_to_fetch(repo: Repo, tmp_path):
    """A blobless clone (`git clone --filter=blob:none`, actions/checkout's `filter:`)
    holds the files of the checked-out commit only; foundry lets git fetch nothing. git
    stopped part-way through listing the base, and the base was built from the few files
    listed: "foundry.toml … does not exist", 12 errors, and `build --ref v1` failed on
    them. Now HF0801 says the revision's files are not there, and the hint's command
    (run here) fetches them."""
    repo.git("tag", "v1")
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 15")
    repo.commit("Stronger Bram")
    repo.git("mv", "content/heroes/bram.yaml", "content/heroes/brann.yaml")
    repo.edit("content/heroes/brann.yaml", "strength: 15", "strength: 16")   # not the same bytes: compared
    repo.commit("Bram becomes Brann")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(origin)], check=True,
                   env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "-C", str(origin), "config", "uploadpack.allowFilter", "true"], check=True,
                   env={**os.environ, **GIT_ENV})
    partial = Repo(tmp_path / "partial")
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", "--no-local", f"file://{origin}", str(partial.path)],
                   check=True, env={**os.environ, **GIT_ENV})
    run = partial.foundry("check", "--ref", "v1", "--format", "json")
    assert run.code == 2, run.stderr
    [said] = run.json()["diagnostics"]
    assert said["code"] == "HF0801" and said["argument"] == "--ref", said
    assert said["message"].startswith("the files of the revision v1 cannot be read from this repository (")
    assert "This is a partial clone" in said["hint"], said
    found = re.search(r"`(git -c [^`]*)`", said["hint"])
    diff = partial.foundry("diff", "v1", "HEAD")   # a revision not available, as for a shallow clone's
    assert diff.code == 2 and "HF0801" in diff.stdout and "does not exist" not in diff.stdout, diff.stdout
    # the history: following a rename compares the files' bytes (`git log -M`), which git
    # could not fetch, and the whole history was empty (`history aria`: "no entity")
    history = partial.foundry("history", "aria", "--format", "json")
    assert history.code == 0, history.stderr
    assert [d["code"] for d in history.json()["diagnostics"]] == ["HF0739"]
    assert [s["commit"]["subject"] for s in history.json()["steps"]] == ["Add the Sunken Keep"]
    partial.git(*found.group(1).split()[1:])
    diff = partial.foundry("diff", "v1", "HEAD")
    assert "hero brann — renamed from bram" in diff.stdout and "attributes.strength: 14 → 16" in diff.stdout, diff.stdout
    assert partial.foundry("history", "aria", "--format", "json").json()["diagnostics"] == []


def test_a_treeless_clone_says_the_history_cannot_be_read(repo: Repo, tmp_path):
    """A treeless clone (`git clone --filter=tree:0`, actions/checkout's `filter: tree:0`)
    lacks the older commits' folders too: read without renames, git's log stopped at the
    first as well, and `foundry history bram` said "not committed yet", the credits page
    empty, without a word. HF0803 says the history cannot be read, with the fetch hint."""
    repo.edit("content/heroes/bram.yaml", "strength: 14", "strength: 15")
    repo.commit("Stronger Bram")
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(origin)], check=True,
                   env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "-C", str(origin), "config", "uploadpack.allowFilter", "true"], check=True,
                   env={**os.environ, **GIT_ENV})
    partial = Repo(tmp_path / "partial")
    subprocess.run(["git", "clone", "-q", "--filter=tree:0", "--no-local", f"file://{origin}", str(partial.path)],
                   check=True, env={**os.environ, **GIT_ENV})
    history = partial.foundry("history", "bram", "--format", "json")
    assert history.code == 0, history.stderr
    [said] = history.json()["diagnostics"]
    assert said["code"] == "HF0803" and "This is a partial clone" in said["hint"], said
    assert history.json()["steps"] == []   # not the part git printed before it stopped
    assert history.json()["complete"] is False
    # nor is the entity "not committed yet" (the heading said so beside HF0803)
    text = partial.foundry("history", "bram")
    assert text.code == 0 and text.stdout.startswith(
        "hero:bram (content/heroes/bram.yaml): its commits cannot be read in this clone (HF0803 below)\n"), text.stdout
    assert "not committed" not in text.stdout and "HF0803" in text.stderr


def test_a_revision_whose_content_does_not_load_is_reported(repo: Repo):
    repo.write("foundry.toml", "[project\ntitle = 'broken'\n")
    broken = repo.commit("Break the configuration", ANA, "2024-03-01T09:00:00+00:00")
    run = repo.foundry("diff", "HEAD~1", "HEAD", "--format", "json")
    assert run.code == 1 and "Traceback" not in run.stderr
    data = run.json()
    assert data["head"] == {"label": "HEAD", "commit": broken, "loaded": False, "errors": 1, "warnings": 0}
    assert data["entities"] == []
    [problem] = data["problems"]
    assert problem["code"] == "HF0802"
    assert problem["message"] == f"the content does not load at {broken[:12]} (HEAD): 1 error"
    assert problem["hint"].startswith("first: HF0205 foundry.toml:1:")
    text = repo.foundry("diff", "HEAD~1", "HEAD")
    assert text.code == 1 and f"Not compared: the head side ({broken[:12]} (HEAD)) does not load." in text.stdout
    # the command the hint names lists them, typed as it is (it said `foundry check --ref`,
    # a usage error, of the working tree too)
    command = problem["hint"].rsplit("; `", 1)[1]
    assert command == f"foundry check --ref {broken[:12]}` lists them all.", problem["hint"]
    listed = repo.foundry(*command.split("`")[0].split()[1:], "--format", "json")
    assert listed.code == 1 and [d["code"] for d in listed.json()["diagnostics"]] == ["HF0205"], listed.stdout
    tree = repo.foundry("diff", "HEAD~1", "--format", "json")
    assert tree.json()["problems"][0]["hint"].endswith("; `foundry check` lists them all."), tree.stdout


def test_a_file_that_does_not_load_is_not_called_removed(repo: Repo):
    repo.write("content/heroes/bram.yaml", "name: [Bram\n")
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert run.code == 1
    [entity] = run.json()["entities"]
    assert (entity["kind"], entity["id"], entity["status"], entity["errors"]) == ("hero", "bram", "unloadable", 1)
    assert run.json()["breaking"] == []


def test_what_reads_a_file_that_does_not_load_is_not_called_changed(repo: Repo, tmp_path):
    """The protagonist's file in error (`xp` past 2^53) made the story 'changed: paths to
    an ending' (its analysis reads the hero's agility), and the ranger template in error
    made aria 'changed: wits (effective value)': besides the one file that does not load."""
    repo.edit("content/heroes/aria.yaml", "xp: 480", "xp: 99999999999999999999999")
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert [(e["kind"], e["id"], e["status"]) for e in run.json()["entities"]] == [("hero", "aria", "unloadable")]
    repo.git("checkout", "--", ".")
    repo.write("content/templates/heroes/ranger.yaml", "name: [Ranger\n")
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert [(e["kind"], e["id"], e["status"]) for e in run.json()["entities"]] == [("template", "ranger", "unloadable")]
    repo.git("checkout", "--", ".")
    # the heroes' whole folder linked out of the project (HF0120 at the link): each hero
    # is unknown at the head, and the story was "changed: paths to an ending" beside them
    heroes = repo.root / "content/heroes"
    shutil.move(heroes, tmp_path / "heroes")
    os.symlink(tmp_path / "heroes", heroes)
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert {e["kind"] for e in run.json()["entities"]} == {"hero"}, run.stdout
    assert {e["status"] for e in run.json()["entities"]} == {"unloadable"}, run.stdout
    # and the link committed, then replaced by the folder itself (as HF0120's hint asks):
    # each hero loads again, not "added" (as a file whose own error was fixed)
    repo.commit("Keep the heroes elsewhere", ANA, "2024-03-01T09:00:00+00:00")
    os.unlink(heroes)
    shutil.move(tmp_path / "heroes", heroes)
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert {(e["kind"], e["status"]) for e in run.json()["entities"]} == {("hero", "fixed")}, run.stdout


def test_a_rule_file_that_does_not_load_is_not_its_rules_removed(repo: Repo, tmp_path):
    """A skills.yaml with a syntax error, or a schemas/ linked out of the project
    (refused, HF0120): the rule book could not read it, and the diff said every skill
    (every attribute, kind…) "was removed from the rules", a breaking change each, the
    review comment telling a team their engines would break. It is the rule file (or
    the linked folder) that does not load, said once; nothing it defines is called
    removed; what other rule files change is still shown."""
    repo.write("schemas/skills.yaml", "skills: [unclosed\n")
    repo.edit("schemas/progression.yaml", "max_level: 5", "max_level: 6")
    run = repo.foundry("diff", "HEAD", "--format", "json")
    assert run.code == 1, run.stderr
    data = run.json()
    rules = {e["id"]: e for e in data["entities"] if e["kind"] == "rules"}
    assert (rules["skills.yaml"]["status"], rules["skills.yaml"]["path"]) == ("unloadable", "schemas/skills.yaml")
    assert [c["subject"] for c in rules["rules"]["changes"]] == ["max_level"]
    assert data["breaking"] == []
    repo.git("checkout", "--", "schemas")

    outside = tmp_path / "elsewhere"
    shutil.copytree(repo.root / "schemas", outside)
    shutil.rmtree(repo.root / "schemas")
    os.symlink(outside, repo.root / "schemas")
    repo.commit("Keep the rules elsewhere", ANA, "2024-03-01T09:00:00+00:00")
    run = repo.foundry("diff", "HEAD~1", "HEAD", "--format", "json")
    assert run.code == 1, run.stderr
    data = run.json()
    assert [(e["id"], e["status"]) for e in data["entities"] if e["kind"] == "rules"] == [("schemas", "unloadable")]
    assert data["breaking"] == []
    text = repo.foundry("diff", "HEAD~1", "HEAD")
    assert "rules schemas — does not load at the head (1 error; run foundry check)" in text.stdout, text.stdout
    assert "was removed from the rules" not in text.stdout


def test_a_repository_with_no_commits_says_to_commit_first(tmp_path):
    # `git init` and no commit yet: "'HEAD' is not a commit, branch or tag" (and a hint to
    # list branches) sent the writer looking for a branch; the way on is a first commit
    path = tmp_path / "fresh"
    path.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env={**os.environ, **GIT_ENV})
    repo = Repo(path)
    shutil.copytree(ROOTS / "git-world", repo.root, dirs_exist_ok=True)
    for args in (("diff",), ("build", "--ref", "HEAD")):
        run = repo.foundry(*args)
        assert run.code == 2, run.stderr
        assert "error HF0801 this repository has no commits yet" in run.stderr
        assert "Commit the project first" in run.stderr and "git branch -a" not in run.stderr
        assert "Traceback" not in run.stderr
    repo.commit("First draft")
    repo.git("checkout", "-q", "--orphan", "rewrite")
    run = repo.foundry("diff", "main")
    assert run.code == 2 and "the branch 'rewrite' has no commits yet" in run.stderr


def test_an_unloadable_entitys_error_is_a_code_span_in_a_pull_request_comment():
    """The first error of a file that does not load quotes what the pull request wrote
    (a file name, a value): in the Markdown comment it is a code span, as every value
    from the content is, so it can neither format the comment nor @-mention anyone."""
    from pipeline.diff.model import EntityDiff
    from pipeline.diff.render import code_span, headline
    why = "HF0101 content/heroes/x.yaml: @everyone **look** [here](https://e.org)"
    said = headline(EntityDiff("hero", "x", "content/heroes/x.yaml", "unloadable", errors=1, why=why), code_span)
    assert said == f"hero `x` — does not load at the head: `{why}`"


def test_an_unloadable_entitys_error_reads_as_check_wrote_it_in_the_comment(repo: Repo):
    """Its quotes, `&` and `<` were HTML-escaped inside the code span (twice, then
    unescaped once), and a code span shows what it holds: the pull-request comment read
    `HF0203 &#x27;name&#x27; …` for every such message. Read back by a Markdown parser,
    the code span holds the message `foundry diff --format json` gives."""
    from markdown_it import MarkdownIt
    repo.write("content/heroes/bram.yaml", "title: Bram & <co>\n")
    why = repo.foundry("diff", "HEAD", "--format", "json").json()["entities"][0]["why"]
    assert "'" in why, why
    run = repo.foundry("diff", "HEAD", "--format", "markdown")
    assert run.code == 1, run.stderr
    spans = [child.content for token in MarkdownIt().parse(run.stdout) if token.type == "inline"
             for child in token.children if child.type == "code_inline"]
    assert why in spans, (why, spans)
    assert "&#x27;" not in run.stdout and "&amp;" not in run.stdout


def test_a_change_to_the_markup_of_a_name_title_or_choice_alone_is_a_change(repo: Repo):
    # the snapshot compared names, titles and choices as plain text: a name's *emphasis*
    # made **strong** (every page's <em> now <strong>) was "No changes to the content"
    repo.edit("content/heroes/aria.yaml", "name: Aria Vell", "name: Aria *Vell*")
    story = "content/stories/sunken-keep.md"
    repo.edit(story, "## The Drowned Gate {#gate}", "## The *Drowned* Gate {#gate}")
    repo.edit(story, "- [Wade into the flooded hall](#hall)", "- [Wade into the *flooded* hall](#hall)")
    repo.commit("Emphasis")
    repo.edit("content/heroes/aria.yaml", "name: Aria *Vell*", "name: Aria **Vell**")
    repo.edit(story, "## The *Drowned* Gate {#gate}", "## The `Drowned` Gate {#gate}")
    repo.edit(story, "- [Wade into the *flooded* hall](#hall)", "- [Wade into the _flooded_ hall](#hall)")
    run = repo.foundry("diff", "HEAD")
    assert run.code == 0, run.stderr
    assert '  name: "Aria *Vell*" → "Aria **Vell**"\n' in run.stdout, run.stdout
    assert '  scene gate title: "The *Drowned* Gate" → "The `Drowned` Gate"\n' in run.stdout, run.stdout
    assert '"Wade into the *flooded* hall" → "Wade into the _flooded_ hall"' in run.stdout, run.stdout
    assert "1 hero changed, 1 story changed." in run.stdout, run.stdout


def test_in_a_github_pull_request_run_the_base_is_the_branch_it_goes_into(repo: Repo, tmp_path):
    """GitHub Actions checks a pull request out as a detached merge commit, and names the
    branch it goes into in GITHUB_BASE_REF. `foundry diff` with no base compared a pull
    request into `develop` with main: develop's own commits (Tomas's title) were shown as
    the pull request's. Now the merge base with origin/develop; in a depth-1 checkout
    (actions/checkout's default), HF0801 names develop, and the hint's command fetches it."""
    repo.git("checkout", "-q", "-b", "develop")
    repo.edit("content/characters/tomas.yaml", "role: Ferryman\n", "role: Ferryman\ntitle: The Last Ferryman\n")
    repo.commit("Tomas gets a title")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("content/heroes/aria.yaml", "agility: 12", "agility: 13")
    repo.commit("Aria is faster", BEN)
    repo.git("checkout", "-q", "--detach", "develop")
    repo.git("merge", "-q", "--no-ff", "feature", "-m", "Merge pull request 1",
             env={"GIT_AUTHOR_NAME": "GitHub", "GIT_AUTHOR_EMAIL": "noreply@github.com"})
    repo.git("update-ref", "refs/pull/1/merge", "HEAD")
    repo.git("checkout", "-q", "main")
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": "develop"}
    for depth in ([], ["--depth=1"]):
        # what actions/checkout does: init, fetch (every branch with fetch-depth: 0), detached checkout
        work = Repo(tmp_path / f"checkout{len(depth)}")
        work.path.mkdir()
        work.git("init", "-q")
        work.git("remote", "add", "origin", f"file://{repo.path}")
        if not depth:
            work.git("fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*")
        work.git("fetch", "-q", *depth, "origin", "+refs/pull/1/merge:refs/remotes/pull/1/merge")
        work.git("checkout", "-q", "--force", "refs/remotes/pull/1/merge")
        run = work.foundry("diff", "--format", "json", env=actions)
        if depth:
            assert run.code == 2, run.stdout
            [said] = run.json()["diagnostics"]
            assert said["message"] == ("the pull request's base branch 'develop' (GITHUB_BASE_REF) is not in this "
                                       "clone as origin/develop"), said
            command = re.search(r"Run `(git fetch [^`]*)`", said["hint"]).group(1)
            work.git(*command.split()[1:])
            run = work.foundry("diff", "--format", "json", env=actions)
        assert run.code == 0, run.stderr
        assert run.json()["base"]["label"] == "merge base with origin/develop"
        assert [e["id"] for e in run.json()["entities"]] == ["aria"], run.stdout
        if not depth:   # outside Actions, as before: the default branch
            elsewhere = work.foundry("diff", "--format", "json", env={"GITHUB_ACTIONS": "", "GITHUB_BASE_REF": ""})
            assert elsewhere.json()["base"]["label"] == "merge base with origin/main", elsewhere.stdout


@pytest.mark.parametrize("base", ["développement", "release+2"])
def test_a_pull_request_into_a_branch_of_any_name_git_takes_is_compared_with_it(repo: Repo, tmp_path, base):
    """GITHUB_BASE_REF was taken only of [A-Za-z0-9._/-]: a pull request into
    `développement` or `release+2` (names git takes) was compared with main, the base
    branch's own commits shown as the pull request's, as before the variable was read."""
    repo.git("checkout", "-q", "-b", base)
    repo.edit("content/characters/tomas.yaml", "role: Ferryman\n", "role: Ferryman\ntitle: The Last Ferryman\n")
    repo.commit("Tomas gets a title")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("content/heroes/aria.yaml", "agility: 12", "agility: 13")
    repo.commit("Aria is faster", BEN)
    repo.git("checkout", "-q", "main")
    work = Repo(tmp_path / "checkout")
    repo.git("clone", "-q", f"file://{repo.path}", str(work.path))
    work.git("checkout", "-q", "--detach", "origin/feature")
    run = work.foundry("diff", "--format", "json", env={"GITHUB_ACTIONS": "true", "GITHUB_BASE_REF": base})
    assert run.code == 0 and run.json()["base"]["label"] == f"merge base with origin/{base}", run.stdout
    assert [e["id"] for e in run.json()["entities"]] == ["aria"], run.stdout


def test_a_range_is_read_as_git_diff_reads_it(review: Repo):
    """`foundry diff main...feature` (GitHub's compare view, `git diff`'s three dots) and
    `main..feature` were "not a commit, branch or tag", with a hint to list the branches,
    both of which exist. Three dots: the merge base → feature (what the pull request
    changes, without main's own Tomas title); two dots: main's tip → feature."""
    def entities(*args):
        run = review.foundry("diff", *args, "--format", "json")
        assert run.code == 0, run.stdout + run.stderr
        return run.json()["base"]["commit"], run.json()["head"]["commit"], run.json()["entities"]

    three = entities("main...feature")
    assert three == entities("v1", "feature") and "tomas" not in [e["id"] for e in three[2]]
    two = entities("main..feature")
    assert two == entities("main", "feature") and "tomas" in [e["id"] for e in two[2]]
    missing = review.foundry("diff", "main...nope")
    assert missing.code == 2 and "'nope' is not a commit, branch or tag" in missing.stdout + missing.stderr
    # a range and a head besides: said as such (it was "not a commit, branch or tag", with a hint to
    # list the branches, both there); the hint's first way, followed, is the two-dot diff above
    both = review.foundry("diff", "main..feature", "HEAD", "--format", "json")
    [said] = both.json()["diagnostics"]
    assert both.code == 2 and said["argument"] == "BASE" and "is a range" in said["message"], said
    command = re.search(r"`foundry diff ([^`]*)`", said["hint"]).group(1).split()
    assert entities(*command) == two
    # --ref takes one revision: a range there (copied from a compare view) is said as one, and the
    # hint names its sides (it was "not a commit, branch or tag", "Did you mean 'feature'?")
    checked = review.foundry("check", "--ref", "main...feature", "--format", "json")
    [said] = checked.json()["diagnostics"]
    assert checked.code == 2 and said["message"] == "'main...feature' is a range of revisions; one revision is " \
        "wanted here" and said["hint"] == "Name one: `main` or `feature`.", said
    assert "HF0801" not in review.foundry("check", "--ref", "feature").stdout


def test_a_long_value_is_clipped_between_the_characters_a_reader_sees(tmp_path):
    """`foundry diff` clips a value past 80 characters (a relationship removed, with
    its note): cut between code points, a Devanagari note ended on a consonant and its
    dangling virama (`क्षत्…`). Cut between whole characters now, as every message's
    clip (graphemes.py)."""
    import unicodedata
    from git_support import new_repo
    repo = new_repo(tmp_path / "r")
    note = "ab " + " ".join(["क्षत्रिय"] * 10)
    repo.edit("content/heroes/aria.yaml", "{with: bram, kind: ally}", f"{{with: bram, kind: ally, note: {note}}}")
    repo.commit("A note")
    repo.edit("content/heroes/aria.yaml", f"  - {{with: bram, kind: ally, note: {note}}}\n", "")
    run = repo.foundry("diff", "HEAD")
    assert run.code == 0, run.stderr
    line = next(line for line in run.stdout.splitlines() if line.strip().startswith("relationships[bram]:"))
    shown = line.split('"note": "', 1)[1].split(" → ")[0]
    assert shown.endswith("…"), line
    kept = shown[:-1]
    assert note.startswith(kept) and len(kept) > 20, line
    after = note[len(kept)]
    assert not unicodedata.category(after).startswith("M") and unicodedata.combining(kept[-1]) != 9, (kept[-3:], after)


def test_countless_new_errors_of_one_kind_in_one_file_are_said_as_check_says_them(repo: Repo):
    """A head whose one hero has 150 unknown attributes: `foundry check` says 100 and
    one "and 50 more" line (diagnostics.said); `foundry diff` listed every one as a new
    error (a 1.8 MB file of 150,000 was 50 MB of JSON). Now the same 101, the count of
    all beside them (JSON `new_error_count`, the summary)."""
    from pipeline.diagnostics import SAID_PER_FILE
    hero = "content/heroes/aria.yaml"
    many = SAID_PER_FILE + 50
    repo.edit(hero, "attributes: {strength: 10, agility: 12, wits: 13}",
              "attributes:\n" + "".join(f"  k{i:03}: 1\n" for i in range(many)))
    rest = f"and 50 more like the {SAID_PER_FILE} above in this file, from here on"
    told = repo.foundry("diff", "HEAD", "--format", "json").json()
    assert told["new_error_count"] == many and f"; {many} new errors" in told["summary"]
    listed = told["new_errors"]
    assert len(listed) == SAID_PER_FILE + 1
    assert listed[0] == {"code": "HF0309", "file": hero, "message": "unknown attribute 'k000'"}
    assert listed[-1] == {"code": "HF0309", "file": hero, "message": rest}
    text = repo.foundry("diff", "HEAD").stdout
    said = [line for line in text.splitlines() if line.startswith(f"  HF0309 {hero}: ")]
    assert len(said) == SAID_PER_FILE + 1 and said[-1].endswith(rest) and f"New errors at the head ({many};" in text
    assert repo.foundry("diff", "HEAD", "--fail-on-new-errors").code == 1


def test_a_sparse_checkout_is_said_and_its_files_left_out_are_not_uncommitted(tmp_path):
    """A writer in a sparse checkout (`git sparse-checkout`, the stories left out; `git
    status` clean): `foundry diff HEAD` said "uncommitted changes to 1 file" and the
    story removed, with a breaking change, and nothing of why. The files git leaves out
    are not uncommitted; the note says what the head side lacks and how to compare
    commits (followed: no changes)."""
    repo = new_repo(tmp_path / "world")
    repo.git("sparse-checkout", "set", "--no-cone", "/*", "!/content/stories/")
    assert not (repo.root / "content/stories").exists() and repo.git("status", "--porcelain") == ""
    run = repo.foundry("diff", "HEAD", "--format", "json")
    notes = run.json()["notes"]
    assert not any("uncommitted" in note for note in notes), notes
    assert any(note.startswith("this is a sparse checkout: 1 committed file of the project is not in the working "
                               "tree (content/stories/sunken-keep.md)") for note in notes), notes
    followed = repo.foundry("diff", "HEAD", "HEAD")
    assert followed.code == 0 and "No changes to the content." in followed.stdout


def test_a_repository_whose_default_branch_is_neither_main_nor_master_is_told_its_branches(tmp_path):
    """A team whose default branch is `trunk`, no remote: `foundry diff` on a feature branch
    was HF0801 with "Name the base revision: `foundry diff BASE`, or fetch the default
    branch first" (it has it). The hint names the branches there are (followed: it works);
    a remote whose HEAD git never recorded is told `git remote set-head origin --auto`."""
    repo = new_repo(tmp_path / "world")
    repo.git("branch", "-m", "main", "trunk")
    repo.git("checkout", "-q", "-b", "feature")
    repo.edit("content/heroes/aria.yaml", "wits: 13", "wits: 14")
    repo.commit("Wiser", BEN)
    run = repo.foundry("diff", "--format", "json")
    assert run.code == 2
    hint = run.json()["diagnostics"][0]["hint"]
    assert hint == "Name the branch this one goes into: `foundry diff trunk` (branches here: trunk).", hint
    followed = repo.foundry("diff", "trunk")
    assert followed.code == 0 and "wits: 13 → 14" in followed.stdout, followed.stdout
    repo.git("remote", "add", "origin", str(repo.path))
    repo.git("fetch", "-q", "origin", "trunk:refs/remotes/origin/trunk")
    hint = repo.foundry("diff", "--format", "json").json()["diagnostics"][0]["hint"]
    assert hint.startswith("Record the remote's default branch with `git remote set-head origin --auto`, or name "
                           "the branch this one goes into: `foundry diff trunk`"), hint
