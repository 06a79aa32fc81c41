"""Whole numbers ink cannot hold (HF0610): ink's are 32-bit, ours go to ±2^53. A story
with a number past ±2,147,483,647 used to pass `foundry check` and build into a script
inklecate refuses; now check says so at the number, and what it passes compiles."""

from __future__ import annotations

import json

from export_support import SOURCE_DATE_EPOCH
from support import foundry

STORY = """\
---
title: Hoard
status: draft
summary: Counting gold.
start: vault
protagonist: first-hero
variables:
  gold: {gold}
  debt: -{gold}
---

## The Vault {{#vault}}

Gold to the ceiling.

- [Spend some](#done){{if="gold > {gold}" do="gold -= {gold}"}}
- [Leave](#done){{id=leave}}

## Done {{#done .ending}}

The end.
"""
BIGGEST = 2**31 - 1


def _project(project_factory, gold: int, outputs: str = '"json", "ink"', formula: str = "level * 2"):
    return project_factory({
        "content/stories/hoard.md": STORY.format(gold=gold),
        "foundry.toml": f'[project]\ntitle = "Hoard"\n[build]\noutputs = [{outputs}]\n',
        "schemas/attributes.yaml": (
            "attributes:\n  agility: {min: 1, max: 20, default: 8}\n  constitution: {min: 1, max: 20, default: 8}\n"
            "  strength: {min: 1, max: 20, default: 8}\n  wits: {min: 1, max: 20, default: 8}\n"
            "point_budget: {base: 16, per_level: 2}\n"
            f'derived:\n  wealth: {{formula: "{formula}"}}\n'),
    })


def _lines(run) -> list[str]:
    return [f"{d['file']}:{d['line']}:{d['column']}" for d in json.loads(run.stdout)["diagnostics"]
            if d["code"] == "HF0610"]


def test_numbers_past_32_bits_are_refused_at_each_number(project_factory):
    root = _project(project_factory, BIGGEST + 1, formula="level * 3000000000")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1, run.stdout + run.stderr
    # the two starting values, the condition's and the effect's numbers, and the derived
    # stat at its formula: once, though two stories are played by its hero
    assert _lines(run) == ["content/stories/hoard.md:8:9", "content/stories/hoard.md:9:9",
                           "content/stories/hoard.md:16:34", "content/stories/hoard.md:16:58",
                           "schemas/attributes.yaml:8:22"]
    build = foundry("build", "--project", str(root), "--only", "ink", env=SOURCE_DATE_EPOCH)
    assert build.code == 1 and not (root / "build" / "ink").exists()


def test_numbers_within_32_bits_compile_with_inklecate(project_factory, inklecate):
    root = _project(project_factory, BIGGEST)
    assert foundry("check", "--project", str(root)).code == 0
    assert foundry("build", "--project", str(root), "--only", "ink", env=SOURCE_DATE_EPOCH).code == 0
    inklecate(root / "build" / "ink" / "hoard.ink")   # no error, no warning


def test_one_past_the_bound_is_what_inklecate_refuses(tmp_path, inklecate):
    """The bound is the real compiler's: 2,147,483,648 is refused, as a value and negated."""
    for text in (f"VAR x = {BIGGEST + 1}", f"VAR x = -{BIGGEST + 1}"):
        ink = tmp_path / "one.ink"
        ink.write_text(f"{text}\nHello.\n-> END\n", encoding="utf-8")
        try:
            inklecate(ink)
        except AssertionError:
            continue
        raise AssertionError(f"inklecate accepted {text}")


def test_a_project_without_ink_may_count_past_32_bits(project_factory):
    root = _project(project_factory, BIGGEST + 1, outputs='"json"')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and _lines(run) == [], run.stdout
