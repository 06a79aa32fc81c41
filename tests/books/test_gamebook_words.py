"""The gamebook's section numbers and its words for conditions and effects: pure
functions of the story and the expression trees, checked case by case."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pipeline import expr
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.books import words
from pipeline.exporters.books.words import Vocabulary
from pipeline.exporters.gamebook import section_numbers
from pipeline.load.project import load_project
from pipeline.resolve.world import load_world
from support import REPO

VOCAB = Vocabulary(
    attributes={"agility": "Agility", "strength": "Strength", "wits": "Wits"},
    stats={"max_hp": "Hit points", "will": "Will"},
    skills={"tracking": "Tracking"},
    people={"tomas": "Tomas", "dunnet": "Dunnet", "old-guide": "Marrow"},
    variables={"gold": int, "air": int, "met_tomas": bool, "has_key": bool, "knows_way": bool, "low_tide": bool,
               "took_dunnet_coin": bool, "heard_tale": bool, "mood": str, "met_old_guide": bool},
)

CONDITIONS = [
    ("agility >= 12", "your Agility is at least 12"),
    ("12 <= agility", "your Agility is at least 12"),
    ("agility > 12", "your Agility is more than 12"),
    ("not agility >= 12", "your Agility is less than 12"),
    ("wits < 9", "your Wits are less than 9"),
    ("max_hp <= 30", "your Hit points are at most 30"),
    ("will == 18", "your Will is 18"),
    ("level >= 5", "you are at least level 5"),
    ("level < 3", "you are below level 3"),
    ("gold >= 3", "you have at least 3 gold"),
    ("air < 2", "you have less than 2 air"),
    ("gold == 0", "you have exactly 0 gold"),
    ("gold >= wits", "your gold is at least your Wits"),
    ("met_tomas", "you met Tomas"),
    ("not met_tomas", "you have not met Tomas"),
    ("met_tomas == false", "you have not met Tomas"),
    ("has_key", "you have the key"),
    ("not has_key", "you do not have the key"),
    ("knows_way", "you know the way"),
    ("took_dunnet_coin", "you took Dunnet’s coin"),
    ("heard_tale", "you heard the tale"),
    ("low_tide", "you have noted “Low tide”"),
    ("not low_tide", "you have not noted “Low tide”"),
    ("met_old_guide", "you met Marrow"),
    ('mood == "wary"', "your mood is “wary”"),
    ('has("ember-relic")', "you have the ember relic"),
    ('not has("ember-relic")', "you do not have the ember relic"),
    ('has_skill("tracking")', "you have the skill Tracking"),
    ("strength >= 14 or agility >= 13", "your Strength is at least 14 or your Agility is at least 13"),
    ("has_key and heard_tale and gold > 1", "you have the key, you heard the tale and you have more than 1 gold"),
    ("not (has_key and met_tomas)", "you do not have the key or you have not met Tomas"),
    ("(strength >= 14 or agility >= 13) and met_tomas",
     "either your Strength is at least 14 or your Agility is at least 13 and you met Tomas"),
    ("max(wits, agility) >= 12", "the greater of your Wits and your Agility is at least 12"),
    ("agility + level * 2 > 20", "your Agility + your level × 2 is more than 20"),
    ("(agility + level) * 2 > 20", "(your Agility + your level) × 2 is more than 20"),
    # `//` and `/` differ (3 // 2 is 1, 3 / 2 is 1.5); a value in words is bracketed in a sum
    ("gold // 2 >= 1", "your gold ÷ 2 rounded down is at least 1"),
    ("gold / 2 >= 1", "your gold ÷ 2 is at least 1"),
    ("(gold // 2) * 2 == gold", "(your gold ÷ 2 rounded down) × 2 is your gold"),
    ("gold // 2 // 2 > 0", "(your gold ÷ 2 rounded down) ÷ 2 rounded down is more than 0"),
    ("floor(gold / 3) * 3 > 5", "(your gold ÷ 3 rounded down) × 3 is more than 5"),
    ("min(gold, 5) + 1 >= 3", "(the lower of your gold and 5) + 1 is at least 3"),
    ("max(gold) + 1 > 2", "your gold + 1 is more than 2"),
]

EFFECTS = [
    ("gold -= 3", "lose 3 gold"),
    ("gold += 5", "gain 5 gold"),
    ("gold += -2", "lose 2 gold"),
    ("gold = 10", "change your gold to 10"),
    ("gold += wits", "add your Wits to your gold"),
    ("set met_tomas", "note that you met Tomas"),
    ("unset has_key", "cross out your note that you have the key"),
    ("set low_tide", "note “Low tide”"),
    ("unset low_tide", "cross out “Low tide”"),
    ("met_tomas = false", "cross out your note that you met Tomas"),
    ('mood = "bold"', "change your mood to “bold”"),
    ('give "ferry-token"', "gain the ferry token"),
    ('take "ferry-token"', "lose the ferry token"),
    ("air -= 1; set has_key; set low_tide", "lose 1 air, note that you have the key and note “Low tide”"),
    ("gold = gold // 2", "change your gold to your gold ÷ 2 rounded down"),
    ("gold += round(air / 2) + 1", "add (your air ÷ 2 rounded) + 1 to your gold"),
]


@pytest.mark.parametrize("source, expected", CONDITIONS)
def test_condition_in_words(source, expected):
    assert words.condition(expr.parse_expression(source), VOCAB) == expected


@pytest.mark.parametrize("source, expected", EFFECTS)
def test_effects_in_words(source, expected):
    assert words.effects(expr.parse_effects(source), VOCAB) == expected


def _story(sid: str, start: str, scenes: list[str]):
    return SimpleNamespace(id=sid, front=SimpleNamespace(start=start), scenes=dict.fromkeys(scenes))


def test_start_is_one_and_numbers_are_a_permutation():
    numbers = section_numbers(_story("keep", "gate", ["hall", "gate", "wall", "relic", "tower"]))
    assert numbers["gate"] == 1
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5]


def test_numbers_do_not_depend_on_the_order_scenes_are_written_in():
    scenes = [f"scene-{i}" for i in range(40)]
    forward = section_numbers(_story("keep", "scene-7", scenes))
    backward = section_numbers(_story("keep", "scene-7", scenes[::-1]))
    assert forward == backward
    assert [s for s, _ in sorted(forward.items(), key=lambda kv: kv[1])] != [scenes[7], *scenes[:7], *scenes[8:]]


def test_numbers_are_seeded_by_the_story_id():
    scenes = [f"scene-{i}" for i in range(40)]
    assert section_numbers(_story("keep", "scene-0", scenes)) != section_numbers(_story("lantern", "scene-0", scenes))


def test_sample_story_numbering_is_stable_across_machines():
    """A golden value: the same on every machine and Python version (hash-sorted,
    never random.shuffle). Changing it renumbers every printed book."""
    diags = Diagnostics()
    world = load_world(load_project(REPO, diags), diags)
    numbers = section_numbers(world.stories["the-sunken-keep"].model)
    assert numbers == {"moorings": 1, "dunnet-parley": 2, "great-hall": 3, "tower": 4, "home-water": 5, "chapel": 6,
                       "surface": 7, "strongroom": 8, "crown-bargain": 9, "let-it-lie": 10, "reeve-restored": 11}


def test_a_remainder_is_said_in_the_books_language():
    """`gold % 3 == 1` read "your gold mod 3 is 1" in every language ("mod" was an
    English word in the German and Arabic gamebooks' and pages' sentences): the
    remainder is a phrase of the theme's catalogs."""
    from dataclasses import replace
    from pipeline.confine import boundary
    from pipeline.exporters.html import default_theme_dir
    from pipeline.exporters.theme_words import load_theme_words
    shipped = load_theme_words([(default_theme_dir(), boundary(default_theme_dir()), "<default theme>")], Diagnostics())
    condition = expr.parse_expression("gold % 3 == 1")
    assert words.condition(condition, VOCAB) == "your gold mod 3 is 1"   # English as it was
    arabic = words.condition(condition, replace(VOCAB, say=shipped.for_language("ar")))
    assert "باقي قسمة" in arabic and "mod" not in arabic, arabic
