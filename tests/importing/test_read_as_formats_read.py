"""Twine markup read as the story formats (and a browser) read it, where the importer's
own shortcut read it otherwise: SugarCube's link lexer, and HTML nested deeper than
libxml2 reads by default. In process (import_twine, story_text): no project needed."""

from __future__ import annotations

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.expr.printer import to_source
from pipeline.importers import story_text
from pipeline.importers.model import NotImported
from pipeline.importers.twine import import_twine

SUGARCUBE = (":: StoryData\n{\"ifid\":\"A\",\"format\":\"SugarCube\",\"format-version\":\"2.36.1\","
             "\"start\":\"Start\"}\n\n:: Start\n")


def _imported(source: str, path: str = "s.twee") -> tuple[str | None, list]:
    diags = Diagnostics()
    try:
        return story_text(import_twine(source, path, diags), path, []), diags.items
    except NotImported:
        return None, diags.items


def test_sugarcube_links_are_read_as_sugarcubes_lexer_reads_them():
    """SugarCube's link lexer nests square brackets; the import took the first `]]`:
    `[[Room [2]]]` led to a passage 'Room [2' (HF1004, the choice left out, a `]` left in
    the prose) where SugarCube goes to 'Room [2]'. A `"…"` hides a `]]` (in a setter
    too), the first separator divides (`[[a->b|c]]` goes to 'b|c'), and a line break
    ends the look with no link: SugarCube shows `[[Over⏎there|Hall]]` as typed."""
    story, said = _imported(SUGARCUBE + "\n".join([
        "[[Room [2]]]",
        "[[Look [in]|Room [2]][$n to \"a]]b\"]]",
        "[[a->b|c]]",
        "[[Over", "there|Hall]]",
        "<<link [[Via the macro|Room [2]]]>><</link>>",
        "", ":: Room \\[2\\]", "A room.", "", ":: b|c", "Bee.", "", ":: Hall", "A hall.", ""]))
    assert [d.code for d in said if d.code != "HF1011" and d.code != "HF1010"] == ["HF1143"], \
        [(d.code, d.message) for d in said]     # only 'Hall', which no link reaches
    assert "- [Room \\[2\\]](#room-2)\n" in story
    assert "- [Look \\[in\\]](#room-2){do=\"n_ = 'a]]b'\"" in story
    assert "- [a](#b-c)\n" in story
    assert "\\[\\[Over\n\nthere\\|Hall\\]\\]" in story       # as typed, not a choice to the hall
    assert "- [Via the macro](#room-2)" in story


def test_html_nested_past_libxml2s_default_is_read_and_past_its_limit_kept_and_said():
    """libxml2's HTML parser stops at 256 elements one inside another and then keeps no
    word of the text (the whole passage's prose, not only what is deep): 300 nested
    `<span>`s around a word left the scene with no text, and only HF1009 (info) "reduced
    to its text" was said. It is read to 2,048 deep (huge_tree); past that the text is
    kept as written in the scene's `imported` block, HF1003 at it. A Twine HTML file
    nested past it (libxml2 reads nothing after) lost every later passage unsaid: HF1001."""
    def nested(depth: int) -> str:
        return "Before " + "<span>" * depth + "deep words" + "</span>" * depth + " after.\n[[Go|B]]\n:: B\nEnd.\n"

    story, said = _imported(SUGARCUBE + nested(300))
    assert "Before deep words after\\." in story, story
    assert not [d for d in said if d.severity != "info"]

    story, said = _imported(SUGARCUBE + nested(2100))
    kept = [d for d in said if d.code == "HF1003"]
    assert len(kept) == 1 and "nest more than 2,048 deep" in kept[0].message, [d.message for d in said]
    assert (kept[0].span.line, kept[0].span.column) == (5, 1)
    assert "```imported\ns.twee:5:1: Before <span><span>" in story and "- [Go](#b)" in story

    html = ('<html><body><tw-storydata name="Deep" startnode="1" format="SugarCube" format-version="2.36.1">'
            '<tw-passagedata pid="1" name="Start">[[Go|B]]</tw-passagedata>\n' + "<div>" * 2100 +
            '<tw-passagedata pid="2" name="B">End.</tw-passagedata></tw-storydata></body></html>\n')
    story, said = _imported(html, "deep.html")
    assert story is None and [(d.code, d.span.line) for d in said] == [("HF1001", 2)], [d.message for d in said]
    assert "2,048 deep" in said[0].message


def test_a_naked_variable_in_a_link_text_the_format_shows_as_markup_is_said_and_kept():
    """SugarCube wikifies a `<<link>>`'s text, and Harlowe every link's: `$item` in it
    prints the variable's value, as in a passage's text. The choice read "Take $item",
    as typed, unsaid. It is said (HF1003) and kept, and left out of the choice's text as
    it is of prose; SugarCube's `$$` is a dollar sign, and a `[[…]]` link's text in
    SugarCube is a text node (shown as typed)."""
    twee = (SUGARCUBE + "<<set $item to 'lamp'>>\n<<link \"Take $item\" \"B\">><</link>>\n"
            "<<link \"Pay $$5\" \"B\">><</link>>\n[[Keep $item|B]]\n:: B\nEnd.\n")
    harlowe = SUGARCUBE.replace("SugarCube", "Harlowe").replace("2.36.1", "3.3.8") + \
        "(set: $item to 'lamp')\n[[Take $item->B]]\n(link-goto: \"Use $item\", \"B\")\n:: B\nEnd.\n"
    for source, lines, choices in ((twee, [6], ["[Take](#b)", "[Pay \\$5](#b)", "[Keep \\$item](#b)"]),
                                   (harlowe, [6, 7], ["[Take](#b)", "[Use](#b)"])):
        story, said = _imported(source)
        assert [d.span.line for d in said if d.code == "HF1003"] == lines, [(d.code, d.message) for d in said]
        assert "```imported\ns.twee:6:1: $item\n" in story, story
        for choice in choices:
            assert f"- {choice}" in story, story


