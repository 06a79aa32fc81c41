"""The World of a trusted `foundry serve` save (engine/resident.py, queries.py): only the
watcher's named files are read again, every other file's answers are the last run's,
found by their inputs' identity (queries.py `_key`). Nothing derived from several
entities may go stale: after each save build/ holds a clean build's bytes and the save
reports exactly the diagnostics a clean build reports, those of files it did not read
again included."""

from __future__ import annotations

import shutil

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.engine.resident import Resident
from engine_steps import hashed, source_digest
from support import REPO

OUTPUTS = ["json", "html"]
HERO = "content/heroes/first-hero.yaml"
GUIDE = "content/characters/old-guide.yaml"
STORY = "content/stories/first-story.md"
GUIDE_PAGE = "build/site/characters/old-guide.html"


def _snapshot(root) -> dict[str, bytes]:
    base = root / "build"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and ".foundry" not in p.parts}


def _said(diags: Diagnostics) -> list[tuple]:
    return [(d.severity.value, d.code, d.span.path, d.span.line, d.span.column, d.message) for d in diags.items]


# `_clean`'s answers by the sources' digest: a clean build is a function of the sources
# (the project's determinism), and the tests' saves come back to states built before
# (an edit undone, the minimal project itself), each built clean once in this process
_CLEAN: dict[str, tuple[bool, list[tuple], dict[str, str]]] = {}


def _clean(world, tmp_path, name) -> tuple[bool, list[tuple], dict[str, str]]:
    """A clean CLI build of a copy of `world`: (ok, what it said, build/'s files as
    sha256 by path, `hashed`), remembered by `source_digest`."""
    key = source_digest(world)
    if key not in _CLEAN:
        twin = tmp_path / name
        shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        diags = Diagnostics()
        ok = build(twin, diags, OUTPUTS, workers=1).ok
        _CLEAN[key] = ok, _said(diags), hashed(_snapshot(twin))
    return _CLEAN[key]


class Server:
    """A resident engine on a copy of the minimal project, saved as the watcher reports."""

    def __init__(self, tmp_path):
        self.tmp_path, self.world, self.saves = tmp_path, tmp_path / "world", 0
        shutil.copytree(REPO / "tests/roots/minimal", self.world)
        self.engine = Resident(self.world, OUTPUTS)
        self.engine.build(Diagnostics())   # the first build and the catch-up: every file checked
        self.engine.build(Diagnostics())

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.world / rel
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))

    def save(self, rel: str) -> tuple[bool, list[tuple]]:
        """One trusted save of `rel`, checked against a clean build of the same files."""
        trusted = self.engine.trusted_builds
        diags = Diagnostics()
        ok = self.engine.build(diags, [rel]).ok
        assert self.engine.trusted_builds == trusted + 1   # the watcher's word was taken
        self.saves += 1
        clean_ok, clean_said, clean_bytes = _clean(self.world, self.tmp_path, f"clean-{self.saves}")
        assert (ok, _said(diags)) == (clean_ok, clean_said)
        if ok:
            assert hashed(_snapshot(self.world)) == clean_bytes
        return ok, _said(diags)


def test_a_hero_edit_reaches_the_relationship_another_persons_page_shows(tmp_path):
    server = Server(tmp_path)
    before = (server.world / GUIDE_PAGE).read_bytes()
    # her side of the pair now disagrees with the guide's: both pages, and the warning, change
    server.edit(HERO, "{with: old-guide, kind: mentor}", "{with: old-guide, kind: rival}")
    ok, said = server.save(HERO)
    assert ok and (server.world / GUIDE_PAGE).read_bytes() != before
    server.edit(HERO, "{with: old-guide, kind: rival}", "{with: old-guide, kind: mentor}")
    assert server.save(HERO)[0]
    assert (server.world / GUIDE_PAGE).read_bytes() == before


def test_a_story_edit_changes_who_appears_where(tmp_path):
    server = Server(tmp_path)
    assert "The Fog Road" in (server.world / GUIDE_PAGE).read_text()
    server.edit(STORY, "characters: [old-guide]", "characters: []")
    assert server.save(STORY)[0]
    # the guide still gives the story's quest, so the quest's story is all she shows of it
    server.edit(STORY, "characters: []", "characters: [old-guide]")
    assert server.save(STORY)[0]
    assert "The Fog Road" in (server.world / GUIDE_PAGE).read_text()


def test_a_file_made_invalid_then_valid_again_by_trusted_saves(tmp_path):
    server = Server(tmp_path)
    good = _snapshot(server.world)
    server.edit(HERO, "xp: 120", "xp: lots")
    ok, said = server.save(HERO)
    assert not ok and any(path == HERO for _, _, path, *_ in said)
    assert _snapshot(server.world) == good   # broken content keeps the last good output
    server.edit(HERO, "xp: lots", "xp: 120")
    assert server.save(HERO) == (True, [])
    assert _snapshot(server.world) == good


def test_diagnostics_of_files_a_save_did_not_read_are_reported_every_save(tmp_path):
    server = Server(tmp_path)
    # a pair that disagrees: a warning at her line and one at the guide's
    server.edit(HERO, "{with: old-guide, kind: mentor}", "{with: old-guide, kind: rival}")
    ok, said = server.save(HERO)
    warned = [d for d in said if d[2] in (HERO, GUIDE)]
    assert ok and {d[2] for d in warned} == {HERO, GUIDE} and all(d[0] == "warning" for d in warned)
    # neither file is read again by these saves: their warnings are the last run's, still said
    for text in ("The lantern sways ahead", "The lantern bobs ahead"):
        server.edit(STORY, "The lantern bobs ahead" if text != "The lantern bobs ahead" else "The lantern sways ahead", text)
        ok, said = server.save(STORY)
        assert ok and [d for d in said if d[2] in (HERO, GUIDE)] == warned
    server.edit(GUIDE, "role: Mentor", "role: Mentor of the road")   # the guide read again, not her
    ok, said = server.save(GUIDE)
    assert ok and [d for d in said if d[2] in (HERO, GUIDE)] == warned


def test_a_trusted_save_finds_every_unchanged_files_answers_by_identity(tmp_path, monkeypatch):
    from pipeline.load.documents import Document
    from pipeline.queries import Queries
    from pipeline.validate.entities import Entry
    server = Server(tmp_path)
    keyed: list[tuple] = []      # the inputs whose key was made by fingerprinting and hashing them
    real = Queries._fingerprint

    def counting(self, inputs):
        keyed.append(inputs)
        return real(self, inputs)
    server.edit(HERO, "name: Rook Amsel", "name: Rook Watched")
    with monkeypatch.context() as patch:   # the engine's save only (not the clean build it is compared with)
        patch.setattr(Queries, "_fingerprint", counting)
        assert server.engine.build(Diagnostics(), [HERO]).ok
    assert server.engine.trusted_builds == 1 and server.engine.queries.computed.get("validate") == 1
    files = {v.path for inputs in keyed for v in inputs if isinstance(v, (Document, Entry))}
    # her new document and entry are keyed by their content; every other file's read,
    # parse, validation and sheet is the last load's (resolve/world.py `_load_trusted`,
    # queries.py `reuse`), and so is the story's analysis: its players, made again
    # from her new sheet, are equal to the last load's (a rename is not a value a
    # player has), so it is not asked
    assert files == {HERO}
    clean_ok, _, clean_bytes = _clean(server.world, tmp_path, "clean")
    assert clean_ok and hashed(_snapshot(server.world)) == clean_bytes


TEMPLATE = "content/templates/heroes/scout.yaml"


