"""`foundry build --release`: published entities only, in every output, and a
published story or quest that needs unpublished content is an error (HF0902)."""

from __future__ import annotations

import json
import shutil

import pytest
from git_support import Repo
from support import ROOTS, diagnostics


@pytest.fixture
def world(tmp_path) -> Repo:
    shutil.copytree(ROOTS / "git-world", tmp_path / "world")
    return Repo(tmp_path / "world")


def api(root, name: str) -> dict:
    return json.loads((root / "build/api/v1" / name).read_text(encoding="utf-8"))


def test_release_leaves_drafts_out_of_every_output(world: Repo):
    assert world.foundry("build").code == 0                                   # drafts included first …
    assert (world.root / "build/api/v1/heroes/bram.json").is_file()
    assert api(world.root, "heroes/bram.json")["hero"]["status"] == "draft"
    run = world.foundry("build", "--release", "--format", "json")            # … then the same build/ released
    assert run.code == 0, run.stderr
    report = run.json()
    assert report["release"] is True and report["build"]["counts"]["heroes"] == 1
    assert not (world.root / "build/api/v1/heroes/bram.json").exists()
    assert "bram" not in json.dumps(api(world.root, "bundle.json"))           # not even as a reference
    manifest = api(world.root, "manifest.json")
    assert [(e["kind"], e["id"]) for e in manifest["entities"]] == [
        ("character", "tomas"), ("hero", "aria"), ("quest", "ember-relic"), ("story", "sunken-keep")]
    aria = api(world.root, "heroes/aria.json")["hero"]
    assert [r["target"] for r in aria["relationships"]] == ["tomas"]          # her ally bram is a draft
    edges = api(world.root, "relationships.json")["relationships"]
    assert all("bram" not in (e["source"], e["target"]) for e in edges) and edges
    assert [h["id"] for h in api(world.root, "bundle.json")["heroes"]] == ["aria"]


def test_published_content_that_needs_a_draft_is_an_error(world: Repo):
    world.edit("content/stories/sunken-keep.md", "protagonist: aria\n", "protagonist: aria\nheroes: [bram]\n")
    world.edit("content/quests/ember-relic.yaml", "giver: tomas\n", "giver: bram\n")
    world.edit("content/characters/tomas.yaml", "status: published", "status: review")
    assert world.foundry("check").code == 0                                  # not a release: fine
    run = world.foundry("build", "--release", "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == ["HF0902 content/quests/ember-relic.yaml:3:8",
                                "HF0902 content/stories/sunken-keep.md:6:10",
                                "HF0902 content/stories/sunken-keep.md:7:14"]
    messages = sorted(d["message"] for d in run.json()["diagnostics"])
    assert messages == ["published quest 'ember-relic' needs hero 'bram', which is draft",
                        "published story 'sunken-keep' needs character 'tomas', which is review",
                        "published story 'sunken-keep' needs hero 'bram', which is draft"]
    assert not (world.root / "build").exists()
    assert world.foundry("check", "--release").code == 1                      # reviewers can ask before merging