def test_a_sugarcube_link_text_is_shown_as_sugarcube_evaluates_it():
    """SugarCube evaluates a `[[text|target]]` link's text (WikifierUtil.evalText) and
    shows its value when it is a text or a number: `[["Run!"|B]]` reads Run! (the choice
    read "Run!" with its quotes), `[[$name|B]]` the variable's value (the choice read
    "$name", unsaid: now said, HF1003, and kept). Words are no expression it can
    evaluate and read as typed; so does a text only of blanks. A target SugarCube
    evaluates (`[[Go|$dest]]`) is no passage of the story: HF1004 says it is evaluated."""
    story, said = _imported(SUGARCUBE + "\n".join([
        "<<set $name to 'Ann'>>", '[["Run!"|B]]', "[['It\\'s'|B]]", "[[$name|B]]", "[[Go to $place|B]]",
        '[["Hi" she said|B]]', '[["  "|B]]', "[[Go|$dest]]", ":: B", "End.", ""]))
    assert [(d.code, d.span.line) for d in said if d.code == "HF1003"] == [("HF1003", 8)], \
        [(d.code, d.message) for d in said]
    # a target evaluated the same way (a passage known only as the story plays) is said so
    [nowhere] = [d for d in said if d.code == "HF1004"]
    assert nowhere.span.line == 12 and "SugarCube evaluates it" in nowhere.message, nowhere.message
    assert "```imported\ns.twee:8:1: [[$name|B]]\n" in story
    choices = [line for line in story.splitlines() if line.startswith("- [")]
    assert [c.split("](")[0][3:] for c in choices] == [
        "Run\\!", "It\\'s", "\\$name", "Go to \\$place", "\\\"Hi\\\" she said", "\\\" \\\""], choices


def test_a_harlowe_link_is_divided_where_harlowes_pattern_divides_it():
    """Harlowe's passageLink pattern takes the rightmost `->` or `|`, whichever is
    further right, else the leftmost `<-`: `[[a->b|c]]` leads to 'c' (the import took the
    `->`: a passage 'b|c'), `[[a<-b|c]]` to 'c' too (the import: 'a')."""
    story, said = _imported(SUGARCUBE.replace("SugarCube", "Harlowe").replace("2.36.1", "3.3.8") + "\n".join([
        "[[a->b|c]]", "[[x<-y|c]]", "[[Go->on->c]]", "[[c<-Back<-up]]", ":: c", "End.", ""]))
    assert not [d for d in said if d.code in ("HF1004", "HF1003")], [(d.code, d.message) for d in said]
    choices = [line.split("{")[0] for line in story.splitlines() if line.startswith("- [")]
    assert choices == ["- [a\\-\\>b](#c)", "- [x\\<\\-y](#c)", "- [Go\\-\\>on](#c)", "- [Back\\<\\-up](#c)"], choices


def test_a_story_for_an_older_version_of_its_format_is_imported_and_said_so():
    """SugarCube 1 and Harlowe 1 or 2 were read by SugarCube 2's and Harlowe 3's rules
    without a word, while the refusal of other formats names those two versions as the
    supported ones. Imported still (what the import reads is written alike), HF1016 at
    the format; a version of the supported one, or none, says nothing."""
    for fmt, version, said_of in (("SugarCube", "1.0.35", "SugarCube 1.0.35"), ("Harlowe", "2.1.0", "Harlowe 2.1.0"),
                                  ("SugarCube", "2.37.3", None), ("Harlowe", "3.3.8", None), ("Harlowe", "", None)):
        source = SUGARCUBE.replace("SugarCube", fmt).replace("2.36.1", version) + "Hello. [[B]]\n:: B\nEnd.\n"
        story, said = _imported(source)
        assert story is not None and "- [B](#b)" in story
        assert [(d.code, d.span.line, d.span.column) for d in said] == ([("HF1016", 2, 13)] if said_of else []), \
            [(d.code, d.message) for d in said]
        assert said_of is None or f"written for {said_of};" in said[0].message


