"""A value a writer types as text that YAML reads as syntax, named in the writer's
words at the column where it goes wrong, with the line to write instead.

Names and titles take Markdown (`name: *Rook* Amsel`), so the first of these is the
commonest: a value starting with `*` is an alias to YAML, and check said libyaml's
"did not find expected alphabetic or numeric character". A quote inside quotes
(`"Scout of the "Marsh" Road"`, `'Rook's road'`), a value starting with `[…]` or `{…}`
and then more text, and a list item among keys were all "line 3 is indented 0 spaces,
which lines up with none of the keys above it (they are indented 0 spaces)": a
sentence that contradicts itself and sends the writer after the indentation."""

from __future__ import annotations

import pytest

from support import foundry

HERO = """\
name: Rook Amsel
title: Scout of the Marsh Road
status: draft
xp: 120
"""

LIBYAML = ("did not find expected", "cannot start any token", "lines up with none", "YAML syntax error")


@pytest.mark.parametrize("typed, column, says, fix", [
    ("name: *Rook* Amsel", 7, "starts with `*`, which YAML reads as an alias", '`name: "*Rook* Amsel"`'),
    ("title: **Bold** scout", 8, "starts with `*`", '`title: "**Bold** scout"`'),
    ("title: @scout", 8, "starts with `@`", '`title: "@scout"`'),
    # an entity opening a title (the field case's `&amp;amp;` written in YAML): an anchor
    # to YAML, whose name stops at the `;`, and libyaml's words were said
    ("title: &amp;amp; the Bold", 8, "starts with `&`, which YAML reads as an anchor", '`title: "&amp;amp; the Bold"`'),
    ("name: &mdash; Rook", 7, "starts with `&`", '`name: "&mdash; Rook"`'),
    ("title: `scout`", 8, "starts with a backtick", 'title: "`scout`"'),
    ("title: |Scout", 8, "starts with `|`", '`title: "|Scout"`'),
    ('title: "Scout of the "Marsh" Road"', 23, "in quotes that close at column 22",
     """`title: 'Scout of the "Marsh" Road'`"""),
    ("title: 'Rook's road'", 14, "in quotes that close at column 13", '`title: "Rook\'s road"`'),
    # quotes opening the value but not closing it are the writer's text: kept (the hint
    # was `'Rook" Amsel'`, a stray quote in the name when followed)
    ('name: "Rook" Amsel', 13, "in quotes that close at column 12", """`name: '"Rook" Amsel'`"""),
    # ends with a quote too, and the quote that closed is a closing one: the writer's (was `'Rook" "Amsel'`)
    ('name: "Rook" "Amsel"', 13, "in quotes that close at column 12", """`name: '"Rook" "Amsel"'`"""),
    ('name: "Rook" Amsel # note', 13, "in quotes that close at column 12", """`name: '"Rook" Amsel'`"""),   # not in it
    ("title: [Scout] of the road", 15, "starts with `[`, which YAML reads as a list",
     '`title: "[Scout] of the road"`'),
    ("title: {Scout} of the road", 15, "starts with `{`, which YAML reads as a mapping",
     '`title: "{Scout} of the road"`'),
])
def test_a_value_yaml_reads_as_syntax_is_named_with_its_fix(project_factory, typed, column, says, fix):
    key = typed.split(":")[0]
    text = "\n".join(typed if line.startswith(key + ":") else line for line in HERO.splitlines()) + "\n"
    root = project_factory({"content/heroes/slip.yaml": text})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    [diag] = [d for d in run.json()["diagnostics"] if d["file"] == "content/heroes/slip.yaml"]
    line = text.splitlines().index(typed) + 1
    assert (diag["code"], diag["line"], diag["column"]) == ("HF0101", line, column), diag
    assert says in diag["message"] and fix in diag["hint"], diag
    assert not any(words in diag["message"] for words in LIBYAML), diag


