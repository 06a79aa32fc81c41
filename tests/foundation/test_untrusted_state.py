"""Nothing a checkout contains is trusted as a cache or build state: a committed
`.foundry-cache/parsed.sqlite` with `<script>` rows (keyed by the computable hashes),
a committed `build/` with a crafted state and summary, and outputs changed after
foundry wrote them never reach the published bytes."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline import seal
from pipeline.load.cache import CACHE_DIR, FILE, FORMAT
from pipeline.engine.sources import source_fingerprint
from support import REPO, foundry, require_tool, write_project

SCRIPT = "<script>alert(1)</script>"
MARK = b"alert(1)"   # the theme's own pages load scripts: look for this one
OUTPUTS = "json,html,epub"


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Mallory", "GIT_AUTHOR_EMAIL": "m@example.com",
           "GIT_COMMITTER_NAME": "Mallory", "GIT_COMMITTER_EMAIL": "m@example.com"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def _commit_everything(root: Path) -> None:
    """As a pull request would: caches and build/ forced past .gitignore."""
    if not (root / ".git").exists():
        _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A", "-f")
    _git(root, "commit", "-q", "-m", "pull request")


def _build(root: Path, only: str = OUTPUTS):
    run = foundry("build", "--project", str(root), "--only", only, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert run.code == 0, run.stderr
    return run


def _published(root: Path) -> dict[str, bytes]:
    """Every output file's bytes (EPUBs opened: their pages count too)."""
    out = {}
    base = root / "build"
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if rel.startswith(".foundry"):
            continue
        assert not path.is_symlink(), f"{rel} is a symlink"
        if path.is_file():
            out[rel] = path.read_bytes()
            if path.suffix == ".epub":
                with zipfile.ZipFile(path) as book:
                    out.update({f"{rel}!{n}": book.read(n) for n in book.namelist()})
    return out


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """The minimal project built clean (json, html, epub) once per module: five tests
    each paid an identical build of their own. Tests read it, never change it; one
    that changes a built project changes its own copy (`_built_copy`)."""
    root = write_project(tmp_path_factory.mktemp("clean") / "proj")
    _build(root)
    return root


def _built_copy(project_factory, clean_build: Path, name: str = "proj") -> Path:
    """A test's own copy of the clean build: its files, build/ (state and summary
    included) and parse cache byte for byte and with their times (copy2)."""
    return project_factory(base=str(clean_build), name=name)   # ROOTS / an absolute path is that path


def _forge_cache(legit: Path, target: Path, mac) -> None:
    """A cache with every key a real build used, each value swapped for a script: the
    keys are hashes of the content (and foundry's version), so anyone can compute them."""
    rows = {}
    with sqlite3.connect(legit / CACHE_DIR / FILE) as db:
        for table in ("parsed", "prose"):
            rows[table] = [key for (key,) in db.execute(f"SELECT key FROM {table}")]
    assert rows["prose"], "the legitimate build cached no prose: nothing to forge"
    (target / CACHE_DIR).mkdir(exist_ok=True)
    path = target / CACHE_DIR / FILE
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
        for table in ("parsed", "prose"):
            db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, payload TEXT, mac TEXT)")
        for key in rows["prose"]:
            payload = json.dumps(f"<p>Forged</p>{SCRIPT}")
            db.execute("INSERT INTO prose VALUES (?, ?, ?)", (key, payload, mac(f"cache:prose:{key}", payload)))
        for key in rows["parsed"]:
            payload = json.dumps({"data": {"name": SCRIPT}, "values": [], "keys": []})
            db.execute("INSERT INTO parsed VALUES (?, ?, ?)", (key, payload, mac(f"cache:parsed:{key}", payload)))


@pytest.mark.parametrize("signed", [False, True], ids=["forged-mac", "valid-mac-unsanitised"])
def test_a_committed_cache_with_script_rows_changes_nothing(project_factory, clean_build, signed):
    legit = clean_build   # read only: the keys a real build used
    root = project_factory(name="attacked")
    if signed:   # as if this machine had cached raw HTML: the value is sanitised again on use
        def mac(purpose, payload):
            return seal.mac(seal.key(root), purpose, payload.encode())
    else:
        def mac(purpose, payload):
            return "0" * 64
    _forge_cache(legit, root, mac)
    _commit_everything(root)
    if signed:
        # a valid MAC on a parsed row is trusted data by design (this machine wrote it):
        # only the prose rows are what the second layer, re-sanitising, is about
        with sqlite3.connect(root / CACHE_DIR / FILE) as db:
            db.execute("DELETE FROM parsed")
    _build(root)
    published = _published(root)
    assert not [rel for rel, data in published.items() if MARK in data or b"Forged" in data]
    # byte for byte what the same commit builds with no cache at all
    shutil.rmtree(root / "build")
    shutil.rmtree(root / CACHE_DIR)
    _build(root)
    assert published == _published(root)


