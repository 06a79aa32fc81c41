"""The common shape of an entity file read without libyaml's events
(load/yaml_plain.py): whatever it reads, it reads as the builder reads libyaml's
events of it — the same values of the same types, the same positions in the same
order, and no problem the builder would have said (docs/performance.md, check26).
Times live in benchmarks/, never here."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Diagnostics
from pipeline.load import yaml as yaml_module
from pipeline.load.documents import parse_document
from pipeline.load.files import FoundFile, SourceFile
from pipeline.load.yaml import MAX_SCALAR, _Loader, _parse, _typed, load_yaml
from pipeline.load.yaml_plain import parse_plain

HERO = """name: Hero 42
title: The Causeway-sail
status: published
template: wanderer
attributes: {strength: 12, agility: 12, constitution: 9, wits: 11, presence: 11}
skills: [tracking]
xp: 0
items: [stone, wind]
portrait: ../assets/portraits/p42.png
tags: [tide]
relationships:
  - {with: hero-43, kind: ally}
  - {with: hero-47, kind: rival, note: "Since the *Wreck* of the Gull."}
background: |
  Tide oar keep smuggler brine relic coast fog wind crown heron brine lamp

  oar reed oar vigil keep widow channel.
"""


def _typed_tree(value):
    """`value` with every leaf's type beside it (True is not 1, 1.0 is not 1)."""
    if isinstance(value, dict):
        return {k: _typed_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed_tree(v) for v in value]
    return type(value).__name__, value


def _by_libyaml(text: str, line_offset: int = 0):
    diags = Diagnostics()
    data, positions = _parse(text, "content/heroes/x.yaml", diags, line_offset, _Loader)
    return data, positions, diags.items


def _same_as_libyaml(text: str, line_offset: int = 0) -> bool:
    """Whether the plain reading of `text` (if it reads it) is libyaml's; True when it
    leaves the text to libyaml."""
    plain = parse_plain(text, line_offset, _typed, MAX_SCALAR)
    if plain is None:
        return True
    data, positions, problems = _by_libyaml(text, line_offset)
    assert problems == [], text
    assert _typed_tree(plain[0]) == _typed_tree(data), text
    assert list(plain[1].items()) == list(positions.values.items()), text
    assert list(plain[2].items()) == list(positions.keys.items()), text
    assert plain[3] == positions.layouts, text   # a `|` block's lines, where each stands
    return True


def test_a_hero_of_the_common_shape_is_read_without_libyaml(monkeypatch):
    """The benchmark's hero shape (flow lists and mappings, a `- ` list of mappings, a
    quoted note, a `|` block with a blank line) is read with no libyaml parser made,
    to what libyaml's events give; a file outside the shape (a comment) is libyaml's."""
    made: list[str] = []
    real = yaml_module._CParser

    def counted(text):
        made.append(text)
        return real(text)
    monkeypatch.setattr(yaml_module, "_CParser", counted)
    diags = Diagnostics()
    data, positions = load_yaml(HERO, "content/heroes/hero-42.yaml", diags)
    assert made == [] and diags.items == []
    assert data["relationships"][1] == {"with": "hero-47", "kind": "rival", "note": "Since the *Wreck* of the Gull."}
    assert data["background"] == ("Tide oar keep smuggler brine relic coast fog wind crown heron brine lamp\n\n"
                                  "oar reed oar vigil keep widow channel.\n")
    assert positions.value(("relationships", 1, "note")).column == 41   # inside the quote
    load_yaml("# a note\n" + HERO, "content/heroes/hero-42.yaml", diags)
    assert len(made) == 1
    assert _same_as_libyaml(HERO)


def test_a_documents_parse_is_the_same_either_way(tmp_path, monkeypatch):
    """The whole parse of a hero file (its document, positions and problems), read
    plainly and read by libyaml (the plain reader switched off)."""
    path = tmp_path / "content/heroes/hero-42.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(HERO)
    found = FoundFile("hero", "hero-42", path, "content/heroes/hero-42.yaml")
    source = SourceFile("content/heroes/hero-42.yaml", HERO, "0" * 64)
    plain_diags, libyaml_diags = Diagnostics(), Diagnostics()
    plain = parse_document(found, source, plain_diags)
    monkeypatch.setattr(yaml_module, "parse_plain", lambda *a: None)
    by_libyaml = parse_document(found, source, libyaml_diags)
    assert _typed_tree(plain.data) == _typed_tree(by_libyaml.data)
    assert plain.positions.to_text() == by_libyaml.positions.to_text()
    assert plain.body == by_libyaml.body and plain_diags.items == libyaml_diags.items


# Scalars a writer types, the plain and the tricky: numbers of every form, YAML's words,
# indicators, quotes, colons, hashes, spaces where they change the reading, non-ASCII.
_READABLE = st.sampled_from([
    "Aria", "two words", "hero-7", "the Bold, the Brave", "it's", "a - b", "a | b", "x*y", "50%", "a 'q' b",
    "../assets/p.png", "Ünïcödé Ö", "名前", "😀 smile", "a\u00a0b", "é", "0", "12", "+7", "007", "1.5", ".5",
    "1e5", "1_000", str(2 ** 53), "~", "null", "Null", "true", "False", "yes", "no", "on", "'q'", '"d"',
    '"a: b # c"', "'a: b'", '""', "''", "a  b", "x.", ".x", "+", ".", "1.", "-", "--",
])
_TRICKY = st.sampled_from([
    "\u00a0a", "a\u00a0", "-5", "0x1F", "0o17", "12:30", "9" * 25, str(2 ** 53 + 1), ".inf", "-.inf", ".nan",
    "1e400", "1e-400", "a: b", "a:b", "a #b", "a#b", "#x", '"a, b"', "'it''s'", '"e\\"x"', "x ", " x", "[a]", "{a: b}",
    "*alias", "&a x", "!tag x", "!!str x", "! x", "%x", "@x", "`x`", "|", ">", "- x", "? x", ": x", "-x", "?x",
    ":x", ",x", "", "a, b", "a,b", "[", "}", "a\tb",
])
_WORDS = st.one_of(_READABLE, _READABLE, _READABLE, _TRICKY)
_KEYS = st.sampled_from(["name", "title", "xp", "items", "skills", "note", "with", "kind", "a_b", "k-1", "null",
                         "true", "x y", "'q'", "1"])