def test_slips_in_a_list_item_a_flow_mapping_and_a_story_front_matter(project_factory):
    hero = HERO + "skills:\n  - *ambush*\n"
    stray = HERO.replace("status: draft\n", "status: draft\n- stray\n")
    flow = HERO + "relationships:\n  - {with: old-guide, kind: \"mentor\" now}\n"
    story = "---\ntitle: *The* Fog Road\nstart: a\n---\n\n## A {#a .ending}\n\nFog.\n"
    found = _syntax_slips(project_factory({"content/heroes/listed.yaml": hero, "content/heroes/stray.yaml": stray,
                                           "content/heroes/flow.yaml": flow, "content/stories/fog.md": story}))
    assert sorted(found) == ["content/heroes/flow.yaml:6:38", "content/heroes/listed.yaml:6:5",
                             "content/heroes/stray.yaml:4:1", "content/stories/fog.md:2:8"], sorted(found)
    assert "this list item starts with `*`" in found["content/heroes/listed.yaml:6:5"]["message"]
    assert '`- "*ambush*"`' in found["content/heroes/listed.yaml:6:5"]["hint"]
    said = found["content/heroes/stray.yaml:4:1"]["message"]
    assert "is a list item (`- `), but the lines beside it are `key: value` pairs" in said
    said = found["content/heroes/flow.yaml:6:38"]
    assert "`\"mentor\"` is in quotes that close at column 36" in said["message"] and "(`now`)" in said["message"]
    assert "the value of `title` starts with `*`" in found["content/stories/fog.md:2:8"]["message"]
    for diag in found.values():
        assert not any(words in diag["message"] for words in LIBYAML), diag


def test_an_indicator_opening_a_flow_item_a_key_or_a_value_of_two_lines_gets_a_fix_that_holds_it(project_factory):
    """An item of a `[…]` or `{…}` starting with `&` or `*` (`skills: [&amp; ambush]`) was
    libyaml's 'did not find expected alphabetic or numeric character' and the hint to
    check the indentation; a key starting with one (`&amp;: x`) was told to become a
    list item (`- "&amp;: x"`); and a value going on below its line (`title: &amp; the`,
    `  Bold`) was told to be `title: "&amp; the"`, its second line lost."""
    flow = HERO + "skills: [&amp; ambush]\n"
    mapped = HERO + "aka: {first: *Rook* the Bold, second: Amsel}\n"
    key = HERO + "&amp;: x\n"
    flow_key = HERO + "aka: {&amp;: x}\n"
    lines = HERO.replace("title: Scout of the Marsh Road\n", "title: &amp; the\n  Bold Scout\n")
    found = _syntax_slips(project_factory({"content/heroes/flow.yaml": flow, "content/heroes/mapped.yaml": mapped,
                                           "content/heroes/key.yaml": key, "content/heroes/lines.yaml": lines,
                                           "content/heroes/flow-key.yaml": flow_key}))
    assert sorted(found) == ["content/heroes/flow-key.yaml:5:7", "content/heroes/flow.yaml:5:10",
                             "content/heroes/key.yaml:5:1",
                             "content/heroes/lines.yaml:2:8", "content/heroes/mapped.yaml:5:14"], sorted(found)
    said = found["content/heroes/flow.yaml:5:10"]
    assert "`&amp; ambush` in the value of `skills` starts with `&`, which YAML reads as an anchor" in said["message"]
    assert '`skills: ["&amp; ambush"]`' in said["hint"], said
    said = found["content/heroes/mapped.yaml:5:14"]
    assert "`*Rook* the Bold` in the value of `aka` starts with `*`" in said["message"], said
    assert '`aka: {first: "*Rook* the Bold", second: Amsel}`' in said["hint"], said
    assert '`aka: {"&amp;": x}`' in found["content/heroes/flow-key.yaml:5:7"]["hint"]   # the key quoted, not `&amp;: x`
    said = found["content/heroes/key.yaml:5:1"]
    assert "the key `&amp;` starts with `&`" in said["message"] and '`"&amp;": x`' in said["hint"], said
    said = found["content/heroes/lines.yaml:2:8"]
    assert '`title: "&amp; the Bold Scout"`' in said["hint"], said
    for diag in found.values():
        assert not any(words in diag["message"] for words in LIBYAML), diag
        assert "`- " not in diag["hint"], diag


def _syntax_slips(root) -> dict:
    """`foundry check`'s HF0101s of the project at `root`, by `file:line:column`."""
    run = foundry("check", "--project", str(root), "--format", "json")
    return {f"{d['file']}:{d['line']}:{d['column']}": d for d in run.json()["diagnostics"] if d["code"] == "HF0101"}


def test_an_entity_without_its_semicolon_is_an_anchor_whose_fix_quotes_the_value(project_factory):
    """`title: &copy 2024 Guild` is valid YAML: an anchor `copy` on the text '2024 Guild'.
    Anchors are refused (HF0109), whose hint was 'Write the value out in full instead of
    `&anchor` / `*alias`', words about YAML to a writer who typed an entity: where no
    alias names the anchor and it opens a value of text, the quoted line is given."""
    hero = HERO.replace("title: Scout of the Marsh Road\n", "title: &copy 2024 Guild\n")
    named = HERO + "motto: &m Onward\nsaying: *m\n"
    root = project_factory({"content/heroes/copy.yaml": hero, "content/heroes/named.yaml": named})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {d["file"]: d for d in run.json()["diagnostics"] if d["code"] == "HF0109"}
    said = found["content/heroes/copy.yaml"]
    assert (said["line"], said["column"]) == (2, 8), said
    assert '`title: "&copy 2024 Guild"`' in said["hint"], said
    # an anchor an alias names is YAML meant as YAML: its hint stays the code's own
    assert found["content/heroes/named.yaml"]["hint"] == "Write the value out in full instead of `&anchor` / `*alias`."


