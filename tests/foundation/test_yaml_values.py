"""YAML tags, numbers JSON cannot carry, the nesting limit whatever PyYAML is installed,
and one diagnostic for a value of the wrong type in a union-typed field."""

from __future__ import annotations

import pytest
import yaml

from pipeline.diagnostics import Diagnostics
from pipeline.load import yaml as loader
from pipeline.load.yaml import MAX_DEPTH, load_yaml
from support import diagnostics, foundry


def load(text: str):
    diags = Diagnostics()
    data, _ = load_yaml(text, "f.yaml", diags)
    return data, [(d.code, d.span.line, d.span.column, d.message) for d in diags.items]


def test_the_non_specific_tag_makes_text():
    assert load("a: ! 12\nb: ! true\nc: ! null\nd: !\n") == ({"a": "12", "b": "true", "c": "null", "d": ""}, [])
    assert load("a: ! [1, 2]\n") == ({"a": [1, 2]}, [])


@pytest.mark.parametrize("text, shown, meant", [
    ("a: !!float 1\n", "!!float", {"a": 1}), ("a: !!int '12'\n", "!!int", {"a": 12}), ("a: !!bool yes\n", "!!bool", {"a": True}),
    ("a: !!seq x\n", "!!seq", None), ("a: !!str 12\n", "!!str", {"a": "12"}), ("a: !!null ''\n", "!!null", {"a": None}),
    ("a: !!int 'twelve'\n", "!!int", None),
    ("a: !!int '1_000'\n", "!!int", {"a": 1000}), ("a: !!int 0b101\n", "!!int", {"a": 5}),
    ("a: !!float 0b1\n", "!!float", None), ("a: !!int '1_0.5'\n", "!!int", None), ("a: !!float '2'\n", "!!float", {"a": 2.0}),
    ("a: !!map {}\n", "!!map", {"a": {}}), ("a: !local x\n", "!local", {"a": "x"}),
    ("a: !!binary aGk=\n", "!!binary", None), ("a: !!int 12\nb: !!str x\n", "!!int", {"a": 12, "b": "x"}),
])
def test_every_other_tag_is_refused_at_the_tag(text, shown, meant):
    """Every tag is HF0108 at the tag. A file whose tags, removed as the hint says, leave
    each value the type its tag names (a local tag names none) is read so, and its other
    problems are said in the same run (a tag hid every other problem of its file); so is
    one whose value the tag reads as a value of its type (`!!int '12'` is 12, `!!str 12`
    "12", as a YAML tool honouring the tag reads them: the hint says to write that); one
    the tag cannot read (`!!int 'twelve'`, `!!binary`) stays refused."""
    data, found = load(text)
    assert data == meant
    assert found[0] == ("HF0108", 1, 4, f"tag '{shown}' is not allowed in content")
    assert [code for code, *_ in found] == ["HF0108"] * (text.count("!!") + text.count("!local"))


def test_a_local_tag_that_may_be_text_is_told_with_its_quoted_value():
    # `!Kung` is a name (a click consonant): "remove the `!tag`", followed as told, dropped
    # it; the quoted value, followed as told, reads back as the text typed
    for text, fix in (("name: !Kung hunter\n", "`name: \"!Kung hunter\"`"),
                      ("skills: [!Kung, b]\n", '`"!Kung"`')):
        diags = Diagnostics()
        load_yaml(text, "f.yaml", diags)
        assert [d.code for d in diags.items] == ["HF0108"] and fix in diags.items[0].hint
        quoted = text.replace("!Kung hunter", '"!Kung hunter"').replace("!Kung,", '"!Kung",')
        assert load(quoted)[1] == []
    # on a key, the key alone (`- "!Odd k"` typed over it was HF0101); a value typed on
    # two lines is told to be one (the first line alone, quoted as told, left `two` below)
    for text, fix in (("!Odd k: x\n", '`"!Odd k"`.'), ("&a k: x\n", '`"&a k"`;'),
                      ("a: !K one\n  two\n", '`a: "!K one two"` (on one line, in place of lines 1–2)'),
                      # a key typed in quotes keeps them (`a: b: "!K x"` was HF0101); a value
                      # too long to show is told where its quotes go (clipped, typed with its `…`)
                      ('"a: b": !K x\n', '`"a: b": "!K x"`'),
                      ("a: !K " + "word " * 20 + "\n", '`"` before `!K` and `"` after its last word.')):
        diags = Diagnostics()
        load_yaml(text, "f.yaml", diags)
        assert fix in diags.items[0].hint, diags.items[0].hint
    diags = Diagnostics()
    load_yaml("a: !!str 12\n", "f.yaml", diags)   # a core tag is never text: the value the tag reads
    assert diags.items[0].hint.endswith('write the value as the tag reads it: `"12"`.')
    for text, fix in (("xp: !!int '12'\n", "xp: 12\n"), ("a: !!float '2'\n", "a: 2.0\n"), ("a: !!null ''\n", "a: null\n"),
                      ("xp: !!int '1_000'\n", "xp: 1000\n"), ("a: !!bool 'Off'\n", "a: false\n")):
        diags = Diagnostics()
        data, _ = load_yaml(text, "f.yaml", diags)
        followed = text.split(": ")[0] + ": " + diags.items[0].hint.rsplit("`", 2)[1] + "\n"   # the hint, followed
        assert followed == fix and load(followed) == (data, [])


