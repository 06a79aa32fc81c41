"""Steps the engine's tests take again and again (`from engine_steps import save`): build
in-process, save through a resident engine, read build/ as bytes, and compare a world
with a clean build of a copy of it. One place, so every incremental test judges
"the same as a clean build" by the same measure. A caller that reaches the same state
of the sources more than once (a test run once per parameter that leaves the clean
build alone, the property tests' edits in turn) compares with one clean build of it
(`clean_hashes`, `same_as_clean(memo=True)`)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build

OUTPUTS = ["json", "html"]
# The lists' tests' heroes (by name: Aria Vale, Mara Stone, Rook Amsel — the minimal
# root's — and Zed Quill): each shows her name and title on every list.
HERO = """
name: {name}
title: Warden of the {title}
status: draft
template: scout
attributes: {{agility: 12, constitution: 10}}
skills: [ambush]
xp: 120
background: |
  {name} keeps the {title}.
"""
HEROES = {"aria": ("Aria Vale", "Ford"), "mara": ("Mara Stone", "Mill"), "zed": ("Zed Quill", "Pass")}


def rename_hero(world: Path, hid: str, name: str) -> str:
    """Hero `hid` named `name` (her file's `name:` line); returns the path the watcher names."""
    path = world / f"content/heroes/{hid}.yaml"
    text = path.read_text()
    assert re.search(r"^name: .*$", text, flags=re.M)
    path.write_text(re.sub(r"^name: .*$", f"name: {name}", text, count=1, flags=re.M))
    return f"content/heroes/{hid}.yaml"


def listed_heroes() -> dict[str, str]:
    """The files of the lists' tests' three heroes (path -> YAML), for `write_project`."""
    return {f"content/heroes/{hid}.yaml": HERO.format(name=name, title=title)
            for hid, (name, title) in HEROES.items()}


def forge_span_log(world: Path, published: str) -> None:
    """The span log kept for list `published` (its path under build/, e.g.
    "api/v1/bundle.json") edited behind foundry's back in the sealed cache: its spans
    moved, so its MAC no longer verifies and the next build must not splice from it."""
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    db.execute("UPDATE fragments SET payload = replace(payload, ',0,\"', ',1,\"') WHERE key LIKE ?",
               (f"%|spans:{published}",))
    forged = db.total_changes
    db.commit()
    db.close()
    assert forged, f"no span log of {published} to forge"


def logged_world(root: Path, outputs: list[str], published: tuple[str, ...], workers: int = 1,
                 files: dict[str, str] | None = None, edited: bool = True) -> Path:
    """The lists' tests' world (`listed_heroes` and `files`) at root, built with
    `outputs`, then again after an edit (its lists rendered whole and logged; not with
    `edited` false: the clean build's logs), with every
    stored row of the sealed cache deleted but the span logs, after asserting there is one
    for each list of `published` (paths under build/): a build that splices them makes
    only the rows of what changed, so a test sees what it made."""
    from support import write_project
    world = write_project(root, {**listed_heroes(), **(files or {})})
    run(world, outputs, workers)
    if edited:
        edit(world, "content/heroes/aria.yaml", "xp: 120", "xp: 130")
        run(world, outputs, workers)
    db = sqlite3.connect(world / ".foundry-cache" / "parsed.sqlite")
    logs = {key for (key,) in db.execute("SELECT key FROM fragments WHERE key LIKE '%|spans:%'")}
    assert {key.rsplit("|spans:", 1)[1] for key in logs} >= set(published)
    db.execute("DELETE FROM fragments WHERE key NOT LIKE '%|spans:%'")
    db.commit()
    db.close()
    return world


def output_bytes(root: Path) -> dict[str, bytes]:
    """Every file foundry published under root/build, by its path relative to build/
    (posix) → its bytes; the engine's own state (`.foundry*`) left out."""
    base = root / "build"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and ".foundry" not in p.parts}


def served_bytes(root: Path, engine) -> dict[str, bytes]:
    """`output_bytes` as `foundry serve` serves them: build/'s files, with the new
    bytes a resident `engine` holds for its flush in place of theirs
    (write/in_place.py `Held`)."""
    files = output_bytes(root)
    files.update({rel: data for rel, (data, _) in engine.held.files().items() if not rel.startswith(".foundry/")})
    return files


def succeeded(report, diags: Diagnostics):
    """`report`, after asserting the build it reports succeeded; the assertion names
    every error as "span message"."""
    assert report.ok, [f"{d.span} {d.message}" for d in diags.errors]
    return report


def run(root: Path, outputs=OUTPUTS, workers: int = 1):
    """A CLI-shaped build of root in this process (no server, one worker by default);
    asserts it succeeded and returns its report."""
    diags = Diagnostics()
    return succeeded(build(root, diags, outputs, workers=workers), diags)


