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
