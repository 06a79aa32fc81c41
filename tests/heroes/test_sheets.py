"""Hero sheets of the sample world, computed by hand from the rule book and compared
with what foundry computes: the World, the JSON row for engines, and `foundry hero`.

The rules (schemas/attributes.yaml, schemas/progression.yaml):
  five attributes, each min 1, max 20, default 8;
  budget = 22 + 2 × (level − 1), spent = Σ max(0, value − 8);
  max_hp     = 10 + constitution × 2 + level × 4
  defense    = 10 + agility // 2
  initiative = agility // 2 + wits // 3
  will       = 5 + max(wits, presence) + level // 2
  XP to be at level 1..10: 0, 100, 250, 450, 700, 1000, 1400, 1900, 2500, 3200.
Templates (content/templates/heroes/): wanderer {constitution 10, wits 10; swimming};
ranger extends wanderer {agility 12, wits 11; tracking}; wrecker {strength 12,
constitution 12; swimming, brawling}; lampwright {wits 11, presence 12; lamp-lore}.
"""

from __future__ import annotations

import json

import orjson
import pytest

from pipeline.exporters.json_api.rows import hero_row, rules_row
from support import REPO

from foundation.helpers import invoke

ATTRS = ("strength", "agility", "constitution", "wits", "presence")
STATS = ("max_hp", "defense", "initiative", "will")

EXPECTED = {
    # Aria: ranger → wanderer, but writes all five herself, so nothing is inherited.
    # xp 480: 450 ≤ 480 < 700 → level 4 (agrees with her `level: 4`); next level at 700.
    # spent (10−8)+(15−8)+(12−8)+(14−8)+(9−8) = 2+7+4+6+1 = 20; budget at 4: 22+2×3 = 28.
    # max_hp 10+12×2+4L = 34+4L → L1 38, L4 50, L10 74; defense 10+15//2 = 17;
    # initiative 15//2 + 14//3 = 7+4 = 11; will 5+max(14,9)+L//2 → 19, 21, 24.
    "aria": dict(chain=("ranger", "wanderer"), attrs=(10, 15, 12, 14, 9), xp=480, level=4, xp_next=700,
                 used=20, available=28,
                 derived={1: (38, 17, 11, 19), 4: (50, 17, 11, 21), 10: (74, 17, 11, 24)},
                 skills=("swimming", "tracking", "ambush", "boatcraft", "tide-reading")),
    # Kit: wanderer; writes strength 9, agility 13, presence 11 — constitution 10 and
    # wits 10 come from the template. xp 40 → level 1; next at 100.
    # spent 1+5+2+2+3 = 13; budget at 1: 22.
    # max_hp 10+10×2+4L = 30+4L → L1 34, L10 70; defense 10+13//2 = 16;
    # initiative 13//2 + 10//3 = 6+3 = 9; will 5+max(10,11)+L//2 → L1 16, L10 21.
    "kit": dict(chain=("wanderer",), attrs=(9, 13, 10, 10, 11), xp=40, level=1, xp_next=100,
                used=13, available=22,
                derived={1: (34, 16, 9, 16), 10: (70, 16, 9, 21)},
                skills=("swimming", "boatcraft")),
    # Bram: wrecker; xp 1120: 1000 ≤ 1120 < 1400 → level 6; next at 1400.
    # spent 9+2+8+2+1 = 22; budget at 6: 22+2×5 = 32.
    # max_hp 10+16×2+4L = 42+4L → L1 46, L6 66, L10 82; defense 10+10//2 = 15;
    # initiative 5 + 10//3 = 8; will 5+max(10,9)+L//2 → L1 15, L6 18, L10 20.
    "bram": dict(chain=("wrecker",), attrs=(17, 10, 16, 10, 9), xp=1120, level=6, xp_next=1400,
                 used=22, available=32,
                 derived={1: (46, 15, 8, 15), 6: (66, 15, 8, 18), 10: (82, 15, 8, 20)},
                 skills=("swimming", "brawling", "diving", "hold-the-line", "haggling")),
    # Wen: lampwright; strength 7 is below the default and refunds nothing.
    # xp 130 → level 2; next at 250. spent 0+2+1+7+6 = 16; budget at 2: 24.
    # max_hp 10+9×2+4L = 28+4L → L1 32, L2 36, L10 68; defense 10+10//2 = 15;
    # initiative 5 + 15//3 = 10; will 5+max(15,14)+L//2 → L1 20, L2 21, L10 25.
    "wen": dict(chain=("lampwright",), attrs=(7, 10, 9, 15, 14), xp=130, level=2, xp_next=250,
                used=16, available=24,
                derived={1: (32, 15, 10, 20), 2: (36, 15, 10, 21), 10: (68, 15, 10, 25)},
                skills=("lamp-lore", "boatcraft", "tide-reading")),
}