def test_an_ink_condition_on_a_read_count_says_what_it_reads():
    """`{not cave}`, `{hub > 2}`, `{opt}`: ink reads how often a knot, stitch or labelled
    choice has been seen. Tested as true/false (`{not cave}`, `{opt}`), it is a seen-flag
    of ours (test_plays_the_same's seen.ink plays it against inkjs); compared as a number
    (`{hub > 2}`) HF1007 says what the name is (it said "unknown name 'hub'", as if the
    writer had misspelt a variable). A VAR of that name is a variable, not a count."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("VAR door = true\n-> hub\n=== hub ===\nHub.\n+ {not cave} [Cave] -> cave\n"
                       "+ {hub > 2} [Tired] -> END\n+ (opt) {door} [Door] -> cave\n+ {opt} [Again] -> END\n"
                       "=== cave ===\nA cave.\n-> hub\n", "s.ink", diags)
    said = [(d.span.line, d.message.split("(")[1].split(" is no")[0]) for d in diags.items if d.code == "HF1007"]
    assert said == [(6, "knot 'hub'")], [d.message for d in diags.items]
    hub = next(s for s in story.scenes if s.id == "hub")
    shown = {c.text: (c.condition and to_source(c.condition), [to_source(e) for e in c.effects]) for c in hub.choices}
    # the cave goes back to the hub, which a choice offered in the hub need not set again
    # (`{hub > 2}` gave it a flag; the opening sets it)
    assert shown["Cave"] == ("not seen_cave", ["set seen_cave"])
    assert shown["Door"] == ("door", ["set seen_hub_opt", "set seen_cave"])
    assert ("seen_hub", True) in story.variables
    assert shown["Again"] == ("seen_hub_opt", [])
    assert ("seen_cave", False) in story.variables and ("seen_hub_opt", False) in story.variables
    # a label spelled as no name of ours is (`askedTea`) was said "variable 'askedTea' is
    # called 'asked_tea'", a variable the story does not have: it reads seen_hub_asked_tea
    diags = Diagnostics()
    story = import_ink("VAR moodSwing = 1\n-> hub\n=== hub ===\n- (opts) Hub.\n* (askedTea) [Tea] -> opts\n"
                       "* {askedTea and moodSwing} [More] -> opts\n+ [End] -> END\n", "s.ink", diags)
    assert [d.message for d in diags.items] == ["variable 'moodSwing' is called 'mood_swing' in the imported story"]
    more = next(c for s in story.scenes for c in s.choices if c.text == "More")
    assert to_source(more.condition).startswith("seen_hub_asked_tea and mood_swing != 0"), to_source(more.condition)


def test_an_ink_divert_ink_reads_is_never_prose():
    """`-> greet("Bob")` (a divert passing arguments to a knot's parameters), the tunnel
    `-> greet(2) ->`, and a divert that does not end its line (`-> hall # tag`, which
    inklecate refuses) were written into the scene as prose, arrow and all, unsaid, and the
    flow ran on past them; a stitch's parameters were dropped unsaid. Each is said where it stands (an indented line's column counted
    from the line's start: it was counted past the indentation twice) and kept; a divert
    with arguments is followed to its knot's scene."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink('Hall.\n* [Greet] -> greet("Bob")\n* [Tunnel] -> greet(2) ->\n* [Tagged]\n'
                       '  You go. -> hall # tag\n=== hall ===\nA hall.\n-> END\n'
                       '=== greet(who) ===\nHello.\n-> END\n= again(n)\nAgain.\n-> END\n', "s.ink", diags)
    text = story_text(story, "s.ink", [])
    prose = text.split("```imported")[0] + "".join(part.split("```", 1)[-1] for part in text.split("```imported")[1:])
    assert "->" not in prose.replace("\\-\\>", "->"), text
    said = [(d.span.line, d.span.column, d.message.split(" cannot")[0]) for d in diags.items if d.code == "HF1003"]
    assert (2, 11, "a divert's arguments (a knot's or stitch's parameters have no counterpart; the divert is "
            "followed without them)") in said, said
    assert (3, 1, "a tunnel (`-> knot ->` visits a knot and `->->` returns from it)") in said, said
    assert (5, 11, "a divert that does not end its line (inklecate refuses it)") in said, said
    assert (12, 1, "a stitch with parameters") in said, said      # its parameters were dropped unsaid
    greet = next(s for s in story.scenes if s.title == "Start")
    assert [(c.text, c.target) for c in greet.choices][:1] == [("Greet", "greet")], greet.choices


def test_an_ink_backslash_ending_a_line_is_not_shown():
    """A backslash makes the next character itself; one ending a line escapes the line
    break, and inkjs shows `Tail \\` as "Tail". The import showed the backslash."""
    from pipeline.importers.ink import import_ink
    story = import_ink("A \\\n* Tail \\\n  -> END\n", "s.ink", Diagnostics())
    start = story.scenes[0]
    assert (start.lines, [c.text for c in start.choices]) == (("A",), ["Tail"]), start


def test_an_ink_knot_whose_id_an_earlier_scene_took_is_said():
    """`=== start ===` in a story with opening text (the scene `start`), or `=== gate_go ===`
    after knot gate's choice "Go" (the scene `gate-go`), was numbered without a word."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("Intro.\n* [Begin] -> start\n* [Gate] -> gate\n=== start ===\nS.\n-> END\n"
                       "=== gate ===\n* Go\n  Went.\n  -> END\n* [Other] -> gate_go\n=== gate_go ===\nGG.\n-> END\n",
                       "s.ink", diags)
    assert {s.title: s.id for s in story.scenes if s.title in ("start", "gate_go")} == \
        {"start": "start-2", "gate_go": "gate-go-2"}
    said = [(d.span.line, d.message) for d in diags.items if d.code == "HF1005"]
    assert said == [(4, "knot 'start' would get the id 'start', which an earlier scene of the import has; it is "
                        "'start-2'"),
                    (12, "knot 'gate_go' would get the id 'gate-go', which an earlier scene of the import has; it is "
                         "'gate-go-2'")], said


def test_a_twee2_map_position_is_not_part_of_the_passage_name():
    """`:: Start <300,200>` (Twee2's position; Twee 3 writes it as metadata) was read as the
    passage "Start <300,200>": every `[[Start]]` was a broken link (HF1004) with nothing
    saying why. It is left out of the name, as Twee2 and tweego --twee2-compat read it, and
    said at the `<`; an escaped `\\<1,2\\>` stays part of the name."""
    text, said = _imported(SUGARCUBE.replace(":: Start\n", ":: Start <300,200>\nHi.\n[[Go]]\n\n:: Go  < 10, -5 >\n"
                                            "[[Start]] [[Odd <1,2>]]\n\n:: Odd \\<1,2\\>\nOdd.\n"))
    assert "## Start {#start}" in text and "## Go {#go}" in text and "- [Start](#start)" in text, text
    assert "(#odd-12)" in text, text
    assert [(d.code, d.span.line, d.span.column) for d in said] == [("HF0168", 4, 10), ("HF0168", 8, 8)], \
        [d.message for d in said]


def test_an_ink_divert_to_a_variable_says_so():
    """`VAR where = -> cellar` … `-> where`: said as "expected a value; found '>'" and a
    divert that "leads to no knot, stitch or label", neither naming what it was."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    import_ink("VAR where = -> cellar\nTop.\n+ [Go] -> where\n+ [Stay] -> END\n=== cellar ===\nC.\n-> END\n",
               "s.ink", diags)
    said = [(d.code, d.span.line, d.message) for d in diags.items if d.code in ("HF1003", "HF1004")]
    assert said == [("HF1003", 1, "a divert target in a variable (a knot to go to later has no counterpart) cannot "
                     "be imported: 'VAR where = -> cellar' is kept as a comment"),
                    ("HF1004", 3, "divert '-> where' goes where variable 'where' (a divert target, which has no "
                     "counterpart) leads; the choice is left out")], said


