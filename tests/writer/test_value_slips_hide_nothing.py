"""A YAML tag or a value over the length limit hid every other problem of its file: a
hero with `title: !fancy Scout` was HF0108 alone, one with a pasted chapter as its
background HF0112 alone, its misspelt skill and its unknown field said only once that
was fixed. A tag whose removal (HF0108's hint) leaves the value of the type it names is
now read so, a text over the limit is kept cut at it, and the file's other problems
are said in the same run; the build still fails at the tag or the length."""

from __future__ import annotations

from support import diagnostics, foundry


def test_a_tag_is_said_with_every_other_problem_of_its_file(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    lines = text.split("\n")
    title = lines.index("title: Scout of the Marsh Road") + 1
    skills = lines.index("skills: [ambush]") + 1
    xp = lines.index("xp: 120") + 1
    hero.write_text(text.replace("title: Scout", "title: !fancy Scout").replace("skills: [ambush]", "skills: [ambsh]")
                    .replace("xp: 120", "xp: !!int 120\nlevl: 2"), encoding="utf-8")
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("role: Mentor", "role: !!int '12'\nnmae: x"),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert sorted(diagnostics(run)) == sorted([
        f"HF0108 content/heroes/first-hero.yaml:{title}:8",
        f"HF0308 content/heroes/first-hero.yaml:{skills}:10",
        f"HF0108 content/heroes/first-hero.yaml:{xp}:5",
        f"HF0202 content/heroes/first-hero.yaml:{xp + 1}:1",
        # `!!int '12'` is read as the tag reads it (12): the character's other problems are
        # said (they were hidden), the number in a text field at the value, not at the tag
        "HF0108 content/characters/old-guide.yaml:3:7",
        "HF0201 content/characters/old-guide.yaml:3:14",
        "HF0202 content/characters/old-guide.yaml:4:1",
    ]), run.stdout
    build = foundry("build", "--project", str(root))
    assert build.code == 1


def test_a_value_over_the_limit_is_said_with_every_other_problem_of_its_file(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    lines = text.split("\n")
    skills = lines.index("skills: [ambush]") + 1
    background = lines.index("background: |") + 1
    chapter = "  " + "The fog decides who arrives. " * 2_300 + "\n"   # 66,700 characters
    hero.write_text(text.replace("skills: [ambush]", "skills: [ambsh]").split("background: |")[0]
                    + "background: |\n" + chapter + "levl: 2\n", encoding="utf-8")
    # a number that long is not cut (a number cut is another number): its file stays refused
    guide = root / "content/characters/old-guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8") + "age: " + "9" * 70_000 + "\nnmae: x\n", encoding="utf-8")
    # cut at the limit, the ZWJ of an emoji family (👨‍👩) was left last: "U+200D is not
    # allowed in prose" for a joiner the writer wrote rightly; the cut keeps it whole
    quest = root / "content/quests/first-quest.yaml"
    text = quest.read_text(encoding="utf-8")
    summary = next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("summary:"))
    long = "a" * 65_533 + " \U0001F468\u200d\U0001F469 at the fog's edge"   # the limit after the ZWJ
    quest.write_text("\n".join(f'summary: "{long}"' if n == summary else line
                               for n, line in enumerate(text.split("\n"), 1)), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    found = sorted(diagnostics(run))
    assert found == sorted([
        f"HF0112 content/quests/first-quest.yaml:{summary}:10",
        f"HF0204 content/quests/first-quest.yaml:{summary}:11",   # and over a summary's 5,000
        f"HF0112 content/heroes/first-hero.yaml:{background}:13",
        f"HF0308 content/heroes/first-hero.yaml:{skills}:10",
        f"HF0202 content/heroes/first-hero.yaml:{background + 2}:1",
        f"HF0112 content/characters/old-guide.yaml:{len(guide.read_text(encoding='utf-8').split(chr(10))) - 2}:6",
    ]), run.stdout