def save(engine, changed=None):
    """One `foundry serve` save through a resident engine; `changed` is what the file
    watcher reported (None: it reported nothing, the save checks everything)."""
    diags = Diagnostics()
    return succeeded(engine.build(diags, changed), diags)


def same_as_clean(world: Path, tmp_path: Path, name: str = "twin", outputs=OUTPUTS, memo: bool = False) -> None:
    """Assert world's build/ holds exactly a clean build's bytes: the sources are
    copied to tmp_path/name (no build/, no cache) and built from scratch there, with
    `outputs` (those world was built with). `memo`: compared with `clean_hashes` (a
    state already built clean in this process is not built again), for a caller whose
    monkeypatches reach no CLI build."""
    if memo:
        assert hashed(output_bytes(world)) == clean_hashes(world, tmp_path / name, outputs)
        return
    twin = tmp_path / name
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    run(twin, outputs)
    assert output_bytes(twin) == output_bytes(world)


def hashed(files: dict[str, bytes]) -> dict[str, str]:
    """`output_bytes` (or `served_bytes`) as path -> sha256 hex: what a memo keeps."""
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()}


def source_digest(world: Path) -> str:
    """sha256 of everything a copy of world's sources holds, as `clean_hashes` copies
    them (every `build` and `.foundry-cache` left out, at any depth, as
    shutil.ignore_patterns does): each folder, each file's bytes and executable bit,
    each link's target, by path (the case of a name counts)."""
    digest = hashlib.sha256()
    for top, dirs, files in os.walk(world):
        dirs[:] = sorted(d for d in dirs if d not in ("build", ".foundry-cache"))
        rel = Path(top).relative_to(world).as_posix()
        digest.update(f"D {rel}\0".encode())
        for name in sorted(files + [d for d in dirs if os.path.islink(os.path.join(top, d))]):
            if name in ("build", ".foundry-cache"):
                continue
            path = os.path.join(top, name)
            if os.path.islink(path):
                digest.update(f"L {rel}/{name} {os.readlink(path)}\0".encode())
            else:
                with open(path, "rb") as f:
                    digest.update(f"F {rel}/{name} {os.stat(path).st_mode & 0o111}\0".encode())
                    digest.update(hashlib.sha256(f.read()).digest())
    return digest.hexdigest()


# A clean build's output (sha256 by path) by (source_digest, outputs, SOURCE_DATE_EPOCH):
# a clean build is a function of the sources (the project's determinism), so a state
# compared twice in one process (test_resident_property.py's two runs of the same edits
# in turn) is built clean once.
_CLEAN: dict[tuple, dict[str, str]] = {}


def clean_hashes(world: Path, fresh: Path, outputs=OUTPUTS) -> dict[str, str]:
    """`hashed(output_bytes)` of a clean build of world's sources: copied to `fresh`
    (no build/, no cache, links kept) and built there, then removed; remembered for the
    rest of this process by `source_digest`. Only for callers whose builds no
    monkeypatch of foundry changes (the memo would carry its bytes to another test)."""
    key = (source_digest(world), tuple(outputs), os.environ.get("SOURCE_DATE_EPOCH"))
    if key not in _CLEAN:
        shutil.copytree(world, fresh, symlinks=True, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        run(fresh, outputs)
        _CLEAN[key] = hashed(output_bytes(fresh))
        shutil.rmtree(fresh)
    return _CLEAN[key]


def edit(world: Path, rel: str, old: str, new: str) -> None:
    """Replace the first `old` in world/rel with `new`; fails if `old` is not there
    (an edit that changed nothing would make a test pass for nothing)."""
    path = world / rel
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def cli_check(root: Path, release: bool = False, during=None) -> tuple[list, dict, int]:
    """`foundry check` of `root` as the CLI runs it (a replay when nothing changed):
    (every field of every diagnostic, in order; the report's counts; how many times
    the check really ran, 0 for a replay). `during()`, when given, runs right after
    the check read the project and before the CLI keeps what it found (a writer's
    save in the middle of a check)."""
    from pipeline import cli
    from pipeline.engine import builder
    from pipeline.engine.builder import BuildReport
    ran = []
    real = builder.check

    def counted(*args, **kwargs):
        ran.append(1)
        world = real(*args, **kwargs)
        if during is not None:
            during()
        return world
    builder.check = counted
    try:
        diags, report = Diagnostics(), BuildReport()
        cli._check_working_tree(root, diags, report, release)
    finally:
        builder.check = real
    return [(d.severity, d.code, d.message, d.span, d.hint) for d in diags.items], report.counts, len(ran)
