"""A story variable whose starting value is a number or true/false in quotes
(`coins: "2"`, `crossed: "false"`) is text to YAML: every use was HF0603 "'coins' is
text" with the hint "combine numbers with numbers" (the writer had), and a quest's
`done_when: crossed` was told "name a true/false variable: `crossed`" (what it names).
The fix is at the declaration: each hint names its line and the value without quotes,
which, followed, leaves the project clean."""

from __future__ import annotations

from support import ROOTS, foundry

STORY = (ROOTS / "minimal/content/stories/first-story.md").read_text()
QUEST = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text()
OBJECTIVES = QUEST.replace("done_when: crossed}", "done_when: crossed}\n  - {id: pay, text: Keep coins, done_when: coins >= 1}")
QUOTED = STORY.replace("  crossed: false\n  coins: 2\n", "  crossed: \"false\"\n  coins: '2'\n")


def test_a_quoted_starting_value_is_named_at_its_declaration(project_factory):
    assert QUOTED != STORY
    assert OBJECTIVES != QUEST
    root = project_factory({"content/stories/first-story.md": QUOTED, "content/quests/first-quest.yaml": OBJECTIVES})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = sorted((d["file"], d["line"], d["column"], d["hint"]) for d in run.json()["diagnostics"])
    coins = "'coins' starts as the text \"2\" (in quotes, line 11): write `coins: 2` under `variables:`, " \
            "without quotes, to make it a number."
    crossed = "'crossed' starts as the text \"false\" (in quotes, {}): write `crossed: false` under " \
              "`variables:`, without quotes, to make it true or false."
    assert said == [("content/quests/first-quest.yaml", 8, 54, crossed.format("content/stories/first-story.md:10")),
                    ("content/quests/first-quest.yaml", 9, 44,
                     coins.replace("line 11", "content/stories/first-story.md:11")),
                    ("content/stories/first-story.md", 18, 56, coins), ("content/stories/first-story.md", 18, 72, coins),
                    ("content/stories/first-story.md", 26, 39, crossed.format("line 10")),
                    ("content/stories/first-story.md", 32, 44, crossed.format("line 10"))], run.stdout
    # the hint followed literally
    (root / "content/stories/first-story.md").write_text(
        QUOTED.replace("coins: '2'", "coins: 2").replace('crossed: "false"', "crossed: false"))
    again = foundry("check", "--format", "json", "--project", str(root))
    assert again.code == 0 and again.json()["errors"] == 0, again.stdout


def test_a_yaml_1_1_word_as_a_starting_value_is_named_at_its_declaration(project_factory):
    """`crossed: no` (YAML 1.1's false, text to YAML 1.2) is HF0519 at the value; each use
    was HF0603 "combine … true/false with true/false", and the quest's `done_when:
    crossed` "name a true/false variable: `crossed`" (the name it already names). Each
    hint names the declaration and the word to write; followed, the project is clean."""
    story = STORY.replace("  crossed: false\n", "  crossed: no\n")
    assert story != STORY
    root = project_factory({"content/stories/first-story.md": story})
    run = foundry("check", "--format", "json", "--project", str(root))
    said = sorted((d["code"], d["file"], d["line"], d["hint"]) for d in run.json()["diagnostics"])
    hint = "'crossed' starts as the text 'no' ({}: YAML 1.2 reads `no` as text): write `crossed: false` under " \
           "`variables:` to make it true or false."
    assert said == [("HF0519", "content/stories/first-story.md", 10,
                     "Write `crossed: false` if it is true or false (YAML 1.2 reads `no` as text), or `crossed: \"no\"` "
                     "to keep the text."),
                    ("HF0603", "content/quests/first-quest.yaml", 8, hint.format("content/stories/first-story.md:10")),
                    ("HF0603", "content/stories/first-story.md", 26, hint.format("line 10")),
                    ("HF0603", "content/stories/first-story.md", 32, hint.format("line 10"))], run.stdout
    (root / "content/stories/first-story.md").write_text(STORY)   # the hint followed: `crossed: false`
    again = foundry("check", "--format", "json", "--project", str(root))
    assert again.code == 0 and again.json()["diagnostics"] == [], again.stdout
    # asked for in quotes, the text is the writer's: the uses are told as before
    (root / "content/stories/first-story.md").write_text(STORY.replace("  crossed: false\n", "  crossed: 'no'\n"))
    quoted = foundry("check", "--format", "json", "--project", str(root))
    assert not any("YAML 1.2" in d.get("hint", "") for d in quoted.json()["diagnostics"]), quoted.stdout


def test_an_objective_naming_a_text_variable_is_told_to_compare_it(project_factory):
    """`done_when: crossed` of `crossed: 'no'` (text asked for in quotes) was told
    "Compare it: `coins >= 3`, or name a true/false variable: `crossed`": the name it
    names. The hint compares it with its starting text; followed, the quest is clean."""
    story = STORY.replace("  crossed: false\n", "  crossed: 'no'\n")
    root = project_factory({"content/stories/first-story.md": story})
    run = foundry("check", "--format", "json", "--project", str(root))
    [objective] = [d for d in run.json()["diagnostics"] if d["file"] == "content/quests/first-quest.yaml"]
    assert "`crossed == 'no'`" in objective["hint"] and "variable: `crossed`" not in objective["hint"], objective
    quest = (root / "content/quests/first-quest.yaml").read_text(encoding="utf-8")
    assert "done_when: crossed}" in quest
    (root / "content/quests/first-quest.yaml").write_text(
        quest.replace("done_when: crossed}", "done_when: \"crossed == 'no'\"}"), encoding="utf-8")
    again = foundry("check", "--format", "json", "--project", str(root))
    assert [d for d in again.json()["diagnostics"] if d["file"] == "content/quests/first-quest.yaml"] == [], again.stdout
