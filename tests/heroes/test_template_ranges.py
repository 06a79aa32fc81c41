"""A hero template's attribute outside its range is HF0404 at the template's own line
(docs/formats.md: "each within its range (HF0404, reported at the template)"), whether
or not a hero takes the value: it was said only for a hero that used the template and
wrote no value of its own, so a template no hero used yet, or whose heroes all wrote
their own value, kept `agility: 30` without a word."""

from __future__ import annotations

from support import foundry


def test_a_templates_value_out_of_range_is_said_at_the_template_once(project_factory):
    root = project_factory({
        "content/templates/heroes/unused.yaml": "name: Unused\nattributes: {wits: 0}\n",
        "content/templates/heroes/overridden.yaml": "name: Overridden\nattributes: {agility: 30}\n",
        "content/templates/heroes/taken.yaml": "name: Taken\nattributes: {strength: 21}\n",
        "content/heroes/own.yaml": "name: Own\ntemplate: overridden\nattributes: {agility: 12}\n",
        "content/heroes/took.yaml": "name: Took\ntemplate: taken\n",
        "content/heroes/also.yaml": "name: Also\ntemplate: taken\n",
    })
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = [f"{d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"] if d["code"] == "HF0404"]
    assert sorted(said) == ["content/templates/heroes/overridden.yaml:2:23", "content/templates/heroes/taken.yaml:2:24",
                            "content/templates/heroes/unused.yaml:2:20"], said
