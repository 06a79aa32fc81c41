"""The query memo kept across processes (pipeline/queries.py's store) and the early
cut-off of an unchanged project's check (engine/checked.py).

A fresh process (a new, empty Queries) answers validate(document) and sheet(hero)
from the sealed cache: the World and every diagnostic are the cold run's while
validating and computing sheets are made to fail if called; an edited hero, an edited
template and an edited rule file each recompute exactly what read them; rows that
were forged, sealed elsewhere or sealed in another shape are misses. A `foundry check`
of an unchanged project replays the last check's findings without loading anything,
and any change to what it reads (a file, a hidden file's name, the --release setting,
the memo itself) runs the check. Times live in benchmarks/."""

from __future__ import annotations

import json
import shutil

import pytest

from pipeline import seal
from pipeline.diagnostics import Diagnostics
from pipeline.engine import checked
from pipeline.engine.builder import BuildReport, check
from pipeline.load.cache import CACHE_DIR
from pipeline.queries import Queries
from pipeline.resolve import world as world_module
from engine_steps import cli_check
from support import parse_cache_rows, rewrite_parse_cache, write_project

# Every kind of entity the store keeps, with findings of the validate and sheet queries
# to replay: a title in Markdown with a tag (HF0536, and its HTML), a salvaged file
# (HF0202), a level that disagrees with XP (HF0410), a value out of range (HF0404), a
# file that holds no data (an answer of None), a hero made from a template.
FILES = {
    "content/heroes/mira.yaml": "name: \"Mira *the* <b>Bold</b>\"\ntitle: \"**Warden**\"\nxp: 0\nlevel: 2\n"
                                "relationships:\n  - {with: old-guide, kind: mentor, note: kin}\n",
    "content/heroes/una.yaml": "name: Una\nstrenght: 3\n",
    "content/heroes/ranger.yaml": "name: Ranger\ntemplate: scout\nattributes: {agility: 99}\n",
    "content/heroes/zz-empty.yaml": "# nothing\n",
}


def _project(tmp_path):
    return write_project(tmp_path / "world", FILES)


def _checked(root, queries: Queries | None = None) -> tuple[list, list]:
    """(every field of every diagnostic in order, the World as plain data) of one check
    in a table that starts empty, as a fresh process's does."""
    diags = Diagnostics()
    world = check(root, diags, BuildReport(), queries=queries if queries is not None else Queries())
    entities = [(e.kind, e.id, repr(e.model), sorted(getattr(e.model, "model_fields_set", ())), dict(e.inline_html), e.doc.data,
                 e.doc.source.sha256) for e in world.entries()]
    derived = [sorted(world.broken), sorted(world.salvaged), repr(sorted(world.sheets.items())),
               repr(sorted(world.story_reports.items())), repr(world.relationships),
               repr(sorted(world.appearances.items()))]
    return [(d.severity, d.code, d.message, d.span, d.hint) for d in diags.items], entities + derived


def _cold(root) -> tuple[list, list]:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    return _checked(root)


