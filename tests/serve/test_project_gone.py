"""`foundry serve` outlives the folder it was started in: a project folder deleted,
renamed or replaced under it logged "internal error" at every rebuild (os.getcwd of a
deleted current folder, in every path the confinement resolved) and its file watcher
died with a traceback; a renamed one was HF0713, "wait for the other build"; a deleted
foundry.toml was "a symbolic link to foundry.toml, which does not exist". Each is now
said (HF0744, HF0205), the last good build is kept, and a save after the folder is back
builds it again."""

from __future__ import annotations

import os
import shutil

from pipeline.serve.server import LiveState, Rebuilder
from pipeline.serve.sweep import Sweep
from support import REPO


def _served(tmp_path, monkeypatch):
    root = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", root)
    monkeypatch.chdir(root)   # as `foundry serve` run in the project
    said: list[str] = []
    state = LiveState()
    rebuilder = Rebuilder(root, ["json"], state, said.append)
    rebuilder.run("first build")
    assert state.last.ok, said
    return root, said, state, rebuilder


def test_a_project_folder_gone_while_serving_is_said_and_built_again_when_back(tmp_path, monkeypatch):
    root, said, state, rebuilder = _served(tmp_path, monkeypatch)
    sweep = Sweep(root)
    sweep.start()
    away = tmp_path / "away"
    shutil.copytree(root, away)
    shutil.rmtree(root)   # the current folder with it
    said.clear()
    rebuilder.run("content/heroes/first-hero.yaml", ["content/heroes/first-hero.yaml"])
    log = "\n".join(said)
    assert "internal error" not in log, log
    assert [p["code"] for p in state.problems] == ["HF0744"], state.problems
    assert f"the project's folder {root} is gone" in log and "still serving the last good build" not in log, log
    assert "the open pages show this until the folder is back" in log, log   # its build/ went with it
    assert "hint: Put the folder back where it was" in log, log
    assert sweep.missed(force=True) is None   # the watcher's sweep too: no traceback (it killed the watcher)

    os.rename(away, root)   # back, as the hint says
    said.clear()
    rebuilder.run("content/heroes/first-hero.yaml", ["content/heroes/first-hero.yaml"])
    assert state.last.ok and not state.problems, said
    assert any("fixed — no errors now" in m for m in said), said


def test_a_project_folder_that_became_a_file_is_said(tmp_path, monkeypatch):
    root, said, state, rebuilder = _served(tmp_path, monkeypatch)
    monkeypatch.chdir(tmp_path)
    os.rename(root, tmp_path / "away")
    root.write_text("not a folder\n", encoding="utf-8")
    rebuilder.run("catch-up")
    assert [p["code"] for p in state.problems] == ["HF0744"], said
    assert f"{root} is no longer a folder" in "\n".join(said)


def test_foundry_toml_deleted_while_serving_is_said_as_gone(tmp_path, monkeypatch):
    root, said, state, rebuilder = _served(tmp_path, monkeypatch)
    kept = (root / "foundry.toml").read_bytes()
    (root / "foundry.toml").unlink()
    said.clear()
    rebuilder.run("foundry.toml", ["foundry.toml"])
    log = "\n".join(said)
    assert "foundry.toml: error HF0205 foundry.toml is gone" in log and "symbolic link" not in log, log
    (root / "foundry.toml").write_bytes(kept)   # as the hint says (git checkout -- foundry.toml)
    rebuilder.run("foundry.toml", ["foundry.toml"])
    assert state.last.ok and not state.problems, said
