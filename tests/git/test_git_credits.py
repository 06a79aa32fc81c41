"""The credits page and the content version in the site's footer, from real history."""

from __future__ import annotations

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


def test_a_shallow_clone_does_not_credit_its_edge_commit_with_every_file(repo, tmp_path):
    """A depth-1 clone (actions/checkout's default) shows every file as added by its one
    commit: the credits page named only that commit's author, with that day as every
    entity's creation, and `foundry history` said "created … by" them. Now the build
    warns once (HF0737), credits show no creation date and history says where it stops."""
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
    history = shallow.foundry("history", "aria", "--format", "json").json()
    assert history["created"] is None and history["complete"] is False
    assert history["steps"][-1]["note"].startswith("the shallow clone's history starts here")
    # fetching the rest moves no commit, yet the next build is not a no-op: credits are whole
    shallow.git("fetch", "-q", "--unshallow")
    again = shallow.foundry("build", "--only", "html", "--format", "json")
    assert again.code == 0 and not [d for d in again.json()["diagnostics"] if d["code"] == "HF0737"]
    assert next(v for k, v in credits_rows(shallow).items() if k.startswith("Aria"))[:2] == [
        "Ana Writer, Ben Designer", "2024-01-10"]
    # the full clone is unchanged: created by Ana, no warning
    full = repo.foundry("build", "--only", "html", "--format", "json")
    assert not [d for d in full.json()["diagnostics"] if d["code"] == "HF0737"]
    assert next(v for k, v in credits_rows(repo).items() if k.startswith("Aria"))[:2] == ["Ana Writer, Ben Designer",
                                                                                           "2024-01-10"]
    whole = repo.foundry("history", "aria", "--format", "json").json()
    assert whole["created"]["author"] == "Ana Writer" and whole["complete"] is True


def lede(repo) -> str:
    return page(repo, "credits.html").xpath("string(//p[@class='lede'])")


def test_a_new_author_is_named_by_the_next_build_as_by_a_clean_one(repo):
    """The credits page's "Written by" line is read from each entity's history, not
    from its rows (views/credits.py `_authors`): a build after a commit by someone new
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
