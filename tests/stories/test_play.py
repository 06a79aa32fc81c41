"""`foundry play`: scripted paths through the sample stories, as a player sees them."""

from __future__ import annotations

from support import foundry


def play(*args: str):
    return foundry("play", *args)


def test_scripted_path_reaches_the_flame_renewed():
    run = play("the-lost-lantern", "--choose", "1,1,1,1,1,1", "--json")
    assert run.code == 0, run.stderr
    t = run.json()
    assert t["hero"] == "ness" and t["error"] is None
    assert [s["scene"] for s in t["steps"]] == ["vigil", "gallery", "reeds", "cutter", "strongbox", "homeward",
                                                "flame-renewed"]
    assert t["ending"] == "flame-renewed"
    assert {v["id"]: v["value"] for v in t["variables"]} == {
        "coins": 3, "debt_settled": False, "has_lantern": True, "knows_crown": True, "lantern_returned": True}


def test_effects_change_what_is_offered():
    # Paying two coins at the offering leaves one: the boatman's bribe (coins >= 2) is gone.
    run = play("the-lost-lantern", "--choose", "2", "--json")
    step = run.json()["steps"][1]
    assert step["scene"] == "saltmarrow"
    assert [o["id"] for o in step["options"]] == ["saltmarrow--widow", "saltmarrow--reeds"]
    # Taking the causeway keeps three coins: the bribe is offered.
    run = play("the-lost-lantern", "--choose", "3", "--json")
    assert [o["id"] for o in run.json()["steps"][1]["options"]] == [
        "saltmarrow--widow", "saltmarrow--cutter", "saltmarrow--reeds"]


def test_text_transcript_shows_prose_numbered_choices_and_the_end():
    run = play("the-lost-lantern", "--choose", "3,1,1")
    assert run.code == 0, run.stderr
    assert "## The Cold Niche" in run.stdout
    assert "  3. Hurry down the causeway to Saltmarrow before the tide turns" in run.stdout
    assert "> 3. Hurry down the causeway" in run.stdout
    assert run.stdout.rstrip().endswith("(stopped before an ending)")


def test_impossible_choice_is_a_clear_error():
    run = play("the-lost-lantern", "--choose", "1,9")
    assert run.code == 1
    assert "HF0517" in run.stderr
    # which numbers can be chosen, not a bare count that reads like another choice number
    assert "step 2: there is no choice 9 in scene 'gallery'; choices 1 to 2 can be taken there" in run.stderr
    assert "Traceback" not in run.stderr
    # at the heading of the scene where it stopped, not the story's file alone (no line),
    # with what to change in the argument
    assert "content/stories/the-lost-lantern.md:36:1: error HF0517" in run.stderr, run.stderr
    assert "## The Lamp Gallery {#gallery}" in run.stderr
    assert "the script was `--choose 1,9`" in run.stderr


def test_a_script_longer_than_the_story_is_an_error_not_a_pass():
    """`--choose 1,1,1,1,1,1,2,3` on a story that ends after six choices printed the
    ending and exited 0: the last two steps were never taken, so a CI script went on
    passing after an edit made the story end sooner than the path it tests."""
    run = play("the-lost-lantern", "--choose", "1,1,1,1,1,1,2,3", "--json")
    assert run.code == 1, run.stderr
    assert run.json()["ending"] == "flame-renewed"
    assert ("step 7: the story ended in scene 'flame-renewed' after 6 choices; the script's 2 steps after "
            "that (2,3) were never taken") in run.stderr
    assert "content/stories/the-lost-lantern.md:173:1: error HF0517" in run.stderr, run.stderr
    assert "The story ends at this scene: drop the steps after it" in run.stderr
    assert run.json()["error"] is not None


def test_another_hero_sees_other_choices():
    # The reed channels need wits >= 12: check who can follow the oil sheen.
    ness = play("the-lost-lantern", "--choose", "1", "--json").json()["steps"][1]
    kit = play("the-lost-lantern", "--hero", "kit", "--choose", "1", "--json").json()["steps"][1]
    ness_ids = [o["id"] for o in ness["options"]]
    kit_ids = [o["id"] for o in kit["options"]]
    assert ness_ids != kit_ids
    assert "gallery--saltmarrow" in kit_ids


