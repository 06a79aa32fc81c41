"""What the check of a project's own site templates says is remembered across processes
(exporters/html/template_verdicts.py): a fresh `foundry build` or `check` whose
templates' folders are as the last check found them says the same problems without
parsing and compiling them again (~0.04 CPU-s of the builder's serial stretch at 10,000
heroes, docs/performance.md edit40). Remembered by everything the check can read: a
file that is not one of the own templates checked (an included `part.txt`) appearing is
judged again; a memo not sealed by this user is not believed; a folder holding a link
is never remembered."""

from __future__ import annotations

import json

from support import REPO

from pipeline.diagnostics import Diagnostics
from pipeline.engine.builder import check
from pipeline.exporters.html import template_verdicts, theme

MEMO = f".foundry-cache/{template_verdicts.MEMO}"


def _project(project_factory):
    root = project_factory()
    own = root / "themes/default/templates"
    own.mkdir(parents=True)
    credits = (REPO / "themes/default/templates/credits.html").read_text(encoding="utf-8")
    inserted = '{{ "x" | uppr }}{% include "part.txt" %}\n'
    (own / "credits.html").write_text(credits.replace("{% block main %}\n", "{% block main %}\n" + inserted, 1),
                                      encoding="utf-8")
    return root, own


def _counted(monkeypatch) -> list[int]:
    """How many times the check compiles the own templates (check_compiles' calls)."""
    calls = [0]
    real = theme.check_compiles

    def counting(*args, **kwargs):
        calls[0] += 1
        return real(*args, **kwargs)
    monkeypatch.setattr(theme, "check_compiles", counting)
    return calls


def _said(root) -> list[tuple[str, str, int, str, str]]:
    diags = Diagnostics()
    check(root, diags)
    return [(d.code, d.span.path, d.span.line, d.message, d.hint) for d in diags.items if d.code == "HF0703"]


def test_the_verdict_is_said_again_from_the_memo_and_judged_again_when_the_folder_changes(project_factory,
                                                                                          monkeypatch):
    root, own = _project(project_factory)
    calls = _counted(monkeypatch)
    first = _said(root)
    assert [m for _, _, _, m, _ in first] == ["No filter named 'uppr'.", "template 'part.txt' not found"]
    assert calls[0] == 1 and (root / MEMO).is_file()
    assert _said(root) == first and calls[0] == 1   # remembered: not compiled again
    # a file the loader can read, not one of the own templates checked: judged again
    (own / "part.txt").write_text("<p>part</p>\n", encoding="utf-8")
    assert [m for _, _, _, m, _ in _said(root)] == ["No filter named 'uppr'."] and calls[0] == 2
    (own / "part.txt").unlink()
    assert _said(root) == first and calls[0] == 3


def test_a_memo_this_user_did_not_seal_is_not_believed(project_factory, monkeypatch):
    root, own = _project(project_factory)
    calls = _counted(monkeypatch)
    first = _said(root)
    row = json.loads((root / MEMO).read_bytes().split(b"\n", 1)[1])
    assert row["value"] != "[]"
    # the same key, unsealed (as a pull request could commit it), saying nothing is wrong
    (root / MEMO).write_text(json.dumps({"key": row["key"], "value": "[]"}), encoding="utf-8")
    assert _said(root) == first and calls[0] == 2


def test_a_templates_folder_holding_a_link_is_checked_every_time(project_factory, monkeypatch):
    root, own = _project(project_factory)
    (root / "notes.txt").write_text("<p>notes</p>\n", encoding="utf-8")
    (own / "part.txt").symlink_to(root / "notes.txt")
    calls = _counted(monkeypatch)
    first = _said(root)
    assert [m for _, _, _, m, _ in first] == ["No filter named 'uppr'."]
    assert _said(root) == first and calls[0] == 2 and not (root / MEMO).exists()



# A loop over constant ranges of 1,000,000 turns: within the default 120 CPU-s a render
# has (it runs in ~0.05 s), past what 0.01 s allows (template_loops.py, HF0710 at check)
LOOPS = ('{% extends "base.html" %}\n{% block main %}\n'
         '{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}\n{% endblock %}\n')
PAST = ("HF0710", "themes/default/templates/404.html", 3,
        "loops over constant ranges 1,000,000 times: more than a render may compute in its 0.01 CPU seconds")


def _budgets_said(root) -> list[tuple[str, str, int, str]]:
    diags = Diagnostics()
    check(root, diags)
    return [(d.code, d.span.path, d.span.line, d.message) for d in diags.items]


def test_a_verdict_made_under_another_render_budget_is_judged_again(project_factory, monkeypatch):
    """The verdict depends on the operator's FOUNDRY_RENDER_SECONDS (budget.limits in
    the key): remembered clean under the default, it was said again under 0.01 s, where
    a check with no memo says HF0710."""
    root = project_factory({"themes/default/templates/404.html": LOOPS})
    monkeypatch.delenv("FOUNDRY_RENDER_SECONDS", raising=False)
    calls = _counted(monkeypatch)
    assert _budgets_said(root) == [] and calls[0] == 1 and (root / MEMO).is_file()
    monkeypatch.setenv("FOUNDRY_RENDER_SECONDS", "0.01")
    assert _budgets_said(root) == [PAST] and calls[0] == 2
    assert _budgets_said(root) == [PAST] and calls[0] == 2   # remembered under this budget


def test_a_warm_check_and_a_noop_build_under_other_budgets_say_what_cold_ones_say(project_factory, monkeypatch):
    """The whole check's memo (engine/checked.py, the CLI's) and the no-op build's
    settings (engine/builder.py) take every budget the environment sets (budget.limits):
    a `foundry check` replayed the default budget's "No problems found" under
    FOUNDRY_RENDER_SECONDS=0.01, and a build answered "unchanged" under it and under a
    FOUNDRY_PICTURE_PIXELS the theme's picture is past, where a cold one stops (HF0710,
    HF0715)."""
    from PIL import Image

    from pipeline.cli import _check_working_tree
    from pipeline.engine.builder import BuildReport, build
    root = project_factory({"themes/default/templates/404.html": LOOPS})
    (root / "themes/default/static").mkdir()
    Image.new("RGB", (100, 100), (200, 0, 0)).save(root / "themes/default/static/a.png")
    toml = root / "foundry.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('"json", "html", "pdf", "epub", "ink", "twee"', '"html"'),
                    encoding="utf-8")
    for name in ("FOUNDRY_RENDER_SECONDS", "FOUNDRY_PICTURE_PIXELS"):
        monkeypatch.delenv(name, raising=False)

    def checked() -> list[tuple[str, str, int, str]]:   # as `foundry check` checks, its memo kept
        diags = Diagnostics()
        _check_working_tree(root, diags, BuildReport(), False)
        return [(d.code, d.span.path, d.span.line, d.message) for d in diags.items]
    assert checked() == [] and (root / ".foundry-cache/check.json").is_file()
    monkeypatch.setenv("FOUNDRY_RENDER_SECONDS", "0.01")
    assert checked() == [PAST]
    monkeypatch.delenv("FOUNDRY_RENDER_SECONDS")
    diags = Diagnostics()
    build(root, diags)
    assert diags.items == [] and (root / "build/site/404.html").is_file()
    for name, value, code in (("FOUNDRY_RENDER_SECONDS", "0.01", "HF0710"), ("FOUNDRY_PICTURE_PIXELS", "5000", "HF0715")):
        monkeypatch.setenv(name, value)
        diags = Diagnostics()
        build(root, diags)
        assert [d.code for d in diags.items if d.severity.value == "error"] == [code], (name, diags.items)
        monkeypatch.delenv(name)
