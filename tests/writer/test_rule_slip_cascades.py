"""A slip in a rule file is one error in that file, not also errors in content.

`prerequisites: [traking]` in schemas/skills.yaml is HF0308 there; the rule book kept
the unknown name, so check also told the hero's file "skill 'ambush' needs 'traking',
which first-hero does not have — add 'traking' to skills" (a skill that does not
exist). `inverse: mentr` in schemas/relationships.yaml is HF0310 there; check also
said "'mentor' has inverse 'apprentice', but 'apprentice' does not have inverse
'mentor'" and, in a character file, "first-hero says 'mentor' (expected 'mentr')"."""

from __future__ import annotations

import pytest

from support import foundry


def found(root) -> list[tuple[str, str]]:
    run = foundry("check", "--format", "json", "--project", str(root))
    return sorted((d["code"], d["file"]) for d in run.json()["diagnostics"])


@pytest.mark.parametrize("rules, old, new, code", [
    ("schemas/skills.yaml", "prerequisites: [tracking]", "prerequisites: [traking]", "HF0308"),
    ("schemas/relationships.yaml", "inverse: mentor}", "inverse: mentr}", "HF0310"),
])
def test_a_rule_naming_nothing_is_one_error_in_the_rule_file(project_factory, rules, old, new, code):
    root = project_factory()
    path = root / rules
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    assert found(root) == [(code, rules)]


def test_inverses_that_disagree_say_which_line_to_write(project_factory):
    root = project_factory()
    path = root / "schemas/relationships.yaml"
    path.write_text(path.read_text().replace("inverse: mentor}", "inverse: rival}"))
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = {d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0401"}
    assert "Give 'apprentice' `inverse: mentor`, or remove `inverse: apprentice` from 'mentor'." in hints