def test_an_image_or_a_quote_marker_opening_a_name_is_named_with_its_fix(project_factory):
    """`![crest](crest.png) Rook` (an image in a name, which docs/writing-stories.md says
    to quote with the other values starting with `!`) is a tag to YAML, and `> Scout` (a
    Markdown quote, HF0759's shape) the header of a folded block: libyaml's "did not find
    expected whitespace or line break" and "… comment or line break" were said, hinting
    to check the indentation. A block that is one (`title: >`, `|-`, `>2 # note`) is none."""
    crest = HERO.replace("name: Rook Amsel\n", "name: ![crest](crest.png) Rook\n")
    quote = HERO.replace("title: Scout of the Marsh Road\n", "title: > Scout of the Marsh Road\n")
    block = HERO.replace("title: Scout of the Marsh Road\n", "title: >2 # a note\n   Scout of the Marsh Road\n")
    # a tag YAML read whole (`!` is the one content may hold, HF0108) whose line goes wrong
    # after it: its slip is what follows (a second `: `, a list then text), not the `!`
    # (whose quoted fix made the tag text; the list was "indented 0 spaces, which lines up with none")
    tagged = HERO.replace("name: Rook Amsel\n", "name: ! Rook: Amsel\n")
    listed = HERO.replace("title: Scout of the Marsh Road\n", "title: ! [Scout] of the road\n")
    found = _syntax_slips(project_factory({"content/heroes/crest.yaml": crest, "content/heroes/quote.yaml": quote,
                                           "content/heroes/block.yaml": block, "content/heroes/tagged.yaml": tagged,
                                           "content/heroes/listed.yaml": listed}))
    said = found.pop("content/heroes/tagged.yaml:1:13", None)
    assert said and "has a second `: ` inside its value" in said["message"], (said, sorted(found))
    said = found.pop("content/heroes/listed.yaml:2:17", None)
    assert said and "starts with `[`, which YAML reads as a list" in said["message"], (said, sorted(found))
    assert '`title: "[Scout] of the road"`' in said["hint"], said
    assert sorted(found) == ["content/heroes/crest.yaml:1:7", "content/heroes/quote.yaml:2:8"], sorted(found)
    said = found["content/heroes/crest.yaml:1:7"]
    assert "the value of `name` starts with `!`, which YAML reads as a tag" in said["message"], said
    assert '`name: "![crest](crest.png) Rook"`' in said["hint"], said
    said = found["content/heroes/quote.yaml:2:8"]
    assert "the value of `title` starts with `>`" in said["message"], said
    assert '`title: "> Scout of the Marsh Road"`' in said["hint"], said
    for diag in found.values():
        assert not any(words in diag["message"] for words in LIBYAML), diag


def test_a_second_document_is_told_what_to_do_with_it(project_factory):
    """A hero wrapped in `---` as a story's front matter is, or two heroes in one file,
    were HF0101 "remove the second `---`" with the code's own hint, "Check indentation
    and that every `key: value` pair is on its own line" (nothing of either). A closing
    `---` is a line to delete; a second hero, a file of its own. Each followed checks clean."""
    wrapped = "---\n" + HERO + "---\n"
    two = HERO + "---\nname: Tam Reed\nxp: 0\n"
    root = project_factory({"content/heroes/kes.yaml": wrapped, "content/heroes/ro.yaml": two})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["file"], d["line"], d["column"]): d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0101"}
    assert said == {
        ("content/heroes/kes.yaml", 6, 1): "Delete this line: a YAML file needs no `---` to close it (a story's front "
                                           "matter, in a .md file, does).",
        ("content/heroes/ro.yaml", 5, 1): "A file holds one hero, character, quest or template: move the lines below "
                                          "this one into a file of their own beside it (named by their id), then "
                                          "delete this line."}, run.stdout
    (root / "content/heroes/kes.yaml").write_text("---\n" + HERO)
    (root / "content/heroes/ro.yaml").write_text(HERO)
    (root / "content/heroes/tam.yaml").write_text("name: Tam Reed\nxp: 0\n")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout


def test_a_hero_written_as_toml_or_as_a_list_is_told_the_yaml(project_factory):
    """`name = "Rook Amsel"` (TOML's habit, from foundry.toml) made the file one line of
    text, and `- name: Rook` a list: HF0115 with the code's own hint, the message again
    ("holds `key: value` pairs at its top level"). The hint writes the first line in YAML,
    or says to remove the `- `; followed, each checks clean."""
    root = project_factory({"content/heroes/kes.yaml": 'name = "Kes Reed"\nxp = 0\n',
                            "content/heroes/tam.yaml": "- name: Tam Reed\n  xp: 0\n",
                            "content/heroes/ash.yaml": 'name = "Ash # the Grey"\n'})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["file"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0115"}
    assert said["content/heroes/kes.yaml"].startswith("Write `name: Kes Reed`, and so each line"), said
    assert said["content/heroes/tam.yaml"].startswith("Remove the `- ` before the keys"), said
    # a value YAML would cut (`name: Ash # the Grey` reads 'Ash') keeps its quotes
    assert said["content/heroes/ash.yaml"].startswith('Write `name: "Ash # the Grey"`, and so each line'), said
    (root / "content/heroes/kes.yaml").write_text("name: Kes Reed\nxp: 0\n")
    (root / "content/heroes/tam.yaml").write_text("name: Tam Reed\nxp: 0\n")
    (root / "content/heroes/ash.yaml").write_text('name: "Ash # the Grey"\nxp: 0\n')
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout
    assert foundry("hero", "ash", "--project", str(root)).stdout.startswith("Ash # the Grey\n")


def test_a_list_written_as_keys_is_told_the_list_of_its_keys(project_factory):
    """`characters:` then `  old-guide: yes` (or `skills:` then `  ambush:` and
    `  tracking:`, the dashes forgotten): HF0201 with the hint "for example `[ambush,
    tracking]`", which under `characters:` named two characters the project did not have.
    The hint now writes the writer's own keys as the list; each form it gives, followed
    as written, checks clean."""
    story = "content/stories/first-story.md"
    root = project_factory()
    text = (root / story).read_text(encoding="utf-8")
    assert "characters: [old-guide]\n" in text
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    assert "skills: [ambush]\n" in hero
    (root / story).write_text(text.replace("characters: [old-guide]\n", "characters:\n  old-guide: yes\n"))
    (root / "content/heroes/first-hero.yaml").write_text(
        hero.replace("skills: [ambush]\n", "skills:\n  ambush:\n  tracking:\n"))
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["file"]: (d["code"], d["hint"]) for d in run.json()["diagnostics"]}
    assert said[story] == ("HF0201", "Its items are written as keys (`old-guide:`): write each as a list item, "
                                     "`- old-guide`, with no `:` after it, or the whole list on one line: "
                                     "`[old-guide]`."), said
    assert said["content/heroes/first-hero.yaml"][1].endswith("`- ambush`, with no `:` after it, or the whole list "
                                                              "on one line: `[ambush, tracking]`."), said
    # each form followed: the items as `- ` lines in the story, on one line in the hero
    (root / story).write_text(text.replace("characters: [old-guide]\n", "characters:\n  - old-guide\n"))
    (root / "content/heroes/first-hero.yaml").write_text(hero.replace("skills: [ambush]\n", "skills: [ambush, tracking]\n"))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout


def test_a_near_miss_key_beside_the_field_it_resembles_is_not_told_to_become_it(project_factory):
    """`Title: Rook Amsel` above `title: Scout…` (the name typed under the wrong key) was
    HF0202 "Did you mean 'title'?": followed, two `title:` keys (HF0102). The hint says
    the mapping has a `title:` already; with `name` missing (HF0203) the writer writes
    `name:`, and the hero checks clean. A near miss of a field the mapping lacks keeps
    its "Did you mean"."""
    hero = "content/heroes/first-hero.yaml"
    root = project_factory()
    text = (root / hero).read_text(encoding="utf-8")
    assert text.count("\nname: ") == 1 and "\ntitle: " in text
    (root / hero).write_text(text.replace("\nname: ", "\nTitle: ").replace("\nxp: ", "\nXP: "), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["message"]): d["hint"] for d in run.json()["diagnostics"]}
    assert said[("HF0202", "unknown field 'Title'")].startswith("This mapping has a `title:` already"), said
    assert said[("HF0202", "unknown field 'XP'")].startswith("Did you mean 'xp'?"), said
    assert ("HF0203", "'name' is required") in said, said
    (root / hero).write_text(text, encoding="utf-8")   # `name:` written, `xp` as meant
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout
