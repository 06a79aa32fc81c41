"""build/ink/: every story compiles with inkle's compilers — inkjs 2.4, and the official
inklecate of the oldest ink we support (ink 0.9, bundled in npm inklecate 1.8.1, run
under Mono) — with no error or warning, and plays in inkjs's runtime exactly as
`foundry play` plays it: same scenes, same prose, same choices offered, same ending,
same variables and items; the scene and choice ids reach the engine as tags."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from export_support import run_node, scripted_paths, transcripts_of
from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.ink import prose_line
from pipeline.expr.emit import escape_ink_text, item_variable
from pipeline.stories.machine import StoryMachine
from pipeline.resolve.world import players_for
from support import REPO, foundry

SAMPLE_STORIES = sorted(p.stem for p in (REPO / "content" / "stories").glob("*.md"))


def norm(text: str) -> str:
    """ink prints a line with runs of spaces as one space, trimmed."""
    return " ".join(text.split())


def prose_lines(text: str) -> list[str]:
    return [norm(line) for line in text.split("\n") if line.strip()]


# --- playing both ------------------------------------------------------------------------

def foundry_transcripts(root: Path, machine: StoryMachine, paths: dict[str, list[int]]) -> dict[str, dict]:
    """What `foundry play --choose … --json` prints for each path. The CLI runs once, to
    show that it prints exactly the in-process transcript used for the other paths
    (each CLI run re-checks the whole project, which costs a second)."""
    transcripts = transcripts_of(machine, paths)
    name, path = next(iter(paths.items()))
    run = foundry("play", machine.story.id, "--choose", ",".join(map(str, path)), "--json", "--project", str(root))
    assert run.code == 0, run.stdout + run.stderr
    assert run.json() == transcripts[name]
    return transcripts


def ink_runs(ink_file: Path, paths: dict[str, list[int]], variables: list[str], compile_with=None) -> dict:
    """Play the paths in inkjs's runtime; compiled by inkjs, or by `compile_with(ink_file)`
    (inklecate), which returns the compiled JSON's path."""
    story_file = compile_with(ink_file) if compile_with else ink_file
    answer = run_node("ink_runner.mjs", str(story_file), request={"paths": list(paths.values()), "variables": variables})
    assert answer["errors"] == [] and answer["warnings"] == [] and answer["author"] == [], answer
    # the one note inkjs's runtime prints for ink 0.9's JSON: its format is older than inkjs's own
    assert all("Version of ink" in note for note in answer["runtime"]), answer["runtime"]
    return dict(zip(paths, answer["runs"]))


def declared(ink_source: str, prefix: str = "") -> list[str]:
    return re.findall(rf"^VAR ({prefix}\w+) = ", ink_source, re.MULTILINE)


def assert_plays_alike(ours: dict, theirs: dict, renamed: dict[str, str], items: list[str]) -> None:
    assert theirs["errors"] == []
    assert [s["scene"] for s in theirs["steps"]] == [s["scene"] for s in ours["steps"]]
    for mine, ink in zip(ours["steps"], theirs["steps"]):
        assert ink["title"] == norm(mine["title"])
        assert ink["lines"] == prose_lines(mine["text"]), mine["scene"]
        assert [norm(o["text"]) for o in ink["options"]] == [norm(o["text"]) for o in mine["options"]], mine["scene"]
        # the choice id reached the engine, as the `choice:` tag after the choice is taken
        assert ink["chosen"] == mine["chosen"], mine["scene"]
    assert theirs["ending"] == ours["ending"]
    values = {v["id"]: v["value"] for v in ours["variables"]}
    assert {name: theirs["variables"][renamed.get(name, name)] for name in values} == values
    # ink 0.9 (inklecate 1.8.1) has no booleans: `true` is the number 1 there
    held = {var for var in items if theirs["variables"][var] in (True, 1)}
    assert held == {item_variable(i) for i in ours["items"]}


