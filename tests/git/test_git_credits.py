"""The credits page and the content version in the site's footer, from real history."""

from __future__ import annotations

import pytest

from lxml import html

from git_support import ANA, BEN


def page(repo, rel: str):
    return html.parse(str(repo.root / "build/site" / rel))


def footer_version(repo, rel: str) -> str:
    return page(repo, rel).xpath("//footer//code/@title")[0]


def credits_rows(repo) -> dict[str, list[str]]:
    rows = {}
    for tr in page(repo, "credits.html").xpath("//table[@class='credits']/tbody/tr"):
        name = tr.xpath("string(th)").strip()
        rows[name] = [td.text_content().strip() for td in tr.xpath("td")]
    return rows


def test_credits_name_each_author_and_footers_name_the_commit_that_changed_the_page(repo):
    first = repo.rev("HEAD")
    text = (repo.root / "content/heroes/aria.yaml").read_text()
    repo.write("content/heroes/aria.yaml", text + "\n# Ben's note\n")
    second = repo.commit("Ben annotates Aria", author=BEN, date="2024-02-01T10:00:00+00:00")
    run = repo.foundry("build", "--only", "html")
    assert run.code == 0, run.stderr

    rows = credits_rows(repo)
    aria = next(v for k, v in rows.items() if k.startswith("Aria"))
    assert aria[0] == "Ana Writer, Ben Designer"
    assert aria[1] == "2024-01-10" and aria[2].startswith("2024-02-01") and aria[3] == "2"
    assert footer_version(repo, "heroes/aria.html") == f"{second} (2024-02-01)"
    assert footer_version(repo, "heroes/bram.html") == f"{first} (2024-01-10)"

    # A commit that changes no content moves HEAD but re-renders no page: each page
    # shows the commit that last changed what it shows, not HEAD.
    repo.write("NOTES.md", "Planning notes, not content.\n")
    repo.commit("Notes", author=ANA, date="2024-03-01T10:00:00+00:00")
    rebuilt = repo.foundry("build", "--only", "html", "--format", "json").json()["build"]["written"]
    assert rebuilt == []
    assert footer_version(repo, "heroes/aria.html") == f"{second} (2024-02-01)"


def test_outside_git_the_credits_page_says_so(project_factory):
    from support import foundry
    root = project_factory()
    assert foundry("build", "--only", "html", "--project", str(root)).code == 0
    lede = html.parse(str(root / "build/site/credits.html")).xpath("string(//p[@class='lede'])")
    assert "not in a git repository" in lede


def ledes(repo) -> str:
    return " ".join(page(repo, "credits.html").xpath("//p[@class='lede']/text()"))


def test_a_shallow_clone_does_not_credit_its_edge_commit_with_every_file(repo, tmp_path):
    """A depth-1 clone (actions/checkout's default) shows every file as added by its one
    commit: the credits page named only that commit's author, with that day as every
    entity's creation, and `foundry history` said "created … by" them. Now the build
    warns once (HF0737), credits show no creation date and history says where it stops;
    the credits page says it was built from a shallow clone whose edge commit's author
    may be named for what they did not write (a depth-1 clone cannot tell)."""
    import os
    import subprocess

    from git_support import GIT_ENV, Repo
    text = (repo.root / "content/heroes/aria.yaml").read_text()
    repo.write("content/heroes/aria.yaml", text + "\n# Ben's note\n")
    repo.commit("Ben annotates Aria", author=BEN, date="2024-02-01T10:00:00+00:00")
    shallow = Repo(tmp_path / "shallow")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(shallow.path)], check=True,
                   env={**os.environ, **GIT_ENV})
    run = shallow.foundry("build", "--only", "html", "--format", "json")
    assert run.code == 0, run.stderr
    cut = [d for d in run.json()["diagnostics"] if d["code"] == "HF0737"]
    assert len(cut) == 1 and "shallow clone" in cut[0]["message"] and "fetch-depth: 0" in cut[0]["hint"], cut
    aria = next(v for k, v in credits_rows(shallow).items() if k.startswith("Aria"))
    assert aria[0] == "Ben Designer" and aria[1] == "—", aria       # who created it is not known here
    # Ben's commit, the clone's edge, shows Bram as added too: he is named for Bram, whom
    # he never touched (as git blame names a boundary commit), and the page says so
    assert next(v for k, v in credits_rows(shallow).items() if k.startswith("Bram"))[0] == "Ben Designer"
    assert "from a shallow clone" in ledes(shallow), ledes(shallow)
    history = shallow.foundry("history", "aria", "--format", "json").json()
    assert history["created"] is None and history["complete"] is False
    assert history["steps"][-1]["note"].startswith("the shallow clone's history starts here")
    # fetching the rest moves no commit, yet the next build is not a no-op: credits are whole
    shallow.git("fetch", "-q", "--unshallow")
    again = shallow.foundry("build", "--only", "html", "--format", "json")
    assert again.code == 0 and not [d for d in again.json()["diagnostics"] if d["code"] == "HF0737"]
    assert next(v for k, v in credits_rows(shallow).items() if k.startswith("Aria"))[:2] == [
        "Ana Writer, Ben Designer", "2024-01-10"]
    assert "shallow" not in ledes(shallow), ledes(shallow)
    # the full clone is unchanged: created by Ana, no warning
    full = repo.foundry("build", "--only", "html", "--format", "json")
    assert not [d for d in full.json()["diagnostics"] if d["code"] == "HF0737"]
    assert next(v for k, v in credits_rows(repo).items() if k.startswith("Aria"))[:2] == ["Ana Writer, Ben Designer",
                                                                                           "2024-01-10"]
    whole = repo.foundry("history", "aria", "--format", "json").json()
    assert whole["created"]["author"] == "Ana Writer" and whole["complete"] is True