def _crafted_build_dir(root: Path, outside: Path) -> None:
    """build/ as a pull request can commit it: a script page, a link to a file outside,
    and a state + summary claiming they are fresh outputs of the html exporter."""
    site = root / "build/site"
    site.mkdir(parents=True)
    (site / "evil.html").write_text(f"<html><body>{SCRIPT}</body></html>")
    (site / "index.html").write_text(f"<html><body>{SCRIPT}</body></html>")
    os.symlink(outside, site / "passwd.html")
    artifacts = {p: ["html", "1:", "0" * 64, [], ""] for p in ("site/evil.html", "site/index.html", "site/passwd.html")}
    sources = source_fingerprint(root, "['json']|False|False|None")   # computable: the project is unversioned
    state = {"format": 5, "sources": sources, "diagnostics": [], "artifacts": artifacts}
    state_bytes = (json.dumps(state) + "\n").encode()
    (root / "build/.foundry").mkdir()
    (root / "build/.foundry/state.json").write_bytes(state_bytes)
    import hashlib
    summary = {"format": 5, "sources": sources, "diagnostics": [], "state": hashlib.sha256(state_bytes).hexdigest(),
               "artifacts": {p: "html" for p in artifacts}}
    (root / "build/.foundry/summary.json").write_text(json.dumps(summary) + "\n")


def test_a_committed_build_dir_is_not_carried_into_the_output(project_factory, tmp_path):
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:Qx7-secret:/root:/bin/bash\n")
    root = project_factory()
    _crafted_build_dir(root, outside)
    run = _build(root, "json")
    assert "unchanged" not in run.stderr.split("Built:")[-1].split(",")[0]
    published = _published(root)
    # only what --only json makes (its files, mirrored into the site's web root)
    assert published and all(rel.startswith(("api/", "site/api/")) for rel in published), sorted(published)
    for crafted in ("evil.html", "index.html", "passwd.html"):
        assert not os.path.lexists(root / "build/site" / crafted)
    assert not [rel for rel, data in published.items() if MARK in data or b"Qx7-secret" in data]


def test_outputs_changed_after_the_build_are_never_carried_over(project_factory, clean_build, tmp_path):
    """A workspace kept between CI runs: the state is genuine (this machine wrote it),
    but a checkout changed build/ since. Changed outputs are made again or left out."""
    clean = _published(clean_build)
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0:Qx7-secret:/root:/bin/bash\n")
    root = _built_copy(project_factory, clean_build)
    site = root / "build/site"
    (site / "index.html").write_text(f"<html><body>{SCRIPT}</body></html>")
    hero_page = next(site.glob("heroes/*.html"))
    hero_page.unlink()
    os.symlink(outside, hero_page)
    # html not run: its outputs are carried over, except the two changed ones
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json")
    assert run.code == 0
    warned = sorted(d["file"] for d in run.json()["diagnostics"] if d["code"] == "HF0121")
    assert warned == sorted(["build/site/index.html", f"build/{hero_page.relative_to(root / 'build').as_posix()}"])
    published = _published(root)
    assert "site/index.html" not in published and not hero_page.exists()
    assert not [rel for rel, data in published.items() if MARK in data or b"Qx7-secret" in data]
    # html run again: everything made afresh where it changed, byte for byte a clean build
    (site / "index.html").unlink(missing_ok=True)
    _build(root)
    assert _published(root) == clean


