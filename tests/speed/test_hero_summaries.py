"""A hero (or character) whose file, rules and template are unchanged since the last build is loaded
from its summary (resolve/summaries.py): a build after an edit elsewhere neither
parses, validates nor decodes it, yet says exactly what a clean build says and writes
the same bytes. A summary pack that does not verify (garbage, cut short, sealed with
another key) or a record in another shape is ignored and made again; a change to the
hero, its template or the rules makes its summary miss."""

from __future__ import annotations

import filecmp
import os
import shutil

import pytest

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import build
from pipeline.load import rowjson
from pipeline.resolve import summaries
from pipeline.resolve import world as world_module
from support import write_project

WREN = "content/heroes/wren.yaml"
MOSS = "content/heroes/moss.yaml"
FILES = {
    # a link in prose (checked against the site's pages), an item listed twice (HF0129),
    # relationships whose other sides disagree (HF0516 at each side's line)
    WREN: """
        name: Wren *Hollow*
        status: published
        template: scout
        attributes: {agility: 12}
        items: [rope, rope]
        relationships:
          - {with: first-hero, kind: rival}
          - {with: moss, kind: rival, note: Owes her *a map*}
        background: |
          Keeps the [old map](../stories/first-story.html) of the marsh.
        """,
    MOSS: """
        name: Moss
        status: published
        template: scout
        xp: 10
        relationships:
          - {with: wren, kind: mentor}
        """,
}


@pytest.fixture
def root(tmp_path):
    return write_project(tmp_path / "world", FILES)


def _loaded(monkeypatch) -> list:
    """The Worlds load_world makes from now on; every build makes one. (The cutoff
    before the load, engine/cutoff.py, is switched off: these tests edit a comment to
    see what a load does with the pack, and a comment is now cut off even with the
    JSON API, engine/shown.py.)"""
    from pipeline.engine import cutoff
    monkeypatch.setattr(cutoff, "unchanged_values", lambda *args, **kwargs: None)
    made = []
    real = world_module.load_world

    def kept(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]
    monkeypatch.setattr(world_module, "load_world", kept)
    return made


def _build(root) -> list:
    diags = Diagnostics()
    build(root, diags, only=["json"])
    return [(d.severity, d.code, d.message, d.span, d.hint) for d in diags.items]


def _edit(root, rel: str, old: str | None = None, new: str = "") -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new) if old is not None else text + f"# {new}\n", encoding="utf-8")


def _clean(root, tmp_path) -> tuple[list, str]:
    """The diagnostics and build/ of a clean build of the same sources."""
    other = tmp_path / f"clean-{len(os.listdir(tmp_path))}"
    shutil.copytree(root, other, ignore=shutil.ignore_patterns("build", ".foundry-cache", ".foundry-builds"))
    return _build(other), str(other / "build")


def _same_tree(a: str, b: str) -> bool:
    compared = filecmp.dircmp(a, b, ignore=[".foundry"])
    stack = [compared]
    while stack:
        here = stack.pop()
        if here.left_only or here.right_only or here.funny_files:
            return False
        if filecmp.cmpfiles(here.left, here.right, here.common_files, shallow=False)[1:] != ([], []):
            return False
        stack.extend(here.subdirs.values())
    return True


def _summarised(world) -> set[str]:
    return {pid for pid, entry in world.people().items() if type(entry) is summaries.SummarisedEntry}


def test_unchanged_heroes_come_from_their_summaries(root, tmp_path, monkeypatch):
    worlds = _loaded(monkeypatch)
    first = _build(root)
    assert {"HF0129", "HF0516"} <= {d[1] for d in first}
    assert _summarised(worlds[-1]) == set()   # no pack yet: each hero loaded, its summary kept
    _edit(root, MOSS, new="a comment")
    second = _build(root)
    world = worlds[-1]
    assert _summarised(world) == {"first-hero", "wren", "old-guide"}   # moss's file changed: loaded
    clean, built = _clean(root, tmp_path)
    assert second == clean == first   # every message, at its line, hint and all
    assert _same_tree(built, str(root / "build"))
    # decoded on first use, the very values a full load makes
    full = worlds[-1].heroes["wren"]
    assert type(full) is not summaries.SummarisedEntry
    assert world.heroes["wren"].model == full.model and world.heroes["wren"].doc == full.doc
    assert dict(world.heroes["wren"].inline_html) == dict(full.inline_html)
    assert world.sheets["wren"] == worlds[-1].sheets["wren"]
    assert world.character_attributes == worlds[-1].character_attributes
    assert world.people()["old-guide"].model == worlds[-1].people()["old-guide"].model


