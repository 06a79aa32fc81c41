"""A slip inside a YAML value that is not laid out as it reads is said where the writer
typed it. A `requires:` wrapped over three lines was said at `6:43`, past the end of
line 6, for a name on line 8; one holding an escape (`\\u0063`) 5 columns short of
it: the span only walked the value's first line. The loader now reads each such
value's layout (load/yaml_layout.py: wrapped plain and quoted values, `|` and `>`
blocks, escapes, `''`, `\\` at a line's end) and every place inside it is counted there
(Span.shifted). Each case is the CLI's own `path:line:col` for the misspelt `lvel`."""

from __future__ import annotations

import pytest

from support import diagnostics, foundry, write_project

QUEST = "content/quests/first-quest.yaml"
SKILLS = "schemas/skills.yaml"
ATTRIBUTES = "schemas/attributes.yaml"

# (a label, the `requires:` written in the starter's quest, where `lvel` is: line, column)
# The value starts on line 6; `lvel` is the unknown name (HF0602) in each.
LAYOUTS = [
    ("plain wrapped", "requires: level >= 1 and\n  level >= 2 and\n  lvel >= 1", (8, 3)),
    ("plain wrapped, blank line", "requires: level >= 1 and\n\n    lvel >= 1", (8, 5)),
    ("double-quoted escape", 'requires: "\\u006cevel >= 1 and lvel >= 1"', (6, 32)),
    ("double-quoted escapes, wrapped", 'requires: "\\x6cevel >= 1 and\n   \\tlevel >= 1 and lvel >= 1"', (7, 21)),
    ("double-quoted, `\\` at a line's end", 'requires: "level >= 1 and le\\\n   vel >= 1 and lvel >= 1"', (7, 17)),
    ("single-quoted `''`", "requires: 'level >= 1 and ''a'' == ''a'' and lvel >= 1'", (6, 46)),
    ("single-quoted, wrapped", "requires: 'level >= 1\n    and lvel >= 1'", (7, 9)),
    ("folded block", "requires: >\n  level >= 1 and\n  lvel >= 1", (8, 3)),
    ("folded block, stripped", "requires: >-\n    level >= 1\n    and lvel >= 1", (8, 9)),
    ("literal block", "requires: |\n  level >= 1 and\n    lvel >= 1", (8, 5)),
    ("literal block, indentation indicator", "requires: |2\n    level >= 1 and\n   lvel >= 1", (8, 4)),
    ("value below a comment", "requires:   # the second act\n  level >= 1 and lvel >= 1", (7, 18)),
    ("non-ASCII before it", "requires: level >= 1 or '\u00e9t\u00e9' ==\n  '\u00e9t\u00e9' or lvel >= 1", (7, 12)),
    ("non-ASCII and an escape on its line", "requires: \"'\u00e9t\u00e9\\u00e9' == 'x' or lvel >= 1\"", (6, 34)),
    # written as read: the value's own columns, as before
    ("one line, plain", "requires: level >= 1 and lvel >= 1", (6, 26)),
    ("one line, quoted", 'requires: "level >= 1 and lvel >= 1"', (6, 27)),
    ("one line, a tab inside", 'requires: "level >= 1\tand lvel >= 1"', (6, 27)),
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """One project per layout, each checked once (a module's worth of checks)."""
    base = tmp_path_factory.mktemp("wrapped")
    runs = {}
    for label, requires, _ in LAYOUTS:
        root = write_project(base / label.replace(" ", "-").replace("`", "").replace("\\", "").replace("'", "q"),
                             None, "minimal")
        quest = root / QUEST
        text = quest.read_text(encoding="utf-8")
        assert text.split("\n")[5] == 'requires: "level >= 1"'
        quest.write_text(text.replace('requires: "level >= 1"', requires), encoding="utf-8")
        runs[label] = foundry("check", "--project", str(root), "--format", "json")
    return runs


@pytest.mark.parametrize("label,requires,where", LAYOUTS, ids=[case[0] for case in LAYOUTS])
def test_a_slip_in_a_value_is_said_where_it_is_written(checked, label, requires, where):
    run = checked[label]
    line, column = where
    assert run.code == 1, run.stdout
    assert diagnostics(run) == [f"HF0602 {QUEST}:{line}:{column}"], requires


def test_each_file_kind_and_line_ending_places_its_slips_where_written(project_factory):
    """A skill's `requires:` folded, a derived formula quoted and wrapped, an objective's
    `done_when` wrapped inside a flow mapping, a quest saved with CRLF line endings, a
    name's invisible character spelled as an escape, all in one project: each said at
    its own place, in text, JSON and GitHub annotations alike."""
    quest = ("title: Through the Fog\r\nstatus: draft\r\nsummary: Cross the marsh.\r\ngiver: old-guide\r\n"
             "requires: level >= 1 and\r\n  lvel >= 1\r\n"
             "objectives:\r\n  - {id: cross, text: Reach the far bank, done_when: crossed and\r\n"
             "      crosed}\r\nrewards: {xp: 50}\r\n")
    root = project_factory({QUEST: quest})
    skills = root / SKILLS
    text = skills.read_text(encoding="utf-8")
    ambush = next(line for line in text.split("\n") if line.startswith("  ambush:"))
    skills.write_text(text.replace(ambush, "  ambush:\n    name: Ambush\n    attribute: agility\n    min_level: 2\n"
                                   "    prerequisites: [tracking]\n    requires: >-\n      agility >= 12 and\n"
                                   "      agilty >= 1"), encoding="utf-8")
    attributes = root / ATTRIBUTES
    text = attributes.read_text(encoding="utf-8")
    attributes.write_text(text.replace('formula: "10 + agility // 2"}', 'formula: "10 +\n    agility // 2 + lvl"}'),
                          encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("name: Rook Amsel", 'name: "Rook\\u200bAmsel"'),
                    encoding="utf-8")
    skill_line = text_line(root / SKILLS, "agilty")
    formula_line = text_line(root / ATTRIBUTES, "agility // 2 + lvl")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert sorted(diagnostics(run)) == sorted([
        f"HF0602 {QUEST}:6:3",                          # `lvel`, on the line below `requires:`
        f"HF0514 {QUEST}:9:7",                          # `crosed`: no story sets it
        f"HF0602 {SKILLS}:{skill_line}:7",              # `agilty`
        f"HF0602 {ATTRIBUTES}:{formula_line}:20",       # `lvl`
        "HF0132 content/heroes/first-hero.yaml:2:12",   # the `\u200b` escape, six characters wide
    ]), run.stdout
    text_run = foundry("check", "--project", str(root))
    assert f"{QUEST}:6:3: error HF0602" in text_run.stderr
    assert "    6 |   lvel >= 1\n          ^^^^\n" in text_run.stderr, text_run.stderr
    assert '    2 | name: "Rook\\u200bAmsel"\n                   ^^^^^^\n' in text_run.stderr   # the escape's width
    github = foundry("check", "--project", str(root), "--format", "github")
    assert f"file={SKILLS},line={skill_line},col=7" in github.stdout, github.stdout


def text_line(path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in line)


def test_a_value_reached_by_an_alias_a_merge_or_given_twice_is_placed_where_written(project_factory):
    """An anchored value (its start mark at `&cond`, before the quote) had no layout, and
    an alias's copy none either: a slip in `requires: *cond` was said at 7:26, past the
    end of the alias's line; a merged `<<: *b` key's escape at the anchor's value start.
    A key given twice kept the first value's layout: `lvel` in the second `requires:`
    was said on the first one's line. Each is said where its characters are written,
    in a cold check and in a warm one (the parse cache keeps the layouts)."""
    quest = ("title: Through the Fog\nstatus: draft\nsummary: Cross the marsh.\ngiver: old-guide\n"
             'notes: &cond "level >= 1 and\n  lvel >= 1"\nrequires: *cond\n'
             "objectives:\n  - {id: cross, text: Reach the far bank, done_when: crossed}\n")
    guide = 'base: &b {role: Mentor, background: "Knows every \\x01path"}\nname: Old Guide\n<<: *b\nstatus: draft\n'
    root = project_factory({QUEST: quest, "content/characters/old-guide.yaml": guide})
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    hero.write_text(text.replace("status: draft", 'status: draft\nnotes: "Scout of the\n  marsh road"\n'
                                 'notes: "Scout \\x01"'), encoding="utf-8")
    notes = text_line(hero, 'notes: "Scout \\x01"')
    expected = sorted([
        f"HF0202 {QUEST}:5:1", f"HF0109 {QUEST}:5:8",
        f"HF0602 {QUEST}:6:3",                                     # `lvel`, in the anchored value
        "HF0202 content/characters/old-guide.yaml:1:1", "HF0109 content/characters/old-guide.yaml:1:7",
        "HF0131 content/characters/old-guide.yaml:1:50",           # `\x01` as `background` (merged) ...
        "HF0131 content/characters/old-guide.yaml:1:50",           # ... and as `base.background`
        f"HF0102 content/heroes/first-hero.yaml:{notes}:1",
        f"HF0131 content/heroes/first-hero.yaml:{notes}:15",       # the second `notes`' escape
        f"HF0202 content/heroes/first-hero.yaml:{notes - 2}:1",   # `notes` (first given) is no field
    ])
    for _ in ("cold", "warm"):
        run = foundry("check", "--project", str(root), "--format", "json")
        assert run.code == 1
        assert sorted(diagnostics(run)) == expected, run.stdout
