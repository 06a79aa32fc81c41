"""Every hint that names an id names one the writer can type and have accepted: one
speller (ids.spell_id) for scene ids, choice ids, file names, `foundry new` and a
field's value, never a refused id (a cut ending in a hyphen, a Windows device name)
nor one taken (by another scene, choice or file, or by an earlier hint).

Before, the scene speller (`suggest_id`) cut a long title to 40 characters ending in a
hyphen, told `{#Bank}` beside a scene `bank` to be `{#bank}`, told two headings written
in Japanese both `{#scene}`, and read a choice `{id="Wait"}` beside a choice `wait` as
`wait`, so the other, innocent choice was told it had the id twice (HF0511). The file
name speller told `First-Hero.yaml` beside `first-hero.yaml` 'Rename it to
first-hero.yaml', `Kéa.yaml` 'k-a.yaml', and `北斗.yaml` and `森.yaml` both 'entity.yaml'.
Each test follows every hint and checks again: the project is then clean."""

from __future__ import annotations

import re

from support import foundry

LONG = "a" * 39 + " bcd"
SCENES = f"""
## 霧の道

fog

- [Go](#bank)

## 森

wood

- [Go](#bank)

## {LONG}

long

- [Go](#bank)

## Twice {{#Bank}}

twice

- [Go](#bank){{id="Wait"}}
- [Go on](#wait){{id="wait"}}

"""


def _found(root) -> list[dict]:
    return foundry("check", "--format", "json", "--project", str(root)).json()["diagnostics"]


def test_scene_and_choice_hints_name_ids_free_in_the_story(project_factory):
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("## Waiting {#wait .ending}", SCENES + "## Waiting {#wait .ending}")
    story.write_text(text, encoding="utf-8")
    found = _found(root)
    hints = {(d["code"], d["line"]): d["hint"] for d in found}
    assert {code for code, _ in hints} == {"HF0502", "HF0113"}, found   # no HF0511 at the innocent `wait`
    named = {}
    lines = text.split("\n")
    for (code, line), hint in hints.items():
        if code == "HF0502":
            [new] = re.findall(r"\{#([^}]+)\}`+(?:\.$| at the end of its line)", hint)
            lines[line - 1] += f" {{#{new}}}"
        else:
            [new] = re.findall(r"Try `(?:\{#|id=\")([^}\"]+)", hint)
            lines[line - 1] = re.sub(r"\{#Bank\}|id=\"Wait\"",
                                     lambda m: f"{{#{new}}}" if m.group(0).startswith("{") else f'id="{new}"',
                                     lines[line - 1])
        named[line] = new
    assert sorted(named.values()) == sorted(["scene", "scene-2", "a" * 39, "bank-2", "wait-2"]), named
    fixed = "\n".join(lines).replace("- [Wait for the fog to lift](#wait)", "- [Wait for the fog to lift](#wait)\n" + "\n".join(
        f"- [To {sid}](#{sid})" for sid in named.values() if sid != "wait-2"))
    story.write_text(fixed, encoding="utf-8")
    assert _found(root) == []


# scene headings without an id whose Markdown as typed spells other words than they show
MARKED_UP = {"## Salt &amp; Iron": "salt-iron", "## Tom&#39;s *Inn*": "tom-s-inn",
             "## [Über](https://example.org/x) den **Fluss**": "uber-den-fluss",
             "## [Ufer][u] `north`": "ufer-north"}


