"""What a new writer reads: the message and hint of each mistake in the issue's table,
run through the real `foundry check` on the tests/roots/invalid-* projects made for
them (their exact locations are in each root's expected.txt)."""

from __future__ import annotations

import json
import re

import pytest
from lxml import html as lxml_html

from support import ROOTS, diagnostics, foundry


def check(root: str) -> dict[str, list[dict]]:
    run = foundry("check", "--project", str(ROOTS / root), "--format", "json")
    assert run.code == 1, run.stderr
    by_place: dict[str, list[dict]] = {}
    for d in run.json()["diagnostics"]:
        by_place.setdefault(f"{d['file']}:{d['line']}:{d['column']}", []).append(d)
    return by_place


def only(found: dict, place: str, code: str) -> dict:
    [diag] = [d for d in found[place] if d["code"] == code]
    return diag


@pytest.fixture(scope="module")
def hints():
    return check("invalid-writer-hints")


def test_undeclared_variable_says_where_to_declare_it():
    found = check("invalid-every-problem-at-once")
    diag = only(found, "content/stories/fog-road.md:13:33", "HF0602")
    assert "add `gold: 0` under `variables:`" in diag["hint"]
    assert "front matter" in diag["hint"]


def test_a_misspelt_front_matter_field_hides_no_other_problem():
    found = check("invalid-every-problem-at-once")
    codes = {d["code"] for place, ds in found.items() if place.startswith("content/stories/") for d in ds}
    # the typo, and everything else in the same story: an effect, a scene reference, a near-miss
    assert codes == {"HF0202", "HF0602", "HF0304", "HF0523"}
    hero = {d["code"] for place, ds in found.items() if place.startswith("content/heroes/second") for d in ds}
    assert {"HF0202", "HF0404", "HF0308"} <= hero
    assert "HF0203" not in hero   # `nmae:` is the name misspelt, not a name left out


def test_story_with_only_front_matter_has_no_scenes_yet(hints):
    diag = only(hints, "content/stories/blank-page.md:5:1", "HF0532")
    assert diag["message"] == "this story has no scenes yet"
    assert "{#begin}" in diag["hint"]  # the start scene the front matter already names
    assert not any(d["code"] == "HF0304" for ds in hints.values() for d in ds if d["file"].endswith("blank-page.md"))


def test_a_misspelt_value_gets_the_word_it_was_meant_to_be(hints):
    # "must be 'draft', 'review' or 'published'" came with no hint: the fix is the near word
    diag = only(hints, "content/characters/old-guide.yaml:4:9", "HF0204")
    assert diag["hint"].startswith("Did you mean 'published'?"), diag


def test_foundry_toml_slips_get_the_fix():
    # the language pattern was shown as a regular expression and a wrong output had no near-miss
    found = check("invalid-config")
    assert only(found, "foundry.toml:3:12", "HF0205")["hint"].startswith('Write "en-GB"')
    assert "regular" not in only(found, "foundry.toml:3:12", "HF0205")["message"]
    assert "[a-z]" not in only(found, "foundry.toml:3:12", "HF0205")["message"]
    assert only(found, "foundry.toml:6:20", "HF0205")["hint"] == "Did you mean 'html'?"


def test_dashes_under_prose_explain_setext_headings(hints):
    diag = only(hints, "content/stories/the-crossing.md:13:1", "HF0521")
    assert "heading" in diag["message"]
    assert "blank line above `---`" in diag["hint"]
    assert "thematic break" in diag["hint"]
    # the line above stays prose: no scene without an id, no dead end after it
    codes = [d["code"] for ds in hints.values() for d in ds if d["file"].endswith("the-crossing.md")]
    assert "HF0502" not in codes and "HF0506" not in codes


def test_objective_waiting_on_an_unreachable_scene_names_it(hints):
    diag = only(hints, "content/quests/cross-the-river.yaml:4:51", "HF0514")
    assert "only scene 'ferry'" in diag["message"] and "never be reached" in diag["message"]
    assert "Did you mean" not in diag["hint"]


@pytest.mark.parametrize("place, words", [
    ("content/characters/ferryman.yaml:3:3", ["line 3", "indented 2 spaces", "line 2", "role"]),
    ("content/heroes/second-hero.yaml:4:3", ["line 4", "list items", "line 3", "skills:"]),
    ("content/characters/reeve.yaml:4:2", ["line 4", "indented 1 space", "0 spaces or 2 spaces"]),
    ("content/characters/smith.yaml:4:3", ["line 4", "`-anvil`"]),
    ("content/heroes/third-hero.yaml:3:1", ["tab", "line 3"]),
    ("content/characters/boatwright.yaml:1:7", ["never closed", "line 1"]),
    ("content/characters/miller.yaml:2:14", ["second `: `"]),
    ("content/characters/cooper.yaml:2:1", ["line 2", "space after the `:`", "`role: cooper`"]),
    ("content/characters/weaver.yaml:3:3", ["line 3", "space after the `:`", "`wits: 12`"]),
])
def test_yaml_syntax_errors_in_a_writers_words(place, words):
    diag = only(yaml_words(), place, "HF0101")
    text = diag["message"] + " " + diag["hint"]
    for word in words:
        assert word in text, (word, text)
    for libyaml in ("expected '-' indicator", "mapping values are not allowed", "could not find expected"):
        assert libyaml not in text


def test_a_flow_mapping_key_without_its_space_is_one_slip_at_the_key():
    """`{wits:12}` is valid YAML (a key `wits:12` with no value): it was two errors, the
    key's pattern and 'should be a whole number, not nothing', at the closing brace."""
    diag = only(yaml_words(), "content/characters/glazier.yaml:2:14", "HF0201")
    assert "space after the `:` of `wits`" in diag["message"] and "`wits: 12`" in diag["hint"]


def test_a_character_yaml_cannot_read_is_named_at_its_own_column():
    """libyaml refuses the whole file and places the character in UTF-8 bytes (the line
    before it holds Æ and ø): the writer gets the character's name at its column in
    characters, not the reader's "\\n  in "<unicode string>"" at 1:1."""
    diag = only(yaml_words(), "content/characters/tinker.yaml:2:15", "HF0131")
    assert diag["message"].startswith("U+0001 ") and "control character" in diag["message"]
    assert "unicode string" not in diag["message"] and "\\n" not in diag["message"]
    assert "Delete it" in diag["hint"]


_YAML: dict = {}


def yaml_words() -> dict:
    if not _YAML:
        _YAML.update(check("invalid-yaml-writer-words"))
    return _YAML