def test_odd_commit_dates_order_by_history_and_an_unreadable_date_is_unknown(repo):
    """Dates in commits are what the committer's clock said. A commit dated 2031 (a clock
    set wrong) followed by one dated 2024 at +00:00 and one at -05:00: the list pages'
    footers named the 2031 commit forever, and compared dates as text across offsets.
    A commit dated before 1970 (written by a converter: git itself cannot read it) put
    git's format code `%aI` in the credits page's <time datetime>, the footers and
    `foundry history`."""
    from git_support import CLEO
    aria = repo.root / "content/heroes/aria.yaml"
    repo.write("content/heroes/aria.yaml", aria.read_text() + "\n# clock wrong\n")
    repo.commit("Ben, clock set wrong", author=BEN, date="2031-01-01T00:00:00+00:00")
    bram = repo.root / "content/heroes/bram.yaml"
    repo.write("content/heroes/bram.yaml", bram.read_text() + "\n# Cleo's note\n")
    cleo = repo.commit("Cleo annotates Bram", author=CLEO, date="2024-03-01T10:00:00+00:00")
    run = repo.foundry("build", "--only", "html")
    assert run.code == 0, run.stderr
    assert footer_version(repo, "heroes/index.html") == f"{cleo} (2024-03-01)"

    # Evening in New York is later than noon in London the next day, as text it is not.
    repo.write("content/heroes/aria.yaml", aria.read_text() + "\n# later\n")
    ny = repo.commit("Ben in New York", author=BEN, date="2024-03-01T23:00:00-05:00")
    repo.write("content/heroes/bram.yaml", bram.read_text() + "\n# earlier\n")
    london = repo.commit("Cleo in London", author=CLEO, date="2024-03-02T01:00:00+00:00")
    assert repo.foundry("build", "--only", "html").code == 0
    assert footer_version(repo, "heroes/index.html") == f"{london} (2024-03-02)", ny

    # A commit object dated before 1970, as converters from older systems write them.
    repo.write("content/heroes/aria.yaml", aria.read_text() + "\n# 1966\n")
    repo.git("add", "-A")
    body = (f"tree {repo.git('write-tree')}\nparent {repo.rev('HEAD')}\n"
            "author Old Hand <old@example.com> -100000000 +0000\n"
            "committer Old Hand <old@example.com> -100000000 +0000\n\nFrom the archive\n")
    import subprocess
    old = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"], cwd=repo.path,
                         input=body, capture_output=True, text=True, check=True).stdout.strip()
    repo.git("update-ref", "HEAD", old)
    assert repo.git("log", "-1", "--format=%aI") == "%aI"   # what git gives for such a date
    run = repo.foundry("build", "--only", "html")
    assert run.code == 0, run.stderr
    assert footer_version(repo, "heroes/aria.html") == old
    site = "".join(p.read_text() for p in (repo.root / "build/site").rglob("*.html"))
    assert "%aI" not in site
    row = next(tr for tr in page(repo, "credits.html").xpath("//table[@class='credits']/tbody/tr")
               if tr.xpath("string(th)").strip().startswith("Aria"))
    assert row.xpath("td[3]/time") == [] and row.xpath("string(td[3])").split() == ["—", old[:12]]
    assert all(t.get("datetime")[:4].isdigit() for t in page(repo, "credits.html").xpath("//time"))
    history = repo.foundry("history", "aria")
    assert history.code == 0 and "%aI" not in history.stdout
    assert "last changed date unknown by Old Hand" in history.stdout
    assert repo.foundry("history", "aria", "--format", "json").json()["changed"]["date"] is None