def test_a_heading_with_markup_is_told_an_id_spelt_from_the_words_it_shows(project_factory):
    # the hint spelt the heading's Markdown as typed: `&amp;` was told `{#salt-amp-iron}`,
    # a link's address `{#uber-https-example-org-x-den-fluss}`, a reference link its
    # label, words no reader of the heading sees
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace("## Waiting {#wait .ending}", "".join(f"{heading}\n\ntext\n\n- [Go](#bank)\n\n"
                                                             for heading in MARKED_UP)
                        + "[u]: https://example.org/u\n\n## Waiting {#wait .ending}")
    story.write_text(text, encoding="utf-8")
    found = _found(root)
    lines = text.split("\n")
    named = {}
    for d in found:
        if d["code"] == "HF0502":
            [new] = re.findall(r"\{#([^}]+)\}`+(?:\.$| at the end of its line)", d["hint"])
            named[lines[d["line"] - 1]] = new
            lines[d["line"] - 1] += f" {{#{new}}}"
    assert named == MARKED_UP, found
    story.write_text("\n".join(lines).replace("- [Wait for the fog to lift](#wait)", "- [Wait for the fog to lift](#wait)\n"
                     + "\n".join(f"- [To {sid}](#{sid})" for sid in named.values())), encoding="utf-8")
    assert {d["code"] for d in _found(root)} == {"HF0123"}   # (the links in two titles are dropped: said)


def test_file_name_hints_name_ids_free_in_the_folder(project_factory):
    root = project_factory({})
    heroes = root / "content/heroes"
    hero = (heroes / "first-hero.yaml").read_text(encoding="utf-8")
    # Greek and Cyrillic are spelled in Latin letters (text-unidecode, python-slugify's);
    # Han and Arabic, whose reading would be a guess (日本 read as Mandarin), are not; a
    # digit of any script is its number
    for name in ("First-Hero", "Kéa", "北斗", "森", "Иван Грозный", "Ελλάδα", "مرحبا", "١٢٣"):
        (heroes / f"{name}.yaml").write_text(hero, encoding="utf-8")
    found = _found(root)
    told = {d["file"].rsplit("/", 1)[1]: re.findall(r"Rename it to '([^']+)'", d["hint"])[0]
            for d in found if d["code"] == "HF0113"}
    assert told == {"First-Hero.yaml": "first-hero-2.yaml", "Kéa.yaml": "kea.yaml",
                    "Иван Грозный.yaml": "ivan-groznyi.yaml", "Ελλάδα.yaml": "ellada.yaml",
                    "مرحبا.yaml": "entity.yaml", "١٢٣.yaml": "123.yaml", "北斗.yaml": "entity-2.yaml", "森.yaml": "entity-3.yaml"}, found
    for old, new in told.items():
        (heroes / old).rename(heroes / new)
    assert [d for d in _found(root) if d["code"] in ("HF0113", "HF0161", "HF0162")] == []


def test_a_hero_file_is_told_an_id_no_character_has(project_factory):
    """Heroes and characters share one set of ids (HF0107): `Old-Guide.yaml` among the
    heroes was told 'old-guide.yaml', the character's id."""
    root = project_factory({})
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    (root / "content/heroes/Old-Guide.yaml").write_text(hero, encoding="utf-8")
    [hint] = [d["hint"] for d in _found(root) if d["code"] == "HF0113"]
    assert hint == "Rename it to 'old-guide-2.yaml'.", hint


def test_foundry_new_is_told_an_id_no_file_has(project_factory):
    """`foundry new hero "First Hero"` beside first-hero.yaml was told 'Write it as
    `first-hero`', which the next try refused as a file that exists; "Old Guide" was
    told the character's id."""
    root = project_factory({})
    for kind, typed, meant in (("hero", "First Hero", "first-hero-2"), ("hero", "Old Guide", "old-guide-2"),
                               ("story", "First Story", "first-story-2")):
        run = foundry("new", kind, typed, "--project", str(root))
        assert run.code == 2 and f"Write it as `{meant}`" in run.stderr, run.stderr
        assert foundry("new", kind, meant, "--project", str(root)).code == 0