def test_heading_near_misses_say_how_to_write_the_heading():
    found = check("invalid-heading-near-misses")
    assert "`##`, not `###`" in only(found, "content/stories/near-headings.md:20:1", "HF0520")["message"]
    assert "`## The Hall {#hall}`" in only(found, "content/stories/near-headings.md:20:1", "HF0520")["hint"]
    assert "{#well}" in only(found, "content/stories/near-headings.md:32:14", "HF0522")["hint"]
    assert "{#road}" in only(found, "content/stories/near-headings.md:38:14", "HF0522")["hint"]
    assert ".ending" in only(found, "content/stories/near-headings.md:57:16", "HF0522")["hint"]
    assert "`## The Keep at night {#keep}`" in only(found, "content/stories/near-headings.md:65:21", "HF0522")["hint"]
    assert "`## The Loft {#loft}`" in only(found, "content/stories/near-headings.md:72:13", "HF0522")["hint"]
    # read as meant: no scene is unknown, unreachable or a dead end because of a slip
    codes = {d["code"] for ds in found.values() for d in ds}
    assert codes.isdisjoint({"HF0304", "HF0504", "HF0506", "HF0508", "HF0511"})


def test_choice_near_misses_give_the_fix():
    found = check("invalid-choice-near-misses")
    assert "touch" in only(found, "content/stories/near-choices.md:14:21", "HF0523")["message"]
    assert "straight double quotes" in only(found, "content/stories/near-choices.md:15:35", "HF0524")["hint"]
    # each fix in the writer's own words: their attributes, mended
    assert '`{do="set found_rope" id="care"}`' in only(found, "content/stories/near-choices.md:15:35", "HF0524")["hint"]
    assert '`{do="set found_rope" id="dusk"}`' in only(found, "content/stories/near-choices.md:17:29", "HF0525")["hint"]
    assert "(#belfry)" in only(found, "content/stories/near-choices.md:20:10", "HF0527")["hint"]
    assert "Did you mean 'if'?" in only(found, "content/stories/near-choices.md:21:18", "HF0503")["hint"]


def test_a_misspelt_rule_field_hides_nothing_and_drops_no_rule():
    found = check("invalid-rules-one-bad-field")
    codes = sorted(d["code"] for ds in found.values() for d in ds)
    # the typo, and the hero's real problems measured against the rest of that rule;
    # no "unknown attribute 'agility'" because one field of it was misspelt
    assert codes == ["HF0202", "HF0404", "HF0405"]


def test_a_scene_reached_only_from_unreachable_scenes_names_them(project_factory):
    # "no choice leads here" was said of a scene that choices do lead to (from a scene
    # no one reaches): the writer looked for a missing link that was there.
    root = project_factory({"content/stories/first-story.md": """
        ---
        title: The Fog Road
        start: road
        protagonist: first-hero
        ---

        ## The Fog Road {#road}

        - [Home](#home)

        ## Lost {#lost}

        - [The bank](#bank)

        ## Home {#home .ending}

        Home.

        ## The Far Bank {#bank .ending}

        Dry ground.
        """})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {f"{d['code']} {d['file']}:{d['line']}": d["message"] for d in run.json()["diagnostics"]}
    assert found["HF0504 content/stories/first-story.md:11"] == "scene 'lost' can never be reached: no choice leads here"
    assert found["HF0509 content/stories/first-story.md:19"] == \
        "ending 'bank' can never be reached: only scene 'lost' leads here, and it cannot be reached either"


def test_a_scene_link_without_its_hash_is_one_slip_not_two(project_factory):
    """`[Climb](belfry)` where `belfry` is a scene: the writer is told the link misses
    its `#` (HF0527), and not also, at the same place, that site/stories/belfry does
    not exist (HF0721). A link to a page that is not a scene still gets HF0721."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\n"
             "You see the [Climb](belfry) here, and [the map](maps.html).\n\n- [Up](#belfry)\n\n"
             "## Belfry {#belfry .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in diagnostics(run) if "tower.md" in d]
    assert found == ["HF0527 content/stories/tower.md:8:21", "HF0721 content/stories/tower.md:8:49"], found


def test_a_link_inside_a_choices_words_is_named_at_the_link(project_factory):
    """`- [Go to <https://example.org> now](#end)` (an autolink) and `- [See [the map](…)](#end)`
    are no choices: each is HF0528 at the inner link, naming it, with a hint that does not
    ask for what was written. They said 'a list item that holds more than the link' (hint:
    write `- [Text](#end)`) and 'this looks like a choice' without a word of the link."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\nThe gate.\n\n"
             "- [Go to <https://example.org> now](#end)\n- [See [the map](https://x.org) here](#end){id=\"b\"}\n"
             "- [the map](https://x.org) then [go](#end)\n- [Wait](#end){id=\"c\"}\n"
             # written otherwise than markdown-it names it: said at the link, not at column 1
             "- [Go [here](<a b>) now](#end){id=\"d\"}\n- [Go <mailto:a@b.c> now](#end){id=\"e\"}\n"
             "- [Go [x](caf&eacute;.html) now](#end){id=\"f\"}\n"
             "\n## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["file"].endswith("tower.md")]
    assert [(d["code"], d["line"], d["column"]) for d in found] == [("HF0528", 10, 10), ("HF0528", 11, 8),
                                                                    ("HF0528", 12, 33), ("HF0528", 14, 7),
                                                                    ("HF0528", 15, 7), ("HF0528", 16, 7)], found
    assert "'https://example.org' inside a choice's words" in found[0]["message"]
    assert "'https://x.org' inside a choice's words" in found[1]["message"]
    assert all("holds no other link" in d["hint"] for d in found[:2]), found
    # two links side by side are no link inside another: said as before
    assert "inside a list item that holds more than the link" in found[2]["message"], found


