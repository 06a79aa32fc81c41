"""What the diagnostics for bad input say: hints that name the right thing, columns
that point at the right character, and messages that never echo a huge input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostic, Diagnostics
from support import ROOTS

from .helpers import invoke, line_of


def diagnose(root: Path) -> list[Diagnostic]:
    diags = Diagnostics()
    check(root, diags)
    return diags.sorted()


def find(diags: list[Diagnostic], code: str, path: str, line: int) -> Diagnostic:
    matches = [d for d in diags if (d.code, d.span.path, d.span.line) == (code, path, line)]
    assert len(matches) == 1, (code, path, line, diags)
    return matches[0]


def pointed_at(root: Path, d: Diagnostic) -> str:
    """The text of the file from the diagnostic's column on."""
    return line_of(root, d.span.path, d.span.line)[d.span.column - 1:]


# --- references: did you mean, and the column is the misspelt name itself -------------

REFERENCES = [
    # code, file, line, message, hint starts with
    ("HF0305", "content/heroes/rook.yaml", 2, "unknown template 'scuot'", "Did you mean 'scout'?"),
    ("HF0302", "content/heroes/rook.yaml", 5, "relationship with unknown hero or character 'old-giude'",
     "Did you mean 'old-guide'?"),
    ("HF0302", "content/quests/through-the-fog.yaml", 2, "quest giver 'old-giude' is not a hero or character",
     "Did you mean 'old-guide'?"),
    ("HF0303", "content/quests/through-the-fog.yaml", 3, "unknown quest 'lost-lanturn'", "Did you mean 'lost-lantern'?"),
    ("HF0301", "content/stories/fog-road.md", 4, "unknown hero 'rok'", "Did you mean 'rook'?"),
    ("HF0302", "content/stories/fog-road.md", 5, "unknown character 'old-giude'", "Did you mean 'old-guide'?"),
    ("HF0303", "content/stories/fog-road.md", 6, "unknown quest 'through-teh-fog'", "Did you mean 'through-the-fog'?"),
    ("HF0304", "content/stories/fog-road.md", 14, "choice 'Follow the lantern' leads to unknown scene 'lanturn'",
     "Did you mean 'lantern'?"),
]


@pytest.mark.parametrize("code,path,line,message,hint", REFERENCES)
def test_unknown_reference_names_the_near_miss(code, path, line, message, hint):
    root = ROOTS / "invalid-unknown-references"
    d = find(diagnose(root), code, path, line)
    assert d.message == message
    assert d.hint.startswith(hint)
    wrong = message.rsplit("'", 2)[-2]
    assert pointed_at(root, d).startswith(wrong)


def test_unknown_field_hint_names_the_field_meant():
    root = ROOTS / "invalid-unknown-field"
    diags = diagnose(root)
    typo = find(diags, "HF0202", "content/heroes/rook.yaml", 2)
    assert typo.message == "unknown field 'skils'"
    assert typo.hint.startswith("Did you mean 'skills'?")
    nested = [d for d in diags if d.code == "HF0202" and d.span.line == 5][0]
    assert nested.message == "unknown field 'knd'"
    assert nested.hint.startswith("Did you mean 'kind'?") and "Known fields: kind, note, with." in nested.hint
    assert pointed_at(root, nested).startswith("knd:")
    unrelated = find(diags, "HF0202", "content/heroes/rook.yaml", 3)
    assert "Did you mean" not in unrelated.hint and "Known fields:" in unrelated.hint


@pytest.mark.parametrize("path, text, kind, folder", [
    # a hero put among the characters: its hero-only fields name the kind
    ("content/characters/rook2.yaml", "name: Rook\ntemplate: scout\nxp: 10\nskills: [tracking]\n", "hero",
     "content/heroes/ as .yaml"),
    ("content/heroes/guide2.yaml", "name: Guide\nrole: Keeper of the light\n", "character",
     "content/characters/ as .yaml"),
    ("content/heroes/vet.yaml", "name: Veteran\nextends: scout\nbackground_prompts: [Why?]\n", "template",
     "content/templates/heroes/ as .yaml"),
    # a quest written as a story's front matter
    ("content/stories/fetch.md", "---\ntitle: Fetch\ngiver: rook\nobjectives:\n  - id: go\n    text: Go\n---\n",
     "quest", "content/quests/ as .yaml"),
])
def test_unknown_fields_of_another_kind_name_its_folder(project_factory, path, text, kind, folder):
    root = project_factory({path: text})
    unknown = [d for d in diagnose(root) if d.code == "HF0202" and d.span.path == path]
    assert unknown
    for d in unknown:
        assert d.hint.startswith(f"This file looks like a {kind} ("), d.hint
        assert f"live in {folder} files" in d.hint