@pytest.mark.parametrize("value", [".inf", "-.inf", "+.INF", ".Inf", ".nan", ".NaN", ".NAN", "1e400", "-1.5e999",
                                   "1e-400", "-.5e-330"])  # the last two: read as 0 by a 64-bit float
def test_numbers_json_cannot_carry_are_refused_at_the_value(value):
    data, found = load(f"name: x\nvalue: {value}\n")
    assert data is None
    assert [(c, line, col) for c, line, col, _ in found] == [("HF0160", 2, 8)]
    assert value in found[0][3]


def test_quoted_or_finite_look_alikes_stay_as_written():
    assert load('a: ".inf"\nb: 1e300\nc: .infinity\nd: nan\ne: 5e-324\nf: 0e-400\n') == \
        ({"a": ".inf", "b": 1e300, "c": ".infinity", "d": "nan", "e": 5e-324, "f": 0.0}, [])


@pytest.mark.parametrize("make", [
    lambda n: "tags: " + "[" * n + "]" * n + "\n",                         # flow: libyaml scans ahead
    lambda n: "".join("  " * i + "k:\n" for i in range(n)),                  # block mappings
])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1100, 5000])
def test_nesting_limit_is_ours_with_either_parser(monkeypatch, make, depth):
    """libyaml ≥ 0.2.5 (PyYAML 6.0.4) has its own limit of 1,000 and stops while scanning
    ahead, before our builder sees the level that passes ours; the answer must not depend
    on which PyYAML is installed or whether its C extension is."""
    text = make(depth)
    answers = []
    for parser in ("C", "Python"):
        if parser == "Python":
            monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
        elif not hasattr(yaml, "CSafeLoader"):
            continue
        data, found = load(text)
        assert data is None
        assert [code for code, *_ in found] == ["HF0110"], found
        answers.append(found)
    assert all(a == answers[0] for a in answers)
    if text.startswith("tags"):
        assert answers[0][0][1:3] == (1, 6 + MAX_DEPTH)  # at the bracket that goes one level too deep (the mapping is one)


def test_a_wrong_type_in_a_union_field_is_one_diagnostic_naming_both(project_factory):
    root = project_factory({"content/stories/first-story.md": """
        ---
        title: The Fog Road
        status: draft
        start: road
        protagonist: first-hero
        variables:
          crossed: false
          coins: 1.5
          luck: [1]
          int: {a: 1}
        ---

        ## The Fog Road {#road}

        The end.
        """})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] == "HF0201"]
    assert [(d["line"], d["message"]) for d in found] == [
        (8, "'variables.coins' should be true or false, a whole number or text, not a decimal number"),
        (9, "'variables.luck' should be true or false, a whole number or text, not a list"),
        (10, "'variables.int' should be true or false, a whole number or text, not a mapping of `key: value` pairs"),
    ]
    assert diagnostics(run).count("HF0201 content/stories/first-story.md:8:10") == 1