def test_a_commit_message_cannot_forge_a_commit_in_the_credits_or_history(repo):
    """A pull request's commit is all the writer's words: its subject held git log's
    bare separators (\\x1e, \\x1f) followed by a date, a name and a subject, and the
    credits page and `foundry history` showed a commit by 'Mallory' in 2099 that does
    not exist; an author name with a \\x1f in it was cut in two, and control characters
    reached the page. The separators now carry a token made per call. A name (an
    author's, a co-author's) is shown without what a name in the content may not hold:
    `Wri\u202eter` (a right-to-left override) was published reversed on the credits page."""
    aria = repo.root / "content/heroes/aria.yaml"
    repo.write("content/heroes/aria.yaml", aria.read_text() + "\n# a note\n")
    forged = ("Tidy Aria\x1e\x1f2099-01-01T00:00:00+00:00\x1fMallory\x1fm@example.com\x1f\x1fforged\n\n"
              "Co-authored-by: Zo\u202ee Co\u200bder\u2066 <zoe@example.com>")
    real = repo.commit(forged, author=("Eve\x1fWri\u202eter\u2069", "eve@example.com"), date="2024-02-01T10:00:00+00:00")
    history = repo.foundry("history", "aria", "--format", "json")
    assert history.code == 0, history.stderr
    data = history.json()
    assert [s["commit"]["commit"] for s in data["steps"]] == [real, repo.rev("HEAD~1")]
    assert data["authors"] == ["Ana Writer", "Eve Writer", "Zoe Coder"]
    assert data["changed"]["date"] == "2024-02-01T10:00:00+00:00"
    assert data["steps"][0]["commit"]["subject"].startswith("Tidy Aria")   # the words stay, as words
    # a name of nothing but such characters is no name: it was shown as an empty one
    # ("Written by , Ana Writer"; "Ana Writer, " in the row)
    repo.write("content/heroes/bram.yaml", (repo.root / "content/heroes/bram.yaml").read_text() + "\n# a note\n")
    repo.commit("Tidy Bram", author=("\u200b\u202e", "\u200b@example.com"), date="2024-02-02T10:00:00+00:00")
    run = repo.foundry("build", "--only", "html")
    assert run.code == 0, run.stderr
    row = next(v for k, v in credits_rows(repo).items() if k.startswith("Aria"))
    assert row[0] == "Ana Writer, Eve Writer, Zoe Coder" and row[2].startswith("2024-02-01") and row[3] == "2", row
    site = (repo.root / "build/site/credits.html").read_text()
    assert "Mallory" not in site and "\x1f" not in site and "\x1e" not in site
    assert not {"\u202e", "\u200b", "\u2066", "\u2069"} & set(site), "invisible characters published"
    assert "Zoe Coder" in site
    assert lede(repo).startswith("Written by Ana Writer, Eve Writer, Zoe Coder —"), lede(repo)
    bram = next(v for k, v in credits_rows(repo).items() if k.startswith("Bram"))
    assert bram[0] == "Ana Writer", bram


def lede(repo) -> str:
    return page(repo, "credits.html").xpath("string(//p[@class='lede'])")


def lede_names(repo) -> list[str]:
    """Everyone the credits page's lede names ("Written by A, B — from the history …")."""
    text = lede(repo).strip().removeprefix("Written by ")
    return text.split(" — ", 1)[0].split(", ")


def test_a_new_author_is_named_by_the_next_build_as_by_a_clean_one(repo):
    """The credits page's "Written by" line is read from each entity's history, not
    from its rows (views/credits.py `site_authors`): a build after a commit by someone new
    names them, and the page is the one a clean build draws, byte for byte."""
    import shutil
    repo.foundry("build", "--only", "html")
    assert lede(repo).startswith("Written by Ana Writer —")
    text = (repo.root / "content/heroes/bram.yaml").read_text()
    repo.write("content/heroes/bram.yaml", text + "\n# Cleo's note\n")
    repo.commit("Cleo annotates Bram", author=("Cleo Editor", "cleo@example.com"), date="2024-02-02T10:00:00+00:00")
    built = repo.foundry("build", "--only", "html", "--format", "json")
    assert built.code == 0 and "site/credits.html" in built.json()["build"]["written"], built.stderr
    assert lede(repo).startswith("Written by Ana Writer, Cleo Editor —")
    incremental = (repo.root / "build/site/credits.html").read_bytes()
    shutil.rmtree(repo.root / "build")
    assert repo.foundry("build", "--only", "html").code == 0
    assert (repo.root / "build/site/credits.html").read_bytes() == incremental


def test_a_ref_build_names_authors_by_the_mailmap_committed_there(repo):
    """`.mailmap` in the working tree only (a pull request's checkout may hold any) named
    the authors of a `build --ref HEAD` credits page; that page follows the commit's."""
    (repo.path / ".mailmap").write_text("Mallory <ana@example.com>\n", encoding="utf-8")
    built = repo.foundry("build", "--only", "html", "--ref", "HEAD")
    assert built.code == 0, built.stderr
    assert lede(repo).startswith("Written by Ana Writer —"), lede(repo)
    assert "Mallory" not in (repo.root / "build/site/credits.html").read_text(encoding="utf-8")


