"""Bad and awkward input to `foundry import`: each gives a clear report at its place in
the source, and nothing a user wrote is overwritten."""

from __future__ import annotations

import json
import re
import textwrap

import pytest

from pipeline.engine.builder import check
from pipeline.diagnostics import Diagnostics
from import_support import STORIES, imported, machine_for, ours
from support import diagnostics, foundry, foundry_within

TWINE_HTML = """<!DOCTYPE html><html><head><title>Cave</title></head><body>
<tw-storydata name="Cave &amp; Co" startnode="1" format="{fmt}" format-version="2.36.1" ifid="5E4F3A2B-1C0D-4E9F-8A7B-6C5D4E3F2A1B">
<script role="script" id="twine-user-script" type="text/twine-javascript">window.evil = 1;</script>
<tw-passagedata pid="1" name="Start" tags="" position="1,1">&lt;b&gt;Welcome&lt;/b&gt; to the &lt;span class="x"&gt;cave&lt;/span&gt;.
&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;
[[Go in|Inside]]</tw-passagedata>
<tw-passagedata pid="2" name="Inside" tags="" position="1,2">It is dark &amp; cold. &lt;3</tw-passagedata>
</tw-storydata></body></html>
"""


def write(root, name, text):
    path = root / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_a_file_that_is_not_a_story(project_factory):
    root = project_factory()
    notes = write(root, "notes.txt", "Just some notes.\nNothing here.\n")
    for kind in ("twine", "ink"):
        run = imported(root, kind, notes if kind == "twine" else write(root, "empty.ink", "// nothing\n"), "x")
        assert run.code == 2, run.stdout
        assert [d["code"] for d in run.json()["diagnostics"]] == ["HF1001"]
    binary = root / "story.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    run = imported(root, "twine", binary, "x")
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF1001"]
    assert not (root / "content" / "stories" / "x.md").exists()


def test_a_twine_1_story_file_is_named_for_what_it_is(project_factory, monkeypatch):
    """Twine 1 saves a story as a `.tws`: a Python 2 pickle (protocol 0 is ASCII text, 2 is
    binary) of its story panel, passages as `tiddlywiki.Tiddler` objects (twine-specs,
    twine-1-twsoutput.md). It was said to be neither HTML nor Twee, or "binary", or
    Windows-1252 text to reopen: nothing told the writer how to get the story out."""
    import pickle
    import sys
    import types
    module = types.ModuleType("tiddlywiki")

    class Tiddler:
        def __init__(self, title, text):
            self.title, self.text, self.tags = title, text, []
    Tiddler.__module__, Tiddler.__qualname__ = "tiddlywiki", "Tiddler"
    module.Tiddler = Tiddler
    monkeypatch.setitem(sys.modules, "tiddlywiki", module)
    story = {"saveDestination": "a.tws", "target": "sugarcane", "storyPanel": {"scale": 1, "passages": [
        {"x": 10, "y": 10, "passage": Tiddler("Start", "Caf\u00e9 \u20ac [[Hall]]")},
        {"x": 10, "y": 90, "passage": Tiddler("Hall", "End.")}]}}
    root = project_factory()
    for protocol in (0, 2):
        tws = root / f"old{protocol}.tws"
        tws.write_bytes(pickle.dumps(story, protocol))
        run = imported(root, "twine", tws, "x")
        assert run.code == 2, run.stdout
        [said] = run.json()["diagnostics"]
        assert said["code"] == "HF1001" and "Twine 1" in said["message"], said
        assert "Export" in said["hint"] and "Twee" in said["hint"], said
    # its published HTML: Twine 2 cannot import it ("no stories could be found"), which the hint sent the writer to
    built = write(root, "old.html", '<html><body><div id="storeArea"><div tiddler="Start" tags="" '
                  'modifier="twee">Go [[Hall]]</div><div tiddler="Hall" tags="">End.</div></div></body></html>\n')
    [said] = imported(root, "twine", built, "x").json()["diagnostics"]
    assert said["code"] == "HF1001" and "tweego -d" in said["hint"] and "Library" not in said["hint"], said
    assert not (root / "content" / "stories" / "x.md").exists()


def test_a_story_with_no_passage_to_be_a_scene_is_not_imported(project_factory):
    """A Twee file holding only StoryTitle, StoryData, StoryInit and a script passage (or
    Twine HTML with no passage) was "Wrote content/stories/x.md: 0 scenes", exit 0, and
    `foundry check` then refused that file (HF0532 "this story has no scenes yet"): the
    import promises a story that reads cleanly. It is HF1001 now, and nothing is written."""
    root = project_factory()
    twee = write(root, "bare.twee", """
        :: StoryTitle
        Bare

        :: StoryData
        {"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "format": "SugarCube", "format-version": "2.36.1"}

        :: StoryInit
        <<set $gold to 1>>

        :: Code [script]
        window.x = 1;
        """)
    html = write(root, "bare.html", TWINE_HTML.format(fmt="Harlowe").split("<tw-passagedata")[0] + "</tw-storydata>")
    for source in (twee, html):
        run = imported(root, "twine", source, "x")
        assert run.code == 2, run.stdout
        assert [d["code"] for d in run.json()["diagnostics"] if d["severity"] == "error"] == ["HF1001"], run.stdout
        assert not (root / "content" / "stories" / "x.md").exists()


def test_a_number_no_story_holds_is_kept_as_a_comment_not_written_as_a_variable(project_factory):
    """ink's `VAR big = 99999999999999999999` (and SugarCube's `<<set $big to …>>`) was
    written into the story's variables; `foundry check` then refused the file the import
    wrote (HF0111: beyond ±2^53). It is HF1003 at its line now, kept as a comment, and
    the story checks."""
    root = project_factory()
    ink = write(root, "big.ink", """
        VAR big = 99999999999999999999
        VAR ok = 2
        Hello.
        * [Go] -> END
        """)
    twee = write(root, "big.twee", """
        :: StoryData
        {"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "format": "SugarCube", "format-version": "2.36.1"}

        :: StoryInit
        <<set $big to -99999999999999999999>><<set $ok to 2>>

        :: Start
        Hello. [[Go->End]]

        :: End
        Bye.
        """)
    # ink keeps the declaration as a comment (HF1003); SugarCube's macro is reported left out (HF1007)
    for kind, source, code, line in (("ink", ink, "HF1003", 1), ("twine", twee, "HF1007", 5)):
        run = imported(root, kind, source, f"big-{kind}")
        assert run.code == 0, run.stdout
        said = [(d["code"], d["line"]) for d in run.json()["diagnostics"] if "99999999999999999999" in d["message"]]
        assert said == [(code, line)], run.stdout
    run = foundry("check", "--project", str(root), "--format", "json")
    assert run.code == 0 and not [d for d in run.json()["diagnostics"] if d["severity"] == "error"], run.stdout


def test_an_unsupported_story_format_names_the_supported_ones(project_factory):
    root = project_factory()
    source = write(root, "cave.html", TWINE_HTML.format(fmt="Chapbook"))
    run = imported(root, "twine", source, "cave")
    assert run.code == 2
    (diag,) = run.json()["diagnostics"]
    assert diag["code"] == "HF1002" and "Chapbook" in diag["message"]
    assert "SugarCube" in diag["message"] and "Harlowe" in diag["message"]
    # the hint said "Change the story format in Twine": followed alone, a Chapbook insert
    # `{gold}` or modifier `[if gold > 2]` is SugarCube text, imported as prose unsaid
    assert diag["hint"].startswith("Rewrite its vars sections, inserts (`{gold}`"), diag["hint"]
    assert "then change the story format in Twine" in diag["hint"]
    snowman = write(root, "snow.html", TWINE_HTML.format(fmt="Snowman"))
    (diag,) = imported(root, "twine", snowman, "snow").json()["diagnostics"]
    assert diag["hint"].startswith("Rewrite its JavaScript (`<% … %>`"), diag["hint"]


def test_html_in_passages_is_reduced_to_text_and_scripts_are_kept_only_as_comments(project_factory):
    root = project_factory()
    source = write(root, "cave.html", TWINE_HTML.format(fmt="SugarCube"))
    run = imported(root, "twine", source, "cave")
    assert run.code == 0, run.stderr
    found = sorted(d["code"] for d in run.json()["diagnostics"])
    assert found == ["HF1003", "HF1003", "HF1009"], run.stdout   # story JavaScript, <script>, markup
    diags = Diagnostics()
    world = check(root, diags)
    assert not diags.has_errors(), [d.message for d in diags.errors]
    story = world.stories["cave"].model
    assert story.front.title == "Cave & Co"
    start = story.scenes["start"]
    assert start.text == "Welcome to the cave."
    assert story.scenes["inside"].text == "It is dark & cold. <3"
    # The sanitised HTML of the scene holds no element from the passage; the script is
    # visible only as the text of the `imported` block.
    import lxml.html
    tree = lxml.html.fragment_fromstring(start.html, create_parent="div")
    # (but its emphasis: `<b>Welcome</b>` is `**Welcome**`, docs/importing.md "Text")
    assert {el.tag for el in tree.iter()} <= {"div", "p", "pre", "code", "strong"}
    assert [el.text for el in tree.iter("strong")] == ["Welcome"]
    assert "alert(1)" in tree.text_content()
    assert not tree.xpath("//script|//img|//*[@onerror]")
    assert "window.evil = 1;" in tree.text_content()      # the story's JavaScript, shown, never run


def test_a_broken_link_a_name_collision_and_a_variable_with_two_types(project_factory):
    root = project_factory()
    source = write(root, "cave.twee", """
        :: StoryData
        {"format": "SugarCube", "format-version": "2.36.1", "start": "The Gate"}

        :: The Gate
        <<set $gold to 3>>
        [[Enter|the gate!]]
        [[Go down|Cellar]]

        :: the gate!
        <<set $gold to "lots">>
        The other gate.
        <<set $name to "Ann">><<set $name to $name + " Lee">><<set $gold++>>
    """)
    run = imported(root, "twine", source, "cave")
    assert run.code == 0, run.stderr
    codes = {(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]}
    # joining text is not one of our effects: said as such, not as a number given to text;
    # `$gold++` is `gold += 1`
    assert codes == {("HF1004", 7, 1), ("HF1005", 9, 1), ("HF1006", 10, 7), ("HF1011", 12, 7),
                     ("HF1007", 12, 29)}, run.stdout
    joined = next(d for d in run.json()["diagnostics"] if d["code"] == "HF1007")
    assert "'name' is text" in joined["message"], joined
    text = (root / "content" / "stories" / "cave.md").read_text(encoding="utf-8")
    assert "## The Gate {#the-gate}" in text and "## the gate\\! {#the-gate-2 .ending}" in text
    assert "[[Go down|Cellar]]" in text            # the broken link, kept in the imported block
    assert foundry("check", "--project", str(root)).code == 0
    # --strict makes the losses fail a script; an existing file is never overwritten.
    before = (root / "content" / "stories" / "cave.md").read_bytes()
    again = imported(root, "twine", source, "cave")
    assert again.code == 2 and "HF1008" in [d["code"] for d in again.json()["diagnostics"]]
    # its hint names an id no story has (ids.spell_id; attack30a)
    (root / "content" / "stories" / "cave-2.md").write_bytes(before)
    [hint] = [d["hint"] for d in imported(root, "twine", source, "cave").json()["diagnostics"] if d["code"] == "HF1008"]
    assert "`--id cave-3`" in hint, hint
    (root / "content" / "stories" / "cave-2.md").unlink()
    assert (root / "content" / "stories" / "cave.md").read_bytes() == before
    assert imported(root, "twine", source, "cave-2", "--strict").code == 1