def test_a_summarised_heros_broken_link_is_said_at_its_line(root, tmp_path, monkeypatch):
    worlds = _loaded(monkeypatch)
    _edit(root, WREN, "../stories/first-story.html", "../nowhere/map.html")
    first = _build(root)
    assert [d[3].path for d in first if d[1] == "HF0721"] == [WREN]
    _edit(root, MOSS, new="a comment")
    assert _build(root) == first
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "old-guide"}
    assert first == _clean(root, tmp_path)[0]


def test_a_change_to_the_hero_its_template_or_the_rules_makes_it_miss(root, tmp_path, monkeypatch):
    worlds = _loaded(monkeypatch)
    _build(root)
    _edit(root, MOSS, "xp: 10", "xp: 900")   # its sheet and level
    diags = _build(root)
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "old-guide"}
    assert worlds[-1].sheets["moss"].xp == 900
    assert diags == _clean(root, tmp_path)[0]
    # the template's defaults: every hero using it has another sheet (their files unchanged)
    _edit(root, "content/templates/heroes/scout.yaml", "wits: 11", "wits: 14")
    diags = _build(root)
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "moss", "old-guide"}   # heroes' sheets made again
    assert {hid: sheet.attributes["wits"] for hid, sheet in worlds[-1].sheets.items()} == \
        {"first-hero": 14, "wren": 14, "moss": 14}
    clean, built = _clean(root, tmp_path)
    assert diags == clean
    assert _same_tree(built, str(root / "build"))
    _edit(root, "schemas/relationships.yaml", "rival:      {name: Rival, symmetric: true}",
          "rival:      {name: Rival, symmetric: true}\n  friend:     {name: Friend, symmetric: true}")
    diags = _build(root)
    assert _summarised(worlds[-1]) == set()   # other rules: every summary misses
    assert diags == _clean(root, tmp_path)[0]


def _pack(root) -> bytes:
    return (root / ".foundry-cache" / summaries.FILE).read_bytes()