def test_an_edited_mailmap_names_authors_in_the_next_build_as_in_a_clean_one(repo):
    """git maps the credits' names by the work tree's `.mailmap`, committed or not, and
    a `--ref` build by the commit's. An edit of it alone was a no-op build (the file is
    no project input), and with a content edit beside it the credits page was kept: its
    history was keyed by the commits alone. Each build must draw what a clean one draws."""
    import shutil

    def built(*args) -> list[str]:
        run = repo.foundry("build", "--only", "html", "--format", "json", *args)
        assert run.code == 0, run.stderr
        return run.json()["build"]["written"]

    def same_as_clean(*args) -> None:
        incremental = (repo.root / "build/site/credits.html").read_bytes()
        shutil.rmtree(repo.root / "build")
        shutil.rmtree(repo.root / ".foundry-cache", ignore_errors=True)
        built(*args)
        assert (repo.root / "build/site/credits.html").read_bytes() == incremental

    built()
    assert lede(repo).startswith("Written by Ana Writer —")
    mailmap = repo.path / ".mailmap"
    mailmap.write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")          # alone: no commit, no content
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Mapped —"), lede(repo)
    same_as_clean()
    assert built() == []
    mailmap.write_text("Ana Remapped <ana@example.com>\n", encoding="utf-8")        # beside a content edit
    repo.edit("content/heroes/bram.yaml", "name: ", "name: Sir ")
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Remapped —"), lede(repo)
    same_as_clean()
    mailmap.unlink()
    built()
    assert lede(repo).startswith("Written by Ana Writer —"), lede(repo)
    # a --ref build: the commit's own .mailmap, changed by a commit that changes nothing else
    mailmap.write_text("Ana Committed <ana@example.com>\n", encoding="utf-8")
    repo.commit("Map Ana", date="2024-02-01T10:00:00+00:00")
    built("--ref", "HEAD")
    assert lede(repo).startswith("Written by Ana Committed —"), lede(repo)
    mailmap.write_text("Ana Recommitted <ana@example.com>\n", encoding="utf-8")
    repo.commit("Map Ana again", date="2024-02-02T10:00:00+00:00")
    assert "site/credits.html" in built("--ref", "HEAD")
    assert lede(repo).startswith("Written by Ana Recommitted —"), lede(repo)
    same_as_clean("--ref", "HEAD")


def test_a_mailmap_file_named_by_git_config_names_authors_in_the_next_build(repo, tmp_path):
    """`git config mailmap.file <path>` names a second .mailmap, which git reads with the
    work tree's. An edit of it was a no-op build ('0 written'): the fingerprint keyed the
    credits by the work tree's .mailmap alone, so they kept the old name until build/
    was removed."""
    def built() -> list[str]:
        run = repo.foundry("build", "--only", "html", "--format", "json")
        assert run.code == 0, run.stderr
        return run.json()["build"]["written"]

    names = tmp_path / "names.map"
    names.write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
    repo.git("config", "mailmap.file", str(names))
    built()
    assert lede(repo).startswith("Written by Ana Mapped —"), lede(repo)
    assert built() == []
    names.write_text("Ana Renamed <ana@example.com>\n", encoding="utf-8")
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Renamed —"), lede(repo)


def test_a_mailmap_blob_and_a_mailmap_file_in_an_included_config_are_followed(repo, tmp_path):
    """git maps %aN by `mailmap.blob` (a .mailmap in a revision: `names:.mailmap`) and by
    a `mailmap.file` written in a file the config includes (`include.path`), as by one
    written in the config itself. The history key read neither: a new commit of the
    names branch, or an edit of the included file's .mailmap, was a no-op build ('0
    written', the old name in credits.html until build/ was removed)."""
    def built() -> list[str]:
        run = repo.foundry("build", "--only", "html", "--format", "json")
        assert run.code == 0, run.stderr
        return run.json()["build"]["written"]

    def names_branch(text: str) -> None:   # a commit of another branch: HEAD does not move
        blob = repo.git("hash-object", "-w", "--stdin", "--path", ".mailmap", input_text=text)
        tree = repo.git("mktree", input_text=f"100644 blob {blob}\t.mailmap\n")
        who = {"GIT_AUTHOR_NAME": BEN[0], "GIT_AUTHOR_EMAIL": BEN[1], "GIT_COMMITTER_NAME": BEN[0],
               "GIT_COMMITTER_EMAIL": BEN[1]}
        repo.git("update-ref", "refs/heads/names", repo.git("commit-tree", tree, "-m", "names", env=who))

    head = repo.rev("HEAD")
    names_branch("Ana Mapped <ana@example.com>\n")
    repo.git("config", "mailmap.blob", "names:.mailmap")
    built()
    assert lede(repo).startswith("Written by Ana Mapped —"), lede(repo)
    assert built() == []
    names_branch("Ana Renamed <ana@example.com>\n")
    assert repo.rev("HEAD") == head
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Renamed —"), lede(repo)
    repo.git("config", "--unset", "mailmap.blob")
    names = tmp_path / "names.map"
    names.write_text("Ana Included <ana@example.com>\n", encoding="utf-8")
    (tmp_path / "extra.cfg").write_text(f"[mailmap]\n\tfile = {names}\n", encoding="utf-8")
    repo.git("config", "include.path", str(tmp_path / "extra.cfg"))
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Included —"), lede(repo)
    assert built() == []
    names.write_text("Ana Reincluded <ana@example.com>\n", encoding="utf-8")
    assert "site/credits.html" in built()
    assert lede(repo).startswith("Written by Ana Reincluded —"), lede(repo)


