"""Expressions as deep as the check lets through are exported by every output, in
bounded time and size: a hostile story's condition or effect must not stop (or hang)
the build the check passed."""

from __future__ import annotations

from support import foundry

STORY = "content/stories/first-story.md"


def _with_effect(project_factory, effect: str, name: str = "proj"):
    root = project_factory(name=name)
    path = root / STORY
    path.write_text(path.read_text(encoding="utf-8").replace('do="coins -= 2"', f'do="{effect}"'), encoding="utf-8")
    return root


def test_function_calls_nest_no_deeper_than_the_json_export_can_write(project_factory):
    """99 nested `abs(` passed the check (parentheses nest 100 deep), and the JSON
    export died at orjson's 255 levels: "internal error (TypeError)", exit 2. A call
    counts two levels now: too deep is HF0601 at check, at the place; 49 are exported."""
    root = _with_effect(project_factory, "coins = " + "abs(" * 99 + "1" + ")" * 99)
    for verb in (("check",), ("build", "--only", "json")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        assert run.code == 1, (verb, run.stdout[-500:], run.stderr[-500:])
        assert [d["code"] for d in run.json()["diagnostics"] if d["severity"] == "error"] == ["HF0601"], run.stdout
    root = _with_effect(project_factory, "coins = " + "abs(" * 49 + "1" + ")" * 49, "fine")
    run = foundry("build", "--only", "json", "--project", str(root))
    assert run.code == 0, run.stderr[-800:]