def test_an_infinite_story_variable_is_one_diagnostic_at_the_value(project_factory):
    root = project_factory({"content/stories/first-story.md": """
        ---
        title: The Fog Road
        status: draft
        start: road
        variables:
          coins: 1e400
        ---

        ## The Fog Road {#road .ending}

        The end.
        """})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    # (the quest of the minimal root then names a variable the story no longer declares;
    # the scene is an ending, as the scenes are checked whatever the front matter holds)
    assert [d for d in diagnostics(run) if "first-story" in d] == ["HF0160 content/stories/first-story.md:6:10"]


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\r"])
def test_places_after_a_line_break_only_yaml_counts_are_counted_in_newlines(odd):
    # libyaml (YAML 1.1) ends a line at LS, PS, NEL and a lone CR; git, editors and the
    # excerpts count "\n": every place after one was a line too far down (review attack6)
    diags = Diagnostics()
    data, positions = load_yaml(f'name: "Rook{odd}Amsel"\nxp: 1\ntags:\n  - a\n', "f.yaml", diags)
    assert data is not None and data["xp"] == 1   # (hygiene refuses the character in the name)
    assert (positions.value(("xp",)).line, positions.key(("tags",)).line, positions.value(("tags", 0)).line) == (2, 3, 4)
    _, found = load(f"a: 1{odd}\nb: 1\nb: 2\n")
    assert found == [("HF0102", 3, 1, "key 'b' appears twice (first at line 2)")]
    # a place a message gives by line and column is counted again as a whole (a lone CR
    # ends a line to YAML 1.2 too; LS, PS and NEL are text to it: see the test below)
    _, found = load(f"name: x{odd}a: {{b: 1\nc: 2\n")
    said = "the `{` (opened on line 1, column 12) is not closed" if odd == "\r" else "line 1 (`name: x"
    assert found[0][3].startswith(said), found


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_is_text_as_yaml_1_2_reads_it(odd):
    """NEL, LS and PS end a line to libyaml (YAML 1.1) and are text to YAML 1.2, which
    every engine's reader follows: `xp: 120<LS>status: draft` read silently as two
    fields, a comment went on as a field, `'Rook<NEL>Amsel'` lost its character."""
    assert load(f"name: 'Rook{odd}Amsel'\n") == ({"name": f"Rook{odd}Amsel"}, [])
    assert load(f"name: Rook{odd}Amsel\n") == ({"name": f"Rook{odd}Amsel"}, [])
    assert load(f"name: Rook # a note{odd}xp: 5\n") == ({"name": "Rook"}, [])
    assert load(f"a{odd}b: |\n  one{odd}two\n") == ({f"a{odd}b": f"one{odd}two\n"}, [])
    _, found = load(f"xp: 120{odd}status: draft\n")   # YAML 1.2 refuses it: a key in a plain value
    assert [(code, line) for code, line, _, _ in found] == [("HF0101", 1)], found
    assert odd in found[0][3]
    # what a refused file writes (its names, for guesses) is read the same way
    written = loader.written_data(f"a: &x 1\nb: Rook{odd}Amsel\n# n{odd}c: 4\n", "f.yaml")
    assert written == {"a": 1, "b": f"Rook{odd}Amsel"}


def test_what_the_builder_looks_at_again_is_on_the_line_yaml_counts(project_factory):
    """The builder looks at a line again for a `?` in a flow collection and for a folded
    block's blank lines, by libyaml's line number; it split the text at "\n" only, so
    after a U+2028 (a line break to libyaml; now read as text, as YAML 1.2 does) or a lone
    CR it looked at the wrong line: the folded block's joined paragraphs went unsaid
    (HF0170) and `{\r?x: 1}` loaded silently."""
    hero = "name: Rook\nattributes: {agility: 13,\rconstitution: 10}\nbackground: >\n  Rook.\n\n  She left.\n"
    wren = "name: Wren\nattributes: {\r?x: 1, wits: 2}\n"
    root = project_factory({"content/heroes/rook.yaml": hero, "content/heroes/wren.yaml": wren})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == ["HF0170 content/heroes/rook.yaml:5:1", "HF0101 content/heroes/wren.yaml:2:15"], run.stdout
    assert run.code == 1


def test_a_lone_carriage_return_in_a_block_of_text_is_named_where_it_is():
    _, found = load("name: x\nbackground: |\n  one\rtwo\nxp: 1\n")
    assert [(code, line) for code, line, _, _ in found] == [("HF0101", 3)]
    diags = Diagnostics()
    load_yaml("name: x\nbackground: |\n  one\rtwo\nxp: 1\n", "f.yaml", diags)
    assert "carriage return" in diags.items[0].hint and "line 3" in diags.items[0].message