def test_an_ink_divert_into_a_labelled_choice_says_so():
    """`-> pick` to `* (pick) [Pick]` (ink goes on with that choice's body) was said to
    lead "to no knot, stitch or label", while the label was there."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    import_ink("-> k\n=== k ===\nTop.\n* (pick) [Pick]\n  Picked.\n  -> END\n* [Jump] -> pick\n", "s.ink", diags)
    said = [(d.span.line, d.message.split(" (")[0]) for d in diags.items if d.code == "HF1004"]
    assert said == [(7, "divert '-> pick' leads into a labelled choice's body")], said


def test_ink_declarations_inklecate_refuses_are_said():
    """A variable declared twice, and an assignment to a CONST, make inklecate refuse the
    file: the second value (or the assigned one) became the starting value unsaid. A
    `temp` was said as "expected a variable to set; found 'temp'" (now a story variable,
    set there: tests/importing/stories/temps.ink)."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("VAR a = 1\nVAR a = 2\nCONST C = 3\n~ C = 4\n~ temp t = 2\nTop {a}{C}.\n-> END\n", "s.ink", diags)
    assert dict(story.variables) == {"a": 1, "c": 3, "t": 2}, story.variables
    said = [(d.span.line, d.message.split(" cannot")[0]) for d in diags.items if d.code == "HF1003"][:3]
    assert said == [(2, "a second declaration of 'a' (first at line 1, which is used; inklecate refuses the file)"),
                    (4, "an assignment to constant 'C' (inklecate refuses it)"),
                    (6, "inline logic (a value, an alternative or a condition inside text)")], said


def test_an_html_comment_hides_the_links_and_macros_it_holds():
    """SugarCube (its commentByBlock parser) and Harlowe (its comment token) show nothing
    of an HTML comment and read nothing in it. A link or macro inside one was read
    before the comment was seen: `<!-- [[End]] -->` offered a choice the story never
    does, its prose showed `<!-- End -->`, and `<!-- <<set $x to 1>> -->` set a variable
    unsaid (Harlowe's `(set:)` too). An unclosed `<!--` is text, as in both formats."""
    body = "\n".join(["A <!-- plain --> B.", "C <!-- [[End]] --> D.", "E <!-- <<set $x to 1>> (set: $x to 1) --> F.",
                      "G <!-- over", "lines [[End]]", "--> H.", "I <!-- never closed [[Go|End]]", "",
                      ":: End", "Fin.", ""])
    harlowe = SUGARCUBE.replace('"SugarCube","format-version":"2.36.1"', '"Harlowe","format-version":"3.3.8"')
    for source in (SUGARCUBE + body, harlowe + body):
        story, said = _imported(source)
        assert [d.code for d in said if d.severity != "info"] == [], [(d.code, d.message) for d in said]
        scene = story.split("## Start {#start}\n", 1)[1].split("\n## ", 1)[0]
        assert "A B\\.\n\nC D\\.\n\nE F\\.\n\nG H\\.\n\nI \\<\\!\\-\\- never closed" in scene, scene
        assert scene.count("](#end)") == 1 and "- [Go](#end)" in scene, scene   # only the link outside a comment
        assert "variables:" not in story.split("\n---\n", 1)[0], story


def test_ink_logic_after_a_choices_brackets_is_said():
    """`+ [Pay] ~ gold -= 2` makes inklecate refuse the file ("tildas are for logic that's
    on its own line"): it was imported as the words '~ gold -= 2' shown after the choice,
    unsaid. Text after the brackets that merely holds a `~` is text, as in ink."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = story_text(import_ink("VAR gold = 3\nStart.\n+ [Pay]   ~ gold -= 2\n  -> END\n* [Go] then ~ x\n  -> END\n",
                                  "s.ink", diags), "s.ink", [])
    said = [(d.code, d.span.line, d.span.column) for d in diags.items]
    assert said == [("HF1003", 3, 11)], [(d.code, d.message) for d in diags.items]
    assert "gold \\-\\= 2" not in story.split("```imported", 1)[0] and "then \\~ x" in story, story


def test_an_ink_function_called_for_what_it_does_is_said_as_a_call():
    """`~ playSound("ding")` (an EXTERNAL function called on its own line) was said as
    "expected 'to' or '='; found '('", and its name said renamed as a variable's
    ('playSound' is called 'play_sound', HF1010), though no variable was made."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    import_ink('EXTERNAL playSound(name)\nStart.\n~ playSound("ding")\n~ SEED_RANDOM(3)\n-> END\n', "s.ink", diags)
    said = [(d.code, d.span.line, d.message.split(" cannot")[0]) for d in diags.items if d.span.line > 1]
    assert said == [("HF1003", 3, "a call of function 'playSound' (what it does has no counterpart)"),
                    ("HF1003", 4, "a call of function 'SEED_RANDOM' (what it does has no counterpart)")], said