def test_a_refused_link_in_a_choices_words_is_one_warning_at_its_address(project_factory):
    """`- [Wait [here](<htps://x>) more](#end)`: prose refuses the address, so the link is
    shown as typed in the choice (HF0124). Its angle brackets sent the words to the title
    check too, which said HF0123 "dropped: only its words are shown" beside it: two
    findings, one untrue, for one slip. A choice wrapped over lines said nothing of such
    a link at all: its end was taken to be that link's `](`, on the first line. A code
    span's `](#x)` was taken for the end too (the target said at `#x`, a later line's
    link not looked at), and a code span's `[q](c d)` said to be a link shown as typed."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\nThe gate.\n\n"
             "- [Wait [here](<htps://x>) more](#end)\n"
             "- [Or <i> [this](javascript:y) way](#end){id=\"b\"}\n"
             "- [Go [there](<data:x,y>) and on\n  <b> [past](<javascript:z>) it](#end){id=\"c\"}\n"
             "- [Or [so](htps://x) and\n  [so](ftp://x)](#end){id=\"d\"}\n"
             # code is text: its `](#` is not the choice's end, its `[q](c d)` no link
             "- [Type `](#x)` and `[q](c d)`](#ned){id=\"e\"}\n"
             "- [Type `](#x)` and\n  [so](a b) on](#end){id=\"f\"}\n"
             "- [Type\n  `](#y)` and [so](e f)\n  on](#end){id=\"g\"}\n"
             # a link's words or its address wrapped too
             "- [Go [the\n  map](a b) on](#end){id=\"h\"}\n- [Go [map](my\n  file.png) on](#end){id=\"i\"}\n"
             # one link, one slip (its scheme, not also its space); 25 of them: 20, then the rest
             "- [Go [x](htps://a b)](#end){id=\"j\"}\n- [Go" + " [x](a b)" * 25 + "](#end){id=\"k\"}\n"
             # an escaped `\](#x)`, an image's `](#x)`, a `[x](#a b)` shown as typed: not its end either
             "- [Go \\](#x) *b*](#nd){id=\"l\"}\n- [Go ![p](#x) [q](#a b)](#nd){id=\"m\"}\n"
             "\n## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [(d["code"], d["line"], d["column"], d["message"].split(" address")[0])
             for d in run.json()["diagnostics"] if d["file"].endswith("tower.md")]
    many = [said for said in found if said[1] == 27]
    assert len(many) == 21 and many[-1][2:] == (11 + 9 * 20, "and 5 more like the 20 above in this choice, from here on"), many
    found = [said for said in found if said[1] != 27]
    assert found == [("HF0124", 10, 17, "a link to a `htps:`"),
                     ("HF0536", 11, 7, "'<i>' in a choice is shown as typed, not as markup"),
                     ("HF0124", 11, 18, "a link to a `javascript:`"),
                     ("HF0124", 12, 16, "a link to a `data:`"),
                     ("HF0536", 13, 3, "'<b>' in a choice is shown as typed, not as markup"),
                     ("HF0124", 13, 15, "a link to a `javascript:`"),
                     ("HF0124", 14, 12, "a link to a `htps:`"),
                     ("HF0124", 15, 8, "a link to a `ftp:`"),
                     ("HF0304", 16, 34, "choice 'Type ](#x) and [q](c d)' leads to unknown scene 'ned'"),
                     ("HF0124", 18, 8, "the"), ("HF0124", 20, 20, "the"),
                     ("HF0124", 23, 8, "the"), ("HF0124", 24, 13, "the"),
                     ("HF0124", 26, 11, "a link to a `htps:`"),
                     ("HF0304", 28, 20, "choice 'Go ](#x) b' leads to unknown scene 'nd'"),
                     ("HF0123", 29, 11, "the image '#x' in a choice is dropped: only its alt text 'p' is shown"),
                     ("HF0304", 29, 28, "choice 'Go p [q](#a b)' leads to unknown scene 'nd'")], found


def test_a_choice_whose_words_hold_code_keeps_the_code(project_factory):
    """`- [Type `](#x)` here](#end)`: its end was taken to be the code span's `](#`, so
    its words as written stopped inside the code and the site showed them as plain
    words, `Type ](#x) here`, its backticks' code lost (also on a wrapped choice)."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\nThe gate.\n\n"
             "- [Type `](#x)` here](#end)\n- [Or `](#y)` and\n  *there*](#end){id=\"b\"}\n"
             # an escaped `\](#x)` or a `[x](#a b)` shown as typed is no end either
             "- [Press \\](#x) *now*](#end){id=\"c\"}\n- [See [x](#a b)\n  *there*](#end){id=\"d\"}\n\n"
             "## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    run = foundry("build", "--project", str(root), "--only", "html", "--format", "json")
    assert run.code == 0 and not run.json()["diagnostics"], run.stdout + run.stderr
    page = lxml_html.fromstring((root / "build/site/stories/tower.html").read_bytes())
    shown = [lxml_html.tostring(a, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0]
             for a in page.xpath('//a[@href="#scene-end"]')]
    assert shown == ["Type <code>](#x)</code> here", "Or <code>](#y)</code> and <em>there</em>",
                     "Press ](#x) <em>now</em>", "See [x](#a b) <em>there</em>"], shown


def test_choice_syntax_in_backticks_is_code_not_a_slip(project_factory):
    """Text in backticks is shown as typed: `` `- [Go](#end)` `` in a story about writing
    stories, or a Twine passage's `<code>[x](#end)</code>` that foundry import writes as a
    code span, was HF0528 'this looks like a choice' (the line-by-line nets read the
    source, code spans and all), and the imported story was refused by check. The same
    syntax outside the backticks, after an escaped backtick, on the same lines, is still
    said."""
    story = ("---\ntitle: Tower\nstart: gate\n---\n\n## Gate {#gate}\n\n"
             "Write `- [Go](#end)`, `[x](#end)`, ``{if=\"a\"}`` and `[a](# b)` so.\n\n"
             "Spanning `two\n](#end) lines` too.\n\n"
             "But \\`[x](#end)` is a slip.\n\nAnd ``` `` ``` {if=\"a\"} is one.\n\n"
             "- [Go](#end)\n\n## End {#end .ending}\n\nThe end.\n")
    root = project_factory({"content/stories/tower.md": story})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in diagnostics(run) if "tower.md" in d]
    assert found == ["HF0528 content/stories/tower.md:13:7", "HF0528 content/stories/tower.md:15:16"], found


def test_a_choice_under_an_ending_says_the_story_stops_there(hints):
    """An ending's choices are never offered: said in words, with the fix, not as a
    condition `None` that is never true (attack7a)."""
    diag = only(hints, "content/stories/the-crossing.md:27:3", "HF0505")
    assert diag["message"] == "choice 'home--ferry' can never be taken: 'home' is an ending, where the story stops"
    assert "Remove `.ending`" in diag["hint"]


def test_a_scene_heading_indented_under_a_choice_is_named_as_a_heading():
    """`  ## The Moat {#moat}` under a choice is inside the list item: it was called
    "text under a choice" (attack7a)."""
    found = check("invalid-heading-near-misses")
    diag = only(found, "content/stories/near-headings.md:70:3", "HF0535")
    assert "heading" in diag["message"]
    assert "`## The Moat {#moat}`" in diag["hint"]


def test_html_and_refused_links_in_prose_are_named_not_published_silently():
    """Raw HTML is off in prose and a `javascript:` link is never made: both reached the
    site as typed without a word (attack7a). Code in backticks is left alone."""
    found = check("invalid-choice-near-misses")
    tag = only(found, "content/stories/near-choices.md:63:3", "HF0124")
    assert "'<b>'" in tag["message"] and "Markdown" in tag["hint"]
    link = only(found, "content/stories/near-choices.md:65:10", "HF0124")
    assert "javascript:" in link["message"]
    assert not any("<i>" in d["message"] for ds in found.values() for d in ds)
    note = only(found, "content/stories/near-choices.md:67:44", "HF0124")
    assert "'[^bell]' is a footnote" in note["message"] and "parentheses" in note["hint"]
    # `[^2]: Chronicle.`, a one-word note, is a valid link definition to CommonMark: the
    # line vanished and `[^2]` became a link to 'Chronicle.' (HF0721 at line 71, a broken
    # link the writer never wrote). A footnote is text as typed, however long its note.
    for place in ("content/stories/near-choices.md:69:21", "content/stories/near-choices.md:71:1"):
        assert "'[^2]' is a footnote" in only(found, place, "HF0124")["message"]
    assert not any(d["code"] == "HF0721" for ds in found.values() for d in ds), found


def test_html_in_a_yaml_background_is_named_at_its_line(hints):
    """The same for the prose of a hero's or a character's `background:` (attack7a)."""
    diag = only(hints, "content/characters/old-guide.yaml:9:7", "HF0124")
    assert "'<i>'" in diag["message"]


def test_a_broken_hero_file_is_its_own_error_and_nothing_false_besides(project_factory):
    """The protagonist's file does not load: her story was analysed with an average
    hero ("`agility >= 12` is never true") and her translation file called a stray
    ("translates no source file"), two false warnings beside the one real error."""
    root = project_factory(files={
        "translations/de/content/heroes/first-hero.yaml.po": """
            msgid ""
            msgstr ""
            "Language: de\\n"
            "Content-Type: text/plain; charset=UTF-8\\n"
            """,
    })
    with open(root / "foundry.toml", "a", encoding="utf-8") as toml:
        toml.write('\n[l10n]\nlanguages = ["de"]\n')
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text().replace("attributes:", "attributes: {strength: 1\nagain:", 1))
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    found = [d for d in diagnostics(run) if not d.startswith("HF1105")]   # "n lines not translated": true
    assert found == ["HF0101 content/heroes/first-hero.yaml:7:6"], found


def test_a_scene_named_in_other_letters_is_one_problem_said_as_typed(project_factory):
    """`{#灯笼}` is not a slug (HF0113): said once. The choice `(#灯笼)` leads to it as
    written, instead of to markdown-it's `%E7%81%AF%E7%AC%BC`, which made an unknown
    scene (HF0304) and an unreachable one (HF0504) of the same slip; a target that is
    unknown is quoted as typed."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("(#lantern)", "(#灯笼)").replace("{#lantern}", "{#灯笼}")
                     .replace("(#wait)", "(#nowhere-é)"), encoding="utf-8")
    run = foundry("check", "--format", "json", "--project", str(root))
    found = {(d["code"], d["message"]) for d in run.json()["diagnostics"]}
    assert ("HF0113", "scene id '灯笼' is not a lowercase slug") in found
    assert ("HF0304", "choice 'Wait for the fog to lift' leads to unknown scene 'nowhere-é'") in found
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF0504" or "%" in d["message"]], found


@pytest.mark.parametrize("old, new, real", [
    ("xp: 120", 'xp: "120"', "HF0201 content/heroes/first-hero.yaml:8:6"),
    ("xp: 120", "xp: -5", "HF0204 content/heroes/first-hero.yaml:8:5"),
    ("xp: 120", "xp: 120\nlevel: 0", "HF0204 content/heroes/first-hero.yaml:9:8"),
    ("template: scout", "template: Scout", "HF0204 content/heroes/first-hero.yaml:5:11"),
    ("skills: [ambush]", "skills: ambush", "HF0201 content/heroes/first-hero.yaml:7:9"),
])
def test_a_hero_field_that_does_not_validate_brings_no_false_rule_errors(project_factory, old, new, real):
    """The field is left out so the rest of the file is checked, and its default was then
    judged by the rules: `xp: "120"` made Rook level 1, and check said "skill 'ambush'
    needs level 2; first-hero is level 1" beside the one real error; `template: Scout`
    lost the template's skills ("'ambush' needs 'tracking'"). Checks that read a field
    left out are not said; the rest of the file still is."""
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    text = hero.read_text(encoding="utf-8")
    assert old in text
    hero.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == [real], diagnostics(run)


def test_a_rule_error_of_a_hero_that_validates_is_still_said(project_factory):
    root = project_factory()
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").replace("xp: 120", "xp: 10"), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == ["HF0407 content/heroes/first-hero.yaml:7:10"], diagnostics(run)


@pytest.mark.parametrize("old, new, real", [
    # the protagonist left out: the story was played by an average hero, "agility >= 12 is never true"
    ("protagonist: first-hero", "protagonist: First-Hero", ["HF0204 content/stories/first-story.md:6:14"]),
    # quests left out: the quest's objective "waits for 'crossed', which no story can set"
    ("quests: [first-quest]", "quests: first-quest", ["HF0201 content/stories/first-story.md:8:9"]),
    ("variables:", "variables: 3\nxvariables:", ["HF0201 content/stories/first-story.md:9:12",
                                                 "HF0202 content/stories/first-story.md:10:1"]),
])
def test_a_story_field_that_does_not_validate_brings_no_false_findings(project_factory, old, new, real):
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    assert old in text
    story.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == real, diagnostics(run)


def test_a_template_field_that_does_not_validate_brings_no_false_errors_to_its_heroes(project_factory):
    # scout's `skills: tracking` was left out: every scout hero "needs 'tracking'"
    root = project_factory()
    template = root / "content/templates/heroes/scout.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("skills: [tracking]", "skills: tracking"),
                        encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    assert diagnostics(run) == ["HF0201 content/templates/heroes/scout.yaml:5:9"], diagnostics(run)


def test_typographic_signs_in_expressions_are_said_with_the_line_to_write(project_factory):
    """A writer on a Mac (smart punctuation), a phone or with a CJK input method types
    `≥`, a minus sign `−` or a full-width `＝` in a condition or effect: HF0601
    "unexpected character '≥'" with a hint to read docs/expressions.md. It is HF0609 now,
    at the sign, with the expression written plainly; and HF0524's mended line for curly
    quotes no longer keeps a `≥` that would be the next error."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    text = story.read_text(encoding="utf-8")
    text = text.replace('{if="coins >= 2" do="coins -= 2"}', '{if=“coins ≥ 2” do=“coins -= 2”}')
    text = text.replace('{if="agility >= 12"}', '{if="agility ≥ 12"}')
    text = text.replace("(#wait)", '(#wait){do="coins = coins − 1; coins ＝ coins"}')
    story.write_text(text, encoding="utf-8")
    quest = root / "content/quests/first-quest.yaml"
    quest.write_text(quest.read_text(encoding="utf-8").replace('"level >= 1"', '"level ≥ 1"'), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {f"{d['code']} {d['file']}:{d['line']}": d for d in run.json()["diagnostics"]}
    lines = text.split("\n")
    tracks = next(n for n, line in enumerate(lines, 1) if "agility ≥ 12" in line)
    wait = next(n for n, line in enumerate(lines, 1) if "(#wait)" in line)
    pay = next(n for n, line in enumerate(lines, 1) if "(#lantern)" in line)
    assert "`agility >= 12`" in found[f"HF0609 content/stories/first-story.md:{tracks}"]["hint"]
    assert "`coins = coins - 1; coins = coins`" in found[f"HF0609 content/stories/first-story.md:{wait}"]["hint"]
    assert "`level >= 1`" in found["HF0609 content/quests/first-quest.yaml:6"]["hint"]
    assert '`{if="coins >= 2" do="coins -= 2"}`' in found[f"HF0524 content/stories/first-story.md:{pay}"]["hint"]
    assert not [d for d in run.json()["diagnostics"] if d["code"] == "HF0601"]
    assert len([d for d in run.json()["diagnostics"] if d["code"] == "HF0609"]) == 3   # one per expression


@pytest.mark.parametrize("path, old, new, place, rule, fixed", [
    # a story variable: underscores, not hyphens (a `-` in an expression is a minus)
    ("content/stories/first-story.md", "  coins: 2", "  coins: 2\n  gold-coins: 3",
     "content/stories/first-story.md:12:3", "underscores", "`gold_coins`"),
    # an attribute of a hero, and of the rule book
    ("content/heroes/first-hero.yaml", "{agility: 13,", "{Agility-Bonus: 1, agility: 13,",
     "content/heroes/first-hero.yaml:6:14", "underscores", "`agility_bonus`"),
    ("schemas/attributes.yaml", "  max_hp:", "  max-hp:", "schemas/attributes.yaml:11:3", "underscores", "`max_hp`"),
    # a name that is a word of the expression language: declared, then unusable
    ("content/stories/first-story.md", "  coins: 2", "  coins: 2\n  not: 3",
     "content/stories/first-story.md:12:3", "word of the expression language", "`not_`"),
    # a relationship kind is an id: hyphens, not underscores
    ("schemas/relationships.yaml", "  rival:", "  Old_Rival:", "schemas/relationships.yaml:4:3", "hyphens", "`old-rival`"),
])
def test_a_key_that_breaks_its_own_rule_is_told_that_rule_at_the_key(project_factory, path, old, new, place,
                                                                    rule, fixed):
    """`variables: {gold-coins: 3}` was "must be lowercase letters, digits and hyphens"
    (an id's rule, false for a variable name), with no hint and the caret on the `3`."""
    root = project_factory()
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 1
    [diag] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0204"]
    assert f"{diag['file']}:{diag['line']}:{diag['column']}" == place, diag
    assert rule in diag["message"] and fixed in diag["hint"], diag
    assert f"'{new.splitlines()[-1].strip().split(':')[0].strip('{ ')}'" in diag["message"], diag


def test_an_id_in_a_story_that_is_not_a_slug_is_told_its_fix_at_the_id(project_factory):
    """`{id="Wait_Here"}` on a choice said "not a lowercase slug" with the general
    hint only, and `{#Tracks_Mud}` was pointed at the heading's `#`, not at the id."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("{#tracks}", "{#Tracks_Mud}")
                     .replace("(#tracks)", "(#Tracks_Mud)").replace("(#wait)", '(#wait){id="Wait_Here"}'),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {(d["line"], d["column"]): d["hint"] for d in run.json()["diagnostics"] if d["code"] == "HF0113"}
    assert found == {(20, 41): 'Try `id="wait-here"`.', (28, 24): "Try `{#tracks-mud}`."}, run.stdout


def test_a_bad_key_does_not_hide_its_bad_value(project_factory):
    """`gold-coins: 1.5`: two slips (a name with a hyphen, a value no variable holds);
    the key's error was grouped with the value's and only the key was said."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("  coins: 2", "  coins: 2\n  gold-coins: 1.5"),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    assert diagnostics(run) == ["HF0204 content/stories/first-story.md:12:3",
                                "HF0201 content/stories/first-story.md:12:15"], run.stdout


