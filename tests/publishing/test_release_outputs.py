"""`build/` holds exactly what the current build made: a release build with `--only`
keeps no output an earlier draft build made for the exporters it did not run."""

from __future__ import annotations

import json

from support import foundry

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _files(build):
    return sorted(p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file())


def test_release_after_full_build_leaves_no_draft(project_factory):
    # The minimal project's hero and story are drafts: a full build makes their PDF,
    # EPUB, ink and Twee; a release build of json,html must not keep any of them.
    root = project_factory()
    full = foundry("build", "--project", str(root), "-q", env=EPOCH)
    assert full.code == 0, full.stderr
    before = _files(root / "build")
    assert any(p.startswith("pdf/") for p in before) and any(p.startswith("ink/") for p in before)

    release = foundry("build", "--project", str(root), "--release", "--only", "json,html", "--format", "json",
                      env=EPOCH)
    assert release.code == 0, release.stderr
    after = _files(root / "build")
    assert not [p for p in after if p.split("/")[0] in ("pdf", "epub", "ink", "twee")], after
    for draft in ("first-hero", "first-story", "old-guide"):
        assert not [p for p in after if draft in p], (draft, after)
        for rel in after:
            if not rel.startswith(".foundry/"):
                assert draft.encode() not in (root / "build" / rel).read_bytes(), (draft, rel)
    removed = release.json()["build"]["removed"]
    assert "pdf/stories/first-story.pdf" in removed

    # A later draft build of one exporter does not carry the release outputs either.
    draft = foundry("build", "--project", str(root), "--only", "ink", "-q", env=EPOCH)
    assert draft.code == 0, draft.stderr
    assert {p.split("/")[0] for p in _files(root / "build")} == {".foundry", "ink"}
    # the state is sealed (pipeline/seal.py): one `hf-seal1 <mac>` line, then the JSON
    seal_line, _, body = (root / "build/.foundry/state.json").read_text().partition("\n")
    assert seal_line.startswith("hf-seal1 ")
    state = json.loads(body)
    assert state["release"] is False


def test_same_mode_only_build_keeps_other_outputs(project_factory):
    """`--only` in the same mode still carries the other exporters' outputs over."""
    root = project_factory()
    assert foundry("build", "--project", str(root), "--only", "json,ink", "-q", env=EPOCH).code == 0
    again = foundry("build", "--project", str(root), "--only", "json", "-q", env=EPOCH)
    assert again.code == 0, again.stderr
    assert (root / "build/ink/first-story.ink").is_file()

    # Without --only, build/ holds what foundry.toml's outputs make: ink dropped from
    # them is removed (it stayed, carried over as if --only had been given)
    config = root / "foundry.toml"
    text = config.read_text()
    assert "\noutputs = " in text
    config.write_text("\n".join('outputs = ["json"]' if line.startswith("outputs = ") else line
                                for line in text.splitlines()) + "\n")
    dropped = foundry("build", "--project", str(root), "--format", "json", env=EPOCH)
    assert dropped.code == 0, dropped.stderr
    assert not (root / "build/ink").exists() and "ink/first-story.ink" in dropped.json()["build"]["removed"]
