"""An empty value in quotes (`name: ""`, an objective's `text: ''`) was HF0204 in
pydantic's words, "'name': String should have at least 1 character"; now "is empty"
with the fix in the writer's words, at the value."""

from __future__ import annotations

from support import ROOTS, foundry

HERO = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text()
QUEST = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text()


def test_an_empty_value_is_said_empty(project_factory):
    hero, quest = HERO.replace("name: Rook Amsel", 'name: ""'), QUEST.replace("text: Reach the far bank", "text: ''")
    assert hero != HERO and quest != QUEST
    root = project_factory({"content/heroes/first-hero.yaml": hero, "content/quests/first-quest.yaml": quest})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = sorted((d["file"], d["line"], d["code"], d["message"]) for d in run.json()["diagnostics"])
    assert said == [("content/heroes/first-hero.yaml", 2, "HF0204", "'name': is empty"),
                    ("content/quests/first-quest.yaml", 8, "HF0204", "'objectives.0.text': is empty")], run.stdout
    assert all(d["hint"].startswith("Write its text: an empty value shows nothing") for d in run.json()["diagnostics"])


def test_an_empty_key_is_told_what_to_write_and_following_it_is_clean(project_factory):
    """`attributes:` (or `variables:`, `rewards:`) with nothing after it was told "write a
    mapping of `key: value` pairs after it on the same line": followed, `attributes:
    agility: 13` is YAML's next error; `relationships:` was told `relationships: [a, b]`,
    a list of the wrong things; and none said that a key the file may leave out can go
    (or be `[]`, `{}`). Each hint is followed here as written: the next check is clean."""
    import re
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text()
    cases = {   # file, the key's line as written, its text before
        "attributes": ("content/heroes/first-hero.yaml", HERO, "attributes: {agility: 13, constitution: 10}"),
        "relationships": ("content/heroes/first-hero.yaml", HERO, "relationships:\n  - {with: old-guide, kind: mentor}"),
        "rewards": ("content/quests/first-quest.yaml", QUEST, "rewards: {xp: 50}"),
        "characters": ("content/stories/first-story.md", story, "characters: [old-guide]"),
        "title": ("content/heroes/first-hero.yaml", HERO, "title: Scout of the Marsh Road"),
    }
    for key, (path, text, line) in cases.items():
        assert line in text, key
        root = project_factory({path: text.replace(line, f"{key}:")}, name=key)
        run = foundry("check", "--format", "json", "--project", str(root))
        said = [d for d in run.json()["diagnostics"]]
        assert [(d["code"], d["file"]) for d in said] == [("HF0201", path)], (key, run.stdout)
        hint = said[0]["hint"]
        assert hint.startswith(f"`{key}:` is empty: write ") and "or remove the line" in hint, hint
        written = re.search(rf"`({key}: (?:\{{\}}|\[\]))`", hint)
        for fixed in ([written[1]] if written else []) + [""]:   # as the hint writes it; the line removed
            root = project_factory({path: text.replace(line + "\n", fixed + "\n" if fixed else "")},
                                   name=f"{key}-fixed-{bool(fixed)}")
            assert foundry("check", "--project", str(root)).code == 0, (key, fixed)
        assert (written is not None) == (key != "title"), hint
    # a list of mappings is written below, one `- ` item a line with its keys; a required
    # one (a quest's objectives) is never told it may be left out or empty
    root = project_factory({"content/quests/first-quest.yaml":
                            QUEST.replace("objectives:\n  - {id: cross, text: Reach the far bank, done_when: crossed}",
                                          "objectives:")}, name="objectives")
    hint, = [d["hint"] for d in foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]]
    assert hint == ("`objectives:` is empty: write its items on the lines below it, each starting with `- ` indented "
                    "by two spaces (`- {id: …, text: …, done_when: …}`)."), hint


def test_a_number_in_quotes_is_told_with_its_own_value(project_factory):
    """`agility: "13"` and `xp: "120"` were each told "Write the number without quotes:
    `12`, not `"12"`", a number the writer never wrote; their own now, and unquoting them
    as told is clean."""
    hero = HERO.replace("agility: 13,", 'agility: "13",').replace("xp: 120", 'xp: "120"')
    assert hero.count('"1') == 2
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    hints = sorted(d["hint"] for d in foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"])
    assert hints == ['Write the number without quotes: `120`, not `"120"`.',
                     'Write the number without quotes: `13`, not `"13"`.'], hints
    root = project_factory({"content/heroes/first-hero.yaml": hero.replace('"13"', "13").replace('"120"', "120")},
                           name="unquoted")
    assert foundry("check", "--project", str(root)).code == 0


def test_an_empty_start_is_told_the_first_scene(project_factory):
    """`start:` left empty was told "write text after it on the same line": the text is
    a scene's id, and the file holds them. Told the first scene's, following it is clean."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    root = project_factory({"content/stories/first-story.md": story.replace("start: road", "start:")})
    [found] = foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]
    assert (found["code"], found["line"]) == ("HF0201", 5), found
    assert "`start: road` (its first scene, `The Fog Road`)" in found["hint"], found
    (root / "content/stories/first-story.md").write_text(story.replace("start: road", "start:").replace("start:", "start: road"),
                                                          encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0


def test_a_name_from_the_docs_is_told_the_projects_few(project_factory):
    """A hero copied from docs/formats.md (`template: ranger`, `kind: ally`) into a
    project with no such template or kind was told only where they live; with no name
    near and few there, the hint names them, and following it is clean."""
    hero = HERO.replace("template: scout", "template: ranger").replace("kind: mentor", "kind: ally")
    root = project_factory({"content/heroes/first-hero.yaml": hero})
    hints = {d["code"]: d["hint"] for d in foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]}
    assert hints == {"HF0305": "Hero templates live in content/templates/heroes/. Known here: 'scout'.",
                     "HF0310": "Relationship kinds are defined in schemas/relationships.yaml. "
                               "Known here: 'apprentice', 'mentor', 'rival'."}, hints
    (root / "content/heroes/first-hero.yaml").write_text(HERO, encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