@pytest.mark.parametrize("name", ["github-actions[bot]", "github-actions"], ids=["app-name", "plain-name"])
def test_a_github_app_committing_for_a_workflow_is_not_credited_as_an_author(repo, name):
    """A workflow that commits what foundry wrote (line ids from `foundry l10n tag`) does
    so as `github-actions[bot]`: the credits page named the bot beside Ana as a writer of
    the story. A GitHub App's name ends in `[bot]`, which no person's can: left out of
    the authors (its commits are still in `foundry history`). Workflows often set `git
    config user.name github-actions` beside the App's no-reply address: the name has no
    `[bot]`, but the address is the App's, left out as the App's name is."""
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis. ^l-3f2a")
    bot = (name, "41898282+github-actions[bot]@users.noreply.github.com")
    repo.commit("Tag the lines", author=bot, date="2024-02-01T10:00:00+00:00")
    assert repo.foundry("build", "--only", "html").code == 0
    keep = next(v for k, v in credits_rows(repo).items() if k.startswith("The Sunken Keep"))
    assert keep[0] == "Ana Writer" and keep[3] == "2", keep
    history = repo.foundry("history", "sunken-keep", "--format", "json").json()
    assert history["authors"] == ["Ana Writer"]
    assert [s["commit"]["author"] for s in history["steps"]] == [name, "Ana Writer"]


def test_the_credits_page_says_why_it_has_no_history(tmp_path):
    """Every empty history was "not in a git repository" on the credits page: a
    repository with nothing committed yet (`git init`, `foundry init` with no git
    identity) and a clone where git cannot be run (a slim container) said that too.
    Each says its own reason now, and the page follows the history as it changes."""
    import os
    import shutil
    import subprocess

    from git_support import GIT_ENV, Repo
    from support import ROOTS

    def lede(repo, env=None) -> str:
        run = repo.foundry("build", "--only", "html", env=env)
        assert run.code == 0, run.stdout + run.stderr
        return page(repo, "credits.html").xpath("string(//p[@class='lede'])")

    path = tmp_path / "fresh"
    path.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env={**os.environ, **GIT_ENV})
    repo = Repo(path)
    shutil.copytree(ROOTS / "git-world", repo.root, dirs_exist_ok=True)
    said = lede(repo)
    assert "committed to its git repository yet" in said and "not in a git repository" not in said, said
    repo.commit("First draft")
    assert "Written by Ana Writer" in lede(repo)
    no_git = tmp_path / "bin"    # a PATH on which there is no git
    no_git.mkdir()
    said = lede(repo, env={"PATH": str(no_git)})
    assert "could not be read" in said and "not in a git repository" not in said, said


def test_a_github_app_named_only_as_a_co_author_by_its_address_is_not_credited(repo):
    """A commit by Ana with `Co-authored-by: github-actions <41898282+github-actions[bot]@…>`
    (a workflow's suggestion accepted, a bot's fix squashed in): the trailer's address is
    the App's, yet its plain name was credited as a writer beside Ana, the author judged by
    her address and the co-author by its name alone. Ben, a person co-authoring, stays."""
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    repo.commit("Harder rain\n\nCo-authored-by: github-actions <41898282+github-actions[bot]@users.noreply.github.com>\n"
                "Co-authored-by: Ben Designer <ben@example.com>", date="2024-02-01T10:00:00+00:00")
    history = repo.foundry("history", "sunken-keep", "--format", "json").json()
    assert history["authors"] == ["Ana Writer", "Ben Designer"]
    assert history["steps"][0]["commit"]["coauthors"] == ["github-actions", "Ben Designer"]   # the commit as it is
    assert repo.foundry("build", "--only", "html").code == 0
    keep = next(v for k, v in credits_rows(repo).items() if k.startswith("The Sunken Keep"))
    assert keep[0] == "Ana Writer, Ben Designer", keep


def test_a_co_author_is_named_as_mailmap_names_the_commits_author(repo):
    """`.mailmap` gives Ben's new name: his own commits showed it, a commit he co-authored
    (`Co-authored-by: Ben Designer <ben@example.com>`, trailers git leaves as written)
    the old one — two writers, one person, on the credits page. A trailer written as an
    option is no argument to git."""
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    repo.commit("Harder rain\n\nCo-authored-by: Ben Designer <ben@example.com>\n"
                "Co-authored-by: --stdin <x@example.com>", date="2024-02-01T10:00:00+00:00")
    (repo.path / ".mailmap").write_text("Ben Builder <ben@example.com>\n", encoding="utf-8")
    repo.commit("Ben's name", date="2024-02-02T10:00:00+00:00")
    history = repo.foundry("history", "sunken-keep", "--format", "json").json()
    assert history["authors"] == ["Ana Writer", "Ben Builder", "--stdin"]
    assert history["steps"][0]["commit"]["coauthors"] == ["Ben Builder", "--stdin"]
    assert repo.foundry("build", "--only", "html").code == 0
    keep = next(v for k, v in credits_rows(repo).items() if k.startswith("The Sunken Keep"))
    assert keep[0] == "Ana Writer, Ben Builder, --stdin", keep


