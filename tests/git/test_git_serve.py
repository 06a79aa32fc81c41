"""`foundry serve` in a git repository: what git answers — each footer's commit, the
credits' names — is shown as a CLI build of the same files shows it, though git is no
file the watcher watches (serve/revision.py).

The real command on a free port; nothing is timed: each step waits, with a generous
timeout, for the served page to say what a build of that moment says.
"""

from __future__ import annotations

import json
import shutil
import signal
import time
import urllib.request

from lxml import html

from engine_steps import output_bytes
from git_support import GIT_ENV, Repo
from support import start_serve

PATIENCE = 120   # seconds a step may take on a loaded machine


def served(url: str, page: str):
    with urllib.request.urlopen(url + page, timeout=10) as response:
        return html.fromstring(response.read())


def footer(url: str, page: str) -> str:
    found = served(url, page).xpath("//footer//code/@title")
    return found[0] if found else ""


def lede(url: str) -> str:
    return served(url, "credits.html").xpath("string(//p[@class='lede'])")


def builds(url: str) -> int:
    with urllib.request.urlopen(url + "__foundry/status", timeout=10) as response:
        return json.loads(response.read())["builds"]


def served_as_clean(repo, tmp_path) -> None:
    """build/ after the serve left equals a CLI build's of a copy without build/."""
    clean = Repo(tmp_path / "clean")
    shutil.copytree(repo.path, clean.path, symlinks=True, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run = clean.foundry("build", "--only", "html,json")
    assert run.code == 0, run.stderr
    assert output_bytes(clean.root) == output_bytes(repo.root)


def wait_for(check, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"the served site never showed {what}")


def test_a_commit_and_a_mailmap_edit_while_serving_show_as_a_clean_build_shows_them(repo, tmp_path, monkeypatch):
    """A commit amended (or made after the save that wrote its files), and .mailmap
    edited: the served pages' footers kept naming the commit before and the credits the
    names before until the next save, while a CLI build of the same files named the new
    ones."""
    for key, value in GIT_ENV.items():   # the serve's git reads no user configuration either
        monkeypatch.setenv(key, value)
    first = repo.rev("HEAD")
    proc, url = start_serve(repo.root)
    try:
        wait_for(lambda: footer(url, "heroes/aria.html") == f"{first} (2024-01-10)", "the first commit")
        wait_for(lambda: builds(url) >= 2, "the catch-up build")   # which would see the commit below anyway
        repo.git("commit", "-q", "--amend", "-m", "Add the Sunken Keep, amended",
                 env={"GIT_COMMITTER_DATE": "2024-01-11T09:00:00+00:00"})   # no file changes: no event
        amended = repo.rev("HEAD")
        assert amended != first
        wait_for(lambda: footer(url, "heroes/aria.html") == f"{amended} (2024-01-10)", "the amended commit")
        (repo.path / ".mailmap").write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
        wait_for(lambda: lede(url).startswith("Written by Ana Mapped —"), "the .mailmap's names")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    served_as_clean(repo, tmp_path)


def test_the_serves_watch_on_git_sees_what_builds_show_and_nothing_else(repo):
    """serve/revision.py on its own: once per commit, branch switch, tag and .mailmap
    edit; never for an edit of a file (the file watcher's) or twice for one change."""
    from pipeline.serve.revision import Revision
    revision = Revision(repo.root, every=0)
    revision.start()
    assert not revision.moved()
    repo.edit("content/heroes/aria.yaml", "name: ", "name: Sir ")
    assert not revision.moved()
    repo.commit("Aria knighted")
    assert revision.moved() and not revision.moved()
    repo.git("checkout", "-q", "-b", "side")
    assert revision.moved()
    repo.git("tag", "v2")
    assert revision.moved()
    repo.git("tag", "-d", "v2")
    assert revision.moved()
    (repo.path / ".mailmap").write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
    assert revision.moved() and not revision.moved()


def test_a_save_asks_git_for_no_history_and_a_commit_mailmap_or_config_does(repo, tmp_path, monkeypatch):
    """The resident engine keeps the history git gave (a `git log` of every content
    file: ~0.1 s of each save at 10,000 heroes) under the stats of what git writes when
    it may change (git/stamp.py): a save asks for none; a commit, a .mailmap edit and a
    change of the repository's config each read it again, and the pages are a clean
    build's."""
    import pipeline.git.versions as versions
    from pipeline.engine.resident import Resident
    from engine_steps import run, save
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    asked, real = [], versions.entity_history
    monkeypatch.setattr(versions, "entity_history", lambda root, rev="HEAD": asked.append(rev) or real(root, rev))
    engine = Resident(repo.root, ["html", "json"])
    save(engine)
    save(engine)   # the catch-up
    assert len(asked) == 1
    repo.edit("content/heroes/aria.yaml", "name: ", "name: Sir ")
    save(engine, ["content/heroes/aria.yaml"])
    assert len(asked) == 1
    repo.commit("Aria knighted", date="2024-01-12T09:00:00+00:00")
    save(engine)   # what the serve's watch on git starts (serve/revision.py)
    assert len(asked) == 2
    (repo.path / ".mailmap").write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
    save(engine)
    assert len(asked) == 3 and "Ana Mapped" in (repo.root / "build/site/credits.html").read_text()
    repo.git("config", "log.showRoot", "true")
    save(engine)
    assert len(asked) == 4
    clean = Repo(tmp_path / "clean")
    shutil.copytree(repo.path, clean.path, symlinks=True, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(clean.root)
    assert output_bytes(clean.root) == output_bytes(repo.root)


def test_a_mailmap_file_the_config_names_is_followed_while_serving(repo, tmp_path, monkeypatch):
    """`git config mailmap.file` names a second .mailmap (here outside the work tree, as
    one kept for several projects is). Its edits are no write of git's: the serve's
    history memo (git/stamp.py) kept the names before, and the credits showed them until
    the serve was started again, while a CLI build of the same files showed the new ones."""
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    names = tmp_path / "names.map"
    names.write_text("Ana Mapped <ana@example.com>\n", encoding="utf-8")
    repo.git("config", "mailmap.file", str(names))
    proc, url = start_serve(repo.root)
    try:
        wait_for(lambda: lede(url).startswith("Written by Ana Mapped —"), "the named file's names")
        wait_for(lambda: builds(url) >= 2, "the catch-up build")
        names.write_text("Ana Renamed <ana@example.com>\n", encoding="utf-8")
        wait_for(lambda: lede(url).startswith("Written by Ana Renamed —"), "the named file's new names")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    served_as_clean(repo, tmp_path)