def test_a_harlowe_typed_variable_given_a_value_of_another_type_is_not_set():
    """Harlowe 3 refuses `(set: str-type $s to 1)` (an error in the passage, `$s` left
    unset); the import read the type past and started `s` at 1, unsaid. Each such set is
    said at its datatype and left out; a value of the right type is still set."""
    text, said = _imported(':: StoryData\n{"format": "Harlowe", "start": "Gate"}\n\n:: Gate\n'
                           '(set: str-type $s to 1)(put: true into num-type $k)(set: num-type $n to -3)\n'
                           '(set: dm-type $d to "x")(set: str-type $t to "ok")\n[[Gate]]\n')
    assert [(d.code, d.span.line, d.span.column) for d in said if d.code == "HF1007"] == [
        ("HF1007", 5, 7), ("HF1007", 5, 40), ("HF1007", 6, 7)], [str(d.span) + d.message for d in said]
    variables = text[text.index("variables:"):text.index("\n---", 4)]
    assert variables == 'variables:\n  n_: -3\n  t: "ok"', text


def test_a_harlowe_datatype_that_takes_some_values_of_its_kind_refuses_the_others():
    """`int-type` takes whole numbers only, `even-type`/`odd-type` those of a parity,
    `empty-type` the empty text, `digit-type` texts of digits: Harlowe refuses
    `(set: int-type $n to 2.5)`, which the import set (a number is a number). Each is
    said at its datatype and left out; a value the datatype takes is set."""
    text, said = _imported(':: StoryData\n{"format": "Harlowe", "start": "Gate"}\n\n:: Gate\n'
                           '(set: int-type $n to 2.5)(set: even-type $e to 3)(set: odd-type $o to -3)\n'
                           '(set: empty-type $s to "x")(set: digit-type $d to "12")(set: int-type $k to -4)\n'
                           '[[Gate]]\n')
    assert [(d.code, d.span.line, d.span.column) for d in said if d.code == "HF1007"] == [
        ("HF1007", 5, 7), ("HF1007", 5, 32), ("HF1007", 6, 7)], [str(d.span) + d.message for d in said]
    first = next(d for d in said if d.code == "HF1007").message
    assert "restricts $n to whole numbers, and the value is 2.5" in first, first
    variables = text[text.index("variables:"):text.index("\n---", 4)]
    assert variables == 'variables:\n  o: -3\n  d: "12"\n  k: -4', text


def test_a_harlowe_changers_unclosed_hook_does_not_take_the_rest_of_the_passage():
    """`(if: $a)` then, on the next line, `[x [y z` never closed: Harlowe shows those
    characters (as for a bare hook never closed); the import made the whole rest of the
    passage the hook's, its link offered only under `a`. The (if:) is kept, said, and
    the link offered as written."""
    text, said = _imported(':: StoryData\n{"format": "Harlowe", "start": "Gate"}\n\n:: Gate\n'
                           '(set: $a to true)\n(if: $a)\n  [x [y z\n[[Gate]]\n')
    assert '- [Gate](#gate){do="set a"}\n' in text and "\\[x \\[y z" in text, text
    assert [(d.code, d.span.line) for d in said if d.code == "HF1003"] == [("HF1003", 6)], said


def test_a_starting_set_not_translated_is_kept_in_the_start_scene_not_dropped():
    """StoryInit (SugarCube) and `startup` passages (Harlowe): a set the import cannot
    translate (`setup.x`, a temporary variable, a second type) was said "left out" but
    its text was in no scene; the issue keeps every such construct where the writer sees
    it, as a passage's own untranslated set is."""
    harlowe = SUGARCUBE.replace("SugarCube", "Harlowe").replace("2.36.1", "3.3.8").replace(
        ":: Start\n", ":: Init [startup]\n(set: $hp to 3)(set: _t to 2)(set: $hp to \"full\")\n\n:: Start\n")
    sugarcube = SUGARCUBE.replace(":: Start\n", ":: StoryInit\n<<set $hp to 3>><<set setup.max to 5>>\n"
                                  "<<set $hp to \"full\">>\n\n:: Start\n")
    for source, refused in ((sugarcube, ["<<set setup.max to 5>>", "<<set $hp to \"full\">>"]),
                            (harlowe, ["(set: _t to 2)", "(set: $hp to \"full\")"])):
        story, said = _imported(source + "Go [[End]]\n\n:: End\nDone.\n")
        assert sorted(d.code for d in said if d.code in ("HF1006", "HF1007")) == ["HF1006", "HF1007"], said
        start = story.split("## Start", 1)[1].split("## End", 1)[0]
        for text in refused:
            assert text in start, (text, story)
        assert "hp: 3" in story