def test_a_commit_with_many_co_authors_runs_one_git_to_map_them(repo, tmp_path):
    """A pull request's commit carries 450 `Co-authored-by` trailers (one message can
    carry 100,000): each 200 of them were a `git check-mailmap` of their own, 500 gits
    and 13 s of every build and `history` for 100,000. One git reads them all, from its
    input; each is still mapped by the `.mailmap` (the working tree's, or the commit's
    for `--ref`), and a trailer that reads as an option is only a name."""
    import os
    import shutil
    log = tmp_path / "gits-run"
    wrapper = tmp_path / "bin/git"
    wrapper.parent.mkdir()
    wrapper.write_text(f"#!/bin/sh\necho \"$@\" >> {log}\nexec {shutil.which('git')} \"$@\"\n")
    wrapper.chmod(0o755)
    path = {"PATH": f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}"}
    many = "".join(f"Co-authored-by: Helper {i} <helper{i}@example.com>\n" for i in range(450))
    (repo.path / ".mailmap").write_text("Ben Builder <ben@example.com>\nLast Helper <helper449@example.com>\n"
                                        "Dash Person <dash@example.com>\n", encoding="utf-8")
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    repo.commit("Harder rain\n\n" + many + "Co-authored-by: Ben Designer <ben@example.com>\n"
                "Co-authored-by: --stdin <x@example.com>\nCo-authored-by: -dash- <dash@example.com>",
                date="2024-02-01T10:00:00+00:00")
    for ref in ((), ("--ref", "HEAD")):
        log.unlink(missing_ok=True)
        assert repo.foundry("build", "--only", "html", *ref, env=path).code == 0
        mapping = [line for line in log.read_text().splitlines() if "check-mailmap" in line]
        assert len(mapping) == 1, (ref, len(mapping))
        names = lede_names(repo)   # everyone (a row names 20: test_a_row_names_twenty_…)
        assert {"Ben Builder", "Last Helper", "Helper 0", "Helper 448", "--stdin", "Dash Person"} <= set(names), ref
        assert not {"Ben Designer", "Helper 449", "-dash-"} & set(names), ref


def test_a_co_authors_huge_name_is_cut_as_an_authors_is(repo):
    """git cuts a commit author's name to 200 columns (`..` marking the cut), but leaves
    a trailer whole: `Co-authored-by: MMMM…(5,000 letters) <m@example.com>` was
    published whole on the credits page and in `history`, and the same name as an
    author and as a co-author were two writers. Now a co-author's name is cut as git
    cuts an author's (a wide character two columns; never inside a character)."""
    long, wide = "M" * 5000, "漢" * 150 + "e\u0301" * 10
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    repo.commit(f"Harder rain\n\nCo-authored-by: {long} <m@example.com>\nCo-authored-by: {wide} <w@example.com>",
                author=(long, "m@example.com"), date="2024-02-01T10:00:00+00:00")
    history = repo.foundry("history", "sunken-keep", "--format", "json").json()
    cut, wide_cut = "M" * 198 + "..", "漢" * 99 + ".."
    assert history["authors"] == ["Ana Writer", cut, wide_cut], [len(a) for a in history["authors"]]
    assert history["steps"][0]["commit"]["coauthors"] == [cut, wide_cut]
    assert repo.foundry("build", "--only", "html").code == 0
    keep = next(v for k, v in credits_rows(repo).items() if k.startswith("The Sunken Keep"))
    assert keep[0] == f"Ana Writer, {cut}, {wide_cut}", [len(n) for n in keep[0].split(", ")]