def test_unknown_field_of_no_kind_keeps_its_hint(project_factory):
    # `nmae` is no kind's field: the hint stays the field list (beside a `name:` it has,
    # not "Did you mean 'name'?", which followed made two `name:` keys)
    root = project_factory({"content/heroes/odd.yaml": "name: Odd\nxp: 3\nnmae: x\n"})
    d = find(diagnose(root), "HF0202", "content/heroes/odd.yaml", 3)
    assert "looks like" not in d.hint and d.hint.startswith("This mapping has a `name:` already")


def test_unknown_skill_did_you_mean():
    diags = diagnose(ROOTS / "invalid-unknown-skill")
    d = find(diags, "HF0308", "content/heroes/rook.yaml", 2)
    assert d.message == "unknown skill 'trackng'"
    assert d.hint == "Did you mean 'tracking'? Skills are defined in schemas/skills.yaml."
    # A skill that comes from the template is reported at the template, once, not
    # again at every hero that uses it (one slip, one error: attack16a).
    at_template = find(diags, "HF0308", "content/templates/heroes/scout.yaml", 2)
    assert at_template.message == "unknown skill 'stealth'"
    assert not [d for d in diags if d.span.path == "content/heroes/wren.yaml"]


def test_strict_types_say_what_was_written():
    diags = diagnose(ROOTS / "invalid-strict-types")
    quoted = find(diags, "HF0201", "content/heroes/rook.yaml", 2)
    assert quoted.message == "'attributes.strength' should be a whole number, not text"
    assert "without quotes" in quoted.hint
    boolean = find(diags, "HF0201", "content/heroes/wren.yaml", 2)
    assert boolean.message == "'attributes.strength' should be a whole number, not true or false"


def test_file_name_that_is_not_a_slug_suggests_one():
    d = find(diagnose(ROOTS / "invalid-ids-not-slugs"), "HF0113", "content/heroes/Aria.yaml", 1)
    assert d.hint == "Rename it to 'aria.yaml'."


def test_duplicate_ids_name_both_files():
    diags = diagnose(ROOTS / "invalid-duplicate-ids")
    both = find(diags, "HF0107", "content/characters/rook.yaml", 1)
    assert "content/heroes/rook.yaml" in both.message
    mismatch = find(diags, "HF0106", "content/characters/old-guide.yaml", 1)
    assert mismatch.message == "id 'guide' does not match the file name 'old-guide'"



def test_an_id_both_a_hero_and_a_character_have_is_one_error(project_factory):
    # the hero 'old-guide' beside the character: HF0107, and the relationships naming
    # 'old-guide' were read against whichever file won the lookup, so both sides of the
    # guide's ties were HF0516 "the two sides disagree" too: one slip, three diagnostics
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
    assert "{with: old-guide, kind: mentor}" in hero
    root = project_factory({"content/heroes/old-guide.yaml": hero.replace(
        "{with: old-guide, kind: mentor}", "{with: first-hero, kind: rival}")})
    found = [(d.code, d.span.path, d.span.line) for d in diagnose(root)]
    assert found == [("HF0107", "content/characters/old-guide.yaml", 1)], found


def test_an_id_both_a_hero_and_a_character_have_is_said_while_either_file_does_not_load(project_factory):
    """A hero file refused whole (a key written twice, HF0102) is no hero the world
    holds, and HF0107 compared the heroes and characters that loaded: the clash with
    the character 'old-guide' was said only once the key was fixed, a second round for
    a problem the file names alone show. The same with the character's file refused."""
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
    twice = hero.replace("{with: old-guide, kind: mentor}", "{with: first-hero, kind: rival}") + "xp: 5\n"
    root = project_factory({"content/heroes/old-guide.yaml": twice})
    diags = diagnose(root)
    found = sorted((d.code, d.span.path, d.span.line) for d in diags)
    assert [f for f in found if f[0] == "HF0107"] == [("HF0107", "content/characters/old-guide.yaml", 1)], found
    assert "content/heroes/old-guide.yaml" in find(diags, "HF0107", "content/characters/old-guide.yaml", 1).message
    guide = (ROOTS / "minimal/content/characters/old-guide.yaml").read_text()
    root = project_factory({"content/heroes/old-guide.yaml": hero.replace(
        "{with: old-guide, kind: mentor}", "{with: first-hero, kind: rival}"),
        "content/characters/old-guide.yaml": guide + "name: Twice\n"}, name="character")
    found = sorted((d.code, d.span.path, d.span.line) for d in diagnose(root))
    assert [f for f in found if f[0] == "HF0107"] == [("HF0107", "content/characters/old-guide.yaml", 1)], found


