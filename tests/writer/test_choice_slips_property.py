"""Property: a valid choice changed by one common slip is never silently lost.

A corpus of valid choice lines is generated (text, a target scene, optional `if`,
`do` and `id`), one slip a writer really makes is applied (a space before `{`, curly
quotes, a missing brace, quote or parenthesis, `] (`, no `#`, no list marker, an en
dash for a marker, indentation…), and the line is put into a real project's story.
`foundry check` must then either report an error at (or just above) that line, or
accept the line as the choice the writer meant; in the latter case the built JSON
holds the choice and no output text holds its raw syntax."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.cli import cli
from support import ROOTS

STORY = "content/stories/first-story.md"
ANCHOR_PROSE = "The fog comes in off the marsh like a tide. The Old Guide holds out a hand for coins.\n"
ANCHOR_LIST = "- [Wait for the fog to lift](#wait)\n"

words = st.lists(st.sampled_from("wade row drift climb the bell lantern quietly north old ferry".split()),
                 min_size=1, max_size=5).map(lambda w: " ".join(w).capitalize())


@st.composite
def choices(draw):
    target = draw(st.sampled_from(["lantern", "tracks", "wait", "bank"]))
    attrs = []
    cond = draw(st.sampled_from([None, "coins >= 1", "agility >= 10 and not crossed"]))
    effect = draw(st.sampled_from([None, "coins -= 1", "set crossed"]))
    if cond:
        attrs.append(f'if="{cond}"')
    if effect:
        attrs.append(f'do="{effect}"')
    if target != "bank" or draw(st.booleans()):
        attrs.append(f'id="extra-{draw(st.integers(1, 999))}"')
    text = draw(words)
    return text, target, f"- [{text}](#{target})" + ("{" + " ".join(attrs) + "}" if attrs else "")


def _replace_first(old: str, new: str):
    return lambda line: line.replace(old, new, 1) if old in line else None


def _quotes(open_q: str, close_q: str):
    def slip(line: str):
        m = re.search(r'="([^"]*)"', line)
        return None if not m else line[:m.start()] + f"={open_q}{m.group(1)}{close_q}" + line[m.end():]
    return slip


SLIPS = {
    "space before braces": _replace_first("){", ") {"),
    "curly double quotes": _quotes("“", "”"),
    "curly single quotes": _quotes("‘", "’"),
    "guillemets": _quotes("«", "»"),
    "single quotes": _quotes("'", "'"),
    "no closing brace": lambda line: line[:-1] if line.endswith("}") else None,
    "no closing quote": lambda line: line[:line.rfind('"')] + line[line.rfind('"') + 1:] if '"' in line else None,
    "misspelt attribute": lambda line: re.sub(r'\b(if|do|id)="', lambda m: {"if": "iff", "do": "does", "id": "ids"}[m[1]] + '="', line, count=1)
    if re.search(r'\b(if|do|id)="', line) else None,
    "space between ] and (": _replace_first("](", "] ("),
    "no #": _replace_first("](#", "]("),
    "no closing parenthesis": lambda line: re.sub(r"\(#([a-z-]+)\)", r"(#\1", line, count=1),
    "no list marker": _replace_first("- [", "["),
    "no space after marker": _replace_first("- [", "-["),
    "en dash as marker": _replace_first("- [", "– ["),
    "no opening bracket": _replace_first("- [", "- "),
    "no closing bracket": _replace_first("](", "("),
    "text after the choice": lambda line: line + " or not",
    "spaces around =": _replace_first('="', ' = "'),
    "colon for =": _replace_first('="', ':"'),
    "semicolon between attributes": lambda line: re.sub(r'" (?=[a-z]+=")', '";', line, count=1) if '" ' in line else None,
    "attribute twice": lambda line: line[:-1] + " " + re.search(r'\b(?:if|do|id)="[^"]*"', line).group(0) + "}"
    if line.endswith("}") else None,
    "space after #": _replace_first("(#", "(# "),
    "link title": lambda line: re.sub(r"\(#([a-z-]+)\)", r'(#\1 "more")', line, count=1),
    "indented four spaces": lambda line: "    " + line,
    "nested under a choice": lambda line: "  " + line,
    # read as meant:
    "numbered": _replace_first("- [", "1. ["),
    "star bullet": _replace_first("- [", "* ["),
    "plus bullet": _replace_first("- [", "+ ["),
}
ACCEPTED = {"numbered", "star bullet", "plus bullet"}


def _project(tmp: Path, where: str, line: str) -> tuple[Path, int]:
    root = tmp / "proj"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(ROOTS / "minimal", root)
    story = root / STORY
    text = story.read_text(encoding="utf-8")
    anchor = ANCHOR_PROSE if where == "alone" else ANCHOR_LIST
    block = f"\n{line}\n" if where == "alone" else f"{line}\n"
    head, tail = text.split(anchor, 1)
    story.write_text(head + anchor + block + tail, encoding="utf-8")
    number = (head + anchor).count("\n") + (2 if where == "alone" else 1)
    assert story.read_text(encoding="utf-8").splitlines()[number - 1] == line
    return root, number


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"NO_COLOR": "1"}, catch_exceptions=False)


# A choice every slip above applies to (braces, two quoted attributes, a target): each
# slip in each place is one case below, so every kind is tried on every run (120 random
# examples over the 54 kinds left ~6 of them untried on a given run).
EVERY_PART = ("Row north", "lantern", '- [Row north](#lantern){if="coins >= 1" do="coins -= 1" id="extra-7"}')
PLACES = ("alone", "in list")
KINDS = [(slip, where) for slip in sorted(SLIPS) for where in PLACES
         if not (slip == "indented four spaces" and where == "in list")    # that is the nested case
         and not (slip == "nested under a choice" and where == "alone")]   # nothing to nest under


@pytest.mark.parametrize("slip, where", KINDS)
def test_each_slip_in_each_place_never_loses_a_choice_silently(tmp_path, slip, where):
    line = SLIPS[slip](EVERY_PART[2])
    assert line is not None and line != EVERY_PART[2], slip
    _judge(tmp_path, EVERY_PART, slip, where, line)


# The choices themselves vary here (with or without a condition, an effect, an id; the
# kinds are all tried above): fewer examples than when this was the only test.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choice=choices(), slip=st.sampled_from(sorted(SLIPS)), where=st.sampled_from(PLACES))
def test_one_slip_never_loses_a_choice_silently(tmp_path, choice, slip, where):
    text, target, valid = choice
    line = SLIPS[slip](valid)
    assume(line is not None and line != valid)
    assume((slip, where) in KINDS)
    _judge(tmp_path, choice, slip, where, line)


def _judge(tmp_path: Path, choice: tuple[str, str, str], slip: str, where: str, line: str) -> None:
    """`line` (the valid choice `choice` with `slip` made) put `where` in the story:
    check reports an error at it, or the slip is one read as meant and the built JSON
    holds the choice with none of its syntax."""
    text, target, _ = choice
    root, number = _project(tmp_path, where, line)

    result = _run("check", "--project", str(root), "--format", "json")
    payload = json.loads(result.stdout)
    errors = [d for d in payload["diagnostics"] if d["severity"] == "error"]
    if errors:
        assert result.exit_code == 1
        # the slip is named where it is, not only through a follow-on (a dead end, an unreachable scene)
        assert any(d["file"] == STORY and d["line"] in (number - 1, number) for d in errors), (slip, line, errors)
        return
    assert slip in ACCEPTED, f"{slip!r}: no problem found for {line!r}"
    # accepted: the choice is there, and nothing of its syntax reaches an output
    assert _run("build", "--project", str(root), "--only", "json").exit_code == 0
    stories = (root / "build" / "api" / "v1" / "stories")
    data = json.loads(next(stories.glob("first-story*.json")).read_text(encoding="utf-8"))
    scenes = data.get("scenes") or data["story"]["scenes"]
    road = next(s for s in scenes if s["id"] == "road")
    assert any(c["text"] == text and c["target"] == target for c in road["choices"])
    raw = json.dumps(scenes, ensure_ascii=False)
    assert "](#" not in raw and '{do=' not in raw and '{if=' not in raw and '{id=' not in raw
