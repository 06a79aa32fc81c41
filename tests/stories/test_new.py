"""`foundry new hero|character|quest|story`: files that pass `foundry check` as written, never overwriting."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from support import foundry


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    """The project `foundry init` makes, made once per module: ~25 tests start from
    it, and each paid an `init` of its own for the same files."""
    root = tmp_path_factory.mktemp("starter") / "w"
    assert foundry("init", str(root)).code == 0
    return root


@pytest.fixture
def world(starter, tmp_path):
    """A test's own copy of the starter project, byte for byte and with its times
    (copy2), as `init` left it: a test changes its copy, never the module's."""
    return shutil.copytree(starter, tmp_path / "w", symlinks=True)


def test_new_hero_from_template_passes_check(world):
    run = foundry("new", "hero", "kestrel", "--template", "scout", "--name", "Kestrel \"Kes\" O'Hara: Scout",
                  "--project", str(world))
    assert run.code == 0, run.stderr
    assert "Wrote content/heroes/kestrel.yaml" in run.stderr
    text = (world / "content/heroes/kestrel.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schemas/json/hero.schema.json\n")
    assert "Who taught you to move without a sound?" in text  # the template's background prompt
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0, check.stdout
    sheet = foundry("hero", "kestrel", "--format", "json", "--project", str(world)).json()
    assert sheet["name"] == "Kestrel \"Kes\" O'Hara: Scout"
    assert sheet["template_chain"] == ["scout"]


def test_a_template_prompt_over_several_lines_stays_in_the_new_heros_background(world):
    """A template's background prompt holding line breaks: its second line was written at
    the new file's top level (`status: published` a key of the hero, a paragraph a
    broken line), so the hero did not load or was published unasked. Each line is part of
    the background, as written; a prompt starting with a space keeps it."""
    template = world / "content/templates/heroes/scout.yaml"
    template.write_text(template.read_text(encoding="utf-8") +
                        '  - "What do you fear?\\nstatus: published\\n\\nAnd a paragraph."\n', encoding="utf-8")
    run = foundry("new", "hero", "kestrel", "--template", "scout", "--project", str(world))
    assert run.code == 0, run.stderr
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0, check.stdout
    written = yaml.safe_load((world / "content/heroes/kestrel.yaml").read_text(encoding="utf-8"))
    assert written["status"] == "draft"
    assert written["background"].endswith("\nWhat do you fear?\nstatus: published\n\nAnd a paragraph.\n")
    other = world / "content/templates/heroes/quiet.yaml"
    other.write_text('name: Quiet\nbackground_prompts:\n  - "  an indented first line\\nand the next"\n',
                     encoding="utf-8")
    assert foundry("new", "hero", "wren", "--template", "quiet", "--project", str(world)).code == 0
    assert foundry("check", "--project", str(world)).code == 0
    assert "  an indented first line\n  and the next" in (world / "content/heroes/wren.yaml").read_text()


def test_a_new_hero_gets_the_background_prompts_of_its_whole_template_chain(world):
    """`veteran` extends `scout`: the template chain merges under the hero (formats.md),
    its prompts too, the farthest template's first; only veteran's were written."""
    (world / "content/templates/heroes/veteran.yaml").write_text(
        "name: Veteran\nextends: scout\nbackground_prompts: [Which war made you?]\n", encoding="utf-8")
    assert foundry("new", "hero", "kestrel", "--template", "veteran", "--project", str(world)).code == 0
    written = yaml.safe_load((world / "content/heroes/kestrel.yaml").read_text(encoding="utf-8"))
    assert written["background"] == "Who taught you to move without a sound?\nWhich war made you?\n"


def test_a_new_hero_from_a_template_needing_a_level_starts_at_it(world):
    """`ambusher` extends `scout` and gives `ambush` (min_level 2, `agility >= 12`) and
    strength 20: `new hero --template ambusher` wrote `xp: 0`, a hero that failed check
    as written (HF0407, HF0405: 4 + 3 + 12 = 19 points, 16 at level 1). It starts at the
    least level the template's skills and points need now (3, 20 points: 250 XP), and
    passes; a template no level can take (28 points, 24 at level 5) is refused with
    why (HF0405 at the template, said by check too), nothing written."""
    templates = world / "content/templates/heroes"
    (templates / "ambusher.yaml").write_text("name: Ambusher\nextends: scout\nattributes: {strength: 20}\n"
                                             "skills: [ambush]\n", encoding="utf-8")
    run = foundry("new", "hero", "kestrel", "--template", "ambusher", "--project", str(world))
    assert run.code == 0, run.stderr
    written = yaml.safe_load((world / "content/heroes/kestrel.yaml").read_text(encoding="utf-8"))
    assert written["xp"] == 250, written
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0, check.stdout
    (templates / "brawler.yaml").write_text("name: Brawler\nattributes: {strength: 20, agility: 20, wits: 12}\n",
                                            encoding="utf-8")
    run = foundry("new", "hero", "bram", "--template", "brawler", "--project", str(world))
    assert run.code == 1 and not (world / "content/heroes/bram.yaml").exists(), run.stderr
    # check says it at the template (HF0405), and new names the template to fix
    said = " ".join(run.stderr.split())
    assert ("content/templates/heroes/brawler.yaml:2:13: error HF0405 hero template 'brawler' spends 28 points above "
            "the defaults, and a hero has at most 24 (at level 5)") in said, run.stderr
    assert "fix hero template 'brawler' first" in said, run.stderr
    # a template extending it names the one to fix: bruiser.yaml has nothing wrong
    (templates / "bruiser.yaml").write_text("name: Bruiser\nextends: brawler\nskills: [tracking]\n", encoding="utf-8")
    run = foundry("new", "hero", "bram", "--template", "bruiser", "--project", str(world))
    assert run.code == 1 and not (world / "content/heroes/bram.yaml").exists(), run.stderr
    assert "fix hero template 'brawler', which 'bruiser' extends, first" in " ".join(run.stderr.split()), run.stderr


def test_new_hero_never_overwrites(world):
    path = world / "content/heroes/first-hero.yaml"
    before = path.read_bytes()
    run = foundry("new", "hero", "first-hero", "--project", str(world))
    assert run.code == 2
    assert "already exists" in run.stderr
    assert path.read_bytes() == before


def test_new_hero_bad_id_and_unknown_template(world):
    assert "not a valid hero id" in foundry("new", "hero", "Bad_Id", "--project", str(world)).stderr
    run = foundry("new", "hero", "x", "--template", "scot", "--project", str(world))
    assert run.code == 2 and "Did you mean 'scout'?" in run.stderr
    assert not (world / "content/heroes/x.yaml").exists()


def test_an_id_from_the_sample_world_in_a_new_project_lists_what_is_there(world):
    """README's examples name the sample world's ids (ranger, aria, the-lost-lantern):
    typed into a `foundry init` project, each error says what this project has."""
    def said(*args):
        run = foundry(*args, "--project", str(world))
        assert run.code == 2, run.stderr
        return " ".join(run.stderr.split())
    assert "no hero template 'ranger'. This project's hero templates: 'scout'." in said(
        "new", "hero", "kestrel", "--template", "ranger")
    assert "no hero 'aria'. This project's heroes: 'first-hero'." in said("hero", "aria")
    assert "no story 'the-lost-lantern'. This project's stories: 'first-story'." in said("play", "the-lost-lantern")
    assert not (world / "content/heroes/kestrel.yaml").exists()


def test_new_hero_without_an_id_gives_an_example_that_works_here(world):
    """`foundry new hero` with no id named the sample world's template in its example
    (`--template ranger`): typed as shown in a new project, it failed a second time."""
    run = foundry("new", "hero", "--project", str(world))
    assert run.code == 2
    example = re.search(r"`foundry (new hero [^`]+)`", " ".join(run.stderr.split()))
    assert example and "--template scout" in example.group(1), run.stderr
    assert foundry(*example.group(1).split(), "--project", str(world)).code == 0
    assert foundry("check", "--project", str(world)).code == 0


def test_new_character_passes_check_and_shares_ids_with_heroes(world):
    """`foundry new` made heroes and stories only; a writer adding a non-player
    character copied a file by hand. A new character passes check as written, is
    published, and heroes and characters share one set of ids both ways."""
    run = foundry("new", "character", "tomas", "--name", "Tomas *Reed*wright", "--project", str(world))
    assert run.code == 0 and "Wrote content/characters/tomas.yaml" in run.stderr, run.stderr
    data = yaml.safe_load((world / "content/characters/tomas.yaml").read_text())
    assert data["name"] == "Tomas *Reed*wright" and "Who is Tomas" in data["background"]
    # a hero's id, a character file that is there, and a hero named like the character
    for args, said in ((["character", "first-hero"], "already a hero (content/heroes/first-hero.yaml)"),
                       (["character", "tomas"], "already exists"),
                       (["hero", "tomas"], "already a character (content/characters/tomas.yaml)"),
                       (["character", "Old Man"], "Write it as `old-man`")):
        refused = foundry("new", *args, "--project", str(world))
        assert refused.code == 2 and said in refused.stderr, refused.stderr
    assert not (world / "content/characters/first-hero.yaml").exists()
    assert not (world / "content/heroes/tomas.yaml").exists()
    check = foundry("check", "--format", "json", "--project", str(world))
    # clean but for the question its background asks until answered (HF0186, a warning)
    assert check.code == 0 and [(d["code"], d["file"]) for d in check.json()["diagnostics"]] == [
        ("HF0186", "content/characters/tomas.yaml")], check.stdout


def test_new_quest_says_how_a_story_completes_it(world):
    """A new quest (one objective, required) waits for a story variable no story sets
    until a story lists the quest: check's warning HF0514 said 'Checked no story lists
    this quest in its `quests:`.' The hint, and `new quest`, now say the three steps,
    and taking them leaves check clean."""
    run = foundry("new", "quest", "drowned-bells", "--title", "The Drowned Bells", "--project", str(world))
    assert run.code == 0 and "Wrote content/quests/drowned-bells.yaml" in run.stderr, run.stderr
    assert "`quests: [drowned-bells]`" in run.stderr and "`drowned_bells_done: false`" in run.stderr
    data = yaml.safe_load((world / "content/quests/drowned-bells.yaml").read_text())
    assert data["title"] == "The Drowned Bells" and data["objectives"][0]["done_when"] == "drowned_bells_done"
    check = foundry("check", "--format", "json", "--project", str(world))
    # (and its objective's question until replaced: HF0186, its own test below)
    [warning, _] = sorted(check.json()["diagnostics"], key=lambda d: d["code"], reverse=True)
    assert check.code == 0 and warning["code"] == "HF0514", check.stdout
    quest = world / "content/quests/drowned-bells.yaml"
    quest.write_text(quest.read_text().replace('"What must the hero do first?"', '"Find the bell-ringer"'))
    assert "`quests: [drowned-bells]`" in warning["hint"] and 'do="set drowned_bells_done"' in warning["hint"]
    story = world / "content/stories/first-story.md"
    story.write_text(story.read_text().replace("quests: [first-quest]", "quests: [first-quest, drowned-bells]")
                     .replace("  coins: 2", "  coins: 2\n  drowned_bells_done: false")
                     .replace("(#wait)", '(#wait){do="set drowned_bells_done"}'))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and check.json()["diagnostics"] == [], check.stdout


def test_list_templates(world):
    heroes = foundry("new", "hero", "--list-templates", "--project", str(world))
    assert heroes.stdout.startswith("scout")
    stories = foundry("new", "story", "--list-templates", "--project", str(world))
    names = [line.split()[0] for line in stories.stdout.splitlines()]
    assert names == ["heros-journey", "hub-and-spokes", "three-act"]


@pytest.mark.parametrize("template", ["three-act", "heros-journey", "hub-and-spokes"])
def test_each_story_template_passes_check_and_plays_to_an_ending(world, template):
    run = foundry("new", "story", "tale", "--template", template, "--title", "A \"Quoted\" Tale", "--project", str(world))
    assert run.code == 0, run.stderr
    # the template's guidance in *italics* (the summary, each scene's prose) was
    # published as the story's words if never replaced, check clean: HF0186 (a
    # warning) at each, its line and the column its text starts at
    story = world / "content/stories/tale.md"
    lines = story.read_text().splitlines()
    guided = [(n, line.index("*") + 1) for n, line in enumerate(lines, 1)
              if line.rstrip("\"").endswith("*") and (line.startswith("*") or line.startswith("summary:"))]
    assert len(guided) >= 7
    check = foundry("check", "--format", "json", "--project", str(world))
    said = check.json()["diagnostics"]
    assert check.code == 0 and [(d["code"], d["file"], d["line"], d["column"], d["severity"]) for d in said] == [
        ("HF0186", "content/stories/tale.md", n, column, "warning") for n, column in guided], check.stdout
    assert all(template in d["message"] for d in said), said
    # the hints followed (the writer's own words in the guidance's place): clean
    own = {n: ('summary: "The fog road, crossed at last."' if lines[n - 1].startswith("summary:")
               else f"The writer's own words, line {n}.") for n, _ in guided}
    story.write_text("\n".join(own.get(n, line) for n, line in enumerate(lines, 1)) + "\n")
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and check.json()["diagnostics"] == [], check.stdout
    played = foundry("play", "tale", "--choose", ",".join(["1"] * 30), "--json", "--project", str(world)).json()
    assert played["ending"] is not None


def test_template_guidance_is_said_as_written_however_its_italics_are_kept(world):
    """A built-in template's guidance is said with its italics taken off or its spaces
    changed (still published as the story's words); a writer's own line in italics, a
    guidance line shown as code, and the italics of a project's own template are not."""
    (world / "content/templates/stories").mkdir(parents=True)
    (world / "content/templates/stories/duel.md").write_text(
        "---\n# A duel.\ntitle: __TITLE__\nsummary: \"*Two blades at dawn.*\"\nstart: a\n---\n\n## A {#a}\n\n"
        "*Who draws first?*\n\n- [End](#b)\n\n## B {#b .ending}\n\n*Done.*\n")
    assert foundry("new", "story", "duel-one", "--template", "duel", "--project", str(world)).code == 0
    story = world / "content/stories/first-story.md"
    story.write_text(story.read_text().replace(
        "The lantern bobs ahead.", "Something arrives that   demands a journey.\n\n*The lantern bobs ahead.*\n\n"
        "```\n*The hero lays out the case.*\n```\n\n_The hero lays out the case._\n\nThe lantern bobs ahead."))
    lines = story.read_text().splitlines()
    check = foundry("check", "--format", "json", "--project", str(world))
    said = [(d["code"], d["file"], d["line"], d["column"]) for d in check.json()["diagnostics"]]
    assert check.code == 0 and said == [
        ("HF0186", "content/stories/first-story.md", lines.index("Something arrives that   demands a journey.") + 1, 1),
        ("HF0186", "content/stories/first-story.md", lines.index("_The hero lays out the case._") + 1, 1)], check.stdout


def test_template_guidance_wrapped_quoted_or_kept_beside_own_words_is_said(world):
    """Guidance an editor wrapped over two lines (Prettier's proseWrap, a textwidth),
    kept in a quote, or kept in its italics beside the writer's own first words is
    still published as the story's words: HF0186 where its text starts. Each was
    check clean."""
    assert foundry("new", "story", "acts", "--project", str(world)).code == 0
    story = world / "content/stories/acts.md"
    text = story.read_text()
    for old, new in [
            ("what happens that cannot", "what happens that\ncannot"),
            ("*The hero rushes in.", "> *The hero rushes in."),
            ("do they want in return?*", "do they want in return?* Kes goes to the inn."),
            ("*A scene of trust earned. The ally will matter at the climax.*",
             "A scene of trust earned. The ally will matter at the climax.\n- [Wait](#climax)")]:
        assert old in text
        text = text.replace(old, new)
    story.write_text(text)
    lines = text.splitlines()
    check = foundry("check", "--format", "json", "--project", str(world))
    said = [(d["line"], d["column"]) for d in check.json()["diagnostics"]
            if d["code"] == "HF0186" and d["file"] == "content/stories/acts.md"]
    for start, column in [("*Introduce the hero", 1), ("> *The hero rushes in.", 3),
                          ("*The hero gathers allies.", 1), ("A scene of trust earned.", 1)]:
        assert (next(n for n, line in enumerate(lines, 1) if line.startswith(start)), column) in said, check.stdout
    # the writer's own words in their place: nothing said
    for n in sorted({n for n, _ in said if n > 10}, reverse=True):
        lines[n - 1] = f"The writer's own words, line {n}."
    lines = [line for line in lines if line != "cannot be ignored?*"]
    story.write_text("\n".join(lines).replace(
        'summary: "*One or two sentences: who wants what, and what stands in the way.*"', 'summary: "Kes."') + "\n")
    check = foundry("check", "--format", "json", "--project", str(world))
    assert [d for d in check.json()["diagnostics"] if d["code"] == "HF0186"] == [], check.stdout


def test_project_story_template_is_offered_and_used(world):
    # with the `id:` line of the story it was copied from: the new story's id, line for
    # line (copied as it was, every story made from it was HF0106 and new refused it)
    own = world / "content/templates/stories/duel.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\n# A duel at dawn.\nid: duel\ntitle: __TITLE__\nstart: a\n---\n\n## A {#a}\n\n- [End](#b)\n\n"
                   "## B {#b .ending}\n\nid: duel is prose here.\n")
    listed = foundry("new", "story", "--list-templates", "--project", str(world)).stdout
    assert "duel             A duel at dawn. [content/templates/stories/duel.md]" in listed
    made = foundry("new", "story", "d1", "--template", "duel", "--project", str(world))
    assert made.code == 0, made.stderr
    assert (world / "content/stories/d1.md").read_text().splitlines() == \
        own.read_text().replace("id: duel\ntitle: __TITLE__", "id: d1\ntitle: \"D1\"").splitlines()
    # its `id:` line after a byte-order mark, its key quoted and spaced as YAML reads
    # `id`, its value on the line below, and an id YAML reads as a number written
    # plain: each kept the template's id (or 'd1 duel'), or wrote `id: 5`, and the
    # story was refused
    (own.parent / "bom.md").write_text("\ufeff---\n# A bom.\n'id' : >-\n  duel\ntitle: __TITLE__\nstart: a\n---\n\n"
                                       "## A {#a}\n\n- [End](#b)\n\n## B {#b .ending}\n\nDone.\n", encoding="utf-8")
    made = foundry("new", "story", "5", "--template", "bom", "--project", str(world))
    assert made.code == 0, made.stderr
    assert (world / "content/stories/5.md").read_text(encoding="utf-8-sig").splitlines()[2:4] == ['id: "5"', ""]
    # a quoted id YAML reads on at the next line's start: `el"` was left, a YAML error
    (own.parent / "quoted.md").write_text('---\nid: "du\nel"  # a duel\ntitle: __TITLE__\nstart: a\n---\n\n'
                                          "## A {#a}\n\n- [End](#b)\n\n## B {#b .ending}\n\nDone.\n", encoding="utf-8")
    made = foundry("new", "story", "d2", "--template", "quoted", "--project", str(world))
    assert made.code == 0, made.stderr
    assert (world / "content/stories/d2.md").read_text(encoding="utf-8").splitlines()[1:3] == ["id: d2", ""]
    assert foundry("check", "--project", str(world)).code == 0


def test_a_project_story_template_with_errors_is_named_at_its_lines_and_writes_nothing(world):
    # content/templates/stories is not content: check never reads it, so a slip there
    # reached every story made from it (new wrote it; the next check had 4 errors)
    own = world / "content/templates/stories/broken.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\ntitle: __TITLE__\nprotaganist: first-hero\nstart: a\n---\n\n## A {#a .ending}\n\n"
                   "Dawn.\n\n- [On](#b)\n")
    assert foundry("check", "--project", str(world)).code == 0   # the template is not content
    run = foundry("new", "story", "d2", "--template", "broken", "--project", str(world))
    assert run.code == 1, run.stderr
    assert "content/templates/stories/broken.md:3:1: error HF0202 unknown field 'protaganist'" in run.stderr
    assert "content/templates/stories/broken.md:11:" in run.stderr and "HF0304" in run.stderr
    assert "fix story template 'broken' (content/templates/stories/broken.md) first" in run.stderr
    assert "content/stories/d2.md" not in run.stderr
    assert not (world / "content/stories/d2.md").exists()
    assert foundry("check", "--project", str(world)).code == 0


def test_new_refuses_a_name_or_title_check_would_refuse(world):
    for args in (["hero", "odd", "--name", "Rook\x1b[2J"], ["hero", "odd", "--name", "Ro\u200bok"],
                 ["story", "odd", "--title", "Fog\nRoad"], ["story", "odd", "--title", "\u202eFog"]):
        run = foundry("new", *args, "--project", str(world))
        assert run.code == 2 and "not allowed" in run.stderr, run.stderr
        assert "\x1b" not in run.stderr
        assert not (world / "content/heroes/odd.yaml").exists() and not (world / "content/stories/odd.md").exists()


@pytest.mark.parametrize("kind, device", [("hero", "con"), ("story", "aux"), ("hero", "lpt1"), ("story", "nul")])
def test_a_windows_device_name_is_not_a_new_id(world, kind, device):
    # git for Windows cannot check out content/heroes/con.yaml, nor save heroes/con.html
    run = foundry("new", kind, device, "--project", str(world))
    assert run.code == 2, run.stderr
    assert "device name on Windows" in run.stderr and f"'{device}-1'" in run.stderr
    assert not list(world.glob(f"content/*/{device}.*"))


def test_check_names_a_windows_device_name_at_its_file(world):
    # every kind of content file, however it got there (copied, not made by `new`)
    (world / "content/heroes/com3.yaml").write_bytes((world / "content/heroes/first-hero.yaml").read_bytes())
    (world / "content/characters/prn.yaml").write_bytes((world / "content/characters/old-guide.yaml").read_bytes())
    for _ in range(2):   # the second check reads the first's parse cache: still said
        run = foundry("check", "--format", "json", "--project", str(world))
        assert run.code == 1, run.stdout
        found = {(d["code"], d["file"]) for d in run.json()["diagnostics"]}
        assert ("HF0161", "content/heroes/com3.yaml") in found
        assert ("HF0161", "content/characters/prn.yaml") in found
    # an id that only starts like one is fine
    (world / "content/heroes/com3.yaml").rename(world / "content/heroes/com3-1.yaml")
    (world / "content/characters/prn.yaml").rename(world / "content/characters/console.yaml")
    assert foundry("check", "--project", str(world)).code == 0


def test_a_too_long_hero_id_is_named_as_such(world):
    # it was looked up as a character first: 'File name too long' about content/characters/
    run = foundry("new", "hero", "a" * 300, "--project", str(world))
    assert run.code == 2 and "is not a valid hero id" in run.stderr
    assert "characters" not in run.stderr
    # a slug too long is told so, not to use the lowercase letters it is written in
    assert "use at most 64 letters" in run.stderr and "use lowercase" not in run.stderr
    # a name too long for an id is told an id that fits, whole (it was clipped at 60 with
    # an ellipsis, which cannot be typed, from a slug past 64, which is refused too)
    run = foundry("new", "hero", "Zed " * 20, "--project", str(world))
    assert run.code == 2 and "Write it as `" + ("zed-" * 16)[:-1] + "`." in run.stderr, run.stderr


def test_a_file_name_too_long_for_an_id_is_told_an_id_that_fits(world):
    """HF0113's hint named the file name it refused (a 70-letter name: 'Rename it to'
    the same 70 letters), the message not saying what was wrong with it."""
    hero = (world / "content/heroes").iterdir().__next__().read_text()
    (world / "content/heroes" / ("Zed-" * 20 + "x.yaml")).write_text(hero)
    (world / "content/heroes" / ("z" * 70 + ".yaml")).write_text(hero)
    found = foundry("check", "--project", str(world), "--format", "json").json()["diagnostics"]
    hints = sorted(d["hint"] for d in found if d["code"] == "HF0113")
    assert hints == ["Rename it to '" + ("zed-" * 16)[:-1] + ".yaml'.", "Rename it to '" + "z" * 64 + ".yaml'."]
    assert all("at most 64" in d["message"] for d in found if d["code"] == "HF0113")


def test_a_name_spelt_as_a_windows_device_is_told_an_id_that_is_not_one(world):
    """`foundry new hero CON` was told 'Write it as `con`', and a file NUL.yaml 'Rename
    it to nul.yaml': both refused again (HF0161, a device name on Windows). The id a
    hint names passes the rule it is told to follow: `con-1`, `nul-1.yaml`."""
    run = foundry("new", "hero", "CON", "--project", str(world))
    assert run.code == 2 and "Write it as `con-1`: `con` is a device name on Windows" in run.stderr, run.stderr
    assert foundry("new", "hero", "con-1", "--project", str(world)).code == 0
    hero = (world / "content/heroes/first-hero.yaml").read_text()
    (world / "content/heroes/NUL.yaml").write_text(hero)
    found = foundry("check", "--project", str(world), "--format", "json").json()["diagnostics"]
    assert [d["hint"] for d in found if d["code"] == "HF0113"] == ["Rename it to 'nul-1.yaml'."], found


def test_an_id_written_as_a_name_is_told_the_id_meant(world):
    """A new writer types `foundry new hero Kestrel` (or "Old Guide", "Kéa"): told only
    "use lowercase letters, digits and hyphens", with no id to type instead, where a
    field's value not written as an id is told `Write it as ...`. Nothing is written."""
    # 'old-guide' is the character's id, which heroes share (attack30a): the next one free
    for typed, meant in (("Kestrel", "kestrel"), ("Old Guide", "old-guide-2"), ("Kéa", "kea"),
                         # letters with no accent to take off are spelled, not dropped ('strae', 'r')
                         ("Straße", "strasse"), ("Ærø", "aero")):
        run = foundry("new", "hero", typed, "--project", str(world))
        assert run.code == 2 and f"Write it as `{meant}`" in run.stderr, run.stderr
    # no id spells a name in another script: none is offered (was `hero` for '北斗 Hero')
    run = foundry("new", "hero", "北斗 Hero", "--project", str(world))
    assert run.code == 2 and "Write it as" not in run.stderr and "lowercase letters" in run.stderr, run.stderr
    assert sorted(p.name for p in (world / "content/heroes").iterdir()) == ["first-hero.yaml"]