def test_a_device_name_is_numbered_once(project_factory):
    """A device name is numbered from 1 (`con` → `con-1`), and past that as every id is:
    with con-1.yaml there, `con.yaml` (HF0161), `Con.yaml` (HF0113) and `foundry new hero
    Con` were told 'con-1-2', an id numbered twice; now 'con-2' and 'con-3', each of its
    own, and the project is clean once they are followed."""
    root = project_factory({})
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    for name in ("con", "con-1", "Nul"):
        (root / f"content/heroes/{name}.yaml").write_text(hero, encoding="utf-8")
    told = {d["file"]: re.search(r"'([a-z0-9-]+)\.yaml'", d["hint"]).group(1)
            for d in _found(root) if d["code"] in ("HF0113", "HF0161")}
    assert told == {"content/heroes/con.yaml": "con-2", "content/heroes/Nul.yaml": "nul-1"}, told
    for rel, new in told.items():
        (root / rel).rename(root / "content/heroes" / f"{new}.yaml")
    assert foundry("check", "--project", str(root)).code == 0
    run = foundry("new", "hero", "Con", "--project", str(root))
    assert run.code == 2 and "Write it as `con-3`" in run.stderr, run.stderr


def test_a_variable_is_told_a_name_no_rule_refuses_and_none_beside_it_has(project_factory):
    """A story variable's name hint (ids.spell_name) was its key lowercased: `Set:`
    was told `set` (a word of the expression language, refused), `Coins:` beside
    `coins:` was told `coins` (a key twice), and `set:` beside `set_:` told `set_`;
    `wits:` (a hero attribute, HF0512) was told no name at all, and `Agility:` was told
    `agility`, the attribute's name (validation sees the file alone: the story's load
    names the hint again with the hero's names)."""
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert "  coins: 2\n" in text
    written = {"Set": 1, "set": 2, "set_": 3, "Coins": 4, "wits": 5, "wits_2": 6, "Agility": 7}
    story.write_text(text.replace("  coins: 2\n", "  coins: 2\n" + "".join(f"  {k}: {v}\n" for k, v in written.items())),
                     encoding="utf-8")
    found = [d for d in _found(root) if d["code"] in ("HF0204", "HF0512")]
    told = {}
    for d in found:
        key = story.read_text(encoding="utf-8").split("\n")[d["line"] - 1].split(":")[0].strip()
        told[key] = re.findall(r"(?:Write it as|for example to) `([a-z0-9_]+)`", d["hint"])[0]
    assert told == {"Set": "set_2", "set": "set_3", "Coins": "coins_2", "wits": "wits_3", "Agility": "agility_2"}, found
    fixed = text.replace("  coins: 2\n", "  coins: 2\n" + "".join(f"  {told.get(k, k)}: {v}\n" for k, v in written.items()))
    story.write_text(fixed, encoding="utf-8")
    assert [d for d in _found(root) if d["severity"] == "error"] == []


def test_ids_written_three_times_are_each_told_an_id_of_their_own(project_factory):
    """HF0511 and HF0541 numbered past the ids before the one they were said at: three
    choices to one scene without ids beside a choice `bank-2` were told `bank-2` (that
    choice's) and the third the same as the second; three objectives `cross` beside an
    objective `cross-2` likewise."""
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    step = '- [Step onto the bank](#bank){do="set crossed"}'
    assert step in text
    story.write_text(text.replace(step, step + '\n- [Jump to the bank](#bank)\n- [Swim to the bank](#bank)\n'
                                               '- [Fly](#bank){id="bank-2"}'), encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    objective = "  - {id: cross, text: Reach the far bank, done_when: crossed}"
    qtext = quest.read_text(encoding="utf-8")
    assert objective in qtext
    quest.write_text(qtext.replace(objective, objective + "\n  - {id: cross, text: B, done_when: crossed}"
                                   "\n  - {id: cross, text: C, done_when: crossed}\n  - {id: cross-2, text: D, done_when: crossed}"),
                     encoding="utf-8")
    found = _found(root)
    told = sorted(re.findall(r"(?:id: |id=\")([a-z0-9-]+)", d["hint"])[0] for d in found if d["code"] in ("HF0511", "HF0541"))
    assert told == ["bank-3", "bank-4", "cross-3", "cross-4"], found
    lines = story.read_text(encoding="utf-8").split("\n")
    qlines = quest.read_text(encoding="utf-8").split("\n")
    for d in found:
        new = re.findall(r"(?:id: |id=\")([a-z0-9-]+)", d["hint"])[0]
        if d["code"] == "HF0511":
            lines[d["line"] - 1] += f'{{id="{new}"}}'
        elif d["code"] == "HF0541":
            qlines[d["line"] - 1] = qlines[d["line"] - 1].replace("id: cross,", f"id: {new},")
    story.write_text("\n".join(lines), encoding="utf-8")
    quest.write_text("\n".join(qlines), encoding="utf-8")
    assert [d for d in _found(root) if d["severity"] == "error"] == []


def test_a_stray_is_told_a_name_that_takes_no_files_place(project_factory):
    """HF0105's hint named the stray's own stem as the file to make: `first-hero.yml`
    beside `first-hero.yaml` was told 'rename it first-hero.yaml' (over the hero there),
    `group/Wren.yaml` 'move it into content/heroes/ itself as Wren.yaml' (HF0113 next)."""
    root = project_factory({})
    heroes = root / "content/heroes"
    hero = (heroes / "first-hero.yaml").read_text(encoding="utf-8")
    (heroes / "first-hero.yml").write_text(hero, encoding="utf-8")
    (heroes / "group").mkdir()
    (heroes / "group/Wren.yaml").write_text(hero, encoding="utf-8")
    hints = {d["file"]: d["hint"] for d in _found(root) if d["code"] == "HF0105"}
    assert hints["content/heroes/first-hero.yml"].endswith("rename it first-hero-2.yaml."), hints
    assert hints["content/heroes/group/Wren.yaml"].endswith("itself as wren.yaml."), hints


def test_a_hint_lists_no_folder_outside_the_project(project_factory, tmp_path):
    """The ids a file-name hint numbers past are those of the kind's folders inside the
    project: content/characters linked to a folder outside (HF0120) was listed, and a
    name there (first-hero-2.yaml) showed in the hint as 'first-hero-3.yaml'."""
    root = project_factory({})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "first-hero-2.yaml").write_text("name: X\n", encoding="utf-8")
    for kept in (root / "content/characters").iterdir():
        kept.unlink()
    (root / "content/characters").rmdir()
    (root / "content/characters").symlink_to(outside, target_is_directory=True)
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    (root / "content/heroes/First-Hero.yaml").write_text(hero, encoding="utf-8")
    found = _found(root)
    assert "HF0120" in {d["code"] for d in found}, found
    [hint] = [d["hint"] for d in found if d["code"] == "HF0113"]
    assert hint == "Rename it to 'first-hero-2.yaml'.", hint


def test_strays_and_refused_names_are_each_told_a_file_of_their_own(project_factory):
    """HF0113's hint and each HF0105 hint were spelt apart: `First-Hero.yaml`,
    `first-hero.yml` and `first-hero.txt` beside first-hero.yaml were all told
    'first-hero-2.yaml', so following the hints (`mv`) renamed one file over another
    and the writer lost two heroes. Each is told a name of its own, and following every
    hint leaves every file."""
    root = project_factory({})
    heroes = root / "content/heroes"
    hero = (heroes / "first-hero.yaml").read_text(encoding="utf-8")
    written = {"First-Hero.yaml": "Amber", "first-hero.yml": "Birch", "first-hero.txt": "Cedar", "北斗.yaml": "Dune",
               "entity.yml": "Elm"}
    for name, who in written.items():
        (heroes / name).write_text(hero.replace("name: Rook Amsel", f"name: {who}"), encoding="utf-8")
    found = _found(root)
    told = {}
    for d in found:
        named = re.findall(r"(?:Rename it to '|rename it )([a-z0-9-]+\.yaml)", d["hint"])
        if d["code"] in ("HF0105", "HF0113") and named:
            told[d["file"].rsplit("/", 1)[1]] = named[0]
    assert told.keys() == written.keys(), found
    assert len(set(told.values())) == len(told) and "first-hero.yaml" not in told.values(), told
    for old, new in told.items():
        (heroes / old).rename(heroes / new)
    assert [d for d in _found(root) if d["code"] in ("HF0105", "HF0113", "HF0107")] == []
    names = {path.read_text(encoding="utf-8").split("name: ")[1].split("\n")[0] for path in heroes.iterdir()}
    assert names == {"Rook Amsel", *written.values()}


def test_an_attribute_named_variable_and_a_key_written_wrong_are_never_told_one_name(project_factory):
    """HF0512's hint (`wits:`, a hero attribute) and HF0204's (`Wits:` beside it) were
    spelt apart and both told `wits_2`: following both wrote the key twice (HF0102).
    One rule names both, in the order they are written, whichever comes first."""
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    for written in ({"Wits": 1, "wits": 2, "Agility": 3, "agility": 4}, {"wits": 1, "Wits": 2}):
        story.write_text(text.replace("  coins: 2\n", "  coins: 2\n" + "".join(f"  {k}: {v}\n" for k, v in written.items())),
                         encoding="utf-8")
        lines = story.read_text(encoding="utf-8").split("\n")
        told = {}
        for d in _found(root):
            if d["code"] in ("HF0204", "HF0512") and d["file"] == "content/stories/first-story.md":
                told[lines[d["line"] - 1].split(":")[0].strip()] = \
                    re.findall(r"(?:Write it as|for example to) `([a-z0-9_]+)`", d["hint"])[0]
        assert told.keys() == written.keys() and len(set(told.values())) == len(told), told
        fixed = text.replace("  coins: 2\n", "  coins: 2\n" + "".join(f"  {told[k]}: {v}\n" for k, v in written.items()))
        story.write_text(fixed, encoding="utf-8")
        assert [d for d in _found(root) if d["severity"] == "error"] == []