def test_a_variable_written_with_hyphens_in_an_expression_gets_its_name(project_factory):
    """`gold-coins` for the variable `gold_coins` said "unknown name 'gold'" with the
    hint to declare `gold: 0`, and "unknown name 'coins'" too: one slip, two errors,
    neither naming the variable meant."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace("  coins: 2", "  gold_coins: 2")
                     .replace('if="coins >= 2" do="coins -= 2"', 'if="gold-coins >= 2" do="gold-coins -= 2"'),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert [d["code"] for d in found] == ["HF0602", "HF0601"], run.stdout
    assert all(d["hint"].startswith("Did you mean `gold_coins`?") for d in found), found


def test_an_attribute_written_with_hyphens_in_a_formula_gets_its_name(project_factory):
    root = project_factory()
    rules = root / "schemas/attributes.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("  wits: ", "  sea_legs: {name: Sea legs, min: 1, max: 20, default: 8}\n  wits: ", 1)
                     .replace('"10 + agility // 2"', '"10 + sea-legs // 2"'), encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    [diag] = run.json()["diagnostics"]
    assert diag["code"] == "HF0602" and diag["hint"].startswith("Did you mean `sea_legs`?"), diag


def test_a_value_above_its_range_is_not_also_over_budget(project_factory):
    """`agility: 99` (meant 9) is HF0404 at the value; it was also HF0405 "78 over
    budget" at the attributes, one slip said twice (review24). A value above its range
    counts at its maximum: a hero over budget even so is still told, with those counts."""
    hero = ("name: Rook Amsel\ntemplate: scout\nattributes: {agility: 99, constitution: 10}\n"
            "skills: [ambush]\nxp: 120\n")
    spender = "name: Wren\nattributes: {strength: 20, agility: 40, wits: 20}\n"
    root = project_factory({"content/heroes/first-hero.yaml": hero, "content/heroes/wren.yaml": spender})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {f"{d['code']} {d['file']}:{d['line']}:{d['column']}": d for d in run.json()["diagnostics"]}
    assert sorted(found) == ["HF0404 content/heroes/first-hero.yaml:3:23", "HF0404 content/heroes/wren.yaml:2:37",
                             "HF0405 content/heroes/wren.yaml:2:13"], sorted(found)
    over = found["HF0405 content/heroes/wren.yaml:2:13"]
    assert over["message"] == "36 points spent, 16 available at level 1: 20 over budget (counting agility at its maximum)"
    assert "agility +12" in over["hint"]


def test_a_name_read_as_near_another_defined_name_is_not_guessed_misspelt(project_factory):
    """Two formulas reading `wit` (meant `wits`, which the tracking skill reads) beside an
    attribute `wis` no rule reads yet: review24's guess said `wis` looked misspelt, hint
    'Rename it `wit:`', and left every reader of `wit` silent: the two slips hidden and
    a rename proposed that breaks what sets `wis`. `wit` is as near `wits`: no guess,
    each formula's HF0602 with "Did you mean 'wits'?"."""
    rules = (ROOTS / "minimal/schemas/attributes.yaml").read_text(encoding="utf-8")
    rules = rules.replace("  wits:", "  wis:          {name: Wisdom, min: 1, max: 20, default: 8}\n  wits:")
    rules = rules.replace('"10 + agility // 2"', '"10 + agility // 2 + wit"') + \
        '  insight: {name: Insight, formula: "5 + wit"}\n'
    run = foundry("check", "--project", str(project_factory({"schemas/attributes.yaml": rules})), "--format", "json")
    found = run.json()["diagnostics"]
    assert [d["code"] for d in found] == ["HF0602", "HF0602"], found
    assert all("'wit'" in d["message"] and "'wits'" in d["hint"] for d in found), found