def _forged(root, good: bytes, forge: str) -> bytes:
    data = rowjson.loads(seal.unseal(seal.key(root), summaries.PURPOSE, good))
    heroes = data["heroes"]
    if forge == "garbage":
        return b"\x00not a pack" * 100
    if forge == "cut short":
        return good[:len(good) // 2]
    if forge == "another key":   # a pack made by someone else's foundry (a pull request's)
        heroes[WREN][7] = "nobody"   # its template, as it would lie
        return seal.seal(b"k" * 32, summaries.PURPOSE, rowjson.dumps(data).encode())
    if forge == "another shape":
        heroes[WREN] = [heroes[WREN][0], "x"]
        heroes[MOSS][10] = [["first-hero"]]
    else:   # wren's summary under moss's path: made from other bytes, never taken for moss
        heroes[MOSS] = heroes[WREN]
    return seal.seal(seal.key(root), summaries.PURPOSE, rowjson.dumps(data).encode())


def test_a_forged_or_foreign_pack_is_ignored_and_made_again(root, tmp_path, monkeypatch):
    worlds = _loaded(monkeypatch)
    first = _build(root)
    good = _pack(root)
    for n, (forge, kept) in enumerate([("garbage", set()), ("cut short", set()), ("another key", set()),
                                       ("another shape", {"first-hero"}),
                                       ("another file", {"first-hero", "wren"})]):
        (root / ".foundry-cache" / summaries.FILE).write_bytes(_forged(root, good, forge))
        _edit(root, "content/characters/old-guide.yaml", new=f"comment {n}")
        assert _build(root) == first, forge
        assert _summarised(worlds[-1]) == kept, forge
        good = _pack(root)   # made again, under this user's key: every hero's summary
        _edit(root, "content/characters/old-guide.yaml", new=f"another comment {n}")
        assert _build(root) == first, forge
        assert _summarised(worlds[-1]) == {"first-hero", "wren", "moss"}, forge
        assert worlds[-1].heroes["wren"].__dict__["brief"].template == "scout"
    assert _same_tree(_clean(root, tmp_path)[1], str(root / "build"))


def test_the_pack_is_json_orjson_reads_back_exactly(root):
    """A character has neither template nor portrait: their `null`s no longer send the
    whole pack to the standard library's json, both ways (its payload would start with
    rowjson's space); a record orjson cannot write exactly (a NaN, an integer beyond
    64 bits) still sends it there, and every value reads back as it was."""
    _build(root)
    data = seal.unseal(seal.key(root), summaries.PURPOSE, _pack(root))
    assert data[:1] == b"{"
    pack = rowjson.loads(data)
    assert pack["heroes"]["content/characters/old-guide.yaml"][7:9] == [None, None]
    for odd in (float("inf"), 2 ** 70, "\ud800"):
        heroes = dict(pack["heroes"])
        heroes[MOSS] = heroes[MOSS][:5] + [{"odd": odd}] + heroes[MOSS][6:]
        written = summaries.pack_bytes(pack["base"], heroes)
        assert written[:1] == b" " and rowjson.loads(written) == {"base": pack["base"], "heroes": heroes}, odd


def test_a_hero_at_the_top_level_keeps_the_pack_orjsons(root, monkeypatch):
    """A hero at the last level has no next level's xp: a None in its sheet. Its `null`
    is a None, so the pack stays orjson's (it sent the whole pack to json, both ways,
    every build while that hero stood there); its summary reads back as it was made,
    and the next build takes the hero from it. A `null` that is not a None (the letters
    in a string) still sends the pack to json."""
    _edit(root, MOSS, "xp: 10", "xp: 100000")
    first = _build(root)
    data = seal.unseal(seal.key(root), summaries.PURPOSE, _pack(root))
    assert data[:1] == b"{"
    pack = rowjson.loads(data)
    assert b"null" in summaries.pack_bytes(pack["base"], {MOSS: pack["heroes"][MOSS]})
    worlds = _loaded(monkeypatch)
    _edit(root, "content/characters/old-guide.yaml", new="a comment")
    assert _build(root) == first
    assert "moss" in _summarised(worlds[-1])
    heroes = dict(pack["heroes"])
    heroes[MOSS] = heroes[MOSS][:9] + ["Moss the null"] + heroes[MOSS][10:]
    written = summaries.pack_bytes(pack["base"], heroes)
    assert written[:1] == b" " and rowjson.loads(written) == {"base": pack["base"], "heroes": heroes}


def test_a_related_persons_card_is_drawn_from_their_summary(root, monkeypatch):
    """A page shows the cards of the people related to its hero: a summarised person's
    card is made from their Brief (name, title, status, role, the background's line),
    without decoding their model, and is the card their model makes, a long line
    clipped the same; a background that is not plain prose is read from the model."""
    from pipeline.exporters.html.views.common import person_card
    words = " ".join(["Tide oar keep smuggler brine relic coast fog, wind crown heron."] * 5)
    (root / "content/heroes/gull.yaml").write_text(
        f"name: Gull\ntitle: Of the Reeds\nstatus: review\nbackground: |\n  {words}\n\n  Second one!\n",
        encoding="utf-8")
    worlds = _loaded(monkeypatch)
    _build(root)
    _edit(root, MOSS, new="a comment")
    _build(root)
    full, world = worlds
    assert _summarised(world) == {"first-hero", "wren", "old-guide", "gull"}
    for pid in ("gull", "old-guide", "first-hero", "wren"):
        assert person_card(world, pid) == person_card(full, pid), pid
    assert len(person_card(world, "gull")["summary"]) < 160 < len(words)
    decoded = {pid for pid in _summarised(world) if world.people()[pid].__dict__["_entry"] is not None}
    assert decoded == {"wren", "first-hero"}   # a link, an emphasis: their lines are their models'
    # a plain line with the letters "null" is not kept: the pack stays orjson's
    _edit(root, "content/heroes/gull.yaml", "Tide oar", "Annulled oar")
    _edit(root, MOSS, new="another comment")
    _build(root)
    assert seal.unseal(seal.key(root), summaries.PURPOSE, _pack(root))[:1] == b"{"
    assert person_card(worlds[-1], "gull")["summary"].startswith("Annulled oar keep")


@pytest.mark.parametrize("forge", ["another shape", "another hero's"])
def test_a_summarised_sheet_that_does_not_decode_is_computed_when_read(root, tmp_path, monkeypatch, forge):
    """A hero's sheet is decoded from her summary on its first read (heroes/sheet.py
    Sheets), after the load took the summary: one in another shape, or another hero's,
    sealed with this user's key, is the sheet computed from her file, never a crash."""
    worlds = _loaded(monkeypatch)
    first = _build(root)
    full = worlds[-1].sheets["wren"]
    data = rowjson.loads(seal.unseal(seal.key(root), summaries.PURPOSE, _pack(root)))
    sheet = data["heroes"][WREN][5]
    data["heroes"][WREN][5] = [sheet[0], "x"] if forge == "another shape" else data["heroes"][MOSS][5]
    (root / ".foundry-cache" / summaries.FILE).write_bytes(
        seal.seal(seal.key(root), summaries.PURPOSE, rowjson.dumps(data).encode()))
    _edit(root, "content/characters/old-guide.yaml", new="a comment")
    assert _build(root) == first
    world = worlds[-1]
    assert "wren" in _summarised(world) and "wren" in world.sheets.stored()   # taken, not decoded yet
    assert world.sheets["wren"] == full and world.sheets["wren"].id == "wren"
    assert _same_tree(_clean(root, tmp_path)[1], str(root / "build"))


def test_a_few_stale_records_leave_the_pack_as_it_was_until_they_are_many(root, tmp_path, monkeypatch):
    """The pack (~10 MB at 10,000 heroes) is not encoded and written again for one
    edited person: her record only misses, in every build until enough have (here one
    in two of the four people; at 10,000 heroes one in 1,024). What each build says and
    writes is still a clean build's."""
    monkeypatch.setattr(summaries, "STALE_SHARE", 2)
    worlds = _loaded(monkeypatch)
    _build(root)
    written = _pack(root)
    _edit(root, MOSS, "xp: 10", "xp: 900")
    diags = _build(root)
    assert _pack(root) == written   # one stale record of four
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "old-guide"}
    assert worlds[-1].sheets["moss"].xp == 900
    assert diags == _clean(root, tmp_path)[0]
    _edit(root, WREN, new="a comment")
    diags = _build(root)
    assert _pack(root) == written   # two: moss's record misses again, unchanged since
    assert _summarised(worlds[-1]) == {"first-hero", "old-guide"}
    clean, built = _clean(root, tmp_path)
    assert diags == clean
    assert _same_tree(built, str(root / "build"))
    _edit(root, "content/heroes/first-hero.yaml", new="a comment")
    diags = _build(root)
    assert _pack(root) != written   # three of four: written again, with all of them
    assert _summarised(worlds[-1]) == {"old-guide"}
    assert diags == _clean(root, tmp_path)[0]
    _edit(root, "content/characters/old-guide.yaml", new="a comment")
    diags = _build(root)
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "moss"}
    assert diags == _clean(root, tmp_path)[0]