def test_a_cache_folder_that_is_a_link_is_not_used(project_factory, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = project_factory()
    os.symlink(elsewhere, root / CACHE_DIR)
    _build(root, "json")
    _build(root, "json")
    assert list(elsewhere.iterdir()) == []   # nothing written through the link


def test_the_key_lives_outside_the_work_tree_and_only_its_owner_reads_it(project_factory, tmp_path):
    root = project_factory()
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    run = foundry("build", "--project", str(root), "--only", "json", env=env)
    assert run.code == 0
    key = tmp_path / "xdg/hero-foundry/key"
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600 and len(key.read_bytes()) == 32
    shutil.rmtree(root / "build")
    # a key inside the project (XDG_CACHE_HOME pointing into it) is never used: the
    # cache then cannot verify, and the build is still right
    inside = {"XDG_CACHE_HOME": str(root / "xdg")}
    assert foundry("build", "--project", str(root), "--only", "json", env=inside).code == 0
    assert foundry("build", "--project", str(root), "--only", "json", env=inside).code == 0


def test_a_key_in_the_work_tree_around_the_project_is_never_used(tmp_path, monkeypatch):
    """The project in a subfolder of its repository (`--project world`) and
    XDG_CACHE_HOME in the checkout (where CI caches are kept): a committed
    `.cache/hero-foundry/key`, checked out 0600 under umask 077, was the key, so a
    committed cache or build state sealed with it was trusted. Only a key outside the
    project's work tree is."""
    from pipeline import seal
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    world = checkout / "world"
    world.mkdir()
    committed = checkout / ".cache/hero-foundry/key"
    committed.parent.mkdir(parents=True)
    committed.write_bytes(b"A" * seal.KEY_BYTES)
    committed.chmod(0o600)
    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(checkout / ".cache"))
    assert seal.key(world) != b"A" * seal.KEY_BYTES
    elsewhere = tmp_path / "elsewhere"   # nor for a project elsewhere: it is in a work tree git cannot vouch for
    elsewhere.mkdir()
    assert seal.key(elsewhere) != b"A" * seal.KEY_BYTES
    # the project in a submodule of the checkout (`--project sub/world`, or a pull request
    # making `world` a submodule): its `.git` is a file naming the superproject's
    # `.git/modules/sub`, and the key in the superproject's work tree was used
    (checkout / ".git/modules/sub").mkdir(parents=True)
    (checkout / "sub/world").mkdir(parents=True)
    (checkout / "sub/.git").write_text("gitdir: ../.git/modules/sub\n", encoding="utf-8")
    assert seal.key(checkout / "sub/world") != b"A" * seal.KEY_BYTES
    # and when the checkout is a linked worktree (`git worktree add ../wt`), whose
    # submodules' repositories are in `.git/worktrees/wt/modules/`: it was taken for none
    (checkout / ".git/worktrees/wt/modules/sub2").mkdir(parents=True)
    (checkout / "sub2/world").mkdir(parents=True)
    (checkout / "sub2/.git").write_text("gitdir: ../.git/worktrees/wt/modules/sub2\n", encoding="utf-8")
    assert seal.key(checkout / "sub2/world") != b"A" * seal.KEY_BYTES
    # a worktree elsewhere, or a project with a repository of its own under a home folder
    # that is one (dotfiles), is its own work tree: the key around it is this user's
    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)
    (home / "main/.git/worktrees/wt").mkdir(parents=True)
    (home / "wt/world").mkdir(parents=True)
    (home / "wt/.git").write_text(f"gitdir: {home / 'main/.git/worktrees/wt'}\n", encoding="utf-8")
    kept = home / ".cache/hero-foundry/key"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(b"B" * seal.KEY_BYTES)
    kept.chmod(0o600)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    # (a `.git` git cannot read is no answer: the key in its work tree is not used)
    assert seal.key(home / "wt/world") != b"B" * seal.KEY_BYTES
    shutil.rmtree(home / ".git")
    _git(tmp_path, "init", "-q", str(home))
    seal._answered.clear()   # (git's answer is kept for the run)
    assert seal.key(home / "wt/world") == b"B" * seal.KEY_BYTES