def _forbid(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("recomputed although its answer was stored")
    for name in ("validate_document", "salvage_document", "load_titles", "compute_hero"):
        monkeypatch.setattr(world_module, name, refuse)


def test_a_fresh_process_takes_entries_and_sheets_from_the_store(tmp_path, monkeypatch):
    root = _project(tmp_path)
    cold = _cold(root)
    codes = {code for _, code, *_ in cold[0]}
    assert {"HF0536", "HF0202", "HF0410", "HF0404", "HF0104"} <= codes, codes
    with monkeypatch.context() as patched:
        _forbid(patched)
        queries = Queries()
        warm = _checked(root, queries)
    assert warm == cold                   # same diagnostics (every field, same order), same World
    heroes, others = 4, 4                 # first-hero, mira, una, ranger; old-guide, first-quest, scout, first-story
    assert queries.stored == {"validate": heroes + others, "sheet": heroes}
    assert "sheet" not in queries.computed and "validate" not in queries.computed


def _counts(root) -> tuple[Queries, tuple]:
    queries = Queries()
    result = _checked(root, queries)
    return queries, result


@pytest.mark.parametrize("edit, validated, sheets", [
    # one hero: its entry and its sheet, nothing else
    (("content/heroes/mira.yaml", "xp: 0", "xp: 100"), {"mira"}, {"mira"}),
    # a template: its entry, and the sheets of the heroes made from it
    (("content/templates/heroes/scout.yaml", "agility: 12", "agility: 14"), {"scout"}, {"first-hero", "ranger"}),
    # a rule file: every entry and every sheet (the rules are in every key)
    (("schemas/attributes.yaml", "", "# edited\n"), None, None),
])
def test_an_edit_recomputes_exactly_what_read_it(tmp_path, monkeypatch, edit, validated, sheets):
    root = _project(tmp_path)
    _checked(root)                        # fills the store
    rel, old, new = edit
    path = root / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(new + text if not old else text.replace(old, new, 1), encoding="utf-8")
    asked: dict[str, list[str]] = {"validate": [], "sheet": []}
    validate, sheet = world_module.validate_entry, world_module.compute_hero

    def counted_validate(doc, *args, **kwargs):
        asked["validate"].append(doc.id)
        return validate(doc, *args, **kwargs)

    def counted_sheet(entry, *args, **kwargs):
        asked["sheet"].append(entry.id)
        return sheet(entry, *args, **kwargs)
    monkeypatch.setattr(world_module, "validate_entry", counted_validate)
    monkeypatch.setattr(world_module, "compute_hero", counted_sheet)
    edited = _checked(root)
    if validated is None:
        assert set(asked["validate"]) >= {"mira", "una", "ranger", "first-hero", "scout", "old-guide"}
        assert set(asked["sheet"]) == {"mira", "una", "ranger", "first-hero"}
    else:
        assert set(asked["validate"]) == validated and len(asked["validate"]) == len(validated)
        assert sorted(asked["sheet"]) == sorted(sheets)
    monkeypatch.undo()
    assert edited == _cold(root)          # and what they give is what a run without any cache gives


_rows, _rewrite = parse_cache_rows, rewrite_parse_cache


def _is_answer(payload: str) -> bool:
    value = json.loads(payload)
    return isinstance(value, dict) and set(value) == {"value", "diagnostics"}


def _forged(payload: str) -> str:
    """The answer with its findings dropped and its names replaced."""
    value = json.loads(payload)
    value["diagnostics"] = []
    stored = value["value"]
    if isinstance(stored, dict) and stored.get("entry"):
        stored["entry"]["model"]["name"] = "Forged"
    elif isinstance(stored, list):
        stored[3] = 20      # a sheet's level
    return json.dumps(value)


def test_forged_and_foreign_answers_are_misses(tmp_path):
    root = _project(tmp_path)
    cold = _cold(root)
    _checked(root)
    rows = _rows(root)
    answers = [row for row in rows if _is_answer(row[1])]
    assert len(answers) == 12             # 8 entries (the story's too) and 4 sheets
    # changed bytes under the old MAC
    _rewrite(root, [(k, _forged(p), m) if _is_answer(p) else (k, p, m) for k, p, m in rows])
    queries = Queries()
    assert _checked(root, queries) == cold and not queries.stored
    # sealed with another key
    other = b"k" * 32
    _rewrite(root, [(k, f := _forged(p), seal.mac(other, f"cache:parsed:{k}", f.encode())) if _is_answer(p) else (k, p, m)
                    for k, p, m in rows])
    queries = Queries()
    assert _checked(root, queries) == cold and not queries.stored


SHAPES = [
    {"value": None},
    {"value": {"entry": None, "rescued": "no"}, "diagnostics": []},
    {"value": {"entry": {"model": {"name": 5}, "html": []}, "rescued": False}, "diagnostics": []},
    {"value": {"entry": {"model": {"name": "X"}, "html": [[["name"], 3]]}, "rescued": False}, "diagnostics": []},
    {"value": {"entry": {"model": {"name": "X", "unknown": 1}, "html": []}, "rescued": False}, "diagnostics": []},
    {"value": ["h", [], {"a": "1"}, 1, 0, None, 0, None, [], [], []], "diagnostics": []},
    {"value": ["h", [], {}, 1, 0, None, 0, None, [], [], [{"hp": True}]], "diagnostics": []},
    {"value": ["h", [], {}], "diagnostics": []},
    {"value": {"entry": None, "rescued": False}, "diagnostics": [["error", "HF0101"]]},
    {"value": {"entry": None, "rescued": False}, "diagnostics": [["fatal", "HF0101", "m", "p", 1, 1, 0, ""]]},
    [], "text", 7,
]


def test_a_sealed_answer_in_another_shape_is_a_miss_not_a_crash(tmp_path):
    """Rows this machine sealed (an older foundry under a key the tool id did not tell
    apart) in shapes the codecs do not write: each is recomputed, same result."""
    root = _project(tmp_path)
    cold = _cold(root)
    for offset in range(3):   # each answer row gets several of the shapes across the runs
        _checked(root)
        secret = seal.key(root)
        rows, i = [], offset
        for key, payload, tag in _rows(root):
            if _is_answer(payload):
                payload, i = json.dumps(SHAPES[i % len(SHAPES)]), i + 1
                tag = seal.mac(secret, f"cache:parsed:{key}", payload.encode())
            rows.append((key, payload, tag))
        _rewrite(root, rows)
        queries = Queries()
        assert _checked(root, queries) == cold
        assert not queries.stored


# -- the early cut-off: `foundry check` of an unchanged project ----------------------------

def test_an_unchanged_project_replays_its_check_and_any_change_runs_it(tmp_path):
    root = _project(tmp_path)
    first = cli_check(root)
    assert first[2] == 1 and first[0]
    again = cli_check(root)
    assert again == (first[0], first[1], 0)                 # every field, same order, nothing loaded
    assert cli_check(root, release=True)[2] == 1            # another setting: another check

    hero = root / "content/heroes/una.yaml"                 # an edited file
    hero.write_text("name: Una\n", encoding="utf-8")
    edited = cli_check(root)
    assert edited[2] == 1 and "HF0202" not in {code for _, code, *_ in edited[0]}
    assert cli_check(root)[2] == 0

    (root / "content/heroes/.hidden.yaml").write_text("name: Hid\n", encoding="utf-8")   # a hidden file
    hidden = cli_check(root)
    assert hidden[2] == 1 and "HF0113" in {code for _, code, *_ in hidden[0]}
    assert cli_check(root)[2] == 0

    memo = root / CACHE_DIR / checked.MEMO                  # the memo itself, edited under its seal
    blob = memo.read_bytes()
    memo.write_bytes(blob.replace(b'"HF0113"', b'"HF0112"'))
    assert cli_check(root)[2] == 1
    memo.write_bytes(b"not a memo")
    assert cli_check(root) == (hidden[0], hidden[1], 1)
    memo.unlink()
    assert cli_check(root)[2] == 1


def test_a_check_during_which_an_input_changed_is_not_kept(tmp_path):
    """The digest is taken before the check reads the files: when one is written while
    it runs, what it reported may be of either version, so the next check runs again."""
    root = _project(tmp_path)
    cli_check(root, during=lambda: (root / "content/heroes/una.yaml").write_text("name: Una\n", encoding="utf-8"))
    assert not (root / CACHE_DIR / checked.MEMO).exists()
    assert cli_check(root)[2] == 1 and cli_check(root)[2] == 0


def test_an_image_named_outside_the_inputs_is_checked_before_a_replay(tmp_path):
    """A portrait may be anywhere in the project (a path relative to the hero's file):
    the digest covers content/, schemas/, themes/ and translations/, so the memo also
    keeps the hash of each image the check read elsewhere, and a changed one runs it."""
    from PIL import Image
    root = _project(tmp_path)
    (root / "art").mkdir()
    Image.new("RGB", (64, 80), (200, 120, 60)).save(root / "art/mira.png")
    hero = root / "content/heroes/mira.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: ../../art/mira.png\n", encoding="utf-8")
    first = cli_check(root)
    assert first[2] == 1 and "HF0702" not in {code for _, code, *_ in first[0]}
    assert cli_check(root)[2] == 0
    (root / "art/mira.png").write_bytes(b"not an image")
    broken = cli_check(root)
    assert broken[2] == 1 and "HF0702" in {code for _, code, *_ in broken[0]}


