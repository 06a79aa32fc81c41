"""The rule book's derived formulas are held to a budget of evaluation steps (HF0608):
every hero computes every formula at every level, so a legal 2 MiB attributes.yaml of
long formulas at 100 levels made `foundry check` compute for minutes per hero."""
from __future__ import annotations

from support import ROOTS, diagnostics, foundry

NAMES = ["strength", "agility", "constitution", "wits"]
FORMULA = " + ".join(NAMES[i % 4] for i in range(100))   # 100 names, 99 additions: 199 nodes
PER_FORMULA = 199 * 100                                   # at each of 100 levels


def _rules(count: int) -> dict[str, str]:
    attributes = (ROOTS / "minimal/schemas/attributes.yaml").read_text(encoding="utf-8").split("derived:")[0]
    derived = "".join(f'  d{i}: {{name: D{i}, formula: "{FORMULA}"}}\n' for i in range(count))
    return {
        "schemas/attributes.yaml": attributes + "derived:\n" + derived,
        "schemas/progression.yaml": "max_level: 100\nxp_for_level: [" + ", ".join(str(i * 100) for i in range(100)) + "]\n",
    }


def test_formulas_within_the_budget_are_computed(project_factory):
    root = project_factory(_rules(10))   # 199,000 steps of 200,000
    run = foundry("hero", "first-hero", "--format", "json", cwd=root)
    assert run.code == 0, run.stderr
    assert "HF0608" not in run.stdout + run.stderr


def test_formulas_past_the_budget_are_named_at_the_first_one_over(project_factory):
    root = project_factory(_rules(12))
    run = foundry("check", "--format", "json", cwd=root)
    assert run.code == 1
    found = run.json()["diagnostics"]
    line = 9 + 1 + 10 + 1    # the file's 9 lines before `derived:`, that line, d0..d9, then d10
    column = len('  d10: {name: D10, formula: "') + 1
    assert [d for d in diagnostics(run) if d.startswith("HF0608")] == [f"HF0608 schemas/attributes.yaml:{line}:{column}"]
    message = next(d["message"] for d in found if d["code"] == "HF0608")
    assert f"need {12 * PER_FORMULA:,} steps" in message and "'d10' and the stats after it are not computed" in message
    assert [d for d in found if d["severity"] == "error"] == [d for d in found if d["code"] == "HF0608"]
