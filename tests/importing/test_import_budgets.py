"""Budgets of work: a small crafted story must not make the importer (or `foundry check`
of the story it writes) do work that grows with the square of its size. Measured by
counting the lines of Python run in the modules concerned (sys.settrace), not by the
clock: exact, and the same on a loaded machine."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostics
from pipeline.expr.printer import to_source
from pipeline.importers import story_text
from pipeline.importers.ink import import_ink
from pipeline.importers.twine import import_twine
from pipeline.load.documents import load_document
from pipeline.load.files import FoundFile
from pipeline.rules import load_rule_book
from pipeline.stories.story import load_story
from support import ROOTS, lines_run

N = 2000


SUGARCUBE = (":: StoryData\n{\"ifid\":\"A\",\"format\":\"SugarCube\",\"format-version\":\"2.36.1\","
             "\"start\":\"Start\"}\n\n:: Start\n")


def test_many_links_to_one_passage_are_numbered_in_linear_work():
    """2,000 `[[a|Start]]` in one passage: each choice after the first gets an id of its
    own (`start-start-2`, -3…); each was found by trying 2, 3, … again (ids.free_slug),
    two million tries — a 100 KB Twee file took 8 s, 1 MB more than hours."""
    diags = Diagnostics()
    story = import_twine(SUGARCUBE + "[[a|Start]]\n" * N, "many.twee", diags)
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(story, "many.twee", [])), "ids.py", "writer.py")
    assert f'id="start-start-{N}"' in written[0]
    assert work < 200 * N, work   # ~75 lines a choice; numbered afresh, over 8 million


def test_many_choices_without_a_gather_are_woven_in_linear_work():
    """2,000 ink choices with no gather: the end of each choice's body was looked for
    item by item from each (ink._Weaver._next_gather)."""
    text = "=== k ===\n" + "* a\n  b\n" * N
    work = lines_run(lambda: import_ink(text, "many.ink", Diagnostics()), "importers/ink.py")
    assert work < 450 * N, work   # ~410 lines a choice, most checking each scene's choice


def test_check_suggests_ids_for_many_copies_in_linear_work(tmp_path):
    """`foundry check` of a story whose scene holds 2,000 choices with one id (and 2,000
    scenes with one id): each HF0511/HF0501 hint names a free id, found by trying 2, 3, …
    again for each copy."""
    head = "---\ntitle: Many\nstart: a\n---\n"
    body = "## A {#a}\nText.\n" + "- [Go](#b){id=\"go\"}\n" * N + "\n## B {#b}\nEnd.\n" + "\n## C {#c}\nx\n" * N
    path = tmp_path / "content" / "stories" / "many.md"
    path.parent.mkdir(parents=True)
    path.write_text(head + body, encoding="utf-8")
    book = load_rule_book(ROOTS / "minimal", Diagnostics())
    diags = Diagnostics()
    doc = load_document(FoundFile("story", "many", path, "content/stories/many.md"), diags)
    work = lines_run(lambda: load_story(doc, book, diags), "ids.py")
    assert sum(d.code == "HF0511" for d in diags.items) == N - 1
    assert any(f"go-{N}" in (d.hint or "") for d in diags.items)
    assert work < 40 * N, work   # 2N copies, a dozen lines each


HARLOWE = (":: StoryData\n{\"ifid\":\"A\",\"format\":\"Harlowe\",\"format-version\":\"3.3.8\","
           "\"start\":\"Start\"}\n\n:: Start\n")


def _chain(harlowe: bool, branches: int) -> str:
    """One `<<if>>…<<elseif>>…<<else>>` (Harlowe: `(if:)[…](else-if:)[…](else:)[…]`)
    of `branches` conditions, each branch holding a link, then the passage it leads to."""
    if harlowe:
        body = "(if: $x is 0)[ [[a->End]] ]" + "".join(
            f"(else-if: $x is {i})[ [[a->End]] ]" for i in range(1, branches)) + "(else:)[ [[z->End]] ]\n"
    else:
        body = "<<if $x is 0>>[[a|End]]\n" + "".join(
            f"<<elseif $x is {i}>>[[a|End]]\n" for i in range(1, branches)) + "<<else>>[[z|End]]\n<</if>>\n"
    return (HARLOWE if harlowe else SUGARCUBE) + "<<set $x to 1>>\n" * (not harlowe) + body + ":: End\nThe end.\n"


def test_a_long_elseif_chain_is_imported_in_linear_work():
    """An `<<elseif>>` / `(else-if:)` chain of 600 branches holding links: each branch's
    choice carried the negation of every earlier branch's condition (180,000 conditions,
    the story file 2 MB for 400 branches, over 60 s for 1,600). A choice carries at most
    MAX_CONDITIONS: the branch past it and the rest of the block are kept as written,
    said once (HF1003) at that branch, with what to do."""
    from pipeline.importers.twine import MAX_CONDITIONS
    branches = 600
    for harlowe in (False, True):
        source = _chain(harlowe, branches)
        diags = Diagnostics()
        written: list[str] = []
        work = lines_run(lambda: written.append(story_text(import_twine(source, "chain.twee", diags), "chain.twee", [])),
                         "importers/twine.py", "importers/state.py", "importers/writer.py", "pipeline/expr.py")
        story = written[0]
        assert work < 2_000 * branches, work
        assert len(story) < 4 * len(source), len(story)
        cut = [d for d in diags.items if d.code == "HF1003"]
        assert len(cut) == 1, [d.message for d in cut]
        cap = f"else-if: $x is {MAX_CONDITIONS})" if harlowe else f"<<elseif $x is {MAX_CONDITIONS}>>"
        at = source.index(cap) - harlowe     # Harlowe: at the `(`
        line = source.count("\n", 0, at) + 1
        assert (cut[0].span.line, cut[0].span.column) == (line, at - source.rfind("\n", 0, at)), cut[0].span
        assert "Split the chain" in cut[0].hint
        assert story.count("](#end)") == MAX_CONDITIONS   # the branches before the cap, each a choice
        kept = story[story.index("```imported"):]
        assert source[at:source.index(":: End")].strip() in kept   # the rest, as written
        # Harlowe's $x is set nowhere: each condition not translated (HF1007) is kept
        # once, not once for every later branch's choice that carried its negation
        said = [line for line in kept.splitlines() if line.startswith("chain.twee:")]
        assert len(said) == len(set(said)) == 1 + harlowe * MAX_CONDITIONS, said[:3]
    # a chain at the cap (and its `else`, under as many negations) is imported whole
    diags = Diagnostics()
    story = story_text(import_twine(_chain(False, MAX_CONDITIONS), "chain.twee", diags), "chain.twee", [])
    assert not [d for d in diags.items if d.code == "HF1003"] and "```imported" not in story
    assert story.count("](#end)") == MAX_CONDITIONS + 1


def test_a_harlowe_chain_paired_past_links_is_imported_in_linear_work():
    """Harlowe's `(else-if:)` pairs with the hook before it past a link (`(if: …)[…]
    [[b->End]] (else-if: …)[…]`): each is a block of its own holding the conditions of
    every branch before it, which grew with the chain (600 branches: each block read
    all earlier conditions, work growing with the square of the chain). Only the last
    MAX_CONDITIONS + 1 matter (past them a choice carries too many, said at its branch)."""
    from pipeline.importers.twine import MAX_CONDITIONS
    branches = 600
    body = "(if: $x is 0)[ [[a->End]] ] [[b->End]]\n" + "".join(
        f"(else-if: $x is {i})[ [[a->End]] ] [[b->End]]\n" for i in range(1, branches)) + "(else:)[ [[z->End]] ]\n"
    source = HARLOWE + "(set: $x to 1)\n" + body + ":: End\nThe end.\n"
    diags = Diagnostics()
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(import_twine(source, "chain.twee", diags), "chain.twee", [])),
                     "importers/twine.py", "importers/twine_body.py", "importers/state.py", "importers/writer.py",
                     "pipeline/expr.py")
    assert work < 4_000 * branches, work
    assert len(written[0]) < 4 * len(source)
    cut = [d.span.line for d in diags.items if d.code == "HF1003"]
    # each branch past the cap said at its own line (the (if:) is on line 6, branch i on 6 + i)
    assert cut == list(range(6 + MAX_CONDITIONS, 6 + branches + 1)), cut[:3]
    assert written[0].count("](#end){if=") == MAX_CONDITIONS


def test_a_long_chain_imports_only_what_check_reads():
    """Under MAX_CONDITIONS, a chain's choices still carried conditions longer than the
    2,000 characters `foundry check` reads (a 64-branch chain on one long variable name:
    HF0601 at eight choices of a story the import called clean): such a choice is kept,
    HF1003 at its link. And a condition chaining a thousand `or`s built a tree as deep,
    which the import walked recursively (an internal error, RecursionError): past
    macros.MAX_OPERATORS it is not translated, HF1007, as any condition may not be."""
    import re
    from pipeline.expr import MAX_SOURCE_LENGTH
    from pipeline.importers.twine import MAX_CONDITIONS
    name = "$reputation_with_the_guild"
    source = SUGARCUBE + f"<<set {name} to 1>>\n<<if {name} is 0>>[[a|End]]\n" + "".join(
        f"<<elseif {name} is {i}>>[[a{i}|End]]\n" for i in range(1, MAX_CONDITIONS)) + "<</if>>\n:: End\nThe end.\n"
    diags = Diagnostics()
    story = story_text(import_twine(source, "chain.twee", diags), "chain.twee", [])
    written = re.findall(r'\{if="([^"]*)"', story)
    assert written and max(map(len, written)) <= MAX_SOURCE_LENGTH
    cut = [d for d in diags.items if d.code == "HF1003"]
    assert cut and len(written) + len(cut) == MAX_CONDITIONS, (len(written), len(cut))
    first = source.index(f"[[a{len(written)}|End]]")
    assert (cut[0].span.line, cut[0].span.column) == (source.count("\n", 0, first) + 1, first - source.rfind("\n", 0, first))
    assert story.count(f"chain.twee:{cut[0].span.line}:") == 1 and f"[[a{MAX_CONDITIONS - 1}|End]]" in story
    ors = " or ".join(f"$x is {i}" for i in range(1000))
    diags = Diagnostics()
    story = story_text(import_twine(SUGARCUBE + f"<<set $x to 1>>\n<<if {ors}>>[[a|End]]<</if>>\n:: End\nThe end.\n",
                                    "or.twee", diags), "or.twee", [])
    assert [d.code for d in diags.items if d.code == "HF1007"] == ["HF1007"] and ors in story
    # a passage's 150 `<<set>>`s ride on the choice leading to it: a `do="…"` of 3,800
    # characters, which check refused (HF0601). Offered without them, the sets kept once
    sets = "".join(f"<<set $variable_number_{i} to {i}>>" for i in range(150))
    diags = Diagnostics()
    story = story_text(import_twine(SUGARCUBE + "Go [[on|End]] or [[back|End]]\n:: End\n" + sets + "\nThe end.\n",
                                    "sets.twee", diags), "sets.twee", [])
    assert not re.findall(r'do="[^"]{2001,}"', story)
    assert [d.span.column for d in diags.items if d.code == "HF1003"] == [4, 18]
    assert story.count("<<set $variable_number_149 to 149>>") == 1 and "[on](#end)" in story
    # ink, the same: a choice's condition and a knot's changes of state past what check reads
    long = " or ".join(f"reputation_with_the_guild_of_merchants == {i}" for i in range(48))
    sets = "\n".join(f"~ things_{i} = {i}" for i in range(300))
    source = ("VAR reputation_with_the_guild_of_merchants = 1\n" + "".join(f"VAR things_{i} = 0\n" for i in range(300))
              + "Hello.\n* {" + long + "} [Go] -> two\n* [Other] -> two\n== two ==\n" + sets + "\nDone.\n-> END\n")
    diags = Diagnostics()
    story = story_text(import_ink(source, "x.ink", diags), "x.ink", [])
    assert not re.findall(r'(?:if|do)="[^"]{2001,}"', story)
    assert [d.span.line for d in diags.items if d.code == "HF1003"] == [303, 304]
    assert long in story and story.count("~ things_299 = 299") == 1 and "[Other](#two)" in story


# the modules an expression passes through on its way from a Twine story to the file
_IMPORT_MODULES = ("importers/twine.py", "importers/macros.py", "importers/state.py", "importers/writer.py",
                   "expr/nodes.py", "expr/types.py", "expr/printer.py", "expr/evaluate.py")


def _checked(tmp_path, story: str) -> list[str]:
    """The codes `foundry check`'s reader of a story (load_story, in the minimal project)
    says of a story the import wrote."""
    path = tmp_path / "content" / "stories" / "imported.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(story, encoding="utf-8")
    diags = Diagnostics()
    doc = load_document(FoundFile("story", "imported", path, "content/stories/imported.md"), diags)
    load_story(doc, load_rule_book(ROOTS / "minimal", Diagnostics()), diags)
    return [d.code for d in diags.items]


def test_import_keeps_what_check_would_refuse_and_says_why(tmp_path):
    """A condition of 101 `$x` joined by `and` (100 operators, under macros.MAX_OPERATORS)
    was imported as clean; its `x != 0 and …` is 101 operators deep, and check refused
    the story (HF0601). Import runs check's own reader on what it writes (writer.refusal):
    the choice is kept as written, HF1003 saying why; changes of state nested so are left
    off their choice the same way. Twine and ink alike; at check's limit all is imported."""
    def imported(importer, source: str, path: str) -> tuple[str, list]:
        diags = Diagnostics()
        return story_text(importer(source, path, diags), path, []), diags.items

    deep = " and ".join(["$x"] * 101)
    summed = "-(" + " + ".join(["$x"] * 101) + ")"    # 100 `+`, and the minus one level more
    for importer, path, source in (
            (import_twine, "deep.twee", SUGARCUBE + f"<<set $x to 1>>\n<<if {deep}>>[[Go|B]]<</if>> [[Stay|B]]\n"
                                                    f":: B\n<<set $y to {summed}>>[[Back|Start]]\n"),
            (import_ink, "deep.ink", "VAR x = 1\nVAR y = 0\n-> start\n== start ==\nHello.\n"
                                     f"* {{{deep.replace('$', '')}}} [Go] -> b\n+ [Stay] -> b\n"
                                     f"== b ==\n~ y = {summed.replace('$', '')}\n+ [Back] -> start\n")):
        story, said = imported(importer, source, path)
        cut = [d.message for d in said if d.code == "HF1003"]
        assert len(cut) == 2 and all("too deeply nested for Foundry's expression language" in m for m in cut), cut
        assert cut[0].startswith("a choice whose condition") and "changes of state" in cut[1], cut
        assert "HF0601" not in _checked(tmp_path, story)
        twee = path.endswith(".twee")
        assert "[Stay](#b)" in story and 'do="y' not in story and (summed if twee else summed.replace("$", "")) in story
        assert "[[Go|B]]" in story if twee else "* {x and x and" in story
    # one `$x` fewer: 100 operators deep, what check reads; a sticky ink choice gets no flag
    within = " and ".join(["$x"] * 100)
    for importer, path, source in (
            (import_twine, "within.twee", SUGARCUBE + f"<<set $x to 1>>\n<<if {within}>>[[Go|B]]<</if>>\n:: B\nEnd.\n"),
            (import_ink, "within.ink", f"VAR x = 1\nHello.\n+ {{{within.replace('$', '')}}} [Go] -> b\n"
                                       "== b ==\nEnd.\n-> END\n")):
        story, said = imported(importer, source, path)
        assert not [d for d in said if d.code == "HF1003"] and 'if="x != 0 and x != 0' in story
        assert "HF0601" not in _checked(tmp_path, story)


def test_a_links_own_changes_are_checked_where_its_target_sets_nothing(tmp_path):
    """A link's own setter (`[[Go|B][$z to …]]`) was checked with check's reader only
    when the passage it leads to sets something too: to a passage of plain text, 101
    terms under a minus sign, or one text of 2,100 characters, were imported as clean
    and check refused the story (HF0601). They are left off the choice, HF1003 saying
    why, as a passage's sets are; the choice is still offered."""
    summed = "-(" + " + ".join(["$x"] * 101) + ")"
    for setter, why in ((f"$z to {summed}", "too deeply nested"), ("$s to '" + "a" * 2100 + "'", "2,10")):
        source = SUGARCUBE + f"<<set $x to 1>><<set $z to 0>><<set $s to ''>>[[Go|B][{setter}]]\n:: B\nThe end.\n"
        diags = Diagnostics()
        story = story_text(import_twine(source, "own.twee", diags), "own.twee", [])
        cut = [d for d in diags.items if d.code == "HF1003"]
        assert len(cut) == 1 and why in cut[0].message and "changes of state" in cut[0].message, \
            [d.message for d in diags.items]
        assert (cut[0].span.line, cut[0].span.column) == (5, 47)     # at the link
        assert "[Go](#b)" in story and 'do="' not in story and setter in story
        assert "HF0601" not in _checked(tmp_path, story)


def test_an_ink_choice_of_many_conditions_is_kept_in_linear_work():
    """1,000 `{x}` in front of one ink choice made a chain of as many `and`s, which the
    import walked recursively: "internal error (RecursionError)". Past MAX_CONDITIONS,
    the one cap Twine's choices have too, the choice is kept as written, HF1003 at the
    condition past it, and the rest are not read; at the cap it is imported whole."""
    from pipeline.importers.model import MAX_CONDITIONS

    def source(conditions: int) -> str:
        return "VAR x = 1\nHello.\n* " + "{x} " * conditions + "[Go] -> b\n+ [Stay] -> b\n== b ==\nEnd.\n-> END\n"

    diags = Diagnostics()
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(import_ink(source(N), "many.ink", diags), "many.ink", [])),
                     "importers/ink.py", "importers/macros.py", "importers/state.py", "importers/writer.py")
    assert work < 100 * N, work    # ~60 lines a `{x} `, most reading its line character by character
    cut = [d for d in diags.items if d.code == "HF1003"]
    assert len(cut) == 1 and f"more than {MAX_CONDITIONS} conditions" in cut[0].message, [d.message for d in cut]
    assert (cut[0].span.line, cut[0].span.column) == (3, 3 + 4 * MAX_CONDITIONS)    # the `{` past the cap
    assert "* " + "{x} " * N + "[Go] -> b" in written[0] and "[Stay](#b)" in written[0] and "[Go](" not in written[0]
    diags = Diagnostics()
    story = story_text(import_ink(source(MAX_CONDITIONS), "cap.ink", diags), "cap.ink", [])
    assert not [d for d in diags.items if d.code == "HF1003"], [d.message for d in diags.items]
    assert '[Go](#b){if="' + " and ".join(["x != 0"] * MAX_CONDITIONS) + '"' in story


def test_a_remainder_chain_past_the_terms_budget_is_not_translated(tmp_path):
    """SugarCube's `%` is written `a - b * trunc(a / b)` (macros.remainder), its left side
    three times: `$x % $x % …` of fifteen made 3^15 terms and ran the machine out of
    memory. Past macros.MAX_TERMS the expression is not translated (HF1007, saying why),
    in work that does not grow with what it would have held; a short chain is translated,
    and check reads it."""
    from pipeline.importers.macros import MAX_TERMS
    remainders = " % $x" * 9     # 3^9 terms written out: under a second's work, were it done
    source = SUGARCUBE + f"<<set $x to 7>>\n<<if $x{remainders} is 1>>[[Go|B]]<</if>>\n:: B\nThe end.\n"
    diags = Diagnostics()
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(import_twine(source, "mod.twee", diags), "mod.twee", [])),
                     *_IMPORT_MODULES)
    assert work < 20_000, work     # 2,300 lines; translated, it was ten million
    said = [d for d in diags.items if d.code in ("HF1003", "HF1007")]
    assert [d.code for d in said] == ["HF1007"], [d.message for d in said]
    assert "repeats each side three times" in said[0].message and f"more than the {MAX_TERMS:,}" in said[0].message
    assert f"$x{remainders} is 1" in written[0]
    # three of them: translated, as JavaScript reads them (the sign of the left side)
    source = SUGARCUBE + "<<set $x to 7>>\n[[Go|B][$z to $x % $x % $x]]\n:: B\n<<if $z is 0>>[[End|C]]<</if>>\n:: C\nEnd.\n"
    diags = Diagnostics()
    story = story_text(import_twine(source, "small.twee", diags), "small.twee", [])
    assert not [d for d in diags.items if d.code in ("HF1003", "HF1007")], [d.message for d in diags.items]
    assert 'do="z = x - x * (max(floor(x / x), 0) + min(ceil(x / x), 0)) - x * ' in story
    assert not [code for code in _checked(tmp_path, story) if code.startswith("HF06")]


def test_the_terms_budget_holds_for_the_whole_expression():
    """MAX_TERMS was checked at each `%` on its own: sixteen `($x % $x % $x % $x % $x %
    $x)` of 810 terms each, joined by `+` (100 operators, what the import reads), made a
    condition of 13,000 terms, 101,392 characters, which every later step (the hero's
    names, the truthiness, the type check, writing it out for check's reader) walked
    again: two million lines for one condition of 514 characters. The whole expression
    is held to the budget: not translated (HF1007, saying why, at its last `%`)."""
    from pipeline.importers.macros import MAX_TERMS
    group = "($x" + " % $x" * 5 + ")"
    cond = " + ".join([group] * 16) + " is 1"
    source = SUGARCUBE + f"<<set $x to 7>>\n<<if {cond}>>[[Go|B]]<</if>>\n:: B\nThe end.\n"
    diags = Diagnostics()
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(import_twine(source, "mod.twee", diags), "mod.twee", [])),
                     *_IMPORT_MODULES)
    assert work < 100_000, work     # 17,000; two million when each `%` alone was held to it
    said = [d for d in diags.items if d.code in ("HF1003", "HF1007")]
    assert [d.code for d in said] == ["HF1007"], [d.message for d in said]
    assert f"the expression would hold 13,569 terms written out, more than the {MAX_TERMS:,}" in said[0].message
    assert (said[0].span.line, said[0].span.column) == (6, source.split("\n")[5].rindex("%") + 1), said[0].span
    assert cond in written[0] and "[Go](#b)" in written[0]


def test_an_expression_past_a_limit_says_how_to_write_it_so_it_imports(tmp_path):
    """HF1007 for an expression past the importer's limits (2,000 terms, 100 operators,
    32 levels) gave the code's own hint, "only comparisons, and/or/not, arithmetic and
    variables translate": `$x % $x % …` is all arithmetic, and followed, the hint
    changed nothing. The hint says to write it in parts, one `%` an expression; done
    literally, the story imports without a warning and check reads it."""
    from pipeline.importers.macros import LIMIT_HINT
    chains = ((import_twine, "mod.twee", SUGARCUBE + "<<set $x to 7>>\n<<if $x" + " % $x" * 9 + " is 1>>[[Go|B]]<</if>>"
               "[[Stay|B]]\n:: B\nThe end.\n"),
              (import_twine, "or.twee", SUGARCUBE + "<<set $x to 7>>\n<<if " + " or ".join(["$x is 1"] * 60)
               + ">>[[Go|B]]<</if>>[[Stay|B]]\n:: B\nThe end.\n"),
              (import_ink, "mod.ink", "VAR x = 7\n-> s\n== s ==\nHi.\n+ {x" + " mod x" * 9 + " == 1} [Go] -> b\n"
               "+ [Stay] -> b\n== b ==\nThe end.\n-> END\n"))
    for importer, path, source in chains:
        diags = Diagnostics()
        importer(source, path, diags)
        said = [d for d in diags.items if d.code == "HF1007"]
        assert len(said) == 1 and said[0].hint == LIMIT_HINT, [(d.message, d.hint) for d in diags.items]
    # followed: a variable set to each remainder first, one `%` an expression
    parts = ((import_twine, "parts.twee", SUGARCUBE + "<<set $x to 7>><<set $r to $x>>\n" + "<<set $r to $r % $x>>" * 9
              + "<<if $r is 1>>[[Go|B]]<</if>>[[Stay|B]]\n:: B\nThe end.\n"),
             (import_ink, "parts.ink", "VAR x = 7\nVAR r = 7\n-> s\n== s ==\n" + "~ r = r mod x\n" * 9
              + "Hi.\n+ {r == 1} [Go] -> b\n+ [Stay] -> b\n== b ==\nThe end.\n-> END\n"))
    for importer, path, source in parts:
        diags = Diagnostics()
        story = story_text(importer(source, path, diags), path, [])
        assert not [d for d in diags.items if d.code in ("HF1003", "HF1007")], [d.message for d in diags.items]
        assert not [code for code in _checked(tmp_path, story) if code.startswith("HF06")]


def test_a_scene_only_a_kept_choice_led_to_is_said_where_its_text_is():
    """A scene reached only by a choice the import kept as written (its condition more
    than check reads) is said unreached (HF1143) at its knot, or at the choice whose
    text it holds: `+ {…} [Go] Secret -> c` makes a scene that opens with the choice's
    "Secret", and was said at `== c ==`, two lines below, where nothing of it is."""
    deep = " and ".join(["x"] * 101)
    for choice, line in ((f"+ {{{deep}}} [Go] -> b", 7), (f"+ {{{deep}}} [Go] Secret -> c", 5),
                         (f"+ {{{deep}}} [Go] Secret\n  -> c", 5)):
        source = f"VAR x = 1\n-> s\n== s ==\nHi\n{choice}\n+ [Stay] -> c\n== b ==\nAway.\n-> c\n== c ==\nEnd.\n-> END\n"
        source = source if "-> b" in choice else source.replace("== b ==\nAway.\n-> c\n", "")
        diags = Diagnostics()
        import_ink(source, "cut.ink", diags)
        said = [d for d in diags.items if d.code == "HF1143"]
        assert [d.span.line for d in said] == [line], (choice, [(d.span.line, d.message) for d in diags.items])


def test_what_many_links_share_is_checked_once():
    """Work that grew with the product of two parts of a story, each checked again for
    every link: a block's conditions (eight `<<if>>`s of five `%`, 848 terms each, over
    400 links: 30 s), a passage's sets riding on every link to it (2,000 sets, 2,000
    links: 18 s, as many copies of the sets kept), and the sets after a condition, paired
    with every link under it (2,000 of each: 4 million pairs); in ink, a knot's `~` lines
    riding on every choice to it (1,000 of each: 30 s). Each is checked once."""
    n = 400
    cond = "$x" + " % $x" * 5 + " is 1"
    stories = {
        "conditions": SUGARCUBE + "<<set $x to 3>>\n" + f"<<if {cond}>>" * 8 + "[[a|B]]" * n + "<</if>>" * 8
        + "\n:: B\nEnd.\n",
        "sets": SUGARCUBE + "[[a|B]]" * N + "\n:: B\n" + "<<set $x to 1>>" * N + "End.\n",
        "order": SUGARCUBE + "<<set $x to 1>><<if $x is 1>>" + "[[a|B]]" * N + "<</if>>" + "<<set $y to 1>>" * N
        + "\n:: B\nEnd.\n"}
    for name, source in stories.items():
        diags = Diagnostics()
        written: list[str] = []
        work = lines_run(lambda: written.append(story_text(import_twine(source, "many.twee", diags), "many.twee", [])),
                         *_IMPORT_MODULES)
        # linear: 2,600 lines a link under eight conditions (each link kept: refused by
        # check), 500 a link otherwise; checked per link, 390, 45 and 37 million in all
        assert work < (8_000 * n if name == "conditions" else 1_500 * N), (name, work)
        assert written[0].count("many.twee:") < 2 * N + 20, name    # the kept sets once each
    # ink: a knot's `~` lines ride on every choice leading to it
    source = "VAR x = 0\nHello.\n" + "+ [a] -> b\n" * N + "== b ==\n" + "~ x = 1\n" * N + "End.\n-> END\n"
    work = lines_run(lambda: written.append(story_text(import_ink(source, "many.ink", Diagnostics()), "many.ink", [])),
                     "importers/ink.py", *_IMPORT_MODULES)
    assert work < 1_500 * N, work    # 780 lines a choice


def test_our_exports_parts_calling_parts_are_read_within_a_budget():
    """Imported, a call of an HF_part_ function (our ink export's deep parts, ink_own.py)
    is read as the part's expression, each call again. A part calling the next four
    times, seven levels deep (a 1.4 KB file), was 21,844 parts read; eight levels of eight
    calls, 2 KB, ran over 200 s and 0.5 GB before the expression was refused as too
    long. Past MAX_PARTS_READ characters read the condition is not translated (HF1007,
    saying so), and the reading stops there."""
    import hashlib
    from pipeline.importers.macros import MAX_PARTS_READ

    body, functions = "x", []
    for _ in range(7):
        name = "HF_part_" + hashlib.sha256(body.encode()).hexdigest()[:16]
        functions.append(f"=== function {name}() ===\n~ return {body}\n")
        body = f"MIN(MIN({name}(), {name}()), MIN({name}(), {name}()))"
    text = (f"VAR x = 1\nHello.\n* {{ {body} > 0 }} [Go] -> END\n* [Stay] -> END\n\n"
            + "\n".join(reversed(functions)))
    diags = Diagnostics()
    work = lines_run(lambda: import_ink(text, "parts.ink", diags), "importers/macros.py")
    assert work < 1_000_000, work   # ~1,100 parts read (~620,000 lines); all 21,844 were ~6.8 million
    said = [d.message for d in diags.items if d.code == "HF1007"]
    assert len(said) == 1 and f"more than {MAX_PARTS_READ:,} characters" in said[0], said


def test_unclosed_silently_and_nobr_are_read_in_linear_work():
    """`<<silently>>` and `<<nobr>>` with no closer: each read its body to the end of the
    passage looking for `<</silently>>`, every unclosed one inside did so again at each
    depth, and 20 of them (260 characters) took 16 s, doubling with each more. Each is
    kept as a macro (HF1003) as an unclosed `<<if>>` is, in work linear in their number."""
    for opener in ("<<silently>>", "<<nobr>>"):
        diags = Diagnostics()
        text = SUGARCUBE + f"{opener}x" * 14 + "\n[[End]]\n\n:: End\nThe end.\n"
        story = []
        work = lines_run(lambda: story.append(import_twine(text, "open.twee", diags)), "twine_body.py")
        assert work < 5_000, (opener, work)   # ~2,000; 4 million before
        assert sum(d.code == "HF1003" and opener in d.message for d in diags.items) == 14, diags.items
        assert [c.target for c in story[0].scenes[0].choices] == ["end"], story[0]


def test_silently_and_nobr_nested_too_deep_are_said_once():
    """40 `<<nobr>><<silently>>` nested, each closed: past MAX_NESTING the rest of the
    passage is kept and said once, as for `<<if>>`; the innermost body was instead given
    up as unclosed, and each closer after it said on its own (80 HF1003)."""
    diags = Diagnostics()
    text = SUGARCUBE + "<<nobr>><<silently>>" * 20 + "<<set $a to 1>>" + "<</silently>><</nobr>>" * 20 + "\n"
    import_twine(text, "deep.twee", diags)
    said = [d.message for d in diags.items if d.code == "HF1003"]
    assert len(said) == 1 and said[0].startswith("blocks nested more than 32 deep"), said


def test_harlowes_it_after_a_comparison_is_held_to_the_terms_budget():
    """`it` after a comparison is its compared side, written again (s51): `(it + it > 0)`
    makes `it + it` the next `it`, so each such part doubled the last, and thirty of them
    (a 600-character condition) never finished writing the story out. Held to MAX_TERMS
    as a remainder is: said (HF1007), kept, in work linear in the condition's length."""
    n = 14
    condition = "$x > 0" + " and (it + it > 0)" * n
    text = HARLOWE + f"(set: $x to 1)\n(if: {condition})[[[Win->End]]]\n[[Lose->End]]\n\n:: End\nDone.\n"
    diags = Diagnostics()
    story = []
    written: list[str] = []
    work = lines_run(lambda: written.append(story_text(import_twine(text, "it.twee", diags), "it.twee", [])),
                     "importers/macros.py", "importers/writer.py", "importers/twine.py", "expr/printer.py")
    said = [d.message for d in diags.items if d.code == "HF1007"]
    assert len(said) == 1 and "Harlowe's `it`" in said[0] and "more than the 2,000" in said[0], diags.items
    assert len(written[0]) < 20_000 and work < 200_000, (len(written[0]), work)
    # a real one is read as before: `$hp > 2 and it < 5` is hp > 2 and hp < 5
    diags = Diagnostics()
    story = import_twine(HARLOWE + "(set: $hp to 3)\n(if: $hp > 2 and it < 5)[[[Win->End]]]\n\n:: End\nDone.\n",
                         "real.twee", diags)
    assert not [d for d in diags.items if d.code == "HF1007"], diags.items


def test_a_long_chain_of_passages_that_only_go_on_is_read_in_linear_work():
    """2,000 passages each only setting and going on to the next (`<<set $n to 1>><<goto
    "P2">>`): which of them only go on was settled by walking to the chain's end from each
    (two million steps; a chain of 10,000 took half a minute). The one link into it leads
    to the passage at its end."""
    chain = "".join(f":: P{i}\n<<set $n to {i}>><<goto \"P{i + 1}\">>\n\n" for i in range(N))
    text = SUGARCUBE + "Begin. [[Go|P0]]\n\n" + chain + f":: P{N}\nEnd.\n"
    found = []
    work = lines_run(lambda: found.append(import_twine(text, "chain.twee", Diagnostics())), "importers/twine.py")
    assert [(s.id, [c.target for c in s.choices]) for s in found[0].scenes] == [("start", [f"p{N}"]), (f"p{N}", [])]
    assert work < 250 * N, work   # ~160 lines a passage; walked from each, over 4,000


def test_links_into_every_point_of_a_long_chain_are_read_in_linear_work():
    """A link into each of 1,000 passages that only set and go on to the next: each
    link's sets (its passage's and every one after it, up to the chain's end) were
    written out and checked anew for each link, and on refusal every passage after it
    walked again (1,000 links: seven million lines, seconds, growing with the square of
    the chain). Each passage's answer is found once, from the chain's end back; what a
    link carries is unchanged: the sets up to the length check reads, past it none (the
    sets kept once in the scene, HF1003 at each link)."""
    n = 1000
    links = " ".join(f"[[x{i}|P{i}]]" for i in range(n))
    chain = "".join(f":: P{i}\n<<set $n to {i}>><<goto \"P{i + 1}\">>\n\n" for i in range(n))
    text = SUGARCUBE + f"Begin. {links}\n\n" + chain + f":: P{n}\nEnd.\n"
    found, diags = [], Diagnostics()
    work = lines_run(lambda: found.append(import_twine(text, "chain.twee", diags)), "importers/twine.py")
    start = found[0].scenes[0]
    assert [c.target for c in start.choices] == [f"p{n}"] * n
    # the last links carry their tails' sets, the first ones (past 2,000 characters) none
    assert to_source(start.choices[-1].effects) == f"n_ = {n - 1}"
    assert len(start.choices[-2].effects) == 2 and start.choices[0].effects == ()
    refused = [d for d in diags.items if d.code == "HF1003" and "characters long" in d.message]
    assert len(refused) > n // 2 and {d.span.line for d in refused} == {refused[0].span.line}   # at the links
    kept = [k.where.line for k in start.kept]
    assert len(kept) == len(set(kept)), "each passage's sets kept once in the scene"
    assert work < 400 * n, work


def test_many_variables_tested_by_many_choices_make_their_scope_once(monkeypatch):
    """N variables, each tested by a choice: the names a condition may read (the story's
    variables, state.Variables.scope) were made anew for each condition, copying every
    variable's type each time — N² copies (C-level, which counting lines does not see:
    3,000 of each was half the import's time). Counted here by the scopes made."""
    from pipeline.importers import state
    made = []
    real = state.expr.Scope
    monkeypatch.setattr(state.expr, "Scope", lambda *a, **k: made.append(1) or real(*a, **k))
    n = 300
    text = "".join(f"VAR v{i} = {i}\n" for i in range(n)) + "-> k\n=== k ===\n" + \
        "".join(f"+ {{v{i} > 2}} [C{i}] -> k\n" for i in range(n))
    story = import_ink(text, "many.ink", Diagnostics())
    assert len(story.scenes[0].choices) == n
    assert len(made) < n // 10, len(made)     # once per variable declared at most, not per condition


def _gate_chain(passages: int, links: int, otherwise: bool) -> str:
    """A SugarCube story of `passages` gates `<<if $aN>><<goto "D(N+1)">>` (and
    `<<else>><<goto "EN">>`, or text and a link shown on), `links` links into the first."""
    out = [SUGARCUBE + "S.\n" + "".join(f"[[T{i}|Start][$a{i} to true]]\n" for i in range(passages))
           + "".join(f"[[G{j}|D0]]\n" for j in range(links)),
           ":: StoryInit\n" + "".join(f"<<set $a{i} to false>>" for i in range(passages)) + "\n"]
    for i in range(passages):
        shown = f'<<else>><<goto "E{i}">><</if>>\n' if otherwise else f"<</if>>\nGate {i}.\n[[Start]]\n"
        out.append(f':: D{i}\n<<if $a{i}>><<goto "D{i + 1}">>{shown}\n:: E{i}\nE{i}.\n[[Start]]\n')
    return "\n".join(out) + f"\n:: D{passages}\nEnd.\n"


def test_a_chain_of_gates_is_split_within_a_budget(tmp_path, monkeypatch):
    """Each link into a passage of `<<if>><<goto>>` is made two, and one into a chain of
    them as many as the chain is long, each under all the conditions before: 120 gates and
    300 links into the first (a 20 KB Twee file) wrote 36,000 choices of up to 120 `and`s
    (13 MB, 12 s, 340 MB) before HF1013 refused the story. A split stops at MAX_CONDITIONS
    conditions, and the story's at MAX_SPLIT_CONDITIONS (here made small): past them the
    choice goes into the gate whole and that gate's gotos are said at their places (an
    ending's too), kept in its scene."""
    from pipeline.importers import twine
    for otherwise in (True, False):
        monkeypatch.setattr(twine, "MAX_SPLIT_CONDITIONS", 100_000, raising=False)
        diags = Diagnostics()
        story = import_twine(_gate_chain(70, 1, otherwise), "gates.twee", diags)
        widest = max(str(c.condition).count(" and ") + 1 for s in story.scenes for c in s.choices if c.condition)
        assert widest <= 64, widest
        said = [d for d in diags.items if d.code == "HF1003" and "more than 64 conditions" in d.message]
        assert said and said[0].span.line == _gate_chain(70, 1, otherwise).split("\n").index(":: D64") + 2
        assert '<<goto "D65">>' in [k.text for s in story.scenes if s.id == "d64" for k in s.kept]
        monkeypatch.setattr(twine, "MAX_SPLIT_CONDITIONS", 3_000)
        diags = Diagnostics()
        story = import_twine(_gate_chain(30, 40, otherwise), "gates.twee", diags)
        written = sum(str(c.condition).count(" and ") + 1 for s in story.scenes for c in s.choices if c.condition)
        assert written < 2 * 3_000, written       # (unbounded, 40 links × 31 choices × up to 30 `and`s)
        assert any("past 3,000 conditions" in d.message for d in diags.items if d.code == "HF1003"), \
            [d.message for d in diags.items if d.code == "HF1003"][:3]
        assert "HF0601" not in _checked(tmp_path, story_text(story, "gates.twee", []))


def test_a_choice_into_a_gate_that_cannot_be_split_says_the_goto(tmp_path):
    """A choice into `<<if $k>><<goto "End">><</if>>` (shown on) whose split cannot be
    written (its condition and the gate's, joined, past check's length) went into the
    passage whole, and the goto was dropped unsaid: SugarCube went on to End where $k
    held, the import showed the gate. It is said at the goto and kept in the scene."""
    long = "a" * 1_985
    source = (SUGARCUBE + f"<<set $k to true>><<set $s to '{long}'>>\n<<if $s is '{long}'>>[[Go|Gate]]<</if>>\n"
              "\n:: Gate\n<<if $k>><<goto \"End\">><</if>>\nThe gate.\n[[Back|Start]]\n\n:: End\nThe end.\n")
    diags = Diagnostics()
    story = import_twine(source, "gate.twee", diags)
    said = [d for d in diags.items if d.code == "HF1003" and "<<goto \"End\">>" in d.message]
    assert said and (said[0].span.line, said[0].span.column) == (9, 10), [d.message for d in diags.items]
    assert "2,0" in said[0].message and said[0].hint and "by hand" in said[0].hint
    gate = next(s for s in story.scenes if s.id == "gate")
    assert '<<goto "End">>' in [k.text for k in gate.kept]
    assert "HF0601" not in _checked(tmp_path, story_text(story, "gate.twee", []))