def test_a_rename_done_half_way_lists_every_reader_to_change(project_factory):
    """`wits:` renamed `wisdom:` in attributes.yaml, while a formula, the tracking skill
    and the scout template still read `wits`: review24's guess said 'wisdom' looked
    misspelt ('Rename it `wits:`'), one error, and hid the three places the rename
    still has to reach. 'wisdom' is no typo of 'wits': each reader is said, with "did
    you mean 'wisdom'?"."""
    rules = (ROOTS / "minimal/schemas/attributes.yaml").read_text(encoding="utf-8")
    rules = rules.replace("  wits:         {name: Wits", "  wisdom:       {name: Wisdom")
    rules = rules.replace('"10 + agility // 2"', '"10 + agility // 2 + wits"')
    run = foundry("check", "--project", str(project_factory({"schemas/attributes.yaml": rules})), "--format", "json")
    found = run.json()["diagnostics"]
    assert sorted(f"{d['code']} {d['file']}" for d in found) == [
        "HF0309 content/templates/heroes/scout.yaml", "HF0309 schemas/skills.yaml",
        "HF0602 schemas/attributes.yaml"], found
    assert all("'wisdom'" in d["hint"] for d in found), found


def _charisma_read_as_charism() -> str:
    """The minimal project's attributes.yaml with `charisma:` defined and two formulas
    (lines 14 and 15) reading `charism`: the rule book alone guesses the definition
    is the slip."""
    rules = (ROOTS / "minimal/schemas/attributes.yaml").read_text(encoding="utf-8")
    rules = rules.replace("  wits: ", "  charisma: {name: Charisma, min: 1, max: 20, default: 8}\n  wits: ")
    rules = rules.replace('  defense: {name: Defense, formula: "10 + agility // 2"}\n',
                          '  defense: {name: Defense, formula: "10 + agility // 2"}\n'
                          '  presence: {name: Presence, formula: "charism * 2"}\n'
                          '  sway: {name: Sway, formula: "charism + level"}\n')
    return rules


def test_a_name_the_heroes_set_is_not_guessed_misspelt(project_factory):
    """`charisma:` defined and set by the hero, while two formulas read `charism`: the
    rule book's guess said 'charisma' looked misspelt ('Rename it `charism:`', which
    breaks the hero) and hid both formulas. The content says which name is right: each
    formula's HF0602 with "Did you mean 'charisma'?", nothing at the definition. A
    skill the hero lists (`boatcraft`) while two skills require `boatcrft`, likewise."""
    rules = _charisma_read_as_charism()
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    skills = (ROOTS / "minimal/schemas/skills.yaml").read_text(encoding="utf-8") + (
        "  boatcraft: {name: Boatcraft, attribute: wits}\n"
        "  rowing: {name: Rowing, attribute: wits, prerequisites: [boatcrft]}\n"
        "  sailing: {name: Sailing, attribute: wits, prerequisites: [boatcrft]}\n")
    root = project_factory({
        "schemas/attributes.yaml": rules, "schemas/skills.yaml": skills,
        "content/heroes/first-hero.yaml": hero.replace("constitution: 10}", "constitution: 10, charisma: 9}")
                                              .replace("skills: [ambush]", "skills: [ambush, boatcraft]")})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert sorted(f"{d['code']} {d['file']}:{d['line']}" for d in found) == [
        "HF0308 schemas/skills.yaml:5", "HF0308 schemas/skills.yaml:6",
        "HF0602 schemas/attributes.yaml:14", "HF0602 schemas/attributes.yaml:15"], found
    assert all(d["hint"] in ("Did you mean 'charisma'?", "Did you mean 'boatcraft'?") for d in found), found
    assert run.code == 1
    # `foundry schemas` reads the rule book alone: it said HF0401 at 'charisma:' and
    # 'boatcraft:' (the guess check withdraws), not the slips check names
    schemas = foundry("schemas", "--project", str(root))
    said = sorted(line.split(": error ")[0].rsplit(":", 1)[0] + " " + line.split(": error ")[1][:6]
                  for line in schemas.stderr.splitlines() if ": error HF" in line)
    assert said == ["schemas/attributes.yaml:14 HF0602", "schemas/attributes.yaml:15 HF0602",
                    "schemas/skills.yaml:5 HF0308", "schemas/skills.yaml:6 HF0308"], schemas.stderr
    assert schemas.code == 1


def test_a_name_set_by_a_file_in_error_is_not_guessed_misspelt(project_factory):
    """The content's word on a guess was read from what loaded: a hero setting
    `charisma: high` (HF0201, the value left out) or a template refused for a number out
    of range (HF0111) did not count, and HF0401 told the writer to rename `charisma:` to
    `charism:`, breaking both. What the file writes counts, read as far as it is certain."""
    rules = _charisma_read_as_charism()
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    template = (ROOTS / "minimal/content/templates/heroes/scout.yaml").read_text(encoding="utf-8")
    skills = (ROOTS / "minimal/schemas/skills.yaml").read_text(encoding="utf-8") + (
        "  boatcraft: {name: Boatcraft, attribute: wits}\n"
        "  rowing: {name: Rowing, attribute: wits, prerequisites: [boatcrft]}\n"
        "  sailing: {name: Sailing, attribute: wits, prerequisites: [boatcrft]}\n")
    assert "wits: 11}" in template and "skills: [tracking]" in template
    root = project_factory({
        "schemas/attributes.yaml": rules, "schemas/skills.yaml": skills,
        "content/heroes/first-hero.yaml": hero.replace("constitution: 10}", "constitution: 10, charisma: high}"),
        "content/templates/heroes/scout.yaml": template.replace("wits: 11}", "wits: 99999999999999999999}")
                                                       .replace("skills: [tracking]", "skills: [tracking, boatcraft]")})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert sorted(f"{d['code']} {d['file']}:{d['line']}" for d in found) == [
        "HF0111 content/templates/heroes/scout.yaml:4", "HF0201 content/heroes/first-hero.yaml:6",
        "HF0308 schemas/skills.yaml:5", "HF0308 schemas/skills.yaml:6",
        "HF0602 schemas/attributes.yaml:14", "HF0602 schemas/attributes.yaml:15"], found
    assert run.code == 1


