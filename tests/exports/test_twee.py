"""build/twee/: every story reads as Twee 3 with extwee, keeps every scene as a passage
with its title, prose and choices (each link leading to a passage that exists), and
compiles to Twine 2 HTML; the IFID is an uppercase UUIDv4 that every build repeats; and
its TwineScript, run as JavaScript the way SugarCube desugars it, offers the same
choices, reaches the same ending and leaves the same variables as `foundry play`."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from export_support import run_node, scripted_paths, transcripts_of
from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.twee import FORMAT_VERSION, wiki_text
from pipeline.expr.emit import item_variable
from pipeline.stories.machine import StoryMachine
from pipeline.resolve.world import players_for
from support import REPO

SAMPLE_STORIES = sorted(p.stem for p in (REPO / "content" / "stories").glob("*.md"))
IFID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$")
PROSE = re.compile(r"^<html>(.*?)</html>", re.DOTALL)
LINK = re.compile(r'(?:<<if (?P<condition>.+?)>>)?<li data-choice="(?P<id>[^"]+)"><<link "(?P<text>[^"]*)" '
                  r'"(?P<target>[^"]+)">>(?P<effects>.*?)<</link>></li>(?:<</if>>)?')


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return " ".join("".join(parser.parts).split())


def norm(text: str) -> str:
    return " ".join(text.split())


def read_twee(path: Path) -> dict:
    answer = run_node("twee_runner.mjs", str(path))
    assert answer["warnings"] == [], answer["warnings"]
    return answer


def check_story(root: Path, sid: str) -> dict:
    """extwee's reading of the story against the story itself."""
    world = check(root, Diagnostics())
    story = world.stories[sid].model
    answer = read_twee(root / "build" / "twee" / f"{sid}.twee")
    meta = answer["story"]
    assert meta["name"] == story.front.title
    assert IFID.match(meta["ifid"]), meta["ifid"]
    assert (meta["format"], meta["formatVersion"], meta["start"]) == ("SugarCube", FORMAT_VERSION, story.front.start)
    passages = {p["name"]: p for p in answer["passages"]}
    assert list(passages) == ["StoryInit", *story.scenes]
    init = passages["StoryInit"]["text"]
    for name, value in story.front.variables.items():
        assert re.search(rf"^<<set \${name} to ", init, re.MULTILINE), name
    for scene in story.scenes.values():
        passage = passages[scene.id]
        assert passage["tags"] == (["ending"] if scene.ending else [])
        prose = PROSE.match(passage["text"])
        assert prose, passage["text"][:80]
        assert visible_text(prose.group(1)) == norm(f"{scene.title} {scene.text}")
        links = [m.groupdict() for m in LINK.finditer(passage["text"][prose.end():])]
        assert [link["id"] for link in links] == [c.id for c in scene.choices]
        for choice, link in zip(scene.choices, links):
            # the choice's HTML (its emphasis and code as tags), its words the choice's
            assert visible_text(link["text"]) == norm(choice.text)
            assert link["target"] == choice.target and link["target"] in passages
            assert (link["condition"] is None) == (choice.condition is None)
            assert bool(link["effects"]) == bool(choice.effects_ast)
    compiled = answer["html"]
    assert compiled["error"] is None
    assert compiled["story"] == meta
    assert compiled["passages"] == answer["passages"]
    return answer


def check_play(root: Path, sid: str) -> dict[str, dict]:
    """The Twee export's choices, played in JavaScript, against `foundry play`."""
    world = check(root, Diagnostics())
    story = world.stories[sid].model
    machine = StoryMachine(story, players_for(story, world)[0])
    paths = scripted_paths(machine)
    ours = transcripts_of(machine, paths)
    answer = run_node("twee_player.mjs", str(root / "build" / "twee" / f"{sid}.twee"),
                      request={"paths": list(paths.values())})
    for name, theirs in zip(paths, answer["runs"]):
        mine = ours[name]
        assert theirs["errors"] == []
        assert [(s["scene"], s["options"], s["chosen"]) for s in theirs["steps"]] == \
               [(s["scene"], [o["id"] for o in s["options"]], s["chosen"]) for s in mine["steps"]], name
        assert theirs["ending"] == mine["ending"]
        for variable in mine["variables"]:
            assert theirs["variables"][variable["id"]] == variable["value"]
        held = {k for k, v in theirs["variables"].items() if k.startswith("item_") and v is True}
        assert held == {item_variable(i) for i in mine["items"]}
    return ours


@pytest.mark.parametrize("sid", SAMPLE_STORIES)
def test_sample_story_reads_and_compiles_with_extwee(node_tools, sample_exports, sid):
    check_story(sample_exports, sid)


@pytest.mark.parametrize("sid", SAMPLE_STORIES)
def test_sample_story_plays_like_foundry_play(node_tools, sample_exports, sid):
    transcripts = check_play(sample_exports, sid)
    assert len({t["ending"] for t in transcripts.values()} - {None}) >= 2


