"""What a `foundry serve` save no longer visits (engine/resident.py `carried`,
engine/outputs.py `ProseLinks`), and that what it skips is never stale.

A save finds the artifacts to decide by an index from input key to the records that
read it, and carries every other record over as it is; it checks the prose links of
the entities it changed, and of every entity only when the site's pages changed.
Each test here would fail if a shortcut kept an output or a finding that a clean
build would not: build/ is compared with a clean build's after every step."""

from __future__ import annotations

import shutil

import pytest

import pipeline.engine.resident as resident_module
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.engine.resident import Resident, _differ
from engine_steps import output_bytes, save, same_as_clean, edit
from support import REPO

ROOTS = REPO / "tests" / "roots"
OUTPUTS = ["json", "html"]
HERO = "content/heroes/first-hero.yaml"


def started(tmp_path):
    world = tmp_path / "world"
    shutil.copytree(ROOTS / "minimal", world)
    engine = Resident(world, OUTPUTS)
    save(engine)        # the first build and the catch-up
    save(engine)
    return world, engine


def index_of(engine) -> tuple[dict[str, set[str]], set[str]]:
    """The index `carried` reads, made from nothing out of the engine's state (the
    lists, which read more than WIDE_READS keys, are decided every save instead)."""
    index: dict[str, set[str]] = {}
    wide = set()
    for path, record in engine._state.artifacts.items():
        if len(record.reads) > resident_module.WIDE_READS:
            wide.add(path)
            continue
        for key in record.reads:
            index.setdefault(key, set()).add(path)
    return index, wide


# The sample's lists read ~60 keys: with a lower bound they are decided every save (as
# bundle.json is at 10,000 heroes), with the default they are in the index. The bound is
# the resident engine's alone: both cases reach the same states of the sources, each
# compared with one clean CLI build of it (same_as_clean's memo).
WIDE = pytest.mark.parametrize("wide", [resident_module.WIDE_READS, 8])


@WIDE
def test_a_save_decides_only_the_artifacts_whose_reads_changed(tmp_path, monkeypatch, wide):
    monkeypatch.setattr(resident_module, "WIDE_READS", wide)
    world, engine = started(tmp_path)
    before, hashes = dict(engine._state.artifacts), dict(engine._hashes)
    decided = []
    fresh = Resident.fresh

    def counting(self, path, *args):
        decided.append(path)
        return fresh(self, path, *args)
    monkeypatch.setattr(Resident, "fresh", counting)

    edit(world, HERO, "xp: ", "xp: 7")
    carried = engine.carried_builds
    report = save(engine, [HERO])

    changed = _differ(hashes, engine._hashes)
    assert changed and engine.carried_builds == carried + 1
    meets = {path for path, record in before.items() if not changed.isdisjoint(record.reads)}
    lists = {path for path, record in before.items() if len(record.reads) > wide}
    # with the low bound, some of them read no changed key: decided only for being wide
    assert (lists - meets) if wide == 8 else not lists
    # exactly the records that read a changed key are decided, and the lists that read
    # too many keys to index; the rest are carried over as they are
    assert sorted(decided) == sorted(meets | lists) and len(meets | lists) < len(before)
    assert set(report.written) <= meets and "site/heroes/first-hero.html" in report.written
    assert {path: record for path, record in engine._state.artifacts.items() if path not in meets} == \
        {path: record for path, record in before.items() if path not in meets}
    assert index_of(engine) == engine._reads.snapshot()
    same_as_clean(world, tmp_path, "twin", memo=True)


@WIDE
def test_added_renamed_and_deleted_entities_leave_no_stale_output_or_index(tmp_path, monkeypatch, wide):
    monkeypatch.setattr(resident_module, "WIDE_READS", wide)
    world, engine = started(tmp_path)
    heroes = world / "content/heroes"
    text = (heroes / "first-hero.yaml").read_text()
    steps = [
        ("add", lambda: (heroes / "extra.yaml").write_text(text.replace("Rook Amsel", "Extra Hero"))),
        ("edit the new one", lambda: edit(world, "content/heroes/extra.yaml", "xp: ", "xp: 3")),
        ("rename", lambda: (heroes / "extra.yaml").rename(heroes / "renamed.yaml")),
        ("delete", lambda: (heroes / "renamed.yaml").unlink()),
        # the same path again, other bytes: the index must not still hold the old record
        ("add again", lambda: (heroes / "renamed.yaml").write_text(text.replace("Rook Amsel", "Back Again"))),
        ("edit the first", lambda: edit(world, HERO, "xp: ", "xp: 9")),
    ]
    for n, (name, step) in enumerate(steps):
        step()
        save(engine, None if name != "edit the first" else [HERO])
        assert index_of(engine) == engine._reads.snapshot(), name
        same_as_clean(world, tmp_path, f"twin-{n}", memo=True)
    assert "Back Again" in (world / "build/site/heroes/renamed.html").read_text()
    assert not (world / "build/site/heroes/extra.html").exists()
    assert engine.build(Diagnostics()).written == []


def test_a_kept_output_changed_by_hand_is_made_again_though_the_index_keeps_it(tmp_path):
    world, engine = started(tmp_path)
    page = world / "build/site/characters/old-guide.html"
    good = page.read_bytes()
    page.write_bytes(b"edited by hand")          # no output watcher: every kept output is stat'ed
    edit(world, HERO, "xp: ", "xp: 5")
    report = save(engine, [HERO])
    assert "site/characters/old-guide.html" in report.written and page.read_bytes() == good
    same_as_clean(world, tmp_path, "twin")


def links(diags) -> list[str]:
    return sorted(f"{d.span.path}:{d.span.line} {d.message}" for d in diags.items if d.code == "HF0721")


def test_prose_links_are_checked_again_for_the_edited_entity_and_for_all_when_the_pages_change(tmp_path):
    world, engine = started(tmp_path)
    memo = engine.plans.links
    guide = world / "content/characters/old-guide.yaml"
    edit(world, HERO, "where the *fog* decides", "where [the guide](../characters/other-guide.html) decides")
    diags = Diagnostics()
    assert not engine.build(diags, [HERO]).ok
    found = links(diags)
    assert len(found) == 1 and found[0].startswith(f"{HERO}:12 ") and "other-guide" in found[0]
    assert memo.checked == 1        # the edited hero's links only

    # the target appears: every entity's links are checked again, and the finding is gone
    shutil.copy(guide, guide.with_name("other-guide.yaml"))
    edit(world, "content/characters/other-guide.yaml", "with: first-hero", "with: old-guide")
    save(engine)                    # ok: HF0721 is an error, so none was found
    assert memo.checked > 1
    same_as_clean(world, tmp_path, "twin-1")

    # an edit of another entity: the hero's links are not checked, and nothing is found
    edit(world, "content/stories/first-story.md", "The lantern bobs ahead", "The lantern bobs on ahead")
    diags = Diagnostics()
    report = engine.build(diags, ["content/stories/first-story.md"])
    assert report.ok and links(diags) == [] and memo.checked == 1

    # the target goes: the hero was not edited, and its link is reported again
    (world / "content/characters/other-guide.yaml").unlink()
    diags = Diagnostics()
    assert not engine.build(diags).ok
    assert links(diags) == found

    # and the same as `foundry check` finds, by a clean build's check
    twin = tmp_path / "twin-2"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    clean = Diagnostics()
    assert not build(twin, clean, OUTPUTS, workers=1).ok
    assert links(clean) == found


def fragment_index_of(engine) -> tuple[dict[str, set[str]], set[str]]:
    index: dict[str, set[str]] = {}
    wide = set()
    for name, fragment in engine._fragments.items():
        if len(fragment.reads) > resident_module.WIDE_READS:
            wide.add(name)
            continue
        for key in fragment.reads:
            index.setdefault(key, set()).add(name)
    return index, wide


@WIDE
def test_the_fragments_a_save_keeps_are_found_by_the_index_of_their_reads(tmp_path, monkeypatch, wide):
    """A list row kept in memory is handed to the next save unless one of its reads
    changed: found by the index, each save's row of the edited hero is made again."""
    monkeypatch.setattr(resident_module, "WIDE_READS", wide)
    world, engine = started(tmp_path)
    assert engine._fragments and fragment_index_of(engine) == engine._fragment_reads.snapshot()
    for n in range(3):
        kept = dict(engine._fragments)
        edit(world, HERO, "xp: ", f"xp: {n + 1}")
        report = save(engine, [HERO])
        remade = {key.split("|", 1)[1] for key in engine._fragments if engine._fragments[key] is not kept.get(key)}
        assert remade and remade == set(report.fragments)
        assert any("first-hero" in key for key in remade) and not any("first-quest" in key for key in remade)
        assert fragment_index_of(engine) == engine._fragment_reads.snapshot()
        same_as_clean(world, tmp_path, f"twin-{n}", memo=True)
    # a file added: the engine checks everything (no trusted save), and the index follows
    (world / "content/heroes/extra.yaml").write_text((world / HERO).read_text().replace("Rook Amsel", "Extra"))
    report = save(engine)
    assert any("extra" in key for key in report.fragments)
    assert fragment_index_of(engine) == engine._fragment_reads.snapshot()
    same_as_clean(world, tmp_path, "twin-added", memo=True)


def test_digests_and_output_hashes_left_for_flush_are_those_a_cli_build_records(tmp_path):
    """A save makes its records' digests and output hashes only when `flush` writes
    the state: after two saves with no flush between, the state written has exactly
    the records a CLI build of the same files makes, and a CLI build then finds
    every output fresh and intact (an empty or wrong one would be made again)."""
    from pipeline.write.state import read_state
    world, engine = started(tmp_path)
    engine.flush()
    edit(world, HERO, "xp: ", "xp: 5")
    report = save(engine, [HERO])
    assert report.written and all(engine._state.artifacts[path].digest == "" for path in report.written)
    edit(world, "content/stories/first-story.md", "The lantern bobs ahead", "The lantern bobs on ahead")
    save(engine, ["content/stories/first-story.md"])
    assert engine.flush()
    twin = tmp_path / "twin"
    shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
    assert build(twin, Diagnostics(), OUTPUTS, workers=1).ok
    mine, clean = read_state(world / "build").artifacts, read_state(twin / "build").artifacts
    assert mine == clean and all(record.digest and record.output for record in mine.values())
    # a CLI build after one more edit re-renders in both exactly what that edit touched
    for root in (world, twin):
        edit(root, HERO, "xp: 5", "xp: 6")
    written = [build(root, Diagnostics(), OUTPUTS, workers=1).written for root in (world, twin)]
    assert written[0] and sorted(written[0]) == sorted(written[1])
    assert output_bytes(world) == output_bytes(twin)