# --- rules and heroes ------------------------------------------------------------------

def test_budget_overspent_says_by_how_much_and_where():
    root = ROOTS / "invalid-budget-overspent"
    diags = diagnose(root)
    rook = find(diags, "HF0405", "content/heroes/rook.yaml", 2)
    # Level 1: 16 + 2 × 0 = 16 available; 4 + 6 + 0 + 7 = 17 spent above the defaults of 8.
    assert rook.message == "17 points spent, 16 available at level 1: 1 over budget"
    assert rook.hint.startswith("Spent above defaults: strength +4, agility +6, wits +7.")
    assert pointed_at(root, rook).startswith("{strength: 12")
    wren = find(diags, "HF0405", "content/heroes/wren.yaml", 3)
    assert wren.message == "19 points spent, 18 available at level 2: 1 over budget"


def test_formula_syntax_error_points_at_the_character():
    root = ROOTS / "invalid-formula-syntax"
    diags = diagnose(root)
    star = find(diags, "HF0601", "schemas/attributes.yaml", 8)
    assert star.message == "formula for 'max_hp': expected a value but found '*'"
    line = line_of(root, star.span.path, 8)
    assert line.index("* * 2") + 3 == star.span.column  # the second star, 1-based
    unclosed = find(diags, "HF0601", "schemas/attributes.yaml", 9)
    assert unclosed.message == "formula for 'defense': expected ')' but found the end of the text"
    assert pointed_at(root, unclosed).startswith('"}')  # just after the formula's text
    dollar = find(diags, "HF0601", "schemas/attributes.yaml", 10)
    assert pointed_at(root, dollar).startswith("$ 2")


def test_division_by_zero_names_the_level():
    root = ROOTS / "invalid-formula-division"
    diags = diagnose(root)
    focus = find(diags, "HF0411", "schemas/attributes.yaml", 9)
    assert focus.message.startswith("formula for 'focus' fails at level 4 ")
    assert focus.message.endswith("division by zero")
    assert pointed_at(root, focus).startswith("4 - level")  # the divisor
    grit = find(diags, "HF0411", "schemas/attributes.yaml", 10)
    assert grit.message == "formula for 'grit' fails for wren at level 1: division by zero"


def test_template_cycle_names_the_cycle():
    d = diagnose(ROOTS / "invalid-template-cycle")[0]
    assert d.message == "templates extend each other in a cycle: ranger → wanderer → scout → ranger"


def test_level_disagreeing_with_xp_gives_the_xp_range():
    d = find(diagnose(ROOTS / "invalid-level-xp"), "HF0410", "content/heroes/rook.yaml", 3)
    assert d.message == "level 3 disagrees with 120 XP, which is level 2"
    assert d.hint == "Level 3 needs 250–449 XP; remove `level:` to compute it from XP."


def test_skill_level_and_requirement_messages():
    diags = diagnose(ROOTS / "invalid-skill-level")
    assert find(diags, "HF0407", "content/heroes/rook.yaml", 4).message == \
        "skill 'ambush' needs level 2; rook is level 1"
    unmet = find(diags, "HF0408", "content/heroes/wren.yaml", 4)
    assert unmet.message == "skill 'ambush' requires `agility >= 12`, which wren does not meet"
    assert unmet.hint == "'wren' has agility 11."
    missing = find(diagnose(ROOTS / "invalid-skill-prerequisite"), "HF0406", "content/heroes/rook.yaml", 4)
    assert missing.message == "skill 'ambush' needs 'tracking', which rook does not have"


# --- inputs built to hurt ------------------------------------------------------------------