def test_a_duplicated_line_holding_a_mapping_is_one_error(project_factory):
    """`attributes: {agility: 12, wits: 11}` pasted twice in a template: HF0102 at
    `attributes`, and again at `agility` and `wits` inside the copy (three errors for one
    slip): the copy's keys were compared with the first mapping's. They are compared with
    their own mapping's: a key twice inside the copy is still said."""
    template = "name: Scout\nattributes: {agility: 12, wits: 11}\nattributes: {agility: 12, wits: 11}\n"
    hero = "name: Wren\nattributes: {agility: 12}\nattributes:\n  wits: 1\n  wits: 2\n"
    root = project_factory({"content/templates/heroes/scout.yaml": template, "content/heroes/wren.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    # the template is still read (a key twice hides none of the file): this one has no
    # skills, so the starter hero's `ambush` lacks the `tracking` it needs
    assert diagnostics(run) == ["HF0406 content/heroes/first-hero.yaml:7:10",
                                "HF0102 content/heroes/wren.yaml:3:1", "HF0102 content/heroes/wren.yaml:5:3",
                                "HF0102 content/templates/heroes/scout.yaml:3:1"], run.stdout
    assert "(first at line 4)" in run.json()["diagnostics"][2]["message"]


def test_an_id_line_a_hint_or_new_story_writes_reads_as_its_id():
    """`id_line` (the `id:` line hints tell and `foundry new story` writes) left a
    number YAML refuses plain: `foundry new story 1e999 --template duel` wrote
    `id: 1e999` (HF0160) and 20 nines HF0111, said as the template's fault."""
    from pipeline.load.places import id_line
    for new_id in ("fog", "5", "true", "null", "0x1f", "0o7", "1e3", "1e-3", "1e999", "9" * 20, "2024-01-01", "yes"):
        assert load(id_line(new_id) + "\n") == ({"id": new_id}, []), new_id
    # the id 20 nines written plain, in its own file: HF0111's hint said only that numbers
    # stay within ±2^53, and nothing of what to do with an id
    diags = Diagnostics()
    load_yaml("id: " + "9" * 20 + "\n", "f.yaml", diags)
    assert [(d.code, "in quotes" in d.hint) for d in diags.items] == [("HF0111", True)]


@pytest.mark.parametrize("block, line, says", [
    # `- first` / `- second` was published as one list item, "first - second"
    ("  Skills:\n  - first\n  - second\n", 4, "`- first` is joined to the line above"),
    ("  1. wake\n  2. walk\n", 4, "`2. walk` is joined to the line above"),
    ("  # Early years\n  Born on the road.\n", 4, "the line below a heading is joined to it"),
    ("  Roses are red,  \n  violets are blue.\n", 4, "the line break the line above ends with"),
    ("  | a | b |\n  |---|---|\n", 4, "`|---|---|` is joined to the line above"),
])
def test_a_folded_block_joining_a_markdown_line_to_the_one_above_is_said_there(block, line, says):
    _, found = load("name: x\nbackground: >\n" + block + "xp: 1\n")
    assert [(code, at, column) for code, at, column, _ in found] == [("HF0183", line, 3)], found
    assert says in found[0][3], found


@pytest.mark.parametrize("text", [
    "background: >\n  A fine - very fine - day,\n  and 3 of them.\n",   # a dash inside a line
    "background: |\n  Skills:\n  - first\n  - second\n",               # `|` keeps the lines
    "background: >\n  Skills:\n    - first\n    - second\n",           # more indented: kept as written
    "background: >\n  Skills:\n\n\n  - first\n\n  - second\n",          # blank lines between
])
def test_a_folded_block_that_joins_no_markdown_line_is_not_said(text):
    assert [code for code, *_ in load("name: x\n" + text)[1]] in ([], ["HF0170"])


@pytest.mark.parametrize("text, key", [("!!int '0x1F': x\n", "0x1F"), ("!!float '2': x\n", "2"),
                                       ("!!null '': x\n", ""), ("!!bool 'True': x\n", "True"), ("!!str 12: x\n", "12")])
def test_a_tagged_key_is_told_to_be_written_as_the_text_it_is_read_as(text, key):
    """A key is text whatever its tag: `!!int '0x1F': x` is read as the key '0x1F', but
    the hint said to write the value as the tag reads it, `31`: followed, the file named
    another key ('31'; `!!null ''` became 'null', `!!float '2'` '2.0'). The hint now
    gives the key as the text it is read as; followed, the file reads the same, cleanly."""
    diags = Diagnostics()
    data, _ = load_yaml(text, "f.yaml", diags)
    assert data == {key: "x"}
    assert [d.code for d in diags.items] == ["HF0108"]
    written = diags.items[0].hint.rsplit("`", 2)[1]
    assert load(written + " x\n") == (data, [])
