"""What a writer does on reading a hint or the site, told right.

A reference written as the name the writer sees on the site (`protagonist: Rook
Amsel`, `quests: [through-the-fog]` for the quest titled "Through the Fog") was told
"Write it as `rook-amsel`" or "Heroes live in content/heroes/": an id no file has,
followed, the next error. The hint now names the id of the entity so named."""

from __future__ import annotations

import json

from support import ROOTS, edit_file, foundry, write_project


def test_a_reference_by_name_is_told_the_id(project_factory):
    root = project_factory({})
    content = root / "content"

    edit_file(content / "stories/first-story.md", ("protagonist: first-hero", "protagonist: Rook Amsel"),
              ("quests: [first-quest]", "quests: [through-the-fog]"))
    edit_file(content / "characters/old-guide.yaml", ("with: first-hero", "with: rook-amsel"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = {(d["code"], d["file"], d["line"]): d["hint"] for d in run.json()["diagnostics"]
            if d["code"] in ("HF0204", "HF0301", "HF0302", "HF0303")}
    # (code, file, line, what was written, the id it names)
    meant = [("HF0204", "content/stories/first-story.md", 6, "Rook Amsel", "first-hero"),
             ("HF0303", "content/stories/first-story.md", 8, "through-the-fog", "first-quest"),
             ("HF0302", "content/characters/old-guide.yaml", 6, "rook-amsel", "first-hero")]
    assert said == {(code, path, line): f"'{written}' is the name of '{eid}': a reference names the id (the "
                                        f"file's name), so write `{eid}`."
                    for code, path, line, written, eid in meant}, run.stdout


def test_a_list_given_twice_is_told_the_merge_and_its_quests_are_not_unlisted(project_factory):
    """HF0514's hint says "add `quests: [second]` to a story's front matter"; a story
    that lists a quest already gets a second `quests:` line. HF0102's hint was "Remove
    one of the two keys" (either removal loses a quest), and the first quest was "listed
    by no story" (YAML keeps the last list)."""
    second = ("title: Second\nobjectives:\n  - {id: o, text: Find, done_when: crossed}\n")
    root = project_factory({"content/quests/second.yaml": second})
    edit_file(root / "content" / "stories" / "first-story.md",
              ("quests: [first-quest]\n", "quests: [first-quest]\nquests: [second]\n"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["file"], d["line"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0102", "content/stories/first-story.md", 9,
                     "Merge the two into one list: `quests: [first-quest, second]` (YAML would silently keep "
                     "only the last).")], run.stdout


def test_a_scene_named_by_its_title_is_told_its_id(project_factory):
    """`start: The Fog Road` and `(#tracks-in-the-mud)`: the title where the id goes. The
    hints were `the-fog-road` (no scene has it) and the list of ids, and the scene the
    choice meant was "can never be reached" too."""
    root = project_factory({})
    edit_file(root / "content" / "stories" / "first-story.md", ("start: road", "start: The Fog Road"),
              ("(#tracks)", "(#tracks-in-the-mud)"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["line"], d["hint"]) for d in run.json()["diagnostics"]]
    where = "a reference names the id (the `{#…}` ending its heading)"
    assert said == [("HF0204", 5, f"'The Fog Road' is the title of 'road': {where}, so write `road`."),
                    ("HF0304", 19, f"'tracks-in-the-mud' is the title of 'tracks': {where}, so write `tracks`.")], \
        run.stdout


def test_a_reference_by_one_word_of_a_name_is_told_the_id(project_factory):
    """`with: rook` for the hero named "Rook Amsel" (first-hero.yaml), `(#lantern)` for
    the scene titled "The Lantern Path": a writer calls people and places by a word of
    their names. The hint listed the folders (or the scenes' ids); it now names the one
    entity whose name holds that word, and followed, the project is clean. A word that
    two names share, or one near an id (`guide`, near 'old-guide'), is not taken so."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(root / "content/characters/old-guide.yaml", ("with: first-hero", "with: rook"))
    edit_file(story, ("(#tracks)", "(#mud)"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["file"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0302", "content/characters/old-guide.yaml", "'rook' is a word of the name of 'first-hero': "
                     "a reference names the id (the file's name), so write `first-hero`."),
                    ("HF0304", "content/stories/first-story.md", "'mud' is a word of the title of 'tracks': a "
                     "reference names the id (the `{#…}` ending its heading), so write `tracks`.")], run.stdout
    edit_file(root / "content/characters/old-guide.yaml", ("with: rook", "with: first-hero"))
    edit_file(story, ("(#mud)", "(#tracks)"))
    assert foundry("check", "--project", str(root)).code == 0


def test_a_scene_id_slip_is_told_the_braces_whole(project_factory):
    """`## Waiting {# wait .ending}` was told "Write the id right after `#`: `{#wait}`",
    `## The Far Bank {bank .ending}` "Write `{#bank}`": followed, each scene lost its
    `.ending` and became a dead end. The hint gives the braces whole; followed, clean."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ("{#wait .ending}", "{# wait .ending}"), ("{#bank .ending}", "{bank .ending}"))
    run = foundry("check", "--format", "json", "--project", str(root))
    hints = [(d["code"], d["hint"]) for d in run.json()["diagnostics"]]
    assert hints == [("HF0522", "Write the id right after `#`: `{#wait .ending}`."),
                     ("HF0522", "Write `{#bank .ending}`.")], run.stdout
    edit_file(story, ("{# wait .ending}", "{#wait .ending}"), ("{bank .ending}", "{#bank .ending}"))
    assert foundry("check", "--project", str(root)).code == 0


def test_a_condition_typed_without_quotes_is_told_to_quote_it(project_factory):
    """`{if=agility >= 12}` (the quotes left out) was "unknown choice attribute '>'",
    hinted "A choice takes `if=\"…\"`…". It is HF0525 at the value, with the writer's
    own attributes quoted; followed, the project is clean."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ('{if="agility >= 12"}', "{if=agility >= 12}"),
              ('(#bank){do="set crossed"}', "(#bank){do=set crossed id=step}"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["message"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0525", "the value of `if=` is not in quotes",
                     'Put each value in straight double quotes: `{if="agility >= 12"}`.'),
                    *[("HF0525", "the value of `do=` is not in quotes",
                       'Put each value in straight double quotes: `{do="set crossed" id="step"}`.')] * 2], run.stdout
    edit_file(story, ("{if=agility >= 12}", '{if="agility >= 12"}'),
              ("(#bank){do=set crossed id=step}", '(#bank){do="set crossed" id="step"}'))
    text = story.read_text(encoding="utf-8")   # the two choices into 'bank' need ids of their own
    story.write_text(text.replace('id="step"', 'id="step2"', 1), encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0


def test_an_effect_that_computes_without_keeping_is_told_the_assignment(project_factory):
    """`{do="coins - 2"}` (for `coins -= 2`) was "expected '=', '+=' or '-=' … found '-'"
    with the grammar's general hint. The hint writes the writer's effect with `-=`;
    followed, the project is clean."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ('do="coins -= 2"', 'do="coins - 2"'))
    run = foundry("check", "--format", "json", "--project", str(root))
    [said] = run.json()["diagnostics"]
    assert said["code"] == "HF0601" and "write 'coins -= 2' to change 'coins'" in said["hint"], run.stdout
    edit_file(story, ('do="coins - 2"', 'do="coins -= 2"'))
    assert foundry("check", "--project", str(root)).code == 0


def test_an_unquoted_condition_before_a_class_is_quoted_without_it(project_factory):
    """`{if=agility >= 12 .risky}` was told `{if="agility >= 12 .risky"}`: the class
    taken into the condition, which followed was an expression error. The value ends
    at a class (or a `#id`) as at the next attribute; the hint followed leaves the
    class's own HF0503 alone."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ('{if="agility >= 12"}', "{if=agility >= 12 .risky}"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0525", 'Put each value in straight double quotes: `{if="agility >= 12" .risky}`.')], said
    edit_file(story, ("{if=agility >= 12 .risky}", '{if="agility >= 12" .risky}'))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [d["code"] for d in run.json()["diagnostics"]] == ["HF0503"], run.stdout


def test_a_yaml_1_1_boolean_under_its_tag_is_told_true_or_false(project_factory):
    """`crossed: !!bool yes` (YAML 1.1's word, under the tag naming a boolean, which
    every tool honouring it reads as true) was refused with "remove the `!tag`":
    followed, `crossed: yes` is the text 'yes' (HF0519, and every `set crossed`
    HF0603). It is read as the tag reads it and the hint says `true`; followed, the
    project is clean."""
    root = project_factory({})
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ("  crossed: false", "  crossed: !!bool 'no'"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0108", "Content is plain data: remove the `!!bool` and write the value as the tag reads it: "
                               "`false`.")], said
    edit_file(story, ("  crossed: !!bool 'no'", "  crossed: false"))
    assert foundry("check", "--project", str(root)).code == 0


def test_one_field_of_another_kind_does_not_make_a_file_that_kind(tmp_path):
    """A quest given `heroes: [rook]` (a story's field) was told "This file looks like
    a story …: stories live in content/stories/ as .md files. Move it there." — followed,
    the quest (its `giver:`, `objectives:`, `rewards:`) became a broken story. A file is
    said to be another kind only when that kind declares more of its fields than its own
    does; a hero's file put under characters/ is still told to move."""
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    quest = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text(encoding="utf-8")
    root = write_project(tmp_path / "w", {
        "content/quests/first-quest.yaml": quest + "heroes: [first-hero]\n",
        "content/characters/rook.yaml": hero})
    said = [d for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
            if d["code"] == "HF0202"]
    by_file = {d["file"]: d["hint"] for d in said}
    assert "story" not in by_file["content/quests/first-quest.yaml"], said
    assert "Known fields: giver" in by_file["content/quests/first-quest.yaml"], said
    assert "looks like a hero" in by_file["content/characters/rook.yaml"], said
    assert "Move it there." in by_file["content/characters/rook.yaml"], said


def test_a_new_quests_hint_followed_in_a_story_with_quests_and_a_do_joins_them(project_factory):
    """`foundry new quest bells` and HF0514 said "add `quests: [bells]` to a story's
    front matter … and `do=\\"set bells_done\\"` to the choice that does it": in a story
    that lists a quest and whose choice changes something, followed as written, a second
    `quests:` (HF0102) and a second `do=` (HF0534). The hint gives the joined forms too;
    followed so, the quest is listed and set, and the project is clean but for the
    objective `foundry new quest` wrote (HF0186)."""
    root = project_factory()
    made = foundry("new", "quest", "bells", "--project", str(root))
    assert made.code == 0, made.stderr
    run = foundry("check", "--format", "json", "--project", str(root))
    [hint] = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0514"]
    assert "(or `bells` to the list its `quests:` has)" in hint and \
        "(or `; set bells_done` at the end of the `do=` it has)" in hint and hint in made.stderr, hint
    edit_file(root / "content" / "stories" / "first-story.md",
              ("quests: [first-quest]", "quests: [first-quest, bells]"),
              ("variables:\n", "variables:\n  bells_done: false\n"),
              ('(#bank){do="set crossed"}', '(#bank){do="set crossed; set bells_done"}'))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 0 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0186"], run.stdout


def test_a_tab_before_a_field_under_a_block_of_text_is_told_the_indent_that_keeps_it_a_field(project_factory):
    """`\tskills: [tracking]` under `background: |` was told "Replace the tab with spaces":
    followed (two or four spaces), the field became more of the background, published
    on the hero's page with check clean. The hint now names the indent of `background:`."""
    root = project_factory({})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("skills: [ambush]\n", "")
                    + "\tskills: [ambush]\n", encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["line"], d["column"], d["hint"]) for d in run.json()["diagnostics"]]
    assert said == [("HF0101", 12, 1, "Delete the tab, if `skills:` is a field of its own, as `background:` "
                     "(line 10) is; indented more, it is read as more of that field's text.")], run.stdout
    # followed, the hero has her skill again and the check is clean
    hero.write_text(hero.read_text(encoding="utf-8").replace("\tskills", "skills"), encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["severity"] == "error"], run.stdout


def test_a_tab_before_text_with_a_colon_under_a_block_is_told_to_replace_it(project_factory):
    """`\tand the fog: it lifts.` under `background: |` was told "Delete the tab, if `and the
    fog:` is a field of its own": a field's name is one word; this is more of the text.
    Followed as now told (spaces for the tab), the line is the background's."""
    root = project_factory({})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8") + "\tand the fog: it lifts.\n", encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["line"], d["hint"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert said == [("HF0101", 13, "Replace the tab with spaces (set your editor to insert spaces for Tab in "
                     ".yaml and .md files).")], run.stdout
    hero.write_text(hero.read_text(encoding="utf-8").replace("\tand", "  and"), encoding="utf-8")
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]
    assert data["background_text"].endswith("arrives. and the fog: it lifts."), data["background_text"]


def test_a_link_to_the_page_of_a_hero_whose_file_did_not_load_is_not_called_broken(project_factory):
    """A merge conflict in first-hero.yaml made every story's link to her page an HF0721
    too ("site/heroes/first-hero.html, which the build does not write", hint "link to a
    page the site has"): followed, a right link was changed. The conflict alone is said."""
    root = project_factory({})
    edit_file(root / "content" / "stories" / "first-story.md",
              ("holds out a hand for coins.", "holds out a hand for coins. [Rook](../heroes/first-hero.html) "
                                              "[waits](../heroes/first-hero.html#top)."))
    edit_file(root / "content" / "heroes" / "first-hero.yaml",
              ("skills: [ambush]\n", "<<<<<<< HEAD\nskills: [ambush]\n=======\nskills: []\n>>>>>>> fog-edit\n"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [(d["code"], d["file"]) for d in run.json()["diagnostics"] if d["severity"] == "error"] == [
        ("HF0185", "content/heroes/first-hero.yaml")], run.stdout
    # a link to a page no file would make is still said
    edit_file(root / "content" / "stories" / "first-story.md", ("../heroes/first-hero.html)", "../heroes/rook.html)"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [d["code"] for d in run.json()["diagnostics"] if d["severity"] == "error"] == ["HF0185", "HF0721"], \
        run.stdout


def test_a_colon_in_a_value_is_told_the_line_quoted(project_factory):
    """`name: Rook: the Quiet Blade` was told "Put the value in quotes: `key: \\"text: with
    a colon\\"`", an example the writer had to map onto their line. The hint now quotes the
    line itself (in single quotes when the value holds a `"`); followed, the check is clean."""
    root = project_factory({})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    guide = root / "content" / "characters" / "old-guide.yaml"
    edit_file(hero, ("name: Rook Amsel", "name: Rook: the Quiet Blade"))
    edit_file(guide, ("name: Old Guide", 'name: The "Old" Guide: ferryman'))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["file"], d["hint"]) for d in run.json()["diagnostics"] if d["code"] == "HF0101"]
    assert said == [
        ("HF0101", "content/characters/old-guide.yaml",
         "Put the value in quotes: `name: 'The \"Old\" Guide: ferryman'`."),
        ("HF0101", "content/heroes/first-hero.yaml", "Put the value in quotes: `name: \"Rook: the Quiet Blade\"`.")], \
        run.stdout
    edit_file(hero, ("name: Rook: the Quiet Blade", 'name: "Rook: the Quiet Blade"'))
    edit_file(guide, ('name: The "Old" Guide: ferryman', "name: 'The \"Old\" Guide: ferryman'"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 0, run.stdout


def test_a_colon_in_a_value_of_a_list_item_or_first_under_its_key_is_told_the_line_quoted(project_factory):
    """`  - with: old-guide` / `    note: Met him: at the ford` was told "indented 4 spaces,
    more than line 10, which already has a value": followed ("Line the key up with
    `- with:` (2 spaces)"), the note left its relationship; `relationships:` / `  - note:
    Taught her: the fog` was told "which is not a `key:` that can hold it". A list item's
    keys stand after its `- `, and a key opening a block holds the line under it."""
    root = project_factory({})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    guide = root / "content" / "characters" / "old-guide.yaml"
    edit_file(hero, ("  - {with: old-guide, kind: mentor}", "  - with: old-guide\n    kind: mentor\n"
                                                             "    note: Met him: at the ford"))
    edit_file(guide, ("  - {with: first-hero, kind: apprentice}",
                      "  - note: Taught her: the fog\n    with: first-hero\n    kind: apprentice"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["file"], d["line"], d["hint"]) for d in run.json()["diagnostics"] if d["code"] == "HF0101"]
    assert said == [
        ("HF0101", "content/characters/old-guide.yaml", 6, "Put the value in quotes: `- note: \"Taught her: the fog\"`."),
        ("HF0101", "content/heroes/first-hero.yaml", 12, "Put the value in quotes: `note: \"Met him: at the ford\"`.")], \
        run.stdout
    # followed, the check is clean and the notes are the writer's
    edit_file(hero, ("note: Met him: at the ford", 'note: "Met him: at the ford"'))
    edit_file(guide, ("note: Taught her: the fog", 'note: "Taught her: the fog"'))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["severity"] == "error"], run.stdout


def test_a_colon_in_a_value_over_several_lines_is_told_quotes_around_all_of_them(project_factory):
    """`title: Fog Road: Part 1` / `  of the marsh` (a plain value an editor wrapped) was told
    `title: "Fog Road: Part 1"`: followed, `  of the marsh` was "indented 2 spaces, which
    lines up with none of the keys", hint "Indent it exactly like the key": followed, a
    third error. The hint now puts the quotes around the value's every line."""
    root = project_factory({})
    hero = root / "content" / "heroes" / "first-hero.yaml"
    edit_file(hero, ("title: Scout of the Marsh Road", "title: Fog Road: Part 1\n  of the marsh"))
    run = foundry("check", "--format", "json", "--project", str(root))
    said = [(d["code"], d["line"], d["hint"]) for d in run.json()["diagnostics"] if d["severity"] == "error"]
    assert said == [("HF0101", 3, "Put the value in quotes, from line 3 to line 4: "
                     "`title: \"Fog Road: Part 1` … `of the marsh\"`.")], run.stdout
    edit_file(hero, ("title: Fog Road: Part 1\n  of the marsh", "title: \"Fog Road: Part 1\n  of the marsh\""))
    assert foundry("build", "--project", str(root), "--only", "json").code == 0
    data = json.loads((root / "build/api/v1/heroes/first-hero.json").read_text(encoding="utf-8"))["hero"]
    assert data["title"] == "Fog Road: Part 1 of the marsh"


def test_a_link_from_the_sites_root_under_a_base_url_path_is_told_that_path(project_factory):
    """Under `base_url = "https://example.org/world/"`, `[Rook](/heroes/first-hero.html)` was
    "points outside the site", hint "link to a page the site has": the page was right but
    for the path the site is served from. The hint names it; followed, the link lands."""
    import lxml.html
    root = project_factory({})
    edit_file(root / "foundry.toml", ('[project]\n', '[project]\nbase_url = "https://example.org/world/"\n'))
    story = root / "content" / "stories" / "first-story.md"
    edit_file(story, ("holds out a hand for coins.", "holds out a hand for coins. [Rook](/heroes/first-hero.html) "
                                                     "[her file](/heroes/first-hero.yaml)"))
    run = foundry("check", "--format", "json", "--project", str(root))
    assert [d["hint"] for d in run.json()["diagnostics"] if d["severity"] == "error"] == [
        "The site is served from `/world/` (base_url): write `(/world/heroes/first-hero.html)`.",
        "The page is `/world/heroes/first-hero.html`: write `(/world/heroes/first-hero.html)`."], run.stdout
    edit_file(story, ("(/heroes/first-hero.html)", "(/world/heroes/first-hero.html)"),
              ("(/heroes/first-hero.yaml)", "(/world/heroes/first-hero.html)"))
    assert foundry("build", "--project", str(root), "--only", "html").code == 0
    page = root / "build/site/stories/first-story.html"
    hrefs = [a for a in lxml.html.parse(str(page)).xpath("//a/@href") if a.startswith("/world/heroes/")]
    assert len(hrefs) == 2 and all((root / "build/site" / a.removeprefix("/world/")).is_file() for a in hrefs), hrefs