def test_a_trusted_load_reads_the_named_file_only_and_what_depends_on_it_is_made_again(tmp_path, monkeypatch):
    """resolve/world.py `_load_trusted`: a file the watcher did not name is the last
    load's (its document, what it reported, its answers kept by their keys); only the
    named file goes to load_documents, and what reads it is asked again by its inputs:
    a template's heroes' sheets, the stories those heroes play."""
    import pipeline.resolve.world as world_module
    server = Server(tmp_path)
    handed: list[list[str]] = []
    real = world_module.load_documents

    def recording(files, *args, **kwargs):
        if files and str(files[0].path).startswith(str(server.world)):   # the engine's, not the clean twin's
            handed.append([file.rel for file in files])
        return real(files, *args, **kwargs)
    monkeypatch.setattr(world_module, "load_documents", recording)
    server.edit(HERO, "name: Rook Amsel", "name: Rook Kept")
    assert server.save(HERO)[0]
    assert handed == [[HERO]] and server.engine.queries.computed == {"parse": 1, "validate": 1, "sheet": 1}

    # the template she is made from: her sheet (new defaults) and the story she plays
    # (other players' values) are asked again though her file was not read
    handed.clear()
    server.edit(TEMPLATE, "attributes: {agility: 12, wits: 11}", "attributes: {agility: 12, wits: 15}")
    assert server.save(TEMPLATE)[0]
    computed = server.engine.queries.computed
    assert handed == [[TEMPLATE]] and computed.get("sheet") == 1 and computed.get("analysis") == 1
    assert "15" in (server.world / "build/site/heroes/first-hero.html").read_text()

    # a file made invalid by one save, valid by the next, the template back as it was
    server.edit(HERO, "xp: 120", "xp: lots")
    assert not server.save(HERO)[0]
    server.edit(HERO, "xp: lots", "xp: 120")
    assert server.save(HERO)[0]
    server.edit(TEMPLATE, "wits: 15", "wits: 11")
    assert server.save(TEMPLATE)[0]

    # a save that is not trusted loads every file again, and the next trusted one
    # takes what that one loaded
    handed.clear()
    assert server.engine.build(Diagnostics()).ok
    assert handed and len(handed[0]) > 1
    handed.clear()
    server.edit(STORY, "The lantern bobs ahead", "The lantern sways ahead")
    assert server.save(STORY)[0]
    assert handed == [[STORY]]


def test_a_misnamed_files_hint_follows_the_names_another_file_adds_or_takes(tmp_path, monkeypatch):
    """HF0113's and HF0161's hint names an id no other file has (places.told_ids), so
    it is made from the names of OTHER files, which the read of the misnamed file alone
    does not see: `foundry serve` kept each file's read under its own stat and, once
    rook.yaml was added beside Rook.yaml, went on saying 'rename it to rook.yaml' (the
    file just added) where a clean check says 'rook-2.yaml'; removed again, the reverse;
    con.yaml stayed told 'con-1.yaml' once con-1.yaml existed. After each save the
    serve says what a clean build of the same files says."""
    import pipeline.load.workers as workers
    monkeypatch.setattr(workers, "RACY", -1.0)   # every file settled: its read is the stat-keyed query
    world = tmp_path / "world"
    shutil.copytree(REPO / "tests/roots/minimal", world)
    hero = (world / HERO).read_text()
    (world / "content/heroes/Rook.yaml").write_text(hero)
    (world / "content/heroes/con.yaml").write_text(hero)
    engine = Resident(world, OUTPUTS)
    engine.build(Diagnostics())
    engine.build(Diagnostics())
    steps = [("content/heroes/rook.yaml", "add"), ("content/characters/con-1.yaml", "add"),
             ("content/heroes/rook.yaml", "remove")]
    for n, (rel, how) in enumerate(steps):
        if how == "add":
            (world / rel).write_text(hero if rel.startswith("content/heroes") else (world / GUIDE).read_text())
        else:
            (world / rel).unlink()
        diags = Diagnostics()
        ok = engine.build(diags, [rel]).ok
        said = [(*d, hint) for d, hint in zip(_said(diags), [d.hint for d in diags.items])]
        clean = Diagnostics()
        twin = tmp_path / f"clean-{n}"
        shutil.copytree(world, twin, ignore=shutil.ignore_patterns("build", ".foundry-cache"))
        assert build(twin, clean, OUTPUTS, workers=1).ok == ok
        assert said == [(*d, hint) for d, hint in zip(_said(clean), [d.hint for d in clean.items])], (rel, how)
    hints = {d.span.path: d.hint for d in diags.items if d.code in ("HF0113", "HF0161")}
    assert hints == {"content/heroes/Rook.yaml": "Rename it to 'rook.yaml'.",
                     "content/heroes/con.yaml": "Rename it, for example to 'con-2.yaml' (an `id:` line in it to "
                                                "`id: con-2`), and the ids that name it."}, hints
