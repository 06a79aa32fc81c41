"""Conditions and effects as a writer types them, each one slip with its fix.

`has_skill(tracking)` (the id without quotes) was two errors at one place: "unknown
name 'tracking'" with the hint "add `tracking: 0` under `variables:`" (a number variable:
the call still fails), and "has_skill() takes a quoted id" with the hint
`has("rusted-key")`, another function. `crossed == yes` was "add `yes: false` under
`variables:`"."""

from __future__ import annotations

from support import foundry

CASES = {
    # name: (the condition or effects, (code, column), hint)
    "skill-unquoted": ('if="has_skill(tracking)"', ("HF0604", 26),
                       "Write `has_skill('tracking')`: an id is quoted (in single quotes inside a choice's `if=\"…\"`)."),
    "item-unquoted": ('if="has(ember-relic)"', ("HF0604", 20),
                      "Write `has('ember-relic')`: an id is quoted (in single quotes inside a choice's `if=\"…\"`)."),
    "yes": ('if="x == yes"', ("HF0602", 21), "`yes` is no value of the expression language: write `true`."),
    "no": ('do="x = no"', ("HF0602", 20), "`no` is no value of the expression language: write `false`."),
}


def test_a_condition_typed_as_other_tools_write_it_is_one_error_with_its_fix(project_factory):
    root = project_factory({f"content/stories/{name}.md": ("---\ntitle: Slips\nstart: a\nprotagonist: first-hero\n"
                                                            "variables: {x: false}\n---\n\n## Start {#a}\n\n"
                                                            "- [Go](#b){" + attrs + "}\n- [Or](#b){id=\"or\"}\n\n"
                                                            "## End {#b .ending}\n\nDone.\n").encode()
                            for name, (attrs, _, _) in CASES.items()})
    run = foundry("check", "--format", "json", "--project", str(root))
    diags = [d for d in run.json()["diagnostics"] if d["severity"] == "error"]
    found = sorted((d["file"].rsplit("/", 1)[1], d["code"], d["line"], d["column"]) for d in diags)
    assert found == sorted((f"{name}.md", code, 10, column) for name, (_, (code, column), _) in CASES.items()), \
        run.stdout
    for d in diags:
        assert d["hint"] == CASES[d["file"].rsplit("/", 1)[1][:-3]][2], d