@pytest.mark.parametrize("hid", sorted(EXPECTED))
def test_sheet(sample_world, hid):
    want, sheet = EXPECTED[hid], sample_world.sheets[hid]
    assert sheet.template_chain == want["chain"]
    assert sheet.attributes == dict(zip(ATTRS, want["attrs"]))
    assert (sheet.xp, sheet.level, sheet.xp_next) == (want["xp"], want["level"], want["xp_next"])
    assert (sheet.budget_used, sheet.budget_available) == (want["used"], want["available"])
    assert sheet.skills == want["skills"]
    assert len(sheet.derived_by_level) == 10
    for level, stats in want["derived"].items():
        assert sheet.derived(level) == dict(zip(STATS, stats)), level
    assert sheet.env() == {**sheet.attributes, **sheet.derived(want["level"]), "level": want["level"]}


@pytest.mark.parametrize("hid", sorted(EXPECTED))
def test_json_row_for_engines(sample_world, hid):
    want = EXPECTED[hid]
    row = json.loads(orjson.dumps(hero_row(sample_world, hid)))
    assert row["template_chain"] == list(want["chain"])
    assert row["attributes"] == [{"id": a, "value": v} for a, v in zip(ATTRS, want["attrs"])]
    assert (row["level"], row["xp"], row["xp_next"]) == (want["level"], want["xp"], want["xp_next"])
    assert row["budget"] == {"used": want["used"], "available": want["available"]}
    assert [r["level"] for r in row["derived_by_level"]] == list(range(1, 11))
    for level, stats in want["derived"].items():
        assert row["derived_by_level"][level - 1]["stats"] == [{"id": s, "value": v} for s, v in zip(STATS, stats)]
    assert [s["id"] for s in row["skills"]] == list(want["skills"])


def test_skills_carry_their_resolved_rules(sample_world):
    skills = {s["id"]: s for s in json.loads(orjson.dumps(hero_row(sample_world, "aria")))["skills"]}
    assert skills["ambush"] == {"id": "ambush", "name": "Ambush", "attribute": "agility", "min_level": 3,
                                "prerequisites": ["tracking"]}
    assert skills["tide-reading"]["prerequisites"] == ["boatcraft"]