def test_a_name_a_story_reads_is_not_guessed_misspelt(project_factory):
    """`charisma:` defined, set by no hero but read by a story's condition, while two
    formulas read `charism`: the guess (HF0401 at `charisma:`, 'Rename it `charism:`')
    was withdrawn only for a name heroes, characters or templates set, so renaming as
    told broke the story and hid both formulas' slips. A story's read says the same."""
    rules = _charisma_read_as_charism()
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    assert 'if="agility >= 12"' in story
    root = project_factory({"schemas/attributes.yaml": rules,
                            "content/stories/first-story.md": story.replace('if="agility >= 12"',
                                                                            'if="charisma >= 8"')})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert sorted(f"{d['code']} {d['file']}:{d['line']}" for d in found) == [
        "HF0602 schemas/attributes.yaml:14", "HF0602 schemas/attributes.yaml:15"], found
    assert all(d["hint"] == "Did you mean 'charisma'?" for d in found), found


def test_an_attribute_misspelt_where_it_is_defined_is_one_error(project_factory):
    """`agilty:` in schemas/attributes.yaml, read as `agility` by a formula and a skill
    (and set by heroes, templates, read by stories): every reader said 'agility' was
    unknown (19 errors in the sample world, none at the slip). One HF0401 at the name
    defined; a single formula's misspelt read is still that formula's HF0602 (review24).
    A skill misspelt where skills.yaml defines it, likewise."""
    rules = (ROOTS / "minimal/schemas/attributes.yaml").read_text(encoding="utf-8")
    root = project_factory({"schemas/attributes.yaml": rules.replace("  agility: ", "  agilty:  ")})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert diagnostics(run) == ["HF0401 schemas/attributes.yaml:4:3"], found
    assert "'agilty' looks misspelt" in found[0]["message"] and "`agility:`" in found[0]["hint"]
    # no other rule reads agility: the one formula's `agilty` is the slip, not the definition
    skills = (ROOTS / "minimal/schemas/skills.yaml").read_text(encoding="utf-8")
    files = {"schemas/attributes.yaml": rules.replace('"10 + agility // 2"', '"10 + agilty // 2"'),
             "schemas/skills.yaml": skills.replace("attribute: agility, ", "").replace('"agility >= 12"', '"wits >= 1"')}
    run = foundry("check", "--project", str(project_factory(files, name="formula")), "--format", "json")
    assert diagnostics(run) == ["HF0602 schemas/attributes.yaml:12:43"], run.stdout
    # a skill likewise: `trackng:` defined, `tracking` a prerequisite of two skills and
    # in the scout template's and the hero's lists
    skills = skills.replace("  tracking:", "  trackng: ") + \
        "  stalking: {name: Stalking, attribute: wits, prerequisites: [tracking]}\n"
    run = foundry("check", "--project", str(project_factory({"schemas/skills.yaml": skills}, name="skill")),
                  "--format", "json")
    assert diagnostics(run) == ["HF0401 schemas/skills.yaml:2:3"], run.stdout


def test_every_problem_has_a_hint(project_factory):
    """A name near nothing (`with: qqqq`, `giver: nobody-at-all`) left `suggestion` with
    no "Did you mean" and no place to point at: HF0302 was said with an empty hint, and
    so was HF0603 (`agility >= true`). An empty hint falls back to the code's own, and a
    code registered without one points at its page in docs/errors.md."""
    from pipeline.diagnostics import Diagnostics, Span, all_codes
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    quest = (ROOTS / "minimal/content/quests/first-quest.yaml").read_text(encoding="utf-8")
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    root = project_factory({
        "content/heroes/first-hero.yaml": hero.replace("with: old-guide", "with: qqqq"),
        "content/quests/first-quest.yaml": quest.replace("giver: old-guide", "giver: nobody-at-all"),
        "content/stories/first-story.md": story.replace('if="agility >= 12"', 'if="agility >= true"')})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = run.json()["diagnostics"]
    assert sorted(d["code"] for d in found) == ["HF0302", "HF0302", "HF0603"], found
    assert all(d["hint"].strip() for d in found), found
    collected = Diagnostics()
    for info in all_codes():
        collected.add(info.code, "a problem", Span("x.yaml", 1, 1), hint="")
    assert [d.code for d in collected.items if not d.hint.strip()] == []