def test_an_ink_opening_statement_not_translated_is_kept_in_the_start_scene():
    """ink's opening `~` lines (before the first knot, and the start knot's own, run once
    before any choice) that do not translate were said "left out" (HF1007) and their text
    was in no scene; a `~` line of a knot a choice leads to was kept. Kept once, also
    when a choice leads back to the start."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("VAR n = 0\n~ n = zed + 1\n-> start\n=== start ===\n~ n = foo\nStart.\n"
                       "+ [Again] -> start\n+ [Go] -> cellar\n=== cellar ===\n~ n = bar\nCellar.\n-> END\n",
                       "s.ink", diags)
    assert sorted(d.span.line for d in diags.items if d.code == "HF1007") == [2, 5, 10], diags.items
    start = story.scenes[0]
    assert sorted((k.where.line, k.text) for k in start.kept) == [
        (2, "~ n = zed + 1"), (5, "~ n = foo"), (10, "~ n = bar")], start.kept


def test_ink_glue_ending_a_choice_line_joins_the_text_after_choosing():
    """`* [Pick] Picked <>` (and `* Go on<>`): the text shown after choosing goes on in one
    line with the body's next text, as inkjs shows it ("Picked glued."); the import said
    the glue was not imported (HF1003) and broke the line in two paragraphs."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("Top.\n+ [Pick] Picked <>\n  glued.\n  -> END\n+ Go on<>\n  ward.\n  -> END\n", "s.ink", diags)
    assert not [d for d in diags.items if d.code == "HF1003"], diags.items
    after = {s.title: s.lines for s in story.scenes}
    assert (after["Start: Pick"], after["Start: Go on"]) == (("Picked glued.",), ("Go onward.",)), after


def test_a_decimal_starting_value_is_said_and_kept_not_rounded_unsaid():
    """`<<set $f to 1.5>>` in StoryInit (or the start passage): our front matter holds
    whole numbers, and the import wrote `f: 2` without a word; ink's wrote `x: 1.5`,
    which check refused in a story the import called clean."""
    story, said = _imported(SUGARCUBE.replace(":: Start\n", ":: StoryInit\n<<set $f to 1.5>>\n\n:: Start\n")
                            + "<<set $g to 2.5>>Go [[End]]\n\n:: End\nDone.\n")
    assert sorted((d.code, d.message.split(" starts")[0]) for d in said if d.code == "HF1007") == [
        ("HF1007", "'f'"), ("HF1007", "'g'")], said
    start = story.split("## Start", 1)[1].split("## End", 1)[0]
    assert "<<set $f to 1.5>>" in start and "<<set $g to 2.5>>" in start, story
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()          # ink's opening `~ x = 3 / 2.0`: `x: 1.5`, which check refuses (HF0201)
    story = import_ink("VAR x = 0\n~ x = 3 / 2.0\nStart.\n+ [Go] -> END\n", "s.ink", diags)
    assert (dict(story.variables), [d.span.line for d in diags.items if d.code == "HF1007"]) == ({"x": 2}, [2])
    assert [k.text for k in story.scenes[0].kept] == ["~ x = 3 / 2.0"], story.scenes[0]


def test_an_ink_var_declared_a_decimal_starts_rounded_said_as_the_decimal():
    """`VAR f = 1.5` was HF1003 "a starting value that is not a plain value" (the reason
    is the decimal) and `f` declared nowhere; `~ f = 1.5` before the first choice and
    Twine's `<<set $f to 1.5>>` start it rounded, said (HF1007): so does VAR, one rule."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("VAR f = 1.5\nVAR g = -2.5\nStart.\n+ [Go] -> END\n", "s.ink", diags)
    assert dict(story.variables) == {"f": 2, "g": -2}, story.variables
    said = [(d.code, d.span.line, d.message.split(" (")[0]) for d in diags.items]
    assert said == [("HF1007", 1, "'f' starts at the decimal 1.5"), ("HF1007", 2, "'g' starts at the decimal -2.5")], said
    assert [k.text for k in story.scenes[0].kept] == ["VAR f = 1.5", "VAR g = -2.5"], story.scenes[0]


def test_an_ink_var_of_a_name_ink_reads_is_said_as_such_and_renames_nothing():
    """`VAR h = 1e3` (ink has no exponent: inklecate reads `1e3` as a variable's name and
    refuses the file) was "not a plain value" and an HF1010 "variable '1e3' is called
    'v_1e3'" of no variable of the story; `VAR b = other` likewise renamed `other`. The
    declaration is said for what it is, and nothing is renamed."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    import_ink("VAR h = 1e3\nVAR k = 0x10\nVAR b = Other\nStart.\n+ [Go] -> END\n", "s.ink", diags)
    said = [(d.code, d.span.line) for d in diags.items]
    assert said == [("HF1003", 1), ("HF1003", 2), ("HF1003", 3)], [d.message for d in diags.items]
    assert "'1e3', which ink reads as a variable's name" in diags.items[0].message
    assert "not a number, text, true/false or constant" in diags.items[2].message