def test_a_name_written_with_letters_past_ascii_is_told_them_spelled(world):
    """A story variable `Größe:` was told 'Write it as `gr_e`' (its letters past ASCII
    dropped); it is told `grosse`, as an id is told `strasse` for 'Straße'."""
    story = world / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert "  crossed: false" in text
    story.write_text(text.replace("  crossed: false", "  crossed: false\n  Größe: 3", 1), encoding="utf-8")
    run = foundry("check", "--project", str(world), "--format", "json")
    hints = [d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0204"]
    assert len(hints) == 1 and hints[0].startswith("Write it as `grosse`"), run.stdout


def test_a_name_or_title_too_long_for_check_is_refused_before_writing(world):
    # written as given, then check refused it (HF0204): new's files pass check as written
    run = foundry("new", "hero", "kit", "--name", "y" * 121, "--project", str(world))
    assert run.code == 2 and "a name has at most 120" in run.stderr, run.stderr
    run = foundry("new", "story", "long", "--title", "y" * 201, "--project", str(world))
    assert run.code == 2 and "a title has at most 200" in run.stderr, run.stderr
    assert not (world / "content/heroes/kit.yaml").exists() and not (world / "content/stories/long.md").exists()
    assert foundry("new", "story", "long", "--title", "y" * 200, "--project", str(world)).code == 0
    assert foundry("new", "hero", "kit", "--name", "y" * 120, "--project", str(world)).code == 0
    assert foundry("check", "--project", str(world)).code == 0


@pytest.mark.parametrize("kind, folder, suffix", [("hero", "heroes", "yaml"), ("story", "stories", "md")])
def test_an_id_that_names_a_page_foundry_makes_is_not_a_new_file(world, kind, folder, suffix):
    # the field case id-index-collision through `new`: it wrote content/heroes/index.yaml,
    # and the next check refused it (HF0720: site/heroes/index.html is the heroes' index)
    run = foundry("new", kind, "index", "--project", str(world))
    assert run.code == 2, run.stderr
    assert f"would write site/{folder}/index.html" in run.stderr and "choose another id" in run.stderr
    assert not (world / f"content/{folder}/index.{suffix}").exists()
    assert foundry("check", "--project", str(world)).code == 0


def test_an_id_refused_as_taken_is_told_one_that_is_free(world):
    """`new` refused an id a file has, a character's id (for a hero) and an id naming a
    page foundry makes with 'choose another id' and no id, where every other refusal of
    an id names one ids.spell_id finds free. Each is told one now, and the id told is
    written without a word, the project passing check."""
    (world / "content/heroes/index-2.yaml").write_text("name: Index Two\nxp: 0\n", encoding="utf-8")
    cases = [("hero", "first-hero", "first-hero-2"), ("story", "first-story", "first-story-2"),
             ("hero", "old-guide", "old-guide-2"), ("hero", "index", "index-3"), ("story", "index", "index-2")]
    for kind, taken, told in cases:
        run = foundry("new", kind, taken, "--project", str(world))
        assert run.code == 2 and f"e.g. '{told}'" in run.stderr, (taken, run.stderr)
        assert foundry("new", kind, told, "--project", str(world)).code == 0, told
    assert foundry("check", "--project", str(world)).code == 0


def test_new_files_pass_check_when_the_project_requires_line_ids(world):
    """With `[l10n] require_line_ids = true` an untagged paragraph is an error (HF1101):
    the hero's background prompts and the story template's paragraphs get their line ids
    as they are written, so the new files still pass `foundry check` as written."""
    import json
    (world / "foundry.toml").write_text((world / "foundry.toml").read_text() + "\n[l10n]\nrequire_line_ids = true\n")
    assert foundry("l10n", "tag", "--project", str(world)).code == 0       # the starter files, tagged once
    assert foundry("check", "--project", str(world)).code == 0
    assert foundry("new", "hero", "kestrel", "--template", "scout", "--project", str(world)).code == 0
    assert foundry("new", "story", "fog-road", "--template", "three-act", "--project", str(world)).code == 0
    check = foundry("check", "--format", "json", "--project", str(world))
    codes = [d["code"] for d in json.loads(check.stdout)["diagnostics"]]
    assert check.code == 0 and "HF1101" not in codes, codes
    hero = (world / "content/heroes/kestrel.yaml").read_text()
    assert re.search(r"Who taught you to move without a sound\? \^l-[0-9a-z]+\n", hero), hero
    assert foundry("l10n", "tag", "--project", str(world)).stdout == "Tagged 0 paragraph(s).\n"


def test_new_hero_checks_the_project_once_after_writing_and_still_tags_it(world, monkeypatch, capsys):
    """After writing the hero, `new hero` checked the whole project for an output its id
    names (HF0720), then checked it again, unchanged, to read whether it requires line
    ids before tagging the background prompts. One check with the file serves both now
    (the check before writing reads the templates), and the prompts are still tagged.
    Run in this process, to count the checks the command makes and when."""
    import pipeline.commands.line_ids as line_ids
    import pipeline.commands.new as new
    import pipeline.engine.builder as builder
    from pipeline import cli
    (world / "foundry.toml").write_text((world / "foundry.toml").read_text() + "\n[l10n]\nrequire_line_ids = true\n")
    hero = world / "content/heroes/kestrel.yaml"
    check, written = builder.check, []

    def counted(*args, **kwargs):
        written.append(hero.exists())
        return check(*args, **kwargs)
    for module in (builder, line_ids, new):          # each check, imported where it runs
        monkeypatch.setattr(module, "check", counted)
    with pytest.raises(SystemExit) as done:
        cli.cli.main(["new", "hero", "kestrel", "--template", "scout", "--project", str(world)], standalone_mode=False)
    assert done.value.code == 0, capsys.readouterr()
    assert written.count(True) == 1, written
    assert re.search(r"Who taught you to move without a sound\? \^l-[0-9a-z]+\n", hero.read_text())


def test_new_files_are_not_tagged_when_line_ids_are_not_required(world):
    assert foundry("new", "story", "fog-road", "--project", str(world)).code == 0
    assert "^l-" not in (world / "content/stories/fog-road.md").read_text()


def test_a_background_still_holding_the_new_heros_question_is_said_until_answered(world):
    """`foundry new hero` writes its template's prompt (or, with no template, "Who is
    Tam? …") as the background, for the writer to answer; never answered, check was
    clean and the hero's page published the question as her story. HF0186 (a warning)
    at the question's line; answered as the hint says, the project is clean again and
    the page shows the answer. A question the writer wrote is not said."""
    for args in (["kes", "--template", "scout"], ["tam"]):
        assert foundry("new", "hero", *args, "--project", str(world)).code == 0
    assert foundry("new", "character", "tomas", "--project", str(world)).code == 0
    said = foundry("check", "--format", "json", "--project", str(world)).json()["diagnostics"]
    found = {(d["code"], d["file"], d["line"], d["column"], d["severity"]) for d in said}
    kes = (world / "content/heroes/kes.yaml").read_text().splitlines()
    tam = (world / "content/heroes/tam.yaml").read_text().splitlines()
    tomas = (world / "content/characters/tomas.yaml").read_text().splitlines()
    tomas_asks = "Who is Tomas? What are they to the heroes, and what do they want?"
    assert found == {
        ("HF0186", "content/heroes/kes.yaml", kes.index("  Who taught you to move without a sound?") + 1, 3, "warning"),
        ("HF0186", "content/heroes/tam.yaml",
         tam.index("  Who is Tam? Where do they come from, and what do they want?") + 1, 3, "warning"),
        ("HF0186", "content/characters/tomas.yaml", tomas.index("  " + tomas_asks) + 1, 3, "warning"),
    }, said
    assert all("own words and delete the question" in d["hint"] for d in said), said
    # spaces aside: a question re-spaced by an editor is said at its own line (it was
    # said at `background: |`, the question's place not found as typed)
    tam_file = world / "content/heroes/tam.yaml"
    tam_text = tam_file.read_text()
    tam_file.write_text(tam_text.replace("Who is Tam? Where", "Who is Tam?   Where"))
    said = foundry("check", "--format", "json", "--project", str(world)).json()["diagnostics"]
    assert [(d["line"], d["column"]) for d in said if d["file"] == "content/heroes/tam.yaml"] == [
        (tam.index("  Who is Tam? Where do they come from, and what do they want?") + 1, 3)], said
    tam_file.write_text(tam_text)
    # answered (and a question of the writer's own beside the answer)
    for path, asked in (("heroes/kes.yaml", "Who taught you to move without a sound?"),
                        ("heroes/tam.yaml", "Who is Tam? Where do they come from, and what do they want?"),
                        ("characters/tomas.yaml", tomas_asks)):
        hero = world / "content" / path
        hero.write_text(hero.read_text().replace(asked, "An eel-catcher taught me. Who taught her?"))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and check.json()["diagnostics"] == [], check.stdout


def test_a_quest_objective_still_holding_the_new_quests_question_is_said_until_replaced(world):
    """`foundry new quest` writes its objective as a question for the writer, `text:
    "What must the hero do first?"`; never replaced, check said only HF0514 (nothing
    lists the quest) and the quest log published the question as the thing to do.
    HF0186 (a warning) at the text's own line and column; replaced as the hint says,
    it is not said. An objective of the writer's own that is a question is not said."""
    assert foundry("new", "quest", "drowned-bells", "--project", str(world)).code == 0
    quest = world / "content/quests/drowned-bells.yaml"
    lines = quest.read_text().splitlines()
    [row] = [n for n, line in enumerate(lines, 1) if "What must the hero do first?" in line]
    check = foundry("check", "--format", "json", "--project", str(world))
    said = [d for d in check.json()["diagnostics"] if d["code"] == "HF0186"]
    assert check.code == 0 and [(d["file"], d["line"], d["column"], d["severity"]) for d in said] == [
        ("content/quests/drowned-bells.yaml", row, lines[row - 1].index("What must") + 1, "warning")], check.stdout
    assert "first-step" in said[0]["message"] and "`text: \"Find the bell-ringer\"`" in said[0]["hint"], said
    # the hint followed, and a second objective of the writer's own that is a question
    quest.write_text(quest.read_text().replace('"What must the hero do first?"', '"Find the bell-ringer"')
                     .replace("rewards:", "  - {id: ask, text: \"Who rang the bells?\", done_when: drowned_bells_done}\n"
                              "rewards:"))
    check = foundry("check", "--format", "json", "--project", str(world))
    assert check.code == 0 and {d["code"] for d in check.json()["diagnostics"]} == {"HF0514"}, check.stdout