def test_a_link_with_a_misspelt_or_unknown_scheme_is_named_not_shown_silently(project_factory):
    """`[the map](htps://…)` is never made a link (the sanitiser allows http, https and
    mailto only) and reached the page as typed, brackets and all, without a word: HF0124
    named javascript:, vbscript:, file: and data: alone. Every scheme the sanitiser
    refuses is named now, at its address, with the scheme it was likely meant to be."""
    root = project_factory()
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "The fog comes in off the marsh like a tide.",
        "The fog comes in off the [marsh](htps://example.org/marsh) like a tide. See <ahttps://example.org/>.", 1),
        encoding="utf-8")
    hero = root / "content/heroes/first-hero.yaml"
    hero.write_text(hero.read_text(encoding="utf-8").rstrip("\n")
                    + "\n\n  Born by the [sea](tel:123) and [road](https://example.org/).\n", encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    found = {(d["code"], d["file"], d["line"], d["column"]): d for d in run.json()["diagnostics"]}
    line = next(n for n, text in enumerate(story.read_text(encoding="utf-8").splitlines(), 1) if "htps:" in text)
    column = story.read_text(encoding="utf-8").splitlines()[line - 1].index("htps:") + 1
    marsh = found[("HF0124", "content/stories/first-story.md", line, column)]
    assert "`htps:`" in marsh["message"] and "Did you mean `https:`" in marsh["hint"]
    hero_line = len(hero.read_text(encoding="utf-8").splitlines())
    sea = [d for (code, file, n, _), d in found.items() if code == "HF0124" and file == "content/heroes/first-hero.yaml"]
    assert [d["line"] for d in sea] == [hero_line] and "`tel:`" in sea[0]["message"]
    assert "Did you mean" not in sea[0]["hint"]
    assert not any(re.search(r"`https?:`", d["message"]) for d in found.values()), "an allowed link was named"
    # `<ahttps://…>` is a refused address too (its scheme `ahttps:`), said beside the first
    assert any("`ahttps:`" in d["message"] for d in found.values()), found


def test_every_tag_and_refused_link_of_a_paragraph_or_title_is_said_at_its_place(project_factory):
    """HF0124 said the first tag, refused link or footnote of a story paragraph and
    HF0536 the first tag of a title: '[a](javascript:x) and [b](vbscript:y)' was one
    warning, the second link found only after the first was fixed. Each is said where it
    is typed now; a closing tag of one said is not a second slip."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    paragraph = ["See [a](javascript:x) and [b](vbscript:y).", "And <kbd>K</kbd> then <!-- n --> [^1]."]
    background = "  See [a](javascript:x) and <kbd>K</kbd> and [b](vbscript:y).\n\n  Then [^1] and <!-- n -->.\n"
    hero = hero.replace("name: Rook Amsel", 'name: "Rook <b>Am</b>sel <i>x</i>"').replace(
        "background: |\n", "background: |\n" + background, 1)
    root = project_factory({"content/stories/first-story.md": story + "\n" + "\n".join(paragraph) + "\n",
                            "content/heroes/first-hero.yaml": hero})
    lines = hero.split("\n")
    line = next(n for n, text in enumerate(lines, 1) if "javascript:" in text)
    at = lambda n, text: f"content/heroes/first-hero.yaml:{line + n}:{lines[line + n - 1].index(text) + 1}"   # noqa: E731
    first = len((story + "\n").split("\n"))
    run = foundry("check", "--project", str(root), "--format", "json")
    found = sorted(d for d in diagnostics(run) if d.startswith(("HF0124", "HF0536")))
    place = lambda n, text: f"{first + n}:{paragraph[n].index(text) + 1}"   # noqa: E731
    assert found == sorted([
        f"HF0124 content/stories/first-story.md:{place(0, 'javascript:')}",
        f"HF0124 content/stories/first-story.md:{place(0, 'vbscript:')}",
        f"HF0124 content/stories/first-story.md:{place(1, '<kbd>')}",
        f"HF0124 content/stories/first-story.md:{place(1, '<!--')}",
        f"HF0124 content/stories/first-story.md:{place(1, '[^1]')}",
        "HF0536 content/heroes/first-hero.yaml:2:13", "HF0536 content/heroes/first-hero.yaml:2:26",
        f"HF0124 {at(0, 'javascript:')}", f"HF0124 {at(0, '<kbd>')}", f"HF0124 {at(0, 'vbscript:')}",
        f"HF0124 {at(2, '[^1]')}", f"HF0124 {at(2, '<!--')}"]), run.stdout


def test_a_near_variable_and_the_declaration_are_two_sentences(project_factory):
    """`cions` beside the story's `coins` was hinted "Did you mean 'coins'?; or, if `cions`
    is a new story variable, …": a stray "?;" where one sentence ends and the next begins."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    root = project_factory({"content/stories/first-story.md": story.replace('if="coins >= 2"', 'if="cions >= 2"')})
    [hint] = [d["hint"] for d in foundry("check", "--project", str(root), "--format", "json").json()["diagnostics"]
              if d["code"] == "HF0602"]
    assert hint.startswith("Did you mean 'coins'? Or, if `cions` is a new story variable, add `cions: 0`"), hint
    assert "?;" not in hint


def test_a_paragraph_or_title_of_many_tags_says_the_first_twenty_and_one_line_for_the_rest(project_factory):
    """Each tag of a paragraph or title said at its place had no bound: a paragraph of
    10,000 `<kbd>` was 10,000 warnings (4 MB of JSON), where one per paragraph was said
    before. The first twenty are said, then one 'and N more' at the twenty-first."""
    story = (ROOTS / "minimal/content/stories/first-story.md").read_text(encoding="utf-8")
    hero = (ROOTS / "minimal/content/heroes/first-hero.yaml").read_text(encoding="utf-8")
    tags = "<kbd>k</kbd> " * 25
    story = story.replace("## The Lantern Path {#lantern}", "## The Lantern " + "<i>x</i> " * 25 + "{#lantern}") \
        + "\n" + tags + "end.\n"
    hero = hero.replace("background: |\n", "background: |\n  " + tags + "end.\n\n", 1)
    root = project_factory({"content/stories/first-story.md": story, "content/heroes/first-hero.yaml": hero})
    run = foundry("check", "--project", str(root), "--format", "json")
    found = [d for d in run.json()["diagnostics"] if d["code"] in ("HF0124", "HF0536")]
    heading = next(n for n, text in enumerate(story.split("\n"), 1) if "{#lantern}" in text)
    paragraph = len(story.split("\n")) - 1
    background = next(n for n, text in enumerate(hero.split("\n"), 1) if "<kbd>" in text)
    for code, file, line, first in (("HF0536", "content/stories/first-story.md", heading, 16),
                                    ("HF0124", "content/stories/first-story.md", paragraph, 1),
                                    ("HF0124", "content/heroes/first-hero.yaml", background, 3)):
        here = [d for d in found if d["file"] == file and d["line"] == line and d["code"] == code]
        step = 9 if code == "HF0536" else 13
        assert [d["column"] for d in here] == [first + step * n for n in range(21)], run.stdout
        assert [d["message"] for d in here[20:]] == [
            f"and 5 more like the 20 above in this {'text' if code == 'HF0536' else 'paragraph'}, from here on"]


def test_an_invisible_character_in_an_expression_is_named_not_printed(project_factory):
    """A line separator kept in a YAML value (`\\L`, or pasted raw) or a zero-width space
    in a condition was HF0601 "unexpected character ' '": the character itself between
    the quotes, seen as a space or a broken line. It is named (U+2028 LINE SEPARATOR),
    at its place in the value; a visible one is still quoted."""
    quest = ("title: Through the Fog\nstatus: draft\nsummary: Cross the marsh.\ngiver: old-guide\n"
             'requires: "level >= 1 and\\L level >= 1"\n'
             "objectives:\n  - {id: cross, text: Reach the far bank, done_when: crossed}\n")
    root = project_factory({"content/quests/first-quest.yaml": quest})
    story = root / "content/stories/first-story.md"
    story.write_text(story.read_text(encoding="utf-8").replace('{if="agility >= 12"}', '{if="agility >= 12 @"}'),
                     encoding="utf-8")
    run = foundry("check", "--project", str(root), "--format", "json")
    said = {(d["code"], d["line"], d["column"]): d["message"] for d in json.loads(run.stdout)["diagnostics"]}
    assert said[("HF0601", 5, 26)] == "requirement: unexpected character U+2028 LINE SEPARATOR", said
    assert any(message.endswith("unexpected character '@'") for message in said.values()), said