def test_dry_run_writes_nothing(project_factory):
    root = project_factory()
    run = imported(root, "ink", STORIES / "lantern.ink", "lantern", "--dry-run")
    assert run.code == 0 and run.json()["written"] is None and run.json()["scenes"] > 5
    assert not (root / "content" / "stories" / "lantern.md").exists()


def test_ink_features_without_a_counterpart_are_reported_and_kept(project_factory):
    root = project_factory()
    source = write(root, "odd.ink", """
        VAR gold = 1
        Hello {gold} times. # mood: happy
        -> knot

        === knot ===
        <- thread_a
        -> tunnel ->
        The {~red|blue} door.
        + [Go] -> END

        === function double(x) ===
        ~ return x * 2
    """)
    run = imported(root, "ink", source, "odd")
    assert run.code == 0, run.stderr
    places = sorted((d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    assert places == [("HF1003", 2, 7), ("HF1003", 2, 21), ("HF1003", 6, 1), ("HF1003", 7, 1),
                      ("HF1003", 8, 5), ("HF1003", 11, 1)], run.stdout
    text = (root / "content" / "stories" / "odd.md").read_text(encoding="utf-8")
    for original in ("{gold}", "<- thread_a", "-> tunnel ->", "{~red|blue}", "=== function double(x) ==="):
        assert original in text
    assert foundry("check", "--project", str(root)).code == 0


def test_harlowe_state_and_conditions(project_factory):
    root = project_factory()
    source = write(root, "h.twee", """
        :: StoryData
        {"format": "Harlowe", "format-version": "3.3.8", "start": "Start"}

        :: Init [startup]
        (set: $coins to 2)(set: $name to "Ann")

        :: Start
        (set: $coins to it + 1)
        (if: $coins > 2)[ [[Buy->Shop]] ](else:)[ [[Beg->Shop]] ]
        [[Leave]]

        :: Shop
        (put: true into $bought)
        Bought.

        :: Leave
        Bye.
    """)
    run = imported(root, "twine", source, "h")
    assert run.code == 0 and run.json()["diagnostics"] == [], run.stdout
    text = (root / "content" / "stories" / "h.md").read_text(encoding="utf-8")
    assert "  coins: 3\n" in text and '  name: "Ann"\n' in text and "  bought: false\n" in text
    assert '- [Buy](#shop){if="coins > 2" do="set bought"}' in text
    assert '- [Beg](#shop){if="not coins > 2" do="set bought" id="start-shop-2"}' in text
    assert foundry("check", "--project", str(root)).code == 0


def test_a_story_of_5000_passages(project_factory):
    root = project_factory()
    parts = [':: StoryData\n{"format": "SugarCube", "start": "P0"}\n']
    for n in range(5000):
        nxt = f"[[Next|P{n + 1}]] [[Back|P{max(n - 1, 0)}]]" if n < 4999 else "The end."
        parts.append(f":: P{n}\n<<set $steps to {n}>>Passage {n}.\n{nxt}\n")
    source = root / "big.twee"
    source.write_text("\n".join(parts), encoding="utf-8")
    run = imported(root, "twine", source, "big")
    assert run.code == 0, run.stderr
    assert run.json()["scenes"] == 5000 and run.json()["endings"] == 1


def test_a_sugarcube_variable_read_before_it_is_set_is_pointed_out(project_factory):
    root = project_factory()
    source = write(root, "v.twee", """
        :: StoryData
        {"format": "SugarCube", "start": "Start"}

        :: StoryInit
        <<set $gold to 1>>

        :: Start
        <<set $visits to $visits + 1>>[[Again|Start]] [[Stop]]

        :: Stop
        <<set $done to true>>Done.
    """)
    run = imported(root, "twine", source, "v")
    assert run.code == 0
    found = [(d["code"], d["line"], d["column"], d["severity"]) for d in run.json()["diagnostics"]]
    # $visits is read before anything sets it; $done is set before anything reads it,
    # but nothing gives it a value at the start either: both are pointed out, as info.
    assert found == [("HF1011", 8, 7, "info"), ("HF1011", 11, 7, "info")], run.stdout


def test_never_writes_through_a_link_out_of_the_project(project_factory, tmp_path):
    root = project_factory()
    outside = tmp_path / "outside"
    outside.mkdir()
    stories = root / "content" / "stories"
    for f in stories.iterdir():
        f.unlink()
    stories.rmdir()
    stories.symlink_to(outside, target_is_directory=True)
    run = imported(root, "ink", STORIES / "lantern.ink", "lantern")
    # the rule of every write into the project (commands/project_write.py): HF0165 at the link
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0165"]
    assert "content/stories is a symbolic link that leads outside the project" in run.json()["diagnostics"][0]["message"]
    assert list(outside.iterdir()) == []


def test_a_story_named_in_the_project_through_a_link_out_is_refused_at_the_link(project_factory, tmp_path):
    """A file named by a path in the project is one of its files, read by the one
    confinement rule: a pull request's `imports/cave.ink -> ~/secrets` was imported into
    content/stories/, which the next build published. A file named by its own path
    outside the project is the user's, and is read (every other import here)."""
    root = project_factory()
    secret = "SECRET-OUTSIDE-7731"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.ink").write_text(f"{secret} is here.\n* [Go on] -> END\n", encoding="utf-8")
    (root / "imports").mkdir()
    (root / "imports" / "cave.ink").symlink_to(outside / "notes.ink")
    # by its path, and through a link of the user's own outside the project that leads
    # into it (`~/work -> /data/work`): judged by its name alone, that one was read
    alias = tmp_path / "alias"
    alias.symlink_to(root)
    # and a link to a hidden file beside the inputs (an uncommitted `.env`), as a build's
    # input would be refused: Boundary.entered followed it, and `read` was given `.env`
    (root / ".env").write_text(f"API_TOKEN={secret}\n", encoding="utf-8")
    (root / "imports" / "env.ink").symlink_to("../.env")
    for named in (root / "imports" / "cave.ink", alias / "imports" / "cave.ink", alias / "imports" / "env.ink"):
        run = imported(root, "ink", named, named.stem)
        assert run.code == 2, (named, run.stdout)
        found = [(d["code"], d["file"]) for d in run.json()["diagnostics"]]
        assert found == [("HF0120", f"imports/{named.name}")], (named, run.stdout)
        assert secret not in run.stdout + run.stderr
        assert not (root / "content" / "stories" / f"{named.stem}.md").exists()


def test_an_ink_multiline_block_is_kept_whole_and_its_lines_are_not_read_as_gathers(project_factory):
    root = project_factory()
    source = write(root, "b.ink", """
        VAR gold = 5
        Start.
        { gold > 3:
          - You are rich.
          - else: Poor.
        }
        ~ gold = "many"
        * [Go] -> END
    """)
    run = imported(root, "ink", source, "b")
    assert run.code == 0
    found = sorted((d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    assert found == [("HF1003", 3, 1), ("HF1006", 7, 3)], run.stdout
    text = (root / "content" / "stories" / "b.md").read_text(encoding="utf-8")
    assert "You are rich" not in text.split("```")[0] and "  - else: Poor." in text
    assert foundry("check", "--project", str(root)).code == 0


def test_a_set_after_a_condition_that_reads_it_is_not_moved_before_it(project_factory):
    root = project_factory()
    source = write(root, "o.twee", """
        :: StoryData
        {"format": "SugarCube", "start": "A"}

        :: StoryInit
        <<set $k to false>>

        :: A
        [[Go|B]]

        :: B
        <<if $k>>[[Win|C]]<</if>>
        <<set $k to true>>
        [[Again|B]]

        :: C
        Done.
    """)
    run = imported(root, "twine", source, "o")
    found = [(d["code"], d["line"]) for d in run.json()["diagnostics"]]
    assert found == [("HF1003", 12)], run.stdout
    text = (root / "content" / "stories" / "o.md").read_text(encoding="utf-8")
    assert "set k" not in text                      # on no choice: moving it would offer Win at once
    assert "<<set $k to true>>" in text             # kept for the writer


def test_an_ink_divert_to_nowhere(project_factory):
    root = project_factory()
    source = write(root, "d.ink", """
        Start.
        + [Left] -> left
        + [Right] -> rihgt

        === left ===
        Left.
        -> END
    """)
    run = imported(root, "ink", source, "d")
    assert run.code == 0
    assert [(d["code"], d["line"]) for d in run.json()["diagnostics"]] == [("HF1004", 3)], run.stdout
    assert "the choice is left out" in run.json()["diagnostics"][0]["message"]   # not 'the story ends there'
    text = (root / "content" / "stories" / "d.md").read_text(encoding="utf-8")
    assert "- [Left](#left)" in text and "[Right]" not in text.split("```")[0] and "-> rihgt" in text
    assert foundry("check", "--project", str(root)).code == 0


def test_a_link_to_a_misspelt_passage_names_the_passage_meant(project_factory):
    """`[[Run away|Outsde]]` beside a passage `Outside` (and ink's `-> insde` beside a
    knot `inside`) was told "Fix the link's target in the source" with no word of the
    target meant, as check does for a scene link (HF0304 "Did you mean 'tracks'?")."""
    root = project_factory()
    twee = write(root, "cave.twee", """
        :: StoryData
        {"format": "Harlowe", "format-version": "3.3.8", "start": "Mouth"}

        :: Mouth
        [[Go in->Inside]]
        [[Run away|Outsde]]

        :: Inside
        Dark.

        :: Outside
        You live.
    """)
    ink = write(root, "cave.ink", """
        * [Go in] -> insde
        * [Leave] -> outside
        === inside ===
        Dark.
        -> END
        === outside ===
        You live.
        -> END
    """)
    for kind, source in (("twine", twee), ("ink", ink)):
        run = imported(root, kind, source, f"cave-{kind}", "--dry-run")
        said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1004"]
        meant = "Outside" if kind == "twine" else "inside"
        assert len(said) == 1 and said[0]["hint"] == (f"Did you mean '{meant}'? Fix the link's target in the "
                                                      "source, or add the scene and a choice by hand."), said


def test_ink_names_that_clash_are_reported_as_inks_compilers_refuse_them(project_factory, node_tools):
    """ink's knots, variables, stitches and labels share one namespace: each clash that
    makes inkjs refuse the file is reported at its line, and the story is still imported.
    The knot 'hall' is reached by nothing (`-> hall` inside 'inn' is its own stitch): it
    is a scene of its own, HF1143, which check then refuses as never reached."""
    root = project_factory()
    source = write(root, "clash.ink", """
        VAR yard = 1
        VAR coins = 2
        -> inn
        === inn ===
        The inn.
        + [Hall] -> hall
        + [Cellar] -> cellar
        = hall
        The inn's own hall.
        + [Back] -> inn
        = cellar
        - (coins) The cellar.
        - (lamp) A lamp.
        + [Out] -> yard
        = lamp
        -> END
        === hall ===
        The great hall.
        -> END
        === yard ===
        The yard.
        -> END
    """)
    run = imported(root, "ink", source, "clash")
    assert run.code == 0, run.stderr
    ours = sorted((d["code"], d["line"]) for d in run.json()["diagnostics"])
    assert ours == [("HF1005", 1), ("HF1005", 8), ("HF1005", 12), ("HF1005", 13), ("HF1143", 17)], run.stdout
    # the same places as inkjs's own errors
    from import_support import run_node
    theirs = run_node("ink_player.mjs", source, [])["errors"]
    clashes = [line for code, line in ours if code == "HF1005"]
    assert sorted(int(e.split("line ")[1].split(":")[0]) for e in theirs) == clashes, theirs
    check = foundry("check", "--project", str(root), "--format", "json")
    assert [(d["code"], d["message"].split(" can never")[0]) for d in check.json()["diagnostics"]
            if d["severity"] == "error"] == [("HF0509", "ending 'hall'")], check.stdout


def test_what_is_kept_names_the_source_by_its_file_name_only(project_factory, tmp_path):
    """The same story imported from two folders is the same file, and the repository
    does not learn where the importer's copy lay (`/home/alice/Downloads/…`): each kept
    line names `odd.ink:LINE:COL`, as the summary names the file."""
    source = "VAR gold = 3\n-> start\n=== start ===\n{~Hello|Hi} there.\n* [Go] -> END\n"
    texts = []
    for n, folder in enumerate(("downloads/alice", "elsewhere")):
        root = project_factory(name=f"proj{n}")
        path = tmp_path / folder / "odd.ink"
        path.parent.mkdir(parents=True)
        path.write_text(source, encoding="utf-8")
        run = imported(root, "ink", path, "odd")
        assert run.code == 0, run.stdout
        texts.append((root / "content/stories/odd.md").read_text(encoding="utf-8"))
    assert texts[0] == texts[1]
    assert "odd.ink:4:1: {~Hello|Hi}" in texts[0] and str(tmp_path) not in texts[0]


def test_nesting_a_thousand_deep_is_kept_and_reported_not_a_crash(project_factory):
    """3,000 nested `<<if>>`s, Harlowe hooks, and parentheses in a SugarCube, Harlowe or
    ink condition each ran Python out of stack: `internal error (RecursionError)`, exit
    2, nothing imported. Past 32 levels the rest is kept as written, with a warning at
    its place, and the story is imported."""
    root = project_factory()
    deep = 3000
    head = '{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0%s", "format": "%s", "format-version": "%s", "start": "Start"}'
    sources = {
        "ifs.twee": (":: StoryData\n" + head % ("A1", "SugarCube", "2.36.1") + "\n\n:: Start\n"
                     + "<<if $a>>" * deep + "[[x|End]]" + "<</if>>" * deep + "\n\n:: End\nBye.\n"),
        "hooks.twee": (":: StoryData\n" + head % ("A2", "Harlowe", "3.3.8") + "\n\n:: Start\n"
                       + "(if: $a)[" * deep + "[[x->End]]" + "]" * deep + "\n\n:: End\nBye.\n"),
        "parens.twee": (":: StoryData\n" + head % ("A3", "SugarCube", "2.36.1") + "\n\n:: Start\n<<set $a to 1>>"
                        + "<<if " + "(" * deep + "$a" + ")" * deep + ">>[[x|End]]<</if>>\n[[y|End]]\n\n:: End\nBye.\n"),
        "parens.ink": ("VAR a = 1\n-> start\n=== start ===\n* {" + "(" * deep + "a" + ")" * deep + "} [Go] -> END\n"
                       "* [Stay] -> END\n"),
    }
    for n, (name, text) in enumerate(sources.items()):
        run = imported(root, "ink" if name.endswith(".ink") else "twine", write(root, name, text), f"deep-{n}")
        assert run.code == 0 and "RecursionError" not in run.stderr, (name, run.stdout[-800:], run.stderr[-800:])
        codes = {d["code"] for d in run.json()["diagnostics"]}
        assert codes & {"HF1003", "HF1007"}, (name, codes)
        assert (root / f"content/stories/deep-{n}.md").is_file(), name


def test_a_story_saved_as_utf16_or_utf32_is_read_by_its_byte_order_mark(project_factory):
    # Twine and Inky on Windows (and Notepad) save UTF-16 with a byte-order mark: the
    # story imported is the one the UTF-8 file gives, byte for byte
    root = project_factory()
    for kind, name in (("twine", "lantern.twee"), ("ink", "lantern.ink")):
        text = (STORIES / name).read_text(encoding="utf-8")
        assert imported(root, kind, STORIES / name, "plain").code == 0
        expected = (root / "content/stories/plain.md").read_bytes()
        for codec in ("utf-16", "utf-16-be", "utf-32", "utf-8-sig"):
            (root / codec).mkdir(exist_ok=True)
            source = root / codec / name   # the same name: the summary names the file
            data = text.encode(codec)
            if codec == "utf-16-be":
                data = b"\xfe\xff" + data
            source.write_bytes(data)
            (root / "content/stories/plain.md").unlink()
            run = imported(root, kind, source, "plain")
            assert run.code == 0, (codec, run.stdout)
            assert (root / "content/stories/plain.md").read_bytes() == expected, codec
        (root / "content/stories/plain.md").unlink()


def test_a_story_not_in_utf8_names_each_bad_line_and_the_likely_encoding(project_factory):
    root = project_factory()
    source = root / "cafe.twee"
    source.write_bytes(":: StoryTitle\nCafé\n\n:: Start\nNaïve “words” here.\n".encode("cp1252"))
    run = imported(root, "twine", source, "cafe")
    assert run.code == 2
    found = [(d["code"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0103", 2, 4, "byte 0xe9 is not UTF-8 (in Windows-1252: 'é')"),
                     ("HF0103", 5, 3, "bytes 0xef, 0x93, 0x94 on this line are not UTF-8 "
                                      "(in Windows-1252: 'ï', '“', '”')")]
    assert "Windows-1252" in run.json()["diagnostics"][0]["hint"]
    assert not (root / "content/stories/cafe.md").exists()
    # a declaration that is not an encoding's name changes nothing: the same report
    source.write_bytes(b'<meta charset="no-such-thing">' + ":: Start\nCafé\n".encode("cp1252"))
    run = imported(root, "twine", source, "cafe")
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0103"]
    wide = root / "wide.twee"
    wide.write_bytes(":: Start\nHello\n".encode("utf-16-le"))   # no byte-order mark
    run = imported(root, "twine", wide, "wide")
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF0103"]
    assert "UTF-16" in run.json()["diagnostics"][0]["message"]


def test_twine_html_in_the_encoding_it_declares_is_read_so(project_factory):
    """Twine 1 and hand-edited Twine HTML may be Windows-1252 with <meta charset="…">
    saying so: it was refused as not UTF-8. It is read as it declares (the HTML
    standard's labels: ISO-8859-1 is Windows-1252), and the import says so (HF1012)."""
    root = project_factory()
    page = TWINE_HTML.format(fmt="SugarCube").replace(
        "<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', 1).replace(
        "It is dark &amp; cold.", "Caf\u00e9 \u201cna\u00efve\u201d \u2013 dark &amp; cold.", 1)
    source = root / "cave.html"
    source.write_bytes(page.encode("cp1252"))
    run = imported(root, "twine", source, "cave")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    found = [(d["code"], d["severity"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1012"]
    assert found == [("HF1012", "info", "the file is not UTF-8: read as ISO-8859-1, the encoding it declares")]
    story = (root / "content/stories/cave.md").read_text(encoding="utf-8")
    assert "Caf\u00e9 \u201cna\u00efve\u201d \u2013 dark" in story
    # a file that is UTF-8 is read as UTF-8, whatever it declares: nothing said
    source.write_bytes(page.encode("utf-8"))
    run = imported(root, "twine", source, "cave2")
    assert run.code == 0 and "HF1012" not in [d["code"] for d in run.json()["diagnostics"]]
    assert "Caf\u00e9 \u201cna\u00efve\u201d" in (root / "content/stories/cave2.md").read_text(encoding="utf-8")


def test_a_story_titled_like_a_windows_device_is_not_written_under_that_id(project_factory):
    # its id came from the title: 'Con' -> content/stories/con.md, which git for Windows cannot check out
    root = project_factory()
    source = write(root, "con.twee", """
        :: StoryTitle
        Con

        :: Start
        The end.
        """)
    # the id is spelled as every id foundry suggests (ids.spell_id): never a device name,
    # 'con-1' as `foundry new hero CON` is told; the title is kept
    run = foundry("import", "twine", str(source), "--project", str(root))
    assert run.code == 0, run.stderr
    assert not (root / "content/stories/con.md").exists()
    assert 'title: "Con"' in (root / "content/stories/con-1.md").read_text(encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
    # an id given as a device name is still refused, with the option to change
    run = foundry("import", "twine", str(source), "--project", str(root), "--id", "con")
    assert run.code == 2 and "device name on Windows" in run.stderr and "--id" in run.stderr, run.stderr


def test_a_story_titled_index_is_not_written_over_the_stories_index(project_factory):
    # its id came from the title: content/stories/index.md would write site/stories/index.html
    # (HF0720). A spelled id is numbered past the index page's name, as past a device name
    # (`Con` → `con-1`); the import refused it, with a hint to rename a file it had taken back
    root = project_factory()
    source = write(root, "index.twee", """
        :: StoryTitle
        Index

        :: Start
        The end.
        """)
    dry = foundry("import", "twine", str(source), "--project", str(root), "--format", "json", "--dry-run")
    assert dry.code == 0 and dry.json()["story"] == "index-2", dry.stdout
    assert not (root / "content/stories/index-2.md").exists()
    run = foundry("import", "twine", str(source), "--project", str(root))
    assert run.code == 0, run.stderr
    assert not (root / "content/stories/index.md").exists()
    assert 'title: "Index"' in (root / "content/stories/index-2.md").read_text(encoding="utf-8")
    assert foundry("check", "--project", str(root)).code == 0
    # the id given as `index` is refused, dry or not, from the plans, and nothing is
    # written to find out; the hint names the option, the file not being there
    for dry_run in (("--dry-run",), ()):
        run = foundry("import", "twine", str(source), "--project", str(root), "--format", "json", "--id", "index",
                      *dry_run)
        assert run.code == 2, run.stdout
        [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF0720"]
        assert (said["file"], said["line"]) == ("content/stories/index.md", 1), said
        assert said["hint"].startswith("Choose another id, e.g. `--id index-3`"), said
        assert not (root / "content/stories/index.md").exists()
    # imported again, its spelled id index-2 is taken: refused (HF1008: never over a file),
    # its hint numbered from what the title spells, past the page and that file, as
    # HF0720's is: it said `--id index-2-2`, an id numbered twice
    for dry_run in (("--dry-run",), ()):
        run = foundry("import", "twine", str(source), "--project", str(root), "--format", "json", *dry_run)
        assert run.code == 2, run.stdout
        [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF1008"]
        assert said["file"] == "content/stories/index-2.md", said
        assert said["hint"].startswith("Choose another id, e.g. `--id index-3`,"), said


def test_a_theme_file_named_like_the_story_is_no_page_it_lands_on(project_factory):
    # the project theme's static/img/stories/fog.css is published as
    # site/assets/img/stories/fog.css: `--dry-run --id fog` was refused (HF0720, "would
    # write site/assets/img/stories/fog.css") with the hint `--id fog`, while the import
    # itself wrote the story and check passed: a theme's file is not filed by id
    root = project_factory({"themes/default/static/img/stories/fog.css": "p { color: teal; }\n"})
    source = write(root, "fog.twee", """
        :: StoryTitle
        Fog

        :: Start
        The end.
        """)
    dry = foundry("import", "twine", str(source), "--project", str(root), "--format", "json", "--dry-run",
                  "--id", "fog")
    assert dry.code == 0 and dry.json()["story"] == "fog", dry.stdout
    run = foundry("import", "twine", str(source), "--project", str(root), "--id", "fog")
    assert run.code == 0 and (root / "content/stories/fog.md").exists(), run.stderr


def test_the_text_summary_counts_in_words_a_writer_reads(project_factory):
    # "1 endings." read as a typo in the one line a writer sees after an import.
    root = project_factory()
    source = write(root, "one.ink", """
        Only one way out.
        + [Leave] -> out
        === out ===
        Gone.
        -> END
        """)
    run = foundry("import", "ink", str(source), "--id", "one", "--project", str(root))
    assert run.code == 0, run.stderr
    assert "Wrote content/stories/one.md: 2 scenes, 1 choice, 1 ending.\n" in run.stderr, run.stderr


def test_an_import_passes_check_when_the_project_requires_line_ids(project_factory):
    # `[l10n] require_line_ids = true` makes an untagged paragraph an error (HF1101): the
    # imported story's paragraphs get their line ids as it is written, so it reads cleanly.
    root = project_factory()
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text() + "\n[l10n]\nrequire_line_ids = true\n")
    assert foundry("l10n", "tag", "--project", str(root)).code == 0
    run = imported(root, "ink", STORIES / "lantern.ink", "lantern")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    diags = Diagnostics()
    world = check(root, diags)
    assert world is not None and not diags.has_errors(), [f"{d.code} {d.span}" for d in diags.errors][:5]
    assert " ^l-" in (root / "content/stories/lantern.md").read_text()


def test_an_import_checks_the_project_once_and_still_tags_the_story(project_factory, monkeypatch, capsys):
    """After writing the story an import checked the whole project (an output its id
    clashes with, HF0720), then checked it again, unchanged, to read whether it requires
    line ids before tagging: every file of the project loaded and every output planned
    twice, half of an import's time (0.19 -> 0.10 CPU-s importing lantern.ink into the
    minimal project). One check serves both now, and the story is still tagged. Run in
    this process, to count the checks the command makes."""
    import pipeline.commands.line_ids as line_ids
    import pipeline.engine.builder as builder
    from pipeline import cli
    root = project_factory()
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text() + "\n[l10n]\nrequire_line_ids = true\n")
    checks = []

    def counted(*args, **kwargs):
        checks.append(args[0])
        return check(*args, **kwargs)
    monkeypatch.setattr(builder, "check", counted)      # scaffold's check, imported where it runs
    monkeypatch.setattr(line_ids, "check", counted)
    with pytest.raises(SystemExit) as done:
        cli.cli.main(["import", "ink", str(STORIES / "lantern.ink"), "--id", "lantern", "--project", str(root),
                      "--format", "json"], standalone_mode=False)
    assert done.value.code == 0, capsys.readouterr()
    assert checks == [root]
    assert " ^l-" in (root / "content/stories/lantern.md").read_text()


def test_two_choices_to_one_scene_in_two_scenes_have_ids_unique_in_the_story(project_factory):
    # The second choice to a scene gets an id of its own; its line id (what a translation
    # is keyed on) is story.<id>.choice.<choice id>, so the id must not repeat in another
    # scene: `deep-2` in two scenes was HF1102 twice once the project had a language.
    root = project_factory()
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    source = write(root, "twice.ink", """
        VAR lit = false
        -> mouth
        === mouth ===
        The mouth of the cave.
        * {lit} [Go in with the lamp] -> deep
        * {not lit} [Go in blind] -> deep
        * [Look for a ledge] -> ledge
        === ledge ===
        A ledge.
        * {lit} [Climb down with the lamp] -> deep
        * {not lit} [Climb down blind] -> deep
        === deep ===
        Deep.
        -> END
        """)
    run = imported(root, "ink", source, "twice")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    text = (root / "content/stories/twice.md").read_text()
    ids = re.findall(r' id="([a-z0-9-]+)"', text)
    assert len(ids) == 2 and len(set(ids)) == 2 and "ledge-deep-2" in ids, text
    diags = Diagnostics()
    check(root, diags)
    assert not [d for d in diags.items if d.code in ("HF1102", "HF0511")], [f"{d.code} {d.span}" for d in diags.items]


def test_numbered_choice_ids_never_repeat_an_id_of_another_scene_and_fit_an_id(project_factory):
    # The number was found against the scene's own ids: scene `a` to `b-c` and scene
    # `a-b` to `c` were both told `a-b-c-2` (HF1102 once the project had a language,
    # said by check after import said nothing); and two long passage names made a
    # 124-character id where every id foundry names fits 64.
    root = project_factory()
    (root / "foundry.toml").write_text((root / "foundry.toml").read_text() + '\n[l10n]\nlanguages = ["de"]\n')
    far = "Another quite long passage name that goes on for a while too"
    source = write(root, "joined.twee", f"""
        :: Start
        Go. [[One|A]] [[Two|A]] [[Three|A B]] [[Four|{far}]] [[Five|{far}]]

        :: A
        x [[One|B C]] [[Two|B C]]

        :: A B
        y [[One|C]] [[Two|C]]

        :: B C
        z

        :: C
        w

        :: {far}
        v
        """)
    run = imported(root, "twine", source, "joined")
    assert run.code == 0, run.stdout[-2000:] + run.stderr[-2000:]
    ids = re.findall(r'\bid="([a-z0-9-]+)"', (root / "content/stories/joined.md").read_text())
    assert len(ids) == 4 and len(set(ids)) == 4 and all(len(i) <= 64 for i in ids), ids
    assert {"a-b-c-2", "a-b-c-3"} <= set(ids), ids
    checked = foundry("check", "--project", str(root), "--format", "json")
    assert not [d for d in diagnostics(checked) if d.startswith(("HF1102", "HF0511", "HF0113"))], checked.stdout


def test_html_in_a_link_text_is_reduced_to_its_text_and_reported(project_factory):
    """`[[<u>Go</u> in|Inside]]` was imported as typed: the choice read "<u>Go</u> in"
    (escaped on the page). Reduced to what the Twine reader saw, as passage text is,
    and said in the import report (HF1009) at the link, in a conditional link too.
    Emphasis, strong and code in a link's text are kept as Markdown, as in prose: they
    were reduced too, so our own Twee export's `*…*` in a choice came back plain."""
    root = project_factory()
    source = write(root, "cave.html", TWINE_HTML.format(fmt="SugarCube").replace(
        "[[Go in|Inside]]", "[[&lt;u&gt;Go&lt;/u&gt; in|Inside]]\n"
        "&lt;&lt;if $lamp&gt;&gt;[[&lt;span class='x'&gt;Light&lt;/span&gt; the lamp|Inside]]&lt;&lt;/if&gt;&gt;\n"
        "[[&lt;b&gt;Run&lt;/b&gt; &lt;i&gt;far&lt;/i&gt; &lt;code&gt;a*b&lt;/code&gt; &lt;s&gt;now&lt;/s&gt;|Inside]]"))
    run = imported(root, "twine", source, "cave")
    assert run.code == 0, run.stderr
    reduced = [d for d in run.json()["diagnostics"] if d["code"] == "HF1009" and "link" in d["message"]]
    assert sorted(d["message"].split("its text ")[1] for d in reduced) == ["'Go in'", "'Light the lamp'"], reduced
    story = (root / "content/stories/cave.md").read_text(encoding="utf-8")
    assert "<u>" not in story and "<span" not in story and "&lt;" not in story, story
    assert "[**Run** *far* `a*b` ~~now~~](#inside)" in story, story
    diags = Diagnostics()
    world = check(root, diags)
    assert not diags.has_errors(), [d.message for d in diags.errors]
    texts = sorted(c.text for c in world.stories["cave"].model.scenes["start"].choices)
    assert texts == ["Go in", "Light the lamp", "Run far a*b now"], texts   # (the plain text of each)


TAG_LIKE_TWEE = """
    :: StoryTitle
    Signs

    :: StoryData
    {"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "format": "%s", "format-version": "%s", "start": "Start"}

    :: Start
    The sign says <Keep Out> and <span class="x">means</span> it. 3 < 4, a<b.
    She wrote I <3 you, <!-- a note --> then [the hook]<door| and <my-tag x="1">inner</my-tag>.
    [[Go->End]]

    :: End
    Done <the end>.
    """


@pytest.mark.parametrize("fmt,version", [("SugarCube", "2.36.1"), ("Harlowe", "3.3.8")])
def test_text_written_like_a_tag_is_kept_and_said(project_factory, fmt, version):
    """libxml2, reducing a passage's HTML to its text, opened a tag at any `<` and a
    letter and read on to the next `>`: `a<b.` took "b. She wrote I <3 you, " with it,
    `<Keep Out>` and `<the end>` vanished, and the import said only "markup reduced"
    (HF1009, info). The formats show a `<` that opens no whole tag as the character; a
    whole tag naming no HTML element (an unknown element to the format) is kept as text
    and said (HF1014, once a passage, at its first); real markup is reduced as before."""
    root = project_factory()
    source = write(root, "signs.twee", TAG_LIKE_TWEE % (fmt, version))
    run = imported(root, "twine", source, "signs")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] in ("HF1009", "HF1014")]
    # in Harlowe `[the hook]<door|` is a named hook, shown as its text: the text after
    # it is a piece of its own, said on its own
    harlowe = fmt == "Harlowe"
    assert said == [("HF1014", 8, 15), ("HF1009", 8, 30)] + [("HF1014", 9, 63)] * harlowe + [("HF1014", 13, 6)], said
    first = [d for d in run.json()["diagnostics"] if d["code"] == "HF1014"][0]["message"]
    assert ("'<Keep Out>', kept" if harlowe else "'<Keep Out>' (and 2 more)") in first, first
    machine = machine_for(root, "signs")
    seen = ours(machine, [1])["steps"]
    hook = "the hook" if harlowe else "[the hook]<door|"
    assert seen[0]["lines"] == ["The sign says <Keep Out> and means it. 3 < 4, a<b.",
                                f'She wrote I <3 you, then {hook} and <my-tag x="1">inner</my-tag>.'], seen
    assert seen[1]["lines"] == ["Done <the end>."], seen


def test_a_script_in_a_passage_is_said_at_its_own_line(project_factory):
    """A `<script>` in a passage's text was said at the top of that text (the passage's
    first line, lines above it), not where the file writes it."""
    root = project_factory()
    source = write(root, "signs.twee", (TAG_LIKE_TWEE % ("SugarCube", "2.36.1")).replace(
        "[[Go->End]]", "Then <script>alert(1)</script> and <style>p{}</style>.\n    [[Go->End]]"))
    run = imported(root, "twine", source, "signs")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF1003"]
    assert said == [(10, 6), (10, 36)], said


def test_text_of_many_open_brackets_is_read_in_linear_time(project_factory):
    """Which `<` opens a tag is decided by a look that ends at the next `<`, so passage
    text of ~1.2 MB made of unfinished tags, attribute values, comments and declarations
    imports within a CPU cap a quadratic look (each `<` reading on to the end) would
    need hours to fit in; every character of it is kept. The cap is 20 CPU-s (the import
    takes ~5): at 60 a declaration read on past the next `<` (`<!(?!--)[^>]*>`, ~27 CPU-s
    here) passed, a quadratic look the test exists to catch."""
    root = project_factory()
    unit = '<a b <a x=" <!-- <!x '
    body = unit * 60_000
    source = root / "brackets.twee"
    source.write_text(":: StoryData\n{\"format\": \"SugarCube\", \"start\": \"Start\"}\n\n"
                      f":: Start\n{body}\n", encoding="utf-8")

    proc = foundry_within(["import", "twine", str(source), "--id", "brackets", "--project", str(root),
                           "--format", "json"], 20)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    story = (root / "content/stories/brackets.md").read_text(encoding="utf-8")
    kept = re.sub(r"\\(.)", r"\1", re.split(r"## Start \{[^}]*\}\n", story, maxsplit=1)[1]).strip()
    assert kept == body.strip(), (kept[:200], len(kept), len(body))


def test_a_line_of_many_character_references_is_written_in_linear_time(project_factory):
    """A line of 150,000 references (`&#x202E;`) in a kept macro was made again for each
    one, a quadratic copy; now within a CPU cap. (The import takes ~7 CPU-s on a quiet
    machine of the thirty-second session's and the quadratic copy ~30: the cap sits
    between, with room for a loaded machine.) In the `imported` block keeping it, a
    reference is the characters typed (check reads none in code): kept as the source
    wrote it; written `&amp;#x202E;` (and, once HF0134 was, `&amp;#146;`, `&amp;#0;`)
    the block no longer showed the source."""
    root = project_factory()
    source = root / "refs.twee"
    macro = '<<run "It&#146;s &#0; ' + "&#x202E;" * 150_000 + '">>'
    source.write_text(':: StoryData\n{"format": "SugarCube", "start": "Start"}\n\n'
                      f':: Start\n{macro}\nHello.\n', encoding="utf-8")

    proc = foundry_within(["import", "twine", str(source), "--id", "refs", "--project", str(root),
                           "--format", "json"], 20)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    story = (root / "content/stories/refs.md").read_text(encoding="utf-8")
    assert macro in story and "&amp;" not in story, story[-400:]
    assert foundry("check", "--project", str(root)).code == 0


def test_story_data_nested_past_the_recursion_limit_is_no_crash(project_factory):
    """StoryData's JSON nested some thousand levels deep made Python's json raise
    RecursionError, which the importer did not expect: "internal error". It is read
    as StoryData that is not JSON, as any other."""
    root = project_factory()
    source = write(root, "deep.twee", ":: StoryData\n" + "[" * 5000 + "]" * 5000 + "\n\n:: Start\nHello.\n")
    run = imported(root, "twine", source, "deep")
    assert "internal error" not in run.stderr and run.code in (0, 1), run.stderr[-600:]


STORY_DATA_TWEE = ":: StoryTitle\nCave\n\n:: StoryData\n{data}\n\n:: Begin\nHi [[Next]]\n\n:: Start\nOld start.\n\n:: Next\nBye\n"


def test_story_data_that_cannot_be_read_is_said_with_what_is_used_instead(project_factory):
    """StoryData that was not JSON, not an object, or held a misspelt or mistyped field
    was dropped without a word: the story then started at another passage (`Start`,
    not the `Begin` it named) and the writer never knew why."""
    root = project_factory()
    cases = {
        "comma": ('{"format": "SugarCube", "start": "Begin",}', [(5, 42, "not JSON")]),
        "list": ('["SugarCube", "Begin"]', [(5, 1, "not a JSON object")]),
        "fields": ('{"format": "SugarCube", "strat": "Begin", "zoom": "big"}',
                   [(5, 25, "'strat' is not a Twee 3 field"), (5, 43, "'zoom' should be a number")]),
        "typed": ('{"format": "SugarCube", "start": 1}', [(5, 25, "'start' should be text")]),
        "nowhere": ('{"format": "SugarCube", "start": "Beginn"}', [(5, 25, "start 'Beginn' names no passage")]),
    }
    for name, (data, expected) in cases.items():
        source = write(root, f"{name}.twee", STORY_DATA_TWEE.format(data=data))
        run = imported(root, "twine", source, name, "--dry-run")
        assert run.code == 0, run.stdout
        found = [(d["code"], d["line"], d["column"], d["message"], d["hint"]) for d in run.json()["diagnostics"]
                 if d["code"] in ("HF0168", "HF1004")]   # not HF1143: `Begin` is not reached from `Start`
        assert [(c, line, col) for c, line, col, _, _ in found] == [("HF0168", line, col) for line, col, _ in expected], found
        for (_, _, _, message, hint), (_, _, words) in zip(found, expected):
            assert words in message and hint, found
    # what was used instead is named: the passage the story starts at
    run = imported(root, "twine", root / "nowhere.twee", "nowhere", "--dry-run")
    assert "starts at its first passage 'Begin'" in run.json()["diagnostics"][0]["message"]
    run = imported(root, "twine", root / "comma.twee", "comma", "--dry-run")
    assert "SugarCube" in run.json()["diagnostics"][0]["message"] and "`Start`" in run.json()["diagnostics"][0]["message"]


def test_a_twine_startnode_naming_no_passage_is_said(project_factory):
    root = project_factory()
    source = write(root, "lost.html", TWINE_HTML.format(fmt="SugarCube").replace('startnode="1"', 'startnode="9"'))
    run = imported(root, "twine", source, "lost", "--dry-run")
    found = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    assert ("HF0168", 2, "<tw-storydata> startnode '9' names no passage; the story starts at its first passage "
            "'Start'") in found, found
    assert not [f for f in found if f[0] == "HF1004"], found


def test_a_malformed_ink_declaration_is_said_not_shown_as_prose(project_factory):
    """`VAR gold-coins = 3` (a name ink refuses) or `VAR x 3` matched no declaration and
    was imported as a paragraph of the first scene: the variable was dropped without a
    word and the line shown to readers."""
    root = project_factory()
    source = write(root, "g.ink", """
        VAR gold-coins = 3
        VAR x 3
        VAR fine = 1
        Hello.
        * [Go] -> done
        == done ==
        Done.
        -> END
    """)
    run = imported(root, "ink", source, "g")
    assert run.code == 0, run.stdout
    assert [(d["code"], d["line"]) for d in run.json()["diagnostics"]] == [("HF1003", 1), ("HF1003", 2)], run.stdout
    text = (root / "content/stories/g.md").read_text(encoding="utf-8")
    prose = text.split("```")[0]
    assert "VAR" not in prose.split("---", 2)[2] and "fine: 1" in text, text
    assert "VAR gold-coins = 3" in text   # kept for the writer, in the imported block


def test_an_unsupported_format_is_said_where_the_file_names_it(project_factory):
    root = project_factory()
    source = write(root, "chap.twee", ':: StoryTitle\nCave\n\n:: StoryData\n{"ifid": "X",\n "format": "Chapbook"}\n\n'
                   ":: Start\nHi\n")
    run = imported(root, "twine", source, "chap")
    assert run.code == 2
    assert [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]] == [("HF1002", 6, 2)], run.stdout


def test_a_refused_import_says_only_why_it_was_refused(project_factory):
    """A Chapbook Twee file with a misspelt StoryData field (`strat`) was refused (HF1002,
    exit 2) and still said two warnings about a story it did not write: "no StoryData
    start" and "'strat' is not a Twee 3 field". An import refused because the story file
    exists said every HF1003 of the story again beside its HF1008. A refused input says
    one thing: what refused it."""
    root = project_factory()
    chap = write(root, "chap.twee", ':: StoryData\n{"format": "Chapbook", "strat": "Gate"}\n\n'
                 ":: Gate\nHi <<if $x>>shown<</if>>\n")
    run = imported(root, "twine", chap, "chap")
    assert run.code == 2 and [d["code"] for d in run.json()["diagnostics"]] == ["HF1002"], run.stdout
    cube = write(root, "cube.twee", ':: StoryData\n{"format": "SugarCube", "strat": "Gate"}\n\n'
                 ":: Gate\nHi <<if $x>>shown<</if>>\n")
    first = imported(root, "twine", cube, "cube")
    assert first.code == 0 and "HF1003" in [d["code"] for d in first.json()["diagnostics"]], first.stdout
    again = foundry("import", "twine", str(cube), "--id", "cube", "--project", str(root))
    assert again.code == 2 and "HF1008" in again.stderr, again.stderr
    assert "HF1003" not in again.stderr and "HF0168" not in again.stderr and "0 warnings" in again.stderr, again.stderr


def test_a_twine_html_passage_is_said_at_its_own_line(project_factory):
    """A passage no link reaches (HF1143) or whose id clashes (HF1005) was said one line
    above its `<tw-passagedata>` (a Twee header's place, one line above the text, taken
    for HTML too): at the passage before it."""
    root = project_factory()
    source = write(root, "two.html", """
        <tw-storydata name="Two" startnode="1" format="SugarCube">
        <tw-passagedata pid="1" name="A">Hi [[C]]</tw-passagedata>
        <tw-passagedata pid="2" name="Lost">Nobody comes here</tw-passagedata>
        <tw-passagedata pid="3" name="C">See</tw-passagedata>
        <tw-passagedata pid="4" name="c">Again</tw-passagedata>
        </tw-storydata>
    """)
    run = imported(root, "twine", source, "two", "--dry-run")
    found = sorted((d["code"], d["line"]) for d in run.json()["diagnostics"])
    assert found == [("HF1005", 5), ("HF1143", 3), ("HF1143", 5)], run.stdout


def test_ink_knots_named_alike_are_said_as_twine_passages_are(project_factory):
    """HF1005 is "two passages (or knots) whose names differ only in case, punctuation
    or accents": ink's knots `Gate` and `gate` (ink tells them apart) were imported as
    scenes gate and gate-2 without a word, where Twine's passages are said. A label in a
    knot (a scene of its own, numbered after its knot) is not two names alike."""
    root = project_factory()
    source = write(root, "alike.ink", """
        -> Gate
        === Gate ===
        A gate.
        * [In] -> gate
        * [Wait] -> Gate.yard
        = yard
        - (still) The yard.
        * [Again] -> still
        === gate ===
        Inside.
        -> END
        """)
    run = imported(root, "ink", source, "alike")
    assert run.code == 0, run.stderr
    found = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1005"]
    assert found == [("HF1005", 9, "knot 'gate' would get the id of 'Gate'; it is 'gate-2'")], run.stdout
    assert "## gate {#gate-2 .ending}" in (root / "content/stories/alike.md").read_text(encoding="utf-8")


def test_a_second_story_data_or_title_is_said(project_factory):
    """Twee 3 has one StoryData and one StoryTitle: a second was read over the first
    without a word (the story then started elsewhere, or was titled otherwise)."""
    root = project_factory()
    source = write(root, "twice.twee", ':: StoryTitle\nCave\n\n:: StoryData\n{"format": "SugarCube", "start": "A"}\n\n'
                   ':: A\nHi [[B]]\n\n:: StoryData\n{"start": "B"}\n\n:: StoryTitle\nOther\n\n:: B\nBye\n')
    run = imported(root, "twine", source, "twice", "--dry-run")
    found = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0168", 10, "a second StoryData passage is not read; the one at line 4 is"),
                     ("HF0168", 13, "a second StoryTitle passage is not read; the one at line 1 is")], found


def test_a_tag_list_with_no_closing_bracket_is_said(project_factory):
    """`:: Setup [init` read as an ordinary passage with no tags, unsaid: its sets were
    then a scene's, not the story's start."""
    root = project_factory()
    source = write(root, "tags.twee", ':: StoryData\n{"format": "SugarCube", "start": "A"}\n\n'
                   ":: A [tag1 tag2\nHi [[B]]\n\n:: B\nBye\n")
    run = imported(root, "twine", source, "tags", "--dry-run")
    found = [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"]]
    assert found == [("HF0168", 4, 6)], run.stdout


def test_a_story_name_too_long_for_a_title_and_a_hostile_format_version_still_check(project_factory):
    """A Twine story named with 300 characters (or 150 asterisks: 300 once escaped), an
    ink `# title:` as long, and a Twine `format-version` holding markup and 6,000
    characters: the import wrote them into the front matter as they were, and the story
    it promises reads cleanly failed `foundry check` (HF0204 at `title:` and `summary:`,
    HF0124 at the `<b>` in the summary). The name is cut to fit, said at the line that
    names it (HF1010); a version Twine would not write is left out of the summary."""
    root = project_factory()
    version = "2.0 <b>x</b> [a](javascript:x) *em*" + "z" * 6000
    sources = {
        "long.html": f'<tw-storydata name="{"Far " * 75}" startnode="1" format="SugarCube" '
                     f'format-version="{version}">\n<tw-passagedata pid="1" name="S">[[x->T]]</tw-passagedata>\n'
                     '<tw-passagedata pid="2" name="T">Bye.</tw-passagedata></tw-storydata>\n',
        "stars.twee": ":: StoryTitle\n" + "*" * 150 + "\n\n:: Start\n[[x->End]]\n\n:: End\nBye.\n",
        "long.ink": "# title: " + "Deep " * 60 + "\n-> start\n=== start ===\nHi.\n* [Go] -> END\n",
    }
    for n, (name, text) in enumerate(sources.items()):
        run = imported(root, "ink" if name.endswith(".ink") else "twine", write(root, name, text), f"long-{n}")
        assert run.code == 0, (name, run.stdout)
        cut = [(d["line"], d["message"]) for d in run.json()["diagnostics"] if d["code"] == "HF1010"]
        assert len(cut) == 1 and cut[0][0] == (2 if name.endswith(".twee") else 1), (name, cut)
    checked = foundry("check", "--project", str(root), "--format", "json")
    assert checked.code == 0 and checked.json()["diagnostics"] == [], checked.stdout
    summary = (root / "content/stories/long-0.md").read_text(encoding="utf-8").splitlines()[3]
    assert summary == 'summary: "Imported from long\\\\.html (Twine 2 HTML, SugarCube 2) by foundry import."'


def test_a_story_too_large_for_a_story_file_is_refused_not_written(project_factory):
    """A Twee passage of 3 MB pasted text, or 26,000 passages (each a heading, its text
    and a choice: 78,000 lines), were "Wrote content/stories/x.md", exit 0, and the next
    `foundry check` refused that file whole (HF0116 over 2 MiB, HF0143 over 50,000
    lines). HF1013 now, exit 2, nothing written (fuzz31)."""
    root = project_factory()
    long_passage = root / "long.twee"
    long_passage.write_text(":: Start\n" + "word " * 600_000 + "\n", encoding="utf-8")
    many = root / "many.twee"
    many.write_text("\n".join(f":: P{n}\nPassage {n}.\n[[Next|P{n + 1}]]\n" for n in range(26_000))
                    + "\n:: P26000\nThe end.\n", encoding="utf-8")
    for source, says in ((long_passage, "bytes (the limit is 2,097,152)"),
                         (many, "non-blank lines (the limit is 50,000)")):
        run = imported(root, "twine", source, "x")
        assert run.code == 2, run.stdout + run.stderr
        [diag] = run.json()["diagnostics"]
        assert diag["code"] == "HF1013" and says in diag["message"], diag
        assert not (root / "content" / "stories" / "x.md").exists()
    # reading a story costs ~100 times its bytes: past the memory budget (a 28 MB Twee file,
    # within the 64 MiB a source may have, took 2.9 GB) HF1013 too, not "internal error (MemoryError)"
    run = foundry("import", "twine", str(many), "--id", "x", "--project", str(root), "--format", "json",
                  env={"FOUNDRY_RENDER_MEMORY_MB": "2"})
    assert run.code == 2 and "internal error" not in run.stderr, run.stdout + run.stderr
    [diag] = run.json()["diagnostics"]
    assert diag["code"] == "HF1013" and "ran out of memory (its budget is 2 MiB" in diag["message"], diag
    assert diag["file"] == str(many) and not (root / "content" / "stories" / "x.md").exists(), diag


def test_a_passage_whose_markup_is_not_escaped_is_read_whole(project_factory):
    """Twine escapes a passage's text (`&lt;&lt;set …&gt;&gt;`); a file edited by hand or
    made by another tool may not. lxml read `<<set $gold to 5>>` as an element, and only
    the text before it was taken: the passage became `\\<`, its prose, macros and links
    dropped without a word ("3 scenes, 0 choices", and `check` then refused the scenes
    no choice reached). The passage is read from the source now, as if escaped (fuzz31)."""
    root = project_factory()
    source = root / "hand.html"
    source.write_text(
        '<html><body><tw-storydata name="Hand" startnode="1" format="SugarCube" format-version="2.36.1" '
        'ifid="D674C58C-DEFA-4F70-B7A2-27742230C0FC">'
        '<tw-passagedata pid="1" name="Start" tags="">A cave. <<set $gold to 5>>Gold &amp; glory.\n'
        '<<if $gold gt 3>>[[Deeper|Deep]]<</if>>\n[[Leave]]</tw-passagedata>'
        '<tw-passagedata pid="2" name="Deep" tags="">Dark <b>and</b> deep. [[Leave]]</tw-passagedata>'
        '<tw-passagedata pid="3" name="Leave" tags="">The end.</tw-passagedata>'
        '</tw-storydata></body></html>', encoding="utf-8")
    run = imported(root, "twine", source, "hand")
    assert run.code == 0, run.stdout + run.stderr
    assert (run.json()["scenes"], run.json()["choices"], run.json()["endings"]) == (3, 3, 1), run.json()
    written = (root / "content/stories/hand.md").read_text(encoding="utf-8")
    assert "A cave\\. Gold \\& glory\\." in written and "Dark **and** deep\\." in written, written
    assert "gold: 5" in written and '{if="gold > 3"}' in written, written
    assert foundry("check", "--project", str(root)).code == 0


def test_ink_lines_no_reading_reaches_are_kept_and_said(project_factory):
    """A gather after choices that all divert, and a choice nested under one that
    diverts, are reached by no reading of the story: the import left them out, text,
    effect and choice, with "No problems found" (fuzz31). Each is kept as a comment in
    its knot's scene now, and said where it is written (HF1003)."""
    root = project_factory()
    source = write(root, "dead.ink", """
        VAR gold = 0
        -> start
        === start ===
        Hello.
        * [Go] -> next
        + [Stay] -> next
        * * [Nested] -> next
        - Gathered text.
        ~ gold = 2
        -> next
        === next ===
        End.
        -> END
    """)
    run = imported(root, "ink", source, "dead")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["code"], d["line"]) for d in run.json()["diagnostics"]]
    assert said == [("HF1003", 7), ("HF1003", 8), ("HF1003", 9)], run.json()["diagnostics"]
    written = (root / "content/stories/dead.md").read_text(encoding="utf-8")
    for line in ("* * [Nested] -> next", "- Gathered text.", "~ gold = 2"):
        assert line in written, written
    assert foundry("check", "--project", str(root)).code == 0


def test_each_passage_of_a_published_story_is_placed_at_its_own_column(project_factory):
    """A published story is one line of HTML. Every passage on it was given the column
    of the first passage's text, so a finding in the third passage pointed into the
    first; and the line was lowered and searched again for each passage, which made an
    import of 20,000 passages run for minutes (fuzz31). What is said of a passage itself
    (its tags, no link reaching it) was said at column 1 of that line, pointing at no
    passage: it is said at its own `<tw-passagedata` (s48)."""
    root = project_factory()
    passages = ['<tw-passagedata pid="1" name="Start" tags="">Hello. [[B]]</tw-passagedata>',
                '<tw-passagedata pid="2" name="B" tags="">Then. [[C]]</tw-passagedata>',
                '<tw-passagedata pid="3" name="C" tags="mood">&lt;&lt;run window.x()&gt;&gt;The end.</tw-passagedata>',
                '<tw-passagedata pid="4" name="D" tags="">Nobody comes here.</tw-passagedata>']
    line = ('<html><body><tw-storydata name="Pub" startnode="1" format="SugarCube" format-version="2.36.1" '
            'ifid="D674C58C-DEFA-4F70-B7A2-27742230C0FC">' + "".join(passages) + "</tw-storydata></body></html>")
    source = root / "pub.html"
    source.write_text(line, encoding="utf-8")
    run = imported(root, "twine", source, "pub", "--dry-run")
    assert run.code == 0, run.stdout + run.stderr
    [said] = [d for d in run.json()["diagnostics"] if d["code"] == "HF1003" and "run" in d["message"]]
    assert (said["line"], said["column"]) == (1, line.index("&lt;&lt;run") + 1), said
    of_passage = {d["code"]: (d["line"], d["column"]) for d in run.json()["diagnostics"]
                  if d["code"] == "HF1143" or "tags" in d["message"]}
    assert of_passage == {"HF1003": (1, line.index('<tw-passagedata pid="3"') + 1),
                          "HF1143": (1, line.index('<tw-passagedata pid="4"') + 1)}, of_passage


def test_an_ink_function_is_kept_whole_not_only_its_header(project_factory, node_tools):
    """A function has no counterpart: it is said once, at its header, and kept in the
    imported block with every line of its body (what the writer rewrites), up to the
    next knot, which is still imported as a scene. The body was dropped without a word,
    only the header kept. inkjs compiles the source: the file is ink as real stories
    write it."""
    root = project_factory()
    source = write(root, "fn.ink", """
        VAR gold = 3
        -> shop
        === function price(n) ===
        { n > 2:
            ~ return n * 2
        }
        ~ return n + 1
        === shop ===
        A shop.
        + [Leave] -> road
        === road ===
        The road.
        -> END
        === function greet(who) ===
        Hello, {who}!
        ~ gold = gold - 1
    """)
    from import_support import run_node
    assert run_node("ink_player.mjs", source, [[1]])["errors"] == []
    run = imported(root, "ink", source, "fn")
    assert run.code == 0, run.stderr
    said = sorted((d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"])
    assert said == [("HF1003", 3, 1), ("HF1003", 14, 1)], run.stdout
    text = (root / "content" / "stories" / "fn.md").read_text(encoding="utf-8")
    block = re.search(r"```imported\n(.*?)\n```", text, re.S).group(1)
    for line in ("=== function price(n) ===", "{ n > 2:", "~ return n * 2", "~ return n + 1",
                 "=== function greet(who) ===", "Hello, {who}!", "~ gold = gold - 1"):
        assert line in block, (line, block)
    assert "## shop {#shop}" in text and "## road {#road .ending}" in text
    assert foundry("check", "--project", str(root)).code == 0


def test_an_ink_loop_of_diverts_and_a_long_chain_are_said_where_they_are(project_factory, node_tools):
    """A loop of diverts with no choice (ink would print forever) is said at the divert
    that closes it; a chain of diverts longer than the budget a reading may follow
    (MAX_HOPS lines and diverts), which is no loop, is said where the reading is cut,
    and the knot it was cut before is said as cut, not as reached by no divert. Both
    were 'a loop of diverts' at 1:1, and the chain's later knots 'reached by no divert
    or choice'. inkjs compiles both, and plays the chain to its end."""
    from import_support import run_node
    root = project_factory()
    loop = write(root, "loop.ink", """
        -> a
        === a ===
        Hi.
        -> b
        === b ===
        Ho.
        -> a
    """)
    assert run_node("ink_player.mjs", loop, [])["errors"] == []
    run = imported(root, "ink", loop, "loop")
    assert run.code == 0, run.stderr
    said = [(d["code"], d["line"], d["column"], d["message"]) for d in run.json()["diagnostics"]]
    assert [(c, line, col) for c, line, col, _ in said] == [("HF1003", 7, 1)], said
    assert "a loop of diverts" in said[0][3]

    knots = 5200       # two items a knot (its text and its divert): past the 10,000 a reading follows
    chain = root / "chain.ink"
    chain.write_text("-> k0\n" + "".join(f"=== k{n} ===\nT{n}.\n-> k{n + 1}\n" for n in range(knots))
                     + f"=== k{knots} ===\nEnd.\n-> END\n", encoding="utf-8")
    played = run_node("ink_player.mjs", chain, [[]])
    assert played["errors"] == [] and played["runs"][0]["ending"], played["errors"]
    assert played["runs"][0]["steps"][0]["lines"][-1] == "End."
    run = imported(root, "ink", chain, "chain")
    assert run.code == 0, run.stderr
    said = [(d["code"], d["line"], d["message"]) for d in run.json()["diagnostics"]]
    assert not any("loop" in message for _, _, message in said), said
    cut = [(line, message) for code, line, message in said if code == "HF1003"]
    assert len(cut) == 1 and "more than 10,000 lines and diverts" in cut[0][1], said
    assert cut[0][0] == 3 * 5000 + 3        # T5000., the line the reading stopped at
    later = [message for code, _, message in said if code == "HF1143"]
    assert later and all("was cut" in m and "reached by no divert" not in m for m in later), later


@pytest.mark.parametrize("fmt,unit,tail", [("SugarCube", "<<a [[b /* /% ", '" >>'), ("Harlowe", "(a: [[b ", '" )')])
def test_openers_with_no_closer_are_read_in_linear_time(project_factory, fmt, unit, tail):
    """Each `<<`, `(name:`, `[[` and `/*` looked for its closer on to the end of the
    passage, and looked again from the next one: 40 KB of `<<a ` took 27 s of CPU, a
    megabyte hours. A closer none is there for is looked for once; a closer that quotes
    hide (the `"` before the last `>>`) is looked for up to a budget, past which the
    rest of the passage is kept as written (HF1003). Every character is kept. At 250 KB
    the import takes ~0.95 CPU-s; with the looks' budget gone (_Look._missed never
    `spent`) it ran past 140 CPU-s."""
    root = project_factory()
    body = unit * (250_000 // len(unit)) + tail
    source = root / "open.twee"
    source.write_text(f":: StoryData\n{{\"format\": \"{fmt}\", \"start\": \"Start\"}}\n\n:: Start\n{body}\n",
                      encoding="utf-8")

    proc = foundry_within(["import", "twine", str(source), "--id", "open", "--project", str(root),
                           "--format", "json"], 10)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    said = [d for d in json.loads(proc.stdout)["diagnostics"] if d["code"] == "HF1003"]
    assert len(said) == 1 and "unclosed macros" in said[0]["message"], said
    story = (root / "content/stories/open.md").read_text(encoding="utf-8")
    prose, kept = re.split(r"## Start \{[^}]*\}\n", story, maxsplit=1)[1].split("```imported\n")
    kept = kept.split("\n```")[0].split(": ", 1)[1]
    shown = re.sub(r"\\(.)", r"\1", prose)
    assert "".join((shown + kept).split()) == "".join(body.split()), (shown[:100], kept[:100])


def test_characters_a_story_may_not_hold_are_left_out_and_said_at_their_place(project_factory):
    """Twine and ink keep a bidi override, a stray right-to-left mark, a zero-width space
    or a C1 control as any text; the import wrote them as they were, said "Wrote", and
    `foundry check` refused the story it wrote (HF0131, HF0132). The story written leaves
    each out where check would refuse it (a mark in a line of Hebrew stays: check allows
    it there) and HF1015 says each at its place in the source, or once for those in a
    name. `&ZeroWidthSpace;` typed in ink is text, and stays text."""
    root = project_factory()
    source = write(root, "marks.twee", """
        :: StoryData
        {"format": "SugarCube", "start": "Start"}

        :: StoryTitle
        Ma\u202erks

        :: Start
        The door\u202e is open\u200f, a\u200bjar\x9b.
        שלום\u200f עולם
        [[Go\u200b on|Hall שלום\u200f]]

        :: Hall שלום\u200f
        End.
        """)
    run = imported(root, "twine", source, "marks")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["line"], d["column"], d["message"].split(" is ")[0]) for d in run.json()["diagnostics"]
            if d["code"] == "HF1015"]
    assert said == [(0, 0, "left out of the story written: 1 more character not allowed in a story, in a name, or "
                           "spelled by a character reference or an escape (U+200F RIGHT-TO-LEFT MARK)"),
                    (5, 3, "U+202E RIGHT-TO-LEFT OVERRIDE"), (8, 9, "U+202E RIGHT-TO-LEFT OVERRIDE"),
                    (8, 18, "U+200F RIGHT-TO-LEFT MARK"), (8, 22, "U+200B ZERO WIDTH SPACE"),
                    (8, 26, "U+009B CSI"), (10, 5, "U+200B ZERO WIDTH SPACE")], said
    seen = ours(machine_for(root, "marks"), [1])["steps"]   # machine_for: check finds nothing
    assert seen[0]["lines"] == ["The door is open, ajar.", "שלום\u200f עולם"], seen
    assert seen[0]["options"] == ["Go on"] and seen[1]["lines"] == ["End."], seen
    ink = write(root, "refs.ink", "Say &ZeroWidthSpace; and &amp; here.\n* [Go] -> END\n")
    run = imported(root, "ink", ink, "refs")
    assert run.code == 0 and "HF1015" not in run.stdout, run.stdout
    assert ours(machine_for(root, "refs"), [])["steps"][0]["lines"] == ["Say &ZeroWidthSpace; and &amp; here."]


def test_an_ink_declaration_negating_text_or_a_truth_value_is_kept_not_a_crash(project_factory):
    """`VAR name = -"x"` was a TypeError in the importer ("internal error", nothing
    written); `VAR t = -true` became the number -1, a value ink never gives it. Neither
    is a plain value: each is kept and said (HF1003), as any other such declaration."""
    root = project_factory()
    source = write(root, "minus.ink", 'VAR name = -"x"\nVAR t = -true\nVAR gold = -2\nHello.\n* [Go] -> END\n')
    run = imported(root, "ink", source, "minus")
    assert run.code == 0 and "internal error" not in run.stderr, run.stdout + run.stderr
    assert [(d["code"], d["line"]) for d in run.json()["diagnostics"] if d["code"] == "HF1003"] == \
        [("HF1003", 1), ("HF1003", 2)], run.stdout
    story = (root / "content/stories/minus.md").read_text(encoding="utf-8")
    assert re.search(r"^variables:\n  gold: -2\n---$", story, re.M), story[:300]
    machine_for(root, "minus")


def test_an_ink_brace_never_closed_keeps_the_rest_and_is_read_in_linear_time(project_factory):
    """A `{` left open (inklecate refuses the file) took every line after it into a block
    that was never said nor kept: the rest of the story vanished from the import, and
    the block's depth was counted again over all its lines at each line, so 20,000
    lines after it took 88 s of CPU. The rest is kept and said (HF1003) at the `{`.
    With 10,000 lines the import takes ~0.8 CPU-s, the depth counted again over the
    block at each line ~25."""
    root = project_factory()
    rest = "A line of the story.\n" * 10_000 + "=== hall ===\nThe hall.\n* [Go] -> END\n"
    source = root / "open.ink"
    source.write_text("Start.\n  { x:\n" + rest, encoding="utf-8")

    proc = foundry_within(["import", "ink", str(source), "--id", "open", "--project", str(root),
                           "--format", "json"], 8)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    said = [(d["code"], d["line"], d["column"]) for d in json.loads(proc.stdout)["diagnostics"]]
    assert said == [("HF1003", 2, 3)], said
    story = (root / "content/stories/open.md").read_text(encoding="utf-8")
    kept = story.split("```imported\n", 1)[1].split("\n```", 1)[0]
    assert kept == "open.ink:2:3: { x:\n" + rest.rstrip("\n"), kept[:200]


def test_what_is_said_in_twine_html_is_placed_where_the_file_writes_it(project_factory):
    """Twine writes a passage's text HTML-escaped (`<<print $x>>` is
    `&lt;&lt;print $x&gt;&gt;`, a quote `&quot;`), and each character reference was
    counted as one column: what came after one on its line was said left of where it
    is (6 columns per macro before it). Each is said at its place in the file now."""
    root = project_factory()
    source = write(root, "escaped.html", """
        <tw-storydata name="E" startnode="1" format="SugarCube" format-version="2.36.1">
        <tw-passagedata pid="1" name="Start" tags="" position="1,1">Tom &amp; Jerry &lt;&lt;print $x&gt;&gt; <Keep Out>.
        &quot;Q&quot; &lt;&lt;goto "Next"&gt;&gt; &lt;Nope&gt;
        [[Next]]</tw-passagedata>
        <tw-passagedata pid="2" name="Next" tags="" position="1,2">End.</tw-passagedata>
        </tw-storydata>
        """)
    lines = source.read_text(encoding="utf-8").split("\n")
    run = imported(root, "twine", source, "escaped")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["code"], d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] in ("HF1003", "HF1014")]
    where = [("HF1003", 2, lines[1].index("&lt;&lt;print") + 1), ("HF1014", 2, lines[1].index("<Keep Out>") + 1),
             ("HF1003", 3, lines[2].index("&lt;&lt;goto") + 1), ("HF1014", 3, lines[2].index("&lt;Nope") + 1)]
    assert said == where, said


def test_what_a_choice_line_holds_is_said_at_its_own_column(project_factory):
    """Glue, inline logic and a tag in a choice's text were said counted from where the
    choice's text starts, as if its label, conditions and `[` were not there: columns
    left of the thing said. Each is said where it stands on the line now."""
    root = project_factory()
    lines = ["VAR g = 1", "Start.", "  * {g > 1} [Stay <> here {g}] and {g} # tag -> END", "* (lab) {g} Go <> [now] -> END"]
    source = write(root, "choices.ink", "\n".join(lines) + "\n")
    run = imported(root, "ink", source, "choices")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF1003"]
    third, fourth = lines[2], lines[3]
    assert said == [(3, third.index("<>") + 1), (3, third.index("{g}]") + 1), (3, third.index("and {g}") + 5),
                    (3, third.index("# tag") + 1), (4, fourth.index("<>") + 1)], said


def test_control_characters_left_out_of_an_import_are_each_said(project_factory):
    """BEL and ESC in a passage or the story's title were left out of the story written
    (writer.clean_line) without a word; only a C1 control, which check refuses, was said
    (HF1015). Each C0 control is said at its place now; CR LF line ends are not."""
    root = project_factory()
    source = root / "ctl.twee"
    source.write_bytes(b':: StoryTitle\nBell\x07s\n\n:: StoryData\n{"format": "SugarCube", "start": "Start"}\n\n'
                       b':: Start\nRing\x07 the\x1b[31m bell\xc2\x9b.\r\n[[End]]\r\n\n:: End\nBye.\n')
    run = imported(root, "twine", source, "ctl")
    assert run.code == 0, run.stdout + run.stderr
    said = [(d["line"], d["column"]) for d in run.json()["diagnostics"] if d["code"] == "HF1015"]
    assert said == [(2, 5), (8, 5), (8, 10), (8, 20)], run.stdout
    story = (root / "content/stories/ctl.md").read_text(encoding="utf-8")
    assert "Ring the\\[31m bell\\." in story and 'title: "Bells"' in story, story


def test_a_line_of_many_ink_arrows_is_read_in_linear_time(project_factory):
    """The divert and tunnel patterns took a divert's arguments as `\\(.*\\)`, looked for
    from every `->` of a line on to its end: 30,000 `->a(` in one line (120 KB) took 11
    CPU-s; 40,000 would take about 45. Arguments now hold no `(`, `)` or `>`, so
    each look stops at the next arrow; the import takes well under a second, and the cap
    (20 CPU-s, the CLI's start included) leaves room for a loaded machine."""
    root = project_factory()
    source = write(root, "arrows.ink", "Start.\n" + "->a(" * 40_000 + "\n-> END\n")
    proc = foundry_within(["import", "ink", str(source), "--id", "arrows", "--project", str(root),
                           "--format", "json"], 20)
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-600:])
    assert "->a(->a(" in (root / "content/stories/arrows.md").read_text(encoding="utf-8")   # kept, said


@pytest.mark.parametrize("assignment", ['(set: $inv to (a: "rope"))', "<<set $inv to []>>"])
def test_an_effect_not_translated_is_hinted_as_an_effect(project_factory, tmp_path, assignment):
    """HF1007 of an assignment (a (set:) of an array) hinted 'rewrite the condition with
    story variables': there is no condition to rewrite. Its hint says how to write the
    effect with story variables; a condition not translated keeps the condition's hint."""
    harlowe = assignment.startswith("(")
    source = tmp_path / "inv.twee"
    source.write_text(textwrap.dedent(f"""\
        :: StoryTitle
        Inv

        :: StoryData
        {{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FD", "format": "{'Harlowe' if harlowe else 'SugarCube'}",
        "format-version": "{'3.3.8' if harlowe else '2.36.1'}", "start": "Start"}}

        :: Start
        {assignment}Ready. [[Go->End]]

        :: End
        Bye.
        """))
    run = imported(project_factory(), "twine", source, "inv", "--dry-run")
    said = [d for d in run.json()["diagnostics"] if d["code"] == "HF1007"]
    assert said and all("condition" not in d["hint"] and "effect" in d["hint"] for d in said), said


def test_a_source_outside_the_project_is_quoted_in_the_report(project_factory, tmp_path):
    """`foundry import ink ~/Downloads/odd.ink`: the report quoted no line of the source
    (code frames were read only inside the current folder, confined as the build reads),
    where a source inside the project was quoted. The frames quote the text the import
    read, the file the user named: on a story written, and on one refused."""
    root = project_factory()
    source = tmp_path / "downloads" / "odd.ink"
    source.parent.mkdir()
    source.write_text("-> start\n=== start ===\n{~Hello|Hi} there.\n* [Go] -> END\n", encoding="utf-8")
    run = foundry("import", "ink", str(source), "--project", str(root))
    assert run.code == 0, run.stderr
    assert "\n    3 | {~Hello|Hi} there.\n" in run.stderr, run.stderr
    refused = tmp_path / "downloads" / "snow.twee"
    refused.write_text(':: StoryData\n{"format": "Snowman", "format-version": "2.0.2"}\n\n:: Start\nHi.\n',
                       encoding="utf-16")
    run = foundry("import", "twine", str(refused), "--project", str(root))
    assert run.code == 2 and "HF1002" in run.stderr, run.stderr
    assert '\n    2 | {"format": "Snowman", "format-version": "2.0.2"}\n' in run.stderr, run.stderr