_PLAIN_KEYS = st.sampled_from(["name", "title", "xp", "items", "skills", "note", "with", "kind", "a_b", "k-1",
                               "null", "true", "On", "_", "b2"])


def _flow_list(words):
    return "[" + ", ".join(words) + "]"


def _flow_map(pairs):
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


@st.composite
def _entry(draw, tame: bool) -> str:
    """One `key: value` of a file: `tame`, of the shapes and words the plain reader
    reads (its keys told apart by the caller); else anything a writer might type."""
    words, keys = (_READABLE, _PLAIN_KEYS) if tame else (_WORDS, _KEYS)
    pairs = st.lists(st.tuples(keys, words), max_size=4, unique_by=(lambda p: p[0]) if tame else None)
    key = draw(keys)
    shapes = ["line", "line", "line", "list", "list", "block", "block"] + ([] if tame else ["empty"])
    shape = draw(st.sampled_from(shapes))
    if shape == "line":
        return f"{key}: {draw(st.one_of(words, st.lists(words, max_size=4).map(_flow_list), pairs.map(_flow_map)))}\n"
    if shape == "list":
        indent = draw(st.sampled_from(["", " ", "  ", "    "]))
        items = draw(st.lists(st.one_of(words, pairs.map(_flow_map)), min_size=1 if tame else 0, max_size=3))
        lines = [f"{indent}- {item}" for item in items]
        if not tame and draw(st.sampled_from([False, False, False, True])) and lines:
            lines[-1] = " " + lines[-1]
        return f"{key}:\n" + "".join(line + "\n" for line in lines)
    indent = draw(st.sampled_from([" ", "  ", "    "]))
    kinds = ["text", "text", "more", "", "", "# hash", "k: v"] + ([] if tame else ["spaces", "less"])
    rows = draw(st.lists(st.sampled_from(kinds), max_size=5))
    if tame:
        rows = ["text", *rows]
    out = [f"{key}: {draw(st.sampled_from(['|'] if tame else ['|', '|', '|', '|-', '|+', '>', '|2']))}"]
    for row in rows:
        out.append({"text": indent + "Tide oar: keep", "more": indent + "  indented", "": "",
                    "spaces": indent + "  ", "less": indent[:-1] + "x", "# hash": indent + "# not a comment",
                    "k: v": indent + "k: v"}[row])
    return "\n".join(out) + "\n"


@st.composite
def _file(draw, tame: bool = False) -> str:
    entries = draw(st.lists(_entry(tame), min_size=1, max_size=6))
    if tame:   # each key once
        entries = list({entry.split(":", 1)[0]: entry for entry in entries}.values())
    text = ""
    for entry in entries:
        text += draw(st.sampled_from(["", "", "\n"] + ([] if tame else ["", "\n", "# c\n", "  \n", "---\n"]))) + entry
    if not tame and draw(st.sampled_from([False, False, False, True])):
        text = text.rstrip("\n")
    return text


@settings(max_examples=150, deadline=None)
@given(_file(), st.sampled_from([0, 0, 3]))
def test_what_the_plain_reader_reads_it_reads_as_libyaml_does(text, line_offset):
    assert _same_as_libyaml(text, line_offset)


@settings(max_examples=100, deadline=None)
@given(_file(tame=True), st.sampled_from([0, 0, 3]))
def test_what_the_plain_reader_reads_of_the_shapes_it_knows_it_reads_as_libyaml_does(text, line_offset):
    """The same, of files of the shapes and words the plain reader reads (most of these
    are read by it, not left to libyaml: the property is about its readings)."""
    assert _same_as_libyaml(text, line_offset)


def test_the_plain_reader_reads_the_common_shapes():
    """It reads files, not only refuses them (else the property above holds trivially)."""
    shapes = [HERO, "name: Aria\n", "skills: []\nitems: {}\n", "a: [1, +2, 0.5, ~, true, x]\n",
              "xs:\n- a\n- {k: 'v'}\n\nb: |\n    x\n\n     y\n\n\n", 'n: "a: b # c"\n']
    for text in shapes:
        assert parse_plain(text, 0, _typed, MAX_SCALAR) is not None, text
        assert _same_as_libyaml(text, 2)
    for text in ["a: 1\na: 2\n", "a: &x 1\n", "a: 1 # c\n", "a:\n  b: 1\n", "a: x\n  more\n", "a: 1", "a:\tx\n",
                 "k" * 1025 + ": v\n", "a: {" + "k" * 1025 + ": v}\n",   # past YAML's 1,024 for a key: HF0101
                 "a: |-\n  x\n", "a: " + "9" * 25 + "\n", "a: 0x1F\n", "a: 12:30\n", "a:\n", "a: [b, [c]]\n", "- a\n"]:
        assert parse_plain(text, 0, _typed, MAX_SCALAR) is None, text
