"""A story's checks that the C# ink runtime plays its numbers as `foundry play` does
(HF0611, HF0613, HF0616: stories/analysis.py `_ink_findings`) walk every state it
reaches three times. A story of plain counters (`gold -= 1`, `gold >= 1`: no decimal,
nothing near 32 bits) is looked at once instead and not walked (~0.15 of a cold
check's CPU-s at 10,000 heroes and 500 stories, docs/performance.md cold55); a story
that has any of what the checks look for is walked as before and says the same.
Counts, never times."""

from __future__ import annotations

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.stories import analysis
from support import counted_calls

TOML = '[project]\ntitle = "P"\n[build]\noutputs = ["json", "ink"]\n'


def _story(gold: int, condition: str, effect: str) -> str:
    return (f"---\ntitle: Coins\nstart: count\nvariables:\n  gold: {gold}\n  met: false\n---\n\n"
            "## Count {#count}\n\nCoins.\n\n"
            f"- [Pay](#count){{id=pay if=\"{condition}\" do=\"{effect}\"}}\n"
            "- [Leave](#done){id=leave}\n\n## Done {#done .ending}\n\nDone.\n")


def _checked(root) -> list[tuple[str, str]]:
    diags = Diagnostics()
    check(root, diags)
    return sorted((d.code, d.message) for d in diags.items if d.code.startswith("HF06"))


def test_a_story_of_plain_counters_is_not_walked_for_inks_numbers(project_factory, monkeypatch):
    root = project_factory({"content/stories/coins.md": _story(3, "gold >= 1", "gold -= 1; set met"),
                            "foundry.toml": TOML})
    walked = counted_calls(monkeypatch, analysis, "ink_decimal_names")
    assert _checked(root) == []
    assert walked == []


# each what one of the checks looks for, and what it says of it
@pytest.mark.parametrize("gold, condition, effect, code", [
    (2_147_483_000, "gold >= 1", "gold += 1000", "HF0611"),                # a value past ink's whole numbers
    (1_000_000_001, "gold >= 1", "gold = gold * 3 / 2", "HF0611"),         # a step wraps on the way (`/`)
    (1_000_000_001, "gold >= 1", "met = (gold * 1.5) % 7 > 3", None),      # a decimal in an effect: walked
    (50_000, "gold * gold > 5", "gold -= 1", "HF0613"),                   # a condition's step past 32 bits
    (1_000_000_001, "gold * 1.5 > 1500000000", "gold -= 1", "HF0613"),    # a decimal in a condition
])
def test_a_story_with_what_the_checks_look_for_is_walked_and_says_the_same(project_factory, monkeypatch, gold,
                                                                           condition, effect, code):
    story = _story(gold, condition, effect)
    root = project_factory({"content/stories/coins.md": story, "foundry.toml": TOML})
    walked = counted_calls(monkeypatch, analysis, "ink_decimal_names")
    said = _checked(root)
    assert walked, "the checks were not run"
    assert code is None or code in [c for c, _ in said], said
    # the same as every state walked, the look first left out
    monkeypatch.setattr(analysis, "_whole_everywhere", lambda story, run: False, raising=False)
    again = project_factory({"content/stories/coins.md": story, "foundry.toml": TOML}, name="again")
    assert _checked(again) == said