def test_a_build_is_no_no_op_when_an_image_named_outside_the_inputs_changed(tmp_path):
    """The build's no-op shortcut (engine/sources.py) hashes content/, schemas/, themes/
    and translations/ only, like the check's digest: a portrait elsewhere in the project
    that was replaced must still be published anew (it left the old image and its
    hashed name in build/ until some other file changed)."""
    from PIL import Image
    from support import foundry
    root = write_project(tmp_path / "world")
    (root / "art").mkdir()
    Image.new("RGB", (64, 80), (200, 120, 60)).save(root / "art/p.png")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "portrait: ../../art/p.png\n", encoding="utf-8")

    def portrait():
        assert foundry("build", "--only", "json", cwd=root).code == 0
        return json.loads((root / "build/api/v1/heroes/first-hero.json").read_text())["hero"]["portrait"]["path"]
    first = portrait()
    Image.new("RGB", (64, 80), (10, 120, 200)).save(root / "art/p.png")
    again = portrait()
    assert again != first


def test_a_check_is_not_replayed_through_a_link_or_over_an_image_it_could_not_read(tmp_path):
    """The replay's digest sees a link, not what it leads to: a hidden file added behind
    a linked content folder must still be found, and an image the check could not read,
    once fixed, must not be reported again from the memo. (The file is found as HF0120
    since the hidden-file rule: behind the link it is a hidden file outside the
    project's inputs, which is never read; before, its id was HF0113. Either way the
    replay must not hide it.)"""
    from support import diagnostics, foundry
    root = write_project(tmp_path / "world")
    real = tmp_path / "world" / "heroes-real"
    (root / "content/heroes").rename(real)
    (root / "content/heroes").symlink_to("../heroes-real")
    assert foundry("check", "--project", str(root)).code == 0
    (real / ".Bad.yaml").write_text((real / "first-hero.yaml").read_text())
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1 and "HF0120 content/heroes/.Bad.yaml:0:0" in diagnostics(run), diagnostics(run)

    other = write_project(tmp_path / "other")
    hero = other / "content/heroes/first-hero.yaml"
    (other / "art").mkdir()
    (other / "art/a.png").write_bytes(b"not an image")
    hero.write_text(hero.read_text() + "portrait: ../../art/a.png\n")
    first = foundry("check", "--project", str(other), "--format", "json")
    assert any(d.startswith(("HF0702", "HF0306")) for d in diagnostics(first)), first.stdout[-1500:]
    from PIL import Image
    Image.new("RGB", (8, 8), (255, 0, 0)).save(other / "art/a.png")
    again = foundry("check", "--project", str(other), "--format", "json")
    assert not any(d.startswith(("HF0702", "HF0306")) for d in diagnostics(again)), again.stdout[-1500:]