def test_an_ink_knots_line_with_a_tag_is_the_knot_its_tag_said():
    """`=== cave === #dark` (and `= nook # x`): inklecate and inkjs refuse a tag there;
    the import read the line as no knot, so every divert to it was broken (HF1004) and
    its lines "reached by no reading". It is the knot, its tag said at its column and
    kept in the knot's scene."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("-> cave\n=== cave === #dark\nDark.\n+ [In] -> cave.nook\n= nook # x\nA nook.\n-> END\n",
                       "s.ink", diags)
    said = [(d.code, d.span.line, d.span.column) for d in diags.items]
    assert said == [("HF1003", 2, 14), ("HF1003", 5, 8)], [d.message for d in diags.items]
    scenes = {s.id: s for s in story.scenes}
    assert scenes["cave"].lines == ("Dark.",) and scenes["cave-nook"].lines == ("A nook.",), scenes
    assert [k.text for k in scenes["cave"].kept] == ["#dark"] and [k.text for k in scenes["cave-nook"].kept] == ["# x"]


def test_a_harlowe_hook_attached_to_a_variable_is_kept_not_shown_whatever_its_value():
    """`$married[You hope …]`: Harlowe shows (or styles) the hook as the variable's value
    says (true/false, a changer); the import said "a naked variable prints its value" for
    `$married` and wrote the hook's text as prose, shown whatever the value. The whole is
    kept and said; an `(else:)` after it pairs with it in Harlowe, and is kept too."""
    text, said = _imported(':: StoryData\n{"format": "Harlowe", "start": "Gate"}\n\n:: Gate\n'
                           '(set: $married to true)The gate.\n$married[You hope.]\n(else:)[ [[Wed->Gate]] ]\n'
                           'You have $gold coins.\n[[Gate]]\n')
    assert [(d.code, d.span.line, d.span.column, d.message.split(" cannot")[0]) for d in said] == [
        ("HF1003", 6, 1, "a hook attached to a variable (shown or styled as its value says)"),
        ("HF1003", 7, 1, "(else:) without an (if:) before it"),
        ("HF1003", 8, 10, "a naked variable prints its value")], said
    assert "You hope" not in text.split("```imported")[0] and "s.twee:6:1: $married[You hope.]" in text, text


@pytest.mark.parametrize("fmt, sets", [("SugarCube", "<<set _tmp to 2>>"), ("Harlowe", "(set: _tmp to 2)")])
def test_a_temporary_variable_in_text_is_said_where_the_passage_sets_it(fmt, sets):
    """`<<set _tmp to 2>>You have _tmp coins.`: both formats print a temporary variable
    named in text (SugarCube's naked-variable markup reads `_` as `$`), the reader sees
    "You have 2 coins."; the set was said (HF1007) but "_tmp" went out as prose. It is
    said and kept as a `$name` is; a `_word` the passage never sets (`snake_case`,
    `_other`) is text, as SugarCube shows it, and `__under__` is still its underline."""
    story, said = _imported(f':: StoryData\n{{"format": "{fmt}", "start": "S"}}\n\n:: S\n{sets}\n'
                            "You have _tmp coins; snake_case and _other stay.\n[[End]]\n\n:: End\nBye.\n")
    assert [(d.code, d.span.line, d.span.column) for d in said if d.code == "HF1003"] == [("HF1003", 6, 10)], \
        [d.message for d in said]
    assert "You have coins; snake\\_case and \\_other stay\\." in story, story
    assert "s.twee:6:10: _tmp" in story


def test_an_ink_fallback_choice_with_its_body_below_is_said_once_as_such():
    """`* ->` with its body on the lines below is ink's fallback choice diverting nowhere
    yet (inklecate and inkjs take it): it was said twice, the second time as "a divert
    that does not end its line (inklecate refuses it)", which it is not."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    import_ink("A.\n* [Go] Gone.\n  -> END\n* ->\n  Fell.\n  -> END\n", "s.ink", diags)
    said = [(d.code, d.span.line, d.message.split(" cannot")[0]) for d in diags.items if d.span.line == 4]
    assert said == [("HF1003", 4, "a fallback choice (taken by itself when no other is left)")], said


def test_a_harlowe_possessive_opens_no_string():
    """`(print: $inv's length) things.` then `(if: …)[ [[Light it->Dark]] ]`: the `'` of
    Harlowe's possessive was read as a string opening, so the macro's `)` was looked for
    past the next `'` — the text, the `(if:)` and its link were kept inside "(print:)
    cannot be imported", and the choice was lost. The macro ends at its `)`; a possessive
    in a condition or set is said as what has no counterpart."""
    story, said = _imported(':: StoryData\n{"format": "Harlowe", "start": "S"}\n\n:: S\n'
                            "You carry (print: $inv's length) things.\n"
                            "(if: $stats's str > 2)[ [[Lift->Dark]] ]\n(set: $bag to (a: 'rope'))\n"
                            "[[Dark]]\n\n:: Dark\nIt's dark.\n")
    assert [(d.code, d.span.line) for d in said] == [("HF1003", 5), ("HF1007", 6), ("HF1007", 7)], \
        [d.message for d in said]
    assert "(print: $inv's length)\n" in story and "- [Lift](#dark)" in story and "You carry things\\." in story, story
    assert "possessive" in said[1].message and "the (a:) macro" in said[2].message


@pytest.mark.parametrize("fmt, shows", [("SugarCube", '<<include "Footer">>'), ("Harlowe", '(display: "Footer")')])
def test_a_passage_only_shown_inside_another_says_so_where_it_is_unreached(fmt, shows):
    """A footer passage shown by `<<include>>`/`(display:)` (not imported, HF1003) was
    said "reached by no link … delete the scene if it was a note": it was no note, its
    text is what readers saw in every passage including it. HF1143 names the include,
    and the hint says to copy its text where it was shown."""
    _story, said = _imported(f':: StoryData\n{{"format": "{fmt}", "start": "S"}}\n\n:: S\nHello.\n{shows}\n'
                             "[[End]]\n\n:: Footer\n--fin--\n\n:: End\nBye.\n")
    unreached = [d for d in said if d.code == "HF1143"]
    assert [(d.span.line, d.span.column) for d in unreached] == [(9, 1)], [d.message for d in said]
    assert f"shown inside another passage by '{shows}'" in unreached[0].message
    assert "Copy its text into the scenes that showed it" in unreached[0].hint


@pytest.mark.parametrize("choice, what", [("+ [Chat] <- chatter", "a thread"), ("+ [Visit] -> side ->", "a tunnel")])
def test_an_ink_choice_holding_a_thread_or_tunnel_keeps_its_body_and_its_siblings(choice, what):
    """`+ [Chat] <- chatter`: the choice line was dropped as a line, so its body ('Chatted.')
    was read as the knot's own text, shown to every reader before any choice, and the
    choices after it were said to be reached by no reading (HF1003), their knots HF1143.
    The choice keeps its place in the weave (kept, not offered, said once); its body is
    its own scene (HF1143: no choice the import kept leads there), the others offered."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink(f"-> start\n=== start ===\nStart.\n{choice}\n  Chatted.\n  -> start\n+ {{side}} [Side seen] -> END\n"
                       "+ [Side] -> side\n=== side ===\nA side room.\n+ [Back] -> start\n=== chatter ===\nBlah.\n"
                       "-> DONE\n", "s.ink", diags)
    start = next(s for s in story.scenes if s.id == "start")
    assert start.lines == ("Start.",) and [c.text for c in start.choices] == ["Side seen", "Side"]
    assert [to_source(c.condition) if c.condition else None for c in start.choices] == ["seen_side", None]
    said = [(d.code, d.span.line, d.message.split(" cannot")[0]) for d in diags.items if d.code == "HF1003"]
    assert said == [("HF1003", 4, what + (" (`<- knot` weaves that knot's text and choices into this one)"
                                          if what == "a thread" else
                                          " (`-> knot ->` visits a knot and `->->` returns from it)"))], said
    assert [k.text for s in story.scenes for k in s.kept] == [choice]


def test_an_ink_read_count_compared_with_true_is_a_count_said_not_a_seen_flag():
    """ink compares a read count with true or false as with 1 or 0 (inkjs: after a second
    `Tea`, `{tea == true}` is false). `{tea == true}` was read as the seen-flag, so the
    choice stayed offered where inkjs hid it; it is a count compared now (HF1007), and
    `{tea == false}`, `{tea != false}` are "not seen", "seen"."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("-> start\n=== start ===\n- (opts) Hub.\n+ (tea) [Tea] -> opts\n+ {tea == true} [Once] -> END\n"
                       "+ {true != tea} [Not once] -> END\n+ {tea == false} [No tea] -> END\n"
                       "+ {tea != false} [Some tea] -> END\n+ {tea and true} [And] -> END\n", "s.ink", diags)
    said = [(d.code, d.span.line) for d in diags.items]
    assert said == [("HF1007", 5), ("HF1007", 6)], [d.message for d in diags.items]
    shown = {c.text: c.condition and to_source(c.condition) for c in story.scenes[0].choices}
    assert shown == {"Tea": None, "Once": None, "Not once": None, "No tea": "not seen_start_tea",
                     "Some tea": "seen_start_tea", "And": "seen_start_tea and true"}, shown