def test_the_key_is_judged_by_whether_a_repository_around_it_tracks_it(tmp_path, monkeypatch):
    """Whose key a file in a work tree is, git says: one it tracks came with a checkout.
    A project with no repository of its own under a home folder that is a dotfiles
    repository got a throwaway key each run (every cache lost between runs); a project
    in an old-style submodule (its own `.git` folder) stopped the search there, and the
    superproject's committed key was used; so was one in a `.cache` made a submodule."""
    from pipeline import seal
    monkeypatch.delenv(seal.KEY_ENV, raising=False)
    monkeypatch.setattr(seal, "_answered", {}, raising=False)

    def key_file(folder, byte: bytes):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "key").write_bytes(byte * seal.KEY_BYTES)
        (folder / "key").chmod(0o600)

    home = tmp_path / "home"                      # dotfiles: the key is there, untracked
    _git(tmp_path, "init", "-q", str(home))
    (home / "notes/world").mkdir(parents=True)
    key_file(home / ".cache/hero-foundry", b"H")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    assert seal.key(home / "notes/world") == b"H" * seal.KEY_BYTES

    checkout = tmp_path / "checkout"              # a pull request's checkout: the key committed
    _git(tmp_path, "init", "-q", str(checkout))
    key_file(checkout / ".cache/hero-foundry", b"C")
    (checkout / "README").write_text("x")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-qm", "key")
    _git(tmp_path, "init", "-q", str(checkout / "sub"))     # an old-style submodule: a `.git` folder of its own
    (checkout / "sub/world").mkdir()
    (checkout / "sub/world/x").write_text("x")
    _git(checkout / "sub", "add", "-A")
    _git(checkout / "sub", "commit", "-qm", "sub")
    monkeypatch.setenv("XDG_CACHE_HOME", str(checkout / ".cache"))
    assert seal.key(checkout / "sub/world") != b"C" * seal.KEY_BYTES

    other = tmp_path / "other"                    # `.cache` itself a submodule holding the key
    _git(tmp_path, "init", "-q", str(other))
    (other / "world").mkdir()
    _git(tmp_path, "init", "-q", str(other / ".cache"))
    key_file(other / ".cache/hero-foundry", b"S")
    _git(other / ".cache", "add", "-A")
    _git(other / ".cache", "commit", "-qm", "key")
    monkeypatch.setenv("XDG_CACHE_HOME", str(other / ".cache"))
    assert seal.key(other / "world") != b"S" * seal.KEY_BYTES


# SQL a pull request can put in a committed cache file's schema: it runs when foundry
# reads or writes the table it is named like.
HOSTILE_SCHEMAS = {
    # a view that never ends, behind a `meta` that claims the current format
    "endless-view": ["CREATE VIEW meta AS SELECT 'format' AS key, '{format}' AS value",
                     "CREATE VIEW parsed AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
                     "SELECT 'k' || x AS key, 'p' AS payload, 'm' AS mac FROM n"],
    # a trigger that turns every row foundry stores into another one
    "trigger": ["CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
                "INSERT INTO meta VALUES ('format', '{format}')",
                "CREATE TABLE parsed (key TEXT PRIMARY KEY, payload TEXT, mac TEXT)",
                "CREATE TRIGGER t AFTER INSERT ON parsed BEGIN "
                "UPDATE parsed SET payload = '\"{script}\"' WHERE key = new.key; END"],
}


@pytest.mark.parametrize("schema", sorted(HOSTILE_SCHEMAS))
def test_a_committed_cache_with_sql_in_its_schema_is_not_used(project_factory, schema):
    root = project_factory()
    (root / CACHE_DIR).mkdir()
    with sqlite3.connect(root / CACHE_DIR / FILE) as db:
        for statement in HOSTILE_SCHEMAS[schema]:
            db.execute(statement.format(format=FORMAT, script=SCRIPT.replace("'", "''")))
    _commit_everything(root)
    assert foundry("check", "--project", str(root)).code == 0   # ends (the view once never did)
    _build(root, "json")
    assert not [rel for rel, data in _published(root).items() if MARK in data]
    with sqlite3.connect(root / CACHE_DIR / FILE) as db:   # the file was made afresh
        kinds = {kind for (kind,) in db.execute("SELECT type FROM sqlite_master")}
    assert kinds <= {"table", "index"}