def test_a_commit_listed_in_git_blame_ignore_revs_is_not_credited(repo):
    """Cleo's formatting pass (line ends, indentation: every file touched, nothing written)
    named her a writer of every entity on the credits page and in `foundry history`.
    Listed in `.git-blame-ignore-revs`, as git blame and GitHub's blame view pass over it,
    it is no authorship now: the next build names the writers alone (the rows it shows
    are re-rendered though no content changed), and `history` says why she is left out."""
    from git_support import CLEO
    text = (repo.root / "content/heroes/aria.yaml").read_text()
    repo.write("content/heroes/aria.yaml", text + "\n# Ben's note\n")
    repo.commit("Ben annotates Aria", author=BEN, date="2024-02-01T10:00:00+00:00")
    for path in sorted((repo.root / "content").rglob("*.*")):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    formatting = repo.commit("Normalise line ends", author=CLEO, date="2024-03-01T10:00:00+00:00")
    assert repo.foundry("build", "--only", "html").code == 0
    assert credits_rows(repo)["Bram Holloway"][0] == "Ana Writer, Cleo Editor"   # as git log alone says
    repo.write(".git-blame-ignore-revs", f"# formatting only\n{formatting}  # line ends\n\nnot-an-id\n")
    repo.commit("Ignore the formatting pass in blame", author=CLEO, date="2024-03-02T10:00:00+00:00")
    run = repo.foundry("build", "--only", "html", "--format", "json")
    assert run.code == 0, run.stderr
    # a line git blame refuses ("invalid object name") is said where it is, not passed over
    said = [(d["file"], d["line"], d["message"], d["hint"]) for d in run.json()["diagnostics"] if d["code"] == "HF0805"]
    assert said == [(".git-blame-ignore-revs", 4, ".git-blame-ignore-revs line 4 is no whole commit id: 'not-an-id'; "
                     "its commit is still credited", "Write the commit's whole id (`git rev-parse not-an-id` prints "
                     "it), one a line; `#` starts a comment.")], said
    rows = credits_rows(repo)
    assert rows["Bram Holloway"][0] == "Ana Writer" and rows["Aria Vell"][0] == "Ana Writer, Ben Designer", rows
    assert "Cleo" not in page(repo, "credits.html").xpath("string(//p[@class='lede'])")
    history = repo.foundry("history", "aria", "--format", "json").json()
    assert history["authors"] == ["Ana Writer", "Ben Designer"]
    assert [s["commit"]["ignored"] for s in history["steps"]] == [True, False, False]
    assert "not credited: .git-blame-ignore-revs lists this commit" in repo.foundry("history", "aria").stdout


def test_a_coding_agent_and_an_address_alone_are_not_credited_as_other_people(repo):
    """GitHub's Copilot agent commits as `Copilot <198982749+Copilot@users.noreply.github.com>`
    (an account with no `[bot]` in its name or address) and a tool signs its help as
    `Claude <noreply@anthropic.com>`: both were credited as writers of the story. A
    trailer giving Ben's address alone (`ben@example.com`, `<ben@example.com>`) was
    credited as "ben@example.com" / "<ben@example.com>" beside Ben Designer, and one giving
    it with another name (`Benjamin D.`) as that name: one person twice or more, his address
    published. Named as his commits name him now (GitHub links a co-author by address);
    an address no commit is authored from stays as written."""
    repo.edit("content/heroes/bram.yaml", "name: Bram Holloway", "name: Bram Holloway  # Ben was here")
    repo.commit("Ben's note", author=BEN, date="2024-01-20T10:00:00+00:00")
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    repo.commit("Harder rain", author=("Copilot", "198982749+Copilot@users.noreply.github.com"),
                date="2024-02-01T10:00:00+00:00")
    repo.edit("content/stories/sunken-keep.md", "harder.", "harder still.")
    repo.commit("Still harder\n\nCo-authored-by: ben@example.com\nCo-authored-by: <BEN@example.com>\n"
                "Co-authored-by: Benjamin D. <ben@example.com>\n"
                "Co-authored-by: Claude <noreply@anthropic.com>\nCo-authored-by: dana@example.com",
                date="2024-02-02T10:00:00+00:00")
    assert repo.foundry("build", "--only", "html").code == 0
    keep = next(v for k, v in credits_rows(repo).items() if k.startswith("The Sunken Keep"))
    assert keep[0] == "Ana Writer, Ben Designer, dana@example.com", keep
    assert "Copilot" not in page(repo, "credits.html").xpath("string(//p[@class='lede'])")
    history = repo.foundry("history", "sunken-keep", "--format", "json").json()
    assert history["authors"] == ["Ana Writer", "Ben Designer", "dana@example.com"]
    assert history["steps"][0]["commit"]["coauthors"] == ["Ben Designer", "Ben Designer", "Ben Designer", "Claude",
                                                           "dana@example.com"]


def test_content_in_a_git_submodule_is_said_to_have_its_history_elsewhere(repo, tmp_path):
    """A team moves its heroes into a shared git submodule (`content/heroes`): the build
    said "No problems found" though no commit there is credited, and `foundry history
    aria` ended in "deleted" for a file that is there (one never in this repository:
    "not committed yet"). Now HF0804 says which folder's history is elsewhere and how to
    see it, and `history` says where the file is now."""
    import os
    import subprocess

    from git_support import GIT_ENV, new_repo
    heroes = new_repo(tmp_path / "heroes")
    heroes.git("rm", "-q", "-r", "--", ".")
    for path in sorted((repo.root / "content/heroes").glob("*.yaml")):
        (heroes.path / path.name).write_bytes(path.read_bytes())
    heroes.commit("The shared heroes", author=BEN)
    repo.git("rm", "-q", "-r", "content/heroes")
    subprocess.run(["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(heroes.path),
                    "content/heroes"], cwd=repo.path, check=True, capture_output=True, env={**os.environ, **GIT_ENV})
    repo.commit("Heroes from the shared repository", date="2024-02-01T10:00:00+00:00")
    run = repo.foundry("build", "--only", "html", "--format", "json")
    assert run.code == 0, run.stderr
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF0804"]
    assert len(said) == 1 and "(content/heroes)" in said[0]["message"] and said[0]["file"] == ".git", said
    assert "`git -C content/heroes log`" in said[0]["hint"]
    history = repo.foundry("history", "aria")
    assert history.code == 0 and "in the git submodule content/heroes" in history.stdout, history.stdout
    assert "HF0804" in history.stderr


