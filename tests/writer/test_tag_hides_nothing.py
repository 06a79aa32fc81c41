"""A YAML tag hid every other problem of its file: a hero with `title: !fancy Scout`
was HF0108 alone, its misspelt skill and its unknown field said only once the tag was
gone. A tag whose removal (HF0108's hint) leaves the value of the type it names is now
read so, and the file's other problems are said in the same run; the build still
fails at the tag."""

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
        # `!!int '12'` without its tag is text: the type meant is not known, the file refused
        "HF0108 content/characters/old-guide.yaml:3:7",
    ]), run.stdout
    build = foundry("build", "--project", str(root))
    assert build.code == 1
