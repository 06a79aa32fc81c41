"""A YAML file reports every problem it holds at once, each at its line:column —
anchors, aliases, tags, duplicate keys, numbers out of range, tabs that indent, unknown
escapes — and a hostile file is still bounded: twenty of a kind, then one "and N more"
line (pipeline/load/yaml.py MAX_REPORTS). The project-level case is the root
tests/roots/invalid-yaml-every-problem."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.load.yaml import MAX_REPORTS, load_yaml


def parse(text: str) -> tuple[object, list[tuple[str, int, int, str]]]:
    diags = Diagnostics()
    data, _ = load_yaml(text, "content/heroes/x.yaml", diags)
    return data, [(d.code, d.span.line, d.span.column, d.message) for d in diags.items]


def test_a_thousand_anchors_are_bounded():
    data, found = parse("".join(f"k{i}: &a{i} {i}\n" for i in range(1000)))
    assert data == {f"k{i}": i for i in range(1000)}   # an anchor keeps its value as written
    assert len(found) == MAX_REPORTS + 1
    assert [f[:3] for f in found[:MAX_REPORTS]] == [("HF0109", i + 1, 4 + len(str(i))) for i in range(MAX_REPORTS)]
    assert found[-1] == ("HF0109", MAX_REPORTS + 1, 6, f"and {1000 - MAX_REPORTS:,} more like the {MAX_REPORTS} "
                         "above in this file, from here on")


def test_each_kind_is_capped_on_its_own():
    text = "".join(f"a{i}: &x{i} 1\nt{i}: !t 2\n" for i in range(30))
    _, found = parse(text)
    codes = [f[0] for f in found]
    assert codes.count("HF0109") == codes.count("HF0108") == MAX_REPORTS + 1


def test_every_tab_that_indents_is_reported_and_bounded():
    _, few = parse("a:\n\tb: 1\nc:\n  d: 2\ne:\n\tf: 3\n")
    assert [f[:3] for f in few] == [("HF0101", 2, 1), ("HF0101", 6, 1)]
    _, many = parse("".join(f"k{i}:\n\tv: {i}\n" for i in range(100)))
    assert len(many) == MAX_REPORTS + 1
    assert many[-1][3] == f"more syntax errors from here on (the first {MAX_REPORTS} are above)"


def test_every_bad_escape_is_reported_at_its_backslash():
    _, found = parse('a: "C:\\Users\\wren"\nb: "ok"\nc: "\\q"\n')
    assert [f[:3] for f in found] == [("HF0101", 1, 7), ("HF0101", 1, 13), ("HF0101", 3, 5)]
    assert found[0][3] == "`\\U` in double quotes is read as an escape, and is not a valid one"


def test_duplicate_keys_and_numbers_do_not_hide_what_follows():
    _, found = parse("a: 1\na: 2\nb: 99999999999999999999999\nc: .nan\nd: *x\n")
    assert [f[:3] for f in found] == [("HF0102", 2, 1), ("HF0111", 3, 4), ("HF0160", 4, 4), ("HF0109", 5, 4)]


def test_a_repair_never_invents_a_problem():
    # after a tab is read as a space, a later error may be the repair's own making: it is
    # not reported (the writer fixes the tab, and the next check shows what is left)
    _, found = parse("a:\n  b: 1\n\tc: 2\nd: [\n")
    assert [f[:3] for f in found] == [("HF0101", 3, 1)]


def test_a_clean_file_still_loads():
    data, found = parse("name: Wren\nattributes: {agility: 12}\nbackground: \"tab\\there\"\n")
    assert found == [] and data == {"name": "Wren", "attributes": {"agility": 12}, "background": "tab\there"}