def test_unknown_story_and_hero_are_usage_errors():
    run = play("the-lost-lanter")
    assert run.code == 2 and "Did you mean 'the-lost-lantern'?" in run.stderr
    # named as the usage line and --help name it (it said STORY, an argument no help shows)
    assert "Usage: foundry play [OPTIONS] STORY_ID" in run.stderr and "Invalid value for STORY_ID:" in run.stderr
    assert "Play STORY_ID:" in play("--help").stdout
    run = play("the-lost-lantern", "--hero", "nes")
    assert run.code == 2 and "Did you mean 'ness'?" in run.stderr


def test_interactive_play_reads_numbers_from_the_player():
    run = foundry("play", "the-lost-lantern", input="3\n1\n1\n1\n")
    assert run.code == 0, run.stderr
    assert run.stdout.rstrip().endswith("THE END (inland)")
    assert run.stderr.count("Choose:") == 4


def test_play_stopped_early_says_so():
    run = foundry("play", "the-lost-lantern", input="3\n")
    assert run.code == 0
    assert run.stdout.rstrip().endswith("(stopped before an ending)")


def test_odd_answers_are_asked_again_not_a_crash():
    # '²' is a digit to str.isdigit but not to int(); 5,000 nines pass isdigit and
    # exceed int()'s digit limit: both were 'internal error (ValueError)'.
    # All four in one game: each is said and asked again, then 3,1,1,1 plays to the end.
    odds = ("²", "9" * 5000, "1_0", "+1")
    run = foundry("play", "the-lost-lantern", input="".join(f"{odd}\n" for odd in odds) + "3\n1\n1\n1\n")
    assert run.code == 0, run.stderr
    assert "internal error" not in run.stderr
    said = [line.split("Choose: ")[-1] for line in run.stderr.splitlines() if "is not a choice here" in line]
    assert len(said) == len(odds) and all(line.startswith(f"'{odd[:20]}'") for line, odd in zip(said, odds)), said
    assert run.stdout.rstrip().endswith("THE END (inland)")


def test_odd_scripted_numbers_are_a_usage_error():
    for odd in ("²", "1_0", "3,+1"):
        run = play("the-lost-lantern", "--choose", odd)
        assert run.code == 2, (odd, run.stderr)
        assert "give option numbers separated by commas" in run.stderr
    # a number too long to be an option's is said as such, not as a missing comma
    for huge in ("9" * 5000, "2,99999999999999999999999"):
        run = play("the-lost-lantern", "--choose", huge)
        assert run.code == 2, (huge, run.stderr)
        assert "too large to be an option number" in run.stderr and "separated by commas" not in run.stderr, run.stderr
    # a digit from another script is still a number
    assert play("the-lost-lantern", "--choose", "٣,١,١,١", "--json").json()["ending"] == "inland"


def test_an_empty_or_malformed_item_of_a_list_option_is_a_usage_error_naming_it(project_factory):
    """`--choose 1,,2` played as `1,2` (the empty item dropped without a word), `1,2,`
    as `1,2`, `--choose ""` as no script at all and `1 2` as 12; `build --only html,,json`
    built html and json, `serve --with ""` served without the outputs a shell variable
    was to name. Each list-valued option refuses it, naming the item, before any load."""
    for odd, said in (("1,,2", "'1,,2' has an empty item 2 of 3"), ("3,1,", "'3,1,' has an empty item 3 of 3"),
                      (",3", "',3' has an empty item 1 of 2"), ("", "'' is empty"),
                      ("1 2", "'1 2' is not an option number")):
        run = play("the-lost-lantern", "--choose", odd)
        assert run.code == 2 and "--choose" in run.stderr and said in run.stderr, (odd, run.stderr)
        assert "THE END" not in run.stdout and "(stopped" not in run.stdout
    assert play("the-lost-lantern", "--choose", "3, 1, 1, 1", "--json").json()["ending"] == "inland"
    root = project_factory()
    run = foundry("build", "--project", str(root), "--only", "html,,json")
    assert run.code == 2 and "--only" in run.stderr and "'html,,json' has an empty item 2 of 3" in run.stderr
    assert not (root / "build").exists()
    run = foundry("serve", "--project", str(root), "--with", "", "--port", "0")
    assert run.code == 2 and "--with" in run.stderr and "names no output" in run.stderr, run.stderr
    run = foundry("l10n", "status", "--project", str(root), "--language", "")
    assert run.code == 2 and "--language" in run.stderr and "empty" in run.stderr, run.stderr