def test_scene_choice_and_skill_ids_over_64_characters_are_refused_at_the_id_with_one_that_fits(project_factory):
    """Import caps every id at 64 characters and a hero's file name is refused past
    it, but check accepted a scene id or a choice id of 71 (a line id, a URL fragment,
    an ink knot name that long). One rule (ids.is_id): HF0113 at the id's column, its
    hint an id that fits; a skill's over-long key is told one too. Following each hint
    leaves no problem."""
    from support import REPO
    long_scene, long_choice, long_skill = "t" + "a" * 70, "w" + "a" * 70, "tracking" + "b" * 60
    story = (REPO / "tests/roots/minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    story = story.replace("{#tracks}", "{#" + long_scene + "}").replace("(#tracks)", f"(#{long_scene})") \
        .replace("- [Wait for the fog to lift](#wait)", f'- [Wait for the fog to lift](#wait){{id="{long_choice}"}}')
    skills = (REPO / "tests/roots/minimal/schemas/skills.yaml").read_text(encoding="utf-8")
    root = project_factory({"content/stories/first-story.md": story,
                            "schemas/skills.yaml": skills.replace("  tracking:", f"  {long_skill}:", 1)})
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    said = {d["code"] + " " + d["message"].split("'")[1][:8]: d for d in run.json()["diagnostics"]
            if d["code"] in ("HF0113", "HF0204")}
    lines = story.split("\n")
    scene_line = next(n for n, line in enumerate(lines, 1) if "{#" + long_scene in line)
    choice_line = next(n for n, line in enumerate(lines, 1) if long_choice in line)
    scene, choice = said["HF0113 taaaaaaa"], said["HF0113 waaaaaaa"]
    assert (scene["line"], scene["column"]) == (scene_line, lines[scene_line - 1].index(long_scene) + 1)
    assert (choice["line"], choice["column"]) == (choice_line, lines[choice_line - 1].index(long_choice) + 1)
    assert "over the 64" in scene["message"] and "over the 64" in choice["message"]
    skill = said["HF0204 tracking"]
    told = {long_scene: re.search(r"\{#([a-z0-9-]+)\}", scene["hint"]).group(1),
            long_choice: re.search(r'id="([a-z0-9-]+)"', choice["hint"]).group(1),
            long_skill: re.search(r"`([a-z0-9-]+)`", skill["hint"]).group(1)}
    assert all(len(new) <= 64 for new in told.values()), told
    for rel in ("content/stories/first-story.md", "schemas/skills.yaml", "content/templates/heroes/scout.yaml"):
        text = (root / rel).read_text(encoding="utf-8")
        for old, new in told.items():
            text = text.replace(old, new)
        if rel.endswith("scout.yaml"):   # the skill renamed: the names of it follow, as a writer's rename does
            text = re.sub(r"\btracking\b", told[long_skill], text)
        (root / rel).write_text(text, encoding="utf-8")
    skills_text = (root / "schemas/skills.yaml").read_text(encoding="utf-8")
    (root / "schemas/skills.yaml").write_text(
        re.sub(r"\[tracking\]", f"[{told[long_skill]}]", skills_text), encoding="utf-8")
    for hero in (root / "content/heroes").glob("*.yaml"):
        hero.write_text(re.sub(r"\btracking\b", told[long_skill], hero.read_text(encoding="utf-8")), encoding="utf-8")
    after = foundry("check", "--project", str(root), "--format", "json")
    assert after.code == 0, after.stdout


def test_foundry_new_is_never_told_the_id_check_tells_a_misnamed_file(project_factory):
    """With content/heroes/Rook.yaml there, check tells it 'Rename it to rook.yaml' and
    `foundry new hero Rook` was told 'Write it as `rook`' too: a writer following both
    renamed one file over the other (or was refused the second time). `foundry new` is
    told an id past those check tells (places.told_ids), and both followed, check is
    clean."""
    root = project_factory({})
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    (root / "content/heroes/Rook.yaml").write_text(hero, encoding="utf-8")
    [told] = [re.search(r"'([a-z0-9-]+)\.yaml'", d["hint"]).group(1) for d in _found(root) if d["code"] == "HF0113"]
    run = foundry("new", "hero", "Rook", "--template", "scout", "--project", str(root))
    meant = re.search(r"Write it as `([a-z0-9-]+)`", run.stderr)
    assert run.code == 2 and meant is not None, run.stderr
    assert (told, meant.group(1)) == ("rook", "rook-2"), run.stderr
    assert foundry("new", "hero", meant.group(1), "--template", "scout", "--project", str(root)).code == 0
    (root / "content/heroes/Rook.yaml").rename(root / f"content/heroes/{told}.yaml")
    assert len(list((root / "content/heroes").glob("rook*.yaml"))) == 2
    assert foundry("check", "--project", str(root)).code == 0


def test_an_editors_lock_file_takes_no_id_from_a_misnamed_file(project_factory):
    """Emacs, while Rook.yaml's buffer is unsaved, leaves a lock `.#Rook.yaml` beside
    it (a link to nowhere), which no check reads as content: the walk of refused names
    told it 'rook' all the same, and Rook.yaml 'rook-2.yaml' until the buffer was saved."""
    import os
    root = project_factory({})
    hero = (root / "content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    (root / "content/heroes/Rook.yaml").write_text(hero, encoding="utf-8")
    os.symlink("writer@host.4242:1700000000", root / "content/heroes/.#Rook.yaml")
    hints = {d["file"]: d["hint"] for d in _found(root) if d["code"] == "HF0113"}
    assert hints == {"content/heroes/Rook.yaml": "Rename it to 'rook.yaml'."}, hints


def test_a_long_title_is_told_an_id_of_whole_words_and_a_reserved_one_why(project_factory):
    """HF0502 told a long heading `{#the-long-road-through-the-marsh-where-th}`, cut
    inside a word; `foundry new hero Index` was told "`index` is taken" of an id no file
    has (the heroes' list page), `new quest CON` no reason at all. The id told is cut
    after a whole word, a reserved id's reason is said, and each hint followed lands."""
    root = project_factory({})
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    title = "## The Long Road Through the Marsh Where the Herons Nest at Dusk"
    story.write_text(text.replace("## Waiting {#wait .ending}", f"{title}\n\nlong\n\n- [Go](#bank)\n\n## Waiting {{#wait .ending}}"),
                     encoding="utf-8")
    [hint] = [d["hint"] for d in _found(root) if d["code"] == "HF0502"]
    assert "`{#the-long-road-through-the-marsh-where}`" in hint, hint
    story.write_text(story.read_text(encoding="utf-8").replace(title, title + " {#the-long-road-through-the-marsh-where}")
                     .replace("- [Wait for the fog to lift](#wait)",
                              "- [Wait for the fog to lift](#wait)\n- [Go](#the-long-road-through-the-marsh-where)"),
                     encoding="utf-8")
    assert _found(root) == []
    for kind, typed, told, why in (("hero", "Index", "index-2", "`index` is kept for the list page foundry makes itself"),
                                   ("quest", "CON", "con-1", "`con` is a device name on Windows (HF0161)")):
        run = foundry("new", kind, typed, "--project", str(root))
        assert run.code == 2 and f"Write it as `{told}`: {why}" in run.stderr and "is taken" not in run.stderr, run.stderr
        assert foundry("new", kind, told, "--project", str(root)).code == 0
    assert foundry("check", "--project", str(root)).code == 0


NAMED_BY_CHOICES = """---
title: Allies
start: road
---

## The Road {#road}

Fog.

- [Call for help](#ally)
- [Cross at the ford](#ford)
- [Walk the planks](#far-bank)

## An Ally Joins

A friend.

- [On](#far-bank)

## The Crossing

Water.

- [On](#far-bank)

## The Far Bank Beyond

Dry.

- [On](#mist)

## Mist {#Mist .ending}

Gone.
"""


def test_a_heading_without_an_id_is_told_the_id_its_choices_lead_to(project_factory):
    """`## An Ally Joins` with no id, and a choice `(#ally)`: HF0502's hint was `{#an-ally-joins}`,
    which, followed, left the choice leading nowhere (HF0304). The id a choice names and no
    heading has is told to the heading whose title holds its words, the
    one left to the one heading left (`## The Crossing`: `{#ford}`); a misnamed heading's own hint (`{#Mist}` → `{#mist}`) is not
    taken. A choice to such a heading is not also an unknown scene (HF0304, whose hint listed the
    ids the story has). Every hint followed: clean."""
    root = project_factory({"content/stories/allies.md": NAMED_BY_CHOICES})
    run = foundry("check", "--project", str(root), "--format", "json")
    hints = {d["line"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF0502", "HF0113")}
    assert [(line, re.search(r"\{#[^}]*\}", hint).group(0)) for line, hint in sorted(hints.items())] == [
        (14, "{#ally}"), (20, "{#ford}"), (26, "{#far-bank}"), (32, "{#mist}")], run.stdout
    # the choices to those headings are that one slip each, not an unknown scene too
    assert [d for d in run.json()["diagnostics"] if d["code"] == "HF0304"] == [], run.stdout
    story = root / "content/stories/allies.md"
    text = story.read_text(encoding="utf-8")
    for old, new in (("## An Ally Joins", "## An Ally Joins {#ally}"), ("## The Crossing", "## The Crossing {#ford}"),
                     ("## The Far Bank Beyond", "## The Far Bank Beyond {#far-bank}"), ("{#Mist", "{#mist")):
        text = text.replace(old, new)
    story.write_text(text, encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert [d for d in run.json()["diagnostics"] if d["severity"] == "error"] == [], run.stdout


PAIRED = """---
title: {title}
status: draft
start: road
---

## The Road {{#road}}

- [Run to the gate](#gate)
- [Watch it fall](#gate-falls)
- [Cross to the bank](#{bank})

## The Gate Falls

- [Back](#road)

## The Gate

- [Back](#road)

## The Far Bank {{#bank .ending}}

Safe.

## Epilogue

It ends.
"""


def test_a_heading_is_not_told_another_headings_id_nor_a_slip_of_a_scenes(project_factory):
    """Paired in the headings' order, `## The Gate Falls` (its words hold `gate`) was told
    `{#gate}` and `## The Gate` the one id left, `{#gate-falls}`: followed, each choice led to
    the other's scene, check clean. And `(#bnak)` beside `{#bank}` (a slip, HF0304 "Did you
    mean 'bank'?") was the one id left for the one heading left, `## Epilogue {#bnak}`, and
    its HF0304 unsaid: followed, "Cross to the bank" led to the epilogue."""
    root = project_factory({"content/stories/gates.md": PAIRED.format(title="Gates", bank="bank"),
                            "content/stories/slip.md": PAIRED.format(title="Slip", bank="bnak")})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = [(d["file"].rsplit("/", 1)[-1], d["line"], d["code"], d["hint"]) for d in run.json()["diagnostics"]
            if d["code"] in ("HF0502", "HF0304")]
    told = [(f, line, code, re.search(r"\{#[^}]*\}|'bank'", hint).group(0)) for f, line, code, hint in said]
    assert sorted(told) == [
        ("gates.md", 13, "HF0502", "{#gate-falls}"), ("gates.md", 17, "HF0502", "{#gate}"),
        ("gates.md", 25, "HF0502", "{#epilogue}"),
        ("slip.md", 11, "HF0304", "'bank'"),
        ("slip.md", 13, "HF0502", "{#gate-falls}"), ("slip.md", 17, "HF0502", "{#gate}"),
        ("slip.md", 25, "HF0502", "{#epilogue}")], said


def test_a_slip_is_not_counted_as_the_one_id_left(project_factory):
    """`(#bnak)` beside `{#bank}` (HF0304 "Did you mean 'bank'?") and `(#finale)` that no
    heading has, with `## Epilogue` the one heading left: the slip was counted as a second
    id left, so the heading was told `{#epilogue}` and the choice to `finale` stayed
    unknown when followed. The slip set aside, `finale` is the one left: followed (and the
    slip mended as its own hint says), check is clean."""
    story = PAIRED.replace("- [Run to the gate](#gate)\n- [Watch it fall](#gate-falls)\n",
                           "- [Go on to the end](#finale)\n").replace(
        "## The Gate Falls\n\n- [Back](#road)\n\n## The Gate\n\n- [Back](#road)\n\n", "").replace(
        "It ends.", "It ends.\n\n- [Back](#road)")
    root = project_factory({"content/stories/slip.md": story.format(title="Slip", bank="bnak")})
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {d["code"]: d["hint"] for d in run.json()["diagnostics"] if d["code"] in ("HF0502", "HF0304")}
    assert said == {"HF0304": "Did you mean 'bank'?",
                    "HF0502": "End the heading with an id: `## Epilogue {#finale}`."}, run.stdout
    path = root / "content/stories/slip.md"
    path.write_text(path.read_text(encoding="utf-8").replace("## Epilogue", "## Epilogue {#finale}")
                    .replace("(#bnak)", "(#bank)"), encoding="utf-8")
    run = foundry("check", "--project", str(root))
    assert run.code == 0 and "No problems found" in run.stderr, run.stdout + run.stderr