def check_story(root: Path, sid: str, renamed: dict[str, str] | None = None, compile_with=None) -> dict[str, dict]:
    """Play the story's scripted paths with `foundry play` and in inkjs's runtime
    (compiled by inkjs, or by `compile_with`); compare."""
    renamed = renamed or {}
    world = check(root, Diagnostics())
    story = world.stories[sid].model
    ink_file = root / "build" / "ink" / f"{sid}.ink"
    source = ink_file.read_text(encoding="utf-8")
    story_vars = [renamed.get(name, name) for name in story.front.variables]
    assert set(story_vars) <= set(declared(source))
    items = declared(source, "item_")
    machine = StoryMachine(story, players_for(story, world)[0])
    paths = scripted_paths(machine)
    ours = foundry_transcripts(root, machine, paths)
    theirs = ink_runs(ink_file, paths, story_vars + items, compile_with)
    assert any(step["chosen"] for run in theirs.values() for step in run["steps"])
    for name in paths:
        assert_plays_alike(ours[name], theirs[name], renamed, items)
    return ours


# --- tests -------------------------------------------------------------------------------

@pytest.mark.parametrize("compiler", ["inkjs", "inklecate"])
@pytest.mark.parametrize("sid", SAMPLE_STORIES)
def test_sample_story_compiles_and_plays_like_foundry_play(node_tools, request, sample_exports, sid, compiler):
    compile_with = request.getfixturevalue("inklecate") if compiler == "inklecate" else None
    transcripts = check_story(sample_exports, sid, compile_with=compile_with)
    world = check(sample_exports, Diagnostics())
    endings = {s.id for s in world.stories[sid].model.endings}
    reached = {t["ending"] for t in transcripts.values()}
    # Every ending the protagonist can reach was played to, in both engines.
    assert reached - {None} == {e for e in endings if f"to-{e}" in transcripts}
    assert len(reached - {None}) >= 2


@pytest.mark.parametrize("compiler", ["inkjs", "inklecate"])
def test_fixture_story_with_loops_text_and_markup_plays_like_foundry_play(node_tools, request, fixture_export, compiler):
    compile_with = request.getfixturevalue("inklecate") if compiler == "inklecate" else None
    source = (fixture_export / "build" / "ink" / "signs.ink").read_text(encoding="utf-8")
    # `temp` is reserved in ink, `gate` is also a variable, `7` is not an ink name.
    assert "VAR temp_ = 20" in source and "-> scene_gate" in source and "=== scene_7 ===" in source
    assert "CONST agility = 14" in source and "CONST skill_tracking = true" in source
    assert "VAR item_lantern = true" in source
    transcripts = check_story(fixture_export, "signs", renamed={"temp": "temp_"}, compile_with=compile_with)
    assert {t["ending"] for t in transcripts.values()} == {"lit", "7", "home"}
    looped = transcripts["always-first"]["steps"]
    # The loop: the gate is played again, and its choices are offered again (sticky).
    gates = [s for s in looped if s["scene"] == "gate"]
    assert len(gates) >= 2 and all(s["options"] for s in gates)


def test_escaped_text_reads_back_unchanged_in_ink(node_tools, tmp_path):
    """Random text full of ink's markup characters, as prose lines and as string
    values, prints exactly as written (whitespace runs aside, which ink collapses)."""
    rng = random.Random(4)
    alphabet = list("ab -/\\*{}[]|#<>~=+\"'$:()^!") + ["->", "<-", "<>", "//", "/*", "*/", "==", "TODO", "VAR ", "\n"]
    texts = []
    for _ in range(600):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        for line in text.split("\n"):
            if line.strip():
                texts.append(norm(line))
    lines = [f'VAR s{i} = "{escape_ink_text(t, also=chr(34))}"' for i, t in enumerate(texts)]
    lines += ["-> all", "=== all ===", "# scene: all"]
    lines += [prose_line(t) for t in texts]
    lines += [f"{{s{i}}}" for i in range(len(texts))] + ["-> END"]
    ink_file = tmp_path / "escapes.ink"
    ink_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answer = run_node("ink_runner.mjs", str(ink_file), request={"paths": [[]]})
    assert answer["errors"] == [] and answer["warnings"] == []
    printed = answer["runs"][0]["steps"][0]["lines"]
    assert printed == texts + texts


def test_ink_output_is_identical_across_builds(sample_exports, sample_exports_again):
    first = sorted((sample_exports / "build" / "ink").glob("*.ink"))
    assert [p.name for p in first] == [f"{sid}.ink" for sid in SAMPLE_STORIES]
    for path in first:
        assert path.read_bytes() == (sample_exports_again / "build" / "ink" / path.name).read_bytes()