def _ends(diags: list) -> list:
    """Each finding with its caret's end (Span's equality leaves the end out)."""
    return sorted((d[1], d[3].path, d[3].line, d[3].column, d[3].end_column) for d in diags)


def test_a_no_op_builds_findings_keep_their_caret_width(root, tmp_path):
    """A finding said again from the build state (a no-op build reads nothing) is
    underlined as the build that found it underlined it: the state kept no end, so
    `^^^^` became `^` on the second run (the report's caret, console/report.py)."""
    first = _ends(_build(root))
    assert ("HF0129", WREN, 5, 15, 19) in first and ("HF0516", MOSS, 6, 24, 30) in first
    assert _ends(_build(root)) == first   # no-op: every finding from the state
    _edit(root, MOSS, "xp: 10", "xp: 11")
    assert _ends(_build(root)) == _ends(_clean(root, tmp_path)[0])


def test_a_value_edit_reads_no_other_files_row_from_the_parse_table_one_by_one(root, tmp_path, monkeypatch):
    """After a value edit the files the pack does not stand for (the stories, quests,
    templates and the edited hero) are loaded from the parse table: each one's parse
    row and validation row are looked up together (load/cache.py `prefetch`, one SELECT
    a batch), not one SELECT a row (~17 µs each, ~2,000 of them at 10,000 heroes on the
    builder's one thread: docs/performance.md load43). What the build says and writes
    is a clean build's."""
    import sys

    from pipeline.load.cache import ParseCache
    _build(root)   # the pack made
    _edit(root, MOSS, "xp: 10", "xp: 30")
    alone: list[tuple[str, ...]] = []
    together: list[str] = []
    row, prefetch = ParseCache._row, ParseCache.prefetch

    def spied_row(self, key):
        frame, names = sys._getframe(1), []
        while frame is not None:
            names.append(frame.f_code.co_name)
            frame = frame.f_back
        alone.append(tuple(names))
        return row(self, key)

    def spied_prefetch(self, keys):
        together.extend(keys)
        return prefetch(self, keys)
    monkeypatch.setattr(ParseCache, "_row", spied_row)
    monkeypatch.setattr(ParseCache, "prefetch", spied_prefetch)
    worlds = _loaded(monkeypatch)
    diags = _build(root)
    assert _summarised(worlds[-1]) == {"first-hero", "wren", "old-guide"}
    # neither a file's parse (read_source asks it) nor its validation (the query's row,
    # asked by the load's `_Ahead`) alone; the edited hero's sheet still is, and a
    # summarised hero decoded on first use reads its own rows (a reader of its own)
    assert [names for names in alone if "read_source" in names
            or names[:5] == ("_lookup", "get", "_load", "ask", "__call__")] == []
    assert any(names[:5] == ("_lookup", "get", "_load", "ask", "_sheet") for names in alone)
    # moss, the story, the quest and the template: a parse row and a validation row each
    assert len(set(together)) == 8
    clean, built = _clean(root, tmp_path)
    assert diags == clean
    assert _same_tree(built, str(root / "build"))