def test_fixture_story_keeps_markup_as_text_and_plays_like_foundry_play(node_tools, fixture_export):
    transcripts = check_play(fixture_export, "signs")
    assert {t["ending"] for t in transcripts.values()} == {"lit", "7", "home"}
    answer = check_story(fixture_export, "signs")
    gate = next(p["text"] for p in answer["passages"] if p["name"] == "gate")
    # Prose is verbatim HTML: SugarCube markup in it stays text, and a line that
    # starts with `::` does not start a passage.
    assert "&lt;&lt;set $coins to 99&gt;&gt;" in PROSE.match(gate).group(1)
    assert "\n&#58;: starts like a passage header." in gate
    # Nor does any `[[` stand anywhere in the file — prose, a heading (`The [[Yard]]`),
    # a string in StoryInit or a condition: SugarCube shows those as text, but Twine 2's
    # story map (its parse-links: every `[[…]]` of a passage's text) and `foundry
    # import` read each as a link, to a passage no story has. The player above read
    # the strings back as written, and extwee the prose (check_story).
    twee = (fixture_export / "build/twee/signs.twee").read_text(encoding="utf-8")
    assert re.findall(r"\[\[.*?\]\]", twee) == []
    assert "<h2>The &#91;[Yard]]</h2>" in twee and '<<set $other_mood to "bold [\\[\\[sure]]] |' in twee
    # Link text holds no character SugarCube would read as markup or as the end of
    # the quoted argument.
    pay = next(m for m in LINK.finditer(gate) if m["id"] == "gate--yard")
    assert not re.search(r'[$<>\\"/\[\]{}|_]', pay["text"]) and "--" not in pay["text"]
    # nor a URL's scheme and colon (SugarCube's urlLink parser, Patterns.url, which reads
    # the source as written: `https:&#47;&#47;toll.example…` was shown raw in a link to
    # nowhere, and `javascript:void(0)` was a link running script); the player reads the
    # words the JSON and the site give
    assert not re.search(r"(?:file|https?|mailto|ftp|javascript|irc|news|data):", pay["text"], re.IGNORECASE)
    story = json.loads((fixture_export / "build/api/v1/stories/signs.json").read_text(encoding="utf-8"))["story"]
    [words] = [c["text"] for s in story["scenes"] for c in s["choices"] if c["id"] == "gate--yard"]
    assert html.unescape(pay["text"]) == words and "https://toll.example/gate, not javascript:void(0)" in words
    assert pay["effects"] == "<<set $coins -= 2>><<set $visits += 1>><<set $mood to $other_mood>>"
    # SugarCube needs no renaming: `temp` stays `$temp`.
    init = next(p["text"] for p in answer["passages"] if p["name"] == "StoryInit")
    assert "<<set $temp to 20>>" in init and "<<set $agility to 14>>" in init
    assert "<<set $item_lantern to true>>" in init and "<<set $skill_tracking to true>>" in init


def test_link_text_escapes_every_markup_start():
    text = ("!Pay $2 -- ''now''? //x// <<go>> [[y]] \\ \"q\" {z} _tmp ?who @@a@@ ==b== ~~c~~ ^^d^^ & |e "
            "HTTPS://a.example goodnews:b data:c")
    escaped = wiki_text(text)
    assert html.unescape(escaped) == text
    assert not re.search(r"(?:file|https?|mailto|ftp|javascript|irc|news|data):", escaped, re.IGNORECASE)
    for markup in ("$", "--", "''", "?w", "//", "<<", "[[", "\\", '"', "{", "_", "@@", "==", "~~", "^^", "|"):
        assert markup not in escaped, markup
    assert escaped.startswith("&#33;")
    assert wiki_text("Ask Tomas? Yes - it's fine.") == "Ask Tomas? Yes - it's fine."


def test_twee_output_and_ifid_are_identical_across_builds(node_tools, sample_exports, sample_exports_again):
    ifids = set()
    for sid in SAMPLE_STORIES:
        first = sample_exports / "build" / "twee" / f"{sid}.twee"
        assert first.read_bytes() == (sample_exports_again / "build" / "twee" / f"{sid}.twee").read_bytes()
        ifids.add(read_twee(first)["story"]["ifid"])
    assert len(ifids) == len(SAMPLE_STORIES)


DIVISIONS = """\
---
title: Shares
start: road
protagonist: first-hero
variables:
  tenths: 0
  thirds: 0
  mixed: 0
  rest: 0
---

## Road {#road}

Shares of the haul.

- [Split](#done){id=split do="tenths = 1 // 0.1; thirds = -3 // 0.3; mixed = 7 // 0.1 + 7 // -2 + 2.5 // 0.5; rest = 7 % (tenths + thirds + mixed + 1000000000000)"}
- [Split evenly](#done){id=even if="1 // 0.1 == 9" do="tenths = 10 // 0.2"}

## Done {#done .ending}

Split.
"""


def test_a_floor_division_plays_in_twee_as_foundry_play_computes_it(node_tools, tmp_path):
    """`1 // 0.1` is 9 in `foundry play`, the site's player and ink (0.1 is a little more
    than a tenth: Python's `//`), and was 10 in the Twee story (`Math.floor(1 / 0.1)`),
    as `-3 // 0.3` (-11 against -10) and `7 // 0.1` (69 against 70): each path now plays
    alike, variables and offered choices, and the export imported again reads back
    `//` (and the long-operand `%`) as written."""
    from support import foundry, write_project
    root = write_project(tmp_path / "proj", {"content/stories/shares.md": DIVISIONS,
                                             "foundry.toml": '[project]\ntitle = "S"\n[build]\noutputs = ["twee"]\n'})
    assert foundry("build", "--project", str(root), "--only", "twee", "-q").code == 0
    ours = check_play(root, "shares")
    assert {v["id"]: v["value"] for v in ours["always-first"]["variables"]} == {
        "tenths": 9, "thirds": -11, "mixed": 69 - 4 + 5, "rest": 7}, ours
    assert {v["id"]: v["value"] for v in ours["always-last"]["variables"]}["tenths"] == 49   # 10 // 0.2
    imported = foundry("import", "twine", str(root / "build/twee/shares.twee"), "--id", "again",
                       "--project", str(root), "--format", "json")
    assert imported.code == 0, imported.stdout + imported.stderr
    body = (root / "content/stories/again.md").read_text(encoding="utf-8")
    assert "tenths = 1 // 0.1; thirds = -3 // 0.3;" in body and "rest = 7 % (tenths" in body, body
