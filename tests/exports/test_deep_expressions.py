"""Expressions as deep as the check lets through are exported by every output, in
bounded time and size: a hostile story's condition or effect must not stop (or hang)
the build the check passed."""

from __future__ import annotations

from export_support import run_node
from support import foundry

STORY = "content/stories/first-story.md"


def _with_effect(project_factory, effect: str, name: str = "proj", condition: str = "coins >= 2"):
    root = project_factory(name=name)
    path = root / STORY
    text = path.read_text(encoding="utf-8").replace('do="coins -= 2"', f'do="{effect}"')
    path.write_text(text.replace('if="coins >= 2"', f'if="{condition}"'), encoding="utf-8")
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


DEEP = {
    # a division's left side was made twice: 2^33 steps
    "divisions": "coins = coins * 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 "
                 "/ 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 / 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 "
                 "* 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3",
    # abs wrote (and made) its argument twice: 2^30
    "abs": "coins = " + "abs(" * 30 + "coins - 5" + ")" * 30,
    # % wrote its right side three times, in ink and in SugarCube: 3^18 times
    "mod": "coins = 7 % " + "(2 + coins % " * 18 + "2" + ")" * 18,
    # clamp's bounds (not numbers) written twice: 2^25
    "clamp": "coins = " + "clamp(coins, coins - 1, " * 25 + "coins" + ")" * 25,
    # as deep as the check lets through: ink's parser stopped at 200 states ("Stack
    # overflow in parser state"), 37 bracketed sums or 46 calls deep, so inkjs and
    # inklecate refused the export the build had written without a word
    "sums": "coins = " + "(coins + " * 49 + "1" + ")" * 49,
    "calls": "coins = " + "abs(" * 49 + "coins - 5" + ")" * 49,
}


def test_deep_expressions_export_to_ink_and_twee_in_their_size_and_play_the_same(project_factory, node_tools):
    """Each of these took longer to export than a build's budget (the build never ended:
    `1 / 3 / 3 / …` thirty-odd times, `abs(abs(…))` thirty deep, `a % (b % (…))`
    eighteen deep, `clamp(x, a, clamp(…))` twenty-five), while `check` passed them in a second. The
    exports grow with the expression now (a function of the export's own writes a long
    operand once), and inkjs and the SugarCube player end with the value `foundry play`
    computes."""
    for n, (name, effect) in enumerate(DEEP.items()):
        root = _with_effect(project_factory, effect, f"deep-{n}")
        run = foundry("build", "--only", "ink,twee", "--project", str(root))
        assert run.code == 0, (name, run.stderr[-800:])
        for out in ("build/ink/first-story.ink", "build/twee/first-story.twee"):
            assert (root / out).stat().st_size < 20_000, (name, out)
        played = foundry("play", "first-story", "--choose", "1,1", "--json", "--project", str(root))
        assert played.code == 0, (name, played.stderr)
        coins = {v["id"]: v["value"] for v in played.json()["variables"]}["coins"]
        ink = run_node("ink_runner.mjs", str(root / "build/ink/first-story.ink"),
                       request={"paths": [[1, 1]], "variables": ["coins"]})
        assert ink["errors"] == [] and ink["runs"][0]["variables"]["coins"] == coins, (name, coins, ink)
        twee = run_node("twee_player.mjs", str(root / "build/twee/first-story.twee"), request={"paths": [[1, 1]]})
        assert twee["runs"][0]["errors"] == [] and twee["runs"][0]["variables"]["coins"] == coins, (name, coins, twee)


def test_a_condition_as_deep_as_the_check_lets_through_compiles_in_ink(project_factory, node_tools):
    """A choice's condition 49 bracketed sums deep passed the check and the build, and
    inkjs refused the .ink ("Stack overflow in parser state"). Its deep part is a
    function of the export's own now, and the choice is offered as `foundry play` offers it."""
    root = _with_effect(project_factory, "coins -= 2", condition="(coins + " * 49 + "0" + ")" * 49 + " >= 98")
    run = foundry("build", "--only", "ink", "--project", str(root))
    assert run.code == 0, run.stderr[-800:]
    played = foundry("play", "first-story", "--choose", "1,1", "--json", "--project", str(root))
    assert played.code == 0, played.stderr
    coins = {v["id"]: v["value"] for v in played.json()["variables"]}["coins"]
    ink = run_node("ink_runner.mjs", str(root / "build/ink/first-story.ink"),
                   request={"paths": [[1, 1]], "variables": ["coins"]})
    assert ink["errors"] == [] and ink["runs"][0]["variables"]["coins"] == coins == 0, ink


def test_an_operator_chain_is_as_deep_as_its_operators_in_check_and_every_output(project_factory, node_tools):
    """`coins + 1 + 1 + …` is read in a loop, but each `+` is one level of the tree every
    output walks: 450 in a condition (1,800 characters, within the length limit) stopped
    `check` and every build with "internal error (RecursionError)", and 200 in a derived
    formula passed `check` and stopped the JSON export ("Maximum serialization depth
    exceeded"). A chain counts as deep as its operators: past 100, HF0601 at the 101st,
    said by check and build alike; 100 are checked, built and played."""
    chain = "coins" + " + 1" * 99 + " >= 2"   # 100 operators
    formula = "level" + " + level" * 100     # 100 operators
    root = _with_effect(project_factory, "coins -= 2", condition=chain)
    attributes = root / "schemas/attributes.yaml"
    rules = attributes.read_text(encoding="utf-8")
    attributes.write_text(rules.replace('"10 + agility // 2"', f'"{formula}"'), encoding="utf-8")
    run = foundry("build", "--project", str(root))
    assert run.code == 0, (run.stdout[-800:], run.stderr[-800:])
    ink = run_node("ink_runner.mjs", str(root / "build/ink/first-story.ink"),
                   request={"paths": [[1, 1]], "variables": ["coins"]})
    assert ink["errors"] == [] and ink["runs"][0]["variables"]["coins"] == 0, ink
    line = next(n for n, text in enumerate((root / STORY).read_text(encoding="utf-8").splitlines(), 1) if "+ 1" in text)
    column = (root / STORY).read_text(encoding="utf-8").splitlines()[line - 1].index(" + 1") + 1 + 4 * 100 + 1
    for text, verbs in ((chain, (("check",), ("build",))), ("coins" + " + 1" * 450 + " >= 2", (("check",),))):
        deep = _with_effect(project_factory, "coins -= 2", f"deep-{len(text)}", condition=text.replace("coins", "coins + 1", 1))
        for verb in verbs:
            run = foundry(*verb, "--project", str(deep), "--format", "json")
            assert run.code == 1, (verb, run.stdout[-500:], run.stderr[-500:])
            assert [f"{d['code']} {d['file']}:{d['line']}:{d['column']}" for d in run.json()["diagnostics"]] == \
                [f"HF0601 {STORY}:{line}:{column}"], (verb, run.stdout[-800:])
    attributes.write_text(rules.replace('"10 + agility // 2"', f'"{formula} + 1"'), encoding="utf-8")
    for verb in (("check",), ("build", "--only", "json")):
        run = foundry(*verb, "--project", str(root), "--format", "json")
        assert run.code == 1 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0601"], (verb, run.stdout[-800:])
        assert run.json()["diagnostics"][0]["file"] == "schemas/attributes.yaml", run.stdout[-800:]