def evaluate(node, env):
    """A tiny independent evaluator of the published AST, as an engine would write one."""
    kind = node["type"]
    fields = node[kind]
    if kind == "number":
        return fields["value"]
    if kind == "name":
        return env[fields["name"]]
    if kind == "call":
        args = [evaluate(a, env) for a in fields["args"]]
        return {"max": max, "min": min}[fields["func"]](*args)
    left, right = evaluate(fields["left"], env), evaluate(fields["right"], env)
    return {"add": left + right, "sub": left - right, "mul": left * right,
            "floor_div": left // right if right else None}[fields["op"]]


def test_an_engine_can_recompute_derived_stats_from_the_published_rules(sample_world):
    rules = json.loads(rules_row(sample_world).model_dump_json())
    assert [a["id"] for a in rules["attributes"]] == list(ATTRS)
    assert (rules["point_budget_base"], rules["point_budget_per_level"], rules["max_level"]) == (22, 2, 10)
    assert rules["xp_for_level"] == [0, 100, 250, 450, 700, 1000, 1400, 1900, 2500, 3200]
    formulas = {d["id"]: d["formula"] for d in rules["derived"]}
    assert formulas["max_hp"]["source"] == "10 + constitution * 2 + level * 4"
    for hid in sample_world.heroes:
        row = json.loads(orjson.dumps(hero_row(sample_world, hid)))
        attrs = {a["id"]: a["value"] for a in row["attributes"]}
        for level_row in row["derived_by_level"]:
            env = {**attrs, "level": level_row["level"]}
            got = {s["id"]: s["value"] for s in level_row["stats"]}
            assert got == {d: evaluate(f["ast"], env) for d, f in formulas.items()}, (hid, level_row["level"])


# --- `foundry hero` ---------------------------------------------------------------------

def hero(*args):
    return invoke("hero", *args, "--project", str(REPO))


@pytest.mark.parametrize("hid", ["aria", "bram"])
def test_hero_command_json(hid):
    want = EXPECTED[hid]
    result = hero(hid, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["id"], data["level"], data["shown_level"], data["xp"], data["xp_next"]) == \
        (hid, want["level"], want["level"], want["xp"], want["xp_next"])
    assert data["template_chain"] == list(want["chain"])
    assert [(a["id"], a["value"], a["default"]) for a in data["attributes"]] == \
        [(a, v, 8) for a, v in zip(ATTRS, want["attrs"])]
    assert data["budget"] == {"used": want["used"], "available": want["available"], "enough_from_level": 1}
    assert [(d["id"], d["value"]) for d in data["derived"]] == list(zip(STATS, want["derived"][want["level"]]))
    assert [s["id"] for s in data["skills"]] == list(want["skills"])


def test_hero_command_at_another_level():
    # Kit at level 10: derived stats at 10, and the budget that level would allow
    # (22 + 2 × 9 = 40); his own level, XP and points spent do not change.
    data = json.loads(hero("kit", "--level", "10", "--format", "json").stdout)
    assert (data["level"], data["shown_level"]) == (1, 10)
    assert [d["value"] for d in data["derived"]] == [70, 16, 9, 21]
    assert data["budget"] == {"used": 13, "available": 40, "enough_from_level": 1}


def test_hero_command_at_a_lower_level_marks_the_skills_not_had_there():
    """Aria (level 4) at `--level 1` listed Ambush (min_level 3) as on her level-4
    sheet: the skills she could not have at the level shown are marked with the level
    they come at, in text and JSON (each skill's `min_level`)."""
    data = json.loads(hero("aria", "--level", "1", "--format", "json").stdout)
    assert [(s["id"], s["min_level"]) for s in data["skills"]] == [
        ("swimming", 1), ("tracking", 1), ("ambush", 3), ("boatcraft", 1), ("tide-reading", 1)], data["skills"]
    assert "Skills: Deep Swimming, Tracking, Ambush (from level 3), Boatcraft, Tide Reading" in \
        hero("aria", "--level", "1").stdout
    assert "Skills: Deep Swimming, Tracking, Ambush, Boatcraft, Tide Reading" in hero("aria").stdout


def test_hero_command_at_a_lower_level_marks_a_budget_that_level_does_not_have(tmp_path):
    """A level-5 hero spending 20 points (16 at level 1, +2 a level) at `--level 1` was
    shown "budget used 20 of 16 at level 1", unmarked, as if she fitted there: the
    overspend is said with the least level that has enough, in text and JSON."""
    from foundation.helpers import copy_root
    root = copy_root("minimal", tmp_path)
    (root / "content" / "heroes" / "big.yaml").write_text(
        "name: Big One\ntemplate: scout\nattributes: {agility: 16, constitution: 14, wits: 12, strength: 10}\n"
        "skills: [ambush]\nxp: 700\n")
    def shown(*args):
        result = invoke("hero", "big", *args, "--project", str(root))
        assert result.exit_code == 0, result.output
        return result.stdout
    assert "  budget used 20 of 16 at level 1 (over by 4: enough from level 3)" in shown("--level", "1").splitlines()
    assert "  budget used 20 of 20 at level 3" in shown("--level", "3").splitlines()
    assert json.loads(shown("--level", "2", "--format", "json"))["budget"] == {
        "used": 20, "available": 18, "enough_from_level": 3}


def test_hero_command_text():
    result = hero("aria")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:3] == ["Aria Vell — Reed-Village Scout", "Level 4  XP 480 (next level at 700)",
                         "Template: ranger → wanderer"]
    assert "  Agility         15" in lines   # the rule book's name, as every output labels it
    assert "  budget used 20 of 28 at level 4" in lines
    assert "Derived at level 4" in lines and "  Hit points      50" in lines and "  Will            21" in lines
    assert "Skills: Deep Swimming, Tracking, Ambush, Boatcraft, Tide Reading" in lines
    at_one = hero("aria", "--level", "1").stdout.splitlines()
    assert "Derived at level 1" in at_one and "  Hit points      38" in at_one


def test_hero_command_usage_errors():
    unknown = hero("arya")
    assert unknown.exit_code == 2 and "no hero 'arya'. Did you mean 'aria'?" in unknown.stderr
    too_high = hero("aria", "--level", "11")
    assert too_high.exit_code == 2 and "levels run from 1 to 10" in too_high.stderr


def test_hero_command_shows_why_a_hero_has_no_sheet(tmp_path):
    from foundation.helpers import copy_root
    root = copy_root("minimal", tmp_path)
    hero_file = root / "content" / "heroes" / "first-hero.yaml"
    hero_file.write_text(hero_file.read_text().replace("xp: 120", "xp: lots"))
    result = invoke("hero", "first-hero", "--project", str(root))
    assert result.exit_code == 1
    assert "content/heroes/first-hero.yaml:8:5: error HF0201 'xp' should be a whole number, not text" in result.stderr
    assert "first-story.md" not in result.stderr  # only the hero's own file


@pytest.mark.parametrize("xp,level,xp_next", [
    (0, 1, 100), (99, 1, 100), (100, 2, 250), (699, 4, 700), (700, 5, 1000),
    (3199, 9, 3200), (3200, 10, None), (999_999, 10, None),
])
def test_level_from_xp_at_the_thresholds(project_factory, xp, level, xp_next):
    from pipeline.engine.builder import check
    from pipeline.diagnostics import Diagnostics
    root = project_factory({
        "schemas/attributes.yaml": (REPO / "schemas" / "attributes.yaml").read_text(),
        "schemas/progression.yaml": (REPO / "schemas" / "progression.yaml").read_text(),
        "content/heroes/probe.yaml": f"name: Probe\nxp: {xp}\n",
    })
    diags = Diagnostics()
    sheet = check(root, diags).sheets["probe"]
    assert (sheet.level, sheet.xp_next) == (level, xp_next)
    assert sheet.budget_available == 22 + 2 * (level - 1)