def test_an_ink_scene_starting_at_a_label_is_named_after_it_not_its_knot():
    """`+ [In] -> hall.inner` reached before `hall` itself: the label's scene took the knot's
    id (`hall`) and the knot's own top, reached later, was `hall-2`, both titled "hall". The
    label's scene is `hall-inner` ("hall: inner"), the knot keeps its name."""
    from pipeline.importers.ink import import_ink
    diags = Diagnostics()
    story = import_ink("-> start\n=== start ===\nStart.\n+ [In] -> hall.inner\n+ [Hall] -> hall\n=== hall ===\n"
                       "The hall top.\n+ [Top] -> inner\n- (inner) Inside.\n+ [Again] -> hall\n+ [Out] -> END\n",
                       "s.ink", diags)
    assert [(s.id, s.title) for s in story.scenes] == [("start", "start"), ("hall", "hall"),
                                                       ("hall-inner", "hall: inner"), ("the-end", "The end")]
    start = story.scenes[0]
    assert [(c.text, c.target) for c in start.choices] == [("In", "hall-inner"), ("Hall", "hall")]
    assert diags.items == []


def test_a_sugarcube_temporary_variable_read_before_its_passage_sets_it_is_said_there():
    """SugarCube's temporary variables are story variables set where the passage sets them
    (tests/importing/stories/temps.twee plays the same); SugarCube empties them whenever a
    passage is shown (`<<goto>>` too), so one read before its passage sets it (undefined
    there, `NaN` after `+ 1`) is said at the read, not read as what another passage left;
    so is one a link's setter or body sets (it holds that value only as the link is taken)."""
    story, said = _imported(SUGARCUBE + '<<if _key>>[[Early|End]]<</if>>\n<<set _n to _n + 1>><<set _key to true>>\n'
                            '<<if _key>>[[Late|Next]]<</if>>\n\n:: Next\n<<set _m to 2>><<goto "Last">>\n\n'
                            ':: Last\n<<if _m is 2>>[[Back|Start]]<</if>>\n[[End]]\n\n:: End\nBye.\n\n'
                            ':: Shop\n[[Run|Shop][_u to 2]]<<link "Go" "Shop">><<set _t to 1>><</link>>\n'
                            '<<if _u or _t>>[[U|End]]<</if>>\n')
    assert [(d.code, d.span.line, d.span.column, d.message.split(" (")[1]) for d in said if d.code == "HF1007"] == [
        ("HF1007", 5, 6, "temporary variable '_key' is read before the passage sets it"),
        ("HF1007", 6, 13, "temporary variable '_n' is read before the passage sets it"),
        ("HF1007", 13, 6, "temporary variable '_m' is read before the passage sets it"),
        ("HF1007", 21, 6, "temporary variable '_u' is read before the passage sets it")], [d.message for d in said]
    # (Next sets and goes on: its set rides on the choice through it)
    assert '- [Late](#last){if="key" do="m = 2"}' in story and "\n  key: true\n" in story, story
