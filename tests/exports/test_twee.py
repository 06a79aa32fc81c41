"""build/twee/: every story reads as Twee 3 with extwee, keeps every scene as a passage
with its title, prose and choices (each link leading to a passage that exists), and
compiles to Twine 2 HTML; the IFID is an uppercase UUIDv4 that every build repeats."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from export_support import run_node
from pipeline.builder import check
from pipeline.diagnostics import Diagnostics
from pipeline.exporters.twee import FORMAT_VERSION, wiki_text
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
            assert html.unescape(link["text"]) == norm(choice.text)
            assert link["target"] == choice.target and link["target"] in passages
            assert (link["condition"] is None) == (choice.condition is None)
            assert bool(link["effects"]) == bool(choice.effects_ast)
    compiled = answer["html"]
    assert compiled["error"] is None
    assert compiled["story"] == meta
    assert compiled["passages"] == answer["passages"]
    return answer


@pytest.mark.parametrize("sid", SAMPLE_STORIES)
def test_sample_story_reads_and_compiles_with_extwee(node_tools, sample_exports, sid):
    check_story(sample_exports, sid)


def test_fixture_story_keeps_markup_as_text(node_tools, fixture_export):
    answer = check_story(fixture_export, "signs")
    gate = next(p["text"] for p in answer["passages"] if p["name"] == "gate")
    # Prose is verbatim HTML: SugarCube markup in it stays text, and a line that
    # starts with `::` does not start a passage.
    assert "&lt;&lt;set $coins to 99&gt;&gt;" in PROSE.match(gate).group(1)
    assert "\n&#58;: starts like a passage header." in gate
    # Link text holds no character SugarCube would read as markup or as the end of
    # the quoted argument.
    pay = next(m for m in LINK.finditer(gate) if m["id"] == "gate--yard")
    assert not re.search(r'[$<>\\"/\[\]{}|_]', pay["text"]) and "--" not in pay["text"]
    assert pay["effects"] == "<<set $coins -= 2>><<set $visits += 1>><<set $mood to $other_mood>>"
    # SugarCube needs no renaming: `temp` stays `$temp`.
    init = next(p["text"] for p in answer["passages"] if p["name"] == "StoryInit")
    assert "<<set $temp to 20>>" in init and "<<set $agility to 14>>" in init
    assert "<<set $item_lantern to true>>" in init and "<<set $skill_tracking to true>>" in init


def test_link_text_escapes_every_markup_start():
    text = "!Pay $2 -- ''now''? //x// <<go>> [[y]] \\ \"q\" {z} _tmp ?who @@a@@ ==b== ~~c~~ ^^d^^ & |e"
    escaped = wiki_text(text)
    assert html.unescape(escaped) == text
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