def test_play_with_no_standard_input_stops_as_at_its_end(project_factory):
    """`foundry play first-story <&-` (a service or a script started without stdin):
    Python's input() raised RuntimeError 'lost sys.stdin', an internal error to the
    player. It stops before an ending, as at the end of input, and says `--choose`."""
    import os
    import subprocess
    import sys

    from support import REPO
    root = project_factory()
    run = subprocess.run([sys.executable, "-m", "pipeline", "play", "first-story", "--project", str(root)],
                         cwd=REPO, capture_output=True, text=True, timeout=600, preexec_fn=lambda: os.close(0),
                         env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)})
    assert run.returncode == 0 and "internal error" not in run.stderr, run.stderr
    assert "1. Pay the guide" in run.stdout and "(stopped before an ending)" in run.stdout
    assert "`--choose 2,1,3`" in run.stderr


def test_a_condition_or_effect_that_cannot_be_computed_for_the_hero_stops_play_at_it(story_project):
    """check explores a story for the heroes it names (aria here); `--hero bram`, whose
    agility 9 makes `agility - 9` zero, is explored by no one. His condition that
    divided by zero was taken as false without a word ("dead end in scene 'road'",
    HF0517 at the heading), and his effect that did changed nothing: the ending was
    reached with exit 0, `coins` still 2. Now each stops the playthrough with the
    error (HF0605) at the condition or the effect, as check says it for a named hero."""
    story = """---
title: S
start: road
protagonist: aria
variables: {coins: 2}
---

## Road {#road}

Text.

- [Divide](#end){if="10 / (agility - 9) > 0"}
- [Pay](#end){id="pay" do="coins = 100 // (agility - 9)"}

## End {#end .ending}

Done.
"""
    root = story_project({"content/stories/s.md": story})
    assert foundry("check", "--project", str(root)).code == 0
    run = play("s", "--hero", "bram", "--choose", "1", "--json", "--project", str(root))
    assert run.code == 1 and [o["id"] for o in run.json()["steps"][0]["options"]] == ["pay"], run.stderr
    assert "error HF0605 step 1: the condition `10 / (agility - 9) > 0` of choice 'road--end' cannot be " \
           "computed in scene 'road' (playing as bram): division by zero" in run.stderr
    assert "content/stories/s.md:12:22:" in run.stderr, run.stderr
    story = story.replace('{if="10 / (agility - 9) > 0"}', "")
    (root / "content/stories/s.md").write_text(story)
    run = play("s", "--hero", "bram", "--choose", "2", "--json", "--project", str(root))
    t = run.json()
    assert run.code == 1 and t["ending"] is None and t["variables"] == [{"id": "coins", "value": 2}], run.stdout
    assert "content/stories/s.md:13:28: error HF0605 step 1: the effect `coins = 100 // (agility - 9)` of " \
           "choice 'pay' cannot be computed in scene 'road' (playing as bram): division by zero" in run.stderr


def test_a_whole_result_of_decimal_arithmetic_is_shown_whole_as_the_engines_show_it(story_project):
    """`coins = coins / 4 * 4` (10 / 4 is 2.5, times 4) left `coins` 10.0: `foundry play
    --json` printed `"value": 10.0` and the analysis said "when coins = 10.0", while the
    ink and Twee exports, the site's player and every engine (JavaScript has one kind of
    number, ink prints 10) show 10 for a variable that starts whole. A result that is a
    whole number is now one everywhere (expr/evaluate.py `_checked`)."""
    root = story_project({"content/stories/s.md": """---
title: S
start: road
protagonist: aria
variables: {coins: 10, half: 0}
---

## Road {#road}

Text.

- [Count](#stuck){do="coins = coins / 4 * 4; half = 1.5 * 3 - 0.5"}

## Stuck {#stuck}

No way on.

- [Never](#end){if="coins > 10"}
- [On](#end){id="on"}

## End {#end .ending}

Done.
"""})
    run = play("s", "--choose", "1", "--json", "--project", str(root))
    assert '"value": 10.0' not in run.stdout and '"value": 4.0' not in run.stdout, run.stdout
    assert run.json()["variables"] == [{"id": "coins", "value": 10}, {"id": "half", "value": 4}]
    story = root / "content/stories/s.md"
    story.write_text(story.read_text().replace('- [On](#end){id="on"}\n', ""))
    check = foundry("check", "--project", str(root))
    assert "dead end: no choice can be taken in scene 'stuck' (playing as aria) when coins = 10, half = 4" \
        in check.stderr, check.stderr