def test_alias_bomb_is_refused_at_once():
    bomb = ROOTS / "invalid-alias-bomb" / "content" / "heroes" / "lol.yaml"
    assert 650 <= bomb.stat().st_size <= 750
    # Refused at the anchor, never expanded: the memory a billion laughs would take is
    # the guard (a time limit would fail on a busy machine and prove less).
    import tracemalloc
    tracemalloc.start()
    try:
        diags = diagnose(ROOTS / "invalid-alias-bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20
    # each anchor is said once, at its place, naming where its aliases are: ten
    # anchors, ten errors (the ninety aliases are the same ten slips)
    assert [d.code for d in diags] == ["HF0109"] * 10
    assert (diags[0].message, diags[0].span.line, diags[0].span.column) == \
        ("anchor '&a' is not allowed, nor its 10 aliases `*a` (line 4)", 3, 7)
    assert diags[-1].message == "anchor '&j' is not allowed"


def test_anchor_and_alias_are_one_slip(project_factory):
    # `&a` and the `*a` reusing it are one slip, said once at the anchor with the alias's
    # line (it said HF0109 twice); an alias naming no anchor is its own
    root = project_factory({
        "content/heroes/rook.yaml": "name: Rook\nattributes: &a {agility: 13, wits: *a}\nskills: [*b]\n",
        "content/heroes/wren.yaml": "name: Wren\nbackground: &w |\n  Fog.\nxp: 1\nnotes:\n  - *w\n  - *w\n",
    })
    run = invoke("check", "--project", str(root), "--format", "json")
    assert run.exit_code == 1
    said = [(d["file"].split("/")[-1], d["line"], d["column"], d["message"])
            for d in json.loads(run.output)["diagnostics"] if d["code"] == "HF0109"]
    assert said == [
        ("rook.yaml", 2, 13, "anchor '&a' is not allowed, nor its alias `*a` (line 2)"),
        ("rook.yaml", 3, 10, "alias '*b' is not allowed"),
        ("wren.yaml", 2, 13, "anchor '&w' is not allowed, nor its 2 aliases `*w` (line 6 and line 7)"),
    ]


def test_aliases_nesting_past_the_depth_limit_are_refused_not_a_crash(project_factory):
    # each anchor a 28-deep list around an alias of the one before: every copy nests 28
    # levels more than the last, where no typed value may nest past MAX_DEPTH (HF0110).
    # Twenty steps overflowed Python's stack copying them (internal error, RecursionError)
    chain = ["name: Deep", "notes:", "  a0: &a0 " + "[" * 28 + "1" + "]" * 28]
    chain += [f"  a{k}: &a{k} " + "[" * 28 + f"*a{k - 1}" + "]" * 28 for k in range(1, 20)]
    root = project_factory({"content/heroes/deep.yaml": "\n".join(chain) + "\n"})
    run = invoke("check", "--project", str(root), "--format", "json")
    assert run.exit_code == 1, run.output
    said = {(d["code"], d["file"].rsplit("/", 1)[-1]) for d in json.loads(run.output)["diagnostics"]}
    assert said == {("HF0109", "deep.yaml")}


def test_values_under_nested_anchors_are_noted_within_a_budget():
    # each value's place was noted once for every anchored mapping around it, for an
    # alias's copy to stand where it was typed: a 400 KB file of 29 nested anchors over
    # 200,000 values took 21 CPU-s and 1.5 GB (a 2 MiB file, more than the machine).
    # Here 20,000 values (150 MB before): the loader's peak memory is the guard, as for
    # the alias bomb
    import tracemalloc
    from pipeline.load.yaml import load_yaml
    nested = "".join("  " * i + f"k{i}: &a{i}\n" for i in range(29))
    text = "name: Nest\nnotes:\n" + "".join(
        "  " + line + "\n" for line in (nested + "  " * 29 + "v: [" + ",".join(["1"] * 20_000) + "]").splitlines())
    diags = Diagnostics()
    tracemalloc.start()
    try:
        load_yaml(text, "content/heroes/nest.yaml", diags)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20
    assert {d.code for d in diags.items} == {"HF0109"}


def test_merge_keys_look_through_a_files_places_within_a_budget(monkeypatch):
    # each `<<: *base` (read in a file refused for its anchors, to say its other problems)
    # looked through every place of the file for the base's keys: 100 merge keys beside
    # a list of 1,000,000 numbers (2 MB) took 12 CPU-s. Counted: the places looked at
    from pipeline.load import yaml as loader
    looked = [0]

    class Counted(dict):
        def items(self):
            looked[0] += len(self)
            return super().items()

    made = loader.Positions.__init__

    def counting(self, path, values=None, keys=None):
        made(self, path, Counted() if values is None else values, Counted() if keys is None else keys)
    monkeypatch.setattr(loader.Positions, "__init__", counting)
    text = "b0: &b0 {x: 1}\n" + "".join(f"c{k}: {{<<: *b0}}\n" for k in range(100)) + \
        "v: [" + ",".join(["1"] * 50_000) + "]\n"
    diags = Diagnostics()
    data, positions = loader.load_yaml(text, "content/heroes/merged.yaml", diags)
    assert data["c99"] == {"x": 1} and {d.code for d in diags.items} == {"HF0109"}
    assert looked[0] <= 2_100_000, looked[0]   # 5,000,000 before: every merge key a look through all


def test_yaml_tags_are_named_as_written():
    messages = {d.span.path: d.message for d in diagnose(ROOTS / "invalid-yaml-tags")}
    assert messages["content/heroes/rook.yaml"] == "tag '!!python/object/apply:os.system' is not allowed in content"
    assert messages["content/characters/old-guide.yaml"] == "tag '!include' is not allowed in content"


def test_huge_values_are_never_echoed(project_factory):
    megabyte = "x" * 1_000_000
    root = project_factory({
        "content/heroes/huge.yaml": f"name: Huge\nbackground: {megabyte}\n",
        "content/heroes/long-name.yaml": f"name: {'n' * 60_000}\n",
        "content/heroes/long-status.yaml": f"name: Status\nstatus: {'s' * 60_000}\n",
        "content/heroes/long-tag.yaml": f"name: Tag\ntags: [{'T' * 60_000}]\n",
        "content/heroes/long-number.yaml": f"name: Number\nxp: {'9' * 60_000}\n",
    })
    payload = json.loads(invoke("check", "--project", str(root), "--format", "json").stdout)
    found = {d["file"].rsplit("/", 1)[1]: (d["code"], d["line"], d["column"]) for d in payload["diagnostics"]}
    assert found == {
        "huge.yaml": ("HF0112", 2, 13), "long-name.yaml": ("HF0204", 1, 7),
        "long-status.yaml": ("HF0204", 2, 9), "long-tag.yaml": ("HF0204", 2, 8),
        "long-number.yaml": ("HF0111", 2, 5),
    }
    for fmt in ("text", "json", "github"):
        result = invoke("check", "--project", str(root), "--format", fmt)
        assert result.exit_code == 1
        output = result.stdout + result.stderr
        assert len(output) < 8_000, fmt
        assert max(len(line) for line in output.splitlines()) < 400, fmt


@pytest.mark.parametrize("line, written, code, meant", [
    (4, "status: DRAFFT", "HF0204", "draft"),        # an allowed word, in capitals and misspelt
    (7, "SKILS: [ambush]", "HF0202", "skills"),      # a field name
    (5, "template: Scout", "HF0204", "scout")])      # an id: the slug is the id that exists
def test_a_name_in_the_wrong_case_is_suggested_as_the_project_spells_it(project_factory, line, written, code, meant):
    """Case is not a spelling: difflib alone compares case, so 'DRAFFT' found no
    'draft' and 'SKILS' no 'skills' (diagnostics.did_you_mean folds case first)."""
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8").splitlines()
    hero[line - 1] = written
    root = project_factory({"content/heroes/first-hero.yaml": "\n".join(hero) + "\n"})
    d = find(diagnose(root), code, "content/heroes/first-hero.yaml", line)
    assert f"'{meant}'" in d.hint or f"`{meant}`" in d.hint, d.hint


@pytest.mark.parametrize("path, old, new, line", [
    ("schemas/progression.yaml", "[0, 100, 250, 450, 700]", "[0, 100, 1_000, 450, 700]", 3),   # the list is short
    ("schemas/skills.yaml", "attribute: wits,", "attribute: wits, min_level: 1_0,", 2),       # skills name it
    ("schemas/attributes.yaml", "wits:         {name: Wits, min: 1, max: 20,",
     "wits:         {name: Wits, min: 1, max: 2_0,", 6),                                           # a template sets it
    ("schemas/relationships.yaml", "{name: Mentor, inverse: apprentice}",
     "{name: Mentor, inverse: apprentice, symmetric: 3}", 2)])                                      # a hero and a kind name it
def test_a_rule_left_out_for_its_error_is_one_problem_not_more(project_factory, path, old, new, line):
    """A rule file entry in error is left out of the rule book (so the rest is still
    checked); what names it, counts it or compares beside it must not report it again
    (`xp_for_level: [0, 100, 1_000, 450, 700]` was also "has 4 entries but max_level
    is 5"; a skill with a bad `min_level` made every hero and skill naming it an
    "unknown skill"): one problem, one diagnostic, at its line."""
    text = (ROOTS / "minimal" / path).read_text(encoding="utf-8")
    assert old in text
    assert not [d for d in diagnose(project_factory({}, name="clean")) if d.severity.value == "error"]
    diags = diagnose(project_factory({path: text.replace(old, new)}))
    assert [(d.code, d.span.path, d.span.line) for d in diags if d.severity.value == "error"] == [
        ("HF0201", path, line)], diags


@pytest.mark.parametrize("path, old, new, line, meant", [
    ("content/heroes/first-hero.yaml", "template: scout", "template: SCUOT", 5, "scout"),
    ("content/heroes/first-hero.yaml", "skills: [ambush]", "skills: [AMBUHS]", 7, "ambush"),
    ("content/heroes/first-hero.yaml", "{with: old-guide, kind: mentor}", "{with: Old_Giude, kind: mentor}", 10,
     "old-guide"),
    ("content/heroes/first-hero.yaml", "{with: old-guide, kind: mentor}", "{with: old-guide, kind: MENTRO}", 10,
     "mentor"),
    ("content/quests/first-quest.yaml", "giver: old-guide", "giver: OLD GIUDE", 5, "old-guide"),
    ("content/stories/first-story.md", "protagonist: first-hero", "protagonist: First_Hreo", 6, "first-hero"),
    ("content/stories/first-story.md", "characters: [old-guide]", "characters: [OldGuide]", 7, "old-guide"),
    ("content/stories/first-story.md", "quests: [first-quest]", "quests: [FIRST-QEUST]", 8, "first-quest")])
def test_an_id_in_the_wrong_case_and_misspelt_is_fixed_to_the_id_that_exists(project_factory, path, old, new,
                                                                             line, meant):
    """A reference not written as an id (HF0204) gets the existing id it was meant to
    be, as an unknown one does (HF0305 …: diagnostics.did_you_mean), never its own
    spelling lowercased (`SCUOT` → `scuot`, an id nothing has)."""
    text = (ROOTS / "minimal" / path).read_text(encoding="utf-8")
    assert old in text
    root = project_factory({path: text.replace(old, new)})
    d = find(diagnose(root), "HF0204", path, line)
    assert d.hint.startswith(f"Write it as `{meant}`"), d.hint
    for fmt in ("json", "text"):   # the same hint however it is shown
        result = invoke("check", "--project", str(root), "--format", fmt)
        assert result.exit_code == 1 and f"`{meant}`" in result.stdout + result.stderr


@pytest.mark.parametrize("path, old, new, line, fix", [
    ("content/heroes/first-hero.yaml", "xp: 120", "xp: 1_000", 8, "`1000`"),
    ("content/heroes/first-hero.yaml", "xp: 120", "xp: 12,500", 8, "`12500`"),
    ("content/heroes/first-hero.yaml", "xp: 120", "xp: 12_0", 8, "`120`"),
    ("schemas/progression.yaml", "max_level: 5", "max_level: 1 000", 1, "`1000`"),
    ("schemas/attributes.yaml", "point_budget: {base: 16", "point_budget: {base: 1_600", 8, "`1600`")])
def test_a_number_written_with_digit_separators_is_refused_with_the_number_to_write(project_factory, path, old,
                                                                                     new, line, fix):
    """YAML reads `1_000`, `12,500` and `1 000` as text: the hint says what to write,
    in a hero and in the rules alike (it said 'for example `12`')."""
    text = (ROOTS / "minimal" / path).read_text(encoding="utf-8")
    assert old in text
    root = project_factory({path: text.replace(old, new, 1)})
    d = find(diagnose(root), "HF0201", path, line)
    assert "should be a whole number, not text" in d.message
    assert d.hint.startswith(f"Write {fix}"), d.hint