def test_a_committed_cache_file_too_big_to_be_ours_is_not_loaded(project_factory):
    """A file of zeros packs to almost nothing in git, so a pull request can commit a
    4 GiB `.foundry-cache/file-hashes.json` (sparse here). It was read whole into
    memory before its seal was checked: under a 3 GB address-space limit the build
    died with "internal error (MemoryError)". Now it is ignored unread."""
    require_tool(shutil.which("prlimit") is not None, "prlimit (util-linux)")
    root = project_factory()
    (root / CACHE_DIR).mkdir()
    with open(root / CACHE_DIR / "file-hashes.json", "wb") as memo:
        memo.truncate(4 * 1024 ** 3)
    run = subprocess.run(["prlimit", "--as=3000000000", sys.executable, "-m", "pipeline", "build", "--only", "json",
                          "--project", str(root)], cwd=REPO, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "NO_COLOR": "1"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert "internal error" not in run.stderr
    assert (root / CACHE_DIR / "file-hashes.json").stat().st_size < 1024 ** 2   # replaced by this build's own


def _hot_journal(names_to_delete: str) -> bytes:
    """A rollback journal as SQLite leaves one when a transaction spanning several
    databases is cut short: no pages, only the name of its super-journal (pager.c
    `writeSuperJournal`). Whoever opens the database next plays it back and then
    deletes the super-journal, any file at all, once no journal it lists names it."""
    import struct
    name = names_to_delete.encode()
    magic = bytes([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7])
    return b"X\0\0\1" + name + struct.pack(">II", len(name), sum(name)) + magic


@pytest.mark.parametrize("suffix", ["-journal", "-wal", "-shm"])
def test_files_sqlite_would_act_on_beside_a_committed_cache_are_never_played(project_factory, clean_build, tmp_path,
                                                                          suffix):
    """SQLite acts on the files beside a database when it opens it: a hot rollback
    journal is played back into it, and the file its super-journal record names is
    deleted (any file the user may delete, inside the project or out). A pull request
    committed `.foundry-cache/parsed.sqlite-journal` beside the user's own cache and
    `foundry check` deleted the file it named. None of them is foundry's unless a
    build of this machine is writing the file right now: each is removed with the
    database, unread, which is made afresh."""
    root = _built_copy(project_factory, clean_build)   # the user's own cache, as a build left it
    outside = tmp_path / "precious.txt"
    outside.write_text("the user's own\n")
    hero = root / "content/heroes/first-hero.yaml"
    hero_bytes = hero.read_bytes()
    victim = outside if suffix == "-journal" else hero
    (root / CACHE_DIR / (FILE + suffix)).write_bytes(_hot_journal(str(victim)))
    assert foundry("check", "--project", str(root)).code == 0
    assert outside.read_text() == "the user's own\n" and hero.read_bytes() == hero_bytes
    assert not (root / CACHE_DIR / (FILE + suffix)).exists()
    # and the journal naming a file inside the project, found by a build
    (root / CACHE_DIR / (FILE + "-journal")).write_bytes(_hot_journal(str(hero)))
    hero.write_bytes(hero_bytes + b"\n# edited\n")
    _build(root, "json")
    assert hero.read_bytes() == hero_bytes + b"\n# edited\n"


def test_outputs_not_reused_under_another_key_are_named_as_removed(project_factory, clean_build, tmp_path):
    """build/ made under one user's key, then `--only json` under another's (another
    HOME, the key deleted): nothing of it is reused, so the site and the EPUB go — named
    under `removed` with HF0182, where the report said '0 removed' and they vanished.
    Its list is anyone's: files outside build/ that it names (`../`, an absolute path,
    through a folder that is a link out) were looked for and said removed, though
    nothing outside build/ is touched."""
    root = _built_copy(project_factory, clean_build)
    before = {rel for rel in _published(root) if "!" not in rel}
    outside = tmp_path / "outside.txt"
    outside.write_text("not an output")
    summary = root / "build/.foundry/summary.json"
    seal_line, _, data = summary.read_bytes().partition(b"\n")
    listed = json.loads(data)
    (root / "build/site/away").symlink_to(tmp_path, target_is_directory=True)   # a listed folder linked out
    listed["paths"] += [str(outside), os.path.relpath(outside, root / "build"), "site/../foundry.toml",
                        "site/away", "site/away/outside.txt"]
    summary.write_bytes(seal_line + b"\n" + json.dumps(listed).encode())
    run = foundry("build", "--project", str(root), "--only", "json", "--format", "json",
                  env={"SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": str(tmp_path / "other-user")})
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    gone = (before | {"site/away"}) - set(_published(root))   # the link itself goes with build/
    assert any(rel.endswith(".epub") for rel in gone) and any(rel.startswith("site/heroes/") for rel in gone), gone
    assert set(report["build"]["removed"]) == gone
    assert outside.read_text() == "not an output" and (root / "foundry.toml").exists()
    said = [d for d in report["diagnostics"] if d["code"] == "HF0182"]
    assert len(said) == 1 and said[0]["file"] == "build", said


def test_a_home_folder_that_is_not_there_is_never_made(project_factory, tmp_path):
    """HOME=/nonexistent (a system user's, a CI container's) names no folder: the key
    is then this run's alone, and the home folder is not created as its parent (a build
    run as root made /nonexistent/.cache/hero-foundry/key)."""
    root = project_factory()
    home = tmp_path / "nonexistent"
    env = {"HOME": str(home), "XDG_CACHE_HOME": ""}
    assert foundry("build", "--project", str(root), "--only", "json", env=env).code == 0
    assert not home.exists()


def test_a_check_that_can_keep_nothing_says_so_too(project_factory, tmp_path):
    """`foundry check` seals its caches with the same key: with no home folder every
    check read and judged every file again (3,000 heroes: 5–7 s a check instead of half
    a second), said by the build but never by the check, which CI and pre-commit run
    most. HF0745 says it once per check, in the check's words; followed, it is quiet."""
    root = project_factory()

    def check(env):
        run = foundry("check", "--project", str(root), "--format", "json", env=env)
        assert run.code == 0, run.stderr
        return [d for d in json.loads(run.stdout)["diagnostics"] if d["code"] == "HF0745"]

    homeless = {"HOME": str(tmp_path / "nonexistent"), "XDG_CACHE_HOME": ""}
    said = check(homeless)
    assert len(said) == 1 and said[0]["file"] == "<environment>" and said[0]["severity"] == "info", said
    assert said[0]["message"].startswith("every check reads and judges every file again") and \
        "home folder does not exist" in said[0]["message"] and "XDG_CACHE_HOME" in said[0]["hint"], said
    # the hint says what the check gains, not the build (it said "the next build then renders")
    assert said[0]["hint"].endswith("The next check then reads and judges only the files that changed."), said
    kept = {**homeless, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert check(kept) == [] and check(kept) == []


def test_a_build_that_can_keep_nothing_says_so_and_the_hint_makes_it_keep(project_factory, tmp_path):
    """With no home folder (a CI container's service user) or a key file that cannot be
    used, every build rendered every output again with nothing said ('0 unchanged' at
    each run): HF0745 says it once per build, with the reason, and its hint followed
    (XDG_CACHE_HOME outside the project; the key file's mode 600) makes the next
    build render nothing."""
    root = project_factory()

    def build(env):
        run = foundry("build", "--project", str(root), "--only", "json", "--format", "json",
                      env={"SOURCE_DATE_EPOCH": "1700000000", **env})
        assert run.code == 0, run.stderr
        report = json.loads(run.stdout)
        return report["build"], [d for d in report["diagnostics"] if d["code"] == "HF0745"]

    homeless = {"HOME": str(tmp_path / "nonexistent"), "XDG_CACHE_HOME": ""}
    made, said = build(homeless)
    assert made["written"] and not made["reused"]
    assert len(said) == 1 and said[0]["file"] == "<environment>" and said[0]["severity"] == "info", said
    assert "home folder does not exist" in said[0]["message"] and "XDG_CACHE_HOME" in said[0]["hint"]
    assert said[0]["message"].endswith("and XDG_CACHE_HOME is not set")
    # one set but relative is not used (it would name the checkout): said so, not "not set"
    made, said = build({**homeless, "XDG_CACHE_HOME": "cache"})
    assert said[0]["message"].endswith("and XDG_CACHE_HOME is a relative path ('cache'), which is not used"), said
    kept = {**homeless, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    made, said = build(kept)
    assert made["written"] and not said
    made, said = build(kept)
    assert not made["written"] and made["reused"] and not said
    key = tmp_path / "cache/hero-foundry/key"
    key.chmod(0o644)
    made, said = build(kept)
    assert made["written"] and len(said) == 1 and "may be read by others (mode 644" in said[0]["message"], said


def test_no_home_at_all_is_said_in_words(monkeypatch):
    """HOME unset and the user in no password database (a container run as `--user
    1001`): HF0745 read "because Could not determine home directory. (HOME='')" —
    Python's exception text inside the sentence, and an empty HOME that was not set."""
    import pwd

    from pipeline import seal

    def nobody(uid):
        raise KeyError(uid)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("FOUNDRY_SEAL_KEY", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", nobody)
    assert seal.unkept() == "no home folder is known (HOME is not set) and XDG_CACHE_HOME is not set"