def test_an_ignored_commit_is_marked_where_history_cannot_compare_it():
    """A step with no comparison (the file created, or the project not loading there: a
    partial clone lacking the commit's files) printed its note alone: the ignored commit
    among them was not said to be left out of the credits."""
    from pipeline.commands.history import _lines
    from pipeline.diff.history import Step
    from pipeline.git.versions import Change
    change = Change("a" * 40, "2024-03-01T10:00:00+00:00", "Cleo Editor", "cleo@example.com", (), "Reformat", "A",
                    "content/heroes/bram.yaml", ignored=True)
    assert _lines(Step(change, None, "created")) == ["created", "not credited: .git-blame-ignore-revs lists this commit"]


def test_a_person_hiding_their_address_as_noreply_is_still_credited(repo):
    """Only the tools' own addresses are tools': a writer whose git says `Dana <noreply@localhost>`
    is a person, credited beside Ana."""
    repo.edit("content/heroes/bram.yaml", "name: Bram Holloway", "name: Bram Holloway  # Dana")
    repo.commit("Dana's note", author=("Dana", "noreply@localhost"), date="2024-01-20T10:00:00+00:00")
    assert repo.foundry("history", "bram", "--format", "json").json()["authors"] == ["Ana Writer", "Dana"]


def test_a_row_names_twenty_authors_and_counts_the_rest_the_lede_names_everyone(repo):
    """One commit with 10,000 `Co-authored-by` trailers (300 KB) touching 200 heroes
    made a 26 MB credits page: each row listed every co-author, so N entities multiplied
    one trailer list N times. A row names the first 20 and draws "+N" for the rest; the
    page's lede still names everyone once. `history` names 20 and counts the rest."""
    many = "".join(f"Co-authored-by: Helper {i:02} <helper{i}@example.com>\n" for i in range(30))
    repo.edit("content/stories/sunken-keep.md", "Rain hammers the broken portcullis.",
              "Rain hammers the broken portcullis, harder.")
    text = (repo.root / "content/heroes/aria.yaml").read_text()
    repo.write("content/heroes/aria.yaml", text + "\n# a note\n")
    repo.commit("Harder rain\n\n" + many, date="2024-02-01T10:00:00+00:00")
    assert repo.foundry("build", "--only", "html").code == 0
    rows = credits_rows(repo)
    for title in ("The Sunken Keep", "Aria"):
        row = next(v for k, v in rows.items() if k.startswith(title))
        shown, left = row[0].rsplit(" +", 1)
        assert shown.split(", ") == ["Ana Writer", *(f"Helper {i:02}" for i in range(19))] and left == "11", row[0]
    assert {f"Helper {i:02}" for i in range(30)} <= set(lede_names(repo))
    # `history`'s first line likewise (a line of 1.4 MB for 100,000); its JSON lists everyone
    first = repo.foundry("history", "sunken-keep").stdout.splitlines()[0]
    assert first.endswith(": 2 commits by Ana Writer, " + ", ".join(f"Helper {i:02}" for i in range(19))
                          + " and 11 more"), first
    assert len(repo.foundry("history", "sunken-keep", "--format", "json").json()["authors"]) == 31


def test_a_world_whose_content_folder_is_a_submodule_says_so_on_the_credits_page(tmp_path):
    """`content/` itself a git submodule (a content repository beside the site's): the
    pointer's bumps were its one lineage, and the credits page read "Written by  —" with
    no name. Now it says the content's history is in git submodules (and HF0804 warns)."""
    import os
    import subprocess

    import shutil

    from git_support import GIT_ENV, Repo, new_repo
    from support import ROOTS
    content = new_repo(tmp_path / "content")
    content.git("rm", "-q", "-r", "--", ".")
    shutil.copytree(ROOTS / "git-world/content", content.path, dirs_exist_ok=True)
    content.commit("The content", author=BEN)
    site = Repo(tmp_path / "site")
    shutil.copytree(ROOTS / "git-world", site.path, ignore=shutil.ignore_patterns("content"))
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main", str(site.path)], check=True, env=env)
    subprocess.run(["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(content.path), "content"],
                   cwd=site.path, check=True, capture_output=True, env=env)
    site.commit("Content from its own repository", date="2024-02-01T10:00:00+00:00")
    run = site.foundry("build", "--only", "html", "--format", "json")
    assert run.code == 0 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0804"], run.stdout
    assert ledes(site) == "This world's content is in git submodules, whose history this site does not read.", \
        ledes(site)
